r"""One ridge solver over nested synthetic prefixes, shared by every Part.

Part I's literal pipeline, Part II's real-data chapter and Part III's squared-loss VTSS
all fit the same family of ridge problems: the real rows plus the first ``s`` rows of one
synthetic pool, for an ascending list of sizes ``s``. The Gram matrix and the moment
vector of a prefix are those of the previous prefix plus one block, so the whole path
costs one pass over the pool plus one small solve per size, instead of one full fit per
size.
"""
from __future__ import annotations

import numpy as np

__all__ = ["ridge_prefix_path"]


def ridge_prefix_path(X_real, y_real, X_syn, y_syn, sizes, penalty, *, syn_weights=None,
                      normalise=False):
    r"""Ridge solutions on the real rows plus each synthetic prefix ``X_syn[:s]``.

    For every ``s`` in ``sizes`` (ascending) solves

    .. math:: \Big(\tfrac{1}{N_s}\big(X^\top X + \textstyle\sum_{j<s} q_j\tilde x_j\tilde x_j^\top\big)
              + \operatorname{diag}(\text{penalty})\Big)\theta
              = \tfrac{1}{N_s}\big(X^\top y + \textstyle\sum_{j<s} q_j\tilde y_j\tilde x_j\big)

    with :math:`N_s = n + s` when ``normalise`` (the papers' loss normalised by the number
    of samples before verification) and :math:`N_s = 1` otherwise.

    Parameters
    ----------
    X_real : ndarray (n, p)
    y_real : ndarray (n,)
    X_syn : ndarray (M, p)
        The synthetic pool; prefixes are taken in its row order.
    y_syn : ndarray (M,) or (R, M)
        Synthetic labels; several rows R give R label sets on the same pool (each row
        its own path).
    sizes : sequence of int, ascending, each in [0, M]
    penalty : float or ndarray (p,)
        Diagonal penalty (a vector leaves, e.g., an intercept unpenalised with a 0).
    syn_weights : ndarray (M,) or (R, M), optional
        Weights q of the synthetic rows (the verifier's 0/1 decisions); default ones.
    normalise : bool
        Divide the data terms by :math:`N_s = n + s`.

    Returns
    -------
    ndarray (len(sizes), p), or (R, len(sizes), p) when ``y_syn`` or ``syn_weights`` has
    two dimensions. A singular system is solved in the least-squares sense.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib._ridge import ridge_prefix_path
    >>> rng = np.random.default_rng(0)
    >>> X, y, Xs, ys = rng.normal(size=(5, 2)), rng.normal(size=5), rng.normal(size=(4, 2)), rng.normal(size=4)
    >>> path = ridge_prefix_path(X, y, Xs, ys, [0, 4], 0.1)
    >>> Xa, ya = np.vstack([X, Xs]), np.r_[y, ys]
    >>> bool(np.allclose(path[1], np.linalg.solve(Xa.T @ Xa + 0.1 * np.eye(2), Xa.T @ ya)))
    True
    """
    X_real = np.asarray(X_real, dtype=float)
    X_syn = np.asarray(X_syn, dtype=float)
    y_syn = np.asarray(y_syn, dtype=float)
    n, p = X_real.shape
    many = y_syn.ndim == 2 or (syn_weights is not None and np.ndim(syn_weights) == 2)
    rows = max(y_syn.shape[0] if y_syn.ndim == 2 else 1,
               np.shape(syn_weights)[0] if syn_weights is not None and np.ndim(syn_weights) == 2 else 1)
    labels = np.broadcast_to(y_syn, (rows, X_syn.shape[0]))
    weights = (np.ones((rows, X_syn.shape[0])) if syn_weights is None
               else np.broadcast_to(np.asarray(syn_weights, dtype=float), (rows, X_syn.shape[0])))
    sizes = [int(s) for s in sizes]
    gram0 = X_real.T @ X_real
    moment0 = X_real.T @ np.asarray(y_real, dtype=float)
    grams = np.empty((rows, len(sizes), p, p))
    moments = np.empty((rows, len(sizes), p))
    gram = np.repeat(gram0[None], rows, axis=0)
    moment = np.repeat(moment0[None], rows, axis=0)
    prev = 0
    # block increments: cheaper than a cumulative sum of all outer products, and O(p^2) memory
    for k, s in enumerate(sizes):
        block = X_syn[prev:s]
        for r in range(rows):
            wb = weights[r, prev:s]
            gram[r] += (block.T * wb) @ block
            moment[r] += block.T @ (wb * labels[r, prev:s])
        prev = s
        scale = 1.0 / (n + s) if normalise else 1.0
        grams[:, k] = gram * scale
        moments[:, k] = moment * scale
    diag = np.arange(p)
    pen = np.broadcast_to(np.asarray(penalty, dtype=float), (p,))
    scale_diag = grams[..., diag, diag].max(axis=-1)          # (rows, K): the data's scale
    grams[..., diag, diag] += pen
    try:
        theta = np.linalg.solve(grams, moments[..., None])[..., 0]
        if not np.all(np.isfinite(theta)):
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        theta = np.stack([np.stack([np.linalg.lstsq(g, b, rcond=None)[0] for g, b in zip(gs, bs, strict=True)])
                          for gs, bs in zip(grams, moments, strict=True)])
    # A prefix with fewer used rows than features has a singular Gram matrix: with a penalty
    # tiny against the data's scale the normal equations lose every digit (their condition
    # number is scale / penalty). Solve those systems as the stacked least-squares problem
    # [sqrt(q/N_s) X; sqrt(penalty)] theta ~ [sqrt(q/N_s) y; 0] instead (SVD, no squaring).
    y_real = np.asarray(y_real, dtype=float)
    for r in range(rows):
        for k, s in enumerate(sizes):
            if (n + np.count_nonzero(weights[r, :s])) < p and pen.min() <= 1e-8 * scale_diag[r, k]:
                N_s = (n + s) if normalise else 1.0
                q = np.r_[np.ones(n), weights[r, :s]]
                A = np.vstack([np.sqrt(q / N_s)[:, None] * np.vstack([X_real, X_syn[:s]]), np.diag(np.sqrt(pen))])
                b = np.r_[np.sqrt(q / N_s) * np.r_[y_real, labels[r, :s]], np.zeros(p)]
                theta[r, k] = np.linalg.lstsq(A, b, rcond=None)[0]
    return theta if many else theta[0]

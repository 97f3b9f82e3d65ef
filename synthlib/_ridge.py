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

from ._validation import check_array, check_bool, check_count_vector, check_scalar

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
        Not empty.
    penalty : float or ndarray (p,)
        Diagonal penalty, finite and >= 0 (a vector leaves, e.g., an intercept
        unpenalised with a 0).
    syn_weights : ndarray (M,) or (R, M), optional
        Weights q >= 0 of the synthetic rows (the verifier's 0/1 decisions); default ones.
    normalise : bool
        Divide the data terms by :math:`N_s = n + s`.

    All arrays are finite and real; ``X_real`` may have no rows (n = 0) and ``X_syn``
    no rows when every size is 0.

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
    X_real, y_real, X_syn, y_syn, sizes, penalty, syn_weights, normalise = _check_inputs(
        X_real, y_real, X_syn, y_syn, sizes, penalty, syn_weights, normalise)
    n, p = X_real.shape
    many = y_syn.ndim == 2 or (syn_weights is not None and np.ndim(syn_weights) == 2)
    rows = max(y_syn.shape[0] if y_syn.ndim == 2 else 1,
               np.shape(syn_weights)[0] if syn_weights is not None and np.ndim(syn_weights) == 2 else 1)
    labels = np.broadcast_to(y_syn, (rows, X_syn.shape[0]))
    weights = (np.ones((rows, X_syn.shape[0])) if syn_weights is None
               else np.broadcast_to(np.asarray(syn_weights, dtype=float), (rows, X_syn.shape[0])))
    sizes = [int(s) for s in sizes]
    gram0 = X_real.T @ X_real
    moment0 = X_real.T @ y_real
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
    for r in range(rows):
        for k, s in enumerate(sizes):
            if (n + np.count_nonzero(weights[r, :s])) < p and pen.min() <= 1e-8 * scale_diag[r, k]:
                N_s = (n + s) if normalise else 1.0
                q = np.r_[np.ones(n), weights[r, :s]]
                A = np.vstack([np.sqrt(q / N_s)[:, None] * np.vstack([X_real, X_syn[:s]]), np.diag(np.sqrt(pen))])
                b = np.r_[np.sqrt(q / N_s) * np.r_[y_real, labels[r, :s]], np.zeros(p)]
                theta[r, k] = np.linalg.lstsq(A, b, rcond=None)[0]
    return theta if many else theta[0]


def _check_inputs(X_real, y_real, X_syn, y_syn, sizes, penalty, syn_weights, normalise):
    """Validate and convert the arguments of :func:`ridge_prefix_path` (messages name them)."""
    X_real = check_array(X_real, "X_real", ndim=2, allow_empty=True)
    n, p = X_real.shape
    if p == 0:
        raise ValueError(f"X_real has shape {X_real.shape}: expected at least one feature")
    y_real = check_array(y_real, "y_real", ndim=1, allow_empty=True)
    if y_real.shape[0] != n:
        raise ValueError(f"X_real has {n} rows but y_real has {y_real.shape[0]} entries: expected equal")
    X_syn = check_array(X_syn, "X_syn", ndim=2, allow_empty=True)
    if X_syn.shape[1] != p:
        raise ValueError(f"X_syn has {X_syn.shape[1]} columns but X_real has {p}: expected equal")
    M = X_syn.shape[0]
    y_syn = _check_synthetic_rows(y_syn, "y_syn", M)
    if syn_weights is not None:
        syn_weights = _check_synthetic_rows(syn_weights, "syn_weights", M)
        if np.any(syn_weights < 0):
            raise ValueError(f"syn_weights contains {float(syn_weights[syn_weights < 0][0])!r}: "
                             "expected weights >= 0")
        if y_syn.ndim == 2 and syn_weights.ndim == 2 and 1 not in (y_syn.shape[0], syn_weights.shape[0]) \
                and y_syn.shape[0] != syn_weights.shape[0]:
            raise ValueError(f"y_syn has {y_syn.shape[0]} label rows but syn_weights has {syn_weights.shape[0]} "
                             "weight rows: expected equal")
    sizes = check_count_vector(sizes, "sizes", low=0)
    if sizes.max() > M:
        raise ValueError(f"sizes contains {int(sizes.max())}, more than the {M} rows of X_syn: "
                         f"expected sizes <= len(X_syn) = {M}")
    if np.any(np.diff(sizes) < 0):
        raise ValueError(f"sizes={sizes.tolist()} is invalid: expected sizes in ascending order")
    penalty = check_scalar(penalty, "penalty", low=0, allow_array=True)
    if np.ndim(penalty) not in (0, 1) or np.size(penalty) not in (1, p):
        raise ValueError(f"penalty has shape {np.shape(penalty)}: expected a number or a vector of "
                         f"length p = {p} (the columns of X_real)")
    normalise = check_bool(normalise, "normalise")
    return X_real, y_real, X_syn, y_syn, sizes, penalty, syn_weights, normalise


def _check_synthetic_rows(value, name, M):
    """A finite (M,) or (R, M) array over the rows of the synthetic pool."""
    arr = check_array(value, name, allow_empty=True)
    if arr.ndim not in (1, 2):
        raise ValueError(f"{name} has {arr.ndim} dimension(s) (shape {arr.shape}): expected (M,) or (R, M)")
    if arr.shape[-1] != M or (arr.ndim == 2 and arr.shape[0] == 0):
        raise ValueError(f"{name} has shape {arr.shape} but X_syn has {M} rows: expected ({M},) or (R, {M})")
    return arr

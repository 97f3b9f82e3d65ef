"""Losses, per-sample scores and the two solvers the fast VTSS routes rely on.

The book's convention (spec part III §1.1): class 0 is the majority, class 1
the minority, and every synthetic point carries the minority label. Inside
this module labels are already encoded as ``t = 1`` (minority) and ``t = 0``
(majority); the public functions take the user's labels and a
``minority_class``.
"""
from __future__ import annotations

import numpy as np
from scipy.special import expit

from .._validation import check_array

__all__ = [
    "balanced_log_loss",
    "balanced_squared_loss",
    "synthetic_size",
]

#: probabilities are clipped to [EPS, 1 - EPS] before taking logs, as sklearn does
_PROB_EPS = 1e-15


def _encode_minority(y_true, minority_class, name="y_true"):
    y_true = np.asarray(y_true)
    if y_true.ndim != 1:
        raise ValueError(f"{name} has shape {y_true.shape}: expected a 1-d array of labels")
    is_min = y_true == minority_class
    if not np.any(is_min) or np.all(is_min):
        raise ValueError(
            f"{name} must contain both the minority class {minority_class!r} and at least one "
            "other label: the balanced loss averages the two classes separately"
        )
    return is_min


def balanced_log_loss(y_true, p_minority, *, minority_class=1):
    r"""Balanced log-loss: the two class means of the log-loss, weighted ½ each.

    .. math:: \tfrac12\,\overline{-\log(1-p)}_{y\ne 1}+\tfrac12\,\overline{-\log p}_{y=1},

    with :math:`p` the predicted probability of the minority class (spec
    part III §4.1). This is the empirical balanced risk :math:`R_{\rm bal}`
    of the logistic loss, the criterion VTSS minimises on real validation data.

    Parameters
    ----------
    y_true : array_like of shape (n,)
        True labels; every label other than ``minority_class`` is the majority.
    p_minority : array_like of shape (n,)
        Predicted probability of ``minority_class``; clipped to
        ``[1e-15, 1 - 1e-15]``.
    minority_class : label, default 1

    Returns
    -------
    float

    Examples
    --------
    >>> from synthlib.imbalance import balanced_log_loss
    >>> round(balanced_log_loss([0, 0, 0, 1], [0.5, 0.5, 0.5, 0.5]), 4)  # log 2
    0.6931
    """
    is_min = _encode_minority(y_true, minority_class)
    p = check_array(p_minority, "p_minority", shape=(is_min.size,))
    p = np.clip(p, _PROB_EPS, 1 - _PROB_EPS)
    return float(0.5 * np.mean(-np.log1p(-p[~is_min])) + 0.5 * np.mean(-np.log(p[is_min])))


def balanced_squared_loss(y_true, score, *, minority_class=1):
    r"""Balanced mean squared error against 0/1 targets (minority = 1).

    .. math:: \tfrac12\,\overline{f(x)^2}_{y\ne1}+\tfrac12\,\overline{(f(x)-1)^2}_{y=1}.

    This is the VTSS criterion for least-squares learners (spec §4.1, the
    "balanced MSE" of examples E1/E2).

    Examples
    --------
    >>> from synthlib.imbalance import balanced_squared_loss
    >>> balanced_squared_loss([0, 0, 1], [0.0, 1.0, 1.0])
    0.25
    """
    is_min = _encode_minority(y_true, minority_class)
    f = check_array(score, "score", shape=(is_min.size,))
    return float(0.5 * np.mean(f[~is_min] ** 2) + 0.5 * np.mean((f[is_min] - 1.0) ** 2))


def synthetic_size(gamma, n0, n1):
    r"""Number of synthetic minority points for the multiplier ``gamma``.

    :math:`\tilde n = \max(0, \mathrm{round}(\gamma (n_0 - n_1)))`, rounding
    halves up, so ``gamma = 1`` is naive full balancing (spec §1.1). Works
    elementwise on an array of multipliers.

    Examples
    --------
    >>> from synthlib.imbalance import synthetic_size
    >>> synthetic_size(1.0, 4000, 200)
    3800
    >>> synthetic_size([0.0, 0.5, 1.5], 30, 10).tolist()
    [0, 10, 30]
    """
    gap = int(n0) - int(n1)
    g = np.asarray(gamma, dtype=float)
    sizes = np.maximum(0, np.floor(g * gap + 0.5)).astype(np.int64)
    return int(sizes) if sizes.ndim == 0 else sizes


# --------------------------------------------------------------------------- scores
def _design(X, fit_intercept):
    """Rows z = (x, 1) when an intercept is fitted, else z = x."""
    if fit_intercept:
        return np.hstack([X, np.ones((X.shape[0], 1))])
    return X


def _scores_hessians(Z, t, theta, loss):
    """Per-sample gradients s_i and the per-sample Hessian weights.

    Returns ``scores`` (n, p) and ``w`` (n,) with Hessian_i = w_i z_i z_i^T.
    ``loss`` is "log_loss" (t in {0,1}), "squared" ((z'θ - t)^2, t in {0,1})
    or "centred_squared" ((z'θ - (t - 1/2))^2, example E5).
    """
    eta = Z @ theta
    if loss == "log_loss":
        p = expit(eta)
        return (p - t)[:, None] * Z, p * (1.0 - p)
    target = t - 0.5 if loss == "centred_squared" else t
    return (2.0 * (eta - target))[:, None] * Z, np.full(Z.shape[0], 2.0)


def _solve_psd(A, b):
    """Solve A x = b for a symmetric PSD A; falls back to the pseudo-inverse."""
    # numpy's LAPACK call has far less overhead than scipy's for the small
    # (p x p) systems of a gamma sweep
    try:
        x = np.linalg.solve(A, b)
        if np.all(np.isfinite(x)):
            return x
    except np.linalg.LinAlgError:
        pass
    return np.linalg.lstsq(A, b, rcond=None)[0]


def _regularised_inverse(A):
    """Pseudo-inverse with ridge 1e-8·max(1, tr/p), as the revised code does (spec §2.7)."""
    p = A.shape[0]
    ridge = 1e-8 * max(1.0, float(np.trace(A)) / p)
    return np.linalg.pinv(A + ridge * np.eye(p))


# --------------------------------------------------------------------------- solvers
def _logistic_newton(Z, t, *, C=1e6, penalize=None, weights=None, theta0=None,
                     tol=1e-10, max_iter=100):
    r"""Minimise :math:`C\sum_i w_i[\log(1+e^{z_i^\top\theta})-t_iz_i^\top\theta]+\tfrac12\theta^\top P\theta`.

    This is scikit-learn's ``LogisticRegression`` objective (l2 penalty on the
    coefficients, unpenalised intercept), solved by damped Newton steps. It is
    cheap to warm-start along a growing synthetic prefix, which is what makes
    the VTSS "newton" route fast. Returns ``(theta, converged)``.
    """
    n, p = Z.shape
    w = np.ones(n) if weights is None else weights
    lam = 0.0 if not np.isfinite(C) else 1.0 / C
    pen = np.ones(p) if penalize is None else np.asarray(penalize, dtype=float)
    pen = lam * pen
    theta = np.zeros(p) if theta0 is None else np.array(theta0, dtype=float)
    eta = Z @ theta
    scale = float(np.sum(w))
    # an unpenalised, separable problem never converges: a hard cap on the norm
    # stops the iteration and the caller falls back to scikit-learn.

    def objective(eta_, theta_):
        return float(np.sum(w * (np.logaddexp(0.0, eta_) - t * eta_)) + 0.5 * np.dot(pen * theta_, theta_))

    f = None    # objective, evaluated only when a line search needs it
    for _ in range(max_iter):
        mu = expit(eta)
        grad = Z.T @ (w * (mu - t)) + pen * theta
        if np.max(np.abs(grad)) <= tol * scale:
            return theta, True
        hw = w * mu * (1.0 - mu)
        hess = (Z.T * hw) @ Z
        hess[np.diag_indices(p)] += pen
        step = _solve_psd(hess, grad)
        decrement = float(grad @ step)
        if decrement <= 0.5:
            # inside the region of quadratic convergence the full Newton step is
            # always accepted; skipping the objective here halves the cost of a
            # warm-started sweep
            theta = theta - step
            eta = Z @ theta
            f = None
            continue
        if f is None:
            f = objective(eta, theta)
        s = 1.0
        while True:
            theta_new = theta - s * step
            eta_new = Z @ theta_new
            f_new = objective(eta_new, theta_new)
            # Armijo, with a rounding allowance: near the optimum f changes by
            # less than its floating-point resolution
            if f_new <= f - 1e-4 * s * decrement + 1e-12 * abs(f) or s < 1e-8:
                break
            s *= 0.5
        theta, eta, f = theta_new, eta_new, f_new
        if not np.all(np.isfinite(theta)) or np.max(np.abs(theta)) > 1e8:
            return theta, False
    mu = expit(eta)
    grad = Z.T @ (w * (mu - t)) + pen * theta
    return theta, bool(np.max(np.abs(grad)) <= tol * scale * 10)


def _ridge_prefix_path(Z_real, t_real, Z_syn, t_syn, sizes, penalty):
    r"""Least-squares fits on the real rows plus each synthetic prefix ``Z_syn[:s]``.

    Solves :math:`(Z^\top Z + \mathrm{diag}(\text{penalty}))\theta = Z^\top t`
    for every ``s`` in ``sizes`` (ascending). The Gram matrix and moment vector
    of a prefix are running sums of the previous prefix's, so the whole path
    costs one pass over the synthetic pool plus one small solve per size.

    Returns an array of shape (len(sizes), p).
    """
    p = Z_real.shape[1]
    grams = np.empty((len(sizes), p, p))
    moments = np.empty((len(sizes), p))
    gram, moment, prev = Z_real.T @ Z_real, Z_real.T @ t_real, 0
    # block increments: cheaper than a cumulative sum of all outer products, and O(p^2) memory
    for k, s in enumerate(sizes):
        block = Z_syn[prev:s]
        gram = gram + block.T @ block
        moment = moment + block.T @ t_syn[prev:s]
        prev = s
        grams[k] = gram
        moments[k] = moment
    grams[:, np.arange(p), np.arange(p)] += penalty
    try:
        return np.linalg.solve(grams, moments[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return np.stack([np.linalg.lstsq(g, m, rcond=None)[0] for g, m in zip(grams, moments)])

"""The numerics layer of Part III: designs, per-sample scores, PSD solves and the two solvers
the fast VTSS routes and the diagnostics rely on.

Labels are already encoded here as ``t = 1`` (minority) and ``t = 0`` (majority).
"""
from __future__ import annotations

import functools

import numpy as np
from scipy.special import expit

from .._ridge import ridge_prefix_path
from .._threads import blas_threads_limit
from .._validation import check_scalar

__all__: list[str] = []


def single_blas_thread(func):
    """Run ``func`` with BLAS limited to one thread (many small fits: one thread is fastest).

    Part III's Monte-Carlo loops and cross-fitted diagnostics solve thousands of
    :math:`p\times p` systems with small :math:`p`; multi-threaded BLAS only adds overhead
    there (see :mod:`synthlib._threads`). The limit is restored on return, so callers never
    need a process-wide ``threadpool_limits``.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with blas_threads_limit(1):
            return func(*args, **kwargs)

    return wrapper


def check_inverse_penalty(C, name="C"):
    """The inverse l2 penalty of a logistic fit: a number > 0, or ``numpy.inf`` (no penalty)."""
    if isinstance(C, (int, float, np.integer, np.floating)) and not isinstance(C, (bool, np.bool_)) \
            and C == np.inf:
        return float(C)
    return check_scalar(C, name, low=0, low_inclusive=False)


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

    Solves :math:`(Z^\top Z + \mathrm{diag}(\text{penalty}))\theta = Z^\top t` for every
    ``s`` in ``sizes`` (ascending) through the shared nested-prefix routine
    :func:`synthlib._ridge.ridge_prefix_path`. Returns an array of shape (len(sizes), p).
    """
    return ridge_prefix_path(Z_real, t_real, Z_syn, t_syn, sizes, penalty)

r"""Public building blocks of the bias decomposition on samples: a logistic fit and loss moments.

Chapter 8 estimates the inputs of :func:`excess_risk_expansion` for a logistic model
from large samples: the balanced minimiser :math:`\theta^*`, and per law the mean score,
the mean Hessian and the score covariance at :math:`\theta^*`. These are the functions
it uses; the diagnostics (:func:`local_symmetry_test`, :func:`generator_quality_score`)
run on the same private core.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validation import ConvergenceError, check_array, check_integer, check_scalar
from ._numerics import _design, _logistic_newton, _scores_hessians, check_inverse_penalty

__all__ = ["logistic_fit", "loss_moments", "LossMoments"]

_LOSSES = ("log_loss", "squared", "centred_squared")


class LossMoments(NamedTuple):
    """Moments of the per-sample loss at one parameter (unpacks as a triple).

    Attributes
    ----------
    gradient : numpy.ndarray (p,)
        Mean score :math:`\\bar s=\\frac1n\\sum_i\\nabla\\ell(\\theta;z_i,t_i)`.
    hessian : numpy.ndarray (p, p)
        Mean Hessian.
    score_covariance : numpy.ndarray (p, p)
        Covariance of the scores (ddof 1).
    """

    gradient: np.ndarray
    hessian: np.ndarray
    score_covariance: np.ndarray


def _moments(Z, t, theta, loss):
    s, hw = _scores_hessians(Z, t, theta, loss)
    return LossMoments(s.mean(axis=0), (Z.T * hw) @ Z / Z.shape[0], np.cov(s, rowvar=False, ddof=1))


def _check_bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value!r} is invalid: expected True or False")
    return bool(value)


def _labels(y, n):
    t = check_array(y, "y")
    t = np.full(n, float(t)) if t.ndim == 0 else t
    if t.shape != (n,) or not np.all((t == 0) | (t == 1)):
        raise ValueError(f"y is invalid: expected 0/1 labels (1 = minority), one per row of X ({n})")
    return t


def logistic_fit(X, y, *, sample_weight=None, fit_intercept=True, C=np.inf, tol=1e-10, max_iter=100):
    r"""Weighted logistic regression by damped Newton steps (intercept last, unpenalised).

    Minimises :math:`C\sum_iw_i[\log(1+e^{z_i^\top\theta})-t_iz_i^\top\theta]+\tfrac12\|\beta\|^2`
    with :math:`z=(x,1)` when ``fit_intercept`` and :math:`\beta` the coefficients
    (scikit-learn's objective); ``C=numpy.inf`` (default) is the unpenalised fit.

    Parameters
    ----------
    X : array_like (n, d)
    y : array_like (n,) of 0/1 labels (1 = minority), both present
    sample_weight : array_like (n,) of weights >= 0, optional
    fit_intercept : bool
    C : float > 0 or numpy.inf
    tol, max_iter : stop when max|gradient| <= tol · sum(w)

    Returns
    -------
    numpy.ndarray (d + 1,) or (d,)

    Raises
    ------
    synthlib.ConvergenceError
        If Newton's method does not converge (e.g. separable data without a penalty).

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import logistic_fit
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(4000, 1))
    >>> y = (rng.random(4000) < 1 / (1 + np.exp(-(2 * X[:, 0] - 1)))).astype(int)
    >>> logistic_fit(X, y).round(1).tolist()
    [2.0, -1.0]
    """
    X = check_array(X, "X", ndim=2)
    t = _labels(y, X.shape[0])
    if t.size and np.all(t == t[0]):
        raise ValueError(f"y has one class only (every label is {int(t[0])}): a logistic fit needs both "
                         "labels 0 and 1 (with one class the unpenalised fit has no minimiser)")
    Z = _design(X, _check_bool(fit_intercept, "fit_intercept"))
    if Z.shape[0] == 0 or Z.shape[1] == 0:
        raise ValueError(f"X has shape {X.shape}: expected at least one row and one parameter")
    w = None if sample_weight is None else check_array(sample_weight, "sample_weight", shape=(X.shape[0],))
    if w is not None and (np.any(w < 0) or not w.sum() > 0):
        raise ValueError("sample_weight is invalid: expected weights >= 0 with a positive total")
    pen = np.ones(Z.shape[1])
    if fit_intercept:
        pen[-1] = 0.0
    theta, ok = _logistic_newton(Z, t, C=check_inverse_penalty(C), penalize=pen, weights=w,
                                 tol=check_scalar(tol, "tol", low=0, low_inclusive=False),
                                 max_iter=check_integer(max_iter, "max_iter", low=1))
    if not ok:
        scale = float(np.sum(w)) if w is not None else float(Z.shape[0])
        grad = Z.T @ ((np.ones_like(t) if w is None else w) * (1 / (1 + np.exp(-np.clip(Z @ theta, -700, 700))) - t))
        raise ConvergenceError("logistic_fit: Newton's method did not converge (separable data without a "
                               "penalty? pass a finite C)", float(np.max(np.abs(grad))) / scale, max_iter)
    return theta


def loss_moments(X, y, theta, *, loss="log_loss", fit_intercept=True):
    r"""Mean score, mean Hessian and score covariance of a loss at ``theta`` on the rows of ``X``.

    For the logistic loss the score is :math:`(\sigma(z^\top\theta)-t)z` and the Hessian
    :math:`\sigma(1-\sigma)zz^\top`; ``"squared"`` is :math:`(z^\top\theta-t)^2`,
    ``"centred_squared"`` :math:`(z^\top\theta-(t-\frac12))^2`.

    Parameters
    ----------
    X : array_like (n, d), n >= 2
    y : 0/1 label (scalar, e.g. 1 for synthetic rows) or array_like (n,)
    theta : array_like (d + 1,) with ``fit_intercept`` (intercept last), else (d,)

    Returns
    -------
    LossMoments
        ``(gradient, hessian, score_covariance)``.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import loss_moments
    >>> g, H, S = loss_moments(np.random.default_rng(0).normal(size=(1000, 2)), 1, np.zeros(3))
    >>> g.round(1).tolist()[-1], float(H[-1, -1])     # sigma(0) - 1 = -0.5; sigma'(0) = 0.25
    (-0.5, 0.25)
    """
    if loss not in _LOSSES:
        raise ValueError(f"loss={loss!r} is invalid: expected one of {_LOSSES}")
    X = check_array(X, "X", ndim=2)
    if X.shape[0] < 2:
        raise ValueError(f"X has {X.shape[0]} row(s): expected at least 2 for a score covariance")
    Z = _design(X, _check_bool(fit_intercept, "fit_intercept"))
    theta = check_array(theta, "theta", shape=(Z.shape[1],))
    return _moments(Z, _labels(y, X.shape[0]), theta, loss)

r"""Monte Carlo for the mixed ridge classifier, drawing only what the classifier depends on.

The classifier w = (S/N + γI)⁻¹ b/N depends on the training set only through
S = Σ_kept x xᵀ and b = Σ_kept (label)·x. Both are drawn **exactly** here,
without generating the n + n_syn samples, at O(p³) per trial whatever n + n_syn.

Why this is exact
-----------------
Write every training sample through u = (label)·x:

* a real sample has u = y x = μ + y z with y z ~ N(0, I), so the u_i are
  i.i.d. N(μ, I) whatever the labels, and x xᵀ = u uᵀ;
* a synthetic sample has x̃ = yμ̂ + Ĉ^{1/2} z̃ and training label ỹ = f y
  with f = ±1 the flip; then ũ = y x̃ ~ N(μ̂, Ĉ), ỹ x̃ = f ũ, x̃ x̃ᵀ = ũ ũᵀ,
  and (f, q) is independent of ũ.

Group the kept samples by sign: k₊ unflipped and k₋ flipped ones, with
(k₊, k₋, dropped) ~ Multinomial(n_syn; (1−ε)ϕ, ερ, 1−α). For k i.i.d.
N(c, Σ) vectors with mean ū, Σ u uᵀ = k ū ūᵀ + W with
ū ~ N(c, Σ/k) independent of W ~ Wishart(k − 1, Σ) (Cochran). Hence

.. math:: S = n\bar u_r\bar u_r^\top + k_+\bar u_+\bar u_+^\top + k_-\bar u_-\bar u_-^\top
             + W_{n-1}(I) + \hat C^{1/2} W_{(k_+-1)^+ + (k_--1)^+}(I)\,\hat C^{1/2},
   \qquad b = n\bar u_r + k_+\bar u_+ - k_-\bar u_- ,

all independent. A Wishart(k, I) in dimension d is drawn as B Bᵀ with B
the Bartlett lower-triangular factor when k >= d and a d×k Gaussian matrix
otherwise. Any F with F Fᵀ = Ĉ may replace Ĉ^{1/2}: in the general model F
is diag(√λ) in the eigenbasis of Ĉ (all vectors rotated once, which leaves
μᵀw and ‖w‖ unchanged); in the toy model, F is the Bartlett factor of the
fresh Wishart Ĉ itself, so no square root is ever computed.

Per trial: the exact conditional accuracy Φ(μᵀw/‖w‖), μᵀw and the exact
conditional second moment (μᵀw)² + ‖w‖² (chapter 3), via one Cholesky
factorisation (no inverse). When that system is singular to working precision
(γ tiny and fewer training samples than features, so S has rank < p), w is
taken instead from the SVD of the p × r factor H of S = H Hᵀ: with b = H c,
w = U diag(s/(s²/N + γ)) Vᵀc / N, exact for every γ > 0. The naive route, for
comparison, lives in the tests and the benchmark.

This module draws for a model given by its factors (means, F with F Fᵀ = Ĉ, the
real variances); :class:`~synthlib.rmt.GeneratorSpectrum` and
:class:`~synthlib.rmt.CovarianceModel` call :func:`simulate_factors` from their
``simulate`` method, and :func:`simulate_toy` / :func:`simulate_synthetic_only`
draw their own factors.
"""
from __future__ import annotations

import functools

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.special import ndtr

from .._deprecation import renamed_parameters
from .._random import check_random_state
from .._stats import summarize
from .._threads import blas_threads_limit
from .._validation import check_bool
from ._checks import (
    check_finite_output,
    check_some_training_data,
    count,
    floating_point_guard,
    nonnegative,
    positive,
    probability,
)
from ._model import verification
from ._results import SimulationResult

__all__ = ["simulate_toy", "simulate_synthetic_only", "white_wishart", "wishart_factor", "draw_classifier",
           "simulate_factors"]


@functools.lru_cache(maxsize=8)
def _strict_lower_indices(dim: int):
    return np.tril_indices(dim, -1)


def wishart_factor(rng, dim: int, dof: int) -> np.ndarray:
    """A matrix B with B Bᵀ ~ Wishart_dim(dof, I).

    Bartlett's lower-triangular factor when dof >= dim (B_ii² ~ χ²(dof − i),
    B_ij ~ N(0, 1) below the diagonal), else a dim×dof Gaussian matrix.
    """
    if dof <= 0:
        return np.zeros((dim, 0))
    if dof < dim:
        return rng.standard_normal((dim, dof))
    rows, cols = _strict_lower_indices(dim)
    factor = np.zeros((dim, dim))
    factor[rows, cols] = rng.standard_normal(rows.size)
    factor[np.diag_indices(dim)] = np.sqrt(rng.chisquare(dof - np.arange(dim)))
    return factor


@renamed_parameters(keyword_only_from="random_state")
def white_wishart(p, n_hat, *, random_state=None, blas_threads=1):
    r"""Draw Ĉ = (1/n̂) Z Zᵀ, Z a p×n̂ standard Gaussian matrix, at O(p³) cost whatever n̂.

    Exact in law: when n̂ >= p, Z Zᵀ = A Aᵀ with A Bartlett's lower-triangular
    factor (A_ii² ~ χ²(n̂ − i + 1), A_ij ~ N(0, 1) below the diagonal), so only
    p(p+1)/2 random numbers are drawn instead of p n̂; when n̂ < p, Z itself
    is drawn. Used for eigenvalue histograms at large n̂ (Figure 1 of the paper:
    p = 500, n̂ = 50 000).

    Parameters
    ----------
    p, n_hat : int >= 1
    random_state : None, int or numpy.random.Generator, keyword only
    blas_threads : int or None, keyword only

    Returns
    -------
    ndarray (p, p)

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import white_wishart, mp_edges
    >>> eigvals = np.linalg.eigvalsh(white_wishart(400, 4000, random_state=0))
    >>> a, b = mp_edges(0.1)
    >>> bool(a - 0.05 < eigvals.min() and eigvals.max() < b + 0.05)
    True
    """
    p = count(p, "p", low=1)
    n_hat = count(n_hat, "n_hat", low=1)
    rng = check_random_state(random_state)
    with blas_threads_limit(blas_threads, name="blas_threads"):
        factor = wishart_factor(rng, p, n_hat)
        return factor @ factor.T / n_hat


def draw_classifier(rng, n, n_syn, keep_clean, keep_flipped, mu, mu_synthetic, synthetic_factor, gamma,
                    with_trace=False, real_factor=None):
    r"""One exact draw of the ridge classifier w from the sufficient statistics (S, b).

    Parameters
    ----------
    rng : numpy.random.Generator
    n, n_syn : int
        Real samples and synthetic samples before pruning.
    keep_clean, keep_flipped : float
        (1−ε)ϕ and ερ: probabilities that a synthetic sample is kept with a
        correct / a flipped label.
    mu, mu_synthetic : ndarray (p,)
        Means of u for real and synthetic samples (μ and μ̂).
    synthetic_factor : ndarray (p,) or (p, r)
        F with F Fᵀ = Ĉ; a 1-d array means diag(F).
    gamma : float
    with_trace : bool
        Also return (1/p) tr Q.
    real_factor : ndarray (p,) or None
        Diagonal of a factor of the real covariance (real noise
        N(0, diag(real_factor)²)); ``None`` is the identity (the same
        random draws as before this option existed).

    Returns
    -------
    w : ndarray (p,)
    trace : float or None
    """
    p = mu.size
    N = n + n_syn
    diagonal = synthetic_factor.ndim == 1
    rank = p if diagonal else synthetic_factor.shape[1]

    def apply_factor(v):
        if not diagonal:
            return synthetic_factor @ v
        return synthetic_factor * v if v.ndim == 1 else synthetic_factor[:, None] * v

    columns = []   # S = H Hᵀ with H = [√k ū ..., Wishart factors]
    weights = []   # b = H c: c is √k (± for the synthetic means) on the mean columns, 0 elsewhere
    b = np.zeros(p)
    if n > 0 and real_factor is None:
        mean_real = mu + rng.standard_normal(p) / np.sqrt(n)
        columns.append(np.sqrt(n) * mean_real[:, None])
        b += n * mean_real
        columns.append(wishart_factor(rng, p, n - 1))
    elif n > 0:   # real noise N(0, diag(real_factor)²): the same draws, scaled row-wise
        mean_real = mu + real_factor * rng.standard_normal(p) / np.sqrt(n)
        columns.append(np.sqrt(n) * mean_real[:, None])
        b += n * mean_real
        columns.append(real_factor[:, None] * wishart_factor(rng, p, n - 1))
    if n > 0:
        weights += [np.array([np.sqrt(n)]), np.zeros(columns[-1].shape[1])]
    k_clean, k_flipped, _ = rng.multinomial(n_syn, [keep_clean, keep_flipped, 1.0 - keep_clean - keep_flipped])
    for k, sign in ((k_clean, 1.0), (k_flipped, -1.0)):
        if k > 0:
            mean_syn = mu_synthetic + apply_factor(rng.standard_normal(rank)) / np.sqrt(k)
            columns.append(np.sqrt(k) * mean_syn[:, None])
            b += sign * k * mean_syn
            weights.append(np.array([sign * np.sqrt(k)]))
    dof = max(k_clean - 1, 0) + max(k_flipped - 1, 0)
    if dof > 0:
        columns.append(apply_factor(wishart_factor(rng, rank, dof)))
        weights.append(np.zeros(columns[-1].shape[1]))
    H = np.hstack(columns) if columns else np.zeros((p, 0))
    system = H @ H.T / N
    if not np.all(np.isfinite(system)):   # LAPACK may not return on NaN input: refuse before factorising
        raise ValueError("the training statistics overflow: the means (mu_norm, mu, mu_hat) or covariances are "
                         "beyond floating-point range; expected moderate values")
    scale = float(np.max(np.diag(system))) if p else 0.0
    system[np.diag_indices(p)] += gamma
    try:
        chol = cholesky(system, lower=True, check_finite=False)
        pivots = np.abs(np.diag(chol))
        # a pivot this small means S/N + γI is singular to working precision (γ tiny, rank S < p)
        if not np.all(np.isfinite(pivots)) or pivots.min() ** 2 <= 1e-9 * max(pivots.max() ** 2, scale):
            raise np.linalg.LinAlgError
    except np.linalg.LinAlgError:
        return _classifier_by_svd(H, np.concatenate(weights) if weights else np.zeros(0), N, gamma, with_trace)
    w = cho_solve((chol, True), b / N, check_finite=False)
    trace = None
    if with_trace:
        inverse_factor = solve_triangular(chol, np.eye(p), lower=True, check_finite=False)
        trace = float(np.sum(inverse_factor ** 2)) / p   # tr Q = ‖L⁻¹‖²_F
    return w, trace


def _classifier_by_svd(H, c, N, gamma, with_trace):
    """w = (HHᵀ/N + γI)⁻¹ H c / N and (1/p) tr of that inverse, from the thin SVD of H (any rank, any γ > 0)."""
    p = H.shape[0]
    U, s, Vt = np.linalg.svd(H, full_matrices=False)
    s = s[s > max(H.shape) * np.finfo(float).eps * 10 * (s.max() if s.size else 0.0)]   # drop rounding noise
    U, Vt = U[:, :s.size], Vt[:s.size]
    shrink = s ** 2 / N + gamma
    w = U @ (s * (Vt @ c) / shrink) / N
    trace = None
    if with_trace:
        # the p − rank directions outside the range of H have eigenvalue γ
        trace = float(np.sum(1.0 / shrink) + (p - s.size) / gamma) / p
        if not np.isfinite(trace):
            raise ValueError(f"gamma={gamma!r} is too small: the resolvent trace (1/p) tr Q ~ 1/gamma "
                             "overflows; expected a larger gamma or resolvent_trace=False")
    return w, trace


def _conditional_metrics(w, mu, real_variances=None):
    """Exact conditional accuracy, mean μᵀw and second moment (μᵀw)² + wᵀC_r w of one classifier.

    ``real_variances`` is the diagonal of C_r in the working basis (``None``: C_r = I).
    """
    mean = float(mu @ w)
    norm2 = float(w @ w) if real_variances is None else float(real_variances @ (w * w))
    if not 1e-250 < norm2 < 1e250 and np.any(w):
        # w near under- or overflow (γ huge or tiny): the accuracy is that of its direction
        direction = w / np.max(np.abs(w))
        spread = direction @ direction if real_variances is None else real_variances @ (direction * direction)
        accuracy = float(ndtr((mu @ direction) / np.sqrt(spread))) if spread > 0 else float(mu @ direction > 0)
        return accuracy, mean, mean ** 2 + norm2
    if norm2 > 0:
        accuracy = float(ndtr(mean / np.sqrt(norm2)))
    else:   # w = 0 predicts one class everywhere (1/2); w in the null space of C_r separates exactly
        accuracy = 0.5 if mean == 0 else float(mean > 0)
    return accuracy, mean, mean ** 2 + norm2


def _summarise(draws, trials, with_trace):
    draws = np.asarray(draws)
    check_finite_output(draws[:, :4] if with_trace else draws[:, :3], "a simulated metric")
    acc, mean, second, trace = (draws[:, j] for j in range(4))
    risk = second - 2 * mean + 1
    parts = {name: summarize(v) for name, v in
             dict(accuracy=acc, mean=mean, second_moment=second, risk=risk).items()}
    extra = {}
    if with_trace:
        tr = summarize(trace)
        extra = dict(resolvent_trace=float(tr.mean), resolvent_trace_se=float(tr.se))
    return SimulationResult(trials=trials, **{k: float(v.mean) for k, v in parts.items()},
                            **{f"{k}_se": float(v.se) for k, v in parts.items()}, **extra)


def _common(n, n_syn, eps, rho, phi, gamma, trials):
    n = count(n, "n")
    n_syn = count(n_syn, "n_syn")
    eps, rho, phi = probability(eps, "eps"), probability(rho, "rho"), probability(phi, "phi")
    for name, value in dict(eps=eps, rho=rho, phi=phi).items():
        if np.ndim(value):
            raise ValueError(f"{name} is an array: expected a single value (use simulate_grid for sweeps)")
    gamma = positive(gamma, "gamma")
    if np.ndim(gamma):
        raise ValueError("gamma is an array: expected a single value (use simulate_grid for sweeps)")
    trials = count(trials, "trials", low=2)
    if n + n_syn == 0:
        raise ValueError("n=0 and n_syn=0 together are invalid: expected n + n_syn > 0")
    alpha, _ = verification(eps, rho, phi)
    check_some_training_data(n, alpha * n_syn, eps, rho, phi)
    keep_clean = phi * (1 - eps)
    keep_flipped = min(rho * eps, 1.0 - keep_clean)
    return n, n_syn, keep_clean, keep_flipped, gamma, trials


@floating_point_guard
def simulate_factors(mu, mu_synthetic, synthetic_factor, n, n_syn, eps, rho, phi, gamma, trials, random_state,
                     resolvent_trace=False, blas_threads=1, real_variances=None):
    r"""Monte Carlo of the mixed classifier for a model given by its factors (the trial loop of
    :meth:`GeneratorSpectrum.simulate <synthlib.rmt.GeneratorSpectrum.simulate>` and
    :meth:`CovarianceModel.simulate <synthlib.rmt.CovarianceModel.simulate>`).

    ``mu``, ``mu_synthetic`` and ``synthetic_factor`` (F with F Fᵀ = Ĉ) are expressed in
    a basis where the real covariance is diagonal, ``real_variances`` (``None``: the
    identity). Validates the scalar parameters.
    """
    n, n_syn, keep_clean, keep_flipped, gamma, trials = _common(n, n_syn, eps, rho, phi, gamma, trials)
    resolvent_trace = check_bool(resolvent_trace, "resolvent_trace")
    rng = check_random_state(random_state)
    real_factor = None if real_variances is None else np.sqrt(real_variances)
    draws = np.empty((trials, 4))
    with blas_threads_limit(blas_threads, name="blas_threads"):
        for t in range(trials):
            w, trace = draw_classifier(rng, n, n_syn, keep_clean, keep_flipped, mu, mu_synthetic,
                                       synthetic_factor, gamma, resolvent_trace, real_factor=real_factor)
            draws[t, :3] = _conditional_metrics(w, mu, real_variances)
            draws[t, 3] = np.nan if trace is None else trace
    return _summarise(draws, trials, resolvent_trace)


@renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
@floating_point_guard
def simulate_toy(p, n, n_hat, n_syn, mu_norm, eps, rho, phi, gamma, trials, *, random_state=None,
                 resolvent_trace=False, blas_threads=1):
    r"""Monte Carlo of the toy model (the model of :func:`theory_toy`).

    Each trial draws a fresh generator covariance Ĉ = (1/n̂) Z Zᵀ, fresh real
    data and synthetic data with mean μ (as in the toy theory and the
    official code's ``empirical_accuracy_toy``), then the classifier through
    its exact sufficient statistics; Ĉ enters only through its Bartlett
    factor, so no square root is taken. μ = ‖μ‖ e₁ (every direction gives
    the same law).

    Parameters
    ----------
    p, n_hat : int >= 1
    n, n_syn : int >= 0, not both 0
        Real and synthetic (before verification) sample sizes.
    mu_norm : float >= 0
    eps, rho, phi : float in [0, 1]
    gamma : float > 0
    trials : int >= 2
    random_state : None, int or numpy.random.Generator, keyword only
    resolvent_trace, blas_threads : see :func:`simulate`, keyword only

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> from synthlib.rmt import simulate_toy, theory_toy
    >>> sim = simulate_toy(100, 200, 200, 400, 0.9, 0.1, 0.0, 1.0, 1.0, trials=100, random_state=1)
    >>> th = theory_toy(100, 200, 200, 400, 0.9, 0.1, 0.0, 1.0, 1.0)
    >>> bool(abs(sim.accuracy - th.accuracy) < 3 * sim.accuracy_se + 0.005)
    True
    """
    p = count(p, "p", low=1)
    n_hat = count(n_hat, "n_hat", low=1)
    mu_norm = nonnegative(mu_norm, "mu_norm")
    if np.ndim(mu_norm):
        raise ValueError("mu_norm is an array: expected a single value (use simulate_toy_grid for sweeps)")
    n, n_syn, keep_clean, keep_flipped, gamma, trials = _common(n, n_syn, eps, rho, phi, gamma, trials)
    resolvent_trace = check_bool(resolvent_trace, "resolvent_trace")
    rng = check_random_state(random_state)
    mu = np.zeros(p)
    mu[0] = mu_norm
    draws = np.empty((trials, 4))
    with blas_threads_limit(blas_threads, name="blas_threads"):
        for t in range(trials):
            factor = wishart_factor(rng, p, n_hat) / np.sqrt(n_hat)   # F Fᵀ = Ĉ, a fresh Wishart
            w, trace = draw_classifier(rng, n, n_syn, keep_clean, keep_flipped, mu, mu, factor, gamma,
                                       resolvent_trace)
            draws[t, :3] = _conditional_metrics(w, mu)
            draws[t, 3] = np.nan if trace is None else trace
    return _summarise(draws, trials, resolvent_trace)


@renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
@floating_point_guard
def simulate_synthetic_only(p, n_syn, mu_norm, eps, rho, phi, gamma, trials, *, random_state=None,
                            blas_threads=1):
    r"""Monte Carlo of synthetic-only training with a perfect generator (the model of
    :func:`theory_synthetic_only`): n = 0, Ĉ = I, μ̂ = μ = ‖μ‖ e₁.

    Parameters
    ----------
    p, n_syn : int >= 1
        Dimension and synthetic sample size before verification.
    mu_norm : float >= 0
    eps, rho, phi : float in [0, 1]
    gamma : float > 0
    trials : int >= 2
    random_state : None, int or numpy.random.Generator, keyword only
    blas_threads : int or None, keyword only

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> from synthlib.rmt import simulate_synthetic_only
    >>> sim = simulate_synthetic_only(20, 40, 1.0, 0.1, 0.3, 0.8, 1.0, trials=10, random_state=0)
    >>> sim.trials, 0 < sim.accuracy < 1
    (10, True)
    """
    p = count(p, "p", low=1)
    n_syn = count(n_syn, "n_syn", low=1)
    mu_norm = nonnegative(mu_norm, "mu_norm")
    if np.ndim(mu_norm):
        raise ValueError("mu_norm is an array: expected a single value")
    n, n_syn, keep_clean, keep_flipped, gamma, trials = _common(0, n_syn, eps, rho, phi, gamma, trials)
    rng = check_random_state(random_state)
    mu = np.zeros(p)
    mu[0] = mu_norm
    factor = np.ones(p)
    draws = np.empty((trials, 4))
    with blas_threads_limit(blas_threads, name="blas_threads"):
        for t in range(trials):
            w, _ = draw_classifier(rng, 0, n_syn, keep_clean, keep_flipped, mu, mu, factor, gamma)
            draws[t, :3] = _conditional_metrics(w, mu)
            draws[t, 3] = np.nan
    return _summarise(draws, trials, False)

r"""Monte Carlo for the mixed ridge classifier, drawing only what the classifier depends on.

The classifier w = (S/N + γI)⁻¹ b/N depends on the training set only through
S = Σ_kept x xᵀ and b = Σ_kept (label)·x. Both are drawn **exactly** here,
without generating the n + m samples, at O(p³) per trial whatever n + m.

Why this is exact
-----------------
Write every training sample through u = (label)·x:

* a real sample has u = y x = μ + y z with y z ~ N(0, I), so the u_i are
  i.i.d. N(μ, I) whatever the labels, and x xᵀ = u uᵀ;
* a synthetic sample has x̃ = yμ̂ + Ĉ^{1/2} z̃ and training label ỹ = f y
  with f = ±1 the flip; then ũ = y x̃ ~ N(μ̂, Ĉ), ỹ x̃ = f ũ, x̃ x̃ᵀ = ũ ũᵀ,
  and (f, q) is independent of ũ.

Group the kept samples by sign: k₊ unflipped and k₋ flipped ones, with
(k₊, k₋, dropped) ~ Multinomial(m; (1−ε)ϕ, ερ, 1−α). For k i.i.d.
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
conditional second moment (μᵀw)² + ‖w‖² (spec §2), via one Cholesky
factorisation (no inverse). The naive route, for comparison, lives in the
tests and the benchmark.
"""
from __future__ import annotations

import functools

import numpy as np
from scipy.linalg import cho_solve, cholesky, solve_triangular
from scipy.special import ndtr

from .._mixture import verification
from .._random import check_random_state
from .._stats import summarize
from ._checks import check_some_training_data, count, nonnegative, positive, probability
from ._results import SimulationResult
from ._covariance import CovarianceModel, covariance_model
from ._theory import GeneratorSpectrum, generator_spectrum
from ._threads import blas_threads_limit

__all__ = ["simulate", "simulate_toy", "simulate_synthetic_only", "white_wishart", "wishart_factor",
           "draw_classifier"]


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


def white_wishart(p, n_hat, random_state=None, *, blas_threads=1):
    r"""Draw Ĉ = (1/n̂) Z Zᵀ, Z a p×n̂ standard Gaussian matrix, at O(p³) cost whatever n̂.

    Exact in law: when n̂ >= p, Z Zᵀ = A Aᵀ with A Bartlett's lower-triangular
    factor (A_ii² ~ χ²(n̂ − i + 1), A_ij ~ N(0, 1) below the diagonal), so only
    p(p+1)/2 random numbers are drawn instead of p n̂; when n̂ < p, Z itself
    is drawn. Used for eigenvalue histograms at large n̂ (Figure 1 of the paper:
    p = 500, n̂ = 50 000).

    Parameters
    ----------
    p, n_hat : int >= 1
    random_state : None, int or numpy.random.Generator
    blas_threads : int or None

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
    with blas_threads_limit(blas_threads):
        factor = wishart_factor(rng, p, n_hat)
        return factor @ factor.T / n_hat


def draw_classifier(rng, n, m, keep_clean, keep_flipped, mu, mu_synthetic, synthetic_factor, gamma,
                    with_trace=False, real_factor=None):
    r"""One exact draw of the ridge classifier w from the sufficient statistics (S, b).

    Parameters
    ----------
    rng : numpy.random.Generator
    n, m : int
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
    N = n + m
    diagonal = synthetic_factor.ndim == 1
    rank = p if diagonal else synthetic_factor.shape[1]

    def apply_factor(v):
        if not diagonal:
            return synthetic_factor @ v
        return synthetic_factor * v if v.ndim == 1 else synthetic_factor[:, None] * v

    columns = []   # S = H Hᵀ with H = [√k ū ..., Wishart factors]
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
    k_clean, k_flipped, _ = rng.multinomial(m, [keep_clean, keep_flipped, 1.0 - keep_clean - keep_flipped])
    for k, sign in ((k_clean, 1.0), (k_flipped, -1.0)):
        if k > 0:
            mean_syn = mu_synthetic + apply_factor(rng.standard_normal(rank)) / np.sqrt(k)
            columns.append(np.sqrt(k) * mean_syn[:, None])
            b += sign * k * mean_syn
    dof = max(k_clean - 1, 0) + max(k_flipped - 1, 0)
    if dof > 0:
        columns.append(apply_factor(wishart_factor(rng, rank, dof)))
    H = np.hstack(columns) if columns else np.zeros((p, 0))
    system = H @ H.T / N
    system[np.diag_indices(p)] += gamma
    chol = cholesky(system, lower=True, check_finite=False)
    w = cho_solve((chol, True), b / N, check_finite=False)
    trace = None
    if with_trace:
        inverse_factor = solve_triangular(chol, np.eye(p), lower=True, check_finite=False)
        trace = float(np.sum(inverse_factor ** 2)) / p   # tr Q = ‖L⁻¹‖²_F
    return w, trace


def _conditional_metrics(w, mu, real_variances=None):
    """Exact conditional accuracy, mean μᵀw and second moment (μᵀw)² + wᵀC_r w of one classifier.

    ``real_variances`` is the diagonal of C_r in the working basis (``None``: C_r = I).
    """
    mean = float(mu @ w)
    norm2 = float(w @ w) if real_variances is None else float(real_variances @ (w * w))
    if norm2 > 0:
        accuracy = float(ndtr(mean / np.sqrt(norm2)))
    else:   # w = 0 predicts one class everywhere (1/2); w in the null space of C_r separates exactly
        accuracy = 0.5 if mean == 0 else float(mean > 0)
    return accuracy, mean, mean ** 2 + norm2


def _summarise(draws, trials, with_trace):
    draws = np.asarray(draws)
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


def _common(n, m, eps, rho, phi, gamma, trials):
    n = count(n, "n")
    m = count(m, "m")
    eps, rho, phi = probability(eps, "eps"), probability(rho, "rho"), probability(phi, "phi")
    for name, value in dict(eps=eps, rho=rho, phi=phi).items():
        if np.ndim(value):
            raise ValueError(f"{name} is an array: expected a single value (use simulate_grid for sweeps)")
    gamma = positive(gamma, "gamma")
    if np.ndim(gamma):
        raise ValueError("gamma is an array: expected a single value (use simulate_grid for sweeps)")
    trials = count(trials, "trials", low=2)
    if n + m == 0:
        raise ValueError("n=0 and m=0 together are invalid: expected n + m > 0")
    alpha, _ = verification(eps, rho, phi)
    check_some_training_data(n, alpha * m, eps, rho, phi)
    keep_clean = phi * (1 - eps)
    keep_flipped = min(rho * eps, 1.0 - keep_clean)
    return n, m, keep_clean, keep_flipped, gamma, trials


def simulate(mu, mu_hat, C_hat, n, m, eps, rho, phi, gamma, trials, random_state=None, *,
             resolvent_trace=False, blas_threads=1, C_real=None):
    r"""Monte Carlo of the mixed classifier for a fixed generator (μ̂, Ĉ) (the model of :func:`theory`).

    Each trial draws n fresh real samples x = yμ + z and m synthetic samples
    x̃ = yμ̂ + Ĉ^{1/2}z̃ with label noise ε and verification (ρ, ϕ), fits the
    ridge classifier (normalised by N = n + m) and records the exact
    conditional test metrics. The training set is never materialised: the
    sufficient statistics are drawn exactly (see the module notes), so a
    trial costs O(p³) whatever n + m.

    Parameters
    ----------
    mu, mu_hat : array_like (p,)
    C_hat : array_like (p, p) symmetric PSD, a :class:`GeneratorSpectrum` or a
        :class:`CovarianceModel` (then ``mu``, ``mu_hat`` and ``C_real`` are
        ignored and may be ``None``).
    n, m : int >= 0, not both 0
    eps, rho, phi : float in [0, 1]
    gamma : float > 0
    trials : int >= 2
    random_state : None, int or numpy.random.Generator
        The same seed gives the same numbers.
    resolvent_trace : bool
        Also estimate (1/p) tr Q (costs one extra triangular inversion per trial).
    blas_threads : int or None
        BLAS threads used inside the trial loop (``None``: the library's
        default). One thread is the fastest for the moderate p of the book,
        and much faster on a busy machine; parallelise across parameter
        points with ``n_jobs`` of :func:`simulate_grid` instead.
    C_real : array_like (p, p) or None, keyword only
        Covariance of the real noise, x = yμ + z with z ~ N(0, C_real)
        (``None``: the identity, the model of the paper). The real
        sufficient statistics are then drawn exactly in the eigenbasis of
        C_real (Σ u uᵀ = n ū ūᵀ + C_real^{1/2} W C_real^{1/2}), and the test
        metrics are the exact conditional ones for a real test point,
        Φ(μᵀw/√(wᵀC_real w)) and (μᵀw)² + wᵀC_real w: the model of
        :func:`theory` with ``C_real``.

    Returns
    -------
    SimulationResult
        Means over trials and standard errors of ``accuracy`` (exact
        conditional accuracy Φ(μᵀw/‖w‖), or Φ(μᵀw/√(wᵀC_real w))), ``mean``
        (μᵀw), ``second_moment`` ((μᵀw)² + ‖w‖², or (μᵀw)² + wᵀC_real w)
        and ``risk``.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import simulate, theory
    >>> p = 50; mu = np.zeros(p); mu[0] = 1.5
    >>> sim = simulate(mu, mu, np.eye(p), 100, 200, 0.2, 0.1, 0.9, 0.5, trials=200, random_state=0)
    >>> th = theory(mu, mu, np.eye(p), 100, 200, 0.2, 0.1, 0.9, 0.5)
    >>> bool(abs(sim.accuracy - th.accuracy) < 3 * sim.accuracy_se + 0.005)
    True

    With an anisotropic real covariance:

    >>> C_real = np.diag(np.linspace(0.2, 3.0, p))
    >>> sim = simulate(mu, mu, np.eye(p), 100, 200, 0.2, 0.1, 0.9, 0.5, trials=200, random_state=0,
    ...                C_real=C_real)
    >>> th = theory(mu, mu, np.eye(p), 100, 200, 0.2, 0.1, 0.9, 0.5, C_real=C_real)
    >>> bool(abs(sim.accuracy - th.accuracy) < 3 * sim.accuracy_se + 0.005)
    True
    """
    if isinstance(C_hat, CovarianceModel) or C_real is not None:
        model = (C_hat if isinstance(C_hat, CovarianceModel)
                 else covariance_model(mu, mu_hat, C_hat, C_real, blas_threads=blas_threads))
        return _simulate_covariance(model, n, m, eps, rho, phi, gamma, trials, random_state,
                                    resolvent_trace, blas_threads)
    spec = (C_hat if isinstance(C_hat, GeneratorSpectrum)
            else generator_spectrum(mu, mu_hat, C_hat, blas_threads=blas_threads))
    n, m, keep_clean, keep_flipped, gamma, trials = _common(n, m, eps, rho, phi, gamma, trials)
    rng = check_random_state(random_state)
    factor = np.sqrt(spec.eigenvalues)
    draws = np.empty((trials, 4))
    with blas_threads_limit(blas_threads):
        for t in range(trials):
            w, trace = draw_classifier(rng, n, m, keep_clean, keep_flipped, spec.mu_coords,
                                       spec.mu_hat_coords, factor, gamma, resolvent_trace)
            draws[t, :3] = _conditional_metrics(w, spec.mu_coords)
            draws[t, 3] = np.nan if trace is None else trace
    return _summarise(draws, trials, resolvent_trace)


def _simulate_covariance(model, n, m, eps, rho, phi, gamma, trials, random_state, resolvent_trace,
                         blas_threads):
    """:func:`simulate` for a :class:`CovarianceModel` (real covariance C_r), in the eigenbasis of C_r."""
    n, m, keep_clean, keep_flipped, gamma, trials = _common(n, m, eps, rho, phi, gamma, trials)
    rng = check_random_state(random_state)
    variances = model.real_eigenvalues
    real_factor = np.sqrt(variances)
    draws = np.empty((trials, 4))
    with blas_threads_limit(blas_threads):
        for t in range(trials):
            w, trace = draw_classifier(rng, n, m, keep_clean, keep_flipped, model.mu_coords,
                                       model.mu_hat_coords, model.synthetic_factor, gamma, resolvent_trace,
                                       real_factor=real_factor)
            draws[t, :3] = _conditional_metrics(w, model.mu_coords, variances)
            draws[t, 3] = np.nan if trace is None else trace
    return _summarise(draws, trials, resolvent_trace)


def simulate_toy(p, n, n_hat, m, mu_norm, eps, rho, phi, gamma, trials, random_state=None, *,
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
    n, m : int >= 0, not both 0
    mu_norm : float >= 0
    eps, rho, phi : float in [0, 1]
    gamma : float > 0
    trials : int >= 2
    random_state : None, int or numpy.random.Generator
    resolvent_trace, blas_threads : see :func:`simulate`

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
    n, m, keep_clean, keep_flipped, gamma, trials = _common(n, m, eps, rho, phi, gamma, trials)
    rng = check_random_state(random_state)
    mu = np.zeros(p)
    mu[0] = mu_norm
    draws = np.empty((trials, 4))
    with blas_threads_limit(blas_threads):
        for t in range(trials):
            factor = wishart_factor(rng, p, n_hat) / np.sqrt(n_hat)   # F Fᵀ = Ĉ, a fresh Wishart
            w, trace = draw_classifier(rng, n, m, keep_clean, keep_flipped, mu, mu, factor, gamma,
                                       resolvent_trace)
            draws[t, :3] = _conditional_metrics(w, mu)
            draws[t, 3] = np.nan if trace is None else trace
    return _summarise(draws, trials, resolvent_trace)


def simulate_synthetic_only(p, m, mu_norm, eps, rho, phi, gamma, trials, random_state=None, *,
                            blas_threads=1):
    r"""Monte Carlo of synthetic-only training with a perfect generator (the model of
    :func:`theory_synthetic_only`): n = 0, Ĉ = I, μ̂ = μ = ‖μ‖ e₁.

    Examples
    --------
    >>> from synthlib.rmt import simulate_synthetic_only
    >>> sim = simulate_synthetic_only(20, 40, 1.0, 0.1, 0.3, 0.8, 1.0, trials=10, random_state=0)
    >>> sim.trials, 0 < sim.accuracy < 1
    (10, True)
    """
    p = count(p, "p", low=1)
    m = count(m, "m", low=1)
    mu_norm = nonnegative(mu_norm, "mu_norm")
    if np.ndim(mu_norm):
        raise ValueError("mu_norm is an array: expected a single value")
    n, m, keep_clean, keep_flipped, gamma, trials = _common(0, m, eps, rho, phi, gamma, trials)
    rng = check_random_state(random_state)
    mu = np.zeros(p)
    mu[0] = mu_norm
    factor = np.ones(p)
    draws = np.empty((trials, 4))
    with blas_threads_limit(blas_threads):
        for t in range(trials):
            w, _ = draw_classifier(rng, 0, m, keep_clean, keep_flipped, mu, mu, factor, gamma)
            draws[t, :3] = _conditional_metrics(w, mu)
            draws[t, 3] = np.nan
    return _summarise(draws, trials, False)

r"""The literal end-to-end pipeline of chapter 1: every sample drawn, as a practitioner would.

The transparent reference route of Part II: real data, a Gaussian generator fitted on its
own real sample, synthetic data, label noise, a verifier and the ridge classifier, all
materialised. The fits over the nested synthetic sizes of one trial are one call of the
core routine :func:`synthlib._ridge.ridge_prefix_path` (the same solver Part III uses).
"""
from __future__ import annotations

import numpy as np

from .._deprecation import renamed_parameters
from .._random import check_random_state
from .._ridge import ridge_prefix_path
from .._threads import blas_threads_limit
from .._validation import check_scalar
from ._checks import check_finite_output, check_no_bool, count, floating_point_guard, single_probability
from ._model import _corrupt_and_verify, _mixture, conditional_accuracy, fit_gaussian_generator, gaussian_mixture
from ._results import SimulationResult

__all__ = ["simulate_pipeline"]


@renamed_parameters({"m": "n_syn"})
@floating_point_guard
def simulate_pipeline(*, p, n, n_hat, n_syn, mu_norm, eps, rho, phi, gamma, trials, random_state=None):
    r"""Simulate the whole pipeline literally, as a practitioner would run it.

    Each trial draws ``n`` real training samples and, independently, ``n_hat``
    real samples on which the Gaussian generator is fitted (centred at its own
    estimate μ̂); draws the synthetic samples with their true labels; flips each
    label with probability ``eps``; lets the verifier keep it with probability
    ``phi`` (correct label) or ``rho`` (wrong label); fits the ridge classifier
    on real plus kept synthetic samples with loss normalised by N = n + n_syn; and
    scores it with the exact accuracy Φ(μᵀw/‖w‖). μ = ``mu_norm`` e₁.

    Within a trial the synthetic sizes are nested prefixes of one synthetic
    sample, so the curve over ``n_syn`` is smooth (common random numbers) while
    trials stay independent.

    This is the transparent reference route, O(trials · (n + max n_syn) · p²); Part II's
    :func:`synthlib.rmt.simulate` draws the same classifier by cheaper exact routes.

    Parameters
    ----------
    p, n, n_hat : int
        Dimension, real training size, generator's fitting size (n_hat >= 2).
    n_syn : int or sequence of int, ascending
        Synthetic sizes before verification.
    mu_norm : float > 0
    eps, rho, phi : float in [0, 1]
    gamma : float > 0
        Any γ > 0: with fewer training samples than features and γ tiny against the
        data's scale the fit is solved as a least-squares problem (no lost digits).
    trials : int >= 2
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    SimulationResult
        One entry per synthetic size: ``accuracy`` (mean exact test accuracy) and
        ``accuracy_se``, ``mean`` (μᵀw), ``second_moment`` ((μᵀw)² + ‖w‖²), ``risk``,
        each with its standard error; ``n_syn``, ``synthetic_share`` = n_syn/(n + n_syn),
        ``kept_fraction`` (estimates α) and ``draws`` (per-trial accuracies, shape
        (trials, len(n_syn))).

    Examples
    --------
    >>> from synthlib.rmt import simulate_pipeline
    >>> r = simulate_pipeline(p=20, n=40, n_hat=40, n_syn=[0, 40], mu_norm=1.0, eps=0.0,
    ...                       rho=0.0, phi=1.0, gamma=1.0, trials=5, random_state=0)
    >>> r.synthetic_share.tolist()
    [0.0, 0.5]
    >>> bool((r.accuracy > 0.5).all()), r.draws.shape
    (True, (5, 2))
    """
    p = count(p, "p", low=1)
    n = count(n, "n", low=0)
    n_hat = count(n_hat, "n_hat", low=2)
    sizes = _synthetic_sizes(n_syn)
    if n == 0 and sizes[0] == 0:
        raise ValueError("n=0 together with n_syn=0 leaves no training data: expected n + n_syn >= 1")
    mu_norm = check_scalar(mu_norm, "mu_norm", low=0, high=1e100, low_inclusive=False)   # squares must not overflow
    eps, rho, phi = (single_probability(v, name) for v, name in ((eps, "eps"), (rho, "rho"), (phi, "phi")))
    gamma = check_scalar(gamma, "gamma", low=0, low_inclusive=False)
    trials = count(trials, "trials", low=2)
    rng = check_random_state(random_state)

    mu = np.zeros(p)
    mu[0] = mu_norm
    draws = np.empty((trials, sizes.size, 3))
    kept = np.zeros(sizes.size)
    with blas_threads_limit(1):   # small matrices: one BLAS thread is fastest (see synthlib._threads)
        _pipeline_trials(draws, kept, rng, mu, n, n_hat, sizes, eps, rho, phi, gamma)
    check_finite_output(draws, "a simulated metric")
    accuracy, mean, second = draws[..., 0], draws[..., 1], draws[..., 2]
    parts = dict(accuracy=accuracy, mean=mean, second_moment=second, risk=second - 2 * mean + 1)
    values = {}
    for name, d in parts.items():
        values[name] = d.mean(axis=0)
        values[f"{name}_se"] = d.std(axis=0, ddof=1) / np.sqrt(trials)
    return SimulationResult(**values, trials=trials, n_syn=sizes, synthetic_share=sizes / (n + sizes),
                            kept_fraction=kept, draws=accuracy)


def _synthetic_sizes(n_syn):
    """The ascending, non-empty list of synthetic sizes (integers >= 0)."""
    check_no_bool(n_syn, "n_syn")
    try:
        arr = np.atleast_1d(np.asarray(n_syn, dtype=float))
    except (TypeError, ValueError):
        raise ValueError(f"n_syn={n_syn!r} is invalid: expected an integer or a non-empty sequence of "
                         "integers >= 0") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"n_syn={n_syn!r} is invalid: expected an integer or a non-empty sequence of "
                         "integers >= 0")
    sizes = np.array([count(float(v), "n_syn", low=0) for v in arr], dtype=int)
    if np.any(np.diff(sizes) < 0):
        raise ValueError(f"n_syn={sizes.tolist()} is invalid: expected synthetic sizes in ascending order")
    return sizes


def _pipeline_trials(draws, kept, rng, mu, n, n_hat, sizes, eps, rho, phi, gamma):
    """Fill ``draws[t, k]`` with (accuracy, μᵀw, (μᵀw)² + ‖w‖²) of trial t at size ``sizes[k]``."""
    trials, p = draws.shape[0], mu.size
    n_max = int(sizes[-1])
    for t in range(trials):
        X, y = _mixture(n, mu, rng) if n > 0 else (np.empty((0, p)), np.empty(0))
        gen = fit_gaussian_generator(*gaussian_mixture(n_hat, mu, random_state=rng))
        Xs, ys = gen.sample(n_max, random_state=rng)
        # shuffle so every prefix is (nearly) class balanced
        order = rng.permutation(n_max)
        Xs, ys = Xs[order], ys[order]
        ys_noisy, keep = _corrupt_and_verify(ys, eps, rho, phi, rng)   # ys is empty when n_syn = [0]
        path = ridge_prefix_path(X, y, Xs, ys_noisy, sizes, gamma, syn_weights=keep, normalise=True)
        for k, (size, w) in enumerate(zip(sizes, path, strict=True)):
            draws[t, k, 0] = conditional_accuracy(w, mu) if np.any(w) else 0.5
            draws[t, k, 1] = mu @ w
            draws[t, k, 2] = draws[t, k, 1] ** 2 + w @ w
            kept[k] += keep[:size].mean() / trials if size > 0 else 0.0

r"""The one-call API of the general model: :func:`generator_model` builds the model once,
:func:`theory` and :func:`simulate` are shortcuts for its ``theory`` and ``simulate`` methods.

The model is a :class:`~synthlib.rmt.GeneratorSpectrum` (real covariance I, the paper's
model, computed in the eigenbasis of Ĉ) or a :class:`~synthlib.rmt.CovarianceModel` (any
real covariance C_real, DERIVED for the book); both have the same ``theory(n, n_syn, eps,
rho, phi, gamma, convention, *, tol, max_iter)`` and ``simulate(n, n_syn, eps, rho, phi,
gamma, trials, *, random_state, ...)`` methods, so everything downstream (these shortcuts,
:func:`~synthlib.rmt.theory_grid`, :func:`~synthlib.rmt.simulate_grid`) dispatches once,
here.
"""
from __future__ import annotations

from .._deprecation import renamed_parameters, warn_renamed
from ._covariance import CovarianceModel, covariance_model
from ._fixed_point import MAX_ITER, TOL
from ._theory import GeneratorSpectrum, generator_spectrum

__all__ = ["generator_model", "theory", "simulate", "as_model"]


def generator_model(mu, mu_hat, C_hat, *, C_real=None, blas_threads=1):
    r"""The general model (μ, μ̂, Ĉ[, C_real]), set up once for many theory and simulation calls.

    Parameters
    ----------
    mu : array_like (p,)
        Mean of the real data (class +1): x = yμ + z, z ~ N(0, C_real).
    mu_hat : array_like (p,)
        Mean of the synthetic data (the generator's μ̂).
    C_hat : array_like (p, p)
        Symmetric PSD covariance of the synthetic data (may be singular).
    C_real : array_like (p, p) or None, keyword only
        Covariance of the real data; ``None`` (default) is the identity of the paper.
    blas_threads : int or None, keyword only
        BLAS threads for the set-up's eigendecompositions.

    Returns
    -------
    GeneratorSpectrum or CovarianceModel
        :func:`generator_spectrum` when ``C_real`` is ``None`` (one eigendecomposition of Ĉ,
        O(p) per parameter point), else :func:`covariance_model` (DERIVED; a p×p solve per
        Newton step). Both offer ``.theory(...)`` and ``.simulate(...)``.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.rmt import generator_model
    >>> p = 50; mu = np.zeros(p); mu[0] = 1.0
    >>> model = generator_model(mu, mu, np.eye(p))
    >>> type(model).__name__, type(generator_model(mu, mu, np.eye(p), C_real=np.eye(p))).__name__
    ('GeneratorSpectrum', 'CovarianceModel')
    >>> th = model.theory(100, 200, 0.1, 0.2, 0.9, 0.5)
    >>> sim = model.simulate(100, 200, 0.1, 0.2, 0.9, 0.5, trials=50, random_state=0)
    >>> bool(abs(sim.accuracy - th.accuracy) < 3 * sim.accuracy_se + 0.01)
    True
    """
    if C_real is None:
        return generator_spectrum(mu, mu_hat, C_hat, blas_threads=blas_threads)
    return covariance_model(mu, mu_hat, C_hat, C_real, blas_threads=blas_threads)


def as_model(mu, mu_hat, C_hat, C_real=None):
    """``C_hat`` itself if it is already a model, else :func:`generator_model` (for the sweeps)."""
    if isinstance(C_hat, (GeneratorSpectrum, CovarianceModel)):
        return C_hat
    return generator_model(mu, mu_hat, C_hat, C_real=C_real)


@renamed_parameters({"m": "n_syn"})
def theory(mu, mu_hat, C_hat, n, n_syn, eps, rho, phi, gamma, convention="corrected", *, C_real=None, tol=TOL,
           max_iter=MAX_ITER):
    r"""Deterministic-equivalent accuracy of ridge classification on real + verified synthetic data.

    The general theorem, conditional on the generator (chapter "The deterministic
    equivalent of the mixed classifier"). Real
    samples x = yμ + z, z ~ N(0, I); synthetic samples x̃ = yμ̂ + Ĉ^{1/2} z̃
    with labels flipped with probability ε and kept by the verifier with
    probability ϕ (correct label) or ρ (wrong label); ridge classifier
    normalised by N = n + n_syn with penalty γ.

    .. math::
        \bar Q = \Big(\frac{\pi}{1+\delta_r}\Sigma_r + \frac{\alpha(1-\pi)}{1+\delta_s}\Sigma_s
                 + \gamma I\Big)^{-1},\quad
        m = \mu^\top\bar Q v,\quad
        \mathrm{Acc} = \Phi\Big(\frac{m}{\sqrt{\nu - m^2}}\Big)

    with Σ_r = μμᵀ + I, Σ_s = μ̂μ̂ᵀ + Ĉ, v = π/(1+δ_r) μ + λ(1−π)/(1+δ_s) μ̂
    and ν from the 2×2 second-order system.

    * ``convention="corrected"`` (default): δ_s = (1/N) tr Ĉ Q̄. DERIVED in
      for the book (a Bernoulli keep-mask does not concentrate) and checked by
      Monte Carlo and by the exact oracle-pruning invariance (check C1).
    * ``convention="paper_code"``: δ_s = (α/N) tr Ĉ Q̄, the official code's
      ``Delta``; the mean and second-moment formulas are then term for term
      the code's ``test_expectation`` / ``test_expectation_2``.

    The accuracy is **signed** in both conventions (the code folds it to
    Φ(|m|/…); fold yourself to reproduce its plots).

    Parameters
    ----------
    mu, mu_hat : array_like (p,)
    C_hat : array_like (p, p), symmetric PSD
    n, n_syn : float or array_like >= 0
        Real and synthetic (before verification) sample sizes; only the ratios
        p/N and n/N enter. There must be some training data (n > 0 or α n_syn > 0).
    eps, rho, phi : float or array_like in [0, 1]
    gamma : float or array_like > 0
    convention : {"corrected", "paper_code"}
    C_real : array_like (p, p) or None, keyword only
        Covariance of the real data, x = yμ + z with z ~ N(0, C_real)
        (symmetric PSD). ``None`` (default) is the identity of the paper and
        keeps the fast eigenbasis route. Otherwise the general equivalent
        with Σ_r = μμᵀ + C_real, δ_r = (1/N) tr C_real Q̄ and the traces of
        the second-order system taken against C_real is used (**DERIVED** for
        this book, not a statement of the source paper; see
        :func:`covariance_model`), computed densely (a p×p inverse per
        Newton step); the accuracy is then that on a real test point,
        Φ(m/√(ν − m²)) with ν = E[wᵀ(μμᵀ + C_real)w].
    tol : float in (0, 1), keyword only
        Relative residual at which the fixed point (δ_r, δ_s) stops.
    max_iter : int >= 1, keyword only
        Iteration cap; :class:`~synthlib.ConvergenceError` (with the last residual)
        if it is reached.

    The scalar parameters broadcast against each other; Ĉ is decomposed
    once (build the model with :func:`generator_model` and call its
    ``theory`` method to reuse it across calls).

    Notes
    -----
    Finite-size convention: the δ's and the second-order traces t₁, t₂, t₃
    keep only the bulk parts Σ_i f(λ_i) and drop the rank-one mean terms of
    tr Q̄ (each O(1/N)), like the official code and the closed forms of
    :func:`theory_toy` and :func:`theory_synthetic_only`. The three theories
    therefore nest exactly (Ĉ = I, μ̂ = μ reproduces ``theory_toy`` with
    ``n_hat=inf``; n = 0 reproduces ``theory_synthetic_only``). Reference
    values that keep the rank-one parts of t₁, t₂, t₃;
    that moves C2's accuracy by 2.5e-4 and ν by 8e-4, well inside the
    Monte-Carlo error. The oracle-pruning invariance C1 is exact either way.
    ``resolvent_trace`` is the full (1/p) tr Q̄, rank-two part included.

    Returns
    -------
    TheoryResult
        ``accuracy``, ``mean``, ``second_moment``, ``risk``, ``deltas``
        (``delta_r``, ``delta_s``), ``resolvent_trace`` = (1/p) tr Q̄, ``h``.

    Examples
    --------
    Check C2 of chapter 4 (Ĉ = I, μ̂ = μ, α = 0.34; Monte Carlo gives
    0.7889 ± 0.0013, 0.5220 ± 0.0026, 0.6959 ± 0.0033, 3.283 ± 0.019):

    >>> import numpy as np
    >>> from synthlib.rmt import theory
    >>> p = 400; mu = np.zeros(p); mu[0] = 1.5
    >>> r = theory(mu, mu, np.eye(p), n=200, n_syn=800, eps=0.4, rho=0.1, phi=0.5, gamma=0.1)
    >>> round(r.accuracy, 4), round(r.mean, 4), round(r.second_moment, 4), round(r.resolvent_trace, 3)
    (0.7879, 0.5199, 0.6934, 3.288)
    >>> r = theory(mu, mu, np.eye(p), 200, 800, 0.4, 0.1, 0.5, 0.1, convention="paper_code")
    >>> round(r.accuracy, 4), round(r.second_moment, 4)
    (0.7442, 0.9317)

    A whole curve in ε at once:

    >>> curve = theory(mu, mu, np.eye(p), 200, 800, np.linspace(0, 1, 5), 0.1, 0.5, 0.1)
    >>> curve.accuracy.shape
    (5,)

    A real covariance other than the identity (DERIVED; ``C_real=np.eye(p)``
    gives the numbers above to rounding):

    >>> r = theory(mu, mu, np.eye(p), 200, 800, 0.4, 0.1, 0.5, 0.1, C_real=np.eye(p))
    >>> round(r.accuracy, 4)
    0.7879
    >>> C_real = np.diag(np.r_[0.5, np.ones(p - 1)])   # less noise along mu
    >>> r = theory(mu, mu, np.eye(p), 200, 800, 0.4, 0.1, 0.5, 0.1, C_real=C_real)
    >>> round(r.accuracy, 4)
    0.8246
    """
    return generator_model(mu, mu_hat, C_hat, C_real=C_real).theory(n, n_syn, eps, rho, phi, gamma, convention,
                                                                    tol=tol, max_iter=max_iter)


@renamed_parameters({"m": "n_syn"}, keyword_only_from="random_state")
def simulate(mu, mu_hat, C_hat, n, n_syn, eps, rho, phi, gamma, trials, *, random_state=None,
             resolvent_trace=False, blas_threads=1, C_real=None):
    r"""Monte Carlo of the mixed classifier for a fixed generator (μ̂, Ĉ) (the model of :func:`theory`).

    Each trial draws n fresh real samples x = yμ + z and n_syn synthetic samples
    x̃ = yμ̂ + Ĉ^{1/2}z̃ with label noise ε and verification (ρ, ϕ), fits the
    ridge classifier (normalised by N = n + n_syn) and records the exact
    conditional test metrics. The training set is never materialised: the
    sufficient statistics are drawn exactly (the notes of
    ``synthlib/rmt/_simulate.py``), so a trial costs O(p³) whatever n + n_syn.
    Correct for every γ > 0, also when γ is tiny and there are fewer training
    samples than features (then the system is solved through an SVD).

    The same as ``generator_model(mu, mu_hat, C_hat, C_real=C_real).simulate(...)``;
    build the model once to simulate it at many parameter points.

    Parameters
    ----------
    mu, mu_hat : array_like (p,)
    C_hat : array_like (p, p) symmetric PSD
        (Deprecated: a :class:`GeneratorSpectrum` or :class:`CovarianceModel`, with
        ``mu`` and ``mu_hat`` ``None``; call the model's ``simulate`` method instead.)
    n, n_syn : int >= 0, not both 0
    eps, rho, phi : float in [0, 1]
    gamma : float > 0
    trials : int >= 2
    random_state : None, int or numpy.random.Generator, keyword only
        The same seed gives the same numbers.
    resolvent_trace : bool
        Also estimate (1/p) tr Q (costs one extra triangular inversion per trial).
        Keyword only, like the two below.
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
    if isinstance(C_hat, (GeneratorSpectrum, CovarianceModel)):
        # stacklevel 4: warn_renamed, this function, the renamed_parameters wrapper, the caller
        warn_renamed("simulate(None, None, model, ...)", "model.simulate(...)", what="call", stacklevel=4)
        model = C_hat
    else:
        model = generator_model(mu, mu_hat, C_hat, C_real=C_real, blas_threads=blas_threads)
    return model.simulate(n, n_syn, eps, rho, phi, gamma, trials, random_state=random_state,
                          resolvent_trace=resolvent_trace, blas_threads=blas_threads)

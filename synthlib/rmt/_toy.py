r"""The toy model: synthetic mean μ̂ = μ, Ĉ = (1/n̂) Z Zᵀ white Wishart, averaged over Ĉ (chapter 5).

Closed forms in the three scalars (δ_r, δ_s, δ_g). The exact second moment
is DERIVED for the book (chapter 5, "Second moment, exact closed form"); the
official code's ``test_expectation_2_toy`` is an approximation of it,
available as ``convention="paper_code"``.

Two expressions of the derivation are rewritten here without 0/0 when β → 0
(no synthetic sample kept): with b − b₀ = β/(1+δ_g) and
1 − h̄ = β²η̂/(b²(1+δ_g)²),

* t₂ = (η/β²)(1 − 2b₀/b + b₀²/(b²h̄)) = η (h̄ + η̂ b₀²/b²) / (b² h̄ (1+δ_g)²),
* μᵀRĈRμ = (q − b₀q₂/h̄ − a q²)/β = q₂ / (h̄ (1+δ_g)²)   (using q − a q² = b q₂).
"""
from __future__ import annotations

import numpy as np

from .._deprecation import renamed_parameters
from ._checks import (
    check_convention,
    check_solver_options,
    check_some_training_data,
    floating_point_guard,
    nonnegative,
    scalar_or_array,
)
from ._engine import accuracy_from_moments, check_finite_results
from ._fixed_point import MAX_ITER, TOL, toy_fixed_point, toy_parameters
from ._results import Deltas, TheoryResult

__all__ = ["theory_toy"]


@renamed_parameters({"m": "n_syn"})
@floating_point_guard
def theory_toy(p, n, n_hat, n_syn, mu_norm, eps, rho, phi, gamma, convention="corrected", *, tol=TOL,
               max_iter=MAX_ITER):
    r"""Accuracy of the mixed ridge classifier in the toy model, averaged over the Wishart Ĉ.

    Real data x = yμ + z (n samples); synthetic data x̃ = yμ + Ĉ^{1/2} z̃
    (n_syn samples before verification) from a generator whose covariance
    Ĉ = (1/n̂) Z Zᵀ was estimated from n̂ samples, label noise ε, verifier
    (ρ, ϕ), ridge γ. Chapter "Generator quality: the toy model". With η = p/N, η̂ = p/n̂, π = n/N:

    .. math::
        b_0=\gamma+\tfrac{\pi}{1+\delta_r},\quad \beta=\tfrac{\alpha(1-\pi)}{1+\delta_s},\quad
        b=b_0+\tfrac{\beta}{1+\delta_g},\quad
        m = \frac{c\|\mu\|^2}{b+a\|\mu\|^2},\quad \mathrm{Acc}=\Phi\Big(\frac{m}{\sqrt{\nu-m^2}}\Big),

    a = π/(1+δ_r) + α(1−π)/(1+δ_s), c = π/(1+δ_r) + λ(1−π)/(1+δ_s).

    * ``"corrected"`` (default): δ_s = δ_r/(1+δ_g) and the **exact** closed
      form of ν (both DERIVED for the book and checked by Monte Carlo).
    * ``"paper_code"``: δ_s = αδ_r/(1+δ_g) and the code's approximate ν
      (it sets t₂ = t₃, a₂ = a₁ and replaces μᵀRĈRμ by μᵀR²μ), to reproduce
      the paper's Figures 2–3.

    Parameters
    ----------
    p : float or array_like > 0
        Dimension (only the ratios p/N and p/n̂ enter, so non-integers are accepted).
    n, n_syn : float or array_like >= 0
        Real and synthetic (before verification) sample sizes, not both 0.
    n_hat : float or array_like > 0
        Number of real samples the generator's Ĉ was estimated from;
        ``numpy.inf`` gives Ĉ = I (a perfect covariance estimate).
    mu_norm : float or array_like >= 0
        ‖μ‖.
    eps, rho, phi : float or array_like in [0, 1]
    gamma : float or array_like > 0
    convention : {"corrected", "paper_code"}
    tol, max_iter : float in (0, 1), int >= 1, keyword only
        Tolerance and iteration cap of the fixed point (:func:`solve_deltas_toy`).

    All numeric parameters broadcast against each other.

    Returns
    -------
    TheoryResult
        ``deltas`` has ``delta_r``, ``delta_s``, ``delta_g``; ``h_bar`` is
        the Wishart second-order determinant h̄.

    Examples
    --------
    Check B3 of chapter 5:

    >>> from synthlib.rmt import theory_toy
    >>> r = theory_toy(500, 1000, 1000, 1000, 0.7, 0.1, 0.0, 1.0, 1.0)
    >>> round(r.mean, 4), round(r.second_moment, 4), round(r.accuracy, 4)
    (0.186, 0.1475, 0.7101)
    >>> r = theory_toy(500, 1000, 1000, 1000, 0.7, 0.1, 0.0, 1.0, 1.0, convention="paper_code")
    >>> round(r.mean, 4), round(r.second_moment, 4), round(r.accuracy, 4)
    (0.1865, 0.1487, 0.7098)

    Broadcasting over p and ε:

    >>> import numpy as np
    >>> r = theory_toy(np.array([[50], [500]]), 1000, 1000, 4000, 0.7, np.linspace(0, 0.5, 3), 0, 1, 1)
    >>> r.accuracy.shape
    (2, 3)
    """
    convention = check_convention(convention)
    tol, max_iter = check_solver_options(tol, max_iter)
    shape, P = toy_parameters(p, n, n_hat, n_syn, eps, rho, phi, gamma, mu_norm=nonnegative(mu_norm, "mu_norm"))
    check_some_training_data(P["n"], P["alpha"] * P["n_syn"], P["eps"], P["rho"], P["phi"])
    alpha, lam, pi, gamma = P["alpha"], P["lam"], P["pi"], P["gamma"]
    eta, eta_hat = P["eta"], P["eta_hat"]
    M = P["mu_norm"] ** 2
    kappa = np.ones_like(alpha) if convention == "corrected" else alpha
    x = toy_fixed_point(eta, eta_hat, pi, alpha, gamma, kappa, tol=tol, max_iter=max_iter)
    dr, ds, dg = x[:, 0], x[:, 1], x[:, 2]
    kept_share = alpha * (1 - pi)
    b0 = gamma + pi / (1 + dr)
    beta = kept_share / (1 + ds)
    b = b0 + beta / (1 + dg)
    a = pi / (1 + dr) + kept_share / (1 + ds)
    c = pi / (1 + dr) + lam * (1 - pi) / (1 + ds)
    B = b + a * M
    q, q2 = M / B, M / B ** 2
    mean = c * q
    h_bar = 1 - beta ** 2 * eta_hat / (b ** 2 * (1 + dg) ** 2)
    if convention == "corrected":
        t1 = eta / (b ** 2 * h_bar)
        t3 = t1 / (1 + dg) ** 2
        t2 = eta * (h_bar + eta_hat * b0 ** 2 / b ** 2) / (b ** 2 * h_bar * (1 + dg) ** 2)
        kappa_r, kappa_s = pi / (1 + dr) ** 2, kept_share / (1 + ds) ** 2
        a1, a2, b1, b2 = kappa_r * t1, kappa_r * t3, kappa_s * t3, kappa_s * t2
        h = (1 - a1) * (1 - b2) - a2 * b1
        mu_R2_mu = q2 / h_bar                       # μᵀR²μ
        mu_RCR_mu = q2 / (h_bar * (1 + dg) ** 2)    # μᵀRĈRμ
        b1_lam_over_alpha = (1 - pi) * lam * t3 / (1 + ds) ** 2
        second_moment = (c ** 2 * ((1 - b2) * (q ** 2 + mu_R2_mu) + b1 * (q ** 2 + mu_RCR_mu)) / h
                         + (a1 * (1 - b2) + a2 * b1) / h * (1 - 2 * mean)
                         + (b1 - 2 * b1_lam_over_alpha * mean) / h)
    else:
        # the official code's test_expectation_2_toy (approximate; chapter 5, "The code's toy ν")
        t = eta / b ** 2
        a1 = pi * t / (h_bar * (1 + dr) ** 2)
        b1 = kept_share * t / (h_bar * (1 + ds) ** 2 * (1 + dg) ** 2)
        b2 = b1
        h = 1 - a1 - b2
        b1_lam_over_alpha = (1 - pi) * lam * t / (h_bar * (1 + ds) ** 2 * (1 + dg) ** 2)
        r = c * M / (h * B ** 2)
        s = c * (1 + b1 - b2) * M + c / h_bar - 2 * (a1 + b1_lam_over_alpha) * B
        second_moment = r * s + (a1 + b1) / h
    resolvent_trace = 1 / b - a * M / (P["p"] * b * B)   # (1/p) tr (bI + aμμᵀ)⁻¹
    check_finite_results(dict(mean=mean, second_moment=second_moment, resolvent_trace=resolvent_trace,
                              delta_r=dr, delta_s=ds, delta_g=dg), "theory_toy", P)
    accuracy = accuracy_from_moments(mean, second_moment, h, "theory_toy", convention)
    out = {k: scalar_or_array(v, shape) for k, v in
           dict(accuracy=accuracy, mean=mean, second_moment=second_moment,
                resolvent_trace=resolvent_trace, h=h, h_bar=h_bar).items()}
    return TheoryResult(deltas=Deltas(*(scalar_or_array(v, shape) for v in (dr, ds, dg))),
                        convention=convention, **out)

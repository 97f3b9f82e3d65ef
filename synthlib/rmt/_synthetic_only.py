r"""Synthetic-only training (π = 0, Ĉ = I, μ̂ = μ): the smooth phase transition (chapter 6)."""
from __future__ import annotations

import numpy as np

from .._deprecation import renamed_parameters
from ._checks import (
    broadcast_parameters,
    check_convention,
    floating_point_guard,
    nonnegative,
    positive,
    probability,
    scalar_or_array,
)
from ._engine import accuracy_from_moments, check_finite_results
from ._fixed_point import synthetic_only_delta
from ._model import verification
from ._results import Deltas, TheoryResult

__all__ = ["theory_synthetic_only"]


@renamed_parameters({"m": "n_syn"})
@floating_point_guard
def theory_synthetic_only(p, n_syn, mu_norm, eps, rho, phi, gamma, convention="corrected"):
    r"""Closed-form accuracy of a ridge classifier trained on verified synthetic data only.

    Synthetic samples x̃ = yμ + z̃, z̃ ~ N(0, I) (a perfect generator), labels
    flipped with probability ε, kept with probability ϕ (correct) or ρ
    (flipped); no real data. Chapter "Phase transitions".
    With η_s = p/n_syn, δ the positive root of
    γδ² + (γ + α − η_eff)δ − η_eff = 0 and D = α‖μ‖² + α + γ(1+δ):

    .. math::
        m = \frac{\lambda\|\mu\|^2}{D},\quad
        h = 1-\frac{\alpha\eta_s}{(\alpha+\gamma(1+\delta))^2},\quad
        \nu = \frac{(\lambda\|\mu\|)^2}{hD}\Big(\frac{\|\mu\|^2+1}{D}-\frac{2(1-h)}{\alpha}\Big)+\frac{1-h}{h}.

    * ``"corrected"`` (default): η_eff = η_s (DERIVED: δ = (1/n_syn) tr Q̄).
    * ``"paper_code"``: η_eff = α η_s, the official ``Delta_synth``
      (its ν formula is otherwise correct).

    Since λ = 0 at ε* = ϕ/(ϕ+ρ), the **signed** accuracy is exactly 1/2
    there and below 1/2 beyond, for every p/n_syn and γ.

    Parameters
    ----------
    p, n_syn : float or array_like > 0
        Dimension and number of synthetic samples before pruning.
    mu_norm : float or array_like >= 0
    eps, rho, phi : float or array_like in [0, 1]
        The verifier must keep something: α = ϕ(1−ε) + ρε > 0.
    gamma : float or array_like > 0
        The closed form divides by γ; γ = 0 (ridgeless) is not covered.
    convention : {"corrected", "paper_code"}

    Returns
    -------
    TheoryResult
        ``deltas.delta_s`` is δ (``delta_r`` is ``None``: no real data).

    Examples
    --------
    Check C4 of chapter 4:

    >>> from synthlib.rmt import theory_synthetic_only
    >>> r = theory_synthetic_only(200, 400, 1.0, 0.3, 0.3, 0.5, 0.1)
    >>> round(r.accuracy, 4), round(r.mean, 4), round(r.second_moment, 4)
    (0.6116, 0.2195, 0.6472)

    Figure 4 of the paper at p/n_syn = 1 (signed accuracy, so Acc(1) < 1/2):

    >>> r = theory_synthetic_only(100, 100, 1.0, [0.0, 1.0], 0.3, 0.8, 1.0, convention="paper_code")
    >>> r.accuracy.round(4).tolist()
    [0.7308, 0.3267]
    """
    convention = check_convention(convention)
    shape, P = broadcast_parameters(p=positive(p, "p"), n_syn=positive(n_syn, "n_syn"),
                                    mu_norm=nonnegative(mu_norm, "mu_norm"), eps=probability(eps, "eps"),
                                    rho=probability(rho, "rho"), phi=probability(phi, "phi"),
                                    gamma=positive(gamma, "gamma"))
    alpha, lam = verification(P["eps"], P["rho"], P["phi"])
    alpha, lam = np.asarray(alpha), np.asarray(lam)
    if np.any(alpha == 0):
        i = int(np.flatnonzero(alpha == 0)[0])
        raise ValueError(f"eps={P['eps'][i]!r}, rho={P['rho'][i]!r}, phi={P['phi'][i]!r} make the verifier "
                         "keep no synthetic sample (alpha = 0), so there is no training data: "
                         "expected alpha = phi (1 - eps) + rho eps > 0")
    gamma, M = P["gamma"], P["mu_norm"] ** 2
    eta_s = P["p"] / P["n_syn"]
    delta = synthetic_only_delta(eta_s, alpha, gamma, convention)
    scale = alpha + gamma * (1 + delta)
    D = alpha * M + scale
    one_minus_h = alpha * eta_s / scale ** 2
    h = 1 - one_minus_h
    mean = lam * M / D
    # 2(1-h)/α written as 2η_s/scale² (finite as α → 0)
    second_moment = lam ** 2 * M / (h * D) * ((M + 1) / D - 2 * eta_s / scale ** 2) + one_minus_h / h
    coef = alpha / (1 + delta)   # Q̄ = (coef (μμᵀ + I) + γI)⁻¹
    resolvent_trace = 1 / (gamma + coef) - coef * M / ((gamma + coef) * (gamma + coef + coef * M) * P["p"])
    check_finite_results(dict(mean=mean, second_moment=second_moment, resolvent_trace=resolvent_trace,
                              delta_s=delta), "theory_synthetic_only", P)
    accuracy = accuracy_from_moments(mean, second_moment, h, "theory_synthetic_only", convention)
    out = {k: scalar_or_array(v, shape) for k, v in
           dict(accuracy=accuracy, mean=mean, second_moment=second_moment,
                resolvent_trace=resolvent_trace, h=h).items()}
    return TheoryResult(deltas=Deltas(delta_r=None, delta_s=scalar_or_array(delta, shape)),
                        convention=convention, **out)

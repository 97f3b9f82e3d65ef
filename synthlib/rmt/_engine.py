r"""The engine shared by every Part II theory: parameter handling, the assembly of the
mean m and second moment ν, and the signed accuracy Φ(m/√(ν − m²)).

The eigenbasis route (:class:`~synthlib.rmt.GeneratorSpectrum`, real covariance I) and the
dense route (:class:`~synthlib.rmt.CovarianceModel`, any real covariance C_r) differ only in
how they compute the fixed point and the traces of the bulk resolvent; both hand them to
:func:`assemble_moments` through :func:`run_theory`. The toy and synthetic-only closed forms
share :func:`accuracy_from_moments`. Nothing here imports a model module, so the models
import the engine and never each other.
"""
from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from ._checks import (
    broadcast_parameters,
    check_convention,
    check_solver_options,
    check_some_training_data,
    floating_point_guard,
    nonnegative,
    positive,
    probability,
    scalar_or_array,
)
from ._model import verification
from ._results import Deltas, TheoryResult

__all__ = ["run_theory", "assemble_moments", "accuracy_from_moments", "check_finite_results"]


@floating_point_guard
def run_theory(kernel, step, n, n_syn, eps, rho, phi, gamma, convention, tol, max_iter):
    """Validate and broadcast the parameters, run ``kernel(F, convention, tol, max_iter)`` on chunks
    of ``step`` grid points, and wrap the results (shared by the eigenbasis and the dense routes)."""
    convention = check_convention(convention)
    tol, max_iter = check_solver_options(tol, max_iter)
    shape, P = broadcast_parameters(n=nonnegative(n, "n"), n_syn=nonnegative(n_syn, "n_syn"),
                                    eps=probability(eps, "eps"), rho=probability(rho, "rho"),
                                    phi=probability(phi, "phi"), gamma=positive(gamma, "gamma"))
    alpha, lam = verification(P["eps"], P["rho"], P["phi"])
    alpha, lam = np.atleast_1d(alpha), np.atleast_1d(lam)
    check_some_training_data(P["n"], alpha * P["n_syn"], P["eps"], P["rho"], P["phi"])
    N = P["n"] + P["n_syn"]
    flat = dict(pi=P["n"] / N, N=N, alpha=alpha, lam=lam, gamma=P["gamma"])
    size = N.size
    parts = [kernel({k: v[s:s + step] for k, v in flat.items()}, convention, tol, max_iter)
             for s in range(0, size, step)]
    out = {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}
    check_finite_results(out, "theory", P)
    accuracy = accuracy_from_moments(out["mean"], out["second_moment"], out["h"], "theory", convention)
    return TheoryResult(accuracy=scalar_or_array(accuracy, shape), mean=scalar_or_array(out["mean"], shape),
                        second_moment=scalar_or_array(out["second_moment"], shape),
                        deltas=Deltas(delta_r=scalar_or_array(out["delta_r"], shape),
                                      delta_s=scalar_or_array(out["delta_s"], shape)),
                        convention=convention, resolvent_trace=scalar_or_array(out["resolvent_trace"], shape),
                        h=scalar_or_array(out["h"], shape))


def assemble_moments(F, dr, ds, *, G, G_real, G_syn, G2, traces, p):
    r"""m, ν, h and (1/p) tr Q̄ from the fixed point and the traces of the bulk resolvent.

    Shared by the eigenbasis route (real covariance I) and the dense route
    of :mod:`._covariance` (any real covariance C_r). With M = (γI + a_r C_r
    + a_s Ĉ)⁻¹ the bulk resolvent (rank-one mean terms dropped),
    a_r = π/(1+δ_r), a_s = α(1−π)/(1+δ_s) and V = [μ, μ̂]:

    * ``G`` = VᵀMV, ``G_real`` = VᵀMC_rMV, ``G_syn`` = VᵀMĈMV, ``G2`` = VᵀM²V (each (g, 2, 2));
    * ``traces``: ``M`` = tr M, ``t1`` = (1/N) tr(C_rMC_rM),
      ``t3`` = (1/N) tr(C_rMĈM), ``t2`` = (1/N) tr(ĈMĈM).

    Woodbury gives Q̄V = MV(I + SG)⁻¹ with S = diag(a_r, a_s).
    """
    pi, alpha, lam = F["pi"], F["alpha"], F["lam"]
    kept_share = alpha * (1 - pi)
    coef_r, coef_s = pi / (1 + dr), kept_share / (1 + ds)
    S = np.zeros((pi.size, 2, 2))
    S[:, 0, 0], S[:, 1, 1] = coef_r, coef_s
    inner = np.eye(2)[None] + S @ G   # I + S G ; Q̄V = MV inner⁻¹
    c_vec = np.stack([coef_r, lam * (1 - pi) / (1 + ds)], axis=1)  # v = V c
    K = np.linalg.solve(inner, c_vec[..., None])[..., 0]           # Q̄v = MV K
    GK = np.einsum("gij,gj->gi", G, K)
    mean = GK[:, 0]                  # μᵀQ̄v
    mu_hat_Qv = GK[:, 1]             # μ̂ᵀQ̄v
    Qv_real_Qv = np.einsum("gi,gij,gj->g", K, G_real, K)   # (Q̄v)ᵀC_r(Q̄v)
    Qv_syn_Qv = np.einsum("gi,gij,gj->g", K, G_syn, K)     # (Q̄v)ᵀĈ(Q̄v)
    quad_r = mean ** 2 + Qv_real_Qv      # vᵀQ̄Σ_rQ̄v
    quad_s = mu_hat_Qv ** 2 + Qv_syn_Qv  # vᵀQ̄Σ_sQ̄v
    # second-order coefficients (rank-one parts of the traces dropped, as in chapter 4)
    t1, t3, t2 = traces["t1"], traces["t3"], traces["t2"]
    kappa_r, kappa_s = pi / (1 + dr) ** 2, kept_share / (1 + ds) ** 2
    a1, a2, b1, b2 = kappa_r * t1, kappa_r * t3, kappa_s * t3, kappa_s * t2
    h = (1 - a1) * (1 - b2) - a2 * b1
    # b1·λ/α written without dividing by α (α may be 0 when n > 0)
    b1_lam_over_alpha = (1 - pi) * lam * t3 / (1 + ds) ** 2
    second_moment = (((1 - b2) * quad_r + b1 * quad_s) / h
                     + (a1 * (1 - b2) + a2 * b1) / h * (1 - 2 * mean)
                     + (b1 - 2 * b1_lam_over_alpha * mu_hat_Qv) / h)
    # (1/p) tr Q̄ = (1/p)[tr M − tr((I + S G)⁻¹ S G2)]
    correction = np.einsum("gii->g", np.linalg.solve(inner, S @ G2))
    resolvent_trace = (traces["M"] - correction) / p
    return dict(delta_r=dr, delta_s=ds, mean=mean, second_moment=second_moment, h=h,
                resolvent_trace=resolvent_trace)


def accuracy_from_moments(mean, second_moment, h, what, convention="corrected"):
    """Signed accuracy Φ(m/√(ν − m²)), refusing a degenerate second-order system."""
    variance = second_moment - mean ** 2
    bad = ~np.isfinite(variance) | (variance <= 0) | ~np.isfinite(h) | (h <= 0)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        hint = (" With convention='paper_code' this happens when the code's extra factor alpha in "
                "delta_s makes the 2x2 system singular (small gamma, p/N of order one); the corrected "
                "convention stays valid there." if convention == "paper_code" else "")
        raise ValueError(f"{what}: the second-order system is degenerate at grid point {i} "
                         f"(h={float(np.ravel(h)[i]):.3g}, nu - m^2={float(np.ravel(variance)[i]):.3g}); "
                         "expected h > 0 and nu - m^2 > 0: the parameters are outside the formula's "
                         f"domain.{hint}")
    return ndtr(mean / np.sqrt(variance))


def check_finite_results(out, what, parameters):
    """Refuse a result that overflowed (an infinite δ or trace at an extremely small γ): never a silent inf."""
    for name, values in out.items():
        values = np.asarray(values, dtype=float)
        bad = ~np.isfinite(values)
        if np.any(bad):
            i = int(np.flatnonzero(bad.ravel())[0])
            at = ", ".join(f"{k}={np.ravel(v)[i % np.size(v)]!r}" for k, v in parameters.items()
                           if k in ("n", "n_syn", "gamma"))
            raise ValueError(f"{what}: {name} is not finite at grid point {i} ({at}): the parameters are "
                             "beyond floating-point range (gamma too small?); expected gamma large enough "
                             "for 1/gamma to stay finite")

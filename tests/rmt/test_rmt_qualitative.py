"""Spec part II §5 E: the qualitative claims of Figures 3 and 4 (toy and synthetic-only theory)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from synthlib.rmt import critical_noise, theory_synthetic_only, theory_toy, verification

CONVENTIONS = ("corrected", "paper_code")

# Figure 3: n = n̂ = 1000, ‖μ‖ = 0.7, γ = 1; synthetic proportion on linspace(0.001, 0.95, 50)
N_REAL = 1000
PROPORTION = np.linspace(0.001, 0.95, 50)
M_SYNTHETIC = np.floor(PROPORTION * N_REAL / (1 - PROPORTION))
DIMENSIONS = (50, 200, 500)


def figure_3_curve(p, rho, phi, convention):
    """Accuracy versus synthetic proportion; ε(m) = error of a clean synthetic-only classifier."""
    eps = 1 - theory_toy(p, 0, N_REAL, M_SYNTHETIC, 0.7, 0.0, 0.0, 1.0, 1.0, convention=convention).accuracy
    return theory_toy(p, N_REAL, N_REAL, M_SYNTHETIC, 0.7, eps, rho, phi, 1.0, convention=convention).accuracy, eps


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_e1_oracle_accuracy_increases_with_synthetic_share(convention):
    for p in DIMENSIONS:
        accuracy, _ = figure_3_curve(p, 0.0, 1.0, convention)
        assert np.all(np.diff(accuracy) > 0), p


def test_e1_figure_3_levels():
    # [FIG]: ≈0.746, 0.718, 0.68 at share ≈ 0; oracle ends between ≈0.745 and 0.756
    starts = [figure_3_curve(p, 0.0, 1.0, "paper_code")[0][0] for p in DIMENSIONS]
    np.testing.assert_allclose(starts, [0.746, 0.718, 0.68], atol=2e-3)
    ends = [figure_3_curve(p, 0.0, 1.0, "paper_code")[0][-1] for p in DIMENSIONS]
    assert all(0.744 <= e <= 0.757 for e in ends)


@pytest.mark.parametrize("convention", CONVENTIONS)
@pytest.mark.parametrize(("rho", "phi"), [(0.0, 1.0), (1.0, 0.5)])
def test_e2_larger_dimension_lowers_accuracy_everywhere(convention, rho, phi):
    curves = np.array([figure_3_curve(p, rho, phi, convention)[0] for p in DIMENSIONS])
    assert np.all(np.diff(curves, axis=0) < 0)


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_e3_weak_supervision_dips_then_recovers(convention):
    for p in DIMENSIONS:
        accuracy, eps = figure_3_curve(p, 1.0, 0.5, convention)
        lam = verification(eps, 1.0, 0.5)[1]
        np.testing.assert_allclose(lam, 0.5 - 1.5 * eps)
        low = int(np.argmin(accuracy))
        assert 0 < low < accuracy.size - 1, p                # an interior minimum ...
        assert accuracy[0] - accuracy[low] > 5e-3, p          # ... a real dip ...
        assert accuracy[-1] - accuracy[low] > 5e-3, p         # ... and a recovery
        assert np.all(np.diff(accuracy[: low + 1]) < 0) and np.all(np.diff(accuracy[low:]) > 0)
    # [FIG]: p = 500 dips to ≈0.648 near synthetic share 0.7–0.8
    accuracy, _ = figure_3_curve(500, 1.0, 0.5, "paper_code")
    assert accuracy.min() == pytest.approx(0.648, abs=2e-3)
    assert 0.7 <= PROPORTION[np.argmin(accuracy)] <= 0.8


# ------------------------------------------------------------------ E4: Figure 4

RHO, PHI = 0.3, 0.8
RATIOS = (1.0, 0.1, 0.01, 0.001)


def slope_at_critical_noise(ratio, convention):
    """The spec's closed-form dAcc/dε at ε* (§3.4, DERIVED)."""
    eps_star = critical_noise(RHO, PHI)
    r = theory_synthetic_only(100, 100 / ratio, 1.0, eps_star, RHO, PHI, 1.0, convention=convention)
    alpha_star = 2 * PHI * RHO / (PHI + RHO)
    delta = r.deltas.delta_s
    return -norm.pdf(0) * (PHI + RHO) * 1.0 / ((1.0 * (1 + delta) + alpha_star * 2.0)
                                                * np.sqrt((1 - r.h) / r.h))


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_e4_all_curves_pass_through_critical_point_and_steepen(convention):
    eps_star = critical_noise(RHO, PHI)
    slopes = []
    for ratio in RATIOS:
        r = theory_synthetic_only(100, 100 / ratio, 1.0, eps_star, RHO, PHI, 1.0, convention=convention)
        assert r.accuracy == pytest.approx(0.5, abs=1e-12)
        step = 1e-6
        pair = theory_synthetic_only(100, 100 / ratio, 1.0, [eps_star - step, eps_star + step], RHO, PHI,
                                     1.0, convention=convention).accuracy
        numeric = (pair[1] - pair[0]) / (2 * step)
        assert numeric == pytest.approx(slope_at_critical_noise(ratio, convention), rel=1e-5)
        slopes.append(numeric)
    assert np.all(np.diff(np.abs(slopes)) > 0)   # steeper as p/m decreases
    assert np.all(np.isfinite(slopes))           # smooth: finite slope at every p/m > 0


def test_e4_sharp_transition_in_the_limit():
    # p/m → 0: the slope diverges and the curve tends to the step Φ(sign(λ)‖μ‖) (Feng et al. 2024)
    eps_star = critical_noise(RHO, PHI)
    eps = np.array([eps_star - 0.02, eps_star + 0.02])
    r = theory_synthetic_only(1, 1e9, 1.0, eps, RHO, PHI, 1.0)
    np.testing.assert_allclose(r.accuracy, [norm.cdf(1.0), norm.cdf(-1.0)], atol=1e-3)

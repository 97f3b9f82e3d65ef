"""Spec part II §5 A: identities and limits, exact (no simulation)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtr

from synthlib.rmt import critical_noise, solve_deltas_toy, theory, theory_synthetic_only, theory_toy, verification

CONVENTIONS = ("corrected", "paper_code")


def e1(p, norm=1.0):
    mu = np.zeros(p)
    mu[0] = norm
    return mu


# ------------------------------------------------------------------ A1

def test_a1_alpha_lambda_and_critical_noise():
    alpha, lam = verification(0.3, 0.2, 0.8)
    assert alpha == pytest.approx(0.62) and lam == pytest.approx(0.50)
    assert critical_noise(0.2, 0.8) == pytest.approx(0.8)
    eps_star = critical_noise(0.3, 0.8)
    assert eps_star == pytest.approx(0.72727, abs=5e-6)
    assert verification(eps_star, 0.3, 0.8)[1] == pytest.approx(0.0, abs=1e-15)
    eps = np.linspace(0, 1, 101)
    alpha, lam = verification(eps, 0.3, 0.8)
    np.testing.assert_allclose(alpha, 0.8 * (1 - eps) + 0.3 * eps)
    np.testing.assert_allclose(lam, 0.8 * (1 - eps) - 0.3 * eps)
    assert np.all((lam > 0) == (eps < eps_star))


# ------------------------------------------------------------------ A2

# the paper-code formulas leave their domain (h <= 0) at small γ and p/m >= 1: tested separately below
A2_CASES = [(c, r, g) for c in CONVENTIONS for r in (1e-3, 0.1, 1.0, 3.0) for g in (0.01, 1.0, 10.0)
            if not (c == "paper_code" and g < 0.1 and r >= 1)]


@pytest.mark.parametrize(("convention", "ratio", "gamma"), A2_CASES)
def test_a2_synthetic_only_accuracy_is_one_half_at_critical_noise(convention, ratio, gamma):
    rho, phi = 0.3, 0.8
    eps_star = critical_noise(rho, phi)
    r = theory_synthetic_only(100, 100 / ratio, 1.0, eps_star, rho, phi, gamma, convention=convention)
    assert r.accuracy == pytest.approx(0.5, abs=1e-12)
    beyond = theory_synthetic_only(100, 100 / ratio, 1.0, np.linspace(eps_star + 0.01, 1, 10), rho, phi,
                                   gamma, convention=convention)
    assert np.all(beyond.accuracy < 0.5)   # signed: never folded
    below = theory_synthetic_only(100, 100 / ratio, 1.0, np.linspace(0, eps_star - 0.01, 10), rho, phi,
                                  gamma, convention=convention)
    assert np.all(below.accuracy > 0.5)


def test_a2_paper_code_leaves_its_domain_where_the_corrected_formula_does_not():
    # with the code's extra α in δ, h = 1 - δ/((1+δ)(α+γ(1+δ))) can be negative: the code's ν - m² < 0
    eps_star = critical_noise(0.3, 0.8)
    with pytest.raises(ValueError, match="paper_code"):
        theory_synthetic_only(100, 100, 1.0, eps_star, 0.3, 0.8, 0.01, convention="paper_code")
    r = theory_synthetic_only(100, 100, 1.0, eps_star, 0.3, 0.8, 0.01)
    assert r.accuracy == pytest.approx(0.5, abs=1e-12) and r.h > 0


# ------------------------------------------------------------------ A3

@pytest.mark.parametrize("convention", CONVENTIONS)
def test_a3_symmetry_when_rho_equals_phi(convention):
    r = theory_synthetic_only(100, 200, 1.0, [0.2, 0.8], 0.6, 0.6, 1.0, convention=convention)
    assert r.accuracy.sum() == pytest.approx(1.0, abs=1e-12)
    eps = np.linspace(0, 1, 21)
    r = theory_synthetic_only(100, 200, 1.0, eps, 0.6, 0.6, 1.0, convention=convention)
    np.testing.assert_allclose(r.accuracy + r.accuracy[::-1], 1.0, atol=1e-12)


# ------------------------------------------------------------------ A4

def test_a4_infinite_sample_limit_figure_4():
    # Fig. 4 parameters: p = 100, ‖μ‖ = 1, γ = 1, (ρ, ϕ) = (0.3, 0.8), p/m = 1e-3
    for convention in CONVENTIONS:
        r = theory_synthetic_only(100, 100_000, 1.0, [0.0, 1.0], 0.3, 0.8, 1.0, convention=convention)
        assert r.accuracy[0] == pytest.approx(0.8412, abs=5e-5)
        assert r.accuracy[1] == pytest.approx(0.1591, abs=5e-5)
        assert r.accuracy[0] == pytest.approx(ndtr(1.0), abs=3e-4)
        assert r.accuracy[1] == pytest.approx(1 - ndtr(1.0), abs=5e-4)
    # closer to the limit Φ(sign(λ)‖μ‖) as p/m → 0, on both sides of ε*
    eps = np.array([0.1, 0.5, 0.9])
    r = theory_synthetic_only(1, 1e7, 1.0, eps, 0.3, 0.8, 1.0)
    np.testing.assert_allclose(r.accuracy, ndtr(np.sign(verification(eps, 0.3, 0.8)[1]) * 1.0), atol=1e-4)


def test_a4_mixed_limit_moves_the_transition():
    # spec §3.5 (DERIVED): with real data, Acc → Φ(sign(π + (1−π)λ)‖μ‖)
    n, m = 1e7, 3e7
    pi = n / (n + m)
    eps = np.array([0.5, 0.9, 0.99])
    lam = verification(eps, 1.0, 0.2)[1]
    r = theory_toy(1, n, np.inf, m, 1.0, eps, 1.0, 0.2, 1.0)
    np.testing.assert_allclose(r.accuracy, ndtr(np.sign(pi + (1 - pi) * lam)), atol=1e-4)


# ------------------------------------------------------------------ A5, A6

def test_a5_bayes_bound_on_a_grid():
    eps = np.linspace(0, 1, 41)[:, None]
    ratio = np.array([0.01, 0.1, 1.0, 5.0])[None, :]
    for convention in CONVENTIONS:
        syn = theory_synthetic_only(200, 200 / ratio, 1.3, eps, 0.2, 0.9, 0.5, convention=convention)
        assert np.all(syn.accuracy <= ndtr(1.3))
        toy = theory_toy(200 * ratio, 500, 400, 1000, 1.3, eps, 0.2, 0.9, 0.5, convention=convention)
        assert np.all(toy.accuracy <= ndtr(1.3))


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_a6_positivity_and_deltas_increase_with_p(convention):
    # Fig. 2 grid: n = n̂ = 1000, p = linspace(10, 10000, 50), m ∈ {2n, 5n, 10n}
    p = np.linspace(10, 10_000, 50)[:, None]
    m = np.array([2000, 5000, 10_000])[None, :]
    d = solve_deltas_toy(p, 1000, 1000, m, 0.2, 0.2, 0.9, 1.0, convention=convention)
    for delta in (d.delta_r, d.delta_s, d.delta_g):
        assert np.all(delta > 0)
        assert np.all(np.diff(delta, axis=0) > 0)
    r = theory_toy(p, 1000, 1000, m, 1.0, 0.2, 0.2, 0.9, 1.0, convention=convention)
    assert np.all(r.variance > 0) and np.all(r.h > 0) and np.all(r.h_bar > 0)


# ------------------------------------------------------------------ A7

@pytest.mark.parametrize("convention", CONVENTIONS)
def test_a7_toy_with_perfect_covariance_equals_general_with_identity(convention):
    p = 300
    mu = e1(p, 1.1)
    eps = np.linspace(0, 1, 11)
    toy = theory_toy(p, 400, np.inf, 900, 1.1, eps, 0.2, 0.8, 0.5, convention=convention)
    general = theory(mu, mu, np.eye(p), 400, 900, eps, 0.2, 0.8, 0.5, convention=convention)
    for field in ("accuracy", "mean", "second_moment", "resolvent_trace", "h"):
        np.testing.assert_allclose(getattr(toy, field), getattr(general, field), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(toy.deltas.delta_s, general.deltas.delta_s, rtol=1e-9)
    # the spec's tolerance: 3 decimals; the library nests exactly
    assert np.max(np.abs(toy.accuracy - general.accuracy)) < 5e-4


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_a7_general_without_real_data_equals_synthetic_only_closed_form(convention):
    p = 150
    mu = e1(p, 0.9)
    eps = np.linspace(0, 1, 11)
    general = theory(mu, mu, np.eye(p), 0, 300, eps, 0.3, 0.7, 0.2, convention=convention)
    closed = theory_synthetic_only(p, 300, 0.9, eps, 0.3, 0.7, 0.2, convention=convention)
    for field in ("accuracy", "mean", "second_moment", "resolvent_trace", "h"):
        np.testing.assert_allclose(getattr(closed, field), getattr(general, field), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(closed.deltas.delta_s, general.deltas.delta_s, rtol=1e-9)


def test_a7_toy_is_the_average_of_the_general_theory_over_wishart_draws():
    # the general theorem at a Wishart draw of Ĉ fluctuates around the toy closed form (μᵀf(Ĉ)μ
    # fluctuates at order 1/√n̂); the δ's concentrate much faster
    p, n_hat = 300, 600
    rng = np.random.default_rng(7)
    mu = e1(p, 1.0)
    toy = theory_toy(p, 300, n_hat, 900, 1.0, 0.2, 0.1, 0.9, 0.5)
    accuracies = []
    for _ in range(6):
        Z = rng.standard_normal((p, n_hat))
        general = theory(mu, mu, Z @ Z.T / n_hat, 300, 900, 0.2, 0.1, 0.9, 0.5)
        accuracies.append(general.accuracy)
        assert general.deltas.delta_s == pytest.approx(toy.deltas.delta_s, rel=1e-2)
    assert np.mean(accuracies) == pytest.approx(toy.accuracy, abs=2e-3)

"""Regression tests for the bad-input and numerical holes of issue 7 (item 7) in Part II.

Each test pins one fix: tiny ridge penalties with fewer samples than features, the fixed point near
p/N = 1, solver options, eigenvalues with rounding noise, empty grids, booleans as counts, the scale
invariance of the conditional accuracy, and overflow instead of silent NaN/inf.
"""
from __future__ import annotations

import numpy as np
import pytest

from synthlib import ConvergenceError
from synthlib.rmt import (
    conditional_accuracy,
    generator_model,
    ridge_classifier,
    simulate,
    simulate_grid,
    simulate_pipeline,
    simulate_synthetic_only,
    simulate_toy,
    simulate_toy_grid,
    solve_deltas,
    solve_deltas_toy,
    theory,
    theory_grid,
    theory_synthetic_only,
    theory_toy,
)
from synthlib.rmt._simulate import _classifier_by_svd

P = 50
MU = np.eye(P)[0] * 1.5


# ------------------------------------------------------------------ tiny gamma, fewer samples than features

@pytest.mark.parametrize("run", [
    lambda g: simulate(MU, MU, np.eye(P), 10, 20, 0.2, 0.1, 0.9, g, trials=5, random_state=0, resolvent_trace=True),
    lambda g: simulate_toy(P, 10, 100, 20, 1.5, 0.2, 0.1, 0.9, g, trials=5, random_state=0),
    lambda g: simulate_synthetic_only(P, 20, 1.5, 0.2, 0.1, 0.9, g, trials=5, random_state=0),
], ids=["general", "toy", "synthetic-only"])
def test_simulations_are_right_at_tiny_gamma_when_p_exceeds_n_plus_m(run):
    """Used to raise LinAlgError for gamma <= 1e-15 (p = 50 > n + m = 30); the answer is continuous in gamma."""
    tiny, small = run(1e-16), run(1e-10)
    assert np.isfinite(tiny.accuracy) and 0.5 < tiny.accuracy < 1
    assert tiny.accuracy == pytest.approx(small.accuracy, abs=1e-7)
    assert tiny.second_moment == pytest.approx(small.second_moment, rel=1e-6)
    if tiny.resolvent_trace is not None:   # (1/p) tr Q ~ (p − rank)/(p γ): huge but finite
        assert np.isfinite(tiny.resolvent_trace) and tiny.resolvent_trace > 1e15


def test_svd_route_equals_the_cholesky_route():
    rng = np.random.default_rng(0)
    H = rng.standard_normal((12, 7))
    c = rng.standard_normal(7)
    N, gamma = 40, 0.3
    w, trace = _classifier_by_svd(H, c, N, gamma, with_trace=True)
    Q = np.linalg.inv(H @ H.T / N + gamma * np.eye(12))
    np.testing.assert_allclose(w, Q @ H @ c / N, rtol=1e-12)
    assert trace == pytest.approx(np.trace(Q) / 12, rel=1e-12)


def test_pipeline_is_right_at_tiny_gamma():
    """Issue 7: gamma = 1e-16 reported 0.516 where gamma = 1e-12 (and the truth) give 0.745."""
    kw = dict(p=200, n=10, n_hat=100, n_syn=[20], mu_norm=1.5, eps=0.2, rho=0.1, phi=0.9, trials=20,
              random_state=0)
    tiny = simulate_pipeline(gamma=1e-16, **kw).accuracy[0]
    reference = simulate_pipeline(gamma=1e-8, **kw).accuracy[0]
    assert tiny == pytest.approx(reference, abs=1e-5)
    assert tiny == pytest.approx(0.745, abs=0.005)


def test_ridge_classifier_at_tiny_gamma_is_the_minimum_norm_interpolator():
    X = np.ones((3, 10))
    np.testing.assert_allclose(ridge_classifier(X, np.ones(3), 1e-300), np.full(10, 0.1), rtol=1e-10)
    # huge entries: no overflow, the same direction
    np.testing.assert_allclose(ridge_classifier(1e200 * X, np.ones(3), 1.0), np.full(10, 1e-201), rtol=1e-10)
    with pytest.raises(ValueError, match="weights"):
        ridge_classifier(X, np.ones(3), 1.0, weights=[1.0, -1.0, 1.0])


def test_huge_gamma_keeps_the_accuracy_of_the_direction():
    """w ~ 1/gamma underflows its norm at gamma = 1e300: the accuracy must stay that of w's direction."""
    mu = np.eye(5)[0]
    huge = simulate(mu, mu, np.eye(5), 10, 20, 0.1, 0.2, 0.8, 1e300, trials=2, random_state=0).accuracy
    large = simulate(mu, mu, np.eye(5), 10, 20, 0.1, 0.2, 0.8, 1e3, trials=2, random_state=0).accuracy
    assert huge == pytest.approx(large, abs=1e-4)


# ------------------------------------------------------------------ fixed points

HALF_NULL = np.r_[np.zeros(200), np.ones(200)]   # p = 400, N = 800, but p/n = 1 on the null space


@pytest.mark.parametrize("convention", ["corrected", "paper_code"])
def test_fixed_point_converges_near_p_over_n_one_at_tiny_gamma(convention):
    """Used to stop after 2000 plain steps (delta ~ gamma^{-1/2} grows by O(1) per step)."""
    gamma, n, m, eps, rho, phi = 1e-12, 200, 600, 0.1, 0.2, 0.9
    d = solve_deltas(HALF_NULL, n, m, eps, rho, phi, gamma, convention=convention)
    alpha = phi * (1 - eps) + rho * eps
    N, pi = n + m, n / (n + m)
    kappa = 1.0 if convention == "corrected" else alpha
    dd = gamma + pi / (1 + d.delta_r) + alpha * (1 - pi) * HALF_NULL / (1 + d.delta_s)
    np.testing.assert_allclose([d.delta_r, d.delta_s], [np.sum(1 / dd) / N, kappa * np.sum(HALF_NULL / dd) / N],
                               rtol=1e-9)
    assert d.delta_r > 1e5   # of order gamma^{-1/2}


def test_theory_at_tiny_gamma_with_p_equal_to_n():
    mu = np.eye(200)[0] * 1.5
    at = [theory(mu, mu, np.eye(200), 80, 120, 0.2, 0.1, 0.9, g).accuracy for g in (1e-14, 1e-10)]
    assert at[0] == pytest.approx(at[1], abs=1e-5)
    toy = [theory_toy(200, 80, 150, 120, 1.5, 0.2, 0.1, 0.9, g).accuracy for g in (1e-14, 1e-10)]
    assert toy[0] == pytest.approx(toy[1], abs=1e-5)


@pytest.mark.parametrize("tol", [np.nan, np.inf, 0.0, -1e-3, 1.0, True, "tight"])
def test_tol_is_validated_everywhere(tol):
    mu = np.eye(5)[0]
    model = generator_model(mu, mu, np.eye(5))
    calls = [lambda: solve_deltas(np.ones(3), 1, 2, 0.1, 0.1, 0.9, 1.0, tol=tol),
             lambda: solve_deltas_toy(5, 10, 10, 10, 0.1, 0.1, 0.9, 1.0, tol=tol),
             lambda: theory(mu, mu, np.eye(5), 10, 20, 0.1, 0.2, 0.8, 1.0, tol=tol),
             lambda: theory_toy(5, 10, 10, 20, 1.0, 0.1, 0.2, 0.8, 1.0, tol=tol),
             lambda: model.theory(10, 20, 0.1, 0.2, 0.8, 1.0, tol=tol),
             lambda: theory_grid(mu, mu, np.eye(5), 10, 20, 0.1, 0.2, 0.8, 1.0, tol=tol),
             lambda: theory(mu, mu, np.eye(5), 10, 20, 0.1, 0.2, 0.8, 1.0, tol=tol, C_real=np.eye(5))]
    for call in calls:
        with pytest.raises(ValueError, match="tol"):
            call()


@pytest.mark.parametrize("max_iter", [0, -3, 2.5, True, np.nan])
def test_max_iter_is_validated(max_iter):
    mu = np.eye(5)[0]
    with pytest.raises(ValueError, match="max_iter"):
        solve_deltas(np.ones(3), 1, 2, 0.1, 0.1, 0.9, 1.0, max_iter=max_iter)
    with pytest.raises(ValueError, match="max_iter"):
        theory(mu, mu, np.eye(5), 10, 20, 0.1, 0.2, 0.8, 1.0, max_iter=max_iter)


def test_theory_reports_non_convergence_with_its_last_residual():
    mu = np.eye(40)[0]
    with pytest.raises(ConvergenceError) as info:
        theory(mu, mu, np.diag(np.linspace(0.1, 3, 40)), 30, 60, 0.2, 0.1, 0.9, 0.01, max_iter=1)
    assert info.value.iterations == 1 and info.value.residual > 1e-12
    with pytest.raises(ConvergenceError):
        theory_toy(40, 30, 50, 60, 1.0, 0.2, 0.1, 0.9, 0.01, max_iter=1)


def test_solve_deltas_accepts_eigvalsh_of_a_singular_psd_matrix():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((30, 10))
    eig = np.linalg.eigvalsh(A @ A.T / 10)
    assert eig.min() < 0   # rounding noise below zero: the input of the issue
    got = solve_deltas(eig, 20, 40, 0.1, 0.2, 0.9, 0.5)
    ref = solve_deltas(np.clip(eig, 0, None), 20, 40, 0.1, 0.2, 0.9, 0.5)
    assert (got.delta_r, got.delta_s) == (ref.delta_r, ref.delta_s)
    with pytest.raises(ValueError, match="eigvals"):
        solve_deltas(np.r_[eig, -1e-3], 20, 40, 0.1, 0.2, 0.9, 0.5)


# ------------------------------------------------------------------ grids, booleans, finiteness

def test_empty_grids_raise_value_error_naming_the_parameter():
    mu = np.eye(5)[0]
    calls = {"n_syn": lambda: theory(mu, mu, np.eye(5), 10, [], 0.1, 0.2, 0.8, 1.0),
             "eps": lambda: theory_grid(mu, mu, np.eye(5), 10, 20, [], 0.2, 0.8, 1.0),
             "rho": lambda: simulate_grid(mu, mu, np.eye(5), 10, 20, 0.1, [], 0.8, 1.0, trials=2),
             "p": lambda: simulate_toy_grid([], 10, 20, 20, 1.0, 0.1, 0.2, 0.8, 1.0, trials=2),
             "gamma": lambda: theory_toy(5, 10, 10, 20, 1.0, 0.1, 0.2, 0.8, []),
             "phi": lambda: theory_synthetic_only(5, 20, 1.0, 0.1, 0.2, np.zeros((2, 0)), 1.0),
             "eigvals": lambda: solve_deltas([], 1, 2, 0.1, 0.1, 0.9, 1.0)}
    for name, call in calls.items():
        with pytest.raises(ValueError, match=name):
            call()
    with pytest.raises(ValueError, match="n_syn"):
        simulate_pipeline(p=5, n=2, n_hat=5, n_syn=[], mu_norm=1, eps=0.1, rho=0.1, phi=0.9, gamma=1, trials=2)


def test_booleans_are_refused_as_counts_and_numbers():
    mu = np.eye(5)[0]
    calls = {"n": lambda: simulate(mu, mu, np.eye(5), True, 20, 0.1, 0.2, 0.8, 1.0, trials=2),
             "trials": lambda: simulate(mu, mu, np.eye(5), 10, 20, 0.1, 0.2, 0.8, 1.0, trials=True),
             "p": lambda: simulate_toy(True, 10, 10, 20, 1.0, 0.1, 0.2, 0.8, 1.0, trials=2),
             "n_syn": lambda: theory_grid(mu, mu, np.eye(5), 10, [True, 20], 0.1, 0.2, 0.8, 1.0),
             "eps": lambda: theory(mu, mu, np.eye(5), 10, 20, False, 0.2, 0.8, 1.0),
             "gamma": lambda: theory_toy(5, 10, 10, 20, 1.0, 0.1, 0.2, 0.8, True),
             "mu": lambda: generator_model(np.array([True, False]), np.ones(2), np.eye(2))}
    for name, call in calls.items():
        with pytest.raises(ValueError, match=name):
            call()
    with pytest.raises(ValueError, match="n_syn"):
        simulate_pipeline(p=5, n=2, n_hat=5, n_syn=[True], mu_norm=1, eps=0.1, rho=0.1, phi=0.9, gamma=1, trials=2)


def test_conditional_accuracy_is_scale_invariant():
    mu = np.array([1.0, 0.0])
    expected = conditional_accuracy(np.ones(2), mu)
    for scale in (1e200, 1e-200, 1e-320):
        assert conditional_accuracy(scale * np.ones(2), mu) == pytest.approx(expected, rel=1e-14)
    stack = np.array([[1e200, 1e200], [-1e-300, 0.0]])
    np.testing.assert_allclose(conditional_accuracy(stack, mu), [expected, 1 - conditional_accuracy(mu, mu)])
    with pytest.raises(ValueError, match="zero vector"):
        conditional_accuracy(np.zeros((2, 2)), mu)


def test_overflow_is_an_error_not_a_silent_inf():
    mu = np.eye(5)[0]
    with pytest.raises(ValueError, match="gamma"):
        simulate(mu, mu, np.eye(5), 1, 2, 0.1, 0.2, 0.8, 1e-320, trials=2, random_state=0, resolvent_trace=True)

"""The fast Monte-Carlo route against a naive one, reproducibility and the joblib sweeps."""
from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from synthlib import summarize
from synthlib.rmt import (
    conditional_accuracy,
    corrupt_and_verify,
    gaussian_mixture,
    generator_spectrum,
    ridge_classifier,
    simulate,
    simulate_grid,
    simulate_synthetic_only,
    simulate_toy,
    simulate_toy_grid,
    theory,
    theory_grid,
    theory_toy,
)
from synthlib.rmt._simulate import wishart_factor


def naive_trial(rng, mu, mu_hat, C_root, n, m, eps, rho, phi, gamma):
    """One trial the obvious way: every sample drawn, labels flipped, verified, ridge fitted."""
    p = mu.size
    X, y = gaussian_mixture(n, mu, random_state=rng) if n else (np.zeros((0, p)), np.zeros(0))
    y_syn = np.where(np.arange(m) < m // 2, -1.0, 1.0)
    X_syn = y_syn[:, None] * mu_hat + rng.standard_normal((m, p)) @ C_root
    y_noisy, keep = corrupt_and_verify(y_syn, eps, rho, phi, random_state=rng)
    w = ridge_classifier(np.vstack([X, X_syn[keep]]), np.concatenate([y, y_noisy[keep]]), gamma, N=n + m)
    mean = mu @ w
    return conditional_accuracy(w, mu), mean, mean ** 2 + w @ w


def symmetric_root(C):
    eigvals, eigvecs = np.linalg.eigh(C)
    return (eigvecs * np.sqrt(np.clip(eigvals, 0, None))) @ eigvecs.T


def assert_same_law(fast, naive, label):
    for j, field in enumerate(("accuracy", "mean", "second_moment")):
        gap = abs(getattr(fast, field) - naive.mean[j])
        assert gap <= 3.5 * np.hypot(getattr(fast, f"{field}_se"), naive.se[j]), (label, field)


@pytest.mark.slow
def test_fast_route_matches_naive_route_general_model():
    rng = np.random.default_rng(5)
    p = 30
    mu = rng.standard_normal(p)
    mu *= 1.2 / np.linalg.norm(mu)
    mu_hat = mu + 0.3 * rng.standard_normal(p) / np.sqrt(p)
    A = rng.standard_normal((p, 45))
    C_hat = A @ A.T / 45
    root = symmetric_root(C_hat)
    # mixed with flipped samples kept, and synthetic only (n = 0) with odd sizes
    for n, m, eps, rho, phi, gamma in ((41, 97, 0.3, 0.4, 0.8, 0.3), (0, 77, 0.2, 0.5, 0.7, 0.1)):
        draws = [naive_trial(rng, mu, mu_hat, root, n, m, eps, rho, phi, gamma) for _ in range(600)]
        naive = summarize(np.array(draws))
        fast = simulate(mu, mu_hat, C_hat, n, m, eps, rho, phi, gamma, trials=600, random_state=7)
        assert_same_law(fast, naive, (n, m))


@pytest.mark.slow
@pytest.mark.parametrize("n_hat", [25, 60])   # Ĉ singular (n̂ < p) and invertible
def test_fast_route_matches_naive_route_toy_model(n_hat):
    rng = np.random.default_rng(n_hat)
    p, n, m = 40, 60, 120
    mu = np.zeros(p)
    mu[0] = 1.0
    draws = []
    with threadpool_limits(1):   # many tiny eigh calls: threads only slow them down
        for _ in range(600):
            Z = rng.standard_normal((p, n_hat))
            root = symmetric_root(Z @ Z.T / n_hat)
            draws.append(naive_trial(rng, mu, mu, root, n, m, 0.2, 0.3, 0.9, 0.5))
    naive = summarize(np.array(draws))
    fast = simulate_toy(p, n, n_hat, m, 1.0, 0.2, 0.3, 0.9, 0.5, trials=1200, random_state=n_hat + 1)
    assert_same_law(fast, naive, n_hat)
    th = theory_toy(p, n, n_hat, m, 1.0, 0.2, 0.3, 0.9, 0.5)
    assert abs(fast.accuracy - th.accuracy) <= 3 * fast.accuracy_se + 0.01   # p = 40: small-p bias


def test_wishart_factor_has_the_wishart_mean():
    rng = np.random.default_rng(0)
    for dim, dof in ((6, 3), (6, 6), (6, 20)):
        total = np.zeros((dim, dim))
        for _ in range(4000):
            B = wishart_factor(rng, dim, dof)
            total += B @ B.T
        np.testing.assert_allclose(total / 4000, dof * np.eye(dim), atol=0.15 * dof)
    assert wishart_factor(rng, 5, 0).shape == (5, 0)


def test_wishart_factor_bartlett_variance():
    # Var(W_11) = 2 dof for W ~ Wishart(dof, I): the Bartlett diagonal must be χ²(dof), not χ²(dof − 1)
    rng = np.random.default_rng(1)
    w11 = [wishart_factor(rng, 4, 10)[0, 0] ** 2 for _ in range(20000)]
    assert np.mean(w11) == pytest.approx(10, rel=0.03)
    assert np.var(w11) == pytest.approx(20, rel=0.06)


# ------------------------------------------------------------------ reproducibility

def test_same_seed_same_numbers():
    p = 20
    mu = np.zeros(p)
    mu[0] = 1.0
    a = simulate(mu, mu, np.eye(p), 30, 60, 0.2, 0.1, 0.9, 0.5, trials=5, random_state=42)
    b = simulate(mu, mu, np.eye(p), 30, 60, 0.2, 0.1, 0.9, 0.5, trials=5, random_state=42)
    c = simulate(mu, mu, np.eye(p), 30, 60, 0.2, 0.1, 0.9, 0.5, trials=5, random_state=43)
    assert a == b and a != c
    assert simulate_toy(20, 30, 40, 60, 1.0, 0.2, 0.1, 0.9, 0.5, 4, random_state=3) == \
        simulate_toy(20, 30, 40, 60, 1.0, 0.2, 0.1, 0.9, 0.5, 4, random_state=3)
    assert simulate_synthetic_only(20, 60, 1.0, 0.2, 0.1, 0.9, 0.5, 4, random_state=3) == \
        simulate_synthetic_only(20, 60, 1.0, 0.2, 0.1, 0.9, 0.5, 4, random_state=3)
    # a Generator is advanced, not copied
    rng = np.random.default_rng(0)
    first = simulate_toy(10, 20, 20, 20, 1.0, 0.0, 0.0, 1.0, 1.0, 3, random_state=rng)
    second = simulate_toy(10, 20, 20, 20, 1.0, 0.0, 0.0, 1.0, 1.0, 3, random_state=rng)
    assert first != second


def test_spectrum_can_be_reused_and_blas_threads_do_not_change_numbers():
    p = 15
    rng = np.random.default_rng(3)
    mu, mu_hat = rng.standard_normal(p), rng.standard_normal(p)
    A = rng.standard_normal((p, 30))
    C = A @ A.T / 30
    spec = generator_spectrum(mu, mu_hat, C)
    a = spec.simulate(20, 40, 0.1, 0.2, 0.9, 1.0, trials=3, random_state=1)
    b = simulate(mu, mu_hat, C, 20, 40, 0.1, 0.2, 0.9, 1.0, trials=3, random_state=1, blas_threads=None)
    np.testing.assert_allclose([a.accuracy, a.mean, a.second_moment], [b.accuracy, b.mean, b.second_moment],
                               rtol=1e-10)
    assert spec.theory(20, 40, 0.1, 0.2, 0.9, 1.0) == theory(mu, mu_hat, C, 20, 40, 0.1, 0.2, 0.9, 1.0)


# ------------------------------------------------------------------ sweeps

def test_theory_grid_equals_vectorised_theory():
    p = 40
    mu = np.zeros(p)
    mu[0] = 1.2
    eps = np.linspace(0, 1, 7)
    m = np.array([[50], [400]])
    grid = theory_grid(mu, mu, np.eye(p), 100, m, eps, 0.2, 0.8, 0.5, chunk_size=5)
    direct = theory(mu, mu, np.eye(p), 100, m, eps, 0.2, 0.8, 0.5)
    assert grid.accuracy.shape == (2, 7)
    np.testing.assert_allclose(grid.accuracy, direct.accuracy, rtol=1e-12)
    np.testing.assert_allclose(grid.deltas.delta_s, direct.deltas.delta_s, rtol=1e-12)


def test_simulation_grids_do_not_depend_on_n_jobs():
    p = 12
    mu = np.zeros(p)
    mu[0] = 1.0
    serial = simulate_grid(mu, mu, np.eye(p), 20, [30, 60], [[0.1], [0.6]], 0.2, 0.9, 1.0, trials=3,
                           random_state=9)
    parallel = simulate_grid(mu, mu, np.eye(p), 20, [30, 60], [[0.1], [0.6]], 0.2, 0.9, 1.0, trials=3,
                             random_state=9, n_jobs=2)
    assert serial.accuracy.shape == (2, 2)
    np.testing.assert_array_equal(serial.accuracy, parallel.accuracy)
    toy_serial = simulate_toy_grid([10, 20], 20, 30, 40, 1.0, 0.1, 0.0, 1.0, 1.0, 3, random_state=5)
    toy_parallel = simulate_toy_grid([10, 20], 20, 30, 40, 1.0, 0.1, 0.0, 1.0, 1.0, 3, random_state=5, n_jobs=2)
    np.testing.assert_array_equal(toy_serial.second_moment, toy_parallel.second_moment)
    # each grid point is an ordinary simulation with its spawned stream
    assert toy_serial.trials == 3 and np.all(toy_serial.accuracy_se > 0)


def test_theory_chunks_give_the_same_numbers(monkeypatch):
    import synthlib.rmt._theory as theory_module
    p = 30
    rng = np.random.default_rng(8)
    A = rng.standard_normal((p, 45))
    mu = np.zeros(p)
    mu[0] = 1.0
    spec = generator_spectrum(mu, mu + 0.1, A @ A.T / 45)
    eps = np.linspace(0, 1, 17)
    whole = spec.theory(50, [[40], [200]], eps, 0.2, 0.8, 0.5)
    monkeypatch.setattr(theory_module, "_CHUNK_ENTRIES", 100)   # 3 grid points per chunk
    chunked = spec.theory(50, [[40], [200]], eps, 0.2, 0.8, 0.5)
    np.testing.assert_allclose(whole.accuracy, chunked.accuracy, rtol=1e-13)   # BLAS blocking may differ
    np.testing.assert_allclose(whole.deltas.delta_r, chunked.deltas.delta_r, rtol=1e-13)

"""Property tests (hypothesis) over valid parameter ranges: accuracy in [0, 1] and below the Bayes
bound Φ(‖μ‖), every δ > 0, ν − m² > 0, h > 0, and the fixed points really are fixed points."""
from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.special import ndtr

from synthlib.rmt import (
    solve_delta_synthetic_only,
    solve_deltas,
    theory,
    theory_synthetic_only,
    theory_toy,
    verification,
)

SETTINGS = settings(max_examples=60, deadline=None)

probability = st.floats(0.0, 1.0, allow_subnormal=False)
log_gamma = st.floats(-3.0, 1.5)          # γ from 1e-3 to ~30
mu_norm = st.floats(0.0, 3.0)
# sample sizes: none at all, or at least one (not 1e-228 samples)
sizes = st.one_of(st.just(0.0), st.floats(1, 5000))
convention = st.sampled_from(["corrected", "paper_code"])


def check_common(result, norm):
    assert 0.0 <= result.accuracy <= 1.0
    assert result.accuracy <= ndtr(norm) + 1e-9
    assert result.variance > 0
    assert result.h > 0
    assert result.deltas.delta_s > 0
    assert result.resolvent_trace > 0


@SETTINGS
@given(p=st.floats(1, 3000), n=sizes, n_hat=st.one_of(st.floats(1, 10_000), st.just(np.inf)), m=sizes, norm=mu_norm,
       eps=probability, rho=probability, phi=probability, log_g=log_gamma)
def test_toy_properties(p, n, n_hat, m, norm, eps, rho, phi, log_g):
    alpha, _ = verification(eps, rho, phi)
    assume(n >= 1 or alpha * m >= 1)
    gamma = 10 ** log_g
    r = theory_toy(p, n, n_hat, m, norm, eps, rho, phi, gamma)   # the corrected formulas: always valid
    check_common(r, norm)
    assert r.deltas.delta_r > 0 and r.h_bar > 0
    dr, ds, dg = r.deltas.delta_r, r.deltas.delta_s, r.deltas.delta_g
    # the three fixed-point equations of §3.3 hold
    N = n + m
    pi = n / N
    b0 = gamma + pi / (1 + dr)
    beta = alpha * (1 - pi) / (1 + ds)
    b = b0 + beta / (1 + dg)
    eta_hat = p / n_hat
    np.testing.assert_allclose([dr, dg, ds], [p / N / b, beta * eta_hat / b, dr / (1 + dg)], rtol=1e-9, atol=1e-14)
    assert dg > 0 if (alpha * m > 1e-200 and np.isfinite(n_hat)) else dg >= 0


@SETTINGS
@given(p=st.floats(1, 3000), m=st.floats(1, 10_000), norm=mu_norm, eps=probability, rho=probability,
       phi=probability, log_g=log_gamma, conv=convention)
def test_synthetic_only_properties(p, m, norm, eps, rho, phi, log_g, conv):
    alpha, _ = verification(eps, rho, phi)
    assume(alpha > 1e-3)
    gamma = 10 ** log_g
    if conv == "paper_code":
        # the code's δ can leave the domain of its own second-order formula (h <= 0): only test inside
        delta = solve_delta_synthetic_only(p, m, eps, rho, phi, gamma, conv)
        assume(1 - alpha * p / m / (alpha + gamma * (1 + delta)) ** 2 > 1e-6)
    r = theory_synthetic_only(p, m, norm, eps, rho, phi, gamma, convention=conv)
    check_common(r, norm)
    delta = r.deltas.delta_s
    eta_eff = p / m if conv == "corrected" else alpha * p / m
    assert abs(gamma * delta ** 2 + (gamma + alpha - eta_eff) * delta - eta_eff) <= 1e-9 * max(1.0, eta_eff, delta)


@SETTINGS
@given(seed=st.integers(0, 2 ** 31 - 1), p=st.integers(2, 25), rank=st.integers(1, 50),
       n=st.integers(0, 400), m=st.integers(0, 800), norm=st.floats(0.0, 2.5), shift=st.floats(0.0, 1.0),
       eps=probability, rho=probability, phi=probability, log_g=log_gamma)
def test_general_properties(seed, p, rank, n, m, norm, shift, eps, rho, phi, log_g):
    alpha, _ = verification(eps, rho, phi)
    assume(n >= 1 or alpha * m >= 1)
    gamma = 10 ** log_g
    rng = np.random.default_rng(seed)
    mu = rng.standard_normal(p)
    mu *= norm / max(np.linalg.norm(mu), 1e-12)
    mu_hat = mu + shift * rng.standard_normal(p) / np.sqrt(p)
    A = rng.standard_normal((p, rank))
    C_hat = A @ A.T / rank                    # singular when rank < p
    r = theory(mu, mu_hat, C_hat, n, m, eps, rho, phi, gamma)
    check_common(r, np.linalg.norm(mu))
    assert r.deltas.delta_r > 0
    assert r.resolvent_trace <= 1 / gamma + 1e-12      # Q̄ ≼ I/γ
    # the fixed point of §3.1 (corrected) holds
    eigvals = np.clip(np.linalg.eigvalsh(C_hat), 0, None)
    N = n + m
    pi = n / N
    d = gamma + pi / (1 + r.deltas.delta_r) + alpha * (1 - pi) * eigvals / (1 + r.deltas.delta_s)
    np.testing.assert_allclose([r.deltas.delta_r, r.deltas.delta_s], [np.sum(1 / d) / N, np.sum(eigvals / d) / N],
                               rtol=1e-9, atol=1e-14)


@SETTINGS
@given(p=st.integers(1, 2000), n=st.integers(0, 3000), m=st.integers(0, 6000), eps=probability,
       rho=probability, phi=probability, log_g=log_gamma, conv=convention, spread=st.floats(0.0, 3.0))
def test_fixed_points_converge_on_grids(p, n, m, eps, rho, phi, log_g, conv, spread):
    assume(n + m >= 1)
    eigvals = np.linspace(max(0.0, 1 - spread), 1 + spread, min(p, 300))
    gamma = 10 ** log_g
    eps_grid = np.linspace(0, 1, 5) * eps
    d = solve_deltas(eigvals, n, m, eps_grid, rho, phi, gamma, convention=conv)
    assert np.all(d.delta_r > 0) and np.all(np.isfinite(d.delta_s)) and np.all(d.delta_s >= 0)

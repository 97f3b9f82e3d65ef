"""The general deterministic equivalent with a non-identity real covariance C_real (DERIVED).

* exact reduction to the eigenbasis route when C_real = I, and exact invariances
  (rotation; the scaling x -> sqrt(c) x with gamma -> c gamma);
* agreement with Monte Carlo on explicit Gaussian data of covariance C_real
  (exact conditional accuracy Phi(mu^T w / sqrt(w^T C_real w))) within 3 SE + 0.005,
  for an anisotropic and a correlated (AR(1)) real covariance, one with a singular C_hat;
* the fast exact simulation with C_real against the same explicit route;
* bad input raises ValueError naming the parameter.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtr
from threadpoolctl import threadpool_limits

from synthlib import summarize
from synthlib.rmt import (
    CovarianceModel,
    corrupt_and_verify,
    covariance_model,
    ridge_classifier,
    simulate,
    simulate_grid,
    theory,
    theory_grid,
)

FIELDS = ("accuracy", "mean", "second_moment", "resolvent_trace", "h")


def random_rotation(rng, p):
    q, r = np.linalg.qr(rng.standard_normal((p, p)))
    return q * np.sign(np.diag(r))


def fitted_generator(rng, mu, root, n_hat):
    """(mu_hat, C_hat) of a Gaussian fitted on n_hat label-signed real samples mu + root g."""
    U = mu + rng.standard_normal((n_hat, root.shape[1])) @ root.T
    mu_hat = U.mean(axis=0)
    R = U - mu_hat
    return mu_hat, R.T @ R / n_hat


def root_of(C):
    eigvals, eigvecs = np.linalg.eigh(C)
    keep = eigvals > 1e-10 * max(1.0, eigvals[-1])
    return eigvecs[:, keep] * np.sqrt(eigvals[keep])


def anisotropic_pair(p=150, seed=1):
    """C_real with a log-uniform spectrum over [0.05, 20] in a random basis; generator fitted on 2p samples."""
    rng = np.random.default_rng(seed)
    eigvals = np.exp(np.linspace(np.log(0.05), np.log(20.0), p))
    rot = random_rotation(rng, p)
    C_real = (rot * eigvals) @ rot.T
    C_real = (C_real + C_real.T) / 2
    mu = rng.standard_normal(p)
    mu *= 1.0 / np.linalg.norm(mu)
    mu_hat, C_hat = fitted_generator(rng, mu, rot * np.sqrt(eigvals), 2 * p)
    return mu, mu_hat, C_hat, C_real


def correlated_pair(p=150, seed=2):
    """AR(1) C_real (correlation 0.6); an unrelated singular C_hat of rank p/2; a biased mu_hat."""
    rng = np.random.default_rng(seed)
    idx = np.arange(p)
    C_real = 0.6 ** np.abs(idx[:, None] - idx[None, :])
    B = rng.standard_normal((p, p // 2))
    C_hat = B @ B.T / (p // 2)
    mu = np.zeros(p)
    mu[:5] = 0.6
    mu_hat = 0.8 * mu + 0.3 * rng.standard_normal(p) / np.sqrt(p)
    return mu, mu_hat, C_hat, C_real


def explicit_trial(rng, mu, mu_hat, real_root, synthetic_root, C_real, n, n_syn, eps, rho, phi, gamma):
    """One trial with every sample drawn: x = y mu + C_real^{1/2} z, synthetic, noise, verifier, ridge."""
    y = np.where(np.arange(n) < n // 2, -1.0, 1.0)
    X = y[:, None] * mu + rng.standard_normal((n, real_root.shape[1])) @ real_root.T
    y_syn = np.where(np.arange(n_syn) < n_syn // 2, -1.0, 1.0)
    X_syn = y_syn[:, None] * mu_hat + rng.standard_normal((n_syn, synthetic_root.shape[1])) @ synthetic_root.T
    y_noisy, keep = corrupt_and_verify(y_syn, eps, rho, phi, random_state=rng)
    w = ridge_classifier(np.vstack([X, X_syn[keep]]), np.r_[y, y_noisy[keep]], gamma, N=n + n_syn)
    mean = mu @ w
    spread = w @ C_real @ w
    return ndtr(mean / np.sqrt(spread)), mean, mean ** 2 + spread


def explicit_monte_carlo(mu, mu_hat, C_hat, C_real, n, n_syn, eps, rho, phi, gamma, trials, seed):
    rng = np.random.default_rng(seed)
    real_root, synthetic_root = root_of(C_real), root_of(C_hat)
    with threadpool_limits(1):
        draws = [explicit_trial(rng, mu, mu_hat, real_root, synthetic_root, C_real, n, n_syn, eps, rho, phi, gamma)
                 for _ in range(trials)]
    return summarize(np.array(draws))


# ------------------------------------------------------------------ exact statements


@pytest.mark.parametrize("convention", ["corrected", "paper_code"])
def test_identity_real_covariance_reproduces_the_eigenbasis_route(convention):
    rng = np.random.default_rng(0)
    p = 60
    mu = rng.standard_normal(p)
    mu *= 1.3 / np.linalg.norm(mu)
    mu_hat = mu + 0.3 * rng.standard_normal(p) / np.sqrt(p)
    for rank in (p + 30, p // 2):   # invertible and singular C_hat
        A = rng.standard_normal((p, rank))
        C_hat = A @ A.T / rank
        args = (mu, mu_hat, C_hat, np.array([0, 40, 200.0])[:, None], 150, np.linspace(0, 1, 6),
                0.2, 0.8, 0.5)
        reference = theory(*args, convention=convention)
        dense = theory(*args, convention=convention, C_real=np.eye(p))
        for field in FIELDS:
            np.testing.assert_allclose(getattr(dense, field), getattr(reference, field), rtol=1e-10,
                                       atol=1e-12, err_msg=field)
        for name in ("delta_r", "delta_s"):
            np.testing.assert_allclose(getattr(dense.deltas, name), getattr(reference.deltas, name),
                                       rtol=1e-10, atol=1e-12)


def test_check_c2_through_the_dense_route():
    """Spec check C2 (C_hat = I, mu_hat = mu): the library's doctest values through C_real = I."""
    p = 400
    mu = np.zeros(p)
    mu[0] = 1.5
    r = theory(mu, mu, np.eye(p), 200, 800, 0.4, 0.1, 0.5, 0.1, C_real=np.eye(p))
    assert (round(r.accuracy, 4), round(r.mean, 4), round(r.second_moment, 4)) == (0.7879, 0.5199, 0.6934)


def test_rotation_and_scaling_invariance():
    """Exact: rotating every object changes nothing; x -> sqrt(c) x with gamma -> c gamma keeps the accuracy."""
    mu, mu_hat, C_hat, C_real = anisotropic_pair(p=40, seed=3)
    grid = dict(n=np.array([0, 30, 120.0])[:, None], n_syn=80, eps=np.linspace(0, 0.9, 4), rho=0.3, phi=0.9)
    base = theory(mu, mu_hat, C_hat, gamma=0.4, C_real=C_real, **grid)
    rot = random_rotation(np.random.default_rng(4), mu.size)
    rotated = theory(rot @ mu, rot @ mu_hat, rot @ C_hat @ rot.T, gamma=0.4, C_real=rot @ C_real @ rot.T, **grid)
    np.testing.assert_allclose(rotated.accuracy, base.accuracy, rtol=1e-9)
    np.testing.assert_allclose(rotated.second_moment, base.second_moment, rtol=1e-9)
    c = 3.7
    scaled = theory(np.sqrt(c) * mu, np.sqrt(c) * mu_hat, c * C_hat, gamma=c * 0.4, C_real=c * C_real, **grid)
    np.testing.assert_allclose(scaled.accuracy, base.accuracy, rtol=1e-9)
    np.testing.assert_allclose(scaled.mean, base.mean, rtol=1e-9)


def test_model_object_matches_the_one_call_api_and_the_grids():
    mu, mu_hat, C_hat, C_real = correlated_pair(p=30)
    model = covariance_model(mu, mu_hat, C_hat, C_real)
    assert isinstance(model, CovarianceModel) and model.p == 30
    eps = np.linspace(0, 1, 5)
    one = theory(mu, mu_hat, C_hat, 40, 90, eps, 0.2, 0.9, 0.3, C_real=C_real)
    reused = model.theory(40, 90, eps, 0.2, 0.9, 0.3)
    chunked = theory_grid(mu, mu_hat, C_hat, 40, 90, eps, 0.2, 0.9, 0.3, chunk_size=2, C_real=C_real)
    for field in FIELDS:
        np.testing.assert_allclose(getattr(reused, field), getattr(one, field), rtol=1e-12)
        np.testing.assert_allclose(getattr(chunked, field), getattr(one, field), rtol=1e-12)
    sims = simulate_grid(None, None, model, 40, 90, [0.0, 0.9], 0.2, 0.9, 0.3, trials=4, random_state=0)
    assert sims.accuracy.shape == (2,) and sims.accuracy[0] > sims.accuracy[1]


def test_below_chance_is_signed_and_bayes_bound_holds():
    mu, mu_hat, C_hat, C_real = anisotropic_pair(p=50, seed=5)
    model = covariance_model(mu, mu_hat, C_hat, C_real)
    # synthetic only, flipped labels kept more than correct ones: lambda < 0
    r = model.theory(0, 400, np.linspace(0, 1, 21), 0.9, 0.3, 0.2)
    assert np.all(r.accuracy <= model.bayes_accuracy + 1e-12)
    assert r.accuracy[0] > 0.5 > r.accuracy[-1]
    assert np.all(r.variance > 0) and np.all(r.h > 0)
    assert np.all(r.deltas.delta_r > 0) and np.all(r.deltas.delta_s > 0)


def test_singular_real_covariance():
    """Constant features (zero real variance) are allowed; the theory stays finite and below Bayes."""
    mu, mu_hat, C_hat, C_real = correlated_pair(p=30)
    C_real = C_real.copy()
    C_real[:, -3:] = 0
    C_real[-3:, :] = 0
    mu = mu.copy()
    mu[-3:] = 0
    model = covariance_model(mu, mu_hat, C_hat, C_real)
    assert model.real_eigenvalues[0] == 0
    r = model.theory(40, [0, 40, 400], 0.1, 0.1, 0.9, 0.5)
    assert np.all(np.isfinite(r.accuracy)) and np.all(r.accuracy <= model.bayes_accuracy)


# ------------------------------------------------------------------ Monte Carlo


@pytest.mark.slow
@pytest.mark.parametrize("pair, setting", [
    (anisotropic_pair, dict(n=200, n_syn=400, eps=0.2, rho=0.1, phi=0.9, gamma=0.1)),
    (anisotropic_pair, dict(n=60, n_syn=600, eps=0.3, rho=1.0, phi=1.0, gamma=1.0)),
    (correlated_pair, dict(n=100, n_syn=600, eps=0.3, rho=0.0, phi=1.0, gamma=0.5)),
    (correlated_pair, dict(n=0, n_syn=400, eps=0.1, rho=0.3, phi=0.8, gamma=0.2)),
], ids=["anisotropic-mixed", "anisotropic-unverified", "ar1-oracle", "ar1-synthetic-only"])
def test_theory_matches_explicit_monte_carlo(pair, setting):
    mu, mu_hat, C_hat, C_real = pair()
    th = theory(mu, mu_hat, C_hat, C_real=C_real, **setting)
    mc = explicit_monte_carlo(mu, mu_hat, C_hat, C_real, trials=150, seed=11, **setting)
    (acc, mean, second), (acc_se, mean_se, second_se) = mc.mean, mc.se
    assert abs(th.accuracy - acc) <= 3 * acc_se + 0.005, (th.accuracy, acc, acc_se)
    assert abs(th.mean - mean) <= 3 * mean_se + 0.005, (th.mean, mean, mean_se)
    assert abs(th.second_moment - second) <= 3 * second_se + 0.01 * second, (th.second_moment, second)
    # and the identity-covariance theory would not do: the real covariance matters here
    if setting["n"] > 0:
        assert abs(theory(mu, mu_hat, C_hat, **setting).accuracy - acc) > 0.02


@pytest.mark.slow
@pytest.mark.parametrize("pair", [anisotropic_pair, correlated_pair])
def test_fast_simulation_has_the_law_of_the_explicit_one(pair):
    mu, mu_hat, C_hat, C_real = pair(p=40)
    setting = dict(n=50, n_syn=90, eps=0.3, rho=0.4, phi=0.8, gamma=0.3)
    mc = explicit_monte_carlo(mu, mu_hat, C_hat, C_real, trials=500, seed=3, **setting)
    fast = simulate(mu, mu_hat, C_hat, trials=500, random_state=4, C_real=C_real, **setting)
    for j, field in enumerate(("accuracy", "mean", "second_moment")):
        gap = abs(getattr(fast, field) - mc.mean[j])
        assert gap <= 3.5 * np.hypot(getattr(fast, f"{field}_se"), mc.se[j]), field


def test_fast_simulation_is_reproducible_and_takes_the_model_object():
    mu, mu_hat, C_hat, C_real = correlated_pair(p=20)
    a = simulate(mu, mu_hat, C_hat, 30, 40, 0.2, 0.1, 0.9, 0.5, trials=5, random_state=9, C_real=C_real)
    model = covariance_model(mu, mu_hat, C_hat, C_real)
    b = model.simulate(30, 40, 0.2, 0.1, 0.9, 0.5, trials=5, random_state=9, resolvent_trace=True)
    assert a.accuracy == b.accuracy and a.second_moment == b.second_moment
    assert b.resolvent_trace > 0


# ------------------------------------------------------------------ validation

P = 5
GOOD = dict(mu=np.eye(P)[0], mu_hat=np.eye(P)[0], C_hat=np.eye(P), n=10, n_syn=20, eps=0.1, rho=0.2, phi=0.8,
            gamma=1.0, C_real=np.diag(np.arange(1.0, P + 1)))
BAD_C_REAL = [np.eye(P + 1), np.triu(np.ones((P, P))), -np.eye(P), np.full((P, P), np.nan), np.ones(P),
              "identity"]


@pytest.mark.parametrize("value", BAD_C_REAL, ids=["shape", "asymmetric", "negative", "nan", "vector", "str"])
def test_bad_real_covariance_is_named(value):
    with pytest.raises(ValueError, match="C_real"):
        theory(**{**GOOD, "C_real": value})
    with pytest.raises(ValueError, match="C_real"):
        simulate(**{**GOOD, "C_real": value}, trials=2)
    with pytest.raises(ValueError, match="C_real"):
        covariance_model(GOOD["mu"], GOOD["mu_hat"], GOOD["C_hat"], value)


@pytest.mark.parametrize(("name", "value"), [
    ("eps", 1.5), ("rho", -0.1), ("phi", np.nan), ("gamma", 0.0), ("n", -1), ("n_syn", -2),
    ("C_hat", -np.eye(P)), ("mu_hat", np.ones(P + 1)), ("mu", np.array([np.nan] * P)),
])
def test_other_bad_input_is_named_with_a_real_covariance(name, value):
    with pytest.raises(ValueError, match=name):
        theory(**{**GOOD, name: value})
    with pytest.raises(ValueError, match=name):
        simulate(**{**GOOD, name: value}, trials=2)

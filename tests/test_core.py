"""Unit tests of synthlib's shared core: randomness, validation, summaries, data model."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.linear_model import Ridge

import synthlib
from synthlib import ConvergenceError, check_random_state, spawn, summarize
from synthlib._validation import check_array, check_integer, check_probability, check_psd_matrix, check_scalar
from synthlib.rmt import (
    conditional_accuracy,
    corrupt_and_verify,
    critical_noise,
    fit_gaussian_generator,
    gaussian_mixture,
    ridge_classifier,
    simulate_pipeline,
    verification,
)

# --- randomness -------------------------------------------------------------------------------

def test_check_random_state_accepts_none_int_generator_randomstate():
    assert isinstance(check_random_state(None), np.random.Generator)
    a, b = check_random_state(7), check_random_state(7)
    assert a.standard_normal() == b.standard_normal()
    g = np.random.default_rng(1)
    assert check_random_state(g) is g
    legacy = np.random.RandomState(3)
    assert isinstance(check_random_state(legacy), np.random.Generator)


@pytest.mark.parametrize("bad", [-1, 1.5, "seed", True, [1, 2]])
def test_check_random_state_rejects_bad_input(bad):
    with pytest.raises(ValueError, match="random_state"):
        check_random_state(bad)


def test_spawn_is_reproducible_and_independent():
    first = [g.random() for g in spawn(2026, 3)]
    again = [g.random() for g in spawn(2026, 3)]
    assert first == again
    assert len(set(first)) == 3
    with pytest.raises(ValueError, match="n=-1"):
        spawn(0, -1)


# --- validation -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, match", [
    (1.2, r"eps=1.2 is out of range: expected 0 <= eps <= 1"),
    (-0.1, r"eps=-0.1 is out of range"),
    (float("nan"), r"eps=nan is invalid: expected a finite number"),
    ("a", r"eps='a' is invalid"),
])
def test_check_probability_messages_name_parameter_value_and_range(value, match):
    with pytest.raises(ValueError, match=match):
        check_probability(value, "eps")


def test_check_scalar_open_interval_and_arrays():
    with pytest.raises(ValueError, match=r"gamma=0.0 is out of range: expected gamma > 0"):
        check_scalar(0.0, "gamma", low=0, low_inclusive=False)
    out = check_scalar([0.1, 0.2], "eps", low=0, high=1, allow_array=True)
    assert out.shape == (2,)
    with pytest.raises(ValueError, match="eps contains 2.0"):
        check_scalar([0.1, 2.0], "eps", low=0, high=1, allow_array=True)


def test_check_integer_and_array_and_psd():
    assert check_integer(4.0, "n") == 4
    with pytest.raises(ValueError, match=r"n=2.5 is invalid: expected an integer"):
        check_integer(2.5, "n")
    with pytest.raises(ValueError, match=r"X has shape \(2, 3\): expected shape \(2, 2\)"):
        check_array(np.zeros((2, 3)), "X", shape=(2, 2))
    with pytest.raises(ValueError, match="C_hat is not symmetric"):
        check_psd_matrix(np.array([[1.0, 2.0], [0.0, 1.0]]), "C_hat")
    with pytest.raises(ValueError, match="C_hat is not positive semi-definite"):
        check_psd_matrix(np.diag([1.0, -0.5]), "C_hat")
    _, ev = check_psd_matrix(np.diag([2.0, 1.0]), "C_hat", return_eigvals=True)
    assert ev.tolist() == [1.0, 2.0]


def test_convergence_error_carries_residual():
    err = ConvergenceError("fixed point did not converge", residual=1e-3, iterations=500)
    assert err.residual == 1e-3 and err.iterations == 500
    assert "last residual 1.000e-03 after 500 iterations" in str(err)


# --- Monte-Carlo summaries ---------------------------------------------------------------------

def test_summarize_matches_textbook_formula():
    rng = np.random.default_rng(0)
    draws = rng.normal(size=(50, 3))
    s = summarize(draws)
    assert np.allclose(s.mean, draws.mean(0))
    assert np.allclose(s.se, draws.std(0, ddof=1) / np.sqrt(50))
    assert np.allclose(s.upper - s.lower, 2 * norm.ppf(0.975) * s.se)
    with pytest.raises(ValueError, match="at least 2"):
        summarize([1.0])


@pytest.mark.slow
def test_95_percent_band_covers_the_mean_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    covered = 0
    reps = 4000
    for _ in range(reps):
        s = summarize(rng.normal(loc=0.3, size=40))
        covered += s.lower <= 0.3 <= s.upper
    # binomial SE of the coverage is 0.0034; the t-vs-normal gap at 40 trials costs ~0.4 %
    assert abs(covered / reps - 0.95) < 0.02


# --- data model --------------------------------------------------------------------------------

def test_verification_and_critical_noise_reference_values():
    alpha, lam = verification(0.3, 0.2, 0.8)
    assert alpha == pytest.approx(0.62) and lam == pytest.approx(0.50)
    assert critical_noise(0.3, 0.8) == pytest.approx(0.72727, abs=1e-5)
    a, lam_grid = verification(np.array([0.0, 1.0]), 0.5, 0.5)
    assert np.allclose(a, 0.5) and np.allclose(lam_grid, [0.5, -0.5])
    with pytest.raises(ValueError, match="rho=0 and phi=0"):
        critical_noise(0.0, 0.0)
    with pytest.raises(ValueError, match="eps contains 1.5"):
        verification([0.2, 1.5], 0.1, 0.9)


def test_lambda_vanishes_exactly_at_critical_noise():
    rho, phi = np.meshgrid(np.linspace(0.05, 1, 9), np.linspace(0.05, 1, 9))
    _, lam = verification(critical_noise(rho, phi), rho, phi)
    assert np.allclose(lam, 0.0, atol=1e-15)


def test_corrupt_and_verify_frequencies_match_alpha_and_lambda():
    y = np.where(np.random.default_rng(0).random(200_000) < 0.5, -1.0, 1.0)
    y_noisy, keep = corrupt_and_verify(y, eps=0.25, rho=0.3, phi=0.7, random_state=1)
    alpha, lam = verification(0.25, 0.3, 0.7)
    se = 0.5 / np.sqrt(y.size)
    assert abs(keep.mean() - alpha) < 4 * se
    assert abs((keep * y_noisy * y).mean() - lam) < 4 * se
    assert abs((y_noisy != y).mean() - 0.25) < 4 * se


def test_generator_fit_and_sampling_covariance_both_routes():
    mu = np.array([1.0, 0.0, 0.0, 0.0])
    for n_hat in (3, 60):   # n_hat <= p uses the residual product, n_hat > p Cholesky
        gen = fit_gaussian_generator(*gaussian_mixture(n_hat, mu, random_state=n_hat))
        X, y = gen.sample(100_000, random_state=5)
        noise = X - y[:, None] * gen.mu_hat
        emp = noise.T @ noise / len(noise)
        assert np.abs(emp - gen.C_hat).max() < 0.03
        assert set(np.unique(y)) == {-1.0, 1.0}


def test_generator_centring_with_true_mean_gives_white_wishart():
    mu = np.array([2.0, 0.0])
    X, y = gaussian_mixture(10, mu, random_state=0)
    gen = fit_gaussian_generator(X, y, mu=mu)
    Z = y[:, None] * X - mu
    assert np.allclose(gen.C_hat, Z.T @ Z / 10)
    with pytest.raises(ValueError, match="y contains values other than -1 and \\+1"):
        fit_gaussian_generator(X, np.zeros(10))


@pytest.mark.parametrize("n, p", [(50, 10), (8, 30)])   # primal and Woodbury branches
def test_ridge_classifier_matches_sklearn(n, p):
    rng = np.random.default_rng(n)
    X = rng.normal(size=(n, p))
    y = np.sign(rng.normal(size=n))
    q = (rng.random(n) < 0.6).astype(float)
    N = n + 7
    w = ridge_classifier(X, y, gamma=0.4, N=N, weights=q)
    ref = Ridge(alpha=0.4 * N, fit_intercept=False).fit(X, y, sample_weight=q).coef_
    assert np.allclose(w, ref, atol=1e-10)
    with pytest.raises(ValueError, match="gamma=0.0 is out of range"):
        ridge_classifier(X, y, gamma=0.0)


def test_oracle_pruning_equals_clean_training_with_rescaled_ridge():
    """Exercise 1.3 of chapter 1: the exact invariance behind check C1 of Part II."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 12))
    y = np.sign(rng.normal(size=80))
    q = (rng.random(80) < 0.7).astype(float)
    w1 = ridge_classifier(X, y, gamma=0.3, weights=q)
    w2 = ridge_classifier(X[q == 1], y[q == 1], gamma=0.3 * 80 / q.sum())
    assert np.allclose(w1, w2)


def test_conditional_accuracy_is_signed_and_exact():
    mu = np.array([1.0, 0.0])
    assert conditional_accuracy(mu, mu) == pytest.approx(norm.cdf(1.0))
    assert conditional_accuracy(-mu, mu) == pytest.approx(1 - norm.cdf(1.0))
    with pytest.raises(ValueError, match="zero vector"):
        conditional_accuracy(np.zeros(2), mu)
    # against a large explicit test set
    rng = np.random.default_rng(2)
    w = np.array([0.8, 0.6])
    Xt, yt = gaussian_mixture(400_000, mu, random_state=rng)
    empirical = np.mean(np.sign(Xt @ w) == yt)
    assert abs(empirical - conditional_accuracy(w, mu)) < 4 * 0.5 / np.sqrt(400_000)


def test_simulate_pipeline_reproducible_and_validated():
    kw = dict(p=10, n=20, n_hat=15, n_syn=[0, 10, 30], mu_norm=1.0, eps=0.2, rho=0.1, phi=0.9,
              gamma=1.0, trials=4)
    a = simulate_pipeline(**kw, random_state=11)
    b = simulate_pipeline(**kw, random_state=11)
    assert np.array_equal(a.draws, b.draws)
    assert a.draws.shape == (4, 3)
    assert np.all((a.draws >= 0) & (a.draws <= 1))
    with pytest.raises(ValueError, match="ascending"):
        simulate_pipeline(**{**kw, "n_syn": [10, 0]}, random_state=0)
    with pytest.raises(ValueError, match="trials=1 is out of range"):
        simulate_pipeline(**{**kw, "trials": 1}, random_state=0)


@pytest.mark.slow
def test_pipeline_with_perfect_generator_matches_real_data_only_scaling():
    """With clean labels, oracle verification and n_hat huge, m synthetic samples are as good as
    m more real ones: compare with a pipeline of n + m real samples (independent simulation)."""
    common = dict(p=40, mu_norm=1.0, rho=0.0, phi=1.0, gamma=1.0, trials=200)
    mixed = simulate_pipeline(n=40, n_hat=20_000, n_syn=[40], eps=0.0, random_state=1, **common)
    real = simulate_pipeline(n=80, n_hat=200, n_syn=[0], eps=0.0, random_state=2, **common)
    diff = mixed.accuracy[0] - real.accuracy[0]
    se = np.hypot(mixed.accuracy_se[0], real.accuracy_se[0])
    assert abs(diff) < 3 * se + 0.003


def test_public_api_is_curated():
    for name in synthlib.__all__:
        assert hasattr(synthlib, name), name
    assert not any(name.startswith("_") for name in synthlib.__all__)

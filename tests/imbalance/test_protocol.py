"""The one example protocol, the renamed names (old spellings warn), bad input and the GQS noise floor."""
import numpy as np
import pytest

import synthlib.imbalance as imb
from synthlib import MonteCarloSummary
from synthlib.imbalance import (
    GaussianFit,
    Oracle,
    SMOTEGenerator,
    SyntheticGenerator,
    balanced_log_loss,
    examples,
    generator_quality_score,
    gqs_from_moments,
    gqs_noise_floor,
    local_symmetry_test,
    synthetic_size,
)

TWO_CLASS = [examples.aligned_gaussian(), examples.realistic_gaussian(100), examples.mean_shift(p=4),
             examples.logistic_symmetric(p=4), examples.symmetry_test_dgp(p=3), examples.tg_linear(p=3),
             examples.tg_nonlinear(p=3)]


@pytest.mark.parametrize("ex", TWO_CLASS, ids=repr)
def test_every_example_has_the_protocol(ex):
    X, y = ex.sample(40, 10, random_state=0)
    assert X.shape == (50, ex.p) and np.sum(y == max(y)) == 10
    X2, _ = ex.sample(40, 10, random_state=0)
    np.testing.assert_array_equal(X, X2)
    assert ex.sample_minority(7, random_state=1).shape == (7, ex.p)
    if hasattr(type(ex), "grad_phi"):               # E6 has no closed forms
        assert np.shape(ex.grad_phi) == (ex.p,)
    with pytest.warns(FutureWarning, match="positional argument 'random_state'"):
        ex.sample_minority(3, 1)


def test_old_names_warn_and_work():
    with pytest.warns(FutureWarning, match="SMOTEGenerator"):
        assert imb.SMOTE is SMOTEGenerator
    with pytest.warns(FutureWarning, match="SyntheticGenerator"):
        assert imb.Generator is SyntheticGenerator
    with pytest.warns(FutureWarning, match="'n' is deprecated"):
        assert SMOTEGenerator().sample(np.eye(3), n=2, random_state=0).shape == (2, 3)
    with pytest.warns(FutureWarning, match="'d' is deprecated"):
        e3 = examples.mean_shift(d=3)
    with pytest.warns(FutureWarning, match="MeanShift.d"):
        assert e3.d == 3
    with pytest.warns(FutureWarning, match="grad_psi_for_law"):
        v = e3.grad_psi(e3.mu, np.eye(3) + np.outer(e3.mu, e3.mu))
    np.testing.assert_allclose(v, 0.0, atol=1e-15)
    e4 = examples.logistic_symmetric()
    with pytest.warns(FutureWarning, match="mixture_weight"):
        assert e4.alpha == e4.mixture_weight
    with pytest.warns(FutureWarning, match="sample_joint"):
        X, y = e4.sample(100, np.random.default_rng(0))
    np.testing.assert_array_equal(X, e4.sample_joint(100, random_state=np.random.default_rng(0))[0])
    with pytest.warns(FutureWarning, match="'gamma' is deprecated"):
        assert synthetic_size(gamma=1.0, n0=30, n1=10) == 20


def test_simulate_old_keywords_are_mapped_safely():
    e1 = examples.aligned_gaussian()
    new = e1.simulate(20, 2.0, imbalance_ratio=5, trials=3, gamma=1e-3, random_state=0)
    with pytest.warns(FutureWarning):
        old = e1.simulate(20, gamma=2.0, ratio=5, trials=3, alpha=1e-3, random_state=0)
    np.testing.assert_array_equal(new.excess, old.excess)
    with pytest.warns(FutureWarning, match="size multiplier"):
        old = e1.simulate(20, gamma=2.0, imbalance_ratio=5, trials=3, random_state=0)
    np.testing.assert_array_equal(
        old.excess, e1.simulate(20, 2.0, imbalance_ratio=5, trials=3, gamma=1e-6, random_state=0).excess)
    s = new.summary("param_error")
    assert isinstance(s, MonteCarloSummary) and s.trials == 3 and s.band[0] <= s.mean <= s.band[1]


def test_ridge_curves_summary_and_old_keywords():
    e3 = examples.mean_shift(p=3)
    cur = examples.ridge_excess_curves(e3, {"o": Oracle(e3)}, [0.0, 1.0], 200, 20, trials=4,
                                       gamma=1e-8, random_state=0)
    with pytest.warns(FutureWarning):
        old = examples.ridge_excess_curves(e3, {"o": Oracle(e3)}, gammas=[0.0, 1.0], n0=200, n1=20,
                                           trials=4, alpha=1e-8, random_state=0)
    np.testing.assert_array_equal(cur.excess["o"], old.excess["o"])
    np.testing.assert_allclose(cur.summary("o").mean, cur.excess["o"].mean(axis=0))
    with pytest.raises(ValueError, match="name='x'"):
        cur.summary("x")


def test_logistic_test_set_is_not_shared_mutable():
    e4 = examples.logistic_symmetric(p=3)
    X, y = e4.test_set(50, random_state=1)
    with pytest.raises(ValueError, match="read-only"):
        X[0, 0] = 99.0
    X2, _ = e4.test_set(50, random_state=1)
    assert X2[0, 0] != 99.0 and not X2.flags.writeable


def test_logistic_large_c_is_finite_or_rejected():
    e4 = examples.logistic_symmetric(c=50)
    assert np.isfinite(e4.mixture_weight) and np.isfinite(e4.minority_share)
    with pytest.raises(ValueError, match="c=50"):
        e4.sample_minority(5, random_state=0)


def test_gaussian_fit_low_rank_route_has_the_fitted_covariance():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 8)) * np.arange(1, 9)
    S = np.cov(X, rowvar=False)
    target = 0.8 * S + (0.2 * np.trace(S) / 8 + 0.01) * np.eye(8)
    gen = GaussianFit(shrinkage=0.2, ridge=0.01, method="low_rank")
    Z = gen.sample(X, 200_000, random_state=1)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), target, atol=0.05 * np.abs(target).max())
    np.testing.assert_array_equal(gen.sample(X, 5, random_state=2), gen.sample(X, 9, random_state=2)[:5])
    with pytest.raises(ValueError, match="method='qr'"):
        GaussianFit(method="qr").sample(X, 2)


@pytest.mark.parametrize("call,match", [
    (lambda: synthetic_size(np.nan, 30, 10), "multiplier"),
    (lambda: synthetic_size(-1.0, 30, 10), "multiplier"),
    (lambda: balanced_log_loss([0, 1], [0.5, 1.5]), "p_minority"),
    (lambda: local_symmetry_test(*examples.tg_linear().sample(40, 10, random_state=0), C=0), "C=0"),
    (lambda: local_symmetry_test(*examples.tg_linear().sample(40, 10, random_state=0), C=np.nan), "C=nan"),
    (lambda: generator_quality_score(*examples.tg_linear().sample(40, 3, random_state=0), SMOTEGenerator()),
     "n1=3"),
    (lambda: generator_quality_score(*examples.tg_linear().sample(10, 10, random_state=0), SMOTEGenerator()),
     "balanced"),
    (lambda: gqs_from_moments([0.1], 1.0, 0.0, 0.0, 0.0, 100, 10), "undefined"),
])
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_noise_floor_matches_its_formula():
    H, S0, S1, Ss, n0, n1, K = 2.0, 1.0, 3.0, 2.0, 2000, 100, 3
    D = n0 - n1
    var = (0.5 * S0 + n1 / (2 * n0) * S1 + D / (2 * n0) * Ss) / H
    expected = D**2 / (2 * n0) * (S1 / n1 + Ss / (K * D)) / H / var
    assert gqs_noise_floor(H, S0, S1, Ss, n0, n1, K) == pytest.approx(expected, rel=1e-7)


@pytest.mark.slow
def test_debiased_gqs_of_the_oracle_is_centred_at_zero():
    """Oracle at imbalance ratio 20: the raw GQS sits on its floor, the debiased one near 0."""
    e1 = examples.aligned_gaussian(a=1.0)          # generator law = minority law
    rng = np.random.default_rng(3)
    raw, deb = [], []
    for _ in range(60):
        q = generator_quality_score(*e1.sample(4000, 200, random_state=rng), Oracle(e1), loss="squared",
                                    fit_intercept=False, random_state=rng)
        raw.append(q.score)
        deb.append(q.debiased_score)
    se = np.std(deb, ddof=1) / np.sqrt(len(deb))
    assert abs(np.mean(deb)) < 3 * se
    assert np.mean(raw) > 5 * se                    # the uncorrected score is biased upwards


def test_logistic_fit_and_moments_match_the_chapter_8_newton():
    from scipy.special import expit

    from synthlib import ConvergenceError
    from synthlib.imbalance import logistic_fit, loss_moments
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(size=(500, 2)), [1.5, 0.0] + rng.normal(size=(300, 2))])
    t = np.r_[np.zeros(500), np.ones(300)]
    Z = np.hstack([X, np.ones((800, 1))])
    th = np.zeros(3)
    for _ in range(50):                              # chapter 8's plain Newton
        p = expit(Z @ th)
        step = np.linalg.solve((Z.T * (p * (1 - p))) @ Z, Z.T @ (p - t))
        th -= step
        if np.max(np.abs(step)) < 1e-12:
            break
    np.testing.assert_allclose(logistic_fit(X, t), th, rtol=1e-8, atol=1e-10)
    g, H, S = loss_moments(X[t == 1], 1, th)
    s = (expit(Z[t == 1] @ th) - 1)[:, None] * Z[t == 1]
    np.testing.assert_allclose(g, s.mean(0))
    np.testing.assert_allclose(S, np.cov(s, rowvar=False))
    with pytest.raises(ConvergenceError):
        logistic_fit(X, t, max_iter=1)

"""Spec part III §6, simulation checks 9-13 (Monte Carlo; tolerances about 3 s.e.).

Every test fixes its seed, so a run is reproducible; the tolerances are the
spec's, which are wide enough for any seed with overwhelming probability.
"""
import numpy as np
import pytest
from sklearn.linear_model import Ridge

from synthlib import summarize
from synthlib.imbalance import (
    VTSS,
    GaussianFit,
    Oracle,
    examples,
    local_symmetry_test,
    synthetic_size,
    theory_target_size,
)
from synthlib.imbalance import SMOTEGenerator as SMOTE

pytestmark = pytest.mark.slow


# ---------------------------------------------------------------------------- check 9 (E1)
@pytest.fixture(scope="module")
def e1_runs():
    e1 = examples.aligned_gaussian()
    rng = np.random.default_rng(42)
    sizes = [25, 50, 100, 200, 400, 800, 1600, 3200]
    cancel = {n1: e1.simulate(n1, 4.0, trials=100, random_state=rng) for n1 in sizes}
    balance = {n1: e1.simulate(n1, 1.0, trials=100, random_state=rng) for n1 in sizes}
    return sizes, cancel, balance


def test_check9_e1_bias_cancellation_rate(e1_runs):
    sizes, cancel, _ = e1_runs
    for n1 in sizes:
        if n1 >= 50:
            excess = cancel[n1][0].mean()
            assert excess == pytest.approx(1.25 / (97 * n1), rel=0.25), n1
    errors = np.array([cancel[n1][1].mean() for n1 in sizes])
    slope = np.polyfit(np.log(sizes), np.log(errors), 1)[0]
    assert -0.58 <= slope <= -0.42
    np.testing.assert_allclose(errors * np.sqrt(sizes), 0.09, rtol=0.25)


def test_check9_e1_balancing_plateau(e1_runs):
    sizes, _, balance = e1_runs
    for n1 in sizes:
        if n1 >= 100:
            excess, err = balance[n1][0].mean(), balance[n1][1].mean()
            assert 0.100 <= err <= 0.108, (n1, err)
            assert 0.0155 <= excess <= 0.0172, (n1, excess)


# ---------------------------------------------------------------------------- check 10 (E2)
def test_check10_e2_balancing_tracks_population():
    rng = np.random.default_rng(42)
    for n1, population in [(100, 0.01303), (300, 0.00944), (500, 0.00831)]:
        e2 = examples.realistic_gaussian(n1)
        exact = float(e2.excess_risk(e2.population_minimizer(20 * n1, n1, 19 * n1)))
        assert exact == pytest.approx(population, abs=6e-6)
        excess, _ = e2.simulate(n1, 1.0, trials=200, random_state=rng)
        assert excess.mean() == pytest.approx(population, rel=0.05), n1


def test_check10_e2_no_cancelling_size_at_n1_10():
    e2 = examples.realistic_gaussian(10)
    assert e2.a < (3 - np.sqrt(5)) / 2
    assert e2.theory_target_ratio is None
    assert theory_target_size(e2.grad_phi, e2.grad_psi, 200, 10) is None


@pytest.mark.parametrize("n1", [100, 200])
def test_check10_e2_vtss_beats_balancing(n1):
    """Plain VTSS on [0.5, 1.5] beats balancing; a grid reaching 2 does better still (paired)."""
    e2 = examples.realistic_gaussian(n1)
    n0 = 20 * n1
    rng = np.random.default_rng(n1)
    est = Ridge(alpha=1e-6, fit_intercept=False)
    gen = e2.synthetic_generator()
    out = {"balance": [], "vtss15": [], "vtss20": []}
    for _ in range(60):
        X, y = e2.sample(n0, n1, random_state=rng)
        n_bal = synthetic_size(1.0, n0, n1)
        Xs = e2.sample_synthetic(n_bal, random_state=rng)
        theta = examples.ridge_fit(np.vstack([X, Xs]), np.r_[y, np.ones(n_bal)], 1e-6)
        out["balance"].append(e2.excess_risk(theta))
        for key, top in (("vtss15", 1.5), ("vtss20", 2.0)):
            m = VTSS(est, gen, gammas=np.linspace(0.5, top, 100), cv=5,
                     random_state=int(rng.integers(2**31))).fit(X, y)
            out[key].append(e2.excess_risk(m.best_estimator_.coef_))
    d15 = summarize(np.subtract(out["vtss15"], out["balance"]))
    d20 = summarize(np.subtract(out["vtss20"], out["vtss15"]))
    assert d15.upper < 0, d15                       # VTSS [0.5, 1.5] < balancing, 95 % band below 0
    assert d20.upper < 0, d20                       # [0.5, 2] better still
    assert np.mean(out["vtss15"]) < 0.7 * np.mean(out["balance"])


# ---------------------------------------------------------------------------- check 11 (E3)
@pytest.mark.parametrize("noise", ["cube", "rademacher", "sphere"])
def test_check11_e3_ordering_and_oracle_rate(noise):
    e3 = examples.mean_shift(p=20, delta=1.0, noise=noise)
    gens = {"oracle": Oracle(e3), "smote": SMOTE(k_neighbors=5),
            "gauss": GaussianFit(shrinkage=0.1, ridge=1e-6), "semi": e3.semi_oracle()}
    gammas = np.linspace(0, 4, 20)
    n0, n1 = 2000, 100
    cur = examples.ridge_excess_curves(e3, gens, gammas, n0, n1, trials=100, gamma=1e-8,
                                       random_state=np.random.default_rng(0))
    mean = {k: v.mean(axis=0) for k, v in cur.excess.items()}
    baseline = mean["oracle"][0]                    # gamma = 0: real data only, same for all
    for k in gens:
        assert mean[k][0] == baseline
    pos = gammas > 0
    assert np.all(mean["smote"][pos] > mean["gauss"][pos])
    assert np.all(mean["gauss"][pos] > mean["semi"][pos])
    assert np.all(mean["semi"][pos] > baseline)
    assert np.all(baseline > mean["oracle"][pos])
    for k in ("smote", "gauss", "semi"):
        assert np.all(np.diff(mean[k]) > 0), k       # increasing in gamma
    N = n0 + n1 + cur.sizes
    scaled = mean["oracle"] * N
    if noise == "cube":
        assert e3.oracle_constant == pytest.approx(9.6, abs=0.005)
    np.testing.assert_allclose(scaled, e3.oracle_constant, rtol=0.10)


# ---------------------------------------------------------------------------- check 12 (E4)
def test_check12_e4_generators_under_local_symmetry():
    e4 = examples.logistic_symmetric()
    rng = np.random.default_rng(0)
    gammas = np.array([0.0, 0.5, 1.0, 2.0])
    gens = {"smote": SMOTE(k_neighbors=5), "gauss": GaussianFit(ridge=1e-6), "oracle": Oracle(e4)}
    trials = 30
    excess = {k: np.empty((trials, gammas.size)) for k in gens}
    e4.test_set(20000, random_state=1)               # cached balanced test set
    for r in range(trials):
        X, y = e4.sample_joint(5000, random_state=rng)
        minority = y == 1
        gap = int(np.sum(~minority) - np.sum(minority))
        sizes = np.floor(gammas * gap).astype(int)   # E4 uses the floor (spec §3)
        for name, gen in gens.items():
            pool = gen.sample(X[minority], int(sizes.max()), random_state=rng)
            theta = None
            for j, s in enumerate(sizes):
                Xa = np.vstack([X, pool[:s]])
                ya = np.r_[y, np.ones(s, dtype=int)]
                theta = e4.fit(Xa, ya, theta0=theta)
                excess[name][r, j] = e4.excess_risk(theta, random_state=1)
    for name in ("smote", "gauss"):
        diffs = np.diff(excess[name], axis=1)        # paired increments along gamma
        for j in range(diffs.shape[1]):
            assert summarize(diffs[:, j]).lower > 0, (name, j)
    drop = summarize(excess["oracle"][:, -1] - excess["oracle"][:, 0])
    assert drop.upper < 0
    assert np.all(np.diff(excess["oracle"].mean(axis=0)) < 0)


# ---------------------------------------------------------------------------- check 13 (E5)
def _null_rejection_rate(d, n1, kappa, B, seed):
    e5 = examples.symmetry_test_dgp(p=d)
    rng = np.random.default_rng(seed)
    rejections = 0
    for _ in range(B):
        X, y = e5.sample(kappa * n1, n1, random_state=rng)
        rejections += not local_symmetry_test(X, y, loss="centred_squared", fit_intercept=False).symmetric
    return rejections / B


@pytest.mark.parametrize("d,n1,kappa", [(2, 250, 5), (2, 250, 20), (5, 500, 5)])
def test_check13_wald_null_size(d, n1, kappa):
    assert abs(_null_rejection_rate(d, n1, kappa, 5000, 123) - 0.05) <= 0.01


def test_check13_wald_null_size_small_minority_in_d5_over_rejects():
    """Known deviation from check 13: at d = 5 and kappa = 20 the chi-square calibration
    over-rejects: about 7 % at n1 = 250 and 6 % at n1 = 500 (B = 2000-5000, seeds 123 and 5). The minority term
    dominates V there, and estimating a 5 x 5 score covariance from 250 rows inflates
    the statistic, as for Hotelling's T^2 (mean of T about 5.25 instead of 5). The
    authors' statistic is the same; the spec's tolerance does not hold in this cell."""
    rate = _null_rejection_rate(5, 250, 20, 2000, 123)
    assert 0.05 < rate < 0.095


def test_check13_wald_local_power_follows_noncentral_chi2():
    d, n1, kappa = 5, 250, 5
    n0 = kappa * n1
    n_eff = n0 * n1 / (n0 + n1)
    rng = np.random.default_rng(123)
    B = 500
    for h in (1.0, 3.0, -4.0):
        b = examples.SymmetryTestDGP.b_for_gradient(h / np.sqrt(n_eff))
        e5 = examples.symmetry_test_dgp(p=d, b=b)
        theory = e5.local_power(n0, n1, n_mc=100_000, random_state=7)
        hits = 0
        for _ in range(B):
            X, y = e5.sample(n0, n1, random_state=rng)
            hits += not local_symmetry_test(X, y, loss="centred_squared", fit_intercept=False).symmetric
        se = np.sqrt(theory * (1 - theory) / B)
        assert abs(hits / B - theory) <= 3 * se + 0.01, (h, hits / B, theory)

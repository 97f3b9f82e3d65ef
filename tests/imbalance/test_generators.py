"""Generators: shapes, laws, prefix consistency, the imbalanced-learn adapter, bad input."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.over_sampling import ADASYN, BorderlineSMOTE, RandomOverSampler
from imblearn.over_sampling import SMOTE as ImbSMOTE

from synthlib.imbalance import FunctionGenerator, GaussianFit, ImblearnGenerator, Jitter, Oracle, as_generator, examples
from synthlib.imbalance import SMOTEGenerator as SMOTE
from synthlib.imbalance._generators import draw_synthetic

X1 = np.random.default_rng(0).normal(size=(40, 3)) + [2.0, 0.0, -1.0]


@pytest.mark.parametrize("gen", [SMOTE(), GaussianFit(), Jitter(), Oracle(examples.tg_linear(p=3)),
                                 Oracle(examples.mean_shift(p=3))])
def test_prefix_consistency(gen):
    """A draw of size n starts with the draw of size k < n (same seed): nested prefixes are fresh draws."""
    big = gen.sample(X1, 50, random_state=3)
    small = gen.sample(X1, 17, random_state=3)
    np.testing.assert_allclose(big[:17], small, rtol=0, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(0, 60), k=st.integers(1, 8), seed=st.integers(0, 2**31))
def test_smote_points_lie_on_neighbour_segments(n, k, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(12, 2))
    Z = SMOTE(k_neighbors=k).sample(X, n, random_state=seed)
    assert Z.shape == (n, 2)
    kk = min(k, 11)
    dist = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(dist, np.inf)
    nbrs = np.argsort(dist, axis=1)[:, :kk]
    for z in Z:
        # some base point b and one of its k neighbours m with z on the segment [b, m]
        ok = False
        for b in range(12):
            for m in nbrs[b]:
                seg = X[m] - X[b]
                lam = np.dot(z - X[b], seg) / np.dot(seg, seg)
                if -1e-9 <= lam <= 1 + 1e-9 and np.allclose(X[b] + lam * seg, z, atol=1e-9):
                    ok = True
                    break
            if ok:
                break
        assert ok


def test_smote_base_points_uniform():
    """imbalanced-learn's convention: base points uniformly at random, then one of the k neighbours.

    On the line {0, 1, 100, 101, 102} with k = 1 the neighbour pairs are 0<->1, 100->101,
    101->100 (tie broken by index), 102->101: the segments [0,1], [100,101], [101,102] get
    2/5, 2/5 and 1/5 of the points.
    """
    X = np.array([[0.0], [1.0], [100.0], [101.0], [102.0]])
    Z = SMOTE(k_neighbors=1).sample(X, 50000, random_state=0)[:, 0]
    shares = [np.mean(Z <= 1), np.mean((Z >= 100) & (Z <= 101)), np.mean(Z > 101)]
    np.testing.assert_allclose(shares, [0.4, 0.4, 0.2], atol=0.01)
    # lambda ~ U(0, 1): positions within [0, 1] are uniform
    inner = Z[Z <= 1]
    assert abs(inner.mean() - 0.5) < 0.01 and abs(inner.var() - 1 / 12) < 0.005


def test_gaussian_fit_moments():
    X = np.random.default_rng(1).multivariate_normal([1, -2], [[2.0, 0.8], [0.8, 1.0]], size=500)
    S = np.cov(X, rowvar=False)
    Z = GaussianFit(shrinkage=0.1, ridge=0.0).sample(X, 200000, random_state=2)
    target = 0.9 * S + 0.1 * np.trace(S) / 2 * np.eye(2)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), target, atol=0.03)
    np.testing.assert_allclose(Z.mean(axis=0), X.mean(axis=0), atol=0.01)


def test_gaussian_fit_singular_covariance():
    X = np.random.default_rng(1).normal(size=(3, 10))        # n1 < d: S is singular
    Z = GaussianFit().sample(X, 100, random_state=0)
    assert Z.shape == (100, 10) and np.all(np.isfinite(Z))


def test_jitter_scales():
    X = np.random.default_rng(1).normal(scale=[1.0, 5.0], size=(300, 2))
    Z = Jitter(sigma=0.5, per_feature_std=True).sample(X, 100000, random_state=0)
    noise_var = Z.var(axis=0) - X.var(axis=0)
    np.testing.assert_allclose(noise_var, 0.25 * X.var(axis=0, ddof=1), rtol=0.1)


def test_oracle_with_callable_and_example():
    e3 = examples.mean_shift(p=4)
    Z = Oracle(e3).sample(None, 20000, random_state=0)
    np.testing.assert_allclose(Z.mean(axis=0), e3.mu, atol=0.03)
    Z = Oracle(lambda n, rng: np.ones((n, 4))).sample(None, 3)
    assert Z.shape == (3, 4)
    with pytest.raises(ValueError, match="Oracle"):
        Oracle(5).sample(None, 3)


def test_imblearn_adapter_sizes_past_balance():
    rng = np.random.default_rng(0)
    X0, Xm = rng.normal(size=(100, 2)), rng.normal(size=(10, 2)) + 2
    for sampler in (ImbSMOTE(k_neighbors=3), RandomOverSampler()):
        Z = ImblearnGenerator(sampler).sample(Xm, 500, random_state=0)   # 5x the majority
        assert Z.shape == (500, 2)
    for sampler in (ADASYN(n_neighbors=3), BorderlineSMOTE(k_neighbors=3)):
        Z = ImblearnGenerator(sampler).sample(Xm, 37, random_state=0, X_majority=X0)
        assert Z.shape == (37, 2)
        with pytest.raises(ValueError, match="X_majority"):
            ImblearnGenerator(sampler).sample(Xm, 37, random_state=0)


def test_imblearn_adapter_matches_imblearn_with_fixed_seed():
    """With an integer random_state on the sampler, the adapter returns imbalanced-learn's new rows."""
    rng = np.random.default_rng(0)
    X0, Xm = rng.normal(size=(60, 2)), rng.normal(size=(12, 2)) + 2
    X = np.vstack([X0, Xm])
    y = np.r_[np.zeros(60, int), np.ones(12, int)]
    ref, _ = ImbSMOTE(k_neighbors=5, random_state=4, sampling_strategy={1: 12 + 30}).fit_resample(X, y)
    got = ImblearnGenerator(ImbSMOTE(k_neighbors=5, random_state=4)).sample(Xm, 30, X_majority=X0)
    np.testing.assert_array_equal(got, ref[72:])


def test_as_generator():
    assert isinstance(as_generator(ImbSMOTE()), ImblearnGenerator)
    assert isinstance(as_generator(lambda X, n, rng: X[:n]), FunctionGenerator)
    g = SMOTE()
    assert as_generator(g) is g
    with pytest.raises(ValueError, match="generator='smote' is invalid"):
        as_generator("smote")


def test_draw_synthetic_names_the_generator():
    g = FunctionGenerator(lambda X, n, rng: np.zeros((n, 2)))
    with pytest.raises(ValueError, match=r"generator FunctionGenerator\(.*\) returned shape \(4, 2\): "
                                         r"expected \(4, 3\)"):
        draw_synthetic(g, X1, 4, np.random.default_rng(0))

    class Bare:                              # a user object without X_majority support
        def sample(self, X, n, rng):
            return np.zeros((n + 1, X.shape[1]))

    with pytest.raises(ValueError, match="generator Bare returned shape"):
        draw_synthetic(Bare(), X1, 4, np.random.default_rng(0))


@pytest.mark.parametrize("gen,msg", [(SMOTE(k_neighbors=0), "k_neighbors=0 is out of range"),
                                     (GaussianFit(shrinkage=2.0), "shrinkage=2.0 is out of range"),
                                     (Jitter(sigma=-1.0), "sigma=-1.0 is out of range")])
def test_bad_parameters(gen, msg):
    with pytest.raises(ValueError, match=msg):
        gen.sample(X1, 3, random_state=0)


def test_too_few_minority_rows():
    with pytest.raises(ValueError, match="X_minority has 1 row"):
        SMOTE().sample(X1[:1], 3)
    with pytest.raises(ValueError, match="NaN or infinite"):
        SMOTE().sample(np.array([[np.nan, 1.0], [0.0, 1.0]]), 3)
    with pytest.raises(ValueError, match="n_syn=-1 is out of range"):
        SMOTE().sample(X1, -1)

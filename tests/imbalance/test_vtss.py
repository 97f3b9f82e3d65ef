"""VTSS: selection against independent computations, the routes, metadata, deprecations and bad input.

scikit-learn's own estimator checks are in test_vtss_sklearn_checks.py.
"""
import numpy as np
import pytest
import sklearn
from imblearn.over_sampling import ADASYN
from imblearn.over_sampling import SMOTE as ImbSMOTE
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge, SGDClassifier
from sklearn.metrics import log_loss, make_scorer, mean_squared_error, roc_auc_score
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from synthlib.imbalance import (
    VTSS,
    FunctionGenerator,
    GaussianFit,
    Jitter,
    Oracle,
    SMOTEGenerator,
    _vtss,
    examples,
    synthetic_size,
)

GRID = np.linspace(0.5, 1.5, 11)
#: a tight logistic fit, so that scikit-learn's answer and the Newton route agree to 1e-6
TIGHT = LogisticRegression(C=1e4, tol=1e-10, max_iter=5000)


@pytest.fixture(scope="module")
def data():
    X, y = examples.tg_linear().sample(n0=600, n1=60, random_state=0)
    return X, y


def small_vtss(**kw):
    kw.setdefault("multipliers", GRID)
    kw.setdefault("cv", 3)
    kw.setdefault("random_state", 0)
    return VTSS(kw.pop("estimator", LogisticRegression()), kw.pop("generator", SMOTEGenerator()), **kw)


def fixed_smote(X_minority, n_syn, rng):
    """A generator that ignores VTSS's stream: the independent loops below can redraw its points."""
    return SMOTEGenerator().sample(X_minority, n_syn, random_state=123)


def independent_curve(X, y, splits, grid, estimator, metric="balanced_log_loss", sample_weight=None):
    """The (multiplier, fold) table of validation metrics, by a plain scikit-learn loop.

    Fresh fits on the real fitting rows plus ``round(m (n0 - n1))`` rows of ``fixed_smote``,
    scored on the real held-out rows with scikit-learn's metrics (the balanced log-loss is
    sklearn's weighted log_loss with class weights 1/(2 n_c)).
    """
    table = np.empty((len(grid), len(splits)))
    for k, (train, val) in enumerate(splits):
        Xf, yf = X[train], y[train]
        n1 = int(np.sum(yf == 1))
        n0 = yf.size - n1
        yv = y[val]
        for j, m in enumerate(grid):
            s = int(np.floor(m * (n0 - n1) + 0.5))
            syn = fixed_smote(Xf[yf == 1], s, None)
            kw = {}
            if sample_weight is not None:
                wf = sample_weight[train]
                kw["sample_weight"] = np.r_[wf, np.full(s, wf[yf == 1].mean())]
            model = clone(estimator).fit(np.vstack([Xf, syn]), np.r_[yf, np.ones(s, dtype=yf.dtype)], **kw)
            if metric == "roc_auc":
                table[j, k] = roc_auc_score(yv, model.predict_proba(X[val])[:, 1])
                continue
            wv = np.where(yv == 1, 0.5 / np.sum(yv == 1), 0.5 / np.sum(yv == 0))
            if sample_weight is not None:
                sv = sample_weight[val]
                wv = np.where(yv == 1, 0.5 * sv / sv[yv == 1].sum(), 0.5 * sv / sv[yv == 0].sum())
            if metric == "balanced_log_loss":
                table[j, k] = log_loss(yv, model.predict_proba(X[val])[:, 1], sample_weight=wv)
            else:
                table[j, k] = mean_squared_error(yv, model.predict(X[val]), sample_weight=wv)
    return table


# ---------------------------------------------------------------------------- the selection itself
@pytest.mark.parametrize("route", ["newton", "refit", "warm_start"])
def test_selection_is_argmin_of_independent_curve(data, route):
    """The selected multiplier minimises the validation loss computed by an independent loop."""
    X, y = data
    splits = list(StratifiedKFold(3, shuffle=True, random_state=4).split(X, y))
    m = small_vtss(estimator=TIGHT, generator=FunctionGenerator(fixed_smote), cv=splits, route=route).fit(X, y)
    table = independent_curve(X, y, splits, GRID, TIGHT)
    np.testing.assert_allclose(m.cv_results_["mean_val_loss"], table.mean(axis=1), rtol=1e-6)
    for k in range(3):
        np.testing.assert_allclose(m.cv_results_[f"split{k}_val_loss"], table[:, k], rtol=1e-6)
    assert m.multiplier_ == GRID[np.argmin(table.mean(axis=1))]
    assert m.n_syn_ == synthetic_size(m.multiplier_, 600, 60)
    assert m.route_ == route


def test_closed_form_selection_is_argmin_of_independent_curve():
    e1 = examples.aligned_gaussian()
    X, y = e1.sample(n0=1000, n1=50, random_state=1)
    grid = np.linspace(0.5, 4.0, 15)
    splits = list(StratifiedKFold(5, shuffle=True, random_state=2).split(X, y))
    est = LinearRegression(fit_intercept=False)
    m = VTSS(est, FunctionGenerator(fixed_smote), multipliers=grid, cv=splits, random_state=0).fit(X, y)
    table = independent_curve(X, y, splits, grid, est, metric="balanced_squared")
    assert m.route_ == "closed_form"
    np.testing.assert_allclose(m.cv_results_["mean_val_loss"], table.mean(axis=1), rtol=1e-9)
    assert m.multiplier_ == grid[np.argmin(table.mean(axis=1))]


def test_scoring_selects_argmax_of_independent_score(data):
    """A scorer is greater-is-better: VTSS keeps the multiplier with the largest mean AUC."""
    X, y = data
    splits = list(StratifiedKFold(3, shuffle=True, random_state=4).split(X, y))
    grid = np.linspace(0.0, 3.0, 7)
    table = independent_curve(X, y, splits, grid, TIGHT, metric="roc_auc")
    for route in ("refit", "newton"):
        m = small_vtss(estimator=TIGHT, generator=FunctionGenerator(fixed_smote), cv=splits, route=route,
                       multipliers=grid, scoring="roc_auc").fit(X, y)
        np.testing.assert_allclose(m.cv_results_["mean_val_score"], table.mean(axis=1), rtol=1e-6)
        assert m.multiplier_ == grid[np.argmax(table.mean(axis=1))]
        assert m.cv_results_["rank_val_score"][m.best_index_] == 1
        assert "mean_val_loss" not in m.cv_results_


def test_neg_scorer_is_the_loss_with_its_sign(data):
    """scoring="neg_log_loss" on balanced data is minus the (unbalanced) log-loss curve."""
    X, y = data
    a = small_vtss(estimator=TIGHT, scoring="neg_log_loss").fit(X, y)
    b = small_vtss(estimator=TIGHT, scoring=make_scorer(log_loss, response_method="predict_proba",
                                                        greater_is_better=False)).fit(X, y)
    np.testing.assert_allclose(a.cv_results_["mean_val_score"], b.cv_results_["mean_val_score"])
    assert np.all(a.cv_results_["mean_val_score"] < 0)
    assert a.multiplier_ == GRID[np.argmax(a.cv_results_["mean_val_score"])]


def test_scoring_with_squared_loss_regressor():
    """Scorers see VTSS's classifier view of a regressor (clipped scores as probabilities)."""
    e1 = examples.aligned_gaussian()
    X, y = e1.sample(n0=800, n1=40, random_state=0)
    kw = dict(multipliers=np.linspace(0.5, 3.0, 6), cv=4, random_state=0, scoring="roc_auc")
    fast = VTSS(LinearRegression(), SMOTEGenerator(), **kw).fit(X, y)
    plain = VTSS(LinearRegression(), SMOTEGenerator(), route="refit", **kw).fit(X, y)
    assert fast.route_ == "closed_form"
    np.testing.assert_allclose(fast.cv_results_["mean_val_score"], plain.cv_results_["mean_val_score"],
                               rtol=1e-9)


def test_include_zero_scores_the_unaugmented_fit(data):
    """Multiplier 0 is in the grid and its loss is that of the estimator on the real rows alone."""
    X, y = data
    splits = list(StratifiedKFold(3, shuffle=True, random_state=1).split(X, y))
    m = small_vtss(estimator=TIGHT, cv=splits, include_zero=True).fit(X, y)
    res = m.cv_results_
    assert res["multiplier"][0] == 0.0 and res["n_syn"][0] == 0 and res["multiplier"].size == GRID.size + 1
    table = independent_curve(X, y, splits, [0.0], TIGHT)
    np.testing.assert_allclose([res[f"split{k}_val_loss"][0] for k in range(3)], table[0], rtol=1e-6)
    assert small_vtss(include_zero=False).fit(X, y).cv_results_["multiplier"].min() == 0.5


# ---------------------------------------------------------------------------- attributes and results
def test_fit_attributes(data):
    X, y = data
    m = small_vtss().fit(X, y)
    assert m.classes_.tolist() == [0, 1]
    assert m.minority_class_ == 1 and m.majority_class_ == 0
    assert (m.n_majority_, m.n_minority_) == (600, 60)
    res = m.cv_results_
    for key in ("multiplier", "mean_val_loss", "std_val_loss", "se_val_loss", "rank_val_loss",
                "n_syn", "split0_val_loss", "split2_val_loss"):
        assert len(res[key]) == GRID.size
    splits = np.column_stack([res[f"split{k}_val_loss"] for k in range(3)])
    np.testing.assert_allclose(res["mean_val_loss"], splits.mean(axis=1))
    np.testing.assert_allclose(res["std_val_loss"], splits.std(axis=1, ddof=1))
    np.testing.assert_allclose(res["se_val_loss"], res["std_val_loss"] / np.sqrt(3))
    np.testing.assert_array_equal(res["n_syn"], synthetic_size(GRID, 600, 60))
    assert res["rank_val_loss"][np.argmin(res["mean_val_loss"])] == 1
    assert sorted(res["rank_val_loss"].tolist()) == list(range(1, GRID.size + 1))
    P = m.predict_proba(X)
    assert P.shape == (X.shape[0], 2) and np.allclose(P.sum(axis=1), 1.0)
    np.testing.assert_array_equal(m.predict(X), m.best_estimator_.predict(X))
    assert m.n_features_in_ == X.shape[1]


def test_string_labels_and_minority_detection(data):
    X, y = data
    labels = np.where(y == 1, "sick", "healthy")
    m = small_vtss().fit(X, labels)
    assert m.minority_class_ == "sick"
    i = list(m.classes_).index("sick")
    ref = small_vtss().fit(X, y)
    np.testing.assert_allclose(m.predict_proba(X)[:, i], ref.predict_proba(X)[:, 1])
    np.testing.assert_array_equal(m.predict(X) == "sick", ref.predict(X) == 1)


def test_minority_coded_zero(data):
    """The smaller class may carry any label: swapping the codes swaps nothing else."""
    X, y = data
    m = small_vtss().fit(X, 1 - y)
    ref = small_vtss().fit(X, y)
    assert m.minority_class_ == 0 and m.majority_class_ == 1
    np.testing.assert_allclose(m.cv_results_["mean_val_loss"], ref.cv_results_["mean_val_loss"], rtol=1e-9)
    s = small_vtss(scoring="roc_auc").fit(X, 1 - y)          # fast-route stand-in with classes_[0] minority
    t = small_vtss(scoring="roc_auc", route="refit").fit(X, 1 - y)
    np.testing.assert_allclose(s.cv_results_["mean_val_score"], t.cv_results_["mean_val_score"], rtol=1e-3)


# ---------------------------------------------------------------------------- scikit-learn API
def test_clone_get_set_params(data):
    m = small_vtss(generator=SMOTEGenerator(k_neighbors=4))
    params = m.get_params(deep=True)
    assert params["generator__k_neighbors"] == 4
    assert params["gammas"] == "deprecated" and params["fast_path"] == "deprecated"
    m.set_params(generator__k_neighbors=3, estimator__C=10.0, cv=4)
    assert m.generator.k_neighbors == 3 and m.estimator.C == 10.0 and m.cv == 4
    c = clone(m)
    assert c is not m and c.generator is not m.generator
    assert c.get_params()["generator__k_neighbors"] == 3
    assert not hasattr(c, "multiplier_")


def test_init_stores_parameters_only():
    m = VTSS(estimator="not an estimator", generator=42, multipliers=[-1.0], cv="x", n_jobs=0)
    assert m.estimator == "not an estimator" and m.multipliers == [-1.0] and m.n_jobs == 0


def test_inside_pipeline(data):
    X, y = data
    pipe = make_pipeline(StandardScaler(), small_vtss())
    pipe.fit(X, y)
    direct = small_vtss().fit(StandardScaler().fit_transform(X), y)
    np.testing.assert_allclose(pipe[-1].cv_results_["mean_val_loss"], direct.cv_results_["mean_val_loss"])
    pipe.set_params(vtss__generator=GaussianFit())
    scores = cross_val_score(pipe, X, y, cv=StratifiedKFold(2, shuffle=True, random_state=0),
                             scoring="neg_log_loss")
    assert scores.shape == (2,) and np.all(np.isfinite(scores)) and np.all(scores < 0)


def test_same_random_state_same_selection(data):
    X, y = data
    a = small_vtss(random_state=7).fit(X, y)
    b = small_vtss(random_state=7).fit(X, y)
    assert a.multiplier_ == b.multiplier_
    np.testing.assert_array_equal(a.cv_results_["mean_val_loss"], b.cv_results_["mean_val_loss"])
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    c = small_vtss(random_state=8).fit(X, y)
    assert not np.array_equal(a.cv_results_["mean_val_loss"], c.cv_results_["mean_val_loss"])


def test_same_random_state_same_selection_stochastic_estimator(data):
    """Unset random_state parameters of the estimator are seeded from VTSS's."""
    X, y = data
    est = SGDClassifier(loss="log_loss", max_iter=50, tol=None)
    a = small_vtss(estimator=est, random_state=3).fit(X, y)
    b = small_vtss(estimator=est, random_state=3).fit(X, y)
    np.testing.assert_array_equal(a.cv_results_["mean_val_loss"], b.cv_results_["mean_val_loss"])


@pytest.mark.parametrize("route", ["refit", "newton"])
def test_n_jobs_same_numbers(data, route):
    """Random streams are drawn per fold before any fit: n_jobs changes the time, not the numbers."""
    X, y = data
    serial = small_vtss(route=route, generator=GaussianFit()).fit(X, y)
    parallel = small_vtss(route=route, generator=GaussianFit(), n_jobs=2).fit(X, y)
    assert serial.cv_results_.keys() == parallel.cv_results_.keys()
    for key, value in serial.cv_results_.items():            # items(): no deprecated-key warning
        np.testing.assert_array_equal(value, dict.__getitem__(parallel.cv_results_, key))
    np.testing.assert_array_equal(serial.best_estimator_.coef_, parallel.best_estimator_.coef_)


# ---------------------------------------------------------------------------- routes
def test_closed_form_route_selects_same_multiplier_as_refit():
    e1 = examples.aligned_gaussian()
    X, y = e1.sample(n0=1000, n1=50, random_state=1)
    grid = np.linspace(0.5, 4.0, 36)
    for est in (LinearRegression(fit_intercept=False), Ridge(alpha=1e-3), LinearRegression()):
        fast = VTSS(est, SMOTEGenerator(), multipliers=grid, cv=5, random_state=2).fit(X, y)
        plain = VTSS(est, SMOTEGenerator(), multipliers=grid, cv=5, random_state=2, route="refit").fit(X, y)
        assert fast.route_ == "closed_form" and plain.route_ == "refit"
        assert fast.multiplier_ == plain.multiplier_
        np.testing.assert_allclose(fast.cv_results_["mean_val_loss"], plain.cv_results_["mean_val_loss"],
                                   rtol=1e-9)
        np.testing.assert_allclose(fast.predict_proba(X), plain.predict_proba(X))


def test_newton_route_matches_refit_logistic(data):
    X, y = data
    fast = small_vtss(estimator=TIGHT, multipliers=GRID[::2]).fit(X, y)
    plain = small_vtss(estimator=TIGHT, route="refit", multipliers=GRID[::2]).fit(X, y)
    assert fast.route_ == "newton"
    assert fast.multiplier_ == plain.multiplier_
    np.testing.assert_allclose(fast.cv_results_["mean_val_loss"], plain.cv_results_["mean_val_loss"],
                               rtol=1e-6)


def test_newton_route_without_intercept_and_without_penalty(data):
    X, y = data
    for est in (LogisticRegression(fit_intercept=False, tol=1e-10, max_iter=5000),
                LogisticRegression(C=np.inf, tol=1e-10, max_iter=5000)):
        fast = small_vtss(estimator=est, multipliers=[0.5, 1.0, 1.5]).fit(X, y)
        plain = small_vtss(estimator=est, route="refit", multipliers=[0.5, 1.0, 1.5]).fit(X, y)
        np.testing.assert_allclose(fast.cv_results_["mean_val_loss"],
                                   plain.cv_results_["mean_val_loss"], rtol=1e-5)


def test_warm_start_route(data):
    X, y = data
    est = LogisticRegression(class_weight={0: 1.0, 1: 2.0}, tol=1e-8, max_iter=5000)
    fast = small_vtss(estimator=est, multipliers=[0.5, 1.0, 1.5]).fit(X, y)
    plain = small_vtss(estimator=est, route="refit", multipliers=[0.5, 1.0, 1.5]).fit(X, y)
    assert fast.route_ == "warm_start"
    np.testing.assert_allclose(fast.cv_results_["mean_val_loss"], plain.cv_results_["mean_val_loss"],
                               rtol=1e-5)


def test_any_classifier_refit_route(data):
    X, y = data
    m = small_vtss(estimator=DecisionTreeClassifier(max_depth=3, random_state=0)).fit(X, y)
    assert m.route_ == "refit"
    splits = list(StratifiedKFold(3, shuffle=True, random_state=4).split(X, y))
    tree = DecisionTreeClassifier(max_depth=3, random_state=0)
    # pure leaves give probabilities 0 and 1, where log-losses depend on the clipping: compare AUCs
    m = small_vtss(estimator=tree, generator=FunctionGenerator(fixed_smote), cv=splits, scoring="roc_auc").fit(X, y)
    table = independent_curve(X, y, splits, GRID, tree, metric="roc_auc")
    np.testing.assert_allclose(m.cv_results_["mean_val_score"], table.mean(axis=1), rtol=1e-12)
    assert m.multiplier_ == GRID[np.argmax(table.mean(axis=1))]


def test_auto_route_by_cost():
    """Newton steps cost O(m p^2 + p^3): "auto" keeps them for small p and refits for large p."""
    assert _vtss._newton_is_cheaper(4000, 6) and _vtss._newton_is_cheaper(4000, 102)
    assert not _vtss._newton_is_cheaper(4000, 2001) and not _vtss._newton_is_cheaper(400, 10_001)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((120, 1500))
    y = np.r_[np.zeros(100, dtype=int), np.ones(20, dtype=int)]
    X[y == 1, 0] += 2.0
    m = VTSS(LogisticRegression(), Jitter(sigma=0.1), multipliers=[0.5, 1.0], cv=2, random_state=0).fit(X, y)
    assert m.route_ == "refit"
    explicit = VTSS(LogisticRegression(), Jitter(sigma=0.1), multipliers=[0.5, 1.0], cv=2, random_state=0,
                    route="refit").fit(X, y)
    np.testing.assert_array_equal(m.cv_results_["mean_val_loss"], explicit.cv_results_["mean_val_loss"])


# ---------------------------------------------------------------------------- sample weights and routing
def test_unit_weights_change_nothing(data):
    X, y = data
    w = np.ones(y.size)
    for est in (LogisticRegression(), DecisionTreeClassifier(max_depth=2, random_state=0)):
        a = small_vtss(estimator=est).fit(X, y)
        b = small_vtss(estimator=est).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(a.cv_results_["mean_val_loss"], b.cv_results_["mean_val_loss"], rtol=1e-12)


def test_weighted_selection_matches_independent_curve(data):
    X, y = data
    w = np.random.default_rng(5).uniform(0.2, 3.0, y.size)
    splits = list(StratifiedKFold(3, shuffle=True, random_state=4).split(X, y))
    table = independent_curve(X, y, splits, GRID, TIGHT, sample_weight=w)
    for route in ("newton", "refit"):
        m = small_vtss(estimator=TIGHT, generator=FunctionGenerator(fixed_smote), cv=splits,
                       route=route).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(m.cv_results_["mean_val_loss"], table.mean(axis=1), rtol=1e-6)
        assert m.multiplier_ == GRID[np.argmin(table.mean(axis=1))]
    unweighted = small_vtss(estimator=TIGHT, generator=FunctionGenerator(fixed_smote), cv=splits).fit(X, y)
    assert not np.allclose(unweighted.cv_results_["mean_val_loss"], table.mean(axis=1), rtol=1e-3)


def test_weighted_closed_form_matches_refit():
    e1 = examples.aligned_gaussian()
    X, y = e1.sample(n0=800, n1=40, random_state=0)
    w = np.random.default_rng(1).uniform(0.5, 2.0, y.size)
    kw = dict(multipliers=np.linspace(0.5, 3.0, 6), cv=4, random_state=0)
    fast = VTSS(Ridge(alpha=0.1), SMOTEGenerator(), **kw).fit(X, y, sample_weight=w)
    plain = VTSS(Ridge(alpha=0.1), SMOTEGenerator(), route="refit", **kw).fit(X, y, sample_weight=w)
    assert fast.route_ == "closed_form"
    np.testing.assert_allclose(fast.cv_results_["mean_val_loss"], plain.cv_results_["mean_val_loss"], rtol=1e-8)


def test_sample_weight_needs_an_estimator_that_takes_it(data):
    X, y = data
    with pytest.raises(ValueError, match="does not accept sample_weight"):
        small_vtss(estimator=make_pipeline(StandardScaler(), LogisticRegression())).fit(
            X, y, sample_weight=np.ones(y.size))


def test_metadata_routing(data):
    X, y = data
    w = np.random.default_rng(2).uniform(0.5, 2.0, y.size)
    legacy = small_vtss(estimator=TIGHT).fit(X, y, sample_weight=w)
    with sklearn.config_context(enable_metadata_routing=True):
        est = clone(TIGHT).set_fit_request(sample_weight=True)
        routed = small_vtss(estimator=est).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(routed.cv_results_["mean_val_loss"], legacy.cv_results_["mean_val_loss"],
                                   rtol=1e-12)
        # a pipeline: the weights reach the step that requests them
        pipe = make_pipeline(StandardScaler().set_fit_request(sample_weight=False),
                             clone(TIGHT).set_fit_request(sample_weight=True))
        small_vtss(estimator=pipe).fit(X, y, sample_weight=w)
        # the estimator does not use them: fits unweighted, the balanced loss still weighted
        est_off = clone(TIGHT).set_fit_request(sample_weight=False)
        off = small_vtss(estimator=est_off).fit(X, y, sample_weight=w)
        assert not np.allclose(off.cv_results_["mean_val_loss"], routed.cv_results_["mean_val_loss"])
        with pytest.raises(ValueError, match="sample_weight"):      # request left unset: scikit-learn's error
            small_vtss(estimator=clone(TIGHT)).fit(X, y, sample_weight=w)
        # a scorer that asks for the weights gets them
        auc = make_scorer(roc_auc_score, response_method="predict_proba")
        a = small_vtss(estimator=est, scoring=auc.set_score_request(sample_weight=True)).fit(X, y, sample_weight=w)
        b = small_vtss(estimator=est, scoring=make_scorer(roc_auc_score, response_method="predict_proba")
                       .set_score_request(sample_weight=False)).fit(X, y, sample_weight=w)
        assert not np.allclose(a.cv_results_["mean_val_score"], b.cv_results_["mean_val_score"])
        # groups go to a group splitter
        groups = np.arange(y.size) % 6
        g = small_vtss(cv=GroupKFold(3)).fit(X, y, groups=groups)
    ref = small_vtss(cv=list(GroupKFold(3).split(X, y, groups))).fit(X, y)
    np.testing.assert_array_equal(g.cv_results_["mean_val_loss"], ref.cv_results_["mean_val_loss"])
    with pytest.raises(ValueError, match="enable_metadata_routing"):
        small_vtss().fit(X, y, groups=groups)


# ---------------------------------------------------------------------------- generators
@pytest.mark.parametrize("gen", [SMOTEGenerator(), GaussianFit(shrinkage=0.1), Jitter(sigma=0.3),
                                 Jitter(sigma=0.5, per_feature_std=True),
                                 Oracle(examples.tg_linear()),
                                 ImbSMOTE(k_neighbors=5), ADASYN(),
                                 FunctionGenerator(lambda X, n, rng: X[rng.integers(0, len(X), n)])])
def test_every_generator_kind(data, gen):
    X, y = data
    grid = [0.5, 1.0, 2.0]
    m = small_vtss(generator=gen, multipliers=grid).fit(X, y)
    curve = m.cv_results_["mean_val_loss"]
    assert np.all(np.isfinite(curve)) and np.ptp(curve) > 0     # the synthetic rows changed the fits
    assert m.multiplier_ == grid[int(np.argmin(curve))]


def test_imblearn_sampler_past_balance(data):
    """The dict sampling_strategy lets imbalanced-learn add more than the balancing size."""
    X, y = data
    same = small_vtss(generator=ImbSMOTE(k_neighbors=5, random_state=0), multipliers=[2.0, 3.0],
                      route="refit").fit(X, y)
    assert same.n_syn_ == synthetic_size(same.multiplier_, 600, 60) >= 2 * 540
    # the fold pools really hold 2-3 times the gap: the losses differ between 2 and 3
    assert same.cv_results_["mean_val_loss"][0] != same.cv_results_["mean_val_loss"][1]


@pytest.mark.parametrize("sampler, name", [(ImbSMOTE(k_neighbors=10, random_state=0), "k_neighbors"),
                                           (ADASYN(n_neighbors=10, random_state=0), "n_neighbors")])
def test_imblearn_neighbours_capped_to_fold_minority(sampler, name):
    """9 minority rows, 3 folds: 6 per fitting part, so k = 10 is capped at 5 (one warning)."""
    X, y = examples.tg_linear().sample(n0=120, n1=9, random_state=0)
    with pytest.warns(UserWarning, match=f"{name} is capped") as caught:
        m = small_vtss(generator=sampler, multipliers=[0.5, 1.0]).fit(X, y)
    assert sum("capped" in str(w.message) for w in caught) == 1
    ref = small_vtss(generator=clone(sampler).set_params(**{name: 5}), multipliers=[0.5, 1.0]).fit(X, y)
    np.testing.assert_array_equal(m.cv_results_["mean_val_loss"], ref.cv_results_["mean_val_loss"])


def test_imblearn_neighbours_not_capped_when_enough_rows(data):
    import warnings
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        small_vtss(generator=ImbSMOTE(k_neighbors=5), multipliers=[1.0]).fit(X, y)


# ---------------------------------------------------------------------------- deprecated names
def test_deprecated_constructor_names(data):
    X, y = data
    new = small_vtss(multipliers=[0.5, 1.0], route="refit").fit(X, y)
    with pytest.warns(FutureWarning, match="'gammas' is deprecated"):
        old = VTSS(LogisticRegression(), SMOTEGenerator(), gammas=[0.5, 1.0], cv=3, random_state=0,
                   route="refit").fit(X, y)
    np.testing.assert_array_equal(old.cv_results_["mean_val_loss"], new.cv_results_["mean_val_loss"])
    with pytest.warns(FutureWarning, match="'fast_path' is deprecated"):
        small_vtss(fast_path="newton").fit(X, y)
    with pytest.warns(FutureWarning, match="fast_path='plain'"):
        with pytest.warns(FutureWarning, match="'fast_path' is deprecated"):
            m = small_vtss(fast_path="plain", multipliers=[0.5, 1.0]).fit(X, y)
    assert m.route_ == "refit"
    with pytest.warns(FutureWarning, match="route='plain'"):
        small_vtss(route="plain", multipliers=[1.0]).fit(X, y)
    with pytest.raises(ValueError, match="gammas=.* and multipliers=.* are both set"):
        small_vtss(gammas=[1.0]).fit(X, y)
    with pytest.raises(ValueError, match="fast_path='newton' and route='refit' are both set"):
        small_vtss(fast_path="newton", route="refit").fit(X, y)


def test_deprecated_attributes_and_keys(data):
    X, y = data
    m = small_vtss().fit(X, y)
    with pytest.warns(FutureWarning, match="'gamma_' is deprecated"):
        assert m.gamma_ == m.multiplier_
    with pytest.warns(FutureWarning, match="'n_synthetic_' is deprecated"):
        assert m.n_synthetic_ == m.n_syn_
    with pytest.warns(FutureWarning, match="'fit_route_' is deprecated"):
        assert m.fit_route_ == m.route_
    with pytest.warns(FutureWarning, match="cv_results_"):
        np.testing.assert_array_equal(m.cv_results_["gamma"], m.cv_results_["multiplier"])
    with pytest.warns(FutureWarning, match="cv_results_"):
        np.testing.assert_array_equal(m.cv_results_["n_synthetic"], m.cv_results_["n_syn"])
    with pytest.warns(FutureWarning, match="DEFAULT_GAMMAS"):
        np.testing.assert_array_equal(_vtss.DEFAULT_GAMMAS, _vtss.DEFAULT_MULTIPLIERS)
    assert not hasattr(small_vtss(), "gamma_")


# ---------------------------------------------------------------------------- bad input
BAD_PARAMS = [
    ("multipliers", [-0.5, 1.0], r"multipliers contains -0.5, out of range: expected multipliers >= 0"),
    ("multipliers", [], "multipliers"),
    ("multipliers", [1.0, np.nan], "multipliers"),
    ("multipliers", [[0.5, 1.0]], "multipliers has shape"),
    ("multipliers", "wide", "multipliers"),
    ("gammas", [-1.0], "gammas contains -1.0"),
    ("include_zero", "yes", "include_zero='yes' is invalid"),
    ("cv", 1, "cv=1 is out of range"),
    ("cv", 1.5, "cv=1.5 is invalid"),
    ("cv", "x", "cv='x' is invalid"),
    ("cv", True, "cv=True is invalid"),
    ("loss", "hinge", "loss='hinge' is invalid"),
    ("loss", None, "loss=None is invalid"),
    ("scoring", "nope", "scoring='nope' is invalid"),
    ("scoring", 3, "scoring=3 is invalid"),
    ("minority_class", 7, "minority_class=7 is not a label"),
    ("route", "fast", "route='fast' is invalid"),
    ("route", 1, "route=1 is invalid"),
    ("fast_path", "fast", "fast_path='fast' is invalid"),
    ("n_jobs", 0, "n_jobs=0 is invalid"),
    ("n_jobs", 1.5, "n_jobs=1.5 is invalid"),
    ("n_jobs", True, "n_jobs=True is invalid"),
    ("random_state", -1, "random_state=-1 is invalid"),
    ("random_state", "seed", "random_state='seed' is invalid"),
    ("estimator", "not an estimator", "estimator='not an estimator' is invalid"),
    ("generator", 42, "generator=42 is invalid"),
]


@pytest.mark.parametrize("name, value, match", BAD_PARAMS, ids=[f"{n}={v!r}" for n, v, _ in BAD_PARAMS])
def test_bad_parameter_is_named(data, name, value, match):
    import warnings
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)        # gammas / fast_path are deprecated names
        kw = {name: value, **({"multipliers": None} if name == "gammas" else {})}
        with pytest.raises(ValueError, match=match):
            small_vtss(**kw).fit(X, y)


@pytest.mark.parametrize("weights, match", [
    (-np.ones(660), "sample_weight"),
    (np.ones(5), "sample_weight"),
    (np.r_[np.ones(659), np.nan], "sample_weight"),
    (np.r_[np.ones(600), np.zeros(60)], "sample_weight gives the class 1 a total weight of 0"),
])
def test_bad_sample_weight(data, weights, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        small_vtss().fit(X, y, sample_weight=weights)


def test_single_class(data):
    X, _ = data
    with pytest.raises(ValueError, match="single class"):
        small_vtss().fit(X, np.zeros(X.shape[0]))


def test_more_than_two_classes(data):
    X, y = data
    with pytest.raises(ValueError, match="Only binary classification is supported"):
        small_vtss().fit(X, np.arange(X.shape[0]) % 3)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_features(data, bad):
    X, y = data
    X = X.copy()
    X[3, 2] = bad
    with pytest.raises(ValueError, match=r"NaN or infinite values \(first at row 3, column 2\)"):
        small_vtss().fit(X, y)


def test_non_finite_features_at_predict(data):
    X, y = data
    m = small_vtss().fit(X, y)
    Xb = X[:4].copy()
    Xb[1, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite"):
        m.predict(Xb)


@pytest.mark.parametrize("shape", [(3, 5), "rows", "cols"])
def test_generator_wrong_shape_is_named(data, shape):
    X, y = data

    def bad(Xm, n, rng):
        if shape == "rows":
            return np.zeros((n + 1, Xm.shape[1]))
        if shape == "cols":
            return np.zeros((n, Xm.shape[1] + 1))
        return np.zeros(shape)

    with pytest.raises(ValueError, match=r"generator FunctionGenerator\(func=.*bad.*\) returned shape"):
        small_vtss(generator=FunctionGenerator(bad)).fit(X, y)


def test_generator_non_finite_output_is_named(data):
    X, y = data
    gen = FunctionGenerator(lambda Xm, n, rng: np.full((n, Xm.shape[1]), np.nan))
    with pytest.raises(ValueError, match="generator FunctionGenerator.*NaN"):
        small_vtss(generator=gen).fit(X, y)


def test_minority_class_larger_than_majority(data):
    X, y = data
    with pytest.raises(ValueError, match=r"minority_class=0 has 600 samples but the other class 1 has 60"
                                         r".*pass minority_class=1"):
        small_vtss(minority_class=0).fit(X, y)
    m = small_vtss(minority_class=1).fit(X, y)
    ref = small_vtss().fit(X, y)
    np.testing.assert_array_equal(m.cv_results_["mean_val_loss"], ref.cv_results_["mean_val_loss"])


def test_balanced_classes_warn_and_add_nothing(data):
    X, _ = data
    y = np.arange(X.shape[0]) % 2
    with pytest.warns(UserWarning, match="balanced"):
        m = small_vtss().fit(X, y)
    assert m.n_syn_ == 0 and np.all(m.cv_results_["n_syn"] == 0)
    np.testing.assert_allclose(m.predict_proba(X), LogisticRegression().fit(X, y).predict_proba(X))


def test_too_many_folds_for_minority():
    X, y = examples.tg_linear().sample(n0=50, n1=3, random_state=0)
    with pytest.raises(ValueError, match="cv=5 folds need at least 5 minority samples"):
        small_vtss(cv=5, generator=GaussianFit()).fit(X, y)


def test_fold_with_one_minority_row_is_refused():
    """cv=2 with 3 minority rows leaves one fitting part with a single minority row."""
    X, y = examples.tg_linear().sample(n0=50, n1=3, random_state=0)
    with pytest.raises(ValueError, match=r"cv=2: fold \d keeps 1 minority row\(s\).*at least 2 minority rows"):
        small_vtss(cv=2, generator=Jitter()).fit(X, y)
    X, y = examples.tg_linear().sample(n0=50, n1=4, random_state=0)
    assert small_vtss(cv=2, generator=Jitter()).fit(X, y).n_syn_ >= 0


def test_fold_without_a_class_in_validation(data):
    X, y = data
    yy = np.r_[y[y == 0][:400], y[y == 1], y[y == 0][400:600]]
    XX = np.vstack([X[y == 0][:400], X[y == 1], X[y == 0][400:600]])
    splits = [(np.arange(0, 460), np.arange(460, 660))]      # validation rows: majority only
    with pytest.raises(ValueError, match="lacks one of the classes in its validation part"):
        small_vtss(cv=splits).fit(XX, yy)


def test_loss_estimator_mismatch(data):
    X, y = data
    with pytest.raises(ValueError, match="needs a regressor"):
        small_vtss(loss="squared").fit(X, y)
    with pytest.raises(ValueError, match="no predict_proba"):
        small_vtss(estimator=LinearRegression(), loss="log_loss").fit(X, y)
    with pytest.raises(ValueError, match="route='closed_form' needs"):
        small_vtss(route="closed_form").fit(X, y)
    with pytest.raises(ValueError, match="route='newton' needs"):
        small_vtss(estimator=LogisticRegression(class_weight="balanced"), route="newton").fit(X, y)
    with pytest.raises(ValueError, match="route='warm_start' needs"):
        small_vtss(estimator=DecisionTreeClassifier(), route="warm_start").fit(X, y)


def test_predict_before_fit(data):
    from sklearn.exceptions import NotFittedError
    with pytest.raises(NotFittedError):
        small_vtss().predict(data[0])


def test_squared_loss_predictions():
    e1 = examples.aligned_gaussian()
    X, y = e1.sample(n0=800, n1=40, random_state=0)
    m = VTSS(LinearRegression(fit_intercept=False), e1.synthetic_generator(),
             multipliers=np.linspace(0.5, 5, 10), cv=4, random_state=0).fit(X, y)
    assert m.loss_ == "squared"
    P = m.predict_proba(X)
    f = m.best_estimator_.predict(X)
    np.testing.assert_allclose(P[:, 1], np.clip(f, 0, 1))
    np.testing.assert_allclose(P.sum(axis=1), 1)
    np.testing.assert_array_equal(m.predict(X), np.where(f >= 0.5, 1, 0))


# ---------------------------------------------------------------------------- tg_vtss_candidates
def _same_decision(a, b):
    assert a.regime == b.regime and a.n_balance == b.n_balance
    np.testing.assert_array_equal(a.candidate_sizes, b.candidate_sizes)
    assert a.symmetry.statistic == b.symmetry.statistic
    assert (a.quality is None) == (b.quality is None)
    if a.quality is not None:
        assert a.quality.score == b.quality.score


def test_tg_vtss_candidates_reads_the_estimator():
    from synthlib.imbalance import tg_vtss_candidates
    e1 = examples.aligned_gaussian()
    X, y = e1.sample(n0=2000, n1=100, random_state=0)
    gen = e1.synthetic_generator()
    a = tg_vtss_candidates(X, y, gen, estimator=LinearRegression(fit_intercept=False), random_state=0)
    b = tg_vtss_candidates(X, y, gen, loss="squared", fit_intercept=False, random_state=0)
    _same_decision(a, b)
    X, y = examples.tg_linear().sample(n0=600, n1=60, random_state=1)
    a = tg_vtss_candidates(X, y, SMOTEGenerator(), estimator=LogisticRegression(C=2.0), random_state=0)
    b = tg_vtss_candidates(X, y, SMOTEGenerator(), C=2.0, random_state=0)
    _same_decision(a, b)
    np.testing.assert_array_equal(a.candidate_multipliers, a.candidate_sizes / a.n_balance)


def test_tg_vtss_candidates_on_pipeline_features():
    """A pipeline's head gives the features; the generator still draws raw rows (chapter 11's wrapper)."""
    from sklearn.kernel_approximation import RBFSampler

    from synthlib.imbalance import tg_vtss_candidates
    X, y = examples.tg_nonlinear().sample(n0=400, n1=40, random_state=0)
    rff = RBFSampler(gamma=0.2, n_components=30, random_state=0)
    pipe = make_pipeline(rff, LogisticRegression(C=2.0))
    dec = tg_vtss_candidates(X, y, Jitter(sigma=1.0), estimator=pipe, random_state=5)
    # by hand: features fitted on X, a generator that maps feature rows back to raw rows
    fitted = clone(rff).fit(X)
    F = fitted.transform(X)
    raw = {row.tobytes(): x for row, x in zip(F, X, strict=False)}

    def by_hand(F_min, n, rng):
        return fitted.transform(Jitter(sigma=1.0).sample(np.array([raw[r.tobytes()] for r in F_min]), n,
                                                         random_state=rng))

    ref = tg_vtss_candidates(F, y, FunctionGenerator(by_hand), C=2.0, random_state=5)
    _same_decision(dec, ref)
    assert dec.symmetry.df == 31


def test_tg_vtss_candidates_bad_input():
    from synthlib.imbalance import tg_vtss_candidates
    X, y = examples.tg_linear().sample(n0=300, n1=30, random_state=0)
    Xb = X[:60]
    yb = np.r_[np.zeros(30, dtype=int), np.ones(30, dtype=int)]
    with pytest.raises(ValueError, match="the classes are balanced"):
        tg_vtss_candidates(Xb, yb, SMOTEGenerator(), random_state=0)
    with pytest.raises(ValueError, match="C and estimator are both given"):
        tg_vtss_candidates(X, y, SMOTEGenerator(), estimator=LogisticRegression(), C=1.0)
    with pytest.raises(ValueError, match="estimator=DecisionTreeClassifier"):
        tg_vtss_candidates(X, y, SMOTEGenerator(), estimator=DecisionTreeClassifier())
    with pytest.raises(ValueError, match="l2"):
        tg_vtss_candidates(X, y, SMOTEGenerator(), estimator=LogisticRegression(penalty="l1", solver="saga"))
    for name, value in (("C", 0.0), ("C", np.nan), ("level", 1.5), ("fit_intercept", "yes")):
        with pytest.raises(ValueError, match=name):
            tg_vtss_candidates(X, y, SMOTEGenerator(), **{name: value})


def test_tg_vtss_candidates_deprecated_names():
    from synthlib.imbalance import tg_vtss_candidates
    X, y = examples.tg_linear().sample(n0=300, n1=30, random_state=0)
    new = tg_vtss_candidates(X, y, SMOTEGenerator(), level=0.2, random_state=0)
    with pytest.warns(FutureWarning, match="'alpha' is deprecated"):
        old = tg_vtss_candidates(X, y, SMOTEGenerator(), alpha=0.2, random_state=0)
    _same_decision(new, old)
    assert new.symmetry.cutoff == old.symmetry.cutoff
    with pytest.warns(FutureWarning, match="candidate_gammas"):
        np.testing.assert_array_equal(new.candidate_gammas, new.candidate_multipliers)

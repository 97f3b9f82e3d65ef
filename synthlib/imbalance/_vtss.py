r"""VTSS: validation-tuned synthetic size, as a scikit-learn meta-estimator.

Algorithm 1 of the paper in its plain (arXiv v1–v3) form, RECONSTRUCTED in
spec part III §4.1 from the abstract, the secondary summary and the authors'
code: a grid of multipliers :math:`\gamma` centred at balancing
(:math:`\tilde n=\mathrm{round}(\gamma(n_0-n_1))`), balanced validation loss
on real data only, nested synthetic prefixes, refit on all data.

Speed (the reason for the routes below): one synthetic pool of the largest
size is drawn per fold and every candidate size uses a prefix of it, so a
γ-sweep costs one generator call per fold. The fits along the sweep then take
the cheapest route that gives the same answer as fresh fits:

* ``"closed_form"``: squared loss with ``LinearRegression``/``Ridge``; running
  sums of :math:`z z^\top` and :math:`z t` over the prefix, one small solve per γ;
* ``"newton"``: ``LogisticRegression`` with an l2 (or no) penalty and no class
  weights; scikit-learn's objective solved by Newton steps warm-started from
  the previous γ;
* ``"warm_start"``: any estimator with a ``warm_start`` parameter, refitted along
  increasing sizes (automatic only for convex linear models, where the
  optimum does not depend on the starting point);
* ``"plain"``: a fresh clone per fit.
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_classifier, is_regressor
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .._random import check_random_state
from .._validation import check_scalar
from ._generators import as_generator, draw_synthetic
from ._losses import _PROB_EPS, balanced_log_loss, balanced_squared_loss, synthetic_size
from ._numerics import _design, _logistic_newton, _ridge_prefix_path

__all__ = ["VTSS", "DEFAULT_GAMMAS"]

#: default grid: 21 multipliers from 0.5 to 1.5, centred at balancing (spec §4.1)
DEFAULT_GAMMAS = np.round(np.linspace(0.5, 1.5, 21), 10)

_ROUTES = ("auto", "closed_form", "newton", "warm_start", "plain")


def _closed_form_ok(est):
    if type(est) is LinearRegression:
        return not est.positive
    if type(est) is Ridge:
        return (not est.positive) and isinstance(est.alpha, numbers.Real)
    return False


def _newton_ok(est):
    if type(est) is not LogisticRegression:
        return False
    params = est.get_params()
    penalty = params.get("penalty", "deprecated")
    l1_ratio = params.get("l1_ratio", 0.0)
    return (penalty in ("deprecated", "l2", None)
            and (l1_ratio is None or l1_ratio == 0)
            and params.get("class_weight") is None
            and params.get("solver") in ("lbfgs", "newton-cg", "newton-cholesky"))


def _warm_start_auto_ok(est):
    # estimators whose fit is a convex problem: the warm start changes only the path
    return type(est) in (LogisticRegression, ElasticNet, Lasso) and "warm_start" in est.get_params()


def _py(label):
    """A numpy scalar label as a plain Python value, for readable messages."""
    return label.item() if isinstance(label, np.generic) else label


def _seed_sub_estimator(est, rng):
    """Give every unset ``random_state`` of ``est`` a seed from ``rng`` (same seed, same fit)."""
    unset = {k: int(rng.integers(0, 2**31 - 1)) for k, v in est.get_params(deep=True).items()
             if k.split("__")[-1] == "random_state" and v is None}
    if unset:
        est.set_params(**unset)
    return est


class VTSS(ClassifierMixin, BaseEstimator):
    r"""Validation-tuned synthetic size for a binary classifier (spec §4.1).

    For each multiplier :math:`\gamma` of ``gammas`` and each cross-validation
    fold, VTSS adds :math:`\tilde n_\gamma=\mathrm{round}(\gamma(n_0^{\rm fit}-n_1^{\rm fit}))`
    synthetic minority points (a prefix of one pool drawn from the generator
    fitted on the fold's minority rows), fits the estimator and scores it by the
    **balanced** validation loss on the fold's **real** held-out rows. It keeps
    the :math:`\hat\gamma` with the smallest mean loss and refits on all data
    with :math:`\mathrm{round}(\hat\gamma(n_0-n_1))` fresh synthetic points.
    :math:`\gamma=1` is naive full balancing; :math:`\gamma=0` no augmentation.

    The algorithm is RECONSTRUCTED (the paper's text was unavailable); see
    the module docstring for the fast routes.

    Parameters
    ----------
    estimator : scikit-learn classifier or regressor, default ``LogisticRegression()``
        A classifier with ``predict_proba`` (loss ``"log_loss"``) or a regressor
        fitted to 0/1 targets, 1 = minority (loss ``"squared"``).
    generator : synthlib generator, imbalanced-learn over-sampler or callable, default ``SMOTE()``
        See :func:`as_generator`.
    gammas : array_like of float >= 0, default ``linspace(0.5, 1.5, 21)``
        Candidate multipliers. Values above 1 add more synthetic points than
        balancing needs; ``0`` means no augmentation.
    cv : int or cross-validation splitter, default 5
        An integer gives ``StratifiedKFold(cv, shuffle=True)`` seeded from
        ``random_state``.
    loss : {"auto", "log_loss", "squared"}, default "auto"
        ``"auto"``: ``"squared"`` for regressors, ``"log_loss"`` otherwise.
    minority_class : label or None, default None
        The class that receives synthetic points. ``None``: the less frequent
        class. Naming the more frequent class is an error (it would widen the
        imbalance).
    fast_path : {"auto", "closed_form", "newton", "warm_start", "plain"}, default "auto"
        How the γ-sweep is fitted (module docstring). All routes select from
        the same synthetic points; ``"plain"`` refits from scratch.
    random_state : None, int or numpy.random.Generator
        Seeds the folds, the synthetic draws and unset ``random_state``
        parameters of the estimator. Same integer, same selection.

    Attributes
    ----------
    gamma_ : float
        Selected multiplier :math:`\hat\gamma`.
    n_synthetic_ : int
        Synthetic points in the refit, :math:`\mathrm{round}(\hat\gamma(n_0-n_1))`.
    best_estimator_ : estimator
        The estimator refitted on all real rows plus ``n_synthetic_`` synthetic ones.
    cv_results_ : dict of numpy arrays
        ``"gamma"``, ``"n_synthetic"`` (on the full data), ``"mean_val_loss"``,
        ``"std_val_loss"``, ``"se_val_loss"``, ``"rank_val_loss"`` and
        ``"split{k}_val_loss"``.
    best_index_ : int
        Index of ``gamma_`` in ``cv_results_["gamma"]``.
    classes_ : numpy.ndarray
    minority_class_, majority_class_ : label
    n_majority_, n_minority_ : int
    loss_ : str
    fit_route_ : str
        The route actually used.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from synthlib.imbalance import VTSS, SMOTE, examples
    >>> X, y = examples.tg_linear().sample(n0=400, n1=40, random_state=0)
    >>> model = VTSS(LogisticRegression(), SMOTE(), gammas=np.linspace(0.5, 1.5, 11),
    ...              cv=3, random_state=0).fit(X, y)
    >>> bool(0.5 <= model.gamma_ <= 1.5), model.fit_route_
    (True, 'newton')
    >>> model.n_synthetic_ == round(model.gamma_ * (400 - 40))
    True
    >>> model.predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(self, estimator=None, generator=None, *, gammas=None, cv=5, loss="auto",
                 minority_class=None, fast_path="auto", random_state=None):
        self.estimator = estimator
        self.generator = generator
        self.gammas = gammas
        self.cv = cv
        self.loss = loss
        self.minority_class = minority_class
        self.fast_path = fast_path
        self.random_state = random_state

    # ------------------------------------------------------------------ validation
    def _validate_X(self, X, reset):
        X = validate_data(self, X, reset=reset, ensure_all_finite=False, dtype=np.float64)
        if not np.all(np.isfinite(X)):
            i, j = np.argwhere(~np.isfinite(X))[0]
            raise ValueError(
                f"X contains NaN or infinite values (first at row {i}, column {j}): VTSS and its "
                "generators need finite features; impute or drop them first"
            )
        return X

    def _validate_fit_inputs(self, X, y):
        X, y = validate_data(self, X, y, ensure_all_finite=False, dtype=np.float64)
        if not np.all(np.isfinite(X)):
            i, j = np.argwhere(~np.isfinite(X))[0]
            raise ValueError(
                f"X contains NaN or infinite values (first at row {i}, column {j}): VTSS and its "
                "generators need finite features; impute or drop them first"
            )
        check_classification_targets(y)
        classes, counts = np.unique(y, return_counts=True)
        if classes.size < 2:
            raise ValueError(
                f"y has a single class, i.e. one class ({_py(classes[0])!r}): VTSS needs a majority "
                "and a minority class"
            )
        if classes.size > 2:
            raise ValueError(f"Only binary classification is supported. y has {classes.size} classes "
                             f"{classes.tolist()}: VTSS needs one majority and one minority class")
        if self.minority_class is None:
            if counts[0] == counts[1]:
                # nothing to fill: every gamma gives 0 synthetic points and VTSS reduces to
                # the estimator itself (this keeps it usable inside CV loops and pipelines)
                warnings.warn(
                    f"the classes are balanced ({counts[0]} samples each): there is no gap "
                    f"n0 - n1 to fill, so VTSS adds no synthetic points (treating {_py(classes[1])!r} "
                    "as the minority)", UserWarning, stacklevel=3)
                i_min = 1
            else:
                i_min = int(np.argmin(counts))
        else:
            matches = np.flatnonzero(classes == self.minority_class)
            if matches.size == 0:
                raise ValueError(f"minority_class={self.minority_class!r} is not a label of y "
                                 f"(labels: {classes.tolist()})")
            i_min = int(matches[0])
            if counts[i_min] > counts[1 - i_min]:
                raise ValueError(
                    f"minority_class={self.minority_class!r} has {counts[i_min]} samples but the "
                    f"other class {_py(classes[1 - i_min])!r} has {counts[1 - i_min]}: the minority must "
                    "be the smaller class, since synthetic minority points are meant to close the "
                    f"gap n0 - n1 > 0; pass minority_class={_py(classes[1 - i_min])!r} (or None to pick "
                    "the less frequent class) to swap the roles"
                )
        self.classes_ = classes
        self.minority_class_ = classes[i_min]
        self.majority_class_ = classes[1 - i_min]
        self.n_minority_ = int(counts[i_min])
        self.n_majority_ = int(counts[1 - i_min])
        return X, y

    def _validate_gammas(self):
        gammas = DEFAULT_GAMMAS if self.gammas is None else self.gammas
        g = check_scalar(gammas, "gammas", low=0, allow_array=True)
        g = np.atleast_1d(g)
        if g.ndim != 1 or g.size == 0:
            raise ValueError(f"gammas has shape {g.shape}: expected a non-empty 1-d grid of multipliers")
        return np.unique(g)

    def _resolve_estimator_and_loss(self):
        est = LogisticRegression() if self.estimator is None else self.estimator
        if not hasattr(est, "fit"):
            raise ValueError(f"estimator={est!r} is invalid: expected a scikit-learn estimator")
        loss = self.loss
        if loss == "auto":
            loss = "squared" if is_regressor(est) else "log_loss"
        if loss == "log_loss":
            if is_regressor(est) or not hasattr(est, "predict_proba"):
                raise ValueError(
                    f"estimator {est!r} has no predict_proba: the balanced log-loss needs "
                    "probabilities; use a probabilistic classifier, or a regressor with loss='squared'"
                )
        elif loss == "squared":
            if is_classifier(est):
                raise ValueError(
                    f"loss='squared' needs a regressor fitted to 0/1 targets (1 = minority), "
                    f"got the classifier {est!r}; use loss='log_loss' for classifiers"
                )
        else:
            raise ValueError(f"loss={self.loss!r} is invalid: expected 'auto', 'log_loss' or 'squared'")
        return est, loss

    def _resolve_route(self, est, loss):
        route = self.fast_path
        if route not in _ROUTES:
            raise ValueError(f"fast_path={route!r} is invalid: expected one of {_ROUTES}")
        if route == "auto":
            if loss == "squared" and _closed_form_ok(est):
                return "closed_form"
            if loss == "log_loss" and _newton_ok(est):
                return "newton"
            if _warm_start_auto_ok(est):
                return "warm_start"
            return "plain"
        if route == "closed_form" and not (loss == "squared" and _closed_form_ok(est)):
            raise ValueError("fast_path='closed_form' needs loss='squared' and a LinearRegression "
                             f"or Ridge (positive=False, scalar alpha); got {est!r}")
        if route == "newton" and not (loss == "log_loss" and _newton_ok(est)):
            raise ValueError("fast_path='newton' needs a LogisticRegression with an l2 or no penalty, "
                             f"no class_weight and solver lbfgs/newton-cg/newton-cholesky; got {est!r}")
        if route == "warm_start" and "warm_start" not in est.get_params():
            raise ValueError(f"fast_path='warm_start' needs an estimator with a warm_start parameter; "
                             f"got {est!r}")
        return route

    def _make_cv(self, rng):
        if isinstance(self.cv, numbers.Integral) and not isinstance(self.cv, bool):
            if self.cv < 2:
                raise ValueError(f"cv={self.cv!r} is out of range: expected cv >= 2 folds")
            if self.cv > self.n_minority_:
                raise ValueError(
                    f"cv={self.cv} folds need at least {self.cv} minority samples; "
                    f"y has {self.n_minority_}"
                )
            return StratifiedKFold(int(self.cv), shuffle=True,
                                   random_state=int(rng.integers(0, 2**31 - 1)))
        return check_cv(self.cv, classifier=True)

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y):
        """Select the synthetic size by cross-validation and refit on all data.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,), two classes

        Returns
        -------
        self
        """
        X, y = self._validate_fit_inputs(X, y)
        gammas = self._validate_gammas()
        est, loss = self._resolve_estimator_and_loss()
        route = self._resolve_route(est, loss)
        generator = as_generator(self.generator)
        rng = check_random_state(self.random_state)
        splitter = self._make_cv(rng)
        est_seed = int(rng.integers(0, 2**31 - 1))

        is_min = y == self.minority_class_
        splits = list(splitter.split(X, y))
        fold_seeds = rng.integers(0, 2**63 - 1, size=len(splits) + 1)
        losses = np.empty((gammas.size, len(splits)))
        for k, (train, val) in enumerate(splits):
            Xf, yf, mf = X[train], y[train], is_min[train]
            n0f, n1f = int(np.sum(~mf)), int(np.sum(mf))
            if n1f < 1 or n0f < 1 or not np.any(is_min[val]) or np.all(is_min[val]):
                raise ValueError(f"cross-validation fold {k} lacks one of the classes in its fitting or "
                                 "validation part: use a stratified splitter or fewer folds")
            sizes = synthetic_size(gammas, n0f, n1f)
            pool = draw_synthetic(generator, Xf[mf], int(sizes.max()),
                                  np.random.default_rng(fold_seeds[k]), X_majority=Xf[~mf])
            losses[:, k] = self._sweep(route, est, loss, est_seed, Xf, yf, mf, pool, sizes,
                                       X[val], y[val])

        mean = losses.mean(axis=1)
        best = int(np.argmin(mean))
        self.best_index_ = best
        self.gamma_ = float(gammas[best])
        self.n_synthetic_ = synthetic_size(self.gamma_, self.n_majority_, self.n_minority_)
        self.loss_ = loss
        self.fit_route_ = route
        n_splits = losses.shape[1]
        std = losses.std(axis=1, ddof=1) if n_splits > 1 else np.zeros_like(mean)
        results = {
            "gamma": gammas.copy(),
            "n_synthetic": synthetic_size(gammas, self.n_majority_, self.n_minority_),
            "mean_val_loss": mean,
            "std_val_loss": std,
            "se_val_loss": std / np.sqrt(n_splits),
            "rank_val_loss": np.argsort(np.argsort(mean, kind="stable"), kind="stable") + 1,
        }
        for k in range(n_splits):
            results[f"split{k}_val_loss"] = losses[:, k]
        self.cv_results_ = results

        # refit on all real rows plus a fresh pool from the generator fitted on all minority rows
        pool = draw_synthetic(generator, X[is_min], self.n_synthetic_,
                              np.random.default_rng(fold_seeds[-1]), X_majority=X[~is_min])
        X_aug = np.vstack([X, pool])
        self.best_estimator_ = self._fit_one(clone(est), loss, est_seed, X_aug,
                                             np.r_[y, np.full(pool.shape[0], self.minority_class_,
                                                              dtype=y.dtype)])
        return self

    def _targets(self, y):
        return (y == self.minority_class_).astype(float)

    def _fit_one(self, est, loss, est_seed, X, y):
        _seed_sub_estimator(est, np.random.default_rng(est_seed))
        if loss == "squared":
            return est.fit(X, self._targets(y))
        return est.fit(X, y)

    def _val_loss(self, est, loss, X_val, y_val):
        if loss == "squared":
            return balanced_squared_loss(y_val, est.predict(X_val), minority_class=self.minority_class_)
        proba = est.predict_proba(X_val)
        col = int(np.flatnonzero(est.classes_ == self.minority_class_)[0])
        return balanced_log_loss(y_val, proba[:, col], minority_class=self.minority_class_)

    def _sweep(self, route, est, loss, est_seed, Xf, yf, mf, pool, sizes, X_val, y_val):
        """Balanced validation loss for every size, on the prefixes of one pool."""
        uniq, inverse = np.unique(sizes, return_inverse=True)
        val_min = y_val == self.minority_class_
        out = np.empty(uniq.size)
        if route == "closed_form":
            fi = bool(est.fit_intercept)
            alpha = float(getattr(est, "alpha", 0.0))
            Z = _design(Xf, fi)
            penalty = np.full(Z.shape[1], alpha)
            if fi:
                penalty[-1] = 0.0   # scikit-learn never penalises the intercept
            thetas = _ridge_prefix_path(Z, mf.astype(float), _design(pool, fi),
                                        np.ones(pool.shape[0]), uniq, penalty)
            F = _design(X_val, fi) @ thetas.T                    # (n_val, n_sizes)
            out = 0.5 * np.mean(F[~val_min] ** 2, axis=0) + 0.5 * np.mean((F[val_min] - 1) ** 2, axis=0)
            return out[inverse]
        X_all = np.vstack([Xf, pool])
        y_all = np.r_[yf, np.full(pool.shape[0], self.minority_class_, dtype=yf.dtype)]
        n_real = Xf.shape[0]
        if route == "newton":
            fi = bool(est.fit_intercept)
            params = est.get_params()
            C = np.inf if params.get("penalty") is None else float(est.C)
            Z_all = _design(X_all, fi)
            t_all = np.r_[mf.astype(float), np.ones(pool.shape[0])]
            penalize = np.ones(Z_all.shape[1])
            if fi:
                penalize[-1] = 0.0
            Z_val = _design(X_val, fi)
            theta = None
            for j, s in enumerate(uniq):
                m = n_real + int(s)
                theta_new, ok = _logistic_newton(Z_all[:m], t_all[:m], C=C, penalize=penalize,
                                                 theta0=theta)
                if ok:
                    theta = theta_new
                    p = np.clip(expit(Z_val @ theta), _PROB_EPS, 1 - _PROB_EPS)
                    out[j] = 0.5 * np.mean(-np.log1p(-p[~val_min])) + 0.5 * np.mean(-np.log(p[val_min]))
                else:   # e.g. separable data without penalty: let scikit-learn decide
                    fitted = self._fit_one(clone(est), loss, est_seed, X_all[:m], y_all[:m])
                    out[j] = self._val_loss(fitted, loss, X_val, y_val)
            return out[inverse]
        if route == "warm_start":
            model = clone(est).set_params(warm_start=True)
            _seed_sub_estimator(model, np.random.default_rng(est_seed))
            for j, s in enumerate(uniq):
                m = n_real + int(s)
                target = self._targets(y_all[:m]) if loss == "squared" else y_all[:m]
                model.fit(X_all[:m], target)
                out[j] = self._val_loss(model, loss, X_val, y_val)
            return out[inverse]
        for j, s in enumerate(uniq):
            m = n_real + int(s)
            fitted = self._fit_one(clone(est), loss, est_seed, X_all[:m], y_all[:m])
            out[j] = self._val_loss(fitted, loss, X_val, y_val)
        return out[inverse]

    # ------------------------------------------------------------------ prediction
    def predict_proba(self, X):
        """Class probabilities of the refitted estimator, columns in ``classes_`` order.

        With ``loss="squared"`` the regressor's output, clipped to [0, 1], is the
        minority probability (a linear probability model).
        """
        check_is_fitted(self, "best_estimator_")
        X = self._validate_X(X, reset=False)
        if self.loss_ == "squared":
            f = np.clip(self.best_estimator_.predict(X), 0.0, 1.0)
            out = np.empty((X.shape[0], 2))
            i_min = int(np.flatnonzero(self.classes_ == self.minority_class_)[0])
            out[:, i_min] = f
            out[:, 1 - i_min] = 1.0 - f
            return out
        proba = self.best_estimator_.predict_proba(X)
        order = [int(np.flatnonzero(self.best_estimator_.classes_ == c)[0]) for c in self.classes_]
        return proba[:, order]

    def predict(self, X):
        """Predicted labels: the refitted classifier's, or the 0.5 threshold for squared loss."""
        check_is_fitted(self, "best_estimator_")
        if self.loss_ == "squared":
            X = self._validate_X(X, reset=False)
            f = self.best_estimator_.predict(X)
            return np.where(f >= 0.5, self.minority_class_, self.majority_class_)
        X = self._validate_X(X, reset=False)
        return self.best_estimator_.predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

r"""VTSS: validation-tuned synthetic size, as a scikit-learn meta-estimator.

Algorithm 1 of the paper in its plain (arXiv v1–v3) form, RECONSTRUCTED from the
abstract, the secondary summary and the authors' code: a grid of multipliers
:math:`\gamma` centred at balancing (:math:`\tilde n=\mathrm{round}(\gamma(n_0-n_1))`),
balanced validation loss on real data only, nested synthetic prefixes, refit on all
data (chapter 11).

Speed (the reason for the routes below): one synthetic pool of the largest size is
drawn per fold and every candidate size uses a prefix of it, so a sweep over the
multipliers costs one generator call per fold. The fits along the sweep then take the
cheapest route that gives the same answer as fresh fits:

* ``"closed_form"``: squared loss with ``LinearRegression``/``Ridge``; running sums of
  :math:`z z^\top` and :math:`z t` over the prefix, one small solve per multiplier;
* ``"newton"``: ``LogisticRegression`` with an l2 (or no) penalty and no class weights;
  scikit-learn's objective solved by Newton steps warm-started from the previous
  multiplier. A step costs :math:`O(m p^2 + p^3)` for :math:`m` rows and :math:`p`
  coefficients, so ``route="auto"`` takes it only while that is cheaper than about a
  hundred L-BFGS passes of :math:`O(m p)` (in practice up to a few hundred features);
* ``"warm_start"``: any estimator with a ``warm_start`` parameter, refitted along
  increasing sizes (automatic only for convex linear models, where the optimum does not
  depend on the starting point);
* ``"refit"`` (formerly ``"plain"``): a fresh clone per fit, in parallel over
  (fold, multiplier) with ``n_jobs``.

Every route sees the same folds and the same synthetic points: the random streams are
drawn per fold before any fit, so ``n_jobs`` never changes a number.
"""
from __future__ import annotations

import copy
import inspect
import numbers
import re
import warnings

import numpy as np
from joblib import Parallel, delayed
from scipy.sparse import issparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_classifier, is_regressor
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, get_scorer
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils import Bunch
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_method_params, check_is_fitted, column_or_1d, validate_data

from .._deprecation import module_getattr, warn_renamed
from .._random import check_random_state
from .._threads import blas_threads_limit
from .._validation import check_scalar
from ._checks import check_labels, check_minority_class, check_sample_weight
from ._generators import ImblearnGenerator, as_generator, draw_synthetic
from ._losses import _balanced_log_loss, _balanced_squared_loss, synthetic_size
from ._numerics import _design, _logistic_newton, _ridge_prefix_path

__all__ = ["VTSS", "DEFAULT_MULTIPLIERS"]

#: default grid: 21 multipliers from 0.5 to 1.5, centred at balancing (chapter 11)
DEFAULT_MULTIPLIERS = np.round(np.linspace(0.5, 1.5, 21), 10)
DEFAULT_MULTIPLIERS.setflags(write=False)   # shared by every VTSS: read-only

__getattr__ = module_getattr(__name__, {"DEFAULT_GAMMAS": ("DEFAULT_MULTIPLIERS", DEFAULT_MULTIPLIERS)})

_ROUTES = ("auto", "closed_form", "newton", "warm_start", "refit")
_LOSSES = ("auto", "log_loss", "squared")
#: default of the deprecated constructor parameters (scikit-learn's convention)
_DEPRECATED = "deprecated"
#: cv_results_ keys kept under their old names (deprecated, with a FutureWarning on access)
_OLD_RESULT_KEYS = {"gamma": "multiplier", "n_synthetic": "n_syn"}
#: neighbour-count parameters of imbalanced-learn's over-samplers (fitted on the minority rows)
_NEIGHBOUR_PARAMS = ("k_neighbors", "n_neighbors")


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


def _newton_is_cheaper(n_rows, p):
    r"""Whether warm-started Newton steps beat fresh L-BFGS fits for ``n_rows`` × ``p``.

    A Newton step forms the :math:`p\times p` Hessian (:math:`m p^2`, at BLAS-3 speed)
    and solves it (:math:`p^3/3`); about three steps per size. An L-BFGS fit makes about a
    hundred passes of :math:`4 m p` at BLAS-2 speed, roughly ten times slower per flop.
    Newton wins while :math:`p(6m+p)\le 4000\,m`: up to about 600 coefficients at
    :math:`m=4000` rows, about 450 at :math:`m=200` (calibrated on the TG linear data;
    ``benchmarks/bench_vtss.py``).
    """
    return p * (6.0 * n_rows + p) <= 4000.0 * n_rows


def _warm_start_auto_ok(est):
    # estimators whose fit is a convex problem: the warm start changes only the path
    return type(est) in (LogisticRegression, ElasticNet, Lasso) and "warm_start" in est.get_params()


def _py(label):
    """A numpy scalar label as a plain Python value, for readable messages."""
    return label.item() if isinstance(label, np.generic) else label


def _short(value):
    """``repr`` of a parameter for a message, cut to a readable length."""
    text = f"array(shape={value.shape})" if isinstance(value, np.ndarray) else " ".join(repr(value).split())
    return text if len(text) <= 80 else text[:77] + "..."


def _named(exc, name):
    """``exc`` (a scikit-learn ValueError) as a ValueError whose message names ``name``."""
    message = str(exc)
    if re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message):
        return exc
    return ValueError(f"{name} is invalid: {message}")


def _refuse_text(X, name="X"):
    """Refuse strings among the features (scikit-learn would parse ``"1.5"`` as a number)."""
    if issparse(X):
        return
    try:
        raw = np.asarray(X)
    except (TypeError, ValueError):     # ragged: scikit-learn's check names the problem
        return
    kind = raw.dtype.kind
    if kind in "US" or (kind == "O" and any(isinstance(v, (str, bytes)) for v in raw.flat)):
        raise ValueError(f"{name} contains strings: expected real numbers (encode text features first)")


def _label_type(labels):
    """``"string"`` or ``"number"``: the kind of a 1-d array of labels checked by ``check_labels``."""
    kind = labels.dtype.kind
    if kind in "US" or (kind == "O" and labels.size and isinstance(labels.flat[0], (str, bytes))):
        return "string"
    return "number"


def _seed_sub_estimator(est, rng):
    """Give every unset ``random_state`` of ``est`` a seed from ``rng`` (same seed, same fit)."""
    unset = {k: int(rng.integers(0, 2**31 - 1)) for k, v in est.get_params(deep=True).items()
             if k.split("__")[-1] == "random_state" and v is None}
    if unset:
        est.set_params(**unset)
    return est


def _cap_neighbors(generator, n_minority):
    """An imbalanced-learn sampler's integer neighbour count capped at ``n_minority - 1``.

    imbalanced-learn raises "Expected n_neighbors <= n_samples_fit" when a fold holds
    fewer minority rows than ``k_neighbors + 1``; synthlib's own SMOTE caps ``k`` at
    ``n1 - 1``. Returns ``(generator, (name, k, cap) or None)``; the generator is a capped
    clone only when a cap was needed.
    """
    if not isinstance(generator, ImblearnGenerator) or not hasattr(generator.sampler, "get_params"):
        return generator, None
    params = generator.sampler.get_params()
    for name in _NEIGHBOUR_PARAMS:
        k = params.get(name)
        if isinstance(k, numbers.Integral) and not isinstance(k, bool) and k > n_minority - 1 >= 1:
            capped = clone(generator).set_params(**{f"sampler__{name}": int(n_minority - 1)})
            return capped, (name, int(k), int(n_minority - 1))
    return generator, None


def _aligned(fold):
    """The fold with every array in aligned memory (a copy only where one is unaligned).

    joblib's Dask backend hands a task numpy arrays in unaligned buffers, and BLAS kernels
    then round the last bit differently (measured: LogisticRegression.fit on an unaligned copy
    of the same values). Re-homing them keeps a distributed sweep bit-identical to the serial one.
    """
    return Bunch(**{k: np.require(v, requirements=["A"]) if isinstance(v, np.ndarray) else v
                    for k, v in fold.items()})


class _CVResults(dict):
    """``cv_results_``: a dict whose old keys ("gamma", "n_synthetic") warn when read."""

    def __getitem__(self, key):
        if key in _OLD_RESULT_KEYS:
            warn_renamed(f'cv_results_["{key}"]', f'cv_results_["{_OLD_RESULT_KEYS[key]}"]',
                         what="key")
        return super().__getitem__(key)

    def get(self, key, default=None):
        return self[key] if key in self else default


class VTSS(ClassifierMixin, BaseEstimator):
    r"""Validation-tuned synthetic size for a binary classifier (chapter 11).

    For each multiplier :math:`\gamma` of ``multipliers`` and each cross-validation
    fold, VTSS adds :math:`\tilde n_\gamma=\mathrm{round}(\gamma(n_0^{\rm fit}-n_1^{\rm fit}))`
    synthetic minority points (a prefix of one pool drawn from the generator fitted on
    the fold's minority rows), fits the estimator and scores it on the fold's **real**
    held-out rows, by default with the **balanced** validation loss. It keeps the
    :math:`\hat\gamma` with the best mean score and refits on all data with
    :math:`\mathrm{round}(\hat\gamma(n_0-n_1))` fresh synthetic points.
    :math:`\gamma=1` is naive full balancing; :math:`\gamma=0` no augmentation.

    The algorithm is RECONSTRUCTED (the paper's text was unavailable); see the module
    docstring for the fast routes.

    Parameters
    ----------
    estimator : scikit-learn classifier or regressor, default ``LogisticRegression()``
        A classifier with ``predict_proba`` (loss ``"log_loss"``) or a regressor fitted
        to 0/1 targets, 1 = minority (loss ``"squared"``).
    generator : synthlib generator, imbalanced-learn over-sampler or callable, default ``SMOTEGenerator()``
        See :func:`as_generator`. An imbalanced-learn sampler's integer ``k_neighbors``
        (``n_neighbors`` for ADASYN) is capped at the fold's minority rows minus one,
        with one warning per fit, as :class:`SMOTEGenerator` caps its own.
    multipliers : array_like of float >= 0, default :data:`DEFAULT_MULTIPLIERS`
        Candidate multipliers (formerly ``gammas``), default ``linspace(0.5, 1.5, 21)``.
        Values above 1 add more synthetic points than balancing needs; ``0`` means no
        augmentation and may be part of the grid.
    include_zero : bool, default False
        Add the multiplier 0 (no augmentation) to the grid. Under local symmetry
        (chapter 10) adding nothing is the recommended choice, and with
        ``include_zero=True`` VTSS can select it. ``False`` keeps the grid as given.
    cv : int, cross-validation splitter or iterable of splits, default 5
        An integer gives ``StratifiedKFold(cv, shuffle=True)`` seeded from
        ``random_state``. Every fold must keep at least 2 minority rows in its fitting
        part (a generator fitted on one row copies it) and both classes in its
        validation part; otherwise ``fit`` raises a ``ValueError`` naming ``cv``.
    loss : {"auto", "log_loss", "squared"}, default "auto"
        ``"auto"``: ``"squared"`` for regressors, ``"log_loss"`` otherwise.
    scoring : None, str or callable, default None
        ``None``: the balanced validation loss of ``loss`` (lower is better;
        ``cv_results_`` then has ``*_val_loss`` keys). Otherwise a scikit-learn scorer
        name (``"roc_auc"``, ``"neg_brier_score"``, ...) or a callable
        ``scorer(estimator, X, y)``, greater is better; it is called on a fitted
        classifier with VTSS's ``predict``/``predict_proba`` and ``cv_results_`` has
        ``*_val_score`` keys.
    minority_class : label or None, default None
        The class that receives synthetic points. ``None``: the less frequent class.
        Naming the more frequent class is an error (it would widen the imbalance).
    route : {"auto", "closed_form", "newton", "warm_start", "refit"}, default "auto"
        How the sweep is fitted (formerly ``fast_path``; ``"refit"`` was ``"plain"``).
        All routes select from the same synthetic points; ``"refit"`` fits from scratch.
        ``"auto"`` picks the cheapest route that applies, by the cost rule of the module
        docstring.
    n_jobs : int or None, default None
        Parallel jobs (joblib) over the folds, and over (fold, multiplier) pairs on the
        refit route. The numbers do not depend on it.
    random_state : None, int or numpy.random.Generator
        Seeds the folds, the synthetic draws and unset ``random_state`` parameters of
        the estimator. Same integer, same selection.
    gammas, fast_path : deprecated
        Old names of ``multipliers`` and ``route``; they work with a ``FutureWarning``.

    Attributes
    ----------
    multiplier_ : float
        Selected multiplier :math:`\hat\gamma` (formerly ``gamma_``).
    n_syn_ : int
        Synthetic points in the refit, :math:`\mathrm{round}(\hat\gamma(n_0-n_1))`
        (formerly ``n_synthetic_``).
    best_estimator_ : estimator
        The estimator refitted on all real rows plus ``n_syn_`` synthetic ones.
    cv_results_ : dict of numpy arrays
        ``"multiplier"``, ``"n_syn"`` (on the full data), ``"mean_val_loss"``,
        ``"std_val_loss"``, ``"se_val_loss"``, ``"rank_val_loss"`` and
        ``"split{k}_val_loss"`` (``*_val_score`` with a ``scoring``). The old keys
        ``"gamma"`` and ``"n_synthetic"`` are still present but deprecated (reading them
        warns).
    best_index_ : int
        Index of ``multiplier_`` in ``cv_results_["multiplier"]``.
    classes_ : numpy.ndarray
    minority_class_, majority_class_ : label
    n_majority_, n_minority_ : int
    loss_ : str
    route_ : str
        The route actually used (formerly ``fit_route_``).
    n_features_in_ : int

    Notes
    -----
    ``fit(X, y, sample_weight)``: the weights of the real rows go to the estimator's
    ``fit`` and to the balanced validation loss (weighted class means). Each synthetic
    row carries the mean weight of the real minority rows its generator was fitted on,
    so unit weights give exactly the unweighted fit and rescaling all weights keeps the
    real-to-synthetic balance. With ``sklearn.set_config(enable_metadata_routing=True)``
    the weights go where they are requested (``estimator.set_fit_request``, a scorer's
    ``set_score_request``), ``groups`` to the splitter, and the balanced loss always uses
    them.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from synthlib.imbalance import VTSS, SMOTEGenerator, examples
    >>> X, y = examples.tg_linear().sample(n0=400, n1=40, random_state=0)
    >>> model = VTSS(LogisticRegression(), SMOTEGenerator(), multipliers=np.linspace(0.5, 1.5, 11),
    ...              cv=3, random_state=0).fit(X, y)
    >>> curve = model.cv_results_["mean_val_loss"]
    >>> model.multiplier_ == model.cv_results_["multiplier"][np.argmin(curve)], model.route_
    (np.True_, 'newton')
    >>> model.n_syn_ == round(model.multiplier_ * (400 - 40))
    True
    >>> model.predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(self, estimator=None, generator=None, *, multipliers=None, include_zero=False, cv=5,
                 loss="auto", scoring=None, minority_class=None, route="auto", n_jobs=None,
                 random_state=None, gammas=_DEPRECATED, fast_path=_DEPRECATED):
        self.estimator = estimator
        self.generator = generator
        self.multipliers = multipliers
        self.include_zero = include_zero
        self.cv = cv
        self.loss = loss
        self.scoring = scoring
        self.minority_class = minority_class
        self.route = route
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.gammas = gammas
        self.fast_path = fast_path

    # ------------------------------------------------------------------ deprecated names
    @property
    def gamma_(self):
        """Deprecated: use ``multiplier_``."""
        value = self.multiplier_
        warn_renamed("gamma_", "multiplier_", what="attribute")
        return value

    @property
    def n_synthetic_(self):
        """Deprecated: use ``n_syn_``."""
        value = self.n_syn_
        warn_renamed("n_synthetic_", "n_syn_", what="attribute")
        return value

    @property
    def fit_route_(self):
        """Deprecated: use ``route_``."""
        value = self.route_
        warn_renamed("fit_route_", "route_", what="attribute")
        return value

    def _renamed_param(self, old, new, default):
        """The value of ``new``, or of its deprecated spelling ``old`` (with a warning)."""
        old_value, new_value = getattr(self, old), getattr(self, new)
        if isinstance(old_value, str) and old_value == _DEPRECATED:
            return new_value
        if not (new_value is default or (isinstance(new_value, str) and new_value == default)):
            raise ValueError(f"{old}={old_value!r} and {new}={new_value!r} are both set: {old!r} is the "
                             f"deprecated name of {new!r}; pass only {new}")
        warn_renamed(old, new, what="parameter", stacklevel=6)
        return old_value

    # ------------------------------------------------------------------ validation
    def _validate_X(self, X, reset):
        _refuse_text(X)
        try:
            X = validate_data(self, X, reset=reset, ensure_all_finite=False, dtype=np.float64)
        except ValueError as exc:
            raise _named(exc, "X") from None
        self._check_finite(X)
        return X

    def _validate_y(self, y, n_samples, warn=True):
        """Labels of ``fit``/``score``: 1-d (a column is raveled, in ``fit`` with scikit-learn's warning)."""
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        try:
            y = column_or_1d(y, warn=warn)
        except ValueError as exc:
            raise _named(exc, "y") from None
        return check_labels(y, "y", n_samples=n_samples)

    @staticmethod
    def _check_finite(X):
        if not np.all(np.isfinite(X)):
            i, j = np.argwhere(~np.isfinite(X))[0]
            raise ValueError(
                f"X contains NaN or infinite values (first at row {i}, column {j}): VTSS and its "
                "generators need finite features; impute or drop them first"
            )

    def _validate_fit_inputs(self, X, y):
        X = self._validate_X(X, reset=True)
        y = self._validate_y(y, X.shape[0])
        try:
            check_classification_targets(y)
        except ValueError as exc:
            raise _named(exc, "y") from None
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
                # nothing to fill: every multiplier gives 0 synthetic points and VTSS reduces to
                # the estimator itself (this keeps it usable inside CV loops and pipelines)
                warnings.warn(
                    f"the classes are balanced ({counts[0]} samples each): there is no gap "
                    f"n0 - n1 to fill, so VTSS adds no synthetic points (treating {_py(classes[1])!r} "
                    "as the minority)", UserWarning, stacklevel=4)
                i_min = 1
            else:
                i_min = int(np.argmin(counts))
        else:
            check_minority_class(self.minority_class, allow_none=False)
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

    def _validate_multipliers(self):
        grid = self._renamed_param("gammas", "multipliers", None)
        name = "gammas" if grid is self.gammas else "multipliers"
        grid = DEFAULT_MULTIPLIERS if grid is None else grid
        g = np.atleast_1d(check_scalar(grid, name, low=0, allow_array=True))
        if g.ndim != 1 or g.size == 0:
            raise ValueError(f"{name} has shape {g.shape}: expected a non-empty 1-d grid of multipliers")
        if not isinstance(self.include_zero, (bool, np.bool_)):
            raise ValueError(f"include_zero={self.include_zero!r} is invalid: expected True or False")
        if self.include_zero:
            g = np.r_[0.0, g]
        return np.unique(g)

    def _validate_n_jobs(self):
        n_jobs = self.n_jobs
        if n_jobs is None:
            return None
        if isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, numbers.Integral) or n_jobs == 0:
            raise ValueError(f"n_jobs={n_jobs!r} is invalid: expected None or a non-zero integer "
                             "(-1 for all cores)")
        return int(n_jobs)

    def _resolve_estimator_and_loss(self):
        est = LogisticRegression() if self.estimator is None else self.estimator
        if not (hasattr(est, "fit") and hasattr(est, "get_params")):
            raise ValueError(f"estimator={est!r} is invalid: expected a scikit-learn estimator")
        loss = self.loss
        if not isinstance(loss, str) or loss not in _LOSSES:
            raise ValueError(f"loss={loss!r} is invalid: expected 'auto', 'log_loss' or 'squared'")
        if loss == "auto":
            loss = "squared" if is_regressor(est) else "log_loss"
        if loss == "log_loss":
            if is_regressor(est) or not hasattr(est, "predict_proba"):
                raise ValueError(
                    f"estimator {est!r} has no predict_proba: the balanced log-loss needs "
                    "probabilities; use a probabilistic classifier, or a regressor with loss='squared'"
                )
        elif is_classifier(est):
            raise ValueError(
                f"loss='squared' needs a regressor fitted to 0/1 targets (1 = minority), "
                f"got the classifier {est!r}; use loss='log_loss' for classifiers"
            )
        return est, loss

    def _resolve_scorer(self):
        scoring = self.scoring
        if scoring is None:
            return None
        if isinstance(scoring, str):
            try:
                return get_scorer(scoring)
            except ValueError:
                raise ValueError(f"scoring={scoring!r} is invalid: expected None, a scikit-learn scorer "
                                 "name (sklearn.metrics.get_scorer_names()) or a callable "
                                 "scorer(estimator, X, y)") from None
        if callable(scoring):
            return scoring
        raise ValueError(f"scoring={scoring!r} is invalid: expected None, a scorer name or a callable "
                         "scorer(estimator, X, y)")

    def _resolve_route(self, est, loss, n_rows, p):
        route = self._renamed_param("fast_path", "route", "auto")
        name = "fast_path" if route is self.fast_path else "route"
        if isinstance(route, str) and route == "plain":
            warn_renamed(f"{name}='plain'", "route='refit'", what="value", stacklevel=5)
            route = "refit"
        if not isinstance(route, str) or route not in _ROUTES:
            raise ValueError(f"{name}={route!r} is invalid: expected one of {_ROUTES}")
        if route == "auto":
            if loss == "squared" and _closed_form_ok(est):
                return "closed_form"
            if loss == "log_loss" and _newton_ok(est):
                return "newton" if _newton_is_cheaper(n_rows, p) else "refit"
            if _warm_start_auto_ok(est):
                return "warm_start"
            return "refit"
        if route == "closed_form" and not (loss == "squared" and _closed_form_ok(est)):
            raise ValueError(f"{name}='closed_form' needs loss='squared' and a LinearRegression "
                             f"or Ridge (positive=False, scalar alpha); got {est!r}")
        if route == "newton" and not (loss == "log_loss" and _newton_ok(est)):
            raise ValueError(f"{name}='newton' needs a LogisticRegression with an l2 or no penalty, "
                             f"no class_weight and solver lbfgs/newton-cg/newton-cholesky; got {est!r}")
        if route == "warm_start" and "warm_start" not in est.get_params():
            raise ValueError(f"{name}='warm_start' needs an estimator with a warm_start parameter; "
                             f"got {est!r}")
        return route

    def _make_cv(self, rng):
        cv = self.cv
        if isinstance(cv, numbers.Integral) and not isinstance(cv, (bool, np.bool_)):
            if cv < 2:
                raise ValueError(f"cv={cv!r} is out of range: expected cv >= 2 folds")
            if cv > self.n_minority_:
                raise ValueError(
                    f"cv={cv} folds need at least {cv} minority samples; "
                    f"y has {self.n_minority_}"
                )
            return StratifiedKFold(int(cv), shuffle=True,
                                   random_state=int(rng.integers(0, 2**31 - 1)))
        if hasattr(cv, "split") and hasattr(cv, "get_n_splits"):
            return check_cv(cv, classifier=True)
        if hasattr(cv, "__iter__") and not isinstance(cv, (str, bytes, dict, np.ndarray)):
            splits = []
            for k, split in enumerate(cv):
                try:
                    pair = None if isinstance(split, (str, bytes)) else tuple(split)
                except TypeError:
                    pair = None
                if pair is None or len(pair) != 2:
                    raise ValueError(f"cv={_short(self.cv)}: split {k} is {_short(split)}, not a (train, test) "
                                     "pair of index arrays")
                splits.append(pair)
            return check_cv(splits, classifier=True)
        raise ValueError(f"cv={_short(cv)} is invalid: expected an integer >= 2, a cross-validation "
                         "splitter (with split and get_n_splits) or an iterable of (train, test) splits")

    def _checked_splits(self, splits, n):
        """The splits as pairs of integer index arrays into the ``n`` rows (masks become indices)."""
        out = []
        for k, (train, val) in enumerate(splits):
            out.append(tuple(self._split_indices(part, n, k, what) for part, what in
                             ((train, "train"), (val, "test"))))
        if not out:
            raise ValueError(f"cv={_short(self.cv)} gives no splits: expected at least one (train, test) pair")
        return out

    def _split_indices(self, part, n, k, what):
        try:
            idx = np.asarray(part)
        except (TypeError, ValueError):
            idx = np.asarray([], dtype=object)
        if idx.dtype.kind == "b" and idx.shape == (n,):
            return np.flatnonzero(idx)
        if idx.ndim != 1 or idx.dtype.kind not in "iu" or (idx.size and (idx.min() < 0 or idx.max() >= n)):
            raise ValueError(f"cv={_short(self.cv)}: the {what} part of split {k} is {_short(part)}: expected "
                             f"integer indices in [0, {n}) (or a boolean mask of length {n})")
        return idx

    def _check_folds(self, splits, is_min):
        for k, (train, val) in enumerate(splits):
            n1f = int(np.sum(is_min[train]))
            if n1f < 2 or n1f == len(train):
                raise ValueError(
                    f"cv={_short(self.cv)}: fold {k} keeps {n1f} minority row(s) and {len(train) - n1f} majority "
                    "row(s) in its fitting part; VTSS needs at least 2 minority rows there (a generator "
                    "fitted on one row copies it) and at least one majority row: use fewer folds "
                    f"(y has {self.n_minority_} minority rows) or a stratified splitter")
            if not np.any(is_min[val]) or np.all(is_min[val]):
                raise ValueError(f"cv={_short(self.cv)}: fold {k} lacks one of the classes in its validation "
                                 "part: use a stratified splitter or fewer folds")

    def _validate_sample_weight(self, sample_weight, X, y):
        w = check_sample_weight(sample_weight, X.shape[0])
        if w is None:
            return None
        if not np.any(w > 0):
            raise ValueError("sample_weight is all zero: expected at least one non-zero weight (each class "
                             "needs a positive total weight)")
        for label in self.classes_:
            if not np.sum(w[y == label]) > 0:
                raise ValueError(f"sample_weight gives the class {_py(label)!r} a total weight of 0: "
                                 "each class needs a positive weight")
        return w

    # ------------------------------------------------------------------ metadata routing
    def get_metadata_routing(self):
        """Metadata routing: ``sample_weight`` to the estimator's ``fit`` and the scorer, ``groups`` to cv.

        VTSS itself consumes ``sample_weight`` (the balanced validation loss).

        Returns
        -------
        sklearn.utils.metadata_routing.MetadataRouter
        """
        est = LogisticRegression() if self.estimator is None else self.estimator
        router = MetadataRouter(owner=self).add_self_request(self).add(
            estimator=est, method_mapping=MethodMapping().add(caller="fit", callee="fit"))
        if isinstance(self.cv, numbers.Integral) or not hasattr(self.cv, "split"):
            splitter = StratifiedKFold()
        else:
            splitter = self.cv
        router.add(splitter=splitter, method_mapping=MethodMapping().add(caller="fit", callee="split"))
        scorer = self._resolve_scorer()
        if scorer is not None:
            router.add(scorer=scorer, method_mapping=MethodMapping().add(caller="fit", callee="score"))
        return router

    def _routed_params(self, est, scorer, sample_weight, params):
        """Where the metadata goes: ``estimator`` (fit), ``scorer`` (score), ``splitter`` (split)."""
        if _routing_enabled():
            routed = process_routing(self, "fit", sample_weight=sample_weight, **params)
            if scorer is None:
                routed.scorer = Bunch(score={})
            return routed
        _raise_for_params(params, self, "fit")
        fit = {}
        if sample_weight is not None:
            try:
                accepts = "sample_weight" in inspect.signature(est.fit).parameters
            except (TypeError, ValueError):
                accepts = False
            if not accepts:
                raise ValueError(
                    f"sample_weight was given but {type(est).__name__}.fit does not accept sample_weight; "
                    "for a Pipeline, enable metadata routing (sklearn.set_config("
                    "enable_metadata_routing=True)) and request it with set_fit_request")
            fit["sample_weight"] = sample_weight
        return Bunch(estimator=Bunch(fit=fit), scorer=Bunch(score={}), splitter=Bunch(split={}))

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y, sample_weight=None, **params):
        """Select the synthetic size by cross-validation and refit on all data.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,), two classes
        sample_weight : array_like of shape (n_samples,), optional
            Non-negative weights of the real rows (see Notes of :class:`VTSS`).
        **params : dict
            Further metadata (e.g. ``groups`` for a group splitter), only with
            scikit-learn's metadata routing enabled.

        Returns
        -------
        self
        """
        # many small solves: one BLAS thread is fastest, and it is what the book's numbers use
        with blas_threads_limit(1):
            return self._fit(X, y, sample_weight, params)

    def _fit(self, X, y, sample_weight, params):
        X, y = self._validate_fit_inputs(X, y)
        sample_weight = self._validate_sample_weight(sample_weight, X, y)
        multipliers = self._validate_multipliers()
        est, loss = self._resolve_estimator_and_loss()
        scorer = self._resolve_scorer()
        n_jobs = self._validate_n_jobs()
        sizes_full = synthetic_size(multipliers, self.n_majority_, self.n_minority_)
        p = X.shape[1] + int(bool(getattr(est, "fit_intercept", False)))
        route = self._resolve_route(est, loss, X.shape[0] + int(sizes_full.max()), p)
        generator = as_generator(self.generator)
        routed = self._routed_params(est, scorer, sample_weight, params)
        rng = check_random_state(self.random_state)
        splitter = self._make_cv(rng)
        est_seed = int(rng.integers(0, 2**31 - 1))

        is_min = y == self.minority_class_
        splits = self._checked_splits(splitter.split(X, y, **routed.splitter.split), X.shape[0])
        self._check_folds(splits, is_min)
        fold_seeds = rng.integers(0, 2**63 - 1, size=len(splits) + 1)
        generators = self._capped_generators(generator, [int(np.sum(is_min[tr])) for tr, _ in splits]
                                             + [self.n_minority_])
        ctx = Bunch(route=route, est=est, loss=loss, scorer=scorer, est_seed=est_seed)
        self.route_ = route
        self.loss_ = loss

        layout = []                   # (unique sizes, inverse) of each fold, filled by tasks()

        def tasks():
            # the pools are drawn here, in fold order and from per-fold seeds, so the
            # numbers never depend on n_jobs; only the fits run in parallel
            for k, (train, val) in enumerate(splits):
                fold = self._fold(train, val, X, y, is_min, sample_weight, routed, multipliers,
                                  generators[k], fold_seeds[k])
                layout.append((fold.uniq, fold.inverse))
                if route == "refit":
                    for s in fold.uniq:
                        yield delayed(self._refit_loss)(ctx, fold, int(s))
                else:
                    yield delayed(self._sweep)(ctx, fold)

        out = Parallel(n_jobs=n_jobs)(tasks())
        if route == "refit":          # one loss per (fold, unique size): back to (fold, multiplier)
            per_fold, start = [], 0
            for uniq, inverse in layout:
                per_fold.append(np.asarray(out[start:start + uniq.size])[inverse])
                start += uniq.size
            out = per_fold
        losses = np.column_stack(out)
        self._store_results(multipliers, losses, scorer is None)

        # refit on all real rows plus a fresh pool from the generator fitted on all minority rows
        pool = draw_synthetic(generators[-1], X[is_min], self.n_syn_,
                              np.random.default_rng(fold_seeds[-1]), X_majority=X[~is_min])
        fit_w = routed.estimator.fit.get("sample_weight")
        fit_kw = {k: v for k, v in routed.estimator.fit.items() if k != "sample_weight"}
        if fit_w is not None:
            fit_w = np.r_[fit_w, np.full(pool.shape[0], np.mean(fit_w[is_min]))]
        y_aug = np.r_[y, np.full(pool.shape[0], self.minority_class_, dtype=y.dtype)]
        self.best_estimator_ = self._fit_one(clone(est), loss, est_seed, np.vstack([X, pool]), y_aug,
                                             fit_w, fit_kw)
        return self

    def _capped_generators(self, generator, minority_counts):
        """One generator per fold (and one for the refit), neighbour counts capped; warns once."""
        out, first = [], None
        for n1 in minority_counts:
            gen, info = _cap_neighbors(generator, n1)
            out.append(gen)
            if info is not None and first is None:
                first = (n1, info)
        if first is not None:
            n1, (name, k, cap) = first
            warnings.warn(
                f"{type(generator.sampler).__name__}({name}={k}) needs {k + 1} minority rows but a "
                f"fit of VTSS has only {n1}: {name} is capped at the minority rows minus one "
                f"({cap} there) wherever needed, as SMOTEGenerator caps k_neighbors",
                UserWarning, stacklevel=4)
        return out

    def _fold(self, train, val, X, y, is_min, sample_weight, routed, multipliers, generator, seed):
        """Everything one fold's fits need, with its synthetic pool."""
        Xf, mf = X[train], is_min[train]
        sizes = synthetic_size(multipliers, int(np.sum(~mf)), int(np.sum(mf)))
        uniq, inverse = np.unique(sizes, return_inverse=True)
        pool = draw_synthetic(generator, Xf[mf], int(sizes.max()), np.random.default_rng(seed),
                              X_majority=Xf[~mf])
        n_syn = pool.shape[0]
        fit_params = _check_method_params(X, routed.estimator.fit, indices=train)
        fit_w = fit_params.pop("sample_weight", None)
        for name, value in fit_params.items():
            if hasattr(value, "__len__") and len(value) == len(train):
                raise ValueError(f"the per-sample fit parameter {name!r} cannot be extended to the "
                                 "synthetic rows: VTSS routes only sample_weight per sample")
        if fit_w is not None:
            fit_w = np.r_[np.asarray(fit_w, dtype=float), np.full(n_syn, np.mean(fit_w[mf]))]
        score_params = _check_method_params(X, routed.scorer.score, indices=val)
        return Bunch(
            X_all=np.vstack([Xf, pool]), n_real=len(train),
            t_all=np.r_[mf.astype(float), np.ones(n_syn)],
            y_all=np.r_[y[train], np.full(n_syn, self.minority_class_, dtype=y.dtype)],
            w_all=fit_w, fit_params=fit_params, uniq=uniq, inverse=inverse,
            X_val=X[val], y_val=y[val],
            w_val=None if sample_weight is None else sample_weight[val],
            score_params=score_params)

    def _store_results(self, multipliers, losses, is_loss):
        """Selection and ``cv_results_`` from the (multiplier, fold) table of losses."""
        mean = losses.mean(axis=1)
        best = int(np.argmin(mean))
        self.best_index_ = best
        self.multiplier_ = float(multipliers[best])
        self.n_syn_ = synthetic_size(self.multiplier_, self.n_majority_, self.n_minority_)
        n_splits = losses.shape[1]
        sign = 1.0 if is_loss else -1.0          # scores are stored as given: greater is better
        kind = "loss" if is_loss else "score"
        std = losses.std(axis=1, ddof=1) if n_splits > 1 else np.zeros_like(mean)
        n_syn = synthetic_size(multipliers, self.n_majority_, self.n_minority_)
        results = _CVResults({
            "multiplier": multipliers.copy(),
            "n_syn": n_syn,
            f"mean_val_{kind}": sign * mean,
            f"std_val_{kind}": std,
            f"se_val_{kind}": std / np.sqrt(n_splits),
            f"rank_val_{kind}": np.argsort(np.argsort(mean, kind="stable"), kind="stable") + 1,
        })
        for k in range(n_splits):
            results[f"split{k}_val_{kind}"] = sign * losses[:, k]
        results["gamma"] = results["multiplier"].copy()
        results["n_synthetic"] = n_syn.copy()
        self.cv_results_ = results

    def _targets(self, y):
        return (y == self.minority_class_).astype(float)

    def _fit_one(self, est, loss, est_seed, X, y, sample_weight=None, fit_params=None):
        _seed_sub_estimator(est, np.random.default_rng(est_seed))
        kw = dict(fit_params or {})
        if sample_weight is not None:
            kw["sample_weight"] = sample_weight
        return est.fit(X, self._targets(y) if loss == "squared" else y, **kw)

    # ------------------------------------------------------------------ validation scores
    def _loss_of_prediction(self, loss, pred, fold):
        """The balanced validation loss of minority probabilities (log) or scores (squared)."""
        func = _balanced_squared_loss if loss == "squared" else _balanced_log_loss
        return func(fold.y_val == self.minority_class_, pred, fold.w_val)

    def _loss_of_estimator(self, ctx, fitted, fold):
        """What the selection minimises, for a fitted estimator: the loss, or minus the score."""
        if ctx.scorer is None:
            if ctx.loss == "squared":
                pred = fitted.predict(fold.X_val)
            else:
                col = int(np.flatnonzero(fitted.classes_ == self.minority_class_)[0])
                pred = fitted.predict_proba(fold.X_val)[:, col]
            return self._loss_of_prediction(ctx.loss, pred, fold)
        view = copy.copy(self)
        view.best_estimator_ = fitted
        return -float(ctx.scorer(view, fold.X_val, fold.y_val, **fold.score_params))

    def _loss_of_theta(self, ctx, theta, fold):
        """The same for coefficients ``theta`` of a linear model (intercept last, if fitted)."""
        fi = bool(ctx.est.fit_intercept)
        if ctx.scorer is None:
            eta = _design(fold.X_val, fi) @ theta
            return self._loss_of_prediction(ctx.loss, eta if ctx.loss == "squared" else expit(eta), fold)
        fitted = clone(ctx.est)
        coef, intercept = (theta[:-1], theta[-1]) if fi else (theta, 0.0)
        if ctx.loss == "log_loss":
            # scikit-learn's binary coefficients score classes_[1]; theta scores the minority
            sign = 1.0 if self.classes_[1] == self.minority_class_ else -1.0
            fitted.coef_, fitted.intercept_ = sign * coef[None, :], np.array([sign * intercept])
            fitted.classes_ = self.classes_
        else:
            fitted.coef_, fitted.intercept_ = np.array(coef), float(intercept)
        fitted.n_features_in_ = fold.X_val.shape[1]
        return self._loss_of_estimator(ctx, fitted, fold)

    def _refit_loss(self, ctx, fold, s):
        """Refit route: a fresh fit on the real rows plus the first ``s`` synthetic rows."""
        fold = _aligned(fold)
        m = fold.n_real + s
        w = None if fold.w_all is None else fold.w_all[:m]
        fitted = self._fit_one(clone(ctx.est), ctx.loss, ctx.est_seed, fold.X_all[:m], fold.y_all[:m],
                               w, fold.fit_params)
        return self._loss_of_estimator(ctx, fitted, fold)

    def _sweep(self, ctx, fold):
        """Validation losses for every multiplier of one fold, on the prefixes of its pool."""
        fold = _aligned(fold)
        uniq, n_real = fold.uniq, fold.n_real
        out = np.empty(uniq.size)
        if ctx.route == "closed_form":
            est = ctx.est
            fi = bool(est.fit_intercept)
            Z = _design(fold.X_all, fi)
            t = fold.t_all
            if fold.w_all is not None:       # weighted least squares: rows scaled by sqrt(w)
                root = np.sqrt(fold.w_all)
                Z, t = Z * root[:, None], t * root
            penalty = np.full(Z.shape[1], float(getattr(est, "alpha", 0.0)))
            if fi:
                penalty[-1] = 0.0   # scikit-learn never penalises the intercept
            thetas = _ridge_prefix_path(Z[:n_real], t[:n_real], Z[n_real:], t[n_real:], uniq, penalty)
            for j, theta in enumerate(thetas):
                out[j] = self._loss_of_theta(ctx, theta, fold)
            return out[fold.inverse]
        if ctx.route == "newton":
            est = ctx.est
            fi = bool(est.fit_intercept)
            C = np.inf if est.get_params().get("penalty") is None else float(est.C)
            Z_all = _design(fold.X_all, fi)
            penalize = np.ones(Z_all.shape[1])
            if fi:
                penalize[-1] = 0.0
            theta = None
            for j, s in enumerate(uniq):
                m = n_real + int(s)
                w = None if fold.w_all is None else fold.w_all[:m]
                theta_new, ok = _logistic_newton(Z_all[:m], fold.t_all[:m], C=C, penalize=penalize,
                                                 weights=w, theta0=theta)
                if ok:
                    theta = theta_new
                    out[j] = self._loss_of_theta(ctx, theta, fold)
                else:   # e.g. separable data without penalty: let scikit-learn decide
                    out[j] = self._refit_loss(ctx, fold, int(s))
            return out[fold.inverse]
        # warm start: one model refitted along increasing sizes
        model = clone(ctx.est).set_params(warm_start=True)
        _seed_sub_estimator(model, np.random.default_rng(ctx.est_seed))
        for j, s in enumerate(uniq):
            m = n_real + int(s)
            w = None if fold.w_all is None else fold.w_all[:m]
            kw = dict(fold.fit_params, **({} if w is None else {"sample_weight": w}))
            y_m = fold.y_all[:m]
            model.fit(fold.X_all[:m], self._targets(y_m) if ctx.loss == "squared" else y_m, **kw)
            out[j] = self._loss_of_estimator(ctx, model, fold)
        return out[fold.inverse]

    # ------------------------------------------------------------------ prediction
    def predict_proba(self, X):
        """Class probabilities of the refitted estimator, columns in ``classes_`` order.

        With ``loss="squared"`` the regressor's output, clipped to [0, 1], is the
        minority probability (a linear probability model).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        numpy.ndarray of shape (n_samples, 2)
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
        """Predicted labels: the refitted classifier's, or the 0.5 threshold for squared loss.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)

        Returns
        -------
        numpy.ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "best_estimator_")
        X = self._validate_X(X, reset=False)
        if self.loss_ == "squared":
            f = self.best_estimator_.predict(X)
            return np.where(f >= 0.5, self.minority_class_, self.majority_class_)
        return self.best_estimator_.predict(X)

    def score(self, X, y, sample_weight=None):
        """Accuracy of :meth:`predict` on ``(X, y)``, as scikit-learn classifiers score.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_features)
        y : array_like of shape (n_samples,)
            True labels, of the type (numbers or strings) VTSS was fitted on.
        sample_weight : array_like of shape (n_samples,), optional
            Weights >= 0.

        Returns
        -------
        float
        """
        check_is_fitted(self, "best_estimator_")
        X = self._validate_X(X, reset=False)
        labels = self._validate_y(y, X.shape[0], warn=False)
        if _label_type(labels) != _label_type(self.classes_):
            raise ValueError(f"y holds {_label_type(labels)} labels but VTSS was fitted on "
                             f"{_label_type(self.classes_)} labels {self.classes_.tolist()}")
        w = check_sample_weight(sample_weight, X.shape[0])
        return accuracy_score(y, self.predict(X), sample_weight=w)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

r"""Synthetic minority generators with one interface:
``sample(X_minority, n_syn, *, random_state=None, X_majority=None)``.

Every generator returns an array of shape ``(n_syn, p)`` of synthetic minority
rows. The synthlib generators are *prefix-consistent*: for a fixed seed the
first ``k`` rows of a draw of size ``n_syn >= k`` are the draw of size ``k``. So
VTSS's nested synthetic prefixes are exactly the sets a fresh call of each
size would give.

Old spellings keep working with a :class:`FutureWarning`: ``Generator`` (now
:class:`SyntheticGenerator`), ``SMOTE`` (now :class:`SMOTEGenerator`), the keyword
``n=`` (now ``n_syn=``) and a positional ``random_state``.

Generators are scikit-learn ``BaseEstimator`` objects, so ``VTSS`` exposes
their parameters (``generator__k_neighbors``) and ``clone`` copies them.
"""
from __future__ import annotations

import inspect
import numbers

import numpy as np
from scipy.special import ndtr
from sklearn.base import BaseEstimator, clone

from .._deprecation import module_getattr, renamed_parameters
from .._random import check_random_state, sklearn_seed
from .._validation import check_array, check_integer, check_scalar
from ._checks import check_generator_inputs

__all__ = [
    "SyntheticGenerator",
    "GaussianFit",
    "SMOTEGenerator",
    "Jitter",
    "Oracle",
    "ImblearnGenerator",
    "FunctionGenerator",
    "as_generator",
]


_GAUSSIAN_METHODS = ("auto", "eigh", "low_rank")


def _check_minority(X_minority, min_rows=1, who="generator", X_majority=None):
    """The checked ``X_minority`` (float, 2-d, finite, >= ``min_rows`` rows); ``X_majority`` checked too.

    Every generator validates ``X_majority`` when it is given, also those that ignore it.
    """
    return check_generator_inputs(X_minority, X_majority, min_rows=min_rows, who=who)[0]


#: the one signature of every generator's ``sample``; old spellings (``n=``, a positional
#: ``random_state``) keep working with a FutureWarning
_sample_api = renamed_parameters({"n": "n_syn"}, keyword_only_from="random_state")


def call_with_random_state(func, *args, random_state, **kwargs):
    """Call ``func(*args, random_state=..., **kwargs)``, or positionally for old-style callables.

    User objects written for the old protocol (``sample(X_minority, n, rng)`` or
    ``sample_minority(n, rng)`` with another name for the stream) get the stream as
    their next positional argument; everything with a ``random_state`` parameter (or
    ``**kwargs``) gets it by keyword, so synthlib's own objects never see a deprecated
    positional call.
    """
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        params = {}
    if "random_state" in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return func(*args, random_state=random_state, **kwargs)
    return func(*args, random_state, **kwargs)


class SyntheticGenerator(BaseEstimator):
    """Base class of synthlib's generators (formerly ``Generator``).

    Subclasses implement ``sample(X_minority, n_syn, *, random_state=None,
    X_majority=None)``, returning ``n_syn`` synthetic minority rows. ``X_majority``
    is accepted by every synthlib generator so that callers can always pass it (checked
    like ``X_minority``, with the same columns, and otherwise ignored); samplers that
    need the majority (ADASYN, BorderlineSMOTE) use it.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import SyntheticGenerator
    >>> class Mean(SyntheticGenerator):
    ...     def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
    ...         return np.repeat(np.mean(X_minority, axis=0, keepdims=True), self._n(n_syn), axis=0)
    >>> Mean().sample(np.array([[0.0, 2.0], [2.0, 4.0]]), 2).tolist()
    [[1.0, 3.0], [1.0, 3.0]]
    """

    def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
        """Draw ``n_syn`` synthetic minority rows (implemented by every subclass)."""
        raise NotImplementedError(f"{type(self).__name__} does not implement sample(X_minority, n_syn, "
                                  "*, random_state=None, X_majority=None)")

    def _n(self, n_syn):
        return check_integer(n_syn, "n_syn", low=0)


class GaussianFit(SyntheticGenerator):
    r"""Fit a Gaussian to the minority sample and draw from it.

    The covariance is :math:`\hat C=(1-s)S+cI`, :math:`c=s\frac{\operatorname{tr}S}{p}+r`,
    with :math:`S` the sample covariance (ddof 1), shrinkage :math:`s` and ridge
    :math:`r` (spec §3, E3 uses ``shrinkage=0.1``, ``ridge=1e-6``; E4 no
    shrinkage).

    Two exact routes draw from :math:`N(\hat\mu,\hat C)`:

    * ``"eigh"``: :math:`\tilde x=\hat\mu+Ag` with :math:`AA^\top=\hat C` from an
      eigendecomposition, :math:`g\sim N(0,I_p)`: :math:`O(p^3+\tilde np^2)`;
    * ``"low_rank"``: :math:`\tilde x=\hat\mu+\sqrt{1-s}\,D^\top g/\sqrt{n_1-1}+\sqrt c\,g'`
      with :math:`D` the centred :math:`n_1\times p` minority matrix (so
      :math:`D^\top D/(n_1-1)=S`), :math:`g\sim N(0,I_{n_1})`, :math:`g'\sim N(0,I_p)`:
      covariance :math:`\hat C` exactly, :math:`O(\tilde n n_1p)`, no :math:`p\times p` matrix.

    ``method="auto"`` takes ``"low_rank"`` when :math:`n_1\le p` and :math:`p>256`
    (where the :math:`p^3` eigendecomposition dominates; at :math:`p=10\,000`,
    :math:`n_1=200` it is the difference between minutes and a fraction of a second,
    see ``benchmarks/bench_generators.py``) and ``"eigh"`` otherwise, so seeded draws at
    the book's sizes are those of earlier releases. The route depends only on
    :math:`(n_1,p)`, never on ``n_syn``: draws stay prefix-consistent.

    Parameters
    ----------
    shrinkage : float in [0, 1], default 0.0
    ridge : float >= 0, default 1e-6
    method : {"auto", "eigh", "low_rank"}, default "auto"

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import GaussianFit
    >>> X1 = np.random.default_rng(0).normal(3.0, 1.0, size=(200, 2))
    >>> Z = GaussianFit().sample(X1, 5000, random_state=1)
    >>> Z.shape, bool(np.allclose(Z.mean(axis=0), X1.mean(axis=0), atol=0.05))
    ((5000, 2), True)

    In high dimension with few minority rows the low-rank route never forms
    :math:`\hat C`:

    >>> X1 = np.random.default_rng(0).normal(size=(20, 2000))
    >>> GaussianFit(shrinkage=0.1).sample(X1, 3, random_state=0).shape
    (3, 2000)
    """

    #: "auto" samples through the centred minority matrix when n1 <= p and p exceeds this
    LOW_RANK_MIN_P = 256

    def __init__(self, shrinkage=0.0, ridge=1e-6, method="auto"):
        self.shrinkage = shrinkage
        self.ridge = ridge
        self.method = method

    def _route(self, n1, p):
        if self.method not in _GAUSSIAN_METHODS:
            raise ValueError(f"method={self.method!r} is invalid: expected one of {_GAUSSIAN_METHODS}")
        if self.method == "auto":
            return "low_rank" if n1 <= p and p > self.LOW_RANK_MIN_P else "eigh"
        return self.method

    @_sample_api
    def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
        r"""``n_syn`` draws from :math:`N(\hat\mu,\hat C)` fitted to ``X_minority``."""
        s = check_scalar(self.shrinkage, "shrinkage", low=0, high=1)
        r = check_scalar(self.ridge, "ridge", low=0)
        X = _check_minority(X_minority, 2, "GaussianFit (a sample covariance)", X_majority)
        n = self._n(n_syn)
        n1, p = X.shape
        route = self._route(n1, p)
        mean = X.mean(axis=0)
        centred = X - mean
        rng = check_random_state(random_state)
        if route == "low_rank":
            # tr S = ||D||_F^2 / (n1 - 1), without forming S
            c = s * float(np.sum(centred * centred)) / ((n1 - 1) * p) + r
            # one normal row of n1 + p entries per synthetic point keeps draws prefix-consistent
            g = rng.standard_normal((n, n1 + p))
            out = np.sqrt((1.0 - s) / (n1 - 1)) * (g[:, :n1] @ centred)
            out += np.sqrt(c) * g[:, n1:]
            return out + mean
        S = np.cov(X, rowvar=False, ddof=1).reshape(p, p)
        cov = (1 - s) * S + (s * np.trace(S) / p + r) * np.eye(p)
        # eigh rather than Cholesky: S is singular whenever n1 <= p
        evals, evecs = np.linalg.eigh(cov)
        root = evecs * np.sqrt(np.clip(evals, 0.0, None))
        return mean + rng.standard_normal((n, p)) @ root.T


class SMOTEGenerator(SyntheticGenerator):
    r"""SMOTE interpolation, vectorised (Chawla et al. 2002; spec §3, E3); formerly ``SMOTE``.

    Each synthetic point picks a base minority point uniformly at random, one
    of its ``k_neighbors`` nearest minority neighbours uniformly at random,
    and returns :math:`x_b+\lambda(x_n-x_b)` with :math:`\lambda\sim U(0,1)`,
    as imbalanced-learn does. ``k`` is capped at ``n1 - 1``. (The name keeps it apart
    from ``imblearn.over_sampling.SMOTE``, which :class:`ImblearnGenerator` wraps.)

    Parameters
    ----------
    k_neighbors : int >= 1, default 5

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import SMOTEGenerator
    >>> X1 = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> Z = SMOTEGenerator(k_neighbors=2).sample(X1, 4, random_state=0)
    >>> Z.shape, bool(np.all(Z.sum(axis=1) <= 1.0 + 1e-12) and np.all(Z >= 0))
    ((4, 2), True)
    """

    def __init__(self, k_neighbors=5):
        self.k_neighbors = k_neighbors

    @_sample_api
    def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
        """``n_syn`` interpolations between minority rows and their neighbours."""
        k = check_integer(self.k_neighbors, "k_neighbors", low=1)
        X = _check_minority(X_minority, 2, "SMOTE (a neighbour)", X_majority)
        n = self._n(n_syn)
        n1 = X.shape[0]
        k = min(k, n1 - 1)
        # squared distances; the point itself is excluded by an infinite diagonal
        sq = np.sum(X * X, axis=1)
        dist = sq[:, None] + sq[None, :] - 2.0 * X @ X.T
        np.fill_diagonal(dist, np.inf)
        neighbours = np.argsort(dist, axis=1, kind="stable")[:, :k]
        rng = check_random_state(random_state)
        # one uniform row per synthetic point keeps draws prefix-consistent
        u = rng.random((n, 3))
        base = np.minimum((u[:, 0] * n1).astype(np.int64), n1 - 1)
        pick = np.minimum((u[:, 1] * k).astype(np.int64), k - 1)
        nb = neighbours[base, pick]
        return X[base] + u[:, 2:3] * (X[nb] - X[base])


class Jitter(SyntheticGenerator):
    r"""Bootstrap a minority point and add Gaussian noise.

    The noise is :math:`N(0,\sigma^2I)` (spec §3, E6 nonlinear: ``sigma=1``) or,
    with ``per_feature_std=True``, :math:`N(0,\sigma^2\operatorname{diag}(s_j^2))`
    with :math:`s_j` the minority's per-feature standard deviation (the sepsis
    study's "minority jitter").

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import Jitter
    >>> X1 = np.zeros((10, 3))
    >>> Z = Jitter(sigma=0.1).sample(X1, 2000, random_state=0)
    >>> round(float(Z.std()), 1)
    0.1
    """

    def __init__(self, sigma=1.0, per_feature_std=False):
        self.sigma = sigma
        self.per_feature_std = per_feature_std

    @_sample_api
    def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
        """``n_syn`` bootstrapped minority rows plus Gaussian noise."""
        sigma = check_scalar(self.sigma, "sigma", low=0)
        if not isinstance(self.per_feature_std, (bool, np.bool_)):
            raise ValueError(f"per_feature_std={self.per_feature_std!r} is invalid: expected True or False")
        X = _check_minority(X_minority, 2 if self.per_feature_std else 1, "Jitter", X_majority)
        n = self._n(n_syn)
        n1, d = X.shape
        scale = sigma * (X.std(axis=0, ddof=1) if self.per_feature_std else np.ones(d))
        rng = check_random_state(random_state)
        # column 0 picks the bootstrap point (through the normal cdf), the rest is the noise:
        # one normal row per synthetic point keeps draws prefix-consistent
        z = rng.standard_normal((n, d + 1))
        base = np.minimum((ndtr(z[:, 0]) * n1).astype(np.int64), n1 - 1)
        return X[base] + z[:, 1:] * scale


class Oracle(SyntheticGenerator):
    """Sample the true minority distribution, ignoring the real minority rows.

    Parameters
    ----------
    source : object with ``sample_minority(n, *, random_state)``, or callable ``f(n, rng)``
        An example of :mod:`synthlib.imbalance.examples` or any function
        returning ``n`` minority rows.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import Oracle, examples
    >>> e1 = examples.aligned_gaussian()
    >>> Z = Oracle(e1).sample(np.zeros((5, 2)), 20000, random_state=0)
    >>> bool(np.abs(Z.mean(axis=0) - [1.0, 0.0]).max() < 0.05)
    True
    """

    def __init__(self, source=None):
        self.source = source

    @_sample_api
    def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
        """``n_syn`` draws of the source's minority law (``X_minority`` is not used; checked if given)."""
        if X_minority is not None:
            _check_minority(X_minority, 1, "Oracle", X_majority)
        elif X_majority is not None:
            check_array(X_majority, "X_majority", ndim=2)
        n = self._n(n_syn)
        rng = check_random_state(random_state)
        if hasattr(self.source, "sample_minority"):
            out = call_with_random_state(self.source.sample_minority, n, random_state=rng)
        elif callable(self.source):
            out = call_with_random_state(self.source, n, random_state=rng)
        else:
            raise ValueError(
                f"Oracle(source={self.source!r}) is invalid: expected an object with "
                "sample_minority(n, *, random_state) or a callable f(n, rng)"
            )
        return np.asarray(out, dtype=float)


class FunctionGenerator(SyntheticGenerator):
    """Wrap a plain function ``f(X_minority, n_syn, rng) -> (n_syn, p) array`` as a generator.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import FunctionGenerator
    >>> g = FunctionGenerator(lambda X, n, rng: np.repeat(X[:1], n, axis=0))
    >>> g.sample(np.ones((3, 2)), 2).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """

    def __init__(self, func=None):
        self.func = func

    @_sample_api
    def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
        """``func(X_minority, n_syn, rng)`` as a float array."""
        X = _check_minority(X_minority, 1, "FunctionGenerator", X_majority)
        n = self._n(n_syn)
        if not callable(self.func):
            raise ValueError(f"FunctionGenerator(func={self.func!r}) is invalid: expected a function "
                             "f(X_minority, n_syn, rng)")
        return np.asarray(self.func(X, n, check_random_state(random_state)), dtype=float)


# samplers of imbalanced-learn that only look at the class being over-sampled
_MINORITY_ONLY_SAMPLERS = {"SMOTE", "RandomOverSampler", "SMOTEN"}


class ImblearnGenerator(SyntheticGenerator):
    r"""Use an imbalanced-learn over-sampler as a generator.

    The sampler is cloned and called with the **dict** form of
    ``sampling_strategy``, ``{minority: n1 + n_syn}``, so any size works, also past
    balance (the float form is capped at 1, i.e. at balancing). The new rows,
    which imbalanced-learn appends after the original ones, are returned.

    If the wrapped sampler has an integer ``random_state`` it is used as is
    (so a plain imbalanced-learn loop with the same sampler draws the same
    points); otherwise a seed is drawn from ``random_state``.

    Samplers that look at the majority class (ADASYN, BorderlineSMOTE, SVMSMOTE,
    KMeansSMOTE) need ``X_majority``; VTSS always passes it.

    Parameters
    ----------
    sampler : imbalanced-learn over-sampler

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn.over_sampling import SMOTE as ImbSMOTE
    >>> from synthlib.imbalance import ImblearnGenerator
    >>> X1 = np.random.default_rng(0).normal(size=(20, 2))
    >>> ImblearnGenerator(ImbSMOTE(k_neighbors=3)).sample(X1, 50, random_state=0).shape
    (50, 2)
    """

    def __init__(self, sampler=None):
        self.sampler = sampler

    @_sample_api
    def sample(self, X_minority, n_syn, *, random_state=None, X_majority=None):
        """The ``n_syn`` new minority rows of the sampler's ``fit_resample``."""
        n = self._n(n_syn)
        X, X_maj = check_generator_inputs(X_minority, X_majority, min_rows=2, who="an imbalanced-learn sampler")
        if n == 0:
            return np.empty((0, X.shape[1]))
        if not hasattr(self.sampler, "fit_resample"):
            raise ValueError(f"ImblearnGenerator(sampler={self.sampler!r}) is invalid: expected an "
                             "imbalanced-learn over-sampler with fit_resample")
        sampler = clone(self.sampler)
        name = type(sampler).__name__
        if X_majority is None:
            if name not in _MINORITY_ONLY_SAMPLERS:
                raise ValueError(
                    f"{name} looks at the majority class: pass X_majority to "
                    "ImblearnGenerator.sample (VTSS does this for you)"
                )
            # imbalanced-learn wants two classes; SMOTE never looks at this placeholder row
            X_majority = X[:1]
        else:
            X_majority = X_maj
        params = sampler.get_params()
        if "random_state" in params and not isinstance(params["random_state"], numbers.Integral):
            sampler.set_params(random_state=sklearn_seed(random_state))
        X_all = np.vstack([X_majority, X])
        y_all = np.r_[np.zeros(X_majority.shape[0], dtype=int), np.ones(X.shape[0], dtype=int)]
        base_seed = sampler.get_params().get("random_state")
        batches, have = [], 0
        # ADASYN rounds per-point counts and may return a few rows fewer than asked:
        # top up with further draws (new seeds), then truncate to exactly n
        for attempt in range(20):
            # top-ups ask for at least n1 rows: ADASYN generates nothing for tiny requests
            ask = n if attempt == 0 else max(n - have, X.shape[0])
            sampler.set_params(sampling_strategy={1: X.shape[0] + ask})
            if attempt > 0 and "random_state" in sampler.get_params():
                sampler.set_params(random_state=(0 if base_seed is None else int(base_seed)) + attempt)
            X_res, y_res = sampler.fit_resample(X_all, y_all)
            new = np.asarray(X_res[X_all.shape[0]:], dtype=float)
            batches.append(new)
            have += new.shape[0]
            if have >= n:
                break
        out = np.vstack(batches)[:n]
        if out.shape[0] != n:
            raise ValueError(f"{name} returned {out.shape[0]} new minority rows, expected {n}")
        return out


def _is_imblearn_sampler(obj):
    return hasattr(obj, "fit_resample") and type(obj).__module__.startswith("imblearn")


def as_generator(generator):
    """Turn a synthlib generator, an imbalanced-learn sampler or a function into a generator.

    * objects with a ``sample`` method are returned unchanged;
    * imbalanced-learn over-samplers are wrapped in :class:`ImblearnGenerator`;
    * callables ``f(X_minority, n_syn, rng)`` are wrapped in :class:`FunctionGenerator`.

    ``None`` gives :class:`SMOTEGenerator` with its defaults.

    Examples
    --------
    >>> from imblearn.over_sampling import ADASYN
    >>> from synthlib.imbalance import as_generator
    >>> as_generator(ADASYN())
    ImblearnGenerator(sampler=ADASYN())
    >>> as_generator(None)
    SMOTEGenerator()
    """
    if generator is None:
        return SMOTEGenerator()
    if hasattr(generator, "sample") and callable(generator.sample):
        return generator
    if _is_imblearn_sampler(generator) or hasattr(generator, "fit_resample"):
        return ImblearnGenerator(generator)
    if callable(generator):
        return FunctionGenerator(generator)
    raise ValueError(
        f"generator={generator!r} is invalid: expected a synthlib generator (an object with "
        "sample(X_minority, n_syn, *, random_state)), an imbalanced-learn over-sampler or a function "
        "f(X_minority, n_syn, rng)"
    )


def _accepts_majority(generator):
    try:
        sig = inspect.signature(generator.sample)
    except (TypeError, ValueError):
        return False
    return "X_majority" in sig.parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in sig.parameters.values())


def _generator_name(generator):
    if isinstance(generator, BaseEstimator):
        return repr(generator)
    return type(generator).__name__


def draw_synthetic(generator, X_minority, n, rng, X_majority=None):
    """Call ``generator.sample`` and check that it returned ``n`` finite rows of width d.

    Raises a ValueError naming the generator otherwise.
    """
    d = X_minority.shape[1]
    extra = {"X_majority": X_majority} if _accepts_majority(generator) else {}
    out = call_with_random_state(generator.sample, X_minority, n, random_state=rng, **extra)
    try:
        out = np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"generator {_generator_name(generator)} returned something that is not "
                         f"a numeric array: expected shape ({n}, {d})") from None
    if out.shape != (n, d):
        raise ValueError(f"generator {_generator_name(generator)} returned shape {out.shape}: "
                         f"expected ({n}, {d}), one row per requested synthetic point")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"generator {_generator_name(generator)} returned NaN or infinite values")
    return out


# old names: served with a FutureWarning, not listed in __all__
__getattr__ = module_getattr(__name__, {"Generator": ("SyntheticGenerator", SyntheticGenerator),
                                        "SMOTE": ("SMOTEGenerator", SMOTEGenerator)})

r"""Synthetic minority generators with one interface: ``sample(X_minority, n, random_state)``.

Every generator returns an array of shape ``(n, d)`` of synthetic minority
rows. The synthlib generators are *prefix-consistent*: for a fixed seed the
first ``k`` rows of a draw of size ``n >= k`` are the draw of size ``k``. So
VTSS's nested synthetic prefixes are exactly the sets a fresh call of each
size would give.

Generators are scikit-learn ``BaseEstimator`` objects, so ``VTSS`` exposes
their parameters (``generator__k_neighbors``) and ``clone`` copies them.
"""
from __future__ import annotations

import inspect
import numbers

import numpy as np
from scipy.special import ndtr
from sklearn.base import BaseEstimator, clone

from .._random import check_random_state, sklearn_seed
from .._validation import check_array, check_integer, check_scalar

__all__ = [
    "Generator",
    "GaussianFit",
    "SMOTE",
    "Jitter",
    "Oracle",
    "ImblearnGenerator",
    "FunctionGenerator",
    "as_generator",
]


def _check_minority(X_minority, min_rows=1, who="generator"):
    X = check_array(X_minority, "X_minority", ndim=2)
    if X.shape[0] < min_rows:
        raise ValueError(f"X_minority has {X.shape[0]} row(s): {who} needs at least {min_rows}")
    return X


class Generator(BaseEstimator):
    """Base class of synthlib's generators.

    Subclasses implement :meth:`sample`. ``X_majority`` is accepted (and
    ignored) by every synthlib generator so that callers can always pass it;
    samplers that need the majority (ADASYN, BorderlineSMOTE) use it.
    """

    def sample(self, X_minority, n, random_state=None, *, X_majority=None):  # pragma: no cover
        raise NotImplementedError

    def _n(self, n):
        return check_integer(n, "n", low=0)


class GaussianFit(Generator):
    r"""Fit a Gaussian to the minority sample and draw from it.

    The covariance is :math:`(1-s)S+s\frac{\operatorname{tr}S}{d}I+rI` with
    :math:`S` the sample covariance (ddof 1), shrinkage :math:`s` and ridge
    :math:`r` (spec §3, E3 uses ``shrinkage=0.1``, ``ridge=1e-6``; E4 no
    shrinkage).

    Parameters
    ----------
    shrinkage : float in [0, 1], default 0.0
    ridge : float >= 0, default 1e-6

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import GaussianFit
    >>> X1 = np.random.default_rng(0).normal(3.0, 1.0, size=(200, 2))
    >>> Z = GaussianFit().sample(X1, 5000, random_state=1)
    >>> Z.shape, bool(np.allclose(Z.mean(axis=0), X1.mean(axis=0), atol=0.05))
    ((5000, 2), True)
    """

    def __init__(self, shrinkage=0.0, ridge=1e-6):
        self.shrinkage = shrinkage
        self.ridge = ridge

    def sample(self, X_minority, n, random_state=None, *, X_majority=None):
        s = check_scalar(self.shrinkage, "shrinkage", low=0, high=1)
        r = check_scalar(self.ridge, "ridge", low=0)
        X = _check_minority(X_minority, 2, "GaussianFit (a sample covariance)")
        n = self._n(n)
        d = X.shape[1]
        S = np.cov(X, rowvar=False, ddof=1).reshape(d, d)
        cov = (1 - s) * S + (s * np.trace(S) / d + r) * np.eye(d)
        # eigh rather than Cholesky: S is singular whenever n1 <= d
        evals, evecs = np.linalg.eigh(cov)
        root = evecs * np.sqrt(np.clip(evals, 0.0, None))
        rng = check_random_state(random_state)
        return X.mean(axis=0) + rng.standard_normal((n, d)) @ root.T


class SMOTE(Generator):
    r"""SMOTE interpolation, vectorised (Chawla et al. 2002; spec §3, E3).

    Each synthetic point picks a base minority point uniformly at random, one
    of its ``k_neighbors`` nearest minority neighbours uniformly at random,
    and returns :math:`x_b+\lambda(x_n-x_b)` with :math:`\lambda\sim U(0,1)`,
    as imbalanced-learn does. ``k`` is capped at ``n1 - 1``.

    Parameters
    ----------
    k_neighbors : int >= 1, default 5

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance import SMOTE
    >>> X1 = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> Z = SMOTE(k_neighbors=2).sample(X1, 4, random_state=0)
    >>> Z.shape, bool(np.all(Z.sum(axis=1) <= 1.0 + 1e-12) and np.all(Z >= 0))
    ((4, 2), True)
    """

    def __init__(self, k_neighbors=5):
        self.k_neighbors = k_neighbors

    def sample(self, X_minority, n, random_state=None, *, X_majority=None):
        k = check_integer(self.k_neighbors, "k_neighbors", low=1)
        X = _check_minority(X_minority, 2, "SMOTE (a neighbour)")
        n = self._n(n)
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


class Jitter(Generator):
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

    def sample(self, X_minority, n, random_state=None, *, X_majority=None):
        sigma = check_scalar(self.sigma, "sigma", low=0)
        X = _check_minority(X_minority, 2 if self.per_feature_std else 1, "Jitter")
        n = self._n(n)
        n1, d = X.shape
        scale = sigma * (X.std(axis=0, ddof=1) if self.per_feature_std else np.ones(d))
        rng = check_random_state(random_state)
        # column 0 picks the bootstrap point (through the normal cdf), the rest is the noise:
        # one normal row per synthetic point keeps draws prefix-consistent
        z = rng.standard_normal((n, d + 1))
        base = np.minimum((ndtr(z[:, 0]) * n1).astype(np.int64), n1 - 1)
        return X[base] + z[:, 1:] * scale


class Oracle(Generator):
    """Sample the true minority distribution, ignoring the real minority rows.

    Parameters
    ----------
    source : object with ``sample_minority(n, random_state)``, or callable ``f(n, rng)``
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

    def sample(self, X_minority, n, random_state=None, *, X_majority=None):
        n = self._n(n)
        rng = check_random_state(random_state)
        if hasattr(self.source, "sample_minority"):
            out = self.source.sample_minority(n, rng)
        elif callable(self.source):
            out = self.source(n, rng)
        else:
            raise ValueError(
                f"Oracle(source={self.source!r}) is invalid: expected an object with "
                "sample_minority(n, random_state) or a callable f(n, rng)"
            )
        return np.asarray(out, dtype=float)


class FunctionGenerator(Generator):
    """Wrap a plain function ``f(X_minority, n, rng) -> (n, d) array`` as a generator.

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

    def sample(self, X_minority, n, random_state=None, *, X_majority=None):
        n = self._n(n)
        return np.asarray(self.func(np.asarray(X_minority, dtype=float), n,
                                    check_random_state(random_state)), dtype=float)


# samplers of imbalanced-learn that only look at the class being over-sampled
_MINORITY_ONLY_SAMPLERS = {"SMOTE", "RandomOverSampler", "SMOTEN"}


class ImblearnGenerator(Generator):
    r"""Use an imbalanced-learn over-sampler as a generator.

    The sampler is cloned and called with the **dict** form of
    ``sampling_strategy``, ``{minority: n1 + n}``, so any size works, also past
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

    def sample(self, X_minority, n, random_state=None, *, X_majority=None):
        n = self._n(n)
        X = _check_minority(X_minority, 2, "an imbalanced-learn sampler")
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
            X_majority = check_array(X_majority, "X_majority", ndim=2)
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
    * callables ``f(X_minority, n, rng)`` are wrapped in :class:`FunctionGenerator`.

    ``None`` gives :class:`SMOTE` with its defaults.

    Examples
    --------
    >>> from imblearn.over_sampling import ADASYN
    >>> from synthlib.imbalance import as_generator
    >>> as_generator(ADASYN())
    ImblearnGenerator(sampler=ADASYN())
    >>> as_generator(None)
    SMOTE()
    """
    if generator is None:
        return SMOTE()
    if hasattr(generator, "sample") and callable(generator.sample):
        return generator
    if _is_imblearn_sampler(generator) or hasattr(generator, "fit_resample"):
        return ImblearnGenerator(generator)
    if callable(generator):
        return FunctionGenerator(generator)
    raise ValueError(
        f"generator={generator!r} is invalid: expected a synthlib generator (an object with "
        "sample(X_minority, n, random_state)), an imbalanced-learn over-sampler or a function "
        "f(X_minority, n, rng)"
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
    if _accepts_majority(generator):
        out = generator.sample(X_minority, n, rng, X_majority=X_majority)
    else:
        out = generator.sample(X_minority, n, rng)
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

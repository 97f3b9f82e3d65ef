r"""Example E4: a well-specified logistic model under local symmetry."""
from __future__ import annotations

import numpy as np
from scipy.special import expit, log_expit

from ..._deprecation import renamed_parameters, warn_renamed
from ..._random import check_random_state
from ..._validation import check_array, check_integer, check_scalar
from .._numerics import _logistic_newton
from ._common import RenamedAttribute, check_counts, dimension_api, draw_api, theta_rows

__all__ = ["LogisticSymmetric", "logistic_symmetric"]

#: below this share of a class, rejection sampling of that class is refused (it would
#: need more than a thousand joint draws per row)
_MIN_CLASS_SHARE = 1e-3
#: rows per batch of the rejection sampler (bounds the memory of one batch)
_MAX_BATCH = 2**20


def _log_sigma_prime(z):
    r""":math:`\log\sigma'(z)=\log\sigma(z)+\log\sigma(-z)`, finite for every finite z."""
    return log_expit(z) + log_expit(-z)


def _check_pm1_labels(y, name="y"):
    """``y`` as a 1-d float array holding only the labels -1 and +1 (finite numbers: strings,
    objects, complex numbers refused; booleans are 0/1, so refused too). Values unchanged."""
    arr = check_array(y, name, ndim=1)
    bad = (arr != 1) & (arr != -1)
    if np.any(bad):
        raise ValueError(f"{name} contains the label {float(arr[bad][0])!r}: expected only the labels "
                         "-1 (majority) and +1 (minority)")
    return arr


def _is_stream(value):
    return value is None or isinstance(value, (np.random.Generator, np.random.RandomState))


class LogisticSymmetric:
    r"""Example E4: a well-specified logistic model under local symmetry (spec §3, E4).

    :math:`x=Tv+W\in\mathbb R^p`, :math:`v=e_1`, :math:`T=-a` w.p. :math:`\alpha`
    (the mixture weight) and :math:`b` otherwise; :math:`W=(0,\sigma_wZ+s\,m)` with a
    random sign :math:`s` and :math:`m=(2.5,2.5,2.5,0,\dots)`;
    :math:`P(Y=1\mid x)=\sigma(c\,x_1)`, labels ±1, minority +1. DERIVED:
    :math:`\theta^*=c\,e_1` is a stationary point of each class risk iff
    :math:`\mathbb E[\sigma'(cT)T]=0`, i.e.
    :math:`\alpha=\frac{b\sigma'(cb)}{a\sigma'(ca)+b\sigma'(cb)}`, computed in logs
    (:math:`\log\sigma'(z)=\log\sigma(z)+\log\sigma(-z)`), so it stays exact for large
    :math:`c`. Then :math:`\nabla\phi(\theta^*)=0`.

    Parameters
    ----------
    p : int >= 2, default 20
        Dimension (formerly ``d``).
    a, b, c : float > 0
    sigma_w : float >= 0
    mix_mu : float

    Attributes
    ----------
    mixture_weight : float
        :math:`\alpha` (formerly the attribute ``alpha``, which still reads with a warning).
    theta_star : numpy.ndarray
    """

    alpha = RenamedAttribute("mixture_weight")
    d = RenamedAttribute("p")

    @dimension_api
    def __init__(self, p=20, a=5.0, b=1.0, c=1.0, sigma_w=1.0, mix_mu=2.5):
        self.p = check_integer(p, "p", low=2)
        self.a = check_scalar(a, "a", low=0, low_inclusive=False)
        self.b = check_scalar(b, "b", low=0, low_inclusive=False)
        self.c = check_scalar(c, "c", low=0, low_inclusive=False)
        self.sigma_w = check_scalar(sigma_w, "sigma_w", low=0)
        self.mix_mu = check_scalar(mix_mu, "mix_mu")
        # alpha = 1 / (1 + a sigma'(ca) / (b sigma'(cb))), in logs: no 0/0 for large c
        log_ratio = (np.log(self.a) + _log_sigma_prime(self.c * self.a)
                     - np.log(self.b) - _log_sigma_prime(self.c * self.b))
        self.mixture_weight = float(expit(-log_ratio))
        self.theta_star = np.zeros(self.p)
        self.theta_star[0] = self.c
        self._m = np.zeros(self.p - 1)
        self._m[: min(3, self.p - 1)] = self.mix_mu
        self._test_cache = {}

    def __repr__(self):
        return f"LogisticSymmetric(p={self.p}, a={self.a!r}, b={self.b!r}, c={self.c!r})"

    @property
    def minority_share(self):
        r""":math:`P(Y=+1)=\alpha\sigma(-ca)+(1-\alpha)\sigma(cb)`."""
        w = self.mixture_weight
        return float(w * expit(-self.c * self.a) + (1 - w) * expit(self.c * self.b))

    @property
    def grad_phi(self):
        r""":math:`\nabla\phi(\theta^*)=0`: :math:`\theta^*` is stationary for both class risks (local symmetry)."""
        return np.zeros(self.p)

    # sampling ----------------------------------------------------------------
    @draw_api
    def sample_x(self, n, *, random_state=None):
        """``n`` draws of the features :math:`x` (no labels)."""
        n = check_integer(n, "n", low=0)
        rng = check_random_state(random_state)
        T = np.where(rng.random(n) < self.mixture_weight, -self.a, self.b)
        X = np.zeros((n, self.p))
        X[:, 0] = T
        signs = np.where(rng.random(n) < 0.5, -1.0, 1.0)
        X[:, 1:] = self.sigma_w * rng.standard_normal((n, self.p - 1)) + signs[:, None] * self._m
        return X

    @draw_api
    def sample_joint(self, n, *, random_state=None):
        """``n`` rows of the joint law (class counts random), labels ±1.

        This was ``sample(n, random_state)`` before the examples shared one protocol.
        """
        rng = check_random_state(random_state)
        X = self.sample_x(n, random_state=rng)
        y = np.where(rng.random(X.shape[0]) < expit(X @ self.theta_star), 1, -1)
        return X, y

    @renamed_parameters({"n": "n0"})
    def sample(self, n0, n1=None, *, random_state=None):
        """``n0`` majority rows (y = -1) then ``n1`` minority rows (y = +1), by rejection.

        The protocol of every example. The old call ``sample(n, random_state)`` (one
        count: ``n`` rows of the joint law, class counts random) still works with a
        ``FutureWarning`` and is :meth:`sample_joint`. The rule: a call without ``n1``, or
        whose second positional argument is ``None`` or a random generator, is the old
        call. (An old call ``sample(n, seed)`` with an *integer* seed cannot be told from
        ``sample(n0, n1)`` and is read the new way.)

        Examples
        --------
        >>> from synthlib.imbalance import examples
        >>> X, y = examples.logistic_symmetric().sample(300, 30, random_state=0)
        >>> X.shape, int((y == 1).sum()), int((y == -1).sum())
        ((330, 20), 30, 300)
        """
        if _is_stream(n1):
            if n1 is not None and random_state is not None:
                raise TypeError("LogisticSymmetric.sample() got a random stream both as its second "
                                "positional argument (old-style) and as random_state")
            warn_renamed("LogisticSymmetric.sample(n, random_state)",
                         "LogisticSymmetric.sample_joint(n, random_state=...)", what="call")
            return self.sample_joint(n0, random_state=random_state if n1 is None else n1)
        n0, n1 = check_counts(n0, n1)
        rng = check_random_state(random_state)
        X = np.vstack([self._sample_class(-1, n0, rng), self._sample_class(1, n1, rng)])
        return X, np.r_[-np.ones(n0, dtype=int), np.ones(n1, dtype=int)]

    def _sample_class(self, label, n, rng):
        share = self.minority_share if label == 1 else 1 - self.minority_share
        if n > 0 and share < _MIN_CLASS_SHARE:
            raise ValueError(
                f"P(Y={label:+d}) = {share:.3g} at a={self.a!r}, b={self.b!r}, c={self.c!r}: rejection "
                f"sampling of class {label:+d} would need more than {1 / _MIN_CLASS_SHARE:.0f} draws per "
                "row; choose a smaller c (the book uses c = 1)")
        out, have = [], 0
        while have < n:
            batch = min(int(1.2 * (n - have) / share) + 64, _MAX_BATCH)
            X, y = self.sample_joint(batch, random_state=rng)
            keep = X[y == label]
            out.append(keep)
            have += keep.shape[0]
        return np.vstack(out)[:n] if out else np.empty((0, self.p))

    @draw_api
    def sample_minority(self, n, *, random_state=None):
        """Rejection sampling from :math:`x\\mid Y=+1` (the Oracle of E4)."""
        return self._sample_class(1, check_integer(n, "n", low=0), check_random_state(random_state))

    # risks --------------------------------------------------------------------
    def balanced_log_loss(self, theta, X, y):
        """Balanced logistic loss of ``theta`` (no intercept) on labelled rows (labels ±1)."""
        th = theta_rows(theta, self.p)
        X = check_array(X, "X", ndim=2)
        y = _check_pm1_labels(y)
        if X.shape[1] != self.p or y.shape != (X.shape[0],):
            raise ValueError(f"X has shape {X.shape} and y {y.shape}: expected (n, {self.p}) and (n,)")
        pos = y == 1
        if not np.any(pos) or np.all(pos):
            raise ValueError("y must contain both labels +1 and -1: the balanced loss averages the "
                             "two classes separately")
        z = X @ th.T if th.ndim > 1 else X @ th
        lp = np.logaddexp(0.0, -z[pos])
        ln = np.logaddexp(0.0, z[~pos])
        return 0.5 * lp.mean(axis=0) + 0.5 * ln.mean(axis=0)

    @renamed_parameters(keyword_only_from="random_state")
    def test_set(self, n_per_class=20000, *, random_state=0):
        """A balanced test set, cached per size and integer seed.

        The arrays are read-only (the cache hands the same arrays to every caller, so
        nobody can change another's test set); copy them to modify.

        Examples
        --------
        >>> from synthlib.imbalance import examples
        >>> X, y = examples.logistic_symmetric().test_set(100, random_state=1)
        >>> X.shape, X.flags.writeable
        ((200, 20), False)
        """
        n_per_class = check_integer(n_per_class, "n_per_class", low=1)
        cacheable = isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool)
        key = (n_per_class, int(random_state)) if cacheable else None
        if key in self._test_cache:
            return self._test_cache[key]
        rng = check_random_state(random_state)
        Xp = self._sample_class(1, n_per_class, rng)
        Xn = self._sample_class(-1, n_per_class, rng)
        out = (np.vstack([Xn, Xp]), np.r_[-np.ones(n_per_class, dtype=int), np.ones(n_per_class, dtype=int)])
        for arr in out:
            arr.flags.writeable = False
        if cacheable:
            self._test_cache[key] = out
        return out

    @renamed_parameters(keyword_only_from="n_per_class")
    def excess_risk(self, theta, *, n_per_class=20000, random_state=0):
        r"""Empirical excess balanced log-loss over :math:`\theta^*` on a balanced test set.

        No closed form exists for E4; as in the paper's study, the excess is
        measured on a balanced test set (20 000 per class, cached by seed) as
        :math:`\hat R_{\rm bal}(\theta)-\hat R_{\rm bal}(\theta^*)` on the same rows.
        """
        X, y = self.test_set(n_per_class, random_state=random_state)
        return self.balanced_log_loss(theta, X, y) - self.balanced_log_loss(self.theta_star, X, y)

    def fit(self, X, y, C=1e6, theta0=None):
        r"""``LogisticRegression(C=C, fit_intercept=False)``'s objective, by Newton steps (labels ±1).

        Parameters
        ----------
        X : array_like of shape (n, p)
        y : array_like of shape (n,)
            Labels -1 (majority) and +1 (minority), both present.
        C : float > 0, finite
            Inverse l2 penalty (the book uses 1e6).
        theta0 : array_like of shape (p,), optional
            Warm start.
        """
        X = check_array(X, "X", ndim=2)
        y = _check_pm1_labels(y)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y has shape {y.shape}: expected ({X.shape[0]},) to match X")
        if not (np.any(y == 1) and np.any(y == -1)):
            raise ValueError(f"y holds only the label {int(y[0]):+d}: expected both labels -1 and +1 "
                             "(a binary problem)")
        C = check_scalar(C, "C", low=0, low_inclusive=False)
        t = (y == 1).astype(float)
        theta0 = None if theta0 is None else check_array(theta0, "theta0", shape=(X.shape[1],))
        theta, _ = _logistic_newton(X, t, C=C, theta0=theta0)
        return theta


@dimension_api
def logistic_symmetric(p=20, a=5.0, b=1.0, c=1.0, sigma_w=1.0, mix_mu=2.5):
    r"""Example E4: logistic local symmetry; :math:`\alpha=0.855384` at :math:`(a,b,c)=(5,1,1)`.

    Examples
    --------
    >>> from synthlib.imbalance import examples
    >>> e4 = examples.logistic_symmetric()
    >>> round(e4.mixture_weight, 6), round(e4.minority_share, 4)
    (0.855384, 0.1114)
    """
    return LogisticSymmetric(p=p, a=a, b=b, c=c, sigma_w=sigma_w, mix_mu=mix_mu)

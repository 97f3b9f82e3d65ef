"""What every worked example of Part III shares: the sampling protocol, count checks and the
deprecation helpers of the old example API."""
from __future__ import annotations

import functools
import inspect

import numpy as np

from ..._deprecation import renamed_parameters, warn_renamed
from ..._random import check_random_state
from ..._validation import check_array, check_integer

__all__: list[str] = []

#: ``random_state`` is keyword-only in every method that draws (positional use warns)
draw_api = renamed_parameters(keyword_only_from="random_state")
#: the example constructors' dimension is ``p`` (was ``d``)
dimension_api = renamed_parameters({"d": "p"})


def check_counts(n0, n1):
    """Class counts of an example: integers >= 1 with the minority (class 1) not larger."""
    n0 = check_integer(n0, "n0", low=1)
    n1 = check_integer(n1, "n1", low=1)
    if n1 > n0:
        raise ValueError(f"n1={n1} > n0={n0}: the examples take class 1 as the minority; "
                         "swap the counts")
    return n0, n1


def theta_rows(theta, p):
    """``theta`` as a float array whose last axis has length ``p`` (one parameter per row)."""
    th = check_array(theta, "theta")
    if th.ndim == 0 or th.shape[-1] != p:
        raise ValueError(f"theta has shape {th.shape}: expected (..., {p})")
    return th


class RenamedAttribute:
    """A read-only attribute under its old name: reading it warns and returns the new one."""

    def __init__(self, new: str):
        self.new = new

    def __set_name__(self, owner, name):
        self.old = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        warn_renamed(f"{type(obj).__name__}.{self.old}", f"{type(obj).__name__}.{self.new}",
                     what="attribute", stacklevel=3)
        return getattr(obj, self.new)


class CallableGradient(np.ndarray):
    """A gradient vector that can still be *called* the old way (with a warning).

    ``MeanShift.grad_psi`` was a method ``grad_psi(mean, second_moment)`` and is now a
    property (the gradient of the example's default synthetic law). Calling the
    property's value forwards to the method's new name, so old code keeps working.
    Arithmetic on it gives plain arrays.
    """

    def __new__(cls, values, method, old: str, new: str):
        obj = np.asarray(values, dtype=float).view(cls)
        obj._method, obj._names = method, (old, new)
        return obj

    def __array_finalize__(self, obj):
        self._method = getattr(obj, "_method", None)
        self._names = getattr(obj, "_names", None)

    def __array_wrap__(self, out_arr, context=None, return_scalar=False):
        out = np.asarray(out_arr).view(np.ndarray)
        return out[()] if return_scalar else out

    def __call__(self, *args, **kwargs):
        old, new = self._names
        warn_renamed(f"{old}(...)", f"{new}(...)", what="method", stacklevel=3)
        return self._method(*args, **kwargs)

    def __reduce__(self):
        return (np.asarray, (np.asarray(self).view(np.ndarray),))


def ridge_keywords(renames=None):
    """Decorator: the old keywords of a simulation with a ridge fit (``gamma`` = multiplier, ``alpha`` = ridge).

    Today ``multiplier`` is the size multiplier and ``gamma`` the ridge penalty (the book's
    vocabulary); before, ``gamma`` was the multiplier and ``alpha`` the ridge. The rule:

    * a call passing ``alpha=`` is old-style: ``alpha`` → ``gamma`` (ridge) and, if present,
      ``gamma`` → ``multiplier``, each with a ``FutureWarning``;
    * a call passing ``gamma=`` but no multiplier (neither positional nor ``multiplier=``)
      is old-style too, since the multiplier is required: ``gamma`` → ``multiplier``;
    * otherwise ``gamma`` is the ridge penalty.

    ``renames`` (``{old: new}``) are further plain keyword renames, handled in the same
    wrapper so every warning points at the caller.
    """
    renames = dict(renames or {})

    def decorate(func):
        names = list(inspect.signature(func).parameters)
        position = names.index("multiplier")

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for old, new in renames.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{func.__qualname__}() got both {old!r} (deprecated) and {new!r}")
                    warn_renamed(old, new, what="keyword argument")
                    kwargs[new] = kwargs.pop(old)
            has_multiplier = len(args) > position or "multiplier" in kwargs
            if "alpha" in kwargs:
                ridge = kwargs.pop("alpha")
                warn_renamed("alpha", "gamma", what="keyword argument (ridge penalty)")
                if "gamma" in kwargs:
                    if has_multiplier:
                        raise TypeError(f"{func.__qualname__}() got the multiplier twice: as old-style "
                                        "gamma= (with alpha=) and as multiplier")
                    warn_renamed("gamma", "multiplier", what="keyword argument (size multiplier)")
                    kwargs["multiplier"] = kwargs.pop("gamma")
                kwargs["gamma"] = ridge
            elif "gamma" in kwargs and not has_multiplier:
                warn_renamed("gamma", "multiplier", what="keyword argument (size multiplier)")
                kwargs["multiplier"] = kwargs.pop("gamma")
            return func(*args, **kwargs)

        return wrapper

    return decorate


class Example:
    """Base of the examples with two class laws: one sampling protocol for all.

    Subclasses define ``p``, ``labels`` (majority, minority) and ``_majority(n, rng)``,
    ``_minority(n, rng)``. ``sample`` draws the majority block, then the minority block,
    from one stream.
    """

    labels = (0, 1)
    d = RenamedAttribute("p")

    def _majority(self, n, rng):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _minority(self, n, rng):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @draw_api
    def sample(self, n0, n1, *, random_state=None):
        """``n0`` majority rows then ``n1`` minority rows, with their labels.

        Returns
        -------
        X : numpy.ndarray of shape (n0 + n1, p)
        y : numpy.ndarray of int, shape (n0 + n1,)
            ``labels[0]`` (majority) then ``labels[1]`` (minority).
        """
        n0, n1 = check_counts(n0, n1)
        rng = check_random_state(random_state)
        X = np.vstack([self._majority(n0, rng), self._minority(n1, rng)])
        lo, hi = self.labels
        return X, np.r_[np.full(n0, lo, dtype=int), np.full(n1, hi, dtype=int)]

    @draw_api
    def sample_minority(self, n, *, random_state=None):
        """``n`` draws from the true minority law :math:`P_1` (what an Oracle generator returns)."""
        return self._minority(check_integer(n, "n", low=0), check_random_state(random_state))

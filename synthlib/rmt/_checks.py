"""Validation shared by the Part II theory and simulation functions.

Thin wrappers over :mod:`synthlib._validation`: every message names the
parameter, its value and the allowed range.
"""
from __future__ import annotations

import functools

import numpy as np

from .._validation import check_array, check_integer, check_probability, check_scalar, check_vector

__all__ = [
    "CONVENTIONS",
    "check_convention",
    "probability",
    "positive",
    "nonnegative",
    "sample_size_or_infinity",
    "broadcast_parameters",
    "check_some_training_data",
    "check_psd_eigh",
    "scalar_or_array",
    "count",
    "check_solver_options",
    "check_no_bool",
    "check_mean_vectors",
    "single_probability",
    "floating_point_guard",
    "check_finite_output",
]

#: the two formula sets of the library: the derived ones and the official code's
CONVENTIONS = ("corrected", "paper_code")


def check_convention(convention) -> str:
    """Return ``convention`` if it is ``"corrected"`` or ``"paper_code"``, else raise."""
    if not isinstance(convention, str) or convention not in CONVENTIONS:
        raise ValueError(f"convention={convention!r} is invalid: expected 'corrected' (the derived "
                         "formulas) or 'paper_code' (the official code's formulas)")
    return convention


def _has_bool(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype == bool or (value.dtype == object and any(_has_bool(v) for v in value.flat))
    if isinstance(value, (list, tuple)):
        return any(_has_bool(v) for v in value)
    return False


def check_no_bool(value, name):
    """Refuse ``True``/``False`` (or booleans inside an array), and strings, where a number is meant."""
    if _has_bool(value):
        raise ValueError(f"{name}={value!r} is invalid: expected numbers, not booleans")
    if isinstance(value, (str, bytes)) or np.asarray(value, dtype=object).dtype.kind in "US" or (
            isinstance(value, (list, tuple, np.ndarray)) and any(isinstance(v, (str, bytes))
                                                                 for v in np.ravel(np.asarray(value, dtype=object)))):
        raise ValueError(f"{name}={value!r} is invalid: expected numbers, not strings")
    return value


def probability(value, name):
    """A probability (or array of them) in [0, 1]."""
    return check_probability(check_no_bool(value, name), name, allow_array=True)


def single_probability(value, name):
    """One probability in [0, 1] (not an array)."""
    value = probability(value, name)
    if np.ndim(value):
        raise ValueError(f"{name} is an array: expected a single probability in [0, 1]")
    return value


def positive(value, name):
    """A finite number (or array) > 0."""
    return check_scalar(check_no_bool(value, name), name, low=0, low_inclusive=False, allow_array=True)


def nonnegative(value, name):
    """A finite number (or array) >= 0."""
    return check_scalar(check_no_bool(value, name), name, low=0, allow_array=True)


def check_solver_options(tol, max_iter):
    """Validate a fixed-point solver's tolerance (0 < tol < 1) and iteration cap (integer >= 1)."""
    tol = check_scalar(check_no_bool(tol, "tol"), "tol", low=0, high=1, low_inclusive=False,
                       high_inclusive=False)
    max_iter = check_integer(max_iter, "max_iter", low=1)
    return tol, max_iter


def sample_size_or_infinity(value, name):
    """A sample size > 0 that may be ``numpy.inf`` (the limit of a perfect estimate)."""
    check_no_bool(value, name)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}={value!r} is invalid: expected a number > 0 or numpy.inf") from None
    if isinstance(value, (bool, np.bool_)) or np.any(np.isnan(arr)) or np.any(arr <= 0):
        bad = arr[np.isnan(arr) | (arr <= 0)] if arr.ndim else arr
        first = bad.flat[0] if np.ndim(bad) else float(bad)
        raise ValueError(f"{name}={first!r} is out of range: expected {name} > 0 (numpy.inf allowed)")
    return arr if arr.ndim else float(arr)


def broadcast_parameters(**named):
    """Broadcast named scalar/array parameters together; the error names them all.

    Booleans and empty arrays are refused (a grid needs at least one point).
    """
    converted = []
    for name, value in named.items():
        check_no_bool(value, name)
        try:
            converted.append(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            raise ValueError(f"{name}={value!r} is invalid: expected real numbers") from None
        if converted[-1].size == 0:
            raise ValueError(f"{name} is empty (shape {converted[-1].shape}): expected at least one value")
    try:
        arrays = np.broadcast_arrays(*converted)
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in named.items() if np.ndim(v))
        raise ValueError(f"parameters with shapes {shapes} cannot be broadcast together: "
                         "expected scalars or arrays of broadcastable shapes") from None
    shape = arrays[0].shape if arrays else ()
    return shape, {k: np.ascontiguousarray(a).ravel() for k, a in zip(named, arrays, strict=True)}


def check_some_training_data(n, kept_synthetic, eps, rho, phi):
    """Raise if, at some grid point, there are no real samples and no kept synthetic ones.

    Then the classifier is w = 0 and its accuracy is undefined.
    """
    empty = (np.asarray(n) == 0) & (np.asarray(kept_synthetic) == 0)
    if np.any(empty):
        i = int(np.flatnonzero(np.ravel(empty))[0])
        pick = [np.ravel(np.broadcast_to(v, np.shape(empty)))[i] for v in (eps, rho, phi)]
        raise ValueError(
            "no training data: n=0 and no synthetic sample is kept (alpha * m = 0 at "
            f"eps={pick[0]!r}, rho={pick[1]!r}, phi={pick[2]!r}); the classifier is w = 0 and its "
            "accuracy is undefined: expected n > 0 or alpha * m > 0")


def check_psd_eigh(C_hat, name: str, p: int, tol: float = 1e-10):
    """Eigendecomposition of a symmetric PSD matrix, validated on the way (one ``eigh``).

    Returns eigenvalues (clipped at 0, ascending) and eigenvectors.
    """
    arr = check_array(C_hat, name, ndim=2)
    if arr.shape != (p, p):
        raise ValueError(f"{name} has shape {arr.shape}: expected ({p}, {p}) to match mu")
    scale = max(1.0, float(np.max(np.abs(arr)))) if arr.size else 1.0
    if not np.allclose(arr, arr.T, atol=tol * scale, rtol=0):
        raise ValueError(f"{name} is not symmetric: expected a symmetric PSD matrix")
    eigvals, eigvecs = np.linalg.eigh((arr + arr.T) / 2)
    if eigvals.size and eigvals[0] < -tol * scale * p:
        raise ValueError(f"{name} is not positive semi-definite: smallest eigenvalue {eigvals[0]:.3g} < 0")
    return np.clip(eigvals, 0.0, None), eigvecs


def scalar_or_array(values, shape):
    """Reshape a flat result to the broadcast ``shape``; 0-d results become floats."""
    if values is None:
        return None
    arr = np.asarray(values, dtype=float).reshape(shape)
    return float(arr) if arr.ndim == 0 else arr


#: the largest count accepted (NumPy's int64 range, with room for sums of counts)
MAX_COUNT = 2 ** 62


def count(value, name, low=0):
    """An integer sample count (or dimension, or number of trials) in [``low``, 2**62]."""
    return check_integer(value, name, low=low, high=MAX_COUNT)


def check_mean_vectors(mu, mu_hat):
    """The real and synthetic class means: finite vectors of one dimension p >= 1."""
    mu = check_vector(check_no_bool(mu, "mu"), "mu")
    if mu.size == 0:
        raise ValueError("mu is empty: expected a vector of dimension p >= 1")
    mu_hat = check_vector(check_no_bool(mu_hat, "mu_hat"), "mu_hat", size=mu.size)
    return mu, mu_hat


def floating_point_guard(func):
    """Run ``func`` with NumPy's overflow/invalid warnings off: extreme inputs (p = 1e308, γ = 1e-308)
    overflow inside, and the function then refuses the non-finite result with a ValueError
    (:func:`check_finite_output`) instead of warning and returning inf."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            return func(*args, **kwargs)

    return wrapper


def check_finite_output(values, what):
    """Raise if ``values`` (float or array) has a NaN or infinite entry: the inputs were beyond floating-point range."""
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{what} is not finite: the parameters are beyond floating-point range (a size, "
                         "norm or gamma too extreme); expected moderate values")
    return values

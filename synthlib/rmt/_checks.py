"""Validation shared by the Part II theory and simulation functions.

Thin wrappers over :mod:`synthlib._validation`: every message names the
parameter, its value and the allowed range.
"""
from __future__ import annotations

import numpy as np

from .._validation import check_array, check_integer, check_probability, check_scalar

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
]

#: the two formula sets of the library: the derived ones and the official code's
CONVENTIONS = ("corrected", "paper_code")


def check_convention(convention) -> str:
    """Return ``convention`` if it is ``"corrected"`` or ``"paper_code"``, else raise."""
    if not isinstance(convention, str) or convention not in CONVENTIONS:
        raise ValueError(f"convention={convention!r} is invalid: expected 'corrected' (the derived "
                         "formulas) or 'paper_code' (the official code's formulas)")
    return convention


def probability(value, name):
    """A probability (or array of them) in [0, 1]."""
    return check_probability(value, name, allow_array=True)


def positive(value, name):
    """A finite number (or array) > 0."""
    return check_scalar(value, name, low=0, low_inclusive=False, allow_array=True)


def nonnegative(value, name):
    """A finite number (or array) >= 0."""
    return check_scalar(value, name, low=0, allow_array=True)


def sample_size_or_infinity(value, name):
    """A sample size > 0 that may be ``numpy.inf`` (the limit of a perfect estimate)."""
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
    """Broadcast named scalar/array parameters together; the error names them all."""
    converted = []
    for name, value in named.items():
        try:
            converted.append(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            raise ValueError(f"{name}={value!r} is invalid: expected real numbers") from None
    try:
        arrays = np.broadcast_arrays(*converted)
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in named.items() if np.ndim(v))
        raise ValueError(f"parameters with shapes {shapes} cannot be broadcast together: "
                         "expected scalars or arrays of broadcastable shapes") from None
    shape = arrays[0].shape if arrays else ()
    return shape, {k: np.ascontiguousarray(a).ravel() for k, a in zip(named, arrays)}


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


def count(value, name, low=0):
    """An integer sample count >= ``low``."""
    return check_integer(value, name, low=low)

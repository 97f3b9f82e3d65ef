"""Input validation with messages that name the parameter, its value and the allowed range.

Every public function of synthlib validates through these helpers, so a
reader who passes ``eps=1.2`` reads ``eps=1.2 is out of range: expected
0 <= eps <= 1`` instead of a NaN three calls later.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "check_scalar",
    "check_probability",
    "check_integer",
    "check_array",
    "check_vector",
    "check_psd_matrix",
    "ConvergenceError",
]


class ConvergenceError(RuntimeError):
    """A fixed-point or root solver stopped before reaching its tolerance.

    Attributes
    ----------
    residual : float
        The last residual the solver measured.
    iterations : int
        How many iterations it ran.
    """

    def __init__(self, message: str, residual: float, iterations: int):
        super().__init__(f"{message} (last residual {residual:.3e} after {iterations} iterations)")
        self.residual = float(residual)
        self.iterations = int(iterations)


def _fmt(value) -> str:
    return f"{value!r}" if not isinstance(value, np.ndarray) else f"array(shape={value.shape})"


def check_scalar(value, name: str, *, low=None, high=None, low_inclusive=True,
                 high_inclusive=True, allow_array=False):
    """Check that ``value`` is a finite real number (or array of them) in a range.

    Parameters
    ----------
    value : float or array_like
    name : str
        The parameter's name, quoted in the error message.
    low, high : float or None
        Bounds of the allowed range; ``None`` means unbounded.
    low_inclusive, high_inclusive : bool
        Whether the bounds belong to the range.
    allow_array : bool
        Accept an array (every entry checked) and return it as ``float`` array.

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        Naming ``name``, the offending value and the allowed range.

    Examples
    --------
    >>> from synthlib._validation import check_scalar
    >>> check_scalar(0.5, "gamma", low=0, low_inclusive=False)
    0.5
    >>> check_scalar(-1.0, "gamma", low=0, low_inclusive=False)
    Traceback (most recent call last):
    ...
    ValueError: gamma=-1.0 is out of range: expected gamma > 0
    """
    rng_text = _range_text(name, low, high, low_inclusive, high_inclusive)
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value!r} is invalid: expected a real number ({rng_text})")
    if allow_array:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name}={_fmt(value)} is invalid: expected real numbers ({rng_text})") from None
        bad = ~np.isfinite(arr)
        if low is not None:
            bad |= (arr < low) if low_inclusive else (arr <= low)
        if high is not None:
            bad |= (arr > high) if high_inclusive else (arr >= high)
        if np.any(bad):
            first = float(arr[bad].flat[0]) if arr.ndim else float(arr)
            raise ValueError(f"{name} contains {first!r}, out of range: expected {rng_text}")
        return arr if arr.ndim else float(arr)
    if not isinstance(value, numbers.Real):
        raise ValueError(f"{name}={_fmt(value)} is invalid: expected a real number ({rng_text})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name}={value!r} is invalid: expected a finite number ({rng_text})")
    if low is not None and (value < low if low_inclusive else value <= low):
        raise ValueError(f"{name}={value!r} is out of range: expected {rng_text}")
    if high is not None and (value > high if high_inclusive else value >= high):
        raise ValueError(f"{name}={value!r} is out of range: expected {rng_text}")
    return value


def _range_text(name, low, high, low_inclusive, high_inclusive) -> str:
    lo = "<=" if low_inclusive else "<"
    hi = "<=" if high_inclusive else "<"
    if low is not None and high is not None:
        return f"{low} {lo} {name} {hi} {high}"
    if low is not None:
        return f"{name} {'>=' if low_inclusive else '>'} {low}"
    if high is not None:
        return f"{name} {'<=' if high_inclusive else '<'} {high}"
    return f"{name} finite"


def check_probability(value, name: str, *, allow_array=False):
    """Check that ``value`` lies in [0, 1].

    Examples
    --------
    >>> from synthlib._validation import check_probability
    >>> check_probability(1.2, "eps")
    Traceback (most recent call last):
    ...
    ValueError: eps=1.2 is out of range: expected 0 <= eps <= 1
    """
    return check_scalar(value, name, low=0, high=1, allow_array=allow_array)


def check_integer(value, name: str, *, low=None, high=None) -> int:
    """Check that ``value`` is an integer in ``[low, high]``.

    Examples
    --------
    >>> from synthlib._validation import check_integer
    >>> check_integer(3, "trials", low=1)
    3
    >>> check_integer(0, "trials", low=1)
    Traceback (most recent call last):
    ...
    ValueError: trials=0 is out of range: expected trials >= 1
    """
    rng_text = _range_text(name, low, high, True, True)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name}={_fmt(value)} is invalid: expected an integer ({rng_text})")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name}={value!r} is out of range: expected {rng_text}")
    return value


def check_array(value, name: str, *, ndim=None, shape=None, finite=True) -> np.ndarray:
    """Convert to a float array and check its dimension, shape and finiteness.

    ``shape`` may contain ``None`` for a free axis.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib._validation import check_array
    >>> check_array([[1.0, np.nan]], "X")
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN or infinite values: expected finite numbers
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is invalid: expected an array of real numbers") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} has {arr.ndim} dimension(s) (shape {arr.shape}): expected {ndim}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            want = tuple("any" if s is None else s for s in shape)
            raise ValueError(f"{name} has shape {arr.shape}: expected shape {want}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values: expected finite numbers")
    return arr


def check_vector(value, name: str, *, size=None) -> np.ndarray:
    """A finite 1-d float array, optionally of a given length."""
    return check_array(value, name, ndim=1, shape=None if size is None else (size,))


def check_psd_matrix(value, name: str, *, size=None, tol=1e-10, return_eigvals=False):
    """Check a symmetric positive semi-definite matrix.

    Returns the matrix (and its eigenvalues, ascending, if ``return_eigvals``).

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib._validation import check_psd_matrix
    >>> check_psd_matrix(np.diag([1.0, -1.0]), "C_hat")
    Traceback (most recent call last):
    ...
    ValueError: C_hat is not positive semi-definite: smallest eigenvalue -1 < 0
    """
    arr = check_array(value, name, ndim=2)
    if arr.shape[0] != arr.shape[1]:
        raise ValueError(f"{name} has shape {arr.shape}: expected a square matrix")
    if size is not None and arr.shape[0] != size:
        raise ValueError(f"{name} has shape {arr.shape}: expected ({size}, {size}) to match the other inputs")
    scale = max(1.0, float(np.max(np.abs(arr)))) if arr.size else 1.0
    if not np.allclose(arr, arr.T, atol=tol * scale, rtol=0):
        raise ValueError(f"{name} is not symmetric: expected a symmetric PSD matrix")
    eig = np.linalg.eigvalsh(arr)
    if eig.size and eig[0] < -tol * scale * arr.shape[0]:
        raise ValueError(f"{name} is not positive semi-definite: smallest eigenvalue {eig[0]:.3g} < 0")
    if return_eigvals:
        return arr, np.clip(eig, 0.0, None)
    return arr

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
    "check_eigenvalues",
    "check_choice",
    "check_bool",
    "check_count_vector",
    "check_n_jobs",
    "check_string",
    "check_axes",
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
                 high_inclusive=True, allow_array=False, allow_empty=False):
    """Check that ``value`` is a finite real number (or array of them) in a range.

    Booleans, strings and complex numbers are refused (``True`` is not a
    number of anything); a 0-d array counts as a scalar.

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
    allow_empty : bool
        With ``allow_array``: accept an array with no entries (refused by
        default: an empty grid has nothing to compute).

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
    >>> check_scalar(True, "gamma")
    Traceback (most recent call last):
    ...
    ValueError: gamma=True is invalid: expected a real number, not a bool (gamma finite)
    """
    rng_text = _range_text(name, low, high, low_inclusive, high_inclusive)
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value!r} is invalid: expected a real number, not a bool ({rng_text})")
    if allow_array:
        arr = _real_array(value, name, f"real numbers ({rng_text})")
        if arr.size == 0 and not allow_empty:
            raise ValueError(f"{name} is empty: expected at least one value ({rng_text})")
        bad = ~np.isfinite(arr)
        if low is not None:
            bad |= (arr < low) if low_inclusive else (arr <= low)
        if high is not None:
            bad |= (arr > high) if high_inclusive else (arr >= high)
        if np.any(bad):
            first = float(arr[bad].flat[0]) if arr.ndim else float(arr)
            raise ValueError(f"{name} contains {first!r}, out of range: expected {rng_text}")
        return arr if arr.ndim else float(arr)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
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


def _real_array(value, name: str, expected: str) -> np.ndarray:
    """``value`` as a float array; strings, bools, complex and non-numeric objects refused.

    ``np.asarray(["1.5"], dtype=float)`` would parse the string and
    ``np.asarray([True], dtype=float)`` would count a flag as 1.0; neither is a
    number the caller meant, so both are errors here.
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):   # ragged nested sequences
        raise ValueError(f"{name} is invalid: expected {expected} in a rectangular array") from None
    kind = raw.dtype.kind
    if kind == "O":
        if not all(isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_)) for v in raw.flat):
            raise ValueError(f"{name} is invalid: expected {expected}, got an object array "
                             "holding non-numbers")
    elif kind not in "iuf":
        what = {"b": "booleans", "U": "strings", "S": "bytes", "c": "complex numbers"}.get(kind, f"dtype {raw.dtype}")
        raise ValueError(f"{name} is invalid: expected {expected}, got {what}")
    return raw.astype(float)


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

    A float with an integral value (``3.0``, as from ``n / 2`` or ``np.rint``)
    is accepted and converted; ``2.5``, NaN, infinities, strings and bools are
    refused (``True`` is not a count).

    Examples
    --------
    >>> from synthlib._validation import check_integer
    >>> check_integer(3, "trials", low=1), check_integer(3.0, "trials", low=1)
    (3, 3)
    >>> check_integer(0, "trials", low=1)
    Traceback (most recent call last):
    ...
    ValueError: trials=0 is out of range: expected trials >= 1
    >>> check_integer(2.5, "trials", low=1)
    Traceback (most recent call last):
    ...
    ValueError: trials=2.5 is invalid: expected an integer (trials >= 1)
    >>> check_integer(True, "trials", low=1)
    Traceback (most recent call last):
    ...
    ValueError: trials=True is invalid: expected an integer, not a bool (trials >= 1)
    """
    rng_text = _range_text(name, low, high, True, True)
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={value!r} is invalid: expected an integer, not a bool ({rng_text})")
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name}={_fmt(value)} is invalid: expected an integer ({rng_text})")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name}={value!r} is out of range: expected {rng_text}")
    return value


def check_array(value, name: str, *, ndim=None, shape=None, finite=True, allow_empty=False) -> np.ndarray:
    """Convert to a float array and check its dimension, shape, emptiness and finiteness.

    ``shape`` may contain ``None`` for a free axis. Strings, complex numbers
    and objects that are not numbers are refused (booleans are accepted as
    0/1 data). An array with no entries is refused unless ``allow_empty``:
    a mean over no rows is NaN, never a result.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib._validation import check_array
    >>> check_array([[1.0, np.nan]], "X")
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN or infinite values: expected finite numbers
    >>> check_array(np.zeros((0, 3)), "X")
    Traceback (most recent call last):
    ...
    ValueError: X is empty (shape (0, 3)): expected at least one entry
    """
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is invalid: expected a rectangular array of real numbers") from None
    if raw.dtype.kind == "b":
        raw = raw.astype(float)
    arr = _real_array(raw, name, "an array of real numbers")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} has {arr.ndim} dimension(s) (shape {arr.shape}): expected {ndim}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape, strict=True)):
            want = tuple("any" if s is None else s for s in shape)
            raise ValueError(f"{name} has shape {arr.shape}: expected shape {want}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {arr.shape}): expected at least one entry")
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


def check_eigenvalues(value, name: str, *, tol=1e-10) -> np.ndarray:
    """Check the eigenvalues of a symmetric PSD matrix; round-off negatives become 0.

    ``numpy.linalg.eigvalsh`` of a singular PSD matrix returns its zero
    eigenvalues as tiny numbers of either sign (``-9e-16``); they are
    accepted when above ``-tol * max(1, max|eigvals|) * len(eigvals)``, the
    tolerance :func:`check_psd_matrix` applies to the matrix itself, and
    clipped to 0. Returns a float array of the same order.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib._validation import check_eigenvalues
    >>> check_eigenvalues([-9e-16, 1.0, 2.0], "eigvals").tolist()
    [0.0, 1.0, 2.0]
    >>> check_eigenvalues([-0.5, 1.0], "eigvals")
    Traceback (most recent call last):
    ...
    ValueError: eigvals contains -0.5 < 0: expected the eigenvalues of a PSD matrix (>= 0 up to round-off)
    """
    eig = check_vector(value, name)
    scale = max(1.0, float(np.max(np.abs(eig))))
    low = float(np.min(eig))
    if low < -tol * scale * eig.size:
        raise ValueError(f"{name} contains {low!r} < 0: expected the eigenvalues of a PSD matrix "
                         "(>= 0 up to round-off)")
    return np.clip(eig, 0.0, None)


def check_choice(value, name: str, options):
    """Check that ``value`` is one of ``options`` (compared with ``==``, strings case-sensitive).

    Examples
    --------
    >>> from synthlib._validation import check_choice
    >>> check_choice("log_loss", "loss", ("log_loss", "squared"))
    'log_loss'
    >>> check_choice("hinge", "loss", ("log_loss", "squared"))
    Traceback (most recent call last):
    ...
    ValueError: loss='hinge' is invalid: expected one of 'log_loss', 'squared'
    """
    options = tuple(options)
    if not isinstance(value, (str, type(None))) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name}={_fmt(value)} is invalid: expected one of {listed}")
    return value


def check_bool(value, name: str) -> bool:
    """Check a flag: ``True``/``False`` (or a NumPy bool); ``"no"``, ``0.0`` or ``None`` are refused.

    Examples
    --------
    >>> from synthlib._validation import check_bool
    >>> check_bool(False, "fit_intercept")
    False
    >>> check_bool("no", "fit_intercept")
    Traceback (most recent call last):
    ...
    ValueError: fit_intercept='no' is invalid: expected True or False
    """
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name}={_fmt(value)} is invalid: expected True or False")
    return bool(value)


def check_count_vector(value, name: str, *, low=0, high=None) -> np.ndarray:
    """Check a non-empty 1-d sequence of integers in ``[low, high]`` (sizes, counts).

    Integral floats (``3.0``) are accepted as integers; ``2.5``, NaN, infinities,
    booleans (``True`` is not a count), strings and nested (2-d) sequences are
    refused. Returns an ``int`` array.

    Examples
    --------
    >>> from synthlib._validation import check_count_vector
    >>> check_count_vector([0, 4.0, 8], "sizes").tolist()
    [0, 4, 8]
    >>> check_count_vector([1, 1.5], "sizes")
    Traceback (most recent call last):
    ...
    ValueError: sizes contains 1.5: expected integers (sizes >= 0)
    >>> check_count_vector(3, "sizes")
    Traceback (most recent call last):
    ...
    ValueError: sizes=3 is invalid: expected a non-empty 1-d sequence of integers (sizes >= 0)
    """
    rng_text = _range_text(name, low, high, True, True)
    expected = f"a non-empty 1-d sequence of integers ({rng_text})"
    if isinstance(value, (str, bytes, bool, np.bool_, numbers.Number)):
        raise ValueError(f"{name}={_fmt(value)} is invalid: expected {expected}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):   # ragged nested sequences
        raise ValueError(f"{name} is invalid: expected {expected}") from None
    if raw.ndim != 1 or raw.size == 0:
        raise ValueError(f"{name}={_fmt(value)} is invalid: expected {expected}")
    if raw.dtype.kind == "b" or (raw.dtype.kind == "O" and any(isinstance(v, (bool, np.bool_)) for v in raw)):
        raise ValueError(f"{name}={_fmt(value)} is invalid: expected integers, not booleans ({rng_text})")
    arr = _real_array(raw, name, f"integers ({rng_text})")
    integral = np.isfinite(arr) & (arr == np.round(arr))
    if not np.all(integral):
        raise ValueError(f"{name} contains {float(arr[~integral][0])!r}: expected integers ({rng_text})")
    out_of_range = np.zeros(arr.shape, dtype=bool)
    if low is not None:
        out_of_range |= arr < low
    if high is not None:
        out_of_range |= arr > high
    if np.any(out_of_range):
        raise ValueError(f"{name} contains {int(arr[out_of_range][0])!r}, out of range: expected {rng_text}")
    return arr.astype(np.int64)


def check_n_jobs(value, name: str = "n_jobs"):
    """Check joblib's ``n_jobs``: ``None`` or a non-zero integer (``-1``: every core).

    Examples
    --------
    >>> from synthlib._validation import check_n_jobs
    >>> check_n_jobs(None), check_n_jobs(-1), check_n_jobs(2)
    (None, -1, 2)
    >>> check_n_jobs(2.5)
    Traceback (most recent call last):
    ...
    ValueError: n_jobs=2.5 is invalid: expected an integer (n_jobs finite)
    >>> check_n_jobs(0)
    Traceback (most recent call last):
    ...
    ValueError: n_jobs=0 is invalid: expected None or a non-zero integer (-1: every core)
    """
    if value is None:
        return None
    value = check_integer(value, name)
    if value == 0:
        raise ValueError(f"{name}=0 is invalid: expected None or a non-zero integer (-1: every core)")
    return value


def check_string(value, name: str, *, none_ok=False):
    """Check a text argument: a ``str`` (or ``None`` when ``none_ok``).

    Examples
    --------
    >>> from synthlib._validation import check_string
    >>> check_string("n=10", "caption")
    'n=10'
    >>> check_string(3, "caption")
    Traceback (most recent call last):
    ...
    ValueError: caption=3 is invalid: expected a string
    """
    if value is None and none_ok:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}={_fmt(value)} is invalid: expected a string{' or None' if none_ok else ''}")
    return value


def check_axes(ax, name: str = "ax"):
    """Check a matplotlib ``Axes`` (matplotlib is imported here, on use).

    Examples
    --------
    >>> from synthlib._validation import check_axes
    >>> check_axes("ax")
    Traceback (most recent call last):
    ...
    ValueError: ax='ax' is invalid: expected a matplotlib Axes
    """
    from matplotlib.axes import Axes  # imported on use: `import synthlib` stays light

    if not isinstance(ax, Axes):
        raise ValueError(f"{name}={_fmt(ax)} is invalid: expected a matplotlib Axes")
    return ax

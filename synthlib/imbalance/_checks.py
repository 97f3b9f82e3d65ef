"""Shared input checks of Part III: feature matrices, generator inputs, class labels, the minority label.

Every message names the parameter (``name``), what it holds and what is expected, as the
checks of :mod:`synthlib._validation` do. These helpers only check; on valid input they
return the values the callers computed with before (no change of dtype for labels, the
float array of :func:`synthlib._validation.check_array` for features).

Signatures are stable (``synthlib.imbalance.examples`` imports them):

* :func:`check_feature_matrix` ``(X, name="X", *, min_rows=1, n_features=None, who=None)``
* :func:`check_generator_inputs` ``(X_minority, X_majority=None, *, min_rows=1, who="generator")``
* :func:`check_minority_class` ``(minority_class, name="minority_class", *, allow_none=True)``
* :func:`check_labels` ``(y, name="y", *, n_samples=None, against="X")``
* :func:`check_binary_labels` ``(y, minority_class=None, name="y", *, n_samples=None, against="X",
  minority_name="minority_class")``
* :func:`check_sample_weight` ``(sample_weight, n_samples, name="sample_weight", *, against="X")``
"""
from __future__ import annotations

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from .._validation import check_array, check_scalar

__all__: list[str] = []


def _fmt(value) -> str:
    if isinstance(value, np.ndarray):
        return f"array(shape={value.shape}, dtype={value.dtype})"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# --------------------------------------------------------------------------- features
def check_feature_matrix(X, name="X", *, min_rows=1, n_features=None, who=None):
    """A finite, non-empty 2-d float array of real numbers (strings, objects, complex refused).

    Parameters
    ----------
    X : array_like of shape (n, d)
    name : str
        The parameter's name, quoted in the messages.
    min_rows : int, default 1
        Fewest rows the caller needs.
    n_features : int or None
        Required number of columns (e.g. that of another input).
    who : str or None
        Who needs ``min_rows`` rows, for the message (``"SMOTE (a neighbour)"``).

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance._checks import check_feature_matrix
    >>> check_feature_matrix(np.ones((3, 2)), "X_minority").shape
    (3, 2)
    >>> check_feature_matrix(np.ones((3, 2, 1)), "X_minority")
    Traceback (most recent call last):
    ...
    ValueError: X_minority has 3 dimension(s) (shape (3, 2, 1)): expected 2
    """
    X = check_array(X, name, ndim=2)
    if X.shape[0] < min_rows:
        raise ValueError(f"{name} has {X.shape[0]} row(s): {who or 'this call'} needs at least {min_rows}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name} has {X.shape[1]} column(s): expected {n_features}, as many as the "
                         "other feature matrix")
    return X


def check_generator_inputs(X_minority, X_majority=None, *, min_rows=1, who="generator"):
    """The two feature matrices of a generator's ``sample``: ``(X_minority, X_majority or None)``.

    ``X_minority`` is checked by :func:`check_feature_matrix` (with ``min_rows``); ``X_majority``,
    when given, too (at least one row) and must have the columns of ``X_minority``. A
    generator that ignores ``X_majority`` still validates it, so a bad array never passes
    silently.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance._checks import check_generator_inputs
    >>> X1, X0 = check_generator_inputs(np.ones((3, 2)), np.zeros((5, 2)))
    >>> X1.shape, X0.shape
    ((3, 2), (5, 2))
    >>> check_generator_inputs(np.ones((3, 2)), np.zeros((5, 3)))
    Traceback (most recent call last):
    ...
    ValueError: X_majority has 3 column(s): expected 2, the columns of X_minority
    """
    X1 = check_feature_matrix(X_minority, "X_minority", min_rows=min_rows, who=who)
    if X_majority is None:
        return X1, None
    X0 = check_array(X_majority, "X_majority", ndim=2)
    if X0.shape[1] != X1.shape[1]:
        raise ValueError(f"X_majority has {X0.shape[1]} column(s): expected {X1.shape[1]}, the columns "
                         "of X_minority")
    return X1, X0


# --------------------------------------------------------------------------- labels
def check_minority_class(minority_class, name="minority_class", *, allow_none=True):
    """A single class label: a number, a bool or a string (``None`` if ``allow_none``).

    Lists, tuples and arrays are refused (``y == [1]`` would compare elementwise), and so
    is NaN (it equals no label). A 0-d array counts as its scalar.

    Examples
    --------
    >>> from synthlib.imbalance._checks import check_minority_class
    >>> check_minority_class("sick")
    'sick'
    >>> check_minority_class([1])
    Traceback (most recent call last):
    ...
    ValueError: minority_class=[1] is invalid: expected a single class label (a number or a string) or None
    """
    expected = "a single class label (a number or a string)" + (" or None" if allow_none else "")
    if minority_class is None:
        if allow_none:
            return None
        raise ValueError(f"{name}=None is invalid: expected {expected}")
    value = minority_class
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (str, bytes, bool, np.bool_)):
        return value
    if isinstance(value, numbers.Real):
        if not np.isfinite(float(value)):
            raise ValueError(f"{name}={value!r} is invalid: expected {expected}; {value!r} equals no label")
        return value
    raise ValueError(f"{name}={_fmt(minority_class)} is invalid: expected {expected}")


def _looks_numeric(text) -> bool:
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def check_labels(y, name="y", *, n_samples=None, against="X"):
    """A non-empty 1-d array of class labels: finite numbers (or bools) or strings, not a mix.

    NaN and infinite labels, complex numbers, ``None`` and other objects inside ``y``, and a
    mix of strings and numbers are refused. Labels that are numbers written as strings
    (``"0"``, ``"1.0"``) are used as written, with a ``UserWarning`` naming ``name``: they
    usually come from a file read as text. The array is returned as given (no dtype change).

    Parameters
    ----------
    y : array_like of shape (n,)
    name : str
    n_samples : int or None
        Required length (one label per row of ``against``).
    against : str
        Name of the input whose length ``y`` must match, for the message.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance._checks import check_labels
    >>> check_labels(["a", "b", "a"]).tolist()
    ['a', 'b', 'a']
    >>> check_labels([0.0, np.nan, 1.0])
    Traceback (most recent call last):
    ...
    ValueError: y contains NaN or infinite labels: expected finite numbers or strings
    """
    if y is None:
        raise ValueError(f"{name} is None: expected an array of class labels")
    try:
        arr = np.asarray(y)
    except (TypeError, ValueError):   # ragged nested sequences
        raise ValueError(f"{name} is invalid: expected a 1-d array of class labels") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} has shape {arr.shape}: expected a 1-d array of class labels")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: expected at least one label")
    if n_samples is not None and arr.shape[0] != n_samples:
        raise ValueError(f"{name} has {arr.shape[0]} label(s) but {against} has {n_samples} row(s): "
                         f"expected one label per row of {against}")
    kind = arr.dtype.kind
    strings = False
    if kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains NaN or infinite labels: expected finite numbers or strings")
    elif kind in "US":
        strings = True
    elif kind == "O":
        is_str = [isinstance(v, (str, bytes)) for v in arr]
        if all(is_str):
            strings = True
        else:
            is_num = [isinstance(v, (numbers.Real, np.bool_)) for v in arr]
            if any(is_str) and all(s or n for s, n in zip(is_str, is_num, strict=True)):
                raise ValueError(f"{name} mixes strings and numbers as labels: expected labels of one type")
            if not all(is_num):
                bad = next(v for v, n in zip(arr, is_num, strict=True) if not n)
                raise ValueError(f"{name} contains {_fmt(bad)}: expected class labels (numbers or strings)")
            if not all(np.isfinite(float(v)) for v in arr):
                raise ValueError(f"{name} contains NaN or infinite labels: expected finite numbers or strings")
    elif kind not in "biu":
        what = {"c": "complex numbers"}.get(kind, f"dtype {arr.dtype}")
        raise ValueError(f"{name} is invalid: expected class labels (numbers or strings), got {what}")
    if strings:
        uniq = np.unique(arr)
        if all(_looks_numeric(v) for v in uniq):
            shown = ", ".join(repr(str(v)) for v in uniq[:4]) + (", ..." if uniq.size > 4 else "")
            warnings.warn(f"{name} holds numbers written as strings ({shown}): they are used as class "
                          f"labels as written; convert {name} to numbers if they are numbers",
                          UserWarning, stacklevel=3)
    return arr


class BinaryLabels(NamedTuple):
    """Result of :func:`check_binary_labels`.

    Attributes
    ----------
    y : numpy.ndarray
        The labels, as given (1-d).
    classes : numpy.ndarray
        The two labels, sorted.
    counts : numpy.ndarray
        Their counts.
    minority_class : label
        The minority label (the one given, or the less frequent class).
    is_minority : numpy.ndarray of bool
        ``y == minority_class``.
    """

    y: np.ndarray
    classes: np.ndarray
    counts: np.ndarray
    minority_class: object
    is_minority: np.ndarray


def check_binary_labels(y, minority_class=None, name="y", *, n_samples=None, against="X",
                        minority_name="minority_class"):
    """Labels of a binary problem and its minority label.

    ``y`` is checked by :func:`check_labels` and must hold exactly two labels;
    ``minority_class`` by :func:`check_minority_class` and must be one of them.
    ``None`` takes the less frequent class (the first of the two on a tie).

    Returns
    -------
    BinaryLabels
        ``(y, classes, counts, minority_class, is_minority)``.

    Examples
    --------
    >>> from synthlib.imbalance._checks import check_binary_labels
    >>> lab = check_binary_labels(["b", "a", "b"])
    >>> str(lab.minority_class), lab.is_minority.tolist()
    ('a', [False, True, False])
    >>> check_binary_labels([0, 1, 2])
    Traceback (most recent call last):
    ...
    ValueError: y has 3 classes [0, 1, 2]: expected exactly two (a binary problem)
    >>> check_binary_labels([0, 1, 1], minority_class=7)
    Traceback (most recent call last):
    ...
    ValueError: minority_class=7 is not a label of y (labels: [0, 1])
    """
    arr = check_labels(y, name, n_samples=n_samples, against=against)
    minority_class = check_minority_class(minority_class, minority_name)
    classes, counts = np.unique(arr, return_counts=True)
    if classes.size == 1:
        which = "" if minority_class is None else f" {minority_class!r}"
        raise ValueError(f"{name} has one class only ({classes.tolist()}): expected exactly two, both the "
                         f"minority class{which} and another label (a binary problem)")
    if classes.size != 2:
        shown = classes[:10].tolist()
        raise ValueError(f"{name} has {classes.size} class{'es' if classes.size != 1 else ''} {shown}"
                         f"{' ...' if classes.size > 10 else ''}: expected exactly two (a binary problem)")
    if minority_class is None:
        minority_class = classes[int(np.argmin(counts))]
    elif not np.any(classes == minority_class):
        raise ValueError(f"{minority_name}={minority_class!r} is not a label of {name} "
                         f"(labels: {classes.tolist()})")
    return BinaryLabels(arr, classes, counts, minority_class, arr == minority_class)


# --------------------------------------------------------------------------- weights
def check_sample_weight(sample_weight, n_samples, name="sample_weight", *, against="X"):
    """``None``, or finite weights >= 0, one per row; a single number is used for every row.

    Returns ``None`` or a float array of shape ``(n_samples,)``.

    Examples
    --------
    >>> from synthlib.imbalance._checks import check_sample_weight
    >>> check_sample_weight(2.0, 3).tolist()
    [2.0, 2.0, 2.0]
    >>> check_sample_weight([1.0, -1.0], 2)
    Traceback (most recent call last):
    ...
    ValueError: sample_weight contains -1.0 < 0: expected weights >= 0
    """
    if sample_weight is None:
        return None
    try:
        raw = np.asarray(sample_weight)
    except (TypeError, ValueError):   # ragged nested sequences
        raise ValueError(f"{name} is invalid: expected a 1-d array of weights >= 0") from None
    if raw.ndim == 0:
        return np.full(n_samples, check_scalar(raw, name, low=0))
    w = check_array(raw, name, ndim=1, allow_empty=True)
    if w.shape[0] != n_samples:
        raise ValueError(f"{name} has {w.shape[0]} weight(s) but {against} has {n_samples} row(s): "
                         f"expected one weight per row of {against}")
    if np.any(w < 0):
        raise ValueError(f"{name} contains {float(w[w < 0][0])!r} < 0: expected weights >= 0")
    return w

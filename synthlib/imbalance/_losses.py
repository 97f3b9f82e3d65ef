"""Balanced losses and the synthetic size of a multiplier (the solvers live in ``_numerics``).

The book's convention (spec part III §1.1): class 0 is the majority, class 1
the minority, and every synthetic point carries the minority label. Inside
this module labels are already encoded as ``t = 1`` (minority) and ``t = 0``
(majority); the public functions take the user's labels and a
``minority_class``.
"""
from __future__ import annotations

import numpy as np

from .._deprecation import renamed_parameters
from .._validation import check_array, check_integer, check_probability, check_scalar
from ._checks import check_binary_labels

__all__ = [
    "balanced_log_loss",
    "balanced_squared_loss",
    "synthetic_size",
]

#: probabilities are clipped to [EPS, 1 - EPS] before taking logs, as sklearn does
_PROB_EPS = 1e-15


def _length(values):
    """Length of a 1-d array_like, else None (the checks that follow name the problem)."""
    try:
        return len(values) if np.ndim(values) == 1 else None
    except (TypeError, ValueError):
        return None


def _encode_minority(y_true, minority_class, pred, pred_name, name="y_true"):
    """``y_true == minority_class`` for binary labels ``y_true``, one per prediction.

    ``y_true`` must be a 1-d array of finite labels with exactly two classes (the
    balanced loss averages the two classes separately), as long as the predictions;
    ``minority_class`` a single label, one of the two.
    """
    n_true, n_p = _length(y_true), _length(pred)
    if n_true is not None and n_p is not None and n_true != n_p:
        raise ValueError(f"{name} has {n_true} label(s) but {pred_name} has {n_p} entries: expected "
                         f"one {pred_name} per label of {name}")
    return check_binary_labels(y_true, minority_class, name).is_minority


def _class_means(values, is_min, sample_weight):
    """(majority mean, minority mean) of ``values``; weighted within each class if weights are given."""
    if sample_weight is None:
        return np.mean(values[~is_min]), np.mean(values[is_min])
    w = check_array(sample_weight, "sample_weight", shape=(is_min.size,))
    if np.any(w < 0) or not (w[is_min].sum() > 0 and w[~is_min].sum() > 0):
        raise ValueError("sample_weight is invalid: expected weights >= 0 with a positive total in each class")
    return (np.average(values[~is_min], weights=w[~is_min]), np.average(values[is_min], weights=w[is_min]))


def balanced_log_loss(y_true, p_minority, *, minority_class=1, sample_weight=None):
    r"""Balanced log-loss: the two class means of the log-loss, weighted ½ each.

    .. math:: \tfrac12\,\overline{-\log(1-p)}_{y\ne 1}+\tfrac12\,\overline{-\log p}_{y=1},

    with :math:`p` the predicted probability of the minority class (spec
    part III §4.1). This is the empirical balanced risk :math:`R_{\rm bal}`
    of the logistic loss, the criterion VTSS minimises on real validation data.

    Parameters
    ----------
    y_true : array_like of shape (n,)
        True labels of two classes (finite numbers or strings); the label that is not
        ``minority_class`` is the majority.
    p_minority : array_like of shape (n,)
        Predicted probability of ``minority_class``, each in [0, 1] (a value outside is
        a ``ValueError``); clipped to ``[1e-15, 1 - 1e-15]`` before taking logs.
    minority_class : label, default 1
        A single label, one of the two in ``y_true``.
    sample_weight : array_like of shape (n,), optional
        Weights >= 0; each class mean becomes the weighted mean within that class.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For labels that are not binary, finite and one per prediction, a
        ``minority_class`` that is not one of them, and probabilities outside [0, 1].

    Examples
    --------
    >>> from synthlib.imbalance import balanced_log_loss
    >>> round(balanced_log_loss([0, 0, 0, 1], [0.5, 0.5, 0.5, 0.5]), 4)  # log 2
    0.6931
    """
    is_min = _encode_minority(y_true, minority_class, p_minority, "p_minority")
    return _balanced_log_loss(is_min, p_minority, sample_weight)


def _balanced_log_loss(is_min, p_minority, sample_weight=None):
    """:func:`balanced_log_loss` of labels already encoded as ``is_min`` (both classes present)."""
    p = check_array(p_minority, "p_minority", shape=(is_min.size,))
    p = np.clip(check_probability(p, "p_minority", allow_array=True), _PROB_EPS, 1 - _PROB_EPS)
    losses = np.where(is_min, -np.log(p), -np.log1p(-p))
    m0, m1 = _class_means(losses, is_min, sample_weight)
    return float(0.5 * m0 + 0.5 * m1)


def balanced_squared_loss(y_true, score, *, minority_class=1, sample_weight=None):
    r"""Balanced mean squared error against 0/1 targets (minority = 1).

    .. math:: \tfrac12\,\overline{f(x)^2}_{y\ne1}+\tfrac12\,\overline{(f(x)-1)^2}_{y=1}.

    This is the VTSS criterion for least-squares learners (spec §4.1, the
    "balanced MSE" of examples E1/E2).

    Examples
    --------
    >>> from synthlib.imbalance import balanced_squared_loss
    >>> balanced_squared_loss([0, 0, 1], [0.0, 1.0, 1.0])
    0.25
    """
    is_min = _encode_minority(y_true, minority_class, score, "score")
    return _balanced_squared_loss(is_min, score, sample_weight)


def _balanced_squared_loss(is_min, score, sample_weight=None):
    """:func:`balanced_squared_loss` of labels already encoded as ``is_min`` (both classes present)."""
    f = check_array(score, "score", shape=(is_min.size,))
    m0, m1 = _class_means(np.where(is_min, (f - 1.0) ** 2, f**2), is_min, sample_weight)
    return float(0.5 * m0 + 0.5 * m1)


#: the largest synthetic size synthetic_size returns (int64 with room to spare)
_MAX_SIZE = 2**62


@renamed_parameters({"gamma": "multiplier"})
def synthetic_size(multiplier, n0, n1):
    r"""Number of synthetic minority points for the multiplier ``multiplier``.

    :math:`\tilde n = \max(0, \mathrm{round}(\gamma (n_0 - n_1)))`, with
    :math:`\gamma` the multiplier (the Part III paper's γ), rounding halves up, so
    ``multiplier = 1`` is naive full balancing (spec §1.1). Works elementwise on an
    array of multipliers. ``n1 > n0`` (the "minority" is the larger class) gives 0.

    Parameters
    ----------
    multiplier : float >= 0 or array_like of them
        (Formerly ``gamma``, which still works with a ``FutureWarning``.)
    n0, n1 : int >= 1
        Majority and minority counts.

    Returns
    -------
    int, or numpy.ndarray of int64 for an array of multipliers

    Raises
    ------
    ValueError
        For a negative, NaN or infinite multiplier, non-integer or negative counts, or
        a size beyond :math:`2^{62}`.

    Examples
    --------
    >>> from synthlib.imbalance import synthetic_size
    >>> synthetic_size(1.0, 4000, 200)
    3800
    >>> synthetic_size([0.0, 0.5, 1.5], 30, 10).tolist()
    [0, 10, 30]
    """
    array_like = np.ndim(multiplier) > 0 or isinstance(multiplier, np.ndarray)
    g = np.asarray(check_scalar(multiplier, "multiplier", low=0, allow_array=array_like), dtype=float)
    gap = check_integer(n0, "n0", low=1) - check_integer(n1, "n1", low=1)
    raw = np.floor(g * max(gap, 0) + 0.5)
    if raw.size and float(raw.max()) > _MAX_SIZE:
        raise ValueError(f"multiplier={float(g.max())!r} gives {float(raw.max()):.3g} synthetic points "
                         f"(n0 - n1 = {gap}): expected at most 2**62")
    sizes = raw.astype(np.int64)
    return int(sizes) if sizes.ndim == 0 else sizes

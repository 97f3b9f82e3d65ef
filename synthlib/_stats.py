"""Monte-Carlo summaries used by every simulation in the book."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_array, check_integer

__all__ = ["MonteCarloSummary", "summarize"]

#: two-sided 95 % normal quantile; bands are mean ± Z95 · standard error
Z95 = 1.959963984540054


@dataclass(frozen=True)
class MonteCarloSummary:
    """Mean, standard error and 95 % band of Monte-Carlo draws along one axis.

    The one Monte-Carlo result type of the library: every simulation reports each
    quantity it estimates as a ``MonteCarloSummary`` (the result objects of the Parts
    hand them out through their ``summary(name)`` method).

    Attributes
    ----------
    mean, se : numpy.ndarray
        Sample mean and its standard error ``std(ddof=1) / sqrt(trials)``.
    trials : int
        Number of independent draws.
    draws : numpy.ndarray or None
        The draws themselves (trial axis first), when kept.
    """

    mean: np.ndarray
    se: np.ndarray
    trials: int
    draws: np.ndarray | None = None

    @property
    def band(self) -> tuple:
        """The 95 % band ``(lower, upper)`` = mean ∓ 1.96 · se."""
        return self.lower, self.upper

    @property
    def lower(self) -> np.ndarray:
        """Lower end of the 95 % band."""
        return self.mean - Z95 * self.se

    @property
    def upper(self) -> np.ndarray:
        """Upper end of the 95 % band."""
        return self.mean + Z95 * self.se


def summarize(draws, axis: int = 0) -> MonteCarloSummary:
    """Summarise independent Monte-Carlo draws along ``axis``.

    Parameters
    ----------
    draws : array_like
        At least two draws along ``axis``, all finite (a NaN draw is a failed
        trial to be dealt with before summarising, not a number to average).
    axis : int
        The trial axis, ``-draws.ndim <= axis < draws.ndim``.

    Raises
    ------
    ValueError
        If ``draws`` is empty, holds NaN or infinities, has fewer than two
        draws along ``axis``, or ``axis`` is out of range.

    Examples
    --------
    >>> from synthlib import summarize
    >>> s = summarize([0.70, 0.72, 0.74])
    >>> round(float(s.mean), 3), round(float(s.se), 4)
    (0.72, 0.0115)
    >>> bool(s.lower < 0.72 < s.upper)
    True
    >>> lower, upper = s.band
    >>> round(float(upper - lower), 4)   # 2 × 1.96 × se
    0.0453
    """
    arr = check_array(draws, "draws")
    if arr.ndim == 0:
        raise ValueError("draws is a single number: expected at least 2 draws along the trial axis")
    axis = check_integer(axis, "axis", low=-arr.ndim, high=arr.ndim - 1)
    if arr.shape[axis] < 2:
        raise ValueError(f"draws has {arr.shape[axis]} trial(s) along axis {axis}: "
                         "expected at least 2 to estimate a standard error")
    trials = arr.shape[axis]
    mean = arr.mean(axis=axis)
    se = arr.std(axis=axis, ddof=1) / np.sqrt(trials)
    return MonteCarloSummary(mean=mean, se=se, trials=int(trials), draws=np.moveaxis(arr, axis, 0))

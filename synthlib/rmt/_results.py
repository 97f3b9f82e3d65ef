"""Result objects of the Part II theory and simulation functions."""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = ["Deltas", "TheoryResult", "SimulationResult"]


@dataclass(frozen=True)
class Deltas:
    r"""The trace parameters of a deterministic equivalent.

    Attributes
    ----------
    delta_r : float or ndarray or None
        δ_r = (1/N) tr Q̄: the self-interaction of a real sample.
        ``None`` for synthetic-only training (there is no real sample).
    delta_s : float or ndarray
        δ_s: the self-interaction of a kept synthetic sample,
        (1/N) tr Ĉ Q̄ (corrected) or α (1/N) tr Ĉ Q̄ (paper code).
    delta_g : float or ndarray or None
        δ_g, the trace parameter of the generator's Wishart Ĉ (toy model only).
    """

    delta_r: object
    delta_s: object
    delta_g: object = None

    def as_dict(self) -> dict:
        """The deltas that apply, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class TheoryResult:
    r"""Deterministic-equivalent predictions for the ridge classifier.

    For a test point x of class y, wᵀx is asymptotically N(y·m, ν − m²).

    Attributes
    ----------
    accuracy : float or ndarray
        Φ(m / √(ν − m²)), **signed**: below 1/2 when the classifier points
        the wrong way (never folded to max(acc, 1 − acc)).
    mean : float or ndarray
        m, the limit of μᵀw.
    second_moment : float or ndarray
        ν, the limit of E[(wᵀx)²] = (μᵀw)² + ‖w‖².
    deltas : Deltas
    convention : str
        ``"corrected"`` or ``"paper_code"``.
    resolvent_trace : float or ndarray
        (1/p) tr Q̄, the deterministic equivalent of (1/p) tr Q.
    h : float or ndarray
        Determinant of the second-order 2×2 system (must be > 0).
    h_bar : float or ndarray or None
        Second-order determinant of the Wishart generator (toy model only).
    """

    accuracy: object
    mean: object
    second_moment: object
    deltas: Deltas
    convention: str
    resolvent_trace: object
    h: object
    h_bar: object = None

    @property
    def risk(self):
        """Test risk E(wᵀx − y)² = ν − 2m + 1."""
        return self.second_moment - 2 * self.mean + 1

    @property
    def variance(self):
        """ν − m², the variance of wᵀx given the class."""
        return self.second_moment - self.mean ** 2


@dataclass(frozen=True)
class SimulationResult:
    r"""Monte-Carlo estimates over independent training sets (exact conditional metrics).

    Each trial draws a training set, fits w, and records the exact
    conditional accuracy Φ(μᵀw/‖w‖), μᵀw and (μᵀw)² + ‖w‖²; the fields are
    their means over trials and the standard errors of those means.

    Attributes
    ----------
    accuracy, accuracy_se, mean, mean_se, second_moment, second_moment_se, risk, risk_se
    trials : int
    resolvent_trace, resolvent_trace_se : float or ndarray or None
        (1/p) tr Q, only when requested.
    """

    accuracy: object
    accuracy_se: object
    mean: object
    mean_se: object
    second_moment: object
    second_moment_se: object
    risk: object
    risk_se: object
    trials: int
    resolvent_trace: object = None
    resolvent_trace_se: object = None

    @property
    def accuracy_sd(self):
        """Per-trial standard deviation of the conditional accuracy."""
        return self.accuracy_se * np.sqrt(self.trials)


def stack_results(results, shape, cls):
    """Stack results computed at the points of a flattened grid back into ``shape``."""
    first = results[0]
    values = {}
    for f in fields(cls):
        items = [getattr(r, f.name) for r in results]
        if f.name == "trials":
            values[f.name] = first.trials
        elif items[0] is None:
            values[f.name] = None
        elif isinstance(items[0], Deltas):
            values[f.name] = Deltas(**{g.name: _stack([getattr(d, g.name) for d in items], shape)
                                       for g in fields(Deltas)})
        elif isinstance(items[0], str):
            values[f.name] = items[0]
        else:
            values[f.name] = _stack(items, shape)
    return cls(**values)


def _stack(items, shape):
    if items[0] is None:
        return None
    arr = np.concatenate([np.ravel(np.asarray(x, dtype=float)) for x in items]).reshape(shape)
    return float(arr) if arr.ndim == 0 else arr

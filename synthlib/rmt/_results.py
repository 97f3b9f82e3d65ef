"""Result objects of the Part II theory and simulation functions."""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .._deprecation import warn_renamed
from .._stats import MonteCarloSummary

__all__ = ["Deltas", "TheoryResult", "SimulationResult", "METRICS"]


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


#: the quantities a :class:`SimulationResult` may estimate (each with its ``<name>_se``)
METRICS = ("accuracy", "mean", "second_moment", "risk", "resolvent_trace")


@dataclass(frozen=True)
class SimulationResult:
    r"""Monte-Carlo estimates over independent training sets (exact conditional metrics).

    The one Monte-Carlo result of Part II: :func:`simulate`, :func:`simulate_toy`,
    :func:`simulate_synthetic_only`, the grids and :func:`simulate_pipeline` all return it.
    Each trial draws a training set, fits w, and records the exact conditional accuracy
    Φ(μᵀw/‖w‖), μᵀw and (μᵀw)² + ‖w‖²; the fields are their means over trials and the
    standard errors of those means. :meth:`summary` hands out any of them as a
    :class:`synthlib.MonteCarloSummary` (``mean``, ``se``, ``band``, ``trials``).

    Attributes
    ----------
    accuracy, accuracy_se, mean, mean_se, second_moment, second_moment_se, risk, risk_se
    trials : int
    resolvent_trace, resolvent_trace_se : float or ndarray or None
        (1/p) tr Q, only when requested.
    n_syn : ndarray of int or None
        Synthetic sizes before verification (:func:`simulate_pipeline`: one entry per size).
    synthetic_share : ndarray or None
        n_syn / (n + n_syn), the x-axis of the book's figures (:func:`simulate_pipeline`).
    kept_fraction : ndarray or None
        Mean fraction of synthetic samples the verifier kept, an estimate of α
        (:func:`simulate_pipeline`).
    draws : ndarray or None
        Per-trial accuracies, trial axis first, when kept (:func:`simulate_pipeline`:
        shape (trials, len(n_syn))).

    Examples
    --------
    >>> from synthlib.rmt import simulate_synthetic_only
    >>> sim = simulate_synthetic_only(20, 40, 1.0, 0.1, 0.3, 0.8, 1.0, trials=10, random_state=0)
    >>> s = sim.summary("accuracy")
    >>> s.trials, bool(s.mean == sim.accuracy), bool(s.lower < sim.accuracy < s.upper)
    (10, True, True)
    >>> lower, upper = sim.band("risk")
    >>> bool(lower < sim.risk < upper)
    True
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
    n_syn: object = None
    synthetic_share: object = None
    kept_fraction: object = None
    draws: object = None

    @property
    def accuracy_sd(self):
        """Per-trial standard deviation of the conditional accuracy."""
        return self.accuracy_se * np.sqrt(self.trials)

    def summary(self, name: str = "accuracy") -> MonteCarloSummary:
        """The estimate of ``name`` (one of :data:`METRICS` present) as a :class:`~synthlib.MonteCarloSummary`."""
        if name not in METRICS:
            raise ValueError(f"name={name!r} is invalid: expected one of {', '.join(map(repr, METRICS))}")
        value = getattr(self, name)
        if value is None:
            raise ValueError(f"name={name!r} is invalid: this simulation did not estimate {name} "
                             "(pass resolvent_trace=True to the simulation)")
        return MonteCarloSummary(mean=np.asarray(value, dtype=float),
                                 se=np.asarray(getattr(self, f"{name}_se"), dtype=float), trials=int(self.trials),
                                 draws=self.draws if name == "accuracy" else None)

    def band(self, name: str = "accuracy") -> tuple:
        """The 95 % band ``(lower, upper)`` = mean ∓ 1.96 se of ``name``."""
        return self.summary(name).band

    @property
    def m(self):
        """Deprecated: use :attr:`n_syn`."""
        warn_renamed("m", "n_syn", what="attribute")
        return self.n_syn


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

r"""Experiment helpers of the worked examples: the ridge fit of E1–E3 and its Monte-Carlo curves.

Every ridge fit goes through the shared nested-prefix routine
(:func:`synthlib._ridge.ridge_prefix_path`, via the numerics layer of Part III), and every
Monte-Carlo result hands out its estimates as :class:`synthlib.MonteCarloSummary`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..._deprecation import renamed_parameters
from ..._random import check_random_state
from ..._stats import MonteCarloSummary, summarize
from ..._validation import check_array, check_integer, check_scalar
from .._generators import draw_synthetic
from .._losses import synthetic_size
from .._numerics import _ridge_prefix_path, single_blas_thread
from ._common import RenamedAttribute, check_counts

__all__ = ["ridge_fit", "ridge_excess_curves", "RidgeCurves", "SimulationDraws"]

_QUANTITIES = ("excess", "param_error")


@renamed_parameters({"alpha": "gamma"})
def ridge_fit(X, t, gamma=1e-6):
    r"""Ridge least squares without intercept, :math:`(X^\top X+\gamma I)^{-1}X^\top t`.

    The estimator of examples E1–E3 (spec §3). ``gamma`` is the ridge penalty (formerly
    ``alpha``, which still works with a ``FutureWarning``).

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib.imbalance.examples import ridge_fit
    >>> ridge_fit(np.eye(2), [1.0, 2.0], gamma=0.0).tolist()
    [1.0, 2.0]
    """
    X = check_array(X, "X", ndim=2)
    t = check_array(t, "t", ndim=1)
    if t.shape[0] != X.shape[0]:
        raise ValueError(f"t has {t.shape[0]} target(s) but X has {X.shape[0]} row(s): expected one "
                         "target per row of X")
    gamma = check_scalar(gamma, "gamma", low=0)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X has shape {X.shape}: expected at least one row and one column")
    return _ridge_prefix_path(X, t, X[:0], t[:0], [0], np.full(X.shape[1], gamma))[0]


def _summary(draws: dict, quantity: str) -> MonteCarloSummary:
    if quantity not in draws:
        raise ValueError(f"quantity={quantity!r} is invalid: expected one of {tuple(draws)}")
    return summarize(draws[quantity], axis=0)


class SimulationDraws(NamedTuple):
    """Per-trial results of a Monte-Carlo simulation at one multiplier (unpacks as a pair).

    Attributes
    ----------
    excess : numpy.ndarray of shape (trials,)
        Excess balanced risk of each trial.
    param_error : numpy.ndarray of shape (trials,)
        :math:`\\|\\hat\\theta-\\theta^*\\|` of each trial.
    """

    excess: np.ndarray
    param_error: np.ndarray

    def summary(self, quantity: str = "excess") -> MonteCarloSummary:
        """Mean, standard error and 95 % band of ``"excess"`` or ``"param_error"`` over the trials.

        Examples
        --------
        >>> import numpy as np
        >>> from synthlib.imbalance.examples import SimulationDraws
        >>> s = SimulationDraws(np.array([1.0, 2.0, 3.0]), np.zeros(3)).summary()
        >>> float(s.mean), s.trials
        (2.0, 3)
        """
        return _summary(self._asdict(), quantity)


@dataclass(frozen=True)
class RidgeCurves:
    """Output of :func:`ridge_excess_curves`: arrays of shape (trials, len(multipliers)) per generator.

    Attributes
    ----------
    multipliers : numpy.ndarray
        The grid of size multipliers (formerly ``gammas``, which still reads with a warning).
    sizes : numpy.ndarray
        The synthetic sizes :math:`\\mathrm{round}(\\gamma(n_0-n_1))` of the grid.
    excess, param_error : dict name -> numpy.ndarray of shape (trials, len(multipliers))
    """

    multipliers: np.ndarray
    sizes: np.ndarray
    excess: dict
    param_error: dict

    gammas = RenamedAttribute("multipliers")

    def summary(self, name, quantity: str = "excess") -> MonteCarloSummary:
        """Monte-Carlo mean, standard error and 95 % band along the grid for generator ``name``.

        Parameters
        ----------
        name : str
            A key of the ``generators`` passed to :func:`ridge_excess_curves`.
        quantity : {"excess", "param_error"}
        """
        if name not in self.excess:
            raise ValueError(f"name={name!r} is invalid: expected one of {tuple(self.excess)}")
        return _summary({"excess": self.excess[name], "param_error": self.param_error[name]}, quantity)


#: what :func:`ridge_excess_curves` uses of its example
_EXAMPLE_PROTOCOL = ("p", "theta_star", "sample", "excess_risk")


def _check_example(example):
    """An example of E1–E3: it has ``p``, ``theta_star``, ``sample(n0, n1, *, random_state)`` and
    ``excess_risk(theta)``."""
    missing = [a for a in _EXAMPLE_PROTOCOL if not hasattr(example, a)]
    if not missing and not (callable(example.sample) and callable(example.excess_risk)):
        missing = [a for a in ("sample", "excess_risk") if not callable(getattr(example, a))]
    if missing:
        raise ValueError(f"example={example!r} is invalid: expected an example of Part III (e.g. "
                         "examples.aligned_gaussian() or examples.mean_shift()) with p, theta_star, "
                         f"sample(n0, n1, *, random_state) and excess_risk(theta); it lacks {', '.join(missing)}")


@renamed_parameters({"gammas": "multipliers", "alpha": "gamma"})
@single_blas_thread
def ridge_excess_curves(example, generators, multipliers, n0, n1, *, trials=100, gamma=1e-8,
                        random_state=None):
    r"""Excess balanced risk of ridge ERM along a multiplier grid, for several generators (E1–E3 design).

    In each trial the real data are drawn once and shared by all generators and
    multipliers; each generator draws one pool of the largest size and the
    sizes :math:`\mathrm{round}(\gamma(n_0-n_1))` use its prefixes (spec §3, E3).
    Synthetic rows get target 1 (the minority label of E1–E3). The fits go through the
    shared nested-prefix ridge routine (running sums of :math:`X^\top X` over the prefixes).

    Parameters
    ----------
    example : AlignedGaussian or MeanShift
    generators : dict name -> generator
    multipliers : array_like of float >= 0
        Size multipliers :math:`\gamma` (formerly ``gammas``).
    n0, n1 : int
    trials : int
    gamma : float
        Ridge penalty (E1/E2: 1e-6, E3: 1e-8; formerly ``alpha``).
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    RidgeCurves

    Examples
    --------
    >>> from synthlib.imbalance import Oracle, examples
    >>> e3 = examples.mean_shift()
    >>> cur = examples.ridge_excess_curves(e3, {"oracle": Oracle(e3)}, [0.0, 1.0], 2000, 100,
    ...                                    trials=5, random_state=0)
    >>> cur.excess["oracle"].shape, cur.summary("oracle").mean.shape
    ((5, 2), (2,))
    """
    multipliers = np.atleast_1d(check_scalar(multipliers, "multipliers", low=0, allow_array=True))
    if multipliers.ndim != 1 or multipliers.size == 0:
        raise ValueError(f"multipliers has shape {multipliers.shape}: expected a non-empty 1-d grid")
    _check_example(example)
    if not isinstance(generators, dict) or not generators:
        raise ValueError(f"generators={generators!r} is invalid: expected a non-empty dict name -> generator")
    for name, gen in generators.items():
        if not callable(getattr(gen, "sample", None)):
            raise ValueError(f"generators[{name!r}]={gen!r} is invalid: expected a generator, an object "
                             "with sample(X_minority, n_syn, *, random_state) (see synthlib.imbalance.as_generator)")
    n0, n1 = check_counts(n0, n1)
    trials = check_integer(trials, "trials", low=1)
    gamma = check_scalar(gamma, "gamma", low=0)
    sizes = synthetic_size(multipliers, n0, n1)
    order = np.argsort(sizes, kind="stable")
    rng = check_random_state(random_state)
    excess = {k: np.empty((trials, multipliers.size)) for k in generators}
    perr = {k: np.empty((trials, multipliers.size)) for k in generators}
    p = example.p
    for r in range(trials):
        X, y = example.sample(n0, n1, random_state=rng)
        t = y.astype(float)
        is_min = y == 1
        for name, gen in generators.items():
            pool = draw_synthetic(gen, X[is_min], int(sizes.max()), rng, X_majority=X[~is_min])
            thetas = _ridge_prefix_path(X, t, pool, np.ones(pool.shape[0]), sizes[order],
                                        np.full(p, gamma))
            excess[name][r, order] = example.excess_risk(thetas)
            perr[name][r, order] = np.linalg.norm(thetas - example.theta_star, axis=1)
    return RidgeCurves(multipliers=multipliers, sizes=sizes, excess=excess, param_error=perr)

"""synthlib: the companion library of *Synthetic Data for Classification: Theory*.

Public API (everything a chapter or a reader calls):

* randomness: :func:`check_random_state`, :func:`spawn`
* Monte Carlo: :func:`summarize`, :class:`MonteCarloSummary`
* figures: :func:`plot_theory_vs_simulation`, :func:`simulation_caption`,
  :func:`new_figure`, :func:`book_style`
* errors: :class:`ConvergenceError`
* Part II (random matrix theory): :mod:`synthlib.rmt`
* Part III (imbalanced learning): :mod:`synthlib.imbalance`

The implementation lives in private ``_module.py`` files; import from here
or from the two subpackages, never from a private module.
"""
from ._plotting import (BOOK_STYLE, add_caption, book_style, new_figure, plot_simulation, plot_theory_vs_simulation,
                        simulation_caption)
from ._random import check_random_state, spawn
from ._stats import MonteCarloSummary, summarize
from ._validation import ConvergenceError

__version__ = "0.1.0"

__all__ = [
    "check_random_state",
    "spawn",
    "summarize",
    "MonteCarloSummary",
    "plot_theory_vs_simulation",
    "plot_simulation",
    "add_caption",
    "simulation_caption",
    "new_figure",
    "book_style",
    "BOOK_STYLE",
    "ConvergenceError",
]

"""synthlib: the companion library of *Synthetic Data for Classification: Theory*.

Public API (everything a chapter or a reader calls):

* randomness: :func:`check_random_state`, :func:`spawn`
* Monte Carlo: :func:`summarize`, :class:`MonteCarloSummary`
* figures: :func:`plot_theory_vs_simulation`, :func:`plot_simulation`,
  :func:`simulation_caption`, :func:`add_caption`, :func:`new_figure`,
  :func:`book_style`, :data:`BOOK_STYLE`
* explorers: :func:`slider`, :func:`selection`, :func:`chance_line`
* BLAS threads: :func:`blas_threads` (context manager)
* ridge over nested synthetic prefixes: :func:`ridge_prefix_path`
* errors: :class:`ConvergenceError`
* Part II (random matrix theory): :mod:`synthlib.rmt`
* Part III (imbalanced learning): :mod:`synthlib.imbalance`

The implementation lives in private ``_module.py`` files; import from here
or from the two subpackages, never from a private module.

``import synthlib`` does not import matplotlib: the figure helpers are loaded on
first use (module ``__getattr__``), so a script that only computes starts fast.

Examples
--------
>>> import synthlib
>>> synthlib.__version__
'0.1.0'
>>> synthlib.simulation_caption(n=10, trials=3, seed=0)[:4]   # first use loads the figure helpers
'n=10'
"""
import importlib

from ._explorer import MODE_VARIABLE, Explorer, Parameter, chance_line, selection, slider
from ._random import check_random_state, spawn
from ._ridge import ridge_prefix_path
from ._stats import MonteCarloSummary, summarize
from ._threads import blas_threads_limit as blas_threads
from ._validation import ConvergenceError

# The one place the version is written: pyproject.toml reads it (setuptools dynamic metadata).
__version__ = "0.1.0"

# name -> private module; imported on first attribute access (matplotlib costs ~0.2-0.8 s)
_LAZY = {name: "._plotting" for name in ("plot_theory_vs_simulation", "plot_simulation", "add_caption",
                                         "simulation_caption", "new_figure", "book_style", "BOOK_STYLE")}

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
    "slider",
    "selection",
    "chance_line",
    "Explorer",
    "Parameter",
    "MODE_VARIABLE",
    "blas_threads",
    "ridge_prefix_path",
    "ConvergenceError",
]


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

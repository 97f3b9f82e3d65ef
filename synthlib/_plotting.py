"""The one figure style of the book: theory line, Monte-Carlo mean, 95 % band, honest caption.

Every chapter draws its theory-versus-simulation figures through
:func:`plot_theory_vs_simulation`, so all of them show the same three
elements and state the same facts (n, p, trials, seed).
"""
from __future__ import annotations

import contextlib

import matplotlib as mpl
import numpy as np

from ._stats import Z95
from ._validation import check_array, check_axes, check_integer, check_scalar, check_string

__all__ = ["BOOK_STYLE", "book_style", "simulation_caption", "plot_theory_vs_simulation",
           "plot_simulation", "add_caption", "new_figure", "CHANCE_STYLE"]

#: rcParams shared by every figure of the book
BOOK_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "font.size": 10,
    "axes.prop_cycle": mpl.cycler(color=["#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                         "#E69F00", "#56B4E9", "#000000"]),
}

#: how the 1/2 chance line is drawn; below-chance values are shown, never folded
CHANCE_STYLE = {"color": "0.5", "lw": 0.8, "ls": ":"}


@contextlib.contextmanager
def book_style():
    """Context manager applying :data:`BOOK_STYLE` (colour-blind-safe Okabe–Ito cycle)."""
    with mpl.rc_context(BOOK_STYLE):
        yield


def new_figure(ncols: int = 1, nrows: int = 1, **kwargs):
    """``plt.subplots`` with the book style and a width that grows with ``ncols``.

    ``ncols`` and ``nrows`` are integers >= 1.
    """
    ncols = check_integer(ncols, "ncols", low=1)
    nrows = check_integer(nrows, "nrows", low=1)
    import matplotlib.pyplot as plt  # pyplot (a GUI backend) only when a figure is made

    kwargs.setdefault("figsize", (4.2 * ncols + 1.0, 3.6 * nrows))
    with book_style():
        fig, axes = plt.subplots(nrows, ncols, layout="constrained", **kwargs)
    return fig, axes


def add_caption(ax, caption: str):
    """Write ``caption`` in small grey type under the axes (below the x label).

    Examples
    --------
    >>> from synthlib import add_caption, new_figure, simulation_caption
    >>> fig, ax = new_figure()
    >>> add_caption(ax, simulation_caption(n=10, p=5, trials=3, seed=0)).get_text()[:9]
    'n=10, p=5'
    """
    check_axes(ax)
    check_string(caption, "caption")
    return ax.annotate(caption, xy=(0, 0), xycoords="axes fraction", xytext=(0, -34),
                       textcoords="offset points", fontsize=7.5, color="0.35", va="top")


def simulation_caption(*, trials: int, seed, **sizes) -> str:
    """The facts every simulated figure states: sizes, number of trials, seed.

    ``trials`` is an integer >= 1 and ``seed`` None or an integer >= 0 (the seed the
    figure's numbers came from); the sizes are written as given.

    Examples
    --------
    >>> from synthlib import simulation_caption
    >>> simulation_caption(n=200, p=100, trials=50, seed=2026)
    'n=200, p=100; Monte Carlo: 50 trials, seed 2026; band: 95 % (mean ± 1.96 SE)'
    """
    trials = check_integer(trials, "trials", low=1)
    if seed is not None:
        seed = check_integer(seed, "seed", low=0)
    parts = ", ".join(f"{k}={v}" for k, v in sizes.items())
    head = f"{parts}; " if parts else ""
    return f"{head}Monte Carlo: {trials} trials, seed {seed}; band: 95 % (mean ± 1.96 SE)"


def plot_theory_vs_simulation(ax, x_theory, theory, x_sim, sim_mean, sim_se, *, label=None,
                              color=None, marker="o", chance=None, caption=None):
    """Draw a theory curve, the Monte-Carlo means and their 95 % band on ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x_theory, theory : array_like
        The theory curve (any resolution).
    x_sim, sim_mean, sim_se : array_like
        Monte-Carlo means and standard errors at the simulated points.
    label : str, optional
        Legend label of this series; the theory line gets ``label + " (theory)"``
        and the points ``label + " (simulation, 95 % band)"``.
    color : str, optional
    marker : str
    chance : float, optional
        Draw a dotted reference line at this value (e.g. 0.5 for accuracy).
        Values below it are plotted as they are.
    caption : str, optional
        Written under the axes (use :func:`simulation_caption`).

    Returns
    -------
    color : str
        The colour used, so a caller can match further elements.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib import new_figure, plot_theory_vs_simulation
    >>> fig, ax = new_figure()
    >>> x = np.linspace(0, 1, 5)
    >>> c = plot_theory_vs_simulation(ax, x, x, x, x + 0.01, np.full(5, 0.01), label="demo",
    ...                               chance=0.5, caption="n=10, p=5; 3 trials, seed 0")
    >>> len(ax.lines) >= 2 and len(ax.collections) == 1
    True
    """
    chance = _check_plot_options(ax, chance, caption)
    x_theory = check_array(x_theory, "x_theory", ndim=1)
    theory = check_array(theory, "theory", shape=(x_theory.size,))
    (line,) = ax.plot(x_theory, theory, color=color,
                      label=None if label is None else f"{label} (theory)")
    return plot_simulation(ax, x_sim, sim_mean, sim_se, label=label, color=line.get_color(),
                           marker=marker, chance=chance, caption=caption, linestyle="none")


def plot_simulation(ax, x_sim, sim_mean, sim_se, *, label=None, color=None, marker="o",
                    chance=None, caption=None, linestyle="-"):
    """Draw Monte-Carlo means with their 95 % band (no theory curve).

    Used where no closed form is available yet; the points are joined by a thin
    line unless ``linestyle="none"``. Parameters as in
    :func:`plot_theory_vs_simulation`.

    Examples
    --------
    >>> import numpy as np
    >>> from synthlib import new_figure, plot_simulation
    >>> fig, ax = new_figure()
    >>> c = plot_simulation(ax, [0, 1], [0.4, 0.6], [0.01, 0.02], label="demo", chance=0.5)
    >>> len(ax.collections)
    1
    """
    chance = _check_plot_options(ax, chance, caption)
    x_sim = check_array(x_sim, "x_sim", ndim=1)
    sim_mean = check_array(sim_mean, "sim_mean", shape=(x_sim.size,))
    sim_se = check_array(sim_se, "sim_se", shape=(x_sim.size,))
    if np.any(sim_se < 0):
        raise ValueError("sim_se contains negative values: expected standard errors >= 0")
    suffix = " (simulation, 95 % band)" if linestyle == "none" else " (95 % band)"
    (pts,) = ax.plot(x_sim, sim_mean, linestyle=linestyle, lw=1.0, marker=marker, markersize=4.5,
                     color=color, markerfacecolor="white", markeredgewidth=1.3,
                     label=None if label is None else f"{label}{suffix}")
    color = pts.get_color()
    ax.fill_between(x_sim, sim_mean - Z95 * sim_se, sim_mean + Z95 * sim_se, color=color,
                    alpha=0.22, linewidth=0)
    if chance is not None:
        ax.axhline(chance, **CHANCE_STYLE)
    if caption:
        add_caption(ax, caption)
    return color


def _check_plot_options(ax, chance, caption):
    """Validate the arguments both plotting helpers share; returns ``chance`` (a float or None)."""
    check_axes(ax)
    check_string(caption, "caption", none_ok=True)
    return None if chance is None else check_scalar(chance, "chance")

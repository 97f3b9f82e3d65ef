"""The book's interactive explorers: :class:`Explorer`, its :class:`Parameter`, sliders,
choices and the chance line.

Every chapter ends with an explorer: a pure ``compute(**values)``, a ``plot(result)`` that
returns a figure, and the parameters, one or two of them with a static grid. On the built
page (no kernel) the figures of the grid are precomputed and linked to the sliders in the
browser; under a kernel every value is computed live (:class:`Explorer`). The sliders all
behave the same way (they recompute when released, not while dragged) and every accuracy
axis shows the same dotted line at one half; they live here so that chapters do not
repeat them.

``ipywidgets`` and ``matplotlib`` are imported inside the functions, so importing
:mod:`synthlib` stays light.
"""
from __future__ import annotations

import io
import math
import os

from ._validation import check_axes, check_choice, check_integer, check_scalar

__all__ = ["Explorer", "Parameter", "slider", "selection", "chance_line", "MODE_VARIABLE"]

_KINDS = ("float", "int", "log")


def slider(label, value, low, high, step, *, kind="float", **options):
    r"""An ``ipywidgets`` slider that recomputes when released.

    Parameters
    ----------
    label : str
        The text shown next to the slider (a symbol such as ``"ε"`` or ``"n̂"``).
    value : float or int
        The initial value, in ``[low, high]``.
    low, high : float or int
        The ends of the range, ``low < high``. For ``kind="log"`` they are values, not
        exponents, and must be positive.
    step : float or int
        The step, ``> 0``; for ``kind="log"`` in decades (``0.1`` = ten steps per factor 10).
    kind : {"float", "int", "log"}
        ``FloatSlider``, ``IntSlider`` (every number an integer) or ``FloatLogSlider``
        (base 10).
    **options
        Further keyword arguments of the widget (e.g. ``style``).

    Returns
    -------
    ipywidgets.FloatSlider or ipywidgets.IntSlider or ipywidgets.FloatLogSlider
        With ``continuous_update=False``: a chapter's explorer recomputes once per move.

    Raises
    ------
    ValueError
        If ``kind`` is unknown, a number is not finite, ``low >= high``, ``step <= 0``,
        ``value`` lies outside ``[low, high]``, an ``int`` slider gets a non-integer, or a
        ``log`` slider a bound ``<= 0``.

    Examples
    --------
    >>> from synthlib import slider
    >>> eps = slider("ε", 0.3, 0, 1, 0.05)
    >>> eps.value, eps.min, eps.max, eps.continuous_update
    (0.3, 0.0, 1.0, False)
    >>> slider("n̂", 200, 50, 2000, 50, kind="int").value
    200
    >>> gamma = slider("γ", 0.1, 0.01, 10, 0.1, kind="log")
    >>> round(gamma.value, 12), gamma.min, gamma.max, gamma.base
    (0.1, -2.0, 1.0, 10.0)
    >>> slider("ε", 1.5, 0, 1, 0.05)
    Traceback (most recent call last):
    ...
    ValueError: value=1.5 is out of range: expected low <= value <= high (low=0.0, high=1.0)
    """
    label, value, low, high, step = _slider_numbers(label, value, low, high, step, kind)

    import ipywidgets  # the book's dependency; imported on use

    common = dict(value=value, step=step, description=label, continuous_update=False, **options)
    if kind == "int":
        return ipywidgets.IntSlider(min=low, max=high, **common)
    if kind == "log":
        return ipywidgets.FloatLogSlider(base=10, min=math.log10(low), max=math.log10(high), **common)
    return ipywidgets.FloatSlider(min=low, max=high, **common)


def selection(label, options, value, *, kind="slider"):
    """A choice among fixed values: a ``SelectionSlider`` (recomputes when released) or a
    ``Dropdown``.

    Parameters
    ----------
    label : str
        The text shown next to the widget.
    options : sequence
        The values, or ``(text, value)`` pairs; not empty.
    value
        The initial value, one of the options' values.
    kind : {"slider", "dropdown"}

    Returns
    -------
    ipywidgets.SelectionSlider or ipywidgets.Dropdown

    Raises
    ------
    ValueError
        If ``kind`` is unknown, ``label`` is not a string, ``options`` is not a non-empty
        sequence or ``value`` is not among its values.

    Examples
    --------
    >>> from synthlib import selection
    >>> selection("n̂", ("all", 100, 10), 100).value
    100
    >>> selection("γ", [("0.50", 0.5), ("1.00", 1.0)], 1.0, kind="dropdown").label
    '1.00'
    >>> selection("n̂", ("all", 100, 10), 50)
    Traceback (most recent call last):
    ...
    ValueError: value=50 is invalid: expected one of 'all', 100, 10
    """
    if kind not in ("slider", "dropdown"):
        raise ValueError(f"kind={kind!r} is invalid: expected 'slider' or 'dropdown'")
    if not isinstance(label, str):
        raise ValueError(f"label={label!r} is invalid: expected a string")
    if isinstance(options, (str, bytes)) or not hasattr(options, "__iter__"):
        raise ValueError(f"options={options!r} is invalid: expected a sequence of values")
    options = list(options)
    if not options:
        raise ValueError("options=[] is invalid: expected at least one option")
    values = [o[1] if isinstance(o, tuple) and len(o) == 2 else o for o in options]
    if not any(_equal(value, v) for v in values):
        raise ValueError(f"value={value!r} is invalid: expected one of {', '.join(map(repr, values))}")

    import ipywidgets  # the book's dependency; imported on use

    if kind == "dropdown":
        return ipywidgets.Dropdown(options=options, value=value, description=label)
    return ipywidgets.SelectionSlider(options=options, value=value, description=label,
                                      continuous_update=False)


def _equal(a, b) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # e.g. an array option: ambiguous truth value
        return False


def chance_line(ax, y=0.5, *, label=None):
    """Draw the dotted chance line of an accuracy axis (below-chance values stay visible).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    y : float
        The height of the line, finite; ``0.5`` is the accuracy of a coin flip on two
        balanced classes.
    label : str, optional
        Legend entry (e.g. ``"chance"``); none by default.

    Returns
    -------
    matplotlib.lines.Line2D

    Raises
    ------
    ValueError
        If ``ax`` is not a matplotlib ``Axes``, ``y`` is not a finite number or ``label`` is
        neither a string nor None.

    Examples
    --------
    >>> from synthlib import chance_line, new_figure
    >>> fig, ax = new_figure()
    >>> line = chance_line(ax, label="chance")
    >>> line.get_ydata()[0], line.get_linestyle(), line.get_label()
    (0.5, ':', 'chance')
    """
    from ._plotting import CHANCE_STYLE

    check_axes(ax)
    y = check_scalar(y, "y")
    kwargs = dict(CHANCE_STYLE)
    if label is not None:
        if not isinstance(label, str):
            raise ValueError(f"label={label!r} is invalid: expected a string or None")
        kwargs["label"] = label
    return ax.axhline(y, **kwargs)


# --- the explorer: one declaration, a static page that responds and a live kernel ---------------

#: environment variable that selects how :class:`Explorer` renders when no ``mode`` is given;
#: the book build sets it to ``"static"`` (Makefile, scripts/try_chapter.sh)
MODE_VARIABLE = "SYNTHLIB_EXPLORER_MODE"
_MODES = ("static", "live")
#: at most this many values per grid parameter and grid points per explorer
MAX_GRID_VALUES = 25
MAX_GRID_POINTS = 200


class Parameter:
    r"""One control of an :class:`Explorer`: its slider and, optionally, its static grid.

    Parameters
    ----------
    label : str
        Text next to the control (a symbol such as ``"ε"``).
    value : float or int
        The default, in ``[low, high]``; it must be one of ``grid`` if a grid is given.
    low, high, step : float or int
        The live slider's range and step (as :func:`slider`).
    kind : {"float", "int", "log"}
        As :func:`slider`.
    grid : sequence of numbers, optional
        The values precomputed for the static page (at most :data:`MAX_GRID_VALUES`, each
        in ``[low, high]``). Without a grid the parameter is *live-only*: the static page
        shows it at ``value``, marked as needing a kernel.

    Examples
    --------
    >>> from synthlib import Parameter
    >>> eps = Parameter("ε", 0.3, 0, 0.5, 0.05, grid=[0.0, 0.1, 0.2, 0.3, 0.4, 0.5])
    >>> eps.is_live_only, eps.grid_index()
    (False, 3)
    >>> Parameter("ρ", 0.0, 0, 1, 0.05).is_live_only
    True
    """

    def __init__(self, label, value, low, high, step, *, kind="float", grid=None):
        # the slider checks label, value, range, step and kind, and fails as it would
        self._slider_args = (label, value, low, high, step)
        self.kind = kind
        probe = _slider_numbers(label, value, low, high, step, kind)
        self.label, self.value, self.low, self.high, self.step = probe
        self.grid = None if grid is None else self._check_grid(grid)

    def _check_grid(self, grid):
        if isinstance(grid, (str, bytes)) or not hasattr(grid, "__iter__"):
            raise ValueError(f"grid={grid!r} is invalid: expected a sequence of numbers")
        values = []
        for v in grid:
            v = check_integer(v, "grid") if self.kind == "int" else check_scalar(v, "grid")
            if not self.low <= v <= self.high:
                raise ValueError(f"grid value {v!r} is out of range: expected "
                                 f"{self.low!r} <= value <= {self.high!r}")
            values.append(v)
        if not 1 <= len(values) <= MAX_GRID_VALUES:
            raise ValueError(f"grid has {len(values)} values: expected 1 to {MAX_GRID_VALUES}")
        if len(set(values)) != len(values):
            raise ValueError(f"grid={values!r} is invalid: values must be distinct")
        if not any(math.isclose(v, self.value, rel_tol=1e-12, abs_tol=1e-12) for v in values):
            raise ValueError(f"value={self.value!r} is invalid: expected one of grid={values!r}")
        return tuple(values)

    @property
    def is_live_only(self) -> bool:
        """True when the parameter has no static grid."""
        return self.grid is None

    def grid_index(self) -> int:
        """Position of the default ``value`` in ``grid``."""
        return next(i for i, v in enumerate(self.grid)
                    if math.isclose(v, self.value, rel_tol=1e-12, abs_tol=1e-12))

    def live_widget(self):
        """A slider over the whole range (any value, computed live)."""
        return slider(*self._slider_args, kind=self.kind)

    def static_widget(self):
        """A selection slider over the grid, or a disabled slider marked live-only."""
        import ipywidgets

        if self.is_live_only:
            w = self.live_widget()
            w.disabled = True
            w.description = f"{self.label} (live only)"
            w.style = {"description_width": "initial"}
            w.add_class("synthlib-live-only")  # the page marks (and the browser test skips) it
            return w
        options = [(_format(v), i) for i, v in enumerate(self.grid)]
        return ipywidgets.SelectionSlider(options=options, value=self.grid_index(),
                                          description=self.label, continuous_update=True)

    def __repr__(self):
        grid = "live only" if self.is_live_only else f"grid of {len(self.grid)}"
        return f"Parameter({self.label!r}, {self.value!r}, {self.low!r}, {self.high!r}, {grid})"


def _slider_numbers(label, value, low, high, step, kind):
    """The validated numbers of a slider, without building a widget."""
    if kind not in _KINDS:
        raise ValueError(f"kind={kind!r} is invalid: expected one of {', '.join(map(repr, _KINDS))}")
    if not isinstance(label, str):
        raise ValueError(f"label={label!r} is invalid: expected a string")
    if kind == "int":
        low, high = check_integer(low, "low"), check_integer(high, "high")
        step = check_integer(step, "step", low=1)
        value = check_integer(value, "value")
    else:
        positive = 0 if kind == "log" else None
        low = check_scalar(low, "low", low=positive, low_inclusive=False)
        high = check_scalar(high, "high", low=positive, low_inclusive=False)
        step = check_scalar(step, "step", low=0, low_inclusive=False)
        value = check_scalar(value, "value")
    if not low < high:
        raise ValueError(f"low={low!r}, high={high!r} are invalid: expected low < high")
    if not low <= value <= high:
        raise ValueError(f"value={value!r} is out of range: expected low <= value <= high "
                         f"(low={low!r}, high={high!r})")
    return label, value, low, high, step


def _format(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


class Explorer:
    r"""A chapter's explorer: ``compute``, ``plot``, the parameters; static or live.

    A chapter declares its explorer in a few lines::

        Explorer(compute, plot, eps=Parameter("ε", 0.3, 0, 0.5, 0.05, grid=EPS_GRID),
                 rho=Parameter("ρ", 0.0, 0, 1, 0.05))

    and ends the cell with it. Two renderings of the same declaration:

    * **static** (the built HTML page, no kernel): at build time the figure is computed
      for every point of the grid of the parameters that have one (at most two), saved as
      PNG and embedded in a ``Stack``; each grid parameter's selection slider is linked to
      the stack in the browser (``ipywidgets.jslink``), so moving it switches the figure
      offline. Live-only parameters are shown disabled, at their defaults, and a note says
      what a kernel adds.
    * **live** (a kernel: JupyterLab, Binder, Live Code): every parameter is a slider over
      its whole range; each release calls ``plot(compute(**values))``.

    Parameters
    ----------
    compute : callable
        ``compute(**values) -> result``: pure (same values, same result).
    plot : callable
        ``plot(result) -> matplotlib.figure.Figure``: draws a new figure and returns it
        (without ``plt.show``).
    mode : {"static", "live"} or None, keyword-only
        ``None``: the environment variable :data:`MODE_VARIABLE` (``"static"`` in the
        book build), else ``"live"``.
    dpi : int
        Resolution of the static figures (their weight on the page grows with ``dpi²``).
    **parameters : Parameter
        The controls, by the keyword ``compute`` takes. At most two have a grid.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from synthlib import Explorer, Parameter, new_figure
    >>> def compute(a=1.0, b=0.0):
    ...     return {"a": a, "b": b}
    >>> def plot(out):
    ...     fig, ax = new_figure()
    ...     ax.plot([0, 1], [out["b"], out["a"] + out["b"]])
    ...     return fig
    >>> ex = Explorer(compute, plot, a=Parameter("a", 1.0, 0, 2, 0.1, grid=[0.5, 1.0, 2.0]),
    ...               b=Parameter("b", 0.0, -1, 1, 0.1), mode="static")
    >>> ex.grid_shape, ex.live_only
    ((3,), ('b',))
    >>> len(ex.static_images())
    3
    """

    def __init__(self, compute, plot, *, mode=None, dpi=72, **parameters):
        if not callable(compute):
            raise ValueError(f"compute={compute!r} is invalid: expected a callable")
        if not callable(plot):
            raise ValueError(f"plot={plot!r} is invalid: expected a callable")
        if not parameters:
            raise ValueError("parameters are missing: expected at least one Parameter keyword")
        for name, par in parameters.items():
            if not isinstance(par, Parameter):
                raise ValueError(f"{name}={par!r} is invalid: expected a synthlib.Parameter")
        if mode is not None:
            check_choice(mode, "mode", _MODES)
        self.compute, self.plot, self.mode, self.parameters = compute, plot, mode, dict(parameters)
        self.dpi = check_integer(dpi, "dpi", low=20, high=300)
        grid = [n for n, p in self.parameters.items() if not p.is_live_only]
        if not grid:
            raise ValueError("no parameter has a grid: expected one or two grid parameters "
                             "(the static page needs something to move)")
        if len(grid) > 2:
            raise ValueError(f"{len(grid)} parameters have a grid ({', '.join(grid)}): "
                             "expected one or two")
        self.grid_names = tuple(grid)
        if math.prod(self.grid_shape) > MAX_GRID_POINTS:
            raise ValueError(f"the grid has {math.prod(self.grid_shape)} points: expected at most "
                             f"{MAX_GRID_POINTS} (fewer values per parameter)")
        self._widget = None
        self.links = []

    @property
    def grid_shape(self) -> tuple:
        """Number of grid values of each grid parameter, in declaration order."""
        return tuple(len(self.parameters[n].grid) for n in self.grid_names)

    @property
    def live_only(self) -> tuple:
        """Names of the parameters without a grid (need a kernel)."""
        return tuple(n for n, p in self.parameters.items() if p.is_live_only)

    def defaults(self) -> dict:
        """The default value of every parameter."""
        return {n: p.value for n, p in self.parameters.items()}

    def resolved_mode(self) -> str:
        """``mode``, or the environment's choice (:data:`MODE_VARIABLE`), or ``"live"``."""
        if self.mode is not None:
            return self.mode
        env = os.environ.get(MODE_VARIABLE, "live")
        return check_choice(env, MODE_VARIABLE, _MODES)

    def figure(self, **values):
        """``plot(compute(**values))`` with the defaults for the values not given."""
        unknown = set(values) - set(self.parameters)
        if unknown:
            raise ValueError(f"unknown parameter(s) {sorted(unknown)}: expected among "
                             f"{sorted(self.parameters)}")
        return self.plot(self.compute(**{**self.defaults(), **values}))

    def static_images(self) -> list:
        """PNG bytes of the figure at every grid point (row-major over the grid parameters),
        the live-only parameters at their defaults."""
        import itertools

        import matplotlib.pyplot as plt

        out = []
        grids = [self.parameters[n].grid for n in self.grid_names]
        for point in itertools.product(*grids):
            fig = self.figure(**dict(zip(self.grid_names, point, strict=True)))
            if fig is None or not hasattr(fig, "savefig"):
                raise ValueError(f"plot returned {fig!r}: expected a matplotlib Figure")
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=self.dpi, bbox_inches="tight")  # keep captions whole
            plt.close(fig)
            out.append(buf.getvalue())
        return out

    def widget(self):
        """The ipywidgets tree of the resolved mode (built once)."""
        if self._widget is None:
            self._widget = self._static() if self.resolved_mode() == "static" else self._live()
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget()._repr_mimebundle_(**kwargs)

    def _note(self, text):
        import ipywidgets

        return ipywidgets.HTML(f'<p class="synthlib-explorer-note"><em>{text}</em></p>')

    def _static(self):
        import ipywidgets

        images = [ipywidgets.Image(value=png, format="png") for png in self.static_images()]
        controls = {n: p.static_widget() for n, p in self.parameters.items()}
        first = controls[self.grid_names[0]]
        links = []   # client-side links: they run in the page's widget manager, no kernel
        if len(self.grid_names) == 1:
            stack = ipywidgets.Stack(images, selected_index=first.index)
            links.append(ipywidgets.jslink((first, "index"), (stack, "selected_index")))
        else:
            second = controls[self.grid_names[1]]
            width = self.grid_shape[1]
            inner = [ipywidgets.Stack(images[i * width:(i + 1) * width], selected_index=second.index)
                     for i in range(self.grid_shape[0])]
            links += [ipywidgets.jslink((second, "index"), (box, "selected_index")) for box in inner]
            stack = ipywidgets.Stack(inner, selected_index=first.index)
            links.append(ipywidgets.jslink((first, "index"), (stack, "selected_index")))
        self.links = links
        names = ", ".join(self.parameters[n].label for n in self.grid_names)
        text = f"Static page: the figure is precomputed for every grid value of {names}."
        if self.live_only:
            live = ", ".join(self.parameters[n].label for n in self.live_only)
            text += f" {live}: live only, shown at the default."
        text += " With a kernel (Binder, JupyterLab) every parameter takes any value."
        box = ipywidgets.VBox([*controls.values(), stack, self._note(text)])
        box.add_class("synthlib-explorer")
        box.add_class("synthlib-explorer-static")
        return box

    def _live(self):
        import ipywidgets
        import matplotlib.pyplot as plt
        from IPython.display import Image

        controls = {n: p.live_widget() for n, p in self.parameters.items()}
        out = ipywidgets.Output()

        def redraw(**values):
            fig = self.figure(**values)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
            plt.close(fig)
            # replace, not append: the output holds the current figure only
            out.outputs = ()
            out.append_display_data(Image(buf.getvalue(), format="png"))

        for w in controls.values():
            w.observe(lambda _change: redraw(**{n: c.value for n, c in controls.items()}),
                      names="value")
        redraw(**{n: c.value for n, c in controls.items()})
        box = ipywidgets.VBox([*controls.values(), out,
                               self._note("Live: every release of a slider recomputes the figure.")])
        box.add_class("synthlib-explorer")
        box.add_class("synthlib-explorer-live")
        return box

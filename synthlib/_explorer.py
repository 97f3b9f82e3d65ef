"""Plumbing shared by the book's interactive explorers: sliders, choices and the chance line.

Every chapter ends with an explorer, a function of a few parameters drawn again whenever
a reader moves a slider (``ipywidgets.interact``). The sliders all behave the same way
(they recompute when released, not while dragged) and every accuracy axis shows the same
dotted line at one half; they live here so that chapters do not repeat them.

``ipywidgets`` and ``matplotlib`` are imported inside the functions, so importing
:mod:`synthlib` stays light.
"""
from __future__ import annotations

import math

from ._validation import check_integer, check_scalar

__all__ = ["slider", "selection", "chance_line"]

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
    ValueError: value=1.5 is out of range: expected 0.0 <= value <= 1.0
    """
    if kind not in _KINDS:
        raise ValueError(f"kind={kind!r} is invalid: expected one of {', '.join(map(repr, _KINDS))}")
    if not isinstance(label, str):
        raise ValueError(f"label={label!r} is invalid: expected a string")
    if kind == "int":
        low, high = check_integer(low, "low"), check_integer(high, "high")
        step = check_integer(step, "step", low=1)
    else:
        low = check_scalar(low, "low", low=0 if kind == "log" else None, low_inclusive=False)
        high = check_scalar(high, "high", low=0 if kind == "log" else None, low_inclusive=False)
        step = check_scalar(step, "step", low=0, low_inclusive=False)
    if not low < high:
        raise ValueError(f"low={low!r}, high={high!r} are invalid: expected low < high")
    if kind == "int":
        value = check_integer(value, "value", low=low, high=high)
    else:
        value = check_scalar(value, "value", low=low, high=high)

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
    from matplotlib.axes import Axes  # imported on use: `import synthlib` stays light

    from ._plotting import CHANCE_STYLE

    if not isinstance(ax, Axes):
        raise ValueError(f"ax={ax!r} is invalid: expected a matplotlib Axes")
    y = check_scalar(y, "y")
    kwargs = dict(CHANCE_STYLE)
    if label is not None:
        if not isinstance(label, str):
            raise ValueError(f"label={label!r} is invalid: expected a string or None")
        kwargs["label"] = label
    return ax.axhline(y, **kwargs)

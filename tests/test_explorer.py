"""synthlib.Explorer: one declaration, a static rendering that responds without a kernel and a
live rendering that recomputes any value.

The browser side of the static rendering (the slider switches the figure on the built page)
is tested in test_browser.py::test_static_explorers_respond.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from synthlib import MODE_VARIABLE, Explorer, Parameter, new_figure  # noqa: E402

pytestmark = pytest.mark.unit

CALLS = []


def compute(a=1.0, b=0.0, c=3):
    CALLS.append((a, b, c))
    return {"a": a, "b": b, "c": c}


def plot(out):
    fig, ax = new_figure()
    x = np.linspace(0, 1, 20)
    ax.plot(x, out["a"] * x + out["b"] + 0.1 * out["c"])
    ax.set_ylim(-2, 5)
    return fig


def make(mode="static", **extra):
    params = dict(a=Parameter("a", 1.0, 0, 2, 0.1, grid=[0.5, 1.0, 2.0]),
                  b=Parameter("b", 0.0, -1, 1, 0.1))
    params.update(extra)
    return Explorer(compute, plot, mode=mode, **params)


def test_static_images_one_per_grid_point_and_distinct():
    ex = make(c=Parameter("c", 3, 1, 5, 1, kind="int", grid=[1, 3, 5]))
    CALLS.clear()
    images = ex.static_images()
    assert ex.grid_shape == (3, 3) and len(images) == 9
    assert len(set(images)) == 9, "two grid points gave the same figure"
    assert all(png.startswith(b"\x89PNG") for png in images)
    # row-major over (a, c); the live-only b stays at its default
    assert CALLS == [(a, 0.0, c) for a in (0.5, 1.0, 2.0) for c in (1, 3, 5)]


def test_static_widget_links_sliders_to_the_stack():
    ex = make(c=Parameter("c", 3, 1, 5, 1, kind="int", grid=[1, 3, 5]))
    box = ex.widget()
    assert "synthlib-explorer-static" in box._dom_classes
    sliders = [w for w in box.children if isinstance(w, ipywidgets.SelectionSlider)]
    assert [s.description for s in sliders] == ["a", "c"]
    assert [s.index for s in sliders] == [1, 1]            # the defaults' grid positions
    stack = next(w for w in box.children if isinstance(w, ipywidgets.Stack))
    assert stack.selected_index == 1 and len(stack.children) == 3
    assert all(isinstance(inner, ipywidgets.Stack) and len(inner.children) == 3
               for inner in stack.children)
    targets = {(link.source[0].model_id, link.target[0].model_id) for link in ex.links}
    assert all(link.source[1] == "index" and link.target[1] == "selected_index" for link in ex.links)
    assert (sliders[0].model_id, stack.model_id) in targets
    for inner in stack.children:
        assert (sliders[1].model_id, inner.model_id) in targets
    live_only = [w for w in box.children if "synthlib-live-only" in getattr(w, "_dom_classes", ())]
    assert [w.description for w in live_only] == ["b (live only)"] and live_only[0].disabled
    note = box.children[-1]
    assert isinstance(note, ipywidgets.HTML) and "live only" in note.value


def test_live_widget_recomputes_any_value():
    ex = make(mode="live")
    box = ex.widget()
    assert "synthlib-explorer-live" in box._dom_classes
    a, b = box.children[0], box.children[1]
    assert isinstance(a, ipywidgets.FloatSlider) and not a.disabled and not b.disabled
    CALLS.clear()
    a.value = 1.37                                          # not a grid value
    b.value = -0.4
    assert CALLS == [(1.37, 0.0, 3), (1.37, -0.4, 3)]
    out = next(w for w in box.children if isinstance(w, ipywidgets.Output))
    assert len(out.outputs) == 1 and "image/png" in out.outputs[0]["data"]


def test_mode_from_the_environment(monkeypatch):
    monkeypatch.setenv(MODE_VARIABLE, "static")
    assert make(mode=None).resolved_mode() == "static"
    monkeypatch.delenv(MODE_VARIABLE)
    assert make(mode=None).resolved_mode() == "live"
    monkeypatch.setenv(MODE_VARIABLE, "fast")
    with pytest.raises(ValueError, match=MODE_VARIABLE):
        make(mode=None).resolved_mode()


def test_figure_is_plot_of_compute_with_defaults():
    fig = make().figure(a=2.0)
    assert fig.axes[0].lines[0].get_ydata()[-1] == pytest.approx(2.0 + 0.3)


@pytest.mark.parametrize("kwargs, match", [
    (dict(grid=[0.1, 0.2]), "value=1.0 is invalid: expected one of grid"),
    (dict(grid=[1.0, 3.0]), "grid value 3.0 is out of range"),
    (dict(grid=[1.0, 1.0]), "distinct"),
    (dict(grid=list(np.linspace(0, 2, 26))), "expected 1 to 25"),
    (dict(grid="abc"), "grid='abc' is invalid"),
])
def test_parameter_rejects_bad_grids(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Parameter("a", 1.0, 0, 2, 0.1, **kwargs)


def test_explorer_rejects_bad_declarations():
    grid = Parameter("a", 1.0, 0, 2, 0.1, grid=[1.0])
    with pytest.raises(ValueError, match="compute"):
        Explorer(3, plot, a=grid)
    with pytest.raises(ValueError, match="plot"):
        Explorer(compute, None, a=grid)
    with pytest.raises(ValueError, match="a=3 is invalid"):
        Explorer(compute, plot, a=3)
    with pytest.raises(ValueError, match="no parameter has a grid"):
        Explorer(compute, plot, b=Parameter("b", 0.0, -1, 1, 0.1))
    with pytest.raises(ValueError, match="3 parameters have a grid"):
        Explorer(compute, plot, a=grid, b=Parameter("b", 0.0, -1, 1, 0.1, grid=[0.0]),
                 c=Parameter("c", 3, 1, 5, 1, kind="int", grid=[3]))
    with pytest.raises(ValueError, match="mode='fast' is invalid"):
        Explorer(compute, plot, a=grid, mode="fast")
    with pytest.raises(ValueError, match="unknown parameter"):
        Explorer(compute, plot, a=grid).figure(z=1)
    with pytest.raises(ValueError, match="plot returned None"):
        Explorer(compute, lambda out: None, a=grid).static_images()

"""JupyterLab and Binder: the notebook a student opens runs in the pinned JupyterLab, and Binder
builds the environment CI tests.

* ``test_chapter_runs_in_jupyterlab`` (browser): exports the classroom notebooks
  (``scripts/export_notebooks.py``), starts the documented ``jupyter lab`` of the venv on
  127.0.0.1 with a random token (tests/jupyter_server_fixture.py), opens chapter 1 in headless
  Chromium, runs all cells from the Run menu, and checks the rendered Markdown (headings; the
  theorem blocks and every promised figure once the notebook carries them as plain Markdown
  and image outputs), that no cell failed, and that moving the explorer's first slider redraws
  its figure in the live kernel. Nothing may be requested from another host.
* ``test_binder_python_is_ci_python`` / ``test_requirements_resolve_for_binder_python``:
  ``runtime.txt`` (what Binder's repo2docker installs) names the Python that runs this test
  suite, ``requires-python`` and the docs admit it, and ``requirements.txt`` resolves for it
  from the package index with wheels only (``pip install --dry-run --python-version``).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import skip_or_fail
from jupyter_server_fixture import jupyter_server_factory_fixture  # noqa: F401  (provides the fixture)

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHAPTER = "01_when_does_synthetic_help"
CI_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"

#: MyST markup that must not reach a student's notebook as raw text
RAW_MYST = re.compile(r"\{(prf:\w+|glue(:\w+)?|numref|cite(:\w+)?|eq|doc|ref|exercise|solution)\}|^\([\w-]+\)=\s*$",
                      re.M)


# --- JupyterLab --------------------------------------------------------------------------------


def _export_chapter(out: Path) -> Path:
    """The classroom notebook of CHAPTER, as `make notebooks` writes it (without outputs)."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "export_notebooks.py"), "--out", str(out),
                           "--chapters", "01"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"export_notebooks.py failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    found = sorted(out.rglob(f"{CHAPTER}.ipynb"))
    assert found, f"export_notebooks.py wrote no {CHAPTER}.ipynb under {out}:\n{proc.stdout[-2000:]}"
    return found[0]


def _promised_figures() -> int:
    """Figures the chapter's source promises (as in test_browser.py)."""
    text = (ROOT / "chapters" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    return text.count("{glue:figure}") + text.count("```{figure}")


def _wait(predicate, timeout: float, what: str, page=None, server=None, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            detail = ""
            if page is not None:
                detail += "\nstatus bar: " + page.locator("#jp-main-statusbar").inner_text()
            if server is not None:
                detail += "\nserver log (tail):\n" + server.log()[-2000:]
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}{detail}", pytrace=False)
        time.sleep(interval)


@pytest.mark.browser
def test_chapter_runs_in_jupyterlab(browser, jupyter_server_factory, tmp_path):
    # the session's browser (conftest.py) comes first: a missing one fails (CI) or skips
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        _run_chapter_in_lab(jupyter_server_factory, tmp_path, context)
    finally:
        context.close()


def _run_chapter_in_lab(jupyter_server_factory, tmp_path, browser):
    export = tmp_path / "notebooks"
    nb_path = _export_chapter(export)
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    n_cells = len(nb["cells"])
    n_code = sum(c["cell_type"] == "code" for c in nb["cells"])
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    # the checks that need the MyST-to-Markdown conversion (issue 8 item 2) run once the
    # notebook carries it: chapter 1's first theorem block then reads "Proposition 1.1"
    converted = "Proposition 1.1" in markdown
    if not converted:
        warnings.warn(f"{nb_path.name} is not converted to plain Markdown yet (no 'Proposition 1.1'): "
                      "the theorem, raw-MyST and figure checks were not run", stacklevel=1)

    server = jupyter_server_factory(export, lab=True)
    page = browser.new_page()   # a BrowserContext (the viewport is set on it)
    problems: list[str] = []
    hosts: set[str] = set()
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]) if "://" in r.url else None)

    rel = nb_path.relative_to(export).as_posix()
    page.goto(server.url_for(f"lab/tree/{rel}"), timeout=60_000)
    status = page.locator("#jp-main-statusbar")
    cells = page.locator(".jp-Notebook .jp-Cell")
    _wait(lambda: cells.count() >= n_cells, 90, f"the notebook's {n_cells} cells", page, server)
    status.filter(has_text="Python 3 | Idle").wait_for(timeout=90_000)   # kernel started, no dialog

    # Run > Run All Cells, as a reader does
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")

    def all_ran() -> bool:
        texts = prompts.all_inner_texts()
        return (len(texts) == n_code and all(re.fullmatch(r"\[\d+\]:", t.strip()) for t in texts)
                and status.filter(has_text="Python 3 | Idle").count() == 1)

    _wait(all_ran, 300, "every code cell to run (prompt [n]) and the kernel to be idle", page, server)

    # no cell failed: save, then read what JupyterLab wrote
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    tab = page.locator(".lm-TabBar-tab.jp-mod-current")
    _wait(lambda: "jp-mod-dirty" not in (tab.get_attribute("class") or ""), 30, "the notebook to be saved")
    saved = json.loads(nb_path.read_text(encoding="utf-8"))
    unran = [i for i, c in enumerate(saved["cells"]) if c["cell_type"] == "code" and not c.get("execution_count")]
    assert not unran, f"the saved notebook has code cells without an execution count: {unran}"
    errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, c in enumerate(saved["cells"])
              if c["cell_type"] == "code" for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors, "cells raised in JupyterLab:\n" + "\n".join(errors)

    # readable Markdown: the chapter title and its sections are rendered headings
    title = page.locator(".jp-RenderedMarkdown h1").first
    assert title.is_visible() and "when does it help" in title.inner_text().lower(), title.inner_text()
    assert page.locator(".jp-RenderedMarkdown h2").count() >= 3

    # figures: the explorer's live figure always; every promised figure once converted
    explorer = page.locator(".synthlib-explorer-live")
    assert explorer.count() == 1, "the chapter's explorer did not render live (class synthlib-explorer-live)"
    figure = explorer.locator(".widget-output img").first
    figure.wait_for(state="visible", timeout=60_000)
    outside = page.locator(".jp-Cell img:visible").evaluate_all(
        "els => els.filter(e => !e.closest('.synthlib-explorer') && e.naturalWidth > 0).length")
    if converted:
        rendered = "\n".join(page.locator(".jp-RenderedMarkdown").all_inner_texts())
        theorem = page.locator(".jp-RenderedMarkdown", has_text="Proposition 1.1").first
        assert theorem.is_visible(), "the theorem block 'Proposition 1.1' is not visible"
        raw = sorted({m.group(0).strip() for m in RAW_MYST.finditer(rendered)})
        assert not raw, f"raw MyST markup in the rendered notebook: {raw}"
        fences = sorted(set(re.findall(r"^\s*(?:```|~~~|:::)\s*(\{[\w:-]+\})", markdown, flags=re.M)))
        assert not fences, f"MyST directives left in the notebook's Markdown (shown as code blocks): {fences}"
        assert outside >= _promised_figures(), (
            f"{outside} figure(s) visible outside the explorer; the chapter promises {_promised_figures()}")

    # the live explorer: move the first slider one step, the figure is recomputed
    slider = explorer.locator(".widget-hslider").first
    handle = slider.locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    before_value = handle.get_attribute("aria-valuenow")
    before = figure.screenshot()
    # the keyboard, as a reader without a mouse does; the first key after the focus moves into
    # the output area can go to JupyterLab instead of the slider, so press until it moves
    for _ in range(3):
        handle.press("ArrowRight")
        deadline = time.monotonic() + 3
        while handle.get_attribute("aria-valuenow") == before_value and time.monotonic() < deadline:
            time.sleep(0.2)
        if handle.get_attribute("aria-valuenow") != before_value:
            break
    assert handle.get_attribute("aria-valuenow") != before_value, "ArrowRight on the slider's handle did not move it"

    def redrawn() -> bool:
        img = explorer.locator(".widget-output img").first
        return img.is_visible() and img.screenshot() != before

    _wait(redrawn, 60, "the explorer's figure to change after the slider moved", page, server, interval=1)

    assert hosts <= {server.url.split("/")[2]}, f"requests to another host: {sorted(hosts)}"
    assert not problems, "\n".join(problems)


# --- Binder ------------------------------------------------------------------------------------


def _runtime_python() -> str:
    text = (ROOT / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert m, f"runtime.txt must read python-X.Y (repo2docker's format), found {text!r}"
    return m.group(1)


def test_binder_python_is_ci_python():
    """Binder's Python (runtime.txt) is the one CI tests; requires-python, classifiers and docs admit it."""
    binder = _runtime_python()
    assert binder == CI_PYTHON, f"runtime.txt pins Python {binder}, the tests run on {CI_PYTHON}"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    spec = SpecifierSet(project["requires-python"])
    assert Version(binder) in spec, f"requires-python {spec} excludes Binder's Python {binder}"
    assert f"Programming Language :: Python :: {binder}" in project["classifiers"]
    # the minimum the docs state is requires-python's
    floor = next(s.version for s in spec if s.operator == ">=")
    stated_as = {"README.md": r"Python ≥ (\d+\.\d+)", "book/how_to_use.md": r"Python (\d+\.\d+)\s+or\s+later"}
    for doc, pattern in stated_as.items():
        stated = re.findall(pattern, (ROOT / doc).read_text(encoding="utf-8"))
        assert stated, f"{doc} no longer states the minimum Python ({pattern})"
        assert set(stated) == {floor}, f"{doc} states Python {stated}, requires-python says >= {floor}"
    assert "runtime.txt" in (ROOT / "README.md").read_text(encoding="utf-8"), "README does not document runtime.txt"


NETWORK_ERRORS = ("NewConnectionError", "Failed to establish a new connection", "Temporary failure in name resolution",
                  "Network is unreachable", "ConnectTimeoutError", "Read timed out", "ProxyError",
                  "SSLError", "Could not fetch URL", "Max retries exceeded")


def _index_url() -> str:
    """The index pip uses: PIP_INDEX_URL, else pip's configured index-url, else PyPI."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    for key in ("install.index-url", "global.index-url"):
        proc = subprocess.run([sys.executable, "-m", "pip", "config", "get", key], capture_output=True, text=True)
        if proc.returncode == 0 and proc.stdout.strip():
            return proc.stdout.strip()
    return "https://pypi.org/simple"


def _index_reachable() -> bool:
    try:
        with urllib.request.urlopen(_index_url().rstrip("/") + "/pip/", timeout=15):
            return True
    except (OSError, urllib.error.URLError):
        return False


@pytest.mark.packaging
def test_requirements_resolve_for_binder_python(tmp_path):
    """``requirements.txt`` (plus synthlib's own dependencies, for its ``-e .`` line) resolves for
    Binder's Python with wheels only: what repo2docker's ``pip install -r requirements.txt`` needs."""
    binder = _runtime_python()
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    kept = [ln for ln in lines if not re.match(r"\s*(-e|--editable)\s", ln)]
    assert len(lines) - len(kept) == 1, "requirements.txt should install synthlib with exactly one `-e .` line"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    req = tmp_path / "requirements-binder.txt"
    req.write_text("\n".join(kept + project["dependencies"]) + "\n")
    report = tmp_path / "report.json"
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
           "--python-version", binder, "--only-binary=:all:", "--report", str(report), "-r", str(req)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    if proc.returncode != 0 and (any(e in out for e in NETWORK_ERRORS) or not _index_reachable()):
        skip_or_fail(f"the package index is not reachable, so requirements.txt cannot be resolved for "
                     f"Python {binder}: {' '.join(cmd)}\n{out[-1500:]}")
    assert proc.returncode == 0, f"requirements.txt does not resolve for Python {binder}:\n{out[-4000:]}"
    installed = {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
                 for item in json.loads(report.read_text())["install"]}
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", "\n".join(kept), flags=re.M))
    wrong = {n: (v, installed.get(canonicalize_name(n))) for n, v in pins.items()
             if installed.get(canonicalize_name(n)) != v}
    assert not wrong, f"pins not honoured by the resolution (pin, resolved): {wrong}"

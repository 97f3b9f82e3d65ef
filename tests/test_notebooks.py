"""Every page of the table of contents that is a notebook executes top to bottom in a fresh
kernel. A failure names the page, the cell number and the cell's first lines.

`make test` builds the book first, and the build (execute_notebooks: cache) has already
executed every chapter in a fresh kernel and stored the result in _build/.jupyter_cache,
keyed by the hash of the chapter's code. Executing each chapter a second time would double
the test time, so a chapter whose exact code has a cached successful execution that is newer
than every file of synthlib counts as executed; its stored outputs are still checked for
errors. Any other chapter (no build, code changed, library changed since) is executed here.
Set NOTEBOOK_TESTS=execute to always execute.
"""
from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import jupytext
import nbclient
import pytest
from nbclient.exceptions import CellExecutionError

from export_notebooks import toc_files

ROOT = Path(__file__).resolve().parents[1]
PAGES = [p for p in toc_files() if "kernelspec" in jupytext.read(p).metadata]


def test_toc_lists_every_chapter():
    """A chapter file that is not in _toc.yml would silently never be built or tested."""
    in_toc = {p.resolve() for p in toc_files()}
    chapters = {p.resolve() for p in (ROOT / "chapters").glob("*.md")}
    assert chapters <= in_toc, f"not in _toc.yml: {sorted(str(p) for p in chapters - in_toc)}"


CACHE = ROOT / "_build" / ".jupyter_cache"


def _library_mtime() -> datetime:
    newest = max(p.stat().st_mtime for p in (ROOT / "synthlib").rglob("*.py"))
    return datetime.fromtimestamp(newest, tz=UTC)


def _fresh_cached_execution(nb):
    """The build's cached execution of exactly this code, if newer than the library."""
    if os.environ.get("NOTEBOOK_TESTS") == "execute" or not CACHE.exists():
        return None
    from jupyter_cache import get_cache
    cache = get_cache(CACHE)
    try:
        record = cache.match_cache_notebook(nb)
    except KeyError:
        return None
    created = record.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    if created < _library_mtime():
        return None
    return cache.get_cache_bundle(record.pk).nb


@pytest.mark.notebooks
@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_executes(path):
    nb = jupytext.read(path)
    cached = _fresh_cached_execution(nb)
    if cached is not None:
        errors = [(i + 1, o.get("ename")) for i, c in enumerate(cached.cells) if c.cell_type == "code"
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{path.relative_to(ROOT)}: cached execution has errors in cells {errors}"
        return
    client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        code_cells = [c for c in nb.cells if c.cell_type == "code"]
        failing = next((i for i, c in enumerate(code_cells)
                        if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        where = "unknown cell"
        if failing is not None:
            head = "\n    ".join(code_cells[failing].source.splitlines()[:6])
            where = f"code cell {failing + 1} of {len(code_cells)}:\n    {head}"
        pytest.fail(f"{path.relative_to(ROOT)} failed in {where}\n\n{exc}", pytrace=False)

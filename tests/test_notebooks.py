"""Every page of the table of contents that is a notebook executes top to bottom in a fresh
kernel. A failure names the page, the cell number and the cell's first lines."""
from __future__ import annotations

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


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_executes(path):
    nb = jupytext.read(path)
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

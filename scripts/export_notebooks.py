"""Export every chapter of the table of contents as a notebook that reads well outside the book.

Usage:
    python scripts/export_notebooks.py --out notebooks [--zip]   # classroom notebooks (make notebooks)
    python scripts/export_notebooks.py --into-html               # after the build (make book)
    python scripts/export_notebooks.py --execute --out notebooks # Binder's postBuild: no build there

Each chapter ``chapters/NN_name.md`` becomes ``<out>/chapters/NN_name.ipynb``: its Markdown
converted to plain notebook Markdown by ``scripts/myst_to_notebook.py`` (theorem, exercise and
solution blocks, numbered references, citations and glued numbers as text; see that module's
docstring), every glued figure an ``image/png`` output of the code cell that draws it.

Where the outputs come from (the chapters stay the one source):

* by default, from the build -- exactly what the page shows: the executed notebook
  ``<build>/jupyter_execute/chapters/NN.ipynb`` (or, when the build took the chapter from its
  execution cache, the cached execution in ``<build>/.jupyter_cache``) and its glued values
  ``NN.glue.json``, provided that the build executed the chapter's current code; otherwise
  the chapter is executed here, in a fresh kernel;
* ``--execute``: always executed here (nbclient, a fresh ``python3`` kernel per chapter);
* ``--no-execute``: never executed; a chapter without a current build has no outputs, and
  its glued numbers say that they are computed when the notebook runs.

``--into-html`` puts the notebooks where the built pages point: over the page's ``.ipynb``
download (``<build>/html/_sources/chapters/NN.ipynb``, which sphinx-book-theme fills with the
raw executed notebook) and it points each page's Binder button at the notebook that Binder's
``postBuild`` generates, ``notebooks/chapters/NN.ipynb``, instead of the MyST source.

Paths inside the notebooks (e.g. ../requirements.txt) keep working when ``notebooks/`` sits at
the repository root: ``<out>/requirements.txt`` is written next to ``<out>/chapters/``.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import myst_to_notebook as m2n  # noqa: E402

#: where Binder's postBuild writes the notebooks, relative to the repository root
BINDER_DIR = "notebooks"


def toc_files(toc_path: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every file named in _toc.yml, in reading order, resolved to its source path."""
    toc = yaml.safe_load(toc_path.read_text())
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    out = []
    for name in names:
        matches = [ROOT / f"{name}{ext}" for ext in (".md", ".ipynb") if (ROOT / f"{name}{ext}").exists()]
        if not matches:
            raise FileNotFoundError(f"_toc.yml names {name!r}, which has no .md or .ipynb file")
        out.append(matches[0])
    return out


def is_notebook(path: Path) -> bool:
    return "kernelspec" in jupytext.read(path).metadata


def chapter_sources(selection=None) -> list[Path]:
    """The chapters that are exported (front and back matter stay on the web), in reading
    order; ``selection`` keeps those whose file name starts with one of its strings."""
    out = [src for src in toc_files() if src.parts[-2] == "chapters" and is_notebook(src)]
    if selection:
        out = [src for src in out if any(src.name.startswith(s) for s in selection)]
    return out


def notebook_relpath(src: Path) -> Path:
    """Where a chapter's notebook goes inside an output folder: ``chapters/NN_name.ipynb``."""
    return src.relative_to(ROOT).with_suffix(".ipynb")


def binder_path(src: Path) -> str:
    """The path (from the repository root) of the notebook Binder opens for a chapter."""
    return f"{BINDER_DIR}/{notebook_relpath(src).as_posix()}"


def docname(src: Path) -> str:
    return src.relative_to(ROOT).with_suffix("").as_posix()


def _code(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]


def from_build(src: Path, build: Path):
    """``(executed notebook, glue)`` of the build for the chapter's current code, else None.

    The executed notebook ``jupyter_execute/chapters/NN.ipynb`` has the outputs only when the
    build executed the chapter: when it took the outputs from its execution cache, myst-nb
    1.4 writes that file without them (it writes its input notebook, not the merged one).
    The outputs are then taken from the cache itself (``.jupyter_cache``), as the page's were
    (``make book`` empties that cache when synthlib changed since the last build).
    """
    source = jupytext.read(src)
    executed = build / "jupyter_execute" / notebook_relpath(src)
    glue_path = executed.with_suffix(".glue.json")
    glue = {}
    if glue_path.exists():
        glue = {name: entry.get("data", {}) for name, entry in json.loads(glue_path.read_text()).items()}
    if executed.exists():
        nb = nbformat.read(executed, as_version=4)
        if _code(nb) == _code(source) and any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
            return nb, glue
    cache_dir = build / ".jupyter_cache"
    if not cache_dir.exists():
        return None
    from jupyter_cache import get_cache

    cache = get_cache(str(cache_dir))
    try:
        cache.match_cache_notebook(source)
    except KeyError:
        return None  # not executed by the build (code changed, or excluded from execution)
    _, nb = cache.merge_match_into_notebook(source)
    return nb, glue


def execute(src: Path, timeout: int) -> tuple:
    """Run a chapter top to bottom in a fresh kernel, its glued figures displayed."""
    import nbclient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(src)
    m2n.show_glued_figures(nb)
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(src.parent)}})
    try:
        client.execute()
        error = None
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
    return nb, error


def book_title() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text()).get("title", "the book")


def export_chapter(src: Path, *, index, bib, build: Path, mode: str, timeout: int = 900):
    """The converted notebook of one chapter, the conversion's warnings and where its
    outputs came from (``build``, ``executed``, ``none``; ``error: ...`` if a cell failed)."""
    glue = {}
    found = from_build(src, build) if mode in ("auto", "no-execute") else None
    if found:
        nb, glue = found
        origin = "build"
    elif mode in ("auto", "execute"):
        nb, error = execute(src, timeout)
        origin = "executed" if error is None else f"error: {error}"
    else:
        nb, origin = jupytext.read(src), "none"
    ctx = m2n.Context(docname(src), index, bib, glue=glue)
    out = m2n.convert_notebook(nb, ctx)
    number = index.chapter_numbers.get(docname(src))
    note = (f"*This notebook is chapter {number} of* {book_title()}, *generated from its source "
            f"`{src.relative_to(ROOT).as_posix()}`. Figures, equations, theorems and exercises "
            "carry the numbers of the book. Run all cells (Run ▸ Run All Cells) to recompute "
            "everything and to make every slider of the explorers live.*")
    out.cells.insert(1, nbformat.v4.new_markdown_cell(note))
    out.metadata["synthlib_book"] = {"source": src.relative_to(ROOT).as_posix(), "outputs": origin}
    return out, ctx.warnings, origin


def point_page_at_notebook(html_dir: Path, src: Path) -> bool:
    """Rewrite the page's Binder button to open the generated notebook; True if changed."""
    page = html_dir / src.relative_to(ROOT).with_suffix(".html")
    if not page.exists():
        return False
    text = page.read_text(encoding="utf-8")
    stem = re.escape(src.relative_to(ROOT).with_suffix("").as_posix())
    new = re.sub(rf"(urlpath=(?:lab/tree|tree)/)[^\"&]*?{stem}\.md", rf"\g<1>{binder_path(src)}", text)
    if new != text:
        page.write_text(new, encoding="utf-8")
    return new != text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write <out>/chapters/NN.ipynb (default notebooks, "
                        "unless --into-html is given)")
    parser.add_argument("--zip", action="store_true", help="also pack them into one .zip")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--execute", action="store_true", help="always execute each chapter here")
    how.add_argument("--no-execute", action="store_true", help="never execute (no outputs without a build)")
    parser.add_argument("--build", type=Path, default=ROOT / "_build",
                        help="the build folder (jupyter_execute/ and html/), default _build")
    parser.add_argument("--into-html", action="store_true",
                        help="write the notebooks over the built pages' .ipynb downloads and point "
                             "their Binder buttons at notebooks/chapters/NN.ipynb")
    parser.add_argument("--chapters", nargs="+", metavar="NN", help="only these chapters (file name prefixes)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell when executing")
    parser.add_argument("--strict", action="store_true", help="fail on any conversion warning")
    args = parser.parse_args(argv)
    build = args.build if args.build.is_absolute() else ROOT / args.build
    html = build / "html"
    out = args.out if args.out is not None else (None if args.into_html else Path("notebooks"))
    if out is not None and not out.is_absolute():
        out = ROOT / out
    if args.into_html and not (html / "index.html").exists():
        parser.error(f"--into-html: no built book in {html}")
    mode = "execute" if args.execute else "no-execute" if args.no_execute else "auto"

    index = m2n.BookIndex.from_sources()
    if (html / "index.html").exists():
        index.overlay_html(html)
        for label, ours, page in index.html_disagreements:
            print(f"  number of {label!r}: {ours} from the sources, {page} on the page (the page's is used)")
    bib = m2n.Bibliography()
    written, problems = [], 0
    for src in chapter_sources(args.chapters):
        nb, warnings, origin = export_chapter(src, index=index, bib=bib, build=build, mode=mode,
                                              timeout=args.timeout)
        raw = [hit for c in nb.cells if c.cell_type == "markdown" for hit in m2n.raw_myst(c.source)]
        for w in warnings + [f"raw MyST left: {hit}" for hit in raw]:
            print(f"  {src.name}: {w}")
        problems += bool(raw) + (origin.startswith("error") or (args.strict and bool(warnings)))
        targets = []
        if out is not None:
            targets.append(out / notebook_relpath(src))
        if args.into_html:
            targets.append(html / "_sources" / notebook_relpath(src))
        for dest in targets:
            dest.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, dest)
            print(f"wrote {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest} "
                  f"(outputs: {origin}, {m2n.image_outputs(nb)} figures)")
        if out is not None:
            written.append(out / notebook_relpath(src))
        if args.into_html and point_page_at_notebook(html, src):
            print(f"  Binder button of {src.stem}.html -> {binder_path(src)}")
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "requirements.txt").write_text((ROOT / "requirements.txt").read_text())
        if args.zip:
            archive = out / "synthetic-data-book-notebooks.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in written:
                    zf.write(path, path.relative_to(out))
                zf.write(ROOT / "requirements.txt", "requirements.txt")
            print(f"wrote {archive}")
    if problems:
        print(f"{problems} chapter(s) with problems (see above)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

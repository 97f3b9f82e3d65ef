"""The notebooks a student opens outside the HTML book read well (issue 8, item 2).

What is checked:

* the converter (scripts/myst_to_notebook.py) on small strings: every MyST construct the
  chapters use becomes plain notebook Markdown;
* every chapter converts without any raw MyST role, directive, target or labelled equation
  left, and each figure it glues is displayed by the code cell that draws it (no build needed);
* the numbers computed from the sources follow the book's numbering rules (a small book);
* with a built book: every downloadable notebook (the page's ``.ipynb`` download) is the
  converted one, with at least as many image outputs as the chapter has figures, no raw
  MyST, and every glued number substituted; the numbers and citations computed from the
  sources are those the pages show; the Binder button opens the generated notebook.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

import export_notebooks as ex
import myst_to_notebook as m2n

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ex.chapter_sources()
IDS = [p.stem for p in CHAPTERS]


@pytest.fixture(scope="module")
def index():
    return m2n.BookIndex.from_sources()


@pytest.fixture(scope="module")
def bib():
    return m2n.Bibliography()


def _context(index=None, bib=None, glue=None, docname="chapters/01_x"):
    if index is None:
        index = m2n.BookIndex()
        index.targets = {
            "eq-a": m2n.Target("equation", "(1.2)", "", docname),
            "fig-a": m2n.Target("figure", "Fig. 1.1", "caption", docname),
            "prop-a": m2n.Target("prf", "Proposition 1.1", "Title", docname),
            "ex-a": m2n.Target("exercise", "Exercise 1.3", "", docname),
            "sec-a": m2n.Target("section", "1.2", "A section with $x$", docname),
        }
        index.titles = {docname: "Chapter one", "chapters/02_y": "Chapter two", "book/how_to_use": "How to use"}
        index.chapter_numbers = {docname: "1", "chapters/02_y": "2"}
    return m2n.Context(docname, index, bib, glue=glue or {})


# ---------------------------------------------------------------------------------------
# The converter on small strings
# ---------------------------------------------------------------------------------------

def test_roles_become_text(bib):
    ctx = _context(bib=bib, glue={"val": {"text/plain": "'0.6214'"}, "num": {"text/plain": "0.5"}})
    src = ("See {eq}`eq-a`, {numref}`fig-a`, {prf:ref}`prop-a`, {ref}`ex-a`, {ref}`sec-a`, "
           "{ref}`this part <sec-a>`, {numref}`Figure %s <fig-a>`, {doc}`02_y`, {doc}`../book/how_to_use`, "
           "{cite}`ma2026synthetic`, {cite:t}`elfirdoussi2024maximizing`, {py:class}`synthlib.Explorer`: "
           "{glue:text}`val` and {glue:text}`num:.2f`; `{eq}`quoted`` stays code.")
    out = m2n.convert_markdown(src, ctx)
    assert out == ("See (1.2), Fig. 1.1, Proposition 1.1, Exercise 1.3, A section with $x$, "
                   "this part, Figure 1.1, [Chapter two](02_y.ipynb), *How to use*, "
                   "[Ma and Zhang, 2026], El Firdoussi et al. [2024], `synthlib.Explorer`: "
                   "0.6214 and 0.50; `{eq}`quoted`` stays code."), out
    assert not ctx.warnings, ctx.warnings
    assert ctx.cited == ["ma2026synthetic", "elfirdoussi2024maximizing"]


def test_several_citations_in_one_role_are_sorted_as_on_the_page(bib):
    out = m2n.convert_markdown("{cite}`couillet2022random,bai2010spectral`", _context(bib=bib))
    assert out == "[Bai and Silverstein, 2010, Couillet and Liao, 2022]"


def test_labels_and_equation_numbers():
    src = "(sec-a)=\n## Title\n\n$$\nx = 1\n$$ (eq-a)\n\nand $$y$$ inline, then\n\n$$ z $$"
    out = m2n.convert_markdown(src, _context())
    assert out == "## Title\n\n$$\nx = 1\n\\tag{1.2}\n$$\n\nand $$y$$ inline, then\n\n$$ z $$"


def test_blocks_theorem_proof_exercise_solution_admonition():
    src = """```{prf:proposition} Title
:label: prop-a

Statement with {eq}`eq-a`.
```

```{prf:proof}
Easy.
```

```{exercise}
:label: ex-a

Do it.
```

````{solution} ex-a
:class: dropdown

Done:

```python
print("{eq}`not a role in code`")
```
````

```{admonition} Careful
:class: warning
Watch out.
```"""
    out = m2n.convert_markdown(src, _context())
    assert "**Proposition 1.1** (Title).\n\nStatement with (1.2)." in out
    assert "*Proof.* Easy. ∎" in out
    assert "**Exercise 1.3**\n\nDo it." in out
    assert "<details>\n<summary><b>Solution to Exercise 1.3</b></summary>\n\nDone:" in out
    assert 'print("{eq}`not a role in code`")' in out            # code is left alone
    assert "**Careful**\n\nWatch out." in out
    assert out.count("---") == 6, out                               # rules around the 3 blocks
    assert m2n.raw_myst(out) == [], m2n.raw_myst(out)


def test_glued_figure_caption_and_markdown():
    glue = {"tab": {"text/markdown": "| a | b |\n|---|---|\n| {eq}`eq-a` | 2 |", "text/plain": "<Markdown>"}}
    ctx = _context(glue=glue)
    src = ("```{glue:figure} fig_name\n:name: fig-a\n\nCaption, see {eq}`eq-a`.\n```\n\n"
           "```{glue:md} tab\n:format: myst\n```")
    out = m2n.convert_markdown(src, ctx)
    assert out == "**Fig. 1.1.** Caption, see (1.2).\n\n| a | b |\n|---|---|\n| (1.2) | 2 |", out
    assert ctx.figures == ["fig_name"]


def test_missing_glue_value_says_so_without_raw_markup():
    ctx = _context()
    out = m2n.convert_markdown("value {glue:text}`nothing`", ctx)
    assert out == "value *[nothing: computed when the notebook runs]*"
    assert ctx.warnings == ["no glued value 'nothing'"]


def test_raw_myst_detector():
    assert m2n.raw_myst("{numref}`x`") == ["{numref}`"]
    assert m2n.raw_myst("```{prf:proof}\nx\n```") == ["```{prf:proof}"]
    assert m2n.raw_myst(":::{note}\nx\n:::") == [":::{note}"]
    assert m2n.raw_myst("(my-label)=\n# T") == ["(my-label)="]
    assert m2n.raw_myst("$$\nx\n$$ (eq-x)") == ["$$ (eq-x)"]
    # quoted in code, MyST syntax is fine
    assert m2n.raw_myst("`{numref}`x`` and\n```md\n(label)=\n{eq}`a`\n```") == []


def _notebook(cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def test_figures_become_image_outputs_of_the_cell_that_draws_them():
    code = nbformat.v4.new_code_cell('fig = f()\nglue("fig_a", fig, display=False)\nglue("v", "1", display=False)')
    caption = nbformat.v4.new_markdown_cell("```{glue:figure} fig_a\n:name: fig-a\n\nCaption.\n```")
    nb = _notebook([code, caption])
    ctx = _context(glue={"fig_a": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
                         "v": {"text/plain": "'1'"}})
    out = m2n.convert_notebook(nb, ctx)
    assert 'glue("fig_a", fig)' in out.cells[0].source              # shown when run again too
    assert 'glue("v", "1", display=False)' in out.cells[0].source    # numbers stay hidden
    assert m2n.image_outputs(out) == 1
    assert out.cells[1].source == "**Fig. 1.1.** Caption."
    assert "display=False" in nb.cells[0].source                     # the input is not modified


def test_glue_records_of_an_execution_are_collected_and_removed():
    rec = nbformat.v4.new_output("display_data", data={"application/papermill.record/text/plain": "'0.5'"},
                                 metadata={"scrapbook": {"name": "v", "mime_prefix": "application/papermill.record/"}})
    shown = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
                                   metadata={"scrapbook": {"name": "fig_a", "mime_prefix": ""}})
    cell = nbformat.v4.new_code_cell('glue("v", "0.5", display=False)\nglue("fig_a", fig)')
    cell.outputs = [rec, shown]
    nb = _notebook([cell])
    glue = m2n.collect_glue(nb)
    assert glue["v"] == {"text/plain": "'0.5'"} and "image/png" in glue["fig_a"]
    assert nb.cells[0].outputs == [shown]


def test_widget_output_gets_a_static_image_for_viewers_without_widgets():
    nb = _notebook([nbformat.v4.new_code_cell("Explorer(...)")])
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "execute_result", data={"application/vnd.jupyter.widget-view+json": {"model_id": "box"},
                                "text/plain": "VBox()"}, execution_count=1)]
    state = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_stack"]}},
        "stack": {"model_name": "StackModel", "state": {"children": ["IPY_MODEL_i0", "IPY_MODEL_i1"],
                                                         "selected_index": 1}},
        "i0": {"model_name": "ImageModel", "state": {"format": "png"},
               "buffers": [{"path": ["value"], "encoding": "base64", "data": "first"}]},
        "i1": {"model_name": "ImageModel", "state": {"format": "png"},
               "buffers": [{"path": ["value"], "encoding": "base64", "data": "selected"}]},
    }
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    assert m2n.widget_fallback_images(nb) == 1
    assert nb.cells[0].outputs[0]["data"]["image/png"] == "selected"


def test_numbering_rules_on_a_small_book(tmp_path):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "intro.md").write_text("# Intro\n")
    (tmp_path / "chapters" / "a.md").write_text("(ch-a)=\n# A\n\n## One\n\n$$\nx\n$$ (eq-a1)\n")
    (tmp_path / "chapters" / "b.md").write_text(
        "# B\n\n## First\n\n(sec-b)=\n### Sub\n\n"
        "```{prf:theorem} T\n:label: thm-b1\n\n$$\ny\n$$ (eq-b1)\n```\n\n"
        "```{prf:lemma}\n:label: lem-b1\nL\n```\n\n```{prf:theorem}\n:label: thm-b2\nT2\n```\n\n"
        "```{glue:figure} g\n:name: fig-b1\nC\n```\n\n$$\nz\n$$ (eq-b2)\n\n"
        "```{exercise}\n:label: ex-b1\nE\n```\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n"
        "  - caption: One\n    numbered: true\n    chapters:\n      - file: chapters/a\n"
        "  - caption: Two\n    numbered: true\n    chapters:\n      - file: chapters/b\n")
    index = m2n.BookIndex.from_sources(tmp_path / "_toc.yml")
    numbers = {k: t.number for k, t in index.targets.items()}
    assert numbers == {"ch-a": "1", "eq-a1": "(1.1)", "sec-b": "2.1.1", "thm-b1": "Theorem 2.1",
                       "eq-b1": "(2.1)", "lem-b1": "Lemma 2.1", "thm-b2": "Theorem 2.2",
                       "fig-b1": "Fig. 2.1", "eq-b2": "(2.2)", "ex-b1": "Exercise 2.1"}, numbers
    assert index.titles == {"intro": "Intro", "chapters/a": "A", "chapters/b": "B"}
    assert index.chapter_numbers == {"chapters/a": "1", "chapters/b": "2"}


# ---------------------------------------------------------------------------------------
# Every chapter converts (no build, no execution)
# ---------------------------------------------------------------------------------------

def promised_figures(src: Path) -> int:
    text = src.read_text(encoding="utf-8")
    return len(re.findall(r"^\s*(?:`{3,}|:{3,})\{(?:glue:figure|figure)\}", text, re.M))


@pytest.mark.parametrize("src", CHAPTERS, ids=IDS)
def test_every_chapter_converts_to_plain_markdown(src, index, bib):
    nb = jupytext.read(src)
    ctx = m2n.Context(ex.docname(src), index, bib)
    out = m2n.convert_notebook(nb, ctx)
    raw = [hit for c in out.cells if c.cell_type == "markdown" for hit in m2n.raw_myst(c.source)]
    assert not raw, f"{src.name}: raw MyST left: {raw[:10]}"
    other = [w for w in ctx.warnings if not w.startswith("no glued value")]
    assert not other, f"{src.name}: {other}"
    assert len(ctx.figures) == promised_figures(src)
    for name in ctx.figures:   # each figure is displayed by the cell that glues it
        code = "\n".join(c.source for c in out.cells if c.cell_type == "code")
        assert re.search(rf"glue\(\s*['\"]{re.escape(name)}['\"]", code), name
        assert not re.search(rf"glue\(\s*['\"]{re.escape(name)}['\"][^\n]*display\s*=\s*False", code), name


def test_binder_opens_the_notebooks_that_postbuild_writes():
    post = (ROOT / "postBuild").read_text()
    assert re.search(rf"export_notebooks\.py --execute --out {ex.BINDER_DIR}\b", post), post
    assert ex.binder_path(CHAPTERS[0]) == f"{ex.BINDER_DIR}/chapters/{CHAPTERS[0].stem}.ipynb"


# ---------------------------------------------------------------------------------------
# The built book
# ---------------------------------------------------------------------------------------

def _download(built_html: Path, src: Path) -> Path:
    return built_html / "_sources" / ex.notebook_relpath(src)


def _glue_json(built_html: Path, src: Path) -> dict:
    path = built_html.parent / "jupyter_execute" / ex.notebook_relpath(src).with_suffix(".glue.json")
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.mark.parametrize("src", CHAPTERS, ids=IDS)
def test_downloadable_notebook_reads_well(built_html, src):
    path = _download(built_html, src)
    assert path.exists(), f"{path} missing"
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("synthlib_book")
    assert meta, (f"{path.name} is the theme's copy of the executed MyST notebook, not the converted one: "
                  "`make book` must run `scripts/export_notebooks.py --into-html` after the build")
    assert meta["outputs"] == "build", meta
    figures = m2n.image_outputs(nb)
    assert figures >= promised_figures(src), f"{path.name}: {figures} image outputs for {promised_figures(src)} figures"
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    raw = m2n.raw_myst(markdown)
    assert not raw, f"{path.name}: raw MyST left: {raw[:10]}"
    assert "computed when the notebook runs" not in markdown, f"{path.name}: a glued value is missing"
    glue = _glue_json(built_html, src)
    for name in set(re.findall(r"\{glue:text\}`([^`:]+)`", src.read_text(encoding="utf-8"))):
        value = m2n.glued_text(glue[name]["data"])
        assert value in markdown, f"{path.name}: glued {name} = {value!r} not shown"


@pytest.mark.parametrize("src", CHAPTERS, ids=IDS)
def test_binder_button_opens_the_generated_notebook(built_html, src):
    page = (built_html / src.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
    urls = re.findall(r'href="(https://mybinder\.org/[^"]+)"', page)
    assert urls, "no Binder button"
    for url in urls:
        assert f"urlpath=lab/tree/{ex.binder_path(src)}" in url, url


def test_numbers_from_the_sources_are_those_of_the_pages(built_html, index):
    idx = m2n.BookIndex.from_sources()
    idx.overlay_html(built_html)
    assert not idx.html_disagreements, idx.html_disagreements[:20]


@pytest.mark.parametrize("src", CHAPTERS, ids=IDS)
def test_citations_read_as_on_the_page(built_html, src, bib):
    from bs4 import BeautifulSoup

    page = built_html / src.relative_to(ROOT).with_suffix(".html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    shown = sorted(" ".join(c.get_text().replace("\xa0", " ").split()) for c in soup.select("span.bibtex-citation"))
    ours = sorted(bib.cite([k.strip() for k in keys.split(",")], textual=bool(t))
                  for t, keys in re.findall(r"\{cite(:t)?\}`([^`]+)`", src.read_text(encoding="utf-8")))
    assert ours == shown


def test_classroom_export_from_the_build(built_html, tmp_path):
    src = CHAPTERS[0]
    assert ex.main(["--out", str(tmp_path), "--chapters", src.name[:2], "--no-execute",
                    "--build", str(built_html.parent)]) == 0
    nb = nbformat.read(tmp_path / ex.notebook_relpath(src), as_version=4)
    assert nb.metadata["synthlib_book"]["outputs"] == "build"
    assert m2n.image_outputs(nb) >= promised_figures(src)
    assert (tmp_path / "requirements.txt").exists()

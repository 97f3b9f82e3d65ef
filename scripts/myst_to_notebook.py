"""Turn a chapter's MyST notebook into a notebook that reads well outside the HTML book.

The chapters (``chapters/NN_name.md``, MyST Markdown notebooks) are the one source. What a
student opens instead of the HTML page -- the ``.ipynb`` downloaded from the page, the
classroom notebooks of ``make notebooks`` and the notebook Binder opens -- is generated from
them by :func:`convert_notebook`, which rewrites every Markdown cell into plain notebook
Markdown (the way QuantEcon converts MyST for its notebook repository) and shows every glued
number and figure:

==============================  =============================================================
MyST                            notebook Markdown
==============================  =============================================================
``(label)=`` target lines       removed
``# Title`` / ``## Section``    numbered as on the page: ``# 1. Title``, ``## 1.2. Section``
``$$ ... $$ (label)``           ``$$ ... \\tag{1.2} $$`` (MathJax shows the page's number)
``{prf:proposition}`` etc.      a block between rules: ``**Proposition 1.1** (title).``
``{prf:proof}``                 ``*Proof.* ... ∎``
``{exercise}``                  a block between rules: ``**Exercise 1.1**``
``{solution}`` (dropdown)       ``<details><summary>Solution to Exercise 1.1</summary>``
``{admonition}``, ``{note}`` …  a block between rules with its title in bold
``{glue:figure} name``          its caption as ``**Fig. 1.1.** caption``; the figure itself
                                is an ``image/png`` output of the code cell that glues it
``{glue:md} name``              the glued Markdown (a table), converted in turn
``{glue:text}`name```           the glued text, e.g. ``0.6214``
``{eq}`label```                 ``(1.2)``
``{numref}``/``{prf:ref}``      ``Fig. 1.1``, ``Proposition 1.1``, ``Exercise 9.2`` …
``{ref}`label```                the section title (or the number of a numbered block)
``{doc}`path```                 the page title (a link to the sibling notebook for chapters)
``{cite}``/``{cite:t}``         ``[Ma and Zhang, 2026]`` / ``Ma and Zhang [2026]``, and a
                                *References* cell at the end lists the works cited
``{py:class}`x``` and friends   inline code ```x```
==============================  =============================================================

Figures. A chapter glues each figure with ``glue("name", fig, display=False)`` so that the
page shows it once, where the ``{glue:figure}`` directive stands (always right after the
code cell that draws it). In the notebook the call loses its ``display=False``: the figure
is then an output of that code cell, both in the exported notebook (whose outputs come from
the build, or from executing it) and when a student runs the cell again. The caption follows
as the next Markdown cell, as on the page.

Numbers. Every label's number (``Fig. 8.1``, ``(8.4)``, ``Theorem 8.2``, ``Exercise 8.3``,
section ``8.2.1``) is computed from the sources in :class:`BookIndex` with the rules the book
uses (``numfig``, ``math_numfig``, ``numfig_secnum_depth: 1``; chapters numbered across the
numbered parts of ``_toc.yml``; one counter per kind of block per chapter). When a built
book is at hand its numbers are read from the HTML and take precedence
(:meth:`BookIndex.overlay_html`), and ``tests/test_notebook_export.py`` checks that both
agree, so a notebook made without a build (Binder) shows the same numbers as the page.

Citations come from ``book/references.bib`` in the book's ``author_year`` style.
"""
from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "book" / "references.bib"

#: the blocks of sphinx-proof, with the word the page shows
PRF_TYPES = {
    "theorem": "Theorem", "proposition": "Proposition", "lemma": "Lemma",
    "definition": "Definition", "assumption": "Assumption", "algorithm": "Algorithm",
    "corollary": "Corollary", "conjecture": "Conjecture", "axiom": "Axiom",
    "criterion": "Criterion", "example": "Example", "property": "Property",
    "observation": "Observation", "remark": "Remark",
}
ADMONITIONS = {"note", "warning", "tip", "important", "hint", "caution", "attention",
               "danger", "error", "seealso", "admonition"}

#: what a notebook must not contain: a MyST role, a directive fence, a target line, a
#: labelled equation (used by the tests; code spans and fenced code are left out first)
RAW_ROLE = re.compile(r"\{[A-Za-z][\w:+.-]*\}`")
RAW_DIRECTIVE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*\{[^}]+\}", re.M)
RAW_TARGET = re.compile(r"^\s*\([^()\s]+\)=\s*$", re.M)
RAW_EQ_LABEL = re.compile(r"\$\$[ \t]*\([^()\s]+\)[ \t]*$", re.M)

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_DIRECTIVE_INFO = re.compile(r"^\{(?P<name>[^}\s]+)\}[ \t]*(?P<arg>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<title>.*?)[ \t]*#*[ \t]*$")
_TARGET = re.compile(r"^[ \t]*\((?P<label>[^()\s]+)\)=[ \t]*$")
_ROLE_OR_CODE = re.compile(
    r"\{(?P<role>[A-Za-z][\w:+.-]*)\}`(?P<content>[^`]*)`"   # a role
    r"|(?P<ticks>`+)(?P<code>.+?)(?P=ticks)",                  # or a code span, kept as is
    re.S)
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_DOLLARS = re.compile(r"\$\$")
_CODE_ROLES = {"func", "class", "meth", "mod", "attr", "obj", "data", "exc", "code", "file", "samp",
               "command", "kbd", "envvar"}
_EQ_LABEL_AFTER = re.compile(r"[ \t]*\((?P<label>[^()\s]+)\)[ \t]*(?=\n|$)")


def make_id(label: str) -> str:
    """The HTML id Sphinx gives a label (``nodes.make_id``), to compare labels safely."""
    from docutils.nodes import make_id as _make_id
    return _make_id(label)


# --------------------------------------------------------------------------------------
# Block structure of a Markdown cell
# --------------------------------------------------------------------------------------

@dataclass
class Directive:
    name: str
    arg: str
    options: dict
    body: str
    fence: str


@dataclass
class Fence:
    """A fenced code block: passed through untouched."""
    text: str


def parse_blocks(text: str) -> list:
    """Split Markdown into ``str`` runs, :class:`Fence` code blocks and :class:`Directive`
    blocks (MyST ```` ```{name} ```` and ``:::{name}`` fences, nested fences respected)."""
    lines = text.split("\n")
    out: list = []
    run: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            run.append(lines[i])
            i += 1
            continue
        fence, indent = m.group("fence"), m.group("indent")
        close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        body_lines = [ln[len(indent):] if ln.startswith(indent) else ln for ln in lines[i + 1:j]]
        if run:
            out.append("\n".join(run))
            run = []
        d = _DIRECTIVE_INFO.match(m.group("info"))
        if d:
            options = {}
            k = 0
            # options: `:key: value` lines first (a YAML `---` block is not used by the book)
            while k < len(body_lines) and (om := _OPTION.match(body_lines[k].strip())):
                options[om.group("key")] = om.group("value").strip()
                k += 1
            body = "\n".join(body_lines[k:]).strip("\n")
            out.append(Directive(d.group("name"), d.group("arg").strip(), options, body, fence))
        else:
            out.append(Fence("\n".join(lines[i:j + 1])))
        i = j + 1
    if run:
        out.append("\n".join(run))
    return out


def display_math(text: str):
    """``(start, end, body, label)`` of every ``$$ ... $$`` block in ``text`` (code spans
    are not looked into), with the MyST label written after the closing ``$$`` if any."""
    masked = _ROLE_OR_CODE.sub(lambda m: " " * len(m.group(0)) if m.group("ticks") else m.group(0), text)
    spans = []
    delims = [m.start() for m in _DOLLARS.finditer(masked)]
    for a, b in zip(delims[::2], delims[1::2], strict=False):  # an unpaired last $$ is text
        end = b + 2
        label = None
        lm = _EQ_LABEL_AFTER.match(text, end)
        if lm:
            label = lm.group("label")
            end = lm.end()
        spans.append((a, end, text[a + 2:b], label))
    return spans


# --------------------------------------------------------------------------------------
# Numbers of the book's labels
# --------------------------------------------------------------------------------------

@dataclass
class Target:
    kind: str           # figure, equation, prf, exercise, section, doc
    number: str         # as the page shows it: "Fig. 1.1", "(1.1)", "Proposition 1.1", "8.2.1"
    title: str          # Markdown (sections, blocks with a title, pages)
    docname: str


@dataclass
class BookIndex:
    """Label -> :class:`Target` for the whole book, and page titles."""
    targets: dict = field(default_factory=dict)     # make_id(label) -> Target
    titles: dict = field(default_factory=dict)      # docname -> title (Markdown)
    chapter_numbers: dict = field(default_factory=dict)  # docname -> "8"
    html_disagreements: list = field(default_factory=list)

    @classmethod
    def from_sources(cls, toc_path: Path = ROOT / "_toc.yml") -> BookIndex:
        import jupytext
        import yaml

        toc = yaml.safe_load(toc_path.read_text())
        root = toc_path.parent
        pages = [(toc["root"], False)]
        for part in toc.get("parts", []):
            numbered = bool(part.get("numbered"))
            pages += [(entry["file"], numbered) for entry in part.get("chapters", [])]
        index = cls()
        number = 0
        for docname, numbered in pages:
            path = next(p for p in (root / f"{docname}.md", root / f"{docname}.ipynb") if p.exists())
            chapter = None
            if numbered:
                number += 1
                chapter = str(number)
                index.chapter_numbers[docname] = chapter
            nb = jupytext.read(path)
            text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            index._index_page(docname, chapter, text)
        return index

    def _index_page(self, docname: str, chapter: str | None, text: str) -> None:
        counters: dict[str, int] = {}
        sections: list[int] = []
        state = {"pending": [], "title": None}

        def count(kind):
            counters[kind] = counters.get(kind, 0) + 1
            return f"{chapter}.{counters[kind]}" if chapter else ""

        def add(label, target):
            self.targets[make_id(label)] = target

        def walk(markdown: str, top: bool):
            for block in parse_blocks(markdown):
                if isinstance(block, Fence):
                    continue
                if isinstance(block, Directive):
                    walk_directive(block)
                    continue
                # equations first (in order), then headings and targets line by line
                for _, _, _, label in display_math(block):
                    if label:
                        num = count("equation")
                        add(label, Target("equation", f"({num})" if num else "", "", docname))
                for line in block.split("\n"):
                    if tm := _TARGET.match(line):
                        state["pending"].append(tm.group("label"))
                    elif top and (hm := _HEADING.match(line)):
                        level, title = len(hm.group("hashes")), hm.group("title")
                        if state["title"] is None:
                            state["title"] = title
                            self.titles[docname] = title
                            num = chapter or ""
                        else:
                            num = next_section_number(sections, level, chapter) if chapter else ""
                        for label in state["pending"]:
                            add(label, Target("section", num, title, docname))
                        state["pending"] = []

        def walk_directive(d: Directive):
            name = d.name
            label = d.options.get("label") or d.options.get("name")
            if name.startswith("prf:") and name[4:] in PRF_TYPES:
                word = PRF_TYPES[name[4:]]
                num = count(name)
                if label:
                    add(label, Target("prf", f"{word} {num}".strip(), d.arg, docname))
            elif name == "exercise":
                num = count("exercise")
                if label:
                    add(label, Target("exercise", f"Exercise {num}".strip(), d.arg, docname))
            elif name in ("glue:figure", "figure") and d.options.get("name"):
                num = count("figure")
                add(d.options["name"], Target("figure", f"Fig. {num}".strip(), d.body, docname))
            elif name == "math" and label:
                num = count("equation")
                add(label, Target("equation", f"({num})" if num else "", "", docname))
            if name not in ("glue:md", "code-cell", "code-block", "code", "math"):
                walk(d.body, top=False)

        walk(text, top=True)

    def overlay_html(self, html_dir: Path) -> None:
        """Take every number from the built pages (they win), and record where the numbers
        computed from the sources disagree (``html_disagreements``, checked by a test)."""
        from bs4 import BeautifulSoup

        found: dict[str, str] = {}
        for page in sorted(Path(html_dir).rglob("*.html")):
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            main = soup.find("main") or soup
            for fig in main.select("figure[id]"):
                cap = fig.select_one(".caption-number")
                if cap:
                    found[fig["id"]] = _clean(cap.get_text())
            for eq in main.select("div.math[id^=equation-]"):
                no = eq.select_one(".eqno")
                if no:
                    found[eq["id"].removeprefix("equation-")] = _clean(no.get_text()).rstrip("#").strip()
            for block in main.select("div.proof[id], div.exercise[id]"):
                cap = block.select_one(".admonition-title .caption-number")
                if cap:
                    found[block["id"]] = _clean(cap.get_text())
            for heading in main.select("h1, h2, h3, h4, h5, h6"):
                secnum = heading.select_one(".section-number")
                num = _clean(secnum.get_text()).rstrip(".") if secnum else ""
                ids = []
                sec = heading.parent
                if sec is not None and sec.name == "section" and sec.get("id"):
                    ids.append(sec["id"])
                for sib in heading.find_previous_siblings("span"):
                    if sib.get("id") and not sib.get_text(strip=True):
                        ids.append(sib["id"])
                for i in ids:
                    found.setdefault(i, num)
        for key, target in self.targets.items():
            if key in found and found[key] != target.number:
                self.html_disagreements.append((key, target.number, found[key]))
                target.number = found[key]

    # -- what a reference shows ---------------------------------------------------------
    def get(self, label: str) -> Target | None:
        return self.targets.get(make_id(label))


def _clean(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


# --------------------------------------------------------------------------------------
# Bibliography
# --------------------------------------------------------------------------------------

class Bibliography:
    """Author-year citations from ``book/references.bib``, as the page shows them."""

    def __init__(self, path: Path = BIB):
        from pybtex.database import parse_file
        self.path = path
        self.data = parse_file(str(path))

    @staticmethod
    def _text(latex: str) -> str:
        from pybtex.richtext import Text
        return Text.from_latex(latex).render_as("text")

    def authors(self, key: str) -> str:
        entry = self.data.entries[key]
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [self._text(" ".join(p.prelast_names + p.last_names)) for p in people]
        if not names:
            return self._text(entry.fields.get("title", key))
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]} and {names[1]}"
        return f"{names[0]} et al."

    def year(self, key: str) -> str:
        return self.data.entries[key].fields.get("year", "n.d.")

    def cite(self, keys: list[str], textual: bool = False) -> str:
        keys = sorted(keys, key=lambda k: (self.authors(k), self.year(k)))
        if textual:
            return ", ".join(f"{self.authors(k)} [{self.year(k)}]" for k in keys)
        return "[" + ", ".join(f"{self.authors(k)}, {self.year(k)}" for k in keys) + "]"

    def reference_list(self, keys) -> str:
        """The works cited, formatted as the book's bibliography (pybtex ``plain`` style)."""
        from pybtex.style.formatting.plain import Style
        keys = sorted(set(keys), key=lambda k: (self.authors(k), self.year(k)))
        style = Style()
        lines = []
        for k in keys:
            entry = style.format_entry(k, self.data.entries[k])
            text = " ".join(entry.text.render_as("markdown").replace("\\", "").split())  # one line per item
            lines.append(f"- **{self.cite([k])[1:-1]}**. {text}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Converting Markdown
# --------------------------------------------------------------------------------------

@dataclass
class Context:
    """What the conversion of one chapter needs and what it finds."""
    docname: str
    index: BookIndex
    bib: Bibliography | None = None
    glue: dict = field(default_factory=dict)        # name -> mime bundle
    figures: list = field(default_factory=list)     # glue names of {glue:figure}, in order
    cited: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    figure_notes: dict = field(default_factory=dict)  # glue name -> note after the caption


def glued_text(bundle: dict | None) -> str | None:
    if not bundle:
        return None
    if "text/markdown" in bundle:
        return _join(bundle["text/markdown"])
    text = bundle.get("text/plain")
    if text is None:
        return None
    text = _join(text)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def _join(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def convert_markdown(text: str, ctx: Context) -> str:
    """MyST Markdown -> plain notebook Markdown (see the module docstring)."""
    out = []
    for block in parse_blocks(text):
        if isinstance(block, Fence):
            out.append(block.text)
        elif isinstance(block, Directive):
            out.append(_directive(block, ctx))
        else:
            out.append(_text(block, ctx))
    result = "\n".join(out)
    # two blocks in a row share one rule; no run of blank lines
    result = re.sub(r"\n---\n\n+---\n", "\n---\n", result)
    result = re.sub(r"\n{3,}", "\n\n", result)
    return result.strip("\n")


def _text(text: str, ctx: Context) -> str:
    # labelled display math -> \tag{number}
    pieces, pos = [], 0
    for start, end, body, label in display_math(text):
        pieces.append(text[pos:start])
        if label:
            target = ctx.index.get(label)
            number = target.number.strip("()") if target and target.number else ""
            if not number:
                ctx.warnings.append(f"equation label {label!r} has no number")
            tag = f"\\tag{{{number}}}" if number else ""
            body = body.rstrip()
            pieces.append(f"$${body}\n{tag}\n$$" if "\n" in body else f"$${body} {tag}$$")
        else:
            pieces.append(text[start:end])
        pos = end
    pieces.append(text[pos:])
    text = "".join(pieces)
    lines = []
    for line in text.split("\n"):
        if _TARGET.match(line) or re.match(r"^%", line):
            continue  # `(label)=` targets and MyST comments
        lines.append(line)
    return _inline("\n".join(lines), ctx)


def next_section_number(sections: list[int], level: int, chapter: str) -> str:
    """The page's number of the next heading of ``level`` (``##`` = 2): ``"8.1"``, ``"8.1.2"``.

    ``sections`` holds the running counters below the chapter and is updated in place.
    """
    depth = level - 1
    del sections[depth:]
    while len(sections) < depth:
        sections.append(0)
    sections[depth - 1] += 1
    return ".".join([chapter, *map(str, sections)])


def number_headings(markdown: str, ctx: Context, state: dict) -> str:
    """``# Title`` -> ``# 8. Title``, ``## Section`` -> ``## 8.1. Section`` (as the page)."""
    chapter = ctx.index.chapter_numbers.get(ctx.docname)
    if not chapter:
        return markdown
    out = []
    for block in parse_blocks(markdown):
        if not isinstance(block, str):
            out.append(block.text if isinstance(block, Fence) else _refence(block))
            continue
        lines = []
        for line in block.split("\n"):
            hm = _HEADING.match(line)
            if hm:
                level = len(hm.group("hashes"))
                secs = state.setdefault("sections", [])
                if not state.get("title_seen"):
                    state["title_seen"] = True
                    num = chapter
                else:
                    num = next_section_number(secs, level, chapter)
                line = f"{hm.group('hashes')} {num}. {hm.group('title')}"
            lines.append(line)
        out.append("\n".join(lines))
    return "\n".join(out)


def _refence(d: Directive) -> str:
    opts = "".join(f":{k}: {v}\n" for k, v in d.options.items())
    return f"{d.fence}{{{d.name}}} {d.arg}".rstrip() + "\n" + opts + d.body + "\n" + d.fence


def _inline(text: str, ctx: Context) -> str:
    def replace(m):
        return m.group(0) if m.group("ticks") else _role(m.group("role"), m.group("content"), ctx)
    return _ROLE_OR_CODE.sub(replace, text)


def _split_explicit(content: str) -> tuple[str | None, str]:
    m = _EXPLICIT.match(content.strip())
    if m and m.group("text"):
        return m.group("text"), m.group("target").strip()
    return None, content.strip()


def _role(role: str, content: str, ctx: Context) -> str:
    text, target_name = _split_explicit(content)
    if role in ("glue:text", "glue", "glue:", "glue:any", "glue:md"):
        name, _, spec = content.strip().partition(":") if role == "glue:text" else (content.strip(), "", "")
        value = glued_text(ctx.glue.get(name))
        if value is None:
            ctx.warnings.append(f"no glued value {name!r}")
            return f"*[{name}: computed when the notebook runs]*"
        if spec:
            try:
                value = format(float(value), spec)
            except ValueError:
                pass
        return value
    if role == "eq":
        target = ctx.index.get(target_name)
        if text:
            return text
        if target and target.number:
            return target.number
        ctx.warnings.append(f"equation {target_name!r} not found")
        return f"({target_name})"
    if role in ("numref", "ref", "prf:ref", "any", "std:ref", "std:numref"):
        target = ctx.index.get(target_name)
        if target is None:
            ctx.warnings.append(f"{role} target {target_name!r} not found")
            return text or target_name
        if role == "ref" and target.kind == "section":
            return text or target.title
        number = target.number
        if role == "numref" and target.kind == "section":
            number = f"Section {target.number}"
        if text:
            digits = number.split()[-1] if number else ""
            return text.replace("%s", digits).replace("{number}", digits).replace("{name}", target.title)
        return number or target.title
    if role == "doc":
        docname = _resolve_doc(ctx.docname, target_name)
        title = ctx.index.titles.get(docname)
        if title is None:
            ctx.warnings.append(f"doc {target_name!r} not found")
            title = target_name
        shown = text or title
        if docname.startswith("chapters/") and ctx.index.chapter_numbers.get(docname):
            return f"[{shown}]({Path(docname).name}.ipynb)"
        return f"*{shown}*"
    if role in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts", "cite:alp", "cite:author", "cite:year"):
        keys = [k.strip() for k in content.split(",") if k.strip()]
        if ctx.bib is None:
            return "[" + ", ".join(keys) + "]"
        missing = [k for k in keys if k not in ctx.bib.data.entries]
        if missing:
            ctx.warnings.append(f"citation keys not in the bibliography: {missing}")
            return "[" + ", ".join(keys) + "]"
        ctx.cited += keys
        if role == "cite:author":
            return ", ".join(ctx.bib.authors(k) for k in keys)
        if role == "cite:year":
            return ", ".join(ctx.bib.year(k) for k in keys)
        return ctx.bib.cite(keys, textual=role.startswith("cite:t"))
    if role == "math":
        return f"${content}$"
    if role.startswith("py:") or role in _CODE_ROLES:
        shown = (text or target_name).lstrip("~")
        return f"`{shown}`"
    if role in ("sub", "sup"):
        return f"<{role}>{content}</{role}>"
    if role in ("abbr", "term", "dfn", "guilabel", "menuselection", "sub-ref", "index"):
        return text or content
    ctx.warnings.append(f"unknown role {{{role}}}")
    return text or content


def _resolve_doc(current: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/").removesuffix(".md")
    parts = list(Path(current).parent.parts)
    for piece in target.removesuffix(".md").split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _block(header: str, body: str) -> str:
    """A numbered block between two rules (math-safe: no blockquote prefixes)."""
    inner = f"{header}\n\n{body}".strip() if body.strip() else header
    return f"\n---\n\n{inner}\n\n---\n"


def _directive(d: Directive, ctx: Context) -> str:
    name = d.name
    label = d.options.get("label") or d.options.get("name")
    body = lambda: convert_markdown(d.body, ctx)  # noqa: E731
    title = _inline(d.arg, ctx) if d.arg else ""
    if name.startswith("prf:"):
        kind = name[4:]
        if kind == "proof":
            content = body()
            if not content:
                return "\n*Proof.* ∎\n"
            last = content.rstrip().rsplit("\n", 1)[-1]
            end = " ∎" if re.match(r"^[^$|`<>#*\-\s\d]", last) and "$$" not in last else "\n\n∎"
            return "\n" + _with_prefix("*Proof.*", content).rstrip() + end + "\n"
        word = PRF_TYPES.get(kind, kind.capitalize())
        target = ctx.index.get(label) if label else None
        header = f"**{target.number if target and target.number else word}**"
        if title:
            header += f" ({title})"
        return _block(header + ".", body())
    if name == "exercise":
        target = ctx.index.get(label) if label else None
        header = f"**{target.number if target and target.number else 'Exercise'}**"
        if title:
            header += f" ({title})"
        return _block(header, body())
    if name == "solution":
        target = ctx.index.get(d.arg) if d.arg else None
        what = f"Solution to {target.number}" if target and target.number else "Solution"
        if "dropdown" in d.options.get("class", ""):
            return f"\n<details>\n<summary><b>{what}</b></summary>\n\n{body()}\n\n</details>\n"
        return _block(f"**{what}**", body())
    if name in ADMONITIONS:
        if name == "admonition" and title:
            header = f"**{title}**"
        else:
            header = f"**{name.capitalize()}**" + (f": {title}" if title else "")
        if "dropdown" in d.options.get("class", ""):
            return f"\n<details>\n<summary>{header}</summary>\n\n{body()}\n\n</details>\n"
        return _block(header, body())
    if name == "dropdown":
        return f"\n<details>\n<summary><b>{title or 'Details'}</b></summary>\n\n{body()}\n\n</details>\n"
    if name == "glue:figure":
        glue_name = d.arg
        ctx.figures.append(glue_name)
        target = ctx.index.get(d.options["name"]) if d.options.get("name") else None
        caption = body()
        note = ctx.figure_notes.get(glue_name, "")
        number = target.number if target and target.number else "Figure"
        return f"\n**{number}.** {note}{caption}\n"
    if name in ("glue:md", "glue", "glue:any"):
        value = glued_text(ctx.glue.get(d.arg))
        if name != "glue:md" and ctx.glue.get(d.arg, {}).get("image/png") is not None:
            ctx.figures.append(d.arg)
            return ""
        if value is None:
            ctx.warnings.append(f"no glued value {d.arg!r}")
            return f"\n*[{d.arg}: computed when the notebook runs]*\n"
        return "\n" + convert_markdown(value, ctx) + "\n"
    if name in ("figure", "image"):
        alt = d.options.get("alt", "")
        target = ctx.index.get(d.options["name"]) if d.options.get("name") else None
        caption = body()
        image = f"![{alt}]({d.arg})"
        if caption:
            number = target.number if target and target.number else "Figure"
            return f"\n{image}\n\n**{number}.** {caption}\n"
        return f"\n{image}\n"
    if name == "math":
        target = ctx.index.get(label) if label else None
        tag = f"\n\\tag{{{target.number.strip('()')}}}" if target and target.number else ""
        return f"\n$$\n{d.body}{tag}\n$$\n"
    if name in ("code-block", "code", "sourcecode", "code-cell"):
        return f"\n```{d.arg.split()[0] if d.arg else ''}\n{d.body}\n```\n"
    if name in ("epigraph", "pull-quote", "highlights", "margin", "sidebar", "topic", "card"):
        return _block(f"**{title}**" if title else "", body())
    if name in ("tab-set", "tab-item", "div", "container", "only"):
        return "\n" + (f"**{title}**\n\n" if title and name == "tab-item" else "") + body() + "\n"
    ctx.warnings.append(f"unknown directive {{{name}}}")
    return _block(f"**{name}**" + (f" ({title})" if title else ""), body())


def _with_prefix(prefix: str, content: str) -> str:
    first = content.split("\n", 1)[0]
    if first and not re.match(r"^\s*(\$\$|[-*+] |\d+\. |#|```|\||<)", first):
        return f"{prefix} {content}"
    return f"{prefix}\n\n{content}"


# --------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------

_PAPERMILL = "application/papermill.record/"


def _glue_call(name: str) -> re.Pattern:
    return re.compile(
        rf"(glue\(\s*(['\"]){re.escape(name)}\2\s*,\s*[^()]*?(?:\([^()]*\)[^()]*?)*?)"
        rf"\s*,\s*display\s*=\s*False(\s*\))")


def figure_names(nb) -> list[str]:
    """Glue names that a ``{glue:figure}`` directive of the notebook shows."""
    names = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            names += re.findall(r"^\s*(?:`{3,}|:{3,})\{glue:figure\}\s*(\S+)", cell.source, re.M)
    return names


def show_glued_figures(nb, names=None) -> dict:
    """Let every ``glue(name, fig, display=False)`` of a figure that the page shows display
    it in the notebook (drop ``display=False``). Returns ``{name: code cell index}``."""
    names = figure_names(nb) if names is None else names
    where = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for name in names:
            pattern = _glue_call(name)
            if pattern.search(cell.source):
                cell.source = pattern.sub(r"\1\3", cell.source)
                where[name] = i
            elif re.search(rf"glue\(\s*(['\"]){re.escape(name)}\1", cell.source):
                where[name] = i  # already displayed
    return where


def collect_glue(nb) -> dict:
    """Glue values stored in the outputs of an executed notebook (``name -> mime bundle``);
    the invisible ``display=False`` records are removed from the outputs."""
    glue = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook") if out.get("output_type") == "display_data" else None
            if meta and meta.get("name"):
                data = {k.removeprefix(_PAPERMILL): v for k, v in out.get("data", {}).items()}
                glue[meta["name"]] = data
                if any(k.startswith(_PAPERMILL) for k in out.get("data", {})):
                    continue
            kept.append(out)
        cell["outputs"] = kept
    return glue


def _image_output(bundle: dict, name: str):
    import nbformat
    data = {k: bundle[k] for k in ("image/png", "image/svg+xml", "image/jpeg", "text/plain") if k in bundle}
    return nbformat.v4.new_output("display_data", data=data, metadata={"glued": name})


def _has_image_for(cell, name: str) -> bool:
    for out in cell.get("outputs", []):
        meta = out.get("metadata", {})
        named = meta.get("glued") == name or meta.get("scrapbook", {}).get("name") == name
        if named and any(k.startswith("image/") for k in out.get("data", {})):
            return True
    return False


def widget_fallback_images(nb) -> int:
    """Give every widget output a static ``image/png`` (the figure a static explorer shows
    first, from the saved widget state), for viewers without widgets (GitHub, nbviewer)."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    if not state:
        return 0

    def first_png(model_id, seen):
        if model_id in seen or model_id not in state:
            return None
        seen.add(model_id)
        model = state[model_id]
        st = model.get("state", {})
        if model.get("model_name") == "ImageModel" and st.get("format", "png") == "png":
            for buf in model.get("buffers", []):
                if buf.get("path") == ["value"] and buf.get("encoding") == "base64":
                    return buf["data"]
        if model.get("model_name") == "OutputModel":
            for out in st.get("outputs", []):
                if "image/png" in out.get("data", {}):
                    return out["data"]["image/png"]
        children = st.get("children", [])
        if model.get("model_name") == "StackModel" and st.get("selected_index") is not None and children:
            children = [children[st["selected_index"]]] + children
        for child in children:
            found = first_png(str(child).removeprefix("IPY_MODEL_"), seen)
            if found:
                return found
        return None

    added = 0
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            view = data.get("application/vnd.jupyter.widget-view+json")
            if view and "image/png" not in data:
                png = first_png(view.get("model_id"), set())
                if png:
                    data["image/png"] = png
                    added += 1
    return added


def convert_notebook(nb, ctx: Context):
    """A copy of ``nb`` (a chapter, executed or not) with every Markdown cell converted and
    every glued figure shown as an ``image/png`` output of the code cell that glues it."""
    import nbformat

    nb = copy.deepcopy(nb)
    ctx.glue.update(collect_glue(nb))
    names = figure_names(nb)
    where = show_glued_figures(nb, names)
    # a caption that does not directly follow the figure says where the figure is
    per_cell: dict[int, list[str]] = {}
    for name in names:
        if name in where:
            per_cell.setdefault(where[name], []).append(name)
    for i, glued in per_cell.items():
        for k, name in enumerate(glued):
            if k > 0 or not _caption_follows(nb, i, name):
                ctx.figure_notes[name] = (f"(Output {k + 1} of the code cell above.) " if len(glued) > 1
                                          else "(The output of the code cell above.) ")
    for name in names:
        if name not in where:
            ctx.warnings.append(f"figure {name!r}: no code cell glues it")
            continue
        cell = nb.cells[where[name]]
        if not _has_image_for(cell, name) and name in ctx.glue and "image/png" in ctx.glue[name]:
            cell.setdefault("outputs", []).append(_image_output(ctx.glue[name], name))
    heading_state: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = convert_markdown(number_headings(cell.source, ctx, heading_state), ctx)
            cell.pop("attachments", None)
    nb.cells = [c for c in nb.cells if not (c.cell_type == "markdown" and not c.source.strip())]
    widget_fallback_images(nb)
    if ctx.cited and ctx.bib is not None:
        nb.cells.append(nbformat.v4.new_markdown_cell(
            "## References\n\n" + ctx.bib.reference_list(ctx.cited)))
    for key in ("source_map", "jupytext"):
        nb.metadata.pop(key, None)
    return nb


def _caption_follows(nb, code_index: int, name: str) -> bool:
    nxt = nb.cells[code_index + 1] if code_index + 1 < len(nb.cells) else None
    if nxt is None or nxt.cell_type != "markdown":
        return False
    blocks = [b for b in parse_blocks(nxt.source) if not (isinstance(b, str) and not _TARGET.sub("", b).strip())]
    first = blocks[0] if blocks else None
    return isinstance(first, Directive) and first.name == "glue:figure" and first.arg == name


# --------------------------------------------------------------------------------------
# Checks (used by the tests and by the exporter)
# --------------------------------------------------------------------------------------

def raw_myst(markdown: str) -> list[str]:
    """Every piece of MyST syntax left in ``markdown`` (empty when it reads as plain Markdown);
    fenced code and code spans, where MyST syntax may be quoted, are not looked into."""
    found = []
    for block in parse_blocks(markdown):
        if isinstance(block, Fence):
            continue
        if isinstance(block, Directive):
            found.append(f"{block.fence}{{{block.name}}}")
            found += raw_myst(block.body)
            continue
        prose = _ROLE_OR_CODE.sub(lambda m: "" if m.group("ticks") else m.group(0), block)
        for pattern in (RAW_ROLE, RAW_DIRECTIVE, RAW_TARGET, RAW_EQ_LABEL):
            found += [m.group(0).strip() for m in pattern.finditer(prose)]
    return found


def image_outputs(nb) -> int:
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if o.get("output_type") in ("display_data", "execute_result")
               and any(k.startswith("image/") for k in o.get("data", {})))

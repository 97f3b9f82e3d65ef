"""The book's own configuration makes a build fail on a broken cell or a broken reference.

Each case copies the real _config.yml and book/ into a temporary book with one chapter,
breaks one thing, and runs the exact build command of the Makefile.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JB = Path(sys.executable).with_name("jupyter-book")

HEADER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst, format_version: 0.13}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
"""

CHAPTERS = {
    "good": HEADER + "# Good\n\n$$\nx = 1\n$$ (eq-good)\n\nSee {eq}`eq-good`.\n\n"
            "```{code-cell} ipython3\nprint(1 + 1)\n```\n",
    "broken_cell": HEADER + "# Broken cell\n\n```{code-cell} ipython3\n"
                   "raise ValueError('deliberately broken cell')\n```\n",
    "broken_eq": HEADER + "# Broken reference\n\nSee {eq}`eq-does-not-exist`.\n",
    "broken_cite": HEADER + "# Broken citation\n\nAs in {cite}`nobody2099`.\n",
}

EXPECTED = {
    "broken_cell": "deliberately broken cell",
    "broken_eq": "eq-does-not-exist",
    "broken_cite": "nobody2099",
}


def _build(tmp_path: Path, chapter: str) -> subprocess.CompletedProcess:
    book = tmp_path / "book_src"
    book.mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(ROOT / "book", book / "book",
                    ignore=shutil.ignore_patterns("*.md"))   # keep references.bib and _vendor
    (book / "book" / "intro.md").write_text("# Intro\n")
    (book / "chapters").mkdir()
    (book / "chapters" / "case.md").write_text(CHAPTERS[chapter])
    (book / "_toc.yml").write_text("format: jb-book\nroot: book/intro\n"
                                   "chapters:\n  - file: chapters/case\n")
    env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run([str(JB), "build", "-W", "-n", "--keep-going", str(book)],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def jupyter_book():
    if not JB.exists():
        pytest.fail(f"jupyter-book not found next to {sys.executable}")
    return JB


@pytest.mark.build
def test_clean_chapter_builds_without_warnings(tmp_path, jupyter_book):
    result = _build(tmp_path, "good")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "WARNING" not in result.stderr.replace("[IPKernelApp] WARNING", "")


@pytest.mark.build
@pytest.mark.parametrize("chapter", sorted(EXPECTED))
def test_broken_chapter_fails_the_build(tmp_path, jupyter_book, chapter):
    result = _build(tmp_path, chapter)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{chapter} built successfully:\n{output[-3000:]}"
    assert EXPECTED[chapter] in output, output[-3000:]

"""Every launch, download and edit link of the built book points at a file that exists.

Binder and edit links point into the repository (checked against this checkout); download
links point into the build (checked against _build/html). All of them derive from the one
`repository:` setting of _config.yml.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import jupytext
import pytest
import yaml

from export_notebooks import toc_files

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO_URL = CONFIG["repository"]["url"].rstrip("/")
BRANCH = CONFIG["repository"]["branch"]
OWNER_REPO = urlparse(REPO_URL).path.strip("/")


def html_page(source: Path) -> str:
    return source.relative_to(ROOT).with_suffix(".html").as_posix()


PAGES = [(src, html_page(src)) for src in toc_files()]
NOTEBOOK_PAGES = [(s, h) for s, h in PAGES if "kernelspec" in jupytext.read(s).metadata]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html_dir: Path, page: str) -> list[str]:
    parser = _Links()
    parser.feed((html_dir / page).read_text(encoding="utf-8"))
    return parser.hrefs


def test_every_toc_page_was_built(built_html):
    missing = [page for _, page in PAGES if not (built_html / page).exists()]
    assert not missing, missing


@pytest.mark.parametrize("source, page", NOTEBOOK_PAGES, ids=[p for _, p in NOTEBOOK_PAGES])
def test_binder_link_opens_this_notebook_from_the_configured_repository(built_html, source, page):
    binder = [h for h in links(built_html, page) if "mybinder.org" in h]
    assert len(binder) == 1, binder
    url = urlparse(binder[0])
    assert url.path == f"/v2/gh/{OWNER_REPO}/{BRANCH}", url.path
    target = parse_qs(url.query)["urlpath"][0]
    # the converted notebook that postBuild writes on Binder (tests/test_notebook_export.py
    # checks that postBuild writes exactly this path)
    from export_notebooks import binder_path
    if source.parts[-2] == "chapters":
        assert unquote(target) == f"lab/tree/{binder_path(source)}", target
    else:   # front and back matter: not exported; Binder opens the MyST source through jupytext
        assert (ROOT / unquote(target.removeprefix("lab/tree/"))).resolve() == source.resolve(), target


@pytest.mark.parametrize("source, page", PAGES, ids=[p for _, p in PAGES])
def test_download_and_edit_links_point_at_existing_files(built_html, source, page):
    hrefs = links(built_html, page)
    downloads = [h for h in hrefs if "_sources/" in h]
    assert downloads, f"{page} has no download link"
    for href in downloads:
        target = (built_html / page).parent / unquote(href)
        assert target.resolve().exists(), f"{page}: download link {href} points at nothing"
    if source in dict(NOTEBOOK_PAGES):
        assert any(h.endswith(".ipynb") for h in downloads), f"{page} offers no .ipynb download"
    for href in hrefs:
        if href.startswith(f"{REPO_URL}/edit/"):
            rel = href.removeprefix(f"{REPO_URL}/edit/{BRANCH}/")
            assert (ROOT / unquote(rel)).exists(), f"{page}: edit link {href} points at nothing"


def test_no_colab_button_and_thebe_enabled(built_html):
    for _, page in NOTEBOOK_PAGES:
        text = (built_html / page).read_text(encoding="utf-8")
        assert "colab.research.google.com" not in text, f"{page} has a Colab link"
        assert "initThebeSBT()" in text, f"{page} has no Live Code (Thebe) button"


def test_requirements_install_the_library_for_binder():
    req = (ROOT / "requirements.txt").read_text().splitlines()
    assert "-e ." in req, "Binder (repo2docker) installs synthlib through `-e .` in requirements.txt"
    assert any(line.startswith("jupytext==") for line in req), "Binder needs jupytext to open .md"


#: the static explorers' precomputed figures may add at most this much to a page (issue 8)
EXPLORER_BUDGET_BYTES = 3_000_000


@pytest.mark.parametrize("source, page", PAGES, ids=[p for _, p in PAGES])
def test_explorer_figures_stay_within_the_page_budget(built_html, source, page):
    """The embedded widget state (where the static explorers keep their figures) of a page
    stays within the budget, and a page whose source declares an Explorer carries one."""
    import re

    text = (built_html / page).read_text(encoding="utf-8")
    states = re.findall(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>',
                        text, flags=re.S)
    size = sum(len(s.encode("utf-8")) for s in states)
    assert size <= EXPLORER_BUDGET_BYTES, f"{page}: {size:,} bytes of widget state"
    if re.search(r"^Explorer\(", source.read_text(encoding="utf-8"), flags=re.M):
        assert "synthlib-explorer-static" in text, f"{page}: the explorer is not in static mode"

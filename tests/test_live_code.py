"""Live Code runs: the built page's Thebe (served from the build) connects to a local Jupyter
server, runs chapter 1, and the explorer answers a value outside its static grid.

The test starts a Jupyter server (127.0.0.1, random token, the page's origin allowed) at the
repository root, builds chapter 1 alone with the documented build setting
``SYNTHLIB_LIVE_CODE_SERVER``/``SYNTHLIB_LIVE_CODE_TOKEN`` (scripts/try_chapter.sh, the same
configuration and strict flags as ``make book``), serves the page, clicks Live Code, runs all
cells, moves the explorer's ε slider from 0.30 to 0.35 (the static grid has 0.3 and 0.4
only) and checks that the figure changes, with no request to any host but the page's and
the kernel server's, and no page error.
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import skip_or_fail
from jupyter_server_fixture import free_port, start_jupyter_server

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = "chapters/01_when_does_synthetic_help.md"

pytestmark = pytest.mark.browser


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args, **kwargs):
        pass


@pytest.fixture(scope="module")
def jupyter_server():
    """A Jupyter server at the repository root (kernel: the venv's python3, live explorers);
    yields ``(base_url, token, page_port)`` — the page server's port is chosen here so that
    the Jupyter server can allow exactly that origin."""
    try:
        import jupyter_server  # noqa: F401
    except ImportError:
        skip_or_fail("jupyter-server is not installed (requirements.txt pins it)")
    page_port = free_port()
    with start_jupyter_server(ROOT, extra_args=[f"--ServerApp.allow_origin=http://127.0.0.1:{page_port}"]) as server:
        yield server.url + "/", server.token, page_port


@pytest.fixture(scope="module")
def live_site(jupyter_server, tmp_path_factory):
    base, token, page_port = jupyter_server
    scratch = tmp_path_factory.mktemp("live_book")
    env = dict(os.environ, TRY_CHAPTER_DIR=str(scratch), SYNTHLIB_LIVE_CODE_SERVER=base,
               SYNTHLIB_LIVE_CODE_TOKEN=token)
    run = subprocess.run(["bash", str(ROOT / "scripts" / "try_chapter.sh"), CHAPTER], env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    html = next(scratch.glob("*/_build/html"))
    page = (html / CHAPTER).with_suffix(".html")
    assert f'"baseUrl": "{base}"' in page.read_text(encoding="utf-8"), "the build setting did not reach the page"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", page_port), functools.partial(_Quiet, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{page_port}", base
    server.shutdown()


def test_live_code_runs_the_explorer_outside_the_static_grid(browser, sync_api, live_site):
    origin, kernel = live_site
    allowed = (origin, kernel, kernel.replace("http", "ws", 1), "data:", "blob:", "about:")
    problems = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        pg = context.new_page()
        pg.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        pg.on("request", lambda r: None if r.url.startswith(allowed)
              else problems.append(f"request to another host: {r.url}"))
        pg.on("response", lambda r: problems.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
        pg.goto(f"{origin}/{Path(CHAPTER).with_suffix('.html').as_posix()}", wait_until="load")
        # the theme's launch menu item "Live Code" runs initThebeSBT()
        pg.locator(".dropdown-launch-buttons button").first.click()
        pg.locator("button.btn-launch-thebe").first.click()
        button = pg.locator(".thebe-launch-button")
        button.wait_for(timeout=10_000)
        pg.wait_for_function(
            "() => ['ready', 'failed'].includes(document.querySelector('.thebe-launch-button')"
            "?.dataset.liveCode)", timeout=120_000)
        assert button.get_attribute("data-live-code") == "ready", button.inner_text()
        pg.evaluate("() => window.thebe.notebook.executeAll()")
        explorer = pg.locator(".synthlib-explorer-live").first
        explorer.wait_for(timeout=240_000)
        explorer.scroll_into_view_if_needed()
        image = explorer.locator("img").first
        image.wait_for(timeout=30_000)
        before = hashlib.sha256(image.screenshot()).hexdigest()
        readout = explorer.locator(".widget-readout").first
        assert readout.inner_text() == "0.30"
        explorer.locator(".noUi-handle").first.focus()
        pg.keyboard.press("ArrowRight")
        assert readout.inner_text() == "0.35"            # not a value of the static grid
        deadline = time.time() + 60
        after = before
        while after == before and time.time() < deadline:
            pg.wait_for_timeout(500)
            try:
                after = hashlib.sha256(explorer.locator("img").first.screenshot()).hexdigest()
            except sync_api.Error:   # the Output is being redrawn: its image was just replaced
                continue
        assert after != before, "the slider moved to 0.35 but the live figure did not change"
    finally:
        context.close()
    assert not problems, problems

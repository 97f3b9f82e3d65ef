"""Live Code served from the build: Thebe from ``_static/thebe``, a Binder or local kernel.

sphinx-thebe 0.3.1 (pulled in by Jupyter Book 1) hard-codes Thebe's address on unpkg.com,
always configures Binder and emits its inline configuration script twice (the page error
"Identifier 'THEBE_JS_URL' has already been declared"). This extension keeps the theme's
"Live Code" button and replaces what sits behind it, on every page:

* sphinx-thebe's inline script and ``sphinx-thebe.js`` are dropped from the page's scripts;
  ``live-code.js`` (book/_static) takes their place. It loads the Thebe bundle vendored in
  ``book/_vendor/thebe`` (``make vendor``), serves the require.js that Thebe's widget
  manager fetches from a CDN out of ``_static/widgets`` and turns MathJax 2 off (the page
  has MathJax 3), so that clicking requests nothing from another host except the kernel
  server. Its status line never spins silently: every state and failure is written out,
  with the JupyterLab/Binder route as the fallback.
* the page's ``text/x-thebe-config`` block is replaced by this extension's configuration.

The kernel server is a build setting (README, "Live Code"):

* default: Binder, for the repository and branch of ``_config.yml``;
* ``live_code_server`` / ``live_code_token`` (Sphinx config values, e.g. in ``_config.yml``
  under ``sphinx: config:``) or the environment variables ``SYNTHLIB_LIVE_CODE_SERVER`` /
  ``SYNTHLIB_LIVE_CODE_TOKEN`` at build time: a Jupyter server you run, e.g.
  ``jupyter server --ServerApp.allow_origin=<the book's origin> --IdentityProvider.token=<token>``
  started at the repository root.
"""
from __future__ import annotations

import json
import os
import re

CONFIG_BLOCK = re.compile(r'<script type="text/x-thebe-config">.*?</script>', re.S)


def _thebe_config(app, pagename: str) -> dict:
    server = app.config.live_code_server or os.environ.get("SYNTHLIB_LIVE_CODE_SERVER", "")
    token = app.config.live_code_token or os.environ.get("SYNTHLIB_LIVE_CODE_TOKEN", "")
    folder = pagename.rsplit("/", 1)[0] if "/" in pagename else ""
    config = {
        "requestKernel": True,
        "kernelOptions": {"kernelName": "python3", "path": folder or "."},
        # the page typesets with MathJax 3; Thebe's MathJax 2 would come from a CDN
        "mathjaxUrl": "",
    }
    if server:
        config.update(useBinder=False,
                      serverSettings={"baseUrl": server.rstrip("/") + "/", "token": token,
                                      "appendToken": True})
    else:
        repo = app.config.html_theme_options.get("repository_url", "")
        branch = app.config.html_theme_options.get("repository_branch", "main")
        org_repo = repo.split("github.com/")[-1].strip("/")
        config.update(useBinder=True,
                      binderOptions={"repo": org_repo, "ref": branch, "binderUrl": "https://mybinder.org",
                                     "repoProvider": "github"})
    return config


def _page_context(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts is None:
        return
    kept = []
    for js in scripts:
        filename = getattr(js, "filename", None) or ""
        body = (getattr(js, "attributes", None) or {}).get("body", "")
        if filename.endswith("sphinx-thebe.js") or "THEBE_JS_URL" in body:
            continue
        kept.append(js)
    scripts[:] = kept   # in place: the builder's page list, which add_js_file below extends
    if "body" in context:
        config = json.dumps(_thebe_config(app, pagename), indent=1)
        block = f'<script type="text/x-thebe-config">\n{config}\n</script>'
        body, n = CONFIG_BLOCK.subn(lambda _m: block, context["body"])
        context["body"] = body if n else body + block
    app.add_js_file("live-code.js", defer="defer")  # the button's initThebe(); page-local


def setup(app):
    app.add_config_value("live_code_server", "", "html", types=[str])
    app.add_config_value("live_code_token", "", "html", types=[str])
    # after sphinx-thebe and the theme have registered their scripts
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


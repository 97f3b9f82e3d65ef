"""Shared test configuration.

Under ``CI=true`` (set by ``.ci/run``) a test that would be skipped because the browser,
Playwright or the built book is missing fails instead: CI must never pass by skipping.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
IN_CI = os.environ.get("CI", "").lower() == "true"

sys.path.insert(0, str(ROOT / "scripts"))


def skip_or_fail(reason: str):
    """Skip locally; fail under CI=true."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true turns this skip into a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built_html() -> Path:
    """The built HTML book; run `make book` first."""
    if not (HTML / "index.html").exists():
        skip_or_fail("the book is not built: run `make book` first")
    return HTML

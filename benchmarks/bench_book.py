"""Book build benchmarks: incremental rebuild after editing one chapter versus a clean build,
and (with --fresh) the README's test command on a fresh clone.

Targets (issue 2): a rebuild after editing one chapter takes under 60 s; `make test` on a
fresh clone of a 2-core machine finishes within 15 minutes.

Usage:
    .venv/bin/python benchmarks/bench_book.py            # rebuild vs clean build (a few minutes)
    .venv/bin/python benchmarks/bench_book.py --fresh    # also: git clone + `make test` (long)

Runs in a temporary copy of the working tree, so the checkout's _build is not touched.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JB = Path(sys.executable).with_name("jupyter-book")


def run(cmd, cwd, env=None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"command failed ({result.returncode}): {' '.join(map(str, cmd))}")
    return elapsed


def bench_rebuild() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book"
        shutil.copytree(ROOT, book, ignore=shutil.ignore_patterns(
            ".venv", "_build", ".git", "notebooks", "__pycache__", ".pytest_cache", ".hypothesis"))
        build = [str(JB), "build", "-W", "-n", "--keep-going", "."]
        clean = run(build, book)
        chapter = sorted((book / "chapters").glob("*.md"))[0]
        text = chapter.read_text()
        marker = "```{code-cell} ipython3\n"
        # a code change (not just prose) so the edited chapter is re-executed, as after a real edit
        chapter.write_text(text.replace(marker, marker + "# benchmark edit\n", 1))
        rebuild = run(build, book)
        print(f"{'clean build (all chapters executed)':<52}{clean:8.1f} s")
        print(f"{'rebuild after editing ' + chapter.name:<52}{rebuild:8.1f} s   "
              f"(target < 60 s: {'met' if rebuild < 60 else 'MISSED'}; "
              f"{clean / rebuild:.1f}x faster than a clean build)")


def bench_fresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {**os.environ, "CI": "true"}
        elapsed = run(["make", "test"], clone, env=env)
        print(f"{'fresh clone: make test (venv, install, build, tests)':<52}{elapsed:8.1f} s   "
              f"(target <= 900 s: {'met' if elapsed <= 900 else 'MISSED'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="also time make test on a fresh clone")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores")
    bench_rebuild()
    if args.fresh:
        bench_fresh()
    return 0


if __name__ == "__main__":
    sys.exit(main())

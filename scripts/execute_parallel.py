"""Execute every notebook page of the book in parallel into the build's execution cache.

Jupyter Book 1 executes notebooks one after another. On a 2-core machine running them on
all cores first, into the same jupyter-cache that `execute_notebooks: cache` reads, halves
the build's execution time: the build then finds every chapter already executed for its
exact code and only renders it. A notebook that fails here is simply left uncached; the
build then executes it itself and reports the failing cell as usual.

Usage: python scripts/execute_parallel.py [--timeout SECONDS]
"""
from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

import jupytext
from export_notebooks import toc_files
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args(argv)
    pages = [p for p in toc_files() if "kernelspec" in jupytext.read(p).metadata]
    cache = get_cache(CACHE)
    # the build executes with execute_notebooks: cache and reads exactly this cache
    for path in pages:
        cache.add_nb_to_project(str(path), read_data={"name": "jupytext", "type": "plugin"})
    start = time.perf_counter()
    # Fresh interpreters, not forks: a forked worker inherits the parent's state, and on this
    # machine one forked nbclient worker once waited forever for a kernel reply.
    multiprocessing.set_start_method("spawn", force=True)
    executor = load_executor("local-parallel", cache)
    # jupyter-cache's local-parallel executor runs one process per core
    result = executor.run_and_cache(timeout=args.timeout, allow_errors=False)
    elapsed = time.perf_counter() - start
    print(f"pre-executed {len(result.succeeded)} notebook(s) in {elapsed:.1f} s "
          f"({len(result.excepted)} failed and left to the build, "
          f"{len(result.errored)} errored); cache: {CACHE}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time every chapter explorer's `compute` at its default settings (target: <= 200 ms).

Each chapter is executed in a fresh kernel (as a reader does before moving a slider); then
every top-level function named `compute` or `compute_*` is called with its defaults, best of
five calls. The plotting step is not timed: matplotlib's draw time is the same for every
chapter and not under the book's control.

Usage: .venv/bin/python benchmarks/bench_widgets.py [chapters/NN_name.md ...]
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import jupytext
import nbclient
import nbformat

ROOT = Path(__file__).resolve().parents[1]
TIMING_CELL = """
import time as _time
_out = {}
for _name in %r:
    _f = globals()[_name]
    _best = float("inf")
    for _ in range(5):
        _t = _time.perf_counter(); _f(); _best = min(_best, _time.perf_counter() - _t)
    _out[_name] = _best
print(repr(_out))
"""


def main(argv) -> int:
    paths = [ROOT / a for a in argv] or sorted((ROOT / "chapters").glob("*.md"))
    print(f"{'chapter':<40}{'function':<20}{'best of 5':>12}")
    worst = 0.0
    for path in paths:
        names = re.findall(r"^def (compute\w*)\(", path.read_text(), flags=re.M)
        if not names:
            continue
        nb = jupytext.read(path)
        nb.cells.append(nbformat.v4.new_code_cell(TIMING_CELL % (names,)))
        nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}}).execute()
        text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        timings = eval(text.strip().splitlines()[-1])  # our own repr of a dict of floats
        for name, best in timings.items():
            worst = max(worst, best)
            flag = "" if best <= 0.2 else "   OVER 200 ms"
            print(f"{path.name:<40}{name:<20}{1000 * best:>9.1f} ms{flag}")
    print(f"slowest explorer update: {1000 * worst:.1f} ms (target <= 200 ms: "
          f"{'met' if worst <= 0.2 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Print or compare every glued value of a built book.

A refactor of the library must not change what the book shows. Record the glued values
of a build, change the code, rebuild, and compare:

    python scripts/glue_values.py _build/jupyter_execute --save before.json
    ... change, rebuild ...
    python scripts/glue_values.py _build/jupyter_execute --compare before.json

Values are the ``text/markdown`` (glued tables) or else ``text/plain`` form each
``glue(...)`` call stored (figures appear as their ``<Figure size ...>`` text, so a figure
that changes layout shows up too).
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys


def glued_values(build_dir: str) -> dict:
    """``{"chapter::name": text}`` for every glued value under ``build_dir/chapters``."""
    out = {}
    for path in sorted(glob.glob(os.path.join(build_dir, "chapters", "*.glue.json"))):
        chapter = os.path.basename(path).split(".")[0]
        with open(path, encoding="utf-8") as fh:
            entries = json.load(fh)
        for name, entry in entries.items():
            data = entry.get("data", {})
            # a glued table or Markdown text shows as its text/markdown; text/plain would
            # only say "<IPython.core.display.Markdown object>"
            text = data.get("text/markdown", data.get("text/plain"))
            out[f"{chapter}::{name}"] = text if text is not None else "<" + ",".join(sorted(data)) + ">"
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir", help="the jupyter_execute folder of a build, e.g. _build/jupyter_execute")
    parser.add_argument("--save", help="write the values to this JSON file")
    parser.add_argument("--compare", help="compare with the values saved in this JSON file")
    args = parser.parse_args(argv)
    values = glued_values(args.build_dir)
    if not values:
        print(f"no glued values under {args.build_dir}/chapters", file=sys.stderr)
        return 2
    if args.save:
        with open(args.save, "w", encoding="utf-8") as fh:
            json.dump(values, fh, indent=1, sort_keys=True, ensure_ascii=False)
        print(f"{len(values)} glued values saved to {args.save}")
    if args.compare:
        with open(args.compare, encoding="utf-8") as fh:
            before = json.load(fh)
        chapters = {k.split("::")[0] for k in values}
        changed = sorted(k for k in before if k in values and before[k] != values[k])
        missing = sorted(k for k in before if k not in values and k.split("::")[0] in chapters)
        added = sorted(k for k in values if k not in before)
        for k in changed:
            print(f"changed  {k}: {before[k]} -> {values[k]}")
        for k in missing:
            print(f"missing  {k} (was {before[k]})")
        for k in added:
            print(f"new      {k}: {values[k]}")
        same = sum(1 for k in before if k in values and before[k] == values[k])
        print(f"{same} unchanged, {len(changed)} changed, {len(missing)} missing, {len(added)} new "
              f"(chapters compared: {len(chapters)})")
        return 1 if changed or missing else 0
    if not args.save:
        for k, v in values.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

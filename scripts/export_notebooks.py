"""Export every chapter of the table of contents to .ipynb (for a class).

Usage: python scripts/export_notebooks.py --out notebooks [--zip] [--execute]

The .ipynb files are written without outputs unless --execute is given (then each is
run top to bottom in a fresh kernel, as a student would). Paths inside the notebooks
(e.g. ../requirements.txt) keep working when notebooks/ sits at the repository root.
"""
from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_files(toc_path: Path = ROOT / "_toc.yml") -> list[Path]:
    """Every file named in _toc.yml, in reading order, resolved to its source path."""
    toc = yaml.safe_load(toc_path.read_text())
    names = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    out = []
    for name in names:
        matches = [ROOT / f"{name}{ext}" for ext in (".md", ".ipynb") if (ROOT / f"{name}{ext}").exists()]
        if not matches:
            raise FileNotFoundError(f"_toc.yml names {name!r}, which has no .md or .ipynb file")
        out.append(matches[0])
    return out


def is_notebook(path: Path) -> bool:
    return "kernelspec" in jupytext.read(path).metadata


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="notebooks", type=Path)
    parser.add_argument("--zip", action="store_true", help="also pack them into one .zip")
    parser.add_argument("--execute", action="store_true", help="run each notebook before saving")
    args = parser.parse_args(argv)
    out = args.out if args.out.is_absolute() else ROOT / args.out
    written = []
    for src in toc_files():
        # classroom notebooks are the chapters; front and back matter stay on the web
        if src.parts[-2] != "chapters" or not is_notebook(src):
            continue
        nb = jupytext.read(src)
        dest = out / src.relative_to(ROOT).with_suffix(".ipynb")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if args.execute:
            import nbclient
            nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                    resources={"metadata": {"path": str(src.parent)}}).execute()
        nbformat.write(nb, dest)
        written.append(dest)
        print(f"wrote {dest}")
    (out / "requirements.txt").write_text((ROOT / "requirements.txt").read_text())
    if args.zip:
        archive = out / "synthetic-data-book-notebooks.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in written:
                zf.write(path, path.relative_to(out))
            zf.write(ROOT / "requirements.txt", "requirements.txt")
        print(f"wrote {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

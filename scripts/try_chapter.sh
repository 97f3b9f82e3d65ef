#!/usr/bin/env bash
# Build one or more chapters alone, in a scratch book with the real configuration and the
# front and back matter, with the same strict flags as `make book`. For writing a chapter
# before it is added to _toc.yml. Usage: scripts/try_chapter.sh chapters/NN_name.md [more.md ...]
# The scratch book lives in /tmp/try_chapter/<first chapter>-<hash of the list>/ (its execution cache is
# kept between runs); the HTML is in its _build/html.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 chapters/NN_name.md [...]" >&2; exit 2; }
# one scratch book per set of chapters, so that builds of different sets never share a folder
name=$(basename "$1" .md)-$(printf '%s\n' "$@" | md5sum | cut -c1-8)
dest=/tmp/try_chapter/$name
mkdir -p "$dest/chapters"
rm -rf "$dest/book" && mkdir -p "$dest/book"
cp "$root"/book/*.md "$root"/book/*.bib "$dest/book/"
ln -sfn "$root/book/_vendor" "$dest/book/_vendor"
cp "$root/_config.yml" "$root/requirements.txt" "$dest/"
ln -sfn "$root/synthlib" "$dest/synthlib"
rm -f "$dest"/chapters/*.md
{
  echo "format: jb-book"
  echo "root: book/intro"
  echo "chapters:"
  echo "  - file: book/how_to_use"
  echo "  - file: book/notation"
  for ch in "$@"; do
    cp "$root/$ch" "$dest/chapters/"
    echo "  - file: chapters/$(basename "$ch" .md)"
  done
  echo "  - file: book/bibliography"
  echo "  - file: book/reproducibility"
} > "$dest/_toc.yml"
# the front matter links to chapter 1; keep it so those links resolve
if [ ! -f "$dest/chapters/01_when_does_synthetic_help.md" ]; then
  cp "$root/chapters/01_when_does_synthetic_help.md" "$dest/chapters/"
  sed -i 's|  - file: book/notation|  - file: book/notation\n  - file: chapters/01_when_does_synthetic_help|' "$dest/_toc.yml"
fi
log="$dest/build.log"
if "$root/.venv/bin/jupyter-book" build -W -n --keep-going "$dest" > "$log" 2>&1; then
  grep -E "WARNING|ERROR" "$log" | grep -v IPKernelApp || true
  echo "build ok: $dest/_build/html"
else
  grep -E "WARNING|ERROR|Error" "$log" | grep -v IPKernelApp | head -40
  echo "build FAILED (full log: $log)"
  exit 1
fi

#!/usr/bin/env bash
# Build one or more chapters alone, in a scratch book with the real configuration, the front
# and back matter and the same strict flags as `make book` (-W -n --keep-going), executing
# only the chapters named. For checking a chapter quickly, or writing one before it is added
# to _toc.yml. Usage: scripts/try_chapter.sh chapters/NN_name.md [more.md ...]
#
# Every other chapter is in the scratch book too, unexecuted, so that links between chapters
# ({doc}, {ref}, {prf:ref}, {eq}) resolve as in the full book; the warnings those unexecuted
# chapters raise (their glued values are missing) are ignored, every other warning fails.
# The scratch book lives in ${TRY_CHAPTER_DIR:-/tmp/try_chapter}/<first chapter>-<hash of the
# list>/ (its execution cache is kept between runs); the HTML is in its _build/html and the
# executed notebooks in its _build/jupyter_execute (for scripts/glue_values.py).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 chapters/NN_name.md [...]" >&2; exit 2; }
# one scratch book per set of chapters, so that builds of different sets never share a folder
name=$(basename "$1" .md)-$(printf '%s\n' "$@" | md5sum | cut -c1-8)
dest=${TRY_CHAPTER_DIR:-/tmp/try_chapter}/$name
mkdir -p "$dest/chapters"
rm -rf "$dest/book" && mkdir -p "$dest/book"
cp "$root"/book/*.md "$root"/book/*.bib "$dest/book/"
ln -sfn "$root/book/_vendor" "$dest/book/_vendor"
ln -sfn "$root/book/_static" "$dest/book/_static"
ln -sfn "$root/book/_ext" "$dest/book/_ext"
cp "$root/requirements.txt" "$root/_toc.yml" "$dest/"
ln -sfn "$root/synthlib" "$dest/synthlib"
rm -f "$dest"/chapters/*.md
cp "$root"/chapters/*.md "$dest/chapters/"
tested=()
for ch in "$@"; do
  base=$(basename "$ch" .md)
  cp "$root/$ch" "$dest/chapters/$base.md"
  tested+=("$base")
  # a chapter not yet in the table of contents gets its own part
  if ! grep -q "file: chapters/$base\$" "$dest/_toc.yml"; then
    printf '  - caption: Under test\n    chapters:\n      - file: chapters/%s\n' "$base" >> "$dest/_toc.yml"
  fi
done
# execute only the chapters named: every other chapter is excluded from execution
skipped=()
for path in "$dest"/chapters/*.md; do
  base=$(basename "$path" .md)
  case " ${tested[*]} " in *" $base "*) ;; *) skipped+=("$base") ;; esac
done
patterns=$(printf '"chapters/%s.md", ' "${skipped[@]}")
sed "s|^  execute_notebooks: cache\$|  execute_notebooks: cache\n  exclude_patterns: [${patterns%, }]|" \
  "$root/_config.yml" > "$dest/_config.yml"
grep -q "exclude_patterns: \[\"chapters" "$dest/_config.yml" || [ ${#skipped[@]} -eq 0 ] \
  || { echo "could not set execute.exclude_patterns in $dest/_config.yml" >&2; exit 2; }
log="$dest/build.log"
status=0
SYNTHLIB_EXPLORER_MODE=static "$root/.venv/bin/jupyter-book" build -W -n --keep-going "$dest" > "$log" 2>&1 || status=$?
# warnings located in a chapter that was not executed are expected (missing glue values)
ignore='^$'
for base in "${skipped[@]}"; do ignore="$ignore|$dest/chapters/$base\\.md"; done
problems=$(grep -E "WARNING|ERROR|Error" "$log" | grep -v IPKernelApp | grep -vE "$ignore" || true)
if [ -n "$problems" ] || { [ "$status" -ne 0 ] && ! grep -q "WARNING" "$log"; }; then
  printf '%s\n' "$problems" | head -40
  echo "build FAILED (full log: $log)"
  exit 1
fi
echo "build ok: $dest/_build/html (${#skipped[@]} other chapters present, not executed)"

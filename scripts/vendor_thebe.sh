#!/usr/bin/env bash
# Regenerate book/_vendor/thebe from npm (needs node + npm and the npm registry): the Thebe
# bundle that "Live Code" loads from the build itself (book/_ext/live_code.py), never from a CDN.
# Only the runtime files are kept (no source maps, no type declarations).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent thebe@0.9.3 >/dev/null
tar xzf thebe-0.9.3.tgz
dest="$root/book/_vendor/thebe"
rm -rf "$dest" && mkdir -p "$dest"
cp package/lib/*.js package/lib/*.LICENSE.txt package/lib/thebe.css "$dest/"
echo "vendored thebe 0.9.3 into $dest ($(du -sh "$dest" | cut -f1))"

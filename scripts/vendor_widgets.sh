#!/usr/bin/env bash
# Regenerate book/_vendor/widgets from npm (needs node + npm and the npm registry).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund @jupyter-widgets/html-manager@1.0.15 requirejs@2.3.8
dest="$root/book/_vendor/widgets"
mkdir -p "$dest/@jupyter-widgets/html-manager/dist"
cp node_modules/requirejs/require.js node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js "$dest/"
cp node_modules/@jupyter-widgets/html-manager/dist/*.woff2 "$dest/@jupyter-widgets/html-manager/dist/"
# under Live Code the same stylesheet resolves its fonts one folder up (Thebe's widget manager)
cp node_modules/@jupyter-widgets/html-manager/dist/*.woff2 "$dest/@jupyter-widgets/"
echo "vendored into $dest"

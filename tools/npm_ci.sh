#!/bin/sh
# npm_ci.sh SRC DEST — install the npm packages pinned by SRC/package.json and
# SRC/package-lock.json into DEST/node_modules with `npm ci`, so the source tree gets no
# node_modules (DEST is a folder under build/). Used by the Makefile for the CSS of the
# pages (src/web/static → build/node/static) and by tests/web/run.sh for the browser-test
# tools (tests/web → build/node/web).
# Does nothing when DEST already holds an install of the same two files: after the first
# install no registry is asked again until the lockfile changes. Then touches DEST/.installed
# (the Makefile's stamp). Install scripts of packages are not run: none of ours needs one.
# Node and npm: the machine's, or Debian's when there are none (tools/deps.sh, as root).
set -eu
if [ $# -ne 2 ]; then
    echo "gebruik: npm_ci.sh SRC DEST" >&2
    exit 2
fi
src=$1
dest=$2
for f in package.json package-lock.json; do
    [ -f "$src/$f" ] || { echo "npm_ci: missing $src/$f" >&2; exit 1; }
done
if [ -f "$dest/.installed" ] && [ -d "$dest/node_modules" ] &&
    cmp -s "$src/package.json" "$dest/package.json" &&
    cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
    touch "$dest/.installed"
    exit 0
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    "$(dirname "$0")/deps.sh" nodejs npm
fi
mkdir -p "$dest"
rm -f "$dest/.installed"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
echo "npm ci in $dest (from $src/package-lock.json)" >&2
(cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error) >&2
touch "$dest/.installed"

#!/bin/bash
# screenshots.sh — the README's two screenshots, made again: builds lks, runs the browser
# walk (tests/web/proces.test.mjs), which saves build/screenshots/proces-werkvoorraad.png and
# proces-zaak.png at 1280×900 from the demo data set, and copies them, made smaller with
# pngquant (or optipng; a plain copy when neither is there), to docs/img/werkvoorraad.png and
# docs/img/zaak.png. Fails when the walk fails or a copy is 300 KB or more; commit the PNGs
# afterwards. Installs what the browser tests need as tests/web/run.sh does (tools/deps.sh,
# tools/npm_ci.sh), and pngquant when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=$((300 * 1024))

make --no-print-directory >&2
tools/deps.sh chromium fonts-dejavu-core fonts-liberation >&2
tools/npm_ci.sh tests/web build/node/web >&2
tools/deps.sh pngquant >&2 || echo "screenshots: no pngquant; trying optipng" >&2

rm -f build/screenshots/proces-werkvoorraad.png build/screenshots/proces-zaak.png
node tests/web/proces.test.mjs

mkdir -p docs/img
for name in werkvoorraad zaak; do
    src=build/screenshots/proces-$name.png
    dst=docs/img/$name.png
    [ -f "$src" ] || { echo "screenshots: the walk made no $src" >&2; exit 1; }
    if command -v pngquant >/dev/null; then
        pngquant --force --skip-if-larger --quality=70-95 --strip --output "$dst" -- "$src" ||
            cp "$src" "$dst" # pngquant exits 98/99 when it cannot do better: keep the original
    else
        cp "$src" "$dst"
    fi
    if command -v optipng >/dev/null; then
        optipng -quiet -o2 -strip all "$dst"
    fi
    size=$(stat -c %s "$dst")
    [ "$size" -lt "$LIMIT" ] || { echo "screenshots: $dst is $size bytes, not below $LIMIT" >&2; exit 1; }
    echo "$dst: $size bytes"
done

#!/bin/bash
# run.sh — the browser tests: every tests/web/*.test.mjs with node, each in its own
# process, against the lks binary in $LKS (default build/lks; build/asan/lks for the
# sanitizer build). Installs what is missing first: node and npm (Debian's, when the machine
# has none), Debian's Chromium and fonts (the Makefile's DEB_WEB), playwright-core and
# axe-core into build/node/web (tests/web/package-lock.json, npm only when it changed),
# and the CSS bundle (build/gen/static) when it was not built yet. Screenshots go to
# build/screenshots/. Prints each file's lines and closes with the sum of them all:
# "web: N passed, N failed"; a file that ends without its own closing line, or fails
# otherwise, counts as one failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
export LKS=${LKS:-build/lks}
DEB_WEB="chromium fonts-dejavu-core fonts-liberation" # as in the Makefile
FILE_LIMIT=300                                        # seconds for one test file at most

finish() {
    echo "web: $1 passed, $2 failed"
    exit $(($2 > 0))
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    tools/deps.sh nodejs npm >&2 || { echo "FAIL node and npm are needed for the browser tests"; finish 0 1; }
fi
# shellcheck disable=SC2086 # a list of package names
tools/deps.sh $DEB_WEB >&2 || { echo "FAIL Debian packages missing: $DEB_WEB"; finish 0 1; }
tools/npm_ci.sh tests/web build/node/web >&2 || { echo "FAIL npm ci in build/node/web"; finish 0 1; }
if [ ! -f build/gen/static/manifest.json ]; then
    make --no-print-directory build/gen/assets_data.c >&2 || { echo "FAIL the CSS bundle could not be built"; finish 0 1; }
fi
[ -x "$LKS" ] || { echo "FAIL $LKS is not built (make)"; finish 0 1; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
for t in tests/web/*.test.mjs; do
    [ -f "$t" ] || continue
    timeout -k 10 "$FILE_LIMIT" node "$t" >"$T/out" 2>&1
    rc=$?
    grep -v '^web: ' "$T/out"
    line=$(grep -E '^web: [0-9]+ passed, [0-9]+ failed$' "$T/out" | tail -n 1)
    if [ -z "$line" ]; then
        [ "$rc" -eq 124 ] && echo "FAIL $t: no end after $FILE_LIMIT s" || echo "FAIL $t ended without a result (exit $rc)"
        failed=$((failed + 1))
        continue
    fi
    p=$(printf '%s\n' "$line" | sed 's/^web: \([0-9]*\) passed.*/\1/')
    f=$(printf '%s\n' "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "FAIL $t exited $rc"
        f=1
    fi
    echo "     $(basename "$t") ($p passed, $f failed)"
    passed=$((passed + p))
    failed=$((failed + f))
done
finish "$passed" "$failed"

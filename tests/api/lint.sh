#!/bin/bash
# lint.sh — lint src/api/openapi.json against the NL API Design Rules ruleset of the
# shared folder ($LKS_SHARED/schemas/adr-ruleset.yaml, default ../shared) with the
# Spectral CLI pinned in tools/spectral (installed with `npm ci` when missing).
# Errors fail; warnings are shown but pass. Last line: "api-lint: N passed, N failed"
# (1 passed when there is no error, else the number of errors failed).
set -u
cd "$(dirname "$0")/../.." || exit 1

SHARED=${LKS_SHARED:-../shared}
RULESET=$SHARED/schemas/adr-ruleset.yaml
DOC=src/api/openapi.json
TOOL=tools/spectral
SPECTRAL=$TOOL/node_modules/.bin/spectral

finish() {
    echo "api-lint: $1 passed, $2 failed"
    exit $(($2 > 0))
}

for f in "$RULESET" "$DOC" "$TOOL/package-lock.json"; do
    if [ ! -f "$f" ]; then
        echo "FAIL missing $f"
        finish 0 1
    fi
done

# Node and npm: the machine's, or Debian's when there are none (as root; see tools/deps.sh)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    tools/deps.sh nodejs npm >&2 || { echo "FAIL node and npm are needed for the lint"; finish 0 1; }
fi

if [ ! -x "$SPECTRAL" ]; then
    if ! (cd "$TOOL" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
        echo "FAIL npm ci in $TOOL"
        finish 0 1
    fi
fi

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# stylish for people on stdout, json to count the errors (severity 0)
"$SPECTRAL" lint --quiet -r "$RULESET" --fail-severity=error -f stylish -f json \
    --output.json "$T/result.json" "$DOC"
rc=$?

if [ ! -s "$T/result.json" ]; then
    echo "FAIL spectral produced no result (exit $rc)"
    finish 0 1
fi
out=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const e = r.filter((x) => x.severity === 0);
    for (const x of e)
        console.log("FAIL " + x.code + " at " + x.path.join(".") + ": " + x.message);
    console.log(e.length);
' "$T/result.json")
if [ $? -ne 0 ]; then
    echo "FAIL could not read the spectral result"
    finish 0 1
fi
errors=$(printf '%s\n' "$out" | tail -n 1)
printf '%s\n' "$out" | sed '$d'
if [ "$errors" -eq 0 ] && [ "$rc" -eq 0 ]; then
    finish 1 0
fi
# spectral failed without reporting an error result: count it as one failure
[ "$errors" -eq 0 ] && errors=1
finish 0 "$errors"

#!/bin/sh
# test.sh TESTBIN... — run the cmocka unit tests, then the CLI contract tests
# (tests/cli/run.sh) against build/lks and the sanitizer build, the suites below and
# the banned-function check of src/ (tools/banned.sh), and print one closing line
# "N passed, N failed". Exit non-zero when anything failed.
# A throw-away PostgreSQL cluster (tests/pg/cluster.sh) is started first: the store
# and processing-log unit tests also run on it (LKS_TEST_PG_URL), and tests/pg/run.sh
# runs end to end on a cluster of its own.
set -u
passed=0
failed=0
log=build/test.log
: >"$log"
PGD=$(mktemp -d)
trap 'sh tests/pg/cluster.sh stop "$PGD"' EXIT
if LKS_TEST_PG_URL=$(sh tests/pg/cluster.sh start "$PGD" 2>>"$log"); then
    export LKS_TEST_PG_URL
else
    echo "FAIL PostgreSQL test cluster did not start (see $log)"
    failed=$((failed + 1))
fi
for t in "$@"; do
    out=$(CMOCKA_MESSAGE_OUTPUT=stdout "$t" 2>&1)
    rc=$?
    printf '%s\n' "$out" >>"$log"
    # a test binary may run several groups (e.g. SQLite, then PostgreSQL): sum them
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or failed before cmocka could report
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -ne 0 ]; then
        printf '%s\n' "$out" | grep -E '^\[  (FAILED|ERROR)|error|Error|Runtime|Sanitizer' | head -n 20
        echo "FAIL $t"
    else
        echo "ok   $t ($p)"
    fi
done
for bin in build/lks build/asan/lks; do
    res=$(LKS="$bin" sh tests/cli/run.sh 2>&1)
    printf '%s\n' "$res" >>"$log"
    p=$(printf '%s\n' "$res" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(printf '%s\n' "$res" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        printf '%s\n' "$res" | tail -n 20
        p=0
        f=1
    fi
    printf '%s\n' "$res" | grep '^FAIL' | head -n 20
    echo "cli  $bin ($p passed, $f failed)"
    passed=$((passed + p))
    failed=$((failed + f))
done
# API tests over real HTTP (the login and its throttle among them), the OpenAPI lint,
# the banned functions, the README's curl walkthrough, end to end on PostgreSQL (two
# servers, one database), and the browser tests (tests/web: headless Chromium, axe), each
# with its own closing line
for suite in "tests/api/run.sh build/lks" "tests/api/run.sh build/asan/lks" "tests/api/lint.sh -" \
    "tools/banned.sh -" "tools/layers.sh -" \
    "tests/api/login.sh build/lks" "tests/api/login.sh build/asan/lks" \
    "tests/api/scope.sh build/lks sqlite" "tests/api/scope.sh build/asan/lks sqlite" \
    "tests/api/scope.sh build/lks pg" "tests/api/scope.sh build/asan/lks pg" \
    "tests/api/probe.sh build/lks sqlite" "tests/api/probe.sh build/asan/lks sqlite" \
    "tests/api/probe.sh build/lks pg" "tests/api/probe.sh build/asan/lks pg" \
    "tests/api/hostile.sh build/lks" "tests/api/hostile.sh build/asan/lks" \
    "tests/readme/run.sh build/lks" "tests/pg/run.sh build/lks" "tests/pg/run.sh build/asan/lks" \
    "tests/letter/run.sh build/lks" "tests/letter/run.sh build/asan/lks" \
    "tests/web/run.sh build/lks"; do
    set -- $suite
    [ -f "$1" ] || continue
    res=$(LKS="$2" bash "$1" ${3:-} 2>&1)
    printf '%s\n' "$res" >>"$log"
    line=$(printf '%s\n' "$res" | grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
    p=$(printf '%s\n' "$line" | sed -n 's/^[a-z-]*: \([0-9]*\) passed.*/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
    if [ -z "$p" ]; then
        printf '%s\n' "$res" | tail -n 20
        p=0
        f=1
    fi
    printf '%s\n' "$res" | grep '^FAIL' | head -n 30
    echo "$(basename "$1" .sh) $2${3:+ $3} ($p passed, $f failed)"
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# test_only.sh unit TESTBIN... | cli — one part of tools/test.sh on its own, with the
# same lines per test and the same closing line "N passed, N failed"; exit non-zero
# when anything failed. For `make test-unit` and `make test-cli`.
#   unit: the cmocka unit tests given (plain and sanitizer builds), with the throw-away
#         PostgreSQL cluster (tests/pg/cluster.sh) that the store and processing-log
#         tests also run on (LKS_TEST_PG_URL), as in tools/test.sh.
#   cli:  the CLI contract tests (tests/cli/run.sh) against build/lks and build/asan/lks.
# The counting is tools/test.sh's; a change to one belongs in the other.
set -u
part=${1:-}
[ $# -gt 0 ] && shift
passed=0
failed=0
mkdir -p build

case $part in
unit)
    log=build/test-unit.log
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
        p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
        f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s += $1} END {print s + 0}')
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
    ;;
cli)
    log=build/test-cli.log
    : >"$log"
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
    ;;
*)
    echo "gebruik: test_only.sh unit TESTBIN... | cli" >&2
    exit 2
    ;;
esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

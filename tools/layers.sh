#!/bin/sh
# layers.sh — fail when a shell of lks (the HTTP layer, the API handlers, the command line,
# the pages) decides what the application layer owns: who may see or do what, a
# municipality's policy, a deadline, a case's commands or amount, or reads case data
# straight from the store. Those calls belong in src/app/ (and the pure rules in
# src/case/, the SQL in src/store/); every reader and writer asks app (src/app/app.h).
# The stateless calculations (lks_compute and the other rules) are not listed: calling
# the one implementation of a rule is what a shell should do.
# Prints one "FAIL file:line: name" per call found, then "layers: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
SHELLS="src/api src/cli src/http src/web"
FORBIDDEN='store_policy_[a-z_]*|store_worklist|person_decide|person_apply|policy_timeline_[a-z_]*|policy_default|policy_set|case_deadlines|case_month_amount|case_commands|case_decide|case_apply|employer_decide|employer_apply|store_case_[a-z_]*|store_deadlines_[a-z_]*|store_person_[a-z_]*|store_employer_[a-z_]*'
dirs=""
for d in $SHELLS; do [ -d "$d" ] && dirs="$dirs $d"; done
# shellcheck disable=SC2086 # the directories have no spaces
hits=$(grep -rnEo --include='*.c' "\\b($FORBIDDEN)[[:space:]]*\\(" $dirs | sed 's/[[:space:]]*($//')
n=0
if [ -n "$hits" ]; then
    printf '%s\n' "$hits" | while IFS= read -r h; do echo "FAIL $h (ask the app layer: src/app/app.h)"; done
    n=$(printf '%s\n' "$hits" | wc -l)
fi
if [ "$n" -eq 0 ]; then
    echo "layers: 1 passed, 0 failed"
else
    echo "layers: 0 passed, $n failed"
    exit 1
fi

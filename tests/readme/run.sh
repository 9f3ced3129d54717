#!/bin/bash
# The README's curl walkthrough, run as written: its shell blocks from "The API, step by
# step with curl" up to the next section, against a server on a store made the way
# `make run` makes it (tools/run.sh), with only the port in API= changed. Checks that
# every step answered as the README says. Last line: "readme: N passed, N failed".
set -u
LKS=${LKS:-build/lks}
T=$(mktemp -d)
pass=0
fail=0
SRV=
cleanup() {
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    [ -n "${KEEP:-}" ] || rm -rf "$T"; [ -n "${KEEP:-}" ] && echo "kept $T"
}
trap cleanup EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

LKS="$LKS" LKS_RUN_DIR="$T/run" sh tools/run.sh --alleen-opzetten >/dev/null || bad "store setup"
"$LKS" serve --db "$T/run/lks.db" --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.err" &
SRV=$!
PORT=
for _ in $(seq 50); do
    PORT=$(sed -n 's/.*(poort \([0-9]*\)).*/\1/p' "$T/serve.out")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] && ok || { bad "server did not start"; echo "readme: $pass passed, $fail failed"; exit 1; }

# The blocks, in order, as one script; the port is the only change.
awk '/^## The API, step by step with curl/ { on = 1; next }
     on && /^## / { exit }
     on && /^```sh$/ { code = 1; next }
     on && /^```$/ { code = 0; next }
     on && code { print }' README.md |
    sed "s|^API=http://127.0.0.1:8080/api/v1$|API=http://127.0.0.1:$PORT/api/v1|" >"$T/walk.sh"
grep -q "^API=http://127.0.0.1:$PORT/api/v1$" "$T/walk.sh" && ok || bad "README has no API= line"
[ "$(grep -c '^post ' "$T/walk.sh")" -ge 7 ] && ok || bad "README walkthrough lost its steps"
echo 'echo "ZAAK=$ZAAK"' >>"$T/walk.sh"
(cd "$T" && bash "$T/walk.sh") >"$T/out" 2>"$T/err"
[ -s "$T/err" ] && bad "stderr: $(head -c 300 "$T/err")" || ok

for u in klantmanager.helmond loonwaardedeskundige.helmond beslisser.helmond financieel.helmond; do
    [ -s "$T/$u.csrf" ] && ok || bad "login $u gave no CSRF token"
done
ZAAK=$(grep -o 'ZAAK=[0-9]*$' "$T/out" | sed 's/ZAAK=//')
[[ "$ZAAK" =~ ^[0-9]+$ ]] && ok || bad "the application gave no case id: $(head -c 300 "$T/out")"
has() { if grep -Eq -- "$2" "$T/out"; then ok; else bad "$1: output lacks $2"; fi; }
hasnt() { if grep -Eq -- "$2" "$T/out"; then bad "$1: output has $2"; else ok; fi; }
hasnt no-5xx '"status":5[0-9][0-9]'
hasnt no-unexpected-problem '"status":(400|401|404|409|415)'
has complete '"status":"doelgroepbepaling","versie":3'
has measured '"status":"besluitvorming"'
has granted '"status":"lopend"'
has amount '"peildatum":"2026-01-05".*"loonkostensubsidie":"881.05"'
has amount-basis '"wettelijkeGrondslag":"Participatiewet art. 10d lid 4"'
has deadlines '"soort":"beslistermijn"'
has events '"betaling-verricht"'
has employer-history '"soort":"iban-voorgesteld".*"soort":"iban-afgewezen"'
has role-refused '"status":403'
has calc '"peildatum":"2026-01-01".*"totaal":"1088.10"'
echo "readme: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

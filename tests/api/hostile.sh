#!/bin/bash
# hostile.sh — the catalogue of hostile requests (tests/api/hostile.tsv) against a server
# started here on a demo store, as an outside attacker would send them: malformed request
# lines and headers, odd lengths and encodings, media types, path tricks, ids out of
# range, wrong methods on every route, JSON bombs, injection-looking input in every field
# of an application form and a search, missing CSRF, malformed tokens, other
# municipalities' and employers' objects, slow and idle connections, a load of logged
# reads. Every answer must be the expected 4xx with problem+json (or the 2xx the catalogue
# names), never a 5xx or a hang; the server must answer a normal request after each
# batch, and the sanitizer build must report nothing. The requests go over raw sockets
# (tests/api/hostile.py, python3). Last line: "hostile: N passed, N failed".
set -u
LKS=${LKS:-build/lks}
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
DB=$T/hostile.db
PW=test-wachtwoord-lks
pass=0
fail=0
SRV=
cleanup() {
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() { echo "hostile: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

command -v python3 >/dev/null || { bad "python3 is needed for the raw requests"; finish; }

# --- a store with demo data; users of several roles in two municipalities, an employer
"$LKS" init --db "$DB" >/dev/null || { bad "init"; finish; }
"$LKS" demo --db "$DB" --zaken 40 --gemeenten 2 --seed 5 >/dev/null || { bad "demo"; finish; }
q() { sqlite3 "$DB" "$1"; }
KVK=$(q "SELECT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' ORDER BY c.id LIMIT 1")
ZAAK=$(q "SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' AND e.kvk='$KVK' ORDER BY c.id LIMIT 1")
ZAAK_OTHER=$(q "SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' AND e.kvk<>'$KVK' ORDER BY c.id LIMIT 1")
KVK_OTHER=$(q "SELECT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.id=$ZAAK_OTHER")
ZAAK_GOEREE=$(q "SELECT id FROM cases WHERE tenant_id='gm1924' ORDER BY id LIMIT 1")
KVK_GOEREE=$(q "SELECT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.id=$ZAAK_GOEREE")
for v in KVK ZAAK ZAAK_OTHER KVK_OTHER ZAAK_GOEREE KVK_GOEREE; do
    [ -n "${!v}" ] || { bad "no $v in the demo store"; finish; }
done
user() { # user TENANT NAME ROLE [KVK]
    echo "$PW" | "$LKS" gebruiker --db "$DB" ${1:+--gemeente $1} --naam "$2" --rol "$3" \
        ${4:+--kvk $4} >/dev/null || bad "user $2"
}
user gm0794 klant klantmanager
user gm0794 werkg werkgever "$KVK"
user gm0794 audit auditor
user gm0794 beheer beheerder
user gm0794 financ financieel
user gm1924 km.goeree klantmanager
user gm1924 beheer.goeree beheerder
user "" appbeheer applicatiebeheerder
token() { "$LKS" token --db "$DB" --naam "$1" --label hostile | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
export T_KM=$(token klant) T_WG=$(token werkg) T_AUD=$(token audit) T_BEH=$(token beheer) \
    T_FIN=$(token financ) T_GOEREE=$(token km.goeree) T_BEH_GOEREE=$(token beheer.goeree) \
    T_APP=$(token appbeheer)
export KVK ZAAK ZAAK_OTHER KVK_OTHER ZAAK_GOEREE KVK_GOEREE
for v in T_KM T_WG T_AUD T_BEH T_FIN T_GOEREE T_BEH_GOEREE T_APP; do
    [ -n "${!v}" ] || { bad "no token $v"; finish; }
done

"$LKS" serve --db "$DB" --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.err" &
SRV=$!
for _ in $(seq 50); do
    PORT=$(sed -n 's/.*(poort \([0-9]*\)).*/\1/p' "$T/serve.out")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] && ok || { bad "server did not start: $(cat "$T/serve.err")"; finish; }

# a cookie session with its CSRF token, for the CSRF cases
login=$(curl -s -D "$T/login.hdr" -H 'Content-Type: application/json' \
    -d "{\"gebruikersnaam\":\"klant\",\"wachtwoord\":\"$PW\"}" "http://127.0.0.1:$PORT/api/v1/sessies")
export CSRF_KM=$(printf '%s' "$login" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
export COOKIE_KM=$(tr -d '\r' <"$T/login.hdr" | sed -n 's/^Set-Cookie: \(lks_sessie=[^;]*\).*/\1/Ip')
[ -n "$CSRF_KM" ] && [ -n "$COOKIE_KM" ] && ok || bad "login klant: $login"

python3 "$here/hostile.py" "$here/hostile.tsv" 127.0.0.1 "$PORT" >"$T/cases.out" 2>&1
cat "$T/cases.out" | grep -v '^RESULT '
res=$(sed -n 's/^RESULT \([0-9]*\) \([0-9]*\) \([0-9]*\) \([0-9]*\)$/\1 \2 \3 \4/p' "$T/cases.out")
if [ -z "$res" ]; then
    bad "the catalogue did not run to its end: $(tail -n 5 "$T/cases.out")"
else
    set -- $res
    pass=$((pass + $1))
    fail=$((fail + $2))
    echo "  $(($1 + $2)) checks; $3 answered by libmicrohttpd itself (docs/api.md), $4 known faults elsewhere"
fi

# still up, and a clean stop; nothing from the sanitizers
if kill -0 "$SRV" 2>/dev/null; then ok; else bad "the server is gone: $(tail -n 20 "$T/serve.err")"; fi
kill -TERM "$SRV" 2>/dev/null
wait "$SRV"
rc=$?
SRV=
[ "$rc" -eq 0 ] && ok || bad "the server stopped with $rc"
if grep -Eq 'Sanitizer|runtime error' "$T/serve.err"; then
    bad "sanitizer: $(grep -E -m 3 -A 5 'Sanitizer|runtime error' "$T/serve.err")"
else
    ok
fi
finish

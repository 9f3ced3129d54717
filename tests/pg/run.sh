#!/bin/bash
# End-to-end on PostgreSQL: a throw-away cluster (cluster.sh), lks init/demo/gebruiker/
# token on a postgresql:// url, two `lks serve` on the SAME database (two stateless
# servers of one region, different ports), process commands through both at once on
# one case (they must take turns: every command lands as the next event, nothing is
# lost or doubled), tenant scoping on both, the processing log read as auditor with
# entries written by both servers, `lks controleer` (every case rebuilt from its
# events equals the stored one), a user blocked with the CLI whose token is then
# refused by both servers, and rule rows added through one server or the CLI used by
# both at their next request (and the warning at start before them). Last line:
# "pg: N passed, N failed".
set -u
LKS=${LKS:-build/lks}
LKS=$(cd "$(dirname "$LKS")" && pwd)/$(basename "$LKS")
T=$(mktemp -d)
PGD=$(mktemp -d) # the cluster's own directory: its owner runs the server
PW=test-wachtwoord-lks
pass=0
fail=0
SRV_A=
SRV_B=
here=$(cd "$(dirname "$0")" && pwd)
cleanup() {
    for p in $SRV_A $SRV_B; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    sh "$here/cluster.sh" stop "$PGD"
    rm -rf "$T"
}
trap cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() { echo "pg: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

URL=$(sh "$here/cluster.sh" start "$PGD") || { bad "cluster did not start"; finish; }
PSQL=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql
sql() { "$PSQL" -X -q -At -d "$URL" -c "$1"; }

# --- a store with demo data, users and tokens, all through the postgresql:// url
# the same schema version as SQLite: one release, the same migrations on both engines
SV=$("$LKS" init --db "$T/version.db" | sed -n 's/.*"schemaversie":\([0-9]*\).*/\1/p')
"$LKS" init --db "$URL" >"$T/init.out" 2>&1 && grep -q "\"schemaversie\":$SV}" "$T/init.out" && ok ||
    bad "init: $(cat "$T/init.out") (want $SV)"
"$LKS" demo --db "$URL" --zaken 40 --gemeenten 2 --seed 5 >"$T/demo.out" 2>&1 && ok || bad "demo: $(cat "$T/demo.out")"
[ "$(sql "SELECT count(*) FROM cases")" = 40 ] && ok || bad "demo cases: $(sql "SELECT count(*) FROM cases")"
for u in "gm0794 klantmanager klantmanager" "gm0794 auditor auditor" "gm1924 km.goeree klantmanager" \
    "gm0794 beheerder beheerder"; do
    set -- $u
    echo "$PW" | "$LKS" gebruiker --db "$URL" --gemeente "$1" --naam "$2" --rol "$3" >/dev/null 2>"$T/err" && ok || bad "gebruiker $2: $(cat "$T/err")"
done
echo "$PW" | "$LKS" gebruiker --db "$URL" --naam appbeheer --rol applicatiebeheerder >/dev/null 2>"$T/err" && ok ||
    bad "gebruiker appbeheer: $(cat "$T/err")"
echo "$PW" | "$LKS" gebruiker --db "$URL" --gemeente gm0794 --naam auditor --rol auditor >/dev/null 2>&1 && bad "duplicate user accepted" || ok
token() { "$LKS" token --db "$URL" --naam "$1" --label e2e | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
TK=$(token klantmanager)
TA=$(token auditor)
TG=$(token km.goeree)
TB=$(token beheerder)
TAPP=$(token appbeheer)
[ -n "$TK" ] && [ -n "$TA" ] && [ -n "$TG" ] && [ -n "$TB" ] && [ -n "$TAPP" ] && ok || bad "tokens"

# --- two servers on the same database
start_server() { # NAME: sets PORT_NAME and SRV_NAME
    "$LKS" serve --db "$URL" --listen 127.0.0.1:0 >"$T/serve.$1.out" 2>"$T/serve.$1.err" &
    eval "SRV_$1=$!"
    local port=
    for _ in $(seq 100); do
        port=$(sed -n 's/.*(poort \([0-9]*\)).*/\1/p' "$T/serve.$1.out")
        [ -n "$port" ] && break
        sleep 0.1
    done
    eval "PORT_$1=$port"
}
start_server A
start_server B
if [ -z "$PORT_A" ] || [ -z "$PORT_B" ] || [ "$PORT_A" = "$PORT_B" ]; then
    bad "servers did not start: $(cat "$T"/serve.*.err)"
    finish
fi
ok
A=http://127.0.0.1:$PORT_A/api/v1
B=http://127.0.0.1:$PORT_B/api/v1
J=(-H 'Content-Type: application/json')

# req NAME WANT BASE METHOD PATH TOKEN [curl args...]: body in $T/body
req() {
    local name=$1 want=$2 base=$3 method=$4 path=$5 tok=$6
    shift 6
    local got
    got=$(curl -s -o "$T/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $tok" "$@" "$base$path")
    if [ "$got" = "$want" ]; then ok; else bad "$name: $method $path -> $got (want $want) $(head -c 300 "$T/body")"; fi
}

# two cases of gm0794: one read through each server
Z1=$(sql "SELECT id FROM cases WHERE tenant_id='gm0794' ORDER BY id LIMIT 1")
Z2=$(sql "SELECT id FROM cases WHERE tenant_id='gm0794' ORDER BY id DESC LIMIT 1")
ZG=$(sql "SELECT id FROM cases WHERE tenant_id='gm1924' ORDER BY id LIMIT 1")
[ -n "$Z1" ] && [ -n "$Z2" ] && [ "$Z1" != "$Z2" ] && [ -n "$ZG" ] && ok || bad "cases of both tenants"
req read-a 200 "$A" GET "/zaken/$Z1" "$TK"
grep -q "\"id\":$Z1" "$T/body" && ok || bad "read-a body: $(head -c 200 "$T/body")"
req read-b 200 "$B" GET "/zaken/$Z2" "$TK"
req list-b 200 "$B" GET "/zaken?pageSize=100" "$TK"

# tenant scoping on both servers: another municipality's case does not exist
req cross-a 404 "$A" GET "/zaken/$Z1" "$TG"
req cross-b 404 "$B" GET "/zaken/$Z1" "$TG"
req cross-write-b 404 "$B" POST "/zaken/$Z1/kosten" "$TG" "${J[@]}" -d '{"gegevens":{"soort":"overig","bedrag":"1.00"}}'
req own-g 200 "$B" GET "/zaken/$ZG" "$TG"

# --- conflicting writes: 20 commands on one case, half through each server, at once
v0=$(sql "SELECT version FROM cases WHERE id=$Z1")
for i in $(seq 10); do
    for base in "$A" "$B"; do
        curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $TK" "${J[@]}" \
            -d "{\"gegevens\":{\"soort\":\"overig\",\"bedrag\":\"$i.00\"}}" "$base/zaken/$Z1/kosten" >>"$T/codes" &
    done
done
wait_n=0
while [ "$(wc -l <"$T/codes")" -lt 20 ] && [ $wait_n -lt 300 ]; do sleep 0.1; wait_n=$((wait_n + 1)); done
n200=$(grep -c '^200$' "$T/codes")
n5xx=$(grep -c '^5' "$T/codes")
[ "$n5xx" = 0 ] && ok || bad "concurrent writes: $n5xx answers 5xx ($(sort "$T/codes" | uniq -c | tr '\n' ' '))"
[ "$n200" -ge 1 ] && ok || bad "concurrent writes: none succeeded ($(sort "$T/codes" | uniq -c | tr '\n' ' '))"
v1=$(sql "SELECT version FROM cases WHERE id=$Z1")
[ "$v1" = $((v0 + n200)) ] && ok || bad "case version $v0 -> $v1 after $n200 accepted commands"
[ "$(sql "SELECT count(*) = max(seq) AND max(seq) = $v1 FROM events WHERE case_id=$Z1")" = t ] && ok ||
    bad "events of case $Z1 are not 1..$v1"
[ "$(sql "SELECT count(*) FROM costs WHERE case_id=$Z1")" -ge "$n200" ] && ok || bad "costs of case $Z1"
# both servers read the result
req after-a 200 "$A" GET "/zaken/$Z1/gebeurtenissen" "$TK"
req after-b 200 "$B" GET "/zaken/$Z1/gebeurtenissen" "$TK"

# --- the processing log: one log, written by both servers, read as auditor through either
for base in "$A" "$B"; do
    req plog 200 "$base" GET "/verwerkingen" "$TA"
    grep -q "\"verwerktObject\":\"zaak/$Z1\"" "$T/body" && ok || bad "plog via $base lacks zaak/$Z1 (server A)"
    grep -q "\"verwerktObject\":\"zaak/$Z2\"" "$T/body" && ok || bad "plog via $base lacks zaak/$Z2 (server B)"
done
req plog-forbidden 403 "$A" GET "/verwerkingen" "$TK"
[ "$(sql "SELECT count(*) FROM processing_log WHERE object='zaak/$Z1'")" -ge 2 ] && ok || bad "plog rows of zaak/$Z1"
sql "DELETE FROM processing_log" >/dev/null 2>&1 && bad "processing log could be deleted" || ok

# --- every case rebuilt from its events equals the stored one
"$LKS" controleer --db "$URL" >"$T/check.out" 2>&1 && ok || bad "controleer: $(cat "$T/check.out")"
grep -q '"integriteit":true' "$T/check.out" && grep -q '"afwijkend":0' "$T/check.out" && ok ||
    bad "controleer: $(cat "$T/check.out")"

# --- blocking a user (CLI, on the database) is seen by both servers at once
req token-before 200 "$B" GET "/zaken/$Z1" "$TK"
"$LKS" blokkeer --db "$URL" --naam klantmanager >/dev/null 2>"$T/err" && ok || bad "blokkeer: $(cat "$T/err")"
req blocked-a 401 "$A" GET "/zaken/$Z1" "$TK"
req blocked-b 401 "$B" GET "/zaken/$Z1" "$TK"
req other-user-b 200 "$B" GET "/zaken/$ZG" "$TG"

# --- one token revoked by its label; a password changed through one server, seen by the other
TG2=$("$LKS" token --db "$URL" --naam km.goeree --label tweede | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
"$LKS" token --db "$URL" --naam km.goeree --label e2e --intrekken >"$T/out" 2>&1 &&
    grep -q '"ingetrokken":1' "$T/out" && ok || bad "token --intrekken: $(cat "$T/out")"
req revoked-a 401 "$A" GET "/zaken/$ZG" "$TG"
req other-label-b 200 "$B" GET "/zaken/$ZG" "$TG2"
req pw-change 204 "$A" PUT "/gebruikers/ik/wachtwoord" "$TG2" "${J[@]}" -d "{\"huidigWachtwoord\":\"$PW\",\"nieuwWachtwoord\":\"een-nieuw-wachtwoord\"}"
for base in "$A" "$B"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "${J[@]}" -d "{\"gebruikersnaam\":\"km.goeree\",\"wachtwoord\":\"een-nieuw-wachtwoord\"}" "$base/sessies")
    [ "$code" = 201 ] && ok || bad "login with the new password via $base: $code"
done
echo "door-de-beheerder-gezet" | "$LKS" wachtwoord --db "$URL" --naam km.goeree >/dev/null 2>"$T/err" && ok ||
    bad "wachtwoord: $(cat "$T/err")"
code=$(curl -s -o /dev/null -w '%{http_code}' "${J[@]}" -d '{"gebruikersnaam":"km.goeree","wachtwoord":"door-de-beheerder-gezet"}' "$B/sessies")
[ "$code" = 201 ] && ok || bad "login with the operator's password: $code"

# --- the beheerder through the API: its municipality's users (store_user_list on
# PostgreSQL), a user made through one server used through the other, a block through
# one server seen by the other at once
req b-list 200 "$A" GET "/gebruikers?pageSize=100" "$TB"
names=$(grep -o '"gebruikersnaam":"[^"]*"' "$T/body" | cut -d'"' -f4 | tr '\n' ' ')
[ "$names" = "auditor beheerder klantmanager " ] && ok || bad "b-list: $names"
req b-list-rol 200 "$B" GET "/gebruikers?rol=auditor&actief=true" "$TB"
grep -q '^{"resultaten":\[{"gebruikersnaam":"auditor",[^]]*\],"pagina":1,' "$T/body" && ok || bad "b-list-rol: $(head -c 300 "$T/body")"
req b-cross 404 "$B" GET "/gebruikers/km.goeree" "$TB"
req b-new 201 "$A" POST "/gebruikers" "$TB" "${J[@]}" -d '{"gebruikersnaam":"fin.pg","naam":"Financieel PG","rol":"financieel","wachtwoord":"wachtwoord-fin-pg"}'
req b-new-dup 409 "$B" POST "/gebruikers" "$TB" "${J[@]}" -d '{"gebruikersnaam":"fin.pg","naam":"Financieel PG","rol":"financieel","wachtwoord":"wachtwoord-fin-pg"}'
req b-token 201 "$B" POST "/gebruikers/fin.pg/tokens" "$TB" "${J[@]}" -d '{"label":"pg"}'
TF=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
req b-token-a 200 "$A" GET "/gebruikers/ik" "$TF"
req b-block 204 "$B" PUT "/gebruikers/fin.pg/blokkering" "$TB" "${J[@]}" -d '{"geblokkeerd":true}'
req b-blocked-a 401 "$A" GET "/gebruikers/ik" "$TF"
req b-blocked-list 200 "$A" GET "/gebruikers?actief=false" "$TB"
grep -q '"gebruikersnaam":"fin.pg"' "$T/body" && ok || bad "b-blocked-list: $(head -c 300 "$T/body")"
grep -q 'beheer: beheerder blokkeert fin.pg' "$T/serve.B.err" && ok || bad "b-block: no trail on server B's stderr"

# --- rule rows: added through server A (API) or the CLI, used at once by both servers.
# Made-up test figures and sources, never real ones.
for s in A B; do
    grep -q 'lks: waarschuwing: de tabel minimumloon geldt tot en met 2026-06-30' "$T/serve.$s.err" && ok ||
        bad "server $s did not warn at start: $(cat "$T/serve.$s.err")"
done
calc() { # calc NAME WANT BASE PEILDATUM
    local got
    got=$(curl -s -o "$T/body" -w '%{http_code}' "${J[@]}" -d "{\"peildatum\":\"$4\",\"loonwaarde\":60,\"uren\":\"36\"}" \
        "$3/berekeningen/loonkostensubsidie")
    [ "$got" = "$2" ] && ok || bad "$1: calc $4 via $3 -> $got (want $2) $(head -c 200 "$T/body")"
}
for base in "$A" "$B"; do calc rules-before 400 "$base" 2026-07-01; done
req rules-status-b 200 "$B" GET /status ""
grep -q '"status":"waarschuwing"' "$T/body" && ok || bad "rules-status-b: $(head -c 200 "$T/body")"
req rules-forbidden-b 403 "$B" POST /regels/wml "$TB" "${J[@]}" -d '{"vanaf":"2026-07-01","waarden":{"month":"2400.00","hour":"15.38","full_age":"21"},"bron":"x"}'
req rules-bad-a 400 "$A" POST /regels/wml "$TAPP" "${J[@]}" -d '{"vanaf":"2026-07-01","waarden":{"month":"veel","hour":"15.38","full_age":"21"},"bron":"x"}'
grep -q '"name":"waarden.month"' "$T/body" && ok || bad "rules-bad-a: $(head -c 300 "$T/body")"
req rules-add-a 201 "$A" POST /regels/wml "$TAPP" "${J[@]}" -d '{"vanaf":"2026-07-01","waarden":{"month":"2400.00","hour":"15.38","full_age":"21"},"bron":"Stcrt. 2099, nr. 1 (testwaarde)"}'
for i in 1 2 3 4; do
    for base in "$B" "$A"; do
        calc rules-after 200 "$base" 2026-07-01
        grep -q '"wmlPerMaand":"2400.00"' "$T/body" && ok || bad "rules-after via $base: $(head -c 200 "$T/body")"
    done
done
req rules-list-b 200 "$B" GET /regels ""
grep -q '"herkomst":{"soort":"opslag","id":[0-9]*,"bron":"Stcrt. 2099, nr. 1 (testwaarde)","toegevoegdDoor":"appbeheer"' "$T/body" && ok ||
    bad "rules-list-b: the row's origin is not shown"
# the CLI on the database: both servers use it at their next request
for base in "$A" "$B"; do calc rules-cli-before 400 "$base" 2027-01-01; done
"$LKS" regels toevoegen --db "$URL" --tabel wml --vanaf 2027-01-01 --waarden 'month=2450.00,hour=15.70,full_age=21' \
    --bron 'Stcrt. 2099, nr. 2 (testwaarde)' --gebruiker appbeheer >"$T/out" 2>"$T/err" && ok || bad "regels toevoegen: $(cat "$T/err")"
for i in 1 2 3 4; do
    for base in "$A" "$B"; do
        calc rules-cli-after 200 "$base" 2027-01-01
        grep -q '"wmlPerMaand":"2450.00"' "$T/body" && ok || bad "rules-cli-after via $base: $(head -c 200 "$T/body")"
    done
done
"$LKS" regels --db "$URL" >"$T/out" 2>"$T/err" && grep -q '"toegevoegdDoor": "appbeheer"' "$T/out" && ok ||
    bad "lks regels --db: $(cat "$T/err")"
# a row the tables refuse is refused on PostgreSQL too, naming the flag; nothing stored
n0=$(sql "SELECT count(*) FROM rule_rows")
"$LKS" regels toevoegen --db "$URL" --tabel wml --vanaf 2028-01-01 --waarden 'month=2450.00,hour=15.70,full_age=21' \
    --bron 'x' --gebruiker appbeheer >/dev/null 2>"$T/err" && bad "a gap was accepted" ||
    { grep -q -- '--vanaf: .*de regel vanaf 2027-07-01 ontbreekt' "$T/err" && ok || bad "gap: $(cat "$T/err")"; }
[ "$(sql "SELECT count(*) FROM rule_rows")" = "$n0" ] && ok || bad "a refused row was stored"
sql "DELETE FROM rule_rows" >/dev/null 2>&1 && bad "rule rows could be deleted" || ok
# rows through both servers up to beyond today + 60 days: then both say ok
from=2027-07-01 n=3 until_ok=$(date -u -d "+61 days" +%F) base=$A
while :; do
    y=${from%%-*}
    case $from in *-01-01) end=$y-06-30 next=$y-07-01 ;; *) end=$y-12-31 next=$((y + 1))-01-01 ;; esac
    req "rules-add-$from" 201 "$base" POST /regels/wml "$TAPP" "${J[@]}" \
        -d "{\"vanaf\":\"$from\",\"waarden\":{\"month\":\"2500.00\",\"hour\":\"16.00\",\"full_age\":\"21\"},\"bron\":\"Stcrt. 2099, nr. $n (testwaarde)\"}"
    n=$((n + 1))
    [ "$base" = "$A" ] && base=$B || base=$A
    [ "$end" \> "$until_ok" ] && break
    from=$next
done
for base in "$A" "$B"; do
    req rules-status-ok 200 "$base" GET /status ""
    grep -q '^{"status":"ok",' "$T/body" && ok || bad "rules-status-ok via $base: $(head -c 300 "$T/body")"
done

# --- a graceful stop of both servers
for p in $SRV_A $SRV_B; do kill -TERM "$p"; done
for p in $SRV_A $SRV_B; do wait "$p" && ok || bad "server $p did not stop cleanly"; done
SRV_A=
SRV_B=
finish

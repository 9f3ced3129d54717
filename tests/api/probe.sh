#!/bin/bash
# probe.sh ENGINE — what an outside probe found in the application layer, replayed over
# HTTP on one engine (sqlite: a file; pg: a throw-away PostgreSQL cluster):
#  - a BSN of 8 digits is one of 9 with its leading zero: stored, read and logged in that
#    one form, so its case can be read (it answered 503 for everyone before);
#  - a command commits only with its processing-log entry: when the log refuses, nothing
#    is committed and the answer says so;
#  - an Idempotency-Key on a POST: a repeat gets the first answer, never a second case or
#    payment; the key cannot be used for another request;
#  - a person search for what is no BSN is a 400 naming the field, and nothing is logged;
#  - an employer's form never changes what another party's case shows of a person;
#  - the processing log itself: the auditor's reading of it is logged, the monitoring
#    report makes an entry per person, a refusal does not disclose another case's date.
# Last line: "probe-ENGINE: N passed, N failed".
set -u
ENGINE=${1:-sqlite}
LKS=${LKS:-build/lks}
LKS=$(cd "$(dirname "$LKS")" && pwd)/$(basename "$LKS")
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
PGD=
PW=test-wachtwoord-lks
pass=0
fail=0
SRV=
cleanup() {
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
    [ -n "$PGD" ] && sh "$here/../pg/cluster.sh" stop "$PGD"
    rm -rf "$T"
}
trap cleanup EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() { echo "probe-$ENGINE: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if [ "$ENGINE" = pg ]; then
    PGD=$(mktemp -d)
    DB=$(sh "$here/../pg/cluster.sh" start "$PGD") || { bad "cluster did not start"; finish; }
    PSQL=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/psql
    sql() { "$PSQL" -X -q -At -d "$DB" -c "$1"; }
    logsql() { sql "$1"; }
else
    DB=$T/probe.db
    sql() { sqlite3 "$DB" "$1"; }
    logsql() { sqlite3 "$DB-verwerkingen" "$1"; }
fi
"$LKS" init --db "$DB" >/dev/null || { bad "init"; finish; }
KA=31034986
KB=44768275
user() { echo "$PW" | "$LKS" gebruiker --db "$DB" --gemeente gm0794 --naam "$1" --rol "$2" ${3:+--kvk $3} >/dev/null || bad "user $1"; }
user kman klantmanager
user kman2 klantmanager
user fin financieel
user aud auditor
user wg.a werkgever $KA
user wg.b werkgever $KB

"$LKS" serve --db "$DB" --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.err" &
SRV=$!
for _ in $(seq 50); do
    PORT=$(sed -n 's/.*(poort \([0-9]*\)).*/\1/p' "$T/serve.out")
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] && ok || { bad "server: $(cat "$T/serve.err")"; finish; }
B=http://127.0.0.1:$PORT/api/v1
J=(-H 'Content-Type: application/json')
declare -A CSRF_
for u in kman kman2 fin aud wg.a wg.b; do
    CSRF_[$u]=$(curl -s -c "$T/jar.$u" "${J[@]}" -d "{\"gebruikersnaam\":\"$u\",\"wachtwoord\":\"$PW\"}" \
        "$B/sessies" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
    [ -n "${CSRF_[$u]}" ] && ok || bad "login $u"
done
as() { echo "-b $T/jar.$1 -H X-CSRF-Token:${CSRF_[$1]}"; }
# req NAME WANT METHOD PATH USER [BODY [HEADER]]
req() {
    local name=$1 want=$2 method=$3 path=$4 who=$5 body=${6:-} extra=${7:-}
    local args=()
    [ -n "$body" ] && args=("${J[@]}" -d "$body")
    [ -n "$extra" ] && args+=(-H "$extra")
    got=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -X "$method" $(as "$who") "${args[@]}" "$B$path")
    if [[ " $want " == *" $got "* ]]; then ok; else bad "$name: $method $path as $who -> $got (want $want) $(head -c 300 "$T/body")"; fi
    if [ "${got:0:1}" = 4 ] || [ "${got:0:1}" = 5 ]; then
        grep -qi '^Content-Type: application/problem+json' "$T/hdr" && ok || bad "$name: $got without problem+json"
    fi
}
has() { grep -Eq -- "$2" "$T/body" && ok || bad "$1: body lacks $2: $(head -c 300 "$T/body")"; }
lacks() { grep -Eq -- "$2" "$T/body" && bad "$1: body has $2: $(head -c 300 "$T/body")" || ok; }
loc() { sed -n 's/^Location: \/api\/v1\/zaken\/\([0-9]*\).*/\1/Ip' "$T/hdr" | tr -d '\r'; }
form() { # form BSN KVK NAME [IBAN]
    cat <<EOF
{"datum":"2025-12-01","gegevens":{
 "werknemer":{"bsn":"$1","naam":"$3","geboortedatum":"1990-05-01","adres":"Kerkstraat 1","postcode":"5701 AB","woonplaats":"Helmond"},
 "werkgever":{"kvk":"$2","naam":"Bedrijf $2","adres":"Markt 2","iban":"${4:-NL91ABNA0417164300}"},
 "dienstverband":{"start":"2026-01-05","uren":"32","loon":"2400.00","functie":"medewerker"},
 "aanvrager":"werkgever"}}
EOF
}
logged() { # logged BSN: entries of the processing log with that BSN
    logsql "SELECT count(*) FROM processing_log WHERE bsn='$1'"
}

# --- an 8-digit BSN is the 9-digit one with its leading zero: one form everywhere
req bsn8 201 POST /zaken wg.a "$(form 10000008 $KA 'Acht Cijfers')"
Z8=$(loc)
has bsn8-normal '"bsn":"010000008"'
req bsn8-read 200 GET /zaken/$Z8 kman
has bsn8-read-normal '"werknemer":\{"bsn":"010000008"'
req bsn8-list 200 GET /zaken kman
[ "$(logged 010000008)" -ge 2 ] && ok || bad "bsn8: no log entries with 010000008"
[ "$(logged 10000008)" = 0 ] && ok || bad "bsn8: a log entry with 8 digits"
req bsn9-same 201 POST /zaken wg.a "$(form 010000008 $KA 'Acht Cijfers' | sed 's/2026-01-05/2026-02-02/')"
[ "$(sql "SELECT count(*) FROM persons WHERE bsn IN ('10000008','010000008')")" = 1 ] && ok ||
    bad "bsn8: two persons for one BSN"

# --- person search: what is no BSN is refused naming the field; nothing searched or logged
before=$(logsql "SELECT count(*) FROM processing_log")
for term in '111 222 333' "' OR '1'='1" '%' '1234567890123456' '' '12345678x' '000000000'; do
    req "search '$term'" 400 POST /personen/zoeken kman "{\"bsn\":\"${term//\'/\\u0027}\"}"
    has "search-field '$term'" '"name":"bsn"'
done
[ "$(logsql "SELECT count(*) FROM processing_log")" = "$before" ] && ok || bad "search: a refused term was logged"
req search-8 200 POST /personen/zoeken kman '{"bsn":"10000008"}'
has search-8-found "\"id\":$Z8"
[ "$(logsql "SELECT count(*) FROM processing_log WHERE action='search' AND bsn='010000008'")" = 1 ] && ok ||
    bad "search-8: not logged with the normal form"
req search-none 200 POST /personen/zoeken kman '{"bsn":"111222333"}'
has search-none-empty '"resultaten":\[\]'

# --- a command commits only with its log entry: the log refuses, nothing changes
v_before=$(sql "SELECT version FROM cases WHERE id=$Z8")
n_before=$(sql "SELECT count(*) FROM cases")
if [ "$ENGINE" = pg ]; then
    sql "CREATE TRIGGER test_refuse BEFORE INSERT ON processing_log FOR EACH ROW EXECUTE FUNCTION lks_refuse_change('test')"
else
    logsql "CREATE TRIGGER test_refuse BEFORE INSERT ON processing_log BEGIN SELECT RAISE(ABORT, 'test'); END;"
fi
req log-down-cmd 503 POST /zaken/$Z8/kosten kman '{"gegevens":{"soort":"overig","bedrag":"10.00"}}'
has log-down-cmd-says 'er is niets gewijzigd'
req log-down-new 503 POST /zaken wg.a "$(form 123456782 $KA 'Niet Vastgelegd')"
[ "$(sql "SELECT version FROM cases WHERE id=$Z8")" = "$v_before" ] && ok || bad "log-down: the command committed"
[ "$(sql "SELECT count(*) FROM cases")" = "$n_before" ] && ok || bad "log-down: a case was made"
if [ "$ENGINE" = pg ]; then sql "DROP TRIGGER test_refuse ON processing_log"; else logsql "DROP TRIGGER test_refuse;"; fi
req log-up-cmd 200 POST /zaken/$Z8/kosten kman '{"gegevens":{"soort":"overig","bedrag":"10.00"}}'

# --- an Idempotency-Key: a repeat gets the first answer, not a second case
K="Idempotency-Key: 6f1c2a9e-aanvraag-1"
req idem-first 201 POST /zaken wg.b "$(form 123456782 $KB 'Een Keer')" "$K"
ZI=$(loc)
cp "$T/body" "$T/first.body"
n_cases=$(sql "SELECT count(*) FROM cases")
log_before=$(logged 123456782)
req idem-repeat 201 POST /zaken wg.b "$(form 123456782 $KB 'Een Keer')" "$K"
cmp -s "$T/body" "$T/first.body" && ok || bad "idem-repeat: another answer"
[ "$(loc)" = "$ZI" ] && ok || bad "idem-repeat: Location $(loc), want $ZI"
[ "$(sql "SELECT count(*) FROM cases")" = "$n_cases" ] && ok || bad "idem-repeat: a second case"
[ "$(logged 123456782)" -gt "$log_before" ] && ok || bad "idem-repeat: the repeated answer was not logged"
req idem-other-body 409 POST /zaken wg.b "$(form 100000009 $KB 'Iemand Anders')" "$K"
has idem-other-body-says 'ander verzoek'
# another user's key of the same name is its own
req idem-other-user 201 POST /zaken wg.a "$(form 123456782 $KA 'Een Keer')" "$K"
[ "$(loc)" != "$ZI" ] && ok || bad "idem-other-user: got the other user's answer"
req idem-bad-key 400 POST /zaken wg.b "$(form 100000009 $KB 'x')" "Idempotency-Key: met spatie"
has idem-bad-key-name '"name":"Idempotency-Key"'
# a payment: a repeat pays nothing twice, and answers as the first time
req idem-iban 200 POST /werkgevers/$KB/iban-bevestigingen fin '{"datum":"2025-12-02"}'
req idem-compleet 200 POST /zaken/$ZI/compleet kman '{"datum":"2025-12-02"}'
TOETS='{"datum":"2025-12-03","gegevens":{"antwoorden":{"vraag1":{"lichamelijk":true,"verstandelijk":false,"psychisch":false,"psychosociaal":false},"vraag2a":{"geenGevolgenVoorWerk":false,"compenseerbaarMetVoorzieningen":false},"vraag2b":{"regulierWerktempo":false,"continuiteit":true,"zelfstandigWerken":true},"vraag3":{"prestatieMinstens20Procent":true,"begeleidingHoogstens15Procent":true,"uurAaneengesloten":true,"zonderPermanentToezicht":true}}}}'
req idem-test 200 POST /zaken/$ZI/toegangstoetsen kman "$TOETS"
req idem-forfait 200 POST /zaken/$ZI/forfait kman '{"datum":"2025-12-04"}'
user besl beslisser
CSRF_[besl]=$(curl -s -c "$T/jar.besl" "${J[@]}" -d "{\"gebruikersnaam\":\"besl\",\"wachtwoord\":\"$PW\"}" "$B/sessies" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
req idem-grant 200 POST /zaken/$ZI/beschikkingen besl '{"datum":"2025-12-15","gegevens":{"soort":"toekenning"}}'
KP="Idempotency-Key: betaling-2026-01"
req idem-pay 200 POST /zaken/$ZI/betalingen fin '{"datum":"2026-02-03","gegevens":{"maand":"2026-01-01"}}' "$KP"
cp "$T/body" "$T/pay.body"
req idem-pay-again 200 POST /zaken/$ZI/betalingen fin '{"datum":"2026-02-03","gegevens":{"maand":"2026-01-01"}}' "$KP"
cmp -s "$T/body" "$T/pay.body" && ok || bad "idem-pay-again: another answer"
[ "$(sql "SELECT count(*) FROM payments WHERE case_id=$ZI")" = 1 ] && ok || bad "idem-pay-again: paid twice"
req idem-pay-nokey 409 POST /zaken/$ZI/betalingen fin '{"datum":"2026-02-03","gegevens":{"maand":"2026-01-01"}}'

# --- the processing log: reading it is a processing of the persons it shows
n_aud=$(logsql "SELECT count(*) FROM processing_log WHERE \"user\"='aud'")
req plog-read 200 GET "/verwerkingen?pageSize=100" aud
has plog-read-bsn '"bsn":"010000008"'
n_aud2=$(logsql "SELECT count(*) FROM processing_log WHERE \"user\"='aud'")
[ "$n_aud2" -gt "$n_aud" ] && ok || bad "plog-read: the auditor's read was not logged"
[ "$(logsql "SELECT count(*) FROM processing_log WHERE object='verwerkingen' AND bsn='010000008'")" -ge 1 ] && ok ||
    bad "plog-read: no entry for a BSN the page showed"
# the monitoring report: an entry per person in it
req report 200 GET /rapportages/meetfactoren kman
rows=$(($(wc -l <"$T/body") - 1))
[ "$(logsql "SELECT count(*) FROM processing_log WHERE object='rapportage/meetfactoren' AND bsn<>''")" -ge "$rows" ] && ok ||
    bad "report: fewer entries than the $rows people in it"

# --- a person's data is its own record: another party's form never changes it
req person-other 201 POST /zaken wg.a "$(form 123456782 $KA 'Overschreven Naam' | sed 's/Kerkstraat 1/Andere Weg 9/')"
ZO=$(loc)
has person-other-note 'wijken af van die van de persoon'
req person-keeps 200 GET /zaken/$ZI kman
has person-keeps-name '"naam":"Een Keer"'
lacks person-keeps-not 'Overschreven|Andere Weg'
req person-own-case 200 GET /zaken/$ZO wg.a
lacks person-own-case-not 'Overschreven|Andere Weg'
req person-find 200 POST /personen/zoeken kman '{"bsn":"123456782"}'
PID=$(sed -n 's/.*"resultaten":\[{"id":\([0-9]*\).*/\1/p' "$T/body")
[ -n "$PID" ] && ok || bad "person-find: no id"
has person-find-url "\"url\":\"/api/v1/personen/$PID\""
req person-read 200 GET /personen/$PID kman
has person-read-cases "\"id\":$ZO"
has person-read-cmd '"soort":"persoon-gewijzigd"'
req person-employer 403 GET /personen/$PID wg.a
req person-employer-chg 403 POST /personen/$PID/wijzigingen wg.a '{"gegevens":{"naam":"Door Werkgever"}}'
req person-fin-chg 403 POST /personen/$PID/wijzigingen fin '{"gegevens":{"naam":"Door Financien"}}'
req person-bsn-chg 400 POST /personen/$PID/wijzigingen kman '{"gegevens":{"bsn":"100000009"}}'
has person-bsn-chg-field '"name":"bsn"'
req person-bad-date 400 POST /personen/$PID/wijzigingen kman '{"gegevens":{"geboortedatum":"2025-01-01"}}'
n_upd=$(logsql "SELECT count(*) FROM processing_log WHERE object='persoon/$PID' AND action='update' AND bsn='123456782'")
req person-chg 200 POST /personen/$PID/wijzigingen kman '{"datum":"2025-12-05","gegevens":{"naam":"Een Keer-Vaker"}}'
has person-chg-name '"naam":"Een Keer-Vaker"'
[ "$(logsql "SELECT count(*) FROM processing_log WHERE object='persoon/$PID' AND action='update' AND bsn='123456782'")" = $((n_upd + 1)) ] &&
    ok || bad "person-chg: not logged as an update of the person"
req person-chg-shows 200 GET /zaken/$ZI kman
has person-chg-shows-name '"naam":"Een Keer-Vaker"'
req person-history 200 GET /personen/$PID/gebeurtenissen kman
has person-history-reg '"soort":"persoon-geregistreerd"'
has person-history-chg '"soort":"persoon-gewijzigd".*"actor":"kman"'
req person-none 404 GET /personen/999999 kman
req person-bad-id 404 GET /personen/%204 kman
[ "$(logsql "SELECT count(*) FROM processing_log WHERE object='persoon/$PID/gebeurtenissen' AND bsn='123456782'")" -ge 1 ] &&
    ok || bad "person-history: the read was not logged"

"$LKS" controleer --db "$DB" >"$T/check.out" 2>&1 && ok || bad "controleer: $(cat "$T/check.out")"
finish

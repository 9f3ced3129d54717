#!/bin/bash
# scope.sh ENGINE — an employer's reach over HTTP, judged on effects, on one engine
# (sqlite: a file; pg: a throw-away PostgreSQL cluster). Replays the takeover a review
# found (an employer's form naming another company's KvK and IBAN on its own waiting
# case) and every variant of it: another KvK in any command, another employer's IBAN,
# another company's case and record on every route, a registration for another
# company, and the four-eyes rule on an IBAN (a proposal changes nothing until a
# financieel who did not propose it confirms; payments go to the confirmed IBAN).
# Each attempt must be refused with 403/404/409 and problem+json, and afterwards the
# other company's record, history and case are byte for byte what they were.
# Last line: "scope-ENGINE: N passed, N failed".
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
finish() { echo "scope-$ENGINE: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if [ "$ENGINE" = pg ]; then
    PGD=$(mktemp -d)
    DB=$(sh "$here/../pg/cluster.sh" start "$PGD") || { bad "cluster did not start"; finish; }
else
    DB=$T/scope.db
fi
"$LKS" init --db "$DB" >/dev/null || { bad "init"; finish; }

KA=31034986 # the employer whose user attacks
KB=44768275 # the other employer, whose money and case must stay its own
KC=20000004 # a company with no record and no case
IBAN_A=NL91ABNA0417164300
IBAN_B=NL44RABO0123456789
IBAN_X=NL20INGB0001234567 # the attacker's account
user() { echo "$PW" | "$LKS" gebruiker --db "$DB" --gemeente "$1" --naam "$2" --rol "$3" ${4:+--kvk $4} >/dev/null || bad "user $2"; }
user gm0794 kman klantmanager
user gm0794 lwd loonwaardedeskundige
user gm0794 besl beslisser
user gm0794 fin financieel
user gm0794 fin2 financieel
user gm0794 wg.a werkgever $KA
user gm0794 wg.b werkgever $KB
user gm0794 wg.c werkgever $KC
user gm1924 km.other klantmanager

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
for u in kman lwd besl fin fin2 wg.a wg.b wg.c km.other; do
    CSRF_[$u]=$(curl -s -c "$T/jar.$u" "${J[@]}" -d "{\"gebruikersnaam\":\"$u\",\"wachtwoord\":\"$PW\"}" \
        "$B/sessies" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
    [ -n "${CSRF_[$u]}" ] && ok || bad "login $u"
done
as() { echo "-b $T/jar.$1 -H X-CSRF-Token:${CSRF_[$1]}"; }
# req NAME WANT METHOD PATH USER [BODY]
req() {
    local name=$1 want=$2 method=$3 path=$4 who=$5 body=${6:-}
    local args=()
    [ -n "$body" ] && args=("${J[@]}" -d "$body")
    got=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -X "$method" $(as "$who") "${args[@]}" "$B$path")
    if [[ " $want " == *" $got "* ]]; then ok; else bad "$name: $method $path as $who -> $got (want $want) $(head -c 300 "$T/body")"; fi
    if [ "${got:0:1}" = 4 ]; then
        grep -qi '^Content-Type: application/problem+json' "$T/hdr" && ok || bad "$name: $got without problem+json"
    fi
}
has() { grep -Eq -- "$2" "$T/body" && ok || bad "$1: body lacks $2: $(head -c 300 "$T/body")"; }
lacks() { grep -Eq -- "$2" "$T/body" && bad "$1: body has $2: $(head -c 300 "$T/body")" || ok; }
id_of() { sed -n 's/^{"id":\([0-9]*\).*/\1/p' "$T/body"; }

form() { # form BSN KVK IBAN [NAME]
    cat <<EOF
{"datum":"2025-12-01","gegevens":{
 "werknemer":{"bsn":"$1","naam":"Werknemer $1","geboortedatum":"1990-05-01","adres":"Kerkstraat 1","postcode":"5701 AB","woonplaats":"Helmond"},
 "werkgever":{"kvk":"$2","naam":"${4:-Bedrijf $2}","adres":"Markt 2","postcode":"5701 CD","plaats":"Helmond","iban":"$3"},
 "dienstverband":{"start":"2026-01-05","uren":"32","loon":"2400.00","functie":"medewerker"},
 "aanvrager":"werkgever"}}
EOF
}
TOETS='{"datum":"2025-12-03","gegevens":{"antwoorden":{"vraag1":{"lichamelijk":true,"verstandelijk":false,"psychisch":false,"psychosociaal":false},"vraag2a":{"geenGevolgenVoorWerk":false,"compenseerbaarMetVoorzieningen":false},"vraag2b":{"regulierWerktempo":false,"continuiteit":true,"zelfstandigWerken":true},"vraag3":{"prestatieMinstens20Procent":true,"begeleidingHoogstens15Procent":true,"uurAaneengesloten":true,"zonderPermanentToezicht":true}}}}'

# --- employer B: a running grant, its IBAN confirmed; employer A: a case waiting for information
req b-apply 201 POST /zaken wg.b "$(form 111222333 $KB $IBAN_B 'Bakkerij B')"
ZB=$(id_of)
has b-proposed "IBAN $IBAN_B van de werkgever is voorgesteld"
req b-confirm-self 403 POST /werkgevers/$KB/iban-bevestigingen wg.b '{}'
req b-confirm 200 POST /werkgevers/$KB/iban-bevestigingen fin '{"datum":"2025-12-02"}'
has b-confirmed "\"iban\":\"$IBAN_B\".*\"ibanWijziging\":null"
req b-compleet 200 POST /zaken/$ZB/compleet kman '{"datum":"2025-12-02"}'
req b-toets 200 POST /zaken/$ZB/toegangstoetsen kman "$TOETS"
req b-meting 200 POST /zaken/$ZB/loonwaardemetingen kman '{"datum":"2025-12-04","gegevens":{"deskundige":"J. Hermans"}}'
req b-lw 200 POST /zaken/$ZB/loonwaarde lwd '{"datum":"2025-12-10","gegevens":{"loonwaarde":"60","gemeten":"2025-12-08"}}'
req b-grant 200 POST /zaken/$ZB/beschikkingen besl '{"datum":"2025-12-15","gegevens":{"soort":"toekenning"}}'
req b-pay 200 POST /zaken/$ZB/betalingen fin '{"datum":"2026-02-03","gegevens":{"maand":"2026-01-01"}}'
has b-paid-to-b "\"betalingen\":\\[\\{[^]]*\"iban\":\"$IBAN_B\""

req a-apply 201 POST /zaken wg.a "$(form 123456782 $KA $IBAN_A 'Installateur A')"
ZA=$(id_of)
req a-confirm 200 POST /werkgevers/$KA/iban-bevestigingen fin '{"datum":"2025-12-02"}'
req a-info 200 POST /zaken/$ZA/informatieverzoeken kman '{"datum":"2025-12-02","gegevens":{"ontbreekt":["loonstrook"]}}'

snapshot() { # what B owns, as the municipality sees it
    curl -s $(as kman) "$B/werkgevers/$KB" >"$T/$1.emp"
    curl -s $(as kman) "$B/werkgevers/$KB/gebeurtenissen?pageSize=100" >"$T/$1.hist"
    curl -s $(as kman) "$B/zaken/$ZB" | sed 's/"mogelijkeOpdrachten".*//' >"$T/$1.case"
    curl -s $(as kman) "$B/zaken/$ZB/gebeurtenissen?pageSize=100" >"$T/$1.ev"
}
snapshot before

# --- the takeover as the review found it: A's own waiting case, B's KvK and another IBAN
A_FORM=$(form 123456782 $KB $IBAN_X 'Installateur A' | sed 's/"datum":"2025-12-01"/"datum":"2025-12-05"/')
req takeover 403 POST /zaken/$ZA/aanvullingen wg.a "$A_FORM"
has takeover-field '"name":"werkgever.kvk"|werkgever vraagt alleen aan voor het eigen bedrijf'
# the same with B's own IBAN, and with another municipality's code in the form
req takeover-iban-b 403 POST /zaken/$ZA/aanvullingen wg.a "$(form 123456782 $KB $IBAN_B | sed 's/2025-12-01/2025-12-05/')"
# a new application in B's name
req apply-as-b 403 POST /zaken wg.a "$(form 111111110 $KB $IBAN_X)"
# A's own KvK with another name and IBAN: A's record waits for a confirmation, B is untouched
req own-form 200 POST /zaken/$ZA/aanvullingen wg.a "$(form 123456782 $KA $IBAN_X 'Andere Naam' | sed 's/2025-12-01/2025-12-05/')"
has own-form-note 'niet overgenomen'
has own-form-proposal "\"ibanVoorgesteld\":\"$IBAN_X\""
has own-form-name '"werkgever":\{"kvk":"'$KA'","naam":"Installateur A"'

# --- B's case on every route, as A: it does not exist for A
for p in "" /gebeurtenissen /werkgever /betalingen /loonkostensubsidie /termijnen; do
    req "b-read $p" 404 GET "/zaken/$ZB$p" wg.a
done
for r in informatieverzoeken aanvullingen compleet toegangstoetsen loonwaardemetingen loonwaarde \
    forfait beschikkingen herbeoordelingen loonwaarde-ongewijzigd beeindiging verhuizing \
    geen-doelgroep-meer intrekking bezwaren bezwaarbeslissingen voorzieningen \
    voorzieningbeeindigingen betalingen kosten; do
    req "b-cmd $r" 404 POST "/zaken/$ZB/$r" wg.a '{"gegevens":{"reden":"overgenomen"}}'
done
req b-cmd-form 404 POST /zaken/$ZB/aanvullingen wg.a "$(form 111222333 $KA $IBAN_X)"
# B's record and its commands, as A
req b-emp 404 GET /werkgevers/$KB wg.a
req b-emp-hist 404 GET /werkgevers/$KB/gebeurtenissen wg.a
req b-emp-iban 404 POST /werkgevers/$KB/iban-voorstellen wg.a "{\"gegevens\":{\"iban\":\"$IBAN_X\"}}"
req b-emp-change 404 POST /werkgevers/$KB/wijzigingen wg.a '{"gegevens":{"naam":"Overgenomen B.V."}}'
req b-emp-reject 404 POST /werkgevers/$KB/iban-afwijzingen wg.a '{"gegevens":{"reden":"x"}}'
req b-register 403 POST /werkgevers wg.a "{\"gegevens\":{\"kvk\":\"$KB\",\"naam\":\"B\",\"iban\":\"$IBAN_X\"}}"
req c-register 403 POST /werkgevers wg.a "{\"gegevens\":{\"kvk\":\"$KC\",\"naam\":\"C\",\"iban\":\"$IBAN_X\"}}"
# a company without a case or record sees nothing, and cannot register another
req c-cases 200 GET /zaken wg.c
lacks c-cases-none '"id":'
req c-emps 200 GET /werkgevers wg.c
lacks c-emps-none '"kvk":'
req c-b 404 GET /werkgevers/$KB wg.c
# another municipality does not see B at all
req other-gm 404 GET /werkgevers/$KB km.other
req other-gm-iban 404 POST /werkgevers/$KB/iban-voorstellen km.other "{\"gegevens\":{\"iban\":\"$IBAN_X\"}}"
req other-gm-case 404 GET /zaken/$ZB km.other
# roles: the municipality's other roles cannot move money either
req lwd-iban 403 POST /werkgevers/$KB/iban-voorstellen lwd "{\"gegevens\":{\"iban\":\"$IBAN_X\"}}"
req fin-iban 403 POST /werkgevers/$KB/iban-voorstellen fin "{\"gegevens\":{\"iban\":\"$IBAN_X\"}}"

snapshot after
for f in emp hist case ev; do
    if cmp -s "$T/before.$f" "$T/after.$f"; then ok; else
        bad "B's $f changed: $(diff "$T/before.$f" "$T/after.$f" | head -c 400)"
    fi
done

# --- four eyes on B's own IBAN: a proposal changes nothing until a second user confirms
req b-propose 200 POST /werkgevers/$KB/iban-voorstellen kman "{\"datum\":\"2026-03-01\",\"gegevens\":{\"iban\":\"$IBAN_X\"}}"
has b-propose-waits "\"iban\":\"$IBAN_B\".*\"ibanWijziging\":\\{\"iban\":\"$IBAN_X\",\"voorgesteldDoor\":\"kman\""
req b-propose-again 409 POST /werkgevers/$KB/iban-voorstellen wg.b "{\"gegevens\":{\"iban\":\"$IBAN_A\"}}"
req b-pay-feb 200 POST /zaken/$ZB/betalingen fin '{"datum":"2026-03-03","gegevens":{"maand":"2026-02-01"}}'
has b-pay-feb-old "\"maand\":\"2026-02-01\",\"bedrag\":\"[0-9.]*\",\"betaald\":\"2026-03-03\",\"iban\":\"$IBAN_B\""
req b-confirm-km 403 POST /werkgevers/$KB/iban-bevestigingen kman '{}'
req b-confirm-wgb 403 POST /werkgevers/$KB/iban-bevestigingen wg.b '{}'
req b-confirm-fin2 200 POST /werkgevers/$KB/iban-bevestigingen fin2 '{"datum":"2026-03-10"}'
has b-confirm-fin2-now "\"iban\":\"$IBAN_X\".*\"ibanWijziging\":null"
req b-confirm-twice 409 POST /werkgevers/$KB/iban-bevestigingen fin '{}'
req b-pay-mar 200 POST /zaken/$ZB/betalingen fin '{"datum":"2026-04-03","gegevens":{"maand":"2026-03-01"}}'
has b-pay-mar-new "\"maand\":\"2026-03-01\",\"bedrag\":\"[0-9.]*\",\"betaald\":\"2026-04-03\",\"iban\":\"$IBAN_X\""
# the history says who did what
req b-hist 200 GET "/werkgevers/$KB/gebeurtenissen?pageSize=100" kman
has b-hist-who '"soort":"iban-voorgesteld".*"actor":"kman".*"soort":"iban-bevestigd".*"actor":"fin2"'
# a refused proposal leaves the account as it is
req a-reject 200 POST /werkgevers/$KA/iban-afwijzingen fin '{"gegevens":{"reden":"tenaamstelling klopt niet"}}'
has a-reject-kept "\"iban\":\"$IBAN_A\".*\"ibanWijziging\":null"

# --- a form refers to a known employer by its KvK number alone; a new one needs its name
KONLY=$(form 100000009 $KB "" | sed 's/"werkgever":{[^}]*}/"werkgever":{"kvk":"'$KB'"}/')
req kvk-only 201 POST /zaken wg.b "$KONLY"
has kvk-only-record '"werkgever":\{"kvk":"'$KB'","naam":"Bakkerij B"'
req kvk-only-new 400 POST /zaken wg.c "$(echo "$KONLY" | sed "s/$KB/$KC/")"
has kvk-only-new-name '"name":"werkgever.naam"'

# --- any interested party may object (Awb 1:2, 6:2, 8:1): the employer itself too, on its
# own case only (docs/process.md says the same as the process table)
req objection-own 200 POST /zaken/$ZB/bezwaren wg.b '{"gegevens":{"onderwerp":"hoogte van de loonwaarde"}}'
has objection-own-listed '"bezwaren":\[\{"onderwerp":"hoogte van de loonwaarde"'
req objection-other 404 POST /zaken/$ZB/bezwaren wg.a '{"gegevens":{"onderwerp":"niet van mij"}}'

# --- the work list: an employer sees only its own cases, whatever it filters on
req wl-km 200 GET "/werkvoorraad?pageSize=100&alles=true" kman
has wl-km-both "\"kvk\":\"$KA\".*|\"kvk\":\"$KB\""
has wl-km-b "\"kvk\":\"$KB\""
req wl-a 200 GET "/werkvoorraad?pageSize=100&alles=true" wg.a
has wl-a-own "\"kvk\":\"$KA\""
lacks wl-a-not-b "\"kvk\":\"$KB\""
req wl-a-asks-b 200 GET "/werkvoorraad?pageSize=100&alles=true&werkgever=$KB" wg.a
lacks wl-a-asks-b-not "\"kvk\":\"$KB\""
req wl-a-search-b 200 GET "/werkvoorraad?pageSize=100&alles=true&zoek=$ZB" wg.a
lacks wl-a-search-b-not "\"id\":$ZB,"
req wl-other 200 GET "/werkvoorraad?pageSize=100&alles=true&zoek=$ZB" km.other
lacks wl-other-not "\"id\":$ZB,"
req wl-bad 400 GET "/werkvoorraad?alles=ja" kman
has wl-bad-name '"name":"alles"'

# --- a case goes to another klantmanager of the municipality only, by a klantmanager
user gm0794 kman2 klantmanager
req assign-wg 403 POST /zaken/$ZA/toewijzingen wg.a '{"gegevens":{"klantmanager":"kman2","reden":"werkverdeling"}}'
req assign-other 400 POST /zaken/$ZA/toewijzingen kman '{"gegevens":{"klantmanager":"km.other","reden":"werkverdeling"}}'
has assign-other-field '"name":"klantmanager"'
req assign-none 400 POST /zaken/$ZA/toewijzingen kman '{"gegevens":{"klantmanager":"niemand","reden":"werkverdeling"}}'
has assign-same-answer 'niemand is geen actieve klantmanager van deze gemeente'
req assign-fin 400 POST /zaken/$ZA/toewijzingen kman '{"gegevens":{"klantmanager":"fin","reden":"werkverdeling"}}'
req assign-ok 200 POST /zaken/$ZA/toewijzingen kman '{"gegevens":{"klantmanager":"kman2","reden":"werkverdeling"}}'
has assign-ok-worker '"klantmanager":"kman2"'
req assign-list 200 GET "/werkvoorraad?pageSize=100&alles=true&klantmanager=kman2" kman
has assign-list-case "\"id\":$ZA,"

# --- the payment run: another municipality's run does not exist for its financieel (404
# on every route, its bank file marks nothing), an employer reaches no run (403) and only
# its own company's payment lines, paid to the confirmed IBAN; four eyes on the approval
user gm1924 fin.other financieel
CSRF_[fin.other]=$(curl -s -c "$T/jar.fin.other" "${J[@]}" -d "{\"gebruikersnaam\":\"fin.other\",\"wachtwoord\":\"$PW\"}" \
    "$B/sessies" | sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p')
[ -n "${CSRF_[fin.other]}" ] && ok || bad "login fin.other"
req pay-make 201 POST /betaalruns fin "{\"maand\":\"$(date +%Y-%m)\"}"
RUN=$(sed -n 's/^{"betaalrun":{"id":\([0-9]*\),.*/\1/p' "$T/body")
[ -n "$RUN" ] && ok || bad "pay-make: no run id"
for p in "" /regels /sepa /lijst; do
    req "pay-other-get$p" 404 GET "/betaalruns/$RUN$p" fin.other
done
req pay-other-approve 404 POST /betaalruns/$RUN/goedkeuring fin.other '{}'
req pay-other-cancel 404 POST /betaalruns/$RUN/annulering fin.other '{}'
req pay-other-list 200 GET /betaalruns fin.other
lacks pay-other-list-none "\"id\":$RUN,"
req pay-km-other 403 GET /betaalruns/$RUN km.other
for u in wg.a wg.b; do
    req "pay-wg-list-$u" 403 GET /betaalruns $u
    req "pay-wg-get-$u" 403 GET /betaalruns/$RUN $u
    req "pay-wg-make-$u" 403 POST /betaalruns $u "{\"maand\":\"$(date +%Y-%m)\"}"
done
req pay-lines 200 GET "/betaalruns/$RUN/regels?pageSize=100" fin
# to the IBAN confirmed last (b-confirm-fin2 above: the proposal a financieel confirmed)
req pay-b-record 200 GET /werkgevers/$KB fin
IBAN_NOW=$(sed -n 's/^{"werkgever":{[^}]*"iban":"\([A-Z0-9]*\)".*/\1/p' "$T/body")
[ "$IBAN_NOW" = "$IBAN_X" ] && ok || bad "pay-b-record: confirmed IBAN '$IBAN_NOW'"
req pay-lines 200 GET "/betaalruns/$RUN/regels?pageSize=100" fin
has pay-lines-b "\"zaak\":$ZB,[^}]*\"iban\":\"$IBAN_NOW\""
lacks pay-lines-old "\"iban\":\"$IBAN_B\""
E2E=$(grep -o "\"zaak\":$ZB,[^}]*\"endToEndId\":\"[^\"]*\"" "$T/body" | head -n 1 | sed 's/.*"endToEndId":"\([^"]*\)"/\1/')
req pay-case-own 200 GET /zaken/$ZB/betaalregels wg.b
has pay-case-own-line "\"endToEndId\":\"$E2E\""
req pay-case-other-wg 404 GET /zaken/$ZB/betaalregels wg.a
req pay-case-other-town 404 GET /zaken/$ZB/betaalregels km.other
req pay-approve-self 403 POST /betaalruns/$RUN/goedkeuring fin '{}'
has pay-approve-self-field '"name":"gebruiker"'
req pay-approve 200 POST /betaalruns/$RUN/goedkeuring fin2 '{}'
cat >"$T/camt.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><Stmt><Id>1</Id>
<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-04</Dt></BookgDt><BkTxCd/>
<NtryDtls><TxDtls><Refs><EndToEndId>$E2E</EndToEndId></Refs></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>
XML
got=$(curl -s -o "$T/body" -w '%{http_code}' $(as fin.other) -H 'Content-Type: application/xml' --data-binary @"$T/camt.xml" "$B/bankafschriften")
[ "$got" = 200 ] && ok || bad "pay-bank-other: $got $(head -c 300 "$T/body")"
has pay-bank-other-unknown '"betaald":0,"teruggekomen":0,"onbekend":1'
req pay-lines-after 200 GET /zaken/$ZB/betaalregels fin
has pay-lines-after-open "\"status\":\"openstaand\",[^}]*\"endToEndId\":\"$E2E\""

# --- the store itself agrees: every case and every employer rebuilds from its events
"$LKS" controleer --db "$DB" >"$T/check.out" 2>&1 && ok || bad "controleer: $(cat "$T/check.out")"
grep -q '"werkgeverAfwijkingen":0' "$T/check.out" && ok || bad "controleer: $(cat "$T/check.out")"
finish

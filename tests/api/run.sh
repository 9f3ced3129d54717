#!/bin/bash
# API tests over real HTTP: a server started here on a free loopback port with a fresh
# store (demo data and users), talked to with curl. Covers the seed process through
# the API as different roles, the role x route matrix, cross-tenant attempts, bad
# input of every kind, media types, headers, CSRF, tokens, the processing log and a
# graceful stop that loses no acknowledged write. Last line: "api: N passed, N failed".
set -u
LKS=${LKS:-build/lks}
T=$(mktemp -d)
DB=$T/api.db
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

# --- a store with demo data and one user per role
"$LKS" init --db "$DB" >/dev/null
"$LKS" demo --db "$DB" --zaken 40 --gemeenten 2 --seed 5 >/dev/null
KVK=$(sqlite3 "$DB" "SELECT e.kvk FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' ORDER BY c.id LIMIT 1")
ROLES="klantmanager loonwaardedeskundige beslisser financieel auditor beheerder werkgever"
for r in $ROLES; do
    extra=""
    [ "$r" = werkgever ] && extra="--kvk $KVK"
    echo "$PW" | "$LKS" gebruiker --db "$DB" --gemeente gm0794 --naam "$r" --rol "$r" $extra >/dev/null ||
        bad "user $r"
done
echo "$PW" | "$LKS" gebruiker --db "$DB" --gemeente gm1924 --naam km.goeree --rol klantmanager >/dev/null
echo "$PW" | "$LKS" gebruiker --db "$DB" --gemeente gm1924 --naam beheer.goeree --rol beheerder >/dev/null
echo "$PW" | "$LKS" gebruiker --db "$DB" --naam appbeheer --rol applicatiebeheerder >/dev/null ||
    bad "user applicatiebeheerder"

start_server() {
    "$LKS" serve --db "$DB" --listen 127.0.0.1:0 >"$T/serve.out" 2>"$T/serve.err" &
    SRV=$!
    # up to 30 s: the sanitizer build on a loaded machine starts slowly
    for _ in $(seq 300); do
        PORT=$(sed -n 's/.*(poort \([0-9]*\)).*/\1/p' "$T/serve.out")
        [ -n "$PORT" ] && break
        sleep 0.1
    done
    B=http://127.0.0.1:$PORT/api/v1
}
start_server
[ -n "$PORT" ] && ok || { bad "server did not start: $(cat "$T/serve.err")"; echo "api: $pass passed, $fail failed"; exit 1; }

# req NAME WANT_STATUS METHOD PATH [curl args...]: response body in $T/body, headers in $T/hdr
req() {
    local name=$1 want=$2 method=$3 path=$4
    shift 4
    local got
    got=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -X "$method" "$@" "$B$path")
    if [ "$got" = "$want" ]; then ok; else bad "$name: $method $path -> $got (want $want) $(head -c 300 "$T/body")"; fi
    if [ "${got:0:1}" = 5 ] && [ "${want:0:1}" != 5 ]; then bad "$name: 5xx"; fi
}
has() { # has NAME PATTERN (in the last body)
    if grep -Eq -- "$2" "$T/body"; then ok; else bad "$1: body lacks $2: $(head -c 300 "$T/body")"; fi
}
hdr() {
    if grep -Eiq -- "$2" "$T/hdr"; then ok; else bad "$1: headers lack $2"; fi
}
# timing NAME [MIN_MS]: the last response has exactly one "Server-Timing: app;dur=<ms>" with
# three decimals, at least MIN_MS (0) and under a minute; prints nothing else
timing() {
    local v n
    n=$(grep -ic '^server-timing:' "$T/hdr")
    v=$(tr -d '\r' <"$T/hdr" | sed -n 's/^[Ss]erver-[Tt]iming: app;dur=\([0-9][0-9]*\.[0-9][0-9][0-9]\)$/\1/p')
    if [ "$n" = 1 ] && [ -n "$v" ] && awk -v v="$v" -v m="${2:-0}" 'BEGIN { exit !(v >= m && v < 60000) }'; then
        ok
    else
        bad "$1: Server-Timing missing, repeated or malformed: $(grep -i '^server-timing' "$T/hdr" | head -3)"
    fi
}
J=(-H 'Content-Type: application/json')

# --- sessions per role (cookie jar and CSRF token per role)
login() { # login USER KEY [PASSWORD]
    local u=$1
    curl -s -c "$T/jar.$u" -o "$T/login.$u" -w '%{http_code}' "${J[@]}" \
        -d "{\"gebruikersnaam\":\"$u\",\"wachtwoord\":\"${3:-$PW}\"}" "$B/sessies" >"$T/code.$u"
    CSRF_[$2]=$(sed -n 's/.*"csrfToken":"\([^"]*\)".*/\1/p' "$T/login.$u")
}
declare -A CSRF_
i=0
for r in $ROLES km.goeree beheer.goeree appbeheer; do
    login "$r" "$r"
    [ "$(cat "$T/code.$r")" = 201 ] && ok || bad "login $r: $(cat "$T/code.$r") $(cat "$T/login.$r")"
done
as() { # as USER: curl args for a cookie session with its CSRF token
    echo "-b $T/jar.$1 -H X-CSRF-Token:${CSRF_[$1]}"
}

req login-bad 401 POST /sessies "${J[@]}" -d '{"gebruikersnaam":"klantmanager","wachtwoord":"fout-wachtwoord-x"}'
has login-bad-msg 'onjuist'
# answered by the hashing pool: the time includes the password check (Argon2id, tens of ms)
timing server-timing-login-refused 1
req login-fields 400 POST /sessies "${J[@]}" -d '{"naam":"x"}'
has login-fields-all '"name":"naam".*"name":"gebruikersnaam"|"name":"gebruikersnaam"'
req whoami 200 GET /gebruikers/ik $(as klantmanager)
has whoami-role '"rol":"klantmanager"'
req no-auth 401 GET /zaken
hdr no-auth-www 'WWW-Authenticate: Bearer'

# --- headers on every response
req openapi 200 GET /openapi.json
timing server-timing-openapi
hdr api-version 'API-Version: 1\.0\.0'
hdr cors 'Access-Control-Allow-Origin: \*'
hdr nosniff 'X-Content-Type-Options: nosniff'
hdr nostore 'Cache-Control: no-store'
hdr csp "frame-ancestors 'none'"
req unknown-route 404 GET /bestaat-niet
hdr problem-type 'Content-Type: application/problem\+json'
hdr api-version-404 'API-Version: 1\.0\.0'
timing server-timing-404
# a page and an asset have it too (the router answers them as well)
curl -s -o /dev/null -D "$T/hdr" "http://127.0.0.1:$PORT/inloggen"
timing server-timing-page
curl -s -o /dev/null -D "$T/hdr" "http://127.0.0.1:$PORT/static/bestaat-niet.css"
timing server-timing-asset

# --- stateless calculations (public), the same figures as the CLI
req calc-lks 200 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2026-01-01","loonwaarde":60,"uren":"32"}'
has calc-lks-total '"totaal":"1088.10"'
req calc-ld 200 POST /berekeningen/loondispensatie "${J[@]}" -d '{"huishouden":"alleenstaand","loonwaarde":"55","normGehuwden":"1295.07"}'
has calc-ld-typo '"totaalInkomen":"1076.53"'
req calc-ie 200 POST /berekeningen/inverdieneffect "${J[@]}" -d '{"plaatsingen":75,"maanden":6,"fte":"0.7","loonwaarde":50,"normGehuwden":"1295.07"}'
has calc-ie-total '"totaal":"163178.40"'
req calc-term 200 POST /berekeningen/termijn "${J[@]}" -d '{"vanaf":"2026-04-20","weken":5}'
has calc-term-end '"einddatum":"2026-05-26"'
req calc-toets 200 POST /berekeningen/toegangstoets "${J[@]}" -d '{"vraag1":{"lichamelijk":false,"verstandelijk":false,"psychisch":false,"psychosociaal":false}}'
has calc-toets-out '"uitkomst":"geen-doelgroep-bovengrens"'
# the sector's full-time hours: required before 2024 and above 36 hours, never taken as 36
req calc-lks-40 200 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2026-01-15","loonwaarde":60,"uren":40,"voltijduren":"40"}'
has calc-lks-40-sub '"loonkostensubsidie":"1101.31"'
req calc-lks-40-no-sector 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2026-01-15","loonwaarde":60,"uren":40}'
has calc-lks-40-name '"name":"voltijduren","code":"required","reason":"is verplicht bij meer dan 36 uur per week'
req calc-lks-2023 200 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2023-07-01","loonwaarde":60,"uren":32,"voltijduren":40}'
has calc-lks-2023-sub '"loonkostensubsidie":"689.47"'
req calc-lks-2023-no-sector 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2023-07-01","loonwaarde":60,"uren":32}'
has calc-lks-2023-name '"name":"voltijduren","code":"required","reason":"is verplicht: voor 2024'
hdr calc-lks-2023-problem 'Content-Type: application/problem\+json'
req calc-lks-sector-0 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2026-01-15","loonwaarde":60,"uren":36,"voltijduren":0}'
has calc-lks-sector-0-name '"name":"voltijduren","code":"out-of-range"'
# no flat rate before 2016-07-04; the youth minimum wage before 2024 in multiples of EUR 0.05
req calc-lks-flat-2015 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2015-03-01","forfaitair":true,"uren":36,"voltijduren":36}'
has calc-lks-flat-2015-name '"name":"forfaitair".*4 juli 2016'
req calc-lks-youth 200 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2019-07-01","loonwaarde":60,"uren":36,"voltijduren":36,"leeftijd":20}'
has calc-lks-youth-wml '"wmlPerMaand":"1308.50"'
req calc-all-faults 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2026-02-30","loonwaarde":"zestig","kleur":"rood"}'
has calc-all-faults-3 '"name":"peildatum".*"name":"loonwaarde".*|"name":"kleur"'
has calc-required '"name":"uren"'
req calc-range 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2030-01-01","loonwaarde":60,"uren":36}'
has calc-range-msg 'regeltabel'
req calc-real 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":"2026-01-01","loonwaarde":60.5,"uren":36}'
req bad-json 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '{"peildatum":'
has bad-json-msg 'geen geldige JSON'
req not-object 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d '[1,2]'
req media-415 415 POST /berekeningen/loonkostensubsidie -H 'Content-Type: text/plain' -d 'x'
req media-406 406 GET /openapi.json -H 'Accept: text/html'
head -c 2000000 /dev/zero | tr '\0' 'a' >"$T/big"
req too-big 413 POST /berekeningen/loonkostensubsidie "${J[@]}" --data-binary @"$T/big"
hdr too-big-version 'API-Version: 1\.0\.0'
req allow-405 405 PUT /zaken
hdr allow-405-hdr 'Allow: GET, POST'
req plog-na 400 GET "/verwerkingen?na=abc" $(as auditor)
req method-405 405 DELETE /zaken

# --- the seed process through the API, each step by its own role
cat >"$T/aanvraag.json" <<JSON
{"datum":"2025-12-01","gegevens":{
 "werknemer":{"bsn":"111222333","naam":"Anna de Vries","geboortedatum":"1990-05-01","adres":"Kerkstraat 1","postcode":"5701 AB","woonplaats":"Helmond"},
 "werkgever":{"kvk":"$KVK","naam":"Demo werkgever B.V.","adres":"Markt 2","iban":"NL91ABNA0417164300"},
 "dienstverband":{"start":"2026-01-05","uren":"32","loon":"2400.00","functie":"bakkershulp"},
 "aanvrager":"werkgever"}}
JSON
req p-aanvraag 201 POST /zaken "${J[@]}" $(as werkgever) -d @"$T/aanvraag.json"
hdr p-location 'Location: /api/v1/zaken/[0-9]+'
Z=$(sed -n 's/^Location: \/api\/v1\/zaken\/\([0-9]*\).*/\1/Ip' "$T/hdr" | tr -d '\r')
req p-compleet-werkgever 403 POST /zaken/$Z/compleet "${J[@]}" $(as werkgever) -d '{"datum":"2025-12-02"}'
req p-compleet 200 POST /zaken/$Z/compleet "${J[@]}" $(as klantmanager) -d '{"datum":"2025-12-02"}'
has p-status-1 '"status":"doelgroepbepaling"'
req p-wrong-state 409 POST /zaken/$Z/loonwaarde "${J[@]}" $(as loonwaardedeskundige) -d '{"datum":"2025-12-03","gegevens":{"loonwaarde":"60"}}'
req p-toets 200 POST /zaken/$Z/toegangstoetsen "${J[@]}" $(as klantmanager) -d '{"datum":"2025-12-03","gegevens":{"antwoorden":{"vraag1":{"lichamelijk":true,"verstandelijk":false,"psychisch":false,"psychosociaal":false},"vraag2a":{"geenGevolgenVoorWerk":false,"compenseerbaarMetVoorzieningen":false},"vraag2b":{"regulierWerktempo":false,"continuiteit":true,"zelfstandigWerken":true},"vraag3":{"prestatieMinstens20Procent":true,"begeleidingHoogstens15Procent":true,"uurAaneengesloten":true,"zonderPermanentToezicht":true}}}}'
req p-meting 200 POST /zaken/$Z/loonwaardemetingen "${J[@]}" $(as klantmanager) -d '{"datum":"2025-12-04","gegevens":{"deskundige":"J. Hermans","methode":"uniform"}}'
req p-lw-wrongrole 403 POST /zaken/$Z/loonwaarde "${J[@]}" $(as klantmanager) -d '{"datum":"2025-12-10","gegevens":{"loonwaarde":"60"}}'
req p-lw-computed 400 POST /zaken/$Z/loonwaarde "${J[@]}" $(as loonwaardedeskundige) -d '{"datum":"2025-12-10","gegevens":{"loonwaarde":"60","bedrag":"1.00"}}'
req p-loonwaarde 200 POST /zaken/$Z/loonwaarde "${J[@]}" $(as loonwaardedeskundige) -d '{"datum":"2025-12-10","gegevens":{"loonwaarde":"60","gemeten":"2025-12-08"}}'
req p-beschikking 200 POST /zaken/$Z/beschikkingen "${J[@]}" $(as beslisser) -d '{"datum":"2025-12-15","gegevens":{"soort":"toekenning"}}'
has p-status-lopend '"status":"lopend"'
has p-amount '"bedragPerMaand":"1088.10"'
req p-betaling 200 POST /zaken/$Z/betalingen "${J[@]}" $(as financieel) -d '{"datum":"2026-02-03","gegevens":{"maand":"2026-01-01"}}'
req p-betaling-dubbel 409 POST /zaken/$Z/betalingen "${J[@]}" $(as financieel) -d '{"datum":"2026-02-04","gegevens":{"maand":"2026-01-01"}}'
req p-bezwaar 200 POST /zaken/$Z/bezwaren "${J[@]}" $(as klantmanager) -d '{"datum":"2026-01-10","gegevens":{"onderwerp":"hoogte loonwaarde"}}'
req p-bezwaar-beslist 200 POST /zaken/$Z/bezwaarbeslissingen "${J[@]}" $(as beslisser) -d '{"datum":"2026-02-10","gegevens":{"uitkomst":"ongegrond"}}'
req p-zaak 200 GET /zaken/$Z $(as klantmanager)
timing server-timing-logged-read # sent after its processing-log entry was committed
has p-zaak-termijnen '"soort":"bezwaartermijn"'
req p-zaak-werkgever 200 GET /zaken/$Z $(as werkgever)
req p-events 200 GET /zaken/$Z/gebeurtenissen $(as auditor)
has p-events-n '"volgnummer":9'
req p-part 200 GET /zaken/$Z/beschikkingen $(as beslisser)
has p-part-amount '"bedragPerMaand":"1088.10"'
# the decision's letter (issue 11): PDF, the same bytes each time, the employer only its own
req p-brief 200 GET /zaken/$Z/beschikkingen/1/brief $(as beslisser)
hdr p-brief-type 'Content-Type: application/pdf'
hdr p-brief-etag 'ETag: "[0-9a-f]{64}"'
cp "$T/body" "$T/brief1.pdf"
if pdftotext "$T/brief1.pdf" - 2>/dev/null | tr -s ' \n' ' ' | grep -qF '€ 1.088,10 per maand'; then ok; else bad "p-brief: no amount in the letter"; fi
req p-brief-werkgever 200 GET /zaken/$Z/beschikkingen/1/brief $(as werkgever)
if cmp -s "$T/body" "$T/brief1.pdf"; then ok; else bad "p-brief: two fetches differ"; fi
req p-brief-werknemer 200 GET "/zaken/$Z/beschikkingen/1/brief?voor=werknemer" $(as klantmanager)
req p-brief-werkgever-werknemer 403 GET "/zaken/$Z/beschikkingen/1/brief?voor=werknemer" $(as werkgever)
req p-brief-voor 400 GET "/zaken/$Z/beschikkingen/1/brief?voor=buurman" $(as klantmanager)
req p-brief-none 404 GET /zaken/$Z/beschikkingen/7/brief $(as klantmanager)
req p-brief-accept 406 GET /zaken/$Z/beschikkingen/1/brief -H 'Accept: application/json' $(as klantmanager)
req p-lks 200 "GET" "/zaken/$Z/loonkostensubsidie?maand=2026-01" $(as financieel)
has p-lks-total '"totaal":"1088.10"'
req p-part-unknown 404 GET /zaken/$Z/geheimen $(as klantmanager)
req p-bsn-search 200 POST /personen/zoeken "${J[@]}" $(as klantmanager) -d '{"bsn":"111222333"}'
has p-bsn-case "\"id\":$Z"
req p-csrf 403 POST /zaken/$Z/kosten "${J[@]}" -b "$T/jar.klantmanager" -d '{"gegevens":{"soort":"overig","bedrag":"10.00"}}'
# an IBAN and a postcode are kept in their canonical form, however they were typed
sed -e 's/"postcode":"5701 AB"/"postcode":"5701ab"/' -e 's/"iban":"NL91ABNA0417164300"/"iban":"nl91 abna 0417 1643 00"/' \
    -e 's/111222333/123456782/' "$T/aanvraag.json" >"$T/aanvraag-n.json"
req n-aanvraag 201 POST /zaken "${J[@]}" $(as werkgever) -d @"$T/aanvraag-n.json"
ZN=$(sed -n 's/^Location: \/api\/v1\/zaken\/\([0-9]*\).*/\1/Ip' "$T/hdr" | tr -d '\r')
req n-zaak 200 GET /zaken/$ZN $(as klantmanager)
has n-postcode '"werknemer":\{[^}]*"postcode":"5701 AB"'
# a different IBAN in a form changes nothing yet: it waits, in its canonical form, for a
# financieel's confirmation
has n-iban '"werkgever":\{[^}]*"ibanVoorgesteld":"NL91ABNA0417164300"'
if grep -qi 'nl91 abna\|5701ab' "$T/body"; then bad "n-zaak: the typed form is kept"; else ok; fi

# --- lists, pagination, filters
req list 200 GET "/zaken?page=1&pageSize=5" $(as klantmanager)
hdr list-link 'Link: .*rel="next"'
has list-5 '"paginaGrootte":5'
req list-bad 400 GET "/zaken?pageSize=1000&status=nergens" $(as klantmanager)
has list-bad-2 '"name":"pageSize".*"name":"status"'
req list-werkgever 200 GET /zaken $(as werkgever)
n_all=$(curl -s $(as klantmanager) "$B/zaken?pageSize=100" | grep -o '"id":' | wc -l)
n_wg=$(curl -s $(as werkgever) "$B/zaken?pageSize=100" | grep -o '"id":' | wc -l)
if [ "$n_wg" -ge 1 ] && [ "$n_wg" -lt "$n_all" ]; then ok; else bad "werkgever sees $n_wg of $n_all"; fi
req termijnen 200 GET "/termijnen?datum=2026-01-20" $(as klantmanager)
req werkgevers 200 GET /werkgevers $(as klantmanager)
# an employer's list of employers holds itself only
req werkgevers-own 200 GET "/werkgevers?pageSize=100" $(as werkgever)
if [ "$(grep -o '"kvk":' "$T/body" | wc -l)" = 1 ] && grep -q "\"kvk\":\"$KVK\"" "$T/body"; then ok; else bad "werkgevers-own: $(head -c 300 "$T/body")"; fi

# --- every list answers alike: page and pageSize, a Link that keeps the filters, a fixed order
items() { sed -n 's/^{"resultaten":\[\(.*\)\],"pagina".*/\1/p' "$T/body"; }
next_link() { tr -d '\r' <"$T/hdr" | sed -n 's/^Link:.*<\([^>]*\)>; rel="next".*/\1/Ip'; }
paging() { # paging NAME PATH USER MARKER [FILTER]: MARKER occurs once per item
    local name=$1 path=$2 user=$3 marker=$4 filter=${5:-} and=${5:+&$5}
    req "$name-two" 200 GET "$path?pageSize=2$and" $(as "$user")
    local two one nxt n
    two=$(items)
    req "$name-one" 200 GET "$path?pageSize=1$and" $(as "$user")
    one=$(items)
    n=$(grep -o -- "$marker" "$T/body" | wc -l)
    [ "$n" = 1 ] && ok || bad "$name: pageSize=1 gives $n results"
    has "$name-size" '"pagina":1,"paginaGrootte":1'
    hdr "$name-first" "Link: </api/v1$path\\?page=1&pageSize=1[^>]*>; rel=\"first\""
    nxt=$(next_link)
    case "$nxt" in /api/v1$path\?page=2\&pageSize=1*) ok ;; *) bad "$name: rel=next is '$nxt'" ;; esac
    if [ -n "$filter" ]; then
        case "$nxt" in *"&$filter"*) ok ;; *) bad "$name: the Link drops $filter: $nxt" ;; esac
    fi
    req "$name-next" 200 GET "${nxt#/api/v1}" $(as "$user")
    has "$name-next-page" '"pagina":2,"paginaGrootte":1'
    hdr "$name-prev" "</api/v1$path\\?page=1&pageSize=1[^>]*>; rel=\"prev\""
    if [ -n "$one" ] && [ "$two" = "$one,$(items)" ]; then ok; else
        bad "$name: page 1 and the next page are not the first two items"
    fi
    req "$name-beyond" 200 GET "$path?page=1000000&pageSize=100$and" $(as "$user")
    has "$name-beyond-empty" '^\{"resultaten":\[\],"pagina":1000000,'
    for q in pageSize=0 pageSize=101 pageSize=x page=0; do
        req "$name-$q" 400 GET "$path?$q$and" $(as "$user")
        has "$name-$q-field" "\"name\":\"${q%%=*}\""
    done
    curl -s $(as "$user") "$B$path?pageSize=100$and" >"$T/order.1"
    curl -s $(as "$user") "$B$path?pageSize=100$and" >"$T/order.2"
    # the same list twice; the processing log may have grown by the first reading (a read
    # of it is logged), so there the first list must begin the second
    local l1 l2
    l1=$(sed 's/\],"pagina".*//' "$T/order.1")
    l2=$(sed 's/\],"pagina".*//' "$T/order.2")
    if grep -q -- "$marker" "$T/order.1" &&
        { cmp -s "$T/order.1" "$T/order.2" || { [ "$path" = /verwerkingen ] && [ "${l2#"$l1"}" != "$l2" ]; }; }; then
        ok
    else
        bad "$name: two calls give a different list"
    fi
}
paging l-zaken /zaken klantmanager '"url":"/api/v1/zaken/' status=lopend
paging l-events "/zaken/$Z/gebeurtenissen" klantmanager '"geregistreerd":'
paging l-werkgevers /werkgevers klantmanager '"kvk":'
paging l-termijnen /termijnen klantmanager '"wettelijkeGrondslag":' datum=2026-01-20
paging l-verwerkingen /verwerkingen auditor '"verzoek":' vanaf=2020-01-01
# filter values are URL-encoded in the Link
req l-encoded 200 GET "/zaken?klantmanager=a%20b%26c%3E&pageSize=3" $(as klantmanager)
hdr l-encoded-link 'Link: </api/v1/zaken\?page=1&pageSize=3&klantmanager=a%20b%26c%3E>; rel="first"'
# /termijnen: only the asked kind or case
req l-dl-soort 200 GET "/termijnen?datum=2026-01-20&soort=herbeoordeling&pageSize=100" $(as klantmanager)
kinds=$(grep -o '"soort":"[^"]*"' "$T/body" | sort -u)
[ "$kinds" = '"soort":"herbeoordeling"' ] && ok || bad "l-dl-soort: kinds $kinds"
req l-dl-zaak 200 GET "/termijnen?datum=2026-01-20&zaak=$Z&pageSize=100" $(as klantmanager)
cases=$(grep -o '"zaak":[0-9]*' "$T/body" | sort -u)
[ "$cases" = "\"zaak\":$Z" ] && ok || bad "l-dl-zaak: cases $cases"
req l-dl-soort-bad 400 GET "/termijnen?soort=onbekend" $(as klantmanager)
has l-dl-soort-bad-field '"name":"soort"'
req l-dl-zaak-bad 400 GET "/termijnen?zaak=0" $(as klantmanager)
has l-dl-zaak-bad-field '"name":"zaak"'
# /verwerkingen: `na` continues after an entry, and pages count from there; a period
req l-plog-two 200 GET "/verwerkingen?pageSize=2" $(as auditor)
ids=($(grep -o '"id":[0-9]*' "$T/body" | cut -d: -f2))
req l-plog-na 200 GET "/verwerkingen?na=${ids[0]}&pageSize=1" $(as auditor)
has l-plog-na-next "^\\{\"resultaten\":\\[\\{\"id\":${ids[1]},"
hdr l-plog-na-link "Link: <[^>]*&na=${ids[0]}>; rel=\"first\""
req l-plog-na-unknown 400 GET "/verwerkingen?na=999999999" $(as auditor)
has l-plog-na-unknown-field '"name":"na"'
req l-plog-future 200 GET "/verwerkingen?vanaf=2199-01-01" $(as auditor)
has l-plog-future-empty '^\{"resultaten":\[\],'
req l-plog-period-bad 400 GET "/verwerkingen?vanaf=2021-01-01&tot=2020-01-01" $(as auditor)
has l-plog-period-bad-field '"name":"tot"'
req rapport 200 GET /rapportages/meetfactoren $(as auditor)
has rapport-header '^bsn,geslacht'
# one processing-log entry per person in the report, each with the BSN of its row
report_logged() { # report_logged NAME MIN_ROWS: the report in the last body against the log
    local rows logged="" after="" n_rows
    rows=$(tail -n +2 "$T/body" | cut -d, -f1 | sort)
    for _ in $(seq 1000); do
        curl -s $(as auditor) "$B/verwerkingen?pageSize=100${after:+&na=$after}" >"$T/plog.page"
        after=$(grep -o '"id":[0-9]*' "$T/plog.page" | tail -n 1 | cut -d: -f2)
        [ -z "$after" ] && break
        logged="$logged $(grep -o '"bsn":"[^"]*","verwerktObject":"rapportage/meetfactoren"' "$T/plog.page" | cut -d'"' -f4)"
    done
    logged=$(printf '%s\n' $logged | sort)
    n_rows=$(printf '%s\n' "$rows" | grep -c .)
    if [ "$n_rows" -ge "$2" ] && [ "$logged" = "$rows" ]; then ok; else
        bad "$1: $n_rows rows; logged: $(echo $logged | head -c 300)"
    fi
}
report_logged rapport-plog 10

# --- cross-tenant: another municipality's case does not exist for the caller
for p in "/zaken/$Z" "/zaken/$Z/gebeurtenissen" "/zaken/$Z/beschikkingen"; do
    req cross-get 404 GET "$p" $(as km.goeree)
done
req cross-cmd 404 POST /zaken/$Z/kosten "${J[@]}" $(as km.goeree) -d '{"gegevens":{"soort":"overig","bedrag":"10.00"}}'
# every route on a case, taken from the OpenAPI document so that a new one is covered too:
# another municipality's klantmanager gets 404 on each, and the case is unchanged after
v_before=$(sqlite3 "$DB" "SELECT version FROM cases WHERE id=$Z")
n_routes=0
while read -r method path; do
    path=${path//\{id\}/$Z}
    path=${path//\{onderdeel\}/betalingen}
    path=${path//\{n\}/1}
    if [ "$method" = GET ]; then
        req "cross-every $path" 404 GET "$path" $(as km.goeree)
    else
        req "cross-every $path" 404 POST "$path" "${J[@]}" $(as km.goeree) -d '{"datum":"2026-01-10"}'
    fi
    n_routes=$((n_routes + 1))
done < <(awk '/^    "\/[^"]*": \{$/ { p = $1; gsub(/"/, "", p); sub(/:$/, "", p) }
              /^      "(get|post|put|delete)": \{$/ && p ~ /^\/zaken\/\{id\}/ {
                  m = $1; gsub(/[":]/, "", m); print toupper(m), p }' src/api/openapi.json)
[ "$n_routes" -ge 22 ] && ok || bad "cross-every: only $n_routes case routes found in openapi.json"
[ "$(sqlite3 "$DB" "SELECT version FROM cases WHERE id=$Z")" = "$v_before" ] && ok || bad "cross-every changed the case"
req cross-search 200 POST /personen/zoeken "${J[@]}" $(as km.goeree) -d '{"bsn":"111222333"}'
has cross-search-none '"resultaten":\[\]'
n_goeree=$(curl -s $(as km.goeree) "$B/zaken?pageSize=100" | grep -c "\"id\":$Z,")
[ "$n_goeree" = 0 ] && ok || bad "goeree lists helmond case"

# --- what a server thread keeps between requests (checked credentials, rendered cases) never
# outlives a change and never crosses a tenant or an employer: each step is asked several
# times so that every server thread answers it
OTHER=$(sqlite3 "$DB" "SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' AND e.kvk<>'$KVK' AND c.applied<=20458 ORDER BY c.id LIMIT 1")
for i in 1 2 3 4; do req warm-other 200 GET /zaken/$OTHER $(as klantmanager); done
for i in 1 2 3 4; do req cached-other-employer 404 GET /zaken/$OTHER $(as werkgever); done
for i in 1 2 3 4; do req cached-other-tenant 404 GET /zaken/$OTHER $(as km.goeree); done
req cached-change 200 POST /zaken/$OTHER/kosten "${J[@]}" $(as klantmanager) -d '{"datum":"2026-01-05","gegevens":{"soort":"overig","bedrag":"12.34"}}'
for i in 1 2 3 4; do
    req cached-fresh 200 GET /zaken/$OTHER $(as klantmanager)
    has cached-fresh-cost '"12.34"'
done

# --- role x route matrix (reads)
matrix() { # route, then the expected status per role in $ROLES order
    local path=$1
    shift
    for r in $ROLES; do
        req "matrix $r $path" "$1" GET "$path" $(as $r)
        shift
    done
}
#                              km  lwd besl fin aud beh wg
matrix "/zaken"                200 200 200  200 200 403 200
matrix "/zaken/$Z"             200 200 200  200 200 403 200
matrix "/termijnen"            200 200 200  200 200 403 403
matrix "/werkgevers"           200 200 200  200 200 403 200
matrix "/verwerkingen"         403 403 403  403 200 403 403
matrix "/gebruikers/ik"        200 200 200  200 200 200 200
# the installation's operator sees no case, no deadline, employer, log or municipal user
for p in "/zaken" "/zaken/$Z" "/zaken/$Z/gebeurtenissen" "/termijnen" "/werkgevers" "/verwerkingen" \
    "/rapportages/meetfactoren" "/gebruikers" "/gebruikers/beheerder"; do
    req "matrix appbeheer $p" 403 GET "$p" $(as appbeheer)
done
req matrix-appbeheer-ik 200 GET /gebruikers/ik $(as appbeheer)
has matrix-appbeheer-tenant '"rol":"applicatiebeheerder","gemeente":"\*"'
req matrix-appbeheer-search 403 POST /personen/zoeken "${J[@]}" $(as appbeheer) -d '{"bsn":"111222333"}'
req matrix-appbeheer-new 403 POST /zaken "${J[@]}" $(as appbeheer) -d @"$T/aanvraag.json"
# writes: the auditor, the beheerder and the applicatiebeheerder change nothing
for r in auditor beheerder appbeheer; do
    req "matrix-write $r" 403 POST /zaken/$Z/kosten "${J[@]}" $(as $r) -d '{"gegevens":{"soort":"overig","bedrag":"10.00"}}'
done

# --- the processing log: reads of personal data were logged, with the BSN
req plog 200 GET "/verwerkingen" $(as auditor)
has plog-bsn '"bsn":"111222333"'
has plog-read '"actie":"raadplegen"'

# --- no personal data leaves unlogged: when the processing log refuses, the answer is 503
sqlite3 "$DB-verwerkingen" "CREATE TRIGGER test_refuse BEFORE INSERT ON processing_log BEGIN SELECT RAISE(ABORT, 'test'); END;"
req plog-down 503 GET /zaken/$Z $(as klantmanager)
if grep -q '111222333' "$T/body"; then bad "plog-down: the answer holds the BSN"; else ok; fi
# the case page says the same as a page, not as JSON
got=$(curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' $(as klantmanager) "${B%/api/v1}/zaken/$Z")
[ "$got" = 503 ] && ok || bad "plog-down-page: GET /zaken/$Z (page) -> $got (want 503)"
hdr plog-down-page-html 'Content-Type: text/html'
has plog-down-page-text 'kon niet worden vastgelegd'
if grep -q '111222333' "$T/body"; then bad "plog-down-page: the page holds the BSN"; else ok; fi
req plog-down-nodata 200 GET /gebruikers/ik $(as klantmanager)
sqlite3 "$DB-verwerkingen" "DROP TRIGGER test_refuse;"
req plog-up 200 GET /zaken/$Z $(as klantmanager)

# --- API token for a system
TOKEN=$("$LKS" token --db "$DB" --naam klantmanager --label test | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
req token 200 GET /zaken/$Z -H "Authorization: Bearer $TOKEN"
req token-bad 401 GET /zaken/$Z -H "Authorization: Bearer x$TOKEN"
req token-post 200 POST /zaken/$Z/kosten "${J[@]}" -H "Authorization: Bearer $TOKEN" -d '{"gegevens":{"soort":"overig","bedrag":"10.00"}}'

# --- blocking a user ends its session and revokes its tokens at once, also where the
# server threads have just checked them
for i in 1 2 3 4; do
    req warm-token 200 GET /zaken/$Z -H "Authorization: Bearer $TOKEN"
    req warm-session 200 GET /zaken/$Z $(as klantmanager)
done
"$LKS" blokkeer --db "$DB" --naam klantmanager >/dev/null
for i in 1 2 3 4; do
    req blocked-session 401 GET /gebruikers/ik $(as klantmanager)
    req blocked-token 401 GET /zaken/$Z -H "Authorization: Bearer $TOKEN"
done
req blocked-login 401 POST /sessies "${J[@]}" -d "{\"gebruikersnaam\":\"klantmanager\",\"wachtwoord\":\"$PW\"}"
"$LKS" blokkeer --db "$DB" --naam klantmanager --deblokkeer >/dev/null
login klantmanager klantmanager
req unblocked 200 GET /gebruikers/ik $(as klantmanager)
req unblocked-token-stays-revoked 401 GET /zaken/$Z -H "Authorization: Bearer $TOKEN"
TOKEN=$("$LKS" token --db "$DB" --naam klantmanager --label test2 | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')

# --- changing one's own password: the current one is checked, other sessions end
NEWPW=nieuw-wachtwoord-financieel
curl -s -c "$T/jar.fin2" -o /dev/null "${J[@]}" -d "{\"gebruikersnaam\":\"financieel\",\"wachtwoord\":\"$PW\"}" "$B/sessies"
req pw-other-before 200 GET /gebruikers/ik -b "$T/jar.fin2"
req pw-no-csrf 403 PUT /gebruikers/ik/wachtwoord "${J[@]}" -b "$T/jar.financieel" -d "{\"huidigWachtwoord\":\"$PW\",\"nieuwWachtwoord\":\"$NEWPW\"}"
req pw-wrong 400 PUT /gebruikers/ik/wachtwoord "${J[@]}" $(as financieel) -d "{\"huidigWachtwoord\":\"fout-fout-fout\",\"nieuwWachtwoord\":\"$NEWPW\"}"
has pw-wrong-field '"name":"huidigWachtwoord"'
req pw-short 400 PUT /gebruikers/ik/wachtwoord "${J[@]}" $(as financieel) -d "{\"huidigWachtwoord\":\"$PW\",\"nieuwWachtwoord\":\"kort\"}"
has pw-short-field '"name":"nieuwWachtwoord"'
req pw-fields 400 PUT /gebruikers/ik/wachtwoord "${J[@]}" $(as financieel) -d '{"wachtwoord":"x"}'
has pw-fields-all '"name":"wachtwoord".*"name":"huidigWachtwoord".*"name":"nieuwWachtwoord"'
req pw-method 405 GET /gebruikers/ik/wachtwoord $(as financieel)
req pw-ok 204 PUT /gebruikers/ik/wachtwoord "${J[@]}" $(as financieel) -d "{\"huidigWachtwoord\":\"$PW\",\"nieuwWachtwoord\":\"$NEWPW\"}"
for i in 1 2 3 4; do
    req pw-this-session 200 GET /gebruikers/ik $(as financieel)
    req pw-other-ended 401 GET /gebruikers/ik -b "$T/jar.fin2"
done
req pw-old-login 401 POST /sessies "${J[@]}" -d "{\"gebruikersnaam\":\"financieel\",\"wachtwoord\":\"$PW\"}"
req pw-new-login 201 POST /sessies "${J[@]}" -d "{\"gebruikersnaam\":\"financieel\",\"wachtwoord\":\"$NEWPW\"}"

# --- the beheerder manages the users of its own municipality
NU=nieuwe.km
NPW=eerste-wachtwoord-km
newuser() { # the body of a new user NAME with role ROLE
    echo "{\"gebruikersnaam\":\"$1\",\"naam\":\"Nieuwe Klantmanager\",\"rol\":\"$2\",\"wachtwoord\":\"$NPW\"}"
}
trail() { # trail NAME LINE: the server's stderr has the operator's line
    if grep -qF -- "$2" "$T/serve.err"; then ok; else bad "$1: no '$2' on the server's stderr"; fi
}
no_secret() {
    if grep -Eqi 'argon|wachtwoord|csrf|"token"' "$T/body"; then bad "$1: the body holds a secret"; else ok; fi
}
req b-new 201 POST /gebruikers "${J[@]}" $(as beheerder) -d "$(newuser $NU klantmanager)"
hdr b-new-location "Location: /api/v1/gebruikers/$NU"
has b-new-body "^\{\"gebruikersnaam\":\"$NU\",\"naam\":\"Nieuwe Klantmanager\",\"rol\":\"klantmanager\",\"gemeente\":\"gm0794\",\"actief\":true\}$"
no_secret b-new-secret
trail b-new-trail "beheer: beheerder maakt gebruiker $NU"
req b-new-get 200 GET /gebruikers/$NU $(as beheerder)
has b-new-get-body "\"gebruikersnaam\":\"$NU\""
req b-dup 409 POST /gebruikers "${J[@]}" $(as beheerder) -d "$(newuser $NU auditor)"
has b-dup-msg 'bestaat al'
req b-dup-other-tenant 409 POST /gebruikers "${J[@]}" $(as beheerder) -d "$(newuser km.goeree auditor)"
req b-fields 400 POST /gebruikers "${J[@]}" $(as beheerder) \
    -d '{"gebruikersnaam":"X","naam":"","rol":"koning","kvk":12,"wachtwoord":"kort","kleur":"rood"}'
for f in kleur gebruikersnaam naam rol kvk wachtwoord; do has "b-fields-$f" "\"name\":\"$f\""; done
req b-fields-kvk 400 POST /gebruikers "${J[@]}" $(as beheerder) -d "$(newuser wg.zonder.kvk werkgever)"
has b-fields-kvk-name '"name":"kvk"'
req b-fields-role 400 POST /gebruikers "${J[@]}" $(as beheerder) -d "$(newuser systeem.x systeem)"
has b-fields-role-name '"name":"rol"'
req b-fields-role-app 400 POST /gebruikers "${J[@]}" $(as beheerder) -d "$(newuser app.x applicatiebeheerder)"
has b-fields-role-app-name '"name":"rol"'
req b-fields-long 400 POST /gebruikers "${J[@]}" $(as beheerder) -d "$(newuser "$(printf 'a%.0s' $(seq 70))" auditor)"
has b-fields-long-name '"name":"gebruikersnaam"'
req b-fields-missing 400 POST /gebruikers "${J[@]}" $(as beheerder) -d '{}'
for f in gebruikersnaam naam rol wachtwoord; do has "b-fields-missing-$f" "\"name\":\"$f\""; done
req b-unknown 404 GET /gebruikers/niemand.hier $(as beheerder)
req b-405 405 DELETE /gebruikers $(as beheerder)
hdr b-405-allow 'Allow: GET, POST'

# the new user logs in; the list shows it, by login name, never a secret
login $NU $NU "$NPW"
[ "$(cat "$T/code.$NU")" = 201 ] && ok || bad "b-login: $(cat "$T/code.$NU") $(cat "$T/login.$NU")"
req b-login-me 200 GET /gebruikers/ik $(as $NU)
req b-list 200 GET "/gebruikers?pageSize=100" $(as beheerder)
has b-list-new "\"gebruikersnaam\":\"$NU\""
no_secret b-list-secret
names=$(grep -o '"gebruikersnaam":"[^"]*"' "$T/body" | cut -d'"' -f4 | tr '\n' ' ')
[ "$names" = "$(printf '%s\n' $ROLES $NU | LC_ALL=C sort | tr '\n' ' ')" ] && ok || bad "b-list: names $names"
tenants=$(grep -o '"gemeente":"[^"]*"' "$T/body" | sort -u)
[ "$tenants" = '"gemeente":"gm0794"' ] && ok || bad "b-list: municipalities $tenants"
has b-list-kvk "\"rol\":\"werkgever\",\"gemeente\":\"gm0794\",\"kvk\":\"$KVK\""
req b-list-rol 200 GET "/gebruikers?rol=werkgever" $(as beheerder)
roles=$(grep -o '"rol":"[^"]*"' "$T/body" | sort -u)
[ "$roles" = '"rol":"werkgever"' ] && ok || bad "b-list-rol: $roles"
req b-list-bad 400 GET "/gebruikers?rol=koning&actief=misschien" $(as beheerder)
has b-list-bad-2 '"name":"rol".*"name":"actief"'
paging l-gebruikers /gebruikers beheerder '"gebruikersnaam":' rol=klantmanager

# a password set by the beheerder: every session of the user ends, the new one works
NPW2=tweede-wachtwoord-km
for i in 1 2 3 4; do req b-pw-before 200 GET /gebruikers/ik $(as $NU); done
req b-pw 204 PUT /gebruikers/$NU/wachtwoord "${J[@]}" $(as beheerder) -d "{\"wachtwoord\":\"$NPW2\"}"
trail b-pw-trail "beheer: beheerder zet het wachtwoord van $NU"
for i in 1 2 3 4; do req b-pw-session-ended 401 GET /gebruikers/ik $(as $NU); done
req b-pw-old 401 POST /sessies "${J[@]}" -d "{\"gebruikersnaam\":\"$NU\",\"wachtwoord\":\"$NPW\"}"
login $NU $NU "$NPW2"
[ "$(cat "$T/code.$NU")" = 201 ] && ok || bad "b-pw-new-login: $(cat "$T/code.$NU")"
req b-pw-short 400 PUT /gebruikers/$NU/wachtwoord "${J[@]}" $(as beheerder) -d '{"wachtwoord":"kort","x":1}'
has b-pw-short-fields '"name":"x".*"name":"wachtwoord"|"name":"wachtwoord".*"name":"x"'
req b-pw-self 409 PUT /gebruikers/beheerder/wachtwoord "${J[@]}" $(as beheerder) -d "{\"wachtwoord\":\"$NPW2\"}"
# "ik" stays the caller's own change, also for a beheerder
req b-pw-ik 400 PUT /gebruikers/ik/wachtwoord "${J[@]}" $(as beheerder) -d "{\"wachtwoord\":\"$NPW2\"}"
has b-pw-ik-own '"name":"huidigWachtwoord"'
req b-pw-ik-user 204 PUT /gebruikers/ik/wachtwoord "${J[@]}" $(as $NU) -d "{\"huidigWachtwoord\":\"$NPW2\",\"nieuwWachtwoord\":\"$NPW\"}"

# API tokens: shown once, revoked by label
req b-token 201 POST /gebruikers/$NU/tokens "${J[@]}" $(as beheerder) -d '{"label":"koppeling"}'
NT=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
[ ${#NT} = 43 ] && ok || bad "b-token: '$NT'"
trail b-token-trail "beheer: beheerder maakt een API-token voor $NU"
if grep -qF "$NT" "$T/serve.err"; then bad "b-token: the token is in the server's log"; else ok; fi
req b-token-works 200 GET /gebruikers/ik -H "Authorization: Bearer $NT"
has b-token-user "\"gebruikersnaam\":\"$NU\""
req b-token-bad 400 POST /gebruikers/$NU/tokens "${J[@]}" $(as beheerder) -d '{"label":"met spatie","x":1}'
has b-token-bad-fields '"name":"x".*"name":"label"'
req b-token-2 201 POST /gebruikers/$NU/tokens "${J[@]}" $(as beheerder) -d '{"label":"tweede"}'
NT2=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$T/body")
for i in 1 2 3 4; do req b-revoke-before 200 GET /gebruikers/ik -H "Authorization: Bearer $NT2"; done
req b-revoke 204 DELETE /gebruikers/$NU/tokens/tweede $(as beheerder)
trail b-revoke-trail "beheer: beheerder trekt een API-token in van $NU"
for i in 1 2 3 4; do
    req b-revoked 401 GET /gebruikers/ik -H "Authorization: Bearer $NT2"
    req b-revoke-other-label 200 GET /gebruikers/ik -H "Authorization: Bearer $NT"
done
req b-revoke-again 404 DELETE /gebruikers/$NU/tokens/tweede $(as beheerder)
req b-revoke-unknown 404 DELETE /gebruikers/niemand.hier/tokens/tweede $(as beheerder)

# blocking: its session and token stop at once, also where server threads just checked them
login $NU $NU "$NPW"
for i in 1 2 3 4; do
    req b-block-warm-session 200 GET /gebruikers/ik $(as $NU)
    req b-block-warm-token 200 GET /gebruikers/ik -H "Authorization: Bearer $NT"
done
req b-block 204 PUT /gebruikers/$NU/blokkering "${J[@]}" $(as beheerder) -d '{"geblokkeerd":true}'
trail b-block-trail "beheer: beheerder blokkeert $NU"
for i in 1 2 3 4; do
    req b-blocked-session 401 GET /gebruikers/ik $(as $NU)
    req b-blocked-token 401 GET /gebruikers/ik -H "Authorization: Bearer $NT"
done
req b-blocked-login 401 POST /sessies "${J[@]}" -d "{\"gebruikersnaam\":\"$NU\",\"wachtwoord\":\"$NPW\"}"
req b-blocked-list 200 GET "/gebruikers?actief=false" $(as beheerder)
has b-blocked-list-has "\"gebruikersnaam\":\"$NU\""
if grep -q '"actief":true' "$T/body"; then bad "b-blocked-list: an active user"; else ok; fi
req b-blocked-token-new 409 POST /gebruikers/$NU/tokens "${J[@]}" $(as beheerder) -d '{"label":"nog-een"}'
req b-unblock 204 PUT /gebruikers/$NU/blokkering "${J[@]}" $(as beheerder) -d '{"geblokkeerd":false}'
trail b-unblock-trail "beheer: beheerder deblokkeert $NU"
login $NU $NU "$NPW"
[ "$(cat "$T/code.$NU")" = 201 ] && ok || bad "b-unblocked-login: $(cat "$T/code.$NU")"
req b-unblocked-token-stays-revoked 401 GET /gebruikers/ik -H "Authorization: Bearer $NT"
req b-block-self 409 PUT /gebruikers/beheerder/blokkering "${J[@]}" $(as beheerder) -d '{"geblokkeerd":true}'
has b-block-self-msg 'uzelf'
req b-block-self-still 200 GET /gebruikers/ik $(as beheerder)
req b-block-bad 400 PUT /gebruikers/$NU/blokkering "${J[@]}" $(as beheerder) -d '{"geblokkeerd":"ja","reden":"x"}'
has b-block-bad-fields '"name":"reden".*"name":"geblokkeerd"'

# CSRF on the cookie session
req b-csrf-new 403 POST /gebruikers "${J[@]}" -b "$T/jar.beheerder" -d "$(newuser zonder.csrf auditor)"
req b-csrf-block 403 PUT /gebruikers/$NU/blokkering "${J[@]}" -b "$T/jar.beheerder" -d '{"geblokkeerd":true}'
req b-csrf-pw 403 PUT /gebruikers/$NU/wachtwoord "${J[@]}" -b "$T/jar.beheerder" -d "{\"wachtwoord\":\"$NPW2\"}"
req b-csrf-token 403 POST /gebruikers/$NU/tokens "${J[@]}" -b "$T/jar.beheerder" -d '{"label":"x"}'
req b-csrf-revoke 403 DELETE /gebruikers/$NU/tokens/koppeling -b "$T/jar.beheerder"
req b-csrf-none-made 404 GET /gebruikers/zonder.csrf $(as beheerder)
req b-csrf-still-active 200 GET /gebruikers/ik $(as $NU)

# every other role: 403 on every route of the beheerder (and with an API token)
beheer_routes() { # beheer_routes NAME WANT curl-auth-args...
    local name=$1 want=$2
    shift 2
    req "$name list" "$want" GET /gebruikers "$@"
    req "$name get" "$want" GET /gebruikers/$NU "$@"
    req "$name new" "$want" POST /gebruikers "${J[@]}" "$@" -d "$(newuser rol.test auditor)"
    req "$name block" "$want" PUT /gebruikers/$NU/blokkering "${J[@]}" "$@" -d '{"geblokkeerd":true}'
    req "$name pw" "$want" PUT /gebruikers/$NU/wachtwoord "${J[@]}" "$@" -d "{\"wachtwoord\":\"$NPW2\"}"
    req "$name token" "$want" POST /gebruikers/$NU/tokens "${J[@]}" "$@" -d '{"label":"x"}'
    req "$name revoke" "$want" DELETE /gebruikers/$NU/tokens/koppeling "$@"
}
for r in $ROLES $NU appbeheer; do
    [ "$r" = beheerder ] && continue
    beheer_routes "b-role $r" 403 $(as $r)
done
beheer_routes "b-role token" 403 -H "Authorization: Bearer $TOKEN"
req b-role-nothing-changed 200 GET /gebruikers/ik $(as $NU)
req b-role-none-made 404 GET /gebruikers/rol.test $(as beheerder)

# another municipality's beheerder: Helmond's users do not exist for it
beheer_routes_other() {
    req "b-cross get" 404 GET /gebruikers/$NU "$@"
    req "b-cross block" 404 PUT /gebruikers/$NU/blokkering "${J[@]}" "$@" -d '{"geblokkeerd":true}'
    req "b-cross pw" 404 PUT /gebruikers/$NU/wachtwoord "${J[@]}" "$@" -d "{\"wachtwoord\":\"$NPW2\"}"
    req "b-cross token" 404 POST /gebruikers/$NU/tokens "${J[@]}" "$@" -d '{"label":"x"}'
    req "b-cross revoke" 404 DELETE /gebruikers/$NU/tokens/koppeling "$@"
}
beheer_routes_other $(as beheer.goeree)
req b-cross-still-active 200 GET /gebruikers/ik $(as $NU)
req b-cross-list 200 GET "/gebruikers?pageSize=100" $(as beheer.goeree)
tenants=$(grep -o '"gemeente":"[^"]*"' "$T/body" | sort -u)
[ "$tenants" = '"gemeente":"gm1924"' ] && ok || bad "b-cross-list: municipalities $tenants"
has b-cross-list-own '"gebruikersnaam":"km.goeree"'
req b-cross-new 201 POST /gebruikers "${J[@]}" $(as beheer.goeree) -d "$(newuser km2.goeree klantmanager)"
has b-cross-new-tenant '"gemeente":"gm1924"'
req b-cross-back 404 GET /gebruikers/km2.goeree $(as beheerder)
req b-cross-back-block 404 PUT /gebruikers/km.goeree/blokkering "${J[@]}" $(as beheerder) -d '{"geblokkeerd":true}'
req b-cross-back-alive 200 GET /gebruikers/ik $(as km.goeree)

# --- rule rows: the installation's operator adds the half-yearly WML row through the API;
# every server thread computes with it at the next request. Made-up test figures and
# source, never real ones.
trail rules-start-warning "lks: waarschuwing: de tabel minimumloon geldt tot en met 2026-06-30"
req rules-status-before 200 GET /status
has rules-status-before-warn '"status":"waarschuwing"'
has rules-status-before-date '"ontbrekendVanaf":"2026-07-01"'
has rules-status-before-command '"opdracht":"lks regels toevoegen --db URL --tabel wml --vanaf 2026-07-01 '
has rules-status-before-route '"route":"POST /api/v1/regels/wml"'
req rules-list 200 GET /regels
has rules-list-origin '"herkomst":\{"soort":"ingebouwd","bestand":"rules/wml.tsv"\}'
has rules-list-until '^\{"geldigTot":"2026-06-30","waarschuwingen":\['
CALC='{"peildatum":"2026-07-01","loonwaarde":60,"uren":"36"}'
for i in 1 2 3 4; do
    req rules-calc-before 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d "$CALC"
    has rules-calc-before-msg 'valt buiten de regeltabel'
done
ROW='{"vanaf":"2026-07-01","waarden":{"month":"2400.00","hour":"15.38","full_age":21},"bron":"Stcrt. 2099, nr. 1 (testwaarde)"}'
req rules-anon 401 POST /regels/wml "${J[@]}" -d "$ROW"
for r in $ROLES km.goeree beheer.goeree; do
    req "rules-role $r" 403 POST /regels/wml "${J[@]}" $(as $r) -d "$ROW"
done
req rules-role-token 403 POST /regels/wml "${J[@]}" -H "Authorization: Bearer $TOKEN" -d "$ROW"
req rules-csrf 403 POST /regels/wml "${J[@]}" -b "$T/jar.appbeheer" -d "$ROW"
req rules-table 404 POST /regels/minimumloon "${J[@]}" $(as appbeheer) -d "$ROW"
req rules-method 405 GET /regels/wml $(as appbeheer)
req rules-fields 400 POST /regels/wml "${J[@]}" $(as appbeheer) -d '{"datum":"2026-07-01"}'
for f in datum vanaf waarden bron; do has "rules-fields-$f" "\"name\":\"$f\""; done
req rules-cell 400 POST /regels/wml "${J[@]}" $(as appbeheer) \
    -d '{"vanaf":"2026-07-01","waarden":{"month":"veel","hour":"15.38","full_age":"21"},"bron":"x"}'
has rules-cell-name '"invalidParams":\[\{"name":"waarden.month"'
has rules-cell-msg "kolom 'month': geen geldig getal"
req rules-cell-type 400 POST /regels/wml "${J[@]}" $(as appbeheer) \
    -d '{"vanaf":"2026-07-01","waarden":{"month":2400.5,"hour":"15.38","full_age":"21"},"bron":"x"}'
has rules-cell-type-name '"name":"waarden.month"'
req rules-column 400 POST /regels/wml "${J[@]}" $(as appbeheer) \
    -d '{"vanaf":"2026-07-01","waarden":{"maand":"2400.00","hour":"15.38","full_age":"21"},"bron":"x"}'
has rules-column-name '"name":"waarden.maand"'
req rules-gap 400 POST /regels/wml "${J[@]}" $(as appbeheer) \
    -d '{"vanaf":"2027-01-01","waarden":{"month":"2400.00","hour":"15.38","full_age":"21"},"bron":"x"}'
has rules-gap-name '"name":"vanaf"'
req rules-source 400 POST /regels/wml "${J[@]}" $(as appbeheer) \
    -d '{"vanaf":"2026-07-01","waarden":{"month":"2400.00","hour":"15.38","full_age":"21"},"bron":" "}'
has rules-source-name '"name":"bron"'
req rules-none-yet 200 GET /status
has rules-none-yet-date '"ontbrekendVanaf":"2026-07-01"'
req rules-add 201 POST /regels/wml "${J[@]}" $(as appbeheer) -d "$ROW"
has rules-add-row '^\{"tabel":"wml","vanaf":"2026-07-01","perMaand":"2400.00","perUur":"15.38","volledigVanafLeeftijd":21,"herkomst":\{"soort":"opslag","id":[0-9]+,"bron":"Stcrt. 2099, nr. 1 \(testwaarde\)","toegevoegdDoor":"appbeheer","toegevoegdOp":"20[0-9-]+T[0-9:]+Z"\}\}$'
trail rules-add-trail "regels: appbeheer voegt toe: wml vanaf 2026-07-01, bron 'Stcrt. 2099, nr. 1 (testwaarde)'"
# every thread: the calculation that was refused now uses the new row
for i in 1 2 3 4; do
    req rules-calc-after 200 POST /berekeningen/loonkostensubsidie "${J[@]}" -d "$CALC"
    has rules-calc-after-wml '"wmlPerMaand":"2400.00"'
done
req rules-list-after 200 GET /regels
has rules-list-after-row '"vanaf":"2026-07-01","perMaand":"2400.00","perUur":"15.38","volledigVanafLeeftijd":21,"herkomst":\{"soort":"opslag"'
has rules-list-after-until '"geldigTot":"2026-12-31"'
# 2026-12-31 is within 60 days of today (or past): still a warning, now for the next row
for i in 1 2 3 4; do
    req rules-status-next 200 GET /status
    has rules-status-next-date '"ontbrekendVanaf":"2027-01-01"'
done
# a row added with the CLI while the server runs: used by the next request of every thread
echo '{"peildatum":"2027-01-01","loonwaarde":60,"uren":"36"}' >"$T/calc27"
req rules-cli-before 400 POST /berekeningen/loonkostensubsidie "${J[@]}" -d @"$T/calc27"
"$LKS" regels toevoegen --db "$DB" --tabel wml --vanaf 2027-01-01 --waarden 'month=2450.00,hour=15.70,full_age=21' \
    --bron 'Stcrt. 2099, nr. 2 (testwaarde)' --gebruiker appbeheer >/dev/null 2>"$T/err" && ok || bad "rules-cli: $(cat "$T/err")"
for i in 1 2 3 4; do
    req rules-cli-after 200 POST /berekeningen/loonkostensubsidie "${J[@]}" -d @"$T/calc27"
    has rules-cli-after-wml '"wmlPerMaand":"2450.00"'
done
# rows up to beyond today + 60 days: then the status is ok
from=2027-07-01 n=3 until_ok=$(date -u -d "+61 days" +%F)
while :; do
    y=${from%%-*}
    case $from in *-01-01) end=$y-06-30 next=$y-07-01 ;; *) end=$y-12-31 next=$((y + 1))-01-01 ;; esac
    req "rules-add-$from" 201 POST /regels/wml "${J[@]}" $(as appbeheer) \
        -d "{\"vanaf\":\"$from\",\"waarden\":{\"month\":\"2500.00\",\"hour\":\"16.00\",\"full_age\":\"21\"},\"bron\":\"Stcrt. 2099, nr. $n (testwaarde)\"}"
    n=$((n + 1))
    [ "$end" \> "$until_ok" ] && break
    from=$next
done
for i in 1 2 3 4; do
    req rules-status-ok 200 GET /status
    has rules-status-ok-body '^\{"status":"ok","versie":"1\.0\.0","regels":\{"geldigTot":"[0-9-]+","waarschuwingen":\[\]\}\}$'
done
[ "$(sqlite3 "$DB" "SELECT count(*) FROM rule_rows WHERE added_by='appbeheer'")" -ge 3 ] && ok || bad "rules: rows in the store"
sqlite3 "$DB" "DELETE FROM rule_rows" 2>/dev/null && bad "rules: a rule row could be deleted" || ok

# --- the payment run (h_betaal.c, app_payrun.h): a financieel makes it, another approves
# (four eyes), then the bank file validates against the XSD and the list has every line;
# the bank's statement marks lines; a cancelled run frees its months
echo "$PW" | "$LKS" gebruiker --db "$DB" --gemeente gm0794 --naam financieel2 --rol financieel >/dev/null ||
    bad "user financieel2"
login financieel2 financieel2
XSD=${LKS_SHARED:-../shared}/schemas/pain.001.001.09.xsd
MAAND=$(date +%Y-%m)
req run-make0 201 POST /betaalruns "${J[@]}" $(as financieel) -d "{\"maand\":\"$MAAND\"}"
RUN0=$(sed -n 's/^{"betaalrun":{"id":\([0-9]*\),.*/\1/p' "$T/body")
NREG=$(sed -n 's/.*"aantalRegels":\([0-9]*\),.*/\1/p' "$T/body")
[ -n "$RUN0" ] && [ "${NREG:-0}" -gt 1 ] && ok || bad "run-make0: id $RUN0 with $NREG lines"
# a second run of the same month finds every month taken
req run-make-again 201 POST /betaalruns "${J[@]}" $(as financieel2) -d "{\"maand\":\"$MAAND\"}"
has run-make-again-empty '"aantalRegels":0,'
has run-make-again-taken "\"alBetaald\":$NREG,"
RUN2=$(sed -n 's/^{"betaalrun":{"id":\([0-9]*\),.*/\1/p' "$T/body")
# cancelling frees the months: a new run has them again
req run0-cancel 200 POST /betaalruns/$RUN0/annulering "${J[@]}" $(as financieel2) -d '{}'
has run0-cancel-status "\"id\":$RUN0,.*\"status\":\"geannuleerd\""
req run0-cancel-twice 409 POST /betaalruns/$RUN0/annulering "${J[@]}" $(as financieel2) -d '{}'
req run-make 201 POST /betaalruns "${J[@]}" $(as financieel) -d "{\"maand\":\"$MAAND\"}"
has run-make-concept '"status":"concept"'
has run-make-again-all "\"aantalRegels\":$NREG,"
has run-make-ex '"uitzonderingen":\['
hdr run-make-location 'Location: /api/v1/betaalruns/[0-9]+'
RUN=$(sed -n 's/^{"betaalrun":{"id":\([0-9]*\),.*/\1/p' "$T/body")
req run-make-future 400 POST /betaalruns "${J[@]}" $(as financieel) -d "{\"maand\":\"$(date -d "$(date +%Y-%m-01) +1 month" +%Y-%m)\"}"
has run-make-future-name '"name":"maand"'
req run-make-bad-month 400 POST /betaalruns "${J[@]}" $(as financieel) -d '{"maand":"2026-13"}'
has run-make-bad-month-name '"name":"maand"'
req run-make-no-month 400 POST /betaalruns "${J[@]}" $(as financieel) -d '{}'
has run-make-no-month-name '"name":"maand"'
req run-make-bad-exec 400 POST /betaalruns "${J[@]}" $(as financieel) -d "{\"maand\":\"$MAAND\",\"uitvoerdatum\":\"morgen\"}"
has run-make-bad-exec-name '"name":"uitvoerdatum"'
req run-list 200 GET /betaalruns $(as financieel)
has run-list-first "\"id\":$RUN,"
has run-list-second "\"id\":$RUN2,"
req run-get 200 GET /betaalruns/$RUN $(as auditor)
has run-get-body "\"id\":$RUN,\"gemeente\":\"gm0794\",\"maand\":\"$MAAND\",\"status\":\"concept\""
req run-get-none 404 GET /betaalruns/999999 $(as financieel)
paging run-lines "/betaalruns/$RUN/regels" financieel '"endToEndId":'
req run-lines-all 200 GET "/betaalruns/$RUN/regels?pageSize=100" $(as financieel)
[ "$(grep -o '"endToEndId":' "$T/body" | wc -l)" = "$NREG" ] && ok || bad "run-lines: not $NREG lines"
# no file of a concept run; the list exists already
req run-sepa-concept 409 GET /betaalruns/$RUN/sepa $(as financieel)
# four eyes: the maker may not approve (403 naming the field), another financieel may
req run-approve-self 403 POST /betaalruns/$RUN/goedkeuring "${J[@]}" $(as financieel) -d '{}'
hdr run-approve-self-problem 'Content-Type: application/problem\+json'
has run-approve-self-field '"name":"gebruiker"'
has run-approve-self-msg 'vier ogen'
# nor does anyone but a financieel: the employer not even the route, the others not the step
req run-approve-wg 403 POST /betaalruns/$RUN/goedkeuring "${J[@]}" $(as werkgever) -d '{}'
for r in klantmanager beslisser auditor; do
    req "run-approve-$r" 403 POST /betaalruns/$RUN/goedkeuring "${J[@]}" $(as $r) -d '{}'
done
req run-approve-nocsrf 403 POST /betaalruns/$RUN/goedkeuring "${J[@]}" -b "$T/jar.financieel2" -d '{}'
req run-approve 200 POST /betaalruns/$RUN/goedkeuring "${J[@]}" $(as financieel2) -d '{}'
has run-approve-status '"status":"goedgekeurd".*"goedgekeurdDoor":"financieel2"'
req run-approve-twice 409 POST /betaalruns/$RUN/goedkeuring "${J[@]}" $(as financieel2) -d '{}'
req run-cancel-approved 409 POST /betaalruns/$RUN/annulering "${J[@]}" $(as financieel) -d '{}'
req run-approve-empty 409 POST /betaalruns/$RUN2/goedkeuring "${J[@]}" $(as financieel) -d '{}'
# the bank file (application/xml) validates against pain.001.001.09
req run-sepa 200 GET /betaalruns/$RUN/sepa $(as financieel)
hdr run-sepa-type 'Content-Type: application/xml'
hdr run-sepa-disposition 'Content-Disposition: attachment; filename="betaalrun-'
cp "$T/body" "$T/pain.xml"
if xmllint --noout --schema "$XSD" "$T/pain.xml" 2>"$T/xsd.err"; then ok; else bad "run-sepa: XSD: $(head -c 300 "$T/xsd.err")"; fi
[ "$(grep -o '<EndToEndId>' "$T/pain.xml" | wc -l)" = "$NREG" ] && ok || bad "run-sepa: not $NREG transfers"
req run-sepa-part 200 GET "/betaalruns/$RUN/sepa?deel=1" $(as financieel)
req run-sepa-bad-part 400 GET "/betaalruns/$RUN/sepa?deel=0" $(as financieel)
has run-sepa-bad-part-name '"name":"deel"'
req run-sepa-json 406 GET /betaalruns/$RUN/sepa $(as financieel) -H 'Accept: application/json'
req run-sepa-auditor 200 GET /betaalruns/$RUN/sepa $(as auditor)
# the list (text/csv): a header and a line per run line
req run-csv 200 GET /betaalruns/$RUN/lijst $(as financieel)
hdr run-csv-type 'Content-Type: text/csv'
head -n 1 "$T/body" | grep -q '^zaak,maand,werkgever,iban,bedrag,kenmerk,endToEndId,status,statusdatum' && ok ||
    bad "run-csv: header $(head -n 1 "$T/body")"
[ "$(($(wc -l <"$T/body") - 1))" = "$NREG" ] && ok || bad "run-csv: $(wc -l <"$T/body") lines for $NREG"
# the employer reaches no run at all; the others of the municipality no step
for p in /betaalruns /betaalruns/$RUN /betaalruns/$RUN/regels /betaalruns/$RUN/sepa /betaalruns/$RUN/lijst; do
    req "run-wg $p" 403 GET "$p" $(as werkgever)
done
req run-wg-make 403 POST /betaalruns "${J[@]}" $(as werkgever) -d "{\"maand\":\"$MAAND\"}"
req run-km-make 403 POST /betaalruns "${J[@]}" $(as klantmanager) -d "{\"maand\":\"$MAAND\"}"
req run-km-read 403 GET /betaalruns/$RUN $(as klantmanager)
req run-km-other-town 403 GET /betaalruns/$RUN $(as km.goeree)
# the bank's statement: one line booked, one returned with AC04
req run-lines-e2e 200 GET "/betaalruns/$RUN/regels?pageSize=2" $(as financieel)
grep -o '"endToEndId":"[^"]*"' "$T/body" | sed 's/.*:"\(.*\)"/\1/' >"$T/e2e"
E1=$(sed -n 1p "$T/e2e")
E2=$(sed -n 2p "$T/e2e")
cat >"$T/camt.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-API</MsgId><CreDtTm>2026-12-05T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>1</Id>
      <Acct><Id><IBAN>NL74BNGH0285170001</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-12-04</Dt></BookgDt><BkTxCd/>
        <NtryDtls><TxDtls><Refs><EndToEndId>$E1</EndToEndId></Refs><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-12-05</Dt></BookgDt><BkTxCd/>
        <NtryDtls><TxDtls><Refs><EndToEndId>$E2</EndToEndId></Refs><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-12-04</Dt></BookgDt><BkTxCd/>
        <NtryDtls><TxDtls><Refs><EndToEndId>NIET-VAN-ONS</EndToEndId></Refs></TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
XML
req bank-json 415 POST /bankafschriften "${J[@]}" $(as financieel) --data-binary @"$T/camt.xml"
req bank-wg 403 POST /bankafschriften -H 'Content-Type: application/xml' $(as werkgever) --data-binary @"$T/camt.xml"
req bank-km 403 POST /bankafschriften -H 'Content-Type: application/xml' $(as klantmanager) --data-binary @"$T/camt.xml"
req bank-bad 400 POST /bankafschriften -H 'Content-Type: application/xml' $(as financieel) --data-binary '<geen xml'
req bank 200 POST /bankafschriften -H 'Content-Type: application/xml' $(as financieel) --data-binary @"$T/camt.xml"
has bank-counts '^\{"betaald":1,"teruggekomen":1,"onbekend":1\}$'
req bank-lines 200 GET "/betaalruns/$RUN/regels?pageSize=2" $(as financieel)
has bank-paid "\"status\":\"betaald\",\"statusdatum\":\"2026-12-04\",[^}]*\"endToEndId\":\"$E1\""
has bank-returned "\"status\":\"teruggekomen\",\"statusdatum\":\"2026-12-05\",[^}]*\"endToEndId\":\"$E2\""
req run-csv-after 200 GET /betaalruns/$RUN/lijst $(as financieel)
has run-csv-after-status ',teruggekomen,2026-12-05'
# a case's payment lines: the employer only its own company's case
PZ=$(sqlite3 "$DB" "SELECT case_id FROM pay_lines WHERE run_id=$RUN AND end_to_end='$E1'")
req case-paylines 200 GET /zaken/$PZ/betaalregels $(as klantmanager)
has case-paylines-body "\"endToEndId\":\"$E1\""
req case-paylines-other 404 GET /zaken/$PZ/betaalregels $(as km.goeree)
WZ=$(sqlite3 "$DB" "SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' AND e.kvk='$KVK' ORDER BY c.id LIMIT 1")
NZ=$(sqlite3 "$DB" "SELECT c.id FROM cases c JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id='gm0794' AND e.kvk<>'$KVK' ORDER BY c.id LIMIT 1")
req case-paylines-wg-own 200 GET /zaken/$WZ/betaalregels $(as werkgever)
req case-paylines-wg-other 404 GET /zaken/$NZ/betaalregels $(as werkgever)
req run2-cancel 200 POST /betaalruns/$RUN2/annulering "${J[@]}" $(as financieel) -d '{}'
has run2-cancel-status '"status":"geannuleerd"'
# the changes are in the processing log
# (the store's processing log; reading it page by page over the API takes too long here)
for o in "betaalrun/$RUN/sepa" "betaalrun/$RUN/lijst" "betaalrun/$RUN/regels" "zaak/$PZ/betaalregels"; do
    n=$(sqlite3 "$DB-verwerkingen" "SELECT count(*) FROM processing_log WHERE object='$o' AND action='read'")
    [ "${n:-0}" -ge 1 ] && ok || bad "run-plog: no entry $o ($n)"
done

# --- logout ends the session
for i in 1 2 3 4; do req before-logout 200 GET /gebruikers/ik $(as beheerder); done
req logout 204 DELETE /sessies/huidige $(as beheerder)
for i in 1 2 3 4; do req after-logout 401 GET /gebruikers/ik $(as beheerder); done

# --- a slow client that stalls mid-request is dropped, the server stays up
( exec 3<>/dev/tcp/127.0.0.1/$PORT; printf 'POST /api/v1/zaken HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a' >&3; sleep 30 ) &
slow=$!
req alive 200 GET /openapi.json
kill $slow 2>/dev/null; wait $slow 2>/dev/null

# --- graceful stop loses no acknowledged write
acks=0
for i in $(seq 1 60); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "${J[@]}" -H "Authorization: Bearer $TOKEN" \
        -d '{"gegevens":{"soort":"overig","bedrag":"1.00"}}' "$B/zaken/$Z/kosten")
    [ "$code" = 200 ] && acks=$((acks + 1))
    [ "$i" = 30 ] && kill -TERM "$SRV"
done
wait "$SRV"
SRV=
stored=$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE case_id=$Z AND type='kosten-geboekt' AND data LIKE '%\"1.00\"%'")
if [ "$acks" -ge 1 ] && [ "$stored" -ge "$acks" ]; then ok; else bad "graceful stop: $acks acknowledged, $stored stored"; fi

# --- a report of more people than one unit of the processing log holds (PLOG_SUBMIT_MAX,
# 512) and than any other route may log (API_LOG_MAX, 128): still an entry for each
DB=$T/groot.db
"$LKS" init --db "$DB" >/dev/null
"$LKS" demo --db "$DB" --zaken 1500 --gemeenten 1 --seed 9 >/dev/null
echo "$PW" | "$LKS" gebruiker --db "$DB" --gemeente gm0794 --naam auditor --rol auditor >/dev/null
start_server
login auditor auditor
req big-rapport 200 GET /rapportages/meetfactoren $(as auditor)
report_logged big-rapport-plog 1100

echo "api: $pass passed, $fail failed"

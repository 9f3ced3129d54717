#!/bin/sh
# CLI contract tests: exit codes (0 done, 1 negative answer, 2 bad input), JSON on
# stdout, and a Dutch message on stderr that names the flag. Run by tools/test.sh
# with LKS set to the binary under test (plain and sanitizer builds).
# Prints "cli: N passed, N failed" as its last line.
set -u
LKS=${LKS:-build/lks}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

# check NAME RC OUT_PATTERN ERR_PATTERN -- ARGS...   (patterns: grep -E, "" = anything)
check() {
    name=$1 want=$2 outp=$3 errp=$4
    shift 5
    "$LKS" "$@" >"$T/out" 2>"$T/err" <"${STDIN:-/dev/null}"
    rc=$?
    ok=1
    [ "$rc" -eq "$want" ] || ok=0
    if [ -n "$outp" ] && ! grep -Eq -- "$outp" "$T/out"; then ok=0; fi
    if [ -n "$errp" ] && ! grep -Eq -- "$errp" "$T/err"; then ok=0; fi
    # exit 2 always comes with a message; success never writes to stderr
    if [ "$want" -eq 2 ] && [ ! -s "$T/err" ]; then ok=0; fi
    if [ "$want" -eq 0 ] && [ -s "$T/err" ]; then ok=0; fi
    if grep -q "Sanitizer\|runtime error" "$T/err"; then ok=0; fi
    if [ $ok -eq 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $name: rc=$rc (want $want)"
        sed 's/^/  out: /' "$T/out" | head -n 5
        sed 's/^/  err: /' "$T/err" | head -n 5
    fi
}

D=--peildatum=2026-01-01

# --- help on every level
check help-top 0 "Opdrachten" "" -- --help
check help-calc 0 "loondispensatie" "" -- calc --help
check help-lks 0 "--peildatum" "" -- calc lks --help
check help-ld 0 "--huishouden" "" -- calc loondispensatie --help
check help-ie 0 "--plaatsingen" "" -- calc inverdieneffect --help
check help-termijn 0 "--werkdagen" "" -- termijn --help
check help-check 0 "elfproef" "" -- check --help
check help-toets 0 "vraag1" "" -- toegangstoets --help
check help-regels 0 "regeltabellen" "" -- regels --help
check version 0 "^lks [0-9]" "" -- --version
check no-command 2 "" "Gebruik" --
check unknown-command 2 "" "onbekende opdracht" -- rekenen
check unknown-global 2 "" "--foo: onbekende optie" -- --foo calc
check calc-none 2 "" "Gebruik" -- calc
check calc-unknown 2 "" "calc bijstand: onbekende berekening" -- calc bijstand

# --- calc lks: the worked examples of domain.md §3
check lks-60-36 0 '"totaal": "1224.11"' "" -- calc lks $D --loonwaarde 60 --uren 36
check lks-60-32 0 '"totaal": "1088.10"' "" -- calc lks $D --loonwaarde 60 --uren 32
check lks-60-40 0 '"totaal": "1360.12"' "" -- calc lks $D --loonwaarde 60 --uren 40 --voltijduren 40
check lks-cap 0 '"totaal": "2142.19"' "" -- calc lks $D --loonwaarde 20 --uren 36
check lks-forfait 0 '"totaal": "1530.14"' "" -- calc lks $D --forfaitair --uren 36
check lks-2016 0 '"werkgeverslasten": "190.92"' "" -- calc lks --peildatum 2016-07-04 --forfaitair --uren 38 --voltijduren 38
# the flat rate exists from 2016-07-04 (Stb. 2016, 498)
check lks-forfait-2015 2 "" "--forfaitair: op 2015-03-01 bestaat geen forfaitaire loonkostensubsidie: die bestaat vanaf 4 juli 2016 \(.*Stb. 2016, 498\)" -- calc lks --peildatum 2015-03-01 --forfaitair --uren 36 --voltijduren 36
check lks-forfait-0703 2 "" "--forfaitair: op 2016-07-03 bestaat geen" -- calc lks --peildatum 2016-07-03 --forfaitair --uren 38 --voltijduren 38
check lks-forfait-0704 0 '"loonkostensubsidie": "830.09"' "" -- calc lks --peildatum 2016-07-04 --forfaitair --uren 38 --voltijduren 38
check lks-lw-2015 0 '"wmlPerMaand": "1501.80"' "" -- calc lks --peildatum 2015-03-01 --loonwaarde 60 --uren 36 --voltijduren 36
# --voltijduren has no default: required before 2024 and above 36 hours, else the hours count in full
check help-voltijd 0 "--voltijduren is verplicht bij een peildatum voor 2024" "" -- calc lks --help
check lks-40-of-40 0 '"loonkostensubsidie": "1101.31"' "" -- calc lks --peildatum 2026-01-15 --loonwaarde 60 --uren 40 --voltijduren 40
check lks-40-no-sector 2 "" "--voltijduren: is verplicht bij meer dan 36 uur per week: de subsidie telt uren tot de normale voltijdse uren van de sector; geef die op" -- calc lks --peildatum 2026-01-15 --loonwaarde 60 --uren 40
check lks-2023-sector 0 '"loonkostensubsidie": "689.47"' "" -- calc lks --peildatum 2023-07-01 --loonwaarde 60 --uren 32 --voltijduren 40
check lks-2023-no-sector 2 "" "--voltijduren: is verplicht: voor 2024 deelt de subsidie de uren door de normale voltijdse uren van de sector; geef die op" -- calc lks --peildatum 2023-07-01 --loonwaarde 60 --uren 32
check lks-2024-36 0 '"loonkostensubsidie": "893.98"' "" -- calc lks --peildatum 2024-01-01 --loonwaarde 60 --uren 36
check lks-2024-3601 2 "" "--voltijduren: is verplicht bij meer dan 36 uur" -- calc lks --peildatum 2024-01-01 --loonwaarde 60 --uren 36.01
check lks-2016-no-sector 2 "" "--voltijduren: is verplicht: voor 2024" -- calc lks --peildatum 2016-07-04 --forfaitair --uren 38
check lks-decimal 0 'loonwaarde 57,5%' "" -- calc lks $D --loonwaarde 57.5 --uren 25.5
check lks-youth 0 '"wmlPerMaand": "1147.20"' "" -- calc lks $D --loonwaarde 60 --uren 36 --leeftijd 18
# youth minimum wage before 2024: a multiple of EUR 0.05 (Besluit minimumjeugdloon art. 2 lid 2)
check lks-youth-2019 0 '"wmlPerMaand": "1308.50"' "" -- calc lks --peildatum 2019-07-01 --loonwaarde 60 --uren 36 --voltijduren 36 --leeftijd 20
check lks-youth-2019-text 0 'afgerond op een veelvoud van € 0,05' "" -- calc lks --peildatum 2019-07-01 --loonwaarde 60 --uren 36 --voltijduren 36 --leeftijd 20
check lks-youth-2019-basis 0 'Besluit minimumjeugdloon art. 2 lid 2' "" -- calc lks --peildatum 2019-07-01 --loonwaarde 60 --uren 36 --voltijduren 36 --leeftijd 20
check lks-youth-half-up 0 '"wmlPerMaand": "788.05"' "" -- calc lks --peildatum 2023-07-01 --loonwaarde 60 --uren 36 --voltijduren 36 --leeftijd 17
check lks-youth-2024 0 '"wmlPerMaand": "817.41"' "" -- calc lks --peildatum 2024-01-01 --loonwaarde 60 --uren 36 --leeftijd 17
check lks-steps 0 '"wettelijkeGrondslag": "Participatiewet art. 10d lid 4' "" -- calc lks $D --loonwaarde 60 --uren 36
check lks-eq 0 '"totaal": "1224.11"' "" -- calc lks --peildatum=2026-01-01 --loonwaarde=60 --uren=36

# --- calc lks: every flag's bad input
check lks-no-peil 2 "" "--peildatum: is verplicht" -- calc lks --loonwaarde 60 --uren 36
check lks-bad-peil 2 "" "--peildatum: '2026-02-30' bestaat niet" -- calc lks --peildatum 2026-02-30 --loonwaarde 60 --uren 36
check lks-fmt-peil 2 "" "--peildatum: '1-1-2026' is geen datum" -- calc lks --peildatum 1-1-2026 --loonwaarde 60 --uren 36
check lks-old-peil 2 "" "--peildatum: 2014-12-31 valt buiten de regeltabel" -- calc lks --peildatum 2014-12-31 --loonwaarde 60 --uren 36
check lks-new-peil 2 "" "--peildatum: 2026-07-01 valt buiten" -- calc lks --peildatum 2026-07-01 --loonwaarde 60 --uren 36
check lks-no-lw 2 "" "--loonwaarde: is verplicht" -- calc lks $D --uren 36
check lks-lw-high 2 "" "--loonwaarde: '101' is geen percentage" -- calc lks $D --loonwaarde 101 --uren 36
check lks-lw-neg 2 "" "--loonwaarde: '-5' is geen percentage" -- calc lks $D --loonwaarde -5 --uren 36
check lks-lw-text 2 "" "--loonwaarde: 'zestig' is geen getal" -- calc lks $D --loonwaarde zestig --uren 36
check lks-lw-dec 2 "" "--loonwaarde: '57.555' heeft meer dan 2 decimalen" -- calc lks $D --loonwaarde 57.555 --uren 36
check lks-no-uren 2 "" "--uren: is verplicht" -- calc lks $D --loonwaarde 60
check lks-uren-0 2 "" "--uren: '0' ligt niet tussen" -- calc lks $D --loonwaarde 60 --uren 0
check lks-uren-61 2 "" "--uren: '61' ligt niet tussen 0,01 en 60|--uren: '61' ligt niet tussen" -- calc lks $D --loonwaarde 60 --uren 61
check lks-uren-text 2 "" "--uren: 'veel' is geen getal" -- calc lks $D --loonwaarde 60 --uren veel
check lks-voltijd-0 2 "" "--voltijduren: '0' ligt niet tussen" -- calc lks $D --loonwaarde 60 --uren 36 --voltijduren 0
check lks-leeftijd-14 2 "" "--leeftijd: '14' ligt niet tussen 15" -- calc lks $D --loonwaarde 60 --uren 36 --leeftijd 14
check lks-leeftijd-text 2 "" "--leeftijd: 'jong' is geen geheel getal" -- calc lks $D --loonwaarde 60 --uren 36 --leeftijd jong
check lks-leeftijd-dec 2 "" "--leeftijd: '18.5' is geen geheel getal" -- calc lks $D --loonwaarde 60 --uren 36 --leeftijd 18.5
check lks-forfait-val 2 "" "--forfaitair: neemt geen waarde" -- calc lks $D --uren 36 --forfaitair=ja
check lks-forfait-lw 2 "" "--loonwaarde: gaat niet samen met --forfaitair" -- calc lks $D --uren 36 --forfaitair --loonwaarde 60
check lks-unknown 2 "" "--lonwaarde: onbekende optie" -- calc lks $D --lonwaarde 60 --uren 36
check lks-repeat 2 "" "--uren: is meer dan eens gegeven" -- calc lks $D --loonwaarde 60 --uren 36 --uren 32
check lks-missing-val 2 "" "--uren: er ontbreekt een waarde" -- calc lks $D --loonwaarde 60 --uren
check lks-positional 2 "" "extra: onverwacht argument" -- calc lks $D --loonwaarde 60 --uren 36 extra
check lks-csv-conflict 2 "" "--uren: gaat niet samen met --csv" -- calc lks --csv - --uren 36
check lks-csv-missing 2 "" "--csv: bestand '$T/nope.csv' kan niet" -- calc lks --csv "$T/nope.csv"

# --- calc lks --csv: bulk
cat >"$T/in.csv" <<'CSV'
peildatum,loonwaarde,uren,voltijduren,leeftijd,forfaitair
2026-01-01,60,36,36,,nee
2026-01-01,60,32,,,
2026-01-01,"57,5",25.5,38,,nee
2026-01-01,,36,36,,ja
2026-01-01,160,36,36,,nee
2014-01-01,60,36,36,,nee
2026-01-01,60,36,36,,misschien
2026-01-01,60,36
2016-07-04,,38,38,,ja
2015-03-01,,36,36,,ja
2023-07-01,60,32,,,nee
2023-07-01,60,32,40,,nee
2026-01-15,60,40,,,nee
2026-01-15,60,36,0,,nee
CSV
check csv-good-rows 2 "^2026-01-01,60,36,36,,nee,2294.40,2477.95,991.18,232.93,1224.11$" "regel 6: loonwaarde" -- calc lks --csv "$T/in.csv"
check csv-default-ft 2 "^2026-01-01,60,32,,,,2294.40,2477.95,881.05,207.05,1088.10$" "regel 7: peildatum: 2014-01-01 valt buiten" -- calc lks --csv "$T/in.csv"
check csv-quoted 2 '^2026-01-01,"57,5",25.5,38,,nee,' "regel 8: forfaitair: 'misschien'" -- calc lks --csv "$T/in.csv"
check csv-forfait 2 "^2016-07-04,,38,38,,ja,1537.20,1660.18,830.09,190.92,1021.01$" "regel 9: 3 velden" -- calc lks --csv "$T/in.csv"
check csv-forfait-2015 2 "" "regel 11: forfaitair: op 2015-03-01 bestaat geen forfaitaire" -- calc lks --csv "$T/in.csv"
check csv-no-sector 2 "" "regel 12: voltijduren: is verplicht: voor 2024" -- calc lks --csv "$T/in.csv"
check csv-sector 2 "^2023-07-01,60,32,40,,nee,1995.00,2154.60,689.47," "regel 14: voltijduren: is verplicht bij meer dan 36 uur" -- calc lks --csv "$T/in.csv"
check csv-sector-0 2 "" "regel 15: voltijduren: moet meer dan 0" -- calc lks --csv "$T/in.csv"
check csv-count 2 "" "8 regel\(s\) afgekeurd" -- calc lks --csv "$T/in.csv"
printf 'peildatum,loonwaarde,uren\n2026-01-01,60,36\n' >"$T/ok.csv"
check csv-ok 0 "^peildatum,loonwaarde,uren,voltijduren,leeftijd,forfaitair,wmlPerMaand" "" -- calc lks --csv "$T/ok.csv"
STDIN="$T/ok.csv" check csv-stdin 0 ",1224.11$" "" -- calc lks --csv -
printf 'peildatum,uren\n2026-01-01,36\n' >"$T/nohead.csv"
check csv-no-col 2 "" "regel 1: de kolom 'loonwaarde' ontbreekt" -- calc lks --csv "$T/nohead.csv"
: >"$T/empty.csv"
check csv-empty 2 "" "het bestand is leeg" -- calc lks --csv "$T/empty.csv"

# --- calc loondispensatie
check ld-single-75 0 '"aanvulling": "202.35"' "" -- calc loondispensatie --huishouden alleenstaand --loonwaarde 75 --norm-gehuwden 1295.07
check ld-typo 0 '"totaalInkomen": "1076.53"' "" -- calc loondispensatie --huishouden alleenstaand --loonwaarde 55 --norm-gehuwden 1295.07
check ld-exact 0 '"exact": "971.3025"' "" -- calc loondispensatie --huishouden alleenstaand --loonwaarde 75 --norm-gehuwden 1295.07
check ld-other 0 '"aanvulling": "418.03"' "" -- calc loondispensatie --huishouden gehuwd --loonwaarde 60 --norm-gehuwden 1295.07 --overig-inkomen 100
check ld-net 0 '"aanvulling": "184.42"' "" -- calc loondispensatie --huishouden alleenstaand --loonwaarde 0 --norm-gehuwden 1295.07 --netto-inkomen 1000
check ld-bad-hh 2 "" "--huishouden: 'single' is geen geldige keuze" -- calc loondispensatie --huishouden single --loonwaarde 75 --norm-gehuwden 1295.07
check ld-no-hh 2 "" "--huishouden: is verplicht" -- calc loondispensatie --loonwaarde 75 --norm-gehuwden 1295.07
check ld-norm-0 2 "" "--norm-gehuwden: '0' ligt niet tussen" -- calc loondispensatie --huishouden gehuwd --loonwaarde 75 --norm-gehuwden 0
check ld-norm-txt 2 "" "--norm-gehuwden: 'veel' is geen getal" -- calc loondispensatie --huishouden gehuwd --loonwaarde 75 --norm-gehuwden veel
check ld-other-neg 2 "" "--overig-inkomen: '-5' ligt niet tussen" -- calc loondispensatie --huishouden gehuwd --loonwaarde 75 --norm-gehuwden 1295.07 --overig-inkomen -5
check ld-net-txt 2 "" "--netto-inkomen: 'x' is geen getal" -- calc loondispensatie --huishouden gehuwd --loonwaarde 75 --norm-gehuwden 1295.07 --netto-inkomen x
check ld-lw 2 "" "--loonwaarde: '120' is geen percentage" -- calc loondispensatie --huishouden gehuwd --loonwaarde 120 --norm-gehuwden 1295.07

# --- calc inverdieneffect
check ie-seed 0 '"totaal": "163178.40"' "" -- calc inverdieneffect --plaatsingen 75 --maanden 6 --fte 0.7 --loonwaarde 50 --norm-gehuwden 1295.07
check ie-avg 0 '"besparingPerFteMaand": "518.03"' "" -- calc inverdieneffect --plaatsingen 75 --maanden 6 --fte 0.7 --loonwaarde 50 --norm-gehuwden 1295.07
check ie-fte-0 2 "" "--fte: '0' ligt niet tussen" -- calc inverdieneffect --plaatsingen 75 --maanden 6 --fte 0 --loonwaarde 50 --norm-gehuwden 1295.07
check ie-fte-big 2 "" "--fte: '1.5' ligt niet tussen" -- calc inverdieneffect --plaatsingen 75 --maanden 6 --fte 1.5 --loonwaarde 50 --norm-gehuwden 1295.07
check ie-plaats 2 "" "--plaatsingen: '-1' ligt niet tussen" -- calc inverdieneffect --plaatsingen -1 --maanden 6 --fte 0.7 --loonwaarde 50 --norm-gehuwden 1295.07
check ie-maanden 2 "" "--maanden: 'zes' is geen geheel getal" -- calc inverdieneffect --plaatsingen 75 --maanden zes --fte 0.7 --loonwaarde 50 --norm-gehuwden 1295.07
check ie-missing 2 "" "--norm-gehuwden: is verplicht" -- calc inverdieneffect --plaatsingen 75 --maanden 6 --fte 0.7 --loonwaarde 50

# --- termijn
check term-wd 0 '"einddatum": "2026-04-16"' "" -- termijn --vanaf 2026-03-31 --werkdagen 10
check term-weeks 0 '"einddatum": "2027-01-04"' "" -- termijn --vanaf 2026-11-23 --weken 6
check term-art1 0 '2026-04-27 is een Koningsdag' "" -- termijn --vanaf 2026-04-20 --weken 1
check term-art1-sun 0 '"einddatum": "2026-04-28"' "" -- termijn --vanaf 2026-04-19 --weken 1
check term-art2 0 '"einddatum": "2026-03-31"' "" -- termijn --vanaf 2026-03-27 --dagen 3
check term-art4 0 'niet van toepassing' "" -- termijn --vanaf 2026-01-01 --weken 13
check term-none 2 "" "--werkdagen: geef een van" -- termijn --vanaf 2026-01-01
check term-two 2 "" "geef precies een van" -- termijn --vanaf 2026-01-01 --weken 6 --dagen 3
check term-zero 2 "" "--werkdagen: '0' ligt niet tussen 1" -- termijn --vanaf 2026-01-01 --werkdagen 0
check term-vanaf 2 "" "--vanaf: '2026-01-32' bestaat niet" -- termijn --vanaf 2026-01-32 --dagen 3
check term-no-vanaf 2 "" "--vanaf: is verplicht" -- termijn --dagen 3

# --- check
check bsn-ok 0 '^\{"geldig":true\}$' "" -- check bsn 111222333
check bsn-bad 1 '"geldig":false,"reden":".*elfproef' "" -- check bsn 111222334
check bsn-short 1 '"geldig":false' "" -- check bsn 1234567
check iban-ok 0 '"geldig":true' "" -- check iban NL91ABNA0417164300
check iban-bad 1 '"reden":".*mod-97' "" -- check iban NL91ABNA0417164301
check kvk-ok 0 '"geldig":true' "" -- check kvk 12345678
check kvk-bad 1 '"reden"' "" -- check kvk 1234567
check check-kind 2 "" "check paspoort: onbekende soort" -- check paspoort 123
check check-missing 2 "" "soort en waarde ontbreken" -- check bsn

# --- toegangstoets
cat >"$T/doelgroep.json" <<'JSON'
{"vraag1": {"lichamelijk": true, "verstandelijk": false, "psychisch": false, "psychosociaal": false},
 "vraag2a": {"geenGevolgenVoorWerk": false, "compenseerbaarMetVoorzieningen": false},
 "vraag2b": {"regulierWerktempo": false, "continuiteit": true, "zelfstandigWerken": true},
 "vraag3": {"prestatieMinstens20Procent": true, "begeleidingHoogstens15Procent": true,
            "uurAaneengesloten": true, "zonderPermanentToezicht": true}}
JSON
sed 's/"uurAaneengesloten": true/"uurAaneengesloten": false/' "$T/doelgroep.json" >"$T/onder.json"
sed 's/}}$/}, "toelichting": "Kan niet een uur aaneengesloten werken (rapport arts)."}/' "$T/onder.json" >"$T/onder-ok.json"
printf '{"vraag1": {"lichamelijk": false, "verstandelijk": false, "psychisch": false, "psychosociaal": false}}' >"$T/geen.json"
printf '{"vraag1": {"lichamelijk": "ja"}, "vraag9": {}}' >"$T/fout.json"
printf '{"vraag1": ' >"$T/kapot.json"
check toets-doelgroep 0 '"uitkomst": "doelgroep"' "" -- toegangstoets --antwoorden "$T/doelgroep.json"
check toets-onder 0 '"uitkomst": "geen-doelgroep-ondergrens"' "" -- toegangstoets --antwoorden "$T/onder-ok.json"
check toets-boven 0 '"uitkomst": "geen-doelgroep-bovengrens"' "" -- toegangstoets --antwoorden "$T/geen.json"
STDIN="$T/doelgroep.json" check toets-stdin 0 '"vraag": "3"' "" -- toegangstoets --antwoorden -
check toets-no-reason 2 "" "toelichting: een 'nee' op vraag 3" -- toegangstoets --antwoorden "$T/onder.json"
check toets-types 2 "" "vraag1.lichamelijk: moet true of false zijn" -- toegangstoets --antwoorden "$T/fout.json"
check toets-unknown 2 "" "vraag9: onbekend veld" -- toegangstoets --antwoorden "$T/fout.json"
check toets-json 2 "" "--antwoorden: geen geldige JSON" -- toegangstoets --antwoorden "$T/kapot.json"
check toets-file 2 "" "--antwoorden: geen geldige JSON" -- toegangstoets --antwoorden "$T/nope.json"
check toets-missing 2 "" "--antwoorden: is verplicht" -- toegangstoets
printf '{"vraag1": {"lichamelijk": true, "verstandelijk": false, "psychisch": false, "psychosociaal": false}}' >"$T/half.json"
check toets-unanswered 2 "" "vraag2a.geenGevolgenVoorWerk: vraag 2a: het criterium" -- toegangstoets --antwoorden "$T/half.json"

# --- regels: built-in tables and an operator's override
check regels 0 '"geldigTot": "2026-06-30"' "" -- regels
# the built-in table ended on 2026-06-30 (today is later): a warning with the command
check regels-warn 0 '"opdracht": "lks regels toevoegen --db URL --tabel wml --vanaf 2026-07-01 ' "" -- regels
check regels-warn-ended 0 '"verlopen": true' "" -- regels
check regels-row-origin 0 '"bestand": "rules/wml.tsv"' "" -- regels
check regels-file-note 0 '"toelichting": "Wettelijk minimumloon' "" -- regels
check regels-extra 2 "" "extra: onverwacht argument" -- regels extra
mkdir -p "$T/regels"
printf '# bron: Staatscourant (voorbeeld)\nfrom\tmonth\thour\tfull_age\n2026-07-01\t2330.40\t14.94\t21\n' >"$T/regels/wml.tsv"
check regels-override 0 '"geldigTot": "2026-12-31"' "" -- --regels "$T/regels" regels
check regels-override-origin 0 '"soort": "map",' "" -- --regels "$T/regels" regels
check regels-override-note 0 '"toelichting": "bron: Staatscourant \(voorbeeld\)"' "" -- --regels "$T/regels" regels
check lks-override 0 '"wmlPerMaand": "2330.40"' "" -- --regels "$T/regels" calc lks --peildatum 2026-08-01 --loonwaarde 60 --uren 36
LKS_REGELS="$T/regels" check lks-override-env 0 '"wmlPerMaand": "2330.40"' "" -- calc lks --peildatum 2026-08-01 --loonwaarde 60 --uren 36
mkdir -p "$T/kapot"
printf 'from\tmonth\thour\tfull_age\n2026-07-01\tveel\t\t21\n' >"$T/kapot/wml.tsv"
check regels-broken 2 "" "regeltabel: .*wml.tsv:2: .*regel 2, kolom 'month'" -- --regels "$T/kapot" calc lks $D --loonwaarde 60 --uren 36
check regels-flag 2 "" "--regels: er ontbreekt een map" -- --regels


# --- the case process on a store (issue: case and process)
DB="$T/lks.db"
check init 0 '"schemaversie":[1-9]' "" -- init --db "$DB"
check init-again 0 '"schemaversie":[1-9]' "" -- init --db "$DB"
check db-missing 2 "" "bestaat niet|niet gevonden|kan niet" -- zaak toon --db "$T/nope.db" 1
cat >"$T/aanvraag.json" <<'JSON'
{"werknemer": {"bsn": "111222333", "naam": "Anna de Vries", "geboortedatum": "1990-05-01",
               "adres": "Kerkstraat 1", "postcode": "5701 AB", "woonplaats": "Helmond",
               "huishouden": "alleenstaand", "uitkering": "participatiewet"},
 "werkgever": {"kvk": "12345678", "naam": "Bakkerij Jansen B.V.", "adres": "Markt 2",
               "iban": "NL91ABNA0417164300", "voltijduren": 38, "aantalWerknemers": 12},
 "dienstverband": {"start": "2026-01-05", "uren": "32", "loon": "2400.00",
                   "functie": "bakkershulp"},
 "aanvrager": "werkgever"}
JSON
# an employer acts for its own company only: without one, or for another, it is refused
check z-aanvraag-nokvk 2 "" "--kvk: een werkgever handelt alleen voor een bedrijf" -- zaak aanvraag-ingediend --db "$DB" --gemeente gm0794 --als werkgever --gebruiker jansen --datum 2025-12-01 --gegevens "@$T/aanvraag.json"
check z-aanvraag-other 2 "" "werkgever.kvk: een werkgever vraagt alleen aan voor het eigen bedrijf" -- zaak aanvraag-ingediend --db "$DB" --gemeente gm0794 --als werkgever --kvk 87654321 --gebruiker jansen --datum 2025-12-01 --gegevens "@$T/aanvraag.json"
check z-aanvraag 0 '"zaak":1,"status":"aanvraag".*"meldingen":\["IBAN NL91ABNA0417164300 van de werkgever is voorgesteld' "" -- zaak aanvraag-ingediend --db "$DB" --gemeente gm0794 --als werkgever --kvk 12345678 --gebruiker jansen --datum 2025-12-01 --gegevens "@$T/aanvraag.json"
check z-wrong-state 2 "" "soort: 'loonwaarde-vastgesteld' kan niet in de status 'aanvraag'" -- zaak loonwaarde-vastgesteld --db "$DB" --als loonwaardedeskundige --gebruiker lwd --datum 2025-12-02 --gegevens '{"loonwaarde": 60}' 1
check z-wrong-role 2 "" "rol: de rol werkgever mag 'aanvraag-compleet' niet geven" -- zaak aanvraag-compleet --db "$DB" --als werkgever --kvk 12345678 --gebruiker jansen --datum 2025-12-02 1
check z-other-company 2 "" "ID: zaak 1 bestaat niet" -- zaak aanvraag-ingetrokken --db "$DB" --als werkgever --kvk 87654321 --gebruiker mallory --datum 2025-12-02 --gegevens '{"reden": "x"}' 1
check z-compleet 0 '"status":"doelgroepbepaling"' "" -- zaak aanvraag-compleet --db "$DB" --als klantmanager --gebruiker km --datum 2025-12-02 1
check z-toets-bad 2 "" "antwoorden.vraag1.lichamelijk: moet true of false zijn" -- zaak toegangstoets-uitgevoerd --db "$DB" --als klantmanager --gebruiker km --datum 2025-12-03 --gegevens '{"antwoorden": {"vraag1": {"lichamelijk": "ja"}}}' 1
printf '{"antwoorden": %s}' "$(cat "$T/doelgroep.json")" >"$T/toets.json"
check z-toets 0 '"status":"doelgroepbepaling"' "" -- zaak toegangstoets-uitgevoerd --db "$DB" --als klantmanager --gebruiker km --datum 2025-12-03 --gegevens "@$T/toets.json" 1
check z-meting 0 '"status":"loonwaardemeting"' "" -- zaak loonwaardemeting-aangevraagd --db "$DB" --als klantmanager --gebruiker km --datum 2025-12-04 --gegevens '{"methode": "uniform", "deskundige": "J. Hermans", "kosten": "200.00"}' 1
check z-calc-field 2 "" "gegevens|volgendeMeting|loonwaarde" -- zaak loonwaarde-vastgesteld --db "$DB" --als loonwaardedeskundige --gebruiker lwd --datum 2025-12-10 --gegevens '{"loonwaarde": 60.5}' 1
check z-vastgesteld 0 '"status":"besluitvorming"' "" -- zaak loonwaarde-vastgesteld --db "$DB" --als loonwaardedeskundige --gebruiker lwd --datum 2025-12-10 --gegevens '{"loonwaarde": "60", "gemeten": "2025-12-08", "normfunctie": "bakkershulp"}' 1
check z-computed 2 "" "bedragPerMaand: wordt door het systeem bepaald" -- zaak beschikking-verzonden --db "$DB" --als beslisser --gebruiker b --datum 2025-12-15 --gegevens '{"soort": "toekenning", "bedragPerMaand": "9999.00"}' 1
check z-beschikking 0 '"status":"lopend"' "" -- zaak beschikking-verzonden --db "$DB" --als beslisser --gebruiker b --datum 2025-12-15 --gegevens '{"soort": "toekenning"}' 1
# the IBAN of the form waits for a financieel who did not propose it (four eyes)
check z-betaling-noiban 2 "" "werkgever.iban: de IBAN van de werkgever wacht nog op bevestiging" -- zaak betaling-verricht --db "$DB" --als financieel --gebruiker fin --datum 2026-02-03 --gegevens '{"maand": "2026-01-01"}' 1
check w-toon 0 '"voorgesteldDoor": "jansen"' "" -- werkgever toon --db "$DB" --gemeente gm0794 12345678
check w-self 2 "" "gebruiker: wie een IBAN-wijziging voorstelde, kan haar niet zelf bevestigen" -- werkgever iban-bevestigd --db "$DB" --gemeente gm0794 --als financieel --gebruiker jansen 12345678
check w-role 2 "" "rol: de rol klantmanager mag 'iban-bevestigd' niet geven" -- werkgever iban-bevestigd --db "$DB" --gemeente gm0794 --als klantmanager --gebruiker km 12345678
check w-other 2 "" "KVK: deze werkgever bestaat niet" -- werkgever iban-voorgesteld --db "$DB" --gemeente gm0794 --als werkgever --kvk 87654321 --gebruiker mallory --gegevens '{"iban": "NL02RABO0123456789"}' 12345678
check w-bevestigd 0 '"ibanWijziging": null' "" -- werkgever iban-bevestigd --db "$DB" --gemeente gm0794 --als financieel --gebruiker fin --datum 2026-01-10 12345678
check w-history 0 '"actor": "fin"' "" -- werkgever toon --db "$DB" --gemeente gm0794 12345678
check z-betaling 0 '"versie":7' "" -- zaak betaling-verricht --db "$DB" --als financieel --gebruiker fin --datum 2026-02-03 --gegevens '{"maand": "2026-01-01"}' 1
# a new proposal does not change where payments go until it is confirmed
check w-voorstel 0 '"iban": "NL44RABO0123456789"' "" -- werkgever iban-voorgesteld --db "$DB" --gemeente gm0794 --als werkgever --kvk 12345678 --gebruiker jansen --gegevens '{"iban": "nl44 rabo 0123 4567 89"}' 12345678
check w-voorstel-old 0 '"iban": "NL91ABNA0417164300"' "" -- werkgever toon --db "$DB" --gemeente gm0794 12345678
check w-voorstel-twice 2 "" "iban: er wacht al een IBAN-wijziging" -- werkgever iban-voorgesteld --db "$DB" --gemeente gm0794 --als klantmanager --gebruiker km --gegevens '{"iban": "NL20INGB0001234567"}' 12345678
check z-betaald-oud 0 '"iban": "NL91ABNA0417164300"' "" -- zaak toon --db "$DB" 1
check z-betaling-dubbel 2 "" "maand: de maand 2026-01-01 is al betaald" -- zaak betaling-verricht --db "$DB" --als financieel --gebruiker fin --datum 2026-02-04 --gegevens '{"maand": "2026-01-01"}' 1
check z-toon 0 '"totaal": "1088.10"' "" -- zaak toon --db "$DB" --datum 2026-01-15 1
check z-toon-basis 0 'Participatiewet art. 10d lid 12' "" -- zaak toon --db "$DB" --datum 2026-01-15 1
check z-toon-events 0 '"soort": "beschikking-verzonden"' "" -- zaak toon --db "$DB" 1
check z-toon-missing 2 "" "ID: " -- zaak toon --db "$DB" 99
check z-toon-badid 2 "" "ID: 'x' is geen zaaknummer" -- zaak toon --db "$DB" x
check z-termijnen 0 '"soort": "bezwaartermijn"' "" -- termijnen --db "$DB" --datum 2025-12-20
check z-termijnen-later 0 '"aantal": 1' "" -- termijnen --db "$DB" --datum 2026-06-20
check z-termijnen-herb 0 '"soort": "herbeoordeling"' "" -- termijnen --db "$DB" --datum 2026-06-20
check z-termijnen-gm 0 '"aantal": 0' "" -- termijnen --db "$DB" --datum 2026-06-20 --gemeente gm0202
check z-export 0 '^bsn,geslacht,geboortedatum' "" -- export meetfactoren --db "$DB"
check z-export-row 0 '^111222333,' "" -- export meetfactoren --db "$DB" --gemeente gm0794
# a text cell a spreadsheet would run as a formula (=, +, -, @) is written as text: a quote
# in front, inside a quoted cell; ordinary text, dates and amounts are written as they are
G="$T/guard.db"
"$LKS" init --db "$G" >/dev/null
n=0
for reden in '=HYPERLINK("http://x")' '+31 6 12345678' '-2+3' '@SUM(A1)' 'einde contract'; do
    n=$((n + 1))
    bsn=$(echo "123456782 100000009 111111110 222222220 333333330" | cut -d' ' -f$n)
    sed "s/111222333/$bsn/" "$T/aanvraag.json" >"$T/guard.json"
    "$LKS" zaak aanvraag-ingediend --db "$G" --gemeente gm0794 --als werkgever --kvk 12345678 --gebruiker w \
        --datum 2025-12-01 --gegevens "@$T/guard.json" >/dev/null
    "$LKS" zaak dienstverband-beeindigd --db "$G" --als klantmanager --gebruiker km --datum 2026-02-01 \
        --gegevens "{\"reden\": \"$(echo "$reden" | sed 's/"/\\"/g')\"}" $n >/dev/null
done
"$LKS" export meetfactoren --db "$G" >"$T/guard.csv"
ends() { # ends NAME TAIL: a row of the export ends in exactly TAIL
    if awk -v s="$2" 'substr($0, length($0) - length(s) + 1) == s { f = 1 } END { exit !f }' "$T/guard.csv"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $1: no row ends in $2"
        sed 's/^/  csv: /' "$T/guard.csv" | head -n 7
    fi
}
ends csv-guard-eq ",2026-02-01,\"'=HYPERLINK(\"\"http://x\"\")\""
ends csv-guard-plus ",2026-02-01,\"'+31 6 12345678\""
ends csv-guard-minus ",2026-02-01,\"'-2+3\""
ends csv-guard-at ",2026-02-01,\"'@SUM(A1)\""
ends csv-guard-plain ",reguliere werkgever,2400.00,,,,,,,2026-02-01,einde contract"
check z-backup 0 '"kopie"' "" -- backup --db "$DB" --naar "$T/kopie.db"
check z-backup-exists 2 "" "bestaat al" -- backup --db "$DB" --naar "$T/kopie.db"
check z-backup-ok 0 '"totaal": "1088.10"' "" -- zaak toon --db "$T/kopie.db" --datum 2026-01-15 1
check z-controleer 0 '"afwijkend":0' "" -- controleer --db "$DB"
check blokkeer-onbekend 2 "" "--naam: gebruiker 'niemand' bestaat niet" -- blokkeer --db "$DB" --naam niemand
check help-blokkeer 0 "ingetrokken" "" -- blokkeer --help
# passwords set by the operator, and one system's tokens revoked by label
printf 'eerste-wachtwoord-sys\n' >"$T/pw1"
printf 'tweede-wachtwoord-sys\n' >"$T/pw2"
printf 'kort\n' >"$T/pw3"
STDIN="$T/pw1" check gebruiker-sys 0 '"gebruiker":"sys.a"' "" -- gebruiker --db "$DB" --gemeente gm0794 --naam sys.a --rol klantmanager
check token-a1 0 '"token":"' "" -- token --db "$DB" --naam sys.a --label koppeling
check token-a2 0 '"token":"' "" -- token --db "$DB" --naam sys.a --label koppeling
check token-intrekken 0 '"ingetrokken":2' "" -- token --db "$DB" --naam sys.a --label koppeling --intrekken
check token-intrekken-weg 2 "" "--label: gebruiker 'sys.a' heeft geen geldig token met label 'koppeling'" -- token --db "$DB" --naam sys.a --label koppeling --intrekken
check token-intrekken-label 2 "" "--label: zeg met --label" -- token --db "$DB" --naam sys.a --intrekken
STDIN="$T/pw2" check wachtwoord 0 '"wachtwoord":"gewijzigd"' "" -- wachtwoord --db "$DB" --naam sys.a
STDIN="$T/pw3" check wachtwoord-kort 2 "" "wachtwoord: het wachtwoord moet minstens 12 tekens hebben" -- wachtwoord --db "$DB" --naam sys.a
STDIN="$T/pw2" check wachtwoord-onbekend 2 "" "--naam: gebruiker 'niemand' bestaat niet" -- wachtwoord --db "$DB" --naam niemand
check wachtwoord-stdin 2 "" "lees het wachtwoord van de standaardinvoer" -- wachtwoord --db "$DB" --naam sys.a
check beleid 0 '"ondergrens": "30"' "" -- beleid --db "$DB" --gemeente gm0794 --datum 2026-01-01
check beleid-zet 0 '"ondergrens": "35"' "" -- beleid --db "$DB" --gemeente gm0794 --vanaf 2026-03-01 --instelling ondergrens --waarde 35
check beleid-voor 0 '"ondergrens": "30"' "" -- beleid --db "$DB" --gemeente gm0794 --datum 2026-02-28
check beleid-onbekend 2 "" "--instelling: 'ondergrenss' is geen instelling" -- beleid --db "$DB" --gemeente gm0794 --vanaf 2026-03-01 --instelling ondergrenss --waarde 35
check beleid-bereik 2 "" "--waarde: '150' ligt buiten" -- beleid --db "$DB" --gemeente gm0794 --vanaf 2026-03-01 --instelling ondergrens --waarde 150
check beleid-half 2 "" "--waarde: is nodig" -- beleid --db "$DB" --gemeente gm0794 --vanaf 2026-03-01 --instelling ondergrens
# one rule for deadlines: computed when their event is stored, with the policy of the day
# they start; a policy change may not reach back before a deadline already computed, and the
# work list and the case show the same due date
sed -e 's/111222333/123456782/' -e 's/"start": "2026-01-05"/"start": "2026-12-01"/' "$T/aanvraag.json" >"$T/p1.json"
sed -e 's/111222333/100000009/' -e 's/"start": "2026-01-05"/"start": "2026-12-01"/' "$T/aanvraag.json" >"$T/p2.json"
kmz() { "$LKS" zaak "$1" --db "$DB" --gemeente gm0202 --als klantmanager --gebruiker kman --datum "$2" ${4:+--gegevens "$4"} ${3:-}; }
Z1=$(kmz aanvraag-ingediend 2026-11-02 "" "@$T/p1.json" | sed -n 's/^{"zaak":\([0-9]*\).*/\1/p')
kmz informatie-gevraagd 2026-11-03 "$Z1" '{"ontbreekt": ["loonstrook"]}' >/dev/null
check pol-reach-back 2 "" "--vanaf: er zijn al termijnen berekend die op of na 2026-11-03 beginnen .*kies 2026-11-04 of later" -- beleid --db "$DB" --gemeente gm0202 --vanaf 2026-11-03 --instelling informatie-dagen --waarde 21
check pol-same-value 0 '"informatie-dagen": "14"' "" -- beleid --db "$DB" --gemeente gm0202 --vanaf 2026-11-03 --instelling informatie-dagen --waarde 14
check pol-after 0 '"informatie-dagen": "21"' "" -- beleid --db "$DB" --gemeente gm0202 --vanaf 2026-11-04 --instelling informatie-dagen --waarde 21
Z2=$(kmz aanvraag-ingediend 2026-11-05 "" "@$T/p2.json" | sed -n 's/^{"zaak":\([0-9]*\).*/\1/p')
kmz informatie-gevraagd 2026-11-05 "$Z2" '{"ontbreekt": ["loonstrook"]}' >/dev/null
"$LKS" termijnen --db "$DB" --datum 2026-11-06 --gemeente gm0202 >"$T/wl.json"
for z in "$Z1 2026-11-17" "$Z2 2026-11-26"; do
    set -- $z
    "$LKS" zaak toon --db "$DB" --datum 2026-11-06 "$1" >"$T/zt.json"
    case_due=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([t['uiterlijk'] for t in d['zaak']['termijnen'] if t['soort']=='informatie'][0])" "$T/zt.json")
    list_due=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([t['uiterlijk'] for t in d['termijnen'] if t['soort']=='informatie' and t['zaak']==int(sys.argv[2])][0])" "$T/wl.json" "$1")
    if [ "$case_due" = "$2" ] && [ "$list_due" = "$2" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL pol-same-due case $1: case $case_due, list $list_due, want $2"; fi
done
check pol-controleer 0 '"termijnAfwijkingen":0' "" -- controleer --db "$DB"
# --- rule rows in the store: the installation's operator adds a row with its source
STDIN="$T/pw1" check app-user 0 '"rol":"applicatiebeheerder","gemeente":"\*"' "" -- gebruiker --db "$DB" --naam app.beheer --rol applicatiebeheerder
STDIN="$T/pw1" check app-user-tenant 2 "" "--gemeente: een applicatiebeheerder hoort bij de hele installatie" -- gebruiker --db "$DB" --gemeente gm0794 --naam app.2 --rol applicatiebeheerder
STDIN="$T/pw1" check app-user-reserved 2 "" "--gemeente: '\*' is de hele installatie" -- gebruiker --db "$DB" --gemeente '*' --naam beheer.2 --rol beheerder
STDIN="$T/pw1" check user-no-tenant 2 "" "--gemeente: is verplicht" -- gebruiker --db "$DB" --naam km.2 --rol klantmanager
check help-regels-toevoegen 0 "--waarden KOLOM=WAARDE" "" -- regels toevoegen --help
W='month=2400.00,hour=15.38,full_age=21' # made-up test figures, never real ones
SRC='Stcrt. 2099, nr. 1 (testwaarde)'
check add-no-bron 2 "" "--bron: is verplicht" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden "$W" --gebruiker app.beheer
check add-empty-bron 2 "" "--bron: is verplicht" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden "$W" --bron ' ' --gebruiker app.beheer
check add-month 2 "" "--waarden: kolom 'month': geen geldig getal" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden 'month=veel,hour=15.38,full_age=21' --bron "$SRC" --gebruiker app.beheer
check add-range 2 "" "--waarden: kolom 'month': waarde buiten het aannemelijke bereik" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden 'month=5.00,hour=15.38,full_age=21' --bron "$SRC" --gebruiker app.beheer
check add-missing 2 "" "--waarden: kolom 'full_age': ontbreekt" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden 'month=2400.00,hour=15.38' --bron "$SRC" --gebruiker app.beheer
check add-column 2 "" "--waarden: kolom 'maand' bestaat niet in de tabel wml \(kolommen: month, hour, full_age" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden 'maand=2400.00,hour=15.38,full_age=21' --bron "$SRC" --gebruiker app.beheer
check add-pair 2 "" "--waarden: 'month' is geen KOLOM=WAARDE" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden 'month,hour=15.38' --bron "$SRC" --gebruiker app.beheer
check add-gap 2 "" "--vanaf: .*de regel vanaf 2026-07-01 ontbreekt" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2027-01-01 --waarden "$W" --bron "$SRC" --gebruiker app.beheer
check add-table 2 "" "--tabel: 'minimumloon' is geen geldige keuze" -- regels toevoegen --db "$DB" --tabel minimumloon --vanaf 2026-07-01 --waarden "$W" --bron "$SRC" --gebruiker app.beheer
check add-date 2 "" "--vanaf: '2026-13-01'" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-13-01 --waarden "$W" --bron "$SRC" --gebruiker app.beheer
check add-role 2 "" "--gebruiker: gebruiker 'sys.a' heeft de rol klantmanager: alleen een applicatiebeheerder" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden "$W" --bron "$SRC" --gebruiker sys.a
check add-nouser 2 "" "--gebruiker: gebruiker 'niemand' bestaat niet" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden "$W" --bron "$SRC" --gebruiker niemand
check add-nodb 2 "" "--db: is verplicht" -- regels toevoegen --tabel wml --vanaf 2026-07-01 --waarden "$W" --bron "$SRC" --gebruiker app.beheer
check add-none-stored 0 '"geldigTot": "2026-06-30"' "" -- regels --db "$DB"
# the case's amount is re-indexed every 1 January: before the rows, January 2027 cannot be
# computed; the commands on the store use the store's rows at once
check amount-before 0 '"huidigeLoonkostensubsidie": null' "" -- zaak toon --db "$DB" --datum 2027-01-15 1
check add-row 0 '"soort": "opslag"' "" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden "$W" --bron "$SRC" --gebruiker app.beheer
check add-row-shown 0 '"perMaand": "2400.00"' "" -- regels --db "$DB"
check add-row-who 0 '"toegevoegdDoor": "app.beheer"' "" -- regels --db "$DB"
check add-row-source 0 '"bron": "Stcrt. 2099, nr. 1 \(testwaarde\)"' "" -- regels --db "$DB"
check add-row-until 0 '"geldigTot": "2026-12-31"' "" -- regels --db "$DB"
check add-row-builtin-too 0 '"soort": "ingebouwd"' "" -- regels --db "$DB"
check add-row-not-without-db 0 '"geldigTot": "2026-06-30"' "" -- regels
check add-check-after 0 '"afwijkend":0' "" -- controleer --db "$DB"
# the warning moves to the next half-year (2026-12-31 is within 60 days of today or past)
check warn-next 0 '"ontbrekendVanaf": "2027-01-01"' "" -- regels --db "$DB"
# rows for every half-year up to beyond today + 60 days: then no warning
from=2027-01-01
until_ok=$(date -u -d "+61 days" +%F)
n=2
while :; do
    check "add-$from" 0 "\"vanaf\": \"$from\"" "" -- regels toevoegen --db "$DB" --tabel wml --vanaf "$from" --waarden "$W" --bron "Stcrt. 2099, nr. $n (testwaarde)" --gebruiker app.beheer
    n=$((n + 1))
    y=${from%%-*}
    case $from in *-01-01) end=$y-06-30 next=$y-07-01 ;; *) end=$y-12-31 next=$((y + 1))-01-01 ;; esac
    [ "$end" \> "$until_ok" ] && break
    from=$next
done
check amount-after 0 '"wmlPerMaand": "2400.00"' "" -- zaak toon --db "$DB" --datum 2027-01-15 1
"$LKS" regels --db "$DB" >"$T/out" 2>&1
if grep -q waarschuwingen "$T/out"; then fail=$((fail + 1)); echo "FAIL no-warn: $(grep -m1 melding "$T/out")"; else pass=$((pass + 1)); fi
# a correction: a later row with the same date replaces the earlier one
check add-correction 0 '"perMaand": "2401.00"' "" -- regels toevoegen --db "$DB" --tabel wml --vanaf 2026-07-01 --waarden 'month=2401.00,hour=15.38,full_age=21' --bron 'Stcrt. 2099, nr. 99 (testwaarde, correctie)' --gebruiker app.beheer
check add-correction-shown 0 'nr. 99' "" -- regels --db "$DB"

cols=$("$LKS" export meetfactoren --db "$DB" | head -n 1 | tr ',' '\n' | wc -l)
if [ "$cols" -eq 35 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL export-35: $cols columns"; fi

# --- what a command repeats (a file name, a municipality, a label) is escaped in its JSON
# json NAME KEY VALUE -- ARGS...: exit 0, and stdout is one JSON object whose KEY is VALUE
# (VALUE as JSON text unless it is a string; * = any)
json() {
    jname=$1 jkey=$2 jval=$3
    shift 4
    check "$jname" 0 "" "" -- "$@"
    if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = d[sys.argv[2]]
sys.exit(sys.argv[3] != "*" and (v if isinstance(v, str) else json.dumps(v)) != sys.argv[3])' \
        "$T/out" "$jkey" "$jval" 2>/dev/null; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $jname: not a JSON object with $jkey = $jval: $(head -c 200 "$T/out")"
    fi
}
W="$T/we\"ird\\.db"
json json-init db "$W" -- init --db "$W"
json json-demo zaken 5 -- demo --db "$W" --zaken 5 --gemeenten 1
json json-demo-secs seconden '*' -- demo --db "$W" --zaken 1 --gemeenten 1 --seed 2
json json-backup kopie "$T/ko\"pie.db" -- backup --db "$W" --naar "$T/ko\"pie.db"
STDIN="$T/pw1" json json-gebruiker gemeente 'gm"1' -- gebruiker --db "$W" --gemeente 'gm"1' --naam sys.q --rol klantmanager
json json-token token '*' -- token --db "$W" --naam sys.q --label 'a"b'
json json-token-intrekken label 'a"b' -- token --db "$W" --naam sys.q --label 'a"b' --intrekken
STDIN="$T/pw2" json json-wachtwoord wachtwoord gewijzigd -- wachtwoord --db "$W" --naam sys.q
json json-blokkeer actief false -- blokkeer --db "$W" --naam sys.q
json json-deblokkeer actief true -- blokkeer --db "$W" --naam sys.q --deblokkeer

# --- demo, and a demo killed half-way leaves only whole cases
check demo 0 '"zaken":60' "" -- demo --db "$T/demo.db" --zaken 60 --gemeenten 2 --seed 7
check demo-check 0 '"integriteit":true,"zaken":60,.*"afwijkend":0,"wettelijkeTermijnen":[1-9][0-9]*,"termijnfouten":0' "" -- controleer --db "$T/demo.db"
# a tampered store: a deadline moved, an event made unreadable, an index out of range —
# each reported with its case and event (exit 1), never a crash; the other cases checked
cp "$T/demo.db" "$T/tamper.db"
sqlite3 "$T/tamper.db" "UPDATE deadlines SET due=due+1 WHERE case_id=4 AND pos=0"
check tamper-deadline 1 '"termijnAfwijkingen":1,.*"zaak":4,"soort":"termijn","melding":"termijn 1 \(beslistermijn\): opgeslagen uiterlijk' "afwijkingen" -- controleer --db "$T/tamper.db"
sqlite3 "$T/tamper.db" "DROP TRIGGER events_no_update; UPDATE events SET data='{\"uitkomst\":\"gegrond\",\"bezwaar\":99}', type='bezwaar-beslist' WHERE case_id=6 AND seq=2; UPDATE events SET data='\x01\xff{' WHERE case_id=8 AND seq=1"
check tamper-events 1 '"zaken":60,.*"zaak":6,"gebeurtenis":2,"soort":"gebeurtenis".*"zaak":8,"gebeurtenis":1,"soort":"gebeurtenis","melding":"gebeurtenis 1 van zaak 8 is onleesbaar"' "afwijkingen" -- controleer --db "$T/tamper.db"
"$LKS" demo --db "$T/kill.db" --zaken 100000 --seed 3 >/dev/null 2>&1 &
kpid=$!
sleep 1.5
kill -9 $kpid 2>/dev/null
wait $kpid 2>/dev/null
check kill-check 0 '"integriteit":true,"zaken":[1-9][0-9]*,.*"afwijkend":0' "" -- controleer --db "$T/kill.db"

# --- betaalrun: a financieel makes the month's run, another approves it (four eyes), then
# the bank file validates against the XSD, the list has every line, the bank's answer marks
# lines; a concept run is cancelled; every flag named when wrong
P="$T/pay.db"
"$LKS" init --db "$P" >/dev/null
"$LKS" demo --db "$P" --zaken 20 --gemeenten 1 --seed 5 >/dev/null
printf 'test-wachtwoord-lks\n' >"$T/paypw"
for u in fin.a fin.b; do
    "$LKS" gebruiker --db "$P" --gemeente gm0794 --naam $u --rol financieel <"$T/paypw" >/dev/null
done
"$LKS" gebruiker --db "$P" --gemeente gm0794 --naam km.a --rol klantmanager <"$T/paypw" >/dev/null
M=$(date +%Y-%m)
XSD=${LKS_SHARED:-../shared}/schemas/pain.001.001.09.xsd
check pay-help 0 "goedkeuren" "" -- betaalrun --help
check pay-none 2 "" "noem een onderdeel" -- betaalrun
check pay-help-maken 0 "--maand" "" -- betaalrun maken --help
check pay-help-goedkeuren 0 "andere medewerker" "" -- betaalrun goedkeuren --help
check pay-help-annuleren 0 "--run" "" -- betaalrun annuleren --help
check pay-help-sepa 0 "--deel" "" -- betaalrun sepa --help
check pay-help-lijst 0 "CSV" "" -- betaalrun lijst --help
check pay-help-bank 0 "--bestand" "" -- betaalrun bank --help
check pay-bad-month 2 "" "--maand" -- betaalrun maken --db "$P" --gemeente gm0794 --maand 2026-13 --gebruiker fin.a
check pay-bad-month-form 2 "" "--maand.*JJJJ-MM" -- betaalrun maken --db "$P" --gemeente gm0794 --maand 12-2026 --gebruiker fin.a
check pay-no-month 2 "" "--maand" -- betaalrun maken --db "$P" --gemeente gm0794 --gebruiker fin.a
check pay-bad-user 2 "" "--gebruiker" -- betaalrun maken --db "$P" --gemeente gm0794 --maand "$M" --gebruiker niemand
check pay-km 2 "" "financi" -- betaalrun maken --db "$P" --gemeente gm0794 --maand "$M" --gebruiker km.a
check pay-make 0 '"status": "concept"' "" -- betaalrun maken --db "$P" --gemeente gm0794 --maand "$M" --gebruiker fin.a
RUN=$(sed -n 's/^ *"id": \([0-9]*\),.*/\1/p' "$T/out" | head -n 1)
NL=$(sed -n 's/^ *"regels": \([0-9]*\),.*/\1/p' "$T/out" | head -n 1)
if [ -n "$RUN" ] && [ "${NL:-0}" -gt 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL pay-make: run '$RUN' with '$NL' lines"; fi
check pay-make-again 0 '"regels": 0,' "" -- betaalrun maken --db "$P" --gemeente gm0794 --maand "$M" --gebruiker fin.b
RUN2=$(sed -n 's/^ *"id": \([0-9]*\),.*/\1/p' "$T/out" | head -n 1)
check pay-sepa-concept 2 "" "goedgekeurd" -- betaalrun sepa --db "$P" --run "$RUN" --gebruiker fin.a
check pay-approve-self 2 "" "vier ogen" -- betaalrun goedkeuren --db "$P" --run "$RUN" --gebruiker fin.a
check pay-approve-km 2 "" "financi" -- betaalrun goedkeuren --db "$P" --run "$RUN" --gebruiker km.a
check pay-approve-bad-run 2 "" "--run" -- betaalrun goedkeuren --db "$P" --run 0 --gebruiker fin.b
check pay-approve-none 2 "" "" -- betaalrun goedkeuren --db "$P" --run 999999 --gebruiker fin.b
check pay-approve 0 '"goedgekeurdDoor": "fin.b"' "" -- betaalrun goedkeuren --db "$P" --run "$RUN" --gebruiker fin.b
check pay-approve-twice 2 "" "al goedgekeurd" -- betaalrun goedkeuren --db "$P" --run "$RUN" --gebruiker fin.b
check pay-cancel-approved 2 "" "goedgekeurd" -- betaalrun annuleren --db "$P" --run "$RUN" --gebruiker fin.a
check pay-cancel 0 '"status": "geannuleerd"' "" -- betaalrun annuleren --db "$P" --run "$RUN2" --gebruiker fin.a
check pay-sepa 0 '<EndToEndId>' "" -- betaalrun sepa --db "$P" --run "$RUN" --gebruiker fin.a
cp "$T/out" "$T/pain.xml"
if xmllint --noout --schema "$XSD" "$T/pain.xml" 2>/dev/null; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL pay-sepa-xsd"; fi
check pay-sepa-part 2 "" "--deel" -- betaalrun sepa --db "$P" --run "$RUN" --gebruiker fin.a --deel 0
check pay-list 0 '^zaak,maand,werkgever,iban,bedrag,kenmerk,endToEndId,status,statusdatum' "" -- betaalrun lijst --db "$P" --run "$RUN" --gebruiker fin.a
if [ "$(($(wc -l <"$T/out") - 1))" = "$NL" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL pay-list-lines: not $NL"; fi
E1=$(sed -n 2p "$T/out" | cut -d, -f7)
cat >"$T/camt.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt><GrpHdr><MsgId>STMT-CLI</MsgId><CreDtTm>2026-12-05T06:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>1</Id><Acct><Id><IBAN>NL74BNGH0285170001</IBAN></Id></Acct>
      <Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-04</Dt></BookgDt><BkTxCd/>
        <NtryDtls><TxDtls><Refs><EndToEndId>$E1</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
    </Stmt></BkToCstmrStmt></Document>
XML
check pay-bank-nofile 2 "" "--bestand" -- betaalrun bank --db "$P" --gemeente gm0794 --bestand "$T/bestaat-niet.xml" --gebruiker fin.a
check pay-bank-km 2 "" "financi" -- betaalrun bank --db "$P" --gemeente gm0794 --bestand "$T/camt.xml" --gebruiker km.a
check pay-bank 0 '"betaald": 1,' "" -- betaalrun bank --db "$P" --gemeente gm0794 --bestand "$T/camt.xml" --gebruiker fin.a
check pay-list-paid 0 "$E1,betaald,2026-12-04" "" -- betaalrun lijst --db "$P" --run "$RUN" --gebruiker fin.a

echo "cli: $pass passed, $fail failed"

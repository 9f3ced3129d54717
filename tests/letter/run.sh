#!/bin/sh
# tests/letter/run.sh — the decision letters end to end through `lks brief`: every kind
# (toekenning, herziening, afwijzing after a negative access test, einde, bezwaar) to the
# employer and the worker, read back with pdftotext (amounts, every step with its article,
# the objection deadline, the municipality, the addressee), turned into PNG with pdftoppm
# (build/letters/), two renders byte-identical and equal to the stored SHA-256, the stored
# letter not changed by new settings, and long words and names inside the page margins
# (pdftotext -bbox). Prints "letters: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
LKS=${LKS:-build/lks}
OUT=build/letters
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$OUT"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

DB="$T/l.db"
"$LKS" init --db "$DB" >/dev/null || { echo "letters: 0 passed, 1 failed (init)"; exit 1; }
# the municipality's letter settings as a beheerder would set them (fixture written directly)
sqlite3 "$DB" "INSERT INTO letter_settings VALUES('gm0794','Gemeente Helmond','Postbus 950',
  '5700 AZ','Helmond','M. Jansen','teamleider Werk en Inkomen',
  'het college van burgemeester en wethouders van Helmond','Postbus 950, 5700 AZ Helmond',
  'telefoon 14 0492','',NULL,0,'test')"
z() { # z TYPE ROLE DATE DATA [ID]
    t=$1 r=$2 d=$3 g=$4
    shift 4
    "$LKS" zaak "$t" --db "$DB" --gemeente gm0794 --als "$r" --gebruiker "$r.test" --datum "$d" \
        --gegevens "$g" "$@" >"$T/last.json" 2>"$T/last.err" || { bad "zaak $t: $(cat "$T/last.err")"; return 1; }
}
ANSWERS='{"vraag1": {"lichamelijk": true, "verstandelijk": false, "psychisch": false, "psychosociaal": false},
 "vraag2a": {"geenGevolgenVoorWerk": false, "compenseerbaarMetVoorzieningen": false},
 "vraag2b": {"regulierWerktempo": false, "continuiteit": true, "zelfstandigWerken": true},
 "vraag3": {"prestatieMinstens20Procent": true, "begeleidingHoogstens15Procent": true,
            "uurAaneengesloten": true, "zonderPermanentToezicht": true}}'
NONE='{"vraag1": {"lichamelijk": false, "verstandelijk": false, "psychisch": false, "psychosociaal": false}}'
form() { # form BSN NAME KVK EMPLOYER IBAN
    printf '{"werknemer": {"bsn": "%s", "naam": "%s", "geboortedatum": "1990-05-01",
      "adres": "Kerkstraat 1", "postcode": "5701 AB", "woonplaats": "Helmond",
      "huishouden": "alleenstaand", "uitkering": "participatiewet"},
     "werkgever": {"kvk": "%s", "naam": "%s", "adres": "Markt 2", "postcode": "5701 AA",
      "plaats": "Helmond", "iban": "%s", "voltijduren": 38, "aantalWerknemers": 12},
     "dienstverband": {"start": "2026-01-05", "uren": "32", "loon": "2400.00", "functie": "bakkershulp"},
     "aanvrager": "werkgever"}' "$1" "$2" "$3" "$4" "$5"
}

# case 1: grant, revision, objection, end
z aanvraag-ingediend klantmanager 2025-12-01 "$(form 111222333 'Anna de Vries' 12345678 'Bakkerij Jansen B.V.' NL91ABNA0417164300)"
z aanvraag-compleet klantmanager 2025-12-02 '{}' 1
z toegangstoets-uitgevoerd klantmanager 2025-12-03 "{\"antwoorden\": $ANSWERS}" 1
z loonwaardemeting-aangevraagd klantmanager 2025-12-04 '{"methode": "uniform", "deskundige": "J. Hermans", "kosten": "200.00"}' 1
z loonwaarde-vastgesteld loonwaardedeskundige 2025-12-10 '{"loonwaarde": "60", "gemeten": "2025-12-08", "normfunctie": "bakkershulp"}' 1
z beschikking-verzonden beslisser 2025-12-15 '{"soort": "toekenning"}' 1
z herbeoordeling-gestart klantmanager 2026-03-02 '{"methode": "uniform", "deskundige": "J. Hermans"}' 1
z loonwaarde-vastgesteld loonwaardedeskundige 2026-03-10 '{"loonwaarde": "50", "gemeten": "2026-03-09", "normfunctie": "bakkershulp"}' 1
z beschikking-verzonden beslisser 2026-03-16 '{"soort": "herziening"}' 1
z bezwaar-ingediend klantmanager 2026-03-20 '{"onderwerp": "de hoogte van de loonwaarde"}' 1
z bezwaar-beslist beslisser 2026-04-14 '{"uitkomst": "ongegrond"}' 1
z dienstverband-beeindigd klantmanager 2026-05-29 '{"reden": "contract niet verlengd"}' 1
# the letters were stored with their events (grant, revision, objection, and the end of
# the subsidy, each to employer and worker): a direct row count
n=$(sqlite3 "$DB" "SELECT count(*) FROM letters WHERE case_id=1")
[ "$n" = 8 ] && ok || bad "stored with the events: expected 8 letters of case 1, found $n"
n=$(sqlite3 "$DB" "SELECT count(*) FROM letters WHERE case_id=1 AND kind='einde'")
[ "$n" = 2 ] && ok || bad "the end letters were not stored with the end of the employment: $n"

# case 2: refusal after a negative access test, with a 60-character word and the longest
# names the model holds (95 bytes) and a 200-character run in the written argument
W60=Loonkostensubsidiebeschikkingsberekeningsvoorwaardenoverzicht
[ ${#W60} -ge 60 ] || W60="${W60}xxxxxxxxxx"
LONGNAME=$(printf 'Wilhelmina%.0s' 1 2 3 4 5 6 7 8 9)Zz
L200=$(printf 'Arbeidsongeschiktheidsverzekeringsvoorwaarden%.0s' 1 2 3 4 5)
z aanvraag-ingediend klantmanager 2025-12-01 "$(form 123456782 "$LONGNAME" 87654321 "$LONGNAME" NL02ABNA0123456789)"
z aanvraag-compleet klantmanager 2025-12-02 '{}' 2
z toegangstoets-uitgevoerd klantmanager 2025-12-03 "{\"antwoorden\": $NONE, \"toelichting\": \"Geen beperking vastgesteld; $W60 $L200.\"}" 2
z beschikking-verzonden beslisser 2025-12-08 "{\"soort\": \"afwijzing\", \"motivering\": \"Niet in de doelgroep: $W60.\"}" 2

brief() { # brief NAME ARGS... : render to $OUT/NAME.pdf and text
    name=$1
    shift
    if "$LKS" brief --db "$DB" "$@" >"$OUT/$name.pdf" 2>"$T/err"; then
        pdftotext -layout "$OUT/$name.pdf" "$T/$name.txt" && ok || bad "$name: pdftotext"
        pdftoppm -png -r 60 "$OUT/$name.pdf" "$OUT/$name" && ok || bad "$name: pdftoppm"
    else
        bad "$name: lks brief $*: $(cat "$T/err")"
        : >"$T/$name.txt"
    fi
}
has() { # has NAME TEXT...
    name=$1
    shift
    for s in "$@"; do
        tr -s ' \n' ' ' <"$T/$name.txt" | grep -qF -- "$s" && ok || bad "$name: missing '$s'"
    done
}
brief toekenning-werkgever --zaak 1 --beschikking 1
brief toekenning-werknemer --zaak 1 --beschikking 1 --voor werknemer
brief herziening-werkgever --zaak 1 --beschikking 2
brief bezwaar-werkgever --zaak 1 --soort bezwaar --bezwaar 1
brief einde-werkgever --zaak 1 --soort einde
brief afwijzing-werkgever --zaak 2 --beschikking 1
brief afwijzing-werknemer --zaak 2 --beschikking 1 --voor werknemer

# the amounts and every step with its article: what the case view says for the month
"$LKS" zaak toon --db "$DB" --datum 2026-01-15 1 >"$T/view.json"
total=$(python3 -c "import json,sys; print(json.load(open('$T/view.json'))['zaak']['beschikkingen'][0]['bedragPerMaand'])" 2>/dev/null)
eur=$(python3 -c "
v='$total'; e,c=v.split('.'); s=''
while len(e)>3: s='.'+e[-3:]+s; e=e[:-3]
print('€ '+e+s+','+c)")
has toekenning-werkgever "$eur per maand" "Gemeente Helmond" "Bakkerij Jansen B.V." "Markt 2" \
    "Participatiewet art. 10d lid 4" "Wet minimumloon en" \
    "De loonwaarde van Anna de Vries is 60%" "8 december 2025" "32 uur per week" \
    "ten minste 6 maanden" "Kamer van Koophandel" "alleen bij UWV" "4:57" "4:56" \
    "Awb art. 6:5" "Algemene wet bestuursrecht art. 6:7 en 6:8" "Wettelijke grondslag" \
    "het college van burgemeester en wethouders van Helmond"
# every step's text and amount of the rules is in the letter
python3 - "$T/view.json" "$T/toekenning-werkgever.txt" <<'PY' && ok || bad "toekenning: a step of the calculation is missing"
import json, sys, re
v = json.load(open(sys.argv[1]))["zaak"]["huidigeLoonkostensubsidie"]
t = re.sub(r"\s+", " ", open(sys.argv[2]).read())
def eur(s):
    e, c = s.split("."); g = ""
    while len(e) > 3: g = "." + e[-3:] + g; e = e[:-3]
    return "€ " + e + g + "," + c
missing = [s["bedrag"] for s in v["stappen"] if eur(s["bedrag"]) not in t]
missing += [s["wettelijkeGrondslag"][:18] for s in v["stappen"] if s["wettelijkeGrondslag"][:18] not in t]
missing += [s["omschrijving"][:25] for s in v["stappen"] if s["omschrijving"][:25] not in t]
if missing: print("missing:", missing); sys.exit(1)
PY
# the objection deadline: what the process stored (bezwaartermijn of decision 1)
due=$(python3 -c "
import json; z=json.load(open('$T/view.json'))['zaak']
print([d for d in z['termijnen'] if d['soort']=='bezwaartermijn'][0]['uiterlijk'])" 2>/dev/null)
due_nl=$(python3 -c "
import datetime; m=['januari','februari','maart','april','mei','juni','juli','augustus','september','oktober','november','december']
d=datetime.date.fromisoformat('$due'); print(f'{d.day} {m[d.month-1]} {d.year}')" 2>/dev/null)
[ -n "$due_nl" ] && has toekenning-werkgever "uiterlijk op $due_nl" || bad "no objection deadline in the case view"
has toekenning-werknemer "Anna de Vries" "Kerkstraat 1" "Uw werkgever Bakkerij Jansen B.V." "Voor uw loon verandert er niets" "uiterlijk op $due_nl"
has herziening-werkgever "Besluit: nieuwe hoogte loonkostensubsidie" "De loonwaarde van Anna de Vries is 50%" "9 maart 2026" "Tot die datum gold ons besluit van 15 december 2025" "$eur per maand"
has bezwaar-werkgever "Besluit op uw bezwaar" "de hoogte van de loonwaarde" "ongegrond" "beroep" "rechtbank" "Zaaknummer 1, bezwaar 1"
has einde-werkgever "Besluit: einde loonkostensubsidie" "29 mei 2026" "contract niet verlengd" "mei 2026"
has afwijzing-werkgever "U krijgt geen loonkostensubsidie" "toegangstoets" "niet bij de doelgroep" "Niet in de doelgroep:" "Bezwaar maken"
has afwijzing-werknemer "krijgt geen loonkostensubsidie voor u" "Kerkstraat 1"

# two renders of the same letter are byte-identical and match the stored SHA-256
"$LKS" brief --db "$DB" --zaak 1 --beschikking 1 >"$T/again.pdf"
cmp -s "$T/again.pdf" "$OUT/toekenning-werkgever.pdf" && ok || bad "two fetches differ"
sha=$("$LKS" brief --db "$DB" --zaak 1 --beschikking 1 --sha256)
[ "$sha" = "$(sha256sum <"$OUT/toekenning-werkgever.pdf" | cut -d' ' -f1)" ] && ok || bad "stored sha256 differs"
# a letter made on first fetch (einde) is stored then and comes back the same
"$LKS" brief --db "$DB" --zaak 1 --soort einde >"$T/einde2.pdf"
cmp -s "$T/einde2.pdf" "$OUT/einde-werkgever.pdf" && ok || bad "einde letter changed between fetches"
# fresh renders of the same model give the same bytes: a second store, same commands
cp "$DB" "$T/copy.db"
sqlite3 "$T/copy.db" "DROP TRIGGER letters_no_delete; DELETE FROM letters WHERE case_id=2"
"$LKS" brief --db "$T/copy.db" --zaak 2 --beschikking 1 >"$T/re1.pdf"
sqlite3 "$T/copy.db" "DELETE FROM letters WHERE case_id=2"
"$LKS" brief --db "$T/copy.db" --zaak 2 --beschikking 1 >"$T/re2.pdf"
cmp -s "$T/re1.pdf" "$T/re2.pdf" && cmp -s "$T/re1.pdf" "$OUT/afwijzing-werkgever.pdf" && ok || bad "renders are not byte-identical"
# four fetches at once of a letter not stored yet: one stores it, the others read that one
sqlite3 "$T/copy.db" "DELETE FROM letters WHERE case_id=2"
for i in 1 2 3 4; do
    ("$LKS" brief --db "$T/copy.db" --zaak 2 --beschikking 1 >"$T/race$i.pdf" 2>"$T/race$i.err"; echo $? >"$T/race$i.rc") &
done
wait
race_ok=1
for i in 1 2 3 4; do
    [ "$(cat "$T/race$i.rc")" = 0 ] && cmp -s "$T/race$i.pdf" "$T/re1.pdf" || { race_ok=0; echo "race $i: rc $(cat "$T/race$i.rc") $(cat "$T/race$i.err")"; }
done
[ "$race_ok" = 1 ] && ok || bad "fetches at once of a letter not stored yet did not all get it"
[ "$(sqlite3 "$T/copy.db" "SELECT count(*) FROM letters WHERE case_id=2")" = 1 ] && ok || bad "the letter was stored more than once"
# the renderer is a shared object opened on the first letter: without it a letter fails
# with a Dutch message naming it, and commands that make no letter do not need it
sqlite3 "$T/copy.db" "DELETE FROM letters WHERE case_id=2"
if LKS_PDF_LIB="$T/none/liblks_pdf.so" "$LKS" brief --db "$T/copy.db" --zaak 2 --beschikking 1 >/dev/null 2>"$T/e"; then
    bad "a letter without its renderer"
else
    grep -q "de PDF-maker .*liblks_pdf.so ontbreekt" "$T/e" && ok || bad "no clear message without the renderer: $(cat "$T/e")"
fi
LKS_PDF_LIB="$T/none/liblks_pdf.so" "$LKS" zaak toon --db "$T/copy.db" 2 >/dev/null && ok || bad "zaak toon needs the renderer"
ldd "$LKS" | grep -qE "libcairo|libpango|libfontconfig" && bad "lks links cairo/pango at start" || ok
# bulk: the revision letters of a re-indexation, one per running grant, into a directory
z aanvraag-ingediend klantmanager 2026-01-05 "$(form 100000009 'Cor Bulk' 12345678 'Bakkerij Jansen B.V.' NL91ABNA0417164300)"
z aanvraag-compleet klantmanager 2026-01-06 '{}' 3
z toegangstoets-uitgevoerd klantmanager 2026-01-07 "{\"antwoorden\": $ANSWERS}" 3
z loonwaardemeting-aangevraagd klantmanager 2026-01-08 '{"methode": "uniform", "deskundige": "J. Hermans", "kosten": "200.00"}' 3
z loonwaarde-vastgesteld loonwaardedeskundige 2026-01-12 '{"loonwaarde": "60", "gemeten": "2026-01-09", "normfunctie": "bakkershulp"}' 3
z beschikking-verzonden beslisser 2026-01-15 '{"soort": "toekenning"}' 3
if "$LKS" brieven --db "$DB" --gemeente gm0794 --soort herziening --datum 2026-06-01 --map "$T/bulk" --voor beide >"$T/bulk.out" 2>"$T/bulk.err"; then
    grep -q "^2 brieven in $T/bulk; 2 zaken zonder lopende subsidie" "$T/bulk.out" && ok || bad "bulk summary: $(cat "$T/bulk.out")"
    # (the sanitizer build prints its suppression counts there: only the progress counts)
    grep -q "zaken" "$T/bulk.err" && bad "bulk wrote progress to a non-terminal: $(cat "$T/bulk.err")" || ok
    pdftotext "$T/bulk/zaak-3-herziening-werkgever.pdf" "$T/bulk3.txt" 2>/dev/null
    grep -q "Vanaf 1 juni 2026" "$T/bulk3.txt" && grep -q "Zaaknummer 3, beschikking 2" "$T/bulk3.txt" &&
        grep -q "Cor Bulk" "$T/bulk3.txt" && ok || bad "bulk letter text"
    [ -f "$T/bulk/zaak-3-herziening-werknemer.pdf" ] && [ ! -f "$T/bulk/zaak-1-herziening-werkgever.pdf" ] && ok || bad "bulk files"
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM letters WHERE case_id=3")" = 2 ] && ok || bad "bulk stored letters"
else
    bad "lks brieven: $(cat "$T/bulk.err")"
fi
# a sent letter never changes: the database refuses, whatever the client
sqlite3 "$DB" "UPDATE letters SET sha256='x' WHERE case_id=1" 2>/dev/null && bad "a stored letter could be changed" || ok
# new settings do not change a letter that was sent
sqlite3 "$DB" "UPDATE letter_settings SET name='Gemeente Anders' WHERE tenant_id='gm0794'"
"$LKS" brief --db "$DB" --zaak 1 --beschikking 1 | cmp -s - "$OUT/toekenning-werkgever.pdf" && ok || bad "a sent letter changed with the settings"
# title and language
pdfinfo "$OUT/toekenning-werkgever.pdf" | grep -q "^Title: *Besluit: u krijgt loonkostensubsidie" && ok || bad "no title"
grep -aq "/Lang (nl-NL)" "$OUT/toekenning-werkgever.pdf" && ok || bad "no language"
pdfinfo "$OUT/toekenning-werkgever.pdf" 2>&1 | grep -qi "error" && bad "pdfinfo reports an error" || ok
# long words and names stay inside the page margins (every word's box), and are all there
for f in afwijzing-werkgever afwijzing-werknemer toekenning-werkgever; do
    pdftotext -bbox "$OUT/$f.pdf" "$T/$f.html"
    python3 - "$T/$f.html" <<'PY' && ok || bad "$f: a word outside the margins"
import re, sys
h = open(sys.argv[1]).read()
pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', h, re.S)
bad = 0
for w, hh, body in pages:
    for x1, y1, x2, y2, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body):
        if float(x1) < 56 or float(x2) > float(w) - 50 or float(y1) < 40 or float(y2) > float(hh) - 30:
            print("outside:", word[:40], x1, x2, y1, y2); bad += 1
sys.exit(1 if bad else 0)
PY
done
tr -d ' \n' <"$T/afwijzing-werkgever.txt" | grep -qF "$W60" && ok || bad "the 60-character word is not whole in the text"
tr -d ' \n' <"$T/afwijzing-werkgever.txt" | grep -qF "$L200" && ok || bad "the 200-character run is not whole in the text"
tr -d ' \n' <"$T/afwijzing-werkgever.txt" | grep -qF "$LONGNAME" && ok || bad "the long name is not whole in the text"
# scope: an unknown decision and case are refused with a message naming them
"$LKS" brief --db "$DB" --zaak 1 --beschikking 9 >/dev/null 2>"$T/e" && bad "decision 9 exists?" || grep -q "beschikking 9 bestaat niet" "$T/e" && ok || bad "no message for decision 9"
"$LKS" brief --db "$DB" --zaak 99 --beschikking 1 >/dev/null 2>"$T/e" && bad "case 99 exists?" || ok

echo "letters: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

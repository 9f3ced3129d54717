#!/bin/sh
# run.sh — the main job of `make run`: a store with a demo data set and users, and the
# API server on it. Prints the URL and the demo logins, then serves until Ctrl-C.
# `run.sh --alleen-opzetten` only makes the store (tests/readme uses it, with LKS_RUN_DIR).
set -eu
L=${LKS:-build/lks}
DIR=${LKS_RUN_DIR:-build/run}
DB=$DIR/lks.db
LISTEN=${LKS_LISTEN:-127.0.0.1:8080}
PW=demo-wachtwoord-lks
mkdir -p "$DIR"
if [ ! -f "$DB" ]; then
    echo "Opslag aanmaken en vullen met een demo-gegevensset ($DB) ..."
    $L init --db "$DB" >/dev/null
    $L demo --db "$DB" --zaken 300 --gemeenten 3 --seed 1 >/dev/null
    kvk=$(sqlite3 "$DB" "SELECT kvk FROM employers WHERE tenant_id='gm0794' ORDER BY id LIMIT 1")
    for r in klantmanager loonwaardedeskundige beslisser financieel auditor beheerder; do
        echo "$PW" | $L gebruiker --db "$DB" --gemeente gm0794 --naam "$r.helmond" --rol "$r" \
            --volledige-naam "Demo $r Helmond" >/dev/null
    done
    echo "$PW" | $L gebruiker --db "$DB" --gemeente gm0794 --naam werkgever.helmond \
        --rol werkgever --kvk "$kvk" --volledige-naam "Demo werkgever" >/dev/null
    echo "$PW" | $L gebruiker --db "$DB" --gemeente gm1924 --naam klantmanager.goeree \
        --rol klantmanager --volledige-naam "Demo klantmanager Goeree-Overflakkee" >/dev/null
    echo "$PW" | $L gebruiker --db "$DB" --naam applicatiebeheerder --rol applicatiebeheerder \
        --volledige-naam "Demo applicatiebeheerder" >/dev/null
fi
[ "${1:-}" = --alleen-opzetten ] && exit 0
cat <<TXT

lks — loonkostensubsidie
  API:        http://$LISTEN/api/v1   (OpenAPI: http://$LISTEN/api/v1/openapi.json)
  Inloggen:   wachtwoord voor alle demo-gebruikers: $PW
              klantmanager.helmond, loonwaardedeskundige.helmond, beslisser.helmond,
              financieel.helmond, auditor.helmond, beheerder.helmond, werkgever.helmond
              (Helmond, gm0794), klantmanager.goeree (Goeree-Overflakkee, gm1924) en
              applicatiebeheerder (de hele installatie: regels toevoegen)
  Voorbeeld:  curl -c jar -H 'Content-Type: application/json' \\
                -d '{"gebruikersnaam":"klantmanager.helmond","wachtwoord":"$PW"}' \\
                http://$LISTEN/api/v1/sessies
              curl -b jar http://$LISTEN/api/v1/zaken

TXT
exec $L serve --db "$DB" --listen "$LISTEN"

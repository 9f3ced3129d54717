#!/bin/sh
# run.sh — the main job of `make run`: a store with a demo data set and users, and the
# server on it (the desk, the employer portal and the API). Prints their URLs and the demo logins, then serves until Ctrl-C.
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
    # the demo makes the staff of each municipality as users, all with this password
    echo "$PW" | $L demo --db "$DB" --zaken 300 --gemeenten 3 --seed 1 --wachtwoord-invoer \
        --regels-doortrekken >/dev/null
fi
[ "${1:-}" = --alleen-opzetten ] && exit 0
cat <<TXT

lks — loonkostensubsidie
  Balie:      http://$LISTEN/   (de werkvoorraad en de zaken, voor de medewerkers)
  Portaal:    http://$LISTEN/portaal   (voor werkgevers: log in als werkgever.helmond)
  Rekenen:    http://$LISTEN/rekenen   (zonder inloggen)
  API:        http://$LISTEN/api/v1   (OpenAPI: http://$LISTEN/api/v1/openapi.json)
  Inloggen:   wachtwoord voor alle demo-gebruikers: $PW
              klantmanager.helmond (en collega's e.visser.helmond, m.elamrani.helmond),
              loonwaardedeskundige.helmond, beslisser.helmond, financieel.helmond,
              auditor.helmond, beheerder.helmond, werkgever.helmond (Helmond, gm0794);
              dezelfde namen met .goeree (Goeree-Overflakkee) en .arnhem (Arnhem); en
              applicatiebeheerder (de hele installatie: regels toevoegen)
  Voorbeeld:  curl -c jar -H 'Content-Type: application/json' \\
                -d '{"gebruikersnaam":"klantmanager.helmond","wachtwoord":"$PW"}' \\
                http://$LISTEN/api/v1/sessies
              curl -b jar http://$LISTEN/api/v1/zaken

TXT
exec $L serve --db "$DB" --listen "$LISTEN"

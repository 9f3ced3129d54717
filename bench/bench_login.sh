#!/bin/sh
# bench_login.sh — normal requests during a login flood. A server on a fresh store (demo
# data, an API token); bench_login probes GET /api/v1/openapi.json and GET /api/v1/zaken/ID
# (with the token: it waits for its processing-log entry) 100 times a second each, first
# with nothing else going on, then while 16 clients send wrong passwords as fast as they
# are answered, each attempt for a name and from a loopback address of its own (so every
# one is hashed: the worst case). BENCH_ROUNDS (3) rounds of quiet then flood. Goal: the
# p99 of a normal request during the flood under 50 ms, on the median of the rounds.
# LKS=path picks the binary (e.g. an older build to compare). Run from the repository top.
set -eu
L=${LKS:-build/lks}
D=build/bench/login
B=build/bench/bench_login
SECONDS_EACH=${BENCH_SECONDS:-10}
rm -rf "$D"
mkdir -p "$D"
DB=$D/lks.db
$L init --db "$DB" >/dev/null
$L demo --db "$DB" --zaken 200 --gemeenten 1 --seed 9 >/dev/null
echo "bench-wachtwoord-123" | $L gebruiker --db "$DB" --gemeente gm0794 --naam bench.systeem \
    --rol klantmanager >/dev/null
TOKEN=$($L token --db "$DB" --naam bench.systeem --label bench | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
ID=${BENCH_ZAAK:-100}
LP=18191
$L serve --db "$DB" --listen 127.0.0.1:$LP ${BENCH_SERVE_FLAGS:-} >"$D/serve.log" 2>&1 &
SRV=$!
trap 'kill "$SRV" 2>/dev/null || true' EXIT
sleep 0.5
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$LP/api/v1/zaken/$ID"
ROUNDS=${BENCH_ROUNDS:-3}
echo "login flood benchmark ($L): probes 100/s each on GET /openapi.json and GET /zaken/$ID,"
echo "  $ROUNDS rounds of ${SECONDS_EACH} s quiet, then ${SECONDS_EACH} s with 16 clients sending wrong"
echo "  passwords (every attempt checked); latency from when each probe was due"
: >"$D/rounds"
for r in $(seq "$ROUNDS"); do
    echo "  round $r, quiet:"
    $B --port $LP --clients 0 --seconds "$SECONDS_EACH" --token "$TOKEN" --zaak "$ID" | sed 's/^/    /' | tee "$D/quiet.$r"
    echo "  round $r, flood:"
    $B --port $LP --clients 16 --seconds "$SECONDS_EACH" --token "$TOKEN" --zaak "$ID" | sed 's/^/    /' | tee "$D/flood.$r"
    awk '/p99/ { for (i = 1; i <= NF; i++) if ($i == "p99") printf "%s ", $(i + 1) }
         /^ *flood/ { print $5 + 0 }' "$D/flood.$r" >>"$D/rounds"
done
# each line of rounds: p99 openapi, p99 zaken, logins answered per second (401)
awk 'function median(a, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { n++; o[n] = $1; z[n] = $2; l[n] = $3 + 0 }
    END {
        mo = median(o, n); mz = median(z, n); ml = median(l, n)
        printf "  during the flood, median of the rounds: p99 GET /openapi.json %.2f ms, p99 GET /zaken/{id} %.2f ms, %.1f wrong logins answered per second\n", mo, mz, ml
        print "  goal (a normal request p99 < 50 ms during the flood): " ((mo < 50 && mz < 50) ? "met" : "NOT met")
    }' "$D/rounds"

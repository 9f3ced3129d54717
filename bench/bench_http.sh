#!/bin/sh
# bench_http.sh — GET /api/v1/zaken/{id} as a logged-in system (API token), with wrk
# (64 connections, 10 s), and in the same run nginx serving a static file of the same
# size on another loopback port. Goal: lks >= 50% of nginx's rate, p99 < 10 ms, no
# errors, on the medians of BENCH_ROUNDS (5) alternating rounds. Every lks request
# checks the token, scopes the case to the caller, sends it (each server thread renders
# a case once and reuses that while nothing in the store changes) and waits for its
# processing-log entry to be durable (group commit). Run from the repository top.
set -eu
L=${LKS:-build/lks}
D=build/bench/http
rm -rf "$D"
mkdir -p "$D"
DB=$D/lks.db
$L init --db "$DB" >/dev/null
$L demo --db "$DB" --zaken 1000 --gemeenten 1 --seed 9 >/dev/null
echo "bench-wachtwoord-123" | $L gebruiker --db "$DB" --gemeente gm0794 --naam bench.systeem \
    --rol klantmanager >/dev/null
TOKEN=$($L token --db "$DB" --naam bench.systeem --label bench | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
ID=${BENCH_ZAAK:-500}
LP=18181
NP=18182
# wrk opens all its connections from 127.0.0.1: more than the default limit per address
# could allow (a build from before that limit has no such flag)
LIMIT=
$L serve --help | grep -q -- --max-per-client && LIMIT="--max-per-client 256"
$L serve --db "$DB" --listen 127.0.0.1:$LP $LIMIT >"$D/serve.log" 2>&1 &
SRV=$!
NGX=
cleanup() {
    kill "$SRV" 2>/dev/null || true
    [ -n "$NGX" ] && kill "$NGX" 2>/dev/null || true
}
trap cleanup EXIT
sleep 0.5
URL=http://127.0.0.1:$LP/api/v1/zaken/$ID
curl -sf -H "Authorization: Bearer $TOKEN" "$URL" >"$D/zaak.json"
SIZE=$(wc -c <"$D/zaak.json")
mkdir -p "$D/www" "$D/nginx"
cp "$D/zaak.json" "$D/www/zaak.json"
cat >"$D/nginx/nginx.conf" <<NGINX
worker_processes 2;
pid $PWD/$D/nginx/nginx.pid;
error_log $PWD/$D/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $PWD/$D/nginx;
    proxy_temp_path $PWD/$D/nginx;
    fastcgi_temp_path $PWD/$D/nginx;
    uwsgi_temp_path $PWD/$D/nginx;
    scgi_temp_path $PWD/$D/nginx;
    server {
        listen 127.0.0.1:$NP;
        root $PWD/$D/www;
        location / { default_type application/json; }
    }
}
NGINX
nginx -c "$PWD/$D/nginx/nginx.conf" &
NGX=$!
sleep 0.5
run_wrk() { # URL [header]
    if [ $# -gt 1 ]; then
        wrk -t2 -c64 -d10s --latency -H "$2" "$1"
    else
        wrk -t2 -c64 -d10s --latency "$1"
    fi
}
rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
p99() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } print v }'; }
errs() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }'; }
ROUNDS=${BENCH_ROUNDS:-5}
echo "http benchmark: GET /api/v1/zaken/$ID ($SIZE bytes), wrk 2 threads, 64 connections, 10 s;"
echo "  3 s warm-up of each, then $ROUNDS rounds of lks then nginx, verdict on the medians"
echo "  (this machine is shared and noisy)"
# Warm-up, not counted: a server that just started has an empty processing-log WAL that
# grows (and is checkpointed for the first time) during its first seconds; a server in
# service has that behind it.
wrk -t2 -c64 -d3s -H "Authorization: Bearer $TOKEN" "$URL" >/dev/null
wrk -t2 -c64 -d3s "http://127.0.0.1:$NP/zaak.json" >/dev/null
: >"$D/rounds"
for r in $(seq "$ROUNDS"); do
    lo=$(run_wrk "$URL" "Authorization: Bearer $TOKEN")
    no=$(run_wrk "http://127.0.0.1:$NP/zaak.json")
    lr=$(echo "$lo" | rate)
    nr=$(echo "$no" | rate)
    printf '  round %d: lks %9s req/s p99 %6s ms errors %s | nginx %9s req/s p99 %6s ms errors %s | ratio %s\n' \
        "$r" "$lr" "$(echo "$lo" | p99)" "$(echo "$lo" | errs)" "$nr" "$(echo "$no" | p99)" \
        "$(echo "$no" | errs)" "$(awk -v l="$lr" -v n="$nr" 'BEGIN { printf "%.2f", l / n }')"
    echo "$lr $nr $(echo "$lo" | p99) $(echo "$lo" | errs)" >>"$D/rounds"
done
entries=$(sqlite3 "$DB-verwerkingen" "SELECT count(*) FROM processing_log")
echo "  processing-log entries written during the run: $entries"
awk 'function median(a, n,   i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    { n++; ratio[n] = $1 / $2; p[n] = $3; e += $4 }
    END {
        mr = median(ratio, n); mp = median(p, n)
        printf "  median ratio lks / nginx: %.2f   median lks p99: %.2f ms   lks errors: %d\n", mr, mp, e
        print "  goals (>= 0.50 of nginx, p99 < 10 ms, no errors): " ((mr >= 0.5 && mp < 10 && e == 0) ? "met" : "NOT met")
    }' "$D/rounds"

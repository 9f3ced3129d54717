#!/bin/sh
# bench_load.sh — 500 connections for 60 s of logged reads: GET /api/v1/zaken/{id} over the
# 1,000 cases of a demo store, as a system with an API token, on loopback (wrk, 2
# threads, bench/load.lua). Every answer waits for its processing-log entry to be durable.
# Goal: no answer later than 1 s — wrk runs with --timeout 1s and counts every request
# without an answer by then as a timeout; the goal is met with no timeout, no error, no
# answer other than 200, and a slowest answer under a second. Also reported: the rate,
# p50/p99 and the server's RSS before and after. BENCH_LOAD_SECS and BENCH_LOAD_CONNS
# change the run. Run from the repository top; figures go to docs/performance.md.
set -eu
L=${LKS:-build/lks}
SECS=${BENCH_LOAD_SECS:-60}
CONNS=${BENCH_LOAD_CONNS:-500}
D=build/bench/load
rm -rf "$D"
mkdir -p "$D"
DB=$D/lks.db
$L init --db "$DB" >/dev/null
$L demo --db "$DB" --zaken 1000 --gemeenten 1 --seed 9 >/dev/null
echo "bench-wachtwoord-123" | $L gebruiker --db "$DB" --gemeente gm0794 --naam bench.systeem \
    --rol klantmanager >/dev/null
TOKEN=$($L token --db "$DB" --naam bench.systeem --label bench | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
PORT=18183
# every connection comes from 127.0.0.1: the limit per client address must allow them all
# (a build from before that limit has no such flag)
LIMIT=
$L serve --help | grep -q -- --max-per-client && LIMIT="--max-per-client $((CONNS + 64))"
$L serve --db "$DB" --listen 127.0.0.1:$PORT $LIMIT >"$D/serve.out" 2>"$D/serve.err" &
SRV=$!
trap 'kill "$SRV" 2>/dev/null || true' EXIT
sleep 0.5
URL=http://127.0.0.1:$PORT
curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$URL/api/v1/zaken/1"
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$SRV/status"; }
ulimit -n 4096 2>/dev/null || true
echo "load benchmark: GET /api/v1/zaken/{id} (1,000 cases), $CONNS connections, ${SECS} s, wrk 2 threads,"
echo "  --timeout 1s (a request without an answer after a second counts as a timeout)"
rss0=$(rss)
# warm-up, not counted: the processing log's WAL grows and is checkpointed the first time
wrk -t2 -c"$CONNS" -d5s --timeout 1s -s bench/load.lua -H "Authorization: Bearer $TOKEN" "$URL" \
    >/dev/null
rss1=$(rss)
wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 1s --latency -s bench/load.lua \
    -H "Authorization: Bearer $TOKEN" "$URL" >"$D/wrk.out"
rss2=$(rss)
cat "$D/wrk.out" | sed 's/^/  /'
ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /m$/) { sub(/m/, "", v); v *= 60000 } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.2f", v }'; }
p50=$(ms "$(awk '$1 == "50%" { print $2 }' "$D/wrk.out")")
p99=$(ms "$(awk '$1 == "99%" { print $2 }' "$D/wrk.out")")
max=$(ms "$(awk '$1 == "Latency" { print $4; exit }' "$D/wrk.out")")
rate=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$D/wrk.out")
timeouts=$(awk '/Socket errors:/ { gsub(/,/, ""); print $NF; f = 1 } END { if (!f) print 0 }' "$D/wrk.out")
errors=$(awk '/Socket errors:/ { gsub(/,/, ""); n = $4 + $6 + $8 } END { print n + 0 }' "$D/wrk.out")
non2xx=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } END { print n + 0 }' "$D/wrk.out")
entries=$(sqlite3 "$DB-verwerkingen" "SELECT count(*) FROM processing_log")
echo "  rate $rate /s, p50 $p50 ms, p99 $p99 ms, slowest $max ms; timeouts (> 1 s) $timeouts,"
echo "  socket errors $errors, answers other than 2xx $non2xx; processing-log entries $entries"
echo "  server RSS: $rss0 KiB at start, $rss1 KiB after the warm-up, $rss2 KiB at the end"
# apart from the warning at start when the rule tables run out, the server says nothing
if grep -v '^lks: waarschuwing:' "$D/serve.err" | grep -q .; then
    echo "  the server's standard error:"
    grep -v '^lks: waarschuwing:' "$D/serve.err" | sed 's/^/    /' | head -n 20
fi
if [ "$timeouts" -eq 0 ] && [ "$errors" -eq 0 ] && [ "$non2xx" -eq 0 ] &&
    awk -v m="$max" 'BEGIN { exit !(m < 1000) }'; then
    echo "  goal (no answer later than 1 s): met"
else
    echo "  goal (no answer later than 1 s): NOT met"
fi

#!/bin/sh
# bench_store.sh — the case store, as an operator and a case worker meet it:
#   1. lks demo --zaken 10000 into a fresh SQLite file (goal: < 10 s), then
#      lks controleer on it (every case rebuilt from its events);
#   2. lks zaak toon for 300 different cases, each a whole command (process start,
#      open, read, render), timed by bench/bench_toon.c around fork/wait only:
#      mean and 95th percentile, next to `lks --version` as the floor. Figures only:
#      the 5 ms goal it once had is withdrawn (docs/performance.md).
# Run from the repository top: sh bench/bench_store.sh
set -eu
L=${LKS:-build/lks}
DB=build/bench/demo.db
mkdir -p build/bench
rm -f "$DB" "$DB-wal" "$DB-shm"
echo "lks store benchmark"
demo=$("$L" demo --db "$DB" --zaken 10000 --gemeenten 3 --seed 1)
echo "  demo:       $demo"
t0=$(date +%s%N)
check=$("$L" controleer --db "$DB")
t1=$(date +%s%N)
echo "  controleer: $check in $(( (t1 - t0) / 1000000 )) ms"
cc -O2 -Wall -Werror -o build/bench/bench_toon bench/bench_toon.c
toon=$(build/bench/bench_toon "$L" "$DB" 300 10000)
echo "$toon"
secs=$(echo "$demo" | sed -n 's/.*"seconden":\([0-9.]*\).*/\1/p')
ok=$(awk -v s="$secs" 'BEGIN { print (s < 10) ? "met" : "NOT met" }')
echo "  goal (demo 10000 < 10 s): $ok"

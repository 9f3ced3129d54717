#!/bin/sh
# bench_letters.sh — the decision letters (issue 11):
#   1. one letter: `lks brief` of a decision whose letter is not stored yet (a whole
#      process: start, dlopen of build/liblks_pdf.so, font set-up, build, render, store),
#      20 different cases, mean wall time; and the per-letter time inside the bulk run
#      below (in-process: case read, fold, build, render; the renderer already loaded);
#   2. the bulk: `lks brieven --soort herziening --datum <next 1 January>` for every
#      running grant of the largest municipality of a demo store of 10,000 cases, on one
#      core (lks is single-threaded), letters per second. Goals: one letter < 20 ms in
#      process, the bulk >= 200 letters/s.
# Run from the repository top: sh bench/bench_letters.sh
set -eu
L=${LKS:-build/lks}
DB=build/bench/letters.db
OUT=build/bench/letters
mkdir -p build/bench
rm -rf "$DB" "$DB-wal" "$DB-shm" "$DB-verwerkingen" "$OUT"
echo "lks letters benchmark"
echo bench-wachtwoord | "$L" demo --db "$DB" --zaken 10000 --gemeenten 3 --seed 1 \
    --regels-doortrekken --wachtwoord-invoer >/dev/null
# the demo stores no letters (letters_lazy): each first fetch makes one
ids=$(sqlite3 "$DB" "SELECT c.id FROM cases c WHERE c.tenant_id='gm0794' AND c.status='lopend' ORDER BY c.id LIMIT 20")
n=0
t0=$(date +%s%N)
for id in $ids; do
    "$L" brief --db "$DB" --zaak "$id" --beschikking 1 >/dev/null
    n=$((n + 1))
done
t1=$(date +%s%N)
echo "  one letter (lks brief, a new process, made and stored): $n letters, mean $(( (t1 - t0) / n / 1000 )) µs"
year=$(( $(date +%Y) + 1 ))
t0=$(date +%s%N)
res=$(taskset -c 0 "$L" brieven --db "$DB" --gemeente gm0794 --soort herziening --datum "$year-01-01" --map "$OUT")
t1=$(date +%s%N)
made=$(echo "$res" | sed -n 's/^\([0-9]*\) brieven.*/\1/p')
ms=$(( (t1 - t0) / 1000000 ))
echo "  bulk: $res"
awk -v n="$made" -v ms="$ms" 'BEGIN {
    r = n / (ms / 1000.0); per = ms / n
    printf "  bulk: %d letters in %d ms on one core: %.0f letters/s, %.2f ms per letter in process\n", n, ms, r, per
    printf "  goals: one letter < 20 ms in process: %s; bulk >= 200 letters/s: %s\n", (per < 20) ? "met" : "NOT met", (r >= 200) ? "met" : "NOT met"
}'

#!/bin/sh
# bench_pages_ab.sh — two or more lks binaries side by side on the same pages: one demo
# store of BENCH_ZAKEN (10,000) cases made by the first binary, a copy per binary (each
# upgraded by its own `lks init`), one server per binary, a klantmanager of gm0794 logged
# in on each; then BENCH_ROUNDS (5) rounds, each running bench_pages (BENCH_N requests
# after a warm-up, one keep-alive connection) on every binary in turn for every page, so
# that the machine's noise falls on all of them alike. Prints each run's line and, per
# page and binary, the median over the rounds of the server time's median and p99.
#
#   sh bench/bench_pages_ab.sh NAME=BINARY NAME=BINARY ...
#
# Run from the repository top after `make -C bench ../build/bench/bench_pages`.
set -eu
B=build/bench/bench_pages
D=build/bench/pages-ab
N=${BENCH_N:-1000}
ZAKEN=${BENCH_ZAKEN:-10000}
ROUNDS=${BENCH_ROUNDS:-5}
PW=bench-wachtwoord-123
[ $# -ge 1 ] || { echo "gebruik: bench_pages_ab.sh NAAM=LKS ..." >&2; exit 2; }
rm -rf "$D"
mkdir -p "$D"
FIRST=${1#*=}
$FIRST init --db "$D/base.db" >/dev/null
echo "$PW" | $FIRST demo --db "$D/base.db" --zaken "$ZAKEN" --gemeenten 3 --seed 1 --wachtwoord-invoer >/dev/null
PIDS=
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
port=18400
for nb in "$@"; do
    name=${nb%%=*}
    bin=${nb#*=}
    port=$((port + 1))
    cp "$D/base.db" "$D/$name.db"
    $bin init --db "$D/$name.db" >/dev/null
    $bin serve --db "$D/$name.db" --listen 127.0.0.1:$port >"$D/$name.log" 2>&1 &
    PIDS="$PIDS $!"
    U=http://127.0.0.1:$port
    for _ in $(seq 100); do curl -sf -o /dev/null "$U/inloggen" && break; sleep 0.1; done
    JAR=$D/$name.jar
    FORM=$(curl -sf -c "$JAR" "$U/inloggen")
    INLOG=$(echo "$FORM" | sed -n 's/.*name="_inlog" value="\([^"]*\)".*/\1/p')
    curl -sf -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "_inlog=$INLOG" \
        --data-urlencode gebruikersnaam=klantmanager.helmond --data-urlencode "wachtwoord=$PW" \
        "$U/inloggen"
    echo "$port lks_sessie=$(awk '$6 == "lks_sessie" { print $7 }' "$JAR")" >"$D/$name.conn"
done
sqlite3 "$D/base.db" "SELECT '/zaken/' || id FROM cases WHERE tenant_id='gm0794' ORDER BY id" |
    awk '{ a[NR] = $0 } END { s = NR / 500; if (s < 1) s = 1; for (i = 1; i <= NR; i += s) print a[int(i)] }' >"$D/zaken.paths"
echo /werkvoorraad >"$D/werk.paths"
echo '/werkvoorraad?van=&status=lopend' >"$D/werk-filter.paths"
echo "pages side by side: $ZAKEN cases, $ROUNDS rounds of $N requests per page and binary"
: >"$D/results"
for r in $(seq "$ROUNDS"); do
    for page in werk werk-filter zaken; do
        for nb in "$@"; do
            name=${nb%%=*}
            read -r port cookie <"$D/$name.conn"
            out=$($B --port "$port" --cookie "$cookie" --paths "$D/$page.paths" --n "$N" --warmup 100 --name "$name $page")
            echo "  round $r: $out"
            echo "$out" | sed -n "s/.*server median \([0-9.]*\) ms p99 \([0-9.]*\) ms.*/$page $name \1 \2/p" >>"$D/results"
        done
    done
done
echo "medians over the rounds (server time, ms):"
sort -k1,1 -k2,2 "$D/results" | awk 'function med(s,   n, a, i, j, t) {
        n = split(s, a, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { k = $1 " " $2; m[k] = m[k] " " $3; p[k] = p[k] " " $4; if (!(k in seen)) { seen[k] = 1; order[++nk] = k } }
    END { for (i = 1; i <= nk; i++) printf "  %-28s median %.3f  p99 %.3f\n", order[i], med(m[order[i]]), med(p[order[i]]) }'

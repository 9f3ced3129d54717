#!/bin/sh
# bench_pages.sh — the pages at 10,000 cases: the server time (Server-Timing, set by the
# router) and the round trip of the work list and the case page, and in the same run the
# rate of lks against nginx serving the same bytes.
#
# A demo store of BENCH_ZAKEN (10,000) cases in 3 municipalities with its users; lks serve
# on loopback; a klantmanager logs in through the login page (its form token and cookie,
# then the session cookie). Then bench_pages (one keep-alive connection, one request after
# the other, BENCH_N (2,000) counted after a warm-up) on: the first page of the work list
# (the default: "mine", with a deadline), the work list filtered (everyone's, status
# lopend), and the case page over a spread of the municipality's cases. Goal: a median
# server time under 2 ms per page. Then one work-list page and one case page are saved and
# nginx serves their bytes on another loopback port; wrk (2 threads, 16 connections, 5 s)
# alternates lks and nginx for BENCH_ROUNDS (3) rounds per page; the ratio is on the
# medians. Every lks request checks the session, scopes to the municipality and waits for
# its processing-log entry to be durable. Run from the repository top.
set -eu
L=${LKS:-build/lks}
B=build/bench/bench_pages
D=build/bench/pages
N=${BENCH_N:-2000}
ZAKEN=${BENCH_ZAKEN:-10000}
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-5}
PW=bench-wachtwoord-123
DB=$D/lks.db
rm -rf "$D"
mkdir -p "$D"
$L init --db "$DB" >/dev/null
echo "$PW" | $L demo --db "$DB" --zaken "$ZAKEN" --gemeenten 3 --seed 1 --wachtwoord-invoer >/dev/null
LP=18211
NP=18212
LIMIT=
$L serve --help | grep -q -- --max-per-client && LIMIT="--max-per-client 64"
$L serve --db "$DB" --listen 127.0.0.1:$LP $LIMIT >"$D/serve.log" 2>&1 &
SRV=$!
NGX=
cleanup() {
    kill "$SRV" 2>/dev/null || true
    [ -n "$NGX" ] && kill "$NGX" 2>/dev/null || true
}
trap cleanup EXIT
U=http://127.0.0.1:$LP
for _ in $(seq 50); do curl -sf -o /dev/null "$U/inloggen" && break; sleep 0.1; done

# log in as a browser does: the form's token with its cookie, then the session cookie
JAR=$D/jar
rm -f "$JAR"
FORM=$(curl -sf -c "$JAR" "$U/inloggen")
INLOG=$(echo "$FORM" | sed -n 's/.*name="_inlog" value="\([^"]*\)".*/\1/p')
curl -sf -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "_inlog=$INLOG" \
    --data-urlencode gebruikersnaam=klantmanager.helmond --data-urlencode "wachtwoord=$PW" \
    "$U/inloggen"
SESSIE=$(awk '$6 == "lks_sessie" { print $7 }' "$JAR")
[ -n "$SESSIE" ] || { echo "bench_pages: login failed" >&2; exit 1; }
COOKIE="lks_sessie=$SESSIE"

# the municipality's cases (gm0794: every third id), 500 of them spread over all ids
sqlite3 "$DB" "SELECT '/zaken/' || id FROM cases WHERE tenant_id='gm0794' ORDER BY id" |
    awk '{ a[NR] = $0 } END { s = NR / 500; if (s < 1) s = 1; for (i = 1; i <= NR; i += s) print a[int(i)] }' >"$D/zaken.paths"
echo /werkvoorraad >"$D/werk.paths"
echo '/werkvoorraad?van=&status=lopend' >"$D/werk-filter.paths"
ONE=$(sed -n 250p "$D/zaken.paths")

echo "pages benchmark: $ZAKEN cases (3 municipalities), klantmanager of gm0794 logged in by the"
echo "  login page; one keep-alive connection, $N requests each after a warm-up; server time ="
echo "  the Server-Timing header (dispatch to response ready), round trip = client, incl. the"
echo "  processing log's commit; this machine is shared and noisy"
: >"$D/medians"
series() { # NAME PATHS
    out=$($B --port $LP --cookie "$COOKIE" --paths "$2" --n "$N" --warmup 200 --name "$1")
    echo "  $out"
    echo "$out" | sed -n 's/.*server median \([0-9.]*\) ms.*/\1/p' >>"$D/medians"
}
series "werkvoorraad (first page)" "$D/werk.paths"
series "werkvoorraad (status lopend, everyone's)" "$D/werk-filter.paths"
series "zaak page ($(wc -l <"$D/zaken.paths") cases)" "$D/zaken.paths"
awk '{ if ($1 > m) m = $1 } END {
    printf "  slowest median server time: %.3f ms; goal (median < 2 ms per page): %s\n", m, m < 2 ? "met" : "NOT met" }' "$D/medians"

# the same bytes from nginx
mkdir -p "$D/www" "$D/nginx"
curl -sf -b "$COOKIE" -o "$D/www/werkvoorraad.html" "$U/werkvoorraad"
curl -sf -b "$COOKIE" -o "$D/www/zaak.html" "$U$ONE"
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
        location / { default_type text/html; }
    }
}
NGINX
nginx -c "$PWD/$D/nginx/nginx.conf" &
NGX=$!
sleep 0.5
rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
errs() { awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }'; }
echo "  rates: wrk 2 threads, 16 connections, $SECS s; $ROUNDS rounds of lks then nginx per page"
for page in werkvoorraad zaak; do
    if [ $page = werkvoorraad ]; then LURL=$U/werkvoorraad; else LURL=$U$ONE; fi
    NURL=http://127.0.0.1:$NP/$page.html
    SIZE=$(wc -c <"$D/www/$page.html")
    wrk -t2 -c16 -d2s -H "Cookie: $COOKIE" "$LURL" >/dev/null
    wrk -t2 -c16 -d2s "$NURL" >/dev/null
    : >"$D/rounds.$page"
    for r in $(seq "$ROUNDS"); do
        lo=$(wrk -t2 -c16 -d"${SECS}s" -H "Cookie: $COOKIE" "$LURL" | tee "$D/wrk.$page.$r.lks")
        no=$(wrk -t2 -c16 -d"${SECS}s" "$NURL" | tee "$D/wrk.$page.$r.nginx")
        lr=$(echo "$lo" | rate)
        nr=$(echo "$no" | rate)
        le=$(echo "$lo" | errs)
        printf '  %s (%s bytes) round %d: lks %9s req/s errors %s | nginx %9s req/s errors %s | ratio %s\n' \
            "$page" "$SIZE" "$r" "$lr" "$le" "$nr" "$(echo "$no" | errs)" \
            "$(awk -v l="$lr" -v n="$nr" 'BEGIN { printf "%.4f", l / n }')"
        # what kind of error (a timeout is an answer later than wrk's 2 s)
        [ "$le" = 0 ] || grep -E 'Socket errors|Non-2xx' "$D/wrk.$page.$r.lks" | sed 's/^ */    lks: /'
        echo "$lr $nr $le" >>"$D/rounds.$page"
    done
    awk -v page="$page" 'function median(a, n,   i, j, t) {
            for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        { n++; l[n] = $1; g[n] = $2; r[n] = $1 / $2; e += $3 }
        END { printf "  %s: median lks %.0f req/s, nginx %.0f req/s, ratio %.4f (1 : %.0f), lks errors %d\n",
              page, median(l, n), median(g, n), median(r, n), 1 / median(r, n), e }' "$D/rounds.$page"
done

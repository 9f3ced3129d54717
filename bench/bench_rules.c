/*
 * bench_rules — how fast the LKS rule runs, side by side with a peer.
 *
 * Makes N varied inputs (deterministic), computes them once to get the
 * expected totals ('-' for an input the rules refuse: a flat rate before
 * 2016-07-04, or no sector hours where they count), writes both for the peer
 * (the same rules in publicodes, evaluated by Node: bench/publicodes/run.mjs),
 * and then times, in one run:
 *   C pass 1 — peer — C pass 2
 * so the machine's noise hits both sides alike. Prints the rates and their
 * ratio, and whether the peer agreed on every total. Single-threaded: both
 * sides use one core.
 *
 * Then the amount for a month (rules/pay.c): ns per pay_month for a whole month (one
 * part) and for a month split by a new decision on the 16th (two parts, two LKS runs).
 *
 * Usage: bench_rules [--n N] [--peer-n M] [--out DIR] [--no-peer]
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/money.h"
#include "rules/lks.h"
#include "rules/pay.h"

static uint64_t rnd(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Time `passes` passes over all inputs; returns computations per second. */
static double time_c(const struct rules *r, const struct lks_input *in, size_t n, int passes,
                     int64_t *checksum)
{
    struct lks_result res;
    struct lks_err e;
    int64_t sum = 0;
    double t0 = now();
    for (int p = 0; p < passes; p++)
        for (size_t i = 0; i < n; i++) {
            if (lks_compute(r, &in[i], &res, &e) == 0)
                sum += res.total;
        }
    double dt = now() - t0;
    *checksum = sum;
    return (double)n * passes / dt;
}

/* ns per pay_month of `month` for grant g, over `n` calls; *sum collects the amounts. */
static double time_pay(const struct rules *r, const struct pay_grant *g, lks_date month, size_t n,
                       int *nparts, int64_t *sum)
{
    static struct pay_month m;
    struct lks_err e;
    int64_t s = 0;
    double t0 = now();
    for (size_t i = 0; i < n; i++)
        if (pay_month(r, g, month, &m, &e) == 0)
            s += m.amount;
    double dt = now() - t0;
    *nparts = m.nparts;
    *sum = s;
    return dt * 1e9 / (double)n;
}

static void bench_pay(const struct rules *r, size_t n)
{
    struct pay_grant g = {0};
    g.job_start = date_from_ymd(2026, 1, 1);
    g.job_end = LKS_NO_DATE;
    g.birth = LKS_NO_DATE;
    g.fulltime = 3600;
    g.nperiods = 2;
    g.period[0] = (struct pay_period){date_from_ymd(2026, 1, 1),
                                      date_from_ymd(2026, 4, 15),
                                      date_from_ymd(2026, 1, 1),
                                      6000,
                                      3200,
                                      0};
    g.period[1] = (struct pay_period){
        date_from_ymd(2026, 4, 16), LKS_NO_DATE, date_from_ymd(2026, 4, 16), 5000, 3200, 1};
    int p1, p2;
    int64_t s1, s2;
    time_pay(r, &g, date_from_ymd(2026, 3, 1), n / 10, &p1, &s1); /* warm-up */
    double whole = time_pay(r, &g, date_from_ymd(2026, 3, 1), n, &p1, &s1);
    double split = time_pay(r, &g, date_from_ymd(2026, 4, 1), n, &p2, &s2);
    printf("  pay_month whole month %8.0f ns (%d part);  split month %8.0f ns (%d parts); "
           "checksum %lld\n",
           whole, p1, split, p2, (long long)(s1 + s2));
}

int main(int argc, char **argv)
{
    size_t n = 1000000, peer_n = 0;
    const char *dir = "build/bench";
    int peer = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--n") && i + 1 < argc)
            n = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--peer-n") && i + 1 < argc)
            peer_n = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--no-peer"))
            peer = 0;
        else {
            fprintf(stderr, "usage: bench_rules [--n N] [--peer-n M] [--out DIR] [--no-peer]\n");
            return 2;
        }
    }
    if (!peer_n || peer_n > n)
        peer_n = n;
    struct rules *r = malloc(sizeof *r);
    struct lks_err e = {0};
    if (!r || rules_load_builtin(r, &e)) {
        fprintf(stderr, "rules: %s\n", e.msg);
        return 1;
    }
    struct lks_input *in = malloc(n * sizeof *in);
    if (!in)
        return 1;
    uint64_t seed = 0x1b5c0ffee;
    lks_date lo = date_from_ymd(2015, 1, 1), hi = r->until;
    for (size_t i = 0; i < n; i++) {
        in[i].peildatum = lo + (lks_date)(rnd(&seed) % (uint64_t)(hi - lo + 1));
        in[i].loonwaarde = (int32_t)(rnd(&seed) % 10001);
        in[i].hours = 400 + (int32_t)(rnd(&seed) % 3601);
        /* one in eight without the sector's hours (0 = not known) */
        in[i].fulltime = rnd(&seed) % 8 == 0 ? 0 : 3200 + (int32_t)(rnd(&seed) % 801);
        in[i].age = rnd(&seed) % 5 == 0 ? 15 + (int32_t)(rnd(&seed) % 10) : LKS_AGE_ADULT;
        in[i].forfait = rnd(&seed) % 10 == 0;
    }

    /* inputs and expected totals for the peer */
    char ipath[512], epath[512];
    snprintf(ipath, sizeof ipath, "%s/inputs.tsv", dir);
    snprintf(epath, sizeof epath, "%s/expected.txt", dir);
    FILE *fi = fopen(ipath, "w"), *fe = fopen(epath, "w");
    if (!fi || !fe) {
        fprintf(stderr, "cannot write %s\n", dir);
        return 1;
    }
    fputs("peildatum\tloonwaarde\turen\tvoltijduren\tleeftijd\tforfaitair\n", fi);
    size_t refused = 0;
    for (size_t i = 0; i < n; i++) {
        struct lks_result res;
        int rc = lks_compute(r, &in[i], &res, &e);
        /* the only refusals these inputs can meet; the peer must refuse them too */
        if (rc && !(rc == LKS_EINVAL && (!strcmp(e.field, "forfaitair") ||
                                         (!strcmp(e.field, "voltijduren") &&
                                          !strcmp(e.reason, "required"))))) {
            fprintf(stderr, "input %zu: %s: %s\n", i, e.field, e.msg);
            return 1;
        }
        refused += rc != 0;
        char d[DATE_FMT_MAX], a[MONEY_FMT_MAX], b[MONEY_FMT_MAX], c[MONEY_FMT_MAX];
        fprintf(fi, "%s\t%s\t%s\t%s\t", date_fmt(d, in[i].peildatum),
                money_fmt_short(a, in[i].loonwaarde, 2, 0), money_fmt_short(b, in[i].hours, 2, 0),
                in[i].fulltime ? money_fmt_short(c, in[i].fulltime, 2, 0) : "");
        if (in[i].age != LKS_AGE_ADULT)
            fprintf(fi, "%d", in[i].age);
        fprintf(fi, "\t%d\n", in[i].forfait ? 1 : 0);
        if (rc)
            fprintf(fe, "-\n");
        else
            fprintf(fe, "%lld\n", (long long)res.total);
    }
    fclose(fi);
    fclose(fe);

    int64_t ck1, ck2;
    time_c(r, in, n, 1, &ck1); /* warm-up */
    double c1 = time_c(r, in, n, 10, &ck1);

    double prate = 0;
    long long mism = -1, pn = 0;
    char pver[64] = "?";
    if (peer) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "node bench/publicodes/run.mjs %s %s %zu", ipath, epath,
                 peer_n);
        FILE *p = popen(cmd, "r");
        char line[4096] = "";
        if (!p || !fgets(line, sizeof line, p)) {
            fprintf(stderr, "peer did not answer (%s)\n", cmd);
            return 1;
        }
        pclose(p);
        json_error_t je;
        json_t *j = json_loads(line, 0, &je);
        if (!j) {
            fprintf(stderr, "peer output is not JSON: %s\n", line);
            return 1;
        }
        prate = json_number_value(json_object_get(j, "perSecond"));
        mism = (long long)json_integer_value(json_object_get(j, "mismatches"));
        pn = (long long)json_integer_value(json_object_get(j, "n"));
        snprintf(pver, sizeof pver, "%s", json_string_value(json_object_get(j, "version")));
        json_decref(j);
    }
    double c2 = time_c(r, in, n, 10, &ck2);
    double c = c1 < c2 ? c1 : c2; /* the slower of the two C passes: conservative */

    printf("lks rules benchmark: %zu varied inputs (2015-01-01 .. table end), one core; "
           "%zu refused\n",
           n, refused);
    printf("  C engine          %12.0f LKS month computations/s  (passes: %.0f and %.0f/s)\n", c,
           c1, c2);
    if (peer) {
        printf("  publicodes %-6s %12.0f evaluations/s  (%lld inputs, %lld totals differ)\n",
               pver, prate, pn, mism);
        printf("  ratio C / publicodes: %.0fx\n", prate > 0 ? c / prate : 0);
    }
    printf("  checksum %lld\n", (long long)ck1);
    bench_pay(r, n);
    int ok = ck1 == ck2 && c >= 10e6 && (!peer || (mism == 0 && c / prate >= 1000));
    printf("  goals (>= 10,000,000/s; >= 1000x the peer; peer agrees): %s\n",
           ok ? "met" : "NOT met");
    free(in);
    free(r);
    return 0;
}

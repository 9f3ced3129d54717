/*
 * bench_sepa — how fast the pain.001.001.09 writer makes a file of 100,000 transfers
 * (SEPA_MAX_TX, one file's most), over two execution dates. Prints the best of R runs
 * in ms and the file's size in MB. Single-threaded.
 *
 * Usage: bench_sepa [--runs R]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pay/sepa.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int runs = argc > 2 && strcmp(argv[1], "--runs") == 0 ? (int)strtol(argv[2], NULL, 10) : 5;
    size_t n = SEPA_MAX_TX;
    struct sepa_tx *tx = calloc(n, sizeof *tx);
    if (!tx)
        return 1;
    lks_date d = date_from_ymd(2026, 12, 24);
    for (size_t i = 0; i < n; i++) {
        struct sepa_tx *t = &tx[i];
        snprintf(t->end_to_end, sizeof t->end_to_end, "LKS-0363-%07zu-202612", i);
        t->amount = 50000 + (int64_t)(i % 150000);
        t->execution = i < n / 2 ? d : d + 1;
        snprintf(t->creditor.name, sizeof t->creditor.name, "Werkgever %zu B.V.", i);
        snprintf(t->creditor.iban, sizeof t->creditor.iban, "NL91ABNA0417164300");
        snprintf(t->creditor.street, sizeof t->creditor.street, "Hoofdstraat %zu", i % 300);
        snprintf(t->creditor.postcode, sizeof t->creditor.postcode, "1234 AB");
        snprintf(t->creditor.town, sizeof t->creditor.town, "'s-Hertogenbosch");
        snprintf(t->creditor.country, sizeof t->creditor.country, "NL");
        snprintf(t->remittance, sizeof t->remittance,
                 "Loonkostensubsidie december 2026 besluit LKS-2026-%06zu-B2", i);
    }
    struct sepa_file f = {.created = 1796212800, .tx = tx, .ntx = n};
    snprintf(f.msg_id, sizeof f.msg_id, "LKS-0363-2026-12-1");
    snprintf(f.debtor.name, sizeof f.debtor.name, "Gemeente 's-Hertogenbosch");
    snprintf(f.debtor.iban, sizeof f.debtor.iban, "NL91ABNA0417164300");
    snprintf(f.debtor.bic, sizeof f.debtor.bic, "ABNANL2A");
    snprintf(f.debtor.town, sizeof f.debtor.town, "'s-Hertogenbosch");
    snprintf(f.debtor.country, sizeof f.debtor.country, "NL");
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
        buf_reset(&b);
        struct lks_err err = {0};
        double t0 = now();
        if (sepa_pain001(&f, &b, &err)) {
            fprintf(stderr, "bench_sepa: %s %s\n", err.field, err.msg);
            return 1;
        }
        double ms = (now() - t0) * 1e3;
        if (ms < best)
            best = ms;
    }
    printf("sepa pain.001: %zu transfers, best of %d: %.1f ms, %.1f MB (%.0f tx/s)\n", n, runs,
           best, (double)b.len / 1e6, (double)n / (best / 1e3));
    buf_free(&b);
    free(tx);
    return 0;
}

/*
 * fuzz_camt — the bank-answer readers (src/pay/camt.c) under arbitrary bytes.
 *
 * Each input goes to sepa_read_camt053 and sepa_read_pain002. Checked: no crash or leak
 * (the sanitizers), an answer of 0 or LKS_EINVAL, every reported status with an
 * end-to-end id that is NUL-terminated within its field and non-negative amount.
 *
 * Builds:
 *   libFuzzer:  clang -std=c17 -D_GNU_SOURCE -Isrc -I/usr/include/libxml2 -g -O1 \
 *                 -fsanitize=fuzzer,address,undefined tests/fuzz/fuzz_camt.c src/pay/camt.c \
 *                 src/base/err.c src/base/date.c -lxml2 -o build/fuzz/fuzz_camt
 *               build/fuzz/fuzz_camt -max_total_time=60 tests/data
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pay/sepa.h"

static int check(void *arg, const struct sepa_status *st)
{
    (void)arg;
    if (memchr(st->end_to_end, 0, sizeof st->end_to_end) == NULL || st->amount < 0 ||
        memchr(st->reason, 0, sizeof st->reason) == NULL)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lks_err err = {0};
    int rc = sepa_read_camt053((const char *)data, size, check, NULL, &err);
    if (rc != 0 && rc != LKS_EINVAL)
        abort();
    rc = sepa_read_pain002((const char *)data, size, check, NULL, &err);
    if (rc != 0 && rc != LKS_EINVAL)
        abort();
    return 0;
}

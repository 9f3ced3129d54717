/*
 * testutil — shared helpers for the cmocka unit tests.
 *
 * Test data from the shared folder is found through the LKS_SHARED environment
 * variable (set by `make test`; default ../shared). Helpers here read whole
 * files; the tests read the vectors rather than copying numbers.
 */
#ifndef LKS_TESTUTIL_H
#define LKS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/date.h"
#include "base/tsv.h"

/* Path of a file under the shared folder, e.g. shared_path(buf, "vectors/x.tsv"). */
static inline const char *shared_path(char *buf, size_t n, const char *rel)
{
    const char *root = getenv("LKS_SHARED");
    snprintf(buf, n, "%s/%s", root && *root ? root : "../shared", rel);
    return buf;
}

/* Read a file of the shared folder; fails the test when it cannot be read. */
static inline char *shared_slurp(const char *rel)
{
    char path[512];
    struct lks_err err = {0};
    char *buf = tsv_slurp(shared_path(path, sizeof path, rel), 1 << 22, &err);
    if (!buf)
        fail_msg("cannot read %s: %s", path, err.msg);
    return buf;
}

/* Read a file relative to the repository (tests run from its top). */
static inline char *repo_slurp(const char *rel)
{
    struct lks_err err = {0};
    char *buf = tsv_slurp(rel, 1 << 22, &err);
    if (!buf)
        fail_msg("cannot read %s: %s", rel, err.msg);
    return buf;
}

/* A date from ISO text; fails the test on bad text. */
static inline lks_date test_date(const char *s)
{
    lks_date t = 0;
    struct lks_err err = {0};
    if (date_parse(&t, s, "test", &err) != 0)
        fail_msg("bad date in test: %s", s);
    return t;
}

/* Assert a date equals ISO text (the message shows both as dates). */
static inline void test_assert_date(lks_date got, const char *want)
{
    char buf[DATE_FMT_MAX];
    assert_string_equal(date_fmt(buf, got), want);
}

/* A small deterministic PRNG (xorshift64*) for property tests. */
static inline uint64_t test_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ULL;
}

#endif

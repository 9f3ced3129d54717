/*
 * test_money — fixed-point parsing, printing and the half-up ratio.
 *
 * Parsing is checked value by value and fault by fault (the reason string and
 * the field name are part of the contract, the CLI and the API show them).
 * money_mul_div is checked on hand-made cases for both the 64-bit and the
 * 128-bit path, and by properties over random inputs against independent
 * formulations of "round half away from zero".
 */
#include "testutil.h"

#include "base/money.h"

/* Parse s with `decimals`; the call must succeed and give want. */
static void expect_parse(const char *s, int decimals, int64_t want)
{
    int64_t got = -777;
    struct lks_err err = {0};
    int rc = money_parse_fixed(&got, s, decimals, "bedrag", &err);
    if (rc != 0)
        fail_msg("'%s' (%d decimals): rc %d, reason %s", s, decimals, rc, err.reason);
    if (got != want)
        fail_msg("'%s' (%d decimals): got %lld, want %lld", s, decimals, (long long)got,
                 (long long)want);
}

/* Parse s; the call must fail with LKS_EINVAL, the given reason and the given field. */
static void expect_parse_err(const char *s, int decimals, const char *reason)
{
    int64_t got = 0;
    struct lks_err err = {0};
    const char *field = "--loonwaarde";
    int rc = money_parse_fixed(&got, s, decimals, field, &err);
    if (rc != LKS_EINVAL)
        fail_msg("'%s' (%d decimals): rc %d (value %lld), want LKS_EINVAL", s ? s : "(null)",
                 decimals, rc, (long long)got);
    assert_int_equal(err.code, LKS_EINVAL);
    assert_string_equal(err.reason, reason);
    assert_string_equal(err.field, field);
    assert_true(strlen(err.msg) > 0);
}

static void test_parse_valid(void **state)
{
    (void)state;
    expect_parse("57.5", 2, 5750);
    expect_parse("57.50", 2, 5750);
    expect_parse("57", 2, 5700);
    expect_parse("0", 2, 0);
    expect_parse("-0", 2, 0);
    expect_parse("0.00", 2, 0);
    expect_parse("-1.5", 2, -150);
    expect_parse("1234,56", 2, 123456);
    expect_parse("1234,5", 2, 123450);
    expect_parse("007", 2, 700);
    expect_parse("007", 0, 7);
    expect_parse("0.01", 2, 1);
    expect_parse("-0.01", 2, -1);
    /* The code accepts a missing integer part: ".5" is 0.5. */
    expect_parse(".5", 2, 50);
    expect_parse("-.5", 2, -50);
    expect_parse(",25", 2, 25);
    /* Other scales: hundredths of a percent, ten-thousandths of an FTE, whole numbers. */
    expect_parse("60", 2, 6000);
    expect_parse("0.8", 4, 8000);
    expect_parse("1", 4, 10000);
    expect_parse("0.1234", 4, 1234);
    expect_parse("42", 0, 42);
    expect_parse("123", 3, 123000);
    /* The limit itself is allowed, on both sides. */
    expect_parse("9000000000000000", 0, 9000000000000000LL);
    expect_parse("-9000000000000000", 0, -9000000000000000LL);
    expect_parse("90000000000000.00", 2, 9000000000000000LL);
    expect_parse("00000000000000000000001", 0, 1); /* leading zeros do not count */
}

static void test_parse_money_wrapper(void **state)
{
    (void)state;
    int64_t c = 0;
    struct lks_err err = {0};
    assert_int_equal(money_parse(&c, "1234.56", "loon", &err), 0);
    assert_int_equal(c, 123456);
    assert_int_equal(money_parse(&c, "1234", "loon", &err), 0);
    assert_int_equal(c, 123400);
    assert_int_equal(money_parse(&c, "1234,5", "loon", &err), 0);
    assert_int_equal(c, 123450);
    assert_int_equal(money_parse(&c, "12.345", "loon", &err), LKS_EINVAL);
    assert_string_equal(err.reason, "too-many-decimals");
    assert_string_equal(err.field, "loon");
}

static void test_parse_invalid(void **state)
{
    (void)state;
    expect_parse_err("", 2, "required");
    expect_parse_err(NULL, 2, "required");
    expect_parse_err("1.", 2, "not-a-number");
    expect_parse_err("-", 2, "not-a-number");
    expect_parse_err(".", 2, "not-a-number");
    expect_parse_err("-.", 2, "not-a-number");
    expect_parse_err("1e3", 2, "not-a-number");
    expect_parse_err(" 1", 2, "not-a-number");
    expect_parse_err("1 ", 2, "not-a-number");
    expect_parse_err("--1", 2, "not-a-number");
    expect_parse_err("+1", 2, "not-a-number");
    expect_parse_err("1-", 2, "not-a-number");
    expect_parse_err("1.2.3", 2, "not-a-number");
    expect_parse_err("1,2.3", 2, "not-a-number");
    expect_parse_err("1.0,5", 2, "not-a-number");
    expect_parse_err("1.000,5", 2, "too-many-decimals"); /* counted before the second point */
    expect_parse_err("abc", 2, "not-a-number");
    expect_parse_err("0x10", 2, "not-a-number");
    expect_parse_err("€5", 2, "not-a-number");
    expect_parse_err("5\n", 2, "not-a-number");
    expect_parse_err("1.234", 2, "too-many-decimals");
    expect_parse_err("0.001", 2, "too-many-decimals");
    expect_parse_err("1,234", 2, "too-many-decimals");
    expect_parse_err("1.5", 0, "too-many-decimals");
    expect_parse_err("0.12345", 4, "too-many-decimals");
    expect_parse_err("9000000000000001", 0, "too-large");
    expect_parse_err("9000000000000001", 2, "too-large");
    expect_parse_err("-9000000000000001", 2, "too-large");
    expect_parse_err("90000000000000.01", 2, "too-large");
    expect_parse_err("99999999999999999999999999", 2, "too-large");
}

/* The field given is the field reported, whatever the fault, and an error overwrites an
 * earlier one completely. */
static void test_parse_field_names(void **state)
{
    (void)state;
    int64_t v = 0;
    struct lks_err err;
    memset(&err, 'x', sizeof err);
    err.field[sizeof err.field - 1] = '\0';
    assert_int_equal(money_parse_fixed(&v, "x", 2, "uren", &err), LKS_EINVAL);
    assert_string_equal(err.field, "uren");
    assert_string_equal(err.reason, "not-a-number");
    assert_non_null(strstr(err.msg, "'x'"));
    assert_int_equal(money_parse_fixed(&v, "1.999", 2, "percentage", &err), LKS_EINVAL);
    assert_string_equal(err.field, "percentage");
    assert_string_equal(err.reason, "too-many-decimals");
    assert_int_equal(money_parse_fixed(&v, "", 2, "fte", &err), LKS_EINVAL);
    assert_string_equal(err.field, "fte");
    assert_string_equal(err.reason, "required");
    /* A NULL error struct is allowed: only the code comes back. */
    assert_int_equal(money_parse_fixed(&v, "1e3", 2, "x", NULL), LKS_EINVAL);
}

static void expect_fmt_fixed(int64_t v, int decimals, const char *want)
{
    char buf[MONEY_FMT_MAX];
    memset(buf, 'z', sizeof buf);
    char *r = money_fmt_fixed(buf, v, decimals);
    assert_ptr_equal(r, buf);
    assert_string_equal(buf, want);
}

static void test_fmt(void **state)
{
    (void)state;
    char buf[MONEY_FMT_MAX];
    assert_string_equal(money_fmt(buf, 122411), "1224.11");
    assert_string_equal(money_fmt(buf, 5), "0.05");
    assert_string_equal(money_fmt(buf, 50), "0.50");
    assert_string_equal(money_fmt(buf, 0), "0.00");
    assert_string_equal(money_fmt(buf, -5), "-0.05");
    assert_string_equal(money_fmt(buf, -100), "-1.00");
    assert_string_equal(money_fmt(buf, -122411), "-1224.11");
    assert_string_equal(money_fmt(buf, 100000000), "1000000.00");
    assert_string_equal(money_fmt(buf, INT64_MAX), "92233720368547758.07");
    assert_string_equal(money_fmt(buf, INT64_MIN), "-92233720368547758.08");
    assert_ptr_equal(money_fmt(buf, 1), buf);

    expect_fmt_fixed(5750, 2, "57.50");
    expect_fmt_fixed(5750, 0, "5750");
    expect_fmt_fixed(-5750, 0, "-5750");
    expect_fmt_fixed(0, 0, "0");
    expect_fmt_fixed(12345, 4, "1.2345");
    expect_fmt_fixed(5, 4, "0.0005");
    expect_fmt_fixed(-5, 4, "-0.0005");
    expect_fmt_fixed(1, 1, "0.1");
    expect_fmt_fixed(INT64_MAX, 0, "9223372036854775807");
    expect_fmt_fixed(INT64_MIN, 0, "-9223372036854775808");
    expect_fmt_fixed(INT64_MIN, 4, "-922337203685477.5808");
    expect_fmt_fixed(INT64_MAX, 19, "0.9223372036854775807");
    expect_fmt_fixed(INT64_MIN, 19, "-0.9223372036854775808");
}

/* Printing and parsing are inverse on the range the parser accepts. */
static void test_fmt_parse_roundtrip(void **state)
{
    (void)state;
    uint64_t seed = 0x0123456789abcdefULL;
    for (int i = 0; i < 20000; i++) {
        int decimals = (int)(test_rand(&seed) % 5);
        int64_t v = (int64_t)(test_rand(&seed) % 9000000000000001ULL);
        if (test_rand(&seed) & 1)
            v = -v;
        char buf[MONEY_FMT_MAX];
        money_fmt_fixed(buf, v, decimals);
        int64_t back = 0;
        struct lks_err err = {0};
        if (money_parse_fixed(&back, buf, decimals, "v", &err) != 0)
            fail_msg("'%s' does not parse back: %s", buf, err.reason);
        assert_true(back == v);
    }
}

static void expect_nl(int64_t v, int decimals, const char *want)
{
    char buf[MONEY_FMT_MAX];
    assert_ptr_equal(money_fmt_nl(buf, v, decimals), buf);
    assert_string_equal(buf, want);
}

static void test_fmt_nl(void **state)
{
    (void)state;
    expect_nl(229440, 2, "2.294,40");
    expect_nl(-123456789, 2, "-1.234.567,89");
    expect_nl(5, 2, "0,05");
    expect_nl(-5, 2, "-0,05");
    expect_nl(999, 2, "9,99");
    expect_nl(0, 2, "0,00");
    expect_nl(99999, 2, "999,99");
    expect_nl(100000, 2, "1.000,00");
    expect_nl(-100000, 2, "-1.000,00");
    expect_nl(12345678, 2, "123.456,78");
    expect_nl(1234567, 0, "1.234.567");
    expect_nl(123, 0, "123");
    expect_nl(-123456, 0, "-123.456");
    expect_nl(12345, 4, "1,2345");
    expect_nl(INT64_MIN, 2, "-92.233.720.368.547.758,08");
    expect_nl(INT64_MAX, 0, "9.223.372.036.854.775.807");
}

static void expect_short(int64_t v, int decimals, int min, const char *want)
{
    char buf[MONEY_FMT_MAX];
    assert_ptr_equal(money_fmt_short(buf, v, decimals, min), buf);
    assert_string_equal(buf, want);
}

static void test_fmt_short(void **state)
{
    (void)state;
    expect_short(5750, 2, 0, "57.5");
    expect_short(6000, 2, 0, "60");
    expect_short(6000, 2, 1, "60.0");
    expect_short(6000, 2, 2, "60.00");
    expect_short(5755, 2, 0, "57.55");
    expect_short(5, 2, 0, "0.05");
    expect_short(10, 2, 0, "0.1");
    expect_short(100, 2, 0, "1");
    expect_short(0, 2, 0, "0");
    expect_short(0, 2, 1, "0.0");
    expect_short(-150, 2, 0, "-1.5");
    expect_short(-100, 2, 0, "-1");
    expect_short(12345, 0, 0, "12345");
    expect_short(10000, 4, 0, "1");
    expect_short(12500, 4, 0, "1.25");
    expect_short(8000, 4, 2, "0.80");
    expect_short(1, 4, 0, "0.0001");
    expect_short(3800, 2, 0, "38");
}

static void expect_md(int64_t a, int64_t num, int64_t den, int64_t want)
{
    int64_t got = 12345;
    int rc = money_mul_div(&got, a, num, den);
    if (rc != 0 || got != want)
        fail_msg("%lld * %lld / %lld: rc %d, got %lld, want %lld", (long long)a, (long long)num,
                 (long long)den, rc, (long long)got, (long long)want);
}

static void expect_md_overflow(int64_t a, int64_t num, int64_t den)
{
    int64_t got = 12345;
    int rc = money_mul_div(&got, a, num, den);
    if (rc != LKS_EOVERFLOW)
        fail_msg("%lld * %lld / %lld: rc %d (got %lld), want LKS_EOVERFLOW", (long long)a,
                 (long long)num, (long long)den, rc, (long long)got);
    assert_int_equal(got, 0);
}

static void test_mul_div_rounding(void **state)
{
    (void)state;
    /* Exact ratios. */
    expect_md(247795, 4000, 10000, 99118);
    expect_md(100, 5750, 10000, 58); /* 57.5 → 58 */
    expect_md(0, 123, 7, 0);
    expect_md(123, 0, 7, 0);
    expect_md(-123, 0, 7, 0);
    expect_md(7, 3, 1, 21);
    expect_md(10, 10, 100, 1);
    /* Half-up: exactly one half rounds away from zero, just below it rounds down. */
    expect_md(1, 5, 10, 1);
    expect_md(5, 1, 10, 1);
    expect_md(4999, 1, 10000, 0);
    expect_md(5000, 1, 10000, 1);
    expect_md(5001, 1, 10000, 1);
    expect_md(14999, 1, 10000, 1);
    expect_md(15000, 1, 10000, 2);
    expect_md(7, 1, 2, 4);
    expect_md(9, 1, 2, 5);
    expect_md(4, 1, 3, 1); /* 1.33 */
    expect_md(5, 1, 3, 2); /* 1.67 */
    expect_md(1, 1, 3, 0);
    expect_md(2, 1, 3, 1);
    /* Negative: half away from zero. */
    expect_md(-1, 5, 10, -1);
    expect_md(1, -5, 10, -1);
    expect_md(-5, 1, 10, -1);
    expect_md(-4999, 1, 10000, 0);
    expect_md(-5000, 1, 10000, -1);
    expect_md(-7, 1, 2, -4);
    expect_md(7, -1, 2, -4);
    expect_md(-7, -1, 2, 4);
    expect_md(-4, 1, 3, -1);
    expect_md(-5, 1, 3, -2);
    /* Large divisors. */
    expect_md(1, 1, INT64_MAX, 0);
    expect_md(INT64_MAX, 1, INT64_MAX, 1);
    expect_md(INT64_MAX / 2 + 1, 1, INT64_MAX, 1); /* just above one half */
    expect_md(INT64_MAX / 2, 1, INT64_MAX, 0);     /* just below one half */
    /* The edge of 64 bits without overflow. */
    expect_md(INT64_MAX, 1, 1, INT64_MAX);
    expect_md(-INT64_MAX, 1, 1, -INT64_MAX);
    expect_md(INT64_MAX, -1, 1, -INT64_MAX);
}

static void test_mul_div_128(void **state)
{
    (void)state;
    /* Products past 2^63 whose quotient fits. */
    expect_md(4000000000000LL, 4000000000000LL, 1000000000000LL, 16000000000000LL);
    expect_md(-4000000000000LL, 4000000000000LL, 1000000000000LL, -16000000000000LL);
    expect_md(4000000000000LL, -4000000000000LL, 1000000000000LL, -16000000000000LL);
    expect_md(-4000000000000LL, -4000000000000LL, 1000000000000LL, 16000000000000LL);
    expect_md(3000000000000000000LL, 5, 10, 1500000000000000000LL);
    expect_md(INT64_MAX, 2, 2, INT64_MAX);
    expect_md(INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX);
    expect_md(-INT64_MAX, INT64_MAX, INT64_MAX, -INT64_MAX);
    expect_md(INT64_MAX, 3, 4, 6917529027641081855LL); /* 6917529027641081855.25 */
    expect_md(INT64_MAX, 3, 7, 3952873730080618203LL); /* ...203.0 exactly */
    expect_md(INT64_MAX, 2, 3, 6148914691236517205LL); /* ...204.67 */
    /* Halves on the 128-bit path: (2^62 + 1) × 5 / 10 = 2^61 + 0.5. */
    const int64_t h = (INT64_C(1) << 62) + 1;
    expect_md(h, 5, 10, (INT64_C(1) << 61) + 1);
    expect_md(-h, 5, 10, -((INT64_C(1) << 61) + 1));
    expect_md(h, -5, 10, -((INT64_C(1) << 61) + 1));
    /* Remainders just below and just above the half (1000000 and 1000001 of 2000001). */
    expect_md(4611686018426056292LL, 5, 2000001, 11529209281460LL);
    expect_md(-4611686018426056292LL, 5, 2000001, -11529209281460LL);
    expect_md(4611686018427656293LL, 5, 2000001, 11529209281465LL);
    expect_md(4611686018427656293LL, -5, 2000001, -11529209281465LL);
    /* 3 × (2^62 − 1) / 4 = 3·2^60 − 0.75 */
    expect_md((INT64_C(1) << 62) - 1, 3, 4, 3458764513820540927LL);
}

static void test_mul_div_overflow(void **state)
{
    (void)state;
    expect_md_overflow(INT64_MAX, 2, 1);
    expect_md_overflow(INT64_MAX, 3, 2);
    expect_md_overflow(-INT64_MAX, 2, 1);
    expect_md_overflow(INT64_MAX, -2, 1);
    expect_md_overflow(4000000000000000000LL, 4000000000000000000LL, 1000);
    expect_md_overflow(INT64_MAX, INT64_MAX, 1);
    expect_md_overflow(INT64_MAX, INT64_MAX, INT64_MAX / 2);
    /* The quotient rounds up past INT64_MAX. */
    expect_md_overflow(INT64_MAX, 4, 3);
    /* |a × num| = 2^126: the largest product, still refused cleanly */
    expect_md_overflow(INT64_MIN, INT64_MIN, INT64_MAX);
}

/* Results at the very bottom of the range fit and are exact. */
static void test_mul_div_int64_min(void **state)
{
    (void)state;
    int64_t v = 1;
    assert_int_equal(money_mul_div(&v, INT64_MIN, 1, 1), 0);
    assert_true(v == INT64_MIN);
    assert_int_equal(money_mul_div(&v, -(INT64_C(1) << 62), 2, 4), 0);
    assert_true(v == -(INT64_C(1) << 61));
}

/* Scaling by the missing decimals must not overflow: "--fte 1844674407370956". */
static void test_parse_scale_overflow(void **state)
{
    (void)state;
    int64_t v = 0;
    struct lks_err e = {0};
    assert_int_equal(money_parse_fixed(&v, "1844674407370956", 4, "fte", &e), LKS_EINVAL);
    assert_string_equal(e.reason, "too-large");
    assert_string_equal(e.field, "fte");
    assert_int_equal(money_parse_fixed(&v, "9000000000000000", 4, "fte", &e), LKS_EINVAL);
    assert_int_equal(money_parse_fixed(&v, "900000000000", 4, "fte", &e), 0);
    assert_true(v == INT64_C(9000000000000000));
}

/* Sign of x as -1, 0, 1. */
static int sgn(money_i128 x)
{
    return (x > 0) - (x < 0);
}

/*
 * Small magnitudes against the closed formula floor((2|a·num| + den) / (2·den)) with the
 * sign of a·num, computed in unsigned 64-bit arithmetic (products stay below 2^62).
 */
static void test_mul_div_property_small(void **state)
{
    (void)state;
    uint64_t seed = 0xfeedface12345678ULL;
    for (int i = 0; i < 100000; i++) {
        int64_t a = (int64_t)(test_rand(&seed) % 2000000001ULL) - 1000000000;
        int64_t num = (int64_t)(test_rand(&seed) % 2000001ULL) - 1000000;
        int64_t den = 1 + (int64_t)(test_rand(&seed) % 1000000ULL);
        if (i % 4 == 0) /* many ties and small ratios */
            den = 1 + (int64_t)(test_rand(&seed) % 20);
        uint64_t ua = (uint64_t)(a < 0 ? -a : a), un = (uint64_t)(num < 0 ? -num : num);
        uint64_t mag = (2 * ua * un + (uint64_t)den) / (2 * (uint64_t)den);
        bool neg = (a < 0) != (num < 0);
        int64_t want = neg ? -(int64_t)mag : (int64_t)mag;
        int64_t got = 0;
        assert_int_equal(money_mul_div(&got, a, num, den), 0);
        if (got != want)
            fail_msg("%lld * %lld / %lld: got %lld, want %lld", (long long)a, (long long)num,
                     (long long)den, (long long)got, (long long)want);
    }
}

/*
 * Large magnitudes (often past 64 bits) against the defining inequality of round half
 * away from zero: with p = a·num and r the result, |2·p − 2·r·den| <= den, a tie goes
 * away from zero, and r has the sign of p (or is 0). Results that cannot fit must report
 * LKS_EOVERFLOW.
 */
static void test_mul_div_property_large(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    int n128 = 0;
    for (int i = 0; i < 100000; i++) {
        int64_t a = (int64_t)(test_rand(&seed) >> (1 + test_rand(&seed) % 40));
        int64_t num = (int64_t)(test_rand(&seed) >> (1 + test_rand(&seed) % 40));
        int64_t den = (int64_t)(test_rand(&seed) >> (1 + test_rand(&seed) % 62));
        if (den == 0)
            den = 1;
        if (test_rand(&seed) & 1)
            a = -a;
        if (test_rand(&seed) & 1)
            num = -num;
        money_i128 p = (money_i128)a * num;
        int64_t tmp;
        if (__builtin_mul_overflow(a, num, &tmp))
            n128++;
        /* The true quotient rounded towards zero, to know whether it fits. */
        money_i128 t = p / den;
        int64_t got = 7;
        int rc = money_mul_div(&got, a, num, den);
        if (t > INT64_MAX - 1 || t < INT64_MIN + 1) {
            /* Near or past the edge: only check that an answer, if any, is consistent. */
            if (rc == LKS_EOVERFLOW) {
                assert_int_equal(got, 0);
                continue;
            }
        } else {
            assert_int_equal(rc, 0);
        }
        if (got != 0 && sgn(got) != sgn(p))
            fail_msg("%lld * %lld / %lld: got %lld of the wrong sign", (long long)a, (long long)num,
                     (long long)den, (long long)got);
        /* same signs: no overflow in the difference */
        money_i128 diff = 2 * p - 2 * (money_i128)got * den;
        money_i128 adiff = diff < 0 ? -diff : diff;
        if (adiff > den || (adiff == den && sgn(diff) == sgn(p)))
            fail_msg("%lld * %lld / %lld: got %lld", (long long)a, (long long)num, (long long)den,
                     (long long)got);
    }
    assert_true(n128 > 10000); /* the 128-bit path was exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_money_wrapper),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_parse_field_names),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_fmt_parse_roundtrip),
        cmocka_unit_test(test_fmt_nl),
        cmocka_unit_test(test_fmt_short),
        cmocka_unit_test(test_mul_div_rounding),
        cmocka_unit_test(test_mul_div_128),
        cmocka_unit_test(test_mul_div_overflow),
        cmocka_unit_test(test_mul_div_int64_min),
        cmocka_unit_test(test_parse_scale_overflow),
        cmocka_unit_test(test_mul_div_property_small),
        cmocka_unit_test(test_mul_div_property_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

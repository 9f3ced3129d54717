/*
 * test_date — day numbers, parsing, weekdays, month arithmetic and ages.
 *
 * The day-number conversion is checked for every day of the supported range
 * by walking the calendar with an independent month-length rule; the known
 * day numbers were computed separately (Python's datetime.date.toordinal).
 */
#include "testutil.h"

#include <stdbool.h>

#include "base/date.h"

/* Short names for the shared helpers of testutil.h. */
#define D(s) test_date(s)
#define assert_date(got, want) test_assert_date(got, want)

/* Month lengths written out independently of the module. */
static int month_len(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m != 2)
        return len[m - 1];
    bool leap = y % 400 == 0 || (y % 4 == 0 && y % 100 != 0);
    return leap ? 29 : 28;
}

static void test_known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(1970, 1, 2), 1);
    assert_int_equal(date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(date_from_ymd(2000, 2, 29), 11016);
    assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
    assert_int_equal(date_from_ymd(2026, 1, 1), 20454);
    assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
    assert_int_equal(date_from_ymd(1900, 3, 1), -25508);
    assert_int_equal(date_from_ymd(2199, 12, 31), 84005);
    assert_int_equal(D("2026-01-01"), 20454);
    int y, m, d;
    date_to_ymd(0, &y, &m, &d);
    assert_int_equal(y, 1970);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    date_to_ymd(11016, &y, &m, &d);
    assert_int_equal(y, 2000);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    date_to_ymd(-25567, &y, &m, &d);
    assert_int_equal(y, 1900);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
}

/* Every day 1900-01-01 … 2199-12-31: consecutive numbers, back and forth, and through text. */
static void test_roundtrip_all_days(void **state)
{
    (void)state;
    lks_date expect = date_from_ymd(1900, 1, 1);
    int weekday = DATE_MON; /* 1 January 1900 was a Monday */
    long days = 0;
    for (int y = 1900; y <= 2199; y++) {
        for (int m = 1; m <= 12; m++) {
            assert_int_equal(date_days_in_month(y, m), month_len(y, m));
            for (int d = 1; d <= month_len(y, m); d++) {
                assert_true(date_valid(y, m, d));
                lks_date t = date_from_ymd(y, m, d);
                if (t != expect)
                    fail_msg("%04d-%02d-%02d: day %d, want %d", y, m, d, (int)t, (int)expect);
                int yy, mm, dd;
                date_to_ymd(t, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("day %d: %04d-%02d-%02d, want %04d-%02d-%02d", (int)t, yy, mm, dd, y,
                             m, d);
                assert_int_equal(date_weekday(t), weekday);
                char buf[DATE_FMT_MAX], want[32];
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                assert_string_equal(date_fmt(buf, t), want);
                lks_date back = -1;
                struct lks_err err = {0};
                assert_int_equal(date_parse(&back, buf, "d", &err), 0);
                assert_int_equal(back, t);
                expect++;
                weekday = (weekday + 1) % 7;
                days++;
            }
            assert_false(date_valid(y, m, month_len(y, m) + 1));
        }
    }
    /* 300 years, 73 leap years (2000 is one; 1900 and 2100 are not). */
    assert_int_equal(days, 300 * 365 + 73);
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(date_valid(2024, 2, 29));
    assert_true(date_valid(2000, 2, 29));
    assert_false(date_valid(2026, 2, 29));
    assert_false(date_valid(1900, 2, 29));
    assert_false(date_valid(2100, 2, 29));
    assert_false(date_valid(2026, 4, 31));
    assert_false(date_valid(2026, 0, 1));
    assert_false(date_valid(2026, 13, 1));
    assert_false(date_valid(2026, 1, 0));
    assert_false(date_valid(2026, 1, 32));
    assert_false(date_valid(1899, 12, 31));
    assert_false(date_valid(2200, 1, 1));
    assert_true(date_valid(1900, 1, 1));
    assert_true(date_valid(2199, 12, 31));
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2026, 2), 28);
    assert_int_equal(date_days_in_month(2026, 12), 31);
    assert_int_equal(date_days_in_month(2026, 11), 30);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(date_weekday(D("2026-11-23")), DATE_MON);
    assert_int_equal(date_weekday(D("1970-01-01")), DATE_THU);
    assert_int_equal(date_weekday(D("1969-12-28")), DATE_SUN); /* negative day number */
    assert_int_equal(date_weekday(D("1900-01-01")), DATE_MON);
    assert_int_equal(date_weekday(D("2199-12-31")), DATE_TUE);
    assert_int_equal(date_weekday(D("2026-01-01")), DATE_THU);
    assert_int_equal(date_weekday(D("2024-02-29")), DATE_THU);
    assert_int_equal(date_weekday(D("2026-04-27")), DATE_MON); /* Koningsdag 2026 */
    assert_int_equal(date_weekday(D("2026-12-25")), DATE_FRI);
    assert_int_equal(date_weekday(D("2026-03-28")), DATE_SAT);
    assert_int_equal(date_weekday(D("2026-03-25")), DATE_WED);
}

static void expect_parse(const char *s, int y, int m, int d)
{
    lks_date t = -99999;
    struct lks_err err = {0};
    if (date_parse(&t, s, "datum", &err) != 0)
        fail_msg("'%s' rejected: %s", s, err.reason);
    assert_int_equal(t, date_from_ymd(y, m, d));
}

static void expect_parse_err(const char *s, const char *reason)
{
    lks_date t = 0;
    struct lks_err err = {0};
    const char *field = "--ingangsdatum";
    int rc = date_parse(&t, s, field, &err);
    if (rc != LKS_EINVAL)
        fail_msg("'%s': rc %d, want LKS_EINVAL", s ? s : "(null)", rc);
    assert_int_equal(err.code, LKS_EINVAL);
    assert_string_equal(err.field, field);
    assert_string_equal(err.reason, reason);
    assert_true(strlen(err.msg) > 0);
}

static void test_parse(void **state)
{
    (void)state;
    expect_parse("2024-02-29", 2024, 2, 29);
    expect_parse("2026-01-01", 2026, 1, 1);
    expect_parse("1900-01-01", 1900, 1, 1);
    expect_parse("2199-12-31", 2199, 12, 31);
    expect_parse("2000-02-29", 2000, 2, 29);
    expect_parse("2026-12-31", 2026, 12, 31);

    expect_parse_err("", "required");
    expect_parse_err(NULL, "required");
    expect_parse_err("2026-02-29", "not-a-date");
    expect_parse_err("2100-02-29", "not-a-date");
    expect_parse_err("2026-13-01", "not-a-date");
    expect_parse_err("2026-00-10", "not-a-date");
    expect_parse_err("2026-01-00", "not-a-date");
    expect_parse_err("2026-04-31", "not-a-date");
    expect_parse_err("2026-01-32", "not-a-date");
    expect_parse_err("26-01-01", "not-a-date");
    expect_parse_err("2026-1-01", "not-a-date");
    expect_parse_err("2026-01-1", "not-a-date");
    expect_parse_err("2026/01/01", "not-a-date");
    expect_parse_err("20260101", "not-a-date");
    expect_parse_err("01-01-2026", "not-a-date");
    expect_parse_err("1899-12-31", "not-a-date");
    expect_parse_err("2200-01-01", "not-a-date");
    expect_parse_err("0000-01-01", "not-a-date");
    expect_parse_err(" 2026-01-01", "not-a-date");
    expect_parse_err("2026-01-01 ", "not-a-date");
    expect_parse_err("2026-01-011", "not-a-date");
    expect_parse_err("2026-01-0a", "not-a-date");
    expect_parse_err("+026-01-01", "not-a-date");
    expect_parse_err("2026-01-01T00:00", "not-a-date");
    expect_parse_err("2026--1-01", "not-a-date");
    expect_parse_err("abcdefghij", "not-a-date");

    /* The field named is the one given; a failed parse leaves the output alone. */
    lks_date t = 42;
    struct lks_err err = {0};
    assert_int_equal(date_parse(&t, "2026-02-30", "geboortedatum", &err), LKS_EINVAL);
    assert_string_equal(err.field, "geboortedatum");
    assert_non_null(strstr(err.msg, "2026-02-30"));
    assert_int_equal(t, 42);
}

static void test_fmt(void **state)
{
    (void)state;
    char buf[DATE_FMT_MAX];
    assert_ptr_equal(date_fmt(buf, 0), buf);
    assert_string_equal(buf, "1970-01-01");
    assert_date(20454, "2026-01-01");
    assert_date(11016, "2000-02-29");
    assert_date(-25567, "1900-01-01");
    assert_date(84005, "2199-12-31");
    assert_date(D("2026-11-23"), "2026-11-23");
}

static void test_add_days_weeks(void **state)
{
    (void)state;
    assert_date(date_add_days(D("2026-12-31"), 1), "2027-01-01");
    assert_date(date_add_days(D("2024-02-28"), 1), "2024-02-29");
    assert_date(date_add_days(D("2026-03-01"), -1), "2026-02-28");
    assert_date(date_add_days(D("2026-01-01"), 365), "2027-01-01");
    assert_date(date_add_weeks(D("2026-11-23"), 6), "2027-01-04");
    assert_date(date_add_weeks(D("2026-01-08"), -1), "2026-01-01");
    assert_date(date_add_weeks(D("2026-03-29"), 13), "2026-06-28");
}

static void expect_months(const char *from, int n, const char *want)
{
    char buf[DATE_FMT_MAX];
    lks_date got = date_add_months(D(from), n);
    if (strcmp(date_fmt(buf, got), want) != 0)
        fail_msg("%s %+d months: %s, want %s", from, n, buf, want);
}

static void test_add_months(void **state)
{
    (void)state;
    expect_months("2024-01-31", 1, "2024-02-29");
    expect_months("2025-01-31", 1, "2025-02-28");
    expect_months("2026-03-31", -1, "2026-02-28");
    expect_months("2024-03-31", -1, "2024-02-29");
    expect_months("2026-03-31", 12, "2027-03-31");
    expect_months("2026-03-15", -24, "2024-03-15");
    expect_months("2024-02-29", 12, "2025-02-28");
    expect_months("2024-02-29", -24, "2022-02-28");
    expect_months("2024-02-29", 48, "2028-02-29");
    expect_months("2026-05-31", 1, "2026-06-30");
    expect_months("2026-01-15", -1, "2025-12-15");
    expect_months("2026-12-31", 2, "2027-02-28");
    expect_months("2026-12-15", 1, "2027-01-15");
    expect_months("2026-01-01", -13, "2024-12-01");
    expect_months("2026-08-31", 0, "2026-08-31");
    expect_months("2026-10-31", -8, "2026-02-28");
    expect_months("2026-01-31", 25, "2028-02-29");
    expect_months("1900-01-31", 1, "1900-02-28");
    expect_months("2199-11-30", 1, "2199-12-30");
}

/* Month arithmetic against its definition, over random dates and offsets. */
static void test_add_months_property(void **state)
{
    (void)state;
    uint64_t seed = 0xdada2026ULL;
    const lks_date lo = D("1910-01-01"), hi = D("2189-12-31");
    for (int i = 0; i < 50000; i++) {
        lks_date t = lo + (lks_date)(test_rand(&seed) % (uint64_t)(hi - lo + 1));
        int n = (int)(test_rand(&seed) % 241) - 120;
        int y, m, d, y2, m2, d2;
        date_to_ymd(t, &y, &m, &d);
        date_to_ymd(date_add_months(t, n), &y2, &m2, &d2);
        int months = (y * 12 + m - 1) + n;
        assert_int_equal(y2, months / 12);
        assert_int_equal(m2, months % 12 + 1);
        int len = month_len(y2, m2);
        assert_int_equal(d2, d <= len ? d : len);
    }
}

static void expect_age(const char *birth, const char *on, int want)
{
    int got = date_age_on(D(birth), D(on));
    if (got != want)
        fail_msg("born %s, on %s: %d, want %d", birth, on, got, want);
}

static void test_age(void **state)
{
    (void)state;
    expect_age("2000-06-15", "2026-06-15", 26); /* birthday on the day */
    expect_age("2000-06-15", "2026-06-14", 25); /* the day before */
    expect_age("2000-06-15", "2026-06-16", 26);
    expect_age("2000-06-15", "2026-05-20", 25); /* earlier month, later day */
    expect_age("2000-06-15", "2026-07-01", 26); /* later month, earlier day */
    expect_age("2000-06-15", "2000-06-15", 0);
    expect_age("2000-06-15", "2001-06-14", 0);
    expect_age("2000-06-15", "2001-06-15", 1);
    expect_age("2000-12-31", "2021-01-01", 20);
    expect_age("2000-01-01", "2020-12-31", 20);
    expect_age("2000-01-01", "2021-01-01", 21);
    /* A 29 February birthday counts on 1 March in common years. */
    expect_age("2004-02-29", "2025-02-28", 20);
    expect_age("2004-02-29", "2025-03-01", 21);
    expect_age("2004-02-29", "2024-02-28", 19);
    expect_age("2004-02-29", "2024-02-29", 20);
    expect_age("2004-02-29", "2024-03-01", 20);
    expect_age("2008-02-29", "2026-02-28", 17); /* 18th birthday not yet */
    expect_age("2008-02-29", "2026-03-01", 18);
    expect_age("1900-01-01", "2199-12-31", 299);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_roundtrip_all_days),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_add_days_weeks),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_add_months_property),
        cmocka_unit_test(test_age),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

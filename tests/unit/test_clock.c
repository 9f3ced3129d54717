/*
 * test_clock — the business date in Europe/Amsterdam.
 *
 * The system's tzdata (clock_date_at, clock_offset_at) and the EU rule that
 * stands in when tzdata is absent (clock_eu_*) are checked against each other
 * and against a table of the switches 2015–2035 written out here (computed
 * separately, with Python's zoneinfo): every quarter of an hour from a day
 * before to a day after each switch, and just before and after midnight on
 * ordinary days in winter and summer.
 */
#include "testutil.h"

#include <time.h>

#include "base/clock.h"

#define HOUR 3600
#define DAY  86400

/* The day of each switch: the last Sunday of March (to CEST) and of October (to CET),
 * both at 01:00 UTC. */
static const int switches[][3] = {
    {2015, 3, 29}, {2015, 10, 25}, {2016, 3, 27}, {2016, 10, 30}, {2017, 3, 26}, {2017, 10, 29},
    {2018, 3, 25}, {2018, 10, 28}, {2019, 3, 31}, {2019, 10, 27}, {2020, 3, 29}, {2020, 10, 25},
    {2021, 3, 28}, {2021, 10, 31}, {2022, 3, 27}, {2022, 10, 30}, {2023, 3, 26}, {2023, 10, 29},
    {2024, 3, 31}, {2024, 10, 27}, {2025, 3, 30}, {2025, 10, 26}, {2026, 3, 29}, {2026, 10, 25},
    {2027, 3, 28}, {2027, 10, 31}, {2028, 3, 26}, {2028, 10, 29}, {2029, 3, 25}, {2029, 10, 28},
    {2030, 3, 31}, {2030, 10, 27}, {2031, 3, 30}, {2031, 10, 26}, {2032, 3, 28}, {2032, 10, 31},
    {2033, 3, 27}, {2033, 10, 30}, {2034, 3, 26}, {2034, 10, 29}, {2035, 3, 25}, {2035, 10, 28},
};
#define NSWITCHES ((int)(sizeof switches / sizeof switches[0]))

/* Seconds since the epoch of y-m-d h:mm UTC. */
static int64_t utc(int y, int m, int d, int h, int min)
{
    return (int64_t)date_from_ymd(y, m, d) * DAY + h * HOUR + min * 60;
}

/* Both ways agree at t with each other and with the expected offset; the date is the
 * UTC date of t + that offset. */
static void expect_at(int64_t t, int offset)
{
    lks_date want = (lks_date)((t + offset) / DAY);
    char a[DATE_FMT_MAX], b[DATE_FMT_MAX], c[DATE_FMT_MAX];
    if (clock_offset_at(t) != offset || clock_eu_offset_at(t) != offset)
        fail_msg("at %lld: offset tzdata %d, EU rule %d, want %d", (long long)t, clock_offset_at(t),
                 clock_eu_offset_at(t), offset);
    if (clock_date_at(t) != want || clock_eu_date_at(t) != want)
        fail_msg("at %lld: date tzdata %s, EU rule %s, want %s", (long long)t,
                 date_fmt(a, clock_date_at(t)), date_fmt(b, clock_eu_date_at(t)),
                 date_fmt(c, want));
}

static void test_tzdata_in_use(void **state)
{
    (void)state;
    /* Without it the comparisons below would compare the EU rule with itself
     * (the Makefile installs tzdata). */
    if (!clock_has_tzdata())
        fail_msg("%s not loaded", CLOCK_ZONE_FILE);
}

static void test_every_switch(void **state)
{
    (void)state;
    for (int i = 0; i < NSWITCHES; i++) {
        const int *s = switches[i];
        int64_t at = utc(s[0], s[1], s[2], 1, 0);
        int before = s[1] == 3 ? 3600 : 7200, after = s[1] == 3 ? 7200 : 3600;
        expect_at(at - 1, before);
        expect_at(at, after);
        for (int64_t t = at - DAY - 2 * HOUR; t <= at + DAY + 2 * HOUR; t += 15 * 60)
            expect_at(t, t < at ? before : after);
        /* the week before and after: the evening the date changes is 23:00 UTC in
         * winter and 22:00 UTC in summer */
        for (int d = -7; d <= 7; d++) {
            int64_t day = at - HOUR + (int64_t)d * DAY;
            int off = d < 0 ? before : d > 0 ? after : 0;
            if (off) {
                expect_at(day + 22 * HOUR - 1, off);
                expect_at(day + 22 * HOUR, off);
                expect_at(day + 23 * HOUR - 1, off);
                expect_at(day + 23 * HOUR, off);
            }
        }
    }
}

static void test_ordinary_nights(void **state)
{
    (void)state;
    for (int y = 2015; y <= 2035; y++) {
        static const int winter[][2] = {{1, 15}, {2, 28}, {11, 20}, {12, 31}};
        static const int summer[][2] = {{5, 1}, {6, 30}, {7, 1}, {8, 15}};
        for (int i = 0; i < 4; i++) {
            int m = winter[i][0], d = winter[i][1];
            lks_date day = date_from_ymd(y, m, d);
            /* 23:30 UTC is 00:30 the next day; 00:30 UTC is 01:30 the same day */
            expect_at(utc(y, m, d, 23, 30), 3600);
            expect_at(utc(y, m, d, 0, 30), 3600);
            assert_true(clock_date_at(utc(y, m, d, 23, 30)) == day + 1);
            assert_true(clock_date_at(utc(y, m, d, 0, 30)) == day);
            assert_true(clock_date_at(utc(y, m, d, 22, 59)) == day);
        }
        for (int i = 0; i < 4; i++) {
            int m = summer[i][0], d = summer[i][1];
            lks_date day = date_from_ymd(y, m, d);
            /* 22:30 UTC is already 00:30 the next day; 21:30 UTC is 23:30 */
            expect_at(utc(y, m, d, 23, 30), 7200);
            expect_at(utc(y, m, d, 22, 30), 7200);
            expect_at(utc(y, m, d, 0, 30), 7200);
            assert_true(clock_date_at(utc(y, m, d, 22, 30)) == day + 1);
            assert_true(clock_date_at(utc(y, m, d, 23, 30)) == day + 1);
            assert_true(clock_date_at(utc(y, m, d, 21, 30)) == day);
            assert_true(clock_date_at(utc(y, m, d, 0, 30)) == day);
        }
    }
}

static void test_summer_evening(void **state)
{
    (void)state;
    /* 2026-07-01 22:30 UTC = 2026-07-02 00:30 CEST */
    assert_true(utc(2026, 7, 1, 22, 30) == 1782945000);
    test_assert_date(clock_date_at(1782945000), "2026-07-02");
    test_assert_date(clock_eu_date_at(1782945000), "2026-07-02");
    test_assert_date(clock_date_at(1782945000 - HOUR), "2026-07-01");
}

static void test_today(void **state)
{
    (void)state;
    int64_t before = (int64_t)time(NULL);
    lks_date today = clock_today();
    int64_t after = (int64_t)time(NULL);
    assert_true(today == clock_date_at(before) || today == clock_date_at(after));
    /* the process's zone is Amsterdam now: localtime_r agrees */
    time_t t = (time_t)1782945000;
    struct tm tm;
    assert_non_null(localtime_r(&t, &tm));
    assert_int_equal(tm.tm_gmtoff, 7200);
    assert_int_equal(tm.tm_mday, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tzdata_in_use),
        cmocka_unit_test(test_every_switch),
        cmocka_unit_test(test_ordinary_nights),
        cmocka_unit_test(test_summer_evening),
        cmocka_unit_test(test_today),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_cal — the Atw calendar: Easter, holidays, working days and art. 1/2.
 *
 * The holiday list is checked in both directions against
 * tests/data/feestdagen.tsv, which was derived with a different Easter
 * algorithm; the working-day functions are checked by hand-counted cases and
 * by properties over random dates compared with plain day-by-day counting.
 */
#include "testutil.h"

#include "base/cal.h"
#include "base/date.h"

/* Short names for the shared helpers of testutil.h. */
#define D(s) test_date(s)
#define assert_date(got, want) test_assert_date(got, want)

/* Working days in (a, b] by walking day by day: the slow reference. */
static int count_slow(lks_date a, lks_date b)
{
    int n = 0;
    for (lks_date t = a + 1; t <= b; t++)
        if (cal_is_workday(t))
            n++;
    return n;
}

static void test_easter_known(void **state)
{
    (void)state;
    assert_date(cal_easter(2024), "2024-03-31");
    assert_date(cal_easter(2025), "2025-04-20");
    assert_date(cal_easter(2026), "2026-04-05");
    assert_date(cal_easter(2030), "2030-04-21");
    assert_date(cal_easter(2035), "2035-03-25");
    /* Years where Gauss's exceptions apply, and the extremes of the range. */
    assert_date(cal_easter(1954), "1954-04-18");
    assert_date(cal_easter(1981), "1981-04-19");
    assert_date(cal_easter(2049), "2049-04-18");
    assert_date(cal_easter(2076), "2076-04-19");
    assert_date(cal_easter(2008), "2008-03-23");
    assert_date(cal_easter(2038), "2038-04-25");
    assert_date(cal_easter(2160), "2160-03-23");
}

static void test_easter_is_sunday_in_window(void **state)
{
    (void)state;
    for (int y = 1900; y <= 2199; y++) {
        lks_date e = cal_easter(y);
        assert_int_equal(date_weekday(e), DATE_SUN);
        assert_true(e >= date_from_ymd(y, 3, 22));
        assert_true(e <= date_from_ymd(y, 4, 25));
    }
}

/* Every row of the table is a holiday with that name, and no other day is. */
static void test_feestdagen_table(void **state)
{
    (void)state;
    const lks_date first = D("2014-01-01"), last = D("2035-12-31");
    int span = last - first + 1;
    char *buf = repo_slurp("tests/data/feestdagen.tsv");
    char *listed = calloc((size_t)span, 1);
    assert_non_null(listed);
    struct tsv t;
    struct lks_err err = {0};
    assert_int_equal(tsv_open(&t, buf, "feestdagen.tsv", &err), 0);
    int c_datum = tsv_col(&t, "datum"), c_naam = tsv_col(&t, "naam");
    assert_true(c_datum >= 0 && c_naam >= 0);
    int rows = 0, r;
    while ((r = tsv_next(&t, &err)) == 1) {
        lks_date day = D(tsv_get(&t, c_datum));
        assert_true(day >= first && day <= last);
        const char *name = cal_holiday(day);
        if (!name || strcmp(name, tsv_get(&t, c_naam)) != 0)
            fail_msg("%s: cal_holiday gives '%s', table says '%s'", tsv_get(&t, c_datum),
                     name ? name : "(geen)", tsv_get(&t, c_naam));
        assert_true(cal_is_rest_day(day));
        listed[day - first] = 1;
        rows++;
    }
    assert_int_equal(r, 0);
    /* 22 years of 9 holidays, less the one shared date (2016-05-05). */
    assert_int_equal(rows, 22 * 9 - 1);
    for (lks_date day = first; day <= last; day++) {
        char b[DATE_FMT_MAX];
        if ((cal_holiday(day) != NULL) != (listed[day - first] != 0))
            fail_msg("%s: holiday in C but not in the table, or the reverse", date_fmt(b, day));
        bool weekend = date_weekday(day) >= DATE_SAT;
        assert_int_equal(cal_is_rest_day(day), weekend || listed[day - first]);
    }
    free(listed);
    free(buf);
}

static void test_weekends(void **state)
{
    (void)state;
    assert_true(cal_is_rest_day(D("2024-06-08")));  /* Saturday */
    assert_true(cal_is_rest_day(D("2024-06-09")));  /* Sunday */
    assert_false(cal_is_rest_day(D("2024-06-10"))); /* Monday */
    assert_true(cal_is_workday(D("2024-06-07")));   /* Friday */
    assert_null(cal_holiday(D("2024-06-08")));      /* a weekend is no holiday */
    /* Over a long span: every weekend day rests, and a weekday rests only
     * when it has a holiday name. */
    for (lks_date t = D("1990-01-01"); t <= D("2150-12-31"); t++) {
        if (date_weekday(t) >= DATE_SAT)
            assert_true(cal_is_rest_day(t));
        else
            assert_int_equal(cal_is_rest_day(t), cal_holiday(t) != NULL);
    }
}

static void test_koningsdag(void **state)
{
    (void)state;
    /* 27 April 2025 is a Sunday: Koningsdag is on Saturday the 26th. */
    assert_string_equal(cal_holiday(D("2025-04-26")), "Koningsdag");
    assert_null(cal_holiday(D("2025-04-27")));
    assert_string_equal(cal_holiday(D("2014-04-26")), "Koningsdag");
    assert_null(cal_holiday(D("2014-04-27")));
    assert_string_equal(cal_holiday(D("2031-04-26")), "Koningsdag");
    /* On a Saturday it stays put. */
    assert_string_equal(cal_holiday(D("2024-04-27")), "Koningsdag");
    assert_null(cal_holiday(D("2024-04-26")));
    assert_string_equal(cal_holiday(D("2026-04-27")), "Koningsdag");
    assert_false(cal_is_workday(D("2026-04-27"))); /* a Monday */
}

static void test_koninginnedag(void **state)
{
    (void)state;
    /* 30 April 2006 was a Sunday: the 29th. */
    assert_string_equal(cal_holiday(D("2006-04-29")), "Koninginnedag");
    assert_null(cal_holiday(D("2006-04-30")));
    assert_string_equal(cal_holiday(D("2013-04-30")), "Koninginnedag");
    assert_null(cal_holiday(D("2013-04-27")));
    assert_string_equal(cal_holiday(D("2010-04-30")), "Koninginnedag");
    assert_false(cal_is_workday(D("2010-04-30"))); /* a Friday */
    assert_null(cal_holiday(D("2014-04-30")));
}

static void test_fixed_days_on_weekend(void **state)
{
    (void)state;
    /* 5 May 2024 is a Sunday; the holiday does not move to the Monday. */
    assert_string_equal(cal_holiday(D("2024-05-05")), "Bevrijdingsdag");
    assert_true(cal_is_workday(D("2024-05-06")));
    assert_string_equal(cal_holiday(D("2027-05-05")), "Bevrijdingsdag");
    assert_false(cal_is_workday(D("2027-05-05"))); /* a Wednesday */
    /* Christmas 2021 on Saturday and Sunday: Monday the 27th is a working day. */
    assert_string_equal(cal_holiday(D("2021-12-25")), "Eerste Kerstdag");
    assert_string_equal(cal_holiday(D("2021-12-26")), "Tweede Kerstdag");
    assert_true(cal_is_workday(D("2021-12-27")));
    assert_string_equal(cal_holiday(D("2022-01-01")), "Nieuwjaarsdag");
    assert_true(cal_is_workday(D("2022-01-03")));
    /* Hemelvaartsdag on 5 May (Easter on 27 March). */
    assert_string_equal(cal_holiday(D("2016-05-05")), "Bevrijdingsdag en Hemelvaartsdag");
    assert_string_equal(cal_holiday(D("2005-05-05")), "Bevrijdingsdag en Hemelvaartsdag");
    /* Easter and Whit Sunday themselves carry no Atw name. */
    assert_null(cal_holiday(D("2024-03-31")));
    assert_null(cal_holiday(D("2024-05-19")));
    assert_string_equal(cal_holiday(D("2024-05-20")), "Tweede Pinksterdag");
    assert_string_equal(cal_holiday(D("2024-05-09")), "Hemelvaartsdag");
    assert_string_equal(cal_holiday(D("2024-03-29")), "Goede Vrijdag");
    assert_string_equal(cal_holiday(D("2024-04-01")), "Tweede Paasdag");
}

static void test_add_workdays_easter(void **state)
{
    (void)state;
    /* Mon 25 March 2024: Good Friday 29 March and Easter Monday 1 April are skipped
     * (without them the answer would be 8 April). */
    assert_date(cal_add_workdays(D("2024-03-25"), 10), "2024-04-10");
    assert_date(cal_add_workdays(D("2024-03-28"), 1), "2024-04-02");
    assert_date(cal_add_workdays(D("2024-03-25"), 0), "2024-03-25");
    assert_date(cal_add_workdays(D("2024-03-29"), 0), "2024-03-29"); /* n = 0 on a rest day */
}

static void test_add_workdays_christmas(void **state)
{
    (void)state;
    /* Mon 23 Dec 2024: 24, 27, 30, 31 Dec and 2 Jan; 25/26 Dec and 1 Jan skipped. */
    assert_date(cal_add_workdays(D("2024-12-23"), 5), "2025-01-02");
    assert_date(cal_add_workdays(D("2024-12-24"), 1), "2024-12-27");
    assert_date(cal_add_workdays(D("2024-12-25"), 1), "2024-12-27");
    assert_date(cal_add_workdays(D("2020-12-24"), 1), "2020-12-28");
}

static void test_workdays_between_known(void **state)
{
    (void)state;
    assert_int_equal(cal_workdays_between(D("2024-03-25"), D("2024-04-10")), 10);
    assert_int_equal(cal_workdays_between(D("2024-12-23"), D("2025-01-02")), 5);
    assert_int_equal(cal_workdays_between(D("2024-06-10"), D("2024-06-10")), 0);
    assert_int_equal(cal_workdays_between(D("2024-06-14"), D("2024-06-10")), 0);
    assert_int_equal(cal_workdays_between(D("2024-06-07"), D("2024-06-09")), 0);
    /* 2024: 366 days, 262 weekdays, 7 holidays on a weekday (5 May is a Sunday,
     * 27 April a Saturday). */
    assert_int_equal(cal_workdays_between(D("2023-12-31"), D("2024-12-31")), 262 - 7);
}

/* add and between agree: b = add(a, n) is the first day with n working days in (a, b]. */
static void test_workdays_property(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed1234abcdULL;
    const lks_date lo = D("1990-01-01"), hi = D("2150-12-31");
    for (int i = 0; i < 20000; i++) {
        lks_date a = lo + (lks_date)(test_rand(&seed) % (uint64_t)(hi - lo + 1));
        int n = (int)(test_rand(&seed) % 61);
        lks_date b = cal_add_workdays(a, n);
        assert_int_equal(cal_workdays_between(a, b), n);
        if (n > 0) {
            assert_true(cal_is_workday(b));
            assert_int_equal(cal_workdays_between(a, b - 1), n - 1);
        } else {
            assert_int_equal(b, a);
        }
    }
    /* Long spans, crossing years, against the day-by-day count. */
    for (int i = 0; i < 500; i++) {
        lks_date a = lo + (lks_date)(test_rand(&seed) % (uint64_t)(hi - lo + 1));
        lks_date b = a + (lks_date)(test_rand(&seed) % 1500);
        assert_int_equal(cal_workdays_between(a, b), count_slow(a, b));
    }
}

static void check_atw(const char *start, const char *end_plain, const char *end, bool art1,
                      bool art2)
{
    struct cal_atw r;
    cal_atw_extend(D(start), D(end_plain), &r);
    assert_int_equal(r.end_plain, D(end_plain));
    assert_date(r.end, end);
    assert_int_equal(r.art1, art1);
    assert_int_equal(r.art2, art2);
}

static void test_atw_art1(void **state)
{
    (void)state;
    /* Ends on a Saturday: Monday. */
    check_atw("2024-06-05", "2024-06-08", "2024-06-10", true, false);
    /* Ends on Easter Sunday: Easter Monday is a holiday too, so Tuesday. */
    check_atw("2024-03-17", "2024-03-31", "2024-04-02", true, false);
    /* Ends on Christmas Day, a Friday: Monday 28 December. */
    check_atw("2020-12-11", "2020-12-25", "2020-12-28", true, false);
    /* A two-day term is not covered by art. 2, even with one working day. */
    check_atw("2024-03-28", "2024-03-30", "2024-04-02", true, false);
}

static void test_atw_art2(void **state)
{
    (void)state;
    /* Three days from Thursday 28 March 2024: Good Friday, Saturday, Easter
     * Sunday. Art. 1 gives Tuesday (Easter Monday rests), which is only one
     * working day; art. 2 adds Wednesday. */
    check_atw("2024-03-28", "2024-03-31", "2024-04-03", true, true);
    /* Ending on the Tuesday, a working day: only art. 2 applies. */
    check_atw("2024-03-28", "2024-04-02", "2024-04-03", false, true);
    /* Three days from Thursday 24 December 2020: 25, 26, 27 rest; Monday the
     * 28th is one working day; art. 2 gives Tuesday. */
    check_atw("2020-12-24", "2020-12-27", "2020-12-29", true, true);
}

static void test_atw_no_extension(void **state)
{
    (void)state;
    check_atw("2024-06-03", "2024-06-06", "2024-06-06", false, false);
    check_atw("2024-06-03", "2024-06-04", "2024-06-04", false, false);
}

static void test_atw_property(void **state)
{
    (void)state;
    uint64_t seed = 0xa7c0ffee11ULL;
    const lks_date lo = D("1990-01-01"), hi = D("2150-12-31");
    for (int i = 0; i < 20000; i++) {
        lks_date start = lo + (lks_date)(test_rand(&seed) % (uint64_t)(hi - lo + 1));
        int len = 1 + (int)(test_rand(&seed) % 100);
        lks_date plain = start + len;
        struct cal_atw r;
        cal_atw_extend(start, plain, &r);
        assert_int_equal(r.end_plain, plain);
        assert_true(r.end >= plain);
        assert_true(cal_is_workday(r.end));
        if (len >= 3)
            assert_true(cal_workdays_between(start, r.end) >= 2);
        /* The end is the first day that satisfies both articles. */
        for (lks_date t = plain; t < r.end; t++)
            assert_false(cal_is_workday(t) && (len < 3 || cal_workdays_between(start, t) >= 2));
        assert_int_equal(r.art1, cal_is_rest_day(plain));
        lks_date after_art1 = cal_is_rest_day(plain) ? cal_add_workdays(plain, 1) : plain;
        assert_int_equal(r.art2, r.end > after_art1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_easter_known),
        cmocka_unit_test(test_easter_is_sunday_in_window),
        cmocka_unit_test(test_feestdagen_table),
        cmocka_unit_test(test_weekends),
        cmocka_unit_test(test_koningsdag),
        cmocka_unit_test(test_koninginnedag),
        cmocka_unit_test(test_fixed_days_on_weekend),
        cmocka_unit_test(test_add_workdays_easter),
        cmocka_unit_test(test_add_workdays_christmas),
        cmocka_unit_test(test_workdays_between_known),
        cmocka_unit_test(test_workdays_property),
        cmocka_unit_test(test_atw_art1),
        cmocka_unit_test(test_atw_art2),
        cmocka_unit_test(test_atw_no_extension),
        cmocka_unit_test(test_atw_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

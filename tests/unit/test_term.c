/*
 * test_term — statutory terms and working-day norms: the end date, the steps
 * recorded (which, in what order, with what figures), their texts, and the JSON.
 *
 * Dates were counted by hand against the 2026 calendar: Goede Vrijdag 3 April,
 * tweede Paasdag 6 April, Koningsdag Monday 27 April, Hemelvaartsdag 14 May,
 * tweede Pinksterdag 25 May, Kerstmis Friday 25 and Saturday 26 December.
 */
#include "testutil.h"

#include <jansson.h>

#include "base/cal.h"
#include "base/date.h"
#include "base/jw.h"
#include "codec/rules_json.h"
#include "rules/step.h"
#include "rules/term.h"

/* Short names for the shared helpers of testutil.h. */
#define D(s) test_date(s)
#define assert_date(got, want) test_assert_date(got, want)

#define END_OF_IDS (-1)

/*
 * Compute a term and check the end date and the sequence of step ids (terminated by
 * END_OF_IDS). Common checks on every result: from, start and end steps.
 */
static void compute(const char *from, enum term_kind kind, int n, const char *end,
                    struct term_result *r, const int *ids)
{
    struct lks_err err = {0};
    memset(r, 0x5a, sizeof *r);
    int rc = term_compute(D(from), kind, n, r, &err);
    if (rc != 0)
        fail_msg("term_compute(%s, %d, %d): rc %d %s", from, (int)kind, n, rc, err.msg);
    assert_int_equal(r->from, D(from));
    assert_date(r->end, end);
    int nids = 0;
    while (ids[nids] != END_OF_IDS)
        nids++;
    if (r->nsteps != nids)
        fail_msg("%s + %d (kind %d): %d steps, want %d", from, n, (int)kind, r->nsteps, nids);
    for (int i = 0; i < nids; i++)
        if (r->step[i].id != ids[i])
            fail_msg("%s + %d (kind %d): step %d is %d, want %d", from, n, (int)kind, i,
                     (int)r->step[i].id, ids[i]);
    assert_int_equal(r->step[0].id, STEP_TERM_START);
    assert_int_equal(r->step[0].value, D(from));
    assert_int_equal(r->step[0].arg[0], kind);
    assert_int_equal(r->step[r->nsteps - 1].id, STEP_TERM_END);
    assert_int_equal(r->step[r->nsteps - 1].value, r->end);
    for (int i = 0; i < r->nsteps; i++) {
        assert_int_equal(step_unit(&r->step[i]), STEP_UNIT_DATE);
        assert_false(r->step[i].has_exact);
        assert_true(strlen(step_basis(&r->step[i])) > 0);
    }
}

/* The text of step i, which must contain each of the given fragments (NULL-terminated). */
static void expect_text(const struct term_result *r, int i, const char *frag, ...)
{
    char buf[STEP_TEXT_MAX];
    step_text(&r->step[i], buf, sizeof buf);
    va_list ap;
    va_start(ap, frag);
    for (const char *f = frag; f; f = va_arg(ap, const char *))
        if (!strstr(buf, f))
            fail_msg("step %d text \"%s\" lacks \"%s\"", i, buf, f);
    va_end(ap);
}

static const struct rule_step *find(const struct term_result *r, int id)
{
    for (int i = 0; i < r->nsteps; i++)
        if (r->step[i].id == id)
            return &r->step[i];
    fail_msg("no step %d", id);
    return NULL;
}

static void test_workdays_easter(void **state)
{
    (void)state;
    struct term_result r;
    static const int ids[] = {STEP_TERM_START, STEP_TERM_WORKDAYS, STEP_TERM_END, END_OF_IDS};
    /* Monday 30 March 2026: 31 Mar, 1, 2, (3 Good Friday, 4, 5, 6 Easter Monday), 7, 8, 9,
     * 10, (11, 12), 13, 14, 15 April. */
    compute("2026-03-30", TERM_WORKDAYS, 10, "2026-04-15", &r, ids);
    const struct rule_step *s = find(&r, STEP_TERM_WORKDAYS);
    assert_int_equal(s->value, D("2026-04-15"));
    assert_int_equal(s->arg[0], 10);
    assert_int_equal(s->arg[1], D("2026-03-30"));
    assert_int_equal(s->arg[2], 6); /* 3, 4, 5, 6, 11, 12 April */
    expect_text(&r, 0, "2026-03-30", "maandag", "telt niet mee", NULL);
    expect_text(&r, 1, "10 werkdagen", "2026-03-30", "2026-04-15", "woensdag", "6 zaterdagen",
                NULL);
    expect_text(&r, 2, "2026-04-15", "woensdag", NULL);
    assert_string_equal(step_basis(&r.step[1]),
                        "Servicenorm in werkdagen (preferent werkproces 2019); feestdagen "
                        "volgens Algemene termijnenwet art. 3");
    /* One working day from Thursday 2 April: Tuesday 7 April. */
    compute("2026-04-02", TERM_WORKDAYS, 1, "2026-04-07", &r, ids);
    assert_int_equal(r.step[1].arg[2], 4);
}

static void test_workdays_from_friday(void **state)
{
    (void)state;
    struct term_result r;
    static const int ids[] = {STEP_TERM_START, STEP_TERM_WORKDAYS, STEP_TERM_END, END_OF_IDS};
    /* Friday 5 June 2026, no holidays: two full weeks. */
    compute("2026-06-05", TERM_WORKDAYS, 10, "2026-06-19", &r, ids);
    assert_int_equal(r.step[1].arg[2], 4);
    /* Friday 22 May 2026, before tweede Pinksterdag: 26-29 May, 1-5 June, 8 June. */
    compute("2026-05-22", TERM_WORKDAYS, 10, "2026-06-08", &r, ids);
    assert_int_equal(r.step[1].arg[2], 7);
    expect_text(&r, 0, "vrijdag", NULL);
    expect_text(&r, 1, "7 zaterdagen", "maandag", NULL);
    /* One working day from a Friday is the Monday. */
    compute("2026-06-05", TERM_WORKDAYS, 1, "2026-06-08", &r, ids);
    /* From a Saturday: the Monday is the first working day. */
    compute("2026-06-06", TERM_WORKDAYS, 1, "2026-06-08", &r, ids);
    /* Across Christmas and New Year: 24, 28, 29, 30, 31 Dec, 4 Jan 2027. */
    compute("2026-12-23", TERM_WORKDAYS, 6, "2027-01-04", &r, ids);
    /* The Atw steps never appear for working days, whatever the end. */
    for (int n = 1; n <= 40; n++) {
        struct lks_err err = {0};
        assert_int_equal(term_compute(D("2026-12-18"), TERM_WORKDAYS, n, &r, &err), 0);
        assert_int_equal(r.nsteps, 3);
        assert_int_equal(r.end, cal_add_workdays(D("2026-12-18"), n));
        assert_true(cal_is_workday(r.end));
    }
}

static void test_weeks(void **state)
{
    (void)state;
    struct term_result r;
    /* Six weeks from Monday 23 November 2026: Monday 4 January 2027, a working day. */
    static const int plain[] = {STEP_TERM_START, STEP_TERM_WEEKS, STEP_TERM_END, END_OF_IDS};
    compute("2026-11-23", TERM_WEEKS, 6, "2027-01-04", &r, plain);
    assert_true(cal_is_workday(D("2027-01-04")));
    assert_int_equal(r.step[1].value, D("2027-01-04"));
    assert_int_equal(r.step[1].arg[0], 6);
    assert_int_equal(r.step[1].arg[1], D("2026-11-23"));
    expect_text(&r, 0, "2026-11-23", "maandag", "de termijn begint de dag erna", NULL);
    expect_text(&r, 1, "6 weken", "2026-11-23", "2027-01-04", NULL);
    expect_text(&r, 2, "2027-01-04", "maandag", NULL);
    /* One week from Friday 18 December 2026 ends on Christmas Day: Monday 28 December. */
    static const int art1[] = {STEP_TERM_START, STEP_TERM_WEEKS, STEP_TERM_ART1, STEP_TERM_END,
                               END_OF_IDS};
    compute("2026-12-18", TERM_WEEKS, 1, "2026-12-28", &r, art1);
    expect_text(&r, 1, "1 week ", NULL);
    expect_text(&r, 2, "Eerste Kerstdag", NULL);
}

static void test_days_plain(void **state)
{
    (void)state;
    struct term_result r;
    static const int ids[] = {STEP_TERM_START, STEP_TERM_DAYS, STEP_TERM_END, END_OF_IDS};
    compute("2026-06-01", TERM_DAYS, 3, "2026-06-04", &r, ids);
    expect_text(&r, 1, "3 dagen", "2026-06-04", "donderdag", NULL);
    compute("2026-06-01", TERM_DAYS, 1, "2026-06-02", &r, ids);
    expect_text(&r, 1, "1 dag ", NULL);
    compute("2026-06-03", TERM_DAYS, 2, "2026-06-05", &r, ids);
}

static void test_art1(void **state)
{
    (void)state;
    struct term_result r;
    static const int ids[] = {STEP_TERM_START, STEP_TERM_DAYS, STEP_TERM_ART1, STEP_TERM_END,
                              END_OF_IDS};
    /* Ends on Saturday 6 June 2026: Monday 8 June. */
    compute("2026-06-01", TERM_DAYS, 5, "2026-06-08", &r, ids);
    const struct rule_step *s = find(&r, STEP_TERM_ART1);
    assert_int_equal(s->value, D("2026-06-08"));
    assert_int_equal(s->arg[0], D("2026-06-06"));
    assert_int_equal(r.step[1].value, D("2026-06-06"));
    expect_text(&r, 2, "2026-06-06 is een zaterdag", "2026-06-08", "maandag", NULL);
    assert_string_equal(step_basis(s), "Algemene termijnenwet art. 1 en 3");
    /* Ends on a Sunday. */
    compute("2026-06-01", TERM_DAYS, 6, "2026-06-08", &r, ids);
    expect_text(&r, 2, "2026-06-07 is een zondag", NULL);
    /* Ends on Koningsdag, Monday 27 April 2026: Tuesday 28 April. */
    compute("2026-04-20", TERM_DAYS, 7, "2026-04-28", &r, ids);
    expect_text(&r, 2, "2026-04-27 is een Koningsdag", "2026-04-28", "dinsdag", NULL);
    /* Ends on Christmas Day, Friday 25 December 2026: past the weekend to Monday 28. */
    compute("2026-12-11", TERM_DAYS, 14, "2026-12-28", &r, ids);
    expect_text(&r, 2, "2026-12-25 is een Eerste Kerstdag", "2026-12-28", NULL);
    /* Ends on Hemelvaartsdag, Thursday 14 May 2026: Friday 15 May. */
    compute("2026-05-04", TERM_DAYS, 10, "2026-05-15", &r, ids);
    expect_text(&r, 2, "Hemelvaartsdag", NULL);
    /* A two-day term ending on Saturday after Good Friday: art. 1 only (no art. 2 below
     * three days), to Tuesday 7 April past Easter Monday. */
    compute("2026-04-02", TERM_DAYS, 2, "2026-04-07", &r, ids);
}

static void test_art2(void **state)
{
    (void)state;
    struct term_result r;
    /* Three days from Friday 27 March 2026: Saturday, Sunday, Monday 30 March. The end is a
     * working day, but the term holds only one: art. 2 gives Tuesday 31 March. */
    static const int art2[] = {STEP_TERM_START, STEP_TERM_DAYS, STEP_TERM_ART2, STEP_TERM_END,
                               END_OF_IDS};
    compute("2026-03-27", TERM_DAYS, 3, "2026-03-31", &r, art2);
    assert_int_equal(r.step[1].value, D("2026-03-30"));
    const struct rule_step *s = find(&r, STEP_TERM_ART2);
    assert_int_equal(s->value, D("2026-03-31"));
    assert_int_equal(s->arg[0], D("2026-03-30"));
    expect_text(&r, 2, "minder dan twee werkdagen", "2026-03-31", "dinsdag", NULL);
    assert_string_equal(step_basis(s), "Algemene termijnenwet art. 2");
    /* Four days from the same Friday hold Monday and Tuesday: no extension. */
    static const int plain[] = {STEP_TERM_START, STEP_TERM_DAYS, STEP_TERM_END, END_OF_IDS};
    compute("2026-03-27", TERM_DAYS, 4, "2026-03-31", &r, plain);

    /* Both articles: three days from Thursday 2 April 2026 end on Easter Sunday; art. 1
     * passes Easter Monday to Tuesday 7 April, one working day; art. 2 gives Wednesday. */
    static const int both[] = {STEP_TERM_START, STEP_TERM_DAYS, STEP_TERM_ART1,
                               STEP_TERM_ART2,  STEP_TERM_END,  END_OF_IDS};
    compute("2026-04-02", TERM_DAYS, 3, "2026-04-08", &r, both);
    assert_int_equal(r.step[2].arg[0], D("2026-04-05"));
    assert_int_equal(r.step[2].value, D("2026-04-07"));
    assert_int_equal(r.step[3].arg[0], D("2026-04-07"));
    assert_int_equal(r.step[3].value, D("2026-04-08"));
    expect_text(&r, 2, "2026-04-05 is een zondag", "2026-04-07", NULL);
    expect_text(&r, 3, "2026-04-08", "woensdag", NULL);
    expect_text(&r, 4, "Einddatum: 2026-04-08 (woensdag)", NULL);
}

static void test_art4(void **state)
{
    (void)state;
    struct term_result r;
    /* 13 weeks from Sunday 29 March 2026 end on Sunday 28 June: no extension. */
    static const int weeks4[] = {STEP_TERM_START, STEP_TERM_WEEKS, STEP_TERM_ART4, STEP_TERM_END,
                                 END_OF_IDS};
    compute("2026-03-29", TERM_WEEKS, 13, "2026-06-28", &r, weeks4);
    assert_int_equal(date_weekday(r.end), DATE_SUN);
    const struct rule_step *s = find(&r, STEP_TERM_ART4);
    assert_int_equal(s->value, D("2026-06-28"));
    expect_text(&r, 2, "12 weken", "niet van toepassing", NULL);
    assert_string_equal(step_basis(s), "Algemene termijnenwet art. 4");
    /* 91 days from the same Sunday: the same Sunday, no extension. */
    static const int days4[] = {STEP_TERM_START, STEP_TERM_DAYS, STEP_TERM_ART4, STEP_TERM_END,
                                END_OF_IDS};
    compute("2026-03-29", TERM_DAYS, 91, "2026-06-28", &r, days4);
    expect_text(&r, 2, "90 dagen", "niet van toepassing", NULL);
    /* A long term on a working day still records art. 4. */
    compute("2026-03-30", TERM_WEEKS, 13, "2026-06-29", &r, weeks4);
    compute("2026-01-01", TERM_DAYS, 1000, "2028-09-27", &r, days4);

    /* 12 weeks and 90 days are still within the Atw and are extended. */
    static const int w_art1[] = {STEP_TERM_START, STEP_TERM_WEEKS, STEP_TERM_ART1, STEP_TERM_END,
                                 END_OF_IDS};
    compute("2026-03-29", TERM_WEEKS, 12, "2026-06-22", &r, w_art1);
    static const int d_art1[] = {STEP_TERM_START, STEP_TERM_DAYS, STEP_TERM_ART1, STEP_TERM_END,
                                 END_OF_IDS};
    compute("2026-03-30", TERM_DAYS, 90, "2026-06-29", &r, d_art1);
    expect_text(&r, 2, "2026-06-28 is een zondag", NULL);
}

static void test_range(void **state)
{
    (void)state;
    const int bad[] = {0, -1, TERM_MAX_N + 1, 1001, -1000000};
    const enum term_kind kinds[] = {TERM_WORKDAYS, TERM_DAYS, TERM_WEEKS};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            struct term_result r;
            struct lks_err err = {0};
            int rc = term_compute(D("2026-03-30"), kinds[k], bad[i], &r, &err);
            assert_int_equal(rc, LKS_EINVAL);
            assert_int_equal(err.code, LKS_EINVAL);
            assert_string_equal(err.field, "aantal");
            assert_string_equal(err.reason, "out-of-range");
            assert_non_null(strstr(err.msg, "1000"));
        }
        /* The bounds themselves are allowed. */
        struct term_result r;
        struct lks_err err = {0};
        assert_int_equal(term_compute(D("2026-03-30"), kinds[k], 1, &r, &err), 0);
        assert_int_equal(term_compute(D("2026-03-30"), kinds[k], TERM_MAX_N, &r, &err), 0);
    }
}

/* Random terms against base/cal: the end and the steps follow from cal_atw_extend. */
static void test_property(void **state)
{
    (void)state;
    uint64_t seed = 0x7e3a11ce2026ULL;
    const lks_date lo = D("1990-01-01"), hi = D("2150-12-31");
    for (int i = 0; i < 20000; i++) {
        lks_date from = lo + (lks_date)(test_rand(&seed) % (uint64_t)(hi - lo + 1));
        enum term_kind kind = (enum term_kind)(test_rand(&seed) % 3);
        int n = 1 + (int)(test_rand(&seed) % (kind == TERM_WEEKS ? 20 : 120));
        struct term_result r;
        struct lks_err err = {0};
        assert_int_equal(term_compute(from, kind, n, &r, &err), 0);
        assert_true(r.nsteps >= 3 && r.nsteps <= TERM_MAX_STEPS);
        assert_int_equal(r.step[0].id, STEP_TERM_START);
        assert_int_equal(r.step[r.nsteps - 1].id, STEP_TERM_END);
        assert_int_equal(r.step[r.nsteps - 1].value, r.end);
        if (kind == TERM_WORKDAYS) {
            assert_int_equal(r.end, cal_add_workdays(from, n));
            assert_int_equal(r.nsteps, 3);
            continue;
        }
        lks_date plain = from + (kind == TERM_WEEKS ? 7 * n : n);
        assert_int_equal(r.step[1].value, plain);
        bool long_term = kind == TERM_WEEKS ? n > 12 : n > 90;
        if (long_term) {
            assert_int_equal(r.end, plain);
            assert_int_equal(r.nsteps, 4);
            assert_int_equal(r.step[2].id, STEP_TERM_ART4);
            continue;
        }
        struct cal_atw atw;
        cal_atw_extend(from, plain, &atw);
        assert_int_equal(r.end, atw.end);
        assert_true(cal_is_workday(r.end));
        int k = 2;
        if (atw.art1) {
            assert_int_equal(r.step[k].id, STEP_TERM_ART1);
            assert_int_equal(r.step[k].arg[0], plain);
            assert_true(cal_is_workday((lks_date)r.step[k].value));
            assert_int_equal(cal_workdays_between(plain, (lks_date)r.step[k].value), 1);
            k++;
        }
        assert_int_equal(r.step[k].id == STEP_TERM_ART2, atw.art2);
        if (atw.art2) {
            assert_true(n >= 3);
            assert_int_equal(r.step[k].value, r.end);
            k++;
        }
        assert_int_equal(k, r.nsteps - 1);
        if (!atw.art1 && !atw.art2)
            assert_int_equal(r.end, plain);
    }
}

static void test_codec_json(void **state)
{
    (void)state;
    struct term_result r;
    static const int both[] = {STEP_TERM_START, STEP_TERM_DAYS, STEP_TERM_ART1,
                               STEP_TERM_ART2,  STEP_TERM_END,  END_OF_IDS};
    compute("2026-04-02", TERM_DAYS, 3, "2026-04-08", &r, both);
    static const char *dates[] = {"2026-04-02", "2026-04-05", "2026-04-07", "2026-04-08",
                                  "2026-04-08"};
    for (int pretty = 0; pretty <= 1; pretty++) {
        struct jw w;
        jw_init(&w, 1 << 20, pretty);
        codec_term(&w, &r);
        assert_false(jw_failed(&w));
        json_error_t jerr;
        json_t *root = json_loads(w.buf, 0, &jerr);
        if (!root)
            fail_msg("codec_term wrote invalid JSON: %s\n%s", jerr.text, w.buf);
        assert_string_equal(json_string_value(json_object_get(root, "vanaf")), "2026-04-02");
        assert_string_equal(json_string_value(json_object_get(root, "einddatum")), "2026-04-08");
        json_t *st = json_object_get(root, "stappen");
        assert_true(json_is_array(st));
        assert_int_equal(json_array_size(st), 5);
        for (size_t i = 0; i < 5; i++) {
            json_t *e = json_array_get(st, i);
            assert_string_equal(json_string_value(json_object_get(e, "datum")), dates[i]);
            char buf[STEP_TEXT_MAX];
            assert_string_equal(json_string_value(json_object_get(e, "omschrijving")),
                                step_text(&r.step[i], buf, sizeof buf));
            assert_string_equal(json_string_value(json_object_get(e, "wettelijkeGrondslag")),
                                step_basis(&r.step[i]));
            assert_null(json_object_get(e, "bedrag"));
            assert_null(json_object_get(e, "aantal"));
        }
        assert_non_null(strstr(
            json_string_value(json_object_get(json_array_get(st, 2), "omschrijving")), "zondag"));
        json_decref(root);
        jw_free(&w);
    }

    /* Working days: three steps, the end date in the last one. */
    static const int wd[] = {STEP_TERM_START, STEP_TERM_WORKDAYS, STEP_TERM_END, END_OF_IDS};
    compute("2026-03-30", TERM_WORKDAYS, 10, "2026-04-15", &r, wd);
    struct jw w;
    jw_init(&w, 1 << 20, false);
    codec_term(&w, &r);
    json_t *root = json_loads(w.buf, 0, NULL);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "einddatum")), "2026-04-15");
    json_t *st = json_object_get(root, "stappen");
    assert_int_equal(json_array_size(st), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(st, 2), "datum")),
                        "2026-04-15");
    json_decref(root);
    jw_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workdays_easter),
        cmocka_unit_test(test_workdays_from_friday),
        cmocka_unit_test(test_weeks),
        cmocka_unit_test(test_days_plain),
        cmocka_unit_test(test_art1),
        cmocka_unit_test(test_art2),
        cmocka_unit_test(test_art4),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_property),
        cmocka_unit_test(test_codec_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

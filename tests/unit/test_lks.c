/*
 * test_lks — the monthly LKS amount: the vectors of shared/vectors/lks_examples.tsv,
 * an independent reference over many random inputs, the properties of the rule
 * (cap, monotone, total = subsidy + allowance, steps recomputable), every error,
 * and operator overrides of the rule tables.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "base/money.h"
#include "rules/lks.h"
#include "rules/tables.h"

static struct rules R;

/* The first day of the flat rate (Participatiewet art. 10d lid 5, Stb. 2016, 498). */
#define FLAT_FROM date_from_ymd(2016, 7, 4)

static int setup(void **state)
{
    (void)state;
    struct lks_err e = {0};
    return rules_load_builtin(&R, &e);
}

static int64_t cents(const char *s)
{
    int64_t v;
    struct lks_err e;
    if (money_parse(&v, s, "test", &e))
        fail_msg("bad amount in vector: '%s'", s);
    return v;
}

static lks_date day(const char *s)
{
    lks_date d;
    struct lks_err e;
    if (date_parse(&d, s, "test", &e))
        fail_msg("bad date: '%s'", s);
    return d;
}

/* Every row of lks_examples.tsv, read from the file. */
static void test_vectors(void **state)
{
    (void)state;
    char *buf = shared_slurp("vectors/lks_examples.tsv");
    struct tsv t;
    struct lks_err e = {0};
    assert_int_equal(tsv_open(&t, buf, "lks_examples.tsv", &e), 0);
    int c_peil = tsv_col(&t, "peildatum"), c_age = tsv_col(&t, "age"),
        c_lw = tsv_col(&t, "loonwaarde"), c_h = tsv_col(&t, "hours"),
        c_ft = tsv_col(&t, "hours_fulltime"), c_forf = tsv_col(&t, "forfait"),
        c_wml = tsv_col(&t, "wml_month"), c_base = tsv_col(&t, "base"),
        c_sub = tsv_col(&t, "subsidy"), c_all = tsv_col(&t, "allowance"),
        c_tot = tsv_col(&t, "total");
    assert_true(c_peil >= 0 && c_tot >= 0 && c_sub >= 0);
    int rows = 0, moved = 0;
    while (tsv_next(&t, &e) == 1) {
        struct lks_input in = {
            .peildatum = day(tsv_get(&t, c_peil)),
            .hours = (int32_t)cents(tsv_get(&t, c_h)),
            .fulltime = (int32_t)cents(tsv_get(&t, c_ft)),
            .age = *tsv_get(&t, c_age) ? atoi(tsv_get(&t, c_age)) : LKS_AGE_ADULT,
            .forfait = strcmp(tsv_get(&t, c_forf), "yes") == 0,
        };
        if (*tsv_get(&t, c_lw))
            in.loonwaarde = (int32_t)cents(tsv_get(&t, c_lw));
        struct lks_result r;
        if (in.forfait && in.peildatum < FLAT_FROM) {
            /* The published flat-rate example (Rendement, 2016-07-27) names the WML of
             * 2016-07-01 as its peildatum; the flat rate began on 2016-07-04 with that WML
             * in force. On 2016-07-01 itself it is refused; its figures are those of the
             * first day of the flat rate, in the same WML row. */
            assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
            assert_string_equal(e.field, "forfaitair");
            lks_err_clear(&e);
            assert_ptr_equal(rules_wml_at(&R, in.peildatum, &e), rules_wml_at(&R, FLAT_FROM, &e));
            in.peildatum = FLAT_FROM;
            moved++;
        }
        assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
        assert_int_equal(r.wml, cents(tsv_get(&t, c_wml)));
        assert_int_equal(r.base, cents(tsv_get(&t, c_base)));
        assert_int_equal(r.subsidy, cents(tsv_get(&t, c_sub)));
        assert_int_equal(r.allowance, cents(tsv_get(&t, c_all)));
        assert_int_equal(r.total, cents(tsv_get(&t, c_tot)));
        rows++;
    }
    assert_int_equal(rows, 6);
    assert_int_equal(moved, 1);
    free(buf);
}

/* Reference: the formula of domain.md §3 written independently, 128-bit rationals. */
static int64_t rhalf(money_i128 num, money_i128 den)
{
    return (int64_t)((2 * num + den) / (2 * den)); /* all values here are >= 0 */
}

static int64_t reference_total(const struct lks_input *in, int64_t *subsidy_out)
{
    struct lks_err e;
    const struct rules_wml *w = rules_wml_at(&R, in->peildatum, &e);
    const struct rules_allowance *a = rules_allowance_at(&R, in->peildatum, &e);
    int64_t wml = w->month;
    if (in->age != LKS_AGE_ADULT && in->age < w->full_age) {
        /* a multiple of 5 cents before 2024 (Besluit minimumjeugdloon art. 2 lid 2) */
        const struct rules_youth *y = rules_youth_at(&R, in->peildatum, &e);
        int64_t unit = in->peildatum < date_from_ymd(2024, 1, 1) ? 5 : 1;
        wml = rhalf((money_i128)wml * y->pct[in->age], 10000 * unit) * unit;
    }
    int64_t base = rhalf((money_i128)wml * 108, 100);
    int64_t wage;
    if (in->forfait)
        wage = rhalf((money_i128)base * 50, 100);
    else {
        int64_t gap = 10000 - in->loonwaarde;
        wage = rhalf((money_i128)base * (gap > 7000 ? 7000 : gap), 10000);
    }
    int64_t fulltime = in->fulltime ? in->fulltime : in->hours; /* not known: not needed */
    int64_t hours = in->hours < fulltime ? in->hours : fulltime;
    int64_t div = in->peildatum >= date_from_ymd(2024, 1, 1) ? 3600 : fulltime;
    int64_t sub = rhalf((money_i128)wage * hours, div);
    *subsidy_out = sub;
    return sub + rhalf((money_i128)sub * a->pct, 10000);
}

static void random_input(uint64_t *seed, struct lks_input *in)
{
    lks_date lo = date_from_ymd(2015, 1, 1), hi = R.until;
    in->peildatum = lo + (lks_date)(test_rand(seed) % (uint64_t)(hi - lo + 1));
    in->loonwaarde = (int32_t)(test_rand(seed) % 10001);
    in->hours = 100 + (int32_t)(test_rand(seed) % 4901);
    in->fulltime = test_rand(seed) % 8 == 0 ? 0 : 3000 + (int32_t)(test_rand(seed) % 1001);
    in->age = test_rand(seed) % 4 == 0 ? 15 + (int32_t)(test_rand(seed) % 10) : LKS_AGE_ADULT;
    in->forfait = test_rand(seed) % 10 == 0;
}

static void test_reference(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed1234abcdULL;
    for (int i = 0; i < 200000; i++) {
        struct lks_input in;
        random_input(&seed, &in);
        struct lks_result r;
        struct lks_err e = {0};
        if (in.forfait && in.peildatum < FLAT_FROM) {
            assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
            assert_string_equal(e.field, "forfaitair");
            continue;
        }
        /* without the sector's hours: refused before 2024 and above 36 hours */
        if (in.fulltime == 0 &&
            (in.peildatum < date_from_ymd(2024, 1, 1) || in.hours > 3600)) {
            assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
            assert_string_equal(e.field, "voltijduren");
            assert_string_equal(e.reason, "required");
            assert_true(lks_fulltime_needed(&R, in.peildatum, in.hours));
            continue;
        }
        assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
        int64_t sub;
        int64_t total = reference_total(&in, &sub);
        if (r.total != total || r.subsidy != sub)
            fail_msg("input %d: total %lld, reference %lld", i, (long long)r.total,
                     (long long)total);
    }
}

/* Recompute every step from the figures of the steps before it and its arguments. */
static void check_steps(const struct lks_result *r)
{
    int64_t prev = 0, v;
    for (int i = 0; i < r->nsteps; i++) {
        const struct rule_step *s = &r->step[i];
        const int64_t *x = s->arg;
        switch (s->id) {
        case STEP_LKS_WML:
            assert_int_equal(i, 0);
            break;
        case STEP_LKS_YOUTH:
            assert_int_equal(x[0], prev);
            money_mul_div(&v, x[0], x[1], 10000);
            assert_int_equal(s->value, v);
            break;
        case STEP_LKS_YOUTH_MULTIPLE:
            assert_int_equal(x[0], prev);
            assert_true(x[3] > 1);
            money_mul_div(&v, x[0], x[1], 10000 * x[3]);
            assert_int_equal(s->value, v * x[3]);
            break;
        case STEP_LKS_BASE:
            assert_int_equal(x[0], prev);
            money_mul_div(&v, x[0], 10000 + x[1], 10000);
            assert_int_equal(s->value, v);
            break;
        case STEP_LKS_WAGE:
            assert_int_equal(x[0], prev);
            assert_int_equal(x[2], 10000 - x[1]);
            money_mul_div(&v, x[0], x[2], 10000);
            assert_int_equal(s->value, v);
            break;
        case STEP_LKS_WAGE_CAP:
            assert_int_equal(x[0], prev);
            assert_true(x[2] > x[3]);
            money_mul_div(&v, x[0], x[3], 10000);
            assert_int_equal(s->value, v);
            break;
        case STEP_LKS_FORFAIT:
            assert_int_equal(x[0], prev);
            money_mul_div(&v, x[0], x[1], 10000);
            assert_int_equal(s->value, v);
            break;
        case STEP_LKS_HOURS_FIXED:
        case STEP_LKS_HOURS_SECTOR:
            assert_int_equal(x[0], prev);
            money_mul_div(&v, x[0], x[1], x[2]);
            assert_int_equal(s->value, v);
            break;
        case STEP_LKS_ALLOWANCE:
            assert_int_equal(x[0], prev);
            money_mul_div(&v, x[0], x[1], 10000);
            assert_int_equal(s->value, v);
            break;
        case STEP_LKS_TOTAL:
            assert_int_equal(i, r->nsteps - 1);
            assert_int_equal(s->value, x[0] + x[1]);
            assert_int_equal(x[1], prev);
            assert_int_equal(x[0], r->step[i - 2].value);
            break;
        default:
            fail_msg("unexpected step %d", s->id);
        }
        prev = s->value;
    }
    assert_int_equal(prev, r->total);
}

static void test_properties(void **state)
{
    (void)state;
    uint64_t seed = 42;
    for (int i = 0; i < 100000; i++) {
        struct lks_input in;
        random_input(&seed, &in);
        if (in.peildatum < FLAT_FROM)
            in.forfait = false; /* refused: test_reference checks that */
        if (in.fulltime == 0 && lks_fulltime_needed(&R, in.peildatum, in.hours))
            in.fulltime = in.hours + 1; /* refused without: test_reference checks that */
        struct lks_result r, r2;
        struct lks_err e = {0};
        assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
        /* total = subsidy + allowance */
        assert_int_equal(r.total, r.subsidy + r.allowance);
        /* the wage part never above the cap of the base (10d lid 4) */
        int64_t cap;
        money_mul_div(&cap, r.base, 7000, 10000);
        assert_true(r.fulltime_subsidy <= cap);
        /* monotone: a higher loonwaarde never gives more */
        if (!in.forfait && in.loonwaarde < 10000) {
            struct lks_input in2 = in;
            in2.loonwaarde += 1 + (int32_t)(test_rand(&seed) % (uint64_t)(10000 - in.loonwaarde));
            assert_int_equal(lks_compute(&R, &in2, &r2, &e), 0);
            assert_true(r2.total <= r.total);
        }
        /* more hours never give less */
        if (in.hours < 6000 &&
            !(in.fulltime == 0 && lks_fulltime_needed(&R, in.peildatum, in.hours + 1))) {
            struct lks_input in3 = in;
            in3.hours += 1;
            assert_int_equal(lks_compute(&R, &in3, &r2, &e), 0);
            assert_true(r2.total >= r.total);
        }
        check_steps(&r);
    }
}

static void test_youth_and_sector(void **state)
{
    (void)state;
    struct lks_result r;
    struct lks_err e = {0};
    /* 2026: 18 years → 50% of 2294.40 = 1147.20 */
    struct lks_input in = {date_from_ymd(2026, 1, 1), 6000, 3600, 3600, 18, false};
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 114720);
    assert_int_equal(r.step[1].id, STEP_LKS_YOUTH);
    /* 21 in 2026 is the full rate: no youth step */
    in.age = 21;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 229440);
    assert_int_equal(r.step[1].id, STEP_LKS_BASE);
    /* 2015: 22 is still youth (85%), full rate from 23; 1501.80 × 85% = 1276.53, a
     * multiple of 5 cents: 1276.55 */
    in.peildatum = date_from_ymd(2015, 3, 1);
    in.age = 22;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 127655);
    /* before 2024: pro rata over the sector's hours; full hours give the full amount */
    struct lks_input a = {date_from_ymd(2023, 1, 1), 5000, 3800, 3800, LKS_AGE_ADULT, false};
    assert_int_equal(lks_compute(&R, &a, &r, &e), 0);
    assert_int_equal(r.subsidy, r.fulltime_subsidy);
    assert_int_equal(r.step[3].id, STEP_LKS_HOURS_SECTOR);
    a.hours = 4000; /* more than the sector's full time: capped */
    assert_int_equal(lks_compute(&R, &a, &r, &e), 0);
    assert_int_equal(r.subsidy, r.fulltime_subsidy);
    /* from 2024 over 36: 38 of 38 hours gives more than the full-time figure */
    a.peildatum = date_from_ymd(2024, 1, 1);
    a.hours = 3800;
    assert_int_equal(lks_compute(&R, &a, &r, &e), 0);
    assert_true(r.subsidy > r.fulltime_subsidy);
    assert_int_equal(r.step[3].id, STEP_LKS_HOURS_FIXED);
    /* the allowance is 23% before 2018 */
    a.peildatum = date_from_ymd(2017, 12, 31);
    assert_int_equal(lks_compute(&R, &a, &r, &e), 0);
    assert_int_equal(r.step[4].arg[1], 2300);
}

/* The text and basis of a step, for the assertions below. */
static const char *text_of(const struct rule_step *st)
{
    static char buf[STEP_TEXT_MAX];
    return step_text(st, buf, sizeof buf);
}

/* Youth minimum wage before 2024: a multiple of € 0,05, a rest of € 0,025 or more
 * up (Besluit minimumjeugdloon art. 2 lid 2); from 2024 to the cent. */
static void test_youth_rounding(void **state)
{
    (void)state;
    struct lks_result r;
    struct lks_err e = {0};
    /* the published youth amount: 20 years on 2019-07-01, 80% of 1635.60 = 1308.48 → 1308.50 */
    struct lks_input in = {date_from_ymd(2019, 7, 1), 6000, 3600, 3600, 20, false};
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 130850);
    assert_int_equal(r.step[1].id, STEP_LKS_YOUTH_MULTIPLE);
    assert_int_equal(r.step[1].arg[3], 5);
    assert_non_null(strstr(text_of(&r.step[1]), "afgerond op een veelvoud van € 0,05"));
    assert_non_null(strstr(text_of(&r.step[1]), "€ 0,025 of meer naar boven"));
    assert_non_null(strstr(step_basis(&r.step[1]), "Besluit minimumjeugdloon art. 2 lid 2"));
    check_steps(&r);
    /* a rest of exactly € 0,025 rounds up: 17 years on 2023-07-01, 39.5% of 1995.00 =
     * 788.025 → 788.05 (to the cent it would be 788.03); 16 years: 688.275 → 688.30 */
    in.peildatum = date_from_ymd(2023, 7, 1);
    in.age = 17;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 78805);
    in.age = 16;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 68830);
    /* a rest below it rounds down: 17 years on 2020-01-01, 39.5% of 1653.60 = 653.172 → 653.15 */
    in.peildatum = date_from_ymd(2020, 1, 1);
    in.age = 17;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 65315);
    /* every youth age on 2019-07-01 and 2023-07-01 is a multiple of 5 cents */
    const lks_date days[] = {date_from_ymd(2019, 7, 1), date_from_ymd(2023, 7, 1)};
    for (int d = 0; d < 2; d++)
        for (int age = 15; age <= 21; age++) {
            in.peildatum = days[d];
            in.age = age;
            assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
            assert_int_equal(r.wml % 5, 0);
            if (age < 21) /* 21 is the full rate from 2019-07-01 */
                assert_int_equal(r.step[1].id, STEP_LKS_YOUTH_MULTIPLE);
            check_steps(&r);
        }
    /* the last day before 2024 still rounds to 5 cents, 2024 to the cent: 17 years,
     * 39.5% of 2069.40 = 817.413 → 817.41 */
    in.peildatum = date_from_ymd(2023, 12, 31);
    in.age = 17;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 78805);
    in.peildatum = date_from_ymd(2024, 1, 1);
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.wml, 81741);
    assert_int_equal(r.step[1].id, STEP_LKS_YOUTH);
    assert_null(strstr(text_of(&r.step[1]), "veelvoud"));
}

static void write_file(const char *path, const char *text);

/* The € 0,025 boundary on constructed tables: 50% of 1000.05 = 500.025 (up to 500.05) and
 * 49.99% of 1000.05 = 499.924995 (down to 499.90); with a cent unit 500.03 and 499.92. */
static void test_youth_rounding_boundary(void **state)
{
    (void)state;
    char dir[] = "/tmp/lks_jeugd_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char wml[256], youth[256], lks[256];
    snprintf(wml, sizeof wml, "%s/wml.tsv", dir);
    snprintf(youth, sizeof youth, "%s/wml_youth.tsv", dir);
    snprintf(lks, sizeof lks, "%s/lks.tsv", dir);
    write_file(wml, "from\tmonth\thour\tfull_age\n2015-02-01\t1000.05\t\t23\n");
    write_file(youth, "from\t22\t21\t20\t19\t18\t17\t16\t15\n"
                      "2015-02-01\t50\t49.99\t40\t30\t30\t30\t30\t30\n");
    struct rules *r2 = malloc(sizeof *r2);
    assert_non_null(r2);
    *r2 = R;
    struct lks_err e = {0};
    assert_int_equal(rules_load_override(r2, dir, &e), 0);
    struct lks_input in = {date_from_ymd(2015, 3, 1), 6000, 3600, 3600, 22, false};
    struct lks_result res;
    assert_int_equal(lks_compute(r2, &in, &res, &e), 0);
    assert_int_equal(res.wml, 50005);
    check_steps(&res);
    in.age = 21;
    assert_int_equal(lks_compute(r2, &in, &res, &e), 0);
    assert_int_equal(res.wml, 49990);
    check_steps(&res);
    /* the unit is the table's: a cent unit for the same date gives cent rounding */
    write_file(lks, "from\tvakantiebijslag\tmax\tforfait\tforfait_maanden\tdeler\t"
                    "afronding_jeugdloon\n2015-01-01\t8\t70\t0\t0\tsector\t0.01\n");
    *r2 = R;
    assert_int_equal(rules_load_override(r2, dir, &e), 0);
    in.age = 22;
    assert_int_equal(lks_compute(r2, &in, &res, &e), 0);
    assert_int_equal(res.wml, 50003);
    assert_int_equal(res.step[1].id, STEP_LKS_YOUTH);
    in.age = 21;
    assert_int_equal(lks_compute(r2, &in, &res, &e), 0);
    assert_int_equal(res.wml, 49992);
    /* the unit must be given, from € 0,01 to € 1 */
    const char *bad[] = {"0", "1.01", "", "5ct"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "from\tvakantiebijslag\tmax\tforfait\tforfait_maanden\tdeler\t"
                 "afronding_jeugdloon\n2015-01-01\t8\t70\t0\t0\tsector\t%s\n",
                 bad[i]);
        write_file(lks, text);
        *r2 = R;
        lks_err_clear(&e);
        assert_int_not_equal(rules_load_override(r2, dir, &e), 0);
        assert_non_null(strstr(e.msg, "afronding_jeugdloon"));
    }
    write_file(lks, "from\tvakantiebijslag\tmax\tforfait\tforfait_maanden\tdeler\n"
                    "2015-01-01\t8\t70\t0\t0\tsector\n");
    *r2 = R;
    assert_int_not_equal(rules_load_override(r2, dir, &e), 0);
    assert_non_null(strstr(e.msg, "afronding_jeugdloon"));
    free(r2);
    unlink(wml);
    unlink(youth);
    unlink(lks);
    rmdir(dir);
}

/* The flat rate exists from 2016-07-04 (Stb. 2016, 498): asked before, it is refused. */
static void test_flat_rate_from_2016(void **state)
{
    (void)state;
    struct lks_result r;
    struct lks_err e = {0};
    struct lks_input in = {date_from_ymd(2015, 3, 1), 0, 3600, 3600, LKS_AGE_ADULT, true};
    assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "forfaitair");
    assert_non_null(strstr(e.msg, "4 juli 2016"));
    assert_non_null(strstr(e.msg, "Stb. 2016, 498"));
    /* the last day without and the first day with a flat rate */
    lks_err_clear(&e);
    in.peildatum = date_from_ymd(2016, 7, 3);
    assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "forfaitair");
    lks_err_clear(&e);
    in.peildatum = FLAT_FROM;
    in.hours = in.fulltime = 3800;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.step[2].id, STEP_LKS_FORFAIT);
    assert_int_equal(r.step[2].arg[2], 6); /* at most the first 6 months */
    assert_int_equal(r.subsidy, 83009);   /* 50% of 1660.18 (Rendement 2016) */
    /* a measured loonwaarde is computed on every date */
    in.peildatum = date_from_ymd(2015, 3, 1);
    in.forfait = false;
    in.loonwaarde = 6000;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
}

/* The sector's full-time hours: 0 = not known, refused only where they change the amount. */
static void test_fulltime_unknown(void **state)
{
    (void)state;
    struct lks_result r;
    struct lks_err e = {0};
    /* 2026-01-15, 40 of 40 hours, loonwaarde 60: 991.18 × 40 / 36 = 1101.31 */
    struct lks_input in = {date_from_ymd(2026, 1, 15), 6000, 4000, 4000, LKS_AGE_ADULT, false};
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.subsidy, 110131);
    /* without the sector's hours 40 hours are not computed on 36 (991.18) but refused */
    in.fulltime = 0;
    assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "voltijduren");
    assert_string_equal(e.reason, "required");
    assert_non_null(strstr(e.msg, "meer dan 36 uur per week"));
    assert_non_null(strstr(e.msg, "voltijdse uren van de sector"));
    /* 2023-07-01, 32 of 40 hours, loonwaarde 60: 40% of 2154.60 = 861.84 × 32 / 40 = 689.47 */
    in = (struct lks_input){date_from_ymd(2023, 7, 1), 6000, 3200, 4000, LKS_AGE_ADULT, false};
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(r.subsidy, 68947);
    assert_int_equal(r.step[3].id, STEP_LKS_HOURS_SECTOR);
    /* before 2024 the sector's hours are the divisor: always needed, not taken as 36 */
    in.fulltime = 0;
    lks_err_clear(&e);
    assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "voltijduren");
    assert_string_equal(e.reason, "required");
    assert_non_null(strstr(e.msg, "voor 2024"));
    in.hours = 100; /* whatever the hours */
    assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
    assert_true(lks_fulltime_needed(&R, date_from_ymd(2023, 12, 31), 100));
    assert_true(lks_fulltime_needed(&R, date_from_ymd(2015, 1, 1), 3600));
    /* from 2024: up to 36 hours the sector does not matter */
    in = (struct lks_input){date_from_ymd(2024, 1, 1), 6000, 3600, 0, LKS_AGE_ADULT, false};
    assert_false(lks_fulltime_needed(&R, in.peildatum, 3600));
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    struct lks_result with;
    for (int32_t ft = 3600; ft <= 4000; ft += 200) {
        struct lks_input in2 = in;
        in2.fulltime = ft;
        assert_int_equal(lks_compute(&R, &in2, &with, &e), 0);
        assert_int_equal(with.total, r.total);
    }
    check_steps(&r);
    in.hours = 1200;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    /* 36.01 hours: the sector's full time could cap them, so it is needed */
    in.hours = 3601;
    assert_true(lks_fulltime_needed(&R, in.peildatum, 3601));
    lks_err_clear(&e);
    assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "voltijduren");
    assert_string_equal(e.reason, "required");
    /* outside the tables: needed (and the peildatum is refused first) */
    assert_true(lks_fulltime_needed(&R, date_from_ymd(2014, 12, 31), 100));
    assert_true(lks_fulltime_needed(&R, date_from_ymd(2026, 7, 1), 100));
    in.peildatum = date_from_ymd(2026, 7, 1);
    assert_int_equal(lks_compute(&R, &in, &r, &e), LKS_ERANGE);
    assert_string_equal(e.field, "peildatum");
}

static void expect_err(struct lks_input in, int code, const char *field)
{
    struct lks_result r;
    struct lks_err e = {0};
    assert_int_equal(lks_compute(&R, &in, &r, &e), code);
    assert_string_equal(e.field, field);
    assert_true(strlen(e.msg) > 10);
}

static void test_errors(void **state)
{
    (void)state;
    struct lks_input ok = {date_from_ymd(2026, 1, 1), 6000, 3600, 3600, LKS_AGE_ADULT, false};
    struct lks_input in = ok;
    in.loonwaarde = 10001;
    expect_err(in, LKS_EINVAL, "loonwaarde");
    in = ok;
    in.loonwaarde = -1;
    expect_err(in, LKS_EINVAL, "loonwaarde");
    in = ok;
    in.hours = 0;
    expect_err(in, LKS_EINVAL, "uren");
    in = ok;
    in.hours = 6001;
    expect_err(in, LKS_EINVAL, "uren");
    in = ok;
    in.fulltime = -1;
    expect_err(in, LKS_EINVAL, "voltijduren");
    in = ok;
    in.fulltime = 6001;
    expect_err(in, LKS_EINVAL, "voltijduren");
    in = ok;
    in.age = 14;
    expect_err(in, LKS_EINVAL, "leeftijd");
    in = ok;
    in.peildatum = date_from_ymd(2014, 12, 31);
    expect_err(in, LKS_ERANGE, "peildatum");
    in = ok;
    in.peildatum = date_from_ymd(2026, 7, 1);
    expect_err(in, LKS_ERANGE, "peildatum");
    in = ok;
    in.peildatum = date_from_ymd(2026, 6, 30);
    struct lks_result r;
    struct lks_err e;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
}

/* ---- operator overrides ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_override(void **state)
{
    (void)state;
    char dir[] = "/tmp/lks_regels_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/wml.tsv", dir);

    /* a new half-year row, with its source */
    write_file(path, "# Staatscourant 2026 (voorbeeld)\nfrom\tmonth\thour\tfull_age\n"
                     "2026-07-01\t2330.40\t14.94\t21\n");
    struct rules r2 = R;
    struct lks_err e = {0};
    assert_int_equal(rules_load_override(&r2, dir, &e), 0);
    assert_int_equal(r2.n_wml, R.n_wml + 1);
    assert_int_equal(r2.until, date_from_ymd(2026, 12, 31));
    assert_non_null(strstr(r2.source.wml, dir));
    struct lks_input in = {date_from_ymd(2026, 8, 1), 6000, 3600, 3600, LKS_AGE_ADULT, false};
    struct lks_result res;
    assert_int_equal(lks_compute(&r2, &in, &res, &e), 0);
    assert_int_equal(res.wml, 233040);
    /* the built-in rows still hold before */
    in.peildatum = date_from_ymd(2026, 6, 30);
    assert_int_equal(lks_compute(&r2, &in, &res, &e), 0);
    assert_int_equal(res.wml, 229440);

    /* a row with an existing date replaces it */
    write_file(path, "from\tmonth\thour\tfull_age\n2026-01-01\t2300.00\t14.71\t21\n");
    r2 = R;
    assert_int_equal(rules_load_override(&r2, dir, &e), 0);
    assert_int_equal(r2.n_wml, R.n_wml);
    in.peildatum = date_from_ymd(2026, 2, 1);
    assert_int_equal(lks_compute(&r2, &in, &res, &e), 0);
    assert_int_equal(res.wml, 230000);

    /* broken tables are refused whole, naming file and line; the rules stay as they were */
    const char *bad[] = {
        "from\tmonth\thour\tfull_age\n2026-07-01\t2330.40\t\t21\n2026-01-01\t2300\t\t21\n",
        "from\tmonth\thour\tfull_age\n2026-07-01\tveel\t\t21\n",
        "from\tmonth\thour\tfull_age\n2026-07-32\t2330.40\t\t21\n",
        "from\tmonth\thour\n2026-07-01\t2330.40\t\n",
        "from\tmonth\thour\tfull_age\n2026-07-01\t2330.40\t\t21\textra\n",
        "from\tmonth\thour\tfull_age\n2026-07-01\t5.00\t\t21\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(path, bad[i]);
        r2 = R;
        lks_err_clear(&e);
        assert_int_not_equal(rules_load_override(&r2, dir, &e), 0);
        assert_non_null(strstr(e.field, "wml.tsv"));
        assert_true(strlen(e.msg) > 5);
        assert_memory_equal(&r2, &R, sizeof R);
    }
    /* an invalid lks.tsv divisor */
    unlink(path);
    snprintf(path, sizeof path, "%s/lks.tsv", dir);
    write_file(path, "from\tvakantiebijslag\tmax\tforfait\tforfait_maanden\tdeler\n"
                     "2025-01-01\t8\t70\t50\t6\tweek\n");
    r2 = R;
    assert_int_not_equal(rules_load_override(&r2, dir, &e), 0);
    assert_non_null(strstr(e.msg, "deler"));
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),          cmocka_unit_test(test_reference),
        cmocka_unit_test(test_properties),       cmocka_unit_test(test_youth_and_sector),
        cmocka_unit_test(test_errors),           cmocka_unit_test(test_override),
        cmocka_unit_test(test_youth_rounding),   cmocka_unit_test(test_youth_rounding_boundary),
        cmocka_unit_test(test_flat_rate_from_2016), cmocka_unit_test(test_fulltime_unknown),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

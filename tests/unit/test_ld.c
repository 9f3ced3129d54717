/*
 * test_ld — loondispensatie and the inverdieneffect: all 36 rows of seed 003
 * annex 1 (shared/vectors/twl_bijlage1.tsv) against their expected_* columns,
 * the seed's typo not copied, the seed's inverdieneffect figures, other
 * income, the floor at zero, and steps that reproduce the rounded figures.
 */
#include "testutil.h"

#include "base/money.h"
#include "rules/ld.h"

static int64_t cents(const char *s)
{
    int64_t v;
    struct lks_err e;
    if (money_parse(&v, s, "test", &e))
        fail_msg("bad amount: '%s'", s);
    return v;
}

static const char *household_of(const char *vector_name)
{
    if (!strcmp(vector_name, "single"))
        return "alleenstaand";
    if (!strcmp(vector_name, "single-parent"))
        return "alleenstaande-ouder";
    if (!strcmp(vector_name, "couple"))
        return "gehuwd";
    fail_msg("unknown household '%s'", vector_name);
    return NULL;
}

/* The steps reproduce the figures: income = round(exact B + exact supplement). */
static void check_steps(const struct ld_result *r)
{
    int64_t b = 0, supp = -1, income = -1;
    for (int i = 0; i < r->nsteps; i++) {
        const struct rule_step *s = &r->step[i];
        int64_t rounded;
        money_mul_div(&rounded, s->exact, 1, STEP_EXACT_SCALE);
        assert_int_equal(s->value, rounded);
        assert_int_equal(s->has_exact, s->exact % STEP_EXACT_SCALE != 0);
        if (s->id == STEP_LD_NET_FROM_LW || s->id == STEP_LD_NET_GIVEN)
            b = s->exact;
        if (s->id == STEP_LD_SUPPLEMENT)
            supp = s->exact;
        if (s->id == STEP_LD_INCOME)
            income = s->exact;
        if (s->id == STEP_LD_SAVING)
            assert_int_equal(s->value, s->arg[0] - s->arg[1]);
    }
    assert_true(supp >= 0);
    assert_int_equal(income, b + supp); /* C = 0 in these tables */
}

static void test_annex1(void **state)
{
    (void)state;
    char *buf = shared_slurp("vectors/twl_bijlage1.tsv");
    struct tsv t;
    struct lks_err e = {0};
    assert_int_equal(tsv_open(&t, buf, "twl_bijlage1.tsv", &e), 0);
    int c_h = tsv_col(&t, "household"), c_lw = tsv_col(&t, "loonwaarde"),
        c_a = tsv_col(&t, "expected_aanvulling"), c_i = tsv_col(&t, "expected_totaal_inkomen"),
        c_n = tsv_col(&t, "expected_norm"), c_b = tsv_col(&t, "expected_besparing"),
        c_si = tsv_col(&t, "seed_totaal_inkomen");
    assert_true(c_h >= 0 && c_lw >= 0 && c_a >= 0 && c_i >= 0 && c_n >= 0 && c_b >= 0);
    int rows = 0, typos = 0;
    while (tsv_next(&t, &e) == 1) {
        struct ld_input in = {
            .household = (enum ld_household)ld_household_parse(household_of(tsv_get(&t, c_h))),
            .loonwaarde = (int32_t)cents(tsv_get(&t, c_lw)),
            .norm_couple = 129507,
        };
        struct ld_result r;
        assert_int_equal(ld_compute(&in, &r, &e), 0);
        assert_int_equal(r.supplement, cents(tsv_get(&t, c_a)));
        assert_int_equal(r.income, cents(tsv_get(&t, c_i)));
        assert_int_equal(r.norm, cents(tsv_get(&t, c_n)));
        assert_int_equal(r.saving, cents(tsv_get(&t, c_b)));
        if (cents(tsv_get(&t, c_si)) != r.income) {
            /* the seed's one typo: single, 55%, printed 1976,53 */
            typos++;
            assert_string_equal(tsv_get(&t, c_h), "single");
            assert_string_equal(tsv_get(&t, c_lw), "55");
            assert_int_equal(r.income, 107653);
        }
        check_steps(&r);
        rows++;
    }
    assert_int_equal(rows, 36);
    assert_int_equal(typos, 1);
    free(buf);
}

static void test_inverdieneffect(void **state)
{
    (void)state;
    struct lks_err e = {0};
    struct ie_result r;
    /* seed 003 §9.3: 75 placements, 6 months, 0.7 FTE, loonwaarde 50% */
    struct ie_input in = {75, 6, 7000, 5000, 129507};
    assert_int_equal(ie_compute(&in, &r, &e), 0);
    assert_int_equal(r.per_fte_month, 51803);
    assert_int_equal(r.total, 16317840);
    assert_int_equal(r.step[0].value, 37233); /* single, 50%: 777.04 − 404.71 */
    assert_int_equal(r.step[3].value, 37233 + 53422 + 64753);
    /* "75 fulltime banen met een loonwaarde van 70% gedurende 12 maanden … globaal € 660.000" */
    struct ie_input in2 = {75, 12, 10000, 7000, 129507};
    assert_int_equal(ie_compute(&in2, &r, &e), 0);
    assert_true(r.total > 65000000 && r.total < 67000000);
    /* the total scales linearly with placements */
    struct ie_input in3 = {150, 12, 10000, 7000, 129507};
    struct ie_result r3;
    assert_int_equal(ie_compute(&in3, &r3, &e), 0);
    assert_true(r3.total - 2 * r.total <= 1 && 2 * r.total - r3.total <= 1);
    /* errors name the field */
    struct ie_input bad = in;
    bad.fte = 0;
    assert_int_equal(ie_compute(&bad, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "fte");
    bad = in;
    bad.months = -1;
    assert_int_equal(ie_compute(&bad, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "maanden");
    bad = in;
    bad.placements = -1;
    assert_int_equal(ie_compute(&bad, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "plaatsingen");
    bad = in;
    bad.norm_couple = 0;
    assert_int_equal(ie_compute(&bad, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "normGehuwden");
}

static void test_other_income_and_floor(void **state)
{
    (void)state;
    struct lks_err e = {0};
    struct ld_result r;
    /* couple, 60%: A − B = 518.03 (exact 518.028); other income 100 → 418.03 */
    struct ld_input in = {LD_COUPLE, 6000, 129507, 10000, false, 0};
    assert_int_equal(ld_compute(&in, &r, &e), 0);
    assert_int_equal(r.supplement, 41803);
    assert_int_equal(r.income, 129507); /* B + C + aanvulling = A for couples */
    /* other income above the gap: never below zero */
    in.other_income = 60000;
    assert_int_equal(ld_compute(&in, &r, &e), 0);
    assert_int_equal(r.supplement, 0);
    assert_int_equal(r.saving, r.norm);
    /* net income given instead of loonwaarde × A */
    struct ld_input g = {LD_SINGLE, 0, 129507, 0, true, 100000};
    assert_int_equal(ld_compute(&g, &r, &e), 0);
    assert_int_equal(r.supplement, 18442); /* 5/8 × 295.07 = 184.41875 → 184.42 */
    assert_int_equal(r.step[1].id, STEP_LD_NET_GIVEN);
    /* net income above A: no supplement */
    g.net_income = 200000;
    assert_int_equal(ld_compute(&g, &r, &e), 0);
    assert_int_equal(r.supplement, 0);
    /* errors */
    struct ld_input bad = in;
    bad.loonwaarde = 10001;
    assert_int_equal(ld_compute(&bad, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "loonwaarde");
    bad = in;
    bad.other_income = -1;
    assert_int_equal(ld_compute(&bad, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "overigInkomen");
    bad = in;
    bad.household = (enum ld_household)7;
    assert_int_equal(ld_compute(&bad, &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "huishouden");
    assert_int_equal(ld_household_parse("gehuwd"), LD_COUPLE);
    assert_int_equal(ld_household_parse("getrouwd"), -1);
    assert_string_equal(ld_household_name(LD_SINGLE_PARENT), "alleenstaande-ouder");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_annex1),
        cmocka_unit_test(test_inverdieneffect),
        cmocka_unit_test(test_other_income_and_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

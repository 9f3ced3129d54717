/*
 * test_pay — what is owed for a month (rules/pay.c): the hand-computed vectors of
 * tests/data/pay_vectors.tsv to the cent, the steps reproducing every figure (each part
 * = round(full × days / days_in_month), the sum of the parts = the total), the refusals,
 * and the grant of a case (case/pay_grant.c) with case_month_amount on top of it.
 */
#include "testutil.h"

#include "base/money.h"
#include "case/model.h"
#include "case/pay_grant.h"
#include "case/process.h"
#include "codec/rules_json.h"
#include "rules/pay.h"
#include "rules/tables.h"

static struct rules R;

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

static lks_date day_or_none(const char *s)
{
    return strcmp(s, "-") == 0 ? LKS_NO_DATE : test_date(s);
}

/* Split s in place at `sep` into at most n fields; returns the count. */
static int split(char *s, char sep, char **f, int n)
{
    int k = 0;
    while (k < n) {
        f[k++] = s;
        char *p = strchr(s, sep);
        if (!p)
            break;
        *p = '\0';
        s = p + 1;
    }
    return k;
}

static void parse_periods(char *s, struct pay_grant *g)
{
    char *item[PAY_MAX_PERIODS];
    int n = split(s, ';', item, PAY_MAX_PERIODS);
    for (int i = 0; i < n; i++) {
        char *f[5] = {NULL};
        if (split(item[i], '|', f, 5) != 5)
            fail_msg("bad period '%s'", item[i]);
        struct pay_period *p = &g->period[g->nperiods++];
        p->from = test_date(f[0]);
        p->to = day_or_none(f[1]);
        p->peildatum = test_date(f[2]);
        p->loonwaarde = strcmp(f[3], "forfait") == 0 ? -1 : (int32_t)cents(f[3]);
        p->hours = (int32_t)cents(f[4]);
        p->decision = i;
    }
}

static void parse_spans(char *s, struct pay_grant *g)
{
    if (strcmp(s, "-") == 0)
        return;
    char *item[PAY_MAX_SUSPENSIONS];
    int n = split(s, ';', item, PAY_MAX_SUSPENSIONS);
    for (int i = 0; i < n; i++) {
        char *f[2] = {NULL, NULL};
        if (split(item[i], '|', f, 2) != 2)
            fail_msg("bad span '%s'", item[i]);
        g->suspended[g->nsuspended].from = test_date(f[0]);
        g->suspended[g->nsuspended++].to = day_or_none(f[1]);
    }
}

/* The steps explain every figure: each part's LKS total is its `full`, its amount is
 * round(full × days / dim) of that very total, and the parts add up to the total. */
static void check_steps(const struct pay_month *m)
{
    int part = -1;
    int64_t lks_total = -1, sum = 0;
    bool total_seen = false;
    char text[STEP_TEXT_MAX];
    for (int i = 0; i < m->nsteps; i++) {
        const struct rule_step *s = &m->step[i];
        step_text(s, text, sizeof text);
        assert_null(strstr(text, "Onbekende stap"));
        assert_true(strlen(step_basis(s)) > 0);
        switch (s->id) {
        case STEP_PAY_PART:
            part++;
            assert_true(part < m->nparts);
            assert_int_equal(s->value, m->part[part].days);
            assert_int_equal(s->value, s->arg[1] - s->arg[0] + 1);
            assert_int_equal(s->arg[0], m->part[part].from);
            assert_int_equal(s->arg[3], m->days_in_month);
            lks_total = -1;
            break;
        case STEP_LKS_TOTAL:
            assert_int_equal(s->value, s->arg[0] + s->arg[1]);
            lks_total = s->value;
            break;
        case STEP_PAY_PRORATA: {
            assert_int_equal(s->arg[0], lks_total); /* the full month of this part's LKS */
            assert_int_equal(s->arg[0], m->part[part].full);
            assert_int_equal(s->arg[1], m->part[part].days);
            int64_t want = money_mul_div_small(s->arg[0], s->arg[1], s->arg[2]);
            assert_int_equal(s->value, want);
            assert_int_equal(s->value, m->part[part].amount);
            sum += s->value;
            break;
        }
        case STEP_PAY_SUSPENDED:
        case STEP_PAY_FORFAIT_END:
            assert_int_equal(s->value, 0);
            assert_int_equal(m->part[part].amount, 0);
            break;
        case STEP_PAY_TOTAL:
            assert_int_equal(i, m->nsteps - 1);
            assert_int_equal(s->value, sum);
            assert_int_equal(s->arg[0], m->nparts);
            total_seen = true;
            break;
        default:
            break;
        }
    }
    assert_int_equal(part + 1, m->nparts);
    assert_int_equal(sum, m->amount);
    assert_true(total_seen || m->nparts == 0);
}

static void test_vectors(void **state)
{
    (void)state;
    char *buf = repo_slurp("tests/data/pay_vectors.tsv");
    struct tsv t;
    struct lks_err e = {0};
    assert_int_equal(tsv_open(&t, buf, "pay_vectors.tsv", &e), 0);
    int c_id = tsv_col(&t, "id"), c_month = tsv_col(&t, "month"), c_js = tsv_col(&t, "job_start"),
        c_je = tsv_col(&t, "job_end"), c_birth = tsv_col(&t, "birth"),
        c_ft = tsv_col(&t, "fulltime"), c_per = tsv_col(&t, "periods"),
        c_susp = tsv_col(&t, "suspended"), c_parts = tsv_col(&t, "parts"),
        c_amount = tsv_col(&t, "amount"), c_err = tsv_col(&t, "error");
    assert_true(c_id >= 0 && c_month >= 0 && c_parts >= 0 && c_amount >= 0 && c_err >= 0);
    static struct pay_month m;
    int rows = 0, split_months = 0;
    while (tsv_next(&t, &e) == 1) {
        const char *id = tsv_get(&t, c_id);
        struct pay_grant g = {0};
        g.job_start = test_date(tsv_get(&t, c_js));
        g.job_end = day_or_none(tsv_get(&t, c_je));
        g.birth = day_or_none(tsv_get(&t, c_birth));
        g.fulltime = (int32_t)cents(tsv_get(&t, c_ft));
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s", tsv_get(&t, c_per));
        parse_periods(tmp, &g);
        snprintf(tmp, sizeof tmp, "%s", tsv_get(&t, c_susp));
        parse_spans(tmp, &g);
        char month[16];
        snprintf(month, sizeof month, "%s-01", tsv_get(&t, c_month));
        struct lks_err pe = {0};
        int rc = pay_month(&R, &g, test_date(month), &m, &pe);
        const char *want_err = tsv_get(&t, c_err);
        if (strcmp(want_err, "-") != 0) {
            char want[96];
            snprintf(want, sizeof want, "%s:%.60s",
                     rc == LKS_ERANGE   ? "ERANGE"
                     : rc == LKS_EINVAL ? "EINVAL"
                                        : "OK",
                     pe.field);
            if (strcmp(want, want_err) != 0)
                fail_msg("%s: got %s, want %s", id, want, want_err);
            rows++;
            continue;
        }
        if (rc)
            fail_msg("%s: refused: %s %s", id, pe.field, pe.msg);
        /* every part, then the total */
        snprintf(tmp, sizeof tmp, "%s", tsv_get(&t, c_parts));
        int nparts = 0;
        if (strcmp(tmp, "-") != 0) {
            char *item[PAY_MAX_PARTS];
            nparts = split(tmp, ';', item, PAY_MAX_PARTS);
            for (int i = 0; i < nparts && i < m.nparts; i++) {
                char *f[5] = {NULL};
                if (split(item[i], '|', f, 5) != 5)
                    fail_msg("bad part '%s'", item[i]);
                const struct pay_part *p = &m.part[i];
                if (p->from != test_date(f[0]) || p->to != test_date(f[1]) ||
                    p->full != cents(f[2]) || p->amount != cents(f[3]))
                    fail_msg("%s part %d: got full %lld amount %lld, want %s %s", id, i,
                             (long long)p->full, (long long)p->amount, f[2], f[3]);
                const char *kind = p->suspended       ? "suspended"
                                   : p->forfait_ended ? "forfait-end"
                                                      : "pay";
                assert_string_equal(kind, f[4]);
                assert_int_equal(p->days, p->to - p->from + 1);
            }
        }
        if (m.nparts != nparts)
            fail_msg("%s: %d parts, want %d", id, m.nparts, nparts);
        if (m.amount != cents(tsv_get(&t, c_amount)))
            fail_msg("%s: amount %lld, want %s", id, (long long)m.amount, tsv_get(&t, c_amount));
        check_steps(&m);
        split_months += m.nparts > 1;
        rows++;
    }
    assert_int_equal(rows, 18);
    assert_true(split_months >= 3);
    free(buf);
}

static struct pay_grant plain_grant(void)
{
    struct pay_grant g = {0};
    g.job_start = test_date("2026-01-01");
    g.job_end = LKS_NO_DATE;
    g.birth = LKS_NO_DATE;
    g.fulltime = 3600;
    g.nperiods = 2;
    g.period[0] = (struct pay_period){
        test_date("2026-01-01"), test_date("2026-03-31"), test_date("2026-01-01"), 6000, 3600, 0};
    g.period[1] = (struct pay_period){
        test_date("2026-04-01"), LKS_NO_DATE, test_date("2026-04-01"), 5000, 3600, 1};
    return g;
}

static void expect_refused(const struct pay_grant *g, lks_date month, int code,
                           const char *field_prefix)
{
    static struct pay_month m;
    struct lks_err e = {0};
    assert_int_equal(pay_month(&R, g, month, &m, &e), code);
    if (strncmp(e.field, field_prefix, strlen(field_prefix)) != 0)
        fail_msg("field '%s', want '%s…'", e.field, field_prefix);
    assert_true(strlen(e.msg) > 0);
}

static void test_errors(void **state)
{
    (void)state;
    lks_date apr = test_date("2026-04-01");
    struct pay_grant g = plain_grant();
    static struct pay_month m;
    struct lks_err e = {0};
    assert_int_equal(pay_month(&R, &g, apr, &m, &e), 0); /* the grant itself is fine */
    assert_int_equal(m.amount, 153014);

    g.period[1].from = test_date("2026-03-31"); /* overlaps the first by one day */
    expect_refused(&g, apr, LKS_EINVAL, "periode");
    g = plain_grant();
    struct pay_period p0 = g.period[0]; /* unsorted */
    g.period[0] = g.period[1];
    g.period[1] = p0;
    expect_refused(&g, apr, LKS_EINVAL, "periode");
    g = plain_grant();
    g.period[0].to = LKS_NO_DATE; /* an open period before another */
    expect_refused(&g, apr, LKS_EINVAL, "periode");
    g = plain_grant();
    g.period[0].to = test_date("2025-12-31"); /* ends before it starts */
    expect_refused(&g, apr, LKS_EINVAL, "periode");
    g = plain_grant();
    g.nperiods = PAY_MAX_PERIODS + 1;
    expect_refused(&g, apr, LKS_EINVAL, "periode");
    g = plain_grant();
    g.job_start = LKS_NO_DATE;
    expect_refused(&g, apr, LKS_EINVAL, "dienstverband");
    g = plain_grant();
    g.nsuspended = 1;
    g.suspended[0] = (struct pay_span){test_date("2026-04-10"), test_date("2026-04-09")};
    expect_refused(&g, apr, LKS_EINVAL, "schorsing");
    g = plain_grant();
    expect_refused(&g, test_date("2026-04-02"), LKS_EINVAL, "maand"); /* not a month's 1st */
    expect_refused(&g, LKS_NO_DATE, LKS_EINVAL, "maand");
    expect_refused(&g, test_date("2027-01-01"), LKS_ERANGE, "peildatum");
    g.period[1].hours = 0; /* the LKS rule's own check comes through */
    expect_refused(&g, apr, LKS_EINVAL, "uren");
    /* a month outside the grant is no error: nothing owed */
    g = plain_grant();
    assert_int_equal(pay_month(&R, &g, test_date("2025-12-01"), &m, &e), 0);
    assert_int_equal(m.nparts, 0);
    assert_int_equal(m.amount, 0);
    assert_int_equal(m.nsteps, 0);
}

/* A contract from any day of a month: one part of the remaining days, its share rounded
 * once; from the 1st the full amount exactly. */
static void test_every_start_day(void **state)
{
    (void)state;
    static struct pay_month m;
    struct lks_err e = {0};
    for (int y = 2024; y <= 2025; y++)
        for (int mo = 1; mo <= 12; mo++) {
            int dim = date_days_in_month(y, mo);
            for (int d = 1; d <= dim; d++) {
                struct pay_grant g = plain_grant();
                g.nperiods = 1;
                g.job_start = g.period[0].from = g.period[0].peildatum = date_from_ymd(y, mo, d);
                g.period[0].to = LKS_NO_DATE;
                assert_int_equal(pay_month(&R, &g, date_from_ymd(y, mo, 1), &m, &e), 0);
                assert_int_equal(m.nparts, 1);
                assert_int_equal(m.part[0].days, dim - d + 1);
                int64_t want =
                    d == 1 ? m.part[0].full : money_mul_div_small(m.part[0].full, dim - d + 1, dim);
                assert_int_equal(m.amount, want);
                check_steps(&m);
            }
        }
}

/* A line keeps its steps packed (codec_steps_pack): they read back as the same steps, for
 * every start day of a split month, and a damaged text is refused, not half read. */
static void test_steps_packed(void **state)
{
    (void)state;
    static struct pay_month m;
    static struct rule_step back[PAY_MAX_STEPS];
    static char packed[9216];
    struct lks_err e = {0};
    for (int d = 1; d <= 31; d++) {
        struct pay_grant g = plain_grant();
        g.nperiods = 1;
        g.job_start = g.period[0].from = g.period[0].peildatum = date_from_ymd(2025, 3, d);
        g.period[0].to = LKS_NO_DATE;
        assert_int_equal(pay_month(&R, &g, date_from_ymd(2025, 3, 1), &m, &e), 0);
        assert_true(codec_steps_pack(m.step, m.nsteps, packed, sizeof packed));
        assert_int_equal(codec_steps_unpack(packed, back, PAY_MAX_STEPS), m.nsteps);
        for (int i = 0; i < m.nsteps; i++) {
            assert_int_equal(back[i].id, m.step[i].id);
            assert_int_equal(back[i].value, m.step[i].value);
            assert_int_equal(back[i].has_exact, m.step[i].has_exact);
            for (int j = 0; j < 4; j++)
                assert_int_equal(back[i].arg[j], m.step[i].arg[j]);
        }
    }
    assert_false(codec_steps_pack(m.step, m.nsteps, packed, 10)); /* does not fit */
    assert_int_equal(codec_steps_unpack("1,2,3", back, PAY_MAX_STEPS), -1);
    assert_int_equal(codec_steps_unpack("1,2,3,4,5,6;x", back, PAY_MAX_STEPS), -1);
    assert_int_equal(codec_steps_unpack("99999,2,3,4,5,6", back, PAY_MAX_STEPS), -1);
    assert_int_equal(codec_steps_unpack("1,2,3,4,5,6;1,2,3,4,5,6", back, 1), -1);
    assert_int_equal(codec_steps_unpack("", back, PAY_MAX_STEPS), 0);
}

static struct case_state CS;

static void test_case_grant(void **state)
{
    (void)state;
    memset(&CS, 0, sizeof CS);
    CS.person.birth = test_date("1990-05-05");
    CS.employer.fulltime_hours = 3800;
    CS.placement.start = test_date("2026-01-12");
    CS.placement.end = test_date("2026-12-31");
    CS.placement.ended = test_date("2026-06-19"); /* the actual end wins */
    CS.placement.hours = 3200;
    CS.ndecisions = 3;
    CS.decision[0] = (struct decision){.kind = DEC_GRANT,
                                       .from = test_date("2026-01-12"),
                                       .to = test_date("2026-12-31"),
                                       .peildatum = test_date("2026-01-12"),
                                       .loonwaarde = 6000};
    CS.decision[1] = (struct decision){.kind = DEC_REFUSAL, .from = LKS_NO_DATE};
    CS.decision[2] = (struct decision){.kind = DEC_REVISION,
                                       .from = test_date("2026-05-18"),
                                       .to = LKS_NO_DATE,
                                       .peildatum = test_date("2026-05-18"),
                                       .loonwaarde = 5000};
    struct pay_grant g;
    struct lks_err e = {0};
    assert_int_equal(case_pay_grant(&CS, &g, &e), 0);
    assert_int_equal(g.nperiods, 2);
    test_assert_date(g.period[0].to, "2026-05-17"); /* the revision ends it the day before */
    assert_int_equal(g.period[1].decision, 2);
    assert_int_equal(g.period[0].hours, 3200);
    assert_int_equal(g.period[1].hours, 3200);
    test_assert_date(g.job_end, "2026-06-19");
    assert_int_equal(g.fulltime, 3800);
    assert_int_equal(g.nsuspended, 0);

    static struct pay_month m;
    /* May: 1..17 on LW 60, 18..31 on LW 50, 32 h: 1088.10 and 1360.12 a full month */
    assert_int_equal(pay_month(&R, &g, test_date("2026-05-01"), &m, &e), 0);
    assert_int_equal(m.nparts, 2);
    assert_int_equal(m.part[0].full, 108810);
    assert_int_equal(m.part[0].amount, money_mul_div_small(108810, 17, 31));
    assert_int_equal(m.part[1].amount, money_mul_div_small(m.part[1].full, 14, 31));
    check_steps(&m);
    /* June ends on the 19th */
    assert_int_equal(pay_month(&R, &g, test_date("2026-06-01"), &m, &e), 0);
    assert_int_equal(m.nparts, 1);
    assert_int_equal(m.part[0].days, 19);

    /* case_month_amount is the full month of the terms in force: the same engine */
    struct case_ctx ctx = {&R, NULL, test_date("2026-06-01"), LKS_NO_DATE, NULL, NULL};
    struct lks_result r;
    assert_int_equal(case_month_amount(&ctx, &CS, test_date("2026-05-01"), &r, &e), 0);
    assert_int_equal(r.total, m.part[0].full); /* the revision's terms */
    assert_int_equal(case_month_amount(&ctx, &CS, test_date("2026-02-01"), &r, &e), 0);
    assert_int_equal(r.total, 108810);
    assert_int_equal(case_month_amount(&ctx, &CS, test_date("2025-12-01"), &r, &e), LKS_EINVAL);
    assert_string_equal(e.field, "maand");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_every_start_day),
        cmocka_unit_test(test_case_grant),
        cmocka_unit_test(test_steps_packed),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

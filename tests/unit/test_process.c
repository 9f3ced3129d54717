/*
 * test_process — the work process without a store: every transition of the
 * process table (allowed and refused in every state), roles, the refusals
 * with their reasons, the amounts of decisions and payments, and deadlines
 * under the Algemene termijnenwet.
 */
#include "testutil.h"

#include "case/process.h"
#include "rules/lks.h"

static struct rules R;
static struct policy P;
static struct policy_timeline TL;
static struct case_state CS;

static int setup(void **state)
{
    (void)state;
    struct lks_err e;
    policy_default(&P);
    policy_timeline_init(&TL);
    return rules_load_builtin(&R, &e);
}

static lks_date D(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

static struct case_ctx ctx(void)
{
    return (struct case_ctx){&R, &P, D(2026, 11, 23), LKS_NO_DATE, NULL, NULL};
}

static void form(struct case_event *ev, lks_date start)
{
    memset(ev, 0, sizeof *ev);
    ev->type = EV_AANVRAAG_INGEDIEND;
    ev->role = ROLE_WERKGEVER;
    struct ev_aanvraag *a = &ev->d.aanvraag;
    snprintf(a->person.bsn, sizeof a->person.bsn, "111222333");
    snprintf(a->person.name, sizeof a->person.name, "Anna de Vries");
    a->person.birth = D(1990, 5, 1);
    a->person.benefit_start = LKS_NO_DATE;
    snprintf(a->person.address, sizeof a->person.address, "Kerkstraat 1");
    snprintf(a->employer.kvk, sizeof a->employer.kvk, "12345678");
    snprintf(a->employer.name, sizeof a->employer.name, "Bakkerij Jansen B.V.");
    snprintf(a->employer.address, sizeof a->employer.address, "Markt 2");
    snprintf(a->employer.iban, sizeof a->employer.iban, "NL91ABNA0417164300");
    a->employer.fulltime_hours = 3600;
    a->placement.start = start;
    a->placement.end = LKS_NO_DATE;
    a->placement.ended = LKS_NO_DATE;
    a->placement.hours = 3600;
    a->placement.wage = 250000;
    snprintf(a->placement.job_title, sizeof a->placement.job_title, "bakkershulp");
    snprintf(a->applicant, sizeof a->applicant, "werkgever");
}

/* Give a command; expect rc; on success apply it. */
static int give(struct case_event *ev, enum ev_type t, enum role role, lks_date date, int want)
{
    struct case_ctx c = ctx();
    struct lks_err e = {0};
    ev->type = t;
    ev->role = role;
    ev->date = date;
    int rc = case_decide(&c, &CS, ev, &e);
    if (rc != want)
        fail_msg("%s: rc %d, want %d (%s: %s)", ev_type_name(t), rc, want, e.field, e.msg);
    if (rc == 0 && case_apply(&CS, ev, &e) != 0)
        fail_msg("%s: accepted but not applied: %s", ev_type_name(t), e.msg);
    return rc;
}

static void to_target_group(struct case_event *ev, lks_date start, lks_date applied)
{
    case_init(&CS, "gm0794", 1);
    form(ev, start);
    give(ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, applied, 0);
    assert_int_equal(CS.status, ST_AANVRAAG);
    give(ev, EV_AANVRAAG_COMPLEET, ROLE_KLANTMANAGER, applied + 1, 0);
    assert_int_equal(CS.status, ST_DOELGROEPBEPALING);
    memset(&ev->d, 0, sizeof ev->d);
    for (int c = 0; c < 4; c++)
        ev->d.toets.answer[TOETS_Q1][c] = c == 0 ? TOETS_YES : TOETS_NO;
    for (int q = 1; q < TOETS_NQUESTIONS; q++)
        for (int c = 0; c < 4; c++)
            ev->d.toets.answer[q][c] = q == TOETS_Q3 ? TOETS_YES : TOETS_NO;
    give(ev, EV_TOEGANGSTOETS_UITGEVOERD, ROLE_KLANTMANAGER, applied + 2, 0);
    assert_int_equal(CS.status, ST_DOELGROEPBEPALING);
    assert_int_equal(CS.test.outcome, TOETS_IN_TARGET_GROUP);
}

static void measure(struct case_event *ev, enum ev_type req, lks_date d, int32_t lw,
                    enum ev_type done)
{
    memset(&ev->d, 0, sizeof ev->d);
    snprintf(ev->d.meting.expert, sizeof ev->d.meting.expert, "J. Hermans");
    give(ev, req, ROLE_KLANTMANAGER, d, 0);
    memset(&ev->d, 0, sizeof ev->d);
    ev->d.vastgesteld.loonwaarde = lw;
    ev->d.vastgesteld.measured = LKS_NO_DATE;
    ev->d.vastgesteld.next = LKS_NO_DATE;
    give(ev, done, ROLE_LOONWAARDEDESKUNDIGE, d + 5, 0);
}

/* A report's tasks whose shares do not add up to 100 % are refused by the process, naming
 * "taken"; the same report with shares that do is accepted and changes no figure. */
static void test_report_tasks(void **state)
{
    (void)state;
    struct case_event ev;
    to_target_group(&ev, D(2026, 1, 5), D(2025, 12, 1));
    memset(&ev.d, 0, sizeof ev.d);
    snprintf(ev.d.meting.expert, sizeof ev.d.meting.expert, "J. Hermans");
    give(&ev, EV_LOONWAARDEMETING_AANGEVRAAGD, ROLE_KLANTMANAGER, D(2025, 12, 8), 0);
    memset(&ev.d, 0, sizeof ev.d);
    struct ev_vastgesteld *v = &ev.d.vastgesteld;
    v->loonwaarde = 6000;
    v->measured = v->next = LKS_NO_DATE;
    v->ntasks = 2;
    snprintf(v->task[0].name, sizeof v->task[0].name, "kneden");
    snprintf(v->task[1].name, sizeof v->task[1].name, "afwassen");
    v->task[0].share = 7000;
    v->task[1].share = 2000;
    struct case_ctx c = ctx();
    struct lks_err e = {0};
    ev.type = EV_LOONWAARDE_VASTGESTELD;
    ev.role = ROLE_LOONWAARDEDESKUNDIGE;
    ev.date = D(2025, 12, 13);
    assert_int_equal(case_decide(&c, &CS, &ev, &e), LKS_EINVAL);
    assert_string_equal(e.field, "taken");
    v->task[1].share = 3000;
    give(&ev, EV_LOONWAARDE_VASTGESTELD, ROLE_LOONWAARDEDESKUNDIGE, D(2025, 12, 13), 0);
    assert_int_equal(CS.measurement[0].loonwaarde, 6000);
    assert_int_equal(CS.status, ST_BESLUITVORMING);
}

static void test_whole_process(void **state)
{
    (void)state;
    struct case_event ev;
    to_target_group(&ev, D(2026, 1, 5), D(2025, 12, 1));
    measure(&ev, EV_LOONWAARDEMETING_AANGEVRAAGD, D(2025, 12, 8), 6000, EV_LOONWAARDE_VASTGESTELD);
    assert_int_equal(CS.status, ST_BESLUITVORMING);
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.beschikking.kind = DEC_GRANT;
    ev.d.beschikking.from = ev.d.beschikking.to = LKS_NO_DATE;
    give(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2025, 12, 20), 0);
    assert_int_equal(CS.status, ST_LOPEND);
    const struct decision *g = &CS.decision[0];
    assert_int_equal(g->from, D(2026, 1, 5));
    /* the amount is the rule's: 60%, 36 hours, WML of 2026-01-05 (2294.40) */
    assert_int_equal(g->amount, 122411);
    /* objection term: 6 weeks after 2025-12-20 = 2026-01-31, a Saturday → Monday 2 February */
    assert_int_equal(g->objection_due, D(2026, 2, 2));

    /* January paid; the same month again is refused */
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.betaling.month = D(2026, 1, 1);
    give(&ev, EV_BETALING_VERRICHT, ROLE_FINANCIEEL, D(2026, 2, 3), 0);
    /* the grant runs from the 5th: 27 of 31 days, 1224.11 × 27 / 31 = 1066.1603 → 1066.16
     * (pay_month, by calendar days; docs/rules.md) */
    assert_int_equal(CS.payment[0].amount, 106616);
    give(&ev, EV_BETALING_VERRICHT, ROLE_FINANCIEEL, D(2026, 2, 4), LKS_ESTATE);

    /* re-measurement: unchanged, then back to running */
    measure(&ev, EV_HERBEOORDELING_GESTART, D(2026, 3, 2), 6000, EV_LOONWAARDE_ONGEWIJZIGD);
    assert_int_equal(CS.status, ST_LOPEND);
    /* re-measurement with a new loonwaarde gives a revision from the next month */
    measure(&ev, EV_HERBEOORDELING_GESTART, D(2026, 4, 1), 5000, EV_LOONWAARDE_VASTGESTELD);
    assert_int_equal(CS.status, ST_BESLUITVORMING);
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.beschikking.kind = DEC_REVISION;
    ev.d.beschikking.from = ev.d.beschikking.to = LKS_NO_DATE;
    give(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2026, 4, 14), 0);
    assert_int_equal(CS.decision[1].from, D(2026, 5, 1));
    assert_int_equal(CS.decision[0].to, D(2026, 4, 30));
    /* an objection and its decision */
    memset(&ev.d, 0, sizeof ev.d);
    snprintf(ev.d.bezwaar.subject, sizeof ev.d.bezwaar.subject, "loonwaarde");
    give(&ev, EV_BEZWAAR_INGEDIEND, ROLE_KLANTMANAGER, D(2026, 5, 1), 0);
    assert_true(CS.objection[0].due > CS.decision[1].objection_due);
    memset(&ev.d, 0, sizeof ev.d);
    snprintf(ev.d.bezwaar_beslist.outcome, 24, "ongegrond");
    ev.d.bezwaar_beslist.index = -1;
    give(&ev, EV_BEZWAAR_BESLIST, ROLE_BESLISSER, D(2026, 6, 1), 0);
    assert_string_equal(CS.objection[0].outcome, "ongegrond");
    give(&ev, EV_BEZWAAR_BESLIST, ROLE_BESLISSER, D(2026, 6, 2), LKS_ESTATE);
    /* the end of the contract closes the case and the grant */
    memset(&ev.d, 0, sizeof ev.d);
    snprintf(ev.d.einde.reason, sizeof ev.d.einde.reason, "einde contract");
    give(&ev, EV_DIENSTVERBAND_BEEINDIGD, ROLE_KLANTMANAGER, D(2026, 6, 15), 0);
    assert_int_equal(CS.status, ST_BEEINDIGD);
    assert_int_equal(CS.decision[1].to, D(2026, 6, 15));
    assert_int_equal(CS.version, 15);
}

/* Every event type in every state: refused with LKS_ESTATE where the table says no. */
static void test_table_every_state(void **state)
{
    (void)state;
    struct case_event ev;
    struct case_ctx c = ctx();
    int refused = 0, allowed = 0;
    for (int t = 0; t < EV_COUNT; t++)
        for (int st = 0; st < ST_COUNT; st++) {
            case_init(&CS, "gm0794", 1);
            CS.version = t == EV_AANVRAAG_INGEDIEND ? 0 : 3;
            CS.status = (enum case_status)st;
            CS.applied = D(2025, 1, 1);
            memset(&ev, 0, sizeof ev);
            ev.type = (enum ev_type)t;
            ev.date = D(2025, 6, 1);
            /* a role the table allows */
            for (int r = 0; r < ROLE_COUNT; r++)
                if (case_transitions[t].roles & (1u << r)) {
                    ev.role = (enum role)r;
                    break;
                }
            struct lks_err e = {0};
            int rc = case_decide(&c, &CS, &ev, &e);
            bool ok = t == EV_AANVRAAG_INGEDIEND || (case_transitions[t].from & (1u << st));
            if (!ok) {
                assert_int_equal(rc, LKS_ESTATE);
                assert_non_null(strstr(e.msg, case_status_name((enum case_status)st)));
                refused++;
            } else {
                /* allowed by the table: any refusal is about the data, never the state */
                if (rc == LKS_ESTATE)
                    assert_string_not_equal(e.reason, "not-now");
                allowed++;
            }
        }
    assert_true(refused > 100);
    assert_true(allowed > 30);
}

static void test_roles(void **state)
{
    (void)state;
    struct case_event ev;
    to_target_group(&ev, D(2026, 1, 5), D(2025, 12, 1));
    memset(&ev.d, 0, sizeof ev.d);
    snprintf(ev.d.meting.expert, sizeof ev.d.meting.expert, "x");
    /* an employer cannot request a measurement; an auditor changes nothing */
    struct case_ctx c = ctx();
    struct lks_err e = {0};
    ev.type = EV_LOONWAARDEMETING_AANGEVRAAGD;
    ev.date = D(2025, 12, 8);
    for (int r = 0; r < ROLE_COUNT; r++) {
        ev.role = (enum role)r;
        int rc = case_decide(&c, &CS, &ev, &e);
        if (r == ROLE_KLANTMANAGER)
            assert_int_equal(rc, 0);
        else {
            /* a refusal by role is its own code (403), not one of the process (409) */
            assert_int_equal(rc, LKS_EFORBIDDEN);
            assert_string_equal(e.field, "rol");
        }
    }
    for (int t = 0; t < EV_COUNT; t++)
        assert_false(case_transitions[t].roles & (1u << ROLE_AUDITOR));
}

static void expect_refusal(struct case_event *ev, enum ev_type t, enum role r, lks_date d, int code,
                           const char *field, const char *words)
{
    struct case_ctx c = ctx();
    struct lks_err e = {0};
    ev->type = t;
    ev->role = r;
    ev->date = d;
    int rc = case_decide(&c, &CS, ev, &e);
    if (rc != code || strcmp(e.field, field) != 0 || !strstr(e.msg, words))
        fail_msg("%s: rc %d field '%s' msg '%s'; want %d '%s' '%s'", ev_type_name(t), rc, e.field,
                 e.msg, code, field, words);
}

static void test_application_refusals(void **state)
{
    (void)state;
    struct case_event ev;
    case_init(&CS, "gm0794", 1);
    /* after the start without the 10d lid 2 situation */
    form(&ev, D(2026, 1, 5));
    expect_refusal(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 2, 1), LKS_EINVAL,
                   "naStartToegestaan", "10d lid 2");
    /* more than 6 months after the start: never */
    form(&ev, D(2025, 6, 1));
    ev.d.aanvraag.late_allowed = true;
    expect_refusal(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 1, 2), LKS_EINVAL,
                   "dienstverband.start", "meer dan 6 maanden");
    /* up to 6 months after, with the situation of 10d lid 2: accepted */
    form(&ev, D(2025, 8, 1));
    ev.d.aanvraag.late_allowed = true;
    give(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 1, 2), 0);
    /* a contract shorter than 6 months */
    case_init(&CS, "gm0794", 2);
    form(&ev, D(2026, 3, 1));
    ev.d.aanvraag.placement.end = D(2026, 7, 31);
    expect_refusal(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 2, 1), LKS_EINVAL,
                   "dienstverband.einde", "6 maanden");
    ev.d.aanvraag.placement.end = D(2026, 8, 31);
    give(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 2, 1), 0);
    /* identifiers */
    case_init(&CS, "gm0794", 3);
    form(&ev, D(2026, 3, 1));
    snprintf(ev.d.aanvraag.person.bsn, 10, "111222334");
    expect_refusal(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 2, 1), LKS_EINVAL,
                   "werknemer.bsn", "elfproef");
    form(&ev, D(2026, 3, 1));
    snprintf(ev.d.aanvraag.employer.iban, 35, "NL91ABNA0417164301");
    expect_refusal(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 2, 1), LKS_EINVAL,
                   "werkgever.iban", "IBAN");
    /* a date in the future */
    form(&ev, D(2027, 3, 1));
    expect_refusal(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2027, 2, 1), LKS_EINVAL, "datum",
                   "toekomst");
    /* incomplete: complete is refused with the list of what is missing */
    form(&ev, D(2026, 3, 1));
    ev.d.aanvraag.employer.iban[0] = '\0';
    ev.d.aanvraag.placement.wage = 0;
    give(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 2, 1), 0);
    expect_refusal(&ev, EV_AANVRAAG_COMPLEET, ROLE_KLANTMANAGER, D(2026, 2, 2), LKS_EINVAL,
                   "aanvraag", "IBAN werkgever, brutoloon");
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.info.nmissing = 1;
    snprintf(ev.d.info.missing[0], 48, "IBAN werkgever");
    give(&ev, EV_INFORMATIE_GEVRAAGD, ROLE_KLANTMANAGER, D(2026, 2, 2), 0);
    assert_int_equal(CS.status, ST_WACHT_OP_INFORMATIE);
    form(&ev, D(2026, 3, 1));
    give(&ev, EV_INFORMATIE_AANGEVULD, ROLE_WERKGEVER, D(2026, 2, 12), 0);
    assert_int_equal(CS.status, ST_AANVRAAG);
    assert_int_equal(CS.info_wait_days, 10);
    give(&ev, EV_AANVRAAG_COMPLEET, ROLE_KLANTMANAGER, D(2026, 2, 13), 0);
}

static void test_decision_refusals(void **state)
{
    (void)state;
    struct case_event ev;
    /* below the municipality's lower bound: no grant, a refusal needs a reason */
    to_target_group(&ev, D(2026, 1, 5), D(2025, 12, 1));
    measure(&ev, EV_LOONWAARDEMETING_AANGEVRAAGD, D(2025, 12, 8), 2500, EV_LOONWAARDE_VASTGESTELD);
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.beschikking.kind = DEC_GRANT;
    ev.d.beschikking.from = ev.d.beschikking.to = LKS_NO_DATE;
    expect_refusal(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2025, 12, 20), LKS_EINVAL,
                   "loonwaarde", "ondergrens");
    ev.d.beschikking.kind = DEC_REFUSAL;
    expect_refusal(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2025, 12, 20), LKS_EINVAL,
                   "motivering", "3:46");
    snprintf(ev.d.beschikking.reason, CASE_NOTE, "loonwaarde onder de ondergrens");
    give(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2025, 12, 20), 0);
    assert_int_equal(CS.status, ST_AFGEWEZEN);
    /* at or above the upper bound (100%): no grant either */
    to_target_group(&ev, D(2026, 1, 5), D(2025, 12, 1));
    measure(&ev, EV_LOONWAARDEMETING_AANGEVRAAGD, D(2025, 12, 8), 10000, EV_LOONWAARDE_VASTGESTELD);
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.beschikking.kind = DEC_GRANT;
    ev.d.beschikking.from = ev.d.beschikking.to = LKS_NO_DATE;
    expect_refusal(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2025, 12, 20), LKS_EINVAL,
                   "loonwaarde", "bovengrens");
    /* a grant beyond the rule tables is refused with the tables' message */
    to_target_group(&ev, D(2026, 7, 6), D(2026, 6, 1));
    measure(&ev, EV_LOONWAARDEMETING_AANGEVRAAGD, D(2026, 6, 8), 6000, EV_LOONWAARDE_VASTGESTELD);
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.beschikking.kind = DEC_GRANT;
    ev.d.beschikking.from = ev.d.beschikking.to = LKS_NO_DATE;
    expect_refusal(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2026, 6, 20), LKS_ERANGE,
                   "vanaf", "regeltabel");
}

static void test_forfait(void **state)
{
    (void)state;
    struct case_event ev;
    to_target_group(&ev, D(2025, 9, 1), D(2025, 8, 1));
    memset(&ev.d, 0, sizeof ev.d);
    give(&ev, EV_FORFAIT_AFGESPROKEN, ROLE_KLANTMANAGER, D(2025, 8, 6), 0);
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.beschikking.kind = DEC_GRANT;
    ev.d.beschikking.from = ev.d.beschikking.to = LKS_NO_DATE;
    give(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2025, 8, 15), 0);
    /* 50% of the base, the grant ends after 6 months of the job */
    assert_int_equal(CS.decision[0].loonwaarde, -1);
    assert_int_equal(CS.decision[0].to, D(2026, 2, 28));
    struct lks_input in = {D(2025, 9, 1), 0, 3600, 3600, LKS_AGE_ADULT, true};
    struct lks_result r;
    struct lks_err e;
    assert_int_equal(lks_compute(&R, &in, &r, &e), 0);
    assert_int_equal(CS.decision[0].amount, r.total);
    /* months 1..6 can be paid; month 7 not without a measurement */
    for (int m = 0; m < 6; m++) {
        memset(&ev.d, 0, sizeof ev.d);
        ev.d.betaling.month = date_add_months(D(2025, 9, 1), m);
        give(&ev, EV_BETALING_VERRICHT, ROLE_FINANCIEEL, date_add_months(D(2025, 10, 3), m), 0);
    }
    /* January is re-indexed to the 2026 WML (10d lid 7) */
    assert_true(CS.payment[4].amount > CS.payment[3].amount);
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.betaling.month = D(2026, 3, 1);
    expect_refusal(&ev, EV_BETALING_VERRICHT, ROLE_FINANCIEEL, D(2026, 4, 3), LKS_EINVAL, "maand",
                   "10d lid 5");
    /* the deadline to measure: before the end of month 6 */
    struct case_deadline dl[CASE_MAX_DEADLINES];
    int n = case_deadlines(&CS, &TL, dl, CASE_MAX_DEADLINES);
    int found = 0;
    for (int i = 0; i < n; i++)
        if (dl[i].kind == DL_FORFAIT) {
            assert_int_equal(dl[i].due, D(2026, 2, 28));
            assert_int_equal(dl[i].done, LKS_NO_DATE);
            assert_string_equal(dl_state(&dl[i], D(2026, 3, 1)), "verlopen");
            found = 1;
        }
    assert_true(found);
}

static void test_provisions(void **state)
{
    (void)state;
    struct case_event ev;
    to_target_group(&ev, D(2026, 1, 5), D(2025, 12, 1));
    struct provision *v = &ev.d.voorziening;
    /* proefplaatsing: 2 months; 3 with motivation; never more */
    memset(&ev.d, 0, sizeof ev.d);
    v->kind = PROV_PROEFPLAATSING;
    v->start = D(2025, 12, 4);
    v->end = D(2026, 3, 3);
    expect_refusal(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 4), LKS_EINVAL,
                   "motivering", "gemotiveerd");
    snprintf(v->motivation, CASE_NOTE, "meer tijd nodig om te wennen");
    give(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 4), 0);
    v->end = D(2026, 3, 5);
    expect_refusal(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 4), LKS_EINVAL,
                   "einde", "ten hoogste 2 maanden");
    /* jobcoaching: 52 hours a year unless motivated, at most 3 years */
    memset(&ev.d, 0, sizeof ev.d);
    v->kind = PROV_JOBCOACH;
    v->start = D(2026, 1, 5);
    v->end = D(2027, 1, 4);
    v->hours = 6000;
    expect_refusal(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 5), LKS_EINVAL,
                   "uren", "52 uur");
    v->hours = 5200;
    v->end = D(2029, 1, 5);
    expect_refusal(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 5), LKS_EINVAL,
                   "einde", "3 jaar");
    v->end = D(2029, 1, 4);
    give(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 5), 0);
    /* no-risk polis: not when the employer insures itself; within the first 24 months */
    memset(&ev.d, 0, sizeof ev.d);
    v->kind = PROV_NORISK;
    v->start = D(2026, 1, 5);
    v->end = D(2028, 1, 4);
    give(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 5), 0);
    v->end = D(2028, 1, 5);
    expect_refusal(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 5), LKS_EINVAL,
                   "einde", "24 maanden");
    CS.employer.own_sickness_insurance = true;
    v->end = D(2027, 1, 4);
    expect_refusal(&ev, EV_VOORZIENING_TOEGEKEND, ROLE_KLANTMANAGER, D(2025, 12, 5), LKS_EINVAL,
                   "soort", "voorliggende");
    /* ending: once, with a reason */
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.voorziening_einde.index = 1;
    expect_refusal(&ev, EV_VOORZIENING_BEEINDIGD, ROLE_KLANTMANAGER, D(2025, 12, 20), LKS_EINVAL,
                   "reden", "reden");
    snprintf(ev.d.voorziening_einde.reason, CASE_TEXT, "niet meer nodig");
    give(&ev, EV_VOORZIENING_BEEINDIGD, ROLE_KLANTMANAGER, D(2025, 12, 20), 0);
    give(&ev, EV_VOORZIENING_BEEINDIGD, ROLE_KLANTMANAGER, D(2025, 12, 21), LKS_ESTATE);
}

static void test_access_test_once_a_year(void **state)
{
    (void)state;
    struct case_event ev;
    case_init(&CS, "gm0794", 1);
    form(&ev, D(2026, 3, 2));
    give(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2026, 2, 2), 0);
    give(&ev, EV_AANVRAAG_COMPLEET, ROLE_KLANTMANAGER, D(2026, 2, 3), 0);
    memset(&ev.d, 0, sizeof ev.d);
    for (int c = 0; c < 4; c++)
        ev.d.toets.answer[TOETS_Q1][c] = c == 2 ? TOETS_YES : TOETS_NO;
    struct case_ctx c = ctx();
    c.person_last_test = D(2025, 6, 1);
    struct lks_err e = {0};
    ev.type = EV_TOEGANGSTOETS_UITGEVOERD;
    ev.role = ROLE_KLANTMANAGER;
    ev.date = D(2026, 2, 4);
    assert_int_equal(case_decide(&c, &CS, &ev, &e), LKS_EINVAL);
    assert_non_null(strstr(e.msg, "10c lid 2"));
    /* the date is another case's: the refusal does not disclose it */
    assert_null(strstr(e.msg, "2025"));
    c.person_last_test = D(2025, 2, 4);
    /* 12 months later it is possible; the answers must then be complete */
    assert_int_equal(case_decide(&c, &CS, &ev, &e), LKS_EINVAL);
    assert_string_equal(e.field, "vraag2a.geenGevolgenVoorWerk");
    /* a negative outcome goes to the decision (a refusal) */
    ev.d.toets.answer[TOETS_Q2A][0] = TOETS_YES;
    ev.d.toets.answer[TOETS_Q2A][1] = TOETS_NO;
    assert_int_equal(case_decide(&c, &CS, &ev, &e), 0);
    assert_int_equal(case_apply(&CS, &ev, &e), 0);
    assert_int_equal(CS.status, ST_BESLUITVORMING);
    assert_int_equal(CS.test.outcome, TOETS_UPPER_BOUND);
    assert_int_equal(CS.test.limitation, 1 << 2);
}

static void test_deadlines_atw(void **state)
{
    (void)state;
    struct case_event ev;
    to_target_group(&ev, D(2026, 5, 1), D(2026, 3, 30));
    /* measurement requested 2026-04-01; report after 12 days: 2 days late */
    memset(&ev.d, 0, sizeof ev.d);
    snprintf(ev.d.meting.expert, sizeof ev.d.meting.expert, "M. Kuipers");
    give(&ev, EV_LOONWAARDEMETING_AANGEVRAAGD, ROLE_KLANTMANAGER, D(2026, 4, 1), 0);
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.vastgesteld.loonwaarde = 5500;
    ev.d.vastgesteld.measured = D(2026, 4, 8);
    ev.d.vastgesteld.next = LKS_NO_DATE;
    give(&ev, EV_LOONWAARDE_VASTGESTELD, ROLE_LOONWAARDEDESKUNDIGE, D(2026, 4, 20), 0);
    assert_int_equal(CS.measurement[0].next, D(2027, 4, 8));
    struct case_deadline dl[CASE_MAX_DEADLINES];
    int n = case_deadlines(&CS, &TL, dl, CASE_MAX_DEADLINES);
    lks_date rapport = 0, service = 0, wettelijk = 0, beslis = 0;
    for (int i = 0; i < n; i++) {
        if (dl[i].kind == DL_RAPPORT) {
            rapport = dl[i].due;
            assert_string_equal(dl_state(&dl[i], D(2026, 4, 21)), "te-laat");
        }
        if (dl[i].kind == DL_SERVICENORM)
            service = dl[i].due;
        if (dl[i].kind == DL_WETTELIJK)
            wettelijk = dl[i].due;
        if (dl[i].kind == DL_BESLISTERMIJN)
            beslis = dl[i].due;
    }
    assert_int_equal(rapport, D(2026, 4, 11));
    /* 10 working days after 2026-04-20 skip Koningsdag (27 April) and 5 May */
    assert_int_equal(service, D(2026, 5, 6));
    /* 5 weeks after 2026-04-20 is Tweede Pinksterdag 2026-05-25 → Tuesday 26 May */
    assert_int_equal(wettelijk, D(2026, 5, 26));
    /* Awb 8 weeks after 2026-03-30 = 2026-05-25 (holiday) → 2026-05-26 */
    assert_int_equal(beslis, D(2026, 5, 26));
    /* with a policy of 15 working days from the day the norm starts, it moves */
    struct policy_timeline *t2 = malloc(sizeof *t2);
    struct lks_err e;
    policy_timeline_init(t2);
    assert_int_equal(
        policy_timeline_add(t2, "gm0794", D(2026, 4, 20), "servicenorm-werkdagen", 15, &e), 0);
    n = case_deadlines(&CS, t2, dl, CASE_MAX_DEADLINES);
    for (int i = 0; i < n; i++)
        if (dl[i].kind == DL_SERVICENORM)
            assert_int_equal(dl[i].due, D(2026, 5, 13));
    /* a change from the day after the start does not reach back: the norm stays */
    policy_timeline_init(t2);
    assert_int_equal(
        policy_timeline_add(t2, "gm0794", D(2026, 4, 21), "servicenorm-werkdagen", 15, &e), 0);
    n = case_deadlines(&CS, t2, dl, CASE_MAX_DEADLINES);
    for (int i = 0; i < n; i++)
        if (dl[i].kind == DL_SERVICENORM)
            assert_int_equal(dl[i].due, D(2026, 5, 6));
    /* the rapport deadline started 2026-04-01: a change on 2026-04-02 leaves it */
    assert_int_equal(policy_timeline_add(t2, "gm0794", D(2026, 4, 2), "rapport-dagen", 20, &e),
                     LKS_EINVAL); /* rows come in date order */
    policy_timeline_init(t2);
    assert_int_equal(policy_timeline_add(t2, "gm0794", D(2026, 4, 2), "rapport-dagen", 20, &e), 0);
    assert_int_equal(policy_timeline_add(t2, "gm0794", D(2026, 4, 2), "onbekend", 1, &e),
                     LKS_EINVAL);
    assert_string_equal(e.field, "onbekend");
    n = case_deadlines(&CS, t2, dl, CASE_MAX_DEADLINES);
    for (int i = 0; i < n; i++)
        if (dl[i].kind == DL_RAPPORT)
            assert_int_equal(dl[i].due, D(2026, 4, 11));
    free(t2);
}

/* The policy history: each date's entry, the default before the first row. */
static void test_policy_timeline(void **state)
{
    (void)state;
    struct policy_timeline *t = malloc(sizeof *t);
    struct lks_err e;
    policy_timeline_init(t);
    assert_int_equal(policy_timeline_add(t, "x", D(2020, 1, 1), "ondergrens", 3500, &e), 0);
    assert_int_equal(policy_timeline_add(t, "x", D(2020, 1, 1), "rapport-dagen", 5, &e), 0);
    assert_int_equal(policy_timeline_add(t, "x", D(2022, 1, 1), "ondergrens", 4000, &e), 0);
    assert_int_equal(t->n, 3);
    assert_int_equal(policy_timeline_at(t, D(2019, 12, 31))->lower_bound, 3000);
    assert_int_equal(policy_timeline_at(t, D(2020, 1, 1))->lower_bound, 3500);
    assert_int_equal(policy_timeline_at(t, D(2021, 6, 1))->report_days, 5);
    assert_int_equal(policy_timeline_at(t, D(2022, 1, 1))->lower_bound, 4000);
    assert_int_equal(policy_timeline_at(t, D(2022, 1, 1))->report_days, 5);
    assert_int_equal(policy_timeline_add(t, "x", D(2023, 1, 1), "ondergrens", 20000, &e),
                     LKS_EINVAL);
    assert_string_equal(e.field, "ondergrens");
    for (int i = 0; i < POLICY_TIMELINE_MAX - 3; i++)
        assert_int_equal(policy_timeline_add(t, "x", D(2024, 1, 1) + i, "quotum", i & 1, &e), 0);
    assert_int_equal(policy_timeline_add(t, "x", D(2030, 1, 1), "quotum", 1, &e), LKS_ERANGE);
    free(t);
}

/* The fold checks every index and capacity of what it is given: events that
 * case_decide would refuse, as a damaged store might hold them, are refused and
 * leave the case as it was. */
static void test_fold_refuses_misfits(void **state)
{
    (void)state;
    struct case_event ev;
    to_target_group(&ev, D(2026, 1, 5), D(2025, 12, 1));
    struct case_state before = CS;
    struct lks_err e;
    memset(&ev.d, 0, sizeof ev.d);
    ev.type = EV_BEZWAAR_BESLIST;
    ev.d.bezwaar_beslist.index = 7; /* no objection exists */
    assert_int_equal(case_apply(&CS, &ev, &e), LKS_EINVAL);
    assert_non_null(strstr(e.msg, "past niet"));
    ev.d.bezwaar_beslist.index = -1;
    assert_int_equal(case_apply(&CS, &ev, &e), LKS_EINVAL);
    ev.type = EV_VOORZIENING_BEEINDIGD;
    ev.d.voorziening_einde.index = 1000000;
    assert_int_equal(case_apply(&CS, &ev, &e), LKS_EINVAL);
    ev.type = EV_INFORMATIE_GEVRAAGD;
    ev.d.info.nmissing = 9;
    assert_int_equal(case_apply(&CS, &ev, &e), LKS_EINVAL);
    ev.type = (enum ev_type)EV_COUNT;
    assert_int_equal(case_apply(&CS, &ev, &e), LKS_EINVAL);
    ev.type = EV_BESCHIKKING_VERZONDEN;
    ev.d.beschikking.kind = (enum decision_kind)7;
    assert_int_equal(case_apply(&CS, &ev, &e), LKS_EINVAL);
    /* a full list: the next entry is refused, not written past the end */
    CS.npayments = CASE_MAX_PAYMENTS;
    ev.type = EV_BETALING_VERRICHT;
    assert_int_equal(case_apply(&CS, &ev, &e), LKS_EINVAL);
    CS.npayments = CASE_MAX_PAYMENTS + 1; /* a state that is itself out of bounds */
    ev.type = EV_KOSTEN_GEBOEKT;
    assert_int_equal(case_apply(&CS, &ev, &e), LKS_EINVAL);
    CS.npayments = before.npayments;
    assert_memory_equal(&CS, &before, sizeof CS);
}

/* What a role may do now: the table, the role and the case's state. */
static void test_commands_now(void **state)
{
    (void)state;
    struct case_event ev;
    case_init(&CS, "gm0794", 1);
    assert_int_equal(case_commands(&CS, ROLE_KLANTMANAGER), 1u << EV_AANVRAAG_INGEDIEND);
    assert_int_equal(case_commands(&CS, ROLE_BESLISSER), 0);
    to_target_group(&ev, D(2026, 1, 5), D(2025, 12, 1));
    uint32_t km = case_commands(&CS, ROLE_KLANTMANAGER);
    assert_true(km & (1u << EV_LOONWAARDEMETING_AANGEVRAAGD));
    assert_true(km & (1u << EV_FORFAIT_AFGESPROKEN));
    assert_false(km & (1u << EV_AANVRAAG_INGEDIEND));
    assert_false(km & (1u << EV_BEZWAAR_INGEDIEND));                    /* no decision yet */
    assert_false(km & (1u << EV_VOORZIENING_BEEINDIGD));                /* none running */
    assert_int_equal(case_commands(&CS, ROLE_LOONWAARDEDESKUNDIGE), 0); /* nothing to measure */
    assert_int_equal(case_commands(&CS, ROLE_AUDITOR), 0);
    measure(&ev, EV_LOONWAARDEMETING_AANGEVRAAGD, D(2025, 12, 8), 6000, EV_LOONWAARDE_VASTGESTELD);
    assert_true(case_commands(&CS, ROLE_BESLISSER) & (1u << EV_BESCHIKKING_VERZONDEN));
    /* a payment needs a confirmed IBAN: without one the finance officer cannot pay */
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.beschikking.kind = DEC_GRANT;
    ev.d.beschikking.from = ev.d.beschikking.to = LKS_NO_DATE;
    give(&ev, EV_BESCHIKKING_VERZONDEN, ROLE_BESLISSER, D(2025, 12, 20), 0);
    assert_true(case_commands(&CS, ROLE_FINANCIEEL) & (1u << EV_BETALING_VERRICHT));
    snprintf(CS.employer.iban_proposed, sizeof CS.employer.iban_proposed, "%s", CS.employer.iban);
    CS.employer.iban[0] = '\0';
    assert_false(case_commands(&CS, ROLE_FINANCIEEL) & (1u << EV_BETALING_VERRICHT));
    memset(&ev.d, 0, sizeof ev.d);
    ev.d.betaling.month = D(2026, 1, 1);
    struct case_ctx c = ctx();
    ev.type = EV_BETALING_VERRICHT;
    ev.role = ROLE_FINANCIEEL;
    ev.date = D(2026, 2, 3);
    struct lks_err e;
    assert_int_equal(case_decide(&c, &CS, &ev, &e), LKS_ESTATE);
    assert_string_equal(e.field, "werkgever.iban");
    assert_non_null(strstr(e.msg, "vier ogen"));
}

/* zaak-toegewezen: another klantmanager takes the case, with a reason; in any state,
 * by a klantmanager only, never to the one who has it already. */
static void test_assignment(void **state)
{
    (void)state;
    struct case_event ev;
    case_init(&CS, "gm0794", 1);
    form(&ev, D(2026, 1, 5));
    snprintf(ev.d.aanvraag.case_worker, sizeof ev.d.aanvraag.case_worker, "kim");
    give(&ev, EV_AANVRAAG_INGEDIEND, ROLE_WERKGEVER, D(2025, 12, 1), 0);
    assert_string_equal(CS.case_worker, "kim");
    enum case_status st = CS.status;
    memset(&ev.d, 0, sizeof ev.d);
    snprintf(ev.d.toewijzing.case_worker, sizeof ev.d.toewijzing.case_worker, "kim");
    snprintf(ev.d.toewijzing.reason, sizeof ev.d.toewijzing.reason, "vakantie");
    give(&ev, EV_ZAAK_TOEGEWEZEN, ROLE_KLANTMANAGER, D(2025, 12, 2), LKS_EINVAL); /* the same */
    snprintf(ev.d.toewijzing.case_worker, sizeof ev.d.toewijzing.case_worker, "%s",
             "een.klantmanager.met.een.lange.naam.van.veertig");
    give(&ev, EV_ZAAK_TOEGEWEZEN, ROLE_WERKGEVER, D(2025, 12, 2), LKS_EFORBIDDEN);
    give(&ev, EV_ZAAK_TOEGEWEZEN, ROLE_BESLISSER, D(2025, 12, 2), LKS_EFORBIDDEN);
    ev.d.toewijzing.reason[0] = ' ';
    ev.d.toewijzing.reason[1] = '\0';
    give(&ev, EV_ZAAK_TOEGEWEZEN, ROLE_KLANTMANAGER, D(2025, 12, 2), LKS_EINVAL);
    snprintf(ev.d.toewijzing.reason, sizeof ev.d.toewijzing.reason, "werkverdeling team");
    int64_t v = CS.version;
    give(&ev, EV_ZAAK_TOEGEWEZEN, ROLE_KLANTMANAGER, D(2025, 12, 2), 0);
    /* a login name of up to 63 bytes is kept whole */
    assert_string_equal(CS.case_worker, "een.klantmanager.met.een.lange.naam.van.veertig");
    assert_int_equal(CS.status, st);
    assert_int_equal(CS.version, v + 1);
    assert_true(case_commands(&CS, ROLE_KLANTMANAGER) & (1u << EV_ZAAK_TOEGEWEZEN));
    assert_false(case_commands(&CS, ROLE_WERKGEVER) & (1u << EV_ZAAK_TOEGEWEZEN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_process),
        cmocka_unit_test(test_table_every_state),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_application_refusals),
        cmocka_unit_test(test_decision_refusals),
        cmocka_unit_test(test_forfait),
        cmocka_unit_test(test_provisions),
        cmocka_unit_test(test_access_test_once_a_year),
        cmocka_unit_test(test_deadlines_atw),
        cmocka_unit_test(test_policy_timeline),
        cmocka_unit_test(test_fold_refuses_misfits),
        cmocka_unit_test(test_commands_now),
        cmocka_unit_test(test_assignment),
        cmocka_unit_test(test_report_tasks),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

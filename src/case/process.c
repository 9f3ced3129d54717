/*
 * process — see process.h. The process table first, then one check per
 * command (case_decide), the fold (case_apply), amounts and deadlines.
 */
#include "case/process.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/ids.h"
#include "base/money.h"
#include "case/employer.h"
#include "case/pay_grant.h"
#include "case/person.h"
#include "rules/lks.h"
#include "rules/pay.h"
#include "rules/term.h"
#include "rules/toets.h"

#define S(x) (1u << (x))
#define R(x) (1u << (x))
#define ANY_OPEN                                                                                   \
    (S(ST_AANVRAAG) | S(ST_WACHT_OP_INFORMATIE) | S(ST_DOELGROEPBEPALING) |                        \
     S(ST_LOONWAARDEMETING) | S(ST_BESLUITVORMING) | S(ST_LOPEND) | S(ST_HERBEOORDELING))
#define AFTER_DECISION (S(ST_LOPEND) | S(ST_HERBEOORDELING) | S(ST_AFGEWEZEN) | S(ST_BEEINDIGD))
#define ALL_STATES     ((1u << ST_COUNT) - 1)
#define STAYS          (-1)
#define DEPENDS        (-2)

/* The process table of domain.md §2: one row per command. */
const struct case_transition case_transitions[EV_COUNT] = {
    [EV_AANVRAAG_INGEDIEND] = {EV_AANVRAAG_INGEDIEND, 0, ST_AANVRAAG,
                               R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER) | R(ROLE_WERKNEMER),
                               "Participatiewet art. 10d lid 1 en 2; standaardformulier"},
    [EV_INFORMATIE_GEVRAAGD] = {EV_INFORMATIE_GEVRAAGD, S(ST_AANVRAAG), ST_WACHT_OP_INFORMATIE,
                                R(ROLE_KLANTMANAGER), "Awb art. 4:5 en 4:15"},
    [EV_INFORMATIE_AANGEVULD] = {EV_INFORMATIE_AANGEVULD, S(ST_WACHT_OP_INFORMATIE), ST_AANVRAAG,
                                 R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER) | R(ROLE_WERKNEMER),
                                 "Awb art. 4:15"},
    [EV_AANVRAAG_COMPLEET] = {EV_AANVRAAG_COMPLEET, S(ST_AANVRAAG), ST_DOELGROEPBEPALING,
                              R(ROLE_KLANTMANAGER), "standaardformulier (preferent werkproces)"},
    [EV_TOEGANGSTOETS_UITGEVOERD] = {EV_TOEGANGSTOETS_UITGEVOERD, S(ST_DOELGROEPBEPALING), DEPENDS,
                                     R(ROLE_KLANTMANAGER),
                                     "Participatiewet art. 10c; toegangstoets"},
    [EV_LOONWAARDEMETING_AANGEVRAAGD] = {EV_LOONWAARDEMETING_AANGEVRAAGD, S(ST_DOELGROEPBEPALING),
                                         ST_LOONWAARDEMETING, R(ROLE_KLANTMANAGER),
                                         "Participatiewet art. 6 lid 1 onder g; Besluit "
                                         "loonkostensubsidie"},
    [EV_LOONWAARDE_VASTGESTELD] = {EV_LOONWAARDE_VASTGESTELD,
                                   S(ST_LOONWAARDEMETING) | S(ST_HERBEOORDELING), ST_BESLUITVORMING,
                                   R(ROLE_LOONWAARDEDESKUNDIGE),
                                   "Participatiewet art. 6 lid 1 onder g"},
    [EV_FORFAIT_AFGESPROKEN] = {EV_FORFAIT_AFGESPROKEN, S(ST_DOELGROEPBEPALING), ST_BESLUITVORMING,
                                R(ROLE_KLANTMANAGER), "Participatiewet art. 10d lid 5"},
    [EV_BESCHIKKING_VERZONDEN] = {EV_BESCHIKKING_VERZONDEN, S(ST_BESLUITVORMING), DEPENDS,
                                  R(ROLE_BESLISSER),
                                  "Participatiewet art. 10d lid 12; Awb art. 3:45 en 3:46"},
    [EV_HERBEOORDELING_GESTART] = {EV_HERBEOORDELING_GESTART, S(ST_LOPEND), ST_HERBEOORDELING,
                                   R(ROLE_KLANTMANAGER), "Participatiewet art. 10d lid 6"},
    [EV_LOONWAARDE_ONGEWIJZIGD] = {EV_LOONWAARDE_ONGEWIJZIGD, S(ST_HERBEOORDELING), ST_LOPEND,
                                   R(ROLE_LOONWAARDEDESKUNDIGE), "Participatiewet art. 10d lid 6"},
    [EV_DIENSTVERBAND_BEEINDIGD] = {EV_DIENSTVERBAND_BEEINDIGD, ANY_OPEN, ST_BEEINDIGD,
                                    R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER),
                                    "Participatiewet art. 10d lid 8"},
    [EV_VERHUISD] = {EV_VERHUISD, S(ST_LOPEND) | S(ST_HERBEOORDELING), ST_BEEINDIGD,
                     R(ROLE_KLANTMANAGER),
                     "Participatiewet art. 10d (overname door de nieuwe gemeente sinds "
                     "2023-07-01)"},
    [EV_GEEN_DOELGROEP_MEER] = {EV_GEEN_DOELGROEP_MEER, S(ST_LOPEND) | S(ST_HERBEOORDELING),
                                ST_BEEINDIGD, R(ROLE_KLANTMANAGER),
                                "Participatiewet art. 10d lid 8"},
    [EV_AANVRAAG_INGETROKKEN] = {EV_AANVRAAG_INGETROKKEN,
                                 S(ST_AANVRAAG) | S(ST_WACHT_OP_INFORMATIE) |
                                     S(ST_DOELGROEPBEPALING) | S(ST_LOONWAARDEMETING) |
                                     S(ST_BESLUITVORMING),
                                 ST_INGETROKKEN,
                                 R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER) | R(ROLE_WERKNEMER),
                                 "Awb art. 4:1"},
    [EV_BEZWAAR_INGEDIEND] = {EV_BEZWAAR_INGEDIEND, AFTER_DECISION, STAYS,
                              R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER) | R(ROLE_WERKNEMER),
                              "Awb art. 6:4 en 6:7"},
    [EV_BEZWAAR_BESLIST] = {EV_BEZWAAR_BESLIST, AFTER_DECISION, STAYS, R(ROLE_BESLISSER),
                            "Awb art. 7:10"},
    [EV_VOORZIENING_TOEGEKEND] = {EV_VOORZIENING_TOEGEKEND,
                                  S(ST_DOELGROEPBEPALING) | S(ST_LOONWAARDEMETING) |
                                      S(ST_BESLUITVORMING) | S(ST_LOPEND) | S(ST_HERBEOORDELING),
                                  STAYS, R(ROLE_KLANTMANAGER),
                                  "Participatiewet art. 10, 10da en 10g; verordening"},
    [EV_VOORZIENING_BEEINDIGD] = {EV_VOORZIENING_BEEINDIGD, ALL_STATES, STAYS, R(ROLE_KLANTMANAGER),
                                  "verordening"},
    [EV_BETALING_VERRICHT] = {EV_BETALING_VERRICHT,
                              S(ST_LOPEND) | S(ST_HERBEOORDELING) | S(ST_BEEINDIGD) |
                                  S(ST_BESLUITVORMING),
                              STAYS, R(ROLE_FINANCIEEL), "Participatiewet art. 10d; Awb art. 4:95"},
    [EV_KOSTEN_GEBOEKT] = {EV_KOSTEN_GEBOEKT, ALL_STATES, STAYS,
                           R(ROLE_KLANTMANAGER) | R(ROLE_FINANCIEEL), "begroting"},
    [EV_ZAAK_TOEGEWEZEN] = {EV_ZAAK_TOEGEWEZEN, ALL_STATES, STAYS, R(ROLE_KLANTMANAGER),
                            "werkverdeling (mandaatbesluit)"},
};

void case_init(struct case_state *cs, const char *tenant, int64_t id)
{
    memset(cs, 0, sizeof *cs);
    cs->id = id;
    snprintf(cs->tenant, sizeof cs->tenant, "%s", tenant);
    cs->status = ST_AANVRAAG;
    cs->applied = cs->complete = cs->info_requested = LKS_NO_DATE;
    cs->forfait_from = cs->decision_basis = cs->closed = LKS_NO_DATE;
    cs->test.started = cs->test.decided = LKS_NO_DATE;
    cs->placement.start = cs->placement.end = cs->placement.ended = LKS_NO_DATE;
    cs->person.birth = cs->person.benefit_start = LKS_NO_DATE;
}

/* ---- helpers ---- */

static int refuse(struct lks_err *err, const char *field, const char *msg)
{
    return lks_err_set(err, LKS_EINVAL, field, "refused", "%s", msg);
}

static const char *fmtd(char b[DATE_FMT_MAX], lks_date d)
{
    return d == LKS_NO_DATE ? "(geen)" : date_fmt(b, d);
}

/* The latest grant or revision, or NULL. */
static const struct decision *current_grant(const struct case_state *cs)
{
    for (int i = cs->ndecisions - 1; i >= 0; i--)
        if (cs->decision[i].kind != DEC_REFUSAL)
            return &cs->decision[i];
    return NULL;
}

/* The measurement still waiting for its result, or -1. */
static int open_measurement(const struct case_state *cs)
{
    for (int i = cs->nmeasurements - 1; i >= 0; i--)
        if (cs->measurement[i].loonwaarde < 0)
            return i;
    return -1;
}

/* The loonwaarde of the latest finished measurement, or -1. */
static int32_t last_loonwaarde(const struct case_state *cs, lks_date *when)
{
    for (int i = cs->nmeasurements - 1; i >= 0; i--)
        if (cs->measurement[i].loonwaarde >= 0) {
            if (when)
                *when = cs->measurement[i].measured;
            return cs->measurement[i].loonwaarde;
        }
    return -1;
}

static lks_date term_end(lks_date from, enum term_kind kind, int n)
{
    struct term_result t;
    struct lks_err e;
    if (term_compute(from, kind, n, &t, &e))
        return LKS_NO_DATE;
    return t.end;
}

static lks_date first_of_month(lks_date d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(y, m, 1);
}

/* ---- the standard form ---- */

/* The form's employer and person may already be on record (ctx): their names then come
 * from there; the form refers to them by KvK number and BSN. */
static int check_form(const struct case_ctx *ctx, const struct ev_aanvraag *a, lks_date date,
                      bool first, struct lks_err *err)
{
    char b1[DATE_FMT_MAX];
    const struct employer *w = &a->employer;
    const struct placement *pl = &a->placement;
    int rc = person_check_fields(&a->person, "werknemer.", ctx->person == NULL, date, err);
    if (rc)
        return rc;
    if ((rc = employer_check_fields(w, "werkgever.", ctx->employer == NULL, err)))
        return rc;
    if (pl->start == LKS_NO_DATE)
        return refuse(err, "dienstverband.start", "de startdatum van het dienstverband ontbreekt");
    if (pl->hours <= 0 || pl->hours > 6000)
        return refuse(err, "dienstverband.uren",
                      "de uren per week moeten meer dan 0 en ten hoogste 60 zijn");
    if (pl->wage < 0)
        return refuse(err, "dienstverband.loon", "het loon is negatief");
    if (pl->end != LKS_NO_DATE && pl->end < pl->start)
        return refuse(err, "dienstverband.einde", "de einddatum ligt voor de startdatum");
    /* Contract of at least 6 consecutive months (seed 004 verordening art. 32). */
    if (pl->end != LKS_NO_DATE && pl->end < date_add_months(pl->start, 6) - 1)
        return lks_err_set(err, LKS_EINVAL, "dienstverband.einde", "too-short",
                           "het dienstverband moet ten minste 6 maanden duren (verordening "
                           "art. 32); het eindigt op %s",
                           fmtd(b1, pl->end));
    if (!first)
        return 0;
    /* Apply before the job starts; up to 6 months after only for someone who was in the
     * target group in the 6 months before (Pw 10d lid 2). */
    if (date > pl->start) {
        if (date > date_add_months(pl->start, 6))
            return lks_err_set(err, LKS_EINVAL, "dienstverband.start", "too-late",
                               "de aanvraag komt meer dan 6 maanden na de start van het "
                               "dienstverband (%s) en kan niet meer worden toegekend "
                               "(Participatiewet art. 10d lid 2)",
                               fmtd(b1, pl->start));
        if (!a->late_allowed)
            return lks_err_set(err, LKS_EINVAL, "naStartToegestaan", "too-late",
                               "het dienstverband is al begonnen (%s); een aanvraag achteraf "
                               "kan alleen voor wie in de 6 maanden ervoor tot de doelgroep "
                               "behoorde (Participatiewet art. 10d lid 2)",
                               fmtd(b1, pl->start));
    }
    if (strcmp(a->applicant, "werkgever") && strcmp(a->applicant, "werknemer") &&
        strcmp(a->applicant, "gemeente"))
        return refuse(err, "aanvrager", "de aanvrager moet werkgever, werknemer of gemeente zijn");
    return 0;
}

/* What the standard form still lacks before the application is complete. The sector's
 * full-time hours only where they change the amount (lks_fulltime_needed). */
static int missing_items(const struct case_ctx *ctx, const struct case_state *cs, char out[][48],
                         int max)
{
    int n = 0;
#define MISS(cond, text)                                                                           \
    do {                                                                                           \
        if ((cond) && n < max)                                                                     \
            snprintf(out[n++], 48, "%s", text);                                                    \
    } while (0)
    MISS(cs->person.birth == LKS_NO_DATE, "geboortedatum werknemer");
    MISS(!cs->person.address[0], "adres werknemer");
    MISS(!cs->employer.iban[0] && !cs->employer.iban_proposed[0], "IBAN werkgever");
    MISS(!cs->employer.address[0], "adres werkgever");
    MISS(cs->placement.wage <= 0, "brutoloon");
    MISS(!cs->placement.job_title[0], "functie");
    MISS(cs->employer.fulltime_hours == 0 && cs->placement.start != LKS_NO_DATE &&
             lks_fulltime_needed(ctx->rules, cs->placement.start, cs->placement.hours),
         "voltijduren sector werkgever");
#undef MISS
    return n;
}

/* ---- provisions (seed 004 §4.6, policy) ---- */

static int check_provision(const struct case_ctx *ctx, const struct case_state *cs,
                           const struct provision *v, struct lks_err *err)
{
    const struct policy *p = ctx->policy;
    char b1[DATE_FMT_MAX];
    if (v->start == LKS_NO_DATE)
        return refuse(err, "start", "de startdatum van de voorziening ontbreekt");
    if (v->end != LKS_NO_DATE && v->end < v->start)
        return refuse(err, "einde", "de einddatum ligt voor de startdatum");
    if (v->cost < 0)
        return refuse(err, "kosten", "de kosten zijn negatief");
    switch (v->kind) {
    case PROV_PROEFPLAATSING: {
        if (v->end == LKS_NO_DATE)
            return refuse(err, "einde", "een proefplaatsing heeft een einddatum");
        lks_date max = date_add_months(v->start, p->trial_months) - 1;
        lks_date extra = date_add_months(v->start, p->trial_months + p->trial_extra_months) - 1;
        if (v->end > extra)
            return lks_err_set(err, LKS_EINVAL, "einde", "too-long",
                               "een proefplaatsing duurt ten hoogste %d maanden, met motivatie "
                               "%d (verordening); uiterlijk %s",
                               p->trial_months, p->trial_months + p->trial_extra_months,
                               fmtd(b1, extra));
        if (v->end > max && case_text_blank(v->motivation))
            return lks_err_set(err, LKS_EINVAL, "motivering", "required",
                               "een proefplaatsing langer dan %d maanden moet worden "
                               "gemotiveerd",
                               p->trial_months);
        return 0;
    }
    case PROV_NORISK: {
        if (cs->employer.own_sickness_insurance)
            return refuse(err, "soort",
                          "de werkgever is zelf verzekerd voor loondoorbetaling bij ziekte; die "
                          "voorliggende voorziening gaat voor de no-risk polis");
        lks_date limit = date_add_months(cs->placement.start, p->norisk_months) - 1;
        if (cs->placement.start == LKS_NO_DATE || v->start > limit ||
            (v->end != LKS_NO_DATE && v->end > limit))
            return lks_err_set(err, LKS_EINVAL, "einde", "too-long",
                               "de no-risk polis geldt in de eerste %d maanden van het "
                               "dienstverband, tot en met %s",
                               p->norisk_months, fmtd(b1, limit));
        return 0;
    }
    case PROV_JOBCOACH: {
        if (v->hours <= 0)
            return refuse(err, "uren", "geef het aantal uren jobcoaching per jaar");
        if (v->hours > p->jobcoach_hours && case_text_blank(v->motivation))
            return lks_err_set(err, LKS_EINVAL, "uren", "too-many",
                               "jobcoaching is ten hoogste %d uur per jaar; meer alleen als "
                               "gemotiveerde uitzondering (maatwerk)",
                               p->jobcoach_hours / 100);
        lks_date limit = date_add_months(v->start, 12 * p->jobcoach_years) - 1;
        if (v->end == LKS_NO_DATE || v->end > limit)
            return lks_err_set(err, LKS_EINVAL, "einde", "too-long",
                               "jobcoaching duurt ten hoogste %d jaar: einddatum uiterlijk %s",
                               p->jobcoach_years, fmtd(b1, limit));
        return 0;
    }
    case PROV_WERKPLEK:
        if (v->cost <= 0)
            return refuse(err, "kosten", "geef de kosten van de werkplekaanpassing");
        return 0;
    }
    return refuse(err, "soort", "onbekende voorziening");
}

/* ---- the tasks of a loonwaarde report ---- */

static void task_fault(struct lks_errlist *errs, int i, const char *part, const char *msg)
{
    char field[48];
    if (part)
        snprintf(field, sizeof field, "taken.%d.%s", i, part);
    else
        snprintf(field, sizeof field, "taken.%d", i);
    lks_err_set(lks_errlist_add(errs), LKS_EINVAL, field, "out-of-range", "taak %d: %s", i + 1,
                msg);
}

int case_wage_tasks_check(const struct ev_vastgesteld *v, struct lks_errlist *errs)
{
    int before = errs->n + errs->dropped;
    if (v->ntasks < 0 || v->ntasks > CASE_MAX_TASKS) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "taken", "too-many",
                    "ten hoogste %d hoofdtaken", CASE_MAX_TASKS);
        return LKS_EINVAL;
    }
    int64_t sum = 0;
    for (int i = 0; i < v->ntasks; i++) {
        const struct wage_task *t = &v->task[i];
        if (case_text_blank(t->name))
            task_fault(errs, i, "naam", "noem de taak");
        if (t->share <= 0 || t->share > 10000)
            task_fault(errs, i, "tijdsaandeel",
                       "het aandeel in de tijd ligt tussen 0 (niet inbegrepen) en 100 procent");
        if (t->tempo < 0 || t->tempo > 10000)
            task_fault(errs, i, "tempo", "het tempo ligt tussen 0 en 100 procent");
        if (t->quality < 0 || t->quality > 10000)
            task_fault(errs, i, "kwaliteit", "de kwaliteit ligt tussen 0 en 100 procent");
        sum += t->share;
    }
    if (v->ntasks && errs->n + errs->dropped == before && sum != 10000) {
        char b[MONEY_FMT_MAX];
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "taken", "shares-not-100",
                    "de tijdsaandelen van de taken zijn samen %s%% en moeten samen 100%% zijn",
                    money_fmt_short(b, sum, 2, 0));
    }
    if (v->has_net_time && (v->net_time < 0 || v->net_time > 10000))
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "nettoProductieveTijd", "out-of-range",
                    "de netto productieve tijd ligt tussen 0 en 100 procent");
    return errs->n + errs->dropped > before ? LKS_EINVAL : 0;
}

/* ---- decisions ---- */

int case_month_amount(const struct case_ctx *ctx, const struct case_state *cs, lks_date month,
                      struct lks_result *out, struct lks_err *err)
{
    struct pay_grant g;
    int rc = case_pay_grant(cs, &g, err);
    if (rc)
        return rc;
    int p = -1;
    for (int i = g.nperiods - 1; i >= 0 && p < 0; i--) {
        lks_date to = g.period[i].to == LKS_NO_DATE ? INT32_MAX : g.period[i].to;
        if (first_of_month(g.period[i].from) <= month && month <= to)
            p = i;
    }
    char b1[DATE_FMT_MAX];
    if (p < 0)
        return lks_err_set(err, LKS_EINVAL, "maand", "not-granted",
                           "voor %s is geen loonkostensubsidie toegekend", fmtd(b1, month));
    /* The terms of that month (re-indexed every 1 January, 10d lid 7): rules/pay.c. */
    struct lks_input in;
    pay_input(&g, p, first_of_month(month), &in);
    return lks_compute(ctx->rules, &in, out, err);
}

static int decide_decision(const struct case_ctx *ctx, const struct case_state *cs,
                           struct case_event *ev, struct lks_err *err)
{
    struct decision *d = &ev->d.beschikking;
    const struct policy *p = ctx->policy;
    char b1[DATE_FMT_MAX], b2[DATE_FMT_MAX];
    d->sent = ev->date;
    d->objection_due = term_end(ev->date, TERM_WEEKS, 6); /* Awb 6:7, 6:8; Atw */
    if (d->kind == DEC_REFUSAL) {
        if (case_text_blank(d->reason))
            return refuse(err, "motivering",
                          "een afwijzing moet worden gemotiveerd (Awb art. 3:46)");
        d->from = d->to = d->peildatum = LKS_NO_DATE;
        d->loonwaarde = -1;
        d->amount = d->subsidy = d->allowance = 0;
        return 0;
    }
    if (cs->test.done && cs->test.outcome != TOETS_IN_TARGET_GROUP)
        return refuse(err, "soort",
                      "de toegangstoets was negatief: alleen een afwijzing is mogelijk");
    bool first = current_grant(cs) == NULL;
    if (d->kind == DEC_REVISION && first)
        return refuse(err, "soort", "er is nog geen toekenning om te herzien");
    if (d->kind == DEC_GRANT && !first)
        return refuse(err, "soort",
                      "er is al een toekenning; een nieuwe loonwaarde geeft een herziening");
    int32_t lw = last_loonwaarde(cs, NULL);
    bool forfait = cs->forfait && lw < 0;
    if (!forfait && lw < 0)
        return refuse(err, "loonwaarde",
                      "er is nog geen loonwaarde vastgesteld en geen forfait afgesproken");
    if (!forfait && lw < p->lower_bound)
        return lks_err_set(err, LKS_EINVAL, "loonwaarde", "below-lower-bound",
                           "de loonwaarde van %d%% ligt onder de ondergrens van %d%% van de "
                           "gemeente; alleen een afwijzing is mogelijk",
                           lw / 100, p->lower_bound / 100);
    if (!forfait && lw >= p->upper_bound)
        return lks_err_set(err, LKS_EINVAL, "loonwaarde", "above-upper-bound",
                           "de loonwaarde van %d%% ligt op of boven de bovengrens van %d%% van de "
                           "gemeente (loonkostensubsidie alleen daaronder); alleen een afwijzing "
                           "is mogelijk",
                           lw / 100, p->upper_bound / 100);
    if (d->from == LKS_NO_DATE)
        d->from =
            first ? (cs->placement.start > cs->applied && cs->applied != LKS_NO_DATE
                         ? cs->placement.start
                         : (cs->placement.start != LKS_NO_DATE ? cs->placement.start : ev->date))
                  : first_of_month(date_add_months(ev->date, 1));
    if (!first && d->from <= current_grant(cs)->from)
        return lks_err_set(err, LKS_EINVAL, "vanaf", "too-early",
                           "een herziening gaat in na de vorige beschikking (die ging in op %s)",
                           fmtd(b1, current_grant(cs)->from));
    lks_date end = cs->placement.end;
    if (forfait) {
        /* Flat rate at most the first 6 months of the job (10d lid 5). */
        lks_date six = date_add_months(cs->placement.start, 6) - 1;
        if (d->from > six)
            return lks_err_set(err, LKS_EINVAL, "vanaf", "forfait-too-late",
                               "forfaitaire loonkostensubsidie kan alleen in de eerste 6 maanden "
                               "van het dienstverband (tot en met %s); meet eerst de loonwaarde",
                               fmtd(b1, six));
        if (end == LKS_NO_DATE || end > six)
            end = six;
    }
    if (d->to == LKS_NO_DATE || (end != LKS_NO_DATE && d->to > end))
        d->to = end;
    if (d->to != LKS_NO_DATE && d->to < d->from)
        return lks_err_set(err, LKS_EINVAL, "tot", "empty-period",
                           "de periode %s tot en met %s is leeg", fmtd(b1, d->from),
                           fmtd(b2, d->to));
    d->peildatum = d->from;
    d->loonwaarde = forfait ? -1 : lw;
    struct lks_input in = {
        .peildatum = d->peildatum,
        .loonwaarde = forfait ? 0 : lw,
        .hours = cs->placement.hours,
        .fulltime = cs->employer.fulltime_hours,
        .age = cs->person.birth != LKS_NO_DATE ? date_age_on(cs->person.birth, d->peildatum)
                                               : LKS_AGE_ADULT,
        .forfait = forfait,
    };
    struct lks_result r;
    int rc = lks_compute(ctx->rules, &in, &r, err);
    if (rc && strcmp(err->field, "voltijduren") == 0) {
        /* the sector's hours belong to the employer's record, not to the decision */
        struct lks_err why = *err;
        return lks_err_set(err, rc, "werkgever.voltijduren", "required",
                           "%s; leg ze vast bij de werkgever (werkgever-gewijzigd)", why.msg);
    }
    if (rc) {
        lks_err_field(err, "vanaf");
        return rc;
    }
    d->amount = r.total;
    d->subsidy = r.subsidy;
    d->allowance = r.allowance;
    return 0;
}

/* ---- what the state of the case allows ---- */

static bool open_objection(const struct case_state *cs)
{
    for (int k = 0; k < cs->nobjections; k++)
        if (cs->objection[k].decided == LKS_NO_DATE)
            return true;
    return false;
}

static bool open_provision(const struct case_state *cs)
{
    for (int k = 0; k < cs->nprovisions; k++)
        if (cs->provision[k].ended == LKS_NO_DATE)
            return true;
    return false;
}

/* Whether the case's status and state allow the command at all (LKS_ESTATE with the
 * reason if not), whoever gives it and whatever its data. */
static int state_allows(const struct case_state *cs, enum ev_type type, struct lks_err *err)
{
    const struct case_transition *t = &case_transitions[type];
    if (type == EV_AANVRAAG_INGEDIEND)
        return cs->version == 0 ? 0
                                : lks_err_set(err, LKS_ESTATE, "soort", "exists",
                                              "deze zaak heeft al een aanvraag");
    if (cs->version == 0)
        return lks_err_set(err, LKS_ESTATE, "soort", "no-case", "een zaak begint met een aanvraag");
    if ((unsigned)cs->status >= ST_COUNT || !(t->from & S(cs->status)))
        return lks_err_set(err, LKS_ESTATE, "soort", "not-now",
                           "'%s' kan niet in de status '%s' van deze zaak", ev_type_name(type),
                           case_status_name(cs->status));
    bool target = cs->test.done && cs->test.outcome == TOETS_IN_TARGET_GROUP;
    switch (type) {
    case EV_LOONWAARDEMETING_AANGEVRAAGD:
        if (!target)
            return lks_err_set(err, LKS_ESTATE, "soort", "no-target-group",
                               "vraag pas een loonwaardemeting aan als de toegangstoets "
                               "uitwijst dat de werknemer tot de doelgroep behoort");
        return 0;
    case EV_FORFAIT_AFGESPROKEN:
        if (!target)
            return lks_err_set(err, LKS_ESTATE, "soort", "no-target-group",
                               "een forfait kan pas als de werknemer tot de doelgroep behoort");
        return 0;
    case EV_LOONWAARDE_VASTGESTELD:
    case EV_LOONWAARDE_ONGEWIJZIGD:
        if (open_measurement(cs) < 0)
            return lks_err_set(err, LKS_ESTATE, "soort", "no-measurement",
                               "er is geen aangevraagde meting om af te ronden");
        return 0;
    case EV_BEZWAAR_INGEDIEND:
        if (cs->ndecisions == 0)
            return lks_err_set(err, LKS_ESTATE, "soort", "no-decision",
                               "er is nog geen beschikking om bezwaar tegen te maken");
        return 0;
    case EV_BEZWAAR_BESLIST:
        if (!open_objection(cs))
            return lks_err_set(err, LKS_ESTATE, "bezwaar", "no-objection",
                               "er is geen open bezwaar om op te beslissen");
        return 0;
    case EV_VOORZIENING_BEEINDIGD:
        if (!open_provision(cs))
            return lks_err_set(err, LKS_ESTATE, "voorziening", "no-provision",
                               "er is geen lopende voorziening om te beëindigen");
        return 0;
    case EV_BETALING_VERRICHT:
        /* four eyes on the bank account: only a confirmed IBAN is paid to */
        if (!cs->employer.iban[0])
            return lks_err_set(err, LKS_ESTATE, "werkgever.iban", "not-confirmed",
                               cs->employer.iban_proposed[0]
                                   ? "de IBAN van de werkgever wacht nog op bevestiging door een "
                                     "medewerker financiën (vier ogen); betalen kan daarna"
                                   : "de werkgever heeft nog geen bevestigde IBAN");
        return 0;
    default:
        return 0;
    }
}

uint32_t case_commands(const struct case_state *cs, enum role role)
{
    uint32_t out = 0;
    struct lks_err err;
    if ((unsigned)role >= ROLE_COUNT)
        return 0;
    for (int t = 0; t < EV_COUNT; t++)
        if ((case_transitions[t].roles & R(role)) && state_allows(cs, (enum ev_type)t, &err) == 0)
            out |= 1u << t;
    return out;
}

/* ---- the check of every command ---- */

int case_decide(const struct case_ctx *ctx, const struct case_state *cs, struct case_event *ev,
                struct lks_err *err)
{
    char b1[DATE_FMT_MAX], b2[DATE_FMT_MAX];
    if ((unsigned)ev->type >= EV_COUNT)
        return lks_err_set(err, LKS_EINVAL, "soort", "unknown", "onbekende opdracht");
    const struct case_transition *t = &case_transitions[ev->type];
    if ((unsigned)ev->role >= ROLE_COUNT || !(t->roles & R(ev->role)))
        return lks_err_set(
            err, LKS_EFORBIDDEN, "rol", "role-not-allowed", "de rol %s mag '%s' niet geven",
            (unsigned)ev->role < ROLE_COUNT ? role_name(ev->role) : "?", ev_type_name(ev->type));
    if (ev->date == LKS_NO_DATE || ev->date == 0)
        return lks_err_set(err, LKS_EINVAL, "datum", "required", "de datum van de stap ontbreekt");
    int rc0 = state_allows(cs, ev->type, err);
    if (rc0)
        return rc0;
    if (ev->type != EV_AANVRAAG_INGEDIEND && cs->applied != LKS_NO_DATE && ev->date < cs->applied)
        return lks_err_set(err, LKS_EINVAL, "datum", "before-application",
                           "de datum %s ligt voor de aanvraag (%s)", fmtd(b1, ev->date),
                           fmtd(b2, cs->applied));
    if (ctx->today != LKS_NO_DATE && ev->date > ctx->today)
        return lks_err_set(err, LKS_EINVAL, "datum", "future", "de datum %s ligt in de toekomst",
                           fmtd(b1, ev->date));

    switch (ev->type) {
    case EV_AANVRAAG_INGEDIEND:
        return check_form(ctx, &ev->d.aanvraag, ev->date, true, err);
    case EV_INFORMATIE_AANGEVULD:
        return check_form(ctx, &ev->d.aanvraag, ev->date, false, err);
    case EV_INFORMATIE_GEVRAAGD:
        if (ev->d.info.nmissing < 1)
            return refuse(err, "ontbreekt", "noem wat er ontbreekt");
        return 0;
    case EV_AANVRAAG_COMPLEET: {
        char miss[CASE_MAX_MISSING][48];
        int n = missing_items(ctx, cs, miss, CASE_MAX_MISSING);
        if (n) {
            char list[300] = "";
            for (int i = 0; i < n; i++) {
                if (i)
                    strncat(list, ", ", sizeof list - strlen(list) - 1);
                strncat(list, miss[i], sizeof list - strlen(list) - 1);
            }
            return lks_err_set(err, LKS_EINVAL, "aanvraag", "incomplete",
                               "de aanvraag is nog niet compleet; vraag om: %s", list);
        }
        return 0;
    }
    case EV_TOEGANGSTOETS_UITGEVOERD: {
        /* At most one target-group decision per 12 months (Pw 10c lid 2). */
        if (ctx->person_last_test != LKS_NO_DATE &&
            ev->date < date_add_months(ctx->person_last_test, 12))
            /* the date belongs to another case of the person: not disclosed here (the case
             * worker who may see that case finds it there, and that read is logged) */
            return lks_err_set(err, LKS_EINVAL, "datum", "too-soon",
                               "voor deze persoon is in een andere zaak minder dan 12 maanden "
                               "geleden al een doelgroepbepaling gedaan; een nieuwe kan pas 12 "
                               "maanden daarna (Participatiewet art. 10c lid 2)");
        struct toets_input in;
        memcpy(in.answer, ev->d.toets.answer, sizeof in.answer);
        in.toelichting = ev->d.toets.explanation;
        struct toets_result r;
        int rc = toets_run(&in, &r, err);
        if (rc)
            return rc;
        ev->d.toets.outcome = (int)r.outcome;
        if (ev->d.toets.cost < 0)
            return refuse(err, "kosten", "de kosten zijn negatief");
        return 0;
    }
    case EV_LOONWAARDEMETING_AANGEVRAAGD:
    case EV_HERBEOORDELING_GESTART: {
        if (cs->nmeasurements >= CASE_MAX_MEASUREMENTS)
            return refuse(err, "meting", "het maximale aantal metingen is bereikt");
        struct measurement *m = &ev->d.meting;
        if (case_text_blank(m->expert))
            return refuse(err, "deskundige", "noem de loonwaardedeskundige");
        if (m->cost < 0)
            return refuse(err, "kosten", "de kosten zijn negatief");
        m->requested = ev->date;
        m->loonwaarde = -1;
        m->measured = m->reported = m->next = LKS_NO_DATE;
        return 0;
    }
    case EV_LOONWAARDE_VASTGESTELD:
    case EV_LOONWAARDE_ONGEWIJZIGD: {
        int i = open_measurement(cs);
        struct ev_vastgesteld *v = &ev->d.vastgesteld;
        if (v->loonwaarde < 0 || v->loonwaarde > 10000)
            return refuse(err, "loonwaarde", "de loonwaarde moet tussen 0 en 100 procent liggen");
        struct lks_errlist te = {0};
        if (case_wage_tasks_check(v, &te)) {
            *err = te.e[0];
            return te.e[0].code;
        }
        if (v->measured == LKS_NO_DATE)
            v->measured = ev->date;
        if (v->measured > ev->date || v->measured < cs->measurement[i].requested)
            return refuse(err, "gemeten",
                          "de meetdatum ligt tussen de aanvraag van de meting en het rapport");
        if (ev->type == EV_LOONWAARDE_ONGEWIJZIGD) {
            const struct decision *g = current_grant(cs);
            if (!g || g->loonwaarde != v->loonwaarde)
                return refuse(err, "loonwaarde",
                              "de loonwaarde wijkt af van de huidige beschikking: gebruik "
                              "loonwaarde-vastgesteld");
        }
        if (v->next == LKS_NO_DATE)
            v->next = date_add_months(v->measured, ctx->policy->remeasure_months);
        return 0;
    }
    case EV_FORFAIT_AFGESPROKEN:
        if (cs->placement.start != LKS_NO_DATE &&
            ev->date > date_add_months(cs->placement.start, 6) - 1)
            return refuse(err, "datum",
                          "forfaitaire loonkostensubsidie kan alleen in de eerste 6 maanden van "
                          "het dienstverband");
        if (cs->placement.start != LKS_NO_DATE) {
            /* the flat rate is a row of the rules: it exists from 2016-07-04 (Stb. 2016, 498) */
            struct lks_err e2;
            const struct rules_lks *l = rules_lks_at(ctx->rules, cs->placement.start, &e2);
            if (l && l->forfait_pct == 0)
                return lks_err_set(err, LKS_EINVAL, "soort", "no-flat-rate",
                                   "forfaitaire loonkostensubsidie bestaat niet voor een "
                                   "dienstverband dat begon op %s: die bestaat vanaf 4 juli 2016 "
                                   "(Stb. 2016, 498); meet de loonwaarde",
                                   fmtd(b1, cs->placement.start));
        }
        return 0;
    case EV_BESCHIKKING_VERZONDEN:
        if (cs->ndecisions >= CASE_MAX_DECISIONS)
            return refuse(err, "beschikking", "het maximale aantal beschikkingen is bereikt");
        return decide_decision(ctx, cs, ev, err);
    case EV_DIENSTVERBAND_BEEINDIGD:
    case EV_GEEN_DOELGROEP_MEER:
    case EV_AANVRAAG_INGETROKKEN:
    case EV_VERHUISD:
        if (case_text_blank(ev->d.einde.reason))
            return refuse(err, "reden", "geef de reden");
        if (ev->type == EV_VERHUISD && case_text_blank(ev->d.einde.new_tenant))
            return refuse(err, "nieuweGemeente", "noem de gemeente die de zaak overneemt");
        if (ev->type == EV_DIENSTVERBAND_BEEINDIGD && cs->placement.start != LKS_NO_DATE &&
            ev->date < cs->placement.start)
            return refuse(err, "datum", "het dienstverband kan niet eindigen voor de start");
        return 0;
    case EV_BEZWAAR_INGEDIEND: {
        if (cs->nobjections >= CASE_MAX_OBJECTIONS)
            return refuse(err, "bezwaar", "het maximale aantal bezwaren is bereikt");
        struct objection *o = &ev->d.bezwaar;
        const struct decision *last = &cs->decision[cs->ndecisions - 1];
        if (case_text_blank(o->subject))
            return refuse(err, "onderwerp", "waartegen is het bezwaar gericht?");
        o->received = ev->date;
        o->committee = o->committee || ctx->policy->objection_committee;
        /* Awb 7:10: 6 weeks (12 with a committee) from the day after the objection term
         * ended, + 6 weeks when deferred. */
        lks_date base = last->objection_due > o->received ? last->objection_due : o->received;
        o->due = term_end(base, TERM_WEEKS, (o->committee ? 12 : 6) + (o->deferred ? 6 : 0));
        o->decided = LKS_NO_DATE;
        o->outcome[0] = '\0';
        return 0;
    }
    case EV_BEZWAAR_BESLIST: {
        struct ev_bezwaar_beslist *b = &ev->d.bezwaar_beslist;
        int i = b->index;
        if (i < 0)
            for (int k = cs->nobjections - 1; k >= 0; k--)
                if (cs->objection[k].decided == LKS_NO_DATE) {
                    i = k;
                    break;
                }
        if (i < 0 || i >= cs->nobjections || cs->objection[i].decided != LKS_NO_DATE)
            return lks_err_set(err, LKS_ESTATE, "bezwaar", "no-objection",
                               "er is geen open bezwaar om op te beslissen");
        if (strcmp(b->outcome, "gegrond") && strcmp(b->outcome, "ongegrond") &&
            strcmp(b->outcome, "niet-ontvankelijk") && strcmp(b->outcome, "ingetrokken"))
            return refuse(err, "uitkomst",
                          "de uitkomst is gegrond, ongegrond, niet-ontvankelijk of ingetrokken");
        b->index = i;
        return 0;
    }
    case EV_VOORZIENING_TOEGEKEND:
        if (cs->nprovisions >= CASE_MAX_PROVISIONS)
            return refuse(err, "voorziening", "het maximale aantal voorzieningen is bereikt");
        ev->d.voorziening.ended = LKS_NO_DATE;
        return check_provision(ctx, cs, &ev->d.voorziening, err);
    case EV_VOORZIENING_BEEINDIGD: {
        int i = ev->d.voorziening_einde.index;
        if (i < 0 || i >= cs->nprovisions || cs->provision[i].ended != LKS_NO_DATE)
            return lks_err_set(err, LKS_ESTATE, "voorziening", "no-provision",
                               "die voorziening bestaat niet of is al beëindigd");
        if (case_text_blank(ev->d.voorziening_einde.reason))
            return refuse(err, "reden", "geef de reden");
        return 0;
    }
    case EV_BETALING_VERRICHT: {
        struct payment *p = &ev->d.betaling;
        if (cs->npayments >= CASE_MAX_PAYMENTS)
            return refuse(err, "betaling", "het maximale aantal betalingen is bereikt");
        p->month = first_of_month(p->month == LKS_NO_DATE ? ev->date : p->month);
        for (int i = 0; i < cs->npayments; i++)
            if (cs->payment[i].month == p->month)
                return lks_err_set(err, LKS_ESTATE, "maand", "already-paid",
                                   "de maand %s is al betaald op %s", fmtd(b1, p->month),
                                   fmtd(b2, cs->payment[i].paid));
        lks_date stop =
            cs->placement.ended != LKS_NO_DATE ? cs->placement.ended : cs->placement.end;
        if (stop != LKS_NO_DATE && p->month > stop)
            return refuse(err, "maand", "het dienstverband was toen al beëindigd");
        const struct decision *g = current_grant(cs);
        if (g && g->loonwaarde < 0 && p->month > date_add_months(cs->placement.start, 6) - 1)
            return refuse(err, "maand",
                          "forfaitaire loonkostensubsidie ten hoogste de eerste 6 maanden: meet "
                          "eerst de loonwaarde (Participatiewet art. 10d lid 5)");
        /* What is owed for that month: its parts by calendar days (rules/pay.c). */
        struct pay_grant pg;
        struct pay_month pm;
        int rc = case_pay_grant(cs, &pg, err);
        if (rc == 0)
            rc = pay_month(ctx->rules, &pg, p->month, &pm, err);
        if (rc)
            return rc;
        if (pm.nparts == 0)
            return lks_err_set(err, LKS_EINVAL, "maand", "not-granted",
                               "voor %s is geen loonkostensubsidie toegekend", fmtd(b1, p->month));
        p->amount = pm.amount;
        p->paid = ev->date;
        snprintf(p->iban, sizeof p->iban, "%s", cs->employer.iban);
        return 0;
    }
    case EV_ZAAK_TOEGEWEZEN: {
        const struct ev_toewijzing *tw = &ev->d.toewijzing;
        if (case_text_blank(tw->case_worker))
            return refuse(err, "klantmanager", "noem de klantmanager die de zaak krijgt");
        if (strcmp(tw->case_worker, cs->case_worker) == 0)
            return refuse(err, "klantmanager", "de zaak is al aan deze klantmanager toegewezen");
        if (case_text_blank(tw->reason))
            return refuse(err, "reden", "noem de reden van de toewijzing");
        return 0;
    }
    case EV_KOSTEN_GEBOEKT:
        if (cs->ncosts >= CASE_MAX_COSTS)
            return refuse(err, "kosten", "het maximale aantal kostenposten is bereikt");
        if (ev->d.kosten.amount <= 0)
            return refuse(err, "bedrag", "het bedrag moet groter dan 0 zijn");
        if (ev->d.kosten.date == LKS_NO_DATE)
            ev->d.kosten.date = ev->date;
        return 0;
    default:
        return 0;
    }
}

/* ---- the fold ---- */

unsigned case_event_parts(enum ev_type t)
{
    switch (t) {
    case EV_AANVRAAG_INGEDIEND:
    case EV_INFORMATIE_AANGEVULD:
        return PART_PARTIES;
    case EV_TOEGANGSTOETS_UITGEVOERD:
    case EV_KOSTEN_GEBOEKT:
        return PART_COSTS;
    case EV_LOONWAARDEMETING_AANGEVRAAGD:
    case EV_HERBEOORDELING_GESTART:
        return PART_MEASUREMENTS | PART_COSTS;
    case EV_LOONWAARDE_VASTGESTELD:
    case EV_LOONWAARDE_ONGEWIJZIGD:
        return PART_MEASUREMENTS;
    case EV_BESCHIKKING_VERZONDEN:
    case EV_DIENSTVERBAND_BEEINDIGD:
    case EV_VERHUISD:
    case EV_GEEN_DOELGROEP_MEER:
    case EV_AANVRAAG_INGETROKKEN:
        return PART_DECISIONS; /* closing a case ends its open grant */
    case EV_BEZWAAR_INGEDIEND:
    case EV_BEZWAAR_BESLIST:
        return PART_OBJECTIONS;
    case EV_VOORZIENING_TOEGEKEND:
    case EV_VOORZIENING_BEEINDIGD:
        return PART_PROVISIONS;
    case EV_BETALING_VERRICHT:
        return PART_PAYMENT_ADDED;
    default:
        return 0;
    }
}

static void take_form(struct case_state *cs, const struct ev_aanvraag *a)
{
    int64_t pid = cs->person.id, eid = cs->employer.id;
    cs->person = a->person;
    cs->employer = a->employer;
    cs->person.id = pid;
    cs->employer.id = eid;
    lks_date ended = cs->placement.ended;
    char reason[CASE_TEXT];
    memcpy(reason, cs->placement.end_reason, sizeof reason);
    cs->placement = a->placement;
    cs->placement.ended = ended;
    memcpy(cs->placement.end_reason, reason, sizeof reason);
}

static void close_case(struct case_state *cs, const struct case_event *ev)
{
    cs->closed = ev->date;
    snprintf(cs->close_reason, sizeof cs->close_reason, "%s", ev->d.einde.reason);
    /* an open grant ends with the case */
    for (int i = 0; i < cs->ndecisions; i++) {
        struct decision *d = &cs->decision[i];
        if (d->kind != DEC_REFUSAL && (d->to == LKS_NO_DATE || d->to > ev->date) &&
            d->from <= ev->date)
            d->to = ev->date;
    }
}

/* The checks of the fold: what an event must satisfy to be applied to this state
 * without reading or writing outside it. case_decide guarantees all of it for the
 * events it accepts; an event read back from a store is checked here. */
static int fits(const struct case_state *cs, const struct case_event *ev)
{
    switch (ev->type) {
    case EV_INFORMATIE_GEVRAAGD:
        return ev->d.info.nmissing >= 0 && ev->d.info.nmissing <= CASE_MAX_MISSING;
    case EV_TOEGANGSTOETS_UITGEVOERD:
        return ev->d.toets.outcome >= 0 && ev->d.toets.outcome <= TOETS_LOWER_BOUND;
    case EV_LOONWAARDEMETING_AANGEVRAAGD:
    case EV_HERBEOORDELING_GESTART:
        return cs->nmeasurements < CASE_MAX_MEASUREMENTS;
    case EV_BESCHIKKING_VERZONDEN:
        return cs->ndecisions < CASE_MAX_DECISIONS &&
               (unsigned)ev->d.beschikking.kind <= DEC_REVISION;
    case EV_BEZWAAR_INGEDIEND:
        return cs->nobjections < CASE_MAX_OBJECTIONS;
    case EV_BEZWAAR_BESLIST:
        return ev->d.bezwaar_beslist.index >= 0 && ev->d.bezwaar_beslist.index < cs->nobjections;
    case EV_VOORZIENING_TOEGEKEND:
        return cs->nprovisions < CASE_MAX_PROVISIONS;
    case EV_VOORZIENING_BEEINDIGD:
        return ev->d.voorziening_einde.index >= 0 &&
               ev->d.voorziening_einde.index < cs->nprovisions;
    case EV_BETALING_VERRICHT:
        return cs->npayments < CASE_MAX_PAYMENTS;
    case EV_KOSTEN_GEBOEKT:
        return cs->ncosts < CASE_MAX_COSTS;
    default:
        return 1;
    }
}

int case_apply(struct case_state *cs, const struct case_event *ev, struct lks_err *err)
{
    if ((unsigned)ev->type >= EV_COUNT || (unsigned)cs->status >= ST_COUNT ||
        (unsigned)cs->nmeasurements > CASE_MAX_MEASUREMENTS ||
        (unsigned)cs->ndecisions > CASE_MAX_DECISIONS ||
        (unsigned)cs->npayments > CASE_MAX_PAYMENTS ||
        (unsigned)cs->nprovisions > CASE_MAX_PROVISIONS ||
        (unsigned)cs->nobjections > CASE_MAX_OBJECTIONS || (unsigned)cs->ncosts > CASE_MAX_COSTS ||
        !fits(cs, ev))
        return lks_err_set(err, LKS_EINVAL, "gebeurtenis", "does-not-fit",
                           "gebeurtenis %lld (%s) van zaak %lld past niet bij de zaak",
                           (long long)ev->seq, ev_type_name(ev->type), (long long)cs->id);
    const struct case_transition *t = &case_transitions[ev->type];
    switch (ev->type) {
    case EV_AANVRAAG_INGEDIEND:
        take_form(cs, &ev->d.aanvraag);
        cs->applied = ev->date;
        snprintf(cs->applicant, sizeof cs->applicant, "%s", ev->d.aanvraag.applicant);
        snprintf(cs->case_worker, sizeof cs->case_worker, "%s",
                 ev->d.aanvraag.case_worker[0]   ? ev->d.aanvraag.case_worker
                 : ev->role == ROLE_KLANTMANAGER ? ev->actor
                                                 : "");
        break;
    case EV_INFORMATIE_GEVRAAGD:
        cs->info_requested = ev->date;
        cs->nmissing = ev->d.info.nmissing;
        memcpy(cs->missing, ev->d.info.missing, sizeof cs->missing);
        break;
    case EV_INFORMATIE_AANGEVULD:
        take_form(cs, &ev->d.aanvraag);
        if (cs->info_requested != LKS_NO_DATE)
            cs->info_wait_days += ev->date - cs->info_requested;
        cs->info_requested = LKS_NO_DATE;
        cs->nmissing = 0;
        break;
    case EV_AANVRAAG_COMPLEET:
        cs->complete = ev->date;
        break;
    case EV_TOEGANGSTOETS_UITGEVOERD: {
        struct access_test *a = &cs->test;
        a->done = true;
        a->voluntary = ev->d.toets.voluntary;
        a->started = cs->complete != LKS_NO_DATE ? cs->complete : ev->date;
        a->decided = ev->date;
        a->outcome = ev->d.toets.outcome;
        a->limitation = 0;
        for (int c = 0; c < 4; c++)
            if (ev->d.toets.answer[TOETS_Q1][c] == TOETS_YES)
                a->limitation |= (uint8_t)(1u << c);
        snprintf(a->explanation, sizeof a->explanation, "%s", ev->d.toets.explanation);
        if (ev->d.toets.cost > 0 && cs->ncosts < CASE_MAX_COSTS)
            cs->cost[cs->ncosts++] =
                (struct cost){COST_ACCESS_TEST, ev->date, ev->d.toets.cost, "toegangstoets"};
        if (a->outcome != TOETS_IN_TARGET_GROUP) {
            cs->status = ST_BESLUITVORMING;
            cs->decision_basis = ev->date;
        }
        break;
    }
    case EV_LOONWAARDEMETING_AANGEVRAAGD:
    case EV_HERBEOORDELING_GESTART:
        cs->measurement[cs->nmeasurements++] = ev->d.meting;
        if (ev->d.meting.cost > 0 && cs->ncosts < CASE_MAX_COSTS)
            cs->cost[cs->ncosts++] =
                (struct cost){COST_MEASUREMENT, ev->date, ev->d.meting.cost, "loonwaardemeting"};
        break;
    case EV_LOONWAARDE_VASTGESTELD:
    case EV_LOONWAARDE_ONGEWIJZIGD: {
        int i = open_measurement(cs);
        if (i >= 0) {
            struct measurement *m = &cs->measurement[i];
            m->loonwaarde = ev->d.vastgesteld.loonwaarde;
            m->measured = ev->d.vastgesteld.measured;
            m->reported = ev->date;
            m->next = ev->d.vastgesteld.next;
            snprintf(m->reference_job, sizeof m->reference_job, "%s",
                     ev->d.vastgesteld.reference_job);
            snprintf(m->report_doc, sizeof m->report_doc, "%s", ev->d.vastgesteld.report_doc);
        }
        if (ev->type == EV_LOONWAARDE_VASTGESTELD)
            cs->decision_basis = ev->date;
        break;
    }
    case EV_FORFAIT_AFGESPROKEN:
        cs->forfait = true;
        cs->forfait_from = ev->date;
        cs->decision_basis = ev->date;
        break;
    case EV_BESCHIKKING_VERZONDEN: {
        const struct decision *d = &ev->d.beschikking;
        if (d->kind != DEC_REFUSAL) {
            /* a revision ends the grant before it */
            for (int i = cs->ndecisions - 1; i >= 0; i--)
                if (cs->decision[i].kind != DEC_REFUSAL) {
                    if (cs->decision[i].to == LKS_NO_DATE || cs->decision[i].to >= d->from)
                        cs->decision[i].to = d->from - 1;
                    break;
                }
        }
        cs->decision[cs->ndecisions++] = *d;
        cs->status = d->kind == DEC_REFUSAL ? ST_AFGEWEZEN : ST_LOPEND;
        if (d->kind == DEC_REFUSAL && cs->closed == LKS_NO_DATE)
            cs->closed = ev->date;
        break;
    }
    case EV_DIENSTVERBAND_BEEINDIGD:
        cs->placement.ended = ev->date;
        snprintf(cs->placement.end_reason, sizeof cs->placement.end_reason, "%s",
                 ev->d.einde.reason);
        close_case(cs, ev);
        break;
    case EV_VERHUISD:
    case EV_GEEN_DOELGROEP_MEER:
    case EV_AANVRAAG_INGETROKKEN:
        close_case(cs, ev);
        break;
    case EV_BEZWAAR_INGEDIEND:
        cs->objection[cs->nobjections++] = ev->d.bezwaar;
        break;
    case EV_BEZWAAR_BESLIST: {
        struct objection *o = &cs->objection[ev->d.bezwaar_beslist.index];
        o->decided = ev->date;
        snprintf(o->outcome, sizeof o->outcome, "%s", ev->d.bezwaar_beslist.outcome);
        break;
    }
    case EV_VOORZIENING_TOEGEKEND:
        cs->provision[cs->nprovisions++] = ev->d.voorziening;
        break;
    case EV_VOORZIENING_BEEINDIGD: {
        struct provision *p = &cs->provision[ev->d.voorziening_einde.index];
        p->ended = ev->date;
        snprintf(p->end_reason, sizeof p->end_reason, "%s", ev->d.voorziening_einde.reason);
        break;
    }
    case EV_BETALING_VERRICHT:
        cs->payment[cs->npayments++] = ev->d.betaling;
        break;
    case EV_KOSTEN_GEBOEKT:
        cs->cost[cs->ncosts++] = ev->d.kosten;
        break;
    case EV_ZAAK_TOEGEWEZEN:
        snprintf(cs->case_worker, sizeof cs->case_worker, "%s", ev->d.toewijzing.case_worker);
        break;
    default:
        break;
    }
    if (t->to >= 0)
        cs->status = (enum case_status)t->to;
    cs->version++;
    /* what fits() guaranteed: every list within its capacity, the status a known one */
    assert(cs->nmeasurements <= CASE_MAX_MEASUREMENTS && cs->ndecisions <= CASE_MAX_DECISIONS &&
           cs->npayments <= CASE_MAX_PAYMENTS && cs->nprovisions <= CASE_MAX_PROVISIONS &&
           cs->nobjections <= CASE_MAX_OBJECTIONS && cs->ncosts <= CASE_MAX_COSTS &&
           cs->nmissing <= CASE_MAX_MISSING && (unsigned)cs->status < ST_COUNT);
    return 0;
}

/* ---- deadlines ---- */

static const struct {
    const char *name, *text, *basis;
} dl_info[DL_COUNT] = {
    [DL_BESLISTERMIJN] = {"beslistermijn", "wettelijke beslistermijn op de aanvraag",
                          "Awb art. 4:13 en 4:15; Algemene termijnenwet"},
    [DL_INFORMATIE] = {"informatie", "termijn om de aanvraag aan te vullen", "Awb art. 4:5"},
    [DL_RAPPORT] = {"rapport", "rapport loonwaardemeting bij de gemeente",
                    "preferent werkproces 2019 (10 dagen)"},
    [DL_SERVICENORM] = {"servicenorm", "beschikking binnen de servicenorm",
                        "preferent werkproces 2019 (10 werkdagen)"},
    [DL_WETTELIJK] = {"wettelijk", "beschikking na vaststelling loonwaarde",
                      "Participatiewet art. 10d lid 12 (5 weken); Algemene termijnenwet"},
    [DL_FORFAIT] = {"forfait", "loonwaarde meten voor het einde van het forfait",
                    "Participatiewet art. 10d lid 5 (ten hoogste 6 maanden)"},
    [DL_BEZWAARTERMIJN] = {"bezwaartermijn", "termijn om bezwaar te maken",
                           "Awb art. 6:7 en 6:8 (6 weken); Algemene termijnenwet"},
    [DL_BEZWAAR_BESLISSING] = {"beslissing-op-bezwaar", "beslissing op het bezwaar",
                               "Awb art. 7:10"},
    [DL_HERBEOORDELING] = {"herbeoordeling", "herbeoordeling van de loonwaarde",
                           "Participatiewet art. 10d lid 6; beleid gemeente"},
};

const char *dl_kind_name(enum dl_kind k)
{
    return (unsigned)k < DL_COUNT ? dl_info[k].name : "?";
}
const char *dl_kind_text(enum dl_kind k)
{
    return (unsigned)k < DL_COUNT ? dl_info[k].text : "?";
}
const char *dl_kind_basis(enum dl_kind k)
{
    return (unsigned)k < DL_COUNT ? dl_info[k].basis : "?";
}

const struct case_deadline *case_next_deadline(const struct case_deadline *dl, int n)
{
    const struct case_deadline *best = NULL;
    for (int i = 0; i < n; i++) /* LKS_NO_DATE is the least date: as SQL's NULL first */
        if (dl[i].done == LKS_NO_DATE && (!best || dl[i].due < best->due))
            best = &dl[i];
    return best;
}

const char *dl_state(const struct case_deadline *d, lks_date today)
{
    if (d->done != LKS_NO_DATE && d->done <= today)
        return d->done <= d->due ? "op-tijd" : "te-laat";
    return today > d->due ? "verlopen" : "open";
}

static void add_dl(struct case_deadline *out, int max, int *n, enum dl_kind k, lks_date start,
                   lks_date due, lks_date done, int index)
{
    if (*n >= max || start == LKS_NO_DATE || due == LKS_NO_DATE)
        return;
    out[*n] = (struct case_deadline){k, start, due, done, index};
    (*n)++;
}

/* The first decision sent on or after `from`, or LKS_NO_DATE. */
static lks_date decided_after(const struct case_state *cs, lks_date from)
{
    for (int i = 0; i < cs->ndecisions; i++)
        if (cs->decision[i].sent >= from)
            return cs->decision[i].sent;
    return LKS_NO_DATE;
}

bool dl_kind_uses_policy(enum dl_kind k)
{
    return k == DL_INFORMATIE || k == DL_RAPPORT || k == DL_SERVICENORM;
}

int case_deadlines(const struct case_state *cs, const struct policy_timeline *tl,
                   struct case_deadline *out, int max)
{
    int n = 0;
    if (cs->applied != LKS_NO_DATE) {
        /* 8 weeks, extended by the days the term was suspended (Awb 4:15), and then
         * the Atw on the last day of the whole term. */
        struct cal_atw atw;
        cal_atw_extend(cs->applied, date_add_weeks(cs->applied, 8) + cs->info_wait_days, &atw);
        lks_date due = atw.end;
        lks_date done = cs->ndecisions ? cs->decision[0].sent : LKS_NO_DATE;
        if (cs->status == ST_INGETROKKEN)
            done = cs->closed;
        add_dl(out, max, &n, DL_BESLISTERMIJN, cs->applied, due, done, -1);
    }
    if (cs->status == ST_WACHT_OP_INFORMATIE)
        add_dl(out, max, &n, DL_INFORMATIE, cs->info_requested,
               term_end(cs->info_requested, TERM_DAYS,
                        policy_timeline_at(tl, cs->info_requested)->info_days),
               LKS_NO_DATE, -1);
    for (int i = 0; i < cs->nmeasurements; i++) {
        const struct measurement *m = &cs->measurement[i];
        lks_date done = m->reported;
        if (done == LKS_NO_DATE && cs->closed != LKS_NO_DATE)
            continue; /* the case ended before the report: nothing is due any more */
        add_dl(out, max, &n, DL_RAPPORT, m->requested,
               m->requested + policy_timeline_at(tl, m->requested)->report_days, done, i);
    }
    if (cs->decision_basis != LKS_NO_DATE) {
        lks_date done = decided_after(cs, cs->decision_basis);
        if (done == LKS_NO_DATE && cs->status == ST_INGETROKKEN)
            done = cs->closed;
        add_dl(out, max, &n, DL_SERVICENORM, cs->decision_basis,
               cal_add_workdays(cs->decision_basis,
                                policy_timeline_at(tl, cs->decision_basis)->service_workdays),
               done, -1);
        add_dl(out, max, &n, DL_WETTELIJK, cs->decision_basis,
               term_end(cs->decision_basis, TERM_WEEKS, 5), done, -1);
    }
    if (cs->forfait_from != LKS_NO_DATE && cs->placement.start != LKS_NO_DATE) {
        lks_date done = LKS_NO_DATE;
        lks_date when;
        if (last_loonwaarde(cs, &when) >= 0)
            done = when;
        else if (cs->closed != LKS_NO_DATE)
            done = cs->closed;
        add_dl(out, max, &n, DL_FORFAIT, cs->forfait_from,
               date_add_months(cs->placement.start, 6) - 1, done, -1);
    }
    for (int i = 0; i < cs->ndecisions; i++) {
        const struct decision *d = &cs->decision[i];
        /* The objection term runs out by itself: it is 'done' on its last day. */
        add_dl(out, max, &n, DL_BEZWAARTERMIJN, d->sent, d->objection_due, d->objection_due, i);
    }
    for (int i = 0; i < cs->nobjections; i++) {
        const struct objection *o = &cs->objection[i];
        add_dl(out, max, &n, DL_BEZWAAR_BESLISSING, o->received, o->due, o->decided, i);
    }
    if (cs->status == ST_LOPEND || cs->status == ST_HERBEOORDELING) {
        for (int i = cs->nmeasurements - 1; i >= 0; i--) {
            const struct measurement *m = &cs->measurement[i];
            if (m->loonwaarde < 0 || m->next == LKS_NO_DATE)
                continue;
            lks_date done =
                i + 1 < cs->nmeasurements ? cs->measurement[i + 1].requested : LKS_NO_DATE;
            add_dl(out, max, &n, DL_HERBEOORDELING, m->measured, m->next, done, i);
            break;
        }
    }
    return n;
}

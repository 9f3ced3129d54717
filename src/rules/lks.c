/* lks — see lks.h. Formula and rounding: domain.md §3; texts: step.c. */
#include "rules/lks.h"

#include <string.h>

#include "base/money.h"

#define PCT_100 10000 /* 100% in hundredths of a percent */
#define HOURS_MAX 6000 /* 60 hours a week (Arbeidstijdenwet maximum) */

static inline struct rule_step *push(struct lks_result *o, int id, int64_t value)
{
    struct rule_step *s = &o->step[o->nsteps++];
    s->id = id;
    s->has_exact = false;
    s->value = value;
    s->exact = 0;
    return s;
}

static int check_input(const struct lks_input *in, struct lks_err *err)
{
    if (!in->forfait && (in->loonwaarde < 0 || in->loonwaarde > PCT_100))
        return lks_err_set(err, LKS_EINVAL, "loonwaarde", "out-of-range",
                           "moet tussen 0 en 100 procent liggen");
    if (in->hours <= 0 || in->hours > HOURS_MAX)
        return lks_err_set(err, LKS_EINVAL, "uren", "out-of-range",
                           "moet meer dan 0 en ten hoogste 60 uur per week zijn");
    if (in->fulltime < 0 || in->fulltime > HOURS_MAX) /* 0 = not known */
        return lks_err_set(err, LKS_EINVAL, "voltijduren", "out-of-range",
                           "moet meer dan 0 en ten hoogste 60 uur per week zijn");
    if (in->age != LKS_AGE_ADULT && (in->age < RULES_YOUTH_MIN_AGE || in->age > 130))
        return lks_err_set(err, LKS_EINVAL, "leeftijd", "out-of-range",
                           in->age < RULES_YOUTH_MIN_AGE
                               ? "onder de 15 jaar geldt geen minimumloon"
                               : "is geen aannemelijke leeftijd");
    return 0;
}

/* The sector's hours matter: the row divides by them, or the hours pass its fixed divisor. */
static inline bool fulltime_needed(const struct rules_lks *p, int32_t hours)
{
    return p->divisor == 0 || hours > p->divisor;
}

bool lks_fulltime_needed(const struct rules *r, lks_date peildatum, int32_t hours)
{
    struct lks_err e;
    const struct rules_period *per = rules_period_at(r, peildatum, &e);
    return !per || fulltime_needed(&r->lks[per->lks], hours);
}

/* Why the sector's hours are needed, in the words of the row in force. */
static int fulltime_required(const struct rules_lks *p, struct lks_err *err)
{
    if (p->divisor == 0)
        return lks_err_set(err, LKS_EINVAL, "voltijduren", "required",
                           "is verplicht: voor 2024 deelt de subsidie de uren door de normale "
                           "voltijdse uren van de sector; geef die op");
    char h[MONEY_FMT_MAX];
    money_fmt_short(h, p->divisor, 2, 0);
    for (char *c = h; *c; c++)
        if (*c == '.')
            *c = ',';
    return lks_err_set(err, LKS_EINVAL, "voltijduren", "required",
                       "is verplicht bij meer dan %s uur per week: de subsidie telt uren tot de "
                       "normale voltijdse uren van de sector; geef die op",
                       h);
}

int lks_compute(const struct rules *r, const struct lks_input *in, struct lks_result *o,
                struct lks_err *err)
{
    int rc = check_input(in, err);
    if (rc)
        return rc;
    const struct rules_period *per = rules_period_at(r, in->peildatum, err);
    if (!per)
        return LKS_ERANGE;
    const struct rules_wml *w = &r->wml[per->wml];
    const struct rules_lks *p = &r->lks[per->lks];
    const struct rules_allowance *a = &r->allowance[per->allowance];
    /* A row without a flat rate (forfait 0): before 2016-07-04 there was none (10d lid 5,
     * Stb. 2016, 498). */
    if (in->forfait && p->forfait_pct == 0) {
        char d[DATE_FMT_MAX];
        return lks_err_set(err, LKS_EINVAL, "forfaitair", "not-in-force",
                           "op %s bestaat geen forfaitaire loonkostensubsidie: die bestaat vanaf "
                           "4 juli 2016 (Participatiewet art. 10d lid 5, Stb. 2016, 498); laat de "
                           "loonwaarde meten",
                           date_fmt(d, in->peildatum));
    }

    /* Not known: refused where it changes the amount, else the hours count in full. */
    int32_t fulltime = in->fulltime;
    if (fulltime == 0) {
        if (fulltime_needed(p, in->hours))
            return fulltime_required(p, err);
        fulltime = in->hours;
    }

    o->nsteps = 0;
    o->peildatum = in->peildatum;
    struct rule_step *s = push(o, STEP_LKS_WML, w->month);
    s->arg[0] = in->peildatum;
    s->arg[1] = w->full_age;
    int64_t wml = w->month;

    /* Youth minimum wage below the full-rate age (Wml art. 8, Besluit minimumjeugdloon),
     * rounded half-up from the exact product to a multiple of the row's unit: € 0,05
     * before 2024 (art. 2 lid 2: a rest of € 0,025 or more rounds up), a cent from 2024. */
    if (in->age != LKS_AGE_ADULT && in->age < w->full_age) {
        const struct rules_youth *y = &r->youth[per->youth];
        int32_t pct = y->pct[in->age];
        int32_t unit = p->youth_rounding;
        wml = money_mul_div_small(w->month, pct, (int64_t)PCT_100 * unit) * unit;
        s = push(o, unit > 1 ? STEP_LKS_YOUTH_MULTIPLE : STEP_LKS_YOUTH, wml);
        s->arg[0] = w->month;
        s->arg[1] = pct;
        s->arg[2] = in->age;
        s->arg[3] = unit;
    }
    o->wml = wml;

    /* Base: WML plus vakantiebijslag (10d lid 4). */
    /* Bounds that make money_mul_div_small safe: the WML table caps a month at
     * € 100.000 (tables.c), percentages at 100%, hours at 60 and the youth unit at € 1. */
    int64_t base, wage;
    base = money_mul_div_small(wml, PCT_100 + p->holiday_pct, PCT_100);
    s = push(o, STEP_LKS_BASE, base);
    s->arg[0] = wml;
    s->arg[1] = p->holiday_pct;
    o->base = base;

    /* Wage part at full time: the difference with the loonwaarde, at most the cap
     * (10d lid 4); or the flat rate without a measurement (10d lid 5). */
    if (in->forfait) {
        wage = money_mul_div_small(base, p->forfait_pct, PCT_100);
        s = push(o, STEP_LKS_FORFAIT, wage);
        s->arg[0] = base;
        s->arg[1] = p->forfait_pct;
        s->arg[2] = p->forfait_months;
    } else {
        int32_t gap = PCT_100 - in->loonwaarde;
        bool capped = gap > p->cap_pct;
        wage = money_mul_div_small(base, capped ? p->cap_pct : gap, PCT_100);
        s = push(o, capped ? STEP_LKS_WAGE_CAP : STEP_LKS_WAGE, wage);
        s->arg[0] = base;
        s->arg[1] = in->loonwaarde;
        s->arg[2] = gap;
        s->arg[3] = p->cap_pct;
    }
    o->fulltime_subsidy = wage;

    /* Pro rata for the hours, never above the sector's full time: from 2024 over a
     * fixed 36 hours, before over the sector's own full-time hours (10d lid 4). */
    int32_t hours = in->hours < fulltime ? in->hours : fulltime;
    int64_t subsidy;
    int32_t divisor = p->divisor ? p->divisor : fulltime;
    subsidy = money_mul_div_small(wage, hours, divisor);
    s = push(o, p->divisor ? STEP_LKS_HOURS_FIXED : STEP_LKS_HOURS_SECTOR, subsidy);
    s->arg[0] = wage;
    s->arg[1] = hours;
    s->arg[2] = divisor;
    s->arg[3] = in->hours;
    o->subsidy = subsidy;

    /* Flat-rate employer charges on top of the subsidy (10d lid 4). */
    int64_t allowance;
    allowance = money_mul_div_small(subsidy, a->pct, PCT_100);
    s = push(o, STEP_LKS_ALLOWANCE, allowance);
    s->arg[0] = subsidy;
    s->arg[1] = a->pct;
    o->allowance = allowance;

    o->total = subsidy + allowance;
    s = push(o, STEP_LKS_TOTAL, o->total);
    s->arg[0] = subsidy;
    s->arg[1] = allowance;
    return 0;
}

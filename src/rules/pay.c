/* pay — see pay.h. The rule and its reasoning: docs/rules.md "Payment for a month". */
#include "rules/pay.h"

#include <stdio.h>
#include <string.h>

#include "base/money.h"

/* Steps of one part at most: part, re-index, the LKS steps, pro rata; plus the total. */
_Static_assert(PAY_MAX_PARTS *(3 + LKS_MAX_STEPS) + 1 <= PAY_MAX_STEPS,
               "PAY_MAX_STEPS holds every part's steps");

static inline struct rule_step *push(struct pay_month *o, int id, int64_t value)
{
    struct rule_step *s = &o->step[o->nsteps++];
    memset(s, 0, sizeof *s);
    s->id = id;
    s->value = value;
    return s;
}

static inline lks_date end_of(lks_date to)
{
    return to == LKS_NO_DATE ? INT32_MAX : to;
}

static int check_grant(const struct pay_grant *g, struct lks_err *err)
{
    char f[24];
    if (g->nperiods < 0 || g->nperiods > PAY_MAX_PERIODS)
        return lks_err_set(err, LKS_EINVAL, "periode", "too-many",
                           "ten hoogste %d perioden per subsidie", PAY_MAX_PERIODS);
    if (g->nsuspended < 0 || g->nsuspended > PAY_MAX_SUSPENSIONS)
        return lks_err_set(err, LKS_EINVAL, "schorsing", "too-many",
                           "ten hoogste %d opschortingen per subsidie", PAY_MAX_SUSPENSIONS);
    if (g->job_start == LKS_NO_DATE || (g->job_end != LKS_NO_DATE && g->job_end < g->job_start))
        return lks_err_set(err, LKS_EINVAL, "dienstverband", "out-of-range",
                           g->job_start == LKS_NO_DATE
                               ? "de begindatum van het dienstverband ontbreekt"
                               : "het dienstverband eindigt voor het begint");
    for (int i = 0; i < g->nperiods; i++) {
        const struct pay_period *p = &g->period[i];
        snprintf(f, sizeof f, "periode.%d", i);
        if (p->from == LKS_NO_DATE || p->peildatum == LKS_NO_DATE ||
            (p->to != LKS_NO_DATE && p->to < p->from))
            return lks_err_set(err, LKS_EINVAL, f, "out-of-range",
                               "periode %d: begin, einde of peildatum klopt niet", i + 1);
        if (i > 0 && p->from <= end_of(g->period[i - 1].to))
            return lks_err_set(err, LKS_EINVAL, f, "overlap",
                               "periode %d begint voor periode %d eindigt: de perioden moeten "
                               "oplopen en mogen elkaar niet overlappen",
                               i + 1, i);
    }
    for (int i = 0; i < g->nsuspended; i++) {
        const struct pay_span *s = &g->suspended[i];
        snprintf(f, sizeof f, "schorsing.%d", i);
        if (s->from == LKS_NO_DATE || (s->to != LKS_NO_DATE && s->to < s->from))
            return lks_err_set(err, LKS_EINVAL, f, "out-of-range",
                               "opschorting %d: begin of einde klopt niet", i + 1);
    }
    return 0;
}

void pay_input(const struct pay_grant *g, int p, lks_date month, struct lks_input *in)
{
    const struct pay_period *d = &g->period[p];
    int y, m, dd, py, pm, pd;
    date_to_ymd(month, &y, &m, &dd);
    date_to_ymd(d->peildatum, &py, &pm, &pd);
    lks_date peil = y > py ? date_from_ymd(y, 1, 1) : d->peildatum;
    in->peildatum = peil;
    in->forfait = d->loonwaarde < 0;
    in->loonwaarde = in->forfait ? 0 : d->loonwaarde;
    in->hours = d->hours;
    in->fulltime = g->fulltime;
    in->age = g->birth == LKS_NO_DATE ? LKS_AGE_ADULT : date_age_on(g->birth, peil);
}

/* The terms of day t: the period in force (-1: no grant that day), suspended, flat rate over. */
struct key {
    int period;
    bool suspended, forfait_ended;
};

static struct key day_key(const struct pay_grant *g, lks_date t, int *k, lks_date forfait_last)
{
    struct key x = {-1, false, false};
    if (t < g->job_start || t > end_of(g->job_end))
        return x;
    while (*k < g->nperiods && end_of(g->period[*k].to) < t)
        (*k)++;
    if (*k >= g->nperiods || g->period[*k].from > t)
        return x;
    x.period = *k;
    for (int i = 0; i < g->nsuspended; i++)
        if (g->suspended[i].from <= t && t <= end_of(g->suspended[i].to))
            x.suspended = true;
    x.forfait_ended = g->period[*k].loonwaarde < 0 && t > forfait_last;
    return x;
}

int pay_month(const struct rules *r, const struct pay_grant *g, lks_date month, struct pay_month *o,
              struct lks_err *err)
{
    o->nparts = 0;
    o->nsteps = 0;
    o->amount = 0;
    o->month = month;
    o->days_in_month = 0;
    int y, m, d;
    if (month == LKS_NO_DATE)
        return lks_err_set(err, LKS_EINVAL, "maand", "required", "geef de maand");
    date_to_ymd(month, &y, &m, &d);
    if (d != 1 || y < 1900 || y > 2199)
        return lks_err_set(err, LKS_EINVAL, "maand", "out-of-range",
                           "de maand begint op de eerste dag, tussen 1900 en 2199");
    int rc = check_grant(g, err);
    if (rc)
        return rc;
    int dim = date_days_in_month(y, m);
    o->days_in_month = dim;
    lks_date last = month + dim - 1;
    lks_date forfait_last = date_add_months(g->job_start, PAY_FORFAIT_MONTHS) - 1;

    /* Cut the month into runs of days with the same terms. */
    struct key cur = {-1, false, false};
    int k = 0;
    for (lks_date t = month; t <= last; t++) {
        struct key x = day_key(g, t, &k, forfait_last);
        if (x.period < 0) {
            cur.period = -1;
            continue;
        }
        if (cur.period == x.period && cur.suspended == x.suspended &&
            cur.forfait_ended == x.forfait_ended) {
            struct pay_part *p = &o->part[o->nparts - 1];
            p->to = t;
            p->days++;
            continue;
        }
        if (o->nparts >= PAY_MAX_PARTS)
            return lks_err_set(err, LKS_EINVAL, "periode", "too-many-parts",
                               "ten hoogste %d delen in een maand", PAY_MAX_PARTS);
        struct pay_part *p = &o->part[o->nparts++];
        *p = (struct pay_part){t, t, 1, x.suspended, x.forfait_ended, x.period, LKS_NO_DATE, 0, 0};
        cur = x;
    }

    /* Each part: the full month's LKS on its terms, then its calendar days. */
    for (int i = 0; i < o->nparts; i++) {
        struct pay_part *p = &o->part[i];
        const struct pay_period *per = &g->period[p->period];
        struct rule_step *s = push(o, STEP_PAY_PART, p->days);
        s->arg[0] = p->from;
        s->arg[1] = p->to;
        s->arg[2] = per->decision;
        s->arg[3] = dim;
        if (p->suspended) {
            s = push(o, STEP_PAY_SUSPENDED, 0);
            s->arg[0] = p->from;
            s->arg[1] = p->to;
            continue;
        }
        if (p->forfait_ended) {
            s = push(o, STEP_PAY_FORFAIT_END, 0);
            s->arg[0] = forfait_last;
            s->arg[1] = g->job_start;
            s->arg[2] = PAY_FORFAIT_MONTHS;
            continue;
        }
        struct lks_input in;
        pay_input(g, p->period, month, &in);
        if (in.peildatum != per->peildatum) {
            s = push(o, STEP_PAY_REINDEX, in.peildatum);
            s->arg[0] = per->peildatum;
        }
        struct lks_result lr;
        if ((rc = lks_compute(r, &in, &lr, err)))
            return rc;
        memcpy(&o->step[o->nsteps], lr.step, (size_t)lr.nsteps * sizeof lr.step[0]);
        o->nsteps += lr.nsteps;
        p->peildatum = in.peildatum;
        p->full = lr.total;
        /* bounds: a month's total is below 2^31 cents (tables cap the WML), days <= 31 */
        p->amount = p->days == dim ? p->full : money_mul_div_small(p->full, p->days, dim);
        s = push(o, STEP_PAY_PRORATA, p->amount);
        s->arg[0] = p->full;
        s->arg[1] = p->days;
        s->arg[2] = dim;
        o->amount += p->amount;
    }
    if (o->nparts == 0)
        return 0; /* no grant day in the month: no line, no steps */
    struct rule_step *s = push(o, STEP_PAY_TOTAL, o->amount);
    s->arg[0] = o->nparts;
    s->arg[1] = month;
    return 0;
}

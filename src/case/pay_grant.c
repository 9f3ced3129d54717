/* pay_grant — see pay_grant.h. */
#include "case/pay_grant.h"

#include <string.h>

int case_pay_grant(const struct case_state *cs, struct pay_grant *g, struct lks_err *err)
{
    memset(g, 0, sizeof *g);
    const struct placement *pl = &cs->placement;
    g->job_start = pl->start;
    g->job_end = pl->ended != LKS_NO_DATE ? pl->ended : pl->end;
    g->fulltime = cs->employer.fulltime_hours;
    g->birth = cs->person.birth;
    g->nsuspended = 0; /* the case records no suspension (Awb 4:56) yet */
    for (int i = 0; i < cs->ndecisions; i++) {
        const struct decision *d = &cs->decision[i];
        if (d->kind == DEC_REFUSAL || d->from == LKS_NO_DATE)
            continue;
        /* a later decision replaces what it overlaps: earlier periods end the day before */
        while (g->nperiods > 0 && g->period[g->nperiods - 1].from >= d->from)
            g->nperiods--;
        if (g->nperiods > 0) {
            struct pay_period *prev = &g->period[g->nperiods - 1];
            if (prev->to == LKS_NO_DATE || prev->to >= d->from)
                prev->to = d->from - 1;
        }
        if (g->nperiods >= PAY_MAX_PERIODS)
            return lks_err_set(err, LKS_EINVAL, "periode", "too-many",
                               "ten hoogste %d beschikkingen per subsidie", PAY_MAX_PERIODS);
        g->period[g->nperiods++] = (struct pay_period){
            .from = d->from,
            .to = d->to,
            .peildatum = d->peildatum,
            .loonwaarde = d->loonwaarde,
            .hours = pl->hours, /* decisions carry no hours yet: the placement's */
            .decision = i,
        };
    }
    return 0;
}

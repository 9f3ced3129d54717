/* term — see term.h. */
#include "rules/term.h"

#include <string.h>

#include "base/cal.h"

/* Atw art. 4: the act does not apply to terms longer than 12 weeks or 90 days. */
#define ATW_MAX_WEEKS 12
#define ATW_MAX_DAYS 90

static struct rule_step *push(struct term_result *o, int id, int64_t value)
{
    struct rule_step *s = &o->step[o->nsteps++];
    memset(s, 0, sizeof *s);
    s->id = id;
    s->value = value;
    return s;
}

int term_compute(lks_date from, enum term_kind kind, int n, struct term_result *o,
                 struct lks_err *err)
{
    if (n < 1 || n > TERM_MAX_N)
        return lks_err_set(err, LKS_EINVAL, "aantal", "out-of-range",
                           "moet tussen 1 en %d liggen", TERM_MAX_N);
    o->nsteps = 0;
    o->from = from;
    struct rule_step *s = push(o, STEP_TERM_START, from);
    s->arg[0] = kind;

    if (kind == TERM_WORKDAYS) {
        o->end = cal_add_workdays(from, n);
        s = push(o, STEP_TERM_WORKDAYS, o->end);
        s->arg[0] = n;
        s->arg[1] = from;
        /* how many calendar days were skipped as rest days */
        s->arg[2] = (o->end - from) - n;
    } else {
        lks_date plain = kind == TERM_WEEKS ? date_add_weeks(from, n) : date_add_days(from, n);
        s = push(o, kind == TERM_WEEKS ? STEP_TERM_WEEKS : STEP_TERM_DAYS, plain);
        s->arg[0] = n;
        s->arg[1] = from;
        int too_long = kind == TERM_WEEKS ? n > ATW_MAX_WEEKS : n > ATW_MAX_DAYS;
        if (too_long) {
            s = push(o, STEP_TERM_ART4, plain);
            s->arg[0] = kind;
            o->end = plain;
        } else {
            struct cal_atw atw;
            cal_atw_extend(from, plain, &atw);
            if (atw.art1 || atw.art2) {
                /* art. 1 alone moves the end to the next working day */
                lks_date after1 = plain;
                while (cal_is_rest_day(after1))
                    after1++;
                if (after1 != plain) {
                    s = push(o, STEP_TERM_ART1, after1);
                    s->arg[0] = plain;
                }
                if (atw.end != after1) {
                    s = push(o, STEP_TERM_ART2, atw.end);
                    s->arg[0] = after1;
                }
            }
            o->end = atw.end;
        }
    }
    push(o, STEP_TERM_END, o->end);
    return 0;
}

/*
 * pay — what is owed for one calendar month of a grant (issue 12).
 *
 * Pure: pay_month reads only the rule tables and the grant, writes only the result,
 * allocates nothing. The month is cut into parts with the same terms (a decision, the
 * contract, a suspension, the end of the flat rate); each part gets the full month's
 * LKS on its terms from lks_compute (the one rules engine) and then its share by
 * calendar days, rounded half-up once per part: round(full × days / days_in_month); a
 * whole month is `full` exactly (docs/rules.md, "Payment for a month"). Every part's
 * LKS steps and the pay steps around them are in the result, so each line can be
 * recomputed to the cent. Fails with LKS_EINVAL naming the field ("maand",
 * "periode.N", "schorsing.N", "dienstverband", or the lks field) or LKS_ERANGE when
 * the rule tables do not cover a peildatum (field "peildatum").
 */
#ifndef LKS_RULES_PAY_H
#define LKS_RULES_PAY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "rules/lks.h"
#include "rules/step.h"
#include "rules/tables.h"

#define PAY_MAX_PERIODS     24
#define PAY_MAX_SUSPENSIONS 8
#define PAY_MAX_PARTS       12
#define PAY_MAX_STEPS       160
#define PAY_FORFAIT_MONTHS  6 /* the flat rate: at most the first six months (10d lid 5) */

struct pay_period {     /* one grant or revision decision's terms */
    lks_date from, to;  /* in force from..to inclusive; to = LKS_NO_DATE: open */
    lks_date peildatum; /* the decision's peildatum (WML date), re-indexed each 1 Jan */
    int32_t loonwaarde; /* hundredths of %; -1 = flat rate (forfait, 10d lid 5) */
    int32_t hours;      /* agreed hours per week, hundredths */
    int decision;       /* the decision's index in the case (for the remittance text) */
};

struct pay_span {
    lks_date from, to;
};

struct pay_grant {
    int nperiods;
    struct pay_period period[PAY_MAX_PERIODS]; /* ascending, not overlapping */
    lks_date job_start, job_end; /* the contract; job_end = ended or planned end, or NO_DATE */
    int32_t fulltime;            /* the sector's full-time hours, hundredths; 0 unknown */
    lks_date birth;              /* for the youth WML; LKS_NO_DATE = adult */
    int nsuspended;
    struct pay_span suspended[PAY_MAX_SUSPENSIONS]; /* Awb 4:56 */
};

struct pay_part { /* a run of days in the month with the same terms */
    lks_date from, to;
    int days;
    bool suspended;     /* no amount: payment suspended */
    bool forfait_ended; /* no amount: a flat-rate period past its six months (10d lid 5) */
    int period;         /* index into grant.period, -1 when none */
    lks_date peildatum; /* the peildatum used (re-indexed); LKS_NO_DATE without amount */
    int64_t full;       /* the full month's amount on these terms (lks_result.total) */
    int64_t amount;     /* round_half_up(full * days / days_in_month) or full when whole */
};

struct pay_month {
    lks_date month; /* first day of the month */
    int days_in_month;
    int nparts;
    struct pay_part part[PAY_MAX_PARTS];
    int64_t amount; /* sum of the parts' amounts */
    int nsteps;
    struct rule_step step[PAY_MAX_STEPS]; /* every step with its article */
};

/*
 * The LKS input of grant period p for a month starting on `month`: the decision's
 * peildatum, re-indexed to 1 January of the month's year when the month is in a later
 * year (10d lid 7; a 1 July change is not passed on mid-year), the age on that
 * peildatum, the period's hours, the sector's full time, the flat rate. The one place
 * that turns a decision into the terms of a month (case_month_amount uses it too).
 */
void pay_input(const struct pay_grant *g, int p, lks_date month, struct lks_input *in);

/* LKS_EINVAL naming a field for bad input; LKS_ERANGE when the rule tables do not cover a
 * peildatum. A month with no grant day gives amount 0 and nparts 0 (not an error). */
int pay_month(const struct rules *r, const struct pay_grant *g, lks_date month,
              struct pay_month *out, struct lks_err *err);

#endif

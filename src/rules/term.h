/*
 * term — statutory terms and working-day norms, with their steps.
 *
 * Three kinds (domain.md §8):
 *  - working days: the n-th working day after `from` (weekends and Atw
 *    holidays skipped), for service norms such as seed 000's 10 werkdagen;
 *  - days and weeks: a statutory term counted from the day after `from`
 *    (Awb 6:8), its last day extended by Algemene termijnenwet art. 1 and 2,
 *    unless art. 4 excludes it (longer than 12 weeks or 90 days).
 * Pure; uses base/cal for the calendar.
 */
#ifndef LKS_RULES_TERM_H
#define LKS_RULES_TERM_H

#include "base/date.h"
#include "base/err.h"
#include "rules/step.h"

enum term_kind { TERM_WORKDAYS, TERM_DAYS, TERM_WEEKS };

#define TERM_MAX_STEPS 6
#define TERM_MAX_N 1000

struct term_result {
    lks_date from;
    lks_date end;
    int nsteps;
    struct rule_step step[TERM_MAX_STEPS];
};

/* n in 1..TERM_MAX_N; LKS_EINVAL naming field "aantal" otherwise. */
int term_compute(lks_date from, enum term_kind kind, int n, struct term_result *out,
                 struct lks_err *err);

#endif

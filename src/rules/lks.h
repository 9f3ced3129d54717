/*
 * lks — the monthly loonkostensubsidie amount (Participatiewet art. 10d).
 *
 * Pure: lks_compute reads only the rule tables and the input, writes only the
 * result, allocates nothing. Every figure is rounded half-up to whole cents
 * after its step and each step uses the rounded figure before it
 * (domain.md §3), so the steps in the result reproduce every amount.
 */
#ifndef LKS_RULES_LKS_H
#define LKS_RULES_LKS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "rules/step.h"
#include "rules/tables.h"

#define LKS_AGE_ADULT (-1)
#define LKS_MAX_STEPS 8

struct lks_input {
    lks_date peildatum;  /* the WML of this date applies (start or 1 January, 10d lid 7) */
    int32_t loonwaarde;  /* hundredths of %: 0..10000 (ignored with forfait) */
    int32_t hours;       /* agreed hours per week, hundredths: 3200 = 32 h */
    int32_t fulltime;    /* the sector's normal full-time hours, hundredths; 0 = not known */
    int32_t age;         /* age on the peildatum, or LKS_AGE_ADULT */
    bool forfait;        /* flat rate without a measurement (10d lid 5) */
};

struct lks_result {
    lks_date peildatum;
    int64_t wml;         /* monthly WML that applies (youth rate when young), cents */
    int64_t base;        /* WML + vakantiebijslag */
    int64_t fulltime_subsidy; /* wage part at full time, capped */
    int64_t subsidy;     /* loonkostensubsidie for the hours */
    int64_t allowance;   /* werkgeverslasten */
    int64_t total;
    int nsteps;
    struct rule_step step[LKS_MAX_STEPS];
};

/*
 * Whether the sector's normal full-time hours change the amount on `peildatum` for
 * `hours` agreed hours a week (hundredths): when the lks.tsv row in force divides by
 * the sector's hours (deler 'sector', before 2024), or when `hours` exceed its fixed
 * divisor (36 from 2024), because hours count only up to the sector's full time.
 * True outside the rule tables (lks_compute refuses that peildatum anyway).
 * Where this is false, the amount is the same for every full time of at least `hours`.
 */
bool lks_fulltime_needed(const struct rules *r, lks_date peildatum, int32_t hours);

/*
 * Compute the monthly amount. Returns 0, or LKS_EINVAL (a field out of range;
 * err->field names it: "loonwaarde", "uren", "voltijduren", "leeftijd"; or
 * "forfaitair" when the flat rate is asked on a peildatum whose lks.tsv row has
 * none, i.e. before 2016-07-04; or "voltijduren" with reason "required" when
 * fulltime is 0 and lks_fulltime_needed) or LKS_ERANGE (peildatum outside the
 * rule tables; field "peildatum"). With fulltime 0 where it is not needed the
 * hours count in full (as if fulltime = hours).
 */
int lks_compute(const struct rules *r, const struct lks_input *in, struct lks_result *out,
                struct lks_err *err);

#endif

/*
 * ld — loondispensatie: the supplementary benefit of the pilot 2010–2012
 * (Uitvoeringsbesluit Tijdelijke wet pilot loondispensatie art. 6) and the
 * inverdieneffect estimate of seed 003 §9.3.
 *
 * Rounding follows seed 003 annex 1, which every printed cell reproduces:
 * aanvulling, totaal inkomen and norm are rounded half-up from exact values;
 * besparing = rounded norm − rounded aanvulling. Exact intermediate values are
 * kept in 1e-7 cent (STEP_EXACT_SCALE) and shown in the steps, so the rounded
 * figures can be recomputed from them. Pure, no allocation.
 */
#ifndef LKS_RULES_LD_H
#define LKS_RULES_LD_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "rules/step.h"

enum ld_household { LD_SINGLE, LD_SINGLE_PARENT, LD_COUPLE };

#define LD_MAX_STEPS 10
#define IE_MAX_STEPS 8

struct ld_input {
    enum ld_household household;
    int32_t loonwaarde;   /* hundredths of %, 0..10000 */
    int64_t norm_couple;  /* A: WWB norm for couples, cents per month (> 0) */
    int64_t other_income; /* C: cents, >= 0 */
    bool has_net_income;  /* B given; otherwise B = loonwaarde × A */
    int64_t net_income;   /* B: cents, >= 0, when has_net_income */
};

struct ld_result {
    int64_t supplement;   /* aanvulling, cents, >= 0 */
    int64_t income;       /* totaal inkomen = B + C + aanvulling */
    int64_t norm;         /* 60% / 85% / 100% of A */
    int64_t saving;       /* besparing = norm − aanvulling */
    int nsteps;
    struct rule_step step[LD_MAX_STEPS];
};

/* Household name as used on the CLI and in the API: "alleenstaand", "alleenstaande-ouder",
 * "gehuwd". ld_household_parse returns -1 for an unknown name. */
const char *ld_household_name(enum ld_household h);
int ld_household_parse(const char *s);

int ld_compute(const struct ld_input *in, struct ld_result *out, struct lks_err *err);

struct ie_input {
    int32_t placements;   /* number of placements, >= 0 */
    int32_t months;       /* average duration in months, >= 0 */
    int32_t fte;          /* ten-thousandths: 0.7 FTE = 7000; 0 < fte <= 10000 */
    int32_t loonwaarde;   /* hundredths of % */
    int64_t norm_couple;  /* A, cents */
};

struct ie_result {
    int64_t per_fte_month; /* average besparing over the three household types, cents */
    int64_t total;         /* cents */
    int nsteps;
    struct rule_step step[IE_MAX_STEPS];
};

/*
 * The estimate: placements × months × FTE × the average besparing of the three
 * household types at this loonwaarde (all household types equally frequent,
 * no other income; seed 003 §9.3). The total uses the exact average
 * (sum / 3), so it reproduces the seed's € 163.178,40 for 75 × 6 × 0.7 at 50%.
 */
int ie_compute(const struct ie_input *in, struct ie_result *out, struct lks_err *err);

#endif

/*
 * step — the explanation that every rule result carries.
 *
 * A rule records each step as a compact struct: which step (an id), the figure
 * it produced and the figures it was computed from. The rule itself writes no
 * text, so the hot path stays allocation-free; step_text() renders the Dutch
 * description, the unit and the legal basis in one place for the CLI, the API,
 * the pages and the letters alike.
 *
 * `value` holds cents for amounts, a day number for dates, a plain count
 * otherwise (see step_unit). Some amounts are exact fractions of a cent
 * (loondispensatie, domain.md §4): then `exact` holds the value in units of
 * 1e-7 cent (STEP_EXACT_SCALE per cent) and `has_exact` is set.
 */
#ifndef LKS_RULES_STEP_H
#define LKS_RULES_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STEP_EXACT_SCALE 10000000LL /* units of `exact` per cent */
#define STEP_TEXT_MAX 320

enum step_id {
    /* loonkostensubsidie, domain.md §3 */
    STEP_LKS_WML = 1,
    STEP_LKS_YOUTH,          /* rounded to the cent */
    STEP_LKS_YOUTH_MULTIPLE, /* rounded to a multiple of arg[3] cents (€ 0,05 before 2024) */
    STEP_LKS_BASE,
    STEP_LKS_WAGE,
    STEP_LKS_WAGE_CAP,
    STEP_LKS_FORFAIT,
    STEP_LKS_HOURS_FIXED,
    STEP_LKS_HOURS_SECTOR,
    STEP_LKS_ALLOWANCE,
    STEP_LKS_TOTAL,
    /* loondispensatie, domain.md §4 */
    STEP_LD_NORM_COUPLE,
    STEP_LD_NET_FROM_LW,
    STEP_LD_NET_GIVEN,
    STEP_LD_GAP,
    STEP_LD_OTHER_INCOME,
    STEP_LD_SUPPLEMENT,
    STEP_LD_INCOME,
    STEP_LD_NORM,
    STEP_LD_SAVING,
    /* inverdieneffect, seed 003 §9.3 */
    STEP_IE_SAVING_SINGLE,
    STEP_IE_SAVING_PARENT,
    STEP_IE_SAVING_COUPLE,
    STEP_IE_SUM,
    STEP_IE_AVERAGE,
    STEP_IE_TOTAL,
    /* statutory terms and working days, domain.md §8 */
    STEP_TERM_START,
    STEP_TERM_WORKDAYS,
    STEP_TERM_DAYS,
    STEP_TERM_WEEKS,
    STEP_TERM_ART1,
    STEP_TERM_ART2,
    STEP_TERM_ART4,
    STEP_TERM_END,
    /* the amount for a month, docs/rules.md "Payment for a month" (rules/pay.c) */
    STEP_PAY_PART,        /* value: days; arg: from, to, decision index, days in month */
    STEP_PAY_REINDEX,     /* value: peildatum used; arg0: the decision's peildatum */
    STEP_PAY_PRORATA,     /* value: amount; arg: full month, days, days in month */
    STEP_PAY_SUSPENDED,   /* value 0; arg: from, to */
    STEP_PAY_FORFAIT_END, /* value 0; arg: last flat-rate day, job start, months */
    STEP_PAY_TOTAL,       /* value: the month's amount; arg: parts, month */
    STEP_ID_COUNT
};

enum step_unit { STEP_UNIT_AMOUNT, STEP_UNIT_DATE, STEP_UNIT_COUNT };

struct rule_step {
    int32_t id;      /* enum step_id */
    bool has_exact;
    int64_t value;   /* the figure of this step (cents, day number or count) */
    int64_t exact;   /* exact value in 1e-7 cent when has_exact */
    int64_t arg[4];  /* figures the text refers to; meaning per id */
};

/* What a step's value is. */
enum step_unit step_unit(const struct rule_step *s);

/* The legal basis of a step, e.g. "Participatiewet art. 10d lid 4". */
const char *step_basis(const struct rule_step *s);

/* The Dutch description of a step, with its figures, into buf. Returns buf. */
char *step_text(const struct rule_step *s, char *buf, size_t n);

/* Exact value as a decimal euro string without trailing zeros ("971.3025"). */
char *step_exact_fmt(const struct rule_step *s, char *buf, size_t n);

#endif

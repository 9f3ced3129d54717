/*
 * policy — a municipality's own settings, effective-dated per tenant.
 *
 * Seed 004 (art. 33/34 of its verordening, §4.6) and seed 000 set defaults;
 * each municipality may change them from a date on. The store keeps rows
 * (tenant, from, key, value); policy_set applies one row to a struct. Keys and
 * their bounds are one table here, used by the store, the CLI and the API.
 */
#ifndef LKS_CASE_POLICY_H
#define LKS_CASE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"

struct policy {
    int32_t lower_bound;        /* ondergrens loonwaarde, hundredths % (3000) */
    int32_t upper_bound;        /* bovengrens: LKS only below it (10000) */
    int32_t remeasure_months;   /* herbeoordeling na (12) */
    int32_t report_days;        /* rapport loonwaardemeting binnen (10 dagen, seed 000) */
    int32_t service_workdays;   /* beschikken binnen (10 werkdagen, seed 000) */
    int32_t info_days;          /* termijn aanvrager om informatie aan te vullen (14) */
    int32_t jobcoach_hours;     /* per jaar, hundredths (5200) */
    int32_t jobcoach_years;     /* (3) */
    int32_t trial_months;       /* proefplaatsing (2) */
    int32_t trial_extra_months; /* verlenging met motivatie (1) */
    int32_t norisk_months;      /* no-risk polis eerste maanden (24) */
    int32_t objection_committee;/* adviescommissie bezwaarschriften: 1 = 12 weken (0) */
    int32_t quota;              /* quotumheffing aan (0, open in 2026) */
    int64_t quota_levy;         /* per onvervulde plek, cents (500000) */
};

void policy_default(struct policy *p);

struct policy_key {
    const char *key;            /* "ondergrens", … */
    const char *text;           /* Dutch description */
    int64_t lo, hi;
    int decimals;               /* how the value is written: 2 = "30" means 30.00 */
};
extern const struct policy_key policy_keys[];
extern const int policy_nkeys;

/*
 * A municipality's policy over time: entry 0 holds from the beginning of time (the
 * defaults, with any rows dated at the very start), each later entry from its date
 * until the next. Built from the stored rows in date order; one lookup per date.
 * Deadlines use the policy in force on the day they start (process.h), so the whole
 * history is what a case's deadlines need, not just today's policy.
 */
#define POLICY_TIMELINE_MAX 64

struct policy_timeline {
    int n;
    lks_date from[POLICY_TIMELINE_MAX];
    struct policy p[POLICY_TIMELINE_MAX];
};

void policy_timeline_init(struct policy_timeline *t);
/* One stored row (rows in from-date order): the key and value are checked against
 * policy_keys (LKS_EINVAL naming the key); LKS_ERANGE when the history has more
 * dates than POLICY_TIMELINE_MAX. `tenant` only names the municipality in messages. */
int policy_timeline_add(struct policy_timeline *t, const char *tenant, lks_date from,
                        const char *key, int64_t value, struct lks_err *err);
/* The policy in force on `on`. */
const struct policy *policy_timeline_at(const struct policy_timeline *t, lks_date on);

/* A key and value as a row may hold them: LKS_EINVAL naming the key otherwise. */
int policy_check_row(const char *key, int64_t value, struct lks_err *err);

/* Set one key from its text value ("30", "12"); LKS_EINVAL naming the key. */
int policy_set(struct policy *p, const char *key, const char *value, struct lks_err *err);
/* The value of a key as stored (scaled integer); -1 for an unknown key. */
int policy_index(const char *key);
int64_t policy_get(const struct policy *p, int index);
void policy_put(struct policy *p, int index, int64_t value);

#endif

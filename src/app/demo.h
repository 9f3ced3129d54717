/*
 * demo — a realistic synthetic data set, made through the real commands.
 *
 * Municipalities with their own policy, employers, people and cases that go
 * through the whole process with the variation the seeds describe: late and
 * on-time steps, incomplete applications, negative access tests, flat rates,
 * loonwaarden below the lower bound, provisions, re-measurements, objections,
 * payments and ended contracts. Every case is made by app_event, one
 * transaction per case, so a killed run leaves only whole cases behind.
 * Deterministic for a given seed.
 */
#ifndef LKS_APP_DEMO_H
#define LKS_APP_DEMO_H

#include <stdint.h>

#include "app/app.h"

struct demo_opts {
    int gemeenten;      /* 1..8 */
    int zaken;          /* total number of cases */
    uint64_t seed;
    lks_date until;     /* no step after this date (the rule tables' end) */
};

struct demo_stats {
    int cases, events, refused;
};

int demo_run(struct app *a, const struct demo_opts *o, struct demo_stats *st,
             struct lks_err *err);

#endif

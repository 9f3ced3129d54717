/*
 * demo — a realistic synthetic data set, made through the real commands.
 *
 * Municipalities with their own policy and staff (users "<role>.<town>", e.g.
 * klantmanager.helmond, with three klantmanagers sharing the cases; users only when a
 * password is given), employers, people
 * and cases that go through the whole process with the variation the seeds describe:
 * late and on-time steps, incomplete applications, negative access tests, flat rates,
 * loonwaarden below the lower bound, provisions, re-measurements, objections, payments,
 * ended contracts and cases handed to a colleague. The data looks like `until` is today:
 * applications of the last four years, more of them recent, so the newest are in every
 * step; running grants paid up to last month; re-measurements done when due, a few that
 * fell due in the last weeks still open, and those of the coming months waiting.
 * Every case is made by app_event, whole cases per transaction, so a killed run leaves
 * only whole cases behind. Deterministic for a given seed and `until`.
 */
#ifndef LKS_APP_DEMO_H
#define LKS_APP_DEMO_H

#include <stdint.h>

#include "app/app.h"

struct demo_opts {
    int gemeenten;      /* 1..8 */
    int zaken;          /* total number of cases */
    uint64_t seed;
    lks_date until;     /* the demo's today: no step after it (nor after the rule tables' end) */
    const char *password; /* of every demo user (at least 12 characters), or NULL: the staff
                           * act by name but are no users, and no case is handed over */
    bool carry_rules;     /* carry the minimum wage forward up to half a year after `until`
                           * in rule rows that say so (demo_run), so the demo looks like today */
};

struct demo_stats {
    int cases, events, refused;
    int users; /* made now (existing names are left as they are) */
};

int demo_run(struct app *a, const struct demo_opts *o, struct demo_stats *st,
             struct lks_err *err);

#endif

/*
 * app_payrun — the monthly payment run of a municipality (issue 12), on the one app layer.
 *
 * A financieel user prepares a run for a month (app_payrun_make): for every case with a
 * grant, every month from the grant's first up to the run's month that is not yet paid
 * or in another live run gets a line with the amount of pay_month (src/rules/pay.h) and
 * its steps, paid to the employer's confirmed IBAN (the four-eyes IBAN of case/employer.h).
 * What cannot be paid (no confirmed IBAN, the rules do not cover the month, a missing
 * figure) is an exception of the run, listed with its reason, never a guess. A different
 * financieel user approves it (app_payrun_approve); only an approved run has a bank file
 * (app_payrun_sepa: pain.001.001.09, at most SEPA_MAX_TX transactions a part) and a
 * payment list (app_payrun_csv). A concept run can be cancelled: its months are free for
 * the next run. That a month is paid once per case is the store's unique index over live
 * lines, so it holds with two servers on one PostgreSQL store at once.
 *
 * Errors are values: LKS_EFORBIDDEN (role, four eyes), LKS_ENOTFOUND (another
 * municipality's run), LKS_ESTATE (the run is not in the state the step needs),
 * LKS_EINVAL naming the field. A failed step writes nothing.
 */
#ifndef LKS_APP_APP_PAYRUN_H
#define LKS_APP_APP_PAYRUN_H

#include <stdio.h>

#include "app/app.h"
#include "base/buf.h"
#include "pay/sepa.h"
#include "rules/pay.h"
#include "store/store_pay.h"

#define APP_PAYRUN_MAX_EX 200 /* exceptions kept with their reason; more are counted */

struct app_payrun_ex {
    int64_t case_id;
    lks_date month;
    char field[48];
    char msg[200];
};

struct app_payrun_result {
    struct payrun run;
    int64_t taken; /* case-months skipped: already paid or in another live run */
    int64_t nex;   /* exceptions in all */
    int nkept;     /* of which kept below */
    struct app_payrun_ex ex[APP_PAYRUN_MAX_EX];
};

/* The debtor of a municipality's transfers (its bank account), beheer settings. */
int app_pay_debtor(struct app *a, const char *tenant, struct sepa_party *out, struct lks_err *err);

/* Set the municipality's account: a beheerder of it (who NULL: the operator, in->tenant).
 * LKS_EINVAL naming "naam", "iban", "bic", "plaats" or "land". */
int app_pay_settings_set(struct app *a, const struct app_actor *who, const struct pay_settings *in,
                         struct lks_err *err);

/* Prepare the run of `month` (any day in it; execution LKS_NO_DATE: the next working
 * day after today). Only a financieel of the municipality. */
int app_payrun_make(struct app *a, const struct app_actor *who, lks_date month, lks_date execution,
                    struct app_payrun_result *out, struct lks_err *err);
/* Approve a concept run: a financieel who did not prepare it (four eyes). */
int app_payrun_approve(struct app *a, const struct app_actor *who, int64_t id, struct payrun *out,
                       struct lks_err *err);
/* Cancel a concept run: its lines are cancelled, their months free again. */
int app_payrun_cancel(struct app *a, const struct app_actor *who, int64_t id, struct payrun *out,
                      struct lks_err *err);
/* A run and its lines (financieel and auditor of the municipality). */
int app_payrun_get(struct app *a, const struct app_actor *who, int64_t id, struct payrun *out,
                   struct lks_err *err);
int app_payrun_list(struct app *a, const struct app_actor *who,
                    int (*cb)(void *arg, const struct payrun *r), void *arg, struct lks_err *err);
int app_payrun_lines(struct app *a, const struct app_actor *who, int64_t id,
                     int (*cb)(void *arg, const struct payline *l), void *arg, struct lks_err *err);
/* The number of bank-file parts of an approved run (SEPA_MAX_TX lines each). */
int app_payrun_parts(struct app *a, const struct app_actor *who, int64_t id, int *out,
                     struct lks_err *err);
/* Part `part` (from 1) of an approved run's pain.001 file into out. */
int app_payrun_sepa(struct app *a, const struct app_actor *who, int64_t id, int part,
                    struct buf *out, struct lks_err *err);
/* The payment list of a run as CSV (every line, also of a concept run). */
int app_payrun_csv(struct app *a, const struct app_actor *who, int64_t id, FILE *out,
                   struct lks_err *err);

/* The bank's answer (camt.053 statement or pain.002 status report, told apart by its
 * namespace): lines marked paid or returned. Counts into paid/returned/unknown. */
int app_payrun_bank(struct app *a, const struct app_actor *who, const char *xml, size_t n,
                    int64_t *paid, int64_t *returned, int64_t *unknown, struct lks_err *err);

/* The payment lines of one case, for the case page and the employer portal (scope as
 * app_view: an employer only its own company's case). */
int app_case_paylines(struct app *a, const struct app_actor *who, int64_t case_id,
                      int (*cb)(void *arg, const struct payline *l), void *arg,
                      struct lks_err *err);

/* The actor of a named user of a municipality, for the console (`lks betaalrun
 * --gebruiker NAAM`): LKS_ENOTFOUND when the municipality (NULL: any, the user's own)
 * has no such active user. */
int app_actor_of_user(struct app *a, const char *tenant, const char *name, struct auth_user *u,
                      struct app_actor *out, struct lks_err *err);

#endif

/*
 * store_pay — the payment records (issue 12; migration 13): payment runs, their lines,
 * settlements (vaststelling) and recoveries (terugvordering), on both engines, written
 * once on the statement layer (pay.c).
 *
 * What it owns: the tables pay_runs, pay_lines, pay_settlements, pay_recoveries. Every
 * row has its tenant and every call takes one: another tenant's run or line is
 * LKS_ENOTFOUND, as one that does not exist. A month of a case is paid at most once: the
 * database refuses a second live line (pending or paid) for the same tenant, case and
 * month, also from a second server on the same PostgreSQL store. A line never changes but
 * for its status and status date; a paid line is never deleted and can only be returned
 * (triggers; an attempt is LKS_ESTATE).
 *
 * How it fails: errors as values (store.h): LKS_ESTATE for a state that does not allow
 * the change (a compare-and-set that lost, a refused write), LKS_ENOTFOUND, LKS_EIO for
 * the database; the caller's transaction is the caller's to roll back. Writes belong in a
 * write transaction (store_begin); store_payrun_status opens its own when none is open.
 */
#ifndef LKS_STORE_STORE_PAY_H
#define LKS_STORE_STORE_PAY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "case/model.h"
#include "store/store.h"

enum payrun_status { PAYRUN_CONCEPT, PAYRUN_APPROVED, PAYRUN_CANCELLED };
enum payline_status { PAYLINE_PENDING, PAYLINE_PAID, PAYLINE_RETURNED, PAYLINE_CANCELLED };

struct payrun {
    int64_t id;
    char tenant[CASE_ID];
    lks_date month;
    enum payrun_status status;
    char prepared_by[CASE_USER];
    int64_t prepared_at; /* epoch seconds */
    char approved_by[CASE_USER];
    int64_t approved_at;
    lks_date execution;    /* requested execution date of the transfer */
    int64_t nlines, total; /* filled by store_payrun_get/list: the live lines */
};

/* PAY_MAX_STEPS packed steps of at most ~55 bytes each (rules/pay.h) */
#define PAY_STEPS_PACKED 9216

struct payline {
    int64_t run_id, case_id;
    lks_date month;
    int64_t amount;
    enum payline_status status;
    lks_date status_on;
    char iban[35], bic[12]; /* the employer's confirmed IBAN when prepared */
    char creditor[71], street[71], postcode[17], town[36], country[3];
    char reference[36];    /* decision number, e.g. "LKS-2026-000123-B2" */
    char end_to_end[36];   /* deterministic, unique per (tenant, case, month) */
    char steps_json[PAY_STEPS_PACKED]; /* the pay_month steps, packed (codec_steps_pack) */
};

/* A new run (status as given, normally PAYRUN_CONCEPT); sets run->id. */
int store_payrun_create(struct store *s, struct payrun *run, struct lks_err *err);
/* Add a line to a concept run of the tenant (LKS_ENOTFOUND: no such run; LKS_ESTATE: the
 * run is not a concept). *taken = true (and nothing written) when the month of that case
 * is already in another live line (pending or paid, in a concept or approved run): the
 * database enforces it (a unique index over live lines), also with two servers on one
 * PostgreSQL store at once; the caller's transaction stays usable. */
int store_payline_add(struct store *s, const char *tenant, const struct payline *l, bool *taken,
                      struct lks_err *err);
int store_payrun_get(struct store *s, const char *tenant, int64_t id, struct payrun *out,
                     struct lks_err *err);
/* The tenant's runs, newest month first, then newest run. */
int store_payrun_list(struct store *s, const char *tenant,
                      int (*cb)(void *arg, const struct payrun *r), void *arg, struct lks_err *err);
/* The run's lines (all statuses), by case id and month. */
int store_payrun_lines(struct store *s, const char *tenant, int64_t run_id,
                       int (*cb)(void *arg, const struct payline *l), void *arg,
                       struct lks_err *err);
/* Compare-and-set: LKS_ESTATE when the run is not in `from` (someone else got there first).
 * To PAYRUN_APPROVED records `by` and `at` as the approver. Cancelling a concept run
 * cancels its lines, so their months are free again. */
int store_payrun_status(struct store *s, const char *tenant, int64_t id, enum payrun_status from,
                        enum payrun_status to, const char *by, int64_t at, struct lks_err *err);
/* Bank feedback: mark the live line with this end-to-end id (of an approved run) paid or
 * returned (LKS_ENOTFOUND when there is none; LKS_EINVAL for another status). */
int store_payline_mark(struct store *s, const char *tenant, const char *end_to_end,
                       enum payline_status st, lks_date on, struct lks_err *err);
/* The lines of one case, month ascending (the case page, the portal): the live ones and
 * the returned ones (a returned payment is still owed). */
int store_case_paylines(struct store *s, const char *tenant, int64_t case_id,
                        int (*cb)(void *arg, const struct payline *l), void *arg,
                        struct lks_err *err);
/* Every case that may be paid (it has a grant decision), streamed in id order in as few
 * statements as possible: one per table for the whole tenant, merged by case id. The
 * state handed to cb is the same as store_case_get's and valid during the call. */
int store_pay_cases(struct store *s, const char *tenant,
                    int (*cb)(void *arg, const struct case_state *cs), void *arg,
                    struct lks_err *err);

/* Settlement (vaststelling): the wage actually paid over from..to (a month or a year),
 * as reported from the payslip, and the subsidy due over it against what was paid. */
struct paysettlement {
    int64_t id, case_id;
    lks_date from, to;
    int32_t hours;     /* hundredths per week */
    int64_t wage;      /* gross wage paid over the period, cents */
    int64_t due, paid; /* subsidy due by the settlement, and paid before it, cents */
    char source[16];   /* "portaal", "csv", "medewerker" */
    char created_by[CASE_USER];
    int64_t created_at;
};
/* Recovery (terugvordering): an amount claimed back by decision; `setoff` when the
 * decision allows setting it off against later payments (Awb 4:93). */
struct payrecovery {
    int64_t id, case_id;
    int64_t settlement_id; /* 0: none */
    int64_t amount;        /* cents, > 0 */
    lks_date decided_on;
    bool setoff;
    char reference[36];
    char created_by[CASE_USER];
    int64_t created_at;
};
/* Add (sets ->id); inside a write transaction. */
int store_settlement_add(struct store *s, const char *tenant, struct paysettlement *x,
                         struct lks_err *err);
int store_recovery_add(struct store *s, const char *tenant, struct payrecovery *x,
                       struct lks_err *err);
/* A case's settlements / recoveries in the order they were added. */
int store_settlements(struct store *s, const char *tenant, int64_t case_id,
                      int (*cb)(void *arg, const struct paysettlement *x), void *arg,
                      struct lks_err *err);
int store_recoveries(struct store *s, const char *tenant, int64_t case_id,
                     int (*cb)(void *arg, const struct payrecovery *x), void *arg,
                     struct lks_err *err);

/* Every case's live months (pending or paid lines) summed up, in case id order: the first
 * and last month and how many there are (the payment run tells a run without gaps from
 * one with a returned month cheaply). */
int store_pay_live(struct store *s, const char *tenant,
                   int (*cb)(void *arg, int64_t case_id, lks_date first, lks_date last, int64_t n),
                   void *arg, struct lks_err *err);

/* The municipality's own bank account, the debtor of its transfers (SEPA). */
struct pay_settings {
    char tenant[CASE_ID];
    char name[71], iban[35], bic[12], street[71], postcode[17], town[36], country[3];
    char updated_by[CASE_USER];
    int64_t updated_at;
};
/* LKS_ENOTFOUND when the tenant has none. */
int store_pay_settings_get(struct store *s, const char *tenant, struct pay_settings *out,
                           struct lks_err *err);
/* Insert or replace; inside a write transaction. */
int store_pay_settings_put(struct store *s, const struct pay_settings *in, struct lks_err *err);

#endif

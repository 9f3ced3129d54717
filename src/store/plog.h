/*
 * plog — the processing log (verwerkingenlogging, VNG fields): every read or
 * change of personal data writes an entry; entries are never changed or
 * removed (the database refuses it); the auditor role reads them.
 *
 * Durability without an fsync per request: plog_submit hands entries to a
 * writer thread that commits whatever has gathered (group commit: one
 * transaction per batch; what arrives during a commit is the next batch) and then
 * calls the submitter back; plog_write does the same and waits. So a request
 * that read personal data is answered only after its log entries are
 * durable, while hundreds of requests share one fsync, and (with
 * plog_submit) no thread has to sit waiting for it.
 */
#ifndef LKS_STORE_PLOG_H
#define LKS_STORE_PLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "case/model.h"

#define PLOG_QUEUE_MAX  8192 /* entries queued at most; more makes submitters wait for room */
#define PLOG_SUBMIT_MAX 512  /* entries in one plog_submit: they go into one transaction */

enum plog_action { PLOG_READ, PLOG_CREATE, PLOG_UPDATE, PLOG_SEARCH };

struct plog_entry {
    int64_t at_us;            /* microseconds since the epoch (tijdstip) */
    enum plog_action action;  /* actie */
    char tenant[CASE_ID];     /* verwerkende organisatie */
    char user[64];            /* gebruiker */
    char system[32];          /* systeem, e.g. "lks-api" */
    char bsn[10];             /* betrokkene (the person concerned), may be empty */
    char object[48];          /* verwerkt object, e.g. "zaak/12" */
    char kinds[96];           /* soort gegevens, e.g. "identiteit, gezondheid, loon" */
    char purpose[64];         /* doelbinding / verwerkingsactiviteit */
    char confidentiality[16]; /* vertrouwelijkheid: "normaal", "vertrouwelijk" */
    int32_t retention_years;  /* bewaartermijn */
    char request_id[24];
};

struct plog;

/* Start the writer on its own connection to the store at `url` (created tables
 * come from the store's migrations). On a PostgreSQL url the log is the table
 * processing_log of that database, which several servers share. */
int plog_open(struct plog **out, const char *url, struct lks_err *err);

/*
 * Queue n entries (1..PLOG_SUBMIT_MAX) as one unit and return without waiting
 * for the commit; at_us 0 = now. All n are checked first: if one is invalid,
 * none is queued (LKS_EINVAL naming its field). The entries are copied.
 *
 * On 0, `done(arg, rc)` is called exactly once, on the writer thread, after
 * the transaction holding all n entries committed (rc 0) or failed (rc
 * LKS_EIO or LKS_ENOMEM: then none of them is written); never with the
 * queue's lock held. It should be short (the next batch waits for it) and
 * must not call plog_submit or plog_write. On non-zero (invalid, LKS_ENOMEM,
 * or LKS_ESTATE once plog_close has begun) nothing is queued and `done` is
 * never called. A full queue makes the caller wait for room.
 */
int plog_submit(struct plog *p, const struct plog_entry *e, int n, void (*done)(void *arg, int rc),
                void *arg, struct lks_err *err);

/* Queue an entry and wait until it is committed (plog_submit and a wait). at_us 0 = now.
 * A failed commit returns its error with SQLite's message. */
int plog_write(struct plog *p, const struct plog_entry *e, struct lks_err *err);

/* Transactions committed so far (for tests and measurements of the batching). */
uint64_t plog_commits(struct plog *p);

/* Refuse new entries, write what is queued (calling every accepted unit's `done`), and
 * stop the writer. */
void plog_close(struct plog *p);

struct plog_filter {
    const char *tenant;     /* required: the auditor's municipality */
    const char *bsn;        /* or NULL */
    int64_t from_us, to_us; /* from_us <= at_us < to_us; 0 = open */
    int64_t after_id;       /* keyset pagination */
    int limit;              /* at least 1 */
    bool newest_first;      /* the other way round: newest first (by at_us, then id) */
};

/* Entries for the auditor, oldest first (by at_us, then id; newest_first: the reverse);
 * cb gets each with its id; cb returning non-zero stops (and is returned). after_id: the
 * last id of the previous page, in the order asked. */
int plog_read(struct plog *p, const struct plog_filter *f,
              int (*cb)(void *arg, int64_t id, const struct plog_entry *e), void *arg,
              struct lks_err *err);

#endif

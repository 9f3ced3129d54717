/*
 * store_draft — drafts of a long form (migration 8): what a user typed into the
 * application form so far, kept until it is submitted or deleted.
 *
 * A draft belongs to one user (its owner, by login name) of one municipality (tenant)
 * and, for an employer user, to its company (kvk). Every call names tenant and owner: a
 * draft of another user or municipality does not exist for it (LKS_ENOTFOUND). The
 * fields are the caller's JSON text, at most STORE_DRAFT_MAX bytes (a longer one is
 * LKS_EINVAL naming "concept"); the store keeps them as given and does not read them.
 * Timestamps are Unix seconds.
 *
 * Transactions: every call runs inside the caller's transaction when one is open, or as
 * one statement on its own. Errors are lks_err values with a Dutch message and the
 * engine's text; ownership of a read draft's `data` passes to the caller
 * (store_draft_free).
 */
#ifndef LKS_STORE_STORE_DRAFT_H
#define LKS_STORE_STORE_DRAFT_H

#include <stdint.h>

#include "base/err.h"
#include "case/model.h"
#include "store/store.h"

#define STORE_DRAFT_MAX 65536 /* bytes of a draft's JSON text */

struct store_draft {
    int64_t id;
    char tenant[CASE_ID];
    char owner[CASE_USER];
    char kvk[9];   /* "" for a user who is no employer */
    char kind[16]; /* "aanvraag" */
    int64_t created, updated;
    char *data; /* JSON text, NUL-terminated; owned (store_draft_free) */
};

/* Store a new draft (d->id 0; its id is set) or replace the fields of an existing one of
 * d->tenant and d->owner (d->id; d->updated is written, kind and kvk stay).
 * LKS_ENOTFOUND when there is no such draft of that owner. */
int store_draft_put(struct store *s, struct store_draft *d, struct lks_err *err);

/* One draft of the owner into *out (out->data allocated). */
int store_draft_get(struct store *s, const char *tenant, const char *owner, int64_t id,
                    struct store_draft *out, struct lks_err *err);

/* Delete one draft of the owner; LKS_ENOTFOUND when there is none. */
int store_draft_delete(struct store *s, const char *tenant, const char *owner, int64_t id,
                       struct lks_err *err);

/* The owner's drafts, the latest changed first (at most `max`; data is the row's,
 * valid during the callback only). */
int store_draft_list(struct store *s, const char *tenant, const char *owner, int max,
                     int (*cb)(void *arg, const struct store_draft *d), void *arg,
                     struct lks_err *err);

void store_draft_free(struct store_draft *d);

#endif

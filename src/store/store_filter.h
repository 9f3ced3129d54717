/*
 * store_filter — saved filters of the work list (migration 12): a name a user gave to the
 * filter part of the werkvoorraad's URL, to open that list again with one click.
 *
 * A saved filter belongs to one user (its owner, by login name) of one municipality
 * (tenant); every call names both, and a filter of another user or municipality does not
 * exist for it (LKS_ENOTFOUND). A name is unique per owner (a second one with the same
 * name is LKS_ESTATE naming "naam"). The store keeps name and query as given (at most
 * STORE_FILTER_NAME and STORE_FILTER_QUERY bytes, else LKS_EINVAL); what they may contain
 * is the app's rule (app_filter.c). Timestamps are Unix seconds.
 *
 * Transactions: every call runs inside the caller's transaction when one is open, or as
 * one statement on its own. Errors are lks_err values with a Dutch message and the
 * engine's text.
 */
#ifndef LKS_STORE_STORE_FILTER_H
#define LKS_STORE_STORE_FILTER_H

#include <stdint.h>

#include "base/err.h"
#include "case/model.h"
#include "store/store.h"

#define STORE_FILTER_NAME  256 /* bytes with the NUL: 60 characters of UTF-8 fit */
#define STORE_FILTER_QUERY 512 /* bytes with the NUL */

struct store_filter {
    int64_t id;
    char tenant[CASE_ID];
    char owner[CASE_USER];
    char name[STORE_FILTER_NAME];
    char query[STORE_FILTER_QUERY]; /* "status=lopend&van=mij", without the "?" */
    int64_t created;
};

/* Store a new filter (f->id is set). LKS_ESTATE ("naam") when the owner has one by that
 * name already. */
int store_filter_add(struct store *s, struct store_filter *f, struct lks_err *err);

/* One filter of the owner into *out. */
int store_filter_get(struct store *s, const char *tenant, const char *owner, int64_t id,
                     struct store_filter *out, struct lks_err *err);

/* Delete one filter of the owner; LKS_ENOTFOUND when there is none. */
int store_filter_delete(struct store *s, const char *tenant, const char *owner, int64_t id,
                        struct lks_err *err);

/* The owner's filters by name (at most `max`); cb returning non-zero stops. */
int store_filter_list(struct store *s, const char *tenant, const char *owner, int max,
                      int (*cb)(void *arg, const struct store_filter *f), void *arg,
                      struct lks_err *err);

#endif

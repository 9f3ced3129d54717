/*
 * filter_engine — the engines behind store_filter.h (private to src/store): store_filter.c
 * checks the arguments once and forwards each call to filter_sqlite.c or filter_pg.c.
 */
#ifndef LKS_STORE_FILTER_ENGINE_H
#define LKS_STORE_FILTER_ENGINE_H

#include "store/store_engine.h"
#include "store/store_filter.h"

int sq_filter_add(struct sq_store *s, struct store_filter *f, struct lks_err *err);
int sq_filter_get(struct sq_store *s, const char *tenant, const char *owner, int64_t id,
                  struct store_filter *out, struct lks_err *err);
int sq_filter_delete(struct sq_store *s, const char *tenant, const char *owner, int64_t id,
                     struct lks_err *err);
int sq_filter_list(struct sq_store *s, const char *tenant, const char *owner, int max,
                   int (*cb)(void *arg, const struct store_filter *f), void *arg,
                   struct lks_err *err);

int pg_filter_add(struct pg_store *s, struct store_filter *f, struct lks_err *err);
int pg_filter_get(struct pg_store *s, const char *tenant, const char *owner, int64_t id,
                  struct store_filter *out, struct lks_err *err);
int pg_filter_delete(struct pg_store *s, const char *tenant, const char *owner, int64_t id,
                     struct lks_err *err);
int pg_filter_list(struct pg_store *s, const char *tenant, const char *owner, int max,
                   int (*cb)(void *arg, const struct store_filter *f), void *arg,
                   struct lks_err *err);

/* The answers both engines share: no such filter for its caller, and a name taken. */
int store_filter_not_found(struct lks_err *err, int64_t id);
int store_filter_exists(struct lks_err *err, const char *name);

#endif

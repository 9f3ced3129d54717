/*
 * draft_engine — the engines behind store_draft.h (private to src/store): store_draft.c
 * checks the arguments once and forwards each call to draft_sqlite.c or draft_pg.c.
 */
#ifndef LKS_STORE_DRAFT_ENGINE_H
#define LKS_STORE_DRAFT_ENGINE_H

#include "store/store_draft.h"
#include "store/store_engine.h"

int sq_draft_put(struct sq_store *s, struct store_draft *d, struct lks_err *err);
int sq_draft_get(struct sq_store *s, const char *tenant, const char *owner, int64_t id,
                 struct store_draft *out, struct lks_err *err);
int sq_draft_delete(struct sq_store *s, const char *tenant, const char *owner, int64_t id,
                    struct lks_err *err);
int sq_draft_list(struct sq_store *s, const char *tenant, const char *owner, int max,
                  int (*cb)(void *arg, const struct store_draft *d), void *arg,
                  struct lks_err *err);

int pg_draft_put(struct pg_store *s, struct store_draft *d, struct lks_err *err);
int pg_draft_get(struct pg_store *s, const char *tenant, const char *owner, int64_t id,
                 struct store_draft *out, struct lks_err *err);
int pg_draft_delete(struct pg_store *s, const char *tenant, const char *owner, int64_t id,
                    struct lks_err *err);
int pg_draft_list(struct pg_store *s, const char *tenant, const char *owner, int max,
                  int (*cb)(void *arg, const struct store_draft *d), void *arg,
                  struct lks_err *err);

/* The answer for a draft that does not exist for its caller (shared by both engines). */
int store_draft_not_found(struct lks_err *err, int64_t id);

#endif

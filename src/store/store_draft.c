/*
 * store_draft — see store_draft.h: the arguments checked once (the size cap, names that
 * fit), then the engine's call.
 */
#include "store/store_draft.h"

#include <stdlib.h>
#include <string.h>

#include "store/draft_engine.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

int store_draft_not_found(struct lks_err *err, int64_t id)
{
    return lks_err_set(err, LKS_ENOTFOUND, "concept", "not-found", "concept %lld bestaat niet",
                       (long long)id);
}

static int check_names(const char *tenant, const char *owner, struct lks_err *err)
{
    if (!tenant || !tenant[0] || strlen(tenant) >= CASE_ID || !owner || !owner[0] ||
        strlen(owner) >= CASE_USER)
        return lks_err_set(err, LKS_EINVAL, "concept", "no-owner",
                           "een concept hoort bij een gebruiker van een gemeente");
    return 0;
}

int store_draft_put(struct store *s, struct store_draft *d, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = check_names(d->tenant, d->owner, err);
    if (rc)
        return rc;
    if (!d->data || strlen(d->data) > STORE_DRAFT_MAX)
        return lks_err_set(err, LKS_EINVAL, "concept", "too-large",
                           "het concept is te groot (ten hoogste %d bytes)", STORE_DRAFT_MAX);
    if (d->id == 0 && strcmp(d->kind, "aanvraag") != 0)
        return lks_err_set(err, LKS_EINVAL, "concept", "unknown-kind", "onbekende soort concept");
    if (s->pg)
        return pg_draft_put(s->pg, d, err);
    return sq_draft_put(s->sq, d, err);
}

int store_draft_get(struct store *s, const char *tenant, const char *owner, int64_t id,
                    struct store_draft *out, struct lks_err *err)
{
    ERR_GUARD(err);
    memset(out, 0, sizeof *out);
    int rc = check_names(tenant, owner, err);
    if (rc)
        return rc;
    if (s->pg)
        return pg_draft_get(s->pg, tenant, owner, id, out, err);
    return sq_draft_get(s->sq, tenant, owner, id, out, err);
}

int store_draft_delete(struct store *s, const char *tenant, const char *owner, int64_t id,
                       struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = check_names(tenant, owner, err);
    if (rc)
        return rc;
    if (s->pg)
        return pg_draft_delete(s->pg, tenant, owner, id, err);
    return sq_draft_delete(s->sq, tenant, owner, id, err);
}

int store_draft_list(struct store *s, const char *tenant, const char *owner, int max,
                     int (*cb)(void *arg, const struct store_draft *d), void *arg,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = check_names(tenant, owner, err);
    if (rc)
        return rc;
    if (max < 1)
        max = 1;
    if (s->pg)
        return pg_draft_list(s->pg, tenant, owner, max, cb, arg, err);
    return sq_draft_list(s->sq, tenant, owner, max, cb, arg, err);
}

void store_draft_free(struct store_draft *d)
{
    if (!d)
        return;
    free(d->data);
    d->data = NULL;
}

/*
 * store_filter — see store_filter.h: the arguments checked once (names and texts that
 * fit), then the engine's call.
 */
#include "store/store_filter.h"

#include <string.h>

#include "store/filter_engine.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

int store_filter_not_found(struct lks_err *err, int64_t id)
{
    return lks_err_set(err, LKS_ENOTFOUND, "filter", "not-found", "filter %lld bestaat niet",
                       (long long)id);
}

int store_filter_exists(struct lks_err *err, const char *name)
{
    return lks_err_set(err, LKS_ESTATE, "naam", "exists",
                       "u hebt al een filter met de naam '%.60s'; kies een andere naam", name);
}

static int check_owner(const char *tenant, const char *owner, struct lks_err *err)
{
    if (!tenant || !tenant[0] || strlen(tenant) >= CASE_ID || !owner || !owner[0] ||
        strlen(owner) >= CASE_USER)
        return lks_err_set(err, LKS_EINVAL, "filter", "no-owner",
                           "een filter hoort bij een gebruiker van een gemeente");
    return 0;
}

int store_filter_add(struct store *s, struct store_filter *f, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = check_owner(f->tenant, f->owner, err);
    if (rc)
        return rc;
    if (!f->name[0] || strnlen(f->name, sizeof f->name) >= sizeof f->name)
        return lks_err_set(err, LKS_EINVAL, "naam", "invalid", "geef het filter een naam");
    if (strnlen(f->query, sizeof f->query) >= sizeof f->query)
        return lks_err_set(err, LKS_EINVAL, "filter", "too-long", "het filter is te lang");
    if (s->pg)
        return pg_filter_add(s->pg, f, err);
    return sq_filter_add(s->sq, f, err);
}

int store_filter_get(struct store *s, const char *tenant, const char *owner, int64_t id,
                     struct store_filter *out, struct lks_err *err)
{
    ERR_GUARD(err);
    memset(out, 0, sizeof *out);
    int rc = check_owner(tenant, owner, err);
    if (rc)
        return rc;
    if (s->pg)
        return pg_filter_get(s->pg, tenant, owner, id, out, err);
    return sq_filter_get(s->sq, tenant, owner, id, out, err);
}

int store_filter_delete(struct store *s, const char *tenant, const char *owner, int64_t id,
                        struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = check_owner(tenant, owner, err);
    if (rc)
        return rc;
    if (s->pg)
        return pg_filter_delete(s->pg, tenant, owner, id, err);
    return sq_filter_delete(s->sq, tenant, owner, id, err);
}

int store_filter_list(struct store *s, const char *tenant, const char *owner, int max,
                      int (*cb)(void *arg, const struct store_filter *f), void *arg,
                      struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = check_owner(tenant, owner, err);
    if (rc)
        return rc;
    if (max < 1)
        max = 1;
    if (s->pg)
        return pg_filter_list(s->pg, tenant, owner, max, cb, arg, err);
    return sq_filter_list(s->sq, tenant, owner, max, cb, arg, err);
}

/*
 * store_filter — the saved filters (store_filter.h, migration 12), once for both engines on
 * the statement layer (stmt.h): the arguments checked once (names and texts that fit), then
 * one statement. Every statement names the tenant and the owner, so another user's filter
 * is never touched.
 *
 * Errors: an engine failure is an lks_err with a Dutch message and the engine's text; no
 * row for tenant, owner and id is LKS_ENOTFOUND; a name the owner has already is
 * LKS_ESTATE naming "naam" (the insert does nothing on the unique key and returns no id).
 */
#include "store/store_filter.h"

#include <string.h>

#include "store/stmt.h"

static const char SQL_INSERT[] =
    "INSERT INTO saved_filters(tenant_id,owner,name,query,created) VALUES(?1,?2,?3,?4,?5)"
    " ON CONFLICT(tenant_id,owner,name) DO NOTHING RETURNING id";
static const char SQL_GET[] = "SELECT id,tenant_id,owner,name,query,created FROM saved_filters"
                              " WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_DELETE[] =
    "DELETE FROM saved_filters WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_LIST[] = "SELECT id,tenant_id,owner,name,query,created FROM saved_filters"
                               " WHERE tenant_id=?1 AND owner=?2 ORDER BY name, id LIMIT ?3";

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

static int not_found(struct lks_err *err, int64_t id)
{
    return lks_err_set(err, LKS_ENOTFOUND, "filter", "not-found", "filter %lld bestaat niet",
                       (long long)id);
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
    struct stmt q;
    rc = stmt_prepare(&q, s, SQL_INSERT, "filter", "het opslaan van het filter", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, f->tenant);
        stmt_bind_cstr(&q, 2, f->owner);
        stmt_bind_cstr(&q, 3, f->name);
        stmt_bind_cstr(&q, 4, f->query);
        stmt_bind_int(&q, 5, f->created);
        rc = stmt_step(&q, err);
        if (rc == 1)
            f->id = stmt_col_int(&q, 0);
        else if (rc == 0)
            rc = lks_err_set(err, LKS_ESTATE, "naam", "exists",
                             "u hebt al een filter met de naam '%.60s'; kies een andere naam",
                             f->name);
    }
    stmt_finish(&q);
    return rc < 0 ? rc : 0;
}

/* A row of SQL_GET / SQL_LIST into f. */
static void row(const struct stmt *q, struct store_filter *f)
{
    f->id = stmt_col_int(q, 0);
    STMT_COL_STR(q, 1, f->tenant);
    STMT_COL_STR(q, 2, f->owner);
    STMT_COL_STR(q, 3, f->name);
    STMT_COL_STR(q, 4, f->query);
    f->created = stmt_col_int(q, 5);
}

/* Prepare `sql` and bind 1 tenant, 2 owner, 3 n. */
static int owned(struct stmt *q, struct store *s, const char *sql, const char *tenant,
                 const char *owner, int64_t n, const char *what, struct lks_err *err)
{
    int rc = stmt_prepare(q, s, sql, "filter", what, err);
    if (rc == 0) {
        stmt_bind_cstr(q, 1, tenant);
        stmt_bind_cstr(q, 2, owner);
        stmt_bind_int(q, 3, n);
    }
    return rc;
}

int store_filter_get(struct store *s, const char *tenant, const char *owner, int64_t id,
                     struct store_filter *out, struct lks_err *err)
{
    ERR_GUARD(err);
    memset(out, 0, sizeof *out);
    int rc = check_owner(tenant, owner, err);
    if (rc)
        return rc;
    struct stmt q;
    rc = owned(&q, s, SQL_GET, tenant, owner, id, "het lezen van het filter", err);
    if (rc == 0)
        rc = stmt_step(&q, err);
    if (rc == 1) {
        row(&q, out);
        rc = 0;
    } else if (rc == 0) {
        rc = not_found(err, id);
    }
    stmt_finish(&q);
    return rc;
}

int store_filter_delete(struct store *s, const char *tenant, const char *owner, int64_t id,
                        struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = check_owner(tenant, owner, err);
    if (rc)
        return rc;
    struct stmt q;
    rc = owned(&q, s, SQL_DELETE, tenant, owner, id, "het verwijderen van het filter", err);
    if (rc == 0)
        rc = stmt_step(&q, err);
    if (rc == 0 && stmt_changes(&q) == 0)
        rc = not_found(err, id);
    stmt_finish(&q);
    return rc < 0 ? rc : 0;
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
    struct stmt q;
    rc = owned(&q, s, SQL_LIST, tenant, owner, max, "het lezen van de filters", err);
    while (rc == 0 && (rc = stmt_step(&q, err)) == 1) {
        struct store_filter f;
        memset(&f, 0, sizeof f);
        row(&q, &f);
        rc = cb(arg, &f);
    }
    stmt_finish(&q);
    return rc;
}

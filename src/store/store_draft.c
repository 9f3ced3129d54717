/*
 * store_draft — the drafts (store_draft.h, migration 8), once for both engines on the
 * statement layer (stmt.h): the arguments checked once (the size cap, names that fit),
 * then one statement. Every statement names the tenant and the owner, so another user's
 * draft is never touched.
 *
 * Errors: an engine failure is an lks_err with a Dutch message and the engine's text; no
 * row for tenant, owner and id is LKS_ENOTFOUND; out of memory for a draft's text is
 * LKS_ENOMEM.
 */
#include "store/store_draft.h"

#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

static const char SQL_INSERT[] =
    "INSERT INTO drafts(tenant_id,owner,kvk,kind,data,created,updated) "
    "VALUES(?1,?2,?3,?4,?5,?6,?6) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE drafts SET data=?4, updated=?5 WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_GET[] = "SELECT id,tenant_id,owner,coalesce(kvk,''),kind,created,updated,"
                              "data FROM drafts WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_DELETE[] = "DELETE FROM drafts WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_LIST[] = "SELECT id,tenant_id,owner,coalesce(kvk,''),kind,created,updated,"
                               "data FROM drafts WHERE tenant_id=?1 AND owner=?2 "
                               "ORDER BY updated DESC, id DESC LIMIT ?3";

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

static int store_draft_not_found(struct lks_err *err, int64_t id)
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
    struct stmt q;
    rc = stmt_prepare(&q, s, d->id ? SQL_UPDATE : SQL_INSERT, "concept",
                      "het opslaan van het concept", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, d->tenant);
        stmt_bind_cstr(&q, 2, d->owner);
        if (d->id) {
            stmt_bind_int(&q, 3, d->id);
            stmt_bind_cstr(&q, 4, d->data);
            stmt_bind_int(&q, 5, d->updated);
        } else {
            stmt_bind_cstr(&q, 3, d->kvk[0] ? d->kvk : NULL);
            stmt_bind_cstr(&q, 4, d->kind);
            stmt_bind_cstr(&q, 5, d->data);
            stmt_bind_int(&q, 6, d->created);
        }
        rc = stmt_step(&q, err);
        if (rc == 1 && !d->id)
            d->id = stmt_col_int(&q, 0);
        else if (rc == 0 && d->id && stmt_changes(&q) == 0)
            rc = store_draft_not_found(err, d->id);
    }
    stmt_finish(&q);
    return rc < 0 ? rc : 0;
}

/* A row of SQL_GET / SQL_LIST into d; `copy` duplicates the text (else borrowed). */
static int row(const struct stmt *q, struct store_draft *d, bool copy, struct lks_err *err)
{
    d->id = stmt_col_int(q, 0);
    STMT_COL_STR(q, 1, d->tenant);
    STMT_COL_STR(q, 2, d->owner);
    STMT_COL_STR(q, 3, d->kvk);
    STMT_COL_STR(q, 4, d->kind);
    d->created = stmt_col_int(q, 5);
    d->updated = stmt_col_int(q, 6);
    const char *t = stmt_col_cstr(q, 7);
    d->data = copy ? strdup(t) : (char *)t;
    if (!d->data)
        return lks_err_set(err, LKS_ENOMEM, "concept", "no-memory", "onvoldoende geheugen");
    return 0;
}

/* Prepare `sql` and bind 1 tenant, 2 owner, 3 n. */
static int owned(struct stmt *q, struct store *s, const char *sql, const char *tenant,
                 const char *owner, int64_t n, const char *what, struct lks_err *err)
{
    int rc = stmt_prepare(q, s, sql, "concept", what, err);
    if (rc == 0) {
        stmt_bind_cstr(q, 1, tenant);
        stmt_bind_cstr(q, 2, owner);
        stmt_bind_int(q, 3, n);
    }
    return rc;
}

int store_draft_get(struct store *s, const char *tenant, const char *owner, int64_t id,
                    struct store_draft *out, struct lks_err *err)
{
    ERR_GUARD(err);
    memset(out, 0, sizeof *out);
    int rc = check_names(tenant, owner, err);
    if (rc)
        return rc;
    struct stmt q;
    rc = owned(&q, s, SQL_GET, tenant, owner, id, "het lezen van het concept", err);
    if (rc == 0)
        rc = stmt_step(&q, err);
    if (rc == 1)
        rc = row(&q, out, true, err);
    else if (rc == 0)
        rc = store_draft_not_found(err, id);
    stmt_finish(&q);
    return rc;
}

int store_draft_delete(struct store *s, const char *tenant, const char *owner, int64_t id,
                       struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = check_names(tenant, owner, err);
    if (rc)
        return rc;
    struct stmt q;
    rc = owned(&q, s, SQL_DELETE, tenant, owner, id, "het verwijderen van het concept", err);
    if (rc == 0)
        rc = stmt_step(&q, err);
    if (rc == 0 && stmt_changes(&q) == 0)
        rc = store_draft_not_found(err, id);
    stmt_finish(&q);
    return rc;
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
    struct stmt q;
    rc = owned(&q, s, SQL_LIST, tenant, owner, max, "het lezen van de concepten", err);
    while (rc == 0 && (rc = stmt_step(&q, err)) == 1) {
        struct store_draft d;
        memset(&d, 0, sizeof d);
        row(&q, &d, false, err);
        rc = cb(arg, &d);
    }
    stmt_finish(&q);
    return rc;
}

void store_draft_free(struct store_draft *d)
{
    if (!d)
        return;
    free(d->data);
    d->data = NULL;
}

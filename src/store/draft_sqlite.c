/*
 * draft_sqlite — the drafts (store_draft.h, migration 8) on the SQLite engine. Every
 * statement names the tenant and the owner, so another user's draft is never touched;
 * statements are cached on the connection.
 *
 * Errors: an SQLite failure is an lks_err with a Dutch message and SQLite's text; no row
 * for tenant, owner and id is LKS_ENOTFOUND; out of memory for a draft's text is
 * LKS_ENOMEM.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/draft_engine.h"
#include "store/sqlite_private.h"

static const char SQL_INSERT[] =
    "INSERT INTO drafts(tenant_id,owner,kvk,kind,data,created,updated) "
    "VALUES(?1,?2,?3,?4,?5,?6,?6)";
static const char SQL_UPDATE[] =
    "UPDATE drafts SET data=?4, updated=?5 WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_GET[] = "SELECT id,tenant_id,owner,coalesce(kvk,''),kind,created,updated,"
                              "data FROM drafts WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_DELETE[] = "DELETE FROM drafts WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_LIST[] = "SELECT id,tenant_id,owner,coalesce(kvk,''),kind,created,updated,"
                               "data FROM drafts WHERE tenant_id=?1 AND owner=?2 "
                               "ORDER BY updated DESC, id DESC LIMIT ?3";

static sqlite3_stmt *prep(struct sq_store *s, const char *sql, struct lks_err *err)
{
    int rc = SQLITE_OK;
    sqlite3_stmt *st = store_sqlite_cached(s, sql, &rc);
    if (!st)
        store_sqlite_fail(sq_handle(s), rc, "concept", "het voorbereiden van een concept", err);
    return st;
}

static void bind_owner(sqlite3_stmt *st, const char *tenant, const char *owner)
{
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
}

int sq_draft_put(struct sq_store *s, struct store_draft *d, struct lks_err *err)
{
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, d->id ? SQL_UPDATE : SQL_INSERT, err);
    if (!st)
        return err->code;
    bind_owner(st, d->tenant, d->owner);
    if (d->id) {
        sqlite3_bind_int64(st, 3, d->id);
        sqlite3_bind_text(st, 4, d->data, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, d->updated);
    } else {
        if (d->kvk[0])
            sqlite3_bind_text(st, 3, d->kvk, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 3);
        sqlite3_bind_text(st, 4, d->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, d->data, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, d->created);
    }
    int src = sqlite3_step(st);
    if (src != SQLITE_DONE)
        rc = store_sqlite_fail(sq_handle(s), src, "concept", "het opslaan van het concept", err);
    else if (d->id && sqlite3_changes(sq_handle(s)) == 0)
        rc = store_draft_not_found(err, d->id);
    else if (!d->id)
        d->id = sqlite3_last_insert_rowid(sq_handle(s));
    store_sqlite_release(s, st);
    return rc;
}

/* A row of SQL_GET / SQL_LIST into d; `copy` duplicates the text (else borrowed). */
static int row(sqlite3_stmt *st, struct store_draft *d, bool copy, struct lks_err *err)
{
    d->id = sqlite3_column_int64(st, 0);
    store_sqlite_col_text(st, 1, d->tenant, sizeof d->tenant);
    store_sqlite_col_text(st, 2, d->owner, sizeof d->owner);
    store_sqlite_col_text(st, 3, d->kvk, sizeof d->kvk);
    store_sqlite_col_text(st, 4, d->kind, sizeof d->kind);
    d->created = sqlite3_column_int64(st, 5);
    d->updated = sqlite3_column_int64(st, 6);
    const char *t = (const char *)sqlite3_column_text(st, 7);
    if (!copy) {
        d->data = (char *)(t ? t : "");
        return 0;
    }
    d->data = strdup(t ? t : "");
    if (!d->data)
        return lks_err_set(err, LKS_ENOMEM, "concept", "no-memory", "onvoldoende geheugen");
    return 0;
}

int sq_draft_get(struct sq_store *s, const char *tenant, const char *owner, int64_t id,
                 struct store_draft *out, struct lks_err *err)
{
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_GET, err);
    if (!st)
        return err->code;
    bind_owner(st, tenant, owner);
    sqlite3_bind_int64(st, 3, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = row(st, out, true, err);
    else if (src == SQLITE_DONE)
        rc = store_draft_not_found(err, id);
    else
        rc = store_sqlite_fail(sq_handle(s), src, "concept", "het lezen van het concept", err);
    store_sqlite_release(s, st);
    return rc;
}

int sq_draft_delete(struct sq_store *s, const char *tenant, const char *owner, int64_t id,
                    struct lks_err *err)
{
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_DELETE, err);
    if (!st)
        return err->code;
    bind_owner(st, tenant, owner);
    sqlite3_bind_int64(st, 3, id);
    int src = sqlite3_step(st);
    if (src != SQLITE_DONE)
        rc =
            store_sqlite_fail(sq_handle(s), src, "concept", "het verwijderen van het concept", err);
    else if (sqlite3_changes(sq_handle(s)) == 0)
        rc = store_draft_not_found(err, id);
    store_sqlite_release(s, st);
    return rc;
}

int sq_draft_list(struct sq_store *s, const char *tenant, const char *owner, int max,
                  int (*cb)(void *arg, const struct store_draft *d), void *arg, struct lks_err *err)
{
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_LIST, err);
    if (!st)
        return err->code;
    bind_owner(st, tenant, owner);
    sqlite3_bind_int(st, 3, max);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_draft d;
        memset(&d, 0, sizeof d);
        row(st, &d, false, err);
        if ((rc = cb(arg, &d)) != 0)
            break;
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = store_sqlite_fail(sq_handle(s), src, "concept", "het lezen van de concepten", err);
    store_sqlite_release(s, st);
    return rc;
}

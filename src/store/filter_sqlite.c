/*
 * filter_sqlite — the saved filters (store_filter.h, migration 12) on the SQLite engine.
 * Every statement names the tenant and the owner, so another user's filter is never
 * touched; statements are cached on the connection.
 *
 * Errors: an SQLite failure is an lks_err with a Dutch message and SQLite's text; no row
 * for tenant, owner and id is LKS_ENOTFOUND; a name the owner has already is LKS_ESTATE.
 */
#include <sqlite3.h>
#include <string.h>

#include "store/filter_engine.h"
#include "store/sqlite_private.h"

static const char SQL_INSERT[] =
    "INSERT INTO saved_filters(tenant_id,owner,name,query,created) VALUES(?1,?2,?3,?4,?5)"
    " ON CONFLICT(tenant_id,owner,name) DO NOTHING";
static const char SQL_GET[] = "SELECT id,tenant_id,owner,name,query,created FROM saved_filters"
                              " WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_DELETE[] =
    "DELETE FROM saved_filters WHERE id=?3 AND tenant_id=?1 AND owner=?2";
static const char SQL_LIST[] = "SELECT id,tenant_id,owner,name,query,created FROM saved_filters"
                               " WHERE tenant_id=?1 AND owner=?2 ORDER BY name, id LIMIT ?3";

static sqlite3_stmt *prep(struct sq_store *s, const char *sql, struct lks_err *err)
{
    int rc = SQLITE_OK;
    sqlite3_stmt *st = store_sqlite_cached(s, sql, &rc);
    if (!st)
        store_sqlite_fail(sq_handle(s), rc, "filter", "het voorbereiden van een filter", err);
    return st;
}

static void bind_owner(sqlite3_stmt *st, const char *tenant, const char *owner)
{
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
}

int sq_filter_add(struct sq_store *s, struct store_filter *f, struct lks_err *err)
{
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_INSERT, err);
    if (!st)
        return err->code;
    bind_owner(st, f->tenant, f->owner);
    sqlite3_bind_text(st, 3, f->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, f->query, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, f->created);
    int src = sqlite3_step(st);
    if (src != SQLITE_DONE)
        rc = store_sqlite_fail(sq_handle(s), src, "filter", "het opslaan van het filter", err);
    else if (sqlite3_changes(sq_handle(s)) == 0)
        rc = store_filter_exists(err, f->name);
    else
        f->id = sqlite3_last_insert_rowid(sq_handle(s));
    store_sqlite_release(s, st);
    return rc;
}

static void row(sqlite3_stmt *st, struct store_filter *f)
{
    f->id = sqlite3_column_int64(st, 0);
    store_sqlite_col_text(st, 1, f->tenant, sizeof f->tenant);
    store_sqlite_col_text(st, 2, f->owner, sizeof f->owner);
    store_sqlite_col_text(st, 3, f->name, sizeof f->name);
    store_sqlite_col_text(st, 4, f->query, sizeof f->query);
    f->created = sqlite3_column_int64(st, 5);
}

int sq_filter_get(struct sq_store *s, const char *tenant, const char *owner, int64_t id,
                  struct store_filter *out, struct lks_err *err)
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
        row(st, out);
    else if (src == SQLITE_DONE)
        rc = store_filter_not_found(err, id);
    else
        rc = store_sqlite_fail(sq_handle(s), src, "filter", "het lezen van het filter", err);
    store_sqlite_release(s, st);
    return rc;
}

int sq_filter_delete(struct sq_store *s, const char *tenant, const char *owner, int64_t id,
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
        rc = store_sqlite_fail(sq_handle(s), src, "filter", "het verwijderen van het filter", err);
    else if (sqlite3_changes(sq_handle(s)) == 0)
        rc = store_filter_not_found(err, id);
    store_sqlite_release(s, st);
    return rc;
}

int sq_filter_list(struct sq_store *s, const char *tenant, const char *owner, int max,
                   int (*cb)(void *arg, const struct store_filter *f), void *arg,
                   struct lks_err *err)
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
        struct store_filter f;
        memset(&f, 0, sizeof f);
        row(st, &f);
        if ((rc = cb(arg, &f)) != 0)
            break;
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = store_sqlite_fail(sq_handle(s), src, "filter", "het lezen van de filters", err);
    store_sqlite_release(s, st);
    return rc;
}

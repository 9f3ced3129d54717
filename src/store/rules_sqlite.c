/*
 * rules_sqlite — the rule rows of the SQLite engine (store.h, migration 3): rows an
 * operator added to the rule tables, append-only.
 *
 * A write transaction on SQLite holds the file's write lock from its start (BEGIN
 * IMMEDIATE), so adders already take turns: store_rule_lock only checks that the
 * caller is inside one. The version is the number of rows: rows are never changed or
 * removed (the triggers refuse it), so the number changes with every row added.
 * Statements are cached on the connection (store_sqlite_cached).
 *
 * Errors: every SQLite failure is an lks_err with a Dutch message plus SQLite's own
 * text; a refused constraint (an unknown user, a value the table refuses) is
 * LKS_ESTATE.
 */
#include <sqlite3.h>
#include <string.h>

#include "store/sqlite_private.h"
#include "store/store_engine.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

static const char SQL_RULE_ADD[] =
    "INSERT INTO rule_rows(rule_table,from_date,cells,source,added_by,added_at) "
    "VALUES(?1,?2,?3,?4,?5,?6)";
static const char SQL_RULE_ROWS[] =
    "SELECT id,rule_table,from_date,cells,source,added_by,added_at FROM rule_rows ORDER BY id";
static const char SQL_RULE_COUNT[] = "SELECT count(*) FROM rule_rows";

static sqlite3_stmt *prep(struct sq_store *s, const char *sql, const char *what,
                          struct lks_err *err)
{
    int rc = SQLITE_OK;
    sqlite3_stmt *st = store_sqlite_cached(s, sql, &rc);
    if (!st)
        store_sqlite_fail(sq_handle(s), rc, "regels", what, err);
    return st;
}

static int in_write_tx(struct sq_store *s, struct lks_err *err)
{
    if (sqlite3_get_autocommit(sq_handle(s)))
        return lks_err_set(err, LKS_ESTATE, "database", "no-transaction",
                           "een regel wordt toegevoegd binnen een transactie");
    return 0;
}

int sq_rule_lock(struct sq_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = store_sqlite_ready(s, err);
    return rc ? rc : in_write_tx(s, err);
}

int sq_rule_add(struct sq_store *s, struct store_rule_row *row, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = store_sqlite_ready(s, err);
    if (rc == 0)
        rc = in_write_tx(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_RULE_ADD, "het voorbereiden van het opslaan van een regel", err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, row->table, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->from);
    sqlite3_bind_text(st, 3, row->cells, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, row->user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, row->at);
    int src = sqlite3_step(st);
    if (src == SQLITE_DONE)
        row->id = sqlite3_last_insert_rowid(sq_handle(s));
    else
        rc = store_sqlite_fail(sq_handle(s), src, "regels", "het opslaan van de regel", err);
    store_sqlite_release(s, st);
    return rc;
}

static const char *text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

int sq_rule_rows(struct sq_store *s, int (*cb)(void *arg, const struct store_rule_row *r),
                 void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_RULE_ROWS, "het voorbereiden van het lezen van de regels", err);
    if (!st)
        return err->code;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_rule_row r = {
            .id = sqlite3_column_int64(st, 0),
            .table = text(st, 1),
            .from = (lks_date)sqlite3_column_int64(st, 2),
            .cells = text(st, 3),
            .source = text(st, 4),
            .user = text(st, 5),
            .at = sqlite3_column_int64(st, 6),
        };
        if ((rc = cb(arg, &r)) != 0)
            break;
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = store_sqlite_fail(sq_handle(s), src, "regels", "het lezen van de regels", err);
    store_sqlite_release(s, st);
    return rc;
}

int sq_rules_version(struct sq_store *s, int64_t *out, struct lks_err *err)
{
    ERR_GUARD(err);
    *out = 0;
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_RULE_COUNT, "het voorbereiden van het tellen van de regels", err);
    if (!st)
        return err->code;
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = store_sqlite_fail(sq_handle(s), src, "regels", "het tellen van de regels", err);
    store_sqlite_release(s, st);
    return rc;
}

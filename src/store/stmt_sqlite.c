/*
 * stmt_sqlite — the statement layer (stmt.h) on the SQLite engine: the statement is the
 * connection's cached one (store_sqlite_cached), bound without copying (SQLITE_STATIC),
 * stepped with SQLite's own step; failures through store_sqlite_fail like the engine's.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_private.h"
#include "store/stmt.h"

#define ST(q) ((sqlite3_stmt *)(q)->st)

bool stmt_sq_in_tx(struct sq_store *s)
{
    return !sqlite3_get_autocommit(sq_handle(s));
}

static int stmt_sq_prepare(struct stmt *q, struct lks_err *err)
{
    int rc = store_sqlite_ready(q->sq, err);
    if (rc)
        return rc;
    rc = SQLITE_OK;
    q->st = (struct sqlite3_stmt *)store_sqlite_cached(q->sq, q->sql, &rc);
    if (!q->st)
        return store_sqlite_fail(sq_handle(q->sq), rc, q->field, q->what, err);
    return 0;
}

static void stmt_sq_text(struct stmt *q, int i, const char *v, size_t n, bool nul)
{
    (void)nul;
    sqlite3_bind_text(ST(q), i, v, (int)n, SQLITE_STATIC);
}

static void stmt_sq_int(struct stmt *q, int i, int64_t v)
{
    sqlite3_bind_int64(ST(q), i, v);
}

static void stmt_sq_bytes(struct stmt *q, int i, const void *b, size_t n)
{
    sqlite3_bind_blob(ST(q), i, b, (int)n, SQLITE_STATIC);
}

static void stmt_sq_null(struct stmt *q, int i)
{
    sqlite3_bind_null(ST(q), i);
}

static int stmt_sq_step(struct stmt *q, struct lks_err *err)
{
    int rc = sqlite3_step(ST(q));
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE) {
        q->changes = sqlite3_changes(sq_handle(q->sq));
        return 0;
    }
    return store_sqlite_fail(sq_handle(q->sq), rc, q->field, q->what, err);
}

static bool stmt_sq_col_null(const struct stmt *q, int i)
{
    return sqlite3_column_type(ST(q), i) == SQLITE_NULL;
}

static int64_t stmt_sq_col_int(const struct stmt *q, int i)
{
    return sqlite3_column_int64(ST(q), i);
}

static const char *stmt_sq_col_text(const struct stmt *q, int i, size_t *n)
{
    const char *t = (const char *)sqlite3_column_text(ST(q), i);
    *n = t ? (size_t)sqlite3_column_bytes(ST(q), i) : 0;
    return t ? t : "";
}

static int stmt_sq_col_bytes(const struct stmt *q, int i, unsigned char **out, size_t *len,
                             struct lks_err *err)
{
    if (sqlite3_column_type(ST(q), i) == SQLITE_NULL)
        return 0;
    const void *b = sqlite3_column_blob(ST(q), i);
    int n = sqlite3_column_bytes(ST(q), i);
    *out = malloc((size_t)n + 1);
    if (!*out)
        return lks_err_set(err, LKS_ENOMEM, q->field, "no-memory", "onvoldoende geheugen");
    if (n)
        memcpy(*out, b, (size_t)n);
    (*out)[n] = 0;
    *len = (size_t)n;
    return 0;
}

static void stmt_sq_reset(struct stmt *q)
{
    sqlite3_reset(ST(q));
    sqlite3_clear_bindings(ST(q));
}

static void stmt_sq_finish(struct stmt *q)
{
    if (q->st)
        store_sqlite_release(q->sq, ST(q));
    q->st = NULL;
}

const struct stmt_ops stmt_sqlite_ops = {
    .prepare = stmt_sq_prepare,
    .text = stmt_sq_text,
    .integer = stmt_sq_int,
    .bytes = stmt_sq_bytes,
    .null = stmt_sq_null,
    .step = stmt_sq_step,
    .col_null = stmt_sq_col_null,
    .col_int = stmt_sq_col_int,
    .col_text = stmt_sq_col_text,
    .col_bytes = stmt_sq_col_bytes,
    .reset = stmt_sq_reset,
    .finish = stmt_sq_finish,
};

/*
 * doc_sqlite — the documents of a case on the SQLite engine (store_documents.h;
 * migration 9). The bytes are a BLOB, bound and read as they are. Statements are cached
 * on the connection (store_sqlite_cached).
 *
 * Errors: every SQLite failure is an lks_err with a Dutch message plus SQLite's own text;
 * a row the schema refuses is LKS_ESTATE; an add outside a write transaction LKS_EINVAL.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/doc_engine.h"
#include "store/sqlite_private.h"
#include "store/store_engine.h"

#define DOC_COLS                                                                                   \
    "id,tenant_id,case_id,kind,file_name,content_type,size,sha256,uploaded_by,uploaded_at"

static const char SQL_ADD[] =
    "INSERT INTO documents(tenant_id,case_id,kind,file_name,content_type,size,sha256,content,"
    "uploaded_by,uploaded_at) SELECT ?1,?2,?3,?4,?5,?6,?7,?8,?9,?10 "
    "WHERE EXISTS (SELECT 1 FROM cases WHERE id=?2 AND tenant_id=?1)";
static const char SQL_LIST[] =
    "SELECT " DOC_COLS " FROM documents WHERE tenant_id=?1 AND case_id=?2 ORDER BY id DESC";
static const char SQL_GET[] =
    "SELECT " DOC_COLS ",content FROM documents WHERE tenant_id=?1 AND id=?2";

static sqlite3_stmt *prep(struct sq_store *s, const char *sql, struct lks_err *err)
{
    int rc = SQLITE_OK;
    sqlite3_stmt *st = store_sqlite_cached(s, sql, &rc);
    if (!st)
        store_sqlite_fail(sq_handle(s), rc, "documenten", "het voorbereiden van een document", err);
    return st;
}

static void read_row(sqlite3_stmt *st, struct store_document *d)
{
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    store_sqlite_col_text(st, 1, d->tenant, sizeof d->tenant);
    d->case_id = sqlite3_column_int64(st, 2);
    store_sqlite_col_text(st, 3, d->kind, sizeof d->kind);
    store_sqlite_col_text(st, 4, d->file_name, sizeof d->file_name);
    store_sqlite_col_text(st, 5, d->content_type, sizeof d->content_type);
    d->size = sqlite3_column_int64(st, 6);
    store_sqlite_col_text(st, 7, d->sha256, sizeof d->sha256);
    store_sqlite_col_text(st, 8, d->uploaded_by, sizeof d->uploaded_by);
    d->uploaded_at = sqlite3_column_int64(st, 9);
}

int sq_document_add(struct sq_store *s, struct store_document *d, const void *bytes, size_t len,
                    struct lks_err *err)
{
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3 *db = sq_handle(s);
    if (sqlite3_get_autocommit(db))
        return lks_err_set(err, LKS_EINVAL, "transactie", "no-transaction",
                           "een document wordt binnen een schrijftransactie vastgelegd");
    if (len == 0 || len > STORE_DOC_MAX_BYTES || (int64_t)len != d->size)
        return lks_err_set(err, LKS_EINVAL, "bestand", "size",
                           "de grootte van het document klopt niet");
    sqlite3_stmt *st = prep(s, SQL_ADD, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, d->tenant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, d->case_id);
    sqlite3_bind_text(st, 3, d->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->file_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->content_type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, d->size);
    sqlite3_bind_text(st, 7, d->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, bytes, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, d->uploaded_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, d->uploaded_at);
    int src = sqlite3_step(st);
    if (src != SQLITE_DONE)
        rc = store_sqlite_fail(db, src, "documenten", "het vastleggen van een document", err);
    else if (sqlite3_changes(db) != 1)
        rc = lks_err_set(err, LKS_ENOTFOUND, "zaak", "not-found", "zaak %lld bestaat niet",
                         (long long)d->case_id);
    else
        d->id = sqlite3_last_insert_rowid(db);
    store_sqlite_release(s, st);
    return rc;
}

int sq_document_list(struct sq_store *s, const char *tenant, int64_t case_id,
                     int (*cb)(void *arg, const struct store_document *d), void *arg,
                     struct lks_err *err)
{
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_LIST, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, case_id);
    /* read whole first: a callback may call the store again */
    struct store_document *rows = NULL;
    int n = 0, cap = 0, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            int nc = cap ? cap * 2 : 8;
            struct store_document *nr = realloc(rows, (size_t)nc * sizeof *nr);
            if (!nr) {
                rc =
                    lks_err_set(err, LKS_ENOMEM, "documenten", "no-memory", "onvoldoende geheugen");
                break;
            }
            rows = nr;
            cap = nc;
        }
        read_row(st, &rows[n++]);
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = store_sqlite_fail(sq_handle(s), src, "documenten", "het lezen van de documenten", err);
    store_sqlite_release(s, st);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = cb(arg, &rows[i]);
    free(rows);
    return rc;
}

int sq_document_get(struct sq_store *s, const char *tenant, int64_t id, struct store_document *out,
                    char **bytes, size_t *len, struct lks_err *err)
{
    if (bytes)
        *bytes = NULL;
    if (len)
        *len = 0;
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_GET, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        read_row(st, out);
        if (bytes) {
            int n = sqlite3_column_bytes(st, 10);
            const void *b = sqlite3_column_blob(st, 10);
            *bytes = malloc((size_t)n + 1);
            if (!*bytes) {
                rc =
                    lks_err_set(err, LKS_ENOMEM, "documenten", "no-memory", "onvoldoende geheugen");
            } else {
                if (n)
                    memcpy(*bytes, b, (size_t)n);
                (*bytes)[n] = '\0';
                if (len)
                    *len = (size_t)n;
            }
        }
    } else if (src == SQLITE_DONE) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "document", "not-found", "document %lld bestaat niet",
                         (long long)id);
    } else {
        rc = store_sqlite_fail(sq_handle(s), src, "documenten", "het lezen van een document", err);
    }
    store_sqlite_release(s, st);
    return rc;
}

/*
 * idem_sqlite — idempotency keys on the SQLite engine (store.h; migration 6): per user and
 * key, the request it came with (a hash), and once known its answer.
 *
 * A key is reserved inside the write transaction of the change it came with, so the two
 * commit together or not at all; the answer is recorded after the commit with its own
 * statement. Statements are cached on the connection (store_sqlite_cached).
 *
 * Errors: every SQLite failure is an lks_err with a Dutch message plus SQLite's own text;
 * a key that exists already is LKS_ESTATE.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_private.h"
#include "store/store_engine.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

static const char SQL_GET[] =
    "SELECT hash,created,status,case_id,content_type,location,bsn,object,body "
    "FROM idempotency_keys WHERE user_name=?1 AND idem_key=?2";
static const char SQL_EXPIRE[] = "DELETE FROM idempotency_keys WHERE user_name=?1 AND created<?2";
static const char SQL_RESERVE[] =
    "INSERT INTO idempotency_keys(user_name,idem_key,hash,created,status,case_id,content_type,"
    "location,bsn,object,body) VALUES(?1,?2,?3,?4,0,?5,'','',?6,?7,NULL)";
static const char SQL_FINISH[] =
    "INSERT INTO idempotency_keys(user_name,idem_key,hash,created,status,case_id,content_type,"
    "location,bsn,object,body) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) "
    "ON CONFLICT(user_name,idem_key) DO UPDATE SET status=excluded.status,"
    "content_type=excluded.content_type,location=excluded.location,body=excluded.body "
    "WHERE idempotency_keys.hash=excluded.hash AND idempotency_keys.status=0";

static sqlite3_stmt *prep(struct sq_store *s, const char *sql, struct lks_err *err)
{
    int rc = SQLITE_OK;
    sqlite3_stmt *st = store_sqlite_cached(s, sql, &rc);
    if (!st)
        store_sqlite_fail(sq_handle(s), rc, "idempotency_keys",
                          "het voorbereiden van een idempotentiesleutel", err);
    return st;
}

int sq_idem_get(struct sq_store *s, const char *user, const char *key, struct store_idem *out,
                char **body, size_t *len, struct lks_err *err)
{
    ERR_GUARD(err);
    *body = NULL;
    *len = 0;
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_GET, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        snprintf(out->user, sizeof out->user, "%s", user);
        snprintf(out->key, sizeof out->key, "%s", key);
        store_sqlite_col_text(st, 0, out->hash, sizeof out->hash);
        out->created = sqlite3_column_int64(st, 1);
        out->status = (int)sqlite3_column_int64(st, 2);
        out->case_id = sqlite3_column_int64(st, 3);
        store_sqlite_col_text(st, 4, out->content_type, sizeof out->content_type);
        store_sqlite_col_text(st, 5, out->location, sizeof out->location);
        store_sqlite_col_text(st, 6, out->bsn, sizeof out->bsn);
        store_sqlite_col_text(st, 7, out->object, sizeof out->object);
        if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
            int n = sqlite3_column_bytes(st, 8);
            const void *b = sqlite3_column_blob(st, 8);
            *body = malloc((size_t)n + 1);
            if (!*body) {
                rc = lks_err_set(err, LKS_ENOMEM, "idempotency_keys", "no-memory",
                                 "onvoldoende geheugen");
            } else {
                if (n)
                    memcpy(*body, b, (size_t)n);
                (*body)[n] = '\0';
                *len = (size_t)n;
            }
        }
    } else if (src == SQLITE_DONE) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "Idempotency-Key", "not-found",
                         "deze sleutel is niet gebruikt");
    } else {
        rc = store_sqlite_fail(sq_handle(s), src, "idempotency_keys",
                               "het lezen van een idempotentiesleutel", err);
    }
    store_sqlite_release(s, st);
    return rc;
}

int sq_idem_reserve(struct sq_store *s, const struct store_idem *r, int64_t expire_before,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    if (sqlite3_get_autocommit(sq_handle(s)))
        return lks_err_set(err, LKS_EINVAL, "transactie", "no-transaction",
                           "een idempotentiesleutel wordt binnen de transactie van de wijziging "
                           "vastgelegd");
    sqlite3_stmt *st = prep(s, SQL_EXPIRE, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, r->user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, expire_before);
    int src = sqlite3_step(st);
    store_sqlite_release(s, st);
    if (src != SQLITE_DONE)
        return store_sqlite_fail(sq_handle(s), src, "idempotency_keys",
                                 "het opruimen van oude idempotentiesleutels", err);
    if (!(st = prep(s, SQL_RESERVE, err)))
        return err->code;
    sqlite3_bind_text(st, 1, r->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->created);
    sqlite3_bind_int64(st, 5, r->case_id);
    sqlite3_bind_text(st, 6, r->bsn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->object, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
    store_sqlite_release(s, st);
    if ((src & 0xff) == SQLITE_CONSTRAINT)
        return lks_err_set(err, LKS_ESTATE, "Idempotency-Key", "in-use",
                           "deze sleutel is intussen voor een ander verzoek gebruikt");
    if (src != SQLITE_DONE)
        return store_sqlite_fail(sq_handle(s), src, "idempotency_keys",
                                 "het vastleggen van een idempotentiesleutel", err);
    return 0;
}

int sq_idem_finish(struct sq_store *s, const struct store_idem *r, const char *body, size_t len,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_FINISH, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, r->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->created);
    sqlite3_bind_int64(st, 5, r->status);
    sqlite3_bind_int64(st, 6, r->case_id);
    sqlite3_bind_text(st, 7, r->content_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r->location, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->bsn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r->object, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 11, body ? body : "", (int)len, SQLITE_STATIC);
    int src = sqlite3_step(st);
    store_sqlite_release(s, st);
    if (src != SQLITE_DONE)
        return store_sqlite_fail(sq_handle(s), src, "idempotency_keys",
                                 "het vastleggen van het antwoord bij een idempotentiesleutel",
                                 err);
    return 0;
}

/*
 * idem — idempotency keys (store.h; migration 6), once for both engines on the statement
 * layer (stmt.h): per user and key, the request it came with (a hash), and once known its
 * answer.
 *
 * A key is reserved inside the write transaction of the change it came with, so the two
 * commit together or not at all; the answer is recorded after the commit with its own
 * statement. Two servers given the same key at once: the second reservation meets the
 * primary key (ON CONFLICT DO NOTHING: it waits for the first, then writes nothing) and is
 * refused (LKS_ESTATE), so only one change commits with the key. The body is a BLOB /
 * bytea and comes back byte for byte.
 *
 * Errors: every engine failure is an lks_err with a Dutch message plus the engine's own
 * text; a key that exists already is LKS_ESTATE.
 */
#include <stdio.h>
#include <string.h>

#include "store/stmt.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

#define FIELD "idempotency_keys"

static const char SQL_GET[] =
    "SELECT hash,created,status,case_id,content_type,location,bsn,object,body "
    "FROM idempotency_keys WHERE user_name=?1 AND idem_key=?2";
static const char SQL_EXPIRE[] = "DELETE FROM idempotency_keys WHERE user_name=?1 AND created<?2";
static const char SQL_RESERVE[] =
    "INSERT INTO idempotency_keys(user_name,idem_key,hash,created,status,case_id,content_type,"
    "location,bsn,object,body) VALUES(?1,?2,?3,?4,0,?5,'','',?6,?7,NULL) "
    "ON CONFLICT(user_name,idem_key) DO NOTHING";
static const char SQL_FINISH[] =
    "INSERT INTO idempotency_keys(user_name,idem_key,hash,created,status,case_id,content_type,"
    "location,bsn,object,body) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) "
    "ON CONFLICT(user_name,idem_key) DO UPDATE SET status=excluded.status,"
    "content_type=excluded.content_type,location=excluded.location,body=excluded.body "
    "WHERE idempotency_keys.hash=excluded.hash AND idempotency_keys.status=0";

int store_idem_get(struct store *s, const char *user, const char *key, struct store_idem *out,
                   char **body, size_t *len, struct lks_err *err)
{
    ERR_GUARD(err);
    *body = NULL;
    *len = 0;
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_GET, FIELD, "het lezen van een idempotentiesleutel", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, user);
        stmt_bind_cstr(&q, 2, key);
        rc = stmt_step(&q, err);
    }
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        snprintf(out->user, sizeof out->user, "%s", user);
        snprintf(out->key, sizeof out->key, "%s", key);
        STMT_COL_STR(&q, 0, out->hash);
        out->created = stmt_col_int(&q, 1);
        out->status = (int)stmt_col_int(&q, 2);
        out->case_id = stmt_col_int(&q, 3);
        STMT_COL_STR(&q, 4, out->content_type);
        STMT_COL_STR(&q, 5, out->location);
        STMT_COL_STR(&q, 6, out->bsn);
        STMT_COL_STR(&q, 7, out->object);
        rc = stmt_col_bytes(&q, 8, (unsigned char **)body, len, err);
    } else if (rc == 0) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "Idempotency-Key", "not-found",
                         "deze sleutel is niet gebruikt");
    }
    stmt_finish(&q);
    return rc;
}

int store_idem_reserve(struct store *s, const struct store_idem *r, int64_t expire_before,
                       struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc =
        stmt_prepare(&q, s, SQL_EXPIRE, FIELD, "het opruimen van oude idempotentiesleutels", err);
    if (rc == 0 && !stmt_in_tx(s))
        rc = lks_err_set(err, LKS_EINVAL, "transactie", "no-transaction",
                         "een idempotentiesleutel wordt binnen de transactie van de wijziging "
                         "vastgelegd");
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, r->user);
        stmt_bind_int(&q, 2, expire_before);
        rc = stmt_step(&q, err);
    }
    stmt_finish(&q);
    if (rc)
        return rc;
    rc = stmt_prepare(&q, s, SQL_RESERVE, FIELD, "het vastleggen van een idempotentiesleutel", err);
    if (rc == 0) {
        STMT_BIND_STR(&q, 1, r->user);
        STMT_BIND_STR(&q, 2, r->key);
        STMT_BIND_STR(&q, 3, r->hash);
        stmt_bind_int(&q, 4, r->created);
        stmt_bind_int(&q, 5, r->case_id);
        STMT_BIND_STR(&q, 6, r->bsn);
        STMT_BIND_STR(&q, 7, r->object);
        rc = stmt_step(&q, err);
    }
    if (rc == 0 && stmt_changes(&q) == 0)
        rc = lks_err_set(err, LKS_ESTATE, "Idempotency-Key", "in-use",
                         "deze sleutel is intussen voor een ander verzoek gebruikt");
    stmt_finish(&q);
    return rc;
}

int store_idem_finish(struct store *s, const struct store_idem *r, const char *body, size_t len,
                      struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_FINISH, FIELD,
                          "het vastleggen van het antwoord bij een idempotentiesleutel", err);
    if (rc == 0) {
        STMT_BIND_STR(&q, 1, r->user);
        STMT_BIND_STR(&q, 2, r->key);
        STMT_BIND_STR(&q, 3, r->hash);
        stmt_bind_int(&q, 4, r->created);
        stmt_bind_int(&q, 5, r->status);
        stmt_bind_int(&q, 6, r->case_id);
        STMT_BIND_STR(&q, 7, r->content_type);
        STMT_BIND_STR(&q, 8, r->location);
        STMT_BIND_STR(&q, 9, r->bsn);
        STMT_BIND_STR(&q, 10, r->object);
        stmt_bind_bytes(&q, 11, body ? body : "", len);
        rc = stmt_step(&q, err);
    }
    stmt_finish(&q);
    return rc;
}

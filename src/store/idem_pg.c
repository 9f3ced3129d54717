/*
 * idem_pg — idempotency keys on the PostgreSQL engine (store.h; migration 6), as
 * idem_sqlite.c. Two servers given the same key at once: the second reservation meets
 * the primary key and is refused (LKS_ESTATE), so only one change commits with the key.
 * The body is bytea, bound and read in binary, so it comes back byte for byte.
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_private.h"
#include "store/store_engine.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

static const char SQL_GET[] =
    "SELECT hash,created,status,case_id,content_type,location,bsn,object,"
    "encode(body,'base64') FROM idempotency_keys WHERE user_name=$1 AND idem_key=$2";
static const char SQL_EXPIRE[] = "DELETE FROM idempotency_keys WHERE user_name=$1 AND created<$2";
static const char SQL_RESERVE[] =
    "INSERT INTO idempotency_keys(user_name,idem_key,hash,created,status,case_id,content_type,"
    "location,bsn,object,body) VALUES($1,$2,$3,$4,0,$5,'','',$6,$7,NULL) "
    "ON CONFLICT(user_name,idem_key) DO NOTHING";
static const char SQL_FINISH[] =
    "INSERT INTO idempotency_keys(user_name,idem_key,hash,created,status,case_id,content_type,"
    "location,bsn,object,body) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) "
    "ON CONFLICT(user_name,idem_key) DO UPDATE SET status=excluded.status,"
    "content_type=excluded.content_type,location=excluded.location,body=excluded.body "
    "WHERE idempotency_keys.hash=excluded.hash AND idempotency_keys.status=0";

/* base64 text (what encode(…, 'base64') gives, with line breaks) into bytes. */
static int unbase64(const char *in, char **out, size_t *len)
{
    size_t n = strlen(in);
    char *b = malloc(n / 4 * 3 + 4);
    if (!b)
        return -1;
    uint32_t acc = 0;
    int bits = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)in[i], v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else
            continue; /* '=' and line breaks */
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            b[k++] = (char)((acc >> bits) & 0xff);
        }
    }
    b[k] = '\0';
    *out = b;
    *len = k;
    return 0;
}

int pg_idem_get(struct pg_store *s, const char *user, const char *key, struct store_idem *out,
                char **body, size_t *len, struct lks_err *err)
{
    ERR_GUARD(err);
    *body = NULL;
    *len = 0;
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, user);
    pgp_cstr(p, key);
    PGresult *r = pg_run(s, SQL_GET, "idempotency_keys", "het lezen van een idempotentiesleutel",
                         err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return lks_err_set(err, LKS_ENOTFOUND, "Idempotency-Key", "not-found",
                           "deze sleutel is niet gebruikt");
    }
    memset(out, 0, sizeof *out);
    snprintf(out->user, sizeof out->user, "%s", user);
    snprintf(out->key, sizeof out->key, "%s", key);
    pg_col_text(r, 0, 0, out->hash, sizeof out->hash);
    out->created = pg_col_int(r, 0, 1);
    out->status = (int)pg_col_int(r, 0, 2);
    out->case_id = pg_col_int(r, 0, 3);
    pg_col_text(r, 0, 4, out->content_type, sizeof out->content_type);
    pg_col_text(r, 0, 5, out->location, sizeof out->location);
    pg_col_text(r, 0, 6, out->bsn, sizeof out->bsn);
    pg_col_text(r, 0, 7, out->object, sizeof out->object);
    if (!PQgetisnull(r, 0, 8) && unbase64(PQgetvalue(r, 0, 8), body, len))
        rc = lks_err_set(err, LKS_ENOMEM, "idempotency_keys", "no-memory", "onvoldoende geheugen");
    PQclear(r);
    return rc;
}

int pg_idem_reserve(struct pg_store *s, const struct store_idem *r, int64_t expire_before,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    if (!pg_in_tx(s))
        return lks_err_set(err, LKS_EINVAL, "transactie", "no-transaction",
                           "een idempotentiesleutel wordt binnen de transactie van de wijziging "
                           "vastgelegd");
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, r->user);
    pgp_int(p, expire_before);
    PGresult *res = pg_run(s, SQL_EXPIRE, "idempotency_keys",
                           "het opruimen van oude idempotentiesleutels", err);
    if (!res)
        return err->code;
    PQclear(res);
    p = pg_params(s);
    pgp_cstr(p, r->user);
    pgp_cstr(p, r->key);
    pgp_cstr(p, r->hash);
    pgp_int(p, r->created);
    pgp_int(p, r->case_id);
    pgp_cstr(p, r->bsn);
    pgp_cstr(p, r->object);
    res = pg_run(s, SQL_RESERVE, "idempotency_keys", "het vastleggen van een idempotentiesleutel",
                 err);
    if (!res)
        return err->code;
    int64_t n = pg_changes(res);
    PQclear(res);
    if (n == 0)
        return lks_err_set(err, LKS_ESTATE, "Idempotency-Key", "in-use",
                           "deze sleutel is intussen voor een ander verzoek gebruikt");
    return 0;
}

int pg_idem_finish(struct pg_store *s, const struct store_idem *r, const char *body, size_t len,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, r->user);
    pgp_cstr(p, r->key);
    pgp_cstr(p, r->hash);
    pgp_int(p, r->created);
    pgp_int(p, r->status);
    pgp_int(p, r->case_id);
    pgp_cstr(p, r->content_type);
    pgp_cstr(p, r->location);
    pgp_cstr(p, r->bsn);
    pgp_cstr(p, r->object);
    pgp_bytes(p, body ? body : "", len);
    PGresult *res = pg_run(s, SQL_FINISH, "idempotency_keys",
                           "het vastleggen van het antwoord bij een idempotentiesleutel", err);
    if (!res)
        return err->code;
    PQclear(res);
    return 0;
}

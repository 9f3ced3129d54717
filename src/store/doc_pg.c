/*
 * doc_pg — the documents of a case on the PostgreSQL engine, as doc_sqlite.c. The bytes
 * are bytea: bound in binary with parameters of their own (a document is bigger than the
 * store's parameter arena) and read back with PQunescapeBytea, so they come back byte for
 * byte.
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/doc_engine.h"
#include "store/pg_private.h"
#include "store/store_engine.h"

#define DOC_COLS                                                                                   \
    "id,tenant_id,case_id,kind,file_name,content_type,size,sha256,uploaded_by,uploaded_at"

static const char SQL_ADD[] =
    "INSERT INTO documents(tenant_id,case_id,kind,file_name,content_type,size,sha256,content,"
    "uploaded_by,uploaded_at) SELECT $1,$2::bigint,$3,$4,$5,$6::bigint,$7,$8::bytea,$9,$10::bigint "
    "WHERE EXISTS (SELECT 1 FROM cases WHERE id=$2::bigint AND tenant_id=$1) RETURNING id";
static const char SQL_LIST[] =
    "SELECT " DOC_COLS " FROM documents WHERE tenant_id=$1 AND case_id=$2 ORDER BY id DESC";
static const char SQL_GET[] =
    "SELECT " DOC_COLS ",content FROM documents WHERE tenant_id=$1 AND id=$2";

static void read_row(const PGresult *r, int row, struct store_document *d)
{
    memset(d, 0, sizeof *d);
    d->id = pg_col_int(r, row, 0);
    PG_COL_STR(r, row, 1, d->tenant);
    d->case_id = pg_col_int(r, row, 2);
    PG_COL_STR(r, row, 3, d->kind);
    PG_COL_STR(r, row, 4, d->file_name);
    PG_COL_STR(r, row, 5, d->content_type);
    d->size = pg_col_int(r, row, 6);
    PG_COL_STR(r, row, 7, d->sha256);
    PG_COL_STR(r, row, 8, d->uploaded_by);
    d->uploaded_at = pg_col_int(r, row, 9);
}

int pg_document_add(struct pg_store *s, struct store_document *d, const void *bytes, size_t len,
                    struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    if (!pg_in_tx(s))
        return lks_err_set(err, LKS_EINVAL, "transactie", "no-transaction",
                           "een document wordt binnen een schrijftransactie vastgelegd");
    if (len == 0 || len > STORE_DOC_MAX_BYTES || (int64_t)len != d->size)
        return lks_err_set(err, LKS_EINVAL, "bestand", "size",
                           "de grootte van het document klopt niet");
    char case_id[24], size[24], at[24];
    snprintf(case_id, sizeof case_id, "%lld", (long long)d->case_id);
    snprintf(size, sizeof size, "%lld", (long long)d->size);
    snprintf(at, sizeof at, "%lld", (long long)d->uploaded_at);
    const char *v[10] = {d->tenant, case_id,   d->kind, d->file_name,   d->content_type,
                         size,      d->sha256, bytes,   d->uploaded_by, at};
    int lens[10] = {0, 0, 0, 0, 0, 0, 0, (int)len, 0, 0};
    int fmts[10] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
    PGresult *r = pg_run_params(s, SQL_ADD, 10, v, lens, fmts, "documenten",
                                "het vastleggen van een document", err);
    if (!r)
        return err->code;
    if (PQntuples(r) != 1)
        rc = lks_err_set(err, LKS_ENOTFOUND, "zaak", "not-found", "zaak %lld bestaat niet",
                         (long long)d->case_id);
    else
        d->id = pg_col_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int pg_document_list(struct pg_store *s, const char *tenant, int64_t case_id,
                     int (*cb)(void *arg, const struct store_document *d), void *arg,
                     struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, case_id);
    PGresult *r = pg_run(s, SQL_LIST, "documenten", "het lezen van de documenten", err);
    if (!r)
        return err->code;
    int n = PQntuples(r);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct store_document d;
        read_row(r, i, &d);
        rc = cb(arg, &d);
    }
    PQclear(r);
    return rc;
}

int pg_document_get(struct pg_store *s, const char *tenant, int64_t id, struct store_document *out,
                    char **bytes, size_t *len, struct lks_err *err)
{
    if (bytes)
        *bytes = NULL;
    if (len)
        *len = 0;
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, id);
    PGresult *r = pg_run(s, SQL_GET, "documenten", "het lezen van een document", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return lks_err_set(err, LKS_ENOTFOUND, "document", "not-found",
                           "document %lld bestaat niet", (long long)id);
    }
    read_row(r, 0, out);
    if (bytes) {
        size_t n = 0;
        unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 10), &n);
        char *b = raw ? malloc(n + 1) : NULL;
        if (!b) {
            rc = lks_err_set(err, LKS_ENOMEM, "documenten", "no-memory", "onvoldoende geheugen");
        } else {
            if (n)
                memcpy(b, raw, n);
            b[n] = '\0';
            *bytes = b;
            if (len)
                *len = n;
        }
        if (raw)
            PQfreemem(raw);
    }
    PQclear(r);
    return rc;
}

/*
 * documents — the documents of a case (store_documents.h; migration 9), once for both
 * engines on the statement layer (stmt.h). The bytes are a BLOB / bytea, bound where they
 * are (a document is bigger than PostgreSQL's parameter arena) and read back byte for
 * byte.
 *
 * Errors: every engine failure is an lks_err with a Dutch message plus the engine's own
 * text; a row the schema refuses is LKS_ESTATE; an add outside a write transaction
 * LKS_EINVAL; a case or document not of the tenant LKS_ENOTFOUND.
 */
#include <string.h>

#include "store/stmt.h"
#include "store/store_documents.h"

#define DOC_COLS                                                                                   \
    "id,tenant_id,case_id,kind,file_name,content_type,size,sha256,uploaded_by,uploaded_at"

static const char SQL_ADD[] =
    "INSERT INTO documents(tenant_id,case_id,kind,file_name,content_type,size,sha256,content,"
    "uploaded_by,uploaded_at) SELECT ?1,?2,?3,?4,?5,?6,?7,?8,?9,?10 "
    "WHERE EXISTS (SELECT 1 FROM cases WHERE id=?2 AND tenant_id=?1) RETURNING id";
static const char SQL_LIST[] =
    "SELECT " DOC_COLS " FROM documents WHERE tenant_id=?1 AND case_id=?2 ORDER BY id DESC";
static const char SQL_GET[] =
    "SELECT " DOC_COLS ",content FROM documents WHERE tenant_id=?1 AND id=?2";

static void read_row(const struct stmt *q, struct store_document *d)
{
    memset(d, 0, sizeof *d);
    d->id = stmt_col_int(q, 0);
    STMT_COL_STR(q, 1, d->tenant);
    d->case_id = stmt_col_int(q, 2);
    STMT_COL_STR(q, 3, d->kind);
    STMT_COL_STR(q, 4, d->file_name);
    STMT_COL_STR(q, 5, d->content_type);
    d->size = stmt_col_int(q, 6);
    STMT_COL_STR(q, 7, d->sha256);
    STMT_COL_STR(q, 8, d->uploaded_by);
    d->uploaded_at = stmt_col_int(q, 9);
}

int store_document_add(struct store *s, struct store_document *d, const void *bytes, size_t len,
                       struct lks_err *err)
{
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_ADD, "documenten", "het vastleggen van een document", err);
    if (rc == 0 && !stmt_in_tx(s))
        rc = lks_err_set(err, LKS_EINVAL, "transactie", "no-transaction",
                         "een document wordt binnen een schrijftransactie vastgelegd");
    else if (rc == 0 && (len == 0 || len > STORE_DOC_MAX_BYTES || (int64_t)len != d->size))
        rc = lks_err_set(err, LKS_EINVAL, "bestand", "size",
                         "de grootte van het document klopt niet");
    if (rc == 0) {
        STMT_BIND_STR(&q, 1, d->tenant);
        stmt_bind_int(&q, 2, d->case_id);
        STMT_BIND_STR(&q, 3, d->kind);
        STMT_BIND_STR(&q, 4, d->file_name);
        STMT_BIND_STR(&q, 5, d->content_type);
        stmt_bind_int(&q, 6, d->size);
        STMT_BIND_STR(&q, 7, d->sha256);
        stmt_bind_bytes(&q, 8, bytes, len);
        STMT_BIND_STR(&q, 9, d->uploaded_by);
        stmt_bind_int(&q, 10, d->uploaded_at);
        rc = stmt_step(&q, err);
    }
    if (rc == 1) {
        d->id = stmt_col_int(&q, 0);
        rc = 0;
    } else if (rc == 0) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "zaak", "not-found", "zaak %lld bestaat niet",
                         (long long)d->case_id);
    }
    stmt_finish(&q);
    return rc;
}

int store_document_list(struct store *s, const char *tenant, int64_t case_id,
                        int (*cb)(void *arg, const struct store_document *d), void *arg,
                        struct lks_err *err)
{
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_LIST, "documenten", "het lezen van de documenten", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_int(&q, 2, case_id);
    }
    while (rc == 0 && (rc = stmt_step(&q, err)) == 1) {
        struct store_document d;
        read_row(&q, &d);
        rc = cb(arg, &d);
    }
    stmt_finish(&q);
    return rc;
}

int store_document_get(struct store *s, const char *tenant, int64_t id, struct store_document *out,
                       char **bytes, size_t *len, struct lks_err *err)
{
    if (bytes)
        *bytes = NULL;
    if (len)
        *len = 0;
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_GET, "documenten", "het lezen van een document", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_int(&q, 2, id);
        rc = stmt_step(&q, err);
    }
    if (rc == 1) {
        read_row(&q, out);
        size_t n = 0;
        rc = bytes ? stmt_col_bytes(&q, 10, (unsigned char **)bytes, &n, err) : 0;
        if (rc == 0 && len)
            *len = n;
    } else if (rc == 0) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "document", "not-found", "document %lld bestaat niet",
                         (long long)id);
    }
    stmt_finish(&q);
    return rc;
}

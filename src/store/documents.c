/*
 * documents — store_documents.h on either engine: each call forwarded to the engine of
 * the store (doc_sqlite.c, doc_pg.c), as store.c does for the others.
 */
#include "store/doc_engine.h"
#include "store/store_engine.h"

int store_document_add(struct store *s, struct store_document *d, const void *bytes, size_t len,
                       struct lks_err *err)
{
    if (s->pg)
        return pg_document_add(s->pg, d, bytes, len, err);
    return sq_document_add(s->sq, d, bytes, len, err);
}

int store_document_list(struct store *s, const char *tenant, int64_t case_id,
                        int (*cb)(void *arg, const struct store_document *d), void *arg,
                        struct lks_err *err)
{
    if (s->pg)
        return pg_document_list(s->pg, tenant, case_id, cb, arg, err);
    return sq_document_list(s->sq, tenant, case_id, cb, arg, err);
}

int store_document_get(struct store *s, const char *tenant, int64_t id, struct store_document *out,
                       char **bytes, size_t *len, struct lks_err *err)
{
    if (s->pg)
        return pg_document_get(s->pg, tenant, id, out, bytes, len, err);
    return sq_document_get(s->sq, tenant, id, out, bytes, len, err);
}

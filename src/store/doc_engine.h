/*
 * doc_engine — the engines' halves of store_documents.h (private to src/store): sq_ in
 * doc_sqlite.c, pg_ in doc_pg.c; documents.c picks one by the store.
 */
#ifndef LKS_STORE_DOC_ENGINE_H
#define LKS_STORE_DOC_ENGINE_H

#include "store/store_documents.h"

struct sq_store;
struct pg_store;

int sq_document_add(struct sq_store *s, struct store_document *d, const void *bytes, size_t len,
                    struct lks_err *err);
int sq_document_list(struct sq_store *s, const char *tenant, int64_t case_id,
                     int (*cb)(void *arg, const struct store_document *d), void *arg,
                     struct lks_err *err);
int sq_document_get(struct sq_store *s, const char *tenant, int64_t id, struct store_document *out,
                    char **bytes, size_t *len, struct lks_err *err);
int pg_document_add(struct pg_store *s, struct store_document *d, const void *bytes, size_t len,
                    struct lks_err *err);
int pg_document_list(struct pg_store *s, const char *tenant, int64_t case_id,
                     int (*cb)(void *arg, const struct store_document *d), void *arg,
                     struct lks_err *err);
int pg_document_get(struct pg_store *s, const char *tenant, int64_t id, struct store_document *out,
                    char **bytes, size_t *len, struct lks_err *err);

#endif

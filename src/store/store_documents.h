/*
 * store_documents — the documents of a case in the store (migration 9): what was uploaded
 * (the employment contract, a wage-value report, other), its bytes and what was checked
 * about them.
 *
 * The store keeps and finds documents; it does not decide who may see one or whether the
 * bytes are what their type says (the app layer does: app.h, app_document_*). Every call is
 * scoped by tenant: a document of another municipality does not exist for it. Rows are
 * only added. The same on both engines (doc_sqlite.c, doc_pg.c; dispatched in
 * documents.c): the bytes come back exactly as they went in.
 *
 * Errors are values: LKS_ENOTFOUND for a document that is not there (in that tenant),
 * LKS_ESTATE for a row the database refuses (an unknown kind or type, a case that does not
 * exist), LKS_ENOMEM, or the engine's failure in Dutch.
 */
#ifndef LKS_STORE_STORE_DOCUMENTS_H
#define LKS_STORE_STORE_DOCUMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "case/model.h"
#include "store/store.h"

#define STORE_DOC_MAX_BYTES (10u << 20) /* one document at most: 10 MiB */
#define STORE_DOC_NAME      256         /* bytes of a file name (with its NUL) */

struct store_document {
    int64_t id;
    char tenant[CASE_ID];
    int64_t case_id;
    char kind[24]; /* "arbeidsovereenkomst", "loonwaarderapport", "overig" */
    char file_name[STORE_DOC_NAME];
    char content_type[24]; /* "application/pdf", "image/png", "image/jpeg" */
    int64_t size;          /* bytes */
    char sha256[65];       /* hex */
    char uploaded_by[CASE_USER];
    int64_t uploaded_at; /* seconds since the epoch */
};

/* Add a document with its `len` bytes inside the caller's write transaction; d->id is
 * set. d->size must be len. */
int store_document_add(struct store *s, struct store_document *d, const void *bytes, size_t len,
                       struct lks_err *err);

/* The documents of a case of the tenant (without their bytes), newest first; cb returning
 * non-zero stops (and is returned). */
int store_document_list(struct store *s, const char *tenant, int64_t case_id,
                        int (*cb)(void *arg, const struct store_document *d), void *arg,
                        struct lks_err *err);

/* One document of the tenant; with `bytes` non-NULL also its content (malloc'd, the caller
 * frees it; *len its size). */
int store_document_get(struct store *s, const char *tenant, int64_t id, struct store_document *out,
                       char **bytes, size_t *len, struct lks_err *err);

#endif

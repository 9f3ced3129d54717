/*
 * letters_sqlite — a municipality's letter settings and the letters as sent, on the
 * SQLite engine (store.h; migration 10). A stored letter is never changed: the table's
 * triggers refuse UPDATE and DELETE, and a second letter with the same key is refused
 * (LKS_ESTATE) so the first stays. Statements are cached on the connection.
 *
 * Errors: every SQLite failure is an lks_err with a Dutch message plus SQLite's own text.
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

static const char SQL_SET_GET[] =
    "SELECT name,address,postcode,city,signer,signer_function,objection_to,objection_address,"
    "contact,logo_type,logo FROM letter_settings WHERE tenant_id=?1";
static const char SQL_SET_PUT[] =
    "INSERT INTO letter_settings(tenant_id,name,address,postcode,city,signer,signer_function,"
    "objection_to,objection_address,contact,logo_type,logo,changed,changed_by) "
    "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14) ON CONFLICT(tenant_id) DO UPDATE SET "
    "name=excluded.name,address=excluded.address,postcode=excluded.postcode,city=excluded.city,"
    "signer=excluded.signer,signer_function=excluded.signer_function,"
    "objection_to=excluded.objection_to,objection_address=excluded.objection_address,"
    "contact=excluded.contact,logo_type=excluded.logo_type,logo=excluded.logo,"
    "changed=excluded.changed,changed_by=excluded.changed_by";
static const char SQL_GET[] =
    "SELECT sha256,created,bytes FROM letters WHERE tenant_id=?1 AND case_id=?2 AND kind=?3 "
    "AND n=?4 AND recipient=?5";
static const char SQL_PUT[] =
    "INSERT INTO letters(tenant_id,case_id,kind,n,recipient,sha256,bytes,created) "
    "VALUES(?1,?2,?3,?4,?5,?6,?7,?8)";

static sqlite3_stmt *prep(struct sq_store *s, const char *sql, struct lks_err *err)
{
    int rc = SQLITE_OK;
    sqlite3_stmt *st = store_sqlite_cached(s, sql, &rc);
    if (!st)
        store_sqlite_fail(sq_handle(s), rc, "brieven", "het voorbereiden van een brief", err);
    return st;
}

static int blob_copy(sqlite3_stmt *st, int col, unsigned char **out, size_t *len,
                     struct lks_err *err)
{
    *out = NULL;
    *len = 0;
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return 0;
    int n = sqlite3_column_bytes(st, col);
    const void *b = sqlite3_column_blob(st, col);
    *out = malloc((size_t)n + 1);
    if (!*out)
        return lks_err_set(err, LKS_ENOMEM, "brieven", "no-memory", "onvoldoende geheugen");
    if (n)
        memcpy(*out, b, (size_t)n);
    *len = (size_t)n;
    return 0;
}

int sq_letter_settings_get(struct sq_store *s, const char *tenant, struct letter_settings *out,
                           struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_SET_GET, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        snprintf(out->tenant, sizeof out->tenant, "%s", tenant);
        store_sqlite_col_text(st, 0, out->name, sizeof out->name);
        store_sqlite_col_text(st, 1, out->address, sizeof out->address);
        store_sqlite_col_text(st, 2, out->postcode, sizeof out->postcode);
        store_sqlite_col_text(st, 3, out->city, sizeof out->city);
        store_sqlite_col_text(st, 4, out->signer, sizeof out->signer);
        store_sqlite_col_text(st, 5, out->signer_function, sizeof out->signer_function);
        store_sqlite_col_text(st, 6, out->objection_to, sizeof out->objection_to);
        store_sqlite_col_text(st, 7, out->objection_address, sizeof out->objection_address);
        store_sqlite_col_text(st, 8, out->contact, sizeof out->contact);
        store_sqlite_col_text(st, 9, out->logo_type, sizeof out->logo_type);
        rc = blob_copy(st, 10, &out->logo, &out->logo_len, err);
    } else if (src == SQLITE_DONE) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "gemeente", "not-found",
                         "gemeente %s heeft geen briefinstellingen", tenant);
    } else {
        rc = store_sqlite_fail(sq_handle(s), src, "letter_settings",
                               "het lezen van de briefinstellingen", err);
    }
    store_sqlite_release(s, st);
    return rc;
}

int sq_letter_settings_put(struct sq_store *s, const struct letter_settings *in, const char *by,
                           int64_t at, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_SET_PUT, err);
    if (!st)
        return err->code;
    const char *t[] = {in->tenant,          in->name,         in->address,
                       in->postcode,        in->city,         in->signer,
                       in->signer_function, in->objection_to, in->objection_address,
                       in->contact,         in->logo_type};
    for (int i = 0; i < 11; i++)
        sqlite3_bind_text(st, i + 1, t[i], -1, SQLITE_STATIC);
    if (in->logo && in->logo_len)
        sqlite3_bind_blob(st, 12, in->logo, (int)in->logo_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 12);
    sqlite3_bind_int64(st, 13, at);
    sqlite3_bind_text(st, 14, by, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    store_sqlite_release(s, st);
    if (src != SQLITE_DONE)
        return store_sqlite_fail(sq_handle(s), src, "letter_settings",
                                 "het opslaan van de briefinstellingen", err);
    return 0;
}

int sq_letter_get(struct sq_store *s, const char *tenant, int64_t case_id, const char *kind, int n,
                  const char *recipient, struct store_letter *out, unsigned char **bytes,
                  size_t *len, struct lks_err *err)
{
    ERR_GUARD(err);
    *bytes = NULL;
    *len = 0;
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_GET, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, case_id);
    sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, n);
    sqlite3_bind_text(st, 5, recipient, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        snprintf(out->kind, sizeof out->kind, "%s", kind);
        out->n = n;
        snprintf(out->recipient, sizeof out->recipient, "%s", recipient);
        store_sqlite_col_text(st, 0, out->sha256, sizeof out->sha256);
        out->created = sqlite3_column_int64(st, 1);
        rc = blob_copy(st, 2, bytes, len, err);
    } else if (src == SQLITE_DONE) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "brief", "not-found", "deze brief is niet opgeslagen");
    } else {
        rc = store_sqlite_fail(sq_handle(s), src, "letters", "het lezen van een brief", err);
    }
    store_sqlite_release(s, st);
    return rc;
}

int sq_letter_put(struct sq_store *s, const char *tenant, int64_t case_id,
                  const struct store_letter *l, const unsigned char *bytes, size_t len,
                  struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = prep(s, SQL_PUT, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, case_id);
    sqlite3_bind_text(st, 3, l->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, l->n);
    sqlite3_bind_text(st, 5, l->recipient, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, l->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, bytes, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, l->created);
    int src = sqlite3_step(st);
    store_sqlite_release(s, st);
    if ((src & 0xff) == SQLITE_CONSTRAINT)
        return lks_err_set(err, LKS_ESTATE, "brief", "sent",
                           "deze brief is al verzonden en wordt niet veranderd");
    if (src != SQLITE_DONE)
        return store_sqlite_fail(sq_handle(s), src, "letters", "het opslaan van een brief", err);
    return 0;
}

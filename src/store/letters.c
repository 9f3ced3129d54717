/*
 * letters — a municipality's letter settings and the letters as sent (store.h;
 * migration 10), once for both engines on the statement layer (stmt.h). A stored letter
 * is never changed: the table's triggers refuse UPDATE and DELETE, and a second letter
 * with the same key is refused (LKS_ESTATE) so the first stays; two servers storing the
 * same letter at once: the second meets the primary key (ON CONFLICT DO NOTHING) and
 * keeps the first. Bytes are bound as they are and come back byte for byte.
 *
 * Errors: every engine failure is an lks_err with a Dutch message plus the engine's text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/stmt.h"

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
    "VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT DO NOTHING";

int store_letter_settings_get(struct store *s, const char *tenant, struct letter_settings *out,
                              struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_SET_GET, "letter_settings",
                          "het lezen van de briefinstellingen", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        rc = stmt_step(&q, err);
    }
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        snprintf(out->tenant, sizeof out->tenant, "%s", tenant);
        STMT_COL_STR(&q, 0, out->name);
        STMT_COL_STR(&q, 1, out->address);
        STMT_COL_STR(&q, 2, out->postcode);
        STMT_COL_STR(&q, 3, out->city);
        STMT_COL_STR(&q, 4, out->signer);
        STMT_COL_STR(&q, 5, out->signer_function);
        STMT_COL_STR(&q, 6, out->objection_to);
        STMT_COL_STR(&q, 7, out->objection_address);
        STMT_COL_STR(&q, 8, out->contact);
        STMT_COL_STR(&q, 9, out->logo_type);
        rc = stmt_col_bytes(&q, 10, &out->logo, &out->logo_len, err);
    } else if (rc == 0) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "gemeente", "not-found",
                         "gemeente %s heeft geen briefinstellingen", tenant);
    }
    stmt_finish(&q);
    return rc;
}

int store_letter_settings_put(struct store *s, const struct letter_settings *in, const char *by,
                              int64_t at, struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_SET_PUT, "letter_settings",
                          "het opslaan van de briefinstellingen", err);
    if (rc == 0) {
        const char *t[] = {in->tenant,          in->name,         in->address,
                           in->postcode,        in->city,         in->signer,
                           in->signer_function, in->objection_to, in->objection_address,
                           in->contact,         in->logo_type};
        for (int i = 0; i < 11; i++)
            stmt_bind_cstr(&q, i + 1, t[i]);
        stmt_bind_bytes(&q, 12, in->logo_len ? in->logo : NULL, in->logo_len);
        stmt_bind_int(&q, 13, at);
        stmt_bind_cstr(&q, 14, by);
        rc = stmt_step(&q, err);
    }
    stmt_finish(&q);
    return rc < 0 ? rc : 0;
}

int store_letter_get(struct store *s, const char *tenant, int64_t case_id, const char *kind, int n,
                     const char *recipient, struct store_letter *out, unsigned char **bytes,
                     size_t *len, struct lks_err *err)
{
    ERR_GUARD(err);
    *bytes = NULL;
    *len = 0;
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_GET, "letters", "het lezen van een brief", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_int(&q, 2, case_id);
        stmt_bind_cstr(&q, 3, kind);
        stmt_bind_int(&q, 4, n);
        stmt_bind_cstr(&q, 5, recipient);
        rc = stmt_step(&q, err);
    }
    if (rc == 1) {
        memset(out, 0, sizeof *out);
        snprintf(out->kind, sizeof out->kind, "%s", kind);
        out->n = n;
        snprintf(out->recipient, sizeof out->recipient, "%s", recipient);
        STMT_COL_STR(&q, 0, out->sha256);
        out->created = stmt_col_int(&q, 1);
        rc = stmt_col_bytes(&q, 2, bytes, len, err);
    } else if (rc == 0) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "brief", "not-found", "deze brief is niet opgeslagen");
    }
    stmt_finish(&q);
    return rc;
}

int store_letter_put(struct store *s, const char *tenant, int64_t case_id,
                     const struct store_letter *l, const unsigned char *bytes, size_t len,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_PUT, "letters", "het opslaan van een brief", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_int(&q, 2, case_id);
        stmt_bind_cstr(&q, 3, l->kind);
        stmt_bind_int(&q, 4, l->n);
        stmt_bind_cstr(&q, 5, l->recipient);
        stmt_bind_cstr(&q, 6, l->sha256);
        stmt_bind_bytes(&q, 7, bytes ? (const void *)bytes : "", len);
        stmt_bind_int(&q, 8, l->created);
        rc = stmt_step(&q, err);
    }
    if (rc == 0 && stmt_changes(&q) == 0)
        rc = lks_err_set(err, LKS_ESTATE, "brief", "sent",
                         "deze brief is al verzonden en wordt niet veranderd");
    stmt_finish(&q);
    return rc < 0 ? rc : 0;
}

/*
 * letters_pg — letter settings and the letters as sent on the PostgreSQL engine
 * (store.h; migration 10), as letters_sqlite.c. Bytes are bound as bytea and read back
 * hex-encoded, so a letter comes back byte for byte. Two servers storing the same letter
 * at once: the second meets the primary key and keeps the first (LKS_ESTATE).
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

static const char SQL_SET_GET[] =
    "SELECT name,address,postcode,city,signer,signer_function,objection_to,objection_address,"
    "contact,logo_type,encode(logo,'hex') FROM letter_settings WHERE tenant_id=$1";
static const char SQL_SET_PUT[] =
    "INSERT INTO letter_settings(tenant_id,name,address,postcode,city,signer,signer_function,"
    "objection_to,objection_address,contact,logo_type,logo,changed,changed_by) "
    "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT(tenant_id) DO UPDATE SET "
    "name=excluded.name,address=excluded.address,postcode=excluded.postcode,city=excluded.city,"
    "signer=excluded.signer,signer_function=excluded.signer_function,"
    "objection_to=excluded.objection_to,objection_address=excluded.objection_address,"
    "contact=excluded.contact,logo_type=excluded.logo_type,logo=excluded.logo,"
    "changed=excluded.changed,changed_by=excluded.changed_by";
static const char SQL_GET[] =
    "SELECT sha256,created,encode(bytes,'hex') FROM letters WHERE tenant_id=$1 AND case_id=$2 "
    "AND kind=$3 AND n=$4 AND recipient=$5";
static const char SQL_PUT[] =
    "INSERT INTO letters(tenant_id,case_id,kind,n,recipient,sha256,bytes,created) "
    "VALUES($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING";

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* hex text into malloc'd bytes; NULL column: none. */
static int unhex(const PGresult *r, int col, unsigned char **out, size_t *len, struct lks_err *err)
{
    *out = NULL;
    *len = 0;
    if (PQgetisnull(r, 0, col))
        return 0;
    const char *h = PQgetvalue(r, 0, col);
    size_t n = strlen(h) / 2;
    unsigned char *b = malloc(n + 1);
    if (!b)
        return lks_err_set(err, LKS_ENOMEM, "brieven", "no-memory", "onvoldoende geheugen");
    for (size_t i = 0; i < n; i++) {
        int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(b);
            return lks_err_set(err, LKS_EIO, "brieven", "bad-bytes",
                               "de opgeslagen bytes zijn onleesbaar");
        }
        b[i] = (unsigned char)(hi << 4 | lo);
    }
    *out = b;
    *len = n;
    return 0;
}

int pg_letter_settings_get(struct pg_store *s, const char *tenant, struct letter_settings *out,
                           struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    PGresult *r =
        pg_run(s, SQL_SET_GET, "letter_settings", "het lezen van de briefinstellingen", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return lks_err_set(err, LKS_ENOTFOUND, "gemeente", "not-found",
                           "gemeente %s heeft geen briefinstellingen", tenant);
    }
    memset(out, 0, sizeof *out);
    snprintf(out->tenant, sizeof out->tenant, "%s", tenant);
    pg_col_text(r, 0, 0, out->name, sizeof out->name);
    pg_col_text(r, 0, 1, out->address, sizeof out->address);
    pg_col_text(r, 0, 2, out->postcode, sizeof out->postcode);
    pg_col_text(r, 0, 3, out->city, sizeof out->city);
    pg_col_text(r, 0, 4, out->signer, sizeof out->signer);
    pg_col_text(r, 0, 5, out->signer_function, sizeof out->signer_function);
    pg_col_text(r, 0, 6, out->objection_to, sizeof out->objection_to);
    pg_col_text(r, 0, 7, out->objection_address, sizeof out->objection_address);
    pg_col_text(r, 0, 8, out->contact, sizeof out->contact);
    pg_col_text(r, 0, 9, out->logo_type, sizeof out->logo_type);
    rc = unhex(r, 10, &out->logo, &out->logo_len, err);
    PQclear(r);
    return rc;
}

int pg_letter_settings_put(struct pg_store *s, const struct letter_settings *in, const char *by,
                           int64_t at, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    const char *t[] = {in->tenant,          in->name,         in->address,
                       in->postcode,        in->city,         in->signer,
                       in->signer_function, in->objection_to, in->objection_address,
                       in->contact,         in->logo_type};
    for (int i = 0; i < 11; i++)
        pgp_cstr(p, t[i]);
    if (in->logo && in->logo_len)
        pgp_bytes_ref(p, in->logo, in->logo_len);
    else
        pgp_null(p);
    pgp_int(p, at);
    pgp_cstr(p, by);
    PGresult *r =
        pg_run(s, SQL_SET_PUT, "letter_settings", "het opslaan van de briefinstellingen", err);
    if (!r)
        return err->code;
    PQclear(r);
    return 0;
}

int pg_letter_get(struct pg_store *s, const char *tenant, int64_t case_id, const char *kind, int n,
                  const char *recipient, struct store_letter *out, unsigned char **bytes,
                  size_t *len, struct lks_err *err)
{
    ERR_GUARD(err);
    *bytes = NULL;
    *len = 0;
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, case_id);
    pgp_cstr(p, kind);
    pgp_int(p, n);
    pgp_cstr(p, recipient);
    PGresult *r = pg_run(s, SQL_GET, "letters", "het lezen van een brief", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return lks_err_set(err, LKS_ENOTFOUND, "brief", "not-found",
                           "deze brief is niet opgeslagen");
    }
    memset(out, 0, sizeof *out);
    snprintf(out->kind, sizeof out->kind, "%s", kind);
    out->n = n;
    snprintf(out->recipient, sizeof out->recipient, "%s", recipient);
    pg_col_text(r, 0, 0, out->sha256, sizeof out->sha256);
    out->created = pg_col_int(r, 0, 1);
    rc = unhex(r, 2, bytes, len, err);
    PQclear(r);
    return rc;
}

int pg_letter_put(struct pg_store *s, const char *tenant, int64_t case_id,
                  const struct store_letter *l, const unsigned char *bytes, size_t len,
                  struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, case_id);
    pgp_cstr(p, l->kind);
    pgp_int(p, l->n);
    pgp_cstr(p, l->recipient);
    pgp_cstr(p, l->sha256);
    pgp_bytes_ref(p, bytes, len);
    pgp_int(p, l->created);
    PGresult *r = pg_run(s, SQL_PUT, "letters", "het opslaan van een brief", err);
    if (!r)
        return err->code;
    int64_t changed = pg_changes(r);
    PQclear(r);
    if (changed == 0)
        return lks_err_set(err, LKS_ESTATE, "brief", "sent",
                           "deze brief is al verzonden en wordt niet veranderd");
    return 0;
}

/*
 * draft_pg — the drafts (store_draft.h, migration 8) on the PostgreSQL engine. Every
 * statement names the tenant and the owner, so another user's draft is never touched.
 * Results are read whole before a callback runs (pg_private.h).
 *
 * Errors: a server failure is an lks_err with a Dutch message and the server's text; no
 * row for tenant, owner and id is LKS_ENOTFOUND; out of memory for a draft's text is
 * LKS_ENOMEM.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/draft_engine.h"
#include "store/pg_private.h"

static const char SQL_INSERT[] =
    "INSERT INTO drafts(tenant_id,owner,kvk,kind,data,created,updated) "
    "VALUES($1,$2,$3,$4,$5,$6,$6) RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE drafts SET data=$4, updated=$5 WHERE id=$3 AND tenant_id=$1 AND owner=$2";
static const char SQL_GET[] = "SELECT id,tenant_id,owner,coalesce(kvk,''),kind,created,updated,"
                              "data FROM drafts WHERE id=$3 AND tenant_id=$1 AND owner=$2";
static const char SQL_DELETE[] = "DELETE FROM drafts WHERE id=$3 AND tenant_id=$1 AND owner=$2";
static const char SQL_LIST[] = "SELECT id,tenant_id,owner,coalesce(kvk,''),kind,created,updated,"
                               "data FROM drafts WHERE tenant_id=$1 AND owner=$2 "
                               "ORDER BY updated DESC, id DESC LIMIT $3";

int pg_draft_put(struct pg_store *s, struct store_draft *d, struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    /* the text is bigger than the parameter arena: its own parameters */
    char id[24], at[24], created[24];
    snprintf(id, sizeof id, "%lld", (long long)d->id);
    snprintf(at, sizeof at, "%lld", (long long)d->updated);
    snprintf(created, sizeof created, "%lld", (long long)d->created);
    PGresult *r;
    if (d->id) {
        const char *v[5] = {d->tenant, d->owner, id, d->data, at};
        r = pg_run_params(s, SQL_UPDATE, 5, v, NULL, NULL, "concept", "het opslaan van het concept",
                          err);
        if (!r)
            return err->code;
        if (pg_changes(r) == 0)
            rc = store_draft_not_found(err, d->id);
    } else {
        const char *v[6] = {d->tenant, d->owner, d->kvk[0] ? d->kvk : NULL,
                            d->kind,   d->data,  created};
        r = pg_run_params(s, SQL_INSERT, 6, v, NULL, NULL, "concept", "het opslaan van het concept",
                          err);
        if (!r)
            return err->code;
        d->id = pg_col_int(r, 0, 0);
    }
    PQclear(r);
    return rc;
}

static int row(const PGresult *r, int i, struct store_draft *d, bool copy, struct lks_err *err)
{
    d->id = pg_col_int(r, i, 0);
    PG_COL_STR(r, i, 1, d->tenant);
    PG_COL_STR(r, i, 2, d->owner);
    PG_COL_STR(r, i, 3, d->kvk);
    PG_COL_STR(r, i, 4, d->kind);
    d->created = pg_col_int(r, i, 5);
    d->updated = pg_col_int(r, i, 6);
    const char *t = pg_col_cstr(r, i, 7);
    if (!copy) {
        d->data = (char *)t;
        return 0;
    }
    d->data = strdup(t);
    if (!d->data)
        return lks_err_set(err, LKS_ENOMEM, "concept", "no-memory", "onvoldoende geheugen");
    return 0;
}

static void params_owner(struct pg_store *s, const char *tenant, const char *owner, int64_t n)
{
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_cstr(p, owner);
    pgp_int(p, n);
}

int pg_draft_get(struct pg_store *s, const char *tenant, const char *owner, int64_t id,
                 struct store_draft *out, struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    params_owner(s, tenant, owner, id);
    PGresult *r = pg_run(s, SQL_GET, "concept", "het lezen van het concept", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 1)
        rc = row(r, 0, out, true, err);
    else
        rc = store_draft_not_found(err, id);
    PQclear(r);
    return rc;
}

int pg_draft_delete(struct pg_store *s, const char *tenant, const char *owner, int64_t id,
                    struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    params_owner(s, tenant, owner, id);
    PGresult *r = pg_run(s, SQL_DELETE, "concept", "het verwijderen van het concept", err);
    if (!r)
        return err->code;
    if (pg_changes(r) == 0)
        rc = store_draft_not_found(err, id);
    PQclear(r);
    return rc;
}

int pg_draft_list(struct pg_store *s, const char *tenant, const char *owner, int max,
                  int (*cb)(void *arg, const struct store_draft *d), void *arg, struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    params_owner(s, tenant, owner, max);
    PGresult *r = pg_run(s, SQL_LIST, "concept", "het lezen van de concepten", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct store_draft d;
        memset(&d, 0, sizeof d);
        row(r, i, &d, false, err);
        rc = cb(arg, &d);
    }
    PQclear(r);
    return rc;
}

/*
 * filter_pg — the saved filters (store_filter.h, migration 12) on the PostgreSQL engine.
 * Every statement names the tenant and the owner, so another user's filter is never
 * touched. Results are read whole before a callback runs (pg_private.h).
 *
 * Errors: a server failure is an lks_err with a Dutch message and the server's text; no
 * row for tenant, owner and id is LKS_ENOTFOUND; a name the owner has already is
 * LKS_ESTATE.
 */
#include <libpq-fe.h>
#include <string.h>

#include "store/filter_engine.h"
#include "store/pg_private.h"

static const char SQL_INSERT[] =
    "INSERT INTO saved_filters(tenant_id,owner,name,query,created) VALUES($1,$2,$3,$4,$5)"
    " ON CONFLICT (tenant_id,owner,name) DO NOTHING RETURNING id";
static const char SQL_GET[] = "SELECT id,tenant_id,owner,name,query,created FROM saved_filters"
                              " WHERE id=$3 AND tenant_id=$1 AND owner=$2";
static const char SQL_DELETE[] =
    "DELETE FROM saved_filters WHERE id=$3 AND tenant_id=$1 AND owner=$2";
static const char SQL_LIST[] = "SELECT id,tenant_id,owner,name,query,created FROM saved_filters"
                               " WHERE tenant_id=$1 AND owner=$2 ORDER BY name, id LIMIT $3";

static void params_owner(struct pg_store *s, const char *tenant, const char *owner, int64_t n)
{
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_cstr(p, owner);
    pgp_int(p, n);
}

int pg_filter_add(struct pg_store *s, struct store_filter *f, struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, f->tenant);
    pgp_cstr(p, f->owner);
    pgp_cstr(p, f->name);
    pgp_cstr(p, f->query);
    pgp_int(p, f->created);
    PGresult *r = pg_run(s, SQL_INSERT, "filter", "het opslaan van het filter", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 1)
        f->id = pg_col_int(r, 0, 0);
    else
        rc = store_filter_exists(err, f->name);
    PQclear(r);
    return rc;
}

static void row(const PGresult *r, int i, struct store_filter *f)
{
    f->id = pg_col_int(r, i, 0);
    PG_COL_STR(r, i, 1, f->tenant);
    PG_COL_STR(r, i, 2, f->owner);
    PG_COL_STR(r, i, 3, f->name);
    PG_COL_STR(r, i, 4, f->query);
    f->created = pg_col_int(r, i, 5);
}

int pg_filter_get(struct pg_store *s, const char *tenant, const char *owner, int64_t id,
                  struct store_filter *out, struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    params_owner(s, tenant, owner, id);
    PGresult *r = pg_run(s, SQL_GET, "filter", "het lezen van het filter", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 1)
        row(r, 0, out);
    else
        rc = store_filter_not_found(err, id);
    PQclear(r);
    return rc;
}

int pg_filter_delete(struct pg_store *s, const char *tenant, const char *owner, int64_t id,
                     struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    params_owner(s, tenant, owner, id);
    PGresult *r = pg_run(s, SQL_DELETE, "filter", "het verwijderen van het filter", err);
    if (!r)
        return err->code;
    if (pg_changes(r) == 0)
        rc = store_filter_not_found(err, id);
    PQclear(r);
    return rc;
}

int pg_filter_list(struct pg_store *s, const char *tenant, const char *owner, int max,
                   int (*cb)(void *arg, const struct store_filter *f), void *arg,
                   struct lks_err *err)
{
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    params_owner(s, tenant, owner, max);
    PGresult *r = pg_run(s, SQL_LIST, "filter", "het lezen van de filters", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct store_filter f;
        memset(&f, 0, sizeof f);
        row(r, i, &f);
        rc = cb(arg, &f);
    }
    PQclear(r);
    return rc;
}

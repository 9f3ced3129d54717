/*
 * rules_pg — the rule rows of the PostgreSQL engine (store.h, migration 3): rows an
 * operator added to the rule tables, append-only.
 *
 * Several servers may add at once. A write transaction is READ COMMITTED, so two adders
 * could each check their row against the rows without the other's: store_rule_lock
 * takes a table lock that conflicts with itself but not with readers (SHARE ROW
 * EXCLUSIVE), held to the end of the transaction, so adders take turns and each reads
 * (after the lock) every row committed before it. With adders in turn, ids are also in
 * commit order. The version is the number of rows, which changes with every row
 * committed whatever its id (rows are never changed or removed: the triggers refuse it).
 * The cells are json, not jsonb: kept as written, as on SQLite.
 *
 * Errors: every server failure is an lks_err with a Dutch message plus the server's
 * text; a refused constraint (an unknown user, a value the table refuses) is
 * LKS_ESTATE.
 */
#include <libpq-fe.h>
#include <string.h>

#include "store/pg_private.h"
#include "store/store_engine.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

static const char SQL_RULE_LOCK[] = "LOCK TABLE rule_rows IN SHARE ROW EXCLUSIVE MODE";
static const char SQL_RULE_ADD[] =
    "INSERT INTO rule_rows(rule_table,from_date,cells,source,added_by,added_at) "
    "VALUES($1,$2,$3,$4,$5,$6) RETURNING id";
static const char SQL_RULE_ROWS[] =
    "SELECT id,rule_table,from_date,cells,source,added_by,added_at FROM rule_rows ORDER BY id";
static const char SQL_RULE_COUNT[] = "SELECT count(*) FROM rule_rows";

static int in_write_tx(struct pg_store *s, struct lks_err *err)
{
    if (!pg_in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "no-transaction",
                           "een regel wordt toegevoegd binnen een transactie");
    return 0;
}

int pg_rule_lock(struct pg_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = pg_schema_ready(s, err);
    if (rc == 0)
        rc = in_write_tx(s, err);
    if (rc)
        return rc;
    pg_params(s);
    PGresult *r = pg_run(s, SQL_RULE_LOCK, "regels", "het vergrendelen van de regels", err);
    if (!r)
        return err->code;
    PQclear(r);
    return 0;
}

int pg_rule_add(struct pg_store *s, struct store_rule_row *row, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = pg_schema_ready(s, err);
    if (rc == 0)
        rc = in_write_tx(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, row->table);
    pgp_int(p, row->from);
    pgp_cstr(p, row->cells);
    pgp_cstr(p, row->source);
    pgp_cstr(p, row->user);
    pgp_int(p, row->at);
    PGresult *r = pg_run(s, SQL_RULE_ADD, "regels", "het opslaan van de regel", err);
    if (!r)
        return err->code;
    row->id = pg_col_int(r, 0, 0);
    PQclear(r);
    return 0;
}

int pg_rule_rows(struct pg_store *s, int (*cb)(void *arg, const struct store_rule_row *r),
                 void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    pg_params(s);
    PGresult *r = pg_run(s, SQL_RULE_ROWS, "regels", "het lezen van de regels", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct store_rule_row row = {
            .id = pg_col_int(r, i, 0),
            .table = pg_col_cstr(r, i, 1),
            .from = (lks_date)pg_col_int(r, i, 2),
            .cells = pg_col_cstr(r, i, 3),
            .source = pg_col_cstr(r, i, 4),
            .user = pg_col_cstr(r, i, 5),
            .at = pg_col_int(r, i, 6),
        };
        rc = cb(arg, &row);
    }
    PQclear(r);
    return rc;
}

int pg_rules_version(struct pg_store *s, int64_t *out, struct lks_err *err)
{
    ERR_GUARD(err);
    *out = 0;
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    pg_params(s);
    PGresult *r = pg_run(s, SQL_RULE_COUNT, "regels", "het tellen van de regels", err);
    if (!r)
        return err->code;
    *out = pg_col_int(r, 0, 0);
    PQclear(r);
    return 0;
}

/*
 * rule_rows — the rule rows (store.h, migration 3): rows an operator added to the rule
 * tables, append-only; once for both engines on the statement layer (stmt.h).
 *
 * Several servers may add at once. On SQLite a write transaction holds the file's write
 * lock from its start (BEGIN IMMEDIATE), so adders already take turns and store_rule_lock
 * only checks that the caller is inside one. On PostgreSQL a write transaction is READ
 * COMMITTED, so two adders could each check their row against the rows without the
 * other's: store_rule_lock takes a table lock that conflicts with itself but not with
 * readers (SHARE ROW EXCLUSIVE), held to the end of the transaction, so adders take turns
 * and each reads (after the lock) every row committed before it; ids are then in commit
 * order. The version is the number of rows, which changes with every row committed (rows
 * are never changed or removed: the triggers refuse it). The cells are kept as written.
 *
 * Errors: every engine failure is an lks_err with a Dutch message plus the engine's text;
 * a refused constraint (an unknown user, a value the table refuses) is LKS_ESTATE.
 */
#include <string.h>

#include "store/stmt.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

static const char SQL_RULE_LOCK[] = "LOCK TABLE rule_rows IN SHARE ROW EXCLUSIVE MODE";
static const char SQL_RULE_ADD[] =
    "INSERT INTO rule_rows(rule_table,from_date,cells,source,added_by,added_at) "
    "VALUES(?1,?2,?3,?4,?5,?6) RETURNING id";
static const char SQL_RULE_ROWS[] =
    "SELECT id,rule_table,from_date,cells,source,added_by,added_at FROM rule_rows ORDER BY id";
static const char SQL_RULE_COUNT[] = "SELECT count(*) FROM rule_rows";

static int in_write_tx(struct store *s, struct lks_err *err)
{
    if (!stmt_in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "no-transaction",
                           "een regel wordt toegevoegd binnen een transactie");
    return 0;
}

/* Run a statement without parameters; a row (if any) is left in q for the caller. */
static int run(struct stmt *q, struct store *s, const char *sql, const char *what,
               struct lks_err *err)
{
    int rc = stmt_prepare(q, s, sql, "regels", what, err);
    return rc ? rc : stmt_step(q, err);
}

int store_rule_lock(struct store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    /* SQLite: the transaction is the lock, only the schema and the transaction are checked */
    struct stmt q;
    int rc = stmt_prepare(&q, s, stmt_is_pg(s) ? SQL_RULE_LOCK : SQL_RULE_COUNT, "regels",
                          "het vergrendelen van de regels", err);
    if (rc == 0)
        rc = in_write_tx(s, err);
    if (rc == 0 && stmt_is_pg(s))
        rc = stmt_step(&q, err);
    stmt_finish(&q);
    return rc;
}

int store_rule_add(struct store *s, struct store_rule_row *row, struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_RULE_ADD, "regels", "het opslaan van de regel", err);
    if (rc == 0)
        rc = in_write_tx(s, err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, row->table);
        stmt_bind_int(&q, 2, row->from);
        stmt_bind_cstr(&q, 3, row->cells);
        stmt_bind_cstr(&q, 4, row->source);
        stmt_bind_cstr(&q, 5, row->user);
        stmt_bind_int(&q, 6, row->at);
        rc = stmt_step(&q, err);
    }
    if (rc == 1) {
        row->id = stmt_col_int(&q, 0);
        rc = 0;
    } else if (rc == 0) {
        rc = lks_err_set(err, LKS_EIO, "regels", "internal",
                         "interne fout: de database gaf geen nummer voor de regel");
    }
    stmt_finish(&q);
    return rc;
}

int store_rule_rows(struct store *s, int (*cb)(void *arg, const struct store_rule_row *r),
                    void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = run(&q, s, SQL_RULE_ROWS, "het lezen van de regels", err);
    while (rc == 1) {
        struct store_rule_row r = {
            .id = stmt_col_int(&q, 0),
            .table = stmt_col_cstr(&q, 1),
            .from = stmt_col_date(&q, 2),
            .cells = stmt_col_cstr(&q, 3),
            .source = stmt_col_cstr(&q, 4),
            .user = stmt_col_cstr(&q, 5),
            .at = stmt_col_int(&q, 6),
        };
        if ((rc = cb(arg, &r)) == 0)
            rc = stmt_step(&q, err);
    }
    stmt_finish(&q);
    return rc;
}

int store_rules_version(struct store *s, int64_t *out, struct lks_err *err)
{
    ERR_GUARD(err);
    *out = 0;
    struct stmt q;
    int rc = run(&q, s, SQL_RULE_COUNT, "het tellen van de regels", err);
    if (rc == 1) {
        *out = stmt_col_int(&q, 0);
        rc = 0;
    }
    stmt_finish(&q);
    return rc;
}

/*
 * stmt_pg — the statement layer (stmt.h) on the PostgreSQL engine: parameters go into
 * the connection's one parameter set (pg_params) in index order, the first step runs the
 * prepared statement (pg_run: prepared once per connection, `?N` rewritten to `$N` then)
 * and keeps its whole result, later steps walk its rows. Failures through pg_fail.
 * Bytes (bytea) come back in PostgreSQL's hex text form (`\x...`), decoded here, so one
 * SQL text reads a blob on both engines.
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_private.h"
#include "store/stmt.h"

#define RES(q) ((PGresult *)(q)->res)

bool stmt_pg_in_tx(struct pg_store *s)
{
    return pg_in_tx(s);
}

static int stmt_pg_prepare(struct stmt *q, struct lks_err *err)
{
    int rc = pg_schema_ready(q->pg, err);
    if (rc)
        return rc;
    pg_params(q->pg);
    return 0;
}

/* Parameters go in index order; a gap is filled with NULLs, going back is a mistake in
 * the caller, reported by the step as too many values. */
static struct pg_params *at(struct stmt *q, int i)
{
    struct pg_params *p = pg_params_current(q->pg);
    while (p->n < i - 1 && !p->over)
        pgp_null(p);
    if (p->n != i - 1)
        p->over = true;
    return p;
}

static void stmt_pg_text(struct stmt *q, int i, const char *v, size_t n, bool nul)
{
    if (nul)
        pgp_text_ref(at(q, i), v, n);
    else
        pgp_textn(at(q, i), v, n);
}

static void stmt_pg_int(struct stmt *q, int i, int64_t v)
{
    pgp_int(at(q, i), v);
}

static void stmt_pg_bytes(struct stmt *q, int i, const void *b, size_t n)
{
    pgp_bytes_ref(at(q, i), b, n);
}

static void stmt_pg_null(struct stmt *q, int i)
{
    pgp_null(at(q, i));
}

static int stmt_pg_step(struct stmt *q, struct lks_err *err)
{
    if (!q->res) {
        PGresult *r = pg_run(q->pg, q->sql, q->field, q->what, err);
        if (!r)
            return err->code;
        q->res = (struct pg_result *)r;
        q->nrows = PQntuples(r);
        q->changes = pg_changes(r);
        q->row = -1;
    }
    if (q->row + 1 < q->nrows) {
        q->row++;
        return 1;
    }
    q->row = q->nrows;
    return 0;
}

static bool stmt_pg_col_null(const struct stmt *q, int i)
{
    return PQgetisnull(RES(q), q->row, i);
}

static const char *stmt_pg_col_text(const struct stmt *q, int i, size_t *n)
{
    *n = (size_t)PQgetlength(RES(q), q->row, i);
    return PQgetvalue(RES(q), q->row, i);
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int stmt_pg_col_bytes(const struct stmt *q, int i, unsigned char **out, size_t *len,
                             struct lks_err *err)
{
    if (PQgetisnull(RES(q), q->row, i))
        return 0;
    const char *h = PQgetvalue(RES(q), q->row, i);
    size_t hn = (size_t)PQgetlength(RES(q), q->row, i);
    if (hn < 2 || h[0] != '\\' || h[1] != 'x' || hn % 2)
        return lks_err_set(err, LKS_EIO, q->field, "bad-bytes",
                           "de opgeslagen bytes zijn onleesbaar");
    size_t n = (hn - 2) / 2;
    unsigned char *b = malloc(n + 1);
    if (!b)
        return lks_err_set(err, LKS_ENOMEM, q->field, "no-memory", "onvoldoende geheugen");
    for (size_t k = 0; k < n; k++) {
        int hi = hexval(h[2 + 2 * k]), lo = hexval(h[3 + 2 * k]);
        if (hi < 0 || lo < 0) {
            free(b);
            return lks_err_set(err, LKS_EIO, q->field, "bad-bytes",
                               "de opgeslagen bytes zijn onleesbaar");
        }
        b[k] = (unsigned char)(hi << 4 | lo);
    }
    b[n] = 0;
    *out = b;
    *len = n;
    return 0;
}

static void stmt_pg_reset(struct stmt *q)
{
    if (q->res)
        PQclear(RES(q));
    q->res = NULL;
    pg_params(q->pg);
}

static void stmt_pg_finish(struct stmt *q)
{
    if (q->res)
        PQclear(RES(q));
    q->res = NULL;
}

static int64_t stmt_pg_col_int(const struct stmt *q, int i)
{
    return strtoll(PQgetvalue(RES(q), q->row, i), NULL, 10);
}

const struct stmt_ops stmt_pg_ops = {
    .prepare = stmt_pg_prepare,
    .text = stmt_pg_text,
    .integer = stmt_pg_int,
    .bytes = stmt_pg_bytes,
    .null = stmt_pg_null,
    .step = stmt_pg_step,
    .col_null = stmt_pg_col_null,
    .col_int = stmt_pg_col_int,
    .col_text = stmt_pg_col_text,
    .col_bytes = stmt_pg_col_bytes,
    .reset = stmt_pg_reset,
    .finish = stmt_pg_finish,
};

/*
 * plog_pg — the processing log in the PostgreSQL database of the store
 * (table processing_log of migration 2), for plog.c.
 *
 * With several servers on one database, each server's writer thread writes
 * its batches into this one table, so the auditor reads one log whichever
 * server answers. A batch is one INSERT … SELECT FROM unnest(arrays): one
 * statement, so one transaction and one round trip, whatever its size; the
 * arrays are built here as text literals (every value quoted and escaped) and
 * passed as parameters. The table is append-only by its triggers; the reader's
 * connection is read-only besides.
 *
 * Errors: an lks_err with a Dutch message plus the server's text; LKS_ENOMEM
 * when the arrays cannot be built. Nothing is half-written.
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_private.h"
#include "store/plog_private.h"

#define NCOL 12

static const char SQL_INSERT[] =
    "INSERT INTO processing_log (tenant_id, at_us, action, \"user\", system, bsn, object, kinds,"
    " purpose, confidentiality, retention_years, request_id)"
    " SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],"
    " $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::integer[], $12::text[])";

#define SELECT_COLS                                                                                \
    "SELECT id, tenant_id, at_us, action, \"user\", system, bsn, object, kinds, purpose,"          \
    " confidentiality, retention_years, request_id FROM processing_log"

/* Keyset by (at_us, id), the order of both indexes; see plog.c. */
static const char SQL_READ[] = SELECT_COLS " WHERE tenant_id = $1"
                                           " AND at_us >= $2 AND at_us < $3 AND (at_us > $4 OR "
                                           "id > $5) ORDER BY at_us, id LIMIT $6";
static const char SQL_READ_BSN[] = SELECT_COLS " WHERE tenant_id = $1 AND bsn = $2"
                                               " AND at_us >= $3 AND at_us < $4 AND (at_us > $5 "
                                               "OR id > $6) ORDER BY at_us, id LIMIT $7";
/* Newest first: the same, read backwards (see plog.c). */
static const char SQL_READ_DESC[] =
    SELECT_COLS " WHERE tenant_id = $1"
                " AND at_us >= $2 AND at_us < $3 AND (at_us < $4 OR "
                "id < $5) ORDER BY at_us DESC, id DESC LIMIT $6";
static const char SQL_READ_BSN_DESC[] =
    SELECT_COLS " WHERE tenant_id = $1 AND bsn = $2"
                " AND at_us >= $3 AND at_us < $4 AND (at_us < $5 "
                "OR id < $6) ORDER BY at_us DESC, id DESC LIMIT $7";
static const char SQL_AFTER[] = "SELECT at_us FROM processing_log WHERE id = $1 AND tenant_id = $2";

/* A growing buffer for one array literal. */
struct arr {
    char *buf;
    size_t len, cap;
    bool failed;
};

static void arr_add(struct arr *a, const char *s, size_t n)
{
    if (a->failed)
        return;
    if (a->len + n + 1 > a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4096;
        while (cap < a->len + n + 1)
            cap *= 2;
        char *nb = realloc(a->buf, cap);
        if (!nb) {
            a->failed = true;
            return;
        }
        a->buf = nb;
        a->cap = cap;
    }
    memcpy(a->buf + a->len, s, n);
    a->len += n;
    a->buf[a->len] = '\0';
}

/* One element: a quoted string with " and \ escaped, or a number. */
static void arr_text(struct arr *a, const char *s)
{
    arr_add(a, a->len > 1 ? ",\"" : "\"", a->len > 1 ? 2 : 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\')
            arr_add(a, "\\", 1);
        arr_add(a, p, 1);
    }
    arr_add(a, "\"", 1);
}

static void arr_int(struct arr *a, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%s%lld", a->len > 1 ? "," : "", (long long)v);
    arr_add(a, num, (size_t)n);
}

int plog_pg_insert(struct store *st, const struct plog_entry *const *e, int n, struct lks_err *err)
{
    struct pg_store *s = store_pg(st);
    struct arr a[NCOL];
    memset(a, 0, sizeof a);
    for (int c = 0; c < NCOL; c++)
        arr_add(&a[c], "{", 1);
    for (int i = 0; i < n; i++) {
        arr_text(&a[0], e[i]->tenant);
        arr_int(&a[1], e[i]->at_us);
        arr_text(&a[2], plog_action_name(e[i]->action));
        arr_text(&a[3], e[i]->user);
        arr_text(&a[4], e[i]->system);
        arr_text(&a[5], e[i]->bsn);
        arr_text(&a[6], e[i]->object);
        arr_text(&a[7], e[i]->kinds);
        arr_text(&a[8], e[i]->purpose);
        arr_text(&a[9], e[i]->confidentiality);
        arr_int(&a[10], e[i]->retention_years);
        arr_text(&a[11], e[i]->request_id);
    }
    const char *values[NCOL];
    bool failed = false;
    for (int c = 0; c < NCOL; c++) {
        arr_add(&a[c], "}", 1);
        failed = failed || a[c].failed;
        values[c] = a[c].buf;
    }
    int rc = 0;
    if (failed) {
        rc = lks_err_set(err, LKS_ENOMEM, "verwerkingenlog", "no-memory",
                         "onvoldoende geheugen voor de verwerkingenlog");
    } else {
        /* One statement: committed as a whole or not at all. */
        PGresult *r = pg_run_params(s, SQL_INSERT, NCOL, values, NULL, NULL, "verwerkingenlog",
                                    "het vastleggen van een verwerking", err);
        if (!r)
            rc = err->code;
        PQclear(r);
    }
    for (int c = 0; c < NCOL; c++)
        free(a[c].buf);
    return rc;
}

int plog_pg_reader_setup(struct store *st, struct lks_err *err)
{
    struct pg_store *s = store_pg(st);
    PGresult *r = PQexec(pg_conn(s), "SET default_transaction_read_only = on");
    int rc = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = pg_fail(pg_conn(s), r, "verwerkingenlog", "het openen om te lezen", err);
    PQclear(r);
    return rc;
}

static int read_row(const PGresult *r, int row, int64_t *id, struct plog_entry *e,
                    struct lks_err *err)
{
    memset(e, 0, sizeof *e);
    *id = pg_col_int(r, row, 0);
    e->at_us = pg_col_int(r, row, 2);
    e->retention_years = (int32_t)pg_col_int(r, row, 11);
    int a = plog_action_parse(pg_col_cstr(r, row, 3));
    bool ok = a >= 0;
    e->action = (enum plog_action)(ok ? a : 0);
    ok = ok && PG_COL_STR(r, row, 1, e->tenant);
    ok = ok && PG_COL_STR(r, row, 4, e->user);
    ok = ok && PG_COL_STR(r, row, 5, e->system);
    ok = ok && PG_COL_STR(r, row, 6, e->bsn);
    ok = ok && PG_COL_STR(r, row, 7, e->object);
    ok = ok && PG_COL_STR(r, row, 8, e->kinds);
    ok = ok && PG_COL_STR(r, row, 9, e->purpose);
    ok = ok && PG_COL_STR(r, row, 10, e->confidentiality);
    ok = ok && PG_COL_STR(r, row, 12, e->request_id);
    if (!ok)
        return lks_err_set(err, LKS_EIO, "verwerkingenlog", "corrupt",
                           "onverwachte gegevens in de verwerkingenlog (regel %lld)",
                           (long long)*id);
    return 0;
}

int plog_pg_read(struct store *st, const struct plog_filter *f,
                 int (*cb)(void *arg, int64_t id, const struct plog_entry *e), void *arg,
                 struct lks_err *err)
{
    struct pg_store *s = store_pg(st);
    int64_t after_at = INT64_MIN, after_id = 0;
    if (f->after_id > 0) {
        /* The page continues after this row; it must be the tenant's own, so another
         * tenant's id reveals nothing. */
        struct pg_params *p = pg_params(s);
        pgp_int(p, f->after_id);
        pgp_cstr(p, f->tenant);
        PGresult *r = pg_run(s, SQL_AFTER, "verwerkingenlog", "het lezen", err);
        if (!r)
            return err->code;
        bool found = PQntuples(r) > 0;
        if (found)
            after_at = pg_col_int(r, 0, 0);
        PQclear(r);
        if (!found)
            return lks_err_set(err, LKS_EINVAL, "after_id", "not-found",
                               "de vorige pagina eindigt bij een onbekende verwerking");
        after_id = f->after_id;
    }
    bool by_bsn = f->bsn && *f->bsn;
    int64_t lo = f->from_us, hi = f->to_us ? f->to_us : INT64_MAX;
    if (!f->newest_first && after_at > lo)
        lo = after_at;
    if (f->newest_first) {
        if (f->after_id > 0 && after_at < hi)
            hi = after_at + 1;
        if (f->after_id <= 0) {
            after_at = INT64_MAX;
            after_id = INT64_MAX;
        }
    }
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, f->tenant);
    if (by_bsn)
        pgp_cstr(p, f->bsn);
    pgp_int(p, lo);
    pgp_int(p, hi);
    pgp_int(p, after_at);
    pgp_int(p, after_id);
    pgp_int(p, f->limit);
    PGresult *r = pg_run(s,
                         f->newest_first ? (by_bsn ? SQL_READ_BSN_DESC : SQL_READ_DESC)
                                         : (by_bsn ? SQL_READ_BSN : SQL_READ),
                         "verwerkingenlog", "het lezen", err);
    if (!r)
        return err->code;
    int rc = 0;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        int64_t id;
        struct plog_entry e;
        rc = read_row(r, i, &id, &e, err);
        if (rc == 0)
            rc = cb(arg, id, &e);
    }
    PQclear(r);
    return rc;
}

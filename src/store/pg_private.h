/*
 * pg_private — what the files of the PostgreSQL engine share among themselves.
 *
 * Not for use outside src/store: store.h is the one interface to the data. The
 * engine is split like the SQLite one (pg.c for cases, pg_auth.c for identity,
 * plog_pg.c for the processing log); struct pg_store stays private to pg.c and
 * the others reach it through these calls.
 *
 * Parameters travel as text (or binary for hashes) through a pg_params of the
 * store: filled, executed, and done with before any result row is handed to a
 * callback, so one per connection is enough even when a callback calls the
 * store again. Statements are prepared once per connection and kept (by the
 * address of their static SQL text); results are read whole (a callback may
 * then call the store again on the same connection).
 */
#ifndef LKS_STORE_PG_PRIVATE_H
#define LKS_STORE_PG_PRIVATE_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

struct pg_store;

#define PG_MAXP  64
#define PG_ARENA 32768

/* The parameters of one statement; text values are copied into the arena. */
struct pg_params {
    int n;
    bool over; /* too many or too long: reported when executed, never truncated */
    size_t used;
    const char *v[PG_MAXP];
    int len[PG_MAXP];
    int fmt[PG_MAXP];
    char arena[PG_ARENA];
};

/* The store's parameters, emptied. */
struct pg_params *pg_params(struct pg_store *s);
/* The same, as it is (the statement layer binds one by one into it). */
struct pg_params *pg_params_current(struct pg_store *s);
void pgp_int(struct pg_params *p, int64_t v);
void pgp_textn(struct pg_params *p, const char *v, size_t n);
/* Text from a fixed-size field (cap: its size; it need not be NUL-terminated). */
void pgp_text(struct pg_params *p, const char *v, size_t cap);
#define PGP_STR(p, f) pgp_text(p, f, sizeof(f))
void pgp_cstr(struct pg_params *p, const char *v); /* NULL binds NULL */
void pgp_null(struct pg_params *p);
void pgp_date(struct pg_params *p, lks_date d); /* LKS_NO_DATE binds NULL */
void pgp_bytes(struct pg_params *p, const void *b, size_t n);
/* Bytes bound where they are, not copied into the arena (a letter, a logo: larger than
 * the arena); they must stay unchanged until the statement has run. */
void pgp_bytes_ref(struct pg_params *p, const void *b, size_t n);
/* Text bound where it is: v[n] must be its NUL, and it must stay until the statement ran. */
void pgp_text_ref(struct pg_params *p, const char *v, size_t n);

/*
 * Run `sql` (static storage: it is cached by address) with the store's parameters.
 * Returns the result (PGRES_TUPLES_OK or PGRES_COMMAND_OK; the caller PQclears it),
 * or NULL with err filled: "<what>" in Dutch plus the server's text.
 */
PGresult *pg_run(struct pg_store *s, const char *sql, const char *field, const char *what,
                 struct lks_err *err);

/* The same with the caller's own parameters (e.g. arrays too big for the arena). */
PGresult *pg_run_params(struct pg_store *s, const char *sql, int n, const char *const *values,
                        const int *lengths, const int *formats, const char *field, const char *what,
                        struct lks_err *err);

/* A failed result (or connection) as an lks_err; returns the code. */
int pg_fail(PGconn *conn, const PGresult *res, const char *field, const char *what,
            struct lks_err *err);

/* The SQLSTATE of a failed result, "" when none. */
const char *pg_sqlstate(const PGresult *res);

/* Columns of a result row. */
int64_t pg_col_int(const PGresult *r, int row, int col);
lks_date pg_col_date(const PGresult *r, int row, int col);
const char *pg_col_cstr(const PGresult *r, int row, int col);
/* A text column into a fixed buffer, cut at a UTF-8 boundary when too long;
 * returns false when it had to be cut. */
bool pg_col_text(const PGresult *r, int row, int col, char *dst, size_t cap);
#define PG_COL_STR(r, row, c, f) pg_col_text(r, row, c, f, sizeof(f))
/* Rows a write touched (PQcmdTuples). */
int64_t pg_changes(const PGresult *r);

/* Whether the database's schema is the one this code was written for (every data call
 * checks it first); LKS_ESTATE naming `lks init` when older, or newer. */
int pg_schema_ready(struct pg_store *s, struct lks_err *err);

/* Is a transaction open on the connection (also an aborted one)? */
bool pg_in_tx(struct pg_store *s);
PGconn *pg_conn(struct pg_store *s);

/* The PostgreSQL connection of a public store, or NULL when it is not PostgreSQL
 * (plog.c picks its way of writing by this). */
struct pg_store *store_pg(struct store *s);

/* The schema (pg_schema.c): migration i takes version i to i + 1. */
extern const char *const *const pg_schema_migrations[];
extern const int pg_schema_nmigrations;

#endif

/*
 * stmt — one statement on either engine: prepare, bind, step, column, reset.
 *
 * Private to src/store. A table's binding and reading is written once on this layer
 * (letters.c, pay.c) and runs on SQLite and PostgreSQL alike; the engine files keep only
 * what truly differs (dialect, transactions, backup, checks).
 *
 * What it owns: nothing of its own but a struct stmt on the caller's stack. The prepared
 * statement belongs to the store's connection: it is prepared once per connection and
 * kept there, cached by the address of its SQL text (which must therefore have static
 * storage). One SQL text serves both engines, with `?1 ?2 ...` placeholders; the
 * PostgreSQL engine rewrites them to `$1 $2 ...` once, when it prepares the text. A
 * statement whose dialect truly differs gives two texts and picks one with stmt_is_pg.
 *
 * Use: stmt_prepare, stmt_bind_* (ascending index, from 1), stmt_step until it returns 0
 * (each 1 is a row to read with stmt_col_*), stmt_reset to bind and run it again, and
 * always stmt_finish (also after a failure; it is safe on a statement that failed to
 * prepare). Bind and step one statement before binding the next on the same store: on
 * PostgreSQL the parameters live in the connection's one parameter set until the first
 * step has run the statement.
 *
 * How it fails: every call that can fail returns a negative LKS_E* code and fills err
 * with the statement's field and a Dutch message saying what was being done plus the
 * engine's own text, exactly as the engines' own calls do (store_sqlite_fail, pg_fail):
 * a constraint is LKS_ESTATE "constraint" on both. A bind that cannot be kept (too many
 * or too long values on PostgreSQL) is reported by the next step, never truncated.
 *
 * Column memory: stmt_col_text copies into the caller's buffer (cut at a UTF-8 boundary
 * when too long, and says so); stmt_col_cstr points into the engine's row and is valid
 * until the next step, reset or finish; stmt_col_bytes hands out a malloc'd copy the
 * caller frees. Bound text and bytes are bound where they are (on PostgreSQL text from a
 * fixed field without its NUL is copied): they must stay unchanged until the statement
 * has been stepped, and need not fit the PostgreSQL parameter arena.
 *
 * Results: on PostgreSQL a statement's result is read whole at its first step, so a row
 * callback may call the store again; on SQLite a statement still stepping is not handed
 * out again (a second, uncached one is prepared for the nested use).
 */
#ifndef LKS_STORE_STMT_H
#define LKS_STORE_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"
#include "store/store.h"

struct sq_store;
struct pg_store;
struct sqlite3_stmt;
struct pg_result;

struct stmt_ops;

struct stmt {
    const struct stmt_ops *ops;
    struct sq_store *sq; /* exactly one of the two engines is set */
    struct pg_store *pg;
    const char *sql;
    const char *field, *what; /* for the messages */
    struct sqlite3_stmt *st;  /* SQLite: the cached statement */
    struct pg_result *res;    /* PostgreSQL: the whole result, after the first step */
    int row, nrows;           /* PostgreSQL: the current row, -1 before the first */
    int64_t changes;          /* rows the last step's write touched */
    int bound;                /* PostgreSQL: parameters bound so far */
};

/* Is the store PostgreSQL (for the rare text that differs by dialect)? */
bool stmt_is_pg(const struct store *s);

/* Is a transaction open on the store's connection? */
bool stmt_in_tx(struct store *s);

/* Prepare (or take from the connection's cache) `sql` on the store; checks first that the
 * store's schema is the one this code was written for (LKS_ESTATE naming `lks init`). */
int stmt_prepare(struct stmt *q, struct store *s, const char *sql, const char *field,
                 const char *what, struct lks_err *err);

/* Text from a fixed-size field of `cap` bytes (need not be NUL-terminated); NULL binds NULL. */
void stmt_bind_text(struct stmt *q, int i, const char *v, size_t cap);
#define STMT_BIND_STR(q, i, f) stmt_bind_text(q, i, f, sizeof(f))
void stmt_bind_cstr(struct stmt *q, int i, const char *v); /* NULL binds NULL */
void stmt_bind_int(struct stmt *q, int i, int64_t v);
void stmt_bind_date(struct stmt *q, int i, lks_date d);               /* LKS_NO_DATE binds NULL */
void stmt_bind_bytes(struct stmt *q, int i, const void *b, size_t n); /* b NULL: NULL */
void stmt_bind_null(struct stmt *q, int i);

/* 1: a row is ready; 0: done; negative: the failure (err filled). */
int stmt_step(struct stmt *q, struct lks_err *err);
/* Rows the statement's write touched (after it is done). */
int64_t stmt_changes(const struct stmt *q);

bool stmt_col_null(const struct stmt *q, int i);
int64_t stmt_col_int(const struct stmt *q, int i);
lks_date stmt_col_date(const struct stmt *q, int i);    /* NULL: LKS_NO_DATE */
const char *stmt_col_cstr(const struct stmt *q, int i); /* "" for NULL */
/* Returns false when the text had to be cut. */
bool stmt_col_text(const struct stmt *q, int i, char *dst, size_t cap);
#define STMT_COL_STR(q, i, f) stmt_col_text(q, i, f, sizeof(f))
/* A malloc'd copy (one byte more, NUL) the caller frees; NULL column: *out NULL, *len 0. */
int stmt_col_bytes(const struct stmt *q, int i, unsigned char **out, size_t *len,
                   struct lks_err *err);

/* Ready to be bound and stepped again (bindings cleared). */
void stmt_reset(struct stmt *q);
/* Give the statement back to the connection's cache. */
void stmt_finish(struct stmt *q);

/* ---- the engine parts (stmt_sqlite.c, stmt_pg.c), as stmt.c calls them ---- */
struct stmt_ops {
    int (*prepare)(struct stmt *q, struct lks_err *err);
    /* nul: v[n] is the text's NUL (it may then be bound where it is, whatever its size) */
    void (*text)(struct stmt *q, int i, const char *v, size_t n, bool nul);
    void (*integer)(struct stmt *q, int i, int64_t v);
    void (*bytes)(struct stmt *q, int i, const void *b, size_t n);
    void (*null)(struct stmt *q, int i);
    int (*step)(struct stmt *q, struct lks_err *err);
    bool (*col_null)(const struct stmt *q, int i);
    int64_t (*col_int)(const struct stmt *q, int i);
    const char *(*col_text)(const struct stmt *q, int i, size_t *n);
    int (*col_bytes)(const struct stmt *q, int i, unsigned char **out, size_t *len,
                     struct lks_err *err);
    void (*reset)(struct stmt *q);
    void (*finish)(struct stmt *q);
};
extern const struct stmt_ops stmt_sqlite_ops, stmt_pg_ops;
bool stmt_sq_in_tx(struct sq_store *s);
bool stmt_pg_in_tx(struct pg_store *s);

/* The bytes of the first n of t that fit in cap - 1, not cutting a UTF-8 character
 * (the engines' fixed-buffer text columns share it). */
size_t stmt_utf8_fit(const char *t, size_t n, size_t cap);

#endif

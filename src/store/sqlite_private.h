/*
 * sqlite_private — what the files of the SQLite engine share among themselves.
 *
 * Not for use outside src/store: store.h is the one interface to the data, and
 * no other module may run SQL. The engine is split over several files
 * (sqlite.c for cases, auth_sqlite.c for identity), and struct sq_store stays
 * private to sqlite.c, so the others reach the connection through this call.
 */
#ifndef LKS_STORE_SQLITE_PRIVATE_H
#define LKS_STORE_SQLITE_PRIVATE_H

#include <sqlite3.h>

#include "base/err.h"
#include "store/store.h"

struct sq_store;

/* The store's connection; owned by the store, valid until store_close. */
sqlite3 *sq_handle(struct sq_store *s);
/* The same through the public handle (store.c): NULL when the store is not SQLite. */
sqlite3 *store_sqlite_handle(struct store *s);

/* Whether the file's schema is the one this code was written for (every data call checks
 * it first); LKS_ESTATE naming `lks init` when older, or newer. */
int store_sqlite_ready(struct sq_store *s, struct lks_err *err);

/* An SQLite failure as an lks_err (Dutch, with SQLite's text); returns the code. */
int store_sqlite_fail(sqlite3 *db, int rc, const char *field, const char *what,
                      struct lks_err *err);

/* A text column into a fixed buffer, cut at a UTF-8 boundary when too long. */
void store_sqlite_col_text(sqlite3_stmt *st, int i, char *dst, size_t cap);

/*
 * A prepared statement for `sql`, cached on the connection by the string's address
 * (so `sql` must have static storage). Give it back with store_sqlite_release (reset,
 * bindings cleared), never finalize it; the store finalizes its cache on close.
 * Returns NULL with *rc set when it cannot be prepared.
 */
sqlite3_stmt *store_sqlite_cached(struct sq_store *s, const char *sql, int *rc);
void store_sqlite_release(struct sq_store *s, sqlite3_stmt *st);

#endif

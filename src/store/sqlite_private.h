/*
 * sqlite_private — what the files of the SQLite engine share among themselves.
 *
 * Not for use outside src/store: store.h is the one interface to the data, and
 * no other module may run SQL. The engine is split over several files
 * (sqlite.c for cases, auth_sqlite.c for identity), and struct store stays
 * private to sqlite.c, so the others reach the connection through this call.
 */
#ifndef LKS_STORE_SQLITE_PRIVATE_H
#define LKS_STORE_SQLITE_PRIVATE_H

#include <sqlite3.h>

#include "store/store.h"

/* The store's connection; owned by the store, valid until store_close. */
sqlite3 *store_sqlite_handle(struct store *s);

#endif

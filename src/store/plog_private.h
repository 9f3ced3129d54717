/*
 * plog_private — what plog.c (queue, writer thread, SQLite) shares with
 * plog_pg.c (the processing log in a PostgreSQL database). Private to src/store.
 */
#ifndef LKS_STORE_PLOG_PRIVATE_H
#define LKS_STORE_PLOG_PRIVATE_H

#include <stdbool.h>

#include "store/plog.h"
#include "store/store.h"

/* The stored name of an action ("read", …), and back (-1 when unknown). */
const char *plog_action_name(enum plog_action a);
int plog_action_parse(const char *name);

/* Write n checked entries in one transaction of the writer's store (PostgreSQL). */
int plog_pg_insert(struct store *s, const struct plog_entry *const *e, int n, struct lks_err *err);

/* Make a reader's connection read-only (defence in depth, as SQLite's query_only). */
int plog_pg_reader_setup(struct store *s, struct lks_err *err);

/* plog_read on a reader's PostgreSQL connection; the filter is checked already. */
int plog_pg_read(struct store *s, const struct plog_filter *f,
                 int (*cb)(void *arg, int64_t id, const struct plog_entry *e), void *arg,
                 struct lks_err *err);

#endif

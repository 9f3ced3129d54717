/*
 * store_rules — the store's rule rows (store.h) as rows of the rule tables
 * (rules/tables.h): the one way stored rows get into a struct rules, and the one way a
 * row is added, for the CLI and the API alike.
 *
 * A stored row is merged and checked by rules_merge_rows, as a line of its table's TSV
 * file: after the built-in tables and the override directory (the caller's `base`), in
 * the order the rows were added, a row with an existing date replacing it. Adding a row
 * checks it against the tables with every stored row and this one, inside the write
 * transaction that stores it, after store_rule_lock: two operators adding at once (on
 * two servers of one PostgreSQL database) take turns, and the second is checked against
 * the first's row. Only an active user with the role applicatiebeheerder adds rows; the
 * row records its login name and the time.
 */
#ifndef LKS_STORE_STORE_RULES_H
#define LKS_STORE_STORE_RULES_H

#include "base/err.h"
#include "rules/tables.h"
#include "store/store.h"

/* Merge every stored row into r. On error r is unchanged and err names the stored row
 * (its id, table and date) and what is wrong with it. */
int store_rules_apply(struct store *s, struct rules *r, struct lks_err *err);

/*
 * Check and add one row by row->user: row->at is set to now and, once stored, row->id
 * to its id. `base` holds the tables without the stored rows; *out (when not NULL) gets
 * the tables with every stored row and the new one. Errors name the input as
 * rules_merge_rows does ("tabel", "vanaf", "waarden.<column>", "bron", "gebruiker");
 * then nothing is stored.
 */
int store_rules_add(struct store *s, const struct rules *base, struct rules_row_in *row,
                    struct rules *out, struct lks_err *err);

#endif

/*
 * export — the monitoring export of seed 003 annex 3: one CSV row per client
 * (the client's most recent case), the 35 meetfactoren in their order, with
 * a header. Dates ISO, amounts with two decimals, yes/no as ja/nee.
 * Route-to-work activities (fields 13–21) are not yet recorded by lks; those
 * columns are present and empty.
 */
#ifndef LKS_APP_EXPORT_H
#define LKS_APP_EXPORT_H

#include <stdio.h>

#include "base/err.h"
#include "store/store.h"

#define EXPORT_NFIELDS 35
extern const char *const export_fields[EXPORT_NFIELDS];

/* Write the export of one tenant (NULL = every tenant) to out. Returns rows in *rows. */
int export_meetfactoren(struct store *s, const char *tenant, FILE *out, int *rows,
                        struct lks_err *err);

/*
 * Told of each row before it is written: the person it is about (tenant and BSN), e.g.
 * for a processing-log entry per person. A non-zero return stops the export before
 * that row; export_meetfactoren_rows then returns it, with err saying the export
 * stopped.
 */
typedef int (*export_row_fn)(void *arg, const char *tenant, const char *bsn);

/* export_meetfactoren with `row` (may be NULL) called for every row. */
int export_meetfactoren_rows(struct store *s, const char *tenant, FILE *out, export_row_fn row,
                             void *arg, int *rows, struct lks_err *err);

#endif

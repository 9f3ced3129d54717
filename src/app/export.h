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

#endif

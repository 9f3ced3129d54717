/*
 * tables_json — the rule tables in force as JSON, with where every row came from, and
 * the warning before they run out: the same for `lks regels`, GET /api/v1/regels, the
 * answer to an added row and GET /api/v1/status.
 *
 * Per table (minimumloon, jeugdpercentages, werkgeverslasten, loonkostensubsidie):
 * "tabel" (the name to add a row with), "bron" (a summary), "bestanden" (the files of its
 * rows with their comment lines) and "regels", each row with its figures and its
 * "herkomst": {"soort": "ingebouwd"|"map", "bestand"} or {"soort": "opslag", "id",
 * "bron", "toegevoegdDoor", "toegevoegdOp"}.
 */
#ifndef LKS_CODEC_TABLES_JSON_H
#define LKS_CODEC_TABLES_JSON_H

#include <stddef.h>

#include "base/jw.h"
#include "rules/tables.h"

/* The whole answer: {"geldigTot", "waarschuwingen" (when any), the four tables}. */
void codec_rules(struct jw *w, const struct rules *r, lks_date today);

/* "waarschuwingen": [...] in the open object, only when the tables end within
 * RULES_WARN_DAYS days of today or have ended. Each warning names the date, the command
 * and the API route that add the missing row. Returns the number written (0 or 1). */
int codec_rules_warnings(struct jw *w, const struct rules *r, lks_date today);

/* Row i of table t as an object: "tabel", "vanaf", its figures, "herkomst". */
void codec_rules_row(struct jw *w, const struct rules *r, int table, int i);

/* The warning as one line for people (no line end); 0 when there is none, else its length
 * (cut to fit n). */
size_t codec_rules_warning_text(char *buf, size_t n, const struct rules *r, lks_date today);

#endif

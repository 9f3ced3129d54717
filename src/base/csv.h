/*
 * csv — writing CSV cells (RFC 4180): a cell with a comma, quote or line break
 * is quoted, with quotes doubled. Used by every CSV lks writes (bulk
 * calculations, monitoring exports), so they quote alike.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet takes a cell that
 * starts with '=', '+', '-', '@', a tab or a carriage return for a formula, and
 * runs it (=HYPERLINK(...) sends data away). A text cell is therefore written
 * harmless: a single quote in front, inside a quoted cell ("'=HYPERLINK(...)"),
 * which the spreadsheet shows as text. Only text gets this: a number or date
 * that lks formatted itself ("-12.50", "2026-01-05") is written as it is, so a
 * negative amount stays a number.
 */
#ifndef LKS_BASE_CSV_H
#define LKS_BASE_CSV_H

#include <stdio.h>

/* Write one text cell (anything a person or another system typed, also when it
 * is echoed as given, and the names lks writes itself), then ',' or (when last)
 * a newline. */
void csv_cell(FILE *out, const char *s, int last);

/* Write one cell that lks formatted itself from a number or a date (money_fmt,
 * money_fmt_short, date_fmt): no formula guard. Never for text. */
void csv_value(FILE *out, const char *s, int last);

#endif

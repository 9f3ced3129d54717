/*
 * csv — writing CSV cells (RFC 4180): a cell with a comma, quote or line break
 * is quoted, with quotes doubled. Used by every CSV lks writes (bulk
 * calculations, monitoring exports), so they quote alike.
 */
#ifndef LKS_BASE_CSV_H
#define LKS_BASE_CSV_H

#include <stdio.h>

/* Write one cell, then ',' or (when last) a newline. */
void csv_cell(FILE *out, const char *s, int last);

#endif

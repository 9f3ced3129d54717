/*
 * tsv — a reader for the tab-separated tables lks uses for rules and test data.
 *
 * Lines starting with '#' and blank lines are skipped; the first other line is
 * the header. The reader works in place on a caller-owned, NUL-terminated,
 * mutable buffer (it replaces tabs and newlines by NULs), so it never
 * allocates. Fields are looked up by header name. A table has at most
 * TSV_MAX_COLS columns; a longer line is an error naming the line number.
 */
#ifndef LKS_BASE_TSV_H
#define LKS_BASE_TSV_H

#include <stddef.h>

#include "base/err.h"

#define TSV_MAX_COLS 32

struct tsv {
    char *p;                        /* next unread byte */
    int line;                       /* line number of the current row (1-based) */
    int ncols;                      /* columns in the header */
    char *head[TSV_MAX_COLS];       /* header names */
    int nfields;                    /* fields in the current row */
    char *field[TSV_MAX_COLS];      /* fields of the current row */
    const char *name;               /* file name, for messages */
};

/* Start reading `buf`; reads the header. Returns 0 or LKS_EINVAL (no header). */
int tsv_open(struct tsv *t, char *buf, const char *name, struct lks_err *err);

/* Read the next row: 1 when a row was read, 0 at the end, LKS_EINVAL on a malformed row. */
int tsv_next(struct tsv *t, struct lks_err *err);

/* Index of a header column, or -1. */
int tsv_col(const struct tsv *t, const char *name);

/* Field of the current row by column index; "" when the row is shorter. */
const char *tsv_get(const struct tsv *t, int col);

/* Read a whole file into a malloc'ed NUL-terminated buffer (caller frees). */
char *tsv_slurp(const char *path, size_t max_bytes, struct lks_err *err);

#endif

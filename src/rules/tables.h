/*
 * tables — the effective-dated rule tables: WML, youth percentages, the
 * employer allowance and the LKS parameters.
 *
 * The tables of rules/<name>.tsv are compiled in (rules/embedded.h) and parsed at
 * start-up by the same reader that reads an operator's override directory (the
 * directory named by --regels or LKS_REGELS: a wml.tsv with the new row and its
 * source in a comment). Rows can also be given as data (rules_merge_rows): the rows
 * an operator added to the store, each with its source, who added it and when. They
 * are turned into a line of their table's TSV file and parsed by the same code, so a
 * stored row is checked exactly like a built-in one. Order: built-in, then the
 * directory, then the given rows; a row with the date of an existing one replaces
 * it. Every merged table is validated (ascending dates, plausible values, no WML
 * half-year missing) and refused as a whole with the file and line, or the column,
 * at fault; on any error nothing changes.
 *
 * Every row knows where it came from (struct rules_origins, beside the rows, so the
 * hot path reads exactly what it read before).
 *
 * A struct rules is filled once and then only read: lookups are pure and
 * thread-safe, with no allocation. A date before the first row, or after the
 * end of the WML table (the last row holds to the end of its half-year), is an
 * LKS_ERANGE error, never a guess.
 */
#ifndef LKS_RULES_TABLES_H
#define LKS_RULES_TABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/err.h"

#define RULES_MAX_ROWS 128
#define RULES_MAX_DAYS (40 * 366) /* days covered by the direct day → period index */
#define RULES_YOUTH_MIN_AGE 15 /* no minimum wage below 15 */
#define RULES_YOUTH_MAX_AGE 22
#define RULES_WARN_DAYS 60 /* warn when the tables end within this many days */

/* The tables, by index; their names are the file names without .tsv. */
enum rules_table { RULES_WML, RULES_YOUTH, RULES_ALLOWANCE, RULES_LKS, RULES_NTABLES };

struct rules_wml {
    lks_date from;
    int64_t month;  /* cents, full adult rate, excl. vakantiebijslag */
    int64_t hour;   /* cents, published hourly WML (from 2024), 0 when none */
    int full_age;   /* age from which the full rate applies */
};

struct rules_youth {
    lks_date from;
    int32_t pct[RULES_YOUTH_MAX_AGE + 1]; /* hundredths of %, by age; 0 = not in the table */
};

struct rules_allowance {
    lks_date from;
    int32_t pct; /* hundredths of %: 2350 = 23.5% */
};

struct rules_lks {
    lks_date from;
    int32_t holiday_pct;    /* hundredths of %: 800 */
    int32_t cap_pct;        /* 7000 */
    int32_t forfait_pct;    /* 5000 */
    int32_t forfait_months; /* 6 */
    int32_t divisor;        /* hundredths of an hour (3600), or 0 = the sector's full-time hours */
    int32_t youth_rounding; /* cents: the youth WML per month is a multiple of this (5 or 1) */
};

struct rules_source {
    /* "ingebouwd (rules/wml.tsv)", then " + PATH" for a directory, " + opslag" for stored rows */
    char wml[160], youth[160], allowance[160], lks[160];
};

/* Where a row came from. */
enum rules_from { RULES_FROM_BUILTIN, RULES_FROM_DIR, RULES_FROM_STORE };

#define RULES_MAX_STORED 128 /* rows given as data, over all tables */
#define RULES_SOURCE_MAX 200 /* a stored row's source, e.g. "Stcrt. 2026, nr. 12345" */
#define RULES_USER_MAX   64
#define RULES_PATH_MAX   160
#define RULES_NOTE_MAX   1024
#define RULES_CELL_MAX   64 /* one cell of a row given as data */

struct rules_origin {
    uint8_t from;   /* enum rules_from */
    uint8_t stored; /* RULES_FROM_STORE: index into rules_origins.stored */
};

/* A row given as data: its source, who added it, when, and its id in the store. */
struct rules_stored {
    int64_t id;
    int64_t at; /* seconds since the epoch */
    char source[RULES_SOURCE_MAX];
    char user[RULES_USER_MAX];
};

/* A file rows came from, with its comment lines (where the figures come from). */
struct rules_file {
    char path[RULES_PATH_MAX]; /* "rules/wml.tsv", or the override file; "" = none */
    char note[RULES_NOTE_MAX];
};

struct rules_origins {
    struct rules_file builtin[RULES_NTABLES], dir[RULES_NTABLES];
    struct rules_origin row[RULES_NTABLES][RULES_MAX_ROWS]; /* beside each table's rows */
    int n_stored;
    struct rules_stored stored[RULES_MAX_STORED];
};

/* A span of days in which no table changes: the rows in force, by index. Built at load
 * time so the hot path needs one search instead of four. */
struct rules_period {
    lks_date from;
    int16_t wml, youth, allowance, lks;
};

struct rules {
    int n_wml, n_youth, n_allowance, n_lks, n_period;
    struct rules_wml wml[RULES_MAX_ROWS];
    struct rules_youth youth[RULES_MAX_ROWS];
    struct rules_allowance allowance[RULES_MAX_ROWS];
    struct rules_lks lks[RULES_MAX_ROWS];
    struct rules_period period[4 * RULES_MAX_ROWS];
    uint8_t day_period[RULES_MAX_DAYS]; /* period index by day since period[0].from */
    int n_days;                         /* days in day_period (0 = use binary search) */
    lks_date until; /* last day covered: end of the half-year of the last WML row */
    struct rules_source source;
    struct rules_origins origin; /* not on the hot path: after everything it reads */
};

/* Load the built-in tables. Fails only if the build embedded a broken table. */
int rules_load_builtin(struct rules *r, struct lks_err *err);

/*
 * Merge the tables found in directory `dir` (wml.tsv, wml_youth.tsv,
 * allowance.tsv, lks.tsv; each optional) into r. On error r is unchanged.
 */
int rules_load_override(struct rules *r, const char *dir, struct lks_err *err);

/* Built-in tables, then the override directory of $LKS_REGELS or `dir` (may be NULL). */
int rules_load(struct rules *r, const char *dir, struct lks_err *err);

/* "wml", "wml_youth", "allowance", "lks" (NULL outside the range); and back (-1: none). */
const char *rules_table_name(int table);
int rules_table_parse(const char *name);
/* Rows in table t, and the origin of row i of it. */
int rules_table_rows(const struct rules *r, int table);
const struct rules_origin *rules_row_origin(const struct rules *r, int table, int i);
/* The date row i of table t holds from. */
lks_date rules_row_from(const struct rules *r, int table, int i);

/* One cell of a row given as data: a column of its table's header and its text. */
struct rules_cell {
    const char *col;
    const char *val;
};

/* A row given as data (an operator's row from the store), with where it came from. */
struct rules_row_in {
    const char *table; /* rules_table_name */
    lks_date from;
    const struct rules_cell *cells; /* every column of the table's header but `from` */
    int ncells;
    const char *source; /* required */
    const char *user;   /* required */
    int64_t at, id;
};

/*
 * Merge rows given as data into r, in the order given (a later row with the date of an
 * earlier one replaces it, as every row replaces one of the files with its date). Each
 * row becomes a line of its table's TSV file and is parsed and checked like one; then
 * every table is checked as a whole. On error r is unchanged and err names what is at
 * fault, as the API names its input: "tabel", "vanaf", "waarden.<column>" (the message
 * names the column too), "bron" or "gebruiker".
 */
int rules_merge_rows(struct rules *r, const struct rules_row_in *rows, int n,
                     struct lks_err *err);

/* Whether the tables end (r->until) within RULES_WARN_DAYS days of today, or have ended. */
bool rules_ends_soon(const struct rules *r, lks_date today);

/* Rows in force on date t; NULL (and err filled, field "peildatum") outside the tables. */
const struct rules_wml *rules_wml_at(const struct rules *r, lks_date t, struct lks_err *err);
const struct rules_youth *rules_youth_at(const struct rules *r, lks_date t, struct lks_err *err);
const struct rules_allowance *rules_allowance_at(const struct rules *r, lks_date t,
                                                 struct lks_err *err);
const struct rules_lks *rules_lks_at(const struct rules *r, lks_date t, struct lks_err *err);

/* All rows in force on t in one search (NULL outside the tables, err filled). */
const struct rules_period *rules_period_at(const struct rules *r, lks_date t,
                                           struct lks_err *err);

#endif

/*
 * tables — the effective-dated rule tables: WML, youth percentages, the
 * employer allowance and the LKS parameters.
 *
 * The tables of rules/<name>.tsv are compiled in (rules/embedded.h) and parsed at
 * start-up by the same reader that reads an operator's override directory, so
 * a new WML row every half year needs no release: put a wml.tsv with that row
 * (and its source in a comment) in the directory named by --regels or
 * LKS_REGELS. Override rows are merged by `from` date; a row with the same date
 * replaces the built-in one. Every merged table is validated (ascending dates,
 * plausible values) and refused as a whole with the file and line at fault.
 *
 * A struct rules is filled once and then only read: lookups are pure and
 * thread-safe, with no allocation. A date before the first row, or after the
 * end of the WML table (the last row holds to the end of its half-year), is an
 * LKS_ERANGE error, never a guess.
 */
#ifndef LKS_RULES_TABLES_H
#define LKS_RULES_TABLES_H

#include <stdint.h>

#include "base/date.h"
#include "base/err.h"

#define RULES_MAX_ROWS 128
#define RULES_MAX_DAYS (40 * 366) /* days covered by the direct day → period index */
#define RULES_YOUTH_MIN_AGE 15 /* no minimum wage below 15 */
#define RULES_YOUTH_MAX_AGE 22

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
    char wml[160], youth[160], allowance[160], lks[160]; /* "ingebouwd" or "ingebouwd + PATH" */
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

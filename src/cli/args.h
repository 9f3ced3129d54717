/*
 * args — declarative command-line flags for the lks subcommands.
 *
 * A subcommand lists its flags in a table (name, type, bounds, help); args_parse
 * checks every flag against it before the command runs, so a command body only
 * sees valid values. Errors name the flag and say what is wrong, in Dutch
 * (field = "--loonwaarde"). `--flag value` and `--flag=value` are both accepted.
 */
#ifndef LKS_CLI_ARGS_H
#define LKS_CLI_ARGS_H

#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

enum arg_type {
    ARG_DATE,  /* YYYY-MM-DD → day number */
    ARG_PCT,   /* percentage 0..100, up to 2 decimals → hundredths */
    ARG_HOURS, /* hours, up to 2 decimals → hundredths */
    ARG_MONEY, /* euros, up to 2 decimals → cents */
    ARG_FTE,   /* 0..1, up to 4 decimals → ten-thousandths */
    ARG_INT,   /* whole number within lo..hi */
    ARG_FLAG,  /* no value */
    ARG_STR,   /* any text (a file name, "-") */
    ARG_ENUM   /* one of `choices` → index */
};

struct arg_spec {
    const char *name;  /* "--peildatum" */
    enum arg_type type;
    int required;
    const char *meta;  /* value placeholder in help, e.g. "DATUM" */
    const char *help;  /* one line of Dutch */
    int64_t lo, hi;    /* bounds for ARG_INT (and for HOURS/MONEY when hi > 0) */
    const char *const *choices; /* NULL-terminated, for ARG_ENUM */
};

struct arg_val {
    int set;
    int64_t num;
    const char *str;
};

struct arg_cmd {
    const char *usage;       /* "lks calc lks --peildatum D ..." */
    const char *summary;     /* what the command does, plain Dutch */
    const char *details;     /* more lines (may be NULL) */
    const struct arg_spec *spec;
    int nspec;
    int npos;                /* positional arguments expected (exactly) */
    const char *pos_meta;    /* e.g. "WAARDE" */
};

/*
 * Parse argv (after the subcommand words). Returns 0, 1 when --help was given
 * (help printed to out), or LKS_EINVAL with err naming the flag.
 * Positional arguments go to pos[0..npos-1].
 */
int args_parse(const struct arg_cmd *cmd, int argc, char **argv, struct arg_val *vals,
               const char **pos, FILE *out, struct lks_err *err);

void args_help(const struct arg_cmd *cmd, FILE *out);

/* Value of a flag by name (for readability in command bodies). */
const struct arg_val *args_get(const struct arg_cmd *cmd, const struct arg_val *vals,
                               const char *name);

#endif

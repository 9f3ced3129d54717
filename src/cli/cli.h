/*
 * cli — the lks command line: shared context and the subcommands.
 *
 * Contract (README): JSON on stdout; exit 0 = done, 1 = a valid question with
 * a negative answer, 2 = bad input, with a Dutch message on stderr that names
 * the flag or field. Every subcommand answers --help.
 */
#ifndef LKS_CLI_CLI_H
#define LKS_CLI_CLI_H

#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>

#include "base/err.h"
#include "base/jw.h"
#include "rules/tables.h"

enum { CLI_OK = 0, CLI_NO = 1, CLI_BAD = 2 };

struct store;

struct cli {
    const char *regels_dir; /* --regels DIR, or NULL */
    struct rules *rules;    /* loaded on first use (cli_rules) */
    bool rules_store;       /* the store's rows are merged into rules (cli_rules_store) */
    FILE *out, *errf;
};

/* The rule tables, loaded once (built-in + override). NULL after printing an error. */
const struct rules *cli_rules(struct cli *c);

/* The same with the rows of the open store s merged in (built-in, override, store): what
 * every command that opens a store computes with. NULL after printing an error. */
const struct rules *cli_rules_store(struct cli *c, struct store *s);

/* The business 'today' of the command line. */
lks_date cli_today(void);
/* The first line of standard input (a password), without its line end, into pw (n bytes);
 * false (with a message) when there is none. */
bool cli_read_password(struct cli *c, char *pw, size_t n);

/* Print "lks: FIELD: message" (field mapped to a flag when `flag_prefix`) and return CLI_BAD. */
int cli_fail(struct cli *c, const struct lks_err *e, int flag_prefix);

/* The value of a JSON flag (`--gegevens`): JSON text, @FILE, or - for standard input.
 * *out NULL when the flag was not given; CLI_BAD after a message naming the flag. */
int cli_json_arg(struct cli *c, const char *flag, const char *value, json_t **out);

/* Write a finished JSON document to stdout with a newline; returns CLI_OK or CLI_BAD. */
int cli_emit(struct cli *c, struct jw *w);

int cmd_calc(struct cli *c, int argc, char **argv);
int cmd_termijn(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_toegangstoets(struct cli *c, int argc, char **argv);
int cmd_regels(struct cli *c, int argc, char **argv);
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_zaak(struct cli *c, int argc, char **argv);
int cmd_termijnen(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_controleer(struct cli *c, int argc, char **argv);
int cmd_beleid(struct cli *c, int argc, char **argv);
int cmd_werkgever(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_gebruiker(struct cli *c, int argc, char **argv);
int cmd_token(struct cli *c, int argc, char **argv);
int cmd_wachtwoord(struct cli *c, int argc, char **argv);
int cmd_blokkeer(struct cli *c, int argc, char **argv);
int cmd_brief(struct cli *c, int argc, char **argv);
int cmd_brieven(struct cli *c, int argc, char **argv);
int cmd_betaalrun(struct cli *c, int argc, char **argv);

#endif

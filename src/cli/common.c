/* common — shared pieces of the subcommands (see cli.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "store/store_rules.h"

const struct rules *cli_rules(struct cli *c)
{
    if (c->rules)
        return c->rules;
    struct rules *r = malloc(sizeof *r);
    struct lks_err e = {0};
    if (!r) {
        fprintf(c->errf, "lks: onvoldoende geheugen\n");
        return NULL;
    }
    if (rules_load(r, c->regels_dir, &e)) {
        fprintf(c->errf, "lks: regeltabel: %s%s%s\n", e.field, *e.field ? ": " : "", e.msg);
        free(r);
        return NULL;
    }
    c->rules = r;
    return r;
}

const struct rules *cli_rules_store(struct cli *c, struct store *s)
{
    if (!cli_rules(c))
        return NULL;
    if (c->rules_store)
        return c->rules;
    struct lks_err e = {0};
    if (store_rules_apply(s, c->rules, &e)) {
        fprintf(c->errf, "lks: regeltabel: %s\n", e.msg);
        return NULL;
    }
    c->rules_store = true;
    return c->rules;
}

bool cli_read_password(struct cli *c, char *pw, size_t n)
{
    if (!fgets(pw, (int)n, stdin)) {
        fprintf(c->errf, "lks: wachtwoord: lees het wachtwoord van de standaardinvoer\n");
        return false;
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    return true;
}

lks_date cli_today(void)
{
    return clock_today(); /* the business date: Europe/Amsterdam */
}

int cli_fail(struct cli *c, const struct lks_err *e, int flag_prefix)
{
    /* Rule fields are API names (normGehuwden); on the CLI they are flags (--norm-gehuwden). */
    char field[96];
    size_t n = 0;
    if (flag_prefix && e->field[0] && e->field[0] != '-') {
        field[n++] = '-';
        field[n++] = '-';
        for (const char *p = e->field; *p && n < sizeof field - 2; p++) {
            if (*p >= 'A' && *p <= 'Z') {
                field[n++] = '-';
                field[n++] = (char)(*p - 'A' + 'a');
            } else {
                field[n++] = *p;
            }
        }
        field[n] = '\0';
    } else {
        snprintf(field, sizeof field, "%s", e->field);
    }
    if (e->field[0])
        fprintf(c->errf, "lks: %s: %s\n", field, e->msg);
    else
        fprintf(c->errf, "lks: %s\n", e->msg);
    return CLI_BAD;
}

int cli_emit(struct cli *c, struct jw *w)
{
    if (jw_failed(w)) {
        fprintf(c->errf, "lks: uitvoer te groot of onvoldoende geheugen\n");
        return CLI_BAD;
    }
    fwrite(w->buf, 1, w->len, c->out);
    fputc('\n', c->out);
    return CLI_OK;
}

int cli_json_arg(struct cli *c, const char *flag, const char *value, json_t **out)
{
    *out = NULL;
    if (!value)
        return CLI_OK;
    json_error_t je;
    *out = value[0] == '@'       ? json_load_file(value + 1, JSON_REJECT_DUPLICATES, &je)
           : !strcmp(value, "-") ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &je)
                                 : json_loads(value, JSON_REJECT_DUPLICATES, &je);
    if (*out)
        return CLI_OK;
    fprintf(c->errf, "lks: %s: geen geldige JSON (regel %d, kolom %d: %s)\n", flag, je.line,
            je.column, je.text);
    return CLI_BAD;
}

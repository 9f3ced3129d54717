/*
 * cmd_brief — `lks brief`: the letter of a decision as PDF on standard output, as the
 * app gives it (stored when it was sent, or made and stored on this first fetch); and
 * `lks briefinstellingen`: a municipality's letter settings as the operator sets them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli/args.h"
#include "cli/cli.h"

static const char *const to_choices[] = {"werkgever", "werknemer", NULL};
static const char *const kind_choices[] = {"toekenning", "herziening", "afwijzing",
                                           "einde",      "bezwaar",    NULL};

static const struct arg_spec spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--zaak", ARG_INT, 1, "ID", "het zaaknummer", 1, INT64_MAX, NULL},
    {"--beschikking", ARG_INT, 0, "N", "de hoeveelste beschikking van de zaak (1 = de eerste)", 1,
     1000, NULL},
    {"--voor", ARG_ENUM, 0, "WIE", "werkgever (standaard) of werknemer", 0, 0, to_choices},
    {"--soort", ARG_ENUM, 0, "SOORT",
     "einde of bezwaar (met --bezwaar N); anders de soort van de beschikking", 0, 0, kind_choices},
    {"--bezwaar", ARG_INT, 0, "N", "bij --soort bezwaar: het hoeveelste bezwaar", 1, 1000, NULL},
    {"--sha256", ARG_FLAG, 0, NULL, "schrijf alleen de SHA-256 van de brief (hex)", 0, 0, NULL},
};

static const struct arg_cmd cmd = {
    "lks brief --db BESTAND --zaak ID --beschikking N [--voor werkgever|werknemer] > brief.pdf",
    "Schrijft de brief van een beschikking als PDF naar standaarduitvoer.",
    "Een brief wordt gemaakt en bewaard als de beschikking wordt verzonden; daarna geeft dit\n"
    "commando steeds dezelfde bytes. Een beschikking van voor de brieven krijgt haar brief\n"
    "bij de eerste keer opvragen, en houdt die. --soort einde geeft de brief over het einde\n"
    "van de subsidie, --soort bezwaar --bezwaar N de beslissing op bezwaar N.",
    spec,
    sizeof spec / sizeof spec[0],
    0,
    NULL};

int cmd_brief(struct cli *c, int argc, char **argv)
{
    struct arg_val v[sizeof spec / sizeof spec[0]];
    struct lks_err e = {0};
    int rc = args_parse(&cmd, argc, argv, v, NULL, c->out, &e);
    if (rc == 1)
        return CLI_OK;
    if (rc)
        return cli_fail(c, &e, 0);
    int kind = v[4].set ? (int)v[4].num : -1;
    int n = 0;
    if (kind == LETTER_BEZWAAR) {
        if (!v[5].set) {
            lks_err_set(&e, LKS_EINVAL, "--bezwaar", "required", "geef het nummer van het bezwaar");
            return cli_fail(c, &e, 0);
        }
        n = (int)v[5].num;
    } else if (kind != LETTER_EINDE) {
        if (!v[2].set) {
            lks_err_set(&e, LKS_EINVAL, "--beschikking", "required",
                        "geef het nummer van de beschikking (1 = de eerste)");
            return cli_fail(c, &e, 0);
        }
        n = (int)v[2].num;
    }
    const struct rules *r = cli_rules(c);
    if (!r)
        return CLI_BAD;
    struct store *s;
    if (store_open(&s, v[0].str, 0, &e))
        return cli_fail(c, &e, 0);
    if (!(r = cli_rules_store(c, s))) {
        store_close(s);
        return CLI_BAD;
    }
    struct app a;
    struct app_letter l;
    enum letter_to to = v[3].set ? (enum letter_to)v[3].num : LETTER_WERKGEVER;
    rc = app_init(&a, s, r, cli_today(), &e);
    if (rc == 0) {
        rc = app_letter(&a, NULL, v[1].num, kind, n, to, &l, &e);
        app_free(&a);
    }
    store_close(s);
    if (rc) {
        if (e.code == LKS_ENOTFOUND && !strcmp(e.field, "zaak"))
            lks_err_field(&e, "--zaak");
        return cli_fail(c, &e, 0);
    }
    bool ok;
    if (v[6].set)
        ok = fprintf(c->out, "%s\n", l.sha256) > 0;
    else
        ok = fwrite(l.pdf, 1, l.len, c->out) == l.len;
    app_letter_free(&l);
    if (!ok || fflush(c->out)) {
        fprintf(c->errf, "lks: de brief kon niet worden geschreven\n");
        return CLI_BAD;
    }
    return CLI_OK;
}

/* cmd_termijn — `lks termijn`: a statutory term or working-day norm with its steps. */
#include "cli/args.h"
#include "cli/cli.h"
#include "codec/rules_json.h"
#include "rules/term.h"

static const struct arg_spec spec[] = {
    {"--vanaf", ARG_DATE, 1, "DATUM", "de dag waarna de termijn begint (bijv. verzenddatum)", 0,
     0, NULL},
    {"--werkdagen", ARG_INT, 0, "N", "aantal werkdagen (zonder weekend en feestdagen)", 1,
     TERM_MAX_N, NULL},
    {"--weken", ARG_INT, 0, "N", "wettelijke termijn in weken", 1, TERM_MAX_N, NULL},
    {"--dagen", ARG_INT, 0, "N", "wettelijke termijn in dagen", 1, TERM_MAX_N, NULL},
};

static const struct arg_cmd cmd = {
    "lks termijn --vanaf D (--werkdagen N | --weken N | --dagen N)",
    "Rekent de laatste dag van een termijn uit, met de stappen en hun grondslag.",
    "Werkdagen slaan zaterdagen, zondagen en feestdagen (Algemene termijnenwet art. 3) over.\n"
    "Weken en dagen tellen vanaf de dag na --vanaf (Awb 6:8); valt het einde op een zaterdag,\n"
    "zondag of feestdag, dan loopt de termijn door (Atw art. 1), en een termijn van ten minste\n"
    "3 dagen bevat ten minste 2 werkdagen (Atw art. 2). Niet voor termijnen langer dan 12\n"
    "weken of 90 dagen (Atw art. 4).",
    spec, sizeof spec / sizeof spec[0], 0, NULL};

int cmd_termijn(struct cli *c, int argc, char **argv)
{
    struct arg_val v[sizeof spec / sizeof spec[0]];
    struct lks_err e = {0};
    int rc = args_parse(&cmd, argc, argv, v, NULL, c->out, &e);
    if (rc == 1)
        return CLI_OK;
    if (rc)
        return cli_fail(c, &e, 0);
    int given = v[1].set + v[2].set + v[3].set;
    if (given != 1) {
        lks_err_set(&e, LKS_EINVAL, given ? spec[v[1].set ? 1 : 2].name : "--werkdagen",
                    given ? "conflict" : "required",
                    given ? "geef precies een van --werkdagen, --weken of --dagen"
                          : "geef een van --werkdagen, --weken of --dagen");
        return cli_fail(c, &e, 0);
    }
    enum term_kind kind = v[1].set ? TERM_WORKDAYS : v[2].set ? TERM_WEEKS : TERM_DAYS;
    int n = (int)(v[1].set ? v[1].num : v[2].set ? v[2].num : v[3].num);
    struct term_result res;
    if (term_compute((lks_date)v[0].num, kind, n, &res, &e))
        return cli_fail(c, &e, 1);
    struct jw w;
    jw_init(&w, 1 << 16, true);
    codec_term(&w, &res);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

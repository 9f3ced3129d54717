/* cmd_toegangstoets — `lks toegangstoets --antwoorden FILE|-`: the access test. */
#include <jansson.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "codec/rules_json.h"
#include "rules/toets.h"

#define ANSWERS_MAX (1 << 20)

static const struct arg_spec spec[] = {
    {"--antwoorden", ARG_STR, 1, "BESTAND", "JSON-bestand met de antwoorden ('-' = standaardinvoer)",
     0, 0, NULL},
};

static const struct arg_cmd cmd = {
    "lks toegangstoets --antwoorden BESTAND|-",
    "Voert de toegangstoets doelgroep uit (stroomschema TNO) en geeft de uitkomst met de\n"
    "redenering per vraag.",
    "Invoer, bijvoorbeeld:\n"
    "  {\"vraag1\": {\"lichamelijk\": true, \"verstandelijk\": false, \"psychisch\": false,\n"
    "              \"psychosociaal\": false},\n"
    "   \"vraag2a\": {\"geenGevolgenVoorWerk\": false, \"compenseerbaarMetVoorzieningen\": false},\n"
    "   \"vraag2b\": {\"regulierWerktempo\": false, \"continuiteit\": true,\n"
    "               \"zelfstandigWerken\": true},\n"
    "   \"vraag3\": {\"prestatieMinstens20Procent\": true, \"begeleidingHoogstens15Procent\": true,\n"
    "              \"uurAaneengesloten\": true, \"zonderPermanentToezicht\": true},\n"
    "   \"toelichting\": \"...\"}\n"
    "Vragen die het schema niet bereikt mogen ontbreken. Een 'nee' op vraag 3 vraagt een\n"
    "toelichting. Uitkomst: doelgroep, geen-doelgroep-bovengrens of geen-doelgroep-ondergrens.",
    spec, 1, 0, NULL};

int cmd_toegangstoets(struct cli *c, int argc, char **argv)
{
    struct arg_val v[1];
    struct lks_err e = {0};
    int rc = args_parse(&cmd, argc, argv, v, NULL, c->out, &e);
    if (rc == 1)
        return CLI_OK;
    if (rc)
        return cli_fail(c, &e, 0);
    json_error_t jerr;
    json_t *root = strcmp(v[0].str, "-") == 0
                       ? json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr)
                       : json_load_file(v[0].str, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        fprintf(c->errf, "lks: --antwoorden: geen geldige JSON (regel %d, kolom %d: %s)\n",
                jerr.line, jerr.column, jerr.text);
        return CLI_BAD;
    }
    struct toets_input in;
    struct toets_result res;
    struct lks_errlist errs = {0};
    if (codec_toets_parse(root, &in, &errs)) {
        for (int i = 0; i < errs.n; i++)
            cli_fail(c, &errs.e[i], 0);
        json_decref(root);
        return CLI_BAD;
    }
    if (toets_run(&in, &res, &e)) {
        json_decref(root);
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, 1 << 20, true);
    codec_toets(&w, &in, &res);
    rc = cli_emit(c, &w);
    jw_free(&w);
    json_decref(root);
    return rc;
}

/*
 * cmd_werkgever — `lks werkgever`: an employer's own record on the command line.
 * `toon` shows the record with the IBAN change that waits and its history; the
 * other words are its commands (case/employer.h), given as a user in a role through
 * the app layer, like `lks zaak OPDRACHT`: registration, a change, an IBAN proposal,
 * and its confirmation or refusal by a financieel who did not propose it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "codec/case_json.h"

static const char *const role_choices[] = {"klantmanager", "loonwaardedeskundige", "beslisser",
                                           "financieel",   "beheerder",            "auditor",
                                           "werkgever",    "werknemer",            NULL};

static const struct arg_spec toon_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeente", ARG_STR, 1, "CODE", "de gemeente van de werkgever", 0, 0, NULL},
};

static const struct arg_spec cmd_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeente", ARG_STR, 1, "CODE", "de gemeente van de werkgever", 0, 0, NULL},
    {"--als", ARG_ENUM, 1, "ROL", "de rol waarin u de opdracht geeft", 0, 0, role_choices},
    {"--gebruiker", ARG_STR, 1, "NAAM", "wie de opdracht geeft", 0, 0, NULL},
    {"--datum", ARG_DATE, 0, "DATUM", "de datum (standaard vandaag)", 0, 0, NULL},
    {"--gegevens", ARG_STR, 0, "JSON",
     "de gegevens als JSON, of @BESTAND, of - voor standaardinvoer", 0, 0, NULL},
    {"--kvk", ARG_STR, 0, "KVK", "met --als werkgever: het bedrijf waarvoor de werkgever handelt",
     0, 0, NULL},
};

static const char help[] =
    "Gebruik: lks werkgever toon --db BESTAND --gemeente CODE KVK\n"
    "         lks werkgever OPDRACHT --db BESTAND --gemeente CODE --als ROL --gebruiker NAAM\n"
    "                   [--datum D] [--gegevens JSON|@BESTAND|-] [--kvk KVK] KVK\n\n"
    "De gegevens van een werkgever veranderen alleen met hun eigen opdrachten, elk met wie\n"
    "en wanneer. Een IBAN-wijziging geldt pas als een medewerker financiën die haar niet\n"
    "voorstelde haar bevestigt; tot dan gaan betalingen naar de bevestigde IBAN.\n\n"
    "Opdrachten:\n"
    "  werkgever-geregistreerd  {\"naam\", \"adres\", \"postcode\", \"plaats\", \"aantalWerknemers\",\n"
    "                           \"voltijduren\", \"eigenVerzuimverzekering\", \"iban\"}\n"
    "  werkgever-gewijzigd      dezelfde velden behalve iban; alleen wat verandert\n"
    "  iban-voorgesteld         {\"iban\"}  (klantmanager, of de werkgever zelf)\n"
    "  iban-bevestigd           (financieel, niet wie voorstelde)\n"
    "  iban-afgewezen           {\"reden\"}  (financieel)\n";

static int parse(struct cli *c, const char *usage, const struct arg_spec *spec, int nspec,
                 int argc, char **argv, struct arg_val *v, const char **pos, int *exit)
{
    struct arg_cmd cmd = {usage, "Toont of wijzigt de gegevens van een werkgever.", NULL, spec,
                          nspec, 1, "KVK"};
    struct lks_err e = {0};
    int rc = args_parse(&cmd, argc, argv, v, pos, c->out, &e);
    if (rc) {
        *exit = rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
        return 0;
    }
    return 1;
}

static int toon(struct cli *c, int argc, char **argv)
{
    struct arg_val v[2];
    const char *pos[1];
    int rc;
    if (!parse(c, "lks werkgever toon --db BESTAND --gemeente CODE KVK", toon_spec, 2, argc, argv,
               v, pos, &rc))
        return rc;
    const struct rules *r = cli_rules(c);
    if (!r)
        return CLI_BAD;
    struct store *s;
    struct lks_err e = {0};
    if (store_open(&s, v[0].str, 0, &e))
        return cli_fail(c, &e, 0);
    struct app a;
    struct employer w;
    /* the operator at the console reads as a klantmanager of that municipality would */
    struct app_actor who = {v[1].str, "beheer", ROLE_KLANTMANAGER, NULL};
    struct jw out;
    jw_init(&out, 1 << 22, true);
    rc = app_init(&a, s, r, cli_today(), &e);
    if (rc == 0)
        rc = app_employer(&a, &who, pos[0], &w, NULL, &e);
    if (rc == 0) {
        jw_obj_open(&out);
        jw_key(&out, "werkgever");
        codec_employer(&out, &w);
        jw_key(&out, "gebeurtenissen");
        jw_arr_open(&out);
        rc = app_employer_events(&a, &who, pos[0], app_record_event_json, &out, &e);
        jw_arr_close(&out);
        jw_obj_close(&out);
    }
    app_free(&a);
    store_close(s);
    if (rc) {
        jw_free(&out);
        if (e.code == LKS_ENOTFOUND)
            lks_err_field(&e, "KVK");
        return cli_fail(c, &e, 0);
    }
    rc = cli_emit(c, &out);
    jw_free(&out);
    return rc;
}

static int opdracht(struct cli *c, enum emp_ev_type type, int argc, char **argv)
{
    char usage[256];
    snprintf(usage, sizeof usage,
             "lks werkgever %s --db BESTAND --gemeente CODE --als ROL --gebruiker NAAM "
             "[--datum D] [--gegevens JSON|@BESTAND|-] [--kvk KVK] KVK",
             emp_ev_name(type));
    struct arg_val v[7];
    const char *pos[1];
    int rc;
    if (!parse(c, usage, cmd_spec, 7, argc, argv, v, pos, &rc))
        return rc;
    json_t *data = NULL;
    if (cli_json_arg(c, "--gegevens", v[5].set ? v[5].str : NULL, &data))
        return CLI_BAD;
    const struct rules *r = cli_rules(c);
    struct store *s = NULL;
    struct lks_err e = {0};
    if (!r || store_open(&s, v[0].str, 0, &e)) {
        json_decref(data);
        return r ? cli_fail(c, &e, 0) : CLI_BAD;
    }
    struct app a;
    if (app_init(&a, s, r, cli_today(), &e)) {
        json_decref(data);
        store_close(s);
        return cli_fail(c, &e, 0);
    }
    json_t *cmd = json_object();
    if (v[4].set)
        json_object_set_new(cmd, "datum", json_string(v[4].str));
    if (data)
        json_object_set_new(cmd, "gegevens", data);
    struct app_actor who = {v[1].str, v[3].str, (enum role)v[2].num, v[6].set ? v[6].str : NULL};
    struct lks_errlist errs = {0};
    struct employer w;
    rc = app_employer_command_json(&a, &who, pos[0], type, cmd, &w, &errs);
    json_decref(cmd);
    if (rc) {
        for (int i = 0; i < errs.n; i++) {
            if (strcmp(errs.e[i].field, "kvk") == 0)
                lks_err_field(&errs.e[i], errs.e[i].code == LKS_ENOTFOUND ? "KVK" : "--kvk");
            cli_fail(c, &errs.e[i], 0);
        }
        app_free(&a);
        store_close(s);
        return CLI_BAD;
    }
    struct jw out;
    jw_init(&out, 1 << 16, true);
    jw_obj_open(&out);
    jw_key(&out, "werkgever");
    codec_employer(&out, &w);
    jw_obj_close(&out);
    app_free(&a);
    store_close(s);
    rc = cli_emit(c, &out);
    jw_free(&out);
    return rc;
}

int cmd_werkgever(struct cli *c, int argc, char **argv)
{
    if (argc < 1) {
        fputs(help, c->errf);
        return CLI_BAD;
    }
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs(help, c->out);
        return CLI_OK;
    }
    if (!strcmp(argv[0], "toon"))
        return toon(c, argc - 1, argv + 1);
    int t = emp_ev_parse(argv[0]);
    if (t >= 0 && t != EMP_OVERGENOMEN)
        return opdracht(c, (enum emp_ev_type)t, argc - 1, argv + 1);
    fprintf(c->errf, "lks: werkgever %s: onbekende opdracht (zie lks werkgever --help)\n",
            argv[0]);
    return CLI_BAD;
}

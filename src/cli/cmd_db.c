/*
 * cmd_db — the commands on a store: init, demo, zaak (show a case, give a
 * command), termijnen (the work list of deadlines), export meetfactoren and
 * backup. They open the store named by --db, run through app/ and close it.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/demo.h"
#include "app/export.h"
#include "base/clock.h"
#include "base/money.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "codec/case_json.h"
#include "codec/rules_json.h"

/* The business date: today in Europe/Amsterdam, not in UTC (base/clock.h). */

/*
 * The common start of a store command: check the flags, load the rule tables when
 * `r` is given, open the store named by the first flag (--db). Returns 1 when the
 * command goes on; otherwise 0 with *exit set (help shown, or an error printed).
 */
static int prepare(struct cli *c, const struct arg_cmd *cmd, int argc, char **argv,
                   struct arg_val *v, const char **pos, int flags, const struct rules **r,
                   struct store **s, int *exit)
{
    struct lks_err e = {0};
    int rc = args_parse(cmd, argc, argv, v, pos, c->out, &e);
    if (rc) {
        *exit = rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
        return 0;
    }
    if (r && !(*r = cli_rules(c))) {
        *exit = CLI_BAD;
        return 0;
    }
    if (store_open(s, v[0].str, flags, &e)) {
        *exit = cli_fail(c, &e, 0);
        return 0;
    }
    if (r && !(*r = cli_rules_store(c, *s))) { /* and the store's own rows */
        store_close(*s);
        *exit = CLI_BAD;
        return 0;
    }
    return 1;
}

/* ---- init ---- */

static const struct arg_spec init_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand (wordt aangemaakt of bijgewerkt)", 0, 0,
     NULL},
};
static const struct arg_cmd init_cmd = {
    "lks init --db BESTAND", "Maakt een nieuwe opslag aan of werkt het schema bij.", NULL,
    init_spec, 1, 0, NULL};

int cmd_init(struct cli *c, int argc, char **argv)
{
    struct arg_val v[1];
    struct lks_err e = {0};
    struct store *s;
    int rc;
    if (!prepare(c, &init_cmd, argc, argv, v, NULL, STORE_CREATE, NULL, &s, &rc))
        return rc;
    int version = 0;
    rc = store_migrate(s, &e) || store_schema_version(s, &version, &e);
    store_close(s);
    if (rc)
        return cli_fail(c, &e, 0);
    struct jw w;
    jw_init(&w, 1 << 16, false);
    jw_obj_open(&w);
    jw_kstr(&w, "db", v[0].str);
    jw_kint(&w, "schemaversie", version);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

/* ---- demo ---- */

static const struct arg_spec demo_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeenten", ARG_INT, 0, "N", "aantal gemeenten (1-8, standaard 3)", 1, 8, NULL},
    {"--zaken", ARG_INT, 0, "N", "aantal zaken (standaard 200)", 1, 10000000, NULL},
    {"--seed", ARG_INT, 0, "S", "startwaarde van het toeval (standaard 1)", 0, INT64_MAX, NULL},
    {"--wachtwoord-invoer", ARG_FLAG, 0, NULL,
     "maak de medewerkers als gebruikers, met het wachtwoord van de standaardinvoer", 0, 0, NULL},
    {"--regels-doortrekken", ARG_FLAG, 0, NULL,
     "trek het minimumloon door tot een half jaar na vandaag als de regeltabellen eerder "
     "eindigen (regels die dat zeggen)",
     0, 0, NULL},
};
static const struct arg_cmd demo_cmd = {
    "lks demo --db BESTAND [--gemeenten N] [--zaken N] [--seed S] [--wachtwoord-invoer]\n"
    "         [--regels-doortrekken]",
    "Vult een opslag met een realistische, verzonnen gegevensset, gemaakt met de echte\n"
    "opdrachten van het werkproces: aanvragen, toetsen, metingen, beschikkingen, betalingen,\n"
    "bezwaren, voorzieningen en beëindigingen, alsof vandaag de laatste dag is. Met\n"
    "--wachtwoord-invoer zijn de medewerkers van elke gemeente gebruikers\n"
    "(klantmanager.helmond, e.visser.helmond, …, werkgever.helmond) en applicatiebeheerder.",
    NULL, demo_spec, 6, 0, NULL};

int cmd_demo(struct cli *c, int argc, char **argv)
{
    struct arg_val v[6];
    struct lks_err e = {0};
    const struct rules *r;
    struct store *s;
    int rc;
    if (!prepare(c, &demo_cmd, argc, argv, v, NULL, STORE_CREATE, &r, &s, &rc))
        return rc;
    char pw[256];
    if (v[4].set && !cli_read_password(c, pw, sizeof pw)) {
        store_close(s);
        return CLI_BAD;
    }
    struct app a;
    if (app_init(&a, s, r, cli_today(), &e)) {
        store_close(s);
        return cli_fail(c, &e, 0);
    }
    struct demo_opts o = {
        .gemeenten = v[1].set ? (int)v[1].num : 3,
        .zaken = v[2].set ? (int)v[2].num : 200,
        .seed = v[3].set ? (uint64_t)v[3].num : 1,
        .until = a.today,
        .password = v[4].set ? pw : NULL,
        .carry_rules = v[5].set,
    };
    struct demo_stats st;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = demo_run(&a, &o, &st, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    app_free(&a);
    store_close(s);
    if (rc)
        return cli_fail(c, &e, 0);
    int64_t ms = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    char secs[MONEY_FMT_MAX];
    money_fmt_fixed(secs, ms, 3); /* digits and one point: a JSON number, e.g. 0.068 */
    struct jw w;
    jw_init(&w, 1 << 16, false);
    jw_obj_open(&w);
    jw_kint(&w, "zaken", st.cases);
    jw_kint(&w, "gebeurtenissen", st.events);
    jw_kint(&w, "geweigerdeOpdrachten", st.refused);
    jw_kint(&w, "gebruikers", st.users);
    jw_key(&w, "seconden");
    jw_json(&w, secs, strlen(secs));
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

/* ---- zaak ---- */

static const struct arg_spec toon_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--datum", ARG_DATE, 0, "DATUM", "de stand van de termijnen op deze datum (standaard vandaag)",
     0, 0, NULL},
};
static const struct arg_cmd toon_cmd = {
    "lks zaak toon --db BESTAND [--datum D] ID",
    "Toont een zaak: status, partijen, dienstverband, loonwaarde, de huidige\n"
    "loonkostensubsidie met de stappen, elke termijn met grondslag en stand, en de\n"
    "gebeurtenissen.",
    NULL, toon_spec, 2, 1, "ID"};

struct ev_print {
    struct jw *w;
};

static int parse_id(struct cli *c, const char *s, int64_t *id)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v <= 0) {
        fprintf(c->errf, "lks: ID: '%s' is geen zaaknummer\n", s);
        return CLI_BAD;
    }
    *id = v;
    return CLI_OK;
}

static int zaak_toon(struct cli *c, int argc, char **argv)
{
    struct arg_val v[2];
    const char *pos[1];
    struct lks_err e = {0};
    const struct rules *r;
    struct store *s;
    int rc;
    if (!prepare(c, &toon_cmd, argc, argv, v, pos, 0, &r, &s, &rc))
        return rc;
    int64_t id;
    if ((rc = parse_id(c, pos[0], &id))) {
        store_close(s);
        return rc;
    }
    struct app a;
    struct app_view *view = malloc(sizeof *view);
    lks_date on = v[1].set ? (lks_date)v[1].num : cli_today();
    if (!view || app_init(&a, s, r, cli_today(), &e) || app_view(&a, NULL, id, on, view, &e)) {
        if (!view)
            lks_err_set(&e, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
        app_free(&a);
        free(view);
        store_close(s);
        if (e.code == LKS_ENOTFOUND)
            lks_err_field(&e, "ID");
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, 1 << 24, true);
    jw_obj_open(&w);
    jw_key(&w, "zaak");
    app_view_json(&w, view);
    jw_key(&w, "gebeurtenissen");
    jw_arr_open(&w);
    rc = app_case_events(&a, NULL, id, app_event_json, &w, &e);
    jw_arr_close(&w);
    jw_obj_close(&w);
    free(view);
    app_free(&a);
    store_close(s);
    if (rc) {
        jw_free(&w);
        return cli_fail(c, &e, 0);
    }
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

static const char *const role_choices[] = {"klantmanager", "loonwaardedeskundige", "beslisser",
                                           "financieel",   "beheerder",            "auditor",
                                           "werkgever",    "werknemer",            NULL};

static const struct arg_spec cmd_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeente", ARG_STR, 0, "CODE", "de gemeente (verplicht bij een nieuwe aanvraag)", 0, 0,
     NULL},
    {"--als", ARG_ENUM, 1, "ROL", "de rol waarin u de opdracht geeft", 0, 0, role_choices},
    {"--gebruiker", ARG_STR, 1, "NAAM", "wie de opdracht geeft", 0, 0, NULL},
    {"--datum", ARG_DATE, 0, "DATUM", "de datum van de stap (standaard vandaag)", 0, 0, NULL},
    {"--gegevens", ARG_STR, 0, "JSON",
     "de gegevens van de opdracht als JSON, of @BESTAND, of - voor standaardinvoer", 0, 0, NULL},
    {"--kvk", ARG_STR, 0, "KVK", "met --als werkgever: het bedrijf waarvoor de werkgever handelt",
     0, 0, NULL},
};

static int zaak_opdracht(struct cli *c, const char *type, int argc, char **argv)
{
    static char usage[256];
    snprintf(usage, sizeof usage,
             "lks zaak %s --db BESTAND --als ROL --gebruiker NAAM [--gemeente CODE] [--datum D] "
             "[--gegevens JSON|@BESTAND|-] [--kvk KVK] [ID]",
             type);
    struct arg_cmd cmd = {usage,
                          "Geeft een opdracht in het werkproces van een zaak. De opdracht wordt "
                          "gecontroleerd;\nbij weigering volgt de reden en verandert er niets.",
                          "Zonder ID begint een nieuwe zaak (alleen met aanvraag-ingediend).",
                          cmd_spec,
                          7,
                          1,
                          "ID"};
    struct arg_val v[7];
    const char *pos[1] = {NULL};
    struct lks_err e = {0};
    /* the ID is optional: parse with one positional allowed, none required */
    int npos_args = 0;
    for (int i = 0; i < argc; i++)
        if (argv[i][0] != '-' && (i == 0 || argv[i - 1][0] != '-' || strchr(argv[i - 1], '=')))
            npos_args++;
    cmd.npos = 1;
    int rc;
    if (npos_args == 0) {
        cmd.npos = 0;
        rc = args_parse(&cmd, argc, argv, v, pos, c->out, &e);
    } else {
        rc = args_parse(&cmd, argc, argv, v, pos, c->out, &e);
    }
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    int64_t id = 0;
    if (pos[0] && (rc = parse_id(c, pos[0], &id)))
        return rc;
    json_t *data = NULL;
    if (cli_json_arg(c, "--gegevens", v[5].set ? v[5].str : NULL, &data))
        return CLI_BAD;
    const struct rules *r = cli_rules(c);
    if (!r) {
        json_decref(data);
        return CLI_BAD;
    }
    struct store *s;
    if (store_open(&s, v[0].str, 0, &e)) {
        json_decref(data);
        return cli_fail(c, &e, 0);
    }
    if (!(r = cli_rules_store(c, s))) {
        store_close(s);
        json_decref(data);
        return CLI_BAD;
    }
    struct app a;
    if (app_init(&a, s, r, cli_today(), &e)) {
        store_close(s);
        json_decref(data);
        return cli_fail(c, &e, 0);
    }
    char tenant[CASE_ID] = "";
    if (v[1].set)
        snprintf(tenant, sizeof tenant, "%s", v[1].str);
    else if (id && app_case_tenant(&a, id, tenant, &e))
        lks_err_field(&e, "ID");
    else if (!tenant[0])
        lks_err_set(&e, LKS_EINVAL, "--gemeente", "required",
                    "is verplicht bij een nieuwe aanvraag");
    if (!tenant[0]) {
        app_free(&a);
        store_close(s);
        json_decref(data);
        return cli_fail(c, &e, 0);
    }
    json_t *cmdj = json_object();
    json_object_set_new(cmdj, "soort", json_string(type));
    if (v[4].set)
        json_object_set_new(cmdj, "datum", json_string(v[4].str));
    if (data)
        json_object_set_new(cmdj, "gegevens", data);
    struct app_actor who = {tenant, v[3].str, (enum role)v[2].num, v[6].set ? v[6].str : NULL};
    struct lks_errlist errs = {0};
    int64_t out_id = 0;
    rc = app_command_json(&a, &who, id, cmdj, &out_id, &errs);
    json_decref(cmdj);
    if (rc) {
        for (int i = 0; i < errs.n; i++) {
            if (strcmp(errs.e[i].field, "kvk") == 0)
                lks_err_field(&errs.e[i], "--kvk");
            else if (errs.e[i].code == LKS_ENOTFOUND)
                lks_err_field(&errs.e[i], "ID");
            cli_fail(c, &errs.e[i], 0);
        }
        app_free(&a);
        store_close(s);
        return CLI_BAD;
    }
    struct jw w;
    jw_init(&w, 1 << 16, false);
    jw_obj_open(&w);
    jw_kint(&w, "zaak", out_id);
    jw_kstr(&w, "status", case_status_name(a.cs->status));
    jw_kint(&w, "versie", a.cs->version);
    app_notes_json(&w, &a);
    jw_obj_close(&w);
    app_free(&a);
    store_close(s);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

int cmd_zaak(struct cli *c, int argc, char **argv)
{
    static const char *help =
        "Gebruik: lks zaak toon --db BESTAND ID\n"
        "         lks zaak OPDRACHT --db BESTAND --als ROL --gebruiker NAAM [--gegevens JSON] [ID]\n\n"
        "Opdrachten van het werkproces:\n"
        "  aanvraag-ingediend informatie-gevraagd informatie-aangevuld aanvraag-compleet\n"
        "  toegangstoets-uitgevoerd loonwaardemeting-aangevraagd loonwaarde-vastgesteld\n"
        "  forfait-afgesproken beschikking-verzonden herbeoordeling-gestart\n"
        "  loonwaarde-ongewijzigd dienstverband-beeindigd verhuisd geen-doelgroep-meer\n"
        "  aanvraag-ingetrokken bezwaar-ingediend bezwaar-beslist voorziening-toegekend\n"
        "  voorziening-beeindigd betaling-verricht kosten-geboekt\n";
    if (argc < 1) {
        fputs(help, c->errf);
        return CLI_BAD;
    }
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs(help, c->out);
        return CLI_OK;
    }
    if (!strcmp(argv[0], "toon"))
        return zaak_toon(c, argc - 1, argv + 1);
    if (ev_type_parse(argv[0]) >= 0)
        return zaak_opdracht(c, argv[0], argc - 1, argv + 1);
    fprintf(c->errf, "lks: zaak %s: onbekende opdracht (zie lks zaak --help)\n", argv[0]);
    return CLI_BAD;
}

/* ---- termijnen ---- */

static const struct arg_spec term_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--datum", ARG_DATE, 1, "DATUM", "de peildatum van de werklijst", 0, 0, NULL},
    {"--gemeente", ARG_STR, 0, "CODE", "alleen deze gemeente", 0, 0, NULL},
};
static const struct arg_cmd term_cmd = {
    "lks termijnen --db BESTAND --datum D [--gemeente CODE]",
    "De werklijst: open en verlopen termijnen per zaak op de datum, de meest dringende\n"
    "eerst, elk met de grondslag.",
    NULL, term_spec, 3, 0, NULL};

struct term_list {
    struct jw *w;
    lks_date on;
    int n;
};

static int term_cb(void *arg, const struct deadline_row *d)
{
    struct term_list *t = arg;
    if (d->start > t->on)
        return 0;
    struct case_deadline cd = {d->kind, d->start, d->due, d->done, d->index};
    jw_obj_open(t->w);
    jw_kstr(t->w, "gemeente", d->tenant);
    jw_kint(t->w, "zaak", d->case_id);
    jw_kstr(t->w, "soort", dl_kind_name(d->kind));
    jw_kstr(t->w, "omschrijving", dl_kind_text(d->kind));
    jw_kdate(t->w, "uiterlijk", d->due);
    jw_kint(t->w, "dagenOver", d->due - t->on);
    jw_kstr(t->w, "stand", dl_state(&cd, t->on));
    jw_kstr(t->w, "wettelijkeGrondslag", dl_kind_basis(d->kind));
    jw_obj_close(t->w);
    t->n++;
    return 0;
}

int cmd_termijnen(struct cli *c, int argc, char **argv)
{
    struct arg_val v[3];
    struct lks_err e = {0};
    struct store *s;
    int rc;
    if (!prepare(c, &term_cmd, argc, argv, v, NULL, 0, NULL, &s, &rc))
        return rc;
    struct jw w;
    jw_init(&w, (size_t)1 << 30, true);
    struct term_list t = {&w, (lks_date)v[1].num, 0};
    jw_obj_open(&w);
    jw_kdate(&w, "datum", t.on);
    jw_key(&w, "termijnen");
    jw_arr_open(&w);
    struct app a;
    rc = app_init(&a, s, cli_rules(c), cli_today(), &e);
    if (rc == 0)
        rc = app_operator_deadlines(&a, v[2].set ? v[2].str : NULL, t.on, term_cb, &t, &e);
    app_free(&a);
    jw_arr_close(&w);
    jw_kint(&w, "aantal", t.n);
    jw_obj_close(&w);
    store_close(s);
    if (rc) {
        jw_free(&w);
        return cli_fail(c, &e, 0);
    }
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

/* ---- export ---- */

static const struct arg_spec exp_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeente", ARG_STR, 0, "CODE", "alleen deze gemeente", 0, 0, NULL},
};
static const struct arg_cmd exp_cmd = {
    "lks export meetfactoren --db BESTAND [--gemeente CODE]",
    "CSV met de 35 meetfactoren van de pilot (projectplan Helmond 2010, bijlage 3): een\n"
    "regel per cliënt (de meest recente zaak), met kopregel.",
    NULL, exp_spec, 2, 0, NULL};

int cmd_export(struct cli *c, int argc, char **argv)
{
    if (argc < 1 || (strcmp(argv[0], "meetfactoren") && strcmp(argv[0], "--help"))) {
        fprintf(c->errf, "Gebruik: %s\n", exp_cmd.usage);
        return CLI_BAD;
    }
    if (!strcmp(argv[0], "--help")) {
        args_help(&exp_cmd, c->out);
        return CLI_OK;
    }
    struct arg_val v[2];
    struct lks_err e = {0};
    struct store *s;
    int rc;
    if (!prepare(c, &exp_cmd, argc - 1, argv + 1, v, NULL, 0, NULL, &s, &rc))
        return rc;
    int rows = 0;
    rc = export_meetfactoren(s, v[1].set ? v[1].str : NULL, c->out, &rows, &e);
    store_close(s);
    return rc ? cli_fail(c, &e, 0) : CLI_OK;
}

/* ---- backup ---- */

static const struct arg_spec bak_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--naar", ARG_STR, 1, "BESTAND", "het nieuwe kopiebestand (mag nog niet bestaan)", 0, 0,
     NULL},
};
static const struct arg_cmd bak_cmd = {
    "lks backup --db BESTAND --naar BESTAND",
    "Maakt een consistente kopie van de opslag terwijl die in gebruik kan zijn.", NULL, bak_spec,
    2, 0, NULL};

int cmd_backup(struct cli *c, int argc, char **argv)
{
    struct arg_val v[2];
    struct lks_err e = {0};
    struct store *s;
    int rc;
    if (!prepare(c, &bak_cmd, argc, argv, v, NULL, 0, NULL, &s, &rc))
        return rc;
    rc = store_backup(s, v[1].str, &e);
    store_close(s);
    if (rc)
        return cli_fail(c, &e, 0);
    struct jw w;
    jw_init(&w, 1 << 16, false);
    jw_obj_open(&w);
    jw_kstr(&w, "kopie", v[1].str);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

/* ---- controleer ---- */

static const struct arg_spec chk_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
};
static const struct arg_cmd chk_cmd = {
    "lks controleer --db BESTAND",
    "Controleert de opslag: de integriteitscontrole van de database, en voor elke zaak dat\n"
    "het opnieuw afspelen van de gebeurtenissen precies de opgeslagen zaak geeft.\n"
    "Afsluitcode 0 als alles klopt, 1 als er een afwijking is.",
    NULL, chk_spec, 1, 0, NULL};

int cmd_controleer(struct cli *c, int argc, char **argv)
{
    struct arg_val v[1];
    struct lks_err e = {0};
    const struct rules *r;
    struct store *s;
    int rc;
    if (!prepare(c, &chk_cmd, argc, argv, v, NULL, 0, &r, &s, &rc))
        return rc;
    struct app a;
    struct app_verify *ver = malloc(sizeof *ver);
    rc = ver ? app_init(&a, s, r, cli_today(), &e)
             : lks_err_set(&e, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    if (rc == 0)
        rc = app_verify(&a, ver, &e);
    if (ver)
        app_free(&a);
    store_close(s);
    if (rc) {
        free(ver);
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, 1 << 20, false);
    jw_obj_open(&w);
    jw_kbool(&w, "integriteit", ver->integrity_ok);
    jw_kint(&w, "zaken", ver->cases);
    jw_kint(&w, "gebeurtenissen", ver->events);
    jw_kint(&w, "afwijkend", ver->mismatched);
    jw_kint(&w, "wettelijkeTermijnen", ver->deadlines);
    jw_kint(&w, "termijnfouten", ver->deadline_errors);
    jw_kint(&w, "termijnAfwijkingen", ver->deadline_mismatches);
    jw_kint(&w, "volgendeTermijnAfwijkingen", ver->next_mismatches);
    jw_kint(&w, "werkgevers", ver->employers);
    jw_kint(&w, "werkgeverAfwijkingen", ver->employer_mismatches);
    jw_kint(&w, "personen", ver->persons);
    jw_kint(&w, "persoonAfwijkingen", ver->person_mismatches);
    jw_kint(&w, "onleesbaar", ver->unreadable);
    if (ver->first_bad)
        jw_kint(&w, "eersteAfwijkendeZaak", ver->first_bad);
    jw_kint(&w, "problemen", ver->problems);
    jw_key(&w, "meldingen");
    jw_arr_open(&w);
    for (int i = 0; i < ver->nproblems; i++) {
        const struct app_problem *p = &ver->problem[i];
        jw_obj_open(&w);
        jw_kstr(&w, "gemeente", p->tenant);
        if (p->case_id)
            jw_kint(&w, "zaak", p->case_id);
        if (p->kvk[0])
            jw_kstr(&w, "werkgever", p->kvk);
        if (p->seq)
            jw_kint(&w, "gebeurtenis", p->seq);
        jw_kstr(&w, "soort", p->kind);
        jw_kstr(&w, "melding", p->msg);
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
    bool good = ver->integrity_ok && ver->problems == 0 && ver->deadline_errors == 0;
    free(ver);
    if (!good)
        fprintf(c->errf, "lks: controleer: de opslag heeft afwijkingen (zie meldingen)\n");
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc != CLI_OK ? rc : good ? CLI_OK : CLI_NO;
}

/* ---- beleid ---- */

static const struct arg_spec pol_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeente", ARG_STR, 1, "CODE", "de gemeente", 0, 0, NULL},
    {"--datum", ARG_DATE, 0, "DATUM", "toon het beleid dat op deze datum geldt (standaard vandaag)",
     0, 0, NULL},
    {"--vanaf", ARG_DATE, 0, "DATUM", "zet een instelling met ingang van deze datum", 0, 0, NULL},
    {"--instelling", ARG_STR, 0, "NAAM", "de instelling, bijv. ondergrens (zie hieronder)", 0, 0,
     NULL},
    {"--waarde", ARG_STR, 0, "WAARDE", "de nieuwe waarde, bijv. 35", 0, 0, NULL},
};

int cmd_beleid(struct cli *c, int argc, char **argv)
{
    static char details[2048];
    if (!details[0]) {
        size_t n = (size_t)snprintf(details, sizeof details, "Instellingen:\n");
        for (int i = 0; i < policy_nkeys && n < sizeof details; i++)
            n += (size_t)snprintf(details + n, sizeof details - n, "  %-26s %s\n",
                                  policy_keys[i].key, policy_keys[i].text);
    }
    struct arg_cmd cmd = {
        "lks beleid --db BESTAND --gemeente CODE [--datum D]\n"
        "       lks beleid --db BESTAND --gemeente CODE --vanaf D --instelling NAAM --waarde W",
        "Toont het beleid van een gemeente op een datum, of zet een instelling met ingang van\n"
        "een datum (eerdere perioden blijven zoals ze waren).",
        details, pol_spec, 6, 0, NULL};
    struct arg_val v[6];
    struct lks_err e = {0};
    struct store *s;
    int rc;
    if (!prepare(c, &cmd, argc, argv, v, NULL, 0, NULL, &s, &rc))
        return rc;
    const char *tenant = v[1].str;
    int setting = v[3].set || v[4].set || v[5].set;
    struct app a;
    const struct rules *r = cli_rules(c);
    if (!r) {
        store_close(s);
        return CLI_BAD;
    }
    if ((rc = app_init(&a, s, r, cli_today(), &e))) {
        store_close(s);
        return cli_fail(c, &e, 0);
    }
    if (setting) {
        if (!v[3].set || !v[4].set || !v[5].set)
            rc = lks_err_set(&e, LKS_EINVAL, !v[3].set ? "--vanaf" : !v[4].set ? "--instelling"
                                                                              : "--waarde",
                             "required", "is nodig om een instelling te zetten");
        else if ((rc = app_policy_set(&a, tenant, (lks_date)v[3].num, v[4].str, v[5].str,
                                      &e)) != 0)
            lks_err_field(&e, rc == LKS_ESTATE               ? "--vanaf"
                              : strcmp(e.field, "instelling") == 0 ? "--instelling"
                                                                   : "--waarde");
        if (rc) {
            app_free(&a);
            store_close(s);
            return cli_fail(c, &e, 0);
        }
    }
    lks_date on = v[2].set ? (lks_date)v[2].num : v[3].set ? (lks_date)v[3].num : cli_today();
    struct policy p;
    rc = app_policy_at(&a, tenant, on, &p, &e);
    app_free(&a);
    if (rc) {
        store_close(s);
        return cli_fail(c, &e, 0);
    }
    store_close(s);
    struct jw w;
    jw_init(&w, 1 << 16, true);
    jw_obj_open(&w);
    jw_kstr(&w, "gemeente", tenant);
    jw_kdate(&w, "datum", on);
    jw_key(&w, "instellingen");
    jw_obj_open(&w);
    char b[MONEY_FMT_MAX];
    for (int i = 0; i < policy_nkeys; i++)
        jw_kstr(&w, policy_keys[i].key,
                money_fmt_short(b, policy_get(&p, i), policy_keys[i].decimals, 0));
    jw_obj_close(&w);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

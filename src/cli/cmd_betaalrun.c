/*
 * cmd_betaalrun — `lks betaalrun`: the monthly payment run at the console, as a named
 * financieel user of the municipality (app_payrun.h: who may do what, four eyes).
 *
 *   maken      --db DB --gemeente CODE --maand JJJJ-MM --gebruiker NAAM [--uitvoerdatum D]
 *   goedkeuren --db DB --run ID --gebruiker NAAM
 *   annuleren  --db DB --run ID --gebruiker NAAM
 *   sepa       --db DB --run ID --gebruiker NAAM [--deel N]   > betaling.xml
 *   lijst      --db DB --run ID --gebruiker NAAM              > betaallijst.csv
 *   bank       --db DB --gemeente CODE --bestand camt.xml --gebruiker NAAM
 *
 * JSON on stdout (the run: id, month, status, lines, total, exceptions), except sepa
 * (the XML file) and lijst (CSV). Fails as every command does: a message naming the
 * flag and exit 2; nothing is written then.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_payrun.h"
#include "cli/args.h"
#include "cli/cli.h"

static const struct arg_spec make_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeente", ARG_STR, 1, "CODE", "de gemeente (bijvoorbeeld gm0794)", 0, 0, NULL},
    {"--maand", ARG_STR, 1, "JJJJ-MM", "de maand die wordt betaald", 0, 0, NULL},
    {"--gebruiker", ARG_STR, 1, "NAAM", "de medewerker financiën die de run maakt", 0, 0, NULL},
    {"--uitvoerdatum", ARG_DATE, 0, "DATUM",
     "de gewenste uitvoerdatum (standaard de volgende "
     "werkdag)",
     0, 0, NULL},
};
static const struct arg_cmd make_cmd = {
    "lks betaalrun maken --db BESTAND --gemeente CODE --maand JJJJ-MM --gebruiker NAAM "
    "[--uitvoerdatum DATUM]",
    "Maakt de betaalrun van een maand: per lopende subsidie elke maand tot en met deze die nog "
    "niet is betaald.",
    "Elke regel heeft het bedrag met zijn stappen (Participatiewet art. 10d). Wat niet kan\n"
    "worden betaald (geen bevestigde IBAN, een maand buiten de regeltabellen) staat bij de\n"
    "uitzonderingen met de reden. Een tweede medewerker financiën keurt de run goed.",
    make_spec,
    sizeof make_spec / sizeof make_spec[0],
    0,
    NULL};

static const struct arg_spec run_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--run", ARG_INT, 1, "ID", "de betaalrun", 1, INT64_MAX, NULL},
    {"--gebruiker", ARG_STR, 1, "NAAM", "de medewerker financiën", 0, 0, NULL},
    {"--deel", ARG_INT, 0, "N", "sepa: het deel (per 100.000 betalingen één bestand)", 1, 1000,
     NULL},
};

static const struct arg_spec bank_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeente", ARG_STR, 1, "CODE", "de gemeente", 0, 0, NULL},
    {"--bestand", ARG_STR, 1, "BESTAND",
     "het rekeningafschrift (camt.053) of statusrapport "
     "(pain.002)",
     0, 0, NULL},
    {"--gebruiker", ARG_STR, 1, "NAAM", "de medewerker financiën", 0, 0, NULL},
};
static const struct arg_cmd bank_cmd = {
    "lks betaalrun bank --db BESTAND --gemeente CODE --bestand AFSCHRIFT --gebruiker NAAM",
    "Leest het antwoord van de bank: betaalde en teruggekomen betalingen.",
    "Een camt.053-afschrift of pain.002-statusrapport. Een teruggekomen betaling komt bij\n"
    "de uitzonderingen van de zaak; de maand kan in een volgende run opnieuw worden betaald.",
    bank_spec,
    sizeof bank_spec / sizeof bank_spec[0],
    0,
    NULL};

struct ctx {
    struct cli *c;
    struct store *s;
    struct app a;
    bool app_ok;
    struct auth_user u;
    struct app_actor who;
    char tenant[CASE_ID];
};

static void ctx_close(struct ctx *x)
{
    if (x->app_ok)
        app_free(&x->a);
    if (x->s)
        store_close(x->s);
}

static int ctx_open(struct ctx *x, struct cli *c, const char *db, const char *tenant,
                    const char *user, struct lks_err *e)
{
    memset(x, 0, sizeof *x);
    x->c = c;
    const struct rules *r = cli_rules(c);
    if (!r)
        return CLI_BAD;
    if (store_open(&x->s, db, 0, e))
        return cli_fail(c, e, 0);
    if (!(r = cli_rules_store(c, x->s)))
        return CLI_BAD;
    if (app_init(&x->a, x->s, r, cli_today(), e))
        return cli_fail(c, e, 0);
    x->app_ok = true;
    if (tenant)
        snprintf(x->tenant, sizeof x->tenant, "%s", tenant);
    if (tenant && app_actor_of_user(&x->a, x->tenant, user, &x->u, &x->who, e)) {
        lks_err_field(e, "--gebruiker");
        return cli_fail(c, e, 0);
    }
    return 0;
}

/* The run's municipality is the user's: open as the user of the run's municipality. */
static int ctx_open_run(struct ctx *x, struct cli *c, const char *db, const char *user,
                        struct lks_err *e)
{
    int rc = ctx_open(x, c, db, NULL, user, e);
    if (rc)
        return rc;
    if (app_actor_of_user(&x->a, NULL, user, &x->u, &x->who, e)) {
        lks_err_field(e, "--gebruiker");
        return cli_fail(c, e, 0);
    }
    return 0;
}

static void run_json(struct jw *w, const struct payrun *r)
{
    static const char *const st[] = {"concept", "goedgekeurd", "geannuleerd"};
    char m[8];
    int y, mo, d;
    date_to_ymd(r->month, &y, &mo, &d);
    snprintf(m, sizeof m, "%04d-%02d", y, mo);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "gemeente", r->tenant);
    jw_kstr(w, "maand", m);
    jw_kstr(w, "status", (unsigned)r->status < 3 ? st[r->status] : "?");
    jw_kint(w, "regels", r->nlines);
    jw_kmoney(w, "totaal", r->total);
    jw_kdate(w, "uitvoerdatum", r->execution);
    jw_kstr(w, "gemaaktDoor", r->prepared_by);
    if (r->approved_by[0])
        jw_kstr(w, r->status == PAYRUN_APPROVED ? "goedgekeurdDoor" : "geannuleerdDoor",
                r->approved_by);
}

static int parse_month(const char *s, lks_date *out, struct lks_err *e)
{
    char full[16];
    if (strlen(s) != 7)
        return lks_err_set(e, LKS_EINVAL, "--maand", "bad-month", "geef de maand als JJJJ-MM");
    snprintf(full, sizeof full, "%s-01", s);
    if (date_parse(out, full, "--maand", e))
        return lks_err_set(e, LKS_EINVAL, "--maand", "bad-month", "geef de maand als JJJJ-MM");
    return 0;
}

static int do_make(struct cli *c, int argc, char **argv)
{
    struct arg_val v[5];
    struct lks_err e = {0};
    int rc = args_parse(&make_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    lks_date month;
    if (parse_month(v[2].str, &month, &e))
        return cli_fail(c, &e, 0);
    struct ctx x;
    if ((rc = ctx_open(&x, c, v[0].str, v[1].str, v[3].str, &e))) {
        ctx_close(&x);
        return rc;
    }
    struct app_payrun_result *res = malloc(sizeof *res);
    if (!res) {
        ctx_close(&x);
        fprintf(c->errf, "lks: onvoldoende geheugen\n");
        return CLI_BAD;
    }
    rc = app_payrun_make(&x.a, &x.who, month, v[4].set ? (lks_date)v[4].num : LKS_NO_DATE, res, &e);
    if (rc) {
        free(res);
        ctx_close(&x);
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, 1 << 20, true);
    jw_obj_open(&w);
    run_json(&w, &res->run);
    jw_kint(&w, "alBetaald", res->taken);
    jw_kint(&w, "aantalUitzonderingen", res->nex);
    jw_key(&w, "uitzonderingen");
    jw_arr_open(&w);
    for (int i = 0; i < res->nkept; i++) {
        jw_obj_open(&w);
        jw_kint(&w, "zaak", res->ex[i].case_id);
        jw_kdate(&w, "maand", res->ex[i].month);
        jw_kstr(&w, "veld", res->ex[i].field);
        jw_kstr(&w, "reden", res->ex[i].msg);
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    free(res);
    ctx_close(&x);
    return rc;
}

enum run_op { OP_APPROVE, OP_CANCEL, OP_SEPA, OP_LIST };

static int do_run(struct cli *c, enum run_op op, int argc, char **argv)
{
    static const char *const usage[] = {
        "lks betaalrun goedkeuren --db BESTAND --run ID --gebruiker NAAM",
        "lks betaalrun annuleren --db BESTAND --run ID --gebruiker NAAM",
        "lks betaalrun sepa --db BESTAND --run ID --gebruiker NAAM [--deel N]",
        "lks betaalrun lijst --db BESTAND --run ID --gebruiker NAAM"};
    static const char *const what[] = {
        "Keurt een betaalrun goed (een andere medewerker financiën dan wie hem maakte).",
        "Annuleert een betaalrun die nog niet is goedgekeurd; de maanden komen weer vrij.",
        "Het betaalbestand (SEPA pain.001.001.09) van een goedgekeurde betaalrun.",
        "De betaallijst van een betaalrun als CSV."};
    struct arg_cmd cmd = {usage[op], what[op], NULL, run_spec, op == OP_SEPA ? 4 : 3, 0, NULL};
    struct arg_val v[4];
    struct lks_err e = {0};
    int rc = args_parse(&cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    struct ctx x;
    if ((rc = ctx_open_run(&x, c, v[0].str, v[2].str, &e))) {
        ctx_close(&x);
        return rc;
    }
    int64_t id = v[1].num;
    if (op == OP_SEPA) {
        struct buf b;
        buf_init(&b, (size_t)1 << 30);
        rc = app_payrun_sepa(&x.a, &x.who, id, op == OP_SEPA && v[3].set ? (int)v[3].num : 1, &b,
                             &e);
        if (rc == 0 && fwrite(b.data, 1, b.len, c->out) != b.len)
            rc = lks_err_set(&e, LKS_EIO, "stdout", "write", "schrijven mislukt");
        buf_free(&b);
        ctx_close(&x);
        return rc ? cli_fail(c, &e, 0) : CLI_OK;
    }
    if (op == OP_LIST) {
        rc = app_payrun_csv(&x.a, &x.who, id, c->out, &e);
        ctx_close(&x);
        return rc ? cli_fail(c, &e, 0) : CLI_OK;
    }
    struct payrun r;
    rc = op == OP_APPROVE ? app_payrun_approve(&x.a, &x.who, id, &r, &e)
                          : app_payrun_cancel(&x.a, &x.who, id, &r, &e);
    if (rc == 0) {
        int parts = 0;
        struct jw w;
        jw_init(&w, 1 << 16, true);
        jw_obj_open(&w);
        run_json(&w, &r);
        if (op == OP_APPROVE && app_payrun_parts(&x.a, &x.who, id, &parts, &e) == 0)
            jw_kint(&w, "bestanden", parts);
        jw_obj_close(&w);
        rc = cli_emit(c, &w);
        jw_free(&w);
        ctx_close(&x);
        return rc;
    }
    ctx_close(&x);
    return cli_fail(c, &e, 0);
}

static int do_bank(struct cli *c, int argc, char **argv)
{
    struct arg_val v[4];
    struct lks_err e = {0};
    int rc = args_parse(&bank_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    FILE *f = fopen(v[2].str, "rb");
    if (!f) {
        fprintf(c->errf, "lks: --bestand: %s kan niet worden gelezen\n", v[2].str);
        return CLI_BAD;
    }
    struct buf b;
    buf_init(&b, (size_t)64 << 20);
    char chunk[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (!buf_add(&b, chunk, n)) {
            ok = false;
            break;
        }
    fclose(f);
    if (!ok) {
        buf_free(&b);
        fprintf(c->errf, "lks: --bestand: groter dan 64 MiB\n");
        return CLI_BAD;
    }
    struct ctx x;
    if ((rc = ctx_open(&x, c, v[0].str, v[1].str, v[3].str, &e))) {
        buf_free(&b);
        ctx_close(&x);
        return rc;
    }
    int64_t paid = 0, returned = 0, unknown = 0;
    rc = app_payrun_bank(&x.a, &x.who, (const char *)b.data, b.len, &paid, &returned, &unknown, &e);
    buf_free(&b);
    ctx_close(&x);
    if (rc)
        return cli_fail(c, &e, 0);
    struct jw w;
    jw_init(&w, 4096, true);
    jw_obj_open(&w);
    jw_kint(&w, "betaald", paid);
    jw_kint(&w, "teruggekomen", returned);
    jw_kint(&w, "onbekend", unknown);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

int cmd_betaalrun(struct cli *c, int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "maken"))
        return do_make(c, argc - 1, argv + 1);
    if (!strcmp(sub, "goedkeuren"))
        return do_run(c, OP_APPROVE, argc - 1, argv + 1);
    if (!strcmp(sub, "annuleren"))
        return do_run(c, OP_CANCEL, argc - 1, argv + 1);
    if (!strcmp(sub, "sepa"))
        return do_run(c, OP_SEPA, argc - 1, argv + 1);
    if (!strcmp(sub, "lijst"))
        return do_run(c, OP_LIST, argc - 1, argv + 1);
    if (!strcmp(sub, "bank"))
        return do_bank(c, argc - 1, argv + 1);
    bool help = !strcmp(sub, "--help") || !strcmp(sub, "-h");
    fprintf(help ? c->out : c->errf,
            "%sgebruik: lks betaalrun maken|goedkeuren|annuleren|sepa|lijst|bank …\n"
            "  maken       de betaalrun van een maand maken (medewerker financiën)\n"
            "  goedkeuren  een betaalrun goedkeuren (een tweede medewerker financiën)\n"
            "  annuleren   een betaalrun annuleren die nog niet is goedgekeurd\n"
            "  sepa        het betaalbestand (pain.001.001.09) van een goedgekeurde run\n"
            "  lijst       de betaallijst als CSV\n"
            "  bank        het antwoord van de bank inlezen (camt.053 of pain.002)\n"
            "Elk onderdeel kent --help.\n",
            help ? "" : "lks betaalrun: noem een onderdeel\n");
    return help ? CLI_OK : CLI_BAD;
}

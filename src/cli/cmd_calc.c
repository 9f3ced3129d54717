/*
 * cmd_calc — `lks calc lks|loondispensatie|inverdieneffect`: the stateless
 * calculations, one JSON object with its steps; and `lks calc lks --csv` for
 * bulk recalculation by policy staff.
 */
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/money.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "codec/rules_json.h"
#include "rules/ld.h"
#include "rules/lks.h"

#define JSON_MAX (1 << 20)

static const struct arg_spec lks_spec[] = {
    {"--peildatum", ARG_DATE, 0, "DATUM",
     "datum waarvan het minimumloon geldt (start of 1 januari)", 0, 0, NULL},
    {"--loonwaarde", ARG_PCT, 0, "PROCENT", "loonwaarde in procenten van het WML, bijv. 57.5", 0,
     0, NULL},
    {"--uren", ARG_HOURS, 0, "UREN", "overeengekomen uren per week", 1, 6000, NULL},
    {"--voltijduren", ARG_HOURS, 0, "UREN",
     "normale voltijdse uren per week in de sector (verplicht voor 2024 en boven 36 uur)", 1,
     6000, NULL},
    {"--leeftijd", ARG_INT, 0, "JAREN", "leeftijd op de peildatum (voor het jeugdminimumloon)",
     15, 130, NULL},
    {"--forfaitair", ARG_FLAG, 0, NULL,
     "forfaitaire loonkostensubsidie (50%, zonder loonwaardemeting)", 0, 0, NULL},
    {"--csv", ARG_STR, 0, "BESTAND",
     "herbereken alle regels van een CSV-bestand ('-' = standaardinvoer)", 0, 0, NULL},
};

static const struct arg_cmd lks_cmd = {
    "lks calc lks --peildatum D --loonwaarde P --uren H [--voltijduren F] [--leeftijd N] "
    "[--forfaitair]\n       lks calc lks --csv BESTAND|-",
    "Berekent de loonkostensubsidie per maand (Participatiewet art. 10d) met alle stappen.",
    "--voltijduren is verplicht bij een peildatum voor 2024 (de subsidie deelt de uren dan door\n"
    "de voltijdse uren van de sector) en bij meer dan 36 uur per week (de uren tellen tot die\n"
    "voltijd); anders tellen zonder --voltijduren de uren volledig.\n"
    "Bij --csv heeft de invoer de kop peildatum,loonwaarde,uren,voltijduren,leeftijd,forfaitair\n"
    "(leeftijd en forfaitair mogen leeg zijn, voltijduren waar het niet verplicht is;\n"
    "forfaitair: ja/nee). De uitvoer heeft dezelfde kolommen plus\n"
    "wmlPerMaand,grondslag,loonkostensubsidie,werkgeverslasten,totaal.\n"
    "Elke foute regel wordt met regelnummer en reden op stderr gemeld; dan is de afsluitcode 2.",
    lks_spec, sizeof lks_spec / sizeof lks_spec[0], 0, NULL};

/* ---- CSV bulk mode ---- */

enum { C_PEIL, C_LW, C_UREN, C_VOLTIJD, C_LEEFTIJD, C_FORFAIT, C_N };
static const char *const csv_cols[C_N] = {"peildatum",   "loonwaarde", "uren",
                                          "voltijduren", "leeftijd",   "forfaitair"};
#define CSV_LINE_MAX 4096
#define CSV_MAX_FIELDS 32

/* Split one CSV line in place (RFC 4180 quotes, no line breaks inside). Returns fields or -1. */
static int csv_split(char *s, char **f, int max)
{
    int n = 0;
    for (;;) {
        if (n == max)
            return -1;
        char *out = s;
        f[n++] = s;
        if (*s == '"') {
            char *r = s + 1;
            for (;;) {
                if (*r == '\0')
                    return -1;
                if (*r == '"') {
                    if (r[1] == '"') {
                        *out++ = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                *out++ = *r++;
            }
            if (*r != ',' && *r != '\0')
                return -1;
            char end = *r;
            *out = '\0';
            if (end == '\0')
                return n;
            s = r + 1;
        } else {
            char *comma = strchr(s, ',');
            if (!comma)
                return n;
            *comma = '\0';
            s = comma + 1;
        }
    }
}

/* Parse the six input cells of one row into an lks_input; err names the column. */
static int csv_row_input(char **cell, struct lks_input *in, struct lks_err *err)
{
    int64_t v;
    memset(in, 0, sizeof *in);
    if (date_parse(&in->peildatum, cell[C_PEIL], "peildatum", err))
        return LKS_EINVAL;
    const char *forf = cell[C_FORFAIT];
    if (!*forf || !strcmp(forf, "nee") || !strcmp(forf, "false") || !strcmp(forf, "0"))
        in->forfait = false;
    else if (!strcmp(forf, "ja") || !strcmp(forf, "true") || !strcmp(forf, "1"))
        in->forfait = true;
    else
        return lks_err_set(err, LKS_EINVAL, "forfaitair", "not-a-boolean",
                           "'%s' is geen ja of nee", forf);
    if (in->forfait && !*cell[C_LW]) {
        in->loonwaarde = 0;
    } else {
        if (money_parse_fixed(&v, cell[C_LW], 2, "loonwaarde", err))
            return LKS_EINVAL;
        if (v < 0 || v > 10000)
            return lks_err_set(err, LKS_EINVAL, "loonwaarde", "out-of-range",
                               "'%s' is geen percentage van 0 tot en met 100", cell[C_LW]);
        in->loonwaarde = (int32_t)v;
    }
    if (money_parse_fixed(&v, cell[C_UREN], 2, "uren", err))
        return LKS_EINVAL;
    in->hours = v > 100000 ? 100000 : (int32_t)v; /* range is checked by lks_compute */
    /* Empty: not known (lks_compute refuses the row where it is needed). A given 0 is out
     * of range, not 'not known': -1 lets lks_compute refuse it with its message. */
    if (*cell[C_VOLTIJD]) {
        if (money_parse_fixed(&v, cell[C_VOLTIJD], 2, "voltijduren", err))
            return LKS_EINVAL;
        in->fulltime = v <= 0 ? -1 : v > 100000 ? 100000 : (int32_t)v;
    } else {
        in->fulltime = 0;
    }
    if (*cell[C_LEEFTIJD]) {
        if (money_parse_fixed(&v, cell[C_LEEFTIJD], 0, "leeftijd", err))
            return lks_err_set(err, LKS_EINVAL, "leeftijd", "not-an-integer",
                               "'%s' is geen geheel aantal jaren", cell[C_LEEFTIJD]);
        in->age = v > 1000 ? 1000 : (int32_t)v;
    } else {
        in->age = LKS_AGE_ADULT;
    }
    return 0;
}

static int calc_csv(struct cli *c, const struct rules *r, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(c->errf, "lks: --csv: bestand '%s' kan niet worden gelezen\n", path);
        return CLI_BAD;
    }
    char line[CSV_LINE_MAX + 2];
    char *cell[CSV_MAX_FIELDS];
    int map[C_N];
    long lineno = 0, bad = 0;
    int rc = CLI_OK, ncols = 0;
    FILE *o = c->out;

    /* header */
    if (!fgets(line, sizeof line, f)) {
        fprintf(c->errf, "lks: --csv: het bestand is leeg (verwacht een kopregel)\n");
        rc = CLI_BAD;
        goto done;
    }
    lineno = 1;
    line[strcspn(line, "\r\n")] = '\0';
    ncols = csv_split(line, cell, CSV_MAX_FIELDS);
    for (int k = 0; k < C_N; k++) {
        map[k] = -1;
        for (int i = 0; i < ncols; i++)
            if (strcmp(cell[i], csv_cols[k]) == 0)
                map[k] = i;
        if (map[k] < 0 && k <= C_UREN) {
            fprintf(c->errf, "lks: --csv: regel 1: de kolom '%s' ontbreekt in de kopregel\n",
                    csv_cols[k]);
            rc = CLI_BAD;
            goto done;
        }
    }
    for (int k = 0; k < C_N; k++)
        fprintf(o, "%s,", csv_cols[k]);
    fputs("wmlPerMaand,grondslag,loonkostensubsidie,werkgeverslasten,totaal\n", o);

    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            fprintf(c->errf, "lks: --csv: regel %ld: langer dan %d tekens\n", lineno,
                    CSV_LINE_MAX);
            bad++;
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        int n = csv_split(line, cell, CSV_MAX_FIELDS);
        if (n != ncols) {
            fprintf(c->errf, "lks: --csv: regel %ld: %d velden, de kopregel heeft er %d\n", lineno,
                    n < 0 ? 0 : n, ncols);
            bad++;
            continue;
        }
        char *row[C_N];
        for (int k = 0; k < C_N; k++)
            row[k] = map[k] >= 0 ? cell[map[k]] : "";
        struct lks_input in;
        struct lks_result res;
        struct lks_err e = {0};
        if (csv_row_input(row, &in, &e) || lks_compute(r, &in, &res, &e)) {
            fprintf(c->errf, "lks: --csv: regel %ld: %s: %s\n", lineno, e.field, e.msg);
            bad++;
            continue;
        }
        /* the input cells are echoed as given: text, with the formula guard (base/csv.h);
         * the amounts lks computed are numbers */
        char a[MONEY_FMT_MAX];
        for (int k = 0; k < C_N; k++)
            csv_cell(o, row[k], 0);
        csv_value(o, money_fmt(a, res.wml), 0);
        csv_value(o, money_fmt(a, res.base), 0);
        csv_value(o, money_fmt(a, res.subsidy), 0);
        csv_value(o, money_fmt(a, res.allowance), 0);
        csv_value(o, money_fmt(a, res.total), 1);
    }
    if (ferror(f)) {
        fprintf(c->errf, "lks: --csv: leesfout na regel %ld\n", lineno);
        rc = CLI_BAD;
    }
    if (bad) {
        fprintf(c->errf, "lks: --csv: %ld regel(s) afgekeurd\n", bad);
        rc = CLI_BAD;
    }
done:
    if (f != stdin)
        fclose(f);
    return rc;
}

static int calc_lks(struct cli *c, int argc, char **argv)
{
    struct arg_val v[sizeof lks_spec / sizeof lks_spec[0]];
    struct lks_err e = {0};
    int rc = args_parse(&lks_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc == 1)
        return CLI_OK;
    if (rc)
        return cli_fail(c, &e, 0);
    const struct arg_val *csv = args_get(&lks_cmd, v, "--csv");
    if (csv->set) {
        for (int k = 0; k < lks_cmd.nspec; k++)
            if (v[k].set && &v[k] != csv) {
                lks_err_set(&e, LKS_EINVAL, lks_spec[k].name, "conflict",
                            "gaat niet samen met --csv (de waarden staan in het bestand)");
                return cli_fail(c, &e, 0);
            }
        const struct rules *r = cli_rules(c);
        return r ? calc_csv(c, r, csv->str) : CLI_BAD;
    }
    static const char *const need[] = {"--peildatum", "--uren"};
    for (size_t k = 0; k < 2; k++)
        if (!args_get(&lks_cmd, v, need[k])->set) {
            lks_err_set(&e, LKS_EINVAL, need[k], "required", "is verplicht (zie --help)");
            return cli_fail(c, &e, 0);
        }
    struct lks_input in = {
        .peildatum = (lks_date)args_get(&lks_cmd, v, "--peildatum")->num,
        .loonwaarde = (int32_t)args_get(&lks_cmd, v, "--loonwaarde")->num,
        .hours = (int32_t)args_get(&lks_cmd, v, "--uren")->num,
        .fulltime = 0, /* not known unless given; lks_compute says when it is needed */
        .age = LKS_AGE_ADULT,
        .forfait = args_get(&lks_cmd, v, "--forfaitair")->set,
    };
    if (!in.forfait && !args_get(&lks_cmd, v, "--loonwaarde")->set) {
        lks_err_set(&e, LKS_EINVAL, "--loonwaarde", "required",
                    "is verplicht, tenzij --forfaitair is gegeven");
        return cli_fail(c, &e, 0);
    }
    if (in.forfait && args_get(&lks_cmd, v, "--loonwaarde")->set) {
        lks_err_set(&e, LKS_EINVAL, "--loonwaarde", "conflict",
                    "gaat niet samen met --forfaitair (forfaitair is zonder loonwaardemeting)");
        return cli_fail(c, &e, 0);
    }
    if (args_get(&lks_cmd, v, "--voltijduren")->set)
        in.fulltime = (int32_t)args_get(&lks_cmd, v, "--voltijduren")->num;
    if (args_get(&lks_cmd, v, "--leeftijd")->set)
        in.age = (int32_t)args_get(&lks_cmd, v, "--leeftijd")->num;
    const struct rules *r = cli_rules(c);
    if (!r)
        return CLI_BAD;
    struct lks_result res;
    if (lks_compute(r, &in, &res, &e))
        return cli_fail(c, &e, 1);
    struct jw w;
    jw_init(&w, JSON_MAX, true);
    codec_lks(&w, &res);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

/* ---- loondispensatie ---- */

static const char *const households[] = {"alleenstaand", "alleenstaande-ouder", "gehuwd", NULL};

static const struct arg_spec ld_spec[] = {
    {"--huishouden", ARG_ENUM, 1, "SOORT", "alleenstaand, alleenstaande-ouder of gehuwd", 0, 0,
     households},
    {"--loonwaarde", ARG_PCT, 1, "PROCENT", "loonwaarde in procenten", 0, 0, NULL},
    {"--norm-gehuwden", ARG_MONEY, 1, "BEDRAG", "bijstandsnorm voor gehuwden per maand (A)", 1,
     100000000, NULL},
    {"--overig-inkomen", ARG_MONEY, 0, "BEDRAG", "ander inkomen per maand (C, standaard 0)", 0,
     100000000, NULL},
    {"--netto-inkomen", ARG_MONEY, 0, "BEDRAG",
     "netto inkomen uit werk per maand (B, standaard loonwaarde × A)", 0, 100000000, NULL},
};

static const struct arg_cmd ld_cmd = {
    "lks calc loondispensatie --huishouden alleenstaand|alleenstaande-ouder|gehuwd "
    "--loonwaarde P --norm-gehuwden A [--overig-inkomen C] [--netto-inkomen B]",
    "Berekent de aanvullende uitkering bij loondispensatie (pilot 2010-2012), het totale\n"
    "inkomen, de norm en de besparing voor de gemeente.",
    "Formule: gehuwd A − B − C; alleenstaande ouder 7/8 × (A − B) − C; alleenstaand\n"
    "5/8 × (A − B) − C; nooit minder dan 0.",
    ld_spec, sizeof ld_spec / sizeof ld_spec[0], 0, NULL};

static int calc_ld(struct cli *c, int argc, char **argv)
{
    struct arg_val v[sizeof ld_spec / sizeof ld_spec[0]];
    struct lks_err e = {0};
    int rc = args_parse(&ld_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc == 1)
        return CLI_OK;
    if (rc)
        return cli_fail(c, &e, 0);
    struct ld_input in = {
        .household = (enum ld_household)v[0].num,
        .loonwaarde = (int32_t)v[1].num,
        .norm_couple = v[2].num,
        .other_income = v[3].set ? v[3].num : 0,
        .has_net_income = v[4].set,
        .net_income = v[4].num,
    };
    struct ld_result res;
    if (ld_compute(&in, &res, &e))
        return cli_fail(c, &e, 1);
    struct jw w;
    jw_init(&w, JSON_MAX, true);
    codec_ld(&w, &res);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

/* ---- inverdieneffect ---- */

static const struct arg_spec ie_spec[] = {
    {"--plaatsingen", ARG_INT, 1, "N", "aantal plaatsingen", 0, 10000000, NULL},
    {"--maanden", ARG_INT, 1, "M", "gemiddelde duur in maanden", 0, 1200, NULL},
    {"--fte", ARG_FTE, 1, "F", "gemiddelde omvang in fte (0 < F <= 1), bijv. 0.7", 0, 0, NULL},
    {"--loonwaarde", ARG_PCT, 1, "PROCENT", "gemiddelde loonwaarde in procenten", 0, 0, NULL},
    {"--norm-gehuwden", ARG_MONEY, 1, "BEDRAG", "bijstandsnorm voor gehuwden per maand", 1,
     100000000, NULL},
};

static const struct arg_cmd ie_cmd = {
    "lks calc inverdieneffect --plaatsingen N --maanden M --fte F --loonwaarde P "
    "--norm-gehuwden A",
    "Schat het inverdieneffect: plaatsingen × maanden × fte × de gemiddelde besparing per\n"
    "fte per maand over de drie huishoudtypen (methode projectplan Helmond 2010, § 9.3).",
    NULL, ie_spec, sizeof ie_spec / sizeof ie_spec[0], 0, NULL};

static int calc_ie(struct cli *c, int argc, char **argv)
{
    struct arg_val v[sizeof ie_spec / sizeof ie_spec[0]];
    struct lks_err e = {0};
    int rc = args_parse(&ie_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc == 1)
        return CLI_OK;
    if (rc)
        return cli_fail(c, &e, 0);
    struct ie_input in = {
        .placements = (int32_t)v[0].num,
        .months = (int32_t)v[1].num,
        .fte = (int32_t)v[2].num,
        .loonwaarde = (int32_t)v[3].num,
        .norm_couple = v[4].num,
    };
    struct ie_result res;
    if (ie_compute(&in, &res, &e))
        return cli_fail(c, &e, 1);
    struct jw w;
    jw_init(&w, JSON_MAX, true);
    codec_ie(&w, &res);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

int cmd_calc(struct cli *c, int argc, char **argv)
{
    static const char *help =
        "Gebruik: lks calc lks|loondispensatie|inverdieneffect [OPTIES]\n\n"
        "  lks          loonkostensubsidie per maand (Participatiewet art. 10d)\n"
        "  loondispensatie  aanvullende uitkering bij loondispensatie (pilot 2010-2012)\n"
        "  inverdieneffect  geschatte besparing op uitkeringen\n\n"
        "'lks calc SOORT --help' noemt de opties.\n";
    if (argc < 1) {
        fputs(help, c->errf);
        return CLI_BAD;
    }
    if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs(help, c->out);
        return CLI_OK;
    }
    if (!strcmp(argv[0], "lks"))
        return calc_lks(c, argc - 1, argv + 1);
    if (!strcmp(argv[0], "loondispensatie"))
        return calc_ld(c, argc - 1, argv + 1);
    if (!strcmp(argv[0], "inverdieneffect"))
        return calc_ie(c, argc - 1, argv + 1);
    fprintf(c->errf, "lks: calc %s: onbekende berekening (kies lks, loondispensatie of "
                     "inverdieneffect)\n",
            argv[0]);
    return CLI_BAD;
}

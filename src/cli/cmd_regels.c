/*
 * cmd_regels — `lks regels`: the rule tables in force, with where each row came from and
 * a warning before they run out; `lks regels toevoegen`: an applicatiebeheerder adds a
 * row with its source to the store, in force on every server of that store at once.
 */
#include <stdlib.h>
#include <string.h>

#include "base/tsv.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "codec/tables_json.h"
#include "store/store.h"
#include "store/store_rules.h"

static const struct arg_spec show_spec[] = {
    {"--db", ARG_STR, 0, "URL", "ook de regels in deze opslag (bestand of postgresql://…)", 0, 0,
     NULL},
};
static const struct arg_cmd show_cmd = {
    "lks [--regels MAP] regels [--db URL]\n       lks regels toevoegen --help",
    "Toont de regeltabellen die gelden: minimumloon, jeugdpercentages, werkgeverslasten en de\n"
    "parameters van de loonkostensubsidie, met van elke regel de herkomst (ingebouwd, de map\n"
    "van --regels of $LKS_REGELS, of de opslag met bron, wie en wanneer) en de laatste dag die\n"
    "de tabellen dekken (geldigTot). Loopt die binnen 60 dagen af, of is die voorbij, dan\n"
    "staat er een waarschuwing bij met de opdracht die de ontbrekende regel toevoegt.",
    NULL,
    show_spec,
    1,
    0,
    NULL};

static const char *const tables[] = {"wml", "wml_youth", "allowance", "lks", NULL};

static const struct arg_spec add_spec[] = {
    {"--db", ARG_STR, 1, "URL", "de opslag (bestand of postgresql://…)", 0, 0, NULL},
    {"--tabel", ARG_ENUM, 1, "TABEL", "de regeltabel", 0, 0, tables},
    {"--vanaf", ARG_DATE, 1, "DATUM", "de datum vanaf wanneer de regel geldt", 0, 0, NULL},
    {"--waarden", ARG_STR, 1, "KOLOM=WAARDE,...",
     "de kolommen van de tabel, zoals in rules/TABEL.tsv, gescheiden door komma's", 0, 0, NULL},
    {"--bron", ARG_STR, 1, "TEKST", "waar de bedragen staan, bijvoorbeeld 'Stcrt. 2026, nr. 12345'",
     0, 0, NULL},
    {"--gebruiker", ARG_STR, 1, "NAAM", "de applicatiebeheerder die de regel toevoegt", 0, 0,
     NULL},
};
static const struct arg_cmd add_cmd = {
    "lks regels toevoegen --db URL --tabel TABEL --vanaf DATUM --waarden KOLOM=WAARDE,...\n"
    "                          --bron TEKST --gebruiker NAAM",
    "Voegt een regel aan een regeltabel toe, in de opslag: vanaf de volgende berekening geldt hij\n"
    "op elke server van die opslag. De regel wordt gecontroleerd zoals de ingebouwde tabellen\n"
    "(elke kolom, en de tabel als geheel: geen halfjaar minimumloon overgeslagen). Een regel met\n"
    "de datum van een bestaande vervangt die (een correctie is een nieuwe regel). Alleen een\n"
    "gebruiker met de rol applicatiebeheerder voegt regels toe; wie en wanneer worden vastgelegd.",
    "Kolommen per tabel:\n"
    "  wml        month (per maand), hour (per uur, vanaf 2024), full_age (volledig vanaf leeftijd)\n"
    "  wml_youth  22, 21, 20, 19, 18, 17, 16, 15 (procent van het volledige minimumloon)\n"
    "  allowance  percent\n"
    "  lks        vakantiebijslag, max, forfait, forfait_maanden, deler ('sector' of uren)\n\n"
    "Voorbeeld:\n"
    "  lks regels toevoegen --db lks.db --tabel wml --vanaf 2026-07-01 \\\n"
    "      --waarden 'month=…,hour=…,full_age=21' --bron 'Stcrt. 2026, nr. …' --gebruiker beheer",
    add_spec,
    6,
    0,
    NULL};

#define WAARDEN_MAX 2048

/* Errors of the rules and the store name the API's inputs; on the command line they are
 * flags (the message of a cell names its column). */
static int add_fail(struct cli *c, struct lks_err *e)
{
    static const char *const map[][2] = {{"tabel", "--tabel"},   {"vanaf", "--vanaf"},
                                         {"bron", "--bron"},     {"gebruiker", "--gebruiker"},
                                         {"waarden", "--waarden"}, {"regels", "--db"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t n = strlen(map[i][0]);
        if (strncmp(e->field, map[i][0], n) == 0 && (e->field[n] == '\0' || e->field[n] == '.')) {
            lks_err_field(e, map[i][1]);
            break;
        }
    }
    return cli_fail(c, e, 0);
}

/* "month=2338.20,hour=14.99,full_age=21" into cells pointing into buf. */
static int parse_cells(const char *s, char *buf, struct rules_cell *cells, int max, int *n,
                       struct lks_err *e)
{
    *n = 0;
    if (strlen(s) >= WAARDEN_MAX)
        return lks_err_set(e, LKS_EINVAL, "--waarden", "too-long", "is te lang (ten hoogste %d "
                                                                   "tekens)",
                           WAARDEN_MAX - 1);
    memcpy(buf, s, strlen(s) + 1); /* the length is checked above */
    for (char *p = buf; *p;) {
        char *end = p + strcspn(p, ",");
        bool last = *end == '\0';
        *end = '\0';
        char *eq = strchr(p, '=');
        if (!eq || eq == p)
            return lks_err_set(e, LKS_EINVAL, "--waarden", "bad-pair",
                               "'%.40s' is geen KOLOM=WAARDE (paren gescheiden door komma's)", p);
        if (*n == max)
            return lks_err_set(e, LKS_EINVAL, "--waarden", "too-many", "te veel kolommen");
        *eq = '\0';
        cells[*n].col = p;
        cells[*n].val = eq + 1;
        (*n)++;
        p = last ? end : end + 1;
    }
    if (*n == 0)
        return lks_err_set(e, LKS_EINVAL, "--waarden", "required", "geef de kolommen als "
                                                                   "KOLOM=WAARDE,...");
    return 0;
}

static int cmd_add(struct cli *c, int argc, char **argv)
{
    struct arg_val v[6];
    struct lks_err e = {0};
    int rc = args_parse(&add_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    static char buf[WAARDEN_MAX];
    struct rules_cell cells[TSV_MAX_COLS];
    int ncells;
    if (parse_cells(v[3].str, buf, cells, TSV_MAX_COLS, &ncells, &e))
        return cli_fail(c, &e, 0);
    const struct rules *base = cli_rules(c);
    if (!base)
        return CLI_BAD;
    struct store *s;
    if (store_open(&s, v[0].str, 0, &e))
        return cli_fail(c, &e, 0);
    struct rules_row_in row = {
        .table = tables[v[1].num],
        .from = (lks_date)v[2].num,
        .cells = cells,
        .ncells = ncells,
        .source = v[4].str,
        .user = v[5].str,
    };
    struct rules *out = malloc(sizeof *out);
    if (!out) {
        store_close(s);
        fprintf(c->errf, "lks: onvoldoende geheugen\n");
        return CLI_BAD;
    }
    rc = store_rules_add(s, base, &row, out, &e);
    store_close(s);
    if (rc) {
        free(out);
        return add_fail(c, &e);
    }
    int t = rules_table_parse(row.table), i = 0;
    while (i < rules_table_rows(out, t) && rules_row_from(out, t, i) != row.from)
        i++;
    struct jw w;
    jw_init(&w, 1 << 16, true);
    codec_rules_row(&w, out, t, i);
    rc = cli_emit(c, &w);
    jw_free(&w);
    free(out);
    return rc;
}

int cmd_regels(struct cli *c, int argc, char **argv)
{
    if (argc > 0 && strcmp(argv[0], "toevoegen") == 0)
        return cmd_add(c, argc - 1, argv + 1);
    struct arg_val v[1];
    struct lks_err e = {0};
    int rc = args_parse(&show_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    const struct rules *r = cli_rules(c);
    if (!r)
        return CLI_BAD;
    if (v[0].set) {
        struct store *s;
        if (store_open(&s, v[0].str, 0, &e))
            return cli_fail(c, &e, 0);
        r = cli_rules_store(c, s);
        store_close(s);
        if (!r)
            return CLI_BAD;
    }
    struct jw w;
    jw_init(&w, 1 << 20, true);
    codec_rules(&w, r, cli_today());
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

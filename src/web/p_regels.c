/*
 * p_regels — the rule tables (public law, so public like GET /api/v1/regels): every
 * table with each row's validity period and where it came from (a built-in file with its
 * comment, or a row added by an operator with its legal source, who added it and when),
 * the warning before the tables run out; and for the installation's operator
 * (applicatiebeheerder) the same page with a form per table to add a dated row
 * (/regels/beheer: a public route is not logged in, so /regels never shows the forms).
 *
 * The tables are shown as the API shows them (codec_rules: one rendering of the tables
 * and their origin), read back as JSON for the template; a row is checked and stored by
 * app_rule_add, the same function POST /api/v1/regels/{tabel} calls. A form with faults
 * is shown again with everything typed; a row added goes back to the page (Post/
 * Redirect/Get), and the next request computes with it (the router reloads the rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/tsv.h"
#include "codec/tables_json.h"
#include "web/page.h"
#include "web/pages.h"

/* The tables of the codec's answer and their names for people. */
static const char *const tables[][3] = {{"minimumloon", "wml", "Wettelijk minimumloon"},
                                        {"jeugdpercentages", "wml_youth", "Minimumjeugdloon"},
                                        {"werkgeverslasten", "allowance", "Werkgeverslasten"},
                                        {"loonkostensubsidie", "lks", "Loonkostensubsidie"}};
#define NTABLES 4

/* A column's heading for people; the key itself when there is none. */
static const char *heading(const char *k)
{
    static const char *const map[][2] = {{"perMaand", "Per maand"},
                                         {"perUur", "Per uur"},
                                         {"volledigVanafLeeftijd", "Volledig vanaf leeftijd"},
                                         {"procent", "Procent"},
                                         {"vakantiebijslag", "Vakantiebijslag (%)"},
                                         {"maximum", "Maximum (%)"},
                                         {"forfait", "Forfait (%)"},
                                         {"forfaitMaanden", "Forfait maanden"},
                                         {"deler", "Deler"},
                                         {"afrondingJeugdloon", "Afronding jeugdloon"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(k, map[i][0]) == 0)
            return map[i][1];
    return k;
}

static bool is_money(const char *k)
{
    return strcmp(k, "perMaand") == 0 || strcmp(k, "perUur") == 0;
}

/* One table of the codec's JSON as the template's: headings, rows newest first with
 * their period and origin. */
static json_t *table_view(json_t *t, const char *until)
{
    json_t *out = json_object();
    json_t *rows = json_object_get(t, "regels");
    json_t *heads = json_array(), *list = json_array();
    json_t *first = json_array_get(rows, 0);
    const char *k;
    json_t *v;
    json_object_foreach(first, k, v)
    {
        if (strcmp(k, "vanaf") && strcmp(k, "herkomst"))
            json_array_append_new(heads, json_string(heading(k)));
    }
    size_t n = json_array_size(rows);
    for (size_t i = n; i-- > 0;) {
        json_t *r = json_array_get(rows, i);
        json_t *o = json_object();
        page_set_str(o, "vanaf", json_string_value(json_object_get(r, "vanaf")));
        /* a row holds until the day before the next one, the last until the tables end */
        json_t *next = json_array_get(rows, i + 1);
        if (next) {
            lks_date d;
            struct lks_err e;
            char buf[DATE_FMT_MAX];
            if (date_parse(&d, json_string_value(json_object_get(next, "vanaf")), "vanaf", &e) == 0)
                page_set_str(o, "tot", date_fmt(buf, date_add_days(d, -1)));
        } else {
            page_set_str(o, "tot", until);
        }
        json_t *cells = json_array();
        json_object_foreach(r, k, v)
        {
            if (!strcmp(k, "vanaf") || !strcmp(k, "herkomst"))
                continue;
            json_t *cell = json_object();
            if (json_is_string(v))
                page_set_str(cell, "tekst", json_string_value(v));
            else if (json_is_integer(v))
                page_set_int(cell, "tekst", json_integer_value(v));
            page_set_bool(cell, "euro", is_money(k));
            json_array_append_new(cells, cell);
        }
        json_object_set_new(o, "cellen", cells);
        json_t *h = json_object_get(r, "herkomst");
        const char *kind = json_string_value(json_object_get(h, "soort"));
        page_set_bool(o, "opgeslagen", kind && strcmp(kind, "opslag") == 0);
        page_set_bool(o, "ingebouwd", kind && strcmp(kind, "ingebouwd") == 0);
        const char *keys[] = {"bestand", "bron", "toegevoegdDoor", "toegevoegdOp"};
        for (int j = 0; j < 4; j++) {
            json_t *x = json_object_get(h, keys[j]);
            if (json_is_string(x))
                page_set_str(o, keys[j], json_string_value(x));
        }
        json_array_append_new(list, o);
    }
    json_object_set_new(out, "koppen", heads);
    json_object_set_new(out, "regels", list);
    page_set_int(out, "kolommen", (int64_t)json_array_size(heads) + 3);
    json_object_set(out, "bestanden", json_object_get(t, "bestanden"));
    json_object_set(out, "bron", json_object_get(t, "bron"));
    return out;
}

/* The page; for table `form_table` (or -1) the form's faults and what was typed. */
static void render(struct api_ctx *c, int status, int form_table, const struct lks_errlist *errs)
{
    struct jw w;
    jw_init(&w, (size_t)4 << 20, false);
    codec_rules(&w, c->t->rules, c->t->app.today);
    json_error_t je;
    json_t *all = jw_failed(&w) ? NULL : json_loadb(w.buf, w.len, 0, &je);
    jw_free(&w);
    if (!all) {
        page_error(c, 503, "Regels", "De regeltabellen zijn nu niet te tonen.");
        return;
    }
    const char *until = json_string_value(json_object_get(all, "geldigTot"));
    bool may_add = c->authed && app_may(&c->who, APP_CAP_RULES);
    json_t *d = json_object();
    json_t *list = json_array();
    for (int i = 0; i < NTABLES; i++) {
        json_t *t = table_view(json_object_get(all, tables[i][0]), until ? until : "");
        page_set_str(t, "naam", tables[i][2]);
        page_set_str(t, "tabel", tables[i][1]);
        if (may_add) {
            int ti = rules_table_parse(tables[i][1]);
            char cols[TSV_MAX_COLS][APP_RULE_COL_MAX];
            int n = app_rule_columns(ti, cols, TSV_MAX_COLS);
            json_t *f = json_array();
            for (int j = 0; j < n; j++) {
                json_t *o = json_object();
                char name[64], full[128], id[136];
                snprintf(name, sizeof name, "waarden.%.40s", cols[j]);
                snprintf(full, sizeof full, "%s.%s", tables[i][1], name);
                page_field_id(full, id, sizeof id);
                page_set_str(o, "kolom", cols[j]);
                page_set_str(o, "naam", name);
                page_set_str(o, "id", id);
                if (ti == form_table) {
                    page_set_str(o, "waarde", form_get(&c->form, name));
                    char f2[96];
                    snprintf(f2, sizeof f2, "%s.%s", tables[i][1], name);
                    for (int k = 0; errs && k < errs->n; k++)
                        if (strcmp(errs->e[k].field, f2) == 0)
                            page_set_str(o, "fout", errs->e[k].msg);
                }
                json_array_append_new(f, o);
            }
            json_object_set_new(t, "velden", f);
            if (ti == form_table) {
                json_t *typed = json_object();
                page_set_str(typed, "vanaf", form_get(&c->form, "vanaf"));
                page_set_str(typed, "bron", form_get(&c->form, "bron"));
                for (int k = 0; errs && k < errs->n; k++) {
                    const char *dot = strchr(errs->e[k].field, '.');
                    if (dot && strcmp(dot + 1, "vanaf") == 0)
                        page_set_str(typed, "vanafFout", errs->e[k].msg);
                    if (dot && strcmp(dot + 1, "bron") == 0)
                        page_set_str(typed, "bronFout", errs->e[k].msg);
                }
                json_object_set_new(t, "ingevuld", typed);
            }
        }
        json_array_append_new(list, t);
    }
    json_object_set_new(d, "tabellen", list);
    json_object_set(d, "waarschuwingen", json_object_get(all, "waarschuwingen"));
    page_set_str(d, "geldigTot", until);
    page_set_bool(d, "magToevoegen", may_add);
    page_set_bool(d, "publiek", !c->authed);
    if (errs && errs->n)
        json_object_set_new(d, "fouten", page_errors(errs));
    json_decref(all);
    char done[16] = "";
    if (http_req_query(c->req, "toegevoegd", done, sizeof done) && rules_table_parse(done) >= 0)
        page_set_str(d, "melding", "De regel is toegevoegd en geldt vanaf de volgende berekening.");
    page_render(c, status, "Regels", may_add ? "/regels/beheer" : "/regels", "regels", d);
}

void p_rules(struct api_ctx *c)
{
    render(c, 200, -1, NULL);
}

void p_rules_admin(struct api_ctx *c)
{
    render(c, 200, -1, NULL);
}

void p_rule_add(struct api_ctx *c)
{
    int table = rules_table_parse(c->param[0]);
    if (table < 0) {
        page_error(c, 404, "Niet gevonden",
                   "Deze regeltabel bestaat niet (wml, wml_youth, allowance of lks).");
        return;
    }
    struct rules_cell cells[TSV_MAX_COLS];
    int ncells = 0;
    for (int i = 0; i < c->form.n && ncells < TSV_MAX_COLS; i++) {
        const char *name = c->form.f[i].name;
        if (strncmp(name, "waarden.", 8) != 0)
            continue;
        cells[ncells].col = name + 8;
        cells[ncells].val = c->form.f[i].value;
        ncells++;
    }
    const char *from = form_get(&c->form, "vanaf");
    const char *source = form_get(&c->form, "bron");
    struct lks_errlist errs = {0};
    struct rules *out = malloc(sizeof *out);
    if (!out) {
        page_error(c, 503, "Regels", "Er is onvoldoende geheugen; probeer het opnieuw.");
        return;
    }
    int t = -1;
    int rc = app_rule_add(&c->t->app, &c->who, c->t->base, c->param[0], from, cells, ncells,
                          source && source[0] ? source : NULL, out, &t, &errs);
    free(out);
    if (rc == 0) {
        char loc[64];
        snprintf(loc, sizeof loc, "/regels/beheer?toegevoegd=%s#tabel-%s", rules_table_name(table),
                 rules_table_name(table));
        page_redirect(c, loc);
        return;
    }
    if (rc != LKS_EINVAL) {
        page_error(c, rc == LKS_EFORBIDDEN ? 403 : 503, "Regels",
                   errs.n ? errs.e[0].msg : "De regel is niet toegevoegd.");
        return;
    }
    /* the fields of this table's form: "wml.vanaf", "wml.waarden.month", … */
    for (int i = 0; i < errs.n; i++) {
        char f[96];
        const char *field = errs.e[i].field;
        if (strcmp(field, "tabel") == 0 || strcmp(field, "gebruiker") == 0 || !field[0])
            field = "vanaf";
        snprintf(f, sizeof f, "%s.%s", rules_table_name(table), field);
        lks_err_field(&errs.e[i], f);
    }
    render(c, 400, table, &errs);
}

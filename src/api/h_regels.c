/*
 * h_regels — the rule tables: the tables in force with the origin of every row (public,
 * like the calculations), a row added by the installation's operator (role
 * applicatiebeheerder), and the server's status with the warning before the tables run
 * out. Every answer uses the thread's rules, which the router keeps as the store has
 * them (router.c, thread_rules), so a row added through any server or the CLI is shown
 * and used by the next request on every server of the store.
 *
 * An added row touches no citizen data and makes no processing-log entry; the app checks
 * and stores it (app_rule_add, shared with the page /regels) and writes the operator's
 * trail ("regels: <naam> voegt toe: wml vanaf 2026-07-01, bron 'Stcrt. …'"). This file
 * only reads the JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "base/tsv.h"
#include "codec/tables_json.h"
#include "store/store_rules.h"

void h_rules(struct api_ctx *c)
{
    codec_rules(&c->w, c->t->rules, c->t->app.today);
    api_json(c, 200);
}

void h_status(struct api_ctx *c)
{
    const struct rules *r = c->t->rules;
    bool warn = rules_ends_soon(r, c->t->app.today);
    jw_obj_open(&c->w);
    jw_kstr(&c->w, "status", warn ? "waarschuwing" : "ok");
    jw_kstr(&c->w, "versie", API_VERSION);
    jw_key(&c->w, "regels");
    jw_obj_open(&c->w);
    jw_kdate(&c->w, "geldigTot", r->until);
    if (!codec_rules_warnings(&c->w, r, c->t->app.today)) {
        jw_key(&c->w, "waarschuwingen");
        jw_arr_open(&c->w);
        jw_arr_close(&c->w);
    }
    jw_obj_close(&c->w);
    jw_obj_close(&c->w);
    api_json(c, 200);
}

#define RULE_CELL_TEXT 32 /* an integer cell as text */

/* The body {"vanaf", "waarden": {kolom: tekst}, "bron"}: the date's and the source's text
 * into *from and *source (NULL when absent or not text), the cells into cells; every fault
 * of the JSON's shape into errs (the row's own checks are app_rule_add's). Integer cells
 * are turned into text in num (one slot per cell). */
static int read_row(struct api_ctx *c, const char **from_text, const char **source,
                    struct rules_cell *cells, char num[][RULE_CELL_TEXT], struct lks_errlist *errs)
{
    const char *key;
    json_t *v;
    int ncells = 0;
    json_object_foreach(c->body, key, v)
    {
        if (strcmp(key, "vanaf") && strcmp(key, "waarden") && strcmp(key, "bron"))
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "unknown-field",
                        "onbekend veld (verwacht vanaf, waarden en bron)");
    }
    json_t *from = json_object_get(c->body, "vanaf");
    *from_text = json_is_string(from) && strlen(json_string_value(from)) == json_string_length(from)
                     ? json_string_value(from)
                     : NULL;
    json_t *cellv = json_object_get(c->body, "waarden");
    if (!json_is_object(cellv)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "waarden", "required",
                    "is verplicht: een object met de kolommen van de tabel");
    } else {
        json_object_foreach(cellv, key, v)
        {
            char field[64];
            snprintf(field, sizeof field, "waarden.%.50s", key);
            if (ncells == TSV_MAX_COLS) {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "waarden", "too-many",
                            "te veel kolommen");
                break;
            }
            struct rules_cell *cell = &cells[ncells];
            cell->col = key;
            if (json_is_string(v)) {
                cell->val = json_string_value(v);
                if (strlen(cell->val) != json_string_length(v)) {
                    lks_err_set(lks_errlist_add(errs), LKS_EINVAL, field, "invalid",
                                "bevat een nulteken");
                    continue;
                }
            } else if (json_is_integer(v)) {
                snprintf(num[ncells], RULE_CELL_TEXT, "%lld", (long long)json_integer_value(v));
                cell->val = num[ncells];
            } else {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, field, "not-a-string",
                            "moet tekst zijn (\"2338.20\") of een geheel getal");
                continue;
            }
            ncells++;
        }
    }
    json_t *src = json_object_get(c->body, "bron");
    *source = NULL;
    if (json_is_string(src) && strlen(json_string_value(src)) != json_string_length(src))
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "bron", "invalid", "bevat een nulteken");
    else if (json_is_string(src))
        *source = json_string_value(src);
    return ncells;
}

void h_rule_add(struct api_ctx *c)
{
    struct rules_cell cells[TSV_MAX_COLS];
    char num[TSV_MAX_COLS][RULE_CELL_TEXT];
    const char *from = NULL, *source = NULL;
    struct lks_errlist errs = {0};
    if (rules_table_parse(c->param[0]) < 0) {
        api_problem(c, 404, "Niet gevonden",
                    "deze regeltabel bestaat niet (wml, wml_youth, allowance of lks)");
        return;
    }
    int ncells = read_row(c, &from, &source, cells, num, &errs);
    struct lks_errlist more = {0};
    app_rule_check(from, source, NULL, &more);
    for (int k = 0; k < more.n; k++) {
        bool dup = false;
        for (int j = 0; j < errs.n && !dup; j++)
            dup = strcmp(errs.e[j].field, more.e[k].field) == 0;
        if (!dup)
            *lks_errlist_add(&errs) = more.e[k];
    }
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct rules *out = malloc(sizeof *out);
    if (!out) {
        api_problem(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    int table = -1;
    int rc = app_rule_add(&c->t->app, &c->who, c->t->base, c->param[0], from, cells, ncells, source,
                          out, &table, &errs);
    if (rc) {
        free(out);
        if (rc == LKS_ENOTFOUND)
            api_problem(c, 404, "Niet gevonden", errs.e[0].msg);
        else
            api_fail_list(c, &errs);
        return;
    }
    lks_date d = LKS_NO_DATE;
    struct lks_err e;
    date_parse(&d, from, "vanaf", &e);
    int i = 0;
    while (i < rules_table_rows(out, table) && rules_row_from(out, table, i) != d)
        i++;
    codec_rules_row(&c->w, out, table, i);
    free(out);
    /* the next request of this thread rebuilds its rules from the store, as every other
     * thread and server does */
    api_json(c, 201);
}

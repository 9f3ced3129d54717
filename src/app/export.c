/* export — see export.h. */
#include "app/export.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/money.h"
#include "rules/toets.h"

const char *const export_fields[EXPORT_NFIELDS] = {
    "bsn",
    "geslacht",
    "geboortedatum",
    "uitkering",
    "datum_start_uitkering",
    "wsw_indicatie",
    "vrijwillige_aanmelding_toegangstoets",
    "datum_start_toegangstoets",
    "datum_uitkomst_toegangstoets",
    "uitkomst_toegangstoets_doelgroep",
    "uitkomst_toegangstoets_soort_beperking",
    "kosten_toegangstoets",
    "vrijwillige_aanmelding_toeleiding",
    "datum_start_toeleiding",
    "soort_toeleiding",
    "kosten_toeleiding",
    "datum_einde_toeleiding",
    "reden_einde_toeleiding",
    "datum_start_participatie_buiten_pilot",
    "soort_participatie_buiten_pilot",
    "uitkomst_participatie_buiten_pilot",
    "datum_start_loonwaardebepaling",
    "datum_einde_loonwaardebepaling",
    "uitkomst_loonwaardebepaling",
    "datum_start_dienstbetrekking",
    "soort_dienstbetrekking",
    "hoogte_loon",
    "hoogte_aanvullende_uitkering",
    "datum_start_voorziening",
    "soort_voorziening",
    "kosten_voorziening",
    "datum_einde_voorziening",
    "reden_einde_voorziening",
    "datum_einde_dienstbetrekking",
    "reden_einde_dienstbetrekking",
};

struct pair {
    int64_t person, id;
    char tenant[CASE_ID];
};

struct collect {
    struct store *s;
    struct pair *p;
    size_t n, cap;
    struct case_state *cs;
    struct lks_err *err;
};

static int collect_cb(void *arg, const char *tenant, int64_t id)
{
    struct collect *c = arg;
    if (store_case_get(c->s, tenant, id, c->cs, c->err))
        return -1;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        struct pair *np = realloc(c->p, cap * sizeof *np);
        if (!np)
            return -1;
        c->p = np;
        c->cap = cap;
    }
    struct pair *p = &c->p[c->n++];
    p->person = c->cs->person.id;
    p->id = id;
    snprintf(p->tenant, sizeof p->tenant, "%s", tenant);
    return 0;
}

static int by_person(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * The cells of one row. Text cells (what people typed: the BSN, the reasons an
 * employment or a provision ended; and the names lks writes: geslacht, uitkering,
 * ja/nee, soort_*, the limitations) are written with the formula guard of csv.h.
 * Dates (every datum_* and geboortedatum), amounts (kosten_*, hoogte_loon) and
 * uitkomst_loonwaardebepaling (a percentage) are formatted by lks from numbers
 * and marked `value`: written as they are, so a spreadsheet reads them as
 * numbers and dates, also a negative amount.
 */
struct cells {
    char v[EXPORT_NFIELDS][128];
    bool value[EXPORT_NFIELDS];
};

static void text(struct cells *c, int i, const char *s)
{
    snprintf(c->v[i], sizeof c->v[i], "%s", s);
}

static void date_cell(struct cells *c, int i, lks_date d)
{
    if (d != LKS_NO_DATE)
        date_fmt(c->v[i], d);
    c->value[i] = true;
}

static void amount_cell(struct cells *c, int i, int64_t cents)
{
    money_fmt(c->v[i], cents);
    c->value[i] = true;
}

static void row(FILE *o, const struct case_state *cs)
{
    static const char *const hh[] = {"alleenstaande", "alleenstaande ouder", "gehuwd"};
    static const char *const sexes[] = {"", "m", "v"};
    static const char *const kinds[] = {"reguliere werkgever", "detacheringsconstructie",
                                        "sw-bedrijf"};
    static const char *const prov[] = {"proefplaatsing", "no-risk polis", "jobcoaching",
                                       "werkplekaanpassing"};
    static const char *const lim[] = {"lichamelijk", "verstandelijk", "psychisch",
                                      "psychosociaal"};
    struct cells c;
    memset(&c, 0, sizeof c);
    const struct person *p = &cs->person;
    text(&c, 0, p->bsn);
    text(&c, 1, sexes[p->sex]);
    date_cell(&c, 2, p->birth);
    text(&c, 3, hh[p->household]);
    date_cell(&c, 4, p->benefit_start);
    text(&c, 5, p->wsw_indication ? "ja" : "nee");
    const struct access_test *t = &cs->test;
    if (t->done) {
        text(&c, 6, t->voluntary ? "ja" : "nee");
        date_cell(&c, 7, t->started);
        date_cell(&c, 8, t->decided);
        text(&c, 9, t->outcome == TOETS_IN_TARGET_GROUP ? "ja" : "nee");
        char *f10 = c.v[10];
        for (int k = 0; k < 4; k++)
            if (t->limitation & (1u << k)) {
                if (f10[0])
                    strncat(f10, "/", sizeof c.v[10] - 1 - strlen(f10));
                strncat(f10, lim[k], sizeof c.v[10] - 1 - strlen(f10));
            }
        int64_t cost = 0;
        for (int i = 0; i < cs->ncosts; i++)
            if (cs->cost[i].kind == COST_ACCESS_TEST)
                cost += cs->cost[i].amount;
        amount_cell(&c, 11, cost);
    }
    /* fields 13-21 (index 12-20): route to work, not recorded yet */
    if (cs->nmeasurements) {
        const struct measurement *first = &cs->measurement[0];
        const struct measurement *last = first;
        for (int i = 0; i < cs->nmeasurements; i++)
            if (cs->measurement[i].loonwaarde >= 0)
                last = &cs->measurement[i];
        date_cell(&c, 21, first->requested);
        date_cell(&c, 22, last->reported);
        if (last->loonwaarde >= 0)
            money_fmt_short(c.v[23], last->loonwaarde, 2, 0);
        c.value[23] = true;
    }
    const struct placement *pl = &cs->placement;
    date_cell(&c, 24, pl->start);
    text(&c, 25, kinds[pl->kind]);
    amount_cell(&c, 26, pl->wage);
    /* 28: aanvullende uitkering only exists under loondispensatie; not in an LKS case */
    if (cs->nprovisions) {
        const struct provision *v = &cs->provision[0];
        date_cell(&c, 28, v->start);
        text(&c, 29, prov[v->kind]);
        amount_cell(&c, 30, v->cost);
        date_cell(&c, 31, v->ended != LKS_NO_DATE ? v->ended : v->end);
        text(&c, 32, v->end_reason);
    }
    date_cell(&c, 33, pl->ended);
    text(&c, 34, pl->end_reason);
    for (int i = 0; i < EXPORT_NFIELDS; i++)
        (c.value[i] ? csv_value : csv_cell)(o, c.v[i], i == EXPORT_NFIELDS - 1);
}

int export_meetfactoren(struct store *s, const char *tenant, FILE *out, int *rows,
                        struct lks_err *err)
{
    return export_meetfactoren_rows(s, tenant, out, NULL, NULL, rows, err);
}

int export_meetfactoren_rows(struct store *s, const char *tenant, FILE *out, export_row_fn on_row,
                             void *arg, int *rows, struct lks_err *err)
{
    struct collect c = {.s = s, .err = err};
    c.cs = malloc(sizeof *c.cs);
    if (!c.cs)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    int rc = store_case_ids(s, tenant, collect_cb, &c, err);
    if (rc == 0) {
        qsort(c.p, c.n, sizeof *c.p, by_person);
        for (int i = 0; i < EXPORT_NFIELDS; i++)
            csv_cell(out, export_fields[i], i == EXPORT_NFIELDS - 1);
        *rows = 0;
        for (size_t i = 0; i < c.n && rc == 0; i++) {
            if (i + 1 < c.n && c.p[i + 1].person == c.p[i].person)
                continue; /* the client's most recent case only */
            rc = store_case_get(s, c.p[i].tenant, c.p[i].id, c.cs, err);
            if (rc == 0 && on_row && (rc = on_row(arg, c.p[i].tenant, c.cs->person.bsn)) != 0)
                lks_err_set(err, rc, "", "stopped", "de export is afgebroken");
            if (rc == 0) {
                row(out, c.cs);
                (*rows)++;
            }
        }
    }
    free(c.p);
    free(c.cs);
    return rc;
}

/* export — see export.h. */
#include "app/export.h"

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

static const char *dt(char b[DATE_FMT_MAX], lks_date d)
{
    if (d == LKS_NO_DATE) {
        b[0] = '\0';
        return b;
    }
    return date_fmt(b, d);
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
    char f[EXPORT_NFIELDS][128];
    memset(f, 0, sizeof f);
    char b[DATE_FMT_MAX], m[MONEY_FMT_MAX];
    const struct person *p = &cs->person;
    snprintf(f[0], 128, "%s", p->bsn);
    snprintf(f[1], 128, "%s", sexes[p->sex]);
    snprintf(f[2], 128, "%s", dt(b, p->birth));
    snprintf(f[3], 128, "%s", hh[p->household]);
    snprintf(f[4], 128, "%s", dt(b, p->benefit_start));
    snprintf(f[5], 128, "%s", p->wsw_indication ? "ja" : "nee");
    const struct access_test *t = &cs->test;
    if (t->done) {
        snprintf(f[6], 128, "%s", t->voluntary ? "ja" : "nee");
        snprintf(f[7], 128, "%s", dt(b, t->started));
        snprintf(f[8], 128, "%s", dt(b, t->decided));
        snprintf(f[9], 128, "%s", t->outcome == TOETS_IN_TARGET_GROUP ? "ja" : "nee");
        for (int c = 0; c < 4; c++)
            if (t->limitation & (1u << c)) {
                if (f[10][0])
                    strncat(f[10], "/", 127 - strlen(f[10]));
                strncat(f[10], lim[c], 127 - strlen(f[10]));
            }
        int64_t cost = 0;
        for (int i = 0; i < cs->ncosts; i++)
            if (cs->cost[i].kind == COST_ACCESS_TEST)
                cost += cs->cost[i].amount;
        snprintf(f[11], 128, "%s", money_fmt(m, cost));
    }
    /* fields 13-21 (index 12-20): route to work, not recorded yet */
    if (cs->nmeasurements) {
        const struct measurement *first = &cs->measurement[0];
        const struct measurement *last = first;
        for (int i = 0; i < cs->nmeasurements; i++)
            if (cs->measurement[i].loonwaarde >= 0)
                last = &cs->measurement[i];
        snprintf(f[21], 128, "%s", dt(b, first->requested));
        snprintf(f[22], 128, "%s", dt(b, last->reported));
        if (last->loonwaarde >= 0)
            snprintf(f[23], 128, "%s", money_fmt_short(m, last->loonwaarde, 2, 0));
    }
    const struct placement *pl = &cs->placement;
    snprintf(f[24], 128, "%s", dt(b, pl->start));
    snprintf(f[25], 128, "%s", kinds[pl->kind]);
    snprintf(f[26], 128, "%s", money_fmt(m, pl->wage));
    /* 28: aanvullende uitkering only exists under loondispensatie; not in an LKS case */
    if (cs->nprovisions) {
        const struct provision *v = &cs->provision[0];
        snprintf(f[28], 128, "%s", dt(b, v->start));
        snprintf(f[29], 128, "%s", prov[v->kind]);
        snprintf(f[30], 128, "%s", money_fmt(m, v->cost));
        snprintf(f[31], 128, "%s", dt(b, v->ended != LKS_NO_DATE ? v->ended : v->end));
        snprintf(f[32], 128, "%s", v->end_reason);
    }
    snprintf(f[33], 128, "%s", dt(b, pl->ended));
    snprintf(f[34], 128, "%s", pl->end_reason);
    for (int i = 0; i < EXPORT_NFIELDS; i++)
        csv_cell(o, f[i], i == EXPORT_NFIELDS - 1);
}

int export_meetfactoren(struct store *s, const char *tenant, FILE *out, int *rows,
                        struct lks_err *err)
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

/*
 * p_rekenen — the public calculators (no login): an overview, and one page per
 * calculation of the API's /berekeningen (loonkostensubsidie, loondispensatie,
 * inverdieneffect, termijn, toegangstoets). No personal data: the form is a GET form, so a
 * result can be bookmarked; no query shows the empty form, a query the form again (every
 * value kept) with the result: the amounts and every step with its legal basis.
 *
 * One implementation of each calculation: the query is decoded as a form (form.h), typed
 * by this file's field tables (a suffix :int or :bool, as a posted form would carry it),
 * turned into the API's JSON input by form_to_json and given to the API's own reader and
 * rule (codec/calc_json.h); the result is the API's JSON (codec/rules_json.h), read back
 * for the template. So the fields, the faults, the Dutch messages and every figure are the
 * API's. A fault shows the page with status 400, the error summary and each message beside
 * its field. Query parameters that are not a field of the calculator are ignored.
 *
 * Failures: a query that is not well formed (bad percent-encoding, not UTF-8) is a 400
 * page; out of memory a 503 page.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/calc_json.h"
#include "codec/rules_json.h"
#include "web/page.h"
#include "web/pages.h"

enum calc_kind {
    CK_DATE,   /* JJJJ-MM-DD */
    CK_NUMBER, /* a decimal: percentage, hours, fte */
    CK_MONEY,  /* euros */
    CK_INT,    /* a whole number (:int) */
    CK_CHECK,  /* a checkbox: absent or "ja" (:bool) */
    CK_SELECT, /* one of choices */
    CK_YESNO,  /* a pair of radio buttons ja/nee (:bool) */
    CK_AREA    /* several lines of text */
};

struct calc_choice {
    const char *value, *text;
};

struct calc_field {
    const char *name; /* the API's field name, also the query parameter */
    const char *label;
    enum calc_kind kind;
    const char *hint; /* or NULL */
    bool required;
    const struct calc_choice *choices; /* CK_SELECT, ending with {NULL, NULL} */
    const char *question;              /* CK_YESNO: the first of a question starts it */
};

#define CALC_MAX_FIELDS 16

struct calc_page {
    const char *slug;  /* "loonkostensubsidie": the path /rekenen/slug, the template flag */
    const char *title; /* the page's title and heading */
    const char *button;
    const struct calc_field *fields;
    int nfields;
    /* the API's reader and rule on the JSON input, the API's result JSON into w */
    int (*run)(struct api_ctx *c, const json_t *in, struct jw *w, struct lks_errlist *errs);
};

/* ---- the calculations: the API's reader and rule, the API's JSON ---- */

static int run_lks(struct api_ctx *c, const json_t *in, struct jw *w, struct lks_errlist *errs)
{
    struct lks_result r;
    int rc = calc_lks_json(c->api->cfg.rules, in, &r, errs);
    if (rc == 0)
        codec_lks(w, &r);
    return rc;
}

static int run_ld(struct api_ctx *c, const json_t *in, struct jw *w, struct lks_errlist *errs)
{
    (void)c;
    struct ld_result r;
    int rc = calc_ld_json(in, &r, errs);
    if (rc == 0)
        codec_ld(w, &r);
    return rc;
}

static int run_ie(struct api_ctx *c, const json_t *in, struct jw *w, struct lks_errlist *errs)
{
    (void)c;
    struct ie_result r;
    int rc = calc_ie_json(in, &r, errs);
    if (rc == 0)
        codec_ie(w, &r);
    return rc;
}

static int run_term(struct api_ctx *c, const json_t *in, struct jw *w, struct lks_errlist *errs)
{
    (void)c;
    struct term_result r;
    int rc = calc_term_json(in, &r, errs);
    if (rc == 0)
        codec_term(w, &r);
    return rc;
}

static int run_toets(struct api_ctx *c, const json_t *in, struct jw *w, struct lks_errlist *errs)
{
    (void)c;
    struct toets_input ti;
    struct toets_result r;
    int rc = calc_toets_json(in, &ti, &r, errs);
    if (rc == 0)
        codec_toets(w, &ti, &r);
    return rc;
}

/* ---- the forms ---- */

static const struct calc_field f_lks[] = {
    {"peildatum", "Peildatum", CK_DATE,
     "JJJJ-MM-DD; het minimumloon van deze datum geldt (de start, of 1 januari of 1 juli)", true,
     NULL, NULL},
    {"loonwaarde", "Loonwaarde in procenten", CK_NUMBER,
     "percentage van het minimumloon, bijvoorbeeld 57,5; niet nodig bij de forfaitaire "
     "loonkostensubsidie",
     false, NULL, NULL},
    {"forfaitair", "Forfaitaire loonkostensubsidie (50%, zonder loonwaardemeting)", CK_CHECK,
     "Participatiewet art. 10d lid 5: ten hoogste de eerste zes maanden", false, NULL, NULL},
    {"uren", "Uren per week", CK_NUMBER, "de overeengekomen arbeidsduur, bijvoorbeeld 32", true,
     NULL, NULL},
    {"voltijduren", "Voltijduren per week in de sector", CK_NUMBER,
     "nodig bij een peildatum voor 2024 en bij meer dan 36 uur per week", false, NULL, NULL},
    {"leeftijd", "Leeftijd op de peildatum", CK_INT,
     "in jaren, voor het jeugdloon; leeg laten bij 21 jaar of ouder", false, NULL, NULL},
};

static const struct calc_choice households[] = {{"alleenstaand", "Alleenstaand"},
                                                {"alleenstaande-ouder", "Alleenstaande ouder"},
                                                {"gehuwd", "Gehuwd of samenwonend"},
                                                {NULL, NULL}};

static const struct calc_field f_ld[] = {
    {"huishouden", "Huishouden", CK_SELECT, NULL, true, households, NULL},
    {"loonwaarde", "Loonwaarde in procenten", CK_NUMBER, "bijvoorbeeld 55", true, NULL, NULL},
    {"normGehuwden", "Bijstandsnorm voor gehuwden per maand", CK_MONEY,
     "in euro's, bijvoorbeeld 1295,07", true, NULL, NULL},
    {"overigInkomen", "Overig inkomen per maand", CK_MONEY, "in euro's; leeg is geen", false, NULL,
     NULL},
    {"nettoInkomen", "Netto inkomen uit werk per maand", CK_MONEY,
     "in euro's; leeg: de loonwaarde maal de norm voor gehuwden", false, NULL, NULL},
};

static const struct calc_field f_ie[] = {
    {"plaatsingen", "Aantal plaatsingen", CK_INT, NULL, true, NULL, NULL},
    {"maanden", "Gemiddelde duur in maanden", CK_INT, NULL, true, NULL, NULL},
    {"fte", "Gemiddelde omvang in fte", CK_NUMBER, "bijvoorbeeld 0,7 (ten hoogste vier decimalen)",
     true, NULL, NULL},
    {"loonwaarde", "Gemiddelde loonwaarde in procenten", CK_NUMBER, "bijvoorbeeld 50", true, NULL,
     NULL},
    {"normGehuwden", "Bijstandsnorm voor gehuwden per maand", CK_MONEY,
     "in euro's, bijvoorbeeld 1295,07", true, NULL, NULL},
};

static const struct calc_field f_term[] = {
    {"vanaf", "Vanaf", CK_DATE, "JJJJ-MM-DD: de dag waarop de termijn begint te lopen", true, NULL,
     NULL},
    {"werkdagen", "Werkdagen", CK_INT, "vul precies één in van werkdagen, weken of dagen", false,
     NULL, NULL},
    {"weken", "Weken", CK_INT, NULL, false, NULL, NULL},
    {"dagen", "Dagen", CK_INT, NULL, false, NULL, NULL},
};

/* The access test's fields come from its one table (rules/toets.h), built at first use. */
static struct calc_field f_toets[TOETS_NQUESTIONS * TOETS_MAX_CRITERIA + 1];
static char toets_names[TOETS_NQUESTIONS * TOETS_MAX_CRITERIA][64];
static int n_toets;
static pthread_once_t toets_once = PTHREAD_ONCE_INIT;

static void toets_fields(void)
{
    int n = 0;
    for (int q = 0; q < TOETS_NQUESTIONS; q++) {
        const struct toets_question_def *d = &toets_questions[q];
        for (int k = 0; k < d->ncriteria; k++) {
            snprintf(toets_names[n], sizeof toets_names[n], "%s.%s", d->key, d->criterion[k]);
            f_toets[n] =
                (struct calc_field){toets_names[n], d->criterion_text[k],   CK_YESNO, NULL, false,
                                    NULL,           k == 0 ? d->text : NULL};
            n++;
        }
    }
    f_toets[n++] = (struct calc_field){
        "toelichting",
        "Toelichting",
        CK_AREA,
        "schriftelijke onderbouwing, verplicht als de uitkomst 'geen doelgroep (ondergrens)' is; "
        "zet hier geen persoonsgegevens in",
        false,
        NULL,
        NULL};
    n_toets = n;
}

static const struct calc_page pages[] = {
    {"loonkostensubsidie", "Loonkostensubsidie berekenen", "Bereken de loonkostensubsidie", f_lks,
     sizeof f_lks / sizeof f_lks[0], run_lks},
    {"loondispensatie", "Loondispensatie berekenen", "Bereken de aanvulling", f_ld,
     sizeof f_ld / sizeof f_ld[0], run_ld},
    {"inverdieneffect", "Inverdieneffect schatten", "Schat het inverdieneffect", f_ie,
     sizeof f_ie / sizeof f_ie[0], run_ie},
    {"termijn", "Termijn berekenen", "Bereken de termijn", f_term, sizeof f_term / sizeof f_term[0],
     run_term},
    {"toegangstoets", "Toegangstoets", "Bepaal de uitkomst", f_toets, 0, run_toets},
};

/* ---- from the query to the API's input ---- */

static const char *suffix(enum calc_kind k)
{
    return k == CK_INT ? ":int" : k == CK_CHECK || k == CK_YESNO ? ":bool" : "";
}

static const struct calc_field *find_field(const struct calc_page *p, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(p->fields[i].name, name) == 0)
            return &p->fields[i];
    return NULL;
}

static bool in_list(const struct lks_errlist *errs, const char *field)
{
    for (int i = 0; i < errs->n; i++)
        if (strcmp(errs->e[i].field, field) == 0)
            return true;
    return false;
}

/*
 * The query's fields of this calculator, typed (name + suffix), minus those named in
 * `skip`, as a form for form_to_json. The names point into `names`.
 */
static int typed_form(const struct calc_page *p, int nfields, const struct form *q,
                      const struct lks_errlist *skip, struct form *out,
                      char (*names)[FORM_MAX_NAME + 8])
{
    out->n = 0;
    for (int i = 0; i < q->n; i++) {
        const struct calc_field *f = find_field(p, nfields, q->f[i].name);
        if (!f || q->f[i].filename || (skip && in_list(skip, f->name)))
            continue;
        snprintf(names[out->n], FORM_MAX_NAME + 8, "%s%s", f->name, suffix(f->kind));
        out->f[out->n] = q->f[i];
        out->f[out->n].name = names[out->n];
        out->n++;
    }
    return 0;
}

/* Where a field stands on the form (a field not on it: after the rest). */
static int field_pos(const struct calc_page *p, int nfields, const char *name)
{
    for (int i = 0; i < nfields; i++)
        if (strcmp(p->fields[i].name, name) == 0)
            return i;
    return nfields;
}

/* The faults in the order of the form's fields, as the summary lists them (stable). */
static void sort_errors(const struct calc_page *p, int nfields, struct lks_errlist *errs)
{
    for (int i = 1; i < errs->n; i++) {
        struct lks_err x = errs->e[i];
        int pos = field_pos(p, nfields, x.field), j = i;
        for (; j > 0 && field_pos(p, nfields, errs->e[j - 1].field) > pos; j--)
            errs->e[j] = errs->e[j - 1];
        errs->e[j] = x;
    }
}

/*
 * The result of the query: 0 with the API's JSON into *result, or the faults in errs. A
 * value the form decoder refuses (a whole number that is none, a yes/no that is neither)
 * is reported with the faults the API's reader finds in the other fields.
 */
static int compute(struct api_ctx *c, const struct calc_page *p, int nfields, const struct form *q,
                   json_t **result, struct lks_errlist *errs)
{
    *result = NULL;
    struct form t = {0};
    t.f = calloc((size_t)q->n + 1, sizeof *t.f);
    char(*names)[FORM_MAX_NAME + 8] = calloc((size_t)q->n + 1, sizeof *names);
    if (!t.f || !names) {
        free(t.f);
        free(names);
        return lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, "", "no-memory",
                           "onvoldoende geheugen");
    }
    struct lks_errlist typing = {0};
    json_t *in = NULL;
    typed_form(p, nfields, q, NULL, &t, names);
    if (form_to_json(&t, &in, &typing) == LKS_EINVAL) {
        /* again without the fields that could not be typed: the reader reports the rest */
        struct lks_errlist again = {0};
        typed_form(p, nfields, q, &typing, &t, names);
        if (form_to_json(&t, &in, &again) != 0)
            in = NULL;
    }
    free(t.f);
    free(names);
    if (!in) {
        *errs = typing;
        return typing.n ? typing.e[0].code : LKS_ENOMEM;
    }
    struct jw w;
    jw_init(&w, PAGE_MAX_BYTES, false);
    struct lks_errlist found = {0};
    int rc = p->run(c, in, &w, &found);
    json_decref(in);
    /* the typing faults first, then the reader's on fields that had none */
    *errs = typing;
    for (int i = 0; i < found.n; i++)
        if (!in_list(&typing, found.e[i].field))
            *lks_errlist_add(errs) = found.e[i];
    errs->dropped += found.dropped;
    sort_errors(p, nfields, errs);
    if (errs->n) {
        jw_free(&w);
        return errs->e[0].code ? errs->e[0].code : LKS_EINVAL;
    }
    if (rc == 0) {
        json_error_t je;
        *result = jw_failed(&w) ? NULL : json_loadb(w.buf, w.len, 0, &je);
        if (!*result)
            rc = lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, "", "no-memory",
                             "onvoldoende geheugen");
    }
    jw_free(&w);
    return rc;
}

/* ---- the page ---- */

static const char *field_error(const struct lks_errlist *errs, const char *name)
{
    for (int i = 0; errs && i < errs->n; i++)
        if (strcmp(errs->e[i].field, name) == 0)
            return errs->e[i].msg;
    return NULL;
}

/* A yes as form_to_json reads a :bool (form.h). */
static bool is_yes(const char *v)
{
    return v && (strcmp(v, "ja") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0);
}

static bool is_no(const char *v)
{
    return v && (strcmp(v, "nee") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0);
}

static const char *kind_flag(enum calc_kind k)
{
    static const char *const flags[] = {"datum", "getal", "bedrag", "geheel",
                                        "vink",  "keuze", "janee",  "vak"};
    return flags[k];
}

static json_t *fields_json(const struct calc_page *p, int nfields, const json_t *values,
                           const struct lks_errlist *errs)
{
    json_t *list = json_array();
    for (int i = 0; i < nfields; i++) {
        const struct calc_field *f = &p->fields[i];
        json_t *x = json_object();
        char id[96];
        page_field_id(f->name, id, sizeof id);
        const char *v = json_string_value(json_object_get(values, f->name));
        page_set_str(x, "naam", f->name);
        page_set_str(x, "id", id);
        page_set_str(x, "label", f->label);
        page_set_bool(x, kind_flag(f->kind), true);
        page_set_bool(x, "verplicht", f->required);
        page_set_str(x, "uitleg", f->hint); /* also empty: never the outer scope's */
        page_set_str(x, "waarde", v ? v : "");
        const char *fout = field_error(errs, f->name);
        if (fout)
            page_set_str(x, "fout", fout);
        if (f->question) {
            json_t *qq = json_object();
            const char *dot = strchr(f->name, '.');
            char key[16];
            snprintf(key, sizeof key, "%.*s", dot ? (int)(dot - f->name) : 0, f->name);
            for (int q = 0; q < TOETS_NQUESTIONS; q++)
                if (strcmp(toets_questions[q].key, key) == 0) {
                    page_set_str(qq, "nummer", toets_questions[q].label);
                    page_set_str(qq, "id", toets_questions[q].key);
                }
            page_set_str(qq, "tekst", f->question);
            json_object_set_new(x, "vraag", qq);
        }
        if (f->kind == CK_CHECK)
            page_set_bool(x, "aan", is_yes(v));
        if (f->kind == CK_YESNO) {
            page_set_bool(x, "ja", is_yes(v));
            page_set_bool(x, "nee", is_no(v));
        }
        if (f->choices) {
            json_t *cs = json_array();
            for (const struct calc_choice *ch = f->choices; ch->value; ch++) {
                json_t *o = json_object();
                page_set_str(o, "waarde", ch->value);
                page_set_str(o, "tekst", ch->text);
                page_set_bool(o, "gekozen", v && strcmp(v, ch->value) == 0);
                json_array_append_new(cs, o);
            }
            json_object_set_new(x, "keuzes", cs);
        }
        json_array_append_new(list, x);
    }
    return list;
}

/* The outcome of the access test in plain words. */
static const char *toets_text(const char *outcome)
{
    if (!outcome)
        return "";
    if (strcmp(outcome, "doelgroep") == 0)
        return "De cliënt behoort tot de doelgroep loonkostensubsidie.";
    if (strcmp(outcome, "geen-doelgroep-bovengrens") == 0)
        return "De cliënt behoort niet tot de doelgroep: hij of zij kan zonder "
               "loonkostensubsidie het minimumloon verdienen (bovengrens).";
    if (strcmp(outcome, "geen-doelgroep-ondergrens") == 0)
        return "De cliënt behoort niet tot de doelgroep: hij of zij kan geen 20% van het "
               "minimumloon verdienen (ondergrens).";
    return outcome;
}

static void calc_page(struct api_ctx *c, const struct calc_page *p)
{
    int nfields = p->nfields;
    if (p->run == run_toets) {
        pthread_once(&toets_once, toets_fields);
        nfields = n_toets;
    }
    const char *query = c->req->query ? c->req->query : "";
    struct form q = {0};
    struct lks_errlist errs = {0};
    json_t *values = NULL, *result = NULL;
    if (query[0]) {
        struct lks_err e = {0};
        int rc = form_parse_urlencoded(query, strlen(query), &q, &e);
        if (rc) {
            page_error(c, rc == LKS_ENOMEM ? 503 : 400, p->title,
                       rc == LKS_ENOMEM ? "Er is nu onvoldoende geheugen; probeer het opnieuw."
                                        : e.msg);
            return;
        }
        values = form_values(&q);
        rc = compute(c, p, nfields, &q, &result, &errs);
        if (rc == LKS_ENOMEM || rc == LKS_EOVERFLOW || (rc && !errs.n)) {
            form_free(&q);
            json_decref(values);
            page_error(c, rc == LKS_ENOMEM ? 503 : 500, p->title,
                       rc == LKS_ENOMEM ? "Er is nu onvoldoende geheugen; probeer het opnieuw."
                                        : "De berekening is niet gelukt.");
            return;
        }
    }
    json_t *d = json_object();
    page_set_str(d, "titel", p->title);
    char action[64];
    snprintf(action, sizeof action, "/rekenen/%s", p->slug);
    page_set_str(d, "actie", action);
    page_set_str(d, "knop", p->button);
    page_set_bool(d, p->slug, true);
    json_object_set_new(d, "velden", fields_json(p, nfields, values, &errs));
    json_t *fouten = page_errors(&errs);
    if (fouten)
        json_object_set_new(d, "fouten", fouten);
    if (result) {
        if (p->run == run_toets)
            page_set_str(d, "uitkomstTekst",
                         toets_text(json_string_value(json_object_get(result, "uitkomst"))));
        json_object_set_new(d, "uitkomst", result);
    }
    json_decref(values);
    form_free(&q);
    page_render(c, errs.n ? 400 : 200, p->title, "/rekenen", "rekenen-formulier", d);
}

void p_calc_overview(struct api_ctx *c)
{
    page_render(c, 200, "Rekenhulp", "/rekenen", "rekenen", NULL);
}

void p_calc_lks(struct api_ctx *c)
{
    calc_page(c, &pages[0]);
}

void p_calc_ld(struct api_ctx *c)
{
    calc_page(c, &pages[1]);
}

void p_calc_ie(struct api_ctx *c)
{
    calc_page(c, &pages[2]);
}

void p_calc_term(struct api_ctx *c)
{
    calc_page(c, &pages[3]);
}

void p_calc_toets(struct api_ctx *c)
{
    calc_page(c, &pages[4]);
}

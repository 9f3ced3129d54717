/*
 * p_aanvraag — the application form of seed 000 in steps, with drafts, and the supplement
 * of a case (informatie-aangevuld) with the same field sets.
 *
 * The steps (werknemer, werkgever, dienstverband, loonwaardemeting, indiener, overzicht)
 * are tables of fields (forms.h) whose names are the API's command ("gegevens.werknemer.
 * naam"), rendered by veld.html through forms_json. What a user typed is kept in a draft
 * (app_draft_*, app.h) as {"velden": {name as posted: text}, "fouten": {field: message},
 * "stap": where to go on}: every POST of a step saves its fields, whatever they hold, so
 * nothing typed is lost; "Volgende" also asks the codec (app_draft_check) about the step's
 * own fields and stays on the step when it names one. The overzicht submits the draft as
 * the API's command through app_draft_submit (app_command_json: one validator, the same
 * Dutch messages per field); its errors are kept in the draft, listed on the overzicht
 * with links to the step and field, and shown beside the field on that step.
 *
 * GET /aanvragen/nieuw shows the first step of a form not stored yet (a GET writes
 * nothing: it runs in a read transaction, and a link must not make drafts); its first POST
 * makes the draft. An employer user's KvK is its own and not a field: the werkgever step is
 * pre-filled from its record (app_employer) and the applicant is 'werkgever'; the app
 * refuses another KvK anyway. A draft of another user, municipality or company is not
 * found (404). Reads of a draft, which holds a BSN, are written to the processing log
 * (object "concept/ID"); its changes are logged by the app before they commit. No BSN is
 * ever in a URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/case_json.h"
#include "store/plog.h"
#include "web/forms.h"
#include "web/page.h"
#include "web/pages.h"

/* ---- the steps and their fields ---- */

static const struct field_choice sexes[] = {
    {"v", "Vrouw"}, {"m", "Man"}, {"onbekend", "Onbekend"}, {NULL, NULL}};
static const struct field_choice households[] = {{"alleenstaand", "Alleenstaand"},
                                                 {"alleenstaande-ouder", "Alleenstaande ouder"},
                                                 {"gehuwd", "Gehuwd of samenwonend"},
                                                 {NULL, NULL}};
static const struct field_choice benefits[] = {
    {"geen", "Geen"},     {"participatiewet", "Participatiewet"},
    {"ww", "WW"},         {"wajong", "Wajong"},
    {"anders", "Anders"}, {NULL, NULL}};
static const struct field_choice placements[] = {{"regulier", "Regulier dienstverband"},
                                                 {"detachering", "Detachering"},
                                                 {"sw-bedrijf", "Sw-bedrijf"},
                                                 {NULL, NULL}};
static const struct field_choice applicants[] = {{"werkgever", "De werkgever"},
                                                 {"werknemer", "De werknemer"},
                                                 {"gemeente", "De gemeente (eigen initiatief)"},
                                                 {NULL, NULL}};

static const struct field_spec f_worker[] = {
    {"gegevens.werknemer.bsn", "Burgerservicenummer (BSN)", FK_TEXT, NULL, "9 cijfers", true},
    {"gegevens.werknemer.naam", "Naam", FK_TEXT, NULL, "voornaam en achternaam", true},
    {"gegevens.werknemer.geboortedatum", "Geboortedatum", FK_DATE, NULL, "JJJJ-MM-DD", false},
    {"gegevens.werknemer.geslacht", "Geslacht", FK_SELECT, sexes, NULL, false},
    {"gegevens.werknemer.adres", "Adres", FK_TEXT, NULL, "straat en huisnummer", false},
    {"gegevens.werknemer.postcode", "Postcode", FK_TEXT, NULL, "bijv. 5701 AB", false},
    {"gegevens.werknemer.woonplaats", "Woonplaats", FK_TEXT, NULL, NULL, false},
    {"gegevens.werknemer.huishouden", "Huishouden", FK_SELECT, households, NULL, false},
    {"gegevens.werknemer.uitkering", "Uitkering", FK_SELECT, benefits, NULL, false},
    {"gegevens.werknemer.uitkeringSinds", "Uitkering sinds", FK_DATE, NULL, "JJJJ-MM-DD", false},
    {"gegevens.werknemer.wswIndicatie", "De werknemer heeft een Wsw-indicatie", FK_CHECK, NULL,
     NULL, false},
};
static const struct field_spec f_employer[] = {
    {"gegevens.werkgever.kvk", "KvK-nummer", FK_TEXT, NULL,
     "8 cijfers, zoals in het Handelsregister", true},
    {"gegevens.werkgever.naam", "Naam van het bedrijf", FK_TEXT, NULL,
     "alleen nodig als de gemeente het bedrijf nog niet kent", false},
    {"gegevens.werkgever.adres", "Adres", FK_TEXT, NULL, "straat en huisnummer van het bedrijf",
     false},
    {"gegevens.werkgever.postcode", "Postcode", FK_TEXT, NULL, "bijvoorbeeld 5701 AB", false},
    {"gegevens.werkgever.plaats", "Plaats", FK_TEXT, NULL, "de plaats van het adres", false},
    {"gegevens.werkgever.iban", "IBAN", FK_TEXT, NULL,
     "het rekeningnummer waarop de subsidie komt; een nieuw nummer controleert de afdeling "
     "financiën eerst",
     false},
    {"gegevens.werkgever.aantalWerknemers", "Aantal werknemers", FK_INT, NULL,
     "hoeveel mensen nu bij het bedrijf in dienst zijn", false},
    {"gegevens.werkgever.eigenVerzuimverzekering",
     "De werkgever heeft een eigen verzuimverzekering", FK_CHECK, NULL,
     "aankruisen als het bedrijf zelf verzekerd is voor loon bij ziekte van een werknemer", false},
};
static const struct field_spec f_placement[] = {
    {"gegevens.dienstverband.start", "Startdatum", FK_DATE, NULL, "JJJJ-MM-DD", true},
    {"gegevens.dienstverband.einde", "Einddatum", FK_DATE, NULL,
     "JJJJ-MM-DD; leeg bij een vast contract; ten minste 6 maanden na de start", false},
    {"gegevens.dienstverband.uren", "Uren per week", FK_HOURS, NULL, "bijv. 32 of 25,5", true},
    {"gegevens.dienstverband.loon", "Brutoloon per maand", FK_MONEY, NULL, "in euro's", false},
    {"gegevens.dienstverband.functie", "Functie", FK_TEXT, NULL, NULL, false},
    {"gegevens.dienstverband.personeelsnummer", "Personeelsnummer", FK_TEXT, NULL, NULL, false},
    {"gegevens.dienstverband.soort", "Soort dienstverband", FK_SELECT, placements, NULL, false},
    {"gegevens.naStartToegestaan",
     "Het werk is al begonnen en de werknemer hoorde in de 6 maanden ervoor tot de doelgroep",
     FK_CHECK, NULL,
     "dan kan de aanvraag tot 6 maanden na de start (Participatiewet art. 10d lid 2)", false},
};
static const struct field_spec f_measure[] = {
    {"gegevens.werkgever.voltijduren", "Normale voltijduren in de sector", FK_HOURS, NULL,
     "uren per week van een volledige baan volgens de cao; nodig voor de loonwaarde en het "
     "bedrag",
     false},
};
static const struct field_spec f_submitter[] = {
    {"gegevens.aanvrager", "Wie vraagt aan", FK_SELECT, applicants, NULL, true},
    {"gegevens.klantmanager", "Klantmanager", FK_SELECT, NULL, "leeg: u zelf", false},
    {"datum", "Datum van de aanvraag", FK_DATE, NULL, "JJJJ-MM-DD; leeg is vandaag", false},
};

enum form_step { S_WORKER, S_EMPLOYER, S_PLACEMENT, S_MEASURE, S_SUBMITTER, S_OVERVIEW, S_N };

struct step {
    const char *slug, *title, *intro;
    const struct field_spec *fields;
    int n;
};

#define STEP(slug, title, intro, f)                                                                \
    {                                                                                              \
        slug, title, intro, f, (int)(sizeof f / sizeof f[0])                                       \
    }
static const struct step steps[S_N] = {
    STEP("werknemer", "Werknemer", "Voor wie is de loonkostensubsidie?", f_worker),
    STEP("werkgever", "Werkgever", "Bij welke werkgever gaat de werknemer werken?", f_employer),
    STEP("dienstverband", "Dienstverband", "Het contract: vanaf wanneer, hoeveel uur en welk loon.",
         f_placement),
    STEP("loonwaardemeting", "Loonwaardemeting",
         "Een deskundige meet de loonwaarde op de werkplek zodra de aanvraag compleet is; de "
         "taken en de contactpersoon op de werkplek spreekt de deskundige dan met u af.",
         f_measure),
    STEP("indiener", "Indiener", "Wie dient de aanvraag in, en op welke dag.", f_submitter),
    {"overzicht", "Overzicht", "Controleer de gegevens en dien de aanvraag in.", NULL, 0},
};

static int step_parse(const char *slug)
{
    for (int i = 0; i < S_N; i++)
        if (strcmp(steps[i].slug, slug) == 0)
            return i;
    return -1;
}

static const char *suffix(enum field_kind k)
{
    return k == FK_INT ? ":int" : k == FK_CHECK ? ":bool" : "";
}

static void full_name(const struct field_spec *s, char *out, size_t n)
{
    snprintf(out, n, "%s%s", s->name, suffix(s->kind));
}

static bool is_employer(const struct api_ctx *c)
{
    return c->who.role == ROLE_WERKGEVER;
}

/* Fields an employer user does not fill: its KvK and the applicant are fixed. */
static bool fixed_for(const struct api_ctx *c, const struct field_spec *s)
{
    if (is_employer(c))
        return strcmp(s->name, "gegevens.werkgever.kvk") == 0 ||
               strcmp(s->name, "gegevens.aanvrager") == 0 ||
               strcmp(s->name, "gegevens.klantmanager") == 0;
    /* a case worker may name the klantmanager; the others of the municipality leave it */
    return strcmp(s->name, "gegevens.klantmanager") == 0 && c->who.role != ROLE_KLANTMANAGER;
}

/* The codec's name of a field ("werknemer.naam", "datum"). */
static const char *bare(const char *name)
{
    return strncmp(name, "gegevens.", 9) == 0 ? name + 9 : name;
}

/* The step a codec field name belongs to, or -1. */
static int step_of(const char *field)
{
    for (int i = 0; i < S_N; i++)
        for (int j = 0; j < steps[i].n; j++)
            if (strcmp(bare(steps[i].fields[j].name), field) == 0)
                return i;
    return -1;
}

/* The id of a field's input, as forms_json gives it for a form of event `ev`. */
static void input_id(enum ev_type ev, const char *name, char *out, size_t n)
{
    char fid[128];
    page_field_id(name, fid, sizeof fid);
    snprintf(out, n, "o-%s-%s", ev_type_name(ev), fid);
}

/* ---- the draft's data ---- */

static json_t *velden(json_t *data)
{
    json_t *v = json_object_get(data, "velden");
    if (!json_is_object(v)) {
        v = json_object();
        json_object_set_new(data, "velden", v);
    }
    return v;
}

static json_t *fouten(json_t *data)
{
    json_t *f = json_object_get(data, "fouten");
    if (!json_is_object(f)) {
        f = json_object();
        json_object_set_new(data, "fouten", f);
    }
    return f;
}

/* A form of the draft's fields, borrowing its strings (never form_free it). */
struct fake {
    struct form form;
    struct form_field f[FORM_MAX_FIELDS];
};

static void fake_form(const json_t *v, struct fake *out)
{
    memset(&out->form, 0, sizeof out->form);
    out->form.f = out->f;
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x)
    {
        if (!json_is_string(x) || out->form.n >= FORM_MAX_FIELDS)
            continue;
        out->f[out->form.n++] =
            (struct form_field){k, json_string_value(x), json_string_length(x), NULL, NULL};
    }
}

/* The fixed fields of an employer user, whatever was posted. */
static void force_fixed(const struct api_ctx *c, json_t *v)
{
    if (!is_employer(c))
        return;
    json_object_set_new(v, "gegevens.werkgever.kvk", json_string(c->who.kvk));
    json_object_set_new(v, "gegevens.aanvrager", json_string("werkgever"));
    json_object_del(v, "gegevens.klantmanager");
}

/* Take a step's fields from the posted form into the draft; its old errors go. */
static void take_step(const struct api_ctx *c, int st, json_t *data)
{
    json_t *v = velden(data), *f = fouten(data);
    for (int j = 0; j < steps[st].n; j++) {
        const struct field_spec *s = &steps[st].fields[j];
        if (fixed_for(c, s))
            continue;
        char full[128];
        full_name(s, full, sizeof full);
        const char *val = NULL;
        for (int i = 0; i < c->form.n; i++)
            if (strcmp(c->form.f[i].name, full) == 0 && !c->form.f[i].filename) {
                val = c->form.f[i].value;
                if (s->kind != FK_CHECK)
                    break; /* a checkbox: the last value counts (form.h) */
            }
        json_object_set_new(v, full, json_string(val ? val : ""));
        json_object_del(f, bare(s->name));
    }
    force_fixed(c, v);
}

/* A JSON value of a record as the text of a field. */
static void set_text(json_t *v, const char *key, const json_t *x)
{
    char b[32];
    if (json_is_string(x))
        json_object_set_new(v, key, json_string(json_string_value(x)));
    else if (json_is_integer(x)) {
        snprintf(b, sizeof b, "%lld", (long long)json_integer_value(x));
        json_object_set_new(v, key, json_string(b));
    } else if (json_is_boolean(x))
        json_object_set_new(v, key, json_string(json_is_true(x) ? "true" : "false"));
}

/* Fill the fields under `prefix` ("gegevens.werkgever.") of the given steps from a
 * record's JSON (the codec's names are the fields' names). */
static void prefill(json_t *v, const char *prefix, const json_t *rec, int from, int to)
{
    size_t pl = strlen(prefix);
    for (int i = from; i <= to; i++)
        for (int j = 0; j < steps[i].n; j++) {
            const struct field_spec *s = &steps[i].fields[j];
            if (strncmp(s->name, prefix, pl) != 0)
                continue;
            char full[128];
            full_name(s, full, sizeof full);
            set_text(v, full, json_object_get(rec, s->name + pl));
        }
}

static json_t *jw_to_json_(struct jw *w)
{
    if (jw_failed(w))
        return NULL;
    json_error_t je;
    return json_loadb(w->buf, w->len, 0, &je);
}

/* An employer user's own company into the werkgever fields (none known yet: its KvK). */
static void prefill_employer(struct api_ctx *c, json_t *v)
{
    struct employer e;
    struct lks_err err = {0};
    if (app_employer(&c->t->app, &c->who, c->who.kvk, &e, NULL, &err) == 0) {
        struct jw w;
        jw_init(&w, 1 << 16, false);
        codec_employer(&w, &e);
        json_t *rec = jw_to_json_(&w);
        jw_free(&w);
        prefill(v, "gegevens.werkgever.", rec, S_EMPLOYER, S_MEASURE);
        json_decref(rec);
    }
    force_fixed(c, v);
}

/* ---- rendering ---- */

static void errlist_of(const json_t *f, int st, struct lks_errlist *out)
{
    memset(out, 0, sizeof *out);
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)f, k, x)
    {
        if (st >= 0 && step_of(k) != st)
            continue;
        struct lks_err *e = lks_errlist_add(out);
        if (!e)
            break;
        lks_err_set(e, LKS_EINVAL, k, "draft", "%s",
                    json_string_value(x) ? json_string_value(x) : "klopt niet");
    }
}

static json_t *progress(int64_t id, int current)
{
    json_t *list = json_array();
    for (int i = 0; i < S_N; i++) {
        json_t *o = json_object();
        char href[96];
        snprintf(href, sizeof href, "/aanvragen/concepten/%lld/%s", (long long)id, steps[i].slug);
        page_set_str(o, "titel", steps[i].title);
        if (id)
            page_set_str(o, "href", href);
        page_set_bool(o, "huidig", i == current);
        page_set_bool(o, "klaar", i < current);
        json_array_append_new(list, o);
    }
    return list;
}

struct workers {
    json_t *list;
};

static int worker_cb(void *arg, const char *name, const char *display)
{
    struct workers *w = arg;
    json_t *o = json_object();
    page_set_str(o, "waarde", name);
    page_set_str(o, "tekst", display && display[0] ? display : name);
    json_array_append_new(w->list, o);
    return 0;
}

static json_t *dynamic(struct api_ctx *c)
{
    json_t *d = json_object();
    if (c->who.role == ROLE_KLANTMANAGER) {
        struct workers w = {json_array()};
        struct lks_err e = {0};
        app_case_workers(&c->t->app, &c->who, worker_cb, &w, &e);
        json_object_set_new(d, "gegevens.klantmanager", w.list);
    }
    return d;
}

/* The fields of one step as veld.html takes them: values from `posted`, errors from
 * `errs`, ids for event `ev`; the fixed ones left out. */
static json_t *step_fields(struct api_ctx *c, int st, enum ev_type ev, const struct form *posted,
                           const struct lks_errlist *errs)
{
    struct field_spec specs[16];
    int n = 0;
    for (int j = 0; j < steps[st].n && n < 16; j++)
        if (!fixed_for(c, &steps[st].fields[j]))
            specs[n++] = steps[st].fields[j];
    struct command_form cf = {ev, steps[st].title, "", NULL, specs, n};
    json_t *dyn = dynamic(c);
    json_t *o = forms_json(&cf, 0, posted, errs, dyn);
    json_decref(dyn);
    json_t *fields = json_incref(json_object_get(o, "velden"));
    json_decref(o);
    return fields;
}

/* The error summary of a list: each error linking to its field on `page` (a step's URL,
 * or "" for this page), the ones no field shows as plain text. */
static json_t *summary(const struct lks_errlist *errs, enum ev_type ev, int64_t id, bool on_steps)
{
    if (!errs->n)
        return NULL;
    json_t *s = json_object(), *list = json_array();
    for (int i = 0; i < errs->n; i++) {
        const struct lks_err *e = &errs->e[i];
        json_t *o = json_object();
        int st = step_of(e->field);
        char text[400];
        snprintf(text, sizeof text, "%s", e->msg);
        if (st >= 0) {
            const struct field_spec *spec = NULL;
            for (int j = 0; j < steps[st].n; j++)
                if (strcmp(bare(steps[st].fields[j].name), e->field) == 0)
                    spec = &steps[st].fields[j];
            char fid[160], href[256];
            input_id(ev, spec->name, fid, sizeof fid);
            if (on_steps)
                snprintf(href, sizeof href, "/aanvragen/concepten/%lld/%s#%s", (long long)id,
                         steps[st].slug, fid);
            else
                snprintf(href, sizeof href, "#%s", fid);
            snprintf(text, sizeof text, "%s: %s", spec->label, e->msg);
            page_set_str(o, "href", href);
        }
        page_set_str(o, "melding", text);
        json_array_append_new(list, o);
    }
    page_set_int(s, "aantal", errs->n);
    page_set_bool(s, "meer", errs->n > 1);
    json_object_set_new(s, "lijst", list);
    return s;
}

static void log_read(struct api_ctx *c, const json_t *data, int64_t id)
{
    const char *bsn = json_string_value(
        json_object_get(json_object_get(data, "velden"), "gegevens.werknemer.bsn"));
    if (bsn && bsn[0]) {
        char obj[48];
        snprintf(obj, sizeof obj, "concept/%lld", (long long)id);
        api_log(c, PLOG_READ, bsn, obj);
    }
}

static void render_step(struct api_ctx *c, int64_t id, int st, json_t *data, int status)
{
    json_t *v = velden(data);
    struct fake *fk = malloc(sizeof *fk);
    if (!fk) {
        page_error(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    fake_form(v, fk);
    struct lks_errlist errs;
    errlist_of(fouten(data), st, &errs);
    json_t *d = json_object();
    json_object_set_new(d, "stappen", progress(id, st));
    page_set_str(d, "titel", steps[st].title);
    page_set_str(d, "stapUitleg", steps[st].intro);
    page_set_int(d, "nummer", st + 1);
    page_set_int(d, "totaal", S_N);
    char action[96];
    if (id)
        snprintf(action, sizeof action, "/aanvragen/concepten/%lld/%s", (long long)id,
                 steps[st].slug);
    else
        snprintf(action, sizeof action, "/aanvragen/nieuw");
    page_set_str(d, "actie", action);
    page_set_str(d, "csrf", page_csrf(c));
    page_set_bool(d, "eerste", st == 0);
    json_object_set_new(d, "velden", step_fields(c, st, EV_AANVRAAG_INGEDIEND, &fk->form, &errs));
    json_t *sum = summary(&errs, EV_AANVRAAG_INGEDIEND, id, false);
    if (sum)
        json_object_set_new(d, "fouten", sum);
    if (is_employer(c) && st == S_EMPLOYER)
        page_set_str(d, "vasteKvk", c->who.kvk);
    if (is_employer(c) && st == S_SUBMITTER)
        page_set_bool(d, "vasteAanvrager", true);
    free(fk);
    if (id)
        log_read(c, data, id);
    char title[96];
    snprintf(title, sizeof title, "Aanvraag: stap %d van %d, %s", st + 1, S_N, steps[st].title);
    page_render(c, status, title, "/aanvragen/nieuw", "aanvraag", d);
}

/* The text a field's value shows on the overzicht. */
static void shown(const struct field_spec *s, const char *val, char *out, size_t n)
{
    if (!val || !val[0]) {
        snprintf(out, n, "niet ingevuld");
        return;
    }
    if (s->kind == FK_CHECK) {
        snprintf(out, n, "%s", strcmp(val, "true") == 0 ? "ja" : "nee");
        return;
    }
    for (const struct field_choice *ch = s->choices; ch && ch->value; ch++)
        if (strcmp(ch->value, val) == 0) {
            snprintf(out, n, "%s", ch->text);
            return;
        }
    snprintf(out, n, "%s", val);
}

static void render_overview(struct api_ctx *c, int64_t id, json_t *data, int status)
{
    json_t *v = velden(data), *f = fouten(data);
    struct lks_errlist errs;
    errlist_of(f, -1, &errs);
    json_t *d = json_object();
    json_object_set_new(d, "stappen", progress(id, S_OVERVIEW));
    json_t *sections = json_array();
    for (int st = 0; st < S_OVERVIEW; st++) {
        json_t *sec = json_object(), *rows = json_array();
        page_set_str(sec, "titel", steps[st].title);
        char href[96];
        snprintf(href, sizeof href, "/aanvragen/concepten/%lld/%s", (long long)id, steps[st].slug);
        page_set_str(sec, "wijzig", href);
        page_set_str(sec, "slug", steps[st].slug);
        for (int j = 0; j < steps[st].n; j++) {
            const struct field_spec *s = &steps[st].fields[j];
            if (fixed_for(c, s) && strcmp(s->name, "gegevens.klantmanager") == 0)
                continue;
            char full[128], text[400];
            full_name(s, full, sizeof full);
            shown(s, json_string_value(json_object_get(v, full)), text, sizeof text);
            json_t *r = json_object();
            page_set_str(r, "label", s->label);
            page_set_str(r, "waarde", text);
            const char *err = json_string_value(json_object_get(f, bare(s->name)));
            if (err)
                page_set_str(r, "fout", err);
            json_array_append_new(rows, r);
        }
        json_object_set_new(sec, "rijen", rows);
        json_array_append_new(sections, sec);
    }
    json_object_set_new(d, "secties", sections);
    json_t *sum = summary(&errs, EV_AANVRAAG_INGEDIEND, id, true);
    if (sum)
        json_object_set_new(d, "fouten", sum);
    char action[96];
    snprintf(action, sizeof action, "/aanvragen/concepten/%lld/overzicht", (long long)id);
    page_set_str(d, "actie", action);
    page_set_str(d, "csrf", page_csrf(c));
    log_read(c, data, id);
    page_render(c, status, "Aanvraag: overzicht", "/aanvragen/nieuw", "aanvraag-overzicht", d);
}

/* ---- the handlers ---- */

static bool draft_load(struct api_ctx *c, int64_t *id, struct app_draft *dr)
{
    if (!api_param_id(c, 0, id))
        return false;
    struct lks_err e = {0};
    if (app_draft_get(&c->t->app, &c->who, *id, dr, &e)) {
        if (e.code == LKS_ENOTFOUND)
            page_error(c, 404, "Niet gevonden", "Dit concept bestaat niet (meer).");
        else
            api_fail(c, &e);
        return false;
    }
    return true;
}

static int step_param(struct api_ctx *c)
{
    int st = step_parse(c->param[1]);
    if (st < 0)
        page_error(c, 404, "Niet gevonden", "Deze stap van de aanvraag bestaat niet.");
    return st;
}

void p_application_new_form(struct api_ctx *c)
{
    if (!app_may(&c->who, APP_CAP_APPLY)) {
        page_error(c, 403, "Niet toegestaan", "Uw rol kan geen aanvraag indienen.");
        return;
    }
    json_t *data = json_object();
    render_step(c, 0, S_WORKER, data, 200);
    json_decref(data);
}

void p_application_step(struct api_ctx *c)
{
    int64_t id;
    struct app_draft dr;
    int st = step_param(c);
    if (st < 0 || !draft_load(c, &id, &dr))
        return;
    if (st == S_OVERVIEW)
        render_overview(c, id, dr.data, 200);
    else
        render_step(c, id, st, dr.data, 200);
    app_draft_free(&dr);
}

/* The codec's word on one step's fields as they stand in the draft (0: none). */
static int check_step(struct api_ctx *c, int st, json_t *data)
{
    struct fake *fk = malloc(sizeof *fk);
    if (!fk)
        return LKS_ENOMEM;
    fake_form(velden(data), fk);
    struct lks_errlist errs = {0};
    json_t *cmd = NULL;
    if (form_to_json(&fk->form, &cmd, &errs) == 0) {
        page_set_str(cmd, "soort", ev_type_name(EV_AANVRAAG_INGEDIEND));
        app_draft_check(&c->t->app, &c->who, EV_AANVRAAG_INGEDIEND, cmd, &errs);
    }
    json_decref(cmd);
    free(fk);
    json_t *f = fouten(data);
    int n = 0;
    for (int i = 0; i < errs.n; i++)
        if (step_of(errs.e[i].field) == st) {
            json_object_set_new(f, errs.e[i].field, json_string(errs.e[i].msg));
            n++;
        }
    return n;
}

static void save_and_go(struct api_ctx *c, int64_t id, int st, json_t *data)
{
    const char *act = form_get(&c->form, "_actie");
    act = act ? act : "volgende";
    bool next = strcmp(act, "volgende") == 0;
    int bad = next ? check_step(c, st, data) : 0;
    int to = strcmp(act, "vorige") == 0 ? (st > 0 ? st - 1 : 0) : bad ? st : st + 1;
    page_set_str(data, "stap", steps[to < S_N ? to : S_OVERVIEW].slug);
    struct lks_err e = {0};
    int rc = id ? app_draft_save(&c->t->app, &c->who, id, data, &e)
                : app_draft_new(&c->t->app, &c->who, data, &id, &e);
    if (rc) {
        if (e.code == LKS_ENOTFOUND)
            page_error(c, 404, "Niet gevonden", "Dit concept bestaat niet (meer).");
        else
            api_fail(c, &e);
        return;
    }
    if (bad) {
        render_step(c, id, st, data, 400);
        return;
    }
    char loc[128];
    if (strcmp(act, "later") == 0)
        snprintf(loc, sizeof loc, "/aanvragen/concepten?bewaard=%lld", (long long)id);
    else
        snprintf(loc, sizeof loc, "/aanvragen/concepten/%lld/%s", (long long)id, steps[to].slug);
    page_redirect(c, loc);
}

void p_application_new(struct api_ctx *c)
{
    json_t *data = json_object();
    if (is_employer(c))
        prefill_employer(c, velden(data));
    take_step(c, S_WORKER, data);
    save_and_go(c, 0, S_WORKER, data);
    json_decref(data);
}

static void submit(struct api_ctx *c, int64_t id, json_t *data)
{
    struct fake *fk = malloc(sizeof *fk);
    if (!fk) {
        page_error(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    force_fixed(c, velden(data));
    fake_form(velden(data), fk);
    struct lks_errlist errs = {0};
    json_t *cmd = NULL;
    int rc = form_to_json(&fk->form, &cmd, &errs);
    free(fk);
    int64_t case_id = 0;
    if (rc == 0) {
        if (!json_object_get(cmd, "gegevens"))
            json_object_set_new(cmd, "gegevens", json_object());
        page_set_str(cmd, "soort", ev_type_name(EV_AANVRAAG_INGEDIEND));
        rc = app_draft_submit(&c->t->app, &c->who, id, cmd, &case_id, &errs);
    }
    json_decref(cmd);
    if (rc == 0) {
        char loc[64];
        snprintf(loc, sizeof loc, "%s/%lld", is_employer(c) ? "/portaal/zaken" : "/zaken",
                 (long long)case_id);
        page_redirect(c, loc);
        return;
    }
    if (errs.n && errs.e[0].code == LKS_ENOTFOUND && strcmp(errs.e[0].field, "concept") == 0) {
        page_error(c, 404, "Niet gevonden", "Dit concept bestaat niet (meer).");
        return;
    }
    int status = forms_failure_status(c, &errs);
    if (status < 0)
        return;
    /* the errors stay with the draft: the steps show them beside their fields */
    json_t *f = json_object();
    for (int i = 0; i < errs.n; i++)
        if (!json_object_get(f, errs.e[i].field))
            json_object_set_new(f, errs.e[i].field, json_string(errs.e[i].msg));
    json_object_set_new(data, "fouten", f);
    struct lks_err e = {0};
    if (app_draft_save(&c->t->app, &c->who, id, data, &e)) {
        api_fail(c, &e);
        return;
    }
    render_overview(c, id, data, status);
}

void p_application_step_post(struct api_ctx *c)
{
    int64_t id;
    struct app_draft dr;
    int st = step_param(c);
    if (st < 0 || !draft_load(c, &id, &dr))
        return;
    if (st == S_OVERVIEW) {
        submit(c, id, dr.data);
    } else {
        take_step(c, st, dr.data);
        save_and_go(c, id, st, dr.data);
    }
    app_draft_free(&dr);
}

/* ---- the list of drafts ---- */

struct list {
    struct api_ctx *c;
    json_t *rows;
};

static int list_cb(void *arg, const struct app_draft *d)
{
    struct list *l = arg;
    const json_t *v = json_object_get(d->data, "velden");
    json_t *o = json_object();
    const char *name = json_string_value(json_object_get(v, "gegevens.werknemer.naam"));
    const char *emp = json_string_value(json_object_get(v, "gegevens.werkgever.naam"));
    const char *at = json_string_value(json_object_get(d->data, "stap"));
    page_set_int(o, "id", d->id);
    page_set_str(o, "werknemer", name && name[0] ? name : "(nog geen naam)");
    page_set_str(o, "werkgever", emp && emp[0] ? emp : "");
    char href[96];
    page_set_moment(o, "gewijzigd", "gewijzigdTijd", d->updated); /* Dutch time */
    snprintf(href, sizeof href, "/aanvragen/concepten/%lld/%s", (long long)d->id,
             at && step_parse(at) >= 0 ? at : "werknemer");
    page_set_str(o, "verder", href);
    json_array_append_new(l->rows, o);
    log_read(l->c, d->data, d->id);
    return 0;
}

void p_application_drafts(struct api_ctx *c)
{
    struct list l = {c, json_array()};
    struct lks_err e = {0};
    if (app_draft_list(&c->t->app, &c->who, list_cb, &l, &e)) {
        json_decref(l.rows);
        api_fail(c, &e);
        return;
    }
    json_t *d = json_object();
    json_object_set_new(d, "concepten", l.rows);
    page_set_str(d, "csrf", page_csrf(c));
    char q[24];
    if (http_req_query(c->req, "bewaard", q, sizeof q))
        page_set_str(d, "melding", "Uw concept is bewaard. U kunt later verder met de aanvraag.");
    else if (http_req_query(c->req, "verwijderd", q, sizeof q))
        page_set_str(d, "melding", "Het concept is verwijderd.");
    page_render(c, 200, "Concepten van aanvragen", "/aanvragen/nieuw", "aanvraag-concepten", d);
}

void p_application_delete(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_err e = {0};
    if (app_draft_delete(&c->t->app, &c->who, id, &e)) {
        if (e.code == LKS_ENOTFOUND)
            page_error(c, 404, "Niet gevonden", "Dit concept bestaat niet (meer).");
        else
            api_fail(c, &e);
        return;
    }
    page_redirect(c, "/aanvragen/concepten?verwijderd=1");
}

/* ---- the supplement of a case (informatie-aangevuld) ---- */

/* What the process lists as missing, and the field that gives it (process.c). */
static const struct {
    const char *missing, *field;
} missing_fields[] = {
    {"geboortedatum werknemer", "gegevens.werknemer.geboortedatum"},
    {"adres werknemer", "gegevens.werknemer.adres"},
    {"IBAN werkgever", "gegevens.werkgever.iban"},
    {"adres werkgever", "gegevens.werkgever.adres"},
    {"brutoloon", "gegevens.dienstverband.loon"},
    {"functie", "gegevens.dienstverband.functie"},
    {"voltijduren sector werkgever", "gegevens.werkgever.voltijduren"},
};

/* The case as JSON for the actor (scope; the read logged), or NULL answered. */
static json_t *case_json(struct api_ctx *c, int64_t id, bool *may)
{
    struct app_view *v = malloc(sizeof *v);
    struct lks_err e = {0};
    if (!v) {
        page_error(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return NULL;
    }
    if (app_view(&c->t->app, &c->who, id, LKS_NO_DATE, v, &e)) {
        free(v);
        api_fail(c, &e);
        return NULL;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "zaak/%lld", (long long)id);
    api_log(c, PLOG_READ, v->cs->person.bsn, obj);
    *may = v->role >= 0 && (v->commands[v->role] & (1u << EV_INFORMATIE_AANGEVULD));
    struct jw w;
    jw_init(&w, (size_t)8 << 20, false);
    app_view_json(&w, v);
    free(v);
    json_t *z = jw_to_json_(&w);
    jw_free(&w);
    if (!z)
        page_error(c, 503, "Tijdelijk niet beschikbaar", "de zaak kon niet worden gelezen");
    return z;
}

static void render_supplement(struct api_ctx *c, int64_t id, json_t *zaak,
                              const struct form *posted, const struct lks_errlist *errs, int status)
{
    json_t *d = json_object();
    page_set_int(d, "id", id);
    page_set_str(d, "naam",
                 json_string_value(json_object_get(json_object_get(zaak, "werknemer"), "naam")));
    json_t *miss = json_object_get(zaak, "ontbreekt");
    if (miss)
        json_object_set(d, "ontbreekt", miss);
    struct fake *fk = NULL;
    if (!posted) {
        /* the case as it stands, in the form's fields */
        json_t *v = json_object();
        prefill(v, "gegevens.werknemer.", json_object_get(zaak, "werknemer"), S_WORKER, S_WORKER);
        prefill(v, "gegevens.werkgever.", json_object_get(zaak, "werkgever"), S_EMPLOYER,
                S_MEASURE);
        prefill(v, "gegevens.dienstverband.", json_object_get(zaak, "dienstverband"), S_PLACEMENT,
                S_PLACEMENT);
        json_object_set(d, "_velden", v); /* keeps the strings alive for the fake form */
        json_decref(v);
        fk = malloc(sizeof *fk);
        if (!fk) {
            json_decref(d);
            page_error(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
            return;
        }
        fake_form(json_object_get(d, "_velden"), fk);
        posted = &fk->form;
    }
    json_t *sections = json_array();
    for (int st = S_WORKER; st <= S_MEASURE; st++) {
        json_t *sec = json_object();
        page_set_str(sec, "titel", steps[st].title);
        json_t *fields = step_fields(c, st, EV_INFORMATIE_AANGEVULD, posted, errs);
        /* the ones the case worker asked for say so */
        size_t i;
        json_t *x;
        json_array_foreach(fields, i, x)
        {
            const char *n = json_string_value(json_object_get(x, "naam"));
            for (size_t k = 0; n && k < sizeof missing_fields / sizeof missing_fields[0]; k++) {
                size_t j;
                json_t *m;
                json_array_foreach(miss, j, m)
                {
                    if (strcmp(json_string_value(m), missing_fields[k].missing) == 0 &&
                        strcmp(n, missing_fields[k].field) == 0)
                        page_set_str(x, "uitleg", "Gevraagd: vul dit aan.");
                }
            }
        }
        json_object_set_new(sec, "velden", fields);
        json_array_append_new(sections, sec);
    }
    json_object_del(d, "_velden");
    free(fk);
    json_object_set_new(d, "secties", sections);
    if (errs && errs->n) {
        json_t *sum = summary(errs, EV_INFORMATIE_AANGEVULD, id, false);
        json_object_set_new(d, "fouten", sum);
    }
    char action[96];
    snprintf(action, sizeof action, "/zaken/%lld/aanvulling", (long long)id);
    page_set_str(d, "actie", action);
    page_set_str(d, "csrf", page_csrf(c));
    page_set_str(d, "terug", is_employer(c) ? "/portaal/zaken" : "/zaken");
    page_render(c, status, "Aanvulling op de aanvraag",
                is_employer(c) ? "/portaal" : "/werkvoorraad", "aanvraag-aanvulling", d);
}

void p_supplement_form(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    bool may = false;
    json_t *zaak = case_json(c, id, &may);
    if (!zaak)
        return;
    if (!may) {
        json_decref(zaak);
        page_error(c, 409, "Nu geen aanvulling",
                   "Er is op deze zaak nu geen informatie gevraagd die u kunt aanvullen.");
        return;
    }
    render_supplement(c, id, zaak, NULL, NULL, 200);
    json_decref(zaak);
}

void p_supplement(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    bool may = false;
    json_t *zaak = case_json(c, id, &may);
    if (!zaak)
        return;
    struct lks_errlist errs = {0};
    json_t *cmd = NULL;
    int rc = form_to_json(&c->form, &cmd, &errs);
    if (rc == 0) {
        json_t *g = json_object_get(cmd, "gegevens");
        if (!g) {
            g = json_object();
            json_object_set_new(cmd, "gegevens", g);
        }
        /* the applicant stays the case's; an employer's company is its own */
        json_object_set(g, "aanvrager", json_object_get(zaak, "aanvrager"));
        if (is_employer(c)) {
            json_t *w = json_object_get(g, "werkgever");
            if (!w) {
                w = json_object();
                json_object_set_new(g, "werkgever", w);
            }
            json_object_set_new(w, "kvk", json_string(c->who.kvk));
        }
        page_set_str(cmd, "soort", ev_type_name(EV_INFORMATIE_AANGEVULD));
        int64_t out = 0;
        rc = app_command_json(&c->t->app, &c->who, id, cmd, &out, &errs);
    }
    json_decref(cmd);
    if (rc == 0) {
        json_decref(zaak);
        char loc[96];
        if (is_employer(c))
            snprintf(loc, sizeof loc, "/portaal/zaken/%lld", (long long)id);
        else
            snprintf(loc, sizeof loc, "/zaken/%lld?gedaan=%s", (long long)id,
                     ev_type_name(EV_INFORMATIE_AANGEVULD));
        page_redirect(c, loc);
        return;
    }
    int status = forms_failure_status(c, &errs);
    if (status < 0) {
        json_decref(zaak);
        return;
    }
    render_supplement(c, id, zaak, &c->form, &errs, status);
    json_decref(zaak);
}

/*
 * p_stap — the process steps of a case that have pages of their own, each a form on
 * GET and POST /zaken/{id}/<stap>:
 *   - toegangstoets: the questions of seed 003 annex 2, each criterion a ja/nee radio
 *     group, the written argument, voluntary and cost. "Bereken uitkomst" shows the
 *     outcome with its reasoning without saving (toets_run, as the API's
 *     /berekeningen/toegangstoets); "Leg de toegangstoets vast" gives the command.
 *   - loonwaarde: the measurement asked for (method, expert, the report's due date from
 *     the stored deadlines) and the result as the uniform method's report gives it: up to
 *     five main tasks with their share of time, tempo and quality, the net working time
 *     and the expert's total percentage; in a re-assessment the same report may be
 *     recorded as unchanged (loonwaarde-ongewijzigd, its own button).
 *   - beschikking: the decision as it will be (app_decision_preview: the period, the
 *     amount of a month with every step and article, the objection deadline) and the
 *     button that sends it.
 * A page exists for a user only when the app's view of the case offers that command to
 * the user's role now (a role that may never give it: 403; a step not due now: 409);
 * another municipality's or company's case does not exist (the app's 404). Every command
 * goes through app_command_json, the same JSON as the API; the rules and their messages
 * are the app's. An error shows the page again with every typed value and each message
 * beside its field; success is 303 to the case page. Each page that shows the case
 * writes its read to the processing log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "codec/rules_json.h"
#include "rules/toets.h"
#include "store/plog.h"
#include "web/forms.h"
#include "web/page.h"
#include "web/pages.h"

/* ---- shared ---- */

static json_t *jw_to_tree(struct jw *w)
{
    if (jw_failed(w))
        return NULL;
    json_error_t je;
    return json_loadb(w->buf, w->len, 0, &je);
}

/* A field's error: the codec and the rules name it without "gegevens." and the access
 * test's answers without "antwoorden." (toets.h). */
static const char *bare(const char *f)
{
    if (strncmp(f, "gegevens.", 9) == 0)
        f += 9;
    if (strncmp(f, "antwoorden.", 11) == 0)
        f += 11;
    return f;
}

static const char *err_of(const struct lks_errlist *errs, const char *field)
{
    for (int i = 0; errs && i < errs->n; i++)
        if (strcmp(bare(errs->e[i].field), field) == 0)
            return errs->e[i].msg;
    return NULL;
}

/* Field names as the error summary links them (page_field_id of the bare name). */
static void errs_bare(struct lks_errlist *errs)
{
    for (int i = 0; i < errs->n; i++) {
        char f[sizeof errs->e[i].field];
        snprintf(f, sizeof f, "%s", bare(errs->e[i].field));
        snprintf(errs->e[i].field, sizeof errs->e[i].field, "%s", f);
    }
}

/* One input as veld.html draws it. */
static json_t *field(const char *name, const char *label, const char *kind, bool required,
                     const char *hint, const char *value, const char *err)
{
    json_t *x = json_object();
    char id[128], key[96];
    /* the id of a name without "gegevens." and suffix, as page_errors links it */
    snprintf(key, sizeof key, "%s", bare(name));
    char *colon = strchr(key, ':');
    if (colon)
        *colon = '\0';
    page_field_id(key, id, sizeof id);
    page_set_str(x, "naam", name);
    page_set_str(x, "id", id);
    page_set_str(x, "label", label);
    page_set_bool(x, kind, true);
    page_set_bool(x, "verplicht", required);
    page_set_str(x, "uitleg", hint); /* also empty: never the outer scope's */
    if (err)
        page_set_str(x, "fout", err);
    page_set_str(x, "waarde", value ? value : "");
    return x;
}

/* The posted value of a field (NULL on a GET). */
static const char *posted(const struct api_ctx *c, const char *name)
{
    return c->has_form ? form_get(&c->form, name) : NULL;
}

/* The case's view for a step page: the view and its JSON, the read logged. NULL when the
 * page was answered (not found, or the step not offered to this user now). */
struct step {
    struct app_view *v;
    json_t *zaak;
};

static bool load_step(struct api_ctx *c, int64_t id, enum ev_type t, struct step *s)
{
    struct lks_err e = {0};
    s->v = malloc(sizeof *s->v);
    s->zaak = NULL;
    if (!s->v) {
        page_error(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return false;
    }
    if (app_view(&c->t->app, &c->who, id, LKS_NO_DATE, s->v, &e)) {
        free(s->v);
        s->v = NULL;
        api_fail(c, &e);
        return false;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "zaak/%lld", (long long)id);
    api_log(c, PLOG_READ, s->v->cs->person.bsn, obj);
    uint32_t cmds = s->v->role >= 0 ? s->v->commands[s->v->role] : 0;
    if (!(cmds & (1u << t))) {
        bool role_may = s->v->role >= 0 && (case_transitions[t].roles & (1u << s->v->role));
        free(s->v);
        s->v = NULL;
        if (role_may)
            page_error(c, 409, "Nu niet mogelijk",
                       "Deze stap is in de huidige fase van de zaak niet aan de orde.");
        else
            page_error(c, 403, "Geen toegang", "Uw rol kan deze stap niet zetten.");
        return false;
    }
    struct jw w;
    jw_init(&w, (size_t)8 << 20, false);
    app_view_json(&w, s->v);
    s->zaak = jw_to_tree(&w);
    jw_free(&w);
    if (!s->zaak) {
        free(s->v);
        s->v = NULL;
        page_error(c, 503, "Tijdelijk niet beschikbaar", "de zaak kon niet worden gelezen");
        return false;
    }
    return true;
}

static void step_free(struct step *s)
{
    free(s->v);
    json_decref(s->zaak);
}

/* The common part of a step page's data: the case, the way back, the token. */
static json_t *step_data(struct api_ctx *c, int64_t id, struct step *s)
{
    json_t *d = json_object();
    json_t *z = json_object();
    page_set_int(z, "id", id);
    json_t *wn = json_object_get(s->zaak, "werknemer");
    page_set_str(z, "naam", json_string_value(json_object_get(wn, "naam")));
    page_set_str(z, "status", forms_status_text((int)s->v->cs->status));
    json_object_set_new(d, "zaak", z);
    page_set_str(d, "csrf", page_csrf(c));
    return d;
}

/* Messages no field of the page shows go into the summary too (they are in it already:
 * page_errors lists every error; a field-less one links to the form). */
static void add_errors(json_t *d, struct lks_errlist *errs)
{
    if (!errs || !errs->n)
        return;
    errs_bare(errs);
    json_t *f = page_errors(errs);
    if (f)
        json_object_set_new(d, "fouten", f);
}

static void done(struct api_ctx *c, int64_t id, enum ev_type t, const char *anchor)
{
    char loc[128];
    snprintf(loc, sizeof loc, "/zaken/%lld?gedaan=%s#%s", (long long)id, ev_type_name(t), anchor);
    page_redirect(c, loc);
}

/* ---- toegangstoets ---- */

static const char *outcome_text(enum toets_outcome o)
{
    switch (o) {
    case TOETS_IN_TARGET_GROUP:
        return "De cliënt behoort tot de doelgroep loonkostensubsidie.";
    case TOETS_UPPER_BOUND:
        return "De cliënt behoort niet tot de doelgroep: hij of zij kan het minimumloon "
               "verdienen (bovengrens).";
    default:
        return "De cliënt behoort niet tot de doelgroep: minder dan 20% van het minimumloon "
               "(ondergrens).";
    }
}

json_t *stap_toets_outcome_json(const struct toets_result *r)
{
    json_t *o = json_object();
    page_set_str(o, "uitkomst", toets_outcome_name(r->outcome));
    page_set_str(o, "tekst", outcome_text(r->outcome));
    json_t *why = json_array();
    for (int i = 0; i < r->nreasons; i++) {
        json_t *x = json_object();
        page_set_str(x, "vraag", toets_questions[r->reason[i].question].label);
        page_set_str(x, "antwoord", r->reason[i].yes ? "ja" : "nee");
        page_set_str(x, "conclusie", r->reason[i].conclusion);
        json_array_append_new(why, x);
    }
    json_object_set_new(o, "redenen", why);
    return o;
}

/* The answer of a criterion as posted: 1 ja, 2 nee, 0 none. */
static int answer_posted(const struct api_ctx *c, const char *name)
{
    const char *v = posted(c, name);
    if (!v)
        return 0;
    return strcmp(v, "true") == 0 ? 1 : strcmp(v, "false") == 0 ? 2 : 0;
}

static void render_toets(struct api_ctx *c, int64_t id, struct step *s, int status,
                         struct lks_errlist *errs, json_t *outcome)
{
    json_t *d = step_data(c, id, s);
    json_t *qs = json_array();
    for (int q = 0; q < TOETS_NQUESTIONS; q++) {
        const struct toets_question_def *def = &toets_questions[q];
        json_t *x = json_object();
        page_set_str(x, "label", def->label);
        page_set_str(x, "tekst", def->text);
        json_t *crit = json_array();
        for (int k = 0; k < def->ncriteria; k++) {
            char f[80], name[128], id_ja[128], id_nee[140];
            snprintf(f, sizeof f, "%s.%s", def->key, def->criterion[k]);
            snprintf(name, sizeof name, "gegevens.antwoorden.%s:bool", f);
            page_field_id(f, id_ja, sizeof id_ja);
            snprintf(id_nee, sizeof id_nee, "%s-nee", id_ja);
            json_t *y = json_object();
            page_set_str(y, "naam", name);
            page_set_str(y, "idJa", id_ja);
            page_set_str(y, "idNee", id_nee);
            page_set_str(y, "tekst", def->criterion_text[k]);
            int a = answer_posted(c, name);
            page_set_bool(y, "ja", a == 1);
            page_set_bool(y, "nee", a == 2);
            const char *err = err_of(errs, f);
            if (err)
                page_set_str(y, "fout", err);
            json_array_append_new(crit, y);
        }
        json_object_set_new(x, "criteria", crit);
        json_array_append_new(qs, x);
    }
    json_object_set_new(d, "vragen", qs);
    json_t *fs = json_array();
    json_array_append_new(fs,
                          field("gegevens.toelichting", "Toelichting", "vak", false,
                                "verplicht bij een 'nee' op vraag 3: de schriftelijke "
                                "onderbouwing",
                                posted(c, "gegevens.toelichting"), err_of(errs, "toelichting")));
    json_t *vol = field("gegevens.vrijwillig:bool", "De cliënt doet vrijwillig mee", "vink", false,
                        NULL, NULL, err_of(errs, "vrijwillig"));
    /* the hidden false comes first: the last value counts (form.h) */
    const char *last = NULL;
    for (int j = 0; c->has_form && j < c->form.n; j++)
        if (strcmp(c->form.f[j].name, "gegevens.vrijwillig:bool") == 0)
            last = c->form.f[j].value;
    page_set_bool(vol, "aan", last && strcmp(last, "true") == 0);
    json_array_append_new(fs, vol);
    json_array_append_new(fs, field("gegevens.kosten", "Kosten", "bedrag", false, "in euro's",
                                    posted(c, "gegevens.kosten"), err_of(errs, "kosten")));
    json_array_append_new(fs, field("datum", "Datum", "datum", false, "JJJJ-MM-DD; leeg is vandaag",
                                    posted(c, "datum"), err_of(errs, "datum")));
    json_object_set_new(d, "velden", fs);
    if (outcome)
        json_object_set_new(d, "uitkomst", outcome);
    add_errors(d, errs);
    char title[64];
    snprintf(title, sizeof title, "Toegangstoets zaak %lld", (long long)id);
    page_render(c, status, title, "/werkvoorraad", "toegangstoets", d);
}

void p_step_toets_form(struct api_ctx *c)
{
    int64_t id;
    struct step s;
    if (!api_param_id(c, 0, &id) || !load_step(c, id, EV_TOEGANGSTOETS_UITGEVOERD, &s))
        return;
    render_toets(c, id, &s, 200, NULL, NULL);
    step_free(&s);
}

/* "Bereken uitkomst": the answers as the API's /berekeningen/toegangstoets reads them. */
static json_t *toets_preview(struct api_ctx *c, struct lks_errlist *errs)
{
    json_t *cmd = NULL;
    if (form_to_json(&c->form, &cmd, errs))
        return NULL;
    json_t *data = json_object_get(cmd, "gegevens");
    json_t *answers = json_object_get(data, "antwoorden");
    json_t *in_json = answers ? json_copy(answers) : json_object();
    json_t *expl = json_object_get(data, "toelichting");
    if (expl)
        json_object_set(in_json, "toelichting", expl);
    struct toets_input in;
    json_t *out = NULL;
    if (codec_toets_parse(in_json, &in, errs) == 0) {
        struct toets_result r;
        struct lks_err e = {0};
        if (toets_run(&in, &r, &e) == 0)
            out = stap_toets_outcome_json(&r);
        else
            *lks_errlist_add(errs) = e;
    }
    json_decref(in_json);
    json_decref(cmd);
    return out;
}

void p_step_toets(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_errlist errs = {0};
    const char *action = posted(c, "_actie");
    if (action && strcmp(action, "bereken") == 0) {
        struct step s;
        if (!load_step(c, id, EV_TOEGANGSTOETS_UITGEVOERD, &s))
            return;
        json_t *out = toets_preview(c, &errs);
        render_toets(c, id, &s, out ? 200 : 400, &errs, out);
        step_free(&s);
        return;
    }
    if (forms_give(c, id, EV_TOEGANGSTOETS_UITGEVOERD, &errs) == 0) {
        done(c, id, EV_TOEGANGSTOETS_UITGEVOERD, "toegangstoets");
        return;
    }
    int status = forms_failure_status(c, &errs);
    struct step s;
    if (status < 0 || !load_step(c, id, EV_TOEGANGSTOETS_UITGEVOERD, &s))
        return;
    render_toets(c, id, &s, status, &errs, NULL);
    step_free(&s);
}

/* ---- loonwaarde ---- */

static const char *const task_parts[4][3] = {
    /* name, label, kind */
    {"naam", "Naam van de taak", "tekst"},
    {"tijdsaandeel", "Aandeel in de werktijd (%)", "procent"},
    {"tempo", "Tempo (%)", "procent"},
    {"kwaliteit", "Kwaliteit (%)", "procent"},
};

static void render_value(struct api_ctx *c, int64_t id, struct step *s, int status,
                         struct lks_errlist *errs)
{
    json_t *d = step_data(c, id, s);
    /* the measurement asked for: the last one without a result */
    json_t *ms = json_object_get(s->zaak, "loonwaardemetingen");
    for (size_t i = json_array_size(ms); i-- > 0;) {
        json_t *m = json_array_get(ms, i);
        if (json_is_null(json_object_get(m, "loonwaarde"))) {
            json_object_set(d, "meting", m);
            break;
        }
    }
    /* the report's due date, as stored with the case */
    for (int i = 0; i < s->v->ndl; i++) {
        const struct case_deadline *dl = &s->v->dl[i];
        if (dl->kind != DL_RAPPORT || dl->done != LKS_NO_DATE)
            continue;
        json_t *t = json_object();
        char b[DATE_FMT_MAX];
        page_set_str(t, "uiterlijk", date_fmt(b, dl->due));
        page_set_str(t, "grondslag", dl_kind_basis(dl->kind));
        page_set_str(t, "stand", dl_state(dl, s->v->on));
        json_object_set_new(d, "rapportTermijn", t);
    }
    json_t *fs = json_array();
    json_array_append_new(fs, field("gegevens.loonwaarde", "Loonwaarde (%)", "procent", true,
                                    "het totale percentage van de deskundige",
                                    posted(c, "gegevens.loonwaarde"), err_of(errs, "loonwaarde")));
    json_array_append_new(fs, field("gegevens.nettoProductieveTijd", "Netto productieve tijd (%)",
                                    "procent", false, "de inzetbaarheid volgens het rapport",
                                    posted(c, "gegevens.nettoProductieveTijd"),
                                    err_of(errs, "nettoProductieveTijd")));
    json_array_append_new(fs, field("gegevens.gemeten", "Gemeten op", "datum", false,
                                    "JJJJ-MM-DD; leeg is de datum hieronder",
                                    posted(c, "gegevens.gemeten"), err_of(errs, "gemeten")));
    json_array_append_new(fs,
                          field("gegevens.normfunctie", "Normfunctie", "tekst", false, NULL,
                                posted(c, "gegevens.normfunctie"), err_of(errs, "normfunctie")));
    json_array_append_new(fs, field("gegevens.rapport", "Rapport", "tekst", false,
                                    "naam of kenmerk van het rapport",
                                    posted(c, "gegevens.rapport"), err_of(errs, "rapport")));
    json_object_set_new(d, "velden", fs);
    json_t *tasks = json_array();
    for (int k = 0; k < CASE_MAX_TASKS; k++) {
        json_t *t = json_object(), *tf = json_array();
        page_set_int(t, "nummer", k + 1);
        char row[24];
        snprintf(row, sizeof row, "taken.%d", k);
        const char *rowerr = err_of(errs, row);
        if (rowerr)
            page_set_str(t, "fout", rowerr);
        for (int p = 0; p < 4; p++) {
            char name[64], f[48];
            snprintf(f, sizeof f, "taken.%d.%s", k, task_parts[p][0]);
            snprintf(name, sizeof name, "gegevens.%s", f);
            json_array_append_new(tf, field(name, task_parts[p][1], task_parts[p][2], false, NULL,
                                            posted(c, name), err_of(errs, f)));
        }
        json_object_set_new(t, "velden", tf);
        json_array_append_new(tasks, t);
    }
    json_object_set_new(d, "taken", tasks);
    const char *sum = err_of(errs, "taken");
    if (sum)
        page_set_str(d, "takenFout", sum);
    json_t *dv = json_array();
    json_array_append_new(dv, field("datum", "Datum van het rapport", "datum", false,
                                    "JJJJ-MM-DD; leeg is vandaag", posted(c, "datum"),
                                    err_of(errs, "datum")));
    json_object_set_new(d, "datumveld", dv);
    add_errors(d, errs);
    /* the summary's link for the sum of the shares goes to the first share */
    json_t *list = json_object_get(json_object_get(d, "fouten"), "lijst");
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "veld")), "taken") == 0)
            page_set_str(x, "id", "f-taken-0-tijdsaandeel");
    }
    /* in a re-assessment the expert may also record the report as unchanged (the wage
     * value of the current decision): the same report with its tasks, another command */
    uint32_t cmds = s->v->role >= 0 ? s->v->commands[s->v->role] : 0;
    page_set_bool(d, "kanOngewijzigd", (cmds & (1u << EV_LOONWAARDE_ONGEWIJZIGD)) != 0);
    char title[64];
    snprintf(title, sizeof title, "Loonwaarde zaak %lld", (long long)id);
    page_render(c, status, title, "/werkvoorraad", "loonwaarde", d);
}

void p_step_value_form(struct api_ctx *c)
{
    int64_t id;
    struct step s;
    if (!api_param_id(c, 0, &id) || !load_step(c, id, EV_LOONWAARDE_VASTGESTELD, &s))
        return;
    render_value(c, id, &s, 200, NULL);
    step_free(&s);
}

/* The report as a new wage value (loonwaarde-vastgesteld), or with the button
 * "ongewijzigd" as the current decision's (loonwaarde-ongewijzigd, in a re-assessment). */
void p_step_value(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    const char *action = posted(c, "_actie");
    enum ev_type t = action && strcmp(action, "ongewijzigd") == 0 ? EV_LOONWAARDE_ONGEWIJZIGD
                                                                  : EV_LOONWAARDE_VASTGESTELD;
    struct lks_errlist errs = {0};
    if (forms_give(c, id, t, &errs) == 0) {
        done(c, id, t, "loonwaarde");
        return;
    }
    int status = forms_failure_status(c, &errs);
    struct step s;
    if (status < 0 || !load_step(c, id, t, &s))
        return;
    render_value(c, id, &s, status, &errs);
    step_free(&s);
}

/* ---- beschikking ---- */

static const struct field_choice decision_kinds[] = {{"toekenning", "Toekenning"},
                                                     {"afwijzing", "Afwijzing"},
                                                     {"herziening", "Herziening"},
                                                     {NULL, NULL}};

/* A value of the decision form: posted, or on a GET from the query (soort, vanaf, tot:
 * nothing personal). */
static const char *decision_value(struct api_ctx *c, const char *name, char *buf, size_t n)
{
    if (c->has_form)
        return form_get(&c->form, name);
    const char *q = strrchr(name, '.');
    q = q ? q + 1 : name;
    if (strcmp(q, "soort") && strcmp(q, "vanaf") && strcmp(q, "tot"))
        return NULL;
    return http_req_query(c->req, q, buf, n) ? buf : NULL;
}

static json_t *preview_json(const struct app_decision_preview *p)
{
    json_t *o = json_object();
    char b[DATE_FMT_MAX], m[MONEY_FMT_MAX];
    const struct decision *d = &p->d;
    page_set_str(o, "soort", decision_kinds[d->kind].text);
    page_set_bool(o, "afwijzing", d->kind == DEC_REFUSAL);
    if (d->from != LKS_NO_DATE)
        page_set_str(o, "vanaf", date_fmt(b, d->from));
    if (d->to != LKS_NO_DATE)
        page_set_str(o, "tot", date_fmt(b, d->to));
    if (d->kind != DEC_REFUSAL) {
        page_set_str(o, "bedragPerMaand", money_fmt(m, d->amount));
        page_set_str(o, "loonkostensubsidie", money_fmt(m, d->subsidy));
        page_set_str(o, "werkgeverslasten", money_fmt(m, d->allowance));
        if (d->loonwaarde >= 0)
            page_set_str(o, "loonwaarde", money_fmt_short(m, d->loonwaarde, 2, 0));
        else
            page_set_bool(o, "forfait", true);
    }
    if (d->reason[0])
        page_set_str(o, "motivering", d->reason);
    page_set_str(o, "verzonden", date_fmt(b, d->sent));
    page_set_str(o, "uiterlijkeReactiedatum", date_fmt(b, d->objection_due));
    page_set_str(o, "bezwaarGrondslag", dl_kind_basis(DL_BEZWAARTERMIJN));
    page_set_str(o, "grondslag", case_transitions[EV_BESCHIKKING_VERZONDEN].basis);
    if (p->has_amount) {
        struct jw w;
        jw_init(&w, 1 << 16, false);
        codec_lks(&w, &p->amount);
        json_t *calc = jw_to_tree(&w);
        jw_free(&w);
        if (calc) {
            page_set_str(calc, "maand", date_fmt(b, p->month));
            json_object_set_new(o, "berekening", calc);
        }
    }
    return o;
}

static void render_decision(struct api_ctx *c, int64_t id, struct step *s, int status,
                            struct lks_errlist *errs, json_t *preview)
{
    json_t *d = step_data(c, id, s);
    char b1[64], b2[64], b3[64];
    const char *kind = decision_value(c, "gegevens.soort", b1, sizeof b1);
    json_t *fs = json_array();
    json_t *sel = field("gegevens.soort", "Soort beschikking", "keuze", true, NULL, kind,
                        err_of(errs, "soort"));
    json_t *ch = json_array();
    for (const struct field_choice *k = decision_kinds; k->value; k++) {
        json_t *o = json_object();
        page_set_str(o, "waarde", k->value);
        page_set_str(o, "tekst", k->text);
        page_set_bool(o, "gekozen", kind && strcmp(kind, k->value) == 0);
        json_array_append_new(ch, o);
    }
    json_object_set_new(sel, "keuzes", ch);
    json_array_append_new(fs, sel);
    json_array_append_new(fs, field("gegevens.vanaf", "Vanaf", "datum", false,
                                    "leeg: de eerste dag die de regels geven",
                                    decision_value(c, "gegevens.vanaf", b2, sizeof b2),
                                    err_of(errs, "vanaf")));
    json_array_append_new(fs, field("gegevens.tot", "Tot en met", "datum", false,
                                    "leeg: het einde van het dienstverband",
                                    decision_value(c, "gegevens.tot", b3, sizeof b3),
                                    err_of(errs, "tot")));
    json_array_append_new(fs, field("gegevens.motivering", "Motivering", "vak", false,
                                    "bij een afwijzing verplicht", posted(c, "gegevens.motivering"),
                                    err_of(errs, "motivering")));
    json_array_append_new(fs, field("datum", "Verzenddatum", "datum", false,
                                    "JJJJ-MM-DD; leeg is vandaag", posted(c, "datum"),
                                    err_of(errs, "datum")));
    json_object_set_new(d, "velden", fs);
    /* what a field of the form does not show (the loonwaarde, the employer's hours) */
    json_t *other = json_array();
    static const char *const shown[] = {"soort", "vanaf", "tot", "motivering", "datum"};
    for (int i = 0; errs && i < errs->n; i++) {
        bool on_form = false;
        for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
            on_form |= strcmp(bare(errs->e[i].field), shown[k]) == 0;
        if (!on_form)
            json_array_append_new(other, json_string(errs->e[i].msg));
    }
    json_object_set_new(d, "overig", other);
    if (preview)
        json_object_set_new(d, "voorbeeld", preview);
    add_errors(d, errs);
    /* a refusal without a field of the form links to the kind of decision */
    json_t *list = json_object_get(json_object_get(d, "fouten"), "lijst");
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        const char *f = json_string_value(json_object_get(x, "veld"));
        bool on_form = false;
        for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++)
            on_form |= strcmp(f, shown[k]) == 0;
        if (!on_form)
            page_set_str(x, "id", "f-soort");
    }
    char title[64];
    snprintf(title, sizeof title, "Beschikking zaak %lld", (long long)id);
    page_render(c, status, title, "/werkvoorraad", "beschikking", d);
}

/* The decision form's JSON command (posted, or from the query of a GET). */
static json_t *decision_cmd(struct api_ctx *c, struct lks_errlist *errs)
{
    json_t *cmd = NULL;
    if (c->has_form) {
        if (form_to_json(&c->form, &cmd, errs))
            return NULL;
    } else {
        cmd = json_object();
        json_t *g = json_object();
        static const char *const keys[] = {"soort", "vanaf", "tot"};
        for (size_t k = 0; k < 3; k++) {
            char b[64];
            if (http_req_query(c->req, keys[k], b, sizeof b) && b[0])
                page_set_str(g, keys[k], b);
        }
        json_object_set_new(cmd, "gegevens", g);
    }
    if (!json_object_get(cmd, "gegevens"))
        json_object_set_new(cmd, "gegevens", json_object());
    return cmd;
}

/* The query of the letter preview (p_brief.c, GET /zaken/{id}/beschikking/brief): the
 * typed soort, vanaf and tot, and the sending date the preview used, so the letter is the
 * one this preview shows. Nothing personal. */
static void letter_link(struct api_ctx *c, json_t *preview)
{
    json_t *q = json_object();
    static const char *const keys[] = {"soort", "vanaf", "tot"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char name[32], b[64];
        snprintf(name, sizeof name, "gegevens.%s", keys[k]);
        const char *v = decision_value(c, name, b, sizeof b);
        page_set_str(q, keys[k], v ? v : "");
    }
    json_object_set(q, "datum", json_object_get(preview, "verzonden"));
    json_object_set_new(preview, "brief", q);
}

static void decision_page(struct api_ctx *c, int64_t id, bool want_preview)
{
    struct lks_errlist errs = {0};
    json_t *preview = NULL;
    int status = 200;
    if (want_preview) {
        json_t *cmd = decision_cmd(c, &errs);
        struct app_decision_preview *p = malloc(sizeof *p);
        if (cmd && p) {
            int rc = app_decision_preview(&c->t->app, &c->who, id, cmd, p, &errs);
            if (rc == 0) {
                preview = preview_json(p);
                letter_link(c, preview);
            } else if ((status = forms_failure_status(c, &errs)) < 0) {
                free(p);
                json_decref(cmd);
                return;
            }
        } else if (!cmd) {
            status = 400;
        }
        free(p);
        json_decref(cmd);
    }
    struct step s;
    if (!load_step(c, id, EV_BESCHIKKING_VERZONDEN, &s)) {
        json_decref(preview);
        return;
    }
    render_decision(c, id, &s, status, &errs, preview);
    step_free(&s);
}

void p_step_decision_form(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    char b[32];
    decision_page(c, id, http_req_query(c->req, "soort", b, sizeof b) && b[0]);
}

void p_step_decision(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    const char *action = posted(c, "_actie");
    if (!action || strcmp(action, "verstuur") != 0) {
        decision_page(c, id, true);
        return;
    }
    struct lks_errlist errs = {0};
    if (forms_give(c, id, EV_BESCHIKKING_VERZONDEN, &errs) == 0) {
        done(c, id, EV_BESCHIKKING_VERZONDEN, "loonwaarde");
        return;
    }
    int status = forms_failure_status(c, &errs);
    struct step s;
    if (status < 0 || !load_step(c, id, EV_BESCHIKKING_VERZONDEN, &s))
        return;
    render_decision(c, id, &s, status, &errs, NULL);
    step_free(&s);
}

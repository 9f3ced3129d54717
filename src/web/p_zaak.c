/*
 * p_zaak — a case page and its commands. The page is the app's view of the case for the
 * user (app_view: parties, lists, deadlines, this month's amount with every step and its
 * article, the commands this user may give now), its timeline, and as forms only those
 * commands; the access test, the loonwaarde report and the decision are links to their
 * own pages (p_stap.c). The last access test's reasoning is toets_run on its stored
 * answers and the report's tasks are those of the last loonwaarde event: one app_view and
 * the events make the page. A command posts to /zaken/{id}/{soort}: its form becomes the API's JSON
 * command (form.h) for app_command_json; then back to the case (303) with a message, or the page
 * again with the form open, every typed value kept and each error beside its field. A
 * command that has a step page of its own (the access test, the supplement, the loonwaarde
 * report — also "ongewijzigd" in a re-assessment — and the decision) is not taken on that
 * route: the user is sent to the step page (303) and nothing is recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/jw_tree.h"
#include "codec/rules_json.h"
#include "rules/toets.h"
#include "store/plog.h"
#include "web/forms.h"
#include "web/page.h"
#include "web/pages.h"

#define CASE_PAGE_PAYMENTS 24 /* the latest on the page; the API has them all */

static int event_cb(void *arg, const struct stored_event *ev)
{
    return app_event_json(arg, ev);
}

/* Choices a form gets from the case: its objections, its provisions, the klantmanagers. */
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

static json_t *dynamic_choices(struct api_ctx *c, const json_t *zaak, uint32_t commands)
{
    json_t *d = json_object();
    json_t *list = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(zaak, "bezwaren"), i, x)
    {
        char text[160];
        snprintf(text, sizeof text, "%s (ontvangen %s)",
                 json_string_value(json_object_get(x, "onderwerp")),
                 json_string_value(json_object_get(x, "ontvangen")));
        json_t *o = json_object();
        char v[24];
        snprintf(v, sizeof v, "%zu", i);
        page_set_str(o, "waarde", v);
        page_set_str(o, "tekst", text);
        json_array_append_new(list, o);
    }
    json_object_set_new(d, "gegevens.bezwaar", list);
    list = json_array();
    json_array_foreach(json_object_get(zaak, "voorzieningen"), i, x)
    {
        char text[160];
        snprintf(text, sizeof text, "%s vanaf %s", json_string_value(json_object_get(x, "soort")),
                 json_string_value(json_object_get(x, "start")));
        json_t *o = json_object();
        char v[24];
        snprintf(v, sizeof v, "%zu", i);
        page_set_str(o, "waarde", v);
        page_set_str(o, "tekst", text);
        json_array_append_new(list, o);
    }
    json_object_set_new(d, "gegevens.voorziening", list);
    if (commands & (1u << EV_ZAAK_TOEGEWEZEN)) {
        struct workers w = {json_array()};
        struct lks_err e = {0};
        app_case_workers(&c->t->app, &c->who, worker_cb, &w, &e);
        json_object_set_new(d, "gegevens.klantmanager", w.list);
    }
    return d;
}

/* The steps that have a page of their own (p_stap.c) instead of a form here. */
struct step_page {
    enum ev_type ev;
    const char *path, *link, *done;
};
static const struct step_page step_pages[] = {
    {EV_INFORMATIE_AANGEVULD, "aanvulling", "Vul de aanvraag aan", "De aanvulling is vastgelegd."},
    {EV_TOEGANGSTOETS_UITGEVOERD, "toegangstoets", "Voer de toegangstoets uit",
     "De toegangstoets is vastgelegd."},
    {EV_LOONWAARDE_VASTGESTELD, "loonwaarde", "Leg het resultaat van de loonwaardemeting vast",
     "De loonwaarde is vastgelegd."},
    {EV_LOONWAARDE_ONGEWIJZIGD, "loonwaarde", "Leg het rapport van de herbeoordeling vast",
     "De loonwaarde is ongewijzigd vastgelegd."},
    {EV_BESCHIKKING_VERZONDEN, "beschikking", "Bekijk en verstuur de beschikking",
     "De beschikking is verzonden."},
};

static const struct step_page *step_page(enum ev_type t)
{
    for (size_t i = 0; i < sizeof step_pages / sizeof step_pages[0]; i++)
        if (step_pages[i].ev == t)
            return &step_pages[i];
    return NULL;
}

/* From the events: the last access test's outcome with its reasoning (toets_run on its
 * answers, as the process decided it) and the last loonwaarde report's tasks. */
static void from_events(json_t *d, const json_t *events)
{
    const json_t *test = NULL, *report = NULL;
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev)
    {
        const char *t = json_string_value(json_object_get(ev, "soort"));
        if (!t)
            continue;
        if (strcmp(t, "toegangstoets-uitgevoerd") == 0)
            test = json_object_get(ev, "gegevens");
        else if (strcmp(t, "loonwaarde-vastgesteld") == 0 ||
                 strcmp(t, "loonwaarde-ongewijzigd") == 0)
            report = json_object_get(ev, "gegevens");
    }
    if (test) {
        json_t *in_json = json_copy(json_object_get(test, "antwoorden"));
        if (!in_json)
            in_json = json_object();
        json_t *expl = json_object_get(test, "toelichting");
        if (json_is_string(expl) && json_string_length(expl))
            json_object_set(in_json, "toelichting", expl);
        struct toets_input in;
        struct lks_errlist errs = {0};
        struct toets_result r;
        struct lks_err e = {0};
        if (codec_toets_parse(in_json, &in, &errs) == 0 && toets_run(&in, &r, &e) == 0)
            json_object_set_new(d, "toets", stap_toets_outcome_json(&r));
        json_decref(in_json);
    }
    if (report) {
        json_t *tasks = json_object_get(report, "taken");
        if (json_array_size(tasks))
            json_object_set(d, "taken", tasks);
        json_t *net = json_object_get(report, "nettoProductieveTijd");
        if (json_is_string(net))
            json_object_set(d, "nettoProductieveTijd", net);
    }
}

/* The page of case `id`; `failed` (a command's form with its errors) open among the
 * commands. False when answered otherwise (not found: the app's answer). */
static void render_case(struct api_ctx *c, int64_t id, int status, enum ev_type failed,
                        const struct lks_errlist *errs, const char *message,
                        const struct lks_errlist *upload_errs, const char *kind)
{
    struct app_view *v = malloc(sizeof *v);
    struct lks_err e = {0};
    if (!v) {
        page_error(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    if (app_view(&c->t->app, &c->who, id, LKS_NO_DATE, v, &e)) {
        free(v);
        api_fail(c, &e);
        return;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "zaak/%lld", (long long)id);
    api_log(c, PLOG_READ, v->cs->person.bsn, obj);
    enum case_status st = v->cs->status;
    uint32_t commands = v->role >= 0 ? v->commands[v->role] : 0;
    lks_date today = c->t->app.today;
    struct jw w; /* the view and the events as trees, by the API's own writers */
    struct jw_tree tree;
    jw_tree_init(&w, &tree);
    app_view_json(&w, v);
    /* the earliest open deadline, for the head of the page */
    json_t *next = NULL;
    for (int i = 0; i < v->ndl; i++) {
        const struct case_deadline *d = &v->dl[i];
        if (d->done != LKS_NO_DATE)
            continue;
        if (!next || d->due < json_integer_value(json_object_get(next, "due"))) {
            json_decref(next);
            next = json_object();
            page_set_int(next, "due", d->due);
            page_set_str(next, "omschrijving", dl_kind_text(d->kind));
            char b[DATE_FMT_MAX];
            page_set_str(next, "uiterlijk", date_fmt(b, d->due));
            page_badge(next, (int)(d->due - today));
        }
    }
    free(v);
    json_t *zaak = jw_tree_take(&w, &tree);
    jw_tree_init(&w, &tree);
    jw_arr_open(&w);
    int rc = app_case_events(&c->t->app, &c->who, id, event_cb, &w, &e);
    jw_arr_close(&w);
    json_t *events = jw_tree_take(&w, &tree);
    if (rc) {
        json_decref(events);
        events = NULL;
    }
    if (!zaak || !events) {
        json_decref(zaak);
        json_decref(events);
        json_decref(next);
        page_error(c, 503, "Tijdelijk niet beschikbaar", "de zaak kon niet worden gelezen");
        return;
    }
    json_t *d = json_object();
    from_events(d, events);
    /* the newest first, as a timeline is read */
    json_t *timeline = json_array();
    for (size_t i = json_array_size(events); i-- > 0;)
        json_array_append(timeline, json_array_get(events, i));
    json_decref(events);
    json_object_set_new(d, "gebeurtenissen", timeline);
    json_t *pays = json_array(), *all = json_object_get(zaak, "betalingen");
    for (size_t i = json_array_size(all), k = 0; i-- > 0 && k < CASE_PAGE_PAYMENTS; k++)
        json_array_append(pays, json_array_get(all, i));
    json_object_set_new(d, "betalingen", pays);
    /* the lines of the payment runs (p_betaal.c), besides the payments recorded as events */
    json_t *runlines = p_paylines_json(c, id);
    if (runlines)
        json_object_set_new(d, "betaalregels", runlines);
    page_set_bool(d, "betaalrunsZien", app_may(&c->who, APP_CAP_PAYRUNS));
    page_set_str(d, "statusTekst", forms_status_text((int)st));
    if (next) {
        json_object_del(next, "due");
        json_object_set_new(d, "eerstvolgende", next);
    }
    /* the commands this user may give now, each as its form */
    json_t *dyn = dynamic_choices(c, zaak, commands);
    json_t *forms = json_array(), *elsewhere = json_array();
    json_t *steps = json_array();
    for (int t = 0; t < EV_COUNT; t++) {
        if (!(commands & (1u << t)))
            continue;
        const struct step_page *sp = step_page((enum ev_type)t);
        if (sp) {
            char href[64];
            snprintf(href, sizeof href, "/zaken/%lld/%s", (long long)id, sp->path);
            bool listed = false; /* two commands of one page: one link */
            size_t k;
            json_t *x;
            json_array_foreach(steps, k, x)
            {
                if (strcmp(json_string_value(json_object_get(x, "href")), href) == 0)
                    listed = true;
            }
            if (listed)
                continue;
            json_t *o = json_object();
            page_set_str(o, "href", href);
            page_set_str(o, "tekst", sp->link);
            json_array_append_new(steps, o);
            continue;
        }
        const struct command_form *f = forms_command((enum ev_type)t);
        if (!f) {
            json_t *o = json_object();
            char text[160];
            snprintf(text, sizeof text, "Ook mogelijk: %s (via de API; de pagina volgt).",
                     ev_type_name((enum ev_type)t));
            page_set_str(o, "tekst", text);
            json_array_append_new(elsewhere, o);
            continue;
        }
        bool this_one = (int)failed == t;
        json_array_append_new(forms, forms_json(f, id, this_one && c->has_form ? &c->form : NULL,
                                                this_one ? errs : NULL, dyn));
    }
    json_decref(dyn);
    json_object_set_new(d, "opdrachten", forms);
    json_object_set_new(d, "stappen", steps);
    json_object_set_new(d, "elders", elsewhere);
    const json_t *notes = json_object_get(zaak, "meldingen");
    if (notes)
        json_object_set(d, "meldingen", (json_t *)notes);
    if (message)
        page_set_str(d, "melding", message);
    bool employer = c->who.role == ROLE_WERKGEVER;
    page_set_str(d, "terug", employer ? "/portaal" : "/werkvoorraad");
    page_set_str(d, "terugTekst", employer ? "Mijn zaken" : "Werkvoorraad");
    /* the case's documents (p_documenten.c; each read is logged there), NULL when the
     * app refuses: then the section says they cannot be shown */
    json_t *docs = p_documents_json(c, id);
    if (docs)
        json_object_set_new(d, "documenten", docs);
    else
        page_set_bool(d, "documentenNietTeTonen", true);
    /* adding one (the signed contract, say): the form when the app lets this user */
    if (!employer) {
        char upload_action[64];
        snprintf(upload_action, sizeof upload_action, "/zaken/%lld/documenten", (long long)id);
        p_upload_form_json(c, d, upload_action, kind, upload_errs);
    }
    json_object_set_new(d, "zaak", zaak);
    char title[64];
    snprintf(title, sizeof title, "Zaak %lld", (long long)id);
    page_render(c, status, title, employer ? "/portaal" : "/werkvoorraad", "zaak", d);
}

void p_case(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    char done[48] = "", message[160];
    const char *msg = NULL;
    if (http_req_query(c->req, "gedaan", done, sizeof done)) {
        int t = ev_type_parse(done);
        const struct command_form *f = t >= 0 ? forms_command((enum ev_type)t) : NULL;
        const struct step_page *sp = t >= 0 ? step_page((enum ev_type)t) : NULL;
        if (sp) {
            snprintf(message, sizeof message, "Gedaan: %s", sp->done);
            msg = message;
        } else if (f) {
            snprintf(message, sizeof message, "Gedaan: %s.", f->title);
            msg = message;
        } else if (strcmp(done, "document") == 0) {
            msg = "Het document is opgeslagen.";
        }
    }
    render_case(c, id, 200, EV_COUNT, NULL, msg, NULL, NULL);
}

void p_case_command(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    int t = ev_type_parse(c->param[1]);
    if (t < 0 || !forms_command((enum ev_type)t)) {
        page_error(c, 404, "Niet gevonden", "Deze opdracht bestaat niet.");
        return;
    }
    /* a step with a page of its own is given there only (the report with its tasks, the
     * decision after its preview): nothing is done here, the user is sent to that page */
    const struct step_page *sp = step_page((enum ev_type)t);
    if (sp) {
        char loc[96];
        snprintf(loc, sizeof loc, "/zaken/%lld/%s", (long long)id, sp->path);
        page_redirect(c, loc);
        return;
    }
    struct lks_errlist errs = {0};
    if (forms_give(c, id, (enum ev_type)t, &errs) == 0) {
        char loc[96];
        snprintf(loc, sizeof loc, "/zaken/%lld?gedaan=%s#opdrachten", (long long)id,
                 ev_type_name((enum ev_type)t));
        page_redirect(c, loc);
        return;
    }
    int status = forms_failure_status(c, &errs);
    if (status < 0)
        return;
    render_case(c, id, status, (enum ev_type)t, &errs, NULL, NULL, NULL);
}

void p_case_render_upload(struct api_ctx *c, int64_t id, int status, const struct lks_errlist *errs,
                          const char *kind)
{
    render_case(c, id, status, EV_COUNT, NULL, NULL, errs, kind);
}

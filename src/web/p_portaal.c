/*
 * p_portaal — the employer portal (werkgeversportaal): "waar staat mijn aanvraag".
 *
 *   GET  /portaal                      the company's cases, newest first, paged: the worker,
 *                                      the status in plain Dutch, the next step with its
 *                                      last day and legal basis, and who has the case;
 *   GET  /portaal/zaken/{id}           one case in the employer's words: status, next step,
 *                                      the placement, decisions (amount per month, period,
 *                                      the objection deadline), payments (IBAN masked),
 *                                      documents, and what the employer may do now;
 *   POST /portaal/zaken/{id}/{soort}   a command the process allows the employer now (the
 *                                      end of the employment);
 *   GET/POST /portaal/bedrijf          the company's record and proposing a new IBAN;
 *   GET  /iban-voorstellen             for the financieel: the IBANs waiting for
 *   POST /iban-voorstellen/{kvk}       confirmation, confirmed or refused there.
 *
 * Scope, permissions, deadlines and the commands allowed are the app's: the list is
 * app_worklist (the app gives an employer only its own company's cases whatever the
 * filter), a case is app_view (another company's case does not exist: the 404 page), the
 * record app_employer, a command app_command_json / app_employer_command_json. The pages
 * only choose the words and the order. Each case shown is a processing-log entry.
 *
 * Failures: what the app refuses is the router's error page (404 for what is outside the
 * scope, 403 for a role); a form's fault is the form again with every value kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/plog.h"
#include "web/forms.h"
#include "web/page.h"
#include "web/pages.h"

#define PORTAL_PAGE_SIZE 20
#define PORTAL_MAX_PAGE  10000
#define PORTAL_PAYMENTS  24

/* ---- small helpers ---- */

static json_t *view_to_json(struct jw *w)
{
    if (jw_failed(w))
        return NULL;
    json_error_t je;
    return json_loadb(w->buf, w->len, 0, &je);
}

/* An IBAN with all but its last four characters hidden: "NL•• •••• •••• ••12 34" would
 * still be readable aloud; "eindigend op 1234" is what a person checks. */
static void mask_iban(const char *iban, char *out, size_t n)
{
    char clean[40];
    size_t k = 0;
    for (const char *p = iban ? iban : ""; *p && k + 1 < sizeof clean; p++)
        if (*p != ' ')
            clean[k++] = *p;
    clean[k] = '\0';
    if (k < 4)
        snprintf(out, n, "%s", k ? "••••" : "");
    else
        snprintf(out, n, "%.2s•• •••• •••• %s", clean, clean + k - 4);
}

/* What happens next when no deadline runs, in the employer's words (by status). */
static const char *next_without_deadline(enum case_status st)
{
    switch (st) {
    case ST_AANVRAAG:
        return "De gemeente beoordeelt de aanvraag.";
    case ST_WACHT_OP_INFORMATIE:
        return "De gemeente wacht op de gevraagde informatie.";
    case ST_DOELGROEPBEPALING:
        return "De gemeente bepaalt of de werknemer tot de doelgroep hoort.";
    case ST_LOONWAARDEMETING:
        return "De loonwaarde wordt gemeten op de werkplek.";
    case ST_BESLUITVORMING:
        return "De gemeente neemt een besluit.";
    case ST_LOPEND:
        return "De loonkostensubsidie loopt; de gemeente betaalt per maand.";
    case ST_HERBEOORDELING:
        return "De loonwaarde wordt opnieuw beoordeeld.";
    case ST_AFGEWEZEN:
        return "De aanvraag is afgewezen; de beschikking zegt hoe u bezwaar maakt.";
    case ST_BEEINDIGD:
        return "De loonkostensubsidie is beëindigd.";
    case ST_INGETROKKEN:
        return "De aanvraag is ingetrokken.";
    default:
        return "";
    }
}

/* The display names of case workers, looked up once per page. */
struct names {
    json_t *cache; /* login → display */
};

static const char *worker_name(struct api_ctx *c, struct names *nm, const char *login)
{
    if (!login || !login[0])
        return NULL;
    json_t *hit = json_object_get(nm->cache, login);
    if (hit)
        return json_string_value(hit);
    char display[96];
    struct lks_err e = {0};
    if (app_case_worker_display(&c->t->app, &c->who, login, display, &e) != 0)
        snprintf(display, sizeof display, "%s", login);
    json_object_set_new(nm->cache, login, json_string(display));
    return json_string_value(json_object_get(nm->cache, login));
}

/* ---- GET /portaal ---- */

struct rows {
    json_t *list; /* every case of the company: {id, bsn, ...} */
    int64_t total;
};

static int task_cb(void *arg, const struct app_task *t)
{
    struct rows *r = arg;
    const struct case_summary *z = t->c;
    r->total = t->total;
    json_t *o = json_object();
    page_set_int(o, "id", z->id);
    page_set_str(o, "werknemer", z->person_name);
    page_set_str(o, "statusTekst", forms_status_text((int)z->status));
    page_set_str(o, "_bsn", z->person_bsn);
    page_set_str(o, "_km", z->case_worker);
    if (t->has_deadline) {
        json_t *s = json_object();
        page_set_str(s, "omschrijving", t->what);
        page_set_str(s, "grondslag", t->basis);
        char d[DATE_FMT_MAX];
        page_set_str(s, "uiterlijk", date_fmt(d, t->due));
        page_badge(s, t->days_left);
        json_object_set_new(o, "stap", s);
    } else {
        page_set_str(o, "stapTekst", next_without_deadline(z->status));
    }
    json_array_append_new(r->list, o);
    return 0;
}

void p_portal(struct api_ctx *c)
{
    if (c->who.role != ROLE_WERKGEVER) {
        page_redirect(c, "/"); /* the desk is elsewhere */
        return;
    }
    int page = 1;
    char num[16];
    if (http_req_query(c->req, "pagina", num, sizeof num)) {
        char *end;
        long p = strtol(num, &end, 10);
        if (*end == '\0' && p >= 1 && p <= PORTAL_MAX_PAGE)
            page = (int)p;
    }
    /* the app's list of the company's cases, newest first, one page of them */
    struct rows r = {json_array(), 0};
    struct lks_err e = {0};
    if (app_portal_cases(&c->t->app, &c->who, (page - 1) * PORTAL_PAGE_SIZE, PORTAL_PAGE_SIZE,
                         task_cb, &r, &e) != 0) {
        json_decref(r.list);
        api_fail(c, &e);
        return;
    }
    int pages = r.total ? (int)((r.total + PORTAL_PAGE_SIZE - 1) / PORTAL_PAGE_SIZE) : 1;
    json_t *shown = json_array();
    struct names nm = {json_object()};
    for (size_t i = 0; i < json_array_size(r.list); i++) {
        json_t *o = json_deep_copy(json_array_get(r.list, i));
        char obj[48];
        snprintf(obj, sizeof obj, "zaak/%lld",
                 (long long)json_integer_value(json_object_get(o, "id")));
        api_log(c, PLOG_READ, json_string_value(json_object_get(o, "_bsn")), obj);
        const char *km = worker_name(c, &nm, json_string_value(json_object_get(o, "_km")));
        if (km)
            page_set_str(o, "klantmanager", km);
        json_object_del(o, "_bsn");
        json_object_del(o, "_km");
        json_array_append_new(shown, o);
    }
    json_decref(r.list);
    json_decref(nm.cache);
    json_t *d = json_object();
    json_object_set_new(d, "zaken", shown);
    page_set_int(d, "aantal", r.total);
    page_set_int(d, "pagina", page);
    page_set_int(d, "paginas", pages);
    if (page > 1)
        page_set_int(d, "vorige", page - 1);
    if (page < pages)
        page_set_int(d, "volgende", page + 1);
    page_render(c, 200, "Mijn zaken", "/portaal", "portaal", d);
}

/* ---- GET /portaal/zaken/{id} ---- */

/* The error summary on top of the page for a command's form that failed (forms_json's
 * JSON): each field's message linking to its input, a refusal without a field to the
 * form's heading. */
static json_t *command_summary(const json_t *fo)
{
    json_t *list = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(fo, "velden"), i, x)
    {
        const char *msg = json_string_value(json_object_get(x, "fout"));
        if (!msg)
            continue;
        json_t *it = json_object();
        json_object_set(it, "id", json_object_get(x, "id"));
        char text[320];
        snprintf(text, sizeof text, "%s: %s", json_string_value(json_object_get(x, "label")), msg);
        page_set_str(it, "melding", text);
        json_array_append_new(list, it);
    }
    json_array_foreach(json_object_get(fo, "meldingen"), i, x)
    {
        json_t *it = json_object();
        char id[96];
        snprintf(id, sizeof id, "%s-kop", json_string_value(json_object_get(fo, "kop")));
        page_set_str(it, "id", id);
        json_object_set(it, "melding", x);
        json_array_append_new(list, it);
    }
    json_t *o = json_object();
    page_set_int(o, "aantal", (int64_t)json_array_size(list));
    json_object_set_new(o, "lijst", list);
    json_object_set_new(o, "velden", json_object());
    return o;
}

void p_portal_case_render(struct api_ctx *c, int64_t id, int status, int failed,
                          const struct lks_errlist *errs, const struct lks_errlist *upload_errs,
                          const char *kind, const char *message)
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
    char worker[CASE_USER];
    snprintf(worker, sizeof worker, "%s", v->cs->case_worker);
    lks_date today = c->t->app.today;
    json_t *next = NULL;
    lks_date next_due = LKS_NO_DATE;
    for (int i = 0; i < v->ndl; i++) {
        const struct case_deadline *dl = &v->dl[i];
        if (dl->done != LKS_NO_DATE || (next && dl->due >= next_due))
            continue;
        json_decref(next);
        next = json_object();
        next_due = dl->due;
        page_set_str(next, "omschrijving", dl_kind_text(dl->kind));
        page_set_str(next, "grondslag", dl_kind_basis(dl->kind));
        char b[DATE_FMT_MAX];
        page_set_str(next, "uiterlijk", date_fmt(b, dl->due));
        page_badge(next, (int)(dl->due - today));
    }
    struct jw w;
    jw_init(&w, (size_t)8 << 20, false);
    app_view_json(&w, v);
    free(v);
    json_t *zaak = view_to_json(&w);
    jw_free(&w);
    if (!zaak) {
        json_decref(next);
        page_error(c, 503, "Tijdelijk niet beschikbaar", "de zaak kon niet worden gelezen");
        return;
    }
    json_t *d = json_object();
    page_set_int(d, "id", id);
    page_set_str(d, "statusTekst", forms_status_text((int)st));
    if (next)
        json_object_set_new(d, "stap", next);
    else
        page_set_str(d, "stapTekst", next_without_deadline(st));
    struct names nm = {json_object()};
    const char *km = worker_name(c, &nm, worker);
    if (km)
        page_set_str(d, "klantmanager", km);
    json_decref(nm.cache);
    /* the placement, the decisions with their objection deadline and its basis */
    json_object_set(d, "werknemer", json_object_get(zaak, "werknemer"));
    json_object_set(d, "dienstverband", json_object_get(zaak, "dienstverband"));
    const char *objection_basis = dl_kind_basis(DL_BEZWAARTERMIJN);
    json_t *decs = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(zaak, "beschikkingen"), i, x)
    {
        json_t *o = json_deep_copy(x);
        page_set_str(o, "bezwaarGrondslag", objection_basis);
        json_array_append_new(decs, o);
    }
    json_object_set_new(d, "beschikkingen", decs);
    /* payments, the newest first, the account masked */
    json_t *pays = json_array(), *all = json_object_get(zaak, "betalingen");
    for (size_t k = json_array_size(all), m = 0; k-- > 0 && m < PORTAL_PAYMENTS; m++) {
        json_t *o = json_deep_copy(json_array_get(all, k));
        char masked[48];
        mask_iban(json_string_value(json_object_get(o, "iban")), masked, sizeof masked);
        page_set_str(o, "iban", masked);
        json_array_append_new(pays, o);
    }
    json_object_set_new(d, "betalingen", pays);
    /* the lines of the payment runs (p_betaal.c), the account masked as above */
    json_t *runlines = p_paylines_json(c, id);
    if (runlines) {
        size_t ri;
        json_t *rl;
        json_array_foreach(runlines, ri, rl)
        {
            char masked[48];
            mask_iban(json_string_value(json_object_get(rl, "iban")), masked, sizeof masked);
            page_set_str(rl, "iban", masked);
        }
        json_object_set_new(d, "betaalregels", runlines);
    }
    /* the commands the process allows this employer now, each as its form */
    json_t *forms = json_array(), *summary = NULL;
    for (int t = 0; t < EV_COUNT; t++) {
        if (!(commands & (1u << t)))
            continue;
        const struct command_form *f = forms_command((enum ev_type)t);
        if (!f)
            continue;
        bool this_one = failed == t;
        json_t *fo = forms_json(f, id, this_one && c->has_form ? &c->form : NULL,
                                this_one ? errs : NULL, NULL);
        char action[96];
        snprintf(action, sizeof action, "/portaal/zaken/%lld/%s", (long long)id,
                 ev_type_name((enum ev_type)t));
        page_set_str(fo, "actie", action);
        if (this_one && errs && errs->n)
            summary = command_summary(fo);
        json_array_append_new(forms, fo);
    }
    json_object_set_new(d, "opdrachten", forms);
    /* documents and the upload form */
    json_t *docs = p_documents_json(c, id);
    if (docs)
        json_object_set_new(d, "documenten", docs);
    char upload_action[64];
    snprintf(upload_action, sizeof upload_action, "/portaal/zaken/%lld/documenten", (long long)id);
    p_upload_form_json(c, d, upload_action, kind, upload_errs);
    if (summary && upload_errs && upload_errs->n)
        json_decref(summary); /* the upload's errors are the summary */
    else if (summary)
        json_object_set_new(d, "fouten", summary);
    if (message)
        page_set_str(d, "melding", message);
    json_decref(zaak);
    char title[64];
    snprintf(title, sizeof title, "Zaak %lld", (long long)id);
    page_render(c, status, title, "/portaal", "portaal-zaak", d);
}

void p_portal_case(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    char done[48] = "", message[160];
    const char *msg = NULL;
    if (http_req_query(c->req, "gedaan", done, sizeof done)) {
        int t = ev_type_parse(done);
        const struct command_form *f = t >= 0 ? forms_command((enum ev_type)t) : NULL;
        if (f) {
            snprintf(message, sizeof message, "Gedaan: %s.", f->title);
            msg = message;
        } else if (strcmp(done, "document") == 0) {
            msg = "Het document is opgeslagen.";
        }
    }
    p_portal_case_render(c, id, 200, -1, NULL, NULL, NULL, msg);
}

void p_portal_command(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    int t = ev_type_parse(c->param[1]);
    if (t < 0 || !forms_command((enum ev_type)t)) {
        page_error(c, 404, "Niet gevonden", "Deze opdracht bestaat niet.");
        return;
    }
    struct lks_errlist errs = {0};
    if (forms_give(c, id, (enum ev_type)t, &errs) == 0) {
        char loc[128];
        snprintf(loc, sizeof loc, "/portaal/zaken/%lld?gedaan=%s", (long long)id,
                 ev_type_name((enum ev_type)t));
        page_redirect(c, loc);
        return;
    }
    int status = forms_failure_status(c, &errs);
    if (status < 0)
        return;
    p_portal_case_render(c, id, status, t, &errs, NULL, NULL, NULL);
}

/* ---- GET/POST /portaal/bedrijf ---- */

static void render_company(struct api_ctx *c, int status, const struct lks_errlist *errs,
                           const char *typed, const char *message)
{
    struct employer e;
    uint32_t commands = 0;
    struct lks_err err = {0};
    if (app_employer(&c->t->app, &c->who, c->who.kvk, &e, &commands, &err)) {
        api_fail(c, &err);
        return;
    }
    json_t *d = json_object();
    json_t *b = json_object();
    page_set_str(b, "naam", e.name);
    page_set_str(b, "kvk", e.kvk);
    page_set_str(b, "adres", e.address);
    page_set_str(b, "postcode", e.postcode);
    page_set_str(b, "plaats", e.city);
    char masked[48];
    mask_iban(e.iban, masked, sizeof masked);
    page_set_str(b, "iban", masked);
    if (e.iban_proposed[0]) {
        mask_iban(e.iban_proposed, masked, sizeof masked);
        page_set_str(b, "ibanVoorgesteld", masked);
        char day[DATE_FMT_MAX];
        page_set_str(b, "voorgesteldOp", date_fmt(day, e.iban_proposed_on));
    }
    json_object_set_new(d, "bedrijf", b);
    page_set_bool(d, "kanVoorstellen", (commands & (1u << EMP_IBAN_VOORGESTELD)) != 0);
    page_set_str(d, "ibanInvoer", typed ? typed : "");
    if (errs && errs->n)
        json_object_set_new(d, "fouten", page_errors(errs));
    if (message)
        page_set_str(d, "melding", message);
    page_render(c, status, "Bedrijf", "/portaal/bedrijf", "portaal-bedrijf", d);
}

void p_company(struct api_ctx *c)
{
    if (c->who.role != ROLE_WERKGEVER) {
        page_redirect(c, "/");
        return;
    }
    char done[24] = "";
    const char *msg = NULL;
    if (http_req_query(c->req, "gedaan", done, sizeof done) && strcmp(done, "iban") == 0)
        msg = "Uw nieuwe IBAN is doorgegeven. De gemeente controleert en bevestigt het; tot "
              "dan betaalt zij op de oude rekening.";
    render_company(c, 200, NULL, NULL, msg);
}

void p_company_iban(struct api_ctx *c)
{
    if (c->who.role != ROLE_WERKGEVER) {
        page_redirect(c, "/");
        return;
    }
    const char *iban = form_get(&c->form, "iban");
    struct lks_errlist errs = {0};
    if (!iban || !iban[0]) {
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "iban", "required",
                    "vul het nieuwe IBAN in");
        render_company(c, 400, &errs, iban, NULL);
        return;
    }
    json_t *cmd = json_pack("{s:{s:s}}", "gegevens", "iban", iban);
    struct employer out;
    int rc = cmd ? app_employer_command_json(&c->t->app, &c->who, c->who.kvk, EMP_IBAN_VOORGESTELD,
                                             cmd, &out, &errs)
                 : LKS_ENOMEM;
    json_decref(cmd);
    if (rc == 0) {
        page_redirect(c, "/portaal/bedrijf?gedaan=iban");
        return;
    }
    if (!errs.n || (errs.e[0].code != LKS_EINVAL && errs.e[0].code != LKS_ESTATE)) {
        api_fail_list(c, &errs);
        return;
    }
    /* a proposal already waiting is said beside the field too */
    for (int i = 0; i < errs.n; i++)
        if (!errs.e[i].field[0] || strcmp(errs.e[i].field, "gegevens.iban") == 0)
            lks_err_field(&errs.e[i], "iban");
    render_company(c, errs.e[0].code == LKS_ESTATE ? 409 : 400, &errs, iban, NULL);
}

/* ---- the financieel: proposed IBANs ---- */

struct proposals {
    struct api_ctx *c;
    json_t *list;
    const char *failed_kvk;
    const struct lks_errlist *errs;
};

static int proposal_cb(void *arg, const struct employer *e)
{
    struct proposals *p = arg;
    if (!e->iban_proposed[0])
        return 0;
    uint32_t commands = 0;
    struct employer cur;
    struct lks_err err = {0};
    if (app_employer(&p->c->t->app, &p->c->who, e->kvk, &cur, &commands, &err) != 0)
        return 0;
    json_t *o = json_object();
    page_set_str(o, "kvk", e->kvk);
    page_set_str(o, "naam", e->name);
    char masked[48];
    mask_iban(e->iban, masked, sizeof masked);
    page_set_str(o, "huidig", e->iban[0] ? masked : "");
    page_set_str(o, "voorgesteld", e->iban_proposed);
    page_set_str(o, "door", e->iban_proposed_by);
    char day[DATE_FMT_MAX];
    page_set_str(o, "op", date_fmt(day, e->iban_proposed_on));
    page_set_bool(o, "kanBevestigen", (commands & (1u << EMP_IBAN_BEVESTIGD)) != 0);
    page_set_bool(o, "kanAfwijzen", (commands & (1u << EMP_IBAN_AFGEWEZEN)) != 0);
    page_set_bool(o, "eigenVoorstel", strcmp(e->iban_proposed_by, p->c->who.user) == 0);
    if (p->failed_kvk && strcmp(p->failed_kvk, e->kvk) == 0 && p->errs && p->errs->n)
        page_set_str(o, "fout", p->errs->e[0].msg);
    json_array_append_new(p->list, o);
    return 0;
}

static void render_proposals(struct api_ctx *c, int status, const char *failed_kvk,
                             const struct lks_errlist *errs, const char *message)
{
    struct proposals p = {c, json_array(), failed_kvk, errs};
    struct lks_err e = {0};
    if (app_employer_list(&c->t->app, &c->who, proposal_cb, &p, &e) != 0) {
        json_decref(p.list);
        api_fail(c, &e);
        return;
    }
    json_t *d = json_object();
    json_object_set_new(d, "voorstellen", p.list);
    if (errs && errs->n)
        json_object_set_new(d, "fouten", page_errors(errs));
    if (message)
        page_set_str(d, "melding", message);
    page_render(c, status, "IBAN-voorstellen", "/iban-voorstellen", "portaal-iban", d);
}

void p_iban_proposals(struct api_ctx *c)
{
    char done[24] = "";
    const char *msg = NULL;
    if (http_req_query(c->req, "gedaan", done, sizeof done)) {
        if (strcmp(done, "bevestigd") == 0)
            msg = "Het IBAN is bevestigd; de betalingen gaan voortaan naar deze rekening.";
        else if (strcmp(done, "afgewezen") == 0)
            msg = "Het voorstel is afgewezen; de oude rekening blijft in gebruik.";
    }
    render_proposals(c, 200, NULL, NULL, msg);
}

void p_iban_decide(struct api_ctx *c)
{
    const char *kvk = c->param[0];
    const char *choice = form_get(&c->form, "_besluit");
    const char *reason = form_get(&c->form, "reden");
    struct lks_errlist errs = {0};
    enum emp_ev_type type;
    json_t *cmd;
    if (choice && strcmp(choice, "bevestigen") == 0) {
        type = EMP_IBAN_BEVESTIGD;
        cmd = json_pack("{s:{}}", "gegevens");
    } else if (choice && strcmp(choice, "afwijzen") == 0) {
        type = EMP_IBAN_AFGEWEZEN;
        cmd = reason && reason[0] ? json_pack("{s:{s:s}}", "gegevens", "reden", reason)
                                  : json_pack("{s:{}}", "gegevens");
    } else {
        page_error(c, 400, "Niet gelezen", "Kies bevestigen of afwijzen.");
        return;
    }
    struct employer out;
    int rc = cmd ? app_employer_command_json(&c->t->app, &c->who, kvk, type, cmd, &out, &errs)
                 : LKS_ENOMEM;
    json_decref(cmd);
    if (rc == 0) {
        page_redirect(c, type == EMP_IBAN_BEVESTIGD ? "/iban-voorstellen?gedaan=bevestigd"
                                                    : "/iban-voorstellen?gedaan=afgewezen");
        return;
    }
    if (!errs.n || (errs.e[0].code != LKS_EINVAL && errs.e[0].code != LKS_ESTATE &&
                    errs.e[0].code != LKS_EFORBIDDEN)) {
        api_fail_list(c, &errs);
        return;
    }
    /* every message beside this proposal's reason field */
    char id[64];
    for (int i = 0; i < errs.n; i++) {
        snprintf(id, sizeof id, "reden-%s", kvk);
        lks_err_field(&errs.e[i], id);
    }
    render_proposals(c,
                     errs.e[0].code == LKS_EFORBIDDEN ? 403
                     : errs.e[0].code == LKS_ESTATE   ? 409
                                                      : 400,
                     kvk, &errs, NULL);
}

/*
 * p_betaal — the desk's pages of the monthly payment run (issue 12), on app_payrun.h:
 *   GET  /betaalruns                    the municipality's runs (month, status, lines,
 *                                       total, who prepared and approved) and the form
 *                                       to prepare the run of a month
 *   POST /betaalruns                    prepare a run; the answer is the run's preview
 *                                       with the exceptions of that making, rendered at
 *                                       once: the exceptions are not stored, so they
 *                                       exist only in this answer
 *   GET  /betaalruns/{id}               the preview: totals, the lines paged (each with
 *                                       the steps of its amount), approve and cancel
 *   POST /betaalruns/{id}/goedkeuren    approve (a different financieel: four eyes)
 *   POST /betaalruns/{id}/annuleren     cancel a concept run
 *   GET  /betaalruns/{id}/sepa?deel=N   part N of the pain.001 file of an approved run
 *   GET  /betaalruns/{id}/lijst         the payment list (CSV)
 *
 * Who may see, prepare, approve or cancel, the amounts and the file are the app's
 * (app_payrun_*): this module only shows what the app answers and turns its refusals
 * into pages (LKS_EFORBIDDEN 403, LKS_ENOTFOUND 404, LKS_ESTATE 409, LKS_EINVAL 400 at
 * the field). The lines carry the employer's (a company's) name and a case number, no
 * personal data of a person. A store failure is a 503 page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_payrun.h"
#include "base/money.h"
#include "codec/rules_json.h"
#include "web/page.h"
#include "web/pages.h"

#define PR_LINES_PAGE 50
#define PR_SEPA_MAX   ((size_t)1 << 30) /* a part of SEPA_MAX_TX transactions, as the console */

static const char *run_status_text(enum payrun_status s)
{
    switch (s) {
    case PAYRUN_CONCEPT:
        return "Concept (wacht op goedkeuring)";
    case PAYRUN_APPROVED:
        return "Goedgekeurd";
    case PAYRUN_CANCELLED:
        return "Geannuleerd";
    }
    return "Onbekend";
}

static const char *line_status_text(enum payline_status s)
{
    switch (s) {
    case PAYLINE_PENDING:
        return "Open";
    case PAYLINE_PAID:
        return "Betaald";
    case PAYLINE_RETURNED:
        return "Teruggekomen";
    case PAYLINE_CANCELLED:
        return "Geannuleerd";
    }
    return "Onbekend";
}

static int status_of(int code)
{
    switch (code) {
    case LKS_EFORBIDDEN:
        return 403;
    case LKS_ENOTFOUND:
        return 404;
    case LKS_ESTATE:
        return 409;
    case LKS_EINVAL:
        return 400;
    default:
        return 503;
    }
}

static void set_month(json_t *o, const char *key, lks_date month)
{
    char b[DATE_FMT_MAX];
    page_set_str(o, key, month != LKS_NO_DATE ? date_fmt(b, month) : "");
}

static void set_money(json_t *o, const char *key, int64_t cents)
{
    char b[MONEY_FMT_MAX];
    page_set_str(o, key, money_fmt(b, cents));
}

static json_t *run_json(const struct payrun *r)
{
    json_t *o = json_object();
    page_set_int(o, "id", r->id);
    set_month(o, "maand", r->month);
    page_set_str(o, "statusTekst", run_status_text(r->status));
    page_set_bool(o, "concept", r->status == PAYRUN_CONCEPT);
    page_set_bool(o, "goedgekeurd", r->status == PAYRUN_APPROVED);
    page_set_int(o, "regels", r->nlines);
    set_money(o, "totaal", r->total);
    page_set_str(o, "voorbereidDoor", r->prepared_by);
    if (r->prepared_at)
        page_set_moment(o, "voorbereidOp", "voorbereidTijd", r->prepared_at);
    page_set_str(o, "goedgekeurdDoor", r->approved_by);
    if (r->approved_at)
        page_set_moment(o, "goedgekeurdOp", "goedgekeurdTijd", r->approved_at);
    set_month(o, "uitvoering", r->execution);
    return o;
}

/* ---- the list ---- */

static int list_cb(void *arg, const struct payrun *r)
{
    json_array_append_new(arg, run_json(r));
    return 0;
}

/* The list page with the prepare form: `typed` the month as typed (NULL: this month). */
static void render_list(struct api_ctx *c, int status, const char *typed,
                        const struct lks_errlist *errs, const char *alert)
{
    json_t *runs = json_array();
    struct lks_err e = {0};
    if (app_payrun_list(&c->t->app, &c->who, list_cb, runs, &e) < 0) {
        json_decref(runs);
        page_error(c, status_of(e.code), "Betaalruns",
                   e.code == LKS_EFORBIDDEN ? e.msg : "De betaalruns zijn nu niet te lezen.");
        return;
    }
    json_t *d = json_object();
    json_object_set_new(d, "runs", runs);
    char month[16];
    int y, m, dd;
    date_to_ymd(c->t->app.today, &y, &m, &dd);
    snprintf(month, sizeof month, "%04d-%02d", y, m);
    page_set_str(d, "maand", typed ? typed : month); /* as typed, kept on an error */
    /* the form for those who give commands at all; the app decides who may prepare */
    page_set_bool(d, "magMaken", app_may(&c->who, APP_CAP_COMMANDS));
    if (errs && errs->n)
        json_object_set_new(d, "fouten", page_errors(errs));
    if (alert)
        page_set_str(d, "melding", alert);
    page_render(c, status, "Betaalruns", "/betaalruns", "betaalruns", d);
}

void p_payruns(struct api_ctx *c)
{
    char done[16] = "";
    const char *alert = NULL;
    if (http_req_query(c->req, "gedaan", done, sizeof done) && strcmp(done, "geannuleerd") == 0)
        alert = "De betaalrun is geannuleerd; de maanden kunnen in een volgende run mee.";
    render_list(c, 200, NULL, NULL, alert);
}

/* ---- one run ---- */

struct lines_page {
    json_t *rows;
    int64_t skip, n, seen;
};

/* The steps of a line's amount (steps_json: packed by codec_steps_pack) as the array
 * codec_steps writes, or NULL when there are none or they do not read. */
static json_t *line_steps(const char *steps_json)
{
    static __thread struct rule_step st[PAY_MAX_STEPS];
    int n = codec_steps_unpack(steps_json, st, PAY_MAX_STEPS);
    if (n <= 0)
        return NULL;
    struct jw w;
    jw_init(&w, 1 << 20, false);
    jw_obj_open(&w);
    codec_steps(&w, st, n);
    jw_obj_close(&w);
    json_t *o = jw_failed(&w) ? NULL : json_loadb(w.buf, w.len, 0, NULL);
    jw_free(&w);
    json_t *steps = o ? json_object_get(o, "stappen") : NULL;
    if (steps)
        json_incref(steps);
    json_decref(o);
    return steps;
}

static int lines_cb(void *arg, const struct payline *l)
{
    struct lines_page *p = arg;
    p->seen++;
    if (p->seen <= p->skip || p->n >= PR_LINES_PAGE)
        return 0;
    p->n++;
    json_t *o = json_object();
    page_set_int(o, "zaak", l->case_id);
    page_set_str(o, "werkgever", l->creditor);
    set_month(o, "maand", l->month);
    set_money(o, "bedrag", l->amount);
    page_set_str(o, "statusTekst", line_status_text(l->status));
    page_set_str(o, "kenmerk", l->reference);
    json_t *steps = line_steps(l->steps_json);
    if (steps)
        json_object_set_new(o, "stappen", steps);
    json_array_append_new(p->rows, o);
    return 0;
}

/* The exceptions of a making, with their reason. */
static json_t *exceptions_json(const struct app_payrun_result *res)
{
    json_t *ex = json_array();
    for (int i = 0; i < res->nkept; i++) {
        json_t *o = json_object();
        page_set_int(o, "zaak", res->ex[i].case_id);
        set_month(o, "maand", res->ex[i].month);
        page_set_str(o, "veld", res->ex[i].field);
        page_set_str(o, "reden", res->ex[i].msg);
        json_array_append_new(ex, o);
    }
    return ex;
}

/* The run page. `res` the result of a making just done (its exceptions), else NULL;
 * `refusal` the app's message of a step refused (shown as the error at the top). */
static void render_run(struct api_ctx *c, int status, int64_t id,
                       const struct app_payrun_result *res, const char *refusal, const char *alert)
{
    struct payrun r;
    struct lks_err e = {0};
    if (app_payrun_get(&c->t->app, &c->who, id, &r, &e) < 0) {
        page_error(c, status_of(e.code), "Betaalrun",
                   e.code == LKS_ENOTFOUND    ? "Deze betaalrun bestaat niet."
                   : e.code == LKS_EFORBIDDEN ? e.msg
                                              : "De betaalrun is nu niet te lezen.");
        return;
    }
    char pg[16] = "";
    int64_t page = 1;
    if (http_req_query(c->req, "pagina", pg, sizeof pg)) {
        char *end;
        long long v = strtoll(pg, &end, 10);
        if (!*end && v >= 1 && v < 1000000)
            page = v;
    }
    struct lines_page lp = {.rows = json_array(), .skip = (page - 1) * PR_LINES_PAGE};
    if (app_payrun_lines(&c->t->app, &c->who, id, lines_cb, &lp, &e) < 0) {
        json_decref(lp.rows);
        page_error(c, status_of(e.code), "Betaalrun",
                   "De regels van de betaalrun zijn nu niet te lezen.");
        return;
    }
    json_t *d = json_object();
    json_object_set_new(d, "run", run_json(&r));
    json_object_set_new(d, "regels", lp.rows);
    page_set_int(d, "aantalRegels", lp.seen);
    page_set_int(d, "pagina", page);
    if (page > 1)
        page_set_int(d, "vorige", page - 1);
    if (lp.seen > page * PR_LINES_PAGE)
        page_set_int(d, "volgende", page + 1);
    page_set_bool(d, "magBeslissen",
                  r.status == PAYRUN_CONCEPT && app_may(&c->who, APP_CAP_COMMANDS));
    if (r.status == PAYRUN_APPROVED) {
        int parts = 0;
        if (app_payrun_parts(&c->t->app, &c->who, id, &parts, &e) == 0 && parts > 0) {
            json_t *dl = json_array();
            for (int i = 1; i <= parts; i++) {
                json_t *o = json_object();
                page_set_int(o, "deel", i);
                page_set_bool(o, "meer", parts > 1);
                json_array_append_new(dl, o);
            }
            json_object_set_new(d, "delen", dl);
        }
    }
    if (res) {
        page_set_bool(d, "netGemaakt", true);
        json_object_set_new(d, "uitzonderingen", exceptions_json(res));
        page_set_int(d, "aantalUitzonderingen", res->nex);
        page_set_int(d, "nietGetoond", res->nex - res->nkept);
        page_set_int(d, "alBetaald", res->taken);
    }
    if (refusal)
        page_set_str(d, "weigering", refusal);
    if (alert)
        page_set_str(d, "melding", alert);
    char title[48];
    snprintf(title, sizeof title, "Betaalrun %lld", (long long)id);
    page_render(c, status, title, "/betaalruns", "betaalrun", d);
}

void p_payrun(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id)) {
        page_error(c, 404, "Betaalrun", "Deze betaalrun bestaat niet.");
        return;
    }
    char done[16] = "";
    const char *alert = NULL;
    if (http_req_query(c->req, "gedaan", done, sizeof done) && strcmp(done, "goedgekeurd") == 0)
        alert =
            "De betaalrun is goedgekeurd. Download het bankbestand en bied het aan bij de bank.";
    render_run(c, 200, id, NULL, NULL, alert);
}

/* "JJJJ-MM" (or a whole date) → the first of that month; false when it does not read. */
static bool parse_month(const char *s, lks_date *out)
{
    char b[16];
    struct lks_err e = {0};
    size_t n = strlen(s);
    if (n == 7)
        snprintf(b, sizeof b, "%s-01", s);
    else if (n == 10)
        snprintf(b, sizeof b, "%s", s);
    else
        return false;
    lks_date d;
    if (date_parse(&d, b, "maand", &e))
        return false;
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    *out = date_from_ymd(y, m, 1);
    return true;
}

void p_payrun_make(struct api_ctx *c)
{
    const char *typed = form_get(&c->form, "maand");
    struct lks_errlist errs = {0};
    lks_date month;
    if (!typed || !typed[0]) {
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "maand", "required",
                    "vul de maand in als JJJJ-MM, bijvoorbeeld 2026-01");
        render_list(c, 400, typed ? typed : "", &errs, NULL);
        return;
    }
    if (!parse_month(typed, &month)) {
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "maand", "not-a-month",
                    "vul de maand in als JJJJ-MM, bijvoorbeeld 2026-01");
        render_list(c, 400, typed, &errs, NULL);
        return;
    }
    struct app_payrun_result *res = calloc(1, sizeof *res);
    if (!res) {
        page_error(c, 503, "Betaalruns", "Er is onvoldoende geheugen; probeer het opnieuw.");
        return;
    }
    struct lks_err e = {0};
    if (app_payrun_make(&c->t->app, &c->who, month, LKS_NO_DATE, res, &e) < 0) {
        free(res);
        if (e.code == LKS_EFORBIDDEN || e.code == LKS_EINVAL || e.code == LKS_ESTATE) {
            lks_err_set(lks_errlist_add(&errs), e.code, "maand", e.reason, "%s", e.msg);
            render_list(c, status_of(e.code), typed, &errs, NULL);
        } else {
            page_error(c, 503, "Betaalruns", "De betaalrun kon nu niet worden gemaakt.");
        }
        return;
    }
    /* rendered at once, not redirected: the exceptions of this making are not stored */
    render_run(c, 201, res->run.id, res, NULL,
               "De betaalrun is voorbereid. Een andere medewerker financiën keurt hem goed.");
    free(res);
}

static void decide(struct api_ctx *c, bool approve)
{
    int64_t id;
    if (!api_param_id(c, 0, &id)) {
        page_error(c, 404, "Betaalrun", "Deze betaalrun bestaat niet.");
        return;
    }
    struct payrun r;
    struct lks_err e = {0};
    int rc = approve ? app_payrun_approve(&c->t->app, &c->who, id, &r, &e)
                     : app_payrun_cancel(&c->t->app, &c->who, id, &r, &e);
    if (rc < 0) {
        if (e.code == LKS_ENOTFOUND)
            page_error(c, 404, "Betaalrun", "Deze betaalrun bestaat niet.");
        else if (e.code == LKS_EFORBIDDEN || e.code == LKS_ESTATE || e.code == LKS_EINVAL)
            render_run(c, status_of(e.code), id, NULL, e.msg, NULL);
        else
            page_error(c, 503, "Betaalrun", "De betaalrun kon nu niet worden bijgewerkt.");
        return;
    }
    char to[64];
    if (approve)
        snprintf(to, sizeof to, "/betaalruns/%lld?gedaan=goedgekeurd", (long long)id);
    else
        snprintf(to, sizeof to, "/betaalruns?gedaan=geannuleerd");
    page_redirect(c, to);
}

void p_payrun_approve(struct api_ctx *c)
{
    decide(c, true);
}

void p_payrun_cancel(struct api_ctx *c)
{
    decide(c, false);
}

/* ---- downloads ---- */

static void send_file(struct api_ctx *c, const char *type, const char *file, const char *data,
                      size_t len)
{
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", file);
    http_resp_header(c->resp, "Content-Disposition", cd);
    http_resp_header(c->resp, "Cache-Control", "no-store, private");
    http_resp_header(c->resp, "Content-Security-Policy", "default-src 'none'; sandbox");
    http_resp_body(c->resp, 200, type, data, len);
}

static void download_refused(struct api_ctx *c, const struct lks_err *e)
{
    page_error(c, status_of(e->code), "Betaalrun",
               e->code == LKS_ENOTFOUND ? "Deze betaalrun bestaat niet."
               : e->code == LKS_EFORBIDDEN || e->code == LKS_ESTATE || e->code == LKS_EINVAL
                   ? e->msg
                   : "Het bestand kon nu niet worden gemaakt.");
}

void p_payrun_sepa(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id)) {
        page_error(c, 404, "Betaalrun", "Deze betaalrun bestaat niet.");
        return;
    }
    int part = 1;
    char q[16] = "";
    if (http_req_query(c->req, "deel", q, sizeof q)) {
        char *end;
        long v = strtol(q, &end, 10);
        if (*end || v < 1 || v > 100000) {
            page_error(c, 400, "Betaalrun", "Dat deel van het bankbestand bestaat niet.");
            return;
        }
        part = (int)v;
    }
    struct buf out;
    buf_init(&out, PR_SEPA_MAX);
    struct lks_err e = {0};
    if (app_payrun_sepa(&c->t->app, &c->who, id, part, &out, &e) < 0) {
        buf_free(&out);
        download_refused(c, &e);
        return;
    }
    char file[64];
    snprintf(file, sizeof file, "betaalrun-%lld-deel-%d.xml", (long long)id, part);
    send_file(c, "application/xml", file, out.data, out.len);
    buf_free(&out);
}

void p_payrun_csv(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id)) {
        page_error(c, 404, "Betaalrun", "Deze betaalrun bestaat niet.");
        return;
    }
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    if (!f) {
        page_error(c, 503, "Betaalrun", "Er is onvoldoende geheugen; probeer het opnieuw.");
        return;
    }
    struct lks_err e = {0};
    int rc = app_payrun_csv(&c->t->app, &c->who, id, f, &e);
    if (fclose(f) != 0 && rc == 0)
        rc = lks_err_set(&e, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    if (rc < 0) {
        free(data);
        download_refused(c, &e);
        return;
    }
    char file[64];
    snprintf(file, sizeof file, "betaalrun-%lld.csv", (long long)id);
    send_file(c, "text/csv; charset=utf-8", file, data, len);
    free(data);
}

/* ---- a case's payment lines, for the case page and the portal ---- */

static int case_line_cb(void *arg, const struct payline *l)
{
    json_t *o = json_object();
    page_set_int(o, "run", l->run_id);
    set_month(o, "maand", l->month);
    set_money(o, "bedrag", l->amount);
    page_set_str(o, "statusTekst", line_status_text(l->status));
    set_month(o, "datum", l->status_on);
    page_set_str(o, "iban", l->iban);
    json_array_insert_new(arg, 0, o); /* the newest month first */
    return 0;
}

json_t *p_paylines_json(struct api_ctx *c, int64_t case_id)
{
    json_t *rows = json_array();
    struct lks_err e = {0};
    if (app_case_paylines(&c->t->app, &c->who, case_id, case_line_cb, rows, &e) < 0) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

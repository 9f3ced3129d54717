/*
 * h_betaal — the monthly payment run over HTTP (issue 12): the runs of the caller's
 * municipality, making one for a month, its lines, the approval by a second financieel
 * (four eyes), cancelling, the bank file (pain.001.001.09, application/xml) and the
 * payment list (text/csv), the bank's answer (camt.053 or pain.002, posted as
 * application/xml), and the payment lines of one case.
 *
 * Everything goes through app_payrun.h: the app decides the role (financieel; the
 * auditor reads), the municipality (another's run is 404) and the four eyes (403 naming
 * "gebruiker"). Changes are logged by the app's commit hook as every change; a read of a
 * run's lines, file or list is one processing-log entry "betaalrun/ID[/part]" (the lines
 * name employers and cases, no BSN), a case's payment lines "zaak/ID/betaalregels" with
 * the case's BSN, as the other case reads.
 *
 * How it fails: as every handler, an lks_err becomes problem+json (api_fail).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "app/app_payrun.h"
#include "store/plog.h"

static const char *run_status(enum payrun_status s)
{
    static const char *const st[] = {"concept", "goedgekeurd", "geannuleerd"};
    return (unsigned)s < 3 ? st[s] : "onbekend";
}

static const char *line_status(enum payline_status s)
{
    static const char *const st[] = {"openstaand", "betaald", "teruggekomen", "geannuleerd"};
    return (unsigned)s < 4 ? st[s] : "onbekend";
}

static void month_str(char out[16], lks_date m)
{
    int y, mo, d;
    date_to_ymd(m, &y, &mo, &d);
    snprintf(out, 16, "%04d-%02d", y, mo);
}

static void run_json(struct jw *w, const struct payrun *r)
{
    char m[16], href[64];
    month_str(m, r->month);
    jw_obj_open(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "gemeente", r->tenant);
    jw_kstr(w, "maand", m);
    jw_kstr(w, "status", run_status(r->status));
    jw_kint(w, "aantalRegels", r->nlines);
    jw_kmoney(w, "totaal", r->total);
    jw_kdate(w, "uitvoerdatum", r->execution);
    jw_kstr(w, "gemaaktDoor", r->prepared_by);
    if (r->approved_by[0])
        jw_kstr(w, r->status == PAYRUN_APPROVED ? "goedgekeurdDoor" : "geannuleerdDoor",
                r->approved_by);
    snprintf(href, sizeof href, "/api/v1/betaalruns/%lld", (long long)r->id);
    jw_kstr(w, "url", href);
    jw_obj_close(w);
}

static void log_run(struct api_ctx *c, int64_t id, const char *part)
{
    char obj[64];
    snprintf(obj, sizeof obj, "betaalrun/%lld%s%s", (long long)id, part ? "/" : "",
             part ? part : "");
    api_log(c, PLOG_READ, "", obj);
}

struct run_list {
    struct jw *w;
    struct api_page *page;
};

static int run_cb(void *arg, const struct payrun *r)
{
    struct run_list *l = arg;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    run_json(l->w, r);
    return 0;
}

/* The municipality's runs, newest month first. */
void h_payruns(struct api_ctx *c)
{
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct lks_err e = {0};
    struct run_list l = {&c->w, &page};
    api_page_open(c);
    if (app_payrun_list(&c->t->app, &c->who, run_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, NULL);
}

/* A string member of the body, or NULL when absent; a wrong type goes into errs. */
static const char *body_str(struct api_ctx *c, const char *name, bool required,
                            struct lks_errlist *errs)
{
    json_t *v = json_object_get(c->body, name);
    if (!v && !required)
        return NULL;
    if (!json_is_string(v)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, name, v ? "type" : "required",
                    v ? "moet tekst zijn" : "is verplicht");
        return NULL;
    }
    return json_string_value(v);
}

/* Make the run of {"maand": "JJJJ-MM", "uitvoerdatum"?: "JJJJ-MM-DD"}: 201 with the run
 * and what could not be paid, each with its reason. */
void h_payrun_new(struct api_ctx *c)
{
    struct lks_errlist errs = {0};
    const char *ms = body_str(c, "maand", true, &errs);
    const char *xs = body_str(c, "uitvoerdatum", false, &errs);
    lks_date month = LKS_NO_DATE, exec = LKS_NO_DATE;
    struct lks_err e = {0};
    if (ms) {
        char full[16];
        snprintf(full, sizeof full, "%s-01", ms);
        if (strlen(ms) != 7 || date_parse(&month, full, "maand", &e))
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "maand", "bad-month",
                        "geef de maand als JJJJ-MM");
    }
    struct lks_err xe = {0};
    if (xs && date_parse(&exec, xs, "uitvoerdatum", &xe))
        *lks_errlist_add(&errs) = xe;
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct app_payrun_result *res = malloc(sizeof *res);
    if (!res) {
        api_problem(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    if (app_payrun_make(&c->t->app, &c->who, month, exec, res, &e)) {
        free(res);
        api_fail(c, &e);
        return;
    }
    struct jw *w = &c->w;
    jw_obj_open(w);
    jw_key(w, "betaalrun");
    run_json(w, &res->run);
    jw_kint(w, "alBetaald", res->taken);
    jw_kint(w, "aantalUitzonderingen", res->nex);
    jw_key(w, "uitzonderingen");
    jw_arr_open(w);
    for (int i = 0; i < res->nkept; i++) {
        jw_obj_open(w);
        jw_kint(w, "zaak", res->ex[i].case_id);
        jw_kdate(w, "maand", res->ex[i].month);
        jw_kstr(w, "veld", res->ex[i].field);
        jw_kstr(w, "reden", res->ex[i].msg);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_obj_close(w);
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/betaalruns/%lld", (long long)res->run.id);
    free(res);
    http_resp_header(c->resp, "Location", loc);
    api_json(c, 201);
}

void h_payrun(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct payrun r;
    struct lks_err e = {0};
    if (app_payrun_get(&c->t->app, &c->who, id, &r, &e)) {
        api_fail(c, &e);
        return;
    }
    run_json(&c->w, &r);
    api_json(c, 200);
}

static int line_cb(void *arg, const struct payline *l)
{
    struct run_list *x = arg;
    enum api_page_step step = api_page_next(x->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    struct jw *w = x->w;
    char m[16];
    month_str(m, l->month);
    jw_obj_open(w);
    jw_kint(w, "betaalrun", l->run_id);
    jw_kint(w, "zaak", l->case_id);
    jw_kstr(w, "maand", m);
    jw_kmoney(w, "bedrag", l->amount);
    jw_kstr(w, "status", line_status(l->status));
    if (l->status_on != LKS_NO_DATE)
        jw_kdate(w, "statusdatum", l->status_on);
    jw_kstr(w, "iban", l->iban);
    jw_kstr(w, "werkgever", l->creditor);
    jw_kstr(w, "kenmerk", l->reference);
    jw_kstr(w, "endToEndId", l->end_to_end);
    jw_obj_close(w);
    return 0;
}

/* The run's lines by case and month, paged. */
void h_payrun_lines(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct lks_err e = {0};
    struct run_list l = {&c->w, &page};
    api_page_open(c);
    if (app_payrun_lines(&c->t->app, &c->who, id, line_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    log_run(c, id, "regels");
    api_page_answer(c, &page, NULL);
}

static void step(struct api_ctx *c, bool approve)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct payrun r;
    struct lks_err e = {0};
    int rc = approve ? app_payrun_approve(&c->t->app, &c->who, id, &r, &e)
                     : app_payrun_cancel(&c->t->app, &c->who, id, &r, &e);
    if (rc == LKS_EFORBIDDEN && e.field[0]) {
        /* four eyes: the field says why this user may not (invalidParams, as a 400) */
        struct lks_errlist l = {0};
        l.e[l.n++] = e;
        http_problem(c->resp, 403, "Niet toegestaan", e.msg, c->req->path, &l);
        return;
    }
    if (rc) {
        api_fail(c, &e);
        return;
    }
    run_json(&c->w, &r);
    api_json(c, 200);
}

void h_payrun_approve(struct api_ctx *c)
{
    step(c, true);
}

void h_payrun_cancel(struct api_ctx *c)
{
    step(c, false);
}

/* Part ?deel=N (default 1) of an approved run's pain.001.001.09 file. */
void h_payrun_sepa(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_errlist errs = {0};
    int part = (int)api_query_int(c, "deel", 1, 1, 1000, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    struct lks_err e = {0};
    if (app_payrun_sepa(&c->t->app, &c->who, id, part, &b, &e)) {
        buf_free(&b);
        api_fail(c, &e);
        return;
    }
    log_run(c, id, "sepa");
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"betaalrun-%lld-%d.xml\"", (long long)id, part);
    http_resp_header(c->resp, "Content-Disposition", cd);
    http_resp_body(c->resp, 200, "application/xml", (const char *)b.data, b.len);
    buf_free(&b);
}

/* The payment list of the run (every line, also of a concept run). */
void h_payrun_csv(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct lks_err e = {0};
    int rc = f ? app_payrun_csv(&c->t->app, &c->who, id, f, &e)
               : lks_err_set(&e, LKS_ENOMEM, "", "", "onvoldoende geheugen");
    if (f)
        fclose(f);
    if (rc) {
        free(buf);
        api_fail(c, &e);
        return;
    }
    log_run(c, id, "lijst");
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"betaallijst-%lld.csv\"", (long long)id);
    http_resp_header(c->resp, "Content-Disposition", cd);
    http_resp_body(c->resp, 200, "text/csv; charset=utf-8", buf ? buf : "", buf ? len : 0);
    free(buf);
}

/* The bank's answer as the request body (application/xml): lines marked paid or
 * returned, and how many end-to-end ids were not the municipality's. */
void h_bank_statement(struct api_ctx *c)
{
    int64_t paid = 0, returned = 0, unknown = 0;
    struct lks_err e = {0};
    if (app_payrun_bank(&c->t->app, &c->who, c->req->body ? c->req->body : "", c->req->body_len,
                        &paid, &returned, &unknown, &e)) {
        api_fail(c, &e);
        return;
    }
    jw_obj_open(&c->w);
    jw_kint(&c->w, "betaald", paid);
    jw_kint(&c->w, "teruggekomen", returned);
    jw_kint(&c->w, "onbekend", unknown);
    jw_obj_close(&c->w);
    api_json(c, 200);
}

/* The payment lines of one case (an employer: its own company's case only). */
void h_case_paylines(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct app_view *v = malloc(sizeof *v);
    if (!v) {
        api_problem(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    if (!api_case_view(c, id, LKS_NO_DATE, v)) { /* the BSN for the log; 404 out of scope */
        free(v);
        return;
    }
    char obj[64];
    snprintf(obj, sizeof obj, "zaak/%lld/betaalregels", (long long)id);
    api_log(c, PLOG_READ, v->cs->person.bsn, obj);
    free(v);
    struct lks_err e = {0};
    struct run_list l = {&c->w, &page};
    api_page_open(c);
    if (app_case_paylines(&c->t->app, &c->who, id, line_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, NULL);
}

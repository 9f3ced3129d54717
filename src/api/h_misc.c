/*
 * h_misc — sessions, the caller, person search, the deadline work list, the monitoring
 * report, the processing log for auditors, and the OpenAPI document.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/internal.h"
#include "app/export.h"
#include "codec/case_json.h"
#include "store/plog.h"

void h_openapi(struct api_ctx *c)
{
    http_resp_header(c->resp, "Access-Control-Allow-Origin", "*");
    http_resp_body(c->resp, 200, "application/json", api_openapi_json, strlen(api_openapi_json));
}

void api_user_json(struct jw *w, const struct auth_user *u)
{
    jw_kstr(w, "gebruikersnaam", u->name);
    jw_kstr(w, "naam", u->display);
    jw_kstr(w, "rol", role_name(u->role));
    jw_kstr(w, "gemeente", u->tenant);
    if (u->kvk[0])
        jw_kstr(w, "kvk", u->kvk);
}

/* On the pool's thread: the login's answer. Every refusal (unknown name, wrong password,
 * inactive account, throttled) has the same error, so the same 401, byte for byte. */
static void login_render(struct http_resp *r, const struct auth_job_result *res,
                         const struct api_wait *w)
{
    if (res->rc == LKS_EINVAL) {
        http_problem(r, 401, "Niet ingelogd", res->err.msg, w->path, NULL);
        return;
    }
    if (res->rc)
        return; /* 500 */
    char cookie[160];
    snprintf(cookie, sizeof cookie, "lks_sessie=%s; Path=/; HttpOnly; SameSite=Strict%s",
             res->se.token, w->secure_cookies ? "; Secure" : "");
    struct jw jw;
    jw_init(&jw, (size_t)1 << 16, false);
    jw_obj_open(&jw);
    api_user_json(&jw, &res->user);
    jw_kstr(&jw, "csrfToken", res->se.csrf);
    jw_kint(&jw, "inactiefNaSeconden", AUTH_IDLE_S);
    jw_obj_close(&jw);
    if (!jw_failed(&jw)) {
        http_resp_header(r, "Set-Cookie", cookie);
        http_resp_body(r, 201, "application/json", jw.buf, jw.len);
    }
    jw_free(&jw);
}

/* The password is checked on the hashing pool (auth/pool.h) behind the throttle: this
 * thread only validates the body and defers the answer. */
void h_login(struct api_ctx *c)
{
    json_t *name = json_object_get(c->body, "gebruikersnaam");
    json_t *pw = json_object_get(c->body, "wachtwoord");
    struct lks_errlist errs = {0};
    const char *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        if (strcmp(key, "gebruikersnaam") && strcmp(key, "wachtwoord"))
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, key, "unknown-field", "onbekend veld");
    }
    if (!json_is_string(name))
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "gebruikersnaam", "required",
                    "is verplicht (tekst)");
    if (!json_is_string(pw))
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "wachtwoord", "required",
                    "is verplicht (tekst)");
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    char addr[AUTH_ADDR_CHARS];
    api_client_addr(c, addr);
    struct auth_job job = {.kind = AUTH_JOB_LOGIN,
                           .addr = addr,
                           .name = json_string_value(name),
                           .password = json_string_value(pw)};
    api_password_job(c, &job, login_render);
}

void h_logout(struct api_ctx *c)
{
    char tok[AUTH_TOKEN_CHARS + 8];
    struct lks_err e = {0};
    if (http_req_cookie(c->req, "lks_sessie", tok, sizeof tok))
        auth_logout(c->t->store, tok, &e);
    http_resp_header(c->resp, "Set-Cookie",
                     "lks_sessie=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    http_resp_body(c->resp, 204, "application/json", "", 0);
}

void h_me(struct api_ctx *c)
{
    jw_obj_open(&c->w);
    api_user_json(&c->w, &c->user);
    jw_obj_close(&c->w);
    api_json(c, 200);
}

struct dl_list {
    struct jw *w;
    struct api_page *page;
    lks_date on;
    int kind;        /* enum dl_kind, or -1 */
    int64_t case_id; /* or 0 */
};

static int dl_cb(void *arg, const struct deadline_row *d)
{
    struct dl_list *l = arg;
    if ((l->kind >= 0 && (int)d->kind != l->kind) || (l->case_id && d->case_id != l->case_id))
        return 0;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    struct case_deadline cd = {d->kind, d->start, d->due, d->done, d->index};
    jw_obj_open(l->w);
    jw_kint(l->w, "zaak", d->case_id);
    jw_kstr(l->w, "soort", dl_kind_name(d->kind));
    jw_kstr(l->w, "omschrijving", dl_kind_text(d->kind));
    jw_kdate(l->w, "uiterlijk", d->due);
    jw_kint(l->w, "dagenOver", d->due - l->on);
    jw_kstr(l->w, "stand", dl_state(&cd, l->on));
    jw_kstr(l->w, "wettelijkeGrondslag", dl_kind_basis(d->kind));
    jw_obj_close(l->w);
    return 0;
}

/* The `soort` filter of the deadline list: a deadline kind's name, or -1 when absent. */
static int dl_kind_query(struct api_ctx *c, struct lks_errlist *errs)
{
    char buf[32];
    if (!http_req_query(c->req, "soort", buf, sizeof buf))
        return -1;
    for (int k = 0; k < DL_COUNT; k++)
        if (strcmp(dl_kind_name((enum dl_kind)k), buf) == 0)
            return k;
    lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "soort", "unknown-choice",
                "onbekende soort termijn");
    return -1;
}

/* Deadlines open on `datum` (default today): by due date, then case, then kind;
 * filters `soort` and `zaak`. */
void h_deadlines(struct api_ctx *c)
{
    static const char *const keep[] = {"datum", "soort", "zaak", NULL};
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    struct dl_list l = {&c->w, &page, c->t->app.today, -1, 0};
    char buf[16];
    struct lks_err e = {0};
    if (http_req_query(c->req, "datum", buf, sizeof buf) && date_parse(&l.on, buf, "datum", &e))
        *lks_errlist_add(&errs) = e;
    l.kind = dl_kind_query(c, &errs);
    l.case_id = api_query_int(c, "zaak", 0, 1, INT64_MAX, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    api_page_open(c);
    if (app_deadlines_open(&c->t->app, &c->who, l.on, dl_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_close(c, &page, keep);
    jw_kdate(&c->w, "datum", l.on);
    jw_kint(&c->w, "aantal", page.n);
    jw_obj_close(&c->w);
    api_json(c, 200);
}

/* One processing-log entry per person in the report; stops the export when an entry
 * cannot be kept (then nothing of it is sent). */
static int report_row(void *arg, const char *tenant, const char *bsn)
{
    struct api_ctx *c = arg;
    (void)tenant; /* the caller's own: the export is of c->user.tenant */
    api_log(c, PLOG_READ, bsn, "rapportage/meetfactoren");
    return c->log_failed ? LKS_ENOMEM : 0;
}

void h_report(struct api_ctx *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    int rows = 0;
    struct lks_err e = {0};
    int rc = f ? export_meetfactoren_rows(c->t->store, c->user.tenant, f, report_row, c, &rows, &e)
               : LKS_ENOMEM;
    if (f)
        fclose(f);
    if (rc) {
        free(buf);
        if (c->log_failed)
            api_problem(c, 503, "Tijdelijk niet beschikbaar",
                        "de verwerking kon niet worden vastgelegd; probeer het opnieuw");
        else
            api_fail(c, &e);
        return;
    }
    http_resp_header(c->resp, "Content-Disposition", "attachment; filename=\"meetfactoren.csv\"");
    http_resp_body(c->resp, 200, "text/csv; charset=utf-8", buf, len);
    free(buf);
}

struct plog_list {
    struct api_ctx *c;
    struct jw *w;
    struct api_page *page;
    char seen[API_PAGE_SIZE_MAX][10]; /* the BSNs this page shows, each logged once */
    int nseen;
};

/* Reading the log is a processing of the persons it names: one entry per BSN shown. */
static void log_shown(struct plog_list *l, const char *bsn)
{
    if (!bsn[0])
        return;
    for (int i = 0; i < l->nseen; i++)
        if (strcmp(l->seen[i], bsn) == 0)
            return;
    if (l->nseen < API_PAGE_SIZE_MAX)
        snprintf(l->seen[l->nseen++], sizeof l->seen[0], "%s", bsn);
    api_log(l->c, PLOG_READ, bsn, "verwerkingen");
}

static int plog_cb(void *arg, int64_t id, const struct plog_entry *e)
{
    struct plog_list *l = arg;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    struct jw *w = l->w;
    jw_obj_open(w);
    jw_kint(w, "id", id);
    char at[40];
    time_t t = (time_t)(e->at_us / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(at + n, sizeof at - n, ".%06lldZ", (long long)(e->at_us % 1000000));
    jw_kstr(w, "tijdstip", at);
    jw_kstr(w, "actie", app_plog_action_text((int)e->action));
    jw_kstr(w, "gebruiker", e->user);
    jw_kstr(w, "systeem", e->system);
    jw_kstr(w, "bsn", e->bsn);
    log_shown(l, e->bsn);
    jw_kstr(w, "verwerktObject", e->object);
    jw_kstr(w, "soortGegevens", e->kinds);
    jw_kstr(w, "verwerkingsactiviteit", e->purpose);
    jw_kstr(w, "vertrouwelijkheid", e->confidentiality);
    jw_kint(w, "bewaartermijnJaren", e->retention_years);
    jw_kstr(w, "verzoek", e->request_id);
    jw_obj_close(w);
    return 0;
}

/* A date parameter into *d (LKS_NO_DATE when absent); a wrong one into errs. */
static void plog_day_query(struct api_ctx *c, const char *name, lks_date *d,
                           struct lks_errlist *errs)
{
    char buf[16];
    struct lks_err e = {0};
    *d = LKS_NO_DATE;
    if (!http_req_query(c->req, name, buf, sizeof buf))
        return;
    if (date_parse(d, buf, name, &e)) {
        *lks_errlist_add(errs) = e;
        *d = LKS_NO_DATE;
    }
}

/* The query of the processing log: `na` (after this entry), `vanaf` (from this day) and
 * `tot` (before this day); the app checks the period (app_plog_read). */
static void plog_query(struct api_ctx *c, struct app_plog_query *q, struct lks_errlist *errs)
{
    char buf[32];
    if (http_req_query(c->req, "na", buf, sizeof buf)) {
        char *end;
        q->after_id = strtoll(buf, &end, 10);
        if (buf[0] < '0' || buf[0] > '9' || *end || q->after_id < 0)
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "na", "not-an-integer",
                        "moet het id zijn van de laatste regel van de vorige pagina");
    }
    plog_day_query(c, "vanaf", &q->from, errs);
    plog_day_query(c, "tot", &q->to, errs);
}

/* For the auditor: the processing log of the own municipality, oldest first (by time,
 * then id). `na` continues after an entry (keyset); page and pageSize count from there.
 * (A filter on a BSN would put the BSN in a URL; the page /verwerkingen offers it as a
 * POSTed form, through the same app_plog_read.) */
void h_processing_log(struct api_ctx *c)
{
    static const char *const keep[] = {"na", "vanaf", "tot", NULL};
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    struct app_plog_query q = {.from = LKS_NO_DATE, .to = LKS_NO_DATE};
    plog_query(c, &q, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    q.limit = api_page_limit(&page);
    struct lks_err e = {0};
    struct plog_list *lp = calloc(1, sizeof *lp);
    if (!lp) {
        api_problem(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    lp->c = c;
    lp->w = &c->w;
    lp->page = &page;
    api_page_open(c);
    char searched[10];
    int rc = app_plog_read(&c->t->app, c->api->cfg.plog, &c->who, &q, searched, plog_cb, lp, &e);
    free(lp);
    if (rc < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, keep);
}

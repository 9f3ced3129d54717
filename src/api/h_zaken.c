/*
 * h_zaken — cases: the work list, one case, its parts and events, a new
 * application, and the commands of the work process as POSTs on a case.
 * Every read of a case is a processing-log entry with the person concerned.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/internal.h"
#include "codec/case_json.h"
#include "codec/rules_json.h"
#include "store/plog.h"

struct list_state {
    struct api_ctx *c;
    struct api_page *page;
};

static int list_cb(void *arg, const struct case_summary *z)
{
    struct list_state *l = arg;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    struct jw *w = &l->c->w;
    jw_obj_open(w);
    jw_kint(w, "id", z->id);
    jw_kstr(w, "status", case_status_name(z->status));
    jw_kstr(w, "werknemer", z->person_name);
    jw_kstr(w, "werkgever", z->employer_name);
    jw_kstr(w, "klantmanager", z->case_worker);
    jw_key(w, "eerstvolgendeTermijn");
    if (z->next_due == LKS_NO_DATE)
        jw_null(w);
    else
        jw_date(w, z->next_due);
    char href[64];
    snprintf(href, sizeof href, "/api/v1/zaken/%lld", (long long)z->id);
    jw_kstr(w, "url", href);
    jw_obj_close(w);
    char obj[48];
    snprintf(obj, sizeof obj, "zaak/%lld", (long long)z->id);
    api_log(l->c, PLOG_READ, z->person_bsn, obj);
    return 0;
}

/* The work list by case id, filtered on status and case worker; an employer sees only
 * its own cases (app_case_list). */
void h_cases(struct api_ctx *c)
{
    static const char *const keep[] = {"status", "klantmanager", NULL};
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    struct case_filter f = {.status = -1};
    char status[32], worker[CASE_USER];
    if (http_req_query(c->req, "status", status, sizeof status)) {
        f.status = case_status_parse(status);
        if (f.status < 0)
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "status", "unknown-choice",
                        "onbekende status");
    }
    if (http_req_query(c->req, "klantmanager", worker, sizeof worker))
        f.case_worker = worker;
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct lks_err e = {0};
    f.limit = api_page_limit(&page);
    struct list_state l = {c, &page};
    api_page_open(c);
    if (app_case_list(&c->t->app, &c->who, &f, list_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, keep);
}

struct task_list {
    struct api_ctx *c;
    struct api_page *page;
    int64_t total;
};

static int task_cb(void *arg, const struct app_task *t)
{
    struct task_list *l = arg;
    l->total = t->total;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    struct jw *w = &l->c->w;
    const struct case_summary *z = t->c;
    jw_obj_open(w);
    jw_kint(w, "id", z->id);
    jw_kstr(w, "status", case_status_name(z->status));
    jw_kstr(w, "werknemer", z->person_name);
    jw_kstr(w, "werkgever", z->employer_name);
    jw_kstr(w, "kvk", z->employer_kvk);
    jw_kstr(w, "klantmanager", z->case_worker);
    jw_key(w, "taak");
    if (!t->has_deadline) {
        jw_null(w);
    } else {
        jw_obj_open(w);
        jw_kstr(w, "soort", dl_kind_name(t->kind));
        jw_kstr(w, "omschrijving", t->what);
        jw_kstr(w, "wettelijkeGrondslag", t->basis);
        jw_kdate(w, "uiterlijk", t->due);
        jw_kint(w, "dagenOver", t->days_left);
        jw_kstr(w, "stand", t->state);
        jw_obj_close(w);
    }
    char href[64];
    snprintf(href, sizeof href, "/api/v1/zaken/%lld", (long long)z->id);
    jw_kstr(w, "url", href);
    jw_obj_close(w);
    char obj[48];
    snprintf(obj, sizeof obj, "zaak/%lld", (long long)z->id);
    api_log(l->c, PLOG_READ, z->person_bsn, obj);
    return 0;
}

/* The work list: cases by their most urgent open deadline, overdue first (app_worklist);
 * filters status, klantmanager, werkgever (KvK), zoek (a part of a name, a KvK or case
 * number) and alles (also cases without an open deadline). */
void h_worklist(struct api_ctx *c)
{
    static const char *const keep[] = {"status", "klantmanager", "werkgever", "zoek", "alles",
                                       NULL};
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    struct worklist_filter f = {.status = -1};
    char status[32], worker[CASE_USER], kvk[16], text[128], all[8];
    if (http_req_query(c->req, "status", status, sizeof status) &&
        (f.status = case_status_parse(status)) < 0)
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "status", "unknown-choice",
                    "onbekende status");
    if (http_req_query(c->req, "klantmanager", worker, sizeof worker))
        f.case_worker = worker;
    if (http_req_query(c->req, "werkgever", kvk, sizeof kvk))
        f.employer_kvk = kvk;
    if (http_req_query(c->req, "zoek", text, sizeof text) && text[0])
        f.text = text;
    if (http_req_query(c->req, "alles", all, sizeof all)) {
        if (strcmp(all, "true") && strcmp(all, "false"))
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "alles", "not-a-boolean",
                        "true of false");
        f.all = strcmp(all, "true") == 0;
    }
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    /* the store skips what comes before the page */
    f.offset = page.skip;
    page.skip = 0;
    f.limit = page.size + 1;
    struct lks_err e = {0};
    struct task_list l = {c, &page, 0};
    api_page_open(c);
    if (app_worklist(&c->t->app, &c->who, &f, task_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_close(c, &page, keep);
    jw_kint(&c->w, "aantal", l.total);
    jw_obj_close(&c->w);
    api_json(c, 200);
}

static void log_case_read(struct api_ctx *c, int64_t id, const char *part, const char *bsn)
{
    char obj[64];
    snprintf(obj, sizeof obj, "zaak/%lld%s%s", (long long)id, part ? "/" : "", part ? part : "");
    api_log(c, PLOG_READ, bsn, obj);
}

/* The view of the case of path parameter 0 that the caller may see, its read logged as
 * "zaak/ID[/part]"; false when already answered. */
static bool read_case(struct api_ctx *c, const char *part, lks_date on, int64_t *id,
                      struct app_view *v)
{
    if (!api_param_id(c, 0, id) || !api_case_view(c, *id, on, v))
        return false;
    log_case_read(c, *id, part, v->cs->person.bsn);
    return true;
}

/* One case: the app's view for this caller. While the store is unchanged the thread's
 * rendering of it is used again (views.h); the read is logged and scoped exactly as when
 * it is rendered anew. */
void h_case(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    const struct api_view *kept =
        api_view_get(&c->t->views, c->user.tenant, id, c->user.role, c->t->app.today, c->gen);
    if (kept) {
        if (!app_in_scope(&c->who, kept->kvk)) {
            struct lks_err e = {0};
            lks_err_set(&e, LKS_ENOTFOUND, "id", "not-found", "zaak niet gevonden");
            api_fail(c, &e);
            return;
        }
        log_case_read(c, id, NULL, kept->bsn);
        http_resp_body(c->resp, 200, "application/json", kept->json, kept->len);
        return;
    }
    struct app_view *v = malloc(sizeof *v);
    if (!v) {
        api_problem(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    if (api_case_view(c, id, LKS_NO_DATE, v)) {
        log_case_read(c, id, NULL, v->cs->person.bsn);
        app_view_json(&c->w, v);
        if (!jw_failed(&c->w))
            api_view_put(&c->t->views, c->user.tenant, id, c->user.role, c->t->app.today,
                         c->gen, v->cs->person.bsn, v->cs->employer.kvk, c->w.buf, c->w.len);
        api_json(c, 200);
    }
    free(v);
}

/* Give a command: {"datum": "…", "gegevens": {…}} in the body; the answer is the case's
 * view after it, with the notes of the command ("meldingen"). */
static void command(struct api_ctx *c, int64_t id, enum ev_type type)
{
    const char *key;
    json_t *val;
    struct lks_errlist errs = {0};
    json_object_foreach(c->body, key, val)
    {
        if (strcmp(key, "datum") && strcmp(key, "gegevens"))
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, key, "unknown-field",
                        "onbekend veld (verwacht datum en gegevens)");
    }
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    json_t *cmd = json_deep_copy(c->body);
    json_object_set_new(cmd, "soort", json_string(ev_type_name(type)));
    int64_t out = 0;
    int rc = app_command_json(&c->t->app, &c->who, id, cmd, &out, &errs);
    json_decref(cmd);
    if (rc) {
        api_fail_list(c, &errs);
        return;
    }
    /* the change's processing-log entry was written before it committed (the app's
     * before_commit, router.c) and covers the case this answer shows */
    struct app_view *v = malloc(sizeof *v);
    struct lks_err e = {0};
    if (!v) {
        api_problem(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    /* the view reads the case as it was stored; the app keeps the command's notes */
    if (app_view(&c->t->app, &c->who, out, LKS_NO_DATE, v, &e)) {
        free(v);
        api_fail(c, &e);
        return;
    }
    app_view_json_open(&c->w, v);
    app_notes_json(&c->w, &c->t->app);
    jw_obj_close(&c->w);
    free(v);
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/zaken/%lld", (long long)out);
    http_resp_header(c->resp, "Location", loc);
    api_json(c, id ? 200 : 201);
}

/* A new application; whether the caller may apply for that employer is the app's
 * (an employer only for its own company). */
void h_case_new(struct api_ctx *c)
{
    command(c, 0, EV_AANVRAAG_INGEDIEND);
}

void h_case_command(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    command(c, id, (enum ev_type)c->route->ev);
}

static int event_cb(void *arg, const struct stored_event *ev)
{
    struct api_list *l = arg;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    return app_event_json(l->w, ev);
}

/* The events of a case by sequence number, oldest first. */
void h_case_events(struct api_ctx *c)
{
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_err e = {0};
    struct api_list l = {&c->w, &page};
    api_page_open(c);
    if (app_case_events(&c->t->app, &c->who, id, event_cb, &l, &e) < 0) {
        jw_reset(&c->w);
        api_fail(c, &e);
        return;
    }
    log_case_read(c, id, "gebeurtenissen", c->t->app.cs->person.bsn);
    api_page_answer(c, &page, NULL);
}

/* The `maand` of the query (JJJJ-MM) as its first day, or LKS_NO_DATE (this month). */
static bool month_query(struct api_ctx *c, lks_date *out)
{
    char mbuf[16];
    *out = LKS_NO_DATE;
    if (!http_req_query(c->req, "maand", mbuf, sizeof mbuf))
        return true;
    char full[24];
    snprintf(full, sizeof full, "%s-01", mbuf);
    struct lks_err pe;
    if (strlen(mbuf) == 7 && date_parse(out, full, "maand", &pe) == 0)
        return true;
    struct lks_errlist l = {0};
    lks_err_set(lks_errlist_add(&l), LKS_EINVAL, "maand", "not-a-month",
                "moet een maand zijn in de vorm JJJJ-MM");
    api_fail_list(c, &l);
    return false;
}

/* Parts of a case by their name in the case object; plus the amount of a month. */
void h_case_part(struct api_ctx *c)
{
    static const char *const parts[] = {"werknemer",     "werkgever",          "dienstverband",
                                        "toegangstoets", "loonwaardemetingen", "beschikkingen",
                                        "voorzieningen", "bezwaren",           "betalingen",
                                        "kosten",        "termijnen",          NULL};
    int64_t id;
    const char *part = c->param[1];
    int k = -1;
    for (int i = 0; parts[i]; i++)
        if (strcmp(parts[i], part) == 0)
            k = i;
    bool amount = strcmp(part, "loonkostensubsidie") == 0;
    if (k < 0 && !amount) {
        api_problem(c, 404, "Niet gevonden", "deze bron bestaat niet");
        return;
    }
    lks_date on = LKS_NO_DATE;
    if (amount && !month_query(c, &on))
        return;
    struct app_view *v = malloc(sizeof *v);
    if (!v) {
        api_problem(c, 503, "Tijdelijk niet beschikbaar", "onvoldoende geheugen");
        return;
    }
    if (!read_case(c, part, on, &id, v)) {
        free(v);
        return;
    }
    if (amount) {
        if (v->has_amount) {
            codec_lks(&c->w, &v->amount);
            api_json(c, 200);
        } else {
            struct lks_err e = v->no_amount;
            char b[DATE_FMT_MAX];
            if (!e.code)
                lks_err_set(&e, LKS_EINVAL, "maand", "not-granted",
                            "voor %s is geen loonkostensubsidie toegekend",
                            date_fmt(b, v->month));
            api_fail(c, &e);
        }
        free(v);
        return;
    }
    struct jw full;
    jw_init(&full, (size_t)16 << 20, false);
    app_view_json(&full, v);
    free(v);
    json_error_t je;
    json_t *root = jw_failed(&full) ? NULL : json_loads(full.buf, 0, &je);
    jw_free(&full);
    json_t *val = json_object_get(root, parts[k]);
    char *txt = val ? json_dumps(val, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (!txt) {
        json_decref(root);
        api_problem(c, 500, "Interne fout", "het onderdeel kon niet worden gelezen");
        return;
    }
    if (json_is_array(val)) {
        jw_obj_open(&c->w);
        jw_key(&c->w, "resultaten");
        jw_json(&c->w, txt, strlen(txt));
        jw_obj_close(&c->w);
    } else {
        jw_json(&c->w, txt, strlen(txt));
    }
    free(txt);
    json_decref(root);
    api_json(c, 200);
}

/* The letter of decision {n} of a case as PDF (?voor=werkgever|werknemer), as the app
 * gives it: stored when the decision was sent, the same bytes on every fetch. Scoped like
 * the case; an employer gets only the letter to the employer. Logged as
 * "zaak/ID/beschikkingen/N/brief". */
void h_case_letter(struct api_ctx *c)
{
    int64_t id, n;
    if (!api_param_id(c, 0, &id) || !api_param_id(c, 1, &n))
        return;
    char voor[16] = "werkgever";
    struct lks_err e = {0};
    int to = LETTER_WERKGEVER;
    if (http_req_query(c->req, "voor", voor, sizeof voor) && (to = letter_to_parse(voor)) < 0) {
        lks_err_set(&e, LKS_EINVAL, "voor", "unknown", "werkgever of werknemer");
        api_fail(c, &e);
        return;
    }
    if (n > CASE_MAX_DECISIONS) {
        lks_err_set(&e, LKS_ENOTFOUND, "n", "not-found", "beschikking %lld bestaat niet",
                    (long long)n);
        api_fail(c, &e);
        return;
    }
    struct app_letter l;
    if (app_letter(&c->t->app, &c->who, id, -1, (int)n, (enum letter_to)to, &l, &e)) {
        api_fail(c, &e);
        return;
    }
    char obj[80];
    snprintf(obj, sizeof obj, "zaak/%lld/beschikkingen/%lld/brief", (long long)id, (long long)n);
    api_log(c, PLOG_READ, l.bsn, obj);
    char etag[70];
    snprintf(etag, sizeof etag, "\"%s\"", l.sha256);
    http_resp_header(c->resp, "ETag", etag);
    http_resp_body(c->resp, 200, "application/pdf", (const char *)l.pdf, l.len);
    app_letter_free(&l);
}

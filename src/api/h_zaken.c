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
 * its own cases. */
void h_cases(struct api_ctx *c)
{
    static const char *const keep[] = {"status", "klantmanager", NULL};
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    struct case_filter f = {.status = -1};
    char status[32], worker[CASE_ID];
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
    if (c->user.role == ROLE_WERKGEVER) {
        struct employer w;
        if (store_employer_by_kvk(c->t->store, c->user.tenant, c->user.kvk, &w, &e)) {
            api_page_open(c); /* no cases yet for this employer */
            api_page_answer(c, &page, keep);
            return;
        }
        f.employer_id = w.id;
    }
    f.limit = api_page_limit(&page);
    struct list_state l = {c, &page};
    api_page_open(c);
    if (store_case_list(c->t->store, c->user.tenant, &f, list_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, keep);
}

static void render_case(struct api_ctx *c, const struct case_deadline *dl, int ndl)
{
    codec_case(&c->w, c->t->app.cs, dl, ndl, c->t->app.today);
}

/* The case of path parameter 0 that the caller may see, loaded into the app with its
 * deadlines, and its read logged as "zaak/ID[/part]"; false when already answered. */
static bool read_case(struct api_ctx *c, const char *part, int64_t *id, struct case_deadline *dl,
                      int *ndl)
{
    if (!api_param_id(c, 0, id) || !api_case_visible(c, *id, dl, ndl))
        return false;
    char obj[64];
    snprintf(obj, sizeof obj, "zaak/%lld%s%s", (long long)*id, part ? "/" : "", part ? part : "");
    api_log(c, PLOG_READ, c->t->app.cs->person.bsn, obj);
    return true;
}

static void log_case_read(struct api_ctx *c, int64_t id, const char *bsn)
{
    char obj[32];
    snprintf(obj, sizeof obj, "zaak/%lld", (long long)id);
    api_log(c, PLOG_READ, bsn, obj);
}

/* One case. While the store is unchanged the thread's rendering of it is used again
 * (views.h); the read is logged and scoped exactly as when it is rendered anew. */
void h_case(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    const struct api_view *v =
        api_view_get(&c->t->views, c->user.tenant, id, c->t->app.today, c->gen);
    if (v) {
        if (!api_employer_visible(c, v->kvk))
            return;
        log_case_read(c, id, v->bsn);
        http_resp_body(c->resp, 200, "application/json", v->json, v->len);
        return;
    }
    struct case_deadline dl[CASE_MAX_DEADLINES];
    int ndl = 0;
    if (!api_case_visible(c, id, dl, &ndl))
        return;
    const struct case_state *cs = c->t->app.cs;
    log_case_read(c, id, cs->person.bsn);
    render_case(c, dl, ndl);
    if (!jw_failed(&c->w))
        api_view_put(&c->t->views, c->user.tenant, id, c->t->app.today, c->gen, cs->person.bsn,
                     cs->employer.kvk, c->w.buf, c->w.len);
    api_json(c, 200);
}

/* Give a command: {"datum": "…", "gegevens": {…}} in the body. */
static void command(struct api_ctx *c, int64_t id, enum ev_type type)
{
    const char *key;
    json_t *v;
    struct lks_errlist errs = {0};
    json_object_foreach(c->body, key, v)
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
    struct app_actor who = {c->user.tenant, c->user.name, c->user.role};
    int64_t out = 0;
    int rc = app_command_json(&c->t->app, &who, id, cmd, &out, &errs);
    json_decref(cmd);
    if (rc) {
        api_fail_list(c, &errs);
        return;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "zaak/%lld", (long long)out);
    api_log(c, id ? PLOG_UPDATE : PLOG_CREATE, c->t->app.cs->person.bsn, obj);
    struct case_deadline dl[CASE_MAX_DEADLINES];
    struct policy pol;
    struct lks_err e = {0};
    if (store_policy_at(c->t->store, c->user.tenant, c->t->app.today, &pol, &e)) {
        api_fail(c, &e);
        return;
    }
    int ndl = case_deadlines(c->t->app.cs, &pol, dl, CASE_MAX_DEADLINES);
    render_case(c, dl, ndl);
    char loc[64];
    snprintf(loc, sizeof loc, "/api/v1/zaken/%lld", (long long)out);
    http_resp_header(c->resp, "Location", loc);
    api_json(c, id ? 200 : 201);
}

void h_case_new(struct api_ctx *c)
{
    /* an employer applies only for its own company */
    if (c->user.role == ROLE_WERKGEVER) {
        json_t *kvk = json_object_get(
            json_object_get(json_object_get(c->body, "gegevens"), "werkgever"), "kvk");
        if (!json_is_string(kvk) || strcmp(json_string_value(kvk), c->user.kvk) != 0) {
            api_problem(c, 403, "Niet toegestaan",
                        "een werkgever kan alleen voor het eigen bedrijf aanvragen");
            return;
        }
    }
    command(c, 0, EV_AANVRAAG_INGEDIEND);
}

void h_case_command(struct api_ctx *c)
{
    int64_t id;
    struct case_deadline dl[CASE_MAX_DEADLINES];
    int ndl = 0;
    if (!api_param_id(c, 0, &id) || !api_case_visible(c, id, dl, &ndl))
        return;
    command(c, id, (enum ev_type)c->route->ev);
}

struct event_list {
    struct jw *w;
    struct api_page *page;
};

static int event_cb(void *arg, const struct stored_event *ev)
{
    struct event_list *l = arg;
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
    struct case_deadline dl[CASE_MAX_DEADLINES];
    int ndl = 0;
    if (!read_case(c, "gebeurtenissen", &id, dl, &ndl))
        return;
    struct lks_err e = {0};
    struct event_list l = {&c->w, &page};
    api_page_open(c);
    if (store_case_events(c->t->store, c->user.tenant, id, event_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, NULL);
}

/* Parts of a case by their name in the case object; plus the current amount. */
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
    struct case_deadline dl[CASE_MAX_DEADLINES];
    int ndl = 0;
    if (!read_case(c, part, &id, dl, &ndl))
        return;
    if (amount) {
        struct policy pol;
        policy_default(&pol);
        struct case_ctx ctx = {c->api->cfg.rules, &pol, c->t->app.today, LKS_NO_DATE};
        int y, m, d;
        date_to_ymd(c->t->app.today, &y, &m, &d);
        char mbuf[16];
        lks_date month = date_from_ymd(y, m, 1);
        if (http_req_query(c->req, "maand", mbuf, sizeof mbuf)) {
            char full[24];
            snprintf(full, sizeof full, "%s-01", mbuf);
            struct lks_err pe;
            if (strlen(mbuf) != 7 || date_parse(&month, full, "maand", &pe)) {
                struct lks_errlist l = {0};
                lks_err_set(lks_errlist_add(&l), LKS_EINVAL, "maand", "not-a-month",
                            "moet een maand zijn in de vorm JJJJ-MM");
                api_fail_list(c, &l);
                return;
            }
        }
        struct lks_result r;
        struct lks_err e = {0};
        if (case_month_amount(&ctx, c->t->app.cs, month, &r, &e)) {
            api_fail(c, &e);
            return;
        }
        codec_lks(&c->w, &r);
        api_json(c, 200);
        return;
    }
    struct jw full;
    jw_init(&full, (size_t)16 << 20, false);
    codec_case(&full, c->t->app.cs, dl, ndl, c->t->app.today);
    json_error_t je;
    json_t *root = jw_failed(&full) ? NULL : json_loads(full.buf, 0, &je);
    jw_free(&full);
    json_t *v = json_object_get(root, parts[k]);
    char *txt = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (!txt) {
        json_decref(root);
        api_problem(c, 500, "Interne fout", "het onderdeel kon niet worden gelezen");
        return;
    }
    if (json_is_array(v)) {
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

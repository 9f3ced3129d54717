/*
 * p_werk — the work list of the desk (werkvoorraad): the cases with an open deadline, the
 * most urgent first, each with what is due, its legal basis and the days left; filters in
 * the URL (so a selection can be bookmarked), a search on a name, KvK or case number, the
 * search on a BSN through a POSTed form (never in a URL), and handing cases to a
 * colleague in bulk with a reason. Each case shown is a processing-log entry.
 *
 * Saved filters: a user saves the list's filter (its URL's filter part, as query_text
 * builds it) under a name (POST /werkvoorraad/filters), sees its filters as links above
 * the list (GET /werkvoorraad/filters/{id}: 303 to the list with that filter) and deletes
 * one (POST .../verwijderen). What a filter may hold — its name, how many, never a BSN —
 * is the app's (app_filter.c); the BSN search is a POST of its own and has no save form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/plog.h"
#include "store/store_filter.h"
#include "web/forms.h"
#include "web/page.h"
#include "web/pages.h"

#define WL_PAGE_SIZE 25
#define WL_MAX_PAGE  100000


struct wl_rows {
    struct api_ctx *c;
    json_t *rows;
    int64_t total;
};

static int row_cb(void *arg, const struct app_task *t)
{
    struct wl_rows *l = arg;
    const struct case_summary *z = t->c;
    l->total = t->total;
    json_t *r = json_object();
    page_set_int(r, "id", z->id);
    page_set_str(r, "werknemer", z->person_name);
    page_set_str(r, "werkgever", z->employer_name);
    page_set_str(r, "kvk", z->employer_kvk);
    page_set_str(r, "status", case_status_name(z->status));
    page_set_str(r, "statusTekst", forms_status_text((int)z->status));
    page_set_str(r, "klantmanager", z->case_worker);
    if (t->has_deadline) {
        json_t *task = json_object();
        page_set_str(task, "omschrijving", t->what);
        page_set_str(task, "grondslag", t->basis);
        char d[DATE_FMT_MAX];
        page_set_str(task, "uiterlijk", date_fmt(d, t->due));
        page_set_int(task, "dagen", t->days_left);
        page_badge(task, t->days_left);
        json_object_set_new(r, "taak", task);
    }
    json_array_append_new(l->rows, r);
    char obj[48];
    snprintf(obj, sizeof obj, "zaak/%lld", (long long)z->id);
    api_log(l->c, PLOG_READ, z->person_bsn, obj);
    return 0;
}

struct workers {
    json_t *list;
    const char *chosen;
};

static int worker_cb(void *arg, const char *name, const char *display)
{
    struct workers *w = arg;
    json_t *o = json_object();
    page_set_str(o, "naam", name);
    page_set_str(o, "weergave", display && display[0] ? display : name);
    page_set_bool(o, "gekozen", w->chosen && strcmp(w->chosen, name) == 0);
    json_array_append_new(w->list, o);
    return 0;
}

/* The filters of the query, as the form shows them again. */
struct wl_query {
    char status[32], worker[CASE_USER], kvk[16], text[128], all[8], who[8], sort[16];
    int page;
};

/* The filter keys of the list's URL, in the order query_text writes them, and where each
 * is kept in a wl_query. */
#define WL_KEYS 7
static const char *const wl_keys[WL_KEYS] = {"status", "klantmanager", "werkgever", "zoek",
                                             "alles",  "van",          "sorteer"};

static char *wl_value(struct wl_query *q, int i, size_t *cap)
{
    char *dst[WL_KEYS] = {q->status, q->worker, q->kvk, q->text, q->all, q->who, q->sort};
    size_t caps[WL_KEYS] = {sizeof q->status, sizeof q->worker, sizeof q->kvk, sizeof q->text,
                            sizeof q->all,    sizeof q->who,    sizeof q->sort};
    *cap = caps[i];
    return dst[i];
}

/* The filter part of the list's URL ("status=lopend&van=mij"): every key with a value,
 * each escaped for a URL; "" when none. */
static void query_text(struct wl_query *q, char *out, size_t cap)
{
    struct buf b;
    buf_init(&b, cap);
    for (int i = 0; i < WL_KEYS; i++) {
        size_t n;
        const char *v = wl_value(q, i, &n);
        if (!v[0])
            continue;
        if (b.len)
            buf_adds(&b, "&");
        buf_adds(&b, wl_keys[i]);
        buf_adds(&b, "=");
        tpl_escape(&b, TPL_CTX_URL_PART, v, strlen(v));
    }
    snprintf(out, cap, "%.*s", (int)b.len, b.data ? b.data : "");
    if (b.len >= cap)
        out[0] = '\0'; /* too long for a URL of ours: the plain list */
    buf_free(&b);
}

/* The filters a form on the list carries in hidden fields (_status, …), so the list
 * comes back as it was. */
static void read_posted(struct api_ctx *c, struct wl_query *q)
{
    for (int i = 0; i < WL_KEYS; i++) {
        char name[32];
        snprintf(name, sizeof name, "_%s", wl_keys[i]);
        const char *v = form_get(&c->form, name);
        size_t cap;
        char *dst = wl_value(q, i, &cap);
        if (v)
            snprintf(dst, cap, "%s", v);
    }
}

static void read_query(struct api_ctx *c, struct wl_query *q)
{
    memset(q, 0, sizeof *q);
    char num[16];
    http_req_query(c->req, "status", q->status, sizeof q->status);
    http_req_query(c->req, "klantmanager", q->worker, sizeof q->worker);
    http_req_query(c->req, "werkgever", q->kvk, sizeof q->kvk);
    http_req_query(c->req, "zoek", q->text, sizeof q->text);
    http_req_query(c->req, "alles", q->all, sizeof q->all);
    http_req_query(c->req, "sorteer", q->sort, sizeof q->sort);
    /* a klantmanager sees its own cases unless it asks for everyone's */
    if (!http_req_query(c->req, "van", q->who, sizeof q->who))
        snprintf(q->who, sizeof q->who, "%s", c->who.role == ROLE_KLANTMANAGER ? "mij" : "alle");
    q->page = 1;
    if (http_req_query(c->req, "pagina", num, sizeof num)) {
        char *end;
        long p = strtol(num, &end, 10);
        if (*end == '\0' && p >= 1 && p <= WL_MAX_PAGE)
            q->page = (int)p;
    }
}

static int saved_cb(void *arg, const struct app_filter *sf)
{
    json_t *o = json_object();
    page_set_int(o, "id", sf->id);
    page_set_str(o, "naam", sf->name);
    json_array_append_new(arg, o);
    return 0;
}

/* The work list page for the query; `extra` (errors of a form on it, or a message) is
 * merged into its data. */
static void render(struct api_ctx *c, const struct wl_query *q, int status, json_t *extra)
{
    struct worklist_filter f = {.status = -1};
    struct lks_errlist errs = {0};
    if (q->status[0] && (f.status = case_status_parse(q->status)) < 0)
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "status", "unknown-choice",
                    "kies een status uit de lijst");
    if (strcmp(q->who, "mij") == 0)
        f.case_worker = c->who.user;
    else if (q->worker[0])
        f.case_worker = q->worker;
    if (q->kvk[0])
        f.employer_kvk = q->kvk;
    if (q->text[0])
        f.text = q->text;
    f.all = strcmp(q->all, "ja") == 0;
    f.newest = strcmp(q->sort, "nieuwste") == 0;
    f.offset = (q->page - 1) * WL_PAGE_SIZE;
    f.limit = WL_PAGE_SIZE;
    json_t *d = extra ? extra : json_object();
    struct wl_rows l = {c, json_array(), 0};
    struct lks_err e = {0};
    if (errs.n == 0 && app_worklist(&c->t->app, &c->who, &f, row_cb, &l, &e) != 0) {
        json_decref(l.rows);
        json_decref(d);
        page_error(c, e.code == LKS_EINVAL ? 400 : 503, "Werkvoorraad", e.msg);
        return;
    }
    if (errs.n && !json_object_get(d, "fouten"))
        json_object_set_new(d, "fouten", page_errors(&errs));
    json_object_set_new(d, "rijen", l.rows);
    page_set_int(d, "aantal", l.total);
    int pages = (int)((l.total + WL_PAGE_SIZE - 1) / WL_PAGE_SIZE);
    page_set_int(d, "pagina", q->page);
    page_set_int(d, "paginas", pages ? pages : 1);
    if (q->page > 1)
        page_set_int(d, "vorige", q->page - 1);
    if (q->page < pages)
        page_set_int(d, "volgende", q->page + 1);
    json_t *fl = json_object();
    page_set_str(fl, "status", q->status);
    page_set_str(fl, "klantmanager", q->worker);
    page_set_str(fl, "werkgever", q->kvk);
    page_set_str(fl, "zoek", q->text);
    page_set_str(fl, "alles", f.all ? "ja" : "");
    page_set_str(fl, "van", q->who);
    page_set_bool(fl, "vanMij", strcmp(q->who, "mij") == 0);
    page_set_str(fl, "sorteer", f.newest ? "nieuwste" : "");
    page_set_bool(fl, "nieuwste", f.newest);
    json_object_set_new(d, "filters", fl);
    /* the user's saved filters, as links above the list */
    json_t *saved = json_array();
    if (app_filter_list(&c->t->app, &c->who, saved_cb, saved, &e) != 0) {
        json_decref(saved);
        saved = json_array();
    }
    json_object_set_new(d, "opgeslagen", saved);
    json_t *st = json_array();
    for (int i = 0; i < ST_COUNT; i++) {
        json_t *o = json_object();
        page_set_str(o, "waarde", case_status_name((enum case_status)i));
        page_set_str(o, "tekst", forms_status_text(i));
        page_set_bool(o, "gekozen", f.status == i);
        json_array_append_new(st, o);
    }
    json_object_set_new(d, "statussen", st);
    struct workers w = {json_array(), q->worker};
    if (app_case_workers(&c->t->app, &c->who, worker_cb, &w, &e) != 0) {
        json_decref(w.list);
        w.list = json_array();
    }
    json_object_set_new(d, "klantmanagers", w.list);
    page_set_bool(d, "isKlantmanager", c->who.role == ROLE_KLANTMANAGER);
    page_set_bool(d, "kanToewijzen", c->who.role == ROLE_KLANTMANAGER);
    page_render(c, status, "Werkvoorraad", "/werkvoorraad", "werkvoorraad", d);
}

void p_worklist(struct api_ctx *c)
{
    struct wl_query q;
    read_query(c, &q);
    json_t *d = json_object();
    char done[24] = "";
    if (http_req_query(c->req, "gedaan", done, sizeof done)) {
        if (strcmp(done, "toegewezen") == 0)
            page_set_str(d, "melding", "De gekozen zaken zijn toegewezen.");
        else if (strcmp(done, "filter-opgeslagen") == 0)
            page_set_str(d, "melding", "Het filter is bewaard; u vindt het boven de lijst.");
        else if (strcmp(done, "filter-verwijderd") == 0)
            page_set_str(d, "melding", "Het filter is verwijderd.");
    }
    render(c, &q, 200, d);
}

/* Hand the chosen cases to a klantmanager, each with the reason (zaak-toegewezen); the
 * list again with what went wrong, or back to it with a message. */
void p_assign(struct api_ctx *c)
{
    struct wl_query q;
    read_query(c, &q);
    /* the filters travel in the form, so the list comes back as it was */
    read_posted(c, &q);
    const char *to = form_get(&c->form, "naar");
    const char *reason = form_get(&c->form, "reden");
    struct lks_errlist errs = {0};
    int n = 0;
    for (int i = 0; i < c->form.n; i++)
        if (strcmp(c->form.f[i].name, "zaak") == 0)
            n++;
    if (n == 0)
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "zaak", "required",
                    "kies ten minste één zaak in de lijst");
    if (!to || !to[0])
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "naar", "required",
                    "kies de klantmanager die de zaken krijgt");
    if (!reason || !reason[0])
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "reden", "required",
                    "noem de reden van de toewijzing");
    for (int i = 0; errs.n == 0 && i < c->form.n; i++) {
        if (strcmp(c->form.f[i].name, "zaak") != 0)
            continue;
        char *end;
        long long id = strtoll(c->form.f[i].value, &end, 10);
        if (*end || id <= 0) {
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "zaak", "invalid", "onbekende zaak");
            break;
        }
        json_t *cmd = json_pack("{s:s, s:{s:s, s:s}}", "soort", ev_type_name(EV_ZAAK_TOEGEWEZEN),
                                "gegevens", "klantmanager", to, "reden", reason);
        struct lks_errlist one = {0};
        int64_t out = 0;
        int rc = cmd ? app_command_json(&c->t->app, &c->who, id, cmd, &out, &one) : LKS_ENOMEM;
        json_decref(cmd);
        if (rc) {
            const struct lks_err *e = one.n ? &one.e[0] : NULL;
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL,
                        e && strcmp(e->field, "klantmanager") == 0 ? "naar" : "zaak", "refused",
                        "zaak %lld: %s", id, e ? e->msg : "niet toegewezen");
            /* the cases before it were handed over; the list shows where it stopped */
            break;
        }
    }
    if (errs.n) {
        json_t *d = json_object();
        json_object_set_new(d, "fouten", page_errors(&errs));
        page_set_str(d, "reden", reason);
        render(c, &q, 400, d);
        return;
    }
    char qs[STORE_FILTER_QUERY], loc[STORE_FILTER_QUERY + 48];
    query_text(&q, qs, sizeof qs);
    snprintf(loc, sizeof loc, "/werkvoorraad?gedaan=toegewezen%s%s", qs[0] ? "&" : "", qs);
    page_redirect(c, loc);
}

struct person_cases {
    json_t *list;
};

static int person_case_cb(void *arg, int64_t id, enum case_status st)
{
    struct person_cases *pc = arg;
    json_t *o = json_object();
    page_set_int(o, "id", id);
    page_set_str(o, "statusTekst", forms_status_text((int)st));
    json_array_append_new(pc->list, o);
    return 0;
}

/* A person by BSN: posted, so the BSN is never in a URL; logged as a search with the BSN
 * asked for (in its normal form). */
void p_bsn_search(struct api_ctx *c)
{
    const char *bsn = form_get(&c->form, "bsn");
    struct person p;
    struct lks_err e = {0};
    char searched[10] = "";
    json_t *d = json_object();
    int rc = app_person_find(&c->t->app, &c->who, bsn ? bsn : "", &p, searched, &e);
    if (rc && rc != LKS_ENOTFOUND) {
        if (e.code != LKS_EINVAL) {
            json_decref(d);
            page_error(c, 503, "Zoeken op BSN", e.msg);
            return;
        }
        struct lks_errlist errs = {0};
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "bsn", e.reason, "BSN: %s", e.msg);
        json_object_set_new(d, "fouten", page_errors(&errs));
        page_set_str(d, "bsn", bsn);
        page_render(c, 400, "Zoeken op BSN", "/werkvoorraad", "zoek-bsn", d);
        return;
    }
    api_log(c, PLOG_SEARCH, searched, "personen/zoeken");
    page_set_bool(d, "gezocht", true);
    if (rc == 0) {
        json_t *o = json_object();
        page_set_str(o, "naam", p.name);
        struct person_cases pc = {json_array()};
        app_person_cases(&c->t->app, &c->who, p.id, person_case_cb, &pc, &e);
        json_object_set_new(o, "zaken", pc.list);
        json_object_set_new(d, "persoon", o);
    }
    page_render(c, 200, "Zoeken op BSN", "/werkvoorraad", "zoek-bsn", d);
}

/* ---- saved filters ---- */

/* Save the list's filter (its hidden fields) under the posted name; the list again with
 * the message beside the name, or back to the list with that filter. */
void p_filter_save(struct api_ctx *c)
{
    struct wl_query q;
    read_query(c, &q);
    read_posted(c, &q);
    const char *name = form_get(&c->form, "naam");
    struct lks_errlist errs = {0};
    int rc;
    char qs[STORE_FILTER_QUERY];
    query_text(&q, qs, sizeof qs);
    if (form_get(&c->form, "bsn")) {
        /* a BSN search is never saved (the app refuses a BSN in any value too) */
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "zoek", "bsn",
                    "een zoekopdracht op BSN wordt niet bewaard");
        rc = LKS_EINVAL;
    } else {
        int64_t id = 0;
        rc = app_filter_save(&c->t->app, &c->who, name, qs, &id, &errs);
    }
    if (rc == 0) {
        char loc[STORE_FILTER_QUERY + 48];
        snprintf(loc, sizeof loc, "/werkvoorraad?%s%sgedaan=filter-opgeslagen", qs,
                 qs[0] ? "&" : "");
        page_redirect(c, loc);
        return;
    }
    if (rc != LKS_EINVAL && rc != LKS_ESTATE) {
        api_fail_list(c, &errs);
        return;
    }
    json_t *d = json_object();
    json_object_set_new(d, "fouten", page_errors(&errs));
    page_set_str(d, "filterNaam", name);
    render(c, &q, rc == LKS_ESTATE ? 409 : 400, d);
}

void p_filter_open(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    char qs[STORE_FILTER_QUERY];
    struct lks_err e = {0};
    if (app_filter_query(&c->t->app, &c->who, id, qs, sizeof qs, &e) != 0) {
        api_fail(c, &e);
        return;
    }
    char loc[STORE_FILTER_QUERY + 24];
    snprintf(loc, sizeof loc, "/werkvoorraad%s%s", qs[0] ? "?" : "", qs);
    page_redirect(c, loc);
}

void p_filter_delete(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_err e = {0};
    if (app_filter_delete(&c->t->app, &c->who, id, &e) != 0) {
        api_fail(c, &e);
        return;
    }
    page_redirect(c, "/werkvoorraad?gedaan=filter-verwijderd");
}

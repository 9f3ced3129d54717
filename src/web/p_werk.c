/*
 * p_werk — the work list of the desk (werkvoorraad): the cases with an open deadline, the
 * most urgent first, each with what is due, its legal basis and the days left; filters in
 * the URL (so a selection can be bookmarked), a search on a name, KvK or case number, the
 * search on a BSN through a POSTed form (never in a URL), and handing cases to a
 * colleague in bulk with a reason. Each case shown is a processing-log entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/plog.h"
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
    char status[32], worker[CASE_USER], kvk[16], text[128], all[8], who[8];
    int page;
};

static void read_query(struct api_ctx *c, struct wl_query *q)
{
    memset(q, 0, sizeof *q);
    char num[16];
    http_req_query(c->req, "status", q->status, sizeof q->status);
    http_req_query(c->req, "klantmanager", q->worker, sizeof q->worker);
    http_req_query(c->req, "werkgever", q->kvk, sizeof q->kvk);
    http_req_query(c->req, "zoek", q->text, sizeof q->text);
    http_req_query(c->req, "alles", q->all, sizeof q->all);
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
    json_object_set_new(d, "filters", fl);
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
    if (http_req_query(c->req, "gedaan", done, sizeof done) && strcmp(done, "toegewezen") == 0)
        page_set_str(d, "melding", "De gekozen zaken zijn toegewezen.");
    render(c, &q, 200, d);
}

/* Hand the chosen cases to a klantmanager, each with the reason (zaak-toegewezen); the
 * list again with what went wrong, or back to it with a message. */
void p_assign(struct api_ctx *c)
{
    struct wl_query q;
    read_query(c, &q);
    /* the filters travel in the form, so the list comes back as it was */
    const char *keep[] = {"status", "klantmanager", "werkgever", "zoek", "alles", "van"};
    char *dst[] = {q.status, q.worker, q.kvk, q.text, q.all, q.who};
    size_t cap[] = {sizeof q.status, sizeof q.worker, sizeof q.kvk, sizeof q.text, sizeof q.all,
                    sizeof q.who};
    for (int i = 0; i < 6; i++) {
        char name[32];
        snprintf(name, sizeof name, "_%s", keep[i]);
        const char *v = form_get(&c->form, name);
        if (v)
            snprintf(dst[i], cap[i], "%s", v);
    }
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
    char loc[512];
    struct buf b;
    buf_init(&b, sizeof loc);
    buf_adds(&b, "/werkvoorraad?gedaan=toegewezen");
    for (int i = 0; i < 6; i++) {
        if (!dst[i][0])
            continue;
        buf_adds(&b, "&");
        buf_adds(&b, keep[i]);
        buf_adds(&b, "=");
        tpl_escape(&b, TPL_CTX_URL_PART, dst[i], strlen(dst[i]));
    }
    snprintf(loc, sizeof loc, "%.*s", (int)b.len, b.data ? b.data : "/werkvoorraad");
    buf_free(&b);
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

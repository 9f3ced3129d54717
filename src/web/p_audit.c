/*
 * p_audit — the auditor's page of the processing log (verwerkingen): the entries of the
 * own municipality for a period (van … tot en met, in the query, by default the last 7
 * days), newest first, 50 a page with a link to the next (keyset: after the last entry
 * shown); and the entries about one person, searched by BSN through a POSTed form whose
 * result is rendered at once, so the BSN is never in a URL (the next page of that search
 * is a POSTed form too).
 *
 * What may be read, how the BSN and the period are checked, is the app's
 * (app_plog_read, shared with GET /api/v1/verwerkingen). Reading the log is itself a
 * processing of the persons it names: one entry per person shown, and the search with
 * the BSN asked for, as the API does. A failure of the log is a 503 page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/plog.h"
#include "web/page.h"
#include "web/pages.h"

#define PL_PAGE_SIZE    50
#define PL_DEFAULT_DAYS 7

struct pl_rows {
    struct api_ctx *c;
    json_t *rows;
    int n;
    int64_t last_id;
    bool more;
    char seen[PL_PAGE_SIZE][10]; /* the BSNs this page shows, each logged once */
    int nseen;
};

static void log_shown(struct pl_rows *l, const char *bsn)
{
    if (!bsn[0])
        return;
    for (int i = 0; i < l->nseen; i++)
        if (strcmp(l->seen[i], bsn) == 0)
            return;
    if (l->nseen < PL_PAGE_SIZE)
        snprintf(l->seen[l->nseen++], sizeof l->seen[0], "%s", bsn);
    api_log(l->c, PLOG_READ, bsn, "verwerkingen");
}

static int row_cb(void *arg, int64_t id, const struct plog_entry *e)
{
    struct pl_rows *l = arg;
    if (l->n == PL_PAGE_SIZE) {
        l->more = true;
        return 1;
    }
    l->n++;
    l->last_id = id;
    json_t *r = json_object();
    page_set_int(r, "id", id);
    char at[40];
    time_t t = (time_t)(e->at_us / 1000000);
    struct tm tm;
    localtime_r(&t, &tm); /* Europe/Amsterdam (base/clock.h) */
    strftime(at, sizeof at, "%d-%m-%Y %H:%M:%S", &tm);
    page_set_str(r, "tijdstip", at);
    page_set_str(r, "gebruiker", e->user);
    page_set_str(r, "systeem", e->system);
    page_set_str(r, "actie", app_plog_action_text((int)e->action));
    page_set_str(r, "bsn", e->bsn);
    page_set_str(r, "object", e->object);
    long long zaak = 0;
    if (sscanf(e->object, "zaak/%lld", &zaak) == 1 && zaak > 0)
        page_set_int(r, "zaak", zaak);
    page_set_str(r, "soort", e->kinds);
    page_set_str(r, "doel", e->purpose);
    page_set_str(r, "vertrouwelijkheid", e->confidentiality);
    json_array_append_new(l->rows, r);
    log_shown(l, e->bsn);
    return 0;
}

/* The period as typed (van, tot en met) and where the page continues. */
struct pl_query {
    char from[16], to[16], after[24];
};

/* The period's days into *from and *to (tot en met → the app's end, not included);
 * faults into errs under the fields' names. */
static void period(struct api_ctx *c, struct pl_query *q, lks_date *from, lks_date *to,
                   int64_t *after, struct lks_errlist *errs)
{
    lks_date today = c->t->app.today;
    struct lks_err e = {0};
    if (!q->to[0])
        date_fmt(q->to, today);
    if (!q->from[0])
        date_fmt(q->from, date_add_days(today, -(PL_DEFAULT_DAYS - 1)));
    *from = *to = LKS_NO_DATE;
    if (date_parse(from, q->from, "van", &e)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "van", "not-a-date",
                    "vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2026-01-05");
        *from = LKS_NO_DATE;
    }
    if (date_parse(to, q->to, "tot", &e)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "tot", "not-a-date",
                    "vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2026-01-12");
        *to = LKS_NO_DATE;
    } else {
        *to = date_add_days(*to, 1);
    }
    *after = 0;
    if (q->after[0]) {
        char *end;
        long long v = strtoll(q->after, &end, 10);
        if (*end || v < 0)
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "na", "not-an-integer",
                        "de volgende pagina begint na een onbekende verwerking");
        else
            *after = v;
    }
}

/* The page for a query; bsn (as typed) NULL for the whole log. */
static void render(struct api_ctx *c, struct pl_query *q, const char *bsn)
{
    struct lks_errlist errs = {0};
    struct app_plog_query aq = {.limit = PL_PAGE_SIZE + 1, .newest_first = true, .bsn = bsn};
    period(c, q, &aq.from, &aq.to, &aq.after_id, &errs);
    json_t *d = json_object();
    struct pl_rows *l = calloc(1, sizeof *l);
    if (!l) {
        json_decref(d);
        page_error(c, 503, "Verwerkingen", "Er is onvoldoende geheugen; probeer het opnieuw.");
        return;
    }
    l->c = c;
    l->rows = json_array();
    char searched[10] = "";
    struct lks_err e = {0};
    if (errs.n == 0) {
        int rc = app_plog_read(&c->t->app, c->api->cfg.plog, &c->who, &aq, searched, row_cb, l, &e);
        if (rc < 0 && e.code == LKS_EINVAL) {
            const char *f = e.field;
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL,
                        strcmp(f, "bsn") == 0  ? "bsn"
                        : strcmp(f, "na") == 0 ? "na"
                                               : "tot",
                        e.reason, "%s", strcmp(f, "tot") == 0 ? "moet op of na van liggen" : e.msg);
        } else if (rc < 0) {
            json_decref(l->rows);
            free(l);
            json_decref(d);
            page_error(c, rc == LKS_EFORBIDDEN ? 403 : 503, "Verwerkingen",
                       rc == LKS_EFORBIDDEN ? "Uw rol geeft geen toegang tot de verwerkingen."
                                            : "De verwerkingen zijn nu niet te lezen.");
            return;
        }
    }
    if (errs.n) {
        json_array_clear(l->rows);
        l->n = 0;
        l->more = false;
        json_object_set_new(d, "fouten", page_errors(&errs));
    } else if (searched[0]) {
        api_log(c, PLOG_SEARCH, searched, "verwerkingen/zoeken");
    }
    json_object_set_new(d, "rijen", l->rows);
    page_set_int(d, "aantal", l->n);
    page_set_str(d, "van", q->from);
    page_set_str(d, "tot", q->to);
    page_set_bool(d, "opBsn", bsn != NULL);
    if (bsn)
        page_set_str(d, "bsn", bsn);
    if (l->more) {
        char next[24];
        snprintf(next, sizeof next, "%lld", (long long)l->last_id);
        page_set_str(d, "volgende", next);
    }
    page_set_bool(d, "vervolg", q->after[0] != '\0');
    free(l);
    page_render(c, errs.n ? 400 : 200, "Verwerkingen", "/verwerkingen", "verwerkingen", d);
}

void p_plog(struct api_ctx *c)
{
    struct pl_query q;
    memset(&q, 0, sizeof q);
    http_req_query(c->req, "van", q.from, sizeof q.from);
    http_req_query(c->req, "tot", q.to, sizeof q.to);
    http_req_query(c->req, "na", q.after, sizeof q.after);
    render(c, &q, NULL);
}

/* The entries about one person: the BSN only in the POSTed form, the result rendered at
 * once (never a redirect to a URL with it). */
void p_plog_bsn(struct api_ctx *c)
{
    struct pl_query q;
    memset(&q, 0, sizeof q);
    const char *v;
    if ((v = form_get(&c->form, "van")))
        snprintf(q.from, sizeof q.from, "%s", v);
    if ((v = form_get(&c->form, "tot")))
        snprintf(q.to, sizeof q.to, "%s", v);
    if ((v = form_get(&c->form, "na")))
        snprintf(q.after, sizeof q.after, "%s", v);
    const char *bsn = form_get(&c->form, "bsn");
    render(c, &q, bsn ? bsn : "");
}

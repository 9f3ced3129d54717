/*
 * h_personen — persons as master data of their own: the search by BSN (with POST, so a
 * BSN never appears in a URL), one person with its cases and the commands the caller
 * may give, its history, and a klantmanager's change. Every read and change is logged
 * with the person's BSN; only the municipality's own staff reach persons (the app's
 * APP_CAP_MUNICIPAL), never an employer.
 */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "codec/case_json.h"

static void person_url(struct jw *w, int64_t id)
{
    char href[64];
    snprintf(href, sizeof href, "/api/v1/personen/%lld", (long long)id);
    jw_kstr(w, "url", href);
}

static int person_case_cb(void *arg, int64_t id, enum case_status st)
{
    struct jw *w = arg;
    jw_obj_open(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "status", case_status_name(st));
    char href[64];
    snprintf(href, sizeof href, "/api/v1/zaken/%lld", (long long)id);
    jw_kstr(w, "url", href);
    jw_obj_close(w);
    return 0;
}

/* Search by BSN with POST: a BSN never appears in a URL. */
void h_person_search(struct api_ctx *c)
{
    json_t *bsn = json_object_get(c->body, "bsn");
    struct lks_errlist errs = {0};
    const char *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        if (strcmp(key, "bsn"))
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, key, "unknown-field", "onbekend veld");
    }
    if (!json_is_string(bsn))
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "bsn", "required", "is verplicht (tekst)");
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct person p;
    struct lks_err e = {0};
    char searched[10];
    /* a search is logged with the BSN that was asked for, in its normal form; a term that
     * is no BSN is refused before anything is searched or logged */
    int rc = app_person_find(&c->t->app, &c->who, json_string_value(bsn), &p, searched, &e);
    if (rc && rc != LKS_ENOTFOUND) {
        api_fail(c, &e);
        return;
    }
    jw_obj_open(&c->w);
    jw_key(&c->w, "resultaten");
    jw_arr_open(&c->w);
    api_log(c, PLOG_SEARCH, searched, "personen/zoeken");
    if (rc == 0) {
        jw_obj_open(&c->w);
        jw_kint(&c->w, "id", p.id);
        jw_kstr(&c->w, "bsn", p.bsn);
        jw_kstr(&c->w, "naam", p.name);
        person_url(&c->w, p.id);
        jw_key(&c->w, "zaken");
        jw_arr_open(&c->w);
        if (app_person_cases(&c->t->app, &c->who, p.id, person_case_cb, &c->w, &e)) {
            api_fail(c, &e);
            return;
        }
        jw_arr_close(&c->w);
        jw_obj_close(&c->w);
    }
    jw_arr_close(&c->w);
    jw_obj_close(&c->w);
    api_json(c, 200);
}


/* The record with its cases and what the caller may do with it now. */
static void answer_person(struct api_ctx *c, const struct person *p, uint32_t commands)
{
    static const char *const paths[PER_EV_COUNT] = {[PER_GEWIJZIGD] = "wijzigingen"};
    struct lks_err e = {0};
    jw_obj_open(&c->w);
    jw_key(&c->w, "persoon");
    codec_person(&c->w, p);
    jw_key(&c->w, "zaken");
    jw_arr_open(&c->w);
    if (app_person_cases(&c->t->app, &c->who, p->id, person_case_cb, &c->w, &e)) {
        api_fail(c, &e);
        return;
    }
    jw_arr_close(&c->w);
    jw_key(&c->w, "mogelijkeOpdrachten");
    jw_arr_open(&c->w);
    for (int t = 0; t < PER_EV_COUNT; t++) {
        if (!(commands & (1u << t)) || !paths[t])
            continue;
        char href[96];
        snprintf(href, sizeof href, "/api/v1/personen/%lld/%s", (long long)p->id, paths[t]);
        jw_obj_open(&c->w);
        jw_kstr(&c->w, "soort", per_ev_name((enum per_ev_type)t));
        jw_kstr(&c->w, "url", href);
        jw_obj_close(&c->w);
    }
    jw_arr_close(&c->w);
    jw_obj_close(&c->w);
    api_json(c, 200);
}

static void log_person(struct api_ctx *c, int action, const struct person *p, const char *part)
{
    char obj[64];
    snprintf(obj, sizeof obj, "persoon/%lld%s%s", (long long)p->id, part ? "/" : "",
             part ? part : "");
    api_log(c, action, p->bsn, obj);
}

void h_person(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct person p;
    uint32_t commands = 0;
    struct lks_err err = {0};
    if (app_person(&c->t->app, &c->who, id, &p, &commands, &err)) {
        api_fail(c, &err);
        return;
    }
    log_person(c, PLOG_READ, &p, NULL);
    answer_person(c, &p, commands);
}


/* The record's history: who changed what and when, oldest first. */
void h_person_events(struct api_ctx *c)
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
    struct api_list l = {&c->w, &page};
    struct person p;
    api_page_open(c);
    if (app_person_events(&c->t->app, &c->who, id, api_record_event_cb, &l, &p, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    log_person(c, PLOG_READ, &p, "gebeurtenissen");
    api_page_answer(c, &page, NULL);
}

/* A klantmanager's change: {"datum"?, "gegevens": {…only what changes}}. */
void h_person_command(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct person p;
    struct lks_errlist errs = {0};
    if (app_person_command_json(&c->t->app, &c->who, id, (enum per_ev_type)c->route->ev, c->body,
                                &p, &errs)) {
        api_fail_list(c, &errs);
        return;
    }
    uint32_t commands = 0;
    struct lks_err err = {0};
    if (app_person(&c->t->app, &c->who, id, &p, &commands, &err)) {
        api_fail(c, &err);
        return;
    }
    answer_person(c, &p, commands); /* the change was logged with its commit */
}

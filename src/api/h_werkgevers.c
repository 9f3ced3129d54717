/*
 * h_werkgevers — employers as master data of their own: the list, one employer with
 * the IBAN change that waits and the commands the caller may give, its history, and
 * its commands (registration, a change, an IBAN proposal and its confirmation or
 * refusal by a financieel who did not propose it). Scope and roles are the app's: an
 * employer user reaches only its own record.
 */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "codec/case_json.h"

struct employer_list {
    struct jw *w;
    struct api_page *page;
};

static int employer_cb(void *arg, const struct employer *e)
{
    struct employer_list *l = arg;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    struct jw *j = l->w;
    jw_obj_open(j);
    jw_kint(j, "id", e->id);
    jw_kstr(j, "kvk", e->kvk);
    jw_kstr(j, "naam", e->name);
    jw_kstr(j, "plaats", e->city);
    jw_kint(j, "aantalWerknemers", e->employees);
    jw_kbool(j, "ibanWachtOpBevestiging", e->iban_proposed[0] != '\0');
    char href[64];
    snprintf(href, sizeof href, "/api/v1/werkgevers/%s", e->kvk);
    jw_kstr(j, "url", href);
    jw_obj_close(j);
    return 0;
}

/* The employers of the municipality by id (an employer: only itself). */
void h_employers(struct api_ctx *c)
{
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct lks_err e = {0};
    struct employer_list l = {&c->w, &page};
    api_page_open(c);
    if (app_employer_list(&c->t->app, &c->who, employer_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, NULL);
}

/* The record with what the caller may do with it now (each command with its url). */
static void answer_employer(struct api_ctx *c, const struct employer *e, uint32_t commands,
                            int status)
{
    static const char *const paths[EMP_EV_COUNT] = {
        [EMP_GEWIJZIGD] = "wijzigingen",
        [EMP_IBAN_VOORGESTELD] = "iban-voorstellen",
        [EMP_IBAN_BEVESTIGD] = "iban-bevestigingen",
        [EMP_IBAN_AFGEWEZEN] = "iban-afwijzingen",
    };
    jw_obj_open(&c->w);
    jw_key(&c->w, "werkgever");
    codec_employer(&c->w, e);
    jw_key(&c->w, "mogelijkeOpdrachten");
    jw_arr_open(&c->w);
    for (int t = 0; t < EMP_EV_COUNT; t++) {
        if (!(commands & (1u << t)) || !paths[t])
            continue;
        char href[96];
        snprintf(href, sizeof href, "/api/v1/werkgevers/%s/%s", e->kvk, paths[t]);
        jw_obj_open(&c->w);
        jw_kstr(&c->w, "soort", emp_ev_name((enum emp_ev_type)t));
        jw_kstr(&c->w, "url", href);
        jw_obj_close(&c->w);
    }
    jw_arr_close(&c->w);
    jw_obj_close(&c->w);
    if (status == 201 || status == 200) {
        char loc[64];
        snprintf(loc, sizeof loc, "/api/v1/werkgevers/%s", e->kvk);
        http_resp_header(c->resp, "Location", loc);
    }
    api_json(c, status);
}

void h_employer(struct api_ctx *c)
{
    struct employer e;
    uint32_t commands = 0;
    struct lks_err err = {0};
    if (app_employer(&c->t->app, &c->who, c->param[0], &e, &commands, &err)) {
        api_fail(c, &err);
        return;
    }
    answer_employer(c, &e, commands, 200);
}

int api_record_event_cb(void *arg, const struct stored_record_event *ev)
{
    struct api_list *l = arg;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    return app_record_event_json(l->w, ev);
}

/* The record's history: who changed what and when, oldest first. */
void h_employer_events(struct api_ctx *c)
{
    struct lks_errlist errs = {0};
    struct api_page page;
    api_page_parse(c, &page, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct lks_err e = {0};
    struct api_list l = {&c->w, &page};
    api_page_open(c);
    if (app_employer_events(&c->t->app, &c->who, c->param[0], api_record_event_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, NULL);
}

static void give(struct api_ctx *c, const char *kvk, enum emp_ev_type type, int status)
{
    struct employer e;
    struct lks_errlist errs = {0};
    if (app_employer_command_json(&c->t->app, &c->who, kvk, type, c->body, &e, &errs)) {
        api_fail_list(c, &errs);
        return;
    }
    uint32_t commands = 0;
    struct lks_err err = {0};
    if (app_employer(&c->t->app, &c->who, e.kvk, &e, &commands, &err)) {
        api_fail(c, &err);
        return;
    }
    answer_employer(c, &e, commands, status);
}

/* Register an employer: {"gegevens": {"kvk", "naam", …, "iban"?}}; an IBAN given becomes
 * a proposal for a financieel to confirm. */
void h_employer_new(struct api_ctx *c)
{
    json_t *kvk = json_object_get(json_object_get(c->body, "gegevens"), "kvk");
    if (!json_is_string(kvk)) {
        struct lks_errlist l = {0};
        lks_err_set(lks_errlist_add(&l), LKS_EINVAL, "gegevens.kvk", "required",
                    "is verplicht (tekst)");
        api_fail_list(c, &l);
        return;
    }
    give(c, json_string_value(kvk), EMP_GEREGISTREERD, 201);
}

void h_employer_command(struct api_ctx *c)
{
    give(c, c->param[0], (enum emp_ev_type)c->route->ev, 200);
}

/*
 * app_view — what an actor reads through the app layer: the case view (the case,
 * its stored deadlines, the month's amount, the commands the actor may give now),
 * the events and the lists, each in the actor's scope. See app.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/internal.h"
#include "store/store_auth.h"
#include "base/ids.h"
#include "codec/case_json.h"
#include "codec/rules_json.h"

int app_case_not_found(struct lks_err *err, int64_t id)
{
    return lks_err_set(err, LKS_ENOTFOUND, "zaak", "not-found", "zaak %lld bestaat niet",
                       (long long)id);
}

/* The case into a->cs for an actor who may read it; `tenant` is where it is. */
static int load_case(struct app *a, const struct app_actor *who, int64_t id, char *tenant,
                     struct lks_err *err)
{
    int rc;
    a->cached_id = 0;
    if (who) {
        if ((rc = app_actor_check(who, err)) || (rc = app_refuse_cap(who, APP_CAP_CASES, err)))
            return rc;
        snprintf(tenant, CASE_ID, "%s", who->tenant);
    } else if ((rc = store_case_tenant(a->store, id, tenant, err))) {
        return rc;
    }
    if ((rc = store_case_get(a->store, tenant, id, a->cs, err)))
        return rc;
    if (!app_in_scope(who, a->cs->employer.kvk))
        return app_case_not_found(err, id);
    return 0;
}

static lks_date month_of(lks_date d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(y, m, 1);
}

int app_view(struct app *a, const struct app_actor *who, int64_t id, lks_date on,
             struct app_view *v, struct lks_err *err)
{
    char tenant[CASE_ID];
    int rc = load_case(a, who, id, tenant, err);
    if (rc)
        return rc;
    const struct case_state *cs = a->cs;
    v->cs = cs;
    if ((rc = store_case_deadlines(a->store, tenant, id, v->dl, CASE_MAX_DEADLINES, &v->ndl,
                                   err)))
        return rc;
    v->on = on == LKS_NO_DATE ? a->today : on;
    v->month = month_of(v->on);
    v->has_amount = false;
    lks_err_clear(&v->no_amount);
    if (cs->ndecisions) {
        struct case_ctx ctx = {a->rules, NULL, a->today, LKS_NO_DATE, NULL, NULL};
        struct lks_err e = {0};
        if (case_month_amount(&ctx, cs, v->month, &v->amount, &e) == 0)
            v->has_amount = true;
        else if (strcmp(e.reason, "not-granted") != 0)
            v->no_amount = e;
    }
    v->role = who ? (int)who->role : -1;
    for (int r = 0; r < ROLE_COUNT; r++) {
        struct app_actor as = {tenant, "", (enum role)r, cs->employer.kvk};
        bool asked = !who || (int)who->role == r;
        v->commands[r] = asked && app_may(&as, APP_CAP_COMMANDS) ? case_commands(cs, (enum role)r)
                                                                 : 0;
    }
    return 0;
}

static void commands_json(struct jw *w, uint32_t mask)
{
    jw_arr_open(w);
    for (int t = 0; t < EV_COUNT; t++)
        if (mask & (1u << t))
            jw_str(w, ev_type_name((enum ev_type)t));
    jw_arr_close(w);
}

void app_view_json(struct jw *w, const struct app_view *v)
{
    app_view_json_open(w, v);
    jw_obj_close(w);
}

void app_view_json_open(struct jw *w, const struct app_view *v)
{
    codec_case_open(w, v->cs, v->dl, v->ndl, v->on);
    jw_key(w, "huidigeLoonkostensubsidie");
    if (v->has_amount)
        codec_lks(w, &v->amount);
    else
        jw_null(w);
    if (!v->has_amount && v->no_amount.code)
        jw_kstr(w, "loonkostensubsidieMelding", v->no_amount.msg);
    jw_key(w, "mogelijkeOpdrachten");
    if (v->role >= 0 && v->role < ROLE_COUNT) {
        commands_json(w, v->commands[v->role]);
    } else {
        jw_obj_open(w);
        for (int r = 0; r < ROLE_COUNT; r++)
            if (v->commands[r]) {
                jw_key(w, role_name((enum role)r));
                commands_json(w, v->commands[r]);
            }
        jw_obj_close(w);
    }
}

void app_notes_json(struct jw *w, const struct app *a)
{
    if (a->nnotes == 0)
        return;
    jw_key(w, "meldingen");
    jw_arr_open(w);
    for (int i = 0; i < a->nnotes; i++)
        jw_str(w, a->notes[i]);
    jw_arr_close(w);
}

/* ---- events ---- */

void app_event_head(struct jw *w, int64_t seq, const char *type, lks_date date, int64_t at,
                    const char *actor, const char *role)
{
    jw_kint(w, "volgnummer", seq);
    jw_kstr(w, "soort", type);
    jw_kdate(w, "datum", date);
    char buf[32];
    time_t t = (time_t)at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    jw_kstr(w, "geregistreerd", buf);
    jw_kstr(w, "actor", actor);
    jw_kstr(w, "rol", role);
}

void app_event_body(struct jw *w, const char *data)
{
    jw_key(w, "gegevens");
    json_error_t je;
    json_t *d = json_loads(data, 0, &je);
    if (json_is_object(d))
        jw_json(w, data, strlen(data));
    else
        jw_null(w);
    json_decref(d);
}

int app_event_json(void *arg, const struct stored_event *ev)
{
    struct jw *w = arg;
    jw_obj_open(w);
    app_event_head(w, ev->seq, ev->type, ev->date, ev->at, ev->actor, ev->role);
    app_event_body(w, ev->data);
    jw_obj_close(w);
    return 0;
}

int app_case_events(struct app *a, const struct app_actor *who, int64_t id,
                    int (*cb)(void *arg, const struct stored_event *e), void *arg,
                    struct lks_err *err)
{
    char tenant[CASE_ID];
    int rc = load_case(a, who, id, tenant, err);
    if (rc)
        return rc;
    return store_case_events(a->store, tenant, id, cb, arg, err);
}

/* ---- lists ---- */

int app_case_list(struct app *a, const struct app_actor *who, const struct case_filter *f,
                  int (*cb)(void *arg, const struct case_summary *c), void *arg,
                  struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_CASES, err)))
        return rc;
    struct case_filter own = *f;
    if (who->role == ROLE_WERKGEVER) {
        /* an employer's list holds its own company's cases, whatever was asked */
        struct employer e;
        rc = store_employer_by_kvk(a->store, who->tenant, who->kvk, &e, err);
        if (rc == LKS_ENOTFOUND)
            return 0; /* no cases yet */
        if (rc)
            return rc;
        own.employer_id = e.id;
    }
    return store_case_list(a->store, who->tenant, &own, cb, arg, err);
}

struct task_pass {
    struct app *a;
    int (*cb)(void *arg, const struct app_task *t);
    void *arg;
};

static int task_cb(void *arg, const struct worklist_row *r)
{
    struct task_pass *tp = arg;
    struct app_task t = {.c = &r->c, .total = r->total};
    if (r->c.next_due != LKS_NO_DATE) {
        struct case_deadline d = {r->next_kind, LKS_NO_DATE, r->c.next_due, LKS_NO_DATE, -1};
        t.has_deadline = true;
        t.kind = r->next_kind;
        t.due = r->c.next_due;
        t.days_left = (int)(r->c.next_due - tp->a->today);
        t.what = dl_kind_text(r->next_kind);
        t.basis = dl_kind_basis(r->next_kind);
        t.state = dl_state(&d, tp->a->today);
    }
    return tp->cb(tp->arg, &t);
}

int app_worklist(struct app *a, const struct app_actor *who, const struct worklist_filter *f,
                 int (*cb)(void *arg, const struct app_task *t), void *arg,
                 struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_CASES, err)))
        return rc;
    struct worklist_filter own = *f;
    if (who->role == ROLE_WERKGEVER)
        own.employer_kvk = who->kvk; /* its own company's cases, whatever was asked */
    struct task_pass tp = {a, cb, arg};
    return store_worklist(a->store, who->tenant, &own, task_cb, &tp, err);
}

struct worker_pass {
    int (*cb)(void *arg, const char *name, const char *display);
    void *arg;
};

static int worker_cb(void *arg, const struct auth_user *u)
{
    struct worker_pass *wp = arg;
    if (u->role != ROLE_KLANTMANAGER || !u->active)
        return 0;
    return wp->cb(wp->arg, u->name, u->display);
}

int app_case_workers(struct app *a, const struct app_actor *who,
                     int (*cb)(void *arg, const char *name, const char *display), void *arg,
                     struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_MUNICIPAL, err)))
        return rc;
    struct worker_pass wp = {cb, arg};
    return store_user_list(a->store, who->tenant, worker_cb, &wp, err);
}

int app_deadlines_open(struct app *a, const struct app_actor *who, lks_date on,
                       int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                       struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_MUNICIPAL, err)))
        return rc;
    return store_deadlines_open(a->store, who->tenant, on, cb, arg, err);
}

int app_person_find(struct app *a, const struct app_actor *who, const char *bsn,
                    struct person *out, char searched[10], struct lks_err *err)
{
    searched[0] = '\0';
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_MUNICIPAL, err)))
        return rc;
    if ((rc = app_bsn_check(bsn, searched, err)))
        return rc;
    return store_person_by_bsn(a->store, who->tenant, searched, out, err);
}

int app_person_cases(struct app *a, const struct app_actor *who, int64_t person_id,
                     int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                     struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_MUNICIPAL, err)))
        return rc;
    return store_person_cases(a->store, who->tenant, person_id, cb, arg, err);
}

int app_operator_deadlines(struct app *a, const char *tenant, lks_date on,
                           int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                           struct lks_err *err)
{
    return store_deadlines_open(a->store, tenant, on, cb, arg, err);
}

int app_case_tenant(struct app *a, int64_t id, char tenant[CASE_ID], struct lks_err *err)
{
    return store_case_tenant(a->store, id, tenant, err);
}

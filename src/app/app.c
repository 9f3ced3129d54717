/* app — see app.h. */
#include "app/app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/cal.h"
#include "base/jw.h"
#include "codec/case_json.h"

int app_init(struct app *a, struct store *s, const struct rules *r, lks_date today,
             struct lks_err *err)
{
    memset(a, 0, sizeof *a);
    a->store = s;
    a->rules = r;
    a->today = today;
    a->cs = malloc(sizeof *a->cs);
    if (!a->cs) {
        app_free(a);
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    }
    return 0;
}

void app_free(struct app *a)
{
    free(a->cs);
    a->cs = NULL;
}

static int apply_in_tx(struct app *a, const struct app_actor *who, int64_t case_id,
                       struct case_event *ev, int64_t *out_id, struct lks_err *err)
{
    int rc;
    struct case_state *cs = a->cs;
    if (case_id == 0) {
        if (ev->type != EV_AANVRAAG_INGEDIEND)
            return lks_err_set(err, LKS_ESTATE, "soort", "no-case",
                               "een nieuwe zaak begint met een aanvraag");
        int64_t id;
        if ((rc = store_case_new_id(a->store, &id, err)))
            return rc;
        case_init(cs, who->tenant, id);
        /* the same person and employer keep their records */
        struct person p;
        struct employer w;
        struct lks_err e2;
        if (store_person_by_bsn(a->store, who->tenant, ev->d.aanvraag.person.bsn, &p, &e2) == 0)
            cs->person.id = p.id;
        if (store_employer_by_kvk(a->store, who->tenant, ev->d.aanvraag.employer.kvk, &w,
                                  &e2) == 0)
            cs->employer.id = w.id;
    } else if (a->cached_id == case_id && strcmp(a->cached_tenant, who->tenant) == 0) {
        /* inside one transaction the state in memory is what was just stored */
    } else if ((rc = store_case_get(a->store, who->tenant, case_id, cs, err))) {
        return rc;
    }
    a->cached_id = 0;
    struct policy pol;
    if ((rc = store_policy_at(a->store, who->tenant, ev->date, &pol, err)))
        return rc;
    struct case_ctx ctx = {a->rules, &pol, a->today, LKS_NO_DATE};
    if (ev->type == EV_TOEGANGSTOETS_UITGEVOERD && cs->person.id &&
        (rc = store_person_last_test(a->store, who->tenant, cs->person.id, cs->id,
                                     &ctx.person_last_test, err)))
        return rc;
    snprintf(ev->actor, sizeof ev->actor, "%s", who->user);
    ev->role = who->role;
    ev->at = (int64_t)time(NULL);
    if ((rc = case_decide(&ctx, cs, ev, err)))
        return rc;
    enum case_status status0 = cs->status;
    char worker0[CASE_ID];
    memcpy(worker0, cs->case_worker, sizeof worker0);
    case_apply(cs, ev);
    ev->seq = cs->version;
    unsigned parts = case_event_parts(ev->type);
    if (cs->status != status0 || memcmp(worker0, cs->case_worker, sizeof worker0) != 0)
        parts |= PART_CASE_INDEXED;
    struct case_deadline dl[CASE_MAX_DEADLINES];
    int ndl = case_deadlines(cs, &pol, dl, CASE_MAX_DEADLINES);
    struct jw w;
    jw_init(&w, 1 << 20, false);
    codec_event_data(&w, ev);
    if (jw_failed(&w)) {
        jw_free(&w);
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    }
    rc = store_case_save(a->store, cs, ev, w.buf, parts, dl, ndl, err);
    jw_free(&w);
    if (rc == 0) {
        if (out_id)
            *out_id = cs->id;
        a->cached_id = cs->id;
        snprintf(a->cached_tenant, sizeof a->cached_tenant, "%s", who->tenant);
    }
    return rc;
}

int app_event(struct app *a, const struct app_actor *who, int64_t case_id, struct case_event *ev,
              int in_tx, int64_t *out_id, struct lks_err *err)
{
    if (in_tx)
        return apply_in_tx(a, who, case_id, ev, out_id, err);
    a->cached_id = 0; /* another process may have changed the case since */
    int rc = store_begin(a->store, err);
    if (rc)
        return rc;
    rc = apply_in_tx(a, who, case_id, ev, out_id, err);
    if (rc == 0)
        rc = store_commit(a->store, err);
    if (rc)
        store_rollback(a->store);
    a->cached_id = 0;
    return rc;
}

int app_command_json(struct app *a, const struct app_actor *who, int64_t case_id,
                     const json_t *cmd, int64_t *out_id, struct lks_errlist *errs)
{
    struct case_event *ev = calloc(1, sizeof *ev);
    if (!ev) {
        lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
        return LKS_ENOMEM;
    }
    int rc = 0;
    const char *key;
    json_t *v;
    if (!json_is_object(cmd)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "opdracht", "not-an-object",
                    "de opdracht moet een JSON-object zijn");
        free(ev);
        return LKS_EINVAL;
    }
    json_object_foreach((json_t *)cmd, key, v)
    {
        if (strcmp(key, "soort") && strcmp(key, "datum") && strcmp(key, "gegevens"))
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "unknown-field",
                        "onbekend veld (verwacht soort, datum en gegevens)");
    }
    json_t *type = json_object_get(cmd, "soort");
    int t = json_is_string(type) ? ev_type_parse(json_string_value(type)) : -1;
    if (t < 0)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "soort", "unknown",
                    "onbekende of ontbrekende soort opdracht (bijv. loonwaarde-vastgesteld)");
    json_t *date = json_object_get(cmd, "datum");
    ev->date = a->today;
    struct lks_err e;
    if (date && (!json_is_string(date) ||
                 date_parse(&ev->date, json_string_value(date), "datum", &e)))
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "datum", "not-a-date",
                    "moet een datum zijn in de vorm JJJJ-MM-DD");
    if (t >= 0) {
        ev->type = (enum ev_type)t;
        json_t *data = json_object_get(cmd, "gegevens");
        json_t *empty = data ? NULL : json_object();
        codec_event_data_parse(data ? data : empty, CODEC_COMMAND, ev, errs);
        json_decref(empty);
    }
    if (errs->n == 0) {
        rc = app_event(a, who, case_id, ev, 0, out_id, &e);
        if (rc)
            *lks_errlist_add(errs) = e;
    } else {
        rc = LKS_EINVAL;
    }
    free(ev);
    return rc;
}

void app_tx_end(struct app *a)
{
    a->cached_id = 0;
}

int app_case(struct app *a, const char *tenant, int64_t id, struct case_deadline *dl, int *ndl,
             struct lks_err *err)
{
    a->cached_id = 0;
    int rc = store_case_get(a->store, tenant, id, a->cs, err);
    if (rc)
        return rc;
    struct policy pol;
    if ((rc = store_policy_at(a->store, tenant, a->today, &pol, err)))
        return rc;
    *ndl = case_deadlines(a->cs, &pol, dl, CASE_MAX_DEADLINES);
    return 0;
}

struct rebuild {
    struct case_state *cs;
    struct case_event *ev;
    int64_t n;
    struct lks_err *err;
};

static int rebuild_cb(void *arg, const struct stored_event *se)
{
    struct rebuild *rb = arg;
    int t = ev_type_parse(se->type);
    int r = role_parse(se->role);
    json_error_t je;
    json_t *data = json_loads(se->data, 0, &je);
    if (t < 0 || r < 0 || !data) {
        json_decref(data);
        lks_err_set(rb->err, LKS_EINVAL, "gebeurtenis", "unreadable",
                    "gebeurtenis %lld van zaak %lld is onleesbaar", (long long)se->seq,
                    (long long)se->case_id);
        return -1;
    }
    memset(rb->ev, 0, sizeof *rb->ev);
    rb->ev->type = (enum ev_type)t;
    rb->ev->role = (enum role)r;
    rb->ev->seq = se->seq;
    rb->ev->at = se->at;
    rb->ev->date = se->date;
    snprintf(rb->ev->actor, sizeof rb->ev->actor, "%s", se->actor);
    struct lks_errlist errs = {0};
    int rc = codec_event_data_parse(data, CODEC_STORED, rb->ev, &errs);
    json_decref(data);
    if (rc) {
        lks_err_set(rb->err, LKS_EINVAL, errs.e[0].field, "unreadable",
                    "gebeurtenis %lld van zaak %lld: %s", (long long)se->seq,
                    (long long)se->case_id, errs.e[0].msg);
        return -1;
    }
    case_apply(rb->cs, rb->ev);
    rb->n++;
    return 0;
}

int app_rebuild(struct app *a, const char *tenant, int64_t id, struct case_state *out,
                struct lks_err *err)
{
    struct case_event *ev = malloc(sizeof *ev);
    if (!ev)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    case_init(out, tenant, id);
    struct rebuild rb = {out, ev, 0, err};
    int rc = store_case_events(a->store, tenant, id, rebuild_cb, &rb, err);
    free(ev);
    if (rc)
        return rc < 0 && err->code ? err->code : LKS_EINVAL;
    if (rb.n == 0)
        return lks_err_set(err, LKS_ENOTFOUND, "id", "not-found", "zaak %lld bestaat niet",
                           (long long)id);
    /* ids the store assigns are not part of the events */
    struct lks_err e2;
    if (store_case_get(a->store, tenant, id, a->cs, &e2) == 0) {
        out->person.id = a->cs->person.id;
        out->employer.id = a->cs->employer.id;
    }
    return 0;
}

/*
 * Compare a rebuilt case with the stored one through their JSON form (one
 * canonical rendering). Persons and employers are master data shared by all
 * cases of a tenant: the stored record holds the latest form of any case, so
 * only their identity (BSN, KvK) must match what this case's events say.
 */
static int same_case(struct case_state *x, const struct case_state *y)
{
    if (strcmp(x->person.bsn, y->person.bsn) || strcmp(x->employer.kvk, y->employer.kvk))
        return 0;
    x->person = y->person;
    x->employer = y->employer;
    struct jw w1, w2;
    jw_init(&w1, 1 << 24, false);
    jw_init(&w2, 1 << 24, false);
    codec_case(&w1, x, NULL, 0, 0);
    codec_case(&w2, y, NULL, 0, 0);
    int same = !jw_failed(&w1) && !jw_failed(&w2) && w1.len == w2.len &&
               memcmp(w1.buf, w2.buf, w1.len) == 0;
    jw_free(&w1);
    jw_free(&w2);
    return same;
}

struct verify {
    struct app *a;
    struct app_verify *v;
    struct case_state *rebuilt;
    struct lks_err *err;
};

static int verify_cb(void *arg, const char *tenant, int64_t id)
{
    struct verify *vf = arg;
    if (app_rebuild(vf->a, tenant, id, vf->rebuilt, vf->err))
        return -1;
    /* app_rebuild left the stored case in a->cs */
    vf->v->cases++;
    vf->v->events += vf->rebuilt->version;
    if (!same_case(vf->rebuilt, vf->a->cs)) {
        vf->v->mismatched++;
        if (!vf->v->first_bad)
            vf->v->first_bad = id;
    }
    /* statutory terms follow the Atw: their last day is a working day */
    struct policy pol;
    struct case_deadline dl[CASE_MAX_DEADLINES];
    if (store_policy_at(vf->a->store, tenant, vf->a->today, &pol, vf->err))
        return -1;
    int n = case_deadlines(vf->a->cs, &pol, dl, CASE_MAX_DEADLINES);
    for (int i = 0; i < n; i++) {
        enum dl_kind k = dl[i].kind;
        if (k != DL_BESLISTERMIJN && k != DL_INFORMATIE && k != DL_WETTELIJK &&
            k != DL_BEZWAARTERMIJN && k != DL_BEZWAAR_BESLISSING)
            continue;
        vf->v->deadlines++;
        if (!cal_is_workday(dl[i].due))
            vf->v->deadline_errors++;
    }
    return 0;
}

int app_verify(struct app *a, struct app_verify *out, struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    a->cached_id = 0;
    int rc = store_check(a->store, &out->integrity_ok, err);
    if (rc)
        return rc;
    struct verify vf = {a, out, malloc(sizeof(struct case_state)), err};
    if (!vf.rebuilt)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    rc = store_case_ids(a->store, NULL, verify_cb, &vf, err);
    free(vf.rebuilt);
    return rc ? (err->code ? err->code : LKS_EIO) : 0;
}

int app_event_json(void *arg, const struct stored_event *ev)
{
    struct jw *w = arg;
    jw_obj_open(w);
    jw_kint(w, "volgnummer", ev->seq);
    jw_kstr(w, "soort", ev->type);
    jw_kdate(w, "datum", ev->date);
    char at[32];
    time_t t = (time_t)ev->at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    jw_kstr(w, "geregistreerd", at);
    jw_kstr(w, "actor", ev->actor);
    jw_kstr(w, "rol", ev->role);
    jw_key(w, "gegevens");
    /* written by our own writer as one JSON object; checked before it is passed on */
    json_error_t je;
    json_t *data = json_loads(ev->data, 0, &je);
    if (json_is_object(data))
        jw_json(w, ev->data, strlen(ev->data));
    else
        jw_null(w);
    json_decref(data);
    jw_obj_close(w);
    return 0;
}

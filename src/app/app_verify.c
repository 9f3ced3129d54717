/*
 * app_verify — the checks of the whole store (`lks controleer`): every case rebuilt
 * from its events and compared with its read model, its stored deadlines computed
 * again, the statutory ones on working days, and every employer's and person's record
 * rebuilt from its events. Stored data is never trusted: an unreadable or misfitting event
 * or row is a problem reported with its case and number, and the check goes on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/internal.h"
#include "base/cal.h"
#include "codec/case_json.h"

int app_apply_stored(struct case_state *cs, struct case_event *ev, const struct stored_event *se,
                     struct lks_err *err)
{
    int t = ev_type_parse(se->type);
    int r = role_parse(se->role);
    json_error_t je;
    json_t *data = se->data ? json_loads(se->data, 0, &je) : NULL;
    if (t < 0 || r < 0 || !json_is_object(data)) {
        json_decref(data);
        return lks_err_set(err, LKS_EINVAL, "gebeurtenis", "unreadable",
                           "gebeurtenis %lld van zaak %lld is onleesbaar", (long long)se->seq,
                           (long long)se->case_id);
    }
    if (se->seq != cs->version + 1) {
        json_decref(data);
        return lks_err_set(err, LKS_EINVAL, "gebeurtenis", "out-of-sequence",
                           "gebeurtenis %lld van zaak %lld volgt niet op gebeurtenis %lld",
                           (long long)se->seq, (long long)se->case_id, (long long)cs->version);
    }
    memset(ev, 0, sizeof *ev);
    ev->type = (enum ev_type)t;
    ev->role = (enum role)r;
    ev->seq = se->seq;
    ev->at = se->at;
    ev->date = se->date;
    snprintf(ev->actor, sizeof ev->actor, "%s", se->actor ? se->actor : "");
    struct lks_errlist errs = {0};
    int rc = codec_event_data_parse(data, CODEC_STORED, ev, &errs);
    json_decref(data);
    if (rc)
        return lks_err_set(err, LKS_EINVAL, errs.e[0].field, "unreadable",
                           "gebeurtenis %lld van zaak %lld: %s: %s", (long long)se->seq,
                           (long long)se->case_id, errs.e[0].field, errs.e[0].msg);
    if (ev->type == EV_AANVRAAG_INGEDIEND ? cs->version != 0 : cs->version == 0)
        return lks_err_set(err, LKS_EINVAL, "gebeurtenis", "does-not-fit",
                           "gebeurtenis %lld van zaak %lld: een zaak begint met precies één "
                           "aanvraag",
                           (long long)se->seq, (long long)se->case_id);
    return case_apply(cs, ev, err);
}

struct rebuild {
    struct case_state *cs;
    struct case_event *ev;
    int64_t n;
    int64_t bad_seq;
    struct lks_err *err;
};

static int rebuild_cb(void *arg, const struct stored_event *se)
{
    struct rebuild *rb = arg;
    if (app_apply_stored(rb->cs, rb->ev, se, rb->err)) {
        rb->bad_seq = se->seq;
        return -1;
    }
    rb->n++;
    return 0;
}

static int rebuild(struct app *a, const char *tenant, int64_t id, struct case_state *out,
                   int64_t *bad_seq, struct lks_err *err)
{
    struct case_event *ev = malloc(sizeof *ev);
    if (!ev)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    case_init(out, tenant, id);
    struct rebuild rb = {out, ev, 0, 0, err};
    int rc = store_case_events(a->store, tenant, id, rebuild_cb, &rb, err);
    free(ev);
    if (bad_seq)
        *bad_seq = rb.bad_seq;
    if (rc)
        return rc < 0 && err->code ? err->code : LKS_EINVAL;
    if (rb.n == 0)
        return app_case_not_found(err, id);
    return 0;
}

int app_rebuild(struct app *a, const char *tenant, int64_t id, struct case_state *out,
                struct lks_err *err)
{
    int rc = rebuild(a, tenant, id, out, NULL, err);
    if (rc)
        return rc;
    /* ids the store assigns are not part of the events */
    struct lks_err e2;
    a->cached_id = 0;
    if (store_case_get(a->store, tenant, id, a->cs, &e2) == 0) {
        out->person.id = a->cs->person.id;
        out->employer.id = a->cs->employer.id;
    }
    return 0;
}

/* Two renderings byte for byte (one canonical JSON form of each). */
static bool same_json(void (*render)(struct jw *, const void *), const void *x, const void *y)
{
    struct jw w1, w2;
    jw_init(&w1, 1 << 24, false);
    jw_init(&w2, 1 << 24, false);
    render(&w1, x);
    render(&w2, y);
    bool same = !jw_failed(&w1) && !jw_failed(&w2) && w1.len == w2.len &&
                memcmp(w1.buf, w2.buf, w1.len) == 0;
    jw_free(&w1);
    jw_free(&w2);
    return same;
}

static void render_case(struct jw *w, const void *cs)
{
    codec_case(w, cs, NULL, 0, 0);
}

static void render_employer(struct jw *w, const void *e)
{
    codec_employer(w, e);
}

/*
 * Compare a rebuilt case with the stored one. Persons and employers are master
 * data of their own (the stored case shows their current record), so of them only
 * the identity (BSN, KvK) must match what the case's events say.
 */
static bool same_case(struct case_state *x, const struct case_state *y)
{
    if (strcmp(x->person.bsn, y->person.bsn) || strcmp(x->employer.kvk, y->employer.kvk))
        return false;
    x->person = y->person;
    x->employer = y->employer;
    return same_json(render_case, x, y);
}

struct verify {
    struct app *a;
    struct app_verify *v;
    struct case_state *rebuilt;
    void *eev; /* room for one employer's or person's event */
    struct employer emp;
    struct person per;
    char tl_tenant[CASE_ID];
    struct lks_err *err;
    /* the municipalities seen, for the employers' check (cases may name a municipality
     * that the tenants table does not hold) */
    char (*tenants)[CASE_ID];
    int ntenants, cap;
};

#define VERIFY_TENANTS_MAX 100000

static void seen(struct verify *vf, const char *tenant)
{
    for (int i = vf->ntenants - 1; i >= 0; i--)
        if (strcmp(vf->tenants[i], tenant) == 0)
            return;
    if (vf->ntenants == vf->cap) {
        int cap = vf->cap ? 2 * vf->cap : 16;
        void *p = cap <= VERIFY_TENANTS_MAX ? realloc(vf->tenants, (size_t)cap * CASE_ID) : NULL;
        if (!p)
            return; /* checked below: every municipality must be there */
        vf->tenants = p;
        vf->cap = cap;
    }
    snprintf(vf->tenants[vf->ntenants++], CASE_ID, "%s", tenant);
}

static void problem(struct app_verify *v, const char *tenant, int64_t case_id, const char *kvk,
                    int64_t seq, const char *kind, const char *msg)
{
    v->problems++;
    if (v->nproblems >= APP_VERIFY_LISTED)
        return;
    struct app_problem *p = &v->problem[v->nproblems++];
    snprintf(p->tenant, sizeof p->tenant, "%s", tenant ? tenant : "");
    p->case_id = case_id;
    snprintf(p->kvk, sizeof p->kvk, "%s", kvk ? kvk : "");
    p->seq = seq;
    snprintf(p->kind, sizeof p->kind, "%s", kind);
    snprintf(p->msg, sizeof p->msg, "%s", msg);
}

static bool deadline_same(const struct case_deadline *x, const struct case_deadline *y)
{
    return x->kind == y->kind && x->start == y->start && x->due == y->due && x->done == y->done &&
           x->index == y->index;
}

static void check_deadlines(struct verify *vf, const char *tenant, int64_t id)
{
    struct app *a = vf->a;
    struct lks_err e = {0};
    if (strcmp(vf->tl_tenant, tenant) != 0) {
        vf->tl_tenant[0] = '\0';
        if (app_timeline(a, tenant, &e)) {
            problem(vf->v, tenant, id, NULL, 0, "beleid", e.msg);
            return;
        }
        snprintf(vf->tl_tenant, sizeof vf->tl_tenant, "%s", tenant);
    }
    struct case_deadline stored[CASE_MAX_DEADLINES], again[CASE_MAX_DEADLINES];
    int ns = 0;
    if (store_case_deadlines(a->store, tenant, id, stored, CASE_MAX_DEADLINES, &ns, &e)) {
        vf->v->unreadable++;
        problem(vf->v, tenant, id, NULL, 0, "termijn", e.msg);
        return;
    }
    int n = case_deadlines(a->cs, a->tl, again, CASE_MAX_DEADLINES);
    for (int i = 0; i < n || i < ns; i++) {
        if (i < n && i < ns && deadline_same(&stored[i], &again[i]))
            continue;
        vf->v->deadline_mismatches++;
        char msg[256], b1[DATE_FMT_MAX], b2[DATE_FMT_MAX];
        const struct case_deadline *d = i < ns ? &stored[i] : &again[i];
        if (i < ns && i < n)
            snprintf(msg, sizeof msg,
                     "termijn %d (%s): opgeslagen uiterlijk %s, opnieuw berekend %s", i + 1,
                     dl_kind_name(d->kind), stored[i].due == LKS_NO_DATE ? "-" : date_fmt(b1, stored[i].due),
                     again[i].due == LKS_NO_DATE ? "-" : date_fmt(b2, again[i].due));
        else
            snprintf(msg, sizeof msg, "termijn %d (%s): %s", i + 1, dl_kind_name(d->kind),
                     i < ns ? "opgeslagen maar niet opnieuw berekend"
                            : "berekend maar niet opgeslagen");
        problem(vf->v, tenant, id, NULL, 0, "termijn", msg);
        break; /* one line per case is enough to find it */
    }
    /* the case row's most urgent open deadline (the work list's order) is the rebuilt one */
    bool has = false;
    struct case_deadline row;
    if (store_case_next(a->store, tenant, id, &has, &row, &e)) {
        vf->v->unreadable++;
        problem(vf->v, tenant, id, NULL, 0, "termijn", e.msg);
    } else {
        const struct case_deadline *next = case_next_deadline(again, n);
        if (has != (next != NULL) || (next && (row.kind != next->kind || row.due != next->due))) {
            char msg[256], b1[DATE_FMT_MAX] = "-", b2[DATE_FMT_MAX] = "-";
            vf->v->next_mismatches++;
            if (has && row.due != LKS_NO_DATE)
                date_fmt(b1, row.due);
            if (next && next->due != LKS_NO_DATE)
                date_fmt(b2, next->due);
            snprintf(
                msg, sizeof msg,
                "eerstvolgende termijn op de zaak: opgeslagen %s (%s), opnieuw berekend %s (%s)",
                has ? dl_kind_name(row.kind) : "geen", b1, next ? dl_kind_name(next->kind) : "geen",
                b2);
            problem(vf->v, tenant, id, NULL, 0, "volgende-termijn", msg);
        }
    }
    /* statutory terms follow the Atw: their last day is a working day */
    for (int i = 0; i < ns; i++) {
        enum dl_kind k = stored[i].kind;
        if (k != DL_BESLISTERMIJN && k != DL_INFORMATIE && k != DL_WETTELIJK &&
            k != DL_BEZWAARTERMIJN && k != DL_BEZWAAR_BESLISSING)
            continue;
        vf->v->deadlines++;
        if (stored[i].due != LKS_NO_DATE && !cal_is_workday(stored[i].due))
            vf->v->deadline_errors++;
    }
}

static int verify_cb(void *arg, const char *tenant, int64_t id)
{
    struct verify *vf = arg;
    struct app *a = vf->a;
    struct lks_err e = {0};
    int64_t bad = 0;
    vf->v->cases++;
    seen(vf, tenant);
    if (rebuild(a, tenant, id, vf->rebuilt, &bad, &e)) {
        if (e.code == LKS_ENOMEM || e.code == LKS_EIO) {
            *vf->err = e;
            return e.code;
        }
        vf->v->unreadable++;
        problem(vf->v, tenant, id, NULL, bad, "gebeurtenis", e.msg);
        return 0;
    }
    vf->v->events += vf->rebuilt->version;
    a->cached_id = 0;
    if (store_case_get(a->store, tenant, id, a->cs, &e)) {
        vf->v->unreadable++;
        problem(vf->v, tenant, id, NULL, 0, "zaak", e.msg);
        return 0;
    }
    if (!same_case(vf->rebuilt, a->cs)) {
        vf->v->mismatched++;
        if (!vf->v->first_bad)
            vf->v->first_bad = id;
        problem(vf->v, tenant, id, NULL, 0, "herbouw",
                "de zaak die de gebeurtenissen geven wijkt af van de opgeslagen zaak");
    }
    check_deadlines(vf, tenant, id);
    return 0;
}

/* ---- employers' and persons' own records ---- */

/*
 * What differs between the two kinds of record: how an event's type reads, how one
 * stored event folds into the record, and how the record renders for the comparison.
 * A problem names an employer by its KvK number, a person by its record number only
 * (no BSN in the check's report).
 */
struct record_kind {
    const char *label; /* "werkgever", "persoon" */
    int (*parse_type)(const char *s);
    int (*fold)(void *rec, void *ev, int type, enum role role, const struct stored_record_event *se,
                const json_t *data, struct lks_err *err);
    int64_t (*version)(const void *rec);
    void (*render)(struct jw *w, const void *rec);
};

struct rec_rebuild {
    const struct record_kind *k;
    void *rec, *ev;
    int64_t bad_seq;
    struct lks_err *err;
};

static int rec_event_cb(void *arg, const struct stored_record_event *se)
{
    struct rec_rebuild *rb = arg;
    int t = rb->k->parse_type(se->type);
    int r = role_parse(se->role);
    json_error_t je;
    json_t *data = se->data ? json_loads(se->data, 0, &je) : NULL;
    rb->bad_seq = se->seq;
    int rc;
    if (t < 0 || r < 0 || !json_is_object(data) || se->seq != rb->k->version(rb->rec) + 1)
        rc = lks_err_set(rb->err, LKS_EINVAL, "gebeurtenis", "unreadable",
                         "gebeurtenis %lld van %s is onleesbaar of niet op volgorde",
                         (long long)se->seq, rb->k->label);
    else
        rc = rb->k->fold(rb->rec, rb->ev, t, (enum role)r, se, data, rb->err);
    json_decref(data);
    return rc;
}

static int parse_fault(struct lks_err *err, const char *label, int64_t seq,
                       const struct lks_errlist *errs)
{
    return lks_err_set(err, LKS_EINVAL, errs->e[0].field, "unreadable",
                       "gebeurtenis %lld van %s: %s: %s", (long long)seq, label, errs->e[0].field,
                       errs->e[0].msg);
}

static int emp_fold(void *rec, void *evp, int type, enum role role,
                    const struct stored_record_event *se, const json_t *data, struct lks_err *err)
{
    struct employer_event *ev = evp;
    memset(ev, 0, sizeof *ev);
    ev->type = (enum emp_ev_type)type;
    ev->role = role;
    ev->seq = se->seq;
    ev->date = se->date;
    snprintf(ev->actor, sizeof ev->actor, "%s", se->actor ? se->actor : "");
    ev->data.iban_proposed_on = LKS_NO_DATE;
    struct lks_errlist errs = {0};
    if (codec_employer_event_parse(data, CODEC_STORED, ev, &errs))
        return parse_fault(err, "de werkgever", se->seq, &errs);
    return employer_apply(rec, ev, err);
}

static int per_fold(void *rec, void *evp, int type, enum role role,
                    const struct stored_record_event *se, const json_t *data, struct lks_err *err)
{
    struct person_event *ev = evp;
    memset(ev, 0, sizeof *ev);
    ev->type = (enum per_ev_type)type;
    ev->role = role;
    ev->seq = se->seq;
    ev->date = se->date;
    ev->case_id = se->case_id;
    snprintf(ev->actor, sizeof ev->actor, "%s", se->actor ? se->actor : "");
    ev->data.birth = LKS_NO_DATE;
    ev->data.benefit_start = LKS_NO_DATE;
    struct lks_errlist errs = {0};
    if (codec_person_event_parse(data, CODEC_STORED, ev, &errs))
        return parse_fault(err, "de persoon", se->seq, &errs);
    return person_apply(rec, ev, err);
}

static int64_t emp_version(const void *rec)
{
    return ((const struct employer *)rec)->version;
}

static int64_t per_version(const void *rec)
{
    return ((const struct person *)rec)->version;
}

static void render_person(struct jw *w, const void *p)
{
    codec_person(w, p);
}

static const struct record_kind employer_kind = {"werkgever", emp_ev_parse, emp_fold, emp_version,
                                                 render_employer};
static const struct record_kind person_kind = {"persoon", per_ev_parse, per_fold, per_version,
                                               render_person};

struct rec_list {
    struct verify *vf;
    const char *tenant;
};

/* Rebuild one record from its events and compare it with the stored one. */
static int rec_check(struct rec_list *l, const struct record_kind *k, void *rec,
                     const void *stored, int64_t id, const char *kvk)
{
    struct verify *vf = l->vf;
    struct lks_err err = {0};
    struct rec_rebuild rb = {k, rec, vf->eev, 0, &err};
    char who[64] = "";
    if (!kvk)
        snprintf(who, sizeof who, "persoon %lld: ", (long long)id);
    int rc = k == &employer_kind
                 ? store_employer_events(vf->a->store, l->tenant, id, rec_event_cb, &rb, &err)
                 : store_person_events(vf->a->store, l->tenant, id, rec_event_cb, &rb, &err);
    char msg[sizeof err.msg + 64];
    if (rc) {
        if (err.code == LKS_ENOMEM || err.code == LKS_EIO) {
            *vf->err = err;
            return err.code;
        }
        vf->v->unreadable++;
        snprintf(msg, sizeof msg, "%s%s", who, err.msg);
        problem(vf->v, l->tenant, 0, kvk, rb.bad_seq, k->label, msg);
        return 0;
    }
    if (!same_json(k->render, rec, stored)) {
        if (kvk)
            vf->v->employer_mismatches++;
        else
            vf->v->person_mismatches++;
        snprintf(msg, sizeof msg, "%sde %s die de gebeurtenissen geven wijkt af van de opgeslagen",
                 who, k->label);
        problem(vf->v, l->tenant, 0, kvk, 0, k->label, msg);
    }
    return 0;
}

static int emp_cb(void *arg, const struct employer *stored)
{
    struct rec_list *l = arg;
    struct employer *e = &l->vf->emp;
    memset(e, 0, sizeof *e);
    e->id = stored->id;
    e->iban_proposed_on = LKS_NO_DATE;
    l->vf->v->employers++;
    return rec_check(l, &employer_kind, e, stored, stored->id, stored->kvk);
}

static int per_cb(void *arg, const struct person *stored)
{
    struct rec_list *l = arg;
    struct person *p = &l->vf->per;
    memset(p, 0, sizeof *p);
    p->id = stored->id;
    l->vf->v->persons++;
    return rec_check(l, &person_kind, p, stored, stored->id, NULL);
}

static int tenant_cb(void *arg, const struct tenant *t)
{
    seen(arg, t->code);
    return 0;
}

int app_verify(struct app *a, struct app_verify *out, struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    a->cached_id = 0;
    int rc = store_check(a->store, &out->integrity_ok, err);
    if (rc)
        return rc;
    size_t evsize = sizeof(struct employer_event) > sizeof(struct person_event)
                        ? sizeof(struct employer_event)
                        : sizeof(struct person_event);
    struct verify vf = {a,  out, malloc(sizeof(struct case_state)), malloc(evsize), {0}, {0},
                        "", err, NULL, 0, 0};
    if (!vf.rebuilt || !vf.eev) {
        free(vf.rebuilt);
        free(vf.eev);
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    }
    rc = store_case_ids(a->store, NULL, verify_cb, &vf, err);
    if (rc == 0)
        rc = store_tenant_list(a->store, tenant_cb, &vf, err);
    for (int i = 0; rc == 0 && i < vf.ntenants; i++) {
        struct rec_list l = {&vf, vf.tenants[i]};
        rc = store_employer_list(a->store, vf.tenants[i], emp_cb, &l, err);
        if (rc == 0)
            rc = store_person_list(a->store, vf.tenants[i], per_cb, &l, err);
    }
    free(vf.rebuilt);
    free(vf.eev);
    free(vf.tenants);
    a->cached_id = 0;
    return rc ? (err->code ? err->code : LKS_EIO) : 0;
}

/*
 * app_employer — the employers' own records through the app layer: reading them in
 * the actor's scope and their commands (case/employer.h), each one event with who
 * and when. See app.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/internal.h"
#include "codec/case_json.h"

int app_record_stamp(struct app *a, const struct app_actor *who, char actor[CASE_USER],
                     enum role *role, int64_t *at, lks_date *date, struct lks_err *err)
{
    snprintf(actor, CASE_USER, "%s", who->user);
    *role = who->role;
    *at = (int64_t)time(NULL);
    if (*date == LKS_NO_DATE || *date == 0)
        *date = a->today;
    if (a->today != LKS_NO_DATE && *date > a->today) {
        char b[DATE_FMT_MAX];
        return lks_err_set(err, LKS_EINVAL, "datum", "future", "de datum %s ligt in de toekomst",
                           date_fmt(b, *date));
    }
    return 0;
}

int app_employer_apply(struct app *a, const struct app_actor *who, struct employer *e,
                       struct employer_event *ev, struct lks_err *err)
{
    int rc = app_record_stamp(a, who, ev->actor, &ev->role, &ev->at, &ev->date, err);
    if (rc)
        return rc;
    rc = employer_decide(e, ev, err);
    if (rc)
        return rc;
    struct employer next = *e;
    if ((rc = employer_apply(&next, ev, err)))
        return rc;
    ev->seq = next.version;
    struct jw w;
    jw_init(&w, 1 << 16, false);
    codec_employer_event_data(&w, ev);
    if (jw_failed(&w)) {
        jw_free(&w);
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    }
    rc = store_employer_save(a->store, who->tenant, &next, ev, w.buf, err);
    jw_free(&w);
    if (rc == 0)
        *e = next;
    return rc;
}

/* The record of `kvk` within the actor's scope: another company's does not exist for
 * an employer. */
static int find(struct app *a, const struct app_actor *who, const char *kvk, struct employer *out,
                struct lks_err *err)
{
    if (!kvk || !app_in_scope(who, kvk))
        return app_not_found(err, "kvk", "deze werkgever");
    int rc = store_employer_by_kvk(a->store, who->tenant, kvk, out, err);
    if (rc == LKS_ENOTFOUND)
        return app_not_found(err, "kvk", "deze werkgever");
    return rc;
}

int app_employer(struct app *a, const struct app_actor *who, const char *kvk,
                 struct employer *out, uint32_t *commands, struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_EMPLOYERS, err)))
        return rc;
    if ((rc = find(a, who, kvk, out, err)))
        return rc;
    if (commands)
        *commands = app_may(who, APP_CAP_COMMANDS) ? employer_commands(out, who->role) : 0;
    return 0;
}

int app_employer_list(struct app *a, const struct app_actor *who,
                      int (*cb)(void *arg, const struct employer *e), void *arg,
                      struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_EMPLOYERS, err)))
        return rc;
    if (who->role == ROLE_WERKGEVER) {
        struct employer e;
        rc = store_employer_by_kvk(a->store, who->tenant, who->kvk, &e, err);
        if (rc == LKS_ENOTFOUND)
            return 0;
        return rc ? rc : cb(arg, &e);
    }
    return store_employer_list(a->store, who->tenant, cb, arg, err);
}

int app_employer_events(struct app *a, const struct app_actor *who, const char *kvk,
                        int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                        struct lks_err *err)
{
    struct employer e;
    int rc = app_employer(a, who, kvk, &e, NULL, err);
    if (rc)
        return rc;
    return store_employer_events(a->store, who->tenant, e.id, cb, arg, err);
}

static int employer_in_tx(struct app *a, const struct app_actor *who, const char *kvk,
                          struct employer_event *ev, struct employer *out, struct lks_err *err)
{
    struct employer e;
    int rc;
    a->nnotes = 0;
    if ((rc = app_actor_check(who, err)) || (rc = app_refuse_cap(who, APP_CAP_EMPLOYERS, err)))
        return rc;
    if (!app_may(who, APP_CAP_COMMANDS))
        return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                           "de rol %s wijzigt geen werkgevers", role_name(who->role));
    if (!kvk || !app_in_scope(who, kvk))
        return ev->type == EMP_GEREGISTREERD
                   ? lks_err_set(err, LKS_EFORBIDDEN, "kvk", "other-company",
                                 "een werkgever registreert alleen het eigen bedrijf")
                   : app_not_found(err, "kvk", "deze werkgever");
    rc = store_employer_by_kvk(a->store, who->tenant, kvk, &e, err);
    if (rc == LKS_ENOTFOUND && ev->type == EMP_GEREGISTREERD) {
        memset(&e, 0, sizeof e);
        rc = 0;
    } else if (rc == LKS_ENOTFOUND) {
        return app_not_found(err, "kvk", "deze werkgever");
    }
    if (rc)
        return rc;
    char iban[35] = "";
    if (ev->type == EMP_GEREGISTREERD) {
        snprintf(ev->data.kvk, sizeof ev->data.kvk, "%s", kvk);
        memcpy(iban, ev->data.iban, sizeof iban);
        iban[sizeof iban - 1] = '\0';
    }
    if ((rc = app_employer_apply(a, who, &e, ev, err)))
        return rc;
    if (iban[0]) {
        struct employer_event p = {.type = EMP_IBAN_VOORGESTELD, .date = ev->date};
        memcpy(p.iban, iban, sizeof p.iban);
        if ((rc = app_employer_apply(a, who, &e, &p, err)))
            return rc;
    }
    if (out)
        *out = e;
    return 0;
}

int app_employer_event(struct app *a, const struct app_actor *who, const char *kvk,
                       struct employer_event *ev, int in_tx, struct employer *out,
                       struct lks_err *err)
{
    if (in_tx)
        return employer_in_tx(a, who, kvk, ev, out, err);
    int rc = store_begin(a->store, err);
    if (rc)
        return rc;
    a->cached_id = 0;
    rc = employer_in_tx(a, who, kvk, ev, out, err);
    char obj[48];
    snprintf(obj, sizeof obj, "werkgever/%s", kvk);
    return app_finish(a, rc, obj, err);
}

int app_employer_command_json(struct app *a, const struct app_actor *who, const char *kvk,
                              enum emp_ev_type type, const json_t *cmd, struct employer *out,
                              struct lks_errlist *errs)
{
    if (!json_is_object(cmd)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "opdracht", "not-an-object",
                    "de opdracht moet een JSON-object zijn");
        return LKS_EINVAL;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)cmd, key, v)
    {
        if (strcmp(key, "datum") && strcmp(key, "gegevens"))
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "unknown-field",
                        "onbekend veld (verwacht datum en gegevens)");
    }
    struct employer_event *ev = calloc(1, sizeof *ev);
    if (!ev) {
        lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
        return LKS_ENOMEM;
    }
    ev->type = type;
    app_json_date(a, cmd, &ev->date, errs);
    struct lks_err e = {0};
    int rc = 0;
    if (type == EMP_GEWIJZIGD) {
        /* a change names only what changes: the rest stays as it is */
        struct employer cur;
        if ((rc = app_employer(a, who, kvk, &cur, NULL, &e)) == 0)
            ev->data = cur;
    }
    json_t *data = json_object_get(cmd, "gegevens");
    json_t *empty = data ? NULL : json_object();
    if (rc == 0)
        codec_employer_event_parse(data ? data : empty, CODEC_COMMAND, ev, errs);
    json_decref(empty);
    if (rc == 0 && errs->n == 0)
        rc = app_employer_event(a, who, kvk, ev, 0, out, &e);
    else if (rc == 0)
        rc = LKS_EINVAL;
    if (rc && e.code)
        *lks_errlist_add(errs) = e;
    free(ev);
    return rc;
}

int app_record_event_json(void *arg, const struct stored_record_event *ev)
{
    struct jw *w = arg;
    jw_obj_open(w);
    app_event_head(w, ev->seq, ev->type, ev->date, ev->at, ev->actor, ev->role);
    jw_key(w, "zaak");
    if (ev->case_id)
        jw_int(w, ev->case_id);
    else
        jw_null(w);
    app_event_body(w, ev->data);
    jw_obj_close(w);
    return 0;
}

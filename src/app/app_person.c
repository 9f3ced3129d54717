/*
 * app_person — the persons' own records through the app layer (case/person.h): reading
 * one, its history, and a klantmanager's change, each event with who and when. Reading a
 * person is a processing of personal data: the shells log it (docs/api.md). See app.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/internal.h"
#include "codec/case_json.h"

int app_person_apply(struct app *a, const struct app_actor *who, struct person *p,
                     struct person_event *ev, struct lks_err *err)
{
    int rc = app_record_stamp(a, who, ev->actor, &ev->role, &ev->at, &ev->date, err);
    if (rc)
        return rc;
    rc = person_decide(p, ev, err);
    if (rc)
        return rc;
    struct person next = *p;
    if ((rc = person_apply(&next, ev, err)))
        return rc;
    ev->seq = next.version;
    struct jw w;
    jw_init(&w, 1 << 16, false);
    codec_person_event_data(&w, ev);
    if (jw_failed(&w)) {
        jw_free(&w);
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    }
    rc = store_person_save(a->store, who->tenant, &next, ev, w.buf, err);
    jw_free(&w);
    if (rc == 0)
        *p = next;
    return rc;
}

int app_person(struct app *a, const struct app_actor *who, int64_t id, struct person *out,
               uint32_t *commands, struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_MUNICIPAL, err)))
        return rc;
    if ((rc = store_person_by_id(a->store, who->tenant, id, out, err)))
        return rc == LKS_ENOTFOUND ? app_not_found(err, "id", "deze persoon") : rc;
    if (commands)
        *commands = app_may(who, APP_CAP_COMMANDS) ? person_commands(out, who->role) : 0;
    return 0;
}

int app_person_events(struct app *a, const struct app_actor *who, int64_t id,
                      int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                      struct person *out, struct lks_err *err)
{
    int rc = app_person(a, who, id, out, NULL, err);
    if (rc)
        return rc;
    return store_person_events(a->store, who->tenant, id, cb, arg, err);
}

int app_person_command_json(struct app *a, const struct app_actor *who, int64_t id,
                            enum per_ev_type type, const json_t *cmd, struct person *out,
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
    struct person_event *ev = calloc(1, sizeof *ev);
    if (!ev) {
        lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
        return LKS_ENOMEM;
    }
    ev->type = type;
    app_json_date(a, cmd, &ev->date, errs);
    struct lks_err e = {0};
    struct person cur;
    int rc = app_actor_check(who, &e);
    if (rc == 0 && !app_may(who, APP_CAP_COMMANDS))
        rc = lks_err_set(&e, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                         "de rol %s wijzigt geen personen", role_name(who->role));
    if (rc == 0)
        rc = app_person(a, who, id, &cur, NULL, &e);
    if (rc == 0) {
        /* a change names only what changes: the rest stays as it is */
        ev->data = cur;
        json_t *data = json_object_get(cmd, "gegevens");
        json_t *empty = data ? NULL : json_object();
        codec_person_event_parse(data ? data : empty, CODEC_COMMAND, ev, errs);
        json_decref(empty);
        if (errs->n)
            rc = LKS_EINVAL;
    }
    if (rc == 0 && (rc = store_begin(a->store, &e)) == 0) {
        a->cached_id = 0;
        rc = app_person_apply(a, who, &cur, ev, &e);
        if (rc == 0 && a->before_commit) {
            struct app_change ch = {false, cur.bsn, "", 0};
            snprintf(ch.object, sizeof ch.object, "persoon/%lld", (long long)cur.id);
            rc = a->before_commit(a->hook_arg, &ch, &e);
        }
        if (rc == 0)
            rc = store_commit(a->store, &e);
        if (rc)
            store_rollback(a->store);
    }
    if (rc && e.code)
        *lks_errlist_add(errs) = e;
    if (rc == 0 && out)
        *out = cur;
    free(ev);
    return rc;
}

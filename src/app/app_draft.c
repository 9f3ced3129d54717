/*
 * app_draft — drafts of the application form (app.h, "drafts"): what a user typed so
 * far, kept in the store (store/store_draft.h) until it is submitted or deleted.
 *
 * Scope: a draft is its owner's alone, within the owner's municipality and, for an
 * employer user, its company: every call reads and writes by the actor's municipality
 * and login name, and a draft of another company (a user whose KvK changed) does not
 * exist for it either (LKS_ENOTFOUND, as another user's). Giving commands
 * (APP_CAP_COMMANDS) is the capability drafts need.
 *
 * Processing log: a draft holds personal data (a BSN). A change of a draft goes through
 * the app's before_commit with the BSN of its form ("gegevens.werknemer.bsn" under
 * "velden"), like a case's change; a read is the caller's to log, as for a case.
 *
 * Submitting: the command is the API's (app_command_json, the same codec and process,
 * the same messages per field); the draft is deleted inside the transaction that stores
 * the new case, just before it commits (a draft already gone, say submitted from another
 * window, refuses the commit: one draft gives at most one case).
 *
 * Errors are values; a refused change writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/internal.h"
#include "codec/case_json.h"
#include "store/store_draft.h"

#define DRAFT_BSN_FIELD "gegevens.werknemer.bsn"

static int draft_scope(struct app *a, const struct app_actor *who, struct lks_err *err)
{
    (void)a;
    int rc = app_actor_check(who, err);
    /* a draft is the start of an application: for the roles that may start a case */
    return rc ? rc : app_refuse_cap(who, APP_CAP_APPLY, err);
}

static const char *draft_bsn(const json_t *data)
{
    const char *b =
        json_string_value(json_object_get(json_object_get(data, "velden"), DRAFT_BSN_FIELD));
    return b ? b : "";
}

/* The draft's company matches the actor's: an employer's own, nobody else's. */
static bool draft_ours(const struct app_actor *who, const char *kvk)
{
    if (who->role == ROLE_WERKGEVER)
        return strcmp(kvk, who->kvk) == 0;
    return kvk[0] == '\0';
}

static int no_memory(struct lks_err *err)
{
    return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
}

/* Write d (new when d->id is 0) in a transaction of its own, with its log entry. */
static int draft_write(struct app *a, struct store_draft *d, const json_t *data, bool remove,
                       struct lks_err *err)
{
    int rc = store_begin(a->store, err);
    if (rc)
        return rc;
    bool created = d->id == 0;
    rc = remove ? store_draft_delete(a->store, d->tenant, d->owner, d->id, err)
                : store_draft_put(a->store, d, err);
    const char *bsn = draft_bsn(data);
    if (rc == 0 && a->before_commit && bsn[0]) {
        struct app_change ch = {created, bsn, "", 0};
        snprintf(ch.object, sizeof ch.object, "concept/%lld", (long long)d->id);
        rc = a->before_commit(a->hook_arg, &ch, err);
    }
    if (rc == 0)
        rc = store_commit(a->store, err);
    if (rc)
        store_rollback(a->store);
    return rc;
}

static char *dump(const json_t *data, struct lks_err *err)
{
    if (!json_is_object(data)) {
        lks_err_set(err, LKS_EINVAL, "concept", "not-an-object", "een concept is een JSON-object");
        return NULL;
    }
    char *text = json_dumps(data, JSON_COMPACT);
    if (!text) {
        no_memory(err);
        return NULL;
    }
    if (strlen(text) > APP_DRAFT_MAX) {
        free(text);
        lks_err_set(err, LKS_EINVAL, "concept", "too-large",
                    "het concept is te groot om te bewaren (ten hoogste %d bytes)", APP_DRAFT_MAX);
        return NULL;
    }
    return text;
}

int app_draft_new(struct app *a, const struct app_actor *who, const json_t *data, int64_t *id,
                  struct lks_err *err)
{
    int rc = draft_scope(a, who, err);
    if (rc)
        return rc;
    char *text = dump(data, err);
    if (!text)
        return err->code;
    struct store_draft d;
    memset(&d, 0, sizeof d);
    snprintf(d.tenant, sizeof d.tenant, "%s", who->tenant);
    snprintf(d.owner, sizeof d.owner, "%s", who->user);
    snprintf(d.kvk, sizeof d.kvk, "%s", who->role == ROLE_WERKGEVER ? who->kvk : "");
    snprintf(d.kind, sizeof d.kind, "aanvraag");
    d.created = d.updated = (int64_t)time(NULL);
    d.data = text;
    rc = draft_write(a, &d, data, false, err);
    free(text);
    if (rc == 0)
        *id = d.id;
    return rc;
}

/* The stored draft of the actor (scope checked), its text in d->data. */
static int draft_read(struct app *a, const struct app_actor *who, int64_t id, struct store_draft *d,
                      struct lks_err *err)
{
    int rc = draft_scope(a, who, err);
    if (rc)
        return rc;
    if ((rc = store_draft_get(a->store, who->tenant, who->user, id, d, err)))
        return rc;
    if (!draft_ours(who, d->kvk)) {
        store_draft_free(d);
        return lks_err_set(err, LKS_ENOTFOUND, "concept", "not-found", "concept %lld bestaat niet",
                           (long long)id);
    }
    return 0;
}

int app_draft_get(struct app *a, const struct app_actor *who, int64_t id, struct app_draft *out,
                  struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    struct store_draft d;
    int rc = draft_read(a, who, id, &d, err);
    if (rc)
        return rc;
    json_error_t je;
    out->data = json_loads(d.data, 0, &je);
    if (!json_is_object(out->data)) {
        json_decref(out->data);
        out->data = NULL;
        store_draft_free(&d);
        return lks_err_set(err, LKS_EIO, "concept", "unreadable", "concept %lld is niet te lezen",
                           (long long)id);
    }
    out->id = d.id;
    snprintf(out->kvk, sizeof out->kvk, "%s", d.kvk);
    out->created = d.created;
    out->updated = d.updated;
    store_draft_free(&d);
    return 0;
}

void app_draft_free(struct app_draft *d)
{
    json_decref(d->data);
    d->data = NULL;
}

int app_draft_save(struct app *a, const struct app_actor *who, int64_t id, const json_t *data,
                   struct lks_err *err)
{
    struct store_draft d;
    int rc = draft_read(a, who, id, &d, err);
    if (rc)
        return rc;
    store_draft_free(&d);
    char *text = dump(data, err);
    if (!text)
        return err->code;
    d.data = text;
    d.updated = (int64_t)time(NULL);
    rc = draft_write(a, &d, data, false, err);
    free(text);
    return rc;
}

int app_draft_delete(struct app *a, const struct app_actor *who, int64_t id, struct lks_err *err)
{
    struct store_draft d;
    int rc = draft_read(a, who, id, &d, err);
    if (rc)
        return rc;
    json_error_t je;
    json_t *data = json_loads(d.data, 0, &je);
    store_draft_free(&d);
    rc = draft_write(a, &d, data, true, err);
    json_decref(data);
    return rc;
}

struct list_arg {
    const struct app_actor *who;
    int (*cb)(void *arg, const struct app_draft *d);
    void *arg;
};

static int list_row(void *arg, const struct store_draft *d)
{
    struct list_arg *l = arg;
    if (!draft_ours(l->who, d->kvk))
        return 0;
    json_error_t je;
    struct app_draft out = {d->id, "", d->created, d->updated, json_loads(d->data, 0, &je)};
    snprintf(out.kvk, sizeof out.kvk, "%s", d->kvk);
    if (!json_is_object(out.data)) {
        json_decref(out.data);
        out.data = json_object(); /* unreadable: listed, so it can be deleted */
    }
    int rc = l->cb(l->arg, &out);
    json_decref(out.data);
    return rc;
}

int app_draft_list(struct app *a, const struct app_actor *who,
                   int (*cb)(void *arg, const struct app_draft *d), void *arg, struct lks_err *err)
{
    int rc = draft_scope(a, who, err);
    if (rc)
        return rc;
    struct list_arg l = {who, cb, arg};
    return store_draft_list(a->store, who->tenant, who->user, APP_DRAFTS_LISTED, list_row, &l, err);
}

int app_draft_check(struct app *a, const struct app_actor *who, enum ev_type type,
                    const json_t *cmd, struct lks_errlist *errs)
{
    struct lks_err e = {0};
    int rc = draft_scope(a, who, &e);
    if (rc) {
        *lks_errlist_add(errs) = e;
        return rc;
    }
    struct case_event *ev = calloc(1, sizeof *ev);
    if (!ev) {
        no_memory(lks_errlist_add(errs));
        return LKS_ENOMEM;
    }
    ev->type = type;
    app_json_date(a, cmd, &ev->date, errs);
    json_t *data = json_object_get(cmd, "gegevens");
    json_t *empty = data ? NULL : json_object();
    codec_event_data_parse(data ? data : empty, CODEC_COMMAND, ev, errs);
    json_decref(empty);
    free(ev);
    return errs->n ? LKS_EINVAL : 0;
}

/* The app's hook while a draft is submitted: delete the draft in the case's transaction,
 * then what the caller's hook makes durable. */
struct submit_hook {
    struct app *a;
    const struct app_actor *who;
    int64_t id;
    int (*next)(void *arg, const struct app_change *ch, struct lks_err *err);
    void *next_arg;
};

static int submit_before_commit(void *arg, const struct app_change *ch, struct lks_err *err)
{
    struct submit_hook *h = arg;
    int rc = store_draft_delete(h->a->store, h->who->tenant, h->who->user, h->id, err);
    if (rc == LKS_ENOTFOUND)
        return lks_err_set(err, LKS_ESTATE, "concept", "gone",
                           "dit concept is al ingediend of verwijderd");
    if (rc)
        return rc;
    return h->next ? h->next(h->next_arg, ch, err) : 0;
}

int app_draft_submit(struct app *a, const struct app_actor *who, int64_t id, const json_t *cmd,
                     int64_t *case_id, struct lks_errlist *errs)
{
    struct store_draft d;
    struct lks_err e = {0};
    int rc = draft_read(a, who, id, &d, &e);
    if (rc) {
        *lks_errlist_add(errs) = e;
        return rc;
    }
    store_draft_free(&d);
    json_t *type = json_object_get(cmd, "soort");
    if (!json_is_string(type) || strcmp(json_string_value(type), "aanvraag-ingediend") != 0) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "soort", "not-an-application",
                    "een concept wordt ingediend als aanvraag (aanvraag-ingediend)");
        return LKS_EINVAL;
    }
    struct submit_hook h = {a, who, id, a->before_commit, a->hook_arg};
    a->before_commit = submit_before_commit;
    a->hook_arg = &h;
    rc = app_command_json(a, who, 0, cmd, case_id, errs);
    a->before_commit = h.next;
    a->hook_arg = h.next_arg;
    return rc;
}

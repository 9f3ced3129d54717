/*
 * app — the case commands as one service: load, check, apply, store.
 *
 * The CLI, the demo and the API all change cases through here, so every
 * change follows one path: the case is read from the store, the command is
 * checked by the process (case_decide) with the municipality's policy and
 * the rules, applied, and the event, the read model and the deadlines are
 * written in one transaction. A refused command writes nothing.
 *
 * An app owns one scratch case state (about 60 KB) and is used by one
 * thread at a time. The store and the rules are borrowed, not owned.
 */
#ifndef LKS_APP_APP_H
#define LKS_APP_APP_H

#include <jansson.h>

#include "base/err.h"
#include "case/event.h"
#include "case/process.h"
#include "store/store.h"

struct app {
    struct store *store;
    const struct rules *rules;
    lks_date today;            /* the business 'today' (checks that dates are not in the future) */
    struct case_state *cs;     /* scratch, owned */
    int64_t cached_id;         /* a->cs holds this case as stored in the open transaction */
    char cached_tenant[CASE_ID];
};

struct app_actor {
    const char *tenant;        /* the municipality the caller works for */
    const char *user;
    enum role role;
};

int app_init(struct app *a, struct store *s, const struct rules *r, lks_date today,
             struct lks_err *err);
void app_free(struct app *a);

/*
 * Give a command as a typed event (ev->type, ev->date and ev->d filled).
 * case_id 0 starts a new case (the event must be aanvraag-ingediend); its id
 * is returned in *out_id. Runs inside the caller's transaction when
 * `in_tx` is set, else in its own. On success a->cs holds the new state.
 */
int app_event(struct app *a, const struct app_actor *who, int64_t case_id, struct case_event *ev,
              int in_tx, int64_t *out_id, struct lks_err *err);

/* Forget the cached state: call after a transaction that app_event ran in ends (commit or
 * rollback), so the next command reads the case from the store. */
void app_tx_end(struct app *a);

/* The same command from JSON: {"soort", "datum", "gegevens"}; faults all at once. */
int app_command_json(struct app *a, const struct app_actor *who, int64_t case_id,
                     const json_t *cmd, int64_t *out_id, struct lks_errlist *errs);

/*
 * Rebuild a case from its events alone (the fold of case_apply over the stored
 * events) into *out. Person and employer ids, which the store assigns, are
 * taken from the stored case.
 */
int app_rebuild(struct app *a, const char *tenant, int64_t id, struct case_state *out,
                struct lks_err *err);

struct app_verify {
    int64_t cases, events, mismatched;
    int64_t first_bad; /* id of the first case whose rebuild differs, or 0 */
    int64_t deadlines;       /* deadlines checked */
    int64_t deadline_errors; /* statutory deadlines ending on a rest day (Atw art. 1) */
    int integrity_ok;
};

/* Check the whole store: the engine's integrity check; for every case that the
 * rebuild from its events equals the stored read model; and that no statutory
 * deadline (Awb terms under the Atw) ends on a Saturday, Sunday or holiday. */
int app_verify(struct app *a, struct app_verify *out, struct lks_err *err);

/* One stored event as JSON: volgnummer, soort, datum, geregistreerd, actor, rol, gegevens.
 * The same for the CLI and the API; usable as a store_case_events callback (arg = jw). */
int app_event_json(void *jw, const struct stored_event *ev);

/* Load a case (scoped to the tenant) into a->cs with its deadlines. */
int app_case(struct app *a, const char *tenant, int64_t id, struct case_deadline *dl, int *ndl,
             struct lks_err *err);

#endif

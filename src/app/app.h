/*
 * app — the one application layer: every reader and writer of cases goes through
 * here for scope, permissions, the case view and changes.
 *
 * The CLI, the demo, the API and (later) the pages, the letters and the payment
 * runs do not decide who may see or do what, read a municipality's policy or
 * compute a deadline themselves: they describe the caller as an actor (its
 * municipality, its role and, for an employer, its KvK number) and ask app.
 *
 * - Capabilities (app_may): which kinds of data and actions a role reaches at all.
 * - Scope: another municipality's case, and for an employer another company's case
 *   or record, does not exist for the caller (LKS_ENOTFOUND). It is checked on the
 *   case before a command and again on the case after it: a command whose effect
 *   would leave the actor's scope (a case moved to another KvK number) is refused
 *   (LKS_EFORBIDDEN) and nothing is written.
 * - Changes: a command is checked by the process (case_decide) with the policy in
 *   force on its date and the rules, applied, and the event, the read model and the
 *   deadlines are written in one transaction. A case form never changes employer
 *   master data: the first form registers a new employer, a different IBAN in a later
 *   form becomes a proposal that a financieel confirms (case/employer.h).
 * - Deadlines are computed once, when their event is stored, with the policy in force
 *   on the day each starts (case_deadlines), and read back as stored by the case view
 *   and the work list alike; app_verify computes them again and compares.
 * - The case view (app_view): for an actor, a case and a date, the case, its stored
 *   deadlines, the amount of that month with its steps, and the commands the actor
 *   may give now. The API, the CLI, the pages and the letters render that one view.
 *
 * An app owns its scratch (a case state of ~80 KB, a policy timeline) and is used by
 * one thread at a time. The store and the rules are borrowed, not owned. Errors are
 * values (struct lks_err); a refused command writes nothing.
 */
#ifndef LKS_APP_APP_H
#define LKS_APP_APP_H

#include <jansson.h>
#include <stdbool.h>

#include "base/err.h"
#include "base/jw.h"
#include "case/employer.h"
#include "case/person.h"
#include "case/event.h"
#include "case/process.h"
#include "letter/letter.h"
#include "store/store.h"

#define APP_NOTES_MAX 4
#define APP_NOTE_LEN 240

/* What a change that is about to commit concerns (app.before_commit). */
struct app_change {
    bool created;      /* a new record: a case's first event */
    const char *bsn;   /* the person it concerns (personal data), or "" */
    char object[48];   /* "zaak/12", "persoon/7", "werkgever/12345678", "beleid/gm0794" */
    int64_t case_id;   /* the case changed, or 0 */
};

struct app {
    struct store *store;
    const struct rules *rules;
    lks_date today;            /* the business 'today' (Europe/Amsterdam; no dates after it) */
    struct case_state *cs;     /* scratch, owned */
    struct policy_timeline *tl; /* scratch, owned */
    int64_t cached_id;         /* a->cs holds this case as stored in the open transaction */
    char cached_tenant[CASE_ID];
    /* What the last command did besides its event that the caller should say (an
     * employer's IBAN that became a proposal, form data that differs from the
     * employer's record and was not taken over). */
    char notes[APP_NOTES_MAX][APP_NOTE_LEN];
    int nnotes;
    /*
     * Called by every change app commits itself (a case command, an employer's or a
     * person's command, a policy row) after the change is made in the open transaction and
     * before the commit: what must be durable with it, such as its processing-log entry
     * and the request's idempotency key. Non-zero refuses the commit, so nothing is
     * written. NULL: none. A shell sets it for one request and clears it after.
     */
    int (*before_commit)(void *arg, const struct app_change *ch, struct lks_err *err);
    void *hook_arg;
    /* Set for a bulk load (the demo): a decision's letters are not made when it is sent
     * but on their first fetch (app_letter), and stored then. */
    bool letters_lazy;
};

struct app_actor {
    const char *tenant; /* the municipality the caller works for */
    const char *user;
    enum role role;
    const char *kvk;    /* werkgever: the company it acts for, its whole scope */
};

int app_init(struct app *a, struct store *s, const struct rules *r, lks_date today,
             struct lks_err *err);
void app_free(struct app *a);

/* ---- capabilities ---- */

enum app_cap {
    APP_CAP_CASES,     /* read cases (an employer: its own company's) */
    APP_CAP_COMMANDS,  /* give commands on cases (the process checks each by role) */
    APP_CAP_MUNICIPAL, /* the municipality's own lists: deadlines, person search, reports */
    APP_CAP_EMPLOYERS, /* employer records (an employer: its own) and their commands */
    APP_CAP_AUDIT,     /* the processing log */
    APP_CAP_USERS,     /* the municipality's users */
    APP_CAP_RULES,     /* the installation's rule tables (applicatiebeheerder: no municipality) */
};

/* Whether the actor's role reaches this kind of data or action at all. A werknemer
 * reaches no case yet: its scope (its own case, by DigiD) does not exist. */
bool app_may(const struct app_actor *who, enum app_cap cap);

/* Whether an employer's data (by KvK) is within the actor's scope: everyone of the
 * municipality reaches every employer of it, an employer only its own; NULL is the
 * operator. (The municipality itself is part of every store call.) */
bool app_in_scope(const struct app_actor *who, const char *kvk);

/* ---- commands on cases ---- */

/*
 * Give a command as a typed event (ev->type, ev->date and ev->d filled).
 * case_id 0 starts a new case (the event must be aanvraag-ingediend); its id
 * is returned in *out_id. Runs inside the caller's transaction when
 * `in_tx` is set, else in its own. On success a->cs holds the new state and
 * a->notes what the caller should tell. LKS_EFORBIDDEN: the role or scope does not
 * allow it; LKS_ESTATE: the process does not now; LKS_ENOTFOUND: no such case for
 * the actor; LKS_EINVAL: bad data (err->field names it).
 */
int app_event(struct app *a, const struct app_actor *who, int64_t case_id, struct case_event *ev,
              int in_tx, int64_t *out_id, struct lks_err *err);

/* Forget the cached state: call after a transaction that app_event ran in ends (commit or
 * rollback), so the next command reads the case from the store. */
void app_tx_end(struct app *a);

/* The same command from JSON: {"soort", "datum", "gegevens"}; faults all at once. */
int app_command_json(struct app *a, const struct app_actor *who, int64_t case_id,
                     const json_t *cmd, int64_t *out_id, struct lks_errlist *errs);

/* ---- the case view ---- */

struct app_view {
    const struct case_state *cs; /* the app's scratch: valid until the app's next call */
    struct case_deadline dl[CASE_MAX_DEADLINES]; /* as stored with the case's last event */
    int ndl;
    lks_date on;                 /* the day the view is for (deadline states, the amount) */
    lks_date month;              /* the month of the amount */
    bool has_amount;
    struct lks_result amount;    /* the month's amount with its steps */
    struct lks_err no_amount;    /* why there is none: code 0 = nothing granted that month */
    int role;                    /* the actor's role, or -1: an operator, every role */
    uint32_t commands[ROLE_COUNT]; /* bit per enum ev_type the role may give now */
};

/*
 * The view of case `id` for an actor on day `on` (LKS_NO_DATE: today). `who` NULL is
 * the operator at the console (the CLI): any municipality, commands for every role.
 * LKS_ENOTFOUND for a case outside the actor's scope.
 */
int app_view(struct app *a, const struct app_actor *who, int64_t id, lks_date on,
             struct app_view *v, struct lks_err *err);

/* The view as JSON: the case object with "huidigeLoonkostensubsidie" and
 * "mogelijkeOpdrachten" added (for an operator: per role). The _open form leaves the
 * object open for the caller's keys (then jw_obj_close). */
void app_view_json(struct jw *w, const struct app_view *v);
void app_view_json_open(struct jw *w, const struct app_view *v);

/* The notes of the last command as a JSON array under "meldingen" (none: nothing). */
void app_notes_json(struct jw *w, const struct app *a);

/* One stored event as JSON: volgnummer, soort, datum, geregistreerd, actor, rol, gegevens.
 * The same for the CLI and the API; usable as a store_case_events callback (arg = jw). */
int app_event_json(void *jw, const struct stored_event *ev);

/* The events of a case the actor may see (ENOTFOUND otherwise), oldest first. */
int app_case_events(struct app *a, const struct app_actor *who, int64_t id,
                    int (*cb)(void *arg, const struct stored_event *e), void *arg,
                    struct lks_err *err);

/* The work list of cases of the actor's municipality; an employer gets only its own
 * company's whatever the filter says. */
int app_case_list(struct app *a, const struct app_actor *who, const struct case_filter *f,
                  int (*cb)(void *arg, const struct case_summary *c), void *arg,
                  struct lks_err *err);

/*
 * The work list (werkvoorraad): cases with their most urgent open deadline, overdue
 * first, each task with what is due, its legal basis, its last day and the days left on
 * the app's today (negative: overdue). The actor's municipality; an employer gets only
 * its own company's cases whatever the filter says. Rows go to cb in order.
 */
struct app_task {
    const struct case_summary *c;
    bool has_deadline;   /* the rest is set only then */
    enum dl_kind kind;
    lks_date due;
    int days_left;       /* due − today in calendar days */
    const char *what;    /* dl_kind_text: "beschikking binnen de servicenorm", … */
    const char *basis;   /* dl_kind_basis */
    const char *state;   /* dl_state on today: "open" or "verlopen" */
    int64_t total;       /* rows of the whole list */
};
int app_worklist(struct app *a, const struct app_actor *who, const struct worklist_filter *f,
                 int (*cb)(void *arg, const struct app_task *t), void *arg,
                 struct lks_err *err);

/* The active klantmanagers of the actor's municipality by login name (APP_CAP_MUNICIPAL):
 * who a case may be handed to. */
int app_case_workers(struct app *a, const struct app_actor *who,
                     int (*cb)(void *arg, const char *name, const char *display), void *arg,
                     struct lks_err *err);

/* Deadlines open on `on` (stored, as the case view shows them) of the actor's
 * municipality (APP_CAP_MUNICIPAL). */
int app_deadlines_open(struct app *a, const struct app_actor *who, lks_date on,
                       int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                       struct lks_err *err);

/* For the operator at the console (the CLI): the deadlines open on `on` of one
 * municipality or, with tenant NULL, of all; and the municipality a case belongs to. */
int app_operator_deadlines(struct app *a, const char *tenant, lks_date on,
                           int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                           struct lks_err *err);
int app_case_tenant(struct app *a, int64_t id, char tenant[CASE_ID], struct lks_err *err);

/* A person of the actor's municipality by BSN (APP_CAP_MUNICIPAL), and its cases. The BSN
 * is checked and put in its normal form (9 digits) into `searched` first: an invalid one
 * is LKS_EINVAL naming "bsn" (and nothing is searched), none found LKS_ENOTFOUND. */
int app_person_find(struct app *a, const struct app_actor *who, const char *bsn,
                    struct person *out, char searched[10], struct lks_err *err);
int app_person_cases(struct app *a, const struct app_actor *who, int64_t person_id,
                     int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                     struct lks_err *err);

/* ---- employers: master data of their own ---- */

/* The record of an employer (an employer user: only its own) and the commands the
 * actor may give on it now (bit per enum emp_ev_type; may be NULL). */
int app_employer(struct app *a, const struct app_actor *who, const char *kvk,
                 struct employer *out, uint32_t *commands, struct lks_err *err);

/* The employers of the actor's municipality (an employer user: only itself). */
int app_employer_list(struct app *a, const struct app_actor *who,
                      int (*cb)(void *arg, const struct employer *e), void *arg,
                      struct lks_err *err);

/* The events of an employer's record, oldest first, for an actor who may see it. */
int app_employer_events(struct app *a, const struct app_actor *who, const char *kvk,
                        int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                        struct lks_err *err);

/*
 * Give a command on an employer's record (case/employer.h) as a typed event; the
 * record after it in *out. A registration with an IBAN in ev->data registers
 * without it and proposes it (two events). Runs in its own transaction unless
 * `in_tx`.
 */
int app_employer_event(struct app *a, const struct app_actor *who, const char *kvk,
                       struct employer_event *ev, int in_tx, struct employer *out,
                       struct lks_err *err);

/* The same from JSON: the type by name, {"datum", "gegevens"}; faults all at once. */
int app_employer_command_json(struct app *a, const struct app_actor *who, const char *kvk,
                              enum emp_ev_type type, const json_t *cmd, struct employer *out,
                              struct lks_errlist *errs);

/* One stored event of an employer's or a person's record as JSON (as app_event_json;
 * arg = jw). */
int app_record_event_json(void *jw, const struct stored_record_event *ev);

/* ---- persons: records of their own ---- */

/* A person of the actor's municipality by id (APP_CAP_MUNICIPAL) and the commands the actor
 * may give on it now (bit per enum per_ev_type; may be NULL). */
int app_person(struct app *a, const struct app_actor *who, int64_t id, struct person *out,
               uint32_t *commands, struct lks_err *err);
/* Its history, oldest first; the record into *out (for the caller's log). */
int app_person_events(struct app *a, const struct app_actor *who, int64_t id,
                      int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                      struct person *out, struct lks_err *err);
/* A command on a person from JSON {"datum", "gegevens"} (persoon-gewijzigd: a klantmanager;
 * only what changes); the record after it in *out. */
int app_person_command_json(struct app *a, const struct app_actor *who, int64_t id,
                            enum per_ev_type type, const json_t *cmd, struct person *out,
                            struct lks_errlist *errs);

/* ---- policy ---- */

/*
 * Set one policy key of a municipality from a date on. A deadline keeps the policy of
 * the day it started, so a change may not reach back before a deadline already
 * computed: a row dated on or before the latest start of a stored deadline that
 * depends on the policy, which would change the value in force then, is refused
 * (LKS_ESTATE, naming the first date that is possible).
 */
int app_policy_set(struct app *a, const char *tenant, lks_date from, const char *key,
                   const char *value, struct lks_err *err);

/* The policy of a municipality in force on a day. */
int app_policy_at(struct app *a, const char *tenant, lks_date on, struct policy *out,
                  struct lks_err *err);

/* ---- letters (src/letter) ---- */

/*
 * A municipality's letter settings: the actor's own (who NULL: the operator, `tenant`);
 * the defaults (its name from the tenant) when it has none yet. out->logo is malloc'd:
 * free it with app_letter_settings_free.
 */
int app_letter_settings(struct app *a, const struct app_actor *who, const char *tenant,
                        struct letter_settings *out, struct lks_err *err);
/* Set them for the actor's municipality (a beheerder; who NULL: the operator, for
 * in->tenant). Empty name, address or objection address: LKS_EINVAL naming the field. */
int app_letter_settings_set(struct app *a, const struct app_actor *who,
                            const struct letter_settings *in, struct lks_err *err);
void app_letter_settings_free(struct letter_settings *s);

struct app_letter {
    unsigned char *pdf; /* malloc'd; app_letter_free */
    size_t len;
    char sha256[65];
    int64_t created;    /* when it was stored (the event's time when made at sending) */
    enum letter_kind kind;
    char bsn[10];       /* whom it concerns, for the caller's processing log */
};

/*
 * The letter of a case as sent: decision `n` (1-based; kind -1 takes the decision's own
 * kind), or with kind LETTER_BEZWAAR objection n, or LETTER_EINDE. Scoped like the case
 * view (ENOTFOUND outside it); an employer gets only the letter to the employer
 * (EFORBIDDEN for the worker's). A letter stored when its event was stored comes back
 * byte for byte; one not stored yet (a decision sent before letters existed, or in a
 * bulk load) is made now and stored, and is the same from then on.
 */
int app_letter(struct app *a, const struct app_actor *who, int64_t id, int kind, int n,
               enum letter_to to, struct app_letter *out, struct lks_err *err);
void app_letter_free(struct app_letter *l);

/* Make and store the letters an event just stored calls for (beschikking-verzonden: to the
 * employer and the worker; bezwaar-beslist: the decision on objection), inside the
 * event's transaction. Called by app_event; nothing when a->letters_lazy. */
int app_letters_for_event(struct app *a, const struct case_state *cs,
                          const struct case_event *ev, struct lks_err *err);

/* ---- checks of the whole store ---- */

/*
 * Rebuild a case from its events alone (the fold of case_apply over the stored
 * events) into *out. Person and employer ids, which the store assigns, are
 * taken from the stored case. A stored event that cannot be read or does not fit
 * is LKS_EINVAL naming the case and the event's number.
 */
int app_rebuild(struct app *a, const char *tenant, int64_t id, struct case_state *out,
                struct lks_err *err);

/* Fold one stored event into cs (scratch: an event buffer of the caller's). */
int app_apply_stored(struct case_state *cs, struct case_event *scratch,
                     const struct stored_event *se, struct lks_err *err);

#define APP_VERIFY_LISTED 20

struct app_problem {
    char tenant[CASE_ID];
    int64_t case_id;   /* or 0 for an employer's record */
    char kvk[9];       /* the employer, for a problem with its record */
    int64_t seq;       /* the event at fault, or 0 */
    char kind[24];     /* "gebeurtenis", "herbouw", "termijn", "werkgever", "zaak" */
    char msg[256];
};

struct app_verify {
    int64_t cases, events, mismatched;
    int64_t first_bad;       /* id of the first case whose rebuild differs, or 0 */
    int64_t deadlines;       /* statutory deadlines checked */
    int64_t deadline_errors; /* statutory deadlines ending on a rest day (Atw art. 1) */
    int64_t deadline_mismatches; /* stored deadlines that differ from computing them again */
    int64_t employers, employer_mismatches;
    int64_t persons, person_mismatches;
    int64_t unreadable;      /* cases or events that could not be read or folded */
    int integrity_ok;
    int nproblems;           /* listed below, at most APP_VERIFY_LISTED */
    int64_t problems;        /* all of them */
    struct app_problem problem[APP_VERIFY_LISTED];
};

/* Check the whole store: the engine's integrity check; for every case that the
 * rebuild from its events equals the stored read model and that its stored deadlines
 * are what computing them again gives; that no statutory deadline (Awb terms under the
 * Atw) ends on a Saturday, Sunday or holiday; and for every employer that its record
 * is what its events give, and the same for every person. A case or event that cannot be read is a problem reported
 * with its case and number, never a crash; the check goes on with the next case. */
int app_verify(struct app *a, struct app_verify *out, struct lks_err *err);

#endif

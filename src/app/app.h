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
#include "auth/auth.h"
#include "case/policy.h"
#include "case/process.h"
#include "rules/tables.h"
#include "letter/letter.h"
#include "store/store.h"
#include "store/store_documents.h"

#define APP_NOTES_MAX 4
#define APP_NOTE_LEN  240

/* What a change that is about to commit concerns (app.before_commit). */
struct app_change {
    bool created;    /* a new record: a case's first event */
    const char *bsn; /* the person it concerns (personal data), or "" */
    char object[48]; /* "zaak/12", "persoon/7", "werkgever/12345678", "beleid/gm0794" */
    int64_t case_id; /* the case changed, or 0 */
};

struct app {
    struct store *store;
    const struct rules *rules;
    lks_date today;             /* the business 'today' (Europe/Amsterdam; no dates after it) */
    struct case_state *cs;      /* scratch, owned */
    struct policy_timeline *tl; /* scratch, owned */
    int64_t cached_id;          /* a->cs holds this case as stored in the open transaction */
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
    const char *kvk; /* werkgever: the company it acts for, its whole scope */
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
    APP_CAP_APPLY,     /* start a case with an application: the roles the process table
                        * lets give aanvraag-ingediend on a new case */
    APP_CAP_PAYRUNS,   /* the payment runs (app_payrun.h: financieel prepares and approves,
                        * the auditor reads) */
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
int app_command_json(struct app *a, const struct app_actor *who, int64_t case_id, const json_t *cmd,
                     int64_t *out_id, struct lks_errlist *errs);

/*
 * What a decision would be, without sending it: the command beschikking-verzonden from
 * JSON {"datum", "gegevens": {"soort", "vanaf", "tot", "motivering"}} checked and
 * completed by the process exactly as app_command_json would (case_decide: the period,
 * the amount, the objection deadline Awb 6:7 under the Atw), and for a grant or revision
 * the amount of its first month with every step and its article (case_month_amount, as
 * the case view computes it once the decision is sent). Nothing is written; the app's
 * scratch state is left as a read leaves it. Refusals as app_command_json's.
 */
struct app_decision_preview {
    struct decision d;        /* as case_decide completed it */
    bool has_amount;          /* a grant or revision: the first month's amount */
    struct lks_result amount; /* that month's amount with its steps */
    lks_date month;           /* the month of the amount */
    lks_date today;
};
int app_decision_preview(struct app *a, const struct app_actor *who, int64_t case_id,
                         const json_t *cmd, struct app_decision_preview *out,
                         struct lks_errlist *errs);

/* ---- the case view ---- */

struct app_view {
    const struct case_state *cs; /* the app's scratch: valid until the app's next call */
    struct case_deadline dl[CASE_MAX_DEADLINES]; /* as stored with the case's last event */
    int ndl;
    lks_date on;    /* the day the view is for (deadline states, the amount) */
    lks_date month; /* the month of the amount */
    bool has_amount;
    struct lks_result amount;      /* the month's amount with its steps */
    struct lks_err no_amount;      /* why there is none: code 0 = nothing granted that month */
    int role;                      /* the actor's role, or -1: an operator, every role */
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
    bool has_deadline; /* the rest is set only then */
    enum dl_kind kind;
    lks_date due;
    int days_left;     /* due − today in calendar days */
    const char *what;  /* dl_kind_text: "beschikking binnen de servicenorm", … */
    const char *basis; /* dl_kind_basis */
    const char *state; /* dl_state on today: "open" or "verlopen" */
    int64_t total;     /* rows of the whole list */
};
int app_worklist(struct app *a, const struct app_actor *who, const struct worklist_filter *f,
                 int (*cb)(void *arg, const struct app_task *t), void *arg, struct lks_err *err);

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
int app_person_find(struct app *a, const struct app_actor *who, const char *bsn, struct person *out,
                    char searched[10], struct lks_err *err);
int app_person_cases(struct app *a, const struct app_actor *who, int64_t person_id,
                     int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                     struct lks_err *err);

/* ---- employers: master data of their own ---- */

/* The record of an employer (an employer user: only its own) and the commands the
 * actor may give on it now (bit per enum emp_ev_type; may be NULL). */
int app_employer(struct app *a, const struct app_actor *who, const char *kvk, struct employer *out,
                 uint32_t *commands, struct lks_err *err);

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

/* ---- documents of a case (app_document.c) and what the portal reads (app_portal.c) ---- */

/* An upload as the shell received it: nothing of it is trusted. */
struct app_upload {
    const char *kind;         /* "arbeidsovereenkomst", "loonwaarderapport", "overig" */
    const char *file_name;    /* as sent (a folder part is dropped) */
    const char *claimed_type; /* the sender's Content-Type, or NULL: checked, never kept */
    const unsigned char *bytes;
    size_t len;
};

/*
 * Add a document to case `case_id` (APP_CAP_COMMANDS; an employer only its own company's
 * cases) in a transaction of its own; the stored row in *out (may be NULL). The type is
 * the one of the bytes (PDF, PNG or JPEG), and a name or claimed type that says another
 * is refused. LKS_EINVAL with every fault in errs under "bestand" or "soort";
 * LKS_ENOTFOUND for a case outside the scope. a->before_commit gets the change.
 */
int app_document_add(struct app *a, const struct app_actor *who, int64_t case_id,
                     const struct app_upload *up, struct store_document *out,
                     struct lks_errlist *errs);

/* The documents of a case the actor may read, newest first, without their bytes; `bsn`
 * the case's person, for the caller's processing-log entry. */
int app_document_list(struct app *a, const struct app_actor *who, int64_t case_id,
                      int (*cb)(void *arg, const struct store_document *d), void *arg,
                      char bsn[10], struct lks_err *err);

/* One document the actor may read (LKS_ENOTFOUND otherwise, also for another company's or
 * municipality's), with its bytes when `bytes` is non-NULL (the caller frees them). */
int app_document_get(struct app *a, const struct app_actor *who, int64_t id,
                     struct store_document *out, char **bytes, size_t *len, char bsn[10],
                     struct lks_err *err);

/* Whether the actor's role may add documents to the cases it reaches (the rule of
 * app_document_add, for a page that offers the form): a case worker, an employer, … not
 * an auditor. */
bool app_document_may_add(const struct app_actor *who);

/* The kinds of document: valid or not, and in plain Dutch. */
bool app_document_kind_valid(const char *kind);
const char *app_document_kind_text(const char *kind);

/* The name a case worker of the actor's municipality works under (its display name, or
 * its login name): who has a case, as its employer is told (APP_CAP_CASES). */
int app_case_worker_display(struct app *a, const struct app_actor *who, const char *login,
                            char display[96], struct lks_err *err);

/* The employer's own company's cases for the portal (APP_CAP_CASES, an employer user):
 * every case, with or without an open deadline, the newest first, `limit` (1..1000)
 * from `offset`; each row as app_worklist gives it, with the total. */
int app_portal_cases(struct app *a, const struct app_actor *who, int offset, int limit,
                     int (*cb)(void *arg, const struct app_task *t), void *arg,
                     struct lks_err *err);

/* ---- saved filters of the work list (app_filter.c) ---- */

/*
 * A saved filter: a name a user gives to the filter part of the werkvoorraad's URL
 * ("status=lopend&van=mij"), its own alone within its municipality (APP_CAP_MUNICIPAL:
 * the users of the work list). A name has 1 to APP_FILTER_NAME_MAX characters and is
 * unique per user; a user has at most APP_FILTER_MAX. The query holds only the work
 * list's filter keys (status, klantmanager, werkgever, zoek, alles, van, sorteer) and
 * never a BSN: a value with one (9 digits passing the elfproef) is refused. Errors in
 * Dutch naming the field ("naam", "zoek", "filter"); another user's filter does not exist
 * (LKS_ENOTFOUND).
 */
#define APP_FILTER_MAX      20
#define APP_FILTER_NAME_MAX 60
struct app_filter {
    int64_t id;
    const char *name, *query; /* valid during the callback */
    int64_t created;
};
int app_filter_save(struct app *a, const struct app_actor *who, const char *name,
                    const char *query, int64_t *id, struct lks_errlist *errs);
/* The actor's filters by name. */
int app_filter_list(struct app *a, const struct app_actor *who,
                    int (*cb)(void *arg, const struct app_filter *f), void *arg,
                    struct lks_err *err);
/* One filter's query into query[cap]. */
int app_filter_query(struct app *a, const struct app_actor *who, int64_t id, char *query,
                     size_t cap, struct lks_err *err);
int app_filter_delete(struct app *a, const struct app_actor *who, int64_t id,
                      struct lks_err *err);

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

/* ---- drafts of the application form (app_draft.c) ---- */

/*
 * A draft is what a user typed into the application form so far: its owner's alone,
 * within the owner's municipality and, for an employer user, its company (another's does
 * not exist: LKS_ENOTFOUND). Needs APP_CAP_COMMANDS. `data` is the page's JSON object,
 * at most APP_DRAFT_MAX bytes as compact JSON (more: LKS_EINVAL naming "concept"); the app
 * reads only its BSN, velden["gegevens.werknemer.bsn"], for the processing log of a
 * change (before_commit, object "concept/ID"). A read is the caller's to log.
 */
#define APP_DRAFT_MAX     65536
#define APP_DRAFTS_LISTED 50 /* the latest changed, at most */

struct app_draft {
    int64_t id;
    char kvk[9]; /* the employer user's company, or "" */
    int64_t created, updated; /* Unix seconds */
    json_t *data;             /* owned (app_draft_free); in a list callback: borrowed */
};

int app_draft_new(struct app *a, const struct app_actor *who, const json_t *data, int64_t *id,
                  struct lks_err *err);
int app_draft_get(struct app *a, const struct app_actor *who, int64_t id, struct app_draft *out,
                  struct lks_err *err);
void app_draft_free(struct app_draft *d);
int app_draft_save(struct app *a, const struct app_actor *who, int64_t id, const json_t *data,
                   struct lks_err *err);
int app_draft_delete(struct app *a, const struct app_actor *who, int64_t id,
                     struct lks_err *err);
/* The actor's drafts, the latest changed first. */
int app_draft_list(struct app *a, const struct app_actor *who,
                   int (*cb)(void *arg, const struct app_draft *d), void *arg,
                   struct lks_err *err);
/* What the codec says of a command's data of this type as it stands (the fields it
 * cannot read, those missing), without the process's checks and without storing: a page
 * shows a step's part of it before the whole form is submitted. LKS_EINVAL with errs. */
int app_draft_check(struct app *a, const struct app_actor *who, enum ev_type type,
                    const json_t *cmd, struct lks_errlist *errs);
/* Submit a draft as the command `cmd` (aanvraag-ingediend, as app_command_json takes it):
 * the new case's id in *case_id, and the draft deleted in the same transaction. Errors as
 * app_command_json's; the draft stays when the command is refused. */
int app_draft_submit(struct app *a, const struct app_actor *who, int64_t id, const json_t *cmd,
                     int64_t *case_id, struct lks_errlist *errs);
/* ---- the processing log, the users, the policy history and the rule tables
 * (app_plog.c, app_beheer.c: the auditor's and the beheerder's pages and API alike) ---- */

struct plog;
struct plog_entry;
struct rules_cell;

/* A BSN as typed into its normal form (9 digits), with the one message for an invalid one:
 * LKS_EINVAL naming "bsn" ("het BSN …"). */
int app_bsn_check(const char *bsn, char out[10], struct lks_err *err);

struct app_plog_query {
    lks_date from, to;   /* days (UTC) from `from` up to, not including, `to`; LKS_NO_DATE: open */
    const char *bsn;     /* as typed (checked by app_bsn_check), or NULL: every entry */
    int64_t after_id;    /* continue after this entry (keyset), or 0 */
    int limit;           /* at least 1 */
    bool newest_first;
};

/*
 * The processing log of the actor's own municipality (APP_CAP_AUDIT) for a period,
 * optionally of one person; the normal form of the BSN asked for into `searched` ("" when
 * none). A period whose end is not after its start is LKS_EINVAL naming "tot"; an
 * unknown after_id names "na". The caller logs what it shows (reading the log is itself
 * a processing of the persons it names) and the search.
 */
int app_plog_read(struct app *a, struct plog *p, const struct app_actor *who,
                  const struct app_plog_query *q, char searched[10],
                  int (*cb)(void *arg, int64_t id, const struct plog_entry *e), void *arg,
                  struct lks_err *err);

/* The action of an entry in Dutch: "raadplegen", "aanmaken", "wijzigen", "zoeken". */
const char *app_plog_action_text(int action);

/* The roles a beheerder may give (as `lks gebruiker --rol`), in order; their names as one
 * text for a message. */
extern const enum role app_admin_roles[];
extern const int app_admin_nroles;
#define APP_ADMIN_ROLES_TEXT                                                                       \
    "klantmanager, loonwaardedeskundige, beslisser, financieel, beheerder, auditor of werkgever"

/* The users of the actor's municipality (APP_CAP_USERS) by login name. */
int app_user_list(struct app *a, const struct app_actor *who,
                  int (*cb)(void *arg, const struct auth_user *u), void *arg,
                  struct lks_err *err);
/* One of them; another municipality's user is LKS_ENOTFOUND (field "naam"). */
int app_user_get(struct app *a, const struct app_actor *who, const char *name,
                 struct auth_user *out, struct lks_err *err);
/*
 * Add a user to the actor's municipality: `role_text` must be one of app_admin_roles
 * (else field "role"); then auth's rules (auth_user_check: fields "name", "display",
 * "role", "kvk", "password", each once) and auth_user_add. Every fault into errs;
 * LKS_ESTATE (field "name") when the name is taken. The user as added into *u.
 */
int app_user_add(struct app *a, const struct app_actor *who, struct auth_user *u,
                 const char *role_text, const char *password, struct lks_errlist *errs);
/* Only the checks of app_user_add, adding to errs only faults of fields that have none
 * there yet (a shell's own faults of the same fields go first); LKS_EINVAL when it added. */
int app_user_check(const struct app_actor *who, struct auth_user *u, const char *role_text,
                   const char *password, struct lks_errlist *errs);
/* Block or unblock a user of the municipality; the actor itself: LKS_ESTATE. */
int app_user_block(struct app *a, const struct app_actor *who, const char *name, bool block,
                   struct lks_err *err);
/* Set a user's password (forgotten, after a block); the actor's own: LKS_ESTATE (that one
 * is changed with the current password). Field "password" for a bad one. */
int app_user_password(struct app *a, const struct app_actor *who, const char *name,
                      const char *password, struct lks_err *err);
/*
 * The same two split for a server that hashes off its serving thread (auth/pool.h: the
 * pages' add-user and set-password): every rule of app_user_add / app_user_password but
 * the hash and the store. _prepare gives 0 when the change may be done as given (*u then
 * as it is to be added; a taken name is LKS_ESTATE naming "name" already here), and the
 * caller has the pool hash and store it, then writes the trail with app_user_trail.
 */
int app_user_add_prepare(struct app *a, const struct app_actor *who, struct auth_user *u,
                         const char *role_text, const char *password, struct lks_errlist *errs);
int app_user_password_prepare(struct app *a, const struct app_actor *who, const char *name,
                              const char *password, struct lks_err *err);
/* The operator's trail of a user change done ("maakt gebruiker", "zet het wachtwoord
 * van"). */
void app_user_trail(const char *actor, const char *what, const char *name);

/* The policy history of the actor's municipality (APP_CAP_USERS): every date from which
 * the policy changed, with the whole policy in force from it (policy.h). */
int app_policy_history(struct app *a, const struct app_actor *who, struct policy_timeline *out,
                       struct lks_err *err);

/*
 * Add a dated row to a rule table (APP_CAP_RULES) by the actor: the table by name
 * (LKS_ENOTFOUND "tabel"), `from` as typed (JJJJ-MM-DD; field "vanaf"), the cells and the
 * source ("bron") checked with the same messages for the API and the pages, then
 * store_rules_add (its errors name "vanaf", "waarden.<kolom>", "bron"). *out (may be NULL)
 * gets the tables with the row; *table its index. Writes the operator's trail.
 */
int app_rule_add(struct app *a, const struct app_actor *who, const struct rules *base,
                 const char *table_name, const char *from, const struct rules_cell *cells,
                 int ncells, const char *source, struct rules *out, int *table,
                 struct lks_errlist *errs);

/* Only the checks of the date and the source of app_rule_add (the date into *from when
 * not NULL); LKS_EINVAL when it added a fault to errs. An empty source is the store's to
 * refuse (store_rules_add), as for the CLI. */
int app_rule_check(const char *from, const char *source, lks_date *out_from,
                   struct lks_errlist *errs);

/* The columns a row of a table has (its file's header without "from"), into cols; their
 * number, or -1 for no such table. */
#define APP_RULE_COL_MAX 32
int app_rule_columns(int table, char cols[][APP_RULE_COL_MAX], int max);
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

/*
 * The letter of the decision that `cmd` would send (the command of
 * beschikking-verzonden, as app_decision_preview takes it), not stored: the case folded
 * with the decision without committing, then the same letter model and renderer as the
 * sent letter, so that sending it with the same command and date gives the same bytes.
 * Scoped and checked like app_decision_preview (every fault into errs); out->sha256 is
 * the hash of these bytes, out->created 0.
 */
int app_letter_preview(struct app *a, const struct app_actor *who, int64_t id,
                       const json_t *cmd, enum letter_to to, struct app_letter *out,
                       struct lks_errlist *errs);

/*
 * The revision letters of a re-indexation (1 January: the minimum wage and with it every
 * running grant changes, Participatiewet art. 10d lid 7), in bulk, for the operator: for
 * every case of `tenant` with a grant running on `on` (status lopend), in id order, the
 * letter to `to` of a revision from `on`, sent on `on`: the running grant with the amount
 * the rules give for that month (case_month_amount, re-indexed) and the objection term
 * from `on` (term_compute), through the same letter model and renderer as a sent letter
 * (nothing is stored or sent). Other cases are skipped and counted in *skipped. `cb` gets each letter (its bytes are freed after the call) and
 * may stop the run by returning non-zero, which is then returned; `progress` (may be
 * NULL) is told the number done and the number of cases after each case.
 */
int app_letters_revision(struct app *a, const char *tenant, lks_date on, enum letter_to to,
                         int (*cb)(void *arg, int64_t id, const struct app_letter *l),
                         void (*progress)(void *arg, int done, int total), void *arg,
                         int *made, int *skipped, struct lks_err *err);

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
    int64_t case_id; /* or 0 for an employer's record */
    char kvk[9];     /* the employer, for a problem with its record */
    int64_t seq;     /* the event at fault, or 0 */
    char kind[24];   /* "gebeurtenis", "herbouw", "termijn", "werkgever", "zaak" */
    char msg[256];
};

struct app_verify {
    int64_t cases, events, mismatched;
    int64_t first_bad;           /* id of the first case whose rebuild differs, or 0 */
    int64_t deadlines;           /* statutory deadlines checked */
    int64_t deadline_errors;     /* statutory deadlines ending on a rest day (Atw art. 1) */
    int64_t deadline_mismatches; /* stored deadlines that differ from computing them again */
    int64_t next_mismatches;     /* case rows whose next deadline (the work list's) is stale */
    int64_t employers, employer_mismatches;
    int64_t persons, person_mismatches;
    int64_t unreadable; /* cases or events that could not be read or folded */
    int integrity_ok;
    int nproblems;    /* listed below, at most APP_VERIFY_LISTED */
    int64_t problems; /* all of them */
    struct app_problem problem[APP_VERIFY_LISTED];
};

/* Check the whole store: the engine's integrity check; for every case that the
 * rebuild from its events equals the stored read model and that its stored deadlines
 * are what computing them again gives; that no statutory deadline (Awb terms under the
 * Atw) ends on a Saturday, Sunday or holiday; and for every employer that its record
 * is what its events give, and the same for every person. A case or event that cannot be read is a
 * problem reported with its case and number, never a crash; the check goes on with the next case.
 */
int app_verify(struct app *a, struct app_verify *out, struct lks_err *err);

#endif

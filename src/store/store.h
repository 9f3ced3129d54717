/*
 * store — the one interface to where lks keeps its data.
 *
 * Engines: SQLite (embedded, one file; "path" or "sqlite:path") and PostgreSQL
 * ("postgresql://…" or "postgres://…", libpq's url) for a region or the country with
 * several servers on one database, behind the same calls (store.c picks by url).
 * All SQL lives behind this interface. Every row carries its tenant, and every
 * call that reads or writes case data takes the tenant: another tenant's object
 * does not exist for the caller (LKS_ENOTFOUND).
 *
 * Writes happen inside store_begin/store_commit; a failed call inside a
 * transaction leaves it to the caller to roll back, so nothing is half-written.
 * The events table is append-only: the database itself refuses UPDATE and
 * DELETE on it. Strings in the structs are copied; the store keeps no pointer
 * to caller memory. Errors fill an lks_err (field names the column or input).
 */
#ifndef LKS_STORE_STORE_H
#define LKS_STORE_STORE_H

#include <stdint.h>

#include "base/err.h"
#include "case/employer.h"
#include "case/person.h"
#include "case/event.h"
#include "case/model.h"
#include "case/policy.h"
#include "case/process.h"
#include "letter/letter.h"

struct store;

#define STORE_CREATE 1 /* create the file (and migrate) when missing */

int store_open(struct store **out, const char *url, int flags, struct lks_err *err);
void store_close(struct store *s);

/* Create or upgrade the schema to the latest version (numbered migrations). */
int store_migrate(struct store *s, struct lks_err *err);
int store_schema_version(struct store *s, int *out, struct lks_err *err);

int store_begin(struct store *s, struct lks_err *err); /* a write transaction */
/* A read transaction: the reads until store_read_end see one snapshot and share its
 * locks (a GET of the API reads a case in several statements). No writes inside. */
int store_read_begin(struct store *s, struct lks_err *err);
void store_read_end(struct store *s);
int store_commit(struct store *s, struct lks_err *err);
void store_rollback(struct store *s);

/*
 * A number that stays the same only while nothing was committed to the store, by
 * this connection or any other, since it was read before: callers use it to tell
 * whether something they derived from the store may still be used (a cached
 * rendering, a checked token). It may be read outside a transaction: what a
 * transaction begun after it reads is at least as new. 0 means "unknown" and is
 * never equal to a kept value: an engine that cannot tell cheaply gives it
 * (PostgreSQL always; SQLite while a commit is being published).
 */
int store_generation(struct store *s, uint64_t *out, struct lks_err *err);

/* ---- tenants and their policy ---- */
int store_tenant_put(struct store *s, const struct tenant *t, struct lks_err *err);
int store_tenant_get(struct store *s, const char *code, struct tenant *out, struct lks_err *err);
/* A service point spans municipalities: (servicepunt, gemeente) pairs. */
int store_tenant_link(struct store *s, const char *servicepunt, const char *gemeente,
                      struct lks_err *err);
int store_tenant_list(struct store *s, int (*cb)(void *arg, const struct tenant *t), void *arg,
                      struct lks_err *err);

/* One policy row: from `from` on, `key` (policy_keys) has `value` (scaled integer).
 * Whether a row may still be added is the app's rule (app_policy_set). */
int store_policy_put(struct store *s, const char *tenant, lks_date from, const char *key,
                     int64_t value, struct lks_err *err);
/* Defaults with every row of the tenant with from <= on applied in date order. */
int store_policy_at(struct store *s, const char *tenant, lks_date on, struct policy *out,
                    struct lks_err *err);
/* The tenant's whole policy history (case/policy.h); a stored row that policy_keys
 * does not allow is LKS_EINVAL naming the key. */
int store_policy_timeline(struct store *s, const char *tenant, struct policy_timeline *out,
                          struct lks_err *err);

/* ---- persons and employers (looked up within a tenant) ---- */

/*
 * Append one event of an employer's own record (case/employer.h) and write the
 * record as `e` after applying it (e->version = ev->seq). A new record (e->id 0,
 * version 1) is inserted and its id written into e. A record changed meanwhile by
 * someone else (its stored version is not e->version - 1) is LKS_ESTATE and nothing
 * is written. Inside a transaction; `data_json` is the event's data (codec).
 */
int store_employer_save(struct store *s, const char *tenant, struct employer *e,
                        const struct employer_event *ev, const char *data_json,
                        struct lks_err *err);

/* An event of a record of its own (an employer, a person). */
struct stored_record_event {
    int64_t record_id, seq, case_id;
    const char *type; /* emp_ev_name, per_ev_name */
    int64_t at;
    lks_date date;
    const char *actor, *role, *data;
};

/* The events of an employer's record in order; cb returning non-zero stops. */
int store_employer_events(struct store *s, const char *tenant, int64_t employer_id,
                          int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                          struct lks_err *err);
int store_person_by_bsn(struct store *s, const char *tenant, const char *bsn, struct person *out,
                        struct lks_err *err); /* LKS_ENOTFOUND when none */
int store_employer_by_kvk(struct store *s, const char *tenant, const char *kvk,
                          struct employer *out, struct lks_err *err);
/*
 * The same for a person's own record (case/person.h): append one event and write the
 * record as `p` (p->version = ev->seq); a new one (id 0, version 1) is inserted and its id
 * written into p. A record changed meanwhile is LKS_ESTATE. Inside a transaction.
 */
int store_person_save(struct store *s, const char *tenant, struct person *p,
                      const struct person_event *ev, const char *data_json, struct lks_err *err);
int store_person_events(struct store *s, const char *tenant, int64_t person_id,
                        int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                        struct lks_err *err);
/* A person of the tenant by its id, or LKS_ENOTFOUND. */
int store_person_by_id(struct store *s, const char *tenant, int64_t id, struct person *out,
                       struct lks_err *err);
/* The persons of a tenant by id (for checks of the whole store). */
int store_person_list(struct store *s, const char *tenant,
                      int (*cb)(void *arg, const struct person *p), void *arg, struct lks_err *err);

/* The last access-test date of a person in any case of the tenant other than
 * `except_case`, or LKS_NO_DATE. */
int store_person_last_test(struct store *s, const char *tenant, int64_t person_id,
                           int64_t except_case, lks_date *out, struct lks_err *err);

/* ---- cases ---- */

/* A new case id, unique within the store. */
int store_case_new_id(struct store *s, int64_t *out, struct lks_err *err);

/* The tenant of a case (for operator tools that are not scoped to one tenant). */
int store_case_tenant(struct store *s, int64_t id, char tenant[CASE_ID], struct lks_err *err);

/* The case's read model, or LKS_ENOTFOUND (also for another tenant's case). */
int store_case_get(struct store *s, const char *tenant, int64_t id, struct case_state *out,
                   struct lks_err *err);

/*
 * Append one event and write the case's read model as `cs` (after applying the
 * event), with its deadlines. `parts` (enum case_part) says which lists changed:
 * only those are rewritten (PART_ALL rewrites everything; PART_PAYMENT_ADDED
 * appends the last payment). Person and employer rows are inserted or updated
 * (by BSN / KvK within the tenant) and their ids written back into cs.
 * `ev->seq` must be cs->version; `data_json` is the event's data (codec).
 * Must be called inside a transaction.
 */
int store_case_save(struct store *s, struct case_state *cs, const struct case_event *ev,
                    const char *data_json, unsigned parts, const struct case_deadline *dl, int ndl,
                    struct lks_err *err);

struct stored_event {
    int64_t case_id;
    int64_t seq;
    const char *type; /* ev_type_name */
    int64_t at;
    lks_date date;
    const char *actor;
    const char *role;
    const char *data; /* JSON */
};

/* The events of a case in order; cb returning non-zero stops (and is returned). */
int store_case_events(struct store *s, const char *tenant, int64_t id,
                      int (*cb)(void *arg, const struct stored_event *e), void *arg,
                      struct lks_err *err);

struct case_summary {
    int64_t id;
    enum case_status status;
    char person_name[CASE_TEXT];
    char employer_name[CASE_TEXT];
    char case_worker[CASE_USER];
    char person_bsn[10]; /* for the processing log; not shown in lists */
    char employer_kvk[9];
    lks_date next_due; /* most urgent open deadline, or LKS_NO_DATE */
};

struct case_filter {
    int status;              /* enum case_status, or -1 */
    const char *case_worker; /* or NULL */
    int64_t employer_id;     /* or 0 */
    int64_t after_id;        /* keyset pagination: ids greater than this */
    int limit;
};

/*
 * The work list: the cases of a tenant with their most urgent open deadline, that first
 * (overdue first, then the soonest), then by id; only cases with an open deadline unless
 * `all`; with `newest` the latest case first instead. `text` finds a part of the worker's or employer's name (case-insensitive for
 * ASCII letters), or a KvK number or case number exactly. `offset` and `limit` select a
 * page; each row also carries the number of rows of the whole list.
 */
struct worklist_filter {
    int status;               /* enum case_status, or -1 */
    const char *case_worker;  /* or NULL */
    const char *employer_kvk; /* or NULL */
    const char *text;         /* or NULL */
    bool all;                 /* also cases without an open deadline */
    bool newest;              /* the latest case first (by id) instead of the most urgent */
    int offset, limit;        /* limit 1..1000 */
};

struct worklist_row {
    struct case_summary c;  /* c.next_due: the most urgent open deadline, or LKS_NO_DATE */
    enum dl_kind next_kind; /* its kind (when c.next_due is set) */
    int64_t total;          /* rows in the whole list */
};

int store_worklist(struct store *s, const char *tenant, const struct worklist_filter *f,
                   int (*cb)(void *arg, const struct worklist_row *r), void *arg,
                   struct lks_err *err);

/* Cases of a tenant by id, filtered. */
int store_case_list(struct store *s, const char *tenant, const struct case_filter *f,
                    int (*cb)(void *arg, const struct case_summary *c), void *arg,
                    struct lks_err *err);

/* The cases of a person within a tenant, by id. */
int store_person_cases(struct store *s, const char *tenant, int64_t person_id,
                       int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                       struct lks_err *err);

/* The employers of a tenant, by id. */
int store_employer_list(struct store *s, const char *tenant,
                        int (*cb)(void *arg, const struct employer *e), void *arg,
                        struct lks_err *err);

/* Every case id of a tenant (NULL = all tenants) in order, with its tenant. */
int store_case_ids(struct store *s, const char *tenant,
                   int (*cb)(void *arg, const char *tenant, int64_t id), void *arg,
                   struct lks_err *err);

struct deadline_row {
    const char *tenant;
    int64_t case_id;
    enum dl_kind kind;
    lks_date start, due, done;
    int index;
};

/* The deadlines of a case as stored with its last event (the work list reads the same
 * rows), in their order; at most `max`; corrupt rows are LKS_EIO. */
int store_case_deadlines(struct store *s, const char *tenant, int64_t id, struct case_deadline *out,
                         int max, int *n, struct lks_err *err);

/* The most urgent open deadline as stored on the case row (migration 11; only kind and
 * due are set): *has false when the row says none. LKS_ENOTFOUND for no such case. */
int store_case_next(struct store *s, const char *tenant, int64_t id, bool *has,
                    struct case_deadline *out, struct lks_err *err);

/* The latest start of a stored deadline of the tenant whose kind is in `kinds` (bit
 * per enum dl_kind), or LKS_NO_DATE when there is none. */
int store_deadlines_latest_start(struct store *s, const char *tenant, unsigned kinds, lks_date *out,
                                 struct lks_err *err);

/* Deadlines open on `on` (started on or before it, and not done or done after it) of a
 * tenant (NULL = all), most urgent (earliest due) first. */
int store_deadlines_open(struct store *s, const char *tenant, lks_date on,
                         int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                         struct lks_err *err);

/* ---- rule rows: an operator's rows of the rule tables (append-only) ---- */

/* One row as stored (migration 3). Pointers given to a callback are valid during it. */
struct store_rule_row {
    int64_t id;        /* given by the store */
    const char *table; /* "wml", "wml_youth", "allowance", "lks" */
    lks_date from;
    const char *cells;  /* JSON object of the table's columns: {"month":"2338.20",...} */
    const char *source; /* where the figures are published: "Stcrt. 2026, nr. 12345" */
    const char *user;   /* login name of who added it (an existing user) */
    int64_t at;         /* when, seconds since the epoch */
};

/* Inside a write transaction: another adder waits here until this transaction ends, so
 * what is read after it stays the store's rows until the commit. */
int store_rule_lock(struct store *s, struct lks_err *err);
/* Append a row; must be called inside a write transaction. row->id is set. Refused
 * (LKS_ESTATE) by the database when the user does not exist or a value is not allowed. */
int store_rule_add(struct store *s, struct store_rule_row *row, struct lks_err *err);
/* Every row in the order it was added; cb returning non-zero stops (and is returned). */
int store_rule_rows(struct store *s, int (*cb)(void *arg, const struct store_rule_row *r),
                    void *arg, struct lks_err *err);
/* A number that changes with every row added (rows are never changed or removed): the
 * number of rows. One cheap statement; compare it with a kept value to tell whether the
 * rules derived from the rows may still be used. */
int store_rules_version(struct store *s, int64_t *out, struct lks_err *err);

/* ---- idempotency keys: a repeated POST gets its first answer ---- */

#define STORE_IDEM_KEY_MAX 64

struct store_idem {
    char user[64]; /* whose key: keys of different users never meet */
    char key[STORE_IDEM_KEY_MAX + 1];
    char hash[65];   /* hex SHA-256 of the request it was used for */
    int64_t created; /* seconds since the epoch */
    int status;      /* the answer's status; 0 while not recorded */
    int64_t case_id; /* the case the request changed, or 0 */
    char content_type[96];
    char location[128];
    char bsn[10]; /* whom the answer discloses, for a repeat's log */
    char object[48];
};

/* The key's record; its answer's body (malloc'd, NUL-terminated; the caller frees it)
 * when recorded, else NULL. LKS_ENOTFOUND when the user never used the key. */
int store_idem_get(struct store *s, const char *user, const char *key, struct store_idem *out,
                   char **body, size_t *len, struct lks_err *err);
/* Reserve a key inside the caller's write transaction, so that the change it came with
 * and the key commit together (LKS_ESTATE when the key exists already). The user's keys
 * created before `expire_before` are removed first. */
int store_idem_reserve(struct store *s, const struct store_idem *r, int64_t expire_before,
                       struct lks_err *err);
/* Record a key's answer: the reserved record gets it, or a new one is inserted (a request
 * whose effect needs no transaction of its own). Its own statement. */
int store_idem_finish(struct store *s, const struct store_idem *r, const char *body, size_t len,
                      struct lks_err *err);

/* ---- letters: a municipality's settings, and the letters as sent (migration 10) ---- */

/* A municipality's letter settings; out->logo is malloc'd (the caller frees it) or NULL.
 * LKS_ENOTFOUND when it has none. */
int store_letter_settings_get(struct store *s, const char *tenant, struct letter_settings *out,
                              struct lks_err *err);
/* Set them (all fields, the logo included), recording who and when. */
int store_letter_settings_put(struct store *s, const struct letter_settings *in, const char *by,
                              int64_t at, struct lks_err *err);

struct store_letter {
    char kind[16];      /* letter_kind_name */
    int n;              /* the decision's or the objection's number (1-based) */
    char recipient[12]; /* werkgever, werknemer */
    char sha256[65];    /* hex */
    int64_t created;    /* seconds since the epoch */
};
/* A stored letter's record and bytes (*bytes malloc'd; the caller frees it); LKS_ENOTFOUND
 * when not stored. */
int store_letter_get(struct store *s, const char *tenant, int64_t case_id, const char *kind, int n,
                     const char *recipient, struct store_letter *out, unsigned char **bytes,
                     size_t *len, struct lks_err *err);
/* Store a letter; one that is stored already stays as it is (LKS_ESTATE). */
int store_letter_put(struct store *s, const char *tenant, int64_t case_id,
                     const struct store_letter *l, const unsigned char *bytes, size_t len,
                     struct lks_err *err);

/* An online, consistent copy of the whole store into a new file. PostgreSQL refuses
 * (LKS_EINVAL) and names pg_dump. */
int store_backup(struct store *s, const char *to_path, struct lks_err *err);

/* Integrity check of the engine ("ok" in *ok = 1). */
int store_check(struct store *s, int *ok, struct lks_err *err);

#endif

/*
 * employer — an employer's master data as a record of its own, changed only by
 * its own commands, each an event with who and when.
 *
 * An employer (by KvK number within a municipality) is shared by every case with
 * it: its name, address and bank account are what the decisions, letters and
 * payments of all those cases use. A case form never changes them. The first form
 * that names a new KvK number registers the employer; later forms refer to it by
 * KvK. The name and address change through werkgever-gewijzigd. An IBAN never
 * changes in one step: a klantmanager, or the employer for itself, proposes one
 * (iban-voorgesteld), and it becomes the account payments use only when a user
 * with the role financieel who did not propose it confirms it (iban-bevestigd,
 * four eyes); until then the confirmed one stays in force. The first IBAN of a
 * new employer goes the same way.
 *
 * Pure, like process.h: employer_decide checks a command against the table of
 * roles and the record and completes it; employer_apply folds an accepted event
 * into the record and refuses (never crashes on) an event that does not fit.
 * Who may act for which employer (a werkgever only for its own KvK) is the
 * caller's scope check (app.h); this module knows roles, not users' companies.
 */
#ifndef LKS_CASE_EMPLOYER_H
#define LKS_CASE_EMPLOYER_H

#include <stdint.h>

#include "base/err.h"
#include "case/event.h"
#include "case/model.h"

enum emp_ev_type {
    EMP_GEREGISTREERD,    /* werkgever-geregistreerd: the record starts */
    EMP_GEWIJZIGD,        /* werkgever-gewijzigd: name, address, size, sector hours, insurance */
    EMP_IBAN_VOORGESTELD, /* iban-voorgesteld: a new account waits for confirmation */
    EMP_IBAN_BEVESTIGD,   /* iban-bevestigd: a financieel who did not propose it confirms */
    EMP_IBAN_AFGEWEZEN,   /* iban-afgewezen: the proposal is refused, the old account stays */
    EMP_OVERGENOMEN,      /* werkgever-overgenomen: a record taken over as it was, IBAN and
                           * all, by the store upgrade that began employers' own history */
    EMP_EV_COUNT
};

struct employer_event {
    enum emp_ev_type type;
    int64_t seq;          /* 1-based position in the employer's stream (set when stored) */
    int64_t at;           /* when it was recorded, seconds since the epoch (UTC) */
    lks_date date;        /* the business date */
    char actor[CASE_USER];
    enum role role;
    int64_t case_id;      /* the case whose form gave it, or 0 */
    struct employer data; /* geregistreerd, gewijzigd: the fields (iban and proposal ignored);
                           * overgenomen: the record with its IBAN */
    char iban[35];        /* voorgesteld: the proposal; bevestigd: filled by employer_decide */
    char reason[CASE_TEXT]; /* afgewezen: why */
};

struct employer_transition {
    enum emp_ev_type ev;
    uint32_t roles; /* bit per enum role that may give the command */
    const char *basis;
};
extern const struct employer_transition employer_transitions[EMP_EV_COUNT];

const char *emp_ev_name(enum emp_ev_type t); /* "werkgever-geregistreerd", … */
int emp_ev_parse(const char *s);             /* -1 when unknown */

/*
 * The fields of an employer as a form or a command gives them: KvK number, name
 * (when `name_required`), postcode and IBAN when given, the sector's full-time hours
 * (0 = unknown, else 1–60), the number of employees. `prefix` goes before every
 * field name in the error ("werkgever." in a case form). LKS_EINVAL naming the field.
 */
int employer_check_fields(const struct employer *w, const char *prefix, bool name_required,
                          struct lks_err *err);

/*
 * Check a command on the record `e` (version 0: not registered yet) and complete it.
 * LKS_EFORBIDDEN for a role the table does not name or a confirmation by the user
 * who proposed; LKS_ESTATE when the record does not allow it now (no proposal to
 * confirm, one already waiting, not registered); LKS_EINVAL for bad data.
 */
int employer_decide(const struct employer *e, struct employer_event *ev, struct lks_err *err);

/* Apply an event to the record; LKS_EINVAL (nothing changed) when it does not fit
 * the record, e.g. an event read back from a damaged store. */
int employer_apply(struct employer *e, const struct employer_event *ev, struct lks_err *err);

/* The commands (bit per enum emp_ev_type) this role may give on `e` now. */
uint32_t employer_commands(const struct employer *e, enum role role);

#endif

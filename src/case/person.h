/*
 * person — a worker's personal data as a record of its own, changed only by its own
 * commands, each an event with who and when.
 *
 * A person (by BSN within a municipality) may be in several cases, with different
 * employers. What a case shows of the person (name, birth date, address, household,
 * benefit) is this record, so one party's form must never change what another party's
 * case shows: the first case form that names a BSN registers the person; a later form
 * changes nothing, except that a klantmanager's form completes what the record does not
 * have yet (a person-gewijzigd event with its case); a change of what is there is a
 * klantmanager's persoon-gewijzigd. The BSN is the record's identity and never changes.
 *
 * Pure, like employer.h: person_decide checks a command against the roles and the
 * record, person_apply folds an accepted event and refuses one that does not fit.
 */
#ifndef LKS_CASE_PERSON_H
#define LKS_CASE_PERSON_H

#include <stdint.h>

#include "base/err.h"
#include "case/event.h"
#include "case/model.h"

enum per_ev_type {
    PER_GEREGISTREERD, /* persoon-geregistreerd: the record starts (from a case form) */
    PER_GEWIJZIGD,     /* persoon-gewijzigd: name, birth date, address, household, benefit */
    PER_OVERGENOMEN,   /* persoon-overgenomen: a record taken over as it was, by the store
                        * upgrade that began persons' own history */
    PER_EV_COUNT
};

struct person_event {
    enum per_ev_type type;
    int64_t seq;         /* 1-based position in the person's stream (set when stored) */
    int64_t at;          /* when it was recorded, seconds since the epoch (UTC) */
    lks_date date;       /* the business date */
    char actor[CASE_USER];
    enum role role;
    int64_t case_id;     /* the case whose form gave it, or 0 */
    struct person data;  /* the record's fields after the event (the BSN is the record's) */
};

struct person_transition {
    enum per_ev_type ev;
    uint32_t roles; /* bit per enum role that may give the command */
    const char *basis;
};
extern const struct person_transition person_transitions[PER_EV_COUNT];

const char *per_ev_name(enum per_ev_type t); /* "persoon-geregistreerd", … */
int per_ev_parse(const char *s);             /* -1 when unknown */

/*
 * The fields of a person as a form or a command gives them: the BSN, the name (when
 * `name_required`), the postcode when given, a birth date that gives a plausible age on
 * `on` (15–80). `prefix` goes before each field name ("werknemer." in a case form).
 */
int person_check_fields(const struct person *p, const char *prefix, bool name_required,
                        lks_date on, struct lks_err *err);

/* Check a command on the record `p` (version 0: not registered yet) and complete it:
 * LKS_EFORBIDDEN for a role the table does not name, LKS_ESTATE when the record does not
 * allow it now, LKS_EINVAL for bad data. */
int person_decide(const struct person *p, struct person_event *ev, struct lks_err *err);

/* Apply an event; LKS_EINVAL (nothing changed) when it does not fit the record. */
int person_apply(struct person *p, const struct person_event *ev, struct lks_err *err);

/* The commands (bit per enum per_ev_type) a role may give on `p` now. */
uint32_t person_commands(const struct person *p, enum role role);

/* Fill what `to` lacks (empty texts, unknown dates, "onbekend") from `from`; whether
 * anything was filled. The BSN is never touched. */
bool person_complete(struct person *to, const struct person *from);

/* Whether `form` says something else than `p` where both say something. */
bool person_differs(const struct person *p, const struct person *form);

#endif

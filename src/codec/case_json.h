/*
 * case_json — cases and events as JSON, both ways, from one description.
 *
 * Every struct of the domain (person, employer, placement, measurement, …)
 * is described once by a table of fields (JSON name, type, offset); one
 * generic writer and one strict reader walk those tables. So the API, the
 * CLI, the stored events and `lks zaak toon` all use the same names, and
 * adding a field is one line. Conventions: money as a string "1234.56",
 * percentages and hours as a string "57.5" or a whole number (never a JSON
 * real: no binary floating point), dates "YYYY-MM-DD" or null.
 *
 * Reading is strict: unknown fields, wrong types and missing required
 * fields are all reported at once (lks_errlist) with the path of the field
 * ("werkgever.kvk"). Fields the system computes (an amount, a deadline) are
 * refused in commands and read back only from stored events.
 */
#ifndef LKS_CODEC_CASE_JSON_H
#define LKS_CODEC_CASE_JSON_H

#include <jansson.h>

#include "base/err.h"
#include "base/jw.h"
#include "case/employer.h"
#include "case/event.h"
#include "case/person.h"
#include "case/model.h"
#include "case/process.h"

enum codec_mode {
    CODEC_COMMAND, /* input from a person or system: computed fields refused */
    CODEC_STORED,  /* a stored event: every field */
    CODEC_CHANGE   /* a change to a record: as a command, but only what changes is given */
};

/*
 * Read the data of an event of type ev->type (set by the caller) from `data`
 * into ev->d. Returns 0 or LKS_EINVAL with every fault in errs.
 */
int codec_event_data_parse(const json_t *data, enum codec_mode mode, struct case_event *ev,
                           struct lks_errlist *errs);

/* Write ev->d as a JSON object (what the store keeps as the event's data). */
void codec_event_data(struct jw *w, const struct case_event *ev);

/* The whole case for people and systems: status, parties, placement, lists, and
 * the deadlines given (with their state on `today`). */
void codec_case(struct jw *w, const struct case_state *cs, const struct case_deadline *dl,
                int ndl, lks_date today);

/* The same, left open for the caller to add keys (then jw_obj_close). */
void codec_case_open(struct jw *w, const struct case_state *cs, const struct case_deadline *dl,
                     int ndl, lks_date today);

/*
 * The data of an employer's own event (case/employer.h), both ways. Parsing writes
 * only the fields given into ev (a change names only what changes: the caller fills
 * ev->data with the current record first); ev->type is set by the caller.
 */
int codec_employer_event_parse(const json_t *data, enum codec_mode mode,
                               struct employer_event *ev, struct lks_errlist *errs);
void codec_employer_event_data(struct jw *w, const struct employer_event *ev);
/* An employer's record for people and systems, with the IBAN change that waits. */
void codec_employer(struct jw *w, const struct employer *e);

/* The same for a person's own record (case/person.h); a change names only what changes. */
int codec_person_event_parse(const json_t *data, enum codec_mode mode, struct person_event *ev,
                             struct lks_errlist *errs);
void codec_person_event_data(struct jw *w, const struct person_event *ev);
void codec_person(struct jw *w, const struct person *p);

/* One deadline object (also used by the work list). */
void codec_deadline(struct jw *w, const struct case_deadline *d, lks_date today);

#endif

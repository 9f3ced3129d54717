/*
 * internal — what the files of the app layer share (not public; see app.h).
 */
#ifndef LKS_APP_INTERNAL_H
#define LKS_APP_INTERNAL_H

#include "app/app.h"

/* The actor is complete (municipality, user, role; an employer with its KvK), or an
 * error naming what is missing. */
int app_actor_check(const struct app_actor *who, struct lks_err *err);
/* LKS_EFORBIDDEN unless the actor has the capability. */
int app_refuse_cap(const struct app_actor *who, enum app_cap cap, struct lks_err *err);
/* The answer for what does not exist for the caller. */
int app_not_found(struct lks_err *err, const char *field, const char *what);
int app_case_not_found(struct lks_err *err, int64_t id);
/* End a change the app made in its own write transaction: when rc is 0, tell the
 * before_commit hook (app.h) that `object` changed and commit; on any failure roll back.
 * Returns rc, or the hook's or the commit's error. */
int app_finish(struct app *a, int rc, const char *object, struct lks_err *err);
/* Add a note of the current command (app.h: notes). */
void app_note(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The municipality's policy history into a->tl. */
int app_timeline(struct app *a, const char *tenant, struct lks_err *err);
/* The "datum" of a JSON command (today when absent); an error under "datum" in errs. */
int app_json_date(const struct app *a, const json_t *cmd, lks_date *out,
                  struct lks_errlist *errs);
/* Stamp an event of an employer's or a person's record with who gives it and when, and
 * its business date (today when unset); LKS_EINVAL on "datum" for a date after today. */
int app_record_stamp(struct app *a, const struct app_actor *who, char actor[CASE_USER],
                     enum role *role, int64_t *at, lks_date *date, struct lks_err *err);
/*
 * Check, apply and store one event of an employer's record `e` inside the caller's
 * transaction, as `who` (actor, role, time and date filled here when unset). On
 * success `e` is the record after it.
 */
int app_employer_apply(struct app *a, const struct app_actor *who, struct employer *e,
                       struct employer_event *ev, struct lks_err *err);

/* The same for a person's record. */
int app_person_apply(struct app *a, const struct app_actor *who, struct person *p,
                     struct person_event *ev, struct lks_err *err);

/* The parts of a stored event's JSON that case and employer events share: number,
 * type, date, when and by whom (head), and its data under "gegevens" (body), which our
 * own writer made and is checked to be an object before it is passed on. */
void app_event_head(struct jw *w, int64_t seq, const char *type, lks_date date, int64_t at,
                    const char *actor, const char *role);
void app_event_body(struct jw *w, const char *data);

#endif

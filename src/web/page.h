/*
 * page — what the pages of the desk and the portal share (private to src/web): the
 * template set, rendering a page inside the layout, a redirect after a form (Post/
 * Redirect/Get), an error page, and the error summary of a form.
 *
 * A page handler is an api_fn (api/internal.h) on a route of web_route_table: the router
 * has authenticated the user, checked the capability and the CSRF token, and parsed a
 * posted form into c->form. The handler asks the app for everything (scope, permissions,
 * the view, changes), builds a JSON value for its template and calls page_render. Every
 * byte of user data reaches the HTML through a template (tpl.h), so it is escaped for its
 * context; no handler writes markup itself.
 *
 * Failures: page_render answers 500 with a plain error page when a template cannot be
 * rendered (a bug: the set was checked at start); out of memory is a 503 page.
 */
#ifndef LKS_WEB_PAGE_H
#define LKS_WEB_PAGE_H

#include <jansson.h>

#include "api/internal.h"
#include "web/form.h"
#include "web/tpl.h"

#define PAGE_MAX_BYTES (8u << 20) /* one page's HTML at most */

/* The templates, loaded once at start (web_init). */
const struct tpl_set *page_templates(void);

/* Render template `tpl` with `data` (taken over; may be NULL) as the body of the layout,
 * with `title`, and answer with `status`. `current` is the menu item's path shown as the
 * current page (or NULL). */
void page_render(struct api_ctx *c, int status, const char *title, const char *current,
                 const char *tpl, json_t *data);

/* The same into a response of a thread that is not the request's (the hashing pool's
 * answer to a login): no user, no menu. */
void page_render_resp(struct http_resp *r, int status, const char *title, const char *tpl,
                      json_t *data);

/* 303 See Other to a local path. */
void page_redirect(struct api_ctx *c, const char *location);

/* An error page: status, a title and what happened, in plain words. */
void page_error(struct api_ctx *c, int status, const char *title, const char *detail);

/* The JSON a form template shows its errors with: {"aantal": n, "lijst": [{"veld",
 * "id", "melding"}], "velden": {veld: melding}}, the ids being the inputs' ids
 * (page_field_id) and the keys of "velden" the field names with '_' for '.' (a template
 * path: fouten.velden.werknemer_naam). NULL when there are none. */
json_t *page_errors(const struct lks_errlist *errs);

/* The id of the input of a field name ("werknemer.naam" → "f-werknemer-naam"). */
void page_field_id(const char *field, char *out, size_t n);

/* The session's CSRF token for the forms of this page ("" when not logged in). */
const char *page_csrf(const struct api_ctx *c);

/* Whether a path is a local one to send a user back to after logging in. */
bool page_local_path(const char *p);

/* A deadline's state in words, never colour alone, into `t`: "badge" (overdue, soon —
 * within a week —, ok) and "badgeTekst" ("Te laat: 3 dagen", "Vandaag", "Nog 5 dagen"),
 * for `days` left (negative: overdue). */
void page_badge(json_t *t, int days);

/* A moment (Unix seconds) as people in the Netherlands read it: under `date_key` its date
 * in Europe/Amsterdam (ISO, for the template's |datum) and under `time_key` its time there
 * ("00:30"), not the UTC day (base/clock.h). */
void page_set_moment(json_t *o, const char *date_key, const char *time_key, int64_t unix_seconds);

/* json helpers: a string (NULL → ""), an integer, a boolean into an object. */
void page_set_str(json_t *o, const char *k, const char *v);
void page_set_int(json_t *o, const char *k, int64_t v);
void page_set_bool(json_t *o, const char *k, bool v);

#endif

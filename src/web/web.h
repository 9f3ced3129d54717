/*
 * web — the pages of lks on the same server as the API: the desk of the municipality's
 * staff and the employer portal, server-rendered HTML in Dutch that works without
 * JavaScript. What the router needs of them: the page routes (a second route table, the
 * paths not under /api/), the templates loaded once at start, the assets under /static/,
 * and the HTML forms of the answers the router gives itself (an error, a login needed).
 *
 * The request's life is the API's (api/router.c): the same threads, store, app,
 * authentication (the session cookie only), capabilities, processing log and
 * Idempotency-Key; a page differs in its body (an HTML form: urlencoded or multipart,
 * with the session's CSRF token in the field _csrf), in its answers (HTML, a redirect to
 * the login page instead of a 401) and in its headers (a strict CSP).
 */
#ifndef LKS_WEB_WEB_H
#define LKS_WEB_WEB_H

#include <stdbool.h>

#include "api/internal.h"

extern const struct api_route web_route_table[];
extern const int web_route_n;

/* Load and check the templates (once; LKS_EINVAL naming the template at fault). */
int web_init(struct lks_err *err);
void web_free(void);

/* Whether a page route has this path (for the menu). */
bool web_route_exists(const char *path);

/* Answer a request for an asset under /static/ (true), or leave it (false). */
bool web_asset(const struct http_req *req, struct http_resp *resp);

/* The page's body: a POST's form parsed into c->form (LKS_EINVAL: answered 400). False
 * when answered. */
bool web_body(struct api_ctx *c);

/* The router's own answers as pages: an error page; a user not logged in is sent to the
 * login page with the path to return to. */
/* The same as a page into a response of another thread (the processing log's answer when
 * the log could not be written): no user, no menu. */
void web_problem_resp(struct http_resp *r, int status, const char *title, const char *detail);

void web_problem(struct api_ctx *c, int status, const char *title, const char *detail,
                 const struct lks_errlist *errs);
void web_login_needed(struct api_ctx *c);
/* A 503 page: the password could not be checked now (the hashing pool's answer). */
void web_busy_page(struct http_resp *r);

#endif

/*
 * internal — what the API's router and its handler files share (not public).
 */
#ifndef LKS_API_INTERNAL_H
#define LKS_API_INTERNAL_H

#include <jansson.h>
#include <pthread.h>

#include "api/api.h"
#include "api/views.h"
#include "app/app.h"
#include "auth/auth.h"
#include "auth/pool.h"
#include "base/jw.h"
#include "web/form.h"

#define API_MAX_PARAMS 3
/* Processing-log entries one request may make: a page of the work list is at most 100
 * cases, one entry each; everything else makes one. */
#define API_LOG_MAX 128
/* ...but the monitoring report (getMeetfactoren) makes one per person in it, and a
 * municipality has thousands: up to this many (about 72 bytes each while the request
 * runs). They are submitted in units of PLOG_SUBMIT_MAX; a large report holds its thread
 * while the processing log's queue makes room. */
#define API_LOG_REPORT_MAX 1000000

struct api {
    struct api_config cfg;
    pthread_key_t key;
    struct auth_pool *pool; /* password checks, off the serving threads (auth/pool.h) */
};

/* Per-thread resources: a store connection, an app on it, and what this thread keeps
 * while the store is unchanged (checked credentials, rendered cases, the rules). */
struct api_thread {
    struct store *store;
    struct app app;
    struct auth_cache auth;
    struct api_views views;
    /* The rule tables this thread computes with: `base` (cfg.rules: built-in and the
     * override directory) with the store's rows, as of store_rules_version `rules_version`,
     * checked at store_generation `rules_gen` (router.c, thread_rules). */
    const struct rules *base;
    struct rules *rules;
    int64_t rules_version; /* -1: not built yet */
    uint64_t rules_gen;    /* 0: check again at the next request */
    /* The api as this thread's requests see it (c->api): the shared configuration with
     * cfg.rules = rules, so every handler and the app compute with the thread's rules. */
    struct api view;
};

/* One request as the handlers see it. */
struct api_route;
struct api_log;

struct api_ctx {
    struct api *api;
    const struct api_route *route;
    const struct http_req *req;
    struct http_resp *resp;
    struct api_thread *t;
    uint64_t gen;          /* GET: the read transaction's store_generation, or 0 */
    struct auth_user user; /* valid when authed */
    struct app_actor who;  /* the same user as the app layer's actor (valid when authed) */
    bool authed;
    char csrf[AUTH_TOKEN_CHARS];
    const char *param[API_MAX_PARAMS];
    char param_buf[API_MAX_PARAMS][64]; /* a login name has at most 63 bytes */
    json_t *body;                       /* parsed JSON body of POST/PUT, or NULL */
    struct jw w;                        /* the response body */
    struct api_log *log;    /* processing-log entries of this request (api_log), or NULL */
    bool log_failed;        /* an entry could not be kept: the answer becomes 503 */
    struct store_idem idem; /* the request's Idempotency-Key (key "" when none) */
    bool page;              /* a page of the desk or the portal (web/web.h), not the API */
    bool has_form;          /* a page's POST: its form (web_body), freed by the router */
    struct form form;
    bool idem_reserved; /* reserved with the change the request committed */
    int64_t t0;         /* the monotonic clock (ns) at dispatch, for Server-Timing */
};

typedef void (*api_fn)(struct api_ctx *c);

/* Who may call a route: the public, any logged-in user, or an app capability (app.h
 * decides which roles have it; the app checks scope and the process each command). */
enum api_access {
    API_PUBLIC,     /* anyone */
    API_ANY_USER,   /* any logged-in user */
    API_CASE_READ,  /* APP_CAP_CASES */
    API_CASE_WRITE, /* APP_CAP_COMMANDS */
    API_MUNICIPAL,  /* APP_CAP_MUNICIPAL */
    API_EMPLOYERS,  /* APP_CAP_EMPLOYERS */
    API_AUDIT,      /* APP_CAP_AUDIT */
    API_ADMIN,      /* APP_CAP_USERS */
    API_INSTALL     /* APP_CAP_RULES: the whole installation, no municipality */
};

struct api_route {
    const char *method;
    const char *path;
    const char *operation;
    enum api_access access;
    api_fn fn;
    int ev; /* for command routes: enum ev_type (enum emp_ev_type on an employer, enum per_ev_type
             * on a person), else -1 */
};

extern const struct api_route api_route_table[];
extern const int api_route_n;

/* ---- helpers (router.c) ---- */

/* Finish with JSON from c->w and a status. */
void api_json(struct api_ctx *c, int status);
/* Finish with a problem for an lks_err (status from its code and field). */
void api_fail(struct api_ctx *c, const struct lks_err *e);
void api_fail_list(struct api_ctx *c, const struct lks_errlist *errs);
void api_problem(struct api_ctx *c, int status, const char *title, const char *detail);
/* Path parameter i as a positive id; answers 404 itself and returns false when not. */
bool api_param_id(struct api_ctx *c, int i, int64_t *out);
/*
 * Record a processing-log entry (personal data) for this request. Nothing is
 * written yet: when the handler is done with a 2xx/3xx answer, the router
 * submits the request's entries together and sends the answer only once they
 * are durable, or 503 instead if they cannot be written. More than
 * API_LOG_MAX entries (API_LOG_REPORT_MAX for the report), or no memory for
 * them, also turn the answer into 503; c->log_failed then tells the handler.
 */
void api_log(struct api_ctx *c, int action, const char *bsn, const char *object);

/* The same entry written now and waited for (plog_write): what a change must make durable
 * before it commits. LKS_EUNAVAIL when the log cannot take it. */
int api_log_now(struct api_ctx *c, int action, const char *bsn, const char *object,
                struct lks_err *err);

/*
 * Lists: every list route answers {"resultaten": [...], "pagina": N, "paginaGrootte": M}
 * with a Link header (first, prev, next) and the items in a fixed order. The handler
 * parses the page, walks its ordered list (api_page_next per item, after its own
 * filters) between api_page_open and api_page_answer.
 */
#define API_PAGE_MAX          1000000
#define API_PAGE_SIZE_DEFAULT 20
#define API_PAGE_SIZE_MAX     100
#define API_PAGE_KEEP_MAX     6 /* filter parameters a Link carries along */

struct api_page {
    int page, size; /* the query's page (from 1) and pageSize */
    int skip;       /* items before the page still to pass over */
    int n;          /* items on the page so far */
    bool more;      /* an item follows the page */
};

enum api_page_step {
    API_PAGE_SKIP, /* before the page: leave it out */
    API_PAGE_TAKE, /* on the page: write it (counted) */
    API_PAGE_END   /* after the page: stop the list (more is set) */
};

/* A query parameter as an integer lo..hi, def when absent; else an error named after it. */
int64_t api_query_int(struct api_ctx *c, const char *name, int64_t def, int64_t lo, int64_t hi,
                      struct lks_errlist *errs);
/* page and pageSize of the query into p; a bad value goes into errs under its name. */
void api_page_parse(struct api_ctx *c, struct api_page *p, struct lks_errlist *errs);
/* How many items a store must give at most: those before the page, the page, and one
 * more to know whether a next page exists. */
int api_page_limit(const struct api_page *p);
/* Where the next item of the list falls. */
enum api_page_step api_page_next(struct api_page *p);
/* Start the answer: {"resultaten": [ */
void api_page_open(struct api_ctx *c);
/* Close the list with pagina and paginaGrootte and set the Link header; the links keep
 * the query parameters named in keep (NULL-terminated, at most API_PAGE_KEEP_MAX). The
 * object stays open for more keys. */
void api_page_close(struct api_ctx *c, const struct api_page *p, const char *const *keep);
/* api_page_close, then close the object and answer 200. */
void api_page_answer(struct api_ctx *c, const struct api_page *p, const char *const *keep);

/* The view of a case the caller may see into *v (the app's view, app.h), or answer
 * the refusal (404 for what is outside its scope) and return false. */
bool api_case_view(struct api_ctx *c, int64_t id, lks_date on, struct app_view *v);

/* The fields of a user everyone may see about it (never a password or token). */
void api_user_json(struct jw *w, const struct auth_user *u);

/*
 * A password check (a login, a password change) on the hashing pool: the answer is
 * deferred (http_defer), so this thread serves other requests meanwhile, and `render`
 * makes it on the pool's thread once the check is done (or refused by the throttle: then
 * the result is a wrong password's). A store that failed or a pool that stops is 503; a
 * full queue is 503 at once, with Retry-After. What render gets is copied from the request.
 */
struct api_wait;
typedef void (*api_wait_render)(struct http_resp *r, const struct auth_job_result *res,
                                const struct api_wait *w);
struct api_wait {
    struct http_pending *pending;
    api_wait_render render;
    bool secure_cookies;
    char path[256];  /* the problem's instance */
    bool is_page;    /* a page's form (web/): its answers are HTML */
    char page[1024]; /* what the page's render needs (its own note, e.g. JSON) */
    int64_t t0;      /* the request's dispatch (api_ctx.t0), for Server-Timing */
};
void api_password_job(struct api_ctx *c, const struct auth_job *job, api_wait_render render);
/* The same for a page's form, with a note its render gets in api_wait.page. */
void api_password_job_page(struct api_ctx *c, const struct auth_job *job, api_wait_render render,
                           const char *note);
/* The client's address as the throttle counts it (auth_client_addr). */
void api_client_addr(const struct api_ctx *c, char out[AUTH_ADDR_CHARS]);

/* ---- handlers ---- */
void h_openapi(struct api_ctx *c);
void h_login(struct api_ctx *c);
void h_logout(struct api_ctx *c);
void h_me(struct api_ctx *c);
void h_password(struct api_ctx *c);
void h_users(struct api_ctx *c);
void h_user(struct api_ctx *c);
void h_user_new(struct api_ctx *c);
void h_user_block(struct api_ctx *c);
void h_user_password(struct api_ctx *c);
void h_user_token_new(struct api_ctx *c);
void h_user_token_revoke(struct api_ctx *c);
void h_cases(struct api_ctx *c);
void h_worklist(struct api_ctx *c);
void h_case(struct api_ctx *c);
void h_case_new(struct api_ctx *c);
void h_case_command(struct api_ctx *c);
void h_case_events(struct api_ctx *c);
void h_case_letter(struct api_ctx *c);
void h_case_part(struct api_ctx *c);
void h_person_search(struct api_ctx *c);
void h_person(struct api_ctx *c);
void h_person_events(struct api_ctx *c);
void h_person_command(struct api_ctx *c);
/* A page of a list being written: the writer and the page (api_page_*). */
struct api_list {
    struct jw *w;
    struct api_page *page;
};
/* The list callback for the events of an employer's or a person's record (arg: api_list). */
int api_record_event_cb(void *arg, const struct stored_record_event *ev);

void h_employers(struct api_ctx *c);
void h_employer(struct api_ctx *c);
void h_employer_events(struct api_ctx *c);
void h_employer_new(struct api_ctx *c);
void h_employer_command(struct api_ctx *c);
void h_deadlines(struct api_ctx *c);
void h_report(struct api_ctx *c);
void h_processing_log(struct api_ctx *c);
void h_calc_lks(struct api_ctx *c);
void h_calc_ld(struct api_ctx *c);
void h_calc_ie(struct api_ctx *c);
void h_calc_term(struct api_ctx *c);
void h_calc_toets(struct api_ctx *c);
void h_rules(struct api_ctx *c);
void h_rule_add(struct api_ctx *c);
void h_status(struct api_ctx *c);
/* the payment run (h_betaal.c) */
void h_payruns(struct api_ctx *c);
void h_payrun_new(struct api_ctx *c);
void h_payrun(struct api_ctx *c);
void h_payrun_lines(struct api_ctx *c);
void h_payrun_approve(struct api_ctx *c);
void h_payrun_cancel(struct api_ctx *c);
void h_payrun_sepa(struct api_ctx *c);
void h_payrun_csv(struct api_ctx *c);
void h_bank_statement(struct api_ctx *c);
void h_case_paylines(struct api_ctx *c);

#endif

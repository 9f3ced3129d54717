/*
 * api — the JSON API under /api/v1 (NL API Design Rules), as one handler for
 * the HTTP layer.
 *
 * One table of routes (api_routes) says for each route its method, path,
 * operationId, who may call it and what personal data it touches; the
 * router matches it, authenticates the caller (session cookie or API token),
 * scopes every store call to the caller's municipality, checks media types,
 * writes the processing log for personal data, and turns every lks_err into
 * application/problem+json (400 with invalidParams, 403, 404, 409, 415, 406).
 * Handlers are a few lines: parse, call app/ or store/, render with codec/.
 *
 * Threads: api_handle runs on the HTTP threads; each thread has its own store
 * connection, app scratch and rule tables (thread-local, made on first use): the
 * shared base tables with the store's rule rows, rebuilt when the store's rules
 * version changed, so a row added through any server or the CLI is used by the next
 * request on every server. The processing log is shared and thread-safe.
 */
#ifndef LKS_API_API_H
#define LKS_API_API_H

#include <stdbool.h>

#include "base/err.h"
#include "http/http.h"
#include "rules/tables.h"
#include "store/plog.h"

#define API_VERSION "1.0.0"

struct api_config {
    const char *db;              /* store URL (each thread opens its own connection) */
    const struct rules *rules;   /* built-in and override directory: shared, read-only;
                                  * each thread adds the store's rows (internal.h) */
    struct plog *plog;           /* shared processing log */
    bool secure_cookies;         /* behind TLS: cookies get Secure */
};

struct api;

int api_init(struct api **out, const struct api_config *cfg, struct lks_err *err);
void api_free(struct api *a);

/* The http_handler: ctx is the struct api. */
void api_handle(void *ctx, const struct http_req *req, struct http_resp *resp);

/* The route table, for the OpenAPI check. */
struct api_route_info {
    const char *method;
    const char *path;        /* "/api/v1/zaken/{id}" */
    const char *operation;   /* operationId */
};
int api_route_count(void);
void api_route_get(int i, struct api_route_info *out);

/* The OpenAPI document served at /api/v1/openapi.json (compiled in). */
extern const char api_openapi_json[];

#endif

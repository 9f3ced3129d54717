/*
 * http — the HTTP layer: a server on libmicrohttpd that knows no domain.
 *
 * It reads a request within limits (header size, body size, time, number of
 * connections), hands it to one handler as a struct http_req, and sends the
 * struct http_resp the handler filled, with the security headers every
 * response carries (Cache-Control: no-store, X-Content-Type-Options: nosniff,
 * Content-Security-Policy with frame-ancestors 'none', Referrer-Policy,
 * X-Frame-Options) and any headers the handler added. Requests that break a
 * rule of HTTP/1.1 or a limit are answered here with application/problem+json
 * (400, 411, 413, 414, 429, 431) and never reach the handler; what
 * libmicrohttpd refuses itself before this layer sees the request is listed in
 * docs/api.md ("What the HTTP layer refuses").
 *
 * Connections: at most `max_per_client` at once from one client address (an
 * IPv4 address, an IPv6 /64); the next few are answered 429 and closed, more
 * are closed at once. A connection that holds no request (none received yet,
 * or between keep-alive requests) is closed after `idle_s` without a byte; the
 * request line must be complete within `timeout_s` (from the connection's start
 * or its last answer), the headers within `timeout_s` of it and the body within
 * `timeout_s` plus a second per 16 KiB announced, with at most `timeout_s` of
 * silence in between. A
 * connection waiting for its answer (the handler, a deferred answer) has no
 * deadline.
 *
 * Threads: one libmicrohttpd daemon per thread, each listening on the same
 * port (SO_REUSEPORT, so the kernel spreads the connections) and driven by
 * this layer's own event loop (epoll); the handler is called on those threads,
 * concurrently, and must be thread-safe. A port already in use is refused, not
 * shared. A response is queued on the access handler's second call (after the
 * body), never the first, so keep-alive holds. http_stop stops accepting, lets
 * requests in flight finish (bounded by `grace_ms`), then returns.
 *
 * Deferred answers: a handler whose answer must wait for something slow but
 * CPU-free (the processing log's commit) calls http_defer and returns; the
 * connection is then suspended instead of answered, so no thread sits
 * waiting, and whoever finishes the work calls http_complete from any
 * thread. That is what lets the pool be the size of the cores.
 *
 * Ownership: request strings are valid during the handler call only. The
 * response owns its body and headers (http_resp_* copy what they are given).
 */
#ifndef LKS_HTTP_HTTP_H
#define LKS_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define HTTP_MAX_RESP_HEADERS 16

struct http_req {
    const char *method; /* "GET", "POST", … */
    const char *path;   /* URL path without the query, percent-decoded */
    const char *query;  /* raw query string after '?', or "" */
    const char *body;   /* request body (NUL-terminated copy), or "" */
    size_t body_len;
    const char *remote; /* client address as text */
    uint64_t id;        /* request number, for logs */
    void *conn;         /* internal: the connection, for header lookups */
    void *state;        /* internal: the request's state, for http_defer */
};

/* A request header by name (case-insensitive), or NULL. */
const char *http_req_header(const struct http_req *r, const char *name);
/* A cookie's value into buf (at most n bytes incl. NUL); false when absent. */
bool http_req_cookie(const struct http_req *r, const char *name, char *buf, size_t n);
/* A query parameter (percent-decoded) into buf; false when absent. */
bool http_req_query(const struct http_req *r, const char *name, char *buf, size_t n);

struct http_resp {
    int status;
    char *body;
    size_t body_len;
    char content_type[96];
    int nheaders;
    char *header[HTTP_MAX_RESP_HEADERS][2];
};

/* Set the body (copied) and its content type. */
void http_resp_body(struct http_resp *r, int status, const char *content_type, const char *data,
                    size_t len);
/* Add a header (copied); false when the table is full. */
bool http_resp_header(struct http_resp *r, const char *name, const char *value);
/* Release the body and headers (the server does this after sending; tests that call a
 * handler directly do it themselves). The struct can be reused afterwards. */
void http_resp_free(struct http_resp *r);

/*
 * An application/problem+json response (RFC 9457 / NL API Design Rules):
 * {"type","title","status","detail","instance", "invalidParams":[{"name","code","reason"}]}.
 * `errs` may be NULL; `instance` is the request path (decoded), written as a URI reference:
 * what is not a plain path character is percent-encoded, so any path gives valid JSON.
 */
void http_problem(struct http_resp *r, int status, const char *title, const char *detail,
                  const char *instance, const struct lks_errlist *errs);

typedef void (*http_handler)(void *ctx, const struct http_req *req, struct http_resp *resp);

/*
 * Defer the answer to the request the handler is called for. The handler
 * fills its http_resp as usual and returns; the layer keeps that response and
 * suspends the connection (holding no thread) until http_complete is called.
 * NULL when the request cannot be deferred (already deferred, not from this
 * layer, out of memory): then the handler's response is sent at once, so the
 * handler must not have filled it with anything it may not send yet.
 */
struct http_pending;
struct http_pending *http_defer(const struct http_req *req);

/*
 * Send a deferred request's answer: the response its handler filled when
 * `replacement` is NULL, else a copy of `replacement` instead (the kept one
 * is then never sent). Call exactly once per pending, from any thread, also
 * after http_stop has returned; the pending is gone afterwards. A deferred
 * request counts as in flight for http_stop; one still deferred when the
 * grace period ends is answered by http_stop itself with 503 problem+json,
 * and its later http_complete only releases it.
 */
void http_complete(struct http_pending *p, const struct http_resp *replacement);

struct http_config {
    const char *listen; /* "127.0.0.1:8080" or "[::1]:8080" */
    unsigned threads;   /* serving threads (default: number of cores) */
    size_t max_body;    /* bytes (default 1 MiB) */
    /* A bigger cap for uploads: a request with Content-Type multipart/form-data whose
     * method and (decoded) path `upload` accepts may have a body of up to max_upload bytes
     * (0 or below max_body: none bigger). Any other request keeps max_body. */
    size_t max_upload;
    bool (*upload)(const char *method, const char *path);
    size_t max_header;  /* bytes of all request headers (default 8 KiB) */
    unsigned timeout_s; /* a request's deadline and longest silence (default 15 s) */
    unsigned idle_s;    /* a connection without a request in progress (default 5 s) */
    unsigned max_conns; /* concurrent connections (default 1024) */
    unsigned max_per_client; /* concurrent connections per client address (default 64) */
    unsigned grace_ms;  /* http_stop waits at most this for requests in flight (5000) */
    /* One more header on every response, also those this layer answers itself (400, 413,
     * 429, 431, 500, …): e.g. {"API-Version", "1.0.0"}. NULL name = none. Not overridden
     * by handlers. */
    const char *always_header[2];
};

struct http_server;

int http_start(struct http_server **out, const struct http_config *cfg, http_handler h, void *ctx,
               struct lks_err *err);
/* The port actually bound (useful with port 0 in tests). */
unsigned http_port(const struct http_server *s);
void http_stop(struct http_server *s);

#endif

/*
 * http — see http.h.
 *
 * Per request, MHD calls us in this order: the URI log callback (with the raw
 * request target, before MHD splits and decodes it), the access handler once
 * after the headers, once per piece of body, once more when the request is
 * complete, and finally the completion callback. The per-request state lives
 * from the first to the last of these; it is also what counts a request as
 * "in flight" for the graceful stop.
 *
 * Limits and the rules of HTTP/1.1, checked at the access handler's first call
 * (the headers), before the body is read: a request target over MAX_URI (414),
 * a path with an encoded NUL, control character, slash or backslash (400: the
 * path is decoded before routing, so "%2f" would be a separator and "%00" its
 * end), a raw control character in the target or "%00" in the query (400), an
 * HTTP/1.1 request without exactly one valid Host (400, RFC 9112 §3.2),
 * headers over max_header (431), a header name that is no token or a value
 * with a control character but a tab (400), Transfer-Encoding with Content-Length
 * (400, the way requests are smuggled) or without it (411: a body has a length
 * here, so libmicrohttpd never parses chunks), a Content-Length over max_body (max_upload for an upload route)
 * (413). Each answer is problem+json and closes the connection.
 *
 * What libmicrohttpd 0.9.75 refuses itself, with a fixed text/html page and no
 * way to change it (it has no hook for its error answers, and each of these
 * comes before the access handler is called): a request line it cannot parse
 * (400) or with a version other than HTTP/1.x (505); a request line or headers
 * that do not fit the connection's memory pool (414, 431: about 24 KiB, three
 * times what this layer allows, so only far larger requests get there) or too
 * many header lines for the pool's entries; a header line without a colon
 * (400); a Content-Length that is not a number or does not fit 64 bits (400,
 * 413). docs/api.md lists them for clients.
 *
 * Deferred answers (http_defer): after the handler returns, the layer moves
 * its response into the pending and suspends the connection; http_complete
 * marks the pending done and resumes the connection, and MHD then calls the
 * access handler once more, which queues the answer. The two sides race
 * without a lock through the pending's state (open, suspended, done): the
 * one that comes second resumes, so a completion that arrives before the
 * suspension is neither lost nor answered by resuming a connection that is
 * not suspended (undefined in MHD). A pending has two references, the
 * connection's and the completer's, and holds one on the server: a completer
 * may come after http_stop, and must then find memory, not a dangling
 * pointer. MHD may not be stopped with a suspended connection, so http_stop
 * answers what is still deferred after the grace period itself (503) and
 * waits for completers that are between their claim and their resume.
 *
 * The event loop is this layer's, not MHD's. With MHD's own polling thread
 * (libmicrohttpd 0.9.75, epoll) a resume could wait until the connection
 * timeout: MHD_epoll() first resumes what was flagged, then calls
 * epoll_wait() with the timeout of the oldest connection and clears the
 * inter-thread wake-up when it sees it; when that batch held exactly 128
 * events (its MAX_EVENTS) it calls epoll_wait() again with the same timeout,
 * before it returns to resume anything. A resume flagged between the first
 * step and the clearing has then lost its wake-up, and the daemon sleeps
 * until another event or the timeout: 15 s, for every connection resumed in
 * that window. So each daemon runs without a thread of its own (MHD_run never
 * blocks) under a loop here that waits on MHD's epoll descriptor and on an
 * eventfd of its own; whoever resumes a connection signals that eventfd after
 * MHD_resume_connection, and the loop clears it before it runs the daemon, so
 * a resume is either seen by that run or leaves the eventfd set for the next.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/jw.h"

#define DEF_MAX_BODY   ((size_t)1 << 20)
#define DEF_MAX_HEADER ((size_t)8 << 10)
#define DEF_TIMEOUT_S  15u
#define DEF_IDLE_S     5u
#define DEF_MAX_CONNS  1024u
#define DEF_MAX_CLIENT 64u
#define DEF_GRACE_MS   5000u

/* Connections of a client past its limit that still get a 429 (and live a second);
 * past these the client's connections are closed at once, without an answer. */
#define REFUSED_ANSWERED_MAX 8
#define REFUSED_LIFE_MS      1000u
/* A body may take timeout_s from the request line plus this long per byte announced:
 * 16 KiB/s, so 1 MiB in a minute and a small form in the time of its headers. */
#define BODY_BYTES_PER_S 16384u
#define REAP_EVERY_MS    250u
#define CLIENT_BUCKETS   1024u

/* The longest request target (path and query) this layer takes: far above any route's. */
#define MAX_URI 4096

/* Bounds on what a handler may put in a response header: far above any real use. */
#define MAX_HDR_NAME  128
#define MAX_HDR_VALUE 8192

/* More would only add threads that wait for the same cores. */
#define MAX_DAEMONS 64
/* The loop's longest sleep: only a bound, every wake-up that matters is an event. */
#define LOOP_WAIT_MAX_MS 500

/* A client address (an IPv4 address, an IPv6 /64) and its connections on all daemons. */
struct client {
    unsigned char key[9]; /* family (4 or 6) and the address or prefix */
    unsigned char keylen;
    unsigned active;  /* connections it is served on */
    unsigned refused; /* connections past its limit, answered 429, not yet closed */
    struct client *next;
};

/* What a connection is doing, for its deadlines (see http.h). */
enum conn_phase {
    C_IDLE, /* no request yet, or between keep-alive requests */
    C_HEAD, /* request line received, headers coming */
    C_BODY, /* headers received, body coming */
    C_BUSY  /* complete: the handler, a deferred answer, the answer being sent */
};

/* One connection, from MHD's "started" to its "closed"; on its loop's thread only. */
struct conn {
    struct client *client; /* NULL: not counted (no memory) */
    int fd;
    enum conn_phase phase;
    bool refused;
    bool reaped; /* shut down for a deadline: MHD closes it on its next read */
    uint64_t since_ms;
    uint64_t body_ms; /* C_BODY: the time its announced body may take */
    struct conn *prev, *next;
};

/* One daemon and the thread that drives it. */
struct loop {
    struct http_server *srv;
    struct MHD_Daemon *d;
    int epfd; /* MHD's epoll descriptor; -1: MHD polls in a thread of its own (no epoll) */
    int wake; /* eventfd: a connection was resumed, or the server stops; -1 without epfd */
    pthread_t thread;
    bool running;
    atomic_bool quit;
    atomic_bool quiesced;
    MHD_socket listen_fd; /* taken from MHD when quiesced; closed by http_stop */
    struct conn *conns;   /* the daemon's connections (its thread only) */
    uint64_t reap_at;     /* next look for connections past their deadline */
};

struct http_server {
    struct loop loop[MAX_DAEMONS];
    unsigned nloops;
    http_handler handler;
    void *ctx;
    size_t max_body;
    size_t max_upload; /* >= max_body */
    bool (*upload)(const char *method, const char *path);
    size_t max_header;
    unsigned grace_ms;
    unsigned timeout_s, idle_s, max_per_client;
    pthread_mutex_t cmu; /* guards `clients` */
    struct client *clients[CLIENT_BUCKETS];
    char *always[2]; /* the extra header of every response, or NULLs */
    unsigned port;
    atomic_uint_fast64_t next_id;
    atomic_long inflight;
    atomic_bool stopping;
    atomic_long refs;             /* http_stop's, and one per pending (see the top) */
    atomic_long completing;       /* http_complete calls between their claim and their resume */
    pthread_mutex_t pmu;          /* guards `pending` and every pending's claimed/linked */
    struct http_pending *pending; /* deferred and not yet claimed by a completer */
};

enum pending_state { P_OPEN, P_SUSPENDED, P_DONE };

struct http_pending {
    struct http_server *srv;
    struct loop *loop; /* the daemon of the connection */
    struct MHD_Connection *conn;
    struct http_resp kept; /* the handler's response, moved here when it returned */
    struct http_resp repl; /* the replacement, when `replaced` */
    bool replaced;
    bool claimed; /* a completer (or http_stop) decides the answer; under srv->pmu */
    bool linked;  /* in srv->pending; under srv->pmu */
    atomic_int state;
    atomic_int refs;
    struct http_pending *prev, *next;
};

/* One request, from its request line to its completion. */
struct reqstate {
    struct http_server *srv;
    struct loop *loop;
    char *uri;  /* raw request target, as the client sent it */
    char *body; /* NUL-terminated */
    size_t len, cap;
    size_t limit;    /* the body's cap: max_body, or max_upload for an upload route */
    bool seen;       /* the access handler saw the headers */
    bool in_handler; /* the handler is running: http_defer is allowed */
    bool dispatched; /* the handler has run; a later call is the resumption */
    struct http_pending *pending;
};

/* The security headers of every response (NL API Design Rules, OWASP). */
static const char *const sec_headers[][2] = {
    {"Cache-Control", "no-store"},
    {"X-Content-Type-Options", "nosniff"},
    {"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
};

/* ---- response building ---- */

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static void resp_free(struct http_resp *r)
{
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
    for (int i = 0; i < r->nheaders; i++) {
        free(r->header[i][0]);
        free(r->header[i][1]);
        r->header[i][0] = r->header[i][1] = NULL;
    }
    r->nheaders = 0;
}

void http_resp_free(struct http_resp *r)
{
    if (r)
        resp_free(r);
}

void http_resp_body(struct http_resp *r, int status, const char *content_type, const char *data,
                    size_t len)
{
    r->status = status;
    free(r->body);
    r->body = NULL;
    r->body_len = 0;
    if (data && len > 0) {
        r->body = dup_n(data, len);
        /* Out of memory: an empty body beats a crash, and the status is still honest. */
        if (r->body)
            r->body_len = len;
    }
    r->content_type[0] = '\0';
    if (content_type) {
        size_t n = strnlen(content_type, sizeof r->content_type - 1);
        /* A truncated or line-broken content type would be a lie; leave it out instead. */
        if (content_type[n] == '\0' && !strpbrk(content_type, "\r\n")) {
            memcpy(r->content_type, content_type, n);
            r->content_type[n] = '\0';
        }
    }
}

/* An RFC 9110 token: what a header name may contain. */
static bool is_token(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 32 || c >= 127 || strchr("\"(),/:;<=>?@[\\]{}", c))
            return false;
    }
    return true;
}

/* Header values may not break lines: that is how response splitting starts. */
static bool is_field_value(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 32 && c != '\t') || c == 127)
            return false;
    }
    return true;
}

bool http_resp_header(struct http_resp *r, const char *name, const char *value)
{
    if (!name || !value || r->nheaders >= HTTP_MAX_RESP_HEADERS)
        return false;
    if (strnlen(name, MAX_HDR_NAME + 1) > MAX_HDR_NAME ||
        strnlen(value, MAX_HDR_VALUE + 1) > MAX_HDR_VALUE)
        return false;
    if (!is_token(name) || !is_field_value(value))
        return false;
    char *n = strdup(name);
    char *v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return false;
    }
    r->header[r->nheaders][0] = n;
    r->header[r->nheaders][1] = v;
    r->nheaders++;
    return true;
}

void http_problem(struct http_resp *r, int status, const char *title, const char *detail,
                  const char *instance, const struct lks_errlist *errs)
{
    struct jw w;
    jw_init(&w, 64 << 10, false);
    jw_obj_open(&w);
    jw_kstr(&w, "type", "about:blank");
    jw_kstr(&w, "title", title ? title : "");
    jw_kint(&w, "status", status);
    if (detail)
        jw_kstr(&w, "detail", detail);
    if (instance) {
        /* The decoded path as a URI reference again: bytes outside RFC 3986's pchar
         * (and '/') percent-encoded, so that any path makes valid JSON and a valid URI. */
        char enc[3 * 1024 + 1];
        size_t k = 0;
        for (const unsigned char *p = (const unsigned char *)instance; *p && k + 4 < sizeof enc;
             p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("-._~!$&'()*+,;=:@/", *p)) {
                enc[k++] = (char)*p;
            } else {
                static const char hex[] = "0123456789ABCDEF";
                enc[k++] = '%';
                enc[k++] = hex[*p >> 4];
                enc[k++] = hex[*p & 15];
            }
        }
        enc[k] = '\0';
        jw_kstr(&w, "instance", enc);
    }
    if (errs && errs->n > 0) {
        jw_key(&w, "invalidParams");
        jw_arr_open(&w);
        for (int i = 0; i < errs->n && i < LKS_ERRLIST_MAX; i++) {
            jw_obj_open(&w);
            jw_kstr(&w, "name", errs->e[i].field);
            jw_kstr(&w, "code", errs->e[i].reason);
            jw_kstr(&w, "reason", errs->e[i].msg);
            jw_obj_close(&w);
        }
        jw_arr_close(&w);
    }
    jw_obj_close(&w);
    if (jw_failed(&w)) {
        /* Only when memory ran out: still a valid problem, without the details. */
        char buf[96];
        int n = snprintf(buf, sizeof buf, "{\"type\":\"about:blank\",\"status\":%d}", status);
        http_resp_body(r, status, "application/problem+json", buf, (size_t)n);
    } else {
        http_resp_body(r, status, "application/problem+json", w.buf, w.len);
    }
    jw_free(&w);
}

/* ---- request lookups ---- */

const char *http_req_header(const struct http_req *r, const char *name)
{
    if (!r || !r->conn || !name)
        return NULL;
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/*
 * Copy a value of the given kind into buf. A value that does not fit, or that
 * has a NUL byte inside (a decoded "%00"), is reported as absent rather than
 * cut short: a cut-off session token or id must not be mistaken for a shorter
 * valid one.
 */
static bool lookup_copy(const struct http_req *r, enum MHD_ValueKind kind, const char *name,
                        char *buf, size_t n)
{
    if (buf && n > 0)
        buf[0] = '\0';
    if (!r || !r->conn || !name || !buf || n == 0)
        return false;
    const char *v = NULL;
    size_t vlen = 0;
    if (MHD_lookup_connection_value_n(r->conn, kind, name, strlen(name), &v, &vlen) != MHD_YES)
        return false;
    if (!v)
        vlen = 0; /* "?flag" without '=': present, empty */
    if (vlen >= n || (vlen && memchr(v, '\0', vlen)))
        return false; /* "%00" inside: what a C string would cut short */
    if (vlen)
        memcpy(buf, v, vlen);
    buf[vlen] = '\0';
    return true;
}

bool http_req_cookie(const struct http_req *r, const char *name, char *buf, size_t n)
{
    return lookup_copy(r, MHD_COOKIE_KIND, name, buf, n);
}

bool http_req_query(const struct http_req *r, const char *name, char *buf, size_t n)
{
    return lookup_copy(r, MHD_GET_ARGUMENT_KIND, name, buf, n);
}

/* ---- sending ---- */

static bool handler_has(const struct http_resp *r, const char *name)
{
    for (int i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->header[i][0], name) == 0)
            return true;
    return false;
}

/* Queue resp on c; resp's memory is released whatever happens. */
static enum MHD_Result send_resp(struct http_server *s, struct MHD_Connection *c,
                                 struct http_resp *resp)
{
    struct MHD_Response *mr;
    if (resp->body && resp->body_len > 0) {
        mr = MHD_create_response_from_buffer(resp->body_len, resp->body, MHD_RESPMEM_MUST_FREE);
        if (mr)
            resp->body = NULL; /* MHD owns it now */
    } else {
        mr = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!mr) {
        resp_free(resp);
        return MHD_NO; /* out of memory: MHD closes the connection */
    }
    bool ok = true;
    if (resp->content_type[0])
        ok &= MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, resp->content_type) ==
              MHD_YES;
    for (int i = 0; i < resp->nheaders; i++)
        ok &= MHD_add_response_header(mr, resp->header[i][0], resp->header[i][1]) == MHD_YES;
    /* A handler may set its own policy (a static asset's Cache-Control, a page's CSP). */
    for (size_t i = 0; i < sizeof sec_headers / sizeof sec_headers[0]; i++)
        if (!handler_has(resp, sec_headers[i][0]))
            ok &= MHD_add_response_header(mr, sec_headers[i][0], sec_headers[i][1]) == MHD_YES;
    if (s->always[0] && s->always[1] && !handler_has(resp, s->always[0]))
        ok &= MHD_add_response_header(mr, s->always[0], s->always[1]) == MHD_YES;
    /* While stopping, tell keep-alive clients to go, so the grace period ends sooner. */
    if (atomic_load(&s->stopping))
        MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION, "close");
    int status = resp->status;
    resp_free(resp);
    if (!ok) {
        /* A response without its security headers is not sent at all. */
        MHD_destroy_response(mr);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, mr);
    MHD_destroy_response(mr);
    return ret;
}

/*
 * A problem+json answer written straight to a socket that libmicrohttpd has not used
 * yet, with the headers of every answer (the connection is closed after it).
 */
static void raw_problem(struct http_server *s, int fd, int status, const char *reason,
                        const char *title, const char *detail, const char *extra_header)
{
    struct http_resp r = {0};
    http_problem(&r, status, title, detail, NULL, NULL);
    char head[2048];
    char date[64];
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm))
        date[0] = '\0';
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\n%s%s%s",
                     status, reason, r.content_type, r.body_len, date[0] ? "Date: " : "", date,
                     date[0] ? "\r\n" : "");
    for (size_t i = 0;
         i < sizeof sec_headers / sizeof sec_headers[0] && n > 0 && (size_t)n < sizeof head; i++)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s: %s\r\n", sec_headers[i][0],
                      sec_headers[i][1]);
    if (s->always[0] && s->always[1] && n > 0 && (size_t)n < sizeof head)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s: %s\r\n", s->always[0], s->always[1]);
    if (extra_header && n > 0 && (size_t)n < sizeof head)
        n += snprintf(head + n, sizeof head - (size_t)n, "%s\r\n", extra_header);
    if (n > 0 && (size_t)n + 2 < sizeof head) {
        memcpy(head + n, "\r\n", 2);
        n += 2;
        /* a fresh socket's buffer takes this whole; what it does not take is lost */
        struct iovec iov[2] = {{head, (size_t)n}, {r.body, r.body_len}};
        struct msghdr m = {.msg_iov = iov, .msg_iovlen = r.body ? 2 : 1};
        (void)sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    resp_free(&r);
}

/* ---- deferred answers ---- */

static void srv_unref(struct http_server *s)
{
    if (atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    pthread_mutex_destroy(&s->pmu);
    pthread_mutex_destroy(&s->cmu);
    for (unsigned i = 0; i < CLIENT_BUCKETS; i++) /* empty once every daemon is stopped */
        while (s->clients[i]) {
            struct client *c = s->clients[i];
            s->clients[i] = c->next;
            free(c);
        }
    free(s->always[0]);
    free(s->always[1]);
    free(s);
}

static void pending_unref(struct http_pending *p)
{
    if (atomic_fetch_sub(&p->refs, 1) != 1)
        return;
    struct http_server *s = p->srv;
    resp_free(&p->kept);
    resp_free(&p->repl);
    free(p);
    srv_unref(s);
}

/* Called with s->pmu held. */
static void pending_unlink(struct http_server *s, struct http_pending *p)
{
    if (!p->linked)
        return;
    if (p->prev)
        p->prev->next = p->next;
    else
        s->pending = p->next;
    if (p->next)
        p->next->prev = p->prev;
    p->prev = p->next = NULL;
    p->linked = false;
}

/* Wake the loop of a daemon: a connection was resumed (or the server stops). */
static void loop_wake(struct loop *l)
{
    if (l->wake < 0)
        return;
    uint64_t one = 1;
    /* EAGAIN: the counter is full, so the loop is woken anyway */
    ssize_t n = write(l->wake, &one, sizeof one);
    (void)n;
}

/* Resume a suspended connection from any thread; its loop then runs the daemon. */
static void resume(struct loop *l, struct MHD_Connection *c)
{
    MHD_resume_connection(c);
    loop_wake(l); /* after the resume is flagged: see the top of this file */
}

/* The answer in p is final: let the connection send it. Whoever comes second
 * of this and the layer's suspension resumes the connection. */
static void pending_finish(struct http_pending *p)
{
    struct MHD_Connection *c = p->conn;
    if (atomic_exchange(&p->state, P_DONE) == P_SUSPENDED)
        resume(p->loop, c);
}

static void resp_copy(struct http_resp *dst, const struct http_resp *src)
{
    http_resp_body(dst, src->status, src->content_type, src->body, src->body_len);
    for (int i = 0; i < src->nheaders && i < HTTP_MAX_RESP_HEADERS; i++)
        http_resp_header(dst, src->header[i][0], src->header[i][1]);
}

struct http_pending *http_defer(const struct http_req *req)
{
    struct reqstate *st = req ? req->state : NULL;
    if (!st || !st->in_handler || st->pending)
        return NULL;
    struct http_pending *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    struct http_server *s = st->srv;
    p->srv = s;
    p->loop = st->loop;
    p->conn = req->conn;
    atomic_init(&p->state, P_OPEN);
    atomic_init(&p->refs, 2); /* the connection's and the completer's */
    atomic_fetch_add(&s->refs, 1);
    pthread_mutex_lock(&s->pmu);
    p->next = s->pending;
    if (p->next)
        p->next->prev = p;
    s->pending = p;
    p->linked = true;
    pthread_mutex_unlock(&s->pmu);
    st->pending = p;
    return p;
}

void http_complete(struct http_pending *p, const struct http_resp *replacement)
{
    if (!p)
        return;
    struct http_server *s = p->srv; /* alive: p holds a reference */
    pthread_mutex_lock(&s->pmu);
    bool mine = !p->claimed;
    if (mine) {
        p->claimed = true;
        pending_unlink(s, p);
        /* Counted under the lock that http_stop takes to claim what is left, so
         * it cannot miss this completer and stop MHD before the resume below. */
        atomic_fetch_add(&s->completing, 1);
    }
    pthread_mutex_unlock(&s->pmu);
    if (mine) {
        if (replacement) {
            resp_copy(&p->repl, replacement);
            p->replaced = true;
        }
        pending_finish(p);
        atomic_fetch_sub(&s->completing, 1);
    }
    pending_unref(p);
}

/* Queue a deferred request's answer (its state is P_DONE) and let it go. */
static enum MHD_Result send_pending(struct http_server *s, struct MHD_Connection *c,
                                    struct reqstate *st)
{
    struct http_pending *p = st->pending;
    st->pending = NULL;
    enum MHD_Result ret;
    if (p->replaced) {
        resp_free(&p->kept);
        ret = send_resp(s, c, &p->repl);
    } else {
        ret = send_resp(s, c, &p->kept);
    }
    pending_unref(p);
    return ret;
}

/* http_stop, after the grace period: answer every request still deferred with 503. Returns how
 * many. */
static int force_pending(struct http_server *s)
{
    struct http_pending *list = NULL;
    pthread_mutex_lock(&s->pmu);
    while (s->pending) {
        struct http_pending *p = s->pending;
        pending_unlink(s, p);
        p->claimed = true;
        atomic_fetch_add(&p->refs, 1); /* its completer may release it meanwhile */
        p->next = list;
        list = p;
    }
    pthread_mutex_unlock(&s->pmu);
    int n = 0;
    while (list) {
        struct http_pending *p = list;
        list = p->next;
        p->next = NULL;
        http_problem(&p->repl, 503, "Tijdelijk niet beschikbaar",
                     "De server stopt en het antwoord was niet op tijd klaar; probeer het opnieuw.",
                     NULL, NULL);
        p->replaced = true;
        pending_finish(p);
        pending_unref(p);
        n++;
    }
    return n;
}

/* ---- connections: per client, timeouts, deadlines ---- */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The client of an address: IPv4 (also mapped into IPv6) by address, IPv6 by its /64,
 * which is what one subscriber gets. */
static void client_key(const struct sockaddr *sa, struct client *k)
{
    k->keylen = 1;
    k->key[0] = 0;
    if (!sa)
        return;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)sa;
        k->key[0] = 4;
        memcpy(k->key + 1, &a->sin_addr, 4);
        k->keylen = 5;
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)(const void *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
            k->key[0] = 4;
            memcpy(k->key + 1, &a->sin6_addr.s6_addr[12], 4);
            k->keylen = 5;
        } else {
            k->key[0] = 6;
            memcpy(k->key + 1, a->sin6_addr.s6_addr, 8);
            k->keylen = 9;
        }
    }
}

static unsigned client_bucket(const struct client *k)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (unsigned i = 0; i < k->keylen; i++)
        h = (h ^ k->key[i]) * 16777619u;
    return h % CLIENT_BUCKETS;
}

/* The client with k's key, or NULL; with `create` a new one (NULL: no memory). Under cmu. */
static struct client *client_find(struct http_server *s, const struct client *k, bool create)
{
    unsigned b = client_bucket(k);
    for (struct client *c = s->clients[b]; c; c = c->next)
        if (c->keylen == k->keylen && memcmp(c->key, k->key, k->keylen) == 0)
            return c;
    if (!create)
        return NULL;
    struct client *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    memcpy(c->key, k->key, k->keylen);
    c->keylen = k->keylen;
    c->next = s->clients[b];
    s->clients[b] = c;
    return c;
}

/* Under cmu: forget a client without connections. */
static void client_drop(struct http_server *s, struct client *c)
{
    if (c->active || c->refused)
        return;
    struct client **pp = &s->clients[client_bucket(c)];
    while (*pp && *pp != c)
        pp = &(*pp)->next;
    if (*pp)
        *pp = c->next;
    free(c);
}

/* MHD's accept policy: a client far past its limit is not even answered. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addrlen;
    struct http_server *s = ((struct loop *)cls)->srv;
    struct client k;
    client_key(addr, &k);
    pthread_mutex_lock(&s->cmu);
    struct client *c = client_find(s, &k, false);
    bool ok = !c || c->active < s->max_per_client || c->refused < REFUSED_ANSWERED_MAX;
    pthread_mutex_unlock(&s->cmu);
    return ok ? MHD_YES : MHD_NO;
}

static void raw_problem(struct http_server *s, int fd, int status, const char *reason,
                        const char *title, const char *detail, const char *extra_header);

static void conn_link(struct loop *l, struct conn *cn)
{
    cn->next = l->conns;
    if (cn->next)
        cn->next->prev = cn;
    l->conns = cn;
}

static void conn_unlink(struct loop *l, struct conn *cn)
{
    if (cn->prev)
        cn->prev->next = cn->next;
    else
        l->conns = cn->next;
    if (cn->next)
        cn->next->prev = cn->prev;
    cn->prev = cn->next = NULL;
}

/* MHD_OPTION_NOTIFY_CONNECTION: a connection is accepted or closed. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct loop *l = cls;
    struct http_server *s = l->srv;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct conn *cn = *socket_context;
        *socket_context = NULL;
        if (!cn)
            return;
        if (cn->client) {
            pthread_mutex_lock(&s->cmu);
            if (cn->refused)
                cn->client->refused--;
            else
                cn->client->active--;
            client_drop(s, cn->client);
            pthread_mutex_unlock(&s->cmu);
        }
        conn_unlink(l, cn);
        free(cn);
        return;
    }
    struct conn *cn = calloc(1, sizeof *cn);
    *socket_context = cn;
    if (!cn)
        return; /* served, not counted */
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    cn->fd = ci ? ci->connect_fd : -1;
    cn->phase = C_IDLE;
    cn->since_ms = now_ms();
    ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    struct client k;
    client_key(ci ? ci->client_addr : NULL, &k);
    pthread_mutex_lock(&s->cmu);
    cn->client = client_find(s, &k, true);
    if (cn->client) {
        cn->refused = cn->client->active >= s->max_per_client;
        if (cn->refused)
            cn->client->refused++;
        else
            cn->client->active++;
    }
    pthread_mutex_unlock(&s->cmu);
    conn_link(l, cn);
    if (cn->refused && cn->fd >= 0) {
        /* MHD has read and written nothing yet: answer on the socket, then close our
         * side; whatever the client sends is not read as a request (on_access). */
        char detail[160];
        snprintf(detail, sizeof detail,
                 "Er zijn al %u verbindingen vanaf uw adres open; sluit er een en probeer het "
                 "opnieuw.",
                 s->max_per_client);
        raw_problem(s, cn->fd, 429, "Too Many Requests", "Te veel verbindingen", detail,
                    "Retry-After: 5");
        shutdown(cn->fd, SHUT_WR);
    }
}

/* The connection's record (on_connection), or NULL. */
static struct conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* A new phase of the connection; `timeout_s` (when not 0): its longest silence. */
static void conn_phase(struct MHD_Connection *c, enum conn_phase phase, unsigned timeout_s)
{
    struct conn *cn = conn_of(c);
    if (cn) {
        cn->phase = phase;
        cn->since_ms = now_ms();
    }
    if (timeout_s)
        MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, timeout_s);
}

/*
 * Shut down the connections of loop l past their deadline; libmicrohttpd closes them
 * on its next read. Silent ones it closes itself (its timeouts): this is for those
 * that trickle bytes. On the loop's thread, between runs, so no descriptor is reused.
 */
static void reap(struct loop *l, uint64_t now)
{
    struct http_server *s = l->srv;
    uint64_t t = (uint64_t)s->timeout_s * 1000u;
    for (struct conn *cn = l->conns; cn; cn = cn->next) {
        if (cn->reaped || cn->fd < 0)
            continue;
        uint64_t limit = cn->refused           ? REFUSED_LIFE_MS
                         : cn->phase == C_BODY ? t + cn->body_ms
                         : cn->phase == C_BUSY ? 0
                                               : t;
        if (limit && now - cn->since_ms > limit) {
            shutdown(cn->fd, SHUT_RDWR);
            cn->reaped = true;
        }
    }
}

/* ---- request state ---- */

static struct reqstate *state_new(struct loop *l, const char *uri)
{
    struct http_server *s = l->srv;
    struct reqstate *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->srv = s;
    st->loop = l;
    if (uri && !(st->uri = strdup(uri))) {
        free(st);
        return NULL;
    }
    atomic_fetch_add(&s->inflight, 1);
    return st;
}

static void state_free(struct reqstate *st)
{
    if (st->pending)
        pending_unref(st->pending); /* defensive: MHD closes no suspended connection */
    atomic_fetch_sub(&st->srv->inflight, 1);
    free(st->uri);
    free(st->body);
    free(st);
}

/* MHD_OPTION_URI_LOG_CALLBACK: the first sight of a request; its return becomes con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    struct loop *l = cls;
    conn_phase(c, C_HEAD, l->srv->timeout_s);
    return state_new(l, uri);
}

/* MHD_OPTION_NOTIFY_COMPLETED: the request is answered (or abandoned). */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct loop *l = cls;
    /* answered: the connection waits for its next request (or closes) */
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        conn_phase(c, C_IDLE, l->srv->idle_s);
    if (*con_cls) {
        state_free(*con_cls);
        *con_cls = NULL;
    }
}

/* What the first call learns from the request's headers. */
struct hsize {
    size_t total;     /* bytes, as on the wire */
    unsigned hosts;   /* Host header lines */
    const char *host; /* the first one's value */
    size_t host_len;
    unsigned lengths; /* Content-Length header lines */
    bool transfer;    /* a Transfer-Encoding header */
    bool bad_field;   /* a name that is no token, or a control character in a value */
};

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       size_t key_size, const char *value, size_t value_size)
{
    (void)kind;
    struct hsize *h = cls;
    /* "Name: value\r\n" as it was on the wire */
    h->total += key_size + value_size + 4;
    bool name_ok = key_size > 0;
    for (size_t i = 0; i < key_size && name_ok; i++) {
        unsigned char ch = (unsigned char)key[i];
        name_ok = ch > 32 && ch < 127 && !strchr("\"(),/:;<=>?@[\\]{}", ch);
    }
    bool value_ok = true; /* RFC 9110 §5.5: no CTL but HTAB (obs-text is allowed) */
    for (size_t i = 0; value && i < value_size && value_ok; i++) {
        unsigned char ch = (unsigned char)value[i];
        value_ok = (ch >= 32 || ch == '\t') && ch != 127;
    }
    h->bad_field |= !name_ok || !value_ok;
    if (key_size == 4 && strncasecmp(key, "Host", 4) == 0) {
        if (h->hosts++ == 0) {
            h->host = value;
            h->host_len = value_size;
        }
    } else if (key_size == 14 && strncasecmp(key, "Content-Length", 14) == 0) {
        h->lengths++;
    } else if (key_size == 17 && strncasecmp(key, "Transfer-Encoding", 17) == 0) {
        h->transfer = true;
    }
    return MHD_YES;
}

/* A Host value (RFC 9110 §7.2, RFC 3986 §3.2.2): a reg-name, IPv4 or [IPv6] with an
 * optional port; empty is allowed (a target without authority). */
static bool host_ok(const char *v, size_t n)
{
    size_t i = 0;
    if (n > 0 && v[0] == '[') {
        while (i < n && v[i] != ']') {
            unsigned char ch = (unsigned char)v[i];
            if (i > 0 && !strchr("0123456789abcdefABCDEF:.", ch))
                return false;
            i++;
        }
        if (i == n)
            return false;
        i++;
    } else {
        for (; i < n && v[i] != ':'; i++) {
            unsigned char ch = (unsigned char)v[i];
            if (!(ch >= 'a' && ch <= 'z') && !(ch >= 'A' && ch <= 'Z') &&
                !(ch >= '0' && ch <= '9') && !strchr("-._~!$&'()*+,;=%", ch))
                return false;
        }
    }
    if (i < n) { /* ":" port */
        if (v[i] != ':' || n - i > 6)
            return false;
        for (i++; i < n; i++)
            if (v[i] < '0' || v[i] > '9')
                return false;
    }
    return true;
}

static int hexval(char ch)
{
    return ch >= '0' && ch <= '9'   ? ch - '0'
           : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
           : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                    : -1;
}

/* Whether the raw target decodes to something safe to route and read: in the path no
 * NUL, control character, slash or backslash from a %-escape, nowhere a raw control byte
 * or an encoded NUL (a C string would end there). */
static bool target_ok(const char *uri)
{
    bool query = false;
    for (const char *p = uri; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x20 || ch == 0x7f)
            return false;
        query |= ch == '?';
        if (ch == '%') {
            int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
            if (hi < 0 || lo < 0)
                continue; /* a lone '%' stays a '%' (libmicrohttpd leaves it) */
            int b = hi * 16 + lo;
            if (b == 0 || (!query && (b < 0x20 || b == 0x7f || b == '/' || b == '\\')))
                return false;
        }
    }
    return true;
}

/* A problem+json answer to a request that breaks a rule of HTTP/1.1; the connection is
 * closed after it, since what follows on it cannot be trusted to be a request. */
static enum MHD_Result send_refusal(struct http_server *s, struct MHD_Connection *c, int status,
                                    const char *title, const char *detail, const char *instance)
{
    struct http_resp resp = {0};
    http_problem(&resp, status, title, detail, instance, NULL);
    http_resp_header(&resp, "Connection", "close");
    return send_resp(s, c, &resp);
}

/* The first call: the request's line and headers against the layer's rules (the top of
 * this file). MHD_YES to go on, else the answer is queued. `*answered` tells which. */
static enum MHD_Result check_head(struct http_server *s, struct reqstate *st,
                                  struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, bool *answered)
{
    *answered = true;
    st->limit = s->max_body;
    const char *ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    if (s->upload && s->max_upload > s->max_body && ctype &&
        strncasecmp(ctype, "multipart/form-data", 19) == 0 && s->upload(method, url))
        st->limit = s->max_upload;
    const char *raw = st->uri ? st->uri : url;
    size_t raw_len = strlen(raw);
    if (raw_len > MAX_URI) {
        char detail[160];
        snprintf(detail, sizeof detail, "Het adres van het verzoek is langer dan %d tekens.",
                 MAX_URI);
        return send_refusal(s, c, 414, "Adres te lang", detail, NULL);
    }
    if (!target_ok(raw))
        return send_refusal(s, c, 400, "Ongeldig adres",
                            "Het adres bevat een stuurteken of nulteken, of het pad een "
                            "gecodeerde (back)slash.",
                            NULL);
    struct hsize hs = {.total = strlen(method) + strlen(version) + 4 + raw_len};
    MHD_get_connection_values_n(c, MHD_HEADER_KIND, add_header_size, &hs);
    bool http10 = strcmp(version, "HTTP/1.0") == 0;
    if ((!http10 && hs.hosts != 1) || hs.hosts > 1 ||
        (hs.hosts == 1 && !host_ok(hs.host, hs.host_len)))
        return send_refusal(s, c, 400, "Ongeldige Host",
                            hs.hosts == 0  ? "Een HTTP/1.1-verzoek moet een Host-header hebben."
                            : hs.hosts > 1 ? "Het verzoek heeft meer dan een Host-header."
                                           : "De Host-header is geen geldige host[:poort].",
                            url);
    if (hs.total > s->max_header) {
        char detail[160];
        snprintf(detail, sizeof detail,
                 "De headers van het verzoek zijn samen groter dan %zu bytes.", s->max_header);
        return send_refusal(s, c, 431, "Headers te groot", detail, url);
    }
    if (hs.bad_field)
        return send_refusal(s, c, 400, "Ongeldige header",
                            "Een headernaam is geen token, of een waarde bevat een stuurteken.",
                            url);
    if (hs.transfer && hs.lengths > 0)
        return send_refusal(s, c, 400, "Ongeldige lengte",
                            "Het verzoek heeft zowel Transfer-Encoding als Content-Length.", url);
    if (hs.transfer)
        return send_refusal(s, c, 411, "Lengte vereist",
                            "Stuur de inhoud in een keer met Content-Length, niet in stukken "
                            "(Transfer-Encoding).",
                            url);
    if (hs.lengths > 1)
        return send_refusal(s, c, 400, "Ongeldige lengte",
                            "Het verzoek heeft meer dan een Content-Length-header.", url);
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    if (cl) {
        /* libmicrohttpd has refused one that is not a number (its own page) */
        unsigned long long n = strtoull(cl, NULL, 10);
        if (n > st->limit) {
            char detail[160];
            snprintf(detail, sizeof detail, "De inhoud van het verzoek is groter dan %zu bytes.",
                     st->limit);
            return send_refusal(s, c, 413, "Verzoek te groot", detail, url);
        }
    }
    *answered = false;
    return MHD_YES;
}

static bool body_append(struct reqstate *st, const char *data, size_t n)
{
    if (st->len + n + 1 > st->cap) {
        size_t cap = st->cap ? st->cap : 1024;
        while (cap < st->len + n + 1)
            cap *= 2;
        if (cap > st->limit + 1)
            cap = st->limit + 1;
        char *nb = realloc(st->body, cap);
        if (!nb)
            return false;
        st->body = nb;
        st->cap = cap;
    }
    memcpy(st->body + st->len, data, n);
    st->len += n;
    st->body[st->len] = '\0';
    return true;
}

static void remote_text(struct MHD_Connection *c, char *buf, size_t n)
{
    snprintf(buf, n, "?");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                  (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  (socklen_t)n);
}

/* The request is complete: hand it to the handler and send what it made. */
static enum MHD_Result dispatch(struct http_server *s, struct reqstate *st,
                                struct MHD_Connection *c, const char *url, const char *method)
{
    char remote[INET6_ADDRSTRLEN + 1];
    remote_text(c, remote, sizeof remote);
    const char *query = "";
    if (st->uri) {
        char *q = strchr(st->uri, '?');
        if (q)
            query = q + 1;
    }
    struct http_req req = {
        .method = method,
        .path = url,
        .query = query,
        .body = st->body ? st->body : "",
        .body_len = st->len,
        .remote = remote,
        .id = atomic_fetch_add(&s->next_id, 1) + 1,
        .conn = c,
        .state = st,
    };
    struct http_resp resp = {0};
    conn_phase(c, C_BUSY, 0);
    st->in_handler = true;
    s->handler(s->ctx, &req, &resp);
    st->in_handler = false;
    st->dispatched = true;
    if (resp.status < 100 || resp.status > 599) {
        /* A bug in the handler: say so in the log, not to the client. */
        fprintf(stderr, "http: request %llu %s %s: handler left status %d\n",
                (unsigned long long)req.id, method, url, resp.status);
        resp_free(&resp);
        http_problem(&resp, 500, "Interne fout",
                     "Er ging iets mis bij het verwerken van het verzoek.", url, NULL);
    }
    struct http_pending *p = st->pending;
    if (!p)
        return send_resp(s, c, &resp);
    p->kept = resp; /* moved: the pending owns its memory now */
    if (atomic_load(&p->state) == P_DONE)
        return send_pending(s, c, st); /* completed already: no need to suspend */
    MHD_suspend_connection(c);
    int expect = P_OPEN;
    if (!atomic_compare_exchange_strong(&p->state, &expect, P_SUSPENDED))
        resume(st->loop, c); /* completed meanwhile; its completer did not resume */
    return MHD_YES;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload_data,
                                 size_t *upload_data_size, void **con_cls)
{
    struct loop *l = cls;
    struct http_server *s = l->srv;
    struct reqstate *st = *con_cls;
    struct conn *cn = conn_of(c);
    if (cn && cn->refused)
        return MHD_NO; /* answered 429 when it connected; close */
    if (!st) {
        /* The URI callback could not allocate; one more try, else drop the connection. */
        st = state_new(l, NULL);
        if (!st)
            return MHD_NO;
        *con_cls = st;
    }

    if (st->dispatched) {
        /* Called again after the handler ran: a deferred request was resumed. */
        if (st->pending && atomic_load(&st->pending->state) == P_DONE)
            return send_pending(s, c, st);
        return MHD_YES;
    }

    if (!st->seen) {
        /* First call: headers only. Never queue a normal response here (keep-alive trap). */
        st->seen = true;
        if (cn) {
            cn->phase = C_BODY; /* its deadline still counts from the request line */
        }
        bool answered;
        enum MHD_Result r = check_head(s, st, c, url, method, version, &answered);
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cn && !answered && cl) /* within max_body (check_head) */
            cn->body_ms = strtoull(cl, NULL, 10) * 1000u / BODY_BYTES_PER_S;
        return r;
    }

    if (*upload_data_size > 0) {
        /* Content-Length bytes, at most max_body (check_head): more cannot come */
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (st->len + n > st->limit)
            return MHD_NO;
        return body_append(st, upload_data, n) ? MHD_YES : MHD_NO;
    }
    return dispatch(s, st, c, url, method);
}

/* ---- start and stop ---- */

/* "host:port", "[v6]:port", ":port" (all IPv4 interfaces). */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sslen,
                        struct lks_err *err)
{
    char host[256];
    const char *port;
    if (!listen || !*listen)
        return lks_err_set(err, LKS_EINVAL, "listen", "missing", "Geen luisteradres opgegeven.");
    if (listen[0] == '[') {
        const char *end = strchr(listen, ']');
        if (!end || end[1] != ':' || (size_t)(end - listen - 1) >= sizeof host)
            return lks_err_set(err, LKS_EINVAL, "listen", "invalid",
                               "Luisteradres '%s' is ongeldig; verwacht [adres]:poort.", listen);
        memcpy(host, listen + 1, (size_t)(end - listen - 1));
        host[end - listen - 1] = '\0';
        port = end + 2;
    } else {
        const char *colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host ||
            memchr(listen, ':', (size_t)(colon - listen)))
            return lks_err_set(err, LKS_EINVAL, "listen", "invalid",
                               "Luisteradres '%s' is ongeldig; verwacht host:poort.", listen);
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
        port = colon + 1;
    }
    char *end = NULL;
    errno = 0;
    unsigned long p = strtoul(port, &end, 10);
    if (!*port || *end || errno || p > 65535 || port[0] == '-' || port[0] == '+')
        return lks_err_set(err, LKS_EINVAL, "listen", "invalid-port",
                           "Poort '%s' in luisteradres is ongeldig (0-65535).", port);

    memset(ss, 0, sizeof *ss);
    if (!host[0] || strcmp(host, "*") == 0) {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_ANY);
        a->sin_port = htons((uint16_t)p);
        *sslen = sizeof *a;
        return 0;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, "0", &hints, &res);
    if (rc != 0 || !res)
        return lks_err_set(err, LKS_EINVAL, "listen", "unknown-host",
                           "Host '%s' in luisteradres is onbekend: %s.", host, gai_strerror(rc));
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *sslen = (socklen_t)res->ai_addrlen;
    freeaddrinfo(res);
    if (ss->ss_family == AF_INET)
        ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)p);
    else if (ss->ss_family == AF_INET6)
        ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)p);
    else
        return lks_err_set(err, LKS_EINVAL, "listen", "invalid",
                           "Luisteradres '%s' is geen IPv4- of IPv6-adres.", listen);
    return 0;
}

/*
 * The loop of one daemon: run the daemon (it never blocks), wait on MHD's epoll
 * descriptor and the wake-up for at most what MHD asks for, clear the wake-up.
 */
static void *loop_main(void *arg)
{
    struct loop *l = arg;
    struct http_server *s = l->srv;
    struct pollfd pf[2] = {{.fd = l->epfd, .events = POLLIN}, {.fd = l->wake, .events = POLLIN}};
    while (!atomic_load(&l->quit)) {
        if (atomic_load(&s->stopping) && !atomic_load(&l->quiesced)) {
            /* Quiesced here, on the daemon's own thread: MHD changes its epoll set. */
            l->listen_fd = MHD_quiesce_daemon(l->d);
            if (l->listen_fd != MHD_INVALID_SOCKET)
                shutdown(l->listen_fd, SHUT_RDWR);
            atomic_store(&l->quiesced, true);
        }
        MHD_run(l->d);
        uint64_t now = now_ms();
        if (now >= l->reap_at) {
            reap(l, now);
            l->reap_at = now + REAP_EVERY_MS;
        }
        int ms = LOOP_WAIT_MAX_MS;
        if (l->reap_at - now < (uint64_t)ms)
            ms = (int)(l->reap_at - now);
        MHD_UNSIGNED_LONG_LONG to;
        if (MHD_get_timeout(l->d, &to) == MHD_YES && to < (MHD_UNSIGNED_LONG_LONG)ms)
            ms = (int)to;
        pf[1].revents = 0;
        if (ms > 0)
            (void)poll(pf, 2, ms); /* EINTR: run again */
        if (pf[1].revents & POLLIN) {
            /* Cleared before the next run: a resume flagged before this read is seen by
             * that run, one flagged after it leaves the eventfd set for the next poll. */
            uint64_t n;
            if (read(l->wake, &n, sizeof n) < 0 && errno != EAGAIN && errno != EINTR)
                break; /* cannot happen with a valid eventfd */
        }
    }
    return NULL;
}

/*
 * The daemon of loop l; `reuse`: its listening socket shares the port (SO_REUSEPORT).
 */
static struct MHD_Daemon *start_daemon(struct loop *l, unsigned flags, bool reuse, unsigned idle_s,
                                       unsigned max_conns, size_t mem_limit,
                                       const struct sockaddr *sa)
{
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, (void *)sa},
        {MHD_OPTION_CONNECTION_LIMIT, max_conns, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, idle_s, NULL}, /* a request in progress: conn_phase */
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)mem_limit, NULL},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, l},
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, l},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, l},
        {reuse ? MHD_OPTION_LISTENING_ADDRESS_REUSE : MHD_OPTION_END, 1, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    return MHD_start_daemon(flags, 0, on_accept, l, on_access, l, MHD_OPTION_ARRAY, opts,
                            MHD_OPTION_END);
}

/*
 * Before the daemons share a port with SO_REUSEPORT: bind it once without, so that a
 * port in use (by anyone, another lks with SO_REUSEPORT too) is refused as before
 * instead of shared, and so that port 0 becomes one concrete free port for all.
 * Returns 0 or the errno of bind.
 */
static int probe_port(struct sockaddr_storage *ss, socklen_t sslen)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    int one = 1;
    if (ss->ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc = bind(fd, (struct sockaddr *)ss, sslen) == 0 ? 0 : errno;
    if (rc == 0) {
        struct sockaddr_storage got;
        socklen_t n = sizeof got;
        if (getsockname(fd, (struct sockaddr *)&got, &n) == 0) {
            if (ss->ss_family == AF_INET)
                ((struct sockaddr_in *)ss)->sin_port = ((struct sockaddr_in *)&got)->sin_port;
            else
                ((struct sockaddr_in6 *)ss)->sin6_port = ((struct sockaddr_in6 *)&got)->sin6_port;
        }
    }
    close(fd);
    return rc;
}

/* Stop what loop l runs and release it (loop_main has returned or never ran). */
static void loop_close(struct loop *l)
{
    if (l->d)
        MHD_stop_daemon(l->d);
    l->d = NULL;
    if (l->listen_fd != MHD_INVALID_SOCKET)
        close(l->listen_fd);
    l->listen_fd = MHD_INVALID_SOCKET;
    if (l->wake >= 0)
        close(l->wake);
    l->wake = -1;
}

static void loop_join(struct loop *l)
{
    if (!l->running)
        return;
    atomic_store(&l->quit, true);
    loop_wake(l);
    pthread_join(l->thread, NULL);
    l->running = false;
}

/*
 * Start a daemon and what drives it: with MHD_USE_EPOLL in `flags` loop_main on a
 * thread of this layer, else (no epoll) a thread of MHD's own that polls, which does
 * not lose a resume; there no loop looks for tricklers (reap), and only MHD's timeouts
 * close a connection. Returns 0 or an errno.
 */
static int loop_start(struct http_server *s, struct loop *l, unsigned flags, bool reuse,
                      unsigned conns, size_t mem_limit, const struct sockaddr *sa)
{
    l->srv = s;
    l->epfd = -1;
    l->wake = -1;
    l->listen_fd = MHD_INVALID_SOCKET;
    atomic_init(&l->quit, false);
    atomic_init(&l->quiesced, false);
    bool own = (flags & MHD_USE_EPOLL) != 0;
    if (own) {
        l->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (l->wake < 0)
            return errno;
    } else {
        flags |= MHD_USE_INTERNAL_POLLING_THREAD;
    }
    errno = 0;
    l->d = start_daemon(l, flags, reuse, s->idle_s, conns, mem_limit, sa);
    if (!l->d) {
        int e = errno ? errno : EIO;
        loop_close(l);
        return e;
    }
    if (own) {
        const union MHD_DaemonInfo *di = MHD_get_daemon_info(l->d, MHD_DAEMON_INFO_EPOLL_FD);
        l->epfd = di ? di->epoll_fd : -1;
        int e = l->epfd < 0 ? EIO : pthread_create(&l->thread, NULL, loop_main, l);
        if (e) {
            loop_close(l);
            return e;
        }
        l->running = true;
    }
    return 0;
}

int http_start(struct http_server **out, const struct http_config *cfg, http_handler h, void *ctx,
               struct lks_err *err)
{
    *out = NULL;
    if (!cfg || !h)
        return lks_err_set(err, LKS_EINVAL, "http", "missing", "Geen configuratie of handler.");
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    int rc = parse_listen(cfg->listen, &ss, &sslen, err);
    if (rc)
        return rc;

    struct http_server *s = calloc(1, sizeof *s);
    if (!s)
        return lks_err_set(err, LKS_ENOMEM, "http", "no-memory", "Onvoldoende geheugen.");
    s->handler = h;
    s->ctx = ctx;
    s->max_body = cfg->max_body ? cfg->max_body : DEF_MAX_BODY;
    s->max_upload = cfg->max_upload > s->max_body ? cfg->max_upload : s->max_body;
    s->upload = cfg->upload;
    s->max_header = cfg->max_header ? cfg->max_header : DEF_MAX_HEADER;
    s->grace_ms = cfg->grace_ms ? cfg->grace_ms : DEF_GRACE_MS;
    s->timeout_s = cfg->timeout_s ? cfg->timeout_s : DEF_TIMEOUT_S;
    s->idle_s = cfg->idle_s ? cfg->idle_s : DEF_IDLE_S;
    s->max_per_client = cfg->max_per_client ? cfg->max_per_client : DEF_MAX_CLIENT;
    if (cfg->always_header[0] && cfg->always_header[1]) {
        s->always[0] = strdup(cfg->always_header[0]);
        s->always[1] = strdup(cfg->always_header[1]);
    }
    atomic_init(&s->next_id, 0);
    atomic_init(&s->inflight, 0);
    atomic_init(&s->stopping, false);
    atomic_init(&s->refs, 1);
    atomic_init(&s->completing, 0);
    if (pthread_mutex_init(&s->pmu, NULL) != 0) {
        free(s->always[0]);
        free(s->always[1]);
        free(s);
        return lks_err_set(err, LKS_ENOMEM, "http", "no-memory", "Onvoldoende middelen.");
    }
    if (pthread_mutex_init(&s->cmu, NULL) != 0) {
        pthread_mutex_destroy(&s->pmu);
        free(s->always[0]);
        free(s->always[1]);
        free(s);
        return lks_err_set(err, LKS_ENOMEM, "http", "no-memory", "Onvoldoende middelen.");
    }

    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    unsigned max_conns = cfg->max_conns ? cfg->max_conns : DEF_MAX_CONNS;
    if (threads > MAX_DAEMONS)
        threads = MAX_DAEMONS;
    if (max_conns < threads)
        max_conns = threads;
    /*
     * The pool holds the read buffer with the raw headers, MHD's parsed header
     * entries and a copy of the Cookie header, and later the response headers:
     * twice max_header plus room for the rest keeps every request within
     * max_header inside the pool, so our own check (with problem+json) decides.
     * No bigger: MHD clears the whole pool for every request on a keep-alive
     * connection, and at 64 KiB that was a tenth of the time of a cached read.
     */
    size_t mem_limit = 2 * s->max_header + (8u << 10);

    /*
     * One daemon per thread, each with its own listening socket on the same port
     * (SO_REUSEPORT), so the kernel spreads connections evenly over the threads. With
     * MHD's own thread pool all threads accept from one socket, and under a burst of
     * new connections one thread often took most of them and did most of the work
     * while the other cores idled. Suspend/resume for deferred answers; each daemon
     * is driven by loop_main (the top of this file says why not by MHD's thread).
     */
    unsigned base = MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME; /* the second includes the first */
    if (ss.ss_family == AF_INET6)
        base |= MHD_USE_IPv6;
    bool reuse = threads > 1;
    int saved = reuse ? probe_port(&ss, sslen) : 0;
    unsigned poll_flag =
        MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ? MHD_USE_EPOLL : MHD_USE_POLL;
    for (unsigned i = 0; saved == 0 && i < threads; i++) {
        unsigned conns = max_conns / threads + (i < max_conns % threads);
        struct loop *l = &s->loop[i];
        int e = loop_start(s, l, base | poll_flag, reuse, conns, mem_limit,
                           (const struct sockaddr *)&ss);
        if (e && i == 0 && poll_flag == MHD_USE_EPOLL && e != EADDRINUSE && e != EACCES &&
            e != EADDRNOTAVAIL) {
            poll_flag = MHD_USE_POLL; /* epoll compiled in but refused by the system */
            e = loop_start(s, l, base | poll_flag, reuse, conns, mem_limit,
                           (const struct sockaddr *)&ss);
        }
        if (e) {
            saved = e;
            break;
        }
        s->nloops++;
        if (i == 0) {
            const union MHD_DaemonInfo *di = MHD_get_daemon_info(l->d, MHD_DAEMON_INFO_BIND_PORT);
            s->port = di ? di->port : 0;
        }
    }
    if (saved) {
        for (unsigned i = 0; i < s->nloops; i++) {
            loop_join(&s->loop[i]);
            loop_close(&s->loop[i]);
        }
        srv_unref(s);
        return lks_err_set(err, LKS_EIO, "listen", "cannot-listen", "Kan niet luisteren op %s: %s.",
                           cfg->listen, strerror(saved));
    }
    *out = s;
    return 0;
}

unsigned http_port(const struct http_server *s)
{
    return s ? s->port : 0;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void http_stop(struct http_server *s)
{
    if (!s)
        return;
    atomic_store(&s->stopping, true);
    /*
     * Stop accepting: each loop quiesces its daemon and shuts its listening socket
     * down, refusing new connections at once instead of leaving them in the backlog
     * for the grace period (MHD's own threads, without epoll, are quiesced from here).
     * The sockets are closed only after MHD_stop_daemon.
     */
    for (unsigned i = 0; i < s->nloops; i++) {
        struct loop *l = &s->loop[i];
        if (l->running) {
            loop_wake(l);
        } else {
            l->listen_fd = MHD_quiesce_daemon(l->d);
            if (l->listen_fd != MHD_INVALID_SOCKET)
                shutdown(l->listen_fd, SHUT_RDWR);
            atomic_store(&l->quiesced, true);
        }
    }
    uint64_t deadline = now_ms() + 1000;
    for (unsigned i = 0; i < s->nloops; i++)
        while (!atomic_load(&s->loop[i].quiesced) && now_ms() < deadline)
            sleep_ms(1);
    deadline = now_ms() + s->grace_ms;
    while ((atomic_load(&s->inflight) > 0 || atomic_load(&s->completing) > 0) &&
           now_ms() < deadline)
        sleep_ms(2);
    /* MHD may not be stopped while a connection is suspended: answer what is still
     * deferred, then give those answers a moment to go out. */
    int forced = force_pending(s);
    if (forced > 0) {
        fprintf(stderr, "http: stop: %d uitgestelde verzoeken beantwoord met 503\n", forced);
        deadline = now_ms() + (s->grace_ms < 1000 ? s->grace_ms : 1000);
        while (atomic_load(&s->inflight) > 0 && now_ms() < deadline)
            sleep_ms(2);
    }
    /* A completer that claimed its pending before force_pending is about to resume it. */
    while (atomic_load(&s->completing) > 0)
        sleep_ms(1);
    for (unsigned i = 0; i < s->nloops; i++) {
        loop_join(&s->loop[i]);
        loop_close(&s->loop[i]);
    }
    s->nloops = 0;
    srv_unref(s); /* the struct itself may outlive this for pendings not yet completed */
}

/*
 * bench_pages — the server time and the round trip of page requests, one after the other
 * on one keep-alive connection.
 *
 *   bench_pages --port P --cookie 'lks_sessie=…' --paths FILE [--n 2000] [--warmup 200]
 *               [--name NAME]
 *
 * FILE has one path a line (e.g. /werkvoorraad or /zaken/4); the requests go round them in
 * order, --warmup of them first (not counted), then --n counted ones. For each answer it
 * reads the status, the body (Content-Length) and the Server-Timing header the router sets
 * ("app;dur=1.234", ms from dispatch to the response being ready); the round trip is timed
 * with the monotonic clock from just before the request is written to when the last byte
 * of the body is in. One connection and no overlap: the figures are a page's own cost, not
 * a queue's.
 *
 * Prints one line: NAME, requests, bytes of the last answer, median and p99 of the server
 * time and of the round trip in ms, and the number of answers that were not 200 or had no
 * Server-Timing. Exit 1 when any request failed or an answer was wrong.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PATHS 20000
#define MAX_N     1000000

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The connection's read buffer: what came in after the previous answer is kept. */
struct conn {
    int fd;
    char *buf;
    size_t len, cap;
};

static int fill(struct conn *c)
{
    if (c->len == c->cap) {
        size_t cap = c->cap * 2;
        char *b = realloc(c->buf, cap);
        if (!b)
            return -1;
        c->buf = b;
        c->cap = cap;
    }
    ssize_t n;
    do
        n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return -1;
    c->len += (size_t)n;
    return 0;
}

/* A header's value in the head [h, h+n) (case-insensitive name), copied to out. */
static bool header(const char *h, size_t n, const char *name, char *out, size_t outn)
{
    size_t nl = strlen(name);
    for (const char *p = h; p < h + n;) {
        const char *eol = memchr(p, '\n', (size_t)(h + n - p));
        if (!eol)
            eol = h + n;
        if ((size_t)(eol - p) > nl + 1 && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < eol && *v == ' ')
                v++;
            size_t vl = (size_t)(eol - v);
            if (vl && v[vl - 1] == '\r')
                vl--;
            if (vl >= outn)
                vl = outn - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return true;
        }
        p = eol + 1;
    }
    return false;
}

/* One GET on the connection: status, body length and the Server-Timing duration (-1 if
 * absent). -1 when the connection failed or the answer could not be read. */
static int get(struct conn *c, const char *path, const char *cookie, int *status, size_t *body,
               double *server_ms)
{
    char req[4096];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: %s\r\n"
                     "Accept: text/html\r\n\r\n",
                     path, cookie);
    if (n < 0 || (size_t)n >= sizeof req)
        return -1;
    for (int off = 0; off < n;) {
        ssize_t w = send(c->fd, req + off, (size_t)(n - off), MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (int)w;
    }
    char *end;
    while (!(end = memmem(c->buf, c->len, "\r\n\r\n", 4)))
        if (fill(c))
            return -1;
    size_t head = (size_t)(end - c->buf) + 4;
    if (sscanf(c->buf, "HTTP/1.%*d %d", status) != 1)
        return -1;
    char v[64];
    size_t clen = 0;
    if (header(c->buf, head, "Content-Length", v, sizeof v))
        clen = (size_t)strtoull(v, NULL, 10);
    *server_ms = -1;
    if (header(c->buf, head, "Server-Timing", v, sizeof v) && strncmp(v, "app;dur=", 8) == 0) {
        char *e;
        double d = strtod(v + 8, &e);
        if (e != v + 8 && *e == '\0')
            *server_ms = d;
    }
    while (c->len < head + clen)
        if (fill(c))
            return -1;
    memmove(c->buf, c->buf + head + clen, c->len - head - clen);
    c->len -= head + clen;
    *body = clen;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (nearest rank) of n sorted values. */
static double quantile(const double *v, int n, double q)
{
    int i = (int)(q * n + 0.999999) - 1;
    return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static long num(const char *s, long lo, long hi)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (errno || e == s || *e || v < lo || v > hi) {
        fprintf(stderr, "bench_pages: not a number in %ld..%ld: %s\n", lo, hi, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    int port = 0, n = 2000, warmup = 200;
    const char *cookie = NULL, *paths_file = NULL, *name = "pages";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = (int)num(argv[i + 1], 1, 65535);
        else if (!strcmp(argv[i], "--cookie"))
            cookie = argv[i + 1];
        else if (!strcmp(argv[i], "--paths"))
            paths_file = argv[i + 1];
        else if (!strcmp(argv[i], "--n"))
            n = (int)num(argv[i + 1], 1, MAX_N);
        else if (!strcmp(argv[i], "--warmup"))
            warmup = (int)num(argv[i + 1], 0, MAX_N);
        else if (!strcmp(argv[i], "--name"))
            name = argv[i + 1];
        else {
            fprintf(stderr, "bench_pages: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!port || !cookie || !paths_file) {
        fprintf(stderr, "usage: bench_pages --port P --cookie C --paths FILE [--n N] "
                        "[--warmup W] [--name NAME]\n");
        return 2;
    }
    static char paths[MAX_PATHS][256];
    int np = 0;
    FILE *f = fopen(paths_file, "r");
    if (!f) {
        perror(paths_file);
        return 2;
    }
    while (np < MAX_PATHS && fgets(paths[np], sizeof paths[np], f)) {
        paths[np][strcspn(paths[np], "\r\n")] = '\0';
        if (paths[np][0] == '/')
            np++;
    }
    fclose(f);
    if (np == 0) {
        fprintf(stderr, "bench_pages: no paths in %s\n", paths_file);
        return 2;
    }
    struct conn c = {connect_to(port), malloc(65536), 0, 65536};
    if (c.fd < 0 || !c.buf) {
        fprintf(stderr, "bench_pages: cannot connect to 127.0.0.1:%d\n", port);
        return 1;
    }
    double *srv = malloc(sizeof *srv * (size_t)n), *rtt = malloc(sizeof *rtt * (size_t)n);
    if (!srv || !rtt)
        return 1;
    int bad = 0, ns = 0;
    size_t last = 0;
    for (int i = 0; i < warmup + n; i++) {
        const char *p = paths[i % np];
        int status;
        size_t body;
        double sm, t0 = now_ms();
        if (get(&c, p, cookie, &status, &body, &sm)) {
            fprintf(stderr, "bench_pages: GET %s failed (connection)\n", p);
            return 1;
        }
        double t = now_ms() - t0;
        if (status != 200 || sm < 0) {
            if (bad++ < 3)
                fprintf(stderr, "bench_pages: GET %s: status %d, Server-Timing %s\n", p, status,
                        sm < 0 ? "missing" : "present");
            continue;
        }
        last = body;
        if (i >= warmup) {
            srv[ns] = sm;
            rtt[ns] = t;
            ns++;
        }
    }
    close(c.fd);
    if (ns == 0) {
        fprintf(stderr, "bench_pages: no good answer\n");
        return 1;
    }
    qsort(srv, (size_t)ns, sizeof *srv, cmp_double);
    qsort(rtt, (size_t)ns, sizeof *rtt, cmp_double);
    printf("%s: %d requests (%d paths, %zu bytes): server median %.3f ms p99 %.3f ms | "
           "round trip median %.3f ms p99 %.3f ms | bad %d\n",
           name, ns, np, last, quantile(srv, ns, 0.5), quantile(srv, ns, 0.99),
           quantile(rtt, ns, 0.5), quantile(rtt, ns, 0.99), bad);
    free(srv);
    free(rtt);
    free(c.buf);
    return bad ? 1 : 0;
}

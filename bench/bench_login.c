/*
 * bench_login — the latency of normal requests while a login flood runs.
 *
 *   bench_login --port P [--clients 16] [--seconds 10] [--rate 100] [--token T --zaak ID]
 *
 * Probes: one keep-alive connection per probed URL asks `rate` times a second for
 * GET /api/v1/openapi.json (and, with --token, GET /api/v1/zaken/ID as a system with an
 * API token: a read of personal data that waits for its processing-log entry). Each
 * latency is counted from the moment the request was due, not from when it could be
 * sent, so a stalled server is not hidden by a probe that waited for it.
 *
 * Flood (--clients N > 0): N threads each send POST /api/v1/sessies with a wrong password
 * for a name of its own, one after the other, every attempt on a new connection from a
 * source address of its own (127.64+t.x.y): each one is checked by the server (no
 * throttle applies), which is the worst case for its hashing threads.
 *
 * Prints one line per probe with p50, p90, p99 and the worst latency in ms, and one with
 * what the flood got back (answers per second by status).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 200000

static int port;
static int seconds = 10;
static int rate = 100;
static int clients = 16;
static const char *token;
static const char *zaak = "1";
static atomic_bool stop;
static atomic_long flood_401, flood_503, flood_other, flood_errors;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
    double d = t - now_s();
    if (d <= 0)
        return;
    struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};
    nanosleep(&ts, NULL);
}

/* A connection to 127.0.0.1:port from `src` (NULL: any). */
static int dial(const char *src)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (src) {
        struct sockaddr_in a = {.sin_family = AF_INET};
        inet_pton(AF_INET, src, &a.sin_addr);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            close(fd);
            return -1;
        }
    }
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool send_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
        if (w <= 0)
            return false;
        buf += w;
        n -= (size_t)w;
    }
    return true;
}

/* Read one response: its status, or -1. The body is read by Content-Length. */
static int read_response(int fd, char *buf, size_t cap)
{
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        if (have + 1 >= cap)
            return -1;
        ssize_t r = recv(fd, buf + have, cap - 1 - have, 0);
        if (r <= 0)
            return -1;
        have += (size_t)r;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    int status = -1;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
        return -1;
    size_t len = 0;
    for (char *p = buf; p < end; p++) {
        if ((p == buf || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) {
            len = (size_t)strtoul(p + 15, NULL, 10);
            break;
        }
    }
    size_t body = have - (size_t)(end + 4 - buf);
    while (body < len) {
        char sink[4096];
        ssize_t r = recv(fd, sink, sizeof sink, 0);
        if (r <= 0)
            return -1;
        body += (size_t)r;
    }
    return status;
}

/* ---- probes ---- */

struct probe {
    const char *name;
    char request[512];
    double *lat; /* ms */
    long n, errors;
};

static void *probe_main(void *arg)
{
    struct probe *p = arg;
    char *buf = malloc(1 << 20);
    int fd = -1;
    double period = 1.0 / rate, due = now_s();
    while (!atomic_load(&stop) && p->n < MAX_SAMPLES && buf) {
        due += period;
        sleep_until(due);
        if (fd < 0)
            fd = dial(NULL);
        int st = -1;
        if (fd >= 0 && send_all(fd, p->request, strlen(p->request)))
            st = read_response(fd, buf, 1 << 20);
        double done = now_s();
        if (st != 200) {
            p->errors++;
            if (fd >= 0)
                close(fd);
            fd = -1;
            continue;
        }
        p->lat[p->n++] = (done - due) * 1e3;
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *v, long n, double q)
{
    if (n == 0)
        return 0;
    long i = (long)(q * (double)(n - 1) + 0.5);
    return v[i];
}

/* ---- flood ---- */

static void *flood_main(void *arg)
{
    long t = (long)(intptr_t)arg;
    char buf[8192], req[512], body[160], src[48];
    for (long k = 0; !atomic_load(&stop); k++) {
        snprintf(src, sizeof src, "127.%ld.%ld.%ld", 64 + t, (k / 250) % 250, k % 250 + 1);
        int n = snprintf(
            body, sizeof body,
            "{\"gebruikersnaam\":\"vloed.%ld.%ld\",\"wachtwoord\":\"fout-wachtwoord\"}", t, k);
        snprintf(req, sizeof req,
                 "POST /api/v1/sessies HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                 "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                 n, body);
        int fd = dial(src);
        int st = -1;
        if (fd >= 0 && send_all(fd, req, strlen(req)))
            st = read_response(fd, buf, sizeof buf);
        if (fd >= 0)
            close(fd);
        if (atomic_load(&stop))
            break;
        if (st == 401)
            atomic_fetch_add(&flood_401, 1);
        else if (st == 503)
            atomic_fetch_add(&flood_503, 1);
        else if (st > 0)
            atomic_fetch_add(&flood_other, 1);
        else
            atomic_fetch_add(&flood_errors, 1);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port"))
            port = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--rate"))
            rate = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--clients"))
            clients = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--token"))
            token = argv[i + 1];
        else if (!strcmp(argv[i], "--zaak"))
            zaak = argv[i + 1];
        else {
            fprintf(stderr, "bench_login: onbekende optie %s\n", argv[i]);
            return 2;
        }
    }
    if (port <= 0 || seconds <= 0 || rate <= 0 || clients < 0 || clients > 64) {
        fprintf(stderr, "gebruik: bench_login --port P [--clients N] [--seconds S] [--rate R] "
                        "[--token T --zaak ID]\n");
        return 2;
    }
    struct probe probes[2];
    int np = token ? 2 : 1;
    memset(probes, 0, sizeof probes);
    probes[0].name = "GET /openapi.json";
    snprintf(probes[0].request, sizeof probes[0].request,
             "GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    if (token) {
        probes[1].name = "GET /zaken/{id} (token)";
        snprintf(
            probes[1].request, sizeof probes[1].request,
            "GET /api/v1/zaken/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n",
            zaak, token);
    }
    pthread_t pt[2], ft[64];
    for (int i = 0; i < np; i++) {
        probes[i].lat = calloc(MAX_SAMPLES, sizeof(double));
        if (!probes[i].lat)
            return 1;
        pthread_create(&pt[i], NULL, probe_main, &probes[i]);
    }
    for (long t = 0; t < clients; t++)
        pthread_create(&ft[t], NULL, flood_main, (void *)(intptr_t)t);
    double t0 = now_s();
    sleep_until(t0 + seconds);
    atomic_store(&stop, true);
    for (int i = 0; i < np; i++)
        pthread_join(pt[i], NULL);
    /* a flood thread finishes the attempt it is in (its answer: a second at most) */
    for (long t = 0; t < clients; t++)
        pthread_join(ft[t], NULL);
    double took = now_s() - t0;
    for (int i = 0; i < np; i++) {
        struct probe *p = &probes[i];
        qsort(p->lat, (size_t)p->n, sizeof(double), cmp_double);
        printf("%-24s n %6ld  p50 %7.2f  p90 %7.2f  p99 %7.2f  worst %8.2f ms  errors %ld\n",
               p->name, p->n, pct(p->lat, p->n, 0.50), pct(p->lat, p->n, 0.90),
               pct(p->lat, p->n, 0.99), p->n ? p->lat[p->n - 1] : 0.0, p->errors);
        free(p->lat);
    }
    if (clients > 0)
        printf("flood (%d clients)         401 %.1f/s  503 %.1f/s  other %ld  errors %ld\n",
               clients, (double)atomic_load(&flood_401) / took,
               (double)atomic_load(&flood_503) / took, atomic_load(&flood_other),
               atomic_load(&flood_errors));
    return 0;
}

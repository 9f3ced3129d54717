/*
 * pool — password checks on hashing threads (contract in pool.h).
 *
 * One mutex guards the two queues (attempts from clean addresses and from the others,
 * fixed rings), the refusals waiting for their time (a binary heap by due time) and the
 * figures. Hashing threads take from the clean ring first; a timer thread answers each
 * refusal when its time has come. What an attempt needs is copied into a job of fixed
 * size (the password at most AUTH_PASSWORD_MAX bytes: a longer one cannot be any user's,
 * so it is checked against the dummy hash and refused, at the same cost), and the
 * passwords are wiped when the job is done.
 *
 * Argon2id itself runs in a process of its own per hashing thread (a helper: this program
 * started afresh by the thread, spoken to over a socket pair, one request and one answer at
 * a time). Each
 * check maps 64 MiB afresh (libsodium), faults it in and unmaps it: inside the server that
 * took the process's memory-map lock for milliseconds at a time, and every serving thread
 * that touched new memory meanwhile waited (measured: an mmap of 300 KB next to two
 * hashing threads, p99 75-103 ms; next to two hashing processes, p99 under 1 ms). The
 * helper keeps nothing of the server (no descriptor but its socket, an empty environment),
 * only hashes, ignores SIGINT and SIGTERM (the server stops it by closing the socket), dies
 * with its thread (PR_SET_PDEATHSIG), runs at nice AUTH_POOL_NICE, and is started again at
 * the next check when it died or stayed silent HELPER_TIMEOUT_S.
 *
 * A refusal waits as long as a checked failed attempt took lately from submit to answer
 * (queue included): an exponential moving average over the last few, DELAY_DEFAULT_US
 * before the first. The heap is ordered by due time, so a changing average keeps it
 * right.
 */
#include "auth/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auth/private.h"
#include "store/store.h"

#define DELAY_DEFAULT_US 100000
#define DELAY_MIN_US     1000
#define DELAY_MAX_US     5000000
#define NAME_MAX_BYTES   64 /* a login name has at most 63 bytes (auth.c) */

struct job {
    enum auth_job_kind kind;
    struct auth_ticket ticket;
    bool clean;
    bool impossible; /* the name or the password cannot be any user's */
    char name[NAME_MAX_BYTES];
    char password[AUTH_PASSWORD_MAX + 1];
    char next[AUTH_PASSWORD_MAX + 1];
    char keep[AUTH_TOKEN_CHARS];
    bool has_keep;
    struct auth_user user; /* AUTH_JOB_ADD_USER */
    int64_t submitted_us;  /* monotonic */
    int64_t due_us;        /* a refusal: when it is answered */
    auth_job_done done;
    void *arg;
};

struct ring {
    struct job **slot;
    unsigned cap, head, n;
};

struct auth_pool {
    char *db;
    int64_t (*now)(void *arg);
    void *now_arg;
    struct auth_throttle *throttle;

    pthread_mutex_t mu;
    pthread_cond_t work;  /* a job in a ring, or stop */
    pthread_cond_t timer; /* a new earliest refusal, or stop */
    struct ring clean, other;
    struct job **heap; /* refusals by due_us */
    unsigned heap_n, heap_cap;
    bool stop;
    int64_t avg_us; /* 0: no checked failure yet */
    int64_t max_wait_us;
    uint64_t checked, refused, busy;

    unsigned nthreads;
    pthread_t *threads;
    pthread_t timer_thread;
    bool timer_started;
};

/* ---- settings of lks serve ---- */

static unsigned set_threads, set_queue;

void auth_pool_settings(unsigned threads, unsigned queue)
{
    set_threads = threads;
    set_queue = queue;
}

void auth_pool_settings_get(struct auth_pool_config *out)
{
    memset(out, 0, sizeof *out);
    out->threads = set_threads;
    out->queue = set_queue;
}

/* ---- small parts ---- */

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t wall_now(void *arg)
{
    (void)arg;
    return (int64_t)time(NULL);
}

static void job_free(struct job *j)
{
    if (!j)
        return;
    sodium_memzero(j, sizeof *j);
    free(j);
}

static bool ring_push(struct ring *r, struct job *j)
{
    if (r->n == r->cap)
        return false;
    r->slot[(r->head + r->n) % r->cap] = j;
    r->n++;
    return true;
}

static struct job *ring_pop(struct ring *r)
{
    if (r->n == 0)
        return NULL;
    struct job *j = r->slot[r->head];
    r->head = (r->head + 1) % r->cap;
    r->n--;
    return j;
}

static void heap_push(struct auth_pool *p, struct job *j)
{
    unsigned i = p->heap_n++;
    while (i > 0) {
        unsigned up = (i - 1) / 2;
        if (p->heap[up]->due_us <= j->due_us)
            break;
        p->heap[i] = p->heap[up];
        i = up;
    }
    p->heap[i] = j;
}

static struct job *heap_pop(struct auth_pool *p)
{
    struct job *top = p->heap[0];
    struct job *last = p->heap[--p->heap_n];
    unsigned i = 0;
    for (;;) {
        unsigned c = 2 * i + 1;
        if (c >= p->heap_n)
            break;
        if (c + 1 < p->heap_n && p->heap[c + 1]->due_us < p->heap[c]->due_us)
            c++;
        if (last->due_us <= p->heap[c]->due_us)
            break;
        p->heap[i] = p->heap[c];
        i = c;
    }
    if (p->heap_n > 0)
        p->heap[i] = last;
    return top;
}

static int64_t delay_us(const struct auth_pool *p)
{
    int64_t d = p->avg_us ? p->avg_us : DELAY_DEFAULT_US;
    return d < DELAY_MIN_US ? DELAY_MIN_US : d > DELAY_MAX_US ? DELAY_MAX_US : d;
}

static void answer(struct job *j, const struct auth_job_result *r)
{
    j->done(j->arg, r);
    job_free(j);
}

static void answer_refusal(struct job *j)
{
    struct auth_job_result r;
    memset(&r, 0, sizeof r);
    r.rc = auth_refusal(&r.err);
    answer(j, &r);
}

static void answer_stopping(struct job *j)
{
    struct auth_job_result r;
    memset(&r, 0, sizeof r);
    r.rc = lks_err_set(&r.err, LKS_EIO, "password", "stopping", "de server stopt");
    answer(j, &r);
}

/* ---- the helper process of a hashing thread ---- */

enum { OP_VERIFY = 1, OP_HASH = 2 };

struct helper_req {
    int32_t op;
    char hash[AUTH_HASH_STR_BYTES];
    char password[AUTH_PASSWORD_MAX + 1];
};

struct helper_resp {
    int32_t rc;     /* libsodium's */
    int32_t errno_; /* errno after it (ENOMEM: the 64 MiB could not be had) */
    char out[AUTH_HASH_STR_BYTES];
};

struct helper {
    int fd; /* -1: not running */
    pid_t pid;
};

/* How a helper is told, in its environment, which descriptor is its socket and who its
 * parent is: "LKS_HASH_HELPER=FD:PID". */
#define HELPER_ENV "LKS_HASH_HELPER"
/* A check takes ~70 ms; a helper silent for this long is taken for dead. */
#define HELPER_TIMEOUT_S 20

/* The helper's whole life: answer requests until the socket closes. */
static void helper_main(int fd, pid_t parent)
{
    /* Only its socket and the standard streams: descriptors the server opened without
     * close-on-exec (another helper's socket among them) must not stay open here. */
    if (fd > 3 && close_range(3, (unsigned)fd - 1, 0) != 0)
        for (int i = 3; i < fd; i++)
            close(i);
    if (close_range((unsigned)fd + 1, ~0U, 0) != 0)
        for (int i = fd + 1; i < 1024; i++)
            close(i);
    signal(SIGINT, SIG_IGN); /* the server stops it by closing the socket */
    signal(SIGTERM, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent || sodium_init() < 0)
        _exit(0);
    (void)setpriority(PRIO_PROCESS, 0, AUTH_POOL_NICE);
    static struct helper_req q;
    static struct helper_resp r;
    for (;;) {
        ssize_t n = recv(fd, &q, sizeof q, 0);
        if (n != (ssize_t)sizeof q)
            break;
        q.hash[sizeof q.hash - 1] = '\0';
        q.password[sizeof q.password - 1] = '\0';
        memset(&r, 0, sizeof r);
        errno = 0;
        if (q.op == OP_VERIFY)
            r.rc = crypto_pwhash_str_verify(q.hash, q.password, strlen(q.password));
        else
            r.rc = crypto_pwhash_str(r.out, q.password, strlen(q.password),
                                     crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                     crypto_pwhash_MEMLIMIT_INTERACTIVE);
        r.errno_ = errno;
        sodium_memzero(&q, sizeof q);
        ssize_t w = send(fd, &r, sizeof r, MSG_NOSIGNAL);
        sodium_memzero(&r, sizeof r);
        if (w != (ssize_t)sizeof r)
            break;
    }
    _exit(0);
}

/*
 * A helper is this same program started afresh (helper_start: /proc/self/exe) with
 * HELPER_ENV set: before main, it becomes the helper and never returns. Started afresh,
 * not merely forked: a fork of the threaded server copies its other threads' locks as
 * they were (the sanitizers' allocator deadlocked a forked helper that way).
 */
__attribute__((constructor)) static void helper_entry(void)
{
    const char *v = getenv(HELPER_ENV);
    if (!v)
        return;
    char *end;
    long fd = strtol(v, &end, 10);
    long parent = *end == ':' ? strtol(end + 1, &end, 10) : 0;
    if (*end || fd < 3 || fd > 65535 || parent <= 1)
        _exit(2);
    helper_main((int)fd, (pid_t)parent);
}

static void helper_stop(struct helper *h)
{
    if (h->fd < 0)
        return;
    close(h->fd); /* the helper sees the end and exits; one that does not is killed */
    h->fd = -1;
    for (int i = 0; i < 40; i++) {
        if (waitpid(h->pid, NULL, WNOHANG) != 0)
            return;
        struct timespec ts = {0, 5 * 1000000L};
        nanosleep(&ts, NULL);
    }
    kill(h->pid, SIGKILL);
    waitpid(h->pid, NULL, 0);
}

static bool helper_start(struct helper *h)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return false;
    /* the helper's end survives the exec; the server's does not */
    int fl = fcntl(sv[1], F_GETFD);
    char env[64];
    snprintf(env, sizeof env, "%s=%d:%ld", HELPER_ENV, sv[1], (long)getpid());
    char arg0[] = "lks-hash";
    char *argv[] = {arg0, NULL};
    char *envp[] = {env, NULL}; /* nothing of the server's environment */
    pid_t pid = 0;
    int rc = fl < 0 || fcntl(sv[1], F_SETFD, fl & ~FD_CLOEXEC) != 0
                 ? -1
                 : posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, envp);
    close(sv[1]);
    if (rc != 0) {
        close(sv[0]);
        return false;
    }
    struct timeval tv = {HELPER_TIMEOUT_S, 0};
    setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    h->fd = sv[0];
    h->pid = pid;
    return true;
}

static int helper_unavailable(struct lks_err *err)
{
    return lks_err_set(err, LKS_ENOMEM, "password", "no-helper",
                       "het wachtwoord kon niet worden gecontroleerd; probeer het zo opnieuw");
}

/* One request to the helper (started when it is not running); false when it failed. */
static bool helper_call(struct helper *h, int op, const char *hash, const char *password,
                        struct helper_resp *r)
{
    if (h->fd < 0 && !helper_start(h))
        return false;
    struct helper_req *q = calloc(1, sizeof *q);
    if (!q)
        return false;
    q->op = op;
    if (hash)
        snprintf(q->hash, sizeof q->hash, "%s", hash);
    snprintf(q->password, sizeof q->password, "%s", password);
    ssize_t w = send(h->fd, q, sizeof *q, MSG_NOSIGNAL);
    sodium_memzero(q, sizeof *q);
    free(q);
    ssize_t n = w == (ssize_t)sizeof *q ? recv(h->fd, r, sizeof *r, 0) : -1;
    if (n != (ssize_t)sizeof *r) {
        helper_stop(h); /* died or confused: a new one next time */
        return false;
    }
    return true;
}

static int helper_verify(void *arg, const char *hash, const char *password, struct lks_err *err)
{
    struct helper_resp r;
    if (!helper_call(arg, OP_VERIFY, hash, password, &r))
        return helper_unavailable(err);
    if (r.rc == 0)
        return 1;
    if (r.errno_ == ENOMEM)
        return lks_err_set(err, LKS_ENOMEM, "password", "no-memory",
                           "onvoldoende geheugen om het wachtwoord te controleren; probeer het "
                           "zo opnieuw");
    return 0;
}

static int helper_hash(void *arg, char out[AUTH_HASH_STR_BYTES], const char *password,
                       struct lks_err *err)
{
    struct helper_resp r;
    if (!helper_call(arg, OP_HASH, NULL, password, &r))
        return helper_unavailable(err);
    if (r.rc != 0)
        return lks_err_set(err, LKS_ENOMEM, "password", "no-memory",
                           "onvoldoende geheugen om het wachtwoord te versleutelen");
    memcpy(out, r.out, AUTH_HASH_STR_BYTES);
    out[AUTH_HASH_STR_BYTES - 1] = '\0';
    sodium_memzero(&r, sizeof r);
    return 0;
}

/* ---- a hashing thread ---- */

/* Check one attempt on this thread's store connection (*s, opened on first use). */
static void run(struct auth_pool *p, struct store **s, const struct auth_hasher *h, struct job *j)
{
    struct auth_job_result r;
    memset(&r, 0, sizeof r);
    bool by_operator = j->kind == AUTH_JOB_SET_PASSWORD || j->kind == AUTH_JOB_ADD_USER;
    if (mono_us() - j->submitted_us > p->max_wait_us) {
        /* waited too long (the cores were busy with other work): not checked now */
        r.rc = lks_err_set(&r.err, LKS_ENOMEM, "password", "busy",
                           "te veel inlogpogingen tegelijk; probeer het zo opnieuw");
        if (!by_operator)
            auth_throttle_settle(p->throttle, &j->ticket, AUTH_UNCHECKED);
        pthread_mutex_lock(&p->mu);
        p->busy++;
        pthread_mutex_unlock(&p->mu);
        answer(j, &r);
        return;
    }
    if (!*s && store_open(s, p->db, 0, &r.err) != 0) {
        *s = NULL;
        r.rc = r.err.code ? r.err.code : LKS_EIO;
        if (!by_operator)
            auth_throttle_settle(p->throttle, &j->ticket, AUTH_UNCHECKED);
        answer(j, &r);
        return;
    }
    if (by_operator) {
        /* nothing to check: hash and store on this thread's connection */
        if (j->kind == AUTH_JOB_ADD_USER) {
            r.user = j->user;
            r.rc = auth_user_add_with(*s, &j->user, j->next, h, &r.err);
        } else {
            r.rc = auth_password_set_with(*s, j->name, j->next, h, &r.err);
        }
        answer(j, &r);
        sodium_memzero(&r, sizeof r);
        return;
    }
    /* An impossible name is looked up as "", which no user has: the same statement and
     * the same dummy hash as any unknown name. */
    r.rc = auth_check_password(*s, j->impossible ? "" : j->name, j->password, h, &r.user, &r.err);
    int64_t took = mono_us() - j->submitted_us;
    auth_throttle_settle(p->throttle, &j->ticket,
                         r.rc == 0            ? AUTH_SUCCEEDED
                         : r.rc == LKS_EINVAL ? AUTH_FAILED
                                              : AUTH_UNCHECKED);
    pthread_mutex_lock(&p->mu);
    p->checked++;
    if (r.rc == LKS_EINVAL)
        p->avg_us = p->avg_us ? p->avg_us + (took - p->avg_us) / 8 : took;
    pthread_mutex_unlock(&p->mu);
    if (r.rc == 0 && j->kind == AUTH_JOB_LOGIN)
        r.rc = auth_session_new(*s, &r.user, p->now(p->now_arg), &r.se, &r.err);
    else if (r.rc == 0 && j->kind == AUTH_JOB_PASSWORD)
        r.rc = auth_password_store(*s, r.user.id, j->next, j->has_keep ? j->keep : NULL, h, &r.err);
    answer(j, &r);
    sodium_memzero(&r, sizeof r);
}

static void *worker(void *arg)
{
    struct auth_pool *p = arg;
    struct helper helper = {-1, 0};
    helper_start(&helper); /* now; else at the first check */
    const struct auth_hasher h = {helper_verify, helper_hash, &helper};
    struct store *s = NULL;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->clean.n == 0 && p->other.n == 0)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        struct job *j = ring_pop(&p->clean);
        if (!j)
            j = ring_pop(&p->other);
        pthread_mutex_unlock(&p->mu);
        run(p, &s, &h, j);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    store_close(s);
    helper_stop(&helper);
    return NULL;
}

/* ---- the timer thread: refusals when their time has come ---- */

static void *timer_main(void *arg)
{
    struct auth_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        if (p->heap_n == 0) {
            if (p->stop)
                break;
            pthread_cond_wait(&p->timer, &p->mu);
            continue;
        }
        int64_t now = mono_us();
        int64_t due = p->heap[0]->due_us;
        if (due > now && !p->stop) {
            struct timespec ts = {(time_t)(due / 1000000), (long)(due % 1000000) * 1000};
            pthread_cond_timedwait(&p->timer, &p->mu, &ts);
            continue;
        }
        struct job *j = heap_pop(p);
        pthread_mutex_unlock(&p->mu);
        answer_refusal(j);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- start, stop ---- */

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > AUTH_POOL_THREADS_MAX ? AUTH_POOL_THREADS_MAX : (unsigned)n;
}

static void pool_free(struct auth_pool *p)
{
    auth_throttle_free(p->throttle);
    free(p->clean.slot);
    free(p->other.slot);
    free(p->heap);
    free(p->threads);
    free(p->db);
    free(p);
}

int auth_pool_start(struct auth_pool **out, const struct auth_pool_config *cfg, struct lks_err *err)
{
    unsigned threads = cfg->threads;
    if (threads == 0) {
        /* one core stays with the serving threads: on a core a helper hashes on, a woken
         * serving thread waits up to a scheduler tick; on a free one it runs at once */
        threads = cores() > 1 ? cores() - 1 : 1;
        if (threads > AUTH_POOL_THREADS_DEFAULT)
            threads = AUTH_POOL_THREADS_DEFAULT;
    }
    if (threads > AUTH_POOL_THREADS_MAX)
        threads = AUTH_POOL_THREADS_MAX;
    unsigned queue = cfg->queue ? cfg->queue : AUTH_POOL_QUEUE_PER_THREAD * threads;
    if (!cfg->queue && queue < AUTH_POOL_QUEUE_MIN)
        queue = AUTH_POOL_QUEUE_MIN;
    if (queue > AUTH_POOL_QUEUE_MAX)
        queue = AUTH_POOL_QUEUE_MAX;
    unsigned waiting = cfg->waiting ? cfg->waiting : AUTH_POOL_WAITING_DEFAULT;
    if (waiting > AUTH_POOL_QUEUE_MAX * 16)
        waiting = AUTH_POOL_QUEUE_MAX * 16;

    struct auth_pool *p = calloc(1, sizeof *p);
    if (!p)
        return lks_err_set(err, LKS_ENOMEM, "auth", "no-memory", "onvoldoende geheugen");
    p->db = cfg->db ? strdup(cfg->db) : NULL;
    p->now = cfg->now ? cfg->now : wall_now;
    p->now_arg = cfg->now_arg;
    p->max_wait_us = cfg->max_wait_ms ? (int64_t)cfg->max_wait_ms * 1000
                                      : (int64_t)AUTH_POOL_MAX_WAIT_S * 1000000;
    p->clean.cap = p->other.cap = queue;
    p->clean.slot = calloc(queue, sizeof *p->clean.slot);
    p->other.slot = calloc(queue, sizeof *p->other.slot);
    p->heap_cap = waiting;
    p->heap = calloc(waiting, sizeof *p->heap);
    p->threads = calloc(threads, sizeof *p->threads);
    if (!p->db || !p->clean.slot || !p->other.slot || !p->heap || !p->threads) {
        pool_free(p);
        return lks_err_set(err, LKS_ENOMEM, "auth", "no-memory", "onvoldoende geheugen");
    }
    int rc = auth_throttle_new(&p->throttle, (size_t)threads * AUTH_POOL_COUNTERS_PER_THREAD, err);
    if (rc) {
        pool_free(p);
        return rc;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&p->timer, &ca);
    pthread_condattr_destroy(&ca);

    if (pthread_create(&p->timer_thread, NULL, timer_main, p) == 0)
        p->timer_started = true;
    for (unsigned i = 0; p->timer_started && i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
            break;
        p->nthreads++;
    }
    if (!p->timer_started || p->nthreads < threads) {
        auth_pool_stop(p);
        return lks_err_set(err, LKS_ENOMEM, "auth", "no-threads",
                           "de threads voor het controleren van wachtwoorden konden niet "
                           "worden gestart");
    }
    *out = p;
    return 0;
}

void auth_pool_stop(struct auth_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->timer);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    if (p->timer_started)
        pthread_join(p->timer_thread, NULL); /* it answered every refusal first */
    /* What still waits for a hashing thread: answered, not checked. */
    struct job *j;
    while ((j = ring_pop(&p->clean)) || (j = ring_pop(&p->other))) {
        if (j->kind == AUTH_JOB_LOGIN || j->kind == AUTH_JOB_PASSWORD) /* operators': none */
            auth_throttle_settle(p->throttle, &j->ticket, AUTH_UNCHECKED);
        answer_stopping(j);
    }
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->timer);
    pthread_mutex_destroy(&p->mu);
    pool_free(p);
}

/* ---- submit ---- */

static int busy(struct auth_pool *p, struct job *j, struct lks_err *err)
{
    job_free(j);
    pthread_mutex_lock(&p->mu);
    p->busy++;
    pthread_mutex_unlock(&p->mu);
    return lks_err_set(err, LKS_ENOMEM, "password", "busy",
                       "te veel inlogpogingen tegelijk; probeer het zo opnieuw");
}

/* Copy s into a buffer of n bytes; false when it does not fit. */
static bool copy_in(char *dst, size_t n, const char *s)
{
    size_t len = strnlen(s, n);
    if (len == n)
        return false;
    memcpy(dst, s, len + 1);
    return true;
}

int auth_pool_submit(struct auth_pool *p, const struct auth_job *job, auth_job_done done, void *arg,
                     struct lks_err *err)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j)
        return busy(p, NULL, err);
    j->kind = job->kind;
    j->done = done;
    j->arg = arg;
    j->submitted_us = mono_us();
    const char *name = job->name ? job->name : "";
    const char *pw = job->password ? job->password : "";
    j->impossible = !copy_in(j->name, sizeof j->name, name);
    if (!copy_in(j->password, sizeof j->password, pw)) {
        /* cut, and checked against the dummy hash: no user has so long a password */
        memcpy(j->password, pw, AUTH_PASSWORD_MAX);
        j->password[AUTH_PASSWORD_MAX] = '\0';
        j->impossible = true;
    }
    if (job->kind == AUTH_JOB_SET_PASSWORD || job->kind == AUTH_JOB_ADD_USER) {
        /* an operator's change: its right is the caller's to check, nothing to throttle */
        if (!job->next || !copy_in(j->next, sizeof j->next, job->next) || j->impossible ||
            (job->kind == AUTH_JOB_ADD_USER && !job->user)) {
            job_free(j);
            return lks_err_set(err, LKS_EINVAL, "password", "too-long",
                               "het wachtwoord mag hoogstens %d bytes hebben", AUTH_PASSWORD_MAX);
        }
        if (job->kind == AUTH_JOB_ADD_USER)
            j->user = *job->user;
        pthread_mutex_lock(&p->mu);
        if (p->stop || !ring_push(&p->other, j)) {
            pthread_mutex_unlock(&p->mu);
            return busy(p, j, err);
        }
        pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->mu);
        return 0;
    }
    if (job->kind == AUTH_JOB_PASSWORD) {
        if (!job->next || !copy_in(j->next, sizeof j->next, job->next)) {
            job_free(j);
            return lks_err_set(err, LKS_EINVAL, "new_password", "too-long",
                               "het wachtwoord mag hoogstens %d bytes hebben", AUTH_PASSWORD_MAX);
        }
        j->has_keep = job->keep_session && copy_in(j->keep, sizeof j->keep, job->keep_session);
    }
    auth_throttle_ticket(p->throttle, job->addr, name, &j->ticket);

    pthread_mutex_lock(&p->mu);
    if (p->stop) {
        pthread_mutex_unlock(&p->mu);
        return busy(p, j, err);
    }
    /* The throttle is asked under the pool's lock, so an attempt it admits (and counts)
     * always finds its place, or is taken back below. */
    enum auth_verdict v = auth_throttle_admit(p->throttle, &j->ticket, p->now(p->now_arg));
    if (v == AUTH_REFUSE) {
        if (p->heap_n == p->heap_cap) {
            pthread_mutex_unlock(&p->mu);
            return busy(p, j, err);
        }
        j->due_us = j->submitted_us + delay_us(p);
        p->refused++;
        bool first = p->heap_n == 0 || j->due_us < p->heap[0]->due_us;
        heap_push(p, j);
        if (first)
            pthread_cond_signal(&p->timer);
        pthread_mutex_unlock(&p->mu);
        return 0;
    }
    j->clean = v == AUTH_ADMIT_CLEAN;
    if (!ring_push(j->clean ? &p->clean : &p->other, j)) {
        pthread_mutex_unlock(&p->mu);
        auth_throttle_settle(p->throttle, &j->ticket, AUTH_UNCHECKED);
        return busy(p, j, err);
    }
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

/* ---- figures ---- */

void auth_pool_stats(struct auth_pool *p, struct auth_pool_stats *out)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&p->mu);
    out->checked = p->checked;
    out->refused = p->refused;
    out->busy = p->busy;
    out->delay_us = delay_us(p);
    out->threads = p->nthreads;
    out->queue = p->clean.cap;
    out->waiting = p->heap_cap;
    pthread_mutex_unlock(&p->mu);
    out->counters = auth_throttle_capacity(p->throttle);
}

struct auth_throttle *auth_pool_throttle(struct auth_pool *p)
{
    return p->throttle;
}

/*
 * pool — password checks of a server off its serving threads: a few hashing threads, a
 * bounded queue, the throttle (throttle.h) before any hash, and refusals answered after
 * the time a check takes.
 *
 * Argon2id costs ~70 ms of a core and 64 MiB per check. Done on the HTTP threads, a
 * flood of wrong passwords kept those threads busy and every other request waited
 * (GET /openapi.json: median 611 ms with 16 clients). The HTTP thread now only decides:
 *
 * - auth_pool_submit asks the throttle. Over a limit the attempt is refused without a
 *   hash, and its answer (the one a wrong password gets) is given after as long as a
 *   checked attempt takes now (a moving average), by a timer thread: the refusal is not
 *   quicker than a check, and neither depends on whether the account exists.
 * - Otherwise the attempt waits in a queue for a hashing thread. Attempts from an address
 *   without failures go before those from addresses with failures. A full queue, or a
 *   full list of waiting refusals, is refused at once (the caller answers 503): no thread,
 *   and no memory beyond the bounds, is ever spent on an attempt that does not fit.
 * - A hashing thread reads the user (an unknown name is checked against a dummy hash, so
 *   it costs the same), has the password checked, tells the throttle, and for a login
 *   makes the session, for a password change has the new password hashed and stores it:
 *   each thread has its own store connection. Then it calls the caller's `done`. The
 *   hashing itself is done by a helper process per thread, so that its 64 MiB, mapped
 *   and unmapped for every check, never stalls the server's own memory (pool.c).
 *
 * The caller (api/) defers its HTTP answer (http_defer) before submitting and completes it
 * from `done` (http_complete), so no serving thread waits for a hash.
 *
 * The helpers run at a lower priority (nice AUTH_POOL_NICE): the serving threads, and
 * everything else on the machine, go first when the cores are busy.
 */
#ifndef LKS_AUTH_POOL_H
#define LKS_AUTH_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "auth/throttle.h"
#include "base/err.h"

#define AUTH_POOL_THREADS_MAX      64
#define AUTH_POOL_THREADS_DEFAULT  4 /* at most, by default: 64 MiB each */
#define AUTH_POOL_QUEUE_PER_THREAD 8
#define AUTH_POOL_QUEUE_MIN        16 /* by default, per class */
#define AUTH_POOL_QUEUE_MAX        4096
#define AUTH_POOL_WAITING_DEFAULT  256 /* refusals waiting for their answer: a connection each */
#define AUTH_POOL_NICE             10
/* An attempt that waited longer than this for a hashing thread is answered 503 unchecked:
 * a deferred request never hangs on cores that are busy with other work. */
#define AUTH_POOL_MAX_WAIT_S 10
/* Counters in the throttle per hashing thread: room for every attempt it can check in
 * AUTH_FORGET_S (at most ~25 per second even on a fast core; three counters each). */
#define AUTH_POOL_COUNTERS_PER_THREAD 65536

struct auth_pool_config {
    const char *db;       /* the store's url: each hashing thread opens its own connection */
    unsigned threads;     /* hashing threads; 0: the number of cores less one (at least one),
                           * at most AUTH_POOL_THREADS_DEFAULT */
    unsigned queue;       /* attempts that may wait for a thread (each of the two classes);
                           * 0: AUTH_POOL_QUEUE_PER_THREAD per thread, at least
                           * AUTH_POOL_QUEUE_MIN */
    unsigned waiting;     /* refusals that may wait for their answer; 0: the default */
    unsigned max_wait_ms; /* 0: AUTH_POOL_MAX_WAIT_S */
    /* The throttle's clock in seconds; NULL: time(NULL). For tests. */
    int64_t (*now)(void *arg);
    void *now_arg;
};

/* The settings `lks serve` gives (--hash-threads, --hash-queue) for the pool the API
 * starts (api_init); call before it. 0 keeps the default. */
void auth_pool_settings(unsigned threads, unsigned queue);
/* Those settings into a config (db and the clock not set). */
void auth_pool_settings_get(struct auth_pool_config *out);

struct auth_pool;

int auth_pool_start(struct auth_pool **out, const struct auth_pool_config *cfg,
                    struct lks_err *err);
/* Stop: the attempt each thread is checking is finished; every attempt still waiting is
 * answered at once (refusals as refusals, queued ones with LKS_EIO), then the threads end.
 * NULL is allowed. */
void auth_pool_stop(struct auth_pool *p);

enum auth_job_kind {
    AUTH_JOB_LOGIN,    /* check name + password; on success a new session */
    AUTH_JOB_PASSWORD, /* check the current password; on success store `next` */
    /* An operator's change, its right checked by the caller (app_beheer.c) before it
     * submits: no password is checked and the throttle is not asked; only the hash is
     * the pool's, off the serving thread. */
    AUTH_JOB_SET_PASSWORD, /* `next` becomes the password of `name`; its sessions end */
    AUTH_JOB_ADD_USER      /* `user` is added with the password `next` */
};

/* An attempt; the pool copies what it needs, so the strings may go once submit returns. */
struct auth_job {
    enum auth_job_kind kind;
    const char *addr;             /* the client's address (auth_client_addr) */
    const char *name;             /* as typed: any text */
    const char *password;         /* the password to check: a login's, or the current one */
    const char *next;             /* AUTH_JOB_PASSWORD: the new one (auth_password_check_new) */
    const char *keep_session;     /* AUTH_JOB_PASSWORD: the caller's session token, or NULL */
    const struct auth_user *user; /* AUTH_JOB_ADD_USER: the new user (copied) */
};

struct auth_job_result {
    /* 0; LKS_EINVAL field "password" for an unknown name, a wrong password, an inactive
     * account and a refusal alike (the same error, byte for byte); another code when the
     * server could not check it (LKS_EIO: the store, or the pool stopping; LKS_ENOMEM) */
    int rc;
    struct lks_err err;
    struct auth_user user;  /* rc 0 (AUTH_JOB_ADD_USER: the user as given) */
    struct auth_session se; /* AUTH_JOB_LOGIN, rc 0: the new session with its token */
};

typedef void (*auth_job_done)(void *arg, const struct auth_job_result *r);

/*
 * Submit an attempt. 0: `done(arg, result)` is called exactly once later, on a thread of
 * the pool (it may be before this returns). LKS_ENOMEM (reason "busy") when the queue or
 * the list of waiting refusals is full, or the pool stops: `done` is never called, and
 * the throttle counts nothing.
 */
int auth_pool_submit(struct auth_pool *p, const struct auth_job *job, auth_job_done done, void *arg,
                     struct lks_err *err);

struct auth_pool_stats {
    uint64_t checked; /* attempts a hashing thread checked (each one Argon2id) */
    uint64_t refused; /* attempts the throttle refused (no hash) */
    uint64_t busy;    /* attempts refused unchecked: queue or waiting list full, or
                       * waited over AUTH_POOL_MAX_WAIT_S */
    int64_t delay_us; /* what a refusal waits now */
    unsigned threads;
    unsigned queue, waiting;
    size_t counters; /* the throttle's table */
};
void auth_pool_stats(struct auth_pool *p, struct auth_pool_stats *out);

/* The pool's throttle (for tests: its counts). */
struct auth_throttle *auth_pool_throttle(struct auth_pool *p);

#endif

/*
 * plog — the processing log (plog.h): group commit by one writer thread.
 *
 * Why a writer thread: with synchronous=FULL every commit is an fsync, and
 * one commit per logged read would cap the API at the fsync rate. Callers
 * hand their entries to a bounded queue as one unit (plog_submit) and go on;
 * the writer takes what has gathered, writes it in one transaction and then
 * calls each unit's `done` with the outcome. A unit's entries are therefore
 * durable before its `done` runs, and hundreds of units share one fsync.
 * plog_write is plog_submit plus a semaphore for callers that want to wait.
 *
 * Why asynchronous: the API used to block one of its threads per request
 * until the commit, so it needed many more threads than cores, and the
 * scheduling cost more than the work. With `done`, a request waits for its
 * entries without holding a thread (the HTTP layer suspends the connection).
 *
 * Batches form by themselves: the writer commits whatever is queued when it
 * comes round, and what arrives during that commit (its fsync) is the next
 * batch. Measured with the API on 2 cores (64 connections, each waiting
 * for its entry): that gave about twice the rate of gathering first (a
 * quiet gap of 100 us, at most 2 ms), because while one batch
 * waits for its fsync the requests of the next one are being served
 * instead of waiting in the same batch.
 *
 * Ownership: struct plog owns two connections. The writer connection (a
 * store opened with STORE_CREATE, so the migrations run) is used only by the
 * writer thread while it runs, and only by plog_open/plog_close before and
 * after. A queued unit is a heap copy of the caller's entries, owned by the
 * queue and then by the writer, which frees it after calling its `done`; the
 * caller's memory is not used after plog_submit returns. The writer never
 * does I/O nor calls `done` while holding the queue lock. The read
 * connection is shared by plog_read callers under a
 * mutex (reads are rare: the auditor role); a caller that finds it taken (a
 * concurrent read, or a callback that reads again) opens a connection of its
 * own for that call instead of waiting, so a slow consumer of one read never
 * blocks another and a nested read cannot deadlock. The read connection is
 * query_only: nothing can write the log except the writer.
 *
 * Failure: invalid entries are refused before queueing (LKS_EINVAL naming the
 * field; of a unit, none is queued when one is invalid). A batch is one
 * transaction: if any part fails it is rolled back and every unit in it gets
 * the same error (LKS_EIO, or LKS_ENOMEM), nothing is half-written and
 * nothing is dropped silently. The queue never drops: a full queue makes
 * callers wait for room. After plog_close has begun, new units are refused
 * with LKS_ESTATE (and their `done` is never called); every unit accepted
 * before is written and its `done` called before plog_close returns.
 * A database in memory is refused: a log that vanishes on exit is no log.
 *
 * PostgreSQL: the same queue and writer; a batch is one statement of plog_pg.c
 * (one transaction) and reads go through it too, on connections of the same
 * url; the SQLite statements here then stay unused.
 */
#include "store/plog.h"

#include <pthread.h>
#include <semaphore.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/pg_private.h"
#include "store/plog_private.h"
#include "store/sqlite_private.h"
#include "store/store.h"

/* More entries per transaction barely lower the cost per entry further, and a
 * bound keeps one batch's time (and so every caller's wait) bounded. */
#define BATCH_MAX 512

#define INSERT_SQL                                                                                 \
    "INSERT INTO processing_log (tenant_id, at_us, action, user, system, bsn, object, kinds,"      \
    " purpose, confidentiality, retention_years, request_id)"                                      \
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"

#define SELECT_COLS                                                                                \
    "SELECT id, tenant_id, at_us, action, user, system, bsn, object, kinds, purpose,"              \
    " confidentiality, retention_years, request_id FROM processing_log"

/* Keyset by (at_us, id), the order of the indexes (tenant_id, at_us) and
 * (tenant_id, bsn, at_us), whose rows end in the rowid: oldest first without
 * a sort. ?3 is the lower bound of at_us (the larger of the filter's and the
 * page's), ?5/?6 the last row of the previous page. */
#define SELECT_TAIL                                                                                \
    " AND at_us >= ?3 AND at_us < ?4 AND (at_us > ?5 OR id > ?6)"                                  \
    " ORDER BY at_us, id LIMIT ?7"

/* Newest first: the same indexes read backwards; ?4 is the upper bound (the smaller of
 * the filter's and just past the page's last row). */
#define SELECT_TAIL_DESC                                                                           \
    " AND at_us >= ?3 AND at_us < ?4 AND (at_us < ?5 OR id < ?6)"                                  \
    " ORDER BY at_us DESC, id DESC LIMIT ?7"

static const char *const read_sql[4] = {
    SELECT_COLS " WHERE tenant_id = ?1" SELECT_TAIL,
    SELECT_COLS " WHERE tenant_id = ?1 AND bsn = ?2" SELECT_TAIL,
    SELECT_COLS " WHERE tenant_id = ?1" SELECT_TAIL_DESC,
    SELECT_COLS " WHERE tenant_id = ?1 AND bsn = ?2" SELECT_TAIL_DESC,
};

static const char *const action_name[] = {
    [PLOG_READ] = "read",
    [PLOG_CREATE] = "create",
    [PLOG_UPDATE] = "update",
    [PLOG_SEARCH] = "search",
};
#define NACTION ((int)(sizeof action_name / sizeof action_name[0]))

const char *plog_action_name(enum plog_action a)
{
    return (int)a >= 0 && (int)a < NACTION ? action_name[a] : "";
}

int plog_action_parse(const char *name)
{
    for (int a = 0; a < NACTION; a++)
        if (name && strcmp(name, action_name[a]) == 0)
            return a;
    return -1;
}

/* Callers pass an lks_err; a NULL one must still not crash the error path. */
#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

/* One plog_submit: its entries (copied), and whom to tell when they are
 * committed. `errout`, when set, receives the batch's error before `done` is
 * called (plog_write reports it to its caller). */
struct unit {
    void (*done)(void *arg, int rc);
    void *arg;
    struct lks_err *errout;
    int n;
    struct plog_entry e[];
};

/* A read connection with its statements (prepared on first use). */
struct reader {
    struct store *s;
    sqlite3 *db;
    sqlite3_stmt *q[4]; /* read_sql: without and with the BSN, each both ways */
    sqlite3_stmt *after;
};

enum writer_state { W_BUSY, W_IDLE };

struct plog {
    pthread_mutex_t mu;   /* guards everything up to `thread` */
    pthread_cond_t work;  /* writer: an entry arrived (when idle), closing */
    pthread_cond_t space; /* callers: the queue has room again */
    pthread_cond_t left;  /* plog_close: the last caller has left plog_submit/plog_write */
    struct unit *ring[PLOG_QUEUE_MAX]; /* a unit has at least one entry: never more units */
    int head, len;                     /* units in the ring */
    int queued;                        /* entries in the ring: the bound is on these */
    int room_waiters;                  /* callers waiting for room in the queue */
    enum writer_state state;
    bool closing;
    int callers; /* threads inside plog_submit or plog_write */
    uint64_t commits;

    pthread_t thread;
    bool started;
    char *url;

    /* The writer's, see the header comment. On PostgreSQL (pg) the SQLite
     * handle and statements stay NULL and plog_pg.c writes. */
    bool pg;
    struct store *ws;
    sqlite3 *wdb;
    sqlite3_stmt *ins, *begin, *commit, *rollback;
    struct unit *batch[BATCH_MAX]; /* a batch: at most BATCH_MAX entries, so as many units */

    pthread_mutex_t rmu; /* guards r */
    struct reader r;

    bool mu_ok, work_ok, space_ok, left_ok, rmu_ok;
};

/* ---- time ---- */

static int64_t now_us(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- errors ---- */

/* An SQLite failure as an lks_err: what we were doing (Dutch) plus SQLite's text. */
static int db_fail(sqlite3 *db, int rc, const char *field, const char *what, struct lks_err *err)
{
    const char *m = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_NOMEM:
        return lks_err_set(err, LKS_ENOMEM, field, "no-memory", "onvoldoende geheugen bij %s: %s",
                           what, m);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return lks_err_set(err, LKS_EIO, field, "busy",
                           "de database is bezet door een ander proces bij %s: %s", what, m);
    case SQLITE_FULL:
        return lks_err_set(err, LKS_EIO, field, "disk-full", "de schijf is vol bij %s: %s", what,
                           m);
    default:
        return lks_err_set(err, LKS_EIO, field, "sqlite", "databasefout bij %s: %s", what, m);
    }
}

/* ---- validation ---- */

/* A text field of a fixed size: terminated inside its array and, when
 * required, not empty. */
static int check_text(const char *s, size_t size, bool required, const char *field,
                      const char *label, struct lks_err *err)
{
    size_t n = strnlen(s, size);
    if (n == size)
        return lks_err_set(err, LKS_EINVAL, field, "too-long",
                           "%s is te lang (hoogstens %zu tekens)", label, size - 1);
    if (required && n == 0)
        return lks_err_set(err, LKS_EINVAL, field, "missing", "%s ontbreekt", label);
    return 0;
}

/* Empty, or exactly nine digits. The elfproef is not applied on purpose: the
 * log must record a processing even of a wrongly registered number. */
static bool bsn_form_ok(const char *s)
{
    if (!*s)
        return true;
    for (int i = 0; i < 9; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[9] == '\0';
}

static int check_entry(const struct plog_entry *e, struct lks_err *err)
{
    static const struct {
        size_t off, size;
        bool required;
        const char *field, *label;
    } text[] = {
#define T(f, req, label)                                                                           \
    {offsetof(struct plog_entry, f), sizeof((struct plog_entry *)0)->f, req, #f, label}
        T(tenant, true, "de verwerkende organisatie"),
        T(user, true, "de gebruiker"),
        T(system, true, "het systeem"),
        T(bsn, false, "het BSN van de betrokkene"),
        T(object, true, "het verwerkte object"),
        T(kinds, true, "de soort gegevens"),
        T(purpose, false, "de doelbinding"),
        T(confidentiality, false, "de vertrouwelijkheid"),
        T(request_id, false, "het verzoeknummer"),
#undef T
    };
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++) {
        int rc = check_text((const char *)e + text[i].off, text[i].size, text[i].required,
                            text[i].field, text[i].label, err);
        if (rc)
            return rc;
    }
    if ((int)e->action < 0 || (int)e->action >= NACTION)
        return lks_err_set(err, LKS_EINVAL, "action", "invalid", "onbekende actie %d",
                           (int)e->action);
    if (!bsn_form_ok(e->bsn))
        return lks_err_set(err, LKS_EINVAL, "bsn", "invalid",
                           "het BSN van de betrokkene moet leeg zijn of uit 9 cijfers bestaan");
    if (e->retention_years < 1 || e->retention_years > 100)
        return lks_err_set(err, LKS_EINVAL, "retention_years", "out-of-range",
                           "de bewaartermijn moet 1 tot en met 100 jaar zijn, niet %d",
                           (int)e->retention_years);
    if (e->at_us < 0)
        return lks_err_set(err, LKS_EINVAL, "at_us", "out-of-range", "het tijdstip ligt voor 1970");
    return 0;
}

/* ---- the writer ---- */

static int step_once(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc;
}

static void bind_entry(sqlite3_stmt *st, const struct plog_entry *e)
{
    /* The entry (the writer's own copy) outlives the step, hence STATIC. */
    sqlite3_bind_text(st, 1, e->tenant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, e->at_us);
    sqlite3_bind_text(st, 3, action_name[e->action], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->system, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->bsn, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->object, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e->kinds, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, e->purpose, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, e->confidentiality, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 11, e->retention_years);
    sqlite3_bind_text(st, 12, e->request_id, -1, SQLITE_STATIC);
}

/* Write the units batch[0..n) in one transaction; called without the lock. */
static int commit_batch(struct plog *p, int n, struct lks_err *err)
{
    if (p->pg) {
        const struct plog_entry *e[BATCH_MAX];
        int total = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < p->batch[i]->n && total < BATCH_MAX; k++)
                e[total++] = &p->batch[i]->e[k];
        return plog_pg_insert(p->ws, e, total, err);
    }
    const char *what = "het starten van een transactie";
    int rc = step_once(p->begin);
    for (int i = 0; i < n && rc == SQLITE_DONE; i++) {
        what = "het vastleggen van een verwerking";
        for (int k = 0; k < p->batch[i]->n && rc == SQLITE_DONE; k++) {
            bind_entry(p->ins, &p->batch[i]->e[k]);
            rc = step_once(p->ins);
        }
    }
    if (rc == SQLITE_DONE) {
        what = "het bevestigen van de transactie";
        rc = step_once(p->commit);
    }
    if (rc == SQLITE_DONE)
        return 0;
    /* The message first: the rollback would overwrite SQLite's text. */
    int ret = db_fail(p->wdb, rc, "verwerkingenlog", what, err);
    if (!sqlite3_get_autocommit(p->wdb))
        step_once(p->rollback);
    return ret;
}

static void *writer_main(void *arg)
{
    struct plog *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->len == 0 && !p->closing) {
            p->state = W_IDLE;
            pthread_cond_wait(&p->work, &p->mu);
        }
        if (p->len == 0)
            break; /* closing, and everything accepted is written */
        /* Whole units only, up to BATCH_MAX entries (one unit may be the whole batch). */
        int n = 0, entries = 0;
        while (p->len > 0 && (n == 0 || entries + p->ring[p->head]->n <= BATCH_MAX)) {
            struct unit *u = p->ring[p->head];
            p->batch[n++] = u;
            entries += u->n;
            p->head = (p->head + 1) % PLOG_QUEUE_MAX;
            p->len--;
        }
        p->queued -= entries;
        p->state = W_BUSY;
        if (p->room_waiters > 0)
            pthread_cond_broadcast(&p->space);
        pthread_mutex_unlock(&p->mu);

        struct lks_err berr;
        lks_err_clear(&berr);
        int rc = commit_batch(p, n, &berr);

        /* The batch is the writer's own: tell its callers without the lock, so a
         * `done` that takes locks of its own (or is slow) never holds up callers
         * queueing the next batch. */
        for (int i = 0; i < n; i++) {
            struct unit *u = p->batch[i];
            if (rc && u->errout)
                *u->errout = berr;
            u->done(u->arg, rc);
            free(u);
        }
        pthread_mutex_lock(&p->mu);
        if (rc == 0)
            p->commits++;
    }
    p->state = W_BUSY;
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Queue n entries as one unit; see plog_submit. `errout` as in struct unit. */
static int submit(struct plog *p, const struct plog_entry *e, int n,
                  void (*done)(void *arg, int rc), void *arg, struct lks_err *errout,
                  struct lks_err *err)
{
    if (!p || !e || !done)
        return lks_err_set(err, LKS_EINVAL, "verwerkingenlog", "missing",
                           "geen verwerkingenlog, verwerking of terugmelding opgegeven");
    if (n < 1 || n > PLOG_SUBMIT_MAX)
        return lks_err_set(err, LKS_EINVAL, "verwerkingenlog", "out-of-range",
                           "het aantal verwerkingen in een keer moet 1 tot en met %d zijn, niet %d",
                           PLOG_SUBMIT_MAX, n);
    for (int i = 0; i < n; i++) {
        int rc = check_entry(&e[i], err);
        if (rc)
            return rc;
    }
    struct unit *u = malloc(sizeof *u + (size_t)n * sizeof u->e[0]);
    if (!u)
        return lks_err_set(err, LKS_ENOMEM, "verwerkingenlog", "no-memory",
                           "onvoldoende geheugen voor de verwerkingenlog");
    u->done = done;
    u->arg = arg;
    u->errout = errout;
    u->n = n;
    memcpy(u->e, e, (size_t)n * sizeof e[0]);
    int64_t now = 0;
    for (int i = 0; i < n; i++) {
        if (u->e[i].at_us == 0) {
            if (!now)
                now = now_us(CLOCK_REALTIME);
            u->e[i].at_us = now;
        }
    }

    int rc = 0;
    pthread_mutex_lock(&p->mu);
    p->callers++;
    while (!p->closing && p->queued + n > PLOG_QUEUE_MAX) {
        p->room_waiters++;
        pthread_cond_wait(&p->space, &p->mu);
        p->room_waiters--;
    }
    if (p->closing) {
        rc = lks_err_set(err, LKS_ESTATE, "verwerkingenlog", "closed",
                         "de verwerkingenlog wordt afgesloten; de verwerking is niet vastgelegd");
    } else {
        p->ring[(p->head + p->len) % PLOG_QUEUE_MAX] = u;
        p->len++;
        p->queued += n;
        u = NULL; /* the queue's now */
        if (p->state == W_IDLE)
            pthread_cond_signal(&p->work);
    }
    if (--p->callers == 0 && p->closing)
        pthread_cond_broadcast(&p->left);
    pthread_mutex_unlock(&p->mu);
    free(u);
    return rc;
}

int plog_submit(struct plog *p, const struct plog_entry *e, int n, void (*done)(void *arg, int rc),
                void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    return submit(p, e, n, done, arg, NULL, err);
}

/* plog_write's wait: the writer posts once the entry's batch is done. Each
 * caller sleeps on its own semaphore, so a commit wakes exactly the callers of
 * that batch instead of every waiting thread fighting over one lock. */
struct sync_wait {
    sem_t sem;
    int rc;
    struct lks_err err;
};

static void sync_done(void *arg, int rc)
{
    struct sync_wait *w = arg;
    w->rc = rc;
    /* The waiter's memory may be gone as soon as this is posted. */
    sem_post(&w->sem);
}

int plog_write(struct plog *p, const struct plog_entry *e, struct lks_err *err)
{
    ERR_GUARD(err);
    if (!p || !e)
        return lks_err_set(err, LKS_EINVAL, "verwerkingenlog", "missing",
                           "geen verwerkingenlog of geen verwerking opgegeven");
    struct sync_wait w;
    memset(&w, 0, sizeof w);
    if (sem_init(&w.sem, 0, 0))
        return lks_err_set(err, LKS_EIO, "verwerkingenlog", "no-semaphore",
                           "de verwerkingenlog kan niet wachten op vastlegging");
    /* Counted as a caller until it leaves: plog_close must not free the log
     * while this thread still has to take the lock on its way out. */
    pthread_mutex_lock(&p->mu);
    p->callers++;
    pthread_mutex_unlock(&p->mu);
    int rc = submit(p, e, 1, sync_done, &w, &w.err, err);
    if (rc == 0) {
        while (sem_wait(&w.sem) != 0)
            ; /* EINTR: keep waiting, the writer will post */
        rc = w.rc;
        if (rc)
            *err = w.err;
    }
    sem_destroy(&w.sem);
    pthread_mutex_lock(&p->mu);
    if (--p->callers == 0 && p->closing)
        pthread_cond_broadcast(&p->left);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

uint64_t plog_commits(struct plog *p)
{
    pthread_mutex_lock(&p->mu);
    uint64_t n = p->commits;
    pthread_mutex_unlock(&p->mu);
    return n;
}

/* ---- reading ---- */

static int reader_open(struct reader *r, const char *url, struct lks_err *err)
{
    memset(r, 0, sizeof *r);
    int rc = store_open(&r->s, url, 0, err);
    if (rc)
        return rc;
    if (store_pg(r->s))
        return plog_pg_reader_setup(r->s, err);
    r->db = store_sqlite_handle(r->s);
    /* Defence in depth: this connection can never change the log. */
    int src = sqlite3_exec(r->db, "PRAGMA query_only=1", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return db_fail(r->db, src, "verwerkingenlog", "het openen om te lezen", err);
    return 0;
}

static void reader_close(struct reader *r)
{
    for (int i = 0; i < 4; i++)
        sqlite3_finalize(r->q[i]);
    sqlite3_finalize(r->after);
    store_close(r->s);
    memset(r, 0, sizeof *r);
}

static int prepare(struct reader *r, sqlite3_stmt **st, const char *sql, struct lks_err *err)
{
    if (*st)
        return 0;
    int rc = sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
        return db_fail(r->db, rc, "verwerkingenlog", "het voorbereiden van een opdracht", err);
    }
    return 0;
}

/* A text column into a fixed field; false when it does not fit (then the
 * row is not one this code wrote). */
static bool col_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (n >= size)
        return false;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
    return true;
}

static int read_row(sqlite3_stmt *st, int64_t *id, struct plog_entry *e, struct lks_err *err)
{
    memset(e, 0, sizeof *e);
    *id = sqlite3_column_int64(st, 0);
    e->at_us = sqlite3_column_int64(st, 2);
    e->retention_years = sqlite3_column_int(st, 11);
    const char *action = (const char *)sqlite3_column_text(st, 3);
    int a = 0;
    while (a < NACTION && !(action && strcmp(action, action_name[a]) == 0))
        a++;
    bool ok = a < NACTION;
    e->action = (enum plog_action)(ok ? a : 0);
    ok = ok && col_text(st, 1, e->tenant, sizeof e->tenant);
    ok = ok && col_text(st, 4, e->user, sizeof e->user);
    ok = ok && col_text(st, 5, e->system, sizeof e->system);
    ok = ok && col_text(st, 6, e->bsn, sizeof e->bsn);
    ok = ok && col_text(st, 7, e->object, sizeof e->object);
    ok = ok && col_text(st, 8, e->kinds, sizeof e->kinds);
    ok = ok && col_text(st, 9, e->purpose, sizeof e->purpose);
    ok = ok && col_text(st, 10, e->confidentiality, sizeof e->confidentiality);
    ok = ok && col_text(st, 12, e->request_id, sizeof e->request_id);
    if (!ok)
        return lks_err_set(err, LKS_EIO, "verwerkingenlog", "corrupt",
                           "onverwachte gegevens in de verwerkingenlog (regel %lld)",
                           (long long)*id);
    return 0;
}

static int read_rows(struct reader *r, const struct plog_filter *f,
                     int (*cb)(void *arg, int64_t id, const struct plog_entry *e), void *arg,
                     struct lks_err *err)
{
    if (store_pg(r->s))
        return plog_pg_read(r->s, f, cb, arg, err);
    int64_t after_at = INT64_MIN, after_id = 0;
    if (f->after_id > 0) {
        /* The page continues after this row; it must be the tenant's own, so
         * another tenant's id reveals nothing. */
        int rc = prepare(r, &r->after,
                         "SELECT at_us FROM processing_log WHERE id = ?1 AND tenant_id = ?2", err);
        if (rc)
            return rc;
        sqlite3_bind_int64(r->after, 1, f->after_id);
        sqlite3_bind_text(r->after, 2, f->tenant, -1, SQLITE_STATIC);
        int src = sqlite3_step(r->after);
        if (src == SQLITE_ROW)
            after_at = sqlite3_column_int64(r->after, 0);
        sqlite3_reset(r->after);
        if (src == SQLITE_DONE)
            return lks_err_set(err, LKS_EINVAL, "after_id", "not-found",
                               "de vorige pagina eindigt bij een onbekende verwerking");
        if (src != SQLITE_ROW)
            return db_fail(r->db, src, "verwerkingenlog", "het lezen", err);
        after_id = f->after_id;
    }
    bool by_bsn = f->bsn && *f->bsn;
    int which = by_bsn + (f->newest_first ? 2 : 0);
    sqlite3_stmt **st = &r->q[which];
    int rc = prepare(r, st, read_sql[which], err);
    if (rc)
        return rc;
    int64_t lo = f->from_us, hi = f->to_us ? f->to_us : INT64_MAX;
    if (!f->newest_first && after_at > lo)
        lo = after_at;
    if (f->newest_first) {
        if (f->after_id > 0 && after_at < hi)
            hi = after_at + 1;
        if (f->after_id <= 0) {
            after_at = INT64_MAX;
            after_id = INT64_MAX;
        }
    }
    sqlite3_bind_text(*st, 1, f->tenant, -1, SQLITE_STATIC);
    if (by_bsn)
        sqlite3_bind_text(*st, 2, f->bsn, -1, SQLITE_STATIC);
    sqlite3_bind_int64(*st, 3, lo);
    sqlite3_bind_int64(*st, 4, hi);
    sqlite3_bind_int64(*st, 5, after_at);
    sqlite3_bind_int64(*st, 6, after_id);
    sqlite3_bind_int(*st, 7, f->limit);
    int src;
    while ((src = sqlite3_step(*st)) == SQLITE_ROW) {
        int64_t id;
        struct plog_entry e;
        rc = read_row(*st, &id, &e, err);
        if (rc == 0)
            rc = cb(arg, id, &e);
        if (rc)
            break;
    }
    sqlite3_reset(*st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_fail(r->db, src, "verwerkingenlog", "het lezen", err);
    return 0;
}

int plog_read(struct plog *p, const struct plog_filter *f,
              int (*cb)(void *arg, int64_t id, const struct plog_entry *e), void *arg,
              struct lks_err *err)
{
    ERR_GUARD(err);
    if (!p || !f || !cb)
        return lks_err_set(err, LKS_EINVAL, "verwerkingenlog", "missing",
                           "geen verwerkingenlog, filter of verwerking opgegeven");
    if (!f->tenant || !*f->tenant)
        return lks_err_set(err, LKS_EINVAL, "tenant", "missing",
                           "de organisatie waarvan de verwerkingen gevraagd worden ontbreekt");
    if (f->bsn && (strnlen(f->bsn, 10) == 10 || !bsn_form_ok(f->bsn)))
        return lks_err_set(err, LKS_EINVAL, "bsn", "invalid", "een BSN bestaat uit 9 cijfers");
    if (f->from_us < 0 || f->to_us < 0 || (f->to_us && f->from_us >= f->to_us))
        return lks_err_set(err, LKS_EINVAL, "to_us", "out-of-range",
                           "het einde van de periode moet na het begin liggen");
    if (f->after_id < 0)
        return lks_err_set(err, LKS_EINVAL, "after_id", "out-of-range",
                           "het vervolgpunt mag niet negatief zijn");
    if (f->limit < 1)
        return lks_err_set(err, LKS_EINVAL, "limit", "out-of-range",
                           "het aantal gevraagde verwerkingen moet minstens 1 zijn");

    if (pthread_mutex_trylock(&p->rmu) == 0) {
        int rc = read_rows(&p->r, f, cb, arg, err);
        pthread_mutex_unlock(&p->rmu);
        return rc;
    }
    struct reader own;
    int rc = reader_open(&own, p->url, err);
    if (rc == 0)
        rc = read_rows(&own, f, cb, arg, err);
    reader_close(&own);
    return rc;
}

/* ---- open and close ---- */

/* Everything plog_open may have made, in reverse; the writer has stopped. */
static void destroy(struct plog *p)
{
    sqlite3_finalize(p->ins);
    sqlite3_finalize(p->begin);
    sqlite3_finalize(p->commit);
    sqlite3_finalize(p->rollback);
    store_close(p->ws);
    reader_close(&p->r);
    if (p->rmu_ok)
        pthread_mutex_destroy(&p->rmu);
    if (p->left_ok)
        pthread_cond_destroy(&p->left);
    if (p->space_ok)
        pthread_cond_destroy(&p->space);
    if (p->work_ok)
        pthread_cond_destroy(&p->work);
    if (p->mu_ok)
        pthread_mutex_destroy(&p->mu);
    free(p->url);
    free(p);
}

static int init_sync(struct plog *p)
{
    p->work_ok = pthread_cond_init(&p->work, NULL) == 0;
    p->mu_ok = pthread_mutex_init(&p->mu, NULL) == 0;
    p->space_ok = pthread_cond_init(&p->space, NULL) == 0;
    p->left_ok = pthread_cond_init(&p->left, NULL) == 0;
    p->rmu_ok = pthread_mutex_init(&p->rmu, NULL) == 0;
    return p->mu_ok && p->work_ok && p->space_ok && p->left_ok && p->rmu_ok ? 0 : -1;
}

static int prepare_writer(struct plog *p, struct lks_err *err)
{
    static const struct {
        size_t off;
        const char *sql;
    } q[] = {
        {offsetof(struct plog, ins), INSERT_SQL},
        /* IMMEDIATE: take the write lock at the start, so a busy database is
         * waited for (busy_timeout) before any row, not failed at COMMIT. */
        {offsetof(struct plog, begin), "BEGIN IMMEDIATE"},
        {offsetof(struct plog, commit), "COMMIT"},
        {offsetof(struct plog, rollback), "ROLLBACK"},
    };
    /*
     * Keep the WAL file at its size after a checkpoint instead of emptying it (the
     * store's default for short CLI connections): the next commits then overwrite
     * blocks the file already has, and their fsyncs need no journal commit for a
     * growing file. Measured: a little less CPU per logged read and a steadier p99.
     */
    if (sqlite3_exec(p->wdb, "PRAGMA journal_size_limit=16777216", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(p->wdb, sqlite3_errcode(p->wdb), "verwerkingenlog", "het instellen", err);
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        sqlite3_stmt **st = (sqlite3_stmt **)((char *)p + q[i].off);
        int rc = sqlite3_prepare_v3(p->wdb, q[i].sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
        if (rc != SQLITE_OK)
            return db_fail(p->wdb, rc, "verwerkingenlog", "het voorbereiden van een opdracht", err);
    }
    return 0;
}

int plog_open(struct plog **out, const char *url, struct lks_err *err)
{
    ERR_GUARD(err);
    *out = NULL;
    struct plog *p = calloc(1, sizeof *p);
    if (!p || !url || !(p->url = strdup(url))) {
        free(p);
        return url ? lks_err_set(err, LKS_ENOMEM, "verwerkingenlog", "no-memory",
                                 "onvoldoende geheugen")
                   : lks_err_set(err, LKS_EINVAL, "database", "missing", "geen database opgegeven");
    }
    if (init_sync(p) != 0) {
        destroy(p);
        return lks_err_set(err, LKS_ENOMEM, "verwerkingenlog", "no-memory",
                           "onvoldoende middelen voor de verwerkingenlog");
    }
    int rc = store_open(&p->ws, url, STORE_CREATE, err);
    if (rc) {
        destroy(p);
        return rc;
    }
    p->pg = store_pg(p->ws) != NULL;
    p->wdb = store_sqlite_handle(p->ws);
    const char *file = p->pg ? "postgresql" : sqlite3_db_filename(p->wdb, "main");
    if (!file || !*file) {
        destroy(p);
        return lks_err_set(err, LKS_EINVAL, "database", "in-memory",
                           "de verwerkingenlog moet in een databasebestand staan, niet in het "
                           "geheugen");
    }
    rc = p->pg ? 0 : prepare_writer(p, err);
    if (rc == 0)
        rc = reader_open(&p->r, url, err);
    if (rc) {
        destroy(p);
        return rc;
    }
    p->state = W_BUSY;
    if (pthread_create(&p->thread, NULL, writer_main, p) != 0) {
        destroy(p);
        return lks_err_set(err, LKS_ENOMEM, "verwerkingenlog", "no-thread",
                           "de schrijver van de verwerkingenlog kan niet starten");
    }
    p->started = true;
    *out = p;
    return 0;
}

void plog_close(struct plog *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->closing = true;
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->space);
    pthread_mutex_unlock(&p->mu);
    /* The writer empties the queue before it ends. */
    if (p->started)
        pthread_join(p->thread, NULL);
    /* Callers it woke may still be on their way out of plog_write. */
    pthread_mutex_lock(&p->mu);
    while (p->callers > 0)
        pthread_cond_wait(&p->left, &p->mu);
    pthread_mutex_unlock(&p->mu);
    destroy(p);
}

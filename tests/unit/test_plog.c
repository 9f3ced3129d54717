/*
 * test_plog — the processing log (store/plog.h) against real files.
 *
 * Each test gets a fresh directory under /tmp and a log opened on a new
 * database there (removed by the teardown). Besides the round trip and the
 * checks of input, the tests show what the log promises to an auditor:
 * entries written by many threads at once all arrive while sharing few
 * transactions; plog_write returns only after its entry can be seen by any
 * other connection; the database itself refuses to change or remove an
 * entry; reading is confined to one tenant; closing loses nothing that was
 * accepted. Where only SQL can show a property, the test opens the file
 * with sqlite3 directly. plog_submit (no waiting) is shown to call back each
 * unit once, from the writer, after its entries can be read; to keep a unit
 * whole (all of its entries or, on failure, none); and plog_close to call
 * back every unit accepted before it began.
 */
#include "testutil.h"

#include <dirent.h>
#include <pthread.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "store/plog.h"

struct fixture {
    char dir[64];
    char db[512];
    struct plog *p;
};

/* PostgreSQL run (LKS_TEST_PG_URL): this process's database, one schema per test. */
static const char *pg_base;
static char pg_db[32];
static int pg_schemas;

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int pg_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PQsetNoticeProcessor(c, quiet, NULL);
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
    if (rc)
        print_error("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return rc;
}

static int pg_group_setup(void **state)
{
    (void)state;
    snprintf(pg_db, sizeof pg_db, "lks_p%ld", (long)getpid());
    char sql[96];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", pg_db);
    return pg_exec(pg_base, sql);
}

static int pg_group_teardown(void **state)
{
    (void)state;
    char sql[96];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_db);
    return pg_exec(pg_base, sql);
}

/* A log in a new schema of this process's database. */
static int pg_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    char schema[32], sql[96];
    snprintf(schema, sizeof schema, "p%d", ++pg_schemas);
    const char *q = strchr(pg_base, '?');
    snprintf(fx->db, sizeof fx->db, "postgresql:///%s?%s&options=-csearch_path%%3D%s", pg_db,
             q ? q + 1 : "", schema);
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    if (pg_exec(fx->db, sql)) {
        free(fx);
        return -1;
    }
    struct lks_err err = {0};
    if (plog_open(&fx->p, fx->db, &err) != 0) {
        print_error("plog_open: %s\n", err.msg);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int pg_teardown(void **state)
{
    struct fixture *fx = *state;
    plog_close(fx->p);
    free(fx);
    return 0;
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/lks-plog-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    snprintf(fx->db, sizeof fx->db, "%s/lks.db", fx->dir);
    struct lks_err err = {0};
    if (plog_open(&fx->p, fx->db, &err) != 0) {
        print_error("plog_open: %s\n", err.msg);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    plog_close(fx->p); /* a test that closed it itself set it to NULL */
    DIR *d = opendir(fx->dir);
    if (d) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", fx->dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    int rc = rmdir(fx->dir);
    free(fx);
    return rc;
}

/* A valid entry with every field filled; `n` makes it distinct. */
static struct plog_entry entry(const char *tenant, const char *bsn, int64_t at_us, int n)
{
    struct plog_entry e;
    memset(&e, 0, sizeof e);
    e.at_us = at_us;
    e.action = PLOG_READ;
    snprintf(e.tenant, sizeof e.tenant, "%s", tenant);
    snprintf(e.user, sizeof e.user, "klantmanager%d", n % 7);
    snprintf(e.system, sizeof e.system, "lks-api");
    snprintf(e.bsn, sizeof e.bsn, "%s", bsn);
    snprintf(e.object, sizeof e.object, "zaak/%d", n);
    snprintf(e.kinds, sizeof e.kinds, "identiteit, gezondheid, loon");
    snprintf(e.purpose, sizeof e.purpose, "uitvoering loonkostensubsidie");
    snprintf(e.confidentiality, sizeof e.confidentiality, "vertrouwelijk");
    e.retention_years = 7;
    snprintf(e.request_id, sizeof e.request_id, "req-%d", n);
    return e;
}

static void write_ok(struct plog *p, const struct plog_entry *e)
{
    struct lks_err err = {0};
    int rc = plog_write(p, e, &err);
    if (rc != 0)
        fail_msg("plog_write: %d %s: %s", rc, err.field, err.msg);
}

/* ---- reading into an array ---- */

#define MAX_ROWS 4096

struct rows {
    int n;
    int64_t id[MAX_ROWS];
    struct plog_entry e[MAX_ROWS];
};

static int collect(void *arg, int64_t id, const struct plog_entry *e)
{
    struct rows *r = arg;
    if (r->n == MAX_ROWS)
        return -100;
    r->id[r->n] = id;
    r->e[r->n++] = *e;
    return 0;
}

static struct rows *read_all(struct plog *p, struct plog_filter f)
{
    struct rows *r = calloc(1, sizeof *r);
    assert_non_null(r);
    struct lks_err err = {0};
    int rc = plog_read(p, &f, collect, r, &err);
    if (rc != 0)
        fail_msg("plog_read: %d %s: %s", rc, err.field, err.msg);
    return r;
}

static struct plog_filter tenant_filter(const char *tenant)
{
    struct plog_filter f = {.tenant = tenant, .limit = MAX_ROWS};
    return f;
}

/* A raw connection of its own, as any other process would open the file. */
static sqlite3 *raw_open(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("sqlite3_open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static int64_t raw_count(sqlite3 *db, const char *where)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM processing_log WHERE %s", where);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* ---- tests ---- */

static void test_roundtrip(void **state)
{
    struct fixture *fx = *state;
    struct plog_entry e = entry("gm0794", "111222333", 1700000000123456, 12);
    e.action = PLOG_UPDATE;
    snprintf(e.system, sizeof e.system, "lks-cli");
    e.retention_years = 20;
    write_ok(fx->p, &e);

    struct rows *r = read_all(fx->p, tenant_filter("gm0794"));
    assert_int_equal(r->n, 1);
    assert_true(r->id[0] > 0);
    const struct plog_entry *g = &r->e[0];
    assert_int_equal(g->at_us, e.at_us);
    assert_int_equal(g->action, PLOG_UPDATE);
    assert_string_equal(g->tenant, e.tenant);
    assert_string_equal(g->user, e.user);
    assert_string_equal(g->system, "lks-cli");
    assert_string_equal(g->bsn, "111222333");
    assert_string_equal(g->object, "zaak/12");
    assert_string_equal(g->kinds, e.kinds);
    assert_string_equal(g->purpose, e.purpose);
    assert_string_equal(g->confidentiality, "vertrouwelijk");
    assert_int_equal(g->retention_years, 20);
    assert_string_equal(g->request_id, "req-12");
    free(r);

    /* Every action survives the trip; at_us 0 becomes the time of writing;
     * the optional fields may be empty. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t before = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    enum plog_action acts[] = {PLOG_READ, PLOG_CREATE, PLOG_SEARCH};
    for (int i = 0; i < 3; i++) {
        struct plog_entry x = entry("gm0001", "", 0, i);
        x.action = acts[i];
        x.purpose[0] = x.confidentiality[0] = x.request_id[0] = '\0';
        write_ok(fx->p, &x);
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t after = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    r = read_all(fx->p, tenant_filter("gm0001"));
    assert_int_equal(r->n, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(r->e[i].action, acts[i]);
        assert_in_range(r->e[i].at_us, before, after);
        assert_string_equal(r->e[i].bsn, "");
        assert_string_equal(r->e[i].purpose, "");
    }
    free(r);
}

static void test_validation(void **state)
{
    struct fixture *fx = *state;
    static const struct {
        const char *field;
        int what;
    } cases[] = {
        {"tenant", 0}, {"user", 1},     {"system", 2},           {"object", 3},
        {"kinds", 4},  {"action", 5},   {"action", 6},           {"bsn", 7},
        {"bsn", 8},    {"bsn", 9},      {"retention_years", 10}, {"retention_years", 11},
        {"at_us", 12}, {"purpose", 13}, {"request_id", 14},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct plog_entry e = entry("gm0794", "111222333", 1, 1);
        switch (cases[i].what) {
        case 0:
            e.tenant[0] = '\0';
            break;
        case 1:
            e.user[0] = '\0';
            break;
        case 2:
            e.system[0] = '\0';
            break;
        case 3:
            e.object[0] = '\0';
            break;
        case 4:
            e.kinds[0] = '\0';
            break;
        case 5:
            e.action = (enum plog_action)4;
            break;
        case 6:
            e.action = (enum plog_action) - 1;
            break;
        case 7:
            snprintf(e.bsn, sizeof e.bsn, "12345678");
            break;
        case 8:
            snprintf(e.bsn, sizeof e.bsn, "12345678a");
            break;
        case 9:
            memset(e.bsn, '1', sizeof e.bsn);
            break; /* not terminated */
        case 10:
            e.retention_years = 0;
            break;
        case 11:
            e.retention_years = 101;
            break;
        case 12:
            e.at_us = -1;
            break;
        case 13:
            memset(e.purpose, 'x', sizeof e.purpose);
            break;
        case 14:
            memset(e.request_id, '7', sizeof e.request_id);
            break;
        }
        struct lks_err err = {0};
        assert_int_equal(plog_write(fx->p, &e, &err), LKS_EINVAL);
        assert_int_equal(err.code, LKS_EINVAL);
        assert_string_equal(err.field, cases[i].field);
        assert_true(err.msg[0] != '\0');
    }
    /* The limits themselves are valid. */
    struct plog_entry e = entry("gm0794", "", 1, 2);
    e.retention_years = 1;
    write_ok(fx->p, &e);
    e.retention_years = 100;
    write_ok(fx->p, &e);
    struct rows *r = read_all(fx->p, tenant_filter("gm0794"));
    assert_int_equal(r->n, 2); /* and nothing refused was written */
    free(r);

    /* The filter is checked too. */
    static const struct {
        struct plog_filter f;
        const char *field;
    } bad[] = {
        {{.tenant = NULL, .limit = 10}, "tenant"},
        {{.tenant = "", .limit = 10}, "tenant"},
        {{.tenant = "gm0794", .limit = 0}, "limit"},
        {{.tenant = "gm0794", .bsn = "1234", .limit = 10}, "bsn"},
        {{.tenant = "gm0794", .bsn = "1234567890", .limit = 10}, "bsn"},
        {{.tenant = "gm0794", .from_us = 5, .to_us = 5, .limit = 10}, "to_us"},
        {{.tenant = "gm0794", .after_id = -1, .limit = 10}, "after_id"},
        {{.tenant = "gm0794", .after_id = 999999, .limit = 10}, "after_id"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct rows *rr = calloc(1, sizeof *rr);
        struct lks_err err = {0};
        assert_int_equal(plog_read(fx->p, &bad[i].f, collect, rr, &err), LKS_EINVAL);
        assert_string_equal(err.field, bad[i].field);
        assert_int_equal(rr->n, 0);
        free(rr);
    }
}

/* ---- many writers ---- */

#define THREADS    8
#define PER_THREAD 500

struct worker {
    struct plog *p;
    int t;
    int failures;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        struct plog_entry e = entry(w->t % 2 ? "gm0002" : "gm0001", "111222333", 0, i);
        snprintf(e.request_id, sizeof e.request_id, "t%d-%d", w->t, i);
        struct lks_err err = {0};
        if (plog_write(w->p, &e, &err) != 0)
            w->failures++;
    }
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_many_writers(void **state)
{
    struct fixture *fx = *state;
    uint64_t commits0 = plog_commits(fx->p);
    pthread_t th[THREADS];
    struct worker w[THREADS];
    for (int t = 0; t < THREADS; t++) {
        w[t] = (struct worker){.p = fx->p, .t = t};
        assert_int_equal(pthread_create(&th[t], NULL, worker_main, &w[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(w[t].failures, 0);
    }
    uint64_t commits = plog_commits(fx->p) - commits0;

    /* All 4000 there, each once, read back page by page. */
    const char *seen[THREADS * PER_THREAD];
    struct rows *all[2];
    int n = 0;
    for (int k = 0; k < 2; k++) {
        all[k] = calloc(1, sizeof *all[k]);
        assert_non_null(all[k]);
        struct plog_filter f = {.tenant = k ? "gm0002" : "gm0001", .limit = 300};
        for (;;) {
            int before = all[k]->n;
            struct lks_err err = {0};
            assert_int_equal(plog_read(fx->p, &f, collect, all[k], &err), 0);
            if (all[k]->n == before)
                break;
            f.after_id = all[k]->id[all[k]->n - 1];
        }
        assert_int_equal(all[k]->n, THREADS * PER_THREAD / 2);
        for (int i = 0; i < all[k]->n; i++)
            seen[n++] = all[k]->e[i].request_id;
    }
    assert_int_equal(n, THREADS * PER_THREAD);
    qsort(seen, (size_t)n, sizeof seen[0], cmp_str);
    for (int i = 1; i < n; i++)
        assert_string_not_equal(seen[i - 1], seen[i]);
    free(all[0]);
    free(all[1]);

    /* Shared transactions: fewer commits than entries. A batch is what arrived during
     * the commit before it, so with 8 writers that each wait for their entry it holds
     * at most 8 and about 5 here; one commit per entry would fail this by far. */
    print_message("      %d entries in %llu commits\n", n, (unsigned long long)commits);
    assert_true(commits >= 1);
    assert_true(commits * 2 <= (uint64_t)n);
}

static void test_durable_before_answer(void **state)
{
    struct fixture *fx = *state;
    for (int i = 0; i < 20; i++) {
        struct plog_entry e = entry("gm0794", "111222333", 0, i);
        snprintf(e.request_id, sizeof e.request_id, "durable-%d", i);
        write_ok(fx->p, &e);
        /* A connection that did not exist when the entry was written. */
        sqlite3 *db = raw_open(fx->db);
        char where[64];
        snprintf(where, sizeof where, "request_id = 'durable-%d'", i);
        assert_int_equal(raw_count(db, where), 1);
        assert_int_equal(sqlite3_close(db), SQLITE_OK);
    }
}

static void test_append_only(void **state)
{
    struct fixture *fx = *state;
    struct plog_entry e = entry("gm0794", "111222333", 42, 1);
    write_ok(fx->p, &e);
    sqlite3 *db = raw_open(fx->db);
    static const char *const sql[] = {
        "UPDATE processing_log SET user = 'iemand anders'",
        "UPDATE processing_log SET bsn = '' WHERE tenant_id = 'gm0794'",
        "DELETE FROM processing_log",
        "DELETE FROM processing_log WHERE at_us = 42",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        char *msg = NULL;
        assert_int_not_equal(sqlite3_exec(db, sql[i], NULL, NULL, &msg), SQLITE_OK);
        assert_non_null(msg);
        assert_non_null(strstr(msg, "onveranderlijk"));
        sqlite3_free(msg);
    }
    assert_int_equal(raw_count(db, "user = 'klantmanager1' AND bsn = '111222333'"), 1);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_tenant_scope(void **state)
{
    struct fixture *fx = *state;
    for (int i = 0; i < 5; i++) {
        struct plog_entry a = entry("gm-a", "111222333", 1000 + i, i);
        write_ok(fx->p, &a);
    }
    struct plog_entry b = entry("gm-b", "123456782", 2000, 99);
    write_ok(fx->p, &b);

    struct rows *r = read_all(fx->p, tenant_filter("gm-b"));
    assert_int_equal(r->n, 1);
    assert_string_equal(r->e[0].tenant, "gm-b");
    free(r);

    /* A's person, asked for by B: nothing. */
    struct plog_filter f = tenant_filter("gm-b");
    f.bsn = "111222333";
    r = read_all(fx->p, f);
    assert_int_equal(r->n, 0);
    free(r);

    r = read_all(fx->p, tenant_filter("gm-c"));
    assert_int_equal(r->n, 0);
    free(r);

    /* A continues a page after one of its own ids; B cannot use A's id. */
    r = read_all(fx->p, tenant_filter("gm-a"));
    assert_int_equal(r->n, 5);
    for (int i = 0; i < r->n; i++)
        assert_string_equal(r->e[i].tenant, "gm-a");
    f = tenant_filter("gm-b");
    f.after_id = r->id[0];
    struct lks_err err = {0};
    struct rows *none = calloc(1, sizeof *none);
    assert_int_equal(plog_read(fx->p, &f, collect, none, &err), LKS_EINVAL);
    assert_string_equal(err.field, "after_id");
    assert_int_equal(none->n, 0);
    free(none);
    free(r);
}

/* A callback that reads again (its reader is taken: a connection of its own). */
struct nested {
    struct plog *p;
    int inner;
    int rc;
};

static int count_one(void *arg, int64_t id, const struct plog_entry *e)
{
    (void)id;
    (void)e;
    (*(int *)arg)++;
    return 0;
}

static int read_again(void *arg, int64_t id, const struct plog_entry *e)
{
    (void)id;
    struct nested *n = arg;
    struct plog_filter f = {.tenant = e->tenant, .limit = 100};
    struct lks_err err = {0};
    n->rc |= plog_read(n->p, &f, count_one, &n->inner, &err);
    return 0;
}

static void test_filters_and_pages(void **state)
{
    struct fixture *fx = *state;
    /* Written out of time order on purpose: reading is oldest first. */
    static const int64_t at[] = {5000, 1000, 3000, 2000, 4000, 1000, 6000, 7000, 8000, 9000};
    for (int i = 0; i < 10; i++) {
        struct plog_entry e = entry("gm0794", i % 2 ? "123456782" : "111222333", at[i], i);
        write_ok(fx->p, &e);
    }

    struct rows *r = read_all(fx->p, tenant_filter("gm0794"));
    assert_int_equal(r->n, 10);
    for (int i = 1; i < r->n; i++) {
        assert_true(r->e[i - 1].at_us <= r->e[i].at_us);
        if (r->e[i - 1].at_us == r->e[i].at_us)
            assert_true(r->id[i - 1] < r->id[i]); /* ties in the order written */
    }
    assert_string_equal(r->e[0].request_id, "req-1");
    assert_string_equal(r->e[1].request_id, "req-5");
    free(r);

    /* By person. */
    struct plog_filter f = tenant_filter("gm0794");
    f.bsn = "123456782";
    r = read_all(fx->p, f);
    assert_int_equal(r->n, 5);
    for (int i = 0; i < r->n; i++)
        assert_string_equal(r->e[i].bsn, "123456782");
    free(r);

    /* By time: from inclusive, to exclusive; either end open. */
    f = tenant_filter("gm0794");
    f.from_us = 2000;
    f.to_us = 5000;
    r = read_all(fx->p, f);
    assert_int_equal(r->n, 3); /* 2000, 3000, 4000 */
    assert_int_equal(r->e[0].at_us, 2000);
    assert_int_equal(r->e[2].at_us, 4000);
    free(r);
    f.from_us = 0;
    r = read_all(fx->p, f);
    assert_int_equal(r->n, 5); /* 1000 twice, 2000, 3000, 4000 */
    free(r);
    f.from_us = 8000;
    f.to_us = 0;
    r = read_all(fx->p, f);
    assert_int_equal(r->n, 2);
    free(r);

    /* Time and person together. */
    f = tenant_filter("gm0794");
    f.bsn = "111222333";
    f.from_us = 3000;
    f.to_us = 9000;
    r = read_all(fx->p, f);
    assert_int_equal(r->n, 5); /* 3000, 4000, 5000, 6000, 8000 */
    assert_string_equal(r->e[0].request_id, "req-2");
    assert_string_equal(r->e[4].request_id, "req-8");
    free(r);

    /* Pages (1, then 3 each): together exactly the whole, in order, with the
     * tie at 1000 split over the first page boundary. */
    struct rows *whole = read_all(fx->p, tenant_filter("gm0794"));
    struct rows *paged = calloc(1, sizeof *paged);
    assert_non_null(paged);
    f = tenant_filter("gm0794");
    f.limit = 1;
    int pages = 0;
    for (;;) {
        int before = paged->n;
        struct lks_err err = {0};
        assert_int_equal(plog_read(fx->p, &f, collect, paged, &err), 0);
        if (paged->n == before)
            break;
        pages++;
        f.after_id = paged->id[paged->n - 1];
        f.limit = 3;
    }
    assert_int_equal(pages, 4); /* 1 + 3 + 3 + 3 */
    assert_int_equal(paged->n, whole->n);
    for (int i = 0; i < whole->n; i++)
        assert_int_equal(paged->id[i], whole->id[i]);
    /* Newest first: the reverse of the whole, also in pages of 3 (keyset backwards), and
     * with a person and a period. */
    f = tenant_filter("gm0794");
    f.newest_first = true;
    struct rows *back = read_all(fx->p, f);
    assert_int_equal(back->n, whole->n);
    for (int i = 0; i < whole->n; i++)
        assert_int_equal(back->id[i], whole->id[whole->n - 1 - i]);
    free(back);
    back = calloc(1, sizeof *back);
    assert_non_null(back);
    f.limit = 3;
    for (;;) {
        int before = back->n;
        struct lks_err err = {0};
        assert_int_equal(plog_read(fx->p, &f, collect, back, &err), 0);
        if (back->n == before)
            break;
        f.after_id = back->id[back->n - 1];
    }
    assert_int_equal(back->n, whole->n);
    for (int i = 0; i < whole->n; i++)
        assert_int_equal(back->id[i], whole->id[whole->n - 1 - i]);
    free(back);
    f = tenant_filter("gm0794");
    f.newest_first = true;
    f.bsn = "111222333";
    f.from_us = 3000;
    f.to_us = 9000;
    back = read_all(fx->p, f);
    assert_int_equal(back->n, 5); /* 8000, 6000, 5000, 4000, 3000 */
    assert_string_equal(back->e[0].request_id, "req-8");
    assert_string_equal(back->e[4].request_id, "req-2");
    free(back);
    free(paged);
    free(whole);

    f = tenant_filter("gm0794");
    struct lks_err err = {0};

    /* Reading inside a callback does not deadlock. */
    struct nested n = {.p = fx->p};
    f.limit = 2;
    assert_int_equal(plog_read(fx->p, &f, read_again, &n, &err), 0);
    assert_int_equal(n.rc, 0);
    assert_int_equal(n.inner, 20);
}

static int stop_at_third(void *arg, int64_t id, const struct plog_entry *e)
{
    (void)id;
    (void)e;
    return ++*(int *)arg == 3 ? 77 : 0;
}

static void test_callback_stops(void **state)
{
    struct fixture *fx = *state;
    for (int i = 0; i < 5; i++) {
        struct plog_entry e = entry("gm0794", "", 100 + i, i);
        write_ok(fx->p, &e);
    }
    struct plog_filter f = tenant_filter("gm0794");
    struct lks_err err = {0};
    int calls = 0;
    assert_int_equal(plog_read(fx->p, &f, stop_at_third, &calls, &err), 77);
    assert_int_equal(calls, 3);
    /* The reader is usable again afterwards. */
    calls = 0;
    assert_int_equal(plog_read(fx->p, &f, count_one, &calls, &err), 0);
    assert_int_equal(calls, 5);
}

/* ---- closing with entries queued ---- */

#define CLOSE_WRITERS 32

struct closer_arg {
    struct plog *p;
    int t;
    int rc;
};

static void *one_write(void *arg)
{
    struct closer_arg *a = arg;
    struct plog_entry e = entry("gm0794", "", 0, a->t);
    struct lks_err err = {0};
    a->rc = plog_write(a->p, &e, &err);
    return NULL;
}

static void *do_close(void *arg)
{
    plog_close(arg);
    return NULL;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static void test_close_flushes(void **state)
{
    struct fixture *fx = *state;
    /* Another connection holds the write lock, so the writer cannot commit
     * and the entries stay queued while plog_close begins. */
    sqlite3 *db = raw_open(fx->db);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

    pthread_t th[CLOSE_WRITERS];
    struct closer_arg a[CLOSE_WRITERS];
    for (int t = 0; t < CLOSE_WRITERS; t++) {
        a[t] = (struct closer_arg){.p = fx->p, .t = t, .rc = 99};
        assert_int_equal(pthread_create(&th[t], NULL, one_write, &a[t]), 0);
    }
    sleep_ms(150); /* all of them queued (each needs microseconds) */
    pthread_t closer;
    assert_int_equal(pthread_create(&closer, NULL, do_close, fx->p), 0);
    sleep_ms(50); /* plog_close is waiting for the writer */

    /* Once closing has begun a new entry is refused, not lost in silence. */
    struct plog_entry late = entry("gm0794", "", 0, 1000);
    struct lks_err err = {0};
    assert_int_equal(plog_write(fx->p, &late, &err), LKS_ESTATE);

    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    pthread_join(closer, NULL);
    fx->p = NULL;
    for (int t = 0; t < CLOSE_WRITERS; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(a[t].rc, 0);
    }
    assert_int_equal(raw_count(db, "1"), CLOSE_WRITERS);
    assert_int_equal(raw_count(db, "object = 'zaak/1000'"), 0);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* ---- asynchronous submit ---- */

#define ASYNC_UNITS 1000

/* What the callbacks saw. */
struct done_log {
    struct plog *p;
    atomic_int calls;
    atomic_int failures; /* calls with rc != 0 */
    atomic_int last_rc;
    atomic_int on_caller;   /* calls made on the submitting thread */
    atomic_int not_visible; /* calls made before the unit's entry could be read */
    pthread_t caller;
    const char *db;
};

static void count_done(void *arg, int rc)
{
    struct done_log *d = arg;
    if (pthread_equal(pthread_self(), d->caller))
        atomic_fetch_add(&d->on_caller, 1);
    if (rc)
        atomic_fetch_add(&d->failures, 1);
    atomic_store(&d->last_rc, rc);
    /* Takes the queue's lock: this would hang if the writer called us holding it. */
    (void)plog_commits(d->p);
    atomic_fetch_add(&d->calls, 1);
}

/* A callback that checks, with a connection of its own, that its unit's
 * entry is already committed when it is called. */
struct visible_arg {
    struct done_log *d;
    int n;
};

static void visible_done(void *arg, int rc)
{
    struct visible_arg *v = arg;
    sqlite3 *db = NULL;
    bool seen = false;
    if (rc == 0 && sqlite3_open_v2(v->d->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM processing_log WHERE request_id = 'v-%d'",
                 v->n);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            seen = sqlite3_column_int(st, 0) == 1;
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    if (!seen)
        atomic_fetch_add(&v->d->not_visible, 1);
    count_done(v->d, rc);
}

/* Wait (at most 10 s) until `want` callbacks came. */
static void wait_calls(struct done_log *d, int want)
{
    for (int i = 0; i < 10000 && atomic_load(&d->calls) < want; i++)
        sleep_ms(1);
    assert_int_equal(atomic_load(&d->calls), want);
}

static void test_submit_async(void **state)
{
    struct fixture *fx = *state;
    struct done_log d = {.p = fx->p, .caller = pthread_self()};
    uint64_t commits0 = plog_commits(fx->p);
    /* One thread queues them all without waiting: the batches fill up. */
    for (int i = 0; i < ASYNC_UNITS; i++) {
        struct plog_entry e = entry("gm0794", "111222333", 0, i);
        snprintf(e.request_id, sizeof e.request_id, "async-%d", i);
        struct lks_err err = {0};
        if (plog_submit(fx->p, &e, 1, count_done, &d, &err) != 0)
            fail_msg("plog_submit: %s: %s", err.field, err.msg);
    }
    wait_calls(&d, ASYNC_UNITS);
    assert_int_equal(atomic_load(&d.failures), 0);
    assert_int_equal(atomic_load(&d.on_caller), 0); /* always from the writer */
    sleep_ms(20);
    assert_int_equal(atomic_load(&d.calls), ASYNC_UNITS); /* once each, no more */
    uint64_t commits = plog_commits(fx->p) - commits0;
    print_message("      %d units in %llu commits\n", ASYNC_UNITS, (unsigned long long)commits);
    assert_true(commits * 4 <= ASYNC_UNITS);
    sqlite3 *db = raw_open(fx->db);
    assert_int_equal(raw_count(db, "request_id LIKE 'async-%'"), ASYNC_UNITS);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);

    /* The callback comes after the commit: a new connection already sees the entry. */
    struct done_log dv = {.p = fx->p, .caller = pthread_self(), .db = fx->db};
    struct visible_arg va[20];
    for (int i = 0; i < 20; i++) {
        va[i] = (struct visible_arg){&dv, i};
        struct plog_entry e = entry("gm0794", "111222333", 0, i);
        snprintf(e.request_id, sizeof e.request_id, "v-%d", i);
        struct lks_err err = {0};
        assert_int_equal(plog_submit(fx->p, &e, 1, visible_done, &va[i], &err), 0);
        if (i % 3 == 0)
            sleep_ms(2); /* some alone in their batch, some together */
    }
    wait_calls(&dv, 20);
    assert_int_equal(atomic_load(&dv.not_visible), 0);
    assert_int_equal(atomic_load(&dv.failures), 0);
}

static void test_submit_many(void **state)
{
    struct fixture *fx = *state;
    struct done_log d = {.p = fx->p, .caller = pthread_self()};
    static struct plog_entry es[PLOG_SUBMIT_MAX + 1];
    for (int i = 0; i < PLOG_SUBMIT_MAX + 1; i++) {
        es[i] = entry("gm0794", i % 2 ? "123456782" : "", 0, i);
        snprintf(es[i].request_id, sizeof es[i].request_id, "many-%d", i);
    }

    /* 100 entries in one call: one transaction, all of them there. */
    uint64_t commits0 = plog_commits(fx->p);
    struct lks_err err = {0};
    assert_int_equal(plog_submit(fx->p, es, 100, count_done, &d, &err), 0);
    wait_calls(&d, 1);
    assert_int_equal(atomic_load(&d.last_rc), 0);
    assert_int_equal(plog_commits(fx->p) - commits0, 1);
    sqlite3 *db = raw_open(fx->db);
    assert_int_equal(raw_count(db, "request_id LIKE 'many-%'"), 100);

    /* The largest unit is one transaction too. */
    commits0 = plog_commits(fx->p);
    for (int i = 0; i < PLOG_SUBMIT_MAX; i++)
        snprintf(es[i].request_id, sizeof es[i].request_id, "max-%d", i);
    assert_int_equal(plog_submit(fx->p, es, PLOG_SUBMIT_MAX, count_done, &d, &err), 0);
    wait_calls(&d, 2);
    assert_int_equal(plog_commits(fx->p) - commits0, 1);
    assert_int_equal(raw_count(db, "request_id LIKE 'max-%'"), PLOG_SUBMIT_MAX);

    /* One invalid entry (the 51st): none of the unit is queued, its field is named. */
    for (int i = 0; i < 100; i++)
        snprintf(es[i].request_id, sizeof es[i].request_id, "bad-%d", i);
    es[50].retention_years = 0;
    assert_int_equal(plog_submit(fx->p, es, 100, count_done, &d, &err), LKS_EINVAL);
    assert_string_equal(err.field, "retention_years");
    es[50].retention_years = 7;

    /* Counts out of range and a missing callback or log are refused. */
    assert_int_equal(plog_submit(fx->p, es, 0, count_done, &d, &err), LKS_EINVAL);
    assert_int_equal(plog_submit(fx->p, es, PLOG_SUBMIT_MAX + 1, count_done, &d, &err), LKS_EINVAL);
    assert_int_equal(plog_submit(fx->p, es, 1, NULL, &d, &err), LKS_EINVAL);
    assert_int_equal(plog_submit(NULL, es, 1, count_done, &d, &err), LKS_EINVAL);

    sleep_ms(20);
    assert_int_equal(atomic_load(&d.calls), 2); /* refused units are never called back */
    assert_int_equal(raw_count(db, "request_id LIKE 'bad-%'"), 0);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* A failing commit: a trigger (added behind the log's back) aborts the insert
 * of one object. The unit holding it fails whole, its caller is told, and the
 * log works again once the cause is gone. */
static void test_submit_failure(void **state)
{
    struct fixture *fx = *state;
    sqlite3 *db = raw_open(fx->db);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TRIGGER test_fail BEFORE INSERT ON processing_log"
                                  " WHEN NEW.object = 'zaak/kapot'"
                                  " BEGIN SELECT RAISE(ABORT, 'test: schijf kapot'); END;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    struct done_log d = {.p = fx->p, .caller = pthread_self()};
    struct plog_entry es[3];
    for (int i = 0; i < 3; i++) {
        es[i] = entry("gm0794", "111222333", 0, i);
        snprintf(es[i].request_id, sizeof es[i].request_id, "fail-%d", i);
    }
    snprintf(es[1].object, sizeof es[1].object, "zaak/kapot");
    struct lks_err err = {0};
    assert_int_equal(plog_submit(fx->p, es, 3, count_done, &d, &err), 0);
    wait_calls(&d, 1);
    assert_int_equal(atomic_load(&d.last_rc), LKS_EIO);
    assert_int_equal(raw_count(db, "request_id LIKE 'fail-%'"), 0); /* none, not two */

    /* plog_write reports the failure with SQLite's reason. */
    assert_int_equal(plog_write(fx->p, &es[1], &err), LKS_EIO);
    assert_non_null(strstr(err.msg, "schijf kapot"));

    /* The cause gone, the same entries are written. */
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER test_fail", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(plog_submit(fx->p, es, 3, count_done, &d, &err), 0);
    wait_calls(&d, 2);
    assert_int_equal(atomic_load(&d.last_rc), 0);
    assert_int_equal(raw_count(db, "request_id LIKE 'fail-%'"), 3);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* plog_close with units queued: each written and called back before it returns. */
static void test_close_calls_every_done(void **state)
{
    struct fixture *fx = *state;
    sqlite3 *db = raw_open(fx->db);
    /* Holding the write lock keeps the writer from committing meanwhile. */
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    struct done_log d = {.p = fx->p, .caller = pthread_self()};
    for (int i = 0; i < 200; i++) {
        struct plog_entry es[2] = {entry("gm0794", "", 0, i), entry("gm0794", "", 0, i)};
        snprintf(es[1].request_id, sizeof es[1].request_id, "second-%d", i);
        struct lks_err err = {0};
        assert_int_equal(plog_submit(fx->p, es, 2, count_done, &d, &err), 0);
    }
    pthread_t closer;
    assert_int_equal(pthread_create(&closer, NULL, do_close, fx->p), 0);
    sleep_ms(50); /* plog_close is waiting for the writer */
    struct plog_entry late = entry("gm0794", "", 0, 1000);
    struct lks_err err = {0};
    assert_int_equal(plog_submit(fx->p, &late, 1, count_done, &d, &err), LKS_ESTATE);
    assert_int_equal(atomic_load(&d.calls), 0);

    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    pthread_join(closer, NULL);
    fx->p = NULL;
    /* plog_close has returned: every callback has run, none failed. */
    assert_int_equal(atomic_load(&d.calls), 200);
    assert_int_equal(atomic_load(&d.failures), 0);
    assert_int_equal(raw_count(db, "1"), 400);
    assert_int_equal(raw_count(db, "object = 'zaak/1000'"), 0);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void test_open_refused(void **state)
{
    (void)state;
    struct plog *p = NULL;
    struct lks_err err = {0};
    assert_int_equal(plog_open(&p, ":memory:", &err), LKS_EINVAL);
    assert_null(p);
    assert_string_equal(err.field, "database");
    assert_int_not_equal(plog_open(&p, "/nonexistent-dir/x/lks.db", &err), 0);
    assert_null(p);
    assert_int_not_equal(plog_open(&p, "postgresql://host/db", &err), 0);
    assert_null(p);
    plog_close(NULL);
}

/* The count of rows of the log matching `where`, on a connection of its own
 * (so only what was committed). */
static int64_t pg_count(const char *url, const char *where)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM processing_log WHERE %s", where);
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    int64_t n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    PQfinish(c);
    return n;
}

/* PostgreSQL: an entry is committed when plog_write returns, the table refuses
 * changes, and two logs on one database (two servers) write one log that
 * either of them reads whole. */
static void test_pg_durable_append_only_shared(void **state)
{
    struct fixture *fx = *state;
    struct plog_entry e = entry("gm0794", "111222333", 0, 1);
    write_ok(fx->p, &e);
    assert_int_equal(pg_count(fx->db, "object = 'zaak/1'"), 1);
    assert_int_not_equal(pg_exec(fx->db, "UPDATE processing_log SET \"user\" = 'x'"), 0);
    assert_int_not_equal(pg_exec(fx->db, "DELETE FROM processing_log"), 0);
    assert_int_not_equal(pg_exec(fx->db, "TRUNCATE processing_log"), 0);
    assert_int_equal(pg_count(fx->db, "true"), 1);

    struct plog *other = NULL;
    struct lks_err err = {0};
    assert_int_equal(plog_open(&other, fx->db, &err), 0);
    struct plog_entry e2 = entry("gm0794", "", 0, 2);
    write_ok(other, &e2);
    for (int i = 0; i < 2; i++) {
        struct rows *r = read_all(i ? other : fx->p, tenant_filter("gm0794"));
        assert_int_equal(r->n, 2);
        assert_string_equal(r->e[0].object, "zaak/1");
        assert_string_equal(r->e[1].object, "zaak/2");
        free(r);
    }
    plog_close(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_durable_before_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenant_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_callback_stops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_flushes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_async, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_many, setup, teardown),
        cmocka_unit_test_setup_teardown(test_submit_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_calls_every_done, setup, teardown),
        cmocka_unit_test(test_open_refused),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, NULL, NULL);
    pg_base = getenv("LKS_TEST_PG_URL");
    if (!pg_base || !*pg_base)
        return failed;
    /* The same log in a PostgreSQL database: what needs no SQLite file to show. */
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip, pg_setup, pg_teardown),
        cmocka_unit_test_setup_teardown(test_validation, pg_setup, pg_teardown),
        cmocka_unit_test_setup_teardown(test_many_writers, pg_setup, pg_teardown),
        cmocka_unit_test_setup_teardown(test_tenant_scope, pg_setup, pg_teardown),
        cmocka_unit_test_setup_teardown(test_filters_and_pages, pg_setup, pg_teardown),
        cmocka_unit_test_setup_teardown(test_callback_stops, pg_setup, pg_teardown),
        cmocka_unit_test_setup_teardown(test_pg_durable_append_only_shared, pg_setup, pg_teardown),
    };
    return failed +
           cmocka_run_group_tests_name("postgresql", pg_tests, pg_group_setup, pg_group_teardown);
}

/*
 * test_store — the SQLite engine behind store.h, against real files.
 *
 * Every test works in a fresh directory under /tmp (made by the group setup,
 * removed with everything in it by the teardown). The round-trip test fills
 * every field of a case, every array to capacity, with distinct values and
 * compares the bytes read back; other tests cover what the database itself
 * must guarantee (STRICT columns, append-only events, PRAGMAs), tenant
 * scoping, conflicts and rollback, the work lists, backup and schema
 * versions. Where only SQL can show a property, the test opens the file with
 * sqlite3 directly.
 *
 * With LKS_TEST_PG_URL set (a postgresql:// url with a query part, as
 * tests/pg/cluster.sh prints) the engine-independent tests run a second time on
 * PostgreSQL: in a database of this process, one schema per test (search_path in
 * the url), with PostgreSQL's forms of the engine-specific checks (append-only
 * triggers, schema versions, backup refused, check, generation unknown).
 */
#include "testutil.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/person.h"
#include "codec/case_json.h"
#include "rules/tables.h"
#include "store/store.h"
#include "store/store_auth.h"
#include "store/store_rules.h"

/* Defined in store/sqlite.c for these tests only (not part of store.h). */
sqlite3 *store_sqlite_handle(struct store *s);
/* Defined in store/store.c for these tests only. */
PGconn *store_pg_handle(struct store *s);

#include "store_fixture.h"

static struct lks_err err;

/* ---- building cases ---- */

/* Fill a string to its full capacity: a tag that makes it distinct, then padding. */
static void fill_str(char *dst, size_t cap, const char *tag, unsigned n)
{
    int len = snprintf(dst, cap, "%s%u\xc3\xa9\"';,\\", tag, n); /* é, quotes, separators */
    if (len < 0 || (size_t)len >= cap) {
        memset(dst, 0, cap); /* bytes after the NUL are compared too */
        snprintf(dst, cap, "%u", n % 1000);
        return;
    }
    for (size_t i = (size_t)len; i + 1 < cap; i++)
        dst[i] = (char)('a' + (i + n) % 26);
    dst[cap - 1] = '\0';
}

#define FS(f, tag) fill_str(f, sizeof(f), tag, ++*n)

/* Deterministic, distinct values for every field; arrays to capacity. */
static void fill_case(struct case_state *cs, const char *tenant, int64_t id, unsigned seed)
{
    unsigned ctr = seed * 100000u, *n = &ctr;
#define D() ((lks_date)(10000 + (int)++*n))
#define I() ((int32_t)(++*n))
#define M() ((int64_t)(++*n) * 1000003LL)
    memset(cs, 0, sizeof *cs);
    cs->id = id;
    snprintf(cs->tenant, sizeof cs->tenant, "%s", tenant);
    cs->status = ST_HERBEOORDELING;
    cs->version = 1;
    FS(cs->case_worker, "kw");
    snprintf(cs->applicant, sizeof cs->applicant, "werkgever");
    cs->applied = D();
    cs->complete = D();
    cs->info_requested = LKS_NO_DATE;
    cs->info_wait_days = I();
    cs->nmissing = CASE_MAX_MISSING;
    for (int i = 0; i < CASE_MAX_MISSING; i++)
        FS(cs->missing[i], "stuk[\"");
    struct person *p = &cs->person;
    snprintf(p->bsn, sizeof p->bsn, "%09u", 100000000u + seed);
    FS(p->name, "naam");
    p->birth = D();
    p->sex = SEX_V;
    FS(p->address, "adres");
    FS(p->postcode, "");
    FS(p->city, "plaats");
    p->household = HH_SINGLE_PARENT;
    p->benefit = BEN_WAJONG;
    p->benefit_start = D();
    p->wsw_indication = true;
    struct employer *w = &cs->employer;
    snprintf(w->kvk, sizeof w->kvk, "%08u", 10000000u + seed);
    FS(w->name, "werkgever");
    FS(w->address, "wadres");
    FS(w->postcode, "");
    FS(w->city, "wplaats");
    FS(w->iban, "NL");
    w->employees = I();
    w->fulltime_hours = I();
    w->own_sickness_insurance = true;
    struct placement *pl = &cs->placement;
    pl->start = D();
    pl->end = LKS_NO_DATE;
    pl->hours = I();
    pl->wage = M();
    FS(pl->job_title, "functie");
    FS(pl->staff_number, "pn");
    pl->kind = PL_SW;
    pl->ended = D();
    FS(pl->end_reason, "einde");
    struct access_test *t = &cs->test;
    t->done = true;
    t->voluntary = true;
    t->started = D();
    t->decided = D();
    t->outcome = 2;
    t->limitation = 0x0b;
    FS(t->explanation, "toelichting");
    cs->forfait = true;
    cs->forfait_from = D();
    cs->decision_basis = D();
    cs->closed = D();
    FS(cs->close_reason, "reden");

    cs->nmeasurements = CASE_MAX_MEASUREMENTS;
    for (int i = 0; i < cs->nmeasurements; i++) {
        struct measurement *m = &cs->measurement[i];
        m->method = (enum measure_method)(i % 6);
        FS(m->expert, "deskundige");
        m->requested = D();
        m->measured = D();
        m->reported = i == 0 ? LKS_NO_DATE : D();
        m->loonwaarde = i == 0 ? -1 : I();
        FS(m->reference_job, "ref");
        FS(m->report_doc, "doc");
        m->cost = M();
        m->next = D();
    }
    cs->ndecisions = CASE_MAX_DECISIONS;
    for (int i = 0; i < cs->ndecisions; i++) {
        struct decision *d = &cs->decision[i];
        d->kind = (enum decision_kind)(i % 3);
        d->sent = D();
        d->from = D();
        d->to = i == cs->ndecisions - 1 ? LKS_NO_DATE : D();
        d->peildatum = D();
        d->loonwaarde = I();
        d->amount = M();
        d->subsidy = M();
        d->allowance = M();
        d->objection_due = D();
        FS(d->reason, "motivering");
    }
    cs->npayments = CASE_MAX_PAYMENTS;
    for (int i = 0; i < cs->npayments; i++) {
        cs->payment[i].month = D();
        cs->payment[i].amount = -M(); /* a correction can be negative */
        cs->payment[i].paid = D();
    }
    cs->nprovisions = CASE_MAX_PROVISIONS;
    for (int i = 0; i < cs->nprovisions; i++) {
        struct provision *v = &cs->provision[i];
        v->kind = (enum provision_kind)(i % 4);
        v->start = D();
        v->end = D();
        v->hours = I();
        v->cost = M();
        v->ended = i % 2 ? LKS_NO_DATE : D();
        FS(v->end_reason, "eind");
        FS(v->motivation, "motivatie");
    }
    cs->nobjections = CASE_MAX_OBJECTIONS;
    for (int i = 0; i < cs->nobjections; i++) {
        struct objection *o = &cs->objection[i];
        o->received = D();
        o->due = D();
        o->committee = i % 2;
        o->deferred = i % 3 == 0;
        o->decided = D();
        FS(o->outcome, "");
        FS(o->subject, "onderwerp");
    }
    cs->ncosts = CASE_MAX_COSTS;
    for (int i = 0; i < cs->ncosts; i++) {
        cs->cost[i].kind = (enum cost_kind)(i % 5);
        cs->cost[i].date = D();
        cs->cost[i].amount = M();
        FS(cs->cost[i].what, "kosten");
    }
#undef D
#undef I
#undef M
}

/* A small case: a person, an employer, a worker. */
static struct case_state *small_case(const char *tenant, int64_t id, const char *bsn,
                                     const char *kvk, const char *worker)
{
    struct case_state *cs = calloc(1, sizeof *cs);
    assert_non_null(cs);
    cs->id = id;
    snprintf(cs->tenant, sizeof cs->tenant, "%s", tenant);
    cs->status = ST_AANVRAAG;
    snprintf(cs->person.bsn, sizeof cs->person.bsn, "%s", bsn);
    snprintf(cs->person.name, sizeof cs->person.name, "Persoon %s", bsn);
    cs->person.birth = cs->person.benefit_start = LKS_NO_DATE;
    snprintf(cs->employer.kvk, sizeof cs->employer.kvk, "%s", kvk);
    snprintf(cs->employer.name, sizeof cs->employer.name, "Werkgever %s", kvk);
    snprintf(cs->case_worker, sizeof cs->case_worker, "%s", worker);
    cs->applied = cs->complete = cs->info_requested = LKS_NO_DATE;
    cs->forfait_from = cs->decision_basis = cs->closed = LKS_NO_DATE;
    cs->test.started = cs->test.decided = LKS_NO_DATE;
    cs->placement.start = cs->placement.end = cs->placement.ended = LKS_NO_DATE;
    return cs;
}

static void event_for(struct case_event *ev, const struct case_state *cs, enum ev_type type)
{
    memset(ev, 0, sizeof *ev);
    ev->type = type;
    ev->seq = cs->version;
    ev->at = 1700000000 + cs->version;
    ev->date = 19000 + (lks_date)cs->version;
    snprintf(ev->actor, sizeof ev->actor, "kim");
    ev->role = ROLE_KLANTMANAGER;
}

/* The case's employer as the app keeps it: a record of its own, registered with one
 * event before a case may refer to it (the one of that KvK number when there is one). */
static int register_employer(struct store *s, struct case_state *cs, struct lks_err *e)
{
    if (cs->employer.id)
        return 0;
    struct employer found;
    if (cs->employer.kvk[0] &&
        store_employer_by_kvk(s, cs->tenant, cs->employer.kvk, &found, e) == 0) {
        cs->employer = found;
        return 0;
    }
    struct employer_event ev = {.type = EMP_GEREGISTREERD, .seq = 1, .at = 1700000000,
                                .date = 19000, .role = ROLE_KLANTMANAGER};
    snprintf(ev.actor, sizeof ev.actor, "kim");
    cs->employer.version = 1;
    ev.data = cs->employer;
    return store_employer_save(s, cs->tenant, &cs->employer, &ev, "{}", e);
}

/* The case's person likewise: a record of its own before a case refers to it. */
static int register_person(struct store *s, struct case_state *cs, struct lks_err *e)
{
    if (cs->person.id)
        return 0;
    struct person found;
    if (store_person_by_bsn(s, cs->tenant, cs->person.bsn, &found, e) == 0) {
        cs->person = found;
        return 0;
    }
    struct person_event ev = {.type = PER_GEREGISTREERD, .seq = 1, .at = 1700000000,
                              .date = 19000, .role = ROLE_KLANTMANAGER};
    snprintf(ev.actor, sizeof ev.actor, "kim");
    cs->person.version = 1;
    ev.data = cs->person;
    return store_person_save(s, cs->tenant, &cs->person, &ev, "{}", e);
}

/* Next version of the case, one event, its own transaction. */
static int save_next(struct store *s, struct case_state *cs, const struct case_deadline *dl,
                     int ndl, struct lks_err *e)
{
    cs->version++;
    struct case_event ev;
    event_for(&ev, cs, cs->version == 1 ? EV_AANVRAAG_INGEDIEND : EV_KOSTEN_GEBOEKT);
    char data[64];
    snprintf(data, sizeof data, "{\"v\":%lld}", (long long)cs->version);
    int rc = store_begin(s, e);
    if (rc == 0)
        rc = register_employer(s, cs, e);
    if (rc == 0)
        rc = register_person(s, cs, e);
    if (rc == 0)
        rc = store_case_save(s, cs, &ev, data, PART_ALL, dl, ndl, e);
    if (rc == 0)
        rc = store_commit(s, e);
    if (rc)
        store_rollback(s);
    return rc;
}

#define SAVE(s, cs, dl, ndl)                                                                       \
    do {                                                                                           \
        int rc_ = save_next(s, cs, dl, ndl, &err);                                                 \
        if (rc_)                                                                                   \
            fail_msg("save case %lld: %d %s", (long long)(cs)->id, rc_, err.msg);                  \
    } while (0)

/* Compare two cases byte for byte; name the first differing offset. */
static void assert_case_equal(const struct case_state *a, const struct case_state *b)
{
    if (memcmp(a, b, sizeof *a) == 0)
        return;
    const unsigned char *x = (const void *)a, *y = (const void *)b;
    size_t i = 0;
    while (x[i] == y[i])
        i++;
    fail_msg("cases differ at byte %zu of %zu (payment[] at %zu, decision[] at %zu)", i, sizeof *a,
             offsetof(struct case_state, payment), offsetof(struct case_state, decision));
}

static sqlite3 *raw_open(const char *name)
{
    char p[512];
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(tmp_path(p, sizeof p, name), &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("raw open %s", name);
    sqlite3_busy_timeout(db, 2000);
    return db;
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void raw_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* The first column of the first row of `sql`, on the store's own connection (so
 * inside its transaction), whatever the engine. */
static int64_t sraw_int(struct store *s, const char *sql)
{
    if (!pg)
        return raw_int(store_sqlite_handle(s), sql);
    PGresult *r = PQexec(store_pg_handle(s), sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
        fail_msg("%s: %s", sql, PQerrorMessage(store_pg_handle(s)));
    int64_t v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

/* Run `sql` on the store's own connection: 0, or -1 with the database's message. */
static int sraw_exec(struct store *s, const char *sql, char *msg, size_t n)
{
    if (!pg) {
        int rc = sqlite3_exec(store_sqlite_handle(s), sql, NULL, NULL, NULL);
        if (msg)
            snprintf(msg, n, "%s", sqlite3_errmsg(store_sqlite_handle(s)));
        return rc == SQLITE_OK ? 0 : -1;
    }
    PGresult *r = PQexec(store_pg_handle(s), sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (msg)
        snprintf(msg, n, "%s", PQerrorMessage(store_pg_handle(s)));
    PQclear(r);
    return ok ? 0 : -1;
}

static void put_tenant(struct store *s, const char *code, enum tenant_kind kind)
{
    struct tenant t = {.kind = kind};
    snprintf(t.code, sizeof t.code, "%s", code);
    snprintf(t.name, sizeof t.name, "Gemeente %s", code);
    OK(store_tenant_put(s, &t, &e_));
}

/* ---- open, schema, PRAGMAs ---- */

static void test_open_create_migrate(void **state)
{
    (void)state;
    struct store *s = open_new("a.db");
    int v1 = -1, v2 = -1;
    assert_int_equal(store_schema_version(s, &v1, &err), 0);
    assert_true(v1 >= 1);
    /* a second and third migrate are no-ops */
    assert_int_equal(store_migrate(s, &err), 0);
    assert_int_equal(store_migrate(s, &err), 0);
    assert_int_equal(store_schema_version(s, &v2, &err), 0);
    assert_int_equal(v1, v2);
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM schema_version"), v1);
    store_close(s);
    if (pg) { /* reopened without STORE_CREATE */
        char u[600];
        assert_int_equal(store_open(&s, tmp_path(u, sizeof u, "a.db"), 0, &err), 0);
        assert_int_equal(store_schema_version(s, &v2, &err), 0);
        assert_int_equal(v1, v2);
        assert_null(store_sqlite_handle(s));
        store_close(s);
        return;
    }

    /* reopening without STORE_CREATE and with the sqlite: prefix */
    char p[512], url[600];
    snprintf(url, sizeof url, "sqlite:%s", tmp_path(p, sizeof p, "a.db"));
    assert_int_equal(store_open(&s, url, 0, &err), 0);
    assert_int_equal(store_schema_version(s, &v2, &err), 0);
    assert_int_equal(v1, v2);
    store_close(s);

    /* the file holds personal data: not readable by others */
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
}

/* PostgreSQL: a server that is not there, and a password that is never shown. */
static void test_pg_open_errors(void **state)
{
    (void)state;
    struct store *s = (struct store *)&s;
    assert_int_equal(store_open(&s, "postgresql://lks:geheim@/lks?host=/nonexistent-dir", 0, &err),
                     LKS_EIO);
    assert_null(s);
    assert_null(strstr(err.msg, "geheim"));
    assert_non_null(strstr(err.msg, "/nonexistent-dir"));
    assert_int_equal(
        store_open(&s, "postgres:///lks?host=/nonexistent-dir&password=geheim", 0, NULL), LKS_EIO);
    assert_int_equal(
        store_open(&s, "postgres:///lks?host=/nonexistent-dir&password=geheim", 0, &err), LKS_EIO);
    assert_null(strstr(err.msg, "geheim"));
}

static void test_open_errors(void **state)
{
    (void)state;
    struct store *s = (struct store *)&s; /* must be reset to NULL */
    char p[512];
    assert_int_equal(store_open(&s, tmp_path(p, sizeof p, "missing.db"), 0, &err), LKS_ENOTFOUND);
    assert_null(s);
    assert_non_null(strstr(err.msg, "missing.db"));
    assert_int_equal(access(p, F_OK), -1); /* nothing created */

    assert_int_equal(store_open(&s, "mysql://x", STORE_CREATE, &err), LKS_EINVAL);
    assert_non_null(strstr(err.msg, "postgresql://"));
    assert_int_equal(store_open(&s, "", STORE_CREATE, &err), LKS_EINVAL);
    assert_int_equal(store_open(&s, "sqlite:", STORE_CREATE, &err), LKS_EINVAL);

    /* a file that is not a database */
    FILE *f = fopen(tmp_path(p, sizeof p, "junk.db"), "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("dit is geen database\n", f);
    fclose(f);
    assert_int_equal(store_open(&s, p, 0, &err), LKS_EIO);
    assert_null(s);
    assert_true(strlen(err.msg) > 0);

    /* a NULL error struct must not crash */
    assert_int_equal(store_open(&s, "mysql://x", 0, NULL), LKS_EINVAL);
}

static void test_pragmas(void **state)
{
    (void)state;
    struct store *s = open_new("pragma.db");
    sqlite3 *db = store_sqlite_handle(s);
    char mode[16];
    raw_text(db, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(raw_int(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(raw_int(db, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(raw_int(db, "PRAGMA busy_timeout"), 5000);
    store_close(s);
    /* WAL is a property of the file: another connection sees it too */
    sqlite3 *raw = raw_open("pragma.db");
    raw_text(raw, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    sqlite3_close(raw);
}

static void test_schema_newer_refused(void **state)
{
    (void)state;
    struct store *s = open_new("newer.db");
    assert_int_equal(sraw_exec(s, "INSERT INTO schema_version VALUES (999, 0)", NULL, 0), 0);
    store_close(s);
    char p[512];
    assert_int_equal(store_open(&s, tmp_path(p, sizeof p, "newer.db"), 0, &err), 0);
    struct tenant t;
    assert_int_equal(store_tenant_get(s, "x", &t, &err), LKS_ESTATE);
    assert_string_equal(err.reason, "schema-newer");
    assert_non_null(strstr(err.msg, "999"));
    assert_int_equal(store_migrate(s, &err), LKS_ESTATE);
    store_close(s);
    assert_int_equal(store_open(&s, p, STORE_CREATE, &err), LKS_ESTATE);
    assert_null(s);
}

static void test_schema_older_refused(void **state)
{
    (void)state;
    /* an empty file: version 0 until migrated */
    char p[512];
    if (pg) {
        pg_schema_fresh("empty.db");
        tmp_path(p, sizeof p, "empty.db");
    } else {
        FILE *f = fopen(tmp_path(p, sizeof p, "empty.db"), "w");
        assert_non_null(f);
        fclose(f);
    }
    struct store *s = NULL;
    assert_int_equal(store_open(&s, p, 0, &err), 0);
    int v = -1;
    assert_int_equal(store_schema_version(s, &v, &err), 0);
    assert_int_equal(v, 0);
    struct tenant t;
    assert_int_equal(store_tenant_get(s, "x", &t, &err), LKS_ESTATE);
    assert_string_equal(err.reason, "schema-older");
    assert_int_equal(store_migrate(s, &err), 0);
    assert_int_equal(store_tenant_get(s, "x", &t, &err), LKS_ENOTFOUND);
    store_close(s);
}

static void test_strict_tables(void **state)
{
    (void)state;
    struct store *s = open_new("strict.db");
    store_close(s);
    sqlite3 *raw = raw_open("strict.db");
    int rc = sqlite3_exec(raw, "INSERT INTO policies VALUES ('gm1', 1, 'ondergrens', 'veel')", NULL,
                          NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    assert_non_null(strstr(sqlite3_errmsg(raw), "INTEGER"));
    /* and a date column of a case */
    rc = sqlite3_exec(raw, "INSERT INTO payments VALUES ('gm1', 1, 0, 'januari', 1, NULL)", NULL,
                      NULL, NULL);
    assert_int_not_equal(rc, SQLITE_OK);
    sqlite3_close(raw);
}

/* ---- events are append-only ---- */

static void test_events_append_only(void **state)
{
    (void)state;
    struct store *s = open_new("events.db");
    struct case_state *cs = small_case("gm1", 1, "123456782", "12345678", "kim");
    SAVE(s, cs, NULL, 0);
    SAVE(s, cs, NULL, 0);
    if (pg) { /* PostgreSQL refuses on the store's own connection too, and TRUNCATE */
        char msg[512];
        assert_int_equal(sraw_int(s, "SELECT count(*) FROM events"), 2);
        assert_int_equal(sraw_exec(s, "UPDATE events SET actor='mallory'", msg, sizeof msg), -1);
        assert_non_null(strstr(msg, "events zijn onveranderlijk"));
        assert_int_equal(sraw_exec(s, "DELETE FROM events WHERE seq=2", msg, sizeof msg), -1);
        assert_non_null(strstr(msg, "events zijn onveranderlijk"));
        assert_int_equal(sraw_exec(s, "TRUNCATE events CASCADE", msg, sizeof msg), -1);
        assert_int_equal(sraw_exec(s, "DELETE FROM processing_log", msg, sizeof msg), 0);
        assert_int_equal(sraw_exec(s,
                                   "INSERT INTO processing_log (tenant_id, at_us, action, \"user\","
                                   " system, bsn, object, kinds, purpose, confidentiality,"
                                   " retention_years, request_id) VALUES ('gm1', 1, 'read', 'u',"
                                   " 's', '', 'zaak/1', 'x', '', '', 20, '')",
                                   msg, sizeof msg),
                         0);
        assert_int_equal(sraw_exec(s, "DELETE FROM processing_log", msg, sizeof msg), -1);
        assert_non_null(strstr(msg, "onveranderlijk"));
        assert_int_equal(sraw_int(s, "SELECT count(*) FROM events"), 2);
        assert_int_equal(sraw_int(s, "SELECT count(*) FROM events WHERE actor='mallory'"), 0);
        store_close(s);
        free(cs);
        return;
    }
    store_close(s);

    sqlite3 *raw = raw_open("events.db");
    assert_int_equal(raw_int(raw, "SELECT count(*) FROM events"), 2);
    int rc = sqlite3_exec(raw, "UPDATE events SET actor='mallory'", NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    assert_non_null(strstr(sqlite3_errmsg(raw), "events zijn onveranderlijk"));
    rc = sqlite3_exec(raw, "DELETE FROM events WHERE seq=2", NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
    assert_non_null(strstr(sqlite3_errmsg(raw), "events zijn onveranderlijk"));
    assert_int_equal(raw_int(raw, "SELECT count(*) FROM events"), 2);
    assert_int_equal(raw_int(raw, "SELECT count(*) FROM events WHERE actor='mallory'"), 0);
    sqlite3_close(raw);
    free(cs);
}

struct ev_seen {
    int n;
    int64_t seq[8];
    char type[8][40];
    char data[8][40];
    char role[8][24];
    lks_date date[8];
    int stop_at;
};

static int collect_event(void *arg, const struct stored_event *e)
{
    struct ev_seen *v = arg;
    if (v->n < 8) {
        v->seq[v->n] = e->seq;
        snprintf(v->type[v->n], sizeof v->type[0], "%s", e->type);
        snprintf(v->data[v->n], sizeof v->data[0], "%s", e->data);
        snprintf(v->role[v->n], sizeof v->role[0], "%s", e->role);
        v->date[v->n] = e->date;
    }
    v->n++;
    return v->stop_at && v->n == v->stop_at ? 42 : 0;
}

static void test_events_read(void **state)
{
    (void)state;
    struct store *s = open_new("evread.db");
    struct case_state *cs = small_case("gm1", 5, "123456782", "12345678", "kim");
    SAVE(s, cs, NULL, 0);
    SAVE(s, cs, NULL, 0);
    SAVE(s, cs, NULL, 0);
    struct ev_seen v = {0};
    assert_int_equal(store_case_events(s, "gm1", 5, collect_event, &v, &err), 0);
    assert_int_equal(v.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(v.seq[i], i + 1);
        assert_string_equal(v.role[i], "klantmanager");
        assert_int_equal(v.date[i], 19000 + i + 1);
    }
    assert_string_equal(v.type[0], "aanvraag-ingediend");
    assert_string_equal(v.type[1], "kosten-geboekt");
    assert_string_equal(v.data[2], "{\"v\":3}");
    /* a callback's non-zero return stops and is returned */
    struct ev_seen w = {.stop_at = 2};
    assert_int_equal(store_case_events(s, "gm1", 5, collect_event, &w, &err), 42);
    assert_int_equal(w.n, 2);
    store_close(s);
    free(cs);
}

/* ---- tenants and policy ---- */

struct tenant_seen {
    int n;
    char code[8][CASE_ID];
    enum tenant_kind kind[8];
};

static int collect_tenant(void *arg, const struct tenant *t)
{
    struct tenant_seen *v = arg;
    if (v->n < 8) {
        snprintf(v->code[v->n], CASE_ID, "%s", t->code);
        v->kind[v->n] = t->kind;
    }
    v->n++;
    return 0;
}

static void test_tenants(void **state)
{
    (void)state;
    struct store *s = open_new("tenants.db");
    put_tenant(s, "gm0794", TENANT_GEMEENTE);
    put_tenant(s, "gm0772", TENANT_GEMEENTE);
    put_tenant(s, "wsp-helmond", TENANT_SERVICEPUNT);
    /* put again updates */
    struct tenant t = {.kind = TENANT_GEMEENTE};
    snprintf(t.code, sizeof t.code, "gm0794");
    snprintf(t.name, sizeof t.name, "Helmond");
    assert_int_equal(store_tenant_put(s, &t, &err), 0);

    struct tenant got;
    assert_int_equal(store_tenant_get(s, "gm0794", &got, &err), 0);
    assert_string_equal(got.name, "Helmond");
    assert_int_equal(got.kind, TENANT_GEMEENTE);
    assert_int_equal(store_tenant_get(s, "wsp-helmond", &got, &err), 0);
    assert_int_equal(got.kind, TENANT_SERVICEPUNT);
    assert_int_equal(store_tenant_get(s, "gm9999", &got, &err), LKS_ENOTFOUND);
    assert_non_null(strstr(err.msg, "gm9999"));

    struct tenant_seen v = {0};
    assert_int_equal(store_tenant_list(s, collect_tenant, &v, &err), 0);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.code[0], "gm0772");
    assert_string_equal(v.code[1], "gm0794");
    assert_string_equal(v.code[2], "wsp-helmond");
    assert_int_equal(v.kind[2], TENANT_SERVICEPUNT);

    assert_int_equal(store_tenant_link(s, "wsp-helmond", "gm0794", &err), 0);
    assert_int_equal(store_tenant_link(s, "wsp-helmond", "gm0772", &err), 0);
    assert_int_equal(store_tenant_link(s, "wsp-helmond", "gm0794", &err), 0); /* idempotent */
    assert_int_equal(store_tenant_link(s, "gm0794", "gm0772", &err), LKS_EINVAL);
    assert_int_equal(store_tenant_link(s, "wsp-helmond", "wsp-helmond", &err), LKS_EINVAL);
    assert_int_equal(store_tenant_link(s, "wsp-helmond", "gm0000", &err), LKS_ENOTFOUND);
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM tenant_links"), 2);

    struct tenant bad = {.kind = TENANT_GEMEENTE};
    assert_int_equal(store_tenant_put(s, &bad, &err), LKS_EINVAL); /* no code */
    store_close(s);
}

/* The generation: equal while nothing is committed, different after a commit of this
 * connection or of another one, and never 0 on SQLite. */
static uint64_t gen_of(struct store *s)
{
    uint64_t g = 0;
    assert_int_equal(store_read_begin(s, &err), 0);
    assert_int_equal(store_generation(s, &g, &err), 0);
    store_read_end(s);
    assert_true(g != 0);
    return g;
}

/* PostgreSQL cannot tell cheaply: always 0, "unknown" (store.h). */
static void test_pg_generation(void **state)
{
    (void)state;
    struct store *a = open_new("gen.db");
    uint64_t g = 1;
    assert_int_equal(store_read_begin(a, &err), 0);
    assert_int_equal(store_generation(a, &g, &err), 0);
    store_read_end(a);
    assert_true(g == 0);
    store_close(a);
}

static void test_generation(void **state)
{
    (void)state;
    struct store *a = open_new("gen.db");
    char p[512];
    struct store *b = NULL;
    assert_int_equal(store_open(&b, tmp_path(p, sizeof p, "gen.db"), 0, &err), 0);
    uint64_t a0 = gen_of(a), b0 = gen_of(b);
    assert_true(gen_of(a) == a0);             /* reading changes nothing */
    put_tenant(a, "gm0794", TENANT_GEMEENTE); /* a commits */
    uint64_t a1 = gen_of(a), b1 = gen_of(b);
    assert_true(a1 != a0);
    assert_true(b1 != b0);
    put_tenant(b, "gm0772", TENANT_GEMEENTE); /* b commits */
    assert_true(gen_of(a) != a1);
    assert_true(gen_of(b) != b1);
    /* a rolled-back write leaves others' view as it was */
    uint64_t b2 = gen_of(b);
    assert_int_equal(store_begin(a, &err), 0);
    struct tenant t = {.kind = TENANT_GEMEENTE};
    snprintf(t.code, sizeof t.code, "gm0001");
    assert_int_equal(store_tenant_put(a, &t, &err), 0);
    store_rollback(a);
    assert_true(gen_of(b) == b2);
    store_close(b);
    store_close(a);
}

static void test_policy_effective_dated(void **state)
{
    (void)state;
    struct store *s = open_new("policy.db");
    lks_date d1 = date_from_ymd(2024, 1, 1), d2 = date_from_ymd(2025, 7, 1);
    assert_int_equal(store_policy_put(s, "gm1", d2, "ondergrens", 4000, &err), 0);
    assert_int_equal(store_policy_put(s, "gm1", d1, "ondergrens", 3500, &err), 0);
    assert_int_equal(store_policy_put(s, "gm1", d1, "herbeoordeling-maanden", 24, &err), 0);
    assert_int_equal(store_policy_put(s, "gm2", d1, "ondergrens", 2000, &err), 0);

    struct policy def, p;
    memset(&def, 0, sizeof def); /* padding is compared too */
    policy_default(&def);
    assert_int_equal(store_policy_at(s, "gm1", d1 - 1, &p, &err), 0);
    assert_memory_equal(&p, &def, sizeof p);
    assert_int_equal(store_policy_at(s, "gm1", d1, &p, &err), 0);
    assert_int_equal(p.lower_bound, 3500);
    assert_int_equal(p.remeasure_months, 24);
    assert_int_equal(store_policy_at(s, "gm1", d2 - 1, &p, &err), 0);
    assert_int_equal(p.lower_bound, 3500);
    assert_int_equal(store_policy_at(s, "gm1", d2 + 400, &p, &err), 0);
    assert_int_equal(p.lower_bound, 4000);
    assert_int_equal(p.remeasure_months, 24);
    assert_int_equal(p.upper_bound, def.upper_bound);
    /* another tenant has its own rows, an unknown one the defaults */
    assert_int_equal(store_policy_at(s, "gm2", d2, &p, &err), 0);
    assert_int_equal(p.lower_bound, 2000);
    assert_int_equal(p.remeasure_months, def.remeasure_months);
    assert_int_equal(store_policy_at(s, "gm3", d2, &p, &err), 0);
    assert_memory_equal(&p, &def, sizeof p);
    /* the same row again replaces the value */
    assert_int_equal(store_policy_put(s, "gm1", d2, "ondergrens", 4100, &err), 0);
    assert_int_equal(store_policy_at(s, "gm1", d2, &p, &err), 0);
    assert_int_equal(p.lower_bound, 4100);
    /* the wide (int64) key */
    assert_int_equal(store_policy_put(s, "gm1", d1, "quotumheffing", 750000, &err), 0);
    assert_int_equal(store_policy_at(s, "gm1", d1, &p, &err), 0);
    assert_int_equal(p.quota_levy, 750000);

    /* refused: unknown key, out of range, no date */
    assert_int_equal(store_policy_put(s, "gm1", d1, "ondergrenz", 1, &err), LKS_EINVAL);
    assert_string_equal(err.field, "ondergrenz");
    assert_int_equal(store_policy_put(s, "gm1", d1, "ondergrens", 10001, &err), LKS_EINVAL);
    assert_int_equal(store_policy_put(s, "gm1", LKS_NO_DATE, "ondergrens", 1, &err), LKS_EINVAL);

    /* an unknown key in the table is an error naming it */
    assert_int_equal(
        sraw_exec(s, "INSERT INTO policies VALUES ('gm1', 1, 'verzonnen', 5)", NULL, 0), 0);
    assert_int_equal(store_policy_at(s, "gm1", d1, &p, &err), LKS_EINVAL);
    assert_non_null(strstr(err.msg, "verzonnen"));
    store_close(s);
}

/* ---- cases ---- */

static void test_round_trip_every_field(void **state)
{
    (void)state;
    struct store *s = open_new("roundtrip.db");
    struct case_state *cs = calloc(1, sizeof *cs), *got = calloc(1, sizeof *got);
    assert_non_null(cs);
    assert_non_null(got);
    fill_case(cs, "gm0794", 77, 1);
    cs->version = 0;
    struct case_deadline dl[2] = {{DL_BESLISTERMIJN, 100, 156, LKS_NO_DATE, -1},
                                  {DL_HERBEOORDELING, 120, 500, 130, 3}};
    SAVE(s, cs, dl, 2);
    assert_true(cs->person.id > 0);
    assert_true(cs->employer.id > 0);
    memset(got, 0xa5, sizeof *got); /* the store must set every byte it owns */
    assert_int_equal(store_case_get(s, "gm0794", 77, got, &err), 0);
    assert_case_equal(got, cs);

    /* a near-empty case (zero values and LKS_NO_DATE everywhere) as well */
    struct case_state *small = small_case("gm0794", 78, "", "", "");
    SAVE(s, small, NULL, 0);
    assert_int_equal(store_case_get(s, "gm0794", 78, got, &err), 0);
    assert_case_equal(got, small);

    /* and every field again after a reopen, through a second connection */
    store_close(s);
    char p[512];
    assert_int_equal(store_open(&s, tmp_path(p, sizeof p, "roundtrip.db"), 0, &err), 0);
    assert_int_equal(store_case_get(s, "gm0794", 77, got, &err), 0);
    assert_case_equal(got, cs);
    assert_int_equal(store_check(s, &(int){0}, &err), 0);
    store_close(s);
    free(cs);
    free(got);
    free(small);
}

static void test_save_replaces_children(void **state)
{
    (void)state;
    struct store *s = open_new("children.db");
    struct case_state *cs = small_case("gm1", 3, "123456782", "12345678", "kim");
    struct case_state *got = calloc(1, sizeof *got);
    cs->npayments = 2;
    cs->payment[0] = (struct payment){19000, 100, 19005, "NL91ABNA0417164300"};
    cs->payment[1] = (struct payment){19031, 200, LKS_NO_DATE, ""};
    cs->ncosts = 3;
    for (int i = 0; i < 3; i++)
        cs->cost[i] = (struct cost){COST_ROUTE, 19000 + i, 1000 * (i + 1), "route"};
    cs->nmissing = 2;
    snprintf(cs->missing[0], sizeof cs->missing[0], "loonstrook");
    snprintf(cs->missing[1], sizeof cs->missing[1], "arbeidsovereenkomst");
    SAVE(s, cs, NULL, 0);
    assert_int_equal(store_case_get(s, "gm1", 3, got, &err), 0);
    assert_case_equal(got, cs);

    /* version 2: more payments, fewer costs and missing documents, a new status */
    cs->npayments = 5;
    for (int i = 2; i < 5; i++)
        cs->payment[i] = (struct payment){19000 + 31 * i, 300 + i, 19010 + 31 * i, "NL44RABO0123456789"};
    cs->ncosts = 1;
    memset(&cs->cost[1], 0, 2 * sizeof cs->cost[0]);
    cs->nmissing = 0;
    memset(cs->missing, 0, sizeof cs->missing);
    cs->status = ST_LOPEND;
    SAVE(s, cs, NULL, 0);
    assert_int_equal(store_case_get(s, "gm1", 3, got, &err), 0);
    assert_int_equal(got->version, 2);
    assert_int_equal(got->npayments, 5);
    assert_int_equal(got->ncosts, 1);
    assert_int_equal(got->nmissing, 0);
    assert_case_equal(got, cs);
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM payments WHERE case_id=3"), 5);
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM costs WHERE case_id=3"), 1);
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM persons"), 1); /* updated, not added */
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM employers"), 1);
    store_close(s);
    free(cs);
    free(got);
}

struct id_seen {
    int n;
    int64_t id[16];
    char tenant[16][CASE_ID];
    struct store *s;
    int nested_ok;
};

static int collect_id(void *arg, const char *tenant, int64_t id)
{
    struct id_seen *v = arg;
    if (v->n < 16) {
        v->id[v->n] = id;
        snprintf(v->tenant[v->n], CASE_ID, "%s", tenant);
    }
    v->n++;
    return 0;
}

struct summary_seen {
    int n;
    struct case_summary c[16];
};

static int collect_summary(void *arg, const struct case_summary *c)
{
    struct summary_seen *v = arg;
    if (v->n < 16)
        v->c[v->n] = *c;
    v->n++;
    return 0;
}

static void test_tenant_scoping(void **state)
{
    (void)state;
    struct store *s = open_new("scope.db");
    struct case_state *a = small_case("gmA", 1, "123456782", "12345678", "kim");
    SAVE(s, a, NULL, 0);
    struct case_state *got = calloc(1, sizeof *got);

    assert_int_equal(store_case_get(s, "gmB", 1, got, &err), LKS_ENOTFOUND);
    assert_int_equal(store_case_get(s, "gmA", 1, got, &err), 0);
    struct ev_seen v = {0};
    assert_int_equal(store_case_events(s, "gmB", 1, collect_event, &v, &err), LKS_ENOTFOUND);
    assert_int_equal(v.n, 0);
    struct summary_seen l = {0};
    struct case_filter f = {.status = -1};
    assert_int_equal(store_case_list(s, "gmB", &f, collect_summary, &l, &err), 0);
    assert_int_equal(l.n, 0);
    struct id_seen ids = {0};
    assert_int_equal(store_case_ids(s, "gmB", collect_id, &ids, &err), 0);
    assert_int_equal(ids.n, 0);
    struct person p;
    assert_int_equal(store_person_by_bsn(s, "gmB", "123456782", &p, &err), LKS_ENOTFOUND);
    struct employer w;
    assert_int_equal(store_employer_by_kvk(s, "gmB", "12345678", &w, &err), LKS_ENOTFOUND);

    /* the same BSN in tenant B is another person row */
    struct case_state *b = small_case("gmB", 2, "123456782", "12345678", "kim");
    SAVE(s, b, NULL, 0);
    assert_true(b->person.id != a->person.id);
    assert_true(b->employer.id != a->employer.id);

    /* B cannot write A's case either */
    struct case_state *steal = small_case("gmB", 1, "999999990", "99999999", "eve");
    steal->version = 1; /* the next save is version 2 */
    assert_int_equal(save_next(s, steal, NULL, 0, &err), LKS_ENOTFOUND);
    assert_int_equal(store_case_get(s, "gmA", 1, got, &err), 0);
    assert_int_equal(got->version, 1);
    assert_string_equal(got->case_worker, "kim");

    char tenant[CASE_ID];
    assert_int_equal(store_case_tenant(s, 2, tenant, &err), 0);
    assert_string_equal(tenant, "gmB");
    assert_int_equal(store_case_tenant(s, 404, tenant, &err), LKS_ENOTFOUND);

    assert_int_equal(store_case_ids(s, NULL, collect_id, &ids, &err), 0);
    assert_int_equal(ids.n, 2);
    assert_string_equal(ids.tenant[0], "gmA");
    assert_string_equal(ids.tenant[1], "gmB");
    store_close(s);
    free(a);
    free(b);
    free(steal);
    free(got);
}

static void test_conflict_and_rollback(void **state)
{
    (void)state;
    struct store *s = open_new("conflict.db");
    struct case_state *cs = small_case("gm1", 9, "123456782", "12345678", "kim");
    struct case_state *other = small_case("gm1", 10, "111222333", "87654321", "ali");
    SAVE(s, cs, NULL, 0);
    SAVE(s, other, NULL, 0);
    struct case_state *before = calloc(1, sizeof *before), *got = calloc(1, sizeof *got);
    assert_int_equal(store_case_get(s, "gm1", 9, before, &err), 0);
    int64_t events = sraw_int(s, "SELECT count(*) FROM events");

    /* one transaction: a good save of case 10, then a stale save of case 9 (seq 1 again) */
    assert_int_equal(store_begin(s, &err), 0);
    other->version++;
    struct case_event ev;
    event_for(&ev, other, EV_KOSTEN_GEBOEKT);
    assert_int_equal(store_case_save(s, other, &ev, "{}", PART_ALL, NULL, 0, &err), 0);
    snprintf(cs->case_worker, sizeof cs->case_worker, "someone-else");
    cs->npayments = 1;
    event_for(&ev, cs, EV_KOSTEN_GEBOEKT); /* seq 1, already stored */
    assert_int_equal(store_case_save(s, cs, &ev, "{}", PART_ALL, NULL, 0, &err), LKS_ESTATE);
    assert_true(strlen(err.msg) > 0);
    store_rollback(s);

    /* nothing of the transaction remains */
    assert_int_equal(store_case_get(s, "gm1", 9, got, &err), 0);
    assert_case_equal(got, before);
    assert_int_equal(store_case_get(s, "gm1", 10, got, &err), 0);
    assert_int_equal(got->version, 1);
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM events"), events);

    /* the event row itself refuses a duplicate (case row made to look older first) */
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(sraw_exec(s, "UPDATE cases SET version=0 WHERE id=9", NULL, 0), 0);
    assert_int_equal(store_case_save(s, cs, &ev, "{}", PART_ALL, NULL, 0, &err), LKS_ESTATE);
    assert_string_equal(err.field, "seq");
    store_rollback(s);
    assert_int_equal(store_case_get(s, "gm1", 9, got, &err), 0);
    assert_case_equal(got, before);

    /* misuse: save outside a transaction, seq not matching the version */
    cs->version = 2;
    event_for(&ev, cs, EV_KOSTEN_GEBOEKT);
    assert_int_equal(store_case_save(s, cs, &ev, "{}", PART_ALL, NULL, 0, &err), LKS_ESTATE);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_begin(s, &err), LKS_ESTATE); /* no nesting */
    ev.seq = 5;
    assert_int_equal(store_case_save(s, cs, &ev, "{}", PART_ALL, NULL, 0, &err), LKS_EINVAL);
    cs->npayments = CASE_MAX_PAYMENTS + 1;
    ev.seq = 2;
    assert_int_equal(store_case_save(s, cs, &ev, "{}", PART_ALL, NULL, 0, &err), LKS_EINVAL);
    store_rollback(s);
    assert_int_equal(store_commit(s, &err), LKS_ESTATE);
    store_close(s);
    free(cs);
    free(other);
    free(before);
    free(got);
}

static void test_new_id(void **state)
{
    (void)state;
    struct store *s = open_new("ids.db");
    int64_t a = 0, b = 0, c = 0;
    assert_int_equal(store_case_new_id(s, &a, &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_case_new_id(s, &b, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_true(a >= 1);
    assert_true(b > a);
    /* a case saved with an id beyond the counter (an import) is never handed out again */
    struct case_state *cs = small_case("gm1", b + 100, "123456782", "12345678", "kim");
    SAVE(s, cs, NULL, 0);
    assert_int_equal(store_case_new_id(s, &c, &err), 0);
    assert_true(c > b + 100);
    store_close(s);
    free(cs);
}

static int nested_get(void *arg, const char *tenant, int64_t id)
{
    struct id_seen *v = arg;
    struct case_state *cs = calloc(1, sizeof *cs);
    struct lks_err e = {0};
    struct id_seen inner = {0};
    /* a read of the case and the same iteration again, while this one runs */
    if (cs && store_case_get(v->s, tenant, id, cs, &e) == 0 && cs->id == id &&
        store_case_ids(v->s, tenant, collect_id, &inner, &e) == 0 && inner.n == 3)
        v->nested_ok++;
    free(cs);
    return collect_id(arg, tenant, id);
}

static void test_callbacks_reenter(void **state)
{
    (void)state;
    struct store *s = open_new("reenter.db");
    for (int i = 1; i <= 3; i++) {
        struct case_state *cs = small_case("gm1", i, "123456782", "12345678", "kim");
        SAVE(s, cs, NULL, 0);
        free(cs);
    }
    struct id_seen v = {.s = s};
    assert_int_equal(store_case_ids(s, "gm1", nested_get, &v, &err), 0);
    assert_int_equal(v.n, 3);
    assert_int_equal(v.nested_ok, 3);
    store_close(s);
}

static void test_case_list(void **state)
{
    (void)state;
    struct store *s = open_new("list.db");
    /* 7 cases: workers kim/ali alternating, employers by id parity, statuses varied */
    int64_t employer_even = 0;
    for (int i = 1; i <= 7; i++) {
        char bsn[16], kvk[16];
        snprintf(bsn, sizeof bsn, "%09d", 100000000 + i);
        snprintf(kvk, sizeof kvk, "%08d", 10000000 + i % 2);
        struct case_state *cs = small_case("gm1", i * 10, bsn, kvk, i % 2 ? "kim" : "ali");
        cs->status = i <= 3 ? ST_LOPEND : ST_AANVRAAG;
        struct case_deadline dl[3] = {
            {DL_BESLISTERMIJN, 100, 1000 - i, LKS_NO_DATE, -1},
            {DL_SERVICENORM, 100, 500 - i, 400, -1}, /* done: does not count */
            {DL_RAPPORT, 100, 2000, LKS_NO_DATE, -1},
        };
        SAVE(s, cs, dl, i == 7 ? 0 : 3);
        if (i % 2 == 0)
            employer_even = cs->employer.id;
        free(cs);
    }
    struct case_state *b = small_case("gm2", 1000, "100000001", "10000001", "kim");
    SAVE(s, b, NULL, 0);
    free(b);

    struct summary_seen v = {0};
    struct case_filter f = {.status = -1};
    assert_int_equal(store_case_list(s, "gm1", &f, collect_summary, &v, &err), 0);
    assert_int_equal(v.n, 7);
    for (int i = 0; i < 7; i++)
        assert_int_equal(v.c[i].id, (i + 1) * 10);
    assert_string_equal(v.c[0].person_name, "Persoon 100000001");
    assert_string_equal(v.c[1].employer_name, "Werkgever 10000000");
    assert_string_equal(v.c[0].case_worker, "kim");
    assert_int_equal(v.c[0].status, ST_LOPEND);
    assert_int_equal(v.c[4].status, ST_AANVRAAG);
    assert_int_equal(v.c[0].next_due, 999);
    assert_int_equal(v.c[6].next_due, LKS_NO_DATE);
    assert_int_equal(
        store_case_list(s, "gm1", NULL, collect_summary, &(struct summary_seen){0}, &err), 0);

    /* pages of 3 by keyset */
    int64_t after = 0, seen[8];
    int total = 0, pages = 0;
    for (;;) {
        struct summary_seen page = {0};
        struct case_filter pf = {.status = -1, .after_id = after, .limit = 3};
        assert_int_equal(store_case_list(s, "gm1", &pf, collect_summary, &page, &err), 0);
        if (page.n == 0)
            break;
        assert_true(page.n <= 3);
        for (int i = 0; i < page.n; i++)
            seen[total++] = page.c[i].id;
        after = page.c[page.n - 1].id;
        pages++;
    }
    assert_int_equal(pages, 3);
    assert_int_equal(total, 7);
    for (int i = 1; i < total; i++)
        assert_true(seen[i] > seen[i - 1]);

    struct summary_seen st = {0};
    struct case_filter fs = {.status = ST_LOPEND};
    assert_int_equal(store_case_list(s, "gm1", &fs, collect_summary, &st, &err), 0);
    assert_int_equal(st.n, 3);
    struct summary_seen wk = {0};
    struct case_filter fw = {.status = -1, .case_worker = "ali"};
    assert_int_equal(store_case_list(s, "gm1", &fw, collect_summary, &wk, &err), 0);
    assert_int_equal(wk.n, 3);
    for (int i = 0; i < wk.n; i++)
        assert_string_equal(wk.c[i].case_worker, "ali");
    struct summary_seen em = {0};
    struct case_filter fe = {.status = -1, .employer_id = employer_even};
    assert_int_equal(store_case_list(s, "gm1", &fe, collect_summary, &em, &err), 0);
    assert_int_equal(em.n, 3);
    struct summary_seen all3 = {0};
    struct case_filter f3 = {
        .status = ST_AANVRAAG, .case_worker = "kim", .employer_id = 0, .after_id = 50};
    assert_int_equal(store_case_list(s, "gm1", &f3, collect_summary, &all3, &err), 0);
    assert_int_equal(all3.n, 1); /* case 70 */
    assert_int_equal(all3.c[0].id, 70);
    struct case_filter bad = {.status = ST_COUNT};
    assert_int_equal(store_case_list(s, "gm1", &bad, collect_summary, &all3, &err), LKS_EINVAL);
    store_close(s);
}

struct dl_seen {
    int n;
    char tenant[16][CASE_ID];
    struct deadline_row r[16];
};

static int collect_dl(void *arg, const struct deadline_row *d)
{
    struct dl_seen *v = arg;
    if (v->n < 16) {
        v->r[v->n] = *d;
        snprintf(v->tenant[v->n], CASE_ID, "%s", d->tenant);
        v->r[v->n].tenant = NULL;
    }
    v->n++;
    return 0;
}

static void test_deadlines_open(void **state)
{
    (void)state;
    struct store *s = open_new("deadlines.db");
    struct case_state *c1 = small_case("gm1", 1, "100000001", "10000001", "kim");
    struct case_state *c2 = small_case("gm1", 2, "100000002", "10000001", "kim");
    struct case_state *c3 = small_case("gm2", 3, "100000003", "10000001", "kim");
    struct case_deadline d1[4] = {
        {DL_BESLISTERMIJN, 100, 200, LKS_NO_DATE, -1},
        {DL_RAPPORT, 100, 150, 140, 0}, /* done on 140 */
        {DL_SERVICENORM, 100, 150, LKS_NO_DATE, -1},
        {DL_HERBEOORDELING, 160, 170, LKS_NO_DATE, 2}, /* starts on 160 */
    };
    struct case_deadline d2[2] = {
        {DL_INFORMATIE, 100, 150, LKS_NO_DATE, -1},
        {DL_BESLISTERMIJN, 100, 150, LKS_NO_DATE, -1},
    };
    struct case_deadline d3[1] = {{DL_BEZWAARTERMIJN, 10, 50, LKS_NO_DATE, 0}};
    SAVE(s, c1, d1, 4);
    SAVE(s, c2, d2, 2);
    SAVE(s, c3, d3, 1);

    /* every deadline not done, of one tenant: by due, then case, then kind */
    struct dl_seen v = {0};
    assert_int_equal(store_deadlines_open(s, "gm1", LKS_NO_DATE, collect_dl, &v, &err), 0);
    assert_int_equal(v.n, 5);
    int64_t want_case[5] = {1, 2, 2, 1, 1};
    enum dl_kind want_kind[5] = {DL_SERVICENORM, DL_BESLISTERMIJN, DL_INFORMATIE, DL_HERBEOORDELING,
                                 DL_BESLISTERMIJN};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(v.r[i].case_id, want_case[i]);
        assert_int_equal(v.r[i].kind, want_kind[i]);
        assert_int_equal(v.r[i].done, LKS_NO_DATE);
        assert_string_equal(v.tenant[i], "gm1");
    }
    assert_int_equal(v.r[3].index, 2);
    assert_int_equal(v.r[3].start, 160);
    assert_int_equal(v.r[3].due, 170);

    /* all tenants: gm2's earlier deadline first */
    struct dl_seen a = {0};
    assert_int_equal(store_deadlines_open(s, NULL, LKS_NO_DATE, collect_dl, &a, &err), 0);
    assert_int_equal(a.n, 6);
    assert_string_equal(a.tenant[0], "gm2");
    assert_int_equal(a.r[0].case_id, 3);

    /* open on a day: on 130 the report (done 140) still runs, the re-measurement (from 160)
     * not yet; on 145 the report is done */
    struct dl_seen o = {0};
    assert_int_equal(store_deadlines_open(s, "gm1", 130, collect_dl, &o, &err), 0);
    assert_int_equal(o.n, 5);
    assert_int_equal(o.r[0].case_id, 1);
    assert_int_equal(o.r[0].kind, DL_RAPPORT);
    assert_int_equal(o.r[0].done, 140);
    assert_int_equal(o.r[4].kind, DL_BESLISTERMIJN);
    struct dl_seen o2 = {0};
    assert_int_equal(store_deadlines_open(s, "gm1", 145, collect_dl, &o2, &err), 0);
    assert_int_equal(o2.n, 4);
    struct dl_seen o3 = {0};
    assert_int_equal(store_deadlines_open(s, NULL, 165, collect_dl, &o3, &err), 0);
    assert_int_equal(o3.n, 6);

    /* the next save of case 1 replaces its deadlines: all done now */
    for (int i = 0; i < 4; i++)
        d1[i].done = 180;
    SAVE(s, c1, d1, 4);
    struct dl_seen after = {0};
    assert_int_equal(store_deadlines_open(s, "gm1", LKS_NO_DATE, collect_dl, &after, &err), 0);
    assert_int_equal(after.n, 2);
    assert_int_equal(after.r[0].case_id, 2);

    if (pg) { /* plans are PostgreSQL's own business */
        store_close(s);
        free(c1);
        free(c2);
        free(c3);
        return;
    }
    /* the tenant form uses the partial index */
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(store_sqlite_handle(s),
                                        "EXPLAIN QUERY PLAN SELECT case_id FROM deadlines WHERE "
                                        "tenant_id='gm1' AND done IS NULL ORDER BY due",
                                        -1, &st, NULL),
                     SQLITE_OK);
    bool uses = false;
    while (sqlite3_step(st) == SQLITE_ROW)
        uses |= strstr((const char *)sqlite3_column_text(st, 3), "deadlines_open") != NULL;
    sqlite3_finalize(st);
    assert_true(uses);
    store_close(s);
    free(c1);
    free(c2);
    free(c3);
}

static void test_persons_employers(void **state)
{
    (void)state;
    struct store *s = open_new("persons.db");
    struct case_state *c1 = small_case("gm1", 1, "123456782", "12345678", "kim");
    struct case_state *c2 = small_case("gm1", 2, "123456782", "87654321", "kim");
    struct case_state *c3 = small_case("gm1", 3, "123456782", "12345678", "kim");
    c1->test.done = true;
    c1->test.decided = 19100;
    c2->test.done = true;
    c2->test.decided = 19200;
    c3->test.done = false; /* not done: its date does not count */
    c3->test.decided = 19300;
    SAVE(s, c1, NULL, 0);
    snprintf(c2->person.city, sizeof c2->person.city, "Helmond");
    SAVE(s, c2, NULL, 0);
    SAVE(s, c3, NULL, 0);
    assert_int_equal(c1->person.id, c2->person.id);
    assert_int_equal(c1->employer.id, c3->employer.id);
    assert_true(c1->employer.id != c2->employer.id);

    struct person p;
    assert_int_equal(store_person_by_bsn(s, "gm1", "123456782", &p, &err), 0);
    assert_int_equal(p.id, c1->person.id);
    assert_string_equal(p.city, ""); /* case 3 saved last, without a city */
    assert_int_equal(p.birth, LKS_NO_DATE);
    assert_int_equal(store_person_by_bsn(s, "gm1", "000000000", &p, &err), LKS_ENOTFOUND);
    struct employer w;
    assert_int_equal(store_employer_by_kvk(s, "gm1", "87654321", &w, &err), 0);
    assert_int_equal(w.id, c2->employer.id);
    assert_string_equal(w.name, "Werkgever 87654321");
    assert_int_equal(store_employer_by_kvk(s, "gm1", "00000000", &w, &err), LKS_ENOTFOUND);

    lks_date last = 0;
    assert_int_equal(store_person_last_test(s, "gm1", p.id, 3, &last, &err), 0);
    assert_int_equal(last, 19200);
    assert_int_equal(store_person_last_test(s, "gm1", p.id, 2, &last, &err), 0);
    assert_int_equal(last, 19100);
    assert_int_equal(store_person_last_test(s, "gm2", p.id, 0, &last, &err), 0);
    assert_int_equal(last, LKS_NO_DATE);
    assert_int_equal(store_person_last_test(s, "gm1", p.id + 100, 0, &last, &err), 0);
    assert_int_equal(last, LKS_NO_DATE);

    /* a case refers to a registered person only, and saving a case never changes the
     * person's record: that has its own events */
    struct case_state *n1 = small_case("gm1", 4, "", "", "kim");
    n1->version = 1;
    n1->employer = w;
    struct case_event nev;
    event_for(&nev, n1, EV_AANVRAAG_INGEDIEND);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_case_save(s, n1, &nev, "{}", PART_ALL, NULL, 0, &err), LKS_EINVAL);
    assert_string_equal(err.field, "werknemer");
    store_rollback(s);
    n1->version = 0;
    n1->employer.id = 0;
    snprintf(n1->person.bsn, sizeof n1->person.bsn, "123456782");
    n1->person.id = p.id;
    n1->person.version = p.version;
    snprintf(n1->person.name, sizeof n1->person.name, "Een andere naam");
    SAVE(s, n1, NULL, 0);
    struct case_state *got = calloc(1, sizeof *got);
    assert_int_equal(store_case_get(s, "gm1", 4, got, &err), 0);
    assert_int_equal(got->person.id, p.id);
    assert_string_equal(got->person.name, p.name);
    assert_int_equal(store_case_get(s, "gm1", 1, got, &err), 0);
    assert_string_equal(got->person.name, p.name);
    struct case_state *n2 = NULL;
    store_close(s);
    free(c1);
    free(c2);
    free(c3);
    free(n1);
    free(n2);
    free(got);
}

static void test_backup_and_check(void **state)
{
    (void)state;
    struct store *s = open_new("live.db");
    struct case_state *cs = calloc(1, sizeof *cs), *got = calloc(1, sizeof *got);
    fill_case(cs, "gm1", 12, 7);
    cs->version = 0;
    SAVE(s, cs, NULL, 0);
    int ok = 0;
    assert_int_equal(store_check(s, &ok, &err), 0);
    assert_int_equal(ok, 1);

    char p[512];
    assert_int_equal(store_backup(s, tmp_path(p, sizeof p, "copy.db"), &err), 0);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    /* refused: the file now exists; it is left as it was */
    assert_int_equal(store_backup(s, p, &err), LKS_EINVAL);
    assert_non_null(strstr(err.msg, "copy.db"));
    struct stat st2;
    assert_int_equal(stat(p, &st2), 0);
    assert_int_equal(st2.st_size, st.st_size);
    /* not from inside a transaction (it would copy uncommitted data) */
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_backup(s, tmp_path(p, sizeof p, "tx.db"), &err), LKS_ESTATE);
    store_rollback(s);
    assert_int_equal(access(p, F_OK), -1);
    tmp_path(p, sizeof p, "copy.db");
    /* a directory that does not exist */
    assert_int_equal(store_backup(s, "/nonexistent-dir/x.db", &err), LKS_EIO);

    /* the live store goes on; the copy has the case as it was */
    SAVE(s, cs, NULL, 0);
    store_close(s);
    struct store *c = NULL;
    assert_int_equal(store_open(&c, p, 0, &err), 0);
    assert_int_equal(store_case_get(c, "gm1", 12, got, &err), 0);
    cs->version = 1;
    assert_case_equal(got, cs);
    assert_int_equal(store_check(c, &ok, &err), 0);
    assert_int_equal(ok, 1);
    store_close(c);
    free(cs);
    free(got);
}

/* PostgreSQL: no backup of its own (pg_dump is named), the check sees a row of the
 * wrong tenant and a case whose version is not its last event. */
static void test_pg_backup_and_check(void **state)
{
    (void)state;
    struct store *s = open_new("live.db");
    struct case_state *cs = calloc(1, sizeof *cs);
    fill_case(cs, "gm1", 12, 7);
    cs->version = 0;
    SAVE(s, cs, NULL, 0);
    int ok = 0;
    assert_int_equal(store_check(s, &ok, &err), 0);
    assert_int_equal(ok, 1);
    assert_int_equal(store_backup(s, "/tmp/lks-never.db", &err), LKS_EINVAL);
    assert_non_null(strstr(err.msg, "pg_dump"));
    assert_int_equal(access("/tmp/lks-never.db", F_OK), -1);
    assert_int_equal(sraw_exec(s, "UPDATE payments SET tenant_id='gm2' WHERE idx=0", NULL, 0), 0);
    assert_int_equal(store_check(s, &ok, &err), 0);
    assert_int_equal(ok, 0);
    assert_int_equal(sraw_exec(s, "UPDATE payments SET tenant_id='gm1' WHERE idx=0", NULL, 0), 0);
    assert_int_equal(store_check(s, &ok, &err), 0);
    assert_int_equal(ok, 1);
    assert_int_equal(sraw_exec(s, "UPDATE cases SET version=7 WHERE id=12", NULL, 0), 0);
    assert_int_equal(store_check(s, &ok, &err), 0);
    assert_int_equal(ok, 0);
    /* a foreign key the server keeps: no payment of a case that does not exist */
    assert_int_equal(sraw_exec(s, "INSERT INTO payments VALUES ('gm1', 4242, 0, 1, 2, 3, '')", NULL, 0),
                     -1);
    store_close(s);
    free(cs);
}

static void test_check_detects_dangling(void **state)
{
    (void)state;
    struct store *s = open_new("dangling.db");
    sqlite3 *db = store_sqlite_handle(s);
    /* only possible with the checks off, as a damaged file would be */
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA foreign_keys=OFF;"
                                  "INSERT INTO payments VALUES ('gm1', 4242, 0, 1, 2, 3, '');"
                                  "PRAGMA foreign_keys=ON;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    int ok = 1;
    assert_int_equal(store_check(s, &ok, &err), 0);
    assert_int_equal(ok, 0);
    store_close(s);
}

/* ---- users of a municipality (store_auth.h) ---- */

struct user_names {
    struct auth_user u[8];
    int n;
    int stop_at; /* answer 7 from the callback for this item (from 1), or 0 */
};

static int user_name_cb(void *arg, const struct auth_user *u)
{
    struct user_names *l = arg;
    assert_true(l->n < 8);
    l->u[l->n++] = *u;
    return l->n == l->stop_at ? 7 : 0;
}

static void user_put(struct store *s, const char *tenant, const char *name, enum role role,
                     const char *kvk)
{
    struct auth_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.tenant, sizeof u.tenant, "%s", tenant);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.display, sizeof u.display, "Naam van %s", name);
    snprintf(u.kvk, sizeof u.kvk, "%s", kvk);
    u.role = role;
    u.active = true;
    assert_int_equal(store_user_add(s, &u, "$argon2id$nep", &err), 0);
}

/* A municipality's users by login name, only its own, with every field but the password. */
static void test_user_list(void **state)
{
    (void)state;
    struct store *s = open_new("users.db");
    user_put(s, "gm1", "zeta", ROLE_KLANTMANAGER, "");
    user_put(s, "gm2", "anders", ROLE_BEHEERDER, "");
    user_put(s, "gm1", "alfa", ROLE_WERKGEVER, "12345678");
    user_put(s, "gm1", "alfa.2", ROLE_AUDITOR, "");
    user_put(s, "gm1", "alfa-1", ROLE_AUDITOR, "");
    assert_int_equal(store_user_set_active(s, "zeta", false, &err), 0);

    struct user_names l = {0};
    assert_int_equal(store_user_list(s, "gm1", user_name_cb, &l, &err), 0);
    assert_int_equal(l.n, 4);
    /* bytewise on both engines: '-' (0x2d) before '.' (0x2e) */
    assert_string_equal(l.u[0].name, "alfa");
    assert_string_equal(l.u[1].name, "alfa-1");
    assert_string_equal(l.u[2].name, "alfa.2");
    assert_string_equal(l.u[3].name, "zeta");
    assert_true(l.u[0].active);
    assert_false(l.u[3].active);

    struct user_names other = {0};
    assert_int_equal(store_user_list(s, "gm2", user_name_cb, &other, &err), 0);
    assert_int_equal(other.n, 1);
    assert_string_equal(other.u[0].name, "anders");
    struct user_names none = {0};
    assert_int_equal(store_user_list(s, "gm9", user_name_cb, &none, &err), 0);
    assert_int_equal(none.n, 0);

    /* the callback stops the list and its answer is returned */
    struct user_names two = {.stop_at = 2};
    assert_int_equal(store_user_list(s, "gm1", user_name_cb, &two, &err), 7);
    assert_int_equal(two.n, 2);

    /* every field of a listed user, as store_user_by_name reads it */
    struct auth_user by_name;
    assert_int_equal(store_user_by_name(s, "alfa", &by_name, NULL, 0, NULL, NULL, &err), 0);
    assert_memory_equal(&l.u[0], &by_name, sizeof by_name);
    assert_string_equal(l.u[0].kvk, "12345678");
    assert_string_equal(l.u[0].tenant, "gm1");
    assert_string_equal(l.u[0].display, "Naam van alfa");
    assert_int_equal(l.u[0].role, ROLE_WERKGEVER);
    store_close(s);
}

/* ---- employers: their own record and its events ---- */

static void emp_event(struct employer_event *ev, enum emp_ev_type t, int64_t seq, const char *who)
{
    memset(ev, 0, sizeof *ev);
    ev->type = t;
    ev->seq = seq;
    ev->at = 1700000000 + seq;
    ev->date = 19000 + (lks_date)seq;
    ev->role = t == EMP_IBAN_BEVESTIGD ? ROLE_FINANCIEEL : ROLE_KLANTMANAGER;
    snprintf(ev->actor, sizeof ev->actor, "%s", who);
}

struct emp_seen {
    int n;
    int64_t seq[8];
    char type[8][32];
    char actor[8][CASE_ID];
};

static int emp_seen_cb(void *arg, const struct stored_record_event *e)
{
    struct emp_seen *v = arg;
    if (v->n < 8) {
        v->seq[v->n] = e->seq;
        snprintf(v->type[v->n], sizeof v->type[0], "%s", e->type);
        snprintf(v->actor[v->n], sizeof v->actor[0], "%s", e->actor);
    }
    v->n++;
    return 0;
}

static void test_employer_record(void **state)
{
    (void)state;
    struct store *s = open_new("employer.db");
    struct employer e = {0}, got;
    snprintf(e.kvk, sizeof e.kvk, "12345678");
    snprintf(e.name, sizeof e.name, "Bakkerij Jansen B.V.");
    e.iban_proposed_on = LKS_NO_DATE;
    struct employer_event ev;
    /* only inside a transaction */
    e.version = 1;
    emp_event(&ev, EMP_GEREGISTREERD, 1, "kim");
    assert_int_equal(store_employer_save(s, "gm1", &e, &ev, "{\"naam\":\"x\"}", &err),
                     LKS_EINVAL);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_employer_save(s, "gm1", &e, &ev, "{\"naam\":\"x\"}", &err), 0);
    assert_true(e.id > 0);
    /* a proposal waits in the record */
    e.version = 2;
    snprintf(e.iban_proposed, sizeof e.iban_proposed, "NL91ABNA0417164300");
    snprintf(e.iban_proposed_by, sizeof e.iban_proposed_by, "kim");
    e.iban_proposed_on = 19002;
    emp_event(&ev, EMP_IBAN_VOORGESTELD, 2, "kim");
    assert_int_equal(store_employer_save(s, "gm1", &e, &ev, "{\"iban\":\"NL91ABNA0417164300\"}",
                                         &err),
                     0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_employer_by_kvk(s, "gm1", "12345678", &got, &err), 0);
    assert_int_equal(got.version, 2);
    assert_string_equal(got.iban, "");
    assert_string_equal(got.iban_proposed, "NL91ABNA0417164300");
    assert_string_equal(got.iban_proposed_by, "kim");
    assert_int_equal(got.iban_proposed_on, 19002);
    /* another municipality does not see it */
    assert_int_equal(store_employer_by_kvk(s, "gm2", "12345678", &got, &err), LKS_ENOTFOUND);

    /* a stale writer (version 2 again) changes nothing */
    struct employer stale = e;
    snprintf(stale.iban, sizeof stale.iban, "NL44RABO0123456789");
    emp_event(&ev, EMP_IBAN_BEVESTIGD, 2, "fin");
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_employer_save(s, "gm1", &stale, &ev, "{}", &err), LKS_ESTATE);
    store_rollback(s);
    /* the confirmation by the next version */
    e.version = 3;
    snprintf(e.iban, sizeof e.iban, "NL91ABNA0417164300");
    e.iban_proposed[0] = e.iban_proposed_by[0] = '\0';
    e.iban_proposed_on = LKS_NO_DATE;
    emp_event(&ev, EMP_IBAN_BEVESTIGD, 3, "fin");
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_employer_save(s, "gm1", &e, &ev, "{\"iban\":\"NL91ABNA0417164300\"}",
                                         &err),
                     0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_employer_by_kvk(s, "gm1", "12345678", &got, &err), 0);
    assert_string_equal(got.iban, "NL91ABNA0417164300");
    assert_string_equal(got.iban_proposed, "");
    assert_int_equal(got.iban_proposed_on, LKS_NO_DATE);

    /* the history, oldest first, with who */
    struct emp_seen seen = {0};
    assert_int_equal(store_employer_events(s, "gm1", e.id, emp_seen_cb, &seen, &err), 0);
    assert_int_equal(seen.n, 3);
    assert_string_equal(seen.type[0], "werkgever-geregistreerd");
    assert_string_equal(seen.type[2], "iban-bevestigd");
    assert_string_equal(seen.actor[2], "fin");
    memset(&seen, 0, sizeof seen);
    assert_int_equal(store_employer_events(s, "gm2", e.id, emp_seen_cb, &seen, &err), 0);
    assert_int_equal(seen.n, 0);

    /* the database itself keeps the history: no UPDATE, no DELETE */
    char msg[512];
    assert_int_equal(sraw_exec(s, "UPDATE employer_events SET actor='mallory'", msg, sizeof msg),
                     -1);
    assert_non_null(strstr(msg, "onveranderlijk"));
    assert_int_equal(sraw_exec(s, "DELETE FROM employer_events", msg, sizeof msg), -1);
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM employer_events WHERE actor='mallory'"), 0);

    /* a case refers to a registered employer only */
    struct case_state *cs = small_case("gm1", 5, "123456782", "12345678", "kim");
    cs->version = 1;
    struct case_event cev;
    event_for(&cev, cs, EV_AANVRAAG_INGEDIEND);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_case_save(s, cs, &cev, "{}", PART_ALL, NULL, 0, &err), LKS_EINVAL);
    assert_string_equal(err.field, "werkgever");
    store_rollback(s);
    /* and the case shows the record as it is now */
    cs->employer = got;
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(register_person(s, cs, &err), 0);
    assert_int_equal(store_case_save(s, cs, &cev, "{}", PART_ALL, NULL, 0, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    struct case_state *back = calloc(1, sizeof *back);
    assert_int_equal(store_case_get(s, "gm1", 5, back, &err), 0);
    assert_string_equal(back->employer.iban, "NL91ABNA0417164300");
    assert_int_equal(back->employer.version, 3);
    free(back);
    free(cs);
    store_close(s);
}

/* The deadlines as stored, read back for the case view; a damaged row is refused. */
static void test_case_deadlines_read(void **state)
{
    (void)state;
    struct store *s = open_new("casedl.db");
    struct case_state *cs = small_case("gm1", 4, "123456782", "12345678", "kim");
    struct case_deadline dl[3] = {{DL_BESLISTERMIJN, 100, 156, LKS_NO_DATE, -1},
                                  {DL_RAPPORT, 110, 120, 118, 0},
                                  {DL_SERVICENORM, 130, 144, LKS_NO_DATE, -1}};
    SAVE(s, cs, dl, 3);
    struct case_deadline got[CASE_MAX_DEADLINES];
    int n = -1;
    assert_int_equal(store_case_deadlines(s, "gm1", 4, got, CASE_MAX_DEADLINES, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_memory_equal(got, dl, sizeof dl);
    assert_int_equal(store_case_deadlines(s, "gm2", 4, got, CASE_MAX_DEADLINES, &n, &err), 0);
    assert_int_equal(n, 0); /* another municipality's case has none for the caller */
    assert_int_equal(store_case_deadlines(s, "gm1", 4, got, 2, &n, &err), LKS_EIO);
    /* the latest start of the kinds that depend on the policy */
    lks_date latest = 0;
    unsigned kinds = 1u << DL_RAPPORT | 1u << DL_SERVICENORM | 1u << DL_INFORMATIE;
    assert_int_equal(store_deadlines_latest_start(s, "gm1", kinds, &latest, &err), 0);
    assert_int_equal(latest, 130);
    assert_int_equal(store_deadlines_latest_start(s, "gm1", 1u << DL_RAPPORT, &latest, &err), 0);
    assert_int_equal(latest, 110);
    assert_int_equal(store_deadlines_latest_start(s, "gm9", kinds, &latest, &err), 0);
    assert_int_equal(latest, LKS_NO_DATE);
    /* a row moved or of an unknown kind is not what the store wrote */
    assert_int_equal(sraw_exec(s, "UPDATE deadlines SET kind=99 WHERE pos=1", NULL, 0), 0);
    assert_int_equal(store_case_deadlines(s, "gm1", 4, got, CASE_MAX_DEADLINES, &n, &err), LKS_EIO);
    assert_non_null(strstr(err.msg, "zaak 4"));
    assert_int_equal(sraw_exec(s, "UPDATE deadlines SET kind=1, pos=7 WHERE pos=1", NULL, 0), 0);
    assert_int_equal(store_case_deadlines(s, "gm1", 4, got, CASE_MAX_DEADLINES, &n, &err), LKS_EIO);
    store_close(s);
    free(cs);
}

/* The policy's whole history, as the deadlines use it. */
static void test_policy_timeline_stored(void **state)
{
    (void)state;
    struct store *s = open_new("timeline.db");
    struct policy_timeline *t = malloc(sizeof *t);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_policy_put(s, "gm1", 20000, "rapport-dagen", 20, &err), 0);
    assert_int_equal(store_policy_put(s, "gm1", 19000, "rapport-dagen", 15, &err), 0);
    assert_int_equal(store_policy_put(s, "gm1", 19000, "ondergrens", 3500, &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(store_policy_timeline(s, "gm1", t, &err), 0);
    assert_int_equal(t->n, 3);
    assert_int_equal(policy_timeline_at(t, 18999)->report_days, 10);
    assert_int_equal(policy_timeline_at(t, 19000)->report_days, 15);
    assert_int_equal(policy_timeline_at(t, 19000)->lower_bound, 3500);
    assert_int_equal(policy_timeline_at(t, 20000)->report_days, 20);
    assert_int_equal(policy_timeline_at(t, 20000)->lower_bound, 3500);
    assert_int_equal(store_policy_timeline(s, "gm2", t, &err), 0);
    assert_int_equal(t->n, 1);
    /* a stored row the code does not know is refused with its name */
    assert_int_equal(sraw_exec(s,
                               "INSERT INTO policies(tenant_id,from_date,key,value) "
                               "VALUES('gm1',21000,'geheim',1)",
                               NULL, 0),
                     0);
    assert_int_equal(store_policy_timeline(s, "gm1", t, &err), LKS_EINVAL);
    assert_string_equal(err.field, "geheim");
    free(t);
    store_close(s);
}

/* ---- rule rows ---- */

struct rule_seen {
    int n;
    int64_t id[8], at[8];
    char table[8][16], cells[8][128], source[8][64], user[8][32];
    lks_date from[8];
};

static int rule_cb(void *arg, const struct store_rule_row *r)
{
    struct rule_seen *v = arg;
    assert_true(v->n < 8);
    v->id[v->n] = r->id;
    v->at[v->n] = r->at;
    v->from[v->n] = r->from;
    snprintf(v->table[v->n], sizeof v->table[0], "%s", r->table);
    snprintf(v->cells[v->n], sizeof v->cells[0], "%s", r->cells);
    snprintf(v->source[v->n], sizeof v->source[0], "%s", r->source);
    snprintf(v->user[v->n], sizeof v->user[0], "%s", r->user);
    v->n++;
    return 0;
}

static int64_t rules_version(struct store *s)
{
    int64_t v = -1;
    assert_int_equal(store_rules_version(s, &v, &err), 0);
    return v;
}

/* The engine's calls: append in a transaction, the rows in order, the version, the
 * database refusing a change, a removal and an unknown user. */
static void test_rule_rows(void **state)
{
    (void)state;
    struct store *s = open_new("rules.db");
    user_put(s, AUTH_TENANT_INSTALLATION, "appbeheer", ROLE_APPLICATIEBEHEERDER, "");
    assert_int_equal(rules_version(s), 0);
    struct store_rule_row r = {.table = "wml", .from = date_from_ymd(2026, 7, 1),
                               .cells = "{\"month\":\"2400.00\",\"hour\":\"15.38\",\"full_age\":\"21\"}",
                               .source = "Stcrt. 2099, nr. 1 (testwaarde)", .user = "appbeheer",
                               .at = 1796284800};
    /* only inside a write transaction */
    assert_int_equal(store_rule_add(s, &r, &err), LKS_ESTATE);
    assert_int_equal(store_rule_lock(s, &err), LKS_ESTATE);
    assert_int_equal(rules_version(s), 0);
    OK(store_begin(s, &e_));
    OK(store_rule_lock(s, &e_));
    OK(store_rule_add(s, &r, &e_));
    OK(store_commit(s, &e_));
    int64_t id1 = r.id;
    assert_true(id1 > 0);
    struct store_rule_row r2 = r;
    r2.table = "allowance";
    r2.from = date_from_ymd(2026, 1, 1);
    r2.cells = "{\"percent\":\"24\"}";
    r2.source = "Regeling (testwaarde)";
    OK(store_begin(s, &e_));
    OK(store_rule_add(s, &r2, &e_));
    OK(store_commit(s, &e_));
    assert_true(r2.id > id1);
    assert_int_equal(rules_version(s), 2);

    struct rule_seen v = {0};
    assert_int_equal(store_rule_rows(s, rule_cb, &v, &err), 0);
    assert_int_equal(v.n, 2);
    assert_int_equal(v.id[0], id1);
    assert_string_equal(v.table[0], "wml");
    test_assert_date(v.from[0], "2026-07-01");
    /* the cells come back as written, on both engines */
    assert_string_equal(v.cells[0], "{\"month\":\"2400.00\",\"hour\":\"15.38\",\"full_age\":\"21\"}");
    assert_string_equal(v.source[0], "Stcrt. 2099, nr. 1 (testwaarde)");
    assert_string_equal(v.user[0], "appbeheer");
    assert_int_equal(v.at[0], 1796284800);
    assert_string_equal(v.table[1], "allowance");
    assert_int_equal(v.id[1], r2.id);

    /* the database refuses: an unknown user, an unknown table, cells that are no object,
     * an empty source; a rolled-back row is not counted */
    const struct store_rule_row refused[] = {
        {.table = "wml", .from = 1, .cells = "{}", .source = "x", .user = "niemand", .at = 1},
        {.table = "wml2", .from = 1, .cells = "{}", .source = "x", .user = "appbeheer", .at = 1},
        {.table = "wml", .from = 1, .cells = "[1]", .source = "x", .user = "appbeheer", .at = 1},
        {.table = "wml", .from = 1, .cells = "{}", .source = " ", .user = "appbeheer", .at = 1},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct store_rule_row x = refused[i];
        OK(store_begin(s, &e_));
        if (store_rule_add(s, &x, &err) == 0)
            fail_msg("refused row %zu was stored", i);
        store_rollback(s);
    }
    assert_int_equal(rules_version(s), 2);

    /* append-only, whatever the client */
    char msg[512];
    assert_int_equal(sraw_exec(s, "UPDATE rule_rows SET source='anders'", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "onveranderlijk"));
    assert_int_equal(sraw_exec(s, "DELETE FROM rule_rows", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "onveranderlijk"));
    if (pg)
        assert_int_equal(sraw_exec(s, "TRUNCATE rule_rows", msg, sizeof msg), -1);
    assert_int_equal(rules_version(s), 2);
    assert_int_equal(sraw_int(s, "SELECT count(*) FROM rule_rows WHERE source='anders'"), 0);
    store_close(s);
}

/* Rows through store_rules: checked against the merged tables, refused whole with the
 * column, used by another connection at once, an adder who is no applicatiebeheerder. */
static void test_rules_add_apply(void **state)
{
    (void)state;
    struct store *a = open_new("rules2.db");
    user_put(a, AUTH_TENANT_INSTALLATION, "appbeheer", ROLE_APPLICATIEBEHEERDER, "");
    user_put(a, "gm1", "beheer.gm1", ROLE_BEHEERDER, "");
    char p[512];
    struct store *b = NULL;
    assert_int_equal(store_open(&b, tmp_path(p, sizeof p, "rules2.db"), 0, &err), 0);
    static struct rules base, ra, rb;
    assert_int_equal(rules_load_builtin(&base, &err), 0);

    const struct rules_cell jul[] = {{"month", "2400.00"}, {"hour", "15.38"}, {"full_age", "21"}};
    const struct rules_cell bad[] = {{"month", "veel"}, {"hour", "15.38"}, {"full_age", "21"}};
    struct rules_row_in in = {.table = "wml", .from = date_from_ymd(2026, 7, 1), .cells = bad,
                              .ncells = 3, .source = "Stcrt. 2099, nr. 1 (testwaarde)",
                              .user = "appbeheer"};
    assert_int_equal(store_rules_add(a, &base, &in, &ra, &err), LKS_EINVAL);
    assert_string_equal(err.field, "waarden.month");
    assert_int_equal(rules_version(a), 0);
    in.user = "beheer.gm1"; /* a municipality's beheerder may not */
    in.cells = jul;
    assert_int_equal(store_rules_add(a, &base, &in, &ra, &err), LKS_EINVAL);
    assert_string_equal(err.field, "gebruiker");
    in.user = "niemand";
    assert_int_equal(store_rules_add(a, &base, &in, &ra, &err), LKS_EINVAL);
    assert_string_equal(err.field, "gebruiker");
    assert_int_equal(rules_version(a), 0);

    in.user = "appbeheer";
    assert_int_equal(store_rules_add(a, &base, &in, &ra, &err), 0);
    assert_true(in.id > 0);
    assert_true(in.at > 1700000000);
    test_assert_date(ra.until, "2026-12-31");
    const struct rules_origin *o = rules_row_origin(&ra, RULES_WML, ra.n_wml - 1);
    assert_int_equal(o->from, RULES_FROM_STORE);
    assert_int_equal(ra.origin.stored[o->stored].id, in.id);
    assert_string_equal(ra.origin.stored[o->stored].user, "appbeheer");

    /* the other connection: the version changed, and its rules have the row */
    assert_int_equal(rules_version(b), 1);
    rb = base;
    assert_int_equal(store_rules_apply(b, &rb, &err), 0);
    assert_int_equal(rb.n_wml, base.n_wml + 1);
    assert_int_equal(rb.wml[rb.n_wml - 1].month, 240000);
    assert_int_equal(rb.origin.stored[0].id, in.id);
    assert_int_equal(rb.origin.stored[0].at, in.at);

    /* the next half-year through b is checked against a's row (else a gap) */
    const struct rules_cell jan[] = {{"month", "2450.00"}, {"hour", "15.70"}, {"full_age", "21"}};
    struct rules_row_in next = {.table = "wml", .from = date_from_ymd(2027, 1, 1), .cells = jan,
                                .ncells = 3, .source = "Stcrt. 2099, nr. 2 (testwaarde)",
                                .user = "appbeheer"};
    assert_int_equal(store_rules_add(b, &base, &next, &rb, &err), 0);
    test_assert_date(rb.until, "2027-06-30");
    /* a row that skips a half-year is refused whole */
    struct rules_row_in gap = next;
    gap.from = date_from_ymd(2028, 1, 1);
    assert_int_equal(store_rules_add(a, &base, &gap, &ra, &err), LKS_EINVAL);
    assert_string_equal(err.field, "vanaf");
    assert_int_equal(rules_version(a), 2);

    /* a correction: a later row with the same date replaces the earlier one */
    const struct rules_cell fix[] = {{"month", "2401.00"}, {"hour", "15.38"}, {"full_age", "21"}};
    struct rules_row_in corr = in;
    corr.cells = fix;
    assert_int_equal(store_rules_add(a, &base, &corr, &ra, &err), 0);
    ra = base;
    assert_int_equal(store_rules_apply(a, &ra, &err), 0);
    assert_int_equal(ra.n_wml, base.n_wml + 2);
    assert_int_equal(ra.wml[ra.n_wml - 2].month, 240100);
    assert_int_equal(ra.origin.n_stored, 3);

    /* a stored row the tables refuse (written past the checks) is named when applied */
    assert_int_equal(sraw_exec(a,
                               "INSERT INTO rule_rows(rule_table,from_date,cells,source,added_by,"
                               "added_at) VALUES('allowance',20454,'{\"percent\":\"veel\"}','x',"
                               "'appbeheer',1)",
                               NULL, 0),
                     0);
    rb = base;
    assert_int_equal(store_rules_apply(b, &rb, &err), LKS_EINVAL);
    assert_non_null(strstr(err.msg, "in de opslag (tabel allowance vanaf 2026-01-01)"));
    assert_non_null(strstr(err.msg, "percent"));
    assert_memory_equal(&rb, &base, sizeof base);
    store_close(b);
    store_close(a);
}

/* ---- the work list ---- */

struct wl_seen {
    int n;
    int64_t id[16];
    enum dl_kind kind[16];
    lks_date due[16];
    int64_t total;
};

static int collect_wl(void *arg, const struct worklist_row *r)
{
    struct wl_seen *v = arg;
    if (v->n < 16) {
        v->id[v->n] = r->c.id;
        v->kind[v->n] = r->next_kind;
        v->due[v->n] = r->c.next_due;
    }
    v->n++;
    v->total = r->total;
    return 0;
}

static struct wl_seen worklist(struct store *s, const char *tenant, struct worklist_filter f)
{
    struct wl_seen v = {0};
    if (f.limit == 0)
        f.limit = 100;
    int rc = store_worklist(s, tenant, &f, collect_wl, &v, &err);
    if (rc)
        fail_msg("worklist: %d %s: %s", rc, err.field, err.msg);
    return v;
}

static void test_worklist(void **state)
{
    (void)state;
    struct store *s = open_new("worklist.db");
    struct case_state *c1 = small_case("gm1", 1, "100000001", "10000001", "kim");
    struct case_state *c2 = small_case("gm1", 2, "100000002", "10000002", "kim");
    struct case_state *c3 = small_case("gm1", 3, "100000003", "10000001", "bo");
    struct case_state *c4 = small_case("gm1", 4, "100000004", "10000001", "kim");
    struct case_state *c5 = small_case("gm2", 5, "100000005", "10000001", "kim");
    snprintf(c2->person.name, sizeof c2->person.name, "Anna 100%% de_Vries");
    c3->status = ST_LOPEND;
    /* c1: the servicenorm (150) before the beslistermijn (200); the report is done */
    struct case_deadline d1[3] = {{DL_BESLISTERMIJN, 100, 200, LKS_NO_DATE, -1},
                                  {DL_RAPPORT, 100, 120, 119, 0},
                                  {DL_SERVICENORM, 100, 150, LKS_NO_DATE, -1}};
    /* c2: two open on the same day: the first by position */
    struct case_deadline d2[2] = {{DL_INFORMATIE, 100, 140, LKS_NO_DATE, -1},
                                  {DL_BESLISTERMIJN, 100, 140, LKS_NO_DATE, -1}};
    struct case_deadline d3[1] = {{DL_HERBEOORDELING, 100, 400, LKS_NO_DATE, 0}};
    struct case_deadline d4[1] = {{DL_BEZWAARTERMIJN, 100, 130, 130, 0}}; /* nothing open */
    struct case_deadline d5[1] = {{DL_BESLISTERMIJN, 100, 110, LKS_NO_DATE, -1}};
    SAVE(s, c1, d1, 3);
    SAVE(s, c2, d2, 2);
    SAVE(s, c3, d3, 1);
    SAVE(s, c4, d4, 1);
    SAVE(s, c5, d5, 1);

    /* open tasks of one municipality, the most urgent first */
    struct wl_seen v = worklist(s, "gm1", (struct worklist_filter){.status = -1});
    assert_int_equal(v.n, 3);
    assert_int_equal(v.total, 3);
    int64_t want[3] = {2, 1, 3};
    enum dl_kind kinds[3] = {DL_INFORMATIE, DL_SERVICENORM, DL_HERBEOORDELING};
    lks_date dues[3] = {140, 150, 400};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(v.id[i], want[i]);
        assert_int_equal(v.kind[i], kinds[i]);
        assert_int_equal(v.due[i], dues[i]);
    }
    /* all: the case without an open deadline last */
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .all = true});
    assert_int_equal(v.n, 4);
    assert_int_equal(v.id[3], 4);
    assert_int_equal(v.due[3], LKS_NO_DATE);
    /* a page: offset and limit, the total of the whole list */
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .offset = 1, .limit = 1});
    assert_int_equal(v.n, 1);
    assert_int_equal(v.id[0], 1);
    assert_int_equal(v.total, 3);
    /* filters */
    v = worklist(s, "gm1", (struct worklist_filter){.status = ST_LOPEND});
    assert_int_equal(v.n, 1);
    assert_int_equal(v.id[0], 3);
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .case_worker = "kim"});
    assert_int_equal(v.n, 2);
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .employer_kvk = "10000002"});
    assert_int_equal(v.n, 1);
    assert_int_equal(v.id[0], 2);
    /* search: a part of a name in any case, a KvK or case number exactly; % and _ are
     * letters, not wildcards */
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .text = "ANNA"});
    assert_int_equal(v.n, 1);
    assert_int_equal(v.id[0], 2);
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .text = "100%"});
    assert_int_equal(v.n, 1);
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .text = "%"});
    assert_int_equal(v.n, 1);
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .text = "e_V"});
    assert_int_equal(v.n, 1);
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .text = "Persoon_"});
    assert_int_equal(v.n, 0);
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .text = "3"});
    assert_int_equal(v.n, 1);
    assert_int_equal(v.id[0], 3);
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .text = "10000001"});
    assert_int_equal(v.n, 2);
    /* another municipality's case is never in the list, not even by its number */
    v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .text = "5", .all = true});
    assert_int_equal(v.n, 0);
    v = worklist(s, "gm2", (struct worklist_filter){.status = -1});
    assert_int_equal(v.n, 1);
    assert_int_equal(v.id[0], 5);
    /* bad filters name their field */
    struct wl_seen none = {0};
    struct worklist_filter bad = {.status = -1, .limit = 0};
    assert_int_equal(store_worklist(s, "gm1", &bad, collect_wl, &none, &err), LKS_EINVAL);
    assert_string_equal(err.field, "limit");
    bad = (struct worklist_filter){.status = ST_COUNT, .limit = 5};
    assert_int_equal(store_worklist(s, "gm1", &bad, collect_wl, &none, &err), LKS_EINVAL);
    assert_string_equal(err.field, "status");
    store_close(s);
    free(c1);
    free(c2);
    free(c3);
    free(c4);
    free(c5);
}

/* ---- the case row's next deadline (migration 11) ---- */

static void assert_next(struct store *s, int64_t id, bool has, enum dl_kind kind, lks_date due)
{
    bool h = !has;
    struct case_deadline d;
    if (store_case_next(s, "gm1", id, &h, &d, &err))
        fail_msg("case_next %lld: %s", (long long)id, err.msg);
    assert_int_equal(h, has);
    if (has) {
        assert_int_equal(d.kind, kind);
        assert_int_equal(d.due, due);
    }
}

/* The row follows every save of the deadlines, in its transaction; the work list pages
 * by it, whichever filters (the four statement variants); a rolled back save leaves it. */
static void test_worklist_next_on_row(void **state)
{
    (void)state;
    struct store *s = open_new("next.db");
    struct case_state *c1 = small_case("gm1", 1, "100000001", "10000001", "kim");
    struct case_state *c2 = small_case("gm1", 2, "100000002", "10000001", "kim");
    struct case_deadline d[3] = {{DL_BESLISTERMIJN, 100, 200, LKS_NO_DATE, -1},
                                 {DL_RAPPORT, 100, 150, LKS_NO_DATE, 0},
                                 {DL_SERVICENORM, 100, 150, LKS_NO_DATE, -1}};
    SAVE(s, c1, d, 3);
    assert_next(s, 1, true, DL_RAPPORT, 150); /* two on the 150th: the first by position */
    struct case_deadline none[1] = {{DL_BEZWAARTERMIJN, 100, 90, 90, 0}};
    SAVE(s, c2, none, 1);
    assert_next(s, 2, false, 0, 0);
    /* the report done: the servicenorm is next; then everything done */
    d[1].done = 149;
    SAVE(s, c1, d, 3);
    assert_next(s, 1, true, DL_SERVICENORM, 150);
    d[0].done = d[2].done = 160;
    SAVE(s, c1, d, 3);
    assert_next(s, 1, false, 0, 0);
    /* open again, fewer rows (a trim) */
    d[0].done = LKS_NO_DATE;
    SAVE(s, c1, d, 1);
    assert_next(s, 1, true, DL_BESLISTERMIJN, 200);
    /* a new deadline in a transaction rolled back: the row keeps what was committed */
    struct case_deadline later[2] = {d[0], {DL_INFORMATIE, 100, 120, LKS_NO_DATE, -1}};
    c1->version++;
    struct case_event ev;
    event_for(&ev, c1, EV_KOSTEN_GEBOEKT);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_case_save(s, c1, &ev, "{}", PART_ALL, later, 2, &err), 0);
    store_rollback(s);
    c1->version--;
    assert_next(s, 1, true, DL_BESLISTERMIJN, 200);
    SAVE(s, c1, later, 2);
    assert_next(s, 1, true, DL_INFORMATIE, 120);
    /* the work list by the row, each statement variant */
    c2->status = ST_LOPEND;
    struct case_deadline d2[1] = {{DL_HERBEOORDELING, 100, 110, LKS_NO_DATE, 0}};
    SAVE(s, c2, d2, 1);
    struct worklist_filter fs[4] = {{.status = -1},
                                    {.status = ST_LOPEND},
                                    {.status = -1, .case_worker = "kim"},
                                    {.status = ST_LOPEND, .case_worker = "kim"}};
    int64_t first[4] = {2, 2, 2, 2}, count[4] = {2, 1, 2, 1};
    for (int i = 0; i < 4; i++) {
        struct wl_seen v = worklist(s, "gm1", fs[i]);
        assert_int_equal(v.n, count[i]);
        assert_int_equal(v.total, count[i]);
        assert_int_equal(v.id[0], first[i]);
        assert_int_equal(v.due[0], 110);
        assert_int_equal(v.kind[0], DL_HERBEOORDELING);
    }
    struct wl_seen v = worklist(s, "gm1", (struct worklist_filter){.status = -1, .offset = 1});
    assert_int_equal(v.n, 1);
    assert_int_equal(v.id[0], 1);
    assert_int_equal(v.due[0], 120);
    assert_int_equal(v.total, 2);
    /* another municipality's case is not found by its number */
    bool h;
    struct case_deadline x;
    assert_int_equal(store_case_next(s, "gm2", 1, &h, &x, &err), LKS_ENOTFOUND);
    store_close(s);
    free(c1);
    free(c2);
}

/* ---- an older store's persons taken over with their own history (migration 7) ---- */

extern const char *const *const store_schema_migrations[];
extern const int store_schema_nmigrations;

static int takeover_cb(void *arg, const struct stored_record_event *se)
{
    struct person *p = arg;
    assert_string_equal(se->type, "persoon-overgenomen");
    assert_int_equal(se->seq, p->version + 1);
    json_error_t je;
    json_t *data = json_loads(se->data, 0, &je);
    assert_non_null(data);
    struct person_event ev = {.type = PER_OVERGENOMEN, .seq = se->seq};
    ev.data.birth = LKS_NO_DATE;
    ev.data.benefit_start = LKS_NO_DATE;
    struct lks_errlist errs = {0};
    int rc = codec_person_event_parse(data, CODEC_STORED, &ev, &errs);
    json_decref(data);
    if (rc)
        fail_msg("stored event %s: %s %s", se->data, errs.e[0].field, errs.e[0].msg);
    struct lks_err e = {0};
    assert_int_equal(person_apply(p, &ev, &e), 0);
    return 0;
}

static char *render_person(const struct person *p)
{
    struct jw w;
    jw_init(&w, 1 << 16, false);
    codec_person(&w, p);
    assert_false(jw_failed(&w));
    return w.buf;
}

static void test_person_takeover(void **state)
{
    (void)state;
    /* a store of schema 6, made by its own migrations, with persons of every kind */
    char p[512];
    FILE *f = fopen(tmp_path(p, sizeof p, "v6.db"), "w");
    assert_non_null(f);
    fclose(f);
    sqlite3 *raw = raw_open("v6.db");
    assert_int_equal(sqlite3_exec(raw, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                                       " applied INTEGER NOT NULL) STRICT",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    for (int v = 1; v <= 6; v++) {
        for (const char *const *m = store_schema_migrations[v - 1]; *m; m++)
            if (sqlite3_exec(raw, *m, NULL, NULL, NULL) != SQLITE_OK)
                fail_msg("migration %d: %s", v, sqlite3_errmsg(raw));
        char ins[96];
        snprintf(ins, sizeof ins, "INSERT INTO schema_version VALUES(%d, 0)", v);
        assert_int_equal(sqlite3_exec(raw, ins, NULL, NULL, NULL), SQLITE_OK);
    }
    int n = 0;
    for (int sex = 0; sex <= 2; sex++)
        for (int hh = 0; hh <= 2; hh++)
            for (int ben = 0; ben <= 4; ben++, n++) {
                char sql[512]; /* the row is taken over as it is, BSN and all */
                snprintf(sql, sizeof sql,
                         "INSERT INTO persons(tenant_id,bsn,name,birth,sex,address,postcode,city,"
                         "household,benefit,benefit_start,wsw) VALUES('gm1','%09d','Naam ''%d'' é',"
                         "%s,%d,'Straat %d','5701 AB','Helmond',%d,%d,%s,%d)",
                         100000000 + n, n, n % 2 ? "NULL" : "7000", sex, n, hh, ben,
                         n % 3 ? "19000" : "NULL", n % 2);
                if (sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK)
                    fail_msg("insert: %s", sqlite3_errmsg(raw));
            }
    sqlite3_close(raw);
    /* opening it upgrades it; every person's record is what its one event gives */
    struct store *s = NULL;
    assert_int_equal(store_open(&s, p, STORE_CREATE, &err), 0);
    int v = 0;
    assert_int_equal(store_schema_version(s, &v, &err), 0);
    assert_int_equal(v, store_schema_nmigrations); /* 7 and every later one */
    for (int id = 1; id <= n; id++) {
        struct person stored, rebuilt = {.id = id};
        assert_int_equal(store_person_by_id(s, "gm1", id, &stored, &err), 0);
        assert_int_equal(stored.version, 1);
        assert_int_equal(store_person_events(s, "gm1", id, takeover_cb, &rebuilt, &err), 0);
        char *a = render_person(&stored), *b = render_person(&rebuilt);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_create_migrate),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_pragmas),
        cmocka_unit_test(test_schema_newer_refused),
        cmocka_unit_test(test_schema_older_refused),
        cmocka_unit_test(test_strict_tables),
        cmocka_unit_test(test_events_append_only),
        cmocka_unit_test(test_events_read),
        cmocka_unit_test(test_tenants),
        cmocka_unit_test(test_generation),
        cmocka_unit_test(test_policy_effective_dated),
        cmocka_unit_test(test_round_trip_every_field),
        cmocka_unit_test(test_save_replaces_children),
        cmocka_unit_test(test_tenant_scoping),
        cmocka_unit_test(test_conflict_and_rollback),
        cmocka_unit_test(test_new_id),
        cmocka_unit_test(test_callbacks_reenter),
        cmocka_unit_test(test_case_list),
        cmocka_unit_test(test_deadlines_open),
        cmocka_unit_test(test_worklist),
        cmocka_unit_test(test_worklist_next_on_row),
        cmocka_unit_test(test_persons_employers),
        cmocka_unit_test(test_employer_record),
        cmocka_unit_test(test_person_takeover),
        cmocka_unit_test(test_case_deadlines_read),
        cmocka_unit_test(test_policy_timeline_stored),
        cmocka_unit_test(test_user_list),
        cmocka_unit_test(test_rule_rows),
        cmocka_unit_test(test_rules_add_apply),
        cmocka_unit_test(test_backup_and_check),
        cmocka_unit_test(test_check_detects_dangling),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, setup, teardown);
    pg_base = getenv("LKS_TEST_PG_URL");
    if (!pg_base || !*pg_base)
        return failed;
    /* The same behaviour on PostgreSQL, with its own forms of the engine-specific checks. */
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(test_open_create_migrate),
        cmocka_unit_test(test_pg_open_errors),
        cmocka_unit_test(test_schema_newer_refused),
        cmocka_unit_test(test_schema_older_refused),
        cmocka_unit_test(test_events_append_only),
        cmocka_unit_test(test_events_read),
        cmocka_unit_test(test_tenants),
        cmocka_unit_test(test_pg_generation),
        cmocka_unit_test(test_policy_effective_dated),
        cmocka_unit_test(test_round_trip_every_field),
        cmocka_unit_test(test_save_replaces_children),
        cmocka_unit_test(test_tenant_scoping),
        cmocka_unit_test(test_conflict_and_rollback),
        cmocka_unit_test(test_new_id),
        cmocka_unit_test(test_callbacks_reenter),
        cmocka_unit_test(test_case_list),
        cmocka_unit_test(test_deadlines_open),
        cmocka_unit_test(test_worklist),
        cmocka_unit_test(test_worklist_next_on_row),
        cmocka_unit_test(test_persons_employers),
        cmocka_unit_test(test_employer_record),
        cmocka_unit_test(test_case_deadlines_read),
        cmocka_unit_test(test_policy_timeline_stored),
        cmocka_unit_test(test_user_list),
        cmocka_unit_test(test_rule_rows),
        cmocka_unit_test(test_rules_add_apply),
        cmocka_unit_test(test_pg_backup_and_check),
    };
    return failed + cmocka_run_group_tests_name("postgresql", pg_tests, pg_setup, pg_teardown);
}

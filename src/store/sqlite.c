/*
 * sqlite — the SQLite engine behind store.h (one file, WAL, embedded).
 *
 * What it is for: every read and write of lks data when the store url is a
 * path or "sqlite:PATH". The schema and its migrations are in schema.c.
 *
 * Ownership: struct sq_store owns the connection, the cached prepared
 * statements (prepared on first use, reset after each use and kept until
 * store_close) and a JSON buffer for the list of missing documents. Callers
 * own every struct they pass; strings are copied in and out, and the pointers
 * handed to callbacks (stored_event, deadline_row) are valid only during that
 * callback. One struct sq_store belongs to one thread at a time (the connection
 * is opened without SQLite's mutex). A callback may call other store
 * functions, even the one iterating: a statement still running is then
 * prepared afresh for the inner call instead of being reused.
 *
 * How it fails: every SQLite error becomes an lks_err with a Dutch message
 * plus SQLite's own text (LKS_EIO); a refused constraint (a sequence number
 * that already exists, a case changed meanwhile) is LKS_ESTATE; another
 * tenant's object is LKS_ENOTFOUND. Nothing aborts. A failed write leaves the
 * caller's transaction open for store_rollback, so nothing is half-written.
 * A database with a schema older than this code is refused until migrated,
 * one newer than this code is refused outright (LKS_ESTATE).
 *
 * Durability: journal_mode=WAL with synchronous=FULL, so a commit that
 * returned is on disk; busy_timeout 5 s so concurrent writers queue instead of
 * failing at once. New files are created 0600: they hold personal data (BSN).
 */
#include "store/store.h"
#include "store/sqlite_private.h"
#include "store/stmt.h"
#include "store/store_engine.h"
#include "store/rows.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/jw.h"
#include "case/employer.h"
#include "case/person.h"

/* Defined in schema.c (private to this engine, hence no header). */
extern const char *const *const store_schema_migrations[];
extern const int store_schema_nmigrations;

#define BUSY_TIMEOUT_MS 5000

/* Callers pass an lks_err; a NULL one must still not crash the error path. */
#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

/* ---- column lists: one place per table, used to build both writes and reads ---- */

/* (PERSON_FIELDS, CASE_FIELDS, the child tables: store/rows.h) */

/* ---- the statements, prepared once per store ---- */

enum {
    Q_BEGIN,
    Q_BEGIN_READ,
    Q_DATA_VERSION,
    Q_COMMIT,
    Q_ROLLBACK,
    Q_TENANT_PUT,
    Q_TENANT_GET,
    Q_TENANT_LIST,
    Q_TENANT_LINK,
    Q_POLICY_PUT,
    Q_POLICY_ROWS,
    Q_PERSON_BY_BSN,
    Q_EMPLOYER_BY_KVK,
    Q_PERSON_LAST_TEST,
    Q_NEW_ID,
    Q_PERSON_INSERT,
    Q_PERSON_WRITE,
    Q_PERSON_EVENT_INSERT,
    Q_PERSON_EVENTS,
    Q_PERSON_BY_ID,
    Q_PERSON_LIST,
    Q_EMPLOYER_INSERT,
    Q_EMPLOYER_WRITE,
    Q_EMPLOYER_EVENT_INSERT,
    Q_EMPLOYER_EVENTS,
    Q_DL_LATEST_START,
    Q_CASE_UPSERT,
    Q_CASE_OWNER,
    Q_EVENT_INSERT,
    Q_CASE_GET,
    Q_MISSING,
    Q_CASE_EXISTS,
    Q_EVENTS,
    Q_CASE_IDS,
    Q_DL_OPEN_ALL,
    Q_DL_OPEN_TENANT,
    Q_DL_ON_ALL,
    Q_DL_ON_TENANT,
    Q_DL_DELETE,
    Q_DL_INSERT,
    Q_DL_CASE,
    Q_DL_OF_CASE,
    Q_DL_TRIM,
    Q_CASE_NEXT,
    Q_CASE_UPDATE,
    Q_CASE_UPDATE_LITE,
    Q_PERSON_CASES,
    Q_EMPLOYER_LIST,
    Q_CHILD_DELETE, /* + enum child */
    Q_CHILD_INSERT = Q_CHILD_DELETE + NCHILD,
    Q_CHILD_SELECT = Q_CHILD_INSERT + NCHILD,
    Q_LIST = Q_CHILD_SELECT + NCHILD, /* + filter mask (LIST_*) */
    Q_PAY_CASES = Q_LIST + 8,         /* store_pay_cases: the case rows of a tenant */
    Q_PAY_CHILD,                      /* + enum child: the child rows of a tenant */
    Q_COUNT = Q_PAY_CHILD + NCHILD
};

#define LIST_STATUS   1
#define LIST_WORKER   2
#define LIST_EMPLOYER 4

/* Slots for the statements of the other files (letters, pay, rules, ...): each prepared
 * once per connection; more texts than this are prepared per use. */
#define SQ_EXTRA 128

struct sq_store {
    sqlite3 *db;
    char *path;
    int schema; /* version found at open or after store_migrate */
    sqlite3_stmt *q[Q_COUNT];
    struct jw jw; /* reused for the JSON of cases.missing */
    /* statements of the engine's other files (store_sqlite_cached), by SQL address */
    const char *extra_sql[SQ_EXTRA];
    sqlite3_stmt *extra[SQ_EXTRA];
    /* the WAL index in shared memory, once mapped (sq_generation) */
    const volatile uint32_t *walidx;
};

/* ---- SQL text ---- */

/* A bounded string builder; SQL that would not fit is a programming error
 * reported as such, never a truncated statement. */
struct sb {
    char buf[8192];
    size_t len;
    bool over;
};

static void sb_add(struct sb *b, const char *s)
{
    size_t n = strlen(s);
    if (b->over || b->len + n >= sizeof b->buf) {
        b->over = true;
        return;
    }
    memcpy(b->buf + b->len, s, n + 1);
    b->len += n;
}

static void sb_addn(struct sb *b, const char *s, size_t n)
{
    if (b->over || b->len + n >= sizeof b->buf) {
        b->over = true;
        return;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

/* Each column of a comma list written through fmt-like parts: pre col mid col post. */
static void sb_each(struct sb *b, const char *cols, const char *pre, const char *mid,
                    const char *post, const char *skip)
{
    bool first = true;
    for (const char *p = cols; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool skipped = false;
        if (skip) {
            /* skip is a comma list too; compare whole names */
            for (const char *k = skip; *k;) {
                const char *ke = strchr(k, ',');
                size_t kn = ke ? (size_t)(ke - k) : strlen(k);
                if (kn == n && memcmp(k, p, n) == 0)
                    skipped = true;
                k += kn + (ke ? 1 : 0);
            }
        }
        if (!skipped) {
            if (!first)
                sb_add(b, ",");
            first = false;
            sb_add(b, pre);
            sb_addn(b, p, n);
            if (mid) {
                sb_add(b, mid);
                sb_addn(b, p, n);
            }
            sb_add(b, post);
        }
        p += n + (e ? 1 : 0);
    }
}

/* "?from,…,?to" */
static void sb_params(struct sb *b, int from, int to)
{
    char num[16];
    for (int i = from; i <= to; i++) {
        snprintf(num, sizeof num, "%s?%d", i > from ? "," : "", i);
        sb_add(b, num);
    }
}

/* INSERT INTO t(cols) VALUES(…) ON CONFLICT(conflict) DO UPDATE SET c = excluded.c, …
 * for every column not in `keep`. */
static void sb_upsert(struct sb *b, const char *table, const char *cols, const char *conflict,
                      const char *keep)
{
    sb_add(b, "INSERT INTO ");
    sb_add(b, table);
    sb_add(b, "(");
    sb_add(b, cols);
    sb_add(b, ") VALUES(");
    sb_params(b, 1, rows_ncols(cols));
    sb_add(b, ") ON CONFLICT(");
    sb_add(b, conflict);
    sb_add(b, ") DO UPDATE SET ");
    sb_each(b, cols, "", "=excluded.", "", keep);
}

#define DL_COLS    "tenant_id,case_id,kind,start,due,done,idx"
#define DL_ORDER   "due,case_id,kind,idx"
#define DL_ORDER_N "5,2,3,7" /* the same by position, as a compound SELECT needs */
#define DL_STARTED "(start IS NULL OR start<=?2)"

static const char *const fixed_sql[] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_BEGIN_READ] = "BEGIN",
    [Q_DATA_VERSION] = "PRAGMA data_version",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_TENANT_PUT] = "INSERT INTO tenants(code,name,kind) VALUES(?1,?2,?3) "
                     "ON CONFLICT(code) DO UPDATE SET name=excluded.name,kind=excluded.kind",
    [Q_TENANT_GET] = "SELECT code,name,kind FROM tenants WHERE code=?1",
    [Q_TENANT_LIST] = "SELECT code,name,kind FROM tenants ORDER BY code",
    [Q_TENANT_LINK] = "INSERT INTO tenant_links(servicepunt,gemeente) VALUES(?1,?2) "
                      "ON CONFLICT DO NOTHING",
    [Q_POLICY_PUT] = "INSERT INTO policies(tenant_id,from_date,key,value) VALUES(?1,?2,?3,?4) "
                     "ON CONFLICT(tenant_id,from_date,key) DO UPDATE SET value=excluded.value",
    [Q_POLICY_ROWS] = "SELECT from_date,key,value FROM policies WHERE tenant_id=?1 "
                      "ORDER BY from_date,key",
    [Q_EMPLOYER_EVENT_INSERT] = "INSERT INTO employer_events(tenant_id,employer_id,seq,type,at,"
                                "date,actor,role,case_id,data) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,"
                                "?10)",
    [Q_EMPLOYER_EVENTS] = "SELECT employer_id,seq,type,at,date,actor,role,case_id,data FROM "
                          "employer_events WHERE tenant_id=?1 AND employer_id=?2 ORDER BY seq",
    [Q_PERSON_EVENT_INSERT] = "INSERT INTO person_events(tenant_id,person_id,seq,type,at,date,"
                              "actor,role,case_id,data) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    [Q_PERSON_EVENTS] = "SELECT person_id,seq,type,at,date,actor,role,case_id,data FROM "
                        "person_events WHERE tenant_id=?1 AND person_id=?2 ORDER BY seq",
    [Q_PERSON_BY_ID] = "SELECT id," PERSON_FIELDS " FROM persons WHERE tenant_id=?1 AND id=?2",
    [Q_PERSON_LIST] = "SELECT id," PERSON_FIELDS " FROM persons WHERE tenant_id=?1 ORDER BY id",
    /* kinds: a bit mask of enum dl_kind */
    [Q_DL_LATEST_START] = "SELECT max(start) FROM deadlines WHERE tenant_id=?1 AND "
                          "((?2 >> kind) & 1) = 1",
    [Q_PERSON_BY_BSN] = "SELECT id," PERSON_FIELDS " FROM persons WHERE tenant_id=?1 AND bsn=?2",
    [Q_EMPLOYER_BY_KVK] =
        "SELECT id," EMPLOYER_FIELDS " FROM employers WHERE tenant_id=?1 AND kvk=?2",
    [Q_PERSON_LAST_TEST] = "SELECT max(test_decided) FROM cases WHERE tenant_id=?1 AND "
                           "person_id=?2 AND id<>?3 AND test_done=1",
    /* Never below an id already in use, even if rows were imported around the counter. */
    [Q_NEW_ID] = "UPDATE counters SET value=max(value,(SELECT coalesce(max(id),0) FROM cases))+1 "
                 "WHERE name='case' RETURNING value",
    [Q_CASE_OWNER] = "SELECT tenant_id,version FROM cases WHERE id=?1",
    [Q_EVENT_INSERT] = "INSERT INTO events(tenant_id,case_id,seq,type,at,date,actor,role,data) "
                       "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [Q_MISSING] = "SELECT value,type FROM json_each(?1) ORDER BY key",
    [Q_CASE_EXISTS] = "SELECT 1 FROM cases WHERE id=?1 AND tenant_id=?2",
    [Q_EVENTS] = "SELECT case_id,seq,type,at,date,actor,role,data FROM events "
                 "WHERE tenant_id=?1 AND case_id=?2 ORDER BY seq",
    [Q_CASE_IDS] = "SELECT tenant_id,id FROM cases WHERE ?1 IS NULL OR tenant_id=?1 ORDER BY id",
    [Q_DL_OPEN_ALL] = "SELECT " DL_COLS " FROM deadlines WHERE done IS NULL ORDER BY " DL_ORDER,
    [Q_DL_OPEN_TENANT] = "SELECT " DL_COLS " FROM deadlines WHERE tenant_id=?1 AND done IS NULL "
                         "ORDER BY " DL_ORDER,
    /* Open on a day: not done yet, or done later; two halves so that each can
     * use its partial index (deadlines_open, deadlines_done). */
    [Q_DL_ON_ALL] = "SELECT " DL_COLS " FROM deadlines WHERE done IS NULL AND " DL_STARTED
                    " UNION ALL SELECT " DL_COLS " FROM deadlines WHERE done>?2 AND " DL_STARTED
                    " ORDER BY " DL_ORDER_N,
    [Q_DL_ON_TENANT] = "SELECT " DL_COLS " FROM deadlines WHERE tenant_id=?1 AND done IS NULL "
                       "AND " DL_STARTED " UNION ALL SELECT " DL_COLS " FROM deadlines "
                       "WHERE tenant_id=?1 AND done>?2 AND " DL_STARTED " ORDER BY " DL_ORDER_N,
    [Q_DL_DELETE] = "DELETE FROM deadlines WHERE case_id=?1",
    [Q_DL_INSERT] = "INSERT OR REPLACE INTO deadlines(tenant_id,case_id," DEADLINE_FIELDS
                    ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    [Q_PERSON_CASES] =
        "SELECT id,status FROM cases WHERE tenant_id=?1 AND person_id=?2 ORDER BY id",
    [Q_EMPLOYER_LIST] =
        "SELECT id," EMPLOYER_FIELDS " FROM employers WHERE tenant_id=?1 ORDER BY id",
    [Q_DL_CASE] = "SELECT kind,idx,start,due,done FROM deadlines WHERE case_id=?1 ORDER BY pos",
    [Q_DL_OF_CASE] = "SELECT kind,idx,start,due,done,pos FROM deadlines WHERE case_id=?1 AND "
                     "tenant_id=?2 ORDER BY pos",
    [Q_DL_TRIM] = "DELETE FROM deadlines WHERE case_id=?1 AND pos>=?2",
    [Q_CASE_NEXT] = "UPDATE cases SET next_kind=?2,next_due=?3 WHERE id=?1",
};

static void q_sql(int q, struct sb *b)
{
    if (q < (int)(sizeof fixed_sql / sizeof fixed_sql[0]) && fixed_sql[q]) {
        sb_add(b, fixed_sql[q]);
        return;
    }
    if (q == Q_PERSON_INSERT) {
        sb_add(b, "INSERT INTO persons(tenant_id," PERSON_FIELDS ") VALUES(");
        sb_params(b, 1, 1 + PERSON_NFIELDS);
        sb_add(b, ") RETURNING id");
    } else if (q == Q_PERSON_WRITE) {
        /* As employers: only forward, one version at a time, the BSN never rewritten. */
        char tail[96];
        snprintf(tail, sizeof tail, ") WHERE id=?%d AND tenant_id=?1 AND bsn IS ?2 AND version=?%d",
                 2 + PERSON_NFIELDS, 3 + PERSON_NFIELDS);
        sb_add(b, "UPDATE persons SET (" PERSON_FIELDS ")=(");
        sb_params(b, 2, 1 + PERSON_NFIELDS);
        sb_add(b, tail);
    } else if (q == Q_EMPLOYER_INSERT) {
        sb_add(b, "INSERT INTO employers(tenant_id," EMPLOYER_FIELDS ") VALUES(");
        sb_params(b, 1, 1 + EMPLOYER_NFIELDS);
        sb_add(b, ") RETURNING id");
    } else if (q == Q_EMPLOYER_WRITE) {
        /* Only forward, one version at a time: a stale writer changes nothing. The KvK
         * number is the record's identity and is never rewritten. */
        char tail[96];
        snprintf(tail, sizeof tail, ") WHERE id=?%d AND tenant_id=?1 AND kvk=?2 AND version=?%d",
                 2 + EMPLOYER_NFIELDS, 3 + EMPLOYER_NFIELDS);
        sb_add(b, "UPDATE employers SET (" EMPLOYER_FIELDS ")=(");
        sb_params(b, 2, 1 + EMPLOYER_NFIELDS);
        sb_add(b, tail);
    } else if (q == Q_CASE_UPSERT) {
        /* Only the same tenant, and only forward: a stale writer changes nothing. */
        sb_upsert(b, "cases", "id,tenant_id," CASE_FIELDS, "id", "id,tenant_id");
        sb_add(b, " WHERE cases.tenant_id=excluded.tenant_id AND cases.version<excluded.version");
    } else if (q == Q_CASE_UPDATE) {
        /* The same parameters as Q_CASE_UPSERT, but tenant, person and employer stay:
         * an UPDATE that does not name an index's columns leaves that index alone. */
        sb_add(b, "UPDATE cases SET (");
        sb_add(b, strchr(strchr(CASE_FIELDS, ',') + 1, ',') + 1);
        sb_add(b, ")=(");
        sb_params(b, 5, 2 + rows_ncols(CASE_FIELDS));
        sb_add(b, ") WHERE id=?1 AND tenant_id=?2 AND version<?6");
    } else if (q == Q_CASE_UPDATE_LITE) {
        /* As Q_CASE_UPDATE, without status and case_worker (each has an index), for
         * events that change neither. Parameter numbers follow CASE_FIELDS from ?3. */
        sb_add(b, "UPDATE cases SET ");
        int param = 3, first = 1;
        for (const char *p = CASE_FIELDS; *p;) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            bool skip = (n == 9 && !memcmp(p, "person_id", n)) ||
                        (n == 11 && !memcmp(p, "employer_id", n)) ||
                        (n == 6 && !memcmp(p, "status", n)) ||
                        (n == 11 && !memcmp(p, "case_worker", n));
            if (!skip) {
                char num[16];
                snprintf(num, sizeof num, "=?%d", param);
                if (!first)
                    sb_add(b, ",");
                first = 0;
                sb_addn(b, p, n);
                sb_add(b, num);
            }
            param++;
            p += n + (e ? 1 : 0);
        }
        sb_add(b, " WHERE id=?1 AND tenant_id=?2 AND version<?6");
    } else if (q == Q_CASE_GET) {
        sb_add(b, "SELECT c.id,c.tenant_id,");
        sb_each(b, CASE_FIELDS, "c.", NULL, "", NULL);
        sb_add(b, ",p.id,");
        sb_each(b, PERSON_FIELDS, "p.", NULL, "", NULL);
        sb_add(b, ",e.id,");
        sb_each(b, EMPLOYER_FIELDS, "e.", NULL, "", NULL);
        sb_add(b, " FROM cases c JOIN persons p ON p.id=c.person_id"
                  " JOIN employers e ON e.id=c.employer_id WHERE c.id=?1 AND c.tenant_id=?2");
    } else if (q == Q_PAY_CASES) {
        sb_add(b, "SELECT c.id,c.tenant_id,");
        sb_each(b, CASE_FIELDS, "c.", NULL, "", NULL);
        sb_add(b, ",p.id,");
        sb_each(b, PERSON_FIELDS, "p.", NULL, "", NULL);
        sb_add(b, ",e.id,");
        sb_each(b, EMPLOYER_FIELDS, "e.", NULL, "", NULL);
        sb_add(b, " FROM cases c JOIN persons p ON p.id=c.person_id"
                  " JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id=?1 AND EXISTS"
                  " (SELECT 1 FROM decisions d WHERE d.case_id=c.id AND d.kind=0) ORDER BY c.id");
    } else if (q >= Q_PAY_CHILD && q < Q_PAY_CHILD + NCHILD) {
        int k = q - Q_PAY_CHILD;
        sb_add(b, "SELECT case_id,idx,");
        sb_add(b, rows_child[k].fields);
        sb_add(b, " FROM ");
        sb_add(b, rows_child[k].table);
        sb_add(b, " WHERE tenant_id=?1 ORDER BY case_id,idx");
    } else if (q >= Q_CHILD_DELETE && q < Q_CHILD_DELETE + NCHILD) {
        sb_add(b, "DELETE FROM ");
        sb_add(b, rows_child[q - Q_CHILD_DELETE].table);
        sb_add(b, " WHERE case_id=?1 AND idx>=?2");
    } else if (q >= Q_CHILD_INSERT && q < Q_CHILD_INSERT + NCHILD) {
        int k = q - Q_CHILD_INSERT;
        sb_add(b, "INSERT OR REPLACE INTO ");
        sb_add(b, rows_child[k].table);
        sb_add(b, "(tenant_id,case_id,idx,");
        sb_add(b, rows_child[k].fields);
        sb_add(b, ") VALUES(");
        sb_params(b, 1, 3 + rows_ncols(rows_child[k].fields));
        sb_add(b, ")");
    } else if (q >= Q_CHILD_SELECT && q < Q_CHILD_SELECT + NCHILD) {
        int k = q - Q_CHILD_SELECT;
        sb_add(b, "SELECT idx,");
        sb_add(b, rows_child[k].fields);
        sb_add(b, " FROM ");
        sb_add(b, rows_child[k].table);
        sb_add(b, " WHERE case_id=?1 AND tenant_id=?2 ORDER BY idx");
    } else if (q >= Q_LIST && q < Q_LIST + 8) {
        /* One statement per filter combination, so each can use its own index. */
        int mask = q - Q_LIST;
        sb_add(b, "SELECT c.id,c.status,p.name,e.name,c.case_worker,p.bsn,e.kvk,"
                  "(SELECT min(d.due) FROM deadlines d WHERE d.case_id=c.id AND d.done IS NULL)"
                  " FROM cases c JOIN persons p ON p.id=c.person_id"
                  " JOIN employers e ON e.id=c.employer_id"
                  " WHERE c.tenant_id=?1 AND c.id>?2");
        if (mask & LIST_STATUS)
            sb_add(b, " AND c.status=?3");
        if (mask & LIST_WORKER)
            sb_add(b, " AND c.case_worker=?4");
        if (mask & LIST_EMPLOYER)
            sb_add(b, " AND c.employer_id=?5");
        sb_add(b, " ORDER BY c.id LIMIT ?6");
    } else {
        b->over = true;
    }
}

/* ---- errors ---- */

/* An SQLite failure as an lks_err: what we were doing (Dutch) plus SQLite's text.
 * One mapping for every file of the engine (sqlite_private.h). */
int store_sqlite_fail(sqlite3 *db, int rc, const char *field, const char *what, struct lks_err *err)
{
    const char *m = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        return lks_err_set(err, LKS_ESTATE, field, "constraint", "de database weigert %s: %s", what,
                           m);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return lks_err_set(err, LKS_EIO, field, "busy",
                           "de database is bezet door een ander proces bij %s: %s", what, m);
    case SQLITE_FULL:
        return lks_err_set(err, LKS_EIO, field, "disk-full", "de schijf is vol bij %s: %s", what,
                           m);
    case SQLITE_NOMEM:
        return lks_err_set(err, LKS_ENOMEM, field, "no-memory", "onvoldoende geheugen bij %s: %s",
                           what, m);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return lks_err_set(err, LKS_EIO, field, "corrupt",
                           "het databasebestand is beschadigd of geen lks-database (%s): %s", what,
                           m);
    default:
        return lks_err_set(err, LKS_EIO, field, "sqlite", "databasefout bij %s: %s", what, m);
    }
}

static int db_err(struct sq_store *s, int rc, const char *field, const char *what,
                  struct lks_err *err)
{
    return store_sqlite_fail(s ? s->db : NULL, rc, field, what, err);
}

/* ---- statements: get (prepared once), put (reset for the next use) ---- */

static sqlite3_stmt *get(struct sq_store *s, int q, struct lks_err *err)
{
    sqlite3_stmt *st = s->q[q];
    /* A statement still stepping belongs to an iteration further up the stack. */
    if (st && !sqlite3_stmt_busy(st))
        return st;
    struct sb b;
    b.len = 0;
    b.over = false;
    b.buf[0] = '\0';
    q_sql(q, &b);
    if (b.over) {
        lks_err_set(err, LKS_EIO, "sql", "internal", "interne fout: opdracht %d te lang", q);
        return NULL;
    }
    int rc = sqlite3_prepare_v3(s->db, b.buf, (int)b.len + 1, st ? 0 : SQLITE_PREPARE_PERSISTENT,
                                &st, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        db_err(s, rc, "sql", "het voorbereiden van een opdracht", err);
        return NULL;
    }
    if (!s->q[q])
        s->q[q] = st;
    return st;
}

static void put(struct sq_store *s, int q, sqlite3_stmt *st)
{
    if (!st)
        return;
    if (st == s->q[q]) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
}

/* Run a statement without parameters or rows to completion. */
static int run(struct sq_store *s, int q, const char *field, const char *what, struct lks_err *err)
{
    sqlite3_stmt *st = get(s, q, err);
    if (!st)
        return err ? err->code : LKS_EIO;
    int rc = sqlite3_step(st);
    put(s, q, st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_err(s, rc, field, what, err);
    return 0;
}

/* Bind errors are not checked one by one: with SQLITE_STATIC text they can
 * only come from a wrong index, which the round-trip tests would catch. */
static void bind_str(sqlite3_stmt *st, int i, const char *v, size_t cap)
{
    sqlite3_bind_text(st, i, v, (int)strnlen(v, cap), SQLITE_STATIC);
}
#define BIND_STR(st, i, f) bind_str(st, i, f, sizeof(f))

/* Text that is NULL when empty (BSN, KvK: unset keys must not collide). */
static void bind_key(sqlite3_stmt *st, int i, const char *v, size_t cap)
{
    if (strnlen(v, cap) == 0)
        sqlite3_bind_null(st, i);
    else
        bind_str(st, i, v, cap);
}

static void bind_date(sqlite3_stmt *st, int i, lks_date d)
{
    if (d == LKS_NO_DATE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, d);
}

static void bind_int(sqlite3_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(st, i, v);
}

static lks_date col_date(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return LKS_NO_DATE;
    return (lks_date)sqlite3_column_int64(st, i);
}

static int64_t col_int(sqlite3_stmt *st, int i)
{
    return sqlite3_column_int64(st, i);
}

static const char *col_cstr(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

/* Copy a text column into a fixed buffer; too long (only by tampering) is cut
 * at a UTF-8 character boundary rather than overflowing. (sqlite_private.h) */
void store_sqlite_col_text(sqlite3_stmt *st, int i, char *dst, size_t cap)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    size_t n = stmt_utf8_fit(t, t ? (size_t)sqlite3_column_bytes(st, i) : 0, cap);
    if (n)
        memcpy(dst, t, n);
    dst[n] = '\0';
}
#define COL_STR(st, i, f) store_sqlite_col_text(st, i, f, sizeof(f))

/* ---- transactions ---- */

static bool in_tx(const struct sq_store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

/* A read of several statements sees one snapshot: a read transaction unless the
 * caller already has one (then *own stays false). */
static int read_begin(struct sq_store *s, bool *own, struct lks_err *err)
{
    *own = false;
    if (in_tx(s))
        return 0;
    int rc = run(s, Q_BEGIN_READ, "database", "het starten van een leestransactie", err);
    if (rc == 0)
        *own = true;
    return rc;
}

static int read_end(struct sq_store *s, bool own, int rc)
{
    struct lks_err ignored;
    /* Ending a read cannot lose data; if COMMIT fails, ROLLBACK ends it as well. */
    if (own && in_tx(s) && run(s, Q_COMMIT, "database", "het beeindigen van het lezen", &ignored))
        sq_rollback(s);
    return rc;
}

int sq_read_begin(struct sq_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    if (in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "in-transaction",
                           "er loopt al een transactie op deze verbinding");
    return run(s, Q_BEGIN_READ, "database", "het starten van een leestransactie", err);
}

void sq_read_end(struct sq_store *s)
{
    read_end(s, true, 0);
}

int sq_begin(struct sq_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    if (in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "in-transaction",
                           "er loopt al een transactie op deze verbinding");
    return run(s, Q_BEGIN, "database", "het starten van een transactie", err);
}

int sq_commit(struct sq_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    if (!in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "no-transaction",
                           "er is geen transactie om vast te leggen");
    return run(s, Q_COMMIT, "database", "het vastleggen van de transactie", err);
}

/*
 * The WAL index header (file format: https://www.sqlite.org/walformat.html,
 * section 2.2): 48 bytes at the start of the -shm shared memory, written
 * twice, the second copy first; readers compare the two as SQLite's own do.
 * Every commit (of any connection, in any process) appends frames and so
 * raises mxFrame (u32 at byte 16); restarting the WAL sets mxFrame back and
 * adds one to the first salt (u32 at byte 32). So (salt1, mxFrame) changes
 * with every commit and never returns to an earlier value.
 */
enum { WALIDX_HDR_WORDS = 12, WALIDX_MXFRAME = 4, WALIDX_SALT1 = 8 };

static bool wal_header(struct sq_store *s, uint32_t hdr[WALIDX_HDR_WORDS])
{
    if (!s->walidx) {
        sqlite3_file *f = NULL;
        volatile void *p = NULL;
        if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
            !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap ||
            f->pMethods->xShmMap(f, 0, 32768, 0, &p) != SQLITE_OK || !p)
            return false; /* not mapped yet: the connection has not read since it opened */
        s->walidx = (const volatile uint32_t *)p;
    }
    uint32_t second[WALIDX_HDR_WORDS];
    for (int i = 0; i < WALIDX_HDR_WORDS; i++)
        hdr[i] = s->walidx[i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    for (int i = 0; i < WALIDX_HDR_WORDS; i++)
        second[i] = s->walidx[WALIDX_HDR_WORDS + i];
    /* A writer between the two copies: unknown this time. isInit is byte 12. */
    return memcmp(hdr, second, sizeof second) == 0 && ((const uint8_t *)hdr)[12] != 0;
}

/*
 * Without a transaction and without a system call: a cached rendering or a
 * checked token is used again on the strength of two words of shared memory.
 * A connection that has not read yet maps the WAL index by reading once.
 */
int sq_generation(struct sq_store *s, uint64_t *out, struct lks_err *err)
{
    ERR_GUARD(err);
    *out = 0;
    uint32_t hdr[WALIDX_HDR_WORDS];
    if (!s->walidx) {
        sqlite3_stmt *st = get(s, Q_DATA_VERSION, err);
        if (!st)
            return err->code;
        int rc = sqlite3_step(st);
        put(s, Q_DATA_VERSION, st);
        if (rc != SQLITE_ROW)
            return store_sqlite_fail(s->db, rc, "database", "het lezen van de versie", err);
    }
    if (wal_header(s, hdr))
        *out = (((uint64_t)hdr[WALIDX_SALT1] << 32) | hdr[WALIDX_MXFRAME]) + 1;
    return 0;
}

void sq_rollback(struct sq_store *s)
{
    if (!s || !in_tx(s))
        return;
    struct lks_err ignored;
    /* Nothing useful to do when ROLLBACK itself fails: SQLite then has already
     * rolled back (it does so on I/O errors), or the connection is unusable. */
    run(s, Q_ROLLBACK, "database", "het terugdraaien", &ignored);
}

/* ---- open, close, schema ---- */

static int read_version(struct sq_store *s, int *out, struct lks_err *err)
{
    /* Not cached: the table may not exist yet (a new file), and this is rare. */
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db,
                                "SELECT count(*) FROM sqlite_master "
                                "WHERE type='table' AND name='schema_version'",
                                -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    int exists = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return db_err(s, rc, "schema_version", "het lezen van de schemaversie", err);
    *out = 0;
    if (!exists)
        return 0;
    st = NULL;
    rc = sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version),0) FROM schema_version", -1, &st,
                            NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return db_err(s, rc, "schema_version", "het lezen van de schemaversie", err);
    return 0;
}

static int too_new(struct sq_store *s, struct lks_err *err)
{
    return rows_schema_too_new(s->path, s->schema, store_schema_nmigrations, err);
}

/* Every data call first checks that the schema is the one this code was written for. */
static int ready(struct sq_store *s, struct lks_err *err)
{
    return rows_schema_ready(s->path, s->schema, store_schema_nmigrations, err);
}

int store_sqlite_ready(struct sq_store *s, struct lks_err *err)
{
    return ready(s, err);
}

static int exec(struct sq_store *s, const char *sql, const char *what, struct lks_err *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return db_err(s, rc, "database", what, err);
    return 0;
}

int sq_schema_version(struct sq_store *s, int *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = read_version(s, out, err);
    if (rc == 0)
        s->schema = *out;
    return rc;
}

int sq_migrate(struct sq_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    if (in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "in-transaction",
                           "de database kan niet binnen een transactie worden bijgewerkt");
    int rc = read_version(s, &s->schema, err);
    if (rc)
        return rc;
    if (s->schema > store_schema_nmigrations)
        return too_new(s, err);
    for (int v = s->schema + 1; v <= store_schema_nmigrations; v++) {
        /* Each migration on its own, and re-checked under the write lock:
         * another process may have migrated while we waited for it. */
        rc = exec(s, "BEGIN IMMEDIATE", "het starten van de migratie", err);
        if (rc)
            return rc;
        int cur = 0;
        rc = exec(s,
                  "CREATE TABLE IF NOT EXISTS schema_version ("
                  " version INTEGER PRIMARY KEY, applied INTEGER NOT NULL) STRICT",
                  "het aanmaken van de versietabel", err);
        if (rc == 0)
            rc = read_version(s, &cur, err);
        if (rc == 0 && cur < v) {
            char what[64];
            snprintf(what, sizeof what, "migratie %d", v);
            for (const char *const *m = store_schema_migrations[v - 1]; rc == 0 && *m; m++)
                rc = exec(s, *m, what, err);
            if (rc == 0) {
                char ins[128];
                snprintf(ins, sizeof ins,
                         "INSERT INTO schema_version(version,applied) VALUES(%d,%lld)", v,
                         (long long)time(NULL));
                rc = exec(s, ins, what, err);
            }
        }
        if (rc == 0)
            rc = exec(s, "COMMIT", "het vastleggen van de migratie", err);
        if (rc) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return read_version(s, &s->schema, err);
}

/* The file path of a url, or NULL with err filled. */
static const char *url_path(const char *url, struct lks_err *err)
{
    if (!url || !*url) {
        lks_err_set(err, LKS_EINVAL, "database", "missing", "geen database opgegeven");
        return NULL;
    }
    const char *path = url;
    if (strncmp(url, "sqlite:", 7) == 0) {
        path = url + 7;
        if (strncmp(path, "//", 2) == 0) /* sqlite:///abs/path */
            path += 2;
    } else if (strstr(url, "://")) {
        lks_err_set(err, LKS_EINVAL, "database", "unknown-engine",
                    "onbekend soort database in '%s'; gebruik een pad, sqlite:PAD of "
                    "postgresql://…",
                    url);
        return NULL;
    }
    if (!*path) {
        lks_err_set(err, LKS_EINVAL, "database", "missing", "geen databasebestand opgegeven");
        return NULL;
    }
    return path;
}

/* A missing file is created here, 0600, before SQLite sees it: SQLite would
 * make it world-readable (0644), and the file holds BSNs. */
static int prepare_file(const char *path, int flags, struct lks_err *err)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return lks_err_set(err, LKS_EINVAL, "database", "not-a-file",
                               "'%s' is geen gewoon bestand", path);
        return 0;
    }
    if (errno != ENOENT)
        return lks_err_set(err, LKS_EIO, "database", "io", "kan '%s' niet bekijken: %s", path,
                           strerror(errno));
    if (!(flags & STORE_CREATE))
        return lks_err_set(err, LKS_ENOTFOUND, "database", "not-found",
                           "databasebestand '%s' bestaat niet", path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
        return lks_err_set(err, LKS_EIO, "database", "io", "kan '%s' niet aanmaken: %s", path,
                           strerror(errno));
    if (fd >= 0)
        close(fd);
    return 0;
}

/* PRAGMAs that must hold for every connection, verified rather than assumed. */
static int configure(struct sq_store *s, bool memory, struct lks_err *err)
{
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    int rc = exec(s, "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF", "het instellen", err);
    if (rc)
        return rc;
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    char mode[16] = "";
    if (src == SQLITE_ROW)
        store_sqlite_col_text(st, 0, mode, sizeof mode);
    sqlite3_finalize(st);
    if (src != SQLITE_ROW)
        return db_err(s, src, "database", "het openen", err);
    if (strcmp(mode, "wal") != 0 && !(memory && strcmp(mode, "memory") == 0))
        return lks_err_set(err, LKS_EIO, "database", "no-wal",
                           "'%s' kan niet in WAL-modus (modus '%s'); staat het bestand op een "
                           "netwerkschijf?",
                           s->path, mode);
    /* Keep the WAL and shared-memory files when the last connection closes: each
     * short CLI command would otherwise create and delete both (~1 ms). */
    int persist = 1;
    sqlite3_file_control(s->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
    /* …but empty: a WAL kept with old frames must be re-read by every new connection. */
    rc = exec(s, "PRAGMA journal_size_limit=0", "het instellen", err);
    if (rc)
        return rc;
    /* After WAL: synchronous is per connection and FULL makes each commit durable. */
    rc = exec(s, "PRAGMA synchronous=FULL", "het instellen", err);
    if (rc)
        return rc;
    st = NULL;
    src = sqlite3_prepare_v2(s->db, "PRAGMA foreign_keys", -1, &st, NULL);
    if (src == SQLITE_OK)
        src = sqlite3_step(st);
    int fk = src == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    if (fk != 1)
        return lks_err_set(err, LKS_EIO, "database", "no-foreign-keys",
                           "deze SQLite controleert geen verwijzende sleutels");
    return 0;
}

/* Process-wide settings, before the first connection. Memory statistics take a
 * global mutex on every allocation: with many server threads that one lock was the
 * bottleneck. We do not use sqlite3_memory_used(). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static void sqlite_global_config(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_initialize();
}

int sq_open(struct sq_store **out, const char *url, int flags, struct lks_err *err)
{
    ERR_GUARD(err);
    *out = NULL;
    const char *path = url_path(url, err);
    if (!path)
        return err ? err->code : LKS_EINVAL;
    bool memory = strcmp(path, ":memory:") == 0;
    if (!memory) {
        int rc = prepare_file(path, flags, err);
        if (rc)
            return rc;
    }
    struct sq_store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return lks_err_set(err, LKS_ENOMEM, "database", "no-memory", "onvoldoende geheugen");
    }
    jw_init(&s->jw, 8192, false);
    pthread_once(&sqlite_once, sqlite_global_config);
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (flags & STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &s->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        lks_err_set(err, rc == SQLITE_CANTOPEN ? LKS_ENOTFOUND : LKS_EIO, "database", "open",
                    "kan database '%s' niet openen: %s", path,
                    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sq_close(s);
        return err ? err->code : LKS_EIO;
    }
    rc = configure(s, memory, err);
    if (rc == 0)
        rc = read_version(s, &s->schema, err);
    if (rc == 0 && (flags & STORE_CREATE))
        rc = sq_migrate(s, err);
    if (rc) {
        sq_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

sqlite3_stmt *store_sqlite_cached(struct sq_store *s, const char *sql, int *rc)
{
    int free_slot = -1;
    for (int i = 0; i < SQ_EXTRA; i++) {
        if (s->extra_sql[i] == sql && !sqlite3_stmt_busy(s->extra[i]))
            return s->extra[i];
        if (!s->extra_sql[i] && free_slot < 0)
            free_slot = i;
    }
    sqlite3_stmt *st = NULL;
    *rc = sqlite3_prepare_v3(s->db, sql, -1, free_slot >= 0 ? SQLITE_PREPARE_PERSISTENT : 0, &st,
                             NULL);
    if (*rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    if (free_slot >= 0) {
        s->extra_sql[free_slot] = sql;
        s->extra[free_slot] = st;
    }
    return st;
}

void store_sqlite_release(struct sq_store *s, sqlite3_stmt *st)
{
    if (!st)
        return;
    /* a cached statement is reset for its next use; one that did not fit is finalized */
    for (int i = 0; i < SQ_EXTRA; i++)
        if (s->extra[i] == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return;
        }
    sqlite3_finalize(st);
}

void sq_close(struct sq_store *s)
{
    if (!s)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(s->q[i]);
    for (int i = 0; i < SQ_EXTRA; i++)
        sqlite3_finalize(s->extra[i]);
    /* sqlite3_close rolls back an open transaction; with every statement
     * finalized it cannot be refused as busy. */
    sqlite3_close(s->db);
    jw_free(&s->jw);
    free(s->path);
    free(s);
}

/* ---- tenants and policy ---- */

static void read_tenant(sqlite3_stmt *st, struct tenant *t)
{
    memset(t, 0, sizeof *t);
    COL_STR(st, 0, t->code);
    COL_STR(st, 1, t->name);
    t->kind = strcmp(col_cstr(st, 2), "servicepunt") == 0 ? TENANT_SERVICEPUNT : TENANT_GEMEENTE;
}

int sq_tenant_put(struct sq_store *s, const struct tenant *t, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    if (strnlen(t->code, sizeof t->code) == 0)
        return lks_err_set(err, LKS_EINVAL, "code", "missing", "de code van de gemeente ontbreekt");
    if (t->kind != TENANT_GEMEENTE && t->kind != TENANT_SERVICEPUNT)
        return lks_err_set(err, LKS_EINVAL, "kind", "invalid", "onbekend soort organisatie");
    sqlite3_stmt *st = get(s, Q_TENANT_PUT, err);
    if (!st)
        return err->code;
    BIND_STR(st, 1, t->code);
    BIND_STR(st, 2, t->name);
    sqlite3_bind_text(st, 3, rows_tenant_kind_name(t->kind), -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    put(s, Q_TENANT_PUT, st);
    if (src != SQLITE_DONE)
        return db_err(s, src, "tenants", "het opslaan van de gemeente", err);
    return 0;
}

int sq_tenant_get(struct sq_store *s, const char *code, struct tenant *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_TENANT_GET, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        read_tenant(st, out);
    put(s, Q_TENANT_GET, st);
    if (src == SQLITE_DONE)
        return lks_err_set(err, LKS_ENOTFOUND, "tenant", "not-found", "gemeente '%s' bestaat niet",
                           code);
    if (src != SQLITE_ROW)
        return db_err(s, src, "tenants", "het lezen van de gemeente", err);
    return 0;
}

int sq_tenant_link(struct sq_store *s, const char *servicepunt, const char *gemeente,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    struct tenant a, b;
    int rc = sq_tenant_get(s, servicepunt, &a, err);
    if (rc)
        return rc;
    if (a.kind != TENANT_SERVICEPUNT)
        return lks_err_set(err, LKS_EINVAL, "servicepunt", "not-servicepunt",
                           "'%s' is geen werkgeversservicepunt", servicepunt);
    rc = sq_tenant_get(s, gemeente, &b, err);
    if (rc)
        return rc;
    if (b.kind != TENANT_GEMEENTE)
        return lks_err_set(err, LKS_EINVAL, "gemeente", "not-gemeente", "'%s' is geen gemeente",
                           gemeente);
    sqlite3_stmt *st = get(s, Q_TENANT_LINK, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, servicepunt, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, gemeente, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    put(s, Q_TENANT_LINK, st);
    if (src != SQLITE_DONE)
        return db_err(s, src, "tenant_links", "het koppelen van de gemeente", err);
    return 0;
}

int sq_tenant_list(struct sq_store *s, int (*cb)(void *arg, const struct tenant *t), void *arg,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_TENANT_LIST, err);
    if (!st)
        return err->code;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct tenant t;
        read_tenant(st, &t);
        if ((rc = cb(arg, &t)) != 0)
            break;
    }
    put(s, Q_TENANT_LIST, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "tenants", "het lezen van de gemeenten", err);
    return 0;
}

int sq_policy_put(struct sq_store *s, const char *tenant, lks_date from, const char *key,
                  int64_t value, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    if ((rc = policy_check_row(key, value, err)) != 0)
        return rc;
    if (from == LKS_NO_DATE)
        return lks_err_set(err, LKS_EINVAL, "vanaf", "missing",
                           "de datum vanaf wanneer de instelling geldt ontbreekt");
    if (!tenant || !*tenant)
        return lks_err_set(err, LKS_EINVAL, "tenant", "missing", "de gemeente ontbreekt");
    sqlite3_stmt *st = get(s, Q_POLICY_PUT, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_int(st, 2, from);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    bind_int(st, 4, value);
    int src = sqlite3_step(st);
    put(s, Q_POLICY_PUT, st);
    if (src != SQLITE_DONE)
        return db_err(s, src, "policies", "het opslaan van de instelling", err);
    return 0;
}

int sq_policy_rows(struct sq_store *s, const char *tenant,
                   int (*cb)(void *arg, lks_date from, const char *key, int64_t value), void *arg,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_POLICY_ROWS, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = cb(arg, col_date(st, 0), col_cstr(st, 1), col_int(st, 2))) != 0)
            break;
    put(s, Q_POLICY_ROWS, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "policies", "het lezen van de instellingen", err);
    return 0;
}

/* ---- persons and employers ---- */

/* Columns id, PERSON_FIELDS from column c. */
static int read_person(sqlite3_stmt *st, int c, struct person *p)
{
    p->id = col_int(st, c++);
    COL_STR(st, c++, p->bsn);
    COL_STR(st, c++, p->name);
    p->birth = col_date(st, c++);
    p->sex = (enum sex)col_int(st, c++);
    COL_STR(st, c++, p->address);
    COL_STR(st, c++, p->postcode);
    COL_STR(st, c++, p->city);
    p->household = (enum household)col_int(st, c++);
    p->benefit = (enum benefit)col_int(st, c++);
    p->benefit_start = col_date(st, c++);
    p->wsw_indication = col_int(st, c++) != 0;
    p->version = col_int(st, c++);
    return c;
}

static int read_employer(sqlite3_stmt *st, int c, struct employer *e)
{
    e->id = col_int(st, c++);
    COL_STR(st, c++, e->kvk);
    COL_STR(st, c++, e->name);
    COL_STR(st, c++, e->address);
    COL_STR(st, c++, e->postcode);
    COL_STR(st, c++, e->city);
    COL_STR(st, c++, e->iban);
    e->employees = (int32_t)col_int(st, c++);
    e->fulltime_hours = (int32_t)col_int(st, c++);
    e->own_sickness_insurance = col_int(st, c++) != 0;
    COL_STR(st, c++, e->iban_proposed);
    COL_STR(st, c++, e->iban_proposed_by);
    e->iban_proposed_on = col_date(st, c++);
    e->version = col_int(st, c++);
    return c;
}

/* Parameters ?1 tenant, ?2.. PERSON_FIELDS (as in Q_PERSON_INSERT / _WRITE). */
static void bind_person(sqlite3_stmt *st, const char *tenant, const struct person *p)
{
    int c = 1;
    sqlite3_bind_text(st, c++, tenant, -1, SQLITE_STATIC);
    bind_key(st, c++, p->bsn, sizeof p->bsn);
    BIND_STR(st, c++, p->name);
    bind_date(st, c++, p->birth);
    bind_int(st, c++, p->sex);
    BIND_STR(st, c++, p->address);
    BIND_STR(st, c++, p->postcode);
    BIND_STR(st, c++, p->city);
    bind_int(st, c++, p->household);
    bind_int(st, c++, p->benefit);
    bind_date(st, c++, p->benefit_start);
    bind_int(st, c++, p->wsw_indication);
    bind_int(st, c++, p->version);
}

static void bind_employer(sqlite3_stmt *st, const char *tenant, const struct employer *e)
{
    int c = 1;
    sqlite3_bind_text(st, c++, tenant, -1, SQLITE_STATIC);
    bind_key(st, c++, e->kvk, sizeof e->kvk);
    BIND_STR(st, c++, e->name);
    BIND_STR(st, c++, e->address);
    BIND_STR(st, c++, e->postcode);
    BIND_STR(st, c++, e->city);
    BIND_STR(st, c++, e->iban);
    bind_int(st, c++, e->employees);
    bind_int(st, c++, e->fulltime_hours);
    bind_int(st, c++, e->own_sickness_insurance);
    BIND_STR(st, c++, e->iban_proposed);
    BIND_STR(st, c++, e->iban_proposed_by);
    bind_date(st, c++, e->iban_proposed_on);
    bind_int(st, c++, e->version);
}

/* Step a write with RETURNING id; *id = 0 when it touched no row. */
static int step_returning(struct sq_store *s, int q, sqlite3_stmt *st, int64_t *id,
                          const char *field, const char *what, struct lks_err *err)
{
    int src = sqlite3_step(st);
    *id = src == SQLITE_ROW ? col_int(st, 0) : 0;
    put(s, q, st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return db_err(s, src, field, what, err);
    return 0;
}

/* ---- employers: master data of their own ---- */

/*
 * A record of its own (an employer, a person): the statements and binding of its kind.
 * Its row is inserted (id 0, version 1) or moved one version forward, and its event
 * appended, in the caller's transaction.
 */
struct record_kind {
    int q_insert, q_write, q_event_insert, q_events;
    int nfields;
    const char *table, *events_table, *noun; /* "werkgever", "persoon" */
    void (*bind)(sqlite3_stmt *st, const char *tenant, const void *rec);
};

struct record_write {
    int64_t *id;
    int64_t version;
    const void *rec;
    int64_t seq, at, case_id;
    lks_date date;
    const char *type, *actor, *role, *data_json;
};

static int record_save(struct sq_store *s, const struct record_kind *k, const char *tenant,
                       const struct record_write *w, struct lks_err *err)
{
    int rc = ready(s, err);
    if (rc)
        return rc;
    if (!in_tx(s))
        return lks_err_set(err, LKS_EINVAL, "transactie", "no-transaction",
                           "een %s wordt alleen binnen een transactie opgeslagen", k->noun);
    if (!tenant || !*tenant || w->seq != w->version || w->seq <= 0)
        return lks_err_set(err, LKS_EINVAL, "seq", "seq-mismatch",
                           "volgnummer %lld past niet bij versie %lld van de %s", (long long)w->seq,
                           (long long)w->version, k->noun);
    sqlite3_stmt *st;
    if (*w->id == 0) {
        if (w->version != 1)
            return lks_err_set(err, LKS_EINVAL, "seq", "seq-mismatch",
                               "een nieuwe %s begint met de registratie", k->noun);
        if (!(st = get(s, k->q_insert, err)))
            return err->code;
        k->bind(st, tenant, w->rec);
        if ((rc = step_returning(s, k->q_insert, st, w->id, k->table, "het opslaan", err)))
            return rc;
    } else {
        if (!(st = get(s, k->q_write, err)))
            return err->code;
        k->bind(st, tenant, w->rec);
        bind_int(st, 2 + k->nfields, *w->id);
        bind_int(st, 3 + k->nfields, w->version - 1);
        int src = sqlite3_step(st);
        int changed = sqlite3_changes(s->db);
        put(s, k->q_write, st);
        if (src != SQLITE_DONE)
            return db_err(s, src, k->table, "het opslaan", err);
        if (changed == 0)
            return lks_err_set(err, LKS_ESTATE, k->noun, "conflict",
                               "de %s is intussen gewijzigd; probeer het opnieuw", k->noun);
    }
    if (!(st = get(s, k->q_event_insert, err)))
        return err->code;
    int c = 1;
    sqlite3_bind_text(st, c++, tenant, -1, SQLITE_STATIC);
    bind_int(st, c++, *w->id);
    bind_int(st, c++, w->seq);
    sqlite3_bind_text(st, c++, w->type, -1, SQLITE_STATIC);
    bind_int(st, c++, w->at);
    bind_date(st, c++, w->date);
    sqlite3_bind_text(st, c++, w->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, c++, w->role, -1, SQLITE_STATIC);
    bind_int(st, c++, w->case_id);
    sqlite3_bind_text(st, c++, w->data_json ? w->data_json : "{}", -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    put(s, k->q_event_insert, st);
    if ((src & 0xff) == SQLITE_CONSTRAINT)
        return lks_err_set(err, LKS_ESTATE, k->noun, "conflict",
                           "de %s is intussen gewijzigd; probeer het opnieuw", k->noun);
    if (src != SQLITE_DONE)
        return db_err(s, src, k->events_table, "het opslaan van de gebeurtenis", err);
    return 0;
}

static int record_events(struct sq_store *s, const struct record_kind *k, const char *tenant,
                         int64_t id, int (*cb)(void *arg, const struct stored_record_event *e),
                         void *arg, struct lks_err *err)
{
    int rc = ready(s, err);
    if (rc)
        return rc;
    bool own;
    if ((rc = read_begin(s, &own, err)) != 0)
        return rc;
    sqlite3_stmt *st = get(s, k->q_events, err);
    if (!st)
        return read_end(s, own, err->code);
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_int(st, 2, id);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct stored_record_event e = {
            .record_id = col_int(st, 0),
            .seq = col_int(st, 1),
            .type = col_cstr(st, 2),
            .at = col_int(st, 3),
            .date = col_date(st, 4),
            .actor = col_cstr(st, 5),
            .role = col_cstr(st, 6),
            .case_id = col_int(st, 7),
            .data = col_cstr(st, 8),
        };
        if ((rc = cb(arg, &e)) != 0)
            break;
    }
    put(s, k->q_events, st);
    if (rc == 0 && src != SQLITE_DONE)
        rc = db_err(s, src, k->events_table, "het lezen van de gebeurtenissen", err);
    return read_end(s, own, rc);
}

static void bind_employer_rec(sqlite3_stmt *st, const char *tenant, const void *rec)
{
    bind_employer(st, tenant, rec);
}

static void bind_person_rec(sqlite3_stmt *st, const char *tenant, const void *rec)
{
    bind_person(st, tenant, rec);
}

static const struct record_kind employer_kind = {
    Q_EMPLOYER_INSERT, Q_EMPLOYER_WRITE, Q_EMPLOYER_EVENT_INSERT,
    Q_EMPLOYER_EVENTS, EMPLOYER_NFIELDS, "employers",
    "employer_events", "werkgever",      bind_employer_rec};
static const struct record_kind person_kind = {
    Q_PERSON_INSERT, Q_PERSON_WRITE, Q_PERSON_EVENT_INSERT,
    Q_PERSON_EVENTS, PERSON_NFIELDS, "persons",
    "person_events", "persoon",      bind_person_rec};

int sq_employer_save(struct sq_store *s, const char *tenant, struct employer *e,
                     const struct employer_event *ev, const char *data_json, struct lks_err *err)
{
    ERR_GUARD(err);
    struct record_write w = {&e->id,    e->version,          e,        ev->seq,
                             ev->at,    ev->case_id,         ev->date, emp_ev_name(ev->type),
                             ev->actor, role_name(ev->role), data_json};
    return record_save(s, &employer_kind, tenant, &w, err);
}

int sq_employer_events(struct sq_store *s, const char *tenant, int64_t employer_id,
                       int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                       struct lks_err *err)
{
    ERR_GUARD(err);
    return record_events(s, &employer_kind, tenant, employer_id, cb, arg, err);
}

int sq_person_save(struct sq_store *s, const char *tenant, struct person *p,
                   const struct person_event *ev, const char *data_json, struct lks_err *err)
{
    ERR_GUARD(err);
    struct record_write w = {&p->id,    p->version,          p,        ev->seq,
                             ev->at,    ev->case_id,         ev->date, per_ev_name(ev->type),
                             ev->actor, role_name(ev->role), data_json};
    return record_save(s, &person_kind, tenant, &w, err);
}

int sq_person_events(struct sq_store *s, const char *tenant, int64_t person_id,
                     int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    return record_events(s, &person_kind, tenant, person_id, cb, arg, err);
}

int sq_person_by_id(struct sq_store *s, const char *tenant, int64_t id, struct person *out,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_PERSON_BY_ID, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_int(st, 2, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        read_person(st, 0, out);
    }
    put(s, Q_PERSON_BY_ID, st);
    if (src == SQLITE_DONE)
        return lks_err_set(err, LKS_ENOTFOUND, "id", "not-found", "deze persoon bestaat niet");
    if (src != SQLITE_ROW)
        return db_err(s, src, "persons", "het lezen van de persoon", err);
    return 0;
}

int sq_person_list(struct sq_store *s, const char *tenant,
                   int (*cb)(void *arg, const struct person *p), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_PERSON_LIST, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct person p;
        memset(&p, 0, sizeof p);
        read_person(st, 0, &p);
        if ((rc = cb(arg, &p)) != 0)
            break;
    }
    put(s, Q_PERSON_LIST, st);
    if (rc == 0 && src != SQLITE_DONE)
        rc = db_err(s, src, "persons", "het lezen van de personen", err);
    return rc;
}

int sq_person_by_bsn(struct sq_store *s, const char *tenant, const char *bsn, struct person *out,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_PERSON_BY_BSN, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, bsn, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        read_person(st, 0, out);
    }
    put(s, Q_PERSON_BY_BSN, st);
    if (src == SQLITE_DONE)
        return lks_err_set(err, LKS_ENOTFOUND, "bsn", "not-found",
                           "geen persoon met dit BSN bij deze gemeente");
    if (src != SQLITE_ROW)
        return db_err(s, src, "persons", "het zoeken van de persoon", err);
    return 0;
}

int sq_employer_by_kvk(struct sq_store *s, const char *tenant, const char *kvk,
                       struct employer *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_EMPLOYER_BY_KVK, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kvk, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        read_employer(st, 0, out);
    }
    put(s, Q_EMPLOYER_BY_KVK, st);
    if (src == SQLITE_DONE)
        return lks_err_set(err, LKS_ENOTFOUND, "kvk", "not-found",
                           "geen werkgever met KvK-nummer '%s' bij deze gemeente", kvk);
    if (src != SQLITE_ROW)
        return db_err(s, src, "employers", "het zoeken van de werkgever", err);
    return 0;
}

int sq_person_cases(struct sq_store *s, const char *tenant, int64_t person_id,
                    int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_PERSON_CASES, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_int(st, 2, person_id);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int status = case_status_parse(col_cstr(st, 1));
        if (status < 0) {
            rc = rows_corrupt("status", err, "onbekende status", col_int(st, 0));
            break;
        }
        if ((rc = cb(arg, col_int(st, 0), (enum case_status)status)) != 0)
            break;
    }
    put(s, Q_PERSON_CASES, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "cases", "het lezen van de zaken", err);
    return 0;
}

int sq_employer_list(struct sq_store *s, const char *tenant,
                     int (*cb)(void *arg, const struct employer *e), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_EMPLOYER_LIST, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct employer e;
        memset(&e, 0, sizeof e);
        read_employer(st, 0, &e);
        if ((rc = cb(arg, &e)) != 0)
            break;
    }
    put(s, Q_EMPLOYER_LIST, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "employers", "het lezen van de werkgevers", err);
    return 0;
}

int sq_person_last_test(struct sq_store *s, const char *tenant, int64_t person_id,
                        int64_t except_case, lks_date *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_PERSON_LAST_TEST, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_int(st, 2, person_id);
    bind_int(st, 3, except_case);
    int src = sqlite3_step(st);
    *out = src == SQLITE_ROW ? col_date(st, 0) : LKS_NO_DATE;
    put(s, Q_PERSON_LAST_TEST, st);
    if (src != SQLITE_ROW)
        return db_err(s, src, "cases", "het zoeken van de laatste toegangstoets", err);
    return 0;
}

/* ---- cases: writing ---- */

int sq_case_new_id(struct sq_store *s, int64_t *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_NEW_ID, err);
    if (!st)
        return err->code;
    rc = step_returning(s, Q_NEW_ID, st, out, "counters", "het uitgeven van een zaaknummer", err);
    if (rc == 0 && *out <= 0)
        return lks_err_set(err, LKS_EIO, "counters", "corrupt",
                           "de teller voor zaaknummers ontbreekt in de database");
    return rc;
}

/* Parameters from c on: the fields of item j of array k, in rows_child[k].fields order. */
static void bind_child(sqlite3_stmt *st, int c, const struct case_state *cs, int k, int j)
{
    switch (k) {
    case CH_MEAS: {
        const struct measurement *m = &cs->measurement[j];
        bind_int(st, c++, m->method);
        BIND_STR(st, c++, m->expert);
        bind_date(st, c++, m->requested);
        bind_date(st, c++, m->measured);
        bind_date(st, c++, m->reported);
        bind_int(st, c++, m->loonwaarde);
        BIND_STR(st, c++, m->reference_job);
        BIND_STR(st, c++, m->report_doc);
        bind_int(st, c++, m->cost);
        bind_date(st, c++, m->next);
        break;
    }
    case CH_DEC: {
        const struct decision *d = &cs->decision[j];
        bind_int(st, c++, d->kind);
        bind_date(st, c++, d->sent);
        bind_date(st, c++, d->from);
        bind_date(st, c++, d->to);
        bind_date(st, c++, d->peildatum);
        bind_int(st, c++, d->loonwaarde);
        bind_int(st, c++, d->amount);
        bind_int(st, c++, d->subsidy);
        bind_int(st, c++, d->allowance);
        bind_date(st, c++, d->objection_due);
        BIND_STR(st, c++, d->reason);
        break;
    }
    case CH_PAY: {
        const struct payment *p = &cs->payment[j];
        bind_date(st, c++, p->month);
        bind_int(st, c++, p->amount);
        bind_date(st, c++, p->paid);
        BIND_STR(st, c++, p->iban);
        break;
    }
    case CH_PROV: {
        const struct provision *p = &cs->provision[j];
        bind_int(st, c++, p->kind);
        bind_date(st, c++, p->start);
        bind_date(st, c++, p->end);
        bind_int(st, c++, p->hours);
        bind_int(st, c++, p->cost);
        bind_date(st, c++, p->ended);
        BIND_STR(st, c++, p->end_reason);
        BIND_STR(st, c++, p->motivation);
        break;
    }
    case CH_OBJ: {
        const struct objection *o = &cs->objection[j];
        bind_date(st, c++, o->received);
        bind_date(st, c++, o->due);
        bind_int(st, c++, o->committee);
        bind_int(st, c++, o->deferred);
        bind_date(st, c++, o->decided);
        BIND_STR(st, c++, o->outcome);
        BIND_STR(st, c++, o->subject);
        break;
    }
    default: {
        const struct cost *x = &cs->cost[j];
        bind_int(st, c++, x->kind);
        bind_date(st, c++, x->date);
        bind_int(st, c++, x->amount);
        BIND_STR(st, c++, x->what);
        break;
    }
    }
}

/* Columns from c on, the mirror of bind_child. */
static void read_child(sqlite3_stmt *st, int c, struct case_state *cs, int k, int j)
{
    switch (k) {
    case CH_MEAS: {
        struct measurement *m = &cs->measurement[j];
        m->method = (enum measure_method)col_int(st, c++);
        COL_STR(st, c++, m->expert);
        m->requested = col_date(st, c++);
        m->measured = col_date(st, c++);
        m->reported = col_date(st, c++);
        m->loonwaarde = (int32_t)col_int(st, c++);
        COL_STR(st, c++, m->reference_job);
        COL_STR(st, c++, m->report_doc);
        m->cost = col_int(st, c++);
        m->next = col_date(st, c++);
        break;
    }
    case CH_DEC: {
        struct decision *d = &cs->decision[j];
        d->kind = (enum decision_kind)col_int(st, c++);
        d->sent = col_date(st, c++);
        d->from = col_date(st, c++);
        d->to = col_date(st, c++);
        d->peildatum = col_date(st, c++);
        d->loonwaarde = (int32_t)col_int(st, c++);
        d->amount = col_int(st, c++);
        d->subsidy = col_int(st, c++);
        d->allowance = col_int(st, c++);
        d->objection_due = col_date(st, c++);
        COL_STR(st, c++, d->reason);
        break;
    }
    case CH_PAY: {
        struct payment *p = &cs->payment[j];
        p->month = col_date(st, c++);
        p->amount = col_int(st, c++);
        p->paid = col_date(st, c++);
        COL_STR(st, c++, p->iban);
        break;
    }
    case CH_PROV: {
        struct provision *p = &cs->provision[j];
        p->kind = (enum provision_kind)col_int(st, c++);
        p->start = col_date(st, c++);
        p->end = col_date(st, c++);
        p->hours = (int32_t)col_int(st, c++);
        p->cost = col_int(st, c++);
        p->ended = col_date(st, c++);
        COL_STR(st, c++, p->end_reason);
        COL_STR(st, c++, p->motivation);
        break;
    }
    case CH_OBJ: {
        struct objection *o = &cs->objection[j];
        o->received = col_date(st, c++);
        o->due = col_date(st, c++);
        o->committee = col_int(st, c++) != 0;
        o->deferred = col_int(st, c++) != 0;
        o->decided = col_date(st, c++);
        COL_STR(st, c++, o->outcome);
        COL_STR(st, c++, o->subject);
        break;
    }
    default: {
        struct cost *x = &cs->cost[j];
        x->kind = (enum cost_kind)col_int(st, c++);
        x->date = col_date(st, c++);
        x->amount = col_int(st, c++);
        COL_STR(st, c++, x->what);
        break;
    }
    }
}

/* The JSON array of the missing documents, in s->jw. */
static int missing_json(struct sq_store *s, const struct case_state *cs, struct lks_err *err)
{
    jw_reset(&s->jw);
    jw_arr_open(&s->jw);
    for (int i = 0; i < cs->nmissing; i++)
        jw_strn(&s->jw, cs->missing[i], strnlen(cs->missing[i], sizeof cs->missing[i]));
    jw_arr_close(&s->jw);
    if (jw_failed(&s->jw))
        return lks_err_set(err, LKS_ENOMEM, "missing", "no-memory", "onvoldoende geheugen");
    return 0;
}

/* Parameters of Q_CASE_UPSERT: id, tenant_id, CASE_FIELDS. */
static void bind_case(struct sq_store *s, sqlite3_stmt *st, const struct case_state *cs)
{
    int c = 1;
    bind_int(st, c++, cs->id);
    BIND_STR(st, c++, cs->tenant);
    bind_int(st, c++, cs->person.id);
    bind_int(st, c++, cs->employer.id);
    sqlite3_bind_text(st, c++, case_status_name(cs->status), -1, SQLITE_STATIC);
    bind_int(st, c++, cs->version);
    BIND_STR(st, c++, cs->case_worker);
    BIND_STR(st, c++, cs->applicant);
    bind_date(st, c++, cs->applied);
    bind_date(st, c++, cs->complete);
    bind_date(st, c++, cs->info_requested);
    bind_int(st, c++, cs->info_wait_days);
    sqlite3_bind_text(st, c++, s->jw.buf, (int)s->jw.len, SQLITE_STATIC);
    const struct placement *pl = &cs->placement;
    bind_date(st, c++, pl->start);
    bind_date(st, c++, pl->end);
    bind_int(st, c++, pl->hours);
    bind_int(st, c++, pl->wage);
    BIND_STR(st, c++, pl->job_title);
    BIND_STR(st, c++, pl->staff_number);
    bind_int(st, c++, pl->kind);
    bind_date(st, c++, pl->ended);
    BIND_STR(st, c++, pl->end_reason);
    const struct access_test *t = &cs->test;
    bind_int(st, c++, t->done);
    bind_int(st, c++, t->voluntary);
    bind_date(st, c++, t->started);
    bind_date(st, c++, t->decided);
    bind_int(st, c++, t->outcome);
    bind_int(st, c++, t->limitation);
    BIND_STR(st, c++, t->explanation);
    bind_int(st, c++, cs->forfait);
    bind_date(st, c++, cs->forfait_from);
    bind_date(st, c++, cs->decision_basis);
    bind_date(st, c++, cs->closed);
    BIND_STR(st, c++, cs->close_reason);
}

/* Why the case row was not written: another tenant's id, or a stale version. */
static int case_refused(struct sq_store *s, const struct case_state *cs, struct lks_err *err)
{
    sqlite3_stmt *st = get(s, Q_CASE_OWNER, err);
    if (!st)
        return err->code;
    bind_int(st, 1, cs->id);
    int src = sqlite3_step(st);
    bool same = false;
    int64_t version = 0;
    if (src == SQLITE_ROW) {
        same = strncmp(col_cstr(st, 0), cs->tenant, sizeof cs->tenant) == 0;
        version = col_int(st, 1);
    }
    put(s, Q_CASE_OWNER, st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return db_err(s, src, "cases", "het opslaan van de zaak", err);
    if (!same)
        return lks_err_set(err, LKS_ENOTFOUND, "zaak", "not-found", "zaak %lld bestaat niet",
                           (long long)cs->id);
    return lks_err_set(err, LKS_ESTATE, "zaak", "conflict",
                       "zaak %lld is intussen gewijzigd (versie %lld in de database, %lld "
                       "aangeboden); laad de zaak opnieuw",
                       (long long)cs->id, (long long)version, (long long)cs->version);
}

static int check_save(const struct sq_store *s, const struct case_state *cs,
                      const struct case_event *ev, const struct case_deadline *dl, int ndl,
                      struct lks_err *err)
{
    if (!in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "no-transaction",
                           "een zaak opslaan kan alleen binnen een transactie");
    return rows_check_save(cs, ev, dl, ndl, err);
}

/* Run a prepared write of `q` with its bindings in place; SQLITE_DONE or the error. */
static int step_write(struct sq_store *s, int q, sqlite3_stmt *st, const char *table,
                      const char *what, struct lks_err *err)
{
    int src = sqlite3_step(st);
    put(s, q, st);
    return src == SQLITE_DONE ? 0 : db_err(s, src, table, what, err);
}

static int put_child(void *ctx, const struct case_state *cs, int k, int j, struct lks_err *err)
{
    struct sq_store *s = ctx;
    sqlite3_stmt *st = get(s, Q_CHILD_INSERT + k, err);
    if (!st)
        return err->code;
    BIND_STR(st, 1, cs->tenant);
    bind_int(st, 2, cs->id);
    bind_int(st, 3, j);
    bind_child(st, 4, cs, k, j);
    return step_write(s, Q_CHILD_INSERT + k, st, rows_child[k].table, "het opslaan van de zaak",
                      err);
}

static int trim_child(void *ctx, const struct case_state *cs, int k, int n, struct lks_err *err)
{
    struct sq_store *s = ctx;
    sqlite3_stmt *st = get(s, Q_CHILD_DELETE + k, err);
    if (!st)
        return err->code;
    bind_int(st, 1, cs->id);
    bind_int(st, 2, n);
    return step_write(s, Q_CHILD_DELETE + k, st, rows_child[k].table, "het opslaan van de zaak",
                      err);
}

static int put_deadline(void *ctx, const struct case_state *cs, int i,
                        const struct case_deadline *d, struct lks_err *err)
{
    struct sq_store *s = ctx;
    sqlite3_stmt *st = get(s, Q_DL_INSERT, err);
    if (!st)
        return err->code;
    int c = 1;
    BIND_STR(st, c++, cs->tenant);
    bind_int(st, c++, cs->id);
    bind_int(st, c++, i);
    bind_int(st, c++, d->kind);
    bind_int(st, c++, d->index);
    bind_date(st, c++, d->start);
    bind_date(st, c++, d->due);
    bind_date(st, c++, d->done);
    return step_write(s, Q_DL_INSERT, st, "deadlines", "het opslaan van de termijnen", err);
}

static int trim_deadlines(void *ctx, const struct case_state *cs, int n, struct lks_err *err)
{
    struct sq_store *s = ctx;
    sqlite3_stmt *st = get(s, Q_DL_TRIM, err);
    if (!st)
        return err->code;
    bind_int(st, 1, cs->id);
    bind_int(st, 2, n);
    return step_write(s, Q_DL_TRIM, st, "deadlines", "het opslaan van de termijnen", err);
}

static int put_next(void *ctx, const struct case_state *cs, const struct case_deadline *next,
                    struct lks_err *err)
{
    struct sq_store *s = ctx;
    sqlite3_stmt *st = get(s, Q_CASE_NEXT, err);
    if (!st)
        return err->code;
    bind_int(st, 1, cs->id);
    if (next)
        bind_int(st, 2, next->kind);
    else
        sqlite3_bind_null(st, 2);
    bind_date(st, 3, next ? next->due : LKS_NO_DATE);
    return step_write(s, Q_CASE_NEXT, st, "cases", "het opslaan van de eerstvolgende termijn", err);
}

/*
 * The case's deadlines as stored (none for a new case), then those that changed: every
 * row written costs three b-tree updates (the key and two partial indexes).
 */
static int save_deadlines(struct sq_store *s, const struct rows_sink *w,
                          const struct case_state *cs, const struct case_deadline *dl, int ndl,
                          struct lks_err *err)
{
    struct case_deadline old[CASE_MAX_DEADLINES];
    int nold = 0, src = SQLITE_DONE;
    if (cs->version > 1) {
        sqlite3_stmt *st = get(s, Q_DL_CASE, err);
        if (!st)
            return err->code;
        bind_int(st, 1, cs->id);
        while ((src = sqlite3_step(st)) == SQLITE_ROW && nold < CASE_MAX_DEADLINES) {
            struct case_deadline *o = &old[nold++];
            o->kind = (enum dl_kind)col_int(st, 0);
            o->index = (int)col_int(st, 1);
            o->start = col_date(st, 2);
            o->due = col_date(st, 3);
            o->done = col_date(st, 4);
        }
        put(s, Q_DL_CASE, st);
        if (src != SQLITE_DONE && src != SQLITE_ROW)
            return db_err(s, src, "deadlines", "het lezen van de termijnen", err);
    }
    return rows_save_deadlines(w, cs, old, nold, dl, ndl, err);
}

static int save_event(struct sq_store *s, const struct case_state *cs, const struct case_event *ev,
                      const char *data_json, struct lks_err *err)
{
    sqlite3_stmt *st = get(s, Q_EVENT_INSERT, err);
    if (!st)
        return err->code;
    int c = 1;
    BIND_STR(st, c++, cs->tenant);
    bind_int(st, c++, cs->id);
    bind_int(st, c++, ev->seq);
    sqlite3_bind_text(st, c++, ev_type_name(ev->type), -1, SQLITE_STATIC);
    bind_int(st, c++, ev->at);
    bind_date(st, c++, ev->date);
    BIND_STR(st, c++, ev->actor);
    sqlite3_bind_text(st, c++, role_name(ev->role), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, c++, data_json ? data_json : "{}", -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    put(s, Q_EVENT_INSERT, st);
    if ((src & 0xff) == SQLITE_CONSTRAINT)
        return lks_err_set(err, LKS_ESTATE, "seq", "conflict",
                           "gebeurtenis %lld van zaak %lld bestaat al; de zaak is intussen "
                           "gewijzigd",
                           (long long)ev->seq, (long long)cs->id);
    if (src != SQLITE_DONE)
        return db_err(s, src, "events", "het opslaan van de gebeurtenis", err);
    return 0;
}

int sq_case_save(struct sq_store *s, struct case_state *cs, const struct case_event *ev,
                 const char *data_json, unsigned parts, const struct case_deadline *dl, int ndl,
                 struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc == 0)
        rc = check_save(s, cs, ev, dl, ndl, err);
    bool parties = rows_parties_due(cs, parts);
    if (rc == 0)
        rc = missing_json(s, cs, err);
    if (rc)
        return rc;

    /* The case row first: the event and child rows refer to it. A later version
     * whose parties did not change updates only the columns that can change. */
    int q = parties || cs->version == 1   ? Q_CASE_UPSERT
            : (parts & PART_CASE_INDEXED) ? Q_CASE_UPDATE
                                          : Q_CASE_UPDATE_LITE;
    sqlite3_stmt *st = get(s, q, err);
    if (!st)
        return err->code;
    bind_case(s, st, cs);
    int src = sqlite3_step(st);
    int changed = sqlite3_changes(s->db);
    put(s, q, st);
    if (src != SQLITE_DONE)
        return db_err(s, src, "cases", "het opslaan van de zaak", err);
    if (changed == 0)
        return case_refused(s, cs, err);

    rc = save_event(s, cs, ev, data_json, err);
    const struct rows_sink w = {s, put_child, trim_child, put_deadline, trim_deadlines, put_next};
    if (rc == 0)
        rc = rows_save_children(&w, cs, parts, err);
    if (rc == 0)
        rc = save_deadlines(s, &w, cs, dl, ndl, err);
    return rc;
}

/* ---- cases: reading ---- */

static int read_missing(struct sq_store *s, struct case_state *cs, const char *json,
                        struct lks_err *err)
{
    cs->nmissing = 0;
    if (strcmp(json, "[]") == 0) /* the usual case: no statement needed */
        return 0;
    sqlite3_stmt *st = get(s, Q_MISSING, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, json, -1, SQLITE_TRANSIENT);
    int src, rc = 0, n = 0;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (n >= CASE_MAX_MISSING || strcmp(col_cstr(st, 1), "text") != 0) {
            rc = rows_corrupt("missing", err, "ontbrekende stukken", cs->id);
            break;
        }
        COL_STR(st, 0, cs->missing[n]);
        n++;
    }
    put(s, Q_MISSING, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "missing", "het lezen van de zaak", err);
    cs->nmissing = n;
    return 0;
}

/* Columns of Q_CASE_GET (the mirror of bind_case), then person and employer. */
static int read_case_row(struct sq_store *s, sqlite3_stmt *st, struct case_state *cs,
                         struct lks_err *err)
{
    int c = 0;
    cs->id = col_int(st, c++);
    COL_STR(st, c++, cs->tenant);
    c += 2; /* person_id, employer_id: read with their rows below */
    int status = case_status_parse(col_cstr(st, c++));
    if (status < 0)
        return rows_corrupt("status", err, "onbekende status", cs->id);
    cs->status = (enum case_status)status;
    cs->version = col_int(st, c++);
    COL_STR(st, c++, cs->case_worker);
    COL_STR(st, c++, cs->applicant);
    cs->applied = col_date(st, c++);
    cs->complete = col_date(st, c++);
    cs->info_requested = col_date(st, c++);
    cs->info_wait_days = (int32_t)col_int(st, c++);
    int rc = read_missing(s, cs, col_cstr(st, c++), err);
    if (rc)
        return rc;
    struct placement *pl = &cs->placement;
    pl->start = col_date(st, c++);
    pl->end = col_date(st, c++);
    pl->hours = (int32_t)col_int(st, c++);
    pl->wage = col_int(st, c++);
    COL_STR(st, c++, pl->job_title);
    COL_STR(st, c++, pl->staff_number);
    pl->kind = (enum placement_kind)col_int(st, c++);
    pl->ended = col_date(st, c++);
    COL_STR(st, c++, pl->end_reason);
    struct access_test *t = &cs->test;
    t->done = col_int(st, c++) != 0;
    t->voluntary = col_int(st, c++) != 0;
    t->started = col_date(st, c++);
    t->decided = col_date(st, c++);
    t->outcome = (int)col_int(st, c++);
    t->limitation = (uint8_t)col_int(st, c++);
    COL_STR(st, c++, t->explanation);
    cs->forfait = col_int(st, c++) != 0;
    cs->forfait_from = col_date(st, c++);
    cs->decision_basis = col_date(st, c++);
    cs->closed = col_date(st, c++);
    COL_STR(st, c++, cs->close_reason);
    c = read_person(st, c, &cs->person);
    read_employer(st, c, &cs->employer);
    return 0;
}

static int read_children(struct sq_store *s, struct case_state *cs, struct lks_err *err)
{
    for (int k = 0; k < NCHILD; k++) {
        sqlite3_stmt *st = get(s, Q_CHILD_SELECT + k, err);
        if (!st)
            return err->code;
        bind_int(st, 1, cs->id);
        sqlite3_bind_text(st, 2, cs->tenant, -1, SQLITE_STATIC);
        int src, rc = 0, n = 0;
        while ((src = sqlite3_step(st)) == SQLITE_ROW) {
            /* Rows must be exactly 0..n-1: anything else is not what we wrote. */
            if (n >= rows_child[k].max || col_int(st, 0) != n) {
                rc = rows_corrupt(rows_child[k].table, err, rows_child[k].table, cs->id);
                break;
            }
            read_child(st, 1, cs, k, n);
            n++;
        }
        put(s, Q_CHILD_SELECT + k, st);
        if (rc)
            return rc;
        if (src != SQLITE_DONE)
            return db_err(s, src, rows_child[k].table, "het lezen van de zaak", err);
        rows_set_child_count(cs, k, n);
    }
    return 0;
}

int sq_case_get(struct sq_store *s, const char *tenant, int64_t id, struct case_state *out,
                struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    bool own;
    if ((rc = read_begin(s, &own, err)) != 0)
        return rc;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = get(s, Q_CASE_GET, err);
    if (!st)
        return read_end(s, own, err->code);
    bind_int(st, 1, id);
    sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = read_case_row(s, st, out, err);
    put(s, Q_CASE_GET, st);
    if (rc == 0 && src == SQLITE_DONE)
        rc = rows_not_found(err, id);
    else if (rc == 0 && src != SQLITE_ROW)
        rc = db_err(s, src, "cases", "het lezen van de zaak", err);
    if (rc == 0)
        rc = read_children(s, out, err);
    return read_end(s, own, rc);
}

/*
 * store_pay_cases (store_pay.h): the case rows of the tenant with a grant decision and
 * each child table of the tenant, every one in case id order, merged: one statement per
 * table for all cases instead of seven per case.
 */
int sq_pay_cases(struct sq_store *s, const char *tenant,
                 int (*cb)(void *arg, const struct case_state *cs), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct case_state *cs = malloc(sizeof *cs);
    if (!cs)
        return lks_err_set(err, LKS_ENOMEM, "zaken", "no-memory", "onvoldoende geheugen");
    bool own;
    if ((rc = read_begin(s, &own, err)) != 0) {
        free(cs);
        return rc;
    }
    sqlite3_stmt *ch[NCHILD] = {0};
    int crc[NCHILD]; /* each child cursor's last step */
    sqlite3_stmt *st = get(s, Q_PAY_CASES, err);
    rc = st ? 0 : err->code;
    for (int k = 0; rc == 0 && k < NCHILD; k++) {
        if (!(ch[k] = get(s, Q_PAY_CHILD + k, err))) {
            rc = err->code;
            break;
        }
        sqlite3_bind_text(ch[k], 1, tenant, -1, SQLITE_STATIC);
        crc[k] = sqlite3_step(ch[k]);
    }
    if (rc == 0)
        sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    int src = SQLITE_DONE;
    while (rc == 0 && (src = sqlite3_step(st)) == SQLITE_ROW) {
        memset(cs, 0, sizeof *cs);
        if ((rc = read_case_row(s, st, cs, err)) != 0)
            break;
        for (int k = 0; rc == 0 && k < NCHILD; k++) {
            while (crc[k] == SQLITE_ROW && col_int(ch[k], 0) < cs->id)
                crc[k] = sqlite3_step(ch[k]);
            int n = 0;
            while (crc[k] == SQLITE_ROW && col_int(ch[k], 0) == cs->id) {
                if (n >= rows_child[k].max || col_int(ch[k], 1) != n) {
                    rc = rows_corrupt(rows_child[k].table, err, rows_child[k].table, cs->id);
                    break;
                }
                read_child(ch[k], 2, cs, k, n++);
                crc[k] = sqlite3_step(ch[k]);
            }
            if (rc == 0 && crc[k] != SQLITE_ROW && crc[k] != SQLITE_DONE)
                rc = db_err(s, crc[k], rows_child[k].table, "het lezen van de zaken", err);
            rows_set_child_count(cs, k, n);
        }
        if (rc == 0)
            rc = cb(arg, cs);
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = db_err(s, src, "cases", "het lezen van de zaken", err);
    put(s, Q_PAY_CASES, st);
    for (int k = 0; k < NCHILD; k++)
        put(s, Q_PAY_CHILD + k, ch[k]);
    free(cs);
    return read_end(s, own, rc);
}

int sq_case_tenant(struct sq_store *s, int64_t id, char tenant[CASE_ID], struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_CASE_OWNER, err);
    if (!st)
        return err->code;
    bind_int(st, 1, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        store_sqlite_col_text(st, 0, tenant, CASE_ID);
    put(s, Q_CASE_OWNER, st);
    if (src == SQLITE_DONE)
        return rows_not_found(err, id);
    if (src != SQLITE_ROW)
        return db_err(s, src, "cases", "het lezen van de zaak", err);
    return 0;
}

static int case_exists(struct sq_store *s, const char *tenant, int64_t id, struct lks_err *err)
{
    sqlite3_stmt *st = get(s, Q_CASE_EXISTS, err);
    if (!st)
        return err->code;
    bind_int(st, 1, id);
    sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    put(s, Q_CASE_EXISTS, st);
    if (src == SQLITE_DONE)
        return rows_not_found(err, id);
    if (src != SQLITE_ROW)
        return db_err(s, src, "cases", "het lezen van de zaak", err);
    return 0;
}

int sq_case_events(struct sq_store *s, const char *tenant, int64_t id,
                   int (*cb)(void *arg, const struct stored_event *e), void *arg,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc == 0)
        rc = case_exists(s, tenant, id, err); /* cases are never deleted: no race */
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_EVENTS, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_int(st, 2, id);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct stored_event e = {
            .case_id = col_int(st, 0),
            .seq = col_int(st, 1),
            .type = col_cstr(st, 2),
            .at = col_int(st, 3),
            .date = col_date(st, 4),
            .actor = col_cstr(st, 5),
            .role = col_cstr(st, 6),
            .data = col_cstr(st, 7),
        };
        if ((rc = cb(arg, &e)) != 0)
            break;
    }
    put(s, Q_EVENTS, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "events", "het lezen van de gebeurtenissen", err);
    return 0;
}

int sq_case_list(struct sq_store *s, const char *tenant, const struct case_filter *f,
                 int (*cb)(void *arg, const struct case_summary *c), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct case_filter all = {.status = -1};
    if (!f)
        f = &all;
    if (f->status < -1 || f->status >= ST_COUNT)
        return lks_err_set(err, LKS_EINVAL, "status", "invalid", "onbekende status");
    int mask = (f->status >= 0 ? LIST_STATUS : 0) | (f->case_worker ? LIST_WORKER : 0) |
               (f->employer_id ? LIST_EMPLOYER : 0);
    int q = Q_LIST + mask;
    sqlite3_stmt *st = get(s, q, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_int(st, 2, f->after_id);
    if (mask & LIST_STATUS)
        sqlite3_bind_text(st, 3, case_status_name((enum case_status)f->status), -1, SQLITE_STATIC);
    if (mask & LIST_WORKER)
        sqlite3_bind_text(st, 4, f->case_worker, -1, SQLITE_STATIC);
    if (mask & LIST_EMPLOYER)
        bind_int(st, 5, f->employer_id);
    bind_int(st, 6, f->limit > 0 ? f->limit : -1); /* LIMIT -1: no limit */
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct case_summary c;
        memset(&c, 0, sizeof c);
        c.id = col_int(st, 0);
        int status = case_status_parse(col_cstr(st, 1));
        if (status < 0) {
            rc = rows_corrupt("status", err, "onbekende status", c.id);
            break;
        }
        c.status = (enum case_status)status;
        COL_STR(st, 2, c.person_name);
        COL_STR(st, 3, c.employer_name);
        COL_STR(st, 4, c.case_worker);
        COL_STR(st, 5, c.person_bsn);
        COL_STR(st, 6, c.employer_kvk);
        c.next_due = col_date(st, 7);
        if ((rc = cb(arg, &c)) != 0)
            break;
    }
    put(s, q, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "cases", "het lezen van de zaken", err);
    return 0;
}

int sq_case_ids(struct sq_store *s, const char *tenant,
                int (*cb)(void *arg, const char *tenant, int64_t id), void *arg,
                struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_CASE_IDS, err);
    if (!st)
        return err->code;
    if (tenant)
        sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if ((rc = cb(arg, col_cstr(st, 0), col_int(st, 1))) != 0)
            break;
    put(s, Q_CASE_IDS, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "cases", "het lezen van de zaaknummers", err);
    return 0;
}

int sq_deadlines_open(struct sq_store *s, const char *tenant, lks_date on,
                      int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                      struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    /* Separate statements per shape, so that each uses its index; without a
     * day (LKS_NO_DATE) it is simply every deadline not done. */
    int q = on == LKS_NO_DATE ? (tenant ? Q_DL_OPEN_TENANT : Q_DL_OPEN_ALL)
                              : (tenant ? Q_DL_ON_TENANT : Q_DL_ON_ALL);
    sqlite3_stmt *st = get(s, q, err);
    if (!st)
        return err->code;
    if (tenant)
        sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    if (on != LKS_NO_DATE)
        bind_int(st, 2, on);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct deadline_row d = {
            .tenant = col_cstr(st, 0),
            .case_id = col_int(st, 1),
            .kind = (enum dl_kind)col_int(st, 2),
            .start = col_date(st, 3),
            .due = col_date(st, 4),
            .done = col_date(st, 5),
            .index = (int)col_int(st, 6),
        };
        if ((rc = cb(arg, &d)) != 0)
            break;
    }
    put(s, q, st);
    if (rc)
        return rc;
    if (src != SQLITE_DONE)
        return db_err(s, src, "deadlines", "het lezen van de termijnen", err);
    return 0;
}

int sq_case_deadlines(struct sq_store *s, const char *tenant, int64_t id, struct case_deadline *out,
                      int max, int *n, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    bool own;
    if ((rc = read_begin(s, &own, err)) != 0)
        return rc;
    sqlite3_stmt *st = get(s, Q_DL_OF_CASE, err);
    if (!st)
        return read_end(s, own, err->code);
    bind_int(st, 1, id);
    sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
    int src, k = 0;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t kind = col_int(st, 0);
        /* positions are exactly 0..n-1 and kinds known: anything else is not ours */
        if (k >= max || col_int(st, 5) != k || kind < 0 || kind >= DL_COUNT) {
            rc = rows_corrupt("deadlines", err, "termijnen", id);
            break;
        }
        out[k++] = (struct case_deadline){(enum dl_kind)kind, col_date(st, 2), col_date(st, 3),
                                          col_date(st, 4), (int)col_int(st, 1)};
    }
    put(s, Q_DL_OF_CASE, st);
    if (rc == 0 && src != SQLITE_DONE)
        rc = db_err(s, src, "deadlines", "het lezen van de termijnen", err);
    *n = rc ? 0 : k;
    return read_end(s, own, rc);
}

int sq_deadlines_latest_start(struct sq_store *s, const char *tenant, unsigned kinds, lks_date *out,
                              struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    sqlite3_stmt *st = get(s, Q_DL_LATEST_START, err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_int(st, 2, kinds);
    int src = sqlite3_step(st);
    *out = src == SQLITE_ROW ? col_date(st, 0) : LKS_NO_DATE;
    put(s, Q_DL_LATEST_START, st);
    if (src != SQLITE_ROW)
        return db_err(s, src, "deadlines", "het lezen van de termijnen", err);
    return 0;
}

/* ---- maintenance ---- */

int sq_backup(struct sq_store *s, const char *to_path, struct lks_err *err)
{
    ERR_GUARD(err);
    if (!to_path || !*to_path)
        return lks_err_set(err, LKS_EINVAL, "bestand", "missing",
                           "geen bestand voor de reservekopie opgegeven");
    /* Inside a transaction of this connection the copy would include what is
     * not committed yet: a backup holds committed data only. */
    if (in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "in-transaction",
                           "een reservekopie kan niet binnen een transactie worden gemaakt");
    /* O_EXCL: never overwrite, also not when two backups race for one name. */
    int fd = open(to_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return lks_err_set(err, LKS_EINVAL, "bestand", "exists",
                               "'%s' bestaat al; een reservekopie overschrijft geen bestaand "
                               "bestand, kies een nieuwe naam",
                               to_path);
        return lks_err_set(err, LKS_EIO, "bestand", "io", "kan '%s' niet aanmaken: %s", to_path,
                           strerror(errno));
    }
    close(fd);
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(to_path, &dst, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        /* One step over all pages: the copy is one consistent snapshot. */
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
        if (!b) {
            rc = sqlite3_errcode(dst);
        } else {
            rc = sqlite3_backup_step(b, -1);
            int frc = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? frc : rc;
        }
    }
    int ret = 0;
    if (rc != SQLITE_OK)
        ret = lks_err_set(err, LKS_EIO, "bestand", "backup", "reservekopie naar '%s' mislukt: %s",
                          to_path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
    if (sqlite3_close(dst) != SQLITE_OK && ret == 0)
        ret = lks_err_set(err, LKS_EIO, "bestand", "backup",
                          "reservekopie naar '%s' niet afgesloten", to_path);
    if (ret)
        unlink(to_path); /* no half copy that looks like a backup */
    return ret;
}

int sq_check(struct sq_store *s, int *ok, struct lks_err *err)
{
    ERR_GUARD(err);
    *ok = 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &st, NULL);
    int rows = 0, good = 0;
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            rows++;
            good = strcmp(col_cstr(st, 0), "ok") == 0;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_err(s, rc, "database", "de controle van de database", err);
    /* Integrity alone does not see a dangling reference: check those as well. */
    st = NULL;
    rc = sqlite3_prepare_v2(s->db, "PRAGMA foreign_key_check", -1, &st, NULL);
    int dangling = 0;
    if (rc == SQLITE_OK)
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            dangling++;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_err(s, rc, "database", "de controle van de database", err);
    *ok = rows == 1 && good && dangling == 0;
    return 0;
}

/* The connection (sqlite_private.h); store.c hands it to this engine's own tests
 * as store_sqlite_handle (per-connection PRAGMAs can only be seen through it).
 * Deliberately not in store.h: no other module may run SQL. */
sqlite3 *sq_handle(struct sq_store *s)
{
    return s->db;
}

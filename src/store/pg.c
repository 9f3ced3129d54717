/*
 * pg — the PostgreSQL engine behind store.h (libpq), for a region or the whole
 * country: several stateless servers on one database.
 *
 * What it is for: every read and write of lks data when the store url is
 * "postgresql://…" or "postgres://…" (libpq's own connection URI, so host,
 * port, user, password, sslmode and a unix socket directory as ?host=/dir all
 * work). The schema and its migrations are in pg_schema.c; they carry the same
 * version numbers as the SQLite ones.
 *
 * Ownership: struct pg_store owns the connection, the names of the statements
 * prepared on it (each SQL text is prepared once per connection and kept until
 * store_close), one parameter buffer and a JSON buffer. Statement texts are
 * built once per process and never change. Results are read whole before any
 * row goes to a callback, so a callback may call the store again; the pointers
 * handed to callbacks (stored_event, deadline_row) are valid only during that
 * callback. One struct pg_store belongs to one thread at a time.
 *
 * Transactions: store_begin is a READ COMMITTED write transaction. Inside it,
 * store_case_get locks the case row (FOR UPDATE), so two servers changing one
 * case take turns as SQLite's single writer does, and the second one reads the
 * first one's result. A writer that did not read the case in its transaction
 * is stopped by the same version check as on SQLite: the case row is written
 * only when its version moves forward (LKS_ESTATE "conflict" otherwise), and
 * (case, seq) of an event is unique: nothing half-written, the caller rolls
 * back. store_read_begin is REPEATABLE READ READ ONLY: one snapshot for every
 * statement until store_read_end; a case read outside a transaction gets one
 * of its own.
 *
 * How it fails: every server error becomes an lks_err with a Dutch message plus
 * the server's text; a refused constraint (class 23, also the append-only
 * triggers) and a serialisation conflict (class 40) are LKS_ESTATE; another
 * tenant's object is LKS_ENOTFOUND. A failed statement inside a transaction
 * leaves it for the caller's store_rollback. A connection that broke is
 * re-established at the next call outside a transaction. A database with an
 * older schema is refused until migrated, a newer one outright (LKS_ESTATE).
 * The url in messages never shows a password.
 *
 * Differences from SQLite, each documented at its call: store_generation gives
 * 0 ("unknown"), store_backup refuses (pg_dump is the tool), store_check checks
 * what the server does not already enforce.
 */
#include <jansson.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/jw.h"
#include "store/stmt.h"
#include "store/pg_private.h"
#include "store/store_engine.h"
#include "store/rows.h"
#include "case/employer.h"
#include "case/person.h"

/* Callers pass an lks_err; a NULL one must still not crash the error path. */
#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

/* Any constant: the advisory lock that serialises migrations of one database. */
#define MIGRATE_LOCK 0x6c6b73 /* "lks" */

#define MAX_PREPARED 256 /* every text of the engine and of the statement layer, with room */

struct pg_store {
    PGconn *conn;
    char *url;     /* as given, for reconnecting and for plog's own connections */
    char *display; /* without a password, for messages */
    int schema;    /* version found at open or after store_migrate */
    bool write_tx; /* the open transaction is store_begin's */
    int nprep;
    const char *prepared[MAX_PREPARED]; /* prepared as "s<i>", by SQL address */
    struct jw jw;                       /* the JSON of cases.missing */
    struct pg_params params;
};

/* ---- parameters ---- */

struct pg_params *pg_params(struct pg_store *s)
{
    s->params.n = 0;
    s->params.used = 0;
    s->params.over = false;
    return &s->params;
}

struct pg_params *pg_params_current(struct pg_store *s)
{
    return &s->params;
}

static void pgp_put(struct pg_params *p, const char *v, int len, int fmt)
{
    if (p->n >= PG_MAXP) {
        p->over = true;
        return;
    }
    p->v[p->n] = v;
    p->len[p->n] = len;
    p->fmt[p->n] = fmt;
    p->n++;
}

/* A copy in the arena, NUL-terminated (libpq reads text parameters to the NUL). */
static const char *arena_copy(struct pg_params *p, const void *v, size_t n)
{
    if (p->over || p->used + n + 1 > sizeof p->arena) {
        p->over = true;
        return NULL;
    }
    char *d = p->arena + p->used;
    if (n)
        memcpy(d, v, n);
    d[n] = '\0';
    p->used += n + 1;
    return d;
}

void pgp_textn(struct pg_params *p, const char *v, size_t n)
{
    pgp_put(p, arena_copy(p, v, n), (int)n, 0);
}

void pgp_text(struct pg_params *p, const char *v, size_t cap)
{
    pgp_textn(p, v, strnlen(v, cap));
}

void pgp_cstr(struct pg_params *p, const char *v)
{
    if (!v)
        pgp_null(p);
    else
        pgp_textn(p, v, strlen(v));
}

void pgp_null(struct pg_params *p)
{
    pgp_put(p, NULL, 0, 0);
}

void pgp_int(struct pg_params *p, int64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof num, "%lld", (long long)v);
    pgp_textn(p, num, (size_t)n);
}

void pgp_date(struct pg_params *p, lks_date d)
{
    if (d == LKS_NO_DATE)
        pgp_null(p);
    else
        pgp_int(p, d);
}

void pgp_bytes(struct pg_params *p, const void *b, size_t n)
{
    pgp_put(p, arena_copy(p, b, n), (int)n, 1);
}

void pgp_bytes_ref(struct pg_params *p, const void *b, size_t n)
{
    if (n > (size_t)INT_MAX) {
        p->over = true;
        return;
    }
    pgp_put(p, n ? b : "", (int)n, 1);
}

void pgp_text_ref(struct pg_params *p, const char *v, size_t n)
{
    if (n > (size_t)INT_MAX) {
        p->over = true;
        return;
    }
    pgp_put(p, v, (int)n, 0);
}

/* Text that is NULL when empty (BSN, KvK: unset keys must not collide). */
static void pgp_key(struct pg_params *p, const char *v, size_t cap)
{
    if (strnlen(v, cap) == 0)
        pgp_null(p);
    else
        pgp_text(p, v, cap);
}

/* ---- columns ---- */

int64_t pg_col_int(const PGresult *r, int row, int col)
{
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

lks_date pg_col_date(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return LKS_NO_DATE;
    return (lks_date)pg_col_int(r, row, col);
}

const char *pg_col_cstr(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col); /* "" for NULL */
}

bool pg_col_text(const PGresult *r, int row, int col, char *dst, size_t cap)
{
    const char *t = PQgetvalue(r, row, col);
    size_t n = (size_t)PQgetlength(r, row, col), k = stmt_utf8_fit(t, n, cap);
    if (k)
        memcpy(dst, t, k);
    dst[k] = '\0';
    return k == n;
}
#define COL_STR(r, row, c, f) pg_col_text(r, row, c, f, sizeof(f))

int64_t pg_changes(const PGresult *r)
{
    return strtoll(PQcmdTuples((PGresult *)r), NULL, 10);
}

/* ---- errors ---- */

const char *pg_sqlstate(const PGresult *res)
{
    const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return st ? st : "";
}

/* The server's message without libpq's trailing newline. */
static void server_text(PGconn *conn, const PGresult *res, char *buf, size_t cap)
{
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!m)
        m = conn ? PQerrorMessage(conn) : "";
    if (!m || !*m)
        m = "onbekende fout";
    snprintf(buf, cap, "%s", m);
    size_t n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
}

int pg_fail(PGconn *conn, const PGresult *res, const char *field, const char *what,
            struct lks_err *err)
{
    char m[200];
    server_text(conn, res, m, sizeof m);
    const char *st = pg_sqlstate(res);
    if (strncmp(st, "23", 2) == 0)
        return lks_err_set(err, LKS_ESTATE, field, "constraint", "de database weigert %s: %s", what,
                           m);
    if (strncmp(st, "40", 2) == 0)
        return lks_err_set(err, LKS_ESTATE, field, "conflict",
                           "conflict met een andere verbinding bij %s; probeer het opnieuw: %s",
                           what, m);
    if (strncmp(st, "22", 2) == 0)
        return lks_err_set(err, LKS_EINVAL, field, "invalid",
                           "de database weigert een waarde bij %s: %s", what, m);
    if (strcmp(st, "53100") == 0)
        return lks_err_set(err, LKS_EIO, field, "disk-full",
                           "de schijf van de database is vol bij %s: %s", what, m);
    if (strcmp(st, "53200") == 0)
        return lks_err_set(err, LKS_ENOMEM, field, "no-memory", "onvoldoende geheugen bij %s: %s",
                           what, m);
    if (strncmp(st, "08", 2) == 0 || strncmp(st, "57P", 3) == 0 ||
        (conn && PQstatus(conn) != CONNECTION_OK))
        return lks_err_set(err, LKS_EIO, field, "connection",
                           "de verbinding met de database is verbroken bij %s: %s", what, m);
    return lks_err_set(err, LKS_EIO, field, "postgresql", "databasefout bij %s: %s", what, m);
}

/* ---- running statements ---- */

bool pg_in_tx(struct pg_store *s)
{
    PGTransactionStatusType t = PQtransactionStatus(s->conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

PGconn *pg_conn(struct pg_store *s)
{
    return s->conn;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* A broken connection outside a transaction is made again; what was prepared on
 * the old one is gone with it. Inside a transaction the caller hears of it. */
static void revive(struct pg_store *s)
{
    if (PQstatus(s->conn) == CONNECTION_OK)
        return;
    PQreset(s->conn);
    s->nprep = 0;
    s->write_tx = false;
}

/*
 * The statement layer's placeholders (stmt.h): `?N` outside quoted text becomes `$N`.
 * Returns sql itself when it has none, else a malloc'd copy (NULL: out of memory).
 */
static char *dollar_params(const char *sql)
{
    if (!strchr(sql, '?'))
        return (char *)sql;
    size_t n = strlen(sql);
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    char quote = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = sql[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?' && sql[i + 1] >= '1' && sql[i + 1] <= '9') {
            c = '$';
        }
        d[i] = c;
    }
    return d;
}

PGresult *pg_run_params(struct pg_store *s, const char *sql, int n, const char *const *values,
                        const int *lengths, const int *formats, const char *field, const char *what,
                        struct lks_err *err)
{
    revive(s);
    int slot = -1;
    for (int i = 0; i < s->nprep; i++)
        if (s->prepared[i] == sql) {
            slot = i;
            break;
        }
    char name[16];
    PGresult *res;
    if (slot < 0 && s->nprep < MAX_PREPARED) {
        slot = s->nprep;
        snprintf(name, sizeof name, "s%d", slot);
        char *text = dollar_params(sql);
        if (!text) {
            lks_err_set(err, LKS_ENOMEM, field, "no-memory", "onvoldoende geheugen bij %s", what);
            return NULL;
        }
        res = PQprepare(s->conn, name, text, 0, NULL);
        if (text != sql)
            free(text);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            pg_fail(s->conn, res, field, what, err);
            PQclear(res);
            return NULL;
        }
        PQclear(res);
        s->prepared[s->nprep++] = sql;
    }
    if (slot >= 0) {
        snprintf(name, sizeof name, "s%d", slot);
        res = PQexecPrepared(s->conn, name, n, values, lengths, formats, 0);
    } else { /* more texts than the cache holds: parsed each time */
        char *text = dollar_params(sql);
        if (!text) {
            lks_err_set(err, LKS_ENOMEM, field, "no-memory", "onvoldoende geheugen bij %s", what);
            return NULL;
        }
        res = PQexecParams(s->conn, text, n, NULL, values, lengths, formats, 0);
        if (text != sql)
            free(text);
    }
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return res;
    pg_fail(s->conn, res, field, what, err);
    PQclear(res);
    return NULL;
}

PGresult *pg_run(struct pg_store *s, const char *sql, const char *field, const char *what,
                 struct lks_err *err)
{
    struct pg_params *p = &s->params;
    if (p->over) {
        lks_err_set(err, LKS_EIO, "sql", "internal", "interne fout: te veel of te lange waarden");
        return NULL;
    }
    return pg_run_params(s, sql, p->n, p->v, p->len, p->fmt, field, what, err);
}

/* Run a statement for its effect only. */
static int run0(struct pg_store *s, const char *sql, const char *field, const char *what,
                struct lks_err *err)
{
    PGresult *r = pg_run(s, sql, field, what, err);
    if (!r)
        return err->code;
    PQclear(r);
    return 0;
}

/* ---- SQL text, built once per process ---- */

/* (PERSON_FIELDS, CASE_FIELDS, the child tables: store/rows.h) */

#define LIST_STATUS   1
#define LIST_WORKER   2
#define LIST_EMPLOYER 4

#define DL_COLS    "tenant_id,case_id,kind,start,due,done,idx"
#define DL_ORDER   "due,case_id,kind,idx"
#define DL_ORDER_N "5,2,3,7"

static const char SQL_BEGIN[] = "BEGIN";
static const char SQL_BEGIN_READ[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_TENANT_PUT[] =
    "INSERT INTO tenants(code,name,kind) VALUES($1,$2,$3) "
    "ON CONFLICT(code) DO UPDATE SET name=excluded.name,kind=excluded.kind";
static const char SQL_TENANT_GET[] = "SELECT code,name,kind FROM tenants WHERE code=$1";
/* Byte order, as SQLite sorts, whatever the database's collation. */
static const char SQL_TENANT_LIST[] =
    "SELECT code,name,kind FROM tenants ORDER BY code COLLATE \"C\"";
static const char SQL_TENANT_LINK[] =
    "INSERT INTO tenant_links(servicepunt,gemeente) VALUES($1,$2) ON CONFLICT DO NOTHING";
static const char SQL_POLICY_PUT[] =
    "INSERT INTO policies(tenant_id,from_date,key,value) VALUES($1,$2,$3,$4) "
    "ON CONFLICT(tenant_id,from_date,key) DO UPDATE SET value=excluded.value";
static const char SQL_POLICY_ROWS[] = "SELECT from_date,key,value FROM policies WHERE tenant_id=$1 "
                                      "ORDER BY from_date,key COLLATE \"C\"";
static const char SQL_EMPLOYER_EVENT_INSERT[] =
    "INSERT INTO employer_events(tenant_id,employer_id,seq,type,at,date,actor,role,case_id,data) "
    "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT(employer_id,seq) DO NOTHING";
static const char SQL_EMPLOYER_EVENTS[] =
    "SELECT employer_id,seq,type,at,date,actor,role,case_id,data FROM employer_events "
    "WHERE tenant_id=$1 AND employer_id=$2 ORDER BY seq";
static const char SQL_PERSON_EVENT_INSERT[] =
    "INSERT INTO person_events(tenant_id,person_id,seq,type,at,date,actor,role,case_id,data) "
    "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT(person_id,seq) DO NOTHING";
static const char SQL_PERSON_EVENTS[] =
    "SELECT person_id,seq,type,at,date,actor,role,case_id,data FROM person_events "
    "WHERE tenant_id=$1 AND person_id=$2 ORDER BY seq";
static const char SQL_PERSON_BY_ID[] =
    "SELECT id," PERSON_FIELDS " FROM persons WHERE tenant_id=$1 AND id=$2";
static const char SQL_PERSON_LIST[] =
    "SELECT id," PERSON_FIELDS " FROM persons WHERE tenant_id=$1 ORDER BY id";
static const char SQL_DL_OF_CASE[] = "SELECT kind,idx,start,due,done,pos FROM deadlines "
                                     "WHERE case_id=$1 AND tenant_id=$2 ORDER BY pos";
static const char SQL_DL_LATEST_START[] =
    "SELECT max(start) FROM deadlines WHERE tenant_id=$1 AND (($2::bigint >> kind) & 1) = 1";
static const char SQL_PERSON_BY_BSN[] =
    "SELECT id," PERSON_FIELDS " FROM persons WHERE tenant_id=$1 AND bsn=$2";
static const char SQL_EMPLOYER_BY_KVK[] =
    "SELECT id," EMPLOYER_FIELDS " FROM employers WHERE tenant_id=$1 AND kvk=$2";
static const char SQL_PERSON_LAST_TEST[] =
    "SELECT max(test_decided) FROM cases WHERE tenant_id=$1 AND person_id=$2 AND id<>$3 AND "
    "test_done=1";
/* Never below an id already in use, even if cases were imported beyond the sequence:
 * then the sequence is moved past them by taking ids (safe against concurrent
 * callers, only nextval moves it), or for a jump too large for that by setting it. */
static const char SQL_NEW_ID[] =
    "SELECT nextval('case_ids'), (SELECT coalesce(max(id),0) FROM cases)";
static const char SQL_NEW_ID_SKIP[] =
    "SELECT max(v) FROM (SELECT nextval('case_ids') AS v FROM generate_series(1,$1)) x";
static const char SQL_NEW_ID_SET[] = "SELECT setval('case_ids', $1)";
#define NEW_ID_SKIP_MAX 1000000
static const char SQL_CASE_OWNER[] = "SELECT tenant_id,version FROM cases WHERE id=$1";
/* A second writer of the same (case, seq) inserts nothing: the conflict is told by
 * the count, and the transaction stays usable for the caller's rollback. */
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO events(tenant_id,case_id,seq,type,at,date,actor,role,data) "
    "VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT(case_id,seq) DO NOTHING";
static const char SQL_CASE_EXISTS[] = "SELECT 1 FROM cases WHERE id=$1 AND tenant_id=$2";
static const char SQL_EVENTS[] = "SELECT case_id,seq,type,at,date,actor,role,data FROM events "
                                 "WHERE tenant_id=$1 AND case_id=$2 ORDER BY seq";
static const char SQL_CASE_IDS[] =
    "SELECT tenant_id,id FROM cases WHERE $1::text IS NULL OR tenant_id=$1 ORDER BY id";
static const char SQL_DL_OPEN_ALL[] =
    "SELECT " DL_COLS " FROM deadlines WHERE done IS NULL ORDER BY " DL_ORDER;
static const char SQL_DL_OPEN_TENANT[] = "SELECT " DL_COLS " FROM deadlines WHERE tenant_id=$1 "
                                         "AND done IS NULL ORDER BY " DL_ORDER;
static const char SQL_DL_ON_ALL[] =
    "SELECT " DL_COLS " FROM deadlines WHERE done IS NULL AND (start IS NULL OR start<=$1)"
    " UNION ALL SELECT " DL_COLS " FROM deadlines WHERE done>$1 AND (start IS NULL OR start<=$1)"
    " ORDER BY " DL_ORDER_N;
static const char SQL_DL_ON_TENANT[] =
    "SELECT " DL_COLS " FROM deadlines WHERE tenant_id=$1 AND done IS NULL AND "
    "(start IS NULL OR start<=$2) UNION ALL SELECT " DL_COLS " FROM deadlines "
    "WHERE tenant_id=$1 AND done>$2 AND (start IS NULL OR start<=$2) ORDER BY " DL_ORDER_N;
static const char SQL_DL_INSERT[] =
    "INSERT INTO deadlines(tenant_id,case_id," DEADLINE_FIELDS ") VALUES($1,$2,$3,$4,$5,$6,$7,$8) "
    "ON CONFLICT(case_id,pos) DO UPDATE SET tenant_id=excluded.tenant_id,kind=excluded.kind,"
    "idx=excluded.idx,start=excluded.start,due=excluded.due,done=excluded.done";
static const char SQL_PERSON_CASES[] =
    "SELECT id,status FROM cases WHERE tenant_id=$1 AND person_id=$2 ORDER BY id";
static const char SQL_EMPLOYER_LIST[] =
    "SELECT id," EMPLOYER_FIELDS " FROM employers WHERE tenant_id=$1 ORDER BY id";
static const char SQL_DL_CASE[] =
    "SELECT kind,idx,start,due,done FROM deadlines WHERE case_id=$1 ORDER BY pos";
static const char SQL_DL_TRIM[] = "DELETE FROM deadlines WHERE case_id=$1 AND pos>=$2";
static const char SQL_CASE_NEXT[] = "UPDATE cases SET next_kind=$2,next_due=$3 WHERE id=$1";
static const char SQL_VERSION_TABLE[] = "SELECT to_regclass('schema_version') IS NOT NULL";
static const char SQL_VERSION[] = "SELECT coalesce(max(version),0) FROM schema_version";

/* The statements that are built from the column lists. */
static struct {
    char *person_insert, *person_write, *employer_insert, *employer_write;
    char *case_upsert, *case_get, *case_get_lock;
    char *child_delete[NCHILD], *child_insert[NCHILD], *child_select[NCHILD];
    char *pay_cases, *pay_child[NCHILD]; /* store_pay_cases */
    char *list[8];
    bool failed;
} sql;
static pthread_once_t sql_once = PTHREAD_ONCE_INIT;

/* A growing string; on allocation failure the statement is NULL (reported at use). */
struct sb {
    char *buf;
    size_t len, cap;
    bool failed;
};

static void sb_addn(struct sb *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *nb = realloc(b->buf, cap);
        if (!nb) {
            b->failed = true;
            return;
        }
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_add(struct sb *b, const char *s)
{
    sb_addn(b, s, strlen(s));
}

/* s followed by the number v (a parameter: "$" and 3 gives "$3"). */
static void sb_num(struct sb *b, const char *s, int v)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof tmp, "%d", v);
    sb_add(b, s);
    sb_addn(b, tmp, (size_t)n);
}

static char *sb_done(struct sb *b)
{
    if (b->failed || !b->buf) {
        free(b->buf);
        sql.failed = true;
        return NULL;
    }
    return b->buf;
}

/* Each column of a comma list as pre+col[+mid+col], comma-separated, except `skip`'s. */
static void sb_each(struct sb *b, const char *cols, const char *pre, const char *mid,
                    const char *skip)
{
    bool first = true;
    for (const char *p = cols; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool skipped = false;
        for (const char *k = skip; k && *k;) {
            const char *ke = strchr(k, ',');
            size_t kn = ke ? (size_t)(ke - k) : strlen(k);
            if (kn == n && memcmp(k, p, n) == 0)
                skipped = true;
            k += kn + (ke ? 1 : 0);
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
        }
        p += n + (e ? 1 : 0);
    }
}

static void sb_params(struct sb *b, int from, int to)
{
    for (int i = from; i <= to; i++)
        sb_num(b, i > from ? ",$" : "$", i);
}

/* INSERT … ON CONFLICT(conflict) DO UPDATE SET c=excluded.c for the columns not in keep. */
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
    sb_each(b, cols, "", "=excluded.", keep);
}

static void build_sql(void)
{
    struct sb b = {0};
    sb_add(&b, "INSERT INTO persons(tenant_id," PERSON_FIELDS ") VALUES(");
    sb_params(&b, 1, 1 + PERSON_NFIELDS);
    sb_add(&b, ") RETURNING id");
    sql.person_insert = sb_done(&b);

    /* As employers: only forward, one version at a time, the BSN never rewritten. */
    b = (struct sb){0};
    sb_add(&b, "UPDATE persons SET (" PERSON_FIELDS ")=(");
    sb_params(&b, 2, 1 + PERSON_NFIELDS);
    sb_num(&b, ") WHERE id=$", 2 + PERSON_NFIELDS);
    sb_num(&b, " AND tenant_id=$1 AND bsn IS NOT DISTINCT FROM $2 AND version=$",
           3 + PERSON_NFIELDS);
    sql.person_write = sb_done(&b);

    b = (struct sb){0};
    sb_add(&b, "INSERT INTO employers(tenant_id," EMPLOYER_FIELDS ") VALUES(");
    sb_params(&b, 1, 1 + EMPLOYER_NFIELDS);
    sb_add(&b, ") RETURNING id");
    sql.employer_insert = sb_done(&b);

    /* Only forward, one version at a time; the KvK number is never rewritten. */
    b = (struct sb){0};
    sb_add(&b, "UPDATE employers SET (" EMPLOYER_FIELDS ")=(");
    sb_params(&b, 2, 1 + EMPLOYER_NFIELDS);
    sb_num(&b, ") WHERE id=$", 2 + EMPLOYER_NFIELDS);
    sb_num(&b, " AND tenant_id=$1 AND kvk=$2 AND version=$", 3 + EMPLOYER_NFIELDS);
    sql.employer_write = sb_done(&b);

    /* Only the same tenant, and only forward: a stale writer changes nothing. */
    b = (struct sb){0};
    sb_upsert(&b, "cases", "id,tenant_id," CASE_FIELDS, "id", "id,tenant_id");
    sb_add(&b, " WHERE cases.tenant_id=excluded.tenant_id AND cases.version<excluded.version");
    sql.case_upsert = sb_done(&b);

    for (int lock = 0; lock < 2; lock++) {
        b = (struct sb){0};
        sb_add(&b, "SELECT c.id,c.tenant_id,");
        sb_each(&b, CASE_FIELDS, "c.", NULL, NULL);
        sb_add(&b, ",p.id,");
        sb_each(&b, PERSON_FIELDS, "p.", NULL, NULL);
        sb_add(&b, ",e.id,");
        sb_each(&b, EMPLOYER_FIELDS, "e.", NULL, NULL);
        sb_add(&b, " FROM cases c JOIN persons p ON p.id=c.person_id"
                   " JOIN employers e ON e.id=c.employer_id WHERE c.id=$1 AND c.tenant_id=$2");
        if (lock)
            sb_add(&b, " FOR UPDATE OF c");
        *(lock ? &sql.case_get_lock : &sql.case_get) = sb_done(&b);
    }

    for (int k = 0; k < NCHILD; k++) {
        b = (struct sb){0};
        sb_add(&b, "DELETE FROM ");
        sb_add(&b, rows_child[k].table);
        sb_add(&b, " WHERE case_id=$1 AND idx>=$2");
        sql.child_delete[k] = sb_done(&b);

        b = (struct sb){0};
        sb_add(&b, "INSERT INTO ");
        sb_add(&b, rows_child[k].table);
        sb_add(&b, "(tenant_id,case_id,idx,");
        sb_add(&b, rows_child[k].fields);
        sb_add(&b, ") VALUES(");
        sb_params(&b, 1, 3 + rows_ncols(rows_child[k].fields));
        sb_add(&b, ") ON CONFLICT(case_id,idx) DO UPDATE SET tenant_id=excluded.tenant_id,");
        sb_each(&b, rows_child[k].fields, "", "=excluded.", NULL);
        sql.child_insert[k] = sb_done(&b);

        b = (struct sb){0};
        sb_add(&b, "SELECT idx,");
        sb_add(&b, rows_child[k].fields);
        sb_add(&b, " FROM ");
        sb_add(&b, rows_child[k].table);
        sb_add(&b, " WHERE case_id=$1 AND tenant_id=$2 ORDER BY idx");
        sql.child_select[k] = sb_done(&b);

        b = (struct sb){0};
        sb_add(&b, "SELECT case_id,idx,");
        sb_add(&b, rows_child[k].fields);
        sb_add(&b, " FROM ");
        sb_add(&b, rows_child[k].table);
        sb_add(&b, " WHERE tenant_id=$1 ORDER BY case_id,idx");
        sql.pay_child[k] = sb_done(&b);
    }

    b = (struct sb){0};
    sb_add(&b, "SELECT c.id,c.tenant_id,");
    sb_each(&b, CASE_FIELDS, "c.", NULL, NULL);
    sb_add(&b, ",p.id,");
    sb_each(&b, PERSON_FIELDS, "p.", NULL, NULL);
    sb_add(&b, ",e.id,");
    sb_each(&b, EMPLOYER_FIELDS, "e.", NULL, NULL);
    sb_add(&b, " FROM cases c JOIN persons p ON p.id=c.person_id"
               " JOIN employers e ON e.id=c.employer_id WHERE c.tenant_id=$1 AND EXISTS"
               " (SELECT 1 FROM decisions d WHERE d.case_id=c.id AND d.kind=0) ORDER BY c.id");
    sql.pay_cases = sb_done(&b);

    /* One statement per filter combination, each with only the parameters it uses:
     * $1 tenant, $2 after, then status, worker, employer as present, then the limit. */
    for (int mask = 0; mask < 8; mask++) {
        b = (struct sb){0};
        sb_add(&b, "SELECT c.id,c.status,p.name,e.name,c.case_worker,p.bsn,e.kvk,"
                   "(SELECT min(d.due) FROM deadlines d WHERE d.case_id=c.id AND d.done IS NULL)"
                   " FROM cases c JOIN persons p ON p.id=c.person_id"
                   " JOIN employers e ON e.id=c.employer_id"
                   " WHERE c.tenant_id=$1 AND c.id>$2");
        int n = 2;
        if (mask & LIST_STATUS)
            sb_num(&b, " AND c.status=$", ++n);
        if (mask & LIST_WORKER)
            sb_num(&b, " AND c.case_worker=$", ++n);
        if (mask & LIST_EMPLOYER)
            sb_num(&b, " AND c.employer_id=$", ++n);
        sb_num(&b, " ORDER BY c.id LIMIT $", ++n);
        sql.list[mask] = sb_done(&b);
    }
}

/* A built statement, or NULL with err filled. */
static const char *built(const char *text, struct lks_err *err)
{
    if (!text)
        lks_err_set(err, LKS_ENOMEM, "sql", "no-memory", "onvoldoende geheugen voor de opdrachten");
    return text;
}

/* ---- transactions ---- */

/* A read of several statements sees one snapshot: a read transaction unless the
 * caller already has one (then *own stays false). */
static int read_begin(struct pg_store *s, bool *own, struct lks_err *err)
{
    *own = false;
    if (pg_in_tx(s))
        return 0;
    pg_params(s);
    int rc = run0(s, SQL_BEGIN_READ, "database", "het starten van een leestransactie", err);
    if (rc == 0)
        *own = true;
    return rc;
}

static int read_end(struct pg_store *s, bool own, int rc)
{
    if (own && pg_in_tx(s)) {
        struct lks_err ignored;
        pg_params(s);
        /* COMMIT of a failed read rolls it back; a failed COMMIT is rolled back here. */
        if (run0(s, SQL_COMMIT, "database", "het beeindigen van het lezen", &ignored) ||
            pg_in_tx(s))
            pg_rollback(s);
    }
    return rc;
}

int pg_read_begin(struct pg_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    if (pg_in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "in-transaction",
                           "er loopt al een transactie op deze verbinding");
    pg_params(s);
    s->write_tx = false;
    return run0(s, SQL_BEGIN_READ, "database", "het starten van een leestransactie", err);
}

void pg_read_end(struct pg_store *s)
{
    read_end(s, true, 0);
}

int pg_begin(struct pg_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    if (pg_in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "in-transaction",
                           "er loopt al een transactie op deze verbinding");
    pg_params(s);
    int rc = run0(s, SQL_BEGIN, "database", "het starten van een transactie", err);
    s->write_tx = rc == 0;
    return rc;
}

int pg_commit(struct pg_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    if (!pg_in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "no-transaction",
                           "er is geen transactie om vast te leggen");
    bool failed = PQtransactionStatus(s->conn) == PQTRANS_INERROR;
    pg_params(s);
    int rc = run0(s, SQL_COMMIT, "database", "het vastleggen van de transactie", err);
    s->write_tx = false;
    /* COMMIT of a transaction in which a statement failed only rolls back. */
    if (rc == 0 && failed)
        return lks_err_set(err, LKS_ESTATE, "database", "rolled-back",
                           "de transactie is teruggedraaid: een opdracht erin mislukte");
    return rc;
}

void pg_rollback(struct pg_store *s)
{
    if (!s)
        return;
    s->write_tx = false;
    if (!pg_in_tx(s))
        return;
    /* Nothing useful to do when ROLLBACK itself fails: the connection is then
     * broken, and the server has rolled back. */
    PGresult *r = PQexec(s->conn, SQL_ROLLBACK);
    PQclear(r);
}

/*
 * PostgreSQL has no cheap counter of commits like SQLite's data_version for one
 * connection: this engine gives 0, "unknown", so callers never reuse what they
 * derived (see store.h).
 */
int pg_generation(struct pg_store *s, uint64_t *out, struct lks_err *err)
{
    (void)s;
    (void)err;
    *out = 0;
    return 0;
}

/* ---- open, close, schema ---- */

static int read_version(struct pg_store *s, int *out, struct lks_err *err)
{
    *out = 0;
    pg_params(s);
    PGresult *r =
        pg_run(s, SQL_VERSION_TABLE, "schema_version", "het lezen van de schemaversie", err);
    if (!r)
        return err->code;
    bool exists = PQntuples(r) == 1 && strcmp(pg_col_cstr(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!exists)
        return 0;
    pg_params(s);
    r = pg_run(s, SQL_VERSION, "schema_version", "het lezen van de schemaversie", err);
    if (!r)
        return err->code;
    *out = (int)pg_col_int(r, 0, 0);
    PQclear(r);
    return 0;
}

static int too_new(struct pg_store *s, struct lks_err *err)
{
    return rows_schema_too_new(s->display, s->schema, pg_schema_nmigrations, err);
}

static int ready(struct pg_store *s, struct lks_err *err)
{
    return rows_schema_ready(s->display, s->schema, pg_schema_nmigrations, err);
}

int pg_schema_ready(struct pg_store *s, struct lks_err *err)
{
    return ready(s, err);
}

int pg_schema_version(struct pg_store *s, int *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = read_version(s, out, err);
    if (rc == 0)
        s->schema = *out;
    return rc;
}

/* A statement without parameters that is run once (migrations): not prepared. */
static int exec_once(struct pg_store *s, const char *text, const char *what, struct lks_err *err)
{
    PGresult *r = PQexec(s->conn, text);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_fail(s->conn, r, "database", what, err);
    PQclear(r);
    return rc;
}

int pg_migrate(struct pg_store *s, struct lks_err *err)
{
    ERR_GUARD(err);
    if (pg_in_tx(s))
        return lks_err_set(err, LKS_ESTATE, "database", "in-transaction",
                           "de database kan niet binnen een transactie worden bijgewerkt");
    int rc = read_version(s, &s->schema, err);
    if (rc)
        return rc;
    if (s->schema > pg_schema_nmigrations)
        return too_new(s, err);
    for (int v = s->schema + 1; v <= pg_schema_nmigrations; v++) {
        /* Each migration on its own, re-checked under the lock: another server may
         * have migrated while this one waited for it. */
        rc = exec_once(s, "BEGIN", "het starten van de migratie", err);
        if (rc)
            return rc;
        char lock[64];
        snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", MIGRATE_LOCK);
        rc = exec_once(s, lock, "het wachten op een andere migratie", err);
        if (rc == 0)
            rc = exec_once(s,
                           "CREATE TABLE IF NOT EXISTS schema_version ("
                           " version integer PRIMARY KEY, applied bigint NOT NULL)",
                           "het aanmaken van de versietabel", err);
        int cur = 0;
        if (rc == 0)
            rc = read_version(s, &cur, err);
        if (rc == 0 && cur < v) {
            char what[64];
            snprintf(what, sizeof what, "migratie %d", v);
            for (const char *const *m = pg_schema_migrations[v - 1]; rc == 0 && *m; m++)
                rc = exec_once(s, *m, what, err);
            if (rc == 0) {
                struct pg_params *p = pg_params(s);
                pgp_int(p, v);
                pgp_int(p, (int64_t)time(NULL));
                PGresult *r = PQexecParams(
                    s->conn, "INSERT INTO schema_version(version,applied) VALUES($1,$2)", p->n,
                    NULL, p->v, p->len, p->fmt, 0);
                if (PQresultStatus(r) != PGRES_COMMAND_OK)
                    rc = pg_fail(s->conn, r, "database", what, err);
                PQclear(r);
            }
        }
        if (rc == 0)
            rc = exec_once(s, "COMMIT", "het vastleggen van de migratie", err);
        if (rc) {
            pg_rollback(s);
            return rc;
        }
    }
    return read_version(s, &s->schema, err);
}

/* The url without a password (user:password@ and ?password=…), for messages. */
static char *redact(const char *url)
{
    char *d = strdup(url);
    if (!d)
        return NULL;
    char *scheme = strstr(d, "://");
    if (scheme) {
        char *auth = scheme + 3;
        char *at = strchr(auth, '@');
        char *slash = strchr(auth, '/');
        if (at && (!slash || at < slash)) {
            char *colon = memchr(auth, ':', (size_t)(at - auth));
            if (colon)
                memmove(colon, at, strlen(at) + 1);
        }
    }
    char *pw = strstr(d, "password=");
    if (pw) {
        char *end = strchr(pw, '&');
        if (end)
            memmove(pw, end + 1, strlen(end + 1) + 1);
        else
            *pw = '\0';
        size_t n = strlen(d);
        while (n > 0 && (d[n - 1] == '?' || d[n - 1] == '&'))
            d[--n] = '\0';
    }
    return d;
}

int pg_open(struct pg_store **out, const char *url, int flags, struct lks_err *err)
{
    ERR_GUARD(err);
    *out = NULL;
    pthread_once(&sql_once, build_sql);
    if (sql.failed)
        return lks_err_set(err, LKS_ENOMEM, "database", "no-memory", "onvoldoende geheugen");
    struct pg_store *s = calloc(1, sizeof *s);
    if (!s || !(s->url = strdup(url)) || !(s->display = redact(url))) {
        if (s)
            free(s->url);
        free(s);
        return lks_err_set(err, LKS_ENOMEM, "database", "no-memory", "onvoldoende geheugen");
    }
    jw_init(&s->jw, 8192, false);
    s->conn = PQconnectdb(url);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        char m[200];
        server_text(s->conn, NULL, m, sizeof m);
        lks_err_set(err, s->conn ? LKS_EIO : LKS_ENOMEM, "database", "open",
                    "kan database '%s' niet openen: %s", s->display, m);
        pg_close(s);
        return err->code;
    }
    /* CREATE … IF NOT EXISTS and the like send notices; they are not for the user. */
    PQsetNoticeProcessor(s->conn, ignore_notice, NULL);
    int rc = read_version(s, &s->schema, err);
    if (rc == 0 && (flags & STORE_CREATE))
        rc = pg_migrate(s, err);
    if (rc) {
        pg_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void pg_close(struct pg_store *s)
{
    if (!s)
        return;
    PQfinish(s->conn); /* the server rolls back an open transaction */
    jw_free(&s->jw);
    free(s->url);
    free(s->display);
    free(s);
}

/* ---- tenants and policy ---- */

static void read_tenant(const PGresult *r, int row, struct tenant *t)
{
    memset(t, 0, sizeof *t);
    COL_STR(r, row, 0, t->code);
    COL_STR(r, row, 1, t->name);
    t->kind =
        strcmp(pg_col_cstr(r, row, 2), "servicepunt") == 0 ? TENANT_SERVICEPUNT : TENANT_GEMEENTE;
}

int pg_tenant_put(struct pg_store *s, const struct tenant *t, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    if (strnlen(t->code, sizeof t->code) == 0)
        return lks_err_set(err, LKS_EINVAL, "code", "missing", "de code van de gemeente ontbreekt");
    if (t->kind != TENANT_GEMEENTE && t->kind != TENANT_SERVICEPUNT)
        return lks_err_set(err, LKS_EINVAL, "kind", "invalid", "onbekend soort organisatie");
    struct pg_params *p = pg_params(s);
    PGP_STR(p, t->code);
    PGP_STR(p, t->name);
    pgp_cstr(p, rows_tenant_kind_name(t->kind));
    return run0(s, SQL_TENANT_PUT, "tenants", "het opslaan van de gemeente", err);
}

int pg_tenant_get(struct pg_store *s, const char *code, struct tenant *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    pgp_cstr(pg_params(s), code);
    PGresult *r = pg_run(s, SQL_TENANT_GET, "tenants", "het lezen van de gemeente", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "tenant", "not-found", "gemeente '%s' bestaat niet",
                         code);
    else
        read_tenant(r, 0, out);
    PQclear(r);
    return rc;
}

int pg_tenant_link(struct pg_store *s, const char *servicepunt, const char *gemeente,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    struct tenant a, b;
    int rc = pg_tenant_get(s, servicepunt, &a, err);
    if (rc)
        return rc;
    if (a.kind != TENANT_SERVICEPUNT)
        return lks_err_set(err, LKS_EINVAL, "servicepunt", "not-servicepunt",
                           "'%s' is geen werkgeversservicepunt", servicepunt);
    rc = pg_tenant_get(s, gemeente, &b, err);
    if (rc)
        return rc;
    if (b.kind != TENANT_GEMEENTE)
        return lks_err_set(err, LKS_EINVAL, "gemeente", "not-gemeente", "'%s' is geen gemeente",
                           gemeente);
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, servicepunt);
    pgp_cstr(p, gemeente);
    return run0(s, SQL_TENANT_LINK, "tenant_links", "het koppelen van de gemeente", err);
}

int pg_tenant_list(struct pg_store *s, int (*cb)(void *arg, const struct tenant *t), void *arg,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    pg_params(s);
    PGresult *r = pg_run(s, SQL_TENANT_LIST, "tenants", "het lezen van de gemeenten", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct tenant t;
        read_tenant(r, i, &t);
        rc = cb(arg, &t);
    }
    PQclear(r);
    return rc;
}

int pg_policy_put(struct pg_store *s, const char *tenant, lks_date from, const char *key,
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
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, from);
    pgp_cstr(p, key);
    pgp_int(p, value);
    return run0(s, SQL_POLICY_PUT, "policies", "het opslaan van de instelling", err);
}

int pg_policy_rows(struct pg_store *s, const char *tenant,
                   int (*cb)(void *arg, lks_date from, const char *key, int64_t value), void *arg,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    pgp_cstr(pg_params(s), tenant);
    PGresult *r = pg_run(s, SQL_POLICY_ROWS, "policies", "het lezen van de instellingen", err);
    if (!r)
        return err->code;
    for (int row = 0; row < PQntuples(r) && rc == 0; row++)
        rc = cb(arg, pg_col_date(r, row, 0), pg_col_cstr(r, row, 1), pg_col_int(r, row, 2));
    PQclear(r);
    return rc;
}

/* ---- persons and employers ---- */

static int read_person(const PGresult *r, int row, int c, struct person *p)
{
    p->id = pg_col_int(r, row, c++);
    COL_STR(r, row, c++, p->bsn);
    COL_STR(r, row, c++, p->name);
    p->birth = pg_col_date(r, row, c++);
    p->sex = (enum sex)pg_col_int(r, row, c++);
    COL_STR(r, row, c++, p->address);
    COL_STR(r, row, c++, p->postcode);
    COL_STR(r, row, c++, p->city);
    p->household = (enum household)pg_col_int(r, row, c++);
    p->benefit = (enum benefit)pg_col_int(r, row, c++);
    p->benefit_start = pg_col_date(r, row, c++);
    p->wsw_indication = pg_col_int(r, row, c++) != 0;
    p->version = pg_col_int(r, row, c++);
    return c;
}

static int read_employer(const PGresult *r, int row, int c, struct employer *e)
{
    e->id = pg_col_int(r, row, c++);
    COL_STR(r, row, c++, e->kvk);
    COL_STR(r, row, c++, e->name);
    COL_STR(r, row, c++, e->address);
    COL_STR(r, row, c++, e->postcode);
    COL_STR(r, row, c++, e->city);
    COL_STR(r, row, c++, e->iban);
    e->employees = (int32_t)pg_col_int(r, row, c++);
    e->fulltime_hours = (int32_t)pg_col_int(r, row, c++);
    e->own_sickness_insurance = pg_col_int(r, row, c++) != 0;
    COL_STR(r, row, c++, e->iban_proposed);
    COL_STR(r, row, c++, e->iban_proposed_by);
    e->iban_proposed_on = pg_col_date(r, row, c++);
    e->version = pg_col_int(r, row, c++);
    return c;
}

static void bind_person(struct pg_params *p, const char *tenant, const struct person *x)
{
    pgp_cstr(p, tenant);
    pgp_key(p, x->bsn, sizeof x->bsn);
    PGP_STR(p, x->name);
    pgp_date(p, x->birth);
    pgp_int(p, x->sex);
    PGP_STR(p, x->address);
    PGP_STR(p, x->postcode);
    PGP_STR(p, x->city);
    pgp_int(p, x->household);
    pgp_int(p, x->benefit);
    pgp_date(p, x->benefit_start);
    pgp_int(p, x->wsw_indication);
    pgp_int(p, x->version);
}

static void bind_employer(struct pg_params *p, const char *tenant, const struct employer *e)
{
    pgp_cstr(p, tenant);
    pgp_key(p, e->kvk, sizeof e->kvk);
    PGP_STR(p, e->name);
    PGP_STR(p, e->address);
    PGP_STR(p, e->postcode);
    PGP_STR(p, e->city);
    PGP_STR(p, e->iban);
    pgp_int(p, e->employees);
    pgp_int(p, e->fulltime_hours);
    pgp_int(p, e->own_sickness_insurance);
    PGP_STR(p, e->iban_proposed);
    PGP_STR(p, e->iban_proposed_by);
    pgp_date(p, e->iban_proposed_on);
    pgp_int(p, e->version);
}

/* Run a write with RETURNING id; *id = 0 when it touched no row. */
static int run_returning(struct pg_store *s, const char *text, int64_t *id, const char *field,
                         const char *what, struct lks_err *err)
{
    PGresult *r = pg_run(s, text, field, what, err);
    if (!r)
        return err->code;
    *id = PQntuples(r) > 0 ? pg_col_int(r, 0, 0) : 0;
    PQclear(r);
    return 0;
}

/* ---- employers: master data of their own ---- */

/* A record of its own (an employer, a person): its statements and binding (sqlite.c has
 * the same for the other engine). */
struct record_kind {
    const char *const *insert, *const *write;
    const char *event_insert, *events;
    int nfields;
    const char *table, *events_table, *noun;
    void (*bind)(struct pg_params *p, const char *tenant, const void *rec);
};

struct record_write {
    int64_t *id;
    int64_t version;
    const void *rec;
    int64_t seq, at, case_id;
    lks_date date;
    const char *type, *actor, *role, *data_json;
};

static int record_save(struct pg_store *s, const struct record_kind *k, const char *tenant,
                       const struct record_write *w, struct lks_err *err)
{
    int rc = ready(s, err);
    if (rc)
        return rc;
    if (!pg_in_tx(s))
        return lks_err_set(err, LKS_EINVAL, "transactie", "no-transaction",
                           "een %s wordt alleen binnen een transactie opgeslagen", k->noun);
    if (!tenant || !*tenant || w->seq != w->version || w->seq <= 0)
        return lks_err_set(err, LKS_EINVAL, "seq", "seq-mismatch",
                           "volgnummer %lld past niet bij versie %lld van de %s", (long long)w->seq,
                           (long long)w->version, k->noun);
    if (*w->id == 0) {
        if (w->version != 1)
            return lks_err_set(err, LKS_EINVAL, "seq", "seq-mismatch",
                               "een nieuwe %s begint met de registratie", k->noun);
        k->bind(pg_params(s), tenant, w->rec);
        if ((rc = run_returning(s, *k->insert, w->id, k->table, "het opslaan", err)))
            return rc;
    } else {
        struct pg_params *p = pg_params(s);
        k->bind(p, tenant, w->rec);
        pgp_int(p, *w->id);
        pgp_int(p, w->version - 1);
        PGresult *r = pg_run(s, *k->write, k->table, "het opslaan", err);
        if (!r)
            return err->code;
        int64_t n = pg_changes(r);
        PQclear(r);
        if (n == 0)
            return lks_err_set(err, LKS_ESTATE, k->noun, "conflict",
                               "de %s is intussen gewijzigd; probeer het opnieuw", k->noun);
    }
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, *w->id);
    pgp_int(p, w->seq);
    pgp_cstr(p, w->type);
    pgp_int(p, w->at);
    pgp_date(p, w->date);
    pgp_cstr(p, w->actor);
    pgp_cstr(p, w->role);
    pgp_int(p, w->case_id);
    pgp_cstr(p, w->data_json ? w->data_json : "{}");
    PGresult *r =
        pg_run(s, k->event_insert, k->events_table, "het opslaan van de gebeurtenis", err);
    if (!r)
        return err->code;
    int64_t n = pg_changes(r);
    PQclear(r);
    if (n == 0)
        return lks_err_set(err, LKS_ESTATE, k->noun, "conflict",
                           "de %s is intussen gewijzigd; probeer het opnieuw", k->noun);
    return 0;
}

static int record_events(struct pg_store *s, const struct record_kind *k, const char *tenant,
                         int64_t id, int (*cb)(void *arg, const struct stored_record_event *e),
                         void *arg, struct lks_err *err)
{
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, id);
    PGresult *r = pg_run(s, k->events, k->events_table, "het lezen van de gebeurtenissen", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct stored_record_event e = {
            .record_id = pg_col_int(r, i, 0),
            .seq = pg_col_int(r, i, 1),
            .type = pg_col_cstr(r, i, 2),
            .at = pg_col_int(r, i, 3),
            .date = pg_col_date(r, i, 4),
            .actor = pg_col_cstr(r, i, 5),
            .role = pg_col_cstr(r, i, 6),
            .case_id = pg_col_int(r, i, 7),
            .data = pg_col_cstr(r, i, 8),
        };
        rc = cb(arg, &e);
    }
    PQclear(r);
    return rc;
}

static void bind_employer_rec(struct pg_params *p, const char *tenant, const void *rec)
{
    bind_employer(p, tenant, rec);
}

static void bind_person_rec(struct pg_params *p, const char *tenant, const void *rec)
{
    bind_person(p, tenant, rec);
}

static const struct record_kind employer_kind = {(const char *const *)&sql.employer_insert,
                                                 (const char *const *)&sql.employer_write,
                                                 SQL_EMPLOYER_EVENT_INSERT,
                                                 SQL_EMPLOYER_EVENTS,
                                                 EMPLOYER_NFIELDS,
                                                 "employers",
                                                 "employer_events",
                                                 "werkgever",
                                                 bind_employer_rec};
static const struct record_kind person_kind = {(const char *const *)&sql.person_insert,
                                               (const char *const *)&sql.person_write,
                                               SQL_PERSON_EVENT_INSERT,
                                               SQL_PERSON_EVENTS,
                                               PERSON_NFIELDS,
                                               "persons",
                                               "person_events",
                                               "persoon",
                                               bind_person_rec};

int pg_employer_save(struct pg_store *s, const char *tenant, struct employer *e,
                     const struct employer_event *ev, const char *data_json, struct lks_err *err)
{
    ERR_GUARD(err);
    struct record_write w = {&e->id,    e->version,          e,        ev->seq,
                             ev->at,    ev->case_id,         ev->date, emp_ev_name(ev->type),
                             ev->actor, role_name(ev->role), data_json};
    return record_save(s, &employer_kind, tenant, &w, err);
}

int pg_employer_events(struct pg_store *s, const char *tenant, int64_t employer_id,
                       int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                       struct lks_err *err)
{
    ERR_GUARD(err);
    return record_events(s, &employer_kind, tenant, employer_id, cb, arg, err);
}

int pg_person_save(struct pg_store *s, const char *tenant, struct person *x,
                   const struct person_event *ev, const char *data_json, struct lks_err *err)
{
    ERR_GUARD(err);
    struct record_write w = {&x->id,    x->version,          x,        ev->seq,
                             ev->at,    ev->case_id,         ev->date, per_ev_name(ev->type),
                             ev->actor, role_name(ev->role), data_json};
    return record_save(s, &person_kind, tenant, &w, err);
}

int pg_person_events(struct pg_store *s, const char *tenant, int64_t person_id,
                     int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    return record_events(s, &person_kind, tenant, person_id, cb, arg, err);
}

int pg_person_by_id(struct pg_store *s, const char *tenant, int64_t id, struct person *out,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, id);
    PGresult *r = pg_run(s, SQL_PERSON_BY_ID, "persons", "het lezen van de persoon", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return lks_err_set(err, LKS_ENOTFOUND, "id", "not-found", "deze persoon bestaat niet");
    }
    memset(out, 0, sizeof *out);
    read_person(r, 0, 0, out);
    PQclear(r);
    return 0;
}

int pg_person_list(struct pg_store *s, const char *tenant,
                   int (*cb)(void *arg, const struct person *p), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    pgp_cstr(pg_params(s), tenant);
    PGresult *r = pg_run(s, SQL_PERSON_LIST, "persons", "het lezen van de personen", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct person x;
        memset(&x, 0, sizeof x);
        read_person(r, i, 0, &x);
        rc = cb(arg, &x);
    }
    PQclear(r);
    return rc;
}

int pg_person_by_bsn(struct pg_store *s, const char *tenant, const char *bsn, struct person *out,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_cstr(p, bsn);
    PGresult *r = pg_run(s, SQL_PERSON_BY_BSN, "persons", "het zoeken van de persoon", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "bsn", "not-found",
                         "geen persoon met dit BSN bij deze gemeente");
    } else {
        memset(out, 0, sizeof *out);
        read_person(r, 0, 0, out);
    }
    PQclear(r);
    return rc;
}

int pg_employer_by_kvk(struct pg_store *s, const char *tenant, const char *kvk,
                       struct employer *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_cstr(p, kvk);
    PGresult *r = pg_run(s, SQL_EMPLOYER_BY_KVK, "employers", "het zoeken van de werkgever", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "kvk", "not-found",
                         "geen werkgever met KvK-nummer '%s' bij deze gemeente", kvk);
    } else {
        memset(out, 0, sizeof *out);
        read_employer(r, 0, 0, out);
    }
    PQclear(r);
    return rc;
}

int pg_person_cases(struct pg_store *s, const char *tenant, int64_t person_id,
                    int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, person_id);
    PGresult *r = pg_run(s, SQL_PERSON_CASES, "cases", "het lezen van de zaken", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        int status = case_status_parse(pg_col_cstr(r, i, 1));
        if (status < 0)
            rc = rows_corrupt("status", err, "onbekende status", pg_col_int(r, i, 0));
        else
            rc = cb(arg, pg_col_int(r, i, 0), (enum case_status)status);
    }
    PQclear(r);
    return rc;
}

int pg_employer_list(struct pg_store *s, const char *tenant,
                     int (*cb)(void *arg, const struct employer *e), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    pgp_cstr(pg_params(s), tenant);
    PGresult *r = pg_run(s, SQL_EMPLOYER_LIST, "employers", "het lezen van de werkgevers", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct employer e;
        memset(&e, 0, sizeof e);
        read_employer(r, i, 0, &e);
        rc = cb(arg, &e);
    }
    PQclear(r);
    return rc;
}

int pg_person_last_test(struct pg_store *s, const char *tenant, int64_t person_id,
                        int64_t except_case, lks_date *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, person_id);
    pgp_int(p, except_case);
    PGresult *r =
        pg_run(s, SQL_PERSON_LAST_TEST, "cases", "het zoeken van de laatste toegangstoets", err);
    if (!r)
        return err->code;
    *out = PQntuples(r) > 0 ? pg_col_date(r, 0, 0) : LKS_NO_DATE;
    PQclear(r);
    return 0;
}

/* ---- cases: writing ---- */

int pg_case_new_id(struct pg_store *s, int64_t *out, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    pg_params(s);
    PGresult *r = pg_run(s, SQL_NEW_ID, "counters", "het uitgeven van een zaaknummer", err);
    if (!r)
        return err->code;
    int64_t n = pg_col_int(r, 0, 0), max = pg_col_int(r, 0, 1);
    PQclear(r);
    if (n <= max) {
        pgp_int(pg_params(s), max - n + 1 <= NEW_ID_SKIP_MAX ? max - n + 1 : max + 1);
        rc = run_returning(s, max - n + 1 <= NEW_ID_SKIP_MAX ? SQL_NEW_ID_SKIP : SQL_NEW_ID_SET, &n,
                           "counters", "het uitgeven van een zaaknummer", err);
        if (rc)
            return rc;
    }
    *out = n;
    if (rc == 0 && *out <= 0)
        return lks_err_set(err, LKS_EIO, "counters", "corrupt",
                           "de reeks voor zaaknummers ontbreekt in de database");
    return rc;
}

/* The fields of item j of array k, in rows_child[k].fields order. */
static void bind_child(struct pg_params *p, const struct case_state *cs, int k, int j)
{
    switch (k) {
    case CH_MEAS: {
        const struct measurement *m = &cs->measurement[j];
        pgp_int(p, m->method);
        PGP_STR(p, m->expert);
        pgp_date(p, m->requested);
        pgp_date(p, m->measured);
        pgp_date(p, m->reported);
        pgp_int(p, m->loonwaarde);
        PGP_STR(p, m->reference_job);
        PGP_STR(p, m->report_doc);
        pgp_int(p, m->cost);
        pgp_date(p, m->next);
        break;
    }
    case CH_DEC: {
        const struct decision *d = &cs->decision[j];
        pgp_int(p, d->kind);
        pgp_date(p, d->sent);
        pgp_date(p, d->from);
        pgp_date(p, d->to);
        pgp_date(p, d->peildatum);
        pgp_int(p, d->loonwaarde);
        pgp_int(p, d->amount);
        pgp_int(p, d->subsidy);
        pgp_int(p, d->allowance);
        pgp_date(p, d->objection_due);
        PGP_STR(p, d->reason);
        break;
    }
    case CH_PAY: {
        const struct payment *x = &cs->payment[j];
        pgp_date(p, x->month);
        pgp_int(p, x->amount);
        pgp_date(p, x->paid);
        PGP_STR(p, x->iban);
        break;
    }
    case CH_PROV: {
        const struct provision *x = &cs->provision[j];
        pgp_int(p, x->kind);
        pgp_date(p, x->start);
        pgp_date(p, x->end);
        pgp_int(p, x->hours);
        pgp_int(p, x->cost);
        pgp_date(p, x->ended);
        PGP_STR(p, x->end_reason);
        PGP_STR(p, x->motivation);
        break;
    }
    case CH_OBJ: {
        const struct objection *o = &cs->objection[j];
        pgp_date(p, o->received);
        pgp_date(p, o->due);
        pgp_int(p, o->committee);
        pgp_int(p, o->deferred);
        pgp_date(p, o->decided);
        PGP_STR(p, o->outcome);
        PGP_STR(p, o->subject);
        break;
    }
    default: {
        const struct cost *x = &cs->cost[j];
        pgp_int(p, x->kind);
        pgp_date(p, x->date);
        pgp_int(p, x->amount);
        PGP_STR(p, x->what);
        break;
    }
    }
}

/* Columns from c on, the mirror of bind_child. */
static void read_child(const PGresult *r, int row, int c, struct case_state *cs, int k, int j)
{
    switch (k) {
    case CH_MEAS: {
        struct measurement *m = &cs->measurement[j];
        m->method = (enum measure_method)pg_col_int(r, row, c++);
        COL_STR(r, row, c++, m->expert);
        m->requested = pg_col_date(r, row, c++);
        m->measured = pg_col_date(r, row, c++);
        m->reported = pg_col_date(r, row, c++);
        m->loonwaarde = (int32_t)pg_col_int(r, row, c++);
        COL_STR(r, row, c++, m->reference_job);
        COL_STR(r, row, c++, m->report_doc);
        m->cost = pg_col_int(r, row, c++);
        m->next = pg_col_date(r, row, c++);
        break;
    }
    case CH_DEC: {
        struct decision *d = &cs->decision[j];
        d->kind = (enum decision_kind)pg_col_int(r, row, c++);
        d->sent = pg_col_date(r, row, c++);
        d->from = pg_col_date(r, row, c++);
        d->to = pg_col_date(r, row, c++);
        d->peildatum = pg_col_date(r, row, c++);
        d->loonwaarde = (int32_t)pg_col_int(r, row, c++);
        d->amount = pg_col_int(r, row, c++);
        d->subsidy = pg_col_int(r, row, c++);
        d->allowance = pg_col_int(r, row, c++);
        d->objection_due = pg_col_date(r, row, c++);
        COL_STR(r, row, c++, d->reason);
        break;
    }
    case CH_PAY: {
        struct payment *x = &cs->payment[j];
        x->month = pg_col_date(r, row, c++);
        x->amount = pg_col_int(r, row, c++);
        x->paid = pg_col_date(r, row, c++);
        COL_STR(r, row, c++, x->iban);
        break;
    }
    case CH_PROV: {
        struct provision *x = &cs->provision[j];
        x->kind = (enum provision_kind)pg_col_int(r, row, c++);
        x->start = pg_col_date(r, row, c++);
        x->end = pg_col_date(r, row, c++);
        x->hours = (int32_t)pg_col_int(r, row, c++);
        x->cost = pg_col_int(r, row, c++);
        x->ended = pg_col_date(r, row, c++);
        COL_STR(r, row, c++, x->end_reason);
        COL_STR(r, row, c++, x->motivation);
        break;
    }
    case CH_OBJ: {
        struct objection *o = &cs->objection[j];
        o->received = pg_col_date(r, row, c++);
        o->due = pg_col_date(r, row, c++);
        o->committee = pg_col_int(r, row, c++) != 0;
        o->deferred = pg_col_int(r, row, c++) != 0;
        o->decided = pg_col_date(r, row, c++);
        COL_STR(r, row, c++, o->outcome);
        COL_STR(r, row, c++, o->subject);
        break;
    }
    default: {
        struct cost *x = &cs->cost[j];
        x->kind = (enum cost_kind)pg_col_int(r, row, c++);
        x->date = pg_col_date(r, row, c++);
        x->amount = pg_col_int(r, row, c++);
        COL_STR(r, row, c++, x->what);
        break;
    }
    }
}

static int missing_json(struct pg_store *s, const struct case_state *cs, struct lks_err *err)
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

/* Parameters of sql.case_upsert: id, tenant_id, CASE_FIELDS. */
static void bind_case(struct pg_store *s, struct pg_params *p, const struct case_state *cs)
{
    pgp_int(p, cs->id);
    PGP_STR(p, cs->tenant);
    pgp_int(p, cs->person.id);
    pgp_int(p, cs->employer.id);
    pgp_cstr(p, case_status_name(cs->status));
    pgp_int(p, cs->version);
    PGP_STR(p, cs->case_worker);
    PGP_STR(p, cs->applicant);
    pgp_date(p, cs->applied);
    pgp_date(p, cs->complete);
    pgp_date(p, cs->info_requested);
    pgp_int(p, cs->info_wait_days);
    pgp_textn(p, s->jw.buf, s->jw.len);
    const struct placement *pl = &cs->placement;
    pgp_date(p, pl->start);
    pgp_date(p, pl->end);
    pgp_int(p, pl->hours);
    pgp_int(p, pl->wage);
    PGP_STR(p, pl->job_title);
    PGP_STR(p, pl->staff_number);
    pgp_int(p, pl->kind);
    pgp_date(p, pl->ended);
    PGP_STR(p, pl->end_reason);
    const struct access_test *t = &cs->test;
    pgp_int(p, t->done);
    pgp_int(p, t->voluntary);
    pgp_date(p, t->started);
    pgp_date(p, t->decided);
    pgp_int(p, t->outcome);
    pgp_int(p, t->limitation);
    PGP_STR(p, t->explanation);
    pgp_int(p, cs->forfait);
    pgp_date(p, cs->forfait_from);
    pgp_date(p, cs->decision_basis);
    pgp_date(p, cs->closed);
    PGP_STR(p, cs->close_reason);
}

/* Why the case row was not written: another tenant's id, or a stale version. */
static int case_refused(struct pg_store *s, const struct case_state *cs, struct lks_err *err)
{
    pgp_int(pg_params(s), cs->id);
    PGresult *r = pg_run(s, SQL_CASE_OWNER, "cases", "het opslaan van de zaak", err);
    if (!r)
        return err->code;
    bool same = false;
    int64_t version = 0;
    if (PQntuples(r) > 0) {
        same = strncmp(pg_col_cstr(r, 0, 0), cs->tenant, sizeof cs->tenant) == 0;
        version = pg_col_int(r, 0, 1);
    }
    PQclear(r);
    if (!same)
        return rows_not_found(err, cs->id);
    return lks_err_set(err, LKS_ESTATE, "zaak", "conflict",
                       "zaak %lld is intussen gewijzigd (versie %lld in de database, %lld "
                       "aangeboden); laad de zaak opnieuw",
                       (long long)cs->id, (long long)version, (long long)cs->version);
}

static int check_save(struct pg_store *s, const struct case_state *cs, const struct case_event *ev,
                      const struct case_deadline *dl, int ndl, struct lks_err *err)
{
    if (!pg_in_tx(s) || !s->write_tx)
        return lks_err_set(err, LKS_ESTATE, "database", "no-transaction",
                           "een zaak opslaan kan alleen binnen een transactie");
    return rows_check_save(cs, ev, dl, ndl, err);
}

static int put_child(void *ctx, const struct case_state *cs, int k, int j, struct lks_err *err)
{
    struct pg_store *s = ctx;
    struct pg_params *p = pg_params(s);
    PGP_STR(p, cs->tenant);
    pgp_int(p, cs->id);
    pgp_int(p, j);
    bind_child(p, cs, k, j);
    return run0(s, sql.child_insert[k], rows_child[k].table, "het opslaan van de zaak", err);
}

static int trim_child(void *ctx, const struct case_state *cs, int k, int n, struct lks_err *err)
{
    struct pg_store *s = ctx;
    struct pg_params *p = pg_params(s);
    pgp_int(p, cs->id);
    pgp_int(p, n);
    return run0(s, sql.child_delete[k], rows_child[k].table, "het opslaan van de zaak", err);
}

static int put_deadline(void *ctx, const struct case_state *cs, int i,
                        const struct case_deadline *d, struct lks_err *err)
{
    struct pg_store *s = ctx;
    struct pg_params *p = pg_params(s);
    PGP_STR(p, cs->tenant);
    pgp_int(p, cs->id);
    pgp_int(p, i);
    pgp_int(p, d->kind);
    pgp_int(p, d->index);
    pgp_date(p, d->start);
    pgp_date(p, d->due);
    pgp_date(p, d->done);
    return run0(s, SQL_DL_INSERT, "deadlines", "het opslaan van de termijnen", err);
}

static int trim_deadlines(void *ctx, const struct case_state *cs, int n, struct lks_err *err)
{
    struct pg_store *s = ctx;
    struct pg_params *p = pg_params(s);
    pgp_int(p, cs->id);
    pgp_int(p, n);
    return run0(s, SQL_DL_TRIM, "deadlines", "het opslaan van de termijnen", err);
}

static int put_next(void *ctx, const struct case_state *cs, const struct case_deadline *next,
                    struct lks_err *err)
{
    struct pg_store *s = ctx;
    struct pg_params *p = pg_params(s);
    pgp_int(p, cs->id);
    if (next)
        pgp_int(p, next->kind);
    else
        pgp_cstr(p, NULL);
    pgp_date(p, next ? next->due : LKS_NO_DATE);
    return run0(s, SQL_CASE_NEXT, "cases", "het opslaan van de eerstvolgende termijn", err);
}

/* The case's deadlines as stored (none for a new case), then those that changed. */
static int save_deadlines(struct pg_store *s, const struct rows_sink *w,
                          const struct case_state *cs, const struct case_deadline *dl, int ndl,
                          struct lks_err *err)
{
    struct case_deadline old[CASE_MAX_DEADLINES];
    int nold = 0;
    if (cs->version > 1) {
        pgp_int(pg_params(s), cs->id);
        PGresult *r = pg_run(s, SQL_DL_CASE, "deadlines", "het lezen van de termijnen", err);
        if (!r)
            return err->code;
        for (int i = 0; i < PQntuples(r) && nold < CASE_MAX_DEADLINES; i++) {
            struct case_deadline *o = &old[nold++];
            o->kind = (enum dl_kind)pg_col_int(r, i, 0);
            o->index = (int)pg_col_int(r, i, 1);
            o->start = pg_col_date(r, i, 2);
            o->due = pg_col_date(r, i, 3);
            o->done = pg_col_date(r, i, 4);
        }
        PQclear(r);
    }
    return rows_save_deadlines(w, cs, old, nold, dl, ndl, err);
}

static int save_event(struct pg_store *s, const struct case_state *cs, const struct case_event *ev,
                      const char *data_json, struct lks_err *err)
{
    struct pg_params *p = pg_params(s);
    PGP_STR(p, cs->tenant);
    pgp_int(p, cs->id);
    pgp_int(p, ev->seq);
    pgp_cstr(p, ev_type_name(ev->type));
    pgp_int(p, ev->at);
    pgp_date(p, ev->date);
    PGP_STR(p, ev->actor);
    pgp_cstr(p, role_name(ev->role));
    pgp_cstr(p, data_json ? data_json : "{}");
    PGresult *r = pg_run(s, SQL_EVENT_INSERT, "events", "het opslaan van de gebeurtenis", err);
    if (!r)
        return err->code;
    int64_t n = pg_changes(r);
    PQclear(r);
    if (n == 0)
        return lks_err_set(err, LKS_ESTATE, "seq", "conflict",
                           "gebeurtenis %lld van zaak %lld bestaat al; de zaak is intussen "
                           "gewijzigd",
                           (long long)ev->seq, (long long)cs->id);
    return 0;
}

int pg_case_save(struct pg_store *s, struct case_state *cs, const struct case_event *ev,
                 const char *data_json, unsigned parts, const struct case_deadline *dl, int ndl,
                 struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc == 0)
        rc = check_save(s, cs, ev, dl, ndl, err);
    if (rc == 0)
        rc = missing_json(s, cs, err);
    if (rc)
        return rc;
    /* The case row first (the event and child rows refer to it), only forward. One
     * statement for every event: PostgreSQL updates in place (HOT) whenever no
     * indexed value changed, whichever columns the statement names. */
    struct pg_params *p = pg_params(s);
    bind_case(s, p, cs);
    PGresult *r = pg_run(s, sql.case_upsert, "cases", "het opslaan van de zaak", err);
    if (!r)
        return err->code;
    int64_t changed = pg_changes(r);
    PQclear(r);
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

static int read_missing(struct case_state *cs, const char *text, struct lks_err *err)
{
    cs->nmissing = 0;
    if (strcmp(text, "[]") == 0) /* the usual case */
        return 0;
    json_error_t je;
    json_t *a = json_loads(text, 0, &je);
    int rc = 0;
    if (!json_is_array(a) || json_array_size(a) > CASE_MAX_MISSING) {
        rc = rows_corrupt("missing", err, "ontbrekende stukken", cs->id);
    } else {
        for (size_t i = 0; i < json_array_size(a); i++) {
            json_t *v = json_array_get(a, i);
            if (!json_is_string(v)) {
                rc = rows_corrupt("missing", err, "ontbrekende stukken", cs->id);
                break;
            }
            snprintf(cs->missing[i], sizeof cs->missing[i], "%s", json_string_value(v));
            cs->nmissing = (int)i + 1;
        }
    }
    json_decref(a);
    return rc;
}

static int read_case_row(const PGresult *r, int row, struct case_state *cs, struct lks_err *err)
{
    int c = 0;
    cs->id = pg_col_int(r, row, c++);
    COL_STR(r, row, c++, cs->tenant);
    c += 2; /* person_id, employer_id: read with their rows below */
    int status = case_status_parse(pg_col_cstr(r, row, c++));
    if (status < 0)
        return rows_corrupt("status", err, "onbekende status", cs->id);
    cs->status = (enum case_status)status;
    cs->version = pg_col_int(r, row, c++);
    COL_STR(r, row, c++, cs->case_worker);
    COL_STR(r, row, c++, cs->applicant);
    cs->applied = pg_col_date(r, row, c++);
    cs->complete = pg_col_date(r, row, c++);
    cs->info_requested = pg_col_date(r, row, c++);
    cs->info_wait_days = (int32_t)pg_col_int(r, row, c++);
    int rc = read_missing(cs, pg_col_cstr(r, row, c++), err);
    if (rc)
        return rc;
    struct placement *pl = &cs->placement;
    pl->start = pg_col_date(r, row, c++);
    pl->end = pg_col_date(r, row, c++);
    pl->hours = (int32_t)pg_col_int(r, row, c++);
    pl->wage = pg_col_int(r, row, c++);
    COL_STR(r, row, c++, pl->job_title);
    COL_STR(r, row, c++, pl->staff_number);
    pl->kind = (enum placement_kind)pg_col_int(r, row, c++);
    pl->ended = pg_col_date(r, row, c++);
    COL_STR(r, row, c++, pl->end_reason);
    struct access_test *t = &cs->test;
    t->done = pg_col_int(r, row, c++) != 0;
    t->voluntary = pg_col_int(r, row, c++) != 0;
    t->started = pg_col_date(r, row, c++);
    t->decided = pg_col_date(r, row, c++);
    t->outcome = (int)pg_col_int(r, row, c++);
    t->limitation = (uint8_t)pg_col_int(r, row, c++);
    COL_STR(r, row, c++, t->explanation);
    cs->forfait = pg_col_int(r, row, c++) != 0;
    cs->forfait_from = pg_col_date(r, row, c++);
    cs->decision_basis = pg_col_date(r, row, c++);
    cs->closed = pg_col_date(r, row, c++);
    COL_STR(r, row, c++, cs->close_reason);
    c = read_person(r, row, c, &cs->person);
    read_employer(r, row, c, &cs->employer);
    return 0;
}

static int read_children(struct pg_store *s, struct case_state *cs, struct lks_err *err)
{
    for (int k = 0; k < NCHILD; k++) {
        struct pg_params *p = pg_params(s);
        pgp_int(p, cs->id);
        PGP_STR(p, cs->tenant);
        PGresult *r =
            pg_run(s, sql.child_select[k], rows_child[k].table, "het lezen van de zaak", err);
        if (!r)
            return err->code;
        int n = 0, rc = 0;
        for (; n < PQntuples(r); n++) {
            /* Rows must be exactly 0..n-1: anything else is not what we wrote. */
            if (n >= rows_child[k].max || pg_col_int(r, n, 0) != n) {
                rc = rows_corrupt(rows_child[k].table, err, rows_child[k].table, cs->id);
                break;
            }
            read_child(r, n, 1, cs, k, n);
        }
        PQclear(r);
        if (rc)
            return rc;
        rows_set_child_count(cs, k, n);
    }
    return 0;
}

int pg_case_get(struct pg_store *s, const char *tenant, int64_t id, struct case_state *out,
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
    /* In a write transaction the case is read to be changed: lock its row, so a
     * second writer waits for this one and then reads its result. */
    const char *text = built(s->write_tx ? sql.case_get_lock : sql.case_get, err);
    if (!text)
        return read_end(s, own, err->code);
    struct pg_params *p = pg_params(s);
    pgp_int(p, id);
    pgp_cstr(p, tenant);
    PGresult *r = pg_run(s, text, "cases", "het lezen van de zaak", err);
    if (!r)
        return read_end(s, own, err->code);
    if (PQntuples(r) == 0)
        rc = rows_not_found(err, id);
    else
        rc = read_case_row(r, 0, out, err);
    PQclear(r);
    if (rc == 0)
        rc = read_children(s, out, err);
    return read_end(s, own, rc);
}

/*
 * store_pay_cases (store_pay.h): the case rows of the tenant with a grant decision and
 * each child table of the tenant, every one in case id order, merged: seven statements
 * for all cases instead of seven per case, in one snapshot.
 */
int pg_pay_cases(struct pg_store *s, const char *tenant,
                 int (*cb)(void *arg, const struct case_state *cs), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    const char *text = built(sql.pay_cases, err);
    for (int k = 0; text && k < NCHILD; k++)
        if (!built(sql.pay_child[k], err))
            text = NULL;
    if (!text)
        return err->code;
    struct case_state *cs = malloc(sizeof *cs);
    if (!cs)
        return lks_err_set(err, LKS_ENOMEM, "zaken", "no-memory", "onvoldoende geheugen");
    bool own;
    if ((rc = read_begin(s, &own, err)) != 0) {
        free(cs);
        return rc;
    }
    PGresult *ch[NCHILD] = {0};
    int at[NCHILD] = {0};
    PGresult *r = NULL;
    pgp_cstr(pg_params(s), tenant);
    if (!(r = pg_run(s, sql.pay_cases, "cases", "het lezen van de zaken", err)))
        rc = err->code;
    for (int k = 0; rc == 0 && k < NCHILD; k++) {
        pgp_cstr(pg_params(s), tenant);
        if (!(ch[k] =
                  pg_run(s, sql.pay_child[k], rows_child[k].table, "het lezen van de zaken", err)))
            rc = err->code;
    }
    for (int row = 0; rc == 0 && row < PQntuples(r); row++) {
        memset(cs, 0, sizeof *cs);
        if ((rc = read_case_row(r, row, cs, err)) != 0)
            break;
        for (int k = 0; rc == 0 && k < NCHILD; k++) {
            int nk = PQntuples(ch[k]);
            while (at[k] < nk && pg_col_int(ch[k], at[k], 0) < cs->id)
                at[k]++;
            int n = 0;
            for (; at[k] < nk && pg_col_int(ch[k], at[k], 0) == cs->id; at[k]++, n++) {
                if (n >= rows_child[k].max || pg_col_int(ch[k], at[k], 1) != n) {
                    rc = rows_corrupt(rows_child[k].table, err, rows_child[k].table, cs->id);
                    break;
                }
                read_child(ch[k], at[k], 2, cs, k, n);
            }
            rows_set_child_count(cs, k, n);
        }
        if (rc == 0)
            rc = cb(arg, cs);
    }
    PQclear(r);
    for (int k = 0; k < NCHILD; k++)
        PQclear(ch[k]);
    free(cs);
    return read_end(s, own, rc);
}

int pg_case_tenant(struct pg_store *s, int64_t id, char tenant[CASE_ID], struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    pgp_int(pg_params(s), id);
    PGresult *r = pg_run(s, SQL_CASE_OWNER, "cases", "het lezen van de zaak", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0)
        rc = rows_not_found(err, id);
    else
        pg_col_text(r, 0, 0, tenant, CASE_ID);
    PQclear(r);
    return rc;
}

static int case_exists(struct pg_store *s, const char *tenant, int64_t id, struct lks_err *err)
{
    struct pg_params *p = pg_params(s);
    pgp_int(p, id);
    pgp_cstr(p, tenant);
    PGresult *r = pg_run(s, SQL_CASE_EXISTS, "cases", "het lezen van de zaak", err);
    if (!r)
        return err->code;
    int rc = PQntuples(r) == 0 ? rows_not_found(err, id) : 0;
    PQclear(r);
    return rc;
}

int pg_case_events(struct pg_store *s, const char *tenant, int64_t id,
                   int (*cb)(void *arg, const struct stored_event *e), void *arg,
                   struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc == 0)
        rc = case_exists(s, tenant, id, err); /* cases are never deleted: no race */
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, id);
    PGresult *r = pg_run(s, SQL_EVENTS, "events", "het lezen van de gebeurtenissen", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct stored_event e = {
            .case_id = pg_col_int(r, i, 0),
            .seq = pg_col_int(r, i, 1),
            .type = pg_col_cstr(r, i, 2),
            .at = pg_col_int(r, i, 3),
            .date = pg_col_date(r, i, 4),
            .actor = pg_col_cstr(r, i, 5),
            .role = pg_col_cstr(r, i, 6),
            .data = pg_col_cstr(r, i, 7),
        };
        rc = cb(arg, &e);
    }
    PQclear(r);
    return rc;
}

int pg_case_list(struct pg_store *s, const char *tenant, const struct case_filter *f,
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
    const char *text = built(sql.list[mask], err);
    if (!text)
        return err->code;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, f->after_id);
    if (mask & LIST_STATUS)
        pgp_cstr(p, case_status_name((enum case_status)f->status));
    if (mask & LIST_WORKER)
        pgp_cstr(p, f->case_worker);
    if (mask & LIST_EMPLOYER)
        pgp_int(p, f->employer_id);
    if (f->limit > 0)
        pgp_int(p, f->limit);
    else
        pgp_null(p); /* LIMIT NULL: no limit */
    PGresult *r = pg_run(s, text, "cases", "het lezen van de zaken", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct case_summary c;
        memset(&c, 0, sizeof c);
        c.id = pg_col_int(r, i, 0);
        int status = case_status_parse(pg_col_cstr(r, i, 1));
        if (status < 0) {
            rc = rows_corrupt("status", err, "onbekende status", c.id);
            break;
        }
        c.status = (enum case_status)status;
        COL_STR(r, i, 2, c.person_name);
        COL_STR(r, i, 3, c.employer_name);
        COL_STR(r, i, 4, c.case_worker);
        COL_STR(r, i, 5, c.person_bsn);
        COL_STR(r, i, 6, c.employer_kvk);
        c.next_due = pg_col_date(r, i, 7);
        rc = cb(arg, &c);
    }
    PQclear(r);
    return rc;
}

int pg_case_ids(struct pg_store *s, const char *tenant,
                int (*cb)(void *arg, const char *tenant, int64_t id), void *arg,
                struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    pgp_cstr(pg_params(s), tenant);
    PGresult *r = pg_run(s, SQL_CASE_IDS, "cases", "het lezen van de zaaknummers", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++)
        rc = cb(arg, pg_col_cstr(r, i, 0), pg_col_int(r, i, 1));
    PQclear(r);
    return rc;
}

int pg_deadlines_open(struct pg_store *s, const char *tenant, lks_date on,
                      int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                      struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    const char *text = on == LKS_NO_DATE ? (tenant ? SQL_DL_OPEN_TENANT : SQL_DL_OPEN_ALL)
                                         : (tenant ? SQL_DL_ON_TENANT : SQL_DL_ON_ALL);
    struct pg_params *p = pg_params(s);
    if (tenant)
        pgp_cstr(p, tenant);
    if (on != LKS_NO_DATE)
        pgp_int(p, on);
    PGresult *r = pg_run(s, text, "deadlines", "het lezen van de termijnen", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct deadline_row d = {
            .tenant = pg_col_cstr(r, i, 0),
            .case_id = pg_col_int(r, i, 1),
            .kind = (enum dl_kind)pg_col_int(r, i, 2),
            .start = pg_col_date(r, i, 3),
            .due = pg_col_date(r, i, 4),
            .done = pg_col_date(r, i, 5),
            .index = (int)pg_col_int(r, i, 6),
        };
        rc = cb(arg, &d);
    }
    PQclear(r);
    return rc;
}

int pg_case_deadlines(struct pg_store *s, const char *tenant, int64_t id, struct case_deadline *out,
                      int max, int *n, struct lks_err *err)
{
    ERR_GUARD(err);
    *n = 0;
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_int(p, id);
    pgp_cstr(p, tenant);
    PGresult *r = pg_run(s, SQL_DL_OF_CASE, "deadlines", "het lezen van de termijnen", err);
    if (!r)
        return err->code;
    int k = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        int64_t kind = pg_col_int(r, i, 0);
        /* positions are exactly 0..n-1 and kinds known: anything else is not ours */
        if (k >= max || pg_col_int(r, i, 5) != k || kind < 0 || kind >= DL_COUNT) {
            rc = rows_corrupt("deadlines", err, "termijnen", id);
            break;
        }
        out[k++] =
            (struct case_deadline){(enum dl_kind)kind, pg_col_date(r, i, 2), pg_col_date(r, i, 3),
                                   pg_col_date(r, i, 4), (int)pg_col_int(r, i, 1)};
    }
    PQclear(r);
    *n = rc ? 0 : k;
    return rc;
}

int pg_deadlines_latest_start(struct pg_store *s, const char *tenant, unsigned kinds, lks_date *out,
                              struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_int(p, kinds);
    PGresult *r = pg_run(s, SQL_DL_LATEST_START, "deadlines", "het lezen van de termijnen", err);
    if (!r)
        return err->code;
    *out = PQntuples(r) > 0 ? pg_col_date(r, 0, 0) : LKS_NO_DATE;
    PQclear(r);
    return 0;
}

/* ---- maintenance ---- */

/*
 * A copy of a PostgreSQL database is the server's business: pg_dump makes a
 * consistent one while the servers keep running, and point-in-time recovery
 * needs WAL archiving, which lks cannot set up. Refused with a pointer to it.
 */
int pg_backup(struct pg_store *s, const char *to_path, struct lks_err *err)
{
    ERR_GUARD(err);
    (void)to_path;
    return lks_err_set(err, LKS_EINVAL, "database", "engine",
                       "lks maakt zelf geen reservekopie van een PostgreSQL-database; gebruik "
                       "pg_dump (bijv. pg_dump -Fc -f lks.dump '%s'), dat maakt een consistente "
                       "kopie terwijl de servers doorwerken",
                       s->display);
}

/*
 * What the server does not already enforce: the foreign keys, CHECKs and page
 * checksums are its own work. Checked here: every case's person and employer is
 * of the case's tenant, every child row, deadline and event carries its case's
 * tenant, and every case's version is its last event. In one snapshot.
 */
static const char SQL_CHECK[] =
    "SELECT (SELECT count(*) FROM cases c JOIN persons p ON p.id=c.person_id"
    "         JOIN employers e ON e.id=c.employer_id"
    "         WHERE p.tenant_id<>c.tenant_id OR e.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM events x JOIN cases c ON c.id=x.case_id"
    "    WHERE x.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM deadlines x JOIN cases c ON c.id=x.case_id"
    "    WHERE x.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM measurements x JOIN cases c ON c.id=x.case_id"
    "    WHERE x.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM decisions x JOIN cases c ON c.id=x.case_id"
    "    WHERE x.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM payments x JOIN cases c ON c.id=x.case_id"
    "    WHERE x.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM provisions x JOIN cases c ON c.id=x.case_id"
    "    WHERE x.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM objections x JOIN cases c ON c.id=x.case_id"
    "    WHERE x.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM costs x JOIN cases c ON c.id=x.case_id"
    "    WHERE x.tenant_id<>c.tenant_id)"
    " + (SELECT count(*) FROM cases c WHERE c.version<>"
    "    (SELECT coalesce(max(x.seq),0) FROM events x WHERE x.case_id=c.id))";

int pg_check(struct pg_store *s, int *ok, struct lks_err *err)
{
    ERR_GUARD(err);
    *ok = 0;
    int rc = ready(s, err);
    if (rc)
        return rc;
    bool own;
    if ((rc = read_begin(s, &own, err)) != 0)
        return rc;
    pg_params(s);
    PGresult *r = pg_run(s, SQL_CHECK, "database", "de controle van de database", err);
    if (!r)
        return read_end(s, own, err->code);
    *ok = PQntuples(r) == 1 && pg_col_int(r, 0, 0) == 0;
    PQclear(r);
    return read_end(s, own, 0);
}

struct pg_store *store_pg(struct store *s)
{
    return s ? s->pg : NULL;
}

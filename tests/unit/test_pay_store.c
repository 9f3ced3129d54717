/*
 * test_pay_store — the payment records (store_pay.h, migration 13) and the statement layer
 * under them (stmt.h), on SQLite and, with LKS_TEST_PG_URL set, on PostgreSQL (one schema
 * per test, as test_store.c): runs and lines, a month never twice live, cancel frees it,
 * approval is compare-and-set, bank feedback by end-to-end id, the triggers that keep a
 * paid line, tenant scope, two connections adding the same case-month at once (PostgreSQL),
 * letters and idempotency keys on the statement layer (bytes round trip), and store_pay_cases
 * giving the same case states as store_case_get on a demo store.
 */
#include "testutil.h"

#include <dirent.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/demo.h"
#include "rules/tables.h"
#include "store/store.h"
#include "store/store_pay.h"

sqlite3 *store_sqlite_handle(struct store *s);
PGconn *store_pg_handle(struct store *s);

static struct rules R;

#define FIXTURE_DIR "/tmp/lks-pay-XXXXXX"
#include "store_fixture.h"

static struct lks_err err;

/* Open the same store again (a second server). */
static struct store *open_again(const char *name)
{
    char p[512];
    struct store *s = NULL;
    struct lks_err e = {0};
    if (store_open(&s, tmp_path(p, sizeof p, name), 0, &e))
        fail_msg("store_open again %s: %s", name, e.msg);
    return s;
}

/* Raw SQL on the store's own connection: 0 when it ran, else nonzero. */
static int raw(struct store *s, const char *sql)
{
    if (!pg)
        return sqlite3_exec(store_sqlite_handle(s), sql, NULL, NULL, NULL) != SQLITE_OK;
    PGresult *r = PQexec(store_pg_handle(s), sql);
    int bad = PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK;
    PQclear(r);
    return bad;
}

static const lks_date MAY = 20574; /* 2026-05-01 */

static int64_t new_run(struct store *s, const char *tenant, lks_date month)
{
    struct payrun r = {0};
    snprintf(r.tenant, sizeof r.tenant, "%s", tenant);
    r.month = month;
    r.status = PAYRUN_CONCEPT;
    snprintf(r.prepared_by, sizeof r.prepared_by, "fin.een");
    r.prepared_at = 1777600000;
    r.execution = month + 24;
    OK(store_payrun_create(s, &r, &err));
    assert_true(r.id > 0);
    return r.id;
}

static void line_of(struct payline *l, int64_t run, int64_t case_id, lks_date month, int64_t amount)
{
    memset(l, 0, sizeof *l);
    l->run_id = run;
    l->case_id = case_id;
    l->month = month;
    l->amount = amount;
    snprintf(l->iban, sizeof l->iban, "NL91ABNA0417164300");
    snprintf(l->bic, sizeof l->bic, "ABNANL2A");
    snprintf(l->creditor, sizeof l->creditor, "Bakkerij \xc3\x89\xc3\xa9n & Zn");
    snprintf(l->street, sizeof l->street, "Markt 1");
    snprintf(l->postcode, sizeof l->postcode, "5701 AA");
    snprintf(l->town, sizeof l->town, "Helmond");
    snprintf(l->country, sizeof l->country, "NL");
    snprintf(l->reference, sizeof l->reference, "LKS-2026-%06lld-B1", (long long)case_id);
    snprintf(l->end_to_end, sizeof l->end_to_end, "gm1-%lld-%d", (long long)case_id, month);
    snprintf(l->steps_json, sizeof l->steps_json, "[{\"article\":\"10d lid 1\",\"value\":%lld}]",
             (long long)amount);
}

static int add(struct store *s, const char *tenant, int64_t run, int64_t case_id, lks_date month,
               bool *taken)
{
    struct payline l;
    line_of(&l, run, case_id, month, 1234 + case_id);
    return store_payline_add(s, tenant, &l, taken, &err);
}

struct lines {
    int n;
    struct payline l[8];
};

static int collect(void *arg, const struct payline *l)
{
    struct lines *x = arg;
    if (x->n < 8)
        x->l[x->n] = *l;
    x->n++;
    return 0;
}

struct runs {
    int n;
    int64_t id[8];
};

static int collect_run(void *arg, const struct payrun *r)
{
    struct runs *x = arg;
    if (x->n < 8)
        x->id[x->n] = r->id;
    x->n++;
    return 0;
}

static void test_runs_and_lines(void **state)
{
    (void)state;
    struct store *s = open_new("runs");
    OK(store_begin(s, &err));
    int64_t r1 = new_run(s, "gm1", MAY);
    bool taken = true;
    OK(add(s, "gm1", r1, 7, MAY, &taken));
    assert_false(taken);
    OK(add(s, "gm1", r1, 8, MAY, &taken));
    assert_false(taken);
    OK(add(s, "gm1", r1, 7, MAY - 30, &taken)); /* another month of the same case */
    assert_false(taken);
    OK(store_commit(s, &err));

    /* the same case-month in a second run: taken, nothing written */
    OK(store_begin(s, &err));
    int64_t r2 = new_run(s, "gm1", MAY);
    OK(add(s, "gm1", r2, 7, MAY, &taken));
    assert_true(taken);
    OK(add(s, "gm1", r2, 9, MAY, &taken)); /* the transaction is still usable */
    assert_false(taken);
    OK(store_commit(s, &err));

    struct payrun run;
    OK(store_payrun_get(s, "gm1", r1, &run, &err));
    assert_int_equal(run.nlines, 3);
    assert_int_equal(run.total, (1234 + 7) * 2 + 1234 + 8);
    assert_int_equal(run.status, PAYRUN_CONCEPT);
    assert_string_equal(run.prepared_by, "fin.een");
    assert_int_equal(run.execution, MAY + 24);
    OK(store_payrun_get(s, "gm1", r2, &run, &err));
    assert_int_equal(run.nlines, 1);

    struct lines x = {0};
    OK(store_payrun_lines(s, "gm1", r1, collect, &x, &err));
    assert_int_equal(x.n, 3);
    assert_int_equal(x.l[0].case_id, 7);
    assert_int_equal(x.l[0].month, MAY - 30);
    assert_int_equal(x.l[2].case_id, 8);
    assert_string_equal(x.l[0].creditor, "Bakkerij \xc3\x89\xc3\xa9n & Zn");
    assert_string_equal(x.l[0].iban, "NL91ABNA0417164300");
    assert_string_equal(x.l[0].town, "Helmond");
    assert_string_equal(x.l[0].steps_json, "[{\"article\":\"10d lid 1\",\"value\":1241}]");
    assert_int_equal(x.l[0].status, PAYLINE_PENDING);
    assert_int_equal(x.l[0].status_on, LKS_NO_DATE);

    /* cancel the first run: its months are free again */
    OK(store_payrun_status(s, "gm1", r1, PAYRUN_CONCEPT, PAYRUN_CANCELLED, "fin.een", 1777700000,
                           &err));
    OK(store_begin(s, &err));
    OK(add(s, "gm1", r2, 7, MAY, &taken));
    assert_false(taken);
    OK(store_commit(s, &err));
    /* a line cannot be added to a run that is no concept */
    OK(store_begin(s, &err));
    assert_int_equal(add(s, "gm1", r1, 10, MAY, &taken), LKS_ESTATE);
    store_rollback(s);

    /* approval is compare-and-set */
    OK(store_payrun_status(s, "gm1", r2, PAYRUN_CONCEPT, PAYRUN_APPROVED, "fin.twee", 1777710000,
                           &err));
    assert_int_equal(store_payrun_status(s, "gm1", r2, PAYRUN_CONCEPT, PAYRUN_APPROVED, "fin.drie",
                                         1777720000, &err),
                     LKS_ESTATE);
    OK(store_payrun_get(s, "gm1", r2, &run, &err));
    assert_int_equal(run.status, PAYRUN_APPROVED);
    assert_string_equal(run.approved_by, "fin.twee");
    assert_int_equal(run.approved_at, 1777710000);
    assert_int_equal(
        store_payrun_status(s, "gm1", r2, PAYRUN_APPROVED, PAYRUN_CONCEPT, "x", 0, &err),
        LKS_EINVAL);

    /* bank feedback by end-to-end id */
    char e2e[36];
    snprintf(e2e, sizeof e2e, "gm1-7-%d", MAY);
    OK(store_payline_mark(s, "gm1", e2e, PAYLINE_PAID, MAY + 25, &err));
    snprintf(e2e, sizeof e2e, "gm1-9-%d", MAY);
    OK(store_payline_mark(s, "gm1", e2e, PAYLINE_RETURNED, MAY + 26, &err));
    assert_int_equal(store_payline_mark(s, "gm1", "gm1-nope", PAYLINE_PAID, MAY, &err),
                     LKS_ENOTFOUND);
    assert_int_equal(store_payline_mark(s, "gm2", e2e, PAYLINE_PAID, MAY, &err), LKS_ENOTFOUND);
    x.n = 0;
    OK(store_case_paylines(s, "gm1", 7, collect, &x, &err));
    assert_int_equal(x.n, 1); /* the cancelled lines of run 1 are not the case's */
    assert_int_equal(x.l[0].run_id, r2);
    assert_int_equal(x.l[0].status, PAYLINE_PAID);
    assert_int_equal(x.l[0].status_on, MAY + 25);
    x.n = 0;
    OK(store_case_paylines(s, "gm1", 9, collect, &x, &err));
    assert_int_equal(x.n, 1);
    assert_int_equal(x.l[0].status, PAYLINE_RETURNED);
    /* a returned month is free for a later run */
    OK(store_begin(s, &err));
    int64_t r3 = new_run(s, "gm1", MAY);
    OK(add(s, "gm1", r3, 9, MAY, &taken));
    assert_false(taken);
    OK(add(s, "gm1", r3, 7, MAY, &taken)); /* paid: taken */
    assert_true(taken);
    OK(store_commit(s, &err));

    /* tenant scope */
    assert_int_equal(store_payrun_get(s, "gm2", r2, &run, &err), LKS_ENOTFOUND);
    assert_int_equal(
        store_payrun_status(s, "gm2", r3, PAYRUN_CONCEPT, PAYRUN_APPROVED, "x", 0, &err),
        LKS_ENOTFOUND);
    OK(store_begin(s, &err));
    assert_int_equal(add(s, "gm2", r3, 11, MAY, &taken), LKS_ENOTFOUND);
    store_rollback(s);
    x.n = 0;
    OK(store_payrun_lines(s, "gm2", r2, collect, &x, &err));
    assert_int_equal(x.n, 0);
    x.n = 0;
    OK(store_case_paylines(s, "gm2", 7, collect, &x, &err));
    assert_int_equal(x.n, 0);
    struct runs rl = {0};
    OK(store_payrun_list(s, "gm1", collect_run, &rl, &err));
    assert_int_equal(rl.n, 3);
    assert_int_equal(rl.id[0], r3); /* newest first */
    assert_int_equal(rl.id[2], r1);
    rl.n = 0;
    OK(store_payrun_list(s, "gm2", collect_run, &rl, &err));
    assert_int_equal(rl.n, 0);
    store_close(s);
}

static void test_paid_line_kept(void **state)
{
    (void)state;
    struct store *s = open_new("kept");
    OK(store_begin(s, &err));
    int64_t r = new_run(s, "gm1", MAY);
    bool taken;
    OK(add(s, "gm1", r, 7, MAY, &taken));
    OK(add(s, "gm1", r, 8, MAY, &taken));
    OK(store_commit(s, &err));
    /* a pending line: its amount is fixed too, only its status moves */
    assert_int_not_equal(raw(s, "UPDATE pay_lines SET amount=1 WHERE case_id=8"), 0);
    OK(store_payrun_status(s, "gm1", r, PAYRUN_CONCEPT, PAYRUN_APPROVED, "fin.twee", 1, &err));
    char e2e[36];
    snprintf(e2e, sizeof e2e, "gm1-7-%d", MAY);
    OK(store_payline_mark(s, "gm1", e2e, PAYLINE_PAID, MAY + 25, &err));
    assert_int_not_equal(raw(s, "UPDATE pay_lines SET amount=1 WHERE case_id=7"), 0);
    assert_int_not_equal(raw(s, "UPDATE pay_lines SET iban='NL00' WHERE case_id=7"), 0);
    assert_int_not_equal(raw(s, "DELETE FROM pay_lines WHERE case_id=7"), 0);
    assert_int_not_equal(raw(s, "UPDATE pay_lines SET status=3 WHERE case_id=7"), 0);
    assert_int_not_equal(raw(s, "UPDATE pay_lines SET status=0 WHERE case_id=7"), 0);
    /* what is allowed: paid to returned, and a pending line may go */
    assert_int_equal(raw(s, "UPDATE pay_lines SET status=2, status_on=1 WHERE case_id=7"), 0);
    assert_int_equal(raw(s, "DELETE FROM pay_lines WHERE case_id=8"), 0);
    struct lines x = {0};
    OK(store_payrun_lines(s, "gm1", r, collect, &x, &err));
    assert_int_equal(x.n, 1);
    assert_int_equal(x.l[0].amount, 1234 + 7);
    assert_int_equal(x.l[0].status, PAYLINE_RETURNED);
    /* the unique index holds however the row is written */
    assert_int_equal(raw(s, "UPDATE pay_lines SET status=1 WHERE case_id=7"), 0);
    store_close(s);
}

static int settle_cb(void *arg, const struct paysettlement *x)
{
    *(struct paysettlement *)arg = *x;
    return 0;
}

static int recover_cb(void *arg, const struct payrecovery *x)
{
    void **a = arg;
    struct payrecovery *r = a[0];
    int *n = a[1];
    if (*n < 2)
        r[*n] = *x;
    (*n)++;
    return 0;
}

static void test_settlements_recoveries(void **state)
{
    (void)state;
    struct store *s = open_new("settle");
    OK(store_begin(s, &err));
    struct paysettlement st = {.case_id = 7,
                               .from = MAY - 120,
                               .to = MAY - 1,
                               .hours = 3200,
                               .wage = 812345,
                               .due = 400000,
                               .paid = 420000,
                               .created_at = 1777600000};
    snprintf(st.source, sizeof st.source, "portaal");
    snprintf(st.created_by, sizeof st.created_by, "werkgever.een");
    OK(store_settlement_add(s, "gm1", &st, &err));
    assert_true(st.id > 0);
    struct payrecovery rv = {.case_id = 7,
                             .settlement_id = st.id,
                             .amount = 20000,
                             .decided_on = MAY + 3,
                             .setoff = true,
                             .created_at = 1777700000};
    snprintf(rv.reference, sizeof rv.reference, "LKS-2026-000007-T1");
    snprintf(rv.created_by, sizeof rv.created_by, "fin.een");
    OK(store_recovery_add(s, "gm1", &rv, &err));
    struct payrecovery rv2 = {.case_id = 7, .amount = 500, .decided_on = MAY + 4};
    OK(store_recovery_add(s, "gm1", &rv2, &err));
    assert_true(rv2.id > rv.id);
    OK(store_commit(s, &err));
    struct paysettlement gs = {0};
    OK(store_settlements(s, "gm1", 7, settle_cb, &gs, &err));
    assert_int_equal(gs.id, st.id);
    assert_int_equal(gs.wage, 812345);
    assert_int_equal(gs.hours, 3200);
    assert_int_equal(gs.to, MAY - 1);
    assert_string_equal(gs.source, "portaal");
    struct payrecovery gr[2] = {0};
    int nr = 0;
    void *ra[2] = {gr, &nr};
    OK(store_recoveries(s, "gm1", 7, recover_cb, ra, &err));
    assert_int_equal(nr, 2);
    assert_int_equal(gr[0].settlement_id, st.id);
    assert_true(gr[0].setoff);
    assert_string_equal(gr[0].reference, "LKS-2026-000007-T1");
    assert_int_equal(gr[1].settlement_id, 0);
    assert_false(gr[1].setoff);
    nr = 0;
    OK(store_recoveries(s, "gm2", 7, recover_cb, ra, &err));
    assert_int_equal(nr, 0);
    store_close(s);
}

/* ---- two servers adding the same case-month (PostgreSQL) ---- */

struct racer {
    struct store *s;
    int64_t run;
    lks_date month;
    bool taken;
    int rc;
    volatile int done;
};

static void *race_add(void *arg)
{
    struct racer *r = arg;
    struct lks_err e = {0};
    struct payline l;
    line_of(&l, r->run, 42, r->month, 999);
    r->rc = store_begin(r->s, &e);
    if (r->rc == 0)
        r->rc = store_payline_add(r->s, "gm1", &l, &r->taken, &e);
    if (r->rc == 0)
        r->rc = store_commit(r->s, &e);
    else
        store_rollback(r->s);
    r->done = 1;
    return NULL;
}

/* a adds a case-month and holds its transaction open; b (another connection, as a second
 * server) adds the same case-month meanwhile and waits on a's row; then a commits (b's is
 * taken) or rolls back (b's goes in). Either way exactly one line is live. */
static void test_pg_two_servers(void **state)
{
    (void)state;
    struct store *a = open_new("race");
    struct store *b = open_again("race");
    OK(store_begin(a, &err));
    int64_t ra = new_run(a, "gm1", MAY);
    int64_t rb = new_run(a, "gm1", MAY);
    OK(store_commit(a, &err));
    for (int round = 0; round < 2; round++) {
        lks_date month = MAY + round * 31;
        struct payline l;
        line_of(&l, ra, 42, month, 999);
        bool taken = true;
        OK(store_begin(a, &err));
        OK(store_payline_add(a, "gm1", &l, &taken, &err));
        assert_false(taken);
        struct racer r = {b, rb, month, false, -99, 0};
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, race_add, &r), 0);
        usleep(300000);
        assert_int_equal(r.done, 0); /* still waiting on a's row */
        if (round == 0)
            OK(store_commit(a, &err));
        else
            store_rollback(a);
        pthread_join(t, NULL);
        assert_int_equal(r.rc, 0);
        assert_int_equal(r.taken, round == 0);
    }
    struct payrun x;
    OK(store_payrun_get(a, "gm1", ra, &x, &err));
    assert_int_equal(x.nlines, 1); /* May */
    OK(store_payrun_get(a, "gm1", rb, &x, &err));
    assert_int_equal(x.nlines, 1); /* June, after a rolled back */
    store_close(b);
    store_close(a);
}

/* Both servers at once, many times, on fresh case-months: each month in exactly one run. */
struct hammer {
    struct store *s;
    int64_t run;
    int won, lost, rc;
};

static void *hammer_add(void *arg)
{
    struct hammer *h = arg;
    struct lks_err e = {0};
    for (int i = 0; i < 60 && h->rc == 0; i++) {
        struct payline l;
        line_of(&l, h->run, 100 + i, MAY, 10);
        bool taken = false;
        h->rc = store_begin(h->s, &e);
        if (h->rc == 0)
            h->rc = store_payline_add(h->s, "gm1", &l, &taken, &e);
        if (h->rc == 0)
            h->rc = store_commit(h->s, &e);
        if (h->rc == 0) {
            if (taken)
                h->lost++;
            else
                h->won++;
        }
    }
    return NULL;
}

static void test_pg_hammer(void **state)
{
    (void)state;
    struct store *a = open_new("hammer");
    struct store *b = open_again("hammer");
    OK(store_begin(a, &err));
    struct hammer ha = {a, new_run(a, "gm1", MAY), 0, 0, 0};
    struct hammer hb = {b, new_run(a, "gm1", MAY), 0, 0, 0};
    OK(store_commit(a, &err));
    pthread_t t1, t2;
    pthread_create(&t1, NULL, hammer_add, &ha);
    pthread_create(&t2, NULL, hammer_add, &hb);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_equal(ha.rc, 0);
    assert_int_equal(hb.rc, 0);
    assert_int_equal(ha.won + hb.won, 60);
    assert_int_equal(ha.lost + hb.lost, 60);
    struct payrun x, y;
    OK(store_payrun_get(a, "gm1", ha.run, &x, &err));
    OK(store_payrun_get(a, "gm1", hb.run, &y, &err));
    assert_int_equal(x.nlines + y.nlines, 60);
    store_close(b);
    store_close(a);
}

/* ---- letters on the statement layer ---- */

static void test_letters_bytes(void **state)
{
    (void)state;
    struct store *s = open_new("letters");
    unsigned char pdf[3000];
    for (size_t i = 0; i < sizeof pdf; i++)
        pdf[i] = (unsigned char)(i * 7); /* NULs and high bytes */
    struct store_letter l = {.n = 1, .created = 1777600000};
    snprintf(l.kind, sizeof l.kind, "beschikking");
    snprintf(l.recipient, sizeof l.recipient, "werkgever");
    snprintf(l.sha256, sizeof l.sha256, "%064d", 0);
    OK(store_begin(s, &err));
    OK(store_letter_put(s, "gm1", 7, &l, pdf, sizeof pdf, &err));
    assert_int_equal(store_letter_put(s, "gm1", 7, &l, pdf, 10, &err), LKS_ESTATE);
    OK(store_commit(s, &err));
    struct store_letter got;
    unsigned char *b = NULL;
    size_t n = 0;
    OK(store_letter_get(s, "gm1", 7, "beschikking", 1, "werkgever", &got, &b, &n, &err));
    assert_int_equal(n, sizeof pdf);
    assert_memory_equal(b, pdf, sizeof pdf);
    assert_int_equal(got.created, 1777600000);
    free(b);
    assert_int_equal(
        store_letter_get(s, "gm2", 7, "beschikking", 1, "werkgever", &got, &b, &n, &err),
        LKS_ENOTFOUND);

    struct letter_settings ls = {0};
    snprintf(ls.tenant, sizeof ls.tenant, "gm1");
    snprintf(ls.name, sizeof ls.name, "Gemeente \xc3\x89\xc3\xa9n");
    snprintf(ls.logo_type, sizeof ls.logo_type, "png");
    ls.logo = pdf;
    ls.logo_len = 100;
    OK(store_letter_settings_put(s, &ls, "beheer", 5, &err));
    struct letter_settings out;
    OK(store_letter_settings_get(s, "gm1", &out, &err));
    assert_string_equal(out.name, "Gemeente \xc3\x89\xc3\xa9n");
    assert_int_equal(out.logo_len, 100);
    assert_memory_equal(out.logo, pdf, 100);
    free(out.logo);
    ls.logo = NULL;
    ls.logo_len = 0;
    OK(store_letter_settings_put(s, &ls, "beheer", 6, &err));
    OK(store_letter_settings_get(s, "gm1", &out, &err));
    assert_null(out.logo);
    assert_int_equal(store_letter_settings_get(s, "gm9", &out, &err), LKS_ENOTFOUND);
    store_close(s);
}

/* ---- idempotency keys on the statement layer ---- */

static void test_idem_keys(void **state)
{
    (void)state;
    struct store *s = open_new("idem");
    struct store_idem r = {.created = 1000, .case_id = 7};
    snprintf(r.user, sizeof r.user, "km1");
    snprintf(r.key, sizeof r.key, "k-1");
    snprintf(r.hash, sizeof r.hash, "%064d", 1);
    snprintf(r.bsn, sizeof r.bsn, "123456782");
    snprintf(r.object, sizeof r.object, "zaak");
    assert_int_equal(store_idem_reserve(s, &r, 0, &err), LKS_EINVAL); /* no transaction */
    OK(store_begin(s, &err));
    OK(store_idem_reserve(s, &r, 0, &err));
    assert_int_equal(store_idem_reserve(s, &r, 0, &err), LKS_ESTATE);
    OK(store_commit(s, &err));
    char *body = NULL;
    size_t len = 0;
    struct store_idem got;
    OK(store_idem_get(s, "km1", "k-1", &got, &body, &len, &err));
    assert_null(body);
    assert_int_equal(got.status, 0);
    assert_int_equal(got.case_id, 7);
    assert_string_equal(got.bsn, "123456782");
    r.status = 201;
    snprintf(r.content_type, sizeof r.content_type, "application/json");
    snprintf(r.location, sizeof r.location, "/api/zaken/7");
    const char answer[] = "{\"id\":7}\0tail";
    OK(store_idem_finish(s, &r, answer, sizeof answer, &err));
    OK(store_idem_get(s, "km1", "k-1", &got, &body, &len, &err));
    assert_int_equal(got.status, 201);
    assert_string_equal(got.location, "/api/zaken/7");
    assert_int_equal(len, sizeof answer);
    assert_memory_equal(body, answer, sizeof answer);
    free(body);
    assert_int_equal(store_idem_get(s, "km2", "k-1", &got, &body, &len, &err), LKS_ENOTFOUND);
    /* an old key of the user expires when the user reserves a new one */
    struct store_idem r2 = r;
    snprintf(r2.key, sizeof r2.key, "k-2");
    r2.created = 5000;
    OK(store_begin(s, &err));
    OK(store_idem_reserve(s, &r2, 2000, &err));
    OK(store_commit(s, &err));
    assert_int_equal(store_idem_get(s, "km1", "k-1", &got, &body, &len, &err), LKS_ENOTFOUND);
    store_close(s);
}

/* ---- store_pay_cases: the same states as store_case_get ---- */

struct cmp {
    struct store *s;
    struct case_state *one;
    int n, differ;
    int64_t last;
};

static int compare_case(void *arg, const struct case_state *cs)
{
    struct cmp *c = arg;
    struct lks_err e = {0};
    if (cs->id <= c->last)
        c->differ++; /* not in id order */
    c->last = cs->id;
    if (store_case_get(c->s, cs->tenant, cs->id, c->one, &e) || memcmp(c->one, cs, sizeof *cs) != 0)
        c->differ++;
    bool grant = false;
    for (int i = 0; i < cs->ndecisions; i++)
        grant |= cs->decision[i].kind == DEC_GRANT;
    if (!grant)
        c->differ++;
    c->n++;
    return 0;
}

struct granted {
    struct store *s;
    const char *tenant;
    struct case_state *one;
    int n;
};

static int count_granted(void *arg, const char *tenant, int64_t id)
{
    struct granted *g = arg;
    struct lks_err e = {0};
    if (strcmp(tenant, g->tenant) != 0 || store_case_get(g->s, tenant, id, g->one, &e))
        return 0;
    for (int i = 0; i < g->one->ndecisions; i++)
        if (g->one->decision[i].kind == DEC_GRANT) {
            g->n++;
            break;
        }
    return 0;
}

struct tenants {
    int n;
    char code[8][CASE_ID];
};

static int tenant_cb(void *arg, const struct tenant *t)
{
    struct tenants *x = arg;
    if (x->n < 8 && t->kind == TENANT_GEMEENTE)
        snprintf(x->code[x->n++], CASE_ID, "%s", t->code);
    return 0;
}

static void test_pay_cases_match(void **state)
{
    (void)state;
    struct store *s = open_new("paycases");
    struct lks_err e = {0};
    struct app a;
    assert_int_equal(app_init(&a, s, &R, date_from_ymd(2026, 6, 30), &e), 0);
    struct demo_opts o = {.gemeenten = 2, .zaken = pg ? 40 : 120, .seed = 11, .until = R.until};
    struct demo_stats st;
    if (demo_run(&a, &o, &st, &e))
        fail_msg("demo: %s", e.msg);
    app_free(&a);
    struct tenants t = {0};
    OK(store_tenant_list(s, tenant_cb, &t, &err));
    assert_true(t.n >= 1);
    struct case_state *one = malloc(sizeof *one);
    assert_non_null(one);
    int total = 0;
    for (int i = 0; i < t.n; i++) {
        struct cmp c = {s, one, 0, 0, 0};
        OK(store_pay_cases(s, t.code[i], compare_case, &c, &err));
        assert_int_equal(c.differ, 0);
        struct granted g = {s, t.code[i], one, 0};
        OK(store_case_ids(s, t.code[i], count_granted, &g, &err));
        assert_int_equal(c.n, g.n);
        total += c.n;
    }
    assert_true(total > 5); /* the demo grants cases: the comparison compared something */
    free(one);
    store_close(s);
}

static int rules_setup(void **state)
{
    struct lks_err e;
    if (rules_load_builtin(&R, &e))
        return -1;
    return setup(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runs_and_lines),
        cmocka_unit_test(test_paid_line_kept),
        cmocka_unit_test(test_settlements_recoveries),
        cmocka_unit_test(test_letters_bytes),
        cmocka_unit_test(test_idem_keys),
        cmocka_unit_test(test_pay_cases_match),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, rules_setup, teardown);
    pg_base = getenv("LKS_TEST_PG_URL");
    if (!pg_base || !*pg_base)
        return failed;
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test(test_runs_and_lines),
        cmocka_unit_test(test_paid_line_kept),
        cmocka_unit_test(test_settlements_recoveries),
        cmocka_unit_test(test_letters_bytes),
        cmocka_unit_test(test_idem_keys),
        cmocka_unit_test(test_pg_two_servers),
        cmocka_unit_test(test_pg_hammer),
        cmocka_unit_test(test_pay_cases_match),
    };
    return failed + cmocka_run_group_tests_name("postgresql", pg_tests, pg_setup, pg_teardown);
}

/*
 * test_filter — saved filters of the work list (store/store_filter.h, app_filter in app.h):
 * a filter is reachable by its owner alone, within its municipality; a name once per
 * owner; the app's rules: a name of 1 to 60 characters, at most 20 per user, only the work
 * list's keys in the query and never a BSN, the roles of the work list only.
 *
 * Runs on SQLite (a file per test) and, with LKS_TEST_PG_URL set (tests/pg/cluster.sh), a
 * second time on PostgreSQL, one schema per test, as test_store does.
 */
#include "testutil.h"

#include <libpq-fe.h>
#include <unistd.h>

#include "app/app.h"
#include "rules/tables.h"
#include "store/store.h"
#include "store/store_filter.h"

static char dir[64];
static const char *pg_base;
static bool pg;
static char pg_db[32];
static struct rules R;

static const char *store_url(char *buf, size_t n, const char *name)
{
    if (!pg) {
        snprintf(buf, n, "%s/%s.db", dir, name);
        return buf;
    }
    const char *q = strchr(pg_base, '?');
    snprintf(buf, n, "postgresql:///%s?%s&options=-csearch_path%%3Dt_%s", pg_db, q ? q + 1 : "",
             name);
    return buf;
}

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static void pg_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("connect %s: %s", url, PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet, NULL);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

static struct store *open_new(const char *name)
{
    char url[600];
    store_url(url, sizeof url, name);
    if (pg) {
        char sql[200];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS t_%s CASCADE; CREATE SCHEMA t_%s", name,
                 name);
        pg_exec(url, sql);
    }
    struct store *s = NULL;
    struct lks_err e = {0};
    if (store_open(&s, url, STORE_CREATE, &e))
        fail_msg("store_open %s: %s", name, e.msg);
    return s;
}

static struct store_filter filter(const char *tenant, const char *owner, const char *name,
                                  const char *query)
{
    struct store_filter f;
    memset(&f, 0, sizeof f);
    snprintf(f.tenant, sizeof f.tenant, "%s", tenant);
    snprintf(f.owner, sizeof f.owner, "%s", owner);
    snprintf(f.name, sizeof f.name, "%s", name);
    snprintf(f.query, sizeof f.query, "%s", query);
    f.created = 100;
    return f;
}

struct names {
    char list[4][STORE_FILTER_NAME];
    int n;
};

static int names_cb(void *arg, const struct store_filter *f)
{
    struct names *o = arg;
    if (o->n < 4)
        snprintf(o->list[o->n++], STORE_FILTER_NAME, "%s", f->name);
    return 0;
}

/* Another owner or municipality reaches none of a filter; a name once per owner; by name. */
static void test_store(void **state)
{
    (void)state;
    struct store *s = open_new("fstore");
    struct lks_err e = {0};
    struct store_filter f = filter("gm0794", "km1", "Te laat", "status=lopend&van=mij");
    assert_int_equal(store_filter_add(s, &f, &e), 0);
    assert_true(f.id > 0);
    struct store_filter same = filter("gm0794", "km1", "Te laat", "status=aanvraag");
    assert_int_equal(store_filter_add(s, &same, &e), LKS_ESTATE);
    assert_string_equal(e.field, "naam");
    struct store_filter other = filter("gm0794", "km2", "Te laat", "status=aanvraag");
    assert_int_equal(store_filter_add(s, &other, &e), 0); /* another owner may use the name */
    struct store_filter a = filter("gm0794", "km1", "Aanvragen", "status=aanvraag");
    assert_int_equal(store_filter_add(s, &a, &e), 0);
    struct store_filter got;
    assert_int_equal(store_filter_get(s, "gm0794", "km1", f.id, &got, &e), 0);
    assert_string_equal(got.query, "status=lopend&van=mij");
    assert_string_equal(got.name, "Te laat");
    assert_int_equal(store_filter_get(s, "gm0794", "km2", f.id, &got, &e), LKS_ENOTFOUND);
    assert_int_equal(store_filter_get(s, "gm0772", "km1", f.id, &got, &e), LKS_ENOTFOUND);
    assert_int_equal(store_filter_delete(s, "gm0794", "km2", f.id, &e), LKS_ENOTFOUND);
    assert_int_equal(store_filter_delete(s, "gm0772", "km1", f.id, &e), LKS_ENOTFOUND);
    struct names n = {0};
    assert_int_equal(store_filter_list(s, "gm0794", "km1", 50, names_cb, &n, &e), 0);
    assert_int_equal(n.n, 2);
    assert_string_equal(n.list[0], "Aanvragen"); /* by name */
    assert_string_equal(n.list[1], "Te laat");
    assert_int_equal(store_filter_delete(s, "gm0794", "km1", f.id, &e), 0);
    assert_int_equal(store_filter_get(s, "gm0794", "km1", f.id, &got, &e), LKS_ENOTFOUND);
    assert_int_equal(store_filter_get(s, "gm0794", "km2", other.id, &got, &e), 0);
    store_close(s);
}

static int field_of(const struct lks_errlist *errs, const char *field)
{
    for (int i = 0; i < errs->n; i++)
        if (strcmp(errs->e[i].field, field) == 0)
            return 1;
    return 0;
}

/* The app's rules: the roles, the name, the keys, never a BSN, at most 20. */
static void test_app(void **state)
{
    (void)state;
    struct store *s = open_new("fapp");
    struct app a;
    struct lks_err e = {0};
    assert_int_equal(app_init(&a, s, &R, date_from_ymd(2026, 6, 30), &e), 0);
    struct app_actor km = {"gm0794", "km1", ROLE_KLANTMANAGER, ""};
    struct app_actor km2 = {"gm0794", "km2", ROLE_KLANTMANAGER, ""};
    struct app_actor wg = {"gm0794", "wg1", ROLE_WERKGEVER, "12345678"};
    int64_t id = 0;
    struct lks_errlist errs = {0};
    assert_int_equal(app_filter_save(&a, &km, "  Te laat  ", "status=lopend&van=mij", &id, &errs),
                     0);
    char q[STORE_FILTER_QUERY];
    assert_int_equal(app_filter_query(&a, &km, id, q, sizeof q, &e), 0);
    assert_string_equal(q, "status=lopend&van=mij");
    assert_int_equal(app_filter_query(&a, &km2, id, q, sizeof q, &e), LKS_ENOTFOUND);
    assert_int_equal(app_filter_delete(&a, &km2, id, &e), LKS_ENOTFOUND);
    errs.n = 0;
    assert_int_equal(app_filter_save(&a, &wg, "Van mij", "status=lopend", &id, &errs),
                     LKS_EFORBIDDEN);
    /* the name: required, at most 60 characters (not bytes), no control characters */
    char name[200] = "";
    for (int i = 0; i < 60; i++)
        strcat(name, "\xc3\xa9"); /* é */
    errs.n = 0;
    assert_int_equal(app_filter_save(&a, &km, name, "", &id, &errs), 0);
    strcat(name, "e");
    errs.n = 0;
    assert_int_equal(app_filter_save(&a, &km, name, "", &id, &errs), LKS_EINVAL);
    assert_true(field_of(&errs, "naam"));
    errs.n = 0;
    assert_int_equal(app_filter_save(&a, &km, "   ", "", &id, &errs), LKS_EINVAL);
    assert_true(field_of(&errs, "naam"));
    errs.n = 0;
    assert_int_equal(app_filter_save(&a, &km, "a\tb", "", &id, &errs), LKS_EINVAL);
    assert_true(field_of(&errs, "naam"));
    errs.n = 0;
    assert_int_equal(app_filter_save(&a, &km, "Te laat", "status=aanvraag", &id, &errs),
                     LKS_ESTATE);
    /* only the work list's keys, once each; never a BSN (plain or percent-encoded) */
    const char *bad[] = {"bsn=123456782", "status=lopend&status=aanvraag",
                         "zoek",          "zoek=%zz",
                         "zoek=a%00b",    "foo=bar"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errs.n = 0;
        assert_int_equal(app_filter_save(&a, &km, "Fout", bad[i], &id, &errs), LKS_EINVAL);
        assert_true(field_of(&errs, "filter"));
    }
    const char *bsn[] = {"zoek=123456782", "zoek=Jan+123456782", "zoek=%31%32%33456782",
                         "werkgever=123456782"};
    for (size_t i = 0; i < sizeof bsn / sizeof bsn[0]; i++) {
        errs.n = 0;
        assert_int_equal(app_filter_save(&a, &km, "Met BSN", bsn[i], &id, &errs), LKS_EINVAL);
        assert_true(field_of(&errs, "zoek"));
    }
    /* a KvK number (8 digits) and 9 digits that fail the elfproef are no BSN */
    errs.n = 0;
    assert_int_equal(
        app_filter_save(&a, &km, "KvK", "werkgever=12345678&zoek=123456789", &id, &errs), 0);
    /* at most 20: km has 3 now */
    for (int i = 0; i < 17; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "F%d", i);
        errs.n = 0;
        assert_int_equal(app_filter_save(&a, &km, nm, "alles=ja", &id, &errs), 0);
    }
    errs.n = 0;
    assert_int_equal(app_filter_save(&a, &km, "Eenentwintig", "", &id, &errs), LKS_ESTATE);
    app_free(&a);
    store_close(s);
}

static int setup(void **state)
{
    (void)state;
    struct lks_err e;
    snprintf(dir, sizeof dir, "/tmp/lks-filter-XXXXXX");
    return mkdtemp(dir) && rules_load_builtin(&R, &e) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int pg_setup(void **state)
{
    (void)state;
    pg = true;
    snprintf(pg_db, sizeof pg_db, "lks_f%ld", (long)getpid());
    char sql[96];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", pg_db);
    pg_exec(pg_base, sql);
    return 0;
}

static int pg_teardown(void **state)
{
    (void)state;
    pg = false;
    char sql[96];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_db);
    pg_exec(pg_base, sql);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store),
        cmocka_unit_test(test_app),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, setup, teardown);
    pg_base = getenv("LKS_TEST_PG_URL");
    if (!pg_base || !*pg_base)
        return failed;
    return failed + cmocka_run_group_tests_name("postgresql", tests, pg_setup, pg_teardown);
}

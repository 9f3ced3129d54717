/*
 * test_draft — drafts of the application form (store/store_draft.h, app_draft in app.h):
 * a draft is reachable by its owner alone, within its municipality and company; the
 * size cap; the order of the list; submitting makes the case and deletes the draft in one
 * transaction, and a refused submission leaves the draft.
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
#include "store/store_draft.h"

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

static struct store_draft draft(const char *tenant, const char *owner, const char *kvk,
                                const char *data, int64_t at)
{
    struct store_draft d;
    memset(&d, 0, sizeof d);
    snprintf(d.tenant, sizeof d.tenant, "%s", tenant);
    snprintf(d.owner, sizeof d.owner, "%s", owner);
    snprintf(d.kvk, sizeof d.kvk, "%s", kvk);
    snprintf(d.kind, sizeof d.kind, "aanvraag");
    d.data = (char *)data;
    d.created = d.updated = at;
    return d;
}

static int count_cb(void *arg, const struct store_draft *d)
{
    int *n = arg;
    (void)d;
    (*n)++;
    return 0;
}

struct order {
    int64_t ids[8];
    int n;
};

static int order_cb(void *arg, const struct store_draft *d)
{
    struct order *o = arg;
    if (o->n < 8)
        o->ids[o->n++] = d->id;
    return 0;
}

/* Another owner or municipality reaches none of a draft: not read, changed, deleted or
 * listed. */
static void test_store_scope(void **state)
{
    (void)state;
    struct store *s = open_new("scope");
    struct lks_err e = {0};
    struct store_draft d = draft("gm0794", "km1", "", "{\"velden\":{\"a\":\"1\"}}", 100);
    assert_int_equal(store_draft_put(s, &d, &e), 0);
    assert_true(d.id > 0);
    struct store_draft got;
    assert_int_equal(store_draft_get(s, "gm0794", "km1", d.id, &got, &e), 0);
    assert_string_equal(got.data, "{\"velden\":{\"a\":\"1\"}}");
    assert_string_equal(got.kind, "aanvraag");
    assert_string_equal(got.kvk, "");
    store_draft_free(&got);

    assert_int_equal(store_draft_get(s, "gm0794", "km2", d.id, &got, &e), LKS_ENOTFOUND);
    assert_int_equal(store_draft_get(s, "gm0772", "km1", d.id, &got, &e), LKS_ENOTFOUND);
    struct store_draft other = draft("gm0794", "km2", "", "{}", 200);
    other.id = d.id;
    assert_int_equal(store_draft_put(s, &other, &e), LKS_ENOTFOUND);
    other = draft("gm0772", "km1", "", "{}", 200);
    other.id = d.id;
    assert_int_equal(store_draft_put(s, &other, &e), LKS_ENOTFOUND);
    assert_int_equal(store_draft_delete(s, "gm0794", "km2", d.id, &e), LKS_ENOTFOUND);
    assert_int_equal(store_draft_delete(s, "gm0772", "km1", d.id, &e), LKS_ENOTFOUND);
    int n = 0;
    assert_int_equal(store_draft_list(s, "gm0794", "km2", 50, count_cb, &n, &e), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_draft_list(s, "gm0772", "km1", 50, count_cb, &n, &e), 0);
    assert_int_equal(n, 0);
    /* untouched by all of that */
    assert_int_equal(store_draft_get(s, "gm0794", "km1", d.id, &got, &e), 0);
    assert_string_equal(got.data, "{\"velden\":{\"a\":\"1\"}}");
    store_draft_free(&got);
    assert_int_equal(store_draft_list(s, "gm0794", "km1", 50, count_cb, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_draft_delete(s, "gm0794", "km1", d.id, &e), 0);
    assert_int_equal(store_draft_get(s, "gm0794", "km1", d.id, &got, &e), LKS_ENOTFOUND);
    store_close(s);
}

/* At most 64 KiB of text; the list newest first, at most `max`. */
static void test_store_cap_and_order(void **state)
{
    (void)state;
    struct store *s = open_new("cap");
    struct lks_err e = {0};
    char *big = malloc(STORE_DRAFT_MAX + 2);
    assert_non_null(big);
    memset(big, 'x', STORE_DRAFT_MAX + 1);
    big[STORE_DRAFT_MAX + 1] = '\0';
    struct store_draft d = draft("gm0794", "km1", "", big, 1);
    assert_int_equal(store_draft_put(s, &d, &e), LKS_EINVAL);
    assert_string_equal(e.field, "concept");
    big[STORE_DRAFT_MAX] = '\0';
    d = draft("gm0794", "km1", "", big, 1);
    assert_int_equal(store_draft_put(s, &d, &e), 0);
    free(big);
    struct store_draft d2 = draft("gm0794", "km1", "12345678", "{}", 5);
    assert_int_equal(store_draft_put(s, &d2, &e), 0);
    struct store_draft d3 = draft("gm0794", "km1", "", "{}", 3);
    assert_int_equal(store_draft_put(s, &d3, &e), 0);
    struct order o = {{0}, 0};
    assert_int_equal(store_draft_list(s, "gm0794", "km1", 50, order_cb, &o, &e), 0);
    assert_int_equal(o.n, 3);
    assert_true(o.ids[0] == d2.id && o.ids[1] == d3.id && o.ids[2] == d.id);
    /* a change moves it to the front; kind and kvk stay */
    d.updated = 9;
    d.data = "{\"velden\":{}}";
    assert_int_equal(store_draft_put(s, &d, &e), 0);
    o.n = 0;
    assert_int_equal(store_draft_list(s, "gm0794", "km1", 2, order_cb, &o, &e), 0);
    assert_int_equal(o.n, 2);
    assert_true(o.ids[0] == d.id && o.ids[1] == d2.id);
    struct store_draft got;
    assert_int_equal(store_draft_get(s, "gm0794", "km1", d2.id, &got, &e), 0);
    assert_string_equal(got.kvk, "12345678");
    store_draft_free(&got);
    store_close(s);
}

/* The app: an employer's draft is its own company's; another user of the same company,
 * a user of another municipality and a case worker reach none of it. */
static void test_app_scope(void **state)
{
    (void)state;
    struct store *s = open_new("appscope");
    struct app a;
    struct lks_err e = {0};
    assert_int_equal(app_init(&a, s, &R, date_from_ymd(2026, 6, 30), &e), 0);
    struct app_actor wg = {"gm0794", "wg1", ROLE_WERKGEVER, "12345678"};
    struct app_actor wg_other = {"gm0794", "wg1", ROLE_WERKGEVER, "87654321"};
    struct app_actor wg2 = {"gm0794", "wg2", ROLE_WERKGEVER, "12345678"};
    struct app_actor km = {"gm0794", "km1", ROLE_KLANTMANAGER, ""};
    struct app_actor km_else = {"gm0772", "km1", ROLE_KLANTMANAGER, ""};
    struct app_actor auditor = {"gm0794", "au1", ROLE_AUDITOR, ""};
    json_t *data = json_pack("{s:{s:s}}", "velden", "gegevens.werknemer.naam", "A");
    int64_t id = 0, id_km = 0;
    assert_int_equal(app_draft_new(&a, &wg, data, &id, &e), 0);
    assert_int_equal(app_draft_new(&a, &km, data, &id_km, &e), 0);
    assert_int_equal(app_draft_new(&a, &auditor, data, &id_km, &e), LKS_EFORBIDDEN);
    struct app_draft d;
    assert_int_equal(app_draft_get(&a, &wg, id, &d, &e), 0);
    assert_string_equal(d.kvk, "12345678");
    assert_string_equal(json_string_value(json_object_get(json_object_get(d.data, "velden"),
                                                          "gegevens.werknemer.naam")),
                        "A");
    app_draft_free(&d);
    assert_int_equal(app_draft_get(&a, &wg_other, id, &d, &e), LKS_ENOTFOUND);
    assert_int_equal(app_draft_get(&a, &wg2, id, &d, &e), LKS_ENOTFOUND);
    assert_int_equal(app_draft_get(&a, &km, id, &d, &e), LKS_ENOTFOUND);
    assert_int_equal(app_draft_get(&a, &km_else, id_km, &d, &e), LKS_ENOTFOUND);
    assert_int_equal(app_draft_save(&a, &wg2, id, data, &e), LKS_ENOTFOUND);
    assert_int_equal(app_draft_delete(&a, &km, id, &e), LKS_ENOTFOUND);
    assert_int_equal(app_draft_delete(&a, &wg_other, id, &e), LKS_ENOTFOUND);
    assert_int_equal(app_draft_get(&a, &wg, id, &d, &e), 0);
    app_draft_free(&d);
    assert_int_equal(app_draft_get(&a, &km, id_km, &d, &e), 0);
    app_draft_free(&d);
    /* too big to keep */
    char *big = malloc(APP_DRAFT_MAX + 1);
    assert_non_null(big);
    memset(big, 'y', APP_DRAFT_MAX);
    big[APP_DRAFT_MAX] = '\0';
    json_t *large = json_pack("{s:s}", "x", big);
    free(big);
    assert_int_equal(app_draft_save(&a, &wg, id, large, &e), LKS_EINVAL);
    json_decref(large);
    assert_int_equal(app_draft_delete(&a, &wg, id, &e), 0);
    assert_int_equal(app_draft_get(&a, &wg, id, &d, &e), LKS_ENOTFOUND);
    json_decref(data);
    app_free(&a);
    store_close(s);
}

static int count_app(void *arg, const struct app_draft *d)
{
    (void)d;
    (*(int *)arg)++;
    return 0;
}

static int refuse_hook(void *arg, const struct app_change *ch, struct lks_err *err)
{
    (void)arg;
    (void)ch;
    return lks_err_set(err, LKS_EUNAVAIL, "verwerkingslog", "down", "niet bereikbaar");
}

static int count_cases(void *arg, const struct case_summary *c)
{
    (void)c;
    (*(int *)arg)++;
    return 0;
}

/* Submitting: a refused command leaves the draft; an accepted one makes the case and the
 * draft is gone; a second submission of it is refused and makes no second case. */
static void test_app_submit(void **state)
{
    (void)state;
    struct store *s = open_new("submit");
    struct lks_err e = {0};
    struct tenant t = {.kind = TENANT_GEMEENTE};
    snprintf(t.code, sizeof t.code, "gm0794");
    snprintf(t.name, sizeof t.name, "Helmond");
    assert_int_equal(store_tenant_put(s, &t, &e), 0);
    struct app a;
    assert_int_equal(app_init(&a, s, &R, date_from_ymd(2026, 6, 30), &e), 0);
    struct app_actor km = {"gm0794", "km1", ROLE_KLANTMANAGER, ""};
    json_t *data = json_pack("{s:{}}", "velden");
    int64_t id = 0, case_id = 0;
    assert_int_equal(app_draft_new(&a, &km, data, &id, &e), 0);
    json_t *bad = json_pack("{s:s,s:{s:{s:s}}}", "soort", "aanvraag-ingediend", "gegevens",
                            "werknemer", "naam", "A");
    struct lks_errlist errs = {0};
    assert_int_equal(app_draft_submit(&a, &km, id, bad, &case_id, &errs), LKS_EINVAL);
    assert_true(errs.n > 0);
    struct app_draft d;
    assert_int_equal(app_draft_get(&a, &km, id, &d, &e), 0);
    app_draft_free(&d);
    json_t *good = json_pack(
        "{s:s,s:s,s:{s:{s:s,s:s},s:{s:s,s:s},s:{s:s,s:s,s:s},s:s}}", "soort", "aanvraag-ingediend",
        "datum", "2026-06-01", "gegevens", "werknemer", "bsn", "111222333", "naam", "Anna de Vries",
        "werkgever", "kvk", "12345678", "naam", "Bakkerij B.V.", "dienstverband", "start",
        "2026-07-01", "uren", "32", "loon", "2400.00", "aanvrager", "werkgever");
    memset(&errs, 0, sizeof errs);
    int rc = app_draft_submit(&a, &km, id, good, &case_id, &errs);
    if (rc)
        fail_msg("submit: %s %s", errs.n ? errs.e[0].field : "", errs.n ? errs.e[0].msg : "");
    assert_true(case_id > 0);
    assert_int_equal(app_draft_get(&a, &km, id, &d, &e), LKS_ENOTFOUND);
    int n = 0;
    assert_int_equal(app_draft_list(&a, &km, count_app, &n, &e), 0);
    assert_int_equal(n, 0);
    int64_t again = 0;
    memset(&errs, 0, sizeof errs);
    assert_int_equal(app_draft_submit(&a, &km, id, good, &again, &errs), LKS_ENOTFOUND);
    assert_int_equal(again, 0);
    /* a hook that refuses the commit (the processing log is down): no case, the draft stays */
    int64_t id2 = 0;
    assert_int_equal(app_draft_new(&a, &km, data, &id2, &e), 0);
    json_object_set_new(json_object_get(json_object_get(good, "gegevens"), "werknemer"), "bsn",
                        json_string("123456782"));
    a.before_commit = refuse_hook;
    memset(&errs, 0, sizeof errs);
    int64_t none = 0;
    assert_int_equal(app_draft_submit(&a, &km, id2, good, &none, &errs), LKS_EUNAVAIL);
    a.before_commit = NULL;
    assert_int_equal(app_draft_get(&a, &km, id2, &d, &e), 0);
    app_draft_free(&d);
    struct case_filter f;
    memset(&f, 0, sizeof f);
    f.status = -1;
    f.limit = 10;
    n = 0;
    assert_int_equal(app_case_list(&a, &km, &f, count_cases, &n, &e), 0);
    assert_int_equal(n, 1);
    json_decref(bad);
    json_decref(good);
    json_decref(data);
    app_free(&a);
    store_close(s);
}

static int setup(void **state)
{
    (void)state;
    struct lks_err e;
    snprintf(dir, sizeof dir, "/tmp/lks-draft-XXXXXX");
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
    snprintf(pg_db, sizeof pg_db, "lks_d%ld", (long)getpid());
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
        cmocka_unit_test(test_store_scope),
        cmocka_unit_test(test_store_cap_and_order),
        cmocka_unit_test(test_app_scope),
        cmocka_unit_test(test_app_submit),
    };
    int failed = cmocka_run_group_tests_name("sqlite", tests, setup, teardown);
    pg_base = getenv("LKS_TEST_PG_URL");
    if (!pg_base || !*pg_base)
        return failed;
    return failed + cmocka_run_group_tests_name("postgresql", tests, pg_setup, pg_teardown);
}

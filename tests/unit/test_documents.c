/*
 * test_documents — the documents of a case (migration 9) through the app layer on a real
 * store with demo cases: an upload checked by its bytes and stored, read back byte for
 * byte (NUL and high bytes included), listed newest first; refusals beside their field;
 * scope (another company, another municipality: not found), the role (an auditor adds
 * nothing), the processing-log hook of the change (and a refusal by it stores nothing),
 * and the store's own guard (no add outside a transaction).
 *
 * Runs on SQLite, and with LKS_TEST_PG_URL set (tests/pg/cluster.sh) again on PostgreSQL in
 * a database of its own.
 */
#include <libpq-fe.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/app.h"
#include "app/demo.h"
#include "rules/tables.h"
#include "store/store.h"
#include "store/store_documents.h"

static struct rules R;
static char dir[64];
static const char *pg_base;
static char pg_db[32];

struct hook_seen {
    int calls;
    char object[48];
    char bsn[10];
    int refuse;
};

static int hook(void *arg, const struct app_change *ch, struct lks_err *err)
{
    struct hook_seen *h = arg;
    h->calls++;
    snprintf(h->object, sizeof h->object, "%s", ch->object);
    snprintf(h->bsn, sizeof h->bsn, "%s", ch->bsn ? ch->bsn : "");
    if (h->refuse)
        return lks_err_set(err, LKS_EUNAVAIL, "verwerkingen", "down", "het log is weg");
    return 0;
}

struct first_case {
    int64_t id;
    char kvk[9];
};

static int first_cb(void *arg, const struct case_summary *c)
{
    struct first_case *f = arg;
    if (!f->id && c->employer_kvk[0]) {
        f->id = c->id;
        snprintf(f->kvk, sizeof f->kvk, "%s", c->employer_kvk);
    }
    return 0;
}

static int count_cb(void *arg, const struct store_document *d)
{
    int64_t *ids = arg;
    ids[++ids[0]] = d->id;
    return ids[0] >= 8;
}

static const unsigned char PNG[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

static void check_documents(const char *url)
{
    struct store *s;
    struct lks_err e = {0};
    if (store_open(&s, url, STORE_CREATE, &e))
        fail_msg("open %s: %s", url, e.msg);
    struct app a;
    assert_int_equal(app_init(&a, s, &R, R.until, &e), 0);
    struct demo_opts o = {.gemeenten = 2, .zaken = 12, .seed = 3, .until = R.until};
    struct demo_stats st;
    if (demo_run(&a, &o, &st, &e))
        fail_msg("demo: %s", e.msg);
    struct hook_seen hs = {0};
    a.before_commit = hook;
    a.hook_arg = &hs;

    struct app_actor km = {"gm0794", "km", ROLE_KLANTMANAGER, NULL};
    struct first_case fc = {0};
    struct case_filter f = {.status = -1, .limit = 50};
    assert_int_equal(app_case_list(&a, &km, &f, first_cb, &fc, &e), 0);
    assert_true(fc.id > 0);
    struct app_actor wg = {"gm0794", "wg", ROLE_WERKGEVER, fc.kvk};
    struct app_actor other = {"gm0794", "wg2", ROLE_WERKGEVER, "99999999"};
    struct app_actor goeree = {"gm1924", "km2", ROLE_KLANTMANAGER, NULL};
    struct app_actor auditor = {"gm0794", "aud", ROLE_AUDITOR, NULL};

    /* a PDF with NUL and high bytes inside */
    unsigned char pdf[64] = "%PDF-1.4\n";
    for (size_t i = 9; i < sizeof pdf; i++)
        pdf[i] = (unsigned char)(i * 37);
    pdf[20] = 0;
    pdf[21] = 0xff;
    struct app_upload up = {"arbeidsovereenkomst", "C:\\map\\contract.pdf", "application/pdf", pdf,
                            sizeof pdf};
    struct lks_errlist errs = {0};
    struct store_document d;
    assert_int_equal(app_document_add(&a, &wg, fc.id, &up, &d, &errs), 0);
    assert_true(d.id > 0);
    assert_string_equal(d.file_name, "contract.pdf"); /* no folder of the sender */
    assert_string_equal(d.content_type, "application/pdf");
    assert_int_equal(strlen(d.sha256), 64);
    assert_int_equal(hs.calls, 1);
    char obj[48];
    snprintf(obj, sizeof obj, "document/%lld", (long long)d.id);
    assert_string_equal(hs.object, obj);
    assert_int_equal(strlen(hs.bsn), 9);

    /* read back, byte for byte, by the case worker */
    struct store_document g;
    char *bytes = NULL, bsn[10];
    size_t len = 0;
    assert_int_equal(app_document_get(&a, &km, d.id, &g, &bytes, &len, bsn, &e), 0);
    assert_int_equal(len, sizeof pdf);
    assert_memory_equal(bytes, pdf, sizeof pdf);
    assert_string_equal(g.sha256, d.sha256);
    assert_string_equal(bsn, hs.bsn);
    free(bytes);

    /* refusals beside their field, nothing stored */
    struct app_upload bad[] = {
        {"arbeidsovereenkomst", "contract.pdf", "application/pdf", PNG, sizeof PNG},
        {"arbeidsovereenkomst", "foto.png", "application/pdf", PNG, sizeof PNG},
        {"arbeidsovereenkomst", "brief.txt", "text/plain", (const unsigned char *)"hallo", 5},
        {"arbeidsovereenkomst", "leeg.pdf", "application/pdf", pdf, 0},
        {"arbeidsovereenkomst", "naam\x01.pdf", "application/pdf", pdf, sizeof pdf},
        {"arbeidsovereenkomst", "fout\xc3.pdf", "application/pdf", pdf, sizeof pdf},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct lks_errlist el = {0};
        assert_int_equal(app_document_add(&a, &wg, fc.id, &bad[i], NULL, &el), LKS_EINVAL);
        assert_int_equal(el.n, 1);
        assert_string_equal(el.e[0].field, "bestand");
    }
    struct app_upload nokind = {"paspoort", "a.pdf", NULL, pdf, sizeof pdf};
    struct lks_errlist el = {0};
    assert_int_equal(app_document_add(&a, &wg, fc.id, &nokind, NULL, &el), LKS_EINVAL);
    assert_string_equal(el.e[0].field, "soort");
    unsigned char *huge = calloc(1, STORE_DOC_MAX_BYTES + 1);
    assert_non_null(huge);
    memcpy(huge, "%PDF-", 5);
    struct app_upload big = {"overig", "groot.pdf", NULL, huge, STORE_DOC_MAX_BYTES + 1};
    memset(&el, 0, sizeof el);
    assert_int_equal(app_document_add(&a, &km, fc.id, &big, NULL, &el), LKS_EINVAL);
    big.len = STORE_DOC_MAX_BYTES; /* exactly 10 MiB fits */
    memset(&el, 0, sizeof el);
    assert_int_equal(app_document_add(&a, &km, fc.id, &big, &g, &el), 0);
    assert_int_equal(app_document_get(&a, &km, g.id, &g, &bytes, &len, bsn, &e), 0);
    assert_int_equal(len, STORE_DOC_MAX_BYTES);
    assert_memory_equal(bytes, huge, len);
    free(bytes);
    free(huge);
    int64_t big_id = g.id;

    /* scope and role */
    memset(&el, 0, sizeof el);
    assert_int_equal(app_document_add(&a, &other, fc.id, &up, NULL, &el), LKS_ENOTFOUND);
    assert_int_equal(app_document_get(&a, &other, d.id, &g, NULL, NULL, bsn, &e), LKS_ENOTFOUND);
    assert_string_equal(bsn, "");
    assert_int_equal(app_document_get(&a, &goeree, d.id, &g, NULL, NULL, bsn, &e), LKS_ENOTFOUND);
    int64_t ids[10] = {0};
    assert_int_equal(app_document_list(&a, &other, fc.id, count_cb, ids, bsn, &e), LKS_ENOTFOUND);
    memset(&el, 0, sizeof el);
    assert_int_equal(app_document_add(&a, &auditor, fc.id, &up, NULL, &el), LKS_EFORBIDDEN);
    assert_int_equal(app_document_get(&a, &auditor, d.id, &g, NULL, NULL, bsn, &e), 0);

    /* the log refuses: nothing is stored */
    hs.refuse = 1;
    memset(&el, 0, sizeof el);
    assert_int_equal(app_document_add(&a, &wg, fc.id, &up, NULL, &el), LKS_EUNAVAIL);
    hs.refuse = 0;
    assert_int_equal(app_document_list(&a, &wg, fc.id, count_cb, ids, bsn, &e), 0);
    assert_int_equal(ids[0], 2);
    assert_true(ids[1] == big_id && ids[2] == d.id); /* newest first */

    /* the store adds only inside a write transaction */
    struct store_document raw = d;
    raw.id = 0;
    assert_int_equal(store_document_add(s, &raw, pdf, sizeof pdf, &e), LKS_EINVAL);
    app_free(&a);
    store_close(s);
}

static void test_documents_sqlite(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/docs.db", dir);
    check_documents(path);
}

static void test_documents_pg(void **state)
{
    (void)state;
    if (!pg_base || !*pg_base) {
        skip();
        return;
    }
    snprintf(pg_db, sizeof pg_db, "lks_d%ld", (long)getpid());
    PGconn *c = PQconnectdb(pg_base);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    char sql[96];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", pg_db);
    PGresult *r = PQexec(c, sql);
    assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
    PQclear(r);
    const char *q = strchr(pg_base, '?');
    char url[512];
    snprintf(url, sizeof url, "postgresql:///%s?%s", pg_db, q ? q + 1 : "");
    check_documents(url);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_db);
    PQclear(PQexec(c, sql));
    PQfinish(c);
}

static int setup(void **state)
{
    (void)state;
    struct lks_err e;
    snprintf(dir, sizeof dir, "/tmp/lks-docs-XXXXXX");
    pg_base = getenv("LKS_TEST_PG_URL");
    return mkdtemp(dir) && rules_load_builtin(&R, &e) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documents_sqlite),
        cmocka_unit_test(test_documents_pg),
    };
    return cmocka_run_group_tests_name("documents", tests, setup, teardown);
}

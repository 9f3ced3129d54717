/*
 * store_fixture — what the store tests share (test_store.c, test_pay_store.c): a fresh
 * directory per run for SQLite files, and with LKS_TEST_PG_URL a database of this
 * process in that cluster with one schema per test (search_path in the url), so a test's
 * store is opened by name on either engine (open_new). Static functions: include it in
 * one test file only, after testutil.h.
 */
#ifndef LKS_TEST_STORE_FIXTURE_H
#define LKS_TEST_STORE_FIXTURE_H

#include <dirent.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <unistd.h>

#include "store/store.h"

#ifndef FIXTURE_DIR
#define FIXTURE_DIR "/tmp/lks-store-XXXXXX"
#endif

static char dir[64];

/* PostgreSQL run: the url of the cluster, and this process's database in it. */
static const char *pg_base;
static bool pg;
static char pg_db[32];

/* A test's store: a file of this test, or on PostgreSQL a schema named after it. */
static const char *tmp_path(char *buf, size_t n, const char *name)
{
    if (!pg) {
        snprintf(buf, n, "%s/%s", dir, name);
        return buf;
    }
    char schema[64];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof schema; i++)
        schema[i] = (name[i] >= 'a' && name[i] <= 'z') ? name[i] : '_';
    schema[i] = '\0';
    const char *q = strchr(pg_base, '?');
    snprintf(buf, n, "postgresql:///%s?%s&options=-csearch_path%%3Dt_%s", pg_db, q ? q + 1 : "",
             schema);
    return buf;
}

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static PGconn *pg_admin(const char *url)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("cannot connect to %s: %s", url, PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet, NULL);
    return c;
}

static void pg_exec_ok(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
}

/* An empty schema for the test `name` (made anew). */
static void pg_schema_fresh(const char *name)
{
    char url[600], sql[256];
    tmp_path(url, sizeof url, name);
    const char *schema = strstr(url, "%3D") + 3;
    PGconn *c = pg_admin(url);
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema, schema);
    pg_exec_ok(c, sql);
    PQfinish(c);
}

static int pg_setup(void **state)
{
    (void)state;
    pg = true;
    snprintf(pg_db, sizeof pg_db, "lks_t%ld", (long)getpid());
    PGconn *c = PQconnectdb(pg_base);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "LKS_TEST_PG_URL: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    char sql[96];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", pg_db);
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    if (rc)
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return rc;
}

static int pg_teardown(void **state)
{
    (void)state;
    pg = false;
    PGconn *c = PQconnectdb(pg_base);
    char sql[96];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_db);
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
    PQclear(r);
    PQfinish(c);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, FIXTURE_DIR);
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlink(tmp_path(p, sizeof p, e->d_name));
    closedir(d);
    return rmdir(dir);
}

/* A new store in a new file of this test. */
static struct store *open_new(const char *name)
{
    char p[512];
    struct lks_err err = {0};
    struct store *s = NULL;
    if (pg)
        pg_schema_fresh(name);
    int rc = store_open(&s, tmp_path(p, sizeof p, name), STORE_CREATE, &err);
    if (rc)
        fail_msg("store_open %s: %d %s", name, rc, err.msg);
    return s;
}

#define OK(call)                                                                                   \
    do {                                                                                           \
        struct lks_err e_ = {0};                                                                   \
        int rc_ = (call);                                                                          \
        (void)e_;                                                                                  \
        if (rc_ != 0)                                                                              \
            fail_msg("%s: rc %d", #call, rc_);                                                     \
    } while (0)

#endif

/*
 * test_auth — users, passwords, sessions and API tokens (auth.h) on a real
 * SQLite store (store_auth.h); the throttle of failed attempts (throttle.h) with
 * its clock passed in, and the hashing pool (pool.h) that checks passwords
 * behind it.
 *
 * Every test gets a fresh store in its own directory under /tmp, created with
 * STORE_CREATE so migration 2 provides the identity tables. Argon2id costs
 * ~70–90 ms per hash and the tests run under ASan too, so they make as few
 * hashes as the behaviour allows (about 30 in all); checks of the store alone
 * use a fake password string instead of a real hash. Time is passed in
 * (`now`, and the pool's clock), so throttle and idle periods are crossed
 * without waiting. Where only
 * the file can show a property (no token in clear, roles by name), the test
 * opens it with sqlite3 directly.
 */
#include "testutil.h"

#include <sodium.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include <pthread.h>

#include "auth/auth.h"
#include "auth/pool.h"
#include "auth/throttle.h"
#include "store/store_auth.h"

#define NOW      ((int64_t)1767258000) /* 2026-01-01 09:00 UTC */
#define PASSWORD "correct horse battery"

struct fx {
    char dir[64];
    char path[128];
    struct store *s;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/lks-auth-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/lks.db", f->dir);
    struct lks_err err = {0};
    if (auth_init(&err) != 0 || store_open(&f->s, f->path, STORE_CREATE, &err) != 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        rmdir(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->s);
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[160];
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
        unlink(p);
    }
    int rc = rmdir(f->dir);
    free(f);
    return rc;
}

static struct auth_user user_of(const char *name, enum role role, const char *kvk)
{
    struct auth_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.display, sizeof u.display, "Jan de Vries");
    snprintf(u.tenant, sizeof u.tenant, "GM0363");
    u.role = role;
    snprintf(u.kvk, sizeof u.kvk, "%s", kvk);
    u.active = true;
    return u;
}

/* Add a klantmanager with PASSWORD (one hash). */
static void add_user(struct store *s, const char *name, bool active)
{
    struct auth_user u = user_of(name, ROLE_KLANTMANAGER, "");
    u.active = active;
    struct lks_err err = {0};
    int rc = auth_user_add(s, &u, PASSWORD, &err);
    if (rc)
        fail_msg("auth_user_add(%s): %s", name, err.msg);
}

static void counters(struct store *s, const char *name, int *failures, int64_t *locked_until)
{
    struct auth_user u;
    char pw[crypto_pwhash_STRBYTES];
    struct lks_err err = {0};
    assert_int_equal(store_user_by_name(s, name, &u, pw, sizeof pw, failures, locked_until, &err),
                     0);
}

static void login_ok(struct store *s, const char *name, int64_t now, struct auth_session *se)
{
    struct auth_user u;
    struct lks_err err = {0};
    int rc = auth_login(s, name, PASSWORD, now, se, &u, &err);
    if (rc)
        fail_msg("auth_login(%s): %s", name, err.msg);
    assert_string_equal(u.name, name);
}

static double ms_since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

/* ---- users ---- */

static void test_user_add(void **state)
{
    struct fx *f = *state;
    struct lks_err err = {0};
    struct auth_user u = user_of("j.de-vries_2", ROLE_BESLISSER, "");
    assert_int_equal(auth_user_add(f->s, &u, PASSWORD, &err), 0);

    /* The name is taken: refused by the database, after hashing. */
    struct auth_user dup = user_of("j.de-vries_2", ROLE_AUDITOR, "");
    assert_int_equal(auth_user_add(f->s, &dup, PASSWORD, &err), LKS_ESTATE);
    assert_string_equal(err.field, "name");
    assert_non_null(strstr(err.msg, "bestaat al"));

    /* Checks before any hashing. */
    assert_int_equal(auth_user_add(f->s, &u, "kort-11tkns", &err), LKS_EINVAL);
    assert_string_equal(err.field, "password");
    assert_non_null(strstr(err.msg, "wachtwoord"));
    /* 12 characters, not bytes: eleven letters of two bytes each is too short. */
    assert_int_equal(auth_user_add(f->s, &u, "ééééééééééé", &err), LKS_EINVAL);
    assert_string_equal(err.field, "password");
    assert_int_equal(auth_user_add(f->s, &u, NULL, &err), LKS_EINVAL);

    struct auth_user bad = user_of("x2", ROLE_KLANTMANAGER, "");
    assert_int_equal(auth_user_add(f->s, &bad, PASSWORD, &err), LKS_EINVAL);
    assert_string_equal(err.field, "name");
    bad = user_of("Hoofdletter", ROLE_KLANTMANAGER, "");
    assert_int_equal(auth_user_add(f->s, &bad, PASSWORD, &err), LKS_EINVAL);
    bad = user_of("met spatie", ROLE_KLANTMANAGER, "");
    assert_int_equal(auth_user_add(f->s, &bad, PASSWORD, &err), LKS_EINVAL);
    bad = user_of("x", ROLE_KLANTMANAGER, "");
    memset(bad.name, 'a', 64 - 1); /* 63: the longest allowed is fine so far */
    bad.name[63] = '\0';
    bad.role = (enum role)ROLE_COUNT; /* …but the role is not */
    assert_int_equal(auth_user_add(f->s, &bad, PASSWORD, &err), LKS_EINVAL);
    assert_string_equal(err.field, "role");
    bad.role = (enum role) - 1;
    assert_int_equal(auth_user_add(f->s, &bad, PASSWORD, &err), LKS_EINVAL);
    assert_string_equal(err.field, "role");

    bad = user_of("leeg", ROLE_KLANTMANAGER, "");
    bad.display[0] = '\0';
    assert_int_equal(auth_user_add(f->s, &bad, PASSWORD, &err), LKS_EINVAL);
    assert_string_equal(err.field, "display");
    bad = user_of("leeg", ROLE_KLANTMANAGER, "");
    bad.tenant[0] = '\0';
    assert_int_equal(auth_user_add(f->s, &bad, PASSWORD, &err), LKS_EINVAL);
    assert_string_equal(err.field, "tenant");

    /* A werkgever needs its KvK number; nobody else may have one. */
    struct auth_user wg = user_of("werkgever1", ROLE_WERKGEVER, "");
    assert_int_equal(auth_user_add(f->s, &wg, PASSWORD, &err), LKS_EINVAL);
    assert_string_equal(err.field, "kvk");
    wg = user_of("werkgever1", ROLE_WERKGEVER, "1234567");
    assert_int_equal(auth_user_add(f->s, &wg, PASSWORD, &err), LKS_EINVAL);
    wg = user_of("werkgever1", ROLE_WERKGEVER, "1234567a");
    assert_int_equal(auth_user_add(f->s, &wg, PASSWORD, &err), LKS_EINVAL);
    struct auth_user km = user_of("km1", ROLE_KLANTMANAGER, "12345678");
    assert_int_equal(auth_user_add(f->s, &km, PASSWORD, &err), LKS_EINVAL);
    assert_string_equal(err.field, "kvk");
    wg = user_of("werkgever1", ROLE_WERKGEVER, "12345678");
    assert_int_equal(auth_user_add(f->s, &wg, PASSWORD, &err), 0);

    /* Read back: every field, and the password only as an Argon2id string. */
    struct auth_user got;
    char pw[crypto_pwhash_STRBYTES];
    int failures = -1;
    int64_t locked = -1;
    assert_int_equal(
        store_user_by_name(f->s, "werkgever1", &got, pw, sizeof pw, &failures, &locked, &err), 0);
    assert_true(got.id > 0);
    assert_string_equal(got.display, "Jan de Vries");
    assert_string_equal(got.tenant, "GM0363");
    assert_int_equal(got.role, ROLE_WERKGEVER);
    assert_string_equal(got.kvk, "12345678");
    assert_true(got.active);
    assert_int_equal(failures, 0);
    assert_int_equal(locked, 0);
    assert_int_equal(strncmp(pw, "$argon2id$", 10), 0);
    assert_null(strstr(pw, PASSWORD));
    struct auth_user by_id;
    assert_int_equal(store_user_by_id(f->s, got.id, &by_id, &err), 0);
    assert_memory_equal(&by_id, &got, sizeof got);
}

/* Every fault of a new user at once, in a fixed order, before any hashing. */
static void test_user_check_all(void **state)
{
    (void)state;
    struct auth_user u = user_of("X", ROLE_KLANTMANAGER, "12345678");
    u.display[0] = '\0';
    struct lks_errlist errs = {0};
    assert_int_equal(auth_user_check(&u, "kort", &errs), LKS_EINVAL);
    assert_int_equal(errs.n, 4);
    assert_string_equal(errs.e[0].field, "name");
    assert_string_equal(errs.e[1].field, "display");
    assert_string_equal(errs.e[2].field, "kvk");
    assert_string_equal(errs.e[3].field, "password");
    for (int i = 0; i < errs.n; i++)
        assert_int_equal(errs.e[i].code, LKS_EINVAL);

    /* an unknown role: no check of the KvK number that depends on it */
    u = user_of("goede.naam", (enum role)ROLE_COUNT, "12345678");
    u.tenant[0] = '\0';
    struct lks_errlist two = {0};
    assert_int_equal(auth_user_check(&u, PASSWORD, &two), LKS_EINVAL);
    assert_int_equal(two.n, 2);
    assert_string_equal(two.e[0].field, "tenant");
    assert_string_equal(two.e[1].field, "role");

    /* a good user adds nothing; a werkgever without its number is one fault */
    u = user_of("goede.naam", ROLE_KLANTMANAGER, "");
    struct lks_errlist none = {0};
    assert_int_equal(auth_user_check(&u, PASSWORD, &none), 0);
    assert_int_equal(none.n, 0);
    u = user_of("goede.naam", ROLE_WERKGEVER, "");
    assert_int_equal(auth_user_check(&u, PASSWORD, &none), LKS_EINVAL);
    assert_int_equal(none.n, 1);
    assert_string_equal(none.e[0].field, "kvk");

    /* the installation's operator belongs to the installation ('*'), and only it does */
    u = user_of("app.beheer", ROLE_APPLICATIEBEHEERDER, "");
    snprintf(u.tenant, sizeof u.tenant, "%s", AUTH_TENANT_INSTALLATION);
    struct lks_errlist app = {0};
    assert_int_equal(auth_user_check(&u, PASSWORD, &app), 0);
    snprintf(u.tenant, sizeof u.tenant, "GM0363");
    assert_int_equal(auth_user_check(&u, PASSWORD, &app), LKS_EINVAL);
    assert_string_equal(app.e[0].field, "tenant");
    assert_non_null(strstr(app.e[0].msg, "hele installatie"));
    u = user_of("beheer.x", ROLE_BEHEERDER, "");
    snprintf(u.tenant, sizeof u.tenant, "%s", AUTH_TENANT_INSTALLATION);
    struct lks_errlist res = {0};
    assert_int_equal(auth_user_check(&u, PASSWORD, &res), LKS_EINVAL);
    assert_int_equal(res.n, 1);
    assert_string_equal(res.e[0].field, "tenant");
    assert_string_equal(role_name(ROLE_APPLICATIEBEHEERDER), "applicatiebeheerder");
    assert_int_equal(role_parse("applicatiebeheerder"), ROLE_APPLICATIEBEHEERDER);
}

/* The store alone: missing rows, constraints, roles by name (no hashing). */
static void test_store_rows(void **state)
{
    struct fx *f = *state;
    struct lks_err err = {0};
    struct auth_user u = user_of("loonwaarde.1", ROLE_LOONWAARDEDESKUNDIGE, "");
    assert_int_equal(store_user_add(f->s, &u, "$argon2id$nep", &err), 0);
    struct auth_user got;
    assert_int_equal(store_user_by_name(f->s, "niemand", &got, NULL, 0, NULL, NULL, &err),
                     LKS_ENOTFOUND);
    assert_int_equal(store_user_by_id(f->s, 999, &got, &err), LKS_ENOTFOUND);
    assert_int_equal(store_user_login_result(f->s, 999, 1, 0, &err), LKS_ENOTFOUND);
    /* A password string that does not fit the caller's buffer is an error, not cut. */
    char tiny[8];
    assert_int_equal(
        store_user_by_name(f->s, "loonwaarde.1", &got, tiny, sizeof tiny, NULL, NULL, &err),
        LKS_EIO);

    uint8_t h[STORE_HASH_BYTES];
    memset(h, 7, sizeof h);
    struct auth_session se = {.user_id = 999, .created = NOW, .last_seen = NOW};
    snprintf(se.csrf, sizeof se.csrf, "csrf");
    assert_int_equal(store_session_put(f->s, h, &se, &err), LKS_ESTATE); /* no such user */
    assert_int_equal(store_session_get(f->s, h, &se, &err), LKS_ENOTFOUND);
    assert_int_equal(store_session_touch(f->s, h, NOW, &err), LKS_ENOTFOUND);
    assert_int_equal(store_session_delete(f->s, h, &err), LKS_ENOTFOUND);
    int64_t uid = 0;
    assert_int_equal(store_token_user(f->s, h, &uid, &err), LKS_ENOTFOUND);

    /* last_seen never moves backwards (servers with lagging clocks). */
    assert_int_equal(store_user_by_name(f->s, "loonwaarde.1", &got, NULL, 0, NULL, NULL, &err), 0);
    se.user_id = got.id;
    assert_int_equal(store_session_put(f->s, h, &se, &err), 0);
    assert_int_equal(store_session_put(f->s, h, &se, &err), LKS_ESTATE); /* same hash */
    assert_int_equal(store_session_touch(f->s, h, NOW + 100, &err), 0);
    assert_int_equal(store_session_touch(f->s, h, NOW + 50, &err), 0);
    struct auth_session back;
    assert_int_equal(store_session_get(f->s, h, &back, &err), 0);
    assert_int_equal(back.last_seen, NOW + 100);
    assert_int_equal(back.created, NOW);
    assert_string_equal(back.csrf, "csrf");
    assert_string_equal(back.token, "");

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT role FROM users WHERE name='loonwaarde.1'", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "loonwaardedeskundige");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* ---- login ---- */

/* Does any column of any table hold `needle`? Counts the session rows seen. */
static bool file_contains(const char *path, const char *needle, int *sessions)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *tables = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table'", -1,
                                        &tables, NULL),
                     SQLITE_OK);
    bool found = false;
    *sessions = 0;
    size_t nl = strlen(needle);
    while (sqlite3_step(tables) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(tables, 0);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", t);
        sqlite3_stmt *rows = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
        while (sqlite3_step(rows) == SQLITE_ROW) {
            if (strcmp(t, "sessions") == 0)
                (*sessions)++;
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const void *v = sqlite3_column_blob(rows, c);
                size_t n = (size_t)sqlite3_column_bytes(rows, c);
                if (v && memmem(v, n, needle, nl))
                    found = true;
            }
        }
        sqlite3_finalize(rows);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return found;
}

static void test_login_success(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "anna", true);
    struct auth_session se;
    struct auth_user u;
    struct lks_err err = {0};
    assert_int_equal(auth_login(f->s, "anna", PASSWORD, NOW, &se, &u, &err), 0);
    assert_int_equal(strlen(se.token), 43);
    assert_int_equal(strlen(se.csrf), 43);
    assert_int_equal(strspn(se.token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                      "0123456789-_"),
                     43);
    assert_string_not_equal(se.token, se.csrf);
    assert_int_equal(se.user_id, u.id);
    assert_int_equal(se.created, NOW);
    assert_int_equal(se.last_seen, NOW);
    assert_string_equal(u.tenant, "GM0363");
    assert_int_equal(u.role, ROLE_KLANTMANAGER);

    /* Only the hash of the token is in the file. */
    int sessions = 0;
    assert_false(file_contains(f->path, se.token, &sessions));
    assert_int_equal(sessions, 1);
    assert_false(file_contains(f->path, PASSWORD, &sessions));
    uint8_t h[STORE_HASH_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)se.token, strlen(se.token), NULL, 0);
    struct auth_session stored;
    assert_int_equal(store_session_get(f->s, h, &stored, &err), 0);
    assert_string_equal(stored.csrf, se.csrf);
    assert_int_equal(stored.user_id, u.id);
}

/* The refusal of every wrong login, as auth.c words it. */
#define REFUSAL                                                                                    \
    "gebruikersnaam of wachtwoord onjuist, of te veel mislukte pogingen; "                         \
    "probeer het later opnieuw"

/* auth_login locks nobody out and keeps no count in the store: that is the server's
 * throttle, per address and account (below). After many wrong passwords the right one
 * works, and the store's old counters stay as they were. */
static void test_wrong_password_no_lock(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "bert", true);
    struct auth_session se;
    struct auth_user u;
    struct lks_err err = {0};
    for (int i = 1; i <= 7; i++) {
        assert_int_equal(auth_login(f->s, "bert", "verkeerd wachtwoord", NOW + i, &se, &u, &err),
                         LKS_EINVAL);
        assert_string_equal(err.msg, REFUSAL);
        assert_string_equal(err.field, "password");
        assert_string_equal(err.reason, "invalid-credentials");
    }
    int failures = -1;
    int64_t locked = -1;
    counters(f->s, "bert", &failures, &locked);
    assert_int_equal(failures, 0);
    assert_int_equal(locked, 0);
    login_ok(f->s, "bert", NOW + 8, &se);
}

static void test_unknown_and_inactive(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "eva", true);
    add_user(f->s, "oud.account", false);
    struct auth_session se;
    struct auth_user u;
    struct lks_err wrong = {0}, unknown = {0}, inactive = {0};
    assert_int_equal(auth_login(f->s, "eva", "niet het wachtwoord", NOW, &se, &u, &wrong),
                     LKS_EINVAL);

    /* The unknown name still costs a full Argon2id check (at least several ms). */
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(auth_login(f->s, "frank", PASSWORD, NOW, &se, &u, &unknown), LKS_EINVAL);
    assert_true(ms_since(&t0) > 10.0);
    assert_string_equal(unknown.msg, wrong.msg);
    assert_string_equal(unknown.field, wrong.field);
    assert_string_equal(unknown.reason, wrong.reason);

    /* Inactive, with the right password: the same answer. */
    assert_int_equal(auth_login(f->s, "oud.account", PASSWORD, NOW, &se, &u, &inactive),
                     LKS_EINVAL);
    assert_string_equal(inactive.msg, wrong.msg);
    int sessions = 0;
    assert_false(file_contains(f->path, "no-such-text-at-all", &sessions));
    assert_int_equal(sessions, 0);

    assert_int_equal(auth_login(f->s, NULL, PASSWORD, NOW, &se, &u, &unknown), LKS_EINVAL);
    /* an inactive account with a wrong password, and a lock once stored (old rows): the
     * same, and the lock is not looked at */
    assert_int_equal(auth_login(f->s, "oud.account", "fout-fout-fout", NOW, &se, &u, &inactive),
                     LKS_EINVAL);
    assert_int_equal(inactive.code, wrong.code);
    assert_string_equal(inactive.field, wrong.field);
    assert_string_equal(inactive.reason, wrong.reason);
    assert_string_equal(inactive.msg, wrong.msg);
    struct auth_user eva;
    assert_int_equal(store_user_by_name(f->s, "eva", &eva, NULL, 0, NULL, NULL, &unknown), 0);
    assert_int_equal(store_user_login_result(f->s, eva.id, 5, NOW + 900, &unknown), 0);
    login_ok(f->s, "eva", NOW + 1, &se);
}

/* ---- sessions ---- */

static void test_sessions(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "gijs", true);
    struct auth_session se, got;
    struct auth_user u;
    struct lks_err err = {0};
    login_ok(f->s, "gijs", NOW, &se);
    assert_int_equal(auth_session_check(f->s, se.token, NOW + 30, &u, &got, &err), 0);
    assert_string_equal(u.name, "gijs");
    assert_string_equal(got.csrf, se.csrf);
    assert_int_equal(got.user_id, u.id);
    assert_int_equal(got.last_seen, NOW); /* under a minute: not written */

    /* Idle for 15 minutes and a second: gone, and removed from the store. */
    assert_int_equal(auth_session_check(f->s, se.token, NOW + AUTH_IDLE_S + 1, &u, &got, &err),
                     LKS_ENOTFOUND);
    assert_string_equal(err.field, "session");
    uint8_t h[STORE_HASH_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)se.token, strlen(se.token), NULL, 0);
    assert_int_equal(store_session_get(f->s, h, &got, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_session_check(f->s, se.token, NOW, &u, &got, &err), LKS_ENOTFOUND);

    /* Use keeps it alive: ten checks ten minutes apart, then exactly the idle time. */
    int64_t t = NOW + 7200;
    login_ok(f->s, "gijs", t, &se);
    for (int i = 0; i < 10; i++) {
        t += 10 * 60;
        assert_int_equal(auth_session_check(f->s, se.token, t, &u, &got, &err), 0);
        assert_int_equal(got.last_seen, t);
        assert_int_equal(got.created, NOW + 7200);
    }
    t += AUTH_IDLE_S;
    assert_int_equal(auth_session_check(f->s, se.token, t, &u, &got, &err), 0);

    /* Malformed tokens never reach the store. */
    assert_int_equal(auth_session_check(f->s, "", t, &u, &got, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_session_check(f->s, NULL, t, &u, &got, &err), LKS_ENOTFOUND);
    char bad[AUTH_TOKEN_CHARS];
    memcpy(bad, se.token, sizeof bad);
    bad[5] = '=';
    assert_int_equal(auth_session_check(f->s, bad, t, &u, &got, &err), LKS_ENOTFOUND);
    /* The CSRF token is no session token. */
    assert_int_equal(auth_session_check(f->s, se.csrf, t, &u, &got, &err), LKS_ENOTFOUND);

    /* Logout ends it; logging out again is no error. */
    assert_int_equal(auth_logout(f->s, se.token, &err), 0);
    assert_int_equal(auth_session_check(f->s, se.token, t, &u, &got, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_logout(f->s, se.token, &err), 0);
    assert_int_equal(auth_logout(f->s, "onzin", &err), 0);
}

/* ---- checked credentials kept while the store is unchanged ---- */

static uint64_t generation(struct store *s)
{
    uint64_t g = 0;
    struct lks_err err = {0};
    assert_int_equal(store_read_begin(s, &err), 0);
    assert_int_equal(store_generation(s, &g, &err), 0);
    store_read_end(s);
    return g;
}

static void test_cached_checks(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "sanne", true);
    struct lks_err err = {0};
    struct auth_user u, got;
    struct auth_session se, gs;
    assert_int_equal(store_user_by_name(f->s, "sanne", &u, NULL, 0, NULL, NULL, &err), 0);
    char tok[AUTH_TOKEN_CHARS];
    assert_int_equal(auth_token_new(f->s, u.id, "koppeling", tok, &err), 0);
    login_ok(f->s, "sanne", NOW, &se);
    static struct auth_cache cache; /* large: not on the stack */
    memset(&cache, 0, sizeof cache);
    bool after = true;

    uint64_t g = generation(f->s);
    assert_int_equal(auth_token_check_cached(f->s, &cache, g, tok, &got, &err), 0);
    assert_string_equal(got.name, "sanne");
    assert_int_equal(
        auth_session_check_cached(f->s, &cache, g, se.token, NOW + 5, &got, &gs, &after, &err), 0);
    assert_false(after);
    assert_string_equal(gs.csrf, se.csrf);

    /* The cache answers for the generation it was filled at: the block below is a commit,
     * so the same generation is what a reader would see only before it. */
    assert_int_equal(store_user_set_active(f->s, "sanne", false, &err), 0);
    assert_int_equal(auth_token_check_cached(f->s, &cache, g, tok, &got, &err), 0);
    uint64_t g2 = generation(f->s);
    assert_true(g2 != g);
    assert_int_equal(auth_token_check_cached(f->s, &cache, g2, tok, &got, &err), LKS_ENOTFOUND);
    assert_int_equal(
        auth_session_check_cached(f->s, &cache, g2, se.token, NOW + 5, &got, &gs, &after, &err),
        LKS_ENOTFOUND);
    /* 0 is "unknown": never a hit, the store decides */
    assert_int_equal(auth_token_check_cached(f->s, &cache, 0, tok, &got, &err), LKS_ENOTFOUND);

    /* A cached session still expires by the clock, and asks for its refresh. */
    assert_int_equal(store_user_set_active(f->s, "sanne", true, &err), 0);
    login_ok(f->s, "sanne", NOW, &se);
    uint64_t g3 = generation(f->s);
    assert_int_equal(
        auth_session_check_cached(f->s, &cache, g3, se.token, NOW + 1, &got, &gs, &after, &err), 0);
    assert_false(after);
    assert_int_equal(
        auth_session_check_cached(f->s, &cache, g3, se.token, NOW + 61, &got, &gs, &after, &err),
        0);
    assert_true(after); /* last_seen is over a minute old */
    assert_int_equal(auth_session_after(f->s, se.token, NOW + 61, &err), 0);
    assert_int_equal(auth_session_check(f->s, se.token, NOW + 62, &got, &gs, &err), 0);
    assert_int_equal(gs.last_seen, NOW + 61);
    uint64_t g4 = generation(f->s);
    assert_int_equal(auth_session_check_cached(f->s, &cache, g4, se.token,
                                               NOW + 61 + AUTH_IDLE_S + 1, &got, &gs, &after, &err),
                     LKS_ENOTFOUND);
    assert_true(after); /* idle: to be removed */
    assert_int_equal(auth_session_after(f->s, se.token, NOW + 61 + AUTH_IDLE_S + 1, &err), 0);
    uint8_t h[STORE_HASH_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)se.token, strlen(se.token), NULL, 0);
    assert_int_equal(store_session_get(f->s, h, &gs, &err), LKS_ENOTFOUND);
}

/* ---- changing a password, setting one, revoking one token ---- */

static void test_password_change(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "ruud", true);
    struct lks_err err = {0};
    struct auth_session mine, other, se;
    struct auth_user u;
    login_ok(f->s, "ruud", NOW, &mine);
    login_ok(f->s, "ruud", NOW, &other);
    char tok[AUTH_TOKEN_CHARS];
    assert_int_equal(store_user_by_name(f->s, "ruud", &u, NULL, 0, NULL, NULL, &err), 0);
    assert_int_equal(auth_token_new(f->s, u.id, "koppeling", tok, &err), 0);
    const char *next = "een-heel-nieuw-wachtwoord";

    /* The new one is checked first: too short, too long, or the same. */
    assert_int_equal(auth_password_change(f->s, "ruud", PASSWORD, "kort", mine.token, &err),
                     LKS_EINVAL);
    assert_string_equal(err.field, "new_password");
    assert_int_equal(auth_password_change(f->s, "ruud", PASSWORD, PASSWORD, mine.token, &err),
                     LKS_EINVAL);
    assert_string_equal(err.field, "new_password");
    assert_string_equal(err.reason, "unchanged");
    static char longer[AUTH_PASSWORD_MAX + 2];
    memset(longer, 'x', AUTH_PASSWORD_MAX + 1);
    assert_int_equal(auth_password_change(f->s, "ruud", PASSWORD, longer, mine.token, &err),
                     LKS_EINVAL);
    assert_string_equal(err.reason, "too-long");
    longer[AUTH_PASSWORD_MAX] = '\0'; /* exactly the most */
    assert_int_equal(auth_password_check(longer, &err), 0);

    /* A wrong current password is refused like a wrong login. */
    assert_int_equal(
        auth_password_change(f->s, "ruud", "niet-het-wachtwoord", next, mine.token, &err),
        LKS_EINVAL);
    assert_string_equal(err.field, "password");
    assert_string_equal(err.msg, REFUSAL);

    assert_int_equal(auth_password_change(f->s, "ruud", PASSWORD, next, mine.token, &err), 0);
    assert_int_equal(auth_login(f->s, "ruud", PASSWORD, NOW, &se, &u, &err), LKS_EINVAL);
    assert_int_equal(auth_login(f->s, "ruud", next, NOW, &se, &u, &err), 0);
    /* This session stays, the other one ended, the system's token still works. */
    assert_int_equal(auth_session_check(f->s, mine.token, NOW + 1, &u, &se, &err), 0);
    assert_int_equal(auth_session_check(f->s, other.token, NOW + 1, &u, &se, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_token_check(f->s, tok, &u, &err), 0);

    /* The operator sets one: every session ends, the lock is lifted. */
    assert_int_equal(auth_password_set(f->s, "ruud", "kort", &err), LKS_EINVAL);
    assert_int_equal(auth_password_set(f->s, "niemand", "lang-genoeg-wachtwoord", &err),
                     LKS_ENOTFOUND);
    assert_int_equal(auth_password_set(f->s, "ruud", "door-de-beheerder-gezet", &err), 0);
    assert_int_equal(auth_session_check(f->s, mine.token, NOW + 4, &u, &se, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_login(f->s, "ruud", "door-de-beheerder-gezet", NOW + 5, &se, &u, &err),
                     0);
}

static void test_token_revoke(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "systeem.x", true);
    struct lks_err err = {0};
    struct auth_user u;
    assert_int_equal(store_user_by_name(f->s, "systeem.x", &u, NULL, 0, NULL, NULL, &err), 0);
    char a[AUTH_TOKEN_CHARS], b[AUTH_TOKEN_CHARS], c2[AUTH_TOKEN_CHARS];
    assert_int_equal(auth_token_new(f->s, u.id, "suwinet", a, &err), 0);
    assert_int_equal(auth_token_new(f->s, u.id, "suwinet", b, &err), 0);
    assert_int_equal(auth_token_new(f->s, u.id, "boekhouding", c2, &err), 0);
    int n = -1;
    assert_int_equal(store_token_revoke(f->s, "systeem.x", "suwinet", &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(auth_token_check(f->s, a, &u, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_token_check(f->s, b, &u, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_token_check(f->s, c2, &u, &err), 0);
    assert_int_equal(store_token_revoke(f->s, "systeem.x", "suwinet", &n, &err), LKS_ENOTFOUND);
    assert_string_equal(err.field, "label");
    assert_int_equal(store_token_revoke(f->s, "niemand", "boekhouding", &n, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_token_check(f->s, c2, &u, &err), 0);
}

/* A user made inactive loses its sessions and tokens at once. */
static void test_deactivated(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "hanna", true);
    struct auth_session se, got;
    struct auth_user u;
    struct lks_err err = {0};
    login_ok(f->s, "hanna", NOW, &se);
    char tok[AUTH_TOKEN_CHARS];
    assert_int_equal(auth_token_new(f->s, se.user_id, "koppeling", tok, &err), 0);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE users SET active=0 WHERE name='hanna'", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    assert_int_equal(auth_session_check(f->s, se.token, NOW + 1, &u, &got, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_token_check(f->s, tok, &u, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_token_new(f->s, se.user_id, "nog een", tok, &err), LKS_ESTATE);
}

/* ---- API tokens ---- */

static void test_api_tokens(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "systeem.suwinet", true);
    struct lks_err err = {0};
    struct auth_user u, got;
    assert_int_equal(store_user_by_name(f->s, "systeem.suwinet", &u, NULL, 0, NULL, NULL, &err), 0);
    char tok[AUTH_TOKEN_CHARS], tok2[AUTH_TOKEN_CHARS];
    assert_int_equal(auth_token_new(f->s, u.id, "koppeling suwinet", tok, &err), 0);
    assert_int_equal(strlen(tok), 43);
    assert_int_equal(auth_token_new(f->s, u.id, NULL, tok2, &err), 0);
    assert_string_not_equal(tok, tok2);
    assert_int_equal(auth_token_check(f->s, tok, &got, &err), 0);
    assert_int_equal(got.id, u.id);
    assert_string_equal(got.name, "systeem.suwinet");
    assert_int_equal(auth_token_check(f->s, tok2, &got, &err), 0);
    int sessions = 0;
    assert_false(file_contains(f->path, tok, &sessions));

    /* Unknown (well-formed), malformed, and for a user that does not exist. */
    char other[AUTH_TOKEN_CHARS];
    memcpy(other, tok, sizeof other);
    other[0] = other[0] == 'A' ? 'B' : 'A';
    assert_int_equal(auth_token_check(f->s, other, &got, &err), LKS_ENOTFOUND);
    assert_string_equal(err.field, "token");
    assert_int_equal(auth_token_check(f->s, "Bearer", &got, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_token_check(f->s, NULL, &got, &err), LKS_ENOTFOUND);
    char untouched[AUTH_TOKEN_CHARS] = "x";
    assert_int_equal(auth_token_new(f->s, 424242, "weg", untouched, &err), LKS_ENOTFOUND);
    assert_string_equal(untouched, "x");

    /* A session token is no API token. */
    struct auth_session se;
    login_ok(f->s, "systeem.suwinet", NOW, &se);
    assert_int_equal(auth_token_check(f->s, se.token, &got, &err), LKS_ENOTFOUND);
}

/* ---- comparison ---- */

static void test_auth_equal(void **state)
{
    (void)state;
    assert_true(auth_equal("", ""));
    assert_true(auth_equal("abcDEF-_0123", "abcDEF-_0123"));
    assert_false(auth_equal("abcDEF-_0123", "abcDEF-_0124"));
    assert_false(auth_equal("xbcDEF-_0123", "abcDEF-_0123"));
    assert_false(auth_equal("abc", "abcd"));
    assert_false(auth_equal("abcd", "abc"));
    assert_false(auth_equal("", "a"));
    assert_false(auth_equal("a", ""));
    assert_false(auth_equal(NULL, "a"));
    assert_false(auth_equal("a", NULL));
    assert_false(auth_equal(NULL, NULL));
}

/* ---- the throttle: every verdict with the clock passed in, no hashing ---- */

static struct auth_throttle *throttle_new(size_t entries)
{
    struct auth_throttle *t = NULL;
    struct lks_err err = {0};
    assert_int_equal(auth_throttle_new(&t, entries, &err), 0);
    return t;
}

/* One attempt that is checked and wrong; returns the verdict. */
static enum auth_verdict attempt(struct auth_throttle *t, const char *addr, const char *name,
                                 int64_t now, enum auth_outcome how)
{
    struct auth_ticket k;
    auth_throttle_ticket(t, addr, name, &k);
    enum auth_verdict v = auth_throttle_admit(t, &k, now);
    if (v != AUTH_REFUSE)
        auth_throttle_settle(t, &k, how);
    return v;
}

static void counts_of(struct auth_throttle *t, const char *addr, const char *name, int64_t now,
                      int c[3])
{
    struct auth_ticket k;
    auth_throttle_ticket(t, addr, name, &k);
    auth_throttle_counts(t, &k, now, c);
}

/* Five failures of one account from one address lock that address out of that account,
 * for a quarter of an hour after the fifth; every other address still gets in. */
static void test_throttle_pair(void **state)
{
    (void)state;
    struct auth_throttle *t = throttle_new(1024);
    const char *a = "192.0.2.1", *b = "192.0.2.2";
    assert_int_equal(attempt(t, a, "anna", NOW, AUTH_FAILED), AUTH_ADMIT_CLEAN);
    for (int i = 2; i <= AUTH_PAIR_MAX; i++)
        assert_int_equal(attempt(t, a, "anna", NOW + i, AUTH_FAILED), AUTH_ADMIT);
    int c[3];
    counts_of(t, a, "anna", NOW + 5, c);
    assert_int_equal(c[0], AUTH_PAIR_MAX);
    assert_int_equal(c[1], AUTH_PAIR_MAX);
    assert_int_equal(c[2], AUTH_PAIR_MAX);
    /* refused, also with what would be the right password: it is never checked */
    assert_int_equal(attempt(t, a, "anna", NOW + 6, AUTH_SUCCEEDED), AUTH_REFUSE);
    /* another address, right password: in; another name from the address: in */
    assert_int_equal(attempt(t, b, "anna", NOW + 7, AUTH_SUCCEEDED), AUTH_ADMIT_CLEAN);
    assert_int_equal(attempt(t, a, "bert", NOW + 8, AUTH_SUCCEEDED), AUTH_ADMIT);
    /* refusals are not counted: the lock ends AUTH_FORGET_S after the fifth failure */
    for (int i = 0; i < 20; i++)
        assert_int_equal(attempt(t, a, "anna", NOW + 100 + i, AUTH_FAILED), AUTH_REFUSE);
    int64_t fifth = NOW + AUTH_PAIR_MAX;
    assert_int_equal(attempt(t, a, "anna", fifth + AUTH_FORGET_S - 1, AUTH_FAILED), AUTH_REFUSE);
    assert_int_equal(attempt(t, a, "anna", fifth + AUTH_FORGET_S, AUTH_SUCCEEDED), AUTH_ADMIT);
    counts_of(t, a, "anna", fifth + AUTH_FORGET_S, c);
    assert_int_equal(c[0], 0); /* a success clears the pair */
    auth_throttle_free(t);
}

/* A success clears its (address, name) count but not the address's: a valid account of
 * the attacker's own does not reset its guessing of others. */
static void test_throttle_success(void **state)
{
    (void)state;
    struct auth_throttle *t = throttle_new(1024);
    const char *a = "198.51.100.9";
    for (int i = 0; i < AUTH_PAIR_MAX - 1; i++)
        attempt(t, a, "carla", NOW + i, AUTH_FAILED);
    assert_int_equal(attempt(t, a, "carla", NOW + 10, AUTH_SUCCEEDED), AUTH_ADMIT);
    int c[3];
    counts_of(t, a, "carla", NOW + 10, c);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[1], AUTH_PAIR_MAX - 1); /* the success itself taken back */
    assert_int_equal(c[2], AUTH_PAIR_MAX - 1);
    for (int i = 0; i < AUTH_PAIR_MAX; i++)
        assert_int_equal(attempt(t, a, "carla", NOW + 20 + i, AUTH_FAILED), AUTH_ADMIT);
    assert_int_equal(attempt(t, a, "carla", NOW + 30, AUTH_FAILED), AUTH_REFUSE);
    /* a check that could not be done counts nowhere */
    struct auth_ticket k;
    auth_throttle_ticket(t, a, "dirk", &k);
    assert_int_equal(auth_throttle_admit(t, &k, NOW + 31), AUTH_ADMIT);
    auth_throttle_settle(t, &k, AUTH_UNCHECKED);
    counts_of(t, a, "dirk", NOW + 31, c);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[2], 0);
    auth_throttle_free(t);
}

/* Thirty failures from one address, one per name, refuse it for every name; the
 * address next to it is not touched. An IPv6 /64 is one address. */
static void test_throttle_address(void **state)
{
    (void)state;
    struct auth_throttle *t = throttle_new(4096);
    char name[32];
    for (int i = 0; i < AUTH_ADDR_MAX; i++) {
        snprintf(name, sizeof name, "naam%d", i);
        assert_int_not_equal(attempt(t, "2001:db8:1:2::/64", name, NOW + i, AUTH_FAILED),
                             AUTH_REFUSE);
    }
    assert_int_equal(attempt(t, "2001:db8:1:2::/64", "nieuw", NOW + 40, AUTH_SUCCEEDED),
                     AUTH_REFUSE);
    assert_int_equal(attempt(t, "2001:db8:1:3::/64", "nieuw", NOW + 40, AUTH_SUCCEEDED),
                     AUTH_ADMIT_CLEAN);
    /* forgotten a quarter of an hour after the last counted one (refusals do not count) */
    assert_int_equal(attempt(t, "2001:db8:1:2::/64", "nieuw",
                             NOW + AUTH_ADDR_MAX - 2 + AUTH_FORGET_S, AUTH_SUCCEEDED),
                     AUTH_REFUSE);
    assert_int_equal(attempt(t, "2001:db8:1:2::/64", "nieuw",
                             NOW + AUTH_ADDR_MAX - 1 + AUTH_FORGET_S, AUTH_SUCCEEDED),
                     AUTH_ADMIT_CLEAN);
    char addr[AUTH_ADDR_CHARS], other[AUTH_ADDR_CHARS];
    auth_client_addr("2001:db8:1:2::7", NULL, false, addr);
    auth_client_addr("2001:db8:1:2:ffff:1:2:3", NULL, false, other);
    assert_string_equal(addr, "2001:db8:1:2::/64");
    assert_string_equal(other, addr);
    auth_throttle_free(t);
}

/* An account with ten failures from many addresses is under pressure: an address that
 * failed on it waits a minute after its last attempt; an address without a failure on
 * it is not slowed at all, and the right password from there gets in. */
static void test_throttle_pressure(void **state)
{
    (void)state;
    struct auth_throttle *t = throttle_new(1024);
    char addr[32];
    for (int i = 0; i < AUTH_ACCOUNT_BUSY; i++) {
        snprintf(addr, sizeof addr, "203.0.113.%d", i / 2);
        assert_int_not_equal(attempt(t, addr, "eva", NOW + i, AUTH_FAILED), AUTH_REFUSE);
    }
    int c[3];
    counts_of(t, "203.0.113.4", "eva", NOW + 10, c);
    assert_int_equal(c[0], 2);
    assert_int_equal(c[2], AUTH_ACCOUNT_BUSY);
    /* 203.0.113.4 tried last at NOW + 9: it waits a minute from then */
    assert_int_equal(attempt(t, "203.0.113.4", "eva", NOW + 10, AUTH_FAILED), AUTH_REFUSE);
    /* other names from the same address: not under pressure */
    assert_int_equal(attempt(t, "203.0.113.4", "frank", NOW + 11, AUTH_FAILED), AUTH_ADMIT);
    /* an address with no failure on eva: never slowed, whatever others did */
    assert_int_equal(attempt(t, "198.51.100.1", "eva", NOW + 12, AUTH_FAILED), AUTH_ADMIT_CLEAN);
    for (int i = 0; i < AUTH_PAIR_MAX; i++)
        assert_int_not_equal(attempt(t, "192.0.2.77", "frank", NOW + 13 + i, AUTH_FAILED),
                             AUTH_REFUSE);
    assert_int_equal(attempt(t, "192.0.2.88", "eva", NOW + 18, AUTH_SUCCEEDED), AUTH_ADMIT_CLEAN);
    assert_int_equal(attempt(t, "203.0.113.4", "eva", NOW + 9 + AUTH_COOLDOWN_S - 1, AUTH_FAILED),
                     AUTH_REFUSE);
    assert_int_equal(attempt(t, "203.0.113.4", "eva", NOW + 9 + AUTH_COOLDOWN_S, AUTH_FAILED),
                     AUTH_ADMIT);
    /* …and waits again after that one */
    int64_t last = NOW + 9 + AUTH_COOLDOWN_S;
    assert_int_equal(attempt(t, "203.0.113.4", "eva", last + 1, AUTH_FAILED), AUTH_REFUSE);
    /* the pressure ends when the account's count is forgotten, a quarter of an hour after
     * its last attempt (192.0.2.88's success took back only its own count) */
    counts_of(t, "x", "eva", last + AUTH_FORGET_S - 1, c);
    assert_int_equal(c[2], AUTH_ACCOUNT_BUSY + 2);
    counts_of(t, "x", "eva", last + AUTH_FORGET_S, c);
    assert_int_equal(c[2], 0);
    auth_throttle_free(t);
}

/* Attempts running at once are counted when admitted: a burst from one address gets
 * exactly AUTH_PAIR_MAX checks, however many are in flight. */
static void test_throttle_in_flight(void **state)
{
    (void)state;
    struct auth_throttle *t = throttle_new(1024);
    struct auth_ticket k;
    auth_throttle_ticket(t, "192.0.2.50", "gijs", &k);
    int admitted = 0;
    for (int i = 0; i < 50; i++)
        admitted += auth_throttle_admit(t, &k, NOW) != AUTH_REFUSE;
    assert_int_equal(admitted, AUTH_PAIR_MAX);
    /* the first of them comes back right: the others are still in flight, refused too */
    auth_throttle_settle(t, &k, AUTH_SUCCEEDED);
    int c[3];
    auth_throttle_counts(t, &k, NOW, c);
    assert_int_equal(c[0], 0);
    assert_int_equal(c[1], AUTH_PAIR_MAX - 1);
    auth_throttle_free(t);
}

/* The table is bounded: far more keys than it holds make it forget the oldest first,
 * never grow, and never refuse anyone for lack of room. */
static void test_throttle_bounded(void **state)
{
    (void)state;
    struct auth_throttle *t = throttle_new(64);
    assert_int_equal(auth_throttle_capacity(t), 64);
    for (int i = 0; i < AUTH_PAIR_MAX; i++)
        attempt(t, "192.0.2.1", "hanna", NOW + 100, AUTH_FAILED);
    char addr[32];
    /* 2,000 other attempts, each a new address and name, all older */
    for (int i = 0; i < 2000; i++) {
        snprintf(addr, sizeof addr, "10.%d.%d.1", i / 250, i % 250);
        assert_int_equal(attempt(t, addr, addr, NOW + (i % 50), AUTH_FAILED), AUTH_ADMIT_CLEAN);
    }
    assert_int_equal(auth_throttle_capacity(t), 64);
    /* the most recent counters are the ones kept */
    assert_int_equal(attempt(t, "192.0.2.1", "hanna", NOW + 101, AUTH_FAILED), AUTH_REFUSE);
    auth_throttle_free(t);
}

/* Which address an attempt counts under. */
static void test_client_addr(void **state)
{
    (void)state;
    char a[AUTH_ADDR_CHARS];
    auth_client_addr("192.0.2.7", NULL, false, a);
    assert_string_equal(a, "192.0.2.7");
    auth_client_addr("::ffff:192.0.2.7", NULL, false, a);
    assert_string_equal(a, "192.0.2.7");
    auth_client_addr("::1", NULL, false, a);
    assert_string_equal(a, "::/64");
    auth_client_addr("?", NULL, false, a);
    assert_string_equal(a, "?");
    /* X-Forwarded-For only behind the proxy, only its last entry, and only when the
     * connection comes from the proxy (loopback or a private address) */
    auth_client_addr("127.0.0.1", "198.51.100.1, 203.0.113.9", false, a);
    assert_string_equal(a, "127.0.0.1");
    auth_client_addr("127.0.0.1", "198.51.100.1, 203.0.113.9", true, a);
    assert_string_equal(a, "203.0.113.9");
    auth_client_addr("10.1.2.3", "2001:db8::5", true, a);
    assert_string_equal(a, "2001:db8::/64");
    auth_client_addr("172.20.0.1", " 203.0.113.9 ", true, a);
    assert_string_equal(a, "203.0.113.9");
    auth_client_addr("fd00::1", "203.0.113.9", true, a);
    assert_string_equal(a, "203.0.113.9");
    auth_client_addr("198.51.100.200", "203.0.113.9", true, a); /* not the proxy */
    assert_string_equal(a, "198.51.100.200");
    auth_client_addr("172.32.0.1", "203.0.113.9", true, a); /* outside 172.16/12 */
    assert_string_equal(a, "172.32.0.1");
    auth_client_addr("127.0.0.1", "onbekend", true, a);
    assert_string_equal(a, "127.0.0.1");
    auth_client_addr("127.0.0.1", "", true, a);
    assert_string_equal(a, "127.0.0.1");
}

/* ---- the pool: checks on its threads, refusals without a hash ---- */

struct waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
    struct auth_job_result r[16];
    double ms[16];
    struct timespec t0[16];
};

static struct waiter waiter_new(void)
{
    struct waiter w;
    memset(&w, 0, sizeof w);
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv, NULL);
    return w;
}

struct slot {
    struct waiter *w;
    int i;
};

static void on_done(void *arg, const struct auth_job_result *r)
{
    struct slot *sl = arg;
    struct waiter *w = sl->w;
    pthread_mutex_lock(&w->mu);
    w->r[sl->i] = *r;
    w->ms[sl->i] = ms_since(&w->t0[sl->i]);
    w->done++;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static void wait_for(struct waiter *w, int n)
{
    pthread_mutex_lock(&w->mu);
    while (w->done < n)
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

static int64_t fake_clock = NOW;
static int64_t fake_now(void *arg)
{
    (void)arg;
    return fake_clock;
}

static struct auth_pool *pool_new(struct fx *f, unsigned threads, unsigned queue)
{
    struct auth_pool_config cfg = {
        .db = f->path, .threads = threads, .queue = queue, .now = fake_now};
    struct auth_pool *p = NULL;
    struct lks_err err = {0};
    if (auth_pool_start(&p, &cfg, &err))
        fail_msg("auth_pool_start: %s", err.msg);
    return p;
}

/* Submit one attempt as slot i of w; returns what submit returned. */
static int submit(struct auth_pool *p, struct waiter *w, struct slot *sl, int i,
                  const struct auth_job *job)
{
    sl[i] = (struct slot){w, i};
    clock_gettime(CLOCK_MONOTONIC, &w->t0[i]);
    struct lks_err err = {0};
    return auth_pool_submit(p, job, on_done, &sl[i], &err);
}

static uint64_t checked(struct auth_pool *p)
{
    struct auth_pool_stats st;
    auth_pool_stats(p, &st);
    return st.checked;
}

/* A login through the pool: the right password gives a session in the store; an unknown
 * name, a wrong password, an inactive account and a throttled attempt get the same error,
 * byte for byte, and the throttled one is answered without a hash but not sooner than a
 * checked one. */
static void test_pool_login(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "ilse", true);
    add_user(f->s, "oud.ilse", false);
    fake_clock = NOW;
    struct auth_pool *p = pool_new(f, 2, 4);
    struct waiter w = waiter_new();
    struct slot sl[16];
    const char *a = "192.0.2.10";
    struct auth_job ok = {AUTH_JOB_LOGIN, "192.0.2.11", "ilse", PASSWORD, NULL, NULL, NULL};
    assert_int_equal(submit(p, &w, sl, 0, &ok), 0);
    wait_for(&w, 1);
    assert_int_equal(w.r[0].rc, 0);
    assert_string_equal(w.r[0].user.name, "ilse");
    struct auth_user u;
    struct auth_session back;
    struct lks_err err = {0};
    assert_int_equal(auth_session_check(f->s, w.r[0].se.token, NOW + 1, &u, &back, &err), 0);
    assert_string_equal(back.csrf, w.r[0].se.csrf);
    assert_int_equal(back.created, NOW);

    struct auth_job wrong = {AUTH_JOB_LOGIN, a, "ilse", "fout-fout-fout", NULL, NULL, NULL};
    struct auth_job unknown = {AUTH_JOB_LOGIN, a, "niemand.hier", PASSWORD, NULL, NULL, NULL};
    struct auth_job inactive = {AUTH_JOB_LOGIN, a, "oud.ilse", PASSWORD, NULL, NULL, NULL};
    assert_int_equal(submit(p, &w, sl, 1, &wrong), 0);
    wait_for(&w, 2);
    assert_int_equal(submit(p, &w, sl, 2, &unknown), 0);
    wait_for(&w, 3);
    assert_int_equal(submit(p, &w, sl, 3, &inactive), 0);
    wait_for(&w, 4);
    for (int i = 1; i <= 3; i++) {
        assert_int_equal(w.r[i].rc, LKS_EINVAL);
        assert_string_equal(w.r[i].err.msg, REFUSAL);
        assert_string_equal(w.r[i].err.field, w.r[1].err.field);
        assert_string_equal(w.r[i].err.reason, w.r[1].err.reason);
    }
    /* four more failures of ilse from a: the pair is full; the next is refused unchecked */
    for (int i = 0; i < AUTH_PAIR_MAX - 1; i++) {
        assert_int_equal(submit(p, &w, sl, 4 + i, &wrong), 0);
        wait_for(&w, 5 + i);
    }
    uint64_t before = checked(p);
    struct auth_job right_from_a = {AUTH_JOB_LOGIN, a, "ilse", PASSWORD, NULL, NULL, NULL};
    assert_int_equal(submit(p, &w, sl, 8, &right_from_a), 0);
    wait_for(&w, 9);
    assert_int_equal(checked(p), before);
    assert_int_equal(w.r[8].rc, LKS_EINVAL);
    assert_string_equal(w.r[8].err.msg, REFUSAL);
    assert_string_equal(w.r[8].err.reason, w.r[1].err.reason);
    /* not sooner than a checked failure (a hash: tens of milliseconds) */
    assert_true(w.ms[8] >= 0.5 * w.ms[1]);
    struct auth_pool_stats st;
    auth_pool_stats(p, &st);
    assert_int_equal(st.refused, 1);
    assert_true(st.delay_us >= 5000);
    /* the same account from another address: in */
    assert_int_equal(submit(p, &w, sl, 9, &ok), 0);
    wait_for(&w, 10);
    assert_int_equal(w.r[9].rc, 0);
    /* after a quarter of an hour a is forgiven */
    fake_clock = NOW + AUTH_FORGET_S + AUTH_PAIR_MAX;
    assert_int_equal(submit(p, &w, sl, 10, &right_from_a), 0);
    wait_for(&w, 11);
    assert_int_equal(w.r[10].rc, 0);
    auth_pool_stop(p);
}

/* A password too long for any user, and a name too long for any: checked against the
 * dummy hash (a hash is spent, as for any unknown name) and refused alike. */
static void test_pool_impossible(void **state)
{
    struct fx *f = *state;
    fake_clock = NOW;
    struct auth_pool *p = pool_new(f, 1, 4);
    struct waiter w = waiter_new();
    struct slot sl[16];
    static char big[AUTH_PASSWORD_MAX + 100];
    memset(big, 'p', sizeof big - 1);
    static char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    struct auth_job j1 = {AUTH_JOB_LOGIN, "192.0.2.12", "iemand", big, NULL, NULL, NULL};
    struct auth_job j2 = {AUTH_JOB_LOGIN, "192.0.2.12", longname, PASSWORD, NULL, NULL, NULL};
    assert_int_equal(submit(p, &w, sl, 0, &j1), 0);
    assert_int_equal(submit(p, &w, sl, 1, &j2), 0);
    wait_for(&w, 2);
    assert_int_equal(w.r[0].rc, LKS_EINVAL);
    assert_string_equal(w.r[0].err.msg, REFUSAL);
    assert_int_equal(w.r[1].rc, LKS_EINVAL);
    assert_string_equal(w.r[1].err.msg, REFUSAL);
    assert_int_equal(checked(p), 2);
    auth_pool_stop(p);
}

/* The queue is bounded: what does not fit is refused at once, counts nowhere, and gets
 * no answer later; a stop answers what still waits. */
static void test_pool_bounded(void **state)
{
    struct fx *f = *state;
    fake_clock = NOW;
    struct auth_pool *p = pool_new(f, 1, 1);
    struct waiter w = waiter_new();
    struct slot sl[16];
    char addr[8][32];
    int accepted = 0, refused = 0;
    bool took[8] = {false};
    for (int i = 0; i < 8; i++) {
        snprintf(addr[i], sizeof addr[i], "192.0.2.%d", 100 + i);
        struct auth_job j = {AUTH_JOB_LOGIN, addr[i], "niemand", PASSWORD, NULL, NULL, NULL};
        struct lks_err err = {0};
        sl[i] = (struct slot){&w, i};
        clock_gettime(CLOCK_MONOTONIC, &w.t0[i]);
        int rc = auth_pool_submit(p, &j, on_done, &sl[i], &err);
        if (rc == 0) {
            accepted++;
            took[i] = true;
        } else {
            refused++;
            assert_int_equal(rc, LKS_ENOMEM);
            assert_string_equal(err.reason, "busy");
            int c[3];
            struct auth_ticket k;
            auth_throttle_ticket(auth_pool_throttle(p), addr[i], "niemand", &k);
            auth_throttle_counts(auth_pool_throttle(p), &k, NOW, c);
            assert_int_equal(c[0], 0);
            assert_int_equal(c[1], 0);
        }
    }
    /* at most one being checked and one waiting (only clean addresses here: one class) */
    assert_true(accepted >= 1 && accepted <= 2);
    assert_int_equal(accepted + refused, 8);
    struct auth_pool_stats st;
    auth_pool_stats(p, &st);
    assert_int_equal(st.busy, (uint64_t)refused);
    auth_pool_stop(p);
    assert_int_equal(w.done, accepted);
    /* the accepted ones need not be the first: a slot frees when the thread takes a job */
    for (int i = 0; i < 8; i++)
        if (took[i])
            assert_true(w.r[i].rc == LKS_EINVAL || w.r[i].rc == LKS_EIO);
}

/* An attempt that waited too long for its thread is not checked: it is answered busy. */
static void test_pool_max_wait(void **state)
{
    struct fx *f = *state;
    fake_clock = NOW;
    struct auth_pool_config cfg = {
        .db = f->path, .threads = 1, .queue = 4, .max_wait_ms = 30, .now = fake_now};
    struct auth_pool *p = NULL;
    struct lks_err err = {0};
    assert_int_equal(auth_pool_start(&p, &cfg, &err), 0);
    struct waiter w = waiter_new();
    struct slot sl[16];
    struct auth_job j = {AUTH_JOB_LOGIN, "192.0.2.30", "niemand", PASSWORD, NULL, NULL, NULL};
    for (int i = 0; i < 3; i++)
        assert_int_equal(submit(p, &w, sl, i, &j), 0);
    wait_for(&w, 3);
    /* the third waited at least one hash (~70 ms), or as long as the others */
    assert_int_equal(w.r[2].rc, LKS_ENOMEM);
    assert_string_equal(w.r[2].err.reason, "busy");
    for (int i = 0; i < 2; i++)
        assert_true(w.r[i].rc == LKS_EINVAL || w.r[i].rc == LKS_ENOMEM);
    assert_true(checked(p) <= 2);
    int c[3];
    struct auth_ticket k;
    auth_throttle_ticket(auth_pool_throttle(p), "192.0.2.30", "niemand", &k);
    auth_throttle_counts(auth_pool_throttle(p), &k, NOW, c);
    assert_int_equal((uint64_t)c[0], checked(p)); /* the unchecked ones counted nowhere */
    auth_pool_stop(p);
}

/* A password change through the pool: the current one checked behind the throttle, the
 * new one stored, the caller's session kept. */
static void test_pool_password(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "jan.p", true);
    fake_clock = NOW;
    struct auth_session mine, other;
    login_ok(f->s, "jan.p", NOW, &mine);
    login_ok(f->s, "jan.p", NOW, &other);
    struct auth_pool *p = pool_new(f, 1, 4);
    struct waiter w = waiter_new();
    struct slot sl[16];
    const char *next = "een-ander-lang-wachtwoord";
    struct auth_job bad = {AUTH_JOB_PASSWORD, "192.0.2.20", "jan.p", "fout-fout-fout", next,
                           mine.token,        NULL};
    assert_int_equal(submit(p, &w, sl, 0, &bad), 0);
    wait_for(&w, 1);
    assert_int_equal(w.r[0].rc, LKS_EINVAL);
    assert_string_equal(w.r[0].err.field, "password");
    struct auth_job good = {AUTH_JOB_PASSWORD, "192.0.2.20", "jan.p", PASSWORD, next,
                            mine.token,        NULL};
    assert_int_equal(submit(p, &w, sl, 1, &good), 0);
    wait_for(&w, 2);
    assert_int_equal(w.r[1].rc, 0);
    auth_pool_stop(p);
    struct auth_user u;
    struct auth_session se;
    struct lks_err err = {0};
    assert_int_equal(auth_session_check(f->s, mine.token, NOW + 1, &u, &se, &err), 0);
    assert_int_equal(auth_session_check(f->s, other.token, NOW + 1, &u, &se, &err), LKS_ENOTFOUND);
    assert_int_equal(auth_login(f->s, "jan.p", next, NOW + 2, &se, &u, &err), 0);
}

/* An operator's jobs: a new user and a password set, hashed and stored on the pool, no
 * password checked and nothing counted by the throttle. */
static void test_pool_operator(void **state)
{
    struct fx *f = *state;
    add_user(f->s, "piet.p", true);
    fake_clock = NOW;
    struct auth_session old;
    login_ok(f->s, "piet.p", NOW, &old);
    struct auth_pool *p = pool_new(f, 1, 4);
    struct waiter w = waiter_new();
    struct slot sl[4];
    struct auth_user u = user_of("nieuw.p", ROLE_KLANTMANAGER, "");
    const char *first = "een-eerste-lang-wachtwoord", *next = "een-ander-lang-wachtwoord";
    struct auth_job add = {.kind = AUTH_JOB_ADD_USER, .name = u.name, .next = first, .user = &u};
    assert_int_equal(submit(p, &w, sl, 0, &add), 0);
    wait_for(&w, 1);
    assert_int_equal(w.r[0].rc, 0);
    struct auth_job set = {.kind = AUTH_JOB_SET_PASSWORD, .name = "piet.p", .next = next};
    assert_int_equal(submit(p, &w, sl, 1, &set), 0);
    wait_for(&w, 2);
    assert_int_equal(w.r[1].rc, 0);
    /* the same name again: the store's answer */
    assert_int_equal(submit(p, &w, sl, 2, &add), 0);
    wait_for(&w, 3);
    assert_int_equal(w.r[2].rc, LKS_ESTATE);
    assert_int_equal(checked(p), 0); /* no password was checked */
    auth_pool_stop(p);
    struct auth_user got;
    struct auth_session se;
    struct lks_err err = {0};
    assert_int_equal(auth_login(f->s, "nieuw.p", first, NOW + 1, &se, &got, &err), 0);
    assert_int_equal(auth_login(f->s, "piet.p", next, NOW + 1, &se, &got, &err), 0);
    assert_int_equal(auth_login(f->s, "piet.p", PASSWORD, NOW + 1, &se, &got, &err), LKS_EINVAL);
    assert_int_equal(auth_session_check(f->s, old.token, NOW + 2, &got, &se, &err), LKS_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_add, setup, teardown),
        cmocka_unit_test(test_user_check_all),
        cmocka_unit_test_setup_teardown(test_store_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_success, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_password_no_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_and_inactive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deactivated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cached_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_revoke, setup, teardown),
        cmocka_unit_test(test_auth_equal),
        cmocka_unit_test(test_throttle_pair),
        cmocka_unit_test(test_throttle_success),
        cmocka_unit_test(test_throttle_address),
        cmocka_unit_test(test_throttle_pressure),
        cmocka_unit_test(test_throttle_in_flight),
        cmocka_unit_test(test_throttle_bounded),
        cmocka_unit_test(test_client_addr),
        cmocka_unit_test_setup_teardown(test_pool_login, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_impossible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_max_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_operator, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * auth_sqlite — the identity tables of the SQLite engine (store_auth.h):
 * users, sessions and API tokens of migration 2.
 *
 * Every call is one statement, so it runs the same inside a caller's
 * transaction (and is then part of it) or outside one (then SQLite commits it
 * on its own). Statements are prepared per call and finalized at once: struct
 * store is private to sqlite.c, and a cache per connection would need
 * store_close to finalize it. Measured (SQLite 3.40, -O2): prepare + finalize
 * of the user SELECT 10–16 µs, a whole store_user_by_id 18 µs against 3–5 µs
 * for a cached step; under the 20 µs at which caching was to be added, and
 * small next to a request. (A write costs ~0.5 ms: the fsync of WAL with
 * synchronous=FULL, which is why auth spares session writes.)
 *
 * Roles are stored by name (role_name), so the table stays readable and an
 * enum reordering cannot silently change anyone's rights. Secrets never reach
 * this file: sessions and tokens arrive as a 32-byte hash, passwords as an
 * Argon2id string.
 *
 * Errors: every SQLite failure is an lks_err with a Dutch message plus
 * SQLite's own text; a refused constraint (an existing login name, a user
 * that does not exist) is LKS_ESTATE; a missing row is LKS_ENOTFOUND.
 */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "store/sqlite_private.h"
#include "store/store_engine.h"
#include "store/store_auth.h"

/* Callers pass an lks_err; a NULL one must still not crash the error path. */
#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

#define USER_COLS "id,tenant_id,name,display,role,kvk,active,password,failures,locked_until"

/* ---- errors ---- */

/* Called before the statement is reset, while SQLite's message is fresh. */
static int db_fail(sqlite3 *db, int rc, const char *field, const char *what, struct lks_err *err)
{
    return store_sqlite_fail(db, rc, field, what, err);
}

/* ---- statements ---- */

/* Statements are cached on the connection (prepared once, reset after use). */
static int prep(struct sq_store *s, sqlite3 *db, const char *sql, sqlite3_stmt **st,
                const char *field, const char *what, struct lks_err *err)
{
    int rc = SQLITE_OK;
    *st = store_sqlite_cached(s, sql, &rc);
    if (!*st) {
        db_fail(db, rc, field, what, err);
        return err->code;
    }
    return 0;
}

/* Step a statement that returns no rows, then finalize it; *changes (when not
 * NULL) receives the number of rows it touched. */
static int step_done(struct sq_store *s, sqlite3 *db, sqlite3_stmt *st, int *changes,
                     const char *field, const char *what, struct lks_err *err)
{
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc != SQLITE_DONE)
        ret = db_fail(db, rc, field, what, err);
    else if (changes)
        *changes = sqlite3_changes(db);
    store_sqlite_release(s, st);
    return ret;
}

/* Text from a fixed-size struct field, which need not be NUL-terminated. */
static void bind_field(sqlite3_stmt *st, int i, const char *v, size_t cap)
{
    sqlite3_bind_text(st, i, v, (int)strnlen(v, cap), SQLITE_STATIC);
}
#define BIND_FIELD(st, i, f) bind_field(st, i, f, sizeof(f))

/* Bind errors are not checked one by one: with SQLITE_STATIC values they can
 * only come from a wrong index, which the tests would catch. */
static void bind_hash(sqlite3_stmt *st, int i, const uint8_t hash[STORE_HASH_BYTES])
{
    sqlite3_bind_blob(st, i, hash, STORE_HASH_BYTES, SQLITE_STATIC);
}

#define COL_COPY(st, i, f) store_sqlite_col_text(st, i, f, sizeof(f))

/* ---- users ---- */

int sq_user_add(struct sq_store *s, const struct auth_user *u, const char *pwhash,
                struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    if ((unsigned)u->role >= ROLE_COUNT)
        return lks_err_set(err, LKS_EINVAL, "role", "invalid", "onbekende rol");
    sqlite3_stmt *st;
    int rc = prep(s, db,
                  "INSERT INTO users(tenant_id,name,display,role,kvk,password,active,failures,"
                  "locked_until) VALUES(?1,?2,?3,?4,?5,?6,?7,0,0)",
                  &st, "users", "het voorbereiden van het opslaan van een gebruiker", err);
    if (rc)
        return rc;
    BIND_FIELD(st, 1, u->tenant);
    BIND_FIELD(st, 2, u->name);
    BIND_FIELD(st, 3, u->display);
    sqlite3_bind_text(st, 4, role_name(u->role), -1, SQLITE_STATIC);
    BIND_FIELD(st, 5, u->kvk);
    sqlite3_bind_text(st, 6, pwhash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, u->active ? 1 : 0);
    int src = sqlite3_step(st);
    if (src == SQLITE_DONE) {
        store_sqlite_release(s, st);
        return 0;
    }
    int ext = sqlite3_extended_errcode(db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        rc = lks_err_set(err, LKS_ESTATE, "name", "exists", "gebruikersnaam '%.*s' bestaat al",
                         (int)strnlen(u->name, sizeof u->name), u->name);
    else
        rc = db_fail(db, src, "users", "het opslaan van de gebruiker", err);
    store_sqlite_release(s, st);
    return rc;
}

/* One row of USER_COLS into the caller's places (each may be NULL but out). */
static int read_user(sqlite3_stmt *st, struct auth_user *out, char *pwhash, size_t pwhash_size,
                     int *failures, int64_t *locked_until, struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    COL_COPY(st, 1, out->tenant);
    COL_COPY(st, 2, out->name);
    COL_COPY(st, 3, out->display);
    const char *role = (const char *)sqlite3_column_text(st, 4);
    int r = role ? role_parse(role) : -1;
    if (r < 0)
        return lks_err_set(err, LKS_EIO, "role", "corrupt",
                           "onverwachte gegevens in de database (rol '%s' van gebruiker %lld)",
                           role ? role : "", (long long)out->id);
    out->role = (enum role)r;
    COL_COPY(st, 5, out->kvk);
    out->active = sqlite3_column_int(st, 6) != 0;
    if (pwhash && pwhash_size) {
        /* A cut password string would never verify; say what is wrong instead. */
        if ((size_t)sqlite3_column_bytes(st, 7) >= pwhash_size)
            return lks_err_set(err, LKS_EIO, "password", "corrupt",
                               "onverwachte gegevens in de database (wachtwoord van gebruiker "
                               "%lld te lang)",
                               (long long)out->id);
        store_sqlite_col_text(st, 7, pwhash, pwhash_size);
    }
    if (failures)
        *failures = sqlite3_column_int(st, 8);
    if (locked_until)
        *locked_until = sqlite3_column_int64(st, 9);
    return 0;
}

int sq_user_by_name(struct sq_store *s, const char *name, struct auth_user *out, char *pwhash,
                    size_t pwhash_size, int *failures, int64_t *locked_until, struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db, "SELECT " USER_COLS " FROM users WHERE name=?1", &st, "users",
                  "het voorbereiden van het lezen van een gebruiker", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = read_user(st, out, pwhash, pwhash_size, failures, locked_until, err);
    else if (src == SQLITE_DONE)
        rc = lks_err_set(err, LKS_ENOTFOUND, "name", "not-found", "gebruiker '%s' bestaat niet",
                         name);
    else
        rc = db_fail(db, src, "users", "het lezen van de gebruiker", err);
    store_sqlite_release(s, st);
    return rc;
}

int sq_user_by_id(struct sq_store *s, int64_t id, struct auth_user *out, struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db, "SELECT " USER_COLS " FROM users WHERE id=?1", &st, "users",
                  "het voorbereiden van het lezen van een gebruiker", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        rc = read_user(st, out, NULL, 0, NULL, NULL, err);
    else if (src == SQLITE_DONE)
        rc = lks_err_set(err, LKS_ENOTFOUND, "user_id", "not-found", "gebruiker %lld bestaat niet",
                         (long long)id);
    else
        rc = db_fail(db, src, "users", "het lezen van de gebruiker", err);
    store_sqlite_release(s, st);
    return rc;
}

int sq_user_list(struct sq_store *s, const char *tenant,
                 int (*cb)(void *arg, const struct auth_user *u), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db, "SELECT " USER_COLS " FROM users WHERE tenant_id=?1 ORDER BY name", &st,
                  "users", "het voorbereiden van het lezen van de gebruikers", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct auth_user u;
        if ((rc = read_user(st, &u, NULL, 0, NULL, NULL, err)) != 0 || (rc = cb(arg, &u)) != 0)
            break;
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = db_fail(db, src, "users", "het lezen van de gebruikers", err);
    store_sqlite_release(s, st);
    return rc;
}

int sq_user_login_result(struct sq_store *s, int64_t id, int failures, int64_t locked_until,
                         struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db, "UPDATE users SET failures=?2,locked_until=?3 WHERE id=?1", &st, "users",
                  "het voorbereiden van het bijwerken van een gebruiker", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, failures);
    sqlite3_bind_int64(st, 3, locked_until);
    int changes = 0;
    rc = step_done(s, db, st, &changes, "users", "het vastleggen van een inlogpoging", err);
    if (rc == 0 && changes == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "user_id", "not-found", "gebruiker %lld bestaat niet",
                         (long long)id);
    return rc;
}

int sq_user_set_active(struct sq_store *s, const char *name, bool active, struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    static const char *const sql[] = {
        "UPDATE users SET active=?2, failures=0, locked_until=0 WHERE name=?1",
        "DELETE FROM sessions WHERE user_id=(SELECT id FROM users WHERE name=?1)",
        "UPDATE api_tokens SET revoked=1 WHERE user_id=(SELECT id FROM users WHERE name=?1)",
    };
    /* one transaction: a blocked user never keeps a session or token half-way */
    bool own = sqlite3_get_autocommit(db);
    if (own && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, sqlite3_errcode(db), "users", "het starten van een transactie", err);
    int rc = 0, changes = 0;
    for (int i = 0; i < (active ? 1 : 3) && rc == 0; i++) {
        sqlite3_stmt *st;
        rc = prep(s, db, sql[i], &st, "users", "het voorbereiden van het blokkeren", err);
        if (rc)
            break;
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (i == 0)
            sqlite3_bind_int(st, 2, active ? 1 : 0);
        rc = step_done(s, db, st, i == 0 ? &changes : NULL, "users", "het blokkeren", err);
        if (rc == 0 && i == 0 && changes == 0)
            rc = lks_err_set(err, LKS_ENOTFOUND, "name", "not-found", "gebruiker '%s' bestaat niet",
                             name);
    }
    if (own)
        sqlite3_exec(db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    return rc;
}

int sq_user_set_password(struct sq_store *s, int64_t user_id, const char *pwhash,
                         const uint8_t keep[STORE_HASH_BYTES], struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    static const char *const sql[] = {
        "UPDATE users SET password=?2, failures=0, locked_until=0 WHERE id=?1",
        "DELETE FROM sessions WHERE user_id=?1 AND hash<>?2",
    };
    static const uint8_t none[STORE_HASH_BYTES]; /* no session has an all-zero hash */
    /* one transaction: the new password and the end of the old sessions go together */
    bool own = sqlite3_get_autocommit(db);
    if (own && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, sqlite3_errcode(db), "users", "het starten van een transactie", err);
    int rc = 0, changes = 0;
    for (int i = 0; i < 2 && rc == 0; i++) {
        sqlite3_stmt *st;
        rc = prep(s, db, sql[i], &st, "users", "het voorbereiden van het wachtwoord", err);
        if (rc)
            break;
        sqlite3_bind_int64(st, 1, user_id);
        if (i == 0)
            sqlite3_bind_text(st, 2, pwhash, -1, SQLITE_STATIC);
        else
            bind_hash(st, 2, keep ? keep : none);
        rc = step_done(s, db, st, i == 0 ? &changes : NULL, "users",
                       "het opslaan van het wachtwoord", err);
        if (rc == 0 && i == 0 && changes == 0)
            rc = lks_err_set(err, LKS_ENOTFOUND, "user_id", "not-found",
                             "gebruiker %lld bestaat niet", (long long)user_id);
    }
    if (own)
        sqlite3_exec(db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    return rc;
}

/* ---- sessions ---- */

int sq_session_put(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES],
                   const struct auth_session *se, struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db,
                  "INSERT INTO sessions(hash,user_id,csrf,created,last_seen) "
                  "VALUES(?1,?2,?3,?4,?5)",
                  &st, "sessions", "het voorbereiden van het opslaan van een sessie", err);
    if (rc)
        return rc;
    bind_hash(st, 1, hash);
    sqlite3_bind_int64(st, 2, se->user_id);
    BIND_FIELD(st, 3, se->csrf);
    sqlite3_bind_int64(st, 4, se->created);
    sqlite3_bind_int64(st, 5, se->last_seen);
    return step_done(s, db, st, NULL, "sessions", "het opslaan van de sessie", err);
}

int sq_session_get(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES],
                   struct auth_session *out, struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db, "SELECT user_id,csrf,created,last_seen FROM sessions WHERE hash=?1", &st,
                  "sessions", "het voorbereiden van het lezen van een sessie", err);
    if (rc)
        return rc;
    bind_hash(st, 1, hash);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        /* The token itself is never stored, so it stays empty here. */
        memset(out, 0, sizeof *out);
        out->user_id = sqlite3_column_int64(st, 0);
        COL_COPY(st, 1, out->csrf);
        out->created = sqlite3_column_int64(st, 2);
        out->last_seen = sqlite3_column_int64(st, 3);
    } else if (src == SQLITE_DONE) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "session", "not-found", "sessie bestaat niet");
    } else {
        rc = db_fail(db, src, "sessions", "het lezen van de sessie", err);
    }
    store_sqlite_release(s, st);
    return rc;
}

int sq_session_touch(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t now,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    /* max(): with several servers sharing the database, one whose clock lags
     * must not move last_seen backwards and so shorten another's session. */
    int rc = prep(s, db, "UPDATE sessions SET last_seen=max(last_seen,?2) WHERE hash=?1", &st,
                  "sessions", "het voorbereiden van het bijwerken van een sessie", err);
    if (rc)
        return rc;
    bind_hash(st, 1, hash);
    sqlite3_bind_int64(st, 2, now);
    int changes = 0;
    rc = step_done(s, db, st, &changes, "sessions", "het bijwerken van de sessie", err);
    if (rc == 0 && changes == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "session", "not-found", "sessie bestaat niet");
    return rc;
}

int sq_session_delete(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES], struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db, "DELETE FROM sessions WHERE hash=?1", &st, "sessions",
                  "het voorbereiden van het verwijderen van een sessie", err);
    if (rc)
        return rc;
    bind_hash(st, 1, hash);
    int changes = 0;
    rc = step_done(s, db, st, &changes, "sessions", "het verwijderen van de sessie", err);
    if (rc == 0 && changes == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "session", "not-found", "sessie bestaat niet");
    return rc;
}

/* ---- API tokens ---- */

int sq_token_put(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t user_id,
                 const char *label, int64_t now, struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db,
                  "INSERT INTO api_tokens(hash,user_id,label,created,revoked) "
                  "VALUES(?1,?2,?3,?4,0)",
                  &st, "api_tokens", "het voorbereiden van het opslaan van een API-token", err);
    if (rc)
        return rc;
    bind_hash(st, 1, hash);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_text(st, 3, label ? label : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    return step_done(s, db, st, NULL, "api_tokens", "het opslaan van het API-token", err);
}

int sq_token_user(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t *user_id,
                  struct lks_err *err)
{
    ERR_GUARD(err);
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db, "SELECT user_id FROM api_tokens WHERE hash=?1 AND revoked=0", &st,
                  "api_tokens", "het voorbereiden van het lezen van een API-token", err);
    if (rc)
        return rc;
    bind_hash(st, 1, hash);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        *user_id = sqlite3_column_int64(st, 0);
    else if (src == SQLITE_DONE)
        rc = lks_err_set(err, LKS_ENOTFOUND, "token", "not-found",
                         "API-token onbekend of ingetrokken");
    else
        rc = db_fail(db, src, "api_tokens", "het lezen van het API-token", err);
    store_sqlite_release(s, st);
    return rc;
}

int sq_token_revoke(struct sq_store *s, const char *name, const char *label, int *revoked,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    *revoked = 0;
    sqlite3 *db = sq_handle(s);
    sqlite3_stmt *st;
    int rc = prep(s, db,
                  "UPDATE api_tokens SET revoked=1 WHERE revoked=0 AND label=?2"
                  " AND user_id=(SELECT id FROM users WHERE name=?1)",
                  &st, "api_tokens", "het voorbereiden van het intrekken", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
    rc = step_done(s, db, st, revoked, "api_tokens", "het intrekken van het token", err);
    if (rc == 0 && *revoked == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "label", "not-found",
                         "gebruiker '%s' heeft geen geldig token met label '%s'", name, label);
    return rc;
}

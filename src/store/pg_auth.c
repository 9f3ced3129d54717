/*
 * pg_auth — the identity tables of the PostgreSQL engine (store_auth.h): users,
 * sessions and API tokens of migration 2.
 *
 * As on SQLite every call is one statement (blocking: one transaction of its
 * own unless the caller has one), so it runs the same inside a caller's
 * transaction or outside one (then the server commits it on its own).
 * Statements are prepared once per connection (pg_run). An existing login name
 * is told by ON CONFLICT DO NOTHING rather than by a failed statement, so the
 * caller's transaction stays usable. Roles are stored by name; secrets never
 * reach this file: sessions and tokens arrive as a 32-byte hash (bytea),
 * passwords as an Argon2id string.
 *
 * Errors: every server failure is an lks_err with a Dutch message plus the
 * server's text; a refused constraint (an existing login name, a user that does
 * not exist) is LKS_ESTATE; a missing row is LKS_ENOTFOUND.
 */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "store/pg_private.h"
#include "store/store_engine.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

#define USER_COLS "id,tenant_id,name,display,role,kvk,active,password,failures,locked_until"

static const char SQL_USER_ADD[] =
    "INSERT INTO users(tenant_id,name,display,role,kvk,password,active,failures,locked_until) "
    "VALUES($1,$2,$3,$4,$5,$6,$7,0,0) ON CONFLICT(name) DO NOTHING RETURNING id";
static const char SQL_USER_BY_NAME[] = "SELECT " USER_COLS " FROM users WHERE name=$1";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS " FROM users WHERE id=$1";
static const char SQL_USER_LIST[] =
    "SELECT " USER_COLS " FROM users WHERE tenant_id=$1 ORDER BY name COLLATE \"C\"";
static const char SQL_USER_LOGIN[] = "UPDATE users SET failures=$2,locked_until=$3 WHERE id=$1";
static const char SQL_USER_ACTIVE[] =
    "UPDATE users SET active=$2, failures=0, locked_until=0 WHERE name=$1";
static const char SQL_USER_SESSIONS_END[] =
    "DELETE FROM sessions WHERE user_id=(SELECT id FROM users WHERE name=$1)";
static const char SQL_USER_TOKENS_REVOKE[] =
    "UPDATE api_tokens SET revoked=1 WHERE user_id=(SELECT id FROM users WHERE name=$1)";
static const char SQL_SESSION_PUT[] =
    "INSERT INTO sessions(hash,user_id,csrf,created,last_seen) VALUES($1,$2,$3,$4,$5)";
static const char SQL_SESSION_GET[] =
    "SELECT user_id,csrf,created,last_seen FROM sessions WHERE hash=$1";
/* greatest(): a server whose clock lags must not move last_seen backwards. */
static const char SQL_SESSION_TOUCH[] =
    "UPDATE sessions SET last_seen=greatest(last_seen,$2) WHERE hash=$1";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE hash=$1";
static const char SQL_TOKEN_PUT[] =
    "INSERT INTO api_tokens(hash,user_id,label,created,revoked) VALUES($1,$2,$3,$4,0)";
static const char SQL_USER_PASSWORD[] =
    "UPDATE users SET password=$2, failures=0, locked_until=0 WHERE id=$1";
static const char SQL_USER_SESSIONS_BUT[] = "DELETE FROM sessions WHERE user_id=$1 AND hash<>$2";
static const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_tokens SET revoked=1 WHERE revoked=0 AND label=$2"
    " AND user_id=(SELECT id FROM users WHERE name=$1)";
static const char SQL_TOKEN_USER[] = "SELECT user_id FROM api_tokens WHERE hash=$1 AND revoked=0";

/* ---- users ---- */

int pg_user_add(struct pg_store *s, const struct auth_user *u, const char *pwhash,
                struct lks_err *err)
{
    ERR_GUARD(err);
    if ((unsigned)u->role >= ROLE_COUNT)
        return lks_err_set(err, LKS_EINVAL, "role", "invalid", "onbekende rol");
    struct pg_params *p = pg_params(s);
    PGP_STR(p, u->tenant);
    PGP_STR(p, u->name);
    PGP_STR(p, u->display);
    pgp_cstr(p, role_name(u->role));
    PGP_STR(p, u->kvk);
    pgp_cstr(p, pwhash);
    pgp_int(p, u->active ? 1 : 0);
    PGresult *r = pg_run(s, SQL_USER_ADD, "users", "het opslaan van de gebruiker", err);
    if (!r)
        return err->code;
    int rc = 0;
    if (PQntuples(r) == 0)
        rc = lks_err_set(err, LKS_ESTATE, "name", "exists", "gebruikersnaam '%.*s' bestaat al",
                         (int)strnlen(u->name, sizeof u->name), u->name);
    PQclear(r);
    return rc;
}

/* Row i of USER_COLS into the caller's places (each may be NULL but out). */
static int read_user_row(const PGresult *r, int i, struct auth_user *out, char *pwhash,
                         size_t pwhash_size, int *failures, int64_t *locked_until,
                         struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    out->id = pg_col_int(r, i, 0);
    PG_COL_STR(r, i, 1, out->tenant);
    PG_COL_STR(r, i, 2, out->name);
    PG_COL_STR(r, i, 3, out->display);
    const char *role = pg_col_cstr(r, i, 4);
    int rl = role_parse(role);
    if (rl < 0)
        return lks_err_set(err, LKS_EIO, "role", "corrupt",
                           "onverwachte gegevens in de database (rol '%s' van gebruiker %lld)",
                           role, (long long)out->id);
    out->role = (enum role)rl;
    PG_COL_STR(r, i, 5, out->kvk);
    out->active = pg_col_int(r, i, 6) != 0;
    if (pwhash && pwhash_size) {
        /* A cut password string would never verify; say what is wrong instead. */
        if (!pg_col_text(r, i, 7, pwhash, pwhash_size))
            return lks_err_set(err, LKS_EIO, "password", "corrupt",
                               "onverwachte gegevens in de database (wachtwoord van gebruiker "
                               "%lld te lang)",
                               (long long)out->id);
    }
    if (failures)
        *failures = (int)pg_col_int(r, i, 8);
    if (locked_until)
        *locked_until = pg_col_int(r, i, 9);
    return 0;
}

int pg_user_by_name(struct pg_store *s, const char *name, struct auth_user *out, char *pwhash,
                    size_t pwhash_size, int *failures, int64_t *locked_until, struct lks_err *err)
{
    ERR_GUARD(err);
    pgp_cstr(pg_params(s), name);
    PGresult *r = pg_run(s, SQL_USER_BY_NAME, "users", "het lezen van de gebruiker", err);
    if (!r)
        return err->code;
    int rc;
    if (PQntuples(r) == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "name", "not-found", "gebruiker '%s' bestaat niet",
                         name);
    else
        rc = read_user_row(r, 0, out, pwhash, pwhash_size, failures, locked_until, err);
    PQclear(r);
    return rc;
}

int pg_user_by_id(struct pg_store *s, int64_t id, struct auth_user *out, struct lks_err *err)
{
    ERR_GUARD(err);
    pgp_int(pg_params(s), id);
    PGresult *r = pg_run(s, SQL_USER_BY_ID, "users", "het lezen van de gebruiker", err);
    if (!r)
        return err->code;
    int rc;
    if (PQntuples(r) == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "user_id", "not-found", "gebruiker %lld bestaat niet",
                         (long long)id);
    else
        rc = read_user_row(r, 0, out, NULL, 0, NULL, NULL, err);
    PQclear(r);
    return rc;
}

int pg_user_list(struct pg_store *s, const char *tenant,
                 int (*cb)(void *arg, const struct auth_user *u), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    pgp_cstr(pg_params(s), tenant);
    PGresult *r = pg_run(s, SQL_USER_LIST, "users", "het lezen van de gebruikers", err);
    if (!r)
        return err->code;
    int rc = 0;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct auth_user u;
        rc = read_user_row(r, i, &u, NULL, 0, NULL, NULL, err);
        if (rc == 0)
            rc = cb(arg, &u);
    }
    PQclear(r);
    return rc;
}

/* Run a write; *changes gets the rows it touched. */
static int run_write(struct pg_store *s, const char *text, int64_t *changes, const char *field,
                     const char *what, struct lks_err *err)
{
    PGresult *r = pg_run(s, text, field, what, err);
    if (!r)
        return err->code;
    if (changes)
        *changes = pg_changes(r);
    PQclear(r);
    return 0;
}

int pg_user_login_result(struct pg_store *s, int64_t id, int failures, int64_t locked_until,
                         struct lks_err *err)
{
    ERR_GUARD(err);
    struct pg_params *p = pg_params(s);
    pgp_int(p, id);
    pgp_int(p, failures);
    pgp_int(p, locked_until);
    int64_t changes = 0;
    int rc =
        run_write(s, SQL_USER_LOGIN, &changes, "users", "het vastleggen van een inlogpoging", err);
    if (rc == 0 && changes == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "user_id", "not-found", "gebruiker %lld bestaat niet",
                         (long long)id);
    return rc;
}

int pg_user_set_active(struct pg_store *s, const char *name, bool active, struct lks_err *err)
{
    ERR_GUARD(err);
    const char *const text[] = {SQL_USER_ACTIVE, SQL_USER_SESSIONS_END, SQL_USER_TOKENS_REVOKE};
    /* one transaction: a blocked user never keeps a session or token half-way */
    bool own = !pg_in_tx(s);
    int rc = own ? pg_begin(s, err) : 0;
    if (rc)
        return rc;
    for (int i = 0; i < (active ? 1 : 3) && rc == 0; i++) {
        struct pg_params *p = pg_params(s);
        pgp_cstr(p, name);
        if (i == 0)
            pgp_int(p, active ? 1 : 0);
        int64_t changes = 0;
        rc = run_write(s, text[i], &changes, "users", "het blokkeren", err);
        if (rc == 0 && i == 0 && changes == 0)
            rc = lks_err_set(err, LKS_ENOTFOUND, "name", "not-found", "gebruiker '%s' bestaat niet",
                             name);
    }
    if (own) {
        if (rc == 0)
            rc = pg_commit(s, err);
        if (rc)
            pg_rollback(s);
    }
    return rc;
}

int pg_user_set_password(struct pg_store *s, int64_t user_id, const char *pwhash,
                         const uint8_t keep[STORE_HASH_BYTES], struct lks_err *err)
{
    ERR_GUARD(err);
    static const uint8_t none[STORE_HASH_BYTES]; /* no session has an all-zero hash */
    /* one transaction: the new password and the end of the old sessions go together */
    bool own = !pg_in_tx(s);
    int rc = own ? pg_begin(s, err) : 0;
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_int(p, user_id);
    pgp_cstr(p, pwhash);
    int64_t changes = 0;
    rc = run_write(s, SQL_USER_PASSWORD, &changes, "users", "het opslaan van het wachtwoord", err);
    if (rc == 0 && changes == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "user_id", "not-found", "gebruiker %lld bestaat niet",
                         (long long)user_id);
    if (rc == 0) {
        p = pg_params(s);
        pgp_int(p, user_id);
        pgp_bytes(p, keep ? keep : none, STORE_HASH_BYTES);
        rc = run_write(s, SQL_USER_SESSIONS_BUT, NULL, "sessions", "het beeindigen van sessies",
                       err);
    }
    if (own) {
        if (rc == 0)
            rc = pg_commit(s, err);
        if (rc)
            pg_rollback(s);
    }
    return rc;
}

/* ---- sessions ---- */

int pg_session_put(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES],
                   const struct auth_session *se, struct lks_err *err)
{
    ERR_GUARD(err);
    struct pg_params *p = pg_params(s);
    pgp_bytes(p, hash, STORE_HASH_BYTES);
    pgp_int(p, se->user_id);
    PGP_STR(p, se->csrf);
    pgp_int(p, se->created);
    pgp_int(p, se->last_seen);
    return run_write(s, SQL_SESSION_PUT, NULL, "sessions", "het opslaan van de sessie", err);
}

int pg_session_get(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES],
                   struct auth_session *out, struct lks_err *err)
{
    ERR_GUARD(err);
    pgp_bytes(pg_params(s), hash, STORE_HASH_BYTES);
    PGresult *r = pg_run(s, SQL_SESSION_GET, "sessions", "het lezen van de sessie", err);
    if (!r)
        return err->code;
    int rc = 0;
    if (PQntuples(r) == 0) {
        rc = lks_err_set(err, LKS_ENOTFOUND, "session", "not-found", "sessie bestaat niet");
    } else {
        /* The token itself is never stored, so it stays empty here. */
        memset(out, 0, sizeof *out);
        out->user_id = pg_col_int(r, 0, 0);
        PG_COL_STR(r, 0, 1, out->csrf);
        out->created = pg_col_int(r, 0, 2);
        out->last_seen = pg_col_int(r, 0, 3);
    }
    PQclear(r);
    return rc;
}

int pg_session_touch(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t now,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    struct pg_params *p = pg_params(s);
    pgp_bytes(p, hash, STORE_HASH_BYTES);
    pgp_int(p, now);
    int64_t changes = 0;
    int rc =
        run_write(s, SQL_SESSION_TOUCH, &changes, "sessions", "het bijwerken van de sessie", err);
    if (rc == 0 && changes == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "session", "not-found", "sessie bestaat niet");
    return rc;
}

int pg_session_delete(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES], struct lks_err *err)
{
    ERR_GUARD(err);
    pgp_bytes(pg_params(s), hash, STORE_HASH_BYTES);
    int64_t changes = 0;
    int rc = run_write(s, SQL_SESSION_DELETE, &changes, "sessions", "het verwijderen van de sessie",
                       err);
    if (rc == 0 && changes == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "session", "not-found", "sessie bestaat niet");
    return rc;
}

/* ---- API tokens ---- */

int pg_token_put(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t user_id,
                 const char *label, int64_t now, struct lks_err *err)
{
    ERR_GUARD(err);
    struct pg_params *p = pg_params(s);
    pgp_bytes(p, hash, STORE_HASH_BYTES);
    pgp_int(p, user_id);
    pgp_cstr(p, label ? label : "");
    pgp_int(p, now);
    return run_write(s, SQL_TOKEN_PUT, NULL, "api_tokens", "het opslaan van het API-token", err);
}

int pg_token_user(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t *user_id,
                  struct lks_err *err)
{
    ERR_GUARD(err);
    pgp_bytes(pg_params(s), hash, STORE_HASH_BYTES);
    PGresult *r = pg_run(s, SQL_TOKEN_USER, "api_tokens", "het lezen van het API-token", err);
    if (!r)
        return err->code;
    int rc = 0;
    if (PQntuples(r) == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "token", "not-found",
                         "API-token onbekend of ingetrokken");
    else
        *user_id = pg_col_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int pg_token_revoke(struct pg_store *s, const char *name, const char *label, int *revoked,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    *revoked = 0;
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, name);
    pgp_cstr(p, label);
    int64_t changes = 0;
    int rc =
        run_write(s, SQL_TOKEN_REVOKE, &changes, "api_tokens", "het intrekken van het token", err);
    if (rc)
        return rc;
    *revoked = (int)changes;
    if (changes == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "label", "not-found",
                         "gebruiker '%s' heeft geen geldig token met label '%s'", name, label);
    return rc;
}

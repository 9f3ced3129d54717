/*
 * auth — who is asking: users with a role in a municipality, passwords,
 * sessions, API tokens and CSRF tokens (libsodium).
 *
 * - Passwords: Argon2id (crypto_pwhash_str, interactive limits), each ~70 ms and
 *   64 MiB. The calls here hash on the caller's thread, at most AUTH_HASH_PARALLEL
 *   at once (the command line, a beheerder setting a password); the server checks
 *   logins and password changes on its own hashing threads (pool.h).
 * - Refusals: an unknown name, a wrong password and an inactive account get the
 *   same error, and an unknown name is checked against a dummy hash so that it
 *   costs the same. Failed attempts are counted per address and per account by
 *   the server's throttle (throttle.h), not here: these calls lock nobody out.
 * - Sessions: a random 256-bit token in an HttpOnly, SameSite=Strict cookie
 *   (Secure when served over TLS); only its hash is stored. Idle timeout
 *   AUTH_IDLE_S (15 minutes). Each session has a CSRF token for forms.
 * - API tokens for systems: random, shown once, stored as a hash, scoped to
 *   one user (and so one municipality and role).
 * Comparisons of secrets are constant-time. Users, sessions and tokens are in
 * the store (store/store_auth.h), so several servers can share one database; the
 * throttle's counters are each server's own (throttle.h says why).
 */
#ifndef LKS_AUTH_AUTH_H
#define LKS_AUTH_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "case/event.h"
#include "store/store.h"

#define AUTH_IDLE_S        (15 * 60)
#define AUTH_PASSWORD_MIN  12   /* characters */
#define AUTH_PASSWORD_MAX  1024 /* bytes: what is copied to be checked is bounded */
#define AUTH_HASH_PARALLEL 2
#define AUTH_TOKEN_CHARS   44 /* base64 of 32 bytes, URL-safe, no padding: 43 + NUL */

/*
 * The tenant of the installation's operator (role applicatiebeheerder), who belongs to
 * no municipality: it adds rule rows for every municipality and every server of the
 * store. No municipality has this code, so every store call scoped to it finds no case,
 * employer, user or processing-log entry; the API's route table gives the role only the
 * installation's routes. Only that role has this tenant, and it has no other.
 */
#define AUTH_TENANT_INSTALLATION "*"

struct auth_user {
    int64_t id;
    char name[CASE_USER]; /* login name */
    char display[96];     /* full name */
    char tenant[CASE_ID]; /* the municipality the user works for (AUTH_TENANT_INSTALLATION) */
    enum role role;
    char kvk[9]; /* werkgever: the employer it represents */
    bool active;
};

struct auth_session {
    char token[AUTH_TOKEN_CHARS]; /* only returned by auth_login; never stored */
    char csrf[AUTH_TOKEN_CHARS];
    int64_t user_id;
    int64_t created, last_seen; /* seconds since the epoch */
};

/* Call once at start-up (sodium_init); thread-safe afterwards. */
int auth_init(struct lks_err *err);

/*
 * Check a new user and its password without storing anything: every fault goes into
 * errs (fields "name", "display", "tenant", "role", "kvk", "password"), in that order.
 * Returns LKS_EINVAL when there was one, else 0.
 */
int auth_user_check(const struct auth_user *u, const char *password, struct lks_errlist *errs);

/* Create a user with a password (min. 12 characters); LKS_EINVAL with the first fault of
 * auth_user_check, LKS_ESTATE when the name exists. */
int auth_user_add(struct store *s, const struct auth_user *u, const char *password,
                  struct lks_err *err);
/* Several users with one password, hashed once (the demo's users); a name that exists
 * already is left as it is. *added counts the new ones. */
int auth_users_add(struct store *s, const struct auth_user *u, int n, const char *password,
                   int *added, struct lks_err *err);

/*
 * Log in, on the caller's thread and without the throttle (the server uses pool.h). On
 * success fills the session (with a fresh token and CSRF token) and the user. On failure
 * LKS_EINVAL, field "password", with one message for an unknown user, a wrong password
 * and an inactive account. `now` is seconds since the epoch.
 */
int auth_login(struct store *s, const char *name, const char *password, int64_t now,
               struct auth_session *out, struct auth_user *user, struct lks_err *err);

/*
 * A user changes its own password, on the caller's thread and without the throttle (the
 * server uses pool.h): `next` is checked first (auth_password_check_new), then `current`
 * as a login checks it (LKS_EINVAL field "password"). Every other session of the user
 * ends; the one of `keep_session` (the caller's session token, or NULL) stays. API
 * tokens stay.
 */
int auth_password_change(struct store *s, const char *name, const char *current, const char *next,
                         const char *keep_session, struct lks_err *err);
/* Whether `next` may replace `current` without looking at the store: AUTH_PASSWORD_MIN
 * characters to AUTH_PASSWORD_MAX bytes, and not `current` itself (LKS_EINVAL, field
 * "new_password"). */
int auth_password_check_new(const char *current, const char *next, struct lks_err *err);
/* Whether a new password has AUTH_PASSWORD_MIN characters and at most AUTH_PASSWORD_MAX
 * bytes; else LKS_EINVAL with field "password". Nothing is stored. */
int auth_password_check(const char *password, struct lks_err *err);
/* An operator sets a new password (forgotten, or after a block); every session ends. */
int auth_password_set(struct store *s, const char *name, const char *password, struct lks_err *err);

/* A session token from a cookie: the user and session, refreshing last_seen.
 * LKS_ENOTFOUND when unknown or idle for more than AUTH_IDLE_S. */
int auth_session_check(struct store *s, const char *token, int64_t now, struct auth_user *user,
                       struct auth_session *out, struct lks_err *err);

int auth_logout(struct store *s, const char *token, struct lks_err *err);

/* A new API token for a user: written once into out (AUTH_TOKEN_CHARS). */
int auth_token_new(struct store *s, int64_t user_id, const char *label, char out[AUTH_TOKEN_CHARS],
                   struct lks_err *err);

/* An API token from "Authorization: Bearer …": its user, or LKS_ENOTFOUND. */
int auth_token_check(struct store *s, const char *token, struct auth_user *user,
                     struct lks_err *err);

/*
 * Checked credentials, kept by a caller (one per thread, not shared) and used
 * again while the store's generation (store_generation) is what it was when
 * they were checked: nothing committed since, so no block, revocation or
 * logout can have happened. A session's idle time is still checked against
 * the clock on every use.
 */
#define AUTH_CACHE_SLOTS 64

struct auth_cache_slot {
    uint8_t hash[32]; /* the credential's hash, as stored */
    uint64_t gen;     /* 0: empty */
    bool session;
    struct auth_user user;
    struct auth_session se;
};

struct auth_cache {
    struct auth_cache_slot slot[AUTH_CACHE_SLOTS];
};

/*
 * The two checks for use inside a read transaction: they never write. `gen`
 * is the transaction's store_generation (0: do not use the cache). A session
 * that needs its last_seen refreshed, or that is idle and should be removed,
 * sets *after: the caller then calls auth_session_after once the read
 * transaction is over.
 */
int auth_token_check_cached(struct store *s, struct auth_cache *c, uint64_t gen, const char *token,
                            struct auth_user *user, struct lks_err *err);
int auth_session_check_cached(struct store *s, struct auth_cache *c, uint64_t gen,
                              const char *token, int64_t now, struct auth_user *user,
                              struct auth_session *out, bool *after, struct lks_err *err);
/* Outside a transaction: refresh the session's last_seen, or remove it when idle. */
int auth_session_after(struct store *s, const char *token, int64_t now, struct lks_err *err);

/* Constant-time equality of two NUL-terminated secrets. */
bool auth_equal(const char *a, const char *b);

#endif

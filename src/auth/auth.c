/*
 * auth — users, passwords, sessions and API tokens on top of libsodium
 * (contract in auth.h; the rows are kept by store/store_auth.h).
 *
 * The only process-wide state here is the limiter on concurrent Argon2id
 * computations of callers that hash on their own thread: it protects this
 * process's memory, not any shared data. The server checks passwords on the
 * hashing threads of pool.c, which are their own bound, with the throttle of
 * throttle.c in front; this file locks nobody out.
 *
 * Times are seconds since the epoch passed in by the caller (`now`), so the
 * tests can move the clock; only API-token creation reads the clock itself.
 */
#include "auth/auth.h"
#include "auth/private.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/store_auth.h"

/* Callers pass an lks_err; a NULL one must still not crash the error path. */
#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

#define TOKEN_BYTES  32
#define TOKEN_LEN    (AUTH_TOKEN_CHARS - 1)
#define LOGIN_MIN    3
#define LOGIN_MAX    (CASE_USER - 1)
/* last_seen is written at most once a minute per session: a page load fires
 * several requests, and each write would take the database's write lock. The
 * cost is that a session may expire up to this much earlier than AUTH_IDLE_S
 * after the user's last request. */
#define TOUCH_EVERY_S 60

_Static_assert(AUTH_TOKEN_CHARS ==
                   sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "AUTH_TOKEN_CHARS must hold the base64 of a 32-byte token");
_Static_assert(STORE_HASH_BYTES >= crypto_generichash_BYTES_MIN &&
                   STORE_HASH_BYTES <= crypto_generichash_BYTES_MAX,
               "STORE_HASH_BYTES must be a valid BLAKE2b output length");

/*
 * The Argon2id string of a random password nobody knows, with the same
 * parameters as real ones (interactive limits of libsodium 1.0.18). An unknown
 * login name is verified against it so that the answer takes as long as for a
 * known name; its result is thrown away.
 */
static const char dummy_hash[] = "$argon2id$v=19$m=65536,t=2,p=1$A7dZrBLCZXITMLQxAm1aTw$"
                                 "khc0kWv62CG8XADPqbDsGSyhxFcxE5f/gx5wibQhbP4";

/* ---- the limiter: at most AUTH_HASH_PARALLEL Argon2id runs at once ---- */

static pthread_mutex_t hash_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_cv = PTHREAD_COND_INITIALIZER;
static int hash_running;

static void hash_enter(void)
{
    pthread_mutex_lock(&hash_mu);
    while (hash_running >= AUTH_HASH_PARALLEL)
        pthread_cond_wait(&hash_cv, &hash_mu);
    hash_running++;
    pthread_mutex_unlock(&hash_mu);
}

static void hash_leave(void)
{
    pthread_mutex_lock(&hash_mu);
    hash_running--;
    pthread_cond_signal(&hash_cv);
    pthread_mutex_unlock(&hash_mu);
}

_Static_assert(AUTH_HASH_STR_BYTES == crypto_pwhash_STRBYTES, "an Argon2id string fits");

static int pw_hash(char out[crypto_pwhash_STRBYTES], const char *password,
                   const struct auth_hasher *h, struct lks_err *err)
{
    if (h)
        return h->hash(h->arg, out, password, err);
    hash_enter();
    int rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    hash_leave();
    if (rc != 0)
        return lks_err_set(err, LKS_ENOMEM, "password", "no-memory",
                           "onvoldoende geheugen om het wachtwoord te versleutelen");
    return 0;
}

/* 1 when the password matches, 0 when not, LKS_ENOMEM when it could not be
 * checked (then it must not count as a failed attempt). */
static int pw_verify(const char *hash, const char *password, const struct auth_hasher *h,
                     struct lks_err *err)
{
    if (h)
        return h->verify(h->arg, hash, password, err);
    hash_enter();
    errno = 0;
    int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
    int e = errno;
    hash_leave();
    if (rc == 0)
        return 1;
    /* libsodium reports a mismatch and a malformed string alike as -1; only a
     * failed allocation of Argon2's 64 MiB is a fault of the server. */
    if (e == ENOMEM)
        return lks_err_set(err, LKS_ENOMEM, "password", "no-memory",
                           "onvoldoende geheugen om het wachtwoord te controleren; probeer het "
                           "zo opnieuw");
    return 0;
}

/* ---- tokens ---- */

static void token_new(char out[AUTH_TOKEN_CHARS])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, AUTH_TOKEN_CHARS, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

/* Only well-formed tokens are hashed and looked up: anything else cannot
 * exist, and refusing it early keeps arbitrary input away from the store. */
static bool token_wellformed(const char *t)
{
    if (!t || strnlen(t, TOKEN_LEN + 1) != TOKEN_LEN)
        return false;
    for (size_t i = 0; i < TOKEN_LEN; i++) {
        char c = t[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* The key under which a token is stored; a stolen database gives no tokens. */
static void token_hash(const char *token, uint8_t hash[STORE_HASH_BYTES])
{
    crypto_generichash(hash, STORE_HASH_BYTES, (const unsigned char *)token, strlen(token), NULL,
                       0);
}

/* ---- init ---- */

int auth_init(struct lks_err *err)
{
    ERR_GUARD(err);
    if (sodium_init() < 0)
        return lks_err_set(err, LKS_EIO, "auth", "sodium-init",
                           "de cryptobibliotheek (libsodium) kan niet worden gestart");
    return 0;
}

/* ---- users ---- */

/* Characters, not bytes: a passphrase in any script counts per letter. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static int new_password_check(const char *password, const char *field, struct lks_err *err)
{
    if (!password || utf8_chars(password) < AUTH_PASSWORD_MIN)
        return lks_err_set(err, LKS_EINVAL, field, "too-short",
                           "het wachtwoord moet minstens %d tekens hebben", AUTH_PASSWORD_MIN);
    if (strnlen(password, AUTH_PASSWORD_MAX + 1) > AUTH_PASSWORD_MAX)
        return lks_err_set(err, LKS_EINVAL, field, "too-long",
                           "het wachtwoord mag hoogstens %d bytes hebben", AUTH_PASSWORD_MAX);
    return 0;
}

static bool name_ok(const char *name, size_t cap)
{
    size_t n = strnlen(name, cap);
    if (n < LOGIN_MIN || n > LOGIN_MAX || n == cap)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static bool kvk_ok(const char *kvk, size_t cap)
{
    if (strnlen(kvk, cap) != 8)
        return false;
    for (int i = 0; i < 8; i++)
        if (kvk[i] < '0' || kvk[i] > '9')
            return false;
    return true;
}

int auth_user_check(const struct auth_user *u, const char *password, struct lks_errlist *errs)
{
    int n0 = errs->n;
    if (!name_ok(u->name, sizeof u->name))
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "name", "invalid",
                    "de gebruikersnaam moet %d tot %d tekens hebben, alleen kleine letters, "
                    "cijfers, punt, liggend streepje of koppelteken",
                    LOGIN_MIN, LOGIN_MAX);
    size_t dn = strnlen(u->display, sizeof u->display);
    if (dn == 0 || dn == sizeof u->display)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "display", dn ? "too-long" : "missing",
                    dn ? "de volledige naam is te lang" : "de volledige naam ontbreekt");
    size_t tn = strnlen(u->tenant, sizeof u->tenant);
    if (tn == 0 || tn == sizeof u->tenant)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "tenant", tn ? "too-long" : "missing",
                    tn ? "de code van de gemeente is te lang"
                       : "de gemeente van de gebruiker ontbreekt");
    bool installation = tn > 0 && strcmp(u->tenant, AUTH_TENANT_INSTALLATION) == 0;
    if (tn > 0 && u->role == ROLE_APPLICATIEBEHEERDER && !installation)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "tenant", "installation-only",
                    "een applicatiebeheerder hoort bij de hele installatie, niet bij een gemeente "
                    "(gemeente '%s')",
                    AUTH_TENANT_INSTALLATION);
    else if (installation && u->role != ROLE_APPLICATIEBEHEERDER)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "tenant", "reserved",
                    "'%s' is de hele installatie: alleen een applicatiebeheerder hoort daarbij",
                    AUTH_TENANT_INSTALLATION);
    if ((unsigned)u->role >= ROLE_COUNT)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "role", "invalid", "onbekende rol");
    else if (u->role == ROLE_WERKGEVER && !kvk_ok(u->kvk, sizeof u->kvk))
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "kvk", "invalid",
                    "een werkgever heeft een KvK-nummer van 8 cijfers nodig");
    else if (u->role != ROLE_WERKGEVER && strnlen(u->kvk, sizeof u->kvk) != 0)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "kvk", "not-allowed",
                    "alleen een werkgever heeft een KvK-nummer (rol %s)", role_name(u->role));
    struct lks_err pe;
    if (new_password_check(password, "password", &pe))
        *lks_errlist_add(errs) = pe;
    return errs->n > n0 ? LKS_EINVAL : 0;
}

/* The first fault of auth_user_check, as one error. */
static int user_check(const struct auth_user *u, const char *password, struct lks_err *err)
{
    struct lks_errlist errs = {0};
    if (auth_user_check(u, password, &errs) == 0)
        return 0;
    *err = errs.e[0];
    return err->code;
}

int auth_user_add_with(struct store *s, const struct auth_user *u, const char *password,
                       const struct auth_hasher *h, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = user_check(u, password, err);
    if (rc)
        return rc;
    char hash[crypto_pwhash_STRBYTES];
    rc = pw_hash(hash, password, h, err);
    if (rc)
        return rc;
    rc = store_user_add(s, u, hash, err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int auth_user_add(struct store *s, const struct auth_user *u, const char *password,
                  struct lks_err *err)
{
    return auth_user_add_with(s, u, password, NULL, err);
}

int auth_users_add(struct store *s, const struct auth_user *u, int n, const char *password,
                   int *added, struct lks_err *err)
{
    ERR_GUARD(err);
    *added = 0;
    for (int i = 0; i < n; i++) {
        int rc = user_check(&u[i], password, err);
        if (rc)
            return rc;
    }
    char hash[crypto_pwhash_STRBYTES];
    int rc = pw_hash(hash, password, NULL, err);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct lks_err e = {0};
        int r = store_user_add(s, &u[i], hash, &e);
        if (r == 0)
            (*added)++;
        else if (r != LKS_ESTATE) {
            *err = e;
            rc = r;
        }
    }
    sodium_memzero(hash, sizeof hash);
    return rc;
}

/* ---- login ---- */

int auth_refusal(struct lks_err *err)
{
    return lks_err_set(err, LKS_EINVAL, "password", "invalid-credentials",
                       "gebruikersnaam of wachtwoord onjuist, of te veel mislukte pogingen; "
                       "probeer het later opnieuw");
}

int auth_check_password(struct store *s, const char *name, const char *password,
                        const struct auth_hasher *h, struct auth_user *user, struct lks_err *err)
{
    if (!name || !password)
        return auth_refusal(err);
    struct auth_user u;
    char hash[crypto_pwhash_STRBYTES];
    int rc = store_user_by_name(s, name, &u, hash, sizeof hash, NULL, NULL, err);
    if (rc == LKS_ENOTFOUND) {
        /* The same cost as a known name; the result is thrown away. */
        struct lks_err ignored;
        pw_verify(dummy_hash, password, h, &ignored);
        return auth_refusal(err);
    }
    if (rc)
        return rc;
    /* An inactive account is checked too: its answer takes as long as any other. */
    int match = pw_verify(hash, password, h, err);
    sodium_memzero(hash, sizeof hash);
    if (match < 0)
        return match;
    if (match != 1 || !u.active)
        return auth_refusal(err);
    *user = u;
    return 0;
}

int auth_session_new(struct store *s, const struct auth_user *u, int64_t now,
                     struct auth_session *se, struct lks_err *err)
{
    uint8_t h[STORE_HASH_BYTES];
    memset(se, 0, sizeof *se);
    token_new(se->token);
    token_new(se->csrf);
    se->user_id = u->id;
    se->created = se->last_seen = now;
    token_hash(se->token, h);
    return store_session_put(s, h, se, err);
}

int auth_login(struct store *s, const char *name, const char *password, int64_t now,
               struct auth_session *out, struct auth_user *user, struct lks_err *err)
{
    ERR_GUARD(err);
    struct auth_session se;
    struct auth_user cur;
    int rc = auth_check_password(s, name, password, NULL, &cur, err);
    if (rc == 0)
        rc = auth_session_new(s, &cur, now, &se, err);
    if (rc == 0) {
        if (out)
            *out = se;
        if (user)
            *user = cur;
    }
    sodium_memzero(&se, sizeof se);
    return rc;
}

/* ---- passwords ---- */

int auth_password_check(const char *password, struct lks_err *err)
{
    ERR_GUARD(err);
    return new_password_check(password, "password", err);
}

int auth_password_check_new(const char *current, const char *next, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = new_password_check(next, "new_password", err);
    if (rc)
        return rc;
    if (current && strcmp(current, next) == 0)
        return lks_err_set(err, LKS_EINVAL, "new_password", "unchanged",
                           "het nieuwe wachtwoord moet anders zijn dan het huidige");
    return 0;
}

int auth_password_store(struct store *s, int64_t user_id, const char *password,
                        const char *keep_token, const struct auth_hasher *h, struct lks_err *err)
{
    char hash[crypto_pwhash_STRBYTES];
    int rc = pw_hash(hash, password, h, err);
    if (rc)
        return rc;
    uint8_t keep[STORE_HASH_BYTES];
    bool has_keep = keep_token && token_wellformed(keep_token);
    if (has_keep)
        token_hash(keep_token, keep);
    rc = store_user_set_password(s, user_id, hash, has_keep ? keep : NULL, err);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int auth_password_change(struct store *s, const char *name, const char *current, const char *next,
                         const char *keep_session, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = auth_password_check_new(current, next, err);
    if (rc)
        return rc;
    struct auth_user u;
    rc = auth_check_password(s, name, current, NULL, &u, err);
    if (rc)
        return rc;
    return auth_password_store(s, u.id, next, keep_session, NULL, err);
}

int auth_password_set_with(struct store *s, const char *name, const char *password,
                           const struct auth_hasher *h, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = new_password_check(password, "password", err);
    if (rc)
        return rc;
    struct auth_user u;
    rc = store_user_by_name(s, name, &u, NULL, 0, NULL, NULL, err);
    if (rc)
        return rc;
    return auth_password_store(s, u.id, password, NULL, h, err);
}

int auth_password_set(struct store *s, const char *name, const char *password, struct lks_err *err)
{
    return auth_password_set_with(s, name, password, NULL, err);
}

/* ---- sessions ---- */

static int no_session(struct lks_err *err)
{
    return lks_err_set(err, LKS_ENOTFOUND, "session", "not-found",
                       "sessie onbekend of verlopen; log opnieuw in");
}

/* What a session check leaves to do in a write: nothing, refresh, or remove. */
enum session_after { AFTER_NOTHING, AFTER_TOUCH, AFTER_DELETE };

/* The reading part of a session check: the session of hash h and its user. */
static int session_read(struct store *s, const uint8_t h[STORE_HASH_BYTES], int64_t now,
                        struct auth_user *user, struct auth_session *out, enum session_after *after,
                        struct lks_err *err)
{
    *after = AFTER_NOTHING;
    struct auth_session se;
    int rc = store_session_get(s, h, &se, err);
    if (rc == LKS_ENOTFOUND)
        return no_session(err);
    if (rc)
        return rc;
    if (now - se.last_seen > AUTH_IDLE_S) {
        *after = AFTER_DELETE;
        return no_session(err);
    }
    struct auth_user u;
    rc = store_user_by_id(s, se.user_id, &u, err);
    if (rc == LKS_ENOTFOUND || (rc == 0 && !u.active))
        return no_session(err);
    if (rc)
        return rc;
    if (now - se.last_seen >= TOUCH_EVERY_S)
        *after = AFTER_TOUCH;
    *user = u;
    *out = se;
    return 0;
}

int auth_session_check(struct store *s, const char *token, int64_t now, struct auth_user *user,
                       struct auth_session *out, struct lks_err *err)
{
    ERR_GUARD(err);
    if (!token_wellformed(token))
        return no_session(err);
    uint8_t h[STORE_HASH_BYTES];
    token_hash(token, h);
    struct auth_session se;
    struct auth_user u;
    enum session_after after;
    int rc = session_read(s, h, now, &u, &se, &after, err);
    if (after == AFTER_DELETE) {
        /* Expired sessions go at the first sight of them; a concurrent
         * request may have removed it already. */
        int drc = store_session_delete(s, h, err);
        if (drc && drc != LKS_ENOTFOUND)
            return drc;
        return no_session(err);
    }
    if (rc)
        return rc;
    if (after == AFTER_TOUCH) {
        rc = store_session_touch(s, h, now, err);
        if (rc == LKS_ENOTFOUND)
            return no_session(err); /* logged out meanwhile */
        if (rc)
            return rc;
        se.last_seen = now;
    }
    if (user)
        *user = u;
    if (out)
        *out = se;
    return 0;
}

int auth_session_after(struct store *s, const char *token, int64_t now, struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = auth_session_check(s, token, now, NULL, NULL, err);
    return rc == LKS_ENOTFOUND ? 0 : rc;
}

/* The cache slot of a credential's hash, and whether it holds that credential
 * checked at generation gen. */
static struct auth_cache_slot *cache_slot(struct auth_cache *c, const uint8_t h[STORE_HASH_BYTES],
                                          uint64_t gen, bool session, bool *hit)
{
    struct auth_cache_slot *sl = &c->slot[h[0] % AUTH_CACHE_SLOTS];
    *hit = gen != 0 && sl->gen == gen && sl->session == session &&
           sodium_memcmp(sl->hash, h, STORE_HASH_BYTES) == 0;
    return sl;
}

static void cache_keep(struct auth_cache_slot *sl, const uint8_t h[STORE_HASH_BYTES], uint64_t gen,
                       bool session, const struct auth_user *u, const struct auth_session *se)
{
    memcpy(sl->hash, h, STORE_HASH_BYTES);
    sl->gen = gen;
    sl->session = session;
    sl->user = *u;
    if (se)
        sl->se = *se;
}

int auth_session_check_cached(struct store *s, struct auth_cache *c, uint64_t gen,
                              const char *token, int64_t now, struct auth_user *user,
                              struct auth_session *out, bool *after, struct lks_err *err)
{
    ERR_GUARD(err);
    *after = false;
    if (!token_wellformed(token))
        return no_session(err);
    uint8_t h[STORE_HASH_BYTES];
    token_hash(token, h);
    bool hit = false;
    struct auth_cache_slot *sl = c ? cache_slot(c, h, gen, true, &hit) : NULL;
    if (hit) {
        if (now - sl->se.last_seen > AUTH_IDLE_S) {
            sl->gen = 0;
            *after = true;
            return no_session(err);
        }
        *after = now - sl->se.last_seen >= TOUCH_EVERY_S;
        *user = sl->user;
        *out = sl->se;
        return 0;
    }
    struct auth_session se;
    struct auth_user u;
    enum session_after todo;
    int rc = session_read(s, h, now, &u, &se, &todo, err);
    *after = todo != AFTER_NOTHING;
    if (rc)
        return rc;
    if (sl)
        cache_keep(sl, h, gen, true, &u, &se);
    *user = u;
    *out = se;
    return 0;
}

int auth_logout(struct store *s, const char *token, struct lks_err *err)
{
    ERR_GUARD(err);
    /* Logging out of a session that is gone already is done, not an error. */
    if (!token_wellformed(token))
        return 0;
    uint8_t h[STORE_HASH_BYTES];
    token_hash(token, h);
    int rc = store_session_delete(s, h, err);
    return rc == LKS_ENOTFOUND ? 0 : rc;
}

/* ---- API tokens ---- */

int auth_token_new(struct store *s, int64_t user_id, const char *label, char out[AUTH_TOKEN_CHARS],
                   struct lks_err *err)
{
    ERR_GUARD(err);
    struct auth_user u;
    int rc = store_user_by_id(s, user_id, &u, err);
    if (rc)
        return rc;
    if (!u.active)
        return lks_err_set(err, LKS_ESTATE, "user_id", "inactive",
                           "gebruiker '%s' is niet actief en krijgt geen API-token", u.name);
    char token[AUTH_TOKEN_CHARS];
    uint8_t h[STORE_HASH_BYTES];
    token_new(token);
    token_hash(token, h);
    rc = store_token_put(s, h, user_id, label ? label : "", (int64_t)time(NULL), err);
    if (rc == 0)
        memcpy(out, token, AUTH_TOKEN_CHARS);
    sodium_memzero(token, sizeof token);
    return rc;
}

static int no_token(struct lks_err *err)
{
    return lks_err_set(err, LKS_ENOTFOUND, "token", "not-found",
                       "API-token onbekend of ingetrokken");
}

/* The user of an API token of hash h. */
static int token_read(struct store *s, const uint8_t h[STORE_HASH_BYTES], struct auth_user *out,
                      struct lks_err *err)
{
    int64_t user_id = 0;
    int rc = store_token_user(s, h, &user_id, err);
    if (rc == LKS_ENOTFOUND)
        return no_token(err);
    if (rc)
        return rc;
    rc = store_user_by_id(s, user_id, out, err);
    if (rc == LKS_ENOTFOUND || (rc == 0 && !out->active))
        return no_token(err);
    return rc;
}

int auth_token_check(struct store *s, const char *token, struct auth_user *user,
                     struct lks_err *err)
{
    return auth_token_check_cached(s, NULL, 0, token, user, err);
}

int auth_token_check_cached(struct store *s, struct auth_cache *c, uint64_t gen, const char *token,
                            struct auth_user *user, struct lks_err *err)
{
    ERR_GUARD(err);
    if (!token_wellformed(token))
        return no_token(err);
    uint8_t h[STORE_HASH_BYTES];
    token_hash(token, h);
    bool hit = false;
    struct auth_cache_slot *sl = c ? cache_slot(c, h, gen, false, &hit) : NULL;
    if (hit) {
        if (user)
            *user = sl->user;
        return 0;
    }
    struct auth_user u;
    int rc = token_read(s, h, &u, err);
    if (rc)
        return rc;
    if (sl)
        cache_keep(sl, h, gen, false, &u, NULL);
    if (user)
        *user = u;
    return 0;
}

/* ---- comparison ---- */

bool auth_equal(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t la = strlen(a), lb = strlen(b);
    /* Always compare la bytes, whatever b's length: with unequal lengths a is
     * compared with itself, so the time depends only on a (the caller's
     * input), never on where the secret differs. */
    const char *other = la == lb ? b : a;
    int diff = sodium_memcmp(a, other, la);
    return (diff == 0) & (la == lb);
}

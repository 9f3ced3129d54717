/*
 * private — the parts of auth.c that the hashing pool (pool.c) runs on its own threads.
 * Not for other modules: they call auth.h or pool.h.
 */
#ifndef LKS_AUTH_PRIVATE_H
#define LKS_AUTH_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "base/err.h"
#include "store/store.h"

/* The refusal of every wrong login: LKS_EINVAL, field "password", one message. */
int auth_refusal(struct lks_err *err);

#define AUTH_HASH_STR_BYTES 128 /* crypto_pwhash_STRBYTES (checked in auth.c) */

/*
 * Who computes Argon2id. NULL everywhere below: this thread, at most AUTH_HASH_PARALLEL at
 * once (the command line, a beheerder's request). The pool passes its own: a process of
 * its own per hashing thread (pool.c says why).
 */
struct auth_hasher {
    /* 1 when the password matches the string, 0 when not, LKS_ENOMEM when it could not be
     * checked (then it must not count as a failed attempt) */
    int (*verify)(void *arg, const char *hash, const char *password, struct lks_err *err);
    /* The Argon2id string of a password into out, or LKS_ENOMEM. */
    int (*hash)(void *arg, char out[AUTH_HASH_STR_BYTES], const char *password,
                struct lks_err *err);
    void *arg;
};

/*
 * The password of `name` checked: 0 and the user, or auth_refusal for an unknown name
 * (checked against a dummy hash all the same), a wrong password and an inactive account;
 * another code when it could not be checked.
 */
int auth_check_password(struct store *s, const char *name, const char *password,
                        const struct auth_hasher *h, struct auth_user *user, struct lks_err *err);

/* A new session for u, created and last seen at `now`, stored by its token's hash. */
int auth_session_new(struct store *s, const struct auth_user *u, int64_t now,
                     struct auth_session *se, struct lks_err *err);

/* Hash and store a user's new password; every session but `keep_token`'s (NULL: all) ends. */
int auth_password_store(struct store *s, int64_t user_id, const char *password,
                        const char *keep_token, const struct auth_hasher *h, struct lks_err *err);

/* auth_user_add and auth_password_set with the pool's hasher (pool.c: an operator's new
 * user or new password, hashed off the serving thread). */
int auth_user_add_with(struct store *s, const struct auth_user *u, const char *password,
                       const struct auth_hasher *h, struct lks_err *err);
int auth_password_set_with(struct store *s, const char *name, const char *password,
                           const struct auth_hasher *h, struct lks_err *err);

#endif

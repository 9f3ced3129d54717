/*
 * store_auth — the identity part of the store: users, sessions and API tokens
 * (tables of migration 2). Same rules as store.h: all SQL behind this header,
 * errors as lks_err, strings copied. Secrets are never stored: sessions and
 * tokens by a 32-byte hash, passwords as an Argon2id string made by auth/.
 */
#ifndef LKS_STORE_STORE_AUTH_H
#define LKS_STORE_STORE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/store.h"

#define STORE_HASH_BYTES 32

/* Insert a user with its password string; LKS_ESTATE when the name exists. */
int store_user_add(struct store *s, const struct auth_user *u, const char *pwhash,
                   struct lks_err *err);
/* A user by login name, with its password string (pwhash: crypto_pwhash_STRBYTES) and
 * lockout state. LKS_ENOTFOUND when unknown. */
int store_user_by_name(struct store *s, const char *name, struct auth_user *out, char *pwhash,
                       size_t pwhash_size, int *failures, int64_t *locked_until,
                       struct lks_err *err);
int store_user_by_id(struct store *s, int64_t id, struct auth_user *out, struct lks_err *err);
/* The users of a municipality by login name, without their password strings. cb returns
 * non-zero to stop the list; that value is then returned. */
int store_user_list(struct store *s, const char *tenant,
                    int (*cb)(void *arg, const struct auth_user *u), void *arg,
                    struct lks_err *err);
/* Record a login outcome: failures = 0 on success, +1 on failure (and the lock). */
int store_user_login_result(struct store *s, int64_t id, int failures, int64_t locked_until,
                            struct lks_err *err);

/* Block or unblock a user by login name. Blocking also ends its sessions and revokes its API
 * tokens, so nothing it held keeps working. LKS_ENOTFOUND for an unknown name. */
int store_user_set_active(struct store *s, const char *name, bool active, struct lks_err *err);

/*
 * A new password (its Argon2id string) for a user, with the failure count and lock cleared,
 * and every session of the user ended except the one of hash `keep` (NULL: all), in one
 * transaction: whoever knew the old password and had a session is out. API tokens stay
 * (they belong to systems, not to the password). LKS_ENOTFOUND for an unknown user.
 */
int store_user_set_password(struct store *s, int64_t user_id, const char *pwhash,
                            const uint8_t keep[STORE_HASH_BYTES], struct lks_err *err);

int store_session_put(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
                      const struct auth_session *se, struct lks_err *err);
int store_session_get(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
                      struct auth_session *out, struct lks_err *err);
int store_session_touch(struct store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t now,
                        struct lks_err *err);
int store_session_delete(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
                         struct lks_err *err);

int store_token_put(struct store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t user_id,
                    const char *label, int64_t now, struct lks_err *err);
/* Revoke the user's API tokens with this label; *revoked says how many. LKS_ENOTFOUND for an
 * unknown user or when no token with that label is in force. */
int store_token_revoke(struct store *s, const char *name, const char *label, int *revoked,
                       struct lks_err *err);
/* The user id of a token that is not revoked, or LKS_ENOTFOUND. */
int store_token_user(struct store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t *user_id,
                     struct lks_err *err);

#endif

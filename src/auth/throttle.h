/*
 * throttle — how many failed password checks an address and an account may have before
 * the next attempt is refused without being checked (the rule: docs/api.md, Identity).
 *
 * Three counters, each forgotten AUTH_FORGET_S after the last attempt it counted:
 *
 * - per (address, login name): at AUTH_PAIR_MAX failures that address is refused for
 *   that name. Only the address that made the failures is refused: the same account
 *   from any other address is not.
 * - per address, over all names: at AUTH_ADDR_MAX failures the address is refused for
 *   every name (guessing many names, one password each).
 * - per login name, over all addresses: from AUTH_ACCOUNT_BUSY failures the account is
 *   under pressure; then an address that has itself failed on it may try it again only
 *   AUTH_COOLDOWN_S after its last attempt. An address without a failure of its own on
 *   the account is never slowed or refused by other addresses' failures.
 *
 * Every counter is keyed by the login name as typed, whether such a user exists or not,
 * so no verdict depends on whether an account exists: the throttle never asks the store.
 * An admitted attempt is counted as a failure at once (so attempts running in parallel
 * cannot pass a limit), and auth_throttle_settle takes that back when it succeeded or
 * could not be checked.
 *
 * The counters are kept in memory, per server process, in a fixed table: keys are
 * keyed BLAKE2b hashes (a random key per process, so nobody can aim at a bucket), eight
 * entries per bucket, and a new key takes the bucket's entry that was forgotten, or
 * else the one whose last attempt is oldest. Only an admitted attempt makes entries
 * (three), and admitted attempts are bounded by the hashing threads, so a table sized
 * for AUTH_FORGET_S of their work keeps every live counter (pool.h).
 *
 * Times are seconds passed in by the caller (`now`), so the tests move the clock.
 * Thread-safe: one mutex around the table.
 */
#ifndef LKS_AUTH_THROTTLE_H
#define LKS_AUTH_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define AUTH_PAIR_MAX     5
#define AUTH_ADDR_MAX     30
#define AUTH_ACCOUNT_BUSY 10
#define AUTH_COOLDOWN_S   60
#define AUTH_FORGET_S     (15 * 60)

/* The text of a client address as it is counted: "192.0.2.7", or an IPv6 /64 network
 * "2001:db8:1:2::/64" (one subscriber gets a whole /64, so its addresses count as one). */
#define AUTH_ADDR_CHARS 64

#define AUTH_KEY_BYTES 16

/* The counters of one attempt: its (address, name), its address and its name. */
struct auth_ticket {
    uint8_t key[3][AUTH_KEY_BYTES];
};

enum auth_verdict {
    AUTH_REFUSE,     /* over a limit: answer as a wrong password, without checking it */
    AUTH_ADMIT,      /* check it; the address has failures of its own */
    AUTH_ADMIT_CLEAN /* check it; the address has no failure at all (served first) */
};

/* How an admitted attempt ended. */
enum auth_outcome {
    AUTH_FAILED,    /* wrong: it stays counted */
    AUTH_SUCCEEDED, /* right: the (address, name) counter is cleared, the others take it back */
    AUTH_UNCHECKED  /* the server could not check it (memory, store): taken back everywhere */
};

struct auth_throttle;

/* A table of at least `entries` counters (rounded up to a power of two, at least 64). */
int auth_throttle_new(struct auth_throttle **out, size_t entries, struct lks_err *err);
void auth_throttle_free(struct auth_throttle *t);
/* The number of counters the table holds (for its size in memory: ~24 bytes each). */
size_t auth_throttle_capacity(const struct auth_throttle *t);

/* The ticket of an attempt on `name` from `addr` (an address as auth_client_addr
 * writes it); name may be any text, also one no user has. */
void auth_throttle_ticket(const struct auth_throttle *t, const char *addr, const char *name,
                          struct auth_ticket *out);

/* Whether the attempt may be checked; when admitted it is counted as a failure now. */
enum auth_verdict auth_throttle_admit(struct auth_throttle *t, const struct auth_ticket *k,
                                      int64_t now);
/* The end of an admitted attempt (see enum auth_outcome). */
void auth_throttle_settle(struct auth_throttle *t, const struct auth_ticket *k,
                          enum auth_outcome how);

/* What the table holds now for a ticket (for tests): the three counts, 0 when forgotten. */
void auth_throttle_counts(struct auth_throttle *t, const struct auth_ticket *k, int64_t now,
                          int counts[3]);

/*
 * The address an attempt is counted under, into out (AUTH_ADDR_CHARS): the connection's
 * `remote`; behind a proxy (`behind_proxy`, lks serve --tls-proxy) the last entry of
 * `forwarded` (X-Forwarded-For, the one the proxy added) when the connection comes from
 * a loopback or private address (the proxy), so that a client on the internet cannot
 * choose its own address by sending the header. An IPv4 address in IPv6 form
 * (::ffff:192.0.2.7) counts as the IPv4 address; another IPv6 address as its /64.
 * Text that is no address is counted as it is (cut to fit).
 */
void auth_client_addr(const char *remote, const char *forwarded, bool behind_proxy,
                      char out[AUTH_ADDR_CHARS]);

#endif

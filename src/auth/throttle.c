/*
 * throttle — the counters of failed password checks (contract and rule in throttle.h).
 */
#include "auth/throttle.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAYS        8
#define MIN_ENTRIES 64

struct entry {
    uint8_t key[AUTH_KEY_BYTES];
    int64_t last; /* seconds: the last attempt this counter counted */
    int32_t n;    /* attempts counted since it was last forgotten; 0: free */
};

struct auth_throttle {
    pthread_mutex_t mu;
    size_t buckets; /* a power of two */
    struct entry *e;
    uint8_t secret[crypto_generichash_KEYBYTES];
};

_Static_assert(AUTH_KEY_BYTES >= crypto_generichash_BYTES_MIN, "a ticket key is a BLAKE2b output");

int auth_throttle_new(struct auth_throttle **out, size_t entries, struct lks_err *err)
{
    if (sodium_init() < 0)
        return lks_err_set(err, LKS_EIO, "auth", "sodium-init",
                           "de cryptobibliotheek (libsodium) kan niet worden gestart");
    size_t want = entries < MIN_ENTRIES ? MIN_ENTRIES : entries;
    if (want > ((size_t)1 << 26))
        want = (size_t)1 << 26; /* 2 GiB of counters is no bound any more */
    size_t buckets = 1;
    while (buckets * WAYS < want)
        buckets *= 2;
    struct auth_throttle *t = calloc(1, sizeof *t);
    struct entry *e = calloc(buckets * WAYS, sizeof *e);
    if (!t || !e) {
        free(t);
        free(e);
        return lks_err_set(err, LKS_ENOMEM, "auth", "no-memory",
                           "onvoldoende geheugen voor de tellers van inlogpogingen");
    }
    pthread_mutex_init(&t->mu, NULL);
    t->buckets = buckets;
    t->e = e;
    randombytes_buf(t->secret, sizeof t->secret);
    *out = t;
    return 0;
}

void auth_throttle_free(struct auth_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    free(t->e);
    sodium_memzero(t->secret, sizeof t->secret);
    free(t);
}

size_t auth_throttle_capacity(const struct auth_throttle *t)
{
    return t->buckets * WAYS;
}

/* ---- tickets ---- */

static void key_of(const struct auth_throttle *t, char kind, const char *addr, const char *name,
                   uint8_t out[AUTH_KEY_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, t->secret, sizeof t->secret, AUTH_KEY_BYTES);
    crypto_generichash_update(&st, (const unsigned char *)&kind, 1);
    if (addr) /* with its NUL: "p" addr NUL name cannot be read two ways */
        crypto_generichash_update(&st, (const unsigned char *)addr, strlen(addr) + 1);
    if (name)
        crypto_generichash_update(&st, (const unsigned char *)name, strlen(name));
    crypto_generichash_final(&st, out, AUTH_KEY_BYTES);
}

void auth_throttle_ticket(const struct auth_throttle *t, const char *addr, const char *name,
                          struct auth_ticket *out)
{
    const char *a = addr ? addr : "";
    const char *n = name ? name : "";
    key_of(t, 'p', a, n, out->key[0]);
    key_of(t, 'a', a, NULL, out->key[1]);
    key_of(t, 'n', NULL, n, out->key[2]);
}

/* ---- the table (called with t->mu held) ---- */

static bool live(const struct entry *e, int64_t now)
{
    return e->n > 0 && now - e->last < AUTH_FORGET_S;
}

static struct entry *bucket(struct auth_throttle *t, const uint8_t key[AUTH_KEY_BYTES])
{
    uint64_t h;
    memcpy(&h, key, sizeof h);
    return &t->e[(h & (t->buckets - 1)) * WAYS];
}

static struct entry *find(struct auth_throttle *t, const uint8_t key[AUTH_KEY_BYTES])
{
    struct entry *b = bucket(t, key);
    for (int i = 0; i < WAYS; i++)
        if (b[i].n > 0 && memcmp(b[i].key, key, AUTH_KEY_BYTES) == 0)
            return &b[i];
    return NULL;
}

/* The live count of a key. */
static int count(struct auth_throttle *t, const uint8_t key[AUTH_KEY_BYTES], int64_t now,
                 struct entry **at)
{
    struct entry *e = find(t, key);
    *at = e;
    return e && live(e, now) ? e->n : 0;
}

/* Count one more attempt under a key: its entry, or a new one in the place of the
 * bucket's forgotten entry, else of the one whose last attempt is oldest. */
static void charge(struct auth_throttle *t, const uint8_t key[AUTH_KEY_BYTES], int64_t now)
{
    struct entry *e = find(t, key);
    if (!e) {
        struct entry *b = bucket(t, key);
        e = &b[0];
        for (int i = 0; i < WAYS; i++) {
            if (!live(&b[i], now)) {
                e = &b[i];
                break;
            }
            if (b[i].last < e->last)
                e = &b[i];
        }
        memcpy(e->key, key, AUTH_KEY_BYTES);
        e->n = 0;
    } else if (!live(e, now)) {
        e->n = 0; /* forgotten: it starts again */
    }
    e->n++;
    if (now > e->last) /* a clock set back does not shorten a count */
        e->last = now;
}

enum auth_verdict auth_throttle_admit(struct auth_throttle *t, const struct auth_ticket *k,
                                      int64_t now)
{
    pthread_mutex_lock(&t->mu);
    struct entry *pair;
    struct entry *unused;
    int np = count(t, k->key[0], now, &pair);
    int na = count(t, k->key[1], now, &unused);
    int nn = count(t, k->key[2], now, &unused);
    enum auth_verdict v;
    if (np >= AUTH_PAIR_MAX || na >= AUTH_ADDR_MAX)
        v = AUTH_REFUSE;
    else if (nn >= AUTH_ACCOUNT_BUSY && np > 0 && now - pair->last < AUTH_COOLDOWN_S)
        v = AUTH_REFUSE; /* under pressure, and this address failed on it a moment ago */
    else
        v = na == 0 ? AUTH_ADMIT_CLEAN : AUTH_ADMIT;
    if (v != AUTH_REFUSE)
        for (int i = 0; i < 3; i++)
            charge(t, k->key[i], now);
    pthread_mutex_unlock(&t->mu);
    return v;
}

void auth_throttle_settle(struct auth_throttle *t, const struct auth_ticket *k,
                          enum auth_outcome how)
{
    if (how == AUTH_FAILED)
        return;
    pthread_mutex_lock(&t->mu);
    for (int i = 0; i < 3; i++) {
        struct entry *e = find(t, k->key[i]);
        if (!e)
            continue; /* forgotten and taken by another key meanwhile */
        if (how == AUTH_SUCCEEDED && i == 0)
            e->n = 0;
        else if (e->n > 0)
            e->n--;
    }
    pthread_mutex_unlock(&t->mu);
}

void auth_throttle_counts(struct auth_throttle *t, const struct auth_ticket *k, int64_t now,
                          int counts[3])
{
    pthread_mutex_lock(&t->mu);
    struct entry *unused;
    for (int i = 0; i < 3; i++)
        counts[i] = count(t, k->key[i], now, &unused);
    pthread_mutex_unlock(&t->mu);
}

/* ---- client addresses ---- */

/* A proxy's address: loopback or private (RFC 1918, IPv6 unique local), also in IPv6 form. */
static bool local_v4(const uint8_t a[4])
{
    return a[0] == 127 || a[0] == 10 || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
           (a[0] == 192 && a[1] == 168);
}

static bool is_local(const char *remote)
{
    uint8_t a[16];
    if (!remote)
        return false;
    if (inet_pton(AF_INET, remote, a) == 1)
        return local_v4(a);
    if (inet_pton(AF_INET6, remote, a) != 1)
        return false;
    static const uint8_t loop[16] = {[15] = 1};
    static const uint8_t mapped[12] = {[10] = 0xFF, [11] = 0xFF};
    if (memcmp(a, loop, 16) == 0)
        return true;
    if (memcmp(a, mapped, 12) == 0)
        return local_v4(a + 12);
    return (a[0] & 0xFE) == 0xFC;
}

/* Canonical text of an address into out; false when s is no address. */
static bool canonical(const char *s, char out[AUTH_ADDR_CHARS])
{
    uint8_t a[16];
    char buf[INET6_ADDRSTRLEN];
    if (inet_pton(AF_INET, s, a) == 1) {
        inet_ntop(AF_INET, a, buf, sizeof buf);
        snprintf(out, AUTH_ADDR_CHARS, "%s", buf);
        return true;
    }
    if (inet_pton(AF_INET6, s, a) != 1)
        return false;
    static const uint8_t mapped[12] = {[10] = 0xFF, [11] = 0xFF};
    if (memcmp(a, mapped, 12) == 0) {
        inet_ntop(AF_INET, a + 12, buf, sizeof buf);
        snprintf(out, AUTH_ADDR_CHARS, "%s", buf);
        return true;
    }
    memset(a + 8, 0, 8);
    inet_ntop(AF_INET6, a, buf, sizeof buf);
    snprintf(out, AUTH_ADDR_CHARS, "%s/64", buf);
    return true;
}

void auth_client_addr(const char *remote, const char *forwarded, bool behind_proxy,
                      char out[AUTH_ADDR_CHARS])
{
    const char *r = remote ? remote : "";
    if (behind_proxy && forwarded && is_local(r)) {
        const char *p = strrchr(forwarded, ',');
        p = p ? p + 1 : forwarded;
        p += strspn(p, " \t");
        size_t n = strcspn(p, " \t");
        char last[INET6_ADDRSTRLEN + 1];
        if (n > 0 && n < sizeof last) {
            memcpy(last, p, n);
            last[n] = '\0';
            if (canonical(last, out))
                return;
        }
        /* no address the proxy could have written: count the proxy's own */
    }
    if (!canonical(r, out))
        snprintf(out, AUTH_ADDR_CHARS, "%s", r);
}

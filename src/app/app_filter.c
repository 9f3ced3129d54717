/*
 * app_filter — saved filters of the work list (app.h, "saved filters"), kept in the store
 * (store/store_filter.h).
 *
 * Scope: a filter is its owner's alone, within the owner's municipality: every call reads
 * and writes by the actor's municipality and login name; APP_CAP_MUNICIPAL (who has the
 * work list) is the capability it needs.
 *
 * What a filter may hold is decided here: a name of 1 to APP_FILTER_NAME_MAX characters
 * (valid UTF-8, no control characters, spaces around it dropped), at most APP_FILTER_MAX
 * per user, and a query of the work list's own keys only, whose values (percent-decoded)
 * hold no BSN — the BSN search is a POST and never saved, and a BSN typed into the text
 * search is refused here too. A filter holds no personal data the app knows of, so it
 * writes no processing-log entry.
 *
 * Errors are values: LKS_EINVAL naming "naam", "zoek" or "filter" (Dutch, for beside the
 * field), LKS_ESTATE for a name taken or the maximum reached, LKS_ENOTFOUND, or the
 * store's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/internal.h"
#include "base/ids.h"
#include "store/store_filter.h"

static const char *const keys[] = {"status", "klantmanager", "werkgever", "zoek",
                                   "alles",  "van",          "sorteer"};

static int filter_scope(const struct app_actor *who, struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    return rc ? rc : app_refuse_cap(who, APP_CAP_MUNICIPAL, err);
}

/* Characters of valid UTF-8 without control characters, or -1. */
static int chars(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
        unsigned c = *p;
        if (c < 0x20 || c == 0x7f)
            return -1;
        size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (k == 0 || c > 0xf4)
            return -1;
        for (size_t j = 1; j < k; j++)
            if ((p[j] & 0xc0) != 0x80)
                return -1;
        p += k;
    }
    return n;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* A value of the query, percent-decoded ('+' is a space) into out[cap]; false when it
 * does not decode or fit. */
static bool decode(const char *v, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            if (i + 2 >= n)
                return false;
            int hi = hexval(v[i + 1]), lo = hexval(v[i + 2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return false;
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (k + 1 >= cap)
            return false;
        out[k++] = c;
    }
    out[k] = '\0';
    return true;
}

/* Whether a text holds a BSN: a run of exactly 9 digits that passes the elfproef. */
static bool holds_bsn(const char *s)
{
    for (const char *p = s; *p;) {
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        const char *q = p;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q - p == 9) {
            char run[10], why[IDS_REASON_MAX];
            memcpy(run, p, 9);
            run[9] = '\0';
            if (ids_bsn_valid(run, why))
                return true;
        }
        p = q;
    }
    return false;
}

/* The query's keys and values: only the work list's keys, each at most once, no BSN. */
static void check_query(const char *query, struct lks_errlist *errs)
{
    if (strlen(query) >= STORE_FILTER_QUERY) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "filter", "too-long",
                    "dit filter is te lang om te bewaren");
        return;
    }
    unsigned seen = 0;
    for (const char *p = query; *p;) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        size_t kl = eq ? (size_t)(eq - p) : n;
        int key = -1;
        for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++)
            if (strlen(keys[i]) == kl && strncmp(p, keys[i], kl) == 0)
                key = i;
        char value[STORE_FILTER_QUERY];
        if (key < 0 || (seen & (1u << key)) || !eq ||
            !decode(eq + 1, n - kl - 1, value, sizeof value) || chars(value) < 0) {
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "filter", "invalid",
                        "dit is geen filter van de werkvoorraad");
            return;
        }
        seen |= 1u << key;
        if (holds_bsn(value)) {
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "zoek", "bsn",
                        "een zoekopdracht op BSN wordt niet bewaard; zoek op BSN met het "
                        "formulier Zoek op BSN");
            return;
        }
        p += n;
        if (*p == '&')
            p++;
    }
}

struct counter {
    int n;
};

static int count_cb(void *arg, const struct store_filter *f)
{
    (void)f;
    ((struct counter *)arg)->n++;
    return 0;
}

int app_filter_save(struct app *a, const struct app_actor *who, const char *name, const char *query,
                    int64_t *id, struct lks_errlist *errs)
{
    struct lks_err *e = lks_errlist_add(errs);
    int rc = filter_scope(who, e);
    if (rc)
        return rc;
    errs->n--;
    struct store_filter f;
    memset(&f, 0, sizeof f);
    /* the name without the spaces around it */
    const char *nm = name ? name : "";
    while (*nm == ' ')
        nm++;
    size_t nl = strlen(nm);
    while (nl && nm[nl - 1] == ' ')
        nl--;
    if (nl < sizeof f.name)
        snprintf(f.name, sizeof f.name, "%.*s", (int)nl, nm);
    int nc = nl < sizeof f.name ? chars(f.name) : -1;
    if (nl == 0)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "naam", "required",
                    "geef het filter een naam");
    else if (nc < 0)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "naam", "invalid",
                    "de naam bevat tekens die niet kunnen");
    else if (nc > APP_FILTER_NAME_MAX)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "naam", "too-long",
                    "de naam heeft ten hoogste %d tekens (nu %d)", APP_FILTER_NAME_MAX, nc);
    check_query(query ? query : "", errs);
    if (errs->n)
        return LKS_EINVAL;
    snprintf(f.tenant, sizeof f.tenant, "%s", who->tenant);
    snprintf(f.owner, sizeof f.owner, "%s", who->user);
    snprintf(f.query, sizeof f.query, "%s", query ? query : "");
    f.created = (int64_t)time(NULL);
    e = lks_errlist_add(errs);
    if ((rc = store_begin(a->store, e)))
        return rc;
    struct counter k = {0};
    rc = store_filter_list(a->store, f.tenant, f.owner, APP_FILTER_MAX + 1, count_cb, &k, e);
    if (rc == 0 && k.n >= APP_FILTER_MAX)
        rc = lks_err_set(e, LKS_ESTATE, "naam", "too-many",
                         "u hebt al %d bewaarde filters; verwijder er eerst een", APP_FILTER_MAX);
    if (rc == 0)
        rc = store_filter_add(a->store, &f, e);
    if (rc == 0)
        rc = store_commit(a->store, e);
    if (rc) {
        store_rollback(a->store);
        return rc;
    }
    errs->n--;
    if (id)
        *id = f.id;
    return 0;
}

struct list_pass {
    int (*cb)(void *arg, const struct app_filter *f);
    void *arg;
};

static int list_cb(void *arg, const struct store_filter *f)
{
    struct list_pass *lp = arg;
    struct app_filter o = {f->id, f->name, f->query, f->created};
    return lp->cb(lp->arg, &o);
}

int app_filter_list(struct app *a, const struct app_actor *who,
                    int (*cb)(void *arg, const struct app_filter *f), void *arg,
                    struct lks_err *err)
{
    int rc = filter_scope(who, err);
    if (rc)
        return rc;
    struct list_pass lp = {cb, arg};
    return store_filter_list(a->store, who->tenant, who->user, APP_FILTER_MAX, list_cb, &lp, err);
}

int app_filter_query(struct app *a, const struct app_actor *who, int64_t id, char *query,
                     size_t cap, struct lks_err *err)
{
    if (cap)
        query[0] = '\0';
    int rc = filter_scope(who, err);
    if (rc)
        return rc;
    struct store_filter f;
    if ((rc = store_filter_get(a->store, who->tenant, who->user, id, &f, err)))
        return rc;
    snprintf(query, cap, "%s", f.query);
    return 0;
}

int app_filter_delete(struct app *a, const struct app_actor *who, int64_t id, struct lks_err *err)
{
    int rc = filter_scope(who, err);
    return rc ? rc : store_filter_delete(a->store, who->tenant, who->user, id, err);
}

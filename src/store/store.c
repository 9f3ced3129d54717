/*
 * store — the engine dispatch behind store.h and store_auth.h.
 *
 * The url given to store_open picks the engine once: "postgresql://…" or
 * "postgres://…" is PostgreSQL (pg.c), anything else ("path", "sqlite:path")
 * is SQLite (sqlite.c), which reports what it cannot open. Every other call is
 * forwarded to the engine of the store it gets; nothing here touches data.
 * struct store (store_engine.h) owns the engine's connection and is freed by
 * store_close.
 */
#include <stdlib.h>
#include <string.h>

#include "store/pg_private.h"
#include "store/sqlite_private.h"
#include "store/store_engine.h"

bool store_url_is_pg(const char *url)
{
    return url && (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0);
}

int store_open(struct store **out, const char *url, int flags, struct lks_err *err)
{
    struct lks_err err_local;
    if (!err)
        err = &err_local;
    *out = NULL;
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return lks_err_set(err, LKS_ENOMEM, "database", "no-memory", "onvoldoende geheugen");
    int rc =
        store_url_is_pg(url) ? pg_open(&s->pg, url, flags, err) : sq_open(&s->sq, url, flags, err);
    if (rc) {
        free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->pg)
        pg_close(s->pg);
    else
        sq_close(s->sq);
    free(s);
}

void store_rollback(struct store *s)
{
    if (!s)
        return;
    if (s->pg)
        pg_rollback(s->pg);
    else
        sq_rollback(s->sq);
}

int store_migrate(struct store *s, struct lks_err *err)
{
    if (s->pg)
        return pg_migrate(s->pg, err);
    return sq_migrate(s->sq, err);
}

int store_schema_version(struct store *s, int *out, struct lks_err *err)
{
    if (s->pg)
        return pg_schema_version(s->pg, out, err);
    return sq_schema_version(s->sq, out, err);
}

int store_begin(struct store *s, struct lks_err *err)
{
    if (s->pg)
        return pg_begin(s->pg, err);
    return sq_begin(s->sq, err);
}

int store_read_begin(struct store *s, struct lks_err *err)
{
    if (s->pg)
        return pg_read_begin(s->pg, err);
    return sq_read_begin(s->sq, err);
}

void store_read_end(struct store *s)
{
    if (s->pg)
        pg_read_end(s->pg);
    else
        sq_read_end(s->sq);
}

int store_commit(struct store *s, struct lks_err *err)
{
    if (s->pg)
        return pg_commit(s->pg, err);
    return sq_commit(s->sq, err);
}

int store_generation(struct store *s, uint64_t *out, struct lks_err *err)
{
    if (s->pg)
        return pg_generation(s->pg, out, err);
    return sq_generation(s->sq, out, err);
}

int store_tenant_put(struct store *s, const struct tenant *t, struct lks_err *err)
{
    if (s->pg)
        return pg_tenant_put(s->pg, t, err);
    return sq_tenant_put(s->sq, t, err);
}

int store_tenant_get(struct store *s, const char *code, struct tenant *out, struct lks_err *err)
{
    if (s->pg)
        return pg_tenant_get(s->pg, code, out, err);
    return sq_tenant_get(s->sq, code, out, err);
}

int store_tenant_link(struct store *s, const char *servicepunt, const char *gemeente,
                      struct lks_err *err)
{
    if (s->pg)
        return pg_tenant_link(s->pg, servicepunt, gemeente, err);
    return sq_tenant_link(s->sq, servicepunt, gemeente, err);
}

int store_tenant_list(struct store *s, int (*cb)(void *arg, const struct tenant *t), void *arg,
                      struct lks_err *err)
{
    if (s->pg)
        return pg_tenant_list(s->pg, cb, arg, err);
    return sq_tenant_list(s->sq, cb, arg, err);
}

int store_policy_put(struct store *s, const char *tenant, lks_date from, const char *key,
                     int64_t value, struct lks_err *err)
{
    if (s->pg)
        return pg_policy_put(s->pg, tenant, from, key, value, err);
    return sq_policy_put(s->sq, tenant, from, key, value, err);
}

struct timeline_fill {
    struct policy_timeline *t;
    const char *tenant;
    struct lks_err *err;
};

static int timeline_row(void *arg, lks_date from, const char *key, int64_t value)
{
    struct timeline_fill *f = arg;
    return policy_timeline_add(f->t, f->tenant, from, key, value, f->err);
}

int store_policy_timeline(struct store *s, const char *tenant, struct policy_timeline *out,
                          struct lks_err *err)
{
    struct lks_err err_local;
    if (!err)
        err = &err_local;
    policy_timeline_init(out);
    struct timeline_fill f = {out, tenant, err};
    return s->pg ? pg_policy_rows(s->pg, tenant, timeline_row, &f, err)
                 : sq_policy_rows(s->sq, tenant, timeline_row, &f, err);
}

int store_policy_at(struct store *s, const char *tenant, lks_date on, struct policy *out,
                    struct lks_err *err)
{
    struct policy_timeline *t = malloc(sizeof *t);
    if (!t)
        return lks_err_set(err, LKS_ENOMEM, "policies", "no-memory", "onvoldoende geheugen");
    int rc = store_policy_timeline(s, tenant, t, err);
    if (rc == 0)
        *out = *policy_timeline_at(t, on);
    free(t);
    return rc;
}

int store_person_by_bsn(struct store *s, const char *tenant, const char *bsn, struct person *out,
                        struct lks_err *err)
{
    if (s->pg)
        return pg_person_by_bsn(s->pg, tenant, bsn, out, err);
    return sq_person_by_bsn(s->sq, tenant, bsn, out, err);
}

int store_employer_by_kvk(struct store *s, const char *tenant, const char *kvk,
                          struct employer *out, struct lks_err *err)
{
    if (s->pg)
        return pg_employer_by_kvk(s->pg, tenant, kvk, out, err);
    return sq_employer_by_kvk(s->sq, tenant, kvk, out, err);
}

int store_person_last_test(struct store *s, const char *tenant, int64_t person_id,
                           int64_t except_case, lks_date *out, struct lks_err *err)
{
    if (s->pg)
        return pg_person_last_test(s->pg, tenant, person_id, except_case, out, err);
    return sq_person_last_test(s->sq, tenant, person_id, except_case, out, err);
}

int store_case_new_id(struct store *s, int64_t *out, struct lks_err *err)
{
    if (s->pg)
        return pg_case_new_id(s->pg, out, err);
    return sq_case_new_id(s->sq, out, err);
}

int store_case_tenant(struct store *s, int64_t id, char tenant[CASE_ID], struct lks_err *err)
{
    if (s->pg)
        return pg_case_tenant(s->pg, id, tenant, err);
    return sq_case_tenant(s->sq, id, tenant, err);
}

int store_case_get(struct store *s, const char *tenant, int64_t id, struct case_state *out,
                   struct lks_err *err)
{
    if (s->pg)
        return pg_case_get(s->pg, tenant, id, out, err);
    return sq_case_get(s->sq, tenant, id, out, err);
}

int store_case_save(struct store *s, struct case_state *cs, const struct case_event *ev,
                    const char *data_json, unsigned parts, const struct case_deadline *dl, int ndl,
                    struct lks_err *err)
{
    if (s->pg)
        return pg_case_save(s->pg, cs, ev, data_json, parts, dl, ndl, err);
    return sq_case_save(s->sq, cs, ev, data_json, parts, dl, ndl, err);
}

int store_case_events(struct store *s, const char *tenant, int64_t id,
                      int (*cb)(void *arg, const struct stored_event *e), void *arg,
                      struct lks_err *err)
{
    if (s->pg)
        return pg_case_events(s->pg, tenant, id, cb, arg, err);
    return sq_case_events(s->sq, tenant, id, cb, arg, err);
}

int store_case_list(struct store *s, const char *tenant, const struct case_filter *f,
                    int (*cb)(void *arg, const struct case_summary *c), void *arg,
                    struct lks_err *err)
{
    if (s->pg)
        return pg_case_list(s->pg, tenant, f, cb, arg, err);
    return sq_case_list(s->sq, tenant, f, cb, arg, err);
}

/* store_worklist: worklist.c, on the statement layer for both engines. */

int store_person_cases(struct store *s, const char *tenant, int64_t person_id,
                       int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                       struct lks_err *err)
{
    if (s->pg)
        return pg_person_cases(s->pg, tenant, person_id, cb, arg, err);
    return sq_person_cases(s->sq, tenant, person_id, cb, arg, err);
}

int store_employer_list(struct store *s, const char *tenant,
                        int (*cb)(void *arg, const struct employer *e), void *arg,
                        struct lks_err *err)
{
    if (s->pg)
        return pg_employer_list(s->pg, tenant, cb, arg, err);
    return sq_employer_list(s->sq, tenant, cb, arg, err);
}

int store_case_ids(struct store *s, const char *tenant,
                   int (*cb)(void *arg, const char *tenant, int64_t id), void *arg,
                   struct lks_err *err)
{
    if (s->pg)
        return pg_case_ids(s->pg, tenant, cb, arg, err);
    return sq_case_ids(s->sq, tenant, cb, arg, err);
}

int store_employer_save(struct store *s, const char *tenant, struct employer *e,
                        const struct employer_event *ev, const char *data_json, struct lks_err *err)
{
    if (s->pg)
        return pg_employer_save(s->pg, tenant, e, ev, data_json, err);
    return sq_employer_save(s->sq, tenant, e, ev, data_json, err);
}

int store_employer_events(struct store *s, const char *tenant, int64_t employer_id,
                          int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                          struct lks_err *err)
{
    if (s->pg)
        return pg_employer_events(s->pg, tenant, employer_id, cb, arg, err);
    return sq_employer_events(s->sq, tenant, employer_id, cb, arg, err);
}

int store_case_deadlines(struct store *s, const char *tenant, int64_t id, struct case_deadline *out,
                         int max, int *n, struct lks_err *err)
{
    if (s->pg)
        return pg_case_deadlines(s->pg, tenant, id, out, max, n, err);
    return sq_case_deadlines(s->sq, tenant, id, out, max, n, err);
}

/* store_case_next: worklist.c, on the statement layer for both engines. */

int store_deadlines_latest_start(struct store *s, const char *tenant, unsigned kinds, lks_date *out,
                                 struct lks_err *err)
{
    if (s->pg)
        return pg_deadlines_latest_start(s->pg, tenant, kinds, out, err);
    return sq_deadlines_latest_start(s->sq, tenant, kinds, out, err);
}

int store_deadlines_open(struct store *s, const char *tenant, lks_date on,
                         int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                         struct lks_err *err)
{
    if (s->pg)
        return pg_deadlines_open(s->pg, tenant, on, cb, arg, err);
    return sq_deadlines_open(s->sq, tenant, on, cb, arg, err);
}

int store_backup(struct store *s, const char *to_path, struct lks_err *err)
{
    if (s->pg)
        return pg_backup(s->pg, to_path, err);
    return sq_backup(s->sq, to_path, err);
}

int store_check(struct store *s, int *ok, struct lks_err *err)
{
    if (s->pg)
        return pg_check(s->pg, ok, err);
    return sq_check(s->sq, ok, err);
}

int store_user_add(struct store *s, const struct auth_user *u, const char *pwhash,
                   struct lks_err *err)
{
    if (s->pg)
        return pg_user_add(s->pg, u, pwhash, err);
    return sq_user_add(s->sq, u, pwhash, err);
}

int store_user_by_name(struct store *s, const char *name, struct auth_user *out, char *pwhash,
                       size_t pwhash_size, int *failures, int64_t *locked_until,
                       struct lks_err *err)
{
    if (s->pg)
        return pg_user_by_name(s->pg, name, out, pwhash, pwhash_size, failures, locked_until, err);
    return sq_user_by_name(s->sq, name, out, pwhash, pwhash_size, failures, locked_until, err);
}

int store_user_by_id(struct store *s, int64_t id, struct auth_user *out, struct lks_err *err)
{
    if (s->pg)
        return pg_user_by_id(s->pg, id, out, err);
    return sq_user_by_id(s->sq, id, out, err);
}

int store_user_list(struct store *s, const char *tenant,
                    int (*cb)(void *arg, const struct auth_user *u), void *arg, struct lks_err *err)
{
    if (s->pg)
        return pg_user_list(s->pg, tenant, cb, arg, err);
    return sq_user_list(s->sq, tenant, cb, arg, err);
}

int store_user_login_result(struct store *s, int64_t id, int failures, int64_t locked_until,
                            struct lks_err *err)
{
    if (s->pg)
        return pg_user_login_result(s->pg, id, failures, locked_until, err);
    return sq_user_login_result(s->sq, id, failures, locked_until, err);
}

int store_user_set_active(struct store *s, const char *name, bool active, struct lks_err *err)
{
    if (s->pg)
        return pg_user_set_active(s->pg, name, active, err);
    return sq_user_set_active(s->sq, name, active, err);
}

int store_session_put(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
                      const struct auth_session *se, struct lks_err *err)
{
    if (s->pg)
        return pg_session_put(s->pg, hash, se, err);
    return sq_session_put(s->sq, hash, se, err);
}

int store_session_get(struct store *s, const uint8_t hash[STORE_HASH_BYTES],
                      struct auth_session *out, struct lks_err *err)
{
    if (s->pg)
        return pg_session_get(s->pg, hash, out, err);
    return sq_session_get(s->sq, hash, out, err);
}

int store_session_touch(struct store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t now,
                        struct lks_err *err)
{
    if (s->pg)
        return pg_session_touch(s->pg, hash, now, err);
    return sq_session_touch(s->sq, hash, now, err);
}

int store_session_delete(struct store *s, const uint8_t hash[STORE_HASH_BYTES], struct lks_err *err)
{
    if (s->pg)
        return pg_session_delete(s->pg, hash, err);
    return sq_session_delete(s->sq, hash, err);
}

int store_token_put(struct store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t user_id,
                    const char *label, int64_t now, struct lks_err *err)
{
    if (s->pg)
        return pg_token_put(s->pg, hash, user_id, label, now, err);
    return sq_token_put(s->sq, hash, user_id, label, now, err);
}

int store_user_set_password(struct store *s, int64_t user_id, const char *pwhash,
                            const uint8_t keep[STORE_HASH_BYTES], struct lks_err *err)
{
    if (s->pg)
        return pg_user_set_password(s->pg, user_id, pwhash, keep, err);
    return sq_user_set_password(s->sq, user_id, pwhash, keep, err);
}

int store_token_revoke(struct store *s, const char *name, const char *label, int *revoked,
                       struct lks_err *err)
{
    if (s->pg)
        return pg_token_revoke(s->pg, name, label, revoked, err);
    return sq_token_revoke(s->sq, name, label, revoked, err);
}

int store_token_user(struct store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t *user_id,
                     struct lks_err *err)
{
    if (s->pg)
        return pg_token_user(s->pg, hash, user_id, err);
    return sq_token_user(s->sq, hash, user_id, err);
}

/* store_rule_*, store_rules_version: rule_rows.c, on the statement layer for both engines. */

/* For the SQLite engine's own tests (see sqlite.c); NULL on another engine. */
sqlite3 *store_sqlite_handle(struct store *s);
sqlite3 *store_sqlite_handle(struct store *s)
{
    return s && s->sq ? sq_handle(s->sq) : NULL;
}

/* The same for the PostgreSQL engine's tests: the store's libpq connection. */
PGconn *store_pg_handle(struct store *s);
PGconn *store_pg_handle(struct store *s)
{
    return s && s->pg ? pg_conn(s->pg) : NULL;
}

/* store_idem_*: idem.c, on the statement layer for both engines. */

int store_person_save(struct store *s, const char *tenant, struct person *p,
                      const struct person_event *ev, const char *data_json, struct lks_err *err)
{
    if (s->pg)
        return pg_person_save(s->pg, tenant, p, ev, data_json, err);
    return sq_person_save(s->sq, tenant, p, ev, data_json, err);
}

int store_person_events(struct store *s, const char *tenant, int64_t person_id,
                        int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                        struct lks_err *err)
{
    if (s->pg)
        return pg_person_events(s->pg, tenant, person_id, cb, arg, err);
    return sq_person_events(s->sq, tenant, person_id, cb, arg, err);
}

int store_person_by_id(struct store *s, const char *tenant, int64_t id, struct person *out,
                       struct lks_err *err)
{
    if (s->pg)
        return pg_person_by_id(s->pg, tenant, id, out, err);
    return sq_person_by_id(s->sq, tenant, id, out, err);
}

int store_person_list(struct store *s, const char *tenant,
                      int (*cb)(void *arg, const struct person *p), void *arg, struct lks_err *err)
{
    if (s->pg)
        return pg_person_list(s->pg, tenant, cb, arg, err);
    return sq_person_list(s->sq, tenant, cb, arg, err);
}

/* store_letter_*: letters.c, on the statement layer for both engines. */

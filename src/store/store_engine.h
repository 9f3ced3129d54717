/*
 * store_engine — the engines behind store.h and store_auth.h, as store.c sees them.
 *
 * Private to src/store. Each engine implements every public call of store.h and
 * store_auth.h under its own prefix (sq_ for SQLite in sqlite.c and auth_sqlite.c, pg_ for
 * PostgreSQL in pg.c and pg_auth.c) on its own connection type; store.c
 * picks the engine from the url at store_open and forwards each call. The
 * documented behaviour of every call is the public header's; where an engine
 * differs (PostgreSQL: store_generation, store_backup, store_check) its own file
 * says so. The calls written once on the statement layer (stmt.h: letters, idempotency
 * keys, rule rows, drafts, documents, the work list, payments) need no forwarding and are not here.
 */
#ifndef LKS_STORE_STORE_ENGINE_H
#define LKS_STORE_STORE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_auth.h"

struct sq_store;
struct pg_store;

/* The engine's connection of a store: exactly one of the two is set. */
struct store {
    struct sq_store *sq;
    struct pg_store *pg;
};

/* True when the url names a PostgreSQL database ("postgresql://" or "postgres://"). */
bool store_url_is_pg(const char *url);

/* ---- SQLite (sqlite.c, auth_sqlite.c) ---- */
int sq_open(struct sq_store **out, const char *url, int flags, struct lks_err *err);
void sq_close(struct sq_store *s);
int sq_migrate(struct sq_store *s, struct lks_err *err);
int sq_schema_version(struct sq_store *s, int *out, struct lks_err *err);
int sq_begin(struct sq_store *s, struct lks_err *err);
int sq_read_begin(struct sq_store *s, struct lks_err *err);
void sq_read_end(struct sq_store *s);
int sq_commit(struct sq_store *s, struct lks_err *err);
void sq_rollback(struct sq_store *s);
int sq_generation(struct sq_store *s, uint64_t *out, struct lks_err *err);
int sq_tenant_put(struct sq_store *s, const struct tenant *t, struct lks_err *err);
int sq_tenant_get(struct sq_store *s, const char *code, struct tenant *out, struct lks_err *err);
int sq_tenant_link(struct sq_store *s, const char *servicepunt, const char *gemeente,
                   struct lks_err *err);
int sq_tenant_list(struct sq_store *s, int (*cb)(void *arg, const struct tenant *t), void *arg,
                   struct lks_err *err);
int sq_policy_put(struct sq_store *s, const char *tenant, lks_date from, const char *key,
                  int64_t value, struct lks_err *err);
int sq_policy_rows(struct sq_store *s, const char *tenant,
                   int (*cb)(void *arg, lks_date from, const char *key, int64_t value), void *arg,
                   struct lks_err *err);
int sq_employer_save(struct sq_store *s, const char *tenant, struct employer *e,
                     const struct employer_event *ev, const char *data_json, struct lks_err *err);
int sq_person_save(struct sq_store *s, const char *tenant, struct person *p,
                   const struct person_event *ev, const char *data_json, struct lks_err *err);
int sq_person_events(struct sq_store *s, const char *tenant, int64_t person_id,
                     int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                     struct lks_err *err);
int sq_person_by_id(struct sq_store *s, const char *tenant, int64_t id, struct person *out,
                    struct lks_err *err);
int sq_person_list(struct sq_store *s, const char *tenant,
                   int (*cb)(void *arg, const struct person *p), void *arg, struct lks_err *err);
int sq_employer_events(struct sq_store *s, const char *tenant, int64_t employer_id,
                       int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                       struct lks_err *err);
int sq_case_deadlines(struct sq_store *s, const char *tenant, int64_t id, struct case_deadline *out,
                      int max, int *n, struct lks_err *err);
int sq_deadlines_latest_start(struct sq_store *s, const char *tenant, unsigned kinds, lks_date *out,
                              struct lks_err *err);
int sq_person_by_bsn(struct sq_store *s, const char *tenant, const char *bsn, struct person *out,
                     struct lks_err *err);
int sq_employer_by_kvk(struct sq_store *s, const char *tenant, const char *kvk,
                       struct employer *out, struct lks_err *err);
int sq_person_last_test(struct sq_store *s, const char *tenant, int64_t person_id,
                        int64_t except_case, lks_date *out, struct lks_err *err);
int sq_case_new_id(struct sq_store *s, int64_t *out, struct lks_err *err);
int sq_case_tenant(struct sq_store *s, int64_t id, char tenant[CASE_ID], struct lks_err *err);
int sq_case_get(struct sq_store *s, const char *tenant, int64_t id, struct case_state *out,
                struct lks_err *err);
int sq_case_save(struct sq_store *s, struct case_state *cs, const struct case_event *ev,
                 const char *data_json, unsigned parts, const struct case_deadline *dl, int ndl,
                 struct lks_err *err);
int sq_case_events(struct sq_store *s, const char *tenant, int64_t id,
                   int (*cb)(void *arg, const struct stored_event *e), void *arg,
                   struct lks_err *err);
int sq_case_list(struct sq_store *s, const char *tenant, const struct case_filter *f,
                 int (*cb)(void *arg, const struct case_summary *c), void *arg,
                 struct lks_err *err);
int sq_person_cases(struct sq_store *s, const char *tenant, int64_t person_id,
                    int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                    struct lks_err *err);
int sq_employer_list(struct sq_store *s, const char *tenant,
                     int (*cb)(void *arg, const struct employer *e), void *arg,
                     struct lks_err *err);
int sq_case_ids(struct sq_store *s, const char *tenant,
                int (*cb)(void *arg, const char *tenant, int64_t id), void *arg,
                struct lks_err *err);
int sq_deadlines_open(struct sq_store *s, const char *tenant, lks_date on,
                      int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                      struct lks_err *err);
int sq_pay_cases(struct sq_store *s, const char *tenant,
                 int (*cb)(void *arg, const struct case_state *cs), void *arg, struct lks_err *err);
int sq_backup(struct sq_store *s, const char *to_path, struct lks_err *err);
int sq_check(struct sq_store *s, int *ok, struct lks_err *err);
int sq_user_add(struct sq_store *s, const struct auth_user *u, const char *pwhash,
                struct lks_err *err);
int sq_user_by_name(struct sq_store *s, const char *name, struct auth_user *out, char *pwhash,
                    size_t pwhash_size, int *failures, int64_t *locked_until, struct lks_err *err);
int sq_user_by_id(struct sq_store *s, int64_t id, struct auth_user *out, struct lks_err *err);
int sq_user_list(struct sq_store *s, const char *tenant,
                 int (*cb)(void *arg, const struct auth_user *u), void *arg, struct lks_err *err);
int sq_user_login_result(struct sq_store *s, int64_t id, int failures, int64_t locked_until,
                         struct lks_err *err);
int sq_user_set_active(struct sq_store *s, const char *name, bool active, struct lks_err *err);
int sq_session_put(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES],
                   const struct auth_session *se, struct lks_err *err);
int sq_session_get(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES],
                   struct auth_session *out, struct lks_err *err);
int sq_session_touch(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t now,
                     struct lks_err *err);
int sq_session_delete(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES],
                      struct lks_err *err);
int sq_token_put(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t user_id,
                 const char *label, int64_t now, struct lks_err *err);
int sq_user_set_password(struct sq_store *s, int64_t user_id, const char *pwhash,
                         const uint8_t keep[STORE_HASH_BYTES], struct lks_err *err);
int sq_token_revoke(struct sq_store *s, const char *name, const char *label, int *revoked,
                    struct lks_err *err);
int sq_token_user(struct sq_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t *user_id,
                  struct lks_err *err);

/* ---- PostgreSQL (pg.c, pg_auth.c) ---- */
int pg_open(struct pg_store **out, const char *url, int flags, struct lks_err *err);
void pg_close(struct pg_store *s);
int pg_migrate(struct pg_store *s, struct lks_err *err);
int pg_schema_version(struct pg_store *s, int *out, struct lks_err *err);
int pg_begin(struct pg_store *s, struct lks_err *err);
int pg_read_begin(struct pg_store *s, struct lks_err *err);
void pg_read_end(struct pg_store *s);
int pg_commit(struct pg_store *s, struct lks_err *err);
void pg_rollback(struct pg_store *s);
int pg_generation(struct pg_store *s, uint64_t *out, struct lks_err *err);
int pg_tenant_put(struct pg_store *s, const struct tenant *t, struct lks_err *err);
int pg_tenant_get(struct pg_store *s, const char *code, struct tenant *out, struct lks_err *err);
int pg_tenant_link(struct pg_store *s, const char *servicepunt, const char *gemeente,
                   struct lks_err *err);
int pg_tenant_list(struct pg_store *s, int (*cb)(void *arg, const struct tenant *t), void *arg,
                   struct lks_err *err);
int pg_policy_put(struct pg_store *s, const char *tenant, lks_date from, const char *key,
                  int64_t value, struct lks_err *err);
int pg_policy_rows(struct pg_store *s, const char *tenant,
                   int (*cb)(void *arg, lks_date from, const char *key, int64_t value), void *arg,
                   struct lks_err *err);
int pg_employer_save(struct pg_store *s, const char *tenant, struct employer *e,
                     const struct employer_event *ev, const char *data_json, struct lks_err *err);
int pg_person_save(struct pg_store *s, const char *tenant, struct person *p,
                   const struct person_event *ev, const char *data_json, struct lks_err *err);
int pg_person_events(struct pg_store *s, const char *tenant, int64_t person_id,
                     int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                     struct lks_err *err);
int pg_person_by_id(struct pg_store *s, const char *tenant, int64_t id, struct person *out,
                    struct lks_err *err);
int pg_person_list(struct pg_store *s, const char *tenant,
                   int (*cb)(void *arg, const struct person *p), void *arg, struct lks_err *err);
int pg_employer_events(struct pg_store *s, const char *tenant, int64_t employer_id,
                       int (*cb)(void *arg, const struct stored_record_event *e), void *arg,
                       struct lks_err *err);
int pg_case_deadlines(struct pg_store *s, const char *tenant, int64_t id, struct case_deadline *out,
                      int max, int *n, struct lks_err *err);
int pg_deadlines_latest_start(struct pg_store *s, const char *tenant, unsigned kinds, lks_date *out,
                              struct lks_err *err);
int pg_person_by_bsn(struct pg_store *s, const char *tenant, const char *bsn, struct person *out,
                     struct lks_err *err);
int pg_employer_by_kvk(struct pg_store *s, const char *tenant, const char *kvk,
                       struct employer *out, struct lks_err *err);
int pg_person_last_test(struct pg_store *s, const char *tenant, int64_t person_id,
                        int64_t except_case, lks_date *out, struct lks_err *err);
int pg_case_new_id(struct pg_store *s, int64_t *out, struct lks_err *err);
int pg_case_tenant(struct pg_store *s, int64_t id, char tenant[CASE_ID], struct lks_err *err);
int pg_case_get(struct pg_store *s, const char *tenant, int64_t id, struct case_state *out,
                struct lks_err *err);
int pg_case_save(struct pg_store *s, struct case_state *cs, const struct case_event *ev,
                 const char *data_json, unsigned parts, const struct case_deadline *dl, int ndl,
                 struct lks_err *err);
int pg_case_events(struct pg_store *s, const char *tenant, int64_t id,
                   int (*cb)(void *arg, const struct stored_event *e), void *arg,
                   struct lks_err *err);
int pg_case_list(struct pg_store *s, const char *tenant, const struct case_filter *f,
                 int (*cb)(void *arg, const struct case_summary *c), void *arg,
                 struct lks_err *err);
int pg_person_cases(struct pg_store *s, const char *tenant, int64_t person_id,
                    int (*cb)(void *arg, int64_t id, enum case_status status), void *arg,
                    struct lks_err *err);
int pg_employer_list(struct pg_store *s, const char *tenant,
                     int (*cb)(void *arg, const struct employer *e), void *arg,
                     struct lks_err *err);
int pg_case_ids(struct pg_store *s, const char *tenant,
                int (*cb)(void *arg, const char *tenant, int64_t id), void *arg,
                struct lks_err *err);
int pg_deadlines_open(struct pg_store *s, const char *tenant, lks_date on,
                      int (*cb)(void *arg, const struct deadline_row *d), void *arg,
                      struct lks_err *err);
int pg_pay_cases(struct pg_store *s, const char *tenant,
                 int (*cb)(void *arg, const struct case_state *cs), void *arg, struct lks_err *err);
int pg_backup(struct pg_store *s, const char *to_path, struct lks_err *err);
int pg_check(struct pg_store *s, int *ok, struct lks_err *err);
int pg_user_add(struct pg_store *s, const struct auth_user *u, const char *pwhash,
                struct lks_err *err);
int pg_user_by_name(struct pg_store *s, const char *name, struct auth_user *out, char *pwhash,
                    size_t pwhash_size, int *failures, int64_t *locked_until, struct lks_err *err);
int pg_user_by_id(struct pg_store *s, int64_t id, struct auth_user *out, struct lks_err *err);
int pg_user_list(struct pg_store *s, const char *tenant,
                 int (*cb)(void *arg, const struct auth_user *u), void *arg, struct lks_err *err);
int pg_user_login_result(struct pg_store *s, int64_t id, int failures, int64_t locked_until,
                         struct lks_err *err);
int pg_user_set_active(struct pg_store *s, const char *name, bool active, struct lks_err *err);
int pg_session_put(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES],
                   const struct auth_session *se, struct lks_err *err);
int pg_session_get(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES],
                   struct auth_session *out, struct lks_err *err);
int pg_session_touch(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t now,
                     struct lks_err *err);
int pg_session_delete(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES],
                      struct lks_err *err);
int pg_token_put(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t user_id,
                 const char *label, int64_t now, struct lks_err *err);
int pg_user_set_password(struct pg_store *s, int64_t user_id, const char *pwhash,
                         const uint8_t keep[STORE_HASH_BYTES], struct lks_err *err);
int pg_token_revoke(struct pg_store *s, const char *name, const char *label, int *revoked,
                    struct lks_err *err);
int pg_token_user(struct pg_store *s, const uint8_t hash[STORE_HASH_BYTES], int64_t *user_id,
                  struct lks_err *err);

#endif

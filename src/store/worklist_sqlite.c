/*
 * worklist_sqlite — the work list (store.h, store_worklist) on the SQLite engine: the one
 * statement of rows.c in its SQLite form, cached on the connection.
 *
 * Errors: an SQLite failure is an lks_err with a Dutch message and SQLite's text; a row
 * with an unknown status or deadline kind is LKS_EIO naming the case.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/rows.h"
#include "store/sqlite_private.h"
#include "store/store_engine.h"

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int sq_worklist(struct sq_store *s, const char *tenant, const struct worklist_filter *f,
                int (*cb)(void *arg, const struct worklist_row *r), void *arg, struct lks_err *err)
{
    int rc = rows_check_worklist(f, err);
    if (rc || (rc = store_sqlite_ready(s, err)))
        return rc;
    char like[2 * 96 + 3];
    if (f->text && !rows_like_pattern(f->text, like, sizeof like))
        return lks_err_set(err, LKS_EINVAL, "zoek", "too-long", "ten hoogste 95 tekens");
    int src = SQLITE_OK;
    sqlite3_stmt *st = store_sqlite_cached(s, rows_worklist_sqlite[rows_worklist_variant(f)], &src);
    if (!st)
        return store_sqlite_fail(sq_handle(s), src, "cases", "het voorbereiden van de werklijst",
                                 err);
    sqlite3_bind_text(st, 1, tenant, -1, SQLITE_STATIC);
    bind_opt(st, 2, f->status >= 0 ? case_status_name((enum case_status)f->status) : NULL);
    bind_opt(st, 3, f->case_worker);
    bind_opt(st, 4, f->employer_kvk);
    bind_opt(st, 5, f->text ? like : NULL);
    bind_opt(st, 6, f->text);
    sqlite3_bind_int(st, 7, f->all ? 1 : 0);
    sqlite3_bind_int(st, 8, f->limit);
    sqlite3_bind_int(st, 9, f->offset);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct worklist_row w;
        memset(&w, 0, sizeof w);
        struct case_summary *c = &w.c;
        c->id = sqlite3_column_int64(st, 0);
        const char *status = (const char *)sqlite3_column_text(st, 1);
        int stn = status ? case_status_parse(status) : -1;
        int kind = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 7);
        if (stn < 0 || kind < -1 || kind >= DL_COUNT) {
            rc = rows_corrupt(stn < 0 ? "status" : "termijn", err,
                              stn < 0 ? "onbekende status" : "onbekende soort termijn", c->id);
            break;
        }
        c->status = (enum case_status)stn;
        store_sqlite_col_text(st, 2, c->person_name, sizeof c->person_name);
        store_sqlite_col_text(st, 3, c->employer_name, sizeof c->employer_name);
        store_sqlite_col_text(st, 4, c->case_worker, sizeof c->case_worker);
        store_sqlite_col_text(st, 5, c->person_bsn, sizeof c->person_bsn);
        store_sqlite_col_text(st, 6, c->employer_kvk, sizeof c->employer_kvk);
        w.next_kind = kind < 0 ? DL_BESLISTERMIJN : (enum dl_kind)kind;
        c->next_due = kind < 0 || sqlite3_column_type(st, 8) == SQLITE_NULL
                          ? LKS_NO_DATE
                          : (lks_date)sqlite3_column_int64(st, 8);
        w.total = sqlite3_column_int64(st, 9);
        if ((rc = cb(arg, &w)) != 0)
            break;
    }
    if (rc == 0 && src != SQLITE_DONE)
        rc = store_sqlite_fail(sq_handle(s), src, "cases", "het lezen van de werklijst", err);
    store_sqlite_release(s, st);
    return rc;
}

static const char case_next_sql[] =
    "SELECT next_kind,next_due FROM cases WHERE id=?1 AND tenant_id=?2";

int sq_case_next(struct sq_store *s, const char *tenant, int64_t id, bool *has,
                 struct case_deadline *out, struct lks_err *err)
{
    *has = false;
    memset(out, 0, sizeof *out);
    int rc = store_sqlite_ready(s, err);
    if (rc)
        return rc;
    int src = SQLITE_OK;
    sqlite3_stmt *st = store_sqlite_cached(s, case_next_sql, &src);
    if (!st)
        return store_sqlite_fail(sq_handle(s), src, "cases", "het lezen van de zaak", err);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, tenant, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        int kind = sqlite3_column_type(st, 0) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 0);
        if (kind < -1 || kind >= DL_COUNT)
            rc = rows_corrupt("termijn", err, "onbekende soort termijn", id);
        *has = kind >= 0;
        out->kind = kind < 0 ? DL_BESLISTERMIJN : (enum dl_kind)kind;
        out->due = sqlite3_column_type(st, 1) == SQLITE_NULL
                       ? LKS_NO_DATE
                       : (lks_date)sqlite3_column_int64(st, 1);
        out->start = out->done = LKS_NO_DATE;
    } else if (src == SQLITE_DONE) {
        rc = rows_not_found(err, id);
    } else {
        rc = store_sqlite_fail(sq_handle(s), src, "cases", "het lezen van de zaak", err);
    }
    store_sqlite_release(s, st);
    return rc;
}

/*
 * worklist — the work list (store.h, store_worklist) and a case's next deadline
 * (store_case_next), once for both engines on the statement layer (stmt.h): the one
 * statement of rows.c, in the engine's dialect (PostgreSQL: ILIKE for the name search).
 *
 * Errors: an engine failure is an lks_err with a Dutch message and the engine's text; a
 * row with an unknown status or deadline kind is LKS_EIO naming the case.
 */
#include <string.h>

#include "store/rows.h"
#include "store/stmt.h"

static const char SQL_CASE_NEXT[] =
    "SELECT next_kind,next_due FROM cases WHERE id=?1 AND tenant_id=?2";

/* The deadline kind of column i: -1 for none, or DL_COUNT when not one we know. */
static int kind_col(const struct stmt *q, int i)
{
    if (stmt_col_null(q, i))
        return -1;
    int64_t k = stmt_col_int(q, i);
    return k < -1 || k >= DL_COUNT ? DL_COUNT : (int)k;
}

int store_worklist(struct store *s, const char *tenant, const struct worklist_filter *f,
                   int (*cb)(void *arg, const struct worklist_row *r), void *arg,
                   struct lks_err *err)
{
    int rc = rows_check_worklist(f, err);
    if (rc)
        return rc;
    char like[2 * 96 + 3];
    if (f->text && !rows_like_pattern(f->text, like, sizeof like))
        return lks_err_set(err, LKS_EINVAL, "zoek", "too-long", "ten hoogste 95 tekens");
    int v = rows_worklist_variant(f);
    struct stmt q;
    rc = stmt_prepare(&q, s, stmt_is_pg(s) ? rows_worklist_pg[v] : rows_worklist_sqlite[v], "cases",
                      "het lezen van de werklijst", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_cstr(&q, 2,
                       f->status >= 0 ? case_status_name((enum case_status)f->status) : NULL);
        stmt_bind_cstr(&q, 3, f->case_worker);
        stmt_bind_cstr(&q, 4, f->employer_kvk);
        stmt_bind_cstr(&q, 5, f->text ? like : NULL);
        stmt_bind_cstr(&q, 6, f->text);
        stmt_bind_int(&q, 7, f->all ? 1 : 0);
        stmt_bind_int(&q, 8, f->limit);
        stmt_bind_int(&q, 9, f->offset);
    }
    while (rc == 0 && (rc = stmt_step(&q, err)) == 1) {
        struct worklist_row w;
        memset(&w, 0, sizeof w);
        struct case_summary *c = &w.c;
        c->id = stmt_col_int(&q, 0);
        int stn = stmt_col_null(&q, 1) ? -1 : case_status_parse(stmt_col_cstr(&q, 1));
        int kind = kind_col(&q, 7);
        if (stn < 0 || kind >= DL_COUNT) {
            rc = rows_corrupt(stn < 0 ? "status" : "termijn", err,
                              stn < 0 ? "onbekende status" : "onbekende soort termijn", c->id);
            break;
        }
        c->status = (enum case_status)stn;
        STMT_COL_STR(&q, 2, c->person_name);
        STMT_COL_STR(&q, 3, c->employer_name);
        STMT_COL_STR(&q, 4, c->case_worker);
        STMT_COL_STR(&q, 5, c->person_bsn);
        STMT_COL_STR(&q, 6, c->employer_kvk);
        w.next_kind = kind < 0 ? DL_BESLISTERMIJN : (enum dl_kind)kind;
        c->next_due = kind < 0 ? LKS_NO_DATE : stmt_col_date(&q, 8);
        w.total = stmt_col_int(&q, 9);
        rc = cb(arg, &w);
    }
    stmt_finish(&q);
    return rc;
}

int store_case_next(struct store *s, const char *tenant, int64_t id, bool *has,
                    struct case_deadline *out, struct lks_err *err)
{
    *has = false;
    memset(out, 0, sizeof *out);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_CASE_NEXT, "cases", "het lezen van de zaak", err);
    if (rc == 0) {
        stmt_bind_int(&q, 1, id);
        stmt_bind_cstr(&q, 2, tenant);
        rc = stmt_step(&q, err);
    }
    if (rc == 1) {
        int kind = kind_col(&q, 0);
        rc = kind >= DL_COUNT ? rows_corrupt("termijn", err, "onbekende soort termijn", id) : 0;
        *has = kind >= 0 && kind < DL_COUNT;
        out->kind = *has ? (enum dl_kind)kind : DL_BESLISTERMIJN;
        out->due = stmt_col_date(&q, 1);
        out->start = out->done = LKS_NO_DATE;
    } else if (rc == 0) {
        rc = rows_not_found(err, id);
    }
    stmt_finish(&q);
    return rc;
}

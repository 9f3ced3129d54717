/*
 * worklist_pg — the work list (store.h, store_worklist) on the PostgreSQL engine: the one
 * statement of rows.c in its PostgreSQL form (ILIKE for the name search).
 *
 * Errors: a PostgreSQL failure is an lks_err with a Dutch message and the server's text;
 * a row with an unknown status or deadline kind is LKS_EIO naming the case.
 */
#include <libpq-fe.h>
#include <string.h>

#include "store/pg_private.h"
#include "store/rows.h"
#include "store/store_engine.h"

int pg_worklist(struct pg_store *s, const char *tenant, const struct worklist_filter *f,
                int (*cb)(void *arg, const struct worklist_row *r), void *arg, struct lks_err *err)
{
    int rc = rows_check_worklist(f, err);
    if (rc || (rc = pg_schema_ready(s, err)))
        return rc;
    char like[2 * 96 + 3];
    if (f->text && !rows_like_pattern(f->text, like, sizeof like))
        return lks_err_set(err, LKS_EINVAL, "zoek", "too-long", "ten hoogste 95 tekens");
    struct pg_params *p = pg_params(s);
    pgp_cstr(p, tenant);
    pgp_cstr(p, f->status >= 0 ? case_status_name((enum case_status)f->status) : NULL);
    pgp_cstr(p, f->case_worker);
    pgp_cstr(p, f->employer_kvk);
    pgp_cstr(p, f->text ? like : NULL);
    pgp_cstr(p, f->text);
    pgp_int(p, f->all ? 1 : 0);
    pgp_int(p, f->limit);
    pgp_int(p, f->offset);
    PGresult *r = pg_run(s, rows_worklist_pg[rows_worklist_variant(f)], "cases",
                         "het lezen van de werklijst", err);
    if (!r)
        return err->code;
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct worklist_row w;
        memset(&w, 0, sizeof w);
        struct case_summary *c = &w.c;
        c->id = pg_col_int(r, i, 0);
        const char *status = pg_col_cstr(r, i, 1);
        int stn = status ? case_status_parse(status) : -1;
        int kind = PQgetisnull(r, i, 7) ? -1 : (int)pg_col_int(r, i, 7);
        if (stn < 0 || kind < -1 || kind >= DL_COUNT) {
            rc = rows_corrupt(stn < 0 ? "status" : "termijn", err,
                              stn < 0 ? "onbekende status" : "onbekende soort termijn", c->id);
            break;
        }
        c->status = (enum case_status)stn;
        pg_col_text(r, i, 2, c->person_name, sizeof c->person_name);
        pg_col_text(r, i, 3, c->employer_name, sizeof c->employer_name);
        pg_col_text(r, i, 4, c->case_worker, sizeof c->case_worker);
        pg_col_text(r, i, 5, c->person_bsn, sizeof c->person_bsn);
        pg_col_text(r, i, 6, c->employer_kvk, sizeof c->employer_kvk);
        w.next_kind = kind < 0 ? DL_BESLISTERMIJN : (enum dl_kind)kind;
        c->next_due = kind < 0 ? LKS_NO_DATE : pg_col_date(r, i, 8);
        w.total = pg_col_int(r, i, 9);
        rc = cb(arg, &w);
    }
    PQclear(r);
    return rc;
}

int pg_case_next(struct pg_store *s, const char *tenant, int64_t id, bool *has,
                 struct case_deadline *out, struct lks_err *err)
{
    *has = false;
    memset(out, 0, sizeof *out);
    int rc = pg_schema_ready(s, err);
    if (rc)
        return rc;
    struct pg_params *p = pg_params(s);
    pgp_int(p, id);
    pgp_cstr(p, tenant);
    PGresult *r = pg_run(s, "SELECT next_kind,next_due FROM cases WHERE id=$1 AND tenant_id=$2",
                         "cases", "het lezen van de zaak", err);
    if (!r)
        return err->code;
    if (PQntuples(r) == 0) {
        rc = rows_not_found(err, id);
    } else {
        int kind = PQgetisnull(r, 0, 0) ? -1 : (int)pg_col_int(r, 0, 0);
        if (kind < -1 || kind >= DL_COUNT)
            rc = rows_corrupt("termijn", err, "onbekende soort termijn", id);
        *has = kind >= 0;
        out->kind = kind < 0 ? DL_BESLISTERMIJN : (enum dl_kind)kind;
        out->due = pg_col_date(r, 0, 1);
        out->start = out->done = LKS_NO_DATE;
    }
    PQclear(r);
    return rc;
}

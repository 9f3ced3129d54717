/*
 * pay — the payment records (store_pay.h; migration 13), once for both engines on the
 * statement layer (stmt.h). A line's columns are named once (LINE_COLS) and read once
 * (read_line); the engines differ in nothing here but store_pay_cases, which reads whole
 * cases with the engine's case reader (sq_pay_cases, pg_pay_cases).
 *
 * A second live line for a case-month: the INSERT says ON CONFLICT DO NOTHING, which both
 * engines apply to the partial unique index pay_lines_live, so it writes nothing and
 * fails nothing; on PostgreSQL a concurrent insert of the same key waits for the other
 * transaction and then does nothing (or inserts, when that one rolled back), so the
 * caller's transaction is never aborted by it.
 *
 * Errors: every engine failure is an lks_err with a Dutch message plus the engine's text.
 */
#include <stdio.h>
#include <string.h>

#include "store/stmt.h"
#include "store/store_engine.h"
#include "store/store_pay.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

#define RUN_COLS                                                                                   \
    "r.id,r.tenant_id,r.month,r.status,r.prepared_by,r.prepared_at,r.approved_by,r.approved_at,"   \
    "r.execution,(SELECT count(*) FROM pay_lines l WHERE l.run_id=r.id AND l.status<>3),"          \
    "(SELECT coalesce(sum(l.amount),0) FROM pay_lines l WHERE l.run_id=r.id AND l.status<>3)"
#define LINE_COLS                                                                                  \
    "run_id,case_id,month,amount,status,status_on,iban,bic,creditor,street,postcode,town,"         \
    "country,reference,end_to_end,steps_json"

static const char SQL_RUN_CREATE[] =
    "INSERT INTO pay_runs(tenant_id,month,status,prepared_by,prepared_at,approved_by,"
    "approved_at,execution) VALUES(?1,?2,?3,?4,?5,?6,?7,?8) RETURNING id";
static const char SQL_RUN_GET[] =
    "SELECT " RUN_COLS " FROM pay_runs r WHERE r.tenant_id=?1 AND r.id=?2";
static const char SQL_RUN_LIST[] =
    "SELECT " RUN_COLS " FROM pay_runs r WHERE r.tenant_id=?1 ORDER BY r.month DESC, r.id DESC";
static const char SQL_LINE_ADD[] =
    "INSERT INTO pay_lines(tenant_id," LINE_COLS ") SELECT ?1,?2,?3,?4,?5,0,NULL,?6,?7,?8,?9,"
    "?10,?11,?12,?13,?14,?15 WHERE EXISTS (SELECT 1 FROM pay_runs WHERE id=?2 AND tenant_id=?1 "
    "AND status=0) ON CONFLICT DO NOTHING";
static const char SQL_RUN_LINES[] = "SELECT " LINE_COLS " FROM pay_lines WHERE tenant_id=?1 AND "
                                    "run_id=?2 ORDER BY case_id, month";
static const char SQL_CASE_LINES[] =
    "SELECT " LINE_COLS " FROM pay_lines WHERE tenant_id=?1 AND case_id=?2 AND status IN "
    "(0,1,2) ORDER BY month, run_id";
static const char SQL_RUN_STATUS[] =
    "UPDATE pay_runs SET status=?4,approved_by=CASE WHEN ?7=1 THEN ?5 ELSE approved_by END,"
    "approved_at=CASE WHEN ?7=1 THEN ?6 ELSE approved_at END "
    "WHERE id=?1 AND tenant_id=?2 AND status=?3";
static const char SQL_RUN_CANCEL_LINES[] = "UPDATE pay_lines SET status=3,status_on=?3 WHERE "
                                           "run_id=?1 AND tenant_id=?2 AND status=0";
static const char SQL_LINE_MARK[] =
    "UPDATE pay_lines SET status=?3,status_on=?4 WHERE tenant_id=?1 AND end_to_end=?2 AND "
    "status IN (0,1) AND run_id IN (SELECT id FROM pay_runs WHERE tenant_id=?1 AND status=1)";
static const char SQL_SETTLE_ADD[] =
    "INSERT INTO pay_settlements(tenant_id,case_id,from_date,to_date,hours,wage,due,paid,source,"
    "created_by,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) RETURNING id";
static const char SQL_SETTLE_LIST[] =
    "SELECT id,case_id,from_date,to_date,hours,wage,due,paid,source,created_by,created_at FROM "
    "pay_settlements WHERE tenant_id=?1 AND case_id=?2 ORDER BY id";
static const char SQL_RECOVER_ADD[] =
    "INSERT INTO pay_recoveries(tenant_id,case_id,settlement_id,amount,decided_on,setoff,"
    "reference,created_by,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) RETURNING id";
static const char SQL_RECOVER_LIST[] =
    "SELECT id,case_id,settlement_id,amount,decided_on,setoff,reference,created_by,created_at "
    "FROM pay_recoveries WHERE tenant_id=?1 AND case_id=?2 ORDER BY id";

static void read_run(const struct stmt *q, struct payrun *r)
{
    memset(r, 0, sizeof *r);
    r->id = stmt_col_int(q, 0);
    STMT_COL_STR(q, 1, r->tenant);
    r->month = stmt_col_date(q, 2);
    r->status = (enum payrun_status)stmt_col_int(q, 3);
    STMT_COL_STR(q, 4, r->prepared_by);
    r->prepared_at = stmt_col_int(q, 5);
    STMT_COL_STR(q, 6, r->approved_by);
    r->approved_at = stmt_col_int(q, 7);
    r->execution = stmt_col_date(q, 8);
    r->nlines = stmt_col_int(q, 9);
    r->total = stmt_col_int(q, 10);
}

static void read_line(const struct stmt *q, struct payline *l)
{
    memset(l, 0, sizeof *l);
    int c = 0;
    l->run_id = stmt_col_int(q, c++);
    l->case_id = stmt_col_int(q, c++);
    l->month = stmt_col_date(q, c++);
    l->amount = stmt_col_int(q, c++);
    l->status = (enum payline_status)stmt_col_int(q, c++);
    l->status_on = stmt_col_date(q, c++);
    STMT_COL_STR(q, c++, l->iban);
    STMT_COL_STR(q, c++, l->bic);
    STMT_COL_STR(q, c++, l->creditor);
    STMT_COL_STR(q, c++, l->street);
    STMT_COL_STR(q, c++, l->postcode);
    STMT_COL_STR(q, c++, l->town);
    STMT_COL_STR(q, c++, l->country);
    STMT_COL_STR(q, c++, l->reference);
    STMT_COL_STR(q, c++, l->end_to_end);
    STMT_COL_STR(q, c++, l->steps_json);
}

/* Bind 1 tenant, 2 an id, step, and hand every row to each(). */
typedef int (*row_fn)(const struct stmt *q, void *ctx);

static int each_row(struct store *s, const char *sql, const char *tenant, int64_t id,
                    const char *field, const char *what, row_fn each, void *ctx,
                    struct lks_err *err)
{
    struct stmt q;
    int rc = stmt_prepare(&q, s, sql, field, what, err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        if (id)
            stmt_bind_int(&q, 2, id);
        while ((rc = stmt_step(&q, err)) == 1)
            if ((rc = each(&q, ctx)) != 0)
                break;
    }
    stmt_finish(&q);
    return rc;
}

static int one_run(const struct stmt *q, void *ctx)
{
    read_run(q, ctx);
    return 1; /* found: stop */
}

int store_payrun_get(struct store *s, const char *tenant, int64_t id, struct payrun *out,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    int rc = each_row(s, SQL_RUN_GET, tenant, id, "betaalrun", "het lezen van een betaalrun",
                      one_run, out, err);
    if (rc == 0)
        return lks_err_set(err, LKS_ENOTFOUND, "betaalrun", "not-found",
                           "betaalrun %lld bestaat niet", (long long)id);
    return rc < 0 ? rc : 0;
}

struct run_cb {
    int (*cb)(void *arg, const struct payrun *r);
    void *arg;
};

static int each_run(const struct stmt *q, void *ctx)
{
    const struct run_cb *c = ctx;
    struct payrun r;
    read_run(q, &r);
    return c->cb(c->arg, &r);
}

int store_payrun_list(struct store *s, const char *tenant,
                      int (*cb)(void *arg, const struct payrun *r), void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    struct run_cb c = {cb, arg};
    return each_row(s, SQL_RUN_LIST, tenant, 0, "betaalrun", "het lezen van de betaalruns",
                    each_run, &c, err);
}

struct line_cb {
    int (*cb)(void *arg, const struct payline *l);
    void *arg;
};

static int each_line(const struct stmt *q, void *ctx)
{
    const struct line_cb *c = ctx;
    struct payline l;
    read_line(q, &l);
    return c->cb(c->arg, &l);
}

int store_payrun_lines(struct store *s, const char *tenant, int64_t run_id,
                       int (*cb)(void *arg, const struct payline *l), void *arg,
                       struct lks_err *err)
{
    ERR_GUARD(err);
    struct line_cb c = {cb, arg};
    return each_row(s, SQL_RUN_LINES, tenant, run_id, "betaalregels",
                    "het lezen van de betaalregels", each_line, &c, err);
}

int store_case_paylines(struct store *s, const char *tenant, int64_t case_id,
                        int (*cb)(void *arg, const struct payline *l), void *arg,
                        struct lks_err *err)
{
    ERR_GUARD(err);
    struct line_cb c = {cb, arg};
    return each_row(s, SQL_CASE_LINES, tenant, case_id, "betaalregels",
                    "het lezen van de betalingen van een zaak", each_line, &c, err);
}

int store_payrun_create(struct store *s, struct payrun *run, struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_RUN_CREATE, "betaalrun", "het maken van een betaalrun", err);
    if (rc == 0) {
        STMT_BIND_STR(&q, 1, run->tenant);
        stmt_bind_date(&q, 2, run->month);
        stmt_bind_int(&q, 3, run->status);
        STMT_BIND_STR(&q, 4, run->prepared_by);
        stmt_bind_int(&q, 5, run->prepared_at);
        STMT_BIND_STR(&q, 6, run->approved_by);
        stmt_bind_int(&q, 7, run->approved_at);
        stmt_bind_date(&q, 8, run->execution);
        rc = stmt_step(&q, err);
        if (rc == 1) {
            run->id = stmt_col_int(&q, 0);
            rc = 0;
        } else if (rc == 0) {
            rc = lks_err_set(err, LKS_EIO, "betaalrun", "internal",
                             "interne fout: de database gaf geen nummer voor de betaalrun");
        }
    }
    stmt_finish(&q);
    return rc;
}

/* Why nothing was written for a run: it does not exist for the tenant, or is not `want`. */
static int run_refused(struct store *s, const char *tenant, int64_t id, enum payrun_status want,
                       bool *in_state, struct lks_err *err)
{
    struct payrun r;
    int rc = store_payrun_get(s, tenant, id, &r, err);
    if (rc)
        return rc;
    *in_state = r.status == want;
    return 0;
}

int store_payline_add(struct store *s, const char *tenant, const struct payline *l, bool *taken,
                      struct lks_err *err)
{
    ERR_GUARD(err);
    *taken = false;
    struct stmt q;
    int rc =
        stmt_prepare(&q, s, SQL_LINE_ADD, "betaalregel", "het toevoegen van een betaalregel", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_int(&q, 2, l->run_id);
        stmt_bind_int(&q, 3, l->case_id);
        stmt_bind_date(&q, 4, l->month);
        stmt_bind_int(&q, 5, l->amount);
        STMT_BIND_STR(&q, 6, l->iban);
        STMT_BIND_STR(&q, 7, l->bic);
        STMT_BIND_STR(&q, 8, l->creditor);
        STMT_BIND_STR(&q, 9, l->street);
        STMT_BIND_STR(&q, 10, l->postcode);
        STMT_BIND_STR(&q, 11, l->town);
        STMT_BIND_STR(&q, 12, l->country);
        STMT_BIND_STR(&q, 13, l->reference);
        STMT_BIND_STR(&q, 14, l->end_to_end);
        STMT_BIND_STR(&q, 15, l->steps_json);
        rc = stmt_step(&q, err);
    }
    int64_t changed = stmt_changes(&q);
    stmt_finish(&q);
    if (rc < 0 || changed > 0)
        return rc < 0 ? rc : 0;
    bool concept = false;
    if ((rc = run_refused(s, tenant, l->run_id, PAYRUN_CONCEPT, &concept, err)) != 0)
        return rc;
    if (!concept)
        return lks_err_set(err, LKS_ESTATE, "betaalrun", "not-concept",
                           "betaalrun %lld is geen concept meer", (long long)l->run_id);
    *taken = true;
    return 0;
}

int store_payrun_status(struct store *s, const char *tenant, int64_t id, enum payrun_status from,
                        enum payrun_status to, const char *by, int64_t at, struct lks_err *err)
{
    ERR_GUARD(err);
    if (!((from == PAYRUN_CONCEPT && (to == PAYRUN_APPROVED || to == PAYRUN_CANCELLED)) ||
          (from == PAYRUN_APPROVED && to == PAYRUN_CANCELLED)))
        return lks_err_set(err, LKS_EINVAL, "status", "transition",
                           "een betaalrun gaat niet van status %d naar %d", (int)from, (int)to);
    bool own = !stmt_in_tx(s);
    int rc = own ? store_begin(s, err) : 0;
    struct stmt q;
    if (rc == 0 && (rc = stmt_prepare(&q, s, SQL_RUN_STATUS, "betaalrun",
                                      "het wijzigen van de status van een betaalrun", err)) == 0) {
        stmt_bind_int(&q, 1, id);
        stmt_bind_cstr(&q, 2, tenant);
        stmt_bind_int(&q, 3, from);
        stmt_bind_int(&q, 4, to);
        stmt_bind_cstr(&q, 5, by ? by : "");
        stmt_bind_int(&q, 6, at);
        stmt_bind_int(&q, 7, to == PAYRUN_APPROVED);
        rc = stmt_step(&q, err);
        if (rc == 0 && stmt_changes(&q) == 0) {
            stmt_finish(&q);
            bool in_from = false;
            rc = run_refused(s, tenant, id, from, &in_from, err);
            if (rc == 0)
                rc = lks_err_set(err, LKS_ESTATE, "betaalrun", "changed",
                                 "betaalrun %lld heeft niet meer de verwachte status",
                                 (long long)id);
        } else {
            stmt_finish(&q);
        }
    }
    if (rc == 0 && to == PAYRUN_CANCELLED &&
        (rc = stmt_prepare(&q, s, SQL_RUN_CANCEL_LINES, "betaalregels",
                           "het vrijgeven van de maanden van een betaalrun", err)) == 0) {
        stmt_bind_int(&q, 1, id);
        stmt_bind_cstr(&q, 2, tenant);
        stmt_bind_date(&q, 3, (lks_date)(at / 86400));
        rc = stmt_step(&q, err);
        stmt_finish(&q);
    }
    if (own) {
        if (rc == 0)
            rc = store_commit(s, err);
        else
            store_rollback(s);
    }
    return rc;
}

int store_payline_mark(struct store *s, const char *tenant, const char *end_to_end,
                       enum payline_status st, lks_date on, struct lks_err *err)
{
    ERR_GUARD(err);
    if (st != PAYLINE_PAID && st != PAYLINE_RETURNED)
        return lks_err_set(err, LKS_EINVAL, "status", "invalid",
                           "de bank meldt een regel alleen betaald of teruggeboekt");
    struct stmt q;
    int rc =
        stmt_prepare(&q, s, SQL_LINE_MARK, "betaalregel", "het verwerken van een bankmelding", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_cstr(&q, 2, end_to_end);
        stmt_bind_int(&q, 3, st);
        stmt_bind_date(&q, 4, on);
        rc = stmt_step(&q, err);
    }
    if (rc == 0 && stmt_changes(&q) == 0)
        rc = lks_err_set(err, LKS_ENOTFOUND, "end_to_end", "not-found",
                         "geen openstaande betaalregel met kenmerk %s", end_to_end);
    stmt_finish(&q);
    return rc;
}

/* An INSERT ... RETURNING id: sets *id. */
static int returning_id(struct stmt *q, int64_t *id, struct lks_err *err)
{
    int rc = stmt_step(q, err);
    if (rc == 1) {
        *id = stmt_col_int(q, 0);
        return 0;
    }
    if (rc == 0)
        rc = lks_err_set(err, LKS_EIO, q->field, "internal",
                         "interne fout: de database gaf geen nummer");
    return rc;
}

int store_settlement_add(struct store *s, const char *tenant, struct paysettlement *x,
                         struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_SETTLE_ADD, "vaststelling", "het opslaan van een vaststelling",
                          err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_int(&q, 2, x->case_id);
        stmt_bind_date(&q, 3, x->from);
        stmt_bind_date(&q, 4, x->to);
        stmt_bind_int(&q, 5, x->hours);
        stmt_bind_int(&q, 6, x->wage);
        stmt_bind_int(&q, 7, x->due);
        stmt_bind_int(&q, 8, x->paid);
        STMT_BIND_STR(&q, 9, x->source);
        STMT_BIND_STR(&q, 10, x->created_by);
        stmt_bind_int(&q, 11, x->created_at);
        rc = returning_id(&q, &x->id, err);
    }
    stmt_finish(&q);
    return rc;
}

int store_recovery_add(struct store *s, const char *tenant, struct payrecovery *x,
                       struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_RECOVER_ADD, "terugvordering",
                          "het opslaan van een terugvordering", err);
    if (rc == 0) {
        stmt_bind_cstr(&q, 1, tenant);
        stmt_bind_int(&q, 2, x->case_id);
        if (x->settlement_id)
            stmt_bind_int(&q, 3, x->settlement_id);
        else
            stmt_bind_null(&q, 3);
        stmt_bind_int(&q, 4, x->amount);
        stmt_bind_date(&q, 5, x->decided_on);
        stmt_bind_int(&q, 6, x->setoff ? 1 : 0);
        STMT_BIND_STR(&q, 7, x->reference);
        STMT_BIND_STR(&q, 8, x->created_by);
        stmt_bind_int(&q, 9, x->created_at);
        rc = returning_id(&q, &x->id, err);
    }
    stmt_finish(&q);
    return rc;
}

struct settle_cb {
    int (*cb)(void *arg, const struct paysettlement *x);
    void *arg;
};

static int each_settlement(const struct stmt *q, void *ctx)
{
    const struct settle_cb *c = ctx;
    struct paysettlement x;
    memset(&x, 0, sizeof x);
    x.id = stmt_col_int(q, 0);
    x.case_id = stmt_col_int(q, 1);
    x.from = stmt_col_date(q, 2);
    x.to = stmt_col_date(q, 3);
    x.hours = (int32_t)stmt_col_int(q, 4);
    x.wage = stmt_col_int(q, 5);
    x.due = stmt_col_int(q, 6);
    x.paid = stmt_col_int(q, 7);
    STMT_COL_STR(q, 8, x.source);
    STMT_COL_STR(q, 9, x.created_by);
    x.created_at = stmt_col_int(q, 10);
    return c->cb(c->arg, &x);
}

int store_settlements(struct store *s, const char *tenant, int64_t case_id,
                      int (*cb)(void *arg, const struct paysettlement *x), void *arg,
                      struct lks_err *err)
{
    ERR_GUARD(err);
    struct settle_cb c = {cb, arg};
    return each_row(s, SQL_SETTLE_LIST, tenant, case_id, "vaststelling",
                    "het lezen van de vaststellingen", each_settlement, &c, err);
}

struct recover_cb {
    int (*cb)(void *arg, const struct payrecovery *x);
    void *arg;
};

static int each_recovery(const struct stmt *q, void *ctx)
{
    const struct recover_cb *c = ctx;
    struct payrecovery x;
    memset(&x, 0, sizeof x);
    x.id = stmt_col_int(q, 0);
    x.case_id = stmt_col_int(q, 1);
    x.settlement_id = stmt_col_null(q, 2) ? 0 : stmt_col_int(q, 2);
    x.amount = stmt_col_int(q, 3);
    x.decided_on = stmt_col_date(q, 4);
    x.setoff = stmt_col_int(q, 5) != 0;
    STMT_COL_STR(q, 6, x.reference);
    STMT_COL_STR(q, 7, x.created_by);
    x.created_at = stmt_col_int(q, 8);
    return c->cb(c->arg, &x);
}

int store_recoveries(struct store *s, const char *tenant, int64_t case_id,
                     int (*cb)(void *arg, const struct payrecovery *x), void *arg,
                     struct lks_err *err)
{
    ERR_GUARD(err);
    struct recover_cb c = {cb, arg};
    return each_row(s, SQL_RECOVER_LIST, tenant, case_id, "terugvordering",
                    "het lezen van de terugvorderingen", each_recovery, &c, err);
}

int store_pay_cases(struct store *s, const char *tenant,
                    int (*cb)(void *arg, const struct case_state *cs), void *arg,
                    struct lks_err *err)
{
    ERR_GUARD(err);
    return s->pg ? pg_pay_cases(s->pg, tenant, cb, arg, err)
                 : sq_pay_cases(s->sq, tenant, cb, arg, err);
}

/* ---- the live months of every case, the municipality's account ---- */

static const char SQL_LIVE[] =
    "SELECT case_id, min(month), max(month), count(*) FROM pay_lines WHERE tenant_id=?1 AND "
    "status IN (0,1) GROUP BY case_id ORDER BY case_id";
static const char SQL_SETTINGS_GET[] =
    "SELECT tenant_id,name,iban,bic,street,postcode,town,country,updated_by,updated_at FROM "
    "pay_settings WHERE tenant_id=?1";
static const char SQL_SETTINGS_PUT[] =
    "INSERT INTO pay_settings(tenant_id,name,iban,bic,street,postcode,town,country,updated_by,"
    "updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT (tenant_id) DO UPDATE SET "
    "name=excluded.name,iban=excluded.iban,bic=excluded.bic,street=excluded.street,"
    "postcode=excluded.postcode,town=excluded.town,country=excluded.country,"
    "updated_by=excluded.updated_by,updated_at=excluded.updated_at";

struct live_ctx {
    int (*cb)(void *arg, int64_t case_id, lks_date first, lks_date last, int64_t n);
    void *arg;
};

static int live_row(const struct stmt *q, void *ctx)
{
    struct live_ctx *c = ctx;
    return c->cb(c->arg, stmt_col_int(q, 0), stmt_col_date(q, 1), stmt_col_date(q, 2),
                 stmt_col_int(q, 3));
}

int store_pay_live(struct store *s, const char *tenant,
                   int (*cb)(void *arg, int64_t case_id, lks_date first, lks_date last, int64_t n),
                   void *arg, struct lks_err *err)
{
    ERR_GUARD(err);
    struct live_ctx c = {cb, arg};
    return each_row(s, SQL_LIVE, tenant, 0, "betaalregels", "het lezen van de betaalde maanden",
                    live_row, &c, err);
}

static int settings_row(const struct stmt *q, void *ctx)
{
    struct pay_settings *o = ctx;
    STMT_COL_STR(q, 0, o->tenant);
    STMT_COL_STR(q, 1, o->name);
    STMT_COL_STR(q, 2, o->iban);
    STMT_COL_STR(q, 3, o->bic);
    STMT_COL_STR(q, 4, o->street);
    STMT_COL_STR(q, 5, o->postcode);
    STMT_COL_STR(q, 6, o->town);
    STMT_COL_STR(q, 7, o->country);
    STMT_COL_STR(q, 8, o->updated_by);
    o->updated_at = stmt_col_int(q, 9);
    return 1;
}

int store_pay_settings_get(struct store *s, const char *tenant, struct pay_settings *out,
                           struct lks_err *err)
{
    ERR_GUARD(err);
    memset(out, 0, sizeof *out);
    int rc = each_row(s, SQL_SETTINGS_GET, tenant, 0, "instellingen",
                      "het lezen van de betaalrekening", settings_row, out, err);
    if (rc == 1)
        return 0;
    if (rc == 0)
        return lks_err_set(err, LKS_ENOTFOUND, "instellingen", "not-found",
                           "de gemeente heeft geen betaalrekening ingesteld");
    return rc;
}

int store_pay_settings_put(struct store *s, const struct pay_settings *in, struct lks_err *err)
{
    ERR_GUARD(err);
    struct stmt q;
    int rc = stmt_prepare(&q, s, SQL_SETTINGS_PUT, "instellingen",
                          "het bewaren van de betaalrekening", err);
    if (rc == 0) {
        STMT_BIND_STR(&q, 1, in->tenant);
        STMT_BIND_STR(&q, 2, in->name);
        STMT_BIND_STR(&q, 3, in->iban);
        STMT_BIND_STR(&q, 4, in->bic);
        STMT_BIND_STR(&q, 5, in->street);
        STMT_BIND_STR(&q, 6, in->postcode);
        STMT_BIND_STR(&q, 7, in->town);
        STMT_BIND_STR(&q, 8, in->country);
        STMT_BIND_STR(&q, 9, in->updated_by);
        stmt_bind_int(&q, 10, in->updated_at);
        rc = stmt_step(&q, err);
        if (rc > 0)
            rc = 0;
    }
    stmt_finish(&q);
    return rc;
}

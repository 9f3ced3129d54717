/*
 * rows — see rows.h.
 */
#include "store/rows.h"

#include <string.h>

#include "case/process.h"

const struct rows_child rows_child[NCHILD] = {
    {"measurements",
     "method,expert,requested,measured,reported,loonwaarde,reference_job,report_doc,cost,next_date",
     CASE_MAX_MEASUREMENTS},
    {"decisions",
     "kind,sent,from_date,to_date,peildatum,loonwaarde,amount,subsidy,allowance,objection_due,"
     "reason",
     CASE_MAX_DECISIONS},
    {"payments", "month,amount,paid,iban", CASE_MAX_PAYMENTS},
    {"provisions", "kind,start,end_date,hours,cost,ended,end_reason,motivation",
     CASE_MAX_PROVISIONS},
    {"objections", "received,due,committee,deferred,decided,outcome,subject", CASE_MAX_OBJECTIONS},
    {"costs", "kind,date,amount,what", CASE_MAX_COSTS},
};

int rows_ncols(const char *cols)
{
    int n = 1;
    for (const char *p = cols; *p; p++)
        n += *p == ',';
    return n;
}

int rows_corrupt(const char *field, struct lks_err *err, const char *detail, int64_t id)
{
    return lks_err_set(err, LKS_EIO, field, "corrupt",
                       "onverwachte gegevens in de database (%s, zaak %lld)", detail,
                       (long long)id);
}

const char *rows_tenant_kind_name(enum tenant_kind k)
{
    return k == TENANT_SERVICEPUNT ? "servicepunt" : "gemeente";
}

int rows_child_count(const struct case_state *cs, int k)
{
    switch (k) {
    case CH_MEAS:
        return cs->nmeasurements;
    case CH_DEC:
        return cs->ndecisions;
    case CH_PAY:
        return cs->npayments;
    case CH_PROV:
        return cs->nprovisions;
    case CH_OBJ:
        return cs->nobjections;
    default:
        return cs->ncosts;
    }
}

void rows_set_child_count(struct case_state *cs, int k, int n)
{
    switch (k) {
    case CH_MEAS:
        cs->nmeasurements = n;
        break;
    case CH_DEC:
        cs->ndecisions = n;
        break;
    case CH_PAY:
        cs->npayments = n;
        break;
    case CH_PROV:
        cs->nprovisions = n;
        break;
    case CH_OBJ:
        cs->nobjections = n;
        break;
    default:
        cs->ncosts = n;
        break;
    }
}

unsigned rows_child_part(int k)
{
    static const unsigned part[NCHILD] = {
        [CH_MEAS] = PART_MEASUREMENTS, [CH_DEC] = PART_DECISIONS,  [CH_PAY] = PART_PAYMENTS,
        [CH_PROV] = PART_PROVISIONS,   [CH_OBJ] = PART_OBJECTIONS, [CH_COST] = PART_COSTS,
    };
    return part[k];
}

int rows_not_found(struct lks_err *err, int64_t id)
{
    return lks_err_set(err, LKS_ENOTFOUND, "zaak", "not-found", "zaak %lld bestaat niet",
                       (long long)id);
}

int rows_check_save(const struct case_state *cs, const struct case_event *ev,
                    const struct case_deadline *dl, int ndl, struct lks_err *err)
{
    if (!ev)
        return lks_err_set(err, LKS_EINVAL, "gebeurtenis", "missing", "de gebeurtenis ontbreekt");
    if (cs->id <= 0 || strnlen(cs->tenant, sizeof cs->tenant) == 0)
        return lks_err_set(err, LKS_EINVAL, "zaak", "missing",
                           "zaaknummer of gemeente van de zaak ontbreekt");
    if (cs->employer.id <= 0)
        return lks_err_set(err, LKS_EINVAL, "werkgever", "not-registered",
                           "de werkgever van de zaak is niet geregistreerd");
    if (cs->person.id <= 0)
        return lks_err_set(err, LKS_EINVAL, "werknemer", "not-registered",
                           "de werknemer van de zaak is niet geregistreerd");
    if (ev->seq != cs->version || ev->seq <= 0)
        return lks_err_set(err, LKS_EINVAL, "seq", "seq-mismatch",
                           "volgnummer %lld van de gebeurtenis past niet bij versie %lld van de "
                           "zaak",
                           (long long)ev->seq, (long long)cs->version);
    if ((unsigned)ev->type >= EV_COUNT || (unsigned)ev->role >= ROLE_COUNT ||
        (unsigned)cs->status >= ST_COUNT)
        return lks_err_set(err, LKS_EINVAL, "gebeurtenis", "invalid",
                           "onbekend soort gebeurtenis, rol of status");
    for (int k = 0; k < NCHILD; k++) {
        int n = rows_child_count(cs, k);
        if (n < 0 || n > rows_child[k].max)
            return lks_err_set(err, LKS_EINVAL, rows_child[k].table, "capacity",
                               "te veel regels in %s (%d, ten hoogste %d)", rows_child[k].table, n,
                               rows_child[k].max);
    }
    if (cs->nmissing < 0 || cs->nmissing > CASE_MAX_MISSING)
        return lks_err_set(err, LKS_EINVAL, "missing", "capacity",
                           "te veel ontbrekende stukken (%d)", cs->nmissing);
    if (ndl < 0 || ndl > CASE_MAX_DEADLINES || (ndl > 0 && !dl))
        return lks_err_set(err, LKS_EINVAL, "deadlines", "capacity", "ongeldige termijnenlijst");
    return 0;
}

int rows_schema_too_new(const char *db, int found, int known, struct lks_err *err)
{
    return lks_err_set(err, LKS_ESTATE, "schema_version", "schema-newer",
                       "de database '%s' heeft schemaversie %d; deze versie van lks kent alleen "
                       "tot en met %d: werk lks bij",
                       db, found, known);
}

int rows_schema_ready(const char *db, int found, int known, struct lks_err *err)
{
    if (found == known)
        return 0;
    if (found > known)
        return rows_schema_too_new(db, found, known, err);
    return lks_err_set(err, LKS_ESTATE, "schema_version", "schema-older",
                       "de database '%s' heeft schemaversie %d, lks verwacht %d: werk haar eerst "
                       "bij met 'lks init --db %s'",
                       db, found, known, db);
}

int rows_save_children(const struct rows_sink *w, const struct case_state *cs, unsigned parts,
                       struct lks_err *err)
{
    if ((parts & PART_PAYMENT_ADDED) && !(parts & PART_PAYMENTS) && cs->npayments > 0) {
        int rc = w->put_child(w->ctx, cs, CH_PAY, cs->npayments - 1, err);
        if (rc)
            return rc;
    }
    for (int k = 0; k < NCHILD; k++) {
        if (!(parts & rows_child_part(k)))
            continue;
        int n = rows_child_count(cs, k);
        for (int j = 0; j < n; j++) {
            int rc = w->put_child(w->ctx, cs, k, j, err);
            if (rc)
                return rc;
        }
        if (parts == PART_ALL) {
            int rc = w->trim_child(w->ctx, cs, k, n, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static bool deadline_same(const struct case_deadline *a, const struct case_deadline *b)
{
    return a->kind == b->kind && a->index == b->index && a->start == b->start && a->due == b->due &&
           a->done == b->done;
}

static bool next_same(const struct case_deadline *a, const struct case_deadline *b)
{
    return a == b || (a && b && a->kind == b->kind && a->due == b->due);
}

int rows_save_deadlines(const struct rows_sink *w, const struct case_state *cs,
                        const struct case_deadline *old, int nold, const struct case_deadline *dl,
                        int ndl, struct lks_err *err)
{
    for (int i = 0; i < ndl; i++) {
        if (i < nold && deadline_same(&old[i], &dl[i]))
            continue;
        int rc = w->put_deadline(w->ctx, cs, i, &dl[i], err);
        if (rc)
            return rc;
    }
    int rc = nold > ndl ? w->trim_deadlines(w->ctx, cs, ndl, err) : 0;
    /* A new case's row has none yet (NULL); a later one the old deadlines' next. */
    const struct case_deadline *was = case_next_deadline(old, nold);
    const struct case_deadline *next = case_next_deadline(dl, ndl);
    if (rc == 0 && !next_same(was, next))
        rc = w->put_next(w->ctx, cs, next, err);
    return rc;
}

bool rows_parties_due(const struct case_state *cs, unsigned parts)
{
    return (parts & PART_PARTIES) || cs->version == 1;
}

/* ---- the work list ---- */

/* The cases of the filters by the most urgent open deadline on the case row (next_due,
 * migration 11; none last), then id, a page of them, with their count; the case's parties
 * are joined only for the rows of the page (the filters on them ask by EXISTS). P is the
 * dialect's parameter sign, LIKE its case-insensitive LIKE; ST and WK the status and
 * worker condition: the column's equality when the filter is given, else a test of the
 * parameter alone, so that SQLite (which plans once per text, not per value) walks the
 * index (tenant_id, status | case_worker, next_due, id) in the page's order and stops at
 * the page's end. The count is an uncorrelated subquery: computed once.
 *
 * Before migration 11 the next deadline was looked up per case in its deadline rows, and
 * every matching case was read and sorted for each page: 4.1 ms for the first page at
 * 10,000 cases (docs/performance.md). */
#define WL_WHERE(P, LIKE, ST, WK)                                                                  \
    " WHERE c.tenant_id=" P "1 AND " ST " AND " WK " AND (CAST(" P                                 \
    "4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM employers e4"                                     \
    " WHERE e4.id=c.employer_id AND e4.kvk=" P "4))"                                               \
    " AND (CAST(" P "5 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM persons p5"                       \
    " WHERE p5.id=c.person_id AND p5.name " LIKE " " P "5 ESCAPE '\\')"                            \
    " OR EXISTS (SELECT 1 FROM employers e5 WHERE e5.id=c.employer_id AND (e5.name " LIKE " " P    \
    "5 ESCAPE '\\' OR e5.kvk=CAST(" P "6 AS TEXT))) OR CAST(c.id AS TEXT)=" P "6)"                 \
    " AND (CAST(" P "7 AS INTEGER)=1 OR c.next_due IS NOT NULL)"
#define WORKLIST_SQL(P, LIKE, ST, WK, ORD)                                                         \
    "SELECT w.id,w.status,p.name,e.name,w.case_worker,p.bsn,e.kvk,w.next_kind,w.next_due,"         \
    "(SELECT count(*) FROM cases c" WL_WHERE(                                                      \
        P, LIKE, ST,                                                                               \
        WK) ") FROM"                                                                               \
            " (SELECT "                                                                            \
            "c.id,c.status,c.case_worker,c.person_id,c.employer_id,c.next_kind,c.next_due"         \
            " FROM cases c" WL_WHERE(P, LIKE, ST, WK) " ORDER BY " ORD(                            \
                "c") " LIMIT " P "8 OFFSET " P "9) w"                                              \
                     " JOIN persons p ON p.id=w.person_id JOIN employers e ON e.id=w.employer_id"  \
                     " ORDER BY " ORD("w")
#define WL_ST_ANY(P) "CAST(" P "2 AS TEXT) IS NULL"
#define WL_ST_ONE(P) "c.status=" P "2"
#define WL_WK_ANY(P) "CAST(" P "3 AS TEXT) IS NULL"
#define WL_WK_ONE(P) "c.case_worker=" P "3"
/* the order of the page: the most urgent first, or (newest) the latest case first */
#define WL_URGENT(T) T ".next_due NULLS LAST, " T ".id"
#define WL_NEWEST(T) T ".id DESC"
#define WORKLIST_SQLS(P, LIKE)                                                                     \
    {                                                                                              \
        WORKLIST_SQL(P, LIKE, WL_ST_ANY(P), WL_WK_ANY(P), WL_URGENT),                              \
            WORKLIST_SQL(P, LIKE, WL_ST_ONE(P), WL_WK_ANY(P), WL_URGENT),                          \
            WORKLIST_SQL(P, LIKE, WL_ST_ANY(P), WL_WK_ONE(P), WL_URGENT),                          \
            WORKLIST_SQL(P, LIKE, WL_ST_ONE(P), WL_WK_ONE(P), WL_URGENT),                          \
            WORKLIST_SQL(P, LIKE, WL_ST_ANY(P), WL_WK_ANY(P), WL_NEWEST),                          \
            WORKLIST_SQL(P, LIKE, WL_ST_ONE(P), WL_WK_ANY(P), WL_NEWEST),                          \
            WORKLIST_SQL(P, LIKE, WL_ST_ANY(P), WL_WK_ONE(P), WL_NEWEST),                          \
            WORKLIST_SQL(P, LIKE, WL_ST_ONE(P), WL_WK_ONE(P), WL_NEWEST)                           \
    }

const char *const rows_worklist_sqlite[8] = WORKLIST_SQLS("?", "LIKE");
const char *const rows_worklist_pg[8] = WORKLIST_SQLS("$", "ILIKE");

int rows_worklist_variant(const struct worklist_filter *f)
{
    return (f->status >= 0 ? 1 : 0) | (f->case_worker ? 2 : 0) | (f->newest ? 4 : 0);
}

bool rows_like_pattern(const char *text, char *out, size_t n)
{
    size_t k = 0;
    if (n < 3)
        return false;
    out[k++] = '%';
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') {
            if (k + 1 >= n)
                return false;
            out[k++] = '\\';
        }
        if (k + 2 >= n)
            return false;
        out[k++] = *p;
    }
    out[k++] = '%';
    out[k] = '\0';
    return true;
}

int rows_check_worklist(const struct worklist_filter *f, struct lks_err *err)
{
    if (f->status < -1 || f->status >= ST_COUNT)
        return lks_err_set(err, LKS_EINVAL, "status", "invalid", "onbekende status");
    if (f->limit < 1 || f->limit > 1000)
        return lks_err_set(err, LKS_EINVAL, "limit", "out-of-range", "1 tot 1000 regels");
    if (f->offset < 0)
        return lks_err_set(err, LKS_EINVAL, "offset", "out-of-range", "niet negatief");
    if (f->text && strlen(f->text) > 95)
        return lks_err_set(err, LKS_EINVAL, "zoek", "too-long", "ten hoogste 95 tekens");
    return 0;
}

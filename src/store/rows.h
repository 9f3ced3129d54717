/*
 * rows — the relational layout of a case that both engines share (private to
 * src/store): the columns of the person, employer and case rows, the child
 * tables that hold the case's lists, and small helpers on them. The SQL itself
 * differs per engine (sqlite.c, pg.c); what the rows are is said once, here.
 */
#ifndef LKS_STORE_ROWS_H
#define LKS_STORE_ROWS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "case/event.h"
#include "case/model.h"
#include "case/process.h"
#include "store/store.h"

#define PERSON_FIELDS                                                                              \
    "bsn,name,birth,sex,address,postcode,city,household,benefit,benefit_start,wsw,version"
#define PERSON_NFIELDS 12
#define EMPLOYER_FIELDS                                                                            \
    "kvk,name,address,postcode,city,iban,employees,fulltime_hours,own_insurance,iban_proposed,"    \
    "iban_proposed_by,iban_proposed_on,version"
#define EMPLOYER_NFIELDS 13
#define CASE_FIELDS                                                                                \
    "person_id,employer_id,status,version,case_worker,applicant,applied,complete,"                 \
    "info_requested,info_wait_days,missing,pl_start,pl_end,pl_hours,pl_wage,pl_job_title,"         \
    "pl_staff_number,pl_kind,pl_ended,pl_end_reason,test_done,test_voluntary,test_started,"        \
    "test_decided,test_outcome,test_limitation,test_explanation,forfait,forfait_from,"             \
    "decision_basis,closed,close_reason"
#define DEADLINE_FIELDS "pos,kind,idx,start,due,done"

/* The case's arrays, each a child table keyed by (case_id, idx). */
enum child { CH_MEAS, CH_DEC, CH_PAY, CH_PROV, CH_OBJ, CH_COST, NCHILD };

struct rows_child {
    const char *table;
    const char *fields;
    int max;
};
extern const struct rows_child rows_child[NCHILD];

/*
 * The work list's statement (store_worklist), one text per dialect and variant
 * (rows_worklist_variant: whether the status and the worker filter are given, and
 * whether the newest case comes first): parameters 1 tenant,
 * 2 status name, 3 case worker, 4 employer KvK, 5 a LIKE pattern, 6 the exact text (KvK
 * or case number), 7 all (1: also cases without an open deadline), 8 limit, 9 offset;
 * NULL for a filter not given. Columns: id, status, person name, employer name, case
 * worker, BSN, KvK, next deadline's kind and due date (NULL when none), total rows.
 */
extern const char *const rows_worklist_sqlite[8];
extern const char *const rows_worklist_pg[8];
int rows_worklist_variant(const struct worklist_filter *f);
/* The LIKE pattern of a search text: %text% with % _ and \ escaped; false when it does
 * not fit in n bytes. */
bool rows_like_pattern(const char *text, char *out, size_t n);
/* Check a work-list filter whatever the engine: LKS_EINVAL naming the field. */
int rows_check_worklist(const struct worklist_filter *f, struct lks_err *err);

/* The number of columns in a comma-separated column list. */
int rows_ncols(const char *cols);
/* The lengths of the case's lists, by child table. */
int rows_child_count(const struct case_state *cs, int k);
void rows_set_child_count(struct case_state *cs, int k, int n);
/* The enum case_part bit of a child table. */
unsigned rows_child_part(int k);
const char *rows_tenant_kind_name(enum tenant_kind k);
/* The errors both engines give for a row they cannot use, and for a case not found. */
int rows_corrupt(const char *field, struct lks_err *err, const char *detail, int64_t id);
int rows_not_found(struct lks_err *err, int64_t id);
/* What a case to be saved must satisfy whatever the engine (the event, its number, the
 * capacities of the lists); LKS_EINVAL naming the part at fault. */
int rows_check_save(const struct case_state *cs, const struct case_event *ev,
                    const struct case_deadline *dl, int ndl, struct lks_err *err);

/* A store whose schema version `found` is not the `known` one of this code: newer is refused
 * (update lks), older is refused with the command that upgrades it. 0 when equal. */
int rows_schema_ready(const char *db, int found, int known, struct lks_err *err);
int rows_schema_too_new(const char *db, int found, int known, struct lks_err *err);

/* Whether a save writes the case row's references to its person and employer: a new case
 * always, later only after a form (PART_PARTIES). Both are master data of their own
 * (store_person_save, store_employer_save); a case save only refers to them. */
bool rows_parties_due(const struct case_state *cs, unsigned parts);

/*
 * Writing a case's lists and deadlines: which rows each engine writes is decided
 * here, the engine writes them. put_child writes list entry j of child table k
 * (insert or replace by key), trim_child removes the entries from n on,
 * put_deadline writes deadline i, trim_deadlines removes those from n on.
 */
struct rows_sink {
    void *ctx;
    int (*put_child)(void *ctx, const struct case_state *cs, int k, int j, struct lks_err *err);
    int (*trim_child)(void *ctx, const struct case_state *cs, int k, int n, struct lks_err *err);
    int (*put_deadline)(void *ctx, const struct case_state *cs, int i,
                        const struct case_deadline *d, struct lks_err *err);
    int (*trim_deadlines)(void *ctx, const struct case_state *cs, int n, struct lks_err *err);
    /* The case row's most urgent open deadline (cases.next_kind, next_due), NULL for none. */
    int (*put_next)(void *ctx, const struct case_state *cs, const struct case_deadline *next,
                    struct lks_err *err);
};

/* The child tables in `parts` (enum case_part); PART_PAYMENT_ADDED writes only the last
 * payment. Entries are appended or changed in place, never removed, so writing them by
 * key is enough; only a full rewrite (PART_ALL) trims. */
int rows_save_children(const struct rows_sink *w, const struct case_state *cs, unsigned parts,
                       struct lks_err *err);
/* The deadlines dl[0..ndl) where they differ from the stored old[0..nold), by position:
 * most events change one deadline or none; and the case row's next deadline when it
 * changed (put_next), in the caller's transaction. */
int rows_save_deadlines(const struct rows_sink *w, const struct case_state *cs,
                        const struct case_deadline *old, int nold, const struct case_deadline *dl,
                        int ndl, struct lks_err *err);

#endif

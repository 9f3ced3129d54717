/*
 * process — the work process of a case: the table of states and transitions
 * (domain.md §2), the checks of every command, the fold of events into the
 * case state, and the deadlines that run in each state.
 *
 * Pure: no I/O, no clock. What a command needs from outside (the rules, the
 * municipality's policy, today's date, the person's last access test) comes
 * in a case_ctx. case_decide refuses with a reason a case worker understands
 * (LKS_ESTATE when the process does not allow the step now, LKS_EINVAL for
 * bad data), or completes the event; case_apply then cannot fail.
 */
#ifndef LKS_CASE_PROCESS_H
#define LKS_CASE_PROCESS_H

#include "base/err.h"
#include "case/event.h"
#include "case/model.h"
#include "case/policy.h"
#include "rules/lks.h"
#include "rules/tables.h"

struct case_ctx {
    const struct rules *rules;
    const struct policy *policy; /* in force on the command's date */
    lks_date today;
    lks_date person_last_test; /* the person's last access test in another case, or LKS_NO_DATE */
    const struct employer *employer; /* a form's employer as registered, or NULL (a new one) */
    const struct person *person;     /* a form's person as registered, or NULL (a new one) */
};

/* One row of the process table. */
struct case_transition {
    enum ev_type ev;
    uint32_t from;     /* bit per enum case_status the event is allowed in */
    int to;            /* enum case_status, or -1 = stays, -2 = depends on the data */
    uint32_t roles;    /* bit per enum role that may give the command */
    const char *basis; /* legal basis or norm */
};
extern const struct case_transition case_transitions[EV_COUNT];

/* Start a new, empty case state (before its first event). */
void case_init(struct case_state *cs, const char *tenant, int64_t id);

/*
 * Check a command against the process, the rules and the policy, and fill
 * the figures the system computes. `ev->date` must be set (the business date).
 * LKS_EFORBIDDEN when the role may not give it, LKS_ESTATE when the process does
 * not allow it now, LKS_EINVAL for bad data (err->field names it).
 */
int case_decide(const struct case_ctx *ctx, const struct case_state *cs, struct case_event *ev,
                struct lks_err *err);

/*
 * The main tasks and the net working time of a loonwaarde report (struct ev_vastgesteld):
 * each task named, its share of time, tempo and quality between 0 and 100 %, the shares
 * together exactly 100 % when tasks are given, the net working time between 0 and 100 %.
 * No formula ties them to the loonwaarde (the sources give none): they are recorded, the
 * total is the expert's. Every fault into errs (field "taken.N.tempo", N from 0, or
 * "taken", "nettoProductieveTijd"); LKS_EINVAL when there is one. case_decide applies it
 * too, so a typed event and a JSON command meet the same rule.
 */
int case_wage_tasks_check(const struct ev_vastgesteld *v, struct lks_errlist *errs);

/* The commands (bit per enum ev_type) a role may give on the case now: what the
 * process table allows in its status for that role, and what the case's state does
 * not rule out (e.g. no decision to object to yet). The data of a command can still
 * be refused by case_decide. */
uint32_t case_commands(const struct case_state *cs, enum role role);

/* Parts of the case state an event may change (so a store can write only those). */
enum case_part {
    PART_PARTIES = 1u << 0, /* person, employer */
    PART_MEASUREMENTS = 1u << 1,
    PART_DECISIONS = 1u << 2,
    PART_PAYMENT_ADDED = 1u << 3, /* one payment appended at the end */
    PART_PROVISIONS = 1u << 4,
    PART_OBJECTIONS = 1u << 5,
    PART_COSTS = 1u << 6,
    PART_PAYMENTS = 1u << 7,     /* the whole list */
    PART_CASE_INDEXED = 1u << 8, /* status or case worker (indexed columns of the case) */
    PART_ALL = 0x1ffu
};

/* What case_apply of this event type can change besides the case row itself. */
unsigned case_event_parts(enum ev_type t);

/*
 * Apply an event to the state. An event case_decide accepted always fits; one read
 * back from a store may not (a damaged or tampered row): then LKS_EINVAL, naming
 * the event, and the state is unchanged. Every index and capacity is checked here,
 * whatever the input, so the fold never reads or writes outside the case.
 */
int case_apply(struct case_state *cs, const struct case_event *ev, struct lks_err *err);

/* The LKS amount for a month of a granted case (re-indexed every 1 January, 10d lid 7). */
int case_month_amount(const struct case_ctx *ctx, const struct case_state *cs, lks_date month,
                      struct lks_result *out, struct lks_err *err);

enum dl_kind {
    DL_BESLISTERMIJN,      /* Awb 4:13: 8 weeks after the application, + suspension (4:15) */
    DL_INFORMATIE,         /* term for the applicant to complete the application */
    DL_RAPPORT,            /* report of the measurement within 10 days (seed 000) */
    DL_SERVICENORM,        /* decision within 10 working days (seed 000 norm) */
    DL_WETTELIJK,          /* decision within 5 weeks after the loonwaarde (Pw 10d lid 12) */
    DL_FORFAIT,            /* flat rate at most 6 months: measure before (10d lid 5) */
    DL_BEZWAARTERMIJN,     /* objection term 6 weeks after sending (Awb 6:7) */
    DL_BEZWAAR_BESLISSING, /* decision on objection (Awb 7:10) */
    DL_HERBEOORDELING,     /* re-measurement date (10d lid 6; policy) */
    DL_COUNT
};

struct case_deadline {
    enum dl_kind kind;
    lks_date start; /* from when it runs */
    lks_date due;   /* last day */
    lks_date done;  /* when it was met, or LKS_NO_DATE while open */
    int index;      /* which decision/objection/measurement it belongs to, or -1 */
};

#define CASE_MAX_DEADLINES 64

/*
 * All deadlines of the case, open and done, in a fixed order. Each deadline that
 * depends on the municipality's policy uses the policy in force on the day it
 * starts, so a deadline computed when its event was stored is the same whenever it
 * is computed again; a policy change applies to deadlines that start after it.
 */
int case_deadlines(const struct case_state *cs, const struct policy_timeline *tl,
                   struct case_deadline *out, int max);

/* Whether deadlines of this kind depend on the policy (rapport, informatie,
 * servicenorm): a policy change must not reach back before their start. */
bool dl_kind_uses_policy(enum dl_kind k);

const char *dl_kind_name(enum dl_kind k);  /* "beslistermijn", … */
const char *dl_kind_text(enum dl_kind k);  /* Dutch description */
const char *dl_kind_basis(enum dl_kind k); /* legal basis or norm */
/* The most urgent open deadline of dl[0..n): the first by due date (none before any),
 * ties by position; NULL when none is open. The case row keeps it for the work list
 * (store migration 11), lks controleer compares the two. */
const struct case_deadline *case_next_deadline(const struct case_deadline *dl, int n);
/* "op-tijd", "te-laat", "open", "verlopen" on `today`. */
const char *dl_state(const struct case_deadline *d, lks_date today);

#endif

/*
 * model — the domain of a loonkostensubsidie case, as plain structs.
 *
 * A tenant is a municipality (gemeente) or a regional employer service point
 * (werkgeversservicepunt) that spans several municipalities. Everything else
 * belongs to exactly one tenant. A case (zaak) follows one person at one
 * employer through the process of domain.md §2; it holds its placement,
 * measurements, decisions, payments, provisions, objections and costs.
 *
 * The case state is what applying the case's events in order gives
 * (case/process.h); the store keeps it as the read model. Lists have fixed
 * capacities (below) so a case is one allocation with no ownership inside;
 * a command that would pass a capacity is refused with a reason.
 *
 * Money is int64 cents, percentages hundredths of a percent, hours
 * hundredths, dates day numbers (base/date.h); 0 / LKS_NO_DATE mean unset.
 */
#ifndef LKS_CASE_MODEL_H
#define LKS_CASE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h" /* LKS_NO_DATE */

#define CASE_TEXT 96    /* names, titles, short texts */
#define CASE_NOTE 512   /* explanations (toelichting) */
#define CASE_ID 24      /* tenant codes */
#define CASE_USER 64    /* login names (auth: at most 63 bytes) */

#define CASE_MAX_MEASUREMENTS 24
#define CASE_MAX_DECISIONS 24
#define CASE_MAX_PAYMENTS 480
#define CASE_MAX_PROVISIONS 24
#define CASE_MAX_OBJECTIONS 12
#define CASE_MAX_COSTS 48
#define CASE_MAX_MISSING 8

enum tenant_kind { TENANT_GEMEENTE, TENANT_SERVICEPUNT };

struct tenant {
    char code[CASE_ID];      /* e.g. "gm0794" (CBS code) or "wsp-helmond" */
    char name[CASE_TEXT];
    enum tenant_kind kind;
};

enum household { HH_SINGLE, HH_SINGLE_PARENT, HH_COUPLE };       /* seed 003 annex 3 */
enum benefit { BEN_NONE, BEN_PW, BEN_WW, BEN_WAJONG, BEN_OTHER }; /* uitkering */
enum sex { SEX_UNKNOWN, SEX_M, SEX_V };

struct person {
    int64_t id;
    char bsn[10];
    char name[CASE_TEXT];
    lks_date birth;
    enum sex sex;
    char address[CASE_TEXT];
    char postcode[8];
    char city[48];
    enum household household;
    enum benefit benefit;
    lks_date benefit_start;
    bool wsw_indication;
    int64_t version;         /* events of the person's own record applied (case/person.h) */
};

struct employer {
    int64_t id;
    char kvk[9];
    char name[CASE_TEXT];
    char address[CASE_TEXT];
    char postcode[8];
    char city[48];
    char iban[35];
    int32_t employees;
    int32_t fulltime_hours;   /* the sector's normal full-time hours, hundredths; 0 = unknown */
    bool own_sickness_insurance; /* no no-risk polis then (seed 004) */
    /* Master data of its own (case/employer.h): `iban` is the confirmed account that
     * payments use; a change waits here until a financieel who did not propose it
     * confirms it (four eyes). */
    char iban_proposed[35];   /* "" when none is waiting */
    char iban_proposed_by[CASE_USER];
    lks_date iban_proposed_on;
    int64_t version;          /* events of the employer's record applied */
};

enum placement_kind { PL_REGULAR, PL_SECONDMENT, PL_SW }; /* seed 003 field 26 */

struct placement {
    lks_date start;
    lks_date end;            /* LKS_NO_DATE = open-ended */
    int32_t hours;           /* per week, hundredths */
    int64_t wage;            /* gross monthly wage, cents */
    char job_title[CASE_TEXT];
    char staff_number[24];
    enum placement_kind kind;
    lks_date ended;          /* actual end (dienstverband-beeindigd) */
    char end_reason[CASE_TEXT];
};

enum measure_method { MM_UNIFORM, MM_DARIUZ, MM_UWV, MM_PANTAR, MM_AKC, MM_OTHER };

struct measurement {
    enum measure_method method;
    char expert[CASE_TEXT];
    lks_date requested;
    lks_date measured;       /* date of the measurement at the workplace */
    lks_date reported;       /* report received by the municipality */
    int32_t loonwaarde;      /* hundredths of %; -1 while open */
    char reference_job[CASE_TEXT];
    char report_doc[CASE_TEXT];
    int64_t cost;            /* cents */
    lks_date next;           /* next re-measurement */
};

enum decision_kind { DEC_GRANT, DEC_REFUSAL, DEC_REVISION };

struct decision {
    enum decision_kind kind;
    lks_date sent;
    lks_date from, to;       /* period of the grant; to = LKS_NO_DATE while open */
    lks_date peildatum;
    int32_t loonwaarde;      /* hundredths %; -1 = forfait */
    int64_t amount;          /* LKS + allowance per month, cents */
    int64_t subsidy, allowance;
    lks_date objection_due;  /* uiterlijke reactiedatum (Awb 6:7, Atw) */
    char reason[CASE_NOTE];
};

struct payment {
    lks_date month;          /* first day of the month paid for */
    int64_t amount;          /* cents */
    lks_date paid;
    char iban[35];           /* paid to: the employer's confirmed IBAN on that day */
};

enum provision_kind { PROV_PROEFPLAATSING, PROV_NORISK, PROV_JOBCOACH, PROV_WERKPLEK };

struct provision {
    enum provision_kind kind;
    lks_date start, end;     /* planned end */
    int32_t hours;           /* jobcoach hours per year, hundredths */
    int64_t cost;
    lks_date ended;
    char end_reason[CASE_TEXT];
    char motivation[CASE_NOTE]; /* for an extension or an exception */
};

struct objection {
    lks_date received;
    lks_date due;            /* decision due (Awb 7:10) */
    bool committee;          /* advisory committee: 12 weeks */
    bool deferred;           /* +6 weeks */
    lks_date decided;
    char outcome[24];        /* gegrond, ongegrond, niet-ontvankelijk */
    char subject[CASE_TEXT];
};

enum cost_kind { COST_ACCESS_TEST, COST_MEASUREMENT, COST_ROUTE, COST_JOBCOACH, COST_OTHER };

struct cost {
    enum cost_kind kind;
    lks_date date;
    int64_t amount;
    char what[CASE_TEXT];
};

/* States of the process table (domain.md §2). */
enum case_status {
    ST_AANVRAAG,
    ST_WACHT_OP_INFORMATIE,
    ST_DOELGROEPBEPALING,
    ST_LOONWAARDEMETING,
    ST_BESLUITVORMING,
    ST_LOPEND,
    ST_HERBEOORDELING,
    ST_AFGEWEZEN,
    ST_BEEINDIGD,
    ST_INGETROKKEN,
    ST_COUNT
};

/* The access test's outcome as kept on the case (for the monitoring export). */
struct access_test {
    bool done;
    bool voluntary;
    lks_date started, decided;
    int outcome;             /* enum toets_outcome */
    uint8_t limitation;      /* bit 0..3: lichamelijk, verstandelijk, psychisch, psychosociaal */
    char explanation[CASE_NOTE];
};

struct case_state {
    int64_t id;
    char tenant[CASE_ID];
    enum case_status status;
    int64_t version;         /* number of events applied */
    char case_worker[CASE_USER];
    char applicant[16];      /* werkgever, werknemer, gemeente */
    lks_date applied;        /* date of the application */
    lks_date complete;       /* application complete */
    lks_date info_requested; /* while waiting for information */
    int32_t info_wait_days;  /* days the decision term was suspended (Awb 4:15) */
    char missing[CASE_MAX_MISSING][48];
    int nmissing;
    struct person person;
    struct employer employer;
    struct placement placement;
    struct access_test test;
    bool forfait;            /* flat rate agreed, no measurement yet */
    lks_date forfait_from;
    lks_date decision_basis; /* loonwaarde set / forfait agreed / test negative: starts the terms */
    int nmeasurements, ndecisions, npayments, nprovisions, nobjections, ncosts;
    struct measurement measurement[CASE_MAX_MEASUREMENTS];
    struct decision decision[CASE_MAX_DECISIONS];
    struct payment payment[CASE_MAX_PAYMENTS];
    struct provision provision[CASE_MAX_PROVISIONS];
    struct objection objection[CASE_MAX_OBJECTIONS];
    struct cost cost[CASE_MAX_COSTS];
    lks_date closed;
    char close_reason[CASE_TEXT];
};

const char *case_status_name(enum case_status s); /* "aanvraag", "wacht-op-informatie", … */
int case_status_parse(const char *s);             /* -1 when unknown */

#endif

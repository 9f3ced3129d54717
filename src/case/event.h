/*
 * event — every change to a case is an event (architecture principle 2).
 *
 * A command is a proposed event: the caller fills type, actor, role, date and
 * the data of that type; case_decide (process.h) checks it against the
 * process table, the rules and the municipality's policy, completes the
 * figures it computes (an LKS amount, a deadline), and only then is it
 * appended and applied. Events are immutable once stored; a correction is a
 * new event. The JSON form (codec/case_json.h) is what the store keeps and
 * what the API accepts.
 */
#ifndef LKS_CASE_EVENT_H
#define LKS_CASE_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "case/model.h"
#include "rules/toets.h"

enum ev_type {
    EV_AANVRAAG_INGEDIEND,
    EV_INFORMATIE_GEVRAAGD,
    EV_INFORMATIE_AANGEVULD,
    EV_AANVRAAG_COMPLEET,
    EV_TOEGANGSTOETS_UITGEVOERD,
    EV_LOONWAARDEMETING_AANGEVRAAGD,
    EV_LOONWAARDE_VASTGESTELD,
    EV_FORFAIT_AFGESPROKEN,
    EV_BESCHIKKING_VERZONDEN,
    EV_HERBEOORDELING_GESTART,
    EV_LOONWAARDE_ONGEWIJZIGD,
    EV_DIENSTVERBAND_BEEINDIGD,
    EV_VERHUISD,
    EV_GEEN_DOELGROEP_MEER,
    EV_AANVRAAG_INGETROKKEN,
    EV_BEZWAAR_INGEDIEND,
    EV_BEZWAAR_BESLIST,
    EV_VOORZIENING_TOEGEKEND,
    EV_VOORZIENING_BEEINDIGD,
    EV_BETALING_VERRICHT,
    EV_KOSTEN_GEBOEKT,
    EV_ZAAK_TOEGEWEZEN, /* the case gets another klantmanager (work distribution) */
    EV_COUNT
};

enum role {
    ROLE_KLANTMANAGER,
    ROLE_LOONWAARDEDESKUNDIGE,
    ROLE_BESLISSER,
    ROLE_FINANCIEEL,
    ROLE_BEHEERDER,
    ROLE_AUDITOR,
    ROLE_WERKGEVER,
    ROLE_WERKNEMER,
    ROLE_SYSTEEM,
    /* the operator of the whole installation (AUTH_TENANT_INSTALLATION), not of one
     * municipality: adds rule rows; sees no case and no municipality's users or log */
    ROLE_APPLICATIEBEHEERDER,
    ROLE_COUNT
};

struct ev_aanvraag {
    struct person person;
    struct employer employer;
    struct placement placement;
    char applicant[16]; /* werkgever, werknemer, gemeente */
    bool late_allowed;  /* Pw 10d lid 2: target group in the 6 months before the job */
    char case_worker[CASE_USER];
};

struct ev_info {
    char missing[CASE_MAX_MISSING][48];
    int nmissing;
};

struct ev_toets {
    uint8_t answer[TOETS_NQUESTIONS][TOETS_MAX_CRITERIA];
    char explanation[CASE_NOTE];
    bool voluntary;
    int64_t cost;
    int outcome; /* filled by case_decide: enum toets_outcome */
};

/*
 * One main task of the uniform method's report (seed 003: up to 5 main tasks): its
 * share of the working time, and the tempo and quality the worker reaches in it, all in
 * hundredths of a percent. Recorded data from the report: no formula ties the tasks to
 * the loonwaarde, which stays the expert's figure.
 */
#define CASE_MAX_TASKS 5
struct wage_task {
    char name[CASE_TEXT];
    int32_t share; /* tijdsaandeel; the shares of all tasks add up to 100 % */
    int32_t tempo;
    int32_t quality; /* kwaliteit */
};

struct ev_vastgesteld {
    int32_t loonwaarde; /* the expert's total percentage */
    lks_date measured;
    char reference_job[CASE_TEXT];
    char report_doc[CASE_TEXT];
    lks_date next;     /* filled by case_decide when not given: measured + policy months */
    bool has_net_time; /* whether the report gives the net working time: */
    int32_t net_time;  /* netto productieve tijd (inzetbaarheid), hundredths % */
    int ntasks;        /* 0: no tasks recorded (every event before tasks existed) */
    struct wage_task task[CASE_MAX_TASKS];
};

struct ev_einde {
    char reason[CASE_TEXT];
    char new_tenant[CASE_ID]; /* verhuisd: the municipality that takes over (since 2023-07-01) */
};

struct ev_bezwaar_beslist {
    char outcome[24]; /* gegrond, ongegrond, niet-ontvankelijk, ingetrokken */
    int index;        /* which objection (0-based); -1 = the open one */
};

struct ev_toewijzing {
    char case_worker[CASE_USER]; /* login name of the klantmanager who takes the case over */
    char reason[CASE_TEXT];
};

struct ev_voorziening_einde {
    int index; /* which provision */
    char reason[CASE_TEXT];
};

struct case_event {
    enum ev_type type;
    int64_t seq;   /* 1-based position in the case's stream (set when stored) */
    int64_t at;    /* when it was recorded, seconds since the epoch (UTC) */
    lks_date date; /* the business date of the step */
    char actor[CASE_USER];
    enum role role;
    union {
        struct ev_aanvraag aanvraag;
        struct ev_info info;
        struct ev_toets toets;
        struct measurement meting; /* loonwaardemeting-aangevraagd, herbeoordeling-gestart */
        struct ev_vastgesteld vastgesteld;
        struct decision beschikking; /* kind, from, to, reason; figures by case_decide */
        struct provision voorziening;
        struct ev_voorziening_einde voorziening_einde;
        struct objection bezwaar;
        struct ev_bezwaar_beslist bezwaar_beslist;
        struct payment betaling; /* month; amount by case_decide */
        struct cost kosten;
        struct ev_einde einde;
        struct ev_toewijzing toewijzing;
    } d;
};

const char *ev_type_name(enum ev_type t); /* "aanvraag-ingediend", … */
int ev_type_parse(const char *s);         /* -1 when unknown */
const char *role_name(enum role r);       /* "klantmanager", … */
int role_parse(const char *s);
/* Whether a text is empty or only spaces and tabs (a required text that says nothing). */
bool case_text_blank(const char *s);

#endif

/*
 * toets — the toegangstoets (access test) of seed 003 annex 2 (TNO flow chart).
 *
 *  1  limitations of a physical, intellectual, psychological or psycho-social
 *     nature? none → not in the target group (upper bound: without limitations
 *     the client is taken to be able to earn the full WML).
 *  2a no effect on work, or compensable with existing instruments (WIA art.
 *     35/36)? one or both → not in the target group (upper bound).
 *  2b regular pace, continuity and independent work all possible? all →
 *     not in the target group (upper bound; the chart, not the annex's prose).
 *  3  ≥ 20% of a regular performance, guidance ≤ 15% of working time, ≥ 1 hour
 *     continuously, no permanent supervision? all → in the target group;
 *     otherwise not (lower bound), which needs a written argument.
 *
 * Criteria of a question that is reached must all be answered; questions the
 * flow does not reach may be left unanswered. Pure; texts are static.
 */
#ifndef LKS_RULES_TOETS_H
#define LKS_RULES_TOETS_H

#include <stdint.h>

#include "base/err.h"

enum toets_answer { TOETS_UNANSWERED = 0, TOETS_YES = 1, TOETS_NO = 2 };

enum toets_question { TOETS_Q1, TOETS_Q2A, TOETS_Q2B, TOETS_Q3, TOETS_NQUESTIONS };

#define TOETS_MAX_CRITERIA 4

/* The questions and their criteria, by the names used in JSON (one table, used by
 * the parser and the result alike). */
struct toets_question_def {
    const char *key;    /* "vraag1", "vraag2a", "vraag2b", "vraag3" */
    const char *label;  /* "1", "2a", "2b", "3" */
    const char *text;   /* the question in Dutch */
    int ncriteria;
    const char *criterion[TOETS_MAX_CRITERIA];      /* JSON names */
    const char *criterion_text[TOETS_MAX_CRITERIA]; /* Dutch */
};
extern const struct toets_question_def toets_questions[TOETS_NQUESTIONS];

struct toets_input {
    uint8_t answer[TOETS_NQUESTIONS][TOETS_MAX_CRITERIA]; /* enum toets_answer */
    const char *toelichting; /* written argument; may be NULL */
};

enum toets_outcome { TOETS_IN_TARGET_GROUP, TOETS_UPPER_BOUND, TOETS_LOWER_BOUND };

struct toets_reason {
    enum toets_question question;
    int yes;                 /* the question's answer: 1 = ja, 0 = nee */
    const char *conclusion;  /* where the flow goes next, in Dutch */
};

struct toets_result {
    enum toets_outcome outcome;
    int nreasons;
    struct toets_reason reason[TOETS_NQUESTIONS];
};

/* "doelgroep", "geen-doelgroep-bovengrens", "geen-doelgroep-ondergrens" */
const char *toets_outcome_name(enum toets_outcome o);

/*
 * Run the flow. LKS_EINVAL with field "vraagN.criterium" for a missing answer
 * on a reached question, or field "toelichting" for a lower-bound outcome
 * without a written argument.
 */
int toets_run(const struct toets_input *in, struct toets_result *out, struct lks_err *err);

#endif

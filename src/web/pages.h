/*
 * pages — the page handlers of web_route_table (web.c), one group per file:
 * p_login.c (log in and out, the start page), p_werk.c (the work list, the BSN search,
 * handing cases to a colleague), p_zaak.c (a case and its commands), p_stap.c (the steps with pages
 * of their own).
 * handing cases to a colleague), p_zaak.c (a case and its commands), p_aanvraag.c (the
 * application form in steps with drafts, a case's supplement).
 */
#ifndef LKS_WEB_PAGES_H
#define LKS_WEB_PAGES_H

#include "api/internal.h"

void p_home(struct api_ctx *c);
void p_login_form(struct api_ctx *c);
void p_login(struct api_ctx *c);
void p_logout(struct api_ctx *c);
void p_worklist(struct api_ctx *c);
void p_assign(struct api_ctx *c);
void p_bsn_search(struct api_ctx *c);
void p_case(struct api_ctx *c);
void p_case_command(struct api_ctx *c);
/* p_aanvraag.c: the application form in steps, its drafts, a case's supplement */
void p_application_new_form(struct api_ctx *c);
void p_application_new(struct api_ctx *c);
void p_application_drafts(struct api_ctx *c);
void p_application_delete(struct api_ctx *c);
void p_application_step(struct api_ctx *c);
void p_application_step_post(struct api_ctx *c);
void p_supplement_form(struct api_ctx *c);
void p_supplement(struct api_ctx *c);

/* p_stap.c: the process steps with pages of their own */
struct toets_result;
void p_step_toets_form(struct api_ctx *c);
void p_step_toets(struct api_ctx *c);
void p_step_value_form(struct api_ctx *c);
void p_step_value(struct api_ctx *c);
void p_step_decision_form(struct api_ctx *c);
void p_step_decision(struct api_ctx *c);
/* An access test's outcome with its reasoning as the templates show it. */
json_t *stap_toets_outcome_json(const struct toets_result *r);

#endif

/*
 * pages — the page handlers of web_route_table (web.c), one group per file:
 * p_login.c (log in and out, the start page), p_werk.c (the work list, the BSN search,
 * handing cases to a colleague), p_zaak.c (a case and its commands), p_stap.c (the steps
 * with pages of their own), p_aanvraag.c (the application form in steps with drafts, a
 * case's supplement), p_portaal.c (the employer portal, the financieel's IBAN proposals),
 * p_documenten.c (documents), p_rekenen.c (the calculators), p_audit.c
 * (the processing log), p_beheer.c (users and policy), p_regels.c (the rule tables).
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

/* The employer portal (p_portaal.c) and documents (p_documenten.c). */
void p_portal(struct api_ctx *c);
void p_portal_case(struct api_ctx *c);
void p_portal_command(struct api_ctx *c);
void p_company(struct api_ctx *c);
void p_company_iban(struct api_ctx *c);
void p_iban_proposals(struct api_ctx *c);
void p_iban_decide(struct api_ctx *c);
void p_document_upload(struct api_ctx *c);
void p_document_download(struct api_ctx *c);
/* The portal's case page with a failed command's form open (`failed`: its enum ev_type, or
 * -1) or the upload form's errors, the kind chosen kept; `message` on top (or NULL). */
void p_portal_case_render(struct api_ctx *c, int64_t id, int status, int failed,
                          const struct lks_errlist *errs, const struct lks_errlist *upload_errs,
                          const char *kind, const char *message);
/* The upload form of document-toevoegen.html into page data d: the kinds (`kind`
 * chosen), whether the app lets this user add one, where it posts, and the errors of a
 * refused upload (as the page's summary too). */
void p_upload_form_json(struct api_ctx *c, json_t *d, const char *action, const char *kind,
                        const struct lks_errlist *errs);
/* The desk's case page again after a refused upload (p_zaak.c), the kind chosen kept. */
void p_case_render_upload(struct api_ctx *c, int64_t id, int status, const struct lks_errlist *errs,
                          const char *kind);
/* POST /zaken/{id}/documenten: a case worker adds a document on the desk's case page. */
void p_case_document_upload(struct api_ctx *c);
/* The work list's saved filters (p_werk.c): save the list's filter under a name, open
 * one (303 to the list with it), delete one. */
void p_filter_save(struct api_ctx *c);
void p_filter_open(struct api_ctx *c);
void p_filter_delete(struct api_ctx *c);
/* The work list's saved filters (p_werk.c): save the list's filter under a name, open
 * one (303 to the list with it), delete one. */
void p_filter_save(struct api_ctx *c);
void p_filter_open(struct api_ctx *c);
void p_filter_delete(struct api_ctx *c);
/* The documents of a case the user may read as a JSON array for documenten.html (each:
 * id, soortTekst, naam, type, grootte, door, op), logged as a read; NULL when the app
 * refuses or fails. The caller owns the array. */
json_t *p_documents_json(struct api_ctx *c, int64_t case_id);
/* The upload route for the HTTP layer's bigger body cap (http_config.upload), and that
 * cap: a document of STORE_DOC_MAX_BYTES plus the form around it. */
bool web_upload_route(const char *method, const char *path);
size_t web_upload_max(void);
/* p_rekenen.c: the public calculators */
void p_calc_overview(struct api_ctx *c);
void p_calc_lks(struct api_ctx *c);
void p_calc_ld(struct api_ctx *c);
void p_calc_ie(struct api_ctx *c);
void p_calc_term(struct api_ctx *c);
void p_calc_toets(struct api_ctx *c);
/* p_audit.c, p_beheer.c, p_regels.c */
void p_plog(struct api_ctx *c);
void p_plog_bsn(struct api_ctx *c);
void p_users(struct api_ctx *c);
void p_user_new(struct api_ctx *c);
void p_user_block(struct api_ctx *c);
void p_user_password(struct api_ctx *c);
void p_policy(struct api_ctx *c);
void p_policy_set(struct api_ctx *c);
void p_rules(struct api_ctx *c);
void p_rules_admin(struct api_ctx *c);
void p_rule_add(struct api_ctx *c);

/* the decision letters on the pages (p_brief.c): a sent decision's letter, the preview */
void p_letter_download(struct api_ctx *c);
void p_letter_preview(struct api_ctx *c);

/* p_betaal.c: the payment runs (app_payrun.h) */
void p_payruns(struct api_ctx *c);
void p_payrun_make(struct api_ctx *c);
void p_payrun(struct api_ctx *c);
void p_payrun_approve(struct api_ctx *c);
void p_payrun_cancel(struct api_ctx *c);
void p_payrun_sepa(struct api_ctx *c);
void p_payrun_csv(struct api_ctx *c);
/* The payment lines of a case the user may read (app_case_paylines), the newest month
 * first, as a JSON array (each: run, maand, bedrag, statusTekst, datum, iban — the IBAN
 * in full: the portal masks it); NULL when the app refuses or fails. The caller owns it. */
json_t *p_paylines_json(struct api_ctx *c, int64_t case_id);

#endif

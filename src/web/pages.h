/*
 * pages — the page handlers of web_route_table (web.c), one group per file:
 * p_login.c (log in and out, the start page), p_werk.c (the work list, the BSN search,
 * handing cases to a colleague), p_zaak.c (a case and its commands), p_audit.c (the
 * processing log), p_beheer.c (users and policy), p_regels.c (the rule tables).
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

#endif

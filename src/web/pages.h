/*
 * pages — the page handlers of web_route_table (web.c), one group per file:
 * p_login.c (log in and out, the start page), p_werk.c (the work list, the BSN search,
 * handing cases to a colleague), p_zaak.c (a case and its commands), p_rekenen.c (the
 * public calculators).
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
/* p_rekenen.c: the public calculators */
void p_calc_overview(struct api_ctx *c);
void p_calc_lks(struct api_ctx *c);
void p_calc_ld(struct api_ctx *c);
void p_calc_ie(struct api_ctx *c);
void p_calc_term(struct api_ctx *c);
void p_calc_toets(struct api_ctx *c);

#endif

/*
 * calc_json — the stateless calculations from a JSON object of inputs: read, checked and
 * computed in one place, for the API (POST /api/v1/berekeningen/…, api/h_calc.c) and the
 * public calculator pages (/rekenen/…, web/p_rekenen.c, which turn their GET form into
 * the same object with form_to_json), so both take the same fields and give the same
 * results, faults and Dutch messages.
 *
 * Input is read strictly: an unknown field, a wrong type, a missing required field are
 * all reported at once in errs, each naming its field as the API does (invalidParams).
 * Decimals are strings ("57.5", also "57,5") or whole numbers; amounts are euros.
 * When the input is well formed the rule runs, and its refusal (a value out of range, a
 * date outside the rule tables) is the one entry of errs.
 *
 * Each function returns 0 with *out filled, or the code of errs->e[0] (LKS_EINVAL,
 * LKS_ERANGE; the API answers both 400). Nothing is allocated; pointers in a toets_input
 * point into `body`.
 */
#ifndef LKS_CODEC_CALC_JSON_H
#define LKS_CODEC_CALC_JSON_H

#include <jansson.h>

#include "base/err.h"
#include "rules/ld.h"
#include "rules/lks.h"
#include "rules/tables.h"
#include "rules/term.h"
#include "rules/toets.h"

/* peildatum, loonwaarde, uren, voltijduren, leeftijd, forfaitair (LoonkostensubsidieInvoer) */
int calc_lks_json(const struct rules *rules, const json_t *body, struct lks_result *out,
                  struct lks_errlist *errs);

/* huishouden, loonwaarde, normGehuwden, overigInkomen, nettoInkomen (LoondispensatieInvoer) */
int calc_ld_json(const json_t *body, struct ld_result *out, struct lks_errlist *errs);

/* plaatsingen, maanden, fte, loonwaarde, normGehuwden (InverdieneffectInvoer) */
int calc_ie_json(const json_t *body, struct ie_result *out, struct lks_errlist *errs);

/* vanaf and exactly one of werkdagen, weken, dagen (TermijnInvoer) */
int calc_term_json(const json_t *body, struct term_result *out, struct lks_errlist *errs);

/* vraag1, vraag2a, vraag2b, vraag3 (criteria true/false), toelichting
 * (ToegangstoetsInvoer); *in keeps the answers for codec_toets. */
int calc_toets_json(const json_t *body, struct toets_input *in, struct toets_result *out,
                    struct lks_errlist *errs);

#endif

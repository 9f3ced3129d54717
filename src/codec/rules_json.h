/*
 * rules_json — rule results as JSON, and rule inputs from JSON.
 *
 * The CLI and the API show the same figures with the same field names
 * (Dutch lower camelCase, amounts as strings with two decimals), so both call
 * these writers. Each writer emits one JSON object into a jw. The parser for
 * the toegangstoets answers is strict: unknown fields and wrong types are
 * errors naming the field, all collected at once in an lks_errlist.
 */
#ifndef LKS_CODEC_RULES_JSON_H
#define LKS_CODEC_RULES_JSON_H

#include <stdbool.h>
#include <jansson.h>

#include "base/err.h"
#include "base/jw.h"
#include "rules/ld.h"
#include "rules/lks.h"
#include "rules/step.h"
#include "rules/term.h"
#include "rules/toets.h"

/* "stappen": [{"omschrijving","bedrag"|"datum"|"aantal",["exact"],"wettelijkeGrondslag"}] */
void codec_steps(struct jw *w, const struct rule_step *steps, int n);

/*
 * Steps in their stored form: the figures only (id, value, the four args, the exact value
 * when there is one), "id,value,a0,a1,a2,a3[,x]" per step, ';' between steps. The text and
 * the legal basis are made again from them by step_text/step_basis when shown, so a stored
 * explanation is a tenth of its JSON and reads back to the same steps. pack: false when it
 * does not fit in n bytes; unpack: the number of steps, or -1 for a text that is not a
 * packed list (or holds more than max).
 */
bool codec_steps_pack(const struct rule_step *steps, int n, char *out, size_t cap);
int codec_steps_unpack(const char *in, struct rule_step *out, int max);

void codec_lks(struct jw *w, const struct lks_result *r);
void codec_ld(struct jw *w, const struct ld_result *r);
void codec_ie(struct jw *w, const struct ie_result *r);
void codec_term(struct jw *w, const struct term_result *r);
void codec_toets(struct jw *w, const struct toets_input *in, const struct toets_result *r);

/*
 * Read the toegangstoets answers from a JSON object:
 *   {"vraag1": {"lichamelijk": true, ...}, "vraag2a": {...}, "vraag2b": {...},
 *    "vraag3": {...}, "toelichting": "..."}
 * Pointers in `in` point into `root`: keep it alive while using `in`.
 * Returns 0, or LKS_EINVAL with every fault in errs.
 */
int codec_toets_parse(const json_t *root, struct toets_input *in, struct lks_errlist *errs);

#endif

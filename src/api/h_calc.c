/*
 * h_calc — the stateless calculations under /api/v1/berekeningen, with the
 * same fields and results as `lks calc` and `lks termijn` (codec/rules_json).
 * The input is read, checked and computed by codec/calc_json, the one reader the
 * calculator pages under /rekenen use too: unknown fields and wrong types are all
 * reported at once in invalidParams. Decimals are strings ("57.5") or whole numbers.
 */
#include "api/internal.h"
#include "codec/calc_json.h"
#include "codec/rules_json.h"

void h_calc_lks(struct api_ctx *c)
{
    struct lks_result r;
    struct lks_errlist errs = {0};
    if (calc_lks_json(c->api->cfg.rules, c->body, &r, &errs)) {
        api_fail_list(c, &errs);
        return;
    }
    codec_lks(&c->w, &r);
    api_json(c, 200);
}

void h_calc_ld(struct api_ctx *c)
{
    struct ld_result r;
    struct lks_errlist errs = {0};
    if (calc_ld_json(c->body, &r, &errs)) {
        api_fail_list(c, &errs);
        return;
    }
    codec_ld(&c->w, &r);
    api_json(c, 200);
}

void h_calc_ie(struct api_ctx *c)
{
    struct ie_result r;
    struct lks_errlist errs = {0};
    if (calc_ie_json(c->body, &r, &errs)) {
        api_fail_list(c, &errs);
        return;
    }
    codec_ie(&c->w, &r);
    api_json(c, 200);
}

void h_calc_term(struct api_ctx *c)
{
    struct term_result r;
    struct lks_errlist errs = {0};
    if (calc_term_json(c->body, &r, &errs)) {
        api_fail_list(c, &errs);
        return;
    }
    codec_term(&c->w, &r);
    api_json(c, 200);
}

void h_calc_toets(struct api_ctx *c)
{
    struct toets_input in;
    struct toets_result r;
    struct lks_errlist errs = {0};
    if (calc_toets_json(c->body, &in, &r, &errs)) {
        api_fail_list(c, &errs);
        return;
    }
    codec_toets(&c->w, &in, &r);
    api_json(c, 200);
}

/* calc_json — see calc_json.h. The fields of each calculation are read by one table-driven
 * reader (read_fields); what a rule refuses comes back as the one entry of the list. */
#include "codec/calc_json.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "codec/rules_json.h"

enum jf_type { JF_DATE, JF_FIXED2, JF_FIXED4, JF_INT, JF_BOOL, JF_STR };

struct jf {
    const char *name;
    enum jf_type type;
    bool required;
    int64_t num; /* out */
    const char *str;
    bool set;
};

/* Read the fields of `body` into f[]; every fault into errs. */
static void read_fields(const json_t *body, struct jf *f, int n, struct lks_errlist *errs)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v)
    {
        struct jf *x = NULL;
        for (int i = 0; i < n; i++)
            if (strcmp(f[i].name, key) == 0)
                x = &f[i];
        if (!x) {
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "unknown-field", "onbekend veld");
            continue;
        }
        struct lks_err e;
        x->set = true;
        switch (x->type) {
        case JF_DATE: {
            lks_date d;
            if (!json_is_string(v) || date_parse(&d, json_string_value(v), key, &e)) {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "not-a-date",
                            "moet een datum zijn in de vorm JJJJ-MM-DD");
                continue;
            }
            x->num = d;
            break;
        }
        case JF_FIXED2:
        case JF_FIXED4: {
            int dec = x->type == JF_FIXED4 ? 4 : 2;
            if (json_is_integer(v) && json_integer_value(v) >= 0 &&
                json_integer_value(v) < 1000000000) {
                x->num = (int64_t)json_integer_value(v) * (dec == 4 ? 10000 : 100);
            } else if (!json_is_string(v) ||
                       money_parse_fixed(&x->num, json_string_value(v), dec, key, &e)) {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "not-a-number",
                            "moet een getal zijn, als tekst met een punt (\"57.5\") of geheel");
                continue;
            }
            break;
        }
        case JF_INT:
            if (!json_is_integer(v) || json_integer_value(v) < -1000000000 ||
                json_integer_value(v) > 1000000000) {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "not-an-integer",
                            "moet een geheel getal zijn");
                continue;
            }
            x->num = (int64_t)json_integer_value(v);
            break;
        case JF_BOOL:
            if (!json_is_boolean(v)) {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "not-a-boolean",
                            "moet true of false zijn");
                continue;
            }
            x->num = json_is_true(v);
            break;
        case JF_STR:
            if (!json_is_string(v)) {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "not-a-string",
                            "moet tekst zijn");
                continue;
            }
            x->str = json_string_value(v);
            break;
        }
    }
    for (int i = 0; i < n; i++)
        if (f[i].required && !f[i].set)
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, f[i].name, "required", "is verplicht");
}

/* The list's first code (0 when empty). */
static int first_code(const struct lks_errlist *errs)
{
    return errs->n ? (errs->e[0].code ? errs->e[0].code : LKS_EINVAL) : 0;
}

/* A rule's refusal as the list's one entry. */
static int refused(struct lks_errlist *errs, const struct lks_err *e)
{
    *lks_errlist_add(errs) = *e;
    return first_code(errs);
}

int calc_lks_json(const struct rules *rules, const json_t *body, struct lks_result *out,
                  struct lks_errlist *errs)
{
    struct jf f[] = {
        {"peildatum", JF_DATE, true, 0, NULL, false},
        {"loonwaarde", JF_FIXED2, false, 0, NULL, false},
        {"uren", JF_FIXED2, true, 0, NULL, false},
        {"voltijduren", JF_FIXED2, false, 0, NULL, false},
        {"leeftijd", JF_INT, false, 0, NULL, false},
        {"forfaitair", JF_BOOL, false, 0, NULL, false},
    };
    read_fields(body, f, 6, errs);
    bool forfait = f[5].set && f[5].num;
    if (!forfait && !f[1].set && errs->n == 0)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "loonwaarde", "required",
                    "is verplicht, tenzij forfaitair true is");
    if (errs->n)
        return first_code(errs);
    struct lks_input in = {
        .peildatum = (lks_date)f[0].num,
        .loonwaarde = (int32_t)(forfait ? 0 : f[1].num),
        .hours = f[2].num > 100000 ? 100000 : (int32_t)f[2].num,
        /* not given: not known, refused by lks_compute where it is needed; a given 0 is
         * out of range, not 'not known': -1 is refused with the rule's message */
        .fulltime = !f[3].set           ? 0
                    : f[3].num <= 0     ? -1
                    : f[3].num > 100000 ? 100000
                                        : (int32_t)f[3].num,
        .age = f[4].set ? (int32_t)f[4].num : LKS_AGE_ADULT,
        .forfait = forfait,
    };
    struct lks_err e = {0};
    if (lks_compute(rules, &in, out, &e))
        return refused(errs, &e);
    return 0;
}

int calc_ld_json(const json_t *body, struct ld_result *out, struct lks_errlist *errs)
{
    struct jf f[] = {
        {"huishouden", JF_STR, true, 0, NULL, false},
        {"loonwaarde", JF_FIXED2, true, 0, NULL, false},
        {"normGehuwden", JF_FIXED2, true, 0, NULL, false},
        {"overigInkomen", JF_FIXED2, false, 0, NULL, false},
        {"nettoInkomen", JF_FIXED2, false, 0, NULL, false},
    };
    read_fields(body, f, 5, errs);
    int hh = f[0].str ? ld_household_parse(f[0].str) : 0;
    if (hh < 0)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "huishouden", "unknown-choice",
                    "moet alleenstaand, alleenstaande-ouder of gehuwd zijn");
    if (errs->n)
        return first_code(errs);
    struct ld_input in = {(enum ld_household)hh,   (int32_t)f[1].num, f[2].num,
                          f[3].set ? f[3].num : 0, f[4].set,          f[4].num};
    if (f[1].num > 10000)
        in.loonwaarde = 10001; /* refused below, with the rule's message */
    struct lks_err e = {0};
    if (ld_compute(&in, out, &e))
        return refused(errs, &e);
    return 0;
}

int calc_ie_json(const json_t *body, struct ie_result *out, struct lks_errlist *errs)
{
    struct jf f[] = {
        {"plaatsingen", JF_INT, true, 0, NULL, false},
        {"maanden", JF_INT, true, 0, NULL, false},
        {"fte", JF_FIXED4, true, 0, NULL, false},
        {"loonwaarde", JF_FIXED2, true, 0, NULL, false},
        {"normGehuwden", JF_FIXED2, true, 0, NULL, false},
    };
    read_fields(body, f, 5, errs);
    if (errs->n)
        return first_code(errs);
    struct ie_input in = {(int32_t)f[0].num, (int32_t)f[1].num,
                          f[2].num > 100000 ? 100000 : (int32_t)f[2].num,
                          f[3].num > 10001 ? 10001 : (int32_t)f[3].num, f[4].num};
    struct lks_err e = {0};
    if (ie_compute(&in, out, &e))
        return refused(errs, &e);
    return 0;
}

int calc_term_json(const json_t *body, struct term_result *out, struct lks_errlist *errs)
{
    struct jf f[] = {
        {"vanaf", JF_DATE, true, 0, NULL, false},
        {"werkdagen", JF_INT, false, 0, NULL, false},
        {"weken", JF_INT, false, 0, NULL, false},
        {"dagen", JF_INT, false, 0, NULL, false},
    };
    read_fields(body, f, 4, errs);
    int given = f[1].set + f[2].set + f[3].set;
    if (errs->n == 0 && given != 1)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "werkdagen", "one-of",
                    "geef precies een van werkdagen, weken of dagen");
    if (errs->n)
        return first_code(errs);
    enum term_kind k = f[1].set ? TERM_WORKDAYS : f[2].set ? TERM_WEEKS : TERM_DAYS;
    int64_t n = f[1].set ? f[1].num : f[2].set ? f[2].num : f[3].num;
    struct lks_err e = {0};
    if (term_compute((lks_date)f[0].num, k, n < 0 || n > TERM_MAX_N ? 0 : (int)n, out, &e)) {
        lks_err_field(&e, k == TERM_WORKDAYS ? "werkdagen" : k == TERM_WEEKS ? "weken" : "dagen");
        return refused(errs, &e);
    }
    return 0;
}

int calc_toets_json(const json_t *body, struct toets_input *in, struct toets_result *out,
                    struct lks_errlist *errs)
{
    if (codec_toets_parse(body, in, errs))
        return first_code(errs);
    struct lks_err e = {0};
    if (toets_run(in, out, &e))
        return refused(errs, &e);
    return 0;
}

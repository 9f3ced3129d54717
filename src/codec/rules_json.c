/* rules_json — see rules_json.h. */
#include "codec/rules_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void codec_steps(struct jw *w, const struct rule_step *steps, int n)
{
    char text[STEP_TEXT_MAX], ex[48];
    jw_key(w, "stappen");
    jw_arr_open(w);
    for (int i = 0; i < n; i++) {
        const struct rule_step *s = &steps[i];
        jw_obj_open(w);
        jw_kstr(w, "omschrijving", step_text(s, text, sizeof text));
        switch (step_unit(s)) {
        case STEP_UNIT_AMOUNT:
            jw_kmoney(w, "bedrag", s->value);
            if (s->has_exact)
                jw_kstr(w, "exact", step_exact_fmt(s, ex, sizeof ex));
            break;
        case STEP_UNIT_DATE:
            jw_kdate(w, "datum", (int32_t)s->value);
            break;
        default:
            jw_kint(w, "aantal", s->value);
        }
        jw_kstr(w, "wettelijkeGrondslag", step_basis(s));
        jw_obj_close(w);
    }
    jw_arr_close(w);
}

bool codec_steps_pack(const struct rule_step *steps, int n, char *out, size_t cap)
{
    size_t at = 0;
    if (cap == 0)
        return false;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        const struct rule_step *s = &steps[i];
        int k = snprintf(out + at, cap - at, "%s%d,%lld,%lld,%lld,%lld,%lld", i ? ";" : "",
                         (int)s->id, (long long)s->value, (long long)s->arg[0],
                         (long long)s->arg[1], (long long)s->arg[2], (long long)s->arg[3]);
        if (k < 0 || (size_t)k >= cap - at)
            return false;
        at += (size_t)k;
        if (s->has_exact) {
            k = snprintf(out + at, cap - at, ",%lld", (long long)s->exact);
            if (k < 0 || (size_t)k >= cap - at)
                return false;
            at += (size_t)k;
        }
    }
    return true;
}

static bool unpack_int(const char **p, int64_t *v)
{
    char *end;
    errno = 0;
    long long x = strtoll(*p, &end, 10);
    if (end == *p || errno)
        return false;
    *v = x;
    *p = end;
    return true;
}

int codec_steps_unpack(const char *in, struct rule_step *out, int max)
{
    int n = 0;
    const char *p = in;
    while (*p) {
        if (n == max)
            return -1;
        struct rule_step *s = &out[n];
        memset(s, 0, sizeof *s);
        int64_t f[7];
        int k = 0; /* figures read */
        for (;;) {
            if (k == 7 || !unpack_int(&p, &f[k]))
                return -1;
            k++;
            if (*p != ',')
                break;
            p++;
        }
        if (k < 6 || f[0] <= 0 || f[0] >= STEP_ID_COUNT || (*p && *p != ';'))
            return -1;
        s->id = (int32_t)f[0];
        s->value = f[1];
        for (int j = 0; j < 4; j++)
            s->arg[j] = f[2 + j];
        if (k == 7) {
            s->has_exact = true;
            s->exact = f[6];
        }
        n++;
        if (*p == ';')
            p++;
    }
    return n;
}

void codec_lks(struct jw *w, const struct lks_result *r)
{
    jw_obj_open(w);
    jw_kdate(w, "peildatum", r->peildatum);
    jw_kmoney(w, "wmlPerMaand", r->wml);
    jw_kmoney(w, "grondslag", r->base);
    jw_kmoney(w, "loonkostensubsidie", r->subsidy);
    jw_kmoney(w, "werkgeverslasten", r->allowance);
    jw_kmoney(w, "totaal", r->total);
    codec_steps(w, r->step, r->nsteps);
    jw_obj_close(w);
}

void codec_ld(struct jw *w, const struct ld_result *r)
{
    jw_obj_open(w);
    jw_kmoney(w, "aanvulling", r->supplement);
    jw_kmoney(w, "totaalInkomen", r->income);
    jw_kmoney(w, "norm", r->norm);
    jw_kmoney(w, "besparing", r->saving);
    codec_steps(w, r->step, r->nsteps);
    jw_obj_close(w);
}

void codec_ie(struct jw *w, const struct ie_result *r)
{
    jw_obj_open(w);
    jw_kmoney(w, "besparingPerFteMaand", r->per_fte_month);
    jw_kmoney(w, "totaal", r->total);
    codec_steps(w, r->step, r->nsteps);
    jw_obj_close(w);
}

void codec_term(struct jw *w, const struct term_result *r)
{
    jw_obj_open(w);
    jw_kdate(w, "vanaf", r->from);
    jw_kdate(w, "einddatum", r->end);
    codec_steps(w, r->step, r->nsteps);
    jw_obj_close(w);
}

void codec_toets(struct jw *w, const struct toets_input *in, const struct toets_result *r)
{
    jw_obj_open(w);
    jw_kstr(w, "uitkomst", toets_outcome_name(r->outcome));
    jw_key(w, "redenering");
    jw_arr_open(w);
    for (int i = 0; i < r->nreasons; i++) {
        const struct toets_reason *rs = &r->reason[i];
        const struct toets_question_def *d = &toets_questions[rs->question];
        jw_obj_open(w);
        jw_kstr(w, "vraag", d->label);
        jw_kstr(w, "tekst", d->text);
        jw_kstr(w, "antwoord", rs->yes ? "ja" : "nee");
        jw_key(w, "criteria");
        jw_arr_open(w);
        for (int c = 0; c < d->ncriteria; c++) {
            jw_obj_open(w);
            jw_kstr(w, "naam", d->criterion[c]);
            jw_kstr(w, "omschrijving", d->criterion_text[c]);
            jw_kbool(w, "voldaan", in->answer[rs->question][c] == TOETS_YES);
            jw_obj_close(w);
        }
        jw_arr_close(w);
        jw_kstr(w, "conclusie", rs->conclusion);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    if (in->toelichting)
        jw_kstr(w, "toelichting", in->toelichting);
    jw_obj_close(w);
}

static int find_question(const char *key)
{
    for (int q = 0; q < TOETS_NQUESTIONS; q++)
        if (strcmp(toets_questions[q].key, key) == 0)
            return q;
    return -1;
}

static int find_criterion(int q, const char *name)
{
    for (int c = 0; c < toets_questions[q].ncriteria; c++)
        if (strcmp(toets_questions[q].criterion[c], name) == 0)
            return c;
    return -1;
}

int codec_toets_parse(const json_t *root, struct toets_input *in, struct lks_errlist *errs)
{
    memset(in, 0, sizeof *in);
    /* count faults ourselves: a full list does not grow */
    int before = errs->n + errs->dropped;
    if (!json_is_object(root)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "antwoorden", "not-an-object",
                    "de antwoorden moeten een JSON-object zijn");
        return LKS_EINVAL;
    }
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)root, key, val)
    {
        if (strcmp(key, "toelichting") == 0) {
            if (json_is_string(val))
                in->toelichting = json_string_value(val);
            else if (!json_is_null(val))
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "toelichting", "not-a-string",
                            "toelichting moet tekst zijn");
            continue;
        }
        int q = find_question(key);
        if (q < 0) {
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "unknown-field",
                        "onbekend veld (verwacht vraag1, vraag2a, vraag2b, vraag3 of "
                        "toelichting)");
            continue;
        }
        if (!json_is_object(val)) {
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "not-an-object",
                        "moet een object met criteria zijn");
            continue;
        }
        const char *ck;
        json_t *cv;
        json_object_foreach(val, ck, cv)
        {
            char field[80];
            snprintf(field, sizeof field, "%s.%.40s", key, ck);
            int c = find_criterion(q, ck);
            if (c < 0) {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, field, "unknown-field",
                            "onbekend criterium bij %s", key);
            } else if (!json_is_boolean(cv)) {
                lks_err_set(lks_errlist_add(errs), LKS_EINVAL, field, "not-a-boolean",
                            "moet true of false zijn");
            } else {
                in->answer[q][c] = json_is_true(cv) ? TOETS_YES : TOETS_NO;
            }
        }
    }
    return errs->n + errs->dropped > before ? LKS_EINVAL : 0;
}

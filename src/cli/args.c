/* args — see args.h. */
#include "cli/args.h"

#include <string.h>

#include "base/date.h"
#include "base/money.h"

void args_help(const struct arg_cmd *cmd, FILE *out)
{
    fprintf(out, "Gebruik: %s\n\n%s\n", cmd->usage, cmd->summary);
    if (cmd->details)
        fprintf(out, "\n%s\n", cmd->details);
    if (cmd->nspec)
        fprintf(out, "\nOpties:\n");
    for (int i = 0; i < cmd->nspec; i++) {
        const struct arg_spec *s = &cmd->spec[i];
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", s->name, s->meta ? " " : "",
                 s->meta ? s->meta : "");
        fprintf(out, "  %-28s %s%s\n", left, s->help, s->required ? " (verplicht)" : "");
    }
    fprintf(out, "  %-28s %s\n", "--help", "deze uitleg");
}

static int parse_value(const struct arg_spec *s, const char *v, struct arg_val *out,
                       struct lks_err *err)
{
    out->str = v;
    switch (s->type) {
    case ARG_DATE: {
        lks_date d;
        if (date_parse(&d, v, s->name, err))
            return LKS_EINVAL;
        out->num = d;
        return 0;
    }
    case ARG_PCT:
        if (money_parse_fixed(&out->num, v, 2, s->name, err))
            return LKS_EINVAL;
        if (out->num < 0 || out->num > 10000)
            return lks_err_set(err, LKS_EINVAL, s->name, "out-of-range",
                               "'%s' is geen percentage van 0 tot en met 100", v);
        return 0;
    case ARG_HOURS:
    case ARG_MONEY:
    case ARG_FTE: {
        int dec = s->type == ARG_FTE ? 4 : 2;
        if (money_parse_fixed(&out->num, v, dec, s->name, err))
            return LKS_EINVAL;
        int64_t lo = s->lo, hi = s->hi;
        if (s->type == ARG_FTE) {
            lo = 1;
            hi = 10000;
        }
        if (hi > 0 && (out->num < lo || out->num > hi)) {
            char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];
            return lks_err_set(err, LKS_EINVAL, s->name, "out-of-range",
                               "'%s' ligt niet tussen %s en %s", v,
                               money_fmt_short(a, lo, dec, 0), money_fmt_short(b, hi, dec, 0));
        }
        if (out->num < 0)
            return lks_err_set(err, LKS_EINVAL, s->name, "negative",
                               "'%s' mag niet negatief zijn", v);
        return 0;
    }
    case ARG_INT:
        if (money_parse_fixed(&out->num, v, 0, s->name, err))
            return lks_err_set(err, LKS_EINVAL, s->name, "not-an-integer",
                               "'%s' is geen geheel getal", v);
        if (out->num < s->lo || out->num > s->hi)
            return lks_err_set(err, LKS_EINVAL, s->name, "out-of-range",
                               "'%s' ligt niet tussen %lld en %lld", v,
                               (long long)s->lo, (long long)s->hi);
        return 0;
    case ARG_ENUM:
        for (int i = 0; s->choices[i]; i++)
            if (strcmp(s->choices[i], v) == 0) {
                out->num = i;
                return 0;
            }
        {
            char list[160] = "";
            for (int i = 0; s->choices[i]; i++) {
                if (i)
                    strncat(list, ", ", sizeof list - strlen(list) - 1);
                strncat(list, s->choices[i], sizeof list - strlen(list) - 1);
            }
            return lks_err_set(err, LKS_EINVAL, s->name, "unknown-choice",
                               "'%s' is geen geldige keuze (kies uit: %s)", v, list);
        }
    case ARG_STR:
        if (!*v)
            return lks_err_set(err, LKS_EINVAL, s->name, "empty", "de waarde is leeg");
        return 0;
    case ARG_FLAG:
        break;
    }
    return 0;
}

int args_parse(const struct arg_cmd *cmd, int argc, char **argv, struct arg_val *vals,
               const char **pos, FILE *out, struct lks_err *err)
{
    memset(vals, 0, sizeof *vals * (size_t)cmd->nspec);
    int npos = 0;
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            args_help(cmd, out);
            return 1;
        }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            if (npos >= cmd->npos)
                return lks_err_set(err, LKS_EINVAL, a, "unexpected",
                                   "onverwacht argument (zie --help)");
            pos[npos++] = a;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const struct arg_spec *s = NULL;
        int k = 0;
        for (; k < cmd->nspec; k++)
            if (strlen(cmd->spec[k].name) == nlen && strncmp(cmd->spec[k].name, a, nlen) == 0) {
                s = &cmd->spec[k];
                break;
            }
        if (!s)
        {
            char flag[64];
            snprintf(flag, sizeof flag, "%.*s", (int)(nlen < 60 ? nlen : 60), a);
            return lks_err_set(err, LKS_EINVAL, flag, "unknown-flag",
                               "onbekende optie (zie --help)");
        }
        if (vals[k].set)
            return lks_err_set(err, LKS_EINVAL, s->name, "repeated", "is meer dan eens gegeven");
        vals[k].set = 1;
        if (s->type == ARG_FLAG) {
            if (eq)
                return lks_err_set(err, LKS_EINVAL, s->name, "no-value",
                                   "neemt geen waarde");
            continue;
        }
        const char *v;
        if (eq) {
            v = eq + 1;
        } else {
            if (i + 1 >= argc)
                return lks_err_set(err, LKS_EINVAL, s->name, "missing-value",
                                   "er ontbreekt een waarde (%s)",
                                   s->meta ? s->meta : "waarde");
            v = argv[++i];
        }
        if (parse_value(s, v, &vals[k], err))
            return LKS_EINVAL;
    }
    for (int k = 0; k < cmd->nspec; k++)
        if (cmd->spec[k].required && !vals[k].set)
            return lks_err_set(err, LKS_EINVAL, cmd->spec[k].name, "required",
                               "is verplicht (%s)", cmd->spec[k].help);
    if (npos < cmd->npos)
        return lks_err_set(err, LKS_EINVAL, cmd->pos_meta ? cmd->pos_meta : "argument",
                           "required", "ontbreekt (zie --help)");
    return 0;
}

const struct arg_val *args_get(const struct arg_cmd *cmd, const struct arg_val *vals,
                               const char *name)
{
    for (int k = 0; k < cmd->nspec; k++)
        if (strcmp(cmd->spec[k].name, name) == 0)
            return &vals[k];
    return NULL;
}

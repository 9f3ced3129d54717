/* ld — see ld.h. */
#include "rules/ld.h"

#include <string.h>

#include "base/money.h"

#define PCT_100 10000
#define S STEP_EXACT_SCALE

/* Per household: share of (A − B) that is supplemented, in eighths (art. 6 of the
 * Uitvoeringsbesluit), and the norm as a share of A (seed 003 annex 1). */
static const struct {
    const char *name;
    int eighths;
    int32_t norm_pct;
} household[] = {
    [LD_SINGLE] = {"alleenstaand", 5, 6000},
    [LD_SINGLE_PARENT] = {"alleenstaande-ouder", 7, 8500},
    [LD_COUPLE] = {"gehuwd", 8, 10000},
};

const char *ld_household_name(enum ld_household h)
{
    return household[h].name;
}

int ld_household_parse(const char *s)
{
    for (int i = LD_SINGLE; i <= LD_COUPLE; i++)
        if (s && strcmp(s, household[i].name) == 0)
            return i;
    return -1;
}

/* Round a value in 1e-7 cent half-up to whole cents. */
static int64_t round_exact(int64_t u)
{
    int64_t c;
    money_mul_div(&c, u, 1, S);
    return c;
}

static struct rule_step *push(struct rule_step *steps, int *n, int id, int64_t exact)
{
    struct rule_step *s = &steps[(*n)++];
    memset(s, 0, sizeof *s);
    s->id = id;
    s->value = round_exact(exact);
    s->exact = exact;
    s->has_exact = exact % S != 0;
    return s;
}

#define A_MAX 100000000LL /* € 1.000.000 a month: beyond any benefit norm */

static int check(int32_t lw, int64_t a, struct lks_err *err)
{
    if (lw < 0 || lw > PCT_100)
        return lks_err_set(err, LKS_EINVAL, "loonwaarde", "out-of-range",
                           "moet tussen 0 en 100 procent liggen");
    if (a <= 0 || a > A_MAX)
        return lks_err_set(err, LKS_EINVAL, "normGehuwden", "out-of-range",
                           "moet een bedrag groter dan 0 zijn");
    return 0;
}

int ld_compute(const struct ld_input *in, struct ld_result *o, struct lks_err *err)
{
    int rc = check(in->loonwaarde, in->norm_couple, err);
    if (rc)
        return rc;
    if ((unsigned)in->household > LD_COUPLE)
        return lks_err_set(err, LKS_EINVAL, "huishouden", "unknown",
                           "moet alleenstaand, alleenstaande-ouder of gehuwd zijn");
    if (in->other_income < 0 || in->other_income > A_MAX)
        return lks_err_set(err, LKS_EINVAL, "overigInkomen", "out-of-range",
                           "moet 0 of meer zijn");
    if (in->has_net_income && (in->net_income < 0 || in->net_income > A_MAX))
        return lks_err_set(err, LKS_EINVAL, "nettoInkomen", "out-of-range",
                           "moet 0 of meer zijn");

    const int eighths = household[in->household].eighths;
    o->nsteps = 0;
    int64_t a = in->norm_couple * S;
    push(o->step, &o->nsteps, STEP_LD_NORM_COUPLE, a);

    /* B: the net income from the job; the seed's tables assume B = loonwaarde × A. */
    int64_t b;
    struct rule_step *s;
    if (in->has_net_income) {
        b = in->net_income * S;
        push(o->step, &o->nsteps, STEP_LD_NET_GIVEN, b);
    } else {
        b = in->norm_couple * in->loonwaarde * (S / PCT_100);
        s = push(o->step, &o->nsteps, STEP_LD_NET_FROM_LW, b);
        s->arg[0] = in->loonwaarde;
        s->arg[1] = in->norm_couple;
    }

    /* factor × (A − B): exact, since A and B are whole multiples of 1000 units. */
    int64_t gap = (a - b) / 8 * eighths;
    s = push(o->step, &o->nsteps, STEP_LD_GAP, gap);
    s->arg[0] = in->household;
    s->arg[1] = eighths;

    int64_t c = in->other_income * S;
    if (c) {
        s = push(o->step, &o->nsteps, STEP_LD_OTHER_INCOME, c);
    }
    int64_t supp = gap - c;
    bool floored = supp < 0;
    if (floored)
        supp = 0;
    s = push(o->step, &o->nsteps, STEP_LD_SUPPLEMENT, supp);
    s->arg[0] = floored;
    o->supplement = s->value;

    int64_t income = b + c + supp;
    push(o->step, &o->nsteps, STEP_LD_INCOME, income);
    o->income = round_exact(income);

    int32_t norm_pct = household[in->household].norm_pct;
    s = push(o->step, &o->nsteps, STEP_LD_NORM, in->norm_couple * norm_pct * (S / PCT_100));
    s->arg[0] = norm_pct;
    s->arg[1] = in->household;
    o->norm = s->value;

    o->saving = o->norm - o->supplement;
    s = push(o->step, &o->nsteps, STEP_LD_SAVING, o->saving * S);
    s->arg[0] = o->norm;
    s->arg[1] = o->supplement;
    return 0;
}

int ie_compute(const struct ie_input *in, struct ie_result *o, struct lks_err *err)
{
    int rc = check(in->loonwaarde, in->norm_couple, err);
    if (rc)
        return rc;
    if (in->placements < 0 || in->placements > 10000000)
        return lks_err_set(err, LKS_EINVAL, "plaatsingen", "out-of-range",
                           "moet 0 of meer zijn (ten hoogste 10 miljoen)");
    if (in->months < 0 || in->months > 1200)
        return lks_err_set(err, LKS_EINVAL, "maanden", "out-of-range",
                           "moet tussen 0 en 1200 liggen");
    if (in->fte <= 0 || in->fte > 10000)
        return lks_err_set(err, LKS_EINVAL, "fte", "out-of-range",
                           "moet groter dan 0 en ten hoogste 1 zijn");

    static const int ids[] = {STEP_IE_SAVING_SINGLE, STEP_IE_SAVING_PARENT, STEP_IE_SAVING_COUPLE};
    o->nsteps = 0;
    int64_t sum = 0;
    for (int h = LD_SINGLE; h <= LD_COUPLE; h++) {
        struct ld_input li = {.household = (enum ld_household)h,
                              .loonwaarde = in->loonwaarde,
                              .norm_couple = in->norm_couple};
        struct ld_result lr;
        rc = ld_compute(&li, &lr, err);
        if (rc)
            return rc;
        struct rule_step *s = push(o->step, &o->nsteps, ids[h], lr.saving * S);
        s->arg[0] = lr.norm;
        s->arg[1] = lr.supplement;
        sum += lr.saving;
    }
    struct rule_step *s = push(o->step, &o->nsteps, STEP_IE_SUM, sum * S);
    s = push(o->step, &o->nsteps, STEP_IE_AVERAGE, sum * S / 3);
    s->arg[0] = sum;
    o->per_fte_month = s->value;

    /* total = sum × placements × months × fte / (3 × 10000), rounded once. */
    int64_t t;
    money_i128 num = (money_i128)sum * in->placements * in->months * in->fte;
    money_i128 den = 3 * 10000;
    money_i128 q = (num * 2 + den) / (2 * den);
    if (q > INT64_MAX / S)
        return lks_err_set(err, LKS_EOVERFLOW, "plaatsingen", "overflow",
                           "de uitkomst is te groot om te berekenen");
    t = (int64_t)q;
    s = push(o->step, &o->nsteps, STEP_IE_TOTAL, t * S);
    s->arg[0] = sum;
    s->arg[1] = in->placements;
    s->arg[2] = in->months;
    s->arg[3] = in->fte;
    o->total = t;
    return 0;
}

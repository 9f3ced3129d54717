/* policy — see policy.h. */
#include "case/policy.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "base/money.h"

void policy_default(struct policy *p)
{
    p->lower_bound = 3000;      /* seed 004 art. 33: ondergrens 30% */
    p->upper_bound = 10000;     /* seed 004 art. 33: bovengrens 100% */
    p->remeasure_months = 12;   /* seed 004: jaarlijks */
    p->report_days = 10;        /* seed 000 */
    p->service_workdays = 10;   /* seed 000 */
    p->info_days = 14;
    p->jobcoach_hours = 5200;   /* seed 004: 52 uur per jaar */
    p->jobcoach_years = 3;
    p->trial_months = 2;        /* seed 004: proefplaatsing max. 2 maanden */
    p->trial_extra_months = 1;  /* + 1 maand met motivatie */
    p->norisk_months = 24;
    p->objection_committee = 0;
    p->quota = 0;
    p->quota_levy = 500000;     /* seed 004 §4.4: € 5.000 per onvervulde plek */
}

#define F(name) offsetof(struct policy, name)

static const struct {
    size_t off;
    int wide; /* int64_t field */
} slot[] = {
    {F(lower_bound), 0},     {F(upper_bound), 0},      {F(remeasure_months), 0},
    {F(report_days), 0},     {F(service_workdays), 0}, {F(info_days), 0},
    {F(jobcoach_hours), 0},  {F(jobcoach_years), 0},   {F(trial_months), 0},
    {F(trial_extra_months), 0}, {F(norisk_months), 0}, {F(objection_committee), 0},
    {F(quota), 0},           {F(quota_levy), 1},
};

const struct policy_key policy_keys[] = {
    {"ondergrens", "ondergrens loonwaarde (procent)", 0, 10000, 2},
    {"bovengrens", "bovengrens loonwaarde; LKS alleen daaronder (procent)", 0, 10000, 2},
    {"herbeoordeling-maanden", "herbeoordeling van de loonwaarde na (maanden)", 1, 60, 0},
    {"rapport-dagen", "rapport loonwaardemeting binnen (dagen)", 1, 90, 0},
    {"servicenorm-werkdagen", "beschikking binnen (werkdagen)", 1, 60, 0},
    {"informatie-dagen", "termijn om een aanvraag aan te vullen (dagen)", 1, 90, 0},
    {"jobcoach-uren", "jobcoaching per jaar (uren)", 0, 100000, 2},
    {"jobcoach-jaren", "jobcoaching ten hoogste (jaren)", 0, 10, 0},
    {"proefplaatsing-maanden", "proefplaatsing ten hoogste (maanden)", 0, 12, 0},
    {"proefplaatsing-verlenging", "verlenging proefplaatsing met motivatie (maanden)", 0, 12, 0},
    {"norisk-maanden", "no-risk polis in de eerste (maanden)", 0, 120, 0},
    {"bezwaar-adviescommissie", "adviescommissie bezwaarschriften (0 of 1)", 0, 1, 0},
    {"quotum", "quotumheffing aan (0 of 1)", 0, 1, 0},
    {"quotumheffing", "quotumheffing per onvervulde plek (euro)", 0, 100000000, 2},
};
const int policy_nkeys = sizeof policy_keys / sizeof policy_keys[0];

int policy_index(const char *key)
{
    for (int i = 0; i < policy_nkeys; i++)
        if (strcmp(policy_keys[i].key, key) == 0)
            return i;
    return -1;
}

int64_t policy_get(const struct policy *p, int i)
{
    const char *base = (const char *)p + slot[i].off;
    if (slot[i].wide) {
        int64_t v;
        memcpy(&v, base, sizeof v);
        return v;
    }
    int32_t v;
    memcpy(&v, base, sizeof v);
    return v;
}

void policy_put(struct policy *p, int i, int64_t value)
{
    char *base = (char *)p + slot[i].off;
    if (slot[i].wide) {
        memcpy(base, &value, sizeof value);
    } else {
        int32_t v = (int32_t)value;
        memcpy(base, &v, sizeof v);
    }
}

int policy_set(struct policy *p, const char *key, const char *value, struct lks_err *err)
{
    int i = policy_index(key);
    if (i < 0)
        return lks_err_set(err, LKS_EINVAL, key, "unknown-setting", "onbekende instelling");
    int64_t v;
    if (money_parse_fixed(&v, value, policy_keys[i].decimals, key, err))
        return LKS_EINVAL;
    if (v < policy_keys[i].lo || v > policy_keys[i].hi)
        return lks_err_set(err, LKS_EINVAL, key, "out-of-range",
                           "'%s' ligt buiten het toegestane bereik", value);
    policy_put(p, i, v);
    return 0;
}

int policy_check_row(const char *key, int64_t value, struct lks_err *err)
{
    int i = policy_index(key);
    if (i < 0)
        return lks_err_set(err, LKS_EINVAL, key, "unknown-setting", "onbekende instelling '%s'",
                           key);
    if (value < policy_keys[i].lo || value > policy_keys[i].hi)
        return lks_err_set(err, LKS_EINVAL, key, "out-of-range",
                           "de waarde %lld voor '%s' ligt buiten het toegestane bereik",
                           (long long)value, key);
    return 0;
}

void policy_timeline_init(struct policy_timeline *t)
{
    memset(t, 0, sizeof *t); /* padding too: policies are compared bytewise */
    t->n = 1;
    t->from[0] = INT32_MIN;
    policy_default(&t->p[0]);
}

int policy_timeline_add(struct policy_timeline *t, const char *tenant, lks_date from,
                        const char *key, int64_t value, struct lks_err *err)
{
    struct lks_err e;
    if (policy_check_row(key, value, &e))
        return lks_err_set(err, LKS_EINVAL, key, e.reason,
                           "instelling '%s' van gemeente '%s' is ongeldig: %s", key,
                           tenant ? tenant : "?", e.msg);
    int last = t->n - 1;
    if (from < t->from[last])
        return lks_err_set(err, LKS_EINVAL, key, "out-of-order",
                           "de instellingen van gemeente '%s' komen niet op datum",
                           tenant ? tenant : "?");
    if (from != t->from[last]) {
        if (t->n == POLICY_TIMELINE_MAX)
            return lks_err_set(err, LKS_ERANGE, key, "too-many",
                               "gemeente '%s' heeft meer dan %d wijzigingsdata in haar beleid",
                               tenant ? tenant : "?", POLICY_TIMELINE_MAX - 1);
        t->from[t->n] = from;
        t->p[t->n] = t->p[last];
        last = t->n++;
    }
    policy_put(&t->p[last], policy_index(key), value);
    return 0;
}

const struct policy *policy_timeline_at(const struct policy_timeline *t, lks_date on)
{
    assert(t->n >= 1 && t->n <= POLICY_TIMELINE_MAX); /* policy_timeline_init was called */
    int i = t->n - 1;
    while (i > 0 && t->from[i] > on)
        i--;
    return &t->p[i];
}

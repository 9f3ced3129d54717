/* person — see person.h. The table of commands first, then checks and fold. */
#include "case/person.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/ids.h"

#define R(x) (1u << (x))

const struct person_transition person_transitions[PER_EV_COUNT] = {
    [PER_GEREGISTREERD] = {PER_GEREGISTREERD,
                           R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER) | R(ROLE_WERKNEMER),
                           "standaardformulier: gegevens werknemer"},
    [PER_GEWIJZIGD] = {PER_GEWIJZIGD, R(ROLE_KLANTMANAGER),
                       "AVG art. 5 lid 1 onder d (juiste gegevens); Awb art. 4:2 lid 2"},
    [PER_OVERGENOMEN] = {PER_OVERGENOMEN, R(ROLE_SYSTEEM), "overgenomen bij schemaversie 7"},
};


int person_check_fields(const struct person *p, const char *prefix, bool name_required,
                        lks_date on, struct lks_err *err)
{
    char reason[IDS_REASON_MAX], f[64];
    if (!ids_bsn_valid(p->bsn, reason)) {
        snprintf(f, sizeof f, "%sbsn", prefix);
        return lks_err_set(err, LKS_EINVAL, f, "invalid", "BSN %s", reason);
    }
    if (name_required && case_text_blank(p->name)) {
        snprintf(f, sizeof f, "%snaam", prefix);
        return lks_err_set(err, LKS_EINVAL, f, "refused", "de naam van de werknemer ontbreekt");
    }
    if (p->postcode[0] && !ids_postcode_valid(p->postcode, reason)) {
        snprintf(f, sizeof f, "%spostcode", prefix);
        return lks_err_set(err, LKS_EINVAL, f, "invalid", "postcode %s", reason);
    }
    if (p->birth != LKS_NO_DATE && on != LKS_NO_DATE) {
        int age = date_age_on(p->birth, on);
        if (age < 15 || age > 80) {
            snprintf(f, sizeof f, "%sgeboortedatum", prefix);
            return lks_err_set(err, LKS_EINVAL, f, "refused",
                               "de geboortedatum geeft geen aannemelijke leeftijd");
        }
    }
    return 0;
}

static int precondition(const struct person *p, enum per_ev_type t, struct lks_err *err)
{
    if (t == PER_GEREGISTREERD || t == PER_OVERGENOMEN)
        return p->version == 0 ? 0
                               : lks_err_set(err, LKS_ESTATE, "bsn", "exists",
                                             "deze persoon is al geregistreerd");
    if (p->version == 0)
        return lks_err_set(err, LKS_ESTATE, "bsn", "not-registered",
                           "deze persoon is nog niet geregistreerd");
    return 0;
}

int person_decide(const struct person *p, struct person_event *ev, struct lks_err *err)
{
    if ((unsigned)ev->type >= PER_EV_COUNT)
        return lks_err_set(err, LKS_EINVAL, "soort", "unknown", "onbekende opdracht");
    if ((unsigned)ev->role >= ROLE_COUNT || !(person_transitions[ev->type].roles & R(ev->role)))
        return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                           "de rol %s mag '%s' niet geven",
                           (unsigned)ev->role < ROLE_COUNT ? role_name(ev->role) : "?",
                           per_ev_name(ev->type));
    if (ev->date == LKS_NO_DATE || ev->date == 0)
        return lks_err_set(err, LKS_EINVAL, "datum", "required", "de datum ontbreekt");
    int rc = precondition(p, ev->type, err);
    if (rc)
        return rc;
    if (ev->type == PER_GEWIJZIGD && strcmp(ev->data.bsn, p->bsn) != 0)
        return lks_err_set(err, LKS_EINVAL, "bsn", "immutable",
                           "het BSN van een persoon verandert niet; een ander BSN is een andere "
                           "persoon");
    return person_check_fields(&ev->data, "", true, ev->date, err);
}

int person_apply(struct person *p, const struct person_event *ev, struct lks_err *err)
{
    if ((unsigned)ev->type >= PER_EV_COUNT || precondition(p, ev->type, err) ||
        (ev->type == PER_GEWIJZIGD && strcmp(ev->data.bsn, p->bsn) != 0))
        return lks_err_set(err, LKS_EINVAL, "gebeurtenis", "does-not-fit",
                           "gebeurtenis %lld (%s) past niet bij de persoon", (long long)ev->seq,
                           per_ev_name(ev->type));
    int64_t id = p->id, version = p->version;
    *p = ev->data;
    p->id = id;
    p->bsn[sizeof p->bsn - 1] = '\0';
    p->version = version + 1;
    assert(p->version >= 1);
    return 0;
}

uint32_t person_commands(const struct person *p, enum role role)
{
    uint32_t out = 0;
    struct lks_err err;
    for (int t = 0; t < PER_EV_COUNT; t++)
        if ((unsigned)role < ROLE_COUNT && (person_transitions[t].roles & R(role)) &&
            t != PER_OVERGENOMEN && precondition(p, (enum per_ev_type)t, &err) == 0)
            out |= 1u << t;
    return out;
}

#define FILL_TEXT(f)                                                                               \
    do {                                                                                           \
        if (!to->f[0] && from->f[0]) {                                                             \
            memcpy(to->f, from->f, sizeof to->f);                                                  \
            any = true;                                                                            \
        }                                                                                          \
    } while (0)
#define FILL_DATE(f)                                                                               \
    do {                                                                                           \
        if (to->f == LKS_NO_DATE && from->f != LKS_NO_DATE) {                                      \
            to->f = from->f;                                                                       \
            any = true;                                                                            \
        }                                                                                          \
    } while (0)

bool person_complete(struct person *to, const struct person *from)
{
    bool any = false;
    FILL_TEXT(name);
    FILL_DATE(birth);
    FILL_TEXT(address);
    FILL_TEXT(postcode);
    FILL_TEXT(city);
    FILL_DATE(benefit_start);
    if (to->sex == SEX_UNKNOWN && from->sex != SEX_UNKNOWN) {
        to->sex = from->sex;
        any = true;
    }
    return any;
}

bool person_differs(const struct person *p, const struct person *form)
{
#define DIFF_TEXT(f) (form->f[0] && p->f[0] && strcmp(form->f, p->f) != 0)
#define DIFF_DATE(f) (form->f != LKS_NO_DATE && p->f != LKS_NO_DATE && form->f != p->f)
    /* what a form may leave out (an enum it does not state reads as its first value) is
     * not compared: only what it says in text and dates */
    return DIFF_TEXT(name) || DIFF_DATE(birth) || DIFF_TEXT(address) || DIFF_TEXT(postcode) ||
           DIFF_TEXT(city) || DIFF_DATE(benefit_start);
#undef DIFF_TEXT
#undef DIFF_DATE
}

/* employer — see employer.h. The table of commands first, then checks and fold. */
#include "case/employer.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "base/ids.h"

#define R(x) (1u << (x))

const struct employer_transition employer_transitions[EMP_EV_COUNT] = {
    [EMP_GEREGISTREERD] = {EMP_GEREGISTREERD,
                           R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER) | R(ROLE_WERKNEMER),
                           "standaardformulier: gegevens werkgever"},
    [EMP_GEWIJZIGD] = {EMP_GEWIJZIGD, R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER),
                       "Awb art. 4:2 lid 2 (juiste gegevens)"},
    [EMP_IBAN_VOORGESTELD] = {EMP_IBAN_VOORGESTELD, R(ROLE_KLANTMANAGER) | R(ROLE_WERKGEVER),
                              "betaalgegevens werkgever; vier ogen"},
    [EMP_IBAN_BEVESTIGD] = {EMP_IBAN_BEVESTIGD, R(ROLE_FINANCIEEL),
                            "functiescheiding: een ander dan wie voorstelde bevestigt"},
    [EMP_IBAN_AFGEWEZEN] = {EMP_IBAN_AFGEWEZEN, R(ROLE_FINANCIEEL),
                            "functiescheiding: de oude IBAN blijft gelden"},
    [EMP_OVERGENOMEN] = {EMP_OVERGENOMEN, R(ROLE_SYSTEEM), "overgenomen bij schemaversie 3"},
};


static int bad(struct lks_err *err, const char *prefix, const char *field, const char *reason,
               const char *msg, const char *detail)
{
    char f[64];
    snprintf(f, sizeof f, "%s%s", prefix, field);
    return lks_err_set(err, LKS_EINVAL, f, reason, "%s%s", msg, detail ? detail : "");
}

int employer_check_fields(const struct employer *w, const char *prefix, bool name_required,
                          struct lks_err *err)
{
    char reason[IDS_REASON_MAX];
    if (!ids_kvk_valid(w->kvk, reason))
        return bad(err, prefix, "kvk", "invalid", "KvK-nummer ", reason);
    if (name_required && case_text_blank(w->name))
        return bad(err, prefix, "naam", "refused", "de naam van de werkgever ontbreekt", NULL);
    if (w->iban[0] && !ids_iban_valid(w->iban, reason))
        return bad(err, prefix, "iban", "invalid", "IBAN ", reason);
    if (w->postcode[0] && !ids_postcode_valid(w->postcode, reason))
        return bad(err, prefix, "postcode", "invalid", "postcode ", reason);
    if (w->fulltime_hours != 0 && (w->fulltime_hours < 100 || w->fulltime_hours > 6000))
        return bad(err, prefix, "voltijduren", "refused",
                   "de normale voltijdse uren van de sector moeten tussen 1 en 60 liggen", NULL);
    if (w->employees < 0)
        return bad(err, prefix, "aantalWerknemers", "refused", "het aantal werknemers is negatief",
                   NULL);
    return 0;
}

/* What the record must be for the command, apart from role and data. */
static int precondition(const struct employer *e, enum emp_ev_type t, struct lks_err *err)
{
    if (t == EMP_GEREGISTREERD || t == EMP_OVERGENOMEN)
        return e->version == 0 ? 0
                               : lks_err_set(err, LKS_ESTATE, "kvk", "exists",
                                             "deze werkgever is al geregistreerd");
    if (e->version == 0)
        return lks_err_set(err, LKS_ESTATE, "kvk", "not-registered",
                           "deze werkgever is nog niet geregistreerd");
    bool open = e->iban_proposed[0] != '\0';
    if (t == EMP_IBAN_VOORGESTELD && open)
        return lks_err_set(err, LKS_ESTATE, "iban", "proposal-waiting",
                           "er wacht al een IBAN-wijziging (%s) op bevestiging; die wordt eerst "
                           "bevestigd of afgewezen",
                           e->iban_proposed);
    if ((t == EMP_IBAN_BEVESTIGD || t == EMP_IBAN_AFGEWEZEN) && !open)
        return lks_err_set(err, LKS_ESTATE, "iban", "no-proposal",
                           "er wacht geen IBAN-wijziging op bevestiging");
    return 0;
}

int employer_decide(const struct employer *e, struct employer_event *ev, struct lks_err *err)
{
    if ((unsigned)ev->type >= EMP_EV_COUNT)
        return lks_err_set(err, LKS_EINVAL, "soort", "unknown", "onbekende opdracht");
    const struct employer_transition *t = &employer_transitions[ev->type];
    if ((unsigned)ev->role >= ROLE_COUNT || !(t->roles & (1u << ev->role)))
        return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                           "de rol %s mag '%s' niet geven",
                           (unsigned)ev->role < ROLE_COUNT ? role_name(ev->role) : "?",
                           emp_ev_name(ev->type));
    if (ev->date == LKS_NO_DATE || ev->date == 0)
        return lks_err_set(err, LKS_EINVAL, "datum", "required", "de datum ontbreekt");
    int rc = precondition(e, ev->type, err);
    if (rc)
        return rc;
    char reason[IDS_REASON_MAX];
    switch (ev->type) {
    case EMP_GEREGISTREERD:
        ev->data.iban[0] = '\0'; /* an account comes only through a proposal */
        return employer_check_fields(&ev->data, "", true, err);
    case EMP_GEWIJZIGD:
        if (strcmp(ev->data.kvk, e->kvk) != 0)
            return lks_err_set(err, LKS_EINVAL, "kvk", "immutable",
                               "het KvK-nummer van een werkgever verandert niet; een ander "
                               "KvK-nummer is een andere werkgever");
        memcpy(ev->data.iban, e->iban, sizeof ev->data.iban);
        return employer_check_fields(&ev->data, "", true, err);
    case EMP_IBAN_VOORGESTELD:
        if (!ids_iban_valid(ev->iban, reason))
            return lks_err_set(err, LKS_EINVAL, "iban", "invalid", "IBAN %s", reason);
        if (strcmp(ev->iban, e->iban) == 0)
            return lks_err_set(err, LKS_EINVAL, "iban", "unchanged",
                               "dit is de IBAN die al geldt");
        return 0;
    case EMP_IBAN_BEVESTIGD:
        if (strcmp(ev->actor, e->iban_proposed_by) == 0)
            return lks_err_set(err, LKS_EFORBIDDEN, "gebruiker", "four-eyes",
                               "wie een IBAN-wijziging voorstelde, kan haar niet zelf bevestigen "
                               "(vier ogen)");
        memcpy(ev->iban, e->iban_proposed, sizeof ev->iban);
        return 0;
    case EMP_IBAN_AFGEWEZEN:
        if (case_text_blank(ev->reason))
            return lks_err_set(err, LKS_EINVAL, "reden", "required", "geef de reden");
        return 0;
    default:
        return 0;
    }
}

static void clear_proposal(struct employer *e)
{
    e->iban_proposed[0] = '\0';
    e->iban_proposed_by[0] = '\0';
    e->iban_proposed_on = LKS_NO_DATE;
}

int employer_apply(struct employer *e, const struct employer_event *ev, struct lks_err *err)
{
    if ((unsigned)ev->type >= EMP_EV_COUNT || precondition(e, ev->type, err))
        return lks_err_set(err, LKS_EINVAL, "gebeurtenis", "does-not-fit",
                           "gebeurtenis %lld (%s) past niet bij de werkgever", (long long)ev->seq,
                           emp_ev_name(ev->type));
    switch (ev->type) {
    case EMP_GEREGISTREERD:
    case EMP_OVERGENOMEN: {
        int64_t id = e->id;
        *e = ev->data;
        e->id = id;
        e->kvk[sizeof e->kvk - 1] = '\0';
        if (ev->type == EMP_GEREGISTREERD)
            e->iban[0] = '\0';
        clear_proposal(e);
        e->version = 0;
        break;
    }
    case EMP_GEWIJZIGD:
        memcpy(e->name, ev->data.name, sizeof e->name);
        memcpy(e->address, ev->data.address, sizeof e->address);
        memcpy(e->postcode, ev->data.postcode, sizeof e->postcode);
        memcpy(e->city, ev->data.city, sizeof e->city);
        e->employees = ev->data.employees;
        e->fulltime_hours = ev->data.fulltime_hours;
        e->own_sickness_insurance = ev->data.own_sickness_insurance;
        break;
    case EMP_IBAN_VOORGESTELD:
        memcpy(e->iban_proposed, ev->iban, sizeof e->iban_proposed);
        e->iban_proposed[sizeof e->iban_proposed - 1] = '\0';
        snprintf(e->iban_proposed_by, sizeof e->iban_proposed_by, "%s", ev->actor);
        e->iban_proposed_on = ev->date;
        break;
    case EMP_IBAN_BEVESTIGD:
        memcpy(e->iban, e->iban_proposed, sizeof e->iban);
        clear_proposal(e);
        break;
    case EMP_IBAN_AFGEWEZEN:
        clear_proposal(e);
        break;
    default:
        break;
    }
    e->version++;
    assert(e->version >= 1 && e->kvk[sizeof e->kvk - 1] == '\0');
    return 0;
}

uint32_t employer_commands(const struct employer *e, enum role role)
{
    uint32_t out = 0;
    struct lks_err err;
    for (int t = 0; t < EMP_EV_COUNT; t++)
        if ((unsigned)role < ROLE_COUNT && (employer_transitions[t].roles & (1u << role)) &&
            precondition(e, (enum emp_ev_type)t, &err) == 0)
            out |= 1u << t;
    return out;
}

/* names — the Dutch names of states, event types (of cases, employers and persons) and
 * roles (model.h, event.h, employer.h, person.h). */
#include <string.h>

#include "case/employer.h"
#include "case/event.h"
#include "case/model.h"
#include "case/person.h"

static const char *const status_names[ST_COUNT] = {
    "aanvraag",        "wacht-op-informatie", "doelgroepbepaling", "loonwaardemeting",
    "besluitvorming",  "lopend",              "herbeoordeling",    "afgewezen",
    "beeindigd",       "ingetrokken",
};

static const char *const ev_names[EV_COUNT] = {
    "aanvraag-ingediend",
    "informatie-gevraagd",
    "informatie-aangevuld",
    "aanvraag-compleet",
    "toegangstoets-uitgevoerd",
    "loonwaardemeting-aangevraagd",
    "loonwaarde-vastgesteld",
    "forfait-afgesproken",
    "beschikking-verzonden",
    "herbeoordeling-gestart",
    "loonwaarde-ongewijzigd",
    "dienstverband-beeindigd",
    "verhuisd",
    "geen-doelgroep-meer",
    "aanvraag-ingetrokken",
    "bezwaar-ingediend",
    "bezwaar-beslist",
    "voorziening-toegekend",
    "voorziening-beeindigd",
    "betaling-verricht",
    "kosten-geboekt",
    "zaak-toegewezen",
};

static const char *const role_names[ROLE_COUNT] = {
    "klantmanager", "loonwaardedeskundige", "beslisser", "financieel", "beheerder",
    "auditor",      "werkgever",            "werknemer", "systeem",
    "applicatiebeheerder",
};

static const char *const emp_names[EMP_EV_COUNT] = {
    "werkgever-geregistreerd", "werkgever-gewijzigd", "iban-voorgesteld", "iban-bevestigd",
    "iban-afgewezen",          "werkgever-overgenomen",
};

static const char *const per_names[PER_EV_COUNT] = {"persoon-geregistreerd", "persoon-gewijzigd",
                                                "persoon-overgenomen"};

static int find(const char *const *names, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *case_status_name(enum case_status s)
{
    return (unsigned)s < ST_COUNT ? status_names[s] : "?";
}

int case_status_parse(const char *s)
{
    return find(status_names, ST_COUNT, s);
}

const char *ev_type_name(enum ev_type t)
{
    return (unsigned)t < EV_COUNT ? ev_names[t] : "?";
}

int ev_type_parse(const char *s)
{
    return find(ev_names, EV_COUNT, s);
}

const char *role_name(enum role r)
{
    return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int role_parse(const char *s)
{
    return find(role_names, ROLE_COUNT, s);
}

const char *emp_ev_name(enum emp_ev_type t)
{
    return (unsigned)t < EMP_EV_COUNT ? emp_names[t] : "?";
}

int emp_ev_parse(const char *s)
{
    return find(emp_names, EMP_EV_COUNT, s);
}

const char *per_ev_name(enum per_ev_type t)
{
    return (unsigned)t < PER_EV_COUNT ? per_names[t] : "?";
}

int per_ev_parse(const char *s)
{
    return find(per_names, PER_EV_COUNT, s);
}

bool case_text_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

/*
 * letter — the letter model and its text blocks (see letter.h). The blocks are data:
 * one table, each row for some kinds and addressees, shown when its condition on the
 * case's outcomes holds, with {name} placeholders filled from the case. Nothing here
 * computes an amount or a deadline: they come from the decision as the process stored
 * it, from case_month_amount (the steps) and from term_compute (a letter without a
 * decision of its own).
 */
#include "letter/letter.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "case/process.h"
#include "rules/step.h"
#include "rules/term.h"
#include "rules/toets.h"

static const char *const kind_names[LETTER_KIND_COUNT] = {"toekenning", "herziening", "afwijzing",
                                                          "einde", "bezwaar"};

const char *letter_kind_name(enum letter_kind k)
{
    return (unsigned)k < LETTER_KIND_COUNT ? kind_names[k] : "?";
}

int letter_kind_parse(const char *s)
{
    for (int k = 0; k < LETTER_KIND_COUNT; k++)
        if (strcmp(s, kind_names[k]) == 0)
            return k;
    return -1;
}

const char *letter_to_name(enum letter_to t)
{
    return t == LETTER_WERKNEMER ? "werknemer" : "werkgever";
}

int letter_to_parse(const char *s)
{
    return strcmp(s, "werkgever") == 0   ? LETTER_WERKGEVER
           : strcmp(s, "werknemer") == 0 ? LETTER_WERKNEMER
                                         : -1;
}

void letter_settings_default(struct letter_settings *s, const char *tenant, const char *name)
{
    memset(s, 0, sizeof *s);
    snprintf(s->tenant, sizeof s->tenant, "%s", tenant);
    snprintf(s->name, sizeof s->name, "%s", name && name[0] ? name : tenant);
    snprintf(s->signer, sizeof s->signer, "het college van burgemeester en wethouders");
    snprintf(s->objection_to, sizeof s->objection_to, "het college van burgemeester en wethouders");
}

/* ---- formatting ---- */

static const char *const month_names[12] = {"januari",   "februari", "maart",    "april",
                                            "mei",       "juni",     "juli",     "augustus",
                                            "september", "oktober",  "november", "december"};

/* "3 maart 2027"; "(onbekend)" for no date. */
static char *date_long(char *buf, size_t n, lks_date d)
{
    if (d == LKS_NO_DATE) {
        snprintf(buf, n, "(onbekend)");
        return buf;
    }
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, n, "%d %s %d", dd, month_names[(m - 1) % 12], y);
    return buf;
}

static char *euro(char *buf, size_t n, int64_t cents)
{
    char b[MONEY_FMT_MAX];
    snprintf(buf, n, "€ %s", money_fmt_nl(b, cents, 2));
    return buf;
}

static char *pct(char *buf, size_t n, int32_t hundredths)
{
    char b[MONEY_FMT_MAX];
    snprintf(buf, n, "%s%%", money_fmt_short(b, hundredths, 2, 0));
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = ',';
    return buf;
}

static lks_date first_of_month(lks_date d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(y, m, 1);
}

/* ---- the values the blocks refer to ---- */

enum var {
    V_GEMEENTE,
    V_WERKGEVER,
    V_KVK,
    V_WERKNEMER,
    V_BEDRAG,
    V_SUBSIDIE,
    V_LASTEN,
    V_VANAF,
    V_PERIODE,
    V_LOONWAARDE,
    V_MEETDATUM,
    V_METHODE,
    V_DESKUNDIGE,
    V_UREN,
    V_PEILDATUM,
    V_HERBEOORDELING,
    V_IBAN,
    V_BEZWAARDATUM,
    V_BEZWAAR_AAN,
    V_BEZWAAR_ADRES,
    V_VERZONDEN,
    V_REDEN,
    V_TOETS_TOELICHTING,
    V_EINDDATUM,
    V_EINDREDEN,
    V_LAATSTE_MAAND,
    V_VORIG_BEDRAG,
    V_VORIG_DATUM,
    V_BEZWAAR_ONTVANGEN,
    V_BEZWAAR_ONDERWERP,
    V_ZAAK,
    V_CONTACT,
    V_COUNT
};

static const char *const var_names[V_COUNT] = {"gemeente",
                                               "werkgever",
                                               "kvk",
                                               "werknemer",
                                               "bedrag",
                                               "subsidie",
                                               "lasten",
                                               "vanaf",
                                               "periode",
                                               "loonwaarde",
                                               "meetdatum",
                                               "methode",
                                               "deskundige",
                                               "uren",
                                               "peildatum",
                                               "herbeoordeling",
                                               "iban",
                                               "bezwaardatum",
                                               "bezwaar_aan",
                                               "bezwaar_adres",
                                               "verzonden",
                                               "reden",
                                               "toets_toelichting",
                                               "einddatum",
                                               "eindreden",
                                               "laatste_maand",
                                               "vorig_bedrag",
                                               "vorig_datum",
                                               "bezwaar_ontvangen",
                                               "bezwaar_onderwerp",
                                               "zaak",
                                               "contact"};

struct vars {
    char v[V_COUNT][CASE_NOTE + 64];
};

/* Fill `text` with its {name} placeholders replaced; an unknown name stays as written. */
static void fill(char *out, size_t n, const char *text, const struct vars *vs)
{
    size_t k = 0;
    for (const char *p = text; *p && k + 1 < n;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            int found = -1;
            if (e)
                for (int i = 0; i < V_COUNT; i++)
                    if ((size_t)(e - p - 1) == strlen(var_names[i]) &&
                        strncmp(p + 1, var_names[i], (size_t)(e - p - 1)) == 0)
                        found = i;
            if (found >= 0) {
                for (const char *q = vs->v[found]; *q && k + 1 < n; q++)
                    out[k++] = *q;
                p = e + 1;
                /* "B.V." at the end of a sentence: one full stop */
                if (*p == '.' && k > 0 && out[k - 1] == '.')
                    p++;
                continue;
            }
        }
        out[k++] = *p++;
    }
    out[k] = '\0';
}

/* ---- the blocks ---- */

enum cond {
    C_ALL,
    C_MEASURED,      /* the amount rests on a measured wage value */
    C_FORFAIT,       /* on the flat rate (10d lid 5) */
    C_NEXT,          /* a re-measurement date is known */
    C_TEST_UPPER,    /* access test: not in the target group, upper bound */
    C_TEST_LOWER,    /* access test: not in the target group, lower bound */
    C_TEST_ARGUMENT, /* the access test has a written argument */
    C_NOT_TEST,      /* a refusal for another reason than the access test */
    C_GEGROND,
    C_ONGEGROND,
    C_NIET_ONTVANKELIJK,
    C_INGETROKKEN,
    C_HAS_IBAN,
    C_NO_IBAN,
};

enum special {
    X_NONE,
    X_STEPS,     /* the calculation steps as rows, each with its article */
    X_OBJECTION, /* the objection clause (or the appeal clause after an objection) */
};

#define K(x)   (1u << (x))
#define ALLK   (K(LETTER_TOEKENNING) | K(LETTER_HERZIENING) | K(LETTER_AFWIJZING) | K(LETTER_EINDE))
#define GRANTS (K(LETTER_TOEKENNING) | K(LETTER_HERZIENING))
#define TO_G   1u
#define TO_W   2u
#define TO_B   3u

struct block {
    unsigned kinds;
    unsigned to;
    enum cond cond;
    enum letter_par_kind pk;
    enum special special;
    const char *text;
    const char *basis; /* for a row: the legal basis */
};

static const struct block blocks[] = {
    /* ---- toekenning / herziening: the decision ---- */
    {K(LETTER_TOEKENNING), TO_G, C_ALL, LP_HEADING, X_NONE, "Ons besluit", NULL},
    {K(LETTER_TOEKENNING), TO_G, C_ALL, LP_TEXT, X_NONE,
     "U krijgt loonkostensubsidie voor uw werknemer {werknemer}. U krijgt {bedrag} per maand, "
     "{periode}.",
     NULL},
    {K(LETTER_HERZIENING), TO_G, C_ALL, LP_HEADING, X_NONE, "Ons besluit", NULL},
    {K(LETTER_HERZIENING), TO_G, C_ALL, LP_TEXT, X_NONE,
     "Wij passen de loonkostensubsidie voor uw werknemer {werknemer} aan. Vanaf {vanaf} krijgt "
     "u {bedrag} per maand. Tot die datum gold ons besluit van {vorig_datum}: {vorig_bedrag} per "
     "maand. Dit besluit vervangt dat besluit vanaf {vanaf}.",
     NULL},
    {K(LETTER_TOEKENNING), TO_W, C_ALL, LP_HEADING, X_NONE, "Ons besluit", NULL},
    {K(LETTER_TOEKENNING), TO_W, C_ALL, LP_TEXT, X_NONE,
     "Uw werkgever {werkgever} krijgt van ons loonkostensubsidie omdat u bij hen werkt. "
     "De subsidie is {bedrag} per maand, {periode}. Wij sturen u deze brief omdat het besluit "
     "ook over u gaat.",
     NULL},
    {K(LETTER_HERZIENING), TO_W, C_ALL, LP_HEADING, X_NONE, "Ons besluit", NULL},
    {K(LETTER_HERZIENING), TO_W, C_ALL, LP_TEXT, X_NONE,
     "Wij passen de loonkostensubsidie aan die uw werkgever {werkgever} voor u krijgt. Vanaf "
     "{vanaf} is die {bedrag} per maand (was {vorig_bedrag}).",
     NULL},
    {GRANTS, TO_W, C_ALL, LP_TEXT, X_NONE,
     "Voor uw loon verandert er niets. U krijgt het loon dat in uw contract staat, en dat is "
     "ten minste het minimumloon. De subsidie is voor uw werkgever, niet voor u.",
     NULL},

    /* ---- the wage value and the calculation ---- */
    {GRANTS, TO_B, C_ALL, LP_HEADING, X_NONE, "Hoe wij het bedrag berekenen", NULL},
    {GRANTS, TO_G, C_MEASURED, LP_TEXT, X_NONE,
     "De loonwaarde van {werknemer} is {loonwaarde}. Dat betekent: {werknemer} levert in deze "
     "functie {loonwaarde} van wat een werknemer zonder beperking levert. Een deskundige "
     "({deskundige}, methode {methode}) heeft dat op {meetdatum} op de werkplek gemeten.",
     NULL},
    {GRANTS, TO_W, C_MEASURED, LP_TEXT, X_NONE,
     "Uw loonwaarde is {loonwaarde}. Een deskundige ({deskundige}, methode {methode}) heeft dat "
     "op {meetdatum} op uw werkplek gemeten. De loonwaarde zegt hoeveel u in deze functie "
     "levert vergeleken met iemand zonder beperking.",
     NULL},
    {GRANTS, TO_B, C_FORFAIT, LP_TEXT, X_NONE,
     "Er is nog geen loonwaarde gemeten. Wij hebben met de werkgever afgesproken dat de "
     "loonwaarde eerst op een vast percentage van 50% wordt gezet (forfaitair). Dat kan ten "
     "hoogste de eerste 6 maanden van het dienstverband (Participatiewet art. 10d lid 5). "
     "Daarna meten wij de loonwaarde.",
     NULL},
    {GRANTS, TO_B, C_ALL, LP_TEXT, X_NONE,
     "In het contract staat {uren} uur per week. Wij rekenen met het minimumloon dat geldt op "
     "{peildatum}. Hieronder staat elke stap van de berekening, met het wetsartikel waarop die "
     "stap rust. Elk bedrag is afgerond op hele centen.",
     NULL},
    {GRANTS, TO_B, C_ALL, LP_ROW, X_STEPS, NULL, NULL},

    /* ---- payment ---- */
    {GRANTS, TO_G, C_ALL, LP_HEADING, X_NONE, "Hoe en wanneer wij betalen", NULL},
    {GRANTS, TO_G, C_HAS_IBAN, LP_TEXT, X_NONE,
     "Wij betalen elke maand, na afloop van de maand. Het geld gaat naar rekening {iban} van "
     "{werkgever}.",
     NULL},
    {GRANTS, TO_G, C_NO_IBAN, LP_TEXT, X_NONE,
     "Wij betalen elke maand, na afloop van de maand, op de rekening die u ons opgeeft. Wij "
     "hebben nog geen bevestigd rekeningnummer van u: geef het door, dan betalen wij.",
     NULL},
    {GRANTS, TO_G, C_ALL, LP_TEXT, X_NONE,
     "Op 1 januari van elk jaar past het bedrag zich aan het nieuwe minimumloon aan "
     "(Participatiewet art. 10d lid 7). Daarover krijgt u een nieuw besluit.",
     NULL},
    {GRANTS, TO_B, C_NEXT, LP_HEADING, X_NONE, "Wanneer wij opnieuw meten", NULL},
    {GRANTS, TO_B, C_NEXT, LP_TEXT, X_NONE,
     "Wij meten de loonwaarde opnieuw rond {herbeoordeling}. Is de loonwaarde dan anders, dan "
     "krijgt u een nieuw besluit met een nieuw bedrag (Participatiewet art. 10d lid 6).",
     NULL},

    /* ---- conditions, recovery, suspension ---- */
    {GRANTS, TO_G, C_ALL, LP_HEADING, X_NONE, "Uw verplichtingen", NULL},
    {GRANTS, TO_G, C_ALL, LP_TEXT, X_NONE,
     "Aan de subsidie zijn deze voorwaarden verbonden:", NULL},
    {GRANTS, TO_G, C_ALL, LP_BULLET, X_NONE,
     "Het dienstverband duurt ten minste 6 maanden achter elkaar.", NULL},
    {GRANTS, TO_G, C_ALL, LP_BULLET, X_NONE,
     "Uw bedrijf staat de hele periode ingeschreven bij de Kamer van Koophandel (KvK-nummer "
     "{kvk}).",
     NULL},
    {GRANTS, TO_G, C_ALL, LP_BULLET, X_NONE, "U betaalt de werknemer ten minste het minimumloon.",
     NULL},
    {GRANTS, TO_G, C_ALL, LP_BULLET, X_NONE,
     "U meldt ons binnen 1 week elke verandering die voor de subsidie belangrijk kan zijn: "
     "andere uren, ander loon, een ander rekeningnummer, of het einde van het dienstverband "
     "(Algemene wet bestuursrecht art. 4:37).",
     NULL},
    {GRANTS, TO_G, C_ALL, LP_BULLET, X_NONE,
     "Is de werknemer ziek? Meld dat alleen bij UWV, zoals bij elke werknemer. Bij ons hoeft "
     "u ziekte niet te melden.",
     NULL},
    {GRANTS, TO_G, C_ALL, LP_HEADING, X_NONE, "Stoppen, verlagen en terugbetalen", NULL},
    {GRANTS, TO_G, C_ALL, LP_TEXT, X_NONE,
     "Houdt u zich niet aan de voorwaarden, of kreeg u te veel omdat gegevens niet klopten? "
     "Dan kunnen wij de subsidie stoppen of lager maken, en vragen wij terug wat u te veel "
     "kreeg (Algemene wet bestuursrecht art. 4:48, 4:49 en 4:57). Zolang wij iets nakijken, "
     "kunnen wij de betaling tijdelijk stoppen (opschorten, Awb art. 4:56).",
     NULL},
    {GRANTS, TO_W, C_ALL, LP_HEADING, X_NONE, "Wat u moet doen", NULL},
    {GRANTS, TO_W, C_ALL, LP_TEXT, X_NONE,
     "Verandert er iets in uw werk, bijvoorbeeld uw uren of uw taken, of stopt uw contract? "
     "Uw werkgever meldt dat aan ons. U mag het ook zelf doorgeven.",
     NULL},

    /* ---- refusal ---- */
    {K(LETTER_AFWIJZING), TO_B, C_ALL, LP_HEADING, X_NONE, "Ons besluit", NULL},
    {K(LETTER_AFWIJZING), TO_G, C_ALL, LP_TEXT, X_NONE,
     "U krijgt geen loonkostensubsidie voor {werknemer}.", NULL},
    {K(LETTER_AFWIJZING), TO_W, C_ALL, LP_TEXT, X_NONE,
     "Uw werkgever {werkgever} krijgt geen loonkostensubsidie voor u. Wij sturen u deze brief "
     "omdat het besluit ook over u gaat.",
     NULL},
    {K(LETTER_AFWIJZING), TO_B, C_ALL, LP_HEADING, X_NONE, "Waarom wij zo besluiten", NULL},
    {K(LETTER_AFWIJZING), TO_B, C_TEST_UPPER, LP_TEXT, X_NONE,
     "Loonkostensubsidie is er voor mensen die met hun beperking minder dan het minimumloon "
     "kunnen verdienen. Wij hebben de toegangstoets gedaan. Daaruit blijkt dat {werknemer} "
     "volgens de toets het volledige minimumloon kan verdienen: er zijn geen beperkingen die "
     "het werk raken, ze zijn met bestaande voorzieningen op te vangen, of gewoon tempo, "
     "continuïteit en zelfstandig werken zijn mogelijk. Daarom hoort {werknemer} niet bij de "
     "doelgroep (Participatiewet art. 6 lid 1 onder e en art. 10d lid 1).",
     NULL},
    {K(LETTER_AFWIJZING), TO_B, C_TEST_LOWER, LP_TEXT, X_NONE,
     "Wij hebben de toegangstoets gedaan. Daaruit blijkt dat {werknemer} nu (nog) geen 20% van "
     "een gewone prestatie kan leveren, of meer begeleiding of blijvend toezicht nodig heeft dan "
     "in gewoon werk mogelijk is. Daarom hoort {werknemer} niet bij de doelgroep van de "
     "loonkostensubsidie (Participatiewet art. 6 lid 1 onder e en art. 10d lid 1).",
     NULL},
    {K(LETTER_AFWIJZING), TO_B, C_TEST_ARGUMENT, LP_TEXT, X_NONE,
     "De toelichting bij de toegangstoets: “{toets_toelichting}”", NULL},
    {K(LETTER_AFWIJZING), TO_B, C_ALL, LP_TEXT, X_NONE,
     "De reden die de beslisser heeft vastgelegd: “{reden}”", NULL},

    /* ---- end of the subsidy ---- */
    {K(LETTER_EINDE), TO_B, C_ALL, LP_HEADING, X_NONE, "Ons besluit", NULL},
    {K(LETTER_EINDE), TO_G, C_ALL, LP_TEXT, X_NONE,
     "De loonkostensubsidie voor {werknemer} stopt op {einddatum}. De laatste maand waarover "
     "wij subsidie betalen is {laatste_maand}.",
     NULL},
    {K(LETTER_EINDE), TO_W, C_ALL, LP_TEXT, X_NONE,
     "De loonkostensubsidie die uw werkgever {werkgever} voor u kreeg, stopt op {einddatum}.",
     NULL},
    {K(LETTER_EINDE), TO_B, C_ALL, LP_HEADING, X_NONE, "Waarom wij zo besluiten", NULL},
    {K(LETTER_EINDE), TO_B, C_ALL, LP_TEXT, X_NONE,
     "Loonkostensubsidie loopt zolang het dienstverband duurt en {werknemer} bij de doelgroep "
     "hoort (Participatiewet art. 10d lid 1 en 8). De reden die is vastgelegd: “{eindreden}”",
     NULL},
    {K(LETTER_EINDE), TO_G, C_ALL, LP_TEXT, X_NONE,
     "Kreeg u subsidie over maanden na {laatste_maand}? Dan vragen wij dat terug (Algemene wet "
     "bestuursrecht art. 4:57). U krijgt daarover dan een apart besluit.",
     NULL},

    /* ---- decision on objection ---- */
    {K(LETTER_BEZWAAR), TO_B, C_ALL, LP_HEADING, X_NONE, "Uw bezwaar", NULL},
    {K(LETTER_BEZWAAR), TO_B, C_ALL, LP_TEXT, X_NONE,
     "Op {bezwaar_ontvangen} kregen wij uw bezwaar tegen: {bezwaar_onderwerp}. Wij hebben het "
     "besluit opnieuw bekeken, met uw bezwaar erbij (Algemene wet bestuursrecht art. 7:11).",
     NULL},
    {K(LETTER_BEZWAAR), TO_B, C_ALL, LP_HEADING, X_NONE, "Ons besluit", NULL},
    {K(LETTER_BEZWAAR), TO_B, C_GEGROND, LP_TEXT, X_NONE,
     "Uw bezwaar is gegrond. U krijgt gelijk. Wij herroepen het besluit en nemen een nieuw "
     "besluit; dat krijgt u apart (Awb art. 7:11 lid 2).",
     NULL},
    {K(LETTER_BEZWAAR), TO_B, C_ONGEGROND, LP_TEXT, X_NONE,
     "Uw bezwaar is ongegrond. Het besluit blijft zoals het was. Wij vinden dat het besluit "
     "klopt met de wet en met de gegevens die wij hebben.",
     NULL},
    {K(LETTER_BEZWAAR), TO_B, C_NIET_ONTVANKELIJK, LP_TEXT, X_NONE,
     "Uw bezwaar is niet-ontvankelijk. Dat betekent dat wij het niet inhoudelijk konden "
     "behandelen, bijvoorbeeld omdat het te laat was of gegevens ontbraken (Awb art. 6:6 en "
     "6:11).",
     NULL},
    {K(LETTER_BEZWAAR), TO_B, C_INGETROKKEN, LP_TEXT, X_NONE,
     "U heeft uw bezwaar ingetrokken. Wij behandelen het daarom niet verder.", NULL},

    /* ---- every letter: the legal basis and the objection clause ---- */
    {GRANTS, TO_B, C_ALL, LP_HEADING, X_NONE, "Waarom wij zo besluiten", NULL},
    {GRANTS, TO_B, C_ALL, LP_TEXT, X_NONE,
     "{werknemer} hoort bij de doelgroep van de loonkostensubsidie en kan met een beperking "
     "minder dan het minimumloon verdienen. De werkgever betaalt ten minste het minimumloon. "
     "Dan geeft de gemeente loonkostensubsidie: het verschil tussen het minimumloon en de "
     "loonwaarde, met een vergoeding voor werkgeverslasten (Participatiewet art. 10d lid 4).",
     NULL},
    {ALLK | K(LETTER_BEZWAAR), TO_B, C_ALL, LP_HEADING, X_NONE, "Wettelijke grondslag", NULL},
    {ALLK, TO_B, C_ALL, LP_TEXT, X_NONE,
     "Participatiewet art. 6 lid 1 onder e en art. 10d; de verordening loonkostensubsidie van "
     "{gemeente}; Algemene wet bestuursrecht titel 4.2 (subsidies) en art. 3:46 (motivering).",
     NULL},
    {K(LETTER_BEZWAAR), TO_B, C_ALL, LP_TEXT, X_NONE,
     "Algemene wet bestuursrecht hoofdstuk 6 en 7 (bezwaar), art. 7:11 en 7:12; "
     "Participatiewet art. 10d.",
     NULL},
    {ALLK | K(LETTER_BEZWAAR), TO_B, C_ALL, LP_TEXT, X_OBJECTION, NULL, NULL},
};

/* ---- building ---- */

struct build {
    struct letter *L;
    struct vars *vs;
    const struct case_state *cs;
    const struct lks_result *amount; /* the steps, or NULL */
    bool measured, forfait, next, has_iban;
    int test_outcome;    /* -1 when no access test is the reason */
    const char *outcome; /* of an objection */
    bool test_argument;
};

static bool holds(const struct build *b, enum cond c)
{
    switch (c) {
    case C_ALL:
        return true;
    case C_MEASURED:
        return b->measured;
    case C_FORFAIT:
        return b->forfait;
    case C_NEXT:
        return b->next;
    case C_TEST_UPPER:
        return b->test_outcome == TOETS_UPPER_BOUND;
    case C_TEST_LOWER:
        return b->test_outcome == TOETS_LOWER_BOUND;
    case C_TEST_ARGUMENT:
        return b->test_outcome >= 0 && b->test_argument;
    case C_NOT_TEST:
        return b->test_outcome < 0;
    case C_GEGROND:
        return b->outcome && strcmp(b->outcome, "gegrond") == 0;
    case C_ONGEGROND:
        return b->outcome && strcmp(b->outcome, "ongegrond") == 0;
    case C_NIET_ONTVANKELIJK:
        return b->outcome && strcmp(b->outcome, "niet-ontvankelijk") == 0;
    case C_INGETROKKEN:
        return b->outcome && strcmp(b->outcome, "ingetrokken") == 0;
    case C_HAS_IBAN:
        return b->has_iban;
    case C_NO_IBAN:
        return !b->has_iban;
    }
    return false;
}

static struct letter_par *add(struct build *b, enum letter_par_kind k, struct lks_err *err)
{
    if (b->L->npars >= LETTER_MAX_PARS) {
        lks_err_set(err, LKS_ERANGE, "brief", "too-long", "de brief heeft te veel onderdelen");
        return NULL;
    }
    struct letter_par *p = &b->L->par[b->L->npars++];
    memset(p, 0, sizeof *p);
    p->kind = k;
    return p;
}

static int add_text(struct build *b, enum letter_par_kind k, const char *text, const char *basis,
                    struct lks_err *err)
{
    struct letter_par *p = add(b, k, err);
    if (!p)
        return err->code;
    fill(p->text, sizeof p->text, text, b->vs);
    if (basis)
        snprintf(p->basis, sizeof p->basis, "%s", basis);
    return 0;
}

static int add_steps(struct build *b, struct lks_err *err)
{
    if (!b->amount)
        return 0;
    for (int i = 0; i < b->amount->nsteps; i++) {
        const struct rule_step *s = &b->amount->step[i];
        struct letter_par *p = add(b, LP_ROW, err);
        if (!p)
            return err->code;
        step_text(s, p->text, sizeof p->text);
        snprintf(p->basis, sizeof p->basis, "%s", step_basis(s));
        switch (step_unit(s)) {
        case STEP_UNIT_AMOUNT:
            euro(p->value, sizeof p->value, s->value);
            break;
        case STEP_UNIT_DATE:
            date_long(p->value, sizeof p->value, (lks_date)s->value);
            break;
        case STEP_UNIT_COUNT:
            snprintf(p->value, sizeof p->value, "%lld", (long long)s->value);
            break;
        }
    }
    return 0;
}

static int add_objection(struct build *b, struct lks_err *err)
{
    const char *text =
        b->L->kind == LETTER_BEZWAAR
            ? "Bent u het niet eens met dit besluit op uw bezwaar? Dan kunt u beroep instellen "
              "bij de rechtbank. Doe dat uiterlijk op {bezwaardatum}: 6 weken na de dag waarop "
              "wij deze brief verstuurden (Algemene wet bestuursrecht art. 6:7, 6:8 en 8:1; "
              "een laatste dag in het weekend of op een feestdag is al verschoven volgens de "
              "Algemene termijnenwet). Op www.rechtspraak.nl staat hoe u dat doet."
            : "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Doe dat uiterlijk "
              "op {bezwaardatum}: 6 weken na de dag waarop wij deze brief verstuurden "
              "(Algemene wet bestuursrecht art. 6:7 en 6:8; een laatste dag in het weekend of "
              "op een feestdag is al verschoven volgens de Algemene termijnenwet). Stuur uw "
              "bezwaar aan {bezwaar_aan}, {bezwaar_adres}. Schrijf in uw brief: uw naam en "
              "adres, de datum, het zaaknummer {zaak} van dit besluit, waarom u het er niet mee "
              "eens bent, en zet uw handtekening eronder (Awb art. 6:5). Uw bezwaar stopt de "
              "uitvoering van dit besluit niet.";
    int rc = add_text(b, LP_HEADING, b->L->kind == LETTER_BEZWAAR ? "Beroep" : "Bezwaar maken",
                      NULL, err);
    if (rc == 0)
        rc = add_text(b, LP_TEXT, text, NULL, err);
    if (rc == 0 && b->vs->v[V_CONTACT][0])
        rc = add_text(b, LP_TEXT, "Heeft u vragen? Neem contact met ons op: {contact}.", NULL, err);
    return rc;
}

static const char *method_name(enum measure_method m)
{
    static const char *const n[] = {
        "Uniforme Loonwaardemeting", "Dariuz", "UWV", "Pantar", "AKC", "anders"};
    return (unsigned)m < sizeof n / sizeof n[0] ? n[m] : "anders";
}

int letter_kind_of(const struct case_state *cs, int n)
{
    if (n < 1 || n > cs->ndecisions)
        return -1;
    switch (cs->decision[n - 1].kind) {
    case DEC_GRANT:
        return LETTER_TOEKENNING;
    case DEC_REVISION:
        return LETTER_HERZIENING;
    case DEC_REFUSAL:
        return LETTER_AFWIJZING;
    }
    return -1;
}

/* The measurement a decision rests on: the last one set on or before it was sent. */
static const struct measurement *measurement_for(const struct case_state *cs, lks_date sent)
{
    const struct measurement *m = NULL;
    for (int i = 0; i < cs->nmeasurements; i++)
        if (cs->measurement[i].loonwaarde >= 0 &&
            (cs->measurement[i].reported == LKS_NO_DATE || cs->measurement[i].reported <= sent ||
             cs->measurement[i].measured <= sent))
            m = &cs->measurement[i];
    return m;
}

static lks_date six_weeks(lks_date from)
{
    struct term_result t;
    struct lks_err e;
    return term_compute(from, TERM_WEEKS, 6, &t, &e) ? LKS_NO_DATE : t.end;
}

int letter_build(struct letter *L, const struct rules *r, const struct case_state *cs,
                 const struct letter_settings *s, enum letter_kind kind, int n, enum letter_to to,
                 struct lks_err *err)
{
    struct vars vs;
    memset(L, 0, offsetof(struct letter, par));
    memset(&vs, 0, sizeof vs);
    L->kind = kind;
    L->to = to;
    L->n = n;
    L->s = *s;
    struct build b = {L, &vs, cs, NULL, false, false, false, false, -1, NULL, false};
    char t1[64], t2[64];
    struct lks_result amount;
    const struct decision *d = NULL;

    if (kind == LETTER_TOEKENNING || kind == LETTER_HERZIENING || kind == LETTER_AFWIJZING) {
        int k = letter_kind_of(cs, n);
        if (k < 0)
            return lks_err_set(err, LKS_ENOTFOUND, "beschikking", "not-found",
                               "beschikking %d bestaat niet", n);
        if (k != (int)kind)
            return lks_err_set(err, LKS_ESTATE, "soort", "other-kind",
                               "beschikking %d is een %s, geen %s", n, letter_kind_name(k),
                               letter_kind_name(kind));
        d = &cs->decision[n - 1];
        L->date = d->sent;
        L->objection_due = d->objection_due;
    } else if (kind == LETTER_EINDE) {
        for (int i = cs->ndecisions - 1; i >= 0 && !d; i--)
            if (cs->decision[i].kind != DEC_REFUSAL)
                d = &cs->decision[i];
        if (!d || cs->closed == LKS_NO_DATE || cs->status == ST_AFGEWEZEN)
            return lks_err_set(err, LKS_ESTATE, "soort", "not-ended",
                               "deze zaak heeft geen toekenning die is beëindigd");
        L->date = cs->closed;
        L->objection_due = six_weeks(cs->closed);
        snprintf(vs.v[V_EINDDATUM], sizeof vs.v[0], "%s", date_long(t1, sizeof t1, cs->closed));
        snprintf(vs.v[V_EINDREDEN], sizeof vs.v[0], "%s",
                 cs->close_reason[0] ? cs->close_reason : cs->placement.end_reason);
        lks_date last = first_of_month(cs->closed);
        int y, m, dd;
        date_to_ymd(last, &y, &m, &dd);
        snprintf(vs.v[V_LAATSTE_MAAND], sizeof vs.v[0], "%s %d", month_names[m - 1], y);
    } else if (kind == LETTER_BEZWAAR) {
        if (n < 1 || n > cs->nobjections)
            return lks_err_set(err, LKS_ENOTFOUND, "bezwaar", "not-found",
                               "bezwaar %d bestaat niet", n);
        const struct objection *o = &cs->objection[n - 1];
        if (o->decided == LKS_NO_DATE)
            return lks_err_set(err, LKS_ESTATE, "bezwaar", "not-decided",
                               "op bezwaar %d is nog niet beslist", n);
        L->date = o->decided;
        L->objection_due = six_weeks(o->decided);
        b.outcome = o->outcome;
        snprintf(vs.v[V_BEZWAAR_ONTVANGEN], sizeof vs.v[0], "%s",
                 date_long(t1, sizeof t1, o->received));
        snprintf(vs.v[V_BEZWAAR_ONDERWERP], sizeof vs.v[0], "%s", o->subject);
    } else {
        return lks_err_set(err, LKS_EINVAL, "soort", "unknown", "onbekende soort brief");
    }

    /* the values of the blocks */
    snprintf(vs.v[V_GEMEENTE], sizeof vs.v[0], "%s", s->name);
    snprintf(vs.v[V_WERKGEVER], sizeof vs.v[0], "%s", cs->employer.name);
    snprintf(vs.v[V_KVK], sizeof vs.v[0], "%s", cs->employer.kvk);
    snprintf(vs.v[V_WERKNEMER], sizeof vs.v[0], "%s", cs->person.name);
    snprintf(vs.v[V_IBAN], sizeof vs.v[0], "%s", cs->employer.iban);
    b.has_iban = cs->employer.iban[0] != '\0';
    snprintf(vs.v[V_BEZWAARDATUM], sizeof vs.v[0], "%s",
             date_long(t1, sizeof t1, L->objection_due));
    snprintf(vs.v[V_BEZWAAR_AAN], sizeof vs.v[0], "%s",
             s->objection_to[0] ? s->objection_to : s->name);
    snprintf(vs.v[V_BEZWAAR_ADRES], sizeof vs.v[0], "%s",
             s->objection_address[0] ? s->objection_address : s->address);
    snprintf(vs.v[V_VERZONDEN], sizeof vs.v[0], "%s", date_long(t1, sizeof t1, L->date));
    snprintf(vs.v[V_ZAAK], sizeof vs.v[0], "%lld", (long long)cs->id);
    snprintf(vs.v[V_CONTACT], sizeof vs.v[0], "%s", s->contact);
    char hb[MONEY_FMT_MAX];
    snprintf(vs.v[V_UREN], sizeof vs.v[0], "%s", money_fmt_short(hb, cs->placement.hours, 2, 0));
    for (char *p = vs.v[V_UREN]; *p; p++)
        if (*p == '.')
            *p = ',';

    if (d && d->kind != DEC_REFUSAL) {
        euro(vs.v[V_BEDRAG], sizeof vs.v[0], d->amount);
        euro(vs.v[V_SUBSIDIE], sizeof vs.v[0], d->subsidy);
        euro(vs.v[V_LASTEN], sizeof vs.v[0], d->allowance);
        date_long(vs.v[V_VANAF], sizeof vs.v[0], d->from);
        date_long(vs.v[V_PEILDATUM], sizeof vs.v[0], d->peildatum);
        if (kind != LETTER_EINDE) {
            lks_date to_d = cs->placement.end;
            if (d->to != LKS_NO_DATE)
                to_d = d->to;
            if (to_d != LKS_NO_DATE)
                snprintf(vs.v[V_PERIODE], sizeof vs.v[0], "van %s tot en met %s",
                         date_long(t1, sizeof t1, d->from), date_long(t2, sizeof t2, to_d));
            else
                snprintf(vs.v[V_PERIODE], sizeof vs.v[0],
                         "vanaf %s, zolang het dienstverband duurt en de voorwaarden gelden",
                         date_long(t1, sizeof t1, d->from));
        }
        b.forfait = d->loonwaarde < 0;
        b.measured = !b.forfait;
        if (b.measured) {
            pct(vs.v[V_LOONWAARDE], sizeof vs.v[0], d->loonwaarde);
            const struct measurement *m = measurement_for(cs, d->sent);
            if (m) {
                date_long(vs.v[V_MEETDATUM], sizeof vs.v[0], m->measured);
                snprintf(vs.v[V_METHODE], sizeof vs.v[0], "%s", method_name(m->method));
                snprintf(vs.v[V_DESKUNDIGE], sizeof vs.v[0], "%s",
                         m->expert[0] ? m->expert : "de loonwaardedeskundige");
                if (m->next != LKS_NO_DATE) {
                    b.next = true;
                    date_long(vs.v[V_HERBEOORDELING], sizeof vs.v[0], m->next);
                }
            } else {
                snprintf(vs.v[V_MEETDATUM], sizeof vs.v[0], "(onbekend)");
                snprintf(vs.v[V_METHODE], sizeof vs.v[0], "onbekend");
                snprintf(vs.v[V_DESKUNDIGE], sizeof vs.v[0], "de loonwaardedeskundige");
            }
        }
        if (kind == LETTER_HERZIENING) {
            for (int i = n - 2; i >= 0; i--)
                if (cs->decision[i].kind != DEC_REFUSAL) {
                    euro(vs.v[V_VORIG_BEDRAG], sizeof vs.v[0], cs->decision[i].amount);
                    date_long(vs.v[V_VORIG_DATUM], sizeof vs.v[0], cs->decision[i].sent);
                    break;
                }
        }
        /* the steps: the rules for the decision's first month, as the case view asks them */
        if (kind != LETTER_EINDE) {
            struct case_ctx ctx = {r, NULL, d->sent, LKS_NO_DATE, NULL, NULL};
            struct lks_err e2;
            if (case_month_amount(&ctx, cs, first_of_month(d->from), &amount, &e2) == 0)
                b.amount = &amount;
        }
    }
    if (kind == LETTER_AFWIJZING) {
        snprintf(vs.v[V_REDEN], sizeof vs.v[0], "%s", d->reason);
        if (cs->test.done && cs->test.outcome != TOETS_IN_TARGET_GROUP) {
            b.test_outcome = cs->test.outcome;
            b.test_argument = cs->test.explanation[0] != '\0';
            snprintf(vs.v[V_TOETS_TOELICHTING], sizeof vs.v[0], "%s", cs->test.explanation);
        }
    }

    /* the head of the letter */
    static const char *const subjects[LETTER_KIND_COUNT] = {
        "Besluit: u krijgt loonkostensubsidie", "Besluit: nieuwe hoogte loonkostensubsidie",
        "Besluit: geen loonkostensubsidie", "Besluit: einde loonkostensubsidie",
        "Besluit op uw bezwaar"};
    snprintf(L->subject, sizeof L->subject, "%s", subjects[kind]);
    snprintf(L->title, sizeof L->title, "%s — %s, zaak %lld", subjects[kind], s->name,
             (long long)cs->id);
    if (kind == LETTER_BEZWAAR)
        snprintf(L->ref, sizeof L->ref, "Zaaknummer %lld, bezwaar %d", (long long)cs->id, n);
    else if (kind == LETTER_EINDE)
        snprintf(L->ref, sizeof L->ref, "Zaaknummer %lld", (long long)cs->id);
    else
        snprintf(L->ref, sizeof L->ref, "Zaaknummer %lld, beschikking %d", (long long)cs->id, n);
    if (to == LETTER_WERKGEVER) {
        snprintf(L->addressee[0], LETTER_LINE, "%s", cs->employer.name);
        snprintf(L->addressee[1], LETTER_LINE, "%s", cs->employer.address);
        snprintf(L->addressee[2], LETTER_LINE, "%s  %s", cs->employer.postcode, cs->employer.city);
    } else {
        snprintf(L->addressee[0], LETTER_LINE, "%s", cs->person.name);
        snprintf(L->addressee[1], LETTER_LINE, "%s", cs->person.address);
        snprintf(L->addressee[2], LETTER_LINE, "%s  %s", cs->person.postcode, cs->person.city);
    }
    L->naddressee = 3;

    /* the body: the blocks that hold, in the table's order */
    unsigned tomask = to == LETTER_WERKNEMER ? TO_W : TO_G;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        const struct block *bl = &blocks[i];
        if (!(bl->kinds & K(kind)) || !(bl->to & tomask) || !holds(&b, bl->cond))
            continue;
        int rc = bl->special == X_STEPS       ? add_steps(&b, err)
                 : bl->special == X_OBJECTION ? add_objection(&b, err)
                                              : add_text(&b, bl->pk, bl->text, bl->basis, err);
        if (rc)
            return rc;
    }
    return 0;
}

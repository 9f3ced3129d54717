/* toets — see toets.h. */
#include "rules/toets.h"

#include <ctype.h>
#include <stdio.h>

const struct toets_question_def toets_questions[TOETS_NQUESTIONS] = {
    [TOETS_Q1] = {"vraag1",
                  "1",
                  "Heeft de cliënt een of meer beperkingen van lichamelijke, verstandelijke, "
                  "psychische of psychosociale aard?",
                  4,
                  {"lichamelijk", "verstandelijk", "psychisch", "psychosociaal"},
                  {"beperkingen van lichamelijke aard", "beperkingen van verstandelijke aard",
                   "beperkingen van psychische aard", "beperkingen van psychosociale aard"}},
    [TOETS_Q2A] = {"vraag2a",
                   "2a",
                   "Voldoet de cliënt aan een of twee van deze criteria?",
                   2,
                   {"geenGevolgenVoorWerk", "compenseerbaarMetVoorzieningen"},
                   {"de beperkingen hebben geen gevolgen voor het functioneren in het werk",
                    "de beperkingen kunnen worden gecompenseerd met bestaande "
                    "re-integratie-instrumenten of voorzieningen (art. 35 en 36 WIA)"}},
    [TOETS_Q2B] = {"vraag2b",
                   "2b",
                   "Voldoet de cliënt aan alle volgende criteria?",
                   3,
                   {"regulierWerktempo", "continuiteit", "zelfstandigWerken"},
                   {"kan in een regulier werktempo werken met een reguliere werkprestatie",
                    "kan continuïteit in de werkprestatie leveren",
                    "kan zelfstandig werken (eventueel met jobcoach) zonder meer begeleiding "
                    "dan gebruikelijk"}},
    [TOETS_Q3] = {"vraag3",
                  "3",
                  "Kan de cliënt ondanks de beperkingen ten minste 20% van het WML verdienen "
                  "(alle volgende criteria)?",
                  4,
                  {"prestatieMinstens20Procent", "begeleidingHoogstens15Procent",
                   "uurAaneengesloten", "zonderPermanentToezicht"},
                  {"haalt een werkprestatie van ten minste 20% van een reguliere prestatie",
                   "persoonlijke begeleiding is te beperken tot 15% van de arbeidstijd",
                   "kan ten minste een uur aaneengesloten werken",
                   "kan werken zonder permanent toezicht"}},
};

const char *toets_outcome_name(enum toets_outcome o)
{
    switch (o) {
    case TOETS_IN_TARGET_GROUP:
        return "doelgroep";
    case TOETS_UPPER_BOUND:
        return "geen-doelgroep-bovengrens";
    default:
        return "geen-doelgroep-ondergrens";
    }
}

/* All criteria of q answered? Fills counts of yes. */
static int read_question(const struct toets_input *in, enum toets_question q, int *nyes,
                         struct lks_err *err)
{
    const struct toets_question_def *d = &toets_questions[q];
    *nyes = 0;
    for (int i = 0; i < d->ncriteria; i++) {
        uint8_t a = in->answer[q][i];
        if (a != TOETS_YES && a != TOETS_NO) {
            char field[80];
            snprintf(field, sizeof field, "%s.%s", d->key, d->criterion[i]);
            return lks_err_set(err, LKS_EINVAL, field, "required",
                               "vraag %s: het criterium '%s' (%s) is niet beantwoord", d->label,
                               d->criterion[i], d->criterion_text[i]);
        }
        *nyes += a == TOETS_YES;
    }
    return 0;
}

static void add(struct toets_result *o, enum toets_question q, int yes, const char *concl)
{
    struct toets_reason *r = &o->reason[o->nreasons++];
    r->question = q;
    r->yes = yes;
    r->conclusion = concl;
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

int toets_run(const struct toets_input *in, struct toets_result *o, struct lks_err *err)
{
    int nyes, rc;
    o->nreasons = 0;

    if ((rc = read_question(in, TOETS_Q1, &nyes, err)))
        return rc;
    if (nyes == 0) {
        add(o, TOETS_Q1, 0,
            "Geen beperkingen: de cliënt wordt in staat geacht het volledige minimumloon te "
            "verdienen en behoort niet tot de doelgroep (bovengrens).");
        o->outcome = TOETS_UPPER_BOUND;
        return 0;
    }
    add(o, TOETS_Q1, 1, "De cliënt heeft beperkingen: door naar vraag 2a.");

    if ((rc = read_question(in, TOETS_Q2A, &nyes, err)))
        return rc;
    if (nyes > 0) {
        add(o, TOETS_Q2A, 1,
            "De cliënt voldoet aan een of beide criteria: met bestaande instrumenten in staat "
            "het minimumloon te verdienen, niet tot de doelgroep (bovengrens).");
        o->outcome = TOETS_UPPER_BOUND;
        return 0;
    }
    add(o, TOETS_Q2A, 0, "De cliënt voldoet aan geen van beide criteria: door naar vraag 2b.");

    if ((rc = read_question(in, TOETS_Q2B, &nyes, err)))
        return rc;
    if (nyes == toets_questions[TOETS_Q2B].ncriteria) {
        add(o, TOETS_Q2B, 1,
            "De cliënt voldoet aan alle criteria: in staat het minimumloon te verdienen, niet "
            "tot de doelgroep (bovengrens; volgens het stroomschema).");
        o->outcome = TOETS_UPPER_BOUND;
        return 0;
    }
    add(o, TOETS_Q2B, 0, "De cliënt voldoet niet aan alle criteria: door naar vraag 3.");

    if ((rc = read_question(in, TOETS_Q3, &nyes, err)))
        return rc;
    if (nyes == toets_questions[TOETS_Q3].ncriteria) {
        add(o, TOETS_Q3, 1,
            "De cliënt voldoet aan alle criteria: behoort tot de doelgroep.");
        o->outcome = TOETS_IN_TARGET_GROUP;
        return 0;
    }
    if (blank(in->toelichting))
        return lks_err_set(err, LKS_EINVAL, "toelichting", "required",
                           "een 'nee' op vraag 3 (ondergrens) moet schriftelijk worden "
                           "onderbouwd: vul de toelichting in");
    add(o, TOETS_Q3, 0,
        "De cliënt voldoet niet aan alle criteria: niet tot de doelgroep (ondergrens); zie de "
        "toelichting.");
    o->outcome = TOETS_LOWER_BOUND;
    return 0;
}

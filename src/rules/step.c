/*
 * step — texts and legal bases of every rule step (see step.h).
 * The one place where the figures of a rule become Dutch sentences.
 */
#include "rules/step.h"

#include <stdio.h>
#include <string.h>

#include "base/cal.h"
#include "base/date.h"
#include "base/money.h"
#include "rules/ld.h"
#include "rules/term.h"

static const struct {
    enum step_unit unit;
    const char *basis;
} info[STEP_ID_COUNT] = {
    [STEP_LKS_WML] = {STEP_UNIT_AMOUNT, "Wet minimumloon en minimumvakantiebijslag art. 8 en 14"},
    [STEP_LKS_YOUTH] = {STEP_UNIT_AMOUNT,
                        "Wet minimumloon en minimumvakantiebijslag art. 8; Besluit "
                        "minimumjeugdloon"},
    [STEP_LKS_YOUTH_MULTIPLE] = {STEP_UNIT_AMOUNT,
                                 "Wet minimumloon en minimumvakantiebijslag art. 8; Besluit "
                                 "minimumjeugdloon art. 2 lid 2"},
    [STEP_LKS_BASE] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 4"},
    [STEP_LKS_WAGE] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 4"},
    [STEP_LKS_WAGE_CAP] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 4 (ten hoogste 70%)"},
    [STEP_LKS_FORFAIT] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 5"},
    [STEP_LKS_HOURS_FIXED] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 4"},
    [STEP_LKS_HOURS_SECTOR] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 4"},
    [STEP_LKS_ALLOWANCE] = {STEP_UNIT_AMOUNT,
                            "Participatiewet art. 10d lid 4 (forfaitaire component "
                            "werkgeverslasten, ministeriële regeling)"},
    [STEP_LKS_TOTAL] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 4"},
    [STEP_LD_NORM_COUPLE] = {STEP_UNIT_AMOUNT, "Wet werk en bijstand art. 21 (norm gehuwden)"},
    [STEP_LD_NET_FROM_LW] = {STEP_UNIT_AMOUNT,
                             "Projectplan pilot loondispensatie Helmond 2010, bijlage 1 "
                             "(aanname: netto inkomen = loonwaarde × norm)"},
    [STEP_LD_NET_GIVEN] = {STEP_UNIT_AMOUNT,
                           "Uitvoeringsbesluit Tijdelijke wet pilot loondispensatie art. 6"},
    [STEP_LD_GAP] = {STEP_UNIT_AMOUNT,
                     "Uitvoeringsbesluit Tijdelijke wet pilot loondispensatie art. 6"},
    [STEP_LD_OTHER_INCOME] = {STEP_UNIT_AMOUNT,
                              "Uitvoeringsbesluit Tijdelijke wet pilot loondispensatie art. 6"},
    [STEP_LD_SUPPLEMENT] = {STEP_UNIT_AMOUNT,
                            "Uitvoeringsbesluit Tijdelijke wet pilot loondispensatie art. 6"},
    [STEP_LD_INCOME] = {STEP_UNIT_AMOUNT,
                        "Projectplan pilot loondispensatie Helmond 2010, bijlage 1"},
    [STEP_LD_NORM] = {STEP_UNIT_AMOUNT,
                      "Projectplan pilot loondispensatie Helmond 2010, bijlage 1 (norm per "
                      "huishouden)"},
    [STEP_LD_SAVING] = {STEP_UNIT_AMOUNT,
                        "Projectplan pilot loondispensatie Helmond 2010, bijlage 1"},
    [STEP_IE_SAVING_SINGLE] = {STEP_UNIT_AMOUNT,
                               "Projectplan pilot loondispensatie Helmond 2010, bijlage 1"},
    [STEP_IE_SAVING_PARENT] = {STEP_UNIT_AMOUNT,
                               "Projectplan pilot loondispensatie Helmond 2010, bijlage 1"},
    [STEP_IE_SAVING_COUPLE] = {STEP_UNIT_AMOUNT,
                               "Projectplan pilot loondispensatie Helmond 2010, bijlage 1"},
    [STEP_IE_SUM] = {STEP_UNIT_AMOUNT, "Projectplan pilot loondispensatie Helmond 2010, § 9.3"},
    [STEP_IE_AVERAGE] = {STEP_UNIT_AMOUNT,
                         "Projectplan pilot loondispensatie Helmond 2010, § 9.3"},
    [STEP_IE_TOTAL] = {STEP_UNIT_AMOUNT, "Projectplan pilot loondispensatie Helmond 2010, § 9.3"},
    [STEP_TERM_START] = {STEP_UNIT_DATE, "Algemene wet bestuursrecht art. 6:8"},
    [STEP_TERM_WORKDAYS] = {STEP_UNIT_DATE,
                            "Servicenorm in werkdagen (preferent werkproces 2019); feestdagen "
                            "volgens Algemene termijnenwet art. 3"},
    [STEP_TERM_DAYS] = {STEP_UNIT_DATE, "Algemene wet bestuursrecht art. 6:8"},
    [STEP_TERM_WEEKS] = {STEP_UNIT_DATE, "Algemene wet bestuursrecht art. 6:8"},
    [STEP_TERM_ART1] = {STEP_UNIT_DATE, "Algemene termijnenwet art. 1 en 3"},
    [STEP_TERM_ART2] = {STEP_UNIT_DATE, "Algemene termijnenwet art. 2"},
    [STEP_TERM_ART4] = {STEP_UNIT_DATE, "Algemene termijnenwet art. 4"},
    [STEP_TERM_END] = {STEP_UNIT_DATE, "Algemene termijnenwet art. 1 en 2"},
    [STEP_PAY_PART] = {STEP_UNIT_COUNT,
                       "Participatiewet art. 10d lid 4 (subsidie per maand, voor de duur van "
                       "de beschikking en de dienstbetrekking)"},
    [STEP_PAY_REINDEX] = {STEP_UNIT_DATE, "Participatiewet art. 10d lid 7"},
    [STEP_PAY_PRORATA] = {STEP_UNIT_AMOUNT,
                          "Participatiewet art. 10d lid 4 (bedrag per maand); een deel van de "
                          "maand naar kalenderdagen"},
    [STEP_PAY_SUSPENDED] = {STEP_UNIT_AMOUNT, "Algemene wet bestuursrecht art. 4:56"},
    [STEP_PAY_FORFAIT_END] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 5"},
    [STEP_PAY_TOTAL] = {STEP_UNIT_AMOUNT, "Participatiewet art. 10d lid 4"},
};

static int known(const struct rule_step *s)
{
    return s->id > 0 && s->id < STEP_ID_COUNT;
}

enum step_unit step_unit(const struct rule_step *s)
{
    return known(s) ? info[s->id].unit : STEP_UNIT_COUNT;
}

const char *step_basis(const struct rule_step *s)
{
    return known(s) && info[s->id].basis ? info[s->id].basis : "";
}

/* Small printers into caller buffers, so one snprintf can combine them. */
#define TXT 48 /* room for "€ " and any formatted amount */

static char *eur(char b[TXT], int64_t cents)
{
    char t[MONEY_FMT_MAX];
    snprintf(b, TXT, "€ %s", money_fmt_nl(t, cents, 2));
    return b;
}

static char *pct(char b[TXT], int64_t hundredths)
{
    char t[MONEY_FMT_MAX];
    money_fmt_short(t, hundredths, 2, 0);
    for (char *p = t; *p; p++)
        if (*p == '.')
            *p = ',';
    snprintf(b, TXT, "%s%%", t);
    return b;
}

static char *hrs(char b[TXT], int64_t hundredths)
{
    money_fmt_short(b, hundredths, 2, 0);
    for (char *p = b; *p; p++)
        if (*p == '.')
            *p = ',';
    return b;
}

static const char *weekday_name(lks_date t)
{
    static const char *names[] = {"maandag", "dinsdag",  "woensdag", "donderdag",
                                  "vrijdag", "zaterdag", "zondag"};
    return names[date_weekday(t)];
}

/* Why a day is not a working day: the holiday's name, else the weekday. */
static const char *rest_reason(lks_date t)
{
    const char *h = cal_holiday(t);
    return h ? h : weekday_name(t);
}

static const char *household_text(int64_t h)
{
    switch (h) {
    case LD_SINGLE:
        return "alleenstaande";
    case LD_SINGLE_PARENT:
        return "alleenstaande ouder";
    default:
        return "gehuwden/samenwonenden";
    }
}

char *step_exact_fmt(const struct rule_step *s, char *buf, size_t n)
{
    /* exact is in 1e-7 cent: print with 9 decimals, then trim zeros (keep 2). */
    char t[MONEY_FMT_MAX];
    money_fmt_short(t, s->exact, 9, 2);
    snprintf(buf, n, "%s", t);
    return buf;
}

char *step_text(const struct rule_step *s, char *buf, size_t n)
{
    char a[TXT], b[TXT], c[TXT], d[TXT];
    char d1[DATE_FMT_MAX], d2[DATE_FMT_MAX];
    const int64_t *x = s->arg;
    switch (s->id) {
    case STEP_LKS_WML:
        snprintf(buf, n, "Wettelijk minimumloon per maand op %s (volledig vanaf %d jaar)",
                 date_fmt(d1, (lks_date)x[0]), (int)x[1]);
        break;
    case STEP_LKS_YOUTH:
        snprintf(buf, n, "Jeugdminimumloon bij %d jaar: %s van %s", (int)x[2], pct(a, x[1]),
                 eur(b, x[0]));
        break;
    case STEP_LKS_YOUTH_MULTIPLE: {
        /* the unit in cents; half of it in tenths of a cent, printed with 3 decimals */
        char half[MONEY_FMT_MAX];
        snprintf(buf, n,
                 "Jeugdminimumloon bij %d jaar: %s van %s, afgerond op een veelvoud van %s "
                 "(een restbedrag van € %s of meer naar boven)",
                 (int)x[2], pct(a, x[1]), eur(b, x[0]), eur(c, x[3]),
                 money_fmt_nl(half, x[3] * 5, 3));
        break;
    }
    case STEP_LKS_BASE:
        snprintf(buf, n, "Grondslag: minimumloon %s plus %s vakantiebijslag", eur(a, x[0]),
                 pct(b, x[1]));
        break;
    case STEP_LKS_WAGE:
        snprintf(buf, n, "Loonkostensubsidie bij voltijd: (100%% − loonwaarde %s) = %s van %s",
                 pct(a, x[1]), pct(b, x[2]), eur(c, x[0]));
        break;
    case STEP_LKS_WAGE_CAP:
        snprintf(buf, n,
                 "Loonkostensubsidie bij voltijd: 100%% − loonwaarde %s = %s, begrensd op %s "
                 "van %s",
                 pct(a, x[1]), pct(b, x[2]), pct(c, x[3]), eur(d, x[0]));
        break;
    case STEP_LKS_FORFAIT:
        snprintf(buf, n,
                 "Forfaitaire loonkostensubsidie zonder loonwaardemeting: %s van %s (ten "
                 "hoogste de eerste %d maanden)",
                 pct(a, x[1]), eur(b, x[0]), (int)x[2]);
        break;
    case STEP_LKS_HOURS_FIXED:
    case STEP_LKS_HOURS_SECTOR: {
        char e[TXT];
        const char *why = s->id == STEP_LKS_HOURS_FIXED ? "uur (vaste deler)"
                                                         : "uur (voltijd in de sector)";
        if (x[1] != x[3])
            snprintf(buf, n, "Naar arbeidsduur: %s × %s / %s %s; overeengekomen %s uur, "
                             "begrensd op de voltijd van de sector",
                     eur(a, x[0]), hrs(b, x[1]), hrs(c, x[2]), why, hrs(e, x[3]));
        else
            snprintf(buf, n, "Naar arbeidsduur: %s × %s / %s %s", eur(a, x[0]), hrs(b, x[1]),
                     hrs(c, x[2]), why);
        (void)d;
        break;
    }
    case STEP_LKS_ALLOWANCE:
        snprintf(buf, n, "Forfaitaire vergoeding werkgeverslasten: %s van %s", pct(a, x[1]),
                 eur(b, x[0]));
        break;
    case STEP_LKS_TOTAL:
        snprintf(buf, n, "Totaal per maand: %s + %s", eur(a, x[0]), eur(b, x[1]));
        break;
    case STEP_LD_NORM_COUPLE:
        snprintf(buf, n, "Bijstandsnorm gehuwden (A)");
        break;
    case STEP_LD_NET_FROM_LW:
        snprintf(buf, n, "Netto inkomen uit werk (B) = loonwaarde %s × %s", pct(a, x[0]),
                 eur(b, x[1]));
        break;
    case STEP_LD_NET_GIVEN:
        snprintf(buf, n, "Netto inkomen uit werk (B), opgegeven");
        break;
    case STEP_LD_GAP:
        snprintf(buf, n, "Voor %s: %d/8 × (A − B)", household_text(x[0]), (int)x[1]);
        break;
    case STEP_LD_OTHER_INCOME:
        snprintf(buf, n, "Overig inkomen (C), in mindering");
        break;
    case STEP_LD_SUPPLEMENT:
        snprintf(buf, n, x[0] ? "Aanvullende uitkering: uitkomst negatief, dus nihil"
                              : "Aanvullende uitkering (afgerond op centen)");
        break;
    case STEP_LD_INCOME:
        snprintf(buf, n, "Totaal inkomen = B + C + aanvullende uitkering (afgerond)");
        break;
    case STEP_LD_NORM:
        snprintf(buf, n, "Norm voor %s: %s van A (afgerond)", household_text(x[1]),
                 pct(a, x[0]));
        break;
    case STEP_LD_SAVING:
        snprintf(buf, n, "Besparing gemeente: norm %s − aanvulling %s", eur(a, x[0]),
                 eur(b, x[1]));
        break;
    case STEP_IE_SAVING_SINGLE:
    case STEP_IE_SAVING_PARENT:
    case STEP_IE_SAVING_COUPLE: {
        const char *who = s->id == STEP_IE_SAVING_SINGLE   ? "alleenstaande"
                          : s->id == STEP_IE_SAVING_PARENT ? "alleenstaande ouder"
                                                           : "gehuwden";
        snprintf(buf, n, "Besparing per maand voor %s: norm %s − aanvulling %s", who,
                 eur(a, x[0]), eur(b, x[1]));
        break;
    }
    case STEP_IE_SUM:
        snprintf(buf, n, "Som van de besparing over de drie huishoudtypen");
        break;
    case STEP_IE_AVERAGE:
        snprintf(buf, n, "Gemiddelde besparing per fte per maand: %s / 3 (alle huishoudtypen "
                         "even vaak)",
                 eur(a, x[0]));
        break;
    case STEP_IE_TOTAL: {
        char f[MONEY_FMT_MAX];
        money_fmt_short(f, x[3], 4, 0);
        for (char *p = f; *p; p++)
            if (*p == '.')
                *p = ',';
        snprintf(buf, n, "Inverdieneffect: %s / 3 × %d plaatsingen × %d maanden × %s fte",
                 eur(a, x[0]), (int)x[1], (int)x[2], f);
        break;
    }
    case STEP_TERM_START:
        snprintf(buf, n,
                 x[0] == TERM_WORKDAYS ? "Vanaf %s (%s); deze dag telt niet mee"
                                       : "Vanaf %s (%s); de termijn begint de dag erna",
                 date_fmt(d1, (lks_date)s->value), weekday_name((lks_date)s->value));
        break;
    case STEP_TERM_WORKDAYS:
        snprintf(buf, n,
                 "%d werkdagen na %s: %s (%s); %d zaterdagen, zondagen en feestdagen "
                 "overgeslagen",
                 (int)x[0], date_fmt(d1, (lks_date)x[1]), date_fmt(d2, (lks_date)s->value),
                 weekday_name((lks_date)s->value), (int)x[2]);
        break;
    case STEP_TERM_DAYS:
    case STEP_TERM_WEEKS:
        snprintf(buf, n, "Termijn van %d %s na %s: laatste dag %s (%s)", (int)x[0],
                 s->id == STEP_TERM_WEEKS ? (x[0] == 1 ? "week" : "weken")
                                          : (x[0] == 1 ? "dag" : "dagen"),
                 date_fmt(d1, (lks_date)x[1]), date_fmt(d2, (lks_date)s->value),
                 weekday_name((lks_date)s->value));
        break;
    case STEP_TERM_ART1:
        snprintf(buf, n,
                 "%s is een %s: de termijn loopt door tot de eerstvolgende dag die geen "
                 "zaterdag, zondag of feestdag is, %s (%s)",
                 date_fmt(d1, (lks_date)x[0]), rest_reason((lks_date)x[0]),
                 date_fmt(d2, (lks_date)s->value), weekday_name((lks_date)s->value));
        break;
    case STEP_TERM_ART2:
        snprintf(buf, n,
                 "De termijn bevat minder dan twee werkdagen: verlengd tot %s (%s)",
                 date_fmt(d1, (lks_date)s->value), weekday_name((lks_date)s->value));
        break;
    case STEP_TERM_ART4:
        snprintf(buf, n, "Termijn langer dan %s: de Algemene termijnenwet is niet van toepassing",
                 x[0] == TERM_WEEKS ? "12 weken" : "90 dagen");
        break;
    case STEP_TERM_END:
        snprintf(buf, n, "Einddatum: %s (%s)", date_fmt(d1, (lks_date)s->value),
                 weekday_name((lks_date)s->value));
        break;
    case STEP_PAY_PART:
        if (s->value == x[3])
            snprintf(buf, n, "Hele maand %s t/m %s (%d dagen), beschikking %d",
                     date_fmt(d1, (lks_date)x[0]), date_fmt(d2, (lks_date)x[1]), (int)s->value,
                     (int)x[2] + 1);
        else
            snprintf(buf, n, "Deel van de maand %s t/m %s: %d van de %d dagen, beschikking %d",
                     date_fmt(d1, (lks_date)x[0]), date_fmt(d2, (lks_date)x[1]), (int)s->value,
                     (int)x[3], (int)x[2] + 1);
        break;
    case STEP_PAY_REINDEX:
        snprintf(buf, n,
                 "Peildatum %s van de beschikking, opnieuw vastgesteld per 1 januari: %s (een "
                 "wijziging per 1 juli telt pas per 1 januari)",
                 date_fmt(d1, (lks_date)x[0]), date_fmt(d2, (lks_date)s->value));
        break;
    case STEP_PAY_PRORATA:
        if (x[1] == x[2])
            snprintf(buf, n, "Hele maand: het volle maandbedrag %s", eur(a, x[0]));
        else
            snprintf(buf, n, "Naar kalenderdagen: %s × %d / %d dagen (afgerond op centen)",
                     eur(a, x[0]), (int)x[1], (int)x[2]);
        break;
    case STEP_PAY_SUSPENDED:
        snprintf(buf, n, "Betaling opgeschort van %s t/m %s: over deze dagen geen bedrag",
                 date_fmt(d1, (lks_date)x[0]), date_fmt(d2, (lks_date)x[1]));
        break;
    case STEP_PAY_FORFAIT_END:
        snprintf(buf, n,
                 "Forfaitaire loonkostensubsidie ten hoogste de eerste %d maanden van het "
                 "dienstverband (vanaf %s, dus tot en met %s): over deze dagen geen bedrag",
                 (int)x[2], date_fmt(d1, (lks_date)x[1]), date_fmt(d2, (lks_date)x[0]));
        break;
    case STEP_PAY_TOTAL:
        date_fmt(d1, (lks_date)x[1]);
        d1[7] = '\0'; /* YYYY-MM */
        snprintf(buf, n, "Te betalen over %s: de som van %d %s", d1, (int)x[0],
                 x[0] == 1 ? "deel" : "delen");
        break;
    default:
        snprintf(buf, n, "Onbekende stap %d", (int)s->id);
    }
    return buf;
}

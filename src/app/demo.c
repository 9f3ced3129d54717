/* demo — see demo.h. */
#include "app/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cal.h"
#include "rules/toets.h"

static const struct {
    const char *code, *name, *city, *pc;
} towns[] = {
    {"gm0794", "Gemeente Helmond", "Helmond", "5701"},
    {"gm1924", "Gemeente Goeree-Overflakkee", "Middelharnis", "3241"},
    {"gm0202", "Gemeente Arnhem", "Arnhem", "6811"},
    {"gm0828", "Gemeente Oss", "Oss", "5341"},
    {"gm0355", "Gemeente Zeist", "Zeist", "3701"},
    {"gm0200", "Gemeente Apeldoorn", "Apeldoorn", "7311"},
    {"gm0546", "Gemeente Leiden", "Leiden", "2311"},
    {"gm0193", "Gemeente Zwolle", "Zwolle", "8011"},
};

static const char *const first[] = {"Anna",  "Bram",   "Chantal", "Daan",  "Esra",  "Fleur",
                                    "Gijs",  "Hatice", "Iris",    "Jeroen", "Kim",  "Lucas",
                                    "Mila",  "Noah",   "Oumaima", "Pieter", "Romy", "Sem",
                                    "Tess",  "Youssef"};
static const char *const last[] = {"de Vries", "Jansen",   "van Dijk", "Bakker",  "Visser",
                                   "Smit",     "Meijer",   "de Boer",  "Mulder",  "Yilmaz",
                                   "Bos",      "Vos",      "Peters",   "Hendriks", "El Amrani",
                                   "Dekker",   "van Leeuwen", "Kok",   "Verhoeven", "Jacobs"};
static const char *const streets[] = {"Kerkstraat", "Dorpsstraat", "Molenweg", "Stationsplein",
                                      "Schoolstraat", "Beukenlaan", "Industrieweg", "Marktplein"};
static const char *const trades[] = {"Bakkerij", "Installatiebedrijf", "Hoveniersbedrijf",
                                     "Zorgcentrum", "Supermarkt", "Drukkerij", "Garage",
                                     "Schoonmaakbedrijf", "Hotel", "Distributiecentrum"};
static const char *const jobs[] = {"productiemedewerker", "medewerker groenvoorziening",
                                   "magazijnmedewerker", "medewerker schoonmaak",
                                   "keukenhulp", "medewerker inpak", "vakkenvuller",
                                   "medewerker facilitaire dienst"};
static const char *const experts[] = {"J. Hermans (Dariuz)", "M. Kuipers (UWV)",
                                      "S. Öztürk (AKC)", "L. de Wit (Pantar)"};

/* Postcode letters without S: the pairs SA, SD and SS are not issued. */
static const char pc_letters[] = "ABCDEFGHJKLMNPRTVWXZ";

#define DEMO_BATCH 32 /* cases per transaction */

struct rng {
    uint64_t s;
};

static uint64_t next(struct rng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 2685821657736338717ULL;
}

static int pick(struct rng *r, int n)
{
    return (int)(next(r) % (uint64_t)n);
}

static int chance(struct rng *r, int percent)
{
    return pick(r, 100) < percent;
}

/* A BSN that passes the elfproef. */
static void make_bsn(struct rng *r, char out[10])
{
    for (;;) {
        int d[9], sum = 0;
        d[0] = 1 + pick(r, 9);
        for (int i = 1; i < 8; i++)
            d[i] = pick(r, 10);
        for (int i = 0; i < 8; i++)
            sum += (9 - i) * d[i];
        d[8] = sum % 11;
        if (d[8] > 9)
            continue;
        for (int i = 0; i < 9; i++)
            out[i] = (char)('0' + d[i]);
        out[9] = '\0';
        return;
    }
}

/* A Dutch IBAN with a valid mod-97 check. */
static void make_iban(struct rng *r, char out[35])
{
    static const char *const banks[] = {"ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB"};
    const char *bank = banks[pick(r, 6)];
    char acct[11];
    for (int i = 0; i < 10; i++)
        acct[i] = (char)('0' + pick(r, 10));
    acct[10] = '\0';
    /* BBAN + "NL00" as digits, mod 97 */
    char digits[64];
    int n = 0;
    for (int i = 0; i < 4; i++)
        n += snprintf(digits + n, sizeof digits - (size_t)n, "%d", bank[i] - 'A' + 10);
    n += snprintf(digits + n, sizeof digits - (size_t)n, "%s%d%d00", acct, 'N' - 'A' + 10,
                  'L' - 'A' + 10);
    int mod = 0;
    for (int i = 0; i < n; i++)
        mod = (mod * 10 + (digits[i] - '0')) % 97;
    snprintf(out, 35, "NL%02d%s%s", 98 - mod, bank, acct);
}

static void make_kvk(struct rng *r, char out[9])
{
    for (int i = 0; i < 8; i++)
        out[i] = (char)('0' + (i == 0 ? 1 + pick(r, 9) : pick(r, 10)));
    out[8] = '\0';
}

static lks_date workdays_after(lks_date d, struct rng *r, int lo, int hi)
{
    return cal_add_workdays(d, lo + pick(r, hi - lo + 1));
}

struct run {
    struct app *a;
    struct rng r;
    struct demo_stats *st;
    lks_date until;
    struct app_actor km, lwd, besl, fin;
    int64_t id;
    int failed;
    lks_date last; /* date of the last step given */
    struct case_event ev;
};

/* A form's IBAN waits for a financieel's confirmation (four eyes); in the demo one
 * confirms it the working day after, as a finance officer would before the first
 * payment. */
static void confirm_iban(struct run *u, lks_date date)
{
    const struct employer *w = &u->a->cs->employer;
    if (!w->iban_proposed[0] || date > u->until)
        return;
    struct employer_event ev = {.type = EMP_IBAN_BEVESTIGD, .date = date};
    struct lks_err e = {0};
    char kvk[sizeof w->kvk];
    memcpy(kvk, w->kvk, sizeof kvk);
    if (app_employer_event(u->a, &u->fin, kvk, &ev, 1, NULL, &e) == 0) {
        u->st->events++;
        u->a->cached_id = 0; /* the case shows the employer as it was */
    } else if (getenv("LKS_DEMO_DEBUG")) {
        fprintf(stderr, "iban-bevestigd: %s: %s\n", e.field, e.msg);
    }
}

/* Give one command; a refusal ends the case's story here (the demo data is
 * varied on purpose, and a refusal is a real outcome too). */
static int step(struct run *u, const struct app_actor *who, enum ev_type type, lks_date date)
{
    if (u->failed || date > u->until)
        return -1;
    u->ev.type = type;
    u->ev.date = date;
    struct lks_err e = {0};
    int64_t id = u->id;
    if (app_event(u->a, who, u->id, &u->ev, 1, &id, &e)) {
        u->st->refused++;
        if (getenv("LKS_DEMO_DEBUG"))
            fprintf(stderr, "%s: %s: %s\n", ev_type_name(type), e.field, e.msg);
        u->failed = 1;
        return -1;
    }
    u->id = id;
    u->last = date;
    u->st->events++;
    memset(&u->ev.d, 0, sizeof u->ev.d);
    return 0;
}

static void answers(struct run *u, int outcome)
{
    struct ev_toets *t = &u->ev.d.toets;
    memset(t->answer, TOETS_NO, sizeof t->answer);
    t->answer[TOETS_Q1][pick(&u->r, 4)] = TOETS_YES;
    if (outcome == TOETS_UPPER_BOUND) {
        t->answer[TOETS_Q2A][1] = TOETS_YES;
        return;
    }
    t->answer[TOETS_Q2B][pick(&u->r, 3)] = TOETS_NO;
    t->answer[TOETS_Q2B][0] = TOETS_NO;
    for (int c = 0; c < 4; c++)
        t->answer[TOETS_Q3][c] = TOETS_YES;
    if (outcome == TOETS_LOWER_BOUND) {
        t->answer[TOETS_Q3][pick(&u->r, 4)] = TOETS_NO;
        snprintf(t->explanation, sizeof t->explanation,
                 "Kan volgens het advies van de bedrijfsarts niet zonder permanent toezicht "
                 "werken; dagbesteding is passender.");
    }
}

static lks_date month_start(lks_date d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(y, m, 1);
}

/* Monthly payments of the running grant from `from` for up to n months. */
static lks_date pay(struct run *u, lks_date from, int n, lks_date stop)
{
    lks_date m = month_start(from);
    for (int i = 0; i < n; i++) {
        lks_date paid = date_add_months(m, 1) + 2 + pick(&u->r, 8);
        if (paid <= u->last) /* arrears are paid after the decision */
            paid = u->last + 1 + pick(&u->r, 3);
        if (paid > u->until || (stop != LKS_NO_DATE && m > stop))
            break;
        u->ev.d.betaling.month = m;
        if (step(u, &u->fin, EV_BETALING_VERRICHT, paid))
            break;
        m = date_add_months(m, 1);
    }
    return m;
}

static void one_case(struct run *u, int tenant, int employer_no, lks_date applied)
{
    struct rng *r = &u->r;
    struct ev_aanvraag *f = &u->ev.d.aanvraag;
    memset(&u->ev, 0, sizeof u->ev);
    u->id = 0;
    u->failed = 0;

    /* the standard form */
    struct person *p = &f->person;
    make_bsn(r, p->bsn);
    snprintf(p->name, sizeof p->name, "%s %s", first[pick(r, 20)], last[pick(r, 20)]);
    p->birth = date_add_days(applied, -(365 * (18 + pick(r, 45)) + pick(r, 365)));
    p->sex = (enum sex)(1 + pick(r, 2));
    snprintf(p->address, sizeof p->address, "%s %d", streets[pick(r, 8)], 1 + pick(r, 180));
    snprintf(p->postcode, sizeof p->postcode, "%s %c%c", towns[tenant].pc, pc_letters[pick(r, 20)],
             pc_letters[pick(r, 20)]);
    snprintf(p->city, sizeof p->city, "%s", towns[tenant].city);
    p->household = (enum household)pick(r, 3);
    p->benefit = chance(r, 80) ? BEN_PW : (enum benefit)(BEN_WW + pick(r, 3));
    p->benefit_start = date_add_days(applied, -(30 + pick(r, 2000)));
    p->wsw_indication = chance(r, 12);

    struct rng er = {0x9e3779b97f4a7c15ULL ^ ((uint64_t)(tenant + 1) << 32 ^ (uint64_t)employer_no)};
    struct employer *w = &f->employer;
    make_kvk(&er, w->kvk);
    snprintf(w->name, sizeof w->name, "%s %s B.V.", trades[pick(&er, 10)], last[pick(&er, 20)]);
    snprintf(w->address, sizeof w->address, "%s %d", streets[pick(&er, 8)], 1 + pick(&er, 90));
    snprintf(w->postcode, sizeof w->postcode, "%s %c%c", towns[tenant].pc,
             pc_letters[pick(&er, 20)], pc_letters[pick(&er, 20)]);
    snprintf(w->city, sizeof w->city, "%s", towns[tenant].city);
    make_iban(&er, w->iban);
    w->employees = 3 + pick(&er, 400);
    w->fulltime_hours = (int32_t)(3600 + 100 * pick(&er, 5));
    w->own_sickness_insurance = chance(&er, 15);

    struct placement *pl = &f->placement;
    bool late = chance(r, 15);
    pl->start = late ? date_add_days(applied, -(10 + pick(r, 150))) : applied + 5 + pick(r, 40);
    pl->end = chance(r, 55) ? LKS_NO_DATE : date_add_months(pl->start, 6 + pick(r, 24));
    pl->hours = (int32_t)(1200 + 100 * pick(r, 25));
    if (pl->hours > w->fulltime_hours)
        pl->hours = w->fulltime_hours;
    pl->wage = 190000 + 1000 * pick(r, 120);
    snprintf(pl->job_title, sizeof pl->job_title, "%s", jobs[pick(r, 8)]);
    snprintf(pl->staff_number, sizeof pl->staff_number, "P%05d", pick(r, 99999));
    pl->kind = chance(r, 85) ? PL_REGULAR : (chance(r, 60) ? PL_SECONDMENT : PL_SW);
    f->late_allowed = late;
    snprintf(f->applicant, sizeof f->applicant, "%s", chance(r, 70) ? "werkgever" : "werknemer");
    snprintf(f->case_worker, sizeof f->case_worker, "%s", u->km.user);
    bool incomplete = chance(r, 12);
    char saved_iban[35];
    int64_t saved_wage = pl->wage;
    memcpy(saved_iban, w->iban, sizeof saved_iban);
    struct ev_aanvraag full = *f;
    if (incomplete) {
        w->iban[0] = '\0';
        pl->wage = 0;
    }
    const struct app_actor *applicant = &u->km;
    if (step(u, applicant, EV_AANVRAAG_INGEDIEND, applied))
        return;
    lks_date d = applied;
    confirm_iban(u, cal_add_workdays(applied, 1));
    if (incomplete) {
        u->ev.d.info.nmissing = 2;
        snprintf(u->ev.d.info.missing[0], 48, "IBAN werkgever");
        snprintf(u->ev.d.info.missing[1], 48, "brutoloon");
        d = workdays_after(d, r, 1, 4);
        if (step(u, &u->km, EV_INFORMATIE_GEVRAAGD, d))
            return;
        if (chance(r, 10)) {
            snprintf(u->ev.d.einde.reason, CASE_TEXT, "werkgever heeft de vacature ingetrokken");
            step(u, &u->km, EV_AANVRAAG_INGETROKKEN, d + 20 + pick(r, 20));
            return;
        }
        u->ev.d.aanvraag = full;
        memcpy(u->ev.d.aanvraag.employer.iban, saved_iban, sizeof saved_iban);
        u->ev.d.aanvraag.placement.wage = saved_wage;
        d += 3 + pick(r, 20);
        if (step(u, &u->km, EV_INFORMATIE_AANGEVULD, d))
            return;
        confirm_iban(u, cal_add_workdays(d, 1));
    }
    d = workdays_after(d, r, 0, 4);
    if (step(u, &u->km, EV_AANVRAAG_COMPLEET, d))
        return;

    /* access test */
    int roll = pick(r, 100);
    int outcome = roll < 86 ? TOETS_IN_TARGET_GROUP : roll < 95 ? TOETS_UPPER_BOUND
                                                                : TOETS_LOWER_BOUND;
    answers(u, outcome);
    u->ev.d.toets.voluntary = chance(r, 40);
    u->ev.d.toets.cost = chance(r, 30) ? 17500 : 0;
    d = workdays_after(d, r, 1, 8);
    if (step(u, &u->km, EV_TOEGANGSTOETS_UITGEVOERD, d))
        return;
    if (outcome != TOETS_IN_TARGET_GROUP) {
        u->ev.d.beschikking.kind = DEC_REFUSAL;
        snprintf(u->ev.d.beschikking.reason, CASE_NOTE,
                 "De werknemer behoort volgens de toegangstoets niet tot de doelgroep.");
        d = workdays_after(d, r, 2, 14);
        if (step(u, &u->besl, EV_BESCHIKKING_VERZONDEN, d))
            return;
        if (chance(r, 25)) {
            snprintf(u->ev.d.bezwaar.subject, CASE_TEXT, "uitkomst toegangstoets");
            lks_date b = d + 10 + pick(r, 30);
            if (step(u, &u->km, EV_BEZWAAR_INGEDIEND, b) == 0) {
                snprintf(u->ev.d.bezwaar_beslist.outcome, 24, "%s",
                         chance(r, 70) ? "ongegrond" : "gegrond");
                u->ev.d.bezwaar_beslist.index = -1;
                step(u, &u->besl, EV_BEZWAAR_BESLIST, b + 60 + pick(r, 60));
            }
        }
        return;
    }
    /* provisions around the start */
    if (chance(r, 10)) {
        struct provision *v = &u->ev.d.voorziening;
        v->kind = PROV_PROEFPLAATSING;
        v->start = d + 1;
        v->end = date_add_months(v->start, 2) - 1;
        v->ended = LKS_NO_DATE;
        step(u, &u->km, EV_VOORZIENING_TOEGEKEND, d + 1);
        if (u->failed)
            return;
    }

    /* a flat rate only where the rules have one (from 2016-07-04) */
    struct lks_err fe;
    const struct rules_lks *lr = rules_lks_at(u->a->rules, u->a->cs->placement.start, &fe);
    bool forfait = chance(r, 18) && lr && lr->forfait_pct > 0;
    lks_date basis;
    if (forfait) {
        d = workdays_after(d, r, 1, 5);
        basis = d;
        if (step(u, &u->km, EV_FORFAIT_AFGESPROKEN, d))
            return;
    } else {
        struct measurement *m = &u->ev.d.meting;
        m->method = chance(r, 60) ? MM_UNIFORM : (enum measure_method)pick(r, 5);
        snprintf(m->expert, sizeof m->expert, "%s", experts[pick(r, 4)]);
        m->cost = chance(r, 50) ? 20000 : 51000;
        d = workdays_after(d, r, 0, 3);
        if (step(u, &u->km, EV_LOONWAARDEMETING_AANGEVRAAGD, d))
            return;
        int32_t lw = chance(r, 6) ? 1500 + 100 * pick(r, 14) : 3000 + 100 * pick(r, 66);
        u->ev.d.vastgesteld.loonwaarde = lw;
        u->ev.d.vastgesteld.measured = d + 2 + pick(r, 5);
        snprintf(u->ev.d.vastgesteld.reference_job, CASE_TEXT, "%s",
                 u->a->cs->placement.job_title);
        snprintf(u->ev.d.vastgesteld.report_doc, CASE_TEXT, "rapport-%05d.pdf", pick(r, 99999));
        u->ev.d.vastgesteld.next = LKS_NO_DATE;
        d = u->ev.d.vastgesteld.measured + pick(r, 12);
        basis = d;
        if (step(u, &u->lwd, EV_LOONWAARDE_VASTGESTELD, d))
            return;
        if (lw < 3000) {
            u->ev.d.beschikking.kind = DEC_REFUSAL;
            snprintf(u->ev.d.beschikking.reason, CASE_NOTE,
                     "De loonwaarde ligt onder de ondergrens van de gemeente.");
            step(u, &u->besl, EV_BESCHIKKING_VERZONDEN, workdays_after(d, r, 3, 15));
            return;
        }
    }
    u->ev.d.beschikking.kind = DEC_GRANT;
    u->ev.d.beschikking.from = u->ev.d.beschikking.to = LKS_NO_DATE;
    lks_date sent = workdays_after(basis, r, 2, chance(r, 75) ? 10 : 22);
    if (step(u, &u->besl, EV_BESCHIKKING_VERZONDEN, sent))
        return;
    struct case_state *cs = u->a->cs;
    lks_date start = cs->decision[cs->ndecisions - 1].from;
    lks_date stop = cs->placement.end;

    if (chance(r, 30)) {
        struct provision *v = &u->ev.d.voorziening;
        v->kind = PROV_JOBCOACH;
        v->start = sent;
        v->end = date_add_months(sent, 12) - 1;
        v->hours = 100 * (20 + pick(r, 32));
        v->cost = v->hours * 75;
        v->ended = LKS_NO_DATE;
        step(u, &u->km, EV_VOORZIENING_TOEGEKEND, sent);
    }
    if (!u->failed && chance(r, 15) && !cs->employer.own_sickness_insurance) {
        struct provision *v = &u->ev.d.voorziening;
        v->kind = PROV_NORISK;
        v->start = sent;
        v->end = date_add_months(cs->placement.start, 24) - 1;
        v->ended = LKS_NO_DATE;
        step(u, &u->km, EV_VOORZIENING_TOEGEKEND, sent);
    }
    if (!u->failed && chance(r, 8)) {
        snprintf(u->ev.d.bezwaar.subject, CASE_TEXT, "hoogte van de loonwaarde");
        u->ev.d.bezwaar.committee = chance(r, 30);
        if (step(u, &u->km, EV_BEZWAAR_INGEDIEND, sent + 7 + pick(r, 30)) == 0) {
            snprintf(u->ev.d.bezwaar_beslist.outcome, 24, "%s",
                     chance(r, 80) ? "ongegrond" : "gegrond");
            u->ev.d.bezwaar_beslist.index = -1;
            step(u, &u->besl, EV_BEZWAAR_BESLIST, sent + 50 + pick(r, 90));
        }
    }
    u->failed = 0; /* an objection refused (too late in the data) does not stop the story */

    /* payments, then a re-measurement (the flat rate must be measured within 6 months) */
    int months = forfait ? 3 + pick(r, 3) : 6 + pick(r, 10);
    lks_date next_month = pay(u, start, months, stop);
    if (u->failed)
        return;
    if (forfait || chance(r, 60)) {
        struct measurement *m = &u->ev.d.meting;
        m->method = MM_UNIFORM;
        snprintf(m->expert, sizeof m->expert, "%s", experts[pick(r, 4)]);
        m->cost = 20000;
        lks_date hd = forfait ? date_add_months(cs->placement.start, 4) + pick(r, 30)
                              : date_add_months(cs->measurement[cs->nmeasurements - 1].measured,
                                                12) - pick(r, 20) + pick(r, 40);
        if (hd < next_month)
            hd = next_month;
        if (hd <= u->last)
            hd = u->last + 1 + pick(r, 3);
        /* a revision must start within the contract and the rule tables */
        if ((stop != LKS_NO_DATE && hd > stop - 60) || hd > u->until - 60)
            goto end;
        if (step(u, &u->km, EV_HERBEOORDELING_GESTART, hd))
            return;
        const struct decision *g = &cs->decision[cs->ndecisions - 1];
        bool same = !forfait && chance(r, 40);
        int32_t lw = same ? g->loonwaarde : 3000 + 100 * pick(r, 66);
        u->ev.d.vastgesteld.loonwaarde = lw;
        u->ev.d.vastgesteld.measured = hd + 3 + pick(r, 5);
        u->ev.d.vastgesteld.next = LKS_NO_DATE;
        lks_date rep = u->ev.d.vastgesteld.measured + pick(r, 10);
        if (step(u, &u->lwd, same ? EV_LOONWAARDE_ONGEWIJZIGD : EV_LOONWAARDE_VASTGESTELD, rep))
            return;
        if (!same) {
            u->ev.d.beschikking.kind = DEC_REVISION;
            u->ev.d.beschikking.from = u->ev.d.beschikking.to = LKS_NO_DATE;
            if (step(u, &u->besl, EV_BESCHIKKING_VERZONDEN, workdays_after(rep, r, 2, 12)))
                return;
        }
        next_month = pay(u, next_month, 2 + pick(r, 6), stop);
    }
end:
    /* the end of the contract */
    if (stop != LKS_NO_DATE && stop <= u->until && !u->failed) {
        snprintf(u->ev.d.einde.reason, CASE_TEXT, "einde contract");
        step(u, &u->km, EV_DIENSTVERBAND_BEEINDIGD, stop);
    } else if (!u->failed && chance(r, 6)) {
        snprintf(u->ev.d.einde.reason, CASE_TEXT, "werknemer heeft ander werk gevonden");
        step(u, &u->km, EV_DIENSTVERBAND_BEEINDIGD, next_month + pick(r, 20));
    }
}

int demo_run(struct app *a, const struct demo_opts *o, struct demo_stats *st,
             struct lks_err *err)
{
    memset(st, 0, sizeof *st);
    int ng = o->gemeenten < 1 ? 1 : o->gemeenten > 8 ? 8 : o->gemeenten;
    int rc = store_begin(a->store, err);
    if (rc)
        return rc;
    for (int t = 0; t < ng && rc == 0; t++) {
        struct tenant tn = {0};
        snprintf(tn.code, sizeof tn.code, "%s", towns[t].code);
        snprintf(tn.name, sizeof tn.name, "%s", towns[t].name);
        tn.kind = TENANT_GEMEENTE;
        rc = store_tenant_put(a->store, &tn, err);
    }
    if (rc == 0) {
        /* a regional employer service point over them, and some local policy */
        struct tenant wsp = {"wsp-regio", "Werkgeversservicepunt regio", TENANT_SERVICEPUNT};
        rc = store_tenant_put(a->store, &wsp, err);
        for (int t = 0; t < ng && rc == 0; t++)
            rc = store_tenant_link(a->store, "wsp-regio", towns[t].code, err);
    }
    if (rc == 0)
        rc = store_commit(a->store, err);
    else
        store_rollback(a->store);
    if (rc == 0 && ng > 1)
        rc = app_policy_set(a, towns[1].code, date_from_ymd(2015, 1, 1), "herbeoordeling-maanden",
                            "6", err);
    if (rc == 0 && ng > 2)
        rc = app_policy_set(a, towns[2].code, date_from_ymd(2020, 1, 1), "servicenorm-werkdagen",
                            "15", err);
    if (rc)
        return rc;

    struct run u = {.a = a, .r = {o->seed ? o->seed : 1}, .st = st, .until = o->until};
    lks_date first_day = date_from_ymd(2016, 1, 4);
    lks_date last_day = o->until - 120;
    for (int i = 0; i < o->zaken; i++) {
        int t = i % ng;
        u.km = (struct app_actor){towns[t].code, "km.demo", ROLE_KLANTMANAGER, NULL};
        u.lwd = (struct app_actor){towns[t].code, "lwd.demo", ROLE_LOONWAARDEDESKUNDIGE, NULL};
        u.besl = (struct app_actor){towns[t].code, "beslisser.demo", ROLE_BESLISSER, NULL};
        u.fin = (struct app_actor){towns[t].code, "financien.demo", ROLE_FINANCIEEL, NULL};
        lks_date applied = first_day + (lks_date)(next(&u.r) % (uint64_t)(last_day - first_day));
        while (!cal_is_workday(applied))
            applied++;
        /* Whole cases only: a transaction holds up to DEMO_BATCH complete cases, so a
         * killed run loses at most the batch in progress and never leaves half a case. */
        if (i % DEMO_BATCH == 0 && (rc = store_begin(a->store, err)))
            return rc;
        int before = st->events;
        one_case(&u, t, pick(&u.r, 1 + o->zaken / (8 * ng)), applied);
        if (st->events > before)
            st->cases++;
        if (i % DEMO_BATCH == DEMO_BATCH - 1 || i == o->zaken - 1) {
            rc = store_commit(a->store, err);
            app_tx_end(a);
            if (rc) {
                store_rollback(a->store);
                return rc;
            }
        }
    }
    return 0;
}

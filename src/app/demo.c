/* demo — see demo.h. */
#include "app/demo.h"
#include "app/app_payrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/cal.h"
#include "base/money.h"
#include "store/store_rules.h"
#include "rules/toets.h"

static const struct {
    const char *code, *name, *city, *pc, *slug;
} towns[] = {
    {"gm0794", "Gemeente Helmond", "Helmond", "5701", "helmond"},
    {"gm1924", "Gemeente Goeree-Overflakkee", "Middelharnis", "3241", "goeree"},
    {"gm0202", "Gemeente Arnhem", "Arnhem", "6811", "arnhem"},
    {"gm0828", "Gemeente Oss", "Oss", "5341", "oss"},
    {"gm0355", "Gemeente Zeist", "Zeist", "3701", "zeist"},
    {"gm0200", "Gemeente Apeldoorn", "Apeldoorn", "7311", "apeldoorn"},
    {"gm0546", "Gemeente Leiden", "Leiden", "2311", "leiden"},
    {"gm0193", "Gemeente Zwolle", "Zwolle", "8011", "zwolle"},
};

/* The staff of each municipality in the demo: login name "<who>.<slug>". The first three
 * are klantmanagers who share the cases; the werkgever user acts for the municipality's
 * first employer. */
static const struct {
    const char *who, *display;
    enum role role;
} staff[] = {
    {"klantmanager", "Demo klantmanager", ROLE_KLANTMANAGER},
    {"e.visser", "Eva Visser", ROLE_KLANTMANAGER},
    {"m.elamrani", "Mohamed El Amrani", ROLE_KLANTMANAGER},
    {"loonwaardedeskundige", "Demo loonwaardedeskundige", ROLE_LOONWAARDEDESKUNDIGE},
    {"beslisser", "Demo beslisser", ROLE_BESLISSER},
    {"financieel", "Demo financieel medewerker", ROLE_FINANCIEEL},
    {"f.jansen", "Femke Jansen", ROLE_FINANCIEEL}, /* approves what "financieel" prepares */
    {"auditor", "Demo auditor", ROLE_AUDITOR},
    {"beheerder", "Demo beheerder", ROLE_BEHEERDER},
    {"werkgever", "Demo werkgever", ROLE_WERKGEVER},
};
#define STAFF_N  ((int)(sizeof staff / sizeof staff[0]))
#define STAFF_KM 3 /* the first three are the klantmanagers */

static const char *const first[] = {
    "Anna", "Bram",  "Chantal", "Daan", "Esra",    "Fleur",  "Gijs", "Hatice", "Iris", "Jeroen",
    "Kim",  "Lucas", "Mila",    "Noah", "Oumaima", "Pieter", "Romy", "Sem",    "Tess", "Youssef"};
static const char *const last[] = {"de Vries", "Jansen",      "van Dijk", "Bakker",    "Visser",
                                   "Smit",     "Meijer",      "de Boer",  "Mulder",    "Yilmaz",
                                   "Bos",      "Vos",         "Peters",   "Hendriks",  "El Amrani",
                                   "Dekker",   "van Leeuwen", "Kok",      "Verhoeven", "Jacobs"};
static const char *const streets[] = {"Kerkstraat",    "Dorpsstraat",  "Molenweg",
                                      "Stationsplein", "Schoolstraat", "Beukenlaan",
                                      "Industrieweg",  "Marktplein"};
static const char *const trades[] = {
    "Bakkerij",   "Installatiebedrijf", "Hoveniersbedrijf", "Zorgcentrum",
    "Supermarkt", "Drukkerij",          "Garage",           "Schoonmaakbedrijf",
    "Hotel",      "Distributiecentrum"};
static const char *const jobs[] = {"productiemedewerker", "medewerker groenvoorziening",
                                   "magazijnmedewerker",  "medewerker schoonmaak",
                                   "keukenhulp",          "medewerker inpak",
                                   "vakkenvuller",        "medewerker facilitaire dienst"};
static const char *const experts[] = {"J. Hermans (Dariuz)", "M. Kuipers (UWV)", "S. Öztürk (AKC)",
                                      "L. de Wit (Pantar)"};

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

/* The actors of one municipality: its klantmanagers, expert, decision maker, finance. */
struct crew {
    char names[STAFF_N][CASE_USER];
    struct app_actor km[STAFF_KM], lwd, besl, fin;
};

struct run {
    struct app *a;
    struct rng r;
    struct demo_stats *st;
    lks_date until;
    struct crew *crew;
    const struct app_actor *km; /* the case's klantmanager */
    bool users;                 /* the staff are users (a case can be handed over) */
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
    if (app_employer_event(u->a, &u->crew->fin, kvk, &ev, 1, NULL, &e) == 0) {
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
            fprintf(stderr, "zaak %lld: %s: %s: %s\n", (long long)u->id, ev_type_name(type),
                    e.field, e.msg);
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

/* Whether a grant of the case covers month m (the month of its start counts). */
static bool granted(const struct case_state *cs, lks_date m)
{
    for (int i = 0; i < cs->ndecisions; i++) {
        const struct decision *d = &cs->decision[i];
        if (d->kind != DEC_REFUSAL && month_start(d->from) <= m &&
            (d->to == LKS_NO_DATE || m <= d->to))
            return true;
    }
    return false;
}

/* Monthly payments of the running grant for the months from `from` before `upto` (each
 * paid early the next month, never after the demo's day), not after the contract's end,
 * and for a flat rate not past its six months without a measured wage value. Returns the
 * first month not paid. */
static lks_date pay(struct run *u, lks_date from, lks_date upto, lks_date stop)
{
    const struct case_state *cs = u->a->cs;
    lks_date m = month_start(from);
    for (; m < upto; m = date_add_months(m, 1)) {
        lks_date paid = date_add_months(m, 1) + 1 + pick(&u->r, 8);
        if (paid <= u->last) /* arrears are paid after the decision */
            paid = u->last + 1 + pick(&u->r, 3);
        if (paid > u->until || (stop != LKS_NO_DATE && m > stop))
            break;
        if (cs->forfait && cs->nmeasurements == 0 &&
            m >= date_add_months(month_start(cs->placement.start), 6))
            break;
        if (!granted(cs, m))
            continue; /* a month between two grants (a flat rate that ran out) */
        u->ev.d.betaling.month = m;
        if (step(u, &u->crew->fin, EV_BETALING_VERRICHT, paid))
            break;
    }
    return m;
}

/* The person and the employer of a new case's form. */
static void fill_form(struct run *u, int tenant, int employer_no, lks_date applied)
{
    struct rng *r = &u->r;
    struct ev_aanvraag *f = &u->ev.d.aanvraag;
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

    struct rng er = {0x9e3779b97f4a7c15ULL ^
                     ((uint64_t)(tenant + 1) << 32 ^ (uint64_t)employer_no)};
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
    if (pl->start > u->a->rules->until - 10) { /* a job after the tables cannot be computed */
        pl->start = u->a->rules->until - 10;
        if (pl->start <= applied && !late)
            pl->start = applied + 1;
    }
    pl->end = chance(r, 55) ? LKS_NO_DATE : date_add_months(pl->start, 6 + pick(r, 30));
    pl->hours = (int32_t)(1200 + 100 * pick(r, 25));
    if (pl->hours > w->fulltime_hours)
        pl->hours = w->fulltime_hours;
    pl->wage = 190000 + 1000 * pick(r, 120);
    snprintf(pl->job_title, sizeof pl->job_title, "%s", jobs[pick(r, 8)]);
    snprintf(pl->staff_number, sizeof pl->staff_number, "P%05d", pick(r, 99999));
    pl->kind = chance(r, 85) ? PL_REGULAR : (chance(r, 60) ? PL_SECONDMENT : PL_SW);
    f->late_allowed = late;
    snprintf(f->applicant, sizeof f->applicant, "%s", chance(r, 70) ? "werkgever" : "werknemer");
    if (u->users) /* the form names a klantmanager only where it is a user */
        snprintf(f->case_worker, sizeof f->case_worker, "%s", u->km->user);
}

/* The application up to its decision; false when the story ends before a grant (then
 * nothing more happens), true with *basis the day the decision could be taken. */
static bool to_decision(struct run *u, lks_date applied, bool *forfait, lks_date *basis)
{
    struct rng *r = &u->r;
    struct ev_aanvraag *f = &u->ev.d.aanvraag;
    struct employer *w = &f->employer;
    struct placement *pl = &f->placement;
    bool incomplete = chance(r, 12);
    char saved_iban[35];
    int64_t saved_wage = pl->wage;
    memcpy(saved_iban, w->iban, sizeof saved_iban);
    struct ev_aanvraag full = *f;
    if (incomplete) {
        w->iban[0] = '\0';
        pl->wage = 0;
    }
    if (step(u, u->km, EV_AANVRAAG_INGEDIEND, applied))
        return false;
    lks_date d = applied;
    confirm_iban(u, cal_add_workdays(applied, 1));
    if (incomplete) {
        u->ev.d.info.nmissing = 2;
        snprintf(u->ev.d.info.missing[0], 48, "IBAN werkgever");
        snprintf(u->ev.d.info.missing[1], 48, "brutoloon");
        d = workdays_after(d, r, 1, 4);
        if (step(u, u->km, EV_INFORMATIE_GEVRAAGD, d))
            return false;
        if (chance(r, 10)) {
            snprintf(u->ev.d.einde.reason, CASE_TEXT, "werkgever heeft de vacature ingetrokken");
            step(u, u->km, EV_AANVRAAG_INGETROKKEN, d + 20 + pick(r, 20));
            return false;
        }
        u->ev.d.aanvraag = full;
        memcpy(u->ev.d.aanvraag.employer.iban, saved_iban, sizeof saved_iban);
        u->ev.d.aanvraag.placement.wage = saved_wage;
        d += 3 + pick(r, 20);
        if (step(u, u->km, EV_INFORMATIE_AANGEVULD, d))
            return false;
        confirm_iban(u, cal_add_workdays(d, 1));
    }
    d = workdays_after(d, r, 0, 4);
    if (step(u, u->km, EV_AANVRAAG_COMPLEET, d))
        return false;

    /* access test */
    int roll = pick(r, 100);
    int outcome = roll < 86   ? TOETS_IN_TARGET_GROUP
                  : roll < 95 ? TOETS_UPPER_BOUND
                              : TOETS_LOWER_BOUND;
    answers(u, outcome);
    u->ev.d.toets.voluntary = chance(r, 40);
    u->ev.d.toets.cost = chance(r, 30) ? 17500 : 0;
    d = workdays_after(d, r, 1, 8);
    if (step(u, u->km, EV_TOEGANGSTOETS_UITGEVOERD, d))
        return false;
    if (outcome != TOETS_IN_TARGET_GROUP) {
        u->ev.d.beschikking.kind = DEC_REFUSAL;
        snprintf(u->ev.d.beschikking.reason, CASE_NOTE,
                 "De werknemer behoort volgens de toegangstoets niet tot de doelgroep.");
        d = workdays_after(d, r, 2, 14);
        if (step(u, &u->crew->besl, EV_BESCHIKKING_VERZONDEN, d))
            return false;
        if (chance(r, 25)) {
            snprintf(u->ev.d.bezwaar.subject, CASE_TEXT, "uitkomst toegangstoets");
            lks_date b = d + 10 + pick(r, 30);
            if (step(u, u->km, EV_BEZWAAR_INGEDIEND, b) == 0) {
                snprintf(u->ev.d.bezwaar_beslist.outcome, 24, "%s",
                         chance(r, 70) ? "ongegrond" : "gegrond");
                u->ev.d.bezwaar_beslist.index = -1;
                step(u, &u->crew->besl, EV_BEZWAAR_BESLIST, b + 60 + pick(r, 60));
            }
        }
        return false;
    }
    /* provisions around the start */
    if (chance(r, 10)) {
        struct provision *v = &u->ev.d.voorziening;
        v->kind = PROV_PROEFPLAATSING;
        v->start = d + 1;
        v->end = date_add_months(v->start, 2) - 1;
        v->ended = LKS_NO_DATE;
        if (step(u, u->km, EV_VOORZIENING_TOEGEKEND, d + 1))
            return false;
    }

    /* a flat rate only where the rules have one (from 2016-07-04) */
    struct lks_err fe;
    const struct rules_lks *lr = rules_lks_at(u->a->rules, u->a->cs->placement.start, &fe);
    *forfait = chance(r, 18) && lr && lr->forfait_pct > 0;
    if (*forfait) {
        d = workdays_after(d, r, 1, 5);
        *basis = d;
        return step(u, u->km, EV_FORFAIT_AFGESPROKEN, d) == 0;
    }
    struct measurement *m = &u->ev.d.meting;
    m->method = chance(r, 60) ? MM_UNIFORM : (enum measure_method)pick(r, 5);
    snprintf(m->expert, sizeof m->expert, "%s", experts[pick(r, 4)]);
    m->cost = chance(r, 50) ? 20000 : 51000;
    d = workdays_after(d, r, 0, 3);
    if (step(u, u->km, EV_LOONWAARDEMETING_AANGEVRAAGD, d))
        return false;
    int32_t lw = chance(r, 6) ? 1500 + 100 * pick(r, 14) : 3000 + 100 * pick(r, 66);
    u->ev.d.vastgesteld.loonwaarde = lw;
    u->ev.d.vastgesteld.measured = d + 2 + pick(r, 5);
    snprintf(u->ev.d.vastgesteld.reference_job, CASE_TEXT, "%s", u->a->cs->placement.job_title);
    snprintf(u->ev.d.vastgesteld.report_doc, CASE_TEXT, "rapport-%05d.pdf", pick(r, 99999));
    u->ev.d.vastgesteld.next = LKS_NO_DATE;
    d = u->ev.d.vastgesteld.measured + pick(r, 12);
    *basis = d;
    if (step(u, &u->crew->lwd, EV_LOONWAARDE_VASTGESTELD, d))
        return false;
    if (lw < 3000) {
        u->ev.d.beschikking.kind = DEC_REFUSAL;
        snprintf(u->ev.d.beschikking.reason, CASE_NOTE,
                 "De loonwaarde ligt onder de ondergrens van de gemeente.");
        step(u, &u->crew->besl, EV_BESCHIKKING_VERZONDEN, workdays_after(d, r, 3, 15));
        return false;
    }
    return true;
}

/* One re-measurement started on `hd`: a new wage value and a revision, or the same. False
 * when the story stops within it (the demo's day came first, or a refusal). */
static bool remeasure(struct run *u, lks_date hd)
{
    struct rng *r = &u->r;
    struct case_state *cs = u->a->cs;
    struct measurement *m = &u->ev.d.meting;
    m->method = MM_UNIFORM;
    snprintf(m->expert, sizeof m->expert, "%s", experts[pick(r, 4)]);
    m->cost = 20000;
    if (step(u, u->km, EV_HERBEOORDELING_GESTART, hd))
        return false;
    const struct decision *g = &cs->decision[cs->ndecisions - 1];
    bool same = !cs->forfait && chance(r, 40);
    int32_t lw = same ? g->loonwaarde : 3000 + 100 * pick(r, 66);
    u->ev.d.vastgesteld.loonwaarde = lw;
    u->ev.d.vastgesteld.measured = hd + 3 + pick(r, 5);
    u->ev.d.vastgesteld.next = LKS_NO_DATE;
    snprintf(u->ev.d.vastgesteld.reference_job, CASE_TEXT, "%s", cs->placement.job_title);
    snprintf(u->ev.d.vastgesteld.report_doc, CASE_TEXT, "rapport-%05d.pdf", pick(r, 99999));
    lks_date rep = u->ev.d.vastgesteld.measured + pick(r, 10);
    if (step(u, &u->crew->lwd, same ? EV_LOONWAARDE_ONGEWIJZIGD : EV_LOONWAARDE_VASTGESTELD, rep))
        return false;
    if (same)
        return true;
    u->ev.d.beschikking.kind = DEC_REVISION;
    u->ev.d.beschikking.from = u->ev.d.beschikking.to = LKS_NO_DATE;
    return step(u, &u->crew->besl, EV_BESCHIKKING_VERZONDEN, workdays_after(rep, r, 2, 12)) == 0;
}

/* The day the running grant must be measured again: the last measurement's next date, or
 * for a flat rate within its six months; LKS_NO_DATE when none. */
static lks_date remeasure_due(const struct case_state *cs)
{
    for (int i = cs->nmeasurements - 1; i >= 0; i--)
        if (cs->measurement[i].loonwaarde >= 0 && cs->measurement[i].next != LKS_NO_DATE)
            return cs->measurement[i].next;
    if (cs->forfait && cs->nmeasurements == 0 && cs->placement.start != LKS_NO_DATE)
        return date_add_months(cs->placement.start, 5);
    return LKS_NO_DATE;
}

static void one_case(struct run *u, int tenant, int employer_no, lks_date applied)
{
    struct rng *r = &u->r;
    memset(&u->ev, 0, sizeof u->ev);
    u->id = 0;
    u->failed = 0;
    fill_form(u, tenant, employer_no, applied);
    bool forfait = false;
    lks_date basis = LKS_NO_DATE;
    if (!to_decision(u, applied, &forfait, &basis))
        goto assign;
    u->ev.d.beschikking.kind = DEC_GRANT;
    u->ev.d.beschikking.from = u->ev.d.beschikking.to = LKS_NO_DATE;
    lks_date sent = workdays_after(basis, r, 2, chance(r, 75) ? 10 : 22);
    if (step(u, &u->crew->besl, EV_BESCHIKKING_VERZONDEN, sent))
        goto assign;
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
        step(u, u->km, EV_VOORZIENING_TOEGEKEND, sent);
    }
    if (!u->failed && chance(r, 15) && !cs->employer.own_sickness_insurance) {
        struct provision *v = &u->ev.d.voorziening;
        v->kind = PROV_NORISK;
        v->start = sent;
        v->end = date_add_months(cs->placement.start, 24) - 1;
        v->ended = LKS_NO_DATE;
        step(u, u->km, EV_VOORZIENING_TOEGEKEND, sent);
    }
    if (!u->failed && chance(r, 8)) {
        snprintf(u->ev.d.bezwaar.subject, CASE_TEXT, "hoogte van de loonwaarde");
        u->ev.d.bezwaar.committee = chance(r, 30);
        if (step(u, u->km, EV_BEZWAAR_INGEDIEND, sent + 7 + pick(r, 30)) == 0) {
            snprintf(u->ev.d.bezwaar_beslist.outcome, 24, "%s",
                     chance(r, 80) ? "ongegrond" : "gegrond");
            u->ev.d.bezwaar_beslist.index = -1;
            step(u, &u->crew->besl, EV_BEZWAAR_BESLIST, sent + 50 + pick(r, 90));
        }
    }
    u->failed = 0; /* an objection decided after the demo's day simply waits */

    /* Paid month by month up to now, measured again when due: most re-measurements start
     * before their date; one that fell due in the last weeks is sometimes not started yet
     * (the work list shows it overdue), and one due in the coming months waits. */
    lks_date next_month = start;
    for (int rounds = 0; rounds < 12 && !u->failed; rounds++) {
        lks_date due = remeasure_due(cs);
        if (due == LKS_NO_DATE || (stop != LKS_NO_DATE && due > stop - 60))
            break;
        next_month = pay(u, next_month, month_start(due), stop);
        if (u->failed || due > u->until || (u->until - due < 45 && chance(r, 65)))
            break;
        lks_date hd = due - pick(r, 25);
        if (hd <= u->last)
            hd = u->last + 1 + pick(r, 3);
        if (cs->status != ST_LOPEND || hd > u->until || !remeasure(u, hd))
            break;
    }
    u->failed = 0;
    if (cs->status == ST_LOPEND || cs->status == ST_HERBEOORDELING ||
        cs->status == ST_BESLUITVORMING)
        next_month = pay(u, next_month, month_start(u->until), stop);
    /* the end of the contract, or another job */
    if (stop != LKS_NO_DATE && stop <= u->until && !u->failed) {
        snprintf(u->ev.d.einde.reason, CASE_TEXT, "einde contract");
        step(u, u->km, EV_DIENSTVERBAND_BEEINDIGD, stop > u->last ? stop : u->last + 1);
    } else if (!u->failed && chance(r, 5)) {
        lks_date end = next_month + pick(r, 20);
        if (end > u->last && end <= u->until && end > cs->placement.start) {
            snprintf(u->ev.d.einde.reason, CASE_TEXT, "werknemer heeft ander werk gevonden");
            step(u, u->km, EV_DIENSTVERBAND_BEEINDIGD, end);
        }
    }
assign:
    /* now and then a case goes to a colleague (holiday, a new distribution) */
    u->failed = 0;
    if (u->id && u->users && chance(r, 6)) {
        const struct app_actor *to = &u->crew->km[pick(r, STAFF_KM)];
        if (to != u->km) {
            lks_date when = u->last + 1 + pick(r, 30);
            if (when > u->until)
                when = u->until;
            if (when >= u->last) {
                snprintf(u->ev.d.toewijzing.case_worker, CASE_USER, "%s", to->user);
                snprintf(u->ev.d.toewijzing.reason, CASE_TEXT, "%s",
                         chance(r, 50) ? "herverdeling werkvoorraad" : "afwezigheid collega");
                step(u, u->km, EV_ZAAK_TOEGEWEZEN, when);
            }
        }
    }
}

/* The first employer of municipality t (its employer number 0), as the forms name it. */
static void first_employer_kvk(int t, char kvk[9])
{
    struct rng er = {0x9e3779b97f4a7c15ULL ^ ((uint64_t)(t + 1) << 32)};
    make_kvk(&er, kvk);
}

/* The demo's staff by name, and as users with one password when one is given: the
 * staff of each municipality and the installation's operator. */
static int demo_users(struct app *a, int ng, const char *password, struct crew *crews,
                      struct demo_stats *st, struct lks_err *err)
{
    int rc = 0;
    struct auth_user u[8 * STAFF_N + 1];
    int n = 0;
    for (int t = 0; t < ng; t++)
        for (int i = 0; i < STAFF_N; i++, n++) {
            memset(&u[n], 0, sizeof u[n]);
            snprintf(u[n].name, sizeof u[n].name, "%s.%s", staff[i].who, towns[t].slug);
            snprintf(crews[t].names[i], CASE_USER, "%s", u[n].name);
            snprintf(u[n].display, sizeof u[n].display, "%s %s", staff[i].display, towns[t].city);
            snprintf(u[n].tenant, sizeof u[n].tenant, "%s", towns[t].code);
            u[n].role = staff[i].role;
            u[n].active = true;
            if (staff[i].role == ROLE_WERKGEVER)
                first_employer_kvk(t, u[n].kvk);
        }
    memset(&u[n], 0, sizeof u[n]);
    snprintf(u[n].name, sizeof u[n].name, "applicatiebeheerder");
    snprintf(u[n].display, sizeof u[n].display, "Demo applicatiebeheerder");
    snprintf(u[n].tenant, sizeof u[n].tenant, "%s", AUTH_TENANT_INSTALLATION);
    u[n].role = ROLE_APPLICATIEBEHEERDER;
    u[n].active = true;
    n++;
    if (password)
        rc = auth_users_add(a->store, u, n, password, &st->users, err);
    for (int t = 0; t < ng; t++) {
        struct crew *c = &crews[t];
        for (int k = 0; k < STAFF_KM; k++)
            c->km[k] = (struct app_actor){towns[t].code, c->names[k], ROLE_KLANTMANAGER, NULL};
        c->lwd = (struct app_actor){towns[t].code, c->names[3], ROLE_LOONWAARDEDESKUNDIGE, NULL};
        c->besl = (struct app_actor){towns[t].code, c->names[4], ROLE_BESLISSER, NULL};
        c->fin = (struct app_actor){towns[t].code, c->names[5], ROLE_FINANCIEEL, NULL};
    }
    return rc;
}

/*
 * When the rule tables end before the half-year after the demo's day, the demo's
 * applicatiebeheerder carries the last minimum wage forward, half-year by half-year, each row
 * saying in its source that it is no published figure: a demo must look like today. An installation
 * adds the published figures instead (lks regels toevoegen). *own gets the tables with those rows
 * (the caller frees it), or stays NULL when none was needed.
 */
static int demo_rules(struct app *a, lks_date today, struct rules **own, struct lks_err *err)
{
    *own = NULL;
    const struct rules *base = a->rules;
    /* today and the half-year after it, so that a decision of today for next month can be
     * computed */
    lks_date need = date_add_months(today, 6);
    for (int guard = 0; guard < 8 && (*own ? *own : base)->until < need; guard++) {
        const struct rules *cur = *own ? *own : base;
        const struct rules_wml *w = &cur->wml[cur->n_wml - 1];
        char month[MONEY_FMT_MAX], hour[MONEY_FMT_MAX], age[16], src[160], b[DATE_FMT_MAX];
        money_fmt(month, w->month);
        money_fmt(hour, w->hour);
        snprintf(age, sizeof age, "%d", w->full_age);
        snprintf(src, sizeof src,
                 "Demo: het minimumloon van %s doorgetrokken; geen gepubliceerde waarde",
                 date_fmt(b, w->from));
        struct rules_cell cells[3] = {
            {"month", month}, {"hour", w->hour ? hour : ""}, {"full_age", age}};
        struct rules_row_in row = {"wml", cur->until + 1,        cells, 3,
                                   src,   "applicatiebeheerder", 0,     0};
        struct rules *next_rules = malloc(sizeof *next_rules);
        if (!next_rules)
            return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
        int rc = store_rules_add(a->store, base, &row, next_rules, err);
        if (rc) {
            free(next_rules);
            return rc;
        }
        free(*own);
        *own = next_rules;
    }
    return 0;
}

/* What each demo municipality puts on its letters (made up, like everything here). */
static int demo_letter_settings(struct app *a, int ng, struct lks_err *err)
{
    int rc = 0;
    for (int t = 0; t < ng && rc == 0; t++) {
        struct letter_settings ls;
        memset(&ls, 0, sizeof ls);
        snprintf(ls.tenant, sizeof ls.tenant, "%s", towns[t].code);
        snprintf(ls.name, sizeof ls.name, "%s", towns[t].name);
        snprintf(ls.address, sizeof ls.address, "Postbus %d", 100 + 37 * t);
        snprintf(ls.postcode, sizeof ls.postcode, "%s AA", towns[t].pc);
        snprintf(ls.city, sizeof ls.city, "%s", towns[t].city);
        snprintf(ls.signer, sizeof ls.signer, "Demo beslisser");
        snprintf(ls.signer_function, sizeof ls.signer_function,
                 "namens het college, teamleider Werk en Inkomen");
        snprintf(ls.objection_to, sizeof ls.objection_to,
                 "het college van burgemeester en wethouders van %s", towns[t].city);
        snprintf(ls.objection_address, sizeof ls.objection_address, "Postbus %d, %s AA %s",
                 100 + 37 * t, towns[t].pc, towns[t].city);
        snprintf(ls.contact, sizeof ls.contact, "telefoon 14 0%d, werkgevers@%s.example.nl",
                 400 + t, towns[t].slug);
        rc = app_letter_settings_set(a, NULL, &ls, err);
        /* the municipality's own account for its transfers (a made-up, valid NL IBAN) */
        struct pay_settings ps;
        memset(&ps, 0, sizeof ps);
        snprintf(ps.tenant, sizeof ps.tenant, "%s", towns[t].code);
        snprintf(ps.name, sizeof ps.name, "%s", towns[t].name);
        static const char *const ibans[] = {"NL74BNGH0285170001", "NL27BNGH0285140001",
                                            "NL26BNGH0285160001"};
        snprintf(ps.iban, sizeof ps.iban, "%s", ibans[t % 3]);
        snprintf(ps.bic, sizeof ps.bic, "BNGHNL2G");
        snprintf(ps.street, sizeof ps.street, "Postbus %d", 100 + 37 * t);
        snprintf(ps.postcode, sizeof ps.postcode, "%s AA", towns[t].pc);
        snprintf(ps.town, sizeof ps.town, "%s", towns[t].city);
        if (rc == 0)
            rc = app_pay_settings_set(a, NULL, &ps, err);
    }
    return rc;
}

int demo_run(struct app *a, const struct demo_opts *o, struct demo_stats *st, struct lks_err *err)
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
    struct crew *crews = calloc((size_t)ng, sizeof *crews);
    if (!crews)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    if (rc == 0)
        rc = demo_users(a, ng, o->password, crews, st, err);
    if (rc == 0)
        rc = demo_letter_settings(a, ng, err);
    const struct rules *given = a->rules;
    struct rules *own = NULL;
    if (rc == 0 && o->carry_rules)
        rc = demo_rules(a, o->until, &own, err);
    if (own)
        a->rules = own;
    if (rc == 0 && ng > 1)
        rc = app_policy_set(a, towns[1].code, date_from_ymd(2015, 1, 1), "herbeoordeling-maanden",
                            "6", err);
    if (rc == 0 && ng > 2)
        rc = app_policy_set(a, towns[2].code, date_from_ymd(2020, 1, 1), "servicenorm-werkdagen",
                            "15", err);
    if (rc) {
        a->rules = given;
        free(own);
        free(crews);
        return rc;
    }

    /* Applications of the last four years, more of them recently: the older ones are
     * running grants paid up to last month or ended, the newest are in every step. */
    /* a decision of the last day gives a grant from the next month: within the tables */
    lks_date until = o->until < a->rules->until - 31 ? o->until : a->rules->until - 31;
    struct run u = {.a = a,
                    .r = {o->seed ? o->seed : 1},
                    .st = st,
                    .until = until,
                    .users = o->password != NULL};
    /* thousands of decisions at once: their letters are made when first fetched */
    bool lazy = a->letters_lazy;
    a->letters_lazy = true;
    for (int i = 0; i < o->zaken; i++) {
        int t = i % ng;
        u.crew = &crews[t];
        int k = pick(&u.r, 10);
        u.km = &u.crew->km[k < 6 ? 0 : k < 8 ? 1 : 2];
        double x = (double)(next(&u.r) >> 11) / 9007199254740992.0; /* [0, 1) */
        lks_date applied = until - 3 - (lks_date)(1460.0 * x * x);
        while (!cal_is_workday(applied))
            applied--;
        /* Whole cases only: a transaction holds up to DEMO_BATCH complete cases, so a
         * killed run loses at most the batch in progress and never leaves half a case. */
        if (i % DEMO_BATCH == 0 && (rc = store_begin(a->store, err)))
            break;
        int before = st->events;
        one_case(&u, t, pick(&u.r, 1 + o->zaken / (8 * ng)), applied);
        if (st->events > before)
            st->cases++;
        if (i % DEMO_BATCH == DEMO_BATCH - 1 || i == o->zaken - 1) {
            rc = store_commit(a->store, err);
            app_tx_end(a);
            if (rc) {
                store_rollback(a->store);
                break;
            }
        }
    }
    a->letters_lazy = lazy;
    a->rules = given;
    free(own);
    free(crews);
    return rc;
}

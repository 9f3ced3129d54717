/* case_json — see case_json.h. Field tables first, then the generic walkers. */
#include "codec/case_json.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "base/ids.h"
#include "base/money.h"
#include "codec/rules_json.h"

enum fd_type {
    FD_STR,   /* char array of `size` */
    FD_DATE,  /* lks_date, null = LKS_NO_DATE */
    FD_MONEY, /* int64_t cents */
    FD_HUND,  /* int32_t hundredths (percent, hours) */
    FD_LW,    /* int32_t hundredths, -1 = null (not measured / forfait) */
    FD_INT,   /* int32_t */
    FD_IDX,   /* int (index into a list) */
    FD_I64,   /* int64_t */
    FD_BOOL,  /* bool */
    FD_ENUM,  /* enum (int) with names */
    FD_OBJ,   /* nested struct, `sub` = struct fdset */
};

#define F_REQ  1 /* required in a command */
#define F_CALC 2 /* computed by the system: refused in a command */
#define F_IBAN 4 /* FD_STR: an IBAN, kept in its canonical form (ids_iban_normalize) */
#define F_PC   8 /* FD_STR: a postcode, kept as "1234 AB" (ids_postcode_normalize) */
#define F_BSN                                                                                      \
    16 /* FD_STR: a BSN, always read in its normal form of 9 digits, also from a                   \
        * stored event (an 8-digit one gets its leading zero) */

struct fd {
    const char *name;
    enum fd_type type;
    size_t off, size;
    const void *sub;
    int flags;
};

struct fdset {
    const struct fd *f;
    int n;
};

#define SET(arr)                                                                                   \
    {                                                                                              \
        arr, (int)(sizeof arr / sizeof arr[0])                                                     \
    }
#define FLD(T, m, name, type, flags)                                                               \
    {                                                                                              \
        name, type, offsetof(T, m), sizeof(((T *)0)->m), NULL, flags                               \
    }
#define ENM(T, m, name, names, flags)                                                              \
    {                                                                                              \
        name, FD_ENUM, offsetof(T, m), sizeof(((T *)0)->m), names, flags                           \
    }
#define OBJ(T, m, name, set, flags)                                                                \
    {                                                                                              \
        name, FD_OBJ, offsetof(T, m), sizeof(((T *)0)->m), &set, flags                             \
    }

static const char *const sex_names[] = {"onbekend", "m", "v", NULL};
static const char *const household_names[] = {"alleenstaand", "alleenstaande-ouder", "gehuwd",
                                              NULL};
static const char *const benefit_names[] = {"geen",   "participatiewet", "ww",
                                            "wajong", "anders",          NULL};
static const char *const placement_names[] = {"regulier", "detachering", "sw-bedrijf", NULL};
static const char *const method_names[] = {"uniform", "dariuz", "uwv", "pantar",
                                           "akc",     "anders", NULL};
static const char *const decision_names[] = {"toekenning", "afwijzing", "herziening", NULL};
static const char *const provision_names[] = {"proefplaatsing", "no-risk-polis", "jobcoaching",
                                              "werkplekaanpassing", NULL};
static const char *const cost_names[] = {"toegangstoets", "loonwaardemeting", "toeleiding",
                                         "jobcoaching",   "overig",           NULL};

static const struct fd person_f[] = {
    FLD(struct person, bsn, "bsn", FD_STR, F_REQ | F_BSN),
    FLD(struct person, name, "naam", FD_STR, F_REQ),
    FLD(struct person, birth, "geboortedatum", FD_DATE, 0),
    ENM(struct person, sex, "geslacht", sex_names, 0),
    FLD(struct person, address, "adres", FD_STR, 0),
    FLD(struct person, postcode, "postcode", FD_STR, F_PC),
    FLD(struct person, city, "woonplaats", FD_STR, 0),
    ENM(struct person, household, "huishouden", household_names, 0),
    ENM(struct person, benefit, "uitkering", benefit_names, 0),
    FLD(struct person, benefit_start, "uitkeringSinds", FD_DATE, 0),
    FLD(struct person, wsw_indication, "wswIndicatie", FD_BOOL, 0),
    FLD(struct person, version, "versie", FD_I64, F_CALC),
};
/* As the employer's: [0, 11) the record, [1, 11) what a change may name. */
static const struct fdset person_s = SET(person_f);
static const struct fdset person_rec_s = {person_f, 11};
static const struct fdset person_chg_s = {person_f + 1, 10};

/* The employer's fields, in an order that lets its own record's commands use slices of
 * the same table: [0, 8) everything but the account, [0, 9) with it, [1, 8) what a
 * change may name, then what only the system writes. */
static const struct fd employer_f[] = {
    FLD(struct employer, kvk, "kvk", FD_STR, F_REQ),
    /* a form refers to a known employer by KvK alone; a new one needs its name, which the
     * process checks (employer_check_fields) */
    FLD(struct employer, name, "naam", FD_STR, 0),
    FLD(struct employer, address, "adres", FD_STR, 0),
    FLD(struct employer, postcode, "postcode", FD_STR, F_PC),
    FLD(struct employer, city, "plaats", FD_STR, 0),
    FLD(struct employer, employees, "aantalWerknemers", FD_INT, 0),
    FLD(struct employer, fulltime_hours, "voltijduren", FD_HUND, 0),
    FLD(struct employer, own_sickness_insurance, "eigenVerzuimverzekering", FD_BOOL, 0),
    FLD(struct employer, iban, "iban", FD_STR, F_IBAN),
    FLD(struct employer, iban_proposed, "ibanVoorgesteld", FD_STR, F_CALC),
    FLD(struct employer, iban_proposed_by, "ibanVoorgesteldDoor", FD_STR, F_CALC),
    FLD(struct employer, iban_proposed_on, "ibanVoorgesteldOp", FD_DATE, F_CALC),
    FLD(struct employer, version, "versie", FD_I64, F_CALC),
};
static const struct fdset employer_s = SET(employer_f);
static const struct fdset employer_reg_s = {employer_f, 8};     /* registration (stored) */
static const struct fdset employer_taken_s = {employer_f, 9};   /* with the account */
static const struct fdset employer_chg_s = {employer_f + 1, 7}; /* a change (CODEC_CHANGE) */
static const struct fd emp_iban_f[] = {
    FLD(struct employer_event, iban, "iban", FD_STR, F_REQ | F_IBAN),
};
static const struct fdset emp_iban_s = SET(emp_iban_f);
static const struct fd emp_confirm_f[] = {
    FLD(struct employer_event, iban, "iban", FD_STR, F_CALC),
};
static const struct fdset emp_confirm_s = SET(emp_confirm_f);
static const struct fd emp_reason_f[] = {
    FLD(struct employer_event, reason, "reden", FD_STR, F_REQ),
};
static const struct fdset emp_reason_s = SET(emp_reason_f);

static const struct fd placement_f[] = {
    FLD(struct placement, start, "start", FD_DATE, F_REQ),
    FLD(struct placement, end, "einde", FD_DATE, 0),
    FLD(struct placement, hours, "uren", FD_HUND, F_REQ),
    FLD(struct placement, wage, "loon", FD_MONEY, 0),
    FLD(struct placement, job_title, "functie", FD_STR, 0),
    FLD(struct placement, staff_number, "personeelsnummer", FD_STR, 0),
    ENM(struct placement, kind, "soort", placement_names, 0),
    FLD(struct placement, ended, "beeindigd", FD_DATE, F_CALC),
    FLD(struct placement, end_reason, "redenEinde", FD_STR, F_CALC),
};
static const struct fdset placement_s = SET(placement_f);

static const struct fd measurement_f[] = {
    ENM(struct measurement, method, "methode", method_names, 0),
    FLD(struct measurement, expert, "deskundige", FD_STR, F_REQ),
    FLD(struct measurement, cost, "kosten", FD_MONEY, 0),
    FLD(struct measurement, requested, "aangevraagd", FD_DATE, F_CALC),
    FLD(struct measurement, measured, "gemeten", FD_DATE, F_CALC),
    FLD(struct measurement, reported, "gerapporteerd", FD_DATE, F_CALC),
    FLD(struct measurement, loonwaarde, "loonwaarde", FD_LW, F_CALC),
    FLD(struct measurement, reference_job, "normfunctie", FD_STR, F_CALC),
    FLD(struct measurement, report_doc, "rapport", FD_STR, F_CALC),
    FLD(struct measurement, next, "volgendeMeting", FD_DATE, F_CALC),
};
static const struct fdset measurement_s = SET(measurement_f);

static const struct fd decision_f[] = {
    ENM(struct decision, kind, "soort", decision_names, F_REQ),
    FLD(struct decision, from, "vanaf", FD_DATE, 0),
    FLD(struct decision, to, "tot", FD_DATE, 0),
    FLD(struct decision, reason, "motivering", FD_STR, 0),
    FLD(struct decision, sent, "verzonden", FD_DATE, F_CALC),
    FLD(struct decision, peildatum, "peildatum", FD_DATE, F_CALC),
    FLD(struct decision, loonwaarde, "loonwaarde", FD_LW, F_CALC),
    FLD(struct decision, subsidy, "loonkostensubsidie", FD_MONEY, F_CALC),
    FLD(struct decision, allowance, "werkgeverslasten", FD_MONEY, F_CALC),
    FLD(struct decision, amount, "bedragPerMaand", FD_MONEY, F_CALC),
    FLD(struct decision, objection_due, "uiterlijkeReactiedatum", FD_DATE, F_CALC),
};
static const struct fdset decision_s = SET(decision_f);

static const struct fd payment_f[] = {
    FLD(struct payment, month, "maand", FD_DATE, F_REQ),
    FLD(struct payment, amount, "bedrag", FD_MONEY, F_CALC),
    FLD(struct payment, paid, "betaald", FD_DATE, F_CALC),
    FLD(struct payment, iban, "iban", FD_STR, F_CALC),
};
static const struct fdset payment_s = SET(payment_f);

static const struct fd provision_f[] = {
    ENM(struct provision, kind, "soort", provision_names, F_REQ),
    FLD(struct provision, start, "start", FD_DATE, F_REQ),
    FLD(struct provision, end, "einde", FD_DATE, 0),
    FLD(struct provision, hours, "urenPerJaar", FD_HUND, 0),
    FLD(struct provision, cost, "kosten", FD_MONEY, 0),
    FLD(struct provision, motivation, "motivering", FD_STR, 0),
    FLD(struct provision, ended, "beeindigd", FD_DATE, F_CALC),
    FLD(struct provision, end_reason, "redenEinde", FD_STR, F_CALC),
};
static const struct fdset provision_s = SET(provision_f);

static const struct fd objection_f[] = {
    FLD(struct objection, subject, "onderwerp", FD_STR, F_REQ),
    FLD(struct objection, committee, "adviescommissie", FD_BOOL, 0),
    FLD(struct objection, deferred, "verdaagd", FD_BOOL, 0),
    FLD(struct objection, received, "ontvangen", FD_DATE, F_CALC),
    FLD(struct objection, due, "beslissenUiterlijk", FD_DATE, F_CALC),
    FLD(struct objection, decided, "beslist", FD_DATE, F_CALC),
    FLD(struct objection, outcome, "uitkomst", FD_STR, F_CALC),
};
static const struct fdset objection_s = SET(objection_f);

static const struct fd cost_f[] = {
    ENM(struct cost, kind, "soort", cost_names, F_REQ),
    FLD(struct cost, amount, "bedrag", FD_MONEY, F_REQ),
    FLD(struct cost, date, "datum", FD_DATE, 0),
    FLD(struct cost, what, "omschrijving", FD_STR, 0),
};
static const struct fdset cost_s = SET(cost_f);

static const struct fd aanvraag_f[] = {
    OBJ(struct ev_aanvraag, person, "werknemer", person_s, F_REQ),
    OBJ(struct ev_aanvraag, employer, "werkgever", employer_s, F_REQ),
    OBJ(struct ev_aanvraag, placement, "dienstverband", placement_s, F_REQ),
    FLD(struct ev_aanvraag, applicant, "aanvrager", FD_STR, F_REQ),
    FLD(struct ev_aanvraag, late_allowed, "naStartToegestaan", FD_BOOL, 0),
    FLD(struct ev_aanvraag, case_worker, "klantmanager", FD_STR, 0),
};
static const struct fdset aanvraag_s = SET(aanvraag_f);

static const struct fd vastgesteld_f[] = {
    FLD(struct ev_vastgesteld, loonwaarde, "loonwaarde", FD_HUND, F_REQ),
    FLD(struct ev_vastgesteld, measured, "gemeten", FD_DATE, 0),
    FLD(struct ev_vastgesteld, reference_job, "normfunctie", FD_STR, 0),
    FLD(struct ev_vastgesteld, report_doc, "rapport", FD_STR, 0),
    FLD(struct ev_vastgesteld, next, "volgendeMeting", FD_DATE, 0),
};
static const struct fdset vastgesteld_s = SET(vastgesteld_f);
/* One main task of the report (event.h: struct wage_task), in "taken". */
static const struct fd task_f[] = {
    FLD(struct wage_task, name, "naam", FD_STR, F_REQ),
    FLD(struct wage_task, share, "tijdsaandeel", FD_HUND, F_REQ),
    FLD(struct wage_task, tempo, "tempo", FD_HUND, F_REQ),
    FLD(struct wage_task, quality, "kwaliteit", FD_HUND, F_REQ),
};
static const struct fdset task_s = SET(task_f);

static const struct fd einde_f[] = {
    FLD(struct ev_einde, reason, "reden", FD_STR, F_REQ),
    FLD(struct ev_einde, new_tenant, "nieuweGemeente", FD_STR, 0),
};
static const struct fdset einde_s = SET(einde_f);

static const struct fd beslist_f[] = {
    FLD(struct ev_bezwaar_beslist, outcome, "uitkomst", FD_STR, F_REQ),
    FLD(struct ev_bezwaar_beslist, index, "bezwaar", FD_IDX, 0),
};
static const struct fdset beslist_s = SET(beslist_f);

static const struct fd vz_einde_f[] = {
    FLD(struct ev_voorziening_einde, index, "voorziening", FD_IDX, F_REQ),
    FLD(struct ev_voorziening_einde, reason, "reden", FD_STR, F_REQ),
};
static const struct fdset vz_einde_s = SET(vz_einde_f);

static const struct fd toets_f[] = {
    FLD(struct ev_toets, explanation, "toelichting", FD_STR, 0),
    FLD(struct ev_toets, voluntary, "vrijwillig", FD_BOOL, 0),
    FLD(struct ev_toets, cost, "kosten", FD_MONEY, 0),
};
static const struct fdset toets_s = SET(toets_f);

static const struct fd toewijzing_f[] = {
    FLD(struct ev_toewijzing, case_worker, "klantmanager", FD_STR, F_REQ),
    FLD(struct ev_toewijzing, reason, "reden", FD_STR, F_REQ),
};
static const struct fdset toewijzing_s = SET(toewijzing_f);

static const struct fdset empty_s = {NULL, 0};

/* The data of each event type. */
static const struct fdset *event_set(enum ev_type t)
{
    switch (t) {
    case EV_AANVRAAG_INGEDIEND:
    case EV_INFORMATIE_AANGEVULD:
        return &aanvraag_s;
    case EV_LOONWAARDEMETING_AANGEVRAAGD:
    case EV_HERBEOORDELING_GESTART:
        return &measurement_s;
    case EV_LOONWAARDE_VASTGESTELD:
    case EV_LOONWAARDE_ONGEWIJZIGD:
        return &vastgesteld_s;
    case EV_BESCHIKKING_VERZONDEN:
        return &decision_s;
    case EV_DIENSTVERBAND_BEEINDIGD:
    case EV_VERHUISD:
    case EV_GEEN_DOELGROEP_MEER:
    case EV_AANVRAAG_INGETROKKEN:
        return &einde_s;
    case EV_BEZWAAR_INGEDIEND:
        return &objection_s;
    case EV_BEZWAAR_BESLIST:
        return &beslist_s;
    case EV_VOORZIENING_TOEGEKEND:
        return &provision_s;
    case EV_VOORZIENING_BEEINDIGD:
        return &vz_einde_s;
    case EV_BETALING_VERRICHT:
        return &payment_s;
    case EV_KOSTEN_GEBOEKT:
        return &cost_s;
    case EV_TOEGANGSTOETS_UITGEVOERD:
        return &toets_s;
    case EV_ZAAK_TOEGEWEZEN:
        return &toewijzing_s;
    default:
        return &empty_s;
    }
}

/* ---- writing ---- */

static void write_fields(struct jw *w, const struct fdset *set, const void *obj);

static void write_value(struct jw *w, const struct fd *f, const char *p)
{
    char b[MONEY_FMT_MAX];
    switch (f->type) {
    case FD_STR:
        jw_strn(w, p, strnlen(p, f->size));
        break;
    case FD_DATE: {
        lks_date d;
        memcpy(&d, p, sizeof d);
        if (d == LKS_NO_DATE)
            jw_null(w);
        else
            jw_date(w, d);
        break;
    }
    case FD_MONEY: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        jw_money(w, v);
        break;
    }
    case FD_HUND:
    case FD_LW: {
        int32_t v;
        memcpy(&v, p, sizeof v);
        if (f->type == FD_LW && v < 0)
            jw_null(w);
        else
            jw_str(w, money_fmt_short(b, v, 2, 0));
        break;
    }
    case FD_INT:
    case FD_IDX: {
        int32_t v;
        memcpy(&v, p, sizeof v);
        jw_int(w, v);
        break;
    }
    case FD_I64: {
        int64_t v;
        memcpy(&v, p, sizeof v);
        jw_int(w, v);
        break;
    }
    case FD_BOOL: {
        bool v;
        memcpy(&v, p, sizeof v);
        jw_bool(w, v);
        break;
    }
    case FD_ENUM: {
        int v;
        memcpy(&v, p, sizeof v);
        const char *const *names = f->sub;
        int n = 0;
        while (names[n])
            n++;
        jw_str(w, v >= 0 && v < n ? names[v] : "?");
        break;
    }
    case FD_OBJ:
        write_fields(w, f->sub, p);
        break;
    }
}

static void write_fields(struct jw *w, const struct fdset *set, const void *obj)
{
    jw_obj_open(w);
    for (int i = 0; i < set->n; i++) {
        jw_key(w, set->f[i].name);
        write_value(w, &set->f[i], (const char *)obj + set->f[i].off);
    }
    jw_obj_close(w);
}

void codec_event_data(struct jw *w, const struct case_event *ev)
{
    const struct fdset *set = event_set(ev->type);
    if (ev->type == EV_INFORMATIE_GEVRAAGD) {
        jw_obj_open(w);
        jw_key(w, "ontbreekt");
        jw_arr_open(w);
        for (int i = 0; i < ev->d.info.nmissing; i++)
            jw_str(w, ev->d.info.missing[i]);
        jw_arr_close(w);
        jw_obj_close(w);
        return;
    }
    if (ev->type == EV_LOONWAARDE_VASTGESTELD || ev->type == EV_LOONWAARDE_ONGEWIJZIGD) {
        /* the table's fields, then the report's tasks and net time only when given, so an
         * event without them is written as it always was */
        const struct ev_vastgesteld *v = &ev->d.vastgesteld;
        jw_obj_open(w);
        for (int i = 0; i < set->n; i++) {
            jw_key(w, set->f[i].name);
            write_value(w, &set->f[i], (const char *)&ev->d + set->f[i].off);
        }
        char b[MONEY_FMT_MAX];
        if (v->has_net_time)
            jw_kstr(w, "nettoProductieveTijd", money_fmt_short(b, v->net_time, 2, 0));
        if (v->ntasks > 0) {
            jw_key(w, "taken");
            jw_arr_open(w);
            for (int i = 0; i < v->ntasks && i < CASE_MAX_TASKS; i++)
                write_fields(w, &task_s, &v->task[i]);
            jw_arr_close(w);
        }
        jw_obj_close(w);
        return;
    }
    if (ev->type != EV_TOEGANGSTOETS_UITGEVOERD) {
        write_fields(w, set, &ev->d);
        return;
    }
    /* the access test: answers per question and criterion, then the other fields */
    jw_obj_open(w);
    jw_key(w, "antwoorden");
    jw_obj_open(w);
    for (int q = 0; q < TOETS_NQUESTIONS; q++) {
        const struct toets_question_def *d = &toets_questions[q];
        int any = 0;
        for (int c = 0; c < d->ncriteria; c++)
            any |= ev->d.toets.answer[q][c] != TOETS_UNANSWERED;
        if (!any)
            continue;
        jw_key(w, d->key);
        jw_obj_open(w);
        for (int c = 0; c < d->ncriteria; c++)
            if (ev->d.toets.answer[q][c] != TOETS_UNANSWERED)
                jw_kbool(w, d->criterion[c], ev->d.toets.answer[q][c] == TOETS_YES);
        jw_obj_close(w);
    }
    jw_obj_close(w);
    for (int i = 0; i < set->n; i++) {
        jw_key(w, set->f[i].name);
        write_value(w, &set->f[i], (const char *)&ev->d + set->f[i].off);
    }
    jw_kstr(w, "uitkomst", toets_outcome_name((enum toets_outcome)ev->d.toets.outcome));
    jw_obj_close(w);
}

/* ---- reading ---- */

static void fault(struct lks_errlist *errs, const char *path, const char *reason, const char *msg)
{
    lks_err_set(lks_errlist_add(errs), LKS_EINVAL, path, reason, "%s", msg);
}

static void join(char *out, size_t n, const char *prefix, const char *name)
{
    if (prefix && *prefix)
        snprintf(out, n, "%s.%s", prefix, name);
    else
        snprintf(out, n, "%s", name);
}

/* A decimal with two digits from a JSON string or whole number (never a real). */
static int read_hund(const json_t *v, int64_t *out, const char *path, struct lks_errlist *errs)
{
    struct lks_err e;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < -1000000 || i > 1000000) {
            fault(errs, path, "out-of-range", "het getal is te groot");
            return -1;
        }
        *out = (int64_t)i * 100;
        return 0;
    }
    if (json_is_string(v) && money_parse_fixed(out, json_string_value(v), 2, path, &e) == 0)
        return 0;
    if (json_is_real(v)) {
        fault(errs, path, "not-a-decimal-string",
              "schrijf een getal met decimalen als tekst, bijvoorbeeld \"57.5\"");
        return -1;
    }
    fault(errs, path, "not-a-number", "moet een getal zijn, bijvoorbeeld \"57.5\"");
    return -1;
}

static void read_fields(const json_t *obj, const struct fdset *set, void *dst, const char *prefix,
                        enum codec_mode mode, struct lks_errlist *errs);

static void read_value(const json_t *v, const struct fd *f, char *p, const char *path,
                       enum codec_mode mode, struct lks_errlist *errs)
{
    struct lks_err e;
    switch (f->type) {
    case FD_STR: {
        if (!json_is_string(v)) {
            fault(errs, path, "not-a-string", "moet tekst zijn");
            return;
        }
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        /* An IBAN or postcode in a command is kept in its canonical form; one that cannot
         * be normalised is kept as given, and the form's check refuses it. A stored event
         * is read as it was written. */
        char canon[IDS_NORM_MAX];
        if (mode != CODEC_STORED && (f->flags & (F_IBAN | F_PC)) && !memchr(s, '\0', len) &&
            ((f->flags & F_IBAN) ? ids_iban_normalize(s, canon, NULL)
                                 : ids_postcode_normalize(s, canon, NULL))) {
            s = canon;
            len = strlen(canon);
        }
        char bsn[10];
        if ((f->flags & F_BSN) && !memchr(s, '\0', len) && ids_bsn_normalize(s, bsn, NULL)) {
            s = bsn;
            len = strlen(bsn);
        }
        if (len >= f->size) {
            char m[96];
            snprintf(m, sizeof m, "is te lang (ten hoogste %zu tekens)", f->size - 1);
            fault(errs, path, "too-long", m);
            return;
        }
        if (memchr(s, '\0', len)) {
            fault(errs, path, "nul-character", "bevat een ongeldig teken");
            return;
        }
        memcpy(p, s, len);
        p[len] = '\0';
        return;
    }
    case FD_DATE: {
        lks_date d = LKS_NO_DATE;
        if (!json_is_null(v)) {
            if (!json_is_string(v) || date_parse(&d, json_string_value(v), path, &e)) {
                fault(errs, path, "not-a-date", "moet een datum zijn in de vorm JJJJ-MM-DD");
                return;
            }
        }
        memcpy(p, &d, sizeof d);
        return;
    }
    case FD_MONEY: {
        int64_t c;
        if (!json_is_string(v) || money_parse(&c, json_string_value(v), path, &e)) {
            fault(errs, path, "not-an-amount", "moet een bedrag als tekst zijn, bijv. \"1234.56\"");
            return;
        }
        memcpy(p, &c, sizeof c);
        return;
    }
    case FD_HUND:
    case FD_LW: {
        int64_t h = -1;
        if (!(f->type == FD_LW && json_is_null(v)) && read_hund(v, &h, path, errs))
            return;
        if (h < -1 || h > 100000000) {
            fault(errs, path, "out-of-range", "ligt buiten het mogelijke bereik");
            return;
        }
        int32_t x = (int32_t)h;
        memcpy(p, &x, sizeof x);
        return;
    }
    case FD_INT:
    case FD_IDX:
    case FD_I64: {
        if (!json_is_integer(v)) {
            fault(errs, path, "not-an-integer", "moet een geheel getal zijn");
            return;
        }
        json_int_t i = json_integer_value(v);
        if (f->type != FD_I64 && (i < -1000000000 || i > 1000000000)) {
            fault(errs, path, "out-of-range", "ligt buiten het mogelijke bereik");
            return;
        }
        if (f->type == FD_I64) {
            int64_t x = i;
            memcpy(p, &x, sizeof x);
        } else {
            int32_t x = (int32_t)i;
            memcpy(p, &x, sizeof x);
        }
        return;
    }
    case FD_BOOL: {
        if (!json_is_boolean(v)) {
            fault(errs, path, "not-a-boolean", "moet true of false zijn");
            return;
        }
        bool b = json_is_true(v);
        memcpy(p, &b, sizeof b);
        return;
    }
    case FD_ENUM: {
        const char *const *names = f->sub;
        if (json_is_string(v))
            for (int i = 0; names[i]; i++)
                if (strcmp(names[i], json_string_value(v)) == 0) {
                    memcpy(p, &i, sizeof i);
                    return;
                }
        char m[200] = "moet een van deze zijn: ";
        for (int i = 0; names[i]; i++) {
            if (i)
                strncat(m, ", ", sizeof m - strlen(m) - 1);
            strncat(m, names[i], sizeof m - strlen(m) - 1);
        }
        fault(errs, path, "unknown-choice", m);
        return;
    }
    case FD_OBJ:
        if (!json_is_object(v)) {
            fault(errs, path, "not-an-object", "moet een object zijn");
            return;
        }
        read_fields(v, f->sub, p, path, mode, errs);
        return;
    }
}

static void read_fields(const json_t *obj, const struct fdset *set, void *dst, const char *prefix,
                        enum codec_mode mode, struct lks_errlist *errs)
{
    const char *key;
    json_t *v;
    char path[128];
    json_object_foreach((json_t *)obj, key, v)
    {
        join(path, sizeof path, prefix, key);
        const struct fd *f = NULL;
        for (int i = 0; i < set->n; i++)
            if (strcmp(set->f[i].name, key) == 0)
                f = &set->f[i];
        if (!f) {
            fault(errs, path, "unknown-field", "onbekend veld");
            continue;
        }
        if ((f->flags & F_CALC) && mode != CODEC_STORED) {
            fault(errs, path, "computed",
                  "wordt door het systeem bepaald en kan niet worden "
                  "opgegeven");
            continue;
        }
        read_value(v, f, (char *)dst + f->off, path, mode, errs);
    }
    for (int i = 0; i < set->n; i++)
        if ((set->f[i].flags & F_REQ) && mode != CODEC_CHANGE &&
            !json_object_get(obj, set->f[i].name)) {
            join(path, sizeof path, prefix, set->f[i].name);
            fault(errs, path, "required", "is verplicht");
        }
}

/* Defaults before reading: dates unset, loonwaarde unset, index "the open one". */
static void defaults(const struct fdset *set, char *dst)
{
    for (int i = 0; i < set->n; i++) {
        const struct fd *f = &set->f[i];
        char *p = dst + f->off;
        if (f->type == FD_DATE) {
            lks_date d = LKS_NO_DATE;
            memcpy(p, &d, sizeof d);
        } else if (f->type == FD_LW || f->type == FD_IDX) {
            int32_t x = -1;
            memcpy(p, &x, sizeof x);
        } else if (f->type == FD_OBJ) {
            defaults(f->sub, p);
        }
    }
}

/* A loonwaarde report: the table's fields, its optional tasks ("taken", at most
 * CASE_MAX_TASKS) and net working time ("nettoProductieveTijd"), checked by the process's
 * rule (case_wage_tasks_check) once they read; an event stored before tasks existed has
 * neither and reads as before. */
static int vastgesteld_parse(const json_t *data, enum codec_mode mode, struct case_event *ev,
                             struct lks_errlist *errs, int before)
{
    struct ev_vastgesteld *v = &ev->d.vastgesteld;
    json_t *copy = json_copy((json_t *)data);
    json_t *tasks = json_incref(json_object_get(copy, "taken"));
    json_t *net = json_incref(json_object_get(copy, "nettoProductieveTijd"));
    json_object_del(copy, "taken");
    json_object_del(copy, "nettoProductieveTijd");
    read_fields(copy, &vastgesteld_s, &ev->d, "", mode, errs);
    int typed = errs->n + errs->dropped;
    if (net && !json_is_null(net)) {
        int64_t h;
        if (read_hund(net, &h, "nettoProductieveTijd", errs) == 0) {
            v->has_net_time = true;
            v->net_time = h < INT32_MIN || h > INT32_MAX ? -1 : (int32_t)h;
        }
    }
    if (tasks && !json_is_null(tasks)) {
        if (!json_is_array(tasks) || json_array_size(tasks) > CASE_MAX_TASKS) {
            fault(errs, "taken", "not-a-list", "moet een lijst van ten hoogste 5 hoofdtaken zijn");
        } else {
            size_t i;
            json_t *t;
            json_array_foreach(tasks, i, t)
            {
                char path[32];
                snprintf(path, sizeof path, "taken.%zu", i);
                if (!json_is_object(t)) {
                    fault(errs, path, "not-an-object", "moet een object zijn");
                    continue;
                }
                read_fields(t, &task_s, &v->task[i], path, mode, errs);
            }
            v->ntasks = (int)json_array_size(tasks);
        }
    }
    /* the ranges and the sum of the shares, once every value could be read */
    if (errs->n + errs->dropped == typed)
        case_wage_tasks_check(v, errs);
    json_decref(tasks);
    json_decref(net);
    json_decref(copy);
    return errs->n + errs->dropped > before ? LKS_EINVAL : 0;
}

int codec_event_data_parse(const json_t *data, enum codec_mode mode, struct case_event *ev,
                           struct lks_errlist *errs)
{
    int before = errs->n + errs->dropped;
    memset(&ev->d, 0, sizeof ev->d);
    const struct fdset *set = event_set(ev->type);
    defaults(set, (char *)&ev->d);
    if (!json_is_object(data)) {
        fault(errs, "gegevens", "not-an-object", "de gegevens moeten een JSON-object zijn");
        return LKS_EINVAL;
    }
    if (ev->type == EV_INFORMATIE_GEVRAAGD) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)data, key, v)
        {
            if (strcmp(key, "ontbreekt") != 0) {
                fault(errs, key, "unknown-field", "onbekend veld");
                continue;
            }
            if (!json_is_array(v) || json_array_size(v) == 0 ||
                json_array_size(v) > CASE_MAX_MISSING) {
                fault(errs, "ontbreekt", "not-a-list",
                      "moet een lijst van 1 tot 8 omschrijvingen zijn");
                continue;
            }
            size_t i;
            json_t *item;
            json_array_foreach(v, i, item)
            {
                if (!json_is_string(item) || json_string_length(item) == 0 ||
                    json_string_length(item) >= sizeof ev->d.info.missing[0]) {
                    fault(errs, "ontbreekt", "bad-item",
                          "elke omschrijving is tekst van 1 tot 47 tekens");
                    break;
                }
                snprintf(ev->d.info.missing[i], sizeof ev->d.info.missing[0], "%s",
                         json_string_value(item));
                ev->d.info.nmissing = (int)i + 1;
            }
        }
        if (!json_object_get(data, "ontbreekt"))
            fault(errs, "ontbreekt", "required", "is verplicht");
        return errs->n + errs->dropped > before ? LKS_EINVAL : 0;
    }
    if (ev->type == EV_TOEGANGSTOETS_UITGEVOERD) {
        /* answers through the access test's own parser; the rest by the table */
        json_t *copy = json_copy((json_t *)data);
        json_t *answers = json_incref(json_object_get(copy, "antwoorden"));
        json_t *outcome = json_incref(json_object_get(copy, "uitkomst"));
        json_object_del(copy, "antwoorden");
        json_object_del(copy, "uitkomst");
        if (!answers) {
            fault(errs, "antwoorden", "required", "is verplicht");
        } else if (json_object_get(answers, "toelichting")) {
            fault(errs, "antwoorden.toelichting", "misplaced",
                  "de toelichting staat naast de antwoorden (gegevens.toelichting)");
        } else {
            struct toets_input in;
            struct lks_errlist sub = {0};
            if (codec_toets_parse(answers, &in, &sub))
                for (int i = 0; i < sub.n; i++) {
                    char path[128];
                    join(path, sizeof path, "antwoorden", sub.e[i].field);
                    fault(errs, path, sub.e[i].reason, sub.e[i].msg);
                }
            memcpy(ev->d.toets.answer, in.answer, sizeof in.answer);
        }
        if (outcome) {
            if (mode == CODEC_COMMAND)
                fault(errs, "uitkomst", "computed",
                      "wordt door het systeem bepaald en kan niet worden opgegeven");
            else
                for (int o = 0; o <= TOETS_LOWER_BOUND; o++)
                    if (json_is_string(outcome) &&
                        strcmp(json_string_value(outcome),
                               toets_outcome_name((enum toets_outcome)o)) == 0)
                        ev->d.toets.outcome = o;
        }
        read_fields(copy, set, &ev->d, "", mode, errs);
        json_decref(answers);
        json_decref(outcome);
        json_decref(copy);
        return errs->n + errs->dropped > before ? LKS_EINVAL : 0;
    }
    if (ev->type == EV_LOONWAARDE_VASTGESTELD || ev->type == EV_LOONWAARDE_ONGEWIJZIGD)
        return vastgesteld_parse(data, mode, ev, errs, before);
    read_fields(data, set, &ev->d, "", mode, errs);
    return errs->n + errs->dropped > before ? LKS_EINVAL : 0;
}

/* ---- the case ---- */

static void write_list(struct jw *w, const char *key, const struct fdset *set, const void *arr,
                       size_t size, int n)
{
    jw_key(w, key);
    jw_arr_open(w);
    for (int i = 0; i < n; i++)
        write_fields(w, set, (const char *)arr + (size_t)i * size);
    jw_arr_close(w);
}

void codec_deadline(struct jw *w, const struct case_deadline *d, lks_date today)
{
    jw_obj_open(w);
    jw_kstr(w, "soort", dl_kind_name(d->kind));
    jw_kstr(w, "omschrijving", dl_kind_text(d->kind));
    jw_kdate(w, "vanaf", d->start);
    jw_kdate(w, "uiterlijk", d->due);
    jw_key(w, "gedaan");
    if (d->done == LKS_NO_DATE)
        jw_null(w);
    else
        jw_date(w, d->done);
    jw_kstr(w, "stand", dl_state(d, today));
    jw_kstr(w, "wettelijkeGrondslag", dl_kind_basis(d->kind));
    jw_obj_close(w);
}

void codec_case(struct jw *w, const struct case_state *cs, const struct case_deadline *dl, int ndl,
                lks_date today)
{
    codec_case_open(w, cs, dl, ndl, today);
    jw_obj_close(w);
}

void codec_case_open(struct jw *w, const struct case_state *cs, const struct case_deadline *dl,
                     int ndl, lks_date today)
{
    static const char *const limit_names[] = {"lichamelijk", "verstandelijk", "psychisch",
                                              "psychosociaal"};
    jw_obj_open(w);
    jw_kint(w, "id", cs->id);
    jw_kstr(w, "gemeente", cs->tenant);
    jw_kstr(w, "status", case_status_name(cs->status));
    jw_kint(w, "versie", cs->version);
    jw_kstr(w, "klantmanager", cs->case_worker);
    jw_kstr(w, "aanvrager", cs->applicant);
    jw_key(w, "aangevraagd");
    write_value(w, &(struct fd){"", FD_DATE, 0, sizeof(lks_date), NULL, 0},
                (const char *)&cs->applied);
    jw_key(w, "werknemer");
    write_fields(w, &person_s, &cs->person);
    jw_key(w, "werkgever");
    write_fields(w, &employer_s, &cs->employer);
    jw_key(w, "dienstverband");
    write_fields(w, &placement_s, &cs->placement);
    jw_key(w, "toegangstoets");
    jw_obj_open(w);
    jw_kbool(w, "uitgevoerd", cs->test.done);
    if (cs->test.done) {
        jw_kstr(w, "uitkomst", toets_outcome_name((enum toets_outcome)cs->test.outcome));
        jw_kdate(w, "datum", cs->test.decided);
        jw_key(w, "beperkingen");
        jw_arr_open(w);
        for (int c = 0; c < 4; c++)
            if (cs->test.limitation & (1u << c))
                jw_str(w, limit_names[c]);
        jw_arr_close(w);
        jw_kstr(w, "toelichting", cs->test.explanation);
    }
    jw_obj_close(w);
    jw_kbool(w, "forfait", cs->forfait);
    if (cs->nmissing) {
        jw_key(w, "ontbreekt");
        jw_arr_open(w);
        for (int i = 0; i < cs->nmissing; i++)
            jw_str(w, cs->missing[i]);
        jw_arr_close(w);
    }
    write_list(w, "loonwaardemetingen", &measurement_s, cs->measurement, sizeof cs->measurement[0],
               cs->nmeasurements);
    write_list(w, "beschikkingen", &decision_s, cs->decision, sizeof cs->decision[0],
               cs->ndecisions);
    write_list(w, "voorzieningen", &provision_s, cs->provision, sizeof cs->provision[0],
               cs->nprovisions);
    write_list(w, "bezwaren", &objection_s, cs->objection, sizeof cs->objection[0],
               cs->nobjections);
    write_list(w, "betalingen", &payment_s, cs->payment, sizeof cs->payment[0], cs->npayments);
    write_list(w, "kosten", &cost_s, cs->cost, sizeof cs->cost[0], cs->ncosts);
    jw_key(w, "termijnen");
    jw_arr_open(w);
    for (int i = 0; i < ndl; i++)
        codec_deadline(w, &dl[i], today);
    jw_arr_close(w);
    if (cs->closed != LKS_NO_DATE) {
        jw_kdate(w, "afgesloten", cs->closed);
        jw_kstr(w, "redenAfsluiting", cs->close_reason);
    }
}

/* ---- the employer's own record ---- */

static const struct fdset *employer_event_set(enum emp_ev_type t, enum codec_mode mode,
                                              bool *on_data)
{
    *on_data = true;
    switch (t) {
    case EMP_GEREGISTREERD:
        return mode == CODEC_COMMAND ? &employer_taken_s : &employer_reg_s;
    case EMP_GEWIJZIGD:
        return mode == CODEC_COMMAND ? &employer_chg_s : &employer_reg_s;
    case EMP_OVERGENOMEN:
        return &employer_taken_s;
    case EMP_IBAN_VOORGESTELD:
        *on_data = false;
        return &emp_iban_s;
    case EMP_IBAN_BEVESTIGD:
        *on_data = false;
        return &emp_confirm_s;
    case EMP_IBAN_AFGEWEZEN:
        *on_data = false;
        return &emp_reason_s;
    default:
        *on_data = false;
        return &empty_s;
    }
}

int codec_employer_event_parse(const json_t *data, enum codec_mode mode, struct employer_event *ev,
                               struct lks_errlist *errs)
{
    int before = errs->n + errs->dropped;
    if (!json_is_object(data)) {
        fault(errs, "gegevens", "not-an-object", "de gegevens moeten een JSON-object zijn");
        return LKS_EINVAL;
    }
    bool on_data;
    const struct fdset *set = employer_event_set(ev->type, mode, &on_data);
    /* a change names only what changes: nothing of it is required */
    enum codec_mode m = ev->type == EMP_GEWIJZIGD && mode == CODEC_COMMAND ? CODEC_CHANGE : mode;
    read_fields(data, set, on_data ? (void *)&ev->data : (void *)ev, "", m, errs);
    return errs->n + errs->dropped > before ? LKS_EINVAL : 0;
}

void codec_employer_event_data(struct jw *w, const struct employer_event *ev)
{
    bool on_data;
    const struct fdset *set = employer_event_set(ev->type, CODEC_STORED, &on_data);
    write_fields(w, set, on_data ? (const void *)&ev->data : (const void *)ev);
}

void codec_employer(struct jw *w, const struct employer *e)
{
    jw_obj_open(w);
    for (int i = 0; i < employer_taken_s.n; i++) {
        jw_key(w, employer_taken_s.f[i].name);
        write_value(w, &employer_taken_s.f[i], (const char *)e + employer_taken_s.f[i].off);
    }
    jw_kint(w, "versie", e->version);
    jw_key(w, "ibanWijziging");
    if (!e->iban_proposed[0]) {
        jw_null(w);
    } else {
        jw_obj_open(w);
        jw_kstr(w, "iban", e->iban_proposed);
        jw_kstr(w, "voorgesteldDoor", e->iban_proposed_by);
        jw_key(w, "voorgesteldOp");
        if (e->iban_proposed_on == LKS_NO_DATE)
            jw_null(w);
        else
            jw_date(w, e->iban_proposed_on);
        jw_kstr(w, "wacht", "bevestiging door een medewerker financiën die het niet voorstelde");
        jw_obj_close(w);
    }
    jw_obj_close(w);
}

/* ---- the person's own record ---- */

int codec_person_event_parse(const json_t *data, enum codec_mode mode, struct person_event *ev,
                             struct lks_errlist *errs)
{
    int before = errs->n + errs->dropped;
    if (!json_is_object(data)) {
        fault(errs, "gegevens", "not-an-object", "de gegevens moeten een JSON-object zijn");
        return LKS_EINVAL;
    }
    bool change = ev->type == PER_GEWIJZIGD && mode == CODEC_COMMAND;
    read_fields(data, change ? &person_chg_s : &person_rec_s, &ev->data, "",
                change ? CODEC_CHANGE : mode, errs);
    return errs->n + errs->dropped > before ? LKS_EINVAL : 0;
}

void codec_person_event_data(struct jw *w, const struct person_event *ev)
{
    write_fields(w, &person_rec_s, &ev->data);
}

void codec_person(struct jw *w, const struct person *p)
{
    write_fields(w, &person_s, p);
}

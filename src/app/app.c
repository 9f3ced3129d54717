/*
 * app — see app.h. Capabilities, the commands on a case with their scope checks
 * and the employer master data a form touches, and the policy rule. The view and
 * the reads are in app_view.c, the employer's own commands in app_employer.c, the
 * checks of the whole store in app_verify.c.
 */
#include "app/app.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/internal.h"
#include "base/cal.h"
#include "base/jw.h"
#include "codec/case_json.h"
#include "store/store_auth.h"

int app_init(struct app *a, struct store *s, const struct rules *r, lks_date today,
             struct lks_err *err)
{
    memset(a, 0, sizeof *a);
    a->store = s;
    a->rules = r;
    a->today = today;
    a->cs = malloc(sizeof *a->cs);
    a->tl = malloc(sizeof *a->tl);
    if (!a->cs || !a->tl) {
        app_free(a);
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    }
    return 0;
}

void app_free(struct app *a)
{
    free(a->cs);
    free(a->tl);
    a->cs = NULL;
    a->tl = NULL;
}

/* ---- capabilities ---- */

#define R(x) (1u << (x))

/* The roles that may start a case: those the process table gives aanvraag-ingediend on a
 * new case (case_commands of an empty state). Computed once; 0 without memory. */
static uint32_t apply_mask;
static void apply_mask_init(void)
{
    struct case_state *cs = malloc(sizeof *cs);
    if (!cs)
        return;
    case_init(cs, "", 0);
    for (int r = 0; r < ROLE_COUNT; r++)
        if (case_commands(cs, (enum role)r) & (1u << EV_AANVRAAG_INGEDIEND))
            apply_mask |= R(r);
    free(cs);
}

static uint32_t apply_roles(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, apply_mask_init);
    return apply_mask;
}

bool app_may(const struct app_actor *who, enum app_cap cap)
{
    static const uint32_t roles[] = {
        [APP_CAP_CASES] = R(ROLE_KLANTMANAGER) | R(ROLE_LOONWAARDEDESKUNDIGE) | R(ROLE_BESLISSER) |
                          R(ROLE_FINANCIEEL) | R(ROLE_AUDITOR) | R(ROLE_WERKGEVER),
        [APP_CAP_COMMANDS] = R(ROLE_KLANTMANAGER) | R(ROLE_LOONWAARDEDESKUNDIGE) |
                             R(ROLE_BESLISSER) | R(ROLE_FINANCIEEL) | R(ROLE_WERKGEVER),
        [APP_CAP_MUNICIPAL] = R(ROLE_KLANTMANAGER) | R(ROLE_LOONWAARDEDESKUNDIGE) |
                              R(ROLE_BESLISSER) | R(ROLE_FINANCIEEL) | R(ROLE_AUDITOR),
        [APP_CAP_EMPLOYERS] = R(ROLE_KLANTMANAGER) | R(ROLE_LOONWAARDEDESKUNDIGE) |
                              R(ROLE_BESLISSER) | R(ROLE_FINANCIEEL) | R(ROLE_AUDITOR) |
                              R(ROLE_WERKGEVER),
        [APP_CAP_AUDIT] = R(ROLE_AUDITOR),
        [APP_CAP_USERS] = R(ROLE_BEHEERDER),
        [APP_CAP_RULES] = R(ROLE_APPLICATIEBEHEERDER),
        [APP_CAP_PAYRUNS] = R(ROLE_FINANCIEEL) | R(ROLE_AUDITOR), /* as app_payrun's may_read */
    };
    if (!who || (unsigned)who->role >= ROLE_COUNT)
        return false;
    if (cap == APP_CAP_APPLY) /* what the process table says, asked once */
        return app_may(who, APP_CAP_COMMANDS) && (apply_roles() & R(who->role)) != 0;
    if ((unsigned)cap >= sizeof roles / sizeof roles[0])
        return false;
    /* an employer acts only for a company: without one it reaches nothing */
    if (who->role == ROLE_WERKGEVER && (!who->kvk || !who->kvk[0]))
        return false;
    return (roles[cap] & R(who->role)) != 0;
}

int app_refuse_cap(const struct app_actor *who, enum app_cap cap, struct lks_err *err)
{
    if (app_may(who, cap))
        return 0;
    return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                       "uw rol geeft geen toegang tot deze gegevens");
}

int app_finish(struct app *a, int rc, const char *object, struct lks_err *err)
{
    if (rc == 0 && a->before_commit) {
        struct app_change ch = {false, "", "", 0};
        snprintf(ch.object, sizeof ch.object, "%s", object);
        rc = a->before_commit(a->hook_arg, &ch, err);
    }
    if (rc == 0)
        rc = store_commit(a->store, err);
    if (rc)
        store_rollback(a->store);
    return rc;
}

int app_actor_check(const struct app_actor *who, struct lks_err *err)
{
    if (!who || !who->tenant || !who->tenant[0] || !who->user || !who->user[0] ||
        (unsigned)who->role >= ROLE_COUNT)
        return lks_err_set(err, LKS_EINVAL, "gebruiker", "no-actor",
                           "wie de opdracht geeft (gemeente, gebruiker en rol) ontbreekt");
    if (who->role == ROLE_WERKGEVER && (!who->kvk || !who->kvk[0]))
        return lks_err_set(err, LKS_EFORBIDDEN, "kvk", "no-company",
                           "een werkgever handelt alleen voor een bedrijf (KvK-nummer)");
    return 0;
}

bool app_in_scope(const struct app_actor *who, const char *kvk)
{
    return !who || who->role != ROLE_WERKGEVER || (who->kvk && kvk && strcmp(who->kvk, kvk) == 0);
}

int app_not_found(struct lks_err *err, const char *field, const char *what)
{
    return lks_err_set(err, LKS_ENOTFOUND, field, "not-found", "%s bestaat niet", what);
}

void app_note(struct app *a, const char *fmt, ...)
{
    if (a->nnotes >= APP_NOTES_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->notes[a->nnotes++], APP_NOTE_LEN, fmt, ap);
    va_end(ap);
}

int app_timeline(struct app *a, const char *tenant, struct lks_err *err)
{
    return store_policy_timeline(a->store, tenant, a->tl, err);
}

/* ---- commands on cases ---- */

static bool same_text(const char *x, const char *y)
{
    return strcmp(x, y) == 0;
}

/*
 * The employer of a case form as master data: a new KvK number registers the employer
 * (and proposes the form's IBAN); for one on record the form changes nothing, a
 * different IBAN becomes a proposal where the actor may propose one, and every other
 * difference is only told. Afterwards cs->employer is the record.
 */
static int form_employer(struct app *a, const struct app_actor *who, const struct case_event *ev,
                         const struct employer *reg, struct case_state *cs, struct lks_err *err)
{
    const struct employer *f = &ev->d.aanvraag.employer;
    struct employer e;
    int rc;
    if (!reg) {
        struct employer_event r = {
            .type = EMP_GEREGISTREERD, .date = ev->date, .role = who->role, .case_id = cs->id};
        r.data = *f;
        memset(&e, 0, sizeof e);
        if ((rc = app_employer_apply(a, who, &e, &r, err)))
            return rc;
    } else {
        e = *reg;
        if ((!same_text(f->name, e.name) && f->name[0]) ||
            (!same_text(f->address, e.address) && f->address[0]) ||
            (!same_text(f->postcode, e.postcode) && f->postcode[0]) ||
            (!same_text(f->city, e.city) && f->city[0]) ||
            (f->fulltime_hours && f->fulltime_hours != e.fulltime_hours))
            app_note(a,
                     "de gegevens van de werkgever in het formulier wijken af van die van KvK %s; "
                     "ze zijn niet overgenomen (een wijziging gaat via de werkgever zelf)",
                     e.kvk);
    }
    if (f->iban[0] && !same_text(f->iban, e.iban) && !same_text(f->iban, e.iban_proposed)) {
        bool may = (employer_transitions[EMP_IBAN_VOORGESTELD].roles & R(who->role)) != 0;
        if (!may) {
            app_note(a, "de IBAN in het formulier is niet overgenomen: een klantmanager of de "
                        "werkgever zelf stelt een IBAN voor");
        } else if (e.iban_proposed[0]) {
            app_note(a,
                     "de IBAN in het formulier is niet overgenomen: er wacht al een wijziging "
                     "(%s) op bevestiging",
                     e.iban_proposed);
        } else {
            struct employer_event p = {.type = EMP_IBAN_VOORGESTELD,
                                       .date = ev->date,
                                       .role = who->role,
                                       .case_id = cs->id};
            snprintf(p.iban, sizeof p.iban, "%s", f->iban);
            if ((rc = app_employer_apply(a, who, &e, &p, err)))
                return rc;
            app_note(a,
                     "IBAN %s van de werkgever is voorgesteld; betalingen gaan naar %s tot een "
                     "medewerker financiën die het niet voorstelde de wijziging bevestigt",
                     p.iban, e.iban[0] ? e.iban : "(nog geen bevestigde IBAN)");
        }
    }
    cs->employer = e;
    return 0;
}

/*
 * The person of a case form as a record of its own: a new BSN registers the person; for one
 * on record the form changes nothing of what other cases show, except that a klantmanager's
 * form completes what the record lacks (one event, with the case). A difference is only
 * told. Afterwards cs->person is the record.
 */
static int form_person(struct app *a, const struct app_actor *who, const struct case_event *ev,
                       const struct person *reg, struct case_state *cs, struct lks_err *err)
{
    const struct person *f = &ev->d.aanvraag.person;
    struct person p;
    int rc;
    if (!reg) {
        struct person_event r = {.type = PER_GEREGISTREERD, .date = ev->date, .case_id = cs->id};
        r.data = *f;
        r.data.id = 0;
        r.data.version = 0;
        memset(&p, 0, sizeof p);
        if ((rc = app_person_apply(a, who, &p, &r, err)))
            return rc;
    } else {
        p = *reg;
        struct person more = p;
        if (who->role == ROLE_KLANTMANAGER && person_complete(&more, f)) {
            struct person_event c = {.type = PER_GEWIJZIGD, .date = ev->date, .case_id = cs->id};
            c.data = more;
            if ((rc = app_person_apply(a, who, &p, &c, err)))
                return rc;
            app_note(a, "wat de gegevens van de werknemer nog misten is aangevuld uit het "
                        "formulier");
        }
        if (person_differs(&p, f))
            app_note(a, "de gegevens van de werknemer in het formulier wijken af van die van de "
                        "persoon; ze zijn niet overgenomen (een klantmanager wijzigt ze bij de "
                        "persoon zelf)");
    }
    cs->person = p;
    return 0;
}

/* A case goes only to an active klantmanager of its own municipality; a name of another
 * municipality's user is answered as an unknown one. */
static int check_case_worker(struct app *a, const char *tenant, const char *field, const char *name,
                             struct lks_err *err)
{
    struct auth_user u;
    struct lks_err e2;
    int rc = store_user_by_name(a->store, name, &u, NULL, 0, NULL, NULL, &e2);
    if (rc && rc != LKS_ENOTFOUND) {
        *err = e2;
        return rc;
    }
    if (rc == LKS_ENOTFOUND || strcmp(u.tenant, tenant) != 0 || u.role != ROLE_KLANTMANAGER ||
        !u.active)
        return lks_err_set(err, LKS_EINVAL, field, "unknown-case-worker",
                           "%s is geen actieve klantmanager van deze gemeente", name);
    return 0;
}

static bool form_event(enum ev_type t)
{
    return t == EV_AANVRAAG_INGEDIEND || t == EV_INFORMATIE_AANGEVULD;
}

static int apply_in_tx(struct app *a, const struct app_actor *who, int64_t case_id,
                       struct case_event *ev, int64_t *out_id, struct lks_err *err)
{
    int rc;
    struct case_state *cs = a->cs;
    a->nnotes = 0;
    if ((rc = app_actor_check(who, err)))
        return rc;
    if ((unsigned)ev->type >= EV_COUNT)
        return lks_err_set(err, LKS_EINVAL, "soort", "unknown", "onbekende opdracht");
    if (case_id == 0) {
        if (ev->type != EV_AANVRAAG_INGEDIEND)
            return lks_err_set(err, LKS_ESTATE, "soort", "no-case",
                               "een nieuwe zaak begint met een aanvraag");
        int64_t id;
        if ((rc = store_case_new_id(a->store, &id, err)))
            return rc;
        case_init(cs, who->tenant, id);
    } else if (a->cached_id == case_id && strcmp(a->cached_tenant, who->tenant) == 0) {
        /* inside one transaction the state in memory is what was just stored */
    } else if ((rc = store_case_get(a->store, who->tenant, case_id, cs, err))) {
        return rc;
    }
    a->cached_id = 0;
    /* scope before the command: another company's case does not exist for an employer */
    if (case_id && !app_in_scope(who, cs->employer.kvk))
        return app_case_not_found(err, case_id);
    if ((rc = app_timeline(a, who->tenant, err)))
        return rc;
    struct case_ctx ctx = {
        a->rules, policy_timeline_at(a->tl, ev->date), a->today, LKS_NO_DATE, NULL, NULL};
    struct employer reg;
    bool registered = false;
    struct person regp;
    bool person_known = false;
    if (form_event(ev->type)) {
        const char *kvk = ev->d.aanvraag.employer.kvk;
        if (!app_in_scope(who, kvk))
            return lks_err_set(err, LKS_EFORBIDDEN, "werkgever.kvk", "other-company",
                               "een werkgever vraagt alleen aan voor het eigen bedrijf (KvK %s)",
                               who->kvk);
        if (case_id && strcmp(kvk, cs->employer.kvk) != 0 && who->role != ROLE_KLANTMANAGER)
            return lks_err_set(err, LKS_EFORBIDDEN, "werkgever.kvk", "other-company",
                               "alleen een klantmanager kan de werkgever van een aanvraag "
                               "wijzigen");
        struct lks_err e2;
        rc = store_employer_by_kvk(a->store, who->tenant, kvk, &reg, &e2);
        if (rc && rc != LKS_ENOTFOUND) {
            *err = e2;
            return rc;
        }
        registered = rc == 0;
        ctx.employer = registered ? &reg : NULL;
        /* the person by the BSN of the form (read in its normal form) */
        rc = store_person_by_bsn(a->store, who->tenant, ev->d.aanvraag.person.bsn, &regp, &e2);
        if (rc && rc != LKS_ENOTFOUND) {
            *err = e2;
            return rc;
        }
        person_known = rc == 0;
        ctx.person = person_known ? &regp : NULL;
        if (case_id && strcmp(ev->d.aanvraag.person.bsn, cs->person.bsn) != 0 &&
            who->role != ROLE_KLANTMANAGER)
            return lks_err_set(err, LKS_EFORBIDDEN, "werknemer.bsn", "other-person",
                               "alleen een klantmanager kan de werknemer van een aanvraag "
                               "wijzigen");
    }
    if (ev->type == EV_ZAAK_TOEGEWEZEN && ev->d.toewijzing.case_worker[0] &&
        (rc = check_case_worker(a, who->tenant, "klantmanager", ev->d.toewijzing.case_worker, err)))
        return rc;
    if (ev->type == EV_AANVRAAG_INGEDIEND && ev->d.aanvraag.case_worker[0] &&
        (rc = check_case_worker(a, who->tenant, "klantmanager", ev->d.aanvraag.case_worker, err)))
        return rc;
    if (ev->type == EV_TOEGANGSTOETS_UITGEVOERD && cs->person.id &&
        (rc = store_person_last_test(a->store, who->tenant, cs->person.id, cs->id,
                                     &ctx.person_last_test, err)))
        return rc;
    snprintf(ev->actor, sizeof ev->actor, "%s", who->user);
    ev->role = who->role;
    ev->at = (int64_t)time(NULL);
    if ((rc = case_decide(&ctx, cs, ev, err)))
        return rc;
    enum case_status status0 = cs->status;
    char worker0[CASE_USER];
    memcpy(worker0, cs->case_worker, sizeof worker0);
    int64_t employer0 = cs->employer.id, person0 = cs->person.id;
    if ((rc = case_apply(cs, ev, err)))
        return rc; /* cannot happen for an event case_decide accepted */
    ev->seq = cs->version;
    assert(ev->seq >= 1 && (ev->seq == 1) == (ev->type == EV_AANVRAAG_INGEDIEND));
    if (form_event(ev->type) &&
        ((rc = form_employer(a, who, ev, registered ? &reg : NULL, cs, err)) ||
         (rc = form_person(a, who, ev, person_known ? &regp : NULL, cs, err))))
        return rc;
    /* scope after the command: its effect stays within the actor's company and
     * municipality, whatever the command said */
    if (!app_in_scope(who, cs->employer.kvk) || strcmp(cs->tenant, who->tenant) != 0)
        return lks_err_set(err, LKS_EFORBIDDEN, "werkgever.kvk", "other-company",
                           "deze opdracht zou de zaak buiten uw bedrijf brengen");
    /* a case always refers to a registered employer and person: the form registered them,
     * or the stored case was read with them */
    assert(cs->employer.id > 0 && cs->person.id > 0);
    unsigned parts = case_event_parts(ev->type);
    if (cs->status != status0 || memcmp(worker0, cs->case_worker, sizeof worker0) != 0 ||
        cs->employer.id != employer0 || cs->person.id != person0)
        parts |= PART_CASE_INDEXED;
    struct case_deadline dl[CASE_MAX_DEADLINES];
    int ndl = case_deadlines(cs, a->tl, dl, CASE_MAX_DEADLINES);
    struct jw w;
    jw_init(&w, 1 << 20, false);
    codec_event_data(&w, ev);
    if (jw_failed(&w)) {
        jw_free(&w);
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    }
    rc = store_case_save(a->store, cs, ev, w.buf, parts, dl, ndl, err);
    jw_free(&w);
    /* a decision's letters are final once sent: made and stored with its event */
    if (rc == 0)
        rc = app_letters_for_event(a, cs, ev, err);
    if (rc == 0) {
        if (out_id)
            *out_id = cs->id;
        a->cached_id = cs->id;
        snprintf(a->cached_tenant, sizeof a->cached_tenant, "%s", who->tenant);
    }
    return rc;
}

int app_event(struct app *a, const struct app_actor *who, int64_t case_id, struct case_event *ev,
              int in_tx, int64_t *out_id, struct lks_err *err)
{
    if (in_tx)
        return apply_in_tx(a, who, case_id, ev, out_id, err);
    a->cached_id = 0; /* another process may have changed the case since */
    int rc = store_begin(a->store, err);
    if (rc)
        return rc;
    rc = apply_in_tx(a, who, case_id, ev, out_id, err);
    if (rc == 0 && a->before_commit) {
        struct app_change ch = {a->cs->version == 1, a->cs->person.bsn, "", a->cs->id};
        snprintf(ch.object, sizeof ch.object, "zaak/%lld", (long long)a->cs->id);
        rc = a->before_commit(a->hook_arg, &ch, err);
    }
    if (rc == 0)
        rc = store_commit(a->store, err);
    if (rc)
        store_rollback(a->store);
    a->cached_id = 0;
    return rc;
}

/* Whether the actor may see case `id` at all (LKS_ENOTFOUND / LKS_EFORBIDDEN if not). */
static int visible(struct app *a, const struct app_actor *who, int64_t id, struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc)
        return rc;
    a->cached_id = 0;
    if ((rc = store_case_get(a->store, who->tenant, id, a->cs, err)))
        return rc;
    return app_in_scope(who, a->cs->employer.kvk) ? 0 : app_case_not_found(err, id);
}

/* The date of a JSON command ({"datum": …}), today when absent. */
int app_json_date(const struct app *a, const json_t *cmd, lks_date *out, struct lks_errlist *errs)
{
    json_t *date = json_object_get(cmd, "datum");
    struct lks_err e;
    *out = a->today;
    if (date && (!json_is_string(date) || date_parse(out, json_string_value(date), "datum", &e))) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "datum", "not-a-date",
                    "moet een datum zijn in de vorm JJJJ-MM-DD");
        return LKS_EINVAL;
    }
    return 0;
}

int app_command_json(struct app *a, const struct app_actor *who, int64_t case_id, const json_t *cmd,
                     int64_t *out_id, struct lks_errlist *errs)
{
    struct case_event *ev = calloc(1, sizeof *ev);
    if (!ev) {
        lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
        return LKS_ENOMEM;
    }
    int rc = 0;
    const char *key;
    json_t *v;
    if (!json_is_object(cmd)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "opdracht", "not-an-object",
                    "de opdracht moet een JSON-object zijn");
        free(ev);
        return LKS_EINVAL;
    }
    json_object_foreach((json_t *)cmd, key, v)
    {
        if (strcmp(key, "soort") && strcmp(key, "datum") && strcmp(key, "gegevens"))
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "unknown-field",
                        "onbekend veld (verwacht soort, datum en gegevens)");
    }
    json_t *type = json_object_get(cmd, "soort");
    int t = json_is_string(type) ? ev_type_parse(json_string_value(type)) : -1;
    if (t < 0)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "soort", "unknown",
                    "onbekende of ontbrekende soort opdracht (bijv. loonwaarde-vastgesteld)");
    app_json_date(a, cmd, &ev->date, errs);
    if (t >= 0) {
        ev->type = (enum ev_type)t;
        json_t *data = json_object_get(cmd, "gegevens");
        json_t *empty = data ? NULL : json_object();
        codec_event_data_parse(data ? data : empty, CODEC_COMMAND, ev, errs);
        json_decref(empty);
    }
    struct lks_err e = {0};
    if (errs->n == 0) {
        rc = app_event(a, who, case_id, ev, 0, out_id, &e);
        if (rc)
            *lks_errlist_add(errs) = e;
    } else if (case_id && (rc = visible(a, who, case_id, &e)) != 0) {
        /* a case outside the caller's scope does not exist, whatever its data said */
        errs->n = 0;
        errs->dropped = 0;
        *lks_errlist_add(errs) = e;
    } else {
        rc = LKS_EINVAL;
    }
    free(ev);
    return rc;
}

int app_decision_preview(struct app *a, const struct app_actor *who, int64_t case_id,
                         const json_t *cmd, struct app_decision_preview *out,
                         struct lks_errlist *errs)
{
    struct case_event *ev = calloc(1, sizeof *ev);
    if (!ev) {
        lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
        return LKS_ENOMEM;
    }
    memset(out, 0, sizeof *out);
    out->today = a->today;
    struct lks_err e = {0};
    int rc = visible(a, who, case_id, &e);
    if (rc) {
        *lks_errlist_add(errs) = e;
        free(ev);
        return rc;
    }
    ev->type = EV_BESCHIKKING_VERZONDEN;
    if (!json_is_object(cmd)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "opdracht", "not-an-object",
                    "de opdracht moet een JSON-object zijn");
        free(ev);
        return LKS_EINVAL;
    }
    app_json_date(a, cmd, &ev->date, errs);
    json_t *data = json_object_get(cmd, "gegevens");
    json_t *empty = data ? NULL : json_object();
    codec_event_data_parse(data ? data : empty, CODEC_COMMAND, ev, errs);
    json_decref(empty);
    if (errs->n) {
        free(ev);
        return LKS_EINVAL;
    }
    struct case_state *cs = a->cs;
    if ((rc = app_timeline(a, who->tenant, &e)) == 0) {
        struct case_ctx ctx = {
            a->rules, policy_timeline_at(a->tl, ev->date), a->today, LKS_NO_DATE, NULL, NULL};
        snprintf(ev->actor, sizeof ev->actor, "%s", who->user);
        ev->role = who->role;
        rc = case_decide(&ctx, cs, ev, &e);
        if (rc == 0) {
            out->d = ev->d.beschikking;
            /* the amount as the case view will show it: fold the decision into the
             * scratch state (read again from the store by the next call) */
            if (out->d.kind != DEC_REFUSAL && case_apply(cs, ev, &e) == 0) {
                int y, m, dd;
                date_to_ymd(out->d.from, &y, &m, &dd);
                out->month = date_from_ymd(y, m, 1);
                struct lks_err e2 = {0};
                out->has_amount = case_month_amount(&ctx, cs, out->month, &out->amount, &e2) == 0;
            }
        }
    }
    a->cached_id = 0;
    if (rc)
        *lks_errlist_add(errs) = e;
    free(ev);
    return rc;
}

void app_tx_end(struct app *a)
{
    a->cached_id = 0;
}

/* ---- policy ---- */

int app_policy_at(struct app *a, const char *tenant, lks_date on, struct policy *out,
                  struct lks_err *err)
{
    int rc = app_timeline(a, tenant, err);
    if (rc == 0)
        *out = *policy_timeline_at(a->tl, on);
    return rc;
}

int app_policy_set(struct app *a, const char *tenant, lks_date from, const char *key,
                   const char *text, struct lks_err *err)
{
    struct policy tmp;
    policy_default(&tmp);
    int k = policy_index(key);
    if (k < 0)
        return lks_err_set(err, LKS_EINVAL, "instelling", "unknown-setting",
                           "'%s' is geen instelling", key);
    int rc = policy_set(&tmp, key, text, err);
    if (rc) {
        lks_err_field(err, "waarde");
        return rc;
    }
    int64_t value = policy_get(&tmp, k);
    if ((rc = policy_check_row(key, value, err)))
        return rc;
    if (from == LKS_NO_DATE)
        return lks_err_set(err, LKS_EINVAL, "vanaf", "missing",
                           "de datum vanaf wanneer de instelling geldt ontbreekt");
    if ((rc = store_begin(a->store, err)))
        return rc;
    a->cached_id = 0;
    unsigned kinds = 0;
    for (int d = 0; d < DL_COUNT; d++)
        if (dl_kind_uses_policy((enum dl_kind)d))
            kinds |= 1u << d;
    lks_date latest = LKS_NO_DATE;
    rc = app_timeline(a, tenant, err);
    if (rc == 0)
        rc = store_deadlines_latest_start(a->store, tenant, kinds, &latest, err);
    if (rc == 0 && latest != LKS_NO_DATE && from <= latest) {
        /* a row that changes nothing in force from `from` on is harmless (a repeat) */
        bool changes = false;
        for (int i = 0; i < a->tl->n && !changes; i++) {
            /* the days [from, latest] are those whose deadlines are already computed */
            lks_date end = i + 1 < a->tl->n ? a->tl->from[i + 1] - 1 : INT32_MAX;
            if (end >= from && a->tl->from[i] <= latest && policy_get(&a->tl->p[i], k) != value)
                changes = true;
        }
        if (changes) {
            char b1[DATE_FMT_MAX], b2[DATE_FMT_MAX], b3[DATE_FMT_MAX];
            rc = lks_err_set(err, LKS_ESTATE, "vanaf", "reaches-back",
                             "er zijn al termijnen berekend die op of na %s beginnen (de laatste "
                             "op %s); een wijziging van het beleid geldt voor termijnen die "
                             "daarna beginnen: kies %s of later",
                             date_fmt(b1, from), date_fmt(b2, latest), date_fmt(b3, latest + 1));
        }
    }
    if (rc == 0)
        rc = store_policy_put(a->store, tenant, from, key, value, err);
    char obj[48];
    snprintf(obj, sizeof obj, "beleid/%s", tenant);
    return app_finish(a, rc, obj, err);
}

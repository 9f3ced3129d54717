/*
 * app_payrun — the monthly payment run (app_payrun.h says what it owns and how it fails).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app_payrun.h"
#include "app/internal.h"
#include "base/cal.h"
#include "base/csv.h"
#include "base/ids.h"
#include "base/money.h"
#include "case/pay_grant.h"
#include "codec/rules_json.h"
#include "store/store_auth.h"

static lks_date month_of(lks_date d)
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    return date_from_ymd(y, m, 1);
}

/* Copy src into dst (n bytes), cut at a UTF-8 character boundary when it does not fit:
 * the bank file's fields are shorter than the case's. */
static void copy_cut(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = 0;
}

static int may_pay(const struct app_actor *who, struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc)
        return rc;
    if (who->role != ROLE_FINANCIEEL)
        return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                           "alleen een medewerker financiën maakt en keurt betaalruns");
    return 0;
}

static int may_read(const struct app_actor *who, struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc)
        return rc;
    if (who->role != ROLE_FINANCIEEL && who->role != ROLE_AUDITOR)
        return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                           "alleen financiën en de auditor zien betaalruns");
    return 0;
}

/* ---- making a run ---- */

/* The live months of one case, from store_pay_live (in case id order). */
struct live {
    int64_t case_id;
    lks_date first, last;
    int64_t n;
};

struct maker {
    struct app *a;
    struct live *live;
    size_t nlive, clive, ilive;
    struct app_payrun_result *out;
    lks_date last; /* the run's month */
    struct pay_grant g;
    struct pay_month pm;
    struct payline line;
    struct lks_err *err;
};

static void add_ex(struct maker *m, int64_t case_id, lks_date month, const char *field,
                   const char *msg)
{
    struct app_payrun_result *o = m->out;
    o->nex++;
    if (o->nkept >= APP_PAYRUN_MAX_EX)
        return;
    struct app_payrun_ex *x = &o->ex[o->nkept++];
    x->case_id = case_id;
    x->month = month;
    snprintf(x->field, sizeof x->field, "%s", field);
    snprintf(x->msg, sizeof x->msg, "%s", msg);
}

/* Months the case paid before payment runs existed (betaling-verricht events). */
static bool paid_by_event(const struct case_state *cs, lks_date month)
{
    for (int i = 0; i < cs->npayments; i++)
        if (month_of(cs->payment[i].month) == month)
            return true;
    return false;
}

static void fill_line(struct maker *m, const struct case_state *cs, lks_date month)
{
    struct payline *l = &m->line;
    int y, mo, d;
    date_to_ymd(month, &y, &mo, &d);
    /* every field is set below (steps_json by the pack): no memset of its 9 KiB per line */
    l->bic[0] = 0;
    l->run_id = m->out->run.id;
    l->case_id = cs->id;
    l->month = month;
    l->amount = m->pm.amount;
    l->status = PAYLINE_PENDING;
    l->status_on = m->a->today;
    copy_cut(l->iban, sizeof l->iban, cs->employer.iban);
    copy_cut(l->creditor, sizeof l->creditor, cs->employer.name);
    copy_cut(l->street, sizeof l->street, cs->employer.address);
    copy_cut(l->postcode, sizeof l->postcode, cs->employer.postcode);
    copy_cut(l->town, sizeof l->town, cs->employer.city);
    snprintf(l->country, sizeof l->country, "NL");
    int dec = m->pm.nparts
                  ? m->g.period[m->pm.part[0].period < 0 ? 0 : m->pm.part[0].period].decision
                  : 0;
    snprintf(l->reference, sizeof l->reference, "LKS-%lld-B%d", (long long)cs->id, dec + 1);
    /* unique per line: the run, the case and the month */
    snprintf(l->end_to_end, sizeof l->end_to_end, "R%lld-Z%lld-%04d%02d", (long long)l->run_id,
             (long long)cs->id, y, mo);
    if (!codec_steps_pack(m->pm.step, m->pm.nsteps, l->steps_json, sizeof l->steps_json))
        l->steps_json[0] = 0; /* PAY_MAX_STEPS fit in steps_json (store_pay.h) */
}

static int add_live(void *arg, int64_t case_id, lks_date first, lks_date last, int64_t n)
{
    struct maker *m = arg;
    if (m->nlive == m->clive) {
        size_t cap = m->clive ? m->clive * 2 : 4096;
        struct live *l = realloc(m->live, cap * sizeof *l);
        if (!l)
            return LKS_ENOMEM;
        m->live = l;
        m->clive = cap;
    }
    m->live[m->nlive++] = (struct live){case_id, first, last, n};
    return 0;
}

static int months_between(lks_date a, lks_date b) /* whole months from a to b, both 1st */
{
    int ya, ma, yb, mb, d;
    date_to_ymd(a, &ya, &ma, &d);
    date_to_ymd(b, &yb, &mb, &d);
    return (yb - ya) * 12 + (mb - ma);
}

/* Whether month `mo` of the case may already be live: outside the live span it is not;
 * inside a span without gaps it is; a span with gaps (a returned line paid again later)
 * is left to the store's unique index. */
static bool surely_live(const struct live *l, lks_date mo)
{
    return l && mo >= l->first && mo <= l->last && l->n == months_between(l->first, l->last) + 1;
}

/* The first month to look at: after the months paid by betaling-verricht events when they
 * run without a gap from the grant's first month (the usual case), else the first. */
static lks_date first_unpaid(const struct case_state *cs, lks_date first)
{
    lks_date hi = LKS_NO_DATE;
    for (int i = 0; i < cs->npayments; i++) {
        lks_date mo = month_of(cs->payment[i].month);
        if (mo < first)
            return first;
        if (hi == LKS_NO_DATE || mo > hi)
            hi = mo;
    }
    if (hi == LKS_NO_DATE || months_between(first, hi) + 1 != cs->npayments)
        return first;
    return date_add_months(hi, 1);
}

static int make_case(void *arg, const struct case_state *cs)
{
    struct maker *m = arg;
    struct lks_err e = {0};
    while (m->ilive < m->nlive && m->live[m->ilive].case_id < cs->id)
        m->ilive++;
    const struct live *lv =
        m->ilive < m->nlive && m->live[m->ilive].case_id == cs->id ? &m->live[m->ilive] : NULL;
    if (case_pay_grant(cs, &m->g, &e)) {
        add_ex(m, cs->id, m->last, e.field, e.msg);
        return 0;
    }
    if (m->g.nperiods == 0)
        return 0;
    lks_date first = month_of(m->g.period[0].from);
    for (lks_date mo = first_unpaid(cs, first); mo <= m->last; mo = date_add_months(mo, 1)) {
        if (surely_live(lv, mo)) {
            m->out->taken++;
            continue;
        }
        if (paid_by_event(cs, mo))
            continue;
        memset(&e, 0, sizeof e);
        if (pay_month(m->a->rules, &m->g, mo, &m->pm, &e)) {
            add_ex(m, cs->id, mo, e.field, e.msg);
            continue;
        }
        if (m->pm.amount <= 0)
            continue;
        if (!cs->employer.iban[0]) {
            add_ex(m, cs->id, mo, "werkgever.iban",
                   cs->employer.iban_proposed[0]
                       ? "de IBAN van de werkgever wacht op bevestiging door een tweede "
                         "medewerker financiën (vier ogen)"
                       : "de werkgever heeft geen bevestigde IBAN");
            continue;
        }
        if (!cs->employer.city[0]) {
            add_ex(m, cs->id, mo, "werkgever.plaats",
                   "de plaats van de werkgever ontbreekt; de bank vraagt een gestructureerd "
                   "adres");
            continue;
        }
        fill_line(m, cs, mo);
        bool taken = false;
        int rc = store_payline_add(m->a->store, m->out->run.tenant, &m->line, &taken, m->err);
        if (rc)
            return rc;
        if (taken)
            m->out->taken++;
        else {
            m->out->run.nlines++;
            m->out->run.total += m->line.amount;
        }
    }
    return 0;
}

int app_payrun_make(struct app *a, const struct app_actor *who, lks_date month, lks_date execution,
                    struct app_payrun_result *out, struct lks_err *err)
{
    int rc = may_pay(who, err);
    if (rc)
        return rc;
    if (month == LKS_NO_DATE)
        return lks_err_set(err, LKS_EINVAL, "maand", "missing", "noem de maand (JJJJ-MM)");
    month = month_of(month);
    if (month > month_of(a->today))
        return lks_err_set(err, LKS_EINVAL, "maand", "future",
                           "een maand na deze maand kan nog niet worden betaald");
    if (execution == LKS_NO_DATE)
        execution = cal_add_workdays(a->today, 1);
    if (execution < a->today)
        return lks_err_set(err, LKS_EINVAL, "uitvoerdatum", "past",
                           "de uitvoerdatum ligt in het verleden");
    memset(out, 0, sizeof *out);
    struct payrun *r = &out->run;
    snprintf(r->tenant, sizeof r->tenant, "%s", who->tenant);
    snprintf(r->prepared_by, sizeof r->prepared_by, "%s", who->user);
    r->month = month;
    r->status = PAYRUN_CONCEPT;
    r->prepared_at = (int64_t)time(NULL);
    r->execution = execution;
    struct maker *m = calloc(1, sizeof *m);
    if (!m)
        return lks_err_set(err, LKS_ENOMEM, "", "", "onvoldoende geheugen");
    m->a = a;
    m->out = out;
    m->last = month;
    m->err = err;
    rc = store_begin(a->store, err);
    if (rc == 0 && (rc = store_payrun_create(a->store, r, err)) == 0 &&
        (rc = store_pay_live(a->store, r->tenant, add_live, m, err)) == 0)
        rc = store_pay_cases(a->store, r->tenant, make_case, m, err);
    free(m->live);
    free(m);
    if (rc) {
        store_rollback(a->store);
        return rc;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "betaalrun/%lld", (long long)r->id);
    return app_finish(a, 0, obj, err);
}

/* ---- the run's life ---- */

static int run_get(struct app *a, const struct app_actor *who, int64_t id, struct payrun *out,
                   struct lks_err *err)
{
    int rc = store_payrun_get(a->store, who->tenant, id, out, err);
    if (rc == LKS_ENOTFOUND)
        return app_not_found(err, "run", "deze betaalrun");
    return rc;
}

static int run_step(struct app *a, const struct app_actor *who, int64_t id, bool approve,
                    struct payrun *out, struct lks_err *err)
{
    int rc = may_pay(who, err);
    if (rc)
        return rc;
    if ((rc = store_begin(a->store, err)))
        return rc;
    rc = run_get(a, who, id, out, err);
    if (rc == 0 && out->status != PAYRUN_CONCEPT)
        rc = lks_err_set(err, LKS_ESTATE, "status", "not-concept",
                         out->status == PAYRUN_APPROVED ? "deze betaalrun is al goedgekeurd"
                                                        : "deze betaalrun is geannuleerd");
    if (rc == 0 && approve && strcmp(out->prepared_by, who->user) == 0)
        rc = lks_err_set(err, LKS_EFORBIDDEN, "gebruiker", "four-eyes",
                         "wie de betaalrun maakte, keurt hem niet goed: een tweede medewerker "
                         "financiën keurt goed (vier ogen)");
    if (rc == 0 && approve && out->nlines == 0)
        rc = lks_err_set(err, LKS_ESTATE, "regels", "empty",
                         "deze betaalrun heeft geen regels; annuleer hem");
    if (rc == 0)
        rc = store_payrun_status(a->store, who->tenant, id, PAYRUN_CONCEPT,
                                 approve ? PAYRUN_APPROVED : PAYRUN_CANCELLED, who->user,
                                 (int64_t)time(NULL), err);
    if (rc == 0)
        rc = store_payrun_get(a->store, who->tenant, id, out, err);
    if (rc) {
        store_rollback(a->store);
        return rc;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "betaalrun/%lld", (long long)id);
    return app_finish(a, 0, obj, err);
}

int app_payrun_approve(struct app *a, const struct app_actor *who, int64_t id, struct payrun *out,
                       struct lks_err *err)
{
    return run_step(a, who, id, true, out, err);
}

int app_payrun_cancel(struct app *a, const struct app_actor *who, int64_t id, struct payrun *out,
                      struct lks_err *err)
{
    return run_step(a, who, id, false, out, err);
}

int app_payrun_get(struct app *a, const struct app_actor *who, int64_t id, struct payrun *out,
                   struct lks_err *err)
{
    int rc = may_read(who, err);
    return rc ? rc : run_get(a, who, id, out, err);
}

int app_payrun_list(struct app *a, const struct app_actor *who,
                    int (*cb)(void *arg, const struct payrun *r), void *arg, struct lks_err *err)
{
    int rc = may_read(who, err);
    return rc ? rc : store_payrun_list(a->store, who->tenant, cb, arg, err);
}

int app_payrun_lines(struct app *a, const struct app_actor *who, int64_t id,
                     int (*cb)(void *arg, const struct payline *l), void *arg, struct lks_err *err)
{
    struct payrun r;
    int rc = app_payrun_get(a, who, id, &r, err);
    return rc ? rc : store_payrun_lines(a->store, who->tenant, id, cb, arg, err);
}

/* ---- the bank file ---- */

int app_pay_debtor(struct app *a, const char *tenant, struct sepa_party *out, struct lks_err *err)
{
    struct pay_settings ps;
    int rc = store_pay_settings_get(a->store, tenant, &ps, err);
    if (rc == LKS_ENOTFOUND)
        return lks_err_set(err, LKS_ESTATE, "instellingen.iban", "missing",
                           "de gemeente heeft nog geen rekening voor betalingen ingesteld "
                           "(naam, IBAN en BIC, beheer)");
    if (rc)
        return rc;
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", ps.name);
    snprintf(out->iban, sizeof out->iban, "%s", ps.iban);
    snprintf(out->bic, sizeof out->bic, "%s", ps.bic);
    snprintf(out->street, sizeof out->street, "%s", ps.street);
    snprintf(out->postcode, sizeof out->postcode, "%s", ps.postcode);
    snprintf(out->town, sizeof out->town, "%s", ps.town);
    snprintf(out->country, sizeof out->country, "%s", ps.country[0] ? ps.country : "NL");
    return 0;
}

struct collect {
    struct sepa_tx *tx;
    size_t n, cap;
    size_t skip, take; /* the part's window */
    size_t seen;
    lks_date execution;
};

static int collect_line(void *arg, const struct payline *l)
{
    struct collect *c = arg;
    if (l->status != PAYLINE_PENDING && l->status != PAYLINE_PAID)
        return 0;
    size_t i = c->seen++;
    if (i < c->skip || c->n >= c->take)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 1024;
        struct sepa_tx *t = realloc(c->tx, cap * sizeof *t);
        if (!t)
            return LKS_ENOMEM;
        c->tx = t;
        c->cap = cap;
    }
    struct sepa_tx *t = &c->tx[c->n++];
    memset(t, 0, sizeof *t);
    snprintf(t->end_to_end, sizeof t->end_to_end, "%s", l->end_to_end);
    t->amount = l->amount;
    t->execution = c->execution;
    snprintf(t->creditor.name, sizeof t->creditor.name, "%s", l->creditor);
    snprintf(t->creditor.iban, sizeof t->creditor.iban, "%s", l->iban);
    snprintf(t->creditor.bic, sizeof t->creditor.bic, "%s", l->bic);
    snprintf(t->creditor.street, sizeof t->creditor.street, "%s", l->street);
    snprintf(t->creditor.postcode, sizeof t->creditor.postcode, "%s", l->postcode);
    snprintf(t->creditor.town, sizeof t->creditor.town, "%s", l->town);
    snprintf(t->creditor.country, sizeof t->creditor.country, "%s", l->country);
    int y, m, d;
    date_to_ymd(l->month, &y, &m, &d);
    snprintf(t->remittance, sizeof t->remittance,
             "Loonkostensubsidie %04d-%02d beschikking %s zaak %lld", y, m, l->reference,
             (long long)l->case_id);
    return 0;
}

/* A read transaction for a multi-statement read, or none when the caller already holds
 * one (the router reads every GET in one): *own says whether to end it. */
static int read_begin(struct app *a, bool *own, struct lks_err *err)
{
    struct lks_err e = {0};
    int rc = store_read_begin(a->store, &e);
    *own = rc == 0;
    if (rc == LKS_ESTATE)
        return 0; /* inside the caller's transaction: read in it */
    if (rc && err)
        *err = e;
    return rc;
}

static int approved_run(struct app *a, const struct app_actor *who, int64_t id, struct payrun *r,
                        struct lks_err *err)
{
    int rc = app_payrun_get(a, who, id, r, err);
    if (rc == 0 && r->status != PAYRUN_APPROVED)
        rc = lks_err_set(err, LKS_ESTATE, "status", "not-approved",
                         "het betaalbestand bestaat pas als een tweede medewerker financiën de "
                         "betaalrun heeft goedgekeurd");
    return rc;
}

int app_payrun_parts(struct app *a, const struct app_actor *who, int64_t id, int *out,
                     struct lks_err *err)
{
    struct payrun r;
    int rc = approved_run(a, who, id, &r, err);
    if (rc)
        return rc;
    *out = (int)((r.nlines + SEPA_MAX_TX - 1) / SEPA_MAX_TX);
    return 0;
}

int app_payrun_sepa(struct app *a, const struct app_actor *who, int64_t id, int part,
                    struct buf *out, struct lks_err *err)
{
    struct payrun r;
    int rc = approved_run(a, who, id, &r, err);
    if (rc)
        return rc;
    int parts = (int)((r.nlines + SEPA_MAX_TX - 1) / SEPA_MAX_TX);
    if (part < 1 || part > parts)
        return lks_err_set(err, LKS_EINVAL, "deel", "out-of-range",
                           "deze betaalrun heeft %d bestand(en)", parts);
    struct sepa_file f = {0};
    if ((rc = app_pay_debtor(a, r.tenant, &f.debtor, err)))
        return rc;
    struct collect c = {NULL, 0, 0, (size_t)(part - 1) * SEPA_MAX_TX, SEPA_MAX_TX, 0, r.execution};
    bool own;
    if ((rc = read_begin(a, &own, err)))
        return rc;
    rc = store_payrun_lines(a->store, r.tenant, id, collect_line, &c, err);
    if (own)
        store_read_end(a->store);
    if (rc == 0) {
        char mid[64];
        snprintf(mid, sizeof mid, "LKS-%s-%lld-%d", r.tenant, (long long)id, part);
        copy_cut(f.msg_id, sizeof f.msg_id, mid);
        f.created = r.approved_at;
        f.tx = c.tx;
        f.ntx = c.n;
        rc = sepa_pain001(&f, out, err);
    }
    free(c.tx);
    return rc;
}

struct csv_out {
    FILE *out;
};

static int csv_line(void *arg, const struct payline *l)
{
    static const char *const st[] = {"open", "betaald", "teruggekomen", "geannuleerd"};
    FILE *o = arg;
    char b[MONEY_FMT_MAX], d[DATE_FMT_MAX], id[24];
    snprintf(id, sizeof id, "%lld", (long long)l->case_id);
    csv_value(o, id, 0);
    int y, m, dd;
    date_to_ymd(l->month, &y, &m, &dd);
    char mo[8];
    snprintf(mo, sizeof mo, "%04d-%02d", y, m);
    csv_value(o, mo, 0);
    csv_cell(o, l->creditor, 0);
    csv_cell(o, l->iban, 0);
    csv_value(o, money_fmt(b, l->amount), 0);
    csv_cell(o, l->reference, 0);
    csv_cell(o, l->end_to_end, 0);
    csv_value(o, (unsigned)l->status < 4 ? st[l->status] : "?", 0);
    csv_value(o, l->status_on != LKS_NO_DATE ? date_fmt(d, l->status_on) : "", 1);
    return 0;
}

int app_payrun_csv(struct app *a, const struct app_actor *who, int64_t id, FILE *out,
                   struct lks_err *err)
{
    struct payrun r;
    int rc = app_payrun_get(a, who, id, &r, err);
    if (rc)
        return rc;
    static const char *const head[] = {"zaak",    "maand",      "werkgever", "iban",       "bedrag",
                                       "kenmerk", "endToEndId", "status",    "statusdatum"};
    for (int i = 0; i < 9; i++)
        csv_cell(out, head[i], i == 8);
    bool own;
    if ((rc = read_begin(a, &own, err)))
        return rc;
    rc = store_payrun_lines(a->store, r.tenant, id, csv_line, out, err);
    if (own)
        store_read_end(a->store);
    return rc;
}

/* ---- the bank's answer ---- */

struct marker {
    struct app *a;
    const char *tenant;
    int64_t paid, returned, unknown;
    struct lks_err *err;
};

static int mark_one(void *arg, const struct sepa_status *st)
{
    struct marker *m = arg;
    struct lks_err e = {0};
    int rc = store_payline_mark(m->a->store, m->tenant, st->end_to_end,
                                st->booked ? PAYLINE_PAID : PAYLINE_RETURNED, st->on, &e);
    if (rc == LKS_ENOTFOUND) {
        m->unknown++;
        return 0;
    }
    if (rc) {
        *m->err = e;
        return rc;
    }
    if (st->booked)
        m->paid++;
    else
        m->returned++;
    return 0;
}

int app_payrun_bank(struct app *a, const struct app_actor *who, const char *xml, size_t n,
                    int64_t *paid, int64_t *returned, int64_t *unknown, struct lks_err *err)
{
    int rc = may_pay(who, err);
    if (rc)
        return rc;
    struct marker m = {a, who->tenant, 0, 0, 0, err};
    if ((rc = store_begin(a->store, err)))
        return rc;
    bool status_report = memmem(xml, n, "pain.002", 8) != NULL;
    rc = status_report ? sepa_read_pain002(xml, n, mark_one, &m, err)
                       : sepa_read_camt053(xml, n, mark_one, &m, err);
    if (rc) {
        store_rollback(a->store);
        return rc;
    }
    *paid = m.paid;
    *returned = m.returned;
    *unknown = m.unknown;
    return app_finish(a, 0, "bankafschrift", err);
}

/* ---- a case's payments ---- */

int app_case_paylines(struct app *a, const struct app_actor *who, int64_t case_id,
                      int (*cb)(void *arg, const struct payline *l), void *arg, struct lks_err *err)
{
    struct app_view *v = malloc(sizeof *v);
    if (!v)
        return lks_err_set(err, LKS_ENOMEM, "", "", "onvoldoende geheugen");
    int rc = app_view(a, who, case_id, LKS_NO_DATE, v, err); /* scope, as every read */
    free(v);
    if (rc)
        return rc;
    return store_case_paylines(a->store, who->tenant, case_id, cb, arg, err);
}

int app_actor_of_user(struct app *a, const char *tenant, const char *name, struct auth_user *u,
                      struct app_actor *out, struct lks_err *err)
{
    int rc = store_user_by_name(a->store, name, u, NULL, 0, NULL, NULL, err);
    if (rc == 0 && (!u->active || (tenant && strcmp(u->tenant, tenant) != 0)))
        rc = LKS_ENOTFOUND;
    if (rc == LKS_ENOTFOUND)
        return lks_err_set(err, LKS_ENOTFOUND, "gebruiker", "unknown",
                           "%s%s heeft geen actieve gebruiker %s", tenant ? "gemeente " : "",
                           tenant ? tenant : "de opslag", name);
    if (rc)
        return rc;
    out->tenant = u->tenant;
    out->user = u->name;
    out->role = u->role;
    out->kvk = u->kvk;
    return 0;
}

/* ---- the municipality's account ---- */

static bool bic_valid(const char *b)
{
    size_t n = strlen(b);
    if (n != 8 && n != 11)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = b[i];
        bool up = c >= 'A' && c <= 'Z', dig = c >= '0' && c <= '9';
        if (i < 6 ? !up : !(up || dig))
            return false;
    }
    return true;
}

int app_pay_settings_set(struct app *a, const struct app_actor *who, const struct pay_settings *in,
                         struct lks_err *err)
{
    struct pay_settings s = *in;
    if (who) {
        int rc = app_actor_check(who, err);
        if (rc)
            return rc;
        if (who->role != ROLE_BEHEERDER)
            return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                               "alleen een beheerder van de gemeente stelt de betaalrekening in");
        snprintf(s.tenant, sizeof s.tenant, "%s", who->tenant);
        snprintf(s.updated_by, sizeof s.updated_by, "%s", who->user);
    } else if (!s.updated_by[0])
        snprintf(s.updated_by, sizeof s.updated_by, "operator");
    char norm[IDS_NORM_MAX], why[IDS_REASON_MAX];
    if (case_text_blank(s.tenant))
        return lks_err_set(err, LKS_EINVAL, "gemeente", "missing", "noem de gemeente");
    if (case_text_blank(s.name))
        return lks_err_set(err, LKS_EINVAL, "naam", "missing",
                           "de naam van de rekeninghouder ontbreekt");
    if (!ids_iban_normalize(s.iban, norm, why))
        return lks_err_set(err, LKS_EINVAL, "iban", "invalid", "de IBAN klopt niet: %s", why);
    copy_cut(s.iban, sizeof s.iban, norm);
    if (!bic_valid(s.bic))
        return lks_err_set(err, LKS_EINVAL, "bic", "invalid",
                           "een BIC heeft 8 of 11 tekens, bijvoorbeeld BNGHNL2G");
    if (case_text_blank(s.town))
        return lks_err_set(err, LKS_EINVAL, "plaats", "missing",
                           "de plaats ontbreekt (de bank vraagt een gestructureerd adres)");
    if (!s.country[0])
        snprintf(s.country, sizeof s.country, "NL");
    if (strlen(s.country) != 2 || s.country[0] < 'A' || s.country[0] > 'Z' || s.country[1] < 'A' ||
        s.country[1] > 'Z')
        return lks_err_set(err, LKS_EINVAL, "land", "invalid",
                           "het land is een code van twee hoofdletters, bijvoorbeeld NL");
    s.updated_at = (int64_t)time(NULL);
    int rc = store_begin(a->store, err);
    if (rc)
        return rc;
    if ((rc = store_pay_settings_put(a->store, &s, err))) {
        store_rollback(a->store);
        return rc;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "betaalrekening/%s", s.tenant);
    return app_finish(a, 0, obj, err);
}

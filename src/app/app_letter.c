/*
 * app_letter — the letters through the app layer (see app.h): a municipality's settings
 * (who may change them: a beheerder), the letters made when their event is stored, inside
 * its transaction, and the letters fetched, in the actor's scope. The model and the PDF are
 * src/letter's; this file decides when a letter is made, that a stored one is never made
 * again, and who gets which.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/internal.h"
#include "rules/term.h"

void app_letter_settings_free(struct letter_settings *s)
{
    free(s->logo);
    s->logo = NULL;
    s->logo_len = 0;
}

void app_letter_free(struct app_letter *l)
{
    free(l->pdf);
    l->pdf = NULL;
    l->len = 0;
}

static int settings_of(struct app *a, const char *tenant, struct letter_settings *out,
                       struct lks_err *err)
{
    struct lks_err e2 = {0};
    int rc = store_letter_settings_get(a->store, tenant, out, &e2);
    if (rc == 0)
        return 0;
    if (rc != LKS_ENOTFOUND) {
        *err = e2;
        return rc;
    }
    struct tenant t;
    const char *name = store_tenant_get(a->store, tenant, &t, &e2) == 0 ? t.name : tenant;
    letter_settings_default(out, tenant, name);
    return 0;
}

int app_letter_settings(struct app *a, const struct app_actor *who, const char *tenant,
                        struct letter_settings *out, struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    if (who) {
        int rc = app_actor_check(who, err);
        if (rc)
            return rc;
        tenant = who->tenant;
    }
    return settings_of(a, tenant, out, err);
}

int app_letter_settings_set(struct app *a, const struct app_actor *who,
                            const struct letter_settings *in, struct lks_err *err)
{
    struct letter_settings s = *in;
    const char *by = "operator";
    if (who) {
        int rc = app_actor_check(who, err);
        if (rc)
            return rc;
        if (who->role != ROLE_BEHEERDER)
            return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                               "alleen een beheerder van de gemeente stelt de brieven in");
        snprintf(s.tenant, sizeof s.tenant, "%s", who->tenant);
        by = who->user;
    }
    if (case_text_blank(s.tenant))
        return lks_err_set(err, LKS_EINVAL, "gemeente", "missing", "noem de gemeente");
    if (case_text_blank(s.name))
        return lks_err_set(err, LKS_EINVAL, "naam", "missing", "de naam van de gemeente ontbreekt");
    if (case_text_blank(s.address))
        return lks_err_set(err, LKS_EINVAL, "adres", "missing", "het adres ontbreekt");
    if (case_text_blank(s.objection_address))
        return lks_err_set(err, LKS_EINVAL, "bezwaarAdres", "missing",
                           "het adres voor bezwaar ontbreekt (Awb art. 3:45)");
    if (strcmp(s.logo_type, "") && strcmp(s.logo_type, "png") && strcmp(s.logo_type, "svg"))
        return lks_err_set(err, LKS_EINVAL, "logo", "bad-type", "een logo is PNG of SVG");
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (!strcmp(s.logo_type, "png") &&
        (s.logo_len < 8 || !s.logo || memcmp(s.logo, png_sig, 8) != 0))
        return lks_err_set(err, LKS_EINVAL, "logo", "not-png", "het logo is geen PNG-bestand");
    if (!strcmp(s.logo_type, "svg") &&
        (!s.logo || !memmem(s.logo, s.logo_len < 4096 ? s.logo_len : 4096, "<svg", 4)))
        return lks_err_set(err, LKS_EINVAL, "logo", "not-svg", "het logo is geen SVG-bestand");
    if (s.logo_len > 512 * 1024)
        return lks_err_set(err, LKS_EINVAL, "logo", "too-large", "het logo is groter dan 512 KB");
    int rc = store_begin(a->store, err);
    if (rc)
        return rc;
    rc = store_letter_settings_put(a->store, &s, by, (int64_t)time(NULL), err);
    char obj[48];
    snprintf(obj, sizeof obj, "briefinstellingen/%s", s.tenant);
    return app_finish(a, rc, obj, err);
}

static void sha256_hex(const unsigned char *b, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, b, n);
    for (int i = 0; i < (int)sizeof h; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* Make one letter and store it in the open transaction. */
static int make_and_store(struct app *a, const struct case_state *cs,
                          const struct letter_settings *s, enum letter_kind kind, int n,
                          enum letter_to to, int64_t at, struct app_letter *out,
                          struct lks_err *err)
{
    struct letter *L = malloc(sizeof *L);
    if (!L)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    unsigned char *pdf = NULL;
    size_t len = 0;
    int rc = letter_build(L, a->rules, cs, s, kind, n, to, err);
    if (rc == 0)
        rc = letter_pdf(L, &pdf, &len, err);
    free(L);
    if (rc)
        return rc;
    struct store_letter sl = {.n = n, .created = at};
    snprintf(sl.kind, sizeof sl.kind, "%s", letter_kind_name(kind));
    snprintf(sl.recipient, sizeof sl.recipient, "%s", letter_to_name(to));
    sha256_hex(pdf, len, sl.sha256);
    rc = store_letter_put(a->store, cs->tenant, cs->id, &sl, pdf, len, err);
    if (rc == 0 && out) {
        out->pdf = pdf;
        out->len = len;
        memcpy(out->sha256, sl.sha256, sizeof out->sha256);
        out->created = at;
        pdf = NULL;
    }
    free(pdf);
    return rc;
}

int app_letters_for_event(struct app *a, const struct case_state *cs, const struct case_event *ev,
                          struct lks_err *err)
{
    if (a->letters_lazy)
        return 0;
    enum letter_kind kind;
    int n;
    if (ev->type == EV_BESCHIKKING_VERZONDEN) {
        n = cs->ndecisions;
        kind = (enum letter_kind)letter_kind_of(cs, n);
    } else if (ev->type == EV_BEZWAAR_BESLIST) {
        n = ev->d.bezwaar_beslist.index + 1;
        kind = LETTER_BEZWAAR;
    } else if (ev->type == EV_DIENSTVERBAND_BEEINDIGD || ev->type == EV_VERHUISD ||
               ev->type == EV_GEEN_DOELGROEP_MEER) {
        /* the end of a subsidy is a decision too: its letter is made and kept now */
        bool granted = false;
        for (int i = 0; i < cs->ndecisions; i++)
            granted = granted || cs->decision[i].kind != DEC_REFUSAL;
        if (!granted)
            return 0;
        n = 0;
        kind = LETTER_EINDE;
    } else {
        return 0;
    }
    struct letter_settings s;
    int rc = settings_of(a, cs->tenant, &s, err);
    if (rc)
        return rc;
    for (int to = LETTER_WERKGEVER; to <= LETTER_WERKNEMER && rc == 0; to++)
        rc = make_and_store(a, cs, &s, kind, n, (enum letter_to)to, ev->at, NULL, err);
    app_letter_settings_free(&s);
    return rc;
}

int app_letter(struct app *a, const struct app_actor *who, int64_t id, int kind, int n,
               enum letter_to to, struct app_letter *out, struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    struct app_view *v = malloc(sizeof *v);
    if (!v)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    /* the case as the case view reads it, in the actor's scope */
    int rc = app_view(a, who, id, LKS_NO_DATE, v, err);
    free(v);
    if (rc)
        return rc;
    const struct case_state *cs = a->cs;
    snprintf(out->bsn, sizeof out->bsn, "%s", cs->person.bsn);
    if (who && who->role == ROLE_WERKGEVER && to != LETTER_WERKGEVER)
        return lks_err_set(err, LKS_EFORBIDDEN, "voor", "other-addressee",
                           "een werkgever krijgt alleen de brief aan de werkgever");
    if (kind < 0) {
        kind = letter_kind_of(cs, n);
        if (kind < 0)
            return lks_err_set(err, LKS_ENOTFOUND, "beschikking", "not-found",
                               "beschikking %d bestaat niet", n);
    }
    if (kind == LETTER_EINDE)
        n = 0;
    out->kind = (enum letter_kind)kind;
    struct store_letter sl;
    struct lks_err e2 = {0};
    rc = store_letter_get(a->store, cs->tenant, id, letter_kind_name((enum letter_kind)kind), n,
                          letter_to_name(to), &sl, &out->pdf, &out->len, &e2);
    if (rc == 0) {
        memcpy(out->sha256, sl.sha256, sizeof out->sha256);
        out->created = sl.created;
        return 0;
    }
    if (rc != LKS_ENOTFOUND) {
        *err = e2;
        return rc;
    }
    /* not stored yet: make it now, store it, and it is this letter from now on */
    if ((rc = store_begin(a->store, err)))
        return rc;
    struct letter_settings s;
    rc = settings_of(a, cs->tenant, &s, err);
    if (rc == 0) {
        rc =
            make_and_store(a, cs, &s, (enum letter_kind)kind, n, to, (int64_t)time(NULL), out, err);
        app_letter_settings_free(&s);
    }
    if (rc == 0)
        rc = store_commit(a->store, err);
    if (rc) {
        store_rollback(a->store);
        app_letter_free(out);
    }
    a->cached_id = 0;
    if (rc == LKS_ESTATE) {
        /* another request stored this letter first: that one is the letter */
        struct lks_err e3 = {0};
        if (store_letter_get(a->store, cs->tenant, id, letter_kind_name((enum letter_kind)kind),
                             n, letter_to_name(to), &sl, &out->pdf, &out->len, &e3) == 0) {
            memcpy(out->sha256, sl.sha256, sizeof out->sha256);
            out->created = sl.created;
            memset(err, 0, sizeof *err);
            return 0;
        }
    }
    return rc;
}

int app_letter_preview(struct app *a, const struct app_actor *who, int64_t id, const json_t *cmd,
                       enum letter_to to, struct app_letter *out, struct lks_errlist *errs)
{
    memset(out, 0, sizeof *out);
    struct app_decision_preview *p = malloc(sizeof *p);
    struct app_view *v = malloc(sizeof *v);
    struct case_event *ev = calloc(1, sizeof *ev);
    struct letter *L = malloc(sizeof *L);
    struct lks_err e = {0};
    int rc = 0;
    if (!p || !v || !ev || !L) {
        rc = lks_err_set(&e, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
        goto out;
    }
    /* the decision as sending it would complete it (scope, role and data checked) */
    if ((rc = app_decision_preview(a, who, id, cmd, p, errs)))
        goto done;
    if (who && who->role == ROLE_WERKGEVER && to != LETTER_WERKGEVER) {
        rc = lks_err_set(&e, LKS_EFORBIDDEN, "voor", "other-addressee",
                         "een werkgever krijgt alleen de brief aan de werkgever");
        goto out;
    }
    /* the case as stored, then folded with that decision in the app's scratch state */
    if ((rc = app_view(a, who, id, LKS_NO_DATE, v, &e)))
        goto out;
    struct case_state *cs = a->cs;
    snprintf(out->bsn, sizeof out->bsn, "%s", cs->person.bsn);
    ev->type = EV_BESCHIKKING_VERZONDEN;
    ev->date = p->d.sent;
    ev->d.beschikking = p->d;
    if (who) {
        snprintf(ev->actor, sizeof ev->actor, "%s", who->user);
        ev->role = who->role;
    }
    if ((rc = case_apply(cs, ev, &e)))
        goto out;
    int n = cs->ndecisions, kind = letter_kind_of(cs, n);
    if (kind < 0) {
        rc = lks_err_set(&e, LKS_ESTATE, "soort", "no-letter",
                         "bij deze beschikking hoort geen brief");
        goto out;
    }
    out->kind = (enum letter_kind)kind;
    struct letter_settings s;
    if ((rc = settings_of(a, cs->tenant, &s, &e)))
        goto out;
    rc = letter_build(L, a->rules, cs, &s, (enum letter_kind)kind, n, to, &e);
    if (rc == 0)
        rc = letter_pdf(L, &out->pdf, &out->len, &e);
    app_letter_settings_free(&s);
    if (rc == 0)
        sha256_hex(out->pdf, out->len, out->sha256);
out:
    if (rc)
        *lks_errlist_add(errs) = e;
done:
    a->cached_id = 0; /* the scratch state holds a decision that was not stored */
    if (rc)
        app_letter_free(out);
    free(p);
    free(v);
    free(ev);
    free(L);
    return rc;
}

struct id_list {
    int64_t *id;
    int n, cap;
};

static int collect_id(void *arg, const char *tenant, int64_t id)
{
    (void)tenant;
    struct id_list *l = arg;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 256;
        int64_t *p = realloc(l->id, (size_t)cap * sizeof *p);
        if (!p)
            return LKS_ENOMEM;
        l->id = p;
        l->cap = cap;
    }
    l->id[l->n++] = id;
    return 0;
}

/* The revision letter of the re-indexation on `on` for case `id`, into *out: the case's
 * running grant with the amount the rules give for the month of `on` (case_month_amount, as
 * the case view asks it), from `on`, sent on `on`, the objection term from then (Awb 6:7,
 * 6:8, term_compute), folded in the scratch state only. LKS_ESTATE when no grant runs on
 * `on`. */
static int revision_letter(struct app *a, int64_t id, lks_date on, enum letter_to to,
                           const struct letter_settings *s, struct letter *L,
                           struct app_letter *out, struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    struct app_view *v = malloc(sizeof *v);
    if (!v)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    int rc = app_view(a, NULL, id, on, v, err);
    free(v);
    if (rc)
        return rc;
    struct case_state *cs = a->cs;
    const struct decision *last = NULL;
    for (int i = cs->ndecisions - 1; i >= 0 && !last; i--)
        if (cs->decision[i].kind != DEC_REFUSAL)
            last = &cs->decision[i];
    if (cs->status != ST_LOPEND || !last || last->from > on ||
        (last->to != LKS_NO_DATE && last->to < on) || cs->ndecisions >= CASE_MAX_DECISIONS)
        return lks_err_set(err, LKS_ESTATE, "zaak", "no-grant", "geen lopende subsidie op die dag");
    int y, m, d;
    date_to_ymd(on, &y, &m, &d);
    struct case_ctx ctx = {a->rules, NULL, on, LKS_NO_DATE, NULL, NULL};
    struct lks_result amount;
    if ((rc = case_month_amount(&ctx, cs, date_from_ymd(y, m, 1), &amount, err)))
        return rc;
    struct term_result t;
    if ((rc = term_compute(on, TERM_WEEKS, 6, &t, err)))
        return rc;
    struct decision dn = *last;
    dn.kind = DEC_REVISION;
    dn.sent = on;
    dn.from = on;
    dn.peildatum = on;
    dn.amount = amount.total;
    dn.subsidy = amount.subsidy;
    dn.allowance = amount.allowance;
    dn.objection_due = t.end;
    dn.reason[0] = '\0';
    cs->decision[cs->ndecisions++] = dn;
    snprintf(out->bsn, sizeof out->bsn, "%s", cs->person.bsn);
    out->kind = LETTER_HERZIENING;
    rc = letter_build(L, a->rules, cs, s, LETTER_HERZIENING, cs->ndecisions, to, err);
    if (rc == 0)
        rc = letter_pdf(L, &out->pdf, &out->len, err);
    if (rc == 0)
        sha256_hex(out->pdf, out->len, out->sha256);
    return rc;
}

int app_letters_revision(struct app *a, const char *tenant, lks_date on, enum letter_to to,
                         int (*cb)(void *arg, int64_t id, const struct app_letter *l),
                         void (*progress)(void *arg, int done, int total), void *arg, int *made,
                         int *skipped, struct lks_err *err)
{
    *made = *skipped = 0;
    struct id_list ids = {0};
    int rc = store_case_ids(a->store, tenant, collect_id, &ids, err);
    if (rc == LKS_ENOMEM)
        rc = lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    struct letter *L = malloc(sizeof *L);
    if (rc == 0 && !L)
        rc = lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    struct letter_settings s;
    bool have_settings = rc == 0 && (rc = settings_of(a, tenant, &s, err)) == 0;
    for (int i = 0; rc == 0 && i < ids.n; i++) {
        struct app_letter l;
        struct lks_err e = {0};
        int r = revision_letter(a, ids.id[i], on, to, &s, L, &l, &e);
        a->cached_id = 0; /* the scratch state holds a decision that was not stored */
        if (r == LKS_ESTATE) {
            ++*skipped;
        } else if (r) {
            *err = e;
            rc = r;
        } else {
            ++*made;
            rc = cb(arg, ids.id[i], &l);
        }
        app_letter_free(&l);
        if (progress)
            progress(arg, i + 1, ids.n);
    }
    if (have_settings)
        app_letter_settings_free(&s);
    free(L);
    free(ids.id);
    return rc;
}

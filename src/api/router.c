/*
 * router — the API's one table of routes and everything around a handler:
 * matching, authentication, tenant scoping, media types, the processing log
 * and problem+json. See api.h.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "api/internal.h"
#include "base/clock.h"
#include "case/process.h"
#include "store/plog.h"
#include "store/store_rules.h"
#include "web/web.h"

#define R(m, p, op, acc, fn)                                                                       \
    {                                                                                              \
        m, "/api/v1" p, op, acc, fn, -1                                                            \
    }
#define CMD(p, op, ev)                                                                             \
    {                                                                                              \
        "POST", "/api/v1/zaken/{id}/" p, op, API_CASE_WRITE, h_case_command, ev                    \
    }
#define EMP(p, op, ev)                                                                             \
    {                                                                                              \
        "POST", "/api/v1/werkgevers/{kvk}/" p, op, API_EMPLOYERS, h_employer_command, ev           \
    }

const struct api_route api_route_table[] = {
    R("GET", "/openapi.json", "getOpenapi", API_PUBLIC, h_openapi),
    R("POST", "/sessies", "postSessie", API_PUBLIC, h_login),
    R("DELETE", "/sessies/huidige", "deleteSessie", API_ANY_USER, h_logout),
    R("GET", "/gebruikers/ik", "getGebruikerIk", API_ANY_USER, h_me),
    R("PUT", "/gebruikers/ik/wachtwoord", "putWachtwoord", API_ANY_USER, h_password),
    /* after the literal "ik" routes above: the first route that matches a path and method
     * wins, and a login name has at least three characters, so "ik" is never one */
    R("GET", "/gebruikers", "listGebruikers", API_ADMIN, h_users),
    R("POST", "/gebruikers", "postGebruiker", API_ADMIN, h_user_new),
    R("GET", "/gebruikers/{naam}", "getGebruiker", API_ADMIN, h_user),
    R("PUT", "/gebruikers/{naam}/blokkering", "putBlokkering", API_ADMIN, h_user_block),
    R("PUT", "/gebruikers/{naam}/wachtwoord", "putGebruikerWachtwoord", API_ADMIN, h_user_password),
    R("POST", "/gebruikers/{naam}/tokens", "postToken", API_ADMIN, h_user_token_new),
    R("DELETE", "/gebruikers/{naam}/tokens/{label}", "deleteToken", API_ADMIN, h_user_token_revoke),
    R("GET", "/zaken", "listZaken", API_CASE_READ, h_cases),
    R("GET", "/werkvoorraad", "listWerkvoorraad", API_CASE_READ, h_worklist),
    R("POST", "/zaken", "postZaak", API_CASE_WRITE, h_case_new),
    R("GET", "/zaken/{id}", "getZaak", API_CASE_READ, h_case),
    R("GET", "/zaken/{id}/gebeurtenissen", "listGebeurtenissen", API_CASE_READ, h_case_events),
    /* the payment lines of a case (h_betaal.c), before the parts that match any name */
    R("GET", "/zaken/{id}/betaalregels", "listZaakBetaalregels", API_CASE_READ, h_case_paylines),
    R("GET", "/zaken/{id}/{onderdeel}", "getZaakOnderdeel", API_CASE_READ, h_case_part),
    R("GET", "/zaken/{id}/beschikkingen/{n}/brief", "getBeschikkingBrief", API_CASE_READ,
      h_case_letter),
    CMD("informatieverzoeken", "postInformatieverzoek", EV_INFORMATIE_GEVRAAGD),
    CMD("aanvullingen", "postAanvulling", EV_INFORMATIE_AANGEVULD),
    CMD("compleet", "postCompleet", EV_AANVRAAG_COMPLEET),
    CMD("toegangstoetsen", "postToegangstoets", EV_TOEGANGSTOETS_UITGEVOERD),
    CMD("loonwaardemetingen", "postLoonwaardemeting", EV_LOONWAARDEMETING_AANGEVRAAGD),
    CMD("loonwaarde", "postLoonwaarde", EV_LOONWAARDE_VASTGESTELD),
    CMD("forfait", "postForfait", EV_FORFAIT_AFGESPROKEN),
    CMD("beschikkingen", "postBeschikking", EV_BESCHIKKING_VERZONDEN),
    CMD("herbeoordelingen", "postHerbeoordeling", EV_HERBEOORDELING_GESTART),
    CMD("loonwaarde-ongewijzigd", "postLoonwaardeOngewijzigd", EV_LOONWAARDE_ONGEWIJZIGD),
    CMD("beeindiging", "postBeeindiging", EV_DIENSTVERBAND_BEEINDIGD),
    CMD("verhuizing", "postVerhuizing", EV_VERHUISD),
    CMD("geen-doelgroep-meer", "postGeenDoelgroepMeer", EV_GEEN_DOELGROEP_MEER),
    CMD("intrekking", "postIntrekking", EV_AANVRAAG_INGETROKKEN),
    CMD("bezwaren", "postBezwaar", EV_BEZWAAR_INGEDIEND),
    CMD("bezwaarbeslissingen", "postBezwaarbeslissing", EV_BEZWAAR_BESLIST),
    CMD("voorzieningen", "postVoorziening", EV_VOORZIENING_TOEGEKEND),
    CMD("voorzieningbeeindigingen", "postVoorzieningbeeindiging", EV_VOORZIENING_BEEINDIGD),
    CMD("betalingen", "postBetaling", EV_BETALING_VERRICHT),
    CMD("kosten", "postKosten", EV_KOSTEN_GEBOEKT),
    CMD("toewijzingen", "postToewijzing", EV_ZAAK_TOEGEWEZEN),
    R("POST", "/personen/zoeken", "zoekPersonen", API_MUNICIPAL, h_person_search),
    R("GET", "/personen/{id}", "getPersoon", API_MUNICIPAL, h_person),
    R("GET", "/personen/{id}/gebeurtenissen", "listPersoonGebeurtenissen", API_MUNICIPAL,
      h_person_events),
    {"POST", "/api/v1/personen/{id}/wijzigingen", "postPersoonWijziging", API_MUNICIPAL,
     h_person_command, PER_GEWIJZIGD},
    R("GET", "/werkgevers", "listWerkgevers", API_EMPLOYERS, h_employers),
    R("POST", "/werkgevers", "postWerkgever", API_EMPLOYERS, h_employer_new),
    R("GET", "/werkgevers/{kvk}", "getWerkgever", API_EMPLOYERS, h_employer),
    R("GET", "/werkgevers/{kvk}/gebeurtenissen", "listWerkgeverGebeurtenissen", API_EMPLOYERS,
      h_employer_events),
    EMP("wijzigingen", "postWerkgeverWijziging", EMP_GEWIJZIGD),
    EMP("iban-voorstellen", "postIbanVoorstel", EMP_IBAN_VOORGESTELD),
    EMP("iban-bevestigingen", "postIbanBevestiging", EMP_IBAN_BEVESTIGD),
    EMP("iban-afwijzingen", "postIbanAfwijzing", EMP_IBAN_AFGEWEZEN),
    R("GET", "/termijnen", "listTermijnen", API_MUNICIPAL, h_deadlines),
    R("GET", "/rapportages/meetfactoren", "getMeetfactoren", API_MUNICIPAL, h_report),
    R("GET", "/verwerkingen", "listVerwerkingen", API_AUDIT, h_processing_log),
    R("POST", "/berekeningen/loonkostensubsidie", "berekenLoonkostensubsidie", API_PUBLIC,
      h_calc_lks),
    R("POST", "/berekeningen/loondispensatie", "berekenLoondispensatie", API_PUBLIC, h_calc_ld),
    R("POST", "/berekeningen/inverdieneffect", "berekenInverdieneffect", API_PUBLIC, h_calc_ie),
    R("POST", "/berekeningen/termijn", "berekenTermijn", API_PUBLIC, h_calc_term),
    R("POST", "/berekeningen/toegangstoets", "berekenToegangstoets", API_PUBLIC, h_calc_toets),
    R("GET", "/regels", "getRegels", API_PUBLIC, h_rules),
    R("POST", "/regels/{tabel}", "postRegel", API_INSTALL, h_rule_add),
    R("GET", "/status", "getStatus", API_PUBLIC, h_status),
    /* the payment run (h_betaal.c): the app decides the role, financieel or auditor */
    R("GET", "/betaalruns", "listBetaalruns", API_MUNICIPAL, h_payruns),
    R("POST", "/betaalruns", "postBetaalrun", API_MUNICIPAL, h_payrun_new),
    R("GET", "/betaalruns/{id}", "getBetaalrun", API_MUNICIPAL, h_payrun),
    R("GET", "/betaalruns/{id}/regels", "listBetaalrunRegels", API_MUNICIPAL, h_payrun_lines),
    R("POST", "/betaalruns/{id}/goedkeuring", "postGoedkeuring", API_MUNICIPAL, h_payrun_approve),
    R("POST", "/betaalruns/{id}/annulering", "postAnnulering", API_MUNICIPAL, h_payrun_cancel),
    R("GET", "/betaalruns/{id}/sepa", "getBetaalrunSepa", API_MUNICIPAL, h_payrun_sepa),
    R("GET", "/betaalruns/{id}/lijst", "getBetaallijst", API_MUNICIPAL, h_payrun_csv),
    R("POST", "/bankafschriften", "postBankafschrift", API_MUNICIPAL, h_bank_statement),
};
const int api_route_n = sizeof api_route_table / sizeof api_route_table[0];

int api_route_count(void)
{
    return api_route_n;
}

void api_route_get(int i, struct api_route_info *out)
{
    out->method = api_route_table[i].method;
    out->path = api_route_table[i].path;
    out->operation = api_route_table[i].operation;
}

/* ---- per-thread resources ---- */

static void thread_free(void *p)
{
    struct api_thread *t = p;
    if (!t)
        return;
    app_free(&t->app);
    api_views_free(&t->views);
    store_close(t->store);
    free(t->rules);
    free(t);
}

/* The business date: today in Europe/Amsterdam, not in UTC (base/clock.h). */
static lks_date today(void)
{
    return clock_today();
}

/* ---- Server-Timing ---- */

/* The monotonic clock in nanoseconds: what Server-Timing measures with. */
static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * "Server-Timing: app;dur=1.234": milliseconds with three decimals from the request's
 * dispatch (t0, mono_ns) to now, when its response is ready. For a read of personal data
 * that is before the processing log's commit, which the answer then waits for; for a
 * password check it is when the check is done. One clock read and one header; a full
 * header table only leaves it out.
 */
static void server_timing(struct http_resp *r, int64_t t0)
{
    int64_t us = (mono_ns() - t0 + 500) / 1000;
    if (us < 0)
        us = 0;
    char v[40];
    snprintf(v, sizeof v, "app;dur=%lld.%03lld", (long long)(us / 1000), (long long)(us % 1000));
    http_resp_header(r, "Server-Timing", v);
}

static struct api_thread *thread_get(struct api *a, struct lks_err *err)
{
    struct api_thread *t = pthread_getspecific(a->key);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t) {
            lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
            return NULL;
        }
        t->base = a->cfg.rules;
        t->rules = malloc(sizeof *t->rules);
        if (!t->rules) {
            free(t);
            lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
            return NULL;
        }
        *t->rules = *t->base;
        t->rules_version = -1;
        t->view = *a;
        t->view.cfg.rules = t->rules;
        if (store_open(&t->store, a->cfg.db, 0, err)) {
            free(t->rules);
            free(t);
            return NULL;
        }
        if (app_init(&t->app, t->store, t->rules, today(), err)) {
            store_close(t->store);
            free(t->rules);
            free(t);
            return NULL;
        }
        pthread_setspecific(a->key, t);
    }
    t->app.today = today();
    return t;
}

/*
 * The thread's rules as the store has them now: the base with the store's rule rows,
 * rebuilt when a row was added (through any server of the store, or the CLI). On SQLite
 * this reads nothing while nothing was committed (the generation is the one checked
 * before); after a commit, or always on PostgreSQL (generation unknown), one count.
 * Rows are never changed or removed, so the same count means the same rows. On error the
 * thread keeps what it had and the request is refused: never a figure from a stale table.
 */
static int thread_rules(struct api_thread *t, struct lks_err *err)
{
    uint64_t gen = 0;
    if (store_generation(t->store, &gen, err))
        gen = 0;
    if (gen != 0 && gen == t->rules_gen)
        return 0;
    int64_t version;
    int rc = store_rules_version(t->store, &version, err);
    if (rc == 0 && version != t->rules_version) {
        struct rules *fresh = malloc(sizeof *fresh);
        if (!fresh)
            return lks_err_set(err, LKS_ENOMEM, "regels", "no-memory", "onvoldoende geheugen");
        *fresh = *t->base;
        rc = store_rules_apply(t->store, fresh, err);
        if (rc == 0) {
            *t->rules = *fresh; /* in place: the app and the view point here */
            t->rules_version = version;
        } else {
            fprintf(stderr, "api: de regels in de opslag zijn niet te gebruiken: %s\n", err->msg);
        }
        free(fresh);
    }
    t->rules_gen = rc == 0 ? gen : 0;
    return rc;
}

/* The GET routes whose app call opens its own read transaction (the payment run's bank
 * file and list, app_payrun_sepa/csv): the router opens none around them. */
static bool app_reads_itself(const struct api_route *r)
{
    return strcmp(r->operation, "getBetaalrunSepa") == 0 ||
           strcmp(r->operation, "getBetaallijst") == 0;
}

/* Whether a public route computes with the rule tables (and so needs a thread). */
static bool uses_rules(const struct api_route *r)
{
    return strcmp(r->operation, "berekenLoonkostensubsidie") == 0 ||
           strcmp(r->operation, "getRegels") == 0 || strcmp(r->operation, "getStatus") == 0 ||
           strcmp(r->operation, "pageRegels") == 0; /* the page /regels (web/p_regels.c) */
}

int api_init(struct api **out, const struct api_config *cfg, struct lks_err *err)
{
    struct api *a = calloc(1, sizeof *a);
    if (!a)
        return lks_err_set(err, LKS_ENOMEM, "", "no-memory", "onvoldoende geheugen");
    a->cfg = *cfg;
    clock_init(); /* the zone, before the HTTP threads start: setenv races with their getenv */
    /* the pages' templates: a template that does not load stops the server here */
    int trc = web_init(err);
    if (trc) {
        free(a);
        return trc;
    }
    if (pthread_key_create(&a->key, thread_free)) {
        free(a);
        return lks_err_set(err, LKS_ENOMEM, "", "no-key", "onvoldoende middelen");
    }
    struct auth_pool_config pc;
    auth_pool_settings_get(&pc);
    pc.db = cfg->db;
    int rc = auth_pool_start(&a->pool, &pc, err);
    if (rc) {
        pthread_key_delete(a->key);
        free(a);
        return rc;
    }
    *out = a;
    return 0;
}

void api_free(struct api *a)
{
    if (!a)
        return;
    auth_pool_stop(a->pool); /* answers what still waits: after http_stop, into the void */
    thread_free(pthread_getspecific(a->key));
    pthread_setspecific(a->key, NULL);
    pthread_key_delete(a->key);
    free(a);
}

/* ---- responses ---- */

void api_json(struct api_ctx *c, int status)
{
    if (jw_failed(&c->w)) {
        api_problem(c, 500, "Interne fout", "het antwoord kon niet worden samengesteld");
        return;
    }
    http_resp_body(c->resp, status, "application/json", c->w.buf ? c->w.buf : "{}",
                   c->w.buf ? c->w.len : 2);
}

void api_problem(struct api_ctx *c, int status, const char *title, const char *detail)
{
    if (c->page) { /* the desk's and the portal's pages answer in HTML (web/web.h) */
        web_problem(c, status, title, detail, NULL);
        return;
    }
    http_problem(c->resp, status, title, detail, c->req->path, NULL);
}

/* The HTTP status of an error: the process's own refusals are 409, a role that may
 * not give a command 403, what the caller may not see 404, bad input 400. */
static int status_of(const struct lks_err *e)
{
    switch (e->code) {
    case LKS_EINVAL:
    case LKS_ERANGE:
        return 400;
    case LKS_ENOTFOUND:
        return 404;
    case LKS_ESTATE:
        return 409;
    case LKS_EFORBIDDEN:
        return 403;
    case LKS_EUNAVAIL:
        return 503;
    default:
        return 500;
    }
}

static const char *title_of(int status)
{
    switch (status) {
    case 400:
        return "Ongeldige invoer";
    case 401:
        return "Niet ingelogd";
    case 403:
        return "Niet toegestaan";
    case 404:
        return "Niet gevonden";
    case 409:
        return "Niet mogelijk in deze stap van het werkproces";
    default:
        return "Interne fout";
    }
}

void api_fail(struct api_ctx *c, const struct lks_err *e)
{
    struct lks_errlist l = {0};
    l.e[l.n++] = *e;
    api_fail_list(c, &l);
}

void api_fail_list(struct api_ctx *c, const struct lks_errlist *errs)
{
    int status = errs->n ? status_of(&errs->e[0]) : 500;
    if (c->page) {
        const char *detail =
            status >= 500 && status != 503 ? "er ging iets mis; probeer het later opnieuw"
            : status == 404 ? "het gevraagde bestaat niet of u heeft er geen toegang toe"
            : errs->n       ? errs->e[0].msg
                            : "";
        web_problem(c, status, status == 503 ? "Tijdelijk niet beschikbaar" : title_of(status),
                    detail, status == 400 ? errs : NULL);
        return;
    }
    if (status == 503) { /* says what happened: nothing */
        http_problem(c->resp, status, "Tijdelijk niet beschikbaar", errs->e[0].msg, c->req->path,
                     NULL);
        return;
    }
    if (status >= 500) {
        http_problem(c->resp, status, title_of(status),
                     "er ging iets mis; probeer het later opnieuw", c->req->path, NULL);
        return;
    }
    const struct lks_errlist *params = status == 400 ? errs : NULL;
    const char *detail = errs->n ? errs->e[0].msg : "";
    if (status == 404)
        detail = "het gevraagde bestaat niet of u heeft er geen toegang toe";
    http_problem(c->resp, status, title_of(status), detail, c->req->path, params);
}

/* Digits only, no sign, space or leading zero, up to INT64_MAX: *out. */
static bool decimal_id(const char *s, int64_t *out)
{
    if (!s || *s < '1' || *s > '9')
        return false;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT64_MAX - (*s - '0')) / 10)
            return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return true;
}

bool api_param_id(struct api_ctx *c, int i, int64_t *out)
{
    /* "/zaken/ 4", "/zaken/+4" and "/zaken/04" name no case */
    if (!decimal_id(c->param[i], out)) {
        api_problem(c, 404, "Niet gevonden",
                    "het gevraagde bestaat niet of u heeft er geen "
                    "toegang toe");
        return false;
    }
    return true;
}

/* ---- lists ---- */

#define QUERY_VALUE_MAX 128 /* longer query values count as absent (http_req_query) */

/* Whether the raw query names this parameter (also when its value is too long to read). */
static bool query_has(const struct api_ctx *c, const char *name)
{
    size_t n = strlen(name);
    for (const char *q = c->req->query; q && *q;) {
        size_t len = strcspn(q, "&");
        if (len >= n && strncmp(q, name, n) == 0 && (len == n || q[n] == '='))
            return true;
        q += len;
        if (*q == '&')
            q++;
    }
    return false;
}

int64_t api_query_int(struct api_ctx *c, const char *name, int64_t def, int64_t lo, int64_t hi,
                      struct lks_errlist *errs)
{
    char buf[32];
    if (!http_req_query(c->req, name, buf, sizeof buf)) {
        if (!query_has(c, name))
            return def;
        buf[0] = '\0'; /* present, but too long for any number in range */
    }
    /* an optional '-' and digits, nothing else; past int64 is out of range, not clamped */
    const char *d = buf[0] == '-' ? buf + 1 : buf;
    bool ok = *d != '\0';
    int64_t v = 0;
    for (; ok && *d; d++) {
        int digit = *d - '0';
        ok = digit >= 0 && digit <= 9 && v <= (INT64_MAX - digit) / 10;
        v = ok ? v * 10 + digit : v;
    }
    if (buf[0] == '-')
        v = -v;
    if (!ok || v < lo || v > hi) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, name, "out-of-range",
                    "moet een geheel getal van %lld tot en met %lld zijn", (long long)lo,
                    (long long)hi);
        return def;
    }
    return v;
}

void api_page_parse(struct api_ctx *c, struct api_page *p, struct lks_errlist *errs)
{
    memset(p, 0, sizeof *p);
    p->page = (int)api_query_int(c, "page", 1, 1, API_PAGE_MAX, errs);
    p->size = (int)api_query_int(c, "pageSize", API_PAGE_SIZE_DEFAULT, 1, API_PAGE_SIZE_MAX, errs);
    p->skip = (p->page - 1) * p->size;
}

_Static_assert((long long)API_PAGE_MAX *API_PAGE_SIZE_MAX < 2147483647LL,
               "a page's last item fits an int");
_Static_assert(API_PAGE_SIZE_MAX < API_LOG_MAX, "a page of cases fits a request's log entries");

int api_page_limit(const struct api_page *p)
{
    return p->page * p->size + 1;
}

enum api_page_step api_page_next(struct api_page *p)
{
    if (p->skip > 0) {
        p->skip--;
        return API_PAGE_SKIP;
    }
    if (p->n == p->size) {
        p->more = true;
        return API_PAGE_END;
    }
    p->n++;
    return API_PAGE_TAKE;
}

void api_page_open(struct api_ctx *c)
{
    jw_obj_open(&c->w);
    jw_key(&c->w, "resultaten");
    jw_arr_open(&c->w);
}

/* Percent-encode s into f: unreserved characters stay, and '/' when slash is set. */
static void url_put(FILE *f, const char *s, bool slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool keep = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~' ||
                    (slash && *p == '/');
        if (keep)
            fputc(*p, f);
        else
            fprintf(f, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
}

/* One link of the Link header: this path with a page, the page size and the kept filters. */
static void page_link(FILE *f, struct api_ctx *c, const char *const *keep, int page, int size,
                      const char *rel)
{
    fputc('<', f);
    url_put(f, c->req->path, true);
    fprintf(f, "?page=%d&pageSize=%d", page, size);
    char v[QUERY_VALUE_MAX];
    for (int i = 0; keep && keep[i] && i < API_PAGE_KEEP_MAX; i++) {
        if (!http_req_query(c->req, keep[i], v, sizeof v))
            continue;
        fputc('&', f);
        url_put(f, keep[i], false);
        fputc('=', f);
        url_put(f, v, false);
    }
    fprintf(f, ">; rel=\"%s\"", rel);
}

static void page_links(struct api_ctx *c, const struct api_page *p, const char *const *keep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return; /* the page itself is still right; only its links are missing */
    page_link(f, c, keep, 1, p->size, "first");
    if (p->page > 1) {
        fputs(", ", f);
        page_link(f, c, keep, p->page - 1, p->size, "prev");
    }
    if (p->more) {
        fputs(", ", f);
        page_link(f, c, keep, p->page + 1, p->size, "next");
    }
    if (fclose(f) == 0 && buf)
        http_resp_header(c->resp, "Link", buf);
    free(buf);
}

void api_page_close(struct api_ctx *c, const struct api_page *p, const char *const *keep)
{
    jw_arr_close(&c->w);
    jw_kint(&c->w, "pagina", p->page);
    jw_kint(&c->w, "paginaGrootte", p->size);
    page_links(c, p, keep);
}

void api_page_answer(struct api_ctx *c, const struct api_page *p, const char *const *keep)
{
    api_page_close(c, p, keep);
    jw_obj_close(&c->w);
    api_json(c, 200);
}

/*
 * A request's processing-log entries. What differs per entry is kept per entry, what
 * they share (who, for which municipality, why, which request) once: the report makes
 * an entry per person of a municipality. Once submitted, the plog writer's until the
 * last unit is done (log_done).
 */
struct api_log_item {
    int64_t at_us;
    int action;
    char bsn[sizeof((struct plog_entry *)0)->bsn];
    char object[sizeof((struct plog_entry *)0)->object];
};

struct api_log {
    struct http_pending *pending;
    char *path;               /* for the 503's instance */
    bool page;                /* the answer is a page: the 503 is one too */
    struct plog_entry common; /* the fields every entry of the request has alike */
    int n, cap;
    struct api_log_item *item;
    atomic_int units;   /* units submitted and not done yet, plus one while submitting */
    atomic_bool failed; /* a unit was refused or not committed: the answer is 503 */
    int64_t t0;         /* the request's dispatch, for the 503's Server-Timing */
};

_Static_assert(API_LOG_MAX <= PLOG_SUBMIT_MAX,
               "every route but the report submits its entries as one unit (one transaction)");

/* The entries a request of this route may make. */
static int log_max(const struct api_ctx *c)
{
    return c->route && strcmp(c->route->operation, "getMeetfactoren") == 0 ? API_LOG_REPORT_MAX
                                                                           : API_LOG_MAX;
}

static void log_free(struct api_log *l)
{
    if (!l)
        return;
    free(l->path);
    free(l->item);
    free(l);
}

/* What every entry of a request says besides its action, person and object. */
static void log_common(const struct api_ctx *c, struct plog_entry *e)
{
    memset(e, 0, sizeof *e);
    snprintf(e->tenant, sizeof e->tenant, "%s", c->user.tenant);
    snprintf(e->user, sizeof e->user, "%s", c->user.name);
    snprintf(e->system, sizeof e->system, "lks-api");
    snprintf(e->kinds, sizeof e->kinds, "identiteit, arbeidsbeperking, loon, uitkering");
    snprintf(e->purpose, sizeof e->purpose, "uitvoering loonkostensubsidie (Pw art. 10c/10d)");
    snprintf(e->confidentiality, sizeof e->confidentiality, "vertrouwelijk");
    e->retention_years = 7;
    snprintf(e->request_id, sizeof e->request_id, "%llu", (unsigned long long)c->req->id);
}

int api_log_now(struct api_ctx *c, int action, const char *bsn, const char *object,
                struct lks_err *err)
{
    struct plog_entry e;
    log_common(c, &e);
    e.action = (enum plog_action)action;
    snprintf(e.bsn, sizeof e.bsn, "%s", bsn ? bsn : "");
    snprintf(e.object, sizeof e.object, "%s", object);
    struct lks_err why = {0};
    if (plog_write(c->api->cfg.plog, &e, &why)) {
        fprintf(stderr, "api: verwerkingenlog weigert %s: %s\n", object, why.msg);
        return lks_err_set(err, LKS_EUNAVAIL, "verwerkingenlog", "log-refused",
                           "de verwerking kon niet worden vastgelegd; er is niets gewijzigd, "
                           "probeer het opnieuw");
    }
    return 0;
}

void api_log(struct api_ctx *c, int action, const char *bsn, const char *object)
{
    if (c->log_failed)
        return;
    struct api_log *l = c->log;
    if (!l) {
        if (!(l = calloc(1, sizeof *l))) {
            c->log_failed = true;
            return;
        }
        log_common(c, &l->common);
        c->log = l;
    }
    if (l->n == l->cap) {
        int max = log_max(c);
        if (l->cap >= max) {
            c->log_failed = true; /* past the route's limit (elsewhere a bug: see API_LOG_MAX) */
            return;
        }
        int cap = l->cap ? l->cap * 2 : 1;
        if (cap > max)
            cap = max;
        struct api_log_item *item = realloc(l->item, (size_t)cap * sizeof *item);
        if (!item) {
            c->log_failed = true;
            return;
        }
        l->item = item;
        l->cap = cap;
    }
    struct api_log_item *it = &l->item[l->n++];
    memset(it, 0, sizeof *it);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    it->at_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    it->action = action;
    snprintf(it->bsn, sizeof it->bsn, "%s", bsn ? bsn : "");
    snprintf(it->object, sizeof it->object, "%s", object);
}

/* Entry i of the request in full. */
static void log_entry(const struct api_log *l, int i, struct plog_entry *e)
{
    *e = l->common;
    e->at_us = l->item[i].at_us;
    e->action = (enum plog_action)l->item[i].action;
    memcpy(e->bsn, l->item[i].bsn, sizeof e->bsn);
    memcpy(e->object, l->item[i].object, sizeof e->object);
}

#define LOG_FAILED_TITLE  "Tijdelijk niet beschikbaar"
#define LOG_FAILED_DETAIL "de verwerking kon niet worden vastgelegd; probeer het opnieuw"

/* Every unit is done: send the kept answer if all were committed, else 503. */
static void log_finish(struct api_log *l)
{
    if (!atomic_load(&l->failed)) {
        http_complete(l->pending, NULL);
    } else {
        struct http_resp r = {0};
        if (l->page)
            web_problem_resp(&r, 503, LOG_FAILED_TITLE, LOG_FAILED_DETAIL);
        else
            http_problem(&r, 503, LOG_FAILED_TITLE, LOG_FAILED_DETAIL, l->path, NULL);
        server_timing(&r, l->t0);
        http_complete(l->pending, &r);
        http_resp_free(&r);
    }
    log_free(l);
}

/* The plog writer: one unit of the request's entries is committed (rc 0) or not. */
static void log_done(void *arg, int rc)
{
    struct api_log *l = arg;
    if (rc)
        atomic_store(&l->failed, true);
    if (atomic_fetch_sub(&l->units, 1) == 1)
        log_finish(l);
}

/*
 * The handler is done: an answer with personal data waits (without holding
 * this thread) until the request's log entries are durable. What cannot be
 * logged is not sent: 503 instead, at once or when the commit fails.
 */
static void log_and_answer(struct api_ctx *c)
{
    struct http_resp *resp = c->resp;
    struct api_log *l = c->log;
    c->log = NULL;
    bool disclosed = resp->status >= 200 && resp->status < 400;
    if (c->log_failed && disclosed) {
        http_resp_free(resp);
        api_problem(c, 503, LOG_FAILED_TITLE, LOG_FAILED_DETAIL);
    }
    /* the answer is ready: what comes after (the log's commit) is waiting, not work */
    server_timing(resp, c->t0);
    if (!l || l->n == 0 || c->log_failed || !disclosed) {
        log_free(l); /* nothing disclosed, nothing to log */
        return;
    }
    l->pending = http_defer(c->req);
    if (!l->pending) {
        log_free(l);
        http_resp_free(resp);
        api_problem(c, 503, LOG_FAILED_TITLE, LOG_FAILED_DETAIL);
        server_timing(resp, c->t0);
        return;
    }
    l->t0 = c->t0;
    l->path = strdup(c->req->path); /* NULL: a 503 without an instance */
    l->page = c->page;
    /* In units of at most PLOG_SUBMIT_MAX entries, one transaction each (more than one
     * only for the report). The answer waits for all; when one is refused (closing, an
     * invalid entry, no memory) or not committed, the kept answer is never sent. Units
     * committed before stay: the log may hold more than was sent, never less. */
    int size = l->n < PLOG_SUBMIT_MAX ? l->n : PLOG_SUBMIT_MAX;
    struct plog_entry *unit = malloc((size_t)size * sizeof *unit);
    atomic_init(&l->units, 1); /* this thread's, until every unit is submitted */
    atomic_init(&l->failed, unit == NULL);
    for (int i = 0; unit && i < l->n; i += size) {
        int k = l->n - i < size ? l->n - i : size;
        for (int j = 0; j < k; j++)
            log_entry(l, i + j, &unit[j]);
        atomic_fetch_add(&l->units, 1);
        struct lks_err err = {0};
        if (plog_submit(c->api->cfg.plog, unit, k, log_done, l, &err) != 0) {
            atomic_fetch_sub(&l->units, 1); /* never reaches log_done */
            atomic_store(&l->failed, true);
            break;
        }
    }
    free(unit);
    if (atomic_fetch_sub(&l->units, 1) == 1)
        log_finish(l); /* else the last log_done answers */
}

/* ---- password checks on the pool ---- */

#define BUSY_DETAIL "te veel inlogpogingen tegelijk; probeer het zo opnieuw"

static void busy_answer(struct http_resp *r, const char *path)
{
    http_problem(r, 503, "Tijdelijk niet beschikbaar", BUSY_DETAIL, path, NULL);
    http_resp_header(r, "Retry-After", "1");
}

/* On a thread of the pool: the check is done; answer the deferred request. */
static void wait_done(void *arg, const struct auth_job_result *res)
{
    struct api_wait *w = arg;
    struct http_resp r = {0};
    if (w->is_page && res->rc != 0 && res->rc != LKS_EINVAL) {
        web_busy_page(&r);
        http_resp_header(&r, "Retry-After", "1");
    } else if (res->rc == LKS_ENOMEM && strcmp(res->err.reason, "busy") == 0) {
        busy_answer(&r, w->path);
    } else if (res->rc == LKS_EIO || res->rc == LKS_ENOMEM) {
        http_problem(&r, 503, "Tijdelijk niet beschikbaar",
                     "de wachtwoordcontrole is niet beschikbaar; probeer het zo opnieuw", w->path,
                     NULL);
        http_resp_header(&r, "Retry-After", "1");
    } else {
        w->render(&r, res, w);
    }
    if (r.status == 0)
        http_problem(&r, 500, "Interne fout", "er ging iets mis; probeer het later opnieuw",
                     w->path, NULL);
    server_timing(&r, w->t0);
    http_complete(w->pending, &r);
    http_resp_free(&r);
    free(w);
}

static void password_job(struct api_ctx *c, const struct auth_job *job, api_wait_render render,
                         const char *page);

void api_password_job(struct api_ctx *c, const struct auth_job *job, api_wait_render render)
{
    password_job(c, job, render, NULL);
}

void api_password_job_page(struct api_ctx *c, const struct auth_job *job, api_wait_render render,
                           const char *note)
{
    password_job(c, job, render, note ? note : "");
}

static void password_job(struct api_ctx *c, const struct auth_job *job, api_wait_render render,
                         const char *page)
{
    /* What this thread answers itself is never sent once deferred: every path below
     * completes the pending with its own answer. */
    http_resp_body(c->resp, 204, NULL, NULL, 0);
    struct api_wait *w = calloc(1, sizeof *w);
    if (w)
        w->pending = http_defer(c->req);
    if (!w || !w->pending) {
        free(w);
        http_resp_free(c->resp);
        busy_answer(c->resp, c->req->path);
        return;
    }
    w->t0 = c->t0;
    w->render = render;
    w->secure_cookies = c->api->cfg.secure_cookies;
    if (page) {
        w->is_page = true;
        snprintf(w->page, sizeof w->page, "%s", page);
    }
    snprintf(w->path, sizeof w->path, "%s", c->req->path);
    struct lks_err e = {0};
    if (auth_pool_submit(c->api->pool, job, wait_done, w, &e) != 0) {
        struct http_resp r = {0};
        busy_answer(&r, w->path);
        server_timing(&r, w->t0);
        http_complete(w->pending, &r);
        http_resp_free(&r);
        free(w);
    }
}

void api_client_addr(const struct api_ctx *c, char out[AUTH_ADDR_CHARS])
{
    /* behind the TLS proxy (lks serve --tls-proxy) the proxy's X-Forwarded-For names it */
    auth_client_addr(c->req->remote, http_req_header(c->req, "X-Forwarded-For"),
                     c->api->cfg.secure_cookies, out);
}

bool api_case_view(struct api_ctx *c, int64_t id, lks_date on, struct app_view *v)
{
    struct lks_err e = {0};
    if (app_view(&c->t->app, &c->who, id, on, v, &e)) {
        api_fail(c, &e);
        return false;
    }
    return true;
}

/* ---- idempotency keys and what a change makes durable before it commits ---- */

#define IDEM_KEEP_S 86400 /* a key is kept a day */

/* The app's before_commit for this request (app.h): the processing-log entry of a case's
 * change is durable before the change commits (so a change is never committed without
 * it), and the request's idempotency key commits with the change. */
static int before_commit(void *arg, const struct app_change *ch, struct lks_err *err)
{
    struct api_ctx *c = arg;
    if (c->idem.key[0] && !c->idem_reserved) {
        c->idem.case_id = ch->case_id;
        snprintf(c->idem.bsn, sizeof c->idem.bsn, "%s", ch->bsn);
        snprintf(c->idem.object, sizeof c->idem.object, "%s", ch->bsn[0] ? ch->object : "");
        int rc = store_idem_reserve(c->t->store, &c->idem, c->idem.created - IDEM_KEEP_S, err);
        if (rc)
            return rc;
        c->idem_reserved = true;
    }
    /* a change of personal data is logged before it commits */
    if (ch->bsn[0])
        return api_log_now(c, ch->created ? PLOG_CREATE : PLOG_UPDATE, ch->bsn, ch->object, err);
    return 0;
}

/* A key is 1–64 of A-Z, a-z, 0-9 and - _ . : (a UUID fits). */
static bool idem_key_ok(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > STORE_IDEM_KEY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'A' && k[i] <= 'Z') || (k[i] >= 'a' && k[i] <= 'z') ||
              (k[i] >= '0' && k[i] <= '9') || strchr("-_.:", k[i])))
            return false;
    return true;
}

/* The routes whose answer is never kept: a token is shown once. */
static bool idem_kept(const struct api_route *r)
{
    return strcmp(r->operation, "postToken") != 0 && strcmp(r->operation, "postSessie") != 0;
}

/*
 * A POST with an Idempotency-Key of a logged-in user: the key's earlier answer when the
 * same request came with it before (true: answered), a refusal when the key came with
 * another request or its first request has no recorded answer (true), or false to go on
 * with c->idem filled so the change and the key commit together.
 */
static bool idem_begin(struct api_ctx *c, const struct api_route *r)
{
    const char *key = http_req_header(c->req, "Idempotency-Key");
    if (!key || strcmp(c->req->method, "POST") != 0 || !idem_kept(r))
        return false;
    if (!idem_key_ok(key)) {
        struct lks_errlist l = {0};
        lks_err_set(lks_errlist_add(&l), LKS_EINVAL, "Idempotency-Key", "invalid",
                    "moet 1 tot %d tekens zijn: letters, cijfers en - _ . :", STORE_IDEM_KEY_MAX);
        api_fail_list(c, &l);
        return true;
    }
    struct store_idem *m = &c->idem;
    snprintf(m->user, sizeof m->user, "%s", c->user.name);
    snprintf(m->key, sizeof m->key, "%s", key);
    m->created = (int64_t)time(NULL);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    const char *parts[] = {c->req->method, "\n", c->req->path, "\n", c->req->query, "\n"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
    crypto_hash_sha256_update(&st, (const unsigned char *)c->req->body, c->req->body_len);
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(m->hash, sizeof m->hash, h, sizeof h);
    struct store_idem had;
    char *body = NULL;
    size_t len = 0;
    struct lks_err e = {0};
    int rc = store_idem_get(c->t->store, m->user, key, &had, &body, &len, &e);
    if (rc == LKS_ENOTFOUND || (rc == 0 && had.created < m->created - IDEM_KEEP_S)) {
        free(body);
        return false;
    }
    if (rc) {
        api_fail(c, &e);
        return true;
    }
    if (strcmp(had.hash, m->hash) != 0) {
        api_problem(c, 409, "Niet mogelijk",
                    "deze Idempotency-Key is al gebruikt voor een ander verzoek; kies een nieuwe");
    } else if (had.status == 0 || !body) {
        if (had.case_id) {
            char loc[64];
            snprintf(loc, sizeof loc, "/api/v1/zaken/%lld", (long long)had.case_id);
            http_resp_header(c->resp, "Location", loc);
        }
        api_problem(c, 409, "Niet mogelijk",
                    "een verzoek met deze Idempotency-Key is al verwerkt of nog bezig; het "
                    "resultaat staat bij Location of volgt");
    } else {
        /* the first answer, as it was sent; it discloses what it disclosed then */
        http_resp_body(c->resp, had.status, had.content_type, body, len);
        if (had.location[0])
            http_resp_header(c->resp, "Location", had.location);
        if (had.bsn[0] || had.object[0])
            api_log(c, PLOG_READ, had.bsn, had.object[0] ? had.object : "idempotent-antwoord");
    }
    free(body);
    return true;
}

/* Keep the answer of a POST that came with a key, so a repeat gets it. */
static void idem_end(struct api_ctx *c)
{
    struct http_resp *resp = c->resp;
    if (!c->idem.key[0] || resp->status < 200 || resp->status > 299)
        return;
    struct store_idem *m = &c->idem;
    m->status = resp->status;
    snprintf(m->content_type, sizeof m->content_type, "%s", resp->content_type);
    m->location[0] = '\0';
    for (int i = 0; i < resp->nheaders; i++)
        if (strcasecmp(resp->header[i][0], "Location") == 0)
            snprintf(m->location, sizeof m->location, "%s", resp->header[i][1]);
    struct lks_err e = {0};
    if (store_idem_finish(c->t->store, m, resp->body, resp->body_len, &e))
        fprintf(stderr, "api: antwoord bij Idempotency-Key niet bewaard: %s\n", e.msg);
}

/* ---- matching ---- */

/* Match a path against a pattern with {name} segments; fills params. */
static bool match(const char *pattern, const char *path, struct api_ctx *c)
{
    int np = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            size_t n = strcspn(s, "/");
            if (!close || n == 0 || n >= sizeof c->param_buf[0] || np >= API_MAX_PARAMS)
                return false;
            memcpy(c->param_buf[np], s, n);
            c->param_buf[np][n] = '\0';
            c->param[np] = c->param_buf[np];
            np++;
            p = close + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

static bool allowed(const struct api_route *r, const struct app_actor *who)
{
    switch (r->access) {
    case API_PUBLIC:
    case API_ANY_USER:
        return true;
    case API_CASE_READ:
        return app_may(who, APP_CAP_CASES);
    case API_CASE_WRITE:
        return app_may(who, APP_CAP_COMMANDS);
    case API_MUNICIPAL:
        return app_may(who, APP_CAP_MUNICIPAL);
    case API_EMPLOYERS:
        return app_may(who, APP_CAP_EMPLOYERS);
    case API_AUDIT:
        return app_may(who, APP_CAP_AUDIT);
    case API_ADMIN:
        return app_may(who, APP_CAP_USERS);
    case API_INSTALL:
        return app_may(who, APP_CAP_RULES);
    }
    return false;
}

/*
 * Session cookie or API token; fills c->user. Inside a read transaction (c->gen set)
 * nothing is written and what the thread checked before is used again while the store
 * is unchanged; a session to refresh or remove sets *after (auth_session_after, once
 * the transaction is over). Otherwise the check writes what it must itself.
 */
static bool authenticate(struct api_ctx *c, bool *via_cookie, bool *after, char *tok, size_t n)
{
    struct lks_err e = {0};
    const char *authz = http_req_header(c->req, "Authorization");
    *via_cookie = false;
    *after = false;
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0)
        return auth_token_check_cached(c->t->store, c->gen ? &c->t->auth : NULL, c->gen, authz + 7,
                                       &c->user, &e) == 0;
    if (!http_req_cookie(c->req, "lks_sessie", tok, n))
        return false;
    struct auth_session se;
    int64_t now = (int64_t)time(NULL);
    int rc = c->gen ? auth_session_check_cached(c->t->store, &c->t->auth, c->gen, tok, now,
                                                &c->user, &se, after, &e)
                    : auth_session_check(c->t->store, tok, now, &c->user, &se, &e);
    if (rc)
        return false;
    memcpy(c->csrf, se.csrf, sizeof c->csrf);
    *via_cookie = true;
    return true;
}

/* ---- media types (RFC 9110 §8.3, §12.5.1) ---- */

static bool tchar(char ch)
{
    unsigned char u = (unsigned char)ch;
    return u > 32 && u < 127 && !strchr("\"(),/:;<=>?@[\\]{}", u);
}

static const char *ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A token at p: its length (0: none). */
static size_t token(const char *p)
{
    size_t n = 0;
    while (tchar(p[n]))
        n++;
    return n;
}

/* "type/subtype" at p: the lengths of both; false when p is not one. */
static bool media_range(const char *p, size_t *tn, size_t *sn)
{
    *tn = token(p);
    if (!*tn || p[*tn] != '/')
        return false;
    *sn = token(p + *tn + 1);
    return *sn > 0;
}

/*
 * The parameters after a media type at p, up to ',' or the end: each `; name=value`
 * (a token or a quoted string). Calls back with each; returns where it stopped, or NULL
 * when it is not well formed.
 */
static const char *media_params(const char *p,
                                bool (*each)(void *, const char *, size_t, const char *, size_t),
                                void *arg)
{
    for (;;) {
        p = ows(p);
        if (*p != ';')
            return p;
        p = ows(p + 1);
        if (!*p || *p == ',')
            return p; /* "application/json;": an empty one, as clients send it */
        size_t nn = token(p);
        if (!nn || p[nn] != '=')
            return NULL;
        const char *name = p, *v = p + nn + 1;
        size_t vn;
        if (*v == '"') {
            const char *q = v + 1;
            while (*q && *q != '"')
                q += q[0] == '\\' && q[1] ? 2 : 1;
            if (*q != '"')
                return NULL;
            vn = (size_t)(q + 1 - v);
        } else {
            vn = token(v);
            if (!vn)
                return NULL;
        }
        if (each && !each(arg, name, nn, v, vn))
            return NULL;
        p = v + vn;
    }
}

/* A charset parameter of a JSON body may only say UTF-8 (RFC 8259 §8.1). */
static bool json_param(void *arg, const char *name, size_t nn, const char *v, size_t vn)
{
    (void)arg;
    if (nn != 7 || strncasecmp(name, "charset", 7) != 0)
        return true;
    if (vn >= 2 && v[0] == '"') {
        v++;
        vn -= 2;
    }
    return vn == 5 && strncasecmp(v, "utf-8", 5) == 0;
}

/* Content-Type: application/json with optional parameters, nothing else. */
static bool content_is_json(const char *ct)
{
    if (!ct)
        return false;
    const char *p = ows(ct);
    size_t tn, sn;
    if (!media_range(p, &tn, &sn) || tn != 11 || sn != 4 ||
        strncasecmp(p, "application/json", 16) != 0)
        return false;
    const char *end = media_params(p + 16, json_param, NULL);
    return end && *ows(end) == '\0';
}

/* Content-Type: application/xml or text/xml, any parameters (the XML says its encoding). */
static bool content_is_xml(const char *ct)
{
    if (!ct)
        return false;
    const char *p = ows(ct);
    size_t tn, sn;
    if (!media_range(p, &tn, &sn) || sn != 3 ||
        !((tn == 11 && strncasecmp(p, "application/xml", 15) == 0) ||
          (tn == 4 && strncasecmp(p, "text/xml", 8) == 0)))
        return false;
    return true;
}

/* The q of a weight parameter in thousandths; -1 when it is not a qvalue. */
static int qvalue(const char *v, size_t vn)
{
    if (vn == 0 || (v[0] != '0' && v[0] != '1') || (vn > 1 && (v[1] != '.' || vn > 5)))
        return -1;
    int q = (v[0] - '0') * 1000, scale = 100;
    for (size_t i = 2; i < vn; i++, scale /= 10) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        q += (v[i] - '0') * scale;
    }
    return q > 1000 ? -1 : q;
}

struct weight {
    int q; /* thousandths; -1: malformed */
};

static bool weight_param(void *arg, const char *name, size_t nn, const char *v, size_t vn)
{
    struct weight *w = arg;
    if (nn == 1 && (name[0] == 'q' || name[0] == 'Q'))
        w->q = qvalue(v, vn);
    return w->q >= 0;
}

/*
 * Whether an Accept header takes `type` ("application/json", "text/csv"): the most
 * specific media range that matches it decides (the type and subtype, over the type
 * with any subtype, over any type), and q=0 means "not this". Malformed ranges are
 * skipped; a header with none that matches takes nothing.
 */
static bool accepts(const char *accept, const char *type)
{
    const char *slash = strchr(type, '/');
    size_t ttn = (size_t)(slash - type), tsn = strlen(slash + 1);
    int best = 0, q = 0; /* specificity of the best match so far (0: none), its q */
    for (const char *p = accept; *p;) {
        p = ows(p);
        size_t tn, sn;
        struct weight w = {1000};
        const char *end = NULL;
        if (media_range(p, &tn, &sn))
            end = media_params(p + tn + 1 + sn, weight_param, &w);
        if (end && (*(end = ows(end)) == ',' || *end == '\0')) {
            const char *sub = p + tn + 1;
            int spec = 0;
            if (tn == 1 && p[0] == '*' && sn == 1 && sub[0] == '*')
                spec = 1;
            else if (tn == ttn && strncasecmp(p, type, ttn) == 0)
                spec = sn == 1 && sub[0] == '*'                             ? 2
                       : sn == tsn && strncasecmp(sub, slash + 1, tsn) == 0 ? 3
                                                                            : 0;
            if (spec > best || (spec == best && spec > 0 && w.q > q)) {
                best = spec;
                q = w.q;
            }
        } else {
            end = strchr(p, ','); /* skip what is not a media range */
            if (!end)
                break;
        }
        p = *end == ',' ? end + 1 : end;
    }
    return best > 0 && q > 0;
}

static bool media_ok(struct api_ctx *c, const struct api_route *r)
{
    const char *accept = http_req_header(c->req, "Accept");
    bool csv =
        strcmp(r->operation, "getMeetfactoren") == 0 || strcmp(r->operation, "getBetaallijst") == 0;
    bool pdf = strcmp(r->operation, "getBeschikkingBrief") == 0;
    bool xml = strcmp(r->operation, "getBetaalrunSepa") == 0;
    const char *type = csv   ? "text/csv"
                       : pdf ? "application/pdf"
                       : xml ? "application/xml"
                             : "application/json";
    if (accept && *ows(accept) && !accepts(accept, type)) {
        char detail[64];
        snprintf(detail, sizeof detail, "dit antwoord is %s", type);
        api_problem(c, 406, "Niet aanvaardbaar", detail);
        return false;
    }
    /* the bank's answer is posted as it came (camt.053 or pain.002): the app parses it */
    if (strcmp(r->operation, "postBankafschrift") == 0) {
        if (!content_is_xml(http_req_header(c->req, "Content-Type"))) {
            api_problem(c, 415, "Niet ondersteund mediatype",
                        "stuur het bankbestand als application/xml");
            return false;
        }
        return true;
    }
    if (strcmp(r->method, "POST") == 0 || strcmp(r->method, "PUT") == 0) {
        if (!content_is_json(http_req_header(c->req, "Content-Type"))) {
            api_problem(c, 415, "Niet ondersteund mediatype",
                        "stuur de gegevens als application/json (in UTF-8)");
            return false;
        }
        json_error_t je;
        c->body = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, &je);
        if (!c->body) {
            struct lks_errlist l = {0};
            lks_err_set(lks_errlist_add(&l), LKS_EINVAL, "body", "invalid-json",
                        "geen geldige JSON (regel %d, kolom %d): %s", je.line, je.column, je.text);
            api_fail_list(c, &l);
            return false;
        }
        if (!json_is_object(c->body)) {
            struct lks_errlist l = {0};
            lks_err_set(lks_errlist_add(&l), LKS_EINVAL, "body", "not-an-object",
                        "de gegevens moeten een JSON-object zijn");
            api_fail_list(c, &l);
            return false;
        }
    }
    return true;
}

void api_handle(void *ctx, const struct http_req *req, struct http_resp *resp)
{
    struct api *a = ctx;
    struct api_ctx c;
    memset(&c, 0, sizeof c);
    c.t0 = mono_ns();
    c.api = a;
    c.req = req;
    c.resp = resp;
    jw_init(&c.w, (size_t)64 << 20, false);
    /* API-Version comes from the HTTP layer, on every response (cmd_serve) */

    const struct api_route *r = NULL;
    bool reading = false, after = false; /* a read transaction; a session to refresh */
    char tok[AUTH_TOKEN_CHARS + 8] = "";
    struct lks_err e = {0};
    bool path_known = false;
    char allow[64] = "";
    /* the API under /api/, the pages' assets under /static/, every other path a page */
    if (web_asset(req, resp)) {
        server_timing(resp, c.t0);
        jw_free(&c.w);
        return;
    }
    c.page = strncmp(req->path, "/api/", 5) != 0;
    const struct api_route *table = c.page ? web_route_table : api_route_table;
    int ntable = c.page ? web_route_n : api_route_n;
    bool literal_known = false; /* a path without parameters is that resource only */
    for (int i = 0; i < ntable; i++) {
        bool literal = !strchr(table[i].path, '{');
        if ((!literal && literal_known) || !match(table[i].path, req->path, &c))
            continue;
        path_known = true;
        literal_known = literal_known || literal;
        if (!strstr(allow, table[i].method)) {
            if (allow[0])
                strncat(allow, ", ", sizeof allow - strlen(allow) - 1);
            strncat(allow, table[i].method, sizeof allow - strlen(allow) - 1);
        }
        if (strcmp(table[i].method, req->method) == 0) {
            r = &table[i];
            break;
        }
    }
    if (!r) {
        if (path_known) {
            http_resp_header(resp, "Allow", allow);
            api_problem(&c, 405, "Methode niet toegestaan", "deze methode kan hier niet");
        } else {
            api_problem(&c, 404, "Niet gevonden", "deze bron bestaat niet");
        }
        goto done;
    }
    if (c.page ? !web_body(&c) : !media_ok(&c, r))
        goto done;
    /* A public page (a calculator, the rule tables) shown to a user who is logged in gets
     * the user's menu: the session is read when there is one, never required. */
    bool visitor_session = c.page && r->access == API_PUBLIC && strcmp(req->method, "GET") == 0 &&
                           http_req_cookie(req, "lks_sessie", tok, sizeof tok);
    /* a login needs no thread of its own here: the pool's threads have their store */
    if (r->access != API_PUBLIC || uses_rules(r) || visitor_session) {
        if (!(c.t = thread_get(a, &e))) {
            api_problem(&c, 503, "Tijdelijk niet beschikbaar", "de opslag is niet bereikbaar");
            goto done;
        }
        if (thread_rules(c.t, &e)) {
            api_problem(&c, 503, "Tijdelijk niet beschikbaar",
                        "de regeltabellen in de opslag zijn niet te lezen");
            goto done;
        }
        c.api = &c.t->view;
    }
    /* A read sees one snapshot and takes the file's locks once, not per statement: the
     * credentials and what the handler reads come from the same transaction. */
    if (c.t && strcmp(req->method, "GET") == 0 && !app_reads_itself(r)) {
        /* First the generation, then the transaction: what it reads is at least as new.
         * The transaction is deferred: when everything comes from what this thread
         * kept, it never touches the database. */
        if (store_generation(c.t->store, &c.gen, &e))
            c.gen = 0;
        reading = store_read_begin(c.t->store, &e) == 0;
    }
    if (r->access != API_PUBLIC) {
        bool via_cookie;
        if (!authenticate(&c, &via_cookie, &after, tok, sizeof tok)) {
            if (c.page) {
                web_login_needed(&c);
                goto done;
            }
            http_resp_header(resp, "WWW-Authenticate", "Bearer");
            api_problem(&c, 401, "Niet ingelogd", "log in of gebruik een geldig API-token");
            goto done;
        }
        c.authed = true;
        c.who = (struct app_actor){c.user.tenant, c.user.name, c.user.role, c.user.kvk};
        /* forms and scripts in a browser: a state change needs the session's CSRF token */
        if (via_cookie && strcmp(req->method, "GET") != 0) {
            const char *csrf = c.page && c.has_form ? form_get(&c.form, "_csrf")
                                                    : http_req_header(req, "X-CSRF-Token");
            if (!csrf || !auth_equal(csrf, c.csrf)) {
                api_problem(&c, 403, "Niet toegestaan", "het CSRF-token ontbreekt of klopt niet");
                goto done;
            }
        }
        if (!allowed(r, &c.who)) {
            api_problem(&c, 403, "Niet toegestaan", "uw rol geeft geen toegang tot deze bron");
            goto done;
        }
    } else if (visitor_session) {
        bool via_cookie;
        if (authenticate(&c, &via_cookie, &after, tok, sizeof tok)) {
            c.authed = true;
            c.who = (struct app_actor){c.user.tenant, c.user.name, c.user.role, c.user.kvk};
        }
    }
    c.route = r;
    if (c.authed && c.t && idem_begin(&c, r))
        goto done;
    if (c.t) {
        c.t->app.before_commit = before_commit;
        c.t->app.hook_arg = &c;
    }
    r->fn(&c);
    if (c.t) {
        c.t->app.before_commit = NULL;
        c.t->app.hook_arg = NULL;
    }
    if (r->ev >= 0 && resp->status == 0)
        api_problem(&c, 500, "Interne fout", "geen antwoord");
    if (c.authed && c.t)
        idem_end(&c);
done:
    if (reading)
        store_read_end(c.t->store);
    if (after && auth_session_after(c.t->store, tok, (int64_t)time(NULL), &e))
        fprintf(stderr, "api: sessie bijwerken mislukt: %s\n", e.msg);
    if (resp->status == 0)
        api_problem(&c, 500, "Interne fout", "geen antwoord");
    log_and_answer(&c);
    json_decref(c.body);
    if (c.has_form)
        form_free(&c.form);
    jw_free(&c.w);
}

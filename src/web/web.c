/* web — see web.h: the page routes, the assets, a page's body and the router's answers
 * as pages. */
#include "web/web.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "web/assets.h"
#include "web/page.h"
#include "web/pages.h"

#define P(m, p, acc, fn)                                                                           \
    {                                                                                              \
        m, p, "page", acc, fn, -1                                                                  \
    }

/* The first route that matches a path and method wins (api/router.c). */
const struct api_route web_route_table[] = {
    P("GET", "/", API_ANY_USER, p_home),
    P("GET", "/inloggen", API_PUBLIC, p_login_form),
    P("POST", "/inloggen", API_PUBLIC, p_login),
    P("POST", "/uitloggen", API_ANY_USER, p_logout),
    P("GET", "/werkvoorraad", API_MUNICIPAL, p_worklist),
    P("POST", "/werkvoorraad/toewijzen", API_CASE_WRITE, p_assign),
    P("POST", "/werkvoorraad/bsn", API_MUNICIPAL, p_bsn_search),
    P("GET", "/zaken/{id}", API_CASE_READ, p_case),
    /* the process steps with pages of their own (p_stap.c): the access test, the
     * loonwaarde report, the decision with its preview; before the generic command */
    P("GET", "/zaken/{id}/toegangstoets", API_CASE_READ, p_step_toets_form),
    P("POST", "/zaken/{id}/toegangstoets", API_CASE_WRITE, p_step_toets),
    P("GET", "/zaken/{id}/loonwaarde", API_CASE_READ, p_step_value_form),
    P("POST", "/zaken/{id}/loonwaarde", API_CASE_WRITE, p_step_value),
    P("GET", "/zaken/{id}/beschikking", API_CASE_READ, p_step_decision_form),
    P("POST", "/zaken/{id}/beschikking", API_CASE_WRITE, p_step_decision),
    /* the decision letters (p_brief.c): the preview of the decision being made (GET with
     * its soort and dates, POST with the form's fields) and the letter of a sent decision,
     * for the desk and the portal alike */
    P("GET", "/zaken/{id}/beschikking/brief", API_CASE_READ, p_letter_preview),
    P("POST", "/zaken/{id}/beschikking/brief", API_CASE_WRITE, p_letter_preview),
    P("GET", "/zaken/{id}/beschikkingen/{n}/brief", API_CASE_READ, p_letter_download),
    /* the application form in steps with its drafts, and a case's supplement (p_aanvraag.c);
     * before the case commands: the first route that matches wins, and "aanvulling" is no
     * command name */
    P("GET", "/aanvragen/nieuw", API_CASE_WRITE, p_application_new_form),
    P("POST", "/aanvragen/nieuw", API_CASE_WRITE, p_application_new),
    P("GET", "/aanvragen/concepten", API_CASE_WRITE, p_application_drafts),
    P("POST", "/aanvragen/concepten/{id}/verwijderen", API_CASE_WRITE, p_application_delete),
    P("GET", "/aanvragen/concepten/{id}/{stap}", API_CASE_WRITE, p_application_step),
    P("POST", "/aanvragen/concepten/{id}/{stap}", API_CASE_WRITE, p_application_step_post),
    P("GET", "/zaken/{id}/aanvulling", API_CASE_WRITE, p_supplement_form),
    P("POST", "/zaken/{id}/aanvulling", API_CASE_WRITE, p_supplement),
    /* werk10: the work list's saved filters (p_werk.c) and a document added on the desk's
     * case page (p_documenten.c); before the generic command */
    P("POST", "/werkvoorraad/filters", API_MUNICIPAL, p_filter_save),
    P("GET", "/werkvoorraad/filters/{id}", API_MUNICIPAL, p_filter_open),
    P("POST", "/werkvoorraad/filters/{id}/verwijderen", API_MUNICIPAL, p_filter_delete),
    P("POST", "/zaken/{id}/documenten", API_CASE_WRITE, p_case_document_upload),
    P("POST", "/zaken/{id}/{opdracht}", API_CASE_WRITE, p_case_command),
    /* the employer portal, its documents and the financieel's IBAN proposals (p_portaal.c,
     * p_documenten.c) */
    P("GET", "/portaal", API_CASE_READ, p_portal),
    P("GET", "/portaal/zaken/{id}", API_CASE_READ, p_portal_case),
    P("POST", "/portaal/zaken/{id}/documenten", API_CASE_WRITE, p_document_upload),
    P("POST", "/portaal/zaken/{id}/{opdracht}", API_CASE_WRITE, p_portal_command),
    P("GET", "/portaal/bedrijf", API_EMPLOYERS, p_company),
    P("POST", "/portaal/bedrijf", API_EMPLOYERS, p_company_iban),
    P("GET", "/documenten/{id}", API_CASE_READ, p_document_download),
    P("GET", "/iban-voorstellen", API_EMPLOYERS, p_iban_proposals),
    P("POST", "/iban-voorstellen/{kvk}", API_EMPLOYERS, p_iban_decide),
    /* the public calculators (p_rekenen.c): no login, GET forms. The loonkostensubsidie
     * page carries the API operation's name, so the router gives it the rule tables with
     * the store's rows (uses_rules), exactly as the API computes with */
    P("GET", "/rekenen", API_PUBLIC, p_calc_overview),
    {"GET", "/rekenen/loonkostensubsidie", "berekenLoonkostensubsidie", API_PUBLIC, p_calc_lks, -1},
    P("GET", "/rekenen/loondispensatie", API_PUBLIC, p_calc_ld),
    P("GET", "/rekenen/inverdieneffect", API_PUBLIC, p_calc_ie),
    P("GET", "/rekenen/termijn", API_PUBLIC, p_calc_term),
    P("GET", "/rekenen/toegangstoets", API_PUBLIC, p_calc_toets),
    /* the auditor's processing log (p_audit.c), beheer (p_beheer.c), the rule tables
     * (p_regels.c) */
    P("GET", "/verwerkingen", API_AUDIT, p_plog),
    P("POST", "/verwerkingen/bsn", API_AUDIT, p_plog_bsn),
    P("GET", "/beheer/gebruikers", API_ADMIN, p_users),
    P("POST", "/beheer/gebruikers", API_ADMIN, p_user_new),
    P("POST", "/beheer/gebruikers/{naam}/blokkering", API_ADMIN, p_user_block),
    P("POST", "/beheer/gebruikers/{naam}/wachtwoord", API_ADMIN, p_user_password),
    P("GET", "/beheer/beleid", API_ADMIN, p_policy),
    P("POST", "/beheer/beleid", API_ADMIN, p_policy_set),
    /* the payment runs (p_betaal.c): the list and the prepare form, one run's preview with
     * approve and cancel, its bank file and payment list; API_MUNICIPAL lets the desk in,
     * app_payrun_* decides who (financieel, auditor) */
    P("GET", "/betaalruns", API_MUNICIPAL, p_payruns),
    P("POST", "/betaalruns", API_MUNICIPAL, p_payrun_make),
    P("GET", "/betaalruns/{id}", API_MUNICIPAL, p_payrun),
    P("POST", "/betaalruns/{id}/goedkeuren", API_MUNICIPAL, p_payrun_approve),
    P("POST", "/betaalruns/{id}/annuleren", API_MUNICIPAL, p_payrun_cancel),
    P("GET", "/betaalruns/{id}/sepa", API_MUNICIPAL, p_payrun_sepa),
    P("GET", "/betaalruns/{id}/lijst", API_MUNICIPAL, p_payrun_csv),
    /* public, with the thread's rules (router.c, uses_rules) */
    {"GET", "/regels", "pageRegels", API_PUBLIC, p_rules, -1},
    P("GET", "/regels/beheer", API_INSTALL, p_rules_admin),
    P("POST", "/regels/{tabel}", API_INSTALL, p_rule_add),
};
const int web_route_n = sizeof web_route_table / sizeof web_route_table[0];

bool web_route_exists(const char *path)
{
    for (int i = 0; i < web_route_n; i++)
        if (strcmp(web_route_table[i].path, path) == 0)
            return true;
    return false;
}

bool web_asset(const struct http_req *req, struct http_resp *resp)
{
    if (strncmp(req->path, "/static/", 8) != 0)
        return false;
    const struct web_asset *a = web_asset_find(req->path);
    if (!a || (strcmp(req->method, "GET") && strcmp(req->method, "HEAD"))) {
        static const char nf[] = "Niet gevonden.";
        http_resp_body(resp, a ? 405 : 404, "text/plain; charset=utf-8", nf, sizeof nf - 1);
        if (a)
            http_resp_header(resp, "Allow", "GET, HEAD");
        return true;
    }
    /* the name carries the content's hash: a browser keeps it as long as it likes */
    http_resp_header(resp, "Cache-Control", "public, max-age=31536000, immutable");
    http_resp_header(resp, "ETag", a->etag);
    const char *inm = http_req_header(req, "If-None-Match");
    if (inm && strcmp(inm, a->etag) == 0) {
        http_resp_body(resp, 304, NULL, NULL, 0);
        return true;
    }
    http_resp_body(resp, 200, a->content_type, (const char *)a->data, a->len);
    return true;
}

bool web_body(struct api_ctx *c)
{
    if (strcmp(c->req->method, "POST") != 0)
        return true;
    const char *ct = http_req_header(c->req, "Content-Type");
    struct lks_err e = {0};
    int rc;
    if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
        rc = form_parse_urlencoded(c->req->body, c->req->body_len, &c->form, &e);
    else if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0)
        rc = form_parse_multipart(c->req->body, c->req->body_len, ct, &c->form, &e);
    else {
        page_error(c, 415, "Formulier niet gelezen",
                   "Stuur het formulier vanuit de pagina zelf (als formulier).");
        return false;
    }
    if (rc) {
        page_error(c, rc == LKS_ENOMEM ? 503 : 400, "Formulier niet gelezen", e.msg);
        return false;
    }
    c->has_form = true;
    return true;
}

void web_problem(struct api_ctx *c, int status, const char *title, const char *detail,
                 const struct lks_errlist *errs)
{
    /* a page's own error with fields (a form) renders itself; what reaches here is the
     * router's answer or a failure a page could not place: shown with its first reason */
    const char *why = detail;
    if (errs && errs->n && errs->e[0].msg[0])
        why = errs->e[0].msg;
    page_error(c, status, title, why);
}

void web_problem_resp(struct http_resp *r, int status, const char *title, const char *detail)
{
    json_t *d = json_object();
    page_set_str(d, "titel", title);
    page_set_str(d, "uitleg", detail);
    page_set_int(d, "status", status);
    page_render_resp(r, status, title, "fout", d);
}

void web_login_needed(struct api_ctx *c)
{
    char loc[512];
    const char *q = c->req->query && c->req->query[0] ? c->req->query : NULL;
    /* back to where the user was after logging in: a GET only (a form is not replayed) */
    if (strcmp(c->req->method, "GET") == 0 && strcmp(c->req->path, "/") != 0 &&
        page_local_path(c->req->path) && strlen(c->req->path) + (q ? strlen(q) : 0) < 300) {
        struct buf b;
        buf_init(&b, sizeof loc);
        buf_adds(&b, "/inloggen?terug=");
        char path[400];
        snprintf(path, sizeof path, "%s%s%s", c->req->path, q ? "?" : "", q ? q : "");
        tpl_escape(&b, TPL_CTX_URL_PART, path, strlen(path));
        snprintf(loc, sizeof loc, "%.*s", (int)b.len, b.data ? b.data : "/inloggen");
        buf_free(&b);
    } else {
        snprintf(loc, sizeof loc, "/inloggen");
    }
    http_resp_header(c->resp, "Location", loc);
    http_resp_body(c->resp, 303, "text/plain; charset=utf-8", "", 0);
}

void web_busy_page(struct http_resp *r)
{
    json_t *d = json_object();
    page_set_str(d, "titel", "Tijdelijk niet beschikbaar");
    page_set_str(d, "uitleg",
                 "Het inloggen lukt nu even niet. Probeer het over een minuut opnieuw.");
    page_render_resp(r, 503, "Tijdelijk niet beschikbaar", "fout", d);
}

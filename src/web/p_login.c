/*
 * p_login — logging in and out on a page, and the start page that sends each user to
 * where its work is.
 *
 * The login form is checked as the API's login is (auth/pool.h: the throttle, the
 * hashing pool, one answer for every refusal); the page then sets the same session cookie
 * and sends the user on (303) to where it came from, or shows the form again with the
 * refusal. A login form carries a token of its own that must match a cookie set with the
 * form (double submit), so no other site can log a browser in under another account.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/page.h"
#include "web/pages.h"

#define LOGIN_COOKIE "lks_inlog"
#define LOGIN_TOKEN  44

/* Where a user's work is: the municipality's staff at the work list, an employer in the
 * portal, the installation's operator at the rule tables. */
void p_home(struct api_ctx *c)
{
    if (c->who.role == ROLE_WERKGEVER)
        page_redirect(c, "/portaal");
    else if (app_may(&c->who, APP_CAP_MUNICIPAL))
        page_redirect(c, "/werkvoorraad");
    else
        page_error(c, 200, "Welkom",
                   "Voor uw rol zijn er nog geen pagina's; gebruik de API (/api/v1).");
}

static void new_token(char out[LOGIN_TOKEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, LOGIN_TOKEN, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void set_login_cookie(struct http_resp *r, const char *tok, bool secure)
{
    char cookie[160];
    snprintf(cookie, sizeof cookie, LOGIN_COOKIE "=%s; Path=/inloggen; HttpOnly; SameSite=Strict%s",
             tok, secure ? "; Secure" : "");
    http_resp_header(r, "Set-Cookie", cookie);
}

/* The form's data: the token, the path to return to, what was typed, the refusal. */
static json_t *form_data(const char *tok, const char *back, const char *name, const char *error)
{
    json_t *d = json_object();
    page_set_str(d, "inlog", tok);
    if (back && page_local_path(back))
        page_set_str(d, "terug", back);
    page_set_str(d, "gebruikersnaam", name ? name : "");
    if (error) {
        struct lks_errlist errs = {0};
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "wachtwoord", "refused", "%s", error);
        json_object_set_new(d, "fouten", page_errors(&errs));
    }
    return d;
}

void p_login_form(struct api_ctx *c)
{
    char tok[LOGIN_TOKEN], back[320] = "";
    new_token(tok);
    http_req_query(c->req, "terug", back, sizeof back);
    set_login_cookie(c->resp, tok, c->api->cfg.secure_cookies);
    page_render(c, 200, "Inloggen", NULL, "inloggen", form_data(tok, back, "", NULL));
}

/* On the pool's thread: the answer to a checked login (api_wait.page holds the form's
 * token, the path back and the name typed, as JSON). */
static void login_done(struct http_resp *r, const struct auth_job_result *res,
                       const struct api_wait *w)
{
    json_error_t je;
    json_t *note = json_loads(w->page, 0, &je);
    const char *tok = json_string_value(json_object_get(note, "inlog"));
    const char *back = json_string_value(json_object_get(note, "terug"));
    const char *name = json_string_value(json_object_get(note, "naam"));
    if (res->rc == LKS_EINVAL) {
        page_render_resp(r, 401, "Inloggen", "inloggen",
                         form_data(tok ? tok : "", back, name, res->err.msg));
    } else if (res->rc == 0) {
        char cookie[160];
        snprintf(cookie, sizeof cookie, "lks_sessie=%s; Path=/; HttpOnly; SameSite=Strict%s",
                 res->se.token, w->secure_cookies ? "; Secure" : "");
        http_resp_header(r, "Set-Cookie", cookie);
        http_resp_header(r, "Set-Cookie",
                         LOGIN_COOKIE "=; Path=/inloggen; HttpOnly; SameSite=Strict; Max-Age=0");
        http_resp_header(r, "Location", back && page_local_path(back) ? back : "/");
        http_resp_body(r, 303, "text/plain; charset=utf-8", "", 0);
    }
    json_decref(note);
}

void p_login(struct api_ctx *c)
{
    const char *name = form_get(&c->form, "gebruikersnaam");
    const char *pw = form_get(&c->form, "wachtwoord");
    const char *tok = form_get(&c->form, "_inlog");
    const char *back = form_get(&c->form, "terug");
    char cookie[LOGIN_TOKEN + 8];
    bool same = tok && http_req_cookie(c->req, LOGIN_COOKIE, cookie, sizeof cookie) &&
                strlen(tok) == strlen(cookie) && sodium_memcmp(tok, cookie, strlen(tok)) == 0;
    if (!same) {
        /* an old form, or one another site posted: a fresh one, nothing checked */
        char fresh[LOGIN_TOKEN];
        new_token(fresh);
        set_login_cookie(c->resp, fresh, c->api->cfg.secure_cookies);
        json_t *d = form_data(fresh, back, name, NULL);
        struct lks_errlist errs = {0};
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "gebruikersnaam", "stale-form",
                    "het formulier was verlopen; log opnieuw in");
        json_object_set_new(d, "fouten", page_errors(&errs));
        page_render(c, 400, "Inloggen", NULL, "inloggen", d);
        return;
    }
    if (!name || !name[0] || !pw || !pw[0]) {
        struct lks_errlist errs = {0};
        if (!name || !name[0])
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "gebruikersnaam", "required",
                        "vul uw gebruikersnaam in");
        if (!pw || !pw[0])
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "wachtwoord", "required",
                        "vul uw wachtwoord in");
        json_t *d = form_data(tok, back, name, NULL);
        json_object_set_new(d, "fouten", page_errors(&errs));
        page_render(c, 400, "Inloggen", NULL, "inloggen", d);
        return;
    }
    json_t *note = json_object();
    page_set_str(note, "inlog", tok);
    page_set_str(note, "naam", strlen(name) < 100 ? name : "");
    if (back && page_local_path(back) && strlen(back) < 300)
        page_set_str(note, "terug", back);
    char *text = json_dumps(note, JSON_COMPACT);
    json_decref(note);
    char addr[AUTH_ADDR_CHARS];
    api_client_addr(c, addr);
    struct auth_job job = {.kind = AUTH_JOB_LOGIN, .addr = addr, .name = name, .password = pw};
    api_password_job_page(c, &job, login_done, text ? text : "{}");
    free(text);
}

void p_logout(struct api_ctx *c)
{
    char tok[AUTH_TOKEN_CHARS + 8];
    struct lks_err e = {0};
    if (http_req_cookie(c->req, "lks_sessie", tok, sizeof tok))
        auth_logout(c->t->store, tok, &e);
    http_resp_header(c->resp, "Set-Cookie",
                     "lks_sessie=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    page_redirect(c, "/inloggen");
}

/*
 * p_beheer — the beheerder's pages: the users and roles of the own municipality (add a
 * user with a first password, block or unblock one, set a new password), and the
 * municipality's policy settings in force today with their history and a form to add a
 * dated change of one setting.
 *
 * Every rule is the app's, the same the API uses (app_user_add/_block/_password,
 * app_policy_history, app_policy_set): which roles may be given, that another
 * municipality's user does not exist (404 page), that nobody blocks itself, the bounds
 * of a setting and how far back a change may reach. A form with faults is shown again
 * with the summary and each message at its field (a password is never shown again);
 * a change done goes back to the list (Post/Redirect/Get). No citizen data here, so no
 * processing-log entry; the app writes the operator's trail.
 *
 * A new user's password and a password set are hashed on the hashing pool (auth/pool.h),
 * as the API's account routes do it, not on the serving thread: the app checks everything
 * first (app_user_add_prepare, app_user_password_prepare), then the answer is deferred and
 * given from the pool's thread once the hash is stored (a redirect to the list).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "base/money.h"
#include "web/page.h"
#include "web/pages.h"

/* ---- users ---- */

/* The page's field names for auth's ("name" → "gebruikersnaam"). */
static const char *user_field(const char *f)
{
    static const char *const map[][2] = {
        {"name", "gebruikersnaam"}, {"display", "naam"},         {"role", "rol"}, {"kvk", "kvk"},
        {"password", "wachtwoord"}, {"tenant", "gebruikersnaam"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(f, map[i][0]) == 0)
            return map[i][1];
    return f;
}

struct user_rows {
    json_t *rows;
    const char *self;
};

static int user_cb(void *arg, const struct auth_user *u)
{
    struct user_rows *l = arg;
    json_t *r = json_object();
    page_set_str(r, "naam", u->name);
    page_set_str(r, "weergave", u->display);
    page_set_str(r, "rol", role_name(u->role));
    page_set_str(r, "kvk", u->kvk);
    page_set_bool(r, "actief", u->active);
    page_set_bool(r, "zelf", strcmp(u->name, l->self) == 0);
    json_array_append_new(l->rows, r);
    return 0;
}

/* The users page; `extra` (a form's faults and what was typed) merged into its data. */
static void users_render(struct api_ctx *c, int status, json_t *extra)
{
    json_t *d = extra ? extra : json_object();
    struct user_rows l = {json_array(), c->who.user};
    struct lks_err e = {0};
    if (app_user_list(&c->t->app, &c->who, user_cb, &l, &e) != 0) {
        json_decref(l.rows);
        json_decref(d);
        page_error(c, 503, "Gebruikers", "De gebruikers zijn nu niet te lezen.");
        return;
    }
    json_object_set_new(d, "gebruikers", l.rows);
    const char *chosen = json_string_value(json_object_get(d, "rol"));
    json_t *roles = json_array();
    for (int i = 0; i < app_admin_nroles; i++) {
        json_t *o = json_object();
        page_set_str(o, "waarde", role_name(app_admin_roles[i]));
        page_set_bool(o, "gekozen", chosen && strcmp(chosen, role_name(app_admin_roles[i])) == 0);
        json_array_append_new(roles, o);
    }
    json_object_set_new(d, "rollen", roles);
    page_set_bool(d, "tabGebruikers", true);
    page_render(c, status, "Gebruikers", "/beheer/gebruikers", "beheer-gebruikers", d);
}

void p_users(struct api_ctx *c)
{
    json_t *d = json_object();
    char done[24] = "";
    static const char *const said[][2] = {
        {"toegevoegd", "De gebruiker is toegevoegd."},
        {"geblokkeerd", "De gebruiker is geblokkeerd; lopende sessies zijn beëindigd."},
        {"gedeblokkeerd", "De gebruiker is gedeblokkeerd."},
        {"wachtwoord", "Het nieuwe wachtwoord is gezet; lopende sessies zijn beëindigd."}};
    if (http_req_query(c->req, "gedaan", done, sizeof done))
        for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
            if (strcmp(done, said[i][0]) == 0)
                page_set_str(d, "melding", said[i][1]);
    users_render(c, 200, d);
}

/* The page again with faults; `form` what was typed (without passwords). */
static void users_again(struct api_ctx *c, const struct lks_errlist *errs, json_t *form)
{
    json_t *d = form ? form : json_object();
    json_object_set_new(d, "fouten", page_errors(errs));
    users_render(c, 400, d);
}

/* On the pool's thread: the user added or its password set (the trail written, back to
 * the list), or why not (api_wait.page: the actor, the user and the list's message, as
 * JSON). */
static void user_done(struct http_resp *r, const struct auth_job_result *res,
                      const struct api_wait *w)
{
    json_error_t je;
    json_t *note = json_loads(w->page, 0, &je);
    const char *actor = json_string_value(json_object_get(note, "door"));
    const char *what = json_string_value(json_object_get(note, "wat"));
    const char *name = json_string_value(json_object_get(note, "naam"));
    const char *done = json_string_value(json_object_get(note, "gedaan"));
    if (res->rc == 0) {
        app_user_trail(actor ? actor : "", what ? what : "", name ? name : "");
        char loc[64];
        snprintf(loc, sizeof loc, "/beheer/gebruikers?gedaan=%s", done ? done : "");
        http_resp_header(r, "Location", loc);
        http_resp_body(r, 303, "text/plain; charset=utf-8", "", 0);
    } else {
        json_t *d = json_object();
        page_set_str(d, "titel", "Gebruikers");
        page_set_str(d, "uitleg", res->err.msg);
        page_set_int(d, "status", 400);
        page_render_resp(r, 400, "Gebruikers", "fout", d);
    }
    json_decref(note);
}

/* Submit an operator's change to the pool; `what` and `done` for the trail and the list. */
static void user_job(struct api_ctx *c, const struct auth_job *job, const char *what,
                     const char *name, const char *done)
{
    json_t *note = json_object();
    page_set_str(note, "door", c->who.user);
    page_set_str(note, "wat", what);
    page_set_str(note, "naam", name);
    page_set_str(note, "gedaan", done);
    char *text = json_dumps(note, JSON_COMPACT);
    json_decref(note);
    api_password_job_page(c, job, user_done, text ? text : "{}");
    free(text);
}

void p_user_new(struct api_ctx *c)
{
    const char *name = form_get(&c->form, "gebruikersnaam");
    const char *display = form_get(&c->form, "naam");
    const char *role = form_get(&c->form, "rol");
    const char *kvk = form_get(&c->form, "kvk");
    const char *pw = form_get(&c->form, "wachtwoord");
    struct lks_errlist errs = {0};
    struct auth_user u;
    memset(&u, 0, sizeof u);
    if (!name || !name[0])
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "name", "required",
                    "vul de gebruikersnaam in");
    else if (strlen(name) >= sizeof u.name)
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "name", "too-long",
                    "de gebruikersnaam is te lang (ten hoogste %zu tekens)", sizeof u.name - 1);
    else
        snprintf(u.name, sizeof u.name, "%s", name);
    if (!display || !display[0])
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "display", "required",
                    "vul de naam in zoals collega's die zien");
    else if (strlen(display) >= sizeof u.display)
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "display", "too-long",
                    "de naam is te lang (ten hoogste %zu tekens)", sizeof u.display - 1);
    else
        snprintf(u.display, sizeof u.display, "%s", display);
    if (kvk && strlen(kvk) >= sizeof u.kvk)
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "kvk", "too-long",
                    "een KvK-nummer heeft 8 cijfers");
    else if (kvk)
        snprintf(u.kvk, sizeof u.kvk, "%s", kvk);
    int rc = LKS_EINVAL;
    if (errs.n)
        app_user_check(&c->who, &u, role && role[0] ? role : "", pw, &errs);
    else
        rc = app_user_add_prepare(&c->t->app, &c->who, &u, role && role[0] ? role : "",
                                  pw ? pw : "", &errs);
    if (rc == 0) {
        /* the hash and the store on the pool; the answer from there */
        struct auth_job job = {.kind = AUTH_JOB_ADD_USER, .name = u.name, .next = pw, .user = &u};
        user_job(c, &job, "maakt gebruiker", u.name, "toegevoegd");
        return;
    }
    if (rc != LKS_EINVAL && rc != LKS_ESTATE) {
        page_error(c, rc == LKS_EFORBIDDEN ? 403 : 503, "Gebruikers",
                   errs.n ? errs.e[errs.n - 1].msg : "De gebruiker is niet toegevoegd.");
        return;
    }
    for (int i = 0; i < errs.n; i++) {
        char f[64];
        snprintf(f, sizeof f, "nieuw.%s", user_field(errs.e[i].field));
        lks_err_field(&errs.e[i], f);
    }
    json_t *form = json_object();
    json_t *typed = json_object();
    page_set_str(typed, "gebruikersnaam", name);
    page_set_str(typed, "naam", display);
    page_set_str(typed, "kvk", kvk);
    json_object_set_new(form, "nieuw", typed);
    page_set_str(form, "rol", role);
    users_again(c, &errs, form);
}

/* The user of the path, or the 404 page. */
static bool path_user(struct api_ctx *c, struct auth_user *u)
{
    struct lks_err e = {0};
    int rc = app_user_get(&c->t->app, &c->who, c->param[0], u, &e);
    if (rc == 0)
        return true;
    if (rc == LKS_ENOTFOUND)
        page_error(c, 404, "Niet gevonden", "Deze gebruiker bestaat niet in uw gemeente.");
    else
        page_error(c, 503, "Gebruikers", "De gebruiker is nu niet te lezen.");
    return false;
}

void p_user_block(struct api_ctx *c)
{
    struct auth_user u;
    if (!path_user(c, &u))
        return;
    const char *v = form_get(&c->form, "geblokkeerd");
    bool block = v && strcmp(v, "ja") == 0;
    struct lks_err e = {0};
    int rc = app_user_block(&c->t->app, &c->who, u.name, block, &e);
    if (rc == 0) {
        page_redirect(c, block ? "/beheer/gebruikers?gedaan=geblokkeerd"
                               : "/beheer/gebruikers?gedaan=gedeblokkeerd");
        return;
    }
    if (rc == LKS_ESTATE) {
        struct lks_errlist errs = {0};
        lks_err_set(lks_errlist_add(&errs), LKS_ESTATE, "blokkering", e.reason, "%s: %s", u.name,
                    e.msg);
        users_again(c, &errs, NULL);
        return;
    }
    page_error(c, 503, "Gebruikers", "De blokkering is niet gewijzigd.");
}

void p_user_password(struct api_ctx *c)
{
    struct auth_user u;
    if (!path_user(c, &u))
        return;
    const char *pw = form_get(&c->form, "wachtwoord");
    struct lks_err e = {0};
    int rc = app_user_password_prepare(&c->t->app, &c->who, u.name, pw ? pw : "", &e);
    if (rc == 0) {
        struct auth_job job = {.kind = AUTH_JOB_SET_PASSWORD, .name = u.name, .next = pw};
        user_job(c, &job, "zet het wachtwoord van", u.name, "wachtwoord");
        return;
    }
    if (rc == LKS_EINVAL || rc == LKS_ESTATE) {
        struct lks_errlist errs = {0};
        lks_err_set(lks_errlist_add(&errs), rc, "ww.wachtwoord", e.reason, "%s: %s", u.name, e.msg);
        json_t *form = json_object();
        page_set_str(form, "wwGebruiker", u.name);
        users_again(c, &errs, form);
        return;
    }
    page_error(c, 503, "Gebruikers", "Het wachtwoord is niet gezet.");
}

/* ---- policy ---- */

/* A setting's scaled value as written: "30", "52,50", "€ 5.000,00" for the levy. */
static void policy_text(char *out, size_t n, int k, int64_t v)
{
    char buf[MONEY_FMT_MAX];
    if (strcmp(policy_keys[k].key, "quotumheffing") == 0)
        snprintf(out, n, "€ %s", money_fmt_nl(buf, v, policy_keys[k].decimals));
    else
        snprintf(out, n, "%s", money_fmt_short(buf, v, policy_keys[k].decimals, 0));
    for (char *p = out; *p; p++) /* the Dutch decimal comma */
        if (*p == '.' && strcmp(policy_keys[k].key, "quotumheffing") != 0)
            *p = ',';
}

static void policy_render(struct api_ctx *c, int status, json_t *extra)
{
    json_t *d = extra ? extra : json_object();
    struct policy_timeline *tl = malloc(sizeof *tl);
    struct lks_err e = {0};
    if (!tl || app_policy_history(&c->t->app, &c->who, tl, &e) != 0) {
        free(tl);
        json_decref(d);
        page_error(c, 503, "Beleid", "Het beleid is nu niet te lezen.");
        return;
    }
    lks_date today = c->t->app.today;
    int now = 0;
    while (now + 1 < tl->n && tl->from[now + 1] <= today)
        now++;
    const char *chosen = json_string_value(json_object_get(d, "instelling"));
    json_t *rows = json_array(), *hist = json_array(), *keys = json_array();
    for (int k = 0; k < policy_nkeys; k++) {
        int64_t v = policy_get(&tl->p[now], k);
        /* in force since the first entry from which it has this value without a break */
        int since = now;
        while (since > 0 && policy_get(&tl->p[since - 1], k) == v)
            since--;
        json_t *r = json_object();
        char text[64], lo[64], hi[64], dflt[64], date[DATE_FMT_MAX];
        page_set_str(r, "sleutel", policy_keys[k].key);
        page_set_str(r, "omschrijving", policy_keys[k].text);
        policy_text(text, sizeof text, k, v);
        page_set_str(r, "waarde", text);
        policy_text(dflt, sizeof dflt, k, policy_get(&tl->p[0], k));
        page_set_str(r, "begin", dflt);
        if (since > 0)
            page_set_str(r, "sinds", date_fmt(date, tl->from[since]));
        policy_text(lo, sizeof lo, k, policy_keys[k].lo);
        policy_text(hi, sizeof hi, k, policy_keys[k].hi);
        char bounds[140];
        snprintf(bounds, sizeof bounds, "%s tot en met %s", lo, hi);
        page_set_str(r, "grenzen", bounds);
        json_array_append_new(rows, r);
        json_t *o = json_object();
        page_set_str(o, "waarde", policy_keys[k].key);
        char label[200];
        snprintf(label, sizeof label, "%s (%s; %s)", policy_keys[k].key, policy_keys[k].text,
                 bounds);
        page_set_str(o, "tekst", label);
        page_set_bool(o, "gekozen", chosen && strcmp(chosen, policy_keys[k].key) == 0);
        json_array_append_new(keys, o);
    }
    for (int i = tl->n - 1; i >= 1; i--)
        for (int k = 0; k < policy_nkeys; k++) {
            int64_t was = policy_get(&tl->p[i - 1], k), is = policy_get(&tl->p[i], k);
            if (was == is)
                continue;
            json_t *h = json_object();
            char date[DATE_FMT_MAX], a[64], b[64];
            page_set_str(h, "vanaf", date_fmt(date, tl->from[i]));
            page_set_str(h, "sleutel", policy_keys[k].key);
            policy_text(a, sizeof a, k, was);
            policy_text(b, sizeof b, k, is);
            page_set_str(h, "was", a);
            page_set_str(h, "wordt", b);
            page_set_bool(h, "toekomst", tl->from[i] > today);
            json_array_append_new(hist, h);
        }
    free(tl);
    char date[DATE_FMT_MAX];
    page_set_str(d, "vandaag", date_fmt(date, today));
    json_object_set_new(d, "instellingen", rows);
    json_object_set_new(d, "geschiedenis", hist);
    json_object_set_new(d, "sleutels", keys);
    page_render(c, status, "Beleid", "/beheer/gebruikers", "beheer-beleid", d);
}

void p_policy(struct api_ctx *c)
{
    json_t *d = json_object();
    char done[16] = "";
    if (http_req_query(c->req, "gedaan", done, sizeof done) && strcmp(done, "ja") == 0)
        page_set_str(d, "melding", "De wijziging van het beleid is vastgelegd.");
    policy_render(c, 200, d);
}

void p_policy_set(struct api_ctx *c)
{
    const char *key = form_get(&c->form, "instelling");
    const char *from = form_get(&c->form, "vanaf");
    const char *value = form_get(&c->form, "waarde");
    struct lks_errlist errs = {0};
    lks_date d = LKS_NO_DATE;
    struct lks_err e = {0};
    if (!from || !from[0] || date_parse(&d, from, "vanaf", &e)) {
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "vanaf", "not-a-date",
                    "vul de datum in vanaf wanneer de instelling geldt (JJJJ-MM-DD)");
        d = LKS_NO_DATE;
    }
    if (!key || !key[0])
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "instelling", "required",
                    "kies de instelling die verandert");
    if (!value || !value[0])
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "waarde", "required",
                    "vul de nieuwe waarde in");
    int rc = LKS_EINVAL;
    if (errs.n == 0) {
        rc = app_policy_set(&c->t->app, c->who.tenant, d, key, value, &e);
        if (rc == 0) {
            page_redirect(c, "/beheer/beleid?gedaan=ja");
            return;
        }
        if (rc != LKS_EINVAL && rc != LKS_ESTATE) {
            page_error(c, 503, "Beleid", "De wijziging is niet vastgelegd.");
            return;
        }
        /* the app names the key for a value out of its bounds: that is the value's fault */
        const char *f = strcmp(e.field, "instelling") == 0                  ? "instelling"
                        : strcmp(e.field, "vanaf") == 0 || rc == LKS_ESTATE ? "vanaf"
                                                                            : "waarde";
        int k = policy_index(key);
        if (strcmp(f, "waarde") == 0 && k >= 0) {
            char lo[64], hi[64];
            policy_text(lo, sizeof lo, k, policy_keys[k].lo);
            policy_text(hi, sizeof hi, k, policy_keys[k].hi);
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, f, e.reason,
                        "%s (toegestaan: %s tot en met %s)", e.msg, lo, hi);
        } else {
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, f, e.reason, "%s", e.msg);
        }
    }
    json_t *form = json_object();
    page_set_str(form, "instelling", key);
    page_set_str(form, "vanafIngevuld", from);
    page_set_str(form, "waardeIngevuld", value);
    json_object_set_new(form, "fouten", page_errors(&errs));
    policy_render(c, 400, form);
}

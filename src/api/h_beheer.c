/*
 * h_beheer — what the beheerder does with the users of its own municipality:
 * list and read them, add one, block or unblock one, set a password, and
 * make or revoke API tokens. A user of another municipality does not exist
 * here (404). The rules of each change (which roles, nobody blocks itself, …) and
 * the operator's trail on standard error are the app's (app/app_beheer.c), shared with
 * the pages; this file reads and writes JSON.
 */
#include <stdio.h>
#include <string.h>

#include "api/internal.h"
#include "store/store_auth.h"

#define LABEL_MAX 40

/* One line of the operator's trail on standard error. */
static void trail(const struct api_ctx *c, const char *what, const char *name)
{
    fprintf(stderr, "beheer: %s %s %s\n", c->user.name, what, name);
}

static void user_item_json(struct jw *w, const struct auth_user *u)
{
    jw_obj_open(w);
    api_user_json(w, u);
    jw_kbool(w, "actief", u->active);
    jw_obj_close(w);
}

/* The user named in path parameter 0, of the caller's municipality; answers 404 when not. */
static bool user_of_path(struct api_ctx *c, struct auth_user *out)
{
    struct lks_err e = {0};
    int rc = app_user_get(&c->t->app, &c->who, c->param[0], out, &e);
    if (rc) {
        api_fail(c, &e);
        return false;
    }
    return true;
}

/* Unknown fields of a body: each an error; `known` is NULL-terminated. */
static void unknown_fields(struct api_ctx *c, const char *const *known, const char *expected,
                           struct lks_errlist *errs)
{
    const char *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        bool found = false;
        for (int i = 0; known[i] && !found; i++)
            found = strcmp(key, known[i]) == 0;
        if (!found)
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "unknown-field",
                        "onbekend veld (verwacht %s)", expected);
    }
}

/*
 * A text field of the body into out (cap bytes with its NUL). Absent: an error when
 * required, else out stays empty. Returns whether the field holds a usable text.
 */
static bool text_field(struct api_ctx *c, const char *key, char *out, size_t cap, bool required,
                       struct lks_errlist *errs)
{
    json_t *v = json_object_get(c->body, key);
    if (!v && !required)
        return false;
    if (!json_is_string(v)) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "required", "is verplicht (tekst)");
        return false;
    }
    size_t n = json_string_length(v);
    if (n >= cap) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "too-long",
                    "is te lang (ten hoogste %zu bytes)", cap - 1);
        return false;
    }
    if (strlen(json_string_value(v)) != n) {
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, key, "invalid", "bevat een nulteken");
        return false;
    }
    memcpy(out, json_string_value(v), n + 1);
    return true;
}

/* ---- the list and one user ---- */

struct user_list {
    struct jw *w;
    struct api_page *page;
    int role;   /* enum role, or -1 */
    int active; /* 0, 1, or -1 */
};

static int user_cb(void *arg, const struct auth_user *u)
{
    struct user_list *l = arg;
    if ((l->role >= 0 && (int)u->role != l->role) || (l->active >= 0 && u->active != l->active))
        return 0;
    enum api_page_step step = api_page_next(l->page);
    if (step != API_PAGE_TAKE)
        return step == API_PAGE_END;
    user_item_json(l->w, u);
    return 0;
}

/* The filters `rol` and `actief` of the list; a bad value goes into errs. */
static void user_filters(struct api_ctx *c, struct user_list *l, struct lks_errlist *errs)
{
    char buf[32];
    l->role = -1;
    l->active = -1;
    if (http_req_query(c->req, "rol", buf, sizeof buf) && (l->role = role_parse(buf)) < 0)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "rol", "unknown-choice", "onbekende rol");
    if (http_req_query(c->req, "actief", buf, sizeof buf)) {
        l->active = strcmp(buf, "true") == 0 ? 1 : strcmp(buf, "false") == 0 ? 0 : -1;
        if (l->active < 0)
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "actief", "not-a-boolean",
                        "moet true of false zijn");
    }
}

/* The users of the municipality by login name; filters `rol` and `actief`. */
void h_users(struct api_ctx *c)
{
    static const char *const keep[] = {"rol", "actief", NULL};
    struct lks_errlist errs = {0};
    struct api_page page;
    struct user_list l = {&c->w, &page, -1, -1};
    api_page_parse(c, &page, &errs);
    user_filters(c, &l, &errs);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct lks_err e = {0};
    api_page_open(c);
    if (app_user_list(&c->t->app, &c->who, user_cb, &l, &e) < 0) {
        api_fail(c, &e);
        return;
    }
    api_page_answer(c, &page, keep);
}

void h_user(struct api_ctx *c)
{
    struct auth_user u;
    if (!user_of_path(c, &u))
        return;
    user_item_json(&c->w, &u);
    api_json(c, 200);
}

/* ---- a new user ---- */

/* auth_user_check's fields by the API's names. */
static const char *const user_fields[][2] = {
    {"name", "gebruikersnaam"}, {"display", "naam"},   {"role", "rol"}, {"kvk", "kvk"},
    {"password", "wachtwoord"}, {"tenant", "gemeente"}};

static const char *api_field(const char *field)
{
    for (size_t i = 0; i < sizeof user_fields / sizeof user_fields[0]; i++)
        if (strcmp(field, user_fields[i][0]) == 0)
            return user_fields[i][1];
    return field;
}

/* The body of a new user into u, its role's name and pw; every fault of its form into
 * errs (the rules of a user are the app's: app_user_add). */
static void user_parse(struct api_ctx *c, struct auth_user *u, char *role, size_t role_cap,
                       char *pw, size_t pw_cap, struct lks_errlist *errs)
{
    static const char *const known[] = {"gebruikersnaam", "naam", "rol", "kvk", "wachtwoord", NULL};
    unknown_fields(c, known, "gebruikersnaam, naam, rol, kvk en wachtwoord", errs);
    memset(u, 0, sizeof *u);
    text_field(c, "gebruikersnaam", u->name, sizeof u->name, true, errs);
    text_field(c, "naam", u->display, sizeof u->display, true, errs);
    text_field(c, "rol", role, role_cap, true, errs);
    text_field(c, "kvk", u->kvk, sizeof u->kvk, false, errs);
    text_field(c, "wachtwoord", pw, pw_cap, true, errs);
    /* the app's rules for what the body does hold, once per field, all at once */
    struct lks_errlist more = {0};
    app_user_check(&c->who, u, role, pw, &more);
    for (int i = 0; i < more.n; i++) {
        lks_err_field(&more.e[i], api_field(more.e[i].field));
        bool dup = false;
        for (int j = 0; j < errs->n && !dup; j++)
            dup = strcmp(errs->e[j].field, more.e[i].field) == 0;
        if (!dup)
            *lks_errlist_add(errs) = more.e[i];
    }
}

void h_user_new(struct api_ctx *c)
{
    struct auth_user u;
    char pw[256] = "", role[32] = "";
    struct lks_errlist errs = {0};
    user_parse(c, &u, role, sizeof role, pw, sizeof pw, &errs);
    if (errs.n)
        memset(pw, 0, sizeof pw);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    int rc = app_user_add(&c->t->app, &c->who, &u, role, pw, &errs);
    memset(pw, 0, sizeof pw);
    if (rc == LKS_ESTATE) {
        api_problem(c, 409, "Niet mogelijk", errs.e[errs.n - 1].msg);
        return;
    }
    if (rc) {
        for (int i = 0; i < errs.n; i++)
            lks_err_field(&errs.e[i], api_field(errs.e[i].field));
        api_fail_list(c, &errs);
        return;
    }
    char loc[128];
    snprintf(loc, sizeof loc, "/api/v1/gebruikers/%s", u.name);
    http_resp_header(c->resp, "Location", loc);
    user_item_json(&c->w, &u);
    api_json(c, 201);
}

/* ---- blocking, passwords, tokens ---- */

void h_user_block(struct api_ctx *c)
{
    static const char *const known[] = {"geblokkeerd", NULL};
    struct lks_errlist errs = {0};
    unknown_fields(c, known, "geblokkeerd", &errs);
    json_t *v = json_object_get(c->body, "geblokkeerd");
    if (!json_is_boolean(v))
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "geblokkeerd", "required",
                    "is verplicht (true of false)");
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct lks_err e = {0};
    int rc = app_user_block(&c->t->app, &c->who, c->param[0], json_is_true(v), &e);
    if (rc == LKS_ESTATE) {
        api_problem(c, 409, "Niet mogelijk", e.msg);
        return;
    }
    if (rc) {
        api_fail(c, &e);
        return;
    }
    http_resp_body(c->resp, 204, NULL, NULL, 0);
}

void h_user_password(struct api_ctx *c)
{
    static const char *const known[] = {"wachtwoord", NULL};
    struct lks_errlist errs = {0};
    unknown_fields(c, known, "wachtwoord", &errs);
    char pw[256] = "";
    struct lks_err e = {0};
    if (text_field(c, "wachtwoord", pw, sizeof pw, true, &errs) && auth_password_check(pw, &e)) {
        lks_err_field(&e, "wachtwoord");
        *lks_errlist_add(&errs) = e;
    }
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    int rc = app_user_password(&c->t->app, &c->who, c->param[0], pw, &e);
    memset(pw, 0, sizeof pw);
    if (rc == LKS_ESTATE) {
        /* the app refuses one's own: that one goes with the current password */
        api_problem(c, 409, "Niet mogelijk",
                    "uw eigen wachtwoord wijzigt u met PUT /api/v1/gebruikers/ik/wachtwoord");
        return;
    }
    if (rc) {
        if (strcmp(e.field, "password") == 0)
            lks_err_field(&e, "wachtwoord");
        api_fail(c, &e);
        return;
    }
    http_resp_body(c->resp, 204, NULL, NULL, 0);
}

/* A token label: 1..LABEL_MAX of a-z, 0-9, '.', '_', '-', so that it fits in a path. */
static bool label_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > LABEL_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
              s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

void h_user_token_new(struct api_ctx *c)
{
    static const char *const known[] = {"label", NULL};
    struct lks_errlist errs = {0};
    unknown_fields(c, known, "label", &errs);
    char label[LABEL_MAX + 1] = "";
    if (text_field(c, "label", label, sizeof label, true, &errs) && !label_ok(label))
        lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "label", "invalid",
                    "1 tot %d tekens: kleine letters, cijfers, punt, liggend streepje of "
                    "koppelteken",
                    LABEL_MAX);
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    struct auth_user u;
    if (!user_of_path(c, &u))
        return;
    char tok[AUTH_TOKEN_CHARS];
    struct lks_err e = {0};
    int rc = auth_token_new(c->t->store, u.id, label, tok, &e);
    if (rc == LKS_ESTATE) {
        api_problem(c, 409, "Niet mogelijk", "een geblokkeerde gebruiker krijgt geen API-token");
        return;
    }
    if (rc) {
        api_fail(c, &e);
        return;
    }
    trail(c, "maakt een API-token voor", u.name);
    jw_obj_open(&c->w);
    jw_kstr(&c->w, "token", tok);
    jw_kstr(&c->w, "label", label);
    jw_obj_close(&c->w);
    memset(tok, 0, sizeof tok);
    api_json(c, 201);
}

void h_user_token_revoke(struct api_ctx *c)
{
    struct auth_user u;
    if (!user_of_path(c, &u))
        return;
    int n = 0;
    struct lks_err e = {0};
    if (store_token_revoke(c->t->store, u.name, c->param[1], &n, &e)) {
        api_fail(c, &e);
        return;
    }
    trail(c, "trekt een API-token in van", u.name);
    http_resp_body(c->resp, 204, NULL, NULL, 0);
}

/*
 * h_account — what a logged-in user does with its own account: change its
 * password. The current one is checked like a login's, on the hashing pool
 * behind the throttle (auth/pool.h): a wrong one counts as a failed attempt of
 * this account from the caller's address, and a refused one gets the same
 * answer. The answer never says more than which field is wrong.
 */
#include <string.h>

#include "api/internal.h"

static const char *const fields[][2] = {{"huidigWachtwoord", "password"},
                                        {"nieuwWachtwoord", "new_password"}};

/* On the pool's thread: 204, or the field that is wrong. */
static void password_render(struct http_resp *r, const struct auth_job_result *res,
                            const struct api_wait *w)
{
    if (res->rc == 0) {
        http_resp_body(r, 204, NULL, NULL, 0);
        return;
    }
    if (res->rc != LKS_EINVAL)
        return; /* 500 */
    struct lks_errlist errs = {0};
    struct lks_err *e = lks_errlist_add(&errs);
    *e = res->err;
    bool current = strcmp(e->field, fields[0][1]) == 0;
    lks_err_field(e, current ? fields[0][0] : fields[1][0]);
    if (current)
        snprintf(e->msg, sizeof e->msg, "%s", "het huidige wachtwoord klopt niet");
    http_problem(r, 400, "Ongeldige invoer", e->msg, w->path, &errs);
}

void h_password(struct api_ctx *c)
{
    struct lks_errlist errs = {0};
    const char *key;
    json_t *v;
    json_object_foreach(c->body, key, v)
    {
        if (strcmp(key, fields[0][0]) && strcmp(key, fields[1][0]))
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, key, "unknown-field",
                        "onbekend veld (verwacht huidigWachtwoord en nieuwWachtwoord)");
    }
    for (int i = 0; i < 2; i++)
        if (!json_is_string(json_object_get(c->body, fields[i][0])))
            lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, fields[i][0], "required",
                        "is verplicht (tekst)");
    if (errs.n) {
        api_fail_list(c, &errs);
        return;
    }
    const char *current = json_string_value(json_object_get(c->body, fields[0][0]));
    const char *next = json_string_value(json_object_get(c->body, fields[1][0]));
    /* The new one first: its faults need no hash and tell nothing about the current one. */
    struct lks_err e = {0};
    if (auth_password_check_new(current, next, &e)) {
        lks_err_field(&e, fields[1][0]);
        api_fail(c, &e);
        return;
    }
    /* The caller's own session stays; without one (an API token) every session ends. */
    char tok[AUTH_TOKEN_CHARS + 8];
    bool cookie = http_req_cookie(c->req, "lks_sessie", tok, sizeof tok);
    char addr[AUTH_ADDR_CHARS];
    api_client_addr(c, addr);
    struct auth_job job = {.kind = AUTH_JOB_PASSWORD,
                           .addr = addr,
                           .name = c->user.name,
                           .password = current,
                           .next = next,
                           .keep_session = cookie ? tok : NULL};
    api_password_job(c, &job, password_render);
}

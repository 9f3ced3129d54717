/*
 * h_account — what a logged-in user does with its own account: change its
 * password (auth_password_change). The answer never says more than which
 * field is wrong; a wrong current password counts as a failed login.
 */
#include <string.h>
#include <time.h>

#include "api/internal.h"

void h_password(struct api_ctx *c)
{
    static const char *const fields[][2] = {{"huidigWachtwoord", "password"},
                                            {"nieuwWachtwoord", "new_password"}};
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
    /* The caller's own session stays; without one (an API token) every session ends. */
    char tok[AUTH_TOKEN_CHARS + 8];
    bool cookie = http_req_cookie(c->req, "lks_sessie", tok, sizeof tok);
    struct lks_err e = {0};
    int rc = auth_password_change(c->t->store, c->user.name,
                                  json_string_value(json_object_get(c->body, fields[0][0])),
                                  json_string_value(json_object_get(c->body, fields[1][0])),
                                  cookie ? tok : NULL, (int64_t)time(NULL), &e);
    if (rc == LKS_ESTATE) {
        api_problem(c, 409, "Niet mogelijk", e.msg);
        return;
    }
    if (rc) {
        for (int i = 0; i < 2; i++)
            if (strcmp(e.field, fields[i][1]) == 0)
                lks_err_field(&e, fields[i][0]);
        if (rc == LKS_EINVAL && strcmp(e.field, fields[0][0]) == 0)
            snprintf(e.msg, sizeof e.msg, "%s", "het huidige wachtwoord klopt niet");
        api_fail(c, &e);
        return;
    }
    http_resp_body(c->resp, 204, NULL, NULL, 0);
}

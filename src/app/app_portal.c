/*
 * app_portal — what the employer portal reads besides cases and documents: the name of
 * the case worker who has a case, as the employer sees it, and the company's cases in the
 * portal's order, the newest first (app.h).
 */
#include <stdio.h>
#include <string.h>

#include "app/internal.h"
#include "store/store_auth.h"

int app_case_worker_display(struct app *a, const struct app_actor *who, const char *login,
                            char display[96], struct lks_err *err)
{
    display[0] = '\0';
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_CASES, err)))
        return rc;
    if (!login || !login[0])
        return app_not_found(err, "klantmanager", "deze klantmanager");
    struct auth_user u;
    char pw[160];
    int failures = 0;
    int64_t locked = 0;
    rc = store_user_by_name(a->store, login, &u, pw, sizeof pw, &failures, &locked, err);
    memset(pw, 0, sizeof pw);
    if (rc)
        return rc;
    /* only a colleague of the actor's municipality, and only the name it works under */
    if (strcmp(u.tenant, who->tenant) != 0)
        return app_not_found(err, "klantmanager", "deze klantmanager");
    snprintf(display, 96, "%s", u.display[0] ? u.display : u.name);
    return 0;
}

int app_portal_cases(struct app *a, const struct app_actor *who, int offset, int limit,
                     int (*cb)(void *arg, const struct app_task *t), void *arg, struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    if (rc)
        return rc;
    if (who->role != ROLE_WERKGEVER)
        return lks_err_set(err, LKS_EFORBIDDEN, "", "forbidden",
                           "alleen een werkgever heeft een portaal");
    struct worklist_filter f = {
        .status = -1, .all = true, .newest = true, .offset = offset, .limit = limit};
    /* app_worklist holds an employer to its own company's cases */
    return app_worklist(a, who, &f, cb, arg, err);
}

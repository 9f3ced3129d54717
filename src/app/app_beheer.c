/*
 * app_beheer — what a municipality's beheerder and the installation's operator change
 * (app.h): the users and roles of the municipality, its policy history, and a dated row
 * of a rule table. One implementation of each rule for the API (h_beheer.c, h_regels.c)
 * and the pages (web/p_beheer.c, web/p_regels.c): which roles a beheerder may give, that
 * another municipality's user does not exist, that nobody blocks itself or sets its own
 * password without the current one, and how a rule row's date and source are checked.
 *
 * These changes touch no citizen data and make no processing-log entry; each writes one
 * line to the server's standard error as the operator's trail ("beheer: <beheerder>
 * blokkeert <naam>", "regels: <naam> voegt toe: …"). Errors are values; a refused
 * change writes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/internal.h"
#include "base/tsv.h"
#include "rules/embedded.h"
#include "store/store_auth.h"
#include "store/store_rules.h"

const enum role app_admin_roles[] = {ROLE_KLANTMANAGER, ROLE_LOONWAARDEDESKUNDIGE,
                                     ROLE_BESLISSER,    ROLE_FINANCIEEL,
                                     ROLE_BEHEERDER,    ROLE_AUDITOR,
                                     ROLE_WERKGEVER};
const int app_admin_nroles = sizeof app_admin_roles / sizeof app_admin_roles[0];

void app_user_trail(const char *actor, const char *what, const char *name)
{
    fprintf(stderr, "beheer: %s %s %s\n", actor, what, name);
}

static void trail(const struct app_actor *who, const char *what, const char *name)
{
    app_user_trail(who->user, what, name);
}

static int admin_check(const struct app_actor *who, struct lks_err *err)
{
    int rc = app_actor_check(who, err);
    return rc ? rc : app_refuse_cap(who, APP_CAP_USERS, err);
}

int app_user_list(struct app *a, const struct app_actor *who,
                  int (*cb)(void *arg, const struct auth_user *u), void *arg, struct lks_err *err)
{
    int rc = admin_check(who, err);
    return rc ? rc : store_user_list(a->store, who->tenant, cb, arg, err);
}

int app_user_get(struct app *a, const struct app_actor *who, const char *name,
                 struct auth_user *out, struct lks_err *err)
{
    int rc = admin_check(who, err);
    if (rc)
        return rc;
    rc = store_user_by_name(a->store, name, out, NULL, 0, NULL, NULL, err);
    if (rc == 0 && strcmp(out->tenant, who->tenant) != 0)
        rc = LKS_ENOTFOUND;
    if (rc == LKS_ENOTFOUND)
        return lks_err_set(err, LKS_ENOTFOUND, "naam", "not-found", "gebruiker niet gevonden");
    return rc;
}

static bool has_error(const struct lks_errlist *errs, const char *field)
{
    for (int i = 0; i < errs->n; i++)
        if (strcmp(errs->e[i].field, field) == 0)
            return true;
    return false;
}

int app_user_check(const struct app_actor *who, struct auth_user *u, const char *role_text,
                   const char *password, struct lks_errlist *errs)
{
    int n0 = errs->n;
    u->role = ROLE_COUNT; /* none: auth_user_check then leaves the KvK number alone */
    if (role_text) {
        int r = -1;
        for (int i = 0; i < app_admin_nroles && r < 0; i++)
            if (strcmp(role_name(app_admin_roles[i]), role_text) == 0)
                r = (int)app_admin_roles[i];
        if (r < 0)
            lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "role", "unknown-choice",
                        "kies uit " APP_ADMIN_ROLES_TEXT);
        else
            u->role = (enum role)r;
    }
    snprintf(u->tenant, sizeof u->tenant, "%s", who && who->tenant ? who->tenant : "");
    u->active = true;
    /* auth's rules for what the caller gave, once per field */
    struct lks_errlist more = {0};
    auth_user_check(u, password ? password : "", &more);
    for (int i = 0; i < more.n; i++)
        if (!has_error(errs, more.e[i].field))
            *lks_errlist_add(errs) = more.e[i];
    return errs->n > n0 ? LKS_EINVAL : 0;
}

int app_user_add_prepare(struct app *a, const struct app_actor *who, struct auth_user *u,
                         const char *role_text, const char *password, struct lks_errlist *errs)
{
    int rc = admin_check(who, lks_errlist_add(errs));
    if (rc)
        return rc;
    errs->n--;
    if ((rc = app_user_check(who, u, role_text, password, errs)))
        return rc;
    struct auth_user there;
    struct lks_err *e = lks_errlist_add(errs);
    rc = store_user_by_name(a->store, u->name, &there, NULL, 0, NULL, NULL, e);
    if (rc == 0)
        return lks_err_set(e, LKS_ESTATE, "name", "exists", "gebruikersnaam '%s' bestaat al",
                           u->name);
    if (rc != LKS_ENOTFOUND)
        return rc;
    errs->n--;
    return 0;
}

int app_user_add(struct app *a, const struct app_actor *who, struct auth_user *u,
                 const char *role_text, const char *password, struct lks_errlist *errs)
{
    int rc = admin_check(who, lks_errlist_add(errs));
    if (rc)
        return rc;
    errs->n--;
    if ((rc = app_user_check(who, u, role_text, password, errs)))
        return rc;
    struct lks_err *e = lks_errlist_add(errs);
    rc = auth_user_add(a->store, u, password, e);
    if (rc) {
        if (rc == LKS_ESTATE)
            lks_err_field(e, "name");
        return rc;
    }
    errs->n--;
    trail(who, "maakt gebruiker", u->name);
    return 0;
}

int app_user_block(struct app *a, const struct app_actor *who, const char *name, bool block,
                   struct lks_err *err)
{
    struct auth_user u;
    int rc = app_user_get(a, who, name, &u, err);
    if (rc)
        return rc;
    if (block && strcmp(u.name, who->user) == 0)
        return lks_err_set(err, LKS_ESTATE, "naam", "self",
                           "u kunt uzelf niet blokkeren; laat een andere beheerder dat doen");
    if ((rc = store_user_set_active(a->store, u.name, !block, err)))
        return rc;
    trail(who, block ? "blokkeert" : "deblokkeert", u.name);
    return 0;
}

int app_user_password_prepare(struct app *a, const struct app_actor *who, const char *name,
                              const char *password, struct lks_err *err)
{
    int rc = auth_password_check(password ? password : "", err);
    if (rc)
        return rc;
    struct auth_user u;
    if ((rc = app_user_get(a, who, name, &u, err)))
        return rc;
    /* without the current password a stolen session could take over the account */
    if (strcmp(u.name, who->user) == 0)
        return lks_err_set(err, LKS_ESTATE, "naam", "self",
                           "uw eigen wachtwoord wijzigt u zelf, met uw huidige wachtwoord");
    return 0;
}

int app_user_password(struct app *a, const struct app_actor *who, const char *name,
                      const char *password, struct lks_err *err)
{
    int rc = app_user_password_prepare(a, who, name, password, err);
    if (rc || (rc = auth_password_set(a->store, name, password, err)))
        return rc;
    trail(who, "zet het wachtwoord van", name);
    return 0;
}

int app_policy_history(struct app *a, const struct app_actor *who, struct policy_timeline *out,
                       struct lks_err *err)
{
    int rc = admin_check(who, err);
    return rc ? rc : store_policy_timeline(a->store, who->tenant, out, err);
}

int app_rule_columns(int table, char cols[][APP_RULE_COL_MAX], int max)
{
    const char *name = rules_table_name(table);
    if (!name)
        return -1;
    char file[40];
    snprintf(file, sizeof file, "%s.tsv", name);
    const struct rules_embedded_file *f = rules_embedded;
    while (f->name && strcmp(f->name, file) != 0)
        f++;
    char *copy = f->name ? strdup(f->text) : NULL;
    if (!copy)
        return -1;
    struct tsv head;
    struct lks_err e = {0};
    int n = 0;
    if (tsv_open(&head, copy, file, &e) == 0)
        for (int c = 0; c < head.ncols && n < max; c++)
            if (strcmp(head.head[c], "from") != 0)
                snprintf(cols[n++], APP_RULE_COL_MAX, "%s", head.head[c]);
    free(copy);
    return n;
}

int app_rule_check(const char *from, const char *source, lks_date *out_from,
                   struct lks_errlist *errs)
{
    int n0 = errs->n;
    struct lks_err e;
    lks_date d = LKS_NO_DATE;
    if (!from || !from[0] || date_parse(&d, from, "vanaf", &e))
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "vanaf",
                    from && from[0] ? "not-a-date" : "required",
                    "is verplicht: de datum vanaf wanneer de regel geldt (JJJJ-MM-DD)");
    if (!source)
        lks_err_set(lks_errlist_add(errs), LKS_EINVAL, "bron", "required",
                    "is verplicht: waar de bedragen staan, bijvoorbeeld 'Stcrt. 2026, nr. 12345'");
    if (out_from)
        *out_from = d;
    return errs->n > n0 ? LKS_EINVAL : 0;
}

int app_rule_add(struct app *a, const struct app_actor *who, const struct rules *base,
                 const char *table_name, const char *from, const struct rules_cell *cells,
                 int ncells, const char *source, struct rules *out, int *table,
                 struct lks_errlist *errs)
{
    struct lks_err *e0 = lks_errlist_add(errs);
    int rc = app_actor_check(who, e0);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_RULES, e0)))
        return rc;
    errs->n--;
    int t = rules_table_parse(table_name ? table_name : "");
    if (t < 0)
        return lks_err_set(lks_errlist_add(errs), LKS_ENOTFOUND, "tabel", "not-found",
                           "deze regeltabel bestaat niet (wml, wml_youth, allowance of lks)");
    struct rules_row_in row = {
        .table = rules_table_name(t), .cells = cells, .ncells = ncells, .user = who->user};
    if ((rc = app_rule_check(from, source, &row.from, errs)))
        return rc;
    row.source = source;
    struct lks_err *se = lks_errlist_add(errs);
    if ((rc = store_rules_add(a->store, base, &row, out, se)))
        return rc;
    errs->n--;
    char d[DATE_FMT_MAX];
    fprintf(stderr, "regels: %s voegt toe: %s vanaf %s, bron '%s'\n", who->user, row.table,
            date_fmt(d, row.from), row.source);
    if (table)
        *table = t;
    return 0;
}

/* page — see page.h. */
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "web/assets.h"
#include "web/web.h"

static struct tpl_set *templates;

int web_init(struct lks_err *err)
{
    if (templates)
        return 0;
    return tpl_set_load(&templates, tpl_builtin, tpl_builtin_n, err);
}

void web_free(void)
{
    tpl_set_free(templates);
    templates = NULL;
}

const struct tpl_set *page_templates(void)
{
    return templates;
}

void page_set_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, json_string(v ? v : ""));
}

void page_set_int(json_t *o, const char *k, int64_t v)
{
    json_object_set_new(o, k, json_integer(v));
}

void page_set_bool(json_t *o, const char *k, bool v)
{
    json_object_set_new(o, k, json_boolean(v));
}

const char *page_csrf(const struct api_ctx *c)
{
    return c->authed ? c->csrf : "";
}

bool page_local_path(const char *p)
{
    /* "/x" but not "//host" or "/\host" (a browser reads both as another host) */
    if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\')
        return false;
    for (; *p; p++)
        if ((unsigned char)*p < 0x21 || *p == '\\' || (unsigned char)*p >= 0x7f)
            return false;
    return true;
}

void page_field_id(const char *field, char *out, size_t n)
{
    size_t k = 0;
    if (n < 3)
        return;
    out[k++] = 'f';
    out[k++] = '-';
    for (const char *p = field; *p && k + 1 < n; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        out[k++] = ok ? ch : '-';
    }
    out[k] = '\0';
}

json_t *page_errors(const struct lks_errlist *errs)
{
    if (!errs || errs->n == 0)
        return NULL;
    json_t *o = json_object(), *list = json_array(), *fields = json_object();
    for (int i = 0; i < errs->n; i++) {
        const struct lks_err *e = &errs->e[i];
        char id[96];
        page_field_id(e->field[0] ? e->field : "formulier", id, sizeof id);
        json_t *item = json_object();
        page_set_str(item, "veld", e->field);
        page_set_str(item, "id", id);
        page_set_str(item, "melding", e->msg);
        json_array_append_new(list, item);
        char key[96];
        snprintf(key, sizeof key, "%s", e->field);
        for (char *q = key; *q; q++)
            if (*q == '.')
                *q = '_';
        if (key[0] && !json_object_get(fields, key))
            page_set_str(fields, key, e->msg);
    }
    page_set_int(o, "aantal", errs->n + errs->dropped);
    json_object_set_new(o, "lijst", list);
    json_object_set_new(o, "velden", fields);
    return o;
}

/* The menu: each entry for the actors whose capability reaches its page. */
#define MENU_ANY ((enum app_cap) - 1)
struct menu_item {
    const char *text, *href;
    enum app_cap cap;
    int role; /* only this role, or -1 */
};

static const struct menu_item menu_items[] = {
    {"Werkvoorraad", "/werkvoorraad", APP_CAP_MUNICIPAL, -1},
    /* the employer portal (p_portaal.c) and the financieel's IBAN proposals */
    {"Mijn zaken", "/portaal", APP_CAP_CASES, ROLE_WERKGEVER},
    {"Bedrijf", "/portaal/bedrijf", APP_CAP_EMPLOYERS, ROLE_WERKGEVER},
    {"IBAN-voorstellen", "/iban-voorstellen", APP_CAP_EMPLOYERS, ROLE_FINANCIEEL},
    /* the payment runs (p_betaal.c) */
    {"Betaalruns", "/betaalruns", APP_CAP_PAYRUNS, -1},
    {"Rekenhulp", "/rekenen", APP_CAP_CASES, -1},
    /* the application form (p_aanvraag.c) */
    {"Aanvraag", "/aanvragen/nieuw", APP_CAP_APPLY, -1},
    /* the processing log, beheer and the rule tables (p_audit.c, p_beheer.c, p_regels.c);
     * MENU_ANY: every logged-in user of a municipality (the operator gets its own) */
    {"Verwerkingen", "/verwerkingen", APP_CAP_AUDIT, -1},
    {"Beheer", "/beheer/gebruikers", APP_CAP_USERS, -1},
    {"Regels", "/regels", MENU_ANY, -1},
    {"Regels", "/regels/beheer", APP_CAP_RULES, -1},
};

static json_t *menu_json(const struct api_ctx *c, const char *current)
{
    json_t *menu = json_array();
    if (!c || !c->authed)
        return menu;
    for (size_t i = 0; i < sizeof menu_items / sizeof menu_items[0]; i++) {
        const struct menu_item *m = &menu_items[i];
        if (m->cap == MENU_ANY && strcmp(c->user.tenant, AUTH_TENANT_INSTALLATION) == 0)
            continue;
        if ((m->cap != MENU_ANY && !app_may(&c->who, m->cap)) ||
            (m->role >= 0 && (int)c->who.role != m->role))
            continue;
        if (!web_route_exists(m->href))
            continue;
        json_t *it = json_object();
        page_set_str(it, "tekst", m->text);
        page_set_str(it, "href", m->href);
        page_set_bool(it, "huidig", current && strcmp(current, m->href) == 0);
        json_array_append_new(menu, it);
    }
    return menu;
}

static void plain_error(struct http_resp *r, int status, const char *msg)
{
    /* a page that could not be rendered: text only, nothing of the request in it */
    http_resp_body(r, status, "text/plain; charset=utf-8", msg, strlen(msg));
}

/* The layout around a rendered body, with what the caller knows of the user. */
static int render_layout(struct http_resp *r, int status, const char *title, json_t *frame,
                         struct buf *body)
{
    struct lks_err e = {0};
    struct buf out;
    buf_init(&out, PAGE_MAX_BYTES);
    page_set_str(frame, "titel", title);
    page_set_int(frame, "inactiefMinuten", AUTH_IDLE_S / 60);
    /* a template may not choose where a stylesheet comes from (tpl.h): the links to the
     * pages' own assets are written here, their paths escaped for the attribute */
    struct buf head;
    buf_init(&head, 1024);
    buf_adds(&head, "<link rel=\"stylesheet\" href=\"");
    const char *css = web_asset_path("lks.css");
    tpl_escape(&head, TPL_CTX_ATTR, css ? css : "", css ? strlen(css) : 0);
    buf_adds(&head, "\">\n<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
    const char *ico = web_asset_path("favicon.svg");
    tpl_escape(&head, TPL_CTX_ATTR, ico ? ico : "", ico ? strlen(ico) : 0);
    buf_adds(&head, "\">");
    struct tpl_safe slots[2] = {{"inhoud", body->data ? body->data : "", body->len},
                                {"kop", head.data ? head.data : "", head.len}};
    int rc = head.failed ? LKS_ENOMEM : tpl_render(templates, "layout", frame, slots, 2, &out, &e);
    buf_free(&head);
    if (rc == 0)
        http_resp_body(r, status, "text/html; charset=utf-8", out.data, out.len);
    buf_free(&out);
    return rc;
}

/* The request's own headers of a page: it may show personal data, and no other site
 * may frame it or read it. The strict CSP: no script, no inline style. */
static void page_headers(struct http_resp *r)
{
    http_resp_header(r, "Content-Security-Policy",
                     "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                     "frame-ancestors 'none'; base-uri 'none'");
}

static void render_into(struct http_resp *r, const struct api_ctx *c, int status, const char *title,
                        const char *current, const char *tpl, json_t *data)
{
    struct lks_err e = {0};
    struct buf body;
    buf_init(&body, PAGE_MAX_BYTES);
    if (!templates) {
        plain_error(r, 500, "De pagina's zijn niet geladen.");
        json_decref(data);
        return;
    }
    json_t *d = data ? data : json_object();
    if (c)
        page_set_str(d, "csrf", page_csrf(c));
    int rc = tpl_render(templates, tpl, d, NULL, 0, &body, &e);
    json_t *frame = json_object();
    if (c && c->authed) {
        json_t *u = json_object();
        page_set_str(u, "naam", c->user.display[0] ? c->user.display : c->user.name);
        page_set_str(u, "rol", role_name(c->user.role));
        json_object_set_new(frame, "gebruiker", u);
        page_set_str(frame, "csrf", c->csrf);
        if (strcmp(c->user.tenant, AUTH_TENANT_INSTALLATION) != 0) {
            struct tenant t;
            struct lks_err te = {0};
            bool named = c->t && store_tenant_get(c->t->store, c->user.tenant, &t, &te) == 0;
            page_set_str(frame, "gemeente", named ? t.name : c->user.tenant);
        }
    }
    json_object_set_new(frame, "menu", menu_json(c, current));
    json_t *melding = json_object_get(d, "melding");
    if (json_is_string(melding))
        json_object_set(frame, "melding", melding);
    if (rc == 0)
        rc = render_layout(r, status, title, frame, &body);
    if (rc)
        plain_error(r, rc == LKS_ENOMEM ? 503 : 500,
                    rc == LKS_ENOMEM ? "De pagina is te groot of er is onvoldoende geheugen."
                                     : "De pagina kon niet worden gemaakt.");
    else
        page_headers(r);
    json_decref(frame);
    json_decref(d);
    buf_free(&body);
}

void page_render(struct api_ctx *c, int status, const char *title, const char *current,
                 const char *tpl, json_t *data)
{
    render_into(c->resp, c, status, title, current, tpl, data);
}

void page_render_resp(struct http_resp *r, int status, const char *title, const char *tpl,
                      json_t *data)
{
    render_into(r, NULL, status, title, NULL, tpl, data);
}

void page_redirect(struct api_ctx *c, const char *location)
{
    http_resp_header(c->resp, "Location", page_local_path(location) ? location : "/");
    http_resp_body(c->resp, 303, "text/plain; charset=utf-8", "", 0);
}

void page_error(struct api_ctx *c, int status, const char *title, const char *detail)
{
    json_t *d = json_object();
    page_set_str(d, "titel", title);
    page_set_str(d, "uitleg", detail);
    page_set_int(d, "status", status);
    page_render(c, status, title, NULL, "fout", d);
}

void page_badge(json_t *t, int days)
{
    char text[64];
    if (days < 0)
        snprintf(text, sizeof text, "Te laat: %d %s", -days, days == -1 ? "dag" : "dagen");
    else if (days == 0)
        snprintf(text, sizeof text, "Vandaag");
    else
        snprintf(text, sizeof text, "Nog %d %s", days, days == 1 ? "dag" : "dagen");
    page_set_str(t, "badge", days < 0 ? "overdue" : days <= 7 ? "soon" : "ok");
    page_set_str(t, "badgeTekst", text);
}

void page_set_moment(json_t *o, const char *date_key, const char *time_key, int64_t unix_seconds)
{
    char d[DATE_FMT_MAX], t[8];
    page_set_str(o, date_key, date_fmt(d, clock_date_at(unix_seconds)));
    int64_t local = unix_seconds + clock_offset_at(unix_seconds);
    int64_t sec = ((local % 86400) + 86400) % 86400;
    snprintf(t, sizeof t, "%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60));
    page_set_str(o, time_key, t);
}

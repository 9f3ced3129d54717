/*
 * p_brief — the decision letters on the pages: the sent letter of decision n of a case
 * (GET /zaken/{id}/beschikkingen/{n}/brief?voor=werkgever|werknemer), linked from the
 * desk's case page and the employer portal's, and the preview of the letter of the
 * decision being made on the beschikking page (GET /zaken/{id}/beschikking/brief with
 * the decision's soort, vanaf, tot and datum in the query, or POST with the form's fields
 * when the form carries what a URL must not: a refusal's reasons).
 *
 * What the letter is, who gets which, and the scope are the app's: app_letter (the same
 * call as the API's GET /api/v1/zaken/{id}/beschikkingen/{n}/brief, so the bytes are the
 * same) and app_letter_preview (the same letter model and renderer, nothing stored). An
 * employer gets only its own cases' letters to the employer. Every letter is a PDF sent as
 * an attachment, never cached, sandboxed should a browser show it anyway (nosniff is the
 * HTTP layer's), and a processing-log entry for the case's person.
 *
 * Failures are the router's error pages: 404 outside the scope (or no such decision),
 * 403 for the worker's letter asked by an employer, 400 with the messages for a preview
 * whose decision is not valid, 503 when the renderer cannot be loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/plog.h"
#include "web/page.h"
#include "web/pages.h"

static void send_pdf(struct api_ctx *c, const struct app_letter *l, const char *file)
{
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", file);
    char etag[70];
    snprintf(etag, sizeof etag, "\"%s\"", l->sha256);
    http_resp_header(c->resp, "Content-Disposition", cd);
    http_resp_header(c->resp, "Cache-Control", "no-store, private");
    http_resp_header(c->resp, "Content-Security-Policy", "default-src 'none'; sandbox");
    http_resp_header(c->resp, "ETag", etag);
    http_resp_body(c->resp, 200, "application/pdf", (const char *)l->pdf, l->len);
}

/* ?voor=werkgever|werknemer (or the posted field): the employer's letter when absent. */
static bool recipient(struct api_ctx *c, enum letter_to *to)
{
    char b[16] = "werkgever";
    const char *v = c->has_form ? form_get(&c->form, "voor") : NULL;
    if (!v)
        v = http_req_query(c->req, "voor", b, sizeof b) ? b : "werkgever";
    int t = letter_to_parse(v);
    if (t < 0) {
        struct lks_err e = {0};
        lks_err_set(&e, LKS_EINVAL, "voor", "unknown", "kies werkgever of werknemer");
        api_fail(c, &e);
        return false;
    }
    *to = (enum letter_to)t;
    return true;
}

void p_letter_download(struct api_ctx *c)
{
    int64_t id, n;
    enum letter_to to;
    if (!api_param_id(c, 0, &id) || !api_param_id(c, 1, &n) || !recipient(c, &to))
        return;
    struct lks_err e = {0};
    if (n > CASE_MAX_DECISIONS) {
        lks_err_set(&e, LKS_ENOTFOUND, "n", "not-found", "beschikking %lld bestaat niet",
                    (long long)n);
        api_fail(c, &e);
        return;
    }
    struct app_letter l;
    if (app_letter(&c->t->app, &c->who, id, -1, (int)n, to, &l, &e)) {
        api_fail(c, &e);
        return;
    }
    char obj[80], file[96];
    snprintf(obj, sizeof obj, "zaak/%lld/beschikkingen/%lld/brief", (long long)id, (long long)n);
    api_log(c, PLOG_READ, l.bsn, obj);
    snprintf(file, sizeof file, "beschikking-%lld-%lld-%s.pdf", (long long)id, (long long)n,
             letter_to_name(to));
    send_pdf(c, &l, file);
    app_letter_free(&l);
}

/* The command of beschikking-verzonden from the query (soort, vanaf, tot, datum: nothing
 * personal) or from the posted form (also the motivering). NULL with errs on bad input. */
static json_t *preview_cmd(struct api_ctx *c, struct lks_errlist *errs)
{
    json_t *cmd = NULL;
    if (c->has_form) {
        if (form_to_json(&c->form, &cmd, errs))
            return NULL;
        json_object_del(cmd, "voor");
        json_object_del(cmd, "_actie");
    } else {
        cmd = json_object();
        json_t *g = json_object();
        static const char *const keys[] = {"soort", "vanaf", "tot"};
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            char b[64];
            if (http_req_query(c->req, keys[k], b, sizeof b) && b[0])
                page_set_str(g, keys[k], b);
        }
        json_object_set_new(cmd, "gegevens", g);
        char d[32];
        if (http_req_query(c->req, "datum", d, sizeof d) && d[0])
            page_set_str(cmd, "datum", d);
    }
    if (!json_object_get(cmd, "gegevens"))
        json_object_set_new(cmd, "gegevens", json_object());
    return cmd;
}

void p_letter_preview(struct api_ctx *c)
{
    int64_t id;
    enum letter_to to;
    if (!api_param_id(c, 0, &id) || !recipient(c, &to))
        return;
    struct lks_errlist errs = {0};
    json_t *cmd = preview_cmd(c, &errs);
    if (!cmd) {
        api_fail_list(c, &errs);
        return;
    }
    struct app_letter l;
    int rc = app_letter_preview(&c->t->app, &c->who, id, cmd, to, &l, &errs);
    json_decref(cmd);
    if (rc) {
        api_fail_list(c, &errs);
        return;
    }
    char obj[64], file[96];
    snprintf(obj, sizeof obj, "zaak/%lld/beschikking/brief", (long long)id);
    api_log(c, PLOG_READ, l.bsn, obj);
    snprintf(file, sizeof file, "voorbeeld-beschikking-%lld-%s.pdf", (long long)id,
             letter_to_name(to));
    send_pdf(c, &l, file);
    app_letter_free(&l);
}

/*
 * p_documenten — documents of a case on the pages: the upload from the portal's case page
 * (a multipart form, POST /portaal/zaken/{id}/documenten) and from the desk's case page
 * (POST /zaken/{id}/documenten, a case worker's), the download of one document
 * (GET /documenten/{id}) for the employer of the case and the municipality's staff alike,
 * and the JSON list a case page shows with documenten.html (p_documents_json).
 *
 * What a file is and who may add or read it is the app's (app_document_*): the type by
 * the file's bytes, the scope by the case. A download is sent as an attachment with the
 * stored type, never rendered by the browser in the site's origin: Content-Disposition
 * attachment, X-Content-Type-Options nosniff (the HTTP layer's), no caching, and a CSP
 * that sandboxes it should a browser show it anyway. Each list and download is a
 * processing-log entry for the case's person; an upload is logged by the app as a change.
 *
 * Failures: a file the app refuses is the case page again (the portal's or the desk's) with
 * the message beside the file field and in the summary (400); what is outside the scope is
 * the router's 404 page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/plog.h"
#include "web/page.h"
#include "web/pages.h"

/* The body of a multipart post may carry a whole document plus the form around it. */
#define UPLOAD_BODY_MAX (STORE_DOC_MAX_BYTES + (64u << 10))

size_t web_upload_max(void)
{
    return UPLOAD_BODY_MAX;
}

/* POST <pre><digits>/documenten */
static bool upload_path(const char *path, const char *pre)
{
    size_t n = strlen(pre);
    if (strncmp(path, pre, n) != 0)
        return false;
    const char *p = path + n;
    const char *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    return p > digits && p - digits <= 18 && strcmp(p, "/documenten") == 0;
}

bool web_upload_route(const char *method, const char *path)
{
    if (!method || !path || strcmp(method, "POST") != 0)
        return false;
    return upload_path(path, "/portaal/zaken/") || upload_path(path, "/zaken/");
}

void p_upload_form_json(struct api_ctx *c, json_t *d, const char *action, const char *kind,
                        const struct lks_errlist *errs)
{
    json_t *kinds = json_array();
    static const char *const kind_names[] = {"arbeidsovereenkomst", "loonwaarderapport", "overig"};
    for (int k = 0; k < 3; k++) {
        json_t *o = json_object();
        page_set_str(o, "waarde", kind_names[k]);
        page_set_str(o, "tekst", app_document_kind_text(kind_names[k]));
        page_set_bool(o, "gekozen", kind ? strcmp(kind, kind_names[k]) == 0 : k == 0);
        json_array_append_new(kinds, o);
    }
    json_object_set_new(d, "soorten", kinds);
    page_set_str(d, "uploadActie", action);
    page_set_bool(d, "magUploaden", app_document_may_add(&c->who));
    if (errs && errs->n) {
        json_object_set_new(d, "uploadFouten", page_errors(errs));
        json_object_set(d, "fouten", json_object_get(d, "uploadFouten"));
    }
}

struct doc_rows {
    json_t *list;
};

static void size_text(int64_t n, char *out, size_t cap)
{
    if (n < 1024)
        snprintf(out, cap, "%lld bytes", (long long)n);
    else if (n < 1024 * 1024)
        snprintf(out, cap, "%lld kB", (long long)((n + 1023) / 1024));
    else
        snprintf(out, cap, "%lld,%lld MB", (long long)(n / (1024 * 1024)),
                 (long long)(n % (1024 * 1024) * 10 / (1024 * 1024)));
}

static int doc_cb(void *arg, const struct store_document *d)
{
    struct doc_rows *r = arg;
    json_t *o = json_object();
    page_set_int(o, "id", d->id);
    page_set_str(o, "soort", d->kind);
    page_set_str(o, "soortTekst", app_document_kind_text(d->kind));
    page_set_str(o, "naam", d->file_name);
    page_set_str(o, "type",
                 strcmp(d->content_type, "application/pdf") == 0 ? "PDF"
                 : strcmp(d->content_type, "image/png") == 0     ? "PNG"
                                                                 : "JPEG");
    char sz[32];
    size_text(d->size, sz, sizeof sz);
    page_set_str(o, "grootte", sz);
    page_set_str(o, "door", d->uploaded_by);
    page_set_moment(o, "op", "opTijd", d->uploaded_at); /* Dutch time, not the UTC day */
    page_set_str(o, "sha256", d->sha256);
    json_array_append_new(r->list, o);
    return 0;
}

json_t *p_documents_json(struct api_ctx *c, int64_t case_id)
{
    struct doc_rows r = {json_array()};
    char bsn[10];
    struct lks_err e = {0};
    if (app_document_list(&c->t->app, &c->who, case_id, doc_cb, &r, bsn, &e) != 0) {
        json_decref(r.list);
        return NULL;
    }
    if (json_array_size(r.list)) {
        char obj[48];
        snprintf(obj, sizeof obj, "zaak/%lld/documenten", (long long)case_id);
        api_log(c, PLOG_READ, bsn, obj);
    }
    return r.list;
}

/* The posted file to case `id` through the app: 0, or the app's answer with errs. */
static int upload(struct api_ctx *c, int64_t id, struct lks_errlist *errs)
{
    const struct form_field *file = form_file(&c->form, "bestand");
    const char *kind = form_get(&c->form, "soort");
    struct app_upload up = {
        .kind = kind,
        .file_name = file ? file->filename : NULL,
        .claimed_type = file ? file->content_type : NULL,
        .bytes = file ? (const unsigned char *)file->value : NULL,
        .len = file ? file->len : 0,
    };
    struct store_document d;
    return app_document_add(&c->t->app, &c->who, id, &up, &d, errs);
}

void p_document_upload(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_errlist errs = {0};
    int rc = upload(c, id, &errs);
    if (rc == 0) {
        char loc[96];
        snprintf(loc, sizeof loc, "/portaal/zaken/%lld?gedaan=document#documenten", (long long)id);
        page_redirect(c, loc);
        return;
    }
    if (rc != LKS_EINVAL) {
        api_fail_list(c, &errs);
        return;
    }
    p_portal_case_render(c, id, 400, -1, NULL, &errs, form_get(&c->form, "soort"), NULL);
}

void p_case_document_upload(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct lks_errlist errs = {0};
    int rc = upload(c, id, &errs);
    if (rc == 0) {
        char loc[96];
        snprintf(loc, sizeof loc, "/zaken/%lld?gedaan=document#documenten", (long long)id);
        page_redirect(c, loc);
        return;
    }
    if (rc != LKS_EINVAL) {
        api_fail_list(c, &errs);
        return;
    }
    p_case_render_upload(c, id, 400, &errs, form_get(&c->form, "soort"));
}

/* A file name for Content-Disposition: the plain ASCII fallback (filename=) and the name
 * itself percent-encoded (filename*, RFC 6266 / 8187). */
static void disposition(const char *name, char *out, size_t cap)
{
    char ascii[STORE_DOC_NAME], enc[STORE_DOC_NAME * 3 + 1];
    size_t a = 0, k = 0;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned ch = *p;
        bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                     (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_';
        if (a + 1 < sizeof ascii)
            ascii[a++] = plain ? (char)ch : '_';
        if (plain) {
            if (k + 1 < sizeof enc)
                enc[k++] = (char)ch;
        } else if (k + 3 < sizeof enc) {
            enc[k++] = '%';
            enc[k++] = hex[ch >> 4];
            enc[k++] = hex[ch & 15];
        }
    }
    ascii[a] = '\0';
    enc[k] = '\0';
    snprintf(out, cap, "attachment; filename=\"%s\"; filename*=UTF-8''%s", a ? ascii : "document",
             k ? enc : "document");
}

void p_document_download(struct api_ctx *c)
{
    int64_t id;
    if (!api_param_id(c, 0, &id))
        return;
    struct store_document d;
    char *bytes = NULL, bsn[10];
    size_t len = 0;
    struct lks_err e = {0};
    if (app_document_get(&c->t->app, &c->who, id, &d, &bytes, &len, bsn, &e) != 0) {
        free(bytes);
        api_fail(c, &e);
        return;
    }
    char obj[48];
    snprintf(obj, sizeof obj, "document/%lld", (long long)id);
    api_log(c, PLOG_READ, bsn, obj);
    char cd[STORE_DOC_NAME * 4 + 96];
    disposition(d.file_name, cd, sizeof cd);
    http_resp_header(c->resp, "Content-Disposition", cd);
    http_resp_header(c->resp, "Cache-Control", "no-store, private");
    http_resp_header(c->resp, "Content-Security-Policy", "default-src 'none'; sandbox");
    http_resp_body(c->resp, 200, d.content_type, bytes, len);
    free(bytes);
}

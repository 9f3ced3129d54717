/*
 * app_document — the documents of a case through the app layer (app.h, "documents"): an
 * upload checked and stored, the list of a case and one document with its bytes, each in
 * the actor's scope.
 *
 * Scope is the case's: a case of another municipality, and for an employer a case of
 * another company, does not exist for the caller (LKS_ENOTFOUND), and neither do its
 * documents. Adding needs APP_CAP_COMMANDS (an auditor reads, it does not add), reading
 * APP_CAP_CASES.
 *
 * What a document is, is decided here and not by the browser: the type comes from the
 * file's first bytes (PDF "%PDF-", PNG's signature, JPEG's SOI marker); a file of another
 * kind is refused, and so is one whose name's extension or claimed Content-Type names
 * another type than its bytes (a PNG named contract.pdf). Size 1 byte to 10 MiB; the name
 * is kept without any folder part, valid UTF-8 without control characters, at most 255
 * bytes. The SHA-256 of the bytes is kept with them.
 *
 * The processing log: an upload is a change, so a->before_commit gets it (object
 * "document/ID", the case's person) before it commits, like every change of app; a read
 * gives the caller the BSN of the case's person (`bsn`), for its own read entry.
 *
 * Errors are values: LKS_EINVAL in errs naming "bestand" or "soort" (Dutch, for beside the
 * field), LKS_EFORBIDDEN for a role that may not, LKS_ENOTFOUND, or the store's.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/internal.h"

static const char *const kinds[] = {"arbeidsovereenkomst", "loonwaarderapport", "overig"};

const char *app_document_kind_text(const char *kind)
{
    if (kind && strcmp(kind, "arbeidsovereenkomst") == 0)
        return "Arbeidsovereenkomst";
    if (kind && strcmp(kind, "loonwaarderapport") == 0)
        return "Rapport loonwaardemeting";
    if (kind && strcmp(kind, "overig") == 0)
        return "Overig document";
    return "Document";
}

bool app_document_kind_valid(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return true;
    return false;
}

/* The type by the first bytes, or NULL. */
static const char *sniff(const unsigned char *b, size_t n)
{
    if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
        return "application/pdf";
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
        return "image/jpeg";
    return NULL;
}

/* The type a file name's extension names, or NULL for none of ours. */
static const char *by_extension(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    if (strcasecmp(dot, ".pdf") == 0)
        return "application/pdf";
    if (strcasecmp(dot, ".png") == 0)
        return "image/png";
    if (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0)
        return "image/jpeg";
    return NULL;
}

static const char *type_word(const char *t)
{
    return strcmp(t, "application/pdf") == 0 ? "PDF" : strcmp(t, "image/png") == 0 ? "PNG" : "JPEG";
}

/* Valid UTF-8 without control characters (C0, DEL). */
static bool clean_text(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x20 || c == 0x7f)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (k == 0 || c > 0xf4 || i + k > n)
            return false;
        unsigned cp = c & (0xff >> (k + 1));
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if ((k == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (k == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += k;
    }
    return true;
}

/* The case `id` into a->cs for an actor who may reach it with `cap`. */
static int reach_case(struct app *a, const struct app_actor *who, int64_t id, enum app_cap cap,
                      struct lks_err *err)
{
    int rc;
    a->cached_id = 0;
    if ((rc = app_actor_check(who, err)) || (rc = app_refuse_cap(who, APP_CAP_CASES, err)))
        return rc;
    if ((rc = store_case_get(a->store, who->tenant, id, a->cs, err)))
        return rc == LKS_ENOTFOUND ? app_case_not_found(err, id) : rc;
    if (!app_in_scope(who, a->cs->employer.kvk))
        return app_case_not_found(err, id);
    if (cap == APP_CAP_COMMANDS ? !app_document_may_add(who) : !app_may(who, cap))
        return lks_err_set(err, LKS_EFORBIDDEN, "rol", "role-not-allowed",
                           "de rol %s voegt geen documenten toe", role_name(who->role));
    return 0;
}

bool app_document_may_add(const struct app_actor *who)
{
    return app_may(who, APP_CAP_COMMANDS);
}

static void field_error(struct lks_errlist *errs, const char *field, const char *msg)
{
    lks_err_set(lks_errlist_add(errs), LKS_EINVAL, field, "invalid", "%s", msg);
}

int app_document_add(struct app *a, const struct app_actor *who, int64_t case_id,
                     const struct app_upload *up, struct store_document *out,
                     struct lks_errlist *errs)
{
    struct lks_err e = {0};
    /* the case first: what is outside the scope says nothing about the file */
    int rc = store_begin(a->store, &e);
    if (rc) {
        *lks_errlist_add(errs) = e;
        return rc;
    }
    rc = reach_case(a, who, case_id, APP_CAP_COMMANDS, &e);
    if (rc) {
        store_rollback(a->store);
        app_tx_end(a);
        *lks_errlist_add(errs) = e;
        return rc;
    }
    if (!app_document_kind_valid(up->kind))
        field_error(errs, "soort", "kies wat voor document het is");
    const char *name = up->file_name ? up->file_name : "";
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            name = p + 1; /* no folder of the sender's computer */
    const char *type = up->bytes ? sniff(up->bytes, up->len) : NULL;
    if (!up->bytes || up->len == 0)
        field_error(errs, "bestand", "kies een bestand");
    else if (up->len > STORE_DOC_MAX_BYTES)
        field_error(errs, "bestand", "het bestand is groter dan 10 MB");
    else if (!name[0] || strlen(name) >= STORE_DOC_NAME ||
             !clean_text((const unsigned char *)name, strlen(name)))
        field_error(errs, "bestand",
                    "de bestandsnaam is leeg, te lang (meer dan 255 tekens) of bevat tekens "
                    "die niet kunnen");
    else if (!type)
        field_error(errs, "bestand", "alleen PDF-, PNG- of JPEG-bestanden kunnen");
    else {
        const char *ext = by_extension(name);
        const char *claim = up->claimed_type;
        char base[48] = "";
        if (claim) {
            size_t k = strcspn(claim, "; \t");
            if (k < sizeof base)
                snprintf(base, sizeof base, "%.*s", (int)k, claim);
        }
        bool claim_ours =
            base[0] && (strcasecmp(base, "application/pdf") == 0 ||
                        strcasecmp(base, "image/png") == 0 || strcasecmp(base, "image/jpeg") == 0);
        const char *named = ext && strcmp(ext, type) != 0 ? ext
                            : claim_ours && strcasecmp(base, type) != 0
                                ? (strcasecmp(base, "application/pdf") == 0 ? "application/pdf"
                                   : strcasecmp(base, "image/png") == 0     ? "image/png"
                                                                            : "image/jpeg")
                                : NULL;
        if (named) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "het bestand is geen %s-bestand: de inhoud is %s; kies het juiste bestand",
                     type_word(named), type_word(type));
            field_error(errs, "bestand", msg);
        }
    }
    if (errs->n) {
        store_rollback(a->store);
        app_tx_end(a);
        return LKS_EINVAL;
    }
    struct store_document d;
    memset(&d, 0, sizeof d);
    snprintf(d.tenant, sizeof d.tenant, "%s", who->tenant);
    d.case_id = case_id;
    snprintf(d.kind, sizeof d.kind, "%s", up->kind);
    snprintf(d.file_name, sizeof d.file_name, "%s", name);
    snprintf(d.content_type, sizeof d.content_type, "%s", type);
    d.size = (int64_t)up->len;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, up->bytes, up->len);
    sodium_bin2hex(d.sha256, sizeof d.sha256, h, sizeof h);
    snprintf(d.uploaded_by, sizeof d.uploaded_by, "%s", who->user);
    d.uploaded_at = (int64_t)time(NULL);
    char bsn[10];
    snprintf(bsn, sizeof bsn, "%s", a->cs->person.bsn);
    rc = store_document_add(a->store, &d, up->bytes, up->len, &e);
    if (rc == 0 && a->before_commit) {
        struct app_change ch = {true, bsn, "", case_id};
        snprintf(ch.object, sizeof ch.object, "document/%lld", (long long)d.id);
        rc = a->before_commit(a->hook_arg, &ch, &e);
    }
    if (rc == 0)
        rc = store_commit(a->store, &e);
    if (rc) {
        store_rollback(a->store);
        *lks_errlist_add(errs) = e;
    } else if (out) {
        *out = d;
    }
    app_tx_end(a);
    return rc;
}

int app_document_list(struct app *a, const struct app_actor *who, int64_t case_id,
                      int (*cb)(void *arg, const struct store_document *d), void *arg, char bsn[10],
                      struct lks_err *err)
{
    bsn[0] = '\0';
    int rc = reach_case(a, who, case_id, APP_CAP_CASES, err);
    if (rc)
        return rc;
    snprintf(bsn, 10, "%s", a->cs->person.bsn);
    return store_document_list(a->store, who->tenant, case_id, cb, arg, err);
}

int app_document_get(struct app *a, const struct app_actor *who, int64_t id,
                     struct store_document *out, char **bytes, size_t *len, char bsn[10],
                     struct lks_err *err)
{
    bsn[0] = '\0';
    if (bytes)
        *bytes = NULL;
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_CASES, err)))
        return rc;
    /* the document's metadata first, then its case's scope, then the bytes: nothing of a
     * document outside the scope is read further than its case number */
    rc = store_document_get(a->store, who->tenant, id, out, NULL, NULL, err);
    if (rc == LKS_ENOTFOUND)
        return app_not_found(err, "document", "dit document");
    if (rc)
        return rc;
    rc = reach_case(a, who, out->case_id, APP_CAP_CASES, err);
    if (rc == LKS_ENOTFOUND)
        return app_not_found(err, "document", "dit document");
    if (rc)
        return rc;
    snprintf(bsn, 10, "%s", a->cs->person.bsn);
    if (bytes)
        rc = store_document_get(a->store, who->tenant, id, out, bytes, len, err);
    return rc;
}

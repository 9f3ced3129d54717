/* form — see form.h. Checks of text first, then the two decoders, access, and the
 * conversion to JSON through a small tree of the paths. */
#include "web/form.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WHOLE "formulier" /* the field of a fault of the form as a whole */

/* ---- text ---- */

/* Whether s[0..n) is UTF-8 as RFC 3629 has it: shortest forms only, no surrogates,
 * nothing above U+10FFFF, no sequence cut off. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        unsigned lo = 0x80, hi = 0xBF; /* range of the first continuation byte */
        if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong below U+0800 */
            else if (c == 0xED)
                hi = 0x9F; /* U+D800..U+DFFF, the surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong below U+10000 */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else {
            return false; /* a continuation byte, C0/C1 (overlong), F5..FF */
        }
        if (n - i <= k)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t j = 2; j <= k; j++)
            if (s[i + j] < 0x80 || s[i + j] > 0xBF)
                return false;
        i += k + 1;
    }
    return true;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

/*
 * The name by which an error names a field: without a leading "gegevens." and without
 * the type suffix (as form_to_json and the codec name it), cut to fit a struct lks_err
 * at a character's boundary. Bytes that are no printable text become '?', so an error
 * never carries what is no valid UTF-8 or a control character.
 */
static void err_name(char out[sizeof((struct lks_err *)0)->field], const char *name, size_t len)
{
    const size_t cap = sizeof((struct lks_err *)0)->field - 1;
    const char *colon = memrchr(name, ':', len);
    if (colon && colon > name) /* a name that is only a suffix is named as it is */
        len = (size_t)(colon - name);
    if (len > 9 && memcmp(name, "gegevens.", 9) == 0) {
        name += 9;
        len -= 9;
    }
    bool text = utf8_valid((const unsigned char *)name, len);
    size_t o = 0;
    for (size_t i = 0; i < len && o < cap; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && !text))
            c = '?';
        out[o++] = (char)c;
    }
    /* cut short: do not end inside a multi-byte character */
    if (o < len && text)
        while (o > 0 && ((unsigned char)name[o] & 0xC0) == 0x80)
            o--;
    out[o] = '\0';
}

static int fail(struct lks_err *err, const char *name, size_t len, const char *reason,
                const char *msg)
{
    char f[sizeof err->field];
    if (name)
        err_name(f, name, len);
    else
        snprintf(f, sizeof f, "%s", WHOLE);
    return lks_err_set(err, LKS_EINVAL, f, reason, "%s", msg);
}

/* What the sizes of the allocation rule out; kept as an error rather than a crash. */
static int internal(struct lks_err *err)
{
    return fail(err, NULL, 0, "internal", "het formulier kon niet worden gelezen");
}

/* A name as kept: not empty, at most FORM_MAX_NAME bytes, UTF-8 without control
 * characters. */
static int check_name(const char *s, size_t n, struct lks_err *err)
{
    if (n == 0)
        return fail(err, NULL, 0, "no-name", "een veld zonder naam");
    if (n > FORM_MAX_NAME) {
        char m[96];
        snprintf(m, sizeof m, "de naam van het veld is langer dan %d bytes", FORM_MAX_NAME);
        return fail(err, s, n, "name-too-long", m);
    }
    if (memchr(s, '\0', n))
        return fail(err, s, n, "nul-character", "de naam bevat een ongeldig teken");
    if (!utf8_valid((const unsigned char *)s, n))
        return fail(err, s, n, "not-utf8", "de naam bevat geen geldige tekst (UTF-8)");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
            return fail(err, s, n, "control-character", "de naam bevat een ongeldig teken");
    return 0;
}

/* A text value in place: no NUL, UTF-8, every line break LF (CR LF and a lone CR), at
 * most FORM_MAX_VALUE bytes as kept. *n is updated. */
static int check_value(const char *name, size_t nlen, char *v, size_t *n, struct lks_err *err)
{
    if (memchr(v, '\0', *n))
        return fail(err, name, nlen, "nul-character", "bevat een ongeldig teken");
    if (!utf8_valid((const unsigned char *)v, *n))
        return fail(err, name, nlen, "not-utf8", "bevat geen geldige tekst (UTF-8)");
    size_t o = 0;
    for (size_t i = 0; i < *n; i++) {
        if (v[i] == '\r') {
            v[o++] = '\n';
            if (i + 1 < *n && v[i + 1] == '\n')
                i++;
        } else {
            v[o++] = v[i];
        }
    }
    *n = o;
    v[o] = '\0';
    if (o > FORM_MAX_VALUE) {
        char m[96];
        snprintf(m, sizeof m, "is te lang (ten hoogste %d bytes)", FORM_MAX_VALUE);
        return fail(err, name, nlen, "too-long", m);
    }
    return 0;
}

/* ---- building a form ---- */

struct builder {
    struct form *out;
    int cap;     /* fields the allocation has room for */
    char *arena; /* the bytes after the field array */
    size_t used, size;
};

/* One allocation: `nfields` fields and `bytes` of strings. */
static int builder_init(struct builder *b, struct form *out, size_t nfields, size_t bytes,
                        struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    if (nfields > FORM_MAX_FIELDS)
        nfields = FORM_MAX_FIELDS;
    size_t head = nfields * sizeof(struct form_field);
    if (bytes > SIZE_MAX - head - 1)
        return lks_err_set(err, LKS_ENOMEM, WHOLE, "no-memory", "onvoldoende geheugen");
    char *mem = malloc(head + bytes + 1);
    if (!mem)
        return lks_err_set(err, LKS_ENOMEM, WHOLE, "no-memory", "onvoldoende geheugen");
    out->mem = mem;
    out->f = (struct form_field *)(void *)mem;
    b->out = out;
    b->cap = (int)nfields;
    b->arena = mem + head;
    b->used = 0;
    b->size = bytes + 1;
    return 0;
}

/* Room for n bytes and a NUL in the arena (the sizes given to builder_init make sure
 * there is). */
static char *builder_take(struct builder *b, size_t n)
{
    if (n >= b->size - b->used)
        return NULL;
    char *p = b->arena + b->used;
    b->used += n + 1;
    p[n] = '\0';
    return p;
}

static char *builder_copy(struct builder *b, const char *s, size_t n)
{
    char *p = builder_take(b, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* Whether another field may come (FORM_MAX_FIELDS); an error when not. */
static bool builder_room(struct builder *b, struct lks_err *err)
{
    if (b->out->n < FORM_MAX_FIELDS)
        return true;
    char m[96];
    snprintf(m, sizeof m, "het formulier heeft meer dan %d velden", FORM_MAX_FIELDS);
    fail(err, NULL, 0, "too-many-fields", m);
    return false;
}

/* A new field (its name checked and kept by the caller): the caps of fields and
 * repeats. */
static struct form_field *builder_add(struct builder *b, const char *name, size_t nlen,
                                      struct lks_err *err)
{
    struct form *f = b->out;
    if (!builder_room(b, err))
        return NULL;
    if (f->n >= b->cap) { /* cannot happen with the counts the decoders give */
        internal(err);
        return NULL;
    }
    int same = 0;
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->f[i].name, name) == 0)
            same++;
    if (same >= FORM_MAX_REPEAT) {
        char m[96];
        snprintf(m, sizeof m, "komt meer dan %d keer voor", FORM_MAX_REPEAT);
        fail(err, name, nlen, "too-many-values", m);
        return NULL;
    }
    struct form_field *ff = &f->f[f->n++];
    memset(ff, 0, sizeof *ff);
    ff->name = name;
    return ff;
}

static int builder_fail(struct builder *b, int rc)
{
    form_free(b->out);
    return rc;
}

void form_free(struct form *f)
{
    if (!f)
        return;
    free(f->mem);
    memset(f, 0, sizeof *f);
}

/* ---- application/x-www-form-urlencoded ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode s[0..n) ('+' a space, %XX a byte) into out; false on a bad escape. */
static bool url_decode(const char *s, size_t n, char *out, size_t *outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%') {
            int h = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int l = h >= 0 ? hexval((unsigned char)s[i + 2]) : -1;
            if (l < 0)
                return false;
            out[o++] = (char)(h * 16 + l);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    *outlen = o;
    return true;
}

int form_parse_urlencoded(const char *body, size_t len, struct form *out, struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    if (len && !body)
        return fail(err, NULL, 0, "no-body", "het formulier ontbreekt");
    size_t pieces = 1;
    for (size_t i = 0; i < len; i++)
        pieces += body[i] == '&';
    /* every field's name and value, decoded, fit in its piece with the '=' for a NUL,
     * and one more NUL each */
    struct builder b;
    int rc = builder_init(&b, out, pieces,
                          len + 2 * (pieces < FORM_MAX_FIELDS ? pieces : FORM_MAX_FIELDS), err);
    if (rc)
        return rc;
    size_t i = 0;
    while (i < len) {
        const char *piece = body + i;
        const char *amp = memchr(piece, '&', len - i);
        size_t plen = amp ? (size_t)(amp - piece) : len - i;
        i += plen + 1;
        if (plen == 0)
            continue;
        if (!builder_room(&b, err))
            return builder_fail(&b, LKS_EINVAL);
        const char *eq = memchr(piece, '=', plen);
        size_t rawn = eq ? (size_t)(eq - piece) : plen;
        const char *rawv = eq ? eq + 1 : piece + plen;
        size_t rawvn = eq ? plen - rawn - 1 : 0;

        char *name = builder_take(&b, rawn);
        size_t nlen;
        if (!name)
            return builder_fail(&b, internal(err));
        if (!url_decode(piece, rawn, name, &nlen))
            return builder_fail(
                &b, fail(err, piece, rawn, "bad-escape", "de naam bevat een ongeldige %-code"));
        name[nlen] = '\0';
        if ((rc = check_name(name, nlen, err)) != 0)
            return builder_fail(&b, rc);
        struct form_field *ff = builder_add(&b, name, nlen, err);
        if (!ff)
            return builder_fail(&b, LKS_EINVAL);
        char *v = builder_take(&b, rawvn);
        size_t vlen;
        if (!v)
            return builder_fail(&b, internal(err));
        if (!url_decode(rawv, rawvn, v, &vlen))
            return builder_fail(&b,
                                fail(err, name, nlen, "bad-escape", "bevat een ongeldige %-code"));
        if ((rc = check_value(name, nlen, v, &vlen, err)) != 0)
            return builder_fail(&b, rc);
        ff->value = v;
        ff->len = vlen;
    }
    return 0;
}

/* ---- multipart/form-data ---- */

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* A token character (RFC 9110). */
static bool is_tchar(unsigned char c)
{
    return c > 0x20 && c < 0x7F && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

/* A character of a boundary (RFC 2046 bchars). */
static bool is_bchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c && strchr("'()+_,-./:=? ", c));
}

/* The boundary parameter of a Content-Type multipart/form-data into out (NUL-terminated). */
static int parse_boundary(const char *ct, char out[FORM_MAX_BOUNDARY + 1], size_t *blen,
                          struct lks_err *err)
{
    static const char type[] = "multipart/form-data";
    const char *bad = "het formulier heeft geen geldig Content-Type multipart/form-data met een "
                      "grens (boundary)";
    if (!ct)
        return fail(err, NULL, 0, "bad-content-type", bad);
    const char *p = ct;
    while (is_ows(*p))
        p++;
    if (strncasecmp(p, type, sizeof type - 1) != 0)
        return fail(err, NULL, 0, "bad-content-type", bad);
    p += sizeof type - 1;
    bool found = false;
    for (;;) {
        while (is_ows(*p))
            p++;
        if (!*p)
            break;
        if (*p++ != ';')
            return fail(err, NULL, 0, "bad-content-type", bad);
        while (is_ows(*p))
            p++;
        if (!*p)
            break;
        const char *pn = p;
        while (is_tchar((unsigned char)*p))
            p++;
        size_t pnl = (size_t)(p - pn);
        if (pnl == 0 || *p != '=')
            return fail(err, NULL, 0, "bad-content-type", bad);
        p++;
        char val[FORM_MAX_BOUNDARY + 1];
        size_t vl = 0;
        bool over = false;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                if (vl < FORM_MAX_BOUNDARY)
                    val[vl++] = *p;
                else
                    over = true;
                p++;
            }
            if (*p != '"')
                return fail(err, NULL, 0, "bad-content-type", bad);
            p++;
        } else {
            while (is_tchar((unsigned char)*p)) {
                if (vl < FORM_MAX_BOUNDARY)
                    val[vl++] = *p;
                else
                    over = true;
                p++;
            }
        }
        val[vl] = '\0';
        if (pnl != 8 || strncasecmp(pn, "boundary", 8) != 0)
            continue;
        if (found)
            return fail(err, NULL, 0, "bad-boundary", "het Content-Type noemt twee grenzen");
        if (over || vl == 0 || val[vl - 1] == ' ') {
            char m[120];
            snprintf(m, sizeof m,
                     "de grens (boundary) moet 1 tot %d tekens lang zijn en mag niet "
                     "op een spatie eindigen",
                     FORM_MAX_BOUNDARY);
            return fail(err, NULL, 0, "bad-boundary", m);
        }
        for (size_t i = 0; i < vl; i++)
            if (!is_bchar((unsigned char)val[i]))
                return fail(err, NULL, 0, "bad-boundary",
                            "de grens (boundary) bevat een teken dat RFC 2046 niet toestaat");
        memcpy(out, val, vl + 1);
        *blen = vl;
        found = true;
    }
    if (!found)
        return fail(err, NULL, 0, "bad-boundary", "het Content-Type noemt geen grens (boundary)");
    return 0;
}

/* What a part's headers say. */
struct part_head {
    const char *name, *filename, *ctype;
    size_t nlen, flen, clen;
    bool has_file;
};

/*
 * One parameter value of Content-Disposition at *pp: a quoted string as browsers write
 * it (up to the next '"', no escapes) or a token. False when malformed.
 */
static bool disp_value(const char **pp, const char *end, const char **v, size_t *vl)
{
    const char *p = *pp;
    if (p < end && *p == '"') {
        p++;
        const char *q = memchr(p, '"', (size_t)(end - p));
        if (!q)
            return false;
        *v = p;
        *vl = (size_t)(q - p);
        *pp = q + 1;
        return true;
    }
    const char *s = p;
    while (p < end && is_tchar((unsigned char)*p))
        p++;
    if (p == s)
        return false;
    *v = s;
    *vl = (size_t)(p - s);
    *pp = p;
    return true;
}

static int parse_disposition(const char *p, const char *end, struct part_head *h,
                             struct lks_err *err)
{
    static const char fd[] = "form-data";
    const char *bad = "een deel van het formulier heeft geen geldige Content-Disposition";
    if ((size_t)(end - p) < sizeof fd - 1 || strncasecmp(p, fd, sizeof fd - 1) != 0)
        return fail(err, NULL, 0, "bad-disposition", bad);
    p += sizeof fd - 1;
    if (p < end && !is_ows(*p) && *p != ';')
        return fail(err, NULL, 0, "bad-disposition", bad);
    bool has_name = false;
    for (;;) {
        while (p < end && is_ows(*p))
            p++;
        if (p == end)
            break;
        if (*p++ != ';')
            return fail(err, NULL, 0, "bad-disposition", bad);
        while (p < end && is_ows(*p))
            p++;
        if (p == end)
            break;
        const char *pn = p;
        while (p < end && (is_tchar((unsigned char)*p)))
            p++;
        size_t pnl = (size_t)(p - pn);
        while (p < end && is_ows(*p))
            p++;
        if (pnl == 0 || p == end || *p != '=')
            return fail(err, NULL, 0, "bad-disposition", bad);
        p++;
        while (p < end && is_ows(*p))
            p++;
        const char *v;
        size_t vl;
        if (!disp_value(&p, end, &v, &vl))
            return fail(err, NULL, 0, "bad-disposition", bad);
        if (pnl == 4 && strncasecmp(pn, "name", 4) == 0) {
            if (has_name)
                return fail(err, NULL, 0, "bad-disposition",
                            "een deel van het formulier heeft twee namen");
            has_name = true;
            h->name = v;
            h->nlen = vl;
        } else if (pnl == 8 && strncasecmp(pn, "filename", 8) == 0) {
            if (h->has_file)
                return fail(err, has_name ? h->name : NULL, h->nlen, "bad-disposition",
                            "het bestand heeft twee namen");
            h->has_file = true;
            h->filename = v;
            h->flen = vl;
        } else if (pnl == 9 && strncasecmp(pn, "filename*", 9) == 0) {
            return fail(err, has_name ? h->name : NULL, h->nlen, "filename-star",
                        "filename* wordt niet ondersteund (RFC 7578): geef de naam van het "
                        "bestand als filename");
        }
    }
    if (!has_name)
        return fail(err, NULL, 0, "no-name", "een deel van het formulier heeft geen naam");
    return 0;
}

/* The header block of a part, hs[0..n) without the blank line after it. */
static int parse_part_headers(const char *hs, size_t n, struct part_head *h, struct lks_err *err)
{
    memset(h, 0, sizeof *h);
    bool has_type = false;
    const char *disp = NULL, *disp_end = NULL; /* read after every line is checked */
    int lines = 0;
    const char *p = hs, *end = hs + n;
    while (p < end) {
        const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
        const char *le = eol ? eol : end;
        if (++lines > FORM_MAX_PART_LINES) {
            char m[96];
            snprintf(m, sizeof m, "een deel van het formulier heeft meer dan %d kopregels",
                     FORM_MAX_PART_LINES);
            return fail(err, NULL, 0, "too-many-headers", m);
        }
        for (const char *q = p; q < le; q++)
            if (((unsigned char)*q < 0x20 && *q != '\t') || *q == 0x7F)
                return fail(err, NULL, 0, "bad-header",
                            "een kopregel van een deel van het formulier bevat een ongeldig "
                            "teken");
        if (p == le || is_ows(*p))
            return fail(err, NULL, 0, "bad-header",
                        "een deel van het formulier heeft een lege of voortgezette kopregel");
        const char *colon = p;
        while (colon < le && is_tchar((unsigned char)*colon))
            colon++;
        if (colon == p || colon == le || *colon != ':')
            return fail(err, NULL, 0, "bad-header",
                        "een kopregel van een deel van het formulier is geen naam: waarde");
        size_t hn = (size_t)(colon - p);
        const char *v = colon + 1, *ve = le;
        while (v < ve && is_ows(*v))
            v++;
        while (ve > v && is_ows(ve[-1]))
            ve--;
        if (hn == 19 && strncasecmp(p, "Content-Disposition", 19) == 0) {
            if (disp)
                return fail(err, NULL, 0, "bad-header",
                            "een deel van het formulier heeft twee keer Content-Disposition");
            disp = v;
            disp_end = ve;
        } else if (hn == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
            if (has_type)
                return fail(err, NULL, 0, "bad-header",
                            "een deel van het formulier heeft twee keer Content-Type");
            for (const char *q = v; q < ve; q++)
                if ((unsigned char)*q >= 0x80)
                    return fail(err, NULL, 0, "bad-header",
                                "het Content-Type van een deel van het formulier is ongeldig");
            has_type = true;
            h->ctype = v;
            h->clen = (size_t)(ve - v);
        } else if (hn == 25 && strncasecmp(p, "Content-Transfer-Encoding", 25) == 0) {
            size_t vl = (size_t)(ve - v);
            if (!((vl == 6 && strncasecmp(v, "binary", 6) == 0) ||
                  (vl == 4 && (strncasecmp(v, "7bit", 4) == 0 || strncasecmp(v, "8bit", 4) == 0))))
                return fail(err, NULL, 0, "bad-header",
                            "een deel van het formulier heeft een Content-Transfer-Encoding die "
                            "niet wordt ondersteund");
        }
        p = eol ? eol + 2 : end;
    }
    if (!disp)
        return fail(err, NULL, 0, "no-disposition",
                    "een deel van het formulier heeft geen Content-Disposition");
    return parse_disposition(disp, disp_end, h, err);
}

int form_parse_multipart(const char *body, size_t len, const char *content_type, struct form *out,
                         struct lks_err *err)
{
    memset(out, 0, sizeof *out);
    char bnd[FORM_MAX_BOUNDARY + 1];
    size_t blen = 0;
    int rc = parse_boundary(content_type, bnd, &blen, err);
    if (rc)
        return rc;
    if (len && !body)
        return fail(err, NULL, 0, "no-body", "het formulier ontbreekt");
    /* the delimiter: CR LF "--" boundary */
    char dl[FORM_MAX_BOUNDARY + 4];
    memcpy(dl, "\r\n--", 4);
    memcpy(dl + 4, bnd, blen);
    size_t dlen = blen + 4;

    /* the first boundary: at the very start, or after a preamble */
    size_t pos;
    if (len >= dlen - 2 && memcmp(body, dl + 2, dlen - 2) == 0) {
        pos = dlen - 2;
    } else {
        const char *d = len ? memmem(body, len, dl, dlen) : NULL;
        if (!d)
            return fail(err, NULL, 0, "no-boundary",
                        "het formulier bevat de grens (boundary) uit het Content-Type niet");
        pos = (size_t)(d - body) + dlen;
    }
    /* parts are at most the delimiters + 1; each part's strings fit in its bytes with
     * a NUL for each of name, value, filename and content type */
    size_t parts = 1;
    for (const char *d = body + pos; (d = memmem(d, len - (size_t)(d - body), dl, dlen)) != NULL;
         d += dlen) {
        if (++parts > FORM_MAX_FIELDS)
            break;
    }
    struct builder b;
    if ((rc = builder_init(&b, out, parts, len + 4 * (parts + 1), err)) != 0)
        return rc;

    for (;;) {
        /* after a boundary: "--" closes, else optional padding and CR LF */
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
            return 0; /* the rest is the epilogue */
        while (pos < len && is_ows(body[pos]))
            pos++;
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
            return builder_fail(&b, fail(err, NULL, 0,
                                         pos >= len ? "no-final-boundary" : "bad-boundary",
                                         pos >= len ? "het formulier is niet compleet: de "
                                                      "afsluitende grens (boundary) ontbreekt"
                                                    : "een grens (boundary) in het formulier "
                                                      "wordt gevolgd door iets anders dan een "
                                                      "nieuwe regel"));
        size_t start = pos + 2;
        const char *d = memmem(body + start, len - start, dl, dlen);
        if (!d)
            return builder_fail(&b, fail(err, NULL, 0, "no-final-boundary",
                                         "het formulier is niet compleet: de afsluitende grens "
                                         "(boundary) ontbreekt"));
        size_t pend = (size_t)(d - body);
        pos = pend + dlen;
        const char *part = body + start;
        size_t plen = pend - start;

        /* the headers end with an empty line; a part that starts with one has none */
        size_t hlen, cstart;
        if (plen >= 2 && part[0] == '\r' && part[1] == '\n') {
            hlen = 0;
            cstart = 2;
        } else {
            size_t lim = plen < FORM_MAX_PART_HEADER + 4 ? plen : FORM_MAX_PART_HEADER + 4;
            const char *e = memmem(part, lim, "\r\n\r\n", 4);
            if (!e || (size_t)(e - part) + 2 > FORM_MAX_PART_HEADER) {
                if (plen >= FORM_MAX_PART_HEADER + 2) {
                    char m[120];
                    snprintf(m, sizeof m,
                             "de kopregels van een deel van het formulier zijn "
                             "langer dan %d bytes",
                             FORM_MAX_PART_HEADER);
                    return builder_fail(&b, fail(err, NULL, 0, "headers-too-long", m));
                }
                return builder_fail(&b, fail(err, NULL, 0, "bad-part",
                                             "een deel van het formulier heeft geen lege regel "
                                             "na de kopregels"));
            }
            hlen = (size_t)(e - part);
            cstart = hlen + 4;
        }
        struct part_head h;
        if ((rc = parse_part_headers(part, hlen, &h, err)) != 0)
            return builder_fail(&b, rc);
        const char *content = part + cstart;
        size_t clen = plen - cstart;

        if ((rc = check_name(h.name, h.nlen, err)) != 0)
            return builder_fail(&b, rc);
        if (h.has_file && h.flen == 0 && clen == 0)
            continue; /* a file input with no file chosen */
        if (!builder_room(&b, err))
            return builder_fail(&b, LKS_EINVAL);
        char *name = builder_copy(&b, h.name, h.nlen);
        if (!name)
            return builder_fail(&b, internal(err));
        struct form_field *ff = builder_add(&b, name, h.nlen, err);
        if (!ff)
            return builder_fail(&b, LKS_EINVAL);
        if (h.ctype)
            ff->content_type = builder_copy(&b, h.ctype, h.clen);
        char *v = builder_copy(&b, content, clen);
        if (!v || (h.ctype && !ff->content_type))
            return builder_fail(&b, internal(err));
        ff->value = v;
        ff->len = clen;
        if (h.has_file) {
            if (memchr(h.filename, '\0', h.flen) ||
                !utf8_valid((const unsigned char *)h.filename, h.flen))
                return builder_fail(&b, fail(err, name, h.nlen, "not-utf8",
                                             "de naam van het bestand bevat geen geldige tekst "
                                             "(UTF-8)"));
            if (++out->nfiles > FORM_MAX_FILES) {
                char m[96];
                snprintf(m, sizeof m, "het formulier heeft meer dan %d bestanden", FORM_MAX_FILES);
                return builder_fail(&b, fail(err, name, h.nlen, "too-many-files", m));
            }
            ff->filename = builder_copy(&b, h.filename, h.flen);
            if (!ff->filename)
                return builder_fail(&b, internal(err));
        } else {
            size_t vlen = clen;
            if ((rc = check_value(name, h.nlen, v, &vlen, err)) != 0)
                return builder_fail(&b, rc);
            ff->len = vlen;
        }
    }
}

/* ---- access ---- */

const char *form_get(const struct form *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->f[i].name, name) == 0)
            return f->f[i].value;
    return NULL;
}

int form_count(const struct form *f, const char *name)
{
    int c = 0;
    for (int i = 0; i < f->n; i++)
        c += strcmp(f->f[i].name, name) == 0;
    return c;
}

const struct form_field *form_file(const struct form *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (f->f[i].filename && strcmp(f->f[i].name, name) == 0)
            return &f->f[i];
    return NULL;
}

/* ---- from form to JSON ---- */

enum suffix { SFX_STR, SFX_KEEP, SFX_INT, SFX_BOOL, SFX_LIST, SFX_INTLIST, SFX_UNKNOWN };

/* The type suffix of a name and the length of the path before it. */
static enum suffix suffix_of(const char *name, size_t *baselen)
{
    static const struct {
        const char *s;
        enum suffix x;
    } known[] = {{"keep", SFX_KEEP},
                 {"int", SFX_INT},
                 {"bool", SFX_BOOL},
                 {"list", SFX_LIST},
                 {"intlist", SFX_INTLIST}};
    const char *c = strrchr(name, ':');
    if (!c) {
        *baselen = strlen(name);
        return SFX_STR;
    }
    *baselen = (size_t)(c - name);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(c + 1, known[i].s) == 0)
            return known[i].x;
    return SFX_UNKNOWN;
}

static bool seg_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '_';
}

/* Whether s[0..n) is an array index; its value in *idx. -1: digits, but no valid index. */
static int seg_index(const char *s, size_t n, long *idx)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    if ((n > 1 && s[0] == '0') || n > 4)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    if (v >= FORM_MAX_FIELDS)
        return -1;
    *idx = v;
    return 1;
}

static void jfault(struct lks_errlist *errs, const char *path, size_t plen, const char *reason,
                   const char *msg)
{
    char f[sizeof errs->e[0].field];
    err_name(f, path, plen);
    lks_err_set(lks_errlist_add(errs), LKS_EINVAL, f, reason, "%s", msg);
}

/* Check a path: its segments, their number, the indices. */
static bool check_path(const char *base, size_t blen, const char *name, struct lks_errlist *errs)
{
    int segs = 0;
    const char *p = base, *end = base + blen;
    for (;;) {
        const char *dot = memchr(p, '.', (size_t)(end - p));
        const char *se = dot ? dot : end;
        if (se == p) {
            jfault(errs, name, strlen(name), "invalid-name",
                   "is geen geldige veldnaam (lege naam tussen punten)");
            return false;
        }
        for (const char *q = p; q < se; q++)
            if (!seg_char(*q)) {
                jfault(errs, name, strlen(name), "invalid-name",
                       "is geen geldige veldnaam (letters, cijfers, '-' en '_', gescheiden door "
                       "punten)");
                return false;
            }
        long idx;
        int ix = seg_index(p, (size_t)(se - p), &idx);
        if (ix < 0 || (ix > 0 && segs == 0)) {
            jfault(errs, base, (size_t)(se - base), "bad-index",
                   ix < 0 ? "heeft een ongeldig volgnummer" : "begint met een volgnummer");
            return false;
        }
        if (++segs > FORM_MAX_DEPTH) {
            char m[96];
            snprintf(m, sizeof m, "is te diep genest (ten hoogste %d niveaus)", FORM_MAX_DEPTH);
            jfault(errs, base, blen, "too-deep", m);
            return false;
        }
        if (!dot)
            return true;
        p = dot + 1;
    }
}

/* A decimal integer: optional '-', digits, within int64. 0, or -1 (not one), -2 (range). */
static int parse_int(const char *s, size_t n, json_int_t *out)
{
    size_t i = n > 0 && s[0] == '-';
    if (n == i)
        return -1;
    for (size_t k = i; k < n; k++)
        if (s[k] < '0' || s[k] > '9')
            return -1;
    uint64_t lim = i ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    for (size_t k = i; k < n; k++) {
        unsigned d = (unsigned)(s[k] - '0');
        if (v > (lim - d) / 10)
            return -2;
        v = v * 10 + d;
    }
    *out = i ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(json_int_t)v) : (json_int_t)v;
    return 0;
}

/* The JSON integer of a :int value; NULL after a fault (in errs) or when out of memory
 * (*oom). */
static json_t *int_value(const struct form_field *ff, const char *base, size_t blen,
                         struct lks_errlist *errs, bool *oom)
{
    json_int_t v;
    int rc = parse_int(ff->value, ff->len, &v);
    if (rc == 0) {
        json_t *j = json_integer(v);
        if (!j)
            *oom = true;
        return j;
    }
    if (rc == -2)
        jfault(errs, base, blen, "out-of-range", "ligt buiten het mogelijke bereik");
    else
        jfault(errs, base, blen, "not-an-integer", "moet een geheel getal zijn");
    return NULL;
}

/* The meaning of a :bool value: 1 true, 0 false, -1 neither. */
static int bool_word(const char *s)
{
    if (!strcmp(s, "true") || !strcmp(s, "on") || !strcmp(s, "ja"))
        return 1;
    if (!strcmp(s, "false") || !strcmp(s, "off") || !strcmp(s, "nee"))
        return 0;
    return -1;
}

/* Names that count for the JSON and the values: not for the page, no file. */
static bool counts(const struct form_field *ff)
{
    return ff->name[0] != '_' && !ff->filename;
}

/* Whether field i is the first of its name. */
static bool first_of_name(const struct form *f, int i)
{
    for (int j = 0; j < i; j++)
        if (strcmp(f->f[j].name, f->f[i].name) == 0)
            return false;
    return true;
}

enum nkind { N_NONE, N_VAL, N_OBJ, N_ARR };

/* A node of the tree of paths: an object's key or an array's index, and what is there. */
struct node {
    const char *seg; /* the segment, in the name that made the node */
    size_t seglen;
    long index; /* an array's element: its index */
    enum nkind kind;
    json_t *val;           /* N_VAL */
    int first, last, next; /* children in the order made; -1: none */
    const char *path;      /* the path up to and with this segment, for errors */
    size_t pathlen;
};

struct tree {
    struct node *n;
    int len, cap;
    bool oom;
    struct lks_errlist *errs;
};

static int tree_new(struct tree *t, int parent, const char *seg, size_t seglen, long index,
                    const char *path, size_t pathlen)
{
    if (t->len >= t->cap) {
        t->oom = true; /* cannot happen: the tree is sized for every name's segments */
        return -1;
    }
    int i = t->len++;
    t->n[i] = (struct node){seg, seglen, index, N_NONE, NULL, -1, -1, -1, path, pathlen};
    if (parent >= 0) {
        if (t->n[parent].last >= 0)
            t->n[t->n[parent].last].next = i;
        else
            t->n[parent].first = i;
        t->n[parent].last = i;
    }
    return i;
}

static void conflict(struct tree *t, const struct node *nd, enum nkind want)
{
    const char *m;
    if (nd->kind == N_VAL || want == N_VAL)
        m = "is zowel een waarde als een groep velden";
    else
        m = "is zowel een lijst als een groep velden";
    jfault(t->errs, nd->path, nd->pathlen, "conflict", m);
}

/* Put val (owned) at the path base[0..blen) (checked by check_path). */
static void tree_put(struct tree *t, const char *base, size_t blen, json_t *val)
{
    int cur = 0;
    const char *p = base, *end = base + blen;
    for (;;) {
        const char *dot = memchr(p, '.', (size_t)(end - p));
        const char *se = dot ? dot : end;
        long idx = -1;
        enum nkind want = seg_index(p, (size_t)(se - p), &idx) > 0 ? N_ARR : N_OBJ;
        if (t->n[cur].kind == N_NONE)
            t->n[cur].kind = want;
        if (t->n[cur].kind != want) {
            conflict(t, &t->n[cur], want);
            json_decref(val);
            return;
        }
        int ch = -1;
        for (int k = t->n[cur].first; k >= 0 && ch < 0; k = t->n[k].next)
            if (want == N_ARR ? t->n[k].index == idx
                              : t->n[k].seglen == (size_t)(se - p) &&
                                    memcmp(t->n[k].seg, p, (size_t)(se - p)) == 0)
                ch = k;
        if (ch < 0 &&
            (ch = tree_new(t, cur, p, (size_t)(se - p), idx, base, (size_t)(se - base))) < 0) {
            json_decref(val);
            return;
        }
        if (!dot) {
            struct node *nd = &t->n[ch];
            if (nd->kind == N_NONE) {
                nd->kind = N_VAL;
                nd->val = val;
                return;
            }
            if (nd->kind == N_VAL)
                jfault(t->errs, nd->path, nd->pathlen, "repeated", "is meer dan eens opgegeven");
            else
                conflict(t, nd, N_VAL);
            json_decref(val);
            return;
        }
        cur = ch;
        p = dot + 1;
    }
}

static int by_index(const void *a, const void *b)
{
    long x = ((const struct node *const *)a)[0]->index;
    long y = ((const struct node *const *)b)[0]->index;
    return (x > y) - (x < y);
}

/* The JSON of node i; NULL when out of memory (t->oom). Holes in arrays are faults. */
static json_t *tree_json(struct tree *t, int i)
{
    struct node *nd = &t->n[i];
    if (nd->kind == N_VAL)
        return json_incref(nd->val);
    if (nd->kind == N_OBJ || nd->kind == N_NONE) {
        json_t *o = json_object();
        if (!o) {
            t->oom = true;
            return NULL;
        }
        for (int k = nd->first; k >= 0; k = t->n[k].next) {
            if (t->n[k].kind == N_NONE)
                continue;
            json_t *v = tree_json(t, k);
            if (!v || json_object_setn_new(o, t->n[k].seg, t->n[k].seglen, v)) {
                t->oom = true;
                json_decref(o);
                return NULL;
            }
        }
        return o;
    }
    int count = 0;
    for (int k = nd->first; k >= 0; k = t->n[k].next)
        count++;
    struct node **el = malloc((size_t)(count ? count : 1) * sizeof *el);
    json_t *a = json_array();
    if (!el || !a) {
        free(el);
        json_decref(a);
        t->oom = true;
        return NULL;
    }
    int c = 0;
    for (int k = nd->first; k >= 0; k = t->n[k].next)
        el[c++] = &t->n[k];
    qsort(el, (size_t)count, sizeof *el, by_index);
    long expect = 0;
    for (int k = 0; k < count; k++) {
        for (; expect < el[k]->index; expect++) {
            char p[FORM_MAX_NAME + 16];
            int pl = snprintf(p, sizeof p, "%.*s.%ld", (int)nd->pathlen, nd->path, expect);
            jfault(t->errs, p, (size_t)pl, "hole",
                   "ontbreekt, terwijl een rij met een hoger volgnummer is ingevuld");
        }
        expect = el[k]->index + 1;
        json_t *v = tree_json(t, (int)(el[k] - t->n));
        if (!v || json_array_append_new(a, v)) {
            t->oom = true;
            break;
        }
    }
    free(el);
    if (t->oom) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static void tree_free(struct tree *t)
{
    for (int i = 0; i < t->len; i++)
        if (t->n[i].kind == N_VAL)
            json_decref(t->n[i].val);
    free(t->n);
}

int form_to_json(const struct form *f, json_t **out, struct lks_errlist *errs)
{
    *out = NULL;
    int before = errs->n + errs->dropped;
    struct tree t = {0};
    t.errs = errs;
    /* a node per segment of every name, at most */
    t.cap = 1;
    for (int i = 0; i < f->n; i++) {
        int segs = 1;
        for (const char *p = f->f[i].name; *p && segs < FORM_MAX_DEPTH; p++)
            segs += *p == '.';
        t.cap += segs;
    }
    t.n = malloc((size_t)t.cap * sizeof *t.n);
    if (!t.n) {
        lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, WHOLE, "no-memory", "onvoldoende geheugen");
        return LKS_ENOMEM;
    }
    tree_new(&t, -1, "", 0, -1, "", 0);
    t.n[0].kind = N_OBJ;

    for (int i = 0; i < f->n && !t.oom; i++) {
        const struct form_field *ff = &f->f[i];
        if (!counts(ff) || !first_of_name(f, i))
            continue;
        size_t blen;
        enum suffix sx = suffix_of(ff->name, &blen);
        if (!check_path(ff->name, blen, ff->name, errs))
            continue;
        if (sx == SFX_UNKNOWN) {
            jfault(errs, ff->name, blen, "unknown-suffix",
                   "heeft een onbekend type na de dubbele punt (bekend: :int, :bool, :list, "
                   ":intlist, :keep)");
            continue;
        }
        int count = 0, last = i;
        for (int j = i; j < f->n; j++)
            if (strcmp(f->f[j].name, ff->name) == 0) {
                count++;
                last = j;
            }
        if (count > 1 && (sx == SFX_STR || sx == SFX_KEEP || sx == SFX_INT)) {
            jfault(errs, ff->name, blen, "repeated", "is meer dan eens opgegeven");
            continue;
        }
        json_t *val = NULL;
        switch (sx) {
        case SFX_STR:
        case SFX_KEEP:
            if (sx == SFX_STR && blank(ff->value, ff->len))
                continue;
            if (!(val = json_stringn(ff->value, ff->len)))
                t.oom = true;
            break;
        case SFX_INT:
            if (blank(ff->value, ff->len))
                continue;
            if (!(val = int_value(ff, ff->name, blen, errs, &t.oom)))
                continue;
            break;
        case SFX_BOOL: {
            const struct form_field *lf = &f->f[last];
            if (blank(lf->value, lf->len))
                continue;
            int b = bool_word(lf->value);
            if (b < 0) {
                jfault(errs, ff->name, blen, "not-a-boolean", "moet ja of nee zijn");
                continue;
            }
            val = json_boolean(b);
            break;
        }
        case SFX_LIST:
        case SFX_INTLIST: {
            if (!(val = json_array())) {
                t.oom = true;
                break;
            }
            for (int j = i; j < f->n && val; j++) {
                const struct form_field *e = &f->f[j];
                if (strcmp(e->name, ff->name) != 0 || blank(e->value, e->len))
                    continue;
                json_t *item;
                if (sx == SFX_LIST)
                    t.oom |= !(item = json_stringn(e->value, e->len));
                else
                    item = int_value(e, ff->name, blen, errs, &t.oom); /* NULL: a fault */
                if (!item || json_array_append_new(val, item)) {
                    t.oom |= item != NULL;
                    json_decref(val);
                    val = NULL;
                }
            }
            if (!val)
                continue;
            break;
        }
        case SFX_UNKNOWN:
            continue;
        }
        if (!val) {
            t.oom = true;
            break;
        }
        tree_put(&t, ff->name, blen, val);
    }
    json_t *root = t.oom ? NULL : tree_json(&t, 0);
    tree_free(&t);
    if (t.oom) {
        json_decref(root);
        lks_err_set(lks_errlist_add(errs), LKS_ENOMEM, WHOLE, "no-memory", "onvoldoende geheugen");
        return LKS_ENOMEM;
    }
    if (errs->n + errs->dropped > before) {
        json_decref(root);
        return LKS_EINVAL;
    }
    *out = root;
    return 0;
}

json_t *form_values(const struct form *f)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    for (int i = 0; i < f->n; i++) {
        const struct form_field *ff = &f->f[i];
        if (!counts(ff) || !first_of_name(f, i))
            continue;
        size_t blen;
        enum suffix sx = suffix_of(ff->name, &blen);
        if (json_object_getn(o, ff->name, blen))
            continue; /* the same key by another suffix: the first counts */
        json_t *v;
        if (sx == SFX_LIST || sx == SFX_INTLIST) {
            v = json_array();
            for (int j = i; j < f->n && v; j++)
                if (strcmp(f->f[j].name, ff->name) == 0 &&
                    json_array_append_new(v, json_stringn(f->f[j].value, f->f[j].len))) {
                    json_decref(v);
                    v = NULL;
                }
        } else if (sx == SFX_BOOL) {
            const struct form_field *lf = ff;
            for (int j = i; j < f->n; j++)
                if (strcmp(f->f[j].name, ff->name) == 0)
                    lf = &f->f[j];
            int b = bool_word(lf->value);
            v = b < 0 ? json_stringn(lf->value, lf->len) : json_string(b ? "true" : "false");
        } else {
            v = json_stringn(ff->value, ff->len);
        }
        if (!v || json_object_setn_new(o, ff->name, blen, v)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

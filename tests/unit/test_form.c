/*
 * test_form — the form decoder of the pages (src/web/form.h): urlencoded and multipart
 * bodies from tables of inputs with the fields or the error (field and reason) each
 * must give; every limit at and over it; every byte value percent-encoded; UTF-8 that
 * is not (overlong, surrogates, cut off, out of range) against an independent
 * reference; line breaks; binary files with bytes that look like the boundary; the
 * suffixes, arrays, holes and conflicts of form_to_json; the application form of the
 * README turned into exactly the JSON the README posts, read by the codec; and a
 * deterministic fuzzer over the harness of tests/fuzz/fuzz_form.c.
 */
#include "testutil.h"

#include <jansson.h>

#include "codec/case_json.h"
#include "web/form.h"

#include "../fuzz/fuzz_form.c"

/* ---- helpers ---- */

/* A growable byte buffer for building bodies. */
struct sb {
    char *p;
    size_t n, cap;
};

static void sb_add(struct sb *b, const void *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_rep(struct sb *b, char c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_add(b, &c, 1);
}

static void sb_fmt(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_fmt(struct sb *b, const char *fmt, ...)
{
    char t[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t, sizeof t, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof t);
    sb_add(b, t, (size_t)n);
}

static void sb_free(struct sb *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* name=value, percent-encoding everything but unreserved characters (spaces as '+'). */
static void sb_urlpair(struct sb *b, const char *name, const char *value)
{
    const char *parts[2] = {name, value};
    if (b->n)
        sb_str(b, "&");
    for (int k = 0; k < 2; k++) {
        for (const unsigned char *s = (const unsigned char *)parts[k]; *s; s++) {
            if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                strchr("-._~:", *s))
                sb_add(b, s, 1);
            else if (*s == ' ')
                sb_str(b, "+");
            else
                sb_fmt(b, "%%%02X", *s);
        }
        if (k == 0)
            sb_str(b, "=");
    }
}

#define BND "XyZ"
#define CT  "multipart/form-data; boundary=" BND

/* One multipart part: the headers (each line without CR LF) and the content. */
static void sb_part(struct sb *b, const char *headers, const void *content, size_t n)
{
    sb_str(b, "--" BND "\r\n");
    sb_str(b, headers);
    sb_str(b, "\r\n\r\n");
    sb_add(b, content, n);
    sb_str(b, "\r\n");
}

static void sb_text_part(struct sb *b, const char *name, const char *value)
{
    char h[256];
    snprintf(h, sizeof h, "Content-Disposition: form-data; name=\"%s\"", name);
    sb_part(b, h, value, strlen(value));
}

static void sb_close(struct sb *b)
{
    sb_str(b, "--" BND "--\r\n");
}

/* Parse and expect success. */
static void parse_ok(const char *body, size_t n, struct form *f)
{
    struct lks_err err = {0};
    int rc = form_parse_urlencoded(body, n, f, &err);
    if (rc)
        fail_msg("refused: %s: %s (%s)", err.field, err.msg, err.reason);
}

static void mp_ok(const struct sb *b, const char *ct, struct form *f)
{
    struct lks_err err = {0};
    int rc = form_parse_multipart(b->p, b->n, ct, f, &err);
    if (rc)
        fail_msg("refused: %s: %s (%s)", err.field, err.msg, err.reason);
}

/* A refused parse: the field and reason, and no partial form left. */
static void expect_refused(int rc, const struct form *f, const struct lks_err *err,
                           const char *field, const char *reason, const char *what)
{
    if (rc == 0)
        fail_msg("accepted: %s", what);
    assert_int_equal(rc, LKS_EINVAL);
    assert_int_equal(err->code, LKS_EINVAL);
    if (strcmp(err->field, field) || strcmp(err->reason, reason))
        fail_msg("%s: got %s/%s (%s), want %s/%s", what, err->field, err->reason, err->msg, field,
                 reason);
    assert_true(err->msg[0] != '\0');
    assert_int_equal(f->n, 0);
    assert_null(f->f);
    assert_null(f->mem);
}

static void url_refused(const char *body, size_t n, const char *field, const char *reason)
{
    struct form f;
    struct lks_err err = {0};
    int rc = form_parse_urlencoded(body, n, &f, &err);
    expect_refused(rc, &f, &err, field, reason, body);
    form_free(&f);
}

static void mp_refused(const struct sb *b, const char *ct, const char *field, const char *reason)
{
    struct form f;
    struct lks_err err = {0};
    int rc = form_parse_multipart(b->p, b->n, ct, &f, &err);
    expect_refused(rc, &f, &err, field, reason, b->p ? b->p : "(empty)");
    form_free(&f);
}

/* ---- urlencoded: tables ---- */

struct kv {
    const char *name, *value;
};

struct url_case {
    const char *body;
    int n;
    struct kv f[5];
};

static const struct url_case url_ok[] = {
    {"", 0, {{0}}},
    {"&&&", 0, {{0}}},
    {"a=1", 1, {{"a", "1"}}},
    {"a=1&b=2", 2, {{"a", "1"}, {"b", "2"}}},
    {"a", 1, {{"a", ""}}},
    {"a=", 1, {{"a", ""}}},
    {"&&a=1&&b&", 2, {{"a", "1"}, {"b", ""}}},
    {"a+b=c+d", 1, {{"a b", "c d"}}},
    {"a=%41%62%7e", 1, {{"a", "Ab~"}}},
    {"a=%e2%82%ac&b=%E2%82%AC", 2, {{"a", "\xe2\x82\xac"}, {"b", "\xe2\x82\xac"}}},
    {"a=b=c", 1, {{"a", "b=c"}}},
    {"a=%2B&b=%26&c=%3D&d=%25", 4, {{"a", "+"}, {"b", "&"}, {"c", "="}, {"d", "%"}}},
    {"a=1&b=x&a=2&a=3", 4, {{"a", "1"}, {"b", "x"}, {"a", "2"}, {"a", "3"}}},
    {"t=x%0D%0Ay", 1, {{"t", "x\ny"}}},
    {"t=x%0Dy", 1, {{"t", "x\ny"}}},
    {"t=x%0Ay", 1, {{"t", "x\ny"}}},
    {"t=%0D%0A%0D%0A", 1, {{"t", "\n\n"}}},
    {"t=a%0A%0D%0Ab%0D%0D", 1, {{"t", "a\n\nb\n\n"}}},
    {"n%C3%A9=caf%C3%A9", 1, {{"n\xc3\xa9", "caf\xc3\xa9"}}},
    {"a=caf\xc3\xa9", 1, {{"a", "caf\xc3\xa9"}}}, /* raw UTF-8 as some clients send it */
    {"a=%09tab", 1, {{"a", "\ttab"}}},
    /* the edges of what is valid UTF-8 */
    {"a=%C2%80&b=%DF%BF", 2, {{"a", "\xc2\x80"}, {"b", "\xdf\xbf"}}},
    {"a=%E0%A0%80&b=%ED%9F%BF&c=%EE%80%80&d=%EF%BF%BF",
     4,
     {{"a", "\xe0\xa0\x80"}, {"b", "\xed\x9f\xbf"}, {"c", "\xee\x80\x80"}, {"d", "\xef\xbf\xbf"}}},
    {"a=%F0%90%80%80&b=%F4%8F%BF%BF", 2, {{"a", "\xf0\x90\x80\x80"}, {"b", "\xf4\x8f\xbf\xbf"}}},
    {"gegevens.werknemer.naam=Anna+de+Vries&_csrf=x",
     2,
     {{"gegevens.werknemer.naam", "Anna de Vries"}, {"_csrf", "x"}}},
};

struct url_bad {
    const char *body;
    const char *field, *reason;
};

static const struct url_bad url_err[] = {
    {"a=%", "a", "bad-escape"},
    {"a=%4", "a", "bad-escape"},
    {"a=x%", "a", "bad-escape"},
    {"a=%G1", "a", "bad-escape"},
    {"a=%4g", "a", "bad-escape"},
    {"a=%%41", "a", "bad-escape"},
    {"ok=1&a=%+1", "a", "bad-escape"},
    {"%zz=1", "%zz", "bad-escape"},
    {"gegevens.werknemer.naam=%", "werknemer.naam", "bad-escape"},
    {"gegevens.dienstverband.uren:int=%x", "dienstverband.uren", "bad-escape"},
    {"=1", "formulier", "no-name"},
    {"a=1&=", "formulier", "no-name"},
    {"a=%00", "a", "nul-character"},
    {"a=x%00y", "a", "nul-character"},
    {"a%00=1", "a?", "nul-character"},
    {"a%01=1", "a?", "control-character"},
    {"a%0A=1", "a?", "control-character"},
    {"a%7F=1", "a?", "control-character"},
    {"n%FF=1", "n?", "not-utf8"},
    {"a=%80", "a", "not-utf8"}, /* a continuation byte alone */
    {"a=%BF", "a", "not-utf8"},
    {"a=%C3", "a", "not-utf8"}, /* cut off */
    {"a=%C3x", "a", "not-utf8"},
    {"a=%E2%82", "a", "not-utf8"},
    {"a=%F0%9F%98", "a", "not-utf8"},
    {"a=%E2%28%A1", "a", "not-utf8"}, /* a bad continuation */
    {"a=%C0%AF", "a", "not-utf8"},    /* overlong '/' */
    {"a=%C1%BF", "a", "not-utf8"},
    {"a=%C0%80", "a", "not-utf8"}, /* overlong NUL */
    {"a=%E0%80%AF", "a", "not-utf8"},
    {"a=%E0%9F%BF", "a", "not-utf8"},
    {"a=%F0%80%80%AF", "a", "not-utf8"},
    {"a=%F0%8F%BF%BF", "a", "not-utf8"},
    {"a=%ED%A0%80", "a", "not-utf8"}, /* surrogates */
    {"a=%ED%AD%BF", "a", "not-utf8"},
    {"a=%ED%B0%80", "a", "not-utf8"},
    {"a=%ED%BF%BF", "a", "not-utf8"},
    {"a=%ED%A0%BD%ED%B8%80", "a", "not-utf8"}, /* a surrogate pair as CESU-8 */
    {"a=%F4%90%80%80", "a", "not-utf8"},       /* above U+10FFFF */
    {"a=%F5%80%80%80", "a", "not-utf8"},
    {"a=%F8%88%80%80%80", "a", "not-utf8"},
    {"a=%FE", "a", "not-utf8"},
    {"a=%FF", "a", "not-utf8"},
    {"a=caf\xe9", "a", "not-utf8"}, /* Latin-1 as it is */
};

static void test_url_table(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof url_ok / sizeof url_ok[0]; c++) {
        const struct url_case *t = &url_ok[c];
        struct form f;
        parse_ok(t->body, strlen(t->body), &f);
        if (f.n != t->n)
            fail_msg("%s: %d fields, want %d", t->body, f.n, t->n);
        for (int i = 0; i < t->n; i++) {
            assert_string_equal(f.f[i].name, t->f[i].name);
            assert_string_equal(f.f[i].value, t->f[i].value);
            assert_int_equal(f.f[i].len, strlen(t->f[i].value));
            assert_null(f.f[i].filename);
            assert_null(f.f[i].content_type);
        }
        assert_int_equal(f.nfiles, 0);
        form_free(&f);
        assert_null(f.mem);
        form_free(&f); /* again: harmless */
    }
    for (size_t c = 0; c < sizeof url_err / sizeof url_err[0]; c++)
        url_refused(url_err[c].body, strlen(url_err[c].body), url_err[c].field, url_err[c].reason);
}

/* The body need not end with a NUL: only `len` bytes are read. */
static void test_url_length(void **state)
{
    (void)state;
    struct form f;
    parse_ok("a=1&b=2", 3, &f);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.f[0].value, "1");
    form_free(&f);
    parse_ok(NULL, 0, &f);
    assert_int_equal(f.n, 0);
    form_free(&f);
    char nonul[3] = {'a', '=', 'b'};
    parse_ok(nonul, sizeof nonul, &f);
    assert_string_equal(f.f[0].value, "b");
    form_free(&f);
    /* no body, though a length */
    url_refused(NULL, 3, "formulier", "no-body");
    {
        struct lks_err err = {0};
        assert_int_equal(form_parse_multipart(NULL, 3, CT, &f, &err), LKS_EINVAL);
        assert_string_equal(err.reason, "no-body");
    }
    /* a NUL byte in the raw body */
    url_refused("a=x\0y", 5, "a", "nul-character");
    url_refused("a\0=1", 4, "a?", "nul-character");
}

/* Every byte value, percent-encoded in upper and lower case, in a value and in a name. */
static void test_every_byte(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        for (int lower = 0; lower <= 1; lower++) {
            char body[32];
            snprintf(body, sizeof body, lower ? "v=%%%02x" : "v=%%%02X", b);
            struct form f;
            struct lks_err err = {0};
            int rc = form_parse_urlencoded(body, strlen(body), &f, &err);
            if (b == 0) {
                expect_refused(rc, &f, &err, "v", "nul-character", body);
            } else if (b >= 0x80) {
                expect_refused(rc, &f, &err, "v", "not-utf8", body);
            } else {
                assert_int_equal(rc, 0);
                assert_int_equal(f.n, 1);
                assert_int_equal(f.f[0].len, 1);
                assert_int_equal((unsigned char)f.f[0].value[0], b == '\r' ? '\n' : b);
            }
            form_free(&f);
            /* in a name: control characters are refused */
            snprintf(body, sizeof body, lower ? "n%%%02x=1" : "n%%%02X=1", b);
            memset(&err, 0, sizeof err);
            rc = form_parse_urlencoded(body, strlen(body), &f, &err);
            if (b == 0)
                expect_refused(rc, &f, &err, "n?", "nul-character", body);
            else if (b < 0x20 || b == 0x7F)
                expect_refused(rc, &f, &err, "n?", "control-character", body);
            else if (b >= 0x80)
                expect_refused(rc, &f, &err, "n?", "not-utf8", body);
            else {
                assert_int_equal(rc, 0);
                assert_int_equal(f.f[0].name[1], b);
                assert_int_equal(strlen(f.f[0].name), 2);
            }
            form_free(&f);
        }
    }
}

/*
 * An independent reference for UTF-8: decode by the bit patterns, then require the
 * shortest form, no surrogate and at most U+10FFFF.
 */
static bool ref_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], cp, k;
        if ((c & 0x80) == 0) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + k >= n)
            return false;
        for (unsigned j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

static void utf8_agrees(const unsigned char *s, size_t n)
{
    char body[64] = "v=";
    size_t o = 2;
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(body + o, sizeof body - o, "%%%02X", s[i]);
    struct form f;
    struct lks_err err = {0};
    int rc = form_parse_urlencoded(body, o, &f, &err);
    bool want = ref_utf8(s, n) && !memchr(s, 0, n);
    if ((rc == 0) != want)
        fail_msg("%s: decoder says %s, reference %s", body, rc ? err.reason : "valid",
                 want ? "valid" : "invalid");
    if (rc == 0 && !memchr(s, '\r', n)) {
        assert_int_equal(f.f[0].len, n);
        assert_memory_equal(f.f[0].value, s, n);
    }
    form_free(&f);
}

/* Every two-byte sequence; three- and four-byte ones over every lead and second byte. */
static void test_utf8_exhaustive(void **state)
{
    (void)state;
    for (int a = 1; a < 256; a++)
        for (int b = 1; b < 256; b++)
            utf8_agrees((const unsigned char[]){(unsigned char)a, (unsigned char)b}, 2);
    static const unsigned char tails[] = {0x01, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
    for (int a = 0xC0; a < 256; a++)
        for (int b = 1; b < 256; b++)
            for (size_t t = 0; t < sizeof tails; t++) {
                utf8_agrees((const unsigned char[]){(unsigned char)a, (unsigned char)b, tails[t]},
                            3);
                utf8_agrees(
                    (const unsigned char[]){(unsigned char)a, (unsigned char)b, tails[t], 0x80}, 4);
                utf8_agrees(
                    (const unsigned char[]){(unsigned char)a, (unsigned char)b, 0x80, tails[t]}, 4);
            }
}

/* ---- urlencoded: every limit at and over it ---- */

static void test_url_caps(void **state)
{
    (void)state;
    struct sb b = {0};
    struct form f;
    /* fields */
    for (int i = 0; i < FORM_MAX_FIELDS; i++)
        sb_fmt(&b, "%sf%d=%d", i ? "&" : "", i, i);
    parse_ok(b.p, b.n, &f);
    assert_int_equal(f.n, FORM_MAX_FIELDS);
    assert_string_equal(f.f[FORM_MAX_FIELDS - 1].name, "f511");
    form_free(&f);
    sb_str(&b, "&&&&"); /* empty pieces do not count */
    parse_ok(b.p, b.n, &f);
    assert_int_equal(f.n, FORM_MAX_FIELDS);
    form_free(&f);
    sb_str(&b, "x=1");
    url_refused(b.p, b.n, "formulier", "too-many-fields");
    sb_free(&b);

    /* a name's bytes */
    sb_rep(&b, 'n', FORM_MAX_NAME);
    sb_str(&b, "=1");
    parse_ok(b.p, b.n, &f);
    assert_int_equal(strlen(f.f[0].name), FORM_MAX_NAME);
    form_free(&f);
    sb_free(&b);
    sb_rep(&b, 'n', FORM_MAX_NAME + 1);
    sb_str(&b, "=1");
    {
        char want[64];
        memset(want, 'n', 63);
        want[63] = '\0';
        url_refused(b.p, b.n, want, "name-too-long");
    }
    sb_free(&b);
    /* counted in bytes after decoding: 64 × "é" is 128 bytes, one more is over */
    for (int i = 0; i < FORM_MAX_NAME / 2; i++)
        sb_str(&b, "%C3%A9");
    sb_str(&b, "=1");
    parse_ok(b.p, b.n, &f);
    assert_int_equal(strlen(f.f[0].name), FORM_MAX_NAME);
    form_free(&f);
    sb_free(&b);
    for (int i = 0; i < FORM_MAX_NAME / 2 + 1; i++)
        sb_str(&b, "%C3%A9");
    sb_str(&b, "=1");
    {
        /* the error names it cut at a character's boundary: 31 × "é" */
        struct lks_err err = {0};
        int rc = form_parse_urlencoded(b.p, b.n, &f, &err);
        assert_int_equal(rc, LKS_EINVAL);
        assert_string_equal(err.reason, "name-too-long");
        assert_int_equal(strlen(err.field), 62);
        assert_true(ref_utf8((const unsigned char *)err.field, strlen(err.field)));
    }
    sb_free(&b);

    /* a value's bytes, as kept */
    sb_str(&b, "v=");
    sb_rep(&b, 'x', FORM_MAX_VALUE);
    parse_ok(b.p, b.n, &f);
    assert_int_equal(f.f[0].len, FORM_MAX_VALUE);
    form_free(&f);
    sb_str(&b, "x");
    url_refused(b.p, b.n, "v", "too-long");
    sb_free(&b);
    /* CR LF counts as the LF it becomes */
    sb_str(&b, "v=");
    sb_rep(&b, 'x', FORM_MAX_VALUE - 1);
    sb_str(&b, "%0D%0A");
    parse_ok(b.p, b.n, &f);
    assert_int_equal(f.f[0].len, FORM_MAX_VALUE);
    assert_int_equal(f.f[0].value[FORM_MAX_VALUE - 1], '\n');
    form_free(&f);
    sb_str(&b, "y");
    url_refused(b.p, b.n, "v", "too-long");
    sb_free(&b);
    /* encoded bytes count decoded: 65536 bytes as %78 */
    sb_str(&b, "gegevens.toelichting=");
    for (int i = 0; i < FORM_MAX_VALUE; i++)
        sb_str(&b, "%78");
    parse_ok(b.p, b.n, &f);
    assert_int_equal(f.f[0].len, FORM_MAX_VALUE);
    form_free(&f);
    sb_str(&b, "%78");
    url_refused(b.p, b.n, "toelichting", "too-long");
    sb_free(&b);

    /* one name repeated */
    for (int i = 0; i < FORM_MAX_REPEAT; i++)
        sb_fmt(&b, "%sgegevens.keuze:list=%d&ander=%d", i ? "&" : "", i, i);
    parse_ok(b.p, b.n, &f);
    assert_int_equal(form_count(&f, "gegevens.keuze:list"), FORM_MAX_REPEAT);
    assert_int_equal(form_count(&f, "ander"), FORM_MAX_REPEAT);
    for (int i = 0, k = 0; i < f.n; i++)
        if (strcmp(f.f[i].name, "gegevens.keuze:list") == 0) {
            char want[8];
            snprintf(want, sizeof want, "%d", k++ % 1000);
            assert_string_equal(f.f[i].value, want); /* in order */
        }
    form_free(&f);
    sb_str(&b, "&gegevens.keuze:list=x");
    url_refused(b.p, b.n, "keuze", "too-many-values");
    sb_free(&b);
}

/* ---- multipart ---- */

/* Bytes of a file that look like a boundary without being one, and CR LF. */
static const unsigned char pdf_bytes[] = {
    '%',  'P',  'D',  'F',  '-',  '1',  '.',  '7',  '\r', '\n', 0x00,
    0xFF, 0xFE, 0x80, '\r', '\n', '-',  '-',  'X',  'y', /* a CR LF -- and a boundary cut short */
    '\r', '\n', '-',  'X',  'y',  'Z',                   /* one dash */
    '-',  '-',  'X',  'y',  'Z',                         /* no CR LF before it */
    '\n', '-',  '-',  'X',  'y',  'Z',                   /* LF alone */
    '\r', '-',  '-',  'X',  'y',  'Z',  '-',  '-',       /* CR alone */
    '\r', '\n', '-',  '-',  'x',  'y',  'Z',             /* another case */
    '\r', '\n', '\r', '\n', 0xC3, 0x28, 0x00, '\r',      /* blank line, bad UTF-8, a NUL */
};

static void test_multipart_file(void **state)
{
    (void)state;
    struct sb b = {0};
    sb_str(&b, "a preamble that is ignored\r\n");
    sb_text_part(&b, "_csrf", "tok");
    sb_text_part(&b, "gegevens.reden", "regel 1\r\nregel 2\rregel 3\n");
    sb_part(&b,
            "Content-Disposition: form-data; name=\"contract\"; filename=\"contract 2026.pdf\"\r\n"
            "Content-Type: application/pdf",
            pdf_bytes, sizeof pdf_bytes);
    sb_part(&b,
            "content-disposition: FORM-DATA; name=leeg; filename=\"\"\r\n"
            "Content-Type: application/octet-stream",
            "", 0);
    sb_part(&b, "Content-Disposition: form-data; name=\"bijlage\"; filename=\"\"", "x", 1);
    sb_part(&b,
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Disposition: form-data; name=\"t\"",
            "caf\xc3\xa9", 5);
    sb_close(&b);
    sb_str(&b, "an epilogue, ignored too\r\n--XyZ\r\n");

    struct form f;
    mp_ok(&b, CT, &f);
    assert_int_equal(f.n, 5); /* the empty file input is left out */
    assert_int_equal(f.nfiles, 2);
    assert_string_equal(form_get(&f, "_csrf"), "tok");
    assert_string_equal(form_get(&f, "gegevens.reden"), "regel 1\nregel 2\nregel 3\n");
    const struct form_field *c = form_file(&f, "contract");
    assert_non_null(c);
    assert_int_equal(c->len, sizeof pdf_bytes);
    assert_memory_equal(c->value, pdf_bytes, sizeof pdf_bytes);
    assert_int_equal(c->value[c->len], '\0');
    assert_string_equal(c->filename, "contract 2026.pdf");
    assert_string_equal(c->content_type, "application/pdf");
    assert_null(form_file(&f, "leeg"));
    assert_int_equal(form_count(&f, "leeg"), 0);
    assert_null(form_get(&f, "leeg"));
    const struct form_field *bij = form_file(&f, "bijlage");
    assert_non_null(bij);
    assert_string_equal(bij->filename, "");
    assert_int_equal(bij->len, 1);
    assert_null(form_file(&f, "t")); /* a text field is no file */
    assert_string_equal(form_get(&f, "t"), "caf\xc3\xa9");
    assert_string_equal(f.f[4].content_type, "text/plain; charset=UTF-8");
    assert_null(f.f[0].content_type);
    assert_null(f.f[0].filename);
    /* files are not part of the command, nor of the values shown again */
    json_t *j = NULL;
    struct lks_errlist errs = {0};
    assert_int_equal(form_to_json(&f, &j, &errs), 0);
    json_t *want = json_loads("{\"gegevens\":{\"reden\":\"regel 1\\nregel 2\\nregel 3\\n\"},"
                              "\"t\":\"caf\xc3\xa9\"}",
                              0, NULL);
    assert_true(json_equal(j, want));
    json_decref(want);
    json_decref(j);
    j = form_values(&f);
    assert_null(json_object_get(j, "contract"));
    assert_null(json_object_get(j, "_csrf"));
    assert_non_null(json_object_get(j, "t"));
    json_decref(j);
    form_free(&f);

    /* the same file when the body ends right after the closing boundary, without CR LF,
     * and the file is the first part at the very start of the body */
    sb_free(&b);
    sb_part(&b, "Content-Disposition: form-data; name=\"contract\"; filename=\"c.pdf\"", pdf_bytes,
            sizeof pdf_bytes);
    sb_str(&b, "--" BND "--");
    mp_ok(&b, CT, &f);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.f[0].len, sizeof pdf_bytes);
    assert_memory_equal(f.f[0].value, pdf_bytes, sizeof pdf_bytes);
    assert_null(f.f[0].content_type);
    form_free(&f);
    sb_free(&b);
}

struct ct_case {
    const char *ct;
    const char *boundary; /* NULL: refused with `reason` */
    const char *reason;
};

static const struct ct_case ct_cases[] = {
    {"multipart/form-data; boundary=XyZ", "XyZ", NULL},
    {"multipart/form-data;boundary=XyZ", "XyZ", NULL},
    {"  Multipart/Form-Data ; charset=utf-8 ; BOUNDARY=XyZ ", "XyZ", NULL},
    {"multipart/form-data; boundary=\"XyZ\"", "XyZ", NULL},
    {"multipart/form-data; boundary=\"a b:c=d?e(f)g+h_i,j-k.l/m'n\"", "a b:c=d?e(f)g+h_i,j-k.l/m'n",
     NULL},
    {"multipart/form-data; boundary=\"X\\yZ\"", "XyZ", NULL}, /* a quoted pair */
    {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
     "----WebKitFormBoundary7MA4YWxkTrZu0gW", NULL},
    {"multipart/form-data; x=\"; boundary=no\"; boundary=XyZ", "XyZ", NULL},
    {NULL, NULL, "bad-content-type"},
    {"", NULL, "bad-content-type"},
    {"application/x-www-form-urlencoded", NULL, "bad-content-type"},
    {"multipart/mixed; boundary=XyZ", NULL, "bad-content-type"},
    {"multipart/form-dataX; boundary=XyZ", NULL, "bad-content-type"},
    {"multipart/form-data", NULL, "bad-boundary"},
    {"multipart/form-data; charset=utf-8", NULL, "bad-boundary"},
    {"multipart/form-data; boundary=", NULL, "bad-boundary"},
    {"multipart/form-data; boundary=\"\"", NULL, "bad-boundary"},
    {"multipart/form-data; boundary=\"XyZ \"", NULL, "bad-boundary"},
    {"multipart/form-data; boundary=\"X@Z\"", NULL, "bad-boundary"},
    {"multipart/form-data; boundary=\"XyZ", NULL, "bad-content-type"},
    {"multipart/form-data; boundary=XyZ; boundary=XyZ", NULL, "bad-boundary"},
    {"multipart/form-data; boundary XyZ", NULL, "bad-content-type"},
    {"multipart/form-data boundary=XyZ", NULL, "bad-content-type"},
};

static void test_multipart_boundary(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof ct_cases / sizeof ct_cases[0]; c++) {
        const struct ct_case *t = &ct_cases[c];
        struct sb b = {0};
        const char *bd = t->boundary ? t->boundary : "XyZ";
        sb_fmt(&b, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--%s--\r\n", bd,
               bd);
        if (t->boundary) {
            struct form f;
            mp_ok(&b, t->ct, &f);
            assert_int_equal(f.n, 1);
            assert_string_equal(form_get(&f, "a"), "1");
            form_free(&f);
        } else {
            mp_refused(&b, t->ct, "formulier", t->reason);
        }
        sb_free(&b);
    }
    /* the length of a boundary: 70 characters, and 71 */
    for (int len = FORM_MAX_BOUNDARY; len <= FORM_MAX_BOUNDARY + 1; len++) {
        char bd[80], ct[128];
        memset(bd, 'b', (size_t)len);
        bd[len] = '\0';
        for (int quoted = 0; quoted <= 1; quoted++) {
            snprintf(ct, sizeof ct,
                     quoted ? "multipart/form-data; boundary=\"%s\""
                            : "multipart/form-data; boundary=%s",
                     bd);
            struct sb b = {0};
            sb_fmt(&b, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--%s--", bd,
                   bd);
            if (len == FORM_MAX_BOUNDARY) {
                struct form f;
                mp_ok(&b, ct, &f);
                assert_int_equal(f.n, 1);
                form_free(&f);
            } else {
                mp_refused(&b, ct, "formulier", "bad-boundary");
            }
            sb_free(&b);
        }
    }
}

/* Bodies that break the structure: each refused, no partial form. */
struct mp_bad {
    const char *body;
    const char *field, *reason;
};

#define CD "Content-Disposition: form-data; name=\"a\"\r\n"
static const struct mp_bad mp_err[] = {
    {"", "formulier", "no-boundary"},
    {"no boundary at all", "formulier", "no-boundary"},
    /* the closing boundary missing */
    {"--XyZ\r\n" CD "\r\n1", "formulier", "no-final-boundary"},
    {"--XyZ\r\n" CD "\r\n1\r\n", "formulier", "no-final-boundary"},
    {"--XyZ\r\n" CD "\r\n1\r\n--XyZ", "formulier", "no-final-boundary"},
    {"--XyZ\r\n" CD "\r\n1\r\n--XyZ\r\n", "formulier", "no-final-boundary"},
    {"--XyZ\r\n" CD "\r\n1\r\n--XyZ-", "formulier", "bad-boundary"},
    {"--XyZ\r\n" CD "\r\n1\r\n--XyZ\r\n" CD "\r\n2", "formulier", "no-final-boundary"},
    {"--XyZ\r\n" CD "\r\n1\r\n--XyZ  ", "formulier", "no-final-boundary"},
    {"--XyZ", "formulier", "no-final-boundary"},
    {"--XyZ\r\n", "formulier", "no-final-boundary"},
    /* a delimiter followed by something else */
    {"--XyZ\r\n" CD "\r\n1\r\n--XyZx\r\n" CD "\r\n2\r\n--XyZ--", "formulier", "bad-boundary"},
    {"--XyZx\r\n" CD "\r\n1\r\n--XyZ--", "formulier", "bad-boundary"},
    {"--XyZ\n" CD "\r\n1\r\n--XyZ--", "formulier", "bad-boundary"},
    /* the part's headers */
    {"--XyZ\r\n\r\n1\r\n--XyZ--", "formulier", "no-disposition"},
    {"--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--", "formulier", "no-disposition"},
    {"--XyZ\r\n\r\n--XyZ--", "formulier", "bad-part"},
    {"--XyZ\r\n--XyZ--", "formulier", "no-final-boundary"},
    {"--XyZ\r\n" CD "1\r\n--XyZ--", "formulier", "bad-part"},
    {"--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--", "formulier", "no-name"},
    {"--XyZ\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\n1\r\n--XyZ--", "formulier",
     "no-name"},
    {"--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--XyZ--", "formulier",
     "no-name"},
    {"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--XyZ--", "formulier",
     "bad-disposition"},
    {"--XyZ\r\nContent-Disposition: form-dataX; name=\"a\"\r\n\r\n1\r\n--XyZ--", "formulier",
     "bad-disposition"},
    {"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--", "formulier",
     "bad-disposition"},
    {"--XyZ\r\nContent-Disposition: form-data; name\r\n\r\n1\r\n--XyZ--", "formulier",
     "bad-disposition"},
    {"--XyZ\r\nContent-Disposition: form-data; name=\"a\" x\r\n\r\n1\r\n--XyZ--", "formulier",
     "bad-disposition"},
    {"--XyZ\r\nContent-Disposition: form-data; name=\"a\"; name=\"b\"\r\n\r\n1\r\n--XyZ--",
     "formulier", "bad-disposition"},
    {"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a\"; filename=\"b\"\r\n"
     "\r\n1\r\n--XyZ--",
     "f", "bad-disposition"},
    {"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%e2%82%ac.pdf\r\n"
     "\r\n1\r\n--XyZ--",
     "f", "filename-star"},
    {"--XyZ\r\n" CD CD "\r\n1\r\n--XyZ--", "formulier", "bad-header"},
    {"--XyZ\r\n" CD "Content-Type: a\r\nContent-Type: b\r\n\r\n1\r\n--XyZ--", "formulier",
     "bad-header"},
    {"--XyZ\r\n" CD " folded\r\n\r\n1\r\n--XyZ--", "formulier", "bad-header"},
    {"--XyZ\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\n1\r\n--XyZ--", "formulier",
     "bad-header"},
    {"--XyZ\r\n" CD "X-Bare\r\n\r\n1\r\n--XyZ--", "formulier", "bad-header"},
    {"--XyZ\r\n" CD ": x\r\n\r\n1\r\n--XyZ--", "formulier", "bad-header"},
    {"--XyZ\r\n" CD "X-Lf: a\nb\r\n\r\n1\r\n--XyZ--", "formulier", "bad-header"},
    {"--XyZ\r\n" CD "X-Cr: a\rb\r\n\r\n1\r\n--XyZ--", "formulier", "bad-header"},
    {"--XyZ\r\n" CD "Content-Type: caf\xc3\xa9\r\n\r\n1\r\n--XyZ--", "formulier", "bad-header"},
    {"--XyZ\r\n" CD "Content-Transfer-Encoding: base64\r\n\r\nMQ==\r\n--XyZ--", "formulier",
     "bad-header"},
    /* the name and the value */
    {"--XyZ\r\nContent-Disposition: form-data; name=\"n\xff\"\r\n\r\n1\r\n--XyZ--", "n?",
     "not-utf8"},
    {"--XyZ\r\n" CD "\r\n\xc3\x28\r\n--XyZ--", "a", "not-utf8"},
    {"--XyZ\r\n" CD "\r\n\xed\xa0\x80\r\n--XyZ--", "a", "not-utf8"},
    {"--XyZ\r\n" CD "\r\n\xe0\x80\xaf\r\n--XyZ--", "a", "not-utf8"},
    {"--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"caf\xe9.pdf\"\r\n\r\n1\r\n"
     "--XyZ--",
     "f", "not-utf8"},
};

static void test_multipart_table(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof mp_err / sizeof mp_err[0]; c++) {
        struct sb b = {0};
        sb_str(&b, mp_err[c].body);
        mp_refused(&b, CT, mp_err[c].field, mp_err[c].reason);
        sb_free(&b);
    }
    /* a NUL in a text part is refused, in a file kept */
    struct sb b = {0};
    sb_part(&b, "Content-Disposition: form-data; name=\"gegevens.t\"", "a\0b", 3);
    sb_close(&b);
    mp_refused(&b, CT, "t", "nul-character");
    sb_free(&b);
    sb_part(&b, "Content-Disposition: form-data; name=\"f\"; filename=\"a.bin\"", "a\0b", 3);
    sb_close(&b);
    struct form f;
    mp_ok(&b, CT, &f);
    assert_int_equal(f.f[0].len, 3);
    assert_memory_equal(f.f[0].value, "a\0b", 3);
    form_free(&f);
    sb_free(&b);

    /* what is accepted: padding after a boundary, a token name, an empty form, an
     * identity transfer encoding, unknown headers and parameters, quotes as browsers
     * write them (a backslash is no escape) */
    static const char *const ok[] = {
        "--XyZ \t\r\n" CD "\r\n1\r\n--XyZ\t\r\nContent-Disposition: form-data; name=b\r\n\r\n2"
        "\r\n--XyZ--",
        "--XyZ--",
        "--XyZ--\r\n",
        "--XyZ\r\n" CD "Content-Transfer-Encoding: binary\r\nX-Other: whatever \xc3\xa9\r\n\r\n1"
        "\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data ; foo=bar; name = \"a\" ;\r\n\r\n1\r\n--XyZ--",
        "--XyZ\r\n" CD "content-transfer-encoding: 8BIT\r\n\r\n1\r\n--XyZ\r\n"
        "Content-Disposition: form-data; name=\"b\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n2"
        "\r\n--XyZ--",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        sb_str(&b, ok[i]);
        mp_ok(&b, CT, &f);
        if (f.n)
            assert_string_equal(form_get(&f, "a"), "1");
        if (f.n > 1)
            assert_string_equal(form_get(&f, "b"), "2");
        form_free(&f);
        sb_free(&b);
    }
    sb_part(&b, "Content-Disposition: form-data; name=\"f\"; filename=\"C:\\map\\a.pdf\"", "x", 1);
    sb_close(&b);
    mp_ok(&b, CT, &f);
    assert_string_equal(form_file(&f, "f")->filename, "C:\\map\\a.pdf");
    form_free(&f);
    sb_free(&b);
}

static void test_multipart_caps(void **state)
{
    (void)state;
    struct sb b = {0};
    struct form f;
    /* files: 8 and 9 */
    for (int n = FORM_MAX_FILES; n <= FORM_MAX_FILES + 1; n++) {
        for (int i = 0; i < n; i++) {
            char h[160];
            snprintf(h, sizeof h,
                     "Content-Disposition: form-data; name=\"bijlage\"; filename=\"b%d.pdf\"\r\n"
                     "Content-Type: application/pdf",
                     i);
            sb_part(&b, h, "%PDF", 4);
            sb_text_part(&b, "tekst", "x");
        }
        sb_close(&b);
        if (n == FORM_MAX_FILES) {
            mp_ok(&b, CT, &f);
            assert_int_equal(f.nfiles, FORM_MAX_FILES);
            assert_int_equal(f.n, 2 * FORM_MAX_FILES);
            assert_string_equal(form_file(&f, "bijlage")->filename, "b0.pdf");
            form_free(&f);
        } else {
            mp_refused(&b, CT, "bijlage", "too-many-files");
        }
        sb_free(&b);
    }
    /* fields: 512 and 513 */
    for (int n = FORM_MAX_FIELDS; n <= FORM_MAX_FIELDS + 1; n++) {
        for (int i = 0; i < n; i++) {
            char name[16];
            snprintf(name, sizeof name, "f%d", i);
            sb_text_part(&b, name, "v");
        }
        sb_close(&b);
        if (n == FORM_MAX_FIELDS) {
            mp_ok(&b, CT, &f);
            assert_int_equal(f.n, FORM_MAX_FIELDS);
            form_free(&f);
        } else {
            mp_refused(&b, CT, "formulier", "too-many-fields");
        }
        sb_free(&b);
    }
    /* a name repeated: 200 and 201 */
    for (int n = FORM_MAX_REPEAT; n <= FORM_MAX_REPEAT + 1; n++) {
        for (int i = 0; i < n; i++)
            sb_text_part(&b, "gegevens.keuze:list", "v");
        sb_close(&b);
        if (n == FORM_MAX_REPEAT) {
            mp_ok(&b, CT, &f);
            assert_int_equal(form_count(&f, "gegevens.keuze:list"), FORM_MAX_REPEAT);
            form_free(&f);
        } else {
            mp_refused(&b, CT, "keuze", "too-many-values");
        }
        sb_free(&b);
    }
    /* a name of 128 bytes and 129 */
    for (int n = FORM_MAX_NAME; n <= FORM_MAX_NAME + 1; n++) {
        char name[FORM_MAX_NAME + 2];
        memset(name, 'n', (size_t)n);
        name[n] = '\0';
        sb_text_part(&b, name, "v");
        sb_close(&b);
        if (n == FORM_MAX_NAME) {
            mp_ok(&b, CT, &f);
            assert_string_equal(f.f[0].name, name);
            form_free(&f);
        } else {
            name[63] = '\0';
            mp_refused(&b, CT, name, "name-too-long");
        }
        sb_free(&b);
    }
    /* a text value of 64 KiB and one byte more; a file is not held to it */
    for (size_t n = FORM_MAX_VALUE; n <= FORM_MAX_VALUE + 1; n++) {
        char *v = malloc(n + 1);
        memset(v, 'x', n);
        v[n] = '\0';
        sb_text_part(&b, "gegevens.toelichting", v);
        sb_close(&b);
        if (n == FORM_MAX_VALUE) {
            mp_ok(&b, CT, &f);
            assert_int_equal(f.f[0].len, n);
            form_free(&f);
        } else {
            mp_refused(&b, CT, "toelichting", "too-long");
        }
        sb_free(&b);
        sb_part(&b, "Content-Disposition: form-data; name=\"f\"; filename=\"big.txt\"", v, n);
        sb_close(&b);
        mp_ok(&b, CT, &f);
        assert_int_equal(f.f[0].len, n);
        form_free(&f);
        sb_free(&b);
        free(v);
    }
    /* the header block: exactly FORM_MAX_PART_HEADER bytes with its line ends, and one
     * more */
    for (int extra = 0; extra <= 1; extra++) {
        const char *cd = "Content-Disposition: form-data; name=\"a\"\r\n";
        const char *pad = "X-Pad: ";
        size_t fill = FORM_MAX_PART_HEADER - strlen(cd) - strlen(pad) - 2 + (size_t)extra;
        sb_str(&b, "--" BND "\r\n");
        sb_str(&b, cd);
        sb_str(&b, pad);
        sb_rep(&b, 'p', fill);
        sb_str(&b, "\r\n\r\n1\r\n");
        sb_close(&b);
        if (!extra) {
            mp_ok(&b, CT, &f);
            assert_string_equal(form_get(&f, "a"), "1");
            form_free(&f);
        } else {
            mp_refused(&b, CT, "formulier", "headers-too-long");
        }
        sb_free(&b);
    }
    /* a long line without an end: refused as too long, not searched for ever */
    sb_str(&b, "--" BND "\r\n");
    sb_str(&b, "Content-Disposition: form-data; name=\"a\"; x=\"");
    sb_rep(&b, 'p', 10000);
    sb_str(&b, "\"\r\n\r\n1\r\n");
    sb_close(&b);
    mp_refused(&b, CT, "formulier", "headers-too-long");
    sb_free(&b);
    /* header lines: 8 and 9 */
    for (int n = FORM_MAX_PART_LINES; n <= FORM_MAX_PART_LINES + 1; n++) {
        sb_str(&b, "--" BND "\r\nContent-Disposition: form-data; name=\"a\"\r\n");
        for (int i = 1; i < n; i++)
            sb_fmt(&b, "X-Line-%d: %d\r\n", i, i);
        sb_str(&b, "\r\n1\r\n");
        sb_close(&b);
        if (n == FORM_MAX_PART_LINES) {
            mp_ok(&b, CT, &f);
            assert_int_equal(f.n, 1);
            form_free(&f);
        } else {
            mp_refused(&b, CT, "formulier", "too-many-headers");
        }
        sb_free(&b);
    }
}

/* Every prefix of a valid body is refused (no partial form), except the whole. */
static void test_multipart_truncated(void **state)
{
    (void)state;
    struct sb b = {0};
    sb_text_part(&b, "gegevens.werknemer.naam", "Anna");
    sb_part(&b, "Content-Disposition: form-data; name=\"contract\"; filename=\"c.pdf\"", pdf_bytes,
            sizeof pdf_bytes);
    sb_text_part(&b, "gegevens.aanvrager", "werkgever");
    sb_str(&b, "--" BND "--");
    for (size_t n = 0; n < b.n; n++) {
        struct form f;
        struct lks_err err = {0};
        int rc = form_parse_multipart(b.p, n, CT, &f, &err);
        if (rc == 0)
            fail_msg("a body cut at %zu of %zu bytes was accepted", n, b.n);
        assert_int_equal(f.n, 0);
        assert_null(f.mem);
    }
    struct form f;
    mp_ok(&b, CT, &f);
    assert_int_equal(f.n, 3);
    form_free(&f);
    sb_free(&b);
}

/* ---- access ---- */

static void test_access(void **state)
{
    (void)state;
    struct form f;
    const char *body = "a=1&b=&a=2&c:bool=false&c:bool=on";
    parse_ok(body, strlen(body), &f);
    assert_string_equal(form_get(&f, "a"), "1");
    assert_string_equal(form_get(&f, "b"), "");
    assert_null(form_get(&f, "x"));
    assert_null(form_get(&f, "c")); /* the name as posted, suffix and all */
    assert_string_equal(form_get(&f, "c:bool"), "false");
    assert_int_equal(form_count(&f, "a"), 2);
    assert_int_equal(form_count(&f, "c:bool"), 2);
    assert_int_equal(form_count(&f, "x"), 0);
    assert_null(form_file(&f, "a"));
    form_free(&f);
    struct form empty = {0};
    assert_null(form_get(&empty, "a"));
    assert_int_equal(form_count(&empty, "a"), 0);
    assert_null(form_file(&empty, "a"));
    form_free(&empty);
}

/* ---- form_to_json ---- */

struct json_case {
    const char *body;
    const char *json;   /* the result, or NULL: refused */
    const char *errors; /* "field/reason field/reason …" in order */
};

static const struct json_case json_cases[] = {
    {"", "{}", NULL},
    {"gegevens.werknemer.naam=Anna", "{\"gegevens\":{\"werknemer\":{\"naam\":\"Anna\"}}}", NULL},
    {"datum=2026-01-05&gegevens.a=x", "{\"datum\":\"2026-01-05\",\"gegevens\":{\"a\":\"x\"}}",
     NULL},
    /* blank values are left out; text is not trimmed */
    {"gegevens.a=&gegevens.b=+&gegevens.c=%09%0D%0A&gegevens.d=+x+",
     "{\"gegevens\":{\"d\":\" x \"}}", NULL},
    {"gegevens.a=&gegevens.b.c=", "{}", NULL},
    {"gegevens.a:keep=&gegevens.b:keep=+", "{\"gegevens\":{\"a\":\"\",\"b\":\" \"}}", NULL},
    {"gegevens.uren=32&gegevens.loon=2400.00",
     "{\"gegevens\":{\"uren\":\"32\",\"loon\":\"2400.00\"}}", NULL},
    /* pages' own fields */
    {"_csrf=abc&_stap=2&_actie=opslaan&gegevens.a=x&_a.b:int=y", "{\"gegevens\":{\"a\":\"x\"}}",
     NULL},
    /* :int */
    {"a:int=32&b:int=-7&c:int=0&d:int=007", "{\"a\":32,\"b\":-7,\"c\":0,\"d\":7}", NULL},
    {"a:int=9223372036854775807&b:int=-9223372036854775808",
     "{\"a\":9223372036854775807,\"b\":-9223372036854775808}", NULL},
    {"a:int=&b:int=+", "{}", NULL},
    {"a:int=9223372036854775808", NULL, "a/out-of-range"},
    {"a:int=-9223372036854775809", NULL, "a/out-of-range"},
    {"gegevens.x.y:int=3.5", NULL, "x.y/not-an-integer"},
    {"a:int=%2B3", NULL, "a/not-an-integer"},
    {"a:int=+3", NULL, "a/not-an-integer"},
    {"a:int=3+", NULL, "a/not-an-integer"},
    {"a:int=1e3", NULL, "a/not-an-integer"},
    {"a:int=-", NULL, "a/not-an-integer"},
    {"a:int=--1", NULL, "a/not-an-integer"},
    {"a:int=twaalf", NULL, "a/not-an-integer"},
    /* :bool: the last value counts */
    {"a:bool=false&a:bool=on", "{\"a\":true}", NULL},
    {"a:bool=false", "{\"a\":false}", NULL},
    {"a:bool=on&a:bool=false", "{\"a\":false}", NULL},
    {"a:bool=true&b:bool=ja&c:bool=off&d:bool=nee",
     "{\"a\":true,\"b\":true,\"c\":false,\"d\":false}", NULL},
    {"a:bool=", "{}", NULL},
    {"a:bool=false&a:bool=", "{}", NULL},
    {"a:bool=misschien", NULL, "a/not-a-boolean"},
    {"a:bool=TRUE", NULL, "a/not-a-boolean"},
    {"a:bool=false&a:bool=1", NULL, "a/not-a-boolean"},
    {"a:bool=misschien&a:bool=ja", "{\"a\":true}", NULL},
    /* :list and :intlist */
    {"a:list=x&b=1&a:list=y&a:list=z", "{\"a\":[\"x\",\"y\",\"z\"],\"b\":\"1\"}", NULL},
    {"a:list=", "{\"a\":[]}", NULL},
    {"a:list=&a:list=x&a:list=+", "{\"a\":[\"x\"]}", NULL},
    {"a:list=x", "{\"a\":[\"x\"]}", NULL},
    {"a:intlist=1&a:intlist=-2&a:intlist=", "{\"a\":[1,-2]}", NULL},
    {"a:intlist=", "{\"a\":[]}", NULL},
    {"gegevens.a:intlist=1&gegevens.a:intlist=x&gegevens.a:intlist=y", NULL, "a/not-an-integer"},
    /* suffixes not known, names repeated */
    {"a:date=2026-01-01", NULL, "a/unknown-suffix"},
    {"gegevens.a:=1", NULL, "a/unknown-suffix"},
    {"gegevens.a:int:bool=1", NULL, "a:int/invalid-name"},
    {"a=1&a=2", NULL, "a/repeated"},
    {"a:int=1&a:int=2", NULL, "a/repeated"},
    {"a:keep=1&a:keep=", NULL, "a/repeated"},
    {"a=1&a:int=2", NULL, "a/repeated"},
    {"a:int=1&a=", "{\"a\":1}", NULL}, /* a blank one gives no value */
    /* conflicts */
    {"a=1&a.b=2", NULL, "a/conflict"},
    {"a.b=2&a=1", NULL, "a/conflict"},
    {"gegevens.x=1&gegevens.x.y=2", NULL, "x/conflict"},
    {"gegevens.x.y=2&gegevens.x.y.z=3", NULL, "x.y/conflict"},
    {"gegevens=1&gegevens.x=2", NULL, "gegevens/conflict"},
    {"a.0=x&a.b=y", NULL, "a/conflict"},
    {"a.b=y&a.0=x", NULL, "a/conflict"},
    {"a.0=x&a.0.b=y", NULL, "a.0/conflict"},
    {"a=&a.b=2", "{\"a\":{\"b\":\"2\"}}", NULL},
    /* arrays */
    {"gegevens.taken.0.naam=a&gegevens.taken.1.naam=b&gegevens.taken.0.uren=3",
     "{\"gegevens\":{\"taken\":[{\"naam\":\"a\",\"uren\":\"3\"},{\"naam\":\"b\"}]}}", NULL},
    {"t.1.n=b&t.0.n=a", "{\"t\":[{\"n\":\"a\"},{\"n\":\"b\"}]}", NULL},
    {"t.0=a&t.1=b&t.2:int=3", "{\"t\":[\"a\",\"b\",3]}", NULL},
    {"a.0.0=x&a.1.0=z&a.0.1=y", "{\"a\":[[\"x\",\"y\"],[\"z\"]]}", NULL},
    {"t.0.n=a&t.1.n=&t.2.n=", "{\"t\":[{\"n\":\"a\"}]}", NULL},
    {"t.0.n=&t.1.n=", "{}", NULL},
    {"t.0.tags:list=x&t.0.tags:list=y&t.1.ok:bool=false",
     "{\"t\":[{\"tags\":[\"x\",\"y\"]},{\"ok\":false}]}", NULL},
    {"t.0=a&t.0=b", NULL, "t.0/repeated"},
    /* holes: every one, all at once */
    {"gegevens.taken.0.naam=a&gegevens.taken.2.naam=c", NULL, "taken.1/hole"},
    {"t.0.n=a&t.1.n=&t.2.n=c", NULL, "t.1/hole"},
    {"t.3=x", NULL, "t.0/hole t.1/hole t.2/hole"},
    {"t.1=x&u.2=y", NULL, "t.0/hole u.0/hole u.1/hole"},
    {"a.1.0=x&a.0.1=y", NULL, "a.0.0/hole"},
    /* indices */
    {"t.00=x", NULL, "t.00/bad-index"},
    {"t.01=x", NULL, "t.01/bad-index"},
    {"t.512=x", NULL, "t.512/bad-index"},
    {"t.99999999999999999999=x", NULL, "t.99999999999999999999/bad-index"},
    {"0=x", NULL, "0/bad-index"},
    {"gegevens.0=x", "{\"gegevens\":[\"x\"]}", NULL}, /* the codec refuses it */
    /* depth */
    {"a.b.c.d.e.f.g.h=x", "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":\"x\"}}}}}}}}",
     NULL},
    {"gegevens.b.c.d.e.f.g.h:int=1",
     "{\"gegevens\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":1}}}}}}}}", NULL},
    {"a.b.c.d.e.f.g.h.i=x", NULL, "a.b.c.d.e.f.g.h.i/too-deep"},
    {"a.0.0.0.0.0.0.0.0=x", NULL, "a.0.0.0.0.0.0.0.0/too-deep"},
    /* names */
    {"a..b=x", NULL, "a..b/invalid-name"},
    {".a=x", NULL, ".a/invalid-name"},
    {"a.=x", NULL, "a./invalid-name"},
    {"a+b=x", NULL, "a b/invalid-name"},
    {"gegevens.a%24b=x", NULL, "a$b/invalid-name"},
    {"gegevens.caf%C3%A9=x", NULL, "caf\xc3\xa9/invalid-name"},
    {":int=1", NULL, ":int/invalid-name"},
    {"gegevens.=x", NULL, "gegevens./invalid-name"},
    /* every fault at once, in the order posted */
    {"gegevens.a:int=x&gegevens.b:bool=y&gegevens.c.0=1&gegevens.c.2=2&gegevens.d=1&"
     "gegevens.d.e=2&gegevens.ok=ja",
     NULL, "a/not-an-integer b/not-a-boolean d/conflict c.1/hole"},
};

static void test_json_table(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof json_cases / sizeof json_cases[0]; c++) {
        const struct json_case *t = &json_cases[c];
        struct form f;
        parse_ok(t->body, strlen(t->body), &f);
        json_t *j = (json_t *)&f; /* not NULL: must be set */
        struct lks_errlist errs = {0};
        int rc = form_to_json(&f, &j, &errs);
        if (t->json) {
            if (rc)
                fail_msg("%s: refused: %s %s", t->body, errs.e[0].field, errs.e[0].reason);
            json_error_t je;
            json_t *want = json_loads(t->json, 0, &je);
            if (!want)
                fail_msg("bad JSON in the test: %s", t->json);
            if (!json_equal(j, want)) {
                char *got = json_dumps(j, JSON_COMPACT);
                fail_msg("%s: got %s, want %s", t->body, got, t->json);
            }
            /* keys in the order their names were first posted */
            char *gs = json_dumps(j, JSON_COMPACT), *ws = json_dumps(want, JSON_COMPACT);
            assert_string_equal(gs, ws);
            free(gs);
            free(ws);
            json_decref(want);
            json_decref(j);
        } else {
            if (rc == 0)
                fail_msg("%s: accepted as %s", t->body, json_dumps(j, JSON_COMPACT));
            assert_int_equal(rc, LKS_EINVAL);
            assert_null(j);
            char got[512] = "";
            for (int i = 0; i < errs.n; i++) {
                size_t l = strlen(got);
                snprintf(got + l, sizeof got - l, "%s%s/%s", i ? " " : "", errs.e[i].field,
                         errs.e[i].reason);
                assert_true(errs.e[i].msg[0] != '\0');
                assert_int_equal(errs.e[i].code, LKS_EINVAL);
            }
            if (strcmp(got, t->errors))
                fail_msg("%s: errors %s, want %s", t->body, got, t->errors);
        }
        form_free(&f);
    }
}

/* The Dutch messages the page shows. */
static void test_json_messages(void **state)
{
    (void)state;
    const char *body = "gegevens.werkgever.aantalWerknemers:int=veel&gegevens.ok:bool=wel&"
                       "gegevens.t.1=x&a=1&a.b=2";
    struct form f;
    parse_ok(body, strlen(body), &f);
    json_t *j;
    struct lks_errlist errs = {0};
    assert_int_equal(form_to_json(&f, &j, &errs), LKS_EINVAL);
    assert_int_equal(errs.n, 4);
    assert_string_equal(errs.e[0].field, "werkgever.aantalWerknemers");
    assert_string_equal(errs.e[0].msg, "moet een geheel getal zijn");
    assert_string_equal(errs.e[1].msg, "moet ja of nee zijn");
    assert_string_equal(errs.e[2].field, "a");
    assert_string_equal(errs.e[2].msg, "is zowel een waarde als een groep velden");
    assert_string_equal(errs.e[3].field, "t.0");
    form_free(&f);
    struct lks_err err = {0};
    const char *bad = "gegevens.werknemer.naam=%C3%28";
    assert_int_equal(form_parse_urlencoded(bad, strlen(bad), &f, &err), LKS_EINVAL);
    assert_string_equal(err.field, "werknemer.naam");
    assert_string_equal(err.msg, "bevat geen geldige tekst (UTF-8)");
}

/* Errors beyond the list's room are counted, not lost; the errors before are kept. */
static void test_json_many_errors(void **state)
{
    (void)state;
    struct form f;
    parse_ok("t.511=x", 7, &f);
    json_t *j;
    struct lks_errlist errs = {0};
    assert_int_equal(form_to_json(&f, &j, &errs), LKS_EINVAL);
    assert_int_equal(errs.n, LKS_ERRLIST_MAX);
    assert_int_equal(errs.n + errs.dropped, 511);
    assert_string_equal(errs.e[0].field, "t.0");
    form_free(&f);
    /* errors already in the list are kept, and count as before */
    struct lks_errlist pre = {0};
    lks_err_set(lks_errlist_add(&pre), LKS_EINVAL, "x", "r", "m");
    parse_ok("a=1", 3, &f);
    assert_int_equal(form_to_json(&f, &j, &pre), 0);
    assert_int_equal(pre.n, 1);
    json_decref(j);
    form_free(&f);
}

/* Paths of the longest names fit the error's field, cut at 63 bytes. */
static void test_json_long_paths(void **state)
{
    (void)state;
    struct sb b = {0};
    sb_str(&b, "gegevens.");
    sb_rep(&b, 'a', 100);
    sb_str(&b, ".b");
    sb_rep(&b, 'c', FORM_MAX_NAME - b.n - 4);
    sb_str(&b, ":int=x");
    struct form f;
    parse_ok(b.p, b.n, &f);
    json_t *j;
    struct lks_errlist errs = {0};
    assert_int_equal(form_to_json(&f, &j, &errs), LKS_EINVAL);
    assert_int_equal(strlen(errs.e[0].field), 63);
    assert_memory_equal(errs.e[0].field, "aaaa", 4);
    form_free(&f);
    sb_free(&b);
}

/* Out of memory anywhere in jansson: LKS_ENOMEM and nothing half made, leaked or
 * claimed; with enough memory the same JSON. (The sanitizer build checks for leaks.) */
static long alloc_budget = -1; /* allocations left; -1: no limit */

static void *budget_malloc(size_t n)
{
    if (alloc_budget == 0)
        return NULL;
    if (alloc_budget > 0)
        alloc_budget--;
    return malloc(n);
}

static void test_json_out_of_memory(void **state)
{
    (void)state;
    const char *body = "datum=2026-01-05&gegevens.a.b=x&gegevens.n:int=3&gegevens.l:list=p&"
                       "gegevens.l:list=q&gegevens.i:intlist=1&gegevens.i:intlist=2&"
                       "gegevens.t.1.x=y&gegevens.t.0.x=z&gegevens.ok:bool=ja&gegevens.k:keep=";
    struct form f;
    parse_ok(body, strlen(body), &f);
    json_t *want = NULL;
    struct lks_errlist errs = {0};
    assert_int_equal(form_to_json(&f, &want, &errs), 0);
    json_t *want_values = form_values(&f);
    assert_non_null(want_values);
    json_set_alloc_funcs(budget_malloc, free);
    long budget;
    for (budget = 0; budget < 10000; budget++) {
        alloc_budget = budget;
        json_t *j = (json_t *)&f;
        errs = (struct lks_errlist){0};
        int rc = form_to_json(&f, &j, &errs);
        alloc_budget = -1;
        if (rc == 0) {
            assert_true(json_equal(j, want));
            json_decref(j);
            break;
        }
        assert_int_equal(rc, LKS_ENOMEM);
        assert_null(j);
        assert_int_equal(errs.n, 1);
        assert_string_equal(errs.e[0].reason, "no-memory");
    }
    assert_true(budget > 10 && budget < 10000);
    for (budget = 0; budget < 10000; budget++) {
        alloc_budget = budget;
        json_t *v = form_values(&f);
        alloc_budget = -1;
        if (v) {
            assert_true(json_equal(v, want_values));
            json_decref(v);
            break;
        }
    }
    assert_true(budget > 10 && budget < 10000);
    json_set_alloc_funcs(malloc, free);
    json_decref(want);
    json_decref(want_values);
    form_free(&f);
}

/* ---- form_values ---- */

static void test_values(void **state)
{
    (void)state;
    const char *body = "_csrf=t&gegevens.a:int=32&gegevens.b=&gegevens.c:bool=false&"
                       "gegevens.c:bool=on&gegevens.d:list=x&gegevens.d:list=&gegevens.d:list=y&"
                       "gegevens.e=+x+&gegevens.f:bool=false&gegevens.g:bool=&gegevens.h:bool=ja&"
                       "gegevens.h:bool=misschien&gegevens.i=1&gegevens.i=2&gegevens.j=1&"
                       "gegevens.j:int=2&gegevens.k:intlist=1&gegevens.k:intlist=zes&"
                       "gegevens.l:int=twaalf&gegevens.t.0.n=a";
    struct form f;
    parse_ok(body, strlen(body), &f);
    json_t *v = form_values(&f);
    assert_non_null(v);
    json_t *want = json_loads(
        "{\"gegevens.a\":\"32\",\"gegevens.b\":\"\",\"gegevens.c\":\"true\","
        "\"gegevens.d\":[\"x\",\"\",\"y\"],\"gegevens.e\":\" x \",\"gegevens.f\":\"false\","
        "\"gegevens.g\":\"\",\"gegevens.h\":\"misschien\",\"gegevens.i\":\"1\","
        "\"gegevens.j\":\"1\",\"gegevens.k\":[\"1\",\"zes\"],\"gegevens.l\":\"twaalf\","
        "\"gegevens.t.0.n\":\"a\"}",
        0, NULL);
    assert_non_null(want);
    if (!json_equal(v, want))
        fail_msg("form_values: %s", json_dumps(v, JSON_COMPACT));
    json_decref(want);
    json_decref(v);
    form_free(&f);
    struct form empty = {0};
    v = form_values(&empty);
    assert_int_equal(json_object_size(v), 0);
    json_decref(v);
}

/* ---- the application form of the README ---- */

/* The JSON the README posts to /zaken. */
static json_t *readme_application(void)
{
    char *readme = repo_slurp("README.md");
    const char *start = strstr(readme, "/zaken '{");
    assert_non_null(start);
    start += strlen("/zaken '");
    const char *end = strchr(start, '\'');
    assert_non_null(end);
    json_error_t je;
    json_t *j = json_loadb(start, (size_t)(end - start), 0, &je);
    if (!j)
        fail_msg("the README's application is no JSON: %s", je.text);
    free(readme);
    return j;
}

/* The fields of the application form as a page would post them: every input of the
 * form, the blank optional ones included, and the page's own fields. */
static const struct kv application_form[] = {
    {"_csrf", "k3J9xQ"},
    {"_actie", "indienen"},
    {"datum", "2025-12-01"},
    {"gegevens.werknemer.bsn", "111222333"},
    {"gegevens.werknemer.naam", "Anna de Vries"},
    {"gegevens.werknemer.geboortedatum", "1990-05-01"},
    {"gegevens.werknemer.geslacht", ""},
    {"gegevens.werknemer.adres", "Kerkstraat 1"},
    {"gegevens.werknemer.postcode", "5701 AB"},
    {"gegevens.werknemer.woonplaats", "Helmond"},
    {"gegevens.werknemer.huishouden", ""},
    {"gegevens.werknemer.uitkering", ""},
    {"gegevens.werknemer.uitkeringSinds", ""},
    {"gegevens.werknemer.wswIndicatie:bool", ""},
    {"gegevens.werkgever.kvk", "12345678"},
    {"gegevens.werkgever.naam", "Bakkerij Jansen B.V."},
    {"gegevens.werkgever.adres", "Markt 2"},
    {"gegevens.werkgever.postcode", ""},
    {"gegevens.werkgever.plaats", ""},
    {"gegevens.werkgever.aantalWerknemers:int", ""},
    {"gegevens.werkgever.voltijduren", ""},
    {"gegevens.werkgever.eigenVerzuimverzekering:bool", ""},
    {"gegevens.werkgever.iban", "NL91ABNA0417164300"},
    {"gegevens.dienstverband.start", "2026-01-05"},
    {"gegevens.dienstverband.einde", ""},
    {"gegevens.dienstverband.uren", "32"},
    {"gegevens.dienstverband.loon", "2400.00"},
    {"gegevens.dienstverband.functie", "bakkershulp"},
    {"gegevens.dienstverband.personeelsnummer", ""},
    {"gegevens.dienstverband.soort", ""},
    {"gegevens.aanvrager", "werkgever"},
    {"gegevens.klantmanager", ""},
};

static void check_application(const struct form *f)
{
    json_t *j = NULL;
    struct lks_errlist errs = {0};
    int rc = form_to_json(f, &j, &errs);
    if (rc)
        fail_msg("refused: %s %s", errs.e[0].field, errs.e[0].reason);
    json_t *want = readme_application();
    if (!json_equal(j, want))
        fail_msg("form: %s\nREADME: %s", json_dumps(j, JSON_SORT_KEYS),
                 json_dumps(want, JSON_SORT_KEYS));
    json_decref(want);
    /* and the codec reads its gegevens as the API's */
    struct case_event ev = {.type = EV_AANVRAAG_INGEDIEND};
    struct lks_errlist cerrs = {0};
    rc = codec_event_data_parse(json_object_get(j, "gegevens"), CODEC_COMMAND, &ev, &cerrs);
    if (rc)
        fail_msg("the codec refuses: %s %s", cerrs.e[0].field, cerrs.e[0].msg);
    assert_string_equal(ev.d.aanvraag.person.name, "Anna de Vries");
    assert_string_equal(ev.d.aanvraag.employer.kvk, "12345678");
    assert_int_equal(ev.d.aanvraag.placement.hours, 3200);
    json_decref(j);
}

static void test_application_form(void **state)
{
    (void)state;
    struct sb b = {0};
    for (size_t i = 0; i < sizeof application_form / sizeof application_form[0]; i++)
        sb_urlpair(&b, application_form[i].name, application_form[i].value);
    struct form f;
    parse_ok(b.p, b.n, &f);
    assert_string_equal(form_get(&f, "_csrf"), "k3J9xQ");
    check_application(&f);
    /* shown again: every input gets back what it posted, blank ones too */
    json_t *v = form_values(&f);
    size_t inputs = 0;
    for (size_t i = 0; i < sizeof application_form / sizeof application_form[0]; i++) {
        const char *name = application_form[i].name;
        if (name[0] == '_')
            continue;
        inputs++;
        const char *colon = strchr(name, ':');
        json_t *got = json_object_getn(v, name, colon ? (size_t)(colon - name) : strlen(name));
        if (!json_is_string(got) || strcmp(json_string_value(got), application_form[i].value))
            fail_msg("form_values: %s", name);
    }
    assert_int_equal(json_object_size(v), inputs);
    json_decref(v);
    form_free(&f);
    sb_free(&b);
    /* the same as multipart, with the contract as a file */
    for (size_t i = 0; i < sizeof application_form / sizeof application_form[0]; i++)
        sb_text_part(&b, application_form[i].name, application_form[i].value);
    sb_part(&b,
            "Content-Disposition: form-data; name=\"contract\"; filename=\"contract.pdf\"\r\n"
            "Content-Type: application/pdf",
            pdf_bytes, sizeof pdf_bytes);
    sb_close(&b);
    mp_ok(&b, CT, &f);
    check_application(&f);
    assert_int_equal(form_file(&f, "contract")->len, sizeof pdf_bytes);
    form_free(&f);
    sb_free(&b);
}

/* A fault of the form and of the codec name the same field, so a page puts both next
 * to the same input. */
static void test_same_names_as_codec(void **state)
{
    (void)state;
    static const struct {
        const char *form_field, *value, *path;
    } cases[] = {
        {"gegevens.werkgever.aantalWerknemers", "12", "werkgever.aantalWerknemers"},
        {"gegevens.dienstverband.uren", "twee", "dienstverband.uren"},
        {"gegevens.werknemer.geboortedatum", "1 mei", "werknemer.geboortedatum"},
        {"gegevens.werknemer.onbekend", "x", "werknemer.onbekend"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct sb b = {0};
        sb_urlpair(&b, cases[c].form_field, cases[c].value);
        struct form f;
        parse_ok(b.p, b.n, &f);
        json_t *j;
        struct lks_errlist errs = {0};
        assert_int_equal(form_to_json(&f, &j, &errs), 0);
        struct case_event ev = {.type = EV_AANVRAAG_INGEDIEND};
        struct lks_errlist cerrs = {0};
        assert_int_equal(
            codec_event_data_parse(json_object_get(j, "gegevens"), CODEC_COMMAND, &ev, &cerrs),
            LKS_EINVAL);
        bool found = false;
        for (int i = 0; i < cerrs.n; i++)
            found |= strcmp(cerrs.e[i].field, cases[c].path) == 0;
        if (!found)
            fail_msg("the codec does not name %s", cases[c].path);
        json_decref(j);
        form_free(&f);
        /* the form's own faults for the same input name the same path */
        char body[160];
        snprintf(body, sizeof body, "%s=%%", cases[c].form_field);
        url_refused(body, strlen(body), cases[c].path, "bad-escape");
        snprintf(body, sizeof body, "%s:int=x", cases[c].form_field);
        parse_ok(body, strlen(body), &f);
        errs = (struct lks_errlist){0};
        assert_int_equal(form_to_json(&f, &j, &errs), LKS_EINVAL);
        assert_string_equal(errs.e[0].field, cases[c].path);
        form_free(&f);
        sb_free(&b);
    }
}

/* ---- deterministic fuzzing through the harness of tests/fuzz ---- */

static const char *const seeds[] = {
    "gegevens.werknemer.naam=Anna+de+Vries&gegevens.dienstverband.uren=32&"
    "gegevens.werkgever.aantalWerknemers:int=12&gegevens.naStartToegestaan:bool=false&"
    "gegevens.naStartToegestaan:bool=on&gegevens.taken.0.naam=inpakken&"
    "gegevens.taken.1.naam=%C3%A9%0D%0A&gegevens.keuze:list=a&gegevens.keuze:list=b&_csrf=x",
    "--XyZ\r\nContent-Disposition: form-data; name=\"gegevens.a:int\"\r\n\r\n12\r\n"
    "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.pdf\"\r\n"
    "Content-Type: application/pdf\r\n\r\n%PDF\r\n--Xy\r\n--XyZ\r\n"
    "Content-Disposition: form-data; name=\"gegevens.t.0.n\"\r\n\r\nwaarde\r\n--XyZ--\r\n",
    "multipart/form-data; boundary=\"a b\"\n--a b\r\nContent-Disposition: form-data; "
    "name=t\r\n\r\nv\r\n--a b\r\nContent-Disposition: form-data; name=\"u:bool\"\r\n\r\nja\r\n"
    "--a b--",
};

static const char *const tokens[] = {
    "%",
    "%0",
    "%C3",
    "%A9",
    "%00",
    "%0D%0A",
    "%ED%A0%80",
    "&",
    "=",
    "+",
    ".",
    ".0",
    ".1",
    ":int",
    ":bool",
    ":list",
    ":intlist",
    ":keep",
    "_",
    "gegevens.",
    "\r\n",
    "\r\n\r\n",
    "\r\n--XyZ",
    "--XyZ--",
    "\r\n--XyZ\r\n",
    "Content-Disposition: form-data; name=\"",
    "; filename=\"",
    "\"",
    "Content-Type: ",
    "\xc3",
    "\xff",
    "\x00",
};

static size_t mutate(unsigned char *buf, size_t n, size_t cap, uint64_t *rs)
{
    int rounds = 1 + (int)(test_rand(rs) % 4);
    for (int r = 0; r < rounds; r++) {
        size_t at = n ? (size_t)(test_rand(rs) % (n + 1)) : 0;
        switch (test_rand(rs) % 6) {
        case 0: /* flip a byte */
            if (n)
                buf[at % n] ^= (unsigned char)(1u << (test_rand(rs) % 8));
            break;
        case 1: /* a random byte */
            if (n)
                buf[at % n] = (unsigned char)test_rand(rs);
            break;
        case 2: { /* insert a token */
            const char *t = tokens[test_rand(rs) % (sizeof tokens / sizeof tokens[0])];
            size_t tl = strlen(t) ? strlen(t) : 1;
            if (n + tl <= cap) {
                memmove(buf + at + tl, buf + at, n - at);
                memcpy(buf + at, t, tl);
                n += tl;
            }
            break;
        }
        case 3: { /* delete a range */
            size_t len = n - at ? (size_t)(test_rand(rs) % (n - at + 1)) : 0;
            if (len > 16 && test_rand(rs) % 2)
                len = 16;
            memmove(buf + at, buf + at + len, n - at - len);
            n -= len;
            break;
        }
        case 4: { /* duplicate a range */
            size_t len = n - at ? (size_t)(test_rand(rs) % (n - at + 1)) : 0;
            if (len > 64)
                len = 64;
            if (n + len <= cap) {
                memmove(buf + at + len, buf + at, n - at); /* [at, at+len) stays: a copy */
                n += len;
            }
            break;
        }
        default: /* cut */
            n = at;
            break;
        }
    }
    return n;
}

static void test_fuzz(void **state)
{
    (void)state;
    enum { CAP = 2048 };
    unsigned char buf[CAP];
    uint64_t rs = 0x666f726d31300aULL;
    for (int i = 0; i < 50000; i++) {
        size_t n;
        if (i % 5 == 0) { /* random bytes, mostly printable */
            n = (size_t)(test_rand(&rs) % 300);
            for (size_t k = 0; k < n; k++) {
                uint64_t x = test_rand(&rs);
                buf[k] = x % 4 ? (unsigned char)(' ' + (x >> 8) % 95) : (unsigned char)(x >> 16);
            }
        } else {
            const char *s = seeds[test_rand(&rs) % (sizeof seeds / sizeof seeds[0])];
            n = strlen(s);
            memcpy(buf, s, n);
            n = mutate(buf, n, CAP, &rs);
        }
        if (fuzz_form_one(buf, n))
            fail_msg("input %d breaks a promise of form.h", i);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_table),
        cmocka_unit_test(test_url_length),
        cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_utf8_exhaustive),
        cmocka_unit_test(test_url_caps),
        cmocka_unit_test(test_multipart_file),
        cmocka_unit_test(test_multipart_boundary),
        cmocka_unit_test(test_multipart_table),
        cmocka_unit_test(test_multipart_caps),
        cmocka_unit_test(test_multipart_truncated),
        cmocka_unit_test(test_access),
        cmocka_unit_test(test_json_table),
        cmocka_unit_test(test_json_messages),
        cmocka_unit_test(test_json_many_errors),
        cmocka_unit_test(test_json_long_paths),
        cmocka_unit_test(test_json_out_of_memory),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_application_form),
        cmocka_unit_test(test_same_names_as_codec),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

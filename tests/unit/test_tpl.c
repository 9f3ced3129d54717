/*
 * test_tpl — the HTML templates: escaping of every byte in every context (read
 * back as a browser reads it), URLs that must not run script, every load error
 * with its line and column, sections, loops, scopes, includes, slots, filters,
 * golden pages (tests/unit/tpl/NAME.html + .json → .out; LKS_TPL_UPDATE=1 writes
 * the .out files), the built-in set, the output cap, threads on one set, and a
 * deterministic run of the fuzz target (tests/fuzz/fuzz_tpl.c) on generated
 * templates.
 */
#include "testutil.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/buf.h"
#include "web/tpl.h"

#define FUZZ_TPL_NO_ENTRY
#include "../fuzz/fuzz_tpl.c"

#define OUT_MAX (1u << 22)

/* ---------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------- */

static const char partial_p[] = "<b>{{naam}}</b>";

/* A set of "t" (the text) and "p" (partial_p); fails the test on a load error. */
static struct tpl_set *load1(const char *text)
{
    struct tpl_source src[2] = {{"t", text, strlen(text)}, {"p", partial_p, strlen(partial_p)}};
    struct tpl_set *s = NULL;
    struct lks_err err = {0};
    int rc = tpl_set_load(&s, src, 2, &err);
    if (rc)
        fail_msg("load failed for «%s»: %s %s: %s", text, err.reason, err.field, err.msg);
    return s;
}

static json_t *parse(const char *json)
{
    json_error_t je;
    json_t *d = json_loads(json, JSON_DECODE_ANY, &je);
    if (!d)
        fail_msg("bad JSON in test: %s: %s", json, je.text);
    return d;
}

/* Render t of `text` with `data`; the output (malloc'd). */
static char *render_data(const char *text, const json_t *data, const struct tpl_safe *slots,
                         size_t nslots)
{
    struct tpl_set *s = load1(text);
    struct buf b;
    buf_init(&b, OUT_MAX);
    struct lks_err err = {0};
    int rc = tpl_render(s, "t", data, slots, nslots, &b, &err);
    if (rc)
        fail_msg("render failed for «%s»: %s", text, err.msg);
    char *out = strdup(b.data ? b.data : "");
    buf_free(&b);
    tpl_set_free(s);
    return out;
}

static void expect(const char *text, const char *json, const char *want)
{
    json_t *d = parse(json);
    char *got = render_data(text, d, NULL, 0);
    if (strcmp(got, want) != 0)
        fail_msg("template «%s» with %s:\n got «%s»\nwant «%s»", text, json, got, want);
    free(got);
    json_decref(d);
}

/* ---------------------------------------------------------------------------------
 * A browser's reading, written for the test: entities, percent-encoding, UTF-8.
 * ------------------------------------------------------------------------------- */

/* Length of the UTF-8 sequence at p and its code point, or 0 when invalid
 * (decoded, then judged by the code point's range). */
static int ref_utf8(const unsigned char *p, size_t n, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    int len;
    uint32_t min;
    if ((p[0] & 0xE0) == 0xC0)
        len = 2, *cp = p[0] & 0x1Fu, min = 0x80;
    else if ((p[0] & 0xF0) == 0xE0)
        len = 3, *cp = p[0] & 0x0Fu, min = 0x800;
    else if ((p[0] & 0xF8) == 0xF0)
        len = 4, *cp = p[0] & 0x07u, min = 0x10000;
    else
        return 0;
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (p[i] & 0x3Fu);
    }
    if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
        return 0;
    return len;
}

static bool ref_valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = ref_utf8((const unsigned char *)s + i, n - i, &cp);
        if (!k)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* What the text contexts promise to show: NUL and bytes that begin no valid sequence
 * as U+FFFD. */
static size_t ref_html_expected(const char *s, size_t n, char *d)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int len = s[i] ? ref_utf8((const unsigned char *)s + i, n - i, &cp) : 0;
        if (!len) {
            memcpy(d + k, "\xEF\xBF\xBD", 3);
            k += 3;
            i++;
        } else {
            memcpy(d + k, s + i, (size_t)len);
            k += (size_t)len;
            i += (size_t)len;
        }
    }
    return k;
}

/* Decode the entities the escaper writes; false when another '&' sequence is seen. */
static bool decode_entities(const char *s, size_t n, char *d, size_t *dn)
{
    static const struct {
        const char *e;
        char c;
    } ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] != '&') {
            d[k++] = s[i++];
            continue;
        }
        size_t m = 0;
        while (m < 5 &&
               !(n - i >= strlen(ents[m].e) && memcmp(s + i, ents[m].e, strlen(ents[m].e)) == 0))
            m++;
        if (m == 5)
            return false;
        d[k++] = ents[m].c;
        i += strlen(ents[m].e);
    }
    *dn = k;
    return true;
}

static int hexv(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                  : -1;
}

static bool pct_decode(const char *s, size_t n, char *d, size_t *dn)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            d[k++] = s[i];
            continue;
        }
        if (i + 2 >= n)
            return false;
        int a = hexv(s[i + 1]), b = hexv(s[i + 2]);
        if (a < 0 || b < 0)
            return false;
        d[k++] = (char)(a * 16 + b);
        i += 2;
    }
    *dn = k;
    return true;
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/* Would a browser take s (a URL attribute's value, entities decoded) as having a
 * scheme other than http, https or mailto? Leading C0 and space dropped, tab and
 * newlines removed, as the URL parser does. */
static bool ref_bad_scheme(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] <= 0x20)
        i++;
    char sch[16];
    size_t k = 0;
    for (; i < n; i++) {
        char c = s[i];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == '/' || c == '?' || c == '#')
            return false;
        if (c == ':') {
            sch[k < sizeof sch ? k : sizeof sch - 1] = '\0';
            if (k >= sizeof sch)
                return true;
            for (size_t j = 0; j < k; j++)
                sch[j] = (char)((sch[j] >= 'A' && sch[j] <= 'Z') ? sch[j] + 32 : sch[j]);
            return strcmp(sch, "http") != 0 && strcmp(sch, "https") != 0 &&
                   strcmp(sch, "mailto") != 0;
        }
        if (k < sizeof sch)
            sch[k] = c;
        k++;
    }
    return false;
}

/* ---------------------------------------------------------------------------------
 * Every byte in every context
 * ------------------------------------------------------------------------------- */

enum kind { K_HTML, K_URL_START, K_URL_PART };

static const struct ctxcase {
    const char *pre, *post;
    enum kind kind;
} contexts[] = {
    {"<p>", "</p>", K_HTML},
    {"<title>", "</title>", K_HTML},
    {"<textarea>", "</textarea>", K_HTML},
    {"<p title=\"", "\">x</p>", K_HTML},
    {"<p title='", "'>x</p>", K_HTML},
    {"<input value=\"a ", " b\">", K_HTML},
    {"<a href=\"", "\">x</a>", K_URL_START},
    {"<a href='", "'>x</a>", K_URL_START},
    {"<img src=\" ", "\" alt=\"\">", K_URL_START},
    {"<form action=\"", "\"></form>", K_URL_START},
    {"<a href=\"/zoek?q=", "\">x</a>", K_URL_PART},
    {"<a href='/zoek?a=1&amp;b=", "'>x</a>", K_URL_PART},
    {"<a href=\"/zaken/", "/stappen\">x</a>", K_URL_PART},
    {"<a href=\"#", "\">x</a>", K_URL_PART},
    {"<a href=\"https://example.org/", "\">x</a>", K_URL_PART},
};

/* Render one value in one context and check what a browser reads. */
static void check_value(const struct ctxcase *cc, struct tpl_set *s, const char *v, size_t vn)
{
    json_t *d = json_object();
    json_object_set_new(d, "v", json_stringn_nocheck(v, vn));
    struct buf b;
    buf_init(&b, OUT_MAX);
    struct lks_err err = {0};
    assert_int_equal(tpl_render(s, "t", d, NULL, 0, &b, &err), 0);
    json_decref(d);
    size_t pl = strlen(cc->pre), sl = strlen(cc->post);
    assert_true(b.len >= pl + sl);
    assert_memory_equal(b.data, cc->pre, pl);
    assert_memory_equal(b.data + b.len - sl, cc->post, sl);
    const char *x = b.data + pl;
    size_t xn = b.len - pl - sl;
    char *dec = malloc(xn + 1), *want = malloc(vn * 3 + 1), *pd = malloc(xn + 1);
    size_t dn = 0, pn = 0;
    /* 1. nothing that ends the context, every '&' one of the escaper's entities */
    for (size_t i = 0; i < xn; i++)
        if (x[i] == '<' || x[i] == '>' || x[i] == '"' || x[i] == '\'' || x[i] == '\0')
            fail_msg("%s…%s: raw byte 0x%02x in the output for a value of %zu bytes", cc->pre,
                     cc->post, (unsigned char)x[i], vn);
    if (!decode_entities(x, xn, dec, &dn))
        fail_msg("%s…%s: an '&' that is not an entity of the escaper", cc->pre, cc->post);
    if (cc->kind == K_HTML) {
        /* 2. valid UTF-8, and read back it is the value (NUL and invalid bytes as U+FFFD) */
        assert_true(ref_valid_utf8(x, xn));
        size_t wn = ref_html_expected(v, vn, want);
        if (dn != wn || memcmp(dec, want, wn) != 0)
            fail_msg("%s…%s: read back differs from the value (%zu bytes)", cc->pre, cc->post, vn);
    } else {
        /* 2. only URL bytes: unreserved, %XX, and at the start the reserved ones */
        for (size_t i = 0; i < dn; i++) {
            unsigned char c = (unsigned char)dec[i];
            bool ok = unreserved(c) || c == '%' ||
                      (cc->kind == K_URL_START && c && c < 0x80 && strchr(":/?#[]@!$&'()*+,;=", c));
            if (!ok)
                fail_msg("%s…%s: byte 0x%02x in a URL", cc->pre, cc->post, c);
        }
        /* 3. read back (entities, then percent-encoding) it is the value */
        assert_true(pct_decode(dec, dn, pd, &pn));
        /* at the start a browser drops leading spaces and controls, and tabs and
         * newlines anywhere */
        char *vr = malloc(vn + 1);
        size_t vrn = 0, lead = 0;
        if (cc->kind == K_URL_START)
            while (lead < vn && (unsigned char)v[lead] <= 0x20)
                lead++;
        for (size_t i = lead; i < vn; i++)
            if (cc->kind != K_URL_START || (v[i] != '\t' && v[i] != '\n' && v[i] != '\r'))
                vr[vrn++] = v[i];
        bool has_pct = false;
        for (size_t i = 0; i + 2 < vn; i++)
            has_pct |= v[i] == '%' && hexv(v[i + 1]) >= 0 && hexv(v[i + 2]) >= 0;
        if (cc->kind == K_URL_START && ref_bad_scheme(v, vn)) {
            if (!(xn == 1 && x[0] == '#'))
                fail_msg("%s…%s: a URL with a scheme not allowed kept", cc->pre, cc->post);
        } else if (!has_pct && (pn != vrn || memcmp(pd, vr, pn) != 0)) {
            fail_msg("%s…%s: the URL read back differs from the value (%zu bytes)", cc->pre,
                     cc->post, vn);
        }
        free(vr);
    }
    free(dec);
    free(want);
    free(pd);
    buf_free(&b);
}

static void test_every_byte_every_context(void **state)
{
    (void)state;
    static const char *const extra[] = {
        "\xC3\xA9",
        "\xE2\x82\xAC",
        "\xF0\x9F\x98\x80",
        "\xEF\xBF\xBD",
        "\xF4\x8F\xBF\xBF",
        "\xC2\x80",
        "\xDF\xBF",
        "\xE0\xA0\x80",
        "\xEF\xBF\xBF",
        "\xE2\x80\xA8",
        /* invalid */
        "\xC0\x80",
        "\xC1\xBF",
        "\xE0\x80\x80",
        "\xE0\x9F\xBF",
        "\xED\xA0\x80",
        "\xED\xBF\xBF",
        "\xF0\x8F\xBF\xBF",
        "\xF4\x90\x80\x80",
        "\xF5\x80\x80\x80",
        "\xF8\x88\x80\x80\x80",
        "\xFE",
        "\xFF",
        "\xE2\x82",
        "\xF0\x9F\x98",
        "\x80",
        "\xBF",
        "a\xE2\x82z",
        "\xC3",
        "\xC3(",
        "\xE2\x82\xAC\xE2",
        "<\xC3>",
        "&\xFF;",
        "\xED\x9F\xBF",
    };
    for (size_t c = 0; c < sizeof contexts / sizeof contexts[0]; c++) {
        const struct ctxcase *cc = &contexts[c];
        char text[128];
        snprintf(text, sizeof text, "%s{{v}}%s", cc->pre, cc->post);
        struct tpl_set *s = load1(text);
        for (int b = 0; b < 256; b++) {
            char one[1] = {(char)b}, three[3] = {'a', (char)b, 'z'}, two[2] = {(char)b, (char)b};
            check_value(cc, s, one, 1);
            check_value(cc, s, three, 3);
            check_value(cc, s, two, 2);
        }
        for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
            char v[32];
            size_t n = strlen(extra[k]);
            check_value(cc, s, extra[k], n);
            snprintf(v, sizeof v, "x%sy", extra[k]);
            check_value(cc, s, v, n + 2);
        }
        /* all 256 bytes in one value */
        char all[256];
        for (int b = 0; b < 256; b++)
            all[b] = (char)b;
        check_value(cc, s, all, 256);
        check_value(cc, s, all + 1, 255);
        tpl_set_free(s);
    }
}

/* The policy spelled out: U+FFFD for NUL and invalid bytes in text, kept bytes in
 * URLs, percent-encoded. */
static void test_escape_policy(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4096);
    assert_true(tpl_escape(&b, TPL_CTX_TEXT,
                           "a\0b\xFF"
                           "c<&>\"'",
                           10));
    assert_string_equal(b.data, "a\xEF\xBF\xBD"
                                "b\xEF\xBF\xBD"
                                "c&lt;&amp;&gt;&quot;&#39;");
    buf_reset(&b);
    assert_true(tpl_escape(&b, TPL_CTX_ATTR, "\xE2\x82\xAC \xC3\xA9", 6));
    assert_string_equal(b.data, "\xE2\x82\xAC \xC3\xA9");
    buf_reset(&b);
    assert_true(tpl_escape(&b, TPL_CTX_URL_PART, "a b&c=d/é\0", 11));
    assert_string_equal(b.data, "a%20b%26c%3Dd%2F%C3%A9%00");
    buf_reset(&b);
    assert_true(tpl_escape(&b, TPL_CTX_URL_START, "  https://x.nl/a b?c=1&d='2'#%41%zz", 35));
    assert_string_equal(b.data, "https://x.nl/a%20b?c=1&amp;d=&#39;2&#39;#%41%25zz");
    buf_reset(&b);
    assert_true(tpl_escape(&b, TPL_CTX_URL_START,
                           "/a\tb\nc\rd\x01"
                           "e",
                           10));
    assert_string_equal(b.data, "/abcd%01e");
    buf_reset(&b);
    /* a full output buffer: false, nothing half written */
    struct buf small;
    buf_init(&small, 8);
    assert_false(tpl_escape(&small, TPL_CTX_TEXT, "<<<", 3));
    assert_true(small.failed);
    assert_int_equal(small.len, 0);
    buf_free(&small);
    buf_free(&b);
}

/* ---------------------------------------------------------------------------------
 * URLs that must not run script
 * ------------------------------------------------------------------------------- */

/* The URL a browser takes from the attribute text between the quotes. */
static void browser_url(const char *attr, size_t n, char *d, size_t *dn)
{
    char tmp[1024];
    size_t tn = 0;
    assert_true(decode_entities(attr, n, tmp, &tn));
    size_t i = 0, k = 0;
    while (i < tn && (unsigned char)tmp[i] <= 0x20)
        i++;
    for (; i < tn; i++)
        if (tmp[i] != '\t' && tmp[i] != '\n' && tmp[i] != '\r')
            d[k++] = (char)(tmp[i] >= 'A' && tmp[i] <= 'Z' ? tmp[i] + 32 : tmp[i]);
    d[k] = '\0';
    *dn = k;
}

static void test_script_urls(void **state)
{
    (void)state;
#define S(x)                                                                                       \
    {                                                                                              \
        x, sizeof x - 1                                                                            \
    }
    static const struct {
        const char *s;
        size_t n;
    } evil[] = {
        S("javascript:alert(1)"),
        S("JaVaScRiPt:alert(1)"),
        S("JAVASCRIPT:alert(1)"),
        S(" javascript:alert(1)"),
        S("\t\n javascript:alert(1)"),
        S("\x01\x02\x1f javascript:alert(1)"),
        S("java\tscript:alert(1)"),
        S("java\nscript:alert(1)"),
        S("java\rscript:alert(1)"),
        S("j\ta\nv\ra script:alert(1)"),
        S("javascript\t:alert(1)"),
        S("vbscript:msgbox(1)"),
        S("data:text/html,<script>alert(1)</script>"),
        S("DATA:text/html;base64,PHNjcmlwdD4="),
        S("file:///etc/passwd"),
        S("livescript:x"),
        S("jav\0ascript:alert(1)"),
        S("\0javascript:alert(1)"),
        S("javascript:alert(1)//https://example.org/"),
        S("x:y"),
        S(":nothing"),
        S("javascriptalertlongername-of-scheme-that-is-long:x"),
        /* no scheme to a browser ('%' cannot start one), but refused as if it were */
        S("%6Aavascript:alert(1)"),
    };
#undef S
    static const char *const fine[] = {
        "https://example.org/a?b=c#d",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG/",
        "mailto:a@example.org",
        "/relatief/pad",
        "relatief",
        "?q=1",
        "#boven",
        "//example.org/pad",
        "./a:b",
        "a/b:c",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "javascript%3Aalert(1)",
        "ht\ttps://example.org/",
        " \nmai\nlto:a@example.org",
    };
    static const char *const tpls[] = {"<a href=\"{{u}}\">x</a>",
                                       "<a href='{{u}}'>x</a>",
                                       "<img src=\"{{u}}\">",
                                       "<form action=\"{{u}}\"></form>",
                                       "<button formaction=\"{{u}}\">x</button>",
                                       "<a href=\"  {{u}}\">x</a>",
                                       "<A HREF=\"{{u}}\">x</A>",
                                       "<video poster=\"{{u}}\"></video>"};
    for (size_t t = 0; t < sizeof tpls / sizeof tpls[0]; t++) {
        struct tpl_set *s = load1(tpls[t]);
        for (int pass = 0; pass < 2; pass++) {
            size_t nv = pass ? sizeof fine / sizeof fine[0] : sizeof evil / sizeof evil[0];
            for (size_t k = 0; k < nv; k++) {
                const char *v = pass ? fine[k] : evil[k].s;
                size_t vn = pass ? strlen(v) : evil[k].n;
                json_t *d = json_object();
                json_object_set_new(d, "u", json_stringn_nocheck(v, vn));
                struct buf b;
                buf_init(&b, 4096);
                struct lks_err err = {0};
                assert_int_equal(tpl_render(s, "t", d, NULL, 0, &b, &err), 0);
                json_decref(d);
                /* the attribute value: between the first quote and the next one */
                const char *q = strpbrk(b.data, "\"'");
                assert_non_null(q);
                const char *e = strchr(q + 1, *q);
                assert_non_null(e);
                char url[1024];
                size_t un;
                browser_url(q + 1, (size_t)(e - q - 1), url, &un);
                if (!pass) {
                    if (strcmp(url, "#") != 0)
                        fail_msg("%s with «%s»: the URL «%s» survived", tpls[t], v, url);
                } else {
                    if (strcmp(url, "#") == 0 || strstr(url, "javascript:") == url ||
                        strstr(url, "data:") == url)
                        fail_msg("%s with «%s»: read as «%s»", tpls[t], v, url);
                }
                buf_free(&b);
            }
        }
        tpl_set_free(s);
    }
    /* what is kept is the value itself */
    expect("<a href=\"{{u}}\">", "{\"u\":\"https://example.org/a?b=c&d=e#f\"}",
           "<a href=\"https://example.org/a?b=c&amp;d=e#f\">");
    expect("<a href=\"{{u}}\">", "{\"u\":\"&#106;avascript:alert(1)\"}",
           "<a href=\"&amp;#106;avascript:alert(1)\">");
    expect("<a href=\"{{u}}\">", "{\"u\":\"ht\\ttps://e.nl/a\\nb\"}",
           "<a href=\"https://e.nl/ab\">");
    /* a query part cannot add a parameter, a path or a scheme */
    expect("<a href=\"/zoek?q={{q}}&amp;p=1\">", "{\"q\":\"a&p=2#x/../y:z\"}",
           "<a href=\"/zoek?q=a%26p%3D2%23x%2F..%2Fy%3Az&amp;p=1\">");
    expect("<a href=\"/zaken/{{id}}\">", "{\"id\":\"../beheer?x=1\"}",
           "<a href=\"/zaken/..%2Fbeheer%3Fx%3D1\">");
    /* a value after the first is a part, also at the start */
    expect("<a href=\"{{a}}{{b}}\">", "{\"a\":\"/x\",\"b\":\"javascript:1\"}",
           "<a href=\"/xjavascript%3A1\">");
    expect("<a href=\"{{a}}{{b}}\">", "{\"a\":\"java\",\"b\":\"script:alert(1)\"}",
           "<a href=\"javascript%3Aalert%281%29\">");
    /* a section decides nothing: after one that may add text, a value is a part */
    expect("<a href=\"{{#if a}}/x{{/if}}{{u}}\">", "{\"u\":\"javascript:1\"}",
           "<a href=\"javascript%3A1\">");
    expect("<a href=\"{{#if a}}/x{{/if}}{{u}}\">", "{\"a\":1,\"u\":\"y\"}", "<a href=\"/xy\">");
    /* a static scheme that is allowed, then a value */
    expect("<a href=\"mailto:{{m}}\">", "{\"m\":\"a@b.nl?subject=x&body=y\"}",
           "<a href=\"mailto:a%40b.nl%3Fsubject%3Dx%26body%3Dy\">");
    expect("<a href=\"https://x.nl/{{p}}\">", "{\"p\":\"a b\"}", "<a href=\"https://x.nl/a%20b\">");
    /* plain attributes are not URLs: the value is shown as text */
    expect("<p title=\"{{u}}\">", "{\"u\":\"javascript:alert(1)\"}",
           "<p title=\"javascript:alert(1)\">");
    expect("<p data-href=\"{{u}}\">", "{\"u\":\"javascript:alert(1)\"}",
           "<p data-href=\"javascript:alert(1)\">");
}

/* ---------------------------------------------------------------------------------
 * Load errors
 * ------------------------------------------------------------------------------- */

/* Line and column (characters) of the first `at` in text, or of its end. */
static void pos_of(const char *text, const char *at, unsigned *line, unsigned *col)
{
    const char *p = at ? strstr(text, at) : text + strlen(text);
    if (!p)
        fail_msg("marker «%s» not in «%s»", at, text);
    *line = 1;
    *col = 1;
    for (const char *q = text; q < p; q++) {
        if (*q == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static void expect_err_set(const struct tpl_source *src, size_t n, const char *field,
                           const char *reason, const char *text_of_field, const char *at,
                           const char *part)
{
    struct tpl_set *s = (struct tpl_set *)1;
    struct lks_err err = {0};
    int rc = tpl_set_load(&s, src, n, &err);
    if (rc != LKS_EINVAL)
        fail_msg("«%s»: want a load error (%s), got %d", text_of_field, part, rc);
    assert_null(s);
    if (strcmp(err.field, field) != 0 || strcmp(err.reason, reason) != 0)
        fail_msg("«%s»: want %s %s, got %s %s: %s", text_of_field, field, reason, err.field,
                 err.reason, err.msg);
    unsigned line, col;
    pos_of(text_of_field, at, &line, &col);
    char head[48];
    snprintf(head, sizeof head, "regel %u, kolom %u: ", line, col);
    if (strncmp(err.msg, head, strlen(head)) != 0 || !strstr(err.msg, part))
        fail_msg("«%s»: want «%s…%s…», got «%s»", text_of_field, head, part, err.msg);
}

static void expect_err(const char *text, const char *reason, const char *at, const char *part)
{
    struct tpl_source src[2] = {{"t", text, strlen(text)}, {"p", partial_p, strlen(partial_p)}};
    expect_err_set(src, 2, "t", reason, text, at, part);
}

static const struct errcase {
    const char *text, *reason, *at, *part;
} errcases[] = {
    /* a value in a tag name, between attributes, in an attribute name */
    {"<{{x}}>", "tpl-context", "{{x}}", "tagnaam"},
    {"<p{{x}}>", "tpl-context", "{{x}}", "tagnaam"},
    {"</{{x}}>", "tpl-context", "{{x}}", "tagnaam"},
    {"<p {{x}}>", "tpl-context", "{{x}}", "tussen attributen"},
    {"<p class=\"a\" {{x}}>", "tpl-context", "{{x}}", "tussen attributen"},
    {"<p class=\"a\"{{x}}>", "tpl-context", "{{x}}", "tussen attributen"},
    {"<br/{{x}}>", "tpl-context", "{{x}}", "tussen attributen"},
    {"<p data-{{x}}=\"1\">", "tpl-context", "{{x}}", "attribuutnaam"},
    {"<p hidden {{x}}>", "tpl-context", "{{x}}", "tussen attributen"},
    /* unquoted attribute values */
    {"<p title={{x}}>", "tpl-context", "{{x}}", "zonder aanhalingstekens"},
    {"<p title= {{x}}>", "tpl-context", "{{x}}", "zonder aanhalingstekens"},
    {"<p title=a{{x}}>", "tpl-context", "{{x}}", "zonder aanhalingstekens"},
    {"<a href={{u}}>", "tpl-context", "{{u}}", "zonder aanhalingstekens"},
    /* comments and declarations */
    {"<!-- {{x}} -->", "tpl-context", "{{x}}", "commentaar"},
    {"<!--{{x}}-->", "tpl-context", "{{x}}", "commentaar"},
    {"<!-- a -- b {{x}} -->", "tpl-context", "{{x}}", "commentaar"},
    {"<!DOCTYPE {{x}}>", "tpl-context", "{{x}}", "declaratie"},
    {"<!{{x}}>", "tpl-context", "{{x}}", "declaratie"},
    {"<?xml {{x}}?>", "tpl-context", "{{x}}", "declaratie"},
    {"</ {{x}}>", "tpl-context", "{{x}}", "declaratie"},
    /* raw text */
    {"<script>var a = \"{{x}}\";</script>", "tpl-context", "{{x}}", "in <script>"},
    {"<SCRIPT type=\"module\">{{x}}</SCRIPT>", "tpl-context", "{{x}}", "in <script>"},
    {"<script>\"</scrip\" + {{x}}</script>", "tpl-context", "{{x}}", "in <script>"},
    {"<style>p { color: {{x}} }</style>", "tpl-context", "{{x}}", "in <style>"},
    {"<noscript>{{x}}</noscript>", "tpl-context", "{{x}}", "in <noscript>"},
    {"<iframe>{{x}}</iframe>", "tpl-context", "{{x}}", "in <iframe>"},
    {"<xmp>{{x}}</xmp>", "tpl-context", "{{x}}", "in <xmp>"},
    {"<title></{{x}}</title>", "tpl-context", "{{x}}", "sluittag"},
    /* attributes that run code or style */
    {"<p onclick=\"{{x}}\">", "tpl-context", "{{x}}", "event-attribuut onclick"},
    {"<body ONLOAD='go({{x}})'>", "tpl-context", "{{x}}", "event-attribuut onload"},
    {"<a onmouseover=\"f('{{x}}')\">", "tpl-context", "{{x}}", "onmouseover"},
    {"<p style=\"color: {{x}}\">", "tpl-context", "{{x}}", "style-attribuut"},
    {"<iframe srcdoc=\"{{x}}\"></iframe>", "tpl-context", "{{x}}", "srcdoc"},
    {"<svg><a><set attributeName=\"href\" to=\"{{x}}\"/></a></svg>", "tpl-context", "{{x}}",
     "SVG-animatie <set>"},
    {"<svg><animate values=\"{{x}}\"/></svg>", "tpl-context", "{{x}}", "<animate>"},
    {"<svg><animateMotion dur=\"{{x}}\"/></svg>", "tpl-context", "{{x}}", "<animatemotion>"},
    {"<script src=\"{{x}}\"></script>", "tpl-context", "{{x}}", "code of opmaak"},
    {"<link rel=\"stylesheet\" href=\"{{x}}\">", "tpl-context", "{{x}}", "code of opmaak"},
    {"<base href=\"{{x}}\">", "tpl-context", "{{x}}", "code of opmaak"},
    {"<object data=\"{{x}}\"></object>", "tpl-context", "{{x}}", "code of opmaak"},
    {"<embed src=\" {{x}}\">", "tpl-context", "{{x}}", "code of opmaak"},
    /* URLs whose scheme a value would help make */
    {"<a href=\"javascript:{{x}}\">", "tpl-context", "{{x}}", "schema dat niet"},
    {"<a href=\" JavaScript:void({{x}})\">", "tpl-context", "{{x}}", "schema dat niet"},
    {"<a href=\"java\tscript:{{x}}\">", "tpl-context", "{{x}}", "schema dat niet"},
    {"<a href=\"data:text/html,{{x}}\">", "tpl-context", "{{x}}", "schema dat niet"},
    {"<a href=\"tel:{{x}}\">", "tpl-context", "{{x}}", "schema dat niet"},
    {"<a href=\"&#106;avascript:{{x}}\">", "tpl-context", "{{x}}", "'&'"},
    {"<a href=\"java{{x}}:\">", "tpl-context", ":\"", "':' direct na een waarde"},
    {"<a href=\"{{x}}:8080/\">", "tpl-context", ":8080", "':' direct na een waarde"},
    {"<a href=\"{{x}}&#58;alert(1)\">", "tpl-context", "&#58;", "'&' direct na een waarde"},
    {"<a href=\"{{x}}{{#if a}}:{{/if}}\">", "tpl-context", ":{{/if}}", "direct na een waarde"},
    {"<a href=\"{{#each xs}}{{.}}{{/each}}\">", "tpl-context", "{{#each", "{{#each}} vóór het pad"},
    /* a value after a section: what either branch may have written counts */
    {"<a href=\"{{#if a}}{{else}}javascript:{{/if}}{{u}}\">", "tpl-context", "{{u}}",
     "schema dat niet"},
    {"<a href=\"{{#if a}}javascript:{{/if}}{{u}}\">", "tpl-context", "{{u}}", "schema dat niet"},
    {"<a href=\"{{#unless a}}{{else}}{{x}}{{/unless}}:y\">", "tpl-context", ":y",
     "direct na een waarde"},
    /* slots and includes only in text */
    {"<p title=\"{{> p}}\">", "tpl-context", "{{> p}}", "alleen in HTML-tekst"},
    {"<p title=\"{{{s}}}\">", "tpl-context", "{{{s}}}", "alleen in HTML-tekst"},
    {"<title>{{{s}}}</title>", "tpl-context", "{{{s}}}", "niet in <title>"},
    {"<p {{> p}}>", "tpl-context", "{{> p}}", "alleen in HTML-tekst"},
    /* sections whose branches end in different states */
    {"{{#if a}}<b{{/if}}>", "tpl-syntax", "{{/if}}", "eindigen verschillend"},
    {"<p title=\"{{#if a}}x\"{{/if}}>", "tpl-syntax", "{{/if}}", "eindigen verschillend"},
    {"{{#if a}}<!--{{/if}} -->", "tpl-syntax", "{{/if}}", "in commentaar tegenover in tekst"},
    {"{{#if a}}<script>{{else}}<p>{{/if}}</script>", "tpl-syntax", "{{/if}}", "in <script>"},
    {"{{#if a}}<b>{{else}}<i{{/if}}", "tpl-syntax", "{{/if}}", "tussen attributen"},
    {"{{#unless a}}<p class=\"{{/unless}}\">", "tpl-syntax", "{{/unless}}", "{{#unless}}"},
    {"<p class='{{#if a}}'{{/if}}>", "tpl-syntax", "{{/if}}", "tussen '"},
    {"<a {{#if a}}href=\"{{else}}title=\"{{/if}}x\">", "tpl-syntax", "{{/if}}", "verschillend"},
    {"{{#if a}}<script>{{/if}}", "tpl-syntax", "{{/if}}", "in <script> tegenover in tekst"},
    {"{{#each xs}}<li title=\"{{/each}}\">", "tpl-syntax", "{{/each}}", "herhaling"},
    {"{{#each xs}}<p{{else}}<p>{{/each}}", "tpl-syntax", "{{else}}", "herhaling"},
    {"{{#each xs}}<title>{{/each}}", "tpl-syntax", "{{/each}}", "eindigt in <title>"},
    /* a section inside a tag must not let a name run on */
    {"<a {{#if a}}href{{else}}title{{/if}}=\"{{x}}\">", "tpl-syntax", "=\"{{x}}",
     "'=' na een sectie"},
    {"<input{{#if a}}disabled{{/if}}>", "tpl-syntax", "disabled", "spatie, '/' of '>'"},
    {"<input {{#if a}} dis{{/if}}abled>", "tpl-syntax", "abled>", "spatie, '/' of '>'"},
    {"<p{{#if a}} x{{/if}}y>", "tpl-syntax", "y>", "spatie"},
    {"<input {{#each xs}}x{{/each}}>", "tpl-syntax", "{{/each}}", "begin haar met een spatie"},
    /* structure */
    {"{{#if a}}x", "tpl-syntax", "{{#if", "wordt niet gesloten"},
    {"{{#each a}}{{#if b}}x{{/if}}", "tpl-syntax", "{{#each", "{{#each}} wordt niet gesloten"},
    {"{{#if a}}x{{/each}}", "tpl-syntax", "{{/each}}", "sluit {{#if}} van regel 1 niet"},
    {"x{{/if}}", "tpl-syntax", "{{/if}}", "zonder open sectie"},
    {"x{{else}}y", "tpl-syntax", "{{else}}", "buiten een sectie"},
    {"{{#if a}}x{{else}}y{{else}}z{{/if}}", "tpl-syntax", "{{else}}z", "tweede {{else}}"},
    {"<p>{{x</p>", "tpl-syntax", "{{x", "{{ zonder }}"},
    {"<p>{{{x}}</p>", "tpl-syntax", "{{{x", "{{{ zonder }}}"},
    {"{{ }}", "tpl-syntax", "{{", "lege tag"},
    {"{{#with a}}{{/with}}", "tpl-syntax", "{{#with", "onbekende sectie"},
    {"{{#if}}x{{/if}}", "tpl-syntax", "}}x", "er ontbreekt een pad"},
    {"{{x|foo}}", "tpl-syntax", "foo", "onbekend filter 'foo'"},
    {"{{x|}}", "tpl-syntax", "}}", "onbekend filter"},
    {"{{x|euro|datum}}", "tpl-syntax", "euro|", "onbekend filter"},
    {"{{a..b}}", "tpl-syntax", ".b}}", "ongeldig pad"},
    {"{{.a}}", "tpl-syntax", ".a}}", "ongeldig pad"},
    {"{{a.}}", "tpl-syntax", ".}}", "ongeldig pad"},
    {"{{a b}}", "tpl-syntax", " b}}", "ongeldig pad"},
    {"{{a<b}}", "tpl-syntax", "<b}}", "ongeldig pad"},
    {"{{@foo}}", "tpl-syntax", "@foo", "onbekende variabele"},
    {"{{@index.x}}", "tpl-syntax", "@index", "onbekende variabele"},
    {"{{&x}}", "tpl-syntax", "&x", "ongeldig pad"},
    {"{{> }}", "tpl-syntax", "{{>", "ongeldige sjabloonnaam"},
    {"{{{a b}}}", "tpl-syntax", "{{{", "ongeldige slotnaam"},
    {"{{> nergens}}", "tpl-include", "{{>", "onbekend sjabloon 'nergens'"},
    {"{{> t}}", "tpl-include", "{{>", "kring van includes: t → t"},
    /* a template that ends inside something */
    {"<p class=\"x", "tpl-syntax", NULL, "eindigt in een attribuutwaarde tussen \""},
    {"<p", "tpl-syntax", NULL, "eindigt in een tagnaam"},
    {"<p>\n<", "tpl-syntax", NULL, "eindigt in een tagnaam"},
    {"<p>\n<!-- x", "tpl-syntax", NULL, "eindigt in commentaar"},
    {"<script>x", "tpl-syntax", NULL, "eindigt in <script>"},
    {"<script>x</script", "tpl-syntax", NULL, "eindigt in <script>"},
    {"<title>x", "tpl-syntax", NULL, "eindigt in <title>"},
    {"<a href='x'", "tpl-syntax", NULL, "tussen attributen"},
    {"<p title=", "tpl-syntax", NULL, "na '='"},
    {"<!DOCTYPE html", "tpl-syntax", NULL, "declaratie"},
    /* the text itself */
    {"<p>\xFF</p>", "tpl-syntax", "\xFF", "geen geldige UTF-8"},
    {"<p>\xC0\x80</p>", "tpl-syntax", "\xC0", "geen geldige UTF-8"},
    /* lines and columns count characters */
    {"<p>é</p>\n<p>ü</p>\n<p>ééé<{{x}}</p>", "tpl-context", "{{x}}", "tagnaam"},
    {"<p>€€€</p>\r\n\t<a href={{x}}>", "tpl-context", "{{x}}", "zonder aanhalingstekens"},
};

static void test_load_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof errcases / sizeof errcases[0]; i++)
        expect_err(errcases[i].text, errcases[i].reason, errcases[i].at, errcases[i].part);

    /* a NUL byte in the text */
    static const char nul[] = "<p>a\0b</p>";
    struct tpl_source s1[1] = {{"t", nul, sizeof nul - 1}};
    expect_err_set(s1, 1, "t", "tpl-syntax", "<p>a", NULL, "een NUL-byte");

    /* a cycle through two templates is reported where it closes */
    struct tpl_source cyc[2] = {{"a", "<p>{{> b}}</p>", 14}, {"b", "x\n  {{> a}}", 11}};
    expect_err_set(cyc, 2, "b", "tpl-include", "x\n  {{> a}}", "{{> a}}",
                   "een kring van includes: a → b → a");

    /* includes nest at most TPL_MAX_INCLUDE deep */
    struct tpl_source chain[TPL_MAX_INCLUDE + 2];
    char names[TPL_MAX_INCLUDE + 2][16], texts[TPL_MAX_INCLUDE + 2][40];
    for (int k = 0; k < TPL_MAX_INCLUDE + 2; k++) {
        snprintf(names[k], sizeof names[k], "n%d", k);
        if (k < TPL_MAX_INCLUDE + 1)
            snprintf(texts[k], sizeof texts[k], "<i>{{> n%d}}</i>", k + 1);
        else
            snprintf(texts[k], sizeof texts[k], "eind");
        chain[k] = (struct tpl_source){names[k], texts[k], strlen(texts[k])};
    }
    struct tpl_set *s = NULL;
    struct lks_err err = {0};
    assert_int_equal(tpl_set_load(&s, chain + 1, TPL_MAX_INCLUDE + 1, &err), 0); /* 8 deep */
    tpl_set_free(s);
    assert_int_equal(tpl_set_load(&s, chain, TPL_MAX_INCLUDE + 2, &err), LKS_EINVAL);
    assert_string_equal(err.reason, "tpl-include");
    assert_non_null(strstr(err.msg, "meer dan 8 diep"));

    /* sections nest at most TPL_MAX_NEST deep */
    char deep[(TPL_MAX_NEST + 1) * 20];
    size_t dl = 0;
    for (int k = 0; k < TPL_MAX_NEST; k++)
        dl += (size_t)snprintf(deep + dl, sizeof deep - dl, "{{#if a}}");
    snprintf(deep + dl, sizeof deep - dl, "{{#if b}}");
    expect_err(deep, "tpl-syntax", "{{#if b}}", "meer dan 32 secties");

    /* names: valid, and each once */
    struct tpl_source dup[2] = {{"t", "a", 1}, {"t", "b", 1}};
    assert_int_equal(tpl_set_load(&s, dup, 2, &err), LKS_EINVAL);
    assert_string_equal(err.reason, "tpl-name");
    assert_string_equal(err.field, "t");
    struct tpl_source bad[1] = {{"a b", "x", 1}};
    assert_int_equal(tpl_set_load(&s, bad, 1, &err), LKS_EINVAL);
    assert_string_equal(err.reason, "tpl-name");
    struct tpl_source none[1] = {{NULL, "x", 1}};
    assert_int_equal(tpl_set_load(&s, none, 1, &err), LKS_EINVAL);
    assert_null(s);
}

/* What must load: sections between attributes, quotes inside other quotes, comments
 * and raw text without values, tags in text that are no tags. */
static void test_loads(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "<option value=\"x\"{{#if gekozen}} selected{{/if}}>x</option>",
        "<input type=\"checkbox\"{{#if aan}} checked{{/if}}{{#if uit}} disabled{{/if}}>",
        "<input{{#if a}} disabled{{/if}}>",
        "<p {{#if a}}class=\"x\"{{else}}id=\"y\"{{/if}}>",
        "<p{{#if a}} class=\"{{k}}\"{{/if}} id=\"i\">",
        "<a href=\"/z/{{id}}\"{{#if nieuw}} target=\"_blank\" rel=\"noopener\"{{/if}}>x</a>",
        "<p class=\"a{{#if b}} b{{/if}}{{#each cs}} {{.}}{{/each}}\">",
        "<input {{#each xs}} data-x=\"{{.}}\"{{/each}}>",
        "<input {{#each xs}} x{{/each}}>",
        "<br{{#if a}}/{{/if}}>",
        "<p title='\"{{x}}\"' data-a=\"'{{y}}'\">",
        "<!-- {{! a comment tag in a comment is no value }} -->",
        "<script>var x = 1 < 2 && 3 > 2; // </scriptx</script>{{x}}",
        "<style>a > b { c: d }</style><p>{{x}}</p>",
        "<script>x</SCRIPT >{{x}}<STYLE>a</Style>{{y}}<TiTlE>{{z}}</tItLe>{{w}}",
        "<title>a <b> {{t}} </title><textarea><p title=\"{{v}}</textarea>",
        "a < b {{x}} <3 {{y}} <!> <!-> {{z}}",
        "<!---->{{x}}<!--->{{y}}<!-->{{z}}<!-- a --!>{{w}}",
        "<!DOCTYPE html>\n<html lang=\"nl\">{{x}}</html>",
        "</p >{{x}}</ >",
        "<a href=\"?q={{q}}\">",
        "<a href=\"#{{id}}\">",
        "<a href=\"{{u}}/\">",
        "<a href=\"{{u}}?x={{y}}&amp;z={{w}}\">",
        "<a href=\"  {{u}}\">",
        "<a href=\"mailto:{{m}}\"><a href=\"HTTPS://{{h}}\">",
        "<a href=\"{{#if a}}{{u}}{{else}}/b{{/if}}\">",
        "<a href=\"/x?{{#each p}}{{k}}={{v}}&amp;{{/each}}\">",
        "<script src=\"/js/{{v}}.js\"></script><link href=\"/css?v={{v}}\" rel=\"stylesheet\">",
        "<img srcset=\"{{a}} 1x, {{b}} 2x\">",
        "{{#each xs}}{{#each ys}}{{#if z}}{{> p}}{{/if}}{{/each}}{{/each}}",
        "{{#if a}}<p>{{else}}<div>{{/if}}",
        "<p>{{!\n a comment over lines }}</p>",
        "<p>{{ a.b.c }}{{ this }}{{.}}{{this.x}}{{ xs.0.naam }}{{ a | euro }}</p>",
        "{{#each o}}{{@key}}{{@index}}{{@number}}{{#if @first}}{{/if}}{{#unless "
        "@last}}{{/unless}}{{/each}}",
        "<p>}}{{x}}}}</p>",
        "",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        tpl_set_free(load1(ok[i]));
}

/* ---------------------------------------------------------------------------------
 * Rendering
 * ------------------------------------------------------------------------------- */

static void test_values(void **state)
{
    (void)state;
    expect("[{{s}}|{{i}}|{{n}}|{{r}}|{{t}}|{{f}}|{{z}}|{{a}}|{{o}}|{{nergens}}]",
           "{\"s\":\"tekst\",\"i\":42,\"n\":-9007199254740993,\"r\":0.25,\"t\":true,\"f\":false,"
           "\"z\":null,\"a\":[1],\"o\":{\"x\":1}}",
           "[tekst|42|-9007199254740993|0.25||||||]");
    expect("{{a.b.c}} {{a.b}} {{a.x.c}} {{xs.1}} {{xs.9}} {{a.b.c.d}}",
           "{\"a\":{\"b\":{\"c\":\"diep\"}},\"xs\":[\"nul\",\"een\"]}", "diep   een  ");
    expect("{{.}}", "\"de hele data\"", "de hele data");
    expect("{{this}}", "17", "17");
    expect("{{x}}", "[1,2]", "");
    /* with no data at all */
    struct tpl_set *s = load1("<p>{{x}}{{#if x}}ja{{else}}nee{{/if}}{{#each x}}y{{/each}}</p>");
    struct buf b;
    buf_init(&b, 100);
    struct lks_err err = {0};
    assert_int_equal(tpl_render(s, "t", NULL, NULL, 0, &b, &err), 0);
    assert_string_equal(b.data, "<p>nee</p>");
    buf_free(&b);
    tpl_set_free(s);
}

static void test_sections(void **state)
{
    (void)state;
    static const char t[] = "{{#if v}}J{{else}}N{{/if}}{{#unless v}}u{{/unless}}";
    static const struct {
        const char *json, *want;
    } truth[] = {
        {"{\"v\":\"x\"}", "J"},     {"{\"v\":\"\"}", "Nu"}, {"{\"v\":\"0\"}", "J"},
        {"{\"v\":1}", "J"},         {"{\"v\":0}", "Nu"},    {"{\"v\":-1}", "J"},
        {"{\"v\":0.0}", "Nu"},      {"{\"v\":0.1}", "J"},   {"{\"v\":true}", "J"},
        {"{\"v\":false}", "Nu"},    {"{\"v\":null}", "Nu"}, {"{}", "Nu"},
        {"{\"v\":[]}", "Nu"},       {"{\"v\":[0]}", "J"},   {"{\"v\":{}}", "Nu"},
        {"{\"v\":{\"a\":0}}", "J"},
    };
    for (size_t i = 0; i < sizeof truth / sizeof truth[0]; i++)
        expect(t, truth[i].json, truth[i].want);
    expect("{{#unless v}}a{{else}}b{{/unless}}", "{\"v\":1}", "b");
    expect("{{#if a}}{{#if b}}ab{{else}}a{{/if}}{{else}}{{#if b}}b{{else}}-{{/if}}{{/if}}",
           "{\"a\":1}", "a");
    expect("{{#if a}}{{#if b}}ab{{else}}a{{/if}}{{else}}{{#if b}}b{{else}}-{{/if}}{{/if}}",
           "{\"b\":1}", "b");
    expect("{{#if a}}{{#if b}}ab{{else}}a{{/if}}{{else}}{{#if b}}b{{else}}-{{/if}}{{/if}}", "{}",
           "-");
    /* the section between attributes */
    static const char opt[] = "<option value=\"{{w}}\"{{#if g}} selected{{/if}}>{{l}}</option>";
    expect(opt, "{\"w\":\"a\",\"l\":\"A\",\"g\":true}", "<option value=\"a\" selected>A</option>");
    expect(opt, "{\"w\":\"b\",\"l\":\"B\"}", "<option value=\"b\">B</option>");
}

static void test_each(void **state)
{
    (void)state;
    static const char list[] =
        "<ul>{{#each xs}}<li>{{@index}}/{{@number}} {{naam}}{{#if @first}} eerste{{/if}}"
        "{{#if @last}} laatste{{/if}}</li>{{else}}<li>geen</li>{{/each}}</ul>";
    expect(list, "{\"xs\":[{\"naam\":\"a\"},{\"naam\":\"b\"},{\"naam\":\"c\"}]}",
           "<ul><li>0/1 a eerste</li><li>1/2 b</li><li>2/3 c laatste</li></ul>");
    expect(list, "{\"xs\":[{\"naam\":\"a\"}]}", "<ul><li>0/1 a eerste laatste</li></ul>");
    expect(list, "{\"xs\":[]}", "<ul><li>geen</li></ul>");
    expect(list, "{}", "<ul><li>geen</li></ul>");
    expect(list, "{\"xs\":\"geen lijst\"}", "<ul><li>geen</li></ul>");
    expect(list, "{\"xs\":0}", "<ul><li>geen</li></ul>");
    expect("{{#each xs}}x{{/each}}", "{\"xs\":[]}", "");
    /* over an object, in its order, with @key */
    expect("{{#each o}}{{@key}}={{.}}{{#unless @last}}; {{/unless}}{{/each}}",
           "{\"o\":{\"b\":1,\"a\":\"<x>\",\"c\":true}}", "b=1; a=&lt;x&gt;; c=");
    expect("{{#each o}}{{@key}}{{/each}}", "{\"o\":{}}", "");
    /* @key is empty over an array; @-variables outside each are empty */
    expect("{{#each xs}}[{{@key}}]{{/each}}{{@index}}{{@key}}{{#if @first}}f{{/if}}",
           "{\"xs\":[1,2]}", "[][]");
    /* nested scopes: inner names first, then outwards; `this` and `.` only inside */
    expect("{{#each groepen}}[{{naam}}:{{#each leden}}{{naam}}@{{stad}},{{/each}}]{{/each}}",
           "{\"stad\":\"Oss\",\"groepen\":[{\"naam\":\"G1\",\"stad\":\"Ede\",\"leden\":"
           "[{\"naam\":\"a\"},{\"naam\":\"b\",\"stad\":\"Urk\"}]},{\"naam\":\"G2\",\"leden\":"
           "[{\"naam\":\"c\"}]}]}",
           "[G1:a@Ede,b@Urk,][G2:c@Oss,]");
    /* a name found in an inner scope does not fall back outwards for the rest */
    expect("{{#each xs}}{{a.b}}|{{/each}}", "{\"a\":{\"b\":\"buiten\"},\"xs\":[{\"a\":1},{}]}",
           "|buiten|");
    /* this.x looks only in the current item */
    expect("{{#each xs}}{{this.a}}{{a}},{{/each}}", "{\"a\":\"buiten\",\"xs\":[{\"a\":1},{}]}",
           "11,buiten,");
    expect("{{#each xs}}{{.}}{{this}},{{/each}}", "{\"xs\":[\"a\",2,null,\"<\"]}",
           "aa,22,,&lt;&lt;,");
    /* @index of the innermost each */
    expect("{{#each a}}{{#each b}}{{@index}}{{/each}}.{{@index}} {{/each}}",
           "{\"a\":[{\"b\":[1,2]},{\"b\":[1]}]}", "01.0 0.1 ");
}

static void test_partials(void **state)
{
    (void)state;
    struct tpl_source src[4] = {
        {"pagina", "<main>{{#each zaken}}{{> rij}}{{/each}}{{> voet}}</main>", 0},
        {"rij", "<p>{{@number}} {{id}} {{> naam}}</p>", 0},
        {"naam", "<b>{{persoon.naam}}</b> ({{gemeente}})", 0},
        {"voet", "<footer>{{gemeente}}</footer>", 0},
    };
    for (int i = 0; i < 4; i++)
        src[i].len = strlen(src[i].text);
    struct tpl_set *s = NULL;
    struct lks_err err = {0};
    assert_int_equal(tpl_set_load(&s, src, 4, &err), 0);
    assert_true(tpl_has(s, "pagina"));
    assert_true(tpl_has(s, "voet"));
    assert_false(tpl_has(s, "Pagina"));
    assert_false(tpl_has(s, "nergens"));
    assert_false(tpl_has(s, NULL));
    json_t *d =
        parse("{\"gemeente\":\"Oss\",\"zaken\":[{\"id\":\"z1\",\"persoon\":{\"naam\":\"A\"}},"
              "{\"id\":\"z2\",\"persoon\":{\"naam\":\"<B>\"},\"gemeente\":\"Ede\"}]}");
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(tpl_render(s, "pagina", d, NULL, 0, &b, &err), 0);
    assert_string_equal(b.data, "<main><p>1 z1 <b>A</b> (Oss)</p><p>2 z2 <b>&lt;B&gt;</b> "
                                "(Ede)</p><footer>Oss</footer></main>");
    /* each template of the set renders on its own too */
    buf_reset(&b);
    assert_int_equal(tpl_render(s, "voet", d, NULL, 0, &b, &err), 0);
    assert_string_equal(b.data, "<footer>Oss</footer>");
    buf_reset(&b);
    assert_int_equal(tpl_render(s, "geen", d, NULL, 0, &b, &err), LKS_ENOTFOUND);
    assert_int_equal(b.len, 0);
    assert_int_equal(tpl_render(s, NULL, d, NULL, 0, &b, &err), LKS_ENOTFOUND);
    buf_free(&b);
    json_decref(d);
    tpl_set_free(s);
    tpl_set_free(NULL);
}

static void test_slots(void **state)
{
    (void)state;
    struct tpl_safe slots[2] = {{"inhoud", "<p>Hallo <b>wereld</b></p>", 26},
                                {"menu", "<nav>m</nav>", 12}};
    json_t *d = parse("{\"inhoud\":\"<script>geen slot</script>\"}");
    char *out =
        render_data("<main>{{{inhoud}}}</main>{{{ menu }}}{{{niet}}}{{inhoud}}", d, slots, 2);
    assert_string_equal(out, "<main><p>Hallo <b>wereld</b></p></main><nav>m</nav>"
                             "&lt;script&gt;geen slot&lt;/script&gt;");
    free(out);
    /* no slots: nothing, and a JSON string of that name is never raw */
    out = render_data("<main>{{{inhoud}}}</main>", d, NULL, 0);
    assert_string_equal(out, "<main></main>");
    free(out);
    /* a slot in a loop, an empty slot, a slot with a longer name that starts the same */
    struct tpl_safe more[3] = {{"in", "", 0}, {"inhoudx", "X", 1}, {"inhoud", "I", 1}};
    json_t *d2 = parse("{\"xs\":[1,2,3]}");
    out = render_data("{{#each xs}}{{{inhoud}}}{{{in}}}{{/each}}", d2, more, 3);
    assert_string_equal(out, "III");
    free(out);
    json_decref(d);
    json_decref(d2);
}

static void test_filters(void **state)
{
    (void)state;
    static const struct {
        const char *filter, *in, *want;
    } cases[] = {
        {"euro", "881.05", "€ 881,05"},
        {"euro", "-12.5", "-€ 12,50"},
        {"euro", "0.5", "€ 0,50"},
        {"euro", "0", "€ 0,00"},
        {"euro", "-0.01", "-€ 0,01"},
        {"euro", "1234", "€ 1.234,00"},
        {"euro", "1234567.89", "€ 1.234.567,89"},
        {"euro", "999999", "€ 999.999,00"},
        {"euro", "100000", "€ 100.000,00"},
        {"euro", "007.10", "€ 7,10"},
        {"euro", "12.345", "12.345"},
        {"euro", "12,50", "12,50"},
        {"euro", "1e5", "1e5"},
        {"euro", "", ""},
        {"euro", "-", "-"},
        {"euro", "1.", "1."},
        {"euro", ".5", ".5"},
        {"euro", "+5", "+5"},
        {"euro", " 5", " 5"},
        {"euro", "<b>5</b>", "&lt;b&gt;5&lt;/b&gt;"},
        {"getal", "1234.5", "1234,5"},
        {"getal", "-0.25", "-0,25"},
        {"getal", "36", "36"},
        {"getal", "a.b", "a.b"},
        {"procent", "60", "60%"},
        {"procent", "60.5", "60,5%"},
        {"procent", "57.50", "57,50%"},
        {"procent", "zestig", "zestig"},
        {"datum", "2026-01-05", "5 januari 2026"},
        {"datum", "2024-02-29", "29 februari 2024"},
        {"datum", "2026-02-29", "2026-02-29"},
        {"datum", "2026-13-01", "2026-13-01"},
        {"datum", "2026-00-10", "2026-00-10"},
        {"datum", "2026-04-31", "2026-04-31"},
        {"datum", "2026-1-5", "2026-1-5"},
        {"datum", "05-01-2026", "05-01-2026"},
        {"datum", "2026-01-05T10:00:00Z", "2026-01-05T10:00:00Z"},
        {"datum", "<script>", "&lt;script&gt;"},
        {"maand", "2026-01", "januari 2026"},
        {"maand", "2026-12-31", "december 2026"},
        {"maand", "2026-02-30", "2026-02-30"},
        {"maand", "2026-00", "2026-00"},
        {"maand", "2026", "2026"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char t[64];
        snprintf(t, sizeof t, "{{v|%s}}", cases[i].filter);
        json_t *d = json_pack("{s:s}", "v", cases[i].in);
        char *got = render_data(t, d, NULL, 0);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s of «%s»: got «%s», want «%s»", cases[i].filter, cases[i].in, got,
                     cases[i].want);
        free(got);
        json_decref(d);
    }
    /* datum and maand on all twelve months */
    static const char *const maanden[] = {"januari",   "februari", "maart",    "april",
                                          "mei",       "juni",     "juli",     "augustus",
                                          "september", "oktober",  "november", "december"};
    for (int m = 1; m <= 12; m++) {
        char in[32], want[64], t[] = "{{v|datum}}|{{v|maand}}";
        snprintf(in, sizeof in, "2026-%02d-%02d", m, m + 10);
        snprintf(want, sizeof want, "%d %s 2026|%s 2026", m + 10, maanden[m - 1], maanden[m - 1]);
        json_t *d = json_pack("{s:s}", "v", in);
        char *got = render_data(t, d, NULL, 0);
        assert_string_equal(got, want);
        free(got);
        json_decref(d);
    }
    /* whole numbers: getal and procent read them, euro does not (an amount is a string) */
    expect("{{i|procent}} {{i|getal}} {{i|euro}} {{i|datum}}", "{\"i\":60}", "60% 60 60 60");
    expect("{{r|procent}} {{t|euro}} {{z|euro}}", "{\"r\":0.5,\"t\":true,\"z\":null}", "0.5  ");
    /* a filter of a key */
    expect("{{#each o}}{{@key|datum}}{{/each}}", "{\"o\":{\"2026-03-01\":1}}", "1 maart 2026");
    /* filters in attributes and URLs: escaped for their context */
    expect("<a href=\"/x?d={{d|datum}}&amp;b={{b|euro}}\" title=\"{{b|euro}}\">",
           "{\"d\":\"2026-01-05\",\"b\":\"-1.5\"}",
           "<a href=\"/x?d=5%20januari%202026&amp;b=-%E2%82%AC%201%2C50\" title=\"-€ 1,50\">");
    /* long input passes as it is */
    char longnum[80];
    memset(longnum, '9', 70);
    longnum[70] = '\0';
    json_t *d = json_pack("{s:s}", "v", longnum);
    char *got = render_data("{{v|euro}}", d, NULL, 0);
    assert_string_equal(got, longnum);
    free(got);
    json_decref(d);
}

/* ---------------------------------------------------------------------------------
 * Golden pages, the built-in set
 * ------------------------------------------------------------------------------- */

#define GOLDEN_DIR "tests/unit/tpl"

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

static char *try_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fclose(f);
    return repo_slurp(path);
}

static void test_golden(void **state)
{
    (void)state;
    DIR *dir = opendir(GOLDEN_DIR);
    assert_non_null(dir);
    char *names[64], *texts[64];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        if (!has_suffix(e->d_name, ".html"))
            continue;
        assert_true(n < 64);
        char path[512];
        snprintf(path, sizeof path, GOLDEN_DIR "/%s", e->d_name);
        texts[n] = repo_slurp(path);
        names[n] = strndup(e->d_name, strlen(e->d_name) - 5);
        n++;
    }
    closedir(dir);
    struct tpl_source src[64];
    for (size_t i = 0; i < n; i++)
        src[i] = (struct tpl_source){names[i], texts[i], strlen(texts[i])};
    struct tpl_set *s = NULL;
    struct lks_err err = {0};
    if (tpl_set_load(&s, src, n, &err))
        fail_msg("golden templates: %s: %s", err.field, err.msg);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(texts[i]) + 1;
    char *stat = malloc(total + 1);
    size_t sn = 0;
    for (size_t i = 0; i < n; i++) {
        sn += strip_tags(texts[i], strlen(texts[i]), stat + sn);
        stat[sn++] = '\n';
    }
    bool update = getenv("LKS_TPL_UPDATE") != NULL;
    int pages = 0;
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, GOLDEN_DIR "/%s.json", names[i]);
        char *json = try_slurp(path);
        if (!json)
            continue; /* an include */
        json_t *d = parse(json);
        struct buf b;
        buf_init(&b, OUT_MAX);
        assert_int_equal(tpl_render(s, names[i], d, NULL, 0, &b, &err), 0);
        snprintf(path, sizeof path, GOLDEN_DIR "/%s.out", names[i]);
        if (update) {
            FILE *f = fopen(path, "wb");
            assert_non_null(f);
            fwrite(b.data, 1, b.len, f);
            fclose(f);
        }
        char *want = repo_slurp(path);
        if (strcmp(want, b.data) != 0)
            fail_msg("%s: the output differs from %s:\n%s", names[i], path, b.data);
        /* the fuzz target's second reading of the output holds here too */
        struct reading r = {.o = b.data, .n = b.len, .stat = stat, .sn = sn};
        const char *why = read_html(&r);
        if (why)
            fail_msg("%s: %s", names[i], why);
        free(want);
        buf_free(&b);
        json_decref(d);
        free(json);
        pages++;
    }
    assert_true(pages >= 2);
    free(stat);
    tpl_set_free(s);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
        free(texts[i]);
    }
}

static void test_builtin(void **state)
{
    (void)state;
    assert_true(tpl_builtin_n >= 1);
    struct tpl_set *s = NULL;
    struct lks_err err = {0};
    if (tpl_set_load(&s, tpl_builtin, tpl_builtin_n, &err))
        fail_msg("a built-in template does not load: %s: %s", err.field, err.msg);
    assert_true(tpl_has(s, "layout"));
    json_t *d = parse("{\"titel\":\"Zaak <LKS-1> & meer\"}");
    struct tpl_safe body = {"inhoud", "<h1>Zaak</h1>", 13};
    struct buf b;
    buf_init(&b, 1 << 16);
    assert_int_equal(tpl_render(s, "layout", d, &body, 1, &b, &err), 0);
    assert_non_null(strstr(b.data, "<!DOCTYPE html>"));
    assert_non_null(strstr(b.data, "<html lang=\"nl\">"));
    assert_non_null(strstr(b.data, "<title>Zaak &lt;LKS-1&gt; &amp; meer — lks</title>"));
    assert_non_null(strstr(b.data, "<h1>Zaak</h1>"));
    assert_true(strstr(b.data, "<main id=\"inhoud\"") < strstr(b.data, "<h1>Zaak</h1>"));
    assert_non_null(strstr(b.data, "href=\"#inhoud\">Naar de inhoud</a>"));
    /* the skip link comes before the main content */
    assert_true(strstr(b.data, "Naar de inhoud") < strstr(b.data, "<main"));
    buf_free(&b);
    json_decref(d);
    tpl_set_free(s);
}

/* ---------------------------------------------------------------------------------
 * The cap, threads
 * ------------------------------------------------------------------------------- */

static void test_cap(void **state)
{
    (void)state;
    struct tpl_set *s = load1("<ul>{{#each xs}}<li>{{.}}</li>{{/each}}</ul>");
    json_t *d = parse("{\"xs\":[\"<a>\",\"b\",\"c\"]}");
    static const char full[] = "<ul><li>&lt;a&gt;</li><li>b</li><li>c</li></ul>";
    struct lks_err err = {0};
    struct buf b;
    buf_init(&b, 3 + sizeof full - 1);
    buf_adds(&b, "vw:");
    assert_int_equal(tpl_render(s, "t", d, NULL, 0, &b, &err), 0); /* exactly full */
    assert_int_equal(b.len, 3 + strlen(full));
    buf_reset(&b);
    b.max -= 1;
    buf_adds(&b, "vw:");
    assert_int_equal(tpl_render(s, "t", d, NULL, 0, &b, &err), LKS_ENOMEM);
    assert_string_equal(err.reason, "too-large");
    assert_string_equal(b.data, "vw:"); /* what it appended is gone */
    assert_true(b.failed);
    /* a failed buffer stays failed until reset */
    assert_int_equal(tpl_render(s, "t", d, NULL, 0, &b, &err), LKS_ENOMEM);
    buf_reset(&b);
    buf_adds(&b, "vw:");
    b.max += 1;
    assert_int_equal(tpl_render(s, "t", d, NULL, 0, &b, &err), 0);
    buf_free(&b);
    /* an exponential page stops at the cap, quickly */
    tpl_set_free(s);
    s = load1("{{#each xs}}{{#each xs}}{{#each xs}}{{#each xs}}{{#each xs}}{{#each xs}}"
              "{{#each xs}}{{#each xs}}{{.}}{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}"
              "{{/each}}{{/each}}{{/each}}");
    json_t *big = json_object();
    json_t *xs = json_array();
    for (int i = 0; i < 20; i++)
        json_array_append_new(xs, json_string("0123456789"));
    json_object_set_new(big, "xs", xs);
    buf_init(&b, 1 << 20);
    assert_int_equal(tpl_render(s, "t", big, NULL, 0, &b, &err), LKS_ENOMEM);
    assert_int_equal(b.len, 0);
    buf_free(&b);
    json_decref(big);
    json_decref(d);
    tpl_set_free(s);
}

struct thread_job {
    const struct tpl_set *s;
    const json_t *d;
    const char *want;
    int failures;
};

static void *render_many(void *arg)
{
    struct thread_job *j = arg;
    struct buf b;
    buf_init(&b, OUT_MAX);
    for (int i = 0; i < 200; i++) {
        struct lks_err err = {0};
        buf_reset(&b);
        if (tpl_render(j->s, "zaken", j->d, NULL, 0, &b, &err) || strcmp(b.data, j->want) != 0)
            j->failures++;
    }
    buf_free(&b);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    char *zaken = repo_slurp(GOLDEN_DIR "/zaken.html");
    char *rij = repo_slurp(GOLDEN_DIR "/zaak_rij.html");
    char *json = repo_slurp(GOLDEN_DIR "/zaken.json");
    char *want = repo_slurp(GOLDEN_DIR "/zaken.out");
    struct tpl_source src[2] = {{"zaken", zaken, strlen(zaken)}, {"zaak_rij", rij, strlen(rij)}};
    struct tpl_set *s = NULL;
    struct lks_err err = {0};
    assert_int_equal(tpl_set_load(&s, src, 2, &err), 0);
    free(zaken); /* the set keeps its own copy */
    free(rij);
    json_t *d = parse(json);
    struct thread_job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct thread_job){.s = s, .d = d, .want = want};
        assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].failures, 0);
    }
    json_decref(d);
    tpl_set_free(s);
    free(json);
    free(want);
}

/* ---------------------------------------------------------------------------------
 * The fuzz target, deterministically
 * ------------------------------------------------------------------------------- */

static const char *const frags[] = {
    "<p>",
    "</p>",
    "<a href=\"",
    "<a href='",
    "\"",
    "'",
    "\">",
    "'>",
    "</a>",
    "<img src=\"",
    "<form action=\"",
    " title=\"",
    " class='",
    " data-x=\"",
    "=",
    " ",
    "<",
    ">",
    "/",
    "</",
    "<!--",
    "-->",
    "--!>",
    "<!DOCTYPE html>",
    "<!",
    "<?x ",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<title>",
    "</title>",
    "<textarea>",
    "</textarea>",
    "<option value=\"x\"",
    " selected",
    "?q=",
    "&amp;r=",
    "&",
    "#",
    ":",
    "mailto:",
    "https://e.nl/",
    " onclick=\"",
    " style=\"",
    "<input",
    " checked",
    "\n",
    "\t",
    "é",
    "€",
    "{{",
    "}}",
    "{",
    "}",
    "{{a}}",
    "{{b}}",
    "{{c}}",
    "{{h}}",
    "{{u}}",
    "{{bad}}",
    "{{.}}",
    "{{this}}",
    "{{@index}}",
    "{{@number}}",
    "{{@key}}",
    "{{e|euro}}",
    "{{d|datum}}",
    "{{d|maand}}",
    "{{n|getal}}",
    "{{r|procent}}",
    "{{#if t}}",
    "{{#if z}}",
    "{{#unless t}}",
    "{{#each xs}}",
    "{{#each o}}",
    "{{#each ys}}",
    "{{else}}",
    "{{/if}}",
    "{{/unless}}",
    "{{/each}}",
    "{{> p}}",
    "{{> q}}",
    "{{{s}}}",
    "{{! c }}",
    "{{naam}}",
    "{{bedrag|euro}}",
    "{{x|foo}}",
    "{{a..b}}",
};

/* A template from a small grammar: mostly balanced, so that many load. */
static void gen(struct buf *b, uint64_t *rng, int depth)
{
    int items = 1 + (int)(test_rand(rng) % 6);
    for (int i = 0; i < items; i++) {
        switch (test_rand(rng) % 12) {
        case 0:
        case 1:
            buf_adds(b, "tekst ");
            break;
        case 2:
            buf_adds(b, "{{a}}");
            break;
        case 3: {
            static const char *const attrs[] = {"title", "href", "src", "class", "action", "alt"};
            static const char *const vals[] = {"{{a}}",
                                               "{{u}}",
                                               "/x?q={{b}}",
                                               "{{h}}{{c}}",
                                               "#{{naam}}",
                                               "{{#if t}}{{a}}{{else}}/y{{/if}}",
                                               "a{{#each ys}} {{.}}{{/each}}",
                                               ""};
            buf_adds(b, "<p");
            int na = (int)(test_rand(rng) % 3);
            for (int k = 0; k < na; k++) {
                buf_adds(b, " ");
                buf_adds(b, attrs[test_rand(rng) % 6]);
                buf_adds(b, test_rand(rng) % 2 ? "=\"" : "='");
                const char *v = vals[test_rand(rng) % 8];
                bool dq = b->data[b->len - 1] == '"';
                buf_adds(b, v);
                buf_adds(b, dq ? "\"" : "'");
            }
            if (test_rand(rng) % 3 == 0)
                buf_adds(b, "{{#if t}} hidden{{/if}}");
            buf_adds(b, ">");
            if (depth < 4)
                gen(b, rng, depth + 1);
            buf_adds(b, "</p>");
            break;
        }
        case 4:
            if (depth < 4) {
                buf_adds(b, test_rand(rng) % 2 ? "{{#if z}}" : "{{#unless t}}");
                bool unless = b->data[b->len - 3] != 'z';
                gen(b, rng, depth + 1);
                if (test_rand(rng) % 2) {
                    buf_adds(b, "{{else}}");
                    gen(b, rng, depth + 1);
                }
                buf_adds(b, unless ? "{{/unless}}" : "{{/if}}");
            }
            break;
        case 5:
            if (depth < 4) {
                static const char *const lists[] = {"{{#each xs}}", "{{#each o}}", "{{#each ys}}"};
                buf_adds(b, lists[test_rand(rng) % 3]);
                gen(b, rng, depth + 1);
                buf_adds(b, "{{@number}}{{/each}}");
            }
            break;
        case 6:
            buf_adds(b, test_rand(rng) % 2 ? "{{> p}}" : "{{> q}}");
            break;
        case 7:
            buf_adds(b, "{{{s}}}");
            break;
        case 8:
            buf_adds(b, "<title>{{c}}</title><textarea>{{bad}}</textarea>");
            break;
        case 9:
            buf_adds(b, "<!-- opmerking --><script>var x = 1;</script>");
            break;
        case 10:
            buf_adds(b, "{{e|euro}} {{d|datum}} {{n|getal}}");
            break;
        default:
            buf_adds(b, "<a href=\"{{b}}\">{{naam}}</a>");
            break;
        }
    }
}

static void mutate(struct buf *b, uint64_t *rng)
{
    int m = (int)(test_rand(rng) % 4);
    for (int k = 0; k < m && b->len; k++) {
        size_t at = (size_t)(test_rand(rng) % b->len);
        char tmp[4096];
        size_t tail = b->len - at < sizeof tmp ? b->len - at : sizeof tmp;
        switch (test_rand(rng) % 4) {
        case 0: /* insert a fragment */ {
            const char *f = frags[test_rand(rng) % (sizeof frags / sizeof frags[0])];
            memcpy(tmp, b->data + at, tail);
            buf_truncate(b, at);
            buf_adds(b, f);
            buf_add(b, tmp, tail);
            break;
        }
        case 1: /* delete a run */ {
            size_t n = 1 + (size_t)(test_rand(rng) % 8);
            if (at + n > b->len)
                n = b->len - at;
            memmove(b->data + at, b->data + at + n, b->len - at - n);
            buf_truncate(b, b->len - n);
            break;
        }
        case 2: /* replace a byte */
            b->data[at] = (char)(test_rand(rng) % 256);
            break;
        default: /* duplicate a run */ {
            size_t n = 1 + (size_t)(test_rand(rng) % 16);
            if (at + n > b->len)
                n = b->len - at;
            memcpy(tmp, b->data + at, n);
            buf_add(b, tmp, n);
            break;
        }
        }
    }
}

static void test_fuzz_deterministic(void **state)
{
    (void)state;
    uint64_t rng = 0x74706c3130300001ULL;
    struct buf b;
    buf_init(&b, 1 << 16);
    char *golden[3] = {repo_slurp(GOLDEN_DIR "/zaken.html"),
                       repo_slurp(GOLDEN_DIR "/zaak_rij.html"),
                       repo_slurp(GOLDEN_DIR "/formulier.html")};
    int loaded = 0, runs = 20000;
    for (int i = 0; i < runs; i++) {
        buf_reset(&b);
        int how = (int)(test_rand(&rng) % 10);
        if (how < 6) {
            gen(&b, &rng, 0);
            if (how >= 3)
                mutate(&b, &rng);
        } else if (how < 8) {
            int k = 1 + (int)(test_rand(&rng) % 40);
            for (int j = 0; j < k; j++)
                buf_adds(&b, frags[test_rand(&rng) % (sizeof frags / sizeof frags[0])]);
        } else {
            buf_adds(&b, golden[test_rand(&rng) % 3]);
            mutate(&b, &rng);
        }
        loaded += fuzz_tpl_one((const uint8_t *)b.data, b.len);
    }
    /* both ways are exercised: much loads and renders, much is refused */
    if (loaded < runs / 5 || loaded > runs - runs / 5)
        fail_msg("%d of %d generated templates loaded", loaded, runs);
    for (int k = 0; k < 3; k++)
        free(golden[k]);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_every_context),
        cmocka_unit_test(test_escape_policy),
        cmocka_unit_test(test_script_urls),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_loads),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_each),
        cmocka_unit_test(test_partials),
        cmocka_unit_test(test_slots),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_fuzz_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * fuzz_tpl — the template loader and renderer on any input.
 *
 * The input is the text of a template "t" in a set with two fixed ones ("p", and
 * "q" that includes "p"); when it loads, it is rendered with a fixed data object
 * whose strings carry markers ("<xss", "\"q1", "'q1", "javascript:") and invalid
 * UTF-8. What must hold, else abort() (so libFuzzer and the unit test's
 * deterministic run report it):
 *   - loading either succeeds or fails with LKS_EINVAL, the template named and
 *     the message starting "regel N, kolom M: ";
 *   - rendering succeeds, or fails with LKS_ENOMEM only at the output cap, and
 *     then leaves the output as it was;
 *   - no marker of the data appears unescaped in the output (unless the template
 *     text itself holds it), and the output holds no NUL byte;
 *   - read again as a browser would (read_html, written apart from the loader),
 *     every tag and attribute name of the output is in the template's own text,
 *     and no URL attribute starts with a script or data scheme that the template
 *     text does not name.
 * Built with clang -fsanitize=fuzzer (make fuzz); tests/unit/test_tpl.c includes
 * this file with FUZZ_TPL_NO_ENTRY and feeds it 20,000 generated templates.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "web/tpl.h"

#define FUZZ_OUT_MAX (256u * 1024u)

static json_t *fuzz_data(void)
{
    static json_t *data;
    if (data)
        return data;
    data =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:f, s:b, s:n, s:s, s:s, s:s,"
                  " s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}], s:{s:s, s:s}, s:[s, s, i], s:[]}",
                  "a", "<xss>&\"q1'q1", "b", "javascript:alert(1)", "c", " JaVa\tScRiPt:x", "d",
                  "2026-01-05", "n", (json_int_t)-42, "r", 0.5, "t", 1, "z", "e", "881.05", "u",
                  "https://example.org/?a=<xss>", "h", "&#106;avascript:x", "xs", "naam", "<xss>1",
                  "bedrag", "-12.5", "naam", "\"q1", "bedrag", "0.5", "naam", "'q1", "bedrag", "x",
                  "o", "k1", "<xss>", "k2", "javascript:1", "ys", "<xss>", "'q1", 7, "leeg");
    /* a string with invalid UTF-8 and a NUL, which jansson would refuse to make */
    json_object_set_new(data, "bad", json_stringn_nocheck("\xff<xss\xc0\x80\0\xed\xa0\x80", 10));
    return data;
}

static bool has(const char *h, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    for (size_t i = 0; i + nn <= hn; i++)
        if (memcmp(h + i, needle, nn) == 0)
            return true;
    return false;
}

static bool has_ci(const char *h, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    for (size_t i = 0; i + nn <= hn; i++) {
        size_t k = 0;
        while (k < nn && (h[i + k] | 0x20) == needle[k])
            k++;
        if (k == nn)
            return true;
    }
    return false;
}

/*
 * A second reading of the output, written apart from the loader's tokenizer, as a
 * browser reads it: text, tags and their attributes (quoted or not), comments,
 * declarations, raw text (<script>, <style>, …) and RCDATA (<title>, <textarea>).
 * It checks that every tag and attribute name comes from the template's static text
 * (a value can make neither) and that no URL attribute starts with a script or data
 * scheme unless the template's text names it. Returns NULL or what is wrong.
 */
struct reading {
    const char *o;
    size_t n, i;
    const char *stat; /* the template without its {{…}} tags */
    size_t sn;
    bool schemes_ok;
};

static bool o_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool o_alpha(char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool from_static(const struct reading *r, const char *name, size_t len)
{
    if (len == 0)
        return true;
    for (size_t i = 0; i + len <= r->sn; i++) {
        size_t k = 0;
        while (k < len && (r->stat[i + k] | 0x20) == (name[k] | 0x20))
            k++;
        if (k == len)
            return true;
    }
    return false;
}

/* Decode character references (numeric, and the named ones a URL trick uses). */
static size_t decode_refs(const char *v, size_t n, char *d, size_t dmax)
{
    static const struct {
        const char *name;
        char c;
    } named[] = {{"amp;", '&'},   {"lt;", '<'},    {"gt;", '>'},   {"quot;", '"'},
                 {"apos;", '\''}, {"colon;", ':'}, {"Tab;", '\t'}, {"NewLine;", '\n'},
                 {"lpar;", '('},  {"rpar;", ')'},  {"sol;", '/'},  {"num;", '#'}};
    size_t k = 0;
    for (size_t i = 0; i < n && k < dmax; i++) {
        if (v[i] != '&') {
            d[k++] = v[i];
            continue;
        }
        size_t j = i + 1;
        if (j < n && v[j] == '#') {
            unsigned long cp = 0;
            bool hex = j + 1 < n && (v[j + 1] | 0x20) == 'x';
            j += hex ? 2 : 1;
            size_t start = j;
            while (j < n && j - start < 8) {
                char c = v[j];
                int dv = c >= '0' && c <= '9'                            ? c - '0'
                         : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                                         : -1;
                if (dv < 0)
                    break;
                cp = cp * (hex ? 16 : 10) + (unsigned long)dv;
                j++;
            }
            if (j > start) {
                d[k++] = cp < 0x80 ? (char)cp : '?';
                i = j < n && v[j] == ';' ? j : j - 1;
                continue;
            }
        }
        bool done = false;
        for (size_t m = 0; m < sizeof named / sizeof named[0] && !done; m++) {
            size_t l = strlen(named[m].name);
            if (i + 1 + l <= n && memcmp(v + i + 1, named[m].name, l) == 0) {
                d[k++] = named[m].c;
                i += l;
                done = true;
            }
        }
        if (!done)
            d[k++] = '&';
    }
    return k;
}

static const char *check_url(const struct reading *r, const char *v, size_t n)
{
    char d[512], u[16];
    size_t dn = decode_refs(v, n, d, sizeof d), i = 0, un = 0;
    while (i < dn && (unsigned char)d[i] <= 0x20)
        i++;
    for (; i < dn && un < sizeof u; i++)
        if (d[i] != '\t' && d[i] != '\n' && d[i] != '\r')
            u[un++] = (char)(d[i] | (o_alpha(d[i]) ? 0x20 : 0));
    static const char *const bad[] = {"javascript:", "vbscript:", "data:"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        if (!r->schemes_ok && un >= strlen(bad[k]) && memcmp(u, bad[k], strlen(bad[k])) == 0)
            return "a URL attribute starts with a script or data scheme";
    return NULL;
}

static bool url_name(const char *a, size_t n)
{
    static const char *const names[] = {"href",   "src",  "action", "formaction",
                                        "poster", "cite", "data",   "xlink:href"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t l = strlen(names[k]), j = 0;
        while (j < n && j < l && (a[j] | 0x20) == names[k][j])
            j++;
        if (j == l && n == l)
            return true;
    }
    return false;
}

static bool name_ieq(const char *a, size_t n, const char *w)
{
    size_t l = strlen(w);
    if (n != l)
        return false;
    for (size_t j = 0; j < n; j++)
        if ((a[j] | 0x20) != w[j])
            return false;
    return true;
}

/* From just after "<name" (or "</name"): the attributes up to '>'. */
static const char *read_tag(struct reading *r, const char *tag, size_t tl, bool end)
{
    const char *o = r->o;
    size_t n = r->n;
    for (;;) {
        while (r->i < n && (o_ws(o[r->i]) || o[r->i] == '/'))
            r->i++;
        if (r->i >= n)
            return NULL;
        if (o[r->i] == '>') {
            r->i++;
            break;
        }
        size_t a = r->i++; /* the first byte may be '=' */
        while (r->i < n && !o_ws(o[r->i]) && o[r->i] != '/' && o[r->i] != '>' && o[r->i] != '=')
            r->i++;
        size_t al = r->i - a;
        if (!from_static(r, o + a, al))
            return "an attribute name that is not in the template";
        while (r->i < n && o_ws(o[r->i]))
            r->i++;
        if (r->i >= n || o[r->i] != '=')
            continue;
        r->i++;
        while (r->i < n && o_ws(o[r->i]))
            r->i++;
        size_t v, vl;
        if (r->i < n && (o[r->i] == '"' || o[r->i] == '\'')) {
            char q = o[r->i++];
            v = r->i;
            while (r->i < n && o[r->i] != q)
                r->i++;
            vl = r->i - v;
            if (r->i < n)
                r->i++;
        } else {
            v = r->i;
            while (r->i < n && !o_ws(o[r->i]) && o[r->i] != '>')
                r->i++;
            vl = r->i - v;
        }
        if (url_name(o + a, al)) {
            const char *why = check_url(r, o + v, vl);
            if (why)
                return why;
        }
    }
    if (end)
        return NULL;
    static const char *const raw[] = {"script",   "style",    "xmp",   "iframe",  "noembed",
                                      "noframes", "noscript", "title", "textarea"};
    bool is_raw = false;
    for (size_t k = 0; k < sizeof raw / sizeof raw[0]; k++)
        is_raw |= name_ieq(tag, tl, raw[k]);
    if (name_ieq(tag, tl, "plaintext")) {
        r->i = n;
        return NULL;
    }
    if (!is_raw)
        return NULL;
    for (; r->i + 2 + tl <= n; r->i++) {
        if (o[r->i] != '<' || o[r->i + 1] != '/')
            continue;
        size_t j = 0;
        while (j < tl && (o[r->i + 2 + j] | 0x20) == (tag[j] | 0x20))
            j++;
        size_t e = r->i + 2 + tl;
        if (j == tl && (e == n || o_ws(o[e]) || o[e] == '/' || o[e] == '>'))
            return NULL; /* the end tag is read as a tag next */
    }
    r->i = n;
    return NULL;
}

/* After "<!--": up to "-->" or "--!>" ("<!-->" and "<!--->" end at once). */
static void read_comment(struct reading *r)
{
    const char *o = r->o;
    size_t n = r->n;
    if (r->i < n && o[r->i] == '>') {
        r->i++;
        return;
    }
    if (r->i + 1 < n && o[r->i] == '-' && o[r->i + 1] == '>') {
        r->i += 2;
        return;
    }
    for (; r->i + 2 < n; r->i++) {
        if (o[r->i] != '-' || o[r->i + 1] != '-')
            continue;
        if (o[r->i + 2] == '>') {
            r->i += 3;
            return;
        }
        if (r->i + 3 < n && o[r->i + 2] == '!' && o[r->i + 3] == '>') {
            r->i += 4;
            return;
        }
    }
    r->i = n;
}

static const char *read_html(struct reading *r)
{
    const char *o = r->o;
    size_t n = r->n;
    while (r->i < n) {
        if (o[r->i++] != '<' || r->i >= n)
            continue;
        char c = o[r->i];
        bool end = c == '/';
        if (end && r->i + 1 < n && o_alpha(o[r->i + 1]))
            c = o[++r->i];
        if (o_alpha(c)) {
            size_t t = r->i;
            while (r->i < n && !o_ws(o[r->i]) && o[r->i] != '/' && o[r->i] != '>')
                r->i++;
            if (!from_static(r, o + t, r->i - t))
                return "a tag name that is not in the template";
            const char *why = read_tag(r, o + t, r->i - t, end);
            if (why)
                return why;
        } else if (c == '!' && r->i + 2 < n && o[r->i + 1] == '-' && o[r->i + 2] == '-') {
            r->i += 3;
            read_comment(r);
        } else if (c == '!' || c == '?' || end) {
            while (r->i < n && o[r->i] != '>')
                r->i++;
        }
    }
    return NULL;
}

/* The template's text without its {{…}} and {{{…}}} tags. */
static size_t strip_tags(const char *t, size_t n, char *d)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (i + 1 < n && t[i] == '{' && t[i + 1] == '{') {
            size_t close = i + 2 < n && t[i + 2] == '{' ? 3 : 2, j = i + close;
            while (j + close <= n && memcmp(t + j, "}}}", close) != 0)
                j++;
            if (j + close <= n) {
                i = j + close;
                continue;
            }
        }
        d[k++] = t[i++];
    }
    return k;
}

static void fuzz_fail(const char *why, const uint8_t *in, size_t n)
{
    fprintf(stderr, "fuzz_tpl: %s\ninput (%zu bytes): %.*s\n", why, n, (int)(n > 2000 ? 2000 : n),
            (const char *)in);
    abort();
}

/* One input; returns 1 when it loaded and rendered, 0 when loading refused it. */
static int fuzz_tpl_one(const uint8_t *in, size_t n)
{
    static const char p[] = "<b>{{naam}}</b>{{#each ys}}<i>{{.}}</i>{{/each}}";
    static const char q[] = "<p title=\"{{a}}\">{{> p}}</p>";
    struct tpl_source src[3] = {
        {"t", (const char *)in, n}, {"p", p, sizeof p - 1}, {"q", q, sizeof q - 1}};
    struct tpl_set *s = NULL;
    struct lks_err err = {0};
    int rc = tpl_set_load(&s, src, 3, &err);
    if (rc) {
        unsigned line, col;
        if (rc != LKS_EINVAL || s || strcmp(err.field, "t") != 0 ||
            sscanf(err.msg, "regel %u, kolom %u: ", &line, &col) != 2 || line == 0 || col == 0)
            fuzz_fail("a load error that is not a named, placed LKS_EINVAL", in, n);
        return 0;
    }
    struct buf out;
    buf_init(&out, FUZZ_OUT_MAX);
    buf_add(&out, "[", 1);
    static const struct tpl_safe slot = {"s", "<em>veilig</em>", 15};
    rc = tpl_render(s, "t", fuzz_data(), &slot, 1, &out, &err);
    if (rc != 0 && rc != LKS_ENOMEM)
        fuzz_fail("render failed other than at the cap", in, n);
    if (rc == LKS_ENOMEM && (out.len != 1 || !out.failed))
        fuzz_fail("a failed render left output behind", in, n);
    const char *t = (const char *)in;
    if (memchr(out.data, '\0', out.len))
        fuzz_fail("a NUL byte in the output", in, n);
    /* the static text: the template's, the included ones' and the slot's */
    char *stat = malloc(n + sizeof p + sizeof q + slot.len + 3);
    if (!stat)
        abort();
    size_t sn = strip_tags(t, n, stat);
    stat[sn++] = '\n';
    sn += strip_tags(p, sizeof p - 1, stat + sn);
    stat[sn++] = '\n';
    sn += strip_tags(q, sizeof q - 1, stat + sn);
    stat[sn++] = '\n';
    memcpy(stat + sn, slot.html, slot.len);
    sn += slot.len;
    static const char *const markers[] = {"<xss", "\"q1", "'q1"};
    for (size_t k = 0; k < sizeof markers / sizeof markers[0]; k++)
        if (!has(stat, sn, markers[k]) && has(out.data, out.len, markers[k]))
            fuzz_fail("a marker of the data unescaped in the output", in, n);
    struct reading r = {.o = out.data, .n = out.len, .stat = stat, .sn = sn};
    r.schemes_ok = has_ci(stat, sn, "script") || has_ci(stat, sn, "data");
    const char *why = read_html(&r);
    free(stat);
    if (why)
        fuzz_fail(why, in, n);
    buf_free(&out);
    tpl_set_free(s);
    return 1;
}

#ifndef FUZZ_TPL_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_tpl_one(data, size);
    return 0;
}
#endif

/* tpl — see tpl.h. */
#include "web/tpl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------
 * The compiled form: per template a run of nodes in one array. A section's node
 * knows where its else and its end are, so rendering never searches.
 * ------------------------------------------------------------------------------- */

enum op {
    OP_TEXT,   /* a: offset in text, b: length */
    OP_VALUE,  /* a: path, ctx, filter */
    OP_SLOT,   /* a: offset of the name in text, b: its length */
    OP_IF,     /* a: path; alt: ELSE or END; end: END */
    OP_UNLESS, /* as OP_IF */
    OP_EACH,   /* as OP_IF */
    OP_ELSE,   /* end: END */
    OP_END,
    OP_INCLUDE /* a: template index (while loading: name offset, b: name length) */
};

enum filter { F_NONE, F_EURO, F_GETAL, F_PROCENT, F_DATUM, F_MAAND };

struct node {
    uint8_t op, ctx, filter;
    uint32_t a, b;
    uint32_t alt, end;
};

enum pkind { P_NAME, P_THIS, P_INDEX, P_NUMBER, P_KEY, P_FIRST, P_LAST };

struct path {
    uint8_t kind;
    uint8_t nseg;
    uint32_t seg; /* first of nseg in segs */
};

struct seg {
    uint32_t off; /* the name in text, NUL-terminated */
    int32_t idx;  /* the name as an array index, or -1 */
};

struct tpl {
    uint32_t name; /* offset in text */
    uint32_t first, n;
};

struct tpl_name {
    const char *name;
    uint32_t idx;
};

struct tpl_set {
    struct tpl *tpls;
    size_t ntpl;
    struct tpl_name *order; /* sorted by name */
    struct node *nodes;
    size_t nnodes, capnodes;
    struct path *paths;
    size_t npaths, cappaths;
    struct seg *segs;
    size_t nsegs, capsegs;
    char *text;
    size_t ntext, captext;
};

#define MAX_SEGS      16
#define MAX_NAME      128
#define MAX_PATH_TEXT 256

/* ---------------------------------------------------------------------------------
 * Escapers.
 * ------------------------------------------------------------------------------- */

static const char hexd[] = "0123456789ABCDEF";
static const char fffd[] = "\xEF\xBF\xBD";

/* ASCII bytes that text and attribute values cannot hold as they are. */
static const unsigned char html_special[128] = {
    [0] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

/* Bytes a URL keeps as they are: 1 unreserved (RFC 3986), kept everywhere; 2 reserved,
 * kept at the start of a URL only ('%' only before two hex digits, see esc_url_start). */
// clang-format off
static const unsigned char url_keep[128] = {
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
    ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
    ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['-'] = 1, ['.'] = 1,
    ['_'] = 1, ['~'] = 1, [':'] = 2, ['/'] = 2, ['?'] = 2, ['#'] = 2, ['['] = 2, [']'] = 2,
    ['@'] = 2, ['!'] = 2, ['$'] = 2, ['&'] = 2, ['\''] = 2, ['('] = 2, [')'] = 2, ['*'] = 2,
    ['+'] = 2, [','] = 2, [';'] = 2, ['='] = 2,
};
// clang-format on

static inline bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Length of the valid UTF-8 sequence at p (2 to 4), or 0 when p[0] begins none
 * (a stray continuation, an overlong form, a surrogate, past U+10FFFF, cut short). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0)
        return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
            return 0;
        return 3;
    }
    if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
        return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
        return 0;
    return 4;
}

/* Text and quoted attribute values: one copy per run of plain bytes. */
static bool esc_html(struct buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0, i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (!html_special[c]) {
                i++;
                continue;
            }
        } else {
            size_t k = utf8_seq(p + i, n - i);
            if (k) {
                i += k;
                continue;
            }
        }
        if (i > run && !buf_add(out, s + run, i - run))
            return false;
        const char *rep;
        size_t rl;
        switch (c) {
        case '&':
            rep = "&amp;", rl = 5;
            break;
        case '<':
            rep = "&lt;", rl = 4;
            break;
        case '>':
            rep = "&gt;", rl = 4;
            break;
        case '"':
            rep = "&quot;", rl = 6;
            break;
        case '\'':
            rep = "&#39;", rl = 5;
            break;
        default:
            rep = fffd, rl = 3;
            break; /* NUL, invalid UTF-8 */
        }
        if (!buf_add(out, rep, rl))
            return false;
        run = ++i;
    }
    return i == run || buf_add(out, s + run, i - run);
}

static bool pct(struct buf *out, unsigned char c)
{
    char e[3] = {'%', hexd[c >> 4], hexd[c & 15]};
    return buf_add(out, e, 3);
}

/* A component: only the unreserved bytes stay, so the result holds nothing that
 * HTML or the URL's structure reads. */
static bool esc_url_part(struct buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x80 && url_keep[p[i]] == 1)
            continue;
        if (i > run && !buf_add(out, s + run, i - run))
            return false;
        if (!pct(out, p[i]))
            return false;
        run = i + 1;
    }
    return n == run || buf_add(out, s + run, n - run);
}

static bool ascii_ieq(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b);
    if (n != m)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != (unsigned char)b[i])
            return false;
    return true;
}

static bool scheme_allowed(const char *s, size_t n)
{
    return ascii_ieq(s, n, "http") || ascii_ieq(s, n, "https") || ascii_ieq(s, n, "mailto");
}

/*
 * A whole URL chosen by a value. Judged as a browser reads the attribute: leading
 * spaces and C0 controls are dropped, tabs and newlines do not count; if a ':'
 * comes before the first '/', '?' or '#', what stands before it is the scheme and
 * must be http, https or mailto (else the URL is "#"). The bytes kept are the
 * URL's own; tabs and newlines are dropped as a browser drops them, the rest is
 * percent-encoded, then & and ' are escaped for the attribute.
 */
static bool esc_url_start(struct buf *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && p[i] <= 0x20)
        i++;
    char sch[8];
    size_t sl = 0;
    bool long_scheme = false;
    for (size_t k = i; k < n; k++) {
        unsigned char c = p[k];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        if (c == '/' || c == '?' || c == '#')
            break;
        if (c == ':') {
            if (long_scheme || !scheme_allowed(sch, sl))
                return buf_addc(out, '#');
            break;
        }
        if (sl < sizeof sch)
            sch[sl++] = (char)c;
        else
            long_scheme = true;
    }
    size_t run = i;
    for (; i < n; i++) {
        unsigned char c = p[i];
        int k = c < 0x80 ? url_keep[c] : 0;
        if (k && c != '&' && c != '\'')
            continue;
        if (c == '%' && i + 2 < n && is_hex(p[i + 1]) && is_hex(p[i + 2]))
            continue;
        if (i > run && !buf_add(out, s + run, i - run))
            return false;
        bool ok = c == '&'                              ? buf_add(out, "&amp;", 5)
                  : c == '\''                           ? buf_add(out, "&#39;", 5)
                  : c == '\t' || c == '\n' || c == '\r' ? true /* a browser drops them */
                                                        : pct(out, c);
        if (!ok)
            return false;
        run = i + 1;
    }
    return n == run || buf_add(out, s + run, n - run);
}

bool tpl_escape(struct buf *out, enum tpl_ctx ctx, const char *s, size_t n)
{
    size_t start = out->len;
    bool ok;
    switch (ctx) {
    case TPL_CTX_URL_START:
        ok = esc_url_start(out, s, n);
        break;
    case TPL_CTX_URL_PART:
        ok = esc_url_part(out, s, n);
        break;
    case TPL_CTX_TEXT:
    case TPL_CTX_ATTR:
    default:
        ok = esc_html(out, s, n);
        break;
    }
    if (!ok)
        buf_truncate(out, start);
    return ok;
}

/* ---------------------------------------------------------------------------------
 * Filters: text in, text out (never markup: the result is escaped like any value).
 * ------------------------------------------------------------------------------- */

static const char *const months[12] = {"januari",   "februari", "maart",    "april",
                                       "mei",       "juni",     "juli",     "augustus",
                                       "september", "oktober",  "november", "december"};

struct dec {
    bool neg;
    const char *ip, *fp;
    size_t il, fl;
};

#define FILTER_IN_MAX  64
#define FILTER_OUT_MAX 128

/* -?[0-9]+(\.[0-9]+)? of at most FILTER_IN_MAX bytes. */
static bool parse_dec(const char *s, size_t n, struct dec *d)
{
    if (n > FILTER_IN_MAX)
        return false;
    size_t i = 0;
    d->neg = n > 0 && s[0] == '-';
    i = d->neg;
    size_t a = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == a)
        return false;
    d->ip = s + a;
    d->il = i - a;
    d->fp = NULL;
    d->fl = 0;
    if (i < n && s[i] == '.') {
        size_t b = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == b)
            return false;
        d->fp = s + b;
        d->fl = i - b;
    }
    return i == n;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int days_in(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dim[m - 1];
}

/* "YYYY-MM" (want_day false) or "YYYY-MM-DD", a real date. */
static bool parse_ymd(const char *s, size_t n, bool want_day, int *y, int *m, int *d)
{
    if (n != (want_day ? 10u : 7u) || s[4] != '-' || !digits(s, 4) || !digits(s + 5, 2))
        return false;
    *y = num(s, 4);
    *m = num(s + 5, 2);
    *d = 1;
    if (*m < 1 || *m > 12)
        return false;
    if (!want_day)
        return true;
    if (s[7] != '-' || !digits(s + 8, 2))
        return false;
    *d = num(s + 8, 2);
    return *d >= 1 && *d <= days_in(*y, *m);
}

/* The formatted text in o (returns its length), or 0: write the input as it is. */
static size_t apply_filter(int f, const char *s, size_t n, char o[FILTER_OUT_MAX])
{
    struct dec d;
    int y, m, day;
    size_t k = 0;
    switch (f) {
    case F_EURO:
        if (!parse_dec(s, n, &d) || d.fl > 2)
            return 0;
        while (d.il > 1 && d.ip[0] == '0')
            d.ip++, d.il--;
        if (d.neg)
            o[k++] = '-';
        memcpy(o + k, "\xE2\x82\xAC ", 4); /* "€ " */
        k += 4;
        for (size_t i = 0; i < d.il; i++) {
            o[k++] = d.ip[i];
            size_t left = d.il - 1 - i;
            if (left && left % 3 == 0)
                o[k++] = '.';
        }
        o[k++] = ',';
        for (size_t i = 0; i < 2; i++)
            o[k++] = i < d.fl ? d.fp[i] : '0';
        return k;
    case F_GETAL:
    case F_PROCENT:
        if (!parse_dec(s, n, &d))
            return 0;
        memcpy(o, s, n);
        if (d.fl)
            o[n - d.fl - 1] = ',';
        k = n;
        if (f == F_PROCENT)
            o[k++] = '%';
        return k;
    case F_DATUM:
        if (!parse_ymd(s, n, true, &y, &m, &day))
            return 0;
        return (size_t)snprintf(o, FILTER_OUT_MAX, "%d %s %d", day, months[m - 1], y);
    case F_MAAND:
        if (!parse_ymd(s, n, n == 10, &y, &m, &day))
            return 0;
        return (size_t)snprintf(o, FILTER_OUT_MAX, "%s %d", months[m - 1], y);
    default:
        return 0;
    }
}

static const struct {
    const char *name;
    int f;
} filters[] = {
    {"euro", F_EURO},   {"getal", F_GETAL}, {"procent", F_PROCENT},
    {"datum", F_DATUM}, {"maand", F_MAAND},
};

/* ---------------------------------------------------------------------------------
 * The HTML tokenizer of the loader: the states of a browser's tokenizer that
 * decide how a value must be escaped, fed with the static text byte by byte.
 * ------------------------------------------------------------------------------- */

enum hs {
    HS_TEXT,
    HS_TAG_OPEN,     /* after '<' */
    HS_END_TAG_OPEN, /* after "</" */
    HS_TAG_NAME,
    HS_BEFORE_ATTR,
    HS_ATTR_NAME,
    HS_AFTER_ATTR_NAME,
    HS_BEFORE_VALUE,
    HS_VALUE_DQ,
    HS_VALUE_SQ,
    HS_VALUE_UQ,
    HS_AFTER_VALUE_Q,
    HS_SELF_CLOSING,
    HS_MARKUP_DECL, /* after "<!"; sub: dashes seen */
    HS_COMMENT,     /* sub: enum cm */
    HS_BOGUS,       /* <!DOCTYPE …>, <?…>, </…> not a tag: up to '>' */
    HS_RAWTEXT,     /* <script>, <style>, …: sub: chars of "</name" matched */
    HS_RCDATA       /* <title>, <textarea>: as HS_RAWTEXT */
};

enum cm { CM_START, CM_START_DASH, CM_BODY, CM_END_DASH, CM_END, CM_END_BANG };

/* What the next static byte must not be, after a section boundary inside a tag. */
enum cut { CUT_NONE, CUT_EQ, CUT_NAME };

enum akind { AK_PLAIN, AK_URL, AK_URL_CODE, AK_EVENT, AK_STYLE, AK_SRCDOC, AK_ANIMATION };

/* Where a URL attribute's value stands, as a set of possibilities (sections merge). */
enum {
    U_START = 1,  /* only spaces so far */
    U_SCHEME = 2, /* static bytes that may still become a scheme */
    U_HEAD = 4,   /* a value came before any '/', '?' or '#' */
    U_OK = 8,     /* past the scheme: a relative URL or an allowed scheme */
    U_BAD = 16    /* a scheme not allowed, or '&' before the path: no value here */
};

#define TAG_KEEP  15
#define ATTR_KEEP 23

struct hstate {
    uint8_t st, sub, cut, akind, url;
    bool end_tag;
    uint8_t tag_len, attr_len, scheme_len; /* lengths saturate at 255 */
    char tag[TAG_KEEP], attr[ATTR_KEEP], scheme[8];
};

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_is(const char *s, uint8_t len, size_t keep, const char *w)
{
    size_t n = strlen(w);
    return len == n && n <= keep && memcmp(s, w, n) == 0;
}

static bool tag_is(const struct hstate *h, const char *w)
{
    return name_is(h->tag, h->tag_len, TAG_KEEP, w);
}

static bool attr_is(const struct hstate *h, const char *w)
{
    return name_is(h->attr, h->attr_len, ATTR_KEEP, w);
}

static const char *const rawtext_tags[] = {"script",  "style",    "xmp",      "iframe",
                                           "noembed", "noframes", "noscript", "plaintext"};
static const char *const rcdata_tags[] = {"title", "textarea"};
static const char *const url_attrs[] = {
    "href",   "src",        "action",     "formaction", "poster",  "cite",
    "data",   "srcset",     "ping",       "longdesc",   "usemap",  "manifest",
    "icon",   "background", "codebase",   "classid",    "archive", "profile",
    "lowsrc", "dynsrc",     "xlink:href", "xmlns",
};

static bool in_list(const struct hstate *h, bool tag, const char *const *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tag ? tag_is(h, l[i]) : attr_is(h, l[i]))
            return true;
    return false;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* SVG animations set other attributes (href among them) from their own. */
static const char *const animation_tags[] = {"animate", "set", "animatemotion", "animatetransform"};

static enum akind attr_kind(const struct hstate *h)
{
    if (h->attr_len >= 2 && h->attr[0] == 'o' && h->attr[1] == 'n')
        return AK_EVENT;
    if (in_list(h, true, animation_tags, N_OF(animation_tags)))
        return AK_ANIMATION;
    if (attr_is(h, "style"))
        return AK_STYLE;
    if (attr_is(h, "srcdoc"))
        return AK_SRCDOC;
    if (!in_list(h, false, url_attrs, N_OF(url_attrs)))
        return AK_PLAIN;
    if ((tag_is(h, "script") && attr_is(h, "src")) || (tag_is(h, "link") && attr_is(h, "href")) ||
        (tag_is(h, "base") && attr_is(h, "href")) || (tag_is(h, "object") && attr_is(h, "data")) ||
        (tag_is(h, "embed") && attr_is(h, "src")))
        return AK_URL_CODE;
    return AK_URL;
}

static void add_name(char *s, uint8_t *len, size_t keep, unsigned char c)
{
    if (*len < keep)
        s[*len] = (char)lower(c);
    if (*len < 255)
        (*len)++;
}

static void start_tag(struct hstate *h, bool end)
{
    h->end_tag = end;
    h->tag_len = 0;
    h->attr_len = 0;
    h->akind = AK_PLAIN;
    h->url = 0;
}

static void emit_tag(struct hstate *h)
{
    h->sub = 0;
    h->attr_len = 0;
    h->url = 0;
    if (!h->end_tag && in_list(h, true, rawtext_tags, N_OF(rawtext_tags)))
        h->st = HS_RAWTEXT;
    else if (!h->end_tag && in_list(h, true, rcdata_tags, N_OF(rcdata_tags)))
        h->st = HS_RCDATA;
    else
        h->st = HS_TEXT;
}

static void begin_value(struct hstate *h)
{
    h->akind = (uint8_t)attr_kind(h);
    h->url = h->akind == AK_URL || h->akind == AK_URL_CODE ? U_START : 0;
    h->scheme_len = 0;
}

static bool same_state(const struct hstate *a, const struct hstate *b)
{
    if (a->st != b->st)
        return false;
    switch (a->st) {
    case HS_TEXT:
    case HS_TAG_OPEN:
    case HS_END_TAG_OPEN:
    case HS_BOGUS:
        return true;
    case HS_MARKUP_DECL:
    case HS_COMMENT:
        return a->sub == b->sub;
    case HS_RAWTEXT:
    case HS_RCDATA:
        return a->sub == b->sub && a->tag_len == b->tag_len &&
               memcmp(a->tag, b->tag, TAG_KEEP) == 0;
    default:
        break;
    }
    if (a->end_tag != b->end_tag || a->tag_len != b->tag_len ||
        memcmp(a->tag, b->tag, TAG_KEEP) != 0)
        return false;
    if (a->st == HS_BEFORE_ATTR)
        return true;
    return a->attr_len == b->attr_len && memcmp(a->attr, b->attr, ATTR_KEEP) == 0;
}

/* a := a and b: both possible (same_state holds). */
static void merge_state(struct hstate *a, const struct hstate *b)
{
    if (b->cut > a->cut)
        a->cut = b->cut;
    if ((a->url & U_SCHEME) && (b->url & U_SCHEME) &&
        (a->scheme_len != b->scheme_len || memcmp(a->scheme, b->scheme, sizeof a->scheme) != 0))
        a->url |= U_BAD;
    else if (!(a->url & U_SCHEME) && (b->url & U_SCHEME)) {
        a->scheme_len = b->scheme_len;
        memcpy(a->scheme, b->scheme, sizeof a->scheme);
    }
    a->url |= b->url;
}

/* A section's tag inside a tag ends a name there: what follows in one branch cannot
 * continue a name of another. */
static void boundary(struct hstate *h)
{
    switch (h->st) {
    case HS_TAG_NAME:
    case HS_ATTR_NAME:
        h->st = HS_BEFORE_ATTR;
        h->cut = CUT_NAME;
        break;
    case HS_AFTER_ATTR_NAME:
        h->st = HS_BEFORE_ATTR;
        if (h->cut < CUT_EQ)
            h->cut = CUT_EQ;
        break;
    case HS_AFTER_VALUE_Q:
    case HS_SELF_CLOSING:
        h->st = HS_BEFORE_ATTR;
        break;
    default:
        break;
    }
}

static const char *state_text(const struct hstate *h, char *b, size_t n)
{
    switch (h->st) {
    case HS_TEXT:
        return "in tekst";
    case HS_TAG_OPEN:
    case HS_END_TAG_OPEN:
    case HS_TAG_NAME:
        return "in een tagnaam";
    case HS_BEFORE_ATTR:
    case HS_AFTER_ATTR_NAME:
    case HS_AFTER_VALUE_Q:
    case HS_SELF_CLOSING:
        return "in een tag, tussen attributen";
    case HS_ATTR_NAME:
        return "in een attribuutnaam";
    case HS_BEFORE_VALUE:
        return "na '=' in een tag";
    case HS_VALUE_DQ:
        return "in een attribuutwaarde tussen \"";
    case HS_VALUE_SQ:
        return "in een attribuutwaarde tussen '";
    case HS_VALUE_UQ:
        return "in een attribuutwaarde zonder aanhalingstekens";
    case HS_MARKUP_DECL:
    case HS_BOGUS:
        return "in een declaratie";
    case HS_COMMENT:
        return "in commentaar";
    case HS_RAWTEXT:
    case HS_RCDATA:
        snprintf(b, n, "in <%.*s>", (int)(h->tag_len < TAG_KEEP ? h->tag_len : TAG_KEEP), h->tag);
        return b;
    default:
        return "?";
    }
}

/* ---------------------------------------------------------------------------------
 * The loader.
 * ------------------------------------------------------------------------------- */

enum { FIRST_NONE = -3, FIRST_PENDING = -2, FIRST_UNKNOWN = -1 };

struct sect {
    uint8_t op;
    bool has_else;
    uint32_t node;
    size_t off;
    struct hstate start, then;
    int first; /* each: the body's first static byte, or FIRST_* */
};

struct include_ref {
    uint32_t node, tpl;
    size_t off;
};

struct loader {
    struct tpl_set *s;
    const struct tpl_source *src;
    size_t ti; /* index of the template being read */
    struct lks_err *err;
    struct hstate h;
    struct sect sect[TPL_MAX_NEST];
    int nsect;
    struct include_ref *inc;
    size_t ninc, capinc;
};

static int grow_arr(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need) {
        if (nc > SIZE_MAX / 4 / elem)
            return LKS_ENOMEM;
        nc *= 2;
    }
    void *np = realloc(*p, nc * elem);
    if (!np)
        return LKS_ENOMEM;
    *p = np;
    *cap = nc;
    return 0;
}

static int oom(struct loader *L)
{
    return lks_err_set(L->err, LKS_ENOMEM, "", "out-of-memory",
                       "te weinig geheugen om de sjablonen te lezen");
}

/* An error at byte `off` of the template being read: line and column (characters). */
static int perr(struct loader *L, size_t off, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int perr(struct loader *L, size_t off, const char *reason, const char *fmt, ...)
{
    const struct tpl_source *src = &L->src[L->ti];
    unsigned line = 1, col = 1;
    for (size_t i = 0; i < off && i < src->len; i++) {
        unsigned char c = (unsigned char)src->text[i];
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++;
        }
    }
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lks_err_set(L->err, LKS_EINVAL, src->name, reason, "regel %u, kolom %u: %s", line, col,
                       msg);
}

static int add_text(struct loader *L, const char *p, size_t n, uint32_t *off)
{
    struct tpl_set *s = L->s;
    if (s->ntext + n + 1 > UINT32_MAX)
        return oom(L);
    if (grow_arr((void **)&s->text, &s->captext, s->ntext + n + 1, 1))
        return oom(L);
    *off = (uint32_t)s->ntext;
    if (n)
        memcpy(s->text + s->ntext, p, n);
    s->text[s->ntext + n] = '\0';
    s->ntext += n + 1;
    return 0;
}

static int add_node(struct loader *L, const struct node *n, uint32_t *idx)
{
    struct tpl_set *s = L->s;
    if (s->nnodes >= UINT32_MAX - 1 ||
        grow_arr((void **)&s->nodes, &s->capnodes, s->nnodes + 1, sizeof *n))
        return oom(L);
    if (idx)
        *idx = (uint32_t)s->nnodes;
    s->nodes[s->nnodes++] = *n;
    return 0;
}

/* Static text: one node (joined to the one before when that is text too). */
static int add_static(struct loader *L, const char *p, size_t n)
{
    if (!n)
        return 0;
    struct tpl_set *s = L->s;
    struct tpl *t = &s->tpls[L->ti];
    if (t->n && s->nodes[s->nnodes - 1].op == OP_TEXT) {
        struct node *last = &s->nodes[s->nnodes - 1];
        if (last->a + last->b + 1 == s->ntext) { /* the last text in the arena: extend it */
            if (s->ntext + n > UINT32_MAX ||
                grow_arr((void **)&s->text, &s->captext, s->ntext + n, 1))
                return oom(L);
            memcpy(s->text + s->ntext - 1, p, n);
            s->ntext += n;
            s->text[s->ntext - 1] = '\0';
            last->b += (uint32_t)n;
            return 0;
        }
    }
    uint32_t off;
    if (add_text(L, p, n, &off))
        return LKS_ENOMEM;
    struct node nd = {.op = OP_TEXT, .a = off, .b = (uint32_t)n};
    if (add_node(L, &nd, NULL))
        return LKS_ENOMEM;
    t->n++;
    return 0;
}

static int emit(struct loader *L, const struct node *n, uint32_t *idx)
{
    if (add_node(L, n, idx))
        return LKS_ENOMEM;
    L->s->tpls[L->ti].n++;
    return 0;
}

/* A static byte of a URL attribute's value. */
static int url_byte(struct loader *L, unsigned char c, size_t off)
{
    struct hstate *h = &L->h;
    if (!h->url || c == '\t' || c == '\n' || c == '\r')
        return 0;
    uint8_t u = h->url, nu = 0;
    bool delim = c == '/' || c == '?' || c == '#';
    if (u & U_HEAD) {
        if (c == ':' || c == '&')
            return perr(L, off, "tpl-context",
                        "'%c' direct na een waarde aan het begin van een URL: het schema zou "
                        "deels uit de waarde komen",
                        c);
        nu |= delim ? U_OK : U_HEAD;
    }
    if (u & U_SCHEME) {
        if (c == ':')
            nu |= h->scheme_len <= sizeof h->scheme && scheme_allowed(h->scheme, h->scheme_len)
                      ? U_OK
                      : U_BAD;
        else if (delim)
            nu |= U_OK;
        else if (c == '&')
            nu |= U_BAD;
        else {
            nu |= U_SCHEME;
            if (h->scheme_len < sizeof h->scheme)
                h->scheme[h->scheme_len] = (char)c;
            if (h->scheme_len < 255)
                h->scheme_len++;
        }
    }
    if (u & U_START) {
        if (c <= 0x20)
            nu |= U_START;
        else if (delim)
            nu |= U_OK;
        else if (c == ':' || c == '&')
            nu |= U_BAD;
        else {
            if (nu & U_SCHEME) /* two possible schemes at once */
                nu |= U_BAD;
            nu |= U_SCHEME;
            h->scheme[0] = (char)c;
            h->scheme_len = 1;
        }
    }
    nu |= u & (U_OK | U_BAD);
    h->url = nu;
    return 0;
}

/* One static byte through the tokenizer. */
static int feed(struct loader *L, unsigned char c, size_t off)
{
    struct hstate *h = &L->h;
    if (h->cut) {
        if (c == '=')
            return perr(L, off, "tpl-syntax",
                        "'=' na een sectie in een tag: de waarde hoort in elke tak bij een "
                        "ander attribuut");
        if (h->cut == CUT_NAME && !(is_ws(c) || c == '/' || c == '>'))
            return perr(L, off, "tpl-syntax",
                        "na een sectie in een tag moet een spatie, '/' of '>' komen: anders "
                        "loopt een naam in de andere tak door");
        h->cut = CUT_NONE;
    }
    if (L->nsect && L->sect[L->nsect - 1].first == FIRST_PENDING)
        L->sect[L->nsect - 1].first = c;
    for (;;) {
        switch (h->st) {
        case HS_TEXT:
            if (c == '<')
                h->st = HS_TAG_OPEN;
            return 0;
        case HS_TAG_OPEN:
            if (is_alpha(c)) {
                start_tag(h, false);
                add_name(h->tag, &h->tag_len, TAG_KEEP, c);
                h->st = HS_TAG_NAME;
            } else if (c == '!') {
                h->st = HS_MARKUP_DECL;
                h->sub = 0;
            } else if (c == '/') {
                h->st = HS_END_TAG_OPEN;
            } else if (c == '?') {
                h->st = HS_BOGUS;
            } else {
                h->st = HS_TEXT; /* the '<' was text */
                continue;
            }
            return 0;
        case HS_END_TAG_OPEN:
            if (is_alpha(c)) {
                start_tag(h, true);
                add_name(h->tag, &h->tag_len, TAG_KEEP, c);
                h->st = HS_TAG_NAME;
            } else {
                h->st = c == '>' ? HS_TEXT : HS_BOGUS;
            }
            return 0;
        case HS_TAG_NAME:
            if (is_ws(c))
                h->st = HS_BEFORE_ATTR;
            else if (c == '/')
                h->st = HS_SELF_CLOSING;
            else if (c == '>')
                emit_tag(h);
            else
                add_name(h->tag, &h->tag_len, TAG_KEEP, c);
            return 0;
        case HS_BEFORE_ATTR:
            if (is_ws(c))
                return 0;
            if (c == '/' || c == '>') {
                h->st = HS_AFTER_ATTR_NAME;
                continue;
            }
            h->attr_len = 0;
            h->st = HS_ATTR_NAME;
            if (c == '=') {
                add_name(h->attr, &h->attr_len, ATTR_KEEP, c);
                return 0;
            }
            continue;
        case HS_ATTR_NAME:
            if (is_ws(c) || c == '/' || c == '>') {
                h->st = HS_AFTER_ATTR_NAME;
                continue;
            }
            if (c == '=')
                h->st = HS_BEFORE_VALUE;
            else
                add_name(h->attr, &h->attr_len, ATTR_KEEP, c);
            return 0;
        case HS_AFTER_ATTR_NAME:
            if (is_ws(c))
                return 0;
            if (c == '/')
                h->st = HS_SELF_CLOSING;
            else if (c == '=')
                h->st = HS_BEFORE_VALUE;
            else if (c == '>')
                emit_tag(h);
            else {
                h->attr_len = 0;
                h->st = HS_ATTR_NAME;
                continue;
            }
            return 0;
        case HS_BEFORE_VALUE:
            if (is_ws(c))
                return 0;
            if (c == '>') {
                emit_tag(h);
                return 0;
            }
            begin_value(h);
            if (c == '"')
                h->st = HS_VALUE_DQ;
            else if (c == '\'')
                h->st = HS_VALUE_SQ;
            else {
                h->st = HS_VALUE_UQ;
                continue;
            }
            return 0;
        case HS_VALUE_DQ:
        case HS_VALUE_SQ:
            if (c == (h->st == HS_VALUE_DQ ? '"' : '\'')) {
                h->st = HS_AFTER_VALUE_Q;
                h->url = 0;
                return 0;
            }
            return url_byte(L, c, off);
        case HS_VALUE_UQ:
            if (is_ws(c))
                h->st = HS_BEFORE_ATTR;
            else if (c == '>')
                emit_tag(h);
            return 0;
        case HS_AFTER_VALUE_Q:
            if (is_ws(c))
                h->st = HS_BEFORE_ATTR;
            else if (c == '/')
                h->st = HS_SELF_CLOSING;
            else if (c == '>')
                emit_tag(h);
            else {
                h->st = HS_BEFORE_ATTR;
                continue;
            }
            return 0;
        case HS_SELF_CLOSING:
            if (c == '>') {
                emit_tag(h);
                return 0;
            }
            h->st = HS_BEFORE_ATTR;
            continue;
        case HS_MARKUP_DECL:
            if (c == '-') {
                if (h->sub == 1) {
                    h->st = HS_COMMENT;
                    h->sub = CM_START;
                } else {
                    h->sub = 1;
                }
            } else {
                h->st = c == '>' ? HS_TEXT : HS_BOGUS;
            }
            return 0;
        case HS_BOGUS:
            if (c == '>')
                h->st = HS_TEXT;
            return 0;
        case HS_COMMENT:
            /* the comment states of the HTML tokenizer; "<!-->" and "<!--->" end at once */
            switch (h->sub) {
            case CM_START:
            case CM_START_DASH:
                if (c == '>')
                    h->st = HS_TEXT;
                else if (c == '-')
                    h->sub = h->sub == CM_START ? CM_START_DASH : CM_END;
                else
                    h->sub = CM_BODY;
                break;
            case CM_BODY:
                h->sub = c == '-' ? CM_END_DASH : CM_BODY;
                break;
            case CM_END_DASH:
                h->sub = c == '-' ? CM_END : CM_BODY;
                break;
            case CM_END:
                if (c == '>')
                    h->st = HS_TEXT;
                else
                    h->sub = c == '!' ? CM_END_BANG : c == '-' ? CM_END : CM_BODY;
                break;
            case CM_END_BANG:
                if (c == '>')
                    h->st = HS_TEXT;
                else
                    h->sub = c == '-' ? CM_END_DASH : CM_BODY;
                break;
            default:
                break;
            }
            return 0;
        case HS_RAWTEXT:
        case HS_RCDATA: {
            size_t tl = h->tag_len;
            if (tag_is(h, "plaintext")) /* no end tag ends it */
                return 0;
            if (h->sub == 0) {
                h->sub = c == '<';
            } else if (h->sub == 1) {
                h->sub = c == '/' ? 2 : c == '<';
            } else if (h->sub < 2 + tl) {
                if (lower(c) == (unsigned char)h->tag[h->sub - 2])
                    h->sub++;
                else
                    h->sub = c == '<';
            } else if (is_ws(c) || c == '/' || c == '>') {
                h->end_tag = true;
                h->attr_len = 0;
                h->sub = 0;
                h->st = is_ws(c) ? HS_BEFORE_ATTR : c == '/' ? HS_SELF_CLOSING : HS_TEXT;
            } else {
                h->sub = c == '<';
            }
            return 0;
        }
        default:
            return 0;
        }
    }
}

static int feed_text(struct loader *L, const char *p, size_t n, size_t off)
{
    for (size_t i = 0; i < n; i++) {
        int rc = feed(L, (unsigned char)p[i], off + i);
        if (rc)
            return rc;
    }
    return 0;
}

/* Something other than a static byte comes first in an each body: its first byte is
 * not known. */
static void first_unknown(struct loader *L)
{
    if (L->nsect && L->sect[L->nsect - 1].first == FIRST_PENDING)
        L->sect[L->nsect - 1].first = FIRST_UNKNOWN;
}

static bool name_char(unsigned char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Parse a path (already trimmed) into L->s->paths; *idx its index. */
static int parse_path(struct loader *L, const char *p, size_t n, size_t off, uint32_t *idx)
{
    struct tpl_set *s = L->s;
    struct path path = {.kind = P_NAME, .nseg = 0, .seg = (uint32_t)s->nsegs};
    if (n == 0)
        return perr(L, off, "tpl-syntax", "er ontbreekt een pad");
    if (n > MAX_PATH_TEXT)
        return perr(L, off, "tpl-syntax", "het pad is te lang");
    static const struct {
        const char *w;
        uint8_t kind;
    } special[] = {{"@index", P_INDEX}, {"@number", P_NUMBER}, {"@key", P_KEY}, {"@first", P_FIRST},
                   {"@last", P_LAST},   {".", P_THIS},         {"this", P_THIS}};
    size_t i = 0;
    for (size_t k = 0; k < N_OF(special); k++) {
        size_t wl = strlen(special[k].w);
        if (n == wl && memcmp(p, special[k].w, wl) == 0)
            i = n;
        else if (special[k].kind == P_THIS && wl == 4 && n > 5 && memcmp(p, "this.", 5) == 0)
            i = 5;
        else
            continue;
        path.kind = special[k].kind;
        break;
    }
    if (i == 0 && p[0] == '@')
        return perr(L, off, "tpl-syntax",
                    "onbekende variabele '%.*s' (wel: @index, @number, "
                    "@key, @first, @last)",
                    (int)n, p);
    while (i < n || (path.kind == P_NAME && path.nseg == 0)) {
        size_t b = i;
        while (i < n && name_char((unsigned char)p[i]))
            i++;
        if (i == b || (i < n && p[i] != '.') || (i < n && i + 1 == n))
            return perr(L, off + (i < n ? i : n), "tpl-syntax",
                        "ongeldig pad '%.*s': namen van letters, cijfers, _ en -, gescheiden "
                        "door een punt",
                        (int)n, p);
        if (path.nseg == MAX_SEGS)
            return perr(L, off, "tpl-syntax", "het pad heeft meer dan %d delen", MAX_SEGS);
        struct seg sg = {.idx = -1};
        if (add_text(L, p + b, i - b, &sg.off))
            return LKS_ENOMEM;
        if (i - b <= 9 && digits(p + b, i - b))
            sg.idx = num(p + b, i - b);
        if (grow_arr((void **)&s->segs, &s->capsegs, s->nsegs + 1, sizeof sg))
            return oom(L);
        s->segs[s->nsegs++] = sg;
        path.nseg++;
        if (i < n)
            i++; /* the '.' */
    }
    if (grow_arr((void **)&s->paths, &s->cappaths, s->npaths + 1, sizeof path))
        return oom(L);
    *idx = (uint32_t)s->npaths;
    s->paths[s->npaths++] = path;
    return 0;
}

static void trim(const char **p, size_t *n)
{
    while (*n && is_ws((unsigned char)**p))
        (*p)++, (*n)--;
    while (*n && is_ws((unsigned char)(*p)[*n - 1]))
        (*n)--;
}

static bool valid_name(const char *p, size_t n)
{
    if (n == 0 || n > MAX_NAME)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!name_char((unsigned char)p[i]) && p[i] != '.' && p[i] != '/')
            return false;
    return true;
}

/* A value here: its context, or a load error saying why there is none. */
static int value_ctx(struct loader *L, size_t off, const char *what, uint8_t *ctx)
{
    struct hstate *h = &L->h;
    char sb[32];
    switch (h->st) {
    case HS_TEXT:
        *ctx = TPL_CTX_TEXT;
        return 0;
    case HS_RCDATA:
        if (h->sub)
            return perr(L, off, "tpl-context", "%s in wat een sluittag kan worden", what);
        *ctx = TPL_CTX_TEXT;
        return 0;
    case HS_VALUE_DQ:
    case HS_VALUE_SQ:
        break;
    case HS_VALUE_UQ:
    case HS_BEFORE_VALUE:
        return perr(L, off, "tpl-context",
                    "%s in een attribuutwaarde zonder aanhalingstekens: zet de waarde tussen \"\"",
                    what);
    case HS_TAG_OPEN:
    case HS_END_TAG_OPEN:
    case HS_TAG_NAME:
        return perr(L, off, "tpl-context", "%s in een tagnaam", what);
    case HS_ATTR_NAME:
        return perr(L, off, "tpl-context", "%s in een attribuutnaam", what);
    case HS_AFTER_ATTR_NAME:
    case HS_BEFORE_ATTR:
    case HS_AFTER_VALUE_Q:
    case HS_SELF_CLOSING:
        return perr(L, off, "tpl-context",
                    "%s tussen attributen: een waarde kan geen attribuut maken", what);
    case HS_COMMENT:
    case HS_MARKUP_DECL:
    case HS_BOGUS:
        return perr(L, off, "tpl-context", "%s in commentaar of een declaratie", what);
    case HS_RAWTEXT:
    default:
        return perr(L, off, "tpl-context", "%s %s: daar beschermt geen escaping", what,
                    state_text(h, sb, sizeof sb));
    }
    int k = (int)(h->attr_len < ATTR_KEEP ? h->attr_len : ATTR_KEEP);
    switch (h->akind) {
    case AK_EVENT:
        return perr(L, off, "tpl-context", "%s in het event-attribuut %.*s", what, k, h->attr);
    case AK_STYLE:
        return perr(L, off, "tpl-context", "%s in een style-attribuut", what);
    case AK_SRCDOC:
        return perr(L, off, "tpl-context", "%s in een srcdoc-attribuut", what);
    case AK_ANIMATION:
        return perr(L, off, "tpl-context",
                    "%s in een SVG-animatie <%.*s>: die zet andere attributen", what,
                    (int)(h->tag_len < TAG_KEEP ? h->tag_len : TAG_KEEP), h->tag);
    case AK_PLAIN:
        *ctx = TPL_CTX_ATTR;
        return 0;
    default:
        break;
    }
    if (h->url & U_BAD)
        return perr(L, off, "tpl-context",
                    "%s in een URL na een schema dat niet http, https of mailto is (of na '&' "
                    "vóór het pad)",
                    what);
    if (h->url == U_START) {
        if (h->akind == AK_URL_CODE)
            return perr(L, off, "tpl-context",
                        "%s bepaalt waar <%.*s %.*s> zijn code of opmaak vandaan haalt", what,
                        (int)(h->tag_len < TAG_KEEP ? h->tag_len : TAG_KEEP), h->tag, k, h->attr);
        *ctx = TPL_CTX_URL_START;
    } else {
        *ctx = TPL_CTX_URL_PART;
    }
    uint8_t nu = h->url & U_OK;
    if (h->url & (U_START | U_SCHEME | U_HEAD))
        nu |= U_HEAD;
    h->url = nu;
    return 0;
}

static int open_section(struct loader *L, uint8_t op, const char *p, size_t n, size_t off,
                        size_t poff)
{
    if (L->nsect == TPL_MAX_NEST)
        return perr(L, off, "tpl-syntax", "meer dan %d secties in elkaar", TPL_MAX_NEST);
    struct hstate *h = &L->h;
    if (op == OP_EACH && (h->url & (U_START | U_SCHEME | U_HEAD)))
        return perr(L, off, "tpl-context",
                    "{{#each}} vóór het pad van een URL: herhaal pas na de eerste '/', '?' of '#'");
    uint32_t pi;
    int rc = parse_path(L, p, n, poff, &pi);
    if (rc)
        return rc;
    first_unknown(L);
    boundary(h);
    struct node nd = {.op = op, .a = pi};
    uint32_t idx;
    if (emit(L, &nd, &idx))
        return LKS_ENOMEM;
    struct sect *sc = &L->sect[L->nsect++];
    sc->op = op;
    sc->has_else = false;
    sc->node = idx;
    sc->off = off;
    sc->start = *h;
    sc->first = op == OP_EACH ? FIRST_PENDING : FIRST_NONE;
    return 0;
}

static const char *op_name(uint8_t op)
{
    return op == OP_IF ? "if" : op == OP_UNLESS ? "unless" : "each";
}

static unsigned line_of(const struct tpl_source *src, size_t off)
{
    unsigned line = 1;
    for (size_t i = 0; i < off && i < src->len; i++)
        line += src->text[i] == '\n';
    return line;
}

/* An each body ends in state `end`: the next round starts there, at the body's first
 * byte. */
static int check_loop(struct loader *L, struct sect *sc, const struct hstate *end, size_t off)
{
    char a[32], b[32];
    if (!same_state(end, &sc->start))
        return perr(L, off, "tpl-syntax",
                    "de herhaling van {{#each}} (regel %u) begint %s en eindigt %s",
                    line_of(&L->src[L->ti], sc->off), state_text(&sc->start, a, sizeof a),
                    state_text(end, b, sizeof b));
    if (end->cut > sc->start.cut) {
        int f = sc->first;
        bool ok = end->cut == CUT_NAME ? f >= 0 && (is_ws((unsigned char)f) || f == '/' || f == '>')
                                       : f >= 0 && f != '=';
        if (!ok)
            return perr(L, off, "tpl-syntax",
                        "de herhaling van {{#each}} (regel %u) eindigt in een naam in een tag: "
                        "begin haar met een spatie",
                        line_of(&L->src[L->ti], sc->off));
    }
    return 0;
}

static int do_else(struct loader *L, size_t off)
{
    if (!L->nsect)
        return perr(L, off, "tpl-syntax", "{{else}} buiten een sectie");
    struct sect *sc = &L->sect[L->nsect - 1];
    if (sc->has_else)
        return perr(L, off, "tpl-syntax", "een tweede {{else}} in {{#%s}} van regel %u",
                    op_name(sc->op), line_of(&L->src[L->ti], sc->off));
    boundary(&L->h);
    if (sc->op == OP_EACH) {
        int rc = check_loop(L, sc, &L->h, off);
        if (rc)
            return rc;
    }
    sc->has_else = true;
    sc->then = L->h;
    sc->first = FIRST_NONE;
    struct node nd = {.op = OP_ELSE};
    uint32_t idx;
    if (emit(L, &nd, &idx))
        return LKS_ENOMEM;
    L->s->nodes[sc->node].alt = idx;
    L->h = sc->start;
    return 0;
}

static int close_section(struct loader *L, const char *w, size_t wl, size_t off)
{
    if (!L->nsect)
        return perr(L, off, "tpl-syntax", "{{/%.*s}} zonder open sectie", (int)wl, w);
    struct sect *sc = &L->sect[L->nsect - 1];
    const char *want = op_name(sc->op);
    if (wl != strlen(want) || memcmp(w, want, wl) != 0)
        return perr(L, off, "tpl-syntax", "{{/%.*s}} sluit {{#%s}} van regel %u niet", (int)wl, w,
                    want, line_of(&L->src[L->ti], sc->off));
    boundary(&L->h);
    char a[32], b[32];
    if (sc->op == OP_EACH && !sc->has_else) {
        int rc = check_loop(L, sc, &L->h, off);
        if (rc)
            return rc;
    }
    /* the two ways through: then + else, or then + nothing */
    const struct hstate *x = sc->has_else ? &sc->then : &L->h;
    const struct hstate *y = sc->has_else ? &L->h : &sc->start;
    if (!same_state(x, y))
        return perr(L, off, "tpl-syntax",
                    "de takken van {{#%s}} (regel %u) eindigen verschillend: %s tegenover %s", want,
                    line_of(&L->src[L->ti], sc->off), state_text(x, a, sizeof a),
                    state_text(y, b, sizeof b));
    struct hstate m = *x;
    merge_state(&m, y);
    if (sc->op == OP_EACH)
        merge_state(&m, &sc->start);
    struct node nd = {.op = OP_END};
    uint32_t idx;
    if (emit(L, &nd, &idx))
        return LKS_ENOMEM;
    struct node *open = &L->s->nodes[sc->node];
    open->end = idx;
    if (sc->has_else)
        L->s->nodes[open->alt].end = idx;
    else
        open->alt = idx;
    L->nsect--;
    L->h = m;
    first_unknown(L);
    return 0;
}

static int parse_value(struct loader *L, const char *p, size_t n, size_t off, size_t poff)
{
    const char *bar = memchr(p, '|', n);
    size_t pl = bar ? (size_t)(bar - p) : n;
    const char *pp = p;
    trim(&pp, &pl);
    uint8_t f = F_NONE;
    if (bar) {
        const char *fp = bar + 1;
        size_t fl = n - (size_t)(fp - p);
        trim(&fp, &fl);
        f = 0xFF;
        for (size_t k = 0; k < N_OF(filters); k++)
            if (fl == strlen(filters[k].name) && memcmp(fp, filters[k].name, fl) == 0)
                f = (uint8_t)filters[k].f;
        if (f == 0xFF)
            return perr(L, poff + (size_t)(fp - p), "tpl-syntax",
                        "onbekend filter '%.*s' (wel: euro, getal, procent, datum, maand)",
                        (int)(fl > 40 ? 40 : fl), fp);
    }
    uint32_t pi;
    int rc = parse_path(L, pp, pl, poff + (size_t)(pp - p), &pi);
    if (rc)
        return rc;
    uint8_t ctx = TPL_CTX_TEXT;
    if ((rc = value_ctx(L, off, "een waarde", &ctx)))
        return rc;
    first_unknown(L);
    struct node nd = {.op = OP_VALUE, .ctx = ctx, .filter = f, .a = pi};
    return emit(L, &nd, NULL);
}

static int only_in_text(struct loader *L, size_t off, const char *what)
{
    char sb[32];
    if (L->h.st != HS_TEXT)
        return perr(L, off, "tpl-context", "%s kan alleen in HTML-tekst staan, niet %s", what,
                    state_text(&L->h, sb, sizeof sb));
    first_unknown(L);
    return 0;
}

/* One {{…}} tag: content p[0..n) starts at byte poff, the tag at off. */
static int parse_tag(struct loader *L, const char *p, size_t n, size_t off, size_t poff)
{
    const char *q = p;
    size_t m = n;
    trim(&q, &m);
    poff += (size_t)(q - p);
    if (m == 0)
        return perr(L, off, "tpl-syntax", "een lege tag {{}}");
    if (q[0] == '!')
        return 0;
    if (q[0] == '#') {
        size_t k = 1;
        while (k < m && !is_ws((unsigned char)q[k]))
            k++;
        const char *w = q + 1;
        size_t wl = k - 1;
        uint8_t op = wl == 2 && memcmp(w, "if", 2) == 0       ? OP_IF
                     : wl == 6 && memcmp(w, "unless", 6) == 0 ? OP_UNLESS
                     : wl == 4 && memcmp(w, "each", 4) == 0   ? OP_EACH
                                                              : 0;
        if (!op)
            return perr(L, off, "tpl-syntax", "onbekende sectie {{#%.*s}} (wel: if, unless, each)",
                        (int)(wl > 40 ? 40 : wl), w);
        const char *a = q + k;
        size_t al = m - k;
        trim(&a, &al);
        return open_section(L, op, a, al, off, poff + (size_t)(a - q));
    }
    if (q[0] == '/') {
        const char *w = q + 1;
        size_t wl = m - 1;
        trim(&w, &wl);
        return close_section(L, w, wl > 40 ? 40 : wl, off);
    }
    if (m == 4 && memcmp(q, "else", 4) == 0)
        return do_else(L, off);
    if (q[0] == '>') {
        const char *w = q + 1;
        size_t wl = m - 1;
        trim(&w, &wl);
        if (!valid_name(w, wl))
            return perr(L, off, "tpl-syntax", "ongeldige sjabloonnaam in {{> …}}");
        int rc = only_in_text(L, off, "{{> …}}");
        if (rc)
            return rc;
        uint32_t no;
        if (add_text(L, w, wl, &no))
            return LKS_ENOMEM;
        struct node nd = {.op = OP_INCLUDE, .a = no, .b = (uint32_t)wl};
        uint32_t idx;
        if (emit(L, &nd, &idx))
            return LKS_ENOMEM;
        if (grow_arr((void **)&L->inc, &L->capinc, L->ninc + 1, sizeof *L->inc))
            return oom(L);
        L->inc[L->ninc++] = (struct include_ref){.node = idx, .tpl = (uint32_t)L->ti, .off = off};
        return 0;
    }
    return parse_value(L, q, m, off, poff);
}

static int parse_slot(struct loader *L, const char *p, size_t n, size_t off)
{
    trim(&p, &n);
    if (!valid_name(p, n) || memchr(p, '/', n))
        return perr(L, off, "tpl-syntax", "ongeldige slotnaam in {{{…}}}");
    int rc = only_in_text(L, off, "een slot {{{…}}}");
    if (rc)
        return rc;
    uint32_t no;
    if (add_text(L, p, n, &no))
        return LKS_ENOMEM;
    struct node nd = {.op = OP_SLOT, .a = no, .b = (uint32_t)n};
    return emit(L, &nd, NULL);
}

static const char *find2(const char *p, const char *end, char c)
{
    for (; p + 1 < end; p++)
        if (p[0] == c && p[1] == c)
            return p;
    return NULL;
}

static int parse_template(struct loader *L)
{
    const struct tpl_source *src = &L->src[L->ti];
    const char *t = src->text, *end = src->text + src->len;
    for (size_t i = 0; i < src->len;) {
        unsigned char c = (unsigned char)t[i];
        size_t k = c == 0 ? 0 : c < 0x80 ? 1 : utf8_seq((const unsigned char *)t + i, src->len - i);
        if (!k)
            return perr(L, i, "tpl-syntax", c ? "geen geldige UTF-8" : "een NUL-byte");
        i += k;
    }
    memset(&L->h, 0, sizeof L->h);
    L->h.st = HS_TEXT;
    L->nsect = 0;
    const char *p = t;
    int rc;
    while (p < end) {
        const char *o = find2(p, end, '{');
        const char *stop = o ? o : end;
        if ((rc = feed_text(L, p, (size_t)(stop - p), (size_t)(p - t))) ||
            (rc = add_static(L, p, (size_t)(stop - p))))
            return rc;
        if (!o)
            break;
        size_t off = (size_t)(o - t);
        if (o + 2 < end && o[2] == '{') {
            const char *c = o + 3;
            for (; c + 2 < end; c++)
                if (c[0] == '}' && c[1] == '}' && c[2] == '}')
                    break;
            if (c + 2 >= end)
                return perr(L, off, "tpl-syntax", "{{{ zonder }}}");
            if ((rc = parse_slot(L, o + 3, (size_t)(c - o - 3), off)))
                return rc;
            p = c + 3;
            continue;
        }
        const char *c = find2(o + 2, end, '}');
        if (!c)
            return perr(L, off, "tpl-syntax", "{{ zonder }}");
        if ((rc = parse_tag(L, o + 2, (size_t)(c - o - 2), off, off + 2)))
            return rc;
        p = c + 2;
    }
    if (L->nsect) {
        const struct sect *sc = &L->sect[L->nsect - 1];
        return perr(L, sc->off, "tpl-syntax", "{{#%s}} wordt niet gesloten", op_name(sc->op));
    }
    if (L->h.st != HS_TEXT) {
        char sb[32];
        return perr(L, src->len, "tpl-syntax", "het sjabloon eindigt %s",
                    state_text(&L->h, sb, sizeof sb));
    }
    return 0;
}

/* ---------------------------------------------------------------------------------
 * The set: names, includes, cycles.
 * ------------------------------------------------------------------------------- */

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const struct tpl_name *)a)->name, ((const struct tpl_name *)b)->name);
}

static const struct tpl_name *find_name(const struct tpl_set *s, const char *name)
{
    struct tpl_name key = {.name = name};
    return bsearch(&key, s->order, s->ntpl, sizeof key, cmp_name);
}

enum { WHITE, GREY, BLACK };

/* Longest chain of includes below template t (colour marks the walk). */
static int walk(struct loader *L, uint8_t *colour, uint8_t *height, uint32_t t, uint32_t *stack,
                int depth)
{
    const struct tpl_set *s = L->s;
    colour[t] = GREY;
    stack[depth] = t;
    uint8_t h = 0;
    for (size_t k = 0; k < L->ninc; k++) {
        if (L->inc[k].tpl != t)
            continue;
        uint32_t to = s->nodes[L->inc[k].node].a;
        L->ti = t;
        if (colour[to] == GREY) {
            char chain[160];
            size_t cl = 0;
            int from = depth;
            while (from > 0 && stack[from] != to)
                from--;
            for (int i = from; i <= depth && cl < sizeof chain - 40; i++)
                cl += (size_t)snprintf(chain + cl, sizeof chain - cl, "%s → ",
                                       s->text + s->tpls[stack[i]].name);
            snprintf(chain + cl, sizeof chain - cl, "%s", s->text + s->tpls[to].name);
            return perr(L, L->inc[k].off, "tpl-include", "een kring van includes: %s", chain);
        }
        if (colour[to] == WHITE) {
            if (depth + 1 > TPL_MAX_INCLUDE)
                return perr(L, L->inc[k].off, "tpl-include", "includes gaan meer dan %d diep",
                            TPL_MAX_INCLUDE);
            int rc = walk(L, colour, height, to, stack, depth + 1);
            if (rc)
                return rc;
        }
        if (height[to] + 1 > h)
            h = (uint8_t)(height[to] + 1);
        if (h + depth > TPL_MAX_INCLUDE) {
            L->ti = t;
            return perr(L, L->inc[k].off, "tpl-include", "includes gaan meer dan %d diep",
                        TPL_MAX_INCLUDE);
        }
    }
    colour[t] = BLACK;
    height[t] = h;
    return 0;
}

static int resolve(struct loader *L)
{
    struct tpl_set *s = L->s;
    for (size_t k = 0; k < L->ninc; k++) {
        struct node *nd = &s->nodes[L->inc[k].node];
        const struct tpl_name *tn = find_name(s, s->text + nd->a);
        if (!tn) {
            L->ti = L->inc[k].tpl;
            return perr(L, L->inc[k].off, "tpl-include", "onbekend sjabloon '%s' in {{> …}}",
                        s->text + nd->a);
        }
        nd->a = tn->idx;
    }
    uint8_t *colour = calloc(s->ntpl ? s->ntpl : 1, 1);
    uint8_t *height = calloc(s->ntpl ? s->ntpl : 1, 1);
    uint32_t stack[TPL_MAX_INCLUDE + 2];
    int rc = colour && height ? 0 : oom(L);
    for (uint32_t t = 0; !rc && t < s->ntpl; t++)
        if (colour[t] == WHITE)
            rc = walk(L, colour, height, t, stack, 0);
    free(colour);
    free(height);
    return rc;
}

void tpl_set_free(struct tpl_set *s)
{
    if (!s)
        return;
    free(s->tpls);
    free(s->order);
    free(s->nodes);
    free(s->paths);
    free(s->segs);
    free(s->text);
    free(s);
}

int tpl_set_load(struct tpl_set **out, const struct tpl_source *src, size_t n, struct lks_err *err)
{
    *out = NULL;
    struct loader L = {.src = src, .err = err};
    if (n > TPL_MAX_TEMPLATES)
        return lks_err_set(err, LKS_EINVAL, "", "tpl-name", "meer dan %d sjablonen",
                           TPL_MAX_TEMPLATES);
    struct tpl_set *s = calloc(1, sizeof *s);
    if (!s)
        return lks_err_set(err, LKS_ENOMEM, "", "out-of-memory", "te weinig geheugen");
    L.s = s;
    int rc = 0;
    s->tpls = calloc(n ? n : 1, sizeof *s->tpls);
    s->order = calloc(n ? n : 1, sizeof *s->order);
    if (!s->tpls || !s->order)
        rc = oom(&L);
    for (size_t i = 0; !rc && i < n; i++) {
        L.ti = i;
        const char *name = src[i].name ? src[i].name : "";
        size_t nl = strlen(name);
        if (!valid_name(name, nl)) {
            rc = lks_err_set(err, LKS_EINVAL, name, "tpl-name",
                             "een sjabloonnaam is 1 tot %d letters, cijfers, _ - . of /", MAX_NAME);
            break;
        }
        if (src[i].len > TPL_MAX_SIZE || (!src[i].text && src[i].len)) {
            rc = lks_err_set(err, LKS_EINVAL, name, "tpl-size",
                             "het sjabloon is groter dan %u bytes", TPL_MAX_SIZE);
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(src[j].name, name) == 0) {
                rc = lks_err_set(err, LKS_EINVAL, name, "tpl-name",
                                 "er is al een sjabloon met deze naam");
                break;
            }
        if (rc)
            break;
        if ((rc = add_text(&L, name, nl, &s->tpls[i].name)))
            break;
        s->tpls[i].first = (uint32_t)s->nnodes;
        s->ntpl = i + 1;
        rc = parse_template(&L);
    }
    if (!rc) {
        for (size_t i = 0; i < n; i++)
            s->order[i] = (struct tpl_name){.name = s->text + s->tpls[i].name, .idx = (uint32_t)i};
        qsort(s->order, n, sizeof *s->order, cmp_name);
        rc = resolve(&L);
    }
    free(L.inc);
    if (rc) {
        tpl_set_free(s);
        return rc;
    }
    lks_err_clear(err);
    *out = s;
    return 0;
}

bool tpl_has(const struct tpl_set *s, const char *name)
{
    return s && name && find_name(s, name) != NULL;
}

/* ---------------------------------------------------------------------------------
 * Rendering: a walk over the nodes with the scopes on the C stack.
 * ------------------------------------------------------------------------------- */

struct frame {
    const struct frame *up;
    const json_t *v;
    bool each;
    size_t index, count;
    const char *key;
};

struct rctx {
    const struct tpl_set *s;
    const struct tpl_safe *slots;
    size_t nslots;
    struct buf *out;
};

enum vt { V_NONE, V_JSON, V_INT, V_STR, V_BOOL };

struct val {
    enum vt t;
    const json_t *j;
    long long i;
    const char *str;
};

static const json_t *child(const json_t *v, const struct tpl_set *s, const struct seg *sg)
{
    if (json_is_object(v))
        return json_object_get(v, s->text + sg->off);
    if (json_is_array(v) && sg->idx >= 0)
        return json_array_get(v, (size_t)sg->idx);
    return NULL;
}

static struct val lookup(const struct rctx *c, const struct path *p, const struct frame *f)
{
    struct val r = {.t = V_NONE};
    const struct tpl_set *s = c->s;
    const struct seg *sg = s->segs + p->seg;
    const json_t *v = NULL;
    size_t k = 0;
    if (p->kind == P_NAME) {
        for (const struct frame *g = f; g && !v; g = g->up)
            v = child(g->v, s, &sg[0]);
        k = 1;
    } else if (p->kind == P_THIS) {
        v = f ? f->v : NULL;
    } else {
        const struct frame *e = f;
        while (e && !e->each)
            e = e->up;
        if (!e)
            return r;
        switch (p->kind) {
        case P_INDEX:
            r.t = V_INT, r.i = (long long)e->index;
            break;
        case P_NUMBER:
            r.t = V_INT, r.i = (long long)e->index + 1;
            break;
        case P_KEY:
            if (e->key)
                r.t = V_STR, r.str = e->key;
            break;
        case P_FIRST:
            r.t = V_BOOL, r.i = e->index == 0;
            break;
        case P_LAST:
            r.t = V_BOOL, r.i = e->index + 1 == e->count;
            break;
        default:
            break;
        }
        return r;
    }
    for (; v && k < p->nseg; k++)
        v = child(v, s, &sg[k]);
    if (v) {
        r.t = V_JSON;
        r.j = v;
    }
    return r;
}

static bool truthy(const struct val *v)
{
    switch (v->t) {
    case V_JSON:
        switch (json_typeof(v->j)) {
        case JSON_STRING:
            return json_string_length(v->j) > 0;
        case JSON_INTEGER:
            return json_integer_value(v->j) != 0;
        case JSON_REAL:
            return json_real_value(v->j) != 0.0;
        case JSON_TRUE:
            return true;
        case JSON_ARRAY:
            return json_array_size(v->j) > 0;
        case JSON_OBJECT:
            return json_object_size(v->j) > 0;
        default:
            return false;
        }
    case V_INT:
    case V_BOOL:
        return v->i != 0;
    case V_STR:
        return v->str[0] != '\0';
    default:
        return false;
    }
}

static size_t fmt_int(char b[24], long long v)
{
    char t[24];
    size_t n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        t[n++] = (char)('0' + u % 10);
    while (u /= 10);
    size_t k = 0;
    if (v < 0)
        b[k++] = '-';
    while (n)
        b[k++] = t[--n];
    return k;
}

static bool write_value(struct rctx *c, const struct node *nd, const struct frame *f)
{
    struct val v = lookup(c, &c->s->paths[nd->a], f);
    char nb[32];
    const char *s = NULL;
    size_t n = 0;
    bool is_str = false;
    if (v.t == V_JSON) {
        switch (json_typeof(v.j)) {
        case JSON_STRING:
            s = json_string_value(v.j);
            n = json_string_length(v.j);
            is_str = true;
            break;
        case JSON_INTEGER:
            n = fmt_int(nb, (long long)json_integer_value(v.j));
            s = nb;
            break;
        case JSON_REAL: {
            int k = snprintf(nb, sizeof nb, "%.15g", json_real_value(v.j));
            n = k > 0 && (size_t)k < sizeof nb ? (size_t)k : 0;
            s = nb;
            break;
        }
        default:
            return true;
        }
    } else if (v.t == V_INT) {
        n = fmt_int(nb, v.i);
        s = nb;
    } else if (v.t == V_STR) {
        s = v.str;
        n = strlen(s);
        is_str = true;
    } else {
        return true;
    }
    /* filters read strings; getal and procent also whole numbers (percentages and
     * hours travel as either) */
    bool filt = nd->filter != F_NONE &&
                (is_str || (s == nb && (nd->filter == F_GETAL || nd->filter == F_PROCENT) &&
                            (v.t == V_INT || json_is_integer(v.j))));
    if (filt) {
        char fo[FILTER_OUT_MAX];
        size_t fl = apply_filter(nd->filter, s, n, fo);
        if (fl)
            return tpl_escape(c->out, (enum tpl_ctx)nd->ctx, fo, fl);
    }
    return tpl_escape(c->out, (enum tpl_ctx)nd->ctx, s, n);
}

static bool run(struct rctx *c, uint32_t i, uint32_t end, const struct frame *f);

static bool run_each(struct rctx *c, const struct node *nd, uint32_t i, const struct frame *f)
{
    struct val v = lookup(c, &c->s->paths[nd->a], f);
    const json_t *j = v.t == V_JSON ? v.j : NULL;
    size_t count = json_is_array(j)    ? json_array_size(j)
                   : json_is_object(j) ? json_object_size(j)
                                       : 0;
    if (count == 0) {
        const struct node *alt = &c->s->nodes[nd->alt];
        return alt->op != OP_ELSE || run(c, nd->alt + 1, nd->end, f);
    }
    struct frame fr = {.up = f, .each = true, .count = count};
    if (json_is_array(j)) {
        for (size_t k = 0; k < count; k++) {
            fr.index = k;
            fr.v = json_array_get(j, k);
            if (!run(c, i + 1, nd->alt, &fr))
                return false;
        }
        return true;
    }
    size_t k = 0;
    for (void *it = json_object_iter((json_t *)j); it && k < count;
         it = json_object_iter_next((json_t *)j, it), k++) {
        fr.index = k;
        fr.key = json_object_iter_key(it);
        fr.v = json_object_iter_value(it);
        if (!run(c, i + 1, nd->alt, &fr))
            return false;
    }
    return true;
}

static bool run(struct rctx *c, uint32_t i, uint32_t end, const struct frame *f)
{
    const struct tpl_set *s = c->s;
    while (i < end) {
        const struct node *nd = &s->nodes[i];
        switch (nd->op) {
        case OP_TEXT:
            if (!buf_add(c->out, s->text + nd->a, nd->b))
                return false;
            i++;
            break;
        case OP_VALUE:
            if (!write_value(c, nd, f))
                return false;
            i++;
            break;
        case OP_SLOT:
            for (size_t k = 0; k < c->nslots; k++) {
                const struct tpl_safe *sl = &c->slots[k];
                if (sl->name && strlen(sl->name) == nd->b &&
                    memcmp(sl->name, s->text + nd->a, nd->b) == 0) {
                    if (sl->len && !buf_add(c->out, sl->html, sl->len))
                        return false;
                    break;
                }
            }
            i++;
            break;
        case OP_IF:
        case OP_UNLESS: {
            struct val v = lookup(c, &s->paths[nd->a], f);
            bool t = truthy(&v) == (nd->op == OP_IF);
            bool ok = t ? run(c, i + 1, nd->alt, f)
                        : s->nodes[nd->alt].op != OP_ELSE || run(c, nd->alt + 1, nd->end, f);
            if (!ok)
                return false;
            i = nd->end + 1;
            break;
        }
        case OP_EACH:
            if (!run_each(c, nd, i, f))
                return false;
            i = nd->end + 1;
            break;
        case OP_INCLUDE: {
            const struct tpl *t = &s->tpls[nd->a];
            if (!run(c, t->first, t->first + t->n, f))
                return false;
            i++;
            break;
        }
        default:
            i++;
            break;
        }
    }
    return !c->out->failed;
}

int tpl_render(const struct tpl_set *s, const char *name, const json_t *data,
               const struct tpl_safe *slots, size_t nslots, struct buf *out, struct lks_err *err)
{
    const struct tpl_name *tn = s && name ? find_name(s, name) : NULL;
    if (!tn)
        return lks_err_set(err, LKS_ENOTFOUND, name ? name : "", "tpl-unknown",
                           "er is geen sjabloon met deze naam");
    size_t start = out->len;
    struct rctx c = {.s = s, .slots = slots, .nslots = slots ? nslots : 0, .out = out};
    struct frame root = {.v = data};
    const struct tpl *t = &s->tpls[tn->idx];
    if (out->failed || !run(&c, t->first, t->first + t->n, &root)) {
        buf_truncate(out, start);
        out->failed = true;
        return lks_err_set(err, LKS_ENOMEM, name, "too-large",
                           "de pagina wordt groter dan %zu bytes", out->max);
    }
    return 0;
}

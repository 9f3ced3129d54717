/*
 * xw — the XML writer (see xw.h).
 */
#include "base/xw.h"

#include <string.h>

#include "base/err.h"

static void fail(struct xw *w, int code, const char *why)
{
    if (!w->err) {
        w->err = code;
        w->why = why;
    }
}

static void add(struct xw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    if (!buf_add(w->out, s, n))
        fail(w, LKS_ENOMEM, "output-cap");
}

static void adds(struct xw *w, const char *s)
{
    add(w, s, strlen(s));
}

void xw_init(struct xw *w, struct buf *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
    adds(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

bool xw_failed(const struct xw *w)
{
    return w->err != 0;
}

static bool name_ok(const char *s)
{
    if (!s || !*s)
        return false;
    unsigned char c = (unsigned char)s[0];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'))
        return false;
    for (const unsigned char *p = (const unsigned char *)s + 1; *p; p++) {
        c = *p;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == ':' || c == '-'))
            return false;
    }
    return true;
}

/* Length of the valid, allowed UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0; /* overlong or out of range */
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0; /* surrogate */
    if (cp >= 0x80 && cp <= 0x9F)
        return 0; /* C1 control */
    if (cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return len;
}

static void escaped(struct xw *w, const char *s, size_t n, bool attr)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* bytes [i - run, i) pass as they are */
    while (i < n && !w->err) {
        unsigned char c = p[i];
        const char *rep = NULL;
        size_t len = 1;
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c == '"')
            rep = attr ? "&quot;" : NULL;
        else if (c == '\t' || c == '\n' || c == '\r')
            rep = attr ? (c == '\t'   ? "&#9;"
                          : c == '\n' ? "&#10;"
                                      : "&#13;")
                       : (c == '\r' ? "&#13;" : NULL);
        else if (c < 0x20 || c == 0x7F) {
            fail(w, LKS_EINVAL, "control-character");
            return;
        } else if (c >= 0x80) {
            len = utf8_len(p + i, n - i);
            if (!len) {
                fail(w, LKS_EINVAL, "invalid-utf8");
                return;
            }
        }
        if (rep) {
            add(w, (const char *)p + i - run, run);
            adds(w, rep);
            run = 0;
            i++;
        } else {
            run += len;
            i += len;
        }
    }
    add(w, (const char *)p + i - run, run);
}

static void close_tag(struct xw *w)
{
    if (w->tag_open) {
        add(w, ">", 1);
        w->tag_open = false;
    }
}

static void indent(struct xw *w, int depth)
{
    static const char sp[] = "\n                                                                ";
    size_t n = 1 + 2 * (size_t)depth;
    add(w, sp, n < sizeof sp - 1 ? n : sizeof sp - 1);
}

void xw_start(struct xw *w, const char *name)
{
    if (w->err)
        return;
    if (!name_ok(name)) {
        fail(w, LKS_EINVAL, "bad-name");
        return;
    }
    if (w->depth >= XW_MAX_DEPTH) {
        fail(w, LKS_EINVAL, "too-deep");
        return;
    }
    close_tag(w);
    if (w->depth > 0)
        w->has_elem[w->depth - 1] = true;
    if (w->pretty && w->depth > 0)
        indent(w, w->depth);
    add(w, "<", 1);
    adds(w, name);
    w->stack[w->depth] = name;
    w->has_elem[w->depth] = false;
    w->depth++;
    w->tag_open = true;
}

void xw_attr(struct xw *w, const char *name, const char *value)
{
    if (w->err)
        return;
    if (!w->tag_open) {
        fail(w, LKS_EINVAL, "attr-after-content");
        return;
    }
    if (!name_ok(name)) {
        fail(w, LKS_EINVAL, "bad-name");
        return;
    }
    add(w, " ", 1);
    adds(w, name);
    add(w, "=\"", 2);
    escaped(w, value ? value : "", value ? strlen(value) : 0, true);
    add(w, "\"", 1);
}

void xw_textn(struct xw *w, const char *s, size_t n)
{
    if (w->err)
        return;
    if (w->depth == 0) {
        fail(w, LKS_EINVAL, "text-outside-element");
        return;
    }
    close_tag(w);
    escaped(w, s ? s : "", s ? n : 0, false);
}

void xw_text(struct xw *w, const char *s)
{
    xw_textn(w, s, s ? strlen(s) : 0);
}

void xw_end(struct xw *w, const char *name)
{
    if (w->err)
        return;
    if (w->depth == 0 || !name || strcmp(w->stack[w->depth - 1], name) != 0) {
        fail(w, LKS_EINVAL, "end-mismatch");
        return;
    }
    w->depth--;
    if (w->tag_open) {
        add(w, "/>", 2);
        w->tag_open = false;
        return;
    }
    if (w->pretty && w->has_elem[w->depth])
        indent(w, w->depth);
    add(w, "</", 2);
    adds(w, name);
    add(w, ">", 1);
}

void xw_elem(struct xw *w, const char *name, const char *text)
{
    xw_start(w, name);
    xw_text(w, text);
    xw_end(w, name);
}

int xw_finish(struct xw *w)
{
    if (!w->err && w->depth != 0)
        fail(w, LKS_EINVAL, "unclosed-element");
    if (!w->err)
        add(w, "\n", 1);
    return w->err;
}

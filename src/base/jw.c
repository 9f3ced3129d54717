/* jw — see jw.h. */
#include "base/jw.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"

void jw_init(struct jw *w, size_t max, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->max = max;
    w->pretty = pretty;
    w->first[0] = true;
}

void jw_init_sink(struct jw *w, const struct jw_sink *sink, void *ctx)
{
    memset(w, 0, sizeof *w);
    w->sink = sink;
    w->sink_ctx = ctx;
}

/* Sink mode: the key of this value, taken; false (and nothing more to do) when failed. */
static const char *sink_key(struct jw *w)
{
    const char *k = w->key;
    w->key = NULL;
    return k;
}

static void sink_done(struct jw *w, bool ok)
{
    if (!ok)
        w->failed = true;
}

#define SINK(w, call)                                                                              \
    do {                                                                                           \
        if ((w)->sink) {                                                                           \
            if (!(w)->failed) {                                                                    \
                const char *key_ = sink_key(w);                                                    \
                (void)key_;                                                                        \
                sink_done(w, call);                                                                \
            }                                                                                      \
            return;                                                                                \
        }                                                                                          \
    } while (0)

void jw_free(struct jw *w)
{
    free(w->buf);
    w->buf = NULL;
    w->len = w->cap = 0;
}

void jw_reset(struct jw *w)
{
    w->len = 0;
    w->depth = 0;
    w->first[0] = true;
    w->after_key = false;
    w->failed = false;
    if (w->buf)
        w->buf[0] = '\0';
}

bool jw_failed(const struct jw *w)
{
    return w->failed;
}

/* Room for n more bytes and the NUL; false (and failed) when there is none. */
static bool grow(struct jw *w, size_t n)
{
    size_t cap = w->cap ? w->cap : 256;
    while (w->len + n + 1 > cap)
        cap *= 2;
    if (cap > w->max + 1)
        cap = w->max + 1;
    if (w->len + n + 1 > cap) {
        w->failed = true;
        return false;
    }
    char *nb = realloc(w->buf, cap);
    if (!nb) {
        w->failed = true;
        return false;
    }
    w->buf = nb;
    w->cap = cap;
    return true;
}

static inline bool reserve(struct jw *w, size_t n)
{
    if (w->failed)
        return false;
    return w->len + n + 1 <= w->cap || grow(w, n);
}

static inline void put(struct jw *w, const char *s, size_t n)
{
    if (!reserve(w, n))
        return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static inline void put_c(struct jw *w, char c)
{
    if (!reserve(w, 1))
        return;
    w->buf[w->len++] = c;
    w->buf[w->len] = '\0';
}

void jw_raw(struct jw *w, const char *s, size_t n)
{
    if (w->sink) {
        w->failed = true; /* raw text has no place in a tree */
        return;
    }
    put(w, s, n);
}

static void indent(struct jw *w)
{
    if (!w->pretty)
        return;
    put(w, "\n", 1);
    for (int i = 0; i < w->depth; i++)
        put(w, "  ", 2);
}

/* Before any value: a comma unless first at this level, or nothing right after a key. */
static void sep(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        put_c(w, ',');
    w->first[w->depth] = false;
    if (w->depth > 0)
        indent(w);
}

static void nest_open(struct jw *w, char c)
{
    sep(w);
    put_c(w, c);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        w->failed = true;
        return;
    }
    w->first[++w->depth] = true;
}

static void nest_close(struct jw *w, char c)
{
    if (w->depth == 0) {
        w->failed = true;
        return;
    }
    bool empty = w->first[w->depth];
    w->depth--;
    if (!empty)
        indent(w);
    put_c(w, c);
}

void jw_obj_open(struct jw *w)
{
    SINK(w, w->sink->open(w->sink_ctx, key_, false));
    nest_open(w, '{');
}
void jw_obj_close(struct jw *w)
{
    SINK(w, w->sink->close(w->sink_ctx));
    nest_close(w, '}');
}
void jw_arr_open(struct jw *w)
{
    SINK(w, w->sink->open(w->sink_ctx, key_, true));
    nest_open(w, '[');
}
void jw_arr_close(struct jw *w)
{
    SINK(w, w->sink->close(w->sink_ctx));
    nest_close(w, ']');
}

/* Bytes a JSON string cannot hold as they are: controls, DEL, the quote, the backslash
 * (a table: the test is on every byte of every string). */
// clang-format off
static const unsigned char escape_table[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
// clang-format on

static inline bool needs_escape(unsigned char c)
{
    return escape_table[c] != 0;
}

static void escaped(struct jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* Most strings need no escape: one copy of the whole run up to the first that does. */
    size_t plain = 0;
    while (plain < n && !needs_escape((unsigned char)s[plain]))
        plain++;
    if (!reserve(w, plain + 2))
        return;
    char *p = w->buf + w->len;
    *p++ = '"';
    memcpy(p, s, plain);
    w->len += 1 + plain;
    size_t run = 0;
    for (size_t i = plain; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape(c)) {
            run++;
            continue;
        }
        put(w, s + i - run, run);
        run = 0;
        char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        const char *rep = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                                      : NULL;
        if (rep)
            put(w, rep, 2);
        else
            put(w, u, 6);
    }
    put(w, s + n - run, run);
    put_c(w, '"');
}

void jw_json(struct jw *w, const char *json, size_t n)
{
    SINK(w, w->sink->json(w->sink_ctx, key_, json, n));
    sep(w);
    put(w, json, n);
}

void jw_key(struct jw *w, const char *key)
{
    if (w->sink) {
        w->key = key;
        return;
    }
    sep(w);
    escaped(w, key, strlen(key));
    if (w->pretty)
        put(w, ": ", 2);
    else
        put_c(w, ':');
    w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    SINK(w, w->sink->str(w->sink_ctx, key_, s, n));
    sep(w);
    escaped(w, s, n);
}

void jw_str(struct jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v)
{
    SINK(w, w->sink->num(w->sink_ctx, key_, v));
    char b[MONEY_FMT_MAX];
    sep(w);
    money_fmt_fixed(b, v, 0);
    put(w, b, strlen(b));
}

void jw_bool(struct jw *w, bool v)
{
    SINK(w, w->sink->lit(w->sink_ctx, key_, v ? 2 : 1));
    sep(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *w)
{
    SINK(w, w->sink->lit(w->sink_ctx, key_, 0));
    sep(w);
    put(w, "null", 4);
}

void jw_money(struct jw *w, int64_t cents)
{
    char b[MONEY_FMT_MAX];
    jw_str(w, money_fmt(b, cents));
}

void jw_date(struct jw *w, int32_t day)
{
    char b[DATE_FMT_MAX];
    jw_str(w, date_fmt(b, day));
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_str(w, s);
}
void jw_kint(struct jw *w, const char *key, int64_t v)
{
    jw_key(w, key);
    jw_int(w, v);
}
void jw_kbool(struct jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}
void jw_kmoney(struct jw *w, const char *key, int64_t cents)
{
    jw_key(w, key);
    jw_money(w, cents);
}
void jw_kdate(struct jw *w, const char *key, int32_t day)
{
    jw_key(w, key);
    jw_date(w, day);
}

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

static void put(struct jw *w, const char *s, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (w->len + n + 1 > cap)
            cap *= 2;
        if (cap > w->max + 1)
            cap = w->max + 1;
        if (w->len + n + 1 > cap) {
            w->failed = true;
            return;
        }
        char *nb = realloc(w->buf, cap);
        if (!nb) {
            w->failed = true;
            return;
        }
        w->buf = nb;
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

void jw_raw(struct jw *w, const char *s, size_t n)
{
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
        put(w, ",", 1);
    w->first[w->depth] = false;
    if (w->depth > 0)
        indent(w);
}

static void nest_open(struct jw *w, char c)
{
    sep(w);
    put(w, &c, 1);
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
    put(w, &c, 1);
}

void jw_obj_open(struct jw *w)
{
    nest_open(w, '{');
}
void jw_obj_close(struct jw *w)
{
    nest_close(w, '}');
}
void jw_arr_open(struct jw *w)
{
    nest_open(w, '[');
}
void jw_arr_close(struct jw *w)
{
    nest_close(w, ']');
}

static void escaped(struct jw *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    put(w, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        char u[6];
        if (c == '"')
            rep = "\\\"";
        else if (c == '\\')
            rep = "\\\\";
        else if (c == '\n')
            rep = "\\n";
        else if (c == '\r')
            rep = "\\r";
        else if (c == '\t')
            rep = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            u[0] = '\\';
            u[1] = 'u';
            u[2] = '0';
            u[3] = '0';
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
        }
        if (!rep && !(c < 0x20 || c == 0x7f)) {
            run++;
            continue;
        }
        put(w, s + i - run, run);
        run = 0;
        if (rep)
            put(w, rep, strlen(rep));
        else
            put(w, u, 6);
    }
    put(w, s + n - run, run);
    put(w, "\"", 1);
}

void jw_json(struct jw *w, const char *json, size_t n)
{
    sep(w);
    put(w, json, n);
}

void jw_key(struct jw *w, const char *key)
{
    sep(w);
    escaped(w, key, strlen(key));
    put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
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
    char b[MONEY_FMT_MAX];
    sep(w);
    money_fmt_fixed(b, v, 0);
    put(w, b, strlen(b));
}

void jw_bool(struct jw *w, bool v)
{
    sep(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct jw *w)
{
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

/*
 * jw — a small JSON writer that escapes by construction.
 *
 * Output goes to a growable buffer owned by the writer (jw_free releases it),
 * capped at `max` bytes so a runaway response cannot eat the memory. Commas
 * and nesting are handled by the writer; strings are always escaped, so a
 * caller cannot emit raw text. Errors are sticky: after an allocation failure
 * or overflow of `max`, jw_failed() is true and further calls do nothing.
 *
 * Instead of text the values can go to a sink (jw_init_sink): a builder of another form
 * of the same document (codec/jw_tree.h builds jansson values), so that one writer
 * function is both the API's text and a page's tree, without printing and parsing. A
 * sink's callback that returns false fails the writer as an overflow does; `max`,
 * `pretty` and jw_raw (which fails) do not apply. A key passed to jw_key must stay valid
 * until its value is written (every caller writes it next).
 */
#ifndef LKS_BASE_JW_H
#define LKS_BASE_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH 32

/* Where a value goes in the sink: `key` is its key in an object, NULL in an array or
 * at the top. */
struct jw_sink {
    bool (*open)(void *ctx, const char *key, bool array);
    bool (*close)(void *ctx);
    bool (*str)(void *ctx, const char *key, const char *s, size_t n);
    bool (*num)(void *ctx, const char *key, int64_t v);
    bool (*lit)(void *ctx, const char *key, int lit); /* 0 null, 1 false, 2 true */
    bool (*json)(void *ctx, const char *key, const char *json, size_t n);
};

struct jw {
    char *buf;
    size_t len, cap, max;
    int depth;
    bool first[JW_MAX_DEPTH]; /* no element written yet at this level */
    bool after_key;
    bool failed;
    bool pretty;
    const struct jw_sink *sink; /* NULL: text into buf */
    void *sink_ctx;
    const char *key; /* sink mode: the key of the next value */
};

void jw_init(struct jw *w, size_t max, bool pretty);
void jw_init_sink(struct jw *w, const struct jw_sink *sink, void *ctx);
void jw_free(struct jw *w);
void jw_reset(struct jw *w); /* empty the buffer, keep its memory */
bool jw_failed(const struct jw *w);

void jw_obj_open(struct jw *w);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w);
void jw_arr_close(struct jw *w);
void jw_key(struct jw *w, const char *key);

void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* cents as a string with two decimals: "1224.11" (amounts are strings in the API). */
void jw_money(struct jw *w, int64_t cents);
/* a day number as "YYYY-MM-DD" */
void jw_date(struct jw *w, int32_t day);

/* key + value shorthands */
void jw_kstr(struct jw *w, const char *key, const char *s);
void jw_kint(struct jw *w, const char *key, int64_t v);
void jw_kbool(struct jw *w, const char *key, bool v);
void jw_kmoney(struct jw *w, const char *key, int64_t cents);
void jw_kdate(struct jw *w, const char *key, int32_t day);

/* Raw bytes appended as they are: only for text the caller made with jw itself. */
void jw_raw(struct jw *w, const char *s, size_t n);

/* A complete JSON value already rendered (by jw or checked by a parser), in the
 * place of a value: commas and keys are handled as for any other value. */
void jw_json(struct jw *w, const char *json, size_t n);

#endif

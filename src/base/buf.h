/*
 * buf — a growable byte buffer with a cap.
 *
 * The buffer owns its memory (buf_free releases it) and never holds more than
 * `max` bytes, so a runaway page or document cannot eat the memory. The data
 * is kept NUL-terminated after `len` bytes (the NUL is not counted), so a
 * buffer of text can be used as a C string. Growth doubles the capacity, is
 * checked against overflow, and never passes max + 1 bytes.
 *
 * Errors are sticky, as in jw: after an allocation failure or an append that
 * would pass `max`, `failed` is true, nothing is appended (not even part of
 * the bytes asked for) and further appends do nothing until buf_reset.
 */
#ifndef LKS_BASE_BUF_H
#define LKS_BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data; /* NULL until the first append */
    size_t len, cap, max;
    bool failed;
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
/* Empty the buffer and clear `failed`; keeps its memory. */
void buf_reset(struct buf *b);

/* Append n bytes; false (and failed) when they do not fit under max or memory runs
 * out. */
bool buf_add(struct buf *b, const void *p, size_t n);
bool buf_adds(struct buf *b, const char *s);
bool buf_addc(struct buf *b, char c);

/* Make room for n more bytes (plus the NUL) without appending; false (and failed) as
 * buf_add. After a true answer, b->data[b->len .. b->len + n] may be written and
 * b->len advanced by at most n (then b->data[b->len] = '\0' is the writer's job). */
bool buf_reserve(struct buf *b, size_t n);

/* Drop what was appended after length `len` (<= b->len). Does not clear `failed`. */
void buf_truncate(struct buf *b, size_t len);

#endif

/* buf — see buf.h. */
#include "base/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    /* max + 1 bytes (the NUL) must be representable. */
    b->max = max < SIZE_MAX - 1 ? max : SIZE_MAX - 2;
    b->failed = false;
}

void buf_free(struct buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data)
        b->data[0] = '\0';
}

/* Room for n more bytes and the NUL (n fits under max); the capacity doubles but
 * stays <= max + 1. */
static bool grow(struct buf *b, size_t n)
{
    size_t need = b->len + n + 1; /* <= max + 1: no overflow */
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > b->max + 1)
        cap = b->max + 1;
    char *nd = realloc(b->data, cap);
    if (!nd) {
        b->failed = true;
        return false;
    }
    b->data = nd;
    b->cap = cap;
    return true;
}

bool buf_reserve(struct buf *b, size_t n)
{
    if (b->failed)
        return false;
    if (b->len > b->max || n > b->max - b->len) { /* the cap, whatever the capacity */
        b->failed = true;
        return false;
    }
    if (b->data && n < b->cap - b->len) /* len + n + 1 <= cap */
        return true;
    return grow(b, n);
}

bool buf_add(struct buf *b, const void *p, size_t n)
{
    if (!buf_reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool buf_adds(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

bool buf_addc(struct buf *b, char c)
{
    if (!buf_reserve(b, 1))
        return false;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return true;
}

void buf_truncate(struct buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
}

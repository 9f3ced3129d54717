/*
 * xw — a small XML writer that escapes by construction.
 *
 * Output is appended to a caller's struct buf (base/buf.h), whose cap bounds the
 * document. Elements are opened and closed by name; the writer keeps the stack and
 * refuses an end that does not match its start, so a caller cannot emit an unbalanced
 * document. Text and attribute values are always escaped (& < > " and, in attributes,
 * tab/newline as character references); they must be valid UTF-8 without control
 * characters (C0 other than tab, LF, CR; DEL; C1; U+FFFE/U+FFFF), which is an error,
 * never silently passed. Names must be plain XML names ([A-Za-z_][A-Za-z0-9_.:-]*).
 *
 * Errors are sticky, as in jw: after the first error (bad name, bad text, unbalanced
 * end, nesting deeper than XW_MAX_DEPTH, the buffer's cap) further calls do nothing
 * and xw_finish returns LKS_EINVAL (or LKS_ENOMEM for the cap) with the reason kept in
 * `why`. Pretty indentation (two spaces a level) is off by default; an element that
 * holds text is written on one line.
 */
#ifndef LKS_BASE_XW_H
#define LKS_BASE_XW_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define XW_MAX_DEPTH 32

struct xw {
    struct buf *out;
    int depth;
    const char *stack[XW_MAX_DEPTH]; /* open element names (must stay valid until end) */
    bool tag_open;                   /* "<name attr" written, '>' not yet */
    bool has_elem[XW_MAX_DEPTH];     /* the element at this level has a child element */
    bool pretty;
    int err;         /* 0, LKS_EINVAL or LKS_ENOMEM */
    const char *why; /* static reason for the first error */
};

/* Start writing into out (appends; writes the XML declaration). */
void xw_init(struct xw *w, struct buf *out, bool pretty);
bool xw_failed(const struct xw *w);

void xw_start(struct xw *w, const char *name);
/* Only right after xw_start (before text or a child); the value is escaped. */
void xw_attr(struct xw *w, const char *name, const char *value);
void xw_text(struct xw *w, const char *s);
void xw_textn(struct xw *w, const char *s, size_t n);
/* End the innermost element; name must be the name it was started with. */
void xw_end(struct xw *w, const char *name);
/* Shorthand: <name>text</name>. */
void xw_elem(struct xw *w, const char *name, const char *text);

/* 0 when the document is complete (every element ended) and nothing failed; else the
 * error code (LKS_EINVAL, LKS_ENOMEM) — w->why says why. */
int xw_finish(struct xw *w);

#endif

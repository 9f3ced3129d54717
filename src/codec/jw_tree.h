/*
 * jw_tree — a jw sink (base/jw.h) that builds the document as jansson values instead
 * of text: the pages take the app's views as trees for their templates, written by the
 * same functions that write the API's JSON, without printing and parsing it again.
 *
 * Owns the values it builds until jw_tree_take hands the top one over. Fails (the
 * writer's jw_failed, then jw_tree_take NULL, everything freed) when jansson cannot
 * allocate, a string is not UTF-8, a value has no key in an object, embedded JSON text
 * (jw_json) does not parse, or the nesting is deeper than JW_MAX_DEPTH.
 */
#ifndef LKS_CODEC_JW_TREE_H
#define LKS_CODEC_JW_TREE_H

#include <jansson.h>

#include "base/jw.h"

struct jw_tree {
    json_t *root;
    json_t *stack[JW_MAX_DEPTH]; /* the open containers, borrowed from root */
    int depth;
};

/* Make w write into t (both the caller's, e.g. on the stack). */
void jw_tree_init(struct jw *w, struct jw_tree *t);
/* The document written (a new reference), or NULL when the writer failed or the
 * document is not complete; t is empty afterwards either way. */
json_t *jw_tree_take(struct jw *w, struct jw_tree *t);

#endif

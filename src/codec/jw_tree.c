/* jw_tree — see jw_tree.h. */
#include "codec/jw_tree.h"

#include <string.h>

/* Place v (a new reference, taken even on failure) under the open container. */
static bool add(struct jw_tree *t, const char *key, json_t *v)
{
    if (!v)
        return false;
    if (t->depth == 0) {
        if (t->root) {
            json_decref(v);
            return false;
        }
        t->root = v;
        return true;
    }
    json_t *parent = t->stack[t->depth - 1];
    if (json_is_object(parent))
        return key && json_object_set_new(parent, key, v) == 0;
    return !key && json_array_append_new(parent, v) == 0;
}

static bool t_open(void *ctx, const char *key, bool array)
{
    struct jw_tree *t = ctx;
    if (t->depth >= JW_MAX_DEPTH)
        return false;
    json_t *c = array ? json_array() : json_object();
    if (!add(t, key, c))
        return false;
    t->stack[t->depth++] = c;
    return true;
}

static bool t_close(void *ctx)
{
    struct jw_tree *t = ctx;
    if (t->depth == 0)
        return false;
    t->depth--;
    return true;
}

static bool t_str(void *ctx, const char *key, const char *s, size_t n)
{
    return add(ctx, key, json_stringn(s, n));
}

static bool t_num(void *ctx, const char *key, int64_t v)
{
    return add(ctx, key, json_integer((json_int_t)v));
}

static bool t_lit(void *ctx, const char *key, int lit)
{
    return add(ctx, key, lit == 0 ? json_null() : json_boolean(lit == 2));
}

static bool t_json(void *ctx, const char *key, const char *json, size_t n)
{
    json_error_t je;
    return add(ctx, key, json_loadb(json, n, JSON_DECODE_ANY, &je));
}

static const struct jw_sink tree_sink = {t_open, t_close, t_str, t_num, t_lit, t_json};

void jw_tree_init(struct jw *w, struct jw_tree *t)
{
    memset(t, 0, sizeof *t);
    jw_init_sink(w, &tree_sink, t);
}

json_t *jw_tree_take(struct jw *w, struct jw_tree *t)
{
    json_t *root = t->root;
    bool ok = !jw_failed(w) && t->depth == 0 && root;
    memset(t, 0, sizeof *t);
    if (ok)
        return root;
    json_decref(root);
    return NULL;
}

/*
 * store_rules — see store_rules.h. No SQL here: the rows come from store_rule_rows and
 * go in through store_rule_add, on either engine. The cells are kept as a JSON object of
 * text (column → cell), read with jansson and written with the JSON writer.
 */
#include "store/store_rules.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/jw.h"
#include "base/tsv.h"
#include "store/store_auth.h"

#define ERR_GUARD(err)                                                                             \
    struct lks_err err_local_;                                                                     \
    if (!(err))                                                                                    \
    (err) = &err_local_

/* A stored row held while the list is read: its strings copied, its cells in `json`. */
struct held {
    struct rules_row_in in;
    struct rules_cell cells[TSV_MAX_COLS];
    json_t *json;
    char *table, *source, *user;
};

struct held_rows {
    int n, cap;
    struct held *row;
    struct lks_err *err;
};

static void held_free(struct held_rows *h)
{
    for (int i = 0; i < h->n; i++) {
        json_decref(h->row[i].json);
        free(h->row[i].table);
        free(h->row[i].source);
        free(h->row[i].user);
    }
    free(h->row);
    memset(h, 0, sizeof *h);
}

static int stored_fault(struct lks_err *err, const struct store_rule_row *r, const char *what)
{
    char d[DATE_FMT_MAX];
    return lks_err_set(err, LKS_EINVAL, "regels", "stored-row",
                       "regel %lld in de opslag (tabel %s vanaf %s): %s", (long long)r->id,
                       r->table, date_fmt(d, r->from), what);
}

/* store_rule_rows callback: keep a copy of the row, its cells parsed. */
static int hold(void *arg, const struct store_rule_row *r)
{
    struct held_rows *h = arg;
    if (h->n == h->cap) {
        int cap = h->cap ? 2 * h->cap : 16;
        struct held *nr = realloc(h->row, (size_t)cap * sizeof *nr);
        if (!nr)
            return lks_err_set(h->err, LKS_ENOMEM, "regels", "no-memory", "onvoldoende geheugen");
        h->row = nr;
        h->cap = cap;
    }
    struct held *x = &h->row[h->n];
    memset(x, 0, sizeof *x);
    json_error_t je;
    x->json = json_loads(r->cells, JSON_REJECT_DUPLICATES, &je);
    x->table = strdup(r->table);
    x->source = strdup(r->source);
    x->user = strdup(r->user);
    h->n++; /* from here held_free owns it */
    if (!x->table || !x->source || !x->user)
        return lks_err_set(h->err, LKS_ENOMEM, "regels", "no-memory", "onvoldoende geheugen");
    if (!json_is_object(x->json))
        return stored_fault(h->err, r, "de waarden zijn geen JSON-object");
    const char *key;
    json_t *v;
    json_object_foreach(x->json, key, v)
    {
        if (x->in.ncells == TSV_MAX_COLS)
            return stored_fault(h->err, r, "te veel kolommen");
        if (!json_is_string(v))
            return stored_fault(h->err, r, "een waarde is geen tekst");
        x->cells[x->in.ncells].col = key;
        x->cells[x->in.ncells].val = json_string_value(v);
        x->in.ncells++;
    }
    x->in.table = x->table;
    x->in.from = r->from;
    x->in.source = x->source;
    x->in.user = x->user;
    x->in.at = r->at;
    x->in.id = r->id;
    return 0;
}

/* Every stored row, parsed (the cell pointers are set once the list no longer moves). */
static int hold_all(struct store *s, struct held_rows *h, struct lks_err *err)
{
    h->err = err;
    int rc = store_rule_rows(s, hold, h, err);
    for (int i = 0; i < h->n; i++)
        h->row[i].in.cells = h->row[i].cells;
    return rc;
}

/* The held rows into r; a refusal names the first row that cannot be merged. */
static int merge_held(struct rules *r, struct held_rows *h, struct lks_err *err)
{
    if (h->n == 0)
        return 0;
    struct rules_row_in *in = malloc((size_t)h->n * sizeof *in);
    if (!in)
        return lks_err_set(err, LKS_ENOMEM, "regels", "no-memory", "onvoldoende geheugen");
    for (int i = 0; i < h->n; i++)
        in[i] = h->row[i].in;
    int rc = rules_merge_rows(r, in, h->n, err);
    struct rules *probe = rc ? malloc(sizeof *probe) : NULL;
    for (int k = 1; rc && probe && k <= h->n; k++) {
        /* the shortest list of rows that is refused ends with the row at fault */
        struct lks_err e = {0};
        *probe = *r;
        if (rules_merge_rows(probe, in, k, &e) == 0)
            continue;
        char what[sizeof e.field + sizeof e.msg + 2];
        snprintf(what, sizeof what, "%s: %s", e.field, e.msg);
        struct store_rule_row at = {
            .id = in[k - 1].id, .table = in[k - 1].table, .from = in[k - 1].from};
        stored_fault(err, &at, what);
        break;
    }
    free(probe);
    free(in);
    return rc;
}

int store_rules_apply(struct store *s, struct rules *r, struct lks_err *err)
{
    ERR_GUARD(err);
    struct held_rows h = {0};
    int rc = hold_all(s, &h, err);
    if (rc == 0)
        rc = merge_held(r, &h, err);
    held_free(&h);
    return rc;
}

/* Only the installation's operator adds rows. */
static int adder_check(struct store *s, const char *name, struct lks_err *err)
{
    struct auth_user u;
    struct lks_err e = {0};
    int rc = name && *name ? store_user_by_name(s, name, &u, NULL, 0, NULL, NULL, &e) : LKS_EINVAL;
    if (rc == LKS_ENOTFOUND || rc == LKS_EINVAL)
        return lks_err_set(err, LKS_EINVAL, "gebruiker", "unknown-user",
                           "gebruiker '%s' bestaat niet", name ? name : "");
    if (rc) {
        *err = e;
        return rc;
    }
    if (u.role != ROLE_APPLICATIEBEHEERDER)
        return lks_err_set(err, LKS_EINVAL, "gebruiker", "not-allowed",
                           "gebruiker '%s' heeft de rol %s: alleen een applicatiebeheerder voegt "
                           "regels toe",
                           name, role_name(u.role));
    if (!u.active)
        return lks_err_set(err, LKS_EINVAL, "gebruiker", "blocked", "gebruiker '%s' is geblokkeerd",
                           name);
    return 0;
}

/* The cells as stored: a JSON object of text. */
static void cells_json(struct jw *w, const struct rules_row_in *row)
{
    jw_obj_open(w);
    for (int i = 0; i < row->ncells; i++)
        jw_kstr(w, row->cells[i].col, row->cells[i].val ? row->cells[i].val : "");
    jw_obj_close(w);
}

int store_rules_add(struct store *s, const struct rules *base, struct rules_row_in *row,
                    struct rules *out, struct lks_err *err)
{
    ERR_GUARD(err);
    row->at = (int64_t)time(NULL);
    row->id = 0;
    struct rules *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return lks_err_set(err, LKS_ENOMEM, "regels", "no-memory", "onvoldoende geheugen");
    *tmp = *base;
    struct held_rows h = {0};
    struct jw w;
    jw_init(&w, 16384, false);
    int rc = store_begin(s, err);
    if (rc) {
        free(tmp);
        jw_free(&w);
        return rc;
    }
    if ((rc = store_rule_lock(s, err)) == 0 && (rc = adder_check(s, row->user, err)) == 0 &&
        (rc = hold_all(s, &h, err)) == 0 && (rc = merge_held(tmp, &h, err)) == 0 &&
        (rc = rules_merge_rows(tmp, row, 1, err)) == 0) {
        cells_json(&w, row);
        if (jw_failed(&w))
            rc = lks_err_set(err, LKS_ENOMEM, "waarden", "no-memory", "onvoldoende geheugen");
    }
    struct store_rule_row sr = {0};
    if (rc == 0) {
        sr.table = row->table;
        sr.from = row->from;
        sr.cells = w.buf;
        sr.source = row->source;
        sr.user = row->user;
        sr.at = row->at;
        rc = store_rule_add(s, &sr, err);
    }
    if (rc == 0)
        rc = store_commit(s, err);
    if (rc) {
        store_rollback(s);
    } else {
        row->id = sr.id;
        /* the new row is the last one merged */
        tmp->origin.stored[tmp->origin.n_stored - 1].id = sr.id;
        if (out)
            *out = *tmp;
    }
    held_free(&h);
    jw_free(&w);
    free(tmp);
    return rc;
}

/*
 * stmt — the statement layer's common part (stmt.h): picks the engine, and what is the
 * same on both (dates as day numbers, text cut at a UTF-8 boundary, integers).
 */
#include "store/stmt.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_engine.h"

size_t stmt_utf8_fit(const char *t, size_t n, size_t cap)
{
    if (n < cap)
        return n;
    n = cap - 1;
    while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
        n--;
    return n;
}

bool stmt_is_pg(const struct store *s)
{
    return s->pg != NULL;
}

bool stmt_in_tx(struct store *s)
{
    return s->pg ? stmt_pg_in_tx(s->pg) : stmt_sq_in_tx(s->sq);
}

int stmt_prepare(struct stmt *q, struct store *s, const char *sql, const char *field,
                 const char *what, struct lks_err *err)
{
    memset(q, 0, sizeof *q);
    q->sq = s->sq;
    q->pg = s->pg;
    q->sql = sql;
    q->field = field;
    q->what = what;
    q->row = -1;
    q->ops = q->pg ? &stmt_pg_ops : &stmt_sqlite_ops;
    return q->ops->prepare(q, err);
}

void stmt_bind_text(struct stmt *q, int i, const char *v, size_t cap)
{
    if (!v)
        stmt_bind_null(q, i);
    else {
        size_t n = strnlen(v, cap);
        q->ops->text(q, i, v, n, n < cap);
    }
}

void stmt_bind_cstr(struct stmt *q, int i, const char *v)
{
    if (!v)
        stmt_bind_null(q, i);
    else
        q->ops->text(q, i, v, strlen(v), true);
}

void stmt_bind_int(struct stmt *q, int i, int64_t v)
{
    q->ops->integer(q, i, v);
}

void stmt_bind_date(struct stmt *q, int i, lks_date d)
{
    if (d == LKS_NO_DATE)
        stmt_bind_null(q, i);
    else
        stmt_bind_int(q, i, d);
}

void stmt_bind_bytes(struct stmt *q, int i, const void *b, size_t n)
{
    if (!b)
        stmt_bind_null(q, i);
    else
        q->ops->bytes(q, i, b, n);
}

void stmt_bind_null(struct stmt *q, int i)
{
    q->ops->null(q, i);
}

int stmt_step(struct stmt *q, struct lks_err *err)
{
    return q->ops->step(q, err);
}

int64_t stmt_changes(const struct stmt *q)
{
    return q->changes;
}

bool stmt_col_null(const struct stmt *q, int i)
{
    return q->ops->col_null(q, i);
}

int64_t stmt_col_int(const struct stmt *q, int i)
{
    return q->ops->col_int(q, i);
}

lks_date stmt_col_date(const struct stmt *q, int i)
{
    if (stmt_col_null(q, i))
        return LKS_NO_DATE;
    return (lks_date)stmt_col_int(q, i);
}

const char *stmt_col_cstr(const struct stmt *q, int i)
{
    size_t n;
    return q->ops->col_text(q, i, &n);
}

bool stmt_col_text(const struct stmt *q, int i, char *dst, size_t cap)
{
    size_t n;
    const char *t = q->ops->col_text(q, i, &n);
    size_t k = stmt_utf8_fit(t, n, cap);
    if (k)
        memcpy(dst, t, k);
    dst[k] = '\0';
    return k == n;
}

int stmt_col_bytes(const struct stmt *q, int i, unsigned char **out, size_t *len,
                   struct lks_err *err)
{
    *out = NULL;
    *len = 0;
    return q->ops->col_bytes(q, i, out, len, err);
}

void stmt_reset(struct stmt *q)
{
    q->changes = 0;
    q->row = -1;
    q->nrows = 0;
    q->ops->reset(q);
}

void stmt_finish(struct stmt *q)
{
    if (q->ops)
        q->ops->finish(q);
}

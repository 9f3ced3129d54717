/* err — see err.h. */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void copy(char *dst, size_t n, const char *src)
{
    if (!src)
        src = "";
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

int lks_err_set(struct lks_err *e, int code, const char *field, const char *reason,
                const char *fmt, ...)
{
    if (!e)
        return code;
    e->code = code;
    copy(e->field, sizeof e->field, field);
    copy(e->reason, sizeof e->reason, reason);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void lks_err_field(struct lks_err *e, const char *field)
{
    if (e)
        copy(e->field, sizeof e->field, field);
}

void lks_err_clear(struct lks_err *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}

struct lks_err *lks_errlist_add(struct lks_errlist *l)
{
    if (l->n == LKS_ERRLIST_MAX) {
        l->dropped++;
        lks_err_clear(&l->e[l->n - 1]);
        return &l->e[l->n - 1];
    }
    lks_err_clear(&l->e[l->n]);
    return &l->e[l->n++];
}

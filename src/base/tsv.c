/* tsv — see tsv.h. */
#include "base/tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cut the next line at p; returns the line start and advances p, or NULL at the end. */
static char *next_line(struct tsv *t)
{
    if (!t->p || !*t->p)
        return NULL;
    char *s = t->p;
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        t->p = nl + 1;
    } else {
        t->p = s + strlen(s);
    }
    size_t n = strlen(s);
    if (n && s[n - 1] == '\r')
        s[n - 1] = '\0';
    t->line++;
    return s;
}

static int split(struct tsv *t, char *s, char **out, int *n, struct lks_err *err)
{
    int k = 0;
    for (;;) {
        if (k == TSV_MAX_COLS)
            return lks_err_set(err, LKS_EINVAL, t->name, "too-many-columns",
                               "%s regel %d: meer dan %d kolommen", t->name, t->line,
                               TSV_MAX_COLS);
        out[k++] = s;
        char *tab = strchr(s, '\t');
        if (!tab)
            break;
        *tab = '\0';
        s = tab + 1;
    }
    *n = k;
    return 0;
}

static char *next_content_line(struct tsv *t)
{
    char *s;
    while ((s = next_line(t)) != NULL)
        if (*s && *s != '#')
            return s;
    return NULL;
}

int tsv_open(struct tsv *t, char *buf, const char *name, struct lks_err *err)
{
    memset(t, 0, sizeof *t);
    t->p = buf;
    t->name = name ? name : "tabel";
    char *s = next_content_line(t);
    if (!s)
        return lks_err_set(err, LKS_EINVAL, t->name, "no-header", "%s: geen kopregel gevonden",
                           t->name);
    return split(t, s, t->head, &t->ncols, err);
}

int tsv_next(struct tsv *t, struct lks_err *err)
{
    char *s = next_content_line(t);
    if (!s)
        return 0;
    int rc = split(t, s, t->field, &t->nfields, err);
    if (rc)
        return rc;
    if (t->nfields > t->ncols)
        return lks_err_set(err, LKS_EINVAL, t->name, "too-many-fields",
                           "%s regel %d: %d velden, de kopregel heeft er %d", t->name, t->line,
                           t->nfields, t->ncols);
    return 1;
}

int tsv_col(const struct tsv *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->head[i], name) == 0)
            return i;
    return -1;
}

const char *tsv_get(const struct tsv *t, int col)
{
    if (col < 0 || col >= t->nfields)
        return "";
    return t->field[col];
}

char *tsv_slurp(const char *path, size_t max_bytes, struct lks_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        lks_err_set(err, LKS_EIO, path, "unreadable", "%s: bestand kan niet worden gelezen",
                    path);
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            if (cap >= max_bytes) {
                free(buf);
                fclose(f);
                lks_err_set(err, LKS_EINVAL, path, "too-large",
                            "%s: bestand is groter dan %zu bytes", path, max_bytes);
                return NULL;
            }
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        if (n == 0)
            break;
        len += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf) {
        lks_err_set(err, LKS_ENOMEM, path, "no-memory", "%s: onvoldoende geheugen", path);
        return NULL;
    }
    if (bad) {
        free(buf);
        lks_err_set(err, LKS_EIO, path, "read-error", "%s: leesfout", path);
        return NULL;
    }
    buf[len] = '\0';
    if (memchr(buf, '\0', len)) {
        free(buf);
        lks_err_set(err, LKS_EINVAL, path, "binary", "%s: bevat geen tekst", path);
        return NULL;
    }
    return buf;
}

/* tables — see tables.h. One generic loader serves the four tables. */
#include "rules/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "base/tsv.h"
#include "rules/embedded.h"

#define FILE_MAX_BYTES (1 << 20)

typedef int (*row_parser)(struct tsv *t, void *row, struct lks_err *err);

struct kind {
    const char *file;
    size_t row_size;
    row_parser parse;
    size_t rows_off, count_off, source_off;
};

/* Messages about a table cell name the file, line and column. */
static int cell_err(struct tsv *t, const char *col, struct lks_err *err, const char *what)
{
    char field[64];
    snprintf(field, sizeof field, "%s:%d", t->name, t->line);
    return lks_err_set(err, LKS_EINVAL, field, "bad-cell", "%s regel %d, kolom '%s': %s", t->name,
                       t->line, col, what);
}

static int get_col(struct tsv *t, const char *col, struct lks_err *err)
{
    int c = tsv_col(t, col);
    if (c < 0)
        lks_err_set(err, LKS_EINVAL, t->name, "missing-column", "%s: kolom '%s' ontbreekt",
                    t->name, col);
    return c;
}

static int parse_date_cell(struct tsv *t, const char *col, lks_date *out, struct lks_err *err)
{
    int c = get_col(t, col, err);
    if (c < 0)
        return LKS_EINVAL;
    struct lks_err e2;
    if (date_parse(out, tsv_get(t, c), col, &e2))
        return cell_err(t, col, err, "geen datum (JJJJ-MM-DD)");
    return 0;
}

/* A fixed-point cell; empty allowed when allow_empty (gives 0). Bounds are inclusive. */
static int parse_num_cell(struct tsv *t, const char *col, int decimals, int64_t lo, int64_t hi,
                          int allow_empty, int64_t *out, struct lks_err *err)
{
    int c = get_col(t, col, err);
    if (c < 0)
        return LKS_EINVAL;
    const char *s = tsv_get(t, c);
    if (!*s && allow_empty) {
        *out = 0;
        return 0;
    }
    struct lks_err e2;
    if (money_parse_fixed(out, s, decimals, col, &e2))
        return cell_err(t, col, err, "geen geldig getal");
    if (*out < lo || *out > hi)
        return cell_err(t, col, err, "waarde buiten het aannemelijke bereik");
    return 0;
}

static int parse_wml(struct tsv *t, void *row, struct lks_err *err)
{
    struct rules_wml *w = row;
    int64_t age;
    if (parse_date_cell(t, "from", &w->from, err) ||
        parse_num_cell(t, "month", 2, 50000, 10000000, 0, &w->month, err) ||
        parse_num_cell(t, "hour", 2, 0, 100000, 1, &w->hour, err) ||
        parse_num_cell(t, "full_age", 0, RULES_YOUTH_MIN_AGE + 1, RULES_YOUTH_MAX_AGE + 1, 0,
                       &age, err))
        return LKS_EINVAL;
    w->full_age = (int)age;
    return 0;
}

static int parse_youth(struct tsv *t, void *row, struct lks_err *err)
{
    struct rules_youth *y = row;
    memset(y->pct, 0, sizeof y->pct);
    if (parse_date_cell(t, "from", &y->from, err))
        return LKS_EINVAL;
    for (int age = RULES_YOUTH_MIN_AGE; age <= RULES_YOUTH_MAX_AGE; age++) {
        char col[16];
        snprintf(col, sizeof col, "%d", age);
        int64_t v;
        if (parse_num_cell(t, col, 2, 1, 10000, 0, &v, err))
            return LKS_EINVAL;
        y->pct[age] = (int32_t)v;
    }
    return 0;
}

static int parse_allowance(struct tsv *t, void *row, struct lks_err *err)
{
    struct rules_allowance *a = row;
    int64_t v;
    if (parse_date_cell(t, "from", &a->from, err) ||
        parse_num_cell(t, "percent", 2, 0, 10000, 0, &v, err))
        return LKS_EINVAL;
    a->pct = (int32_t)v;
    return 0;
}

static int parse_lks(struct tsv *t, void *row, struct lks_err *err)
{
    struct rules_lks *l = row;
    int64_t hol, cap, forf, months, div = 0, youth_round;
    if (parse_date_cell(t, "from", &l->from, err) ||
        parse_num_cell(t, "vakantiebijslag", 2, 0, 10000, 0, &hol, err) ||
        parse_num_cell(t, "max", 2, 0, 10000, 0, &cap, err) ||
        parse_num_cell(t, "forfait", 2, 0, 10000, 0, &forf, err) ||
        parse_num_cell(t, "forfait_maanden", 0, 0, 60, 0, &months, err))
        return LKS_EINVAL;
    int c = get_col(t, "deler", err);
    if (c < 0)
        return LKS_EINVAL;
    if (strcmp(tsv_get(t, c), "sector") != 0 &&
        parse_num_cell(t, "deler", 2, 100, 6000, 0, &div, err))
        return cell_err(t, "deler", err, "'sector' of een aantal uren tussen 1 en 60");
    if (parse_num_cell(t, "afronding_jeugdloon", 2, 1, 100, 0, &youth_round, err))
        return LKS_EINVAL;
    l->holiday_pct = (int32_t)hol;
    l->cap_pct = (int32_t)cap;
    l->forfait_pct = (int32_t)forf;
    l->forfait_months = (int32_t)months;
    l->divisor = (int32_t)div;
    l->youth_rounding = (int32_t)youth_round;
    return 0;
}

static const struct kind kinds[] = {
    {"wml.tsv", sizeof(struct rules_wml), parse_wml, offsetof(struct rules, wml),
     offsetof(struct rules, n_wml), offsetof(struct rules_source, wml)},
    {"wml_youth.tsv", sizeof(struct rules_youth), parse_youth, offsetof(struct rules, youth),
     offsetof(struct rules, n_youth), offsetof(struct rules_source, youth)},
    {"allowance.tsv", sizeof(struct rules_allowance), parse_allowance,
     offsetof(struct rules, allowance), offsetof(struct rules, n_allowance),
     offsetof(struct rules_source, allowance)},
    {"lks.tsv", sizeof(struct rules_lks), parse_lks, offsetof(struct rules, lks),
     offsetof(struct rules, n_lks), offsetof(struct rules_source, lks)},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* Every row type starts with its `from` date. */
static lks_date row_from(const void *row)
{
    lks_date d;
    memcpy(&d, row, sizeof d);
    return d;
}

/*
 * Parse `text` as table k and merge it into (rows, *n): rows with a new date are
 * inserted, rows with an existing date replace it. Works on a copy; the
 * destination changes only when everything is valid.
 */
static int merge_table(const struct kind *k, char *text, const char *name, char *rows, int *n,
                       struct lks_err *err)
{
    struct tsv t;
    int rc = tsv_open(&t, text, name, err);
    if (rc)
        return rc;
    char *out = malloc(RULES_MAX_ROWS * k->row_size);
    char *row = malloc(k->row_size);
    if (!out || !row) {
        free(out);
        free(row);
        return lks_err_set(err, LKS_ENOMEM, name, "no-memory", "onvoldoende geheugen");
    }
    int m = *n;
    memcpy(out, rows, (size_t)m * k->row_size);
    lks_date prev = INT32_MIN;
    while ((rc = tsv_next(&t, err)) == 1) {
        if ((rc = k->parse(&t, row, err)) != 0)
            break;
        lks_date f = row_from(row);
        if (f <= prev) {
            rc = cell_err(&t, "from", err, "datums moeten oplopen");
            break;
        }
        prev = f;
        int i = 0;
        while (i < m && row_from(out + (size_t)i * k->row_size) < f)
            i++;
        if (i < m && row_from(out + (size_t)i * k->row_size) == f) {
            memcpy(out + (size_t)i * k->row_size, row, k->row_size);
            continue;
        }
        if (m == RULES_MAX_ROWS) {
            rc = cell_err(&t, "from", err, "te veel regels");
            break;
        }
        memmove(out + (size_t)(i + 1) * k->row_size, out + (size_t)i * k->row_size,
                (size_t)(m - i) * k->row_size);
        memcpy(out + (size_t)i * k->row_size, row, k->row_size);
        m++;
    }
    if (rc == 0 && m == 0)
        rc = lks_err_set(err, LKS_EINVAL, name, "empty", "%s: de tabel heeft geen regels", name);
    if (rc == 0) {
        memcpy(rows, out, (size_t)m * k->row_size);
        *n = m;
    }
    free(out);
    free(row);
    return rc < 0 ? rc : 0;
}

static int find_row(const char *rows, size_t size, int n, lks_date t);

/* The periods: every date on which some table changes, from the first date on which
 * all tables have a row. */
static void build_periods(struct rules *r)
{
    lks_date start = r->wml[0].from;
    if (r->youth[0].from > start)
        start = r->youth[0].from;
    if (r->allowance[0].from > start)
        start = r->allowance[0].from;
    if (r->lks[0].from > start)
        start = r->lks[0].from;
    lks_date cand[4 * RULES_MAX_ROWS];
    int nc = 0;
    cand[nc++] = start;
    for (int i = 0; i < r->n_wml; i++)
        cand[nc++] = r->wml[i].from;
    for (int i = 0; i < r->n_youth; i++)
        cand[nc++] = r->youth[i].from;
    for (int i = 0; i < r->n_allowance; i++)
        cand[nc++] = r->allowance[i].from;
    for (int i = 0; i < r->n_lks; i++)
        cand[nc++] = r->lks[i].from;
    r->n_period = 0;
    lks_date prev = INT32_MIN;
    for (;;) {
        lks_date next = INT32_MAX; /* smallest candidate above prev, not before start */
        for (int i = 0; i < nc; i++)
            if (cand[i] > prev && cand[i] >= start && cand[i] < next)
                next = cand[i];
        if (next == INT32_MAX)
            break;
        struct rules_period *p = &r->period[r->n_period++];
        p->from = next;
        p->wml = (int16_t)find_row((const char *)r->wml, sizeof r->wml[0], r->n_wml, next);
        p->youth = (int16_t)find_row((const char *)r->youth, sizeof r->youth[0], r->n_youth, next);
        p->allowance = (int16_t)find_row((const char *)r->allowance, sizeof r->allowance[0],
                                         r->n_allowance, next);
        p->lks = (int16_t)find_row((const char *)r->lks, sizeof r->lks[0], r->n_lks, next);
        prev = next;
    }
    /* Direct index by day, when the span fits and every period index fits a byte. */
    r->n_days = 0;
    lks_date first = r->period[0].from;
    lks_date last = r->wml[r->n_wml - 1].from + 366; /* beyond any until (end of half-year) */
    if (r->n_period > 0 && r->n_period <= 255 && last - first < RULES_MAX_DAYS) {
        int k = 0;
        for (lks_date t = first; t < last; t++) {
            while (k + 1 < r->n_period && r->period[k + 1].from <= t)
                k++;
            r->day_period[t - first] = (uint8_t)k;
        }
        r->n_days = last - first;
    }
}

/* The WML table's last row holds until the end of its half-year. */
static void set_until(struct rules *r)
{
    build_periods(r);
    int y, m, d;
    date_to_ymd(r->wml[r->n_wml - 1].from, &y, &m, &d);
    r->until = m <= 6 ? date_from_ymd(y, 6, 30) : date_from_ymd(y, 12, 31);
}

int rules_load_builtin(struct rules *r, struct lks_err *err)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < NKINDS; i++) {
        const struct kind *k = &kinds[i];
        const struct rules_embedded_file *f = rules_embedded;
        while (f->name && strcmp(f->name, k->file) != 0)
            f++;
        if (!f->name)
            return lks_err_set(err, LKS_EINVAL, k->file, "missing", "ingebouwde tabel %s ontbreekt",
                               k->file);
        char *copy = strdup(f->text);
        if (!copy)
            return lks_err_set(err, LKS_ENOMEM, k->file, "no-memory", "onvoldoende geheugen");
        int rc = merge_table(k, copy, k->file, (char *)r + k->rows_off,
                             (int *)((char *)r + k->count_off), err);
        free(copy);
        if (rc)
            return rc;
        snprintf((char *)&r->source + k->source_off, 160, "ingebouwd (rules/%s)", k->file);
    }
    set_until(r);
    return 0;
}

int rules_load_override(struct rules *r, const char *dir, struct lks_err *err)
{
    struct rules *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return lks_err_set(err, LKS_ENOMEM, "regels", "no-memory", "onvoldoende geheugen");
    *tmp = *r;
    int rc = 0;
    for (size_t i = 0; i < NKINDS && rc == 0; i++) {
        const struct kind *k = &kinds[i];
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, k->file);
        FILE *probe = fopen(path, "rb");
        if (!probe)
            continue;
        fclose(probe);
        char *text = tsv_slurp(path, FILE_MAX_BYTES, err);
        if (!text) {
            rc = LKS_EIO;
            break;
        }
        rc = merge_table(k, text, path, (char *)tmp + k->rows_off,
                         (int *)((char *)tmp + k->count_off), err);
        free(text);
        if (rc == 0) {
            char *src = (char *)&tmp->source + k->source_off;
            snprintf(src, 160, "ingebouwd + %.130s", path);
        }
    }
    if (rc == 0) {
        set_until(tmp);
        *r = *tmp;
    }
    free(tmp);
    return rc;
}

int rules_load(struct rules *r, const char *dir, struct lks_err *err)
{
    int rc = rules_load_builtin(r, err);
    if (rc)
        return rc;
    if (!dir || !*dir)
        dir = getenv("LKS_REGELS");
    if (dir && *dir)
        return rules_load_override(r, dir, err);
    return 0;
}

/* Index of the last row with from <= t, or -1. Rows are ascending. */
static int find_row(const char *rows, size_t size, int n, lks_date t)
{
    int lo = 0, hi = n - 1, ans = -1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (row_from(rows + (size_t)mid * size) <= t) {
            ans = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    return ans;
}

static const void *lookup(const struct rules *r, const char *rows, size_t size, int n, lks_date t,
                          const char *what, struct lks_err *err)
{
    int i = t > r->until ? -1 : find_row(rows, size, n, t);
    if (i < 0) {
        char a[DATE_FMT_MAX], b[DATE_FMT_MAX], c[DATE_FMT_MAX];
        lks_err_set(err, LKS_ERANGE, "peildatum", "outside-rules",
                    "%s valt buiten de regeltabel %s (%s t/m %s); een beheerder kan "
                    "een nieuwe regel toevoegen",
                    date_fmt(a, t), what, date_fmt(b, row_from(rows)), date_fmt(c, r->until));
        return NULL;
    }
    return rows + (size_t)i * size;
}

const struct rules_wml *rules_wml_at(const struct rules *r, lks_date t, struct lks_err *err)
{
    return lookup(r, (const char *)r->wml, sizeof r->wml[0], r->n_wml, t, "minimumloon", err);
}

const struct rules_youth *rules_youth_at(const struct rules *r, lks_date t, struct lks_err *err)
{
    return lookup(r, (const char *)r->youth, sizeof r->youth[0], r->n_youth, t,
                  "jeugdminimumloon", err);
}

const struct rules_allowance *rules_allowance_at(const struct rules *r, lks_date t,
                                                 struct lks_err *err)
{
    return lookup(r, (const char *)r->allowance, sizeof r->allowance[0], r->n_allowance, t,
                  "werkgeverslasten", err);
}

const struct rules_period *rules_period_at(const struct rules *r, lks_date t,
                                           struct lks_err *err)
{
    uint32_t off = (uint32_t)(t - r->period[0].from);
    if (off < (uint32_t)r->n_days && t <= r->until)
        return &r->period[r->day_period[off]];
    return lookup(r, (const char *)r->period, sizeof r->period[0], r->n_period, t, "loonkostensubsidie",
                  err);
}

const struct rules_lks *rules_lks_at(const struct rules *r, lks_date t, struct lks_err *err)
{
    return lookup(r, (const char *)r->lks, sizeof r->lks[0], r->n_lks, t, "loonkostensubsidie",
                  err);
}

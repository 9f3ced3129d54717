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
    const char *name; /* rules_table_name */
    const char *file;
    size_t row_size;
    row_parser parse;
    size_t rows_off, count_off, source_off;
};

/* Every struct tsv the parsers see is the first member of a reader (merge_table), which
 * says whether the text is a file or a row given as data. */
struct reader {
    struct tsv t;
    bool data;
};

static bool data_row(const struct tsv *t)
{
    return ((const struct reader *)(const void *)t)->data;
}

/* Messages about a table cell name the file, line and column; for a row given as data
 * the field is the input it came from ("vanaf", "waarden.<column>"). */
static int cell_err(struct tsv *t, const char *col, struct lks_err *err, const char *what)
{
    char field[64];
    if (data_row(t)) {
        if (strcmp(col, "from") == 0)
            return lks_err_set(err, LKS_EINVAL, "vanaf", "bad-cell", "%s", what);
        snprintf(field, sizeof field, "waarden.%s", col);
        return lks_err_set(err, LKS_EINVAL, field, "bad-cell", "kolom '%s': %s", col, what);
    }
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
    if (!*s)
        return cell_err(t, col, err, "ontbreekt");
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
    {"wml", "wml.tsv", sizeof(struct rules_wml), parse_wml, offsetof(struct rules, wml),
     offsetof(struct rules, n_wml), offsetof(struct rules_source, wml)},
    {"wml_youth", "wml_youth.tsv", sizeof(struct rules_youth), parse_youth, offsetof(struct rules, youth),
     offsetof(struct rules, n_youth), offsetof(struct rules_source, youth)},
    {"allowance", "allowance.tsv", sizeof(struct rules_allowance), parse_allowance,
     offsetof(struct rules, allowance), offsetof(struct rules, n_allowance),
     offsetof(struct rules_source, allowance)},
    {"lks", "lks.tsv", sizeof(struct rules_lks), parse_lks, offsetof(struct rules, lks),
     offsetof(struct rules, n_lks), offsetof(struct rules_source, lks)},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])
_Static_assert(NKINDS == RULES_NTABLES, "one kind per table, in enum rules_table order");

/* Every row type starts with its `from` date. */
static lks_date row_from(const void *row)
{
    lks_date d;
    memcpy(&d, row, sizeof d);
    return d;
}

/*
 * Parse `text` as table k and merge it into (rows, *n), with the origin of each row
 * beside it in org: rows with a new date are inserted, rows with an existing date
 * replace it; each row it brings gets origin `add`. `data`: the text is a row given
 * as data (errors name the input, not a file line). Works on a copy; the destination
 * changes only when everything is valid.
 */
static int merge_table(const struct kind *k, char *text, const char *name, bool data, char *rows,
                       struct rules_origin *org, int *n, struct rules_origin add,
                       struct lks_err *err)
{
    struct reader rd;
    struct tsv *t = &rd.t;
    int rc = tsv_open(t, text, name, err);
    rd.data = data;
    if (rc)
        return rc;
    char *out = malloc(RULES_MAX_ROWS * k->row_size);
    char *row = malloc(k->row_size);
    if (!out || !row) {
        free(out);
        free(row);
        return lks_err_set(err, LKS_ENOMEM, name, "no-memory", "onvoldoende geheugen");
    }
    struct rules_origin out_org[RULES_MAX_ROWS];
    int m = *n;
    memcpy(out, rows, (size_t)m * k->row_size);
    memcpy(out_org, org, (size_t)m * sizeof out_org[0]);
    lks_date prev = INT32_MIN;
    while ((rc = tsv_next(t, err)) == 1) {
        if ((rc = k->parse(t, row, err)) != 0)
            break;
        lks_date f = row_from(row);
        if (f <= prev) {
            rc = cell_err(t, "from", err, "datums moeten oplopen");
            break;
        }
        prev = f;
        int i = 0;
        while (i < m && row_from(out + (size_t)i * k->row_size) < f)
            i++;
        if (i < m && row_from(out + (size_t)i * k->row_size) == f) {
            memcpy(out + (size_t)i * k->row_size, row, k->row_size);
            out_org[i] = add;
            continue;
        }
        if (m == RULES_MAX_ROWS) {
            rc = cell_err(t, "from", err, "te veel regels");
            break;
        }
        memmove(out + (size_t)(i + 1) * k->row_size, out + (size_t)i * k->row_size,
                (size_t)(m - i) * k->row_size);
        memmove(&out_org[i + 1], &out_org[i], (size_t)(m - i) * sizeof out_org[0]);
        memcpy(out + (size_t)i * k->row_size, row, k->row_size);
        out_org[i] = add;
        m++;
    }
    if (rc == 0 && m == 0)
        rc = lks_err_set(err, LKS_EINVAL, name, "empty", "%s: de tabel heeft geen regels", name);
    if (rc == 0) {
        memcpy(rows, out, (size_t)m * k->row_size);
        memcpy(org, out_org, (size_t)m * sizeof out_org[0]);
        *n = m;
    }
    free(out);
    free(row);
    return rc < 0 ? rc : 0;
}

/* src into dst (cap bytes with the NUL), cut at a character boundary when too long. */
static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The comment lines of a table's text (where its figures come from), without '#', joined by
 * spaces; cut at a character boundary when longer than the note. */
static void file_note(const char *text, char *note, size_t cap)
{
    size_t n = 0;
    note[0] = '\0';
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len > 0 && p[0] == '#') {
            const char *s = p + 1;
            size_t sl = len - 1;
            while (sl > 0 && (*s == ' ' || *s == '\t')) {
                s++;
                sl--;
            }
            while (sl > 0 && (s[sl - 1] == '\r' || s[sl - 1] == ' ' || s[sl - 1] == '\t'))
                sl--;
            if (sl > 0 && n > 0 && n + 1 < cap)
                note[n++] = ' ';
            size_t k = sl < cap - 1 - n ? sl : cap - 1 - n;
            if (k < sl)
                while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
                    k--;
            memcpy(note + n, s, k);
            n += k;
            note[n] = '\0';
        }
        p += len;
        if (*p == '\n')
            p++;
    }
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
    lks_date cand[4 * RULES_MAX_ROWS + 1];
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

/* The last day of the half-year of t. */
static lks_date half_year_end(lks_date t)
{
    int y, m, d;
    date_to_ymd(t, &y, &m, &d);
    return m <= 6 ? date_from_ymd(y, 6, 30) : date_from_ymd(y, 12, 31);
}

/*
 * The checks of the tables as a whole, then the periods and the end of coverage. The
 * minimum wage changes every half-year (WML art. 14), and the last row holds to the end
 * of its half-year: so a row that holds longer than its half-year means one is missing
 * (a row for 2027-01-01 after 2026-01-01 would silently stretch 2026's figures over
 * 2026-07). `field`: what an error names (the file, or "vanaf" for rows given as data).
 */
static int finish(struct rules *r, const char *field, struct lks_err *err)
{
    for (int i = 1; i < r->n_wml; i++) {
        lks_date end = half_year_end(r->wml[i - 1].from);
        if (r->wml[i].from > end + 1) {
            char a[DATE_FMT_MAX], b[DATE_FMT_MAX], c[DATE_FMT_MAX], d[DATE_FMT_MAX];
            return lks_err_set(err, LKS_EINVAL, field, "gap",
                               "in de tabel minimumloon volgt op de regel vanaf %s (geldig tot "
                               "en met %s) pas een regel vanaf %s: de regel vanaf %s ontbreekt",
                               date_fmt(a, r->wml[i - 1].from), date_fmt(b, end),
                               date_fmt(c, r->wml[i].from), date_fmt(d, end + 1));
        }
    }
    build_periods(r);
    r->until = half_year_end(r->wml[r->n_wml - 1].from);
    return 0;
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
        struct rules_origin builtin = {RULES_FROM_BUILTIN, 0};
        int rc = merge_table(k, copy, k->file, false, (char *)r + k->rows_off, r->origin.row[i],
                             (int *)((char *)r + k->count_off), builtin, err);
        free(copy);
        if (rc)
            return rc;
        snprintf((char *)&r->source + k->source_off, 160, "ingebouwd (rules/%s)", k->file);
        struct rules_file *bf = &r->origin.builtin[i];
        snprintf(bf->path, sizeof bf->path, "rules/%s", k->file);
        file_note(f->text, bf->note, sizeof bf->note);
    }
    return finish(r, "wml.tsv", err);
}

int rules_load_override(struct rules *r, const char *dir, struct lks_err *err)
{
    struct rules *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return lks_err_set(err, LKS_ENOMEM, "regels", "no-memory", "onvoldoende geheugen");
    *tmp = *r;
    int rc = 0;
    char wml_path[4096] = "wml.tsv";
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
        struct rules_origin dir_origin = {RULES_FROM_DIR, 0};
        struct rules_file *df = &tmp->origin.dir[i];
        file_note(text, df->note, sizeof df->note);
        rc = merge_table(k, text, path, false, (char *)tmp + k->rows_off, tmp->origin.row[i],
                         (int *)((char *)tmp + k->count_off), dir_origin, err);
        free(text);
        if (rc == 0) {
            char *src = (char *)&tmp->source + k->source_off;
            snprintf(src, 160, "ingebouwd + %.130s", path);
            copy_text(df->path, sizeof df->path, path);
            if (i == RULES_WML)
                snprintf(wml_path, sizeof wml_path, "%s", path);
        }
    }
    if (rc == 0)
        rc = finish(tmp, wml_path, err);
    if (rc == 0)
        *r = *tmp;
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

/* ---- rows given as data ---- */

const char *rules_table_name(int table)
{
    return table >= 0 && table < RULES_NTABLES ? kinds[table].name : NULL;
}

int rules_table_parse(const char *name)
{
    for (int i = 0; name && i < RULES_NTABLES; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return i;
    return -1;
}

int rules_table_rows(const struct rules *r, int table)
{
    if (table < 0 || table >= RULES_NTABLES)
        return 0;
    int n;
    memcpy(&n, (const char *)r + kinds[table].count_off, sizeof n);
    return n;
}

const struct rules_origin *rules_row_origin(const struct rules *r, int table, int i)
{
    if (i < 0 || i >= rules_table_rows(r, table))
        return NULL;
    return &r->origin.row[table][i];
}

lks_date rules_row_from(const struct rules *r, int table, int i)
{
    if (i < 0 || i >= rules_table_rows(r, table))
        return INT32_MIN;
    return row_from((const char *)r + kinds[table].rows_off + (size_t)i * kinds[table].row_size);
}

/* A text of an operator: present (not only spaces), shorter than cap, no control characters. */
static int text_check(const char *s, size_t cap, const char *field, const char *what,
                      struct lks_err *err)
{
    size_t n = s ? strlen(s) : 0, spaces = 0;
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return lks_err_set(err, LKS_EINVAL, field, "bad-text",
                               "mag geen tab, regeleinde of ander stuurteken bevatten");
        spaces += s[i] == ' ';
    }
    if (spaces == n)
        return lks_err_set(err, LKS_EINVAL, field, "required", "is verplicht: %s", what);
    if (n >= cap)
        return lks_err_set(err, LKS_EINVAL, field, "too-long", "is te lang (ten hoogste %zu bytes)",
                           cap - 1);
    return 0;
}

#define ROW_TEXT_MAX (2 * TSV_MAX_COLS * (RULES_CELL_MAX + 1) + 64)

/* a then b after text[0..n) of a ROW_TEXT_MAX buffer; the new length, never past its end */
static size_t append(char *text, size_t n, const char *a, const char *b)
{
    int k = snprintf(text + n, ROW_TEXT_MAX - n, "%s%s", a, b);
    if (k < 0 || (size_t)k >= ROW_TEXT_MAX - n)
        return ROW_TEXT_MAX - 1;
    return n + (size_t)k;
}

/*
 * One row given as data into tmp: as the header of its built-in file (without the
 * comments) and one line under it, so that merge_table parses and checks it as it does
 * a line of the file. A column the table does not have is refused, one it has but the
 * row lacks is an empty cell (which the column's check accepts or refuses, as in a file).
 */
static int merge_row(struct rules *tmp, const struct rules_row_in *in, struct lks_err *err)
{
    int ti = rules_table_parse(in->table);
    if (ti < 0)
        return lks_err_set(err, LKS_EINVAL, "tabel", "unknown-table",
                           "'%s' is geen regeltabel (kies wml, wml_youth, allowance of lks)",
                           in->table ? in->table : "");
    const struct kind *k = &kinds[ti];
    if (in->from == INT32_MIN)
        return lks_err_set(err, LKS_EINVAL, "vanaf", "required",
                           "is verplicht: de datum vanaf wanneer de regel geldt");
    int rc = text_check(in->source, RULES_SOURCE_MAX, "bron",
                        "de vindplaats van de bedragen, bijvoorbeeld 'Stcrt. 2026, nr. 12345'", err);
    if (rc == 0)
        rc = text_check(in->user, RULES_USER_MAX, "gebruiker", "wie de regel toevoegt", err);
    if (rc)
        return rc;
    if (tmp->origin.n_stored == RULES_MAX_STORED)
        return lks_err_set(err, LKS_EINVAL, "tabel", "too-many",
                           "er kunnen niet meer dan %d regels als gegevens worden toegevoegd",
                           RULES_MAX_STORED);

    /* the columns: the built-in file's header */
    const struct rules_embedded_file *f = rules_embedded;
    while (f->name && strcmp(f->name, k->file) != 0)
        f++;
    char *copy = f->name ? strdup(f->text) : NULL;
    char *text = malloc(ROW_TEXT_MAX);
    if (!copy || !text) {
        free(copy);
        free(text);
        return lks_err_set(err, LKS_ENOMEM, "tabel", "no-memory", "onvoldoende geheugen");
    }
    struct tsv head;
    rc = tsv_open(&head, copy, k->file, err);
    char cols[160] = ""; /* for messages: "month, hour, full_age" */
    for (int c = 0; rc == 0 && c < head.ncols; c++) {
        size_t l = strlen(cols);
        if (strcmp(head.head[c], "from") != 0)
            snprintf(cols + l, sizeof cols - l, "%s%s", l ? ", " : "", head.head[c]);
    }
    for (int i = 0; rc == 0 && i < in->ncells; i++) {
        const struct rules_cell *cell = &in->cells[i];
        char field[64];
        snprintf(field, sizeof field, "waarden.%.50s", cell->col ? cell->col : "");
        bool known = cell->col && strcmp(cell->col, "from") != 0 && tsv_col(&head, cell->col) >= 0;
        if (!known)
            rc = lks_err_set(err, LKS_EINVAL, field, "unknown-column",
                             "kolom '%.50s' bestaat niet in de tabel %s (kolommen: %s; de datum "
                             "is vanaf)",
                             cell->col ? cell->col : "", k->name, cols);
        for (int j = 0; rc == 0 && j < i; j++)
            if (strcmp(in->cells[j].col, cell->col) == 0)
                rc = lks_err_set(err, LKS_EINVAL, field, "duplicate-column",
                                 "kolom '%s' staat er meer dan eens in", cell->col);
        const char *v = cell->val ? cell->val : "";
        if (rc == 0 && strlen(v) >= RULES_CELL_MAX)
            rc = lks_err_set(err, LKS_EINVAL, field, "too-long",
                             "kolom '%s': te lang (ten hoogste %d tekens)", cell->col,
                             RULES_CELL_MAX - 1);
        if (rc == 0 && strpbrk(v, "\t\r\n"))
            rc = lks_err_set(err, LKS_EINVAL, field, "bad-text",
                             "kolom '%s': mag geen tab of regeleinde bevatten", cell->col);
    }
    if (rc == 0) {
        /* header, then the row in the header's order (the cells are bounded above, so the
         * text fits; appending stops at the end of the buffer all the same) */
        size_t n = 0;
        char d[DATE_FMT_MAX];
        for (int c = 0; c < head.ncols; c++)
            n = append(text, n, c ? "\t" : "", head.head[c]);
        n = append(text, n, "\n", "");
        for (int c = 0; c < head.ncols; c++) {
            const char *v = "";
            if (strcmp(head.head[c], "from") == 0)
                v = date_fmt(d, in->from);
            for (int i = 0; i < in->ncells; i++)
                if (strcmp(in->cells[i].col, head.head[c]) == 0)
                    v = in->cells[i].val ? in->cells[i].val : "";
            n = append(text, n, c ? "\t" : "", v);
        }
        append(text, n, "\n", "");
        struct rules_origin stored = {RULES_FROM_STORE, (uint8_t)tmp->origin.n_stored};
        rc = merge_table(k, text, k->name, true, (char *)tmp + k->rows_off, tmp->origin.row[ti],
                         (int *)((char *)tmp + k->count_off), stored, err);
    }
    if (rc == 0) {
        struct rules_stored *s = &tmp->origin.stored[tmp->origin.n_stored++];
        s->id = in->id;
        s->at = in->at;
        snprintf(s->source, sizeof s->source, "%s", in->source);
        snprintf(s->user, sizeof s->user, "%s", in->user);
        char *src = (char *)&tmp->source + k->source_off;
        size_t len = strlen(src);
        if (!strstr(src, " + opslag") && len + 10 < 160)
            snprintf(src + len, 160 - len, " + opslag");
    }
    free(copy);
    free(text);
    return rc;
}

int rules_merge_rows(struct rules *r, const struct rules_row_in *rows, int n, struct lks_err *err)
{
    struct rules *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return lks_err_set(err, LKS_ENOMEM, "regels", "no-memory", "onvoldoende geheugen");
    *tmp = *r;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = merge_row(tmp, &rows[i], err);
    if (rc == 0)
        rc = finish(tmp, "vanaf", err);
    if (rc == 0)
        *r = *tmp;
    free(tmp);
    return rc;
}

bool rules_ends_soon(const struct rules *r, lks_date today)
{
    return r->until <= date_add_days(today, RULES_WARN_DAYS);
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
                    "%s valt buiten de regeltabel %s (%s t/m %s); een applicatiebeheerder "
                    "kan de regel toevoegen (lks regels toevoegen)",
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

/*
 * fuzz_form — the form decoder (src/web/form.h) under arbitrary bytes.
 *
 * Each input is decoded as application/x-www-form-urlencoded, as multipart/form-data
 * with the fixed boundary FUZZ_BOUNDARY, and, when it has a first line of at most 200
 * bytes, as multipart with that line as the Content-Type and the rest as the body. A
 * decoded form goes through form_to_json and form_values. fuzz_form_one checks what
 * form.h promises: a form within every limit, names and text values valid UTF-8 (by
 * jansson's own check) without NUL or CR, a file's length right, a refused input with no
 * partial form and an error that names a field in valid UTF-8; JSON only without errors.
 * It returns 0, or 1 after printing what broke.
 *
 * Builds:
 *   libFuzzer:  clang -std=c17 -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined \
 *                 tests/fuzz/fuzz_form.c src/web/form.c src/base/err.c -ljansson -o build/fuzz_form
 *   a driver:   cc -DFUZZ_MAIN -std=c17 -D_GNU_SOURCE -Isrc tests/fuzz/fuzz_form.c \
 *                 src/web/form.c src/base/err.c -ljansson -o build/fuzz_form
 *               (reads each file named, or standard input, and exits 1 on a broken promise)
 * tests/unit/test_form.c includes this file and runs it over 50,000 generated inputs.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"

#define FUZZ_BOUNDARY "XyZ"
#define FUZZ_CT       "multipart/form-data; boundary=" FUZZ_BOUNDARY

int fuzz_form_one(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BROKEN(...)                                                                                \
    do {                                                                                           \
        fprintf(stderr, "fuzz_form: " __VA_ARGS__);                                                \
        fputc('\n', stderr);                                                                       \
        return 1;                                                                                  \
    } while (0)

static int fuzz_valid_text(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n); /* NULL for invalid UTF-8 */
    int ok = j != NULL;
    json_decref(j);
    return ok;
}

static int fuzz_check_err(const struct lks_err *e, const char *what)
{
    if (e->code == 0 || !e->field[0] || !e->reason[0] || !e->msg[0])
        BROKEN("%s: an error without code, field, reason or message", what);
    if (!fuzz_valid_text(e->field, strlen(e->field)) || !fuzz_valid_text(e->msg, strlen(e->msg)))
        BROKEN("%s: an error's field or message is no valid UTF-8", what);
    return 0;
}

static int fuzz_check_form(const struct form *f, const char *what)
{
    if (f->n < 0 || f->n > FORM_MAX_FIELDS)
        BROKEN("%s: %d fields", what, f->n);
    int files = 0;
    for (int i = 0; i < f->n; i++) {
        const struct form_field *ff = &f->f[i];
        size_t nl = strlen(ff->name);
        if (nl == 0 || nl > FORM_MAX_NAME || !fuzz_valid_text(ff->name, nl))
            BROKEN("%s: field %d has a bad name", what, i);
        if (ff->value[ff->len] != '\0')
            BROKEN("%s: field %d is not NUL-terminated at its length", what, i);
        if (ff->filename) {
            files++;
            if (!fuzz_valid_text(ff->filename, strlen(ff->filename)))
                BROKEN("%s: field %d has a bad filename", what, i);
        } else if (strlen(ff->value) != ff->len || ff->len > FORM_MAX_VALUE ||
                   memchr(ff->value, '\r', ff->len) || !fuzz_valid_text(ff->value, ff->len)) {
            BROKEN("%s: field %d has a bad text value", what, i);
        }
        if (form_count(f, ff->name) > FORM_MAX_REPEAT)
            BROKEN("%s: name of field %d repeats too often", what, i);
        if (!form_get(f, ff->name))
            BROKEN("%s: form_get misses field %d", what, i);
    }
    if (files != f->nfiles || files > FORM_MAX_FILES)
        BROKEN("%s: %d files, nfiles %d", what, files, f->nfiles);
    return 0;
}

static int fuzz_to_json(const struct form *f, const char *what)
{
    json_t *j = (json_t *)1;
    struct lks_errlist errs = {0};
    int rc = form_to_json(f, &j, &errs);
    if (rc == 0) {
        if (!json_is_object(j) || errs.n)
            BROKEN("%s: form_to_json gave no object, or errors with it", what);
        char *s = json_dumps(j, JSON_COMPACT);
        if (!s)
            BROKEN("%s: the JSON cannot be written", what);
        free(s);
        json_decref(j);
    } else {
        if (j || errs.n == 0)
            BROKEN("%s: form_to_json failed with a result or without an error", what);
        for (int i = 0; i < errs.n; i++)
            if (fuzz_check_err(&errs.e[i], what))
                return 1;
    }
    json_t *v = form_values(f);
    if (!json_is_object(v))
        BROKEN("%s: form_values gave no object", what);
    json_decref(v);
    return 0;
}

static int fuzz_parsed(int rc, struct form *f, const struct lks_err *err, const char *what)
{
    int bad = 0;
    if (rc == 0)
        bad = fuzz_check_form(f, what) || fuzz_to_json(f, what);
    else if (f->n || f->f || f->mem || f->nfiles)
        bad = 1, fprintf(stderr, "fuzz_form: %s: a refused input left a partial form\n", what);
    else
        bad = fuzz_check_err(err, what);
    form_free(f);
    return bad;
}

int fuzz_form_one(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    struct form f;
    struct lks_err err = {0};
    int rc = form_parse_urlencoded(body, size, &f, &err);
    if (fuzz_parsed(rc, &f, &err, "urlencoded"))
        return 1;
    memset(&err, 0, sizeof err);
    rc = form_parse_multipart(body, size, FUZZ_CT, &f, &err);
    if (fuzz_parsed(rc, &f, &err, "multipart"))
        return 1;
    const char *nl = memchr(body, '\n', size < 201 ? size : 201);
    if (nl) {
        char ct[202];
        size_t cl = (size_t)(nl - body);
        memcpy(ct, body, cl);
        ct[cl] = '\0';
        if (!memchr(body, '\0', cl)) {
            memset(&err, 0, sizeof err);
            rc = form_parse_multipart(nl + 1, size - cl - 1, ct, &f, &err);
            if (fuzz_parsed(rc, &f, &err, "multipart with its Content-Type"))
                return 1;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_form_one(data, size))
        abort();
    return 0;
}

#ifdef FUZZ_MAIN
static int fuzz_file(FILE *in, const char *name)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t r; buf && (r = fread(buf + n, 1, cap - n, in)) > 0;) {
        n += r;
        if (n == cap) {
            uint8_t *nb = cap < (1u << 24) ? realloc(buf, cap * 2) : NULL;
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
    }
    if (!buf) {
        fprintf(stderr, "fuzz_form: out of memory for %s\n", name);
        return 1;
    }
    int rc = fuzz_form_one(buf, n);
    free(buf);
    if (rc)
        fprintf(stderr, "fuzz_form: %s breaks a promise\n", name);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return fuzz_file(stdin, "standard input");
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        FILE *in = fopen(argv[i], "rb");
        if (!in) {
            fprintf(stderr, "fuzz_form: cannot read %s\n", argv[i]);
            bad = 1;
            continue;
        }
        bad |= fuzz_file(in, argv[i]);
        fclose(in);
    }
    return bad;
}
#endif

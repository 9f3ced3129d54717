/*
 * test_jw — the JSON writer: exact compact and pretty output, escaping, the
 * size cap, reuse, nesting limits, and agreement with a real JSON parser
 * (jansson) on what was written.
 */
#include "testutil.h"

#include <jansson.h>

#include "base/date.h"
#include "base/jw.h"
#include "codec/jw_tree.h"

#define BIG (1u << 20)

/* The document used for the exact-output tests, written through the writer. */
static void write_doc(struct jw *w)
{
    jw_obj_open(w);
    jw_kstr(w, "naam", "Jan");
    jw_kint(w, "leeftijd", 42);
    jw_kbool(w, "actief", true);
    jw_key(w, "niets");
    jw_null(w);
    jw_key(w, "lijst");
    jw_arr_open(w);
    jw_int(w, 1);
    jw_arr_open(w);
    jw_int(w, 2);
    jw_int(w, -3);
    jw_arr_close(w);
    jw_obj_open(w);
    jw_kstr(w, "a", "b");
    jw_obj_close(w);
    jw_arr_open(w);
    jw_arr_close(w);
    jw_arr_close(w);
    jw_key(w, "leeg");
    jw_obj_open(w);
    jw_obj_close(w);
    jw_kmoney(w, "bedrag", -5);
    jw_kdate(w, "datum", date_from_ymd(2026, 11, 23));
    jw_obj_close(w);
}

static void test_compact(void **state)
{
    (void)state;
    struct jw w;
    jw_init(&w, BIG, false);
    write_doc(&w);
    assert_false(jw_failed(&w));
    assert_string_equal(w.buf, "{\"naam\":\"Jan\",\"leeftijd\":42,\"actief\":true,\"niets\":null,"
                               "\"lijst\":[1,[2,-3],{\"a\":\"b\"},[]],\"leeg\":{},"
                               "\"bedrag\":\"-0.05\",\"datum\":\"2026-11-23\"}");
    assert_int_equal(w.len, strlen(w.buf));
    assert_int_equal(w.depth, 0);
    jw_free(&w);
    assert_null(w.buf);
}

static void test_pretty(void **state)
{
    (void)state;
    struct jw w;
    jw_init(&w, BIG, true);
    write_doc(&w);
    assert_false(jw_failed(&w));
    assert_string_equal(w.buf, "{\n"
                               "  \"naam\": \"Jan\",\n"
                               "  \"leeftijd\": 42,\n"
                               "  \"actief\": true,\n"
                               "  \"niets\": null,\n"
                               "  \"lijst\": [\n"
                               "    1,\n"
                               "    [\n"
                               "      2,\n"
                               "      -3\n"
                               "    ],\n"
                               "    {\n"
                               "      \"a\": \"b\"\n"
                               "    },\n"
                               "    []\n"
                               "  ],\n"
                               "  \"leeg\": {},\n"
                               "  \"bedrag\": \"-0.05\",\n"
                               "  \"datum\": \"2026-11-23\"\n"
                               "}");
    jw_free(&w);
}

static void test_empty_containers(void **state)
{
    (void)state;
    struct jw w;
    for (int pretty = 0; pretty <= 1; pretty++) {
        jw_init(&w, BIG, pretty);
        jw_obj_open(&w);
        jw_obj_close(&w);
        assert_string_equal(w.buf, "{}");
        jw_reset(&w);
        jw_arr_open(&w);
        jw_arr_close(&w);
        assert_string_equal(w.buf, "[]");
        jw_reset(&w);
        jw_arr_open(&w);
        jw_obj_open(&w);
        jw_obj_close(&w);
        jw_arr_open(&w);
        jw_arr_close(&w);
        jw_arr_close(&w);
        assert_string_equal(w.buf, pretty ? "[\n  {},\n  []\n]" : "[{},[]]");
        assert_false(jw_failed(&w));
        jw_free(&w);
    }
}

/* The JSON text of one string value. */
static void expect_str(const char *s, size_t n, const char *want)
{
    struct jw w;
    jw_init(&w, BIG, false);
    jw_strn(&w, s, n);
    assert_false(jw_failed(&w));
    assert_string_equal(w.buf, want);
    jw_free(&w);
}

static void test_escaping(void **state)
{
    (void)state;
    expect_str("", 0, "\"\"");
    expect_str("a\"b", 3, "\"a\\\"b\"");
    expect_str("a\\b", 3, "\"a\\\\b\"");
    expect_str("a\nb", 3, "\"a\\nb\"");
    expect_str("a\tb", 3, "\"a\\tb\"");
    expect_str("a\rb", 3, "\"a\\rb\"");
    expect_str("\x01", 1, "\"\\u0001\"");
    expect_str("\x1f", 1, "\"\\u001f\"");
    expect_str("\x08\x0c", 2, "\"\\u0008\\u000c\"");
    expect_str("x\x7fy", 3, "\"x\\u007fy\"");
    expect_str("a\0b", 3, "\"a\\u0000b\""); /* jw_strn takes the bytes as given */
    expect_str("€", strlen("€"), "\"€\"");
    expect_str("continuïteit — “ok”", strlen("continuïteit — “ok”"), "\"continuïteit — “ok”\"");
    expect_str("/<script>", 9, "\"/<script>\"");
    expect_str("\"\"\\\\", 4, "\"\\\"\\\"\\\\\\\\\"");
    expect_str("\n", 1, "\"\\n\"");
    /* Only the first n bytes are taken. */
    expect_str("abcdef", 3, "\"abc\"");
    /* Every byte, alone and between plain text (the fast path copies runs up to the first
     * byte to escape), against the rule written out. */
    for (int c = 0; c < 256; c++) {
        char in[3] = {'a', (char)c, 'b'}, rep[8], want[16];
        if (c == '"' || c == '\\')
            snprintf(rep, sizeof rep, "\\%c", c);
        else if (c == '\n' || c == '\r' || c == '\t')
            snprintf(rep, sizeof rep, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        else if (c < 0x20 || c == 0x7f)
            snprintf(rep, sizeof rep, "\\u%04x", c);
        else
            snprintf(rep, sizeof rep, "%c", c);
        snprintf(want, sizeof want, "\"a%sb\"", rep);
        expect_str(in, 3, want);
        snprintf(want, sizeof want, "\"%s\"", rep);
        expect_str(in + 1, 1, want);
    }

    /* Keys are escaped the same way, and jw_str(NULL) is null. */
    struct jw w;
    jw_init(&w, BIG, false);
    jw_obj_open(&w);
    jw_kstr(&w, "k\"e\ny", "v\x01");
    jw_kstr(&w, "n", NULL);
    jw_obj_close(&w);
    assert_string_equal(w.buf, "{\"k\\\"e\\ny\":\"v\\u0001\",\"n\":null}");
    jw_free(&w);
}

static void test_scalars(void **state)
{
    (void)state;
    struct jw w;
    jw_init(&w, BIG, false);
    jw_arr_open(&w);
    jw_int(&w, 0);
    jw_int(&w, -1);
    jw_int(&w, INT64_MAX);
    jw_int(&w, INT64_MIN);
    jw_bool(&w, false);
    jw_money(&w, -5);
    jw_money(&w, 0);
    jw_money(&w, 122411);
    jw_money(&w, -100);
    jw_date(&w, 0);
    jw_date(&w, date_from_ymd(2024, 2, 29));
    jw_date(&w, date_from_ymd(1900, 1, 1));
    jw_arr_close(&w);
    assert_false(jw_failed(&w));
    assert_string_equal(w.buf, "[0,-1,9223372036854775807,-9223372036854775808,false,"
                               "\"-0.05\",\"0.00\",\"1224.11\",\"-1.00\",\"1970-01-01\","
                               "\"2024-02-29\",\"1900-01-01\"]");
    jw_free(&w);
}

static void test_raw(void **state)
{
    (void)state;
    struct jw w;
    jw_init(&w, BIG, false);
    jw_raw(&w, "{\"x\":1}", 7);
    assert_string_equal(w.buf, "{\"x\":1}");
    assert_int_equal(w.len, 7);
    jw_free(&w);
}

static void test_max_cap(void **state)
{
    (void)state;
    struct jw w;
    /* Exactly 16 bytes fit in a cap of 16. */
    jw_init(&w, 16, false);
    jw_str(&w, "12345678901234"); /* 14 + 2 quotes */
    assert_false(jw_failed(&w));
    assert_int_equal(w.len, 16);
    assert_string_equal(w.buf, "\"12345678901234\"");
    /* One byte more does not, and the writer stays failed. */
    jw_raw(&w, "x", 1);
    assert_true(jw_failed(&w));
    assert_true(w.len <= 16);
    jw_int(&w, 1);
    jw_str(&w, "");
    assert_true(jw_failed(&w));
    assert_true(w.len <= 16);
    jw_free(&w);

    /* A long string in one go. */
    jw_init(&w, 16, false);
    jw_obj_open(&w);
    jw_kstr(&w, "omschrijving", "een tekst die veel langer is dan zestien bytes");
    jw_obj_close(&w);
    assert_true(jw_failed(&w));
    assert_true(w.len <= 16);
    if (w.buf)
        assert_int_equal(strlen(w.buf), w.len);
    jw_free(&w);

    /* A long string as the very first write. */
    jw_init(&w, 16, true);
    char big[5000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    jw_str(&w, big);
    assert_true(jw_failed(&w));
    assert_true(w.len <= 16);
    jw_free(&w);

    /* A large cap grows the buffer well past its first size. */
    jw_init(&w, BIG, false);
    jw_str(&w, big);
    assert_false(jw_failed(&w));
    assert_int_equal(w.len, sizeof big + 1);
    assert_true(w.cap >= w.len + 1);
    jw_free(&w);
}

static void test_reset(void **state)
{
    (void)state;
    struct jw w;
    jw_init(&w, BIG, false);
    jw_obj_open(&w);
    jw_kint(&w, "a", 1);
    jw_key(&w, "b");
    jw_arr_open(&w); /* left open on purpose */
    char *buf = w.buf;
    size_t cap = w.cap;
    jw_reset(&w);
    assert_int_equal(w.len, 0);
    assert_string_equal(w.buf, "");
    jw_arr_open(&w);
    jw_int(&w, 2);
    jw_arr_close(&w);
    assert_false(jw_failed(&w));
    assert_string_equal(w.buf, "[2]"); /* no comma, no leftover nesting */
    assert_ptr_equal(w.buf, buf);      /* the memory was kept */
    assert_int_equal(w.cap, cap);
    jw_free(&w);

    /* Reset clears a failure. */
    jw_init(&w, 8, false);
    jw_str(&w, "far too long for eight");
    assert_true(jw_failed(&w));
    jw_reset(&w);
    assert_false(jw_failed(&w));
    jw_int(&w, 7);
    assert_false(jw_failed(&w));
    assert_string_equal(w.buf, "7");
    jw_free(&w);

    /* Reset on a writer that never allocated. */
    jw_init(&w, 8, false);
    jw_reset(&w);
    assert_false(jw_failed(&w));
    jw_free(&w);
}

static void test_depth(void **state)
{
    (void)state;
    struct jw w;
    const int ok = JW_MAX_DEPTH - 1; /* depth 0 is the top level */
    jw_init(&w, BIG, false);
    for (int i = 0; i < ok; i++)
        jw_arr_open(&w);
    assert_false(jw_failed(&w));
    for (int i = 0; i < ok; i++)
        jw_arr_close(&w);
    assert_false(jw_failed(&w));
    assert_int_equal(w.len, 2 * (size_t)ok);
    for (int i = 0; i < ok; i++) {
        assert_int_equal(w.buf[i], '[');
        assert_int_equal(w.buf[ok + i], ']');
    }
    jw_free(&w);

    /* One deeper fails, and so does far deeper (mixed objects and arrays), cleanly. */
    for (int extra = 1; extra <= 200; extra += 199) {
        jw_init(&w, BIG, true);
        for (int i = 0; i < ok + extra; i++) {
            if (i % 2) {
                jw_obj_open(&w);
                jw_key(&w, "k");
            } else {
                jw_arr_open(&w);
            }
        }
        assert_true(jw_failed(&w));
        for (int i = 0; i < ok + extra; i++)
            jw_arr_close(&w);
        jw_kstr(&w, "x", "y");
        assert_true(jw_failed(&w));
        assert_true(w.depth < JW_MAX_DEPTH);
        jw_free(&w);
    }

    /* Closing more than was opened fails too. */
    jw_init(&w, BIG, false);
    jw_arr_open(&w);
    jw_arr_close(&w);
    assert_false(jw_failed(&w));
    jw_arr_close(&w);
    assert_true(jw_failed(&w));
    jw_free(&w);
}

/* A document with every kind of value, written and read back by jansson. */
static void write_complex(struct jw *w)
{
    jw_obj_open(w);
    jw_kstr(w, "tekst", "quote \" backslash \\ newline \n tab \t ctrl \x01 del \x7f euro €");
    jw_kint(w, "max", INT64_MAX);
    jw_kint(w, "min", INT64_MIN);
    jw_kbool(w, "ja", true);
    jw_kbool(w, "nee", false);
    jw_key(w, "leeg");
    jw_null(w);
    jw_kmoney(w, "bedrag", 229440);
    jw_kdate(w, "datum", date_from_ymd(2026, 4, 27));
    jw_key(w, "stappen");
    jw_arr_open(w);
    for (int i = 0; i < 5; i++) {
        jw_obj_open(w);
        jw_kint(w, "nr", i);
        jw_key(w, "lijst");
        jw_arr_open(w);
        for (int j = 0; j < i; j++)
            jw_int(w, j * 10);
        jw_arr_close(w);
        jw_key(w, "sub");
        jw_obj_open(w);
        jw_kstr(w, "k\"ey", "w\\aarde");
        jw_obj_close(w);
        jw_obj_close(w);
    }
    jw_arr_close(w);
    jw_obj_close(w);
}

static void check_complex(const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root)
        fail_msg("jansson: %s at %d in\n%s", jerr.text, jerr.position, text);
    assert_true(json_is_object(root));
    assert_int_equal(json_object_size(root), 9);
    assert_string_equal(json_string_value(json_object_get(root, "tekst")),
                        "quote \" backslash \\ newline \n tab \t ctrl \x01 del \x7f euro €");
    assert_true(json_integer_value(json_object_get(root, "max")) == INT64_MAX);
    assert_true(json_integer_value(json_object_get(root, "min")) == INT64_MIN);
    assert_true(json_is_true(json_object_get(root, "ja")));
    assert_true(json_is_false(json_object_get(root, "nee")));
    assert_true(json_is_null(json_object_get(root, "leeg")));
    assert_string_equal(json_string_value(json_object_get(root, "bedrag")), "2294.40");
    assert_string_equal(json_string_value(json_object_get(root, "datum")), "2026-04-27");
    json_t *st = json_object_get(root, "stappen");
    assert_true(json_is_array(st));
    assert_int_equal(json_array_size(st), 5);
    for (size_t i = 0; i < 5; i++) {
        json_t *o = json_array_get(st, i);
        assert_int_equal(json_integer_value(json_object_get(o, "nr")), i);
        json_t *l = json_object_get(o, "lijst");
        assert_int_equal(json_array_size(l), i);
        for (size_t j = 0; j < i; j++)
            assert_int_equal(json_integer_value(json_array_get(l, j)), j * 10);
        assert_string_equal(json_string_value(json_object_get(json_object_get(o, "sub"), "k\"ey")),
                            "w\\aarde");
    }
    json_decref(root);
}

static void test_jansson_roundtrip(void **state)
{
    (void)state;
    for (int pretty = 0; pretty <= 1; pretty++) {
        struct jw w;
        jw_init(&w, BIG, pretty);
        write_complex(&w);
        assert_false(jw_failed(&w));
        check_complex(w.buf);
        jw_free(&w);
    }
}

/* Random ASCII strings including every control character survive a round trip. */
static void test_jansson_random_strings(void **state)
{
    (void)state;
    uint64_t seed = 0x15c0ffeeULL;
    struct jw w;
    jw_init(&w, BIG, false);
    for (int i = 0; i < 5000; i++) {
        char s[64];
        size_t n = (size_t)(test_rand(&seed) % sizeof s);
        for (size_t k = 0; k < n; k++)
            s[k] = (char)(1 + test_rand(&seed) % 127); /* 0x01 … 0x7f */
        jw_reset(&w);
        jw_arr_open(&w);
        jw_strn(&w, s, n);
        jw_arr_close(&w);
        assert_false(jw_failed(&w));
        json_error_t jerr;
        json_t *root = json_loads(w.buf, 0, &jerr);
        if (!root)
            fail_msg("jansson: %s in %s", jerr.text, w.buf);
        json_t *v = json_array_get(root, 0);
        assert_int_equal(json_string_length(v), n);
        assert_memory_equal(json_string_value(v), s, n);
        json_decref(root);
    }
    jw_free(&w);
}

/* The text parsed and the tree built by the same writer calls: the same document, keys
 * in the same order. */
static void assert_tree_is_text(void (*write)(struct jw *))
{
    struct jw w;
    jw_init(&w, BIG, false);
    write(&w);
    assert_false(jw_failed(&w));
    json_error_t je;
    json_t *parsed = json_loadb(w.buf, w.len, JSON_ALLOW_NUL, &je);
    if (!parsed)
        fail_msg("%s: %s", w.buf, je.text);
    jw_free(&w);
    struct jw_tree t;
    jw_tree_init(&w, &t);
    write(&w);
    assert_false(jw_failed(&w));
    json_t *tree = jw_tree_take(&w, &t);
    assert_non_null(tree);
    assert_true(json_equal(parsed, tree));
    char *a = json_dumps(parsed, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *b = json_dumps(tree, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(parsed);
    json_decref(tree);
}

static void write_embedded(struct jw *w)
{
    jw_arr_open(w);
    const char *emb = "{\"a\":[1,2,{\"b\":null}]}", *txt = "\"tekst \\u00e9\"";
    jw_json(w, emb, strlen(emb));
    jw_obj_open(w);
    jw_key(w, "x");
    jw_json(w, txt, strlen(txt));
    jw_kstr(w, "leeg", "");
    jw_key(w, "nul");
    jw_strn(w, "a\0b", 3);
    jw_obj_close(w);
    jw_str(w, NULL);
    jw_arr_close(w);
}

static void test_tree_sink(void **state)
{
    (void)state;
    assert_tree_is_text(write_doc);
    assert_tree_is_text(write_complex);
    assert_tree_is_text(write_embedded);
    /* what the tree cannot hold fails the writer and frees what was built */
    struct jw w;
    struct jw_tree t;
    jw_tree_init(&w, &t);
    jw_arr_open(&w);
    jw_raw(&w, "1", 1);
    assert_true(jw_failed(&w));
    jw_int(&w, 2); /* sticky: nothing more happens */
    jw_arr_close(&w);
    assert_null(jw_tree_take(&w, &t));
    jw_tree_init(&w, &t);
    jw_arr_open(&w);
    jw_str(&w, "\xff\xfe"); /* not UTF-8 */
    jw_arr_close(&w);
    assert_null(jw_tree_take(&w, &t));
    jw_tree_init(&w, &t);
    jw_obj_open(&w);
    jw_json(&w, "{", 1); /* no key, and no JSON */
    jw_obj_close(&w);
    assert_null(jw_tree_take(&w, &t));
    jw_tree_init(&w, &t);
    jw_obj_open(&w);
    jw_kint(&w, "a", 1); /* left open */
    assert_false(jw_failed(&w));
    assert_null(jw_tree_take(&w, &t));
    jw_tree_init(&w, &t);
    for (int i = 0; i <= JW_MAX_DEPTH; i++)
        jw_arr_open(&w);
    assert_true(jw_failed(&w));
    assert_null(jw_tree_take(&w, &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact),
        cmocka_unit_test(test_pretty),
        cmocka_unit_test(test_empty_containers),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_max_cap),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_jansson_roundtrip),
        cmocka_unit_test(test_jansson_random_strings),
        cmocka_unit_test(test_tree_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

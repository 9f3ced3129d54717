/*
 * test_xw — the XML writer: nesting and attributes, every byte value in text and in an
 * attribute (escaped, passed or refused), UTF-8 validity, end/start mismatch, the
 * output cap, sticky errors, pretty indentation.
 */
#include "testutil.h"

#include "base/err.h"
#include "base/xw.h"

static const char *DECL = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

static void test_basic(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 16);
    struct xw w;
    xw_init(&w, &b, false);
    xw_start(&w, "a");
    xw_attr(&w, "x", "1 & \"2\" <3>");
    xw_elem(&w, "b", "t<&>\"'");
    xw_start(&w, "c");
    xw_end(&w, "c");
    xw_end(&w, "a");
    assert_int_equal(xw_finish(&w), 0);
    char want[256];
    snprintf(want, sizeof want,
             "%s<a x=\"1 &amp; &quot;2&quot; &lt;3&gt;\"><b>t&lt;&amp;&gt;\"'</b><c/></a>\n", DECL);
    assert_string_equal(b.data, want);
    buf_free(&b);
}

/* One byte in text or attribute context: 0 = refused, else the output between tags. */
static int one_byte(int c, int attr, char *got, size_t n)
{
    struct buf b;
    buf_init(&b, 1024);
    struct xw w;
    xw_init(&w, &b, false);
    char s[2] = {(char)c, 0};
    xw_start(&w, "e");
    if (attr)
        xw_attr(&w, "v", s);
    else
        xw_textn(&w, s, 1);
    xw_end(&w, "e");
    int rc = xw_finish(&w);
    snprintf(got, n, "%s", rc ? "" : b.data + strlen(DECL));
    buf_free(&b);
    return rc;
}

static void test_every_byte(void **state)
{
    (void)state;
    for (int attr = 0; attr < 2; attr++) {
        for (int c = 0; c < 256; c++) {
            char got[64], want[64];
            int rc = one_byte(c, attr, got, sizeof got);
            const char *esc = NULL;
            int refused = 0;
            if (c == '&')
                esc = "&amp;";
            else if (c == '<')
                esc = "&lt;";
            else if (c == '>')
                esc = "&gt;";
            else if (c == '"' && attr)
                esc = "&quot;";
            else if (c == '\t' && attr)
                esc = "&#9;";
            else if (c == '\n' && attr)
                esc = "&#10;";
            else if (c == '\r')
                esc = "&#13;";
            else if ((c < 0x20 && c != '\t' && c != '\n') || c >= 0x7F)
                refused = 1;      /* controls, DEL, and a lone byte >= 0x80 is not UTF-8 */
            if (c == 0 && attr) { /* an attribute is a C string: NUL ends it */
                assert_int_equal(rc, 0);
                assert_string_equal(got, "<e v=\"\"/>\n");
                continue;
            }
            if (refused) {
                assert_int_equal(rc, LKS_EINVAL);
                continue;
            }
            assert_int_equal(rc, 0);
            char body[8] = {(char)c, 0};
            if (attr)
                snprintf(want, sizeof want, "<e v=\"%s\"/>\n", esc ? esc : body);
            else
                snprintf(want, sizeof want, "<e>%s</e>\n", esc ? esc : body);
            assert_string_equal(got, want);
        }
    }
}

static int text_rc(const char *s)
{
    struct buf b;
    buf_init(&b, 1024);
    struct xw w;
    xw_init(&w, &b, false);
    xw_start(&w, "e");
    xw_text(&w, s);
    xw_end(&w, "e");
    int rc = xw_finish(&w);
    buf_free(&b);
    return rc;
}

static void test_utf8(void **state)
{
    (void)state;
    assert_int_equal(text_rc("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), 0);
    assert_int_equal(text_rc("\xc3"), LKS_EINVAL);             /* truncated */
    assert_int_equal(text_rc("\xc0\xaf"), LKS_EINVAL);         /* overlong */
    assert_int_equal(text_rc("\xe0\x80\xaf"), LKS_EINVAL);     /* overlong */
    assert_int_equal(text_rc("\xed\xa0\x80"), LKS_EINVAL);     /* surrogate */
    assert_int_equal(text_rc("\xf4\x90\x80\x80"), LKS_EINVAL); /* > U+10FFFF */
    assert_int_equal(text_rc("\xc2\x85"), LKS_EINVAL);         /* C1 control */
    assert_int_equal(text_rc("\xef\xbf\xbe"), LKS_EINVAL);     /* U+FFFE */
    assert_int_equal(text_rc("\x80"), LKS_EINVAL);
}

static void test_structure(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    struct xw w;
    xw_init(&w, &b, false);
    xw_start(&w, "a");
    xw_start(&w, "b");
    xw_end(&w, "a"); /* mismatch */
    assert_int_equal(xw_finish(&w), LKS_EINVAL);
    assert_string_equal(w.why, "end-mismatch");

    buf_reset(&b);
    xw_init(&w, &b, false);
    xw_start(&w, "a");
    assert_int_equal(xw_finish(&w), LKS_EINVAL); /* unclosed */

    buf_reset(&b);
    xw_init(&w, &b, false);
    xw_start(&w, "1a"); /* bad name */
    assert_true(xw_failed(&w));

    buf_reset(&b);
    xw_init(&w, &b, false);
    xw_start(&w, "a");
    xw_text(&w, "x");
    xw_attr(&w, "k", "v"); /* attribute after content */
    assert_true(xw_failed(&w));
    xw_end(&w, "a"); /* sticky: nothing more */
    assert_int_equal(xw_finish(&w), LKS_EINVAL);

    buf_reset(&b);
    xw_init(&w, &b, false);
    for (int i = 0; i <= XW_MAX_DEPTH; i++)
        xw_start(&w, "d");
    assert_string_equal(w.why, "too-deep");
    buf_free(&b);
}

static void test_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 64);
    struct xw w;
    xw_init(&w, &b, false);
    xw_start(&w, "a");
    for (int i = 0; i < 20; i++)
        xw_elem(&w, "b", "x");
    xw_end(&w, "a");
    assert_int_equal(xw_finish(&w), LKS_ENOMEM);
    assert_true(b.len <= 64);
    buf_free(&b);
}

static void test_pretty(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1024);
    struct xw w;
    xw_init(&w, &b, true);
    xw_start(&w, "a");
    xw_start(&w, "b");
    xw_elem(&w, "c", "t");
    xw_end(&w, "b");
    xw_end(&w, "a");
    assert_int_equal(xw_finish(&w), 0);
    char want[256];
    snprintf(want, sizeof want, "%s<a>\n  <b>\n    <c>t</c>\n  </b>\n</a>\n", DECL);
    assert_string_equal(b.data, want);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic), cmocka_unit_test(test_every_byte),
        cmocka_unit_test(test_utf8),  cmocka_unit_test(test_structure),
        cmocka_unit_test(test_cap),   cmocka_unit_test(test_pretty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_buf — the capped byte buffer: appends, the NUL after the data, the cap
 * (exactly full is fine, one byte more fails and appends nothing), sticky
 * failure until reset, truncation, growth past the first block, a zero cap.
 */
#include "testutil.h"

#include "base/buf.h"

static void test_append(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 100);
    assert_null(b.data);
    assert_true(buf_add(&b, "ab", 2));
    assert_true(buf_adds(&b, "cd"));
    assert_true(buf_addc(&b, 'e'));
    assert_true(buf_add(&b, NULL, 0));
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "abcde");
    assert_false(b.failed);
    buf_truncate(&b, 2);
    assert_string_equal(b.data, "ab");
    buf_truncate(&b, 10); /* past the end: nothing */
    assert_int_equal(b.len, 2);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.cap, 0);
}

static void test_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_true(buf_add(&b, "0123456789", 10)); /* exactly full */
    assert_int_equal(b.len, 10);
    assert_false(buf_addc(&b, 'x'));
    assert_true(b.failed);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    /* sticky: even an append that would fit does nothing */
    buf_truncate(&b, 0);
    assert_false(buf_add(&b, "a", 1));
    assert_int_equal(b.len, 0);
    buf_reset(&b);
    assert_true(buf_add(&b, "a", 1));
    /* a large append fails whole, not in part */
    assert_false(buf_add(&b, "0123456789", 10));
    assert_int_equal(b.len, 1);
    assert_string_equal(b.data, "a");
    /* lengths near SIZE_MAX cannot wrap the check */
    buf_reset(&b);
    assert_false(buf_reserve(&b, SIZE_MAX));
    assert_false(buf_reserve(&b, SIZE_MAX - 1));
    buf_free(&b);

    buf_init(&b, 0);
    assert_true(buf_add(&b, "", 0));
    assert_string_equal(b.data, "");
    assert_false(buf_addc(&b, 'x'));
    buf_free(&b);

    buf_init(&b, SIZE_MAX); /* the cap itself cannot overflow max + 1 */
    assert_true(b.max < SIZE_MAX);
    assert_true(buf_adds(&b, "x"));
    buf_free(&b);
}

static void test_growth(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    char chunk[1000];
    for (size_t i = 0; i < sizeof chunk; i++)
        chunk[i] = (char)('a' + i % 26);
    for (int i = 0; i < 1000; i++)
        assert_true(buf_add(&b, chunk, sizeof chunk));
    assert_int_equal(b.len, 1000000);
    assert_true(b.cap >= b.len + 1 && b.cap <= b.max + 1);
    assert_int_equal(b.data[b.len], '\0');
    for (size_t i = 0; i < b.len; i += 997)
        assert_int_equal(b.data[i], 'a' + (i % 1000) % 26);
    /* the capacity stops at max + 1 */
    assert_true(buf_reserve(&b, b.max - b.len));
    assert_int_equal(b.cap, b.max + 1);
    assert_false(buf_reserve(&b, b.max - b.len + 1));
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

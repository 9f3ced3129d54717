/*
 * test_ids — BSN, IBAN, KvK number and postcode checks.
 *
 * Every rejection is checked for its reason as well, so a check that fails for
 * the wrong cause (say, a length error hiding a broken elfproef) shows up.
 */
#include "testutil.h"

#include "base/ids.h"

/* The reason is set and mentions `word`. */
static void assert_reason(const char *reason, const char *word)
{
    assert_true(reason[0] != '\0');
    if (!strstr(reason, word))
        fail_msg("reason '%s' does not mention '%s'", reason, word);
}

static void bsn_bad(const char *s, const char *word)
{
    char reason[IDS_REASON_MAX] = "";
    if (ids_bsn_valid(s, reason))
        fail_msg("BSN '%s' accepted", s);
    assert_reason(reason, word);
}

static void iban_bad(const char *s, const char *word)
{
    char reason[IDS_REASON_MAX] = "";
    char out[IDS_NORM_MAX] = "sentinel";
    if (ids_iban_valid(s, reason))
        fail_msg("IBAN '%s' accepted", s);
    assert_reason(reason, word);
    reason[0] = '\0';
    assert_false(ids_iban_normalize(s, out, reason));
    assert_string_equal(out, "");
    assert_reason(reason, word);
}

static void iban_good(const char *s, const char *canon)
{
    char reason[IDS_REASON_MAX] = "x";
    char out[IDS_NORM_MAX] = "";
    if (!ids_iban_valid(s, reason))
        fail_msg("IBAN '%s' rejected: %s", s, reason);
    assert_string_equal(reason, "");
    assert_true(ids_iban_normalize(s, out, reason));
    assert_string_equal(out, canon);
}

static void kvk_bad(const char *s, const char *word)
{
    char reason[IDS_REASON_MAX] = "";
    if (ids_kvk_valid(s, reason))
        fail_msg("KvK '%s' accepted", s);
    assert_reason(reason, word);
}

static void postcode_good(const char *s, const char *canon)
{
    char reason[IDS_REASON_MAX] = "x";
    char out[IDS_NORM_MAX] = "";
    if (!ids_postcode_valid(s, reason))
        fail_msg("postcode '%s' rejected: %s", s, reason);
    assert_string_equal(reason, "");
    assert_true(ids_postcode_normalize(s, out, reason));
    assert_string_equal(out, canon);
}

static void postcode_bad(const char *s, const char *word)
{
    char reason[IDS_REASON_MAX] = "";
    char out[IDS_NORM_MAX] = "sentinel";
    if (ids_postcode_valid(s, reason))
        fail_msg("postcode '%s' accepted", s);
    assert_reason(reason, word);
    assert_false(ids_postcode_normalize(s, out, reason));
    assert_string_equal(out, "");
}

static void test_bsn_valid(void **state)
{
    (void)state;
    char reason[IDS_REASON_MAX] = "x";
    assert_true(ids_bsn_valid("111222333", reason));
    assert_string_equal(reason, "");
    assert_true(ids_bsn_valid("123456782", reason));
    /* 012345672: 8·1 + 7·2 + 6·3 + 5·4 + 4·5 + 3·6 + 2·7 − 2 = 110 = 10·11. */
    assert_true(ids_bsn_valid("12345672", reason));
    assert_true(ids_bsn_valid("012345672", reason));
    assert_true(ids_bsn_valid("111222333", NULL));
}

static void test_bsn_invalid(void **state)
{
    (void)state;
    bsn_bad("123456789", "elfproef");
    bsn_bad("111222334", "elfproef");
    bsn_bad("12345673", "elfproef");
    bsn_bad("12345678a", "cijfers");
    bsn_bad("12345678a", "teken 9");
    bsn_bad("123 456 782", "cijfers");
    bsn_bad("1234567", "9 cijfers");
    bsn_bad("1234567825", "9 cijfers");
    bsn_bad("000000000", "nullen");
    bsn_bad("00000000", "nullen");
    bsn_bad("", "leeg");
    bsn_bad(NULL, "leeg");
    assert_false(ids_bsn_valid("123456789", NULL));
}

/* The weights 9..2 and −1 are all prime to 11: every single-digit error is caught. */
static void test_bsn_single_digit_errors(void **state)
{
    (void)state;
    const char *good = "123456782";
    for (int i = 0; i < 9; i++) {
        for (char c = '0'; c <= '9'; c++) {
            char s[10];
            memcpy(s, good, sizeof s);
            if (s[i] == c)
                continue;
            s[i] = c;
            char reason[IDS_REASON_MAX] = "";
            if (ids_bsn_valid(s, reason))
                fail_msg("BSN '%s' accepted", s);
        }
    }
}

static void test_iban_valid(void **state)
{
    (void)state;
    iban_good("NL91ABNA0417164300", "NL91ABNA0417164300");
    iban_good("nl91 abna 0417 1643 00", "NL91ABNA0417164300");
    iban_good(" NL91ABNA0417164300 ", "NL91ABNA0417164300");
    iban_good("DE89370400440532013000", "DE89370400440532013000");
    iban_good("BE68539007547034", "BE68539007547034");
    iban_good("GB29NWBK60161331926819", "GB29NWBK60161331926819");
    iban_good("gb29 nwbk 6016 1331 9268 19", "GB29NWBK60161331926819");
    iban_good("NO9386011117947", "NO9386011117947"); /* the shortest, 15 */
    assert_true(ids_iban_valid("NL91ABNA0417164300", NULL));
}

static void test_iban_invalid(void **state)
{
    (void)state;
    iban_bad("NL91ABNA0417164301", "mod-97");
    iban_bad("NL92ABNA0417164300", "mod-97");
    iban_bad("DE89370400440532013001", "mod-97");
    iban_bad("NL91ABNA041716430", "een Nederlandse IBAN heeft 18 tekens");
    iban_bad("NL91ABNA04171643000", "een Nederlandse IBAN heeft 18 tekens");
    iban_bad("DE8937040044053201300", "Duitsland heeft 22 tekens");
    iban_bad("XX91ABNA0417164300", "onbekende landcode 'XX'");
    iban_bad("US91ABNA0417164300", "onbekende landcode 'US'");
    iban_bad("NL91ABNA04171643AB", "rekeningnummer");
    iban_bad("NL91AB1A0417164300", "bankcode");
    iban_bad("NL00ABNA0417164300", "controlecijfers 00");
    iban_bad("NL99ABNA0417164300", "controlecijfers 99");
    iban_bad("NLAAABNA0417164300", "controlecijfers");
    iban_bad("12NL", "landcode");
    iban_bad("NL91-ABNA-0417-1643-00", "letters, cijfers en spaties");
    iban_bad("NL91ABNA041716430012345678901234567", "te lang");
    iban_bad("", "leeg");
    iban_bad("    ", "leeg");
    iban_bad(NULL, "leeg");
}

/* mod-97 catches every single substitution, in any position of the BBAN. */
static void test_iban_single_char_errors(void **state)
{
    (void)state;
    const char *good = "DE89370400440532013000";
    size_t n = strlen(good);
    for (size_t i = 2; i < n; i++) {
        for (char c = '0'; c <= '9'; c++) {
            char s[32];
            memcpy(s, good, n + 1);
            if (s[i] == c)
                continue;
            s[i] = c;
            char reason[IDS_REASON_MAX] = "";
            if (ids_iban_valid(s, reason))
                fail_msg("IBAN '%s' accepted", s);
        }
    }
}

static void test_kvk(void **state)
{
    (void)state;
    char reason[IDS_REASON_MAX] = "x";
    assert_true(ids_kvk_valid("12345678", reason));
    assert_string_equal(reason, "");
    assert_true(ids_kvk_valid("01234567", reason));
    kvk_bad("1234567", "precies 8 cijfers");
    kvk_bad("123456789", "precies 8 cijfers");
    kvk_bad("1234567A", "cijfers");
    kvk_bad("1234567A", "teken 8");
    kvk_bad("1234 5678", "cijfers");
    kvk_bad("", "leeg");
}

static void test_postcode_valid(void **state)
{
    (void)state;
    postcode_good("1234 AB", "1234 AB");
    postcode_good("1234AB", "1234 AB");
    postcode_good("1234ab", "1234 AB");
    postcode_good("9999 zz", "9999 ZZ");
    postcode_good("1000 SB", "1000 SB");
    assert_true(ids_postcode_valid("1234 AB", NULL));
}

/* Normalising at input: whatever the spacing and case, the stored form is "1234 AB";
 * the validator itself stays strict about what surrounds it. */
static void test_postcode_normalize(void **state)
{
    (void)state;
    static const char *const in[] = {"1234ab",    "1234 ab",    " 1234AB", "1234AB ",
                                     "\t1234 aB", "  1234Ab  ", "1234 AB"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char reason[IDS_REASON_MAX] = "x";
        char out[IDS_NORM_MAX] = "";
        if (!ids_postcode_normalize(in[i], out, reason))
            fail_msg("postcode '%s' not normalised: %s", in[i], reason);
        assert_string_equal(out, "1234 AB");
        assert_string_equal(reason, "");
    }
    char reason[IDS_REASON_MAX] = "";
    char out[IDS_NORM_MAX] = "sentinel";
    assert_false(ids_postcode_valid(" 1234AB", reason));
    assert_false(ids_postcode_normalize(" 1234  AB ", out, reason));
    assert_string_equal(out, "");
    assert_reason(reason, "spatie");
    assert_false(ids_postcode_normalize("   ", out, reason));
    assert_reason(reason, "leeg");
    assert_false(ids_postcode_normalize(NULL, out, reason));
    assert_reason(reason, "leeg");
    /* longer than the copy it is checked from: still refused, for what follows the letters */
    assert_false(ids_postcode_normalize("1234 AB                                            x", out,
                                        reason));
    assert_reason(reason, "na de 2 letters");
    assert_false(ids_postcode_normalize("5701 SA", out, reason));
    assert_reason(reason, "SA, SD en SS");
}

static void test_iban_normalize(void **state)
{
    (void)state;
    char reason[IDS_REASON_MAX] = "x";
    char out[IDS_NORM_MAX] = "";
    assert_true(ids_iban_normalize("nl91 abna 0417 1643 00", out, reason));
    assert_string_equal(out, "NL91ABNA0417164300");
    /* the longest SEPA IBAN (Malta, 31) in groups of four: 38 characters in, 31 out */
    assert_true(ids_iban_normalize("MT84 MALT 0110 0001 2345 MTLC AST0 01S", out, reason));
    assert_string_equal(out, "MT84MALT011000012345MTLCAST001S");
    assert_false(ids_iban_normalize("nl91 abna 0417 1643 01", out, reason));
    assert_string_equal(out, "");
    assert_reason(reason, "mod-97");
}

static void test_postcode_invalid(void **state)
{
    (void)state;
    postcode_bad("0123 AB", "0");
    postcode_bad("1234 SA", "SA, SD en SS");
    postcode_bad("1234sd", "SA, SD en SS");
    postcode_bad("1234 SS", "SA, SD en SS");
    postcode_bad("1234 A", "2 letters");
    postcode_bad("1234", "2 letters");
    postcode_bad("12345 AB", "4");
    postcode_bad("123 AB", "4 cijfers");
    postcode_bad("1234  AB", "spatie");
    postcode_bad("1234 ABC", "na de 2 letters");
    postcode_bad("1234-AB", "2 letters");
    postcode_bad("", "leeg");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bsn_valid),
        cmocka_unit_test(test_bsn_invalid),
        cmocka_unit_test(test_bsn_single_digit_errors),
        cmocka_unit_test(test_iban_valid),
        cmocka_unit_test(test_iban_invalid),
        cmocka_unit_test(test_iban_single_char_errors),
        cmocka_unit_test(test_kvk),
        cmocka_unit_test(test_postcode_valid),
        cmocka_unit_test(test_postcode_invalid),
        cmocka_unit_test(test_postcode_normalize),
        cmocka_unit_test(test_iban_normalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

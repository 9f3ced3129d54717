/*
 * test_toets — the toegangstoets flow, its reasons and its errors, the strict
 * JSON reader for the answers, and the JSON written for the result.
 */
#include "testutil.h"

#include <jansson.h>

#include "base/jw.h"
#include "codec/rules_json.h"
#include "rules/toets.h"

enum { Y = TOETS_YES, N = TOETS_NO, U = TOETS_UNANSWERED };

/* Set the answers of one question (only the first ncriteria entries are used). */
static void set(struct toets_input *in, enum toets_question q, int a0, int a1, int a2, int a3)
{
    in->answer[q][0] = (uint8_t)a0;
    in->answer[q][1] = (uint8_t)a1;
    in->answer[q][2] = (uint8_t)a2;
    in->answer[q][3] = (uint8_t)a3;
}

/* Run and expect success with the given outcome and number of reasons. */
static void run_ok(const struct toets_input *in, enum toets_outcome want, int nreasons,
                   struct toets_result *r)
{
    struct lks_err err = {0};
    memset(r, 0xa5, sizeof *r);
    int rc = toets_run(in, r, &err);
    if (rc != 0)
        fail_msg("toets_run: rc %d, field %s, reason %s", rc, err.field, err.reason);
    assert_int_equal(r->outcome, want);
    assert_int_equal(r->nreasons, nreasons);
    for (int i = 0; i < r->nreasons; i++) {
        assert_int_equal(r->reason[i].question, i); /* questions in flow order */
        assert_non_null(r->reason[i].conclusion);
        assert_true(strlen(r->reason[i].conclusion) > 10);
    }
}

/* Run and expect LKS_EINVAL naming field. */
static void run_err(const struct toets_input *in, const char *field)
{
    struct lks_err err = {0};
    struct toets_result r;
    int rc = toets_run(in, &r, &err);
    if (rc != LKS_EINVAL)
        fail_msg("toets_run: rc %d, want LKS_EINVAL for %s", rc, field);
    assert_int_equal(err.code, LKS_EINVAL);
    assert_string_equal(err.field, field);
    assert_string_equal(err.reason, "required");
    assert_true(strlen(err.msg) > 0);
}

static void test_table(void **state)
{
    (void)state;
    static const char *keys[] = {"vraag1", "vraag2a", "vraag2b", "vraag3"};
    static const char *labels[] = {"1", "2a", "2b", "3"};
    static const int counts[] = {4, 2, 3, 4};
    for (int q = 0; q < TOETS_NQUESTIONS; q++) {
        assert_string_equal(toets_questions[q].key, keys[q]);
        assert_string_equal(toets_questions[q].label, labels[q]);
        assert_int_equal(toets_questions[q].ncriteria, counts[q]);
        assert_true(strlen(toets_questions[q].text) > 10);
        for (int c = 0; c < counts[q]; c++) {
            assert_non_null(toets_questions[q].criterion[c]);
            assert_non_null(toets_questions[q].criterion_text[c]);
        }
    }
    assert_string_equal(toets_questions[TOETS_Q2B].criterion[1], "continuiteit");
    assert_string_equal(toets_questions[TOETS_Q1].criterion[3], "psychosociaal");
    assert_string_equal(toets_outcome_name(TOETS_IN_TARGET_GROUP), "doelgroep");
    assert_string_equal(toets_outcome_name(TOETS_UPPER_BOUND), "geen-doelgroep-bovengrens");
    assert_string_equal(toets_outcome_name(TOETS_LOWER_BOUND), "geen-doelgroep-ondergrens");
}

static void test_q1_none(void **state)
{
    (void)state;
    struct toets_input in = {0};
    struct toets_result r;
    set(&in, TOETS_Q1, N, N, N, N);
    run_ok(&in, TOETS_UPPER_BOUND, 1, &r);
    assert_int_equal(r.reason[0].question, TOETS_Q1);
    assert_int_equal(r.reason[0].yes, 0);
    assert_string_equal(toets_outcome_name(r.outcome), "geen-doelgroep-bovengrens");
    /* Later questions were not reached; answers there change nothing. */
    set(&in, TOETS_Q2A, Y, Y, 0, 0);
    run_ok(&in, TOETS_UPPER_BOUND, 1, &r);
}

static void test_q2a_one_true(void **state)
{
    (void)state;
    struct toets_input in = {0};
    struct toets_result r;
    set(&in, TOETS_Q1, N, N, Y, N);
    set(&in, TOETS_Q2A, N, Y, 0, 0);
    run_ok(&in, TOETS_UPPER_BOUND, 2, &r);
    assert_int_equal(r.reason[0].yes, 1);
    assert_int_equal(r.reason[1].question, TOETS_Q2A);
    assert_int_equal(r.reason[1].yes, 1);
    set(&in, TOETS_Q2A, Y, N, 0, 0);
    run_ok(&in, TOETS_UPPER_BOUND, 2, &r);
    set(&in, TOETS_Q2A, Y, Y, 0, 0);
    run_ok(&in, TOETS_UPPER_BOUND, 2, &r);
    assert_int_equal(r.reason[1].yes, 1);
}

static void test_q2b_all_true(void **state)
{
    (void)state;
    struct toets_input in = {0};
    struct toets_result r;
    set(&in, TOETS_Q1, Y, Y, Y, Y);
    set(&in, TOETS_Q2A, N, N, 0, 0);
    set(&in, TOETS_Q2B, Y, Y, Y, 0);
    run_ok(&in, TOETS_UPPER_BOUND, 3, &r);
    assert_int_equal(r.reason[1].yes, 0);
    assert_int_equal(r.reason[2].question, TOETS_Q2B);
    assert_int_equal(r.reason[2].yes, 1);
}

static void test_q3_all_true(void **state)
{
    (void)state;
    struct toets_input in = {0};
    struct toets_result r;
    set(&in, TOETS_Q1, Y, N, N, N);
    set(&in, TOETS_Q2A, N, N, 0, 0);
    set(&in, TOETS_Q2B, Y, N, Y, 0);
    set(&in, TOETS_Q3, Y, Y, Y, Y);
    run_ok(&in, TOETS_IN_TARGET_GROUP, 4, &r);
    int yes[] = {1, 0, 0, 1};
    for (int i = 0; i < 4; i++)
        assert_int_equal(r.reason[i].yes, yes[i]);
    assert_string_equal(toets_outcome_name(r.outcome), "doelgroep");
    /* No written argument is needed for the target group. */
    assert_null(in.toelichting);
    /* Each single "no" in 2b leads to question 3. */
    for (int c = 0; c < 3; c++) {
        set(&in, TOETS_Q2B, Y, Y, Y, 0);
        in.answer[TOETS_Q2B][c] = N;
        run_ok(&in, TOETS_IN_TARGET_GROUP, 4, &r);
    }
}

static void test_q3_lower_bound(void **state)
{
    (void)state;
    struct toets_input in = {0};
    struct toets_result r;
    set(&in, TOETS_Q1, Y, N, N, N);
    set(&in, TOETS_Q2A, N, N, 0, 0);
    set(&in, TOETS_Q2B, N, N, N, 0);
    in.toelichting = "Kan niet zonder permanent toezicht werken.";
    for (int c = 0; c < 4; c++) {
        set(&in, TOETS_Q3, Y, Y, Y, Y);
        in.answer[TOETS_Q3][c] = N;
        run_ok(&in, TOETS_LOWER_BOUND, 4, &r);
        assert_int_equal(r.reason[3].question, TOETS_Q3);
        assert_int_equal(r.reason[3].yes, 0);
    }
    set(&in, TOETS_Q3, N, N, N, N);
    run_ok(&in, TOETS_LOWER_BOUND, 4, &r);
    assert_string_equal(toets_outcome_name(r.outcome), "geen-doelgroep-ondergrens");
    in.toelichting = " x ";
    run_ok(&in, TOETS_LOWER_BOUND, 4, &r);

    /* Without a written argument, or with only white space: an error. */
    in.toelichting = NULL;
    run_err(&in, "toelichting");
    in.toelichting = "";
    run_err(&in, "toelichting");
    in.toelichting = "   ";
    run_err(&in, "toelichting");
    in.toelichting = " \t\n\r ";
    run_err(&in, "toelichting");
}

static void test_missing_answers(void **state)
{
    (void)state;
    struct toets_input in = {0};
    /* Nothing answered: the first criterion of question 1. */
    run_err(&in, "vraag1.lichamelijk");
    set(&in, TOETS_Q1, N, N, N, U);
    run_err(&in, "vraag1.psychosociaal");
    /* A value outside the enum counts as unanswered. */
    set(&in, TOETS_Q1, N, 7, N, N);
    run_err(&in, "vraag1.verstandelijk");
    set(&in, TOETS_Q1, Y, N, N, N);
    run_err(&in, "vraag2a.geenGevolgenVoorWerk");
    set(&in, TOETS_Q2A, N, U, 0, 0);
    run_err(&in, "vraag2a.compenseerbaarMetVoorzieningen");
    set(&in, TOETS_Q2A, N, N, 0, 0);
    set(&in, TOETS_Q2B, Y, U, Y, 0);
    run_err(&in, "vraag2b.continuiteit");
    set(&in, TOETS_Q2B, Y, N, U, 0);
    run_err(&in, "vraag2b.zelfstandigWerken");
    set(&in, TOETS_Q2B, Y, N, Y, 0);
    run_err(&in, "vraag3.prestatieMinstens20Procent");
    set(&in, TOETS_Q3, Y, Y, Y, U);
    in.toelichting = "onderbouwing";
    run_err(&in, "vraag3.zonderPermanentToezicht");
    set(&in, TOETS_Q3, Y, U, N, Y);
    run_err(&in, "vraag3.begeleidingHoogstens15Procent");
    /* A question with a "yes" in 2a ends the flow: 2b and 3 may stay empty. */
    struct toets_input in2 = {0};
    struct toets_result r;
    set(&in2, TOETS_Q1, Y, Y, Y, Y);
    set(&in2, TOETS_Q2A, U, Y, 0, 0); /* but all of a reached question must be answered */
    run_err(&in2, "vraag2a.geenGevolgenVoorWerk");
    set(&in2, TOETS_Q2A, N, Y, 0, 0);
    run_ok(&in2, TOETS_UPPER_BOUND, 2, &r);
}

/* ---- JSON in ---- */

static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    if (!root)
        fail_msg("bad JSON in test: %s", jerr.text);
    return root;
}

static const char *full_doc =
    "{\"vraag1\": {\"lichamelijk\": false, \"verstandelijk\": true, \"psychisch\": false,"
    "              \"psychosociaal\": false},"
    " \"vraag2a\": {\"geenGevolgenVoorWerk\": false, \"compenseerbaarMetVoorzieningen\": false},"
    " \"vraag2b\": {\"regulierWerktempo\": false, \"continuiteit\": true,"
    "               \"zelfstandigWerken\": false},"
    " \"vraag3\": {\"prestatieMinstens20Procent\": true, \"begeleidingHoogstens15Procent\": false,"
    "              \"uurAaneengesloten\": true, \"zonderPermanentToezicht\": true},"
    " \"toelichting\": \"Heeft meer dan 15% begeleiding nodig.\"}";

static void test_parse_full(void **state)
{
    (void)state;
    json_t *root = load(full_doc);
    struct toets_input in;
    memset(&in, 0x55, sizeof in);
    struct lks_errlist errs = {0};
    assert_int_equal(codec_toets_parse(root, &in, &errs), 0);
    assert_int_equal(errs.n, 0);
    static const uint8_t want[TOETS_NQUESTIONS][TOETS_MAX_CRITERIA] = {
        {N, Y, N, N}, {N, N, U, U}, {N, Y, N, U}, {Y, N, Y, Y}};
    assert_memory_equal(in.answer, want, sizeof want);
    assert_string_equal(in.toelichting, "Heeft meer dan 15% begeleiding nodig.");
    struct toets_result r;
    run_ok(&in, TOETS_LOWER_BOUND, 4, &r);
    json_decref(root);
}

static void test_parse_partial_and_null(void **state)
{
    (void)state;
    /* Only question 1, toelichting null: valid input (the flow decides what is needed). */
    json_t *root = load("{\"vraag1\": {\"lichamelijk\": false, \"verstandelijk\": false,"
                        " \"psychisch\": false, \"psychosociaal\": false},"
                        " \"toelichting\": null}");
    struct toets_input in;
    struct lks_errlist errs = {0};
    assert_int_equal(codec_toets_parse(root, &in, &errs), 0);
    assert_int_equal(errs.n, 0);
    assert_null(in.toelichting);
    assert_int_equal(in.answer[TOETS_Q1][0], N);
    assert_int_equal(in.answer[TOETS_Q2A][0], U);
    struct toets_result r;
    run_ok(&in, TOETS_UPPER_BOUND, 1, &r);
    json_decref(root);

    root = load("{}");
    assert_int_equal(codec_toets_parse(root, &in, &errs), 0);
    assert_int_equal(errs.n, 0);
    run_err(&in, "vraag1.lichamelijk");
    json_decref(root);
}

/* Is there an error with this field and reason in the list? */
static bool has_err(const struct lks_errlist *l, const char *field, const char *reason)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->e[i].field, field) == 0 && strcmp(l->e[i].reason, reason) == 0 &&
            l->e[i].code == LKS_EINVAL && l->e[i].msg[0])
            return true;
    return false;
}

static void test_parse_faults(void **state)
{
    (void)state;
    json_t *root = load("{\"vraag1\": {\"lichamelijk\": 1, \"verstandelijk\": true,"
                        "             \"onbekend\": true, \"psychisch\": \"ja\"},"
                        " \"vraag2a\": [true, false],"
                        " \"vraag2b\": {\"continuiteit\": null},"
                        " \"vraag4\": {},"
                        " \"toelichting\": 5}");
    struct toets_input in;
    struct lks_errlist errs = {0};
    assert_int_equal(codec_toets_parse(root, &in, &errs), LKS_EINVAL);
    assert_int_equal(errs.n, 7);
    assert_int_equal(errs.dropped, 0);
    assert_true(has_err(&errs, "vraag1.lichamelijk", "not-a-boolean"));
    assert_true(has_err(&errs, "vraag1.onbekend", "unknown-field"));
    assert_true(has_err(&errs, "vraag1.psychisch", "not-a-boolean"));
    assert_true(has_err(&errs, "vraag2a", "not-an-object"));
    assert_true(has_err(&errs, "vraag2b.continuiteit", "not-a-boolean"));
    assert_true(has_err(&errs, "vraag4", "unknown-field"));
    assert_true(has_err(&errs, "toelichting", "not-a-string"));
    /* The valid answer among them was still read. */
    assert_int_equal(in.answer[TOETS_Q1][1], Y);
    assert_null(in.toelichting);
    json_decref(root);
}

static void test_parse_faults_appended(void **state)
{
    (void)state;
    /* Errors already in the list are kept; new ones come after them. */
    struct lks_errlist errs = {0};
    lks_err_set(lks_errlist_add(&errs), LKS_EINVAL, "eerder", "x", "eerder");
    json_t *root = load("{\"vraag3\": {\"uurAaneengesloten\": \"true\"}, \"extra\": 1}");
    struct toets_input in;
    assert_int_equal(codec_toets_parse(root, &in, &errs), LKS_EINVAL);
    assert_int_equal(errs.n, 3);
    assert_string_equal(errs.e[0].field, "eerder");
    assert_true(has_err(&errs, "vraag3.uurAaneengesloten", "not-a-boolean"));
    assert_true(has_err(&errs, "extra", "unknown-field"));
    json_decref(root);

    /* A clean document with earlier errors in the list is still a success. */
    root = load("{\"vraag1\": {\"lichamelijk\": true}}");
    assert_int_equal(codec_toets_parse(root, &in, &errs), 0);
    assert_int_equal(errs.n, 3);
    assert_int_equal(in.answer[TOETS_Q1][0], Y);
    json_decref(root);
}

static void test_parse_not_object(void **state)
{
    (void)state;
    static const char *docs[] = {"[]", "[{\"vraag1\": {}}]", "\"vraag1\"", "42", "null", "true"};
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        json_t *root = json_loads(docs[i], JSON_DECODE_ANY, NULL);
        assert_non_null(root);
        struct toets_input in;
        struct lks_errlist errs = {0};
        assert_int_equal(codec_toets_parse(root, &in, &errs), LKS_EINVAL);
        assert_int_equal(errs.n, 1);
        assert_string_equal(errs.e[0].field, "antwoorden");
        assert_string_equal(errs.e[0].reason, "not-an-object");
        json_decref(root);
    }
}

/* Many faults at once: the list fills up and counts what it dropped. */
static void test_parse_many_faults(void **state)
{
    (void)state;
    char text[2048];
    int n = snprintf(text, sizeof text, "{");
    for (int i = 0; i < 20; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "%s\"onbekend%d\": 1", i ? "," : "", i);
    snprintf(text + n, sizeof text - (size_t)n, "}");
    json_t *root = load(text);
    struct toets_input in;
    struct lks_errlist errs = {0};
    assert_int_equal(codec_toets_parse(root, &in, &errs), LKS_EINVAL);
    assert_int_equal(errs.n, LKS_ERRLIST_MAX);
    assert_int_equal(errs.dropped, 20 - LKS_ERRLIST_MAX);
    assert_string_equal(errs.e[0].field, "onbekend0");
    /* a list that is already full still makes the parse fail */
    json_t *one = load("{\"bogus\": 1}");
    assert_int_equal(codec_toets_parse(one, &in, &errs), LKS_EINVAL);
    assert_int_equal(errs.dropped, 20 - LKS_ERRLIST_MAX + 1);
    json_decref(one);
    json_decref(root);
}

/* ---- JSON out ---- */

static json_t *write_result(const struct toets_input *in, const struct toets_result *r, bool pretty)
{
    struct jw w;
    jw_init(&w, 1 << 20, pretty);
    codec_toets(&w, in, r);
    assert_false(jw_failed(&w));
    json_error_t jerr;
    json_t *root = json_loads(w.buf, 0, &jerr);
    if (!root)
        fail_msg("codec_toets wrote invalid JSON: %s\n%s", jerr.text, w.buf);
    jw_free(&w);
    return root;
}

static void test_codec_out(void **state)
{
    (void)state;
    json_t *doc = load(full_doc);
    struct toets_input in;
    struct lks_errlist errs = {0};
    assert_int_equal(codec_toets_parse(doc, &in, &errs), 0);
    struct toets_result r;
    run_ok(&in, TOETS_LOWER_BOUND, 4, &r);
    for (int pretty = 0; pretty <= 1; pretty++) {
        json_t *root = write_result(&in, &r, pretty);
        assert_string_equal(json_string_value(json_object_get(root, "uitkomst")),
                            "geen-doelgroep-ondergrens");
        assert_string_equal(json_string_value(json_object_get(root, "toelichting")),
                            "Heeft meer dan 15% begeleiding nodig.");
        json_t *red = json_object_get(root, "redenering");
        assert_true(json_is_array(red));
        assert_int_equal(json_array_size(red), 4);
        static const char *labels[] = {"1", "2a", "2b", "3"};
        static const char *answers[] = {"ja", "nee", "nee", "nee"};
        for (size_t i = 0; i < 4; i++) {
            json_t *e = json_array_get(red, i);
            assert_string_equal(json_string_value(json_object_get(e, "vraag")), labels[i]);
            assert_string_equal(json_string_value(json_object_get(e, "antwoord")), answers[i]);
            assert_string_equal(json_string_value(json_object_get(e, "tekst")),
                                toets_questions[i].text);
            assert_string_equal(json_string_value(json_object_get(e, "conclusie")),
                                r.reason[i].conclusion);
            json_t *crit = json_object_get(e, "criteria");
            assert_int_equal(json_array_size(crit), toets_questions[i].ncriteria);
            for (size_t c = 0; c < json_array_size(crit); c++) {
                json_t *ce = json_array_get(crit, c);
                assert_string_equal(json_string_value(json_object_get(ce, "naam")),
                                    toets_questions[i].criterion[c]);
                assert_string_equal(json_string_value(json_object_get(ce, "omschrijving")),
                                    toets_questions[i].criterion_text[c]);
                json_t *v = json_object_get(ce, "voldaan");
                assert_true(json_is_boolean(v));
                assert_int_equal(json_is_true(v), in.answer[i][c] == Y);
            }
        }
        /* Question 3: only the guidance criterion failed. */
        json_t *c3 = json_object_get(json_array_get(red, 3), "criteria");
        assert_true(json_is_true(json_object_get(json_array_get(c3, 0), "voldaan")));
        assert_true(json_is_false(json_object_get(json_array_get(c3, 1), "voldaan")));
        json_decref(root);
    }
    json_decref(doc);

    /* Upper bound at question 1: one reason, no toelichting key. */
    struct toets_input in1 = {0};
    set(&in1, TOETS_Q1, N, N, N, N);
    run_ok(&in1, TOETS_UPPER_BOUND, 1, &r);
    json_t *root = write_result(&in1, &r, false);
    assert_string_equal(json_string_value(json_object_get(root, "uitkomst")),
                        "geen-doelgroep-bovengrens");
    assert_int_equal(json_array_size(json_object_get(root, "redenering")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(root, "redenering"), 0), "antwoord")),
                        "nee");
    assert_null(json_object_get(root, "toelichting"));
    json_decref(root);

    /* Target group; a toelichting with characters that need escaping. */
    struct toets_input in2 = {0};
    set(&in2, TOETS_Q1, Y, N, N, N);
    set(&in2, TOETS_Q2A, N, N, 0, 0);
    set(&in2, TOETS_Q2B, N, N, N, 0);
    set(&in2, TOETS_Q3, Y, Y, Y, Y);
    in2.toelichting = "regel 1\nregel \"2\" \\ €";
    run_ok(&in2, TOETS_IN_TARGET_GROUP, 4, &r);
    root = write_result(&in2, &r, true);
    assert_string_equal(json_string_value(json_object_get(root, "uitkomst")), "doelgroep");
    assert_string_equal(json_string_value(json_object_get(root, "toelichting")),
                        "regel 1\nregel \"2\" \\ €");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(root, "redenering"), 3), "antwoord")),
                        "ja");
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_q1_none),
        cmocka_unit_test(test_q2a_one_true),
        cmocka_unit_test(test_q2b_all_true),
        cmocka_unit_test(test_q3_all_true),
        cmocka_unit_test(test_q3_lower_bound),
        cmocka_unit_test(test_missing_answers),
        cmocka_unit_test(test_parse_full),
        cmocka_unit_test(test_parse_partial_and_null),
        cmocka_unit_test(test_parse_faults),
        cmocka_unit_test(test_parse_faults_appended),
        cmocka_unit_test(test_parse_not_object),
        cmocka_unit_test(test_parse_many_faults),
        cmocka_unit_test(test_codec_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

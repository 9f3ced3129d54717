/*
 * test_wage_tasks — the main tasks of a loonwaarde report on the loonwaarde-vastgesteld
 * event: read from JSON (a command and a stored event), the rule on their ranges and the
 * sum of the shares with the field each fault names, written back only when given, an
 * event stored before tasks existed still read, and the process refusing a typed event
 * whose shares do not add up.
 */
#include "testutil.h"

#include "base/jw.h"
#include "codec/case_json.h"
#include "case/process.h"

static int parse(const char *text, enum codec_mode mode, struct case_event *ev,
                 struct lks_errlist *errs)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        fail_msg("bad test JSON: %s", je.text);
    memset(ev, 0, sizeof *ev);
    ev->type = EV_LOONWAARDE_VASTGESTELD;
    memset(errs, 0, sizeof *errs);
    int rc = codec_event_data_parse(j, mode, ev, errs);
    json_decref(j);
    return rc;
}

static bool has_field(const struct lks_errlist *errs, const char *field)
{
    for (int i = 0; i < errs->n; i++)
        if (strcmp(errs->e[i].field, field) == 0)
            return true;
    return false;
}

static const char THREE[] =
    "{\"loonwaarde\": \"55\", \"nettoProductieveTijd\": \"90\", \"taken\": ["
    "{\"naam\": \"deeg kneden\", \"tijdsaandeel\": \"50\", \"tempo\": \"60\", \"kwaliteit\": "
    "\"80\"},"
    "{\"naam\": \"afwassen\", \"tijdsaandeel\": \"30.5\", \"tempo\": \"70\", \"kwaliteit\": "
    "\"90\"},"
    "{\"naam\": \"schoonmaken\", \"tijdsaandeel\": \"19.5\", \"tempo\": \"50\", \"kwaliteit\": "
    "\"100\"}]}";

static void test_three_tasks_read_and_written(void **state)
{
    (void)state;
    struct case_event ev;
    struct lks_errlist errs;
    assert_int_equal(parse(THREE, CODEC_COMMAND, &ev, &errs), 0);
    const struct ev_vastgesteld *v = &ev.d.vastgesteld;
    assert_int_equal(v->loonwaarde, 5500);
    assert_int_equal(v->ntasks, 3);
    assert_true(v->has_net_time);
    assert_int_equal(v->net_time, 9000);
    assert_string_equal(v->task[1].name, "afwassen");
    assert_int_equal(v->task[1].share, 3050);
    assert_int_equal(v->task[2].quality, 10000);

    /* written with its tasks, and read back from the store the same */
    struct jw w;
    jw_init(&w, 1 << 16, false);
    codec_event_data(&w, &ev);
    assert_false(jw_failed(&w));
    assert_non_null(strstr(w.buf, "\"taken\":[{\"naam\":\"deeg kneden\""));
    assert_non_null(strstr(w.buf, "\"nettoProductieveTijd\":\"90\""));
    struct case_event back;
    assert_int_equal(parse(w.buf, CODEC_STORED, &back, &errs), 0);
    jw_free(&w);
    assert_int_equal(back.d.vastgesteld.ntasks, 3);
    assert_int_equal(memcmp(back.d.vastgesteld.task, v->task, sizeof v->task), 0);
    assert_int_equal(back.d.vastgesteld.net_time, 9000);
}

static void test_old_event_without_tasks(void **state)
{
    (void)state;
    /* as stored before the report's tasks existed */
    static const char old[] = "{\"loonwaarde\":\"60\",\"gemeten\":\"2025-12-13\","
                              "\"normfunctie\":\"bakkershulp\",\"rapport\":\"r.pdf\","
                              "\"volgendeMeting\":\"2026-12-13\"}";
    struct case_event ev;
    struct lks_errlist errs;
    assert_int_equal(parse(old, CODEC_STORED, &ev, &errs), 0);
    assert_int_equal(ev.d.vastgesteld.ntasks, 0);
    assert_false(ev.d.vastgesteld.has_net_time);
    assert_int_equal(ev.d.vastgesteld.loonwaarde, 6000);
    /* and written back exactly as it was */
    struct jw w;
    jw_init(&w, 1 << 16, false);
    codec_event_data(&w, &ev);
    assert_string_equal(w.buf, old);
    jw_free(&w);
}

static void test_shares_must_add_up(void **state)
{
    (void)state;
    struct case_event ev;
    struct lks_errlist errs;
    static const char cmd[] =
        "{\"loonwaarde\": \"55\", \"taken\": ["
        "{\"naam\": \"a\", \"tijdsaandeel\": \"50\", \"tempo\": \"60\", \"kwaliteit\": \"80\"},"
        "{\"naam\": \"b\", \"tijdsaandeel\": \"40\", \"tempo\": \"60\", \"kwaliteit\": \"80\"}]}";
    assert_int_equal(parse(cmd, CODEC_COMMAND, &ev, &errs), LKS_EINVAL);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.e[0].field, "taken");
    assert_string_equal(errs.e[0].reason, "shares-not-100");
    assert_non_null(strstr(errs.e[0].msg, "samen 90%"));
}

static void test_ranges_named_by_field(void **state)
{
    (void)state;
    struct case_event ev;
    struct lks_errlist errs;
    static const char cmd[] =
        "{\"loonwaarde\": \"55\", \"nettoProductieveTijd\": \"101\", \"taken\": ["
        "{\"naam\": \"a\", \"tijdsaandeel\": \"50\", \"tempo\": \"60\", \"kwaliteit\": \"80\"},"
        "{\"naam\": \"b\", \"tijdsaandeel\": \"25\", \"tempo\": \"60\", \"kwaliteit\": \"80\"},"
        "{\"naam\": \" \", \"tijdsaandeel\": \"25\", \"tempo\": \"120\", \"kwaliteit\": "
        "\"80\"}]}";
    assert_int_equal(parse(cmd, CODEC_COMMAND, &ev, &errs), LKS_EINVAL);
    assert_true(has_field(&errs, "taken.2.tempo"));
    assert_true(has_field(&errs, "taken.2.naam"));
    assert_true(has_field(&errs, "nettoProductieveTijd"));
    /* the sum is not judged on top of values that are wrong themselves */
    assert_false(has_field(&errs, "taken"));
    for (int i = 0; i < errs.n; i++)
        if (strcmp(errs.e[i].field, "taken.2.tempo") == 0)
            assert_non_null(strstr(errs.e[i].msg, "taak 3"));
}

static void test_shape_faults(void **state)
{
    (void)state;
    struct case_event ev;
    struct lks_errlist errs;
    /* six tasks */
    char six[1024] = "{\"loonwaarde\": \"55\", \"taken\": [";
    for (int i = 0; i < 6; i++)
        strcat(six, i ? ",{}" : "{}");
    strcat(six, "]}");
    assert_int_equal(parse(six, CODEC_COMMAND, &ev, &errs), LKS_EINVAL);
    assert_true(has_field(&errs, "taken"));
    /* a missing tempo, an unknown key, a real number */
    static const char cmd[] =
        "{\"loonwaarde\": \"55\", \"taken\": [{\"naam\": \"a\", \"tijdsaandeel\": \"100\", "
        "\"kwaliteit\": 80.5, \"snelheid\": \"1\"}]}";
    assert_int_equal(parse(cmd, CODEC_COMMAND, &ev, &errs), LKS_EINVAL);
    assert_true(has_field(&errs, "taken.0.tempo"));
    assert_true(has_field(&errs, "taken.0.snelheid"));
    assert_true(has_field(&errs, "taken.0.kwaliteit"));
}

static void test_rule_on_a_typed_event(void **state)
{
    (void)state;
    struct ev_vastgesteld v;
    memset(&v, 0, sizeof v);
    v.loonwaarde = 5000;
    v.ntasks = 2;
    snprintf(v.task[0].name, sizeof v.task[0].name, "a");
    snprintf(v.task[1].name, sizeof v.task[1].name, "b");
    v.task[0].share = 6000;
    v.task[1].share = 4000;
    struct lks_errlist errs = {0};
    assert_int_equal(case_wage_tasks_check(&v, &errs), 0);
    v.task[1].share = 4001;
    assert_int_equal(case_wage_tasks_check(&v, &errs), LKS_EINVAL);
    assert_string_equal(errs.e[0].field, "taken");
    memset(&errs, 0, sizeof errs);
    v.task[1].share = 4000;
    v.ntasks = 6;
    assert_int_equal(case_wage_tasks_check(&v, &errs), LKS_EINVAL);
    memset(&errs, 0, sizeof errs);
    v.ntasks = 0;
    assert_int_equal(case_wage_tasks_check(&v, &errs), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_tasks_read_and_written),
        cmocka_unit_test(test_old_event_without_tasks),
        cmocka_unit_test(test_shares_must_add_up),
        cmocka_unit_test(test_ranges_named_by_field),
        cmocka_unit_test(test_shape_faults),
        cmocka_unit_test(test_rule_on_a_typed_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

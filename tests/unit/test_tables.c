/*
 * test_tables — rows of the rule tables given as data (an operator's rows from the
 * store): merged and checked exactly like a line of the table's TSV file, a bad row
 * refused whole with the column at fault, the tables checked as a whole (no WML
 * half-year missing), the origin of every row (built-in, override directory, store),
 * and the warning before the tables run out.
 */
#include "testutil.h"

#include <sys/stat.h>
#include <unistd.h>

#include "base/money.h"
#include "rules/lks.h"
#include "rules/tables.h"

static struct rules R;

static int setup(void **state)
{
    (void)state;
    struct lks_err e = {0};
    return rules_load_builtin(&R, &e);
}

/* A WML row for `from` with made-up test figures. */
static struct rules_row_in wml_row(const char *from, const struct rules_cell *cells, int n)
{
    struct rules_row_in in = {
        .table = "wml",
        .from = test_date(from),
        .cells = cells,
        .ncells = n,
        .source = "Stcrt. 2099, nr. 1 (testwaarde)",
        .user = "appbeheer",
        .at = 1796284800,
        .id = 7,
    };
    return in;
}

static const struct rules_cell good[] = {
    {"month", "2400.00"}, {"hour", "15.38"}, {"full_age", "21"}};

static void test_store_row_merged(void **state)
{
    (void)state;
    static struct rules r;
    r = R;
    struct lks_err e = {0};
    struct rules_row_in in = wml_row("2026-07-01", good, 3);
    assert_int_equal(rules_merge_rows(&r, &in, 1, &e), 0);
    assert_int_equal(r.n_wml, R.n_wml + 1);
    test_assert_date(r.until, "2026-12-31");
    assert_non_null(strstr(r.source.wml, "+ opslag"));

    /* used by the calculation at once; the built-in rows still hold before */
    struct lks_input li = {test_date("2026-08-01"), 6000, 3600, 3600, LKS_AGE_ADULT, false};
    struct lks_result res;
    assert_int_equal(lks_compute(&r, &li, &res, &e), 0);
    assert_int_equal(res.wml, 240000);
    li.peildatum = test_date("2026-06-30");
    assert_int_equal(lks_compute(&r, &li, &res, &e), 0);
    assert_int_equal(res.wml, 229440);
    /* and before the row the same date was refused */
    li.peildatum = test_date("2026-08-01");
    assert_int_equal(lks_compute(&R, &li, &res, &e), LKS_ERANGE);

    /* a later row with the same date replaces it (a correction) */
    const struct rules_cell fixed[] = {{"month", "2401.00"}, {"hour", "15.39"}, {"full_age", "21"}};
    struct rules_row_in two[2] = {wml_row("2026-07-01", good, 3), wml_row("2026-07-01", fixed, 3)};
    two[1].id = 8;
    r = R;
    assert_int_equal(rules_merge_rows(&r, two, 2, &e), 0);
    assert_int_equal(r.n_wml, R.n_wml + 1);
    assert_int_equal(r.wml[r.n_wml - 1].month, 240100);
    const struct rules_origin *o = rules_row_origin(&r, RULES_WML, r.n_wml - 1);
    assert_int_equal(o->from, RULES_FROM_STORE);
    assert_int_equal(r.origin.stored[o->stored].id, 8);

    /* a store row with the date of a built-in row replaces it, as an override does */
    const struct rules_cell jan[] = {{"month", "2300.00"}, {"hour", "14.71"}, {"full_age", "21"}};
    struct rules_row_in repl = wml_row("2026-01-01", jan, 3);
    r = R;
    assert_int_equal(rules_merge_rows(&r, &repl, 1, &e), 0);
    assert_int_equal(r.n_wml, R.n_wml);
    assert_int_equal(r.wml[r.n_wml - 1].month, 230000);
    test_assert_date(r.until, "2026-06-30");

    /* other tables: a new allowance percentage, cells as in allowance.tsv */
    const struct rules_cell pct[] = {{"percent", "24"}};
    struct rules_row_in al = {.table = "allowance", .from = test_date("2026-01-01"), .cells = pct,
                              .ncells = 1, .source = "Regeling (test)", .user = "appbeheer"};
    r = R;
    assert_int_equal(rules_merge_rows(&r, &al, 1, &e), 0);
    assert_int_equal(r.allowance[r.n_allowance - 1].pct, 2400);
}

/* A bad row is refused as a whole, naming the column; nothing changes. */
static void test_bad_row_refused(void **state)
{
    (void)state;
    static struct rules r;
    struct {
        struct rules_cell cells[5];
        int n;
        const char *table, *from, *source, *user;
        const char *field, *msg;
    } bad[] = {
        {{{"month", "veel"}, {"hour", "15.38"}, {"full_age", "21"}}, 3, "wml", "2026-07-01", "x",
         "u", "waarden.month", "kolom 'month': geen geldig getal"},
        {{{"month", "5.00"}, {"hour", "15.38"}, {"full_age", "21"}}, 3, "wml", "2026-07-01", "x",
         "u", "waarden.month", "aannemelijke"},
        {{{"hour", "15.38"}, {"full_age", "21"}}, 2, "wml", "2026-07-01", "x", "u",
         "waarden.month", "kolom 'month': ontbreekt"},
        {{{"month", "2400.00"}, {"hour", "15.38"}, {"full_age", "12"}}, 3, "wml", "2026-07-01",
         "x", "u", "waarden.full_age", "kolom 'full_age'"},
        {{{"maand", "2400.00"}, {"hour", "15.38"}, {"full_age", "21"}}, 3, "wml", "2026-07-01",
         "x", "u", "waarden.maand", "month, hour, full_age"},
        {{{"month", "2400.00"}, {"month", "2400.00"}, {"full_age", "21"}}, 3, "wml", "2026-07-01",
         "x", "u", "waarden.month", "meer dan eens"},
        {{{"month", "2400.00\t1"}, {"full_age", "21"}}, 2, "wml", "2026-07-01", "x", "u",
         "waarden.month", "tab"},
        {{{"from", "2026-07-01"}, {"month", "2400.00"}, {"full_age", "21"}}, 3, "wml",
         "2026-07-01", "x", "u", "waarden.from", "vanaf"},
        {{{"month", "2400.00"}, {"full_age", "21"}}, 2, "wml", "2026-07-01", "  ", "u", "bron",
         "verplicht"},
        {{{"month", "2400.00"}, {"full_age", "21"}}, 2, "wml", "2026-07-01", "x\ny", "u", "bron",
         "regeleinde"},
        {{{"month", "2400.00"}, {"full_age", "21"}}, 2, "wml", "2026-07-01", "x", "", "gebruiker",
         "verplicht"},
        {{{"month", "2400.00"}, {"full_age", "21"}}, 2, "wml2", "2026-07-01", "x", "u", "tabel",
         "wml_youth"},
        /* a half-year missing: 2027-01-01 after 2026-01-01 */
        {{{"month", "2400.00"}, {"full_age", "21"}}, 2, "wml", "2027-01-01", "x", "u", "vanaf",
         "2026-07-01 ontbreekt"},
        {{{"vakantiebijslag", "8"}, {"max", "70"}, {"forfait", "50"}, {"forfait_maanden", "6"},
          {"deler", "week"}},
         5, "lks", "2026-07-01", "x", "u", "waarden.deler", "sector"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = R;
        struct lks_err e = {0};
        struct rules_row_in in = {.table = bad[i].table, .from = test_date(bad[i].from),
                                  .cells = bad[i].cells, .ncells = bad[i].n,
                                  .source = bad[i].source, .user = bad[i].user};
        /* as the second row after a good one: refused whole */
        static const struct rules_cell pct[] = {{"percent", "24"}};
        struct rules_row_in first = {.table = "allowance", .from = test_date("2026-01-01"),
                                     .cells = pct, .ncells = 1, .source = "x", .user = "u"};
        struct rules_row_in two[2] = {first, in};
        if (rules_merge_rows(&r, two, 2, &e) != LKS_EINVAL)
            fail_msg("case %zu: accepted", i);
        if (strcmp(e.field, bad[i].field) != 0 || !strstr(e.msg, bad[i].msg))
            fail_msg("case %zu: %s: %s (want %s: ...%s...)", i, e.field, e.msg, bad[i].field,
                     bad[i].msg);
        assert_memory_equal(&r, &R, sizeof R);
    }
    /* the lks row's own cells pass once the divisor is right */
    const struct rules_cell lks[] = {{"vakantiebijslag", "8"}, {"max", "70"}, {"forfait", "50"},
                                     {"forfait_maanden", "6"}, {"deler", "36"},
                                     {"afronding_jeugdloon", "0.01"}};
    struct rules_row_in ok = {.table = "lks", .from = test_date("2026-07-01"), .cells = lks,
                              .ncells = 6, .source = "x", .user = "u"};
    r = R;
    struct lks_err e = {0};
    assert_int_equal(rules_merge_rows(&r, &ok, 1, &e), 0);
}

/* Where every row came from: built-in (with its file's comment), directory, store. */
static void test_row_origins(void **state)
{
    (void)state;
    static struct rules r;
    r = R;
    for (int i = 0; i < r.n_wml; i++)
        assert_int_equal(rules_row_origin(&r, RULES_WML, i)->from, RULES_FROM_BUILTIN);
    assert_string_equal(r.origin.builtin[RULES_WML].path, "rules/wml.tsv");
    assert_non_null(strstr(r.origin.builtin[RULES_WML].note, "Staatscourant"));
    assert_null(strchr(r.origin.builtin[RULES_WML].note, '#'));
    assert_string_equal(r.origin.dir[RULES_WML].path, "");
    assert_null(rules_row_origin(&r, RULES_WML, r.n_wml));
    assert_int_equal(rules_table_rows(&r, RULES_LKS), r.n_lks);
    test_assert_date(rules_row_from(&r, RULES_WML, 0), "2015-01-01");

    char dir[] = "/tmp/lks_tables_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/wml.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# bron: Staatscourant 2099 (testwaarde)\nfrom\tmonth\thour\tfull_age\n"
          "2026-01-01\t2300.00\t14.71\t21\n",
          f);
    fclose(f);
    struct lks_err e = {0};
    assert_int_equal(rules_load_override(&r, dir, &e), 0);
    unlink(path);
    rmdir(dir);
    assert_string_equal(r.origin.dir[RULES_WML].path, path);
    assert_string_equal(r.origin.dir[RULES_WML].note, "bron: Staatscourant 2099 (testwaarde)");
    int last = r.n_wml - 1;
    assert_int_equal(rules_row_origin(&r, RULES_WML, last)->from, RULES_FROM_DIR);
    assert_int_equal(rules_row_origin(&r, RULES_WML, last - 1)->from, RULES_FROM_BUILTIN);

    /* store rows come after the directory */
    struct rules_row_in in = wml_row("2026-07-01", good, 3);
    assert_int_equal(rules_merge_rows(&r, &in, 1, &e), 0);
    const struct rules_origin *o = rules_row_origin(&r, RULES_WML, last + 1);
    assert_int_equal(o->from, RULES_FROM_STORE);
    const struct rules_stored *s = &r.origin.stored[o->stored];
    assert_string_equal(s->source, "Stcrt. 2099, nr. 1 (testwaarde)");
    assert_string_equal(s->user, "appbeheer");
    assert_int_equal(s->at, 1796284800);
    assert_int_equal(s->id, 7);
    assert_int_equal(rules_row_origin(&r, RULES_WML, last)->from, RULES_FROM_DIR);
    /* the youth table is untouched: built-in only */
    assert_int_equal(rules_row_origin(&r, RULES_YOUTH, 0)->from, RULES_FROM_BUILTIN);

    assert_string_equal(rules_table_name(RULES_YOUTH), "wml_youth");
    assert_int_equal(rules_table_parse("allowance"), RULES_ALLOWANCE);
    assert_int_equal(rules_table_parse("onbekend"), -1);
    assert_null(rules_table_name(RULES_NTABLES));
}

/* A gap in the WML table is refused in an override file too. */
static void test_gap_in_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/lks_tables_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/wml.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("from\tmonth\thour\tfull_age\n2027-01-01\t2400.00\t15.00\t21\n", f);
    fclose(f);
    static struct rules r;
    r = R;
    struct lks_err e = {0};
    assert_int_equal(rules_load_override(&r, dir, &e), LKS_EINVAL);
    assert_non_null(strstr(e.field, "wml.tsv"));
    assert_non_null(strstr(e.msg, "2026-07-01 ontbreekt"));
    assert_memory_equal(&r, &R, sizeof R);
    unlink(path);
    rmdir(dir);
}

/* The warning: within RULES_WARN_DAYS days of the end, or after it. */
static void test_ends_soon(void **state)
{
    (void)state;
    test_assert_date(R.until, "2026-06-30");
    assert_false(rules_ends_soon(&R, test_date("2026-04-30")));
    assert_true(rules_ends_soon(&R, test_date("2026-05-01"))); /* 60 days before */
    assert_true(rules_ends_soon(&R, test_date("2026-06-30")));
    assert_true(rules_ends_soon(&R, test_date("2026-12-03"))); /* ended */
    static struct rules r;
    r = R;
    struct lks_err e = {0};
    struct rules_row_in rows[2] = {wml_row("2026-07-01", good, 3), wml_row("2027-01-01", good, 3)};
    assert_int_equal(rules_merge_rows(&r, rows, 1, &e), 0);
    assert_true(rules_ends_soon(&r, test_date("2026-12-03"))); /* 2026-12-31: 28 days */
    assert_int_equal(rules_merge_rows(&r, rows + 1, 1, &e), 0);
    test_assert_date(r.until, "2027-06-30");
    assert_false(rules_ends_soon(&r, test_date("2026-12-03")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_row_merged), cmocka_unit_test(test_bad_row_refused),
        cmocka_unit_test(test_row_origins),      cmocka_unit_test(test_gap_in_file),
        cmocka_unit_test(test_ends_soon),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

/*
 * test_fold — the fold cannot be crashed by what a store holds.
 *
 * A demo store gives real event streams (every kind of event, as the store keeps
 * them). A deterministic fuzzer then mutates them — bytes flipped, cut, doubled,
 * numbers replaced by extremes (an index of 2^31, -1, a huge count), one event's
 * type swapped for another's, sequence numbers and roles changed — and folds every
 * mutated stream with app_apply_stored, as `lks controleer` does. Every stream
 * must fold or be refused with an error naming the case and the event; under
 * AddressSanitizer (the asan build of this test) any read or write outside the
 * case is a failure. Then the same on a store: rows of the events and deadlines
 * tables tampered with SQL, and app_verify must report each with its case and
 * event, never crash, and find nothing on the untouched store.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <unistd.h>

#include "app/app.h"
#include "app/demo.h"
#include "codec/jw_tree.h"
#include "rules/tables.h"
#include "store/store.h"

sqlite3 *store_sqlite_handle(struct store *s);

static struct rules R;
static char dir[64];

#define MAX_EVENTS 40000

struct copied {
    int64_t case_id, seq, at;
    lks_date date;
    char type[40], role[24], actor[CASE_ID];
    char *data;
};

struct copy {
    int n;
    struct copied e[MAX_EVENTS];
};
static struct copy *EV;

static int copy_cb(void *arg, const struct stored_event *se)
{
    struct copy *c = arg;
    if (c->n >= MAX_EVENTS)
        return 1;
    struct copied *x = &c->e[c->n++];
    x->case_id = se->case_id;
    x->seq = se->seq;
    x->at = se->at;
    x->date = se->date;
    snprintf(x->type, sizeof x->type, "%s", se->type);
    snprintf(x->role, sizeof x->role, "%s", se->role);
    snprintf(x->actor, sizeof x->actor, "%s", se->actor);
    x->data = strdup(se->data);
    return 0;
}

struct ids {
    struct store *s;
    struct copy *c;
};

static int id_cb(void *arg, const char *tenant, int64_t id)
{
    struct ids *v = arg;
    struct lks_err e;
    return store_case_events(v->s, tenant, id, copy_cb, v->c, &e) < 0;
}

static struct store *demo_store(const char *name, int cases)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct store *s;
    struct lks_err e = {0};
    if (store_open(&s, path, STORE_CREATE, &e))
        fail_msg("open: %s", e.msg);
    struct app a;
    assert_int_equal(app_init(&a, s, &R, date_from_ymd(2026, 6, 30), &e), 0);
    struct demo_opts o = {.gemeenten = 2, .zaken = cases, .seed = 7, .until = R.until};
    struct demo_stats st;
    if (demo_run(&a, &o, &st, &e))
        fail_msg("demo: %s", e.msg);
    app_free(&a);
    return s;
}

static int setup(void **state)
{
    (void)state;
    struct lks_err e;
    snprintf(dir, sizeof dir, "/tmp/lks-fold-XXXXXX");
    if (!mkdtemp(dir) || rules_load_builtin(&R, &e))
        return -1;
    EV = calloc(1, sizeof *EV);
    return EV ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; EV && i < EV->n; i++)
        free(EV->e[i].data);
    free(EV);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Fold the events [from, to) of one case, with event k's data replaced by `data`
 * (and its type, role and sequence number by the given ones). */
static int fold(struct case_state *cs, struct case_event *scratch, int from, int to, int k,
                const char *data, const char *type, const char *role, int64_t seq,
                struct lks_err *err)
{
    case_init(cs, "gm0794", EV->e[from].case_id);
    for (int i = from; i < to; i++) {
        struct stored_event se = {EV->e[i].case_id, EV->e[i].seq,  EV->e[i].type,
                                  EV->e[i].at,      EV->e[i].date, EV->e[i].actor,
                                  EV->e[i].role,    EV->e[i].data};
        if (i == k) {
            se.data = data;
            se.type = type;
            se.role = role;
            se.seq = seq;
        }
        int rc = app_apply_stored(cs, scratch, &se, err);
        if (rc)
            return rc;
    }
    return 0;
}

static const char *const extremes[] = {"2147483647", "-2147483648", "-1",     "99999999999999999999",
                                       "1e308",      "0",           "255",    "1000000",
                                       "\"\"",       "null",        "[]",     "{}",
                                       "true",       "\"x\"",       "-0",     "480"};

/* One mutation of `in` into out (bounded). */
static void mutate(uint64_t *rng, const char *in, char *out, size_t cap)
{
    size_t n = strlen(in);
    if (n + 64 >= cap)
        n = cap - 64;
    memcpy(out, in, n);
    out[n] = '\0';
    switch (test_rand(rng) % 6) {
    case 0: /* flip bytes */
        for (int i = 0; i < 1 + (int)(test_rand(rng) % 4) && n; i++)
            out[test_rand(rng) % n] = (char)(test_rand(rng) & 0xff);
        break;
    case 1: /* cut */
        out[n ? test_rand(rng) % n : 0] = '\0';
        break;
    case 2: { /* a value replaced by an extreme */
        const char *colon = n ? strchr(out + test_rand(rng) % n, ':') : NULL;
        if (!colon)
            colon = strchr(out, ':');
        if (!colon)
            break;
        size_t at = (size_t)(colon - out) + 1;
        size_t end = at;
        int depth = 0;
        while (out[end] && (depth > 0 || (out[end] != ',' && out[end] != '}'))) {
            depth += out[end] == '{' || out[end] == '[';
            depth -= out[end] == '}' || out[end] == ']';
            end++;
        }
        const char *x = extremes[test_rand(rng) % (sizeof extremes / sizeof extremes[0])];
        char tail[8192];
        snprintf(tail, sizeof tail, "%s", out + end);
        snprintf(out + at, cap - at, "%s%s", x, tail);
        break;
    }
    case 3: { /* a known field with an out-of-range index */
        static const int v[] = {-1, 7, 2147483647, -2147483647, 24, 12};
        int x = v[test_rand(rng) % 6];
        switch (test_rand(rng) % 3) {
        case 0:
            snprintf(out, cap, "{\"bezwaar\":%d,\"uitkomst\":\"ongegrond\"}", x);
            break;
        case 1:
            snprintf(out, cap, "{\"voorziening\":%d,\"reden\":\"x\"}", x);
            break;
        default:
            snprintf(out, cap,
                     "{\"ontbreekt\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"],"
                     "\"x\":%d}",
                     x);
            break;
        }
        break;
    }
    case 4: /* doubled */
        snprintf(out + n, cap - n, "%s", in);
        break;
    default: /* nothing: the type, role or number changes instead */
        break;
    }
}

static void test_fuzz_stored_events(void **state)
{
    (void)state;
    struct store *s = demo_store("fuzz.db", 60);
    struct ids v = {s, EV};
    struct lks_err e = {0};
    assert_int_equal(store_case_ids(s, NULL, id_cb, &v, &e), 0);
    store_close(s);
    assert_true(EV->n > 600);
    /* the streams of every case fold as they are */
    struct case_state *cs = malloc(sizeof *cs);
    struct case_event *scratch = malloc(sizeof *scratch);
    int cases = 0, types = 0;
    bool seen[EV_COUNT] = {0};
    for (int i = 0; i < EV->n;) {
        int j = i;
        while (j < EV->n && EV->e[j].case_id == EV->e[i].case_id)
            j++;
        if (fold(cs, scratch, i, j, -1, NULL, NULL, NULL, 0, &e))
            fail_msg("case %lld does not fold: %s", (long long)EV->e[i].case_id, e.msg);
        for (int k = i; k < j; k++)
            seen[ev_type_parse(EV->e[k].type)] = true;
        cases++;
        i = j;
    }
    for (int t = 0; t < EV_COUNT; t++)
        types += seen[t];
    assert_true(types >= 15); /* the demo gives nearly every kind of event */
    /* mutated streams: folded or refused, never outside the case */
    static char buf[16384];
    uint64_t rng = 0x5eed;
    int refused = 0, folded = 0;
    const int rounds = 30000;
    for (int r = 0; r < rounds; r++) {
        int k = (int)(test_rand(&rng) % (uint64_t)EV->n);
        int from = k, to = k;
        while (from > 0 && EV->e[from - 1].case_id == EV->e[k].case_id)
            from--;
        while (to < EV->n && EV->e[to].case_id == EV->e[k].case_id)
            to++;
        mutate(&rng, EV->e[k].data, buf, sizeof buf);
        const char *type = EV->e[k].type, *role = EV->e[k].role;
        int64_t seq = EV->e[k].seq;
        uint64_t what = test_rand(&rng) % 8;
        if (what == 0)
            type = ev_type_name((enum ev_type)(test_rand(&rng) % EV_COUNT));
        else if (what == 1)
            type = "geen-soort";
        else if (what == 2)
            role = what & 1 ? "" : "heerser";
        else if (what == 3)
            seq = (int64_t)(test_rand(&rng) % 5) - 2 + seq;
        memset(&e, 0, sizeof e);
        int rc = fold(cs, scratch, from, to, k, buf, type, role, seq, &e);
        if (rc) {
            refused++;
            /* a refusal names the case and an event number */
            char want[48];
            snprintf(want, sizeof want, "zaak %lld", (long long)EV->e[k].case_id);
            if (!strstr(e.msg, want))
                fail_msg("refusal without its case: %s", e.msg);
        } else {
            folded++;
        }
    }
    assert_int_equal(refused + folded, rounds);
    assert_true(refused > rounds / 4);
    assert_true(folded > 0);
    (void)cases;
    free(cs);
    free(scratch);
}

struct verified {
    struct app_verify v;
};

static void verify(struct store *s, struct app_verify *out)
{
    struct app a;
    struct lks_err e = {0};
    assert_int_equal(app_init(&a, s, &R, date_from_ymd(2026, 6, 30), &e), 0);
    if (app_verify(&a, out, &e))
        fail_msg("verify: %s", e.msg);
    app_free(&a);
}

static bool listed(const struct app_verify *v, int64_t case_id, int64_t seq, const char *kind)
{
    for (int i = 0; i < v->nproblems; i++)
        if (v->problem[i].case_id == case_id && (seq < 0 || v->problem[i].seq == seq) &&
            strcmp(v->problem[i].kind, kind) == 0)
            return true;
    return false;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

static int64_t sqlite_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A tampered store: each damage reported with its case and event; the rest checked. */
static void test_verify_tampered_store(void **state)
{
    (void)state;
    struct store *s = demo_store("tamper.db", 30);
    struct app_verify *v = calloc(1, sizeof *v);
    verify(s, v);
    assert_int_equal(v->problems, 0);
    assert_int_equal(v->deadline_mismatches, 0);
    assert_true(v->employers > 0);
    int64_t cases = v->cases;
    sqlite3 *db = store_sqlite_handle(s);
    /* the events are append-only: only with the database's own rule lifted */
    exec(db, "DROP TRIGGER events_no_update; DROP TRIGGER employer_events_no_update;");
    /* case 3, event 2: unreadable data; case 5: a decision on an objection that is not
     * there; case 7: a deadline moved a day; case 9: an event type nobody knows;
     * an employer's confirmation turned into a registration */
    exec(db, "UPDATE events SET data='{\"ontbreekt\":' WHERE case_id=3 AND seq=2");
    exec(db, "UPDATE events SET type='bezwaar-beslist', data='{\"uitkomst\":\"gegrond\","
             "\"bezwaar\":2147483647}' WHERE case_id=5 AND seq=3");
    exec(db, "UPDATE deadlines SET due=due+1 WHERE case_id=7 AND pos=0");
    exec(db, "UPDATE events SET type='zaak-gestolen' WHERE case_id=9 AND seq=1");
    /* case 11: the work list's next deadline on its row a day off; case 13: none */
    exec(db, "UPDATE cases SET next_due=next_due+1 WHERE id=11 AND next_due IS NOT NULL");
    exec(db, "UPDATE cases SET next_kind=NULL,next_due=NULL WHERE id=13");
    exec(db, "UPDATE employer_events SET type='werkgever-geregistreerd' WHERE seq=3 AND "
             "employer_id=(SELECT min(employer_id) FROM employer_events WHERE seq=3)");
    verify(s, v);
    assert_int_equal(v->cases, cases); /* every case still checked */
    assert_true(listed(v, 3, 2, "gebeurtenis"));
    assert_true(listed(v, 5, 3, "gebeurtenis"));
    assert_true(listed(v, 7, -1, "termijn"));
    assert_true(listed(v, 9, 1, "gebeurtenis"));
    assert_int_equal(v->deadline_mismatches, 1);
    int64_t stale = sqlite_int(db, "SELECT (SELECT next_due IS NOT NULL FROM cases WHERE id=11)"
                                   " + EXISTS (SELECT 1 FROM deadlines WHERE case_id=13 AND"
                                   " done IS NULL)");
    assert_true(stale > 0); /* the demo gave them open deadlines: the tamper bites */
    assert_int_equal(v->next_mismatches, stale);
    if (sqlite_int(db, "SELECT next_due IS NOT NULL FROM cases WHERE id=11"))
        assert_true(listed(v, 11, -1, "volgende-termijn"));
    assert_true(v->unreadable >= 4);
    bool employer = false;
    for (int i = 0; i < v->nproblems; i++)
        employer |= strcmp(v->problem[i].kind, "werkgever") == 0 && v->problem[i].seq == 3;
    assert_true(employer);
    free(v);
    store_close(s);
}

/* The case page's tree of the view (web/p_zaak.c) and the API's text of it are one
 * writer: for every case of a demo store, for a case worker and for the CLI (no actor:
 * the commands per role), the tree is the text parsed, keys in the same order. */
struct view_ids {
    int64_t id[64];
    char tenant[64][CASE_ID];
    int n;
};

static int view_id_cb(void *arg, const char *tenant, int64_t id)
{
    struct view_ids *v = arg;
    if (v->n < 64) {
        v->id[v->n] = id;
        snprintf(v->tenant[v->n], sizeof v->tenant[v->n], "%s", tenant);
        v->n++;
    }
    return 0;
}

static void test_view_tree_is_text(void **state)
{
    (void)state;
    struct store *s = demo_store("view.db", 40);
    struct view_ids ids = {0};
    struct lks_err e = {0};
    assert_int_equal(store_case_ids(s, NULL, view_id_cb, &ids, &e), 0);
    assert_true(ids.n >= 40);
    struct app a;
    assert_int_equal(app_init(&a, s, &R, date_from_ymd(2026, 6, 30), &e), 0);
    struct app_view *v = malloc(sizeof *v);
    assert_non_null(v);
    int compared = 0;
    for (int i = 0; i < ids.n; i++)
        for (int op = 0; op < 2; op++) {
            struct app_actor who = {ids.tenant[i], "klantmanager.test", ROLE_KLANTMANAGER, NULL};
            if (app_view(&a, op ? NULL : &who, ids.id[i], LKS_NO_DATE, v, &e))
                fail_msg("view %lld: %s", (long long)ids.id[i], e.msg);
            struct jw w;
            jw_init(&w, (size_t)8 << 20, false);
            app_view_json(&w, v);
            assert_false(jw_failed(&w));
            json_error_t je;
            json_t *parsed = json_loadb(w.buf, w.len, 0, &je);
            assert_non_null(parsed);
            jw_free(&w);
            struct jw_tree t;
            jw_tree_init(&w, &t);
            app_view_json(&w, v);
            json_t *tree = jw_tree_take(&w, &t);
            assert_non_null(tree);
            char *x = json_dumps(parsed, JSON_COMPACT | JSON_PRESERVE_ORDER);
            char *y = json_dumps(tree, JSON_COMPACT | JSON_PRESERVE_ORDER);
            assert_non_null(x);
            assert_string_equal(x, y);
            compared += strlen(x) > 1000;
            free(x);
            free(y);
            json_decref(parsed);
            json_decref(tree);
        }
    assert_int_equal(compared, 2 * ids.n); /* every view a full case, not an empty shell */
    free(v);
    app_free(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_stored_events),
        cmocka_unit_test(test_verify_tampered_store),
        cmocka_unit_test(test_view_tree_is_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

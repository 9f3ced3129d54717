/*
 * test_openapi — src/api/openapi.json against the router's route table.
 *
 * Convention: the document's server URL ends in /api/v1 and its paths are
 * relative to it, so the route "/api/v1/zaken/{id}" is the document path
 * "/zaken/{id}". Checked both ways: every route is documented with the same
 * method and operationId, and every documented operation is a route. Also:
 * every operation can answer a 4xx as application/problem+json, every
 * response carries the shared API-Version header, and the document compiled
 * into the binary is this file.
 */
#include "testutil.h"

#include <ctype.h>
#include <jansson.h>

#include "api/api.h"

#ifndef DOC_FILE /* another file only to test this test */
#define DOC_FILE "src/api/openapi.json"
#endif
#define PREFIX      "/api/v1"
#define VERSION_REF "#/components/headers/API-Version"

static const char *const methods[] = {"get",  "put",   "post",  "delete", "options",
                                      "head", "patch", "trace", NULL};

static int setup(void **state)
{
    char *text = repo_slurp(DOC_FILE);
    json_error_t je;
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!doc)
        fail_msg("%s: line %d: %s", DOC_FILE, je.line, je.text);
    *state = doc;
    return 0;
}

static int teardown(void **state)
{
    json_decref(*state);
    return 0;
}

static bool is_method(const char *key)
{
    for (int i = 0; methods[i]; i++)
        if (strcmp(methods[i], key) == 0)
            return true;
    return false;
}

static void lower(char *out, size_t n, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

/* Follow a local "$ref" ("#/components/..."), as often as it takes. */
static json_t *deref(json_t *doc, json_t *v)
{
    for (int depth = 0; depth < 8 && json_is_object(v); depth++) {
        const char *ref = json_string_value(json_object_get(v, "$ref"));
        if (!ref)
            return v;
        if (strncmp(ref, "#/", 2) != 0)
            return NULL;
        json_t *cur = doc;
        char part[128];
        const char *p = ref + 2;
        while (cur && *p) {
            size_t n = strcspn(p, "/");
            if (n >= sizeof part)
                return NULL;
            memcpy(part, p, n);
            part[n] = '\0';
            cur = json_object_get(cur, part);
            p += n;
            if (*p == '/')
                p++;
        }
        v = cur;
    }
    return json_is_object(v) && !json_object_get(v, "$ref") ? v : NULL;
}

/* The document path of a route path, or NULL when it is not under PREFIX. */
static const char *doc_path(const char *route_path)
{
    size_t n = strlen(PREFIX);
    if (strncmp(route_path, PREFIX, n) != 0 || route_path[n] != '/')
        return NULL;
    return route_path + n;
}

static void test_servers_convention(void **state)
{
    json_t *doc = *state;
    const char *version = json_string_value(json_object_get(doc, "openapi"));
    assert_non_null(version);
    assert_true(strncmp(version, "3.", 2) == 0);
    json_t *servers = json_object_get(doc, "servers");
    assert_true(json_is_array(servers));
    assert_true(json_array_size(servers) > 0);
    size_t i;
    json_t *s;
    json_array_foreach(servers, i, s)
    {
        const char *url = json_string_value(json_object_get(s, "url"));
        assert_non_null(url);
        size_t len = strlen(url), np = strlen(PREFIX);
        if (len < np || strcmp(url + len - np, PREFIX) != 0)
            fail_msg("server url %s does not end in %s", url, PREFIX);
    }
    /* the document says which API version it is; the header says the same */
    const char *info_version =
        json_string_value(json_object_get(json_object_get(doc, "info"), "version"));
    assert_non_null(info_version);
    assert_string_equal(info_version, API_VERSION);
}

static void test_every_route_documented(void **state)
{
    json_t *paths = json_object_get(*state, "paths");
    assert_true(json_is_object(paths));
    int n = api_route_count(), bad = 0;
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        struct api_route_info r;
        api_route_get(i, &r);
        const char *p = doc_path(r.path);
        if (!p) {
            print_error("route %s %s: not under %s\n", r.method, r.path, PREFIX);
            bad++;
            continue;
        }
        char m[16];
        lower(m, sizeof m, r.method);
        json_t *op = json_object_get(json_object_get(paths, p), m);
        if (!json_is_object(op)) {
            print_error("route %s %s (%s): no operation %s %s in the document\n", r.method, r.path,
                        r.operation, m, p);
            bad++;
            continue;
        }
        const char *id = json_string_value(json_object_get(op, "operationId"));
        if (!id || strcmp(id, r.operation) != 0) {
            print_error("route %s %s: operationId %s in the table, %s in the document\n", r.method,
                        r.path, r.operation, id ? id : "(none)");
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static void test_every_operation_routed(void **state)
{
    json_t *paths = json_object_get(*state, "paths");
    assert_true(json_is_object(paths));
    int n = api_route_count(), bad = 0, ops = 0;
    const char *p;
    json_t *item;
    json_object_foreach(paths, p, item)
    {
        const char *m;
        json_t *op;
        json_object_foreach(item, m, op)
        {
            if (!is_method(m))
                continue;
            ops++;
            const char *id = json_string_value(json_object_get(op, "operationId"));
            int found = -1;
            for (int i = 0; i < n && found < 0; i++) {
                struct api_route_info r;
                api_route_get(i, &r);
                char rm[16];
                lower(rm, sizeof rm, r.method);
                const char *rp = doc_path(r.path);
                if (rp && strcmp(rp, p) == 0 && strcmp(rm, m) == 0)
                    found = i;
            }
            if (found < 0) {
                print_error("document %s %s (%s): no such route\n", m, p, id ? id : "(none)");
                bad++;
                continue;
            }
            struct api_route_info r;
            api_route_get(found, &r);
            if (!id || strcmp(id, r.operation) != 0) {
                print_error("document %s %s: operationId %s, route table %s\n", m, p,
                            id ? id : "(none)", r.operation);
                bad++;
            }
        }
    }
    assert_int_equal(bad, 0);
    assert_int_equal(ops, n);
}

static bool has_problem_json(json_t *doc, json_t *resp)
{
    json_t *r = deref(doc, resp);
    return r && json_is_object(
                    json_object_get(json_object_get(r, "content"), "application/problem+json"));
}

static void test_problem_responses(void **state)
{
    json_t *doc = *state;
    int bad = 0;
    const char *p;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), p, item)
    {
        const char *m;
        json_t *op;
        json_object_foreach(item, m, op)
        {
            if (!is_method(m))
                continue;
            json_t *responses = json_object_get(op, "responses");
            bool any4xx = false;
            const char *code;
            json_t *resp;
            json_object_foreach(responses, code, resp)
            {
                if (code[0] != '4' && code[0] != '5')
                    continue;
                if (!has_problem_json(doc, resp)) {
                    print_error("%s %s: response %s is not application/problem+json\n", m, p, code);
                    bad++;
                } else if (code[0] == '4') {
                    any4xx = true;
                }
            }
            if (!any4xx) {
                print_error("%s %s: no 4xx application/problem+json response\n", m, p);
                bad++;
            }
        }
    }
    assert_int_equal(bad, 0);
}

static void test_version_header(void **state)
{
    json_t *doc = *state;
    json_t *ref_obj = json_pack("{s:s}", "$ref", VERSION_REF);
    json_t *shared = deref(doc, ref_obj);
    json_decref(ref_obj);
    assert_non_null(shared);
    int bad = 0, seen = 0;
    const char *p;
    json_t *item;
    json_object_foreach(json_object_get(doc, "paths"), p, item)
    {
        const char *m;
        json_t *op;
        json_object_foreach(item, m, op)
        {
            if (!is_method(m))
                continue;
            const char *code;
            json_t *resp;
            json_object_foreach(json_object_get(op, "responses"), code, resp)
            {
                seen++;
                json_t *r = deref(doc, resp);
                json_t *h =
                    r ? json_object_get(json_object_get(r, "headers"), "API-Version") : NULL;
                const char *ref = json_string_value(json_object_get(h, "$ref"));
                if (!ref || strcmp(ref, VERSION_REF) != 0) {
                    print_error("%s %s: response %s does not reference %s\n", m, p, code,
                                VERSION_REF);
                    bad++;
                }
            }
        }
    }
    assert_true(seen > 0);
    assert_int_equal(bad, 0);
}

/* The server serves what was compiled in: it must be this file, as JSON. */
static void test_embedded_document(void **state)
{
    json_error_t je;
    json_t *embedded = json_loads(api_openapi_json, JSON_REJECT_DUPLICATES, &je);
    if (!embedded)
        fail_msg("embedded document: line %d: %s", je.line, je.text);
    bool same = json_equal(embedded, *state);
    json_decref(embedded);
    if (!same)
        fail_msg("the compiled-in document differs from %s: rebuild", DOC_FILE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_servers_convention),
        cmocka_unit_test(test_every_route_documented),
        cmocka_unit_test(test_every_operation_routed),
        cmocka_unit_test(test_problem_responses),
        cmocka_unit_test(test_version_header),
        cmocka_unit_test(test_embedded_document),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_assets — the static files compiled into the binary (src/web/assets.h, built by
 * tools/embed_assets.sh): the CSS bundle is there and whole, its name and ETag carry the
 * SHA-256 of its bytes, it holds the design tokens, the NL Design System components the
 * pages use and lks.css, it loads nothing from elsewhere, its licence notice is kept, and
 * web_asset_path and web_asset_find agree for every asset.
 */
#include "testutil.h"

#include <stdbool.h>

#include <sodium.h>

#include "web/assets.h"

static const struct web_asset *css(void)
{
    const char *path = web_asset_path("lks.css");
    assert_non_null(path);
    const struct web_asset *a = web_asset_find(path);
    assert_non_null(a);
    return a;
}

static bool has(const struct web_asset *a, const char *needle)
{
    return memmem(a->data, a->len, needle, strlen(needle)) != NULL;
}

/* The first 12 hex digits of the SHA-256 of the asset's bytes. */
static void hash12(const struct web_asset *a, char out[13])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    assert_int_equal(crypto_hash_sha256(h, a->data, a->len), 0);
    for (int i = 0; i < 6; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void test_bundle_exists(void **state)
{
    (void)state;
    const struct web_asset *a = css();
    assert_true(a->len > 50000); /* tokens and some thirty components, not a stub */
    assert_string_equal(a->content_type, "text/css; charset=utf-8");
    assert_int_equal(strncmp(a->path, "/static/lks-", 12), 0);
    assert_int_equal(strlen(a->path), strlen("/static/lks-0123456789ab.css"));
    assert_string_equal(a->path + strlen(a->path) - 4, ".css");
    /* text, no NUL inside; every rule closed */
    assert_null(memchr(a->data, '\0', a->len));
    size_t open = 0, close = 0;
    for (size_t i = 0; i < a->len; i++) {
        open += a->data[i] == '{';
        close += a->data[i] == '}';
    }
    assert_int_equal(open, close);
}

static void test_names_carry_the_hash(void **state)
{
    (void)state;
    assert_true(sodium_init() >= 0);
    assert_true(web_assets_n >= 1);
    for (size_t i = 0; i < web_assets_n; i++) {
        const struct web_asset *a = &web_assets[i];
        char h[13], want[32];
        hash12(a, h);
        const char *dash = strrchr(a->path, '-');
        assert_non_null(dash);
        if (strncmp(dash + 1, h, 12) != 0 || dash[13] != '.')
            fail_msg("%s: the bytes hash to %s", a->path, h);
        snprintf(want, sizeof want, "\"%s\"", h);
        assert_string_equal(a->etag, want);
        assert_int_equal(strncmp(a->path, "/static/", 8), 0);
        assert_true(a->len > 0);
    }
}

static void test_tokens_and_components(void **state)
{
    (void)state;
    const struct web_asset *a = css();
    /* the theme's rule, its tokens and the tokens the components read */
    static const char *const tokens[] = {
        ".lks-theme {",
        "--basis-color-default-color-document:",
        "--basis-text-font-family-default:",
        "--basis-focus-outline-color:",
        "--utrecht-button-primary-action-background-color:",
        "--utrecht-textbox-border-color:",
        "--utrecht-link-color:",
        "--utrecht-skip-link-background-color:",
        "--utrecht-table-cell-padding-block-start:",
    };
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++)
        if (!has(a, tokens[i]))
            fail_msg("the bundle lacks the token %s", tokens[i]);
    static const char *const classes[] = {
        ".utrecht-page-layout",
        ".utrecht-page-header",
        ".utrecht-page-footer",
        ".utrecht-document",
        ".utrecht-skip-link",
        ".utrecht-heading-1",
        ".utrecht-heading-4",
        ".utrecht-paragraph",
        ".utrecht-link",
        ".utrecht-unordered-list",
        ".utrecht-data-list",
        ".utrecht-table",
        ".utrecht-button",
        ".utrecht-action-group",
        ".utrecht-form-field",
        ".utrecht-form-label",
        ".utrecht-form-fieldset",
        ".utrecht-form-field-description",
        ".utrecht-form-field-error-message",
        ".utrecht-textbox",
        ".utrecht-textarea",
        ".utrecht-select",
        ".utrecht-checkbox",
        ".utrecht-radio-button",
        ".utrecht-alert",
        ".utrecht-status-badge",
        ".utrecht-breadcrumb-nav",
        ".utrecht-nav-bar",
        ".utrecht-nav-list",
        ".utrecht-separator",
        ".utrecht-accordion",
        /* lks.css, last */
        ".lks-header",
        ".lks-main",
        ".lks-worklist",
        ".lks-section",
        ".lks-progress",
        ".lks-error-summary",
        ".lks-deadline--overdue",
        ".lks-deadline--soon",
        ".lks-deadline--ok",
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (!has(a, classes[i]))
            fail_msg("the bundle lacks the class %s", classes[i]);
    /* the theme's own name is gone: pages name lks-theme whatever theme is bundled */
    assert_false(has(a, ".voorbeeld-theme {"));
}

static void test_nothing_from_elsewhere(void **state)
{
    (void)state;
    const struct web_asset *a = css();
    assert_false(has(a, "@import"));
    assert_false(has(a, "url(http"));
    assert_false(has(a, "url(\"http"));
    assert_false(has(a, "url('http"));
    assert_false(has(a, "url(//"));
    /* no url() at all, not even data:, so the pages' CSP needs nothing beyond 'self' */
    if (has(a, "url("))
        fail_msg("the bundle has a url(): the pages' CSP (default-src 'self') refuses data:");
    assert_false(has(a, "sourceMappingURL"));
    /* EUPL-1.2 asks that the notices stay */
    assert_true(has(a, "@license EUPL-1.2"));
    assert_true(has(a, "Gemeente Utrecht"));
    assert_true(has(a, "NL Design System Community"));
}

static void test_find_and_path_agree(void **state)
{
    (void)state;
    for (size_t i = 0; i < web_assets_n; i++) {
        const char *path = web_asset_path(web_assets_logical[i]);
        assert_non_null(path);
        assert_string_equal(path, web_assets[i].path);
        assert_ptr_equal(web_asset_find(path), &web_assets[i]);
    }
    assert_non_null(web_asset_path("favicon.svg"));
    assert_string_equal(web_asset_find(web_asset_path("favicon.svg"))->content_type,
                        "image/svg+xml");
    /* only exact request paths: no logical name, no unhashed name, no query, no prefix */
    assert_null(web_asset_path("bestaat-niet.css"));
    assert_null(web_asset_path(NULL));
    assert_null(web_asset_find(NULL));
    assert_null(web_asset_find("lks.css"));
    assert_null(web_asset_find("/static/lks.css"));
    assert_null(web_asset_find("/static/"));
    char buf[128];
    snprintf(buf, sizeof buf, "%s?v=1", web_asset_path("lks.css"));
    assert_null(web_asset_find(buf));
    snprintf(buf, sizeof buf, "%s", web_asset_path("lks.css"));
    buf[strlen(buf) - 1] = '\0';
    assert_null(web_asset_find(buf));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundle_exists),         cmocka_unit_test(test_names_carry_the_hash),
        cmocka_unit_test(test_tokens_and_components), cmocka_unit_test(test_nothing_from_elsewhere),
        cmocka_unit_test(test_find_and_path_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_letter_logo — the municipality's logo on a letter: a PNG and an SVG logo are drawn
 * at the top left (the rendered page, by pdftoppm, has dark pixels in the logo's box and
 * none there without a logo), a logo that cannot be read leaves the letter as it is, and
 * an SVG that refers to a file outside draws without reading it.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "letter/letter.h"

static void base_letter(struct letter *L)
{
    memset(L, 0, sizeof *L);
    snprintf(L->s.tenant, sizeof L->s.tenant, "gm0794");
    snprintf(L->s.name, sizeof L->s.name, "Gemeente Helmond");
    snprintf(L->s.address, sizeof L->s.address, "Postbus 950");
    snprintf(L->s.signer, sizeof L->s.signer, "A. Ondertekenaar");
    snprintf(L->title, sizeof L->title, "Beschikking loonkostensubsidie");
    snprintf(L->subject, sizeof L->subject, "Toekenning loonkostensubsidie");
    L->date = date_from_ymd(2026, 12, 3);
    L->npars = 1;
    L->par[0].kind = LP_TEXT;
    snprintf(L->par[0].text, sizeof L->par[0].text, "Een korte brief.");
}

/* Dark pixels in the logo's box (top left, 160 × 56 pt from 70, 56) of page 1 at 72 dpi. */
static long dark_in_logo_box(const unsigned char *pdf, size_t n)
{
    char dir[] = "/tmp/lks-logo-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], cmd[768], pgm[300];
    snprintf(path, sizeof path, "%s/b.pdf", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(pdf, 1, n, f), n);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "pdftoppm -gray -r 72 -f 1 -l 1 -x 70 -y 56 -W 160 -H 56 %s %s/p >/dev/null 2>&1",
             path, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(pgm, sizeof pgm, "%s/p-1.pgm", dir);
    f = fopen(pgm, "rb");
    assert_non_null(f);
    int w, h, max;
    assert_int_equal(fscanf(f, "P5 %d %d %d", &w, &h, &max), 3);
    fgetc(f);
    long dark = 0;
    for (long i = 0; i < (long)w * h; i++) {
        int c = fgetc(f);
        assert_true(c != EOF);
        if (c < 128)
            dark++;
    }
    fclose(f);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return dark;
}

static long render_dark(const char *type, const void *logo, size_t len)
{
    struct letter *L = malloc(sizeof *L);
    assert_non_null(L);
    base_letter(L);
    snprintf(L->s.logo_type, sizeof L->s.logo_type, "%s", type);
    L->s.logo = (unsigned char *)logo;
    L->s.logo_len = len;
    unsigned char *pdf = NULL;
    size_t n = 0;
    struct lks_err e = {0};
    int rc = letter_pdf(L, &pdf, &n, &e);
    if (rc)
        fail_msg("letter_pdf: %s", e.msg);
    long dark = dark_in_logo_box(pdf, n);
    free(pdf);
    free(L);
    return dark;
}

static const char svg_block[] =
    "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='70'>"
    "<rect x='0' y='0' width='200' height='70' fill='#000'/></svg>";
static const char svg_viewbox[] = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 20 7'>"
                                  "<rect width='20' height='7' fill='#102030'/></svg>";
static const char svg_outside[] =
    "<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' "
    "width='200' height='70'><image xlink:href='file:///etc/passwd' width='200' height='70'/>"
    "<rect width='100' height='70' fill='#000'/></svg>";

static void test_svg_drawn(void **state)
{
    (void)state;
    long none = render_dark("", NULL, 0);
    assert_int_equal(none, 0);
    long block = render_dark("svg", svg_block, strlen(svg_block));
    assert_true(block > 160 * 56 / 2); /* the box is mostly black */
    long vb = render_dark("svg", svg_viewbox, strlen(svg_viewbox));
    assert_true(vb > 160 * 56 / 2);
}

static void test_svg_bad_or_outside(void **state)
{
    (void)state;
    static const char junk[] = "<svg this is not xml";
    assert_int_equal(render_dark("svg", junk, strlen(junk)), 0);
    /* the file reference is not followed; the rectangle beside it is still drawn */
    long half = render_dark("svg", svg_outside, strlen(svg_outside));
    assert_true(half > 0);
}

static void test_png_drawn(void **state)
{
    (void)state;
    /* a 2 × 1 black PNG */
    static const unsigned char png[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
        0x00, 0xd1, 0x49, 0x20, 0x56, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
        0x9c, 0x63, 0x60, 0x60, 0x00, 0x00, 0x00, 0x03, 0x00, 0x01, 0xb8, 0xad, 0x3a, 0x63,
        0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    long dark = render_dark("png", png, sizeof png);
    assert_true(dark > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg_drawn),
        cmocka_unit_test(test_svg_bad_or_outside),
        cmocka_unit_test(test_png_drawn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

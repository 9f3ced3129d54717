/*
 * letter_pdf — a letter (letter.h) as PDF with cairo and pango.
 *
 * Owns the page layout (A4, margins, header with logo and sender, addressee, the
 * paragraphs and the three-column table of calculation steps, the signature, page
 * numbers) and the font setup: a fontconfig configuration of our own (letter_fonts_conf)
 * with exactly the two font files of Debian's fonts-dejavu-core, so the system's other
 * fonts and its configuration never change the output. Every text goes through a pango
 * layout as plain text with attributes (never markup), wrapped at words and, where a
 * word is longer than the line, inside it (PANGO_WRAP_WORD_CHAR), so nothing runs
 * outside the margins. The PDF gets the letter's title, its date as creation date and
 * the language nl-NL (cairo 1.16 has no call for /Lang: it is added to the catalog
 * afterwards, with the cross-reference table corrected), so the same letter gives the
 * same bytes.
 *
 * Built as its own shared object, build/liblks_pdf.so (with its own copies of base/err.c
 * and base/date.c, every symbol hidden but the entry below), opened by letter_load.c on
 * the first letter: only a process that makes a letter loads cairo, pango and the ~35
 * libraries behind them (docs/performance.md).
 *
 * Errors: LKS_EIO when cairo fails or the fonts cannot be loaded, LKS_ENOMEM.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <librsvg/rsvg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "letter/letter.h"
#include "letter/letter_pdf_so.h"

/* The project's fontconfig: no font directories, no system configuration; the fonts are
 * added by file below. */
static const char letter_fonts_conf[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
    "<fontconfig>\n"
    "  <!-- lks letters: only DejaVu Sans (Debian fonts-dejavu-core), added by file -->\n"
    "  <match target=\"font\">\n"
    "    <edit name=\"hinting\" mode=\"assign\"><bool>false</bool></edit>\n"
    "    <edit name=\"antialias\" mode=\"assign\"><bool>true</bool></edit>\n"
    "  </match>\n"
    "</fontconfig>\n";

#define FONT_DIR "/usr/share/fonts/truetype/dejavu/"
static const char *const font_files[] = {FONT_DIR "DejaVuSans.ttf", FONT_DIR "DejaVuSans-Bold.ttf"};
#define FAMILY "DejaVu Sans"

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static PangoFontMap *fontmap;
static char fonts_error[256];

static void fonts_init(void)
{
    FcConfig *cfg = FcConfigCreate();
    if (!cfg || !FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)letter_fonts_conf, FcTrue)) {
        snprintf(fonts_error, sizeof fonts_error, "de lettertype-instellingen zijn ongeldig");
        return;
    }
    for (size_t i = 0; i < sizeof font_files / sizeof font_files[0]; i++)
        if (!FcConfigAppFontAddFile(cfg, (const FcChar8 *)font_files[i])) {
            snprintf(fonts_error, sizeof fonts_error,
                     "lettertype %s ontbreekt (Debian-pakket fonts-dejavu-core)", font_files[i]);
            FcConfigDestroy(cfg);
            return;
        }
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!fm) {
        snprintf(fonts_error, sizeof fonts_error, "pango heeft geen FreeType-lettertypen");
        FcConfigDestroy(cfg);
        return;
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), cfg);
    FcConfigDestroy(cfg); /* the font map holds its own reference */
    fontmap = fm;
}

/* ---- output into memory ---- */

struct membuf {
    unsigned char *b;
    size_t n, cap;
    bool failed;
};

static cairo_status_t mem_write(void *arg, const unsigned char *data, unsigned int len)
{
    struct membuf *m = arg;
    if (m->n + len > m->cap) {
        size_t cap = m->cap ? m->cap : 1 << 16;
        while (cap < m->n + len)
            cap *= 2;
        unsigned char *nb = realloc(m->b, cap);
        if (!nb) {
            m->failed = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        m->b = nb;
        m->cap = cap;
    }
    memcpy(m->b + m->n, data, len);
    m->n += len;
    return CAIRO_STATUS_SUCCESS;
}

struct memread {
    const unsigned char *b;
    size_t n, at;
};

static cairo_status_t mem_read(void *arg, unsigned char *data, unsigned int len)
{
    struct memread *m = arg;
    if (m->at + len > m->n)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, m->b + m->at, len);
    m->at += len;
    return CAIRO_STATUS_SUCCESS;
}

/* ---- layout ---- */

#define PAGE_W    595.276
#define PAGE_H    841.890
#define LEFT      70.0
#define RIGHT     60.0
#define TOP       56.0
#define BOTTOM    70.0
#define TEXT_W    (PAGE_W - LEFT - RIGHT)
#define COL_TEXT  (TEXT_W * 0.50)
#define COL_VALUE (TEXT_W * 0.17)
#define COL_GAP   8.0
#define COL_BASIS (TEXT_W - COL_TEXT - COL_VALUE - 2 * COL_GAP)

struct pen {
    cairo_t *cr;
    PangoContext *ctx;
    double y;
    int page;
};

/*
 * Layouts are kept per thread and reused: most of a letter is the same text blocks in the
 * same width from letter to letter (the objection clause, the conditions), and shaping them
 * is most of the time of a letter. The key is everything that decides a layout (text,
 * width, size, weight, alignment); a layout drawn again gives the same glyphs, so the bytes
 * of a letter do not depend on what was rendered before it. The cache and the context it
 * belongs to are the thread's own (pango objects are not shared between threads) and the
 * cache is emptied when it holds LAYOUT_CACHE_MAX layouts.
 */
#define LAYOUT_CACHE_MAX 512
static __thread GHashTable *layout_cache;
static __thread PangoContext *layout_ctx;

static PangoContext *thread_context(void)
{
    if (layout_ctx)
        return layout_ctx;
    layout_ctx = pango_font_map_create_context(fontmap);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(layout_ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_language(layout_ctx, pango_language_from_string("nl-nl"));
    layout_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
    return layout_ctx;
}

/* A layout of the text (a new reference: the caller unrefs it). */
static PangoLayout *layout(struct pen *p, const char *text, double width, double size, bool bold,
                           PangoAlignment align)
{
    char *key = g_strdup_printf("%.3f|%.2f|%d|%d|%s", width, size, bold, (int)align, text);
    PangoLayout *l = g_hash_table_lookup(layout_cache, key);
    if (l) {
        g_free(key);
        return g_object_ref(l);
    }
    l = pango_layout_new(p->ctx);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, FAMILY);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, text, -1); /* plain text: nothing is read as markup */
    if (g_hash_table_size(layout_cache) >= LAYOUT_CACHE_MAX)
        g_hash_table_remove_all(layout_cache);
    g_hash_table_insert(layout_cache, key, g_object_ref(l));
    return l;
}

static double height_of(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void footer(struct pen *p)
{
    char buf[32];
    snprintf(buf, sizeof buf, "Pagina %d", p->page);
    PangoLayout *l = layout(p, buf, TEXT_W, 8, false, PANGO_ALIGN_RIGHT);
    cairo_move_to(p->cr, LEFT, PAGE_H - BOTTOM + 24);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

/* Room for h points more on this page; a new page when there is none. */
static void need(struct pen *p, double h)
{
    if (p->y + h <= PAGE_H - BOTTOM || p->y <= TOP)
        return;
    footer(p);
    cairo_show_page(p->cr);
    p->page++;
    p->y = TOP;
}

static void block(struct pen *p, const char *text, double size, bool bold, double before,
                  double after)
{
    PangoLayout *l = layout(p, text, TEXT_W, size, bold, PANGO_ALIGN_LEFT);
    double h = height_of(l);
    p->y += before;
    need(p, h);
    cairo_move_to(p->cr, LEFT, p->y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    p->y += h + after;
}

static void bullet(struct pen *p, const char *text)
{
    PangoLayout *l = layout(p, text, TEXT_W - 14, 10, false, PANGO_ALIGN_LEFT);
    PangoLayout *dot = layout(p, "•", 10, 10, false, PANGO_ALIGN_LEFT);
    double h = height_of(l);
    need(p, h);
    cairo_move_to(p->cr, LEFT + 2, p->y);
    pango_cairo_show_layout(p->cr, dot);
    cairo_move_to(p->cr, LEFT + 14, p->y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
    g_object_unref(dot);
    p->y += h + 3;
}

static void row(struct pen *p, const char *a, const char *b, const char *c, bool head)
{
    PangoLayout *la = layout(p, a, COL_TEXT, head ? 8.5 : 9, head, PANGO_ALIGN_LEFT);
    PangoLayout *lb = layout(p, b, COL_VALUE, head ? 8.5 : 9, true, PANGO_ALIGN_RIGHT);
    PangoLayout *lc = layout(p, c, COL_BASIS, 8, head, PANGO_ALIGN_LEFT);
    double h = height_of(la);
    if (height_of(lb) > h)
        h = height_of(lb);
    if (height_of(lc) > h)
        h = height_of(lc);
    need(p, h + 6);
    cairo_move_to(p->cr, LEFT, p->y);
    pango_cairo_show_layout(p->cr, la);
    cairo_move_to(p->cr, LEFT + COL_TEXT + COL_GAP, p->y);
    pango_cairo_show_layout(p->cr, lb);
    cairo_move_to(p->cr, LEFT + COL_TEXT + COL_VALUE + 2 * COL_GAP, p->y);
    pango_cairo_show_layout(p->cr, lc);
    p->y += h + 3;
    cairo_set_line_width(p->cr, head ? 0.8 : 0.3);
    cairo_move_to(p->cr, LEFT, p->y);
    cairo_line_to(p->cr, LEFT + TEXT_W, p->y);
    cairo_stroke(p->cr);
    p->y += 3;
    g_object_unref(la);
    g_object_unref(lb);
    g_object_unref(lc);
}

/* The logo at the top left, at most 160 × 56 pt; only PNG is drawn. */
/* Scale (w, h) into the logo's box, at most 160 × 56 pt, and draw it with paint(). */
static double logo_box(struct pen *p, double w, double h, void (*paint)(struct pen *, void *),
                       void *arg)
{
    if (!(w > 0 && h > 0))
        return 0;
    double k = 56.0 / h;
    if (w * k > 160)
        k = 160 / w;
    cairo_save(p->cr);
    cairo_translate(p->cr, LEFT, TOP);
    cairo_scale(p->cr, k, k);
    paint(p, arg);
    cairo_restore(p->cr);
    return h * k;
}

static void paint_png(struct pen *p, void *img)
{
    cairo_set_source_surface(p->cr, img, 0, 0);
    cairo_paint(p->cr);
}

struct svg_paint {
    RsvgHandle *h;
    double w, h_px;
};

static void paint_svg(struct pen *p, void *arg)
{
    struct svg_paint *sp = arg;
    RsvgRectangle vp = {0, 0, sp->w, sp->h_px};
    GError *e = NULL;
    if (!rsvg_handle_render_document(sp->h, p->cr, &vp, &e))
        g_clear_error(&e);
}

/*
 * The logo at the top left, at most 160 × 56 pt: PNG through cairo, SVG through librsvg
 * from memory, so it has no base file and loads nothing else (librsvg resolves external
 * references only below a base file; the app caps the size). A logo that cannot be read is
 * left out, as the letter must still go out.
 */
static double logo(struct pen *p, const struct letter_settings *s)
{
    if (!s->logo || !s->logo_len)
        return 0;
    if (strcmp(s->logo_type, "svg") == 0) {
        GError *e = NULL;
        RsvgHandle *h = rsvg_handle_new_from_data(s->logo, s->logo_len, &e);
        if (!h) {
            g_clear_error(&e);
            return 0;
        }
        rsvg_handle_set_dpi(h, 72);
        struct svg_paint sp = {h, 0, 0};
        double H = 0;
        if (rsvg_handle_get_intrinsic_size_in_pixels(h, &sp.w, &sp.h_px))
            H = logo_box(p, sp.w, sp.h_px, paint_svg, &sp);
        else {
            /* no width and height: its viewBox gives the proportions */
            gboolean has_w, has_h, has_vb;
            RsvgLength lw, lh;
            RsvgRectangle vb;
            rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
            if (has_vb && vb.width > 0 && vb.height > 0) {
                sp.w = vb.width;
                sp.h_px = vb.height;
                H = logo_box(p, sp.w, sp.h_px, paint_svg, &sp);
            }
        }
        g_object_unref(h);
        return H;
    }
    if (strcmp(s->logo_type, "png") != 0)
        return 0;
    struct memread mr = {s->logo, s->logo_len, 0};
    cairo_surface_t *img = cairo_image_surface_create_from_png_stream(mem_read, &mr);
    double H = 0;
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS)
        H = logo_box(p, cairo_image_surface_get_width(img), cairo_image_surface_get_height(img),
                     paint_png, img);
    cairo_surface_destroy(img);
    return H;
}

static const char *const month_names[12] = {"januari",   "februari", "maart",    "april",
                                            "mei",       "juni",     "juli",     "augustus",
                                            "september", "oktober",  "november", "december"};

static void draw(struct pen *p, const struct letter *L)
{
    const struct letter_settings *s = &L->s;
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    double lh = logo(p, s);
    /* sender at the right */
    char sender[4 * LETTER_LINE];
    snprintf(sender, sizeof sender, "%s\n%s\n%s %s", s->name, s->address, s->postcode, s->city);
    PangoLayout *l = layout(p, sender, TEXT_W * 0.45, 8.5, false, PANGO_ALIGN_RIGHT);
    cairo_move_to(p->cr, LEFT + TEXT_W * 0.55, TOP);
    pango_cairo_show_layout(p->cr, l);
    double sh = height_of(l);
    g_object_unref(l);
    p->y = TOP + (lh > sh ? lh : sh) + 40;
    if (p->y < 150)
        p->y = 150;
    /* addressee */
    char to[5 * LETTER_LINE] = "";
    for (int i = 0; i < L->naddressee; i++) {
        size_t k = strlen(to);
        snprintf(to + k, sizeof to - k, "%s%s", i ? "\n" : "", L->addressee[i]);
    }
    PangoLayout *la = layout(p, to, TEXT_W * 0.6, 10, false, PANGO_ALIGN_LEFT);
    cairo_move_to(p->cr, LEFT, p->y);
    pango_cairo_show_layout(p->cr, la);
    p->y += height_of(la) + 36;
    g_object_unref(la);
    /* date, reference, subject */
    char head[3 * LETTER_LINE];
    int y, m, d;
    date_to_ymd(L->date, &y, &m, &d);
    snprintf(head, sizeof head, "Datum: %d %s %d\n%s", d, month_names[(m - 1) % 12], y, L->ref);
    block(p, head, 9, false, 0, 8);
    block(p, L->subject, 12, true, 0, 14);
    block(p, "Geachte heer of mevrouw,", 10, false, 0, 8);
    bool in_table = false;
    for (int i = 0; i < L->npars; i++) {
        const struct letter_par *q = &L->par[i];
        if (q->kind == LP_ROW && !in_table) {
            p->y += 4;
            row(p, "Stap", "Bedrag", "Wetsartikel", true);
            in_table = true;
        } else if (q->kind != LP_ROW && in_table) {
            in_table = false;
            p->y += 6;
        }
        switch (q->kind) {
        case LP_HEADING:
            /* a heading stays with the first lines after it */
            need(p, 90);
            block(p, q->text, 11, true, 8, 4);
            break;
        case LP_TEXT:
            block(p, q->text, 10, false, 0, 6);
            break;
        case LP_BULLET:
            bullet(p, q->text);
            break;
        case LP_ROW:
            row(p, q->text, q->value, q->basis, false);
            break;
        }
    }
    char sign[4 * LETTER_LINE + 32];
    snprintf(sign, sizeof sign, "Met vriendelijke groet,\n\n%s\n%s\n%s", s->signer,
             s->signer_function, s->name);
    need(p, 80);
    block(p, sign, 10, false, 14, 0);
    footer(p);
}

/* Add /Lang to the document catalog and shift the cross-reference table after it. */
static int add_lang(struct membuf *m, const char *lang)
{
    static const char cat[] = "/Type /Catalog";
    unsigned char *at = memmem(m->b, m->n, cat, sizeof cat - 1);
    static const char xref_kw[] = "\nxref\n";
    unsigned char *xr = memmem(m->b, m->n, xref_kw, sizeof xref_kw - 1);
    static const char sx_kw[] = "startxref\n";
    unsigned char *sx = memmem(m->b, m->n, sx_kw, sizeof sx_kw - 1);
    if (!at || !xr || !sx || at > xr)
        return -1;
    char ins[64];
    int k = snprintf(ins, sizeof ins, " /Lang (%s)", lang);
    size_t pos = (size_t)(at - m->b) + sizeof cat - 1;
    size_t xref_pos = (size_t)(xr - m->b) + 1;
    /* the table: "xref\n0 N\n" then N entries of 20 bytes "oooooooooo ggggg n \n" */
    char *e;
    const char *t = (const char *)m->b + xref_pos + 5;
    long first = strtol(t, &e, 10);
    long count = strtol(e, &e, 10);
    if (first != 0 || count <= 0 || *e != '\n')
        return -1;
    size_t entries = (size_t)(e + 1 - (const char *)m->b);
    if (entries + (size_t)count * 20 > m->n)
        return -1;
    for (long i = 0; i < count; i++) {
        char *ent = (char *)m->b + entries + (size_t)i * 20;
        long off = strtol(ent, NULL, 10);
        if (ent[17] == 'n' && (size_t)off > pos) {
            char nb[24];
            snprintf(nb, sizeof nb, "%010ld", (off + k) % 10000000000L);
            memcpy(ent, nb, 10);
        }
    }
    /* startxref's number */
    size_t sxn = (size_t)(sx - m->b) + sizeof sx_kw - 1;
    long old = strtol((const char *)m->b + sxn, &e, 10);
    size_t sx_end = (size_t)(e - (const char *)m->b);
    char nsx[24];
    int nk = snprintf(nsx, sizeof nsx, "%ld", old + k);
    size_t n2 = m->n + (size_t)k + (size_t)nk - (sx_end - sxn);
    unsigned char *nb = malloc(n2);
    if (!nb)
        return -1;
    size_t w = 0;
    memcpy(nb, m->b, pos);
    w = pos;
    memcpy(nb + w, ins, (size_t)k);
    w += (size_t)k;
    memcpy(nb + w, m->b + pos, sxn - pos);
    w += sxn - pos;
    memcpy(nb + w, nsx, (size_t)nk);
    w += (size_t)nk;
    memcpy(nb + w, m->b + sx_end, m->n - sx_end);
    w += m->n - sx_end;
    free(m->b);
    m->b = nb;
    m->n = w;
    m->cap = n2;
    return 0;
}

static int render(const struct letter *L, unsigned char **out, size_t *len, struct lks_err *err);

/* The shared object's one exported symbol (letter_pdf_so.h). */
__attribute__((visibility("default"))) int lks_pdf_render(unsigned abi, const struct letter *L,
                                                          unsigned char **out, size_t *len,
                                                          struct lks_err *err)
{
    if (abi != LETTER_PDF_ABI)
        return lks_err_set(err, LKS_EIO, "brief", "pdf-version",
                           "de PDF-maker (liblks_pdf.so) hoort bij een andere versie van lks");
    return render(L, out, len, err);
}

static int render(const struct letter *L, unsigned char **out, size_t *len, struct lks_err *err)
{
    *out = NULL;
    *len = 0;
    pthread_once(&fonts_once, fonts_init);
    if (!fontmap)
        return lks_err_set(err, LKS_EIO, "brief", "no-fonts", "%s", fonts_error);
    struct membuf m = {0};
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(mem_write, &m, PAGE_W, PAGE_H);
    cairo_pdf_surface_restrict_to_version(surf, CAIRO_PDF_VERSION_1_5);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, L->title);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_AUTHOR, L->s.name);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_SUBJECT, L->subject);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "lks");
    char when[40];
    int y, mo, d;
    date_to_ymd(L->date, &y, &mo, &d);
    snprintf(when, sizeof when, "%04d-%02d-%02dT00:00:00Z", y, mo, d);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, when);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, when);
    cairo_t *cr = cairo_create(surf);
    PangoContext *ctx = thread_context();
    struct pen p = {cr, ctx, TOP, 1};
    draw(&p, L);
    cairo_show_page(cr);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    if (m.failed) {
        free(m.b);
        return lks_err_set(err, LKS_ENOMEM, "brief", "no-memory", "onvoldoende geheugen");
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        free(m.b);
        return lks_err_set(err, LKS_EIO, "brief", "cairo", "de PDF kon niet worden gemaakt: %s",
                           cairo_status_to_string(st));
    }
    if (add_lang(&m, "nl-NL")) {
        free(m.b);
        return lks_err_set(err, LKS_EIO, "brief", "pdf-lang",
                           "de taal kon niet in de PDF worden gezet");
    }
    *out = m.b;
    *len = m.n;
    return 0;
}

/*
 * letter_pdf_so — the interface between lks and its PDF renderer, the shared object
 * liblks_pdf.so (letter_pdf.c with cairo and pango), which letter_load.c opens with
 * dlopen on the first letter.
 *
 * One symbol, lks_pdf_render, with the ABI number first: the number changes with the
 * layout of struct letter and struct lks_err (and by hand, LETTER_PDF_VERSION, when the
 * call itself changes), so a liblks_pdf.so of another build answers LKS_EIO with a clear
 * message instead of reading a struct it does not know.
 */
#ifndef LKS_LETTER_LETTER_PDF_SO_H
#define LKS_LETTER_LETTER_PDF_SO_H

#include <stddef.h>

#include "base/err.h"
#include "letter/letter.h"

#define LETTER_PDF_VERSION 1u
#define LETTER_PDF_ABI                                                                             \
    (LETTER_PDF_VERSION << 24 |                                                                    \
     ((unsigned)(sizeof(struct letter) * 31u + sizeof(struct lks_err)) & 0xffffffu))
#define LETTER_PDF_SYMBOL "lks_pdf_render"
#define LETTER_PDF_SO     "liblks_pdf.so"

typedef int lks_pdf_render_fn(unsigned abi, const struct letter *L, unsigned char **out,
                              size_t *len, struct lks_err *err);

lks_pdf_render_fn lks_pdf_render;

#endif

/*
 * letter — the decision letters (beschikkingen) as a model and as PDF.
 *
 * Owns: the letter model (struct letter: addressee, subject, a list of paragraphs and
 * rows), the table of text blocks in plain Dutch that letter_build chooses from by the
 * case's rule outcomes (letter.c), and the PDF rendering with cairo and pango
 * (letter_pdf.c). It computes nothing of the decision itself: the amounts and the
 * objection deadline are those the process stored on the decision (case_decide), the
 * calculation steps are what the rules give for the decision's first month
 * (case_month_amount, the same call the case view makes), and the deadline of a letter
 * that has no decision of its own (the end of the subsidy, the decision on objection) is
 * the rules' term function (term_compute). The legal parts of a letter are blocks of the
 * table, never free text; free text (a refusal's reason, the access test's argument)
 * appears only inside a block that says whose words they are.
 *
 * Pure apart from the PDF's fonts: letter_pdf reads the font files named in the
 * project's fontconfig (letter_fonts_conf) and nothing else, so the same letter gives
 * the same bytes. Errors are values: LKS_ENOTFOUND (no such decision or objection),
 * LKS_ESTATE (the case has no letter of that kind yet), LKS_ENOMEM, LKS_EIO (cairo
 * failed). Not thread-safe on first use of letter_pdf (font setup); after that each
 * call is independent.
 */
#ifndef LKS_LETTER_LETTER_H
#define LKS_LETTER_LETTER_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "case/model.h"
#include "rules/tables.h"

enum letter_kind {
    LETTER_TOEKENNING, /* grant */
    LETTER_HERZIENING, /* revision after a new wage value, new hours or re-indexation */
    LETTER_AFWIJZING,  /* refusal */
    LETTER_EINDE,      /* end of the subsidy */
    LETTER_BEZWAAR,    /* decision on objection */
    LETTER_KIND_COUNT
};

enum letter_to { LETTER_WERKGEVER, LETTER_WERKNEMER };

const char *letter_kind_name(enum letter_kind k); /* "toekenning", … */
int letter_kind_parse(const char *s);             /* -1 when unknown */
const char *letter_to_name(enum letter_to t);     /* "werkgever", "werknemer" */
int letter_to_parse(const char *s);

/* What a municipality puts on its letters (store: migration 10). */
struct letter_settings {
    char tenant[CASE_ID];
    char name[CASE_TEXT];    /* "Gemeente Helmond" */
    char address[CASE_TEXT]; /* postal address line */
    char postcode[8];
    char city[48];
    char signer[CASE_TEXT];            /* who signs */
    char signer_function[CASE_TEXT];   /* "teamleider Werk en Inkomen" */
    char objection_to[CASE_TEXT];      /* to whom: "het college van burgemeester en wethouders" */
    char objection_address[CASE_TEXT]; /* where: "Postbus 950, 5700 AZ Helmond" */
    char contact[CASE_TEXT];           /* "telefoon 14 0492, werkgevers@helmond.nl" */
    char logo_type[8];                 /* "png", "svg" or "" */
    unsigned char *logo;               /* borrowed (the caller owns it), logo_len bytes */
    size_t logo_len;
};

#define LETTER_MAX_PARS 120
#define LETTER_PAR      1600
#define LETTER_LINE     256

enum letter_par_kind {
    LP_HEADING, /* a section heading */
    LP_TEXT,    /* a paragraph */
    LP_ROW,     /* a table row: text, value, basis (legal basis or source) */
    LP_BULLET,  /* an item of a list */
};

struct letter_par {
    enum letter_par_kind kind;
    char text[LETTER_PAR];
    char value[64];
    char basis[LETTER_LINE];
};

struct letter {
    enum letter_kind kind;
    enum letter_to to;
    int n;                     /* the decision's or the objection's number (1-based) */
    struct letter_settings s;  /* copied; the logo stays borrowed */
    char title[LETTER_LINE];   /* the document's title (PDF metadata) */
    char subject[LETTER_LINE]; /* "Onderwerp" */
    char ref[LETTER_LINE];     /* "Zaaknummer 12, beschikking 1" */
    char addressee[4][LETTER_LINE];
    int naddressee;
    lks_date date;          /* the date of the letter (the decision's sending date) */
    lks_date objection_due; /* last day to object (or to appeal, after an objection) */
    int npars;
    struct letter_par par[LETTER_MAX_PARS];
};

/*
 * Build the letter of a kind for a case: `n` is the decision's number (1-based) for
 * toekenning, herziening and afwijzing, the objection's number for bezwaar, and ignored
 * for einde. LKS_ENOTFOUND when there is no such decision, LKS_ESTATE when the kind does
 * not fit it (a refusal asked as toekenning, an end letter of a case still running).
 * letter_kind_of gives the kind of decision n (or -1).
 */
int letter_build(struct letter *L, const struct rules *r, const struct case_state *cs,
                 const struct letter_settings *s, enum letter_kind kind, int n, enum letter_to to,
                 struct lks_err *err);
int letter_kind_of(const struct case_state *cs, int n);

/* The settings to use when a municipality has none yet: its code as the name. */
void letter_settings_default(struct letter_settings *s, const char *tenant, const char *name);

/*
 * Render to PDF: A4, the municipality's logo (PNG) and address, fonts pinned by the
 * project's fontconfig, title and creation date (the letter's date) in the metadata, so
 * that the same letter gives the same bytes. *out is malloc'd (the caller frees it).
 * The renderer is the shared object liblks_pdf.so, opened on the first call
 * (letter_load.c): LKS_EUNAVAIL with a Dutch message when it cannot be found or loaded.
 */
int letter_pdf(const struct letter *L, unsigned char **out, size_t *len, struct lks_err *err);

/* Where letter_pdf found (or would look for) liblks_pdf.so; "" before the first letter. */
const char *letter_pdf_path(void);

#endif

/*
 * ids — see ids.h.
 *
 * Characters are classified by hand rather than with <ctype.h>, because the
 * ctype functions depend on the locale and are undefined for negative chars;
 * an identifier is plain ASCII whatever the environment. Reasons start in
 * lower case so the caller can put the field name in front ("BSN: …").
 */
#include "base/ids.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define IBAN_MAX 34 /* ISO 13616: at most 34 characters */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_letter(char c)
{
    return is_upper(c) || (c >= 'a' && c <= 'z');
}

static char to_upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Write the reason (when the caller wants one) and return false. */
__attribute__((format(printf, 2, 3))) static bool fail(char *reason, const char *fmt, ...)
{
    if (reason) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(reason, IDS_REASON_MAX, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool ok(char *reason)
{
    if (reason)
        reason[0] = '\0';
    return true;
}

/* Position (1-based) of the first non-digit, or 0 when all are digits. */
static size_t first_non_digit(const char *s)
{
    for (size_t i = 0; s[i]; i++)
        if (!is_digit(s[i]))
            return i + 1;
    return 0;
}

bool ids_bsn_valid(const char *s, char reason[IDS_REASON_MAX])
{
    if (!s || !*s)
        return fail(reason, "is leeg");
    size_t bad = first_non_digit(s);
    if (bad)
        return fail(reason, "mag alleen cijfers bevatten (teken %zu is geen cijfer)", bad);
    size_t n = strlen(s);
    if (n != 8 && n != 9)
        return fail(reason, "moet 9 cijfers hebben (of 8 zonder de voorloopnul), niet %zu", n);
    int d[9];
    size_t pad = 9 - n;
    int any = 0;
    for (size_t i = 0; i < 9; i++) {
        d[i] = i < pad ? 0 : s[i - pad] - '0';
        any |= d[i];
    }
    if (!any)
        return fail(reason, "mag niet uit alleen nullen bestaan");
    int sum = -d[8];
    for (int i = 0; i < 8; i++)
        sum += (9 - i) * d[i];
    if (sum % 11 != 0)
        return fail(reason, "voldoet niet aan de elfproef");
    return ok(reason);
}

bool ids_bsn_normalize(const char *s, char out[10], char reason[IDS_REASON_MAX])
{
    out[0] = '\0';
    if (!ids_bsn_valid(s, reason))
        return false;
    size_t n = strlen(s); /* 8 or 9 digits, checked */
    snprintf(out, 10, "%s%s", n == 8 ? "0" : "", s);
    return true;
}

/* SEPA countries with the fixed length of their IBAN (ISO 13616 register). */
struct iban_country {
    char code[3];
    unsigned char len;
    const char *name; /* Dutch, for reasons */
};

static const struct iban_country sepa[] = {
    {"AD", 24, "Andorra"},       {"AT", 20, "Oostenrijk"},
    {"BE", 16, "België"},        {"BG", 22, "Bulgarije"},
    {"CH", 21, "Zwitserland"},   {"CY", 28, "Cyprus"},
    {"CZ", 24, "Tsjechië"},      {"DE", 22, "Duitsland"},
    {"DK", 18, "Denemarken"},    {"EE", 20, "Estland"},
    {"ES", 24, "Spanje"},        {"FI", 18, "Finland"},
    {"FR", 27, "Frankrijk"},     {"GB", 22, "het Verenigd Koninkrijk"},
    {"GR", 27, "Griekenland"},   {"HR", 21, "Kroatië"},
    {"HU", 28, "Hongarije"},     {"IE", 22, "Ierland"},
    {"IS", 26, "IJsland"},       {"IT", 27, "Italië"},
    {"LI", 21, "Liechtenstein"}, {"LT", 20, "Litouwen"},
    {"LU", 20, "Luxemburg"},     {"LV", 21, "Letland"},
    {"MC", 27, "Monaco"},        {"MT", 31, "Malta"},
    {"NL", 18, "Nederland"},     {"NO", 15, "Noorwegen"},
    {"PL", 28, "Polen"},         {"PT", 25, "Portugal"},
    {"RO", 24, "Roemenië"},      {"SE", 24, "Zweden"},
    {"SI", 19, "Slovenië"},      {"SK", 24, "Slowakije"},
    {"SM", 27, "San Marino"},    {"VA", 22, "Vaticaanstad"},
};

static const struct iban_country *iban_country(char c0, char c1)
{
    for (size_t i = 0; i < sizeof sepa / sizeof sepa[0]; i++)
        if (sepa[i].code[0] == c0 && sepa[i].code[1] == c1)
            return &sepa[i];
    return NULL;
}

/*
 * ISO 13616 check: move the first four characters to the end, read letters as
 * 10..35 and take the whole as one decimal number mod 97. The number is far
 * too long for any integer type, so the remainder is carried digit by digit.
 */
static int iban_mod97(const char *iban, size_t n)
{
    int rem = 0;
    for (size_t k = 0; k < n; k++) {
        char c = iban[(k + 4) % n];
        if (is_digit(c))
            rem = (rem * 10 + (c - '0')) % 97;
        else
            rem = (rem * 100 + (c - 'A' + 10)) % 97;
    }
    return rem;
}

bool ids_iban_normalize(const char *s, char out[IDS_NORM_MAX], char reason[IDS_REASON_MAX])
{
    char buf[IBAN_MAX + 1];
    size_t n = 0;
    if (out)
        out[0] = '\0';
    if (!s)
        s = "";
    for (const char *p = s; *p; p++) {
        if (*p == ' ')
            continue;
        if (!is_digit(*p) && !is_letter(*p))
            return fail(reason, "mag alleen letters, cijfers en spaties bevatten");
        if (n == IBAN_MAX)
            return fail(reason, "is te lang: een IBAN heeft hoogstens %d tekens", IBAN_MAX);
        buf[n++] = to_upper(*p);
    }
    buf[n] = '\0';
    if (n == 0)
        return fail(reason, "is leeg");
    if (n < 2 || !is_upper(buf[0]) || !is_upper(buf[1]))
        return fail(reason, "moet beginnen met een landcode van twee letters, zoals NL");
    const struct iban_country *c = iban_country(buf[0], buf[1]);
    if (!c)
        return fail(reason, "onbekende landcode '%c%c' (alleen SEPA-landen)", buf[0], buf[1]);
    if (n < 4 || !is_digit(buf[2]) || !is_digit(buf[3]))
        return fail(reason, "na de landcode moeten twee controlecijfers staan");
    bool nl = buf[0] == 'N' && buf[1] == 'L';
    if (n != c->len) {
        if (nl)
            return fail(reason, "een Nederlandse IBAN heeft %d tekens, deze heeft er %zu", c->len,
                        n);
        return fail(reason, "een IBAN uit %s heeft %d tekens, deze heeft er %zu", c->name, c->len,
                    n);
    }
    if (nl) {
        for (size_t i = 4; i < 8; i++)
            if (!is_upper(buf[i]))
                return fail(reason, "na de controlecijfers moet een bankcode van 4 letters staan");
        for (size_t i = 8; i < 18; i++)
            if (!is_digit(buf[i]))
                return fail(reason, "het rekeningnummer (de laatste 10 tekens) mag alleen "
                                    "cijfers bevatten");
    }
    /* 00, 01 and 99 are never issued; 00 and 99 could otherwise pass mod-97. */
    int check = (buf[2] - '0') * 10 + (buf[3] - '0');
    if (check < 2 || check > 98)
        return fail(reason, "controlecijfers %c%c bestaan niet (alleen 02 tot en met 98)", buf[2],
                    buf[3]);
    if (iban_mod97(buf, n) != 1)
        return fail(reason, "controlegetal klopt niet (mod-97)");
    if (out)
        memcpy(out, buf, n + 1);
    return ok(reason);
}

bool ids_iban_valid(const char *s, char reason[IDS_REASON_MAX])
{
    char out[IDS_NORM_MAX];
    return ids_iban_normalize(s, out, reason);
}

bool ids_kvk_valid(const char *s, char reason[IDS_REASON_MAX])
{
    if (!s || !*s)
        return fail(reason, "is leeg");
    size_t bad = first_non_digit(s);
    if (bad)
        return fail(reason, "mag alleen cijfers bevatten (teken %zu is geen cijfer)", bad);
    size_t n = strlen(s);
    if (n != 8)
        return fail(reason, "moet precies 8 cijfers hebben, niet %zu", n);
    return ok(reason);
}

/* The postcode check; the canonical form into out (when given). */
static bool postcode(const char *s, char out[IDS_NORM_MAX], char reason[IDS_REASON_MAX])
{
    if (out)
        out[0] = '\0';
    if (!s || !*s)
        return fail(reason, "is leeg");
    /* s[i] is NUL at the end of a short string, which is no digit: no overrun. */
    for (int i = 0; i < 4; i++)
        if (!is_digit(s[i]))
            return fail(reason, "moet beginnen met 4 cijfers, zoals 1234 AB");
    if (s[0] == '0')
        return fail(reason, "mag niet met een 0 beginnen");
    const char *p = s + 4;
    if (is_digit(*p))
        return fail(reason, "heeft te veel cijfers: een postcode heeft er 4");
    if (*p == ' ')
        p++;
    if (*p == ' ')
        return fail(reason, "tussen de cijfers en de letters mag hoogstens één spatie staan");
    if (!is_letter(p[0]) || !is_letter(p[1]))
        return fail(reason, "moet eindigen op 2 letters, zoals 1234 AB");
    if (p[2] != '\0')
        return fail(reason, "heeft na de 2 letters nog andere tekens");
    char l0 = to_upper(p[0]), l1 = to_upper(p[1]);
    if (l0 == 'S' && (l1 == 'A' || l1 == 'D' || l1 == 'S'))
        return fail(reason, "de letters SA, SD en SS worden niet gebruikt");
    if (out)
        snprintf(out, IDS_NORM_MAX, "%.4s %c%c", s, l0, l1);
    return ok(reason);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

bool ids_postcode_normalize(const char *s, char out[IDS_NORM_MAX], char reason[IDS_REASON_MAX])
{
    if (!s)
        return postcode(s, out, reason);
    /* Spaces and tabs around it are not part of it. What remains is checked from a
     * bounded copy: one longer than IDS_NORM_MAX - 1 is cut, and fails the check as
     * the whole would (a postcode has at most 7 characters). */
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    char buf[IDS_NORM_MAX];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return postcode(buf, out, reason);
}

bool ids_postcode_valid(const char *s, char reason[IDS_REASON_MAX])
{
    char out[IDS_NORM_MAX];
    return postcode(s, out, reason);
}

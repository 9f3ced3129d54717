/*
 * money — exact fixed-point amounts.
 *
 * Money is int64_t cents. Percentages are int64_t hundredths of a percent
 * (60% = 6000, 57.5% = 5750), hours are hundredths of an hour, FTE is
 * ten-thousandths. All of them share one decimal parser and printer here, and
 * one rounding rule: an exact ratio a × num / den rounded half-up, i.e. half
 * away from zero (domain.md §3: "round = half-up to whole cents after every
 * step"). No binary floating point anywhere on a money path.
 *
 * Errors: parse functions return 0 or LKS_EINVAL and fill the lks_err with the
 * given field name; money_mul_div returns LKS_EOVERFLOW when an intermediate
 * product does not fit in 64 bits.
 */
#ifndef LKS_BASE_MONEY_H
#define LKS_BASE_MONEY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

/* 128-bit intermediate for products that may pass 64 bits (a GCC/Clang extension). */
__extension__ typedef __int128 money_i128;

#define MONEY_FMT_MAX 32 /* enough for any int64_t with sign, point and NUL */

/*
 * Parse a decimal number with at most `decimals` digits after the point into
 * an integer scaled by 10^decimals. Accepts an optional leading '-', digits,
 * and one '.' (or ','). "57.5" with decimals=2 gives 5750. Rejects empty text,
 * spaces, exponents, more decimals than allowed, and values past ±9e15.
 */
int money_parse_fixed(int64_t *out, const char *s, int decimals, const char *field,
                      struct lks_err *err);

/* Parse an amount in euros ("1234.56", "1234", "1234,5") into cents. */
int money_parse(int64_t *out_cents, const char *s, const char *field, struct lks_err *err);

/* Print value/10^decimals with exactly `decimals` digits: (5750, 2) → "57.50". */
char *money_fmt_fixed(char buf[MONEY_FMT_MAX], int64_t value, int decimals);

/* Print cents as euros with two decimals: 122411 → "1224.11". */
char *money_fmt(char buf[MONEY_FMT_MAX], int64_t cents);

/*
 * Print for people, Dutch style: thousands with '.', decimals with ','.
 * (229440, 2) → "2.294,40". Used in texts; JSON amounts use money_fmt.
 */
char *money_fmt_nl(char buf[MONEY_FMT_MAX], int64_t value, int decimals);

/*
 * Print value/10^decimals with as few decimals as needed (at least `min`):
 * (5750, 2, 0) → "57.5", (6000, 2, 0) → "60". For percentages and hours.
 */
char *money_fmt_short(char buf[MONEY_FMT_MAX], int64_t value, int decimals, int min);

/*
 * *out = round_half_up(a × num / den), den > 0. The product is computed
 * exactly (checked 64-bit, falling back to 128-bit); LKS_EOVERFLOW (and
 * *out = 0) if the result does not fit.
 */
static inline int money_mul_div(int64_t *out, int64_t a, int64_t num, int64_t den)
{
    /* |a × num| <= 2^126 always fits in 128 bits; round on the magnitude with one
     * division (quotient and remainder), then restore the sign. */
    money_i128 p = (money_i128)a * num;
    money_i128 m = p < 0 ? -p : p;
    money_i128 q = m / den, r = m % den;
    if (r >= den - r)
        q++;
    if (p < 0)
        q = -q;
    if (q > INT64_MAX || q < INT64_MIN) {
        *out = 0;
        return LKS_EOVERFLOW;
    }
    *out = (int64_t)q;
    return 0;
}

/*
 * The same rounding for the hot path, when the caller has bounded the inputs:
 * 0 <= a < 2^31, 0 <= num < 2^31, 0 < den. The product then fits in 62 bits,
 * so there is no overflow check and no sign handling.
 */
static inline int64_t money_mul_div_small(int64_t a, int64_t num, int64_t den)
{
    int64_t p = a * num;
    int64_t q = p / den, r = p % den;
    return r >= den - r ? q + 1 : q;
}

#endif

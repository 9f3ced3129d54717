/*
 * ids — checks of Dutch identifiers: BSN, IBAN, KvK number, postcode.
 *
 * Each check returns true when the value is valid. On false it writes a short
 * Dutch reason for people into `reason` (at most IDS_REASON_MAX bytes incl.
 * NUL), e.g. "voldoet niet aan de elfproef". Pure functions, no allocation.
 * Normalising functions write the canonical form (no spaces, upper case) into
 * `out` (IDS_NORM_MAX bytes) and return false, with a reason, when the input
 * cannot be normalised.
 */
#ifndef LKS_BASE_IDS_H
#define LKS_BASE_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define IDS_REASON_MAX 128
#define IDS_NORM_MAX 40

/*
 * BSN: 9 digits (8 digits are read with a leading zero) passing the elfproef
 * 9·d1 + 8·d2 + … + 2·d8 − 1·d9 ≡ 0 (mod 11); all zeros is not a BSN.
 * No spaces or other characters are accepted.
 */
bool ids_bsn_valid(const char *s, char reason[IDS_REASON_MAX]);

/* A BSN in its one normal form, 9 digits (an 8-digit one gets its leading zero back), into
 * out; false (out empty) when it is not a valid BSN. Everything lks stores, searches and
 * logs is in this form. */
bool ids_bsn_normalize(const char *s, char out[10], char reason[IDS_REASON_MAX]);

/*
 * IBAN: spaces allowed, letters in any case; country code, two check digits
 * and the BBAN with the length of that SEPA country; mod-97 check (ISO 13616)
 * equals 1. A Dutch IBAN is NL + 2 digits + 4 letters (bank) + 10 digits.
 */
bool ids_iban_valid(const char *s, char reason[IDS_REASON_MAX]);

/* IBAN in canonical form (no spaces, upper case) into out; false when invalid
 * ("nl91 abna 0417 1643 00" gives "NL91ABNA0417164300"). */
bool ids_iban_normalize(const char *s, char out[IDS_NORM_MAX], char reason[IDS_REASON_MAX]);

/* KvK number: exactly 8 digits. */
bool ids_kvk_valid(const char *s, char reason[IDS_REASON_MAX]);

/*
 * Postcode: 4 digits, the first not 0, then 2 letters, with one optional space
 * between; the letter pairs SA, SD and SS are not issued.
 */
bool ids_postcode_valid(const char *s, char reason[IDS_REASON_MAX]);

/* Postcode in canonical form "1234 AB" ("1234ab", "1234 ab", " 1234AB\t" all give it):
 * spaces and tabs around it are dropped, then it must pass ids_postcode_valid. */
bool ids_postcode_normalize(const char *s, char out[IDS_NORM_MAX], char reason[IDS_REASON_MAX]);

#endif

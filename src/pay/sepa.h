/*
 * sepa — the bank files: SEPA credit transfer pain.001.001.09 out (sepa.c), the bank's
 * statement camt.053 and status report pain.002 in (camt.c).
 *
 * Owns the file formats only: the caller (the payment run, src/app) gives the lines
 * and marks them from what the readers report. The writer goes through base/xw (escaping
 * by construction), is deterministic (same input, same bytes: the creation time is
 * given) and fails with LKS_EINVAL naming the field ("tx.12.creditor.iban") for bad
 * input, before any byte is relied on; the buffer's cap gives LKS_ENOMEM. Amounts are
 * integer cents, written as 123.45.
 */
#ifndef LKS_PAY_SEPA_H
#define LKS_PAY_SEPA_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/err.h"

struct sepa_party {
    char name[71], iban[35], bic[12], street[71], postcode[17], town[36], country[3];
};
struct sepa_tx {
    char end_to_end[36];
    int64_t amount;
    lks_date execution;
    struct sepa_party creditor;
    char remittance[141]; /* unstructured, <= 140 */
};
struct sepa_file {
    char msg_id[36];
    int64_t created;          /* epoch seconds, given: same input, same bytes */
    struct sepa_party debtor; /* the municipality (settings) */
    const struct sepa_tx *tx; /* sorted by execution date */
    size_t ntx;
};
#define SEPA_MAX_TX 100000

/* pain.001.001.09; one PmtInf per execution date with its NbOfTxs and CtrlSum; names,
 * addresses and remittance transliterated to the SEPA character set; LKS_EINVAL naming
 * the field ("tx.12.creditor.iban") for bad input; more than SEPA_MAX_TX: LKS_EINVAL. */
int sepa_pain001(const struct sepa_file *f, struct buf *out, struct lks_err *err);
/* The SEPA Latin character set: a-z A-Z 0-9 / - ? : ( ) . , ' + space; others
 * transliterated (é -> e, ß -> ss, & -> +) or replaced by '.'; cut at n-1 bytes (a
 * transliteration is not split). Returns the length written; out is NUL-terminated. */
size_t sepa_translit(const char *in, char *out, size_t n);

struct sepa_status {
    char end_to_end[36];
    int booked; /* 1 paid, 0 returned/rejected */
    int64_t amount;
    lks_date on;
    char reason[8];
};
int sepa_read_camt053(const char *xml, size_t n, int (*cb)(void *arg, const struct sepa_status *st),
                      void *arg, struct lks_err *err);
int sepa_read_pain002(const char *xml, size_t n, int (*cb)(void *arg, const struct sepa_status *st),
                      void *arg, struct lks_err *err);

#endif

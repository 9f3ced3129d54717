/*
 * err — errors as values.
 *
 * Every fallible function in lks returns an int: 0 on success, a negative
 * LKS_E* code on failure, and fills a caller-owned struct lks_err with the
 * field at fault and a message for people (Dutch). The CLI prints it and exits
 * 2, the API turns it into a problem+json invalidParams entry. No allocation:
 * the struct is fixed-size so an error path can never fail itself.
 */
#ifndef LKS_BASE_ERR_H
#define LKS_BASE_ERR_H

#include <stddef.h>

enum lks_err_code {
    LKS_OK = 0,
    LKS_EINVAL = -1,   /* input is malformed or out of range */
    LKS_ERANGE = -2,   /* a date or value outside the rule tables */
    LKS_EOVERFLOW = -3,/* arithmetic would overflow */
    LKS_EIO = -4,      /* a file could not be read or written */
    LKS_ENOMEM = -5,   /* out of memory */
    LKS_ESTATE = -6,   /* a command not allowed in the current state */
    LKS_ENOTFOUND = -7, /* an object does not exist (for the caller) */
    LKS_EFORBIDDEN = -8, /* the caller's role or scope does not allow it */
    LKS_EUNAVAIL = -9    /* something the answer depends on is unavailable: nothing was done */
};

struct lks_err {
    int code;
    char field[64];    /* the input field at fault, e.g. "--loonwaarde" or "uren" */
    char reason[48];   /* short machine-readable reason, e.g. "out-of-range" */
    char msg[256];     /* message for people, in Dutch */
};

/* Set all parts of the error; returns code so callers can `return lks_err_set(...)`. */
int lks_err_set(struct lks_err *e, int code, const char *field, const char *reason,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Replace the field name (e.g. map an internal name to a CLI flag); keeps the rest. */
void lks_err_field(struct lks_err *e, const char *field);

void lks_err_clear(struct lks_err *e);

/*
 * A list of errors, for input checks that report every fault at once (the API's
 * problem+json invalidParams). When full, the last slot is reused, so adding
 * never fails; `dropped` counts what did not fit.
 */
#define LKS_ERRLIST_MAX 16
struct lks_errlist {
    int n;
    int dropped;
    struct lks_err e[LKS_ERRLIST_MAX];
};

/* A slot for the next error (cleared). */
struct lks_err *lks_errlist_add(struct lks_errlist *l);

#endif

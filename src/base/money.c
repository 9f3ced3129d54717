/* money — see money.h. */
#include "base/money.h"

#include <stdio.h>
#include <string.h>

#define MONEY_ABS_MAX 9000000000000000LL

int money_parse_fixed(int64_t *out, const char *s, int decimals, const char *field,
                      struct lks_err *err)
{
    if (!s || !*s)
        return lks_err_set(err, LKS_EINVAL, field, "required", "er is geen waarde opgegeven");
    const char *p = s;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        p++;
    }
    int64_t v = 0;
    int ndig = 0, nfrac = 0;
    bool point = false;
    for (; *p; p++) {
        if (*p == '.' || *p == ',') {
            if (point)
                goto bad;
            point = true;
            continue;
        }
        if (*p < '0' || *p > '9')
            goto bad;
        if (point) {
            if (++nfrac > decimals)
                return lks_err_set(err, LKS_EINVAL, field, "too-many-decimals",
                                   "'%s' heeft meer dan %d decimalen", s, decimals);
        }
        ndig++;
        v = v * 10 + (*p - '0');
        if (v > MONEY_ABS_MAX)
            return lks_err_set(err, LKS_EINVAL, field, "too-large", "'%s' is te groot", s);
    }
    if (ndig == 0 || (point && nfrac == 0))
        goto bad;
    for (; nfrac < decimals; nfrac++) {
        if (v > MONEY_ABS_MAX / 10)
            return lks_err_set(err, LKS_EINVAL, field, "too-large", "'%s' is te groot", s);
        v *= 10;
    }
    *out = neg ? -v : v;
    return 0;
bad:
    return lks_err_set(err, LKS_EINVAL, field, "not-a-number",
                       "'%s' is geen getal (verwacht bijvoorbeeld 12.5)", s);
}

int money_parse(int64_t *out_cents, const char *s, const char *field, struct lks_err *err)
{
    return money_parse_fixed(out_cents, s, 2, field, err);
}

char *money_fmt_fixed(char buf[MONEY_FMT_MAX], int64_t value, int decimals)
{
    uint64_t m = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    char tmp[MONEY_FMT_MAX];
    int n = 0;
    for (int i = 0; i < decimals; i++) {
        tmp[n++] = (char)('0' + m % 10);
        m /= 10;
    }
    if (decimals > 0)
        tmp[n++] = '.';
    do {
        tmp[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    if (value < 0)
        tmp[n++] = '-';
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

char *money_fmt(char buf[MONEY_FMT_MAX], int64_t cents)
{
    return money_fmt_fixed(buf, cents, 2);
}

char *money_fmt_short(char buf[MONEY_FMT_MAX], int64_t value, int decimals, int min)
{
    money_fmt_fixed(buf, value, decimals);
    if (decimals == 0)
        return buf;
    size_t len = strlen(buf);
    int dropped = 0;
    while (dropped < decimals - min && buf[len - 1] == '0') {
        buf[--len] = '\0';
        dropped++;
    }
    if (buf[len - 1] == '.')
        buf[len - 1] = '\0';
    return buf;
}

char *money_fmt_nl(char buf[MONEY_FMT_MAX], int64_t value, int decimals)
{
    char plain[MONEY_FMT_MAX];
    money_fmt_fixed(plain, value, decimals);
    const char *p = plain;
    int n = 0;
    if (*p == '-')
        buf[n++] = *p++;
    size_t intlen = strcspn(p, ".");
    for (size_t i = 0; i < intlen; i++) {
        if (i > 0 && (intlen - i) % 3 == 0)
            buf[n++] = '.';
        buf[n++] = p[i];
    }
    if (p[intlen] == '.') {
        buf[n++] = ',';
        for (const char *q = p + intlen + 1; *q; q++)
            buf[n++] = *q;
    }
    buf[n] = '\0';
    return buf;
}

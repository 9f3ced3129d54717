/* date — see date.h. Day numbers use the era-based civil algorithm (400-year cycles). */
#include "base/date.h"

#include <stdio.h>
#include <string.h>

lks_date date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_ymd(lks_date t, int *y, int *m, int *d)
{
    int z = t + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dim[m - 1];
}

int date_valid(int y, int m, int d)
{
    return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

int date_parse(lks_date *out, const char *s, const char *field, struct lks_err *err)
{
    if (!s || !*s)
        return lks_err_set(err, LKS_EINVAL, field, "required", "er is geen datum opgegeven");
    int ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            ok = 0;
    if (!ok)
        return lks_err_set(err, LKS_EINVAL, field, "not-a-date",
                           "'%s' is geen datum in de vorm JJJJ-MM-DD", s);
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (!date_valid(y, m, d))
        return lks_err_set(err, LKS_EINVAL, field, "not-a-date",
                           "'%s' bestaat niet als datum (of ligt buiten 1900-2199)", s);
    *out = date_from_ymd(y, m, d);
    return 0;
}

char *date_fmt(char buf[DATE_FMT_MAX], lks_date t)
{
    int y, m, d;
    date_to_ymd(t, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(buf, DATE_FMT_MAX, "%04d-%02d-%02d", y, m, d);
        return buf;
    }
    /* The common case by hand: snprintf was most of the time of rendering a case. */
    buf[0] = (char)('0' + y / 1000);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
    return buf;
}

enum date_weekday date_weekday(lks_date t)
{
    /* 1970-01-01 was a Thursday (3). */
    int w = (t % 7 + 7 + 3) % 7;
    return (enum date_weekday)w;
}

lks_date date_add_months(lks_date t, int n)
{
    int y, m, d;
    date_to_ymd(t, &y, &m, &d);
    int idx = y * 12 + (m - 1) + n;
    y = idx / 12;
    m = idx % 12 + 1;
    int dim = date_days_in_month(y, m);
    return date_from_ymd(y, m, d > dim ? dim : d);
}

int date_age_on(lks_date birth, lks_date on)
{
    int by, bm, bd, y, m, d;
    date_to_ymd(birth, &by, &bm, &bd);
    date_to_ymd(on, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd))
        age--;
    return age;
}

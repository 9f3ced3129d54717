/*
 * date — civil dates as whole days since 1970-01-01 (proleptic Gregorian).
 *
 * A date is an int32_t day number, so comparing and subtracting dates is
 * integer arithmetic. Parsing accepts only ISO 8601 calendar dates
 * (YYYY-MM-DD) between 1900-01-01 and 2199-12-31; anything else is an
 * LKS_EINVAL with the field named. All functions are pure.
 */
#ifndef LKS_BASE_DATE_H
#define LKS_BASE_DATE_H

#include <stdint.h>

#include "base/err.h"

typedef int32_t lks_date;

#define LKS_NO_DATE INT32_MIN /* no date: unset, or open-ended */

#define DATE_FMT_MAX 11 /* "YYYY-MM-DD" + NUL */

enum date_weekday { DATE_MON = 0, DATE_TUE, DATE_WED, DATE_THU, DATE_FRI, DATE_SAT, DATE_SUN };

/* Day number of y-m-d; the caller guarantees a valid date (see date_valid). */
lks_date date_from_ymd(int y, int m, int d);
void date_to_ymd(lks_date t, int *y, int *m, int *d);
int date_valid(int y, int m, int d);
int date_days_in_month(int y, int m);

int date_parse(lks_date *out, const char *s, const char *field, struct lks_err *err);
char *date_fmt(char buf[DATE_FMT_MAX], lks_date t);

/* ISO weekday: Monday = 0 … Sunday = 6. */
enum date_weekday date_weekday(lks_date t);

static inline lks_date date_add_days(lks_date t, int n)
{
    return t + n;
}
static inline lks_date date_add_weeks(lks_date t, int n)
{
    return t + 7 * n;
}
/* Calendar months; a day past the end of the target month is clamped to its last day
 * (31 January + 1 month = 28/29 February). */
lks_date date_add_months(lks_date t, int n);

/* Age in whole years on `on` of someone born on `birth` (a 29 February birthday
 * counts on 1 March in common years). */
int date_age_on(lks_date birth, lks_date on);

#endif

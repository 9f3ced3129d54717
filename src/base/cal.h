/*
 * cal — the calendar of the Algemene termijnenwet (Atw).
 *
 * Holidays (Atw art. 3): Nieuwjaarsdag, Goede Vrijdag, tweede Paasdag,
 * Koningsdag (27 April, 26 April when the 27th is a Sunday; before 2014
 * Koninginnedag 30 April, 29 April when the 30th is a Sunday), 5 mei (every
 * year), Hemelvaartsdag, tweede Pinksterdag, eerste en tweede Kerstdag.
 * A rest day is a Saturday, a Sunday or such a holiday; a working day is any
 * other day. Statutory terms are extended by Atw art. 1 (a term ending on a
 * rest day runs to the next working day) and art. 2 (a term of at least 3
 * days contains at least 2 working days). All functions are pure.
 */
#ifndef LKS_BASE_CAL_H
#define LKS_BASE_CAL_H

#include <stdbool.h>

#include "base/date.h"

/* Easter Sunday of a Gregorian year (1900–2199). */
lks_date cal_easter(int year);

/* Dutch name of the Atw holiday on t (e.g. "Goede Vrijdag", "Koningsdag"), or NULL. */
const char *cal_holiday(lks_date t);

/* Saturday, Sunday or an Atw holiday. */
bool cal_is_rest_day(lks_date t);

static inline bool cal_is_workday(lks_date t)
{
    return !cal_is_rest_day(t);
}

/* The n-th working day after `from` (from itself not counted); n >= 0, n == 0 gives from. */
lks_date cal_add_workdays(lks_date from, int n);

/* Number of working days d with a < d <= b (0 when b <= a). */
int cal_workdays_between(lks_date a, lks_date b);

/* Result of applying the Atw to the last day of a statutory term. */
struct cal_atw {
    lks_date end_plain; /* last day by plain counting */
    lks_date end;       /* last day after art. 1 and 2 */
    bool art1;          /* art. 1 moved the end past a rest day */
    bool art2;          /* art. 2 extended the term to contain two working days */
};

/*
 * Apply Atw art. 1 and 2 to a term that starts the day after `start` and whose
 * last day by plain counting is `end_plain` (> start). Art. 2 applies only to
 * terms of at least 3 days. The caller decides whether the Atw applies at all
 * (art. 4: not to terms in hours or longer than 12 weeks / 3 months / 90 days).
 */
void cal_atw_extend(lks_date start, lks_date end_plain, struct cal_atw *out);

#endif

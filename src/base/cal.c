/*
 * cal — see cal.h.
 *
 * Everything is computed on demand from the date alone: a year's holidays are
 * nine dates derived from Easter, which is a handful of integer operations, so
 * there is no cache and therefore no shared state to guard between threads.
 * cal_is_rest_day answers weekends and the months without holidays (July to
 * November) before it works out any holiday at all.
 */
#include "base/cal.h"

#include <stddef.h>

/* A year has nine Atw holidays; at most that many distinct dates. */
#define HOL_MAX 9

struct holiday {
    lks_date day;
    const char *name;
};

/*
 * Gauss's Easter rule in Lichtenberg's formulation (1997). Kept apart from the
 * Meeus/Jones/Butcher form that derived tests/data/feestdagen.tsv, so the two
 * check each other.
 */
lks_date cal_easter(int year)
{
    int k = year / 100;
    int moon_shift = 15 + (3 * k + 3) / 4 - (8 * k + 13) / 25;
    int sun_shift = 2 - (3 * k + 3) / 4;
    int a = year % 19;
    int d = (19 * a + moon_shift) % 30;
    /* Gauss's two exceptions: a full moon that would fall on 19 April (or on
     * 18 April in the later golden numbers) comes one day earlier. */
    int r = (d + a / 11) / 29;
    int full_moon = 21 + d - r; /* Paschal full moon as a day of March (32 = 1 April) */
    int first_sunday = 7 - (year + year / 4 + sun_shift) % 7;
    int easter = full_moon + 7 - (full_moon - first_sunday) % 7;
    return date_from_ymd(year, 3, 1) + easter - 1;
}

static lks_date sunday_moves_back(lks_date t)
{
    return date_weekday(t) == DATE_SUN ? t - 1 : t;
}

/*
 * Add a holiday; two holidays on one date become one entry with both names, so
 * counting working days never subtracts a date twice. Only Bevrijdingsdag and
 * Hemelvaartsdag can meet in 1900–2199 (Easter on 27 March: 2005, 2016, …).
 */
static int add_holiday(struct holiday *h, int n, lks_date day, const char *name)
{
    for (int i = 0; i < n; i++) {
        if (h[i].day == day) {
            h[i].name = "Bevrijdingsdag en Hemelvaartsdag";
            return n;
        }
    }
    h[n].day = day;
    h[n].name = name;
    return n + 1;
}

/* The Atw holidays of year y; returns how many distinct dates were written. */
static int year_holidays(int y, struct holiday h[HOL_MAX])
{
    lks_date easter = cal_easter(y);
    int n = 0;
    n = add_holiday(h, n, date_from_ymd(y, 1, 1), "Nieuwjaarsdag");
    n = add_holiday(h, n, easter - 2, "Goede Vrijdag");
    n = add_holiday(h, n, easter + 1, "Tweede Paasdag");
    /* The King's day moves to the Saturday when it falls on a Sunday. Before
     * 2014 the Queen's day, 30 April, moves the same way, as it did 1980–2013;
     * older practice (1 May under Juliana, 31 August before 1949) is not kept. */
    if (y >= 2014)
        n = add_holiday(h, n, sunday_moves_back(date_from_ymd(y, 4, 27)), "Koningsdag");
    else
        n = add_holiday(h, n, sunday_moves_back(date_from_ymd(y, 4, 30)), "Koninginnedag");
    n = add_holiday(h, n, date_from_ymd(y, 5, 5), "Bevrijdingsdag");
    n = add_holiday(h, n, easter + 39, "Hemelvaartsdag");
    n = add_holiday(h, n, easter + 50, "Tweede Pinksterdag");
    n = add_holiday(h, n, date_from_ymd(y, 12, 25), "Eerste Kerstdag");
    n = add_holiday(h, n, date_from_ymd(y, 12, 26), "Tweede Kerstdag");
    return n;
}

const char *cal_holiday(lks_date t)
{
    int y, m, d;
    date_to_ymd(t, &y, &m, &d);
    /* Holidays fall in January, March to June and December only. */
    if (m == 2 || (m >= 7 && m <= 11))
        return NULL;
    if (m == 1)
        return d == 1 ? "Nieuwjaarsdag" : NULL;
    if (m == 12)
        return d == 25 ? "Eerste Kerstdag" : d == 26 ? "Tweede Kerstdag" : NULL;
    struct holiday h[HOL_MAX];
    int n = year_holidays(y, h);
    for (int i = 0; i < n; i++)
        if (h[i].day == t)
            return h[i].name;
    return NULL;
}

bool cal_is_rest_day(lks_date t)
{
    return date_weekday(t) >= DATE_SAT || cal_holiday(t) != NULL;
}

lks_date cal_add_workdays(lks_date from, int n)
{
    lks_date t = from;
    while (n > 0) {
        t++;
        if (!cal_is_rest_day(t))
            n--;
    }
    return t;
}

static int floor_div(int a, int b)
{
    int q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/*
 * Weekdays (Monday to Friday) up to and including x, counted from the Monday
 * 1970-01-05 (day 4); negative before it. Only differences are used, so the
 * origin does not matter, but it must step by one exactly on weekdays.
 */
static long weekdays_upto(lks_date x)
{
    int u = x - 4 + 1;
    int q = floor_div(u, 7);
    int r = u - 7 * q;
    return 5L * q + (r < 5 ? r : 5);
}

/* Counting by arithmetic plus the holidays per year keeps long spans cheap. */
int cal_workdays_between(lks_date a, lks_date b)
{
    if (b <= a)
        return 0;
    long n = weekdays_upto(b) - weekdays_upto(a);
    int ya, yb, m, d;
    date_to_ymd(a, &ya, &m, &d);
    date_to_ymd(b, &yb, &m, &d);
    for (int y = ya; y <= yb; y++) {
        struct holiday h[HOL_MAX];
        int nh = year_holidays(y, h);
        for (int i = 0; i < nh; i++)
            if (h[i].day > a && h[i].day <= b && date_weekday(h[i].day) < DATE_SAT)
                n--;
    }
    return (int)n;
}

void cal_atw_extend(lks_date start, lks_date end_plain, struct cal_atw *out)
{
    lks_date end = end_plain;
    /* Art. 1: a term ending on a rest day ends on the next working day. */
    while (cal_is_rest_day(end))
        end++;
    out->end_plain = end_plain;
    out->art1 = end != end_plain;
    out->art2 = false;
    /* Art. 2: a term of at least three days holds at least two working days.
     * After art. 1 the end is a working day, so at most one more is needed. */
    if (end_plain - start >= 3) {
        int have = cal_workdays_between(start, end);
        if (have < 2) {
            end = cal_add_workdays(end, 2 - have);
            out->art2 = true;
        }
    }
    out->end = end;
}

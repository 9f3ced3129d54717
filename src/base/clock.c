/* clock — see clock.h. */
#include "base/clock.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DAY  86400
#define CET  3600
#define CEST 7200

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool tzdata; /* written once under `once`, read-only afterwards */

/* Whole days since 1970-01-01 of an instant (rounded down, also before 1970). */
static lks_date day_of(int64_t t)
{
    int64_t d = t / DAY;
    if (t % DAY < 0)
        d--;
    return (lks_date)d;
}

/* Local time at t into *tm; false when localtime_r gives none. */
static bool local(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    return localtime_r(&tt, tm) != NULL;
}

static void setup(void)
{
    if (access(CLOCK_ZONE_FILE, R_OK) != 0)
        return;
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    if (old && !saved)
        return; /* cannot put it back: leave the zone alone */
    /* ':' + a path: the file itself, whatever TZDIR says (POSIX, glibc). */
    if (setenv("TZ", ":" CLOCK_ZONE_FILE, 1) == 0) {
        tzset();
        struct tm w, s;
        /* 2026-01-15 and 2026-07-15, 12:00 UTC: a file that loaded gives CET and CEST */
        tzdata = local(1768478400, &w) && w.tm_gmtoff == CET && local(1784116800, &s) &&
                 s.tm_gmtoff == CEST;
        if (!tzdata) {
            if (saved)
                setenv("TZ", saved, 1);
            else
                unsetenv("TZ");
            tzset();
        }
    }
    free(saved);
}

void clock_init(void)
{
    pthread_once(&once, setup);
}

bool clock_has_tzdata(void)
{
    clock_init();
    return tzdata;
}

/* The last Sunday of a month of 31 days (March, October), 01:00 UTC. */
static int64_t eu_switch(int year, int month)
{
    lks_date last = date_from_ymd(year, month, 31);
    last -= ((int)date_weekday(last) + 1) % 7; /* Monday = 0 … Sunday = 6 */
    return (int64_t)last * DAY + 3600;
}

int clock_eu_offset_at(int64_t t)
{
    int y, m, d;
    date_to_ymd(day_of(t), &y, &m, &d);
    return t >= eu_switch(y, 3) && t < eu_switch(y, 10) ? CEST : CET;
}

lks_date clock_eu_date_at(int64_t t)
{
    return day_of(t + clock_eu_offset_at(t));
}

int clock_offset_at(int64_t t)
{
    struct tm tm;
    if (clock_has_tzdata() && local(t, &tm))
        return (int)tm.tm_gmtoff;
    return clock_eu_offset_at(t);
}

lks_date clock_date_at(int64_t t)
{
    struct tm tm;
    if (clock_has_tzdata() && local(t, &tm))
        return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return clock_eu_date_at(t);
}

lks_date clock_today(void)
{
    return clock_date_at((int64_t)time(NULL));
}

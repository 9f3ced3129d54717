/*
 * clock — the business date: the civil date in Europe/Amsterdam.
 *
 * lks decides "today" (a step may not be dated in the future, the state of a
 * deadline) by the date in the Netherlands. The UTC date is a day behind between
 * midnight and 01:00 (winter) or 02:00 (summer) Dutch time, so at those hours a
 * step of today would be refused as in the future. Timestamps that are UTC on
 * purpose (ISO "…Z" in the processing log and the event records) do not come
 * from here.
 *
 * What it owns: the process's time zone. Once (pthread_once; clock_init, or the
 * first call of any function here) it sets TZ to the Amsterdam file of the
 * system's tzdata (/usr/share/zoneinfo/Europe/Amsterdam) and calls tzset, so
 * localtime_r gives Dutch time, here and everywhere else in the process. After
 * that every function is thread-safe. setenv is not safe while another thread
 * reads the environment: a program with threads calls clock_init before it
 * starts them.
 *
 * How it fails: it does not. When the zone file is absent, or does not load
 * (localtime_r must give UTC+1 in January and UTC+2 in July), TZ is put back as
 * it was and the EU rule alone is used: CET = UTC+1, CEST = UTC+2 from the last
 * Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC (Directive
 * 2000/84/EC; the rule in the Netherlands since 1996). The two agree from 1996 on.
 */
#ifndef LKS_BASE_CLOCK_H
#define LKS_BASE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"

#define CLOCK_ZONE_FILE "/usr/share/zoneinfo/Europe/Amsterdam"

/* Set the zone (see above); later calls do nothing. */
void clock_init(void);

/* Whether the tzdata file is in use (false: the EU rule of clock_eu_*). */
bool clock_has_tzdata(void);

/* Today's date in Europe/Amsterdam. */
lks_date clock_today(void);

/* The date in Europe/Amsterdam at an instant (seconds since 1970-01-01 00:00 UTC). */
lks_date clock_date_at(int64_t unix_seconds);

/* Seconds east of UTC in Europe/Amsterdam at an instant: 3600 (CET) or 7200 (CEST). */
int clock_offset_at(int64_t unix_seconds);

/* The EU rule alone, without tzdata (the fallback; pure, also for tests). */
lks_date clock_eu_date_at(int64_t unix_seconds);
int clock_eu_offset_at(int64_t unix_seconds);

#endif

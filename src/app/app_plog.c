/*
 * app_plog — the auditor's reading of the processing log (app.h): the one place that
 * decides who reads it (APP_CAP_AUDIT, the own municipality only), how a BSN asked for
 * is checked and put in its normal form, and what a period means (UTC days, the end not
 * included), for GET /api/v1/verwerkingen and the page /verwerkingen alike.
 *
 * It does not log: the shell that shows entries logs the persons it shows, and the
 * search (api_log), as every reader of personal data does. Errors are values; nothing
 * is read when the query is wrong.
 */
#include <stdio.h>
#include <string.h>

#include "app/internal.h"
#include "base/ids.h"
#include "store/plog.h"

#define US_PER_DAY ((int64_t)86400 * 1000000)

int app_bsn_check(const char *bsn, char out[10], struct lks_err *err)
{
    char reason[IDS_REASON_MAX];
    out[0] = '\0';
    if (!ids_bsn_normalize(bsn ? bsn : "", out, reason)) {
        out[0] = '\0';
        return lks_err_set(err, LKS_EINVAL, "bsn", "invalid", "het BSN %s", reason);
    }
    return 0;
}

const char *app_plog_action_text(int action)
{
    static const char *const actions[] = {
        [PLOG_READ] = "raadplegen",
        [PLOG_CREATE] = "aanmaken",
        [PLOG_UPDATE] = "wijzigen",
        [PLOG_SEARCH] = "zoeken",
    };
    return action >= 0 && action < (int)(sizeof actions / sizeof actions[0]) ? actions[action]
                                                                             : "?";
}

/* The first microsecond (UTC) of a day, at the earliest 1970-01-01. */
static int64_t day_us(lks_date d)
{
    return d > 0 ? (int64_t)d * US_PER_DAY : 0;
}

int app_plog_read(struct app *a, struct plog *p, const struct app_actor *who,
                  const struct app_plog_query *q, char searched[10],
                  int (*cb)(void *arg, int64_t id, const struct plog_entry *e), void *arg,
                  struct lks_err *err)
{
    (void)a;
    searched[0] = '\0';
    int rc = app_actor_check(who, err);
    if (rc || (rc = app_refuse_cap(who, APP_CAP_AUDIT, err)))
        return rc;
    if (q->bsn && (rc = app_bsn_check(q->bsn, searched, err)))
        return rc;
    bool has_from = q->from != LKS_NO_DATE, has_to = q->to != LKS_NO_DATE;
    if (has_from && has_to && q->to <= q->from)
        return lks_err_set(err, LKS_EINVAL, "tot", "out-of-range", "moet na vanaf liggen");
    struct plog_filter f = {.tenant = who->tenant,
                            .bsn = searched[0] ? searched : NULL,
                            .after_id = q->after_id,
                            .limit = q->limit,
                            .newest_first = q->newest_first};
    f.from_us = has_from ? day_us(q->from) : 0;
    if (has_to) /* ends before 1970: nothing (0 would be no end) */
        f.to_us = day_us(q->to) > f.from_us ? day_us(q->to) : f.from_us + 1;
    rc = plog_read(p, &f, cb, arg, err);
    if (rc && strcmp(err->field, "after_id") == 0)
        lks_err_field(err, "na");
    return rc;
}

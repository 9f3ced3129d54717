/*
 * views — rendered cases kept per API thread and used again while nothing was
 * committed to the store (store_generation unchanged) on the same day.
 *
 * A case's JSON depends only on the store's content, the rule tables (fixed
 * for the life of the process), today's date (open deadlines, the month's amount) and
 * the reader's role (the commands it may give); a kept
 * rendering with the same generation and date is therefore byte for byte what
 * rendering it anew would give. Each view also keeps what the router needs to
 * decide and log a read without the case: the person's BSN for the processing
 * log and the employer's KvK number for the employer portal's scope. Slots are
 * direct-mapped by case id; a slot holds one view. Not shared between threads.
 */
#ifndef LKS_API_VIEWS_H
#define LKS_API_VIEWS_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "case/model.h"

#define API_VIEW_SLOTS 1024

struct api_view {
    uint64_t gen; /* 0: empty */
    int64_t id;
    lks_date today;
    int role;              /* the view shows the commands of this role */
    char tenant[CASE_ID];
    char bsn[10];
    char kvk[9];
    char *json;
    size_t len;
};

struct api_views {
    struct api_view v[API_VIEW_SLOTS];
};

/* The view of case `id` of `tenant` for `role` rendered at generation gen on `today`, or
 * NULL. */
const struct api_view *api_view_get(const struct api_views *vs, const char *tenant, int64_t id,
                                    int role, lks_date today, uint64_t gen);
/* Keep a rendering (copied); gen 0 keeps nothing. Out of memory keeps nothing either. */
void api_view_put(struct api_views *vs, const char *tenant, int64_t id, int role, lks_date today,
                  uint64_t gen, const char *bsn, const char *kvk, const char *json, size_t len);
void api_views_free(struct api_views *vs);

#endif

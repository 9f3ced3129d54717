/*
 * views — see views.h.
 */
#include "api/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t slot_of(int64_t id)
{
    return (size_t)((uint64_t)id % API_VIEW_SLOTS);
}

const struct api_view *api_view_get(const struct api_views *vs, const char *tenant, int64_t id,
                                    int role, lks_date today, uint64_t gen)
{
    if (!vs || gen == 0)
        return NULL;
    const struct api_view *v = &vs->v[slot_of(id)];
    if (v->gen != gen || v->id != id || v->today != today || v->role != role || !v->json ||
        strcmp(v->tenant, tenant) != 0)
        return NULL;
    return v;
}

void api_view_put(struct api_views *vs, const char *tenant, int64_t id, int role, lks_date today,
                  uint64_t gen, const char *bsn, const char *kvk, const char *json, size_t len)
{
    if (!vs || gen == 0 || strlen(tenant) >= CASE_ID || strlen(bsn) >= sizeof vs->v[0].bsn ||
        strlen(kvk) >= sizeof vs->v[0].kvk)
        return;
    struct api_view *v = &vs->v[slot_of(id)];
    char *copy = v->json && v->len >= len ? v->json : realloc(v->json, len ? len : 1);
    if (!copy) {
        free(v->json);
        memset(v, 0, sizeof *v);
        return;
    }
    memcpy(copy, json, len);
    v->json = copy;
    v->len = len;
    v->gen = gen;
    v->id = id;
    v->today = today;
    v->role = role;
    snprintf(v->tenant, sizeof v->tenant, "%s", tenant); /* lengths checked above */
    snprintf(v->bsn, sizeof v->bsn, "%s", bsn);
    snprintf(v->kvk, sizeof v->kvk, "%s", kvk);
}

void api_views_free(struct api_views *vs)
{
    if (!vs)
        return;
    for (size_t i = 0; i < API_VIEW_SLOTS; i++) {
        free(vs->v[i].json);
        vs->v[i].json = NULL;
        vs->v[i].gen = 0;
    }
}

/*
 * assets — the static files of the pages, compiled into the binary.
 *
 * tools/embed_assets.sh builds them (build/gen/assets_data.c): one CSS bundle (the NL
 * Design System design tokens and components pinned in src/web/static/package-lock.json,
 * then src/web/static/lks.css) and the favicon. Each is served under a name that carries
 * the first 12 hex digits of the SHA-256 of its bytes, e.g. /static/lks-0123456789ab.css,
 * so a new build gives a new name and a response may be cached for a year:
 *     Cache-Control: public, max-age=31536000, immutable
 * with the asset's Content-Type and ETag. A page never writes a name itself; it asks
 * web_asset_path("lks.css") and links what it gets.
 *
 * Logical names: "lks.css" (the stylesheet; the theme's class is lks-theme, on <body>) and
 * "favicon.svg". Everything here is constant data: safe from any thread.
 */
#ifndef LKS_WEB_ASSETS_H
#define LKS_WEB_ASSETS_H

#include <stddef.h>

struct web_asset {
    const char *path;          /* the request path, e.g. "/static/lks-0123456789ab.css" */
    const char *content_type;  /* the Content-Type header's value */
    const unsigned char *data; /* the file's bytes (not NUL-terminated) */
    size_t len;                /* their number */
    const char *etag;          /* the ETag header's value, quotes included */
};

/* Generated (build/gen/assets_data.c): every asset, and beside each its logical name. */
extern const struct web_asset web_assets[];
extern const size_t web_assets_n;
extern const char *const web_assets_logical[];

/* The asset served at a request path (the path alone, without "?…"), or NULL. */
const struct web_asset *web_asset_find(const char *path);

/* The request path of the asset with a logical name ("lks.css" → "/static/lks-….css"),
 * or NULL when there is none. */
const char *web_asset_path(const char *logical);

#endif

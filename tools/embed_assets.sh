#!/bin/sh
# embed_assets.sh OUT.c STATIC_DIR NODE_MODULES LKS_CSS FAVICON — build the static assets of
# the pages and compile them into the binary (src/web/assets.h is their C API).
#
# Writes:
#   STATIC_DIR/lks-<hash>.css      one CSS bundle: the design tokens, the NL Design System
#                                  components below and LKS_CSS, in this fixed order
#   STATIC_DIR/favicon-<hash>.svg  FAVICON as it is
#   STATIC_DIR/manifest.json       {"lks.css": "/static/lks-<hash>.css", ...}, for the
#                                  browser tests (tests/web), which serve these same files
#   OUT.c                          the same bytes as C arrays, the table web_assets[] and
#                                  the logical names beside it
# <hash> is the first 12 hex digits of the SHA-256 of the file's bytes, so a file's name
# changes whenever its content does and the server can let browsers cache it for a year.
# The output depends only on the inputs (the packages pinned by the lockfile, LKS_CSS,
# FAVICON and this script): no dates, no paths of this machine.
#
# What the bundle takes from NODE_MODULES (src/web/static/package.json pins the versions;
# all are EUPL-1.2, whose notices the bundle keeps):
#   @nl-design-system-unstable/voorbeeld-design-tokens  dist/theme.css: the design tokens.
#       Chosen over @utrecht/design-tokens because that one is Gemeente Utrecht's own brand
#       and "the open source license does NOT apply" to it (its LICENSE.md); the Voorbeeld
#       (example) theme is the NL Design System community's neutral, EUPL-licensed theme,
#       and it sets the tokens of the Utrecht components (--utrecht-*) through the shared
#       --basis-* tokens. Its selector .voorbeeld-theme becomes .lks-theme, so the pages
#       name one class whatever theme a municipality swaps in here. Only the tokens that
#       the components and lks.css use, directly or through other tokens, are kept: the
#       theme also serves other component libraries (Amsterdam, Den Haag, Rijkshuisstijl …)
#       and components lks does not take, and holds about twice as much.
#   @utrecht/<name>-css  dist/index.css of each of the components the pages need:
#       page-layout, page-header, page-body, page-content, page-footer — the page's frame;
#       document — font and colour of the whole page; skip-link — "Naar de inhoud";
#       heading-1 … heading-4, paragraph, link, unordered-list — text;
#       data-list — the key/value lists of a case page; table — the work lists;
#       button, action-group — actions and rows of them;
#       form-field, form-label, form-fieldset, form-field-description,
#       form-field-error-message, textbox, textarea, select, checkbox, radio-button — forms;
#       alert — messages and the error summary; status-badge — deadline and case states
#       (the theme styles status-badge, not the older badge-status);
#       breadcrumb-nav, nav-bar with nav-list — navigation (the theme styles nav-bar, not
#       navigation);
#       separator; accordion — sections that fold.
#   Not taken: @utrecht/focus-ring-css (a Sass mixin, no CSS), root-css and body-css
#   (document-css on <body> does their part without styling :root), custom-checkbox-css
#   (it draws its tick with a data: URL, which the pages' CSP refuses; lks.css styles the
#   native checkbox instead).
# Comments are dropped except the first copy of each @license comment; the packages ship
# no source maps, @import or url() (tests/unit/test_assets.c checks the result).
set -eu

if [ $# -ne 5 ]; then
    echo "gebruik: embed_assets.sh OUT.c STATIC_DIR NODE_MODULES LKS_CSS FAVICON" >&2
    exit 2
fi
out=$1
static=$2
nm=$3
lkscss=$4
favicon=$5

TOKENS=@nl-design-system-unstable/voorbeeld-design-tokens
COMPONENTS="page-layout page-header page-body page-content page-footer document skip-link
heading-1 heading-2 heading-3 heading-4 paragraph link unordered-list data-list table
button action-group form-field form-label form-fieldset form-field-description
form-field-error-message textbox textarea select checkbox radio-button alert status-badge
breadcrumb-nav nav-bar nav-list separator accordion"

die() {
    echo "embed_assets: $*" >&2
    exit 1
}

version() { # version PKGDIR: the "version" of its package.json
    sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$1/package.json" | head -n 1
}

# strip_comments: drop /* */ comments but the first copy of each @license comment (kept
# ones are remembered across files in $seen); quoted strings pass unchanged; blank lines
# left behind go.
strip_comments() {
    awk -v seenfile="$seen" '
        BEGIN { while ((getline l < seenfile) > 0) seen[l] = 1; close(seenfile) }
        {
            line = $0; outl = ""; i = 1; len = length(line)
            while (i <= len) {
                c = substr(line, i, 1); c2 = substr(line, i, 2)
                if (incomment) {
                    e = index(substr(line, i), "*/")
                    if (e == 0) { comment = comment substr(line, i) "\n"; i = len + 1; continue }
                    comment = comment substr(line, i, e + 1); i += e + 1; incomment = 0
                    if (comment ~ /@license/) {
                        key = comment; gsub(/[\n\r]/, " ", key)
                        if (!(key in seen)) { seen[key] = 1; print key >> seenfile; outl = outl comment }
                    }
                    continue
                }
                if (c2 == "/*") { incomment = 1; comment = "/*"; i += 2; continue }
                if (c == "\"" || c == "\047") {
                    q = c; j = i + 1
                    while (j <= len && substr(line, j, 1) != q) {
                        if (substr(line, j, 1) == "\\") j++
                        j++
                    }
                    outl = outl substr(line, i, j - i + 1); i = j + 1
                    continue
                }
                outl = outl c; i++
            }
            if (incomment) { if (outl ~ /[^ \t]/) print outl; next }
            sub(/[ \t]+$/, "", outl)
            if (outl != "") print outl
        }'
}

command -v sha256sum >/dev/null || die "sha256sum (coreutils) is needed"
[ -f "$lkscss" ] || die "missing $lkscss"
[ -f "$favicon" ] || die "missing $favicon"
tdir=$nm/$TOKENS
[ -f "$tdir/dist/theme.css" ] || die "missing $tdir/dist/theme.css (npm ci in $(dirname "$nm"))"

tmp=$out.tmp.d
rm -rf "$tmp"
mkdir -p "$tmp/static"
seen=$tmp/seen
: >"$seen"
bundle=$tmp/bundle.css

# --- the components and lks.css, without their comments
for c in $COMPONENTS; do
    d=$nm/@utrecht/$c-css
    [ -f "$d/dist/index.css" ] || die "missing $d/dist/index.css"
    strip_comments <"$d/dist/index.css"
done >"$tmp/components.css"
strip_comments <"$lkscss" >"$tmp/own.css"

# --- the theme: one rule with one custom property a line. Kept: the properties that the
# components or lks.css name, and those that a kept one names, and so on (a name is any
# "--name" in the text, so a reference inside var( that spans lines counts too).
grep -q '^\.voorbeeld-theme {$' "$tdir/dist/theme.css" || die "$TOKENS: no .voorbeeld-theme rule"
grep -E '^[[:space:]]*--[A-Za-z0-9_-]+:' "$tdir/dist/theme.css" |
    sed 's/[[:space:]]*\/\*[^*]*\*\/[[:space:]]*$//' >"$tmp/tokens"
cat "$tmp/components.css" "$tmp/own.css" | awk -v tokens="$tmp/tokens" '
    function refs(text, from,    r) {  # every --name in text, queued when not seen
        while (match(text, /--[A-Za-z0-9_-]+/)) {
            r = substr(text, RSTART, RLENGTH); text = substr(text, RSTART + RLENGTH)
            if (!(r in want)) { want[r] = 1; queue[++nq] = r }
        }
    }
    BEGIN {
        while ((getline l < tokens) > 0) {
            name = l; sub(/^[ \t]*/, "", name); sub(/:.*/, "", name)
            value = l; sub(/^[^:]*:/, "", value)
            line[name] = l; val[name] = value; order[++n] = name
        }
    }
    { refs($0) }
    END {
        for (q = 1; q <= nq; q++)
            if (queue[q] in val) refs(val[queue[q]])
        for (i = 1; i <= n; i++)
            if (order[i] in want) print line[order[i]]
    }' >"$tmp/kept"
[ -s "$tmp/kept" ] || die "$TOKENS: no token of the theme is used"

{
    echo "/*! lks — the stylesheet of lks's pages: NL Design System design tokens and components,"
    echo " * then lks's own rules. Built by tools/embed_assets.sh; the parts and their licences:"
    echo " *   $TOKENS $(version "$tdir") (EUPL-1.2, Copyright (c) 2021 NL Design System Community)"
    for c in $COMPONENTS; do
        echo " *   @utrecht/$c-css $(version "$nm/@utrecht/$c-css") (EUPL-1.2)"
    done
    echo " * Licensed under the EUPL-1.2 (its text: LICENSE.md in each package)."
    echo " */"
    echo "/* @license EUPL-1.2 — $TOKENS $(version "$tdir"), Copyright (c) 2021 NL Design System Community"
    echo " * (the tokens this bundle uses, under the class lks-theme instead of voorbeeld-theme) */"
    echo ".lks-theme {"
    cat "$tmp/kept"
    echo "}"
    cat "$tmp/components.css" "$tmp/own.css"
} >"$bundle"

grep -q 'sourceMappingURL' "$bundle" && die "the bundle has a source map reference"
grep -Eiq '@import|url\([[:space:]]*["'\'']?[[:space:]]*(https?:)?//' "$bundle" && die "the bundle loads something from elsewhere"

hash_of() { sha256sum "$1" | cut -c1-12; }
css_hash=$(hash_of "$bundle")
ico_hash=$(hash_of "$favicon")
css_path=/static/lks-$css_hash.css
ico_path=/static/favicon-$ico_hash.svg
cp "$bundle" "$tmp/static/lks-$css_hash.css"
cp "$favicon" "$tmp/static/favicon-$ico_hash.svg"
printf '{"lks.css": "%s", "favicon.svg": "%s"}\n' "$css_path" "$ico_path" >"$tmp/static/manifest.json"

carray() { # carray NAME FILE: a C array of the file's bytes
    echo "static const unsigned char $1[] = {"
    od -An -v -tx1 "$2" | sed -e 's/[[:space:]]*\([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/    /'
    echo "};"
}

{
    echo "/* Generated by tools/embed_assets.sh from the packages of src/web/static/package-lock.json,"
    echo " * $lkscss and $favicon — do not edit. */"
    echo "#include \"web/assets.h\""
    echo
    carray asset_lks_css "$bundle"
    echo
    carray asset_favicon_svg "$favicon"
    echo
    echo "const struct web_asset web_assets[] = {"
    # the ETag is the whole header value, quotes included
    printf '    {"%s", "%s", %s, sizeof %s, "\\"%s\\""},\n' \
        "$css_path" "text/css; charset=utf-8" asset_lks_css asset_lks_css "$css_hash" \
        "$ico_path" "image/svg+xml" asset_favicon_svg asset_favicon_svg "$ico_hash"
    echo "};"
    echo "const size_t web_assets_n = sizeof web_assets / sizeof web_assets[0];"
    echo "const char *const web_assets_logical[] = {\"lks.css\", \"favicon.svg\"};"
} >"$tmp/assets_data.c"

rm -rf "$static"
mkdir -p "$(dirname "$static")" "$(dirname "$out")"
mv "$tmp/static" "$static"
mv "$tmp/assets_data.c" "$out"
rm -rf "$tmp"

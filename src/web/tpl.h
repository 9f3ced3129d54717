/*
 * tpl — HTML templates, escaped by construction.
 *
 * The pages' HTML lives in template files (src/web/templates/NAME.html, compiled
 * into the binary by tools/embed_tpl.sh as tpl_builtin). tpl owns reading them
 * into a set, checking them, and rendering one with a JSON value (jansson) as its
 * data. A set is parsed once and is immutable afterwards: any number of threads
 * may render from one set at the same time. Rendering allocates nothing but the
 * growth of the output buffer and never re-reads the text.
 *
 * Escaping is decided when a template is loaded, not by its author. The loader
 * follows the HTML tokenizer of a browser through the static text (text, tag,
 * attribute name and value in each quoting, comment, <script>/<style> raw text,
 * <title>/<textarea> RCDATA) and gives each value the context it stands in. A
 * value where no escaping can make it safe is a load error. There is one way to
 * write markup that is not in a template: a named safe slot that the C caller
 * passes in (struct tpl_safe); no JSON value is ever written raw.
 *
 * Syntax (a small mustache):
 *   {{path}}          a value of the data, escaped for its context. A path is
 *                     `name`, `a.b.c` (a digit segment indexes an array) or `.` /
 *                     `this` (the current item; `this.a` looks only there); its
 *                     first name is looked up from the innermost scope outwards
 *                     (each item, then the data), the rest only below what it
 *                     found. Inside {{#each}}: `@index` (0-based), `@number`
 *                     (1-based), `@key` (over an object), `@first`, `@last`.
 *                     Strings are written as they are, integers in decimal, reals
 *                     as "%.15g" (decimals belong in strings). null, true, false,
 *                     arrays, objects and a missing path write nothing: true and
 *                     false are for conditions. A missing path is no error.
 *   {{path|filter}}   formats a string (getal and procent also a whole number:
 *                     percentages and hours travel as either); any other value
 *                     is written as without the filter, and text the filter
 *                     cannot read as it is. Filters only format, never markup:
 *                       euro    "881.05" → "€ 881,05", "-12.5" → "-€ 12,50",
 *                               "1234" → "€ 1.234,00" (at most 2 decimals)
 *                       getal   "1234.5" → "1234,5" (the comma; no grouping)
 *                       procent "60" → "60%", "60.5" → "60,5%"
 *                       datum   "2026-01-05" → "5 januari 2026"
 *                       maand   "2026-01-05" or "2026-01" → "januari 2026"
 *   {{#if path}}…{{else}}…{{/if}}, {{#unless path}}…{{else}}…{{/unless}}
 *                     truthy: a non-empty string, a non-zero number, true, a
 *                     non-empty array or object.
 *   {{#each path}}…{{else}}…{{/each}}
 *                     over an array, or an object's members in their order (then
 *                     @key); the else part when empty, missing or neither.
 *   {{> name}}        another template of the set, with the current scope. Only
 *                     in HTML text. Unknown names and cycles are load errors;
 *                     includes nest at most TPL_MAX_INCLUDE deep.
 *   {{{slot}}}        the HTML of the caller's safe slot of that name, as it is;
 *                     nothing when not passed. Only in HTML text.
 *   {{! comment }}    nothing (ends at the first "}}").
 * Spaces are allowed inside the braces. "{{" always opens a tag (there is no way
 * to write it as text). The text around tags is kept as written: a line holding
 * only a section tag leaves its newline in the output.
 *
 * Contexts and their escaping:
 *   HTML text, RCDATA (<title>, <textarea>), quoted attribute values:
 *       & < > " ' as &amp; &lt; &gt; &quot; &#39;.
 *   URL attributes (href, src, action, formaction, poster, cite, data, …: see
 *   url_attrs in tpl.c), a value at the start of the value (after spaces only):
 *       the URL is kept only when it is relative or its scheme is http, https or
 *       mailto, judged as a browser reads it (leading spaces and controls
 *       dropped, tabs and newlines removed, any case); anything else becomes
 *       "#". Tabs and newlines are dropped (as a browser drops them), bytes
 *       outside a safe URL set percent-encoded; then the attribute escaping.
 *   URL attributes, a value anywhere else (path, query, fragment, or after
 *   another value): encoded as a component (all but A-Z a-z 0-9 - . _ ~
 *   percent-encoded), so it cannot add a scheme, a path or a parameter.
 *   Static text that puts a scheme other than http, https or mailto before a
 *   value (href="javascript:{{x}}"), or a ':' or '&' straight after a value at
 *   the start (href="{{x}}:…"), is a load error: the scheme would come partly
 *   from the value. After a section, a value is judged by what either branch
 *   may have written.
 *
 * Load errors, reason "tpl-context": a value, slot or include in a tag name,
 * between attributes, in an attribute name, in an unquoted attribute value, in
 * a comment or declaration, in <script>, <style> or another raw-text element,
 * in an event handler (on…), a style or srcdoc attribute, in any attribute of
 * an SVG animation (<animate>, <set>, …: they set href and others); a URL chosen
 * by a value at the start of <script src>, <link href>, <base href>, <object
 * data> or <embed src>; {{#each}} in a URL before its first '/', '?' or '#'. Reason
 * "tpl-syntax": a section whose branches (or whose loop, from its end back to
 * its start) end in different tokenizer states, an unclosed or mismatched
 * section or {{else}}, a tag or "{{" not closed, a bad path, an unknown filter,
 * a template that ends inside a tag, attribute, comment or raw-text element, a
 * text that is not UTF-8 or holds a NUL byte. Reason "tpl-include": an unknown
 * include, a cycle, includes too deep. Reason "tpl-name": a bad or repeated
 * template name. A section may stand between attributes
 * (<option value="x"{{#if gekozen}} selected{{/if}}>) when what follows each of
 * its tags cannot continue a name: a space, "/" or ">".
 *
 * Not covered: the loader reads <svg> and <math> as HTML (stricter than a
 * browser there: their <style> is raw text to it), and <meta http-equiv="refresh"
 * content="…"> is a plain attribute to it: put no value there.
 *
 * Bytes of values: in text and attribute contexts, valid UTF-8 is written as it
 * is; a NUL byte and each byte that does not begin a valid UTF-8 sequence
 * (overlong forms, surrogates and code points past U+10FFFF included) become
 * U+FFFD. In URL contexts every byte outside the safe set, NUL and invalid UTF-8
 * included, is percent-encoded as it is.
 *
 * Errors: tpl_set_load returns LKS_EINVAL with err naming the template (field)
 * and "regel R, kolom K: …" (message; the column counts characters), or
 * LKS_ENOMEM. tpl_render returns LKS_ENOTFOUND for an unknown template and
 * LKS_ENOMEM when the output would pass out->max (or memory ran out); on any
 * error what it appended is taken off again (out->failed stays set).
 */
#ifndef LKS_WEB_TPL_H
#define LKS_WEB_TPL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"

#define TPL_MAX_INCLUDE   8  /* includes inside includes */
#define TPL_MAX_NEST      32 /* sections inside sections, in one template */
#define TPL_MAX_TEMPLATES 1024
#define TPL_MAX_SIZE      (1u << 24) /* one template's text */

struct tpl_source {
    const char *name; /* e.g. "layout" (the file name without .html) */
    const char *text; /* need not stay alive after tpl_set_load */
    size_t len;
};

/* The templates of src/web/templates, generated at build time. */
extern const struct tpl_source tpl_builtin[];
extern const size_t tpl_builtin_n;

struct tpl_set; /* parsed once, immutable, shared by threads */

/* Parse and check n templates as one set (includes resolve within it). On error
 * *out is NULL and nothing is kept. */
int tpl_set_load(struct tpl_set **out, const struct tpl_source *src, size_t n, struct lks_err *err);
void tpl_set_free(struct tpl_set *s);
bool tpl_has(const struct tpl_set *s, const char *name);

/* Markup the caller vouches for (e.g. a page body rendered by another template),
 * written where the template says {{{name}}}. */
struct tpl_safe {
    const char *name;
    const char *html;
    size_t len;
};

/* Render template `name` with `data` (may be NULL) into `out` (appended);
 * LKS_ENOTFOUND unknown name, LKS_ENOMEM when the output would pass out->max. */
int tpl_render(const struct tpl_set *s, const char *name, const json_t *data,
               const struct tpl_safe *slots, size_t nslots, struct buf *out, struct lks_err *err);

/* The escapers of the contexts, for tests and for the few places that build
 * markup in C from values: appends to out; false when out failed, and then
 * nothing of s was appended. */
enum tpl_ctx {
    TPL_CTX_TEXT,      /* HTML text and RCDATA */
    TPL_CTX_ATTR,      /* a quoted attribute value */
    TPL_CTX_URL_START, /* the start of a URL attribute's value */
    TPL_CTX_URL_PART   /* elsewhere in a URL attribute's value */
};
bool tpl_escape(struct buf *out, enum tpl_ctx ctx, const char *s, size_t n);

#endif

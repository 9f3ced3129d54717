/*
 * form — posted HTML forms: decoded, checked, and turned into the JSON command the API
 * takes.
 *
 * The pages (a case workers' desk, an employer portal) work without JavaScript: a form
 * is posted as application/x-www-form-urlencoded, or as multipart/form-data (RFC 7578)
 * when it carries a file. This module decodes either body into a struct form of named
 * fields, and turns a form into the command JSON {"datum", "gegevens": {...}} that
 * app_command_json and the other *_command_json calls read, so that one codec checks
 * what a page and the API send and names a faulty field the same way.
 *
 * Decoding (form_parse_urlencoded, form_parse_multipart). Every name and every text
 * value must be valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF, nothing cut off) without NUL bytes; names have no control characters. A
 * line break in a text value (CR LF, or a lone CR) is kept as LF: browsers send CR LF
 * from a textarea. Values are not trimmed. Names and values are kept in the order
 * posted; a name may repeat (checkboxes, multi-selects). urlencoded: '&' separates
 * fields (empty pieces are skipped), '+' is a space, %XX a byte; a piece without '='
 * is a name with an empty value.
 * multipart: the boundary comes from the Content-Type (token or quoted string, 1–70
 * characters of RFC 2046's set, not ending in a space); a preamble and an epilogue are
 * ignored; each part has at most FORM_MAX_PART_LINES header lines in at most
 * FORM_MAX_PART_HEADER bytes (with their line ends, without the blank line after them),
 * one "Content-Disposition: form-data; name=…" (filename=… for a file), and optionally
 * Content-Type (kept as given); a Content-Transfer-Encoding other than 7bit, 8bit or
 * binary is refused, other headers are ignored, folded header lines are refused. Parameter values
 * are read as browsers write them (WHATWG HTML): a quoted string ends at the next '"', with no
 * backslash escapes, and is kept as sent (a browser's %22, %0D, %0A stay as they are). filename*
 * (RFC 5987) is refused: RFC 7578 forbids senders to use it and a part that has it is no text field
 * either. A part with a filename is a file: its bytes are kept exactly as sent (binary, with their
 * length; CR LF stays); a file input with no file chosen (an empty filename and no bytes) is left
 * out. A part without a filename is a text field, checked like an urlencoded value whatever charset
 * its Content-Type names. A delimiter line must be exactly the boundary, optionally followed by
 * spaces or tabs, or the closing "--": "--boundary" followed by anything else is an error, and so
 * is a body that ends before the closing delimiter.
 *
 * Limits, each refused with an error rather than cut off: FORM_MAX_FIELDS fields,
 * names of FORM_MAX_NAME bytes, text values of FORM_MAX_VALUE bytes (as kept: decoded,
 * line breaks normalised), a name at most FORM_MAX_REPEAT times, FORM_MAX_FILES files.
 * The body as a whole is capped by the HTTP layer (http_config.max_body, 1 MiB now);
 * that cap also bounds a file, so a route that takes uploads may get a bigger one.
 *
 * Failure: a parse either gives the whole form or fails with LKS_EINVAL and the first
 * fault in err (never a partial form; *out is then empty and need not be freed, though
 * form_free on it is harmless), or LKS_ENOMEM. err->field names the field as
 * form_to_json would (see below: without "gegevens." and without the type suffix), or
 * "formulier" for a fault of the form as a whole (a missing boundary, too many fields,
 * a field without a name). Messages are Dutch and do not repeat the field.
 *
 * Ownership: a form owns one allocation (`mem`) that holds the field array and every
 * string; all pointers in it are valid until form_free. Every name, value, filename and
 * content type is NUL-terminated; a text value has no NUL inside, a file's bytes may
 * (use `len`). Forms are plain data: no global state, safe on any thread.
 *
 * From form to JSON (form_to_json). A field's name is a dotted path into the command,
 * optionally followed by a type suffix after a colon:
 *
 *   gegevens.werknemer.naam         → {"gegevens": {"werknemer": {"naam": "…"}}}
 *   gegevens.dienstverband.uren     → "32" (decimals and amounts stay text: the codec
 *                                     reads "32" and "2400.00")
 *   gegevens.werkgever.aantalWerknemers:int → 12 (a JSON integer)
 *   gegevens.naStartToegestaan:bool → true/false
 *   gegevens.taken.0.naam           → {"taken": [{"naam": …}]}
 *
 * - No suffix: a string. An empty value, or one of only spaces, tabs and line breaks,
 *   is left out, so a blank optional field is absent, not "". A name without :bool,
 *   :list or :intlist may be posted once: a second value is an error (a template's).
 * - :keep — a string that is kept even when blank ("" clears a field in a change).
 * - :int — a decimal integer (optional '-', digits, within int64) → a JSON integer;
 *   blank is left out; anything else is an error "moet een geheel getal zijn" (beyond
 *   int64: "ligt buiten het mogelijke bereik").
 * - :bool — the LAST value posted counts: "true", "on", "ja" → true; "false", "off",
 *   "nee" → false; blank → left out. A checkbox is preceded by a hidden input of the
 *   same name with "false", so unchecked gives false and checked gives true. A select
 *   with an empty option gives a yes/no/not-said choice.
 * - :list — every non-blank value of the name, in order → an array of strings. The key
 *   is there (possibly []) whenever the name was posted at all; a hidden empty input of
 *   the name makes "nothing selected" an explicit [].
 * - :intlist — the same, each value a :int → an array of integers.
 * - A name starting with '_' (_csrf, _stap, _actie) is for the page, not the command,
 *   and so are files (read them with form_file).
 * Paths: segments are ASCII letters, digits, '-' and '_', separated by single dots, at
 * most FORM_MAX_DEPTH of them. A segment of digits (0, 1, …, no leading zeros, below
 * FORM_MAX_FIELDS; not the first segment) is an array index: the array's elements are objects or
 * values by index, and every index below the highest must be present (after blank values are left
 * out: a row whose fields are all blank is absent, so a blank row before a filled one is an error
 * "ontbreekt"; a :bool is never blank when a hidden false precedes it). A path that is both a value
 * and an object or array (a=1 and a.b=2), an object and an array, or that two names give a value (a
 * and a:int) is an error naming it. The result's keys are in the order their names were first
 * posted. Errors are all reported at once (struct lks_errlist) with `field` the path without the
 * leading "gegevens." and without the suffix — exactly how the codec names fields
 * ("werknemer.naam", "taken.1"), so a page puts this module's message and the codec's
 * next to the same input. "datum" stays "datum", as app names it.
 */
#ifndef LKS_WEB_FORM_H
#define LKS_WEB_FORM_H

#include <jansson.h>
#include <stddef.h>

#include "base/err.h"

#define FORM_MAX_FIELDS      512   /* fields (parts) in one form */
#define FORM_MAX_NAME        128   /* bytes of a name, decoded */
#define FORM_MAX_VALUE       65536 /* bytes of a text value, as kept (64 KiB) */
#define FORM_MAX_REPEAT      200   /* times one name may occur */
#define FORM_MAX_FILES       8     /* file parts in one multipart form */
#define FORM_MAX_BOUNDARY    70    /* characters of a multipart boundary (RFC 2046) */
#define FORM_MAX_PART_LINES  8     /* header lines of one part */
#define FORM_MAX_PART_HEADER 2048  /* bytes of one part's header block */
#define FORM_MAX_DEPTH       8     /* segments of a path in form_to_json */

struct form_field {
    const char *name;         /* as posted, e.g. "gegevens.dienstverband.uren:int" */
    const char *value;        /* text: UTF-8 without NUL; a file: its bytes (+ a NUL) */
    size_t len;               /* bytes of value */
    const char *filename;     /* a file part: its filename as sent (may be ""); else NULL */
    const char *content_type; /* a multipart part's Content-Type as sent, or NULL */
};

struct form {
    struct form_field *f; /* n fields in the order posted */
    int n;
    int nfiles; /* fields with a filename */
    void *mem;  /* the one allocation holding f and every string */
};

/* Decode an application/x-www-form-urlencoded body of `len` bytes (need not be
 * NUL-terminated; NULL when len is 0). */
int form_parse_urlencoded(const char *body, size_t len, struct form *out, struct lks_err *err);

/* Decode a multipart/form-data body; `content_type` is the request's Content-Type
 * header ("multipart/form-data; boundary=…"). */
int form_parse_multipart(const char *body, size_t len, const char *content_type, struct form *out,
                         struct lks_err *err);

/* Release what a form owns and empty it (may be called on an empty form). */
void form_free(struct form *f);

/* The first value of the field with exactly this name (as posted, suffix and all), or
 * NULL when absent. A file's value is its bytes. */
const char *form_get(const struct form *f, const char *name);
/* How many fields have exactly this name. */
int form_count(const struct form *f, const char *name);
/* The first file part of this name, or NULL (none, or no file chosen). */
const struct form_field *form_file(const struct form *f, const char *name);

/*
 * The command JSON of a form (the rules above) into *out, a new object the caller
 * decrefs. Returns 0; LKS_EINVAL with every fault in errs and *out NULL; or
 * LKS_ENOMEM (also in errs).
 */
int form_to_json(const struct form *f, json_t **out, struct lks_errlist *errs);

/*
 * What was posted, to show a form again after an error: an object with a key per field
 * name as posted without its suffix ("gegevens.dienstverband.uren"), whose value is the
 * text as posted (not trimmed, blank kept): for a :list or :intlist an array of every
 * value in order; for a :bool "true" or "false" by the rule above (its last value as
 * posted when that is neither); otherwise the first value. Names starting with '_' and
 * files are left out. NULL only when out of memory.
 */
json_t *form_values(const struct form *f);

#endif

/*
 * forms — the command forms of a case page as data: for each command of the process table
 * its title, its button, and its fields (name as the form decoder reads it, label, kind,
 * choices, hint). One template (opdracht.html) renders any of them; a field's value and
 * error come from the posted form and the app's answer (the same Dutch messages as the
 * API, by field name). What a command accepts is the codec's: these tables only say how
 * to ask for it.
 */
#ifndef LKS_WEB_FORMS_H
#define LKS_WEB_FORMS_H

#include <jansson.h>

#include "base/err.h"
#include "case/event.h"
#include "web/form.h"

enum field_kind {
    FK_TEXT,     /* one line */
    FK_AREA,     /* several lines */
    FK_DATE,     /* JJJJ-MM-DD */
    FK_MONTH,    /* a month: JJJJ-MM-DD of its first day */
    FK_MONEY,    /* euros with a comma or point */
    FK_PERCENT,  /* a percentage */
    FK_HOURS,    /* hours */
    FK_INT,      /* a whole number (":int") */
    FK_SELECT,   /* one of choices */
    FK_CHECK,    /* yes/no (":bool", a hidden false before it) */
    FK_LIST3     /* up to three lines of one list (":list") */
};

struct field_choice {
    const char *value, *text;
};

struct field_spec {
    const char *name;  /* as posted, without a suffix: "gegevens.reden", "datum" */
    const char *label;
    enum field_kind kind;
    const struct field_choice *choices; /* FK_SELECT: ends with {NULL, NULL} */
    const char *hint;                   /* or NULL */
    bool required;
};

struct command_form {
    enum ev_type ev;
    const char *title;  /* "Informatie opvragen" */
    const char *button; /* "Vraag informatie op" */
    const char *intro;  /* what the command does, in plain words (or NULL) */
    const struct field_spec *fields;
    int nfields;
};

/* The form of a command, or NULL when it has none on a case page (the application form
 * and the access test have pages of their own). */
const struct command_form *forms_command(enum ev_type ev);

/*
 * The JSON of one command's form for opdracht.html: its title, action, fields with their
 * ids, values (from `posted`, the form as sent, or NULL) and errors (`errs`, or NULL).
 * `dynamic` adds choices known only from the case (the objections, the provisions, the
 * klantmanagers): a JSON object {field name: [{"waarde", "tekst"}]}.
 */
json_t *forms_json(const struct command_form *f, int64_t case_id, const struct form *posted,
                   const struct lks_errlist *errs, const json_t *dynamic);

/* The Dutch name of a case status ("Wacht op informatie"). */
const char *forms_status_text(int status);

struct api_ctx;
/* Give command `t` on case `id` with the posted form's fields: their JSON with "soort" set
 * (and an empty "gegevens" when none), through app_command_json. 0, or the app's code
 * with `errs` filled. */
int forms_give(struct api_ctx *c, int64_t id, enum ev_type t, struct lks_errlist *errs);

/* The status to show a failed command's form again with: 400 bad data, 403 the role or
 * scope, 409 not in this step of the process; -1 when the failure is no form's (not
 * found, the store), which is then answered here (api_fail_list). */
int forms_failure_status(struct api_ctx *c, const struct lks_errlist *errs);

#endif

/* forms — see forms.h: the command forms of a case page as data. */
#include "web/forms.h"

#include <stdio.h>
#include <string.h>

#include "web/page.h"

static const char *const status_texts[ST_COUNT] = {
    [ST_AANVRAAG] = "Aanvraag",
    [ST_WACHT_OP_INFORMATIE] = "Wacht op informatie",
    [ST_DOELGROEPBEPALING] = "Doelgroepbepaling",
    [ST_LOONWAARDEMETING] = "Loonwaardemeting",
    [ST_BESLUITVORMING] = "Besluitvorming",
    [ST_LOPEND] = "Lopend",
    [ST_HERBEOORDELING] = "Herbeoordeling",
    [ST_AFGEWEZEN] = "Afgewezen",
    [ST_BEEINDIGD] = "Beëindigd",
    [ST_INGETROKKEN] = "Ingetrokken",
};

const char *forms_status_text(int status)
{
    return status >= 0 && status < ST_COUNT ? status_texts[status] : "?";
}

#define DATE_FIELD                                                                                 \
    {                                                                                              \
        "datum", "Datum", FK_DATE, NULL, "JJJJ-MM-DD; leeg is vandaag", false                      \
    }

static const struct field_choice methods[] = {
    {"uniform", "Uniforme loonwaardemethode"}, {"dariuz", "Dariuz"}, {"uwv", "UWV"},
    {"pantar", "Pantar"},                      {"akc", "AKC"},       {NULL, NULL}};
static const struct field_choice decisions[] = {
    {"toekenning", "Toekenning"}, {"afwijzing", "Afwijzing"}, {"herziening", "Herziening"},
    {NULL, NULL}};
static const struct field_choice provisions[] = {{"proefplaatsing", "Proefplaatsing"},
                                                  {"no-risk-polis", "No-riskpolis"},
                                                  {"jobcoaching", "Jobcoaching"},
                                                  {"werkplekaanpassing", "Werkplekaanpassing"},
                                                  {NULL, NULL}};
static const struct field_choice costs[] = {
    {"toegangstoets", "Toegangstoets"}, {"loonwaardemeting", "Loonwaardemeting"},
    {"toeleiding", "Toeleiding"},       {"jobcoaching", "Jobcoaching"},
    {"overig", "Overig"},               {NULL, NULL}};
static const struct field_choice outcomes[] = {{"gegrond", "Gegrond"},
                                                {"ongegrond", "Ongegrond"},
                                                {"niet-ontvankelijk", "Niet-ontvankelijk"},
                                                {"ingetrokken", "Ingetrokken"},
                                                {NULL, NULL}};

static const struct field_spec f_date_only[] = {DATE_FIELD};
static const struct field_spec f_info[] = {
    {"gegevens.ontbreekt", "Wat ontbreekt", FK_LIST3, NULL,
     "elk stuk of gegeven op een eigen regel, ten hoogste 47 tekens", true},
    DATE_FIELD};
static const struct field_spec f_measure[] = {
    {"gegevens.methode", "Methode", FK_SELECT, methods, NULL, true},
    {"gegevens.deskundige", "Deskundige", FK_TEXT, NULL, "naam en organisatie", true},
    {"gegevens.kosten", "Kosten", FK_MONEY, NULL, "in euro's", false},
    DATE_FIELD};
static const struct field_spec f_value[] = {
    {"gegevens.loonwaarde", "Loonwaarde", FK_PERCENT, NULL, "percentage van het minimumloon",
     true},
    {"gegevens.gemeten", "Gemeten op", FK_DATE, NULL, "JJJJ-MM-DD", false},
    {"gegevens.normfunctie", "Normfunctie", FK_TEXT, NULL, NULL, false},
    {"gegevens.rapport", "Rapport", FK_TEXT, NULL, "naam van het rapport", false},
    DATE_FIELD};
static const struct field_spec f_decision[] = {
    {"gegevens.soort", "Soort beschikking", FK_SELECT, decisions, NULL, true},
    {"gegevens.vanaf", "Vanaf", FK_DATE, NULL, "leeg: de eerste dag die de regels geven", false},
    {"gegevens.tot", "Tot en met", FK_DATE, NULL, "leeg: het einde van het dienstverband", false},
    {"gegevens.motivering", "Motivering", FK_AREA, NULL, "bij een afwijzing verplicht", false},
    DATE_FIELD};
static const struct field_spec f_end[] = {
    {"gegevens.reden", "Reden", FK_TEXT, NULL, NULL, true}, DATE_FIELD};
static const struct field_spec f_move[] = {
    {"gegevens.reden", "Reden", FK_TEXT, NULL, NULL, true},
    {"gegevens.nieuweGemeente", "Nieuwe gemeente", FK_TEXT, NULL, "code, bijv. gm0772", true},
    DATE_FIELD};
static const struct field_spec f_objection[] = {
    {"gegevens.onderwerp", "Waartegen", FK_TEXT, NULL, NULL, true},
    {"gegevens.adviescommissie", "Naar de adviescommissie", FK_CHECK, NULL,
     "de beslistermijn wordt dan 12 weken (Awb art. 7:10)", false},
    {"datum", "Ontvangen op", FK_DATE, NULL, "JJJJ-MM-DD; leeg is vandaag", false}};
static const struct field_spec f_objection_decided[] = {
    {"gegevens.uitkomst", "Uitkomst", FK_SELECT, outcomes, NULL, true},
    {"gegevens.bezwaar", "Bezwaar", FK_SELECT, NULL, NULL, false},
    DATE_FIELD};
static const struct field_spec f_provision[] = {
    {"gegevens.soort", "Voorziening", FK_SELECT, provisions, NULL, true},
    {"gegevens.start", "Start", FK_DATE, NULL, "JJJJ-MM-DD", true},
    {"gegevens.einde", "Einde", FK_DATE, NULL, "JJJJ-MM-DD", false},
    {"gegevens.urenPerJaar", "Uren per jaar", FK_HOURS, NULL, "bij jobcoaching", false},
    {"gegevens.kosten", "Kosten", FK_MONEY, NULL, "in euro's", false},
    {"gegevens.motivering", "Motivering", FK_AREA, NULL,
     "nodig boven de normen van het beleid", false},
    DATE_FIELD};
static const struct field_spec f_provision_end[] = {
    {"gegevens.voorziening", "Voorziening", FK_SELECT, NULL, NULL, true},
    {"gegevens.reden", "Reden", FK_TEXT, NULL, NULL, true},
    DATE_FIELD};
static const struct field_spec f_payment[] = {
    {"gegevens.maand", "Maand", FK_MONTH, NULL, "JJJJ-MM-DD, de eerste dag van de maand", true},
    DATE_FIELD};
static const struct field_spec f_cost[] = {
    {"gegevens.soort", "Soort", FK_SELECT, costs, NULL, true},
    {"gegevens.bedrag", "Bedrag", FK_MONEY, NULL, "in euro's", true},
    {"gegevens.omschrijving", "Omschrijving", FK_TEXT, NULL, NULL, false},
    DATE_FIELD};
static const struct field_spec f_assign[] = {
    {"gegevens.klantmanager", "Klantmanager", FK_SELECT, NULL, NULL, true},
    {"gegevens.reden", "Reden", FK_TEXT, NULL, NULL, true},
    DATE_FIELD};

#define FORM(ev, title, button, intro, f) {ev, title, button, intro, f, sizeof f / sizeof f[0]}

static const struct command_form command_forms[] = {
    FORM(EV_INFORMATIE_GEVRAAGD, "Informatie opvragen", "Vraag de informatie op",
         "De beslistermijn wordt opgeschort tot de aanvulling binnen is (Awb art. 4:15).", f_info),
    FORM(EV_AANVRAAG_COMPLEET, "Aanvraag compleet", "Aanvraag is compleet",
         "Daarna volgt de toegangstoets.", f_date_only),
    FORM(EV_LOONWAARDEMETING_AANGEVRAAGD, "Loonwaardemeting aanvragen", "Vraag de meting aan",
         "Het rapport volgt binnen de termijn van het beleid.", f_measure),
    FORM(EV_LOONWAARDE_VASTGESTELD, "Loonwaarde vastleggen", "Leg de loonwaarde vast", NULL,
         f_value),
    FORM(EV_FORFAIT_AFGESPROKEN, "Forfaitaire loonkostensubsidie",
         "Spreek het forfait af",
         "Ten hoogste de eerste zes maanden; meet de loonwaarde daarvoor (Participatiewet art. "
         "10d lid 5).",
         f_date_only),
    FORM(EV_BESCHIKKING_VERZONDEN, "Beschikking versturen", "Verstuur de beschikking",
         "Het bedrag volgt uit de regels; de bezwaartermijn begint bij het versturen.",
         f_decision),
    FORM(EV_HERBEOORDELING_GESTART, "Herbeoordeling starten", "Start de herbeoordeling", NULL,
         f_measure),
    FORM(EV_LOONWAARDE_ONGEWIJZIGD, "Loonwaarde ongewijzigd", "Leg vast: ongewijzigd", NULL,
         f_value),
    FORM(EV_DIENSTVERBAND_BEEINDIGD, "Dienstverband beëindigd", "Leg het einde vast",
         "De loonkostensubsidie stopt (Participatiewet art. 10d lid 8).", f_end),
    FORM(EV_VERHUISD, "Verhuisd", "Leg de verhuizing vast",
         "De nieuwe gemeente neemt de zaak over.", f_move),
    FORM(EV_GEEN_DOELGROEP_MEER, "Geen doelgroep meer", "Leg vast", NULL, f_end),
    FORM(EV_AANVRAAG_INGETROKKEN, "Aanvraag ingetrokken", "Leg de intrekking vast", NULL, f_end),
    FORM(EV_BEZWAAR_INGEDIEND, "Bezwaar ontvangen", "Leg het bezwaar vast", NULL, f_objection),
    FORM(EV_BEZWAAR_BESLIST, "Beslissing op bezwaar", "Leg de beslissing vast", NULL,
         f_objection_decided),
    FORM(EV_VOORZIENING_TOEGEKEND, "Voorziening toekennen", "Ken de voorziening toe", NULL,
         f_provision),
    FORM(EV_VOORZIENING_BEEINDIGD, "Voorziening beëindigen", "Beëindig de voorziening", NULL,
         f_provision_end),
    FORM(EV_BETALING_VERRICHT, "Betaling", "Leg de betaling vast",
         "Het bedrag volgt uit de regels; betaald wordt naar de bevestigde IBAN.", f_payment),
    FORM(EV_KOSTEN_GEBOEKT, "Kosten boeken", "Boek de kosten", NULL, f_cost),
    FORM(EV_ZAAK_TOEGEWEZEN, "Zaak toewijzen", "Wijs de zaak toe",
         "Aan een andere klantmanager van de gemeente, met de reden.", f_assign),
};

const struct command_form *forms_command(enum ev_type ev)
{
    for (size_t i = 0; i < sizeof command_forms / sizeof command_forms[0]; i++)
        if (command_forms[i].ev == ev)
            return &command_forms[i];
    return NULL;
}

static const char *kind_name(enum field_kind k)
{
    static const char *const names[] = {"tekst",  "vak",   "datum", "maand", "bedrag", "procent",
                                        "uren",   "getal", "keuze", "vink",  "lijst"};
    return names[k];
}

/* The suffix the form decoder types a field with (form.h). */
static const char *suffix(enum field_kind k)
{
    switch (k) {
    case FK_INT:
        return ":int";
    case FK_CHECK:
        return ":bool";
    case FK_LIST3:
        return ":list";
    default:
        return "";
    }
}

/* The error of a field: the codec names it without "gegevens." (form.h, the codec). */
static const char *field_error(const struct lks_errlist *errs, const char *name)
{
    if (!errs)
        return NULL;
    const char *bare = strncmp(name, "gegevens.", 9) == 0 ? name + 9 : name;
    for (int i = 0; i < errs->n; i++)
        if (strcmp(errs->e[i].field, bare) == 0 || strcmp(errs->e[i].field, name) == 0)
            return errs->e[i].msg;
    return NULL;
}

static void add_choices(json_t *field, const struct field_choice *choices, const json_t *extra,
                        const char *chosen)
{
    json_t *list = json_array();
    for (const struct field_choice *c = choices; c && c->value; c++) {
        json_t *o = json_object();
        page_set_str(o, "waarde", c->value);
        page_set_str(o, "tekst", c->text);
        page_set_bool(o, "gekozen", chosen && strcmp(chosen, c->value) == 0);
        json_array_append_new(list, o);
    }
    size_t i;
    json_t *x;
    json_array_foreach(extra, i, x)
    {
        json_t *o = json_deep_copy(x);
        const char *v = json_string_value(json_object_get(o, "waarde"));
        page_set_bool(o, "gekozen", chosen && v && strcmp(chosen, v) == 0);
        json_array_append_new(list, o);
    }
    json_object_set_new(field, "keuzes", list);
}

json_t *forms_json(const struct command_form *f, int64_t case_id, const struct form *posted,
                   const struct lks_errlist *errs, const json_t *dynamic)
{
    json_t *o = json_object();
    const char *name = ev_type_name(f->ev);
    char action[96], prefix[48];
    snprintf(action, sizeof action, "/zaken/%lld/%s", (long long)case_id, name);
    snprintf(prefix, sizeof prefix, "o-%s", name);
    page_set_str(o, "soort", name);
    page_set_str(o, "titel", f->title);
    page_set_str(o, "knop", f->button);
    page_set_str(o, "uitleg", f->intro ? f->intro : "");
    page_set_str(o, "actie", action);
    page_set_str(o, "kop", prefix);
    json_t *fields = json_array();
    for (int i = 0; i < f->nfields; i++) {
        const struct field_spec *s = &f->fields[i];
        json_t *x = json_object();
        char id[128], full[96];
        char bare[96];
        snprintf(bare, sizeof bare, "%s", s->name);
        snprintf(id, sizeof id, "%s-", prefix);
        page_field_id(bare, id + strlen(id), sizeof id - strlen(id));
        snprintf(full, sizeof full, "%s%s", s->name, suffix(s->kind));
        page_set_str(x, "naam", full);
        page_set_str(x, "id", id);
        page_set_str(x, "label", s->label);
        page_set_str(x, "soort", kind_name(s->kind));
        page_set_bool(x, kind_name(s->kind), true);
        page_set_bool(x, "verplicht", s->required);
        /* always set, also when empty: a field without its own hint would otherwise show
         * the form's "uitleg" (the template looks a missing name up in the outer scope) */
        page_set_str(x, "uitleg", s->hint);
        const char *err = field_error(errs, s->name);
        if (err)
            page_set_str(x, "fout", err);
        const char *value = posted ? form_get(posted, full) : NULL;
        if (s->kind == FK_LIST3) {
            json_t *lines = json_array();
            int k = 0;
            for (int j = 0; posted && j < posted->n && k < 3; j++)
                if (strcmp(posted->f[j].name, full) == 0) {
                    json_array_append_new(lines, json_string(posted->f[j].value));
                    k++;
                }
            for (; k < 3; k++)
                json_array_append_new(lines, json_string(""));
            json_t *items = json_array();
            size_t j;
            json_t *line;
            json_array_foreach(lines, j, line)
            {
                json_t *it = json_object();
                char lid[160];
                snprintf(lid, sizeof lid, "%s-%zu", id, j + 1);
                page_set_str(it, "id", j == 0 ? id : lid);
                json_object_set(it, "waarde", line);
                page_set_int(it, "nummer", (int64_t)j + 1);
                json_array_append_new(items, it);
            }
            json_decref(lines);
            json_object_set_new(x, "regels", items);
        } else if (s->kind == FK_CHECK) {
            /* the hidden false comes first: the last value wins (form.h) */
            int n = 0;
            const char *last = NULL;
            for (int j = 0; posted && j < posted->n; j++)
                if (strcmp(posted->f[j].name, full) == 0) {
                    last = posted->f[j].value;
                    n++;
                }
            page_set_bool(x, "aan", n && last && strcmp(last, "true") == 0);
        } else {
            page_set_str(x, "waarde", value ? value : "");
        }
        if (s->kind == FK_SELECT)
            add_choices(x, s->choices, json_object_get(dynamic, s->name), value);
        json_array_append_new(fields, x);
    }
    json_object_set_new(o, "velden", fields);
    if (errs && errs->n) {
        /* errors no field shows (a refusal of the process) go above the form */
        json_t *rest = json_array();
        for (int i = 0; i < errs->n; i++) {
            bool placed = false;
            for (int j = 0; j < f->nfields && !placed; j++)
                placed = field_error(errs, f->fields[j].name) == errs->e[i].msg;
            if (!placed)
                json_array_append_new(rest, json_string(errs->e[i].msg));
        }
        json_object_set_new(o, "meldingen", rest);
        page_set_bool(o, "open", true);
    }
    return o;
}

int forms_give(struct api_ctx *c, int64_t id, enum ev_type t, struct lks_errlist *errs)
{
    json_t *cmd = NULL;
    if (form_to_json(&c->form, &cmd, errs)) {
        json_decref(cmd);
        return LKS_EINVAL;
    }
    if (!json_object_get(cmd, "gegevens"))
        json_object_set_new(cmd, "gegevens", json_object());
    page_set_str(cmd, "soort", ev_type_name(t));
    int64_t out = 0;
    int rc = app_command_json(&c->t->app, &c->who, id, cmd, &out, errs);
    json_decref(cmd);
    return rc;
}

int forms_failure_status(struct api_ctx *c, const struct lks_errlist *errs)
{
    if (!errs->n)
        return 400;
    switch (errs->e[0].code) {
    case LKS_EINVAL:
        return 400;
    case LKS_EFORBIDDEN:
        return 403;
    case LKS_ESTATE:
        return 409;
    default:
        api_fail_list(c, errs);
        return -1;
    }
}

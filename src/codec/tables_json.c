/* tables_json — see tables_json.h. */
#include "codec/tables_json.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/money.h"

/* The key of each table in the answer, in enum rules_table order. */
static const char *const table_key[RULES_NTABLES] = {"minimumloon", "jeugdpercentages",
                                                     "werkgeverslasten", "loonkostensubsidie"};

static void jw_ktime(struct jw *w, const char *key, int64_t at)
{
    time_t t = (time_t)at;
    struct tm tm;
    char buf[32];
    if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, sizeof buf, "%lld", (long long)at);
    jw_kstr(w, key, buf);
}

static void origin_json(struct jw *w, const struct rules *r, int table, int i)
{
    const struct rules_origin *o = rules_row_origin(r, table, i);
    jw_key(w, "herkomst");
    jw_obj_open(w);
    if (o && o->from == RULES_FROM_STORE && o->stored < r->origin.n_stored) {
        const struct rules_stored *s = &r->origin.stored[o->stored];
        jw_kstr(w, "soort", "opslag");
        jw_kint(w, "id", s->id);
        jw_kstr(w, "bron", s->source);
        jw_kstr(w, "toegevoegdDoor", s->user);
        jw_ktime(w, "toegevoegdOp", s->at);
    } else if (o && o->from == RULES_FROM_DIR) {
        jw_kstr(w, "soort", "map");
        jw_kstr(w, "bestand", r->origin.dir[table].path);
    } else {
        jw_kstr(w, "soort", "ingebouwd");
        jw_kstr(w, "bestand", r->origin.builtin[table].path);
    }
    jw_obj_close(w);
}

static void figures_json(struct jw *w, const struct rules *r, int table, int i)
{
    char b[MONEY_FMT_MAX];
    switch (table) {
    case RULES_WML:
        jw_kmoney(w, "perMaand", r->wml[i].month);
        if (r->wml[i].hour)
            jw_kmoney(w, "perUur", r->wml[i].hour);
        jw_kint(w, "volledigVanafLeeftijd", r->wml[i].full_age);
        break;
    case RULES_YOUTH:
        for (int age = RULES_YOUTH_MAX_AGE; age >= RULES_YOUTH_MIN_AGE; age--) {
            char k[16];
            snprintf(k, sizeof k, "%d", age);
            jw_kstr(w, k, money_fmt_short(b, r->youth[i].pct[age], 2, 0));
        }
        break;
    case RULES_ALLOWANCE:
        jw_kstr(w, "procent", money_fmt_short(b, r->allowance[i].pct, 2, 0));
        break;
    case RULES_LKS: {
        const struct rules_lks *p = &r->lks[i];
        jw_kstr(w, "vakantiebijslag", money_fmt_short(b, p->holiday_pct, 2, 0));
        jw_kstr(w, "maximum", money_fmt_short(b, p->cap_pct, 2, 0));
        jw_kstr(w, "forfait", money_fmt_short(b, p->forfait_pct, 2, 0));
        jw_kint(w, "forfaitMaanden", p->forfait_months);
        jw_kstr(w, "deler", p->divisor ? money_fmt_short(b, p->divisor, 2, 0) : "sector");
        jw_kmoney(w, "afrondingJeugdloon", p->youth_rounding);
        break;
    }
    default:
        break;
    }
}

void codec_rules_row(struct jw *w, const struct rules *r, int table, int i)
{
    jw_obj_open(w);
    jw_kstr(w, "tabel", rules_table_name(table));
    jw_kdate(w, "vanaf", rules_row_from(r, table, i));
    figures_json(w, r, table, i);
    origin_json(w, r, table, i);
    jw_obj_close(w);
}

static void file_json(struct jw *w, const char *kind, const struct rules_file *f)
{
    jw_obj_open(w);
    jw_kstr(w, "soort", kind);
    jw_kstr(w, "bestand", f->path);
    if (f->note[0])
        jw_kstr(w, "toelichting", f->note);
    jw_obj_close(w);
}

static const char *source_summary(const struct rules *r, int table)
{
    switch (table) {
    case RULES_WML:
        return r->source.wml;
    case RULES_YOUTH:
        return r->source.youth;
    case RULES_ALLOWANCE:
        return r->source.allowance;
    default:
        return r->source.lks;
    }
}

/* The parts of the one warning there is: the WML table defines the end of coverage. */
struct warning {
    lks_date until, next;
    int days; /* from today to the end: negative once it has passed */
    char command[200], text[600];
};

static bool warning_of(const struct rules *r, lks_date today, struct warning *wn)
{
    if (!rules_ends_soon(r, today))
        return false;
    char a[DATE_FMT_MAX], b[DATE_FMT_MAX];
    wn->until = r->until;
    wn->next = r->until + 1;
    wn->days = r->until - today;
    date_fmt(a, wn->until);
    date_fmt(b, wn->next);
    snprintf(wn->command, sizeof wn->command,
             "lks regels toevoegen --db URL --tabel wml --vanaf %s --waarden "
             "'month=…,hour=…,full_age=…' --bron 'Stcrt. …' --gebruiker NAAM",
             b);
    char when[64];
    if (wn->days < 0)
        snprintf(when, sizeof when, "verlopen, %d dagen geleden", -wn->days);
    else
        snprintf(when, sizeof when, "nog %d dagen", wn->days);
    snprintf(wn->text, sizeof wn->text,
             "de tabel minimumloon geldt tot en met %s (%s): een berekening vanaf %s wordt "
             "geweigerd. Voeg de regel vanaf %s toe zodra het minimumloon in de Staatscourant "
             "staat: %s, of POST /api/v1/regels/wml (applicatiebeheerder)",
             a, when, b, b, wn->command);
    return true;
}

int codec_rules_warnings(struct jw *w, const struct rules *r, lks_date today)
{
    struct warning wn;
    if (!warning_of(r, today, &wn))
        return 0;
    jw_key(w, "waarschuwingen");
    jw_arr_open(w);
    jw_obj_open(w);
    jw_kstr(w, "tabel", rules_table_name(RULES_WML));
    jw_kdate(w, "geldigTot", wn.until);
    jw_kbool(w, "verlopen", wn.days < 0);
    jw_kint(w, "dagen", wn.days);
    jw_kdate(w, "ontbrekendVanaf", wn.next);
    jw_kstr(w, "melding", wn.text);
    jw_kstr(w, "opdracht", wn.command);
    jw_kstr(w, "route", "POST /api/v1/regels/wml");
    jw_obj_close(w);
    jw_arr_close(w);
    return 1;
}

size_t codec_rules_warning_text(char *buf, size_t n, const struct rules *r, lks_date today)
{
    struct warning wn;
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (!warning_of(r, today, &wn))
        return 0;
    snprintf(buf, n, "%s", wn.text);
    return strlen(buf);
}

void codec_rules(struct jw *w, const struct rules *r, lks_date today)
{
    jw_obj_open(w);
    jw_kdate(w, "geldigTot", r->until);
    codec_rules_warnings(w, r, today);
    for (int t = 0; t < RULES_NTABLES; t++) {
        jw_key(w, table_key[t]);
        jw_obj_open(w);
        jw_kstr(w, "tabel", rules_table_name(t));
        jw_kstr(w, "bron", source_summary(r, t));
        jw_key(w, "bestanden");
        jw_arr_open(w);
        file_json(w, "ingebouwd", &r->origin.builtin[t]);
        if (r->origin.dir[t].path[0])
            file_json(w, "map", &r->origin.dir[t]);
        jw_arr_close(w);
        jw_key(w, "regels");
        jw_arr_open(w);
        for (int i = 0; i < rules_table_rows(r, t); i++) {
            jw_obj_open(w);
            jw_kdate(w, "vanaf", rules_row_from(r, t, i));
            figures_json(w, r, t, i);
            origin_json(w, r, t, i);
            jw_obj_close(w);
        }
        jw_arr_close(w);
        jw_obj_close(w);
    }
    jw_obj_close(w);
}

/* cmd_regels — `lks regels`: the rule tables in force, with where each came from. */
#include <string.h>

#include "base/money.h"
#include "cli/cli.h"

int cmd_regels(struct cli *c, int argc, char **argv)
{
    if (argc > 0 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
        fputs("Gebruik: lks [--regels MAP] regels\n\n"
              "Toont de regeltabellen die gelden (ingebouwd, aangevuld met MAP of $LKS_REGELS):\n"
              "minimumloon, jeugdpercentages, werkgeverslasten en de parameters van de\n"
              "loonkostensubsidie, met de bron van elke tabel en de laatste dag die ze dekken.\n",
              c->out);
        return CLI_OK;
    }
    if (argc > 0) {
        fprintf(c->errf, "lks: regels: %s: onverwacht argument (zie --help)\n", argv[0]);
        return CLI_BAD;
    }
    const struct rules *r = cli_rules(c);
    if (!r)
        return CLI_BAD;
    struct jw w;
    jw_init(&w, 1 << 20, true);
    jw_obj_open(&w);
    jw_kdate(&w, "geldigTot", r->until);
    jw_key(&w, "minimumloon");
    jw_obj_open(&w);
    jw_kstr(&w, "bron", r->source.wml);
    jw_key(&w, "regels");
    jw_arr_open(&w);
    for (int i = 0; i < r->n_wml; i++) {
        jw_obj_open(&w);
        jw_kdate(&w, "vanaf", r->wml[i].from);
        jw_kmoney(&w, "perMaand", r->wml[i].month);
        if (r->wml[i].hour)
            jw_kmoney(&w, "perUur", r->wml[i].hour);
        jw_kint(&w, "volledigVanafLeeftijd", r->wml[i].full_age);
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);

    char b[MONEY_FMT_MAX];
    jw_key(&w, "jeugdpercentages");
    jw_obj_open(&w);
    jw_kstr(&w, "bron", r->source.youth);
    jw_key(&w, "regels");
    jw_arr_open(&w);
    for (int i = 0; i < r->n_youth; i++) {
        jw_obj_open(&w);
        jw_kdate(&w, "vanaf", r->youth[i].from);
        for (int age = RULES_YOUTH_MAX_AGE; age >= RULES_YOUTH_MIN_AGE; age--) {
            char k[16];
            snprintf(k, sizeof k, "%d", age);
            jw_kstr(&w, k, money_fmt_short(b, r->youth[i].pct[age], 2, 0));
        }
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);

    jw_key(&w, "werkgeverslasten");
    jw_obj_open(&w);
    jw_kstr(&w, "bron", r->source.allowance);
    jw_key(&w, "regels");
    jw_arr_open(&w);
    for (int i = 0; i < r->n_allowance; i++) {
        jw_obj_open(&w);
        jw_kdate(&w, "vanaf", r->allowance[i].from);
        jw_kstr(&w, "procent", money_fmt_short(b, r->allowance[i].pct, 2, 0));
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);

    jw_key(&w, "loonkostensubsidie");
    jw_obj_open(&w);
    jw_kstr(&w, "bron", r->source.lks);
    jw_key(&w, "regels");
    jw_arr_open(&w);
    for (int i = 0; i < r->n_lks; i++) {
        const struct rules_lks *p = &r->lks[i];
        jw_obj_open(&w);
        jw_kdate(&w, "vanaf", p->from);
        jw_kstr(&w, "vakantiebijslag", money_fmt_short(b, p->holiday_pct, 2, 0));
        jw_kstr(&w, "maximum", money_fmt_short(b, p->cap_pct, 2, 0));
        jw_kstr(&w, "forfait", money_fmt_short(b, p->forfait_pct, 2, 0));
        jw_kint(&w, "forfaitMaanden", p->forfait_months);
        if (p->divisor)
            jw_kstr(&w, "deler", money_fmt_short(b, p->divisor, 2, 0));
        else
            jw_kstr(&w, "deler", "sector");
        jw_obj_close(&w);
    }
    jw_arr_close(&w);
    jw_obj_close(&w);
    jw_obj_close(&w);
    int rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

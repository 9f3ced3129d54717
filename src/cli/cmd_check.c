/* cmd_check — `lks check bsn|iban|kvk WAARDE`: exit 0 when valid, 1 when not. */
#include <string.h>

#include "base/ids.h"
#include "cli/cli.h"

int cmd_check(struct cli *c, int argc, char **argv)
{
    static const char *help =
        "Gebruik: lks check bsn|iban|kvk WAARDE\n\n"
        "Controleert een burgerservicenummer (elfproef), IBAN (mod-97, Nederlandse opbouw)\n"
        "of KvK-nummer (8 cijfers). Uitvoer {\"geldig\":true} met afsluitcode 0, of\n"
        "{\"geldig\":false,\"reden\":\"...\"} met afsluitcode 1.\n";
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(help, c->out);
            return CLI_OK;
        }
    if (argc != 2) {
        fprintf(c->errf, "lks: check: %s\n%s",
                argc < 2 ? "soort en waarde ontbreken" : "te veel argumenten", help);
        return CLI_BAD;
    }
    char reason[IDS_REASON_MAX] = "";
    bool ok;
    if (!strcmp(argv[0], "bsn"))
        ok = ids_bsn_valid(argv[1], reason);
    else if (!strcmp(argv[0], "iban"))
        ok = ids_iban_valid(argv[1], reason);
    else if (!strcmp(argv[0], "kvk"))
        ok = ids_kvk_valid(argv[1], reason);
    else {
        fprintf(c->errf, "lks: check %s: onbekende soort (kies bsn, iban of kvk)\n", argv[0]);
        return CLI_BAD;
    }
    struct jw w;
    jw_init(&w, 4096, false);
    jw_obj_open(&w);
    jw_kbool(&w, "geldig", ok);
    if (!ok)
        jw_kstr(&w, "reden", reason);
    jw_obj_close(&w);
    int rc = cli_emit(c, &w);
    jw_free(&w);
    return rc == CLI_OK && !ok ? CLI_NO : rc;
}

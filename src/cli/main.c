/*
 * main — entry of the lks command line: global options and dispatch to the
 * subcommands (cli.h). Kept small: each subcommand lives in its own file.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define LKS_VERSION "0.1.0"

static const struct {
    const char *name;
    int (*run)(struct cli *, int, char **);
    const char *summary;
} commands[] = {
    {"calc", cmd_calc, "bedragen berekenen: loonkostensubsidie, loondispensatie, inverdieneffect"},
    {"termijn", cmd_termijn, "een termijn of servicenorm uitrekenen (werkdagen, dagen, weken)"},
    {"check", cmd_check, "een BSN, IBAN of KvK-nummer controleren"},
    {"toegangstoets", cmd_toegangstoets, "de toegangstoets doelgroep uitvoeren"},
    {"regels", cmd_regels, "de regeltabellen tonen die gelden (minimumloon, percentages)"},
    {"init", cmd_init, "een opslag (databasebestand) aanmaken of bijwerken"},
    {"demo", cmd_demo, "een opslag vullen met een realistische, verzonnen gegevensset"},
    {"zaak", cmd_zaak, "een zaak tonen of een opdracht in het werkproces geven"},
    {"termijnen", cmd_termijnen, "de werklijst van open en verlopen termijnen"},
    {"brief", cmd_brief, "de brief van een beschikking als PDF (bewaard bij het verzenden)"},
    {"brieven", cmd_brieven, "de herzieningsbrieven van de indexering in bulk, als PDF in een map"},
    {"betaalrun", cmd_betaalrun,
     "de maandelijkse betaalrun: maken, goedkeuren (vier ogen), SEPA-bestand, bankafschrift"},
    {"export", cmd_export, "de 35 meetfactoren als CSV"},
    {"backup", cmd_backup, "een consistente kopie van de opslag maken"},
    {"serve", cmd_serve, "de API-server starten"},
    {"gebruiker", cmd_gebruiker, "een gebruiker toevoegen (wachtwoord via standaardinvoer)"},
    {"wachtwoord", cmd_wachtwoord, "een nieuw wachtwoord zetten (via standaardinvoer)"},
    {"token", cmd_token, "een API-token voor een gebruiker maken of intrekken"},
    {"blokkeer", cmd_blokkeer,
     "een gebruiker blokkeren (sessies en tokens vervallen) of deblokkeren"},
    {"beleid", cmd_beleid, "het beleid van een gemeente tonen of een instelling zetten"},
    {"werkgever", cmd_werkgever,
     "een werkgever tonen of zijn gegevens wijzigen (IBAN met vier ogen)"},
    {"controleer", cmd_controleer,
     "de opslag controleren: integriteit en herbouw uit gebeurtenissen"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "Gebruik: lks [--regels MAP] OPDRACHT [OPTIES]\n\n"
               "lks voert het werkproces loonkostensubsidie uit: van aanvraag tot betaling.\n"
               "Bedragen zijn exact tot op de cent en elke berekening toont haar stappen met\n"
               "de wettelijke grondslag.\n\nOpdrachten:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-15s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nAlgemene opties:\n"
               "  --regels MAP    regeltabellen uit MAP aanvullen of vervangen (wml.tsv, ...);\n"
               "                  ook via de omgevingsvariabele LKS_REGELS\n"
               "  --version       versie tonen\n"
               "  --help          deze uitleg; 'lks OPDRACHT --help' legt een opdracht uit\n\n"
               "Uitvoer is JSON. Afsluitcode 0 = gelukt, 1 = geldige vraag met een negatief\n"
               "antwoord, 2 = ongeldige invoer (de melding noemt de optie).\n\n"
               "Voorbeeld:\n"
               "  lks calc lks --peildatum 2026-01-01 --loonwaarde 60 --uren 32\n");
}

int main(int argc, char **argv)
{
    struct cli c = {.out = stdout, .errf = stderr};
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return CLI_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("lks %s\n", LKS_VERSION);
            return CLI_OK;
        }
        if (strncmp(argv[i], "--regels=", 9) == 0) {
            c.regels_dir = argv[i] + 9;
            i++;
            continue;
        }
        if (strcmp(argv[i], "--regels") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "lks: --regels: er ontbreekt een map\n");
                return CLI_BAD;
            }
            c.regels_dir = argv[i + 1];
            i += 2;
            continue;
        }
        fprintf(stderr, "lks: %s: onbekende optie (zie lks --help)\n", argv[i]);
        return CLI_BAD;
    }
    if (i >= argc) {
        usage(stderr);
        return CLI_BAD;
    }
    int rc = -1;
    for (size_t k = 0; k < NCOMMANDS; k++)
        if (strcmp(argv[i], commands[k].name) == 0) {
            rc = commands[k].run(&c, argc - i - 1, argv + i + 1);
            break;
        }
    if (rc < 0) {
        fprintf(stderr, "lks: %s: onbekende opdracht (zie lks --help)\n", argv[i]);
        rc = CLI_BAD;
    }
    free(c.rules);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "lks: uitvoer kon niet worden geschreven\n");
        return CLI_BAD;
    }
    return rc;
}

/*
 * cmd_brieven — `lks brieven`: the revision letters of a re-indexation in bulk, one PDF per
 * case with a running grant and addressee, into a directory, as app_letters_revision makes
 * them (nothing stored or sent). Progress on standard error only when it is a terminal.
 * Fails as the other commands do: a message and exit 2 (bad input, a file that cannot be
 * written, the renderer missing); what was written before stays.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "cli/args.h"
#include "cli/cli.h"

static const char *const kind_choices[] = {"herziening", NULL};
static const char *const to_choices[] = {"werkgever", "werknemer", "beide", NULL};

static const struct arg_spec spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "het databasebestand", 0, 0, NULL},
    {"--gemeente", ARG_STR, 1, "CODE", "de gemeente (bijvoorbeeld gm0794)", 0, 0, NULL},
    {"--soort", ARG_ENUM, 1, "SOORT", "herziening (de enige soort in bulk)", 0, 0, kind_choices},
    {"--datum", ARG_DATE, 1, "DATUM", "de dag van de herziening, bijvoorbeeld 2027-01-01", 0, 0,
     NULL},
    {"--map", ARG_STR, 1, "MAP", "de map voor de PDF-bestanden (wordt gemaakt als die ontbreekt)",
     0, 0, NULL},
    {"--voor", ARG_ENUM, 0, "WIE", "werkgever (standaard), werknemer of beide", 0, 0, to_choices},
};

static const struct arg_cmd cmd = {
    "lks brieven --db BESTAND --gemeente CODE --soort herziening --datum DATUM --map MAP "
    "[--voor werkgever|werknemer|beide]",
    "Maakt de herzieningsbrieven van de indexering voor elke lopende subsidie van een gemeente.",
    "Op 1 januari verandert het minimumloon en daarmee elke lopende loonkostensubsidie\n"
    "(Participatiewet art. 10d lid 7). Dit commando maakt voor elke zaak met een lopende\n"
    "subsidie de brief van de herziening vanaf DATUM, als PDF in MAP\n"
    "(zaak-ID-herziening-WIE.pdf), met dezelfde tekstblokken als een verzonden brief. Er\n"
    "wordt niets verzonden of bewaard: leg de herziening per zaak vast met\n"
    "`lks zaak beschikking-verzonden`. Op een terminal ziet u de voortgang.",
    spec,
    sizeof spec / sizeof spec[0],
    0,
    NULL};

struct bulk {
    struct cli *c;
    const char *dir;
    enum letter_to to;
    bool tty;
    struct lks_err *err;
};

static int write_one(void *arg, int64_t id, const struct app_letter *l)
{
    struct bulk *b = arg;
    char path[4096];
    int w = snprintf(path, sizeof path, "%s/zaak-%lld-herziening-%s.pdf", b->dir, (long long)id,
                     letter_to_name(b->to));
    if (w < 0 || (size_t)w >= sizeof path)
        return lks_err_set(b->err, LKS_EINVAL, "--map", "too-long",
                           "de naam van de map is te lang");
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(l->pdf, 1, l->len, f) == l->len;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok)
        return lks_err_set(b->err, LKS_EIO, "--map", "write", "%s kon niet worden geschreven: %s",
                           path, strerror(errno));
    return 0;
}

static void progress(void *arg, int done, int total)
{
    struct bulk *b = arg;
    if (!b->tty || (done % 50 != 0 && done != total))
        return;
    int width = 30, filled = total ? (int)((long long)done * width / total) : width;
    fprintf(b->c->errf, "\r%s [", letter_to_name(b->to));
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : '.', b->c->errf);
    fprintf(b->c->errf, "] %d/%d zaken", done, total);
    if (done == total)
        fputc('\n', b->c->errf);
    fflush(b->c->errf);
}

int cmd_brieven(struct cli *c, int argc, char **argv)
{
    /* Thousands of letters of a few hundred KiB of working memory each: keep the heap
     * instead of mapping and unmapping it for every letter (a tenth of the time). */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    struct arg_val v[sizeof spec / sizeof spec[0]];
    struct lks_err e = {0};
    int rc = args_parse(&cmd, argc, argv, v, NULL, c->out, &e);
    if (rc == 1)
        return CLI_OK;
    if (rc)
        return cli_fail(c, &e, 0);
    const char *dir = v[4].str;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        lks_err_set(&e, LKS_EIO, "--map", "mkdir", "de map %s kon niet worden gemaakt: %s", dir,
                    strerror(errno));
        return cli_fail(c, &e, 0);
    }
    const struct rules *r = cli_rules(c);
    if (!r)
        return CLI_BAD;
    struct store *s;
    if (store_open(&s, v[0].str, 0, &e))
        return cli_fail(c, &e, 0);
    if (!(r = cli_rules_store(c, s))) {
        store_close(s);
        return CLI_BAD;
    }
    int which = v[5].set ? (int)v[5].num : 0; /* 0 werkgever, 1 werknemer, 2 beide */
    struct app a;
    int made = 0, skipped = 0;
    rc = app_init(&a, s, r, cli_today(), &e);
    bool inited = rc == 0;
    for (int to = LETTER_WERKGEVER; rc == 0 && to <= LETTER_WERKNEMER; to++) {
        if (which != 2 && which != to)
            continue;
        struct bulk b = {c, dir, (enum letter_to)to, isatty(fileno(c->errf)) == 1, &e};
        int m = 0;
        rc = app_letters_revision(&a, v[1].str, (lks_date)v[3].num, (enum letter_to)to, write_one,
                                  progress, &b, &m, &skipped, &e);
        made += m;
    }
    if (inited)
        app_free(&a);
    store_close(s);
    if (rc)
        return cli_fail(c, &e, 0);
    fprintf(c->out, "%d brieven in %s; %d zaken zonder lopende subsidie op die dag overgeslagen\n",
            made, dir, skipped);
    return fflush(c->out) ? CLI_BAD : CLI_OK;
}

/*
 * cmd_serve — `lks serve`: the API server; and `lks gebruiker` / `lks token`
 * for operators to add users and API tokens.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "auth/auth.h"
#include "auth/pool.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "codec/tables_json.h"
#include "store/plog.h"
#include "store/store.h"
#include "store/store_auth.h"
#include "store/store_rules.h"
#include "web/pages.h"

#define LKS_PLOG_SUFFIX "-verwerkingen"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static const struct arg_spec serve_spec[] = {
    {"--db", ARG_STR, 0, "BESTAND", "de opslag (standaard lks.db, aangemaakt bij de eerste start)",
     0, 0, NULL},
    {"--listen", ARG_STR, 0, "ADRES:POORT", "waar de server luistert (standaard 127.0.0.1:8080)", 0,
     0, NULL},
    {"--threads", ARG_INT, 0, "N", "aantal werkthreads (standaard het aantal processorkernen)", 1,
     1024, NULL},
    {"--tls-proxy", ARG_FLAG, 0, NULL,
     "de server staat achter een TLS-proxy: cookies krijgen Secure", 0, 0, NULL},
    {"--hash-threads", ARG_INT, 0, "N",
     "threads die wachtwoorden controleren (standaard de kernen min één, hoogstens 4)",
     1, AUTH_POOL_THREADS_MAX, NULL},
    {"--hash-queue", ARG_INT, 0, "N",
     "inlogpogingen die op die threads wachten, daarboven 503 (standaard 8 per thread, "
     "minstens 16)",
     1, AUTH_POOL_QUEUE_MAX, NULL},
    {"--max-per-client", ARG_INT, 0, "N", "verbindingen tegelijk per clientadres (standaard 64)", 1,
     65535, NULL},
};
static const struct arg_cmd serve_cmd = {
    "lks serve [--db BESTAND] [--listen ADRES:POORT] [--threads N] [--tls-proxy]\n"
    "          [--hash-threads N] [--hash-queue N] [--max-per-client N]",
    "Start de API-server (/api/v1). Stoppen met Ctrl-C of SIGTERM: lopende verzoeken worden\n"
    "afgemaakt, daarna stopt de server.",
    "Een clientadres (IPv4-adres, IPv6-/64) met al N verbindingen open krijgt op de\n"
    "volgende 429 (Too Many Requests).\n"
    "Achter een proxy komen alle verbindingen van het adres van de proxy: geef dan het\n"
    "totaal dat de proxy mag openen, en beperk per client in de proxy.",
    serve_spec,
    7,
    0,
    NULL};

int cmd_serve(struct cli *c, int argc, char **argv)
{
    struct arg_val v[7];
    struct lks_err e = {0};
    int rc = args_parse(&serve_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    const char *db = v[0].set ? v[0].str : "lks.db";
    const struct rules *r = cli_rules(c);
    if (!r)
        return CLI_BAD;
    if (auth_init(&e))
        return cli_fail(c, &e, 0);
    /* create and migrate the store once, before the threads open their own connections */
    struct store *s;
    if (store_open(&s, db, STORE_CREATE, &e))
        return cli_fail(c, &e, 0);
    /* The store's rule rows: a server does not start on rows it cannot use, and says when
     * the tables run out (each thread keeps them up to date itself: api.h). */
    struct rules *all = malloc(sizeof *all);
    if (!all) {
        store_close(s);
        fprintf(c->errf, "lks: onvoldoende geheugen\n");
        return CLI_BAD;
    }
    *all = *r;
    rc = store_rules_apply(s, all, &e);
    store_close(s);
    if (rc) {
        free(all);
        lks_err_field(&e, "--db");
        return cli_fail(c, &e, 0);
    }
    char warning[1024];
    if (codec_rules_warning_text(warning, sizeof warning, all, cli_today()))
        fprintf(c->errf, "lks: waarschuwing: %s\n", warning);
    free(all);
    /* On SQLite the processing log lives in a file of its own: it is written on every
     * read, and each commit to the case file would empty every reader's page cache. It
     * also has its own retention and backup. On PostgreSQL it is a table of the same
     * database, so every server of a region writes one log that the auditor reads. */
    char logdb[4096];
    bool pg = strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
    snprintf(logdb, sizeof logdb, "%s%s", db, pg ? "" : LKS_PLOG_SUFFIX);
    struct plog *pl;
    if (plog_open(&pl, logdb, &e))
        return cli_fail(c, &e, 0);
    /* Password checks run on threads of their own, not on the serving ones (auth/pool.h). */
    auth_pool_settings(v[4].set ? (unsigned)v[4].num : 0, v[5].set ? (unsigned)v[5].num : 0);
    struct api *api;
    struct api_config ac = {db, r, pl, v[3].set};
    if (api_init(&api, &ac, &e)) {
        plog_close(pl);
        return cli_fail(c, &e, 0);
    }
    struct http_config hc = {
        .listen = v[1].set ? v[1].str : "127.0.0.1:8080",
        /* 0: one per core. A request that waits for the processing log's group commit
         * holds no thread (its connection is suspended), so more threads than cores only
         * add scheduling: with bench/bench_http.sh on 2 cores, 4 and 8 threads gave the
         * same rate as 2 within the noise, and a worse p99. */
        .threads = v[2].set ? (unsigned)v[2].num : 0,
        .max_per_client = v[6].set ? (unsigned)v[6].num : 0, /* 0: the layer's default */
        .always_header = {"API-Version", API_VERSION},
        /* a document upload of the portal may be 10 MiB; every other request keeps 1 MiB */
        .max_upload = web_upload_max(),
        .upload = web_upload_route,
    };
    struct http_server *srv;
    if (http_start(&srv, &hc, api_handle, api, &e)) {
        api_free(api);
        plog_close(pl);
        lks_err_field(&e, "--listen");
        return cli_fail(c, &e, 0);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    fprintf(c->out, "lks luistert op http://%s/api/v1 (poort %u); stoppen met Ctrl-C\n", hc.listen,
            http_port(srv));
    fflush(c->out);
    while (!stop_requested)
        pause();
    fprintf(c->out, "lks stopt: lopende verzoeken worden afgemaakt\n");
    http_stop(srv);
    api_free(api);
    plog_close(pl);
    return CLI_OK;
}

/* ---- users and tokens ---- */

/* The answers of these commands: one small object, through the JSON writer like every
 * other answer on stdout (a name or label is text and is escaped). */
#define ANSWER_MAX (1 << 16)

static const char *const roles[] = {"klantmanager", "loonwaardedeskundige",
                                    "beslisser",    "financieel",
                                    "beheerder",    "auditor",
                                    "werkgever",    "applicatiebeheerder",
                                    NULL};

static const struct arg_spec block_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "de opslag", 0, 0, NULL},
    {"--naam", ARG_STR, 1, "NAAM", "de inlognaam", 0, 0, NULL},
    {"--deblokkeer", ARG_FLAG, 0, NULL, "de blokkade opheffen (en mislukte pogingen vergeten)", 0,
     0, NULL},
};
static const struct arg_cmd block_cmd = {
    "lks blokkeer --db BESTAND --naam NAAM [--deblokkeer]",
    "Blokkeert een gebruiker: inloggen kan niet meer, lopende sessies eindigen en API-tokens\n"
    "worden ingetrokken. Met --deblokkeer kan de gebruiker weer inloggen (tokens blijven\n"
    "ingetrokken; maak zo nodig een nieuw token).",
    NULL,
    block_spec,
    3,
    0,
    NULL};

int cmd_blokkeer(struct cli *c, int argc, char **argv)
{
    struct arg_val v[3];
    struct lks_err e = {0};
    int rc = args_parse(&block_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    struct store *s;
    if (store_open(&s, v[0].str, 0, &e))
        return cli_fail(c, &e, 0);
    rc = store_user_set_active(s, v[1].str, v[2].set, &e);
    store_close(s);
    if (rc) {
        lks_err_field(&e, "--naam");
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, ANSWER_MAX, false);
    jw_obj_open(&w);
    jw_kstr(&w, "gebruiker", v[1].str);
    jw_kbool(&w, "actief", v[2].set);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

/*
 * The start of a command that takes a password on standard input: its flags, the
 * password (PW_MAX bytes) and the store. Returns -1 to go on, or the exit code.
 */
#define PW_MAX 256
static int with_password(struct cli *c, const struct arg_cmd *cmd, int argc, char **argv,
                         struct arg_val *v, char *pw, int flags, struct store **s)
{
    struct lks_err e = {0};
    int rc = args_parse(cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    if (!cli_read_password(c, pw, PW_MAX))
        return CLI_BAD;
    if (auth_init(&e) || store_open(s, v[0].str, flags, &e))
        return cli_fail(c, &e, 0);
    return -1;
}

static const struct arg_spec user_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "de opslag", 0, 0, NULL},
    {"--gemeente", ARG_STR, 0, "CODE",
     "de gemeente waarvoor de gebruiker werkt (verplicht, behalve voor een applicatiebeheerder)",
     0, 0, NULL},
    {"--naam", ARG_STR, 1, "NAAM", "de inlognaam (kleine letters, cijfers, . _ -)", 0, 0, NULL},
    {"--volledige-naam", ARG_STR, 0, "TEKST", "de naam zoals die getoond wordt", 0, 0, NULL},
    {"--rol", ARG_ENUM, 1, "ROL", "de rol", 0, 0, roles},
    {"--kvk", ARG_STR, 0, "NUMMER", "voor de rol werkgever: het KvK-nummer van het bedrijf", 0, 0,
     NULL},
};
static const struct arg_cmd user_cmd = {
    "lks gebruiker --db BESTAND [--gemeente CODE] --naam NAAM --rol ROL [--kvk NUMMER]",
    "Voegt een gebruiker toe. Het wachtwoord (ten minste 12 tekens) wordt gelezen van de\n"
    "standaardinvoer (eerste regel), zodat het niet in de opdrachtregel of de geschiedenis staat.",
    "De rol applicatiebeheerder is de beheerder van de hele installatie, niet van een gemeente:\n"
    "die voegt regels aan de regeltabellen toe (lks regels toevoegen) en ziet geen zaken. Zo'n\n"
    "gebruiker hoort bij de installatie ('*'), niet bij een gemeente: laat --gemeente weg.",
    user_spec,
    6,
    0,
    NULL};

int cmd_gebruiker(struct cli *c, int argc, char **argv)
{
    struct arg_val v[6];
    struct lks_err e = {0};
    char pw[PW_MAX];
    struct store *s;
    int rc = args_parse(&user_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    enum role role = (enum role)role_parse(roles[v[4].num]);
    /* the installation's operator belongs to no municipality */
    const char *tenant = v[1].set                           ? v[1].str
                         : role == ROLE_APPLICATIEBEHEERDER ? AUTH_TENANT_INSTALLATION
                                                            : NULL;
    if (!tenant) {
        lks_err_set(&e, LKS_EINVAL, "--gemeente", "required", "is verplicht (behalve voor de rol "
                                                              "applicatiebeheerder)");
        return cli_fail(c, &e, 0);
    }
    if (!cli_read_password(c, pw, PW_MAX))
        return CLI_BAD;
    if (auth_init(&e) || store_open(&s, v[0].str, STORE_CREATE, &e))
        return cli_fail(c, &e, 0);
    struct auth_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.name, sizeof u.name, "%s", v[2].str);
    snprintf(u.display, sizeof u.display, "%s", v[3].set ? v[3].str : v[2].str);
    snprintf(u.tenant, sizeof u.tenant, "%s", tenant);
    u.role = role;
    if (v[5].set)
        snprintf(u.kvk, sizeof u.kvk, "%s", v[5].str);
    u.active = true;
    rc = auth_user_add(s, &u, pw, &e);
    memset(pw, 0, sizeof pw);
    store_close(s);
    if (rc) {
        /* auth names its fields as the API does; on the command line they are flags */
        static const char *const map[][2] = {
            {"name", "--naam"}, {"display", "--volledige-naam"}, {"kvk", "--kvk"},
            {"role", "--rol"},  {"tenant", "--gemeente"},        {"password", "wachtwoord"}};
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strcmp(e.field, map[i][0]) == 0)
                lks_err_field(&e, map[i][1]);
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, ANSWER_MAX, false);
    jw_obj_open(&w);
    jw_kstr(&w, "gebruiker", u.name);
    jw_kstr(&w, "rol", role_name(u.role));
    jw_kstr(&w, "gemeente", u.tenant);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

static const struct arg_spec pw_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "de opslag", 0, 0, NULL},
    {"--naam", ARG_STR, 1, "NAAM", "de inlognaam", 0, 0, NULL},
};
static const struct arg_cmd pw_cmd = {
    "lks wachtwoord --db BESTAND --naam NAAM",
    "Zet een nieuw wachtwoord voor een gebruiker (vergeten, of na een blokkade). Het wachtwoord\n"
    "(ten minste 12 tekens) wordt gelezen van de standaardinvoer (eerste regel). Alle sessies\n"
    "van de gebruiker eindigen en een blokkade na mislukte pogingen vervalt.",
    NULL,
    pw_spec,
    2,
    0,
    NULL};

int cmd_wachtwoord(struct cli *c, int argc, char **argv)
{
    struct arg_val v[2];
    struct lks_err e = {0};
    char pw[PW_MAX];
    struct store *s;
    int rc = with_password(c, &pw_cmd, argc, argv, v, pw, 0, &s);
    if (rc >= 0)
        return rc;
    rc = auth_password_set(s, v[1].str, pw, &e);
    store_close(s);
    memset(pw, 0, sizeof pw);
    if (rc) {
        lks_err_field(&e, strcmp(e.field, "password") == 0 ? "wachtwoord" : "--naam");
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, ANSWER_MAX, false);
    jw_obj_open(&w);
    jw_kstr(&w, "gebruiker", v[1].str);
    jw_kstr(&w, "wachtwoord", "gewijzigd");
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

static const struct arg_spec token_spec[] = {
    {"--db", ARG_STR, 1, "BESTAND", "de opslag", 0, 0, NULL},
    {"--naam", ARG_STR, 1, "NAAM", "de gebruiker (systeemaccount) van het token", 0, 0, NULL},
    {"--label", ARG_STR, 0, "TEKST", "waarvoor het token is", 0, 0, NULL},
    {"--intrekken", ARG_FLAG, 0, NULL,
     "de tokens met dit label intrekken in plaats van er een te maken", 0, 0, NULL},
};
static const struct arg_cmd token_cmd = {
    "lks token --db BESTAND --naam NAAM [--label TEKST] [--intrekken]",
    "Maakt een API-token voor een gebruiker. Het token wordt eenmaal getoond; bewaard wordt\n"
    "alleen een hash. Met --intrekken (en --label) werken de tokens met dat label niet meer.",
    NULL,
    token_spec,
    4,
    0,
    NULL};

static int token_revoke(struct cli *c, const char *db, const char *name, const char *label)
{
    struct lks_err e = {0};
    struct store *s;
    if (store_open(&s, db, 0, &e))
        return cli_fail(c, &e, 0);
    int n = 0;
    int rc = store_token_revoke(s, name, label, &n, &e);
    store_close(s);
    if (rc) {
        lks_err_field(&e, "--label");
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, ANSWER_MAX, false);
    jw_obj_open(&w);
    jw_kstr(&w, "gebruiker", name);
    jw_kstr(&w, "label", label);
    jw_kint(&w, "ingetrokken", n);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

int cmd_token(struct cli *c, int argc, char **argv)
{
    struct arg_val v[4];
    struct lks_err e = {0};
    int rc = args_parse(&token_cmd, argc, argv, v, NULL, c->out, &e);
    if (rc)
        return rc == 1 ? CLI_OK : cli_fail(c, &e, 0);
    if (v[3].set) {
        if (!v[2].set) {
            lks_err_set(&e, LKS_EINVAL, "--label", "missing",
                        "zeg met --label welke tokens ingetrokken worden");
            return cli_fail(c, &e, 0);
        }
        return token_revoke(c, v[0].str, v[1].str, v[2].str);
    }
    if (auth_init(&e))
        return cli_fail(c, &e, 0);
    struct store *s;
    if (store_open(&s, v[0].str, 0, &e))
        return cli_fail(c, &e, 0);
    struct auth_user u;
    char hash[256];
    int failures;
    int64_t locked;
    char tok[AUTH_TOKEN_CHARS];
    rc = store_user_by_name(s, v[1].str, &u, hash, sizeof hash, &failures, &locked, &e);
    if (rc == 0)
        rc = auth_token_new(s, u.id, v[2].set ? v[2].str : "", tok, &e);
    store_close(s);
    if (rc) {
        lks_err_field(&e, "--naam");
        return cli_fail(c, &e, 0);
    }
    struct jw w;
    jw_init(&w, ANSWER_MAX, false);
    jw_obj_open(&w);
    jw_kstr(&w, "token", tok);
    jw_obj_close(&w);
    rc = cli_emit(c, &w);
    jw_free(&w);
    return rc;
}

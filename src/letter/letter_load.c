/*
 * letter_load — opens the PDF renderer, liblks_pdf.so (letter_pdf.c), on the first letter.
 *
 * Owns finding and loading the shared object, once per process: LKS_PDF_LIB when set (a
 * path), else next to the running program (/proc/self/exe), else one directory up (the
 * tests and benchmarks under build/tests, build/bench use build/liblks_pdf.so), else
 * ../lib/lks/ from the program (an installed layout, bin/ and lib/lks/). Only the first
 * candidate that exists is opened, so a broken one is reported, not skipped. Nothing
 * else in lks links cairo, pango or fontconfig: a command that makes no letter never
 * loads them (docs/performance.md: start-up).
 *
 * Fails as a value: LKS_EUNAVAIL with a Dutch message naming the file and the loader's
 * reason when it is missing or cannot be loaded; the renderer's own errors pass through.
 * Thread-safe (pthread_once); the object is never closed.
 */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "letter/letter.h"
#include "letter/letter_pdf_so.h"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static lks_pdf_render_fn *render_fn;
static char so_path[PATH_MAX];
static char load_error[PATH_MAX + 256];

static bool exists(const char *p)
{
    return access(p, R_OK) == 0;
}

/* The first candidate that exists, into so_path; false when none does. */
static bool find(void)
{
    const char *env = getenv("LKS_PDF_LIB");
    if (env && *env) {
        snprintf(so_path, sizeof so_path, "%s", env);
        return exists(so_path);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(so_path, sizeof so_path, "%s", LETTER_PDF_SO);
        return false;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    static const char *const rel[] = {"/", "/../", "/../lib/lks/"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        int w = snprintf(so_path, sizeof so_path, "%s%s%s", exe, rel[i], LETTER_PDF_SO);
        if (w > 0 && (size_t)w < sizeof so_path && exists(so_path))
            return true;
    }
    snprintf(so_path, sizeof so_path, "%.*s/%s", (int)(sizeof so_path - sizeof LETTER_PDF_SO - 2),
             exe, LETTER_PDF_SO);
    return false;
}

static void load(void)
{
    if (!find()) {
        snprintf(load_error, sizeof load_error,
                 "de PDF-maker %s ontbreekt (hij hoort naast het programma lks te staan; "
                 "bouw hem met make)",
                 so_path);
        return;
    }
    void *h = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "de PDF-maker %s kon niet worden geladen: %s",
                 so_path, why ? why : "onbekende oorzaak");
        return;
    }
    void *sym = dlsym(h, LETTER_PDF_SYMBOL);
    if (!sym) {
        snprintf(load_error, sizeof load_error, "%s is geen PDF-maker van lks (%s ontbreekt)",
                 so_path, LETTER_PDF_SYMBOL);
        dlclose(h);
        return;
    }
    /* POSIX: a function pointer and void * convert through dlsym's result */
    memcpy(&render_fn, &sym, sizeof render_fn);
}

const char *letter_pdf_path(void)
{
    return so_path;
}

int letter_pdf(const struct letter *L, unsigned char **out, size_t *len, struct lks_err *err)
{
    *out = NULL;
    *len = 0;
    pthread_once(&load_once, load);
    if (!render_fn)
        return lks_err_set(err, LKS_EUNAVAIL, "brief", "no-renderer", "%s", load_error);
    return render_fn(LETTER_PDF_ABI, L, out, len, err);
}

#if defined(__SANITIZE_ADDRESS__)
/* The font map of liblks_pdf.so lives as long as the process (set up once), and
 * fontconfig, pango and glib keep caches of their own: what LeakSanitizer reports of them
 * at exit is not ours. In the program, not in the shared object: the sanitizer asks the
 * program for it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\nleak:libpango\nleak:libglib\nleak:libgobject\n"
           "leak:libharfbuzz\nleak:libcairo\nleak:libfreetype\nleak:fonts_init\n";
}

/* ... and says nothing of them: a command that succeeds writes nothing to stderr. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

/* csv — see csv.h. */
#include "base/csv.h"

#include <stdbool.h>
#include <string.h>

/* The first characters that make a spreadsheet read a cell as a formula (OWASP). */
static bool formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static void put(FILE *o, const char *s, int last, bool guard)
{
    if (guard) {
        fputs("\"'", o);
    } else if (strpbrk(s, ",\"\n\r")) {
        fputc('"', o);
    } else {
        fputs(s, o);
        fputc(last ? '\n' : ',', o);
        return;
    }
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', o);
        fputc(*s, o);
    }
    fputc('"', o);
    fputc(last ? '\n' : ',', o);
}

void csv_cell(FILE *o, const char *s, int last)
{
    put(o, s, last, formula_start(s[0]));
}

void csv_value(FILE *o, const char *s, int last)
{
    put(o, s, last, false);
}

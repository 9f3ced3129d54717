/* csv — see csv.h. */
#include "base/csv.h"

#include <string.h>

void csv_cell(FILE *o, const char *s, int last)
{
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', o);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', o);
            fputc(*s, o);
        }
        fputc('"', o);
    } else {
        fputs(s, o);
    }
    fputc(last ? '\n' : ',', o);
}

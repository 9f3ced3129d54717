#!/bin/sh
# banned.sh [DIR...] — fail when the C sources under DIR (relative to the repository top;
# default src/) call a banned function, as curl's checksrc does.
# Each has a safe form that says how much it may write or checks what it read:
#   sprintf, vsprintf  → snprintf, vsnprintf (or jw for JSON)
#   strcpy, strcat     → snprintf(dst, sizeof dst, "%s", …), or memcpy of a checked length
#   gets               → fgets
#   strtok             → strtok_r, or strspn/strcspn
#   atoi, atol         → strtol/strtoll with errno, the end pointer and the range checked
#   tmpnam, mktemp     → mkstemp, mkdtemp
# A call is the name followed by "(" and not part of a longer name or a member (snprintf,
# strtok_r, s.atoi( pass); comments and string literals are skipped. Prints one
# "FAIL file:line: name (use …)" per banned name on a line, then the closing line of the
# suites of tools/test.sh, "banned: N passed, N failed": 1 passed when there is none,
# else the number of FAIL lines failed. Exit non-zero when anything was found.
set -u
cd "$(dirname "$0")/.." || exit 1
[ $# -gt 0 ] || set -- src

BANNED='sprintf vsprintf strcpy strcat gets strtok atoi atol tmpnam mktemp'

files=$(find "$@" -type f \( -name '*.c' -o -name '*.h' \) | sort)
if [ -z "$files" ]; then
    echo "FAIL no C sources in $*"
    echo "banned: 0 passed, 1 failed"
    exit 1
fi

# awk strips /* */ and // comments and "…" / '…' literals (keeping line numbers),
# then reports every banned name that is called on what is left of a line.
# shellcheck disable=SC2086 # the file names come from find and have no spaces
hits=$(awk -v banned="$BANNED" '
    BEGIN {
        n = split(banned, b, " ")
        safe["sprintf"] = "snprintf"; safe["vsprintf"] = "vsnprintf"
        safe["strcpy"] = "snprintf or memcpy of a checked length"; safe["strcat"] = safe["strcpy"]
        safe["gets"] = "fgets"; safe["strtok"] = "strtok_r"
        safe["atoi"] = "strtol with checks"; safe["atol"] = "strtol with checks"
        safe["tmpnam"] = "mkstemp or mkdtemp"; safe["mktemp"] = "mkstemp or mkdtemp"
    }
    FNR == 1 { incomment = 0 }
    {
        line = $0; code = ""; i = 1; len = length(line)
        while (i <= len) {
            c = substr(line, i, 1); c2 = substr(line, i, 2)
            if (incomment) {
                if (c2 == "*/") { incomment = 0; i += 2 } else i++
                continue
            }
            if (c2 == "/*") { incomment = 1; i += 2; code = code " "; continue }
            if (c2 == "//") break
            if (c == "\"" || c == "\047") {
                q = c; i++
                while (i <= len && substr(line, i, 1) != q) {
                    if (substr(line, i, 1) == "\\") i++
                    i++
                }
                i++; code = code " "
                continue
            }
            code = code c; i++
        }
        for (k = 1; k <= n; k++) {
            if (match(code, "(^|[^A-Za-z0-9_.])" b[k] "[ \t]*\\("))
                printf "FAIL %s:%d: %s (use %s)\n", FILENAME, FNR, b[k], safe[b[k]]
        }
    }' $files)

if [ -n "$hits" ]; then
    printf '%s\n' "$hits"
    echo "banned: 0 passed, $(printf '%s\n' "$hits" | wc -l | tr -d ' ') failed"
    exit 1
fi
echo "banned: 1 passed, 0 failed"

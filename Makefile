# lks — build, test, run and benchmark.
#   make            build build/lks
#   make run        the main job (see README)
#   make test       everything of the three below, the API tests over HTTP, the README
#                   walkthrough and PostgreSQL end to end; closes with "N passed, N failed"
#   make test-unit  only the cmocka unit tests, plain and under ASan/UBSan (the store and
#                   processing-log tests also on a throw-away PostgreSQL cluster)
#   make test-cli   only the CLI contract tests (tests/cli/run.sh), against both builds
#   make lint       the OpenAPI lint (tests/api/lint.sh, NL API Design Rules), the
#                   banned C functions in src/ (tools/banned.sh) and the layering: no shell
#                   (API, CLI, HTTP) decides what the app layer owns (tools/layers.sh)
#   make bench      benchmarks, side by side with their peers
# Missing Debian packages are installed when run as root (tools/deps.sh).

SHARED   ?= ../shared
CC       ?= cc
WARN      = -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
CSTD      = -std=c17 -D_GNU_SOURCE
OPT      ?= -O2 -g
# cairo, pango and librsvg (the letters and their SVG logos, src/letter) through pkg-config; recursive, so that it is
# asked after `deps` has installed them.
PANGO_PC  = pangocairo pangoft2 fontconfig librsvg-2.0
CPPFLAGS  = -Isrc -Ibuild/gen -I/usr/include/postgresql -I/usr/include/libxml2 $(shell pkg-config --cflags $(PANGO_PC) 2>/dev/null)
CFLAGS    = $(CSTD) $(OPT) $(WARN) -fno-strict-aliasing
SANFLAGS  = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# jansson, SQLite and libsodium are linked statically: a short CLI command then starts
# ~0.4 ms faster (no symbol lookup at load time); all come from Debian's -dev packages.
# libpq (the PostgreSQL engine) and libmicrohttpd (the server) are linked dynamically:
# their static archives need OpenSSL, GSSAPI and GnuTLS (docs/performance.md has what
# they cost at start-up).
# cairo, pango and fontconfig (the letters) are not linked into lks: the renderer
# (src/letter/letter_pdf.c) is the shared object build/liblks_pdf.so, next to the binary,
# which src/letter/letter_load.c opens on the first letter (docs/performance.md: 35 shared
# objects and ~4.5 ms less at every start). It carries its own copies of base/err.c and
# base/date.c, every symbol hidden but its entry.
LIBS      = -Wl,-Bstatic -ljansson -lsqlite3 -lsodium -Wl,-Bdynamic -lpq -lmicrohttpd -lxml2 \
            -lm -lpthread -ldl
PDF_LIBS  = $(shell pkg-config --libs $(PANGO_PC) 2>/dev/null) -lm -lpthread
PDF_SRC   = src/letter/letter_pdf.c src/base/err.c src/base/date.c
TESTLIBS  = -lcmocka

DEB_PKGS  = gcc make libjansson-dev libcmocka-dev libsqlite3-dev sqlite3 libmicrohttpd-dev libsodium-dev curl \
            libpq-dev postgresql tzdata libcairo2-dev libpango1.0-dev librsvg2-dev fonts-dejavu-core poppler-utils \
            libxml2-dev libxml2-utils
DEB_BENCH = wrk nginx-light
# what the browser tests (tests/web/run.sh) need besides node and npm: Debian's Chromium,
# driven by playwright-core, and fonts for readable screenshots
DEB_WEB   = chromium fonts-dejavu-core fonts-liberation

LIB_SRC   = $(wildcard src/base/*.c src/pay/*.c src/rules/*.c src/case/*.c src/codec/*.c src/store/*.c \
              src/app/*.c src/auth/*.c src/http/*.c src/api/*.c src/web/*.c \
              $(filter-out src/letter/letter_pdf.c,$(wildcard src/letter/*.c))) \
            build/gen/rules_data.c build/gen/openapi_data.c build/gen/templates_data.c
CLI_SRC   = $(wildcard src/cli/*.c)
HDRS      = $(wildcard src/*/*.h)
RULES_TSV = $(sort $(wildcard rules/*.tsv))
TEMPLATES = $(sort $(wildcard src/web/templates/*.html))
TEST_SRC  = $(wildcard tests/unit/test_*.c)
TESTS     = $(patsubst tests/unit/%.c,build/tests/%,$(TEST_SRC))
TESTS_SAN = $(patsubst tests/unit/%.c,build/asan/tests/%,$(TEST_SRC))

.PHONY: all deps run test test-unit test-cli bench clean format lint fuzz
all: deps build/lks

deps:
	@tools/deps.sh $(DEB_PKGS)

build/gen/openapi_data.c: src/api/openapi.json tools/embed_json.sh
	@mkdir -p build/gen
	tools/embed_json.sh $< $@ api_openapi_json

build/gen/rules_data.c: $(RULES_TSV) tools/embed.sh
	@mkdir -p build/gen
	tools/embed.sh $@ $(RULES_TSV)

# The CSS of the pages: the npm packages of src/web/static/package-lock.json, installed into
# build/node/static (npm runs only when the lockfile changed), bundled with lks.css and
# compiled in (src/web/assets.h); build/gen/static holds the same files for the browser tests.
STATIC    = src/web/static
LIB_SRC  += build/gen/assets_data.c
build/node/static/.installed: $(STATIC)/package.json $(STATIC)/package-lock.json tools/npm_ci.sh
	@tools/npm_ci.sh $(STATIC) build/node/static

build/gen/assets_data.c: build/node/static/.installed $(STATIC)/lks.css $(STATIC)/favicon.svg \
                         tools/embed_assets.sh
	@mkdir -p build/gen
	tools/embed_assets.sh $@ build/gen/static build/node/static/node_modules $(STATIC)/lks.css \
	    $(STATIC)/favicon.svg

# The directory too: a template added or removed changes the set.
build/gen/templates_data.c: $(TEMPLATES) src/web/templates tools/embed_tpl.sh
	@mkdir -p build/gen
	tools/embed_tpl.sh $@ $(TEMPLATES)

# Objects are built once per flavour (plain, sanitizers) and shared by lks and the tests.
OBJ       = $(patsubst %.c,build/obj/%.o,$(LIB_SRC:build/gen/%=gen/%))
OBJ_SAN   = $(patsubst %.c,build/asan/obj/%.o,$(LIB_SRC:build/gen/%=gen/%))
CLI_OBJ   = $(patsubst %.c,build/obj/%.o,$(CLI_SRC))
CLI_OBJ_SAN = $(patsubst %.c,build/asan/obj/%.o,$(CLI_SRC))

# Generated files hold whole documents as one string: longer than ISO C's minimum.
build/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-overlength-strings -c -o $@ $<
build/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
build/asan/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CSTD) $(WARN) $(SANFLAGS) -Wno-overlength-strings -c -o $@ $<
build/asan/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CSTD) $(WARN) $(SANFLAGS) -c -o $@ $<

build/liblks.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^
build/asan/liblks.a: $(OBJ_SAN)
	@rm -f $@
	ar rcs $@ $^

# The PDF renderer as a shared object, per flavour; lks, the tests and the benchmarks find
# it next to themselves or one directory up (src/letter/letter_load.c), so every target
# that runs a letter has it as an order-only prerequisite.
PDF_OBJ     = $(patsubst %.c,build/pic/obj/%.o,$(PDF_SRC))
PDF_OBJ_SAN = $(patsubst %.c,build/asan/pic/obj/%.o,$(PDF_SRC))
build/pic/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<
build/asan/pic/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CSTD) $(WARN) $(SANFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<
build/liblks_pdf.so: $(PDF_OBJ)
	$(CC) $(CFLAGS) -shared -Wl,-z,defs -Wl,--as-needed -o $@ $^ $(PDF_LIBS)
build/asan/liblks_pdf.so: $(PDF_OBJ_SAN)
	$(CC) $(SANFLAGS) -shared -Wl,-z,defs -Wl,--as-needed -o $@ $^ $(PDF_LIBS)

build/lks: $(CLI_OBJ) build/liblks.a | build/liblks_pdf.so
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) build/liblks.a $(LIBS)

build/asan/lks: $(CLI_OBJ_SAN) build/asan/liblks.a | build/asan/liblks_pdf.so
	$(CC) $(SANFLAGS) -o $@ $(CLI_OBJ_SAN) build/asan/liblks.a $(LIBS)

build/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) build/liblks.a | build/liblks_pdf.so
	@mkdir -p build/tests
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) -o $@ $< build/liblks.a $(LIBS) $(TESTLIBS)

build/asan/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) build/asan/liblks.a | build/asan/liblks_pdf.so
	@mkdir -p build/asan/tests
	$(CC) $(CPPFLAGS) -Itests/unit $(CSTD) $(WARN) $(SANFLAGS) -o $@ $< build/asan/liblks.a $(LIBS) $(TESTLIBS)

# The unit test of the templates runs the fuzz target's body deterministically.
build/tests/test_tpl build/asan/tests/test_tpl: tests/fuzz/fuzz_tpl.c

# libFuzzer over the template loader and renderer (clang only): make fuzz, then
# build/fuzz/fuzz_tpl [-max_total_time=60] [CORPUS_DIR].
FUZZ_SRC  = tests/fuzz/fuzz_tpl.c src/web/tpl.c src/base/buf.c src/base/err.c
fuzz: build/fuzz/fuzz_tpl
build/fuzz/fuzz_tpl: $(FUZZ_SRC) $(HDRS)
	@mkdir -p build/fuzz
	clang $(CPPFLAGS) $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $(FUZZ_SRC) -ljansson

run: all
	@tools/run.sh

test: deps build/lks build/asan/lks $(TESTS) $(TESTS_SAN)
	@tools/deps.sh $(DEB_WEB)
	@LKS_SHARED=$(SHARED) tools/test.sh $(TESTS) $(TESTS_SAN)

test-unit: deps $(TESTS) $(TESTS_SAN)
	@LKS_SHARED=$(SHARED) tools/test_only.sh unit $(TESTS) $(TESTS_SAN)

test-cli: deps build/lks build/asan/lks
	@tools/test_only.sh cli

# Both run even when the first fails; either failing fails the target.
lint:
	@rc=0; tools/banned.sh || rc=1; tools/layers.sh || rc=1; LKS_SHARED=$(SHARED) bash tests/api/lint.sh || rc=1; exit $$rc

bench: deps build/lks build/liblks.a build/liblks_pdf.so
	@command -v node >/dev/null && command -v npm >/dev/null || tools/deps.sh nodejs npm
	@tools/deps.sh $(DEB_BENCH)
	@$(MAKE) --no-print-directory -C bench SHARED=$(abspath $(SHARED))

format:
	clang-format -i $(wildcard src/*/*.[ch] tests/unit/*.[ch] bench/*.c)

clean:
	rm -rf build

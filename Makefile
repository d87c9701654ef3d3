# Kawan - build, test, demo, bench, install.
# A fresh Debian machine needs two commands: `make demo` and `make check`.

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
PKGS      = gammu sqlite3 libconfig icu-uc icu-i18n libmicrohttpd
DEB_PKGS  = build-essential pkg-config libgammu-dev libsqlite3-dev libconfig-dev \
            libcmocka-dev sqlite3 libicu-dev libgettextpo-dev libcrypt-dev clang-format \
            libmicrohttpd-dev libcurl4-openssl-dev systemd \
            clang libclang-rt-14-dev

CC       ?= cc
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wvla
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) \
             -Igateway $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lgettextpo -lcrypt -lpthread
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)
# libcurl: the HTTP client of the terminal phone (USSD), the harness and the benches.
CURL_LIBS = $(shell pkg-config --libs libcurl 2>/dev/null)

ifeq ($(SAN),1)
SANFLAGS  = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
# The fuzz targets' objects (fuzz/README.md): instrumented for libFuzzer.
# (clang, unlike gcc, warns of a va_list format passed on in a helper
# without a format attribute, as sim/modem/modem.c has.)
ifeq ($(SAN),fuzz)
SANFLAGS  = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all -Wno-format-nonliteral
endif
# The long runs' build (`make fuzz-long`): UBSan without ASan, optimised,
# three to five times the executions a second; what it finds is replayed
# under ASan/LSan by `make check-sanitize` (fuzz/README.md).
ifeq ($(SAN),fuzzlong)
SANFLAGS  = -fsanitize=fuzzer-no-link,undefined -fno-sanitize-recover=all -Wno-format-nonliteral
endif
ifeq ($(SAN),thread)
SANFLAGS  = -fsanitize=thread -fno-omit-frame-pointer
endif

# The gateway library: every stage folder under gateway/ (main.c stays out).
GW_SRC    = $(sort $(wildcard gateway/*/*.c))
GW_OBJ    = $(GW_SRC:%.c=$(BUILD)/%.o)
# The simulated modem library (sim/modem/main.c stays out).
SIM_SRC   = $(filter-out sim/modem/main.c,$(sort $(wildcard sim/modem/*.c)))
SIM_OBJ   = $(SIM_SRC:%.c=$(BUILD)/%.o)
# Test harness shared by end-to-end tests and benchmarks.
HARN_SRC  = $(sort $(wildcard tests/harness/*.c))
HARN_OBJ  = $(HARN_SRC:%.c=$(BUILD)/%.o)

UNIT_SRC  = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  = $(UNIT_SRC:%.c=$(BUILD)/%)
E2E_SRC   = $(sort $(wildcard tests/e2e/test_*.c))
E2E_BIN   = $(E2E_SRC:%.c=$(BUILD)/%)
BENCH_SRC = $(sort $(wildcard bench/bench_*.c))
BENCH_BIN = $(BENCH_SRC:%.c=$(BUILD)/%)

# Fuzz targets (fuzz/README.md): each fuzz/fuzz_NAME.c is linked with
# libFuzzer by `make fuzz` (build-fuzz/fuzz/fuzz-NAME), and with fuzz/replay.c (a cmocka test that
# feeds it fuzz/regress/NAME/ and fuzz/corpus/NAME/) into every check.
FUZZ_SRC  = $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_NAMES = $(patsubst fuzz_%,%,$(notdir $(FUZZ_SRC:.c=)))
FUZZ_REPLAY_BIN = $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)

BINS = $(BUILD)/kawan-gateway $(BUILD)/kawanctl $(BUILD)/kawan-modemsim $(BUILD)/kawan-phone

.PHONY: all deps check check-run check-layers check-unit check-e2e check-sanitize demo bench install \
        clean format format-check

all: $(BINS)

# Installs the Debian packages the build and tests need; does nothing when all are there.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -I. -Isim/modem -Itests/harness -c $< -o $@

$(BUILD)/libkawan.a: $(GW_OBJ)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/libsim.a: $(SIM_OBJ)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/libharness.a: $(HARN_OBJ)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/kawan-gateway: $(BUILD)/gateway/main.o $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/kawanctl: $(patsubst %.c,$(BUILD)/%.o,$(wildcard ctl/*.c)) $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/kawan-modemsim: $(BUILD)/sim/modem/main.o $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) -lutil

$(BUILD)/kawan-phone: $(patsubst %.c,$(BUILD)/%.o,$(wildcard sim/phone/*.c)) $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(CURL_LIBS)

# kawanctl modems' output, unit-tested without kawanctl's main().
$(BUILD)/tests/unit/test_ctl_modems: $(BUILD)/tests/unit/test_ctl_modems.o $(BUILD)/ctl/ctl_modems.o \
    $(BUILD)/ctl/ctl_reports.o $(BUILD)/ctl/ctl_export.o $(BUILD)/ctl/ctl_csv.o $(BUILD)/libsim.a \
    $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS) -lutil

# kawanctl's private-data rules (CSV cells, export, small counts in stats).
$(BUILD)/tests/unit/test_ctl_privacy: $(BUILD)/tests/unit/test_ctl_privacy.o $(BUILD)/ctl/ctl_csv.o \
    $(BUILD)/ctl/ctl_export.o $(BUILD)/ctl/ctl_reports.o $(BUILD)/ctl/ctl_stats.o $(BUILD)/libsim.a \
    $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS) -lutil

# kawanctl reports export -o FILE: the file made private (issue 11).
$(BUILD)/tests/unit/test_ctl_export_file: $(BUILD)/tests/unit/test_ctl_export_file.o \
    $(BUILD)/ctl/ctl_csv.o $(BUILD)/ctl/ctl_export.o $(BUILD)/ctl/ctl_reports.o $(BUILD)/ctl/ctl_stats.o \
    $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS) -lutil

# Fault sweeps (issue 11): the test VFS and the allocator wrapped at link
# time, so the Nth allocation of the gateway's own code can fail
# (tests/unit/README.md).
FAULT_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
$(BUILD)/tests/unit/test_fault_%: $(BUILD)/tests/unit/test_fault_%.o $(BUILD)/tests/unit/fault_vfs.o \
    $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) $(FAULT_WRAP) -o $@ $^ $(LIBS) $(TEST_LIBS) -lutil

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS) -lutil

$(BUILD)/tests/e2e/%: $(BUILD)/tests/e2e/%.o $(BUILD)/libharness.a $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS) $(CURL_LIBS) -lutil

# test_diskfull (issue 11) runs the gateway under this LD_PRELOAD library
# (a full disk for one process); no sanitizer inside it.
$(BUILD)/tests/e2e/libenospc.so: tests/e2e/enospc.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) -O2 -fPIC -shared -o $@ $< -ldl
$(BUILD)/tests/e2e/test_diskfull: | $(BUILD)/tests/e2e/libenospc.so

$(BUILD)/fuzz/replay_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/replay.o $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(TEST_LIBS) -lutil

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libharness.a $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(CURL_LIBS) -lutil

# The soak (issue 11; soak/README.md): mixed load, SIGKILL at seeded random
# moments, lost and duplicated counts. Outside `make check`; long.
SOAK_KILLS ?= 1000
.PHONY: soak
soak: deps
	$(MAKE) --no-print-directory $(BINS) $(BUILD)/soak/soak
	KAWAN_BIN=$(abspath $(BUILD)) SOAK_KILLS=$(SOAK_KILLS) $(BUILD)/soak/soak

$(BUILD)/soak/soak: $(BUILD)/soak/soak.o $(BUILD)/libharness.a $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS) $(CURL_LIBS) -lutil

# Every test: unit tests, then end-to-end tests through libgammu and the simulated modem.
check: deps
	$(MAKE) --no-print-directory check-run

check-run: check-layers check-unitfile $(BINS) $(UNIT_BIN) $(FUZZ_REPLAY_BIN) $(E2E_BIN)
	@KAWAN_BIN=$(abspath $(BUILD)) sh tests/run.sh $(UNIT_BIN) $(FUZZ_REPLAY_BIN) $(E2E_BIN)

# No file under gateway/ includes a header of a higher layer (the table is
# at the top of tests/layers.sh; test_layers checks the script itself).
check-layers:
	@sh tests/layers.sh gateway

check-unit: check-layers check-unitfile $(BINS) $(UNIT_BIN) $(FUZZ_REPLAY_BIN)
	@KAWAN_BIN=$(abspath $(BUILD)) sh tests/run.sh $(UNIT_BIN) $(FUZZ_REPLAY_BIN)

# The systemd unit keeps its sandbox: systemd-analyze security scores it
# "OK" or better, at most 2.0 (tests/unit_security.sh; systemd >= 250).
.PHONY: check-unitfile
check-unitfile:
	@sh tests/unit_security.sh deploy/kawan-gateway.service 2.0

check-e2e: $(BINS) $(E2E_BIN)
	@KAWAN_BIN=$(abspath $(BUILD)) sh tests/run.sh $(E2E_BIN)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer. Reports
# from every process (the gateway and the sim too) land in build-san/reports
# and fail the test binary that started it (tests/run.sh).
check-sanitize: deps
	LSAN_OPTIONS="suppressions=$(abspath tests/lsan.supp) print_suppressions=0" \
	UBSAN_OPTIONS=print_stacktrace=1 \
	KAWAN_SAN_DIR=$(abspath build-san/reports) \
	$(MAKE) --no-print-directory BUILD=build-san SAN=1 CFLAGS="-O1 -g" check-run

# ThreadSanitizer: the unit tests and the end-to-end tests named in TSAN_E2E
# (those that run the gateway's threads), built in build-tsan/. A race halts
# the process and fails the test binary; tests/tsan.supp holds only races
# inside uninstrumented libraries. A name without a tests/e2e/NAME.c yet is
# skipped with a note.
TSAN_E2E ?= test_channels test_roundtrip test_faults test_menus test_reports test_crash test_ussd test_consent test_events test_pool test_quota test_health test_diskfull test_flood
TSAN_E2E_BIN = $(patsubst %,$(BUILD)/tests/e2e/%,$(filter $(TSAN_E2E),$(notdir $(E2E_SRC:.c=))))

.PHONY: check-tsan check-tsan-run
check-tsan: deps
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(abspath tests/tsan.supp)" \
	KAWAN_SAN_DIR=$(abspath build-tsan/reports) \
	$(MAKE) --no-print-directory BUILD=build-tsan SAN=thread CFLAGS="-O1 -g" check-tsan-run

check-tsan-run: $(BINS) $(UNIT_BIN) $(TSAN_E2E_BIN)
	@for n in $(TSAN_E2E); do [ -f tests/e2e/$$n.c ] || \
		echo "check-tsan: skipping $$n: tests/e2e/$$n.c does not exist (yet)"; done
	@KAWAN_BIN=$(abspath $(BUILD)) sh tests/run.sh $(UNIT_BIN) $(TSAN_E2E_BIN)

demo: deps
	$(MAKE) --no-print-directory all
	@sh deploy/demo.sh $(abspath $(BUILD))

bench: deps
	$(MAKE) --no-print-directory all $(BENCH_BIN)
	@for b in $(BENCH_BIN); do KAWAN_BIN=$(abspath $(BUILD)) $$b || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/etc/kawan $(DESTDIR)$(PREFIX)/share/kawan
	install -m 0755 $(BUILD)/kawan-gateway $(BUILD)/kawanctl $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/kawan/menus $(DESTDIR)$(PREFIX)/share/kawan/translations
	install -m 0644 menus/*.cfg $(DESTDIR)$(PREFIX)/share/kawan/menus/
	install -m 0644 translations/*.po $(DESTDIR)$(PREFIX)/share/kawan/translations/
	install -m 0644 deploy/kawan.cfg.example $(DESTDIR)$(PREFIX)/share/kawan/
	install -d $(DESTDIR)/lib/systemd/system
	install -m 0644 deploy/kawan-gateway.service $(DESTDIR)/lib/systemd/system/
	install -d $(DESTDIR)/usr/lib/sysusers.d $(DESTDIR)/usr/lib/tmpfiles.d
	install -m 0644 deploy/kawan.sysusers.conf $(DESTDIR)/usr/lib/sysusers.d/kawan.conf
	install -m 0644 deploy/kawan.tmpfiles.conf $(DESTDIR)/usr/lib/tmpfiles.d/kawan.conf
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then $(MAKE) --no-print-directory install-user; \
	else echo "install: run 'make install-user' as root on the target to create user kawan"; fi

# As root on the machine that runs the gateway (not into DESTDIR): the
# system user kawan (in dialout), /var/lib/kawan (0700 kawan) and /etc/kawan
# (0750 root:kawan), from the sysusers/tmpfiles files `make install` put
# in place; kawan.cfg, when there, becomes root:kawan 0640 (it holds PIN hashes).
.PHONY: install-user
install-user:
	@[ "$$(id -u)" -eq 0 ] || { echo "install-user: run as root"; exit 1; }
	systemd-sysusers /usr/lib/sysusers.d/kawan.conf
	systemd-tmpfiles --create /usr/lib/tmpfiles.d/kawan.conf
	if [ -f /etc/kawan/kawan.cfg ]; then chown root:kawan /etc/kawan/kawan.cfg && chmod 0640 /etc/kawan/kawan.cfg; fi

# libFuzzer: every target built with clang in build-fuzz/ and run on its
# corpus (fuzz/corpus/NAME/, new inputs kept in build-fuzz/corpus/NAME/)
# for FUZZ_SECONDS each; a crash fails it and is saved as
# build-fuzz/crash/NAME/crash-*. `make fuzz-long` runs FUZZ_LONG_RUNS
# executions of each (one core; FUZZ_NAMES=... picks targets, so two
# makes use two cores) from build-fuzz-long/ (SAN=fuzzlong) on the same
# corpus, and prints the figures for fuzz/README.md.
FUZZ_SECONDS ?= 45
FUZZ_LONG_RUNS ?= 10000000
FUZZ_BUILD ?= build-fuzz
FUZZ_LONG_BUILD ?= build-fuzz-long
FUZZ_FLAGS ?=
.PHONY: fuzz fuzz-long fuzz-build
fuzz: deps
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang SAN=fuzz CFLAGS="-O1 -g" fuzz-build
	@sh fuzz/run.sh $(FUZZ_BUILD) time $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-long: deps
	$(MAKE) --no-print-directory BUILD=$(FUZZ_LONG_BUILD) CC=clang SAN=fuzzlong CFLAGS="-O2 -g" fuzz-build
	@FUZZ_CORPUS=$(FUZZ_BUILD)/corpus sh fuzz/run.sh $(FUZZ_LONG_BUILD) runs $(FUZZ_LONG_RUNS) $(FUZZ_NAMES)
	@echo "every input the long runs kept, once more under ASan/UBSan/LSan:"
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang SAN=fuzz CFLAGS="-O1 -g" fuzz-build
	@sh fuzz/run.sh $(FUZZ_BUILD) runs 0 $(FUZZ_NAMES)

fuzz-build: $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz-%)

$(BUILD)/fuzz/fuzz-%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/libsim.a $(BUILD)/libkawan.a
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS) -lutil

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# Fails on any file that `make format` would change (.clang-format).
format-check: deps
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-san build-tsan build-fuzz build-fuzz-long

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# A thin front end over meson: the targets users expect.
#   make            build (build/)
#   make check      every test: cmocka suites, spx-run, Go and Rust bindings, the same
#                   under ASan+UBSan (build-asan/) and TSan (build-tsan/),
#                   Doxygen with no warning, the fuzz targets over their
#                   corpora (build-fuzz/) and the ABI against abi/libspx.abi
#                   (build-abi/)
#   make check-windows  spx.dll cross-built with mingw-w64 (build-win/) and its
#                   tests (tests/winport, tests/windows, the bindings') under
#                   wine, in a wine prefix inside the build tree
#   make demo       build, then the guided tour (examples/)
#   make bench      benchmarks in a release build (build-release/)
#   make fuzz       each libFuzzer target for FUZZ_SECONDS (default 60) (build-fuzz/)
#   make abi-update the ABI baseline abi/libspx.abi from a release build (build-abi/)
#   make doc        HTML API reference (build/doc/html)
#   make install PREFIX=/usr/local

BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
RELEASE_BUILD ?= build-release
FUZZ_BUILD ?= build-fuzz
ABI_BUILD ?= build-abi
WIN_BUILD ?= build-win
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 10
PREFIX ?= /usr/local
MESON ?= meson
NINJA ?= ninja

# CC=clang builds everything with clang: the C++ core too (one sanitizer
# runtime per build), unless CXX is given.
ifneq ($(findstring clang,$(CC)),)
ifeq ($(origin CXX),default)
CXX := $(subst clang,clang++,$(CC))
endif
endif
export CC CXX

.PHONY: all deps check test test-asan test-tsan test-go test-rust test-dotnet doc check-doc demo bench install clean \
	fuzz test-fuzz check-abi abi-update check-windows deps-windows

all: deps $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

deps:
	@scripts/deps

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) --prefix=$(PREFIX)

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false

# clang's ThreadSanitizer (libclang-rt-14-dev): it intercepts more than
# GCC's (glibc's clone() among them), so it catches more of what must never
# run in the child.
TSAN_CC ?= clang
TSAN_CXX ?= clang++
$(TSAN_BUILD)/build.ninja:
	CC=$(TSAN_CC) CXX=$(TSAN_CXX) $(MESON) setup $(TSAN_BUILD) -Db_sanitize=thread -Db_lundef=false

$(RELEASE_BUILD)/build.ninja:
	$(MESON) setup $(RELEASE_BUILD) --buildtype=release

check: all test test-asan test-tsan check-doc test-go test-rust test-dotnet test-fuzz check-abi

test: all
	$(MESON) test -C $(BUILD) --print-errorlogs

# The library and the tests under AddressSanitizer (with LeakSanitizer) and
# UndefinedBehaviorSanitizer; any report fails the run.
test-asan: deps $(ASAN_BUILD)/build.ninja
	$(NINJA) -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 SPX_SANITIZED=1 \
		$(MESON) test -C $(ASAN_BUILD) --print-errorlogs --suite spx

# The library and its multi-threaded suites under ThreadSanitizer: concurrent
# spawns, kill during wait, the shared dumpable flag. The child's code is
# never instrumented (lib/linux/meson.build), so TSan sees only the parent.
test-tsan: deps $(TSAN_BUILD)/build.ninja
	$(NINJA) -C $(TSAN_BUILD)
	TSAN_OPTIONS=halt_on_error=1:abort_on_error=1 SPX_SANITIZED=1 \
		$(MESON) test -C $(TSAN_BUILD) --print-errorlogs spawn engine process controls landlock execfd

test-go: all
	@if [ -x bindings/go/check.sh ]; then SPX_BUILD_DIR=$(abspath $(BUILD)) bindings/go/check.sh; fi

# The Rust binding: regen.sh --check, rustfmt, clippy, cargo test (offline;
# neither crate has a dependency).
test-rust: all
	@if [ -x bindings/rust/check.sh ]; then SPX_BUILD_DIR=$(abspath $(BUILD)) bindings/rust/check.sh; fi

# The .NET binding: generate.sh --check, a stripped release libspx.so for the
# package, dotnet test (xunit.v3: every attribute in a real child, the
# examples, the package restored into a fresh project).
test-dotnet: all
	@if [ -x bindings/dotnet/check.sh ]; then SPX_BUILD_DIR=$(abspath $(BUILD)) bindings/dotnet/check.sh; fi

# libFuzzer targets (tests/fuzz/): clang only, in their own build with
# coverage counters and ASan+UBSan; the gcc builds never see them.
FUZZ_TARGETS = $(FUZZ_BUILD)/tests/fuzz/fuzz-options $(FUZZ_BUILD)/tests/fuzz/fuzz-builder $(FUZZ_BUILD)/tests/fuzz/fuzz-names \
	$(FUZZ_BUILD)/tests/fuzz/fuzz-oci
FUZZ_CC ?= clang
FUZZ_CXX ?= clang++
$(FUZZ_BUILD)/build.ninja:
	CC=$(FUZZ_CC) CXX=$(FUZZ_CXX) $(MESON) setup $(FUZZ_BUILD) -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link -Dcpp_args=-fsanitize=fuzzer-no-link

# Each target FUZZ_SECONDS, its corpus growing in $(FUZZ_BUILD)/fuzz-corpus/.
fuzz: deps $(FUZZ_BUILD)/build.ninja
	$(NINJA) -C $(FUZZ_BUILD) $(patsubst $(FUZZ_BUILD)/%,%,$(FUZZ_TARGETS))
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# make check: each target over its seed corpus (the regression inputs), then
# FUZZ_CHECK_SECONDS of fuzzing from a fresh corpus.
test-fuzz: deps $(FUZZ_BUILD)/build.ninja
	$(NINJA) -C $(FUZZ_BUILD) $(patsubst $(FUZZ_BUILD)/%,%,$(FUZZ_TARGETS))
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_CHECK_SECONDS) --fresh

# The ABI check: a release build with debug information (abidw reads DWARF)
# and -fcf-protection, compared by abidiff with abi/libspx.abi; -z
# cet-report names any input that lacks the IBT/SHSTK marking.
ABI_FLAGS = -g -fcf-protection=full
$(ABI_BUILD)/build.ninja:
	CC=gcc CXX=g++ $(MESON) setup $(ABI_BUILD) --buildtype=release -Dtests=false \
		-Dc_args='$(ABI_FLAGS)' -Dcpp_args='$(ABI_FLAGS)' \
		-Dc_link_args=-Wl,-z,cet-report=warning -Dcpp_link_args=-Wl,-z,cet-report=warning

check-abi: deps $(ABI_BUILD)/build.ninja
	abi/check.sh $(ABI_BUILD)

# After a compatible change (new functions in SPX_0.2): the new baseline.
abi-update: deps $(ABI_BUILD)/build.ninja
	abi/check.sh $(ABI_BUILD) --update

# Windows: no Windows machine here, so spx.dll is cross-built (-Werror, as
# every build) and its tests run under wine through meson's exe_wrapper
# (cross/x86_64-w64-mingw32.ini). wine gets its own prefix in the build
# tree, created once (wineboot -i, a few seconds), and its server is
# stopped at the end whatever the outcome. What wine cannot show (the
# AppContainer itself) is asserted to fail closed, then reported as SKIP.
# Then the Go binding for windows/amd64 (go vet, its tests under wine), and
# the .NET package tests with spx.dll (runtimes/win-x64/native/spx.dll).
WINE_ENV = WINEPREFIX=$(abspath $(WIN_BUILD))/wine WINEDEBUG=-all WINEDLLOVERRIDES=mscoree,mshtml=

deps-windows:
	@scripts/deps --windows

# The prefix comes first: meson's sanity check already runs a program
# through wine, which would otherwise make one in ~/.wine.
$(WIN_BUILD)/build.ninja:
	mkdir -p $(WIN_BUILD)
	@test -f $(WIN_BUILD)/wine/system.reg || $(WINE_ENV) wineboot -i >$(WIN_BUILD)/wineboot.log 2>&1 || \
		{ cat $(WIN_BUILD)/wineboot.log; exit 1; }
	$(WINE_ENV) $(MESON) setup --cross-file cross/x86_64-w64-mingw32.ini $(WIN_BUILD)

check-windows: deps-windows $(WIN_BUILD)/build.ninja
	$(WINE_ENV) $(NINJA) -C $(WIN_BUILD)
	@test -f $(WIN_BUILD)/wine/system.reg || $(WINE_ENV) wineboot -i >$(WIN_BUILD)/wineboot.log 2>&1 || \
		{ cat $(WIN_BUILD)/wineboot.log; exit 1; }
	@rc=0; \
	$(WINE_ENV) $(MESON) test -C $(WIN_BUILD) --print-errorlogs || rc=1; \
	if [ -x bindings/go/check-windows.sh ]; then \
		$(WINE_ENV) SPX_WINDOWS_BUILD_DIR=$(abspath $(WIN_BUILD)) bindings/go/check-windows.sh || rc=1; fi; \
	if [ -x bindings/dotnet/check.sh ] && [ -f $(BUILD)/lib/libspx.so ] && command -v dotnet >/dev/null; then \
		SPX_BUILD_DIR=$(abspath $(BUILD)) SPX_WINDOWS_BUILD_DIR=$(abspath $(WIN_BUILD)) \
			bindings/dotnet/check.sh --filter FullyQualifiedName~PackageTests || rc=1; \
	else echo "check-windows: SKIP the .NET package with spx.dll: needs dotnet and the Linux build $(BUILD) (make all)"; fi; \
	$(WINE_ENV) wineserver -k 2>/dev/null || true; \
	exit $$rc

doc: all
	SPX_DOC_OUT=$(abspath $(BUILD))/doc doxygen doc/Doxyfile

check-doc: all
	@scripts/check-doc $(abspath $(BUILD))/doc

demo: all
	$(BUILD)/examples/spx-demo
	@examples/demo-cli.sh $(BUILD)/tools/spx-run/spx-run

bench: deps $(RELEASE_BUILD)/build.ninja
	$(NINJA) -C $(RELEASE_BUILD)
	bench/run $(RELEASE_BUILD)

install: all
	$(MESON) configure $(BUILD) --prefix=$(PREFIX)
	$(MESON) install -C $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(RELEASE_BUILD) $(FUZZ_BUILD) $(ABI_BUILD) $(WIN_BUILD)

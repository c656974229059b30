# A thin front end over meson: the targets users expect.
#   make            build (build/)
#   make check      every test: cmocka suites, spx-run, Go and Rust bindings, the same
#                   under ASan+UBSan (build-asan/) and TSan (build-tsan/), and
#                   Doxygen with no warning
#   make demo       build, then the guided tour (examples/)
#   make bench      benchmarks in a release build (build-release/)
#   make doc        HTML API reference (build/doc/html)
#   make install PREFIX=/usr/local

BUILD ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
RELEASE_BUILD ?= build-release
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

.PHONY: all deps check test test-asan test-tsan test-go test-rust test-dotnet doc check-doc demo bench install clean

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

check: all test test-asan test-tsan check-doc test-go test-rust test-dotnet

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
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(RELEASE_BUILD)

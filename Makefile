# The two commands a user needs: `make run` and `make test`. Both install missing Debian packages first.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
HOP_ARGS ?=
# The sanitizer build: clang, ASan and UBSan, and the libFuzzer targets (fuzz/).
ASAN_BUILD_DIR ?= build-asan
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := target_url json_requests router redirect_header
# Every finding ends the process that made it, leaks at exit included, with a symbolized trace.
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer

.PHONY: deps test-deps configure build run test test-asan asan-configure fuzz bench clean format

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

configure:
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: deps configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(BUILD_DIR)/src/hop serve $(HOP_ARGS)

# Everything: the release build and all its tests, then the sanitizer build and its tests (fuzzing
# included).
test: test-deps configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@scripts/with-postgres.sh ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-asan

asan-configure:
	@CC=clang-14 CXX=clang++-14 cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE= \
		-DHOP_SANITIZE=ON -DHOP_FUZZ=ON >/dev/null

# Unit, store (SQLite and PostgreSQL) and integration tests under ASan and UBSan, and each fuzz
# target for 20 s. The browser and benchmark smoke tests are the release build's.
test-asan: test-deps asan-configure
	@cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	@$(SANITIZER_ENV) scripts/with-postgres.sh ctest --test-dir $(ASAN_BUILD_DIR) --output-on-failure \
		-j $(JOBS) -R '^(unit|store|integration|fuzz)\.'

# Each fuzz target for FUZZ_SECONDS; new inputs stay in $(ASAN_BUILD_DIR)/fuzz, crashes fail it.
fuzz: test-deps asan-configure
	@cmake --build $(ASAN_BUILD_DIR) -j $(JOBS) --target $(addprefix hop_fuzz_,$(FUZZ_TARGETS))
	@for target in $(FUZZ_TARGETS); do \
		$(SANITIZER_ENV) fuzz/run.sh $(ASAN_BUILD_DIR)/fuzz/hop_fuzz_$$target $$target $(FUZZ_SECONDS) \
			$(ASAN_BUILD_DIR)/fuzz/$$target || exit 1; \
	done

bench: build
	@bench/run.sh

format:
	@clang-format -i $$(git ls-files '*.h' '*.cpp')

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR)

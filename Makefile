# workbind — the two commands: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# `make fuzz`: the libFuzzer build (clang) and the time each target runs.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= fuzz_bayeux fuzz_operation_body fuzz_request_target \
	fuzz_provisioning_file fuzz_settings
# `make test-sanitize`: the AddressSanitizer + UBSan build (g++).
SANITIZE_BUILD_DIR ?= build-sanitize
SANITIZE_REPORTS = $(abspath $(SANITIZE_BUILD_DIR))/sanitizer-reports

.PHONY: deps configure build run test crash bench bench-nodes fuzz test-sanitize format clean

deps:
	./scripts/install-deps

configure: deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

# The server, then the web console into $(BUILD_DIR)/web/dist (next to the
# binary, where it serves it from at /).
build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)
	./scripts/build-web $(BUILD_DIR)

# Builds and starts workbind on 127.0.0.1:8090 with the demo contact center
# and an embedded SQLite database under ./data; the web console is at
# http://localhost:8090/.
run: build
	./$(BUILD_DIR)/workbind --listen 127.0.0.1:8090 --data-dir ./data \
		--provision config/demo-provisioning.json

# The Debian package $(BUILD_DIR)/workbind_<version>-1_<arch>.deb of the
# Release build and its web console (scripts/build-package, packaging/deb/;
# docs/deployment.md#installing-the-debian-package).
.PHONY: package
package: build
	./scripts/build-package $(BUILD_DIR)

# Builds and runs every test (unit, storage contract, functional, interop,
# the console's unit tests and its end-to-end tests in Chromium). The
# benchmark smoke test drives the reference nginx: install-deps --bench.
test: build
	./scripts/test-deps
	./scripts/install-deps --bench
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

# Crash safety, long form: CYCLES (default 20) workload cycles killed with
# SIGKILL, then provisioning and migration kills (docs/testing.md).
CYCLES ?= 20
crash: build
	WORKBIND_BIN=$(BUILD_DIR)/workbind ./tests/crash/run --cycles $(CYCLES) \
		--provisioning-kills 10 --migration-kills 10

# Benchmarks side by side, one summary table (docs/performance.md): quick
# mode of a few minutes; FULL=1 for the full sizes. bench/run installs its
# reference server (nginx) with scripts/install-deps --bench.
bench: build
	BUILD_DIR=$(BUILD_DIR) ./bench/run $(if $(FULL),--full,)

# Durable Add+Pull ops/s: one node on SQLite, one on PostgreSQL, two nodes on
# one PostgreSQL database, in one run (a private PostgreSQL server).
bench-nodes: build
	BUILD_DIR=$(BUILD_DIR) ./bench/nodes

# Builds the fuzz targets with clang and libFuzzer (plus ASan and UBSan) in
# $(FUZZ_BUILD_DIR) and runs each for FUZZ_SECONDS on its seed corpus
# (fuzz/corpus/<target>); new inputs go to $(FUZZ_BUILD_DIR)/fuzz-corpus,
# crashes to $(FUZZ_BUILD_DIR)/fuzz-artifacts (docs/testing.md).
fuzz:
	./scripts/install-deps --fuzz
	cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_CXX_COMPILER=clang++-14 -DWORKBIND_FUZZ=ON $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target $(FUZZ_TARGETS)
	./fuzz/run $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Builds the server and its tests with AddressSanitizer + UBSan (-O1, line
# tables only, to keep the build short) in $(SANITIZE_BUILD_DIR) and
# runs the unit, storage contract, fuzz corpus and functional tests (not the
# interop clients nor the benchmarks, and not functional_slow_clients, whose
# memory bounds mean nothing with ASan's shadow memory and quarantine). Every process writes its
# sanitizer reports to $(SANITIZE_REPORTS) (so that a report from a server
# the functional tests start, or a leak found at its exit, is seen too); any
# report there fails the target.
test-sanitize: deps
	cmake -S . -B $(SANITIZE_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O1 -g1 -DNDEBUG' \
		-DWORKBIND_SANITIZE=ON -DWORKBIND_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_BUILD_DIR) -j $(JOBS)
	./scripts/build-web $(SANITIZE_BUILD_DIR)
	./scripts/test-deps
	rm -rf $(SANITIZE_REPORTS) && mkdir -p $(SANITIZE_REPORTS)
	cd $(SANITIZE_BUILD_DIR) && \
		ASAN_OPTIONS=abort_on_error=1:detect_stack_use_after_return=1:log_path=$(SANITIZE_REPORTS)/asan \
		UBSAN_OPTIONS=print_stacktrace=1:log_path=$(SANITIZE_REPORTS)/ubsan \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp:print_suppressions=0 \
		ctest --output-on-failure -j $(JOBS) --timeout 1800 \
			-E '^(interop_|functional_slow_clients$$)'; \
	status=$$?; \
	if [ -n "$$(ls -A $(SANITIZE_REPORTS))" ]; then \
		cat $(SANITIZE_REPORTS)/*; \
		echo "test-sanitize: sanitizer reports in $(SANITIZE_REPORTS)" >&2; status=1; fi; \
	exit $$status

format:
	find src tests bench fuzz -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_BUILD_DIR) $(SANITIZE_BUILD_DIR)

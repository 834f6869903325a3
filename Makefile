# workbind — the two commands: `make run` and `make test`.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps configure build run test crash bench bench-nodes format clean

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

# Builds and runs every test (unit, storage contract, functional, interop,
# the console's unit tests and its end-to-end tests in Chromium).
test: build
	./scripts/test-deps
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

# Crash safety, long form: CYCLES (default 20) workload cycles killed with
# SIGKILL, then provisioning and migration kills (docs/testing.md).
CYCLES ?= 20
crash: build
	WORKBIND_BIN=$(BUILD_DIR)/workbind ./tests/crash/run --cycles $(CYCLES) \
		--provisioning-kills 10 --migration-kills 10

# Benchmarks side by side, one summary table (docs/performance.md): quick
# mode of a few minutes; FULL=1 for the full sizes.
bench: build
	BUILD_DIR=$(BUILD_DIR) ./bench/run $(if $(FULL),--full,)

# Durable Add+Pull ops/s: one node on SQLite, one on PostgreSQL, two nodes on
# one PostgreSQL database, in one run (a private PostgreSQL server).
bench-nodes: build
	BUILD_DIR=$(BUILD_DIR) ./bench/nodes

format:
	find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)

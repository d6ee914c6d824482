# The two commands a new user runs: `make demo` and `make test`.
SWIFT ?= swift
SWIFT_BUILD_FLAGS ?=

.PHONY: deps build release test demo clean

deps:
	@bash scripts/ensure-deps.sh

build: deps
	$(SWIFT) build $(SWIFT_BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_BUILD_FLAGS)

# The whole suite, against a throwaway PostgreSQL cluster that the tests start themselves
# (or the server named by ONDO_TEST_DATABASE_URL).
test:
	@bash scripts/ensure-deps.sh --tests
	SWIFT="$(SWIFT)" bash scripts/run-tests.sh

demo: release
	$(SWIFT) run -c release $(SWIFT_BUILD_FLAGS) ondo demo

clean:
	rm -rf .build

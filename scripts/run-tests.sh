#!/usr/bin/env bash
# Builds and runs the whole test suite. Integration tests start their own throwaway PostgreSQL
# cluster unless ONDO_TEST_DATABASE_URL names a server. Fails when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."

swift=${SWIFT:-swift}   # `make test SWIFT=…` picks the toolchain, as for `make demo`
"$swift" build --build-tests ${SWIFT_BUILD_FLAGS:-}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
"$swift" test --skip-build ${SWIFT_BUILD_FLAGS:-} "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# Swift Testing ends with "Test run with N tests in M suites passed|failed after S seconds."
summary=$(grep -E 'Test run with [0-9]+ tests?' "$log" | tail -n 1 || true)
count=$(printf '%s' "$summary" | sed -nE 's/.*Test run with ([0-9]+) tests?.*/\1/p')
echo
echo "ondo tests: ${summary:-no Swift Testing summary found}"
if [ -z "$count" ] && [ "$status" -ne 0 ]; then
  # No summary because swift test was stopped (Ctrl-C) or the test process crashed: tests did run.
  echo "ondo tests: FAILED — swift test ended with status $status before its summary (interrupted, or the test process crashed)" >&2
  exit "$status"
fi
if [ -z "$count" ] || [ "$count" -eq 0 ]; then
  echo "ondo tests: FAILED — no test ran" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "ondo tests: FAILED (swift test exit status $status)" >&2
  exit "$status"
fi
echo "ondo tests: $count tests passed"

#!/usr/bin/env bash
# The project's one test command (CI runs it through .ci/run):
#   bootstrap -> lint -> public enum check -> import check -> README examples check
#   -> proto drift check -> gRPC call check -> build (with tests) -> docs
#   -> swift test.
# Extra arguments go to `swift test`, e.g. `Scripts/test.sh --filter FlightTransportTests`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

step() { printf '\n==> %s\n' "$*"; }

step "Bootstrap (Debian packages, .venv)"
Scripts/bootstrap.sh

step "Lint (swift format, .swift-format)"
swift format lint --strict --recursive --configuration .swift-format Package.swift Sources Tests

step "No new open public enum (Scripts/check-public-enums.sh)"
Scripts/check-public-enums.sh

step "Every import has an access level (Scripts/check-imports.sh)"
Scripts/check-imports.sh

step "README and getting-started examples equal the tested code (Scripts/check-readme-examples.sh)"
Scripts/check-readme-examples.sh

step "Generated protobuf-c code and Swift glue match Protos/ (Scripts/check-protos.sh)"
if [[ -x Scripts/check-protos.sh ]]; then
  Scripts/check-protos.sh
else
  echo "error: Scripts/check-protos.sh is missing or not executable; it checks the generated code for drift" >&2
  exit 1
fi

step "gRPC core called from the GRPCCore*.swift files only (Scripts/check-grpc-calls.sh)"
Scripts/check-grpc-calls.sh

step "Build (swift build --build-tests)"
swift build --build-tests

step "Documentation builds, every public symbol documented (Scripts/check-docs.sh)"
Scripts/check-docs.sh

# Where the interop tests find their tools (see Tests/InteropSupport/InteropEnvironment.swift).
export FLIGHT_TEST_PYTHON="$repo/.venv/bin/python"
export FLIGHT_TEST_PEERS="$repo/Tests/Peers"
FLIGHT_BUILD_BIN="$(swift build --show-bin-path)"
export FLIGHT_BUILD_BIN
# arrow-testing's data, found as Arrow's implementations find it (ARROW_TEST_DATA points at its
# data/ folder): the gold-file tests check every integration file against pyarrow's reading.
if [[ -z "${ARROW_TEST_DATA:-}" && -d "$repo/../shared/arrow-testing/data" ]]; then
  ARROW_TEST_DATA="$(cd "$repo/../shared/arrow-testing/data" && pwd)"
  export ARROW_TEST_DATA
fi

step "Test (swift test $*)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
swift test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# With the data there, a skipped gold-file test is a failure (the tests skip only without it).
if [[ -n "${ARROW_TEST_DATA:-}" ]] && grep -q 'skipped: "ARROW_TEST_DATA is not set"' "$log"; then
  echo "error: ARROW_TEST_DATA=$ARROW_TEST_DATA is set but the arrow-testing tests were skipped" >&2
  status=1
fi
if ((status == 0)); then
  # One plain closing line for any reader: the count from Swift Testing's summary.
  passed="$(grep -Eo 'Test run with [0-9]+ tests?' "$log" | tail -n 1 | grep -Eo '[0-9]+' || true)"
  echo "${passed:-0} passed, 0 failed"
fi
exit "$status"

#!/usr/bin/env bash
# Builds the DocC documentation of every library product (swift-docc-plugin's
# `generate-documentation`) with warnings treated as errors: a symbol link that does not
# resolve, a topic that names nothing, a malformed catalog page fails the check. Then checks
# DocC's coverage report: every public symbol of these targets must have a doc comment.
# The archives land in .build/plugins/Swift-DocC/outputs/<Target>.doccarchive.
#
# Usage: Scripts/check-docs.sh [TARGET...]   (default: the library products ArrowCore, ArrowIPC
# and FlightRPC, and FlightProto, whose message types FlightRPC re-exports)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if (($# > 0)); then
  targets=("$@")
else
  targets=(ArrowCore ArrowIPC FlightProto FlightRPC)
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# One plugin run per target, so that one run shows the problems of every target.
# --warnings-as-errors and the coverage flags go to `docc convert`.
status=0
for target in "${targets[@]}"; do
  set +e
  swift package generate-documentation --target "$target" \
    --disable-indexing --warnings-as-errors --experimental-skip-synthesized-symbols \
    --experimental-documentation-coverage --coverage-summary-level brief >"$log" 2>&1
  code=$?
  set -e
  # Build progress lines aside, show what the plugin and DocC said.
  grep -Ev '^\[[0-9]+/[0-9]+\] ' "$log" || true
  # Belt and braces: a warning line from DocC fails the check even if the exit status did not.
  if ((code != 0)) || grep -Eq '^(warning|error):' "$log"; then
    echo "check-docs.sh: $target: the documentation does not build cleanly (see above)" >&2
    status=1
  fi
done
if ((status != 0)); then
  echo "check-docs.sh: documentation build failed" >&2
  exit "$status"
fi

# Coverage: DocC writes documentation-coverage.json into each archive; a symbol without an
# abstract is undocumented. This sees what the swift-format lint cannot: members the compiler
# declares (an enum's implicit `init(rawValue:)`), a property wrapper's projected value, the
# types and modules a target extends. Those take a documentation extension file in the target's
# catalog (see ArrowCore.docc/Extensions). Members inherited from other modules' protocols
# (`map`, `!=`, …) are left out with --experimental-skip-synthesized-symbols.
outputs="$root/.build/plugins/Swift-DocC/outputs"
missing=0
for target in "${targets[@]}"; do
  coverage="$outputs/$target.doccarchive/documentation-coverage.json"
  if [[ ! -f "$coverage" ]]; then
    echo "check-docs.sh: no coverage report for $target ($coverage)" >&2
    exit 1
  fi
  if ! python3 - "$target" "$coverage" <<'PY'; then
import json
import sys

target, path = sys.argv[1], sys.argv[2]
with open(path) as file:
    entries = json.load(file)
undocumented = sorted(
    entry["referencePath"].split("/documentation/", 1)[-1] + "  (" + entry["kind"]["name"] + ")"
    for entry in entries
    if entry["kind"].get("isSymbol") and not entry["hasAbstract"]
)
for name in undocumented:
    print(f"check-docs.sh: {target}: undocumented public symbol: {name}", file=sys.stderr)
sys.exit(1 if undocumented else 0)
PY
    missing=1
  fi
done
if ((missing != 0)); then
  echo "check-docs.sh: add a /// comment to each symbol above" >&2
  exit 1
fi
echo "check-docs.sh: documentation of ${targets[*]} builds without warnings; every public symbol is documented"

#!/usr/bin/env bash
# Checks that the generated code (CModules/CFlightProto/Generated/, the protobuf-c code, and
# Sources/FlightProto/Generated/, the Swift message types and glue) matches what
# Scripts/generate-protos.sh makes from Protos/. Exits non-zero on drift.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

"$root/Scripts/generate-protos.sh" "$fresh"

status=0
for dir in CModules/CFlightProto/Generated Sources/FlightProto/Generated; do
  if ! diff -ru "$root/$dir" "$fresh/$dir" >"$fresh/drift.diff"; then
    echo "check-protos.sh: $dir differs from what Protos/ generates:" >&2
    head -n 40 "$fresh/drift.diff" >&2
    status=1
  fi
done
if [[ $status -ne 0 ]]; then
  echo "check-protos.sh: generated code is out of date; run Scripts/generate-protos.sh and commit" >&2
  exit 1
fi
echo "check-protos.sh: generated protobuf-c code and Swift are up to date"

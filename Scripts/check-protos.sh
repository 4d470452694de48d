#!/usr/bin/env bash
# Checks that CModules/CFlightProto/Generated/ matches what Scripts/generate-protos.sh makes
# from Protos/Flight.proto. Exits non-zero on drift.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
committed="$root/CModules/CFlightProto/Generated"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT

"$root/Scripts/generate-protos.sh" "$fresh"

status=0
for file in Flight.pb-c.h Flight.pb-c.c; do
  if [[ ! -f "$committed/$file" ]]; then
    echo "check-protos.sh: missing $committed/$file" >&2
    status=1
  elif ! diff -u "$committed/$file" "$fresh/$file" >"$fresh/$file.diff"; then
    echo "check-protos.sh: $file differs from what Protos/Flight.proto generates:" >&2
    head -n 40 "$fresh/$file.diff" >&2
    status=1
  fi
done
if [[ $status -ne 0 ]]; then
  echo "check-protos.sh: generated protobuf code is out of date; run Scripts/generate-protos.sh and commit" >&2
  exit 1
fi
echo "check-protos.sh: generated protobuf code is up to date"

#!/usr/bin/env bash
# One place touches gRPC core per concern: only the three GRPCCore*.swift files of
# Sources/FlightTransport import CGRPC or call grpc_*, gpr_* or CGRPC_* functions (runtime,
# queues and op batches; handles; conversions). Fails, naming file and line, when any other
# Swift file under Sources does. Comments are ignored; strings are not parsed, so a call
# pattern (`grpc_x(`) inside a string literal counts too.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

allowed=(
  Sources/FlightTransport/GRPCCoreRuntime.swift
  Sources/FlightTransport/GRPCCoreHandles.swift
  Sources/FlightTransport/GRPCCoreConversions.swift
)
call='\b(grpc|gpr|CGRPC)_[A-Za-z0-9_]+[[:space:]]*\('
import='^[[:space:]]*(@[A-Za-z_]+(\([^)]*\))?[[:space:]]+)*([a-z]+[[:space:]]+)?import[[:space:]]+([a-z]+[[:space:]]+)?CGRPC\b'

status=0
for file in "${allowed[@]}"; do
  if [[ ! -f "$file" ]]; then
    echo "error: $file is missing: update the allowed list of Scripts/check-grpc-calls.sh" >&2
    status=1
  fi
done

while IFS= read -r -d '' file; do
  for permitted in "${allowed[@]}"; do
    [[ "$file" == "$permitted" ]] && continue 2
  done
  # Line numbers kept, `//` comments dropped (a `//` inside a string only hides more text).
  hits="$(sed -e 's#//.*$##' "$file" | grep -nE "$call|$import" || true)"
  if [[ -n "$hits" ]]; then
    while IFS= read -r hit; do
      echo "error: $file:${hit%%:*}: gRPC core used outside the GRPCCore*.swift files: ${hit#*:}" >&2
    done <<<"$hits"
    status=1
  fi
done < <(find Sources -name '*.swift' -print0 | sort -z)

if ((status == 0)); then
  for file in "${allowed[@]}"; do
    printf '%4d gRPC core calls in %s\n' "$(sed -e 's#//.*$##' "$file" | grep -oE "$call" | wc -l)" "$file"
  done
  echo "gRPC core is called from ${#allowed[@]} files only"
fi
exit "$status"

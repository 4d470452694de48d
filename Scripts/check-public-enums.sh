#!/usr/bin/env bash
# Fails on a `public enum` in a library target that is not listed in
# Scripts/closed-enums.txt. A public enum cannot gain a case without breaking every client
# that switches over it; a type that may grow is a struct with static members (as
# FlightError.Kind, ArrowError.Kind and FlightMethod are). List an enum only when it is
# deliberately closed (the Flight protocol fixes its cases, or it has no cases at all).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
allowed="$root/Scripts/closed-enums.txt"
targets=(ArrowCore ArrowIPC FlightProto FlightTransport FlightRPC)

status=0
found=0
while IFS=: read -r file line text; do
  found=$((found + 1))
  name="$(sed -E 's/.*public[[:space:]]+(indirect[[:space:]]+)?enum[[:space:]]+([A-Za-z0-9_]+).*/\2/' <<<"$text")"
  entry="${file#"$root"/}:$name"
  if ! grep -Eq "^${entry}([[:space:]]|$)" "$allowed"; then
    echo "check-public-enums.sh: $entry (line $line) is a public enum that is not listed as deliberately closed" >&2
    status=1
  fi
done < <(cd "$root" && grep -rnE --include='*.swift' '^[[:space:]]*public[[:space:]]+(indirect[[:space:]]+)?enum[[:space:]]' \
  "${targets[@]/#/Sources/}" || true)

if [[ $status -ne 0 ]]; then
  cat >&2 <<'TEXT'
check-public-enums.sh: a type that may grow must be a struct with static members (see
FlightError.Kind); if the enum is deliberately closed, add `File.swift:Name  # why` to
Scripts/closed-enums.txt.
TEXT
  exit 1
fi
echo "check-public-enums.sh: $found public enums, all listed as deliberately closed"

#!/usr/bin/env bash
# Fails on an `import` without an access level in the Swift files that the packages build
# (Sources/, Tests/, Fuzz/ and the Package.swift manifests), listing each as file:line.
#
# Every target builds with InternalImportsByDefault, so a bare `import X` is already internal;
# the explicit level says on every line whether a module's types are part of the file's API:
# `public import` (or `package import`) only where a public (or package) declaration uses them,
# `internal import` (or `private`/`fileprivate`) otherwise. Checked forms, indented or not
# (imports inside `#if canImport(...)` too): `import X`, `import struct X.Y` and the other
# declaration kinds, and imports with attributes such as `@testable` or `@_spi(Name)`
# (`@testable internal import X` is what the compiler takes). Exempt: `@_exported import X`
# (a re-export, public by nature) and `import PackageDescription` in a manifest. Lines inside
# multi-line string literals (the Python peers that tests embed) are not Swift imports.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

files=()
while IFS= read -r -d '' file; do
  files+=("$file")
done < <(find Package.swift Sources Tests Fuzz -name '*.swift' -not -path '*/.build*' -print0 | sort -z)

# One awk pass over all files: tracks multi-line string literals (a line with an odd number of
# `"""` opens or closes one) and prints file:line: text for each import without a level.
bare="$(awk '
  FNR == 1 { in_string = 0 }
  {
    line = $0
    if (!in_string && line ~ /^[ \t]*(@[A-Za-z_][A-Za-z0-9_]*(\([^)]*\))?[ \t]+)*import[ \t]/) {
      exempt = line ~ /@_exported[ \t]/ ||
        (FILENAME ~ /(^|\/)Package\.swift$/ && line ~ /^[ \t]*import[ \t]+PackageDescription[ \t]*(\/\/.*)?$/)
      if (!exempt) {
        sub(/^[ \t]+/, "", line)
        printf "%s:%d: %s\n", FILENAME, FNR, line
      }
    }
    quotes = gsub(/"""/, "&", line)
    if (quotes % 2 == 1) { in_string = !in_string }
  }
' "${files[@]}")"

if [[ -n "$bare" ]]; then
  echo "$bare" >&2
  count="$(wc -l <<<"$bare")"
  cat >&2 <<TEXT
check-imports.sh: $count import(s) without an access level. Write \`internal import X\` (or
\`private\`/\`fileprivate\`), and \`public import X\` or \`package import X\` only where a public or
package declaration of the file uses X's types (the compiler says which).
TEXT
  exit 1
fi
echo "check-imports.sh: every import in ${#files[@]} Swift files has an access level"

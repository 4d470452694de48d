#!/usr/bin/env bash
# Checks that the Swift code blocks of the documents below are the code the tests compile and run.
#
# Every ```swift block of a checked document follows a marker line (blank lines between allowed):
#   <!-- example: NAME -->              the block equals the test region NAME
#   <!-- example: none (REASON) -->     the block is not compiled (a sketch, shell, pseudo code)
# A test region (any Swift file under Tests/) is
#   // README-EXAMPLE: NAME
#   // README-REPLACE: TEST TEXT => DOCUMENT TEXT     (optional, any number, right after the marker)
#   ...code...
#   // README-EXAMPLE-END
# and equals the block once its common indentation is removed and its replacements are made; the
# block's leading `import` lines are left out of the comparison but must be imports of the test
# file. The check fails, with a diff, on a block that differs from its region, an unmarked block,
# a marker without a block, a name with no region, and a region no document uses.
#
#   Scripts/check-readme-examples.sh          check (Scripts/test.sh runs it)
#   Scripts/check-readme-examples.sh --fix    rewrite each marked block from its region
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
python="$repo/.venv/bin/python"
[[ -x "$python" ]] || python=python3

exec "$python" - "$@" <<'PY'
import difflib
import pathlib
import re
import sys

DOCUMENTS = ["README.md", "Sources/FlightRPC/FlightRPC.docc/GettingStarted.md"]
fix = sys.argv[1:] == ["--fix"]
if sys.argv[1:] and not fix:
    sys.exit("usage: Scripts/check-readme-examples.sh [--fix]")

problems = []

def dedent(lines):
    indents = [len(l) - len(l.lstrip(" ")) for l in lines if l.strip()]
    cut = min(indents, default=0)
    return [l[cut:].rstrip() for l in lines]

IMPORT = re.compile(r"^\s*(?:@\w+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(\w+)")

# The test regions.
regions = {}
for path in sorted(pathlib.Path("Tests").rglob("*.swift")):
    lines = path.read_text().split("\n")
    imports = {m.group(1) for m in map(IMPORT.match, lines) if m}
    index = 0
    while index < len(lines):
        start = re.match(r"^\s*// README-EXAMPLE: (\S+)\s*$", lines[index])
        index += 1
        if not start:
            continue
        name, first = start.group(1), index
        replacements = []
        while index < len(lines) and (rule := re.match(r"^\s*// README-REPLACE: (.+?) => (.+)$", lines[index])):
            replacements.append((rule.group(1), rule.group(2)))
            index += 1
        body_start = index
        while index < len(lines) and not re.match(r"^\s*// README-EXAMPLE-END\s*$", lines[index]):
            index += 1
        if index == len(lines):
            problems.append(f"{path}:{first}: region '{name}' has no // README-EXAMPLE-END")
            break
        text = "\n".join(dedent(lines[body_start:index])).strip("\n")
        for test_text, document_text in replacements:
            if test_text not in text:
                problems.append(f"{path}:{first}: region '{name}': README-REPLACE text {test_text!r} is not in it")
            text = text.replace(test_text, document_text)
        if name in regions:
            problems.append(f"{path}:{first}: region '{name}' is defined twice (also {regions[name]['where']})")
        regions[name] = {"text": text, "where": f"{path}:{first}", "imports": imports, "used": False}
        index += 1

# The documents' blocks.
MARKER = re.compile(r"^<!--\s*example:\s*(.*?)\s*-->\s*$")
for document in DOCUMENTS:
    lines = pathlib.Path(document).read_text().split("\n")
    output = []
    marker = None  # (name, line number) of a marker waiting for its block
    index = 0
    while index < len(lines):
        line = lines[index]
        output.append(line)
        index += 1
        if m := MARKER.match(line):
            if marker:
                problems.append(f"{document}:{marker[1]}: marker '{marker[0]}' is not followed by a code block")
            marker = (m.group(1), index)
            continue
        fence = re.match(r"^(\s*)(```+|~~~+)\s*(\S*)", line)
        if not fence:
            if line.strip() and marker:
                problems.append(f"{document}:{marker[1]}: marker '{marker[0]}' is not followed by a code block")
                marker = None
            continue
        # A fenced block: find its end.
        end = index
        while end < len(lines) and not lines[end].strip().startswith(fence.group(2)):
            end += 1
        block = lines[index:end]
        output.extend(lines[index:end + 1])
        block_line, index = index, end + 1
        language = fence.group(3).lower()
        if language != "swift":
            marker = None
            continue
        if not marker:
            problems.append(
                f"{document}:{block_line}: a Swift code block without a marker: put "
                "<!-- example: NAME --> (a test region) or <!-- example: none (why) --> before it")
            continue
        name, marker_line = marker
        marker = None
        if name.startswith("none"):
            if not re.match(r"^none \(.+\)$", name):
                problems.append(f"{document}:{marker_line}: write why the block is not compiled: <!-- example: none (why) -->")
            continue
        region = regions.get(name)
        if region is None:
            problems.append(f"{document}:{marker_line}: no test region '// README-EXAMPLE: {name}' under Tests/")
            continue
        region["used"] = True
        code = dedent(block)
        imports = []
        while code and (IMPORT.match(code[0]) or (imports and not code[0].strip())):
            imports.append(code.pop(0))
        for line in imports:
            if (m := IMPORT.match(line)) and m.group(1) not in region["imports"]:
                problems.append(
                    f"{document}:{block_line}: example '{name}' imports {m.group(1)}, which {region['where'].split(':')[0]} does not")
        documented = "\n".join(code).strip("\n")
        if documented == region["text"]:
            continue
        if fix:
            indent = fence.group(1)
            fixed = imports + region["text"].split("\n")
            del output[len(output) - len(block) - 1:-1]
            output[-1:-1] = [(indent + l) if l else l for l in fixed]
            print(f"{document}: example '{name}' rewritten from {region['where']}")
            continue
        diff = difflib.unified_diff(
            documented.split("\n"), region["text"].split("\n"),
            f"{document}:{block_line} (example '{name}')", f"{region['where']} (test region)", lineterm="")
        problems.append(f"{document}:{block_line}: example '{name}' differs from its test region:\n" + "\n".join(diff))
    if marker:
        problems.append(f"{document}:{marker[1]}: marker '{marker[0]}' is not followed by a code block")
    if fix:
        pathlib.Path(document).write_text("\n".join(output))

for name, region in regions.items():
    if not region["used"]:
        problems.append(f"{region['where']}: region '{name}' is not shown by any of {', '.join(DOCUMENTS)}")

if problems:
    print("\n\n".join(f"error: {p}" for p in problems), file=sys.stderr)
    sys.exit(1)
print(f"{sum(r['used'] for r in regions.values())} examples match their test regions ({', '.join(DOCUMENTS)})")
PY

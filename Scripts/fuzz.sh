#!/usr/bin/env bash
# Runs one libFuzzer target of the Fuzz/ package (never built by `swift build` or CI).
#
#   Scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#
# TARGET is stream (IPC stream reader), file (IPC file reader), flatbuffers (the Message and
# Footer flatbuffer reader) or flightdata (FlightData decoding into the IPC decoder).
# Builds Fuzz/ with -sanitize=fuzzer,address into .build-fuzz/, makes the seed corpora once
# (arrow-testing from ARROW_TEST_DATA, else ../shared/arrow-testing/data when it exists, plus
# what pyarrow writes: Fuzz/make_seeds.py), then fuzzes for SECONDS under `nice -n 19`:
#   corpus (grows, kept between runs)  .build-fuzz/corpus/TARGET
#   findings (crash-*, timeout-*, oom-*) .build-fuzz/findings/TARGET/
#   log with executions and findings    .build-fuzz/logs/TARGET-<time>.log
# Each finding, once fixed, goes to Fuzz/Regressions/TARGET/, which the tests replay.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if (($# < 2)); then
  echo "usage: Scripts/fuzz.sh stream|file|flatbuffers|flightdata SECONDS [libFuzzer options...]" >&2
  exit 2
fi
target="$1"
seconds="$2"
shift 2
case "$target" in
  stream) product=FuzzIPCStream ;;
  file) product=FuzzIPCFile ;;
  flatbuffers) product=FuzzFlatBuffers ;;
  flightdata) product=FuzzFlightData ;;
  *)
    echo "error: unknown target '$target' (stream, file, flatbuffers or flightdata)" >&2
    exit 2
    ;;
esac

scratch="$repo/.build-fuzz"
mkdir -p "$scratch"
build=(swift build --package-path Fuzz --scratch-path "$scratch" -c debug -Xswiftc -sanitize=fuzzer,address)
if ! nice -n 19 "${build[@]}" --product "$product" >"$scratch/build.log" 2>&1; then
  grep -v "ld.gold: warning" "$scratch/build.log" >&2
  exit 1
fi
binary="$("${build[@]}" --show-bin-path)/$product"

data="${ARROW_TEST_DATA:-}"
if [[ -z "$data" && -d "$repo/../shared/arrow-testing/data" ]]; then
  data="$(cd "$repo/../shared/arrow-testing/data" && pwd)"
fi
seeds="$scratch/seeds"
if [[ ! -d "$seeds/$target" ]]; then
  if [[ -z "$data" ]]; then
    echo "note: no arrow-testing data (set ARROW_TEST_DATA): seeding with pyarrow's files only" >&2
  fi
  "$repo/.venv/bin/python" Fuzz/make_seeds.py "$seeds" ${data:+"$data"}
fi

corpus="$scratch/corpus/$target"
findings="$scratch/findings/$target"
regressions="$repo/Fuzz/Regressions/$target"
mkdir -p "$corpus" "$findings" "$scratch/logs" "$regressions"
log="$scratch/logs/$target-$(date +%Y%m%d-%H%M%S).log"
echo "fuzzing $product for $seconds s; log: $log"

# -timeout: one input running 10 s is a hang; -rss_limit_mb: 2 GiB (ASan included).
# Fork mode with -ignore_*: a finding is saved and fuzzing goes on for the whole time.
set +e
nice -n 19 "$binary" "$corpus" "$seeds/$target" "$regressions" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -artifact_prefix="$findings/" -print_final_stats=1 "$@" >"$log" 2>&1
status=$?
set -e
# The last progress line holds the executions (#N), coverage and crashes found.
grep -E '^#[0-9]+: cov' "$log" | tail -n 1 || true
grep -E '^stat::|^INFO: exiting|^Done' "$log" || true
ls "$findings"
exit "$status"

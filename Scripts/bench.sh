#!/usr/bin/env bash
# The benchmark (not a test): what users run, Swift beside pyarrow in one run, on this machine.
#
#   Scripts/bench.sh [--repeat N] [--size-mb N] [--calls K] [--output FILE]
#
# Builds `flight` and `flight-bench` (release), then runs Scripts/bench/run_bench.py, which
# measures on loopback, every process separate, medians of N runs (default 3), N MiB per
# figure (default 512) of 4 int64 columns in 4,096-row (128 KiB) and 65,536-row (2 MiB) batches:
#   - server side: the same pyarrow client (Scripts/bench/store_client.py) against `flight
#     serve` and against a pyarrow store server (Tests/Peers/pyarrow_server.py): DoPut, then
#     DoGet of what was stored;
#   - client side: `flight put` and `flight get --output FIFO --format stream` (drained by
#     cat) as whole processes against the pyarrow store, beside a pyarrow script doing the
#     same, each net of its start-up (minus the median wall time on a zero-row table);
#   - Swift↔Swift (the tool against `flight serve`) beside pyarrow↔pyarrow;
#   - GetFlightInfo calls/s, one caller and 32 concurrent ones: pyarrow client against either
#     server, and `flight-bench client` against `flight serve`;
#   - 8 concurrent DoGets, aggregate MB/s, pyarrow client against either server;
#   - peak RSS of `flight serve` beyond the data it stores while serving 1 GiB, and of
#     `flight get` fetching 1 GiB to a file;
#   - plain loopback TCP with one stream (a socket-pair probe): the limit.
# Prints one Markdown table (also written to .build/bench-results.md, or --output).
# FLIGHT_BENCH_SCRATCH_PATH builds in another scratch path than .build.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

passthrough=()
output="$repo/.build/bench-results.md"
while (($# > 0)); do
  case "$1" in
    --repeat | --size-mb | --calls)
      passthrough+=("$1" "${2:?$1 needs a value}")
      shift
      ;;
    --output)
      output="${2:?--output needs a file}"
      shift
      ;;
    -h | --help)
      sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "error: unknown argument '$1' (try --help)" >&2
      exit 2
      ;;
  esac
  shift
done

step() { printf '\n==> %s\n' "$*" >&2; }

step "Bootstrap (Debian packages, .venv)"
Scripts/bootstrap.sh

build_flags=(-c release)
if [[ -n "${FLIGHT_BENCH_SCRATCH_PATH:-}" ]]; then build_flags+=(--scratch-path "$FLIGHT_BENCH_SCRATCH_PATH"); fi
step "Build flight and flight-bench (swift build ${build_flags[*]})"
swift build "${build_flags[@]}" --product flight
swift build "${build_flags[@]}" --product flight-bench
bin="$(swift build "${build_flags[@]}" --show-bin-path)"

mkdir -p "$(dirname "$output")"
step "Measuring (a few minutes)"
"$repo/.venv/bin/python" "$repo/Scripts/bench/run_bench.py" --flight "$bin/flight" --flight-bench "$bin/flight-bench" \
  --python "$repo/.venv/bin/python" --output "$output" "${passthrough[@]}"

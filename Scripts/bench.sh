#!/usr/bin/env bash
# The benchmark (not a test): Swift beside pyarrow in one run, on this machine.
#
#   Scripts/bench.sh [--quick] [--repeat N] [--output FILE]
#
# (Takes a few minutes on 2 cores; --quick about one.)
# Measures, with the same data on both sides:
#   - IPC stream write and read in memory, Swift (flight-bench ipc) and pyarrow
#     (Scripts/bench/bench_peer.py ipc): 4 int64 columns and 2 string columns of ~20-byte
#     values, 1 GiB each (--quick: 128 MiB), batches of 65,536 rows;
#   - Flight DoGet and DoPut of 4 int64 columns, 1 GiB per figure (--quick: 256 MiB), in batches
#     of 4,096 rows (128 KiB) and 65,536 rows (2 MiB), for Swift → Swift, Swift client →
#     pyarrow server, pyarrow client → Swift server and pyarrow → pyarrow; and GetFlightInfo
#     calls per second for the same four pairings. Server and client are separate processes
#     on loopback; servers announce their port on their first stdout line (no sleeps).
# Prints one Markdown table (MB/s = 10^6 bytes/s, batches/s, ratio to pyarrow) and writes it
# to .build/bench-results.md (raw JSON lines beside it, .build/bench-results.jsonl).
# --repeat N runs every figure N times and keeps the best. Each client run is bounded by
# a timeout; a failed figure shows as "failed" in the table.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

quick=0
repeat=1
output="$repo/.build/bench-results.md"
while (($# > 0)); do
  case "$1" in
    --quick) quick=1 ;;
    --repeat)
      repeat="${2:?--repeat needs a count}"
      shift
      ;;
    --output)
      output="${2:?--output needs a file}"
      shift
      ;;
    -h | --help)
      sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "error: unknown argument '$1' (try --help)" >&2
      exit 2
      ;;
  esac
  shift
done
if ((quick)); then
  ipc_mb=128
  flight_mb=256
  calls=1000
else
  ipc_mb=1024
  flight_mb=1024
  calls=5000
fi
client_timeout=120

step() { printf '\n==> %s\n' "$*" >&2; }

step "Bootstrap (Debian packages, .venv)"
Scripts/bootstrap.sh

# FLIGHT_BENCH_SCRATCH_PATH builds in another scratch path than .build (e.g. while other
# builds use .build).
build_flags=(-c release)
if [[ -n "${FLIGHT_BENCH_SCRATCH_PATH:-}" ]]; then build_flags+=(--scratch-path "$FLIGHT_BENCH_SCRATCH_PATH"); fi
step "Build flight-bench (swift build ${build_flags[*]} --product flight-bench)"
swift build "${build_flags[@]}" --product flight-bench
bench="$(swift build "${build_flags[@]}" --show-bin-path)/flight-bench"
python="$repo/.venv/bin/python"
peer="$repo/Scripts/bench/bench_peer.py"

mkdir -p "$(dirname "$output")"
raw="${output%.md}.jsonl"
: >"$raw"
work="$(mktemp -d)"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- servers (peer protocol: first stdout line names the port; stdin EOF stops them) ------
declare -A server_pid server_in server_port
# The write ends of the servers' stdin pipes, held by this script only: every child closes
# them, or closing ours would not reach the server as end of file.
close_server_fds() {
  local fd
  for fd in "${server_in[@]}"; do
    [[ -n "$fd" ]] && exec {fd}>&-
  done
  return 0
}
start_server() { # name command...
  local name="$1"
  shift
  mkfifo "$work/$name.in" "$work/$name.out"
  (close_server_fds && exec "$@" <"$work/$name.in" >"$work/$name.out" 2>"$work/$name.err") &
  server_pid[$name]=$!
  local in_fd out_fd line=""
  exec {in_fd}>"$work/$name.in"
  exec {out_fd}<"$work/$name.out"
  server_in[$name]=$in_fd
  if ! IFS= read -r -t 60 line <&"$out_fd" || [[ "$line" != "Server listening on localhost:"* ]]; then
    echo "error: the $name server did not announce its port (got: '$line')" >&2
    cat "$work/$name.err" >&2 || true
    exit 1
  fi
  server_port[$name]="${line##*:}"
  # Drain its stdout so it never blocks on a full pipe.
  (close_server_fds && exec cat <&"$out_fd" >>"$work/$name.err") &
  exec {out_fd}<&-
}
stop_servers() {
  close_server_fds
  local name
  for name in "${!server_in[@]}"; do server_in[$name]=""; done
  for name in "${!server_pid[@]}"; do
    local pid="${server_pid[$name]}" watchdog
    # A server that does not exit 10 s after its stdin closed is terminated.
    (
      nap=""
      trap 'kill "$nap" 2>/dev/null; exit 0' TERM
      sleep 10 &
      nap=$!
      wait "$nap"
      kill -TERM "$pid" 2>/dev/null || true
    ) &
    watchdog=$!
    wait "$pid" 2>/dev/null || true
    kill -TERM "$watchdog" 2>/dev/null || true
    wait "$watchdog" 2>/dev/null || true
    unset "server_pid[$name]"
  done
}
cleanup() {
  local status=$?
  stop_servers
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Runs one measurement: `measure LABEL command...`; appends "LABEL<TAB>json" lines to $raw.
measure() {
  local label="$1"
  shift
  local status=0
  (close_server_fds && exec timeout "$client_timeout" "$@") >"$work/out" 2>"$work/err" || status=$?
  if ((status != 0)); then
    local reason
    reason="$(tail -n 1 "$work/err" | tr -d '"\\\t')"
    echo "    failed (exit $status): $reason" >&2
    printf '%s\t{"error": "exit %s: %s"}\n' "$label" "$status" "$reason" >>"$raw"
    return 0
  fi
  local line
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    printf '%s\t%s\n' "$label" "$line" >>"$raw"
    echo "    $line" >&2
  done <"$work/out"
}

# The command of an implementation's benchmark program.
swift_command=("$bench")
pyarrow_command=("$python" "$peer")
command_of() { # impl -> sets `command`
  if [[ "$1" == swift ]]; then command=("${swift_command[@]}"); else command=("${pyarrow_command[@]}"); fi
}

step "IPC stream write/read in memory, $ipc_mb MiB per figure (Swift, then pyarrow)"
for ((run = 1; run <= repeat; run++)); do
  measure "ipc:swift" "${swift_command[@]}" ipc --size-mb "$ipc_mb"
  measure "ipc:pyarrow" "${pyarrow_command[@]}" ipc --size-mb "$ipc_mb"
done

step "Starting the Swift and pyarrow benchmark servers"
start_server swift "${swift_command[@]}" serve --port 0
start_server pyarrow "${pyarrow_command[@]}" serve --port 0
echo "    Swift server on port ${server_port[swift]}, pyarrow server on port ${server_port[pyarrow]}" >&2

pairings=("swift swift" "swift pyarrow" "pyarrow swift" "pyarrow pyarrow")
for op in doget doput; do
  for rows in 4096 65536; do
    step "Flight $op, $flight_mb MiB in batches of $rows rows"
    for ((run = 1; run <= repeat; run++)); do
      for pairing in "${pairings[@]}"; do
        read -r client server <<<"$pairing"
        echo "  $client client -> $server server" >&2
        command_of "$client"
        measure "flight:$client:$server:$op:$rows" "${command[@]}" client \
          --location "grpc://localhost:${server_port[$server]}" --op "$op" --size-mb "$flight_mb" --rows-per-batch "$rows"
      done
    done
  done
done

step "Flight GetFlightInfo, $calls sequential calls"
for ((run = 1; run <= repeat; run++)); do
  for pairing in "${pairings[@]}"; do
    read -r client server <<<"$pairing"
    echo "  $client client -> $server server" >&2
    command_of "$client"
    measure "flight:$client:$server:getflightinfo:" "${command[@]}" client \
      --location "grpc://localhost:${server_port[$server]}" --op getflightinfo --calls "$calls"
  done
done
stop_servers

load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
mode="full"
((quick)) && mode="--quick"
step "Results (also in $output)"
"$python" "$repo/Scripts/bench/bench_table.py" "$raw" \
  --note "Scripts/bench.sh ($mode, best of $repeat), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($cpu)," \
  --note "load average $load_start at start, $load_end at end. IPC: $ipc_mb MiB per figure, in memory;" \
  --note "Flight: $flight_mb MiB per figure over loopback, client and server in separate processes; GetFlightInfo: $calls calls." \
  --note "MB/s = 10^6 bytes of Arrow buffers per second; vs pyarrow = ratio to pyarrow (IPC) or pyarrow → pyarrow (Flight)." \
  >"$output"
cat "$output"

#!/usr/bin/env bash
# The demo: the `flight` tool serves its sample tables (`flight serve`), lists them, uploads
# an Arrow file that pyarrow generates, and fetches it back as a printed table.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

step() { printf '==> %s\n' "$*"; }
startup_timeout=60

step "Checking the environment (Debian packages, Python .venv with pyarrow)"
Scripts/bootstrap.sh

step "Building the flight tool (swift build --product flight)"
swift build --quiet --product flight
flight="$(swift build --show-bin-path)/flight"

# `flight serve` prints `Server listening on localhost:<port>` as its first stdout line and
# shuts down gracefully on SIGTERM. A FIFO lets this script read that line without sleeping.
work="$(mktemp -d)"
server_pid=""
# Sends SIGTERM to the server and waits for it; a watchdog sends SIGKILL after 5 s if it has
# not exited by then. Idempotent.
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    (
      nap=""
      trap 'kill "$nap" 2>/dev/null; exit 0' TERM
      sleep 5 & nap=$!; wait "$nap"
      kill -KILL "$server_pid" 2>/dev/null || true
    ) &
    local watchdog=$!
    wait "$server_pid" 2>/dev/null || true
    kill -TERM "$watchdog" 2>/dev/null || true
    wait "$watchdog" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  local status=$?
  stop_server
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Starting the server: flight serve --port 0"
mkfifo "$work/stdout"
"$flight" serve --port 0 >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
exec {server_out}<"$work/stdout"

line=""
if ! IFS= read -r -t "$startup_timeout" line <&"$server_out" || [[ "$line" != "Server listening on localhost:"* ]]; then
  echo "error: flight serve did not announce its port within ${startup_timeout}s (got: '${line}')" >&2
  echo "--- server stderr ---" >&2
  cat "$work/stderr" >&2 || true
  exit 1
fi
port="${line##*:}"
# Keep draining the server's stdout so it can never block on a full pipe.
cat <&"$server_out" >>"$work/stderr" &
exec {server_out}<&-
location="grpc://localhost:$port"
echo "    $line"

step "flight list --location $location"
"$flight" list --location "$location"

step "Generating a small Arrow file with pyarrow ($work/measurements.arrow)"
.venv/bin/python - "$work/measurements.arrow" <<'PYTHON'
import sys

import pyarrow as pa

table = pa.table(
    {
        "station": ["Oslo", "Lima", "Pune", "Oslo", "Lima"],
        "day": pa.array([1, 1, 1, 2, 2], pa.int32()),
        "temperature": [-3.5, 19.25, 31.0, None, 18.5],
    }
)
with pa.OSFile(sys.argv[1], "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
    writer.write_table(table)
PYTHON

step "flight put --path demo/measurements --input measurements.arrow"
"$flight" put --location "$location" --path demo/measurements --input "$work/measurements.arrow"

step "flight list (again)"
"$flight" list --location "$location"

step "flight get --path demo/measurements"
echo
"$flight" get --location "$location" --path demo/measurements
echo

step "Stopping the server (SIGTERM)"
stop_server
echo "Done."

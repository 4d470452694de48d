#!/usr/bin/env bash
# The demo: a Swift Flight client (the flight-demo executable) talking to a live pyarrow
# Flight server (Tests/Peers/pyarrow_server.py) on localhost.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

step() { printf '==> %s\n' "$*"; }
startup_timeout=60

step "Checking the environment (Debian packages, Python .venv with pyarrow)"
Scripts/bootstrap.sh

step "Building the Swift demo client (swift build --product flight-demo)"
swift build --quiet --product flight-demo
demo="$(swift build --show-bin-path)/flight-demo"

# The peer protocol (Tests/Peers/README.md): first stdout line announces the port; the peer
# exits when its stdin closes. FIFOs let this script hold both ends without sleeping.
work="$(mktemp -d)"
peer_pid=""
peer_in=""
# Closes the peer's stdin (it shuts down on EOF) and waits for it; a watchdog sends SIGTERM
# after 5 s and SIGKILL 2 s later if it has not exited by then. Idempotent.
stop_peer() {
  if [[ -n "$peer_in" ]]; then
    exec {peer_in}>&-
    peer_in=""
  fi
  if [[ -n "$peer_pid" ]]; then
    (
      trap 'kill "$nap" 2>/dev/null; exit 0' TERM
      sleep 5 & nap=$!; wait "$nap"
      kill -TERM "$peer_pid" 2>/dev/null || exit 0
      sleep 2 & nap=$!; wait "$nap"
      kill -KILL "$peer_pid" 2>/dev/null || true
    ) &
    local watchdog=$!
    wait "$peer_pid" 2>/dev/null || true
    kill -TERM "$watchdog" 2>/dev/null || true
    wait "$watchdog" 2>/dev/null || true
    peer_pid=""
  fi
}
cleanup() {
  local status=$?
  stop_peer
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Starting the pyarrow Flight server (Tests/Peers/pyarrow_server.py)"
mkfifo "$work/stdin" "$work/stdout"
.venv/bin/python Tests/Peers/pyarrow_server.py --port 0 <"$work/stdin" >"$work/stdout" 2>"$work/stderr" &
peer_pid=$!
exec {peer_in}>"$work/stdin"
exec {peer_out}<"$work/stdout"

line=""
if ! IFS= read -r -t "$startup_timeout" line <&"$peer_out" || [[ "$line" != "Server listening on localhost:"* ]]; then
  echo "error: the pyarrow server did not announce its port within ${startup_timeout}s (got: '${line}')" >&2
  echo "--- server stderr ---" >&2
  cat "$work/stderr" >&2 || true
  exit 1
fi
port="${line##*:}"
# Keep draining the server's stdout so it can never block on a full pipe. Children must not
# inherit the write end of the server's stdin, or closing ours would not reach it as EOF.
cat <&"$peer_out" >>"$work/stderr" {peer_in}>&- &
exec {peer_out}<&-
location="grpc://localhost:$port"
echo "    pyarrow server is up at $location"

step "Running the Swift client: flight-demo --location $location"
echo
"$demo" --location "$location" {peer_in}>&-
echo

step "Stopping the pyarrow server"
stop_peer
echo "Done."

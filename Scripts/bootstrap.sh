#!/usr/bin/env bash
# Installs what building and testing need, and nothing when it is all there already:
#   - the Debian packages for gRPC core, OpenSSL, protobuf-c, LZ4, Zstd and pkg-config;
#   - a Python virtualenv in <repo>/.venv with the pins of Scripts/requirements.txt.
# Idempotent and silent on the fast path. Works from any directory.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requirements="$repo/Scripts/requirements.txt"
venv="$repo/.venv"
stamp="$venv/.requirements.sha256"

say() { printf 'bootstrap: %s\n' "$*" >&2; }

# One bootstrap at a time per checkout (test.sh and demo.sh may both call it).
lock="${TMPDIR:-/tmp}/flight-bootstrap-$(printf '%s' "$repo" | sha256sum | cut -c1-16).lock"
exec 9>"$lock"
flock 9

# --- Debian packages --------------------------------------------------------------------
debian_packages=(
  libgrpc-dev libssl-dev libprotobuf-c-dev protobuf-c-compiler
  liblz4-dev libzstd-dev pkg-config openssl
)
missing=()
for package in "${debian_packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  sudo=()
  if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python virtualenv ------------------------------------------------------------------
base_python="${FLIGHT_BOOTSTRAP_PYTHON:-python3}"
want_hash="$(sha256sum "$requirements" | cut -d' ' -f1)"

# The venv is healthy when its interpreter runs and every pinned package is importable
# (find_spec does not import the heavy modules, so this stays fast).
venv_healthy() {
  [[ -x "$venv/bin/python" ]] || return 1
  "$venv/bin/python" - <<'PY' >/dev/null 2>&1
import importlib.util, sys
mods = ("pyarrow", "pyarrow.flight", "numpy", "grpc", "cryptography", "google.protobuf")
sys.exit(0 if all(importlib.util.find_spec(m) for m in mods) else 1)
PY
}

have_hash="$(cat "$stamp" 2>/dev/null || true)"
if [[ "$have_hash" != "$want_hash" ]] || ! venv_healthy; then
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c '' >/dev/null 2>&1; then
    say "creating $venv with $("$base_python" --version 2>&1)"
    rm -rf "$venv"
    "$base_python" -m venv "$venv"
  fi
  say "installing Python packages from Scripts/requirements.txt into .venv"
  rm -f "$stamp"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  if ! venv_healthy; then
    say "error: .venv is still missing packages after pip install"
    exit 1
  fi
  printf '%s\n' "$want_hash" >"$stamp"
fi

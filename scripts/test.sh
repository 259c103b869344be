#!/usr/bin/env bash
# Runs every test of DSAR desk. On a fresh Debian machine it first installs what the build
# needs (compiler, perl and make for the vendored OpenSSL of SQLCipher, python3 for the
# independent SQLite check).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v cc >/dev/null || need+=(build-essential)
command -v perl >/dev/null || need+=(perl)
command -v make >/dev/null || need+=(make)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v python3 >/dev/null || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust (https://rustup.rs) and run this again" >&2
  exit 1
fi

# Debug info off: halves build time and disk on a 2-core machine.
export CARGO_PROFILE_DEV_DEBUG=0
cargo test --workspace --locked

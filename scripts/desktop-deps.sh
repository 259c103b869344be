#!/usr/bin/env bash
# Installs what building the desktop app needs on Debian: the compiler and pkg-config, perl and
# make for SQLCipher's vendored OpenSSL, Tauri's system libraries (WebKitGTK, appindicator,
# rsvg, xdo), and Node.js for the UI. Shared by scripts/run.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-packages.sh cc:build-essential perl:perl make:make pkg-config:pkg-config python3:python3
# Tauri's libraries have no command to look for, so ask pkg-config; the "lib-…" names never
# exist as commands, which makes ensure-packages install them.
pkg-config --exists webkit2gtk-4.1 ayatana-appindicator3-0.1 librsvg-2.0 openssl 2>/dev/null ||
  bash scripts/ensure-packages.sh lib-webkit:libwebkit2gtk-4.1-dev lib-ssl:libssl-dev lib-xdo:libxdo-dev \
    lib-appindicator:libayatana-appindicator3-dev lib-rsvg:librsvg2-dev
bash scripts/ensure-packages.sh node:nodejs npm:npm fc-list:fontconfig
if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust (https://rustup.rs) and run this again" >&2
  exit 1
fi

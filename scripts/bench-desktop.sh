#!/usr/bin/env bash
# Desktop benchmark: cold start, memory and filtering 100 000 cases in the real window (release
# build, Xvfb, tauri-driver). The 100 000-case desk is generated once under target/bench-data.
# Prints the figures against issue 5's targets and WebKitGTK's MiniBrowser as the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/desktop-deps.sh
(cd ui && npm ci --no-audit --no-fund --silent && npm run build --silent >/dev/null)
cargo build --release --locked -p dsar-desk --bin dsar-desk
cargo build --release --locked --bin dsar
db="$PWD/target/bench-data/desktop-100k/desk.db"
pass="benchmark passphrase"
if [ ! -f "$db" ]; then
  mkdir -p "$(dirname "$db")"
  DSAR_PASSPHRASE="$pass" target/release/dsar --db "$db" demo --force --extra-cases 100000
fi
export DSAR_DESK_BIN="$PWD/target/release/dsar-desk" BENCH_DB="$db" BENCH_PASS="$pass"
cd tests/e2e
bash ./run.sh --setup-only
exec xvfb-run -a -s "-screen 0 1280x1024x24" node bench-desktop.mjs

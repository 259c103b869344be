#!/usr/bin/env bash
# Runs every test of DSAR desk. On a fresh Debian machine it first installs what the build
# needs (compiler, perl and make for the vendored OpenSSL of SQLCipher, python3 for the
# independent SQLite check).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each step says when it starts, so a slow or stuck run shows where its time went.
run_start=$SECONDS
step() { echo "== test.sh: $1 (at $(( (SECONDS - run_start) / 60 )) min $(( (SECONDS - run_start) % 60 )) s)"; }
step "installing what the machine lacks"

# Build tools, Tauri's system libraries and Node.js (shared with scripts/run.sh).
bash scripts/desktop-deps.sh
# Letters: the PDF checks (tests/letters.rs) use poppler's pdftotext/pdfinfo and qpdf.
bash scripts/ensure-packages.sh qpdf:qpdf pdftotext:poppler-utils pdfinfo:poppler-utils

# Independent peers of the bundle and mail tests: unzip and 7z open the bundles, zip is the
# bundle benchmark's baseline, check-jsonschema validates the manifest, aiosmtpd (a real SMTP
# server on 127.0.0.1) receives the e-mails; stopped again however the run ends.
bash scripts/ensure-packages.sh unzip:unzip 7z:p7zip-full zip:zip openssl:openssl
PATH="$(bash scripts/python-peers.sh):$PATH"
export PATH
cleanup=("bash scripts/smtp-server.sh stop")
trap 'for c in "${cleanup[@]}"; do $c || true; done' EXIT
SMTP_ENV="$(bash scripts/smtp-server.sh start)"
eval "$SMTP_ENV"
# A real IMAP server (Dovecot, installed when missing) for tests/imap.rs: TLS and plain ports
# on 127.0.0.1, run from its own configuration under target/imap-test; stopped afterwards
# unless it was already running (another run in this tree may still use it).
bash scripts/imap-server.sh env >/dev/null 2>&1 || cleanup+=("bash scripts/imap-server.sh stop")
IMAP_ENV="$(bash scripts/imap-server.sh start)"
eval "$IMAP_ENV"

# Tests that rewrite their expectations when these are set would pass whatever the code does.
unset UPDATE_SNAPSHOTS UPDATE_BINDINGS
# Debug info off: halves build time and disk on a 2-core machine.
export CARGO_PROFILE_DEV_DEBUG=0
# The postgres/mysql connector tests need real servers: PostgreSQL and MariaDB on 127.0.0.1
# (own ports, temporary data), installed when missing; stopped again afterwards unless they
# were already running before.
sql_servers_were_running=0
bash scripts/sql-servers.sh env >/dev/null 2>&1 && sql_servers_were_running=1
[ "$sql_servers_were_running" -eq 1 ] || cleanup+=("bash scripts/sql-servers.sh stop")
eval "$(bash scripts/sql-servers.sh start)"
# The desktop UI: install from the lockfile, type-check, unit tests, and the build the shell
# embeds (the dsar-desk binary carries ui/dist, so the UI is built before cargo).
step "the desktop UI: type check, unit tests, build"
if [ -f ui/package.json ]; then (cd ui && npm ci --no-audit --no-fund && npm run check && npm test && npm run build); fi
log="$(mktemp)"
cleanup+=("rm -f $log")
step "cargo test (the core, the CLI, the desktop shell)"
cargo test --workspace --locked 2>&1 | tee "$log"
step "fuzz smoke"
# --- fuzz smoke (scripts/fuzz.sh) ---
# Every fuzz target (fuzz/, docs/robustness.md) for 5 s after replaying its saved
# reproducers; one `test result:` line per target joins the closing count, a crash fails.
FUZZ_SECONDS=5 bash scripts/fuzz.sh --smoke 2>&1 | tee -a "$log"
# --- end fuzz smoke ---
# The desktop app in a real window (Xvfb + tauri-driver + WebKitWebDriver), driven like a user.
step "the desktop app end to end"
cargo build --workspace --locked --bins
# Bounded: a window that never answers fails the run with the tests' own output, well before
# CI's limit (each test also has its own 5-minute limit in run.sh).
timeout --signal=TERM --kill-after=30 2400 bash tests/e2e/run.sh 2>&1 | tee -a "$log"
step "the .deb: built by Tauri's bundler, installed with dpkg, started, removed"
bash scripts/deb.sh --test 2>&1 | tee -a "$log"
step "benchmark smoke"
# Every benchmark once on small data (dev profile, gates computed, not enforced): their code
# cannot rot between full runs.
bash scripts/bench.sh --smoke
step "done"
# One closing line over all test binaries and the E2E tests.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     /^ℹ pass [0-9]+$/ { p += $3 } /^ℹ fail [0-9]+$/ { f += $3 }
     END { printf "%d passed, %d failed\n", p, f }' "$log"

#!/usr/bin/env bash
# Runs the end-to-end tests in the real desktop window: Xvfb, tauri-driver, WebKitWebDriver.
# Expects target/debug/dsar-desk and target/debug/dsar built (scripts/test.sh builds them) and
# the Python peers (scripts/python-peers.sh). Screenshots land in target/e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
bash "$ROOT/scripts/ensure-packages.sh" xvfb-run:xvfb xauth:xauth WebKitWebDriver:webkit2gtk-driver \
  lib-gl:libgl1-mesa-dri fc-list:fontconfig unzip:unzip pdftotext:poppler-utils
# Mesa's software renderer draws the window: the DRI package has no command to check for.
[ -e /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so ] || [ -e /usr/lib/x86_64-linux-gnu/dri/kms_swrast_dri.so ] \
  || bash "$ROOT/scripts/ensure-packages.sh" lib-mesa-dri:libgl1-mesa-dri
command -v tauri-driver >/dev/null || [ -x "$HOME/.cargo/bin/tauri-driver" ] \
  || cargo install tauri-driver --locked --version 2.1.0
bash "$ROOT/scripts/python-peers.sh" >/dev/null
npm ci --silent --no-audit --no-fund
[ "${1:-}" = "--setup-only" ] && exit 0
# A fresh set of screenshots per run; scripts/deb.sh adds its own to the set just made.
[ -n "${E2E_KEEP_SCREENSHOTS:-}" ] || rm -rf "$ROOT/target/e2e/screenshots"
# The mail tests need a real SMTP server: scripts/test.sh has one running already (and says
# where in DSAR_TEST_SMTP); run alone, this script starts one and stops it at the end.
if [ -z "${DSAR_TEST_SMTP:-}" ]; then
  trap 'bash "$ROOT/scripts/smtp-server.sh" stop' EXIT
  eval "$(bash "$ROOT/scripts/smtp-server.sh" start)"
  export DSAR_TEST_SMTP
fi
# Test files: all, or those named as arguments.
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(*.test.mjs)
# A test file ends when its tests have: a process a test left behind must not hold it open
# (the last CI run waited at the end of one until its limit). Node ≥ 20.14 has the flag.
force=(); node --help | grep -q -- --test-force-exit && force=(--test-force-exit)
xvfb-run -a -s "-screen 0 1280x1024x24" node --test --test-concurrency=1 --test-timeout=300000 "${force[@]}" --test-reporter=spec "${files[@]}"

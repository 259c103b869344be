#!/usr/bin/env bash
# The Debian package, made by Tauri's bundler from the debug build (the CLI is the prebuilt
# @tauri-apps/cli of ui/node_modules: no tauri-cli compile on a fresh machine).
#
#   bash scripts/deb.sh          build "target/debug/bundle/deb/DSAR desk_<version>_amd64.deb":
#                                the desktop app (/usr/bin/dsar-desk, menu entry, icon) and the
#                                `dsar` command line (/usr/bin/dsar)
#   bash scripts/deb.sh --test   build it, install it with dpkg -i, start the installed app in a
#                                real window (tests/e2e/deb-install.mjs), remove it with dpkg -r
#                                and check that nothing of it is left
#
# Expects target/debug/dsar built (scripts/test.sh builds every binary first); the bundler
# builds dsar-desk itself (the same cargo build, so nothing is compiled twice).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
# Same profile settings as scripts/test.sh, so the bundler's cargo build reuses its artifacts.
export CARGO_PROFILE_DEV_DEBUG=0

[ -x ui/node_modules/.bin/tauri ] || (cd ui && npm ci --no-audit --no-fund)
[ -x "$TARGET/debug/dsar" ] || cargo build --locked --bin dsar
# The command line goes into the same package: one install gives the DPO both.
extra=$(printf '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/dsar":"%s"}}}}}' "$TARGET/debug/dsar")
(cd src-tauri && ../ui/node_modules/.bin/tauri build --debug --bundles deb --ci --config "$extra")

version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' src-tauri/tauri.conf.json)"
deb="$TARGET/debug/bundle/deb/DSAR desk_${version}_amd64.deb"
[ -f "$deb" ] || { echo "deb.sh: the bundler did not write $deb" >&2; ls "$TARGET/debug/bundle/deb" >&2 || true; exit 1; }
echo "deb.sh: built $deb ($(du -k "$deb" | cut -f1) KiB)"
[ "${1:-}" = "--test" ] || exit 0

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
# A machine that has the package already (an earlier run stopped half-way): start clean.
$SUDO dpkg -r dsar-desk >/dev/null 2>&1 || true
# dpkg -i, as a DPO would on a machine with the desktop libraries; their absence is a failure
# of the package's Depends, which dpkg reports.
$SUDO dpkg -i "$deb"
dpkg -s dsar-desk | sed -n 's/^\(Version\|Depends\): /deb.sh: \1: /p'
status=0
E2E_KEEP_SCREENSHOTS=1 DSAR_DESK_BIN=/usr/bin/dsar-desk DSAR_BIN=/usr/bin/dsar bash tests/e2e/run.sh deb-install.mjs || status=$?
$SUDO dpkg -r dsar-desk
left=()
for f in /usr/bin/dsar-desk /usr/bin/dsar "/usr/share/applications/DSAR desk.desktop"; do
  [ -e "$f" ] && left+=("$f")
done
if [ ${#left[@]} -gt 0 ]; then
  echo "deb.sh: dpkg -r left ${left[*]}" >&2
  exit 1
fi
echo "deb.sh: installed, started, removed; nothing left"
exit "$status"

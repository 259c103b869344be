#!/usr/bin/env bash
# Builds DSAR desk and opens it on the demo desk: Jaimo Solutions' register, its systems as
# files beside the database, ~30 cases in every state (created in the app's data folder on the
# first run; passphrase dsar-demo-passphrase). Lock it and create your own desk from the unlock
# screen. On a machine without a screen the window opens on a virtual display (Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/desktop-deps.sh
(cd ui && npm ci --no-audit --no-fund --silent && npm run build --silent)
cargo build --locked -p dsar-desk --bin dsar-desk
app="$PWD/target/debug/dsar-desk"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" --demo "$@"
fi
bash scripts/ensure-packages.sh xvfb-run:xvfb xauth:xauth
[ -e /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so ] || bash scripts/ensure-packages.sh lib-mesa-dri:libgl1-mesa-dri
echo "No screen here: DSAR desk runs on a virtual display (Xvfb) until you press Ctrl-C." >&2
exec xvfb-run -a -s "-screen 0 1280x1024x24" "$app" --demo "$@"

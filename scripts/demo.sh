#!/usr/bin/env bash
# Runs DSAR desk on a fresh demo database (a real firm's register and ~30 cases in every
# state) and shows the desk: the case list with days left, then the most urgent case.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-packages.sh cc:build-essential perl:perl make:make python3:python3
export CARGO_PROFILE_DEV_DEBUG=0
cargo build --quiet --locked --bin dsar

export DSAR_DB="${DSAR_DB:-$PWD/target/demo/dsar-demo.db}"
export DSAR_PASSPHRASE="${DSAR_PASSPHRASE:-dsar-demo-passphrase}"
dsar=target/debug/dsar
$dsar demo --force
echo
$dsar case list --limit 100
first=$($dsar case list --overdue --limit 1 --json | python3 -c 'import json,sys; c=json.load(sys.stdin)["cases"]; print(c[0]["reference"] if c else "")' 2>/dev/null || true)
if [ -n "$first" ]; then
  echo; echo "Most urgent case:"; $dsar case show "$first"
fi
echo
echo "Database: $DSAR_DB (passphrase: $DSAR_PASSPHRASE). Try: DSAR_DB=$DSAR_DB DSAR_PASSPHRASE=$DSAR_PASSPHRASE $dsar case --help"

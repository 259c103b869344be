#!/usr/bin/env bash
# The benchmarks. `--smoke` (CI) runs desk, pull, letters, bundle and acting_postgres on small data in the dev
# profile (the test build's artefacts, no release build), printing their figures; gates are
# computed but not enforced there — the point is that no benchmark's code or gate can rot.
# Without it: the full runs with their gates (release build), as the README lists them.
#   bash scripts/bench.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_PROFILE_DEV_DEBUG=0
if [ "${1:-}" = "--smoke" ]; then
  export BENCH_SMOKE=1 OTHERS=2000
  for b in desk pull letters bundle acting_postgres; do
    echo "== bench $b (smoke)"
    cargo bench --locked --profile dev --bench "$b"
  done
  echo "postgres, logs and desktop: full runs only (their data sets are the point: 9 M rows, 1 GiB of logs, a release window); acting_postgres smoke: 10 000 customers, dev build"
  exit 0
fi
for b in desk pull letters bundle postgres acting_postgres; do
  echo "== bench $b"
  cargo bench --locked --bench "$b"
done
bash scripts/bench-logs.sh
bash scripts/bench-desktop.sh

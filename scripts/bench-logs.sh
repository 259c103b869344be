#!/usr/bin/env bash
# Benchmark of the logs connector against ripgrep (SPEC §9 "a pull over a gigabyte of log
# files runs at disk speed"). Installs ripgrep and gzip if missing, then runs the benchmark;
# the first run generates about 1.1 GiB of logs under target/bench-data/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-packages.sh rg:ripgrep gzip:gzip
export CARGO_PROFILE_DEV_DEBUG=0
cargo bench --bench logs "$@"

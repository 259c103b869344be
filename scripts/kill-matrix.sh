#!/usr/bin/env bash
# The kill matrix at full size: 1 002 SIGKILLs (167 per kind of work: case creation, pull
# writes, export, backup, restore, migration) at random moments, each followed by the checks
# of tests/kills.rs (the desk opens, integrity_check, audit chain, every committed action
# kept, no half-written file under a name the user chose). CI runs 6 per kind.
#   bash scripts/kill-matrix.sh [KILLS_PER_KIND]
set -euo pipefail
cd "$(dirname "$0")/.."
# Release: the checks after each kill verify an audit chain that grows to ~50 000 events.
export CARGO_PROFILE_DEV_DEBUG=0
KILLS="${1:-167}" cargo test --release --locked -p dsar --test kills -- --nocapture 2>&1 | grep -E "kill matrix|panicked|test result"

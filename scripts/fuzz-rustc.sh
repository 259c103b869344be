#!/usr/bin/env bash
# RUSTC_WRAPPER for the fuzz smoke (scripts/fuzz.sh --smoke): libFuzzer's coverage
# instrumentation for our own code only — the `dsar` crate built with its `fuzzing` feature,
# and the fuzz targets — while every dependency compiles as in `cargo test`'s debug build
# (reused from it where its features match). cargo-fuzz instruments the whole tree; --long does.
rustc="$1"; shift
instrument=0
case "${CARGO_PKG_NAME:-}" in
  dsar-fuzz) instrument=1 ;;
  dsar) for a in "$@"; do [ "$a" = 'feature="fuzzing"' ] && instrument=1; done ;;
esac
for a in "$@"; do [ "$a" = build_script_build ] && instrument=0; done
if [ "$instrument" -eq 1 ]; then
  exec "$rustc" "$@" -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
    -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
    -Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
    -Cllvm-args=-simplifycfg-branch-fold-threshold=0 --cfg fuzzing
fi
exec "$rustc" "$@"

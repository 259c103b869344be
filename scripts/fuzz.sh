#!/usr/bin/env bash
# Fuzzes the dsar crate's parsers with libFuzzer (libfuzzer-sys; fuzz/, docs/robustness.md).
#
#   bash scripts/fuzz.sh --smoke            every target for FUZZ_SECONDS (default 5) seconds,
#                                           after replaying fuzz/regressions/<target>/; prints
#                                           one cargo-style `test result:` line per target and
#                                           exits non-zero if any target crashed
#   bash scripts/fuzz.sh --long [SECONDS]   every target until 1,000,000 executions or SECONDS
#                                           (default 360), then a table: executions, exec/s,
#                                           peak RSS, crashes
#   bash scripts/fuzz.sh --replay           only the saved reproducers, the open ones included
#                                           (fuzz/regressions/<target>/open/: not fixed yet)
#
# FUZZ_TARGETS="deadline identifier" limits the run to those targets. Limits per target: no
# input may take over 10 s, the process may not pass 1 GiB RSS, and no single allocation may
# pass 1 GiB (libFuzzer's -malloc_limit_mb needs a sanitizer's hooks; the targets are built
# without one, so fuzz/src/lib.rs enforces it). Crash inputs land in fuzz/artifacts/<target>/.
#
# Stable Rust only, and no cargo-fuzz: the flags cargo-fuzz 0.13 passes with `-s none` are all
# stable, so this script passes them itself (one tool less to compile on a fresh machine).
#   --smoke  the debug build in the root's target/ (fuzz/Cargo.toml has the root's dev
#            profile): a dependency `cargo test` built with the same features is reused;
#            libFuzzer's coverage instrumentation goes into our own code only
#            (scripts/fuzz-rustc.sh). See docs/robustness.md for what that saves and what not.
#   --long / --replay  cargo-fuzz's release build: optimised, debug assertions and overflow
#            checks on (an overflow is a panic, so a crash), the whole tree instrumented, in
#            fuzz/target/. No sanitizer (safe Rust: ASan adds little and costs speed), 16
#            codegen units (the build is most of the time on a 2-core machine).
# Everything runs under `nice` so a shared machine stays usable.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-}"
case "$mode" in
  --smoke) seconds="${FUZZ_SECONDS:-5}" ;;
  --long) seconds="${2:-360}" ;;
  --replay) seconds=0 ;;
  *) echo "usage: bash scripts/fuzz.sh --smoke | --long [SECONDS] | --replay" >&2; exit 2 ;;
esac

targets=(${FUZZ_TARGETS:-register_parse identifier record_match letter_markup letter_text deadline bundle_verify http_answer file_rewrite intake_eml})
# libFuzzer is C++ (built by libfuzzer-sys).
bash scripts/ensure-packages.sh c++:g++ make:make perl:perl

build_start=$SECONDS
if [ "$mode" = --smoke ]; then
  target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
  echo "fuzz: building the targets (debug, sharing $target_dir with cargo test)"
  CARGO_TARGET_DIR="$target_dir" RUSTC_WRAPPER="$PWD/scripts/fuzz-rustc.sh" \
    nice -n 15 cargo build --manifest-path fuzz/Cargo.toml --locked --bins
  bin_dir="$target_dir/debug"
else
  triple="$(rustc -vV | sed -n 's/^host: //p')"
  echo "fuzz: building the targets (release, the whole tree instrumented, fuzz/target)"
  # --target keeps these flags away from build scripts and proc macros, as cargo-fuzz does.
  RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
-Cllvm-args=-simplifycfg-branch-fold-threshold=0 --cfg fuzzing -Cdebug-assertions \
-Coverflow-checks -Ccodegen-units=16" CARGO_TARGET_DIR="$PWD/fuzz/target" \
    nice -n 15 cargo build --manifest-path fuzz/Cargo.toml --locked --bins --release --target "$triple"
  bin_dir="fuzz/target/$triple/release"
fi
echo "fuzz: built in $((SECONDS - build_start)) s"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export DSAR_FUZZ_TMP="$scratch/tmp"
mkdir -p "$DSAR_FUZZ_TMP"

dict_of() {
  case "$1" in
    register_parse|record_match|http_answer|file_rewrite) echo "-dict=fuzz/dicts/json.dict" ;;
    letter_markup) echo "-dict=fuzz/dicts/markup.dict" ;;
  esac
}

# Prints the value of libFuzzer's final `stat::NAME:` line in a log.
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

failed=0
rows=()
for t in "${targets[@]}"; do
  log="$scratch/$t.log"
  : >"$log"
  status=0
  # Fixed crashes stay fixed: every saved reproducer must run clean. Reproducers of crashes
  # not fixed yet wait in fuzz/regressions/<target>/open/ (moved up one level by the fix);
  # --replay runs those too. `.gz` reproducers (zip bombs) are unpacked first.
  replay=()
  for f in fuzz/regressions/"$t"/* fuzz/regressions/"$t"/open/*; do
    [ -f "$f" ] || continue
    case "$f" in */open/*) [ "$mode" = --replay ] || continue ;; esac
    case "$f" in
      *.gz) out="$scratch/$t-$(basename "${f%.gz}")"; gzip -dc "$f" >"$out"; replay+=("$out") ;;
      *) replay+=("$f") ;;
    esac
  done
  open=(fuzz/regressions/"$t"/open/*)
  if [ "$mode" != --replay ] && [ -e "${open[0]}" ]; then
    echo "fuzz $t: ${#open[@]} known crash(es) not fixed yet in fuzz/regressions/$t/open/ (bash scripts/fuzz.sh --replay)" >&2
  fi
  for f in "${replay[@]}"; do
    if ! nice -n 15 "$bin_dir/$t" -rss_limit_mb=1024 -malloc_limit_mb=1024 -timeout=10 "$f" >>"$log" 2>&1; then
      status=1
      echo "fuzz $t: reproducer ${f##*/} crashes" >&2
      [ "$mode" = --replay ] || break
    fi
  done
  if [ "$mode" = --replay ]; then
    if [ "$status" -eq 0 ]; then echo "fuzz $t: ${#replay[@]} reproducer(s) run clean"; fi
    if [ "$status" -ne 0 ]; then
      failed=$((failed + 1))
      grep -aE '^(==|thread |SUMMARY|panicked)' "$log" >&2 || true
    fi
    continue
  fi
  if [ "$status" -eq 0 ]; then
    work="fuzz/work/$t"
    mkdir -p "$work" "fuzz/artifacts/$t"
    runs=()
    [ "$mode" = --long ] && runs=(-runs=1000000)
    # shellcheck disable=SC2046
    if ! nice -n 15 "$bin_dir/$t" "$work" "fuzz/corpus/$t" $(dict_of "$t") "${runs[@]}" \
        -max_total_time="$seconds" -rss_limit_mb=1024 -malloc_limit_mb=1024 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" >>"$log" 2>&1; then
      status=1
    fi
  fi
  execs="$(final_stat number_of_executed_units "$log")"
  rate="$(final_stat average_exec_per_sec "$log")"
  rss="$(final_stat peak_rss_mb "$log")"
  crashes=0
  if [ "$status" -ne 0 ]; then
    crashes=1
    failed=$((failed + 1))
    echo "----- fuzz $t: crash (log tail; inputs in fuzz/artifacts/$t/) -----" >&2
    grep -av '^#[0-9]' "$log" | tail -n 40 >&2
    echo "-----" >&2
  fi
  if [ "$mode" = --smoke ]; then
    echo "fuzz $t: ${execs:-0} executions in ${seconds} s, ${rate:-0} exec/s, peak RSS ${rss:-?} MB"
    if [ "$status" -eq 0 ]; then
      echo "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out"
    else
      echo "test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out"
    fi
  else
    echo "fuzz $t: ${execs:-0} executions, ${rate:-0} exec/s, peak RSS ${rss:-?} MB, ${crashes} crashes"
  fi
  rows+=("$t ${execs:-0} ${rate:-0} ${rss:-?} $crashes")
done

if [ "$mode" = --long ]; then
  echo
  printf '%-16s %12s %8s %14s %8s\n' target executions exec/s "peak RSS (MB)" crashes
  for r in "${rows[@]}"; do
    # shellcheck disable=SC2086
    printf '%-16s %12s %8s %14s %8s\n' $r
  done
fi
[ "$failed" -eq 0 ]

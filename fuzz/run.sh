#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS over its seed corpus, fuzz/corpus/TARGET, which also holds
# the inputs of every crash found so far (as regression cases: libFuzzer runs each corpus input
# first). New inputs go to a scratch corpus under WORK_DIR, never into the source tree; a crash
# input goes to WORK_DIR/artifacts/ and the exit status is non-zero.
#   fuzz/run.sh BINARY TARGET SECONDS WORK_DIR
set -euo pipefail
binary=$1 target=$2 seconds=$3 work=$4
seeds="$(cd "$(dirname "$0")" && pwd)/corpus/$target"
mkdir -p "$work/corpus" "$work/artifacts"
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"

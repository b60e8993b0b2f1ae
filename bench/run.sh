#!/usr/bin/env bash
# `make bench`: hop against nginx on redirects, side by side in one run, plus creates, bulk creates,
# stats reads and memory (bench/harness), then the Google Benchmark micro-benchmarks (bench/micro).
#
#   bench/run.sh [--rss-10m] [--results FILE]   the full run, about 5 minutes
#   bench/run.sh --smoke                        a quick pass for ctest: tiny data, 1 s runs, no speed
#                                               assertions, but the honesty checks still assert
#
# HOP_BINARY names the hop to measure (default: $BUILD_DIR/src/hop, BUILD_DIR defaulting to build);
# BENCH_DATA_DIR is where preloaded stores are cached (default: $BUILD_DIR/bench-data).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
# Absolute, since the harness runs from bench/: a relative path would land in the source tree.
hop=$(realpath -m "${HOP_BINARY:-$build_dir/src/hop}")
data_dir=$(realpath -m "${BENCH_DATA_DIR:-$(dirname "$(dirname "$hop")")/bench-data}")
smoke=0
for arg in "$@"; do [[ $arg == --smoke ]] && smoke=1; done

missing=()
for tool in nginx wrk taskset; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || missing+=("$tool")
done
export PATH=$PATH:/usr/sbin  # nginx lives there, outside a non-root PATH
if ((${#missing[@]})); then
  packages=("${missing[@]/taskset/util-linux}")
  if ((smoke)); then
    # A test run installs nothing: scripts/install-deps.sh --test does, ahead of time.
    echo "bench smoke skipped: ${missing[*]} not installed (scripts/install-deps.sh --test installs them)"
    exit 77
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "The benchmark needs ${missing[*]}. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi
if (($(nproc) < 2)); then
  echo "The benchmark pins the servers to core 0 and wrk to core 1: it needs 2 cores." >&2
  exit 1
fi
[[ -x $hop ]] || { echo "no hop binary at $hop: build first (make build)" >&2; exit 1; }

if ! ((smoke)); then
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "Load before the run: $(cut -d' ' -f1-3 /proc/loadavg)" \
       "(compilers running: $(pgrep -c -x cc1plus || true))"
fi
cd "$root/bench"
python3 -m harness --hop "$hop" --data-dir "$data_dir" "$@"

if ! ((smoke)); then
  echo "Load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  micro=$build_dir/bench/micro/hop_micro_bench
  [[ -x $micro ]] || { echo "no micro-benchmarks at $micro: build first (make build)" >&2; exit 1; }
  taskset -c 0 "$micro" --benchmark_min_time=0.5
fi

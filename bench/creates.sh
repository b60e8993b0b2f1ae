#!/usr/bin/env bash
# Creates and bulk creates alone, as bench/harness/phases.py measures them, in about a minute:
# `hop serve --threads 1` pinned to cpu0 on a SQLite store preloaded with LINKS links (the
# harness's store, built once and cached like the harness does), `wrk -t1` pinned to cpu1.
#
#   bench/creates.sh [SECONDS [LINKS]]    default 10 s per run, 1,000,000 links
#
# Prints, per run, wrk's answered requests per second, links per second, hop's CPU time per link
# (all its threads, from /proc; on a machine shared with other work the fairer figure) and how many
# links the store gained, which must be at least the answered creates: a 201 is a committed link.
# HOP_BINARY names the hop to measure (default: build/src/hop), BENCH_DATA_DIR where the preloaded
# store is cached (default: build/bench-data, shared with bench/run.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Absolute, since the store is built from bench/: a relative path would land in the source tree.
hop=$(realpath -m "${HOP_BINARY:-$root/build/src/hop}")
seconds=${1:-10}
links=${2:-1000000}
data_cache=$(realpath -m "${BENCH_DATA_DIR:-$(dirname "$(dirname "$hop")")/bench-data}")
work=$(mktemp -d /tmp/hop-creates-bench-XXXXXX)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

mkdir -p "$work/data"
if ((links > 0)); then
  cached=$(cd "$root/bench" && python3 -c 'import sys
from harness import dataset
print(dataset.cached_store(sys.argv[1], sys.argv[2], int(sys.argv[3]), lambda m: print(m, file=sys.stderr)))' \
    "$hop" "$data_cache" "$links")
  cp "$cached" "$work/data/hop.db"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
taskset -c 0 "$hop" serve --threads 1 --listen "127.0.0.1:$port" --data-dir "$work/data" \
  --api-rate 0 --create-rate 0 --scan-rate 0 2>"$work/hop.log" &
pid=$!
until grep -q "listening on" "$work/hop.log"; do
  kill -0 "$pid" || { cat "$work/hop.log"; exit 1; }
  sleep 0.05
done
HOP_BENCH_API_KEY=$(cat "$work/data/admin.key")
export HOP_BENCH_API_KEY

echo '{"url":"https://example.com/created"}' >"$work/create.json"
python3 -c 'import json, sys
json.dump({"links": [{"url": f"https://example.com/bulk/{i}"} for i in range(1000)]}, sys.stdout)' \
  >"$work/bulk.json"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
stored() { python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM links").fetchone()[0])' "$work/data/hop.db"; }

run() {  # name, connections, path, body file, links per request
  local before_cpu before_links out requests duration
  before_cpu=$(cpu_ticks)
  before_links=$(stored)
  out=$(taskset -c 1 wrk -t1 "-c$2" "-d${seconds}s" --timeout 5s -s "$root/bench/wrk/fixed.lua" \
    "http://127.0.0.1:$port" -- POST "$3" "$4")
  requests=$(sed -n 's/^BENCH {"requests":\([0-9]*\),.*/\1/p' <<<"$out")
  duration=$(sed -n 's/.*"duration_us":\([0-9]*\),.*/\1/p' <<<"$out")
  python3 - "$1" "$2" "$requests" "$duration" "$5" "$before_cpu" "$(cpu_ticks)" \
    "$(getconf CLK_TCK)" "$before_links" "$(stored)" "$(sed -n 's/.*"status":\([0-9]*\),.*/\1/p' <<<"$out")" <<'EOF'
import sys
name, conns, requests, duration_us, per, cpu0, cpu1, tck, links0, links1, failed = sys.argv[1:]
requests, per = int(requests), int(per)
links = requests * per
seconds = int(duration_us) / 1e6
cpu = (int(cpu1) - int(cpu0)) / int(tck)
print(f"{name:>6} -c{conns}: {requests / seconds:9,.0f} req/s  {links / seconds:9,.0f} links/s  "
      f"{1e6 * cpu / links:6.1f} CPU-us/link  stored +{int(links1) - int(links0):,}"
      + (f"  {failed} ERROR ANSWERS" if failed != "0" else ""))
EOF
}

run create 64 /api/v1/links "$work/create.json" 1
run bulk 4 /api/v1/links/bulk "$work/bulk.json" 1000

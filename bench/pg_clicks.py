"""Click throughput on PostgreSQL: two hop instances on one database, loaded with redirects by wrk.

    scripts/with-postgres.sh python3 bench/pg_clicks.py [--hop build/src/hop] [--links 10000] [--seconds 10]

Loads --links links (aliases as bench/wrk/redirect.lua names them) through the bulk API, starts two instances
with one worker each, has each instance redirect every link once (so that the measured run finds them all in
its caches), then runs one wrk per instance for --seconds on uniformly random codes, so that every flush
writes about as many (link, minute) entries as there are links clicked in it. Then it waits for the
instances to write everything and checks the total in the database against what wrk sent and saw answered.
It prints the redirect rate both instances sustained, how long the last clicks took to reach the database,
and the largest backlog either instance held, which stays near one flush interval's clicks as long as the
flush keeps up. Needs wrk and psql; the machine's cores are shared by hop, wrk and PostgreSQL.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


def code(i):
    """The alias bench/wrk/redirect.lua requests for link i."""
    n = i + 62 ** 6
    digits = []
    for _ in range(7):
        n, r = divmod(n, 62)
        digits.append(ALPHABET[r])
    return "".join(reversed(digits))


def psql(url, sql):
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def start_hop(hop, store, data_dir):
    """An instance with rate limits off (the load comes from one address); returns (process, base URL)."""
    proc = subprocess.Popen([hop, "serve", "--listen", "127.0.0.1:0", "--store", store, "--threads", "1",
                             "--data-dir", data_dir, "--base-url", "https://sho.rt", "--api-rate", "0",
                             "--create-rate", "0", "--scan-rate", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    for line in proc.stderr:
        match = LISTENING.search(line)
        if match:
            threading.Thread(target=lambda: proc.stderr.read(), daemon=True).start()
            return proc, match.group(1)
    raise SystemExit("hop did not start")


def post(url, body, key):
    request = urllib.request.Request(url, json.dumps(body).encode(),
                                     {"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def metric(base, name):
    with urllib.request.urlopen(base + "/metrics") as response:
        for line in response.read().decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
    raise KeyError(name)


def run_wrk(base, links, seconds, mode, results, i):
    out = subprocess.run(["wrk", "-t1", "-c32", f"-d{seconds}s", "-s", os.path.join(ROOT, "bench/wrk/redirect.lua"),
                          base, "--", str(links), mode], check=True, capture_output=True, text=True).stdout
    results[i] = json.loads(out[out.index("BENCH ") + 6:].splitlines()[0])


def load_both(instances, links, seconds, mode):
    """One wrk per instance, at once; returns their reports and the largest click backlog seen meanwhile."""
    reports = [None] * len(instances)
    threads = [threading.Thread(target=run_wrk, args=(base, links, seconds, mode, reports, i))
               for i, (_, base) in enumerate(instances)]
    backlog = 0.0
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        backlog = max([backlog] + [metric(base, "hop_clicks_pending") for _, base in instances])
        time.sleep(0.1)
    return reports, backlog


# Every human click in the store: the links' totals, which hold the minutes rolled up so far, plus the
# minute counts from each link's rollup watermark on (src/store/click_watermark.h). No link is deleted
# here, so every minute row belongs to one.
WRITTEN = """
SELECT (SELECT coalesce(sum(total_clicks), 0) FROM links)
     + (SELECT coalesce(sum(m.clicks), 0) FROM minute_clicks AS m, click_rollup AS w
        WHERE m.bucket >= CASE WHEN m.link_id <= w.rolling_through_link
                               THEN w.rolling_before_minute ELSE w.rolled_before_minute END)
"""


def written(store):
    return int(psql(store, WRITTEN))


def wait_written(store, at_least, timeout=60):
    """Waits until the database holds at least `at_least` clicks; returns (total, seconds waited)."""
    start = time.monotonic()
    while True:
        total = written(store)
        if total >= at_least or time.monotonic() - start > timeout:
            return total, time.monotonic() - start
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hop", default=os.path.join(ROOT, "build/src/hop"))
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    server = os.environ.get("HOP_TEST_POSTGRES_URL")
    if not server:
        raise SystemExit("run under scripts/with-postgres.sh, which sets HOP_TEST_POSTGRES_URL")
    database = f"pg_clicks_{os.getpid()}"
    psql(server, f"CREATE DATABASE {database}")
    store = server.rsplit("/", 1)[0] + "/" + database

    data_dirs = [tempfile.mkdtemp(prefix="pg-clicks-") for _ in range(2)]
    instances = [start_hop(args.hop, store, data_dir) for data_dir in data_dirs]
    try:
        # The first instance created the database's first key, an admin key, in its data dir.
        with open(os.path.join(data_dirs[0], "admin.key")) as f:
            key = f.read().strip()
        for first in range(0, args.links, 1000):
            batch = [{"url": f"https://example.com/{i}", "alias": code(i)}
                     for i in range(first, min(first + 1000, args.links))]
            results = post(instances[0][1] + "/api/v1/links/bulk", {"links": batch}, key)["results"]
            if any("error" in r for r in results):
                raise SystemExit(f"bulk create failed: {results[:3]}")

        # Every link once on each instance, so that the measured run reads nothing from the store.
        warm, _ = load_both(instances, args.links, max(2, args.links // 2000), "sequential")
        if min(w["requests"] for w in warm) < args.links:
            print("warning: the warm-up did not reach every link; the run includes cache misses")
        wait_written(store, sum(w["requests"] for w in warm))
        time.sleep(1.5)
        before = written(store)

        wrk, backlog = load_both(instances, args.links, args.seconds, "random")
        answered = sum(w["requests"] for w in wrk)
        sent = sum(w["sent"] for w in wrk)
        bad = sum(w["errors"]["status"] for w in wrk)
        _, lag = wait_written(store, before + answered)
        time.sleep(1.5)   # another flush or two: nothing more may arrive beyond what was sent
        total = written(store) - before
        duration = max(w["duration_us"] for w in wrk) / 1e6
        print(f"links: {args.links}, instances: 2 (one worker each), wrk: 2 x (-t1 -c32 -d{args.seconds}s)")
        print(f"redirects answered: {answered} ({answered / duration:,.0f}/s), sent: {sent}, non-3xx: {bad}")
        print(f"clicks in PostgreSQL: {total}; last click written {lag:.2f} s after the load stopped")
        print(f"largest backlog held by an instance: {backlog:,.0f} clicks")
        ok = bad == 0 and answered <= total <= sent
        print("check: answered <= written <= sent:", "ok" if ok else "FAILED")
        return 0 if ok else 1
    finally:
        for proc, _ in instances:
            proc.terminate()
            proc.wait()
        for data_dir in data_dirs:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""bench/run.sh's driver: hop against nginx, then creates, bulk creates, stats reads and memory.

Run as `python3 -m harness` from bench/ (run.sh does). Every server it starts is its own child, pinned
to core 0 with wrk on core 1, and stopped (or killed, on failure) by pid before it exits.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

from harness import checks, dataset, phases, report, stats_links
from harness.servers import Hop, Nginx, rss_kib


def log(message):
    print(message, file=sys.stderr, flush=True)


def parse_args():
    parser = argparse.ArgumentParser(prog="bench/run.sh")
    parser.add_argument("--hop", required=True, help="the hop binary")
    parser.add_argument("--data-dir", required=True, help="where preloaded stores are cached")
    parser.add_argument("--smoke", action="store_true",
                        help="1,000 links, one round of 1 s: checks the harness, not the speed")
    parser.add_argument("--rss-10m", action="store_true",
                        help="also measure RSS with 10,000,000 cached links (about 5 minutes more)")
    parser.add_argument("--results", help="also write the figures to this JSON file")
    args = parser.parse_args()
    args.links = 1_000 if args.smoke else 1_000_000
    args.rounds = 1 if args.smoke else 3
    args.seconds = 1 if args.smoke else 10
    args.side_seconds = 1 if args.smoke else 5  # each run of creates, bulk, stats and warm-up
    return args


def measure_redirects(args, db_path, run_dir, figures, servers):
    hop = Hop(args.hop, run_dir, db_path)
    servers.append(hop)
    phases.settle()
    figures["rss_idle_kib"] = rss_kib(hop.process.pid)
    nginx = Nginx(run_dir)
    servers.append(nginx)
    ledger = checks.ClickLedger()
    checks.verify_redirects(nginx, args.links)
    ledger.add_harness(checks.verify_redirects(hop, args.links))
    log(f"warming hop's cache with all {args.links:,} links...")
    phases.warm_cache(hop, args.links, ledger, args.side_seconds)
    phases.settle()
    figures["rss_cached_clicks_held_kib"] = rss_kib(hop.process.pid)
    figures["rss_cached_kib"] = (figures["rss_cached_clicks_held_kib"] if args.smoke else
                                 phases.rss_once_clicks_written(hop.process.pid, db_path, log))
    figures["cached_links"] = args.links
    figures["mean_url_bytes"] = phases.mean_url_bytes(args.links)
    log("measuring redirects...")
    figures["redirect_runs"] = phases.redirect_rounds([nginx, hop], args.links, args.rounds,
                                                      args.seconds, (64, 256), ledger, log)
    nginx.stop()
    servers.remove(nginx)
    hop.stop()  # SIGTERM flushes every counted click before exit
    servers.remove(hop)
    figures["click_check"] = ledger.check(checks.stored_clicks(db_path))
    log(figures["click_check"])


def measure_writes_and_stats(args, db_path, run_dir, figures, servers):
    aliases = stats_links.add_stats_links(db_path)
    hop = Hop(args.hop, run_dir, db_path)
    servers.append(hop)
    log("measuring creates, bulk creates and stats reads...")
    figures["creates"] = phases.creates(hop, db_path, run_dir, args.side_seconds, 64)
    figures["bulk"] = phases.bulk_creates(hop, db_path, run_dir, args.side_seconds, 4)
    figures["stats"] = phases.stats_reads(hop, aliases, args.rounds, args.side_seconds)
    hop.stop()
    servers.remove(hop)


def measure_rss_10m(args, run_dir, figures, servers):
    links = 10_000_000
    log(f"preparing {links:,} links for the memory measurement...")
    db_path = dataset.working_copy(dataset.cached_store(args.hop, args.data_dir, links, log), run_dir)
    hop = Hop(args.hop, run_dir, db_path, ["--cache-size", str(links)])
    servers.append(hop)
    phases.settle()
    idle = rss_kib(hop.process.pid)
    log(f"warming hop's cache with all {links:,} links...")
    phases.warm_cache(hop, links, checks.ClickLedger(), args.side_seconds)
    phases.settle()
    cached = phases.rss_once_clicks_written(hop.process.pid, db_path, log)
    figures["rss_10m"] = {"idle_kib": idle, "cached_kib": cached,
                          "cached_links": links, "mean_url_bytes": phases.mean_url_bytes(links)}
    hop.stop()
    servers.remove(hop)


def main():
    args = parse_args()
    started = time.time()
    os.makedirs(args.data_dir, exist_ok=True)
    run_dir = tempfile.mkdtemp(prefix="run-", dir=args.data_dir)
    servers = []
    figures = {"links": args.links, "rounds": args.rounds, "seconds": args.seconds,
               "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started))}
    failed = False
    try:
        db_path = dataset.working_copy(dataset.cached_store(args.hop, args.data_dir, args.links, log),
                                       run_dir)
        measure_redirects(args, db_path, run_dir, figures, servers)
        measure_writes_and_stats(args, db_path, run_dir, figures, servers)
        if args.rss_10m:
            measure_rss_10m(args, run_dir, figures, servers)
    except checks.CheckFailed as failure:
        log(f"honesty check failed: {failure}")
        failed = True
    finally:
        for server in servers:
            server.kill()
        shutil.rmtree(run_dir, ignore_errors=True)
    figures["elapsed_seconds"] = time.time() - started
    print(report.render(figures))
    if args.results:
        with open(args.results, "w") as f:
            json.dump(figures, f, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

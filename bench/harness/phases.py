"""The measurements, one function each; __main__.py runs them in order."""

import json
import os
import sqlite3
import statistics
import time

from harness import checks, dataset, wrk
from harness.servers import rss_kib


def settle():
    """Lets a flush interval pass, so memory and CPU readings don't catch hop mid-flush."""
    time.sleep(1.0)


def rss_once_clicks_written(pid, db_path, log):
    """RSS once hop has written the warm-up's clicks out of memory.

    hop's SQLite store keeps the open minute's click counts in memory (12 bytes per link and minute)
    and in its click journal, and writes both out once the minute is over, at an idle server too.
    So the cache's own memory is read after the next minute boundary, once the journal in the file
    is empty: what remains is the links, not their clicks."""
    time.sleep(60 - time.time() % 60 + 1)
    for _ in range(120):
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
            if db.execute("SELECT count(*) FROM click_journal").fetchone()[0] == 0:
                settle()
                return rss_kib(pid)
        time.sleep(1.0)
    log("the click journal still held rows two minutes after the minute boundary")
    return rss_kib(pid)


def warm_cache(hop, links, ledger, step_seconds):
    """Requests every link once, in order, so that all of them are in hop's cache."""
    asked = 0
    while asked < links:
        result = wrk.run(hop.port, 64, step_seconds, "redirect", links, "sequential", asked)
        if result["failed"]:
            raise checks.CheckFailed(f"warming hop's cache: wrk reported errors {result['errors']} "
                                     f"between links {asked:,} and {asked + result['sent']:,}; "
                                     f"{checks.sample_answers(hop, asked, result['sent'], links)}")
        ledger.add_wrk(result)
        # Requests in flight when wrk stopped may not have reached hop; the next step starts after
        # the last one wrk saw answered.
        asked += result["requests"]


def redirect_rounds(servers, links, rounds, seconds, connection_counts, ledger, log):
    """Alternating rounds: in each, every server takes each load in turn, the order flipping by round."""
    results = []
    for round_number in range(rounds):
        for connections in connection_counts:
            order = servers if round_number % 2 == 0 else list(reversed(servers))
            for server in order:
                result = wrk.run(server.port, connections, seconds, "redirect", links, "random",
                                 server=server)
                checks.expect_no_errors(result, f"{server.name} -c{connections}")
                if server.name == "hop":
                    ledger.add_wrk(result)
                result.update(server=server.name, connections=connections, round=round_number)
                results.append(result)
                flusher = result["flusher_cpu_seconds"]
                log(f"  round {round_number + 1} -c{connections} {server.name}: "
                    f"{result['rps']:,.0f} req/s, "
                    f"{1e6 * result['cpu_seconds'] / result['requests']:.2f} CPU-us/req"
                    + (f" ({1e6 * flusher / result['requests']:.2f} in the click flusher)"
                       if flusher is not None else ""))
    return results


def median_of(results, server, connections):
    runs = [r for r in results if r["server"] == server and r["connections"] == connections]
    return {
        "rps": statistics.median(r["rps"] for r in runs),
        "p50_ms": statistics.median(r["p50_us"] for r in runs) / 1000,
        "p99_ms": statistics.median(r["p99_us"] for r in runs) / 1000,
        "cpu_us": statistics.median(1e6 * r["cpu_seconds"] / r["requests"] for r in runs),
        "flusher_cpu_us": (statistics.median(1e6 * r["flusher_cpu_seconds"] / r["requests"]
                                             for r in runs)
                           if all(r["flusher_cpu_seconds"] is not None for r in runs) else None),
        "rounds": len(runs),
    }


def _write_body(run_dir, name, body):
    path = os.path.join(run_dir, name)
    with open(path, "w") as f:
        json.dump(body, f)
    return path


def creates(hop, db_path, run_dir, seconds, connections):
    """Single creates over keep-alive connections; 201 means committed, so the store is the check."""
    body = {"url": "https://example.com/created"}
    status, _, _ = checks.get(hop.port, "/api/v1/links", "POST", json.dumps(body))
    if status != 201:
        raise checks.CheckFailed(f"a create answered {status}, expected 201")
    before = checks.stored_links(db_path)
    result = wrk.run(hop.port, connections, seconds, "fixed", "POST", "/api/v1/links",
                     _write_body(run_dir, "create.json", body), server=hop)
    checks.expect_no_errors(result, "creates")
    _expect_links_added(checks.stored_links(db_path) - before, result, 1, "creates")
    return result


def bulk_creates(hop, db_path, run_dir, seconds, connections, batch=1000):
    body = {"links": [{"url": f"https://example.com/bulk/{i}"} for i in range(batch)]}
    status, _, answer = checks.get(hop.port, "/api/v1/links/bulk", "POST", json.dumps(body))
    results = json.loads(answer).get("results", []) if status == 200 else []
    if len(results) != batch or any("link" not in r for r in results):
        raise checks.CheckFailed(f"a bulk create answered {status} {answer[:300]!r}")
    before = checks.stored_links(db_path)
    result = wrk.run(hop.port, connections, seconds, "fixed", "POST", "/api/v1/links/bulk",
                     _write_body(run_dir, "bulk.json", body), server=hop)
    checks.expect_no_errors(result, "bulk creates")
    _expect_links_added(checks.stored_links(db_path) - before, result, batch, "bulk creates")
    result["links_per_second"] = result["rps"] * batch
    return result


def _expect_links_added(added, result, per_request, what):
    if not result["requests"] * per_request <= added <= result["sent"] * per_request:
        raise checks.CheckFailed(f"{what}: {added:,} links stored, but wrk completed "
                                 f"{result['requests']:,} requests of {per_request}")


def stats_reads(hop, aliases, rounds, seconds):
    """Latency of /stats for each alias, one connection, so it is the time of one read."""
    for alias, expected in zip(aliases, (100_000_000, 1)):
        status, _, answer = checks.get(hop.port, f"/api/v1/links/{alias}/stats")
        total = json.loads(answer).get("total") if status == 200 else None
        if total != expected:
            raise checks.CheckFailed(f"/stats of {alias} answered {status} total={total}, "
                                     f"expected {expected:,}")
    runs = {alias: [] for alias in aliases}
    for _ in range(rounds):
        for alias in aliases:
            result = wrk.run(hop.port, 1, seconds, "fixed", "GET", f"/api/v1/links/{alias}/stats")
            checks.expect_no_errors(result, f"stats of {alias}")
            runs[alias].append(result)
    return {alias: {"rps": statistics.median(r["rps"] for r in results),
                    "p50_ms": statistics.median(r["p50_us"] for r in results) / 1000,
                    "p99_ms": statistics.median(r["p99_us"] for r in results) / 1000}
            for alias, results in runs.items()}


def mean_url_bytes(links):
    return sum(len(dataset.url_of(i)) for i in range(links)) / links

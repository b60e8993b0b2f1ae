"""Runs wrk pinned to the load core and reads back the line bench/wrk/report.lua prints."""

import json
import os
import subprocess

from harness.servers import cpu_seconds, thread_cpu_seconds

LOAD_CPU = "1"
SCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "wrk")


def run(port, connections, seconds, script, *args, server=None):
    """One wrk run of `seconds` against 127.0.0.1:port with bench/wrk/<script>.

    Returns report.lua's numbers plus, when `server` is given, the server's CPU seconds during the run
    (read before wrk starts and after it exits: the server does nothing else meanwhile), and for hop
    the part of them its click flusher spent.
    """
    command = ["taskset", "-c", LOAD_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
               "--timeout", "5s", "-s", os.path.join(SCRIPTS, f"{script}.lua"),
               f"http://127.0.0.1:{port}", "--", *map(str, args)]
    flusher = server.flusher_tid() if server else None
    cpu_before = cpu_seconds(server.pids) if server else 0.0
    flusher_before = thread_cpu_seconds(server.process.pid, flusher) if flusher else 0.0
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    cpu_after = cpu_seconds(server.pids) if server else 0.0
    flusher_after = thread_cpu_seconds(server.process.pid, flusher) if flusher else 0.0
    lines = [l for l in finished.stdout.splitlines() if l.startswith("BENCH ")]
    if not lines:
        raise RuntimeError(f"wrk printed no result:\n{finished.stdout}\n{finished.stderr}")
    result = json.loads(lines[-1][len("BENCH "):])
    result["seconds"] = result["duration_us"] / 1e6
    result["rps"] = result["requests"] / result["seconds"]
    result["cpu_seconds"] = cpu_after - cpu_before
    result["flusher_cpu_seconds"] = flusher_after - flusher_before if flusher else None
    result["failed"] = sum(result["errors"].values())
    return result

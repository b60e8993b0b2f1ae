"""The two servers under test, started pinned to the server core, and what /proc says about them.

Both run in the foreground as children of the harness, so their pids are known exactly and nothing else
on the machine is ever signalled. CPU time is utime + stime from /proc/PID/stat of every process of the
server (nginx: master and worker; hop: one process, all threads, so its click flusher is included).
"""

import os
import re
import signal
import socket
import subprocess
import time

SERVER_CPU = "0"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LISTENING_RE = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")

NGINX_CONF = """\
# One worker on one core, answering every path with a fixed 301 from config: the cheapest redirect
# there is. keepalive_requests is raised from its default of 1000 so that nginx, like hop, keeps each
# wrk connection for the whole run.
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path {prefix}/client_body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{ return 301 {target}; }}
  }}
}}
"""
NGINX_TARGET = "https://example.com/target"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of the line
    return total / CLOCK_TICKS


def thread_cpu_seconds(pid, tid):
    with open(f"/proc/{pid}/task/{tid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def _wait_for(predicate, what, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"timed out waiting for {what}")


class Nginx:
    name = "nginx"

    def __init__(self, run_dir):
        self.prefix = os.path.join(run_dir, "nginx")
        os.makedirs(self.prefix)
        self.port = free_port()
        with open(os.path.join(self.prefix, "nginx.conf"), "w") as f:
            f.write(NGINX_CONF.format(prefix=self.prefix, port=self.port, target=NGINX_TARGET))
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CPU, "nginx", "-p", self.prefix, "-c", "nginx.conf"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.worker = _wait_for(self._worker_pid, "the nginx worker")
        _wait_for(self._accepts, f"nginx on port {self.port}")

    def _worker_pid(self):
        with open(f"/proc/{self.process.pid}/task/{self.process.pid}/children") as f:
            children = f.read().split()
        return int(children[0]) if children else None

    def _accepts(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    @property
    def pids(self):
        return [self.process.pid, self.worker]

    def flusher_tid(self):
        return None  # nginx counts no clicks

    def stop(self):
        self.process.send_signal(signal.SIGQUIT)  # graceful: finish in-flight requests, then exit
        self.process.wait(timeout=15)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


API_KEY_ENV = "HOP_BENCH_API_KEY"


class Hop:
    name = "hop"

    def __init__(self, hop, run_dir, db_path, extra_args=()):
        self.log_path = os.path.join(run_dir, "hop.log")
        log = open(self.log_path, "a")
        self.log_start = log.tell()  # a restart appends: only this instance's lines count
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CPU, hop, "serve", "--threads", "1", "--listen", "127.0.0.1:0",
             "--data-dir", run_dir, "--store", f"sqlite:{db_path}",
             # The bench measures capacity; rate limits are a policy it would only measure itself.
             "--api-rate", "0", "--create-rate", "0", "--scan-rate", "0", *extra_args],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        self.port = int(_wait_for(self._listening_port, "hop's \"listening on\" line"))
        # The API needs a key: the admin key hop serve wrote on its first start with this store. It
        # goes through the environment, so checks.get and the wrk scripts (os.getenv) both send it.
        with open(os.path.join(run_dir, "admin.key")) as f:
            os.environ[API_KEY_ENV] = f.read().strip()

    def _listening_port(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"hop exited with {self.process.returncode}; see {self.log_path}")
        with open(self.log_path) as f:
            f.seek(self.log_start)
            match = LISTENING_RE.search(f.read())
        return match and match.group(1)

    @property
    def pids(self):
        return [self.process.pid]

    def flusher_tid(self):
        """The click flusher's thread (named hop-clicks), so its share of hop's CPU can be told apart.
        None when hop has no such thread."""
        for task in os.listdir(f"/proc/{self.process.pid}/task"):
            with open(f"/proc/{self.process.pid}/task/{task}/comm") as comm:
                if comm.read().strip() == "hop-clicks":
                    return int(task)
        return None

    def stop(self):
        """SIGTERM: hop finishes the requests in flight and flushes every counted click, then exits 0."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        if code != 0:
            raise RuntimeError(f"hop exited with {code} after SIGTERM; see {self.log_path}")

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

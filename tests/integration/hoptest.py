"""Shared harness for hop's integration tests: start the real binary, talk HTTP to it.

Every test file runs as `python3 test_x.py -v` with HOP_BINARY naming the hop executable (ctest sets it).
Only the Python standard library is used.

HopServer starts `hop serve --listen 127.0.0.1:0 --data-dir <temp dir> [extra args]`, waits for the
`listening on http://127.0.0.1:PORT` line on stderr and keeps draining stderr and stdout in background
threads so the pipes never fill up. Requests go over a fresh HTTP connection each (redirects are never
followed: http.client does not follow them). stop() sends SIGTERM and checks for exit code 0; kill()
sends SIGKILL; start() again reuses the same data dir, so a restart keeps the store.

Every request carries the admin key that hop writes to <data dir>/admin.key on its first start, unless a
test says otherwise (headers={"Authorization": None}), and the server runs without rate limits unless
the test passes its own --api-rate, --create-rate or --scan-rate: the tests check behaviour, and the
ones about authentication and limits (test_auth.py, test_rate_limits.py) set up what they check.

HopTestCase gives each test class its own server on a fresh data dir, plus assertion helpers that read
like the contract (assertProblem, create_link, poll_until, ...).
"""

import datetime
import http.client
import io
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

START_TIMEOUT = 10.0       # seconds for the "listening on" line
STOP_TIMEOUT = 15.0        # seconds for exit after SIGTERM
STATS_DEADLINE = 1.5       # a click shows in stats within 1 s (default flush 500 ms); 0.5 s of slack
POLL_INTERVAL = 0.05

# A User-Agent that the contract names as human. http.client sends none by default, and an empty
# User-Agent counts as a bot (core/bot_detector.h), so every request carries this one unless a test
# says otherwise (pass headers={"User-Agent": None} to send no User-Agent at all).
HUMAN_UA = "curl/8.0"

LINK_FIELDS = {"code", "short_url", "url", "title", "tags", "created_at", "updated_at", "expires_at",
               "max_visits", "redirect_status", "forward_query", "disabled", "total_clicks"}
STATS_FIELDS = {"code", "total", "last_24h", "last_7d", "last_30d", "bots", "as_of"}
PROBLEM_FIELDS = {"type", "title", "status", "detail", "code"}

# A cheap request that any working server answers with 200; tests use it to check the server still serves
# (kept apart from /healthz so that a fault there does not masquerade as a fault everywhere).
PROBE = "/api/v1/links?limit=1"

CODE_RE = re.compile(r"^[0-9A-Za-z]{7}$")
RFC3339_Z_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
LISTENING_RE = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


def hop_binary():
    path = os.environ.get("HOP_BINARY")
    if not path:
        raise RuntimeError("HOP_BINARY is not set: point it at the hop executable")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"HOP_BINARY={path} is not an executable file")
    return path


# ---------------------------------------------------------------------------------------------------
# Time helpers


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def rfc3339(t):
    """A datetime as the contract writes it: UTC, whole seconds, 'Z'."""
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text):
    if not isinstance(text, str) or not RFC3339_Z_RE.match(text):
        raise ValueError(f"not an RFC 3339 UTC timestamp with whole seconds and 'Z': {text!r}")
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def floor_minute(t):
    return t.replace(second=0, microsecond=0)


def wait_for_next_second():
    """Returns just after the wall clock enters a new whole second, so that two whole-second timestamps
    taken before and after this call must differ. Waits at most 1.05 s; it is a wait for the clock, not
    for the server."""
    now = time.time()
    time.sleep(1.0 - (now - int(now)) + 0.05)


def run_threads(count, target, timeout=300):
    """Runs target(i) on `count` threads released together; re-raises the first exception."""
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        try:
            barrier.wait(10)
            target(i)
        except BaseException as e:   # reported by the caller's assertion
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if errors:
        raise errors[0]


def poll_until(fetch, done, timeout=STATS_DEADLINE, interval=POLL_INTERVAL):
    """Calls fetch() every `interval` seconds until done(value) holds or `timeout` passes.
    Returns (ok, last value); the caller asserts, so the failure message can show the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return True, value
        if time.monotonic() >= deadline:
            return False, value
        time.sleep(interval)


# ---------------------------------------------------------------------------------------------------
# Raw HTTP, for keep-alive, pipelining and malformed requests


def read_http_response(stream, head_request=False):
    """Reads one HTTP/1.x response from a buffered binary stream (sock.makefile('rb')).
    Returns (status, headers with lower-case names, body) or None if the peer closed before a status
    line. Understands Content-Length and chunked bodies; a body with neither runs to the close."""
    status_line = stream.readline()
    if not status_line:
        return None
    parts = status_line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise ValueError(f"not an HTTP status line: {status_line!r}")
    status = int(parts[1])
    headers = {}
    while True:
        line = stream.readline()
        if not line:
            raise ValueError("connection closed inside the response header")
        line = line.decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        key = name.strip().lower()
        headers[key] = value.strip() if key not in headers else headers[key] + ", " + value.strip()
    if head_request or status in (204, 304) or 100 <= status < 200:
        return status, headers, b""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = b""
        while True:
            size = int(stream.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while stream.readline() not in (b"\r\n", b"\n", b""):
                    pass
                break
            body += stream.read(size)
            stream.readline()
        return status, headers, body
    if "content-length" in headers:
        length = int(headers["content-length"])
        body = stream.read(length)
        if len(body) != length:
            raise ValueError(f"body truncated: {len(body)} of {length} bytes")
        return status, headers, body
    return status, headers, stream.read()


def wait_for_close(sock, timeout):
    """Reads from `sock` until the peer closes it or `timeout` passes.
    Returns (closed, seconds waited, bytes received). A reset counts as closed."""
    start = time.monotonic()
    received = b""
    deadline = start + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False, time.monotonic() - start, received
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return False, time.monotonic() - start, received
        except (ConnectionResetError, BrokenPipeError):
            return True, time.monotonic() - start, received
        if not chunk:
            return True, time.monotonic() - start, received
        received += chunk


# ---------------------------------------------------------------------------------------------------
# The server under test


class ServerError(AssertionError):
    pass


class HopServer:
    """One hop process on an ephemeral port, with its own data dir (kept across restarts)."""

    def __init__(self, extra_args=(), env=None, data_dir=None, with_data_dir_flag=True, unlimited=True,
                 open_files=None):
        self.binary = hop_binary()
        self.extra_args = list(extra_args)
        self.unlimited = unlimited      # rate limits off unless extra_args set them
        self.open_files = open_files    # the soft RLIMIT_NOFILE hop starts with (None: inherited)
        self.env = dict(env or {})
        self._own_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="hop-it-")
        self.with_data_dir_flag = with_data_dir_flag
        self.proc = None
        self.port = None
        self._output = []          # lines of stderr and stdout, across restarts
        self._output_lock = threading.Lock()
        self._threads = []
        self.api_key = None

    # -- process control ----------------------------------------------------------------------------

    def command(self):
        cmd = [self.binary, "serve", "--listen", "127.0.0.1:0"]
        if self.with_data_dir_flag:
            cmd += ["--data-dir", self.data_dir]
        for limit in ("--api-rate", "--create-rate", "--scan-rate"):
            if self.unlimited and limit not in self.extra_args:
                cmd += [limit, "0"]
        return cmd + self.extra_args

    def start(self):
        if self.proc is not None and self.proc.poll() is None:
            raise ServerError("server already running")
        env = dict(os.environ)
        env.update(self.env)
        self._log(f"--- starting: {' '.join(self.command())}")
        preexec = None
        if self.open_files is not None:
            def preexec():
                hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
                resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, hard))
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, cwd=self.data_dir, preexec_fn=preexec)
        found = threading.Event()
        port_box = []

        def drain(stream, label, watch):
            for raw in iter(stream.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self._log(f"[{label}] {line}")
                if watch and not found.is_set():
                    m = LISTENING_RE.search(line)
                    if m:
                        port_box.append(int(m.group(1)))
                        found.set()
            stream.close()

        self._threads = [
            threading.Thread(target=drain, args=(self.proc.stderr, "stderr", True), daemon=True),
            threading.Thread(target=drain, args=(self.proc.stdout, "stdout", False), daemon=True),
        ]
        for t in self._threads:
            t.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not found.wait(0.02):
            if self.proc.poll() is not None:
                self._join_drains()
                raise ServerError(f"hop exited with {self.proc.returncode} before listening\n"
                                  + self.output())
            if time.monotonic() > deadline:
                self.proc.kill()
                self.proc.wait()
                self._join_drains()
                raise ServerError(f"hop printed no 'listening on' line within {START_TIMEOUT} s\n"
                                  + self.output())
        self.port = port_box[0]
        # hop writes the first admin key into the data dir before it listens.
        key_file = os.path.join(self.data_dir, "admin.key")
        if os.path.exists(key_file):
            with open(key_file) as f:
                self.api_key = f.read().strip() or None
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM; asserts exit code 0 within `timeout` seconds."""
        if not self.running():
            code = None if self.proc is None else self.proc.returncode
            raise ServerError(f"hop is not running (exit code {code})\n" + self.output())
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self._join_drains()
            raise ServerError(f"hop did not exit within {timeout} s of SIGTERM\n" + self.output())
        self._join_drains()
        if code != 0:
            raise ServerError(f"hop exited with {code} after SIGTERM, expected 0\n" + self.output())

    def kill(self):
        """SIGKILL, as a crash would."""
        if self.running():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self._join_drains()

    def restart(self):
        self.stop()
        return self.start()

    def cleanup(self):
        """Kills a process still running and removes the data dir; for teardown paths."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._join_drains()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def _join_drains(self):
        for t in self._threads:
            t.join(5)
        self._threads = []

    def _log(self, line):
        with self._output_lock:
            self._output.append(line)

    def output(self):
        with self._output_lock:
            return "\n".join(self._output[-200:])

    # -- HTTP ------------------------------------------------------------------------------------------

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def connection(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def prepare(self, method, body=None, headers=None, raw_body=None):
        """Headers and payload for one request: a dict/list body becomes JSON with its Content-Type,
        raw_body goes out as given. A header whose value is None is left out."""
        out = {"User-Agent": HUMAN_UA}
        if self.api_key:
            out["Authorization"] = f"Bearer {self.api_key}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            out["Content-Type"] = "application/json"
        if raw_body is not None:
            payload = raw_body if isinstance(raw_body, bytes) else raw_body.encode()
        for name, value in (headers or {}).items():
            for existing in [k for k in out if k.lower() == name.lower()]:
                del out[existing]
            if value is not None:
                out[name] = value
        return out, payload

    def request(self, method, path, body=None, headers=None, raw_body=None, conn=None, timeout=10):
        """One request; returns (status, headers with lower-case names, body bytes).
        Uses a fresh connection unless `conn` is given (keep-alive tests)."""
        hdrs, payload = self.prepare(method, body, headers, raw_body)
        own = conn is None
        if own:
            conn = self.connection(timeout)
        try:
            conn.request(method, path, body=payload, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            out = {}
            for name, value in resp.getheaders():
                key = name.lower()
                out[key] = value if key not in out else out[key] + ", " + value
            return resp.status, out, data
        finally:
            if own:
                conn.close()

    def json(self, method, path, body=None, headers=None, raw_body=None, conn=None):
        """Like request(), with the body parsed as JSON (None when empty)."""
        status, hdrs, data = self.request(method, path, body, headers, raw_body, conn)
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            raise AssertionError(f"{method} {path} -> {status} with a body that is not JSON: {data[:500]!r}")
        return status, hdrs, parsed

    def raw(self, data, timeout=5.0):
        """Sends raw bytes on a new socket and returns everything received until the server closes the
        connection or `timeout` passes (then the second value is False)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            closed, _, received = wait_for_close(sock, timeout)
            return received, closed

    def raw_socket(self, timeout=10.0):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def cli(self, *args, check=True):
        """Runs `hop ARGS --data-dir <this server's data dir>` (an admin command on the same store);
        returns (exit code, stdout, stderr). With `check`, a non-zero exit fails the test."""
        done = subprocess.run([self.binary, *args, "--data-dir", self.data_dir], capture_output=True,
                              text=True, timeout=30)
        if check and done.returncode != 0:
            raise ServerError(f"hop {' '.join(args)} exited with {done.returncode}: {done.stderr}")
        return done.returncode, done.stdout, done.stderr

    def create_key(self, name, role="user", scopes=None, expires=None):
        """`hop keys create`; returns the key it printed."""
        args = ["keys", "create", "--name", name, "--role", role]
        if scopes:
            args += ["--scopes", scopes]
        if expires:
            args += ["--expires", expires]
        return self.cli(*args)[1].strip()

    def auth_line(self):
        """The Authorization header line requests carry by default, for raw requests."""
        return f"Authorization: Bearer {self.api_key}\r\n".encode() if self.api_key else b""


# ---------------------------------------------------------------------------------------------------
# Test case base


class HopTestCase(unittest.TestCase):
    """A test class with its own server on a fresh data dir, started once for the class.

    Subclasses set `server_args` (extra flags) and `server_env` (extra environment). tearDownClass stops
    the server with SIGTERM and so also checks that it exits 0 after whatever the class did to it."""

    server_args = ()
    server_env = {}
    server_unlimited = True   # False: the server keeps the rate limits it is given, defaults included
    server = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = HopServer(cls.server_args, cls.server_env, unlimited=cls.server_unlimited)
        try:
            cls.server.start()
        except BaseException:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server.running():
                cls.server.stop()
        finally:
            cls.server.cleanup()
            super().tearDownClass()

    # -- requests ----------------------------------------------------------------------------------

    def request(self, *args, **kwargs):
        return self.server.request(*args, **kwargs)

    def json(self, *args, **kwargs):
        return self.server.json(*args, **kwargs)

    def create_link(self, url="https://example.com/", **fields):
        """POST /api/v1/links; asserts 201 and returns the link."""
        body = dict(fields, url=url)
        status, hdrs, link = self.json("POST", "/api/v1/links", body)
        self.assertEqual(status, 201, f"create {body} -> {status} {link}")
        return link

    def get_link(self, code):
        status, _, link = self.json("GET", f"/api/v1/links/{code}")
        self.assertEqual(status, 200, f"GET link {code} -> {status} {link}")
        return link

    def stats(self, code):
        status, _, stats = self.json("GET", f"/api/v1/links/{code}/stats")
        self.assertEqual(status, 200, f"GET stats {code} -> {status} {stats}")
        # DESIGN.md section 4: the window invariant holds in every answer.
        self.assertStatsInvariant(stats)
        return stats

    def visit(self, code, query="", method="GET", user_agent=HUMAN_UA, headers=None, conn=None):
        """One redirect request to /{code}; returns (status, headers, body)."""
        hdrs = {"User-Agent": user_agent}
        hdrs.update(headers or {})
        return self.request(method, f"/{code}{query}", headers=hdrs, conn=conn)

    def wait_for_stats(self, code, done, timeout=STATS_DEADLINE, what="the expected counts"):
        """Polls the stats of `code` until done(stats) holds; fails with the last stats seen."""
        ok, last = poll_until(lambda: self.stats(code), done, timeout)
        self.assertTrue(ok, f"stats of {code} did not show {what} within {timeout} s; last: {last}")
        return last

    # -- assertions --------------------------------------------------------------------------------

    def assertProblem(self, response, status, code, context=""):
        """A response is an RFC 9457 problem with this HTTP status and problem code."""
        got_status, hdrs, data = response
        where = f"{context}: " if context else ""
        self.assertEqual(got_status, status, f"{where}status {got_status}, body {data[:500]!r}")
        ctype = hdrs.get("content-type", "")
        self.assertEqual(ctype.split(";")[0].strip().lower(), "application/problem+json",
                         f"{where}Content-Type {ctype!r}")
        body = data if isinstance(data, dict) else json.loads(data)
        self.assertTrue(PROBLEM_FIELDS <= set(body), f"{where}problem lacks {PROBLEM_FIELDS - set(body)}: {body}")
        self.assertEqual(body["status"], status, f"{where}problem status: {body}")
        self.assertEqual(body["code"], code, f"{where}problem code: {body}")
        for field in ("type", "title", "detail"):
            self.assertIsInstance(body[field], str, f"{where}problem {field}: {body}")
        self.assertTrue(body["title"], f"{where}empty problem title: {body}")
        return body

    def assertRefused(self, data, allowed=(400,)):
        """The server answers the raw request `data` with an error status in `allowed` and closes the
        connection, or closes it without a word, within 5 s; and it still serves the next client. An
        answer is a problem whose `status` is the HTTP status."""
        received, closed = self.server.raw(data, timeout=5.0)
        if received:
            response = read_http_response(io.BytesIO(received))
            self.assertIn(response[0], allowed, f"answer to a malformed request: {received[:300]!r}")
            self.assertTrue(closed, "the connection should be closed after a malformed request")
            ctype = response[1].get("content-type", "")
            self.assertEqual(ctype.split(";")[0].strip(), "application/problem+json", ctype)
            problem = json.loads(response[2])
            self.assertEqual(problem.get("status"), response[0], f"problem status differs from HTTP: {problem}")
        else:
            self.assertTrue(closed, "no answer and the connection still open after 5 s")
        self.assertEqual(self.request("GET", PROBE)[0], 200, "server stopped serving after bad input")

    def assertJsonContentType(self, hdrs):
        ctype = hdrs.get("content-type", "")
        self.assertEqual(ctype.split(";")[0].strip().lower(), "application/json", f"Content-Type {ctype!r}")

    def assertLinkShape(self, link):
        """The link object has exactly the contract's fields, with the contract's types."""
        self.assertEqual(set(link), LINK_FIELDS, f"link fields: {link}")
        self.assertIsInstance(link["code"], str)
        self.assertEqual(link["short_url"], self.server.base_url + "/" + link["code"])
        self.assertIsInstance(link["url"], str)
        self.assertTrue(link["title"] is None or isinstance(link["title"], str), link)
        self.assertIsInstance(link["tags"], list)
        for field in ("created_at", "updated_at"):
            parse_rfc3339(link[field])
        if link["expires_at"] is not None:
            parse_rfc3339(link["expires_at"])
        self.assertTrue(link["max_visits"] is None or type(link["max_visits"]) is int, link)
        self.assertIn(link["redirect_status"], (301, 302, 307, 308))
        self.assertIs(type(link["forward_query"]), bool)
        self.assertIs(type(link["disabled"]), bool)
        self.assertIs(type(link["total_clicks"]), int)

    def assertStatsInvariant(self, stats):
        self.assertLessEqual(stats["last_24h"], stats["last_7d"], stats)
        self.assertLessEqual(stats["last_7d"], stats["last_30d"], stats)
        self.assertLessEqual(stats["last_30d"], stats["total"], stats)


def quote(value):
    return urllib.parse.quote(value, safe="")


def main():
    unittest.main(verbosity=2)

"""PostgreSQL for hop's integration tests: the cluster, a database per test class, and hop instances on it.

ctest runs every test_pg_*.py file under scripts/with-postgres.sh (see tests/CMakeLists.txt), so each such file
has a throwaway cluster of its own: no other test shares it, and an outage test may stop it. The script
exports HOP_TEST_POSTGRES_URL (a database on the cluster), HOP_TEST_PG_CTL (pg_ctl, run as the cluster's owner)
and HOP_TEST_PG_DATA (its data directory). By hand:

    scripts/with-postgres.sh python3 tests/integration/test_pg_instances.py -v

Without those variables the tests fail rather than skip: a PostgreSQL test that quietly did not run would look
like one that passed.
"""

import os
import shlex
import subprocess
import time
import unittest
import urllib.parse

from hoptest import HUMAN_UA, HopServer, run_threads

# Both instances of a test claim the same public URL, as instances behind one load balancer do.
BASE_URL = "https://sho.rt"


class Cluster:
    """The PostgreSQL cluster that scripts/with-postgres.sh started for this test file."""

    def __init__(self):
        names = ("HOP_TEST_POSTGRES_URL", "HOP_TEST_PG_CTL", "HOP_TEST_PG_DATA")
        missing = [name for name in names if not os.environ.get(name)]
        if missing:
            raise AssertionError(f"{', '.join(missing)} not set: run this test under scripts/with-postgres.sh "
                                 "(ctest does)")
        self.url = os.environ["HOP_TEST_POSTGRES_URL"]
        self.pg_ctl = shlex.split(os.environ["HOP_TEST_PG_CTL"])
        self.data = os.environ["HOP_TEST_PG_DATA"]

    def psql(self, sql, url=None):
        """Runs `sql` with psql; returns its unaligned output."""
        done = subprocess.run(["psql", url or self.url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
                              capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            raise AssertionError(f"psql {sql!r} failed: {done.stderr}")
        return done.stdout.strip()

    def create_database(self, name):
        """A new, empty database; returns its URL."""
        self.psql(f"CREATE DATABASE {name}")
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + name))

    def stop(self):
        self._pg_ctl("-m", "fast", "stop")

    def start(self):
        # The log goes next to the one scripts/with-postgres.sh writes, in a directory the cluster's
        # owner can write to.
        log = os.path.join(os.path.dirname(self.data), "server.log")
        self._pg_ctl("-l", log, "start")

    def _pg_ctl(self, *args):
        done = subprocess.run(self.pg_ctl + ["-D", self.data, "-w", *args], capture_output=True, text=True,
                              timeout=60)
        if done.returncode != 0:
            raise AssertionError(f"pg_ctl {' '.join(args)} failed: {done.stdout}{done.stderr}")


def let_notices_arrive():
    """Waits for the notices of changes just made. Every instance, the one that made a change included, hears
    of it within milliseconds and forgets the link; a link cached before its notice arrived is forgotten
    again, so a test that needs a link cached waits for the notice first."""
    time.sleep(0.3)


def hop_on(database_url, *args):
    """A started hop instance on `database_url`."""
    server = HopServer(["--store", database_url, "--base-url", BASE_URL, *args])
    try:
        return server.start()
    except BaseException:
        server.cleanup()
        raise


def location(server, code, conn=None):
    """(status, Location) of GET /{code} on `server`."""
    status, headers, _ = server.request("GET", f"/{code}", headers={"User-Agent": HUMAN_UA}, conn=conn)
    return status, headers.get("location")


def metrics(server):
    """GET /metrics as {sample name with labels: value}."""
    status, _, body = server.request("GET", "/metrics")
    if status != 200:
        raise AssertionError(f"GET /metrics -> {status} {body[:300]!r}")
    samples = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


class PostgresTestCase(unittest.TestCase):
    """A test class with a database of its own on the file's cluster, and helpers for several instances."""

    cluster = None
    database_url = None
    servers = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cluster = Cluster()
        cls.database_url = cls.cluster.create_database(f"{cls.__name__.lower()}_{os.getpid()}")
        cls.servers = []

    @classmethod
    def tearDownClass(cls):
        try:
            for server in cls.servers:
                if server.running():
                    server.stop()
        finally:
            for server in cls.servers:
                server.cleanup()
            super().tearDownClass()

    @classmethod
    def start_hop(cls, *args, database_url=None):
        """Starts an instance on the class's database (or on `database_url`, the same database with other
        parameters), and waits until its change feed listens: the feed empties the caches when it starts
        listening, which would undo a test's warming of them."""
        database_url = database_url or cls.database_url
        server = hop_on(database_url, *args)
        # Only the first instance on a database finds no key there and writes the admin key into its
        # data dir; the others act with that same key, as clients of one service would.
        database = database_url.split("?")[0]
        if server.api_key is None:
            server.api_key = next((other.api_key for other in cls.servers if other.api_key and any(
                arg.split("?")[0] == database for arg in other.extra_args)), None)
        cls.servers.append(server)
        name = cls.database_url.rsplit("/", 1)[1]
        deadline = time.monotonic() + 10
        while int(cls.cluster.psql("SELECT count(*) FROM pg_stat_activity "
                                   f"WHERE datname = '{name}' AND query LIKE 'LISTEN%'")) < len(cls.servers):
            if time.monotonic() > deadline:
                raise AssertionError(f"the change feed of {server.base_url} is not listening after 10 s\n"
                                     + server.output())
            time.sleep(0.02)
        return server

    def create_link(self, server, url="https://example.com/", **fields):
        body = dict(fields, url=url)
        status, _, link = server.json("POST", "/api/v1/links", body)
        self.assertEqual(status, 201, f"create {body} -> {status} {link}")
        return link

    def total(self, server, code):
        status, _, stats = server.json("GET", f"/api/v1/links/{code}/stats")
        self.assertEqual(status, 200, f"stats of {code} -> {status} {stats}")
        return stats["total"]

    def wait_for(self, fetch, done, timeout, what, interval=0.02):
        """Calls fetch() until done(value) holds or `timeout` seconds pass; returns (seconds waited, value),
        and fails showing the last value when done never held."""
        start = time.monotonic()
        while True:
            value = fetch()
            waited = time.monotonic() - start
            if done(value):
                return waited, value
            if waited >= timeout:
                self.fail(f"{what} did not happen within {timeout} s; last: {value!r}")
            time.sleep(interval)

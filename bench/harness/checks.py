"""The harness's honesty checks: each server gives the right answer, and hop counts every click.

A fast wrong answer proves nothing, so before any load each server is asked for sampled paths and must
answer with the expected status and Location. After the redirect rounds, hop's click counts in the store
are compared with what wrk sent: see ClickLedger.
"""

import http.client
import os
import random
import sqlite3

from harness import click_journal, dataset
from harness.servers import NGINX_TARGET

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"


class CheckFailed(Exception):
    pass


def get(port, path, method="GET", body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"User-Agent": USER_AGENT}
    if os.environ.get("HOP_BENCH_API_KEY"):
        headers["Authorization"] = "Bearer " + os.environ["HOP_BENCH_API_KEY"]
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.getheader("Location"), data


def sample_indexes(links, count=8):
    return sorted({0, links - 1, *random.sample(range(links), min(count, links))})


def verify_redirects(server, links):
    """Asks for sampled codes; returns how many redirects (hence clicks) that took."""
    asked = 0
    for i in sample_indexes(links):
        status, location, _ = get(server.port, "/" + dataset.code_of(i))
        expected = (301, NGINX_TARGET) if server.name == "nginx" else (302, dataset.url_of(i))
        if (status, location) != expected:
            raise CheckFailed(f"{server.name} answered /{dataset.code_of(i)} with {status} {location}, "
                              f"expected {expected[0]} {expected[1]}")
        asked += 1
    if server.name == "hop":
        status, _, _ = get(server.port, "/" + dataset.code_of(links))  # one past the last link
        if status != 404:
            raise CheckFailed(f"hop answered an unknown code with {status}, expected 404")
    return asked


def sample_answers(server, first, count, links, samples=5):
    """What the server answers now for a few links of a range, to say what went wrong in it."""
    answers = []
    for i in range(first, first + count, max(1, count // samples)):
        status, location, body = get(server.port, "/" + dataset.code_of(i % links))
        answers.append(f"link {i % links}: {status} {location or body[:120]!r}")
    return "; ".join(answers)


# Every click in the store: the links' totals, which hold the minutes rolled up so far, plus the minute
# counts from each link's rollup watermark on (src/store/click_watermark.h), plus the counts of the minutes
# only the click journal holds. No link of the benchmark is ever deleted, so every minute count belongs to
# one.
STORED_CLICKS = """
SELECT (SELECT coalesce(sum(total_clicks + bot_clicks), 0) FROM links)
     + (SELECT coalesce(sum(m.clicks + m.bot_clicks), 0) FROM minute_clicks AS m, click_rollup AS w
        WHERE m.minute_link >> 32 >= CASE WHEN m.minute_link & 0xffffffff <= w.rolling_through_link
                                          THEN w.rolling_before_minute ELSE w.rolled_before_minute END)
"""


def stored_clicks(db_path):
    with sqlite3.connect(db_path) as db:
        return db.execute(STORED_CLICKS).fetchone()[0] + click_journal.journaled_clicks(db)


def stored_links(db_path):
    with sqlite3.connect(db_path) as db:
        return db.execute("SELECT count(*) FROM links").fetchone()[0]


class ClickLedger:
    """What hop must have counted: the harness's own redirects plus wrk's.

    wrk's summary counts responses it read; a request still in flight when wrk stops was read and
    answered by hop (and counted) without wrk seeing the answer. So the exact expectation is a range:
    at least every response wrk completed, at most every request wrk sent; the gap is bounded by the
    connections open when each run stopped.
    """

    def __init__(self):
        self.completed = 0
        self.sent = 0

    def add_harness(self, redirects):
        self.completed += redirects
        self.sent += redirects

    def add_wrk(self, result):
        self.completed += result["requests"]
        self.sent += result["sent"]

    def check(self, counted):
        if not self.completed <= counted <= self.sent:
            raise CheckFailed(f"hop counted {counted:,} clicks; wrk completed {self.completed:,} "
                              f"redirects and sent {self.sent:,} requests")
        return (f"Clicks: hop counted {counted:,}; wrk (and the harness) completed {self.completed:,} "
                f"redirects and sent {self.sent:,} requests, {self.sent - self.completed:,} of them "
                f"still in flight when a run stopped: every completed redirect was counted, and "
                f"{counted - self.completed:,} of those in flight")


def expect_no_errors(result, what):
    if result["failed"]:
        raise CheckFailed(f"{what}: wrk reported errors {result['errors']}")

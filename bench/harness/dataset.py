"""The benchmark's data: a SQLite store preloaded with N links, built once and cached.

Link i has the code code_of(i) and the target url_of(i); bench/wrk/redirect.lua derives the same codes,
so neither side needs a list of them. Loading through the API would take minutes for a million links;
instead `hop migrate` creates the schema (so it is exactly the one hop uses) and the rows go straight into
SQLite in one transaction, with the columns sqlite_store_links.cpp writes on create. The result is cached
under the data dir, keyed by the schema version and this file's contents, so a schema change or a change
here builds a fresh one; each run works on a copy, so the cache never sees a click.
"""

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
CODE_BASE = 62 ** 6  # makes every code exactly 7 characters, ascending with i


def code_of(i):
    n = i + CODE_BASE
    digits = []
    for _ in range(7):
        n, r = divmod(n, 62)
        digits.append(ALPHABET[r])
    return "".join(reversed(digits))


def url_of(i):
    return f"https://example.com/target/{i}"


def _schema_version(hop, work_dir):
    subprocess.run([hop, "migrate", "--data-dir", work_dir], check=True, capture_output=True)
    with sqlite3.connect(os.path.join(work_dir, "hop.db")) as db:
        return db.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]


def _insert_links(db_path, count):
    db = sqlite3.connect(db_path, isolation_level=None)
    # The copy is rebuilt from scratch if this is interrupted, so it needs no crash safety while loading.
    db.execute("PRAGMA synchronous=OFF")
    now_ms = int(time.time() * 1000)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO links (code, url, tags, created_at, updated_at) VALUES (?, ?, '[]', ?, ?)",
        ((code_of(i), url_of(i), now_ms, now_ms) for i in range(count)))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def cached_store(hop, data_dir, count, log):
    """Path of a hop.db holding `count` links, built unless a matching one is cached."""
    os.makedirs(data_dir, exist_ok=True)
    building = tempfile.mkdtemp(prefix="building-", dir=data_dir)
    try:
        version = _schema_version(hop, building)
        with open(__file__, "rb") as source:
            loader = hashlib.sha1(source.read()).hexdigest()[:8]
        cached = os.path.join(data_dir, f"schema{version}-{count}links-{loader}")
        if os.path.exists(os.path.join(cached, "hop.db")):
            return os.path.join(cached, "hop.db")
        started = time.monotonic()
        _insert_links(os.path.join(building, "hop.db"), count)
        log(f"preloaded {count:,} links in {time.monotonic() - started:.1f} s (cached in {cached})")
        # A concurrent run may have built the same one meanwhile; either copy is good.
        try:
            os.rename(building, cached)
        except OSError:
            pass
        return os.path.join(cached, "hop.db")
    finally:
        shutil.rmtree(building, ignore_errors=True)


def working_copy(db_path, run_dir):
    """A copy of a cached store for one run to click on."""
    copy = os.path.join(run_dir, "hop.db")
    shutil.copyfile(db_path, copy)
    return copy

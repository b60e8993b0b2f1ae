"""Two links for the stats benchmark: one with 100,000,000 clicks and one with 1.

A hundred million real redirects would take hours at these rates, so their counts are written straight
into the store, shaped as the click pipeline and its rollup leave them: one click per minute count spread
evenly over the last 1,000 days, kept in minute buckets for the last 32 days, hour buckets for the last
100 days and day buckets for all 1,000 (the retention hop keeps), plus the total on the link. The
minutes from the store's rollup watermark on (src/store/click_watermark.h) are in minute buckets only,
as they would be: about the last hour, which a read adds to the rest; and those from the click journal's
applied key on (src/store/sqlite/sqlite_click_journal.h) are in the journal, as the minutes not yet
written to minute_clicks are. That is the worst case for a stats read: every bucket a window can touch
exists.
"""

import sqlite3
import time

from harness import click_journal

BUSY_ALIAS = "stats-100m"
QUIET_ALIAS = "stats-1"
BUSY_CLICKS = 100_000_000
HISTORY_DAYS = 1000
MINUTE_DAYS = 32
HOUR_DAYS = 100


def _minute_counts(now_minute):
    """(minute, clicks) for every minute of the history, summing to exactly BUSY_CLICKS."""
    minutes = HISTORY_DAYS * 1440
    base, extra = divmod(BUSY_CLICKS, minutes)
    first = now_minute - minutes + 1
    return [(first + k, base + (1 if k < extra else 0)) for k in range(minutes)]


def _insert_link(db, alias, now_ms):
    cursor = db.execute(
        "INSERT INTO links (code, url, tags, created_at, updated_at) VALUES (?, ?, '[]', ?, ?)",
        (alias, f"https://example.com/{alias}", now_ms, now_ms))
    return cursor.lastrowid


def _add_buckets(db, link_id, minute_counts, now_minute, rolled_before):
    """Minute rows for the retention, and the minutes before `rolled_before` in hours, days and total."""
    hours, days, total = {}, {}, 0
    for minute, clicks in minute_counts:
        if minute < rolled_before:
            hours[minute // 60] = hours.get(minute // 60, 0) + clicks
            days[minute // 1440] = days.get(minute // 1440, 0) + clicks
            total += clicks
    minutes = [(link_id, m, c) for m, c in minute_counts
               if m > now_minute - MINUTE_DAYS * 1440 or m >= rolled_before]
    hour_rows = [(link_id, h, c) for h, c in hours.items() if h * 60 > now_minute - HOUR_DAYS * 1440]
    day_rows = [(link_id, d, c) for d, c in days.items()]
    # A minute row's key packs minute << 32 | link_id (docs/SCHEMA.md, version 4).
    key_from = click_journal.applied_before(db)
    db.executemany("INSERT INTO minute_clicks (minute_link, clicks, bot_clicks) "
                   "VALUES (? << 32 | ?, ?, 0)",
                   [(m, link, c) for link, m, c in minutes if m << 32 | link < key_from])
    for link, m, c in minutes:
        if m << 32 | link >= key_from:
            click_journal.journal(db, m, link, c)
    for table, rows in (("clicks_hour", hour_rows), ("clicks_day", day_rows)):
        db.executemany(f"INSERT INTO {table} (link_id, bucket, clicks, bot_clicks) VALUES (?, ?, ?, 0)",
                       rows)
    db.execute("UPDATE links SET total_clicks = ? WHERE id = ?", (total, link_id))


def add_stats_links(db_path):
    """Adds both links to a store that no hop has open. Returns (busy alias, quiet alias)."""
    now_minute = int(time.time() // 60)
    now_ms = int(time.time() * 1000)
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("BEGIN")
    # New links have ids past any a rollup under way has reached: their watermark is this one.
    (rolled_before,) = db.execute("SELECT rolled_before_minute FROM click_rollup").fetchone()
    _add_buckets(db, _insert_link(db, BUSY_ALIAS, now_ms), _minute_counts(now_minute), now_minute,
                 rolled_before)
    _add_buckets(db, _insert_link(db, QUIET_ALIAS, now_ms), [(now_minute, 1)], now_minute,
                 rolled_before)
    # A hop that had the journal loaded would know to load it again.
    db.execute("UPDATE click_journal_state SET version = version + 1")
    db.execute("COMMIT")
    db.close()
    return BUSY_ALIAS, QUIET_ALIAS

"""The SQLite store's click journal (docs/SCHEMA.md, "Version 5"), as the harness reads and writes it.

The counts of the minutes hop has not yet written to minute_clicks are in click_journal, 12 bytes per
(link, minute): the link id, the human and the bot clicks, little-endian uint32. Those whose minute key
(minute << 32 | link_id) is below click_journal_state.applied_before_key are in minute_clicks already.
Only for a store that no hop has open.
"""

import struct

ENTRY = struct.Struct("<III")


def applied_before(db):
    return db.execute("SELECT applied_before_key FROM click_journal_state").fetchone()[0]


def journaled_clicks(db):
    """Human plus bot clicks that only the journal holds."""
    key_from = applied_before(db)
    clicks = 0
    for key, entries in db.execute("SELECT key, entries FROM click_journal"):
        minute = key >> 32
        for link, humans, bots in ENTRY.iter_unpack(entries):
            if minute << 32 | link >= key_from:
                clicks += humans + bots
    return clicks


def journal(db, minute, link_id, humans):
    """Adds a journal row of `minute` holding one link's human clicks, as a flush would."""
    (newest,) = db.execute("SELECT max(key) FROM click_journal WHERE key BETWEEN ? AND ?",
                           (minute << 32, minute << 32 | 0xffffffff)).fetchone()
    key = minute << 32 if newest is None else newest + 1
    db.execute("INSERT INTO click_journal (key, entries) VALUES (?, ?)",
               (key, ENTRY.pack(link_id, humans, 0)))

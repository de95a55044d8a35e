"""Reminder scan at scale: ``python -m benchmarks.reminders_scan [--certificates N]``.

Builds a database (real schema, via the migrations) with N certificates (default 1,000,000),
one user each, and their 3 reminders (14, 3, 0 days before expiry, due at 10:00 Moscow time).
Expiry dates are spread evenly over the 210 days around "now" (a reminder morning, 10:00:05);
reminders before now are ``sent`` (history), the rest ``pending``, so the due set is one
morning's worth. Then it times, through the real repository code, the parts of one scan:

* the query that finds due rows (``SELECT`` of a batch, read-only),
* ``skip_superseded`` (catch-up pass) and ``claim_due`` of a typical batch (50),
* marking that batch sent,

and prints the process's peak RSS. Targets: one scan's database work < 100 ms, RSS < 200 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from domain.reminders import reminder_times

# `storage` is imported lazily: it pulls in aiogram (~150 MB RSS), which the builder (a child
# process, so that its memory does not count against the scanning process) does not need.

ZONE = ZoneInfo("Europe/Moscow")
NOW = datetime(2027, 3, 15, 10, 0, 5, tzinfo=ZONE).astimezone(UTC)
SPREAD_DAYS = 210  # expiries from 30 days ago to 180 days ahead
OFFSETS = (14, 3, 0)
BATCH = 50
CHUNK = 50_000

FIND_DUE = """
SELECT id FROM reminders
WHERE state IN ('pending', 'sending') AND due_at <= :now
  AND ((state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= :now))
       OR (state = 'sending' AND claimed_at <= :stale))
ORDER BY due_at, id LIMIT :limit
"""


def to_db(moment: datetime) -> str:
    """Same format as ``storage._time.to_db`` (fixed-width UTC ISO)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _chunks(rows: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    chunk: list[tuple[object, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build(path: Path, n: int) -> None:
    """Bulk insert (one transaction, executemany) into the migrated schema."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")  # bulk load of a scratch DB: no journal, no sync
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA locking_mode = EXCLUSIVE")
    conn.execute("PRAGMA cache_size = -262144")  # 256 MiB (the builder's own process)
    created = to_db(NOW - timedelta(days=200))
    # reminders of earlier days are history (sent); today's (due 10:00) are the morning's work
    midnight = datetime.combine(NOW.astimezone(ZONE).date(), datetime.min.time(), tzinfo=ZONE)
    history_before = to_db(midnight)

    today = NOW.astimezone(ZONE).date()
    first = today - timedelta(days=30)
    days = []  # per expiry day: (expires_on, test_date, [(offset, due_at, state, attempts, sent)])
    for k in range(SPREAD_DAYS):
        expires = first + timedelta(days=k)
        due = []
        for offset, moment in reminder_times(expires, OFFSETS, 10, ZONE):
            at = to_db(moment)
            due.append(
                (offset, at, *(("sent", 1, at) if at < history_before else ("pending", 0, None)))
            )
        days.append((expires.isoformat(), (expires - timedelta(days=182)).isoformat(), due))

    def users() -> Iterator[tuple[object, ...]]:
        for i in range(1, n + 1):
            yield (i, created, created)

    def certificates() -> Iterator[tuple[object, ...]]:
        for i in range(1, n + 1):
            expires, test_date, _ = days[(i * SPREAD_DAYS) // (n + 1)]
            # sequential unique tokens: the scan never reads them, and appends load fast
            yield (i, i, f"bench-{i:016d}", "Holder", test_date, expires, created)

    def reminders() -> Iterator[tuple[object, ...]]:
        for i in range(1, n + 1):
            for offset, due_at, state, attempts, sent_at in days[(i * SPREAD_DAYS) // (n + 1)][2]:
                yield (i, i, offset, due_at, state, attempts, sent_at)

    conn.execute("BEGIN")
    phase = time.perf_counter()
    for chunk in _chunks(users()):
        conn.executemany("INSERT INTO users (id, created_at, last_seen_at) VALUES (?, ?, ?)", chunk)
    print(f"  users {time.perf_counter() - phase:.1f} s", flush=True)
    phase = time.perf_counter()
    for chunk in _chunks(certificates()):
        conn.executemany(
            "INSERT INTO certificates (id, user_id, token, holder_name, test_date, expires_on,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            chunk,
        )
    print(f"  certificates {time.perf_counter() - phase:.1f} s", flush=True)
    phase = time.perf_counter()
    for chunk in _chunks(reminders()):
        conn.executemany(
            "INSERT INTO reminders (certificate_id, user_id, offset_days, due_at, state,"
            " attempts, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            chunk,
        )
    print(f"  reminders {time.perf_counter() - phase:.1f} s", flush=True)
    phase = time.perf_counter()
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode = WAL")
    print(f"  commit + ANALYZE {time.perf_counter() - phase:.1f} s", flush=True)
    conn.close()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def measure(path: Path, rounds: int) -> None:
    from storage import Database, Repositories

    db = await Database.open(path)
    repo = Repositories.create(db)
    params = {"now": to_db(NOW), "stale": to_db(NOW - timedelta(minutes=5)), "limit": BATCH}
    plan = await db.fetchall("EXPLAIN QUERY PLAN " + FIND_DUE, params)
    print("plan of the due query:", "; ".join(row["detail"] for row in plan))
    due_now = await db.fetchval(
        "SELECT count(*) FROM reminders WHERE state IN ('pending', 'sending') AND due_at <= ?",
        (to_db(NOW),),
    )
    print(f"due right now: {due_now:,} reminders (one reminder morning)")

    find, skip, claim, mark, total = [], [], [], [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        await db.fetchall(FIND_DUE, params)
        t1 = time.perf_counter()
        await repo.reminders.skip_superseded(NOW)
        t2 = time.perf_counter()
        batch = await repo.reminders.claim_due(NOW, BATCH)
        t3 = time.perf_counter()
        for reminder in batch:
            await repo.reminders.mark_sent(reminder.id, NOW)
        t4 = time.perf_counter()
        assert len(batch) == BATCH, f"claimed {len(batch)}"
        find.append(t1 - t0)
        skip.append(t2 - t1)
        claim.append(t3 - t2)
        mark.append(t4 - t3)
        total.append(t3 - t1)
    await db.close()
    med = statistics.median
    rows = [
        (f"find due rows (SELECT a batch of {BATCH})", find),
        ("skip_superseded (catch-up pass)", skip),
        (f"claim_due({BATCH})", claim),
        (f"mark_sent x{BATCH}", mark),
        ("one scan = skip_superseded + claim_due", total),
    ]
    for label, values in rows:
        print(f"{label:<40} median {_ms(med(values)):>9}, max {_ms(max(values)):>9}")
    print("target for one scan: < 100 ms")


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


async def create_schema(path: Path) -> None:
    from storage import Database

    db = await Database.open(path)  # the real migrations
    await db.close()


def run(n: int, rounds: int, keep: Path | None) -> None:
    folder = tempfile.TemporaryDirectory(prefix="reminders-bench-")
    path = keep or Path(folder.name) / "bench.sqlite3"
    try:
        asyncio.run(create_schema(path))
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.reminders_scan",
                "--build-only",
                str(path),
                "--certificates",
                str(n),
            ],
            check=True,
        )
        built = time.perf_counter() - started
        size = path.stat().st_size / 1e6
        print(
            f"built {n:,} certificates + {n:,} users + {3 * n:,} reminders "
            f"in {built:.1f} s ({size:,.0f} MB)",
            flush=True,
        )
        asyncio.run(measure(path, rounds))
        print(f"peak RSS of the scanning process: {peak_rss_mb():.0f} MB   target < 200 MB")
    finally:
        folder.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--certificates", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=20, help="scans to time")
    parser.add_argument("--keep", type=Path, default=None, help="build the DB here and keep it")
    parser.add_argument("--build-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only is not None:  # the child process
        build(args.build_only, args.certificates)
        return
    run(args.certificates, args.rounds, args.keep)


if __name__ == "__main__":
    main()

"""Expiry reminders: scheduled rows that a worker claims, sends and marks.

Life cycle: ``pending`` -(claim_due)-> ``sending`` -> ``sent`` | ``failed`` | ``blocked``,
or back to ``pending`` with ``next_attempt_at`` after a transient error (``mark_failed`` with
``retry_at``). ``skip_superseded`` closes a due reminder as ``sent`` without a message
(``sent_at`` NULL, ``last_error`` = :data:`SUPERSEDED`) when a more urgent reminder of the same
certificate is due too (catch-up after downtime: one message per certificate).
``pending`` -> ``cancelled`` when the user turns reminders off (and back with
``enable_for_user`` for reminders still in the future). A ``sending`` row whose claim is older
than ``stale_after`` (the worker crashed mid-send) is claimed again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from storage._time import from_db, opt_from_db, to_db
from storage.database import Database

ReminderState = Literal["pending", "sending", "sent", "failed", "blocked", "cancelled"]
STATES: tuple[ReminderState, ...] = ("pending", "sending", "sent", "failed", "blocked", "cancelled")
DEFAULT_STALE_AFTER = timedelta(minutes=5)
SUPERSEDED = "skipped: superseded by a more urgent reminder"
# Queries over due rows repeat ``state IN ('pending', 'sending')``, the WHERE of the partial index
# ``reminders_due``: SQLite uses a partial index only when the query implies that WHERE literally
# (``state = 'pending'`` alone does not), otherwise it scans the whole table.


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    certificate_id: int
    user_id: int
    offset_days: int
    due_at: datetime
    state: ReminderState
    attempts: int  # number of claims so far (incremented by claim_due)
    next_attempt_at: datetime | None
    claimed_at: datetime | None
    sent_at: datetime | None
    last_error: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Reminder:
        return cls(
            id=row["id"],
            certificate_id=row["certificate_id"],
            user_id=row["user_id"],
            offset_days=row["offset_days"],
            due_at=from_db(row["due_at"]),
            state=row["state"],
            attempts=row["attempts"],
            next_attempt_at=opt_from_db(row["next_attempt_at"]),
            claimed_at=opt_from_db(row["claimed_at"]),
            sent_at=opt_from_db(row["sent_at"]),
            last_error=row["last_error"],
        )


class RemindersRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def schedule_for_certificate(
        self, certificate_id: int, user_id: int, due: Iterable[tuple[int, datetime]]
    ) -> list[Reminder]:
        """Create one pending reminder per ``(offset_days, due_at)``; existing offsets of the
        certificate are left untouched (idempotent). Returns all reminders of the certificate."""
        rows = [(certificate_id, user_id, int(off), to_db(at)) for off, at in due]
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO reminders (certificate_id, user_id, offset_days, due_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (certificate_id, offset_days) DO NOTHING",
                rows,
            )
            async with conn.execute(
                "SELECT * FROM reminders WHERE certificate_id = ? ORDER BY due_at, id",
                (certificate_id,),
            ) as cur:
                found = await cur.fetchall()
        return [Reminder.from_row(row) for row in found]

    async def claim_due(
        self,
        now: datetime,
        limit: int = 50,
        *,
        stale_after: timedelta = DEFAULT_STALE_AFTER,
        max_attempts: int | None = None,
    ) -> list[Reminder]:
        """Atomically move due reminders to ``sending`` (``claimed_at = now``, ``attempts + 1``)
        and return them, oldest due first. Due = ``pending`` with ``due_at <= now`` and no
        future ``next_attempt_at``, or ``sending`` claimed before ``now - stale_after``.
        With ``max_attempts``, stale rows that already used them up become ``failed`` instead.
        Two concurrent calls never return the same row."""
        stamp = to_db(now)
        stale = to_db(now - stale_after)
        async with self.db.transaction() as conn:
            if max_attempts is not None:
                await conn.execute(
                    "UPDATE reminders SET state = 'failed', last_error = 'stale claim: gave up' "
                    "WHERE state IN ('pending', 'sending') AND state = 'sending' "
                    "AND claimed_at <= ? AND attempts >= ?",
                    (stale, max_attempts),
                )
            async with conn.execute(
                """
                UPDATE reminders
                SET state = 'sending', claimed_at = :now, attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM reminders
                    WHERE state IN ('pending', 'sending') AND due_at <= :now
                      AND ((state = 'pending'
                            AND (next_attempt_at IS NULL OR next_attempt_at <= :now))
                           OR (state = 'sending' AND claimed_at <= :stale))
                    ORDER BY due_at, id
                    LIMIT :limit
                )
                RETURNING *
                """,
                {"now": stamp, "stale": stale, "limit": limit},
            ) as cur:
                rows = await cur.fetchall()
        claimed = [Reminder.from_row(row) for row in rows]
        claimed.sort(key=lambda r: (r.due_at, r.id))
        return claimed

    async def skip_superseded(
        self, now: datetime, *, stale_after: timedelta = DEFAULT_STALE_AFTER
    ) -> int:
        """Close (as ``sent``, ``sent_at`` NULL, ``last_error`` = :data:`SUPERSEDED`) every
        claimable reminder (see :meth:`claim_due`, retries included) of a certificate that also
        has a reminder with a smaller ``offset_days`` already due. Returns how many.

        Offsets are whole days apart and share the hour, so a superseded reminder was due at
        least ~23 h (DST) before ``now``: only rows due before ``now - 12 h`` are looked at, which
        keeps the pass near-free on an ordinary morning (today's due rows are not candidates)."""
        return await self.db.execute(
            """
            UPDATE reminders SET state = 'sent', sent_at = NULL, last_error = :note
            WHERE state IN ('pending', 'sending') AND due_at <= :older
              AND (state = 'pending' OR claimed_at <= :stale)
              AND EXISTS (
                  SELECT 1 FROM reminders AS newer
                  WHERE newer.certificate_id = reminders.certificate_id
                    AND newer.offset_days < reminders.offset_days
                    AND newer.due_at <= :now
              )
            """,
            {
                "now": to_db(now),
                "older": to_db(now - timedelta(hours=12)),
                "stale": to_db(now - stale_after),
                "note": SUPERSEDED,
            },
        )

    async def mark_sent(self, reminder_id: int, now: datetime) -> bool:
        return await self._finish(
            "state = 'sent', sent_at = ?, last_error = NULL", (to_db(now),), reminder_id
        )

    async def mark_failed(
        self, reminder_id: int, error: str, retry_at: datetime | None = None
    ) -> bool:
        """Transient failure with ``retry_at`` -> back to ``pending`` until then; without it the
        reminder is given up (``failed``)."""
        if retry_at is None:
            return await self._finish("state = 'failed', last_error = ?", (error,), reminder_id)
        return await self._finish(
            "state = 'pending', next_attempt_at = ?, last_error = ?",
            (to_db(retry_at), error),
            reminder_id,
        )

    async def mark_blocked(self, reminder_id: int, error: str | None = None) -> bool:
        """The user blocked the bot. (Other pending reminders: see ``cancel_for_user``.)"""
        return await self._finish("state = 'blocked', last_error = ?", (error,), reminder_id)

    async def _finish(self, assignments: str, params: tuple[object, ...], reminder_id: int) -> bool:
        # Only a row we claimed ('sending') can be finished; a cancel that raced us wins.
        changed = await self.db.execute(
            f"UPDATE reminders SET {assignments} WHERE id = ? AND state = 'sending'",
            (*params, reminder_id),
        )
        return changed > 0

    async def cancel_for_user(self, user_id: int) -> int:
        """``pending`` -> ``cancelled`` for all the user's reminders (reminders turned off)."""
        return await self.db.execute(
            "UPDATE reminders SET state = 'cancelled' WHERE user_id = ? AND state = 'pending'",
            (user_id,),
        )

    async def enable_for_user(self, user_id: int, now: datetime) -> int:
        """``cancelled``/``blocked`` reminders still due in the future -> ``pending`` again."""
        return await self.db.execute(
            "UPDATE reminders SET state = 'pending', next_attempt_at = NULL, claimed_at = NULL "
            "WHERE user_id = ? AND state IN ('cancelled', 'blocked') AND due_at > ?",
            (user_id, to_db(now)),
        )

    async def get(self, reminder_id: int) -> Reminder | None:
        row = await self.db.fetchone("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        return None if row is None else Reminder.from_row(row)

    async def list_for_user(self, user_id: int) -> list[Reminder]:
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE user_id = ? ORDER BY due_at, id", (user_id,)
        )
        return [Reminder.from_row(row) for row in rows]

    async def next_due_at(self) -> datetime | None:
        """When the earliest pending reminder becomes claimable (for the scheduler's sleep)."""
        value = await self.db.fetchval(
            "SELECT min(COALESCE(next_attempt_at, due_at)) FROM reminders WHERE state = 'pending'"
        )
        return None if value is None else from_db(value)

    async def count_by_state(self) -> dict[str, int]:
        """Every state, zero included."""
        rows = await self.db.fetchall("SELECT state, count(*) AS n FROM reminders GROUP BY state")
        counts: dict[str, int] = dict.fromkeys(STATES, 0)
        counts.update({row["state"]: row["n"] for row in rows})
        return counts

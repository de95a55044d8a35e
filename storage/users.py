"""Telegram users (data-minimised: id, language, flags, timestamps)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from storage._time import from_db, opt_from_db, to_db
from storage.database import Database


@dataclass(frozen=True, slots=True)
class User:
    id: int
    language: str | None  # explicit choice; None = follow Telegram's language_code
    blocked_at: datetime | None
    reminders_enabled: bool
    created_at: datetime
    last_seen_at: datetime
    last_interaction: str | None

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> User:
        return cls(
            id=row["id"],
            language=row["language"],
            blocked_at=opt_from_db(row["blocked_at"]),
            reminders_enabled=bool(row["reminders_enabled"]),
            created_at=from_db(row["created_at"]),
            last_seen_at=from_db(row["last_seen_at"]),
            last_interaction=row["last_interaction"],
        )


LANGUAGE_CACHE_LIMIT = 100_000


class UsersRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Every update needs the user's language; this process is the only writer of it.
        self._languages: dict[int, str | None] = {}

    async def language_of(self, user_id: int) -> str | None:
        """The user's explicit language choice (None: follow Telegram's), cached in memory."""
        try:
            return self._languages[user_id]
        except KeyError:
            pass
        language = await self.db.fetchval("SELECT language FROM users WHERE id = ?", (user_id,))
        if len(self._languages) >= LANGUAGE_CACHE_LIMIT:
            self._languages.clear()
        self._languages[user_id] = language
        return None if language is None else str(language)

    async def touch(self, user_id: int, now: datetime) -> User:
        """Create the user on first contact, otherwise bump ``last_seen_at``. One statement.

        Does not clear ``blocked_at``: the caller decides (``set_blocked(..., False, now)``).
        """
        stamp = to_db(now)
        row = await self.db.fetchone(
            """
            INSERT INTO users (id, created_at, last_seen_at) VALUES (?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at
            RETURNING *
            """,
            (user_id, stamp, stamp),
        )
        assert row is not None
        return User.from_row(row)

    async def get(self, user_id: int) -> User | None:
        row = await self.db.fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
        return None if row is None else User.from_row(row)

    async def set_language(self, user_id: int, language: str | None) -> bool:
        """``None`` resets to "follow Telegram's language_code"."""
        changed = await self.db.execute(
            "UPDATE users SET language = ? WHERE id = ?", (language, user_id)
        )
        self._languages.pop(user_id, None)
        return changed > 0

    async def set_blocked(self, user_id: int, blocked: bool, now: datetime) -> bool:
        """Mark (or unmark) that the user blocked the bot. Keeps the first ``blocked_at``."""
        if blocked:
            sql = "UPDATE users SET blocked_at = COALESCE(blocked_at, ?) WHERE id = ?"
            params: tuple[object, ...] = (to_db(now), user_id)
        else:
            sql = "UPDATE users SET blocked_at = NULL WHERE id = ?"
            params = (user_id,)
        return await self.db.execute(sql, params) > 0

    async def set_reminders_enabled(self, user_id: int, enabled: bool) -> bool:
        """Only the flag; pair with ``RemindersRepo.cancel_for_user`` / ``enable_for_user``."""
        changed = await self.db.execute(
            "UPDATE users SET reminders_enabled = ? WHERE id = ?", (int(enabled), user_id)
        )
        return changed > 0

    async def set_last_interaction(self, user_id: int, code: str | None) -> bool:
        changed = await self.db.execute(
            "UPDATE users SET last_interaction = ? WHERE id = ?", (code, user_id)
        )
        return changed > 0

    async def forget_last_interactions(self, seen_before: datetime) -> int:
        """Clear what people not seen since ``seen_before`` last did (a check's outcome and
        reasons are health answers). Returns how many were cleared."""
        return await self.db.execute(
            "UPDATE users SET last_interaction = NULL "
            "WHERE last_interaction IS NOT NULL AND last_seen_at < ?",
            (to_db(seen_before),),
        )

    async def count(self, *, active_only: bool = False) -> int:
        sql = "SELECT count(*) FROM users"
        if active_only:
            sql += " WHERE blocked_at IS NULL"
        return int(await self.db.fetchval(sql, default=0))

    async def active_ids_page(self, after_id: int = 0, limit: int = 500) -> list[int]:
        """Ids of users who did not block the bot, ``id > after_id`` ascending (keyset paging)."""
        rows = await self.db.fetchall(
            "SELECT id FROM users WHERE blocked_at IS NULL AND id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        return [row[0] for row in rows]

    async def all_active_ids(self, page_size: int = 500) -> AsyncIterator[int]:
        """Every non-blocked user id, fetched page by page (no lock held between pages)."""
        after = -(2**63)
        while True:
            page = await self.active_ids_page(after, page_size)
            for user_id in page:
                yield user_id
            if len(page) < page_size:
                return
            after = page[-1]

    async def delete(self, user_id: int) -> bool:
        """Delete the user and (cascade) their checks, certificates, reminders, tickets.

        The SNILS registry is kept on purpose (see ``CertificatesRepo``).
        """
        self._languages.pop(user_id, None)
        return await self.db.execute("DELETE FROM users WHERE id = ?", (user_id,)) > 0

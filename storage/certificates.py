"""Certificates issued through the bot, and the once-per-person SNILS registry.

The registry keeps slow fingerprints (domain/snils.py). Rows written before them are fast HMAC
digests: a typed SNILS is looked up in both forms, and :func:`upgrade_registry` turns the old
rows into fingerprints (it needs only the key, not the numbers)."""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage._time import date_from_db, date_to_db, from_db, to_db
from storage.database import Database


class SnilsAlreadyUsed(Exception):
    """A certificate was already issued for this SNILS (by its fingerprint)."""


@dataclass(frozen=True, slots=True)
class Certificate:
    id: int
    user_id: int
    token: str
    holder_name: str
    test_date: date
    expires_on: date
    official_url: str | None
    snils_given: bool  # a SNILS was checked for "once per person"; none of its digits is kept
    created_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Certificate:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            token=row["token"],
            holder_name=row["holder_name"],
            test_date=date_from_db(row["test_date"]),
            expires_on=date_from_db(row["expires_on"]),
            official_url=row["official_url"],
            snils_given=bool(row["snils_given"]),
            created_at=from_db(row["created_at"]),
        )


def new_token() -> str:
    """Unguessable deep-link token: 22 chars of [A-Za-z0-9_-] (fits Telegram's /start payload)."""
    return secrets.token_urlsafe(16)


class CertificatesRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        user_id: int,
        *,
        holder_name: str,
        test_date: date,
        expires_on: date,
        now: datetime,
        official_url: str | None = None,
        snils: SnilsKeys | None = None,
        token: str | None = None,
    ) -> Certificate:
        """Store a certificate. With ``snils`` the registry insert happens in the same
        transaction; if the SNILS is already registered (in either form) nothing is written and
        :class:`SnilsAlreadyUsed` is raised."""
        stamp = to_db(now)
        async with self.db.transaction() as conn:
            if snils is not None:
                await self._register(conn, snils, stamp, date_to_db(test_date))
            async with conn.execute(
                """
                INSERT INTO certificates (user_id, token, holder_name, test_date, expires_on,
                                          official_url, snils_given, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING *
                """,
                (
                    user_id,
                    token or new_token(),
                    holder_name,
                    date_to_db(test_date),
                    date_to_db(expires_on),
                    official_url,
                    snils is not None,
                    stamp,
                ),
            ) as cur:
                row = await cur.fetchone()
        assert row is not None
        return Certificate.from_row(row)

    @staticmethod
    async def _register(
        conn: aiosqlite.Connection, snils: SnilsKeys, stamp: str, test_date: str | None
    ) -> None:
        """Register the SNILS for this test; the same test again is no second certificate."""
        async with conn.execute(
            "SELECT test_date FROM snils_registry WHERE digest IN (?, ?)",
            (snils.fingerprint, snils.legacy),
        ) as cur:
            row = await cur.fetchone()
        if row is not None:
            if test_date is None or row["test_date"] != test_date:
                raise SnilsAlreadyUsed()
            return
        await conn.execute(
            "INSERT INTO snils_registry (digest, created_at, test_date) VALUES (?, ?, ?)",
            (snils.fingerprint, stamp, test_date),
        )

    async def get(self, certificate_id: int) -> Certificate | None:
        row = await self.db.fetchone("SELECT * FROM certificates WHERE id = ?", (certificate_id,))
        return None if row is None else Certificate.from_row(row)

    async def latest_for_user(self, user_id: int) -> Certificate | None:
        row = await self.db.fetchone(
            "SELECT * FROM certificates WHERE user_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            (user_id,),
        )
        return None if row is None else Certificate.from_row(row)

    async def list_for_user(self, user_id: int) -> list[Certificate]:
        rows = await self.db.fetchall(
            "SELECT * FROM certificates WHERE user_id = ? ORDER BY created_at DESC, id DESC",
            (user_id,),
        )
        return [Certificate.from_row(row) for row in rows]

    async def by_token(self, token: str) -> Certificate | None:
        row = await self.db.fetchone("SELECT * FROM certificates WHERE token = ?", (token,))
        return None if row is None else Certificate.from_row(row)

    async def delete_for_user(self, user_id: int) -> int:
        """Delete the user's certificates (+ their reminders). The SNILS registry is kept."""
        return await self.db.execute("DELETE FROM certificates WHERE user_id = ?", (user_id,))

    async def count(self) -> int:
        return int(await self.db.fetchval("SELECT count(*) FROM certificates", default=0))

    async def snils_used(self, snils: SnilsKeys, test_date: date | None = None) -> bool:
        """Whether a certificate for *another* test (any, without ``test_date``) was saved."""
        row = await self.db.fetchone(
            "SELECT test_date FROM snils_registry WHERE digest IN (?, ?)",
            (snils.fingerprint, snils.legacy),
        )
        if row is None:
            return False
        return test_date is None or row["test_date"] != date_to_db(test_date)

    async def register_snils(
        self, snils: SnilsKeys, now: datetime, test_date: date | None = None
    ) -> None:
        """Register a SNILS on its own; raises :class:`SnilsAlreadyUsed` if already there."""
        async with self.db.transaction() as conn:
            await self._register(
                conn, snils, to_db(now), None if test_date is None else date_to_db(test_date)
            )

    async def legacy_digests(self, limit: int) -> list[str]:
        """Registry rows still in the old fast form (see the module's docstring)."""
        rows = await self.db.fetchall(
            "SELECT digest FROM snils_registry WHERE digest NOT LIKE 's1:%' LIMIT ?", (limit,)
        )
        return [row["digest"] for row in rows]

    async def replace_digest(self, legacy: str, fingerprint: str) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO snils_registry (digest, created_at, test_date) "
                "SELECT ?, created_at, test_date FROM snils_registry WHERE digest = ? "
                "ON CONFLICT (digest) DO NOTHING",
                (fingerprint, legacy),
            )
            await conn.execute("DELETE FROM snils_registry WHERE digest = ?", (legacy,))


@dataclass(frozen=True, slots=True)
class SnilsKeys:
    """How a typed SNILS is looked up: its fingerprint, and the fast digest that rows written
    before fingerprints hold (until :func:`upgrade_registry` has turned them)."""

    fingerprint: str
    legacy: str


async def upgrade_registry(
    repo: CertificatesRepo,
    to_fingerprint: Callable[[str], str],
    *,
    batch: int = 20,
) -> int:
    """Replace every old fast digest with its slow fingerprint; returns how many. Each one takes
    ~95 ms of CPU, computed in a worker thread so that the bot keeps answering meanwhile."""
    done = 0
    while legacy := await repo.legacy_digests(batch):
        for digest in legacy:
            await repo.replace_digest(digest, await asyncio.to_thread(to_fingerprint, digest))
            done += 1
    return done


def new_certificate_token() -> str:
    """A card's token: unguessable, 22 chars of [A-Za-z0-9_-] (the card's deep link carries it)."""
    return secrets.token_urlsafe(16)

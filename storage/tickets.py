"""Support tickets and the routing of their messages. No message text is kept, except in the
outbox (`PendingPost`) between the moment a message is accepted and the moment it is posted."""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from storage._time import from_db, opt_from_db, to_db
from storage.database import Database

TicketStatus = Literal["open", "closed"]
Direction = Literal["citizen", "staff"]


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    user_id: int
    status: TicketStatus
    language: str | None
    created_at: datetime
    first_answer_at: datetime | None
    closed_at: datetime | None
    user_blocked: bool

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Ticket:
        return cls(
            id=row["id"],
            user_id=row["user_id"],
            status=row["status"],
            language=row["language"],
            created_at=from_db(row["created_at"]),
            first_answer_at=opt_from_db(row["first_answer_at"]),
            closed_at=opt_from_db(row["closed_at"]),
            user_blocked=bool(row["user_blocked"]),
        )


@dataclass(frozen=True, slots=True)
class TicketMessage:
    id: int
    ticket_id: int
    direction: Direction
    support_message_id: int | None
    citizen_message_id: int | None
    staff_user_id: int | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> TicketMessage:
        return cls(
            id=row["id"],
            ticket_id=row["ticket_id"],
            direction=row["direction"],
            support_message_id=row["support_message_id"],
            citizen_message_id=row["citizen_message_id"],
            staff_user_id=row["staff_user_id"],
            created_at=from_db(row["created_at"]),
        )


@dataclass(frozen=True, slots=True)
class PendingPost:
    """A citizen's message accepted into a ticket, not yet posted to the support chat."""

    id: int
    ticket_id: int
    first: bool  # the ticket's first message: posted with the full header
    citizen_chat_id: int
    citizen_message_id: int
    text: str | None  # masked text of a text message
    caption: str | None  # masked caption of a media message (copied from the citizen's chat)
    snils_hidden: bool
    created_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> PendingPost:
        return cls(
            id=row["id"],
            ticket_id=row["ticket_id"],
            first=bool(row["first"]),
            citizen_chat_id=row["citizen_chat_id"],
            citizen_message_id=row["citizen_message_id"],
            text=row["text"],
            caption=row["caption"],
            snils_hidden=bool(row["snils_hidden"]),
            created_at=from_db(row["created_at"]),
        )


@dataclass(frozen=True, slots=True)
class TicketStats:
    total: int
    open: int
    closed: int
    answered: int  # tickets with a first answer
    median_first_answer: timedelta | None  # over answered tickets; None if none


class TicketsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def open(self, user_id: int, language: str | None, now: datetime) -> Ticket:
        """Open a ticket for the user, or return the one already open (one open per user)."""
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT * FROM tickets WHERE user_id = ? AND status = 'open'", (user_id,)
            ) as cur:
                row = await cur.fetchone()
            if row is None:
                # a number never given before (see migration 0003), not the next free rowid
                async with conn.execute(
                    "INSERT INTO ticket_numbers DEFAULT VALUES RETURNING id"
                ) as cur:
                    number_row = await cur.fetchone()
                assert number_row is not None
                number = number_row[0]
                await conn.execute("DELETE FROM ticket_numbers WHERE id < ?", (number,))
                async with conn.execute(
                    "INSERT INTO tickets (id, user_id, status, language, created_at) "
                    "VALUES (?, ?, 'open', ?, ?) RETURNING *",
                    (number, user_id, language, to_db(now)),
                ) as cur:
                    row = await cur.fetchone()
        assert row is not None
        return Ticket.from_row(row)

    async def accept(
        self,
        user_id: int,
        language: str | None,
        now: datetime,
        *,
        ticket: Ticket | None,
        citizen_message_id: int,
        text: str | None,
        caption: str | None,
        snils_hidden: bool,
    ) -> tuple[Ticket, PendingPost]:
        """In one transaction: a new ticket (``ticket`` None) and the message queued for posting.
        A crash after it leaves nothing half-made: :meth:`pending_posts` has it at next start."""
        async with self.db.transaction() as conn:
            if ticket is None:
                ticket = await self.open(user_id, language, now)
                first = True
            else:
                first = False
            async with conn.execute(
                "INSERT INTO ticket_outbox (ticket_id, first, citizen_chat_id, citizen_message_id, "
                "text, caption, snils_hidden, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "RETURNING *",
                (
                    ticket.id,
                    first,
                    user_id,
                    citizen_message_id,
                    text,
                    caption,
                    snils_hidden,
                    to_db(now),
                ),
            ) as cur:
                row = await cur.fetchone()
        assert row is not None
        return ticket, PendingPost.from_row(row)

    async def pending_posts(self) -> list[PendingPost]:
        rows = await self.db.fetchall("SELECT * FROM ticket_outbox ORDER BY id")
        return [PendingPost.from_row(row) for row in rows]

    async def posted(self, pending: PendingPost, post_ids: list[int], now: datetime) -> None:
        """The posts are in the support chat: record their routing and forget the queued text,
        together (staff replies to any of them reach the ticket)."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO ticket_messages (ticket_id, direction, support_message_id, "
                "citizen_message_id, created_at) VALUES (?, 'citizen', ?, ?, ?)",
                [
                    (pending.ticket_id, post_id, pending.citizen_message_id, to_db(now))
                    for post_id in post_ids
                ],
            )
            await conn.execute("DELETE FROM ticket_outbox WHERE id = ?", (pending.id,))

    async def drop_pending(self, pending: PendingPost) -> None:
        await self.db.execute("DELETE FROM ticket_outbox WHERE id = ?", (pending.id,))

    async def open_for_user(self, user_id: int) -> Ticket | None:
        row = await self.db.fetchone(
            "SELECT * FROM tickets WHERE user_id = ? AND status = 'open'", (user_id,)
        )
        return None if row is None else Ticket.from_row(row)

    async def get(self, ticket_id: int) -> Ticket | None:
        row = await self.db.fetchone("SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return None if row is None else Ticket.from_row(row)

    async def add_message(
        self,
        ticket_id: int,
        direction: Direction,
        now: datetime,
        *,
        support_message_id: int | None = None,
        citizen_message_id: int | None = None,
        staff_user_id: int | None = None,
    ) -> TicketMessage:
        row = await self.db.fetchone(
            """
            INSERT INTO ticket_messages (ticket_id, direction, support_message_id,
                                         citizen_message_id, staff_user_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?) RETURNING *
            """,
            (
                ticket_id,
                direction,
                support_message_id,
                citizen_message_id,
                staff_user_id,
                to_db(now),
            ),
        )
        assert row is not None
        return TicketMessage.from_row(row)

    async def messages(self, ticket_id: int) -> list[TicketMessage]:
        rows = await self.db.fetchall(
            "SELECT * FROM ticket_messages WHERE ticket_id = ? ORDER BY created_at, id",
            (ticket_id,),
        )
        return [TicketMessage.from_row(row) for row in rows]

    async def message_by_support_message(self, support_message_id: int) -> TicketMessage | None:
        row = await self.db.fetchone(
            "SELECT * FROM ticket_messages WHERE support_message_id = ? ORDER BY id DESC LIMIT 1",
            (support_message_id,),
        )
        return None if row is None else TicketMessage.from_row(row)

    async def ticket_by_support_message(self, support_message_id: int) -> Ticket | None:
        """The ticket a support-chat post belongs to (to route a staff reply)."""
        row = await self.db.fetchone(
            """
            SELECT t.* FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
            WHERE m.support_message_id = ? ORDER BY m.id DESC LIMIT 1
            """,
            (support_message_id,),
        )
        return None if row is None else Ticket.from_row(row)

    async def record_first_answer(self, ticket_id: int, now: datetime) -> bool:
        """Set ``first_answer_at`` once; True if this call set it."""
        changed = await self.db.execute(
            "UPDATE tickets SET first_answer_at = ? WHERE id = ? AND first_answer_at IS NULL",
            (to_db(now), ticket_id),
        )
        return changed > 0

    async def close(self, ticket_id: int, now: datetime) -> bool:
        """Close an open ticket; False if it was not open."""
        changed = await self.db.execute(
            "UPDATE tickets SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'",
            (to_db(now), ticket_id),
        )
        return changed > 0

    async def set_user_blocked(self, ticket_id: int, blocked: bool = True) -> bool:
        """The citizen blocked the bot, so staff answers cannot be delivered."""
        changed = await self.db.execute(
            "UPDATE tickets SET user_blocked = ? WHERE id = ?", (int(blocked), ticket_id)
        )
        return changed > 0

    async def list_open(self, limit: int = 50) -> list[Ticket]:
        """Open tickets, oldest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM tickets WHERE status = 'open' ORDER BY created_at, id LIMIT ?",
            (limit,),
        )
        return [Ticket.from_row(row) for row in rows]

    async def count_recent_for_user(self, user_id: int, since: datetime) -> int:
        """Tickets the user opened at/after ``since`` (rate limiting)."""
        return int(
            await self.db.fetchval(
                "SELECT count(*) FROM tickets WHERE user_id = ? AND created_at >= ?",
                (user_id, to_db(since)),
                default=0,
            )
        )

    async def count_recent_messages_for_user(self, user_id: int, since: datetime) -> int:
        """Citizen messages of the user at/after ``since`` (rate limiting)."""
        return int(
            await self.db.fetchval(
                """
                SELECT count(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
                WHERE t.user_id = ? AND m.direction = 'citizen' AND m.created_at >= ?
                """,
                (user_id, to_db(since)),
                default=0,
            )
        )

    async def stats(self, since: datetime | None = None) -> TicketStats:
        """Counts and the median time to first answer, for tickets created at/after ``since``."""
        where, params = ("WHERE created_at >= ?", (to_db(since),)) if since else ("", ())
        row = await self.db.fetchone(
            f"""
            SELECT count(*) AS total,
                   coalesce(sum(status = 'open'), 0) AS open,
                   coalesce(sum(status = 'closed'), 0) AS closed,
                   coalesce(sum(first_answer_at IS NOT NULL), 0) AS answered
            FROM tickets {where}
            """,
            params,
        )
        assert row is not None
        waits = await self.db.fetchall(
            f"""
            SELECT created_at, first_answer_at FROM tickets {where}
            {"AND" if where else "WHERE"} first_answer_at IS NOT NULL
            """,
            params,
        )
        seconds = [
            (from_db(w["first_answer_at"]) - from_db(w["created_at"])).total_seconds()
            for w in waits
        ]
        return TicketStats(
            total=row["total"],
            open=row["open"],
            closed=row["closed"],
            answered=row["answered"],
            median_first_answer=timedelta(seconds=statistics.median(seconds)) if seconds else None,
        )

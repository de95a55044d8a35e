"""Conversions between Python dates/times and the TEXT columns of the database.

Every timestamp is stored as a fixed-width UTC ISO-8601 string
(``2024-05-01T09:30:00.000000+00:00``), so string comparison in SQL equals time order
and SQLite's ``julianday()`` understands it. Dates are stored as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def to_db(moment: datetime) -> str:
    """An aware datetime -> fixed-width UTC ISO string. Naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass an aware datetime (UTC)")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:  # written by hand / by SQLite's datetime(): assume UTC
        moment = moment.replace(tzinfo=UTC)
    return moment


def opt_from_db(value: str | None) -> datetime | None:
    return None if value is None else from_db(value)


def date_to_db(day: date) -> str:
    if isinstance(day, datetime):
        raise TypeError("expected a date, got a datetime")
    return day.isoformat()


def date_from_db(value: str) -> date:
    return date.fromisoformat(value)


def utcnow() -> datetime:
    """Resolved at call time; repositories accept an explicit ``now`` instead where it matters."""
    return datetime.now(UTC)

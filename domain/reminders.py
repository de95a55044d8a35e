"""When expiry reminders are due: pure date/time arithmetic, no I/O, no clock.

A reminder ``offset`` days before ``expires_on`` is due at ``hour``:00 local time (``zone``, e.g.
a ``ZoneInfo``) on ``expires_on - offset``; offset 0 is the expiry day itself. Results are aware
UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from domain.validity import days_left

__all__ = ["days_left", "reminder_times"]


def reminder_times(
    expires_on: date,
    offsets: Iterable[int],
    hour: int,
    zone: tzinfo,
    *,
    today: date | None = None,
) -> list[tuple[int, datetime]]:
    """``(offset_days, due_at_utc)`` for each distinct offset, earliest due first.

    With ``today`` (the local calendar date at scheduling time), offsets whose day is already
    over (``expires_on - offset < today``) are left out; an offset whose day is ``today`` is kept
    even when ``hour`` has passed (it is simply due at once).
    """
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be 0..23, got {hour}")
    result: list[tuple[int, datetime]] = []
    for offset in sorted(set(offsets), reverse=True):
        if offset < 0:
            raise ValueError(f"offsets are days before expiry (>= 0), got {offset}")
        day = expires_on - timedelta(days=offset)
        if today is not None and day < today:
            continue
        local = datetime.combine(day, time(hour), tzinfo=zone)
        result.append((offset, local.astimezone(UTC)))
    return result

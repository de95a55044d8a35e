"""The one place that reads the wall clock; tests replace it with a fixed or movable clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """Real time. `today()` is the calendar date in the lab's time zone (default Europe/Moscow)."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def now(self) -> datetime:
        """Aware UTC now."""
        return datetime.now(UTC)

    def local_now(self) -> datetime:
        return self.now().astimezone(self.zone)

    def today(self) -> date:
        return self.local_now().date()


class FrozenClock(Clock):
    """A clock that stands still until moved: for tests and the console."""

    def __init__(self, zone: ZoneInfo, now: datetime) -> None:
        super().__init__(zone)
        if now.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = now.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, now: datetime) -> None:
        self._now = now.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._now += delta

"""domain.reminders: due times of expiry reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.reminders import days_left, reminder_times

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")


def test_default_offsets_at_ten_moscow_time_in_utc() -> None:
    times = reminder_times(date(2027, 5, 20), [14, 3, 0], 10, MOSCOW)
    assert times == [
        (14, datetime(2027, 5, 6, 7, 0, tzinfo=UTC)),
        (3, datetime(2027, 5, 17, 7, 0, tzinfo=UTC)),
        (0, datetime(2027, 5, 20, 7, 0, tzinfo=UTC)),
    ]
    assert all(at.tzinfo is UTC for _, at in times)


def test_offsets_are_deduplicated_and_ordered_earliest_first() -> None:
    times = reminder_times(date(2027, 5, 20), [0, 3, 14, 3], 9, MOSCOW)
    assert [offset for offset, _ in times] == [14, 3, 0]


def test_days_already_over_are_dropped_but_today_is_kept() -> None:
    expires = date(2027, 5, 20)
    times = reminder_times(expires, [14, 3, 0], 10, MOSCOW, today=date(2027, 5, 17))
    assert [offset for offset, _ in times] == [3, 0]
    times = reminder_times(expires, [14, 3, 0], 10, MOSCOW, today=date(2027, 5, 18))
    assert [offset for offset, _ in times] == [0]
    assert reminder_times(expires, [14, 3, 0], 10, MOSCOW, today=date(2027, 5, 21)) == []


def test_local_hour_follows_daylight_saving() -> None:
    ((_, winter),) = reminder_times(date(2027, 1, 15), [0], 10, BERLIN)
    ((_, summer),) = reminder_times(date(2027, 7, 15), [0], 10, BERLIN)
    assert (winter.hour, summer.hour) == (9, 8)


def test_month_and_year_boundaries() -> None:
    ((_, at),) = reminder_times(date(2027, 1, 2), [14], 10, MOSCOW)
    assert at == datetime(2026, 12, 19, 7, 0, tzinfo=UTC)
    ((_, at),) = reminder_times(date(2028, 3, 1), [1], 0, MOSCOW)  # leap year, local midnight
    assert at == datetime(2028, 2, 28, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize("bad", [{"hour": 24}, {"hour": -1}, {"offsets": [-1]}])
def test_invalid_arguments(bad: dict[str, object]) -> None:
    args: dict[str, object] = {"offsets": [3], "hour": 10, **bad}
    with pytest.raises(ValueError):
        reminder_times(date(2027, 5, 20), zone=MOSCOW, **args)  # type: ignore[arg-type]


def test_days_left() -> None:
    assert days_left(date(2027, 5, 20), date(2027, 5, 6)) == 14
    assert days_left(date(2027, 5, 20), date(2027, 5, 20)) == 0
    assert days_left(date(2027, 5, 20), date(2027, 6, 1)) == 0


@given(
    expires=st.dates(min_value=date(2021, 1, 1), max_value=date(2035, 12, 31)),
    offsets=st.lists(st.integers(0, 180), max_size=6),
    hour=st.integers(0, 23),
    today_shift=st.integers(-200, 10),
)
def test_properties(expires: date, offsets: list[int], hour: int, today_shift: int) -> None:
    today = expires + timedelta(days=today_shift)
    times = reminder_times(expires, offsets, hour, MOSCOW, today=today)
    assert [at for _, at in times] == sorted(at for _, at in times)
    for offset, at in times:
        local = at.astimezone(MOSCOW)
        assert local.date() == expires - timedelta(days=offset)
        assert (local.hour, local.minute) == (hour, 0)
        assert local.date() >= today
        assert days_left(expires, local.date()) == offset
    kept = {offset for offset, _ in times}
    assert kept == {o for o in offsets if expires - timedelta(days=o) >= today}

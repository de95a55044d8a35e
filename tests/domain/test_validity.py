from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import VALIDITY_MONTHS, Validity, ValidityStatus, add_months, expiry_date

# Dates whose +6 months still fit in datetime.date.
dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 6, 30))


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def is_last_day_of_month(d: date) -> bool:
    return (d + timedelta(days=1)).day == 1


def test_validity_is_six_months() -> None:
    assert VALIDITY_MONTHS == 6


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 5), 6, date(2026, 9, 5)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # clamped, common year
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # clamped, leap year
        (date(2023, 8, 29), 6, date(2024, 2, 29)),
        (date(2023, 8, 30), 6, date(2024, 2, 29)),
        (date(2025, 10, 31), 6, date(2026, 4, 30)),
        (date(2025, 12, 31), 6, date(2026, 6, 30)),
        (date(2026, 7, 31), 6, date(2027, 1, 31)),  # crosses the year
        (date(2024, 2, 29), 6, date(2024, 8, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 1, 15), 24, date(2028, 1, 15)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
    ],
)
def test_add_months(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


@pytest.mark.parametrize(("start", "n"), [(date(9999, 12, 1), 1), (date(1, 1, 1), -1)])
def test_add_months_out_of_range(start: date, n: int) -> None:
    with pytest.raises(ValueError):
        add_months(start, n)


@pytest.mark.parametrize(
    ("test_date", "expires"),
    [
        (date(2026, 3, 5), date(2026, 9, 5)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2021, 7, 1), date(2022, 1, 1)),
    ],
)
def test_expiry_date(test_date: date, expires: date) -> None:
    assert expiry_date(test_date) == expires
    assert Validity.from_test_date(test_date) == Validity(test_date, expires)


VALIDITY = Validity(starts_on=date(2026, 3, 5), expires_on=date(2026, 9, 5))


@pytest.mark.parametrize(
    ("today", "status", "days_left"),
    [
        (date(2026, 3, 4), ValidityStatus.NOT_YET, 185),
        (date(2026, 3, 5), ValidityStatus.VALID, 184),
        (date(2026, 6, 1), ValidityStatus.VALID, 96),
        (date(2026, 9, 4), ValidityStatus.VALID, 1),
        (date(2026, 9, 5), ValidityStatus.VALID, 0),  # expires_on itself: the last valid day
        (date(2026, 9, 6), ValidityStatus.EXPIRED, 0),  # clamped at 0
        (date(2030, 1, 1), ValidityStatus.EXPIRED, 0),
    ],
)
def test_status_and_days_left(today: date, status: ValidityStatus, days_left: int) -> None:
    assert VALIDITY.status(today) is status
    assert VALIDITY.days_left(today) == days_left
    assert VALIDITY.is_valid(today) is (status is ValidityStatus.VALID)


@pytest.mark.parametrize("expires", [date(2026, 3, 5), date(2026, 3, 4)])
def test_validity_rejects_empty_window(expires: date) -> None:
    with pytest.raises(ValueError):
        Validity(starts_on=date(2026, 3, 5), expires_on=expires)


def test_validity_is_frozen() -> None:
    with pytest.raises(AttributeError):
        VALIDITY.expires_on = date(2027, 1, 1)  # type: ignore[misc]


@given(dates)
def test_expiry_is_six_calendar_months_later(start: date) -> None:
    expires = expiry_date(start)
    assert expires == add_months(start, VALIDITY_MONTHS)
    assert month_index(expires) - month_index(start) == 6
    assert expires > start
    assert expires.day <= start.day
    if expires.day != start.day:  # only ever clamped to the end of a shorter month
        assert is_last_day_of_month(expires)
    if start.day <= 28:
        assert expires.day == start.day
    assert 181 <= (expires - start).days <= 184


@given(dates, st.integers(min_value=-120, max_value=120))
def test_add_months_round_trip_when_not_clamped(start: date, n: int) -> None:
    if start.day > 28 or not date(11, 1, 1) <= start <= date(9989, 1, 1):
        return
    assert add_months(add_months(start, n), -n) == start


@given(dates, st.integers(min_value=-400, max_value=400))
def test_validity_status_consistency(start: date, offset: int) -> None:
    validity = Validity.from_test_date(start)
    try:
        today = start + timedelta(days=offset)
    except OverflowError:
        return
    status = validity.status(today)
    days = validity.days_left(today)
    assert days >= 0
    if status is ValidityStatus.VALID:
        assert 0 <= days <= 184  # 0: the expiry date itself, the last valid day
        assert days == (validity.expires_on - today).days
    elif status is ValidityStatus.EXPIRED:
        assert days == 0
    else:
        assert today < start
        assert days == (validity.expires_on - today).days > (validity.expires_on - start).days

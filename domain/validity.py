"""Certificate validity: 6 calendar months from the positive IgG test date."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "VALIDITY_MONTHS",
    "Validity",
    "ValidityStatus",
    "add_months",
    "expiry_date",
]

VALIDITY_MONTHS = 6


def add_months(d: date, n: int) -> date:
    """``d`` shifted by ``n`` calendar months (``n`` may be negative).

    The day is clamped to the last day of the target month:
    31.08.2025 + 6 → 28.02.2026; 31.08.2027 + 6 → 29.02.2028.
    Raises ``ValueError`` if the result falls outside ``date``'s range.
    """
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def expiry_date(test_date: date) -> date:
    """The last day a certificate from ``test_date`` is valid (inclusive: ``today <= expiry``),
    six calendar months on, as a term of months ends in Russian law."""
    return add_months(test_date, VALIDITY_MONTHS)


class ValidityStatus(StrEnum):
    NOT_YET = "not_yet"  # today is before the test date
    VALID = "valid"
    EXPIRED = "expired"


def days_left(expires_on: date, today: date) -> int:
    """Whole days from ``today`` to ``expires_on`` (the last valid day): 0 then and after."""
    return max(0, (expires_on - today).days)


@dataclass(frozen=True, slots=True)
class Validity:
    """Validity window ``[starts_on, expires_on]``: valid through ``expires_on`` inclusive.

    A term of months ends on the same-numbered day of its last month, and that day still
    belongs to it (Civil Code of the Russian Federation, art. 192, 194); "действует до 01.04.2027"
    on a card reads the same way, and a result exactly 6 months old is "не старше 6 месяцев".
    """

    starts_on: date
    expires_on: date

    def __post_init__(self) -> None:
        if self.expires_on <= self.starts_on:
            raise ValueError("expires_on must be after starts_on")

    @classmethod
    def from_test_date(cls, test_date: date) -> Validity:
        return cls(starts_on=test_date, expires_on=expiry_date(test_date))

    def status(self, today: date) -> ValidityStatus:
        if today < self.starts_on:
            return ValidityStatus.NOT_YET
        if today <= self.expires_on:
            return ValidityStatus.VALID
        return ValidityStatus.EXPIRED

    def is_valid(self, today: date) -> bool:
        return self.status(today) is ValidityStatus.VALID

    def days_left(self, today: date) -> int:
        """``(expires_on - today).days``: 0 on the last valid day and once expired."""
        return days_left(self.expires_on, today)

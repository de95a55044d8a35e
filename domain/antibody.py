"""What a person tells us about their antibody test and their QR history.

Pure value objects: no rules live here (see :mod:`domain.eligibility`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

__all__ = [
    "AntibodyClass",
    "AntibodyTest",
    "LabStatus",
    "Measurement",
    "PersonHistory",
    "TriState",
]


class AntibodyClass(StrEnum):
    """Immunoglobulin class the test measured. Only IgG counts for the certificate."""

    IGG = "igg"
    IGM = "igm"
    IGA = "iga"
    TOTAL = "total"  # "суммарные антитела" (IgG+IgM) — not IgG alone
    UNKNOWN = "unknown"


class Measurement(StrEnum):
    """Kind of result. Both qualitative and quantitative positive IgG results count."""

    QUALITATIVE = "qualitative"
    QUANTITATIVE = "quantitative"
    UNKNOWN = "unknown"


class TriState(StrEnum):
    """A yes/no answer the person may not know."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"

    @classmethod
    def from_bool(cls, value: bool | None) -> TriState:
        if value is None:
            return cls.UNKNOWN
        return cls.YES if value else cls.NO


@dataclass(frozen=True, slots=True)
class LabStatus:
    """The laboratory that did the test.

    The memo requires a lab accredited by Rospotrebnadzor **and** able to send results
    to ЕПГУ (Госуслуги). Either fact may be unknown to the person.
    """

    accredited: TriState = TriState.UNKNOWN
    sends_to_epgu: TriState = TriState.UNKNOWN

    @property
    def confirmed(self) -> bool:
        """Both requirements are known to hold."""
        return self.accredited is TriState.YES and self.sends_to_epgu is TriState.YES

    @property
    def rejected(self) -> bool:
        """At least one requirement is known to fail."""
        return self.accredited is TriState.NO or self.sends_to_epgu is TriState.NO

    @classmethod
    def known_good(cls) -> LabStatus:
        """An accredited lab that sends results to ЕПГУ (e.g. our own lab)."""
        return cls(accredited=TriState.YES, sends_to_epgu=TriState.YES)


@dataclass(frozen=True, slots=True)
class AntibodyTest:
    """One antibody test result as reported by the person.

    ``positive`` is ``None`` when the person does not know the result (yet).
    ``result_date`` is the date of the (positive) result; the certificate runs from it.
    """

    antibody_class: AntibodyClass
    measurement: Measurement
    positive: bool | None
    result_date: date
    lab: LabStatus = field(default_factory=LabStatus)


@dataclass(frozen=True, slots=True)
class PersonHistory:
    """QR certificates the person has now or ever had on ЕПГУ."""

    had_vaccination_qr: bool = False
    had_recovery_qr: bool = False
    has_antibody_certificate: bool = False  # antibody certificate already issued (ever)

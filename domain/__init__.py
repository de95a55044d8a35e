"""The memo's rules as pure, fully typed code: no aiogram, no I/O, no clock.

Callers pass ``today`` (see docs/architecture.md, "Dates").
"""

from domain.antibody import (
    AntibodyClass,
    AntibodyTest,
    LabStatus,
    Measurement,
    PersonHistory,
    TriState,
)
from domain.dates import (
    MIN_YEAR,
    DateParseError,
    DateParseErrorCode,
    format_date,
    parse_user_date,
)
from domain.eligibility import (
    NEXT_STEPS,
    PERSON_REASONS,
    SOFT_REASONS,
    NextStep,
    Outcome,
    Reason,
    Verdict,
    check_eligibility,
    next_steps_for,
)
from domain.snils import (
    MIN_DIGEST_KEY_BYTES,
    Snils,
    SnilsError,
    SnilsErrorCode,
    is_valid_snils,
    parse_snils,
    snils_checksum,
    snils_digest,
    snils_fingerprint,
)
from domain.validity import (
    VALIDITY_MONTHS,
    Validity,
    ValidityStatus,
    add_months,
    expiry_date,
)

__all__ = [
    "MIN_DIGEST_KEY_BYTES",
    "MIN_YEAR",
    "NEXT_STEPS",
    "PERSON_REASONS",
    "SOFT_REASONS",
    "VALIDITY_MONTHS",
    "AntibodyClass",
    "AntibodyTest",
    "DateParseError",
    "DateParseErrorCode",
    "LabStatus",
    "Measurement",
    "NextStep",
    "Outcome",
    "PersonHistory",
    "Reason",
    "Snils",
    "SnilsError",
    "SnilsErrorCode",
    "TriState",
    "Validity",
    "ValidityStatus",
    "Verdict",
    "add_months",
    "check_eligibility",
    "expiry_date",
    "format_date",
    "is_valid_snils",
    "next_steps_for",
    "parse_snils",
    "parse_user_date",
    "snils_checksum",
    "snils_digest",
    "snils_fingerprint",
]

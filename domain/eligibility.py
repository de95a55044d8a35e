"""Can this person get the antibody QR certificate on ЕПГУ? Every reason, with what to do.

Rules (memo "Памятка по формированию QR-кода при наличии антител IgG к COVID-19", Penza region):

* only IgG antibodies count (not IgM, IgA or "total" antibodies);
* qualitative or quantitative — either counts, if the result is positive;
* the lab must be accredited by Rospotrebnadzor and able to send results to ЕПГУ;
* no certificate if the person has or had a vaccination or recovery QR code
  (to extend those: vaccinate or take a PCR test);
* only once per person;
* only from results not older than 6 months (also results taken before the rule began);
* valid 6 months from the date of the positive test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from domain.antibody import AntibodyClass, AntibodyTest, PersonHistory, TriState
from domain.validity import Validity, expiry_date

__all__ = [
    "NEXT_STEPS",
    "PERSON_REASONS",
    "SOFT_REASONS",
    "NextStep",
    "Outcome",
    "Reason",
    "Verdict",
    "check_eligibility",
    "next_steps_for",
]


class Reason(StrEnum):
    """Why the certificate cannot (or cannot surely) be issued. Codes are stable."""

    # About the person — no new test can fix these.
    HAS_VACCINATION_QR = "has_vaccination_qr"
    HAS_RECOVERY_QR = "has_recovery_qr"
    ALREADY_ISSUED = "already_issued"
    # About the test.
    NOT_IGG = "not_igg"
    ANTIBODY_CLASS_UNKNOWN = "antibody_class_unknown"  # soft
    NOT_POSITIVE = "not_positive"
    RESULT_UNKNOWN = "result_unknown"  # soft
    RESULT_IN_FUTURE = "result_in_future"
    RESULT_TOO_OLD = "result_too_old"
    # About the lab.
    LAB_NOT_ACCREDITED = "lab_not_accredited"
    LAB_NOT_SENDING_TO_EPGU = "lab_not_sending_to_epgu"
    LAB_UNKNOWN = "lab_unknown"  # soft

    @property
    def is_soft(self) -> bool:
        """Soft: we cannot confirm a requirement (→ UNCERTAIN), not a known failure."""
        return self in SOFT_REASONS

    @property
    def is_personal(self) -> bool:
        """About the person's QR history: retesting does not help."""
        return self in PERSON_REASONS


SOFT_REASONS: frozenset[Reason] = frozenset(
    {Reason.ANTIBODY_CLASS_UNKNOWN, Reason.RESULT_UNKNOWN, Reason.LAB_UNKNOWN}
)
PERSON_REASONS: frozenset[Reason] = frozenset(
    {Reason.HAS_VACCINATION_QR, Reason.HAS_RECOVERY_QR, Reason.ALREADY_ISSUED}
)


class NextStep(StrEnum):
    """What the person can do next. Codes are stable."""

    GENERATE_CERTIFICATE_ON_EPGU = "generate_certificate_on_epgu"
    VACCINATE_OR_PCR = "vaccinate_or_pcr"
    RETEST_IGG_IN_ACCREDITED_LAB = "retest_igg_in_accredited_lab"
    CHECK_RESULT_FORM = "check_result_form"
    WAIT_FOR_RESULT_ON_EPGU = "wait_for_result_on_epgu"
    CHECK_RESULT_DATE = "check_result_date"
    ASK_LAB_ABOUT_EPGU = "ask_lab_about_epgu"
    POSITIVE_RESULT_NEEDED = "positive_result_needed"


NEXT_STEPS: Mapping[Reason, tuple[NextStep, ...]] = MappingProxyType(
    {
        Reason.HAS_VACCINATION_QR: (NextStep.VACCINATE_OR_PCR,),
        Reason.HAS_RECOVERY_QR: (NextStep.VACCINATE_OR_PCR,),
        Reason.ALREADY_ISSUED: (NextStep.VACCINATE_OR_PCR,),
        Reason.NOT_IGG: (NextStep.RETEST_IGG_IN_ACCREDITED_LAB,),
        Reason.ANTIBODY_CLASS_UNKNOWN: (NextStep.CHECK_RESULT_FORM,),
        # not "extend your QR": the person may have none (that advice is the personal reasons')
        Reason.NOT_POSITIVE: (NextStep.POSITIVE_RESULT_NEEDED,),
        Reason.RESULT_UNKNOWN: (NextStep.CHECK_RESULT_FORM, NextStep.WAIT_FOR_RESULT_ON_EPGU),
        Reason.RESULT_IN_FUTURE: (NextStep.CHECK_RESULT_DATE,),
        Reason.RESULT_TOO_OLD: (NextStep.RETEST_IGG_IN_ACCREDITED_LAB,),
        Reason.LAB_NOT_ACCREDITED: (NextStep.RETEST_IGG_IN_ACCREDITED_LAB,),
        Reason.LAB_NOT_SENDING_TO_EPGU: (NextStep.RETEST_IGG_IN_ACCREDITED_LAB,),
        Reason.LAB_UNKNOWN: (NextStep.ASK_LAB_ABOUT_EPGU,),
    }
)


def next_steps_for(reason: Reason) -> tuple[NextStep, ...]:
    """Context-free "reason → what to do". Prefer :attr:`Verdict.advice` for display."""
    return NEXT_STEPS[reason]


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"  # at least one blocking reason
    UNCERTAIN = "uncertain"  # only soft reasons: cannot confirm


def _dedupe(steps: Iterable[NextStep]) -> tuple[NextStep, ...]:
    return tuple(dict.fromkeys(steps))


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer, with every reason that applies (in :class:`Reason` declaration order).

    ``validity`` is set whenever no blocking reason applies (ELIGIBLE or UNCERTAIN):
    the window the certificate has / would have.
    """

    outcome: Outcome
    reasons: tuple[Reason, ...]
    next_steps: tuple[NextStep, ...]
    validity: Validity | None

    @property
    def eligible(self) -> bool:
        return self.outcome is Outcome.ELIGIBLE

    @property
    def blocking_reasons(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.is_soft)

    @property
    def soft_reasons(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.is_soft)

    @property
    def advice(self) -> tuple[tuple[Reason, tuple[NextStep, ...]], ...]:
        """Each reason with what to do about it, in context.

        When a person-level reason applies (had a vaccination/recovery QR, already issued),
        test- and lab-level reasons get no steps: retesting cannot help.
        """
        personal = any(r.is_personal for r in self.reasons)
        return tuple(
            (r, NEXT_STEPS[r] if (r.is_personal or not personal) else ()) for r in self.reasons
        )


def _reasons(test: AntibodyTest, history: PersonHistory, today: date) -> list[Reason]:
    found: set[Reason] = set()

    if history.had_vaccination_qr:
        found.add(Reason.HAS_VACCINATION_QR)
    if history.had_recovery_qr:
        found.add(Reason.HAS_RECOVERY_QR)
    if history.has_antibody_certificate:
        found.add(Reason.ALREADY_ISSUED)

    if test.antibody_class is AntibodyClass.UNKNOWN:
        found.add(Reason.ANTIBODY_CLASS_UNKNOWN)
    elif test.antibody_class is not AntibodyClass.IGG:
        found.add(Reason.NOT_IGG)

    # Measurement (qualitative / quantitative / unknown) never matters: both kinds count.
    if test.positive is None:
        found.add(Reason.RESULT_UNKNOWN)
    elif not test.positive:
        found.add(Reason.NOT_POSITIVE)

    if test.result_date > today:
        found.add(Reason.RESULT_IN_FUTURE)
    elif today > expiry_date(test.result_date):
        found.add(Reason.RESULT_TOO_OLD)

    lab = test.lab
    if lab.accredited is TriState.NO:
        found.add(Reason.LAB_NOT_ACCREDITED)
    if lab.sends_to_epgu is TriState.NO:
        found.add(Reason.LAB_NOT_SENDING_TO_EPGU)
    # "Unknown" is moot once the lab is known to fail one requirement.
    if not lab.rejected and not lab.confirmed:
        found.add(Reason.LAB_UNKNOWN)

    return [r for r in Reason if r in found]


def check_eligibility(test: AntibodyTest, history: PersonHistory, today: date) -> Verdict:
    """Apply every rule of the memo; return all reasons that apply.

    Outcome: NOT_ELIGIBLE if any blocking reason, else UNCERTAIN if any soft reason
    (antibody class / result / lab unknown), else ELIGIBLE.
    """
    reasons = tuple(_reasons(test, history, today))
    blocking = any(not r.is_soft for r in reasons)
    if blocking:
        outcome = Outcome.NOT_ELIGIBLE
    elif reasons:
        outcome = Outcome.UNCERTAIN
    else:
        outcome = Outcome.ELIGIBLE

    if outcome is Outcome.ELIGIBLE:
        steps: tuple[NextStep, ...] = (NextStep.GENERATE_CERTIFICATE_ON_EPGU,)
    elif any(r.is_personal for r in reasons):
        steps = _dedupe(s for r in reasons if r.is_personal for s in NEXT_STEPS[r])
    else:
        steps = _dedupe(s for r in reasons for s in NEXT_STEPS[r])

    validity = None if blocking else Validity.from_test_date(test.result_date)
    return Verdict(outcome=outcome, reasons=reasons, next_steps=steps, validity=validity)

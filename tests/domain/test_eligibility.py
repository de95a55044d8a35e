import ast
import dataclasses
import pathlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import domain
from domain import (
    NEXT_STEPS,
    AntibodyClass,
    AntibodyTest,
    LabStatus,
    Measurement,
    NextStep,
    Outcome,
    PersonHistory,
    Reason,
    TriState,
    Validity,
    add_months,
    check_eligibility,
    next_steps_for,
)

R = Reason
S = NextStep
TODAY = date(2026, 3, 5)
GOOD_LAB = LabStatus.known_good()
GOOD_TEST = AntibodyTest(
    antibody_class=AntibodyClass.IGG,
    measurement=Measurement.QUANTITATIVE,
    positive=True,
    result_date=date(2026, 2, 1),
    lab=GOOD_LAB,
)
CLEAN = PersonHistory()
OLDEST_OK = add_months(TODAY, -6) + timedelta(days=1)  # 2025-09-06, expires 2026-03-06
SIX_MONTHS_OLD = add_months(TODAY, -6)  # 2025-09-05, expires 2026-03-05 == TODAY: last day
TOO_OLD = SIX_MONTHS_OLD - timedelta(days=1)  # expired yesterday


def lab(accredited: TriState, sends: TriState) -> LabStatus:
    return LabStatus(accredited=accredited, sends_to_epgu=sends)


YES, NO, UNK = TriState.YES, TriState.NO, TriState.UNKNOWN

# (id, AntibodyTest field overrides, history, expected reasons (in order), outcome)
CASES: list[tuple[str, dict[str, object], PersonHistory, tuple[Reason, ...], Outcome]] = [
    # --- eligible ---------------------------------------------------------------------------
    ("igg_quantitative_positive", {}, CLEAN, (), Outcome.ELIGIBLE),
    (
        "igg_qualitative_positive",
        {"measurement": Measurement.QUALITATIVE},
        CLEAN,
        (),
        Outcome.ELIGIBLE,
    ),
    (
        "measurement_unknown_does_not_matter",
        {"measurement": Measurement.UNKNOWN},
        CLEAN,
        (),
        Outcome.ELIGIBLE,
    ),
    ("result_today", {"result_date": TODAY}, CLEAN, (), Outcome.ELIGIBLE),
    ("oldest_still_ok", {"result_date": OLDEST_OK}, CLEAN, (), Outcome.ELIGIBLE),
    # --- each reason alone ------------------------------------------------------------------
    ("igm", {"antibody_class": AntibodyClass.IGM}, CLEAN, (R.NOT_IGG,), Outcome.NOT_ELIGIBLE),
    ("iga", {"antibody_class": AntibodyClass.IGA}, CLEAN, (R.NOT_IGG,), Outcome.NOT_ELIGIBLE),
    ("total", {"antibody_class": AntibodyClass.TOTAL}, CLEAN, (R.NOT_IGG,), Outcome.NOT_ELIGIBLE),
    (
        "class_unknown",
        {"antibody_class": AntibodyClass.UNKNOWN},
        CLEAN,
        (R.ANTIBODY_CLASS_UNKNOWN,),
        Outcome.UNCERTAIN,
    ),
    ("negative", {"positive": False}, CLEAN, (R.NOT_POSITIVE,), Outcome.NOT_ELIGIBLE),
    (
        "negative_qualitative",
        {"positive": False, "measurement": Measurement.QUALITATIVE},
        CLEAN,
        (R.NOT_POSITIVE,),
        Outcome.NOT_ELIGIBLE,
    ),
    ("result_unknown", {"positive": None}, CLEAN, (R.RESULT_UNKNOWN,), Outcome.UNCERTAIN),
    (
        "future",
        {"result_date": TODAY + timedelta(days=1)},
        CLEAN,
        (R.RESULT_IN_FUTURE,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "exactly_six_months",  # "не старше 6 месяцев": still counts, on its last day
        {"result_date": SIX_MONTHS_OLD},
        CLEAN,
        (),
        Outcome.ELIGIBLE,
    ),
    (
        "six_months_and_a_day",
        {"result_date": TOO_OLD},
        CLEAN,
        (R.RESULT_TOO_OLD,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "a_year_old",
        {"result_date": date(2025, 3, 5)},
        CLEAN,
        (R.RESULT_TOO_OLD,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "lab_not_accredited",
        {"lab": lab(NO, YES)},
        CLEAN,
        (R.LAB_NOT_ACCREDITED,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "lab_not_sending",
        {"lab": lab(YES, NO)},
        CLEAN,
        (R.LAB_NOT_SENDING_TO_EPGU,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "lab_accreditation_unknown",
        {"lab": lab(UNK, YES)},
        CLEAN,
        (R.LAB_UNKNOWN,),
        Outcome.UNCERTAIN,
    ),
    ("lab_epgu_unknown", {"lab": lab(YES, UNK)}, CLEAN, (R.LAB_UNKNOWN,), Outcome.UNCERTAIN),
    ("lab_all_unknown", {"lab": LabStatus()}, CLEAN, (R.LAB_UNKNOWN,), Outcome.UNCERTAIN),
    (
        "vaccination_qr",
        {},
        PersonHistory(had_vaccination_qr=True),
        (R.HAS_VACCINATION_QR,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "recovery_qr",
        {},
        PersonHistory(had_recovery_qr=True),
        (R.HAS_RECOVERY_QR,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "already_issued",
        {},
        PersonHistory(has_antibody_certificate=True),
        (R.ALREADY_ISSUED,),
        Outcome.NOT_ELIGIBLE,
    ),
    # --- several together -------------------------------------------------------------------
    (
        "lab_fails_both",
        {"lab": lab(NO, NO)},
        CLEAN,
        (R.LAB_NOT_ACCREDITED, R.LAB_NOT_SENDING_TO_EPGU),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "lab_fails_one_other_unknown_is_moot",
        {"lab": lab(NO, UNK)},
        CLEAN,
        (R.LAB_NOT_ACCREDITED,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "lab_unknown_other_fails",
        {"lab": lab(UNK, NO)},
        CLEAN,
        (R.LAB_NOT_SENDING_TO_EPGU,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "all_qr_history",
        {},
        PersonHistory(True, True, True),
        (R.HAS_VACCINATION_QR, R.HAS_RECOVERY_QR, R.ALREADY_ISSUED),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "igm_negative_old_bad_lab",
        {
            "antibody_class": AntibodyClass.IGM,
            "positive": False,
            "result_date": date(2025, 1, 1),
            "lab": lab(NO, YES),
        },
        CLEAN,
        (R.NOT_IGG, R.NOT_POSITIVE, R.RESULT_TOO_OLD, R.LAB_NOT_ACCREDITED),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "all_unknowns_soft",
        {"antibody_class": AntibodyClass.UNKNOWN, "positive": None, "lab": LabStatus()},
        CLEAN,
        (R.ANTIBODY_CLASS_UNKNOWN, R.RESULT_UNKNOWN, R.LAB_UNKNOWN),
        Outcome.UNCERTAIN,
    ),
    (
        "soft_plus_hard_is_not_eligible",
        {"positive": None, "lab": lab(NO, YES)},
        CLEAN,
        (R.RESULT_UNKNOWN, R.LAB_NOT_ACCREDITED),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "vaccinated_with_perfect_test",
        {},
        PersonHistory(had_vaccination_qr=True),
        (R.HAS_VACCINATION_QR,),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "recovered_with_total_antibodies_unknown_lab",
        {"antibody_class": AntibodyClass.TOTAL, "lab": LabStatus()},
        PersonHistory(had_recovery_qr=True),
        (R.HAS_RECOVERY_QR, R.NOT_IGG, R.LAB_UNKNOWN),
        Outcome.NOT_ELIGIBLE,
    ),
    (
        "everything_blocking",
        {
            "antibody_class": AntibodyClass.IGA,
            "positive": False,
            "result_date": TODAY + timedelta(days=30),
            "lab": lab(NO, NO),
        },
        PersonHistory(True, True, True),
        (
            R.HAS_VACCINATION_QR,
            R.HAS_RECOVERY_QR,
            R.ALREADY_ISSUED,
            R.NOT_IGG,
            R.NOT_POSITIVE,
            R.RESULT_IN_FUTURE,
            R.LAB_NOT_ACCREDITED,
            R.LAB_NOT_SENDING_TO_EPGU,
        ),
        Outcome.NOT_ELIGIBLE,
    ),
]


@pytest.mark.parametrize(
    ("overrides", "history", "reasons", "outcome"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_rules(
    overrides: dict[str, object],
    history: PersonHistory,
    reasons: tuple[Reason, ...],
    outcome: Outcome,
) -> None:
    test = dataclasses.replace(GOOD_TEST, **overrides)  # type: ignore[arg-type]
    verdict = check_eligibility(test, history, TODAY)
    assert set(verdict.reasons) == set(reasons)
    assert verdict.reasons == reasons  # declaration order, no duplicates
    assert verdict.outcome is outcome
    assert verdict.eligible is (outcome is Outcome.ELIGIBLE)
    assert verdict.next_steps  # always something to do
    assert len(set(verdict.next_steps)) == len(verdict.next_steps)
    if outcome is Outcome.NOT_ELIGIBLE:
        assert verdict.validity is None
    else:
        assert verdict.validity == Validity.from_test_date(test.result_date)


def test_eligible_verdict_has_validity_and_generate_step() -> None:
    verdict = check_eligibility(GOOD_TEST, CLEAN, TODAY)
    assert verdict.eligible
    assert verdict.reasons == ()
    assert verdict.next_steps == (S.GENERATE_CERTIFICATE_ON_EPGU,)
    assert verdict.validity is not None
    assert verdict.validity.starts_on == date(2026, 2, 1)
    assert verdict.validity.expires_on == date(2026, 8, 1)  # 6 months from the test date
    assert verdict.validity.days_left(TODAY) == (date(2026, 8, 1) - TODAY).days == 149
    assert verdict.validity.is_valid(TODAY)


def test_oldest_eligible_result_has_one_day_left() -> None:
    verdict = check_eligibility(dataclasses.replace(GOOD_TEST, result_date=OLDEST_OK), CLEAN, TODAY)
    assert verdict.eligible
    assert verdict.validity is not None
    assert verdict.validity.days_left(TODAY) == 1


def test_clamped_month_end_boundary() -> None:
    # 31.08.2025 + 6 months = 28.02.2026: valid through 28.02, too old on 01.03.
    test = dataclasses.replace(GOOD_TEST, result_date=date(2025, 8, 31))
    assert check_eligibility(test, CLEAN, date(2026, 2, 28)).eligible
    late = check_eligibility(test, CLEAN, date(2026, 3, 1))
    assert late.reasons == (R.RESULT_TOO_OLD,)


def test_results_from_before_the_rule_count_if_not_older_than_six_months() -> None:
    # The antibody certificate appeared on ЕПГУ in late 2021; a July 2021 result still counts
    # in November 2021 — the only limit is the 6-month age.
    test = dataclasses.replace(GOOD_TEST, result_date=date(2021, 7, 1))
    verdict = check_eligibility(test, CLEAN, date(2021, 11, 20))
    assert verdict.eligible
    assert verdict.validity == Validity(date(2021, 7, 1), date(2022, 1, 1))


def test_uncertain_lists_what_to_clarify() -> None:
    test = dataclasses.replace(
        GOOD_TEST, antibody_class=AntibodyClass.UNKNOWN, positive=None, lab=LabStatus()
    )
    verdict = check_eligibility(test, CLEAN, TODAY)
    assert verdict.outcome is Outcome.UNCERTAIN
    assert verdict.next_steps == (
        S.CHECK_RESULT_FORM,
        S.WAIT_FOR_RESULT_ON_EPGU,
        S.ASK_LAB_ABOUT_EPGU,
    )
    assert verdict.soft_reasons == verdict.reasons
    assert verdict.blocking_reasons == ()
    assert verdict.validity is not None


def test_next_steps_deduplicated_in_reason_order() -> None:
    test = dataclasses.replace(
        GOOD_TEST,
        antibody_class=AntibodyClass.IGM,
        positive=False,
        result_date=date(2025, 1, 1),
        lab=lab(NO, NO),
    )
    verdict = check_eligibility(test, CLEAN, TODAY)
    assert verdict.next_steps == (S.RETEST_IGG_IN_ACCREDITED_LAB, S.POSITIVE_RESULT_NEEDED)


def test_personal_reasons_make_retesting_moot() -> None:
    test = dataclasses.replace(GOOD_TEST, antibody_class=AntibodyClass.IGM, lab=LabStatus())
    verdict = check_eligibility(test, PersonHistory(had_vaccination_qr=True), TODAY)
    assert verdict.reasons == (R.HAS_VACCINATION_QR, R.NOT_IGG, R.LAB_UNKNOWN)
    assert verdict.next_steps == (S.VACCINATE_OR_PCR,)
    assert verdict.advice == (
        (R.HAS_VACCINATION_QR, (S.VACCINATE_OR_PCR,)),
        (R.NOT_IGG, ()),
        (R.LAB_UNKNOWN, ()),
    )


def test_advice_without_personal_reasons_uses_the_table() -> None:
    test = dataclasses.replace(GOOD_TEST, positive=None, lab=lab(NO, YES))
    verdict = check_eligibility(test, CLEAN, TODAY)
    assert verdict.advice == tuple((r, next_steps_for(r)) for r in verdict.reasons)


@pytest.mark.parametrize(
    ("reason", "steps"),
    [
        (R.HAS_VACCINATION_QR, (S.VACCINATE_OR_PCR,)),
        (R.HAS_RECOVERY_QR, (S.VACCINATE_OR_PCR,)),
        (R.ALREADY_ISSUED, (S.VACCINATE_OR_PCR,)),
        (R.NOT_IGG, (S.RETEST_IGG_IN_ACCREDITED_LAB,)),
        (R.ANTIBODY_CLASS_UNKNOWN, (S.CHECK_RESULT_FORM,)),
        (R.NOT_POSITIVE, (S.POSITIVE_RESULT_NEEDED,)),
        (R.RESULT_UNKNOWN, (S.CHECK_RESULT_FORM, S.WAIT_FOR_RESULT_ON_EPGU)),
        (R.RESULT_IN_FUTURE, (S.CHECK_RESULT_DATE,)),
        (R.RESULT_TOO_OLD, (S.RETEST_IGG_IN_ACCREDITED_LAB,)),
        (R.LAB_NOT_ACCREDITED, (S.RETEST_IGG_IN_ACCREDITED_LAB,)),
        (R.LAB_NOT_SENDING_TO_EPGU, (S.RETEST_IGG_IN_ACCREDITED_LAB,)),
        (R.LAB_UNKNOWN, (S.ASK_LAB_ABOUT_EPGU,)),
    ],
)
def test_next_steps_for(reason: Reason, steps: tuple[NextStep, ...]) -> None:
    assert next_steps_for(reason) == steps


def test_next_steps_table_is_total_and_uses_every_step() -> None:
    assert set(NEXT_STEPS) == set(Reason)
    used = {s for steps in NEXT_STEPS.values() for s in steps}
    assert used | {S.GENERATE_CERTIFICATE_ON_EPGU} == set(NextStep)


def test_codes_are_stable() -> None:
    # The UI keys its texts (Fluent ids) and storage keeps these codes: renaming is a migration.
    assert [r.value for r in Reason] == [
        "has_vaccination_qr",
        "has_recovery_qr",
        "already_issued",
        "not_igg",
        "antibody_class_unknown",
        "not_positive",
        "result_unknown",
        "result_in_future",
        "result_too_old",
        "lab_not_accredited",
        "lab_not_sending_to_epgu",
        "lab_unknown",
    ]
    assert [s.value for s in NextStep] == [
        "generate_certificate_on_epgu",
        "vaccinate_or_pcr",
        "retest_igg_in_accredited_lab",
        "check_result_form",
        "wait_for_result_on_epgu",
        "check_result_date",
        "ask_lab_about_epgu",
        "positive_result_needed",
    ]
    assert [o.value for o in Outcome] == ["eligible", "not_eligible", "uncertain"]
    assert {r for r in Reason if r.is_soft} == {
        R.ANTIBODY_CLASS_UNKNOWN,
        R.RESULT_UNKNOWN,
        R.LAB_UNKNOWN,
    }
    assert {r for r in Reason if r.is_personal} == {
        R.HAS_VACCINATION_QR,
        R.HAS_RECOVERY_QR,
        R.ALREADY_ISSUED,
    }


def test_tristate_from_bool() -> None:
    assert TriState.from_bool(True) is YES
    assert TriState.from_bool(False) is NO
    assert TriState.from_bool(None) is UNK


# --- properties ---------------------------------------------------------------------------

tristates = st.sampled_from(TriState)
labs = st.builds(LabStatus, accredited=tristates, sends_to_epgu=tristates)
tests_ = st.builds(
    AntibodyTest,
    antibody_class=st.sampled_from(AntibodyClass),
    measurement=st.sampled_from(Measurement),
    positive=st.sampled_from([True, False, None]),
    result_date=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    lab=labs,
)
histories = st.builds(PersonHistory, st.booleans(), st.booleans(), st.booleans())
todays = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def oracle(test: AntibodyTest, history: PersonHistory, today: date) -> set[Reason]:
    """The memo's rules restated independently, one line each."""
    expected: set[Reason] = set()
    if history.had_vaccination_qr:
        expected.add(R.HAS_VACCINATION_QR)
    if history.had_recovery_qr:
        expected.add(R.HAS_RECOVERY_QR)
    if history.has_antibody_certificate:
        expected.add(R.ALREADY_ISSUED)
    if test.antibody_class in (AntibodyClass.IGM, AntibodyClass.IGA, AntibodyClass.TOTAL):
        expected.add(R.NOT_IGG)
    if test.antibody_class == AntibodyClass.UNKNOWN:
        expected.add(R.ANTIBODY_CLASS_UNKNOWN)
    if test.positive is False:
        expected.add(R.NOT_POSITIVE)
    if test.positive is None:
        expected.add(R.RESULT_UNKNOWN)
    if test.result_date > today:
        expected.add(R.RESULT_IN_FUTURE)
    if test.result_date <= today and today > add_months(test.result_date, 6):
        expected.add(R.RESULT_TOO_OLD)
    if test.lab.accredited == NO:
        expected.add(R.LAB_NOT_ACCREDITED)
    if test.lab.sends_to_epgu == NO:
        expected.add(R.LAB_NOT_SENDING_TO_EPGU)
    if NO not in (test.lab.accredited, test.lab.sends_to_epgu) and UNK in (
        test.lab.accredited,
        test.lab.sends_to_epgu,
    ):
        expected.add(R.LAB_UNKNOWN)
    return expected


@given(tests_, histories, todays)
def test_verdict_invariants(test: AntibodyTest, history: PersonHistory, today: date) -> None:
    verdict = check_eligibility(test, history, today)
    assert set(verdict.reasons) == oracle(test, history, today)
    order = list(Reason)
    assert list(verdict.reasons) == sorted(set(verdict.reasons), key=order.index)

    blocking = [r for r in verdict.reasons if not r.is_soft]
    if not verdict.reasons:
        assert verdict.outcome is Outcome.ELIGIBLE
        assert verdict.next_steps == (S.GENERATE_CERTIFICATE_ON_EPGU,)
    elif blocking:
        assert verdict.outcome is Outcome.NOT_ELIGIBLE
    else:
        assert verdict.outcome is Outcome.UNCERTAIN

    assert (verdict.validity is None) == bool(blocking)
    if verdict.validity is not None:
        assert verdict.validity.is_valid(today)
        assert 0 <= verdict.validity.days_left(today) <= 184  # 0: the last valid day

    assert verdict.next_steps
    assert len(set(verdict.next_steps)) == len(verdict.next_steps)
    if verdict.reasons:
        assert S.GENERATE_CERTIFICATE_ON_EPGU not in verdict.next_steps
        listed = {s for _, steps in verdict.advice for s in steps}
        assert set(verdict.next_steps) == listed
    if any(r.is_personal for r in verdict.reasons):
        assert verdict.next_steps == (S.VACCINATE_OR_PCR,)
    # no advice contradicts an answer: "extend your QR code" only to whoever has had one
    no_qr = not (
        history.had_vaccination_qr or history.had_recovery_qr or history.has_antibody_certificate
    )
    if no_qr:
        assert S.VACCINATE_OR_PCR not in verdict.next_steps


@given(tests_, histories, todays)
def test_any_qr_history_blocks(test: AntibodyTest, history: PersonHistory, today: date) -> None:
    for flag in ("had_vaccination_qr", "had_recovery_qr", "has_antibody_certificate"):
        worse = dataclasses.replace(history, **{flag: True})
        assert check_eligibility(test, worse, today).outcome is Outcome.NOT_ELIGIBLE


@given(st.sampled_from(Measurement), todays, st.integers(min_value=0, max_value=400))
def test_positive_igg_eligible_exactly_within_six_months(
    measurement: Measurement, today: date, age_days: int
) -> None:
    result_date = today - timedelta(days=age_days)
    test = AntibodyTest(AntibodyClass.IGG, measurement, True, result_date, GOOD_LAB)
    verdict = check_eligibility(test, CLEAN, today)
    assert verdict.eligible is (today <= add_months(result_date, 6))


# --- purity -------------------------------------------------------------------------------

ALLOWED_IMPORTS = {
    "__future__",
    "calendar",
    "collections",
    "dataclasses",
    "datetime",
    "domain",
    "enum",
    "hashlib",
    "hmac",
    "re",
    "types",
    "unicodedata",  # NFKC: fullwidth digits and ＠ are the same characters (pure, no I/O)
    "typing",
}


@pytest.mark.parametrize(
    "path", sorted(pathlib.Path(domain.__file__).parent.glob("*.py")), ids=lambda p: p.name
)
def test_domain_is_pure(path: pathlib.Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "urllib.parse":
            roots = set()  # splitting a URL string: pure
        elif isinstance(node, ast.ImportFrom):
            roots = {(node.module or "").split(".")[0]}
        else:
            roots = set()
        assert roots <= ALLOWED_IMPORTS, f"{path.name} imports {roots - ALLOWED_IMPORTS}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"today", "now", "utcnow"}, f"{path.name} reads the clock"
        if isinstance(node, ast.Name):
            assert node.id not in {"open", "print", "input"}, f"{path.name} does I/O"

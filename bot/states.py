"""FSM states of the multi-step conversations (aiogram StatesGroup, one per flow)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

#: FSM data key: the test date (ISO) a finished /check leaves for the guide and the certificate.
TEST_DATE_KEY = "test_date"


class CheckFlow(StatesGroup):
    """/check: one question per state, in this order (see bot/routers/check.py)."""

    test = State()  # which test: IgG / IgM / total / don't know / PCR
    measure = State()  # qualitative / quantitative / don't know
    result = State()  # positive / negative / don't know
    date = State()  # date of the result (typed)
    accredited = State()  # lab accredited by Rospotrebnadzor?
    epgu = State()  # lab sends results to ЕПГУ?
    vaccination = State()  # ever had a vaccination QR?
    recovery = State()  # ever had a recovery QR?
    issued = State()  # antibody certificate already generated?


class CertificateFlow(StatesGroup):
    """Saving the certificate generated on Госуслуги (see bot/routers/certificate.py)."""

    test_date = State()  # the positive IgG test date the certificate is based on
    holder_name = State()  # the name as the holder wants it on the card
    official_link = State()  # optional: the certificate link from Госуслуги
    snils = State()  # optional: SNILS, kept only as a slow keyed fingerprint (no digit)

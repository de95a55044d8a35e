"""FSM states of the multi-step conversations (aiogram StatesGroup, one per flow)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class CertificateFlow(StatesGroup):
    """Saving the certificate generated on Госуслуги (see bot/routers/certificate.py)."""

    test_date = State()  # the positive IgG test date the certificate is based on
    holder_name = State()  # the name as the holder wants it on the card
    official_link = State()  # optional: the certificate link from Госуслуги
    snils = State()  # optional: SNILS, kept only as a keyed hash + masked form

"""Issue 12, "done when": every flow with a SNILS, a phone and an e-mail in eight notations typed
into every free-text field; then the database files (-wal included), the logs and every post to
the support group are searched: no full SNILS anywhere, no phone or e-mail outside a support post.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import pytest

from bot.clock import FrozenClock
from bot.keyboards.check import STEP_ORDER
from bot.logging_setup import quiet_libraries
from bot.retention import apply_retention
from fake_telegram import FakeTelegramServer, SimulatedUser
from tests.certificate.test_flow import SAVE, SKIP, TEST_DATE
from tests.conftest import SUPPORT_CHAT_ID, RunningBot, make_settings, run_bot
from tests.test_check import GOOD, RU
from tests.test_support import add_staff

SNILS = [
    "112-233-445 95",
    "11223344595",
    "112 233 445 95",
    "112.233.445.95",
    "112/233/445/95",
    "112_233_445_95",
    "１１２-２３３-４４５ ９５",
    "112 233 445-95",
]
PHONES = [
    "+7 912 345-67-89",
    "89123456789",
    "8 (912) 345 67 89",
    "912.345.67.89",
    "+79123456789",
    "8-912-345-67-89",
    "+７ ９１２ ３４５ ６７ ８９",
    "7 912 3456789",
]
EMAILS = [
    "ivan.petrov@mail.ru",
    "ivan.petrov＠mail.ru",
    "ivan.petrov (at) mail.ru",
    "ivan.petrov [at] mail.ru",
    "IVAN.PETROV@MAIL.RU",
    "ivan.petrov @ mail.ru",
    "ivan.petrov at mail dot ru",
    "ivan.petrov собака mail.ru",
]
MESSAGES = [
    f"Здравствуйте, мой СНИЛС {s}, телефон {p}, почта {e}. Когда будет результат?"
    for s, p, e in zip(SNILS, PHONES, EMAILS, strict=True)
]


def _plain(text: str) -> str:
    """Digits and letters only, fullwidth folded: every notation of a number looks the same."""
    return re.sub(r"[^0-9a-zа-я]", "", unicodedata.normalize("NFKC", text).lower())


SNILS_DIGITS = "11223344595"
PHONE_DIGITS = "9123456789"
EMAIL_MARK = "ivanpetrov"


def _found(haystack: str) -> set[str]:
    plain = _plain(haystack)
    return {
        what
        for what, mark in (("snils", SNILS_DIGITS), ("phone", PHONE_DIGITS), ("email", EMAIL_MARK))
        if mark in plain
    }


async def _every_flow(
    running: RunningBot, user: SimulatedUser, others: list[SimulatedUser], clock: FrozenClock
) -> None:
    # the FAQ: each message is a question (kept masked if unanswered)
    for text in MESSAGES:
        await user.send(text)
    # "ask a staff member" beneath the last reply: the kept question goes to the support chat
    await user.click("💬 Спросить сотрудника")
    # the support request: every message into it
    for text in MESSAGES:
        replies = await user.send("/support")
        await user.click("✍️ Дополнить", message=replies[-1])
        await user.send(text)
    # the eligibility check's typed date
    await user.send("/check", expect=2)
    for step in STEP_ORDER[: STEP_ORDER.index("date")]:
        await user.click(RU(f"check-{step}-{GOOD[step]}"))
    for text in MESSAGES:
        replies = await user.send(text)
        assert "Вопрос 5" not in replies[-1].text
    await user.send("/cancel")
    # the certificate: date, name, link and SNILS steps
    await user.send("/mycert")
    await user.click(SAVE)
    for text in MESSAGES:
        await user.send(text)  # not a date
    await user.send(TEST_DATE)
    for text in MESSAGES:
        replies = await user.send(text)  # not a name
        assert "Шаг 3 из 4" not in replies[-1].text
    await user.send("Анна Петрова")
    for text in MESSAGES:
        await user.send(text)  # not a link
    await user.click(SKIP)
    for text in MESSAGES:
        await user.send(text)  # not only a SNILS: explained, deleted
    replies = await user.send(SNILS[0], expect=2)  # saved: the fingerprint only
    assert any(m.kind == "photo" for m in replies)
    # the same SNILS in every other notation, from other people: refused, fingerprinted
    for other, notation in zip(others, SNILS[1:], strict=True):
        await other.send("/mycert")
        await other.click(SAVE)
        await other.send("02.10.2026")  # another test: a second certificate, refused
        await other.send("Пётр Иванов")
        await other.click(SKIP)
        replies = await other.send(notation, expect=1)
        assert "уже сохранён" in replies[-1].text


async def test_no_snils_anywhere_and_no_phone_or_email_outside_support_posts(
    tmp_path: Path,
    fake_server: FakeTelegramServer,
    clock: FrozenClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    quiet_libraries("DEBUG")  # as the bot's logging set-up does, at its most talkative level
    settings = make_settings(tmp_path)
    async with run_bot(settings, fake_server, clock) as running:
        await add_staff(running)
        user = fake_server.user(1001, "Анна", language_code="ru")
        others = [fake_server.user(4000 + i, f"U{i}", language_code="ru") for i in range(7)]
        await _every_flow(running, user, others, clock)
        posts = fake_server.sent_to(SUPPORT_CHAT_ID)
        # the retention run (hourly) also truncates the write-ahead log (see bot/retention.py)
        await apply_retention(running.app, running.dp.fsm.storage)
        files = sorted(
            p
            for p in Path(settings.database_path).parent.iterdir()
            if p.name.startswith(Path(settings.database_path).name)
        )
        assert files
        on_disk = {p.name: _found(p.read_bytes().decode("utf-8", "ignore")) for p in files}

    assert all(not found for found in on_disk.values()), on_disk
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert not _found(logged)
    texts = [(m.text or "") + (m.caption or "") for m in posts]
    assert len([t for t in texts if "Когда будет результат" in t]) == len(MESSAGES) + 1
    assert all("snils" not in _found(t) for t in texts)
    # the phone and the e-mail do reach the staff: people leave them to be called back
    assert any(_found(t) == {"phone", "email"} for t in texts)

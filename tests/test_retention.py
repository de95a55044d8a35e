"""Issue 12, point 9: personal data is kept no longer than needed. A conversation left
unfinished loses what was typed into it after a day; each person's check answers become plain
counts after CHECK_RETENTION_DAYS (30)."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FrozenClock
from bot.retention import apply_retention
from fake_telegram import SimulatedUser
from tests.certificate.test_flow import SAVE, TEST_DATE
from tests.conftest import RunningBot

LINK = "https://www.gosuslugi.ru/covid-cert/verify/9999000011112222?lang=ru&ck=secretck123"


async def fsm_dump(running_bot: RunningBot) -> str:
    rows = await running_bot.repo.db.fetchall("SELECT key, state, data FROM fsm")
    return "\n".join(" ".join(str(v) for v in tuple(row)) for row in rows)


async def test_an_abandoned_certificate_conversation_is_forgotten_after_a_day(
    running_bot: RunningBot, user: SimulatedUser, clock: FrozenClock
) -> None:
    await user.send("/mycert")
    await user.click(SAVE)
    await user.send(TEST_DATE)
    await user.send("Зинаида Петровна Уникальнова")
    replies = await user.send(LINK)
    assert "Шаг 4 из 4" in replies[-1].text  # ...and the person leaves
    assert "Уникальнова" in await fsm_dump(running_bot)
    storage = running_bot.dp.fsm.storage

    clock.advance(timedelta(hours=23))
    report = await apply_retention(running_bot.app, storage)
    assert report.conversations == 0  # not yet: they may come back today
    assert "ck=secretck123" in await fsm_dump(running_bot)

    clock.advance(timedelta(hours=2))
    report = await apply_retention(running_bot.app, storage)
    assert report.conversations == 1
    dump = await fsm_dump(running_bot)
    assert "Уникальнова" not in dump and "secretck123" not in dump
    # coming back: the SNILS step is gone, the text is an ordinary question again
    replies = await user.send("112-233-445 95")
    assert all("Шаг" not in m.text for m in replies if m.text)
    assert await running_bot.repo.certificates.latest_for_user(user.id) is None


async def test_check_answers_become_counts_after_the_retention_period(
    running_bot: RunningBot, user: SimulatedUser, clock: FrozenClock
) -> None:
    repo = running_bot.repo
    await user.send("/start")
    await repo.checks.add(user.id, "not_eligible", ["has_vaccination_qr", "too_old"], clock.now())
    await repo.checks.add(user.id, "eligible", [], clock.now())
    await repo.users.set_last_interaction(user.id, "check:not_eligible:has_vaccination_qr")
    before = await repo.checks.stats()
    storage = running_bot.dp.fsm.storage

    clock.advance(timedelta(days=29))
    assert (await apply_retention(running_bot.app, storage)).checks == 0
    clock.advance(timedelta(days=2))
    report = await apply_retention(running_bot.app, storage)
    assert report.checks == 2 and report.last_interactions == 1
    rows = await repo.db.fetchall("SELECT * FROM eligibility_checks WHERE user_id = ?", (user.id,))
    assert rows == []  # nothing per person any more...
    assert await repo.checks.stats() == before  # ...but /stats counts the same
    stored = await repo.users.get(user.id)
    assert stored is not None and stored.last_interaction is None
    replies = await running_bot.server.user(5005, "x").send("/start")  # the bot goes on
    assert replies


async def test_questions_kept_by_an_older_filter_are_masked_again_at_start(
    running_bot: RunningBot,
) -> None:
    """Issue 12, point 2: rows stored before the filter knew dots, slashes, fullwidth digits and
    "(at)" are masked again, their grouping key too (it was made of the same words)."""
    from bot.retention import remask_kept_questions

    repo, app = running_bot.repo, running_bot.app
    old = "снилс 112.233.445.95 почта ivan.petrov (at) mail.ru телефон 912.345.67.89"
    await repo.questions.record("ru", old, "112 233 445 95 ivan mail petrov ru", app.clock.now())
    await repo.questions.record("ru", "какая погода", "какой погода", app.clock.now())
    assert await remask_kept_questions(app) == 1
    rows = await repo.questions.all_rows()
    text, key = rows[0][2], rows[0][3]
    assert "445" not in text + key and "petrov" not in text + key and "345" not in text + key
    assert "[snils]" in text and "[email]" in text and "[phone]" in text
    assert rows[1][2:] == ("какая погода", "какой погода")  # untouched
    assert await remask_kept_questions(app) == 0  # idempotent

"""`python -m bot console`: the README's first command must work end to end with no .env at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runners.console import run_console
from tests.conftest import make_settings


async def test_console_saves_a_certificate_without_any_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, bot_token=None, secret_key=None, support_chat_id=None)
    await run_console(
        settings,
        stdin_lines=[
            "/mycert",
            "1",  # 📥 save a certificate
            "вчера",
            "Анна Петрова",
            "1",  # skip the link
            "112-233-445 95",
            "/quit",
        ],
    )
    out = capsys.readouterr().out
    assert "Здравствуйте" in out
    assert "Сертификат сохранён" in out
    assert "Что-то пошло не так" not in out
    pictures = list((tmp_path / "console-pictures").glob("*.png"))
    assert pictures and pictures[0].read_bytes().startswith(b"\x89PNG")


async def test_console_asks_a_staff_member_through_a_simulated_support_chat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(tmp_path, bot_token=None, secret_key=None, support_chat_id=None)
    await run_console(settings, stdin_lines=["/support", "Где посмотреть результат?", "/quit"])
    out = capsys.readouterr().out
    assert "[support chat]" in out
    assert "Где посмотреть результат?" in out


async def test_console_staff_mode_answers_and_closes_a_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15: the staff side can be tried in the console (--staff, /group, /me, --fresh)."""
    settings = make_settings(tmp_path, bot_token=None, secret_key=None, support_chat_id=None)
    await run_console(settings, stdin_lines=["/support", "старый вопрос", "/quit"])
    capsys.readouterr()
    await run_console(
        settings,
        staff=True,
        fresh=True,  # the old request is gone: the new one is №1 again
        language="en",
        stdin_lines=[
            "/support",
            "Where is my result?",
            "/group",
            "/reply 1 It is ready, see Gosuslugi.",
            "/close 1",
            "/me",
            "/start",
            "@bot which antibodies",
            "/quit",
        ],
    )
    out = capsys.readouterr().out
    assert "You are staff too" in out
    assert "[support chat]" in out and "Where is my result?" in out
    assert "Answer from the lab (request #1)" in out and "It is ready, see Gosuslugi." in out
    assert "Request #1 closed" in out
    assert "Hello" in out  # back in the private chat, in English
    assert "[inline 1]" in out  # inline mode, as reception staff use it

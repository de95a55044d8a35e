"""Operations: webhook mode, /healthz, graceful shutdown, backups, bad configuration, logs.

Several tests run the real ``python -m bot`` as a subprocess against the fake Bot API (the server
lives in the test's event loop on 127.0.0.1), with ``cwd`` a temp folder so no ``.env`` is read.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Message
from pydantic import SecretStr

from bot.clock import Clock, FrozenClock
from bot.config import Settings
from bot.factory import AppContext, FsmStorageUnavailable, create_fsm_storage, open_app
from bot.faq.classifier import cache_dir
from bot.health import HealthCheck
from bot.lifecycle import build_bot_with_lifecycle
from bot.logging_setup import JsonFormatter, RedactFilter, Redactor, UpdateContextFilter
from bot.runners.webhook import SECRET_HEADER, WebhookServer
from fake_telegram import FakeTelegramServer, SimulatedUser
from storage import Database, Repositories, SQLiteStorage
from storage.migrator import load_migrations
from tests.conftest import TEST_NOW, make_settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "test-secret-key-0123456789abcdef"
WEBHOOK_URL = "https://bot.example.org/tg/updates"
WEBHOOK_SECRET = "hook-secret_0123456789"
BOT_ID = 123
# Shaped like a real token, so that any leak would be unmistakable.
REAL_LOOKING_TOKEN = "123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawZ"


# ---------------------------------------------------------------------------------- helpers
async def wait_until(condition: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def update_payload(server: FakeTelegramServer, user: SimulatedUser, text: str) -> dict[str, Any]:
    """A message update as Telegram would POST it (recorded by the fake server as well)."""
    update_id, message = server.new_incoming_message(user.data, user.chat, text=text)
    server.updates.clear()  # webhook mode: nobody fetches it with getUpdates
    return {"update_id": update_id, "message": message}


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO_ROOT),
        "HOME": str(tmp_path),
        # the FAQ classifier trained once (by this test process or the first child) is reused,
        # as a real deployment reuses its cache: training at every start would take seconds
        "XDG_CACHE_HOME": str(cache_dir().parent),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(extra)
    return env


class BotProcess:
    """``python -m bot [args]`` in a subprocess; stderr goes to ``log_path``."""

    def __init__(self, env: dict[str, str], cwd: Path, log_path: Path, *args: str) -> None:
        self.env, self.cwd, self.log_path, self.args = env, cwd, log_path, args
        self.proc: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> BotProcess:
        with self.log_path.open("wb") as log:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                *self.args,
                env=self.env,
                cwd=self.cwd,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log,
            )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def terminate(self, within: float = 40.0) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), within)
        except TimeoutError:
            raise AssertionError(f"the bot did not stop on SIGTERM:\n{self.log}") from None


def polling_env(tmp_path: Path, server: FakeTelegramServer, **extra: str) -> dict[str, str]:
    values = {
        "BOT_TOKEN": "123:abc",
        "SECRET_KEY": SECRET_KEY,
        "TELEGRAM_API_URL": server.base_url,
        "DATABASE_PATH": str(tmp_path / "data" / "bot.sqlite3"),
    }
    return bot_env(tmp_path, **{**values, **extra})


def fsm_key(user_id: int) -> StorageKey:
    return StorageKey(bot_id=BOT_ID, chat_id=user_id, user_id=user_id)


@contextlib.asynccontextmanager
async def webhook_bot(
    settings: Settings,
    server: FakeTelegramServer,
) -> AsyncIterator[tuple[AppContext, WebhookServer]]:
    settings = settings.model_copy(
        update={
            "telegram_api_url": server.base_url,
            "webhook_url": WEBHOOK_URL,
            "webhook_secret": SecretStr(WEBHOOK_SECRET),
        }
    )
    async with open_app(settings, clock=FrozenClock(settings.zone, TEST_NOW)) as app:
        bot, dp, inflight = build_bot_with_lifecycle(app)
        hook = WebhookServer(app, bot, dp, inflight, host="127.0.0.1", port=0)
        try:
            yield app, hook
        finally:
            await hook.stop()


async def started(app_hook: tuple[AppContext, WebhookServer]) -> WebhookServer:
    await app_hook[1].start()
    return app_hook[1]


def hook_url(hook: WebhookServer, path: str | None = None) -> str:
    return f"http://127.0.0.1:{hook.port}{path or hook.path}"


# ---------------------------------------------------------------------------------- webhook
async def test_webhook_handles_updates_posted_with_the_secret(
    settings: Settings, fake_server: FakeTelegramServer, caplog: pytest.LogCaptureFixture
) -> None:
    async with webhook_bot(settings, fake_server) as (app, hook):
        await hook.start()
        assert hook.path == "/tg/updates"
        registered = fake_server.webhook
        assert registered is not None
        assert registered["url"] == WEBHOOK_URL
        assert registered["secret_token"] == WEBHOOK_SECRET
        assert set(registered["allowed_updates"]) == set(hook.dp.resolve_used_update_types())
        assert fake_server.dropped_updates == []  # drop_pending_updates=False

        user = fake_server.user(1001, "Анна")
        async with aiohttp.ClientSession() as http:
            response = await http.post(
                hook_url(hook),
                json=update_payload(fake_server, user, "/start"),
                headers={SECRET_HEADER: WEBHOOK_SECRET},
            )
            assert response.status == 200
            await wait_until(lambda: bool(fake_server.sent_to(user.id)))
            assert "Здравствуйте, Анна" in fake_server.sent_to(user.id)[-1].text

            caplog.set_level(logging.WARNING, logger="bot.webhook")
            secret_text = "очень личный вопрос"
            for headers in ({}, {SECRET_HEADER: "wrong-secret"}, {SECRET_HEADER: ""}):
                response = await http.post(
                    hook_url(hook),
                    headers=headers,
                    json=update_payload(fake_server, user, secret_text),
                )
                assert response.status == 401
        await asyncio.sleep(0.2)
        assert len(fake_server.sent_to(user.id)) == 1  # the refused updates were not handled
        refusals = [r for r in caplog.records if "refused" in r.getMessage()]
        assert len(refusals) == 1  # one line a minute at most (issue 12, point 5)
        assert all(r.levelno == logging.WARNING for r in refusals)
        assert secret_text not in caplog.text and "wrong-secret" not in caplog.text
        assert await app.repo.users.get(user.id) is not None


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[" * 100_000 + b"]" * 100_000,
        b"[]",
        b"null",
        b'{"update_id": "x"}',
        b'{"update_id": 5, "message": {"text": 7}}',
    ],
    ids=["broken", "deep", "list", "null", "string-id", "bad-message"],
)
async def test_webhook_refuses_what_is_not_an_update_with_400(
    settings: Settings,
    fake_server: FakeTelegramServer,
    body: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Issue 12, point 5: 400, one line, no traceback, nothing handled."""
    async with webhook_bot(settings, fake_server) as (_app, hook):
        await hook.start()
        caplog.set_level(logging.WARNING)
        async with aiohttp.ClientSession() as http:
            response = await http.post(
                hook_url(hook),
                data=body,
                headers={SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"},
            )
            assert response.status == 400
        await asyncio.sleep(0.1)
        assert "Traceback" not in caplog.text and not hook.handler.background_tasks
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
            "webhook request refused: not a Telegram update (from 127.0.0.1)"
        ]


async def test_healthz_is_200_then_503_when_the_database_is_closed(
    settings: Settings, fake_server: FakeTelegramServer
) -> None:
    async with webhook_bot(settings, fake_server) as (app, hook):
        await hook.start()
        async with aiohttp.ClientSession() as http:
            response = await http.get(hook_url(hook, "/healthz"))
            body = await response.json()
            assert response.status == 200
            assert body["status"] == "ok" and body["database"] is True
            assert body["mode"] == "webhook"
            app.health.register("scheduler", lambda: True)  # as the reminders scheduler will
            body = await (await http.get(hook_url(hook, "/healthz"))).json()
            assert body["scheduler"] is True

            await app.db.close()
            response = await http.get(hook_url(hook, "/healthz"))
            body = await response.json()
            assert response.status == 503
            assert body["status"] == "fail" and body["database"] is False


async def test_health_registry_counts_exceptions_and_timeouts_as_failures() -> None:
    health = HealthCheck(timeout=0.1)

    async def slow() -> bool:
        await asyncio.sleep(5)
        return True

    def broken() -> bool:
        raise RuntimeError("boom")

    async def fine() -> bool:
        return True

    health.register("slow", slow)
    health.register("broken", broken)
    health.register("fine", fine)
    report = await health.run()
    assert report.checks == {"slow": False, "broken": False, "fine": True}
    assert not report.ok and report.as_dict()["status"] == "fail"
    with pytest.raises(ValueError):
        health.register("status", fine)


async def test_webhook_shutdown_finishes_the_update_in_hand(
    settings: Settings, fake_server: FakeTelegramServer
) -> None:
    """handle_in_background answers 200 at once; SIGTERM then must not cut the handler off."""
    entered = asyncio.Event()

    async def slow(message: Message, state: FSMContext, repo: Repositories, clock: Clock) -> None:
        entered.set()
        await asyncio.sleep(0.6)
        await state.set_state("Demo:waiting")
        await state.update_data(step=2)
        assert message.from_user is not None
        await repo.users.touch(message.from_user.id, clock.now())
        await message.answer("done")

    async with webhook_bot(settings, fake_server) as (app, hook):
        hook.dp.message.register(slow, Command("slow"))  # before every router
        await hook.start()
        user = fake_server.user(1001, "Анна")
        async with aiohttp.ClientSession() as http:
            began = time.monotonic()
            response = await http.post(
                hook_url(hook),
                headers={SECRET_HEADER: WEBHOOK_SECRET},
                json=update_payload(fake_server, user, "/slow"),
            )
            assert response.status == 200
            assert time.monotonic() - began < 0.5  # answered before the handler finished
            await entered.wait()
            stopping = asyncio.create_task(hook.stop())
            await asyncio.sleep(0.1)
            # While draining: new updates are refused with 503 (Telegram redelivers them later).
            late = await http.post(
                hook_url(hook),
                headers={SECRET_HEADER: WEBHOOK_SECRET},
                json=update_payload(fake_server, user, "/start"),
            )
            assert late.status == 503
            health = await http.get(hook_url(hook, "/healthz"))
            assert health.status == 503
            await stopping
        assert [m.text for m in fake_server.sent_to(user.id)] == ["done"]
        row = await app.db.fetchone("SELECT state, data FROM fsm")
        assert row is not None and row["state"] == "Demo:waiting"
        assert json.loads(row["data"]) == {"step": 2}
        assert await app.repo.users.get(user.id) is not None


async def test_shutdown_drain_runs_before_the_fsm_storage_closes(
    settings: Settings, fake_server: FakeTelegramServer
) -> None:
    async with webhook_bot(settings, fake_server) as (_app, hook):
        first = hook.dp.shutdown.handlers[0].callback
        assert getattr(first, "__name__", "") == "on_shutdown"
        callbacks = [h.callback for h in hook.dp.shutdown.handlers]
        assert hook.dp.fsm.close in callbacks[1:]


# ---------------------------------------------------------------------------------- python -m bot
async def test_sigterm_keeps_the_conversation_and_restart_resumes_it(
    tmp_path: Path, fake_server: FakeTelegramServer
) -> None:
    env = polling_env(tmp_path, fake_server)
    database = tmp_path / "data" / "bot.sqlite3"
    anna = fake_server.user(2001, "Анна")
    boris = fake_server.user(2002, "Борис")
    async with BotProcess(env, tmp_path, tmp_path / "run1.log") as run:
        # Issue 2's acceptance: the real `python -m bot` polls (here: the fake) Bot API.
        replies = await anna.send("/start", timeout=40)
        assert "Здравствуйте, Анна" in replies[-1].text
        assert "mode=polling" in run.log and str(database) in run.log
        # Boris is in the middle of a conversation: its state is in the bot's database.
        db = await Database.open(database)
        try:
            storage = SQLiteStorage(db)
            await storage.set_state(fsm_key(boris.id), "Demo:waiting")
            await storage.set_data(fsm_key(boris.id), {"step": 2})
        finally:
            await db.close()
        # SIGTERM right after an update was fetched: it is handled before the bot exits.
        clara = fake_server.user(2006, "Клара")
        update_id, _ = fake_server.new_incoming_message(clara.data, clara.chat, text="/start")
        await wait_until(lambda: update_id in fake_server.delivered)
        assert await run.terminate() == 0, run.log
        assert "stopped cleanly" in run.log
        assert "Traceback" not in run.log
        assert "Здравствуйте, Клара" in fake_server.sent_to(clara.id)[-1].text

    check = sqlite3.connect(database)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM users WHERE id = ?", (anna.id,)).fetchone()[0]
        assert check.execute("SELECT state FROM fsm").fetchall() == [("Demo:waiting",)]
    finally:
        check.close()

    async with BotProcess(env, tmp_path, tmp_path / "run2.log") as run:
        replies = await boris.send("/cancel", timeout=40)
        assert replies[-1].text == "Действие отменено."  # the conversation was still there
        replies = await anna.send("/cancel")
        assert replies[-1].text == "Хорошо, закрываю. Вот главное меню."
        assert await run.terminate() == 0, run.log
        assert "stopped cleanly" in run.log


async def test_python_m_bot_runs_the_webhook_when_webhook_url_is_set(
    tmp_path: Path, fake_server: FakeTelegramServer
) -> None:
    port = free_port()
    env = polling_env(
        tmp_path,
        fake_server,
        WEBHOOK_URL=WEBHOOK_URL,
        WEBHOOK_SECRET=WEBHOOK_SECRET,
        WEBHOOK_LISTEN_HOST="127.0.0.1",
        WEBHOOK_LISTEN_PORT=str(port),
    )
    base = f"http://127.0.0.1:{port}"
    user = fake_server.user(2003, "Вера")
    async with (
        BotProcess(env, tmp_path, tmp_path / "hook.log") as run,
        aiohttp.ClientSession() as http,
    ):
        deadline = time.monotonic() + 40
        while fake_server.webhook is None or "starting" not in run.log:
            assert run.proc is not None and run.proc.returncode is None, run.log
            assert time.monotonic() < deadline, run.log
            await asyncio.sleep(0.1)
        assert fake_server.webhook["secret_token"] == WEBHOOK_SECRET
        assert "mode=webhook" in run.log and "123:abc" not in run.log
        health = await http.get(f"{base}/healthz")
        assert health.status == 200 and (await health.json())["database"] is True
        refused = await http.post(
            f"{base}/tg/updates", json=update_payload(fake_server, user, "/start")
        )
        assert refused.status == 401
        accepted = await http.post(
            f"{base}/tg/updates",
            headers={SECRET_HEADER: WEBHOOK_SECRET},
            json=update_payload(fake_server, user, "/start"),
        )
        assert accepted.status == 200
        await wait_until(lambda: bool(fake_server.sent_to(user.id)), within=20)
        assert "Здравствуйте, Вера" in fake_server.sent_to(user.id)[-1].text
        assert await run.terminate() == 0, run.log
        assert "refused" in run.log
        assert "stopped cleanly" in run.log


async def test_backup_while_100_users_write_holds_every_row_committed_before_it(
    tmp_path: Path,
) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    db = await Database.open(database)
    repo = Repositories.create(db)
    try:
        for uid in range(1, 101):
            await repo.users.touch(uid, TEST_NOW)
        committed: list[int] = []
        stop = asyncio.Event()

        async def user_writes(uid: int) -> None:
            while not stop.is_set():
                committed.append(await repo.checks.add(uid, "eligible", ["a", "b"], TEST_NOW))
                await asyncio.sleep(0.001)

        writers = [asyncio.create_task(user_writes(uid)) for uid in range(1, 101)]
        await wait_until(lambda: len(committed) > 500)
        before = set(committed)
        target = tmp_path / "backups" / "copy.sqlite3"
        env = bot_env(tmp_path, DATABASE_PATH=str(database))
        async with BotProcess(env, tmp_path, tmp_path / "backup.log", "backup", str(target)) as run:
            assert run.proc is not None
            assert await asyncio.wait_for(run.proc.wait(), 60) == 0, run.log
        stop.set()
        await asyncio.gather(*writers)
        total = await db.fetchval("SELECT count(*) FROM eligibility_checks")
    finally:
        await db.close()

    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        ids = {row[0] for row in copy.execute("SELECT id FROM eligibility_checks")}
        assert before <= ids  # every row committed before the backup started
        assert len(ids) <= total
        assert copy.execute("SELECT count(*) FROM users").fetchone()[0] == 100
    finally:
        copy.close()
    assert total > len(before)  # the users really went on writing during the backup


async def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    (await Database.open(database)).conn  # noqa: B018 - create it
    target = tmp_path / "exists.sqlite3"
    target.write_bytes(b"keep me")
    env = bot_env(tmp_path, DATABASE_PATH=str(database))
    async with BotProcess(env, tmp_path, tmp_path / "b.log", "backup", str(target)) as run:
        assert run.proc is not None
        assert await asyncio.wait_for(run.proc.wait(), 60) == 1
    assert "exists" in run.log
    assert target.read_bytes() == b"keep me"


async def test_migrate_prints_the_schema_version(tmp_path: Path) -> None:
    env = bot_env(tmp_path, DATABASE_PATH=str(tmp_path / "m.sqlite3"))
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err
    latest = load_migrations()[-1].number
    numbers = ", ".join(str(n) for n in range(1, latest + 1))
    assert f"applied migration(s) {numbers}; schema version {latest}" in out.decode()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    assert f"up to date; schema version {latest}" in out.decode()


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"BOT_TOKEN": ""}, "BOT_TOKEN"),
        ({"ADMIN_IDS": "abc"}, "ADMIN_IDS"),
        ({"DATABASE_PATH": "{tmp}/a-file/bot.sqlite3"}, "DATABASE_PATH"),
        ({"FSM_STORAGE": "mongodb://nope"}, "FSM_STORAGE"),
        # issue 12, point 8: each of these was accepted and could not work
        ({"WEBHOOK_URL": "http://bot.example.org/tg", "WEBHOOK_SECRET": "s_1"}, "WEBHOOK_URL"),
        ({"SUPPORT_CHAT_ID": "12345"}, "SUPPORT_CHAT_ID"),
        ({"SUPPORT_CHAT_ID": "0"}, "SUPPORT_CHAT_ID"),
        ({"ADMIN_IDS": "-5,0"}, "ADMIN_IDS"),
        ({"REMINDER_SCAN_SECONDS": "999999999999"}, "REMINDER_SCAN_SECONDS"),
        ({"WEBHOOK_LISTEN_HOST": "not a host!!"}, "WEBHOOK_LISTEN_HOST"),
        ({"BOT_TOKEN": "123:abc\nxyz"}, "BOT_TOKEN"),
    ],
)
async def test_bad_configuration_is_one_line_and_exit_code_2(
    tmp_path: Path, overrides: dict[str, str], variable: str
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    values = {
        "BOT_TOKEN": "123:abc",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        "TELEGRAM_API_URL": "http://127.0.0.1:9",
    }
    values.update({k: v.format(tmp=tmp_path) for k, v in overrides.items()})
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=bot_env(tmp_path, **values),
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"config error: {variable}:")
    assert "123:abc" not in err.decode() and SECRET_KEY not in err.decode()


async def test_json_logs_carry_the_update_and_no_message_text(
    tmp_path: Path, fake_server: FakeTelegramServer
) -> None:
    env = polling_env(tmp_path, fake_server, LOG_FORMAT="json")
    user = fake_server.user(2004, "Галина")
    private = "у меня положительный IgG, СНИЛС 112-233-445 95"
    async with BotProcess(env, tmp_path, tmp_path / "json.log") as run:
        await user.send("/start", timeout=40)
        await user.send(private)
        assert await run.terminate() == 0, run.log
    entries = [json.loads(line) for line in run.log.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    start = next(e for e in entries if "starting" in e["message"])
    assert start["mode"] == "polling" and start["version"] and start["database"]
    about_user = [e for e in entries if e.get("user_id") == user.id]
    assert about_user and all(isinstance(e.get("update_id"), int) for e in about_user)
    assert {e.get("handler") for e in about_user} >= {"start.start", "faq.free_text"}
    assert "положительный" not in run.log and "112-233-445" not in run.log
    assert entries[-1]["message"] == "stopped cleanly"


async def test_the_token_never_appears_in_debug_logs(
    tmp_path: Path, fake_server: FakeTelegramServer
) -> None:
    env = polling_env(tmp_path, fake_server, LOG_LEVEL="DEBUG", BOT_TOKEN=REAL_LOOKING_TOKEN)
    user = fake_server.user(2005, "Дмитрий")
    async with BotProcess(env, tmp_path, tmp_path / "debug.log") as run:
        await user.send("/start", timeout=40)
        assert await run.terminate() == 0, run.log
    assert "DEBUG" in run.log
    secret_part = REAL_LOOKING_TOKEN.split(":")[1]
    assert REAL_LOOKING_TOKEN not in run.log and secret_part not in run.log


# ---------------------------------------------------------------------------------- units
def _record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("t", logging.INFO, __file__, 1, message, args, exc_info)


def test_redaction_of_tokens_and_snils_in_messages_and_tracebacks() -> None:
    redact = RedactFilter(Redactor(["123:abc"]))
    record = _record("GET %s failed", "https://api.telegram.org/bot987654:AAH-x_y/getMe")
    redact.filter(record)
    assert record.getMessage() == "GET https://api.telegram.org/[REDACTED]/getMe failed"
    record = _record("token %s and %s", "123:abc", "5555555555:" + "A" * 35)
    redact.filter(record)
    assert "123:abc" not in record.getMessage() and "AAAA" not in record.getMessage()
    record = _record(
        "snils 112-233-445 95 and 11223344595 and 112.233.445.95, ivan@mail.ru, "
        "user 1001, chat -1001234567890"
    )
    redact.filter(record)
    assert record.getMessage() == (
        "snils [snils] and [snils] and [snils], [email], user 1001, chat -1001234567890"
    )
    try:
        raise RuntimeError("https://api.telegram.org/bot123:abc/sendMessage")
    except RuntimeError as error:
        record = _record("failed", exc=error)
    redact.filter(record)
    line = JsonFormatter().format(record)
    assert "123:abc" not in line and "[REDACTED]" in json.loads(line)["traceback"]


def test_update_context_filter_does_not_override_explicit_values() -> None:
    from bot.middlewares import logcontext

    token = logcontext._context.set({"update_id": 5, "user_id": 7, "handler": "start.start"})
    try:
        record = _record("x")
        record.user_id = 99
        UpdateContextFilter().filter(record)
        assert (record.update_id, record.user_id, record.handler) == (5, 99, "start.start")
    finally:
        logcontext._context.reset(token)
    record = _record("y")
    UpdateContextFilter().filter(record)
    assert getattr(record, "update_id", None) is None


async def test_fsm_storage_from_configuration(tmp_path: Path) -> None:
    async with open_app(make_settings(tmp_path)) as app:
        assert isinstance(create_fsm_storage(app), SQLiteStorage)
        app.settings = make_settings(tmp_path, fsm_storage="memory")
        assert isinstance(create_fsm_storage(app), MemoryStorage)
        app.settings = make_settings(tmp_path, fsm_storage="redis://127.0.0.1:6379/0")
        try:
            import redis  # noqa: F401
        except ImportError:
            with pytest.raises(FsmStorageUnavailable, match=r"pip install 'antibody-bot\[redis\]'"):
                create_fsm_storage(app)
            assert any("FSM_STORAGE" in p for p in app.settings.require_for_telegram())
        else:
            storage = create_fsm_storage(app)
            assert type(storage).__name__ == "RedisStorage"
            await storage.close()
    with pytest.raises(ValueError, match="sqlite, memory or a redis"):
        make_settings(tmp_path, fsm_storage="postgres://x")


def test_webhook_secret_must_follow_telegrams_rule(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="A-Z"):
        make_settings(tmp_path, webhook_secret="has spaces!")
    settings = make_settings(tmp_path, webhook_url="https://x.org", webhook_secret="ok_1")
    assert settings.webhook_path == "/"
    assert settings.require_for_telegram() == []


def test_text_format_shows_the_update_context() -> None:
    from bot.logging_setup import TextFormatter

    record = _record("handled")
    record.update_id, record.user_id, record.handler = 5, 7, "start.start"
    assert TextFormatter().format(record).endswith("handled [update=5 user=7 handler=start.start]")


async def test_webhook_a_body_that_never_comes_gets_408_and_frees_the_connection(
    settings: Settings, fake_server: FakeTelegramServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 12, point 5: a slow client cannot hold a request (and its task) open."""
    async with webhook_bot(settings, fake_server) as (_app, hook):
        await hook.start()
        hook.handler.body_seconds = 0.5
        caplog.set_level(logging.WARNING)
        reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
        writer.write(
            f"POST {hook.path} HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: {WEBHOOK_SECRET}\r\n"
            'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"update_id": '.encode()
        )
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 5)
        writer.close()
        assert status.startswith(b"HTTP/1.1 408")
        assert any("body not received" in r.getMessage() for r in caplog.records)
        assert not hook.handler.background_tasks


def test_python_warnings_go_through_the_redacting_handler(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 12, point 5: aiogram reports some problems with warnings.warn; they reach the log
    through the same handler as everything else, so a token, a SNILS or an e-mail is redacted."""
    import warnings

    from bot.logging_setup import setup_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("INFO", secrets=["123456:secret-token-value"])
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn(
                "update from 123456:secret-token-value, snils 112.233.445.95, ivan@mail.ru",
                RuntimeWarning,
                stacklevel=1,
            )
    finally:
        logging.captureWarnings(False)
        root.handlers[:], level = saved
        root.setLevel(level)
    err = capsys.readouterr().err
    assert "py.warnings" in err and "RuntimeWarning" in err
    assert "secret-token-value" not in err and "445" not in err and "ivan@" not in err

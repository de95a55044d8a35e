"""`python -m bot console`: chat with the real bot in a terminal, with no token and no network.

The real dispatcher and a real aiogram Bot run against the in-process fake Bot API; the terminal is
the user. Inline buttons are printed with numbers: type the number to press one.

``--staff`` makes the console user an admin as well: ``/group`` then switches to typing in the
simulated support group (``/reply N text``, ``/close N``, ``/tickets``…), ``/me`` back to the
private chat. ``--language en|ru`` chooses the user's language (default: from ``LANG``);
``--fresh`` starts from an empty console database. A line starting with ``@`` is an inline
query (``@bot антитела igm``), as reception staff type it in any chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import html
import locale
import os
import re
import sys
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings
from bot.factory import open_app
from bot.lifecycle import build_running_bot
from fake_telegram import BotMessage, FakeTelegramServer, SimulatedUser

CONSOLE_TOKEN = "1000:console"
CONSOLE_SECRET = "console-mode-only-not-a-real-secret"
CONSOLE_USER_ID = 777_000
CONSOLE_SUPPORT_CHAT_ID = -1_000_000_000_777
TAG = re.compile(r"<[^>]+>")
BOLD = re.compile(r"</?(b|strong)>")


def terminal_text(markup: str, *, color: bool) -> str:
    """Telegram HTML → terminal text (bold kept as ANSI bold when the terminal has colours)."""
    if color:
        markup = BOLD.sub(lambda m: "\033[0m" if m.group(0).startswith("</") else "\033[1m", markup)
    return html.unescape(TAG.sub("", markup))


def console_settings(settings: Settings) -> Settings:
    """Console mode keeps its own database next to the real one and needs no secret."""
    path = settings.database_path
    return settings.model_copy(
        update={
            "database_path": path.with_name(f"{path.stem}-console{path.suffix or '.sqlite3'}"),
            # model_copy skips validation: the secret must already be a SecretStr.
            "secret_key": settings.secret_key or SecretStr(CONSOLE_SECRET),
            # A simulated support group: "ask a staff member" works and its posts are shown here.
            "support_chat_id": CONSOLE_SUPPORT_CHAT_ID,
        }
    )


def user_language() -> str:
    code = os.environ.get("LANG") or (locale.getlocale()[0] or "")
    return "en" if code.lower().startswith("en") else "ru"


def forget_console_database(settings: Settings) -> None:
    """``--fresh``: the console's own database (never the real one) and its side files."""
    path = settings.database_path
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        file.unlink(missing_ok=True)


class ConsoleChat:
    def __init__(
        self, user: SimulatedUser, *, color: bool, pictures: Path, group: int | None = None
    ) -> None:
        self.user = user
        self.color = color
        self.pictures = pictures
        self.group = group  # the support group, when the user is staff
        self.in_group = False
        self.buttons: list[tuple[BotMessage, str]] = []

    def show(self, messages: list[BotMessage]) -> None:
        self.buttons = []
        for message in messages:
            print()
            if message.chat_id != self.user.id:
                text = message.html if message.text is not None else message.caption_html
                print(f"[support chat] {terminal_text(text or '', color=self.color)}")
                self._print_buttons(message)
                continue
            if message.photo is not None:
                self.pictures.mkdir(parents=True, exist_ok=True)
                picture = self.pictures / f"message-{message.message_id}.png"
                picture.write_bytes(message.photo)
                print(f"[picture saved to {picture}]")
            markup = message.html if message.text is not None else message.caption_html
            print(terminal_text(markup or message.content, color=self.color))
            self._print_buttons(message)

    def show_inline(self, results: list[dict[str, object]]) -> None:
        """What the inline menu would list: each result's title and description."""
        print()
        if not results:
            print("[inline] (no results)")
        for number, result in enumerate(results, 1):
            title = terminal_text(str(result.get("title", "")), color=self.color)
            about = terminal_text(str(result.get("description", "")), color=self.color)
            print(f"[inline {number}] {title}" + (f" — {about}" if about else ""))

    def _print_buttons(self, message: BotMessage) -> None:
        for row in message.buttons:
            cells = []
            for label in row:
                self.buttons.append((message, label))
                cells.append(f"[{len(self.buttons)}] {label}")
            print("   ".join(cells))

    async def say(self, line: str) -> None:
        if line in ("/group", "/me"):
            if line == "/group" and self.group is None:
                print("\n(/group needs --staff: the console user is then a staff member too)")
                return
            self.in_group = line == "/group"
            where = "the support group, as staff" if self.in_group else "your private chat"
            print(f"\n(now typing in {where}; /me and /group switch)")
            return
        if line.startswith("@"):  # inline mode, as typed in any chat: "@bot антитела igm"
            query = line.split(maxsplit=1)[1] if " " in line else ""
            self.show_inline(await self.user.inline(query, check_errors=False))
            return
        if line.isdigit() and 1 <= int(line) <= len(self.buttons):
            message, label = self.buttons[int(line) - 1]
            replies = await self.user.click(
                label, message=message, check_errors=False, chat=message.chat_id
            )
        else:
            chat = self.group if self.in_group else None
            replies = await self.user.send(line, chat=chat, check_errors=False, watch=None)
        self.show(replies)


async def run_console(
    settings: Settings,
    *,
    stdin_lines: list[str] | None = None,
    staff: bool = False,
    language: str | None = None,
    fresh: bool = False,
) -> None:
    settings = console_settings(settings)
    if staff:
        admins = [*settings.admin_ids, CONSOLE_USER_ID]
        settings = settings.model_copy(update={"admin_ids": admins})
    if fresh:
        forget_console_database(settings)
    async with FakeTelegramServer(
        bot_username="antibody_console_bot", settle=0.15, timeout=30
    ) as server:
        settings = settings.model_copy(update={"telegram_api_url": server.base_url})
        async with open_app(settings) as app:
            bot, dp = build_running_bot(app, token=CONSOLE_TOKEN)
            server.attach(dp)
            polling = asyncio.create_task(
                dp.start_polling(bot, handle_signals=False, polling_timeout=1)
            )
            try:
                await server.wait_polling()
                server.group(CONSOLE_SUPPORT_CHAT_ID, "Support (console)")
                name = (getpass.getuser() or "Гость").capitalize()
                user = server.user(CONSOLE_USER_ID, name, language_code=language or user_language())
                chat = ConsoleChat(
                    user,
                    color=sys.stdout.isatty(),
                    pictures=settings.database_path.parent / "console-pictures",
                    group=CONSOLE_SUPPORT_CHAT_ID if staff else None,
                )
                print(
                    "antibody-bot console: type a message and press Enter; a number presses "
                    "a button; /quit or Ctrl-D ends."
                    + (
                        " You are staff too: /group types in the support group, /me back."
                        if staff
                        else ""
                    )
                    + f" Data: {settings.database_path} (--fresh starts afresh)."
                )
                await chat.say("/start")
                await _read_loop(chat, stdin_lines)
            finally:
                with contextlib.suppress(RuntimeError):
                    await dp.stop_polling()
                with contextlib.suppress(asyncio.CancelledError):
                    await polling


async def _read_loop(chat: ConsoleChat, lines: list[str] | None) -> None:
    feed = iter(lines) if lines is not None else None
    while True:
        if feed is not None:
            line = next(feed, None)
        else:
            try:
                line = await asyncio.to_thread(input, "\nyou> ")
            except EOFError:
                line = None
        if line is None or line.strip() in {"/quit", "/exit"}:
            print()
            return
        if line.strip():
            await chat.say(line.strip())

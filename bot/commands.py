"""The command menu in Telegram's UI, per language (setMyCommands)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from bot.i18n import I18n

PUBLIC_COMMANDS = (
    "start",
    "faq",
    "check",
    "guide",
    "mycert",
    "reminders",
    "support",
    "language",
    "forget",
    "cancel",
    "help",
)


async def set_bot_commands(bot: Bot, i18n: I18n) -> None:
    scope = BotCommandScopeAllPrivateChats()
    for language in i18n.languages:
        t = i18n.get(language)
        commands = [
            BotCommand(command=name, description=t(f"cmd-{name}")) for name in PUBLIC_COMMANDS
        ]
        await bot.set_my_commands(commands, scope=scope, language_code=language)
        if language == i18n.default:
            await bot.set_my_commands(commands, scope=scope)

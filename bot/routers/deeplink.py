"""`/start c_<token>`: whoever scans a card's QR code (e.g. reception staff) sees its status.

Only the status, the holder's initials and the dates — nothing else about the holder. Registered
before the plain /start router. The scanner's conversation state is left alone.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message

from bot.certificate_view import public_status
from bot.clock import Clock
from bot.i18n import Translator
from bot.keyboards.menu import home_only
from domain.certificate_input import DEEP_LINK_PREFIX, DEEP_LINK_RE
from storage import Repositories


async def open_certificate_status(
    message: Message, command: CommandObject, i18n: Translator, repo: Repositories, clock: Clock
) -> None:
    token = (command.args or "").removeprefix(DEEP_LINK_PREFIX)
    certificate = await repo.certificates.by_token(token)
    await message.answer(
        public_status(i18n, certificate, clock.today()), reply_markup=home_only(i18n)
    )


def create_router() -> Router:
    router = Router(name="deeplink")
    router.message.register(
        open_certificate_status,
        CommandStart(deep_link=True, magic=F.args.regexp(DEEP_LINK_RE)),
    )
    return router

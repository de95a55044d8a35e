"""A user who blocks the bot is marked (and not written to again); unblocking clears the mark."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from bot.clock import Clock
from storage import Repositories


async def user_blocked_bot(event: ChatMemberUpdated, repo: Repositories, clock: Clock) -> None:
    await repo.users.set_blocked(event.from_user.id, True, clock.now())


async def user_unblocked_bot(event: ChatMemberUpdated, repo: Repositories, clock: Clock) -> None:
    await repo.users.set_blocked(event.from_user.id, False, clock.now())


def create_router() -> Router:
    router = Router(name="membership")
    router.my_chat_member.register(
        user_blocked_bot, ChatMemberUpdatedFilter(member_status_changed=KICKED)
    )
    router.my_chat_member.register(
        user_unblocked_bot, ChatMemberUpdatedFilter(member_status_changed=MEMBER)
    )
    return router

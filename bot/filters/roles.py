"""Who may use staff commands: admins (ADMIN_IDS in the settings) and staff (``repo.staff``).

Admins are staff too. Use as aiogram filters: ``router.message.register(handler, Command("x"),
IsStaff())``; the same objects work for callback queries.
"""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from bot.config import Settings
from storage import Repositories


def is_admin(user_id: int, settings: Settings) -> bool:
    return user_id in settings.admin_ids


async def is_staff(user_id: int, settings: Settings, repo: Repositories) -> bool:
    return is_admin(user_id, settings) or await repo.staff.is_staff(user_id)


class IsAdmin(Filter):
    async def __call__(self, event: Message | CallbackQuery, settings: Settings) -> bool:
        user = event.from_user
        return user is not None and is_admin(user.id, settings)


class IsStaff(Filter):
    """Staff members and admins."""

    async def __call__(
        self, event: Message | CallbackQuery, settings: Settings, repo: Repositories
    ) -> bool:
        user = event.from_user
        return user is not None and await is_staff(user.id, settings, repo)

"""Scheduling the expiry reminders of a newly recorded certificate.

The certificate flow calls :func:`schedule_certificate_reminders` right after storing a
certificate. One ``pending`` row per ``settings.reminder_days`` offset, due at
``settings.reminder_hour`` local time (``settings.timezone``) on ``expires_on - offset`` days;
offsets whose day is already over are not scheduled (one whose day is today is, and goes out at
the next scan). Idempotent: calling it again for the same certificate adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.config import Settings
from domain.reminders import reminder_times
from storage import Certificate, Reminder, Repositories


async def schedule_certificate_reminders(
    repo: Repositories,
    settings: Settings,
    certificate: Certificate,
    *,
    now: datetime | None = None,
) -> list[Reminder]:
    """Create the reminder rows of ``certificate``; returns all its reminders.

    ``now`` (aware) defaults to the wall clock; handlers should pass ``clock.now()``.
    If the user has turned reminders off, the rows are created ``cancelled`` (so turning
    reminders back on resumes them).
    """
    zone = settings.zone
    moment = now if now is not None else Clock(zone).now()
    due = reminder_times(
        certificate.expires_on,
        settings.reminder_days,
        settings.reminder_hour,
        zone,
        today=moment.astimezone(zone).date(),
    )
    reminders = await repo.reminders.schedule_for_certificate(
        certificate.id, certificate.user_id, due
    )
    user = await repo.users.get(certificate.user_id)
    if user is not None and not user.reminders_enabled:
        await repo.reminders.cancel_for_user(certificate.user_id)
        reminders = [
            r
            for r in await repo.reminders.list_for_user(certificate.user_id)
            if r.certificate_id == certificate.id
        ]
    return reminders

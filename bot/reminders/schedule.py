"""Scheduling expiry reminders for a newly recorded certificate.

STUB: a documented no-op until the reminders feature lands and replaces this module. The
certificate flow calls it right after recording a certificate; the real version inserts the
reminder rows (one per `settings.reminder_days` offset before `certificate.expires_on`).
"""

from __future__ import annotations

from bot.config import Settings
from storage import Certificate, Repositories


async def schedule_certificate_reminders(
    repo: Repositories, settings: Settings, certificate: Certificate
) -> None:
    """Plan the reminders of `certificate` (no-op stub; see the module docstring)."""
    return None

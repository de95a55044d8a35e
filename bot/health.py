"""Health checks: a registry of named async checks behind ``GET /healthz`` (webhook mode).

A check is ``async def () -> bool``; it fails when it returns False, raises, or takes longer than
its timeout. All checks run concurrently; the answer is 200 when every check passes, else 503::

    {"status": "ok", "database": true, "scheduler": true, "version": "0.1.0", "mode": "webhook"}

Registered today: ``database`` (``Database.ping``: ``SELECT 1`` within 5 s), in
:func:`bot.factory.open_app`. Another part of the bot registers its own check where it is created,
on the one registry of the running bot, ``app.health``. For example the reminders scheduler, in the
startup hook that starts it::

    app.health.register("scheduler", lambda: scheduler_running(scheduler))

(a plain function returning bool is accepted too; it is called in the event loop, so keep it quick).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger("bot.health")

CheckFunction = Callable[[], Awaitable[bool] | bool]
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class HealthReport:
    checks: dict[str, bool]

    @property
    def ok(self) -> bool:
        return all(self.checks.values())

    def as_dict(self, **extra: object) -> dict[str, object]:
        return {"status": "ok" if self.ok else "fail", **self.checks, **extra}


@dataclass
class HealthCheck:
    """Named checks of the running bot (see the module docstring)."""

    timeout: float = DEFAULT_TIMEOUT
    _checks: dict[str, tuple[CheckFunction, float]] = field(default_factory=dict)

    def register(self, name: str, check: CheckFunction, *, timeout: float | None = None) -> None:
        """Add (or replace) the check ``name``; names are the keys of the /healthz JSON."""
        if name in {"status", "version", "mode"}:
            raise ValueError(f"{name!r} is reserved in the health report")
        self._checks[name] = (check, self.timeout if timeout is None else timeout)

    def unregister(self, name: str) -> None:
        self._checks.pop(name, None)

    @property
    def names(self) -> list[str]:
        return list(self._checks)

    async def run(self) -> HealthReport:
        names = list(self._checks)
        results = await asyncio.gather(*(self._run_one(name) for name in names))
        return HealthReport(dict(zip(names, results, strict=True)))

    async def _run_one(self, name: str) -> bool:
        check, timeout = self._checks[name]
        try:
            async with asyncio.timeout(timeout):
                result = check()
                if inspect.isawaitable(result):
                    result = await result
            ok = bool(result)
        except Exception as error:
            log.warning("health check %s raised %s", name, type(error).__name__)
            return False
        if not ok:
            log.warning("health check %s failed", name)
        return ok

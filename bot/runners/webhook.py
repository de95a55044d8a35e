"""Webhook mode: Telegram POSTs every update to WEBHOOK_URL (through a reverse proxy with TLS).

Chosen when WEBHOOK_URL is set. One aiohttp listener on WEBHOOK_LISTEN_HOST:WEBHOOK_LISTEN_PORT
serves

- ``POST <path of WEBHOOK_URL>``: updates, through aiogram's :class:`SimpleRequestHandler`; a
  request without the right ``X-Telegram-Bot-Api-Secret-Token`` header is refused with 401 and
  logged (a warning with the peer address, never the body); updates are answered 200 at once and
  handled in background tasks (``handle_in_background``), which the shutdown drain waits for;
- ``GET /healthz``: the :class:`bot.health.HealthCheck` report, 200 or 503.

Start: listener up → startup hooks (command menus) → ``setWebhook`` (secret token, the update
types the handlers use, pending updates kept). Stop (SIGTERM/SIGINT): new updates are answered 503,
so Telegram keeps them and redelivers them after the restart (the webhook stays set) → shutdown
hooks (the drain of the updates in hand first) → Bot session closed → listener closed → database
closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import time
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot import __version__
from bot.config import HEALTH_PATH, Settings
from bot.factory import AppContext, open_app
from bot.lifecycle import build_bot_with_lifecycle, freeze_startup_heap
from bot.middlewares.inflight import InFlightUpdates
from bot.runners.polling import log_start, wait_for_telegram

log = logging.getLogger("bot.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REFUSAL_LOG_SECONDS = 60.0
BODY_SECONDS = 10.0
"""A request whose body has not arrived by then gets 408 (Telegram sends a few KB at once; a slow
client must not hold a connection and a task). Slow *headers* are the reverse proxy's job (nginx:
``client_header_timeout``): aiohttp has no limit of its own for them."""


class GuardedRequestHandler(SimpleRequestHandler):
    """aiogram's handler, plus: refusals are logged; once stopping, new updates get 503."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, *, secret_token: str, **data: Any) -> None:
        if not secret_token:
            raise ValueError("the webhook needs a secret token")
        super().__init__(
            dispatcher, bot, handle_in_background=True, secret_token=secret_token, **data
        )
        self.accepting = True
        self.body_seconds = BODY_SECONDS
        self._refused = 0
        self._refusal_logged_at = -REFUSAL_LOG_SECONDS

    @property
    def background_tasks(self) -> set[asyncio.Task[Any]]:
        """Tasks of updates already answered 200 and still being handled (live set)."""
        return self._background_feed_update_tasks

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None or not self.verify_secret(given, self.bot):
            self._log_refusal("no" if given is None else "wrong", request.remote)
            return web.Response(status=401, text="Unauthorized")
        if not self.accepting:
            # Not 200: Telegram keeps the update and redelivers it after the restart.
            return web.Response(status=503, text="Shutting down", headers={"Retry-After": "5"})
        try:
            async with asyncio.timeout(self.body_seconds):
                body = await request.read()  # kept by aiohttp: aiogram reads it again
        except TimeoutError:
            log.warning(
                "webhook request refused: body not received within %.0f s (from %s)",
                self.body_seconds,
                request.remote,
            )
            return web.Response(status=408, text="Request Timeout")
        if not self._is_update(body, request.remote):
            return web.Response(status=400, text="Bad Request")
        return await super().handle(request)

    def _is_update(self, body: bytes, remote: str | None) -> bool:
        """A JSON object with an integer update_id that aiogram's Update model accepts: anything
        else (broken or deeply nested JSON, ``[]``, ``null``) is refused here, never handled."""
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or type(data.get("update_id")) is not int:
                raise ValueError("not an update")
            Update.model_validate(data, context={"bot": self.bot})
        except (ValueError, RecursionError, ValidationError):
            log.warning("webhook request refused: not a Telegram update (from %s)", remote)
            return False
        return True

    def _log_refusal(self, kind: str, remote: str | None) -> None:
        """One line per minute at most: a scan of the address must not flood the log."""
        now = time.monotonic()
        self._refused += 1
        if now - self._refusal_logged_at >= REFUSAL_LOG_SECONDS:
            log.warning(
                "webhook request refused: %s secret token (from %s); %d refused since the last"
                " such line",
                kind,
                remote,
                self._refused,
            )
            self._refusal_logged_at = now
            self._refused = 0


class WebhookServer:
    """The listener of webhook mode; ``await start()`` … ``await stop()``."""

    def __init__(
        self,
        app: AppContext,
        bot: Bot,
        dp: Dispatcher,
        inflight: InFlightUpdates,
        *,
        host: str | None = None,
        port: int | None = None,
    ) -> None:
        settings = app.settings
        if not settings.webhook_url or settings.webhook_secret is None:
            raise RuntimeError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        self.app = app
        self.bot = bot
        self.dp = dp
        self.url = settings.webhook_url
        self.path = settings.webhook_path
        self.host = settings.webhook_listen_host if host is None else host
        self.port = settings.webhook_listen_port if port is None else port
        self.stopping = False
        self._secret = settings.webhook_secret.get_secret_value()
        self.handler = GuardedRequestHandler(dp, bot, secret_token=self._secret)
        inflight.watch(self.handler.background_tasks)
        self.web = web.Application()
        self.web.router.add_post(self.path, self.handler.handle)
        self.web.router.add_get(HEALTH_PATH, self.healthz)
        self._runner: web.AppRunner | None = None
        self._started_hooks = False

    @property
    def workflow_data(self) -> dict[str, Any]:
        return {
            "dispatcher": self.dp,
            "bots": (self.bot,),
            **self.dp.workflow_data,
            "bot": self.bot,
        }

    async def healthz(self, request: web.Request) -> web.Response:
        extra = {"version": __version__, "mode": "webhook"}
        if self.stopping:
            return web.json_response({"status": "stopping", **extra}, status=503)
        report = await self.app.health.run()
        return web.json_response(report.as_dict(**extra), status=200 if report.ok else 503)

    async def start(self) -> None:
        """Listen, run the startup hooks, then point Telegram at us."""
        self._runner = web.AppRunner(self.web, handle_signals=False, shutdown_timeout=5.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        if self.port == 0 and self._runner.addresses:  # a free port was asked for: which one
            self.port = int(self._runner.addresses[0][1])
        self._started_hooks = True
        await self.dp.emit_startup(**self.workflow_data)
        await self.bot.set_webhook(
            url=self.url,
            secret_token=self._secret,
            allowed_updates=self.dp.resolve_used_update_types(),
            drop_pending_updates=False,
        )

    async def stop(self) -> None:
        """Refuse new updates, drain and run the shutdown hooks, close session and listener."""
        self.stopping = True
        self.handler.accepting = False
        try:
            if self._started_hooks:
                await self.dp.emit_shutdown(**self.workflow_data)
        finally:
            await self.bot.session.close()
            if self._runner is not None:
                await self._runner.cleanup()
                self._runner = None


async def run_webhook(settings: Settings) -> None:
    """Serve the webhook until SIGTERM/SIGINT, then stop gracefully (see the module docstring)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled: list[signal.Signals] = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, _on_signal, sig, stop)
            handled.append(sig)
    try:
        async with open_app(settings) as app:
            bot, dp, inflight = build_bot_with_lifecycle(app)
            server = WebhookServer(app, bot, dp, inflight)
            try:
                me = await wait_for_telegram(bot)
                freeze_startup_heap()
                await server.start()
                log_start(
                    "webhook",
                    me,
                    settings,
                    f"listen={server.host}:{server.port} path={server.path}",
                )
                await stop.wait()
            finally:
                await server.stop()
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
    log.info("stopped cleanly")


def _on_signal(sig: signal.Signals, stop: asyncio.Event) -> None:
    log.info("received %s: stopping", sig.name)
    stop.set()

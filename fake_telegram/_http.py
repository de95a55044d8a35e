"""The HTTP layer of the fake server: requests, events, flood control, getUpdates."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import time
from collections import deque
from typing import Any

from aiohttp import web

from ._waiting import _Waiting
from .constants import (
    _TOKEN,
    BLOCKED,
    DEFAULT_UPDATE_TYPES,
    EDIT_METHODS,
    LIMITED_METHODS,
    SEND_METHODS,
    ApiError,
    _decode_param,
    _dumps,
    _json_param,
    _update_type,
)
from .models import (
    Event,
    RecordedRequest,
)


class _HttpLayer(_Waiting):
    """Request handling, fault and flood control, and the getUpdates long poll."""

    # ------------------------------------------------------------------ HTTP layer
    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, bytes] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = value.file.read()
                        if value.filename:
                            files[f"{key}#filename"] = value.filename.encode()
                    else:
                        params[key] = value
        return params, files

    def _request_chat_key(self, method: str, params: dict[str, Any]) -> int | None:
        if method == "answercallbackquery":
            record = self.callbacks.get(str(params.get("callback_query_id")))
            return record.chat_id if record else None
        if method == "answerinlinequery":
            inline = self.inline_queries.get(str(params.get("inline_query_id")))
            return inline.user_id if inline else None
        raw = params.get("chat_id")
        if raw is None:
            return None
        with contextlib.suppress(ApiError):
            chat = self._find_chat(raw)
            return chat.id if chat else None
        return None

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method_name = request.match_info["method"]
        method = method_name.lower()
        match = _TOKEN.match(token)
        if not match:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        self.bot_id = int(match.group(1))
        self.token = token
        try:
            params, files = await self._read_params(request)
        except (ValueError, json.JSONDecodeError):
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: invalid JSON"},
                status=400,
            )
        loop = asyncio.get_running_loop()
        record = RecordedRequest(
            method=method_name,
            params={k: _decode_param(k, v) for k, v in params.items()},
            time=time.time(),
            token=token,
            files={k: v for k, v in files.items() if "#" not in k},
        )
        self.requests.append(record)
        self.stats.requests += 1
        self.stats.by_method[method_name] = self.stats.by_method.get(method_name, 0) + 1
        polling = method == "getupdates"
        chat_key = None if polling else self._request_chat_key(method, params)
        record.chat_id = chat_key
        if not polling:
            self._inflight[chat_key] += 1
            self._notify()
        status = 200
        payload: dict[str, Any]
        try:
            if polling:
                result = await self._get_updates(params, request)
            else:
                handler = self._methods.get(method)
                if handler is None:
                    raise ApiError(404, "Not Found")
                self._inject_faults(method, chat_key)
                if method in LIMITED_METHODS:
                    self._check_flood(chat_key, loop.time())
                result = await handler(params, files)
            payload = {"ok": True, "result": result}
        except ApiError as error:
            status = error.status
            payload = error.payload()
            record.injected = error.injected
            record.description = error.description
            self.errors.append(record)
            self.stats.errors += 1
        finally:
            if not polling:
                self._inflight[chat_key] -= 1
                if not self._inflight[chat_key]:
                    del self._inflight[chat_key]
        record.status = status
        record.result = payload.get("result")
        if not polling:
            self._record_event(method, record, payload.get("result"), params)
        return web.json_response(payload, status=status, dumps=_dumps)

    def _record_event(
        self, method: str, record: RecordedRequest, result: Any, params: dict[str, Any]
    ) -> None:
        kind = "other"
        message_id: int | None = None
        ref: str | None = None
        if not record.ok:
            kind = "error"
        elif method in SEND_METHODS:
            kind = "sent"
            message_id = result.get("message_id") if isinstance(result, dict) else None
        elif method in EDIT_METHODS:
            kind = "edited"
            message_id = result.get("message_id") if isinstance(result, dict) else None
        elif method in ("deletemessage", "deletemessages"):
            kind = "deleted"
            with contextlib.suppress(TypeError, ValueError):
                message_id = int(params.get("message_id") or 0) or None
        elif method == "answercallbackquery":
            kind = "callback_answer"
            ref = str(params.get("callback_query_id"))
        elif method == "answerinlinequery":
            kind = "inline_answer"
            ref = str(params.get("inline_query_id"))
        elif method == "sendchataction":
            kind = "action"
        self._seq += 1
        event = Event(
            seq=self._seq,
            time=asyncio.get_running_loop().time(),
            kind=kind,
            chat_id=record.chat_id,
            method=record.method,
            message_id=message_id,
            ref=ref,
            request=record,
        )
        self.events.append(event)
        self._chat_events.setdefault(record.chat_id, []).append(event)
        self._last_activity[record.chat_id] = event.time
        self._last_activity_any = event.time
        self._notify()
        for listener in list(self.listeners):
            listener(event)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path and stored.data is not None:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    # ------------------------------------------------------------------ fault helpers
    def _inject_faults(self, method: str, chat_key: int | None) -> None:
        for key in (method, None):
            queue = self._faults.get(key)
            if not queue:
                continue
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.popleft()
            if fault.status == 429:
                retry = fault.retry_after or 5
                self._announce_retry(chat_key, retry)
                raise ApiError(
                    429,
                    fault.description or f"Too Many Requests: retry after {retry}",
                    retry_after=retry,
                    injected=True,
                )
            default = {
                400: "Bad Request: injected failure",
                401: "Unauthorized",
                403: BLOCKED,
                404: "Not Found",
                409: "Conflict: terminated by other getUpdates request",
                502: "Bad Gateway",
                503: "Service Unavailable",
                504: "Gateway Timeout",
            }.get(fault.status, "Internal Server Error")
            raise ApiError(fault.status, fault.description or default, injected=True)

    def _announce_retry(self, chat_key: int | None, retry_after: int) -> None:
        until = asyncio.get_running_loop().time() + retry_after
        if chat_key is None:
            self._retry_until_global = max(self._retry_until_global, until)
        else:
            self._retry_until_chat[chat_key] = max(self._retry_until_chat.get(chat_key, 0), until)

    def _check_flood(self, chat_key: int | None, now: float) -> None:
        until = max(
            self._retry_until_global,
            self._retry_until_chat.get(chat_key, 0.0) if chat_key is not None else 0.0,
        )
        if now < until:
            self.stats.sends_during_retry_after += 1
            retry = max(1, math.ceil(until - now))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry}", retry_after=retry, injected=True
            )
        limit = self._flood
        if limit is None:
            return
        window_global = self._flood_global
        while window_global and now - window_global[0] >= 1.0:
            window_global.popleft()
        if limit.per_second is not None and len(window_global) >= limit.per_second:
            self._flood_violation(None, window_global[0] + 1.0 - now)
        if chat_key is not None and chat_key < 0:
            window = self._flood_chat.setdefault(chat_key, deque())
            while window and now - window[0] >= 60.0:
                window.popleft()
            allowed = limit.per_group_per_minute
            if allowed is not None and len(window) >= max(allowed, 1):
                self._flood_violation(chat_key, window[0] + 60.0 - now)
            window.append(now)
        elif chat_key is not None and limit.per_chat_per_second is not None:
            rate = limit.per_chat_per_second
            level, last = self._chat_buckets.get(chat_key, (0.0, now))
            level = max(0.0, level - (now - last) * rate)
            if level + 1 > max(limit.per_chat_burst, 1) + 1e-9:
                self._flood_violation(chat_key, (level + 1 - limit.per_chat_burst) / rate)
            self._chat_buckets[chat_key] = (level + 1, now)
        window_global.append(now)

    def _flood_violation(self, chat_key: int | None, wait: float) -> None:
        retry = max(1, math.ceil(wait))
        self.stats.flood_429 += 1
        self._announce_retry(chat_key, retry)
        raise ApiError(
            429, f"Too Many Requests: retry after {retry}", retry_after=retry, injected=True
        )

    # ------------------------------------------------------------------ getUpdates
    async def _get_updates(self, params: dict[str, Any], request: web.Request) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = _json_param(params, "allowed_updates")
        if allowed is not None:
            self.allowed_updates = list(allowed)
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # wakes (and terminates) a previous long poll
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def ready() -> bool:
            return self._closing or generation != self._poll_generation or bool(self._deliverable())

        await self._wait_until(ready, deadline)
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot "
                "instance is running",
            )
        if self._closing or request.transport is None or request.transport.is_closing():
            return []
        batch = self._deliverable()[:limit]
        now = loop.time()
        self._seq += 1
        for update in batch:
            self.delivered.setdefault(update["update_id"], now)
            self._delivered_seq.setdefault(update["update_id"], self._seq)
        self._notify()
        return batch

    def _deliverable(self) -> list[dict[str, Any]]:
        allowed = set(self.allowed_updates) if self.allowed_updates else DEFAULT_UPDATE_TYPES
        keep: list[dict[str, Any]] = []
        for update in self.updates:
            if _update_type(update) in allowed:
                keep.append(update)
            else:
                self.dropped_updates.append(update)
        if len(keep) != len(self.updates):
            self.updates = keep
            self._notify()
        return keep

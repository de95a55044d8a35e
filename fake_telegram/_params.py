"""Reading and checking method parameters; rendering the bot's messages."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from ._state import _ServerState
from .constants import (
    BLOCKED,
    MAX_FILE_BYTES,
    MAX_PHOTO_BYTES,
    ApiError,
    _bool_param,
    _image_size,
    _json_param,
    _validate_inline_keyboard,
    bad_request,
)
from .html import (
    EntityParseError,
    parse_text,
)
from .models import (
    BotMessage,
    FakeChat,
    StoredFile,
)


class _ParamHelpers(_ServerState):
    """Parameter parsing and message rendering shared by the Bot API methods."""

    # ------------------------------------------------------------------ param helpers
    def _find_chat(self, raw: Any) -> FakeChat | None:
        if isinstance(raw, str) and raw.startswith("@"):
            name = raw[1:].lower()
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == name:
                    return chat
            return None
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None
        return self.chats.get(chat_id)

    def _target_chat(
        self, params: dict[str, Any], key: str = "chat_id", *, send: bool = True
    ) -> FakeChat:
        raw = params.get(key)
        if raw in (None, ""):
            raise bad_request(f"{key} is empty")
        chat = self._find_chat(raw)
        if chat is None:
            raise bad_request("chat not found")
        if send and chat.type == "private":
            if chat.blocked or chat.id in self._blocked:
                raise ApiError(403, BLOCKED, injected=True)
            if not chat.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat

    def _text(
        self,
        params: dict[str, Any],
        key: str,
        mode_key: str,
        entities_key: str,
        limit: int,
        *,
        required: bool,
    ) -> tuple[str | None, str | None, list[dict[str, Any]]]:
        raw = params.get(key)
        if raw is None or raw == "":
            if required:
                raise bad_request("message text is empty")
            return None, None, []
        raw = str(raw)
        entities = _json_param(params, entities_key)
        try:
            visible, parsed = parse_text(raw, params.get(mode_key), entities or None)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        except ValueError:
            raise bad_request("unsupported parse_mode") from None
        if not visible:
            if required:
                raise bad_request("message text is empty")
            return None, None, []
        if len(visible) > limit:
            raise bad_request("message is too long" if required else "message caption is too long")
        return visible, raw, parsed

    def _reply_markup(
        self, params: dict[str, Any], *, inline_only: bool = False
    ) -> dict[str, Any] | None:
        if "reply_markup" not in params or params["reply_markup"] in (None, ""):
            return None
        markup = _json_param(params, "reply_markup")
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            return _validate_inline_keyboard(markup)
        if inline_only:
            raise bad_request("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad_request(
                    'field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    text = button if isinstance(button, str) else (button or {}).get("text")
                    if not text:
                        raise bad_request("keyboard button text must be non-empty")
            return markup
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return markup
        raise bad_request("can't parse reply keyboard markup JSON object")

    def _reply_to(self, params: dict[str, Any], chat: FakeChat) -> dict[str, Any] | None:
        reply = _json_param(params, "reply_parameters") or {}
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        allow = bool(reply.get("allow_sending_without_reply")) if isinstance(reply, dict) else False
        if message_id is None and params.get("reply_to_message_id"):
            message_id = int(params["reply_to_message_id"])
            allow = _bool_param(params, "allow_sending_without_reply")
        if message_id is None:
            return None
        target = chat.find(int(message_id))
        raw = target.raw if target is not None else chat.incoming.get(int(message_id))
        if raw is None:
            if allow:
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in raw.items() if k != "reply_to_message"}

    def _store_file(
        self, data: bytes, *, kind: str, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        n = next(self._ids)
        unique = hashlib.sha1(data).hexdigest()[:16]
        ext = (file_name or "").rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        stored = StoredFile(
            file_id=f"FAKE{kind[:3].upper()}{n:08d}{unique}",
            file_unique_id=f"U{unique}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            file_path=f"{kind}/file_{n}.{ext}",
        )
        size = _image_size(data) if kind == "photos" else None
        if size:
            stored.width, stored.height = size
        self.files[stored.file_id] = stored
        return stored

    def _input_file(
        self, params: dict[str, Any], files: dict[str, bytes], key: str, *, kind: str
    ) -> StoredFile:
        value = params.get(key)
        filename: str | None = None
        data: bytes | None = None
        if key in files:
            data = files[key]
            filename = files.get(f"{key}#filename", b"").decode() or None
        elif isinstance(value, str) and value.startswith("attach://"):
            name = value[len("attach://") :]
            if name not in files:
                raise bad_request(f"file {name!r} not found in the request")
            data = files[name]
            filename = files.get(f"{name}#filename", b"").decode() or None
        elif isinstance(value, str) and value:
            if value in self.files:
                return self.files[value]
            if value.startswith(("http://", "https://")):
                stored = StoredFile(
                    file_id=f"FAKEURL{next(self._ids):08d}",
                    file_unique_id=f"URL{next(self._ids)}",
                    data=None,
                    file_name=value.rsplit("/", 1)[-1],
                    width=1,
                    height=1,
                )
                self.files[stored.file_id] = stored
                return stored
            raise bad_request("wrong file identifier/HTTP URL specified")
        if data is None:
            raise bad_request(f"there is no {key} in the request")
        if not data:
            raise bad_request("file must be non-empty")
        if kind == "photos":
            if len(data) > MAX_PHOTO_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            if self.validate_images and _image_size(data) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
        elif len(data) > MAX_FILE_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        return self._store_file(data, kind=kind, file_name=filename)

    def _photo_size(self, stored: StoredFile) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": stored.width or 1,
            "height": stored.height or 1,
        }
        if stored.data is not None:
            data["file_size"] = len(stored.data)
        return data

    def _document_dict(self, stored: StoredFile) -> dict[str, Any]:
        data: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        if stored.file_name:
            data["file_name"] = stored.file_name
        if stored.mime_type:
            data["mime_type"] = stored.mime_type
        if stored.data is not None:
            data["file_size"] = len(stored.data)
        return data

    def _render(self, message: BotMessage, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        raw: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": chat.to_dict(),
            "date": message.date,
        }
        if message.edit_date:
            raw["edit_date"] = message.edit_date
        if message.text is not None:
            raw["text"] = message.text
            if message.entities:
                raw["entities"] = message.entities
        if message.kind == "photo":
            stored = self.files.get(message.file_id or "")
            if stored is not None:
                raw["photo"] = [self._photo_size(stored)]
        if message.kind == "document":
            stored = self.files.get(message.file_id or "")
            if stored is not None:
                raw["document"] = self._document_dict(stored)
        if message.caption is not None:
            raw["caption"] = message.caption
            if message.caption_entities:
                raw["caption_entities"] = message.caption_entities
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            raw["reply_markup"] = message.reply_markup
        previous = message.raw
        for key in ("reply_to_message", "forward_origin"):
            if key in previous:
                raw[key] = previous[key]
        if extra:
            raw.update(extra)
        message.raw = raw
        return raw

    def _add_bot_message(
        self, chat: FakeChat, message: BotMessage, extra: dict[str, Any]
    ) -> dict[str, Any]:
        chat.messages.append(message)
        return self._render(message, extra)

    def _edit_target(self, params: dict[str, Any]) -> BotMessage | None:
        """The bot message to edit, or None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat = self._target_chat(params)
        try:
            message_id = int(params.get("message_id") or 0)
        except ValueError:
            raise bad_request("message identifier is not specified") from None
        message = chat.find(message_id)
        if message is None:
            raise bad_request("message to edit not found")
        return message

    def _finish_edit(self, message: BotMessage) -> dict[str, Any]:
        message.edited = True
        message.edit_count += 1
        message.edit_date = int(time.time())
        return self._render(message)

"""Bot API methods that send, edit and delete messages and answer queries."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from ._methods_bot import _BotMethods
from .constants import (
    MAX_CALLBACK_ANSWER,
    MAX_CAPTION,
    MAX_INLINE_RESULT_ID,
    MAX_INLINE_RESULTS,
    MAX_TEXT,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    ApiError,
    _decode_param,
    _json_param,
    _validate_inline_keyboard,
    bad_request,
)
from .models import (
    BotMessage,
    FakeChat,
)


class _MessageMethods(_BotMethods):
    """Methods: sending, editing, deleting, answering queries, files."""

    # ------------------------------------------------------------------ methods: sending
    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params)
        visible, source, entities = self._text(
            params, "text", "parse_mode", "entities", MAX_TEXT, required=True
        )
        markup = self._reply_markup(params)
        reply = self._reply_to(params, chat)
        message = BotMessage(
            chat_id=chat.id,
            message_id=chat.take_message_id(),
            kind="text",
            date=int(time.time()),
            text=visible,
            html=source,
            entities=entities,
            reply_markup=markup,
            reply_to_message_id=reply["message_id"] if reply else None,
        )
        return self._add_bot_message(chat, message, {"reply_to_message": reply} if reply else {})

    async def _send_media(
        self, params: dict[str, Any], files: dict[str, bytes], key: str, kind: str
    ) -> Any:
        chat = self._target_chat(params)
        stored = self._input_file(
            params, files, key, kind="photos" if kind == "photo" else "documents"
        )
        caption, caption_src, caption_entities = self._text(
            params, "caption", "parse_mode", "caption_entities", MAX_CAPTION, required=False
        )
        markup = self._reply_markup(params)
        reply = self._reply_to(params, chat)
        message = BotMessage(
            chat_id=chat.id,
            message_id=chat.take_message_id(),
            kind=kind,
            date=int(time.time()),
            caption=caption,
            caption_html=caption_src,
            caption_entities=caption_entities,
            reply_markup=markup,
            file_id=stored.file_id,
            file_name=stored.file_name,
            reply_to_message_id=reply["message_id"] if reply else None,
        )
        if kind == "photo":
            message.photo = stored.data
        else:
            message.document = stored.data
        return self._add_bot_message(chat, message, {"reply_to_message": reply} if reply else {})

    async def _m_sendphoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return await self._send_media(params, files, "photo", "photo")

    async def _m_senddocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return await self._send_media(params, files, "document", "document")

    def _source_message(self, params: dict[str, Any], what: str) -> tuple[FakeChat, BotMessage]:
        source_chat = self._target_chat(params, "from_chat_id", send=False)
        message_id = int(params.get("message_id") or 0)
        bot_message = source_chat.find(message_id)
        if bot_message is not None:
            return source_chat, bot_message
        raw = source_chat.incoming.get(message_id)
        if raw is None:
            raise bad_request(f"message to {what} not found")
        photo = raw.get("photo")
        document = raw.get("document")
        file_id = photo[-1]["file_id"] if photo else (document or {}).get("file_id")
        stored = self.files.get(file_id or "")
        message = BotMessage(
            chat_id=source_chat.id,
            message_id=message_id,
            kind="photo" if photo else "document" if document else "text",
            date=raw["date"],
            text=raw.get("text"),
            html=None,
            entities=list(raw.get("entities", [])),
            caption=raw.get("caption"),
            caption_entities=list(raw.get("caption_entities", [])),
            file_id=file_id,
            photo=stored.data if stored and photo else None,
            document=stored.data if stored and document else None,
            raw=raw,
        )
        return source_chat, message

    async def _m_copymessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params)
        _, source = self._source_message(params, "copy")
        message = source.snapshot()
        message.chat_id = chat.id
        message.message_id = chat.take_message_id()
        message.date = int(time.time())
        message.edited, message.edit_date, message.edit_count = False, None, 0
        message.raw = {}
        if "caption" in params and message.kind != "text":
            message.caption, message.caption_html, message.caption_entities = self._text(
                params, "caption", "parse_mode", "caption_entities", MAX_CAPTION, required=False
            )
        message.reply_markup = self._reply_markup(params)
        self._add_bot_message(chat, message, {})
        return {"message_id": message.message_id}

    async def _m_forwardmessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params)
        _, source = self._source_message(params, "forward")
        sender = source.raw.get("from") or self.bot_user
        message = source.snapshot()
        message.chat_id = chat.id
        message.message_id = chat.take_message_id()
        message.date = int(time.time())
        message.edited, message.edit_date, message.edit_count = False, None, 0
        message.reply_markup = None
        message.raw = {}
        origin: dict[str, Any] = {"type": "user", "sender_user": sender, "date": source.date}
        return self._add_bot_message(chat, message, {"forward_origin": origin})

    # ------------------------------------------------------------------ methods: editing
    async def _m_editmessagetext(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._edit_target(params)
        visible, source, entities = self._text(
            params, "text", "parse_mode", "entities", MAX_TEXT, required=True
        )
        markup = self._reply_markup(params, inline_only=True)
        if message is None:
            return True
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        if (
            visible == message.text
            and entities == message.entities
            and markup == message.reply_markup
        ):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.text, message.html, message.entities = visible, source, entities
        message.reply_markup = markup
        return self._finish_edit(message)

    async def _m_editmessagecaption(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._edit_target(params)
        caption, source, entities = self._text(
            params, "caption", "parse_mode", "caption_entities", MAX_CAPTION, required=False
        )
        markup = self._reply_markup(params, inline_only=True)
        if message is None:
            return True
        if message.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        if (
            caption == message.caption
            and entities == message.caption_entities
            and markup == message.reply_markup
        ):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.caption, message.caption_html, message.caption_entities = caption, source, entities
        message.reply_markup = markup
        return self._finish_edit(message)

    async def _m_editmessagereplymarkup(
        self, params: dict[str, Any], files: dict[str, bytes]
    ) -> Any:
        message = self._edit_target(params)
        markup = self._reply_markup(params, inline_only=True)
        if message is None:
            return True
        if markup == message.reply_markup:
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.reply_markup = markup
        return self._finish_edit(message)

    async def _m_deletemessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params, send=False)
        message_id = int(params.get("message_id") or 0)
        self._delete(chat, message_id)
        return True

    async def _m_deletemessages(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params, send=False)
        ids = _json_param(params, "message_ids") or []
        if not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must contain 1-100 identifiers")
        for message_id in ids:
            with contextlib.suppress(ApiError):
                self._delete(chat, int(message_id))
        return True

    def _delete(self, chat: FakeChat, message_id: int) -> None:
        message = chat.find(message_id)
        if message is not None:
            chat.messages.remove(message)
            message.deleted = True
            chat.deleted.append(message)
            return
        if message_id in chat.incoming:
            del chat.incoming[message_id]
            return
        raise bad_request("message to delete not found")

    # ------------------------------------------------------------------ methods: queries
    async def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        record = self.callbacks.get(str(params.get("callback_query_id")))
        if record is None or record.answered:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered = True
        record.answer = {k: _decode_param(k, v) for k, v in params.items()}
        return True

    async def _m_answerinlinequery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        record = self.inline_queries.get(str(params.get("inline_query_id")))
        if record is None or record.answered:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        results = _json_param(params, "results")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict) or not result.get("type"):
                raise bad_request("can't parse inline query result: type is missing")
            result_id = str(result.get("id", ""))
            if not 1 <= len(result_id.encode()) <= MAX_INLINE_RESULT_ID:
                raise bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            if result["type"] == "article" and not result.get("title"):
                raise bad_request("RESULT_TITLE_EMPTY")
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                self._text(
                    content, "message_text", "parse_mode", "entities", MAX_TEXT, required=True
                )
            if result.get("reply_markup"):
                _validate_inline_keyboard(result["reply_markup"])
            if "caption" in result:
                self._text(
                    result, "caption", "parse_mode", "caption_entities", MAX_CAPTION, required=False
                )
        next_offset = str(params.get("next_offset") or "")
        if len(next_offset.encode()) > 64:
            raise bad_request("NEXT_OFFSET_INVALID")
        record.answered = True
        record.results = results
        record.answer = {k: _decode_param(k, v) for k, v in params.items() if k != "results"}
        return True

    async def _m_getfile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        stored = self.files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        data: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.data is not None:
            data["file_size"] = len(stored.data)
        return data

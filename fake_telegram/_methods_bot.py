"""Bot API methods about the bot itself, its commands and chats."""

from __future__ import annotations

from typing import Any

from ._http import _HttpLayer
from .constants import (
    _COMMAND,
    CHAT_ACTIONS,
    _bool_param,
    _decode_param,
    _json_param,
    bad_request,
)


class _BotMethods(_HttpLayer):
    """Methods: bot, webhook, commands, menu button, settings, chats."""

    # ------------------------------------------------------------------ methods: bot
    async def _m_getme(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logout(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.closed_sessions.append("logOut")
        return True

    async def _m_close(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.closed_sessions.append("close")
        return True

    async def _m_setwebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        url = str(params.get("url") or "")
        if url and not url.startswith("https://") and not url.startswith("http://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if not url:
            self.webhook = None
            return True
        allowed = _json_param(params, "allowed_updates")
        if allowed is not None:
            self.allowed_updates = list(allowed)
        if _bool_param(params, "drop_pending_updates"):
            self._drop_pending()
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "max_connections": int(params.get("max_connections") or 40),
            "ip_address": params.get("ip_address"),
            "allowed_updates": allowed,
        }
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = None
        if _bool_param(params, "drop_pending_updates"):
            self._drop_pending()
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            if self.webhook.get("ip_address"):
                info["ip_address"] = self.webhook["ip_address"]
            if self.allowed_updates is not None:
                info["allowed_updates"] = self.allowed_updates
        return info

    def _drop_pending(self) -> None:
        self.dropped_updates.extend(self.updates)
        self.updates.clear()
        self._notify()

    # ------------------------------------------------------------------ methods: commands etc.
    async def _m_setmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = _json_param(params, "commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            description = str(command.get("description", ""))
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (
            self._scope_key(_json_param(params, "scope")),
            str(params.get("language_code") or ""),
        )
        self.commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _m_getmycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        key = (
            self._scope_key(_json_param(params, "scope")),
            str(params.get("language_code") or ""),
        )
        return self.commands.get(key, [])

    async def _m_deletemycommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        key = (
            self._scope_key(_json_param(params, "scope")),
            str(params.get("language_code") or ""),
        )
        self.commands.pop(key, None)
        return True

    async def _m_setchatmenubutton(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        button = _json_param(params, "menu_button") or {"type": "default"}
        if params.get("chat_id"):
            self._target_chat(params, send=False).menu_button = button
        else:
            self.default_menu_button = button
        return True

    async def _m_getchatmenubutton(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if params.get("chat_id"):
            return self._target_chat(params, send=False).menu_button or {"type": "default"}
        return self.default_menu_button or {"type": "default"}

    async def _bot_setting(self, name: str, params: dict[str, Any]) -> Any:
        self.bot_settings[(name, str(params.get("language_code") or ""))] = {
            k: _decode_param(k, v) for k, v in params.items()
        }
        return True

    async def _m_setmydescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if len(str(params.get("description") or "")) > 512:
            raise bad_request("description is too long")
        return await self._bot_setting("description", params)

    async def _m_setmyshortdescription(
        self, params: dict[str, Any], files: dict[str, bytes]
    ) -> Any:
        if len(str(params.get("short_description") or "")) > 120:
            raise bad_request("short description is too long")
        return await self._bot_setting("short_description", params)

    async def _m_setmyname(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if len(str(params.get("name") or "")) > 64:
            raise bad_request("name is too long")
        return await self._bot_setting("name", params)

    # ------------------------------------------------------------------ methods: chats
    async def _m_getchat(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params, send=False)
        return {
            **chat.to_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _m_getchatmember(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._target_chat(params, send=False)
        user_id = int(params.get("user_id") or 0)
        if user_id == self.bot_id:
            return {"status": "member", "user": self.bot_user}
        user = self.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        if chat.type == "private" and chat.id != user_id:
            raise bad_request("user not found")
        status = "administrator" if user_id in chat.administrators else "member"
        if status == "administrator":
            return {
                "status": status, "user": user, "can_be_edited": False, "is_anonymous": False,
                "can_manage_chat": True, "can_delete_messages": True,
                "can_manage_video_chats": True, "can_restrict_members": True,
                "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
                "can_post_stories": False, "can_edit_stories": False, "can_delete_stories": False,
            }  # fmt: skip
        return {"status": status, "user": user}

    async def _m_sendchataction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self._target_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

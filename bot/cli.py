"""`python -m bot [run|console|migrate|backup FILE]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.config import load_settings
from bot.faq.content import FaqContentError
from bot.logging_setup import setup_logging
from storage.database import DatabaseDamaged


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="antibody-bot")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (polling, or webhook when WEBHOOK_URL is set); default")
    console = sub.add_parser(
        "console", help="chat with the bot in this terminal: no token, no network"
    )
    console.add_argument(
        "--staff", action="store_true", help="be a staff member too (/group, /me switch chats)"
    )
    console.add_argument("--language", choices=["ru", "en"], help="default: from LANG")
    console.add_argument(
        "--fresh", action="store_true", help="start from an empty console database"
    )
    sub.add_parser("migrate", help="apply database migrations and exit")
    backup = sub.add_parser("backup", help="consistent online copy of the database")
    backup.add_argument("file", help="where to write the copy")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    command = args.command or "run"
    settings = load_settings(for_telegram=command == "run")
    # In the console the conversation owns the terminal: only warnings and errors are logged.
    level = "WARNING" if command == "console" else settings.log_level
    secrets = [
        s.get_secret_value()
        for s in (settings.bot_token, settings.secret_key, settings.webhook_secret)
        if s is not None
    ]
    setup_logging(level, settings.log_format, secrets=secrets)
    try:
        if command == "console":
            from bot.runners.console import run_console

            asyncio.run(
                run_console(settings, staff=args.staff, language=args.language, fresh=args.fresh)
            )
        elif command == "migrate":
            from bot.runners.maintenance import migrate

            asyncio.run(migrate(settings))
        elif command == "backup":
            from bot.runners.maintenance import backup

            asyncio.run(backup(settings, args.file))
        elif settings.webhook_url:
            from bot.runners.webhook import run_webhook

            asyncio.run(run_webhook(settings))
        else:
            from bot.runners.polling import run_polling

            asyncio.run(run_polling(settings))
    except KeyboardInterrupt:
        pass
    except FaqContentError as error:
        # Like a config error: one line naming the file and line, exit code 2.
        print(f"faq error: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    except DatabaseDamaged as error:
        print(f"database error: {error} (restore the last backup: see the README)", file=sys.stderr)
        return 2
    except Exception:
        logging.getLogger("bot").exception("fatal error")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bot ask|serve|cache|audit` — and the one composition root of Reggi."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import signal
import sys
import time
from pathlib import Path

from bot.index.offline import configure_offline_environment

configure_offline_environment()

from bot.channels.cli import public_json, render_text  # noqa: E402
from bot.compose import (  # noqa: E402
    build_components,
    build_server,
    ensure_index,
    hold_folder,
    release_folder,
)
from bot.errors import ReggiError, user_message  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402

log = logging.getLogger("bot")


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    jurisdictions = args.jurisdiction.split(",") if args.jurisdiction else None
    if not settings.qdrant_url:
        from bot.index import owner

        holder = owner.read(settings.qdrant_path)
        if holder is not None and holder.role == "serve" and holder.url:
            return _ask_server(holder, args, settings, jurisdictions)
    components = build_components(settings)
    ensure_index(components)
    started = time.perf_counter()
    answer = components.answers.ask(args.question, jurisdictions=jurisdictions)
    components.events.answered(
        channel="cli",
        user=getpass.getuser(),
        team="",
        question=answer.question,
        answer=answer,
        latency_ms=(time.perf_counter() - started) * 1000,
    )
    if args.json:
        print(json.dumps(public_json(answer), ensure_ascii=False))
    else:
        print(render_text(answer))
    return 0


def _ask_server(holder, args: argparse.Namespace, settings: Settings, jurisdictions) -> int:
    """The running server holds the index folder: it answers (`POST /api/ask`)."""
    from bot.answer import Answer
    from bot.errors import HeldByServer
    from bot.index import owner

    body = {"question": args.question, "jurisdictions": jurisdictions}
    token = settings.web_api_token.get_secret_value() if settings.web_api_token else ""
    try:
        reply = owner.post(holder, "/api/ask", body, token=token, timeout=120)
    except OSError as exc:
        raise HeldByServer(str(settings.qdrant_path), holder.url, f"unreachable: {exc}") from exc
    if "error" in reply:
        print(reply["error"], file=sys.stderr)
        return 2
    answer = Answer.from_dict(reply)
    print(json.dumps(public_json(answer), ensure_ascii=False) if args.json else render_text(answer))
    return 0


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.ops.server import page_url, serve

    components = build_components(settings)
    ensure_index(components)
    token = hold_folder(components, page_url(settings.host, settings.port))
    # uvicorn re-raises SIGTERM once it has shut down; exit through the `finally` below so the
    # folder's holder record is removed.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        app, socket_handler = build_server(components, admin_token=token)
        print(
            f"Reggi is running. Ask Reggi page: {page_url(settings.host, settings.port)}",
            flush=True,
        )
        try:
            serve(app, settings.host, settings.port)
        finally:
            if socket_handler is not None:
                socket_handler.close()
    finally:
        release_folder(components)
    return 0


def _cmd_cache(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cache import cache_clear, cache_stats
    from bot.compose import build_backend
    from bot.ops.events import NullEvents

    backend = build_backend(settings, events=NullEvents())
    if args.action == "stats":
        print(json.dumps(cache_stats(backend)))
    else:
        print(f"removed {cache_clear(backend)} cached answer(s)")
    return 0


def _cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from bot.ops.audit import export_csv, parse_since

    try:
        since = parse_since(args.since)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = open(args.out, "w", newline="", encoding="utf-8") if args.out else sys.stdout
    try:
        rows = export_csv(args.path or settings.audit_log_path, since, out)
    finally:
        if args.out:
            out.close()
    print(f"exported {rows} record(s)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Reggi")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question over the index")
    ask.add_argument("question")
    ask.add_argument("--jurisdiction", help="comma-separated codes, e.g. US-CA,US-MA")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    sub.add_parser("serve", help="run the web page, the API and the configured Slack/Teams bots")
    cache = sub.add_parser("cache", help="inspect or empty the answer cache")
    cache.add_argument("action", choices=["stats", "clear"])
    audit = sub.add_parser("audit", help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    export = audit_sub.add_parser("export", help="write audit records as CSV")
    export.add_argument("--since", required=True, help="a date (2026-01-31) or a time")
    export.add_argument("--path", type=Path, help="audit file or folder (default AUDIT_LOG_PATH)")
    export.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        from bot.ops.logs import configure_logging

        configure_logging(settings)
        commands = {"ask": _cmd_ask, "serve": _cmd_serve, "cache": _cmd_cache, "audit": _cmd_audit}
        return commands[args.command](args, settings)
    except ReggiError as exc:
        log.debug("request failed", exc_info=True)
        print(user_message(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bot ask|serve|cache|audit` — and the one composition root of Reggi."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.offline import configure_offline_environment

configure_offline_environment()

from bot.answer import Answer  # noqa: E402
from bot.errors import ReggiError, user_message  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402

log = logging.getLogger("bot")


@dataclass
class Components:
    """Every long-lived collaborator of the process, built once from settings."""

    settings: Settings
    index: Any  # bot.index.RegulationIndex
    engine: Any  # bot.engine.Engine — the answer engine without cache
    answers: Any  # bot.cache.CachedAnswers — what channels ask
    backend: Any  # cache backend (Redis or in-process)
    store: Any  # bot.cache.SharedStore — dedupe and rate limit
    events: Any  # bot.events.Events — metrics and audit log
    metrics: Any  # bot.metrics.Metrics


def build_components(settings: Settings) -> Components:
    """Build every collaborator from settings, once, and pass them in."""
    from bot.audit import AuditLog
    from bot.cache import CachedAnswers, build_backend, build_store
    from bot.embeddings import build_embedding
    from bot.engine import Engine
    from bot.events import FanOut
    from bot.index import RegulationIndex, open_client
    from bot.metrics import Metrics
    from bot.writers.extractive import ExtractiveWriter

    embedding = build_embedding(settings)
    index = RegulationIndex(
        client=open_client(settings), collection=settings.qdrant_collection, embedding=embedding
    )
    index.check_model()
    writer: Any = ExtractiveWriter()
    if settings.openai_api_key is not None:
        import openai

        from bot.writers.openai_writer import OpenAIWriter

        writer = OpenAIWriter(
            client=openai.OpenAI(
                api_key=settings.openai_api_key.get_secret_value(),
                base_url=settings.openai_base_url,
                timeout=settings.openai_timeout_seconds,
                max_retries=settings.openai_max_retries,
            ),
            model=settings.openai_model,
            fallback=writer,
        )
    engine = Engine(
        index=index,
        writer=writer,
        top_k=settings.retrieval_top_k,
        max_question_chars=settings.max_question_chars,
    )
    metrics = Metrics(index_stats=lambda: (index.version(), index.count()))
    events = FanOut(metrics, AuditLog.from_settings(settings))
    backend = build_backend(settings, events=events)
    answers = CachedAnswers(
        inner=engine,
        backend=backend,
        embed=embedding.get_query_embedding,
        resolve_jurisdictions=engine.resolve_jurisdictions,
        index_version=engine.index_version,
        writer_id=engine.writer_id,
        ttl_seconds=settings.cache_ttl_seconds,
        paraphrase_threshold=settings.cache_paraphrase_threshold,
        events=events,
    )
    return Components(
        settings=settings,
        index=index,
        engine=engine,
        answers=answers,
        backend=backend,
        store=build_store(settings, backend=backend),
        events=events,
        metrics=metrics,
    )


def readiness_checks(components: Components) -> dict[str, Any]:
    """/readyz: each dependency → a zero-argument check returning (ok, detail)."""

    def qdrant() -> tuple[bool, str]:
        count = components.index.count()
        if count == 0:
            return False, "the collection is empty: run the ingestion"
        return True, f"{count} chunks, index version {components.index.version()}"

    def redis() -> tuple[bool, str]:
        if not components.settings.redis_url:
            return True, "not configured: in-process cache"
        ok = components.backend.available
        return ok, "reachable" if ok else "unreachable: answering without cache"

    def embedding() -> tuple[bool, str]:
        return (
            True,
            f"{components.index.embedding_id} loaded ({components.index.dimension()} dimensions)",
        )

    return {"qdrant": qdrant, "redis": redis, "embedding": embedding}


def ensure_index(components: Components) -> None:
    """Ingest the bundled corpus when the index is empty (first start)."""
    if components.index.count() > 0:
        return
    from ingestion.__main__ import format_report
    from ingestion.pipeline import ingest

    corpus = components.settings.corpus_dir
    print(f"The index is empty: ingesting {corpus} (first start)…", file=sys.stderr)
    report = ingest(components.index, [corpus])
    print(format_report(report), file=sys.stderr)


def render_text(answer: Answer) -> str:
    """A readable terminal rendering of an answer."""
    lines = []
    if answer.cache_note:
        lines.append(f"({answer.cache_note})")
    if answer.writer_note:
        lines.append(f"({answer.writer_note})")
    if answer.answer:
        lines += [answer.answer, ""]
    for part in answer.parts:
        lines += [f"== {part.name} ==", part.text, ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            head = f"  [{c.n}] {c.citation}{c.subsection}"
            if c.heading:
                head += f" — {c.heading}"
            lines.append(head)
            if c.url:
                lines.append(f"      {c.url}")
        lines.append("")
    if answer.jurisdictions:
        lines.append(
            "Jurisdictions: " + " · ".join(answer.name_of(j) for j in answer.jurisdictions)
        )
    if answer.missing_jurisdictions:
        lines.append(
            "Not covered by the index: "
            + " · ".join(answer.name_of(j) for j in answer.missing_jurisdictions)
        )
    lines.append(answer.notice)
    return "\n".join(lines)


def public_json(answer: Answer) -> dict[str, Any]:
    """The `ask --json` shape."""
    data = answer.to_dict()
    keys = (
        "answer", "parts", "citations", "jurisdictions", "missing_jurisdictions", "cached",
        "timings_ms", "abstained", "writer", "writer_note", "cache_note", "notice", "id",
    )  # fmt: skip
    out = {k: data[k] for k in keys}
    out["citations"] = [
        {k: c[k] for k in ("n", "citation", "section", "subsection", "source", "jurisdiction",
                           "url", "heading", "title", "quote")}
        for c in data["citations"]
    ]  # fmt: skip
    return out


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    components = build_components(settings)
    ensure_index(components)
    jurisdictions = args.jurisdiction.split(",") if args.jurisdiction else None
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


def build_server(components: Components) -> tuple[Any, Any]:
    """The FastAPI app with the web page, the API, health and metrics, and Slack and Teams
    where configured; plus the Socket Mode handler to close on shutdown (or None)."""
    from functools import partial

    from bot.server import build_app

    settings = components.settings
    mounts = []
    socket_handler = None
    if settings.slack_enabled:
        from bot.channels.slack.app import build_slack_app, build_slack_client
        from bot.channels.slack.http import mount_slack

        bolt = build_slack_app(
            settings=settings,
            answers=components.answers,
            store=components.store,
            events=components.events,
            client=build_slack_client(settings),
        )
        if settings.slack_app_token is not None:
            from bot.channels.slack.socket_mode import start_socket_mode

            socket_handler = start_socket_mode(bolt, settings.slack_app_token.get_secret_value())
            log.info("Slack: Socket Mode connected")
        else:
            mounts.append(partial(mount_slack, bolt_app=bolt))
            log.info("Slack: events at /slack/events")
    if settings.teams_enabled:
        from bot.channels.teams import build_teams_app, mount_teams

        teams = build_teams_app(
            settings=settings,
            answers=components.answers,
            store=components.store,
            events=components.events,
        )
        mounts.append(partial(mount_teams, bot=teams))
        log.info("Teams: messages at /api/messages")
    app = build_app(
        settings=settings,
        answers=components.answers,
        events=components.events,
        metrics=components.metrics,
        readiness=readiness_checks(components),
        coverage=components.engine.coverage,
        extra_mounts=mounts,
    )
    return app, socket_handler


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.server import page_url, serve

    components = build_components(settings)
    ensure_index(components)
    app, socket_handler = build_server(components)
    print(f"Reggi is running. Ask Reggi page: {page_url(settings.host, settings.port)}", flush=True)
    try:
        serve(app, settings.host, settings.port)
    finally:
        if socket_handler is not None:
            socket_handler.close()
    return 0


def _cmd_cache(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cache import build_backend, cache_clear, cache_stats
    from bot.events import NullEvents

    backend = build_backend(settings, events=NullEvents())
    if args.action == "stats":
        print(json.dumps(cache_stats(backend)))
    else:
        print(f"removed {cache_clear(backend)} cached answer(s)")
    return 0


def _cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from bot.audit import export_csv, parse_since

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
        from bot.logs import configure_logging

        configure_logging(settings)
        commands = {"ask": _cmd_ask, "serve": _cmd_serve, "cache": _cmd_cache, "audit": _cmd_audit}
        return commands[args.command](args, settings)
    except ReggiError as exc:
        log.debug("request failed", exc_info=True)
        print(user_message(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

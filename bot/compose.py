"""The one composition root of Reggi: every long-lived collaborator is built here, from
`Settings`, and passed in. Nothing else reads `Settings` to build things."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.cache import Backend, CachedAnswers, SharedStore
    from bot.channels.slack.app import SlackConfig
    from bot.channels.teams.app import TeamsConfig
    from bot.engine.core import Engine
    from bot.index.store import RegulationIndex
    from bot.ops.admission import BoundedAnswers
    from bot.ops.audit import AuditLog
    from bot.ops.events import Events
    from bot.ops.health import Check
    from bot.ops.metrics import Metrics
    from ingestion.pipeline import IngestReport

log = logging.getLogger("bot")


@dataclass
class Components:
    """Every long-lived collaborator of the process, built once from settings."""

    settings: Settings
    index: RegulationIndex
    engine: Engine  # the answer engine without cache
    answers: CachedAnswers  # what channels ask
    gate: BoundedAnswers  # bounds the engine work under load (between cache and engine)
    backend: Backend  # cache backend (Redis or in-process)
    store: SharedStore  # dedupe and rate limit
    events: Events  # metrics and audit log
    metrics: Metrics


def build_backend(settings: Settings, *, events: Events) -> Backend:
    """Redis when REDIS_URL is set, else the in-process LRU."""
    if settings.redis_url:
        from bot.cache.redis import RedisBackend

        return RedisBackend.from_url(
            settings.redis_url,
            timeout_seconds=settings.redis_timeout_seconds,
            events=events,
        )
    from bot.cache import MemoryBackend

    return MemoryBackend(max_entries=settings.cache_max_entries)


def build_store(settings: Settings, *, backend: Backend) -> SharedStore:
    """The shared store on the same backend as the cache (one Redis connection pool)."""
    from bot.cache import SharedStore

    return SharedStore(backend=backend, rate_limit_per_minute=settings.rate_limit_per_minute)


def build_audit_log(settings: Settings) -> AuditLog:
    from bot.ops.audit import AuditLog

    return AuditLog(
        path=settings.audit_log_path,
        hash_questions=settings.audit_hash_questions,
        max_bytes=settings.audit_max_bytes,
        backup_count=settings.audit_backup_count,
    )


def build_components(settings: Settings) -> Components:
    """Build every collaborator from settings, once, and pass them in."""
    from bot.cache import CachedAnswers
    from bot.engine.core import Engine
    from bot.engine.similarity import DenseSimilarity
    from bot.engine.writers import Writer
    from bot.engine.writers.extractive import ExtractiveWriter
    from bot.index.config import open_index
    from bot.ops.admission import BoundedAnswers
    from bot.ops.events import FanOut
    from bot.ops.metrics import Metrics

    index = open_index(settings)
    embedding = index.embedding
    index.check_model()
    writer: Writer = ExtractiveWriter(similarity=DenseSimilarity(embedding=embedding))
    if settings.openai_api_key is not None:
        import openai

        from bot.engine.writers.openai_writer import OpenAIWriter

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
    events = FanOut(metrics, build_audit_log(settings))
    backend = build_backend(settings, events=events)
    gate = BoundedAnswers(
        inner=engine,
        workers=settings.engine_workers or os.cpu_count() or 1,
        max_waiting=settings.engine_queue_limit,
    )
    answers = CachedAnswers(
        inner=gate,
        backend=backend,
        locks=backend,
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
        gate=gate,
        backend=backend,
        store=build_store(settings, backend=backend),
        events=events,
        metrics=metrics,
    )


def readiness_checks(components: Components) -> list[Check]:
    """/readyz: the index and the embedding model are required, Redis is optional."""
    from bot.ops.health import dependency_checks

    return dependency_checks(
        index=components.index,
        cache=components.backend,
        redis_configured=bool(components.settings.redis_url),
    )


def ensure_index(components: Components) -> IngestReport | None:
    """Ingest the bundled corpus when the index is empty (first start), and re-ingest the files
    the index records when another version of the ingestion code made it (an upgrade); on a
    Qdrant server only warn (`prepare_index`)."""
    index = components.index
    if index.notice:
        print(index.notice, file=sys.stderr)
    settings = components.settings
    return prepare_index(index, corpus=settings.corpus_dir, shared=bool(settings.qdrant_url))


def prepare_index(index: RegulationIndex, *, corpus: Path, shared: bool) -> IngestReport | None:
    """Make the index usable on start; the report of what was ingested, or None when the index
    needed nothing (or, `shared`, is not this process's to write).

    Only the process that holds the index writes it: the embedded folder's holder (this
    process: Qdrant Edge lets one process open it). A Qdrant server's collection (`shared`) is
    read by every replica and written by the ingest job (`python -m ingestion`), which records
    the current ingestion version; a replica finding an older one only warns, and stays ready.
    """
    from bot.index.freshness import staleness

    if index.count() == 0:
        from ingestion.__main__ import format_report
        from ingestion.pipeline import ingest

        print(f"The index is empty: ingesting {corpus} (first start)…", file=sys.stderr)
        report = ingest(index, [corpus])
        print(format_report(report), file=sys.stderr)
        return report
    stale = staleness(index.read_meta(), index.sources().values())
    if stale is None:
        return None  # what this code writes: ingestion is not even imported
    if shared:
        log.warning(
            "%s. Answers may cite stale subdivisions until the ingest job runs again "
            "(`python -m ingestion data/corpus`: the compose `ingest` service, the Kubernetes "
            "Job deploy/k8s/ingest-job.yaml); a replica does not re-ingest a shared index.",
            stale.describe(index.description),
        )
        return None
    print(
        f"{stale.describe(index.description)}. Re-ingesting the files it records (only "
        "chunks that changed are rewritten)…",
        file=sys.stderr,
    )
    from ingestion.__main__ import refresh_line
    from ingestion.pipeline import ingest

    report = ingest(index, [], known_roots=[corpus])
    print(refresh_line(report), file=sys.stderr)
    return report


def slack_config(settings: Settings) -> SlackConfig:
    """The Slack app's typed configuration."""
    from bot.channels.slack.access import Allowlists
    from bot.channels.slack.app import SlackConfig

    return SlackConfig(
        signing_secret=settings.slack_signing_secret.get_secret_value()
        if settings.slack_signing_secret
        else "",
        socket_mode=settings.slack_app_token is not None,
        allowlists=Allowlists(
            teams=settings.allowed_teams,
            channels=settings.allowed_channels,
            users=settings.allowed_users,
        ),
        rate_limited=settings.rate_limit_per_minute > 0,
        log_questions=settings.log_questions,
    )


def teams_config(settings: Settings) -> TeamsConfig:
    """The Teams bot's typed configuration."""
    from bot.channels.teams.app import TeamsConfig

    return TeamsConfig(
        client_id=settings.teams_client_id or "",
        client_secret=settings.teams_client_secret.get_secret_value()
        if settings.teams_client_secret
        else "",
        tenant_id=settings.teams_tenant_id or "",
        allow_unauthenticated=settings.teams_allow_unauthenticated,
        rate_limited=settings.rate_limit_per_minute > 0,
        log_questions=settings.log_questions,
        sensitivity_label=settings.teams_sensitivity_label,
        sensitivity_description=settings.teams_sensitivity_description,
    )


def lookup_status_line(question: str) -> str:
    """The Slack assistant's status while `question` is looked up ("Reading European Union
    Art. 33…"), from the sections and places the question names."""
    from bot.conversation import lookup_status
    from bot.engine.jurisdictions import detect, name_of
    from bot.engine.query import section_refs

    refs = section_refs(question)
    # EU acts number their provisions as Articles; US codes as sections (§).
    labels = [
        f"{name_of(r.jurisdiction)} {'Art.' if r.jurisdiction == 'EU' else '§'} {r.section_key}"
        if r.jurisdiction
        else f"§ {r.section_key}"
        for r in refs
    ]
    return lookup_status(labels, [name_of(code) for code in detect(question)])


def hold_folder(components: Components, url: str) -> str | None:
    """Record this server as the holder of the embedded index folder, with the address and a
    per-run admin token that `python -m bot ask` and `python -m ingestion` use to reach it.
    Returns the token (None with a Qdrant server: nothing to hold)."""
    from bot.index import owner

    settings = components.settings
    if settings.qdrant_url:
        return None
    token = owner.new_token()
    holder = owner.Owner(pid=os.getpid(), role="serve", url=url, token=token)
    owner.claim(settings.qdrant_path, holder)
    return token


def release_folder(components: Components) -> None:
    from bot.index import owner

    if not components.settings.qdrant_url:
        owner.release(components.settings.qdrant_path)


def ingest_for_request(components: Components, body: dict) -> dict:
    """An ingest sent by `python -m ingestion` to the server holding the folder. Storage is
    not compacted here (that holds the GIL and would stall answers)."""
    from ingestion.pipeline import ingest

    paths = [Path(str(p)) for p in body.get("paths", [])]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ValueError(f"the server cannot see {', '.join(missing)}")
    dry_run = bool(body.get("dry_run"))
    if body.get("rebuild") and not dry_run:
        components.index.drop()
    jurisdiction = body.get("jurisdiction")
    report = ingest(
        components.index,
        paths,
        jurisdiction=str(jurisdiction) if jurisdiction else None,
        dry_run=dry_run,
        optimize=False,
        known_roots=[components.settings.corpus_dir],
    )
    log.info("ingest through the server: %s", report)
    return report.to_json()


def build_server(
    components: Components, *, admin_token: str | None = None
) -> tuple[FastAPI, SocketModeHandler | None]:
    """The FastAPI app with the web page, the API, health and metrics, and Slack and Teams
    where configured; plus the Socket Mode handler to close on shutdown (or None)."""
    from functools import partial

    from bot.ops.server import build_app

    settings = components.settings
    mounts: list[Callable[[FastAPI], None]] = []
    socket_handler: SocketModeHandler | None = None
    enabled = ["web page at /"]
    if settings.slack_enabled:
        from bot.channels.slack.app import build_slack_app, build_slack_client
        from bot.channels.slack.channel_settings import MemoryKeyValue
        from bot.channels.slack.http import mount_slack

        assert settings.slack_bot_token is not None
        engine = components.engine
        bolt = build_slack_app(
            config=slack_config(settings),
            answers=components.answers,
            store=components.store,
            events=components.events,
            client=build_slack_client(
                token=settings.slack_bot_token.get_secret_value(),
                base_url=settings.slack_api_url,
            ),
            kept_answers=components.backend,
            # admins' channel settings must survive cache eviction: Redis, or a plain dict
            channel_settings=components.backend if settings.redis_url else MemoryKeyValue(),
            coverage=engine.coverage,
            index_version=components.index.version,
            places=lambda question: engine.resolve_jurisdictions(question),
            status_line=lookup_status_line,
        )
        if settings.slack_app_token is not None:
            from bot.channels.slack.socket_mode import start_socket_mode

            socket_handler = start_socket_mode(bolt, settings.slack_app_token.get_secret_value())
            enabled.append("Slack over Socket Mode")
        else:
            mounts.append(partial(mount_slack, bolt_app=bolt))
            enabled.append("Slack at /slack/events")
    else:
        from bot.channels.slack.http import mount_slack_setup

        secret = settings.slack_signing_secret
        mounts.append(
            partial(mount_slack_setup, signing_secret=secret.get_secret_value() if secret else "")
        )
        log.info(
            "Slack: off (SLACK_BOT_TOKEN not set); /slack/events answers Slack's URL check only"
        )
    if settings.teams_enabled:
        from bot.channels.teams import build_teams_app, mount_teams

        teams = build_teams_app(
            config=teams_config(settings),
            answers=components.answers,
            store=components.store,
            events=components.events,
            kept_answers=components.backend,
        )
        mounts.append(partial(mount_teams, bot=teams))
        enabled.append("Teams at /api/messages")
    else:
        log.info("Teams: off (TEAMS_CLIENT_ID not set)")
    log.info("Channels enabled: %s", "; ".join(enabled))
    if admin_token:
        from bot.ops.admin import mount_admin

        mounts.append(
            partial(mount_admin, token=admin_token, ingest=partial(ingest_for_request, components))
        )
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

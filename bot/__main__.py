"""`python -m bot ask|serve|cache|audit` — and the one composition root of Reggi."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import dataclass
from typing import Any

from bot.offline import configure_offline_environment

configure_offline_environment()

from bot.answer import Answer  # noqa: E402
from bot.errors import ReggiError, user_message  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402

log = logging.getLogger("bot")


@dataclass
class Components:
    settings: Settings
    index: Any
    engine: Any


def build_components(settings: Settings) -> Components:
    """Build every collaborator from settings, once, and pass them in."""
    from bot.embeddings import build_embedding
    from bot.engine import Engine
    from bot.index import RegulationIndex, open_client
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
    return Components(settings=settings, index=index, engine=engine)


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
        lines.append("Jurisdictions: " + " · ".join(answer.name_of(j) for j in answer.jurisdictions))
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
    answer = components.engine.ask(args.question, jurisdictions=jurisdictions)
    if args.json:
        print(json.dumps(public_json(answer), ensure_ascii=False))
    else:
        print(render_text(answer))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Reggi")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question over the index")
    ask.add_argument("question")
    ask.add_argument("--jurisdiction", help="comma-separated codes, e.g. US-CA,US-MA")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        return {"ask": _cmd_ask}[args.command](args, settings)
    except ReggiError as exc:
        log.debug("request failed", exc_info=True)
        print(user_message(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

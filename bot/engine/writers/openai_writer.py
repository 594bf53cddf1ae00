"""The OpenAI writer: a model phrases the answer from numbered sources; every [n] is checked.

Works with any OpenAI-compatible endpoint (Azure OpenAI, vLLM, Ollama) through `base_url`.
Any API error, timeout, or a reply that cites nothing valid falls back to the extractive
writer with a one-line notice.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence

import openai

from bot.answer import Part
from bot.engine.writers import (
    SourceGroup,
    Writer,
    Written,
    make_citation,
    markers,
    quote_for,
    renumber,
)

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """You are Reggi, an assistant for in-house lawyers. Answer the question using ONLY \
the numbered sources given. Rules:
- After every claim, put the number of the source it comes from in square brackets, e.g. [2].
- Cite only the numbers given. Never state anything the sources do not say.
- Write one part per jurisdiction, each starting with a line "### <jurisdiction name>" using the \
names given, then 1-4 short sentences or bullets.
- If the sources do not answer the question for a jurisdiction, say so in that part.
- Be brief and plain. Do not give legal advice beyond what the sources say."""

FALLBACK_NOTE = (
    "The AI writer could not be used just now, so this answer quotes the sources directly."
)
UNVERIFIED_NOTE = (
    "The AI writer's reply could not be checked against the sources, so this answer quotes "
    "the sources directly."
)


def build_prompt(question: str, groups: Sequence[SourceGroup], context: str = "") -> str:
    lines = []
    if context:
        lines.append(f"Earlier in this conversation: {context}\n")
    lines.append(f"Question: {question}\n")
    lines.append("Jurisdictions: " + ", ".join(g.name for g in groups) + "\n")
    lines.append("Sources:")
    n = 0
    for g in groups:
        for node in g.nodes:
            n += 1
            m = node.node.metadata
            lines.append(
                f"[{n}] ({g.name}) {m.get('citation', '')} — "
                f"{m.get('heading', '')}\n{node.node.get_content()}\n"
            )
    return "\n".join(lines)


def split_parts(text: str, groups: Sequence[SourceGroup]) -> tuple[str, list[Part]]:
    """Split a reply at its "### Name" headings into a lead and one part per jurisdiction."""
    chunks = re.split(r"^\s*#{2,4}\s*(.+?)\s*$", text, flags=re.MULTILINE)
    lead = chunks[0].strip()
    parts: list[Part] = []
    by_name = {g.name.lower(): g for g in groups}
    for heading, body in zip(chunks[1::2], chunks[2::2], strict=False):
        group = by_name.get(heading.strip().strip("*").lower())
        if group is None:
            group = next((g for g in groups if g.name.lower() in heading.lower()), None)
        if group is not None and body.strip():
            parts.append(Part(group.jurisdiction, group.name, body.strip()))
        elif body.strip():
            lead = f"{lead}\n\n{body.strip()}".strip()
    if not parts and len(groups) == 1 and lead:
        return "", [Part(groups[0].jurisdiction, groups[0].name, lead)]
    return lead, parts


class OpenAIWriter:
    name = "openai"

    def __init__(self, *, client: openai.OpenAI, model: str, fallback: Writer) -> None:
        self._client = client
        self._model = model
        self._fallback = fallback

    def write(self, question: str, groups: Sequence[SourceGroup], *, context: str = "") -> Written:
        started = time.perf_counter()
        try:
            reply = self._client.chat.completions.create(
                model=self._model,
                temperature=0,
                messages=[
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": build_prompt(question, groups, context)},
                ],
            )
            text = reply.choices[0].message.content or ""
        except openai.OpenAIError as exc:
            log.warning(
                "OpenAI writer failed (%s: %s); using the extractive writer",
                type(exc).__name__,
                exc,
            )
            return self._fall_back(question, groups, context, FALLBACK_NOTE, started)
        written = self.check(text, question, groups)
        if written is None:
            log.warning("OpenAI reply cited no valid source; using the extractive writer")
            return self._fall_back(question, groups, context, UNVERIFIED_NOTE, started)
        written.timings_ms["writing"] = (time.perf_counter() - started) * 1000
        return written

    def check(self, text: str, question: str, groups: Sequence[SourceGroup]) -> Written | None:
        """Keep markers that point at a given source, renumbered 1..m in order of first use."""
        nodes = [node for g in groups for node in g.nodes]
        valid = [n for n in markers(text) if 1 <= n <= len(nodes)]
        if not valid:
            return None
        mapping = {old: new for new, old in enumerate(dict.fromkeys(valid), start=1)}
        lead, parts = split_parts(text, groups)
        lead = renumber(lead, mapping)
        parts = [Part(p.jurisdiction, p.name, renumber(p.text, mapping)) for p in parts]
        citations = tuple(
            make_citation(new, nodes[old - 1], quote_for(nodes[old - 1], question))
            for old, new in mapping.items()
        )
        return Written(
            answer=lead,
            parts=tuple(p for p in parts if p.text),
            citations=citations,
            writer=f"openai:{self._model}",
        )

    def _fall_back(
        self,
        question: str,
        groups: Sequence[SourceGroup],
        context: str,
        note: str,
        started: float,
    ) -> Written:
        written = self._fallback.write(question, groups, context=context)
        timings = dict(written.timings_ms)
        timings["writing"] = (time.perf_counter() - started) * 1000
        return Written(
            answer=written.answer,
            parts=written.parts,
            citations=written.citations,
            writer=written.writer,
            note=note,
            timings_ms=timings,
        )

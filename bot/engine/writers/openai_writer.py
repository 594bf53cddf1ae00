"""The OpenAI writer: a model phrases the answer from numbered sources; every sentence is checked.

Works with any OpenAI-compatible endpoint (Azure OpenAI, vLLM, Ollama) through `base_url`,
plain or streamed (SSE). The reply is read as a short answer followed by one `### <name>`
part per jurisdiction; a footnote list at its end is dropped (the footnotes are Reggi's).
Every sentence must pass `checks.check` (a valid marker; every figure in a cited source);
a failing sentence is removed and the answer says so. When the call or the reading of its
reply fails in any way (API error, timeout, a body that is not JSON, an HTML page, no
choices), when nothing cites a valid source, or when the short answer fails its checks, the
answer falls back to the verbatim writer with a one-line notice, logged once.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import openai

from bot.answer import Citation, Part, Row, Table
from bot.engine.sentences import sentences
from bot.engine.writers import (
    SourceGroup,
    Writer,
    Written,
    make_citation,
    markers,
    quote_for,
    renumber,
)
from bot.engine.writers.checks import Checked, Source, check, strip_footnote_list
from bot.engine.writers.compare import wants_table
from bot.errors import (
    WRITER_FALLBACK,
    WRITER_SHORT_FAILED,
    WRITER_UNVERIFIED,
    sentences_removed,
)

log = logging.getLogger(__name__)

SYSTEM_PROMPT = """You are Reggi, an assistant for in-house lawyers. Answer the question using ONLY \
the numbered sources given. Rules:
- Start with a short answer: one to three sentences that answer the question asked (one per \
jurisdiction when there are several), before any heading.
- Then write one part per jurisdiction, each starting with a line "### <jurisdiction name>" using \
the names given, then 1-4 short sentences or bullets.
- After every sentence, put the number of the source it comes from in square brackets, e.g. [2]. \
A sentence without a valid number is deleted.
- Write numbers, amounts, percentages and time limits exactly as the cited source writes them.
- Cite only the numbers given. Never state anything the sources do not say.
- If the sources do not answer the question for a jurisdiction, say "The sources do not address \
this." in that part.
- Be brief and plain. Do not list the sources at the end."""


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


_HEADING = re.compile(
    r"^\s*(?:#{1,4}\s*(?P<h>.+?)|\*\*(?P<b>[^*]+?)\*\*:?|(?P<c>[A-Z][\w .()'’-]{1,60}):)\s*$",
    re.MULTILINE,
)
_SHORT_LABEL = re.compile(
    r"^\s*(?:[*_#\s]*)(?:short answer|in short|summary|answer)\s*[*_]*\s*[:.—-]?\s*[*_]*\s*",
    re.IGNORECASE,
)


def split_parts(text: str, groups: Sequence[SourceGroup]) -> tuple[str, list[Part]]:
    """Split a reply at its jurisdiction headings ("### Name", "**Name**", "Name:") into the
    short answer (the text before them, and under headings that name no jurisdiction) and
    one part per jurisdiction."""
    by_name = {g.name.lower(): g for g in groups}
    pieces: list[tuple[SourceGroup | None, list[str]]] = [(None, [])]
    for line in text.splitlines():
        m = _HEADING.match(line)
        title = (m.group("h") or m.group("b") or m.group("c") or "") if m else ""
        title = title.strip().strip("*_ :").lower()
        group = by_name.get(title) or next(
            (g for g in groups if title and g.name.lower() in title), None
        )
        if group is not None:
            pieces.append((group, []))
        elif m and m.group("h"):
            continue  # "## Short answer", "## Details": structure, not content
        else:
            pieces[-1][1].append(line)
    lead = _SHORT_LABEL.sub("", "\n".join(pieces[0][1]).strip(), count=1).strip()
    parts: dict[str, Part] = {}
    for group, lines in pieces[1:]:
        assert group is not None
        body = "\n".join(lines).strip()
        if not body:
            continue
        previous = parts.get(group.jurisdiction)
        if previous is not None:
            body = f"{previous.text}\n\n{body}"
        parts[group.jurisdiction] = Part(group.jurisdiction, group.name, body)
    return lead, list(parts.values())


class OpenAIWriter:
    name = "openai"

    def __init__(
        self, *, client: openai.OpenAI, model: str, fallback: Writer, stream: bool = False
    ) -> None:
        self._client = client
        self._model = model
        self._fallback = fallback
        self._stream = stream

    def write(
        self,
        question: str,
        groups: Sequence[SourceGroup],
        *,
        context: str = "",
        on_text: Callable[[str], None] | None = None,
    ) -> Written:
        """With `on_text`, the reply is streamed and each new piece handed to it as written
        (unchecked draft: the caller shows it without markers and replaces it by the result)."""
        started = time.perf_counter()
        try:
            text = self._complete(build_prompt(question, groups, context), on_text)
        except Exception as exc:  # noqa: BLE001 — any failure of the call or its reply falls back
            log.warning(
                "OpenAI writer failed (%s: %s); using the extractive writer",
                type(exc).__name__,
                str(exc)[:300],
            )
            return self._fall_back(question, groups, context, WRITER_FALLBACK, started)
        written, note = self.check(text, question, groups)
        if written is None:
            log.warning("OpenAI reply failed its checks (%s); using the extractive writer", note)
            return self._fall_back(question, groups, context, note, started)
        if written.table is None and wants_table(question, len(groups)):
            written = self._with_table(written, question, groups, context)
        written.timings_ms["writing"] = (time.perf_counter() - started) * 1000
        return written

    def _complete(self, prompt: str, on_text: Callable[[str], None] | None = None) -> str:
        """The model's reply text; raises on anything but a readable, non-empty completion."""
        messages: Any = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": prompt},
        ]
        if self._stream or on_text is not None:
            chunks = []
            for event in self._client.chat.completions.create(
                model=self._model, temperature=0, messages=messages, stream=True
            ):
                if event.choices and event.choices[0].delta.content:
                    chunks.append(event.choices[0].delta.content)
                    if on_text is not None:
                        on_text(event.choices[0].delta.content)
            text = "".join(chunks)
        else:
            reply = self._client.chat.completions.create(
                model=self._model, temperature=0, messages=messages
            )
            if not hasattr(reply, "choices"):
                raise ValueError(f"reply is not a chat completion ({type(reply).__name__})")
            if not reply.choices:
                raise ValueError("reply has no choices")
            text = reply.choices[0].message.content or ""
        if not isinstance(text, str) or not text.strip():
            raise ValueError("reply has no text")
        return text

    def check(
        self, text: str, question: str, groups: Sequence[SourceGroup]
    ) -> tuple[Written | None, str]:
        """The checked answer, or (None, the notice) when the answer must fall back."""
        nodes = [node for g in groups for node in g.nodes]
        sources = {
            i: Source(
                n.node.metadata.get("citation", ""),
                n.node.metadata.get("section", ""),
                n.node.get_content(),
            )
            for i, n in enumerate(nodes, start=1)
        }
        lead, parts = split_parts(strip_footnote_list(text), groups)
        checked_lead = check(lead, sources)
        checked_parts = [(p, check(p.text, sources)) for p in parts]
        total = checked_lead.sentences + sum(c.sentences for _, c in checked_parts)
        removed = len(checked_lead.removed) + sum(len(c.removed) for _, c in checked_parts)
        for sentence, why in [
            *checked_lead.removed,
            *(r for _, c in checked_parts for r in c.removed),
        ]:
            log.info("removed an unchecked sentence (%s): %.200s", why, sentence)
        if checked_lead.removed:
            return None, WRITER_SHORT_FAILED
        short_text = checked_lead.text
        kept = [Part(p.jurisdiction, p.name, c.text) for p, c in checked_parts if c.text]
        if not short_text:
            short_text = _first_sentences(checked_parts)
        valid = [
            n for t in (short_text, *(p.text for p in kept)) for n in markers(t) if n in sources
        ]
        if not valid or not short_text:
            return None, WRITER_UNVERIFIED
        mapping = {old: new for new, old in enumerate(dict.fromkeys(valid), start=1)}
        citations = tuple(
            make_citation(new, nodes[old - 1], quote_for(nodes[old - 1], question))
            for old, new in mapping.items()
        )
        short = renumber(short_text, mapping)
        return (
            Written(
                answer=short,
                parts=tuple(Part(p.jurisdiction, p.name, renumber(p.text, mapping)) for p in kept),
                citations=citations,
                writer=f"openai:{self._model}",
                note=sentences_removed(removed) if removed else "",
                short=(Part("", "", short),),
                checks={"sentences": total, "removed": removed},
            ),
            "",
        )

    def _with_table(
        self, written: Written, question: str, groups: Sequence[SourceGroup], context: str
    ) -> Written:
        """The comparison table is verbatim: the quoting writer's, renumbered into this answer."""
        quoted = self._fallback.write(question, groups, context=context)
        if quoted.table is None:
            return written
        citations = list(written.citations)
        mapping: dict[int, int] = {}
        for c in quoted.citations:
            if any(f"[{c.n}]" in cell for r in quoted.table.rows for cell in r.cells):
                same = next((k for k in citations if _same(k, c)), None)
                if same is None:
                    same = replace(c, n=len(citations) + 1)
                    citations.append(same)
                mapping[c.n] = same.n
        rows = tuple(
            Row(r.jurisdiction, r.name, tuple(renumber(cell, mapping) for cell in r.cells))
            for r in quoted.table.rows
        )
        table = Table(quoted.table.columns, rows, quoted.table.point)
        return replace(written, citations=tuple(citations), table=table)

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
        return replace(written, note=note, timings_ms=timings)


def _same(a: Citation, b: Citation) -> bool:
    return (a.source, a.section, a.subsection, a.quote) == (
        b.source,
        b.section,
        b.subsection,
        b.quote,
    )


def _first_sentences(checked_parts: Sequence[tuple[Part, Checked]]) -> str:
    """Without a lead, the short answer is each part's first checked sentence."""
    firsts = []
    for part, c in checked_parts:
        body = re.sub(r"^\s*(?:[-*•+]|\d{1,2}[.)])\s+", "", c.text, flags=re.MULTILINE)
        first = next(iter(sentences(body)), "")
        if first:
            firsts.append(f"{part.name}: {first}" if len(checked_parts) > 1 else first)
    return "\n\n".join(firsts)

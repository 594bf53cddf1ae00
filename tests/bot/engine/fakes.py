"""Payloads and search results shaped like the index's, for the pure engine tests."""

from __future__ import annotations

import json

from bot.engine.catalogue import Catalogue
from bot.index.schema import Hit, Ranked


def payload(source, key, *, jurisdiction="US-CA", heading="", text="", kind="obligation",
            refs=(), labels=("",), itype="statute", complete=True, missing="", section=None):  # fmt: skip
    return {
        "source": source, "section_key": key, "section": section or key, "heading": heading,
        "jurisdiction": jurisdiction, "unit_kind": kind, "refs": list(refs),
        "paragraph_labels": list(labels), "instrument_type": itype, "complete": complete,
        "missing": missing, "title": source, "short_title": source.split("/")[-1],
        "_node_content": json.dumps({"text": text}),
    }  # fmt: skip


STATUTE = "us-xx/statute.md"
RULES = "us-xx/rules.md"
FED = "us-federal/rule.md"

PAYLOADS = [
    payload(STATUTE, "10.1", heading="Definitions", kind="definition", text="Consumer means a person."),
    payload(STATUTE, "10.2", heading="Right to delete", text="A consumer may request deletion."),
    payload(STATUTE, "10.3", heading="Penalties", kind="enforcement", text="A fine applies."),
    payload(RULES, "700", heading="Requests to delete", refs=("10.2",), itype="regulation",
            text="A business shall delete the personal information within 45 days."),
    payload(RULES, "701", heading="Board procedure", kind="procedural", itype="regulation",
            text="The board meets."),
    payload(FED, "5.1", jurisdiction="US", heading="Children's data", itype="regulation",
            text="An operator shall obtain parental consent.", complete=False,
            missing="Only 5.1 is included; 5.9 (security program) is missing."),
]  # fmt: skip


def catalogue() -> Catalogue:
    return Catalogue.from_payloads(PAYLOADS)


def ranked(dense: dict[str, float], sparse: dict[str, float]) -> Ranked:
    """A search result from {section_key: score} maps (one piece per section)."""
    by_key = {p["section_key"]: p for p in PAYLOADS}

    def hits(scores):
        ordered = sorted(scores.items(), key=lambda kv: -kv[1])
        return [Hit(id=f"id-{k}", score=s, payload=by_key[k]) for k, s in ordered]

    return Ranked(dense=hits(dense), sparse=hits(sparse))

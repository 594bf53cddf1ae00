"""Ingestion output is pinned to `INGESTION_VERSION`: a digest of what ingestion makes of a small
fixture corpus (synthetic sections in the corpus format, written here, and one real file of
data/corpus) — chunk ids, text, the text embedded, every metadata field (subdivision labels
included) and the file's source record (catalogue fields included). When the digest changes
the version must change too, so that indexes made by the older code are re-ingested on start
(bot.compose.ensure_index) instead of citing stale subdivisions."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from llama_index.core.schema import MetadataMode

from bot.index.schema import INGESTION_VERSION
from ingestion.loaders import load
from ingestion.pipeline import build_nodes, discover, source_record
from tests.fixtures.index import CORPUS

# One entry per ingestion version: the digest of the fixture corpus's ingestion output.
DIGESTS = {
    1: "1086f6f7f183b09b24dceeaf",
    2: "9c822571f1675cc1e5cf48f2",  # a caption-less definitions unit read from its opening
}

REAL_FILE = "us-ny/23-nycrr-500.md"  # nested lists reused below a roman numeral, definitions

SYNTHETIC = {
    "us-xx/statute.md": """---
title: "Example Data Act"
short_title: "EDA"
jurisdiction: "US-TX"
instrument_type: "statute"
citation: "Ex. Bus. Code §§ 1–4"
cite_as: "Ex. Bus. Code § {number}"
version: "as enacted"
retrieved: "2026-01-01"
complete: false
missing: "Sections 5 to 9."
source:
  official_url: "https://example.org/eda"
---

# Example Data Act

# Chapter 1. General Provisions

## § 1. Definitions.

In this Act:

(a) "Consumer" means a natural person who is a resident of this State.

(b) "Personal data" means either:

(1) information linked to a consumer; or

(2) information reasonably linkable to a consumer.

Personal data does not include publicly available information.

(c) "Sale" means the exchange of personal data for money.

## § 2. Duties of controllers.

(a) Notice —(1) Content. A controller shall give notice of:

(A) the categories of personal data processed;

(B) the purposes of the processing; and

(C) how consumers may exercise their rights.

(2) Timing. The notice shall be given at or before collection.

(b) Security. A controller shall:

(1) maintain reasonable safeguards, which include:

(i) a written program that:

(a) names a responsible person;

(b) assesses risks at least annually; and

(ii) training of employees.

(2) dispose of personal data securely.

(c) Exceptions. Subsection (b) does not apply to a controller with fewer than ten employees, except that a controller that sells personal data shall comply with subsection (b)(1) regardless of its size, and shall keep records of every sale for three years, make those records available to the attorney general on request within thirty days, and retain copies of each notice given under subsection (a) for the same period.

[Added by Act 2026, ch. 1, eff. 1-1-2026.]

# Chapter 2. Enforcement

## § 3. Enforcement by the attorney general.

A. The attorney general has exclusive authority to enforce this Act.

B. Before bringing an action, the attorney general shall:

1. give the controller written notice identifying the provisions violated; and

2. allow thirty days to cure, during which:

a. the controller may respond in writing; and

b. the attorney general may not file suit.

C. A controller that fails to cure is liable for a civil penalty of up to $7,500 for each violation.

## § 4. Severability.

If any provision of this Act is held invalid, the invalidity does not affect other provisions of the Act that can be given effect without the invalid provision.
""",
    "eu/regulation.md": """---
title: "Example Regulation (EU) 2099/1"
short_title: "ER"
jurisdiction: "EU"
instrument_type: "regulation"
---

# Example Regulation (EU) 2099/1

## Recital (3)

The protection of natural persons in relation to the processing of personal data is a fundamental right.

# Chapter I — General provisions

## Article 1 — Subject-matter

1. This Regulation lays down rules relating to the processing of personal data.

2. It protects fundamental rights, in particular:

(a) the right to the protection of personal data;

(b) the right to privacy.

The free movement of personal data shall be neither restricted nor prohibited for those reasons.

## Article 2 — Right to erasure

1. The data subject shall have the right to obtain erasure of personal data where one of the following applies:

(a) the data are no longer necessary; or

(b) consent is withdrawn.

2. Paragraph 1 shall not apply to the extent that processing is necessary for compliance with a legal obligation.

## Article 3

For the purposes of this Regulation:

(1) 'personal data' means any information relating to an identified or identifiable natural person;

(2) 'erasure' means the permanent removal of personal data.
""",
}


def fixture_corpus(root: Path) -> Path:
    for rel, text in SYNTHETIC.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / REAL_FILE).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / REAL_FILE, root / REAL_FILE)
    return root


def ingestion_output(root: Path) -> list[dict]:
    """What the pipeline makes of every file under `root`: each chunk's id, text, embedded text
    and metadata (without the date it was ingested), and the file's source record (without
    the folder and version it records)."""
    out: list[dict] = []
    for folder, file in discover([root]):
        source = file.relative_to(folder).as_posix()
        nodes = build_nodes(load(file), source=source, root="fixture", jurisdiction=None)
        record = source_record("fixture", source, nodes).to_json()
        del record["root_path"], record["ingestion_version"]
        out.append({"record": record})
        for n in nodes:
            out.append(
                {
                    "id": n.node_id,
                    "text": n.text,
                    "embedded": n.get_content(metadata_mode=MetadataMode.EMBED),
                    "metadata": {k: v for k, v in n.metadata.items() if k != "ingested"},
                }
            )
    return out


def digest(output: list[dict]) -> str:
    text = json.dumps(output, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def test_the_fixture_exercises_nested_labels_pieces_and_catalogue_fields(tmp_path):
    output = ingestion_output(fixture_corpus(tmp_path / "fixture"))
    labels = {label for o in output for label in o.get("metadata", {}).get("paragraph_labels", [])}
    assert {"(b)(1)(i)(a)", "(a)(1)(A)", "(B)(2)(b)", "(2)(a)"} <= labels
    assert any(o.get("metadata", {}).get("pieces", 1) > 1 for o in output)  # a split section
    units = [u for o in output if "record" in o for u in o["record"]["units"]]
    assert {u["unit_kind"] for u in units} >= {"definition", "obligation", "recital"}
    kinds = {u["section"]: u["unit_kind"] for u in units}
    assert kinds["Article 3"] == "definition"  # no caption: read from its opening
    assert len([o for o in output if "record" in o]) == 3


def test_ingestion_output_changes_only_with_the_ingestion_version(tmp_path):
    got = digest(ingestion_output(fixture_corpus(tmp_path / "fixture")))
    latest = max(DIGESTS)
    bump = (
        f"If the change is intended, bump INGESTION_VERSION in bot/index/schema.py to "
        f"{latest + 1} and add `{latest + 1}: {got!r},` to DIGESTS in {Path(__file__).name}: "
        "indexes made by the older code are then re-ingested on start, instead of citing "
        "stale subdivision labels. If it is not, your change altered ingestion output "
        "(chunks, subdivision labels, metadata or catalogue fields)."
    )
    assert INGESTION_VERSION == latest, (
        f"INGESTION_VERSION is {INGESTION_VERSION} but DIGESTS ends at version {latest}: "
        f"add `{INGESTION_VERSION}: {got!r},` to DIGESTS (the output of the new version)."
    )
    assert got == DIGESTS[latest], (
        f"Ingestion output changed: the fixture corpus now digests to {got!r}, recorded for "
        f"ingestion version {latest} as {DIGESTS[latest]!r}. {bump}"
    )

"""Measure how well the offline embedding separates paraphrases from near-misses.

Prints one JSON object: cosine similarity distributions of true paraphrase pairs and of
near-miss pairs (same words, another legal meaning), and at each candidate threshold the
false-hit rate (near-misses that would be served the other question's answer) and the hit
rate on true paraphrases, for the embedding alone and with the content-signature guard of
bot/cache/keys.py. Run from the repository root: `python -m benchmarks.paraphrase_threshold`.
"""

from __future__ import annotations

import json
import pathlib
import statistics

import wordllama
from wordllama import WordLlama

from bot.cache.keys import content_signature, normalise_question, signatures_match

# Same question, other words: these SHOULD hit.
PARAPHRASES = [
    ("What is the deadline to delete under CCPA?", "deadline to delete under the CCPA"),
    (
        "Hey Reggi, what's the CCPA deadline to delete?",
        "What is the deadline to delete under CCPA",
    ),
    (
        "When must we notify individuals of a breach?",
        "when must we notify individuals of a breach please",
    ),
    (
        "Does the GDPR apply to a processor in the US?",
        "does GDPR apply to processors in the US",
    ),
    (
        "How long do we have to respond to a DSAR under GDPR?",
        "Under the GDPR, how long do we have to respond to a DSAR?",
    ),
    (
        "What are the fines for a breach under GDPR?",
        "What are the GDPR fines for a breach?",
    ),
    (
        "Is consent required for cookies under the ePrivacy rules?",
        "is consent required for cookies under ePrivacy rules",
    ),
    (
        "Can a business sell personal information of minors?",
        "can businesses sell the personal information of minors",
    ),
    (
        "What is the CCPA deadline to respond to a deletion request?",
        "How long do we have to answer a CCPA deletion request?",
    ),
    (
        "What does a privacy notice need to contain?",
        "What must be in a privacy notice?",
    ),
    (
        "When do we have to appoint a DPO?",
        "When is a data protection officer mandatory?",
    ),
    ("Who has to sign the DPA?", "Who must sign the data processing agreement?"),
]

# Same vocabulary, another question: these MUST miss.
NEAR_MISSES = [
    ("deadline to delete under CCPA", "deadline to correct under CCPA"),
    (
        "When must we notify individuals of a breach?",
        "When must we notify the media of a breach?",
    ),
    (
        "When must we notify individuals of a breach?",
        "When must we notify the regulator of a breach?",
    ),
    (
        "Can a controller transfer data to a processor?",
        "Can a processor transfer data to a controller?",
    ),
    (
        "Can we transfer data from the EU to the US?",
        "Can we transfer data from the US to the EU?",
    ),
    ("When is consent required?", "When is consent not required?"),
    ("Can only controllers delete data?", "Can controllers only delete data?"),
    (
        "What is the deadline to respond to an access request?",
        "What is the deadline to respond to a deletion request?",
    ),
    (
        "Can a business sell personal information of minors?",
        "Can a business share personal information of minors?",
    ),
    (
        "Do we need opt-in consent to sell data?",
        "Do we need opt-out consent to sell data?",
    ),
    (
        "What are the fines for a breach under GDPR?",
        "What are the fines for a breach under CCPA?",
    ),
    ("Does the CCPA apply to employees?", "Does the CCPA apply to contractors?"),
    (
        "Must the business notify the consumer before selling?",
        "Must the consumer notify the business before selling?",
    ),
    (
        "How long can we keep data after a deletion request?",
        "How long can we keep data before a deletion request?",
    ),
    (
        "What is the deadline to respond within 30 days?",
        "What is the deadline to respond within 45 days?",
    ),
    ("Does Article 15 apply?", "Does Article 17 apply?"),
    ("Is a DPIA required for profiling?", "Is a DPIA required for monitoring?"),
    (
        "Who is liable, the controller or the processor?",
        "Who is liable, the processor or the controller?",
    ),
]

THRESHOLDS = [0.80, 0.85, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99]


def _signature(question: str) -> tuple[str, ...]:
    return content_signature(normalise_question(question))


def _pairs(model: WordLlama, pairs: list[tuple[str, str]]) -> list[dict[str, object]]:
    rows = []
    for a, b in pairs:
        ea, eb = model.embed([normalise_question(a), normalise_question(b)], norm=True)
        rows.append(
            {
                "a": a,
                "b": b,
                "cosine": round(float(ea @ eb), 4),
                "guard": signatures_match(_signature(a), _signature(b)),
            }
        )
    return rows


def _dist(values: list[float]) -> dict[str, float]:
    return {
        "min": min(values),
        "median": round(statistics.median(values), 4),
        "max": max(values),
    }


def main() -> None:
    model = WordLlama.load(cache_dir=pathlib.Path(wordllama.__file__).parent, disable_download=True)
    para = _pairs(model, PARAPHRASES)
    near = _pairs(model, NEAR_MISSES)
    at = {}
    for t in THRESHOLDS:
        at[str(t)] = {
            "embedding_only": {
                "false_hit_rate": round(sum(r["cosine"] >= t for r in near) / len(near), 3),
                "paraphrase_hit_rate": round(sum(r["cosine"] >= t for r in para) / len(para), 3),
            },
            "with_guard": {
                "false_hit_rate": round(
                    sum(r["cosine"] >= t and r["guard"] for r in near) / len(near), 3
                ),
                "paraphrase_hit_rate": round(
                    sum(r["cosine"] >= t and r["guard"] for r in para) / len(para), 3
                ),
            },
        }
    guarded = [r["cosine"] for r in para if r["guard"]]
    print(
        json.dumps(
            {
                "model": "wordllama 256d (normalised questions)",
                "paraphrases": {
                    "n": len(para),
                    "cosine": _dist([r["cosine"] for r in para]),
                },
                "paraphrases_passing_guard": {
                    "n": len(guarded),
                    "cosine": _dist(guarded),
                },
                "near_misses": {
                    "n": len(near),
                    "cosine": _dist([r["cosine"] for r in near]),
                },
                "near_misses_passing_guard": [r for r in near if r["guard"]],
                "thresholds": at,
                "pairs": {"paraphrases": para, "near_misses": near},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

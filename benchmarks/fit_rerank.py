"""`python -m benchmarks.fit_rerank [QUESTIONS.jsonl ...]` — fit the rerank weights and the cut.

Runs retrieval on every answerable question of the sets (default: data/eval/dev.jsonl and
data/eval/dev2.jsonl together, never one set alone), keeps every candidate section of every
search with its features (`bot.engine.select.FEATURES`) and whether the question expects it,
and fits a logistic regression (L2, Newton steps; numpy only) of "expected" on the features.

Cross-validation: the questions of all sets are shuffled together (fixed seed) into folds;
each fold is scored by the weights fit on the others. For each held-out fold it reports the
ranking quality (mean average precision of the expected sections) and, over a grid of cut-off
settings (minimum probability, share of the best, the other instrument's slot, the federal
bar), the section recall and precision of what the cut keeps. The cut-off chosen is the one
whose pooled held-out figures come closest to the issue's targets at once (the largest
min(recall / 0.90, precision / 0.55)); the weights printed are one fit on all questions.

Prints JSON: {"lambda_sweep", "folds", "curve", "chosen_cut", "weights"}.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = (ROOT / "data" / "eval" / "dev.jsonl", ROOT / "data" / "eval" / "dev2.jsonl")
TARGET_RECALL, TARGET_PRECISION = 0.90, 0.55


@dataclass
class Search:
    candidates: Any  # bot.engine.select.Candidates
    x: np.ndarray  # (n, features)
    units: list[tuple[str, str]]
    y: np.ndarray  # 1 = expected


@dataclass
class Question:
    id: str
    expected: set[tuple[str, str]]
    searches: list[Search]


def collect(engine: Any, questions: Sequence[dict[str, Any]]) -> list[Question]:
    from bot.engine.select import FEATURES
    from bot.index.corpus_format import section_key

    out: list[Question] = []
    for q in questions:
        expected = {(e["source"], section_key(e["section"])) for e in q["expected"]}
        if not expected:
            continue
        found = engine.retrieve(q["question"])
        searches = []
        for chosen in found.scores:
            cands = chosen.candidates
            if cands is None or not cands.features:
                continue
            units = list(cands.features)
            x = np.array([[cands.features[u][f] for f in FEATURES] for u in units], dtype=float)
            y = np.array([1.0 if u in expected else 0.0 for u in units])
            searches.append(Search(cands, x, units, y))
        if searches:
            out.append(Question(str(q.get("id", "")), expected, searches))
    return out


def fit(x: np.ndarray, y: np.ndarray, lam: float, iterations: int = 50) -> np.ndarray:
    """L2-regularised logistic regression by Newton steps: [bias, w_1..w_n]."""
    a = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(a.shape[1])
    penalty = np.eye(a.shape[1]) * lam
    penalty[0, 0] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + penalty @ w
        hess = (a * (p * (1 - p))[:, None]).T @ a + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def recall_at(questions: Sequence[Question], score: Any, k: int) -> float:
    """Mean recall of the k best sections of each search (the asked jurisdiction's own)."""
    recalls = []
    for q in questions:
        got: set[tuple[str, str]] = set()
        for s in q.searches:
            c = s.candidates
            own = [u for u in s.units if c.target is None or c.jurisdiction[u] == c.target]
            got |= set(sorted(own, key=lambda u: -score(q.id, c.features[u]))[:k])
        recalls.append(len(got & q.expected) / len(q.expected))
    return float(np.mean(recalls))


def average_precision(scores: np.ndarray, y: np.ndarray, n_expected: int) -> float:
    order = np.argsort(-scores)
    hits, total = 0, 0.0
    for rank, i in enumerate(order, start=1):
        if y[i]:
            hits += 1
            total += hits / rank
    return total / n_expected if n_expected else 0.0


def weights_from(coef: np.ndarray, base: Any) -> Any:
    from bot.engine.select import FEATURES

    values = {
        "bias": float(coef[0]),
        **{f: float(c) for f, c in zip(FEATURES, coef[1:], strict=True)},
    }
    return base.with_coefficients(values)


def probability(w: Any, feats: dict[str, float]) -> float:
    return float(1 / (1 + np.exp(-np.clip(w.score(feats), -30, 30))))


def cut_figures(
    questions: Sequence[Question], weights_per_q: dict[str, Any], *, fitted: bool = True
) -> tuple[float, float]:
    """Mean section recall and precision of what `choose` keeps, per question (fitted
    weights: cut on the logistic probability; the engine's weights: on its own score)."""
    from bot.engine.select import choose

    recalls, precisions = [], []
    for q in questions:
        w = weights_per_q[q.id]
        picked: list[tuple[str, str]] = []
        for s in q.searches:
            feats = s.candidates.features
            scores = {u: probability(w, feats[u]) if fitted else w.score(feats[u]) for u in s.units}
            picked += [u for u in choose(s.candidates, scores, w) if u not in picked]
        hit = len(set(picked) & q.expected)
        recalls.append(hit / len(q.expected))
        precisions.append(hit / len(picked) if picked else 0.0)
    return float(np.mean(recalls)), float(np.mean(precisions))


def pareto(curve: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The settings no other setting beats on both recall and precision, by recall."""
    front = [
        c
        for c in curve
        if not any(
            o["recall"] >= c["recall"]
            and o["precision"] >= c["precision"]
            and o != c
            and (o["recall"], o["precision"]) != (c["recall"], c["precision"])
            for o in curve
        )
    ]
    unique = {(c["recall"], c["precision"]): c for c in front}
    return sorted(unique.values(), key=lambda c: c["recall"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fit_rerank")
    parser.add_argument("questions", nargs="*", type=Path, default=list(DEFAULT_SETS))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)

    from bot.compose import build_components, ensure_index
    from bot.engine.select import Weights
    from bot.eval import read_questions
    from bot.settings import load_settings

    components = build_components(load_settings())
    ensure_index(components)
    questions = [
        q for path in args.questions for q in collect(components.engine, read_questions(path))
    ]
    rng = random.Random(args.seed)
    order = list(range(len(questions)))
    rng.shuffle(order)
    folds = [[questions[i] for i in order[k :: args.folds]] for k in range(args.folds)]
    base = Weights()

    def stack(qs: Sequence[Question]) -> tuple[np.ndarray, np.ndarray]:
        ss = [s for q in qs for s in q.searches]
        return np.vstack([s.x for s in ss]), np.concatenate([s.y for s in ss])

    def held_out(lam: float) -> tuple[dict[str, Any], list[float]]:
        per_q: dict[str, Any] = {}
        aps: list[float] = []
        for k, fold in enumerate(folds):
            train = [q for j, f in enumerate(folds) if j != k for q in f]
            coef = fit(*stack(train), lam)
            w = weights_from(coef, base)
            for q in fold:
                per_q[q.id] = w
            fold_ap = []
            for q in fold:
                for s in q.searches:
                    n = int(s.y.sum())
                    if n:
                        z = coef[0] + s.x @ coef[1:]
                        fold_ap.append(average_precision(z, s.y, n))
            aps.append(float(np.mean(fold_ap)) if fold_ap else 0.0)
        return per_q, aps

    lambdas = (0.1, 1.0, 3.0, 10.0)
    sweep = {lam: held_out(lam) for lam in lambdas}
    lam = max(lambdas, key=lambda v: float(np.mean(sweep[v][1])))
    per_q, aps = sweep[lam]

    grid = itertools.product(
        (0.0, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3),  # min_score
        (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7),  # keep_ratio
        (0.2, 0.3, 0.5, 9.0),  # other_instrument (9 = no slot)
        (0.8, 1.0, 9.0),  # federal_ratio (9 = never unasked)
    )
    curve: list[dict[str, Any]] = []
    for min_score, keep, other, fed in grid:
        cut = {"min_score": min_score, "keep_ratio": keep, "other_instrument": other,
               "federal_ratio": fed, "gap": 1.0}  # fmt: skip
        wq = {qid: replace(w, **cut) for qid, w in per_q.items()}  # type: ignore[arg-type]
        recall, precision = cut_figures(questions, wq)
        fold_figs = [cut_figures(f, wq) for f in folds]
        closeness = min(recall / TARGET_RECALL, precision / TARGET_PRECISION)
        curve.append({**cut, "recall": round(recall, 3), "precision": round(precision, 3),
                      "closeness": round(closeness, 3),
                      "folds": [[round(r, 3), round(p, 3)] for r, p in fold_figs]})  # fmt: skip
    chosen = max(curve, key=lambda c: c["closeness"])
    final = weights_from(fit(*stack(questions), lam), base)
    cut_keys = ("min_score", "keep_ratio", "other_instrument", "federal_ratio", "gap")
    final = replace(final, **{k: chosen[k] for k in cut_keys})
    from bot.engine.select import FEATURES

    hand = {q.id: base for q in questions}
    hand_recall, hand_precision = cut_figures(questions, hand, fitted=False)
    ks = (1, 3, 5, 8)
    report = {
        "questions": len(questions),
        "recall_at_k": {
            "k": ks,
            "fitted_held_out": [
                round(recall_at(questions, lambda qid, f: per_q[qid].score(f), k), 3) for k in ks
            ],
            "engine_weights": [
                round(recall_at(questions, lambda _, f: base.score(f), k), 3) for k in ks
            ],
        },
        "engine_weights_cut": {
            "recall": round(hand_recall, 3),
            "precision": round(hand_precision, 3),
        },
        "sets": [str(p) for p in args.questions],
        "lambda_sweep": {str(v): [round(a, 3) for a in sweep[v][1]] for v in lambdas},
        "lambda": lam,
        "folds_map": [round(a, 3) for a in aps],
        "curve": pareto(curve),
        "chosen_cut": chosen,
        "weights": {k: round(getattr(final, k), 3) for k in ("bias", *FEATURES, *cut_keys)},
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

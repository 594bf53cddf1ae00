"""Uncached questions under concurrent load: answers/s, p50/p95 latency and /healthz latency.

Serves the real engine over the local index through the real server (`bot.ops.server`,
uvicorn on 127.0.0.1) twice in one process, side by side:

- `unbounded` (the baseline): every request runs the engine at once, as before issue 14.12;
- `bounded`: `BoundedAnswers` with ENGINE_WORKERS (default one per CPU) and
  ENGINE_QUEUE_LIMIT, first come first answered, as `python -m bot serve` runs it.

For 1, 4 and 16 concurrent clients each sends `--rounds` distinct questions from the dev set
(so nothing is cached); a probe sends `GET /healthz` every 50 ms meanwhile. One JSON line per
(mode, clients):

    REGGI_ENV_FILE= python -m benchmarks.load [--clients 1 4 16] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.answer import AnswerSource  # noqa: E402
from bot.compose import build_components, ensure_index  # noqa: E402
from bot.ops.admission import BoundedAnswers  # noqa: E402
from bot.ops.events import NullEvents  # noqa: E402
from bot.ops.metrics import Metrics  # noqa: E402
from bot.ops.server import build_app  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from tests.fixtures.browser import live_server  # noqa: E402


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 1)


def post(url: str, question: str) -> tuple[int, float]:
    request = urllib.request.Request(
        url + "/api/ask",
        data=json.dumps({"question": question}).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, (time.perf_counter() - started) * 1000


def run(url: str, questions: list[str], clients: int, rounds: int) -> dict[str, object]:
    stop = threading.Event()
    health: list[float] = []

    def probe() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            with urllib.request.urlopen(url + "/healthz", timeout=60) as response:
                response.read()
            health.append((time.perf_counter() - started) * 1000)
            stop.wait(0.05)

    work = [questions[i % len(questions)] for i in range(clients * rounds)]
    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda q: post(url, q), work))
    elapsed = time.perf_counter() - started
    stop.set()
    prober.join()
    answered = [ms for status, ms in results if status == 200]
    return {
        "clients": clients,
        "requests": len(work),
        "answered": len(answered),
        "busy_503": sum(1 for status, _ in results if status == 503),
        "answers_per_s": round(len(answered) / elapsed, 2),
        "p50_ms": percentile(answered, 0.5) if answered else None,
        "p95_ms": percentile(answered, 0.95) if answered else None,
        "healthz_p50_ms": round(statistics.median(health), 1) if health else None,
        "healthz_p95_ms": percentile(health, 0.95) if health else None,
        "healthz_max_ms": round(max(health), 1) if health else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--rounds", type=int, default=2, help="questions per client")
    parser.add_argument(
        "--questions", type=Path, default=Path("data/eval/dev.jsonl"), help="JSON lines"
    )
    args = parser.parse_args()
    settings = load_settings()
    components = build_components(settings)
    ensure_index(components)
    engine = components.engine
    questions = [json.loads(line)["question"] for line in args.questions.open()]
    workers = settings.engine_workers or os.cpu_count() or 1
    modes: dict[str, AnswerSource] = {
        "unbounded": engine,
        "bounded": BoundedAnswers(
            inner=engine, workers=workers, max_waiting=settings.engine_queue_limit
        ),
    }
    engine.ask(questions[0])  # warm-up: load the model and the index once
    for clients in args.clients:
        for mode, answers in modes.items():
            app = build_app(
                settings=settings,
                answers=answers,
                events=NullEvents(),
                metrics=Metrics(),
                readiness={},
                coverage=engine.coverage,
            )
            with live_server(app) as url:
                figures = run(url, questions, clients, args.rounds)
            print(
                json.dumps({"benchmark": "load", "mode": mode, "workers": workers, **figures}),
                flush=True,
            )
    components.index.close()


if __name__ == "__main__":
    main()

"""Slack app benchmark: time to Slack's HTTP 200 while answers take seconds, and throughput.

Runs the real stack on 127.0.0.1 — signed requests into Bolt mounted on FastAPI/uvicorn, the
real WebClient out to the loopback fake Web API from tests/fixtures/slack.py — and prints JSON:

    python benchmarks/slack.py [--requests 40] [--answer-seconds 2.0] [--mentions 200]

`ack_ms`: from sending a signed event / slash command to receiving the HTTP 200 (Slack gives
up after 3,000 ms), while the engine takes `answer_seconds` per answer in the background.
`end_to_end`: mentions fully handled (reaction, answer posted, reaction removed) per second
with an instant engine, i.e. the Slack layer's own throughput.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fixtures.slack import FakeAnswers, mention_event, running_slack_app


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p99": round(p99, 2),
        "max": round(ordered[-1], 2),
    }


def ack_latency(requests: int, answer_seconds: float) -> dict[str, object]:
    events: list[float] = []
    commands: list[float] = []
    with running_slack_app(answers=FakeAnswers(delay=answer_seconds)) as s:
        s.sender.event(
            mention_event("warm-up", ts="1600000000.000001")
        )  # first request runs auth.test
        for i in range(requests):
            started = time.perf_counter()
            reply = s.sender.event(mention_event(f"Question {i}?", ts=f"1600000001.{i:06d}"))
            events.append((time.perf_counter() - started) * 1000)
            assert reply.status == 200, reply
            started = time.perf_counter()
            reply = s.sender.command(f"Question {i}?", response_url=s.fake.response_url())
            commands.append((time.perf_counter() - started) * 1000)
            assert reply.status == 200, reply
        s.fake.wait_for(
            "chat.postMessage", 2 * requests + 1, timeout=requests * answer_seconds + 60
        )
    return {
        "answer_seconds": answer_seconds,
        "event_ms": _percentiles(events),
        "command_ms": _percentiles(commands),
    }


def throughput(mentions: int, senders: int = 8) -> dict[str, object]:
    with running_slack_app() as s:
        s.sender.event(mention_event("warm-up", ts="1600000000.000001"))
        s.fake.wait_for("reactions.remove")
        started = time.perf_counter()
        with ThreadPoolExecutor(senders) as pool:
            replies = list(
                pool.map(
                    lambda i: s.sender.event(mention_event(f"Q{i}?", ts=f"1600000002.{i:06d}")),
                    range(mentions),
                )
            )
        s.fake.wait_for("reactions.remove", mentions + 1, timeout=120)
        elapsed = time.perf_counter() - started
        assert all(r.status == 200 for r in replies)
        posted = len(s.fake.of("chat.postMessage")) - 1
    return {
        "mentions": mentions,
        "answers_posted": posted,
        "seconds": round(elapsed, 3),
        "mentions_per_second": round(mentions / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--answer-seconds", type=float, default=2.0)
    parser.add_argument("--mentions", type=int, default=200)
    args = parser.parse_args()
    result = {
        "benchmark": "slack",
        "ack_ms": ack_latency(args.requests, args.answer_seconds),
        "end_to_end": throughput(args.mentions),
        "slack_ack_budget_ms": 3000,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

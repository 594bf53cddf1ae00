"""Bounded engine work under load (issue 14.12): first come first answered, a full queue is
refused at once with a retry hint, and /healthz and the Slack ack never wait for the engine."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot import errors
from bot.answer import Answer, Turn
from bot.errors import Busy
from bot.ops.admission import BoundedAnswers
from bot.ops.events import FanOut, RecordingEvents
from bot.ops.metrics import Metrics
from bot.ops.server import build_app
from bot.settings import load_settings
from tests.fixtures.browser import live_server
from tests.fixtures.slack import mention_event, running_slack_app
from tests.fixtures.web import fake_coverage, sample_answer

WAIT = 10.0


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


class HeldEngine:
    """Answers each question only when released; records the order questions started in."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.release = threading.Event()
        self._lock = threading.Lock()

    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
    ) -> Answer:
        with self._lock:
            self.started.append(question)
        self.release.wait(WAIT)
        return sample_answer(question)


def test_questions_start_in_arrival_order() -> None:
    engine = HeldEngine()
    gate = BoundedAnswers(inner=engine, workers=1, max_waiting=10)
    with ThreadPoolExecutor(5) as pool:
        futures = []
        for i in range(5):
            futures.append(pool.submit(gate.ask, f"q{i}"))
            wait_until(lambda n=i: len(engine.started) == 1 and gate.waiting == n)
        assert gate.running == 1 and engine.started == ["q0"]
        engine.release.set()
        for f in futures:
            f.result(WAIT)
    assert engine.started == ["q0", "q1", "q2", "q3", "q4"]
    assert (gate.running, gate.waiting) == (0, 0)


def test_at_most_workers_run_at_once() -> None:
    engine = HeldEngine()
    gate = BoundedAnswers(inner=engine, workers=2, max_waiting=10)
    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(gate.ask, f"q{i}") for i in range(6)]
        wait_until(lambda: gate.waiting == 4)
        assert len(engine.started) == 2 and gate.running == 2
        engine.release.set()
        for f in futures:
            f.result(WAIT)
    assert len(engine.started) == 6


def test_a_full_queue_is_refused_at_once_with_a_retry_hint() -> None:
    engine = HeldEngine()
    gate = BoundedAnswers(inner=engine, workers=1, max_waiting=2)
    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(gate.ask, f"q{i}") for i in range(3)]
        wait_until(lambda: gate.waiting == 2)
        with pytest.raises(Busy) as refused:
            gate.ask("one too many")
        engine.release.set()
        for f in futures:
            f.result(WAIT)
    assert refused.value.retry_after_seconds >= 1
    text = errors.user_message(refused.value)
    assert text == errors.BUSY.format(seconds=refused.value.retry_after_seconds)
    assert "queue" not in text and "Busy" not in text  # a plain sentence, no internals


def test_an_engine_error_frees_the_worker() -> None:
    class Failing:
        def ask(self, question: str, **_: object) -> Answer:
            raise RuntimeError("engine down")

    gate = BoundedAnswers(inner=Failing(), workers=1, max_waiting=0)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            gate.ask("q")
    assert gate.running == 0


def held_app(gate: BoundedAnswers, metrics: Metrics) -> Any:
    return build_app(
        settings=load_settings(_env_file=None),
        answers=gate,
        events=FanOut(metrics, RecordingEvents()),
        metrics=metrics,
        readiness={},
        coverage=fake_coverage,
    )


def ask(url: str, question: str) -> tuple[int, Any, dict]:
    request = urllib.request.Request(
        url + "/api/ask",
        data=json.dumps({"question": question}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as r:
            return r.status, r.headers, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.headers, json.loads(e.read())


def test_a_full_queue_is_http_503_with_retry_after_and_a_sentence() -> None:
    engine, metrics = HeldEngine(), Metrics()
    gate = BoundedAnswers(inner=engine, workers=1, max_waiting=2)
    with live_server(held_app(gate, metrics)) as url, ThreadPoolExecutor(3) as pool:
        held = [pool.submit(ask, url, f"q{i}") for i in range(3)]
        wait_until(lambda: gate.running == 1 and gate.waiting == 2)
        status, headers, body = ask(url, "one too many")
        engine.release.set()
        assert [f.result(WAIT)[0] for f in held] == [200, 200, 200]
    assert status == 503
    assert int(headers["Retry-After"]) >= 1
    assert body == {"error": errors.BUSY.format(seconds=int(headers["Retry-After"]))}
    assert 'reggi_errors_total{channel="web",kind="busy"} 1.0' in metrics.render().decode()


def test_healthz_and_readyz_answer_while_many_questions_wait() -> None:
    # More waiting questions than the server's shared thread pool (40): none may starve the
    # operations endpoints.
    engine = HeldEngine()
    gate = BoundedAnswers(inner=engine, workers=1, max_waiting=100)
    with live_server(held_app(gate, Metrics())) as url, ThreadPoolExecutor(50) as pool:
        waiting = [pool.submit(ask, url, f"q{i}") for i in range(50)]
        wait_until(lambda: gate.running + gate.waiting == 50)
        with urllib.request.urlopen(url + "/healthz", timeout=WAIT) as r:
            assert r.status == 200
        with urllib.request.urlopen(url + "/readyz", timeout=WAIT) as r:
            assert r.status == 200
        assert not engine.release.is_set() and gate.running == 1
        engine.release.set()
        assert {f.result(WAIT)[0] for f in waiting} == {200}


def test_slack_acks_at_once_while_the_engine_is_busy() -> None:
    engine = HeldEngine()
    gate = BoundedAnswers(inner=engine, workers=1, max_waiting=0)
    with running_slack_app(answers=gate) as s:  # type: ignore[arg-type]
        threading.Thread(target=gate.ask, args=("holding the only worker",), daemon=True).start()
        wait_until(lambda: gate.running == 1)
        reply = s.sender.event(mention_event("Must we delete data?", ts="1700000031.000100"))
        assert reply.status == 200  # acked although no worker is free
        # The question found no free worker and no room to wait: it is told to retry.
        [post] = s.fake.wait_for("chat.postMessage")
        engine.release.set()
        s.wait_idle()
        assert post.args["text"].startswith("Reggi is answering many questions right now.")

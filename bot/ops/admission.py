"""Bounded engine work: at most N questions in the engine at once, first come first answered.

Without a bound, 50 concurrent questions interleave on the CPUs and all finish together,
the first asker waiting as long as the last. `BoundedAnswers` lets `workers` questions run,
queues the next `max_waiting` in arrival order, and refuses the rest at once with `Busy`
(HTTP 503 with `Retry-After`; a plain sentence in chat) instead of letting them time out.
The retry hint is the expected wait: the queue length times the recent time per answer,
divided by the workers.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from bot.answer import Answer, AnswerSource, Turn
from bot.errors import Busy

#: Weight of the newest answer in the running average of the time per answer.
_SMOOTHING = 0.2


class BoundedAnswers:
    """An `AnswerSource` running at most `workers` asks of `inner` at once, in arrival order."""

    def __init__(
        self,
        *,
        inner: AnswerSource,
        workers: int,
        max_waiting: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self._inner = inner
        self._workers = workers
        self._max_waiting = max_waiting
        self._clock = clock
        self._cond = threading.Condition()
        self._running = 0
        self._queue: deque[object] = deque()
        self._seconds_per_answer = 1.0

    def ask(
        self,
        question: str,
        *,
        jurisdictions: Sequence[str] | None = None,
        history: Sequence[Turn] = (),
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        self._enter()
        started = self._clock()
        extra: dict[str, Any] = {"on_text": on_text} if on_text is not None else {}
        try:
            return self._inner.ask(question, jurisdictions=jurisdictions, history=history, **extra)
        finally:
            self._leave(self._clock() - started)

    # --- the queue -----------------------------------------------------------------------------
    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return len(self._queue)

    def retry_after_seconds(self) -> int:
        """Roughly how long until a new question would start, in whole seconds (at least 1)."""
        ahead = len(self._queue) + 1
        return max(1, math.ceil(ahead * self._seconds_per_answer / self._workers))

    def _enter(self) -> None:
        with self._cond:
            if self._running < self._workers and not self._queue:
                self._running += 1
                return
            if len(self._queue) >= self._max_waiting:
                raise Busy(self.retry_after_seconds())
            ticket = object()
            self._queue.append(ticket)
            try:
                while self._queue[0] is not ticket or self._running >= self._workers:
                    self._cond.wait()
            except BaseException:
                self._queue.remove(ticket)
                self._cond.notify_all()
                raise
            self._queue.popleft()
            self._running += 1
            self._cond.notify_all()  # the next in line may start too if a worker is free

    def _leave(self, seconds: float) -> None:
        with self._cond:
            self._running -= 1
            self._seconds_per_answer += _SMOOTHING * (seconds - self._seconds_per_answer)
            self._cond.notify_all()

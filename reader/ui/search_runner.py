"""One library search at a time: the newest query waits, every older one gives way.

A Textual thread worker that is cancelled keeps running (a thread cannot be
stopped from outside): with one worker per keystroke, stale searches piled up
and shared the interpreter with the one that mattered. Here one thread runs
the searches one after another. A job submitted while another runs waits in
the single slot, replacing whatever was waiting there; the running job is told
(its ``superseded()`` turns true) and checks between its phases, so it ends
early and posts nothing. ``stop()`` does the same with no new job (Esc).
The thread ends when nothing waits, and starts again with the next job.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["LatestRunner", "Job"]

Job = Callable[[Callable[[], bool]], None]  # called with ``superseded``


class LatestRunner:
    """Runs the newest job submitted; a job is superseded as soon as another is submitted."""

    def __init__(self, name: str = "search", on_error: Callable[[BaseException], None] | None = None) -> None:
        self.name = name
        self.on_error = on_error  # a job's unexpected exception (the job should catch its own)
        self._lock = threading.Condition()
        self._generation = 0  # grows with each submit and stop
        self._waiting: tuple[int, Job] | None = None
        self._thread: threading.Thread | None = None
        self._running = False
        self.submitted = 0  # jobs submitted so far

    def submit(self, job: Job) -> None:
        """Run ``job(superseded)`` after the running one ends, unless another comes first."""
        with self._lock:
            self._generation += 1
            self.submitted += 1
            self._waiting = (self._generation, job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"reader-{self.name}", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """The running job is superseded and the waiting one dropped."""
        with self._lock:
            self._generation += 1
            self._waiting = None

    def busy(self) -> bool:
        """Whether a job runs or waits."""
        with self._lock:
            return self._running or self._waiting is not None

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no job runs or waits (for tests and the end of the app); True if so."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._running and self._waiting is None, timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                if self._waiting is None:
                    self._thread = None
                    self._running = False
                    self._lock.notify_all()
                    return
                generation, job = self._waiting
                self._waiting = None
                self._running = True

            def superseded(generation: int = generation) -> bool:
                return self._generation != generation

            try:
                job(superseded)
            except Exception as error:  # noqa: BLE001 - the thread goes on with the next job
                if self.on_error is not None:
                    self.on_error(error)

"""Process pools that can be started from any thread, even inside the app.

Both the library scan and indexing parse documents in a pool of processes.
The ``forkserver`` start method is safe from a worker thread (plain ``fork``
with threads running is not). Starting it passes ``sys.stderr``'s file
descriptor to the helper processes, and inside a Textual app ``sys.stderr``
is a capture object without one (``bad value(s) in fds_to_keep``), so the
helpers are started once with the real stderr in place.

Stopping: the workers ignore SIGINT, and the helper processes start with it
blocked (Ctrl+C reaches every process of the terminal's process group; the parent
alone decides what an interrupt stops). A
pool left by an exception, or told to :meth:`Pool.stop`, cancels the work not
started and tells its processes to drop the piece they are on: work that checks
:func:`check_stop` between files ends within a file, and ``shutdown`` no longer
waits for whole pieces (an interrupted ``reader index`` took 6–19 s to exit on a
50,000-file library). Killing the processes instead can leave the pool's result
pipe holding half a message, and the parent then waits for the rest forever; a
process still busy after a grace period is killed, and the pipe closed.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

__all__ = ["Pool", "Stopped", "check_stop", "process_pool"]

_started = threading.Lock()
_stop_event = None  # in a pool's process: the pool's "stop" flag
_GRACE = 0.3  # seconds a process has to drop its piece (or finish writing one) before it is killed


class Stopped(Exception):
    """Raised in a pool's process by :func:`check_stop` once the pool is stopping."""


def check_stop() -> None:
    """In a pool's process, between two pieces of a long job: end it if the pool is stopping."""
    if _stop_event is not None and _stop_event.is_set():
        raise Stopped


def _start_process(stop_event) -> None:  # type: ignore[no-untyped-def]
    global _stop_event
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _stop_event = stop_event
    try:
        # The pool's processes are scheduled as batch work (SCHED_BATCH): at the same weight as other
        # programs, so a busy machine slows indexing in proportion rather than starving it (at nice 10,
        # one competing program took ~90 % of a shared core, and a load of 4 made a one-minute index
        # take ten), but never preempting an interactive process on wake-up, so a keystroke in the app
        # (or in the user's other programs) is served first.
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux
        pass


class Pool(ProcessPoolExecutor):
    """A process pool whose ``with`` block, left by an exception, stops the work at once."""

    def __init__(self, workers: int, context) -> None:  # type: ignore[no-untyped-def]
        self._stop_event = context.Event()
        super().__init__(
            max_workers=workers, mp_context=context, initializer=_start_process, initargs=(self._stop_event,)
        )

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Submitting may start a process; a Ctrl+C in the middle of that would leave a
        # process the pool does not know of, which would find the pool gone and print a
        # traceback.
        with _interrupt_deferred():
            return super().submit(fn, *args, **kwargs)

    def __exit__(self, kind, value, traceback):  # type: ignore[no-untyped-def]
        if kind is None:
            self.shutdown(wait=True)
        else:
            self.stop()
        return False

    def stop(self) -> None:
        """Cancel the work not started; the processes drop what they are doing and exit."""
        self._stop_event.set()
        processes = list((getattr(self, "_processes", None) or {}).values())
        result_queue = getattr(self, "_result_queue", None)
        manager = getattr(self, "_executor_manager_thread", None)
        self.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + _GRACE
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
        stuck = [process for process in processes if process.is_alive()]
        if stuck:
            for process in stuck:
                process.kill()
                process.join(timeout=1)
            # a process killed while sending its result leaves half a message in the pipe:
            # closing our end of it lets the pool's thread read an end instead of waiting
            writer = getattr(result_queue, "_writer", None)
            if writer is not None:
                writer.close()
        if manager is not None:
            manager.join(timeout=_GRACE)


@contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """SIGINT blocked in this thread (and in processes started meanwhile); a Ctrl+C that
    comes in the meantime waits, then arrives as usual."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def process_pool(workers: int | None = None) -> Pool:
    import multiprocessing
    from multiprocessing import forkserver, resource_tracker

    context = multiprocessing.get_context("forkserver")
    with _started:
        saved = sys.stderr
        if not _has_descriptor(saved):
            sys.stderr = sys.__stderr__
        try:
            resource_tracker.ensure_running()  # blocks SIGINT itself while it starts, then unblocks it
            # The fork server starts with SIGINT blocked, and so do the processes it forks:
            # a Ctrl+C while they start up would otherwise print a traceback from each
            # ("Failed to import the site module") before any of them could ignore it.
            with _interrupt_deferred():
                forkserver.ensure_running()
        finally:
            sys.stderr = saved
    return Pool(workers or os.cpu_count() or 2, context)


def _has_descriptor(stream: object) -> bool:
    try:
        return stream is not None and stream.fileno() >= 0  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False

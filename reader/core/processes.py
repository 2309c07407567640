"""Process pools that can be started from any thread, even inside the app.

Both the library scan and indexing parse documents in a pool of processes.
The ``forkserver`` start method is safe from a worker thread (plain ``fork``
with threads running is not). Starting it passes ``sys.stderr``'s file
descriptor to the helper processes, and inside a Textual app ``sys.stderr``
is a capture object without one (``bad value(s) in fds_to_keep``), so the
helpers are started once with the real stderr in place.
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

__all__ = ["process_pool"]

_started = threading.Lock()


def process_pool(workers: int | None = None) -> ProcessPoolExecutor:
    import multiprocessing
    from multiprocessing import forkserver, resource_tracker

    context = multiprocessing.get_context("forkserver")
    with _started:
        saved = sys.stderr
        if not _has_descriptor(saved):
            sys.stderr = sys.__stderr__
        try:
            resource_tracker.ensure_running()
            forkserver.ensure_running()
        finally:
            sys.stderr = saved
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 2, mp_context=context)


def _has_descriptor(stream: object) -> bool:
    try:
        return stream is not None and stream.fileno() >= 0  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False

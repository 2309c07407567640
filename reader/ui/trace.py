"""Moments of a session, for the benchmarks that drive the app in a terminal.

With ``READER_TRACE=FILE`` in the environment, the app appends one line per
moment to FILE: the monotonic clock (the same clock in every process of the
machine), the event and a detail, tab-separated. Without it, nothing is done.
A benchmark sends a key through the terminal, notes the clock, and reads here
when the app drew its answer.
"""

from __future__ import annotations

import os
import time

__all__ = ["mark", "tracing"]

_FILE = os.environ.get("READER_TRACE", "")


def tracing() -> bool:
    return bool(_FILE)


def mark(event: str, detail: str = "") -> None:
    """Note that ``event`` happened now (a no-op unless tracing)."""
    if not _FILE:
        return
    line = f"{time.monotonic():.6f}\t{event}\t{detail}".replace("\n", " ") + "\n"
    try:
        with open(_FILE, "a", encoding="utf-8", errors="replace") as out:
            out.write(line)
    except OSError:
        pass

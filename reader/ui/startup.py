"""Start-up: Python's cyclic garbage collector held off until the library is on screen.

Starting the app imports Textual and reader and builds the screen: hundreds of
thousands of objects allocated and almost none freed, so the collections the
allocations set off (each full one walking every object made so far) find next to
nothing. Held off, the start took ~30 ms less CPU on the seed library (9 runs,
``bench/startup.py``'s terminal). The collector is turned back on as soon as the
library is drawn (``release``), and at the latest after ``_LATEST`` seconds, so a
start that never lists anything (an error, a hang) does not leave it off.
Reference counting frees almost everything meanwhile; only cycles wait.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["hold", "release", "held"]

_LATEST = 5.0  # seconds: the collector is back on by then whatever happens

_lock = threading.Lock()
_held = False


def hold(latest: float = _LATEST) -> None:
    """Turn the collector off for the start (if it is on), back on by ``latest`` seconds."""
    global _held
    with _lock:
        if _held or not gc.isenabled():
            return  # held already, or turned off by someone else: theirs to turn on
        gc.disable()
        _held = True
    timer = threading.Timer(latest, release)
    timer.daemon = True
    timer.start()


def release() -> None:
    """Turn the collector back on, if ``hold`` turned it off (any thread; twice is harmless)."""
    global _held
    with _lock:
        if not _held:
            return
        _held = False
        gc.enable()


def held() -> bool:
    return _held

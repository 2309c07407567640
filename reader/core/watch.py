"""Following a library on disk: which documents were added, changed or removed.

``watch_library`` blocks (run it in a thread) and calls ``changed`` with the
document files that changed and those that went away, a batch at a time, until
``stop`` is set. It uses the operating system's file events through watchfiles
(inotify on Linux), so an idle library costs nothing; where events are not
available it polls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from reader.core.formats import format_of

__all__ = ["watch_library", "is_document"]

DEBOUNCE_MS = 800  # changes arriving within this time come as one batch


class Flag(Protocol):
    def is_set(self) -> bool: ...


def is_document(path: Path) -> bool:
    """A file the library would list: a known format, nothing hidden on its way."""
    return format_of(path) is not None and not any(part.startswith(".") for part in path.parts[1:])


def watch_library(
    paths: Iterable[Path],
    stop: Flag,
    changed: Callable[[set[Path], set[Path]], None],
    *,
    poll: bool | None = None,
) -> None:
    """Call ``changed(updated, removed)`` for each batch of changes under ``paths``."""
    from watchfiles import Change, watch

    roots = [str(path) for path in paths if path.exists()]
    if not roots:
        return
    for batch in watch(
        *roots,
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        rust_timeout=1_000,
        yield_on_timeout=False,
        raise_interrupt=False,
        force_polling=poll,
        watch_filter=lambda change, path: is_document(Path(path)),
        ignore_permission_denied=True,
    ):
        updated: set[Path] = set()
        removed: set[Path] = set()
        for change, name in batch:
            path = Path(name)
            if change == Change.deleted and not path.exists():
                removed.add(path)
                updated.discard(path)
            else:
                updated.add(path)
                removed.discard(path)
        if updated or removed:
            changed(updated, removed)

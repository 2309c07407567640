"""The main screen's moved documents: their notes follow them, once the index knows the library.

After the first index update of a session, a worker looks for notes whose
document's file is gone and moves them to the document they now belong to when
that is unambiguous (``reader.storage.relink``). The rest are listed by the
palette's "Notes of missing documents" with what would settle them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from textual.content import Content

if TYPE_CHECKING:
    from reader.storage.relink import RelinkReport
    from reader.ui.screens.main import MainScreen

__all__ = ["relink_in_background", "show_missing"]


def relink_in_background(screen: MainScreen) -> None:
    """Move the notes of moved documents, in a worker; say what moved."""
    if screen.store is None or screen.search_index is None:
        return
    screen.run_worker(lambda: _relink(screen), thread=True, exclusive=True, group="relink", exit_on_error=False)


def _relink(screen: MainScreen) -> None:
    from reader.storage.relink import relink_moved
    from reader.storage.store import StoreError

    store, index = screen.store, screen.search_index
    if store is None or index is None:
        return
    docs = index.store()
    try:
        under = [os.path.abspath(path) for path in screen.library_paths]
        report = relink_moved(store, docs, under=under)
    except (StoreError, OSError) as error:
        screen.app.call_from_thread(
            screen.notify, f"Moved documents' notes not checked: {error}", title="Notes", severity="warning", markup=False
        )
        return
    finally:
        docs.close()
    screen.app.call_from_thread(_report, screen, report)


def _report(screen: MainScreen, report: RelinkReport) -> None:
    screen.missing_notes = list(report.ambiguous)
    if report.moved:
        count = len(report.moved)
        screen.notify(
            f"The notes of {count} moved document{'s' if count != 1 else ''} followed {'them' if count != 1 else 'it'}.",
            title="Notes",
        )
        from reader.ui.widgets.document_view import DocumentView

        document = screen.query_one(DocumentView).document
        if document is not None and any(match.candidate.doc_id == document.id for match in report.moved):
            screen.load_notes(document, False, None)  # its notes are here now
    if report.ambiguous:
        count = len(report.ambiguous)
        screen.notify(
            f"{count} document{'s' if count != 1 else ''} with notes {'are' if count != 1 else 'is'} no longer "
            "where {0} {1}: see \"Notes of missing documents\" in the palette (Ctrl+P).".format(
                "they" if count != 1 else "it", "were" if count != 1 else "was"
            ),
            title="Notes",
            severity="warning",
            markup=False,
        )
    for line in report.failed:
        screen.notify(line, title="Notes not moved", severity="error", markup=False)


def show_missing(screen: MainScreen) -> None:
    """The documents whose notes are kept but whose file is gone, and what may settle each."""
    from reader.ui.screens.pick import PickScreen

    choices: list[tuple[Content, None]] = []
    for item in screen.missing_notes:
        maybe = "; maybe " + ", ".join(c.path for c in item.candidates[:3]) if item.candidates else ""
        line = f"{item.orphan.title or item.orphan.path} ({item.orphan.path}): {item.reason}{maybe}. "
        line += f"To move its notes: reader relink {item.orphan.doc_id} NEW"
        choices.append((Content(_visible(line)), None))
    screen.app.push_screen(PickScreen(f"{len(choices)} documents with notes are missing", choices))


def _visible(text: str) -> str:
    """A path that is not UTF-8 with its bad bytes replaced, controls made visible."""
    from reader.core.visible import visible

    return visible(text)

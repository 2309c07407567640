"""The main screen's tags, states and stars, and the list pane's views.

``OrganisePart`` is the part of ``MainScreen`` that organises documents: ``t`` tags,
``x`` archives, ``l`` moves to later, ``i`` back to the inbox, ``*`` stars (or
unstars), on the highlighted row when the list has focus, else on the open
document. ``Ctrl+R`` does one of these to every result of the current search (in the
search bar too), after a confirmation that shows how many. ``U`` undoes the latest change (one document or
a whole search's). ``V`` picks a view (Inbox, Later, Archive, Favourites, each tag,
All, with counts; also in the palette); the view chosen is remembered in the state
file. The saves run in a worker (``group="organise"``) through the app's
``Organiser``, whose values the list and the search's fields share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from reader.core.notes import DocumentRef
from reader.core.organise import Change, DocMeta
from reader.core.views import check_view, views_with_counts
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from reader.core.library import DocumentInfo
    from reader.ui.organiser import Organiser
    from reader.ui.screens.tag_input import TagEdit

__all__ = ["OrganisePart", "Organised", "MetasLoaded"]

ACTIONS = ("tag", "archive", "later", "inbox", "star", "organise_results", "views", "undo_organise")
TYPED = ("tag", "archive", "later", "inbox", "star", "views", "undo_organise")  # keys the search bar types
_UNDO_KEPT = 20  # changes that can be undone, newest last
_PROBLEMS_SHOWN = 3


class Organised(Message):
    """Tags, states or stars were saved (or set back): what, to how many, and what failed."""

    def __init__(self, what: str, changed: list[tuple[DocumentRef, DocMeta]], errors: list[str], *, undo: bool) -> None:
        super().__init__()
        self.what = what
        self.changed = changed
        self.errors = errors
        self.undo = undo


class MetasLoaded(Message):
    """Every document's tags, state and star, read from the store."""

    def __init__(self, metas: dict[str, DocMeta], problems: list[str]) -> None:
        super().__init__()
        self.metas = metas
        self.problems = problems


class OrganisePart(Screen[None]):
    """Tags, states, stars and views (mixed into MainScreen)."""

    BINDINGS = [
        Binding("t", "tag", "Tag", id="tag", show=False),
        Binding("x", "archive", "Archive", id="archive", show=False),
        Binding("l", "later", "Move to later", id="later", show=False),
        Binding("i", "inbox", "Back to inbox", id="inbox", show=False),
        Binding("asterisk", "star", "Star or unstar", id="star", show=False),
        Binding("ctrl+r", "organise_results", "Tag or move every result…", id="organise_results", show=False),
        Binding("U", "undo_organise", "Undo tags or state", id="undo_organise", show=False),
        Binding("V", "views", "Views", id="views", show=False),
    ]

    data_dir: Path | None
    documents: list[DocumentInfo]

    def init_organise(self) -> None:
        self._undo_organise: list[tuple[str, list[tuple[DocumentRef, DocMeta]]]] = []
        self._organiser: Organiser | None = None

    @property
    def organiser(self) -> Organiser | None:
        """The app's copy of the documents' values (None when nothing is kept: no data folder)."""
        if self._organiser is None and self.data_dir is not None:
            from reader.ui.organiser import organiser_for

            self._organiser = organiser_for(self.data_dir)
        return self._organiser

    def organise_allowed(self, action: str) -> bool | None:
        """``check_action`` for this part's actions (True for others)."""
        if action not in ACTIONS:
            return True
        if self.data_dir is None:  # (not self.organiser: asked for every key at start-up, it would load search)
            return False
        if action == "undo_organise":
            return bool(self._undo_organise)
        if action == "organise_results":
            return self._result_ids() is not None
        return True

    # -- the values ---------------------------------------------------------------------

    def load_metas(self) -> None:
        """In a worker: every document's values, for the list's marks and the views."""
        organiser = self.organiser
        if organiser is None:
            return
        seen = [doc.id for doc in self.documents]

        def read() -> None:
            metas = organiser.metas(seen)
            self.post_message(MetasLoaded(metas, list(organiser.problems)))

        self.run_worker(read, thread=True, group="organise-read", exclusive=True)

    @on(MetasLoaded)
    def metas_loaded(self, message: MetasLoaded) -> None:
        doc_list = self.query_one(DocumentList)
        doc_list.metas = message.metas  # the organiser's own: changed with every save
        remembered = _remembered_view(self.app)
        if remembered is not None and remembered != doc_list.view:
            doc_list.show_view(remembered)
        else:
            doc_list.rearrange()
        if message.problems:
            more = len(message.problems) - _PROBLEMS_SHOWN
            text = "\n".join(message.problems[:_PROBLEMS_SHOWN]) + (f"\n… and {more} more" if more > 0 else "")
            self.notify(text, title="Tags and states (shown as inbox)", severity="warning", timeout=20)

    # -- which documents ------------------------------------------------------------------

    def _targets(self) -> list[DocumentRef]:
        """The highlighted row when the list has focus, else the open document (else the row)."""
        doc_list = self.query_one(DocumentList)
        view = self.query_one(DocumentView)
        if self.focused is not doc_list and view.document is not None:
            document = view.document
            return [DocumentRef(document.id, str(document.path), document.title, document.source)]
        hit = doc_list.result_at(doc_list.highlighted)
        if hit is not None:
            return [DocumentRef(hit.id, str(hit.path), hit.title, hit.source)]
        info = doc_list.document_at(doc_list.highlighted)
        if info is not None:
            return [DocumentRef(info.id, str(info.path), info.title, info.source)]
        return []

    def _result_ids(self) -> tuple[str, ...] | None:
        """Every document the search shown finds (not only those listed); None without a search."""
        shown = getattr(self, "_shown", None)
        if getattr(self, "search_query", None) is None or shown is None or shown.results is None:
            return None
        return shown.results.ids or None

    def _results(self) -> list[DocumentRef]:
        ids = self._result_ids() or ()
        shown = self._shown  # type: ignore[attr-defined]
        known = {hit.id: DocumentRef(hit.id, str(hit.path), hit.title, hit.source) for hit in shown.results.hits}
        wanted = set(ids) - set(known)
        for info in self.documents:
            if info.id in wanted:
                known[info.id] = DocumentRef(info.id, str(info.path), info.title, info.source)
        return [known[doc_id] for doc_id in ids if doc_id in known]

    # -- the keys -------------------------------------------------------------------------

    def action_tag(self) -> None:
        targets = self._targets()
        if not targets or self.organiser is None:
            self.app.bell()
            return
        target = targets[0]
        current = self.organiser.get(target.id).tags
        self._ask_tags(f"Tags of {target.title or Path(target.path).name}", current, lambda change: self._organise(targets, change, _tagged(change, 1)))

    def action_archive(self) -> None:
        self._organise(self._targets(), Change(state="archive"), "Archived")

    def action_later(self) -> None:
        self._organise(self._targets(), Change(state="later"), "Moved to later")

    def action_inbox(self) -> None:
        self._organise(self._targets(), Change(state="inbox"), "Back in the inbox")

    def action_star(self) -> None:
        targets = self._targets()
        if not targets or self.organiser is None:
            self.app.bell()
            return
        starred = not self.organiser.get(targets[0].id).favourite
        self._organise(targets, Change(favourite=starred), "Starred" if starred else "Unstarred")

    def action_organise_results(self) -> None:
        """Tag, archive, move, star or unstar every result of the current search, once confirmed."""
        from reader.ui.screens.pick import PickScreen

        ids = self._result_ids()
        if ids is None:
            self.app.bell()
            return
        count = len(ids)
        choices: list[tuple[str, str]] = [
            ("Tag…", "tag"), ("Archive", "archive"), ("Move to later", "later"), ("Back to inbox", "inbox"),
            ("Star", "star"), ("Unstar", "unstar"),
        ]

        def chosen(choice: tuple[str] | None) -> None:
            if choice is None:
                return
            if choice[0] == "tag":
                self._ask_tags(f"Tag {_documents(count)}", (), lambda change: self._confirm(change, _tagged(change, count)))
                return
            change, what = _BULK[choice[0]]
            self._confirm(change, what)

        self.app.push_screen(PickScreen(f"Every result of the search: {_documents(count)}", choices), chosen)

    def _confirm(self, change: Change, what: str) -> None:
        from reader.ui.screens.pick import PickScreen

        references = self._results()
        count = len(references)
        question = f"{_question(what)} {_documents(count)}?"

        def answer(choice: tuple[bool] | None) -> None:
            if choice == (True,):
                self._organise(references, change, what)
                self.query_one(DocumentList).focus()  # the results: U undoes, the keys work on a row

        self.app.push_screen(PickScreen(question, [("Cancel", False), (f"Yes: {_documents(count)}", True)]), answer)

    def action_undo_organise(self) -> None:
        if not self._undo_organise or self.organiser is None:
            self.app.bell()
            return
        what, previous = self._undo_organise.pop()
        organiser = self.organiser

        def job() -> None:
            organiser.restore(previous)
            self.post_message(Organised(what, previous, [], undo=True))

        self.query_one(StatusLine).show_message(f"Undoing: {what.lower()} {_documents(len(previous))}…")
        self.run_worker(job, thread=True, group="organise", exclusive=False)

    def _ask_tags(self, title: str, current: tuple[str, ...], then: Callable[[Change], None]) -> None:
        from reader.ui.screens.tag_input import TagDialog

        assert self.organiser is not None
        known = self.organiser.tags()

        def done(edit: TagEdit | None) -> None:
            if edit is not None and (edit.add or edit.remove):
                then(Change(add=edit.add, remove=edit.remove))

        self.app.push_screen(TagDialog(title, known, current), done)

    def _organise(self, references: list[DocumentRef], change: Change, what: str) -> None:
        organiser = self.organiser
        if not references or organiser is None:
            self.app.bell()
            return

        def job() -> None:
            changed, errors = organiser.apply(references, change)
            self.post_message(Organised(what, changed, errors, undo=False))

        if len(references) > 1:
            self.query_one(StatusLine).show_message(f"{what}: {_documents(len(references))}…")
        self.run_worker(job, thread=True, group="organise", exclusive=False)

    @on(Organised)
    def organised(self, message: Organised) -> None:
        count = len(message.changed)
        if message.undo:
            text = f"Undone: {message.what.lower()} ({_documents(count)})"
        else:
            if message.changed:
                self._undo_organise.append((message.what, message.changed))
                del self._undo_organise[:-_UNDO_KEPT]
            text = f"{message.what}: {_documents(count)}" + (" · U undoes" if count else "")
        self.query_one(DocumentList).rearrange()
        self.query_one(StatusLine).show_message(text)
        if count > 1 or message.undo:
            self.notify(text, timeout=5)
        if message.errors:
            more = f" (and {len(message.errors) - 1} more)" if len(message.errors) > 1 else ""
            self.notify(message.errors[0] + more, title="Not saved", severity="error")

    # -- views ------------------------------------------------------------------------------

    def action_views(self) -> None:
        from reader.ui.screens.pick import PickScreen

        doc_list = self.query_one(DocumentList)
        views = self._views()
        current = next((i for i, view in enumerate(views) if view.key == doc_list.view), 0)
        choices = [(f"{view.label}  {view.count}", view.key) for view in views]

        def chosen(choice: tuple[str] | None) -> None:
            if choice is not None:
                self.show_view(choice[0])

        self.app.push_screen(PickScreen("View", choices, current), chosen)

    def _views(self):  # type: ignore[no-untyped-def]
        metas = self.query_one(DocumentList).metas
        return views_with_counts(metas.get(doc.id) or _INBOX for doc in self.documents)

    def show_view(self, key: str) -> None:
        """List the view ``key`` (leaving a search), and remember it."""
        if getattr(self, "search_query", None) is not None:
            self.leave_search()  # type: ignore[attr-defined]
        self.query_one(DocumentList).show_view(key)
        _remember_view(self.app, key)

    def view_commands(self) -> Iterator[SystemCommand]:
        """A palette command per view, with its count."""
        if self.organiser is None:
            return
        for view in self._views():
            yield SystemCommand(f"View: {view.label} ({view.count})", "List only these documents", partial(self.show_view, view.key))


_INBOX = DocMeta()
_BULK: dict[str, tuple[Change, str]] = {
    "archive": (Change(state="archive"), "Archived"),
    "later": (Change(state="later"), "Moved to later"),
    "inbox": (Change(state="inbox"), "Back in the inbox"),
    "star": (Change(favourite=True), "Starred"),
    "unstar": (Change(favourite=False), "Unstarred"),
}
_QUESTIONS = {
    "Archived": "Archive",
    "Moved to later": "Move to later",
    "Back in the inbox": "Move back to the inbox",
    "Starred": "Star",
    "Unstarred": "Unstar",
}


def _question(what: str) -> str:
    if what.startswith(("Tagged", "Untagged")):
        return what.replace("Tagged", "Tag", 1).replace("untagged", "untag").replace("Untagged", "Untag", 1) + ":"
    return _QUESTIONS.get(what, what)


def _tagged(change: Change, count: int) -> str:
    """``Tagged policy, x`` / ``Untagged y``: the change in words."""
    del count
    parts = []
    if change.add:
        parts.append("tagged " + ", ".join(change.add))
    if change.remove:
        parts.append("untagged " + ", ".join(change.remove))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "Tags changed"


def _documents(count: int) -> str:
    return f"{count} document{'s' if count != 1 else ''}"


def _remembered_view(app: object) -> str | None:
    from reader.storage.state import StateError, load_state

    path = getattr(app, "state_file", None)
    if path is None:
        return None
    try:
        return check_view(load_state(path).view)
    except StateError:
        return None  # the theme's reading says so


def _remember_view(app: object, key: str) -> None:
    from reader.storage.state import save_view

    path = getattr(app, "state_file", None)
    if path is None:
        return
    try:
        save_view(path, key)
    except OSError as error:
        app.notify(f"Could not write {path}: {error.strerror or error}", severity="warning")  # type: ignore[attr-defined]


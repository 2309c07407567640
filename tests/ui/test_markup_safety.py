"""No text from a file, a path, a note or an error is read as markup, and no control
character reaches the terminal, anywhere in the app (issue 18, items 3 and 4).

The app is driven over a library of hostile names, titles, notes, tags and bookmark
names: a title ``Moderation in [/r/python] threads`` that changes on disk while open,
a notes-file entry set aside with a message holding ``[/k]``, ``[link=…]``, ``[SOLVED]``,
escape sequences in a file name (the title falls back to it), a note and a bookmark
name, a right-to-left override in a title. Every notification is captured (it must be
plain text, bracketed text shown as written) and every screen's rendered strips are
checked for control characters after each step.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App

from reader.core.document import document_id
from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, new_note
from reader.storage.paths import Paths
from reader.storage.store import Store
from reader.ui.app import ReaderApp
from reader.ui.messages import OpenDocument
from reader.ui.widgets.document_view import DocumentView
from tests.ui.conftest import shown, wait_until

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]")
TITLE = "Moderation in [/r/python] threads"
ESC_NAME = "esc\x1b]0;pwned\x07\x1b[2J"  # a window title and a clear screen, in a file name
NOTE_TEXT = "see [link=https://example.com]here[/link]\n\x1b[2J\x1b]52;c;ZXZpbA==\x07 [SOLVED] [PDF]"
BOOKMARK = "\x1b]0;pane\x07 [/b] mark"


def _library(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    folder = tmp_path / "library"
    folder.mkdir()
    moderation = folder / "moderation.md"
    moderation.write_text(f"# {TITLE}\n\n## [link=https://example.com]Rules[/link]\n\nBe kind to okapis.\n")
    stem = folder / f"{ESC_NAME}.md"
    stem.write_text("")  # empty: its title is the file's stem
    reversed_title = folder / "rlo.md"
    reversed_title.write_text("# abc\u202eFDP.exe [SOLVED]\n\nText about okapis.\n")
    return folder, moderation, stem, reversed_title


def _hostile_notes(moderation: Path) -> None:
    """A note and a bookmark full of markup and escapes, and an entry set aside with ``[/k]``."""
    store = Store(Paths.from_environment().data_dir)
    document = read_document(moderation)
    ref = DocumentRef(document.id, str(moderation.resolve()), document.title, "[b]source[/b]")
    store.put_note(ref, new_note(document, Kind.NOTE, 0, 10, text=NOTE_TEXT, tags=("[/t]", "x\x1b[2J")))
    store.put_note(ref, new_note(document, Kind.BOOKMARK, 12, 20, name=BOOKMARK))
    spoiled = new_note(document, Kind.NOTE, 21, 25, text="set aside")
    store.put_note(ref, spoiled)
    shard = store.path_of(document.id)
    text = shard.read_text(encoding="utf-8")
    # the third note's kind made one the store does not know: the note is set aside, with a message
    head, _, tail = text.rpartition("kind: note")
    shard.write_text(head + "kind: '[/k]'" + tail, encoding="utf-8")


def _rendered(app: App) -> list[str]:
    """The text of every line the screen would draw now (control segments aside)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(text for text, _, control in strip if not control) for strip in strips]


def _assert_safe(app: App, step: str) -> list[str]:
    lines = _rendered(app)
    for line in lines:
        found = UNSAFE.search(line)
        assert found is None, f"{step}: {found.group()!r} drawn in {line!r}"
    return lines


@pytest.fixture
def notifications(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, bool]]:
    """Every notification as Textual is handed it: message, title, markup."""
    seen: list[tuple[str, str, bool]] = []
    original = App.notify

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):  # type: ignore[no-untyped-def]
        seen.append((message, title, markup))
        return original(self, message, title=title, severity=severity, timeout=timeout, markup=markup)

    monkeypatch.setattr(App, "notify", notify)
    return seen


async def test_hostile_text_is_shown_literally_and_safely(tmp_path: Path, notifications) -> None:
    folder, moderation, stem, reversed_title = _library(tmp_path)
    _hostile_notes(moderation)
    app = ReaderApp([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: len(screen.documents) == 3 and not screen.library_loading, timeout=20)
        lines = _assert_safe(app, "library list")
        drawn = "\n".join(lines)
        assert TITLE in drawn
        assert "esc\u241b]0;pwned\u2407\u241b[2J" in drawn  # the stem, controls shown as their pictures
        assert "abc\u27e8RLO\u27e9FDP.exe [SOLVED]" in drawn  # nothing reordered, the brackets kept

        # the document whose notes file holds an entry set aside with "[/k]" in its message
        view = screen.query_one(DocumentView)
        screen.post_message(OpenDocument(document_id(moderation)))
        await wait_until(pilot, lambda: shown(view)() and view.document.path == moderation)
        await wait_until(pilot, lambda: any("[/k]" in message for message, _, _ in notifications))
        await pilot.press("A")  # the notes panel
        await wait_until(pilot, lambda: "[link=https://example.com]here[/link]" in "\n".join(_rendered(app)))
        drawn = "\n".join(_assert_safe(app, "notes panel"))
        assert "#[/t]" in drawn and "#x\u241b[2J" in drawn
        assert "\u241b]0;pane\u2407 [/b] mark" in drawn
        assert TITLE in drawn  # the status line

        for key, what in (("B", "bookmarks"), ("M", "all notes"), ("o", "outline")):
            await pilot.press(key)
            await wait_until(pilot, lambda: app.screen is not screen)
            drawn = "\n".join(_assert_safe(app, what))
            assert ("[link=https://example.com]Rules[/link]" if key == "o" else "[/r/python]") in drawn
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)

        # the open document changes on disk: the notice names its title
        moderation.write_text(f"# {TITLE}\n\n## [link=https://example.com]Rules[/link]\n\nBe kind to okapis, always.\n")
        await wait_until(pilot, lambda: "always" in view.document.text, timeout=20)
        await wait_until(pilot, lambda: any(TITLE in message for message, _, _ in notifications))
        _assert_safe(app, "changed on disk")

        # the palette: titles and sources as written
        await pilot.press("ctrl+p")
        await pilot.press(*"moderation")
        await wait_until(pilot, lambda: TITLE in "\n".join(_rendered(app)))
        _assert_safe(app, "palette")
        await pilot.press("escape")

        # the note editor: the note shown made visible, kept exact when saved unchanged
        await wait_until(pilot, lambda: app.screen is screen)

    assert notifications, "no notification was shown"
    for message, title, markup in notifications:
        assert not markup, f"a notification read as markup: {message!r}"
        assert not UNSAFE.search(message.replace("\n", "")) and not UNSAFE.search(title), message


async def test_the_note_editor_shows_controls_made_visible_and_keeps_the_exact_text(tmp_path: Path) -> None:
    from textual.widgets import TextArea

    from reader.ui.screens.note_editor import NoteEditor
    from reader.ui.widgets.notes_panel import NotesPanel

    folder, moderation, _, _ = _library(tmp_path)
    _hostile_notes(moderation)
    store = Store(Paths.from_environment().data_dir)
    doc_id = document_id(moderation)
    app = ReaderApp([folder])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: len(screen.documents) == 3, timeout=20)
        view = screen.query_one(DocumentView)
        screen.post_message(OpenDocument(doc_id))
        await wait_until(pilot, lambda: shown(view)() and view.document.path == moderation)
        await pilot.press("A")
        panel = screen.query_one(NotesPanel)
        await wait_until(pilot, lambda: panel.option_count >= 2)
        panel.focus()
        panel.highlighted = next(i for i, e in enumerate(panel.entries) if e.note.kind is Kind.NOTE)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        area = app.screen.query_one(TextArea)
        assert "\x1b" not in area.text and "\u241b[2J" in area.text
        _assert_safe(app, "note editor")
        await pilot.press("ctrl+s")  # saved unchanged: the note keeps its exact text
        await wait_until(pilot, lambda: app.screen is screen)
    [note] = [n for n in store.load(doc_id).notes if n.kind is Kind.NOTE and not n.deleted]
    assert note.text == NOTE_TEXT and note.tags == ("[/t]", "x\x1b[2J")

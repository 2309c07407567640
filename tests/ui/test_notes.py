"""Pilot tests of notes in the app: cursor, selection, annotate, edit, delete, bookmarks,
the notes panel, reading positions, and notes whose passage was edited away."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, Note, make_target, new_id, now
from reader.storage.paths import Paths
from reader.storage.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.note_editor import NoteEditor, parse_tags
from reader.ui.screens.notes_list import NotesListScreen
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.notes_panel import NotesPanel
from tests.conftest import SEED
from tests.ui.conftest import open_seed, seed_app, settle, shown, wait_until


def store() -> Store:
    return Store(Paths.from_environment().data_dir)


def stored(doc_id: str) -> list[Note]:
    return store().load(doc_id).notes


def block_text(view: DocumentView) -> str:
    start, end = view.selection
    return view.document.text[start:end]


async def test_cursor_moves_and_selection_grows(tmp_path):
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_seed(pilot, app)
        first = view.cursor_span()
        await pilot.press("j", "j", "j")
        assert view.cursor_span()[0] > first[0]
        await pilot.press("v")
        block = view.document.blocks[view.document.block_at(view.cursor_span()[0])]
        assert view.selection == (block.start, block.end)
        await pilot.press("v")
        assert view.selection is None
        start = view.cursor_span()[0]
        await pilot.press("J", "J")
        assert view.selection[0] == start and view.selection[1] > view.cursor_span()[0]
        words_before = view.selection[1]
        await pilot.press("shift+right")
        assert view.selection[1] > words_before
        await pilot.press("escape")
        assert view.selection is None
        assert app.focused is view  # Esc cleared the selection, it did not leave the pane
        # the cursor stays on screen when paging
        await pilot.press("space")
        assert int(view.scroll_y) <= view.cursor_row < int(view.scroll_y) + view.size.height


async def test_annotate_edit_delete_undo_and_reopen():
    app = seed_app()
    async with app.run_test(size=(110, 32)) as pilot:
        view = await open_seed(pilot, app)
        doc_id = view.document.id
        await pilot.press("j", "j", "j", "j", "v")
        quote = block_text(view)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"First line")
        await pilot.press("enter")
        await pilot.press(*"second line")
        app.screen.query_one("#note-tags", Input).value = "#idea, hk"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, NoteEditor))
        await wait_until(pilot, lambda: len(stored(doc_id)) == 1)
        note = stored(doc_id)[0]
        assert note.kind is Kind.NOTE and note.text == "First line\nsecond line" and note.tags == ("idea", "hk")
        assert note.target.exact == quote
        assert view.notes_at(note.target.start, note.target.end) == [note.id]
        assert view.selection is None
        # the passage is drawn highlighted, with a mark in the margin
        row = view.row_of_offset(note.target.start) - int(view.scroll_y)
        line = view.render_line(row)
        assert line.text.lstrip().startswith("▌") or "▌" in line.text[:10]

        # edit: the cursor is on the note, a opens it
        view.scroll_to_offset(note.target.start)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert app.screen.query_one(TextArea).text == "First line\nsecond line"
        await pilot.press(*" (edited)")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: stored(doc_id) and stored(doc_id)[0].text.endswith("(edited)"))

        # the notes panel lists it; d deletes; u brings it back
        await pilot.press("A")
        panel = app.screen.query_one(NotesPanel)
        assert panel.display and app.focused is panel
        assert [e.note.id for e in panel.entries] == [note.id]
        await pilot.press("d")
        await wait_until(pilot, lambda: stored(doc_id) == [])
        assert view.notes_at(note.target.start, note.target.end) == []
        await pilot.press("u")
        await wait_until(pilot, lambda: [n.id for n in stored(doc_id)] == [note.id])
        assert view.notes_at(note.target.start, note.target.end) == [note.id]
        # Enter on the panel jumps to the passage and selects it
        view.scroll_to_offset(0)
        await pilot.press("enter")
        assert app.focused is view
        assert view.selection == (note.target.start, note.target.end)

    # a new session finds the note where it was
    again = seed_app()
    async with again.run_test(size=(110, 32)) as pilot:
        view = await open_seed(pilot, again)
        await wait_until(pilot, lambda: view.notes_at(note.target.start, note.target.end) == [note.id])


async def test_bookmarks_toggle_and_list_across_the_library(library):
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, lambda: not app.screen.library_loading)
        await pilot.press("j", "enter")  # the seed
        await wait_until(pilot, shown(view))
        doc_id = view.document.id
        await pilot.press("j", "j", "j", "j", "j", "j", "b")
        await wait_until(pilot, lambda: len(stored(doc_id)) == 1)
        mark = stored(doc_id)[0]
        assert mark.kind is Kind.BOOKMARK and mark.target.start == view.cursor_span()[0]
        await pilot.press("b")  # on the same row: removed
        await wait_until(pilot, lambda: stored(doc_id) == [])
        await pilot.press("b")
        await wait_until(pilot, lambda: len(stored(doc_id)) == 1)
        bookmark = stored(doc_id)[0]
        # open another document, then jump back through the bookmarks list
        await pilot.press("tab", "k", "enter")
        await wait_until(pilot, lambda: view.document.title == "Alpha Notes")
        await pilot.press("B")
        await wait_until(pilot, lambda: isinstance(app.screen, NotesListScreen))
        assert [e.note.id for e in app.screen.entries] == [bookmark.id]
        await pilot.press("enter")
        await wait_until(pilot, lambda: view.document.id == doc_id and view.cursor_span()[0] == bookmark.target.start)


async def test_reading_position_is_restored(tmp_path):
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_seed(pilot, app)
        await pilot.press("space", "space", "j")
        top = view.offset_at_top()
        doc_id = view.document.id
        assert top > 0
    saved = store().load(doc_id).position
    assert saved is not None and saved.target.start == top, (saved, top)
    # quitting kept the position; a new session opens there, by text, not by fraction
    again = seed_app()
    async with again.run_test(size=(80, 24)) as pilot:
        view = again.screen.query_one(DocumentView)
        await wait_until(pilot, lambda: shown(view)() and view.offset_at_top() > 0)
        assert view.row_of_offset(top) == int(view.scroll_y)


async def test_a_note_on_edited_away_text_is_detached_and_can_be_reattached(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "essay.txt"
    gone = "This paragraph will be removed before the reader opens the essay again."
    path.write_text(f"An Essay\n\nThe opening paragraph stays as it is.\n\n{gone}\n\nThe closing words stay too.\n")
    document = read_document(path)
    start = document.text.index(gone)
    target = make_target(document.text, start, start + len(gone), document.text_hash)
    note = Note(new_id(), document.id, Kind.NOTE, target, now(), now(), text="keep me")
    store().put_note(DocumentRef(document.id, str(path), document.title), note)
    path.write_text("An Essay\n\nThe opening paragraph stays as it is.\n\nThe closing words stay too.\n")

    app = seed_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_seed(pilot, app)
        await pilot.press("A")
        panel = app.screen.query_one(NotesPanel)
        await wait_until(pilot, lambda: [e.status for e in panel.entries] == ["detached"])
        assert "keep me" in str(panel.get_option_at_index(0).prompt)
        # select the closing paragraph, then re-attach from the panel
        closing = view.document.text.index("The closing words")
        view.select(closing, closing + len("The closing words stay too."))
        panel.focus()
        await pilot.press("r")
        await wait_until(pilot, lambda: stored(document.id)[0].target.exact == "The closing words stay too.")
        assert stored(document.id)[0].text == "keep me"
        assert [e.status for e in panel.entries] == ["exact"]


def test_tags_are_parsed_once_each_in_order():
    assert parse_tags("#idea, hk  #idea todo,") == ("idea", "hk", "todo")
    assert parse_tags("   ") == ()


async def test_export_dialog_writes_the_notes_and_asks_before_replacing(tmp_path):
    document = read_document(SEED)
    start = document.text.index("smart cit")
    target = make_target(document.text, start, start + 40, document.text_hash)
    note = Note(new_id(), document.id, Kind.NOTE, target, now(), now(), text="exported <note> ---")
    store().put_note(DocumentRef(document.id, str(SEED), document.title, document.source), note)
    from textual.widgets import Select

    from reader.ui.screens.export import ExportDialog

    app = seed_app()
    async with app.run_test(size=(100, 32)) as pilot:
        view = await open_seed(pilot, app)
        await wait_until(pilot, lambda: view.notes_at(target.start, target.end) == [note.id])
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        out = tmp_path / "mine.md"
        app.screen.query_one("#export-path", Input).value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, lambda: out.exists())
        text = out.read_text(encoding="utf-8")
        assert "exported \\<note> ---" in text  # escaped so that no viewer reads it as HTML
        assert f"<!-- note:{note.id} -->" in text
        # Markdown again: nothing is lost or doubled
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-path", Input).value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ExportDialog))
        await settle(pilot)
        assert out.read_text(encoding="utf-8") == text
        # JSON over an existing file: the dialog asks first
        json_out = tmp_path / "mine.json"
        json_out.write_text("keep", encoding="utf-8")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        app.screen.query_one("#export-format", Select).value = "json"
        app.screen.query_one("#export-path", Input).value = str(json_out)
        await pilot.press("enter")
        assert isinstance(app.screen, ExportDialog)
        assert json_out.read_text() == "keep"
        await pilot.press("enter")
        await wait_until(pilot, lambda: json_out.read_text() != "keep")
        assert note.id in json_out.read_text()


async def test_export_dialog_says_inline_when_the_path_is_a_folder_or_has_no_folder(tmp_path):
    from textual.widgets import Label

    from reader.ui.screens.export import ExportDialog

    app = seed_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await open_seed(pilot, app)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        message = app.screen.query_one("#export-message", Label)
        app.screen.query_one("#export-path", Input).value = str(tmp_path)
        await pilot.press("enter")
        assert isinstance(app.screen, ExportDialog)
        assert str(message.render()) == f"{tmp_path} is a folder; give a file name."
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "no" / "notes.md")
        await pilot.press("enter")
        assert isinstance(app.screen, ExportDialog)
        assert str(message.render()) == f"No such folder: {tmp_path / 'no'}."
        assert list(tmp_path.iterdir()) == []


async def test_copy_the_selection_and_a_note_with_its_quote():
    document = read_document(SEED)
    start = document.text.index("smart cit")
    target = make_target(document.text, start, start + 40, document.text_hash)
    note = Note(new_id(), document.id, Kind.NOTE, target, now(), now(), text="why it matters", tags=("city",))
    store().put_note(DocumentRef(document.id, str(SEED), document.title), note)
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_seed(pilot, app)
        await wait_until(pilot, lambda: view.notes_at(target.start, target.end) == [note.id])
        await pilot.press("j", "j", "v", "y")
        assert app.clipboard == block_text(view)
        await pilot.press("A")
        await pilot.press("y")
        assert app.clipboard == f"“{target.exact}”\n\nwhy it matters\n\n#city"

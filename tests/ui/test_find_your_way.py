"""A reader a newcomer finds their way in (issue 17): a cursor and a selection that can be
seen in every theme, selections that grow, every command in the palette, a footer that
always shows help, sorting by a picker, drafts that are not lost, a read-only state that
stays in sight."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color

from reader.ui.app import ReaderApp
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.status_line import StatusLine
from tests.conftest import SEED
from tests.ui.conftest import open_seed, seed_app, shown, wait_until


# -- colours ------------------------------------------------------------------------------


def _linear(value: int) -> float:
    value_ = value / 255
    return value_ / 12.92 if value_ <= 0.04045 else ((value_ + 0.055) / 1.055) ** 2.4


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        r, g, b = map(_linear, rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)


def distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """CIE76 colour difference (ΔE in CIELAB): about 2.3 is just noticeable, 10 plainly different."""

    def lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
        r, g, b = map(_linear, rgb)
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5


def text_segments(view: DocumentView, y: int) -> list[Segment]:
    """The segments of screen row ``y`` that hold text (not the margins)."""
    return [segment for segment in view.render_line(y) if segment.text.strip()]


def rgb(color) -> tuple[int, int, int]:  # noqa: ANN001 - a Rich colour
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


async def test_the_cursor_row_and_the_selection_are_plain_to_see_in_every_theme():
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_seed(pilot, app)
        await pilot.press("j", "j", "j")
        checked = []
        for theme in sorted(app.available_themes):
            view.clear_selection()
            app.theme = theme
            await pilot.pause()
            y = view.cursor_row - int(view.scroll_y)
            cursor = text_segments(view, y)
            assert cursor, theme
            neighbours = [segment for row in (y - 2, y - 1, y + 1) for segment in view.render_line(row)]
            if Color.from_rich_color(view.rich_style.bgcolor).ansi is not None:
                # terminal colours: nothing to blend, the cursor row is drawn in reverse
                assert all(segment.style.reverse for segment in cursor), theme
                assert not any(segment.style.reverse for segment in neighbours), theme
                await pilot.press("v")
                row = view.row_of_offset(view.selection[1] - 1) - int(view.scroll_y)
                assert row != y and all(
                    segment.style.bgcolor not in (None, view.rich_style.bgcolor) for segment in text_segments(view, row)
                ), theme
                await pilot.press("v")
                checked.append(theme)
                continue
            page = rgb(view.rich_style.bgcolor)
            cursor_bg = {rgb(segment.style.bgcolor) for segment in cursor}
            assert len(cursor_bg) == 1, theme
            (cursor_bg,) = cursor_bg
            for segment in neighbours:
                assert distance(rgb(segment.style.bgcolor), cursor_bg) >= 10, (theme, segment)
            for segment in cursor:
                assert contrast(rgb(segment.style.color), cursor_bg) >= 2.5, (theme, segment)

            # the selection: apart from the page and from the cursor, its text readable
            await pilot.press("v")
            start, end = view.selection
            rows = [
                row - int(view.scroll_y)
                for row in range(view.row_of_offset(start), view.row_of_offset(end - 1) + 1)
                if row != view.cursor_row
            ]
            assert rows, theme
            selected = text_segments(view, rows[0])
            selection_bg = rgb(selected[0].style.bgcolor)
            assert distance(selection_bg, page) >= 15, theme
            assert distance(selection_bg, cursor_bg) >= 10, theme
            for segment in selected:
                assert contrast(rgb(segment.style.color), selection_bg) >= 2.5, (theme, segment)
            await pilot.press("v")
            checked.append(theme)
        assert {"textual-dark", "textual-light", "solarized-dark", "ansi-dark"} <= set(checked)


async def test_j_after_v_extends_the_selection_and_k_extends_it_upwards():
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_seed(pilot, app)
        await pilot.press("j", "j", "j", "j", "j", "j")
        await pilot.press("v")
        block_start, block_end = view.selection
        status = app.screen.query_one(StatusLine)
        words = len(view.document.text[block_start:block_end].split())
        await wait_until(pilot, lambda: f"{words} words selected" in str(status.render()))

        await pilot.press("J")
        start, end = view.selection
        assert start == block_start and end > block_end  # grown, not cut to the cursor row
        await pilot.press("J")
        assert view.selection[0] == block_start and view.selection[1] > end
        await pilot.press("K")  # the same end moves back: one row less
        assert view.selection == (start, end)
        await wait_until(pilot, lambda: "selected" in str(status.render()) and f"{words} words" not in str(status.render()))

        await pilot.press("escape")
        assert view.selection is None
        await wait_until(pilot, lambda: "selected" not in str(status.render()))
        await pilot.press("v")
        block_start, block_end = view.selection
        await pilot.press("K")
        start, end = view.selection
        assert end == block_end and start < block_start  # K grows it upwards


# -- the palette ------------------------------------------------------------------------


async def test_the_palette_has_a_command_for_every_binding_and_runs_it():
    from reader.ui.commands import NOT_COMMANDS, command_title
    from reader.ui.screens.outline import OutlineScreen
    from tests.ui.conftest import palette_commands, palette_has

    app = seed_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await open_seed(pilot, app)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: palette_has(app, "Export"))
        listed = palette_commands(app)
        panes = {heading for heading, owner, _ in app.command_bindings() if owner is not None}
        wanted = [
            command_title(binding, heading if heading in panes else None)
            for heading, _, binding in app.command_bindings()
            if binding.id not in NOT_COMMANDS and binding.action not in NOT_COMMANDS
        ]
        assert len(wanted) > 20
        missing = [title for title in wanted if not any(line.startswith(title) for line in listed)]
        assert missing == []
        assert any(line.startswith("Quit") for line in listed)  # Textual's own

        for typed, found in (("exp", "Export"), ("outl", "Outline"), ("sort", "Sort"), ("bookm", "Bookmarks")):
            await pilot.press(*["backspace"] * 5, *typed)
            await wait_until(pilot, lambda found=found: palette_has(app, found))

        # a command runs where its key works: the outline opens
        await pilot.press(*["backspace"] * 5, *"outl")
        await wait_until(pilot, lambda: palette_commands(app)[:1] and palette_commands(app)[0].startswith("Outline"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, OutlineScreen))

        # a pane's command runs in its pane, focused
        await pilot.press("escape")
        view = app.screen.query_one(DocumentView)
        await pilot.press("tab")
        assert app.focused is not view
        await pilot.press("ctrl+p", *"Select (Reading")
        await wait_until(pilot, lambda: palette_commands(app)[:1] and palette_commands(app)[0].startswith("Select"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: view.selection is not None)
        assert app.focused is view


# -- the footer ---------------------------------------------------------------------------


def footer_text(app: ReaderApp) -> str:
    from reader.ui.widgets.key_footer import KeyFooter

    return str(app.screen.query_one(KeyFooter).render())


async def test_the_footer_always_shows_help_and_the_focused_panes_keys_at_60_80_and_120_columns():
    for width, height in ((60, 20), (80, 24), (120, 35)):
        app = seed_app()
        async with app.run_test(size=(width, height)) as pilot:
            view = app.screen.query_one(DocumentView)
            await wait_until(pilot, shown(view))
            await wait_until(pilot, lambda: "Sort" in footer_text(app))
            text = footer_text(app)
            assert text.lstrip().startswith("? Help"), (width, text)
            assert "s Sort" in text and "f Source" in text, (width, text)
            assert len(text.rstrip()) <= width
            if width >= 80:
                assert "/ Search" in text and "q Quit" in text, (width, text)

            await pilot.press("tab")  # the footer follows the focus at once, not a moment later
            assert app.focused is view
            text = footer_text(app)
            assert text.lstrip().startswith("? Help"), (width, text)
            assert "] Next section" in text and "v Select" in text and "Sort" not in text, (width, text)
            if width >= 80:
                assert "/ Search" in text and "q Quit" in text, (width, text)


async def test_help_fits_at_120_by_35_and_pages_at_80_by_24():
    from textual.containers import VerticalScroll

    from reader.ui.screens.help import HelpScreen

    for size in ((120, 35), (80, 24)):
        app = seed_app()
        async with app.run_test(size=size) as pilot:
            await wait_until(pilot, shown(app.screen.query_one(DocumentView)))
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
            dialog = app.screen.query_one("#help-dialog", VerticalScroll)
            await wait_until(pilot, lambda: dialog.size.width > 0 and app.screen._laid_out_for > 0)
            region = dialog.region
            assert region.x >= 0 and region.y >= 0
            assert region.right <= size[0] and region.bottom <= size[1]
            assert dialog.virtual_size.width <= dialog.scrollable_content_region.width  # nothing cut at the side
            more = app.screen.query_one("#help-more")
            if size == (120, 35):
                assert dialog.max_scroll_y == 0  # every key on one screen
                await wait_until(pilot, lambda: str(more.render()) == "")
            else:
                await wait_until(pilot, lambda: "more keys below" in str(more.render()))
                for _ in range(10):
                    await pilot.press("space")
                await wait_until(pilot, lambda: dialog.scroll_y == dialog.max_scroll_y > 0)


# -- drafts -------------------------------------------------------------------------------


async def test_a_typed_note_is_not_lost_to_esc_or_ctrl_q_without_asking():
    from textual.widgets import TextArea

    from reader.ui.screens.main import MainScreen
    from reader.ui.screens.note_editor import NoteEditor
    from reader.ui.screens.pick import PickScreen

    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed(pilot, app)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        editor = app.screen
        await pilot.press(*"my thought")

        await pilot.press("escape")  # asks
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("escape")  # keep editing: the text is there
        await wait_until(pilot, lambda: app.screen is editor)
        assert editor.query_one(TextArea).text == "my thought"

        await pilot.press("ctrl+q")  # asks too
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is editor)
        assert app.is_running and editor.query_one(TextArea).text == "my thought"

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("j", "enter")  # discard
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))

        await pilot.press("a")  # an untouched editor closes at once
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))

        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"another")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("j", "enter")  # quit, and lose it
        await wait_until(pilot, lambda: not app.is_running)


# -- a broken notes file --------------------------------------------------------------------


async def test_read_only_notes_say_so_while_it_lasts_and_take_no_change():
    from reader.core.formats import read_document
    from reader.core.notes import DocumentRef, Kind, new_note
    from reader.storage.paths import Paths
    from reader.storage.store import Store

    document = read_document(SEED)
    ref = DocumentRef(id=document.id, path=str(document.path), title=document.title, source=document.source)
    store = Store(Paths.from_environment().data_dir)
    store.backup_age = 0  # the second save copies the first to .bak
    store.put_note(ref, new_note(document, Kind.BOOKMARK, 0, 40))
    store.put_note(ref, new_note(document, Kind.NOTE, 100, 160, text="kept"))
    shard = store.path_of(document.id)
    assert shard.with_name(shard.name + ".bak").exists()
    shard.write_text("notes: [unclosed\n", encoding="utf-8")
    broken = shard.read_bytes()

    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_seed(pilot, app)
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: status.flag == "notes read-only")
        assert "notes read-only" in str(status.render())
        shown_notes = dict(app.screen.notes)

        await pilot.press("j", "j", "b")  # a bookmark: refused, and said why
        await wait_until(
            pilot, lambda: any("read-only" in n.message for n in app._notifications if n.message.startswith("Not saved"))
        )
        assert app.screen.notes == shown_notes
        await pilot.press("v", "a")  # a note: refused before the editor opens
        assert app.screen.notes == shown_notes and app.screen is not None
        from reader.ui.screens.main import MainScreen

        assert isinstance(app.screen, MainScreen)

        app.clear_notifications()  # the toasts go; the state stays in sight
        await pilot.press("j", "j", "space")
        assert status.flag == "notes read-only" and "notes read-only" in str(status.render())
    assert shard.read_bytes() == broken  # nothing written over the broken file, nothing accepted to be lost


# -- sorting ----------------------------------------------------------------------------------


async def test_sort_is_a_picker_and_by_date_reads_the_dates_newest_first_undated_last(tmp_path):
    import os

    from reader.ui.screens.pick import PickScreen
    from reader.ui.widgets.document_list import DocumentList

    folder = tmp_path / "library"
    folder.mkdir()
    dated = {
        "a.txt": "2014-11-06",
        "b.txt": "Fri Feb 24 13:40:45 1995",
        "c.txt": "Dec 14, 1996",
        "d.txt": "Tue, 7 Oct 2015 07:26:38 -0400",
        "e.txt": "March 20, 2017",
        "f.txt": "2005-06-08",
    }
    for name, date_text in dated.items():
        (folder / name).write_text(f"Doc {name[0].upper()}\n\nPublished: {date_text}\n\nThe text of {name}, a line.\n")
    (folder / "old.txt").write_text("Undated old\n\nNo date in this one.\n")
    (folder / "new.txt").write_text("Undated new\n\nNo date in this one.\n")
    os.utime(folder / "old.txt", (1_000_000_000, 1_000_000_000))
    app = ReaderApp([folder])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        doc_list = app.screen.query_one(DocumentList)
        assert [d.date for d in doc_list.documents if d.title == "Doc B"] == ["Fri Feb 24 13:40:45 1995"]

        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        labels = [label for label, _ in app.screen.choices]
        assert labels[0].startswith("✓ Title") and not any(label.startswith("✓") for label in labels[1:])
        await pilot.press("home", *["j"] * [value for _, value in app.screen.choices].index("date"), "enter")
        await wait_until(pilot, lambda: doc_list.sort == "date")
        assert [d.title for d in doc_list.documents] == [
            "Doc E",  # 2017
            "Doc D",  # 2015
            "Doc A",  # 2014
            "Doc F",  # 2005
            "Doc C",  # 1996
            "Doc B",  # 1995
            "Undated new",  # then those without a date, by their file's date
            "Undated old",
        ]
        assert "file 2001-09-0" in doc_list.row_text(7)  # marked as the file's date

        await pilot.press("s")  # the picker marks the order in force, and starts on it
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        current = [label for label, _ in app.screen.choices if label.startswith("✓")]
        assert current == ["✓ Date, newest first"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, PickScreen))
        assert doc_list.sort == "date"


# -- focus and position --------------------------------------------------------------------


async def test_tab_goes_round_the_list_the_document_and_the_notes_panel_when_shown():
    from reader.ui.widgets.document_list import DocumentList
    from reader.ui.widgets.notes_panel import NotesPanel

    app = seed_app()
    async with app.run_test(size=(120, 35)) as pilot:
        view = await open_seed(pilot, app)
        doc_list = app.screen.query_one(DocumentList)
        panel = app.screen.query_one(NotesPanel)
        await pilot.press("tab")
        assert app.focused is doc_list  # the panel is not shown: list and document only
        await pilot.press("tab")
        assert app.focused is view
        await pilot.press("A")
        assert app.focused is panel
        await pilot.press("tab")
        assert app.focused is doc_list
        await pilot.press("tab")
        assert app.focused is view
        await pilot.press("tab")
        assert app.focused is panel


async def test_a_document_opened_before_the_progress_was_read_keeps_its_saved_percent(library):
    from reader.ui.screens.main_messages import ProgressLoaded
    from reader.ui.widgets.document_list import DocumentList, Progress

    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        doc_list = app.screen.query_one(DocumentList)
        first, second = doc_list.documents[0], doc_list.documents[1]
        doc_list.mark_progress(first.id, Progress(0, "2030-01-01T00:00:00+00:00"))  # opened just now
        saved = {first.id: Progress(16, "2020-01-01T00:00:00+00:00"), second.id: Progress(40, "2020-01-01T00:00:00+00:00")}
        app.screen.post_message(ProgressLoaded(saved))
        await wait_until(pilot, lambda: doc_list.progress.get(second.id) is not None)
        assert doc_list.progress[first.id].percent == 16
        index = [d.id for d in doc_list.documents].index(first.id)
        assert "16%" in doc_list.row_text(index)


async def test_a_reopened_document_is_drawn_at_the_saved_place_from_its_first_frame(monkeypatch):
    from reader.core.formats import read_document
    from reader.core.notes import DocumentRef, Position, make_target, now
    from reader.storage.paths import Paths
    from reader.storage.store import Store

    document = read_document(SEED)
    ref = DocumentRef(id=document.id, path=str(document.path), title=document.title, source=document.source)
    place = document.blocks[len(document.blocks) // 2].start
    target = make_target(document.text, place, place + 64, document.text_hash)
    Store(Paths.from_environment().data_dir).put_position(ref, Position(target, 50, now()))

    offsets: list[int] = []
    show = DocumentView.show

    def recording_show(self, shown_document, offset=0, **kwargs):  # noqa: ANN001, ANN202
        if shown_document is not None and not kwargs.get("partial"):
            offsets.append(offset)
        return show(self, shown_document, offset, **kwargs)

    monkeypatch.setattr(DocumentView, "show", recording_show)
    app = seed_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        assert offsets and offsets[0] == place  # shown there at once, not at the top and then moved
        await wait_until(pilot, lambda: view.document.block_at(view.offset_at_top()) == document.block_at(place))


# -- status that does not mislead --------------------------------------------------------------


async def test_leaving_the_search_takes_its_hit_counter_and_marks_away(library, make_app):
    from reader.ui.widgets.document_list import DocumentList
    from tests.ui.test_search import ready, status

    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        doc_list = app.screen.query_one(DocumentList)
        view = app.screen.query_one(DocumentView)
        await pilot.press("slash", *"smart ci")
        await wait_until(pilot, lambda: doc_list.results is not None and len(doc_list.results) >= 1)
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(view)() and view.hit_count > 0)
        counter = f"{view.current_hit + 1}/{view.hit_count}"
        await wait_until(pilot, lambda: counter in status(app))
        await pilot.press("tab", "escape")  # out of the search
        await wait_until(pilot, lambda: doc_list.results is None)
        assert view.hit_count == 0
        assert counter not in status(app)
        await pilot.press("tab", "space")  # reading on: the position shows, without the counter
        assert app.focused is view
        await wait_until(pilot, lambda: "%" in status(app))
        assert counter not in status(app)


async def test_a_notification_leaves_the_status_line_in_sight():
    from textual.widgets._toast import Toast

    app = seed_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_seed(pilot, app)
        status = app.screen.query_one(StatusLine)
        app.notify("Something to say, at some length so that the toast is wide.", timeout=30)
        await wait_until(pilot, lambda: bool(app.screen.query(Toast)) and app.screen.query(Toast).first().region.height > 0)
        toast = app.screen.query(Toast).first()
        assert toast.region.bottom <= status.region.y  # above the status line, not over its percentage


# -- small things --------------------------------------------------------------------------------


async def test_one_document_is_one_document_and_skipped_files_say_where_to_look(tmp_path):
    from reader.ui.screens.main import _documents

    assert (_documents(1), _documents(2), _documents(0)) == ("1 document", "2 documents", "0 documents")
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "one.txt").write_text("One\n\nThe first document here.\n")
    (folder / "two.txt").write_text("Two\n\nThe second document here.\n")
    (folder / "broken.pdf").write_bytes(b"not a pdf at all")
    app = ReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: "2 documents, 1 skipped" in str(status.render()))
        assert "Skipped files" in str(status.render())  # where the skipped files and their reasons are listed


async def test_an_empty_file_says_it_is_empty_not_100_percent(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "blank.txt").write_bytes(b"")
    (folder / "full.txt").write_text("Full\n\nSomething to read.\n")
    app = ReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        from reader.ui.widgets.document_list import DocumentList

        await wait_until(pilot, lambda: not app.screen.library_loading)
        doc_list = app.screen.query_one(DocumentList)
        doc_list.select_document(next(d.id for d in doc_list.documents if d.words == 0))
        await pilot.press("enter")
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, lambda: view.document is not None and view.size.height > 0)
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: "empty" in str(status.render()))
        assert "100%" not in str(status.render())
        assert "This document is empty." in "".join(segment.text for segment in view.render_line(1))


# -- what peers do -------------------------------------------------------------------------------


async def test_ctrl_d_and_ctrl_u_move_half_a_page_and_plus_minus_change_the_text_width():
    app = seed_app()
    async with app.run_test(size=(120, 35)) as pilot:
        view = await open_seed(pilot, app)
        half = view.scrollable_content_region.height // 2
        await pilot.press("ctrl+d")
        assert view.scroll_y == half
        await pilot.press("ctrl+d", "ctrl+u")
        assert view.scroll_y == half
        assert int(view.scroll_y) <= view.cursor_row < int(view.scroll_y) + view.size.height

        top = view.offset_at_top()
        measure, rows = view._measure, view.row_count
        await pilot.press("minus", "minus")
        assert view._measure == measure - 8 and view.row_count > rows  # narrower: more rows
        assert view.document.block_at(view.offset_at_top()) == view.document.block_at(top)  # the same text on top
        await pilot.press("plus")
        assert view._measure == measure - 4
        await pilot.press("plus", "plus")  # no wider than the pane leaves room for
        assert view._measure == measure and view.row_count == rows


async def test_t_switches_between_light_and_dark_and_the_status_line_tells_the_minutes_left():
    app = seed_app()
    async with app.run_test(size=(120, 35)) as pilot:
        view = await open_seed(pilot, app)
        app.theme = "solarized-dark"
        await pilot.press("T")
        assert app.theme == "solarized-light"
        await pilot.press("T")
        assert app.theme == "solarized-dark"
        app.theme = "dracula"
        await pilot.press("T")
        assert app.theme == "textual-light" and not app.current_theme.dark

        status = app.screen.query_one(StatusLine)
        total = view.document.reading_minutes
        assert total >= 2
        await wait_until(pilot, lambda: f"{total} min left" in str(status.render()))
        await pilot.press("G")
        await wait_until(pilot, lambda: "100%" in str(status.render()))
        assert "min left" not in str(status.render())


async def test_e_opens_the_editor_on_the_file_at_the_cursors_line(tmp_path, monkeypatch):
    import sys

    folder = tmp_path / "library"
    folder.mkdir()
    copy = folder / SEED.name
    copy.write_bytes(SEED.read_bytes())
    said = tmp_path / "editor-args.txt"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys\nopen({str(said)!r}, 'w').write('\\n'.join(sys.argv[1:]))\n")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    app = ReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_seed(pilot, app)
        await pilot.press(*["j"] * 8)
        start, end = view.cursor_span()
        row_text = view.document.text[start:end]
        await pilot.press("E")
        await wait_until(pilot, said.exists)
    line, path = said.read_text().splitlines()
    assert path == str(copy) and line.startswith("+")
    number = int(line[1:])
    assert number > 1
    assert " ".join(row_text.split()[:3]) in copy.read_text().splitlines()[number - 1]


async def test_reader_without_arguments_reopens_the_document_read_last_where_it_was(library):
    from reader.core.formats import read_document
    from reader.core.notes import DocumentRef, Position, make_target
    from reader.storage.paths import Paths
    from reader.storage.store import Store

    store = Store(Paths.from_environment().data_dir)
    places = {}
    for name, updated in (("seed.txt", "2026-01-02T10:00:00Z"), ("alpha.md", "2026-01-01T10:00:00Z")):
        document = read_document(library / name)
        ref = DocumentRef(id=document.id, path=str(document.path), title=document.title, source=document.source)
        place = document.blocks[len(document.blocks) // 2].start
        target = make_target(document.text, place, min(place + 64, len(document.text)), document.text_hash)
        store.put_position(ref, Position(target, 50, updated))
        places[name] = (document.id, place)

    app = ReaderApp([library], reopen_last=True)
    async with app.run_test(size=(120, 35)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        doc_id, place = places["seed.txt"]  # the one read last
        assert view.document.id == doc_id and app.focused is view
        await wait_until(pilot, lambda: view.document.block_at(view.offset_at_top()) == view.document.block_at(place))

    app = ReaderApp([library])  # with paths given: the library, nothing opened
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading and app.screen.query_one(DocumentView).placeholder)
        from reader.ui.widgets.document_list import DocumentList

        await wait_until(pilot, lambda: app.screen.query_one(DocumentList).progress)
        assert app.screen.query_one(DocumentView).document is None

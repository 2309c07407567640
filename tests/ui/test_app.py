"""Pilot tests of the app: list, opening, sections, outline, help, palette, layouts."""

from __future__ import annotations

from rich.console import Console

from reader.storage.config import Config
from reader.ui.app import ReaderApp
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.screens.outline import OutlineScreen, SectionList
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.status_line import StatusLine
from tests.conftest import SEEDS
from tests.ui.conftest import palette_has, shown, wait_until


def parts(app):
    screen = app.screen
    return screen.query_one(DocumentList), screen.query_one(DocumentView), screen.query_one(StatusLine)


def visible_text(view: DocumentView) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_open_a_document_from_the_list(library, make_app):
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and not app.screen.library_loading)
        doc_list, view, status = parts(app)
        titles = [doc.title for doc in doc_list.documents]
        assert titles == sorted(titles, key=str.casefold)
        assert titles[0] == "Alpha Notes" and len(titles) == 3
        assert view.document is None
        await pilot.press("j", "enter")  # the second row: the seed article
        await wait_until(pilot, shown(view))
        assert view.document.title.startswith("Heavyweight Voice")
        assert app.focused is view
        screen_text = visible_text(view)
        assert "Heavyweight Voice" in screen_text
        assert "China Fund News Reporter" in screen_text
        assert "Heavyweight Voice" in status.render().plain
        await pilot.press("tab")
        assert app.focused is doc_list
        await pilot.press("k", "enter")
        await wait_until(pilot, lambda: view.document.title == "Alpha Notes")


async def test_single_document_opens_at_once_and_sections_step(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        doc_list, view, status = parts(app)
        await wait_until(pilot, shown(view))
        sections = view.document.sections
        await pilot.press("tab")
        assert app.focused is view
        await pilot.press("right_square_bracket")
        assert view.current_section() == sections[0]
        await pilot.press("right_square_bracket")
        assert view.current_section() == sections[1]
        assert "Q: What role do you think" in visible_text(view)
        await wait_until(pilot, lambda: "Q: What role" in status.render().plain)
        assert status.render().plain.rstrip().endswith("%")
        await pilot.press("left_square_bracket")
        assert view.current_section() == sections[0]
        await pilot.press("G")
        await wait_until(pilot, lambda: "100%" in status.render().plain)
        assert view.current_section() == sections[-1]
        await pilot.press("g")
        assert view.scroll_y == 0


async def test_speaker_labels_and_headings_render(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        _, view, _ = parts(app)
        await wait_until(pilot, shown(view))
        view.jump_to_section(1)
        await pilot.pause()
        lines = [view.render_line(y) for y in range(view.size.height)]
        label_line = next(strip for strip in lines if "Sun Dong: At present" in strip.text)
        label_segment = next(seg for seg in label_line if seg.text.startswith("Sun Dong:"))
        assert label_segment.style.bold
        heading_line = next(strip for strip in lines if "Q: What role" in strip.text)
        assert all(seg.style.bold for seg in heading_line if seg.text.strip())


async def test_outline_jumps_to_a_section(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        _, view, _ = parts(app)
        await wait_until(pilot, shown(view))
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OutlineScreen))
        outline = app.screen.query_one(SectionList)
        assert outline.item_count == 14
        await pilot.press("j", "j", "j", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        assert view.current_section() == view.document.sections[3]
        assert app.focused is view


async def test_help_screen_lists_the_real_bindings(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.table

        console = Console(width=100, record=True)
        console.print(table)
        text = console.export_text()
        for expected in ("Next section", "Prev section", "Outline", "Switch pane", "Quit", "Help"):
            assert expected in text
        assert "]" in text and "[" in text and "Tab" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_palette_opens_a_document_by_title(library, make_app):
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and not app.screen.library_loading)
        _, view, _ = parts(app)
        await pilot.press("ctrl+p")
        await pilot.press(*"zeta rep")
        await wait_until(pilot, lambda: palette_has(app, "Zeta Report"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: view.document is not None and view.document.title == "Zeta Report")
        assert view.document.source == "The Zeta Times"


async def test_narrow_terminal_shows_one_pane_at_a_time(library, make_app):
    app = make_app(library)
    async with app.run_test(size=(60, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and not app.screen.library_loading)
        doc_list, view, _ = parts(app)
        left = app.screen.query_one("#left")
        assert app.screen.has_class("-narrow")
        assert left.display and not view.display
        await pilot.press("enter")
        await wait_until(pilot, shown(view))
        assert view.display and not left.display
        assert view.size.width >= 55
        await pilot.press("escape")
        assert left.display and not view.display
        assert app.focused is doc_list


async def test_resizing_rewraps_and_keeps_the_place(make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        _, view, _ = parts(app)
        await wait_until(pilot, shown(view))
        view.jump_to_section(5)
        await pilot.pause()
        rows_wide = view.row_count
        section = view.current_section()
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: view.row_count != rows_wide)
        assert view.row_count > rows_wide
        assert view.current_section() == section
        assert max(len(view.render_line(y).text.rstrip()) for y in range(view.size.height)) <= view.size.width


async def test_mouse_click_opens_a_document(library, make_app):
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen) and not app.screen.library_loading)
        doc_list, view, _ = parts(app)
        await pilot.press("G")
        assert doc_list.highlighted == 2
        await pilot.click(DocumentList, offset=(5, 0))
        await wait_until(pilot, shown(view))
        assert view.document.title == "Alpha Notes"


async def test_theme_from_config_and_unknown_theme():
    app = ReaderApp([SEEDS], config=Config(theme="nord"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
    app = ReaderApp([SEEDS], config=Config(theme="no-such-theme"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme != "no-such-theme"
        messages = [notification.message for notification in app._notifications]
        assert any("Unknown theme 'no-such-theme'" in message for message in messages)

"""Keys from the config file, and the theme remembered between runs (pilot tests)."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from reader.storage.config import load_config
from reader.storage.paths import Paths
from reader.storage.state import State, load_state, save_state
from reader.ui.app import ReaderApp
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.search_bar import SearchBar
from tests.conftest import SEEDS
from tests.ui.conftest import palette_has, shown, wait_until


def app_with_config(home: Path, text: str | None = None) -> ReaderApp:
    """The app on the seeds, with ``text`` as the config file under ``home``."""
    paths = Paths.from_environment({"READER_HOME": str(home)})
    if text is not None:
        paths.config_file.parent.mkdir(parents=True, exist_ok=True)
        paths.config_file.write_text(text, encoding="utf-8")
    return ReaderApp([SEEDS], config=load_config(paths.config_file), paths=paths)


def messages(app: ReaderApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def help_text(app: ReaderApp) -> str:
    """The help screen's groups, one under the other (the screen shows them in two columns)."""
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    console = Console(width=120, record=True)
    for heading, bindings in screen.groups:
        console.print(screen._group_table(heading, bindings))
    return console.export_text()


def line_with(text: str, words: str) -> str:
    return next(line for line in text.splitlines() if words in line)


async def test_a_remapped_key_works_and_the_old_one_no_longer_does(reader_home: Path):
    app = app_with_config(reader_home, 'keys:\n  next_section: "}"\n  search: ctrl+k\n')
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        sections = view.document.sections
        await pilot.press("tab")
        assert app.focused is view

        await pilot.press("right_square_bracket")  # the default key: nothing now
        assert view.scroll_y == 0 and view.current_section() != sections[0]
        await pilot.press("right_curly_bracket")
        assert view.current_section() == sections[0]
        await pilot.press("right_curly_bracket")
        assert view.current_section() == sections[1]
        assert "right_curly_bracket" in app.screen.active_bindings  # so the footer shows it

        await pilot.press("slash")
        assert app.focused is view
        await pilot.press("ctrl+k")
        assert isinstance(app.focused, SearchBar)
        assert messages(app) == []


async def test_vim_and_arrow_keys_both_work_by_default(reader_home: Path):
    app = app_with_config(reader_home, "keys:\n  search: ctrl+k\n")
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        await pilot.press("tab")
        await pilot.press("j", "j")
        after_j = view.cursor_row
        await pilot.press("down", "down")
        after_down = view.cursor_row
        assert 0 < after_j < after_down
        await pilot.press("k")
        after_k = view.cursor_row
        await pilot.press("up")
        assert view.cursor_row < after_k < after_down


async def test_help_shows_the_keys_in_force(reader_home: Path):
    app = app_with_config(reader_home, 'keys:\n  next_section: "}"\n  search: ctrl+k\n  next_hit: "n, ctrl+n"\n')
    async with app.run_test(size=(120, 50)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = help_text(app)
        assert line_with(text, "Next section").split()[0] == "}"
        assert "]" not in line_with(text, "Next section")
        assert line_with(text, "Search").split()[0] == "Ctrl+K"
        assert line_with(text, "Next hit").split()[:2] == ["n", "Ctrl+N"]
        assert line_with(text, "Prev section").split()[0] == "["  # the others as they were
        lines = text.splitlines()  # a binding given other keys keeps its place in its group
        assert lines.index(line_with(text, "Next section")) + 1 == lines.index(line_with(text, "Prev section"))


async def test_bad_keys_are_a_notification_naming_the_line_and_the_rest_applies(reader_home: Path):
    app = app_with_config(
        reader_home,
        "theme: nord\n"
        "keys:\n"
        "  serch: ctrl+k\n"
        "  find: pgdn\n"
        "  outline: control+o\n"
        '  next_section: "}"\n'
        "  next_hit: v\n",
    )
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        config = str(app.config.path)
        notes = "\n".join(messages(app)).splitlines()
        assert any(
            line.startswith(f"{config}:3: keys: no binding is named 'serch' (did you mean search? known: ")
            for line in notes
        )
        assert f"{config}:4: keys: find: 'pgdn' is not a key: no key is named 'pgdn'; did you mean 'pagedown'?" in notes
        assert any(line.startswith(f"{config}:5: keys: outline: 'control+o' is not a key") for line in notes)
        assert (
            f"{config}:7: keys: v for next_hit is also the key of select_block; only one of them can work" in notes
        )
        assert app.keymap == {"next_section": "right_curly_bracket", "next_hit": "v"}
        await pilot.press("tab", "right_curly_bracket")
        assert view.current_section() == view.document.sections[0]
        assert app.is_running


async def test_the_theme_chosen_in_the_palette_is_remembered(reader_home: Path):
    app = app_with_config(reader_home)
    state_file = app.state_file
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.pause()
        assert not state_file.exists()  # nothing chosen yet, nothing written
        await pilot.press("ctrl+p", *"theme")
        await wait_until(pilot, lambda: palette_has(app, "Change the current theme"))
        await pilot.press("enter")
        await pilot.press(*"dracula")
        await wait_until(pilot, lambda: palette_has(app, "dracula"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.theme == "dracula" and state_file.exists())
    assert load_state(state_file) == State(theme="dracula")

    again = app_with_config(reader_home)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "dracula"
        assert messages(again) == []


async def test_the_config_theme_is_the_default_and_a_later_edit_of_it_wins(reader_home: Path):
    app = app_with_config(reader_home, "theme: nord\n")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        app.theme = "gruvbox"  # as the palette does
        await wait_until(pilot, lambda: app.state_file.exists())
    assert load_state(app.state_file) == State(theme="gruvbox", config_theme="nord")

    same_config = app_with_config(reader_home, "theme: nord\n")
    async with same_config.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert same_config.theme == "gruvbox"  # chosen after the config said nord

    edited = app_with_config(reader_home, "theme: monokai\n")
    async with edited.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert edited.theme == "monokai"  # the config was changed after the choice
    assert load_state(app.state_file) == State()  # and the old choice is not kept for later


async def test_a_damaged_state_file_is_a_notice_not_a_crash(reader_home: Path):
    app = app_with_config(reader_home, "theme: nord\n")
    app.state_file.parent.mkdir(parents=True, exist_ok=True)
    app.state_file.write_text('{"theme": ', encoding="utf-8")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        [notice] = messages(app)
        assert notice.startswith(f"{app.state_file}:1: not valid JSON") and "\n" not in notice
        app.theme = "dracula"
        await wait_until(pilot, lambda: app.state_file.read_text(encoding="utf-8") != '{"theme": ')
    assert json.loads(app.state_file.read_text(encoding="utf-8"))["theme"] == "dracula"


async def test_a_remembered_theme_that_no_longer_exists_is_a_notice(reader_home: Path):
    app = app_with_config(reader_home)
    save_state(app.state_file, State(theme="gone-theme"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert messages(app) == ["The theme chosen last, 'gone-theme', is not available"]

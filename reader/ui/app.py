"""ReaderApp: the two-pane reader. Core and storage objects are handed in."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from reader.resources import styles_dir
from reader.storage.config import Config
from reader.storage.paths import Paths
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.notes_panel import NotesPanel

__all__ = ["ReaderApp"]


class ReaderApp(App[None]):
    """A calm, keyboard-first reader for a library of documents."""

    TITLE = "reader"
    CSS_PATH = str(styles_dir() / "reader.tcss")
    COMMANDS = App.COMMANDS | {lambda: _document_commands()}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+p", "command_palette", "Palette", id="command_palette", show=False),
    ]

    def __init__(self, library_paths: list[Path], config: Config | None = None, paths: Paths | None = None) -> None:
        super().__init__()
        self.library_paths = library_paths
        self.config = config or Config()
        self.paths = paths or Paths.from_environment()

    def on_mount(self) -> None:
        # worker threads (indexing, search) hand the GIL back to the UI more often:
        # frames late by ~5 ms became ~1 ms in the shared design's measurements
        sys.setswitchinterval(0.001)
        theme = self.config.theme
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                known = ", ".join(sorted(self.available_themes))
                self.notify(f"Unknown theme {theme!r} in {self.config.path}; known: {known}", severity="error")

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.library_paths, self.paths.index_dir, self.paths.data_dir)

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_groups()))

    def help_groups(self) -> list[tuple[str, list[Binding]]]:
        """The bindings in force, grouped by where they work (inherited ones included)."""
        return [
            ("Everywhere", _bindings(ReaderApp) + _bindings(MainScreen)),
            ("Library (list pane)", _bindings(DocumentList)),
            ("Reading (content pane)", _bindings(DocumentView)),
            ("Notes panel (A)", _bindings(NotesPanel)),
        ]


# sideways scrolling (documents are wrapped) and Textual's own plumbing
def _document_commands() -> type:
    """The palette's document provider, imported when the palette first opens."""
    from reader.ui.commands import DocumentCommands

    return DocumentCommands


_NOT_IN_HELP = {
    "scroll_left",
    "scroll_right",
    "page_left",
    "page_right",
    "help_quit",
    "app.focus_previous",
    "screen.copy_text",
}


def _bindings(owner: type) -> list[Binding]:
    """Every binding a class has, its ancestors' first, as Textual merges them."""
    merged = owner._merged_bindings  # type: ignore[attr-defined]
    return [
        binding
        for bindings in merged.key_to_bindings.values()
        for binding in bindings
        if binding.action not in _NOT_IN_HELP
    ]

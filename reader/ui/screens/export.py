"""The export dialog: which notes, in which format, to which file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select

from reader.core.export import EXTENSIONS, FORMATS
from reader.core.visible import has_unsafe, visible

__all__ = ["ExportDialog", "ExportChoice", "SCOPES"]

SCOPES = {"document": "This document", "all": "All notes", "results": "The documents found by the search"}
_FORMAT_NAMES = {"markdown": "Markdown", "json": "JSON (re-importable)", "html": "HTML page", "org": "Org", "csv": "CSV (Readwise)"}


@dataclass(frozen=True, slots=True)
class ExportChoice:
    format: str
    scope: str  # a key of SCOPES
    path: Path
    force: bool  # the user confirmed replacing an existing file


def default_path(folder: Path, fmt: str) -> Path:
    return folder / f"reader-notes{EXTENSIONS.get(fmt, '.txt')}"


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Choose format, scope and file; ``Enter`` or the button exports, ``Esc`` cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_export")]

    def __init__(self, scopes: list[str], folder: Path, scope: str = "document") -> None:
        super().__init__()
        self.scopes = scopes
        # the file name offered is shown as typed text: a folder whose name holds a control
        # (which the input would send to the terminal as it is) gives way to the home folder
        self.folder = Path.home() if has_unsafe(str(folder)) else folder
        self.scope = scope if scope in scopes else scopes[0]
        self._confirm: Path | None = None  # a path the user was warned about once

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label("Export notes", classes="dialog-title")
            yield Select(
                [(_FORMAT_NAMES[fmt], fmt) for fmt in FORMATS], value="markdown", allow_blank=False, id="export-format"
            )
            with RadioSet(id="export-scope"):
                for key in self.scopes:
                    yield RadioButton(SCOPES[key], value=key == self.scope, id=f"scope-{key}")
            yield Input(str(default_path(self.folder, "markdown")), id="export-path")
            yield Label("", id="export-message", classes="dim")
            with Horizontal(id="export-buttons"):
                yield Button("Export  enter", id="export-go", variant="primary")
                yield Button("Cancel  esc", id="export-cancel")

    def on_mount(self) -> None:
        path_input = self.query_one("#export-path", Input)
        path_input.focus()
        path_input.cursor_position = len(path_input.value)  # the file name in view, ready to edit

    @on(Select.Changed, "#export-format")
    def format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path.stem == "reader-notes":  # still the default name: follow the format
            path_input.value = str(path.with_suffix(EXTENSIONS.get(str(event.value), ".txt")))
        self._confirm = None

    @on(Input.Changed, "#export-path")
    def path_changed(self) -> None:
        self._confirm = None
        self.query_one("#export-message", Label).update("")

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def export(self) -> None:
        message = self.query_one("#export-message", Label)
        fmt = str(self.query_one("#export-format", Select).value)
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            message.update("Give a file name.")
            return
        from reader.storage.export_file import BadTarget, check_target
        from reader.storage.paths import PathError, expand_user

        try:
            path = expand_user(raw)
            if not path.is_absolute():
                path = self.folder / path
            # the same rules as the command line: symlinks followed; folders, devices, FIFOs, read-only refused
            existing = check_target(path).existing is not None
        except (BadTarget, PathError) as error:
            text = str(error)
            message.update(Content(visible(text[:1].upper() + text[1:] + ".")))
            return
        force = False
        if existing and fmt != "markdown":
            if self._confirm != path:
                self._confirm = path
                message.update(Content(f"{visible(path.name)} exists. Export again to replace it."))
                return
            force = True
        pressed = self.query_one(RadioSet).pressed_button
        scope = pressed.id.removeprefix("scope-") if pressed and pressed.id else self.scope
        self.dismiss(ExportChoice(fmt, scope, path, force))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

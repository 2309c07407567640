"""The help screen, generated from the bindings that are really in force."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Label, Static

__all__ = ["HelpScreen", "key_label"]

_KEY_NAMES = {
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
    "slash": "/",
    "backslash": "\\",
    "plus": "+",
    "minus": "-",
    "underscore": "_",
    "at": "@",
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_label(key: str) -> str:
    """A key as people write it: ``ctrl+p`` → ``Ctrl+P``, ``right_curly_bracket`` → ``}``."""
    *modifiers, name = key.split("+")
    parts = [modifier.capitalize() for modifier in modifiers]
    if name in _KEY_NAMES:
        parts.append(_KEY_NAMES[name])
    elif len(name) == 1:
        parts.append(name.upper() if parts else name)
    elif (character := key_to_character(name)) is not None and character.isprintable() and not character.isspace():
        parts.append(character.upper() if parts else character)
    else:
        parts.append(name.capitalize())
    return "+".join(parts)


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works: taken from the live bindings."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss(None)", "Close", id="close_help")]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups
        self.table = self._table()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            yield Static(self.table, id="help-table")
            yield Label(
                f"{self._palette_key()} opens the command palette: any document by title, and every command.",
                classes="dim",
                markup=False,
            )

    def _palette_key(self) -> str:
        """The palette's first key in force (the config may give it another)."""
        for _, bindings in self.groups:
            for binding in bindings:
                if binding.action == "command_palette":
                    return key_label(binding.key.split(",")[0].strip())
        return "Ctrl+P"

    def _table(self) -> Table:
        """The groups in two columns, so that every key fits on an 80×24 screen."""
        tables = [self._group_table(heading, bindings) for heading, bindings in self.groups]
        half = (len(tables) + 1) // 2
        layout = Table.grid(padding=(0, 4))
        layout.add_column()
        layout.add_column()
        layout.add_row(Group(*tables[:half]), Group(*tables[half:]))
        return layout

    @staticmethod
    def _group_table(heading: str, bindings: list[Binding]) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold")
        table.add_column()
        table.add_row("", Text(heading, style="bold underline"))
        # one row per action: its keys together, the last (most specific) description
        merged: dict[str, tuple[str, list[str]]] = {}
        for binding in bindings:
            description = binding.description or binding.action.replace("_", " ").capitalize()
            _, keys = merged.get(binding.action, ("", []))
            for key in binding.key.split(","):
                label = key_label(key.strip())
                if label not in keys:
                    keys.append(label)
            merged[binding.action] = (description, keys)
        for description, keys in merged.values():
            table.add_row(" ".join(keys), description)
        table.add_row("", "")
        return table

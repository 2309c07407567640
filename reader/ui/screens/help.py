"""The help screen, generated from the bindings that are really in force."""

from __future__ import annotations

from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Label, Static

__all__ = ["HelpScreen", "key_label"]

_COLUMN_GAP = 3

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

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close", id="close_help"),
        Binding("j", "scroll('down')", "Scroll down", show=False),
        Binding("k", "scroll('up')", "Scroll up", show=False),
        Binding("space", "scroll('page_down')", "Page down", show=False),
    ]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups
        self.table = self._table()
        self._laid_out_for = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Label("Keys", classes="dialog-title")
            yield Static(self.table, id="help-table")
            yield Label(
                f"{self._palette_key()} opens the command palette: any document by title, and every command.",
                classes="dim",
                markup=False,
            )
        yield Label("", id="help-more", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()

    def on_resize(self) -> None:
        """As many columns as the width takes; what the height does not take scrolls."""
        dialog = self.query_one("#help-dialog", VerticalScroll)
        width = dialog.scrollable_content_region.width or self.size.width - 4
        if width != self._laid_out_for:
            self._laid_out_for = width
            self.table = self._table(width)
            self.query_one("#help-table", Static).update(self.table)
        self.call_after_refresh(self._say_more)

    def _say_more(self) -> None:
        dialog = self.query_one("#help-dialog", VerticalScroll)
        more = self.query_one("#help-more", Label)
        more.update("j/k, Space, PgUp/PgDn: more keys below · Esc closes" if dialog.max_scroll_y > 0 else "")

    def action_scroll(self, how: str) -> None:
        dialog = self.query_one("#help-dialog", VerticalScroll)
        getattr(dialog, f"scroll_{how}")(animate=False)

    def _palette_key(self) -> str:
        """The palette's first key in force (the config may give it another)."""
        for _, bindings in self.groups:
            for binding in bindings:
                if binding.action == "command_palette":
                    return key_label(binding.key.split(",")[0].strip())
        return "Ctrl+P"

    def _table(self, width: int = 0) -> Table:
        """The keys in as many columns as ``width`` takes (two without a width), about as tall
        as each other: a long group goes on in the next column, its heading said again."""
        groups = [(heading, _group_rows(bindings)) for heading, bindings in self.groups]
        console = Console(width=1000)
        columns: list[list[tuple[str, list[tuple[str, str]]]]] = _flow(groups, 2)
        for count in range(5, 1, -1) if width else ():
            flowed = _flow(groups, count)
            needed = sum(
                max(Measurement.get(console, console.options, _chunk_table(*chunk)).maximum for chunk in column)
                for column in flowed
            ) + _COLUMN_GAP * (len(flowed) - 1)
            if needed <= width:
                columns = flowed
                break
        else:
            if width:
                columns = _flow(groups, 1)
        layout = Table.grid(padding=(0, _COLUMN_GAP))
        for _ in columns:
            layout.add_column()
        layout.add_row(*(Group(*(_chunk_table(*chunk) for chunk in column)) for column in columns))
        return layout

    @staticmethod
    def _group_table(heading: str, bindings: list[Binding]) -> Group:
        return _chunk_table(heading, _group_rows(bindings))


def _group_rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    """One row per action: its keys together, the last (most specific) description."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for binding in bindings:
        description = binding.description or binding.action.replace("_", " ").capitalize()
        _, keys = merged.get(binding.action, ("", []))
        for key in binding.key.split(","):
            label = key_label(key.strip())
            if label not in keys:
                keys.append(label)
        merged[binding.action] = (description, keys)
    return [(" ".join(keys), description) for description, keys in merged.values()]


def _chunk_table(heading: str, rows: list[tuple[str, str]]) -> Group:
    """A heading over its keys and what they do (the heading above, so it widens no column)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for keys, description in rows:
        table.add_row(keys, description)
    table.add_row("", "")
    return Group(Text(heading, style="bold underline"), table)


def _flow(
    groups: list[tuple[str, list[tuple[str, str]]]], count: int
) -> list[list[tuple[str, list[tuple[str, str]]]]]:
    """The groups' rows poured into ``count`` columns of about equal height (a heading and a
    blank row count too); a group cut at a column's end goes on under its heading, marked."""
    total = sum(len(rows) + 2 for _, rows in groups)
    height = -(-total // count)
    columns: list[list[tuple[str, list[tuple[str, str]]]]] = [[]]
    used = 0
    for heading, rows in groups:
        title = heading
        rest = list(rows)
        while rest:
            room = height - used - 2
            if room < min(3, len(rest)) and used and len(columns) < count:
                columns.append([])  # no heading left alone at a column's foot
                used = 0
                continue
            if len(columns) == count:
                room = len(rest)  # the last column takes what is left
            taken, rest = rest[: max(room, 1)], rest[max(room, 1) :]
            columns[-1].append((title, taken))
            used += len(taken) + 2
            title = f"{heading} (more)"
            if rest and len(columns) < count:
                columns.append([])
                used = 0
    return [column for column in columns if column]

"""The help screen, generated from the bindings that are really in force."""

from __future__ import annotations

from itertools import combinations

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
        """The groups side by side in as many columns as ``width`` takes (two without a
        width), each column about as tall as the others."""
        tables = [self._group_table(heading, bindings) for heading, bindings in self.groups]
        console = Console(width=1000)
        widths = [Measurement.get(console, console.options, table).maximum for table in tables]
        heights = [table.row_count for table in tables]
        columns = _best_columns(widths, heights, width) if width else _split(heights, min(2, len(tables)))
        layout = Table.grid(padding=(0, _COLUMN_GAP))
        for _ in columns:
            layout.add_column()
        layout.add_row(*(Group(*tables[first:last]) for first, last in columns))
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


def _split(heights: list[int], count: int) -> list[tuple[int, int]]:
    """The groups (in order) in ``count`` columns, as (first, last) ranges, the tallest as low as can be."""
    best: list[tuple[int, int]] = [(0, len(heights))]
    tallest = sum(heights)
    for cuts in combinations(range(1, len(heights)), count - 1):
        bounds = [0, *cuts, len(heights)]
        ranges = list(zip(bounds, bounds[1:], strict=False))
        height = max(sum(heights[first:last]) for first, last in ranges)
        if height < tallest:
            best, tallest = ranges, height
    return best


def _best_columns(widths: list[int], heights: list[int], width: int) -> list[tuple[int, int]]:
    """The most columns whose groups fit side by side in ``width`` cells (one if none do)."""
    for count in range(len(widths), 1, -1):
        ranges = _split(heights, count)
        needed = sum(max(widths[first:last]) for first, last in ranges) + _COLUMN_GAP * (count - 1)
        if needed <= width:
            return ranges
    return [(0, len(widths))]

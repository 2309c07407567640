"""KeyFooter: one line of keys, those that matter where the focus is, always with help.

Textual's ``Footer`` lists the bindings in the focus chain's order and cuts the line at
the screen's edge: at 80 columns it showed none of ``?``, ``/`` or ``q``, and it was
rebuilt (a widget per key) about a second after each Tab. This footer draws one
``Text`` in the frame the focus moves, and chooses what fits by rank: help first, then
the focused pane's first keys, search, quit and the palette, then the rest.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

__all__ = ["KeyFooter", "choose_keys"]

_FIRST = ("help",)  # always shown, at the left
_THEN = ("search", "quit", "command_palette")  # after the pane's first keys
_PANE_FIRST = 4  # the focused pane's keys that come before search, quit and the palette
_GAP = 2


class KeyFooter(Static):
    """The keys in force, fitted to the width by rank (see the module's docstring)."""

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)

    def on_mount(self) -> None:
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._draw()

    def _focus_moved(self) -> None:
        self._draw()

    def _bindings_changed(self, _screen: object) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._draw()

    def keys(self) -> list[tuple[str, str]]:
        """What the footer shows now, as (key, description), left to right."""
        return choose_keys(self._candidates(), max(self.size.width, 1))

    def _candidates(self) -> list[tuple[str, str, str, bool]]:
        """(key, description, action or id, in the focused pane) for each shown binding."""
        screen = self.screen
        focused = screen.focused
        found: list[tuple[str, str, str, bool]] = []
        seen: set[str] = set()
        active_bindings = [active for active in screen.active_bindings.values() if active.enabled]
        # the keys shown first; then a hidden key of help, search, quit or the palette
        # when none of its keys is shown (Textual's ctrl+q is not the footer's quit)
        for shown in (True, False):
            for active in active_bindings:
                binding: Binding = active.binding
                name = _name(binding)
                if binding.show != shown or name in seen or not (shown or name in _FIRST + _THEN):
                    continue
                seen.add(name)
                key = self.app.get_key_display(binding)
                description = binding.description or binding.action.replace("_", " ").capitalize()
                found.append((key, description, name, active.node is focused and focused is not screen))
        return found

    def _draw(self) -> None:
        if not self.is_mounted:
            return
        key_style = self.get_component_rich_style("key-footer--key", partial=True)
        description_style = self.get_component_rich_style("key-footer--description", partial=True)
        text = Text(" ", no_wrap=True, overflow="crop")
        for index, (key, description) in enumerate(self.keys()):
            if index:
                text.append(" " * _GAP)
            text.append(key, key_style)
            text.append(" " + description, description_style)
        self.update(text)


def _name(binding: Binding) -> str:
    """A binding's id, or its action (Textual's own bindings have no id)."""
    return binding.id or binding.action


def choose_keys(candidates: list[tuple[str, str, str, bool]], width: int) -> list[tuple[str, str]]:
    """The keys that fit in ``width`` cells, by rank, shown in the order given (help first).

    ``candidates``: (key, description, name, in the focused pane) in the focus chain's
    order. Ranked: help; the focused pane's first few keys; search, quit, the palette;
    the rest as they come.
    """

    def rank(item: tuple[int, tuple[str, str, str, bool]]) -> tuple[int, int]:
        index, (_, _, name, in_pane) = item
        if name in _FIRST:
            return (0, index)
        if in_pane and sum(1 for _, _, _, pane in candidates[:index] if pane) < _PANE_FIRST:
            return (1, index)
        if name in _THEN:
            return (2, _THEN.index(name))
        return (3, index)

    chosen: set[int] = set()
    used = 1  # the left padding
    for index, (key, description, _, _) in sorted(enumerate(candidates), key=rank):
        cells = cell_len(key) + 1 + cell_len(description) + (_GAP if chosen else 0)
        if used + cells > width:
            continue
        chosen.add(index)
        used += cells

    def place(index: int) -> tuple[int, int]:
        name = candidates[index][2]
        if name in _FIRST:
            return (0, index)
        if name in _THEN:
            return (2, _THEN.index(name))
        return (1, index)

    return [(candidates[index][0], candidates[index][1]) for index in sorted(chosen, key=place)]

"""A list drawn a screen at a time, however many items it holds.

Textual's OptionList renders and measures every option when its options are
set: 50,000 documents kept the app busy for seconds each time the library was
listed, sorted or its progress loaded. This list knows only how many items it
has and how tall each one is (one height for all, or a height per item for a
short list such as search results); it renders the items on screen when they are
drawn, and keeps them until the width or the items change.

A subclass says how many items there are and draws one (:meth:`render_item`);
the list moves a highlight over them with the keys of an OptionList, scrolls it
into view, and posts :class:`VirtualList.Selected` on Enter or a click.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence

from rich.cells import cell_len
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["VirtualList"]

_CACHE = 512  # items kept rendered (a few screens' worth)


class VirtualList(ScrollView, can_focus=True):
    """Items of ``item_height`` lines (or of ``heights``), one highlighted, drawn as they show."""

    BINDINGS = [  # as an OptionList has them, so the help and the keymap read the same
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("home", "first", "First", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]

    COMPONENT_CLASSES = {"virtual-list--highlighted"}

    highlighted: reactive[int | None] = reactive(None, always_update=True)

    class Selected(Message):
        """An item was chosen (Enter, or a click)."""

        def __init__(self, virtual_list: VirtualList, index: int) -> None:
            super().__init__()
            self.virtual_list = virtual_list
            self.index = index

        @property
        def control(self) -> VirtualList:
            return self.virtual_list

    def __init__(self, *, item_height: int = 1, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item_height = item_height
        self._count = 0
        self._tops: list[int] | None = None  # each item's first line, when heights differ
        self._rendered: dict[int, list[Strip]] = {}
        self._rendered_width = 0
        self._keyed: dict[Hashable, list[Strip]] = {}  # by ``item_key``: kept when the items change

    # -- what the subclass gives --------------------------------------------------------

    def render_item(self, index: int, width: int) -> RenderableType:
        """What item ``index`` shows in ``width`` columns (drawn with one column of padding each side)."""
        raise NotImplementedError

    def item_key(self, index: int) -> Hashable | None:
        """What decides item ``index``'s look, if the subclass can say: an item drawn before
        with the same key is not drawn again when the items change (search results,
        keystroke after keystroke). ``None``: drawn again after every change."""
        return None

    # -- items ----------------------------------------------------------------------------

    @property
    def item_count(self) -> int:
        return self._count

    def set_item_count(self, count: int, heights: Sequence[int] | None = None, highlight: int | None = 0) -> None:
        """The list now holds ``count`` items (``heights``: each one's, else ``item_height``)."""
        self._count = count
        if heights is None:
            self._tops = None
        else:
            tops, line = [], 0
            for height in heights:
                tops.append(line)
                line += max(height, 1)
            tops.append(line)
            self._tops = tops
        self._rendered.clear()
        self.virtual_size = Size(self._content_width(), self._line_count())
        self.highlighted = None if not count or highlight is None else min(max(highlight, 0), count - 1)
        self.refresh()

    def refresh_item(self, index: int) -> None:
        """Item ``index`` changed: draw it again."""
        self._rendered.pop(index, None)
        self.refresh()

    def item_lines(self, renderable: RenderableType, width: int) -> int:
        """How many lines ``renderable`` takes at ``width`` (for a subclass's ``heights``)."""
        inner = max(width - 2, 1)
        if isinstance(renderable, Text) and "\t" not in renderable.plain:
            lines = renderable.plain.split("\n")
            if all(cell_len(line) <= inner for line in lines):
                return len(lines)  # nothing wraps: no need to render it (search results, per keystroke)
        console = self.app.console
        options = console.options.update_width(inner)
        return len(console.render_lines(renderable, options, pad=False, new_lines=False))

    def item_at_line(self, line: int) -> int | None:
        if line < 0 or not self._count:
            return None
        if self._tops is None:
            index = line // self.item_height
        else:
            index = bisect_right(self._tops, line) - 1
        return index if index < self._count else None

    def _top(self, index: int) -> int:
        return index * self.item_height if self._tops is None else self._tops[index]

    def _height(self, index: int) -> int:
        return self.item_height if self._tops is None else self._tops[index + 1] - self._tops[index]

    def _line_count(self) -> int:
        return self._count * self.item_height if self._tops is None else self._tops[-1]

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    # -- the highlight ----------------------------------------------------------------------

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self._count:
            return None
        return min(max(index, 0), self._count - 1)

    def watch_highlighted(self) -> None:
        self.scroll_to_highlight()
        self.refresh()

    def scroll_to_highlight(self) -> None:
        index = self.highlighted
        if index is None:
            return
        top, height = self._top(index), self._height(index)
        view = self.scrollable_content_region.height
        if view <= 0:
            return
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
        elif top + height > self.scroll_y + view:
            self.scroll_to(y=top + min(height, view) - view, animate=False, immediate=True, force=True)

    def action_cursor_down(self) -> None:
        self.highlighted = 0 if self.highlighted is None else self.highlighted + 1

    def action_cursor_up(self) -> None:
        self.highlighted = 0 if self.highlighted is None else self.highlighted - 1

    def action_first(self) -> None:
        self.highlighted = 0

    def action_last(self) -> None:
        self.highlighted = self._count - 1

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        if not self._count:
            return
        current = self.highlighted or 0
        line = self._top(current) + direction * max(self.scrollable_content_region.height, 1)
        target = self.item_at_line(min(max(line, 0), self._line_count() - 1))
        self.highlighted = current + direction if target is None or target == current else target

    def action_select(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Selected(self, self.highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.item_at_line(int(self.scroll_y) + offset.y)
        if index is not None:
            self.highlighted = index
            self.post_message(self.Selected(self, index))

    # -- drawing -------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.virtual_size = Size(self._content_width(), self._line_count())
        self.scroll_to_highlight()

    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        super()._on_blur(event)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self._content_width()
        base = self.rich_style
        line = int(self.scroll_y) + y
        index = self.item_at_line(line)
        if index is None:
            return Strip.blank(width, base)
        strip = self._lines_of(index, width, base)[line - self._top(index)]
        if index == self.highlighted:
            style = self.get_component_rich_style("virtual-list--highlighted")
            strip = Strip(Segment.apply_style(iter(strip), post_style=style), strip.cell_length)
        return strip

    def _lines_of(self, index: int, width: int, base: Style) -> list[Strip]:
        if width != self._rendered_width:
            self._rendered.clear()
            self._keyed.clear()
            self._rendered_width = width
        lines = self._rendered.get(index)
        if lines is None:
            if len(self._rendered) >= _CACHE:
                self._rendered.clear()
            key = self.item_key(index)
            if key is not None:
                key = (key, base, self._height(index))
                lines = self._keyed.get(key)
            if lines is None:
                lines = self._render(index, width, base)
                if key is not None:
                    if len(self._keyed) >= _CACHE:
                        self._keyed.clear()
                    self._keyed[key] = lines
            self._rendered[index] = lines
        return lines

    def _render(self, index: int, width: int, base: Style) -> list[Strip]:
        console = self.app.console
        inner = max(width - 2, 1)
        height = self._height(index)
        options = console.options.update(width=inner, height=height)
        rendered = console.render_lines(self.render_item(index, inner), options, style=base, pad=True, new_lines=False)
        pad = Segment(" ", base)
        lines = [Strip([pad, *segments, pad]).crop(0, width) for segments in rendered[:height]]
        while len(lines) < height:
            lines.append(Strip.blank(width, base))
        return lines

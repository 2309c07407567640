"""The content pane: a document drawn with Textual's line API.

Blocks are wrapped into rows for the current width (spans into the document's
normalized text, see :mod:`reader.core.wrap`) and only the visible rows are
rendered, each as a cached ``Strip``. That keeps a 5 MB document as cheap to
open and scroll as a short article. Rows know their document offsets, so the
reading position, section and (later) hits and notes map both ways.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.document import Block, BlockKind, Document, Section
from reader.core.wrap import cell_width, wrap

__all__ = ["DocumentView"]

MEASURE = 84  # the widest text column: a readable line length
_GLUED = {BlockKind.LIST_ITEM, BlockKind.PRE}  # no blank row between two of these
_STYLE_NAMES = {
    BlockKind.TITLE: "title",
    BlockKind.BYLINE: "byline",
    BlockKind.HEADING: "heading",
    BlockKind.QUOTE: "quote",
    BlockKind.CODE: "code",
    BlockKind.PRE: "pre",
    BlockKind.RULE: "rule",
}


class DocumentView(ScrollView, can_focus=True):
    """Shows one document; scrolls, jumps between sections, reports where it is."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False),
        Binding("k", "scroll_up", "Up", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "End", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("shift+space", "page_up", "Page up", show=False),
        Binding("right_square_bracket", "next_section", "Next section", id="next_section"),
        Binding("left_square_bracket", "previous_section", "Prev section", id="previous_section"),
        Binding("n", "next_hit", "Next hit", id="next_hit"),
        Binding("N", "previous_hit", "Prev hit", id="previous_hit"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_hit", "previous_hit") and not self._hits:
            return False  # only while there are hits
        return True

    COMPONENT_CLASSES = {
        "document-view--title",
        "document-view--byline",
        "document-view--heading",
        "document-view--subheading",
        "document-view--label",
        "document-view--quote",
        "document-view--quote-bar",
        "document-view--code",
        "document-view--pre",
        "document-view--marker",
        "document-view--rule",
        "document-view--strong",
        "document-view--em",
        "document-view--link",
        "document-view--placeholder",
        "document-view--hit",
        "document-view--current-hit",
    }

    class HitChanged(Message):
        """The current search hit changed: ``index`` of ``count`` (0-based)."""

        def __init__(self, index: int, count: int) -> None:
            super().__init__()
            self.index = index
            self.count = count

    class PositionChanged(Message):
        """The reading position moved: section, percent and the offset at the top."""

        def __init__(self, section: Section | None, percent: int, offset: int) -> None:
            super().__init__()
            self.section = section
            self.percent = percent
            self.offset = offset

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.document: Document | None = None
        self.placeholder = "Choose a document from the list."
        self._row_block = array("i")
        self._row_start = array("i")
        self._row_end = array("i")
        self._row_first = array("b")
        self._block_row = array("i")
        self._laid_out_width = 0
        self._margin = 0
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}
        self._last_position: tuple[int, int] | None = None
        self._pending_offset = 0
        self._hits: list[tuple[int, int]] = []
        self._hit_starts: list[int] = []
        self._longest_hit = 0
        self.current_hit = -1

    # -- public API -----------------------------------------------------------------

    def show(self, document: Document | None, offset: int = 0) -> None:
        """Show ``document`` with the text at ``offset`` at the top of the pane."""
        self.document = document
        self._laid_out_width = 0
        self._last_position = None
        self._hits, self._hit_starts, self.current_hit = [], [], -1
        if not self.container_size:
            # not laid out on screen yet: wrap at the first Resize, at the real width
            self._pending_offset = offset
            return
        self._layout()
        self.scroll_to_offset(offset)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._row_block)

    def row_of_offset(self, offset: int) -> int:
        """The row showing the document offset (the last row starting at or before it)."""
        if not self._row_start or self.document is None:
            return 0
        block = self.document.block_at(offset)
        first = self._block_row[block] if block >= 0 else 0
        row = first
        while (
            row + 1 < len(self._row_block)
            and self._row_block[row + 1] == block
            and self._row_start[row + 1] <= offset
        ):
            row += 1
        return row

    def offset_at_top(self) -> int:
        """The document offset of the first text row on screen."""
        row = int(self.scroll_y)
        while row < len(self._row_block) and self._row_block[row] < 0:
            row += 1
        if row >= len(self._row_block):
            return self.document.blocks[-1].start if self.document and self.document.blocks else 0
        return self._row_start[row]

    def scroll_to_offset(self, offset: int) -> None:
        self.scroll_to(y=self.row_of_offset(offset) if offset else 0, animate=False, immediate=True)

    def current_section(self) -> Section | None:
        if self.document is None or not self.document.sections:
            return None
        return self.document.section_at(self.offset_at_top())

    def percent(self) -> int:
        if self.document is None:
            return 0
        limit = self.max_scroll_y
        return 100 if limit <= 0 else min(100, round(self.scroll_y * 100 / limit))

    def jump_to_section(self, index: int) -> None:
        if self.document is None or not 0 <= index < len(self.document.sections):
            return
        row = self._block_row[self.document.sections[index].block]
        self.scroll_to(y=max(row - 1, 0), animate=False, immediate=True)

    # -- search hits ------------------------------------------------------------------

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    def set_hits(self, hits: list[tuple[int, int]], current: int | None = None) -> None:
        """Highlight ``hits`` (document offsets, in order); go to hit ``current`` if given."""
        self._hits = hits
        self._hit_starts = [start for start, _ in hits]
        self._longest_hit = max((end - start for start, end in hits), default=0)
        self.current_hit = -1
        self._cache.clear()
        self.refresh()
        if current is not None and hits:
            self.go_to_hit(current)

    def hit_after(self, offset: int) -> int:
        """The first hit at or after ``offset`` (the first hit when there is none)."""
        index = bisect_left(self._hit_starts, offset)
        return index if index < len(self._hits) else 0

    def go_to_hit(self, index: int) -> None:
        """Make hit ``index`` the current one and scroll it into view."""
        if not self._hits:
            return
        self.current_hit = index % len(self._hits)
        row = self.row_of_offset(self._hits[self.current_hit][0])
        top = int(self.scroll_y)
        height = max(self.scrollable_content_region.height, 1)
        if not top <= row < top + height - 1:
            self.scroll_to(y=max(row - height // 3, 0), animate=False, immediate=True)
        self._cache.clear()
        self.refresh()
        self.post_message(self.HitChanged(self.current_hit, len(self._hits)))

    def action_next_hit(self) -> None:
        if not self._hits:
            self.app.bell()
            return
        if self.current_hit < 0:
            self.go_to_hit(self.hit_after(self.offset_at_top()))
        else:
            self.go_to_hit(self.current_hit + 1)

    def action_previous_hit(self) -> None:
        if not self._hits:
            self.app.bell()
            return
        self.go_to_hit((self.current_hit if self.current_hit >= 0 else self.hit_after(self.offset_at_top())) - 1)

    # -- actions ----------------------------------------------------------------------

    def action_next_section(self) -> None:
        if self.document is None:
            return
        top = int(self.scroll_y)
        for index, section in enumerate(self.document.sections):
            if self._block_row[section.block] - 1 > top:
                self.jump_to_section(index)
                return
        self.app.bell()

    def action_previous_section(self) -> None:
        if self.document is None:
            return
        top = int(self.scroll_y)
        for index in range(len(self.document.sections) - 1, -1, -1):
            if self._block_row[self.document.sections[index].block] - 1 < top:
                self.jump_to_section(index)
                return
        if top > 0:
            self.scroll_home(animate=False)
        else:
            self.app.bell()

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    # -- layout -----------------------------------------------------------------------

    def on_resize(self) -> None:
        """Re-wrap for a new width, keeping the same text at the top."""
        if self.document is not None and self._laid_out_width != self._text_width():
            top = self.offset_at_top() if self._laid_out_width else self._pending_offset
            self._layout()
            self.scroll_to_offset(top)
            self._report_position()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width, 1)

    def _layout(self) -> None:
        width = self._text_width()
        self._laid_out_width = width
        self._cache.clear()
        rows_block, rows_start, rows_end, rows_first = array("i"), array("i"), array("i"), array("b")
        self._block_row = array("i")
        document = self.document
        if document is None:
            self._row_block, self._row_start, self._row_end, self._row_first = (
                rows_block,
                rows_start,
                rows_end,
                rows_first,
            )
            self.virtual_size = Size(width, 0)
            return
        measure = max(min(MEASURE, width - 2), 10)
        self._margin = max((width - measure) // 2, 1) if width > measure + 2 else 1
        previous: Block | None = None
        for index, block in enumerate(document.blocks):
            if previous is not None and not (block.kind in _GLUED and block.kind == previous.kind):
                rows_block.append(-1)
                rows_start.append(block.start)
                rows_end.append(block.start)
                rows_first.append(0)
            self._block_row.append(len(rows_block))
            indent = _indent(block)
            spans = [(0, 0)] if block.kind is BlockKind.RULE else wrap(block.text, measure - indent)
            for number, (start, end) in enumerate(spans):
                rows_block.append(index)
                rows_start.append(block.start + start)
                rows_end.append(block.start + end)
                rows_first.append(1 if number == 0 else 0)
            previous = block
        self._row_block, self._row_start, self._row_end, self._row_first = (
            rows_block,
            rows_start,
            rows_end,
            rows_first,
        )
        self._measure = measure
        self.virtual_size = Size(width, len(rows_block))

    # -- rendering --------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._report_position()

    def _report_position(self) -> None:
        if self.document is None:
            return
        position = (int(self.scroll_y), self.row_count)
        if position == self._last_position:
            return
        self._last_position = position
        self.post_message(self.PositionChanged(self.current_section(), self.percent(), self.offset_at_top()))

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"document-view--{name}", partial=True)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_y) + y
        width = self.size.width
        base = self.rich_style
        if self.document is None:
            if y == 1:
                text = self.placeholder[: max(width - 2, 0)]
                return Strip([Segment("  " + text, base + self._style("placeholder"))]).extend_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        if row >= len(self._row_block):
            return Strip.blank(width, base)
        cached = self._cache.get(row)
        if cached is not None and cached.cell_length == width:
            return cached
        strip = self._render_row(row, base).extend_cell_length(width, base).crop(0, width)
        self._cache[row] = strip
        return strip

    def _render_row(self, row: int, base: Style) -> Strip:
        assert self.document is not None
        block_index = self._row_block[row]
        if block_index < 0:
            return Strip([])
        block = self.document.blocks[block_index]
        start, end = self._row_start[row], self._row_end[row]
        first = bool(self._row_first[row])
        segments = [Segment(" " * self._margin, base)]
        style = base + self._block_style(block)
        prefix = _prefix(block, first)
        if prefix:
            name = "quote-bar" if block.kind is BlockKind.QUOTE else "marker"
            segments.append(Segment(prefix, base + self._style(name)))
        if block.kind is BlockKind.RULE:
            segments.append(Segment("─" * self._measure, base + self._style("rule")))
            return Strip(segments)
        segments.extend(self._text_segments(block, start, end, style))
        return Strip(segments)

    def _block_style(self, block: Block) -> Style:
        if block.kind is BlockKind.HEADING:
            return self._style("heading" if block.level <= 2 else "subheading")
        name = _STYLE_NAMES.get(block.kind)
        return self._style(name) if name else Style()

    def _text_segments(self, block: Block, start: int, end: int, style: Style) -> list[Segment]:
        """The row's text split wherever a mark or a search hit begins or ends."""
        assert self.document is not None
        text = self.document.text
        spans: list[tuple[int, int, Style]] = [
            (block.start + m.start, block.start + m.end, self._style(m.kind))
            for m in block.marks
            if block.start + m.end > start and block.start + m.start < end
        ]
        if self._hits:
            first = bisect_left(self._hit_starts, start - self._longest_hit)
            for index in range(first, len(self._hits)):
                hit_start, hit_end = self._hits[index]
                if hit_start >= end:
                    break
                if hit_end > start:
                    name = "current-hit" if index == self.current_hit else "hit"
                    spans.append((hit_start, hit_end, self._style(name)))
        if not spans:
            return [Segment(text[start:end], style)]
        cuts = {start, end}
        for a, b, _ in spans:
            cuts.add(max(a, start))
            cuts.add(min(b, end))
        points = sorted(cuts)
        segments = []
        for a, b in zip(points, points[1:], strict=False):
            piece_style = style
            for span_start, span_end, span_style in spans:
                if span_start <= a and span_end >= b:
                    piece_style = piece_style + span_style
            segments.append(Segment(text[a:b], piece_style))
        return segments

def _indent(block: Block) -> int:
    if block.kind is BlockKind.QUOTE:
        return 2
    if block.kind is BlockKind.CODE:
        return 2
    if block.kind is BlockKind.LIST_ITEM:
        return 2 * block.level + cell_width(block.marker) + 1
    if block.kind is BlockKind.PARAGRAPH and block.level:
        return 2 * block.level
    return 0


def _prefix(block: Block, first: bool) -> str:
    if block.kind is BlockKind.QUOTE:
        return "▌ "
    if block.kind is BlockKind.CODE:
        return "  "
    if block.kind is BlockKind.LIST_ITEM:
        pad = " " * (2 * block.level)
        return pad + (block.marker + " " if first else " " * (cell_width(block.marker) + 1))
    if block.kind is BlockKind.PARAGRAPH and block.level:
        return " " * (2 * block.level)
    return ""

"""The content pane: a document drawn with Textual's line API.

Blocks are wrapped into rows for the current width (spans into the document's
normalized text, see :mod:`reader.core.wrap`) and only the visible rows are
rendered, each as a cached ``Strip``. That keeps a 5 MB document as cheap to
open and scroll as a short article. Rows know their document offsets, so the
reading position, section, hits and notes map both ways.

A cursor row (``j``/``k``) marks where the reader is; a selection (a block with
``v``, extended by rows with ``J``/``K`` or by words with ``shift+←/→``, or
dragged with the mouse) is what ``a`` annotates. Notes are drawn as highlighted
passages with a mark in the left margin; bookmarks as a mark only.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.document import Block, BlockKind, Document, Section
from reader.core.visible import visible_in_place
from reader.core.wrap import cell_width, wrap
from reader.ui.widgets.text_spans import column_offset, next_word_end, previous_word_end, trim_span, word_span

__all__ = ["DocumentView"]

MEASURE = 84  # the widest text column: a readable line length
_MEASURE_STEP = 4  # cells wider or narrower per + or -
_MEASURE_LIMITS = (30, 240)
_WRAP_HERE = 20_000  # rows: a document with more is wrapped again in a worker when the pane is resized
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
        Binding("j", "scroll_down", "Down", show=False, id="down"),
        Binding("k", "scroll_up", "Up", show=False, id="up"),
        Binding("g", "scroll_home", "Top", show=False, id="top"),
        Binding("G", "scroll_end", "End", show=False, id="bottom"),
        Binding("space", "page_down", "Page down", show=False, id="page_down"),
        Binding("shift+space", "page_up", "Page up", show=False, id="page_up"),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="half_page_down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="half_page_up"),
        Binding("plus,equals_sign", "wider", "Wider text", show=False, id="wider"),
        Binding("minus", "narrower", "Narrower text", show=False, id="narrower"),
        Binding("right_square_bracket", "next_section", "Next section", id="next_section"),
        Binding("left_square_bracket", "previous_section", "Prev section", id="previous_section"),
        Binding("n", "next_hit", "Next hit", id="next_hit"),
        Binding("N", "previous_hit", "Prev hit", id="previous_hit"),
        Binding("v", "select_block", "Select", id="select_block"),
        Binding("J,shift+down", "extend_down", "Extend down", id="extend_down", show=False),
        Binding("K,shift+up", "extend_up", "Extend up", id="extend_up", show=False),
        Binding("L,shift+right", "extend_word", "Extend by a word", id="extend_word", show=False),
        Binding("H,shift+left", "shrink_word", "Shrink by a word", id="shrink_word", show=False),
        Binding("escape", "clear_selection", "Clear selection", id="clear_selection", show=False),
        Binding("a", "annotate", "Annotate", id="annotate"),
        Binding("b", "bookmark", "Bookmark", id="bookmark"),
        Binding("y", "copy", "Copy", id="copy_selection"),
        Binding("E", "edit_file", "Edit the file", id="edit_file", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_hit", "previous_hit") and not self._hits:
            return False  # only while there are hits
        if action == "clear_selection" and self.selection is None:
            return False  # Esc goes on to the screen
        if action in ("select_block", "annotate", "bookmark", "extend_down", "extend_up", "copy") and (
            self.document is None or self.partial
        ):
            return False  # nothing to mark, or only the start of a document still being read
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
        "document-view--cursor",
        "document-view--selection",
        "document-view--note",
        "document-view--note-mark",
        "document-view--bookmark-mark",
        "document-view--strip-hit",
        "document-view--strip-current",
        "document-view--strip-note",
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

    class SelectionChanged(Message):
        """The selection grew, shrank, appeared or went (see :meth:`selection_summary`)."""

    class PreviewMoved(Message):
        """The start of a document still being read scrolled (no reading position is kept for it)."""

    class AnnotateRequested(Message):
        """Annotate ``start``–``end``; ``note_id`` when the cursor is on a note already."""

        def __init__(self, start: int, end: int, note_id: str | None) -> None:
            super().__init__()
            self.start = start
            self.end = end
            self.note_id = note_id

    class BookmarkRequested(Message):
        """Toggle a bookmark on the text ``start``–``end`` (the cursor row)."""

        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start = start
            self.end = end

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
        self.cursor_row = 0
        self._anchor: int | None = None  # where the selection began (a document offset)
        self._focus = 0  # where it ends now
        self._reported_selection: tuple[int, int] | None = None
        self._whole = False  # the selection was made whole (v, a drag): J and K each grow their own side
        self._dragging = False
        self._notes: list[tuple[int, int, str]] = []  # (start, end, note id), by start
        self._note_starts: list[int] = []
        self._longest_note = 0
        self._bookmarks: list[int] = []
        self._marks: dict[int, str] = {}  # row → "note" | "bookmark"
        self._overview: dict[int, str] | None = None  # screen row → what the right-hand strip shows
        self._prepared: Rows | None = None  # a document laid out in a worker, for show()
        self._measure = MEASURE
        self.measure_wanted = MEASURE  # the widest text column, changed with + and -
        self._laid_out_wanted = MEASURE
        self.partial = False  # the document is the start of a longer one still being read

    # -- public API -----------------------------------------------------------------

    def show(self, document: Document | None, offset: int = 0, *, partial: bool = False) -> None:
        """Show ``document`` with the text at ``offset`` at the top of the pane.

        ``partial``: it is the start of a longer document, still being read (see
        :meth:`carried_offset`); it can be read but not marked.
        """
        self.document = document
        self.partial = partial
        self._laid_out_width = 0
        self._last_position = None
        self._hits, self._hit_starts, self.current_hit = [], [], -1
        self._anchor, self._dragging, self.cursor_row = None, False, 0
        self._reported_selection = None
        self._notes, self._note_starts, self._bookmarks, self._marks = [], [], [], {}
        if not self.container_size:
            # not laid out on screen yet: wrap at the first Resize, at the real width
            self._pending_offset = offset
            return
        self._layout()
        self.scroll_to_offset(offset)
        self.refresh()

    def prepare(self, document: Document) -> None:
        """Lay ``document`` out for the pane's width now, in the calling (worker) thread,
        so that :meth:`show` need not: a 20 MB text takes ~0.5 s to wrap."""
        width = self._laid_out_width or (self._text_width() if self.container_size else 0)
        if width:
            self._prepared = lay_out(document, width, self.measure_wanted)

    def carried_offset(self, document: Document) -> int:
        """Where the text now at the top of the pane is in ``document``: the whole of the
        document whose start is shown (the same offset, unless the start read differently)."""
        shown = self.document
        if shown is None or not self._row_start:
            return 0
        top = self.offset_at_top()
        if document.text.startswith(shown.text[: top + 256]):
            return top
        quote = shown.text[top : top + 64]
        found = document.text.find(quote, max(top - 4096, 0)) if quote else -1
        return found if found >= 0 else 0

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
        if self.document is not None and not self._laid_out_width:
            self._pending_offset = offset  # not wrapped yet: go there at the first Resize
            return
        row = self.row_of_offset(offset) if offset else 0
        # force: right after a layout the scrollbar may not be "shown" yet, which would
        # make Textual ignore the scroll
        self.scroll_to(y=row, animate=False, immediate=True, force=True)
        self._set_cursor(self._text_row(row, 1))

    def current_section(self) -> Section | None:
        if self.document is None or not self.document.sections:
            return None
        return self.document.section_at(self.offset_at_top())

    @property
    def empty(self) -> bool:
        """A document with nothing to show (an empty file)."""
        return self.document is not None and not self.document.blocks

    def percent(self) -> int:
        if self.document is None:
            return 0
        limit = self.max_scroll_y
        return 100 if limit <= 0 else min(100, round(self.scroll_y * 100 / limit))

    def jump_to_section(self, index: int) -> None:
        if self.document is None or not 0 <= index < len(self.document.sections):
            return
        row = self._block_row[self.document.sections[index].block]
        self.scroll_to(y=max(row - 1, 0), animate=False, immediate=True, force=True)
        self._set_cursor(row)

    # -- search hits ------------------------------------------------------------------

    @property
    def hit_count(self) -> int:
        return len(self._hits)

    def set_hits(
        self,
        hits: list[tuple[int, int]],
        current: int | None = None,
        *,
        starts: list[int] | None = None,
        longest: int | None = None,
    ) -> None:
        """Highlight ``hits`` (document offsets, in order); go to hit ``current`` if given.

        ``starts`` (each hit's start) and ``longest`` (the longest hit's length) may be
        worked out in a worker: a letter typed in a 20 MB document has 100,000 hits.
        """
        self._hits = hits
        self._hit_starts = starts if starts is not None else [start for start, _ in hits]
        self._longest_hit = longest if longest is not None else max((end - start for start, end in hits), default=0)
        self.current_hit = -1
        self._repaint()
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
            self.scroll_to(y=max(row - height // 3, 0), animate=False, immediate=True, force=True)
        self._set_cursor(row)
        self._repaint()
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

    # -- cursor, selection, notes and bookmarks -----------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected text as document offsets (trimmed of spaces), or None."""
        if self._anchor is None or self.document is None:
            return None
        span = trim_span(self.document.text, min(self._anchor, self._focus), max(self._anchor, self._focus))
        return span if span[1] > span[0] else None

    def select(self, start: int, end: int) -> None:
        """Select ``start``–``end`` (document offsets)."""
        self._anchor, self._focus = start, end
        self._whole = True  # J or K grows it on their own side
        self._repaint()

    def clear_selection(self) -> None:
        if self._anchor is not None:
            self._anchor = None
            self._repaint()

    def cursor_span(self) -> tuple[int, int]:
        """The document offsets of the cursor row."""
        if not self._row_start:
            return (0, 0)
        row = self._text_row(self.cursor_row, 1)
        return (self._row_start[row], self._row_end[row])

    def set_marks(self, notes: list[tuple[int, int, str]], bookmarks: list[int]) -> None:
        """Highlight the passages of ``notes`` (start, end, id) and mark ``bookmarks`` (offsets)."""
        self._notes = sorted(notes)
        self._note_starts = [start for start, _, _ in self._notes]
        self._longest_note = max((end - start for start, end, _ in self._notes), default=0)
        self._bookmarks = sorted(bookmarks)
        self._mark_rows()
        self._repaint()

    def notes_at(self, start: int, end: int) -> list[str]:
        """Ids of the notes whose passage overlaps ``start``–``end``."""
        first = bisect_left(self._note_starts, start - self._longest_note)
        found = []
        for note_start, note_end, note_id in self._notes[first:]:
            if note_start >= max(end, start + 1):
                break
            if note_end > start:
                found.append(note_id)
        return found

    def action_select_block(self) -> None:
        if self.selection is not None:
            self.clear_selection()
            return
        block = self._cursor_block()
        if block is not None:
            self.select(block.start, block.end)

    def action_extend_down(self) -> None:
        self._extend_rows(1)

    def action_extend_up(self) -> None:
        self._extend_rows(-1)

    def action_extend_word(self) -> None:
        if self.document is None:
            return
        if self._anchor is None:
            start = self.cursor_span()[0]
            self._anchor, self._focus = start, start
        self._focus = next_word_end(self.document.text, self._focus)
        self._whole = False
        self._follow_focus()

    def action_shrink_word(self) -> None:
        if self.document is None or self._anchor is None:
            return
        self._focus = previous_word_end(self.document.text, self._focus, self._anchor)
        self._whole = False
        self._follow_focus()

    def action_clear_selection(self) -> None:
        self.clear_selection()

    def action_annotate(self) -> None:
        selection = self.selection
        if selection is None:
            start, end = self.cursor_span()
            existing = self.notes_at(start, end)
            if existing:
                self.post_message(self.AnnotateRequested(start, end, existing[0]))
                return
            block = self._cursor_block()
            if block is None:
                return
            selection = (block.start, block.end)
        self.post_message(self.AnnotateRequested(selection[0], selection[1], None))

    def action_copy(self) -> None:
        """Copy the selection (or the paragraph under the cursor) to the clipboard."""
        if self.document is None:
            return
        selection = self.selection
        if selection is None:
            block = self._cursor_block()
            if block is None:
                return
            selection = (block.start, block.end)
        text = self.document.text[selection[0] : selection[1]]
        self.app.copy_to_clipboard(text)
        words = len(text.split())
        self.notify(f"Copied {words} word{'s' if words != 1 else ''}.", timeout=3)

    def action_edit_file(self) -> None:
        """The user's ``$EDITOR`` on the document's file, at the cursor's line."""
        from reader.ui.external import editor_command, file_line, run_in_terminal

        if self.document is None:
            return
        start, end = self.cursor_span()
        command = editor_command(self.document.path, file_line(self.document.path, self.document.text[start:end]))
        problem = run_in_terminal(self.app, command)
        if problem:
            self.notify(problem, title="Editor", severity="warning", timeout=8)

    def action_bookmark(self) -> None:
        start, end = self.cursor_span()
        if self.document is not None and end > start:
            self.post_message(self.BookmarkRequested(start, end))

    def _cursor_block(self) -> Block | None:
        if self.document is None or not self._row_block:
            return None
        row = self._text_row(self.cursor_row, 1)
        index = self._row_block[row]
        return self.document.blocks[index] if index >= 0 else None

    def _extend_rows(self, step: int) -> None:
        """Move the selection's moving end a row down (``step`` 1) or up (-1).

        Without a selection, the cursor row is selected first. A selection made whole
        (a block with ``v``, a drag) grows on the side of the key: ``J`` moves its end
        down, ``K`` its start up; from then on the same end moves, as in Vim.
        """
        if self.document is None or not self._row_start:
            return
        if self._anchor is None:
            start, end = self.cursor_span()
            self._anchor = start if step > 0 else end
            self._focus = end if step > 0 else start
            if end > start:
                self._follow_focus()
                return
        elif self._whole:
            start, end = min(self._anchor, self._focus), max(self._anchor, self._focus)
            self._anchor, self._focus = (start, end) if step > 0 else (end, start)
        self._whole = False
        forward = self._focus > self._anchor
        row = self.row_of_offset(max(self._focus - 1, 0) if forward else self._focus)
        row = self._text_row(row + step, step)
        self._focus = self._row_end[row] if self._row_start[row] >= self._anchor else self._row_start[row]
        self._set_cursor(row)
        self._scroll_to_cursor()
        self._repaint()

    def _follow_focus(self) -> None:
        """Move the cursor to the row where the selection ends now."""
        row = self.row_of_offset(max(self._focus - 1, 0))
        self._set_cursor(row)
        self._scroll_to_cursor()
        self._repaint()

    def _text_row(self, row: int, step: int) -> int:
        """``row``, or the nearest text row in the direction of ``step`` (rows between blocks are blank)."""
        count = len(self._row_block)
        if not count:
            return 0
        row = max(0, min(row, count - 1))
        probe = row
        while 0 <= probe < count and self._row_block[probe] < 0:
            probe += 1 if step >= 0 else -1
        if not 0 <= probe < count:
            probe = row
            while 0 <= probe < count and self._row_block[probe] < 0:
                probe += -1 if step >= 0 else 1
        return max(0, min(probe, count - 1))

    def _set_cursor(self, row: int) -> None:
        row = self._text_row(row, 1)
        if row != self.cursor_row:
            self.cursor_row = row
            self.refresh()

    def _move_cursor(self, step: int) -> None:
        self._set_cursor(self._text_row(self.cursor_row + step, step))
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        height = max(self.scrollable_content_region.height, 1)
        if self.cursor_row < top:
            self.scroll_to(y=max(self.cursor_row - 1, 0), animate=False, immediate=True)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 2, animate=False, immediate=True)

    def _clamp_cursor(self) -> None:
        """After a scroll by page or wheel, keep the cursor on screen."""
        if not self._row_block:
            return
        top = int(self.scroll_y)
        bottom = top + max(self.scrollable_content_region.height, 1) - 1
        if self.cursor_row < top:
            self._set_cursor(self._text_row(top, 1))
        elif self.cursor_row > bottom:
            self._set_cursor(self._text_row(bottom, -1))

    def _mark_rows(self) -> None:
        marks: dict[int, str] = {}
        if self._row_start:
            for offset in self._bookmarks:
                marks[self.row_of_offset(offset)] = "bookmark"
            for start, _, _ in self._notes:
                marks[self.row_of_offset(start)] = "note"
        self._marks = marks

    def _repaint(self) -> None:
        self._cache.clear()
        self._overview = None
        self.refresh()
        selection = self.selection
        if selection != self._reported_selection:
            self._reported_selection = selection
            self.post_message(self.SelectionChanged())

    def selection_summary(self) -> str:
        """How much is selected, for the status line: ``12 words selected``; "" if nothing."""
        selection = self.selection
        if selection is None or self.document is None:
            return ""
        text = self.document.text[selection[0] : selection[1]]
        words = len(text.split())
        lines = text.count("\n\n") + 1  # paragraphs: blocks are joined by blank lines
        summary = f"{words} word{'s' if words != 1 else ''}"
        if lines > 1:
            summary += f" in {lines} paragraphs"
        return summary + " selected"

    def offset_at(self, x: int, y: int) -> int | None:
        """The document offset under the widget cell ``x``, ``y`` (None off the text)."""
        if self.document is None or not self._row_start:
            return None
        row = int(self.scroll_y) + y
        if not 0 <= row < len(self._row_block):
            return None
        row = self._text_row(row, 1)
        block = self.document.blocks[self._row_block[row]]
        column = x - self._margin - cell_width(_prefix(block, bool(self._row_first[row])))
        start, end = self._row_start[row], self._row_end[row]
        return column_offset(self.document.text, start, end, column)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        offset = self.offset_at(event.x, event.y)
        if offset is None:
            return
        self._set_cursor(self.row_of_offset(offset))
        self._anchor, self._focus, self._dragging, self._whole = offset, offset, True, False
        self.capture_mouse()
        self._repaint()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        offset = self.offset_at(event.x, event.y)
        if offset is not None and offset != self._focus:
            self._focus = offset
            self._set_cursor(self.row_of_offset(offset))
            self._repaint()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.capture_mouse(False)
        if self.document is None or self._anchor is None:
            return
        if self._anchor == self._focus:
            self._anchor = None  # a click places the cursor
        else:
            start, end = min(self._anchor, self._focus), max(self._anchor, self._focus)
            self._anchor, self._focus = word_span(self.document.text, start, end)
            self._whole = True
        self._repaint()

    # -- actions ----------------------------------------------------------------------

    def action_scroll_down(self) -> None:
        self._move_cursor(1)

    def action_scroll_up(self) -> None:
        self._move_cursor(-1)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False, immediate=True)
        self._set_cursor(0)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)
        self._set_cursor(self._text_row(len(self._row_block) - 1, -1))

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
        step = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_page_down(animate=False)
        self._set_cursor(self._text_row(min(self.cursor_row + step, len(self._row_block) - 1), 1))
        self._clamp_cursor()

    def action_half_page_down(self) -> None:
        self._half_page(1)

    def action_half_page_up(self) -> None:
        self._half_page(-1)

    def _half_page(self, direction: int) -> None:
        """Ctrl+D, Ctrl+U: half a screen down or up, the cursor moving with the text."""
        step = max(self.scrollable_content_region.height // 2, 1) * direction
        self.scroll_to(y=max(0, min(self.scroll_y + step, self.max_scroll_y)), animate=False, immediate=True, force=True)
        self._set_cursor(self._text_row(max(0, min(self.cursor_row + step, len(self._row_block) - 1)), direction))
        self._clamp_cursor()

    def action_page_up(self) -> None:
        step = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_page_up(animate=False)
        self._set_cursor(self._text_row(max(self.cursor_row - step, 0), -1))
        self._clamp_cursor()

    # -- layout -----------------------------------------------------------------------

    def action_wider(self) -> None:
        self.set_measure(min(self.measure_wanted, self._measure) + _MEASURE_STEP)

    def action_narrower(self) -> None:
        self.set_measure(min(self.measure_wanted, self._measure) - _MEASURE_STEP)  # from what is seen

    def set_measure(self, measure: int) -> None:
        """Make the text column at most ``measure`` cells wide (and wrap again, the same text at the top)."""
        measure = max(_MEASURE_LIMITS[0], min(measure, _MEASURE_LIMITS[1]))
        if measure == self.measure_wanted:
            self.app.bell()
            return
        self.measure_wanted = measure
        self.on_resize()
        if self.document is not None and self._text_width() - 2 < measure:
            self.notify(f"Text width {measure}: the pane is narrower, the text fills it.", timeout=3)
        else:
            self.notify(f"Text width {measure} columns.", timeout=2)

    def render_lines(self, crop: Region) -> list[Strip]:
        if self.document is not None and not self._laid_out_width and self.container_size:
            # shown before the pane had a width (before the first frame): wrapped in the
            # frame that gives it one, not in the next (the Resize comes after this frame)
            self.on_resize()
        return super().render_lines(crop)

    def on_resize(self) -> None:
        """Re-wrap for a new width, keeping the same text at the top."""
        self._overview = None
        if self.document is not None and (
            self._laid_out_width != self._text_width() or self._laid_out_wanted != self.measure_wanted
        ):
            top = self.offset_at_top() if self._laid_out_width else self._pending_offset
            cursor = self._row_start[self.cursor_row] if self._laid_out_width and self._row_start else None
            if self._laid_out_width and len(self._row_block) > _WRAP_HERE:
                # a long document is wrapped again in a worker; the rows wrapped for the
                # old width stay on screen meanwhile (a 20 MB text took ~0.6 s here)
                self._wrap_again(self.document, self._text_width())
                return
            self._layout()
            self._place(top, cursor)

    def _place(self, top: int, cursor: int | None) -> None:
        self.scroll_to_offset(top)
        if cursor is not None:
            self._set_cursor(self.row_of_offset(cursor))
        self._report_position()

    class Wrapped(Message, bubble=False):
        """A long document wrapped again for a new width, in a worker."""

        def __init__(self, rows: Rows) -> None:
            super().__init__()
            self.rows = rows

    @work(thread=True, exclusive=True, group="wrap")
    def _wrap_again(self, document: Document, width: int) -> None:
        self.post_message(self.Wrapped(lay_out(document, width, self.measure_wanted)))

    @on(Wrapped)
    def _wrapped(self, message: Wrapped) -> None:
        rows = message.rows
        if rows.document is not self.document or (rows.width, rows.wanted) != (self._text_width(), self.measure_wanted):
            return  # another document, or another width by now (its own wrap is on its way)
        top = self.offset_at_top()
        cursor = self._row_start[self.cursor_row] if self._row_start else None
        self._install(message.rows)
        self._place(top, cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width, 1)

    def _layout(self) -> None:
        width = self._text_width()
        prepared = self._prepared
        if (
            prepared is not None
            and prepared.document is self.document
            and (prepared.width, prepared.wanted) == (width, self.measure_wanted)
        ):
            rows = prepared  # laid out in a worker already
            self._prepared = None
        else:
            rows = lay_out(self.document, width, self.measure_wanted)
        self._install(rows)

    def _install(self, rows: Rows) -> None:
        width = rows.width
        self._laid_out_width = width
        self._laid_out_wanted = rows.wanted
        self._cache.clear()
        self._row_block, self._row_start, self._row_end, self._row_first = (
            rows.block,
            rows.start,
            rows.end,
            rows.first,
        )
        self._block_row = rows.block_row
        self._margin = rows.margin
        self._measure = rows.measure
        self.virtual_size = Size(width, len(rows.block))
        self._overview = None
        self._mark_rows()

    # -- rendering --------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._dragging:
            self._clamp_cursor()
        self._report_position()

    def on_focus(self) -> None:
        self.refresh()  # the cursor shows only while the pane has focus

    def on_blur(self) -> None:
        self.refresh()

    def _report_position(self) -> None:
        if self.document is None:
            return
        position = (int(self.scroll_y), self.row_count)
        if position == self._last_position:
            return
        self._last_position = position
        if self.partial:
            self.post_message(self.PreviewMoved())
            return
        self.post_message(self.PositionChanged(self.current_section(), self.percent(), self.offset_at_top()))

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._component_style(f"document-view--{name}")
            self._styles[name] = style
        return style

    def _component_style(self, component: str) -> Style:
        """A component's style, its translucent colours blended over the page.

        Textual's partial component style drops a colour's alpha: ``$foreground 7%``
        came out as the whole foreground (and the cursor, drawn under the text's own
        background, as nothing at all). On a theme of terminal colours, where there is
        nothing to blend with, the cursor is drawn in reverse video.
        """
        styles = self.get_component_styles(component)
        style = styles.partial_rich_style
        page = self.background_colors[1]
        if page.ansi is not None:
            if component == "document-view--cursor":
                return Style(reverse=True)
            return style
        color = bgcolor = None
        if styles.has_rule("background") and 0 < styles.background.a < 1:
            bgcolor = (page + styles.background).rich_color
        if styles.has_rule("color") and 0 < styles.color.a < 1:
            color = (page + styles.color).rich_color
        if color or bgcolor:
            style += Style(color=color, bgcolor=bgcolor)
        return style

    def _cursor_strip(self, strip: Strip, base: Style) -> Strip:
        """The cursor row: the cursor's background under the plain text (hits, notes and the
        selection keep their own colours)."""
        cursor = self._style("cursor")
        plain = base.bgcolor
        segments = [
            Segment(text, style + cursor if style is not None and style.bgcolor == plain else style, control)
            for text, style, control in strip
        ]
        return Strip(segments, strip.cell_length)

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_y) + y
        width = self.size.width
        base = self.rich_style
        if self.document is None or not self.document.blocks:
            if y == 1:
                placeholder = self.placeholder if self.document is None else "This document is empty."
                text = placeholder[: max(width - 2, 0)]
                return Strip([Segment("  " + text, base + self._style("placeholder"))]).extend_cell_length(
                    width, base
                )
            return Strip.blank(width, base)
        if row >= len(self._row_block):
            return Strip.blank(width, base)
        strip = self._cache.get(row)
        if strip is None or strip.cell_length != width:
            strip = self._render_row(row, base).extend_cell_length(width, base).crop(0, width)
            self._cache[row] = strip
        if row == self.cursor_row and self.has_focus:
            strip = self._cursor_strip(strip, base)
        mark = self._overview_marks().get(y)
        if mark is not None:
            column = self._text_width() - 1  # the last column left of the scrollbar: text never reaches it
            if column > 2:
                mark_strip = Strip([Segment("▐", base + self._style(f"strip-{mark}"))])
                strip = Strip.join([strip.crop(0, column), mark_strip, strip.crop(column + 1, width)])
        return strip

    def _overview_marks(self) -> dict[int, str]:
        """The strip at the right edge: where in the whole document the hits and notes are.

        Each screen row stands for an equal share of the document's rows, so a reader
        sees at a glance where the hits cluster in a long document (and the notes).
        """
        if self._overview is not None:
            return self._overview
        marks: dict[int, str] = {}
        height = max(self.scrollable_content_region.height, 1)
        rows = len(self._row_block)
        if rows > height and (self._hits or self._notes):

            def screen_row(offset: int) -> int:
                return min(height - 1, self.row_of_offset(offset) * height // rows)

            for start, _, _ in self._notes:
                marks.setdefault(screen_row(start), "note")
            # a screen row stands for a run of rows: marked if a hit starts in it (one
            # bisection a screen row, not a look at each of 100,000 hits)
            row_start = self._row_start
            for screen in range(height):
                first, last = -(-screen * rows // height), -(-(screen + 1) * rows // height)  # row * height // rows == screen
                if first >= last:
                    continue
                low = row_start[first] if first else 0
                high = row_start[last] if last < rows else len(self.document.text) + 1 if self.document else 0
                index = bisect_left(self._hit_starts, low)
                if index < len(self._hit_starts) and self._hit_starts[index] < high:
                    marks[screen] = "hit"
            if 0 <= self.current_hit < len(self._hits):
                marks[screen_row(self._hits[self.current_hit][0])] = "current"
        self._overview = marks
        return marks

    def _render_row(self, row: int, base: Style) -> Strip:
        assert self.document is not None
        block_index = self._row_block[row]
        if block_index < 0:
            return Strip([])
        block = self.document.blocks[block_index]
        start, end = self._row_start[row], self._row_end[row]
        first = bool(self._row_first[row])
        mark = self._marks.get(row)
        if mark and self._margin >= 2:
            gap = " " * (self._margin - 2)
            segments = [Segment(gap, base), Segment("▌" if mark == "note" else "◆", base + self._style(f"{mark}-mark")), Segment(" ", base)]
        elif mark:
            segments = [Segment("▌" if mark == "note" else "◆", base + self._style(f"{mark}-mark"))]
        else:
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
        if self._notes:
            first = bisect_left(self._note_starts, start - self._longest_note)
            for note_start, note_end, _ in self._notes[first:]:
                if note_start >= end:
                    break
                if note_end > start:
                    spans.append((note_start, note_end, self._style("note")))
        selection = self.selection
        if selection is not None and selection[0] < end and selection[1] > start:
            spans.append((selection[0], selection[1], self._style("selection")))
        if self._hits:
            first = bisect_left(self._hit_starts, start - self._longest_hit)
            for index in range(first, len(self._hits)):
                hit_start, hit_end = self._hits[index]
                if hit_start >= end:
                    break
                if hit_end > start:
                    name = "current-hit" if index == self.current_hit else "hit"
                    spans.append((hit_start, hit_end, self._style(name)))
        # the text is cleaned of controls when read; bidi controls (which would reorder the
        # row on a terminal that applies bidi) are made visible, one character for one
        if not spans:
            return [Segment(visible_in_place(text[start:end]), style)]
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
            segments.append(Segment(visible_in_place(text[a:b]), piece_style))
        return segments

class Rows:
    """A document wrapped for a width: per row its block (-1 between blocks), start, end,
    and whether it is the block's first; per block its first row. ``wanted``: the widest
    text column asked for (``measure`` is what the width leaves of it)."""

    __slots__ = ("document", "width", "wanted", "measure", "margin", "block", "start", "end", "first", "block_row")

    def __init__(self, document: Document | None, width: int, wanted: int = MEASURE) -> None:
        self.document = document
        self.width = width
        self.wanted = wanted
        self.measure = max(min(wanted, width - 2), 10)
        self.margin = max((width - self.measure) // 2, 1) if width > self.measure + 2 else 1
        self.block, self.start, self.end = array("i"), array("i"), array("i")
        self.first = array("b")
        self.block_row = array("i")


def lay_out(document: Document | None, width: int, wanted: int = MEASURE) -> Rows:
    """Wrap every block of ``document`` for a pane ``width`` cells wide, the text at most
    ``wanted`` columns (safe in any thread)."""
    rows = Rows(document, width, wanted)
    if document is None:
        return rows
    rows_block, rows_start, rows_end, rows_first = rows.block, rows.start, rows.end, rows.first
    block_row = rows.block_row
    measure = rows.measure
    previous: Block | None = None
    for index, block in enumerate(document.blocks):
        if previous is not None and not (block.kind in _GLUED and block.kind == previous.kind):
            rows_block.append(-1)
            rows_start.append(block.start)
            rows_end.append(block.start)
            rows_first.append(0)
        block_row.append(len(rows_block))
        indent = _indent(block)
        spans = [(0, 0)] if block.kind is BlockKind.RULE else wrap(block.text, measure - indent)
        base = block.start
        first = True
        for start, end in spans:
            rows_block.append(index)
            rows_start.append(base + start)
            rows_end.append(base + end)
            rows_first.append(1 if first else 0)
            first = False
        previous = block
    return rows


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

"""A search result as the list pane draws it: at most three rows.

The first row is the title (after ★ when the document is starred), then (dimmed)
its tags (``#a #b``, as the library list shows them), the source and the hit
count, cut with an ellipsis so that the count always shows; the next two are the
snippet, re-windowed to the pane's width so that its first marked word is on
screen, wrapped at spaces (anywhere in CJK text) and cut with an ellipsis.
A result whose snippet is empty takes one row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

from reader.core.visible import visible, visible_in_place
from reader.ui.widgets.doc_marks import star, tag_words

if TYPE_CHECKING:
    from reader.core.organise import DocMeta
    from reader.core.search.searcher import SearchHit

__all__ = ["SNIPPET_ROWS", "MARK", "result_prompt"]

SNIPPET_ROWS = 2
MARK = "bold reverse"  # a query word in a snippet


def result_prompt(hit: SearchHit, width: int, meta: DocMeta | None = None) -> Text:
    """The rows of ``hit`` in ``width`` columns (each row fits: nothing wraps); ``meta``:
    the document's tags and star."""
    width = max(width, 8)
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append_text(_heading(hit, width, meta))
    for line in _snippet_lines(hit, width, SNIPPET_ROWS):
        text.append("\n")
        text.append_text(line)
    return text


def _heading(hit: SearchHit, width: int, meta: DocMeta | None = None) -> Text:
    """★ Title · #tags source · hits, the title and then the tags and source giving way to the count."""
    title = visible(" ".join(hit.title.split()) or hit.path.name)
    marked = star(meta)
    count = ""
    if hit.hits:
        at_least = "" if hit.exact else "≥ "  # a phrase counted in the beginning of a long document
        count = f"{at_least}{hit.hits:,} hit{'s' if hit.hits != 1 or not hit.exact else ''}"
    source = visible(" · ".join(" ".join(part.split()) for part in (tag_words(meta), hit.source) if part))
    details = " · ".join(part for part in (source, count) if part)
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    room = width - cell_len(marked) - (cell_len(details) + 3 if details else 0)
    least = min(12, cell_len(title))
    if room < least and source:  # the tags and source give way first: cut, then left out
        spare = width - cell_len(marked) - least - 3 - (cell_len(count) + 3 if count else 0)
        details = " · ".join(part for part in (_fit(source, spare) if spare >= 6 else "", count) if part)
        room = width - cell_len(marked) - (cell_len(details) + 3 if details else 0)
    line.append(marked + _fit(title, max(room, 4)), style="bold")
    if details:
        line.append(" · " + details, style="dim")
    line.truncate(width, overflow="ellipsis")
    return line


def _fit(text: str, cells: int) -> str:
    if cell_len(text) <= cells:
        return text
    out, used = [], 0
    for char in text:
        size = get_character_cell_size(char)
        if used + size > cells - 1:
            break
        out.append(char)
        used += size
    return "".join(out).rstrip() + "…"


def _snippet_lines(hit: SearchHit, width: int, rows: int) -> list[Text]:
    """The snippet in ``rows`` rows of ``width`` cells, its first marked word on screen."""
    plain = visible_in_place(hit.snippet.text)  # the same length: the spans still hold
    spans = list(hit.snippet.spans)
    if not plain or not spans:
        return []
    budget = width * rows
    start = 0
    first = spans[0][0]
    if cell_len(plain[:first]) > budget // 3:
        # begin a little before the first mark, at a space
        start = first
        used = 0
        while start > 0 and used < budget // 5:
            start -= 1
            used += get_character_cell_size(plain[start])
        space = plain.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    lead = "…" if start > 0 and not plain[start:].startswith("…") else ""
    body = lead + plain[start:]
    shift = len(lead) - start
    spans = [(a + shift, b + shift) for a, b in spans if b + shift > len(lead)]
    ranges, cut = _wrap(body, width, rows)
    lines = []
    for number, (a, b) in enumerate(ranges):
        piece = body[a:b]
        if cut and number == len(ranges) - 1:
            while piece and cell_len(piece) + 1 > width:
                piece = piece[:-1]
            piece = piece.rstrip() + "…"
        line = Text(piece, style="italic", no_wrap=True, end="")
        for s, e in spans:
            s, e = max(s, a) - a, min(e, a + len(piece)) - a
            if s < e:
                line.stylize(MARK, s, e)
        lines.append(line)
    return lines


def _wrap(text: str, width: int, rows: int) -> tuple[list[tuple[int, int]], bool]:
    """Up to ``rows`` (start, end) ranges of ``text`` of at most ``width`` cells, broken
    at spaces where there are some; and whether text is left over."""
    out: list[tuple[int, int]] = []
    position, length = 0, len(text)
    while position < length and len(out) < rows:
        while position < length and text[position] == " ":
            position += 1
        end, cells, space = position, 0, -1
        while end < length:
            size = get_character_cell_size(text[end])
            if cells + size > width:
                break
            if text[end] == " ":
                space = end
            cells += size
            end += 1
        if end < length and text[end] != " " and space > position:
            end = space
        if end == position:
            break
        out.append((position, end))
        position = end
    return out, bool(text[position:].strip())

"""Markdown through markdown-it-py (CommonMark plus tables, strikethrough and footnotes).

Headings, paragraphs, block quotes, list items and code become blocks; inline
emphasis, code spans and links become marks on the block's plain text. A YAML
front matter block gives the title, author and date when present (read as
simple ``key: value`` lines: the core parses no YAML); the date is also read to
``sort_date``. Else the title is the first level-1 heading, Markdown's ``#`` or
an HTML ``<h1>`` (a README that opens with a centred ``<h1>``), else the first
heading. A table's rows are lines with their columns padded to one width and
aligned as the table says; a footnote reference shows as ``[1]``, and the notes
follow the text after a rule, each led by its number. An inline ``<br>`` is a
space (a line break outside tables), so the words either side stay apart.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from reader.core.document import BlockKind, DocumentBuilder, Mark
from reader.core.dates import iso_date, iso_date_in
from reader.core.formats.encoding import clean_text

__all__ = ["parse_markdown"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_KEY = re.compile(r"^(\w[\w-]*)\s*:\s*(.*)$")
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_CELL = " │ "
_INLINE_MARKS = {"strong": "strong", "em": "em", "link": "link", "s": "em"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)


def parse_markdown(text: str, builder: DocumentBuilder) -> None:
    """Fill ``builder`` with the blocks of a Markdown document."""
    meta, text = _front_matter(text)
    tokens = _parser().parse(text)
    builder.title = meta.get("title", "")
    builder.source = meta.get("author", "") or meta.get("source", "")
    date = meta.get("date", "")
    builder.sort_date = iso_date(date) or iso_date_in(date)
    builder.date = builder.sort_date or date[:40]
    if not builder.title:
        builder.title = _first_heading(tokens) or _first_line(text)
    builder.add(BlockKind.TITLE, builder.title)
    if builder.source or builder.date:
        builder.add(BlockKind.BYLINE, " · ".join(p for p in (builder.source, builder.date) if p))
    _Walker(builder).walk(tokens)


class _Walker:
    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.quote_depth = 0
        self.lists: list[list[int]] = []  # per open list: [ordered?, next number]
        self.item_marker = ""
        self.heading_level = 0
        self.row: list[str] = []
        self.rows: list[list[str]] = []
        self.align: list[str] = []
        self.head = 0  # how many of the rows are the table's head
        self.in_cell = False
        self.skipped_title = False
        self.note = ""  # the number of the footnote whose first paragraph comes next

    def walk(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                self.heading_level = int(token.tag[1])
            elif kind == "heading_close":
                self.heading_level = 0
            elif kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = int(token.attrs.get("start", 1) or 1) if kind == "ordered_list_open" else 0
                self.lists.append([kind == "ordered_list_open", start])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                self.item_marker = self._next_marker()
            elif kind == "inline":
                self._inline(token)
            elif kind in ("fence", "code_block"):
                self.builder.add(BlockKind.CODE, token.content.rstrip("\n"))
            elif kind == "html_block":
                plain = " ".join(_TAG.sub(" ", token.content).split())
                heading = _H1.search(token.content)
                if heading and not self.skipped_title and _html_text(heading.group(1)) == self.builder.title:
                    self.skipped_title = True  # the title block already shows it
                    plain = " ".join(_TAG.sub(" ", token.content[heading.end() :]).split())
                if plain:
                    self.builder.add(BlockKind.PARAGRAPH, plain)
            elif kind == "hr":
                self.builder.add(BlockKind.RULE, "")
            elif kind in ("th_open", "td_open"):
                self.in_cell = True
                if not self.rows:
                    self.align.append((token.attrs.get("style") or "").removeprefix("text-align:"))
            elif kind in ("th_close", "td_close"):
                self.in_cell = False
            elif kind == "table_open":
                self.rows, self.align, self.head = [], [], 0
            elif kind == "thead_close":
                self.head = len(self.rows)
            elif kind == "tr_open":
                self.row = []
            elif kind == "tr_close":
                self.rows.append(self.row)
            elif kind == "table_close":
                for number, line in enumerate(_table_lines(self.rows, self.align)):
                    strong = (Mark(0, len(line), "strong"),) if number < self.head and line else ()
                    self.builder.add(BlockKind.PRE, line, marks=strong)
            elif kind == "footnote_block_open":
                self.builder.add(BlockKind.RULE, "")
            elif kind == "footnote_open":
                self.note = f"[{token.meta.get('id', 0) + 1}] "

    def _next_marker(self) -> str:
        if not self.lists:
            return "•"
        current = self.lists[-1]
        if current[0]:
            current[1] += 1
            return f"{current[1] - 1}."
        return "•"

    def _inline(self, token: Token) -> None:
        text, marks = _render_inline(token.children or [], cell=self.in_cell)
        if self.in_cell:
            self.row.append(text)
            return
        if self.note:  # a footnote's first paragraph, led by its number
            text, marks = self.note + text, tuple(Mark(m.start + len(self.note), m.end + len(self.note), m.kind, m.href)
                                                  for m in marks)
            self.note = ""
        if self.heading_level:
            if not self.skipped_title and self.builder.title == text and len(self.builder.blocks) <= 2:
                self.skipped_title = True  # the title block already shows it
                return
            self.builder.add(BlockKind.HEADING, text, level=self.heading_level, marks=marks)
        elif self.quote_depth:
            self.builder.add(BlockKind.QUOTE, text, marks=marks)
        elif self.item_marker:
            self.builder.add(
                BlockKind.LIST_ITEM, text, marker=self.item_marker, level=len(self.lists) - 1, marks=marks
            )
            self.item_marker = ""
        elif self.lists:
            self.builder.add(BlockKind.PARAGRAPH, text, level=len(self.lists), marks=marks)
        else:
            self.builder.add(BlockKind.PARAGRAPH, text, marks=marks)


def _render_inline(children: list[Token], cell: bool = False) -> tuple[str, tuple[Mark, ...]]:
    parts: list[str] = []
    marks: list[Mark] = []
    open_at: dict[str, list[int]] = {}
    hrefs: list[str] = []  # the addresses of the links still open
    length = 0
    for child in children:
        kind = child.type
        if kind == "text":
            piece = clean_text(child.content)  # &#13; decodes to a CR
        elif kind == "html_inline":  # a tag: <br> parts words ("MPL-1.1<br>restrictive"), others show nothing
            piece = (" " if cell else "\n") if _BREAK.fullmatch(child.content.strip()) else ""
        elif kind == "footnote_ref":
            piece = f"[{child.meta.get('id', 0) + 1}]"
        elif kind == "footnote_anchor":
            continue
        elif kind == "code_inline":
            piece = child.content
            marks.append(Mark(length, length + len(piece), "code"))
        elif kind == "softbreak":
            piece = " "
        elif kind == "hardbreak":
            piece = "\n"
        elif kind == "image":
            piece = clean_text(child.content or child.attrs.get("alt", "") or "")
        elif kind.endswith("_open"):
            open_at.setdefault(kind[:-5], []).append(length)
            if kind == "link_open":
                hrefs.append(str(child.attrs.get("href") or ""))
            continue
        elif kind.endswith("_close"):
            name = kind[:-6]
            starts = open_at.get(name)
            if starts:
                start = starts.pop()
                href = hrefs.pop() if name == "link" and hrefs else ""
                if name in _INLINE_MARKS and length > start:
                    marks.append(Mark(start, length, _INLINE_MARKS[name], href))
            continue
        else:
            piece = child.content
        parts.append(piece)
        length += len(piece)
    return "".join(parts), tuple(sorted(marks, key=lambda m: (m.start, m.end)))


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    found = _FRONT_MATTER.match(text)
    if not found:
        return {}, text
    meta: dict[str, str] = {}
    for line in found.group(1).splitlines():
        pair = _FRONT_KEY.match(line)
        if pair:
            meta[pair.group(1).lower()] = pair.group(2).strip().strip("\"'")
    return meta, text[found.end() :]


def _first_heading(tokens: list[Token]) -> str:
    """The first level-1 heading (``#`` or an HTML ``<h1>``), else the first heading."""
    first = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            text, _ = _render_inline(tokens[index + 1].children or [])
            if token.tag == "h1":
                return text
            first = first or text
        elif token.type == "html_block":
            heading = _H1.search(token.content)
            if heading and _html_text(heading.group(1)):
                return _html_text(heading.group(1))
    return first


def _html_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def _table_lines(rows: list[list[str]], align: list[str]) -> list[str]:
    """A table's rows as lines, each column padded to its widest cell (wide characters
    counted twice) and aligned as the table says."""
    count = max((len(row) for row in rows), default=0)
    rows = [[" ".join(cell.split()) for cell in row] + [""] * (count - len(row)) for row in rows]
    widths = [max(_width(row[column]) for row in rows) for column in range(count)]
    lines = []
    for row in rows:
        cells = []
        for column, cell in enumerate(row):
            room = widths[column] - _width(cell)
            how = align[column] if column < len(align) else ""
            left = room if how == "right" else room // 2 if how == "center" else 0
            cells.append(" " * left + cell + " " * (room - left))
        lines.append(_CELL.join(cells).rstrip())
    return lines


def _width(text: str) -> int:
    """Terminal columns: wide and full-width characters (CJK, most emoji) take two, marks none."""
    return sum(0 if unicodedata.combining(c) or c in "\u200d\ufe0f" else 2 if unicodedata.east_asian_width(c) in "WF"
               else 1 for c in text)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:120]
    return ""

"""Markdown export: front matter, a heading per document, each note under its section.

The default format, ready for Obsidian and any CommonMark viewer::

    # Title
    Source · [file.txt](file:///…) · #document-tag
    ## Section
    > the quoted passage
    <!-- note:ID -->
    The note's text
    #tag · 2026-11-24 18:40 · [passage](file:///…#:~:text=…)
    ---

Every piece of user text is escaped (``markdown_escape``), so it shows as
written. Tags are written as Obsidian reads them (``obsidian_tag``: ``#a-b`` for
``a:b``, ``#_1984`` for ``1984``), in the meta line and in the front matter's
``tags:`` list. The document's own tags (``TaggedDocument``) end its source line and
come first in ``tags:``. The ``<!-- note:ID -->`` markers let a later export append only the notes
a file does not hold yet (``append_markdown``), keeping the user's edits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath
from urllib.parse import quote

from reader.core.export.common import Documents, document_tags, live_in_order, one_line, short_time, title_of
from reader.core.export.links import file_uri, passage_link
from reader.core.export.markdown_escape import (
    escape_inline,
    escape_line,
    escape_lines,
    obsidian_tag,
    quote_block,
    yaml_string,
)
from reader.core.notes import DocumentRef, Kind, Note

__all__ = ["render_markdown", "append_markdown", "note_marker", "markers_in"]

_MARKER = re.compile(r"<!--\s*note:(\S+?)\s*-->")
_NO_SECTION = "(before the first heading)"
_BOOKMARK_QUOTE = 120  # characters of the quote shown for a bookmark without a name


def note_marker(note_id: str) -> str:
    """The HTML comment that marks a note in the file (the id percent-encoded)."""
    return f"<!-- note:{_marker_id(note_id)} -->"


def markers_in(text: str) -> set[str]:
    """The (encoded) note ids of every marker in ``text``."""
    return set(_MARKER.findall(text))


def render_markdown(documents: Documents, *, exported: str) -> str:
    """The whole Markdown file: front matter, then every document and its notes."""
    ordered = live_in_order(documents)
    blocks = [_front_matter(ordered, exported)]
    for document, notes in ordered:
        blocks.extend(_document_blocks(document, notes))
    return "\n\n".join(blocks) + "\n"


def append_markdown(existing: str, documents: Documents) -> tuple[str, int]:
    """``existing`` plus the notes it has no marker for, and how many were added.

    The new notes go at the end, under their document's heading (repeated there),
    so nothing the user wrote in the file is changed.
    """
    present = markers_in(existing)
    blocks: list[str] = []
    added = 0
    for document, notes in live_in_order(documents):
        new = [note for note in notes if _marker_id(note.id) not in present]
        if new:
            blocks.extend(_document_blocks(document, new))
            added += len(new)
    if not added:
        return existing, 0
    head = existing.rstrip("\n")
    joint = "\n\n" if head else ""
    return head + joint + "\n\n".join(blocks) + "\n", added


def _marker_id(note_id: str) -> str:
    return quote(note_id, safe="")


def _front_matter(ordered: list[tuple[DocumentRef, list[Note]]], exported: str) -> str:
    lines = ["---"]
    if len(ordered) == 1:
        document = ordered[0][0]
        lines.append(f"title: {yaml_string(title_of(document) or PurePath(document.path).name)}")
        if document.source:
            lines.append(f"source: {yaml_string(document.source)}")
        lines.append(f"file: {yaml_string(file_uri(document.path))}")
    else:
        lines.append(f"title: {yaml_string('Annotations')}")
        lines.append(f"documents: [{', '.join(yaml_string(title_of(d) or d.path) for d, _ in ordered)}]")
    own = (obsidian_tag(tag) for document, _ in ordered for tag in document_tags(document))
    tags = list(dict.fromkeys([*(tag for tag in own if tag), *_tags(note for _, notes in ordered for note in notes)]))
    if tags:
        lines.append(f"tags: [{', '.join(yaml_string(tag) for tag in tags)}]")
    lines.append(f"exported: {yaml_string(exported)}")
    lines.append("---")
    return "\n".join(lines)


def _tags(notes: Iterable[Note]) -> list[str]:
    """The notes' tags as Obsidian reads them, each once, in order of appearance."""
    return list(dict.fromkeys(tag for note in notes for tag in map(obsidian_tag, note.tags) if tag))


def _document_blocks(document: DocumentRef, notes: list[Note]) -> list[str]:
    name = PurePath(document.path).name or document.path
    title = title_of(document) or name
    link = f"[{escape_inline(name)}]({file_uri(document.path)})"
    about = f"{escape_line(one_line(document.source))} · {link}" if document.source.strip() else link
    own = " ".join(dict.fromkeys("#" + tag for tag in map(obsidian_tag, document_tags(document)) if tag))
    if own:
        about += f" · {own}"
    blocks = [f"# {escape_inline(one_line(title))}", about]
    section: str | None = None
    for note in notes:
        if note.section != section and (note.section or section is not None):
            blocks.append(f"## {escape_inline(one_line(note.section or _NO_SECTION))}")
        section = note.section
        blocks.extend(_note_blocks(document, note))
    return blocks


def _note_blocks(document: DocumentRef, note: Note) -> list[str]:
    blocks: list[str] = []
    if note.kind is Kind.BOOKMARK:
        blocks.append(note_marker(note.id))
        label = note.name or one_line(note.target.exact, _BOOKMARK_QUOTE)
        blocks.append(f"**Bookmark:** {escape_inline(one_line(label))}")
    else:
        if note.target.exact.strip():
            blocks.append(quote_block(note.target.exact))
        blocks.append(note_marker(note.id))
    if note.text.strip():
        blocks.append("\n".join(escape_lines(note.text)))
    blocks.append(_meta_line(document, note))
    blocks.append("---")
    return blocks


def _meta_line(document: DocumentRef, note: Note) -> str:
    tags = " ".join("#" + tag for tag in _tags([note]))
    parts = [tags] if tags else []
    parts.append(escape_line(one_line(short_time(note.created))))
    if note.page:
        parts.append(escape_line(one_line(f"p. {note.page}")))
    parts.append(f"[passage]({passage_link(document.path, note.target)})")
    return " · ".join(parts)

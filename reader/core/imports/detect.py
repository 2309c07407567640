"""Which export a file is, told by its content (a name can lie; an extension often does).

- a folder, or a ZIP archive: Omnivore's export when it holds ``metadata_*.json``;
- JSON: reader's own notes export (``"format"`` or a W3C ``AnnotationCollection``),
  wallabag's entries (``is_archived``, ``is_starred``…), Omnivore's metadata list
  (``slug``, ``savedAt``);
- HTML: a Netscape bookmark file (its doctype), Pocket's export (``time_added=`` links);
- CSV: by the header's columns: Pocket (title, url, time_added), Instapaper (URL,
  Title, Selection, Folder), Readwise Reader (Title, URL, Location) or Readwise's
  highlights (Highlight, Book Title).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from reader.core.imports import BadImport, ParsedExport
from reader.core.imports import bookmarks, instapaper, omnivore, pocket, readwise, wallabag
from reader.core.imports.common import load_json, text_of
from reader.core.imports.members import FolderMembers, Members, ZipMembers

__all__ = ["READER_JSON", "detect", "parse_export", "KNOWN"]

READER_JSON = "reader JSON"
KNOWN = (
    "Pocket's CSV or HTML, Instapaper's CSV, Omnivore's ZIP or folder, wallabag's JSON, "
    "Readwise's CSV, a browser's bookmarks (HTML), or reader's own JSON"
)
_HEAD = 64 * 1024


def detect(data: bytes, name: str) -> str:
    """The export's kind: a service name, :data:`READER_JSON`, or ``"zip"``; BadImport for none."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return "zip"
    head = data[:_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise BadImport(f"{name}: empty: not an export")
    if head[:1] in (b"{", b"["):
        return "json"
    lowered = head.lower()
    if b"<!doctype netscape-bookmark-file" in lowered:
        return bookmarks.NETSCAPE
    if lowered.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<dl", b"<ul", b"<h1")):
        if b"time_added=" in lowered or b"<title>pocket export</title>" in lowered:
            return bookmarks.POCKET
        if b"<dt>" in lowered and b"<a " in lowered:
            return bookmarks.NETSCAPE
        raise BadImport(f"{name}: an HTML page, not an export ({KNOWN})")
    text = head.decode("utf-8", "replace")
    columns = _header(text)
    if pocket.COLUMNS <= columns:
        return pocket.SERVICE
    if instapaper.COLUMNS <= columns:
        return instapaper.SERVICE
    if readwise.COLUMNS <= columns or readwise.HIGHLIGHT_COLUMNS <= columns:
        return readwise.SERVICE
    raise BadImport(f"{name}: not an export reader knows ({KNOWN})")


def _header(text: str) -> set[str]:
    first = text.split("\n", 1)[0]
    if "," not in first:
        return set()
    try:
        row = next(csv.reader(io.StringIO(first)))
    except (csv.Error, StopIteration):
        return set()
    return {re.sub(r"\s+", " ", column).strip().lower() for column in row}


def parse_export(path: Path, data: bytes | None, name: str) -> ParsedExport | str:
    """The export at ``path`` (``data``: its bytes, None for a folder or a ZIP read from the path).

    :data:`READER_JSON` when it is reader's own notes export (``reader import`` reads it as before)."""
    if data is None:
        members: Members = FolderMembers(path, name)
        return _omnivore(members, name)
    kind = detect(data, name)
    if kind == "zip":
        return _omnivore(ZipMembers(path, name), name)
    if kind == "json":
        text = text_of(data, name)
        value = load_json(text, name)
        if isinstance(value, dict) and (value.get("type") == "AnnotationCollection" or "format" in value):
            return READER_JSON
        if wallabag.looks_like(value):
            return wallabag.parse(value, name)
        if isinstance(value, list) and any(isinstance(i, dict) and "slug" in i for i in value[:20]):
            return omnivore.parse(_One(name, data), name)
        if isinstance(value, dict) and isinstance(value.get("_embedded"), dict):  # wallabag's API answer
            items = value["_embedded"].get("items")
            if isinstance(items, list):
                return wallabag.parse(items, name)
        raise BadImport(f"{name}: JSON, but not an export reader knows ({KNOWN})")
    text = text_of(data, name)
    if kind in (bookmarks.NETSCAPE, bookmarks.POCKET):
        return bookmarks.parse(text, name, kind)
    if kind == pocket.SERVICE:
        return pocket.parse(text, name)
    if kind == instapaper.SERVICE:
        return instapaper.parse(text, name)
    return readwise.parse(text, name)


def _omnivore(members: Members, name: str) -> ParsedExport:
    try:
        if not any(omnivore.METADATA.match(member) for member in members.names()):
            raise BadImport(f"{name}: not an export reader knows: no metadata_*.json of Omnivore ({KNOWN})")
        return omnivore.parse(members, name)
    finally:
        members.close()


class _One(Members):
    """Omnivore's metadata list alone (no content, no highlights)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.problems = []
        self._data = data

    def names(self) -> list[str]:
        return ["metadata.json"]

    def read(self, member: str) -> bytes | None:
        return self._data if member == "metadata.json" else None

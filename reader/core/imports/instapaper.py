"""Instapaper's CSV export (Settings → Export → Download .CSV file).

Columns ``URL,Title,Selection,Folder,Timestamp`` (newer files add ``Tags``): ``Selection``
is the text the user selected when saving (a highlight, empty for most rows);
``Folder`` is ``Unread``, ``Archive``, ``Starred`` or a folder of the user's own,
which becomes a tag; ``Timestamp`` in Unix seconds. Only links: the articles are
fetched later, and a selection is anchored in the text once it is there.
"""

from __future__ import annotations

import json

from reader.core.imports import Highlight, ImportedArticle, ParsedExport
from reader.core.imports.common import Problems, clean_tags, csv_rows, linked_rows, utc_time

__all__ = ["parse", "SERVICE", "COLUMNS"]

SERVICE = "Instapaper (CSV)"
COLUMNS = {"url", "title", "selection", "folder"}
_BUILT_IN = {"unread": "", "archive": "archive", "starred": ""}


def parse(text: str, name: str) -> ParsedExport:
    header, rows = csv_rows(text, name)
    problems = Problems(name)
    export = ParsedExport(SERVICE, problems=problems)
    for line, row, url in linked_rows(rows, problems):
        folder = row.get("folder") or ""
        tags = list(_tags(row.get("tags") or ""))
        if folder and folder.lower() not in _BUILT_IN:
            tags.insert(0, folder)
        added = utc_time(row.get("timestamp"))
        selection = (row.get("selection") or "").strip()
        export.articles.append(
            ImportedArticle(
                url=url,
                title=row.get("title") or "",
                added=added,
                tags=clean_tags(tags),
                state=_BUILT_IN.get(folder.lower(), ""),
                favourite=folder.lower() == "starred",
                highlights=(Highlight(selection, created=added),) if selection else (),
                where=f"row {line}",
            )
        )
    return export


def _tags(text: str) -> list[str]:
    """The ``Tags`` column: a JSON list (``["a", "b"]``) or words separated by commas."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list):
            return [item for item in value if isinstance(item, str)]
        text = text.strip("[]")
    return [part.strip().strip("'\"") for part in text.split(",")]

"""Pocket's CSV export (2024–2025, ``part_000000.csv`` in the zip Pocket mailed).

Columns ``title,url,time_added,tags,status`` (some files add ``cursor``): ``time_added``
in Unix seconds, ``tags`` separated by ``|``, ``status`` ``unread`` or ``archive``
(``read`` in some files). Only links: each article is fetched later. The older HTML
export is read by ``bookmarks.py``.
"""

from __future__ import annotations

from reader.core.imports import ImportedArticle, ParsedExport
from reader.core.imports.common import Problems, clean_tags, csv_rows, linked_rows, utc_time

__all__ = ["parse", "SERVICE", "COLUMNS"]

SERVICE = "Pocket (CSV)"
COLUMNS = {"title", "url", "time_added"}


def parse(text: str, name: str) -> ParsedExport:
    header, rows = csv_rows(text, name)
    problems = Problems(name)
    export = ParsedExport(SERVICE, problems=problems)
    for line, row, url in linked_rows(rows, problems):
        status = (row.get("status") or "").lower()
        added = utc_time(row.get("time_added"))
        export.articles.append(
            ImportedArticle(
                url=url,
                title=row.get("title") or "",
                added=added,
                tags=clean_tags((row.get("tags") or "").split("|")),
                state="archive" if status in ("archive", "archived", "read") else "",
                where=f"row {line}",
            )
        )
    return export

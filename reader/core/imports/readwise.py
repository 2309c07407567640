"""Readwise's CSV exports: Reader's library, and the highlights.

- Reader's library (Reader → Preferences → Export library): ``Title,URL,ID,Document
  tags,Saved date,Reading progress,Location,Seen``. ``Document tags`` is a list as
  Python prints it (``['a', 'b']``); ``Location`` is ``new``, ``later``,
  ``shortlist``, ``archive`` or ``feed``. Only links: fetched later.
- The highlights (Readwise → Export → CSV): ``Highlight,Book Title,Book Author,Amazon
  Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags``, a
  ``URL`` column in some files. A row with an address joins that article; one without
  names its article by title only, and waits for an article of that title.
"""

from __future__ import annotations

import ast

from reader.core.imports import Highlight, ImportedArticle, ParsedExport
from reader.core.imports.common import Problems, checked_url, clean_tags, csv_rows, linked_rows, utc_time
from reader.core.urls import BadUrl, url_key

__all__ = ["parse", "SERVICE", "COLUMNS", "HIGHLIGHT_COLUMNS"]

SERVICE = "Readwise Reader (CSV)"
COLUMNS = {"title", "url", "location"}
HIGHLIGHT_COLUMNS = {"highlight", "book title"}
_STATES = {"new": "", "feed": "", "later": "later", "shortlist": "later", "archive": "archive"}


def parse(text: str, name: str) -> ParsedExport:
    header, rows = csv_rows(text, name)
    if HIGHLIGHT_COLUMNS <= set(header):
        return _highlights(rows, name)
    problems = Problems(name)
    export = ParsedExport(SERVICE, problems=problems)
    for line, row, url in linked_rows(rows, problems):
        location = (row.get("location") or "").lower()
        export.articles.append(
            ImportedArticle(
                url=url,
                title=row.get("title") or "",
                added=utc_time(row.get("saved date")),
                tags=clean_tags(_list(row.get("document tags") or "")),
                state=_STATES.get(location, ""),
                where=f"row {line}",
            )
        )
    return export


def _highlights(rows, name: str) -> ParsedExport:  # type: ignore[no-untyped-def]
    problems = Problems(name)
    export = ParsedExport("Readwise highlights (CSV)", problems=problems)
    by_url: dict[str, tuple[ImportedArticle, list[Highlight]]] = {}
    for line, row in rows:
        if isinstance(row, str):
            problems.add(f"row {line}", row)
            continue
        quote = row.get("highlight") or ""
        if not quote.strip():
            problems.add(f"row {line}", "no highlight text")
            continue
        highlight = Highlight(
            quote=quote,
            note=row.get("note") or "",
            tags=clean_tags([t for t in (row.get("tags") or "").split(",")]),
            created=utc_time(row.get("highlighted at")),
        )
        title = (row.get("book title") or "").strip()
        address = row.get("url") or row.get("source url") or ""
        if address:
            try:
                url = checked_url(address)
            except BadUrl as error:
                problems.add(f"row {line}", str(error))
                continue
            key = url_key(url)
            if key not in by_url:
                article = ImportedArticle(url=url, title=title, tags=clean_tags(_list(row.get("document tags") or "")), where=f"row {line}")
                by_url[key] = (article, [])
            by_url[key][1].append(highlight)
        elif title:
            export.by_title.setdefault(title, []).append(highlight)
        else:
            problems.add(f"row {line}", "neither an address nor a title: no article to put the highlight on")
    for article, highlights in by_url.values():
        from dataclasses import replace

        export.articles.append(replace(article, highlights=tuple(highlights)))
    return export


def _list(text: str) -> list[str]:
    """``['a', 'b']`` (as Readwise writes it), or words separated by commas."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("[") and len(text) < 100_000:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = None
        if isinstance(value, list):
            return [item for item in value if isinstance(item, str)]
        text = text.strip("[]")
    return [part.strip().strip("'\"") for part in text.split(",")]

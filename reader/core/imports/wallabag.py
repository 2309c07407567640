"""wallabag's JSON export (All entries → Export → JSON; wallabag 2.x).

A list of entries: ``url`` (``given_url``/``origin_url`` as well), ``title``,
``content`` (the article as HTML, as wallabag extracted it), ``is_archived`` and
``is_starred`` (0/1), ``tags`` (labels as text, or ``{"label": …}`` objects in the
API's form), ``created_at``, ``archived_at``, and ``annotations``: each with the
``quote``, the user's ``text``, ``created_at`` and ``ranges`` (XPaths into
wallabag's HTML, which reader does not need: the quote is found in the text).
"""

from __future__ import annotations

from typing import Any

from reader.core.imports import MAX_ARTICLES, BadImport, Highlight, ImportedArticle, ParsedExport
from reader.core.imports.common import Problems, checked_url, clean_tags, flag, utc_time
from reader.core.urls import BadUrl

__all__ = ["parse", "SERVICE", "looks_like"]

SERVICE = "wallabag (JSON)"
_KEYS = {"is_archived", "is_starred", "reading_time", "domain_name", "annotations"}


def looks_like(data: Any) -> bool:
    return isinstance(data, list) and any(isinstance(item, dict) and len(_KEYS & item.keys()) >= 2 for item in data[:20])


def parse(data: Any, name: str) -> ParsedExport:
    if not isinstance(data, list):
        raise BadImport(f"{name}: not a wallabag export (a list of entries)")
    problems = Problems(name)
    export = ParsedExport(SERVICE, problems=problems)
    for number, item in enumerate(data, 1):
        where = f"entry {number}"
        if number > MAX_ARTICLES:
            problems.add(where, f"more than {MAX_ARTICLES} entries: the rest is not read")
            break
        if not isinstance(item, dict):
            problems.add(where, f"not an entry (a {type(item).__name__})")
            continue
        try:
            url = checked_url(item.get("url") or item.get("given_url") or item.get("origin_url"))
        except BadUrl as error:
            problems.add(where, str(error))
            continue
        content = item.get("content")
        body = content.encode("utf-8") if isinstance(content, str) and content.strip() else None
        title = item.get("title") if isinstance(item.get("title"), str) else ""
        if body is not None:
            body = _page(title, body)
        export.articles.append(
            ImportedArticle(
                url=url,
                title=title,
                added=utc_time(item.get("created_at")),
                read=utc_time(item.get("archived_at")) if flag(item.get("is_archived")) else "",
                tags=clean_tags(item.get("tags") or []),
                state="archive" if flag(item.get("is_archived")) else "",
                favourite=flag(item.get("is_starred")),
                content=body,
                highlights=tuple(_annotations(item.get("annotations"), where, problems)),
                where=where,
            )
        )
    return export


def _annotations(value: Any, where: str, problems: Problems) -> list[Highlight]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, "annotations is not a list: left out")
        return []
    found = []
    for number, item in enumerate(value, 1):
        quote = item.get("quote") if isinstance(item, dict) else None
        if not isinstance(quote, str) or not quote.strip():
            problems.add(f"{where}, annotation {number}", "no quote: left out")
            continue
        text = item.get("text")
        found.append(
            Highlight(quote=quote, note=text if isinstance(text, str) else "", created=utc_time(item.get("created_at")))
        )
    return found


def _page(title: str, body: bytes) -> bytes:
    """wallabag's content is the article's body: a whole page around it, with its title."""
    from html import escape

    head = f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head><body><article>'
    return head.encode("utf-8") + body + b"</article></body></html>"

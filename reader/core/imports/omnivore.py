"""Omnivore's export (2024; a ZIP mailed to the user, or that ZIP unpacked in a folder).

```
metadata_0_to_20.json    a list of items: id, slug, title, author, url, state
                         (Active, Archived), labels, savedAt, updatedAt, publishedAt,
                         readingProgress
content/SLUG.html        the article as Omnivore read it (content/SLUG.md in some exports)
highlights/SLUG.md       the highlights, blank-line separated: "> quote" (later lines of
                         a quote start with ">" too, an empty one "> "), then "#label"
                         words, then the note
```

An item with its content is saved from the export; one without is fetched later.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from reader.core.imports import BadImport, Highlight, ImportedArticle, ParsedExport
from reader.core.imports.common import Problems, checked_url, clean_tags, load_json, text_of
from reader.core.imports.common import utc_time
from reader.core.imports.members import Members
from reader.core.urls import BadUrl

__all__ = ["parse", "SERVICE", "METADATA", "parse_highlights"]

SERVICE = "Omnivore (export)"
METADATA = re.compile(r"^(?:[^/]*/)?metadata(?:_\d+_to_\d+)?\.json$")
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,250}")
_LABEL_LINE = re.compile(r"^(?:#\S+\s*)+$")


def parse(members: Members, name: str) -> ParsedExport:
    problems = Problems(name)
    export = ParsedExport(SERVICE, problems=problems)
    names = set(members.names())
    files = sorted((n for n in names if METADATA.match(n)), key=_order)
    if not files:
        raise BadImport(f"{name}: not an Omnivore export (no metadata_*.json)")
    base = files[0].rsplit("/", 1)[0] + "/" if "/" in files[0] else ""
    for file in files:
        data = members.read(file)
        if data is None:
            continue
        try:
            items = load_json(text_of(data, file), file)
        except BadImport as error:
            problems.append(f"{name}: {error}")
            continue
        if not isinstance(items, list):
            problems.add(file, "not a list of items")
            continue
        for number, item in enumerate(items, 1):
            where = f"{file} item {number}"
            article = _article(item, where, problems, members, names, base)
            if article is not None:
                export.articles.append(article)
    problems.extend(members.problems)
    return export


def _order(name: str) -> tuple[int, str]:
    digits = re.findall(r"\d+", name)
    return (int(digits[0]) if digits else 0, name)


def _article(item: Any, where: str, problems: Problems, members: Members, names: set[str], base: str) -> ImportedArticle | None:
    if not isinstance(item, dict):
        problems.add(where, f"not an item (a {type(item).__name__})")
        return None
    try:
        url = checked_url(item.get("url") or item.get("originalUrl"))
    except BadUrl as error:
        problems.add(where, str(error))
        return None
    title = item.get("title") if isinstance(item.get("title"), str) else ""
    slug = item.get("slug") if isinstance(item.get("slug"), str) else ""
    content, suffix, highlights = None, ".html", ()
    if slug and _SLUG.fullmatch(slug):
        for ext in (".html", ".md"):
            member = f"{base}content/{slug}{ext}"
            if member in names:
                content, suffix = members.read(member), ext
                break
        if content is not None and suffix == ".html":
            content = _page(title, item.get("author"), content)
        member = f"{base}highlights/{slug}.md"
        if member in names:
            data = members.read(member)
            if data is not None:
                highlights = tuple(parse_highlights(data.decode("utf-8", "replace")))
    elif slug:
        problems.add(where, f"slug {slug[:60]!r} is not a file name: its content and highlights are left out")
    labels = item.get("labels") or []
    if isinstance(labels, list):
        labels = [label.get("name") if isinstance(label, dict) else label for label in labels]
    state = str(item.get("state") or "").lower()
    return ImportedArticle(
        url=url,
        title=title,
        added=utc_time(item.get("savedAt")),
        read=utc_time(item.get("updatedAt")) if state == "archived" else "",
        tags=clean_tags(labels),
        state="archive" if state == "archived" else "",
        content=content or None,
        suffix=suffix,
        highlights=highlights,
        where=where,
    )


def _page(title: str, author: Any, body: bytes) -> bytes:
    if body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        return body
    byline = f'<meta name="author" content="{escape(author)}">' if isinstance(author, str) and author else ""
    head = f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>{byline}</head><body><article>'
    return head.encode("utf-8") + body + b"</article></body></html>"


def parse_highlights(text: str) -> list[Highlight]:
    """The highlights of an Omnivore ``highlights/SLUG.md``."""
    found: list[Highlight] = []
    quote: list[str] | None = None
    tags: list[str] = []
    note: list[str] = []

    def close() -> None:
        if quote is not None and "".join(quote).strip():
            found.append(Highlight(_joined(quote), "\n\n".join(note).strip(), clean_tags(tags)))

    paragraphs = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    for paragraph in paragraphs:
        lines = paragraph.strip("\n").split("\n")
        if lines and lines[0].startswith(">"):  # a new highlight (a quote's own paragraphs are "> " lines)
            close()
            quote, tags, note = _unquoted(lines), [], []
        elif quote is not None and _LABEL_LINE.match(paragraph.strip()) and not note:
            tags.extend(word.lstrip("#") for word in paragraph.split())
        elif quote is not None and paragraph.strip():
            note.append(paragraph.strip())
    close()
    return found


def _unquoted(lines: list[str]) -> list[str]:
    return [re.sub(r"^>\s?", "", line) for line in lines]


def _joined(lines: list[str]) -> str:
    text = "\n".join(line if line.strip() else "\n" for line in lines).strip()
    text = re.sub(r"\s*\[⤴️\]\([^)]*\)\s*$", "", text)  # a link back to Omnivore after the quote
    return re.sub(r"\n{2,}", "\n\n", text)

"""Articles fetched from the web: what is known of each, and the name it is saved under.

An article is its page's HTML exactly as fetched (so a better extractor can read it
again) and an :class:`ArticleMeta`: the address asked for, the address the redirects
ended at, the page's canonical address, when it was fetched, its title. Its file
name reads as what it is: ``2026-12-04-title-words.html``. Plain Python; the page is
read by reader's own HTML reader.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from reader.core.formats import UnreadableDocument, parse_bytes
from reader.core.urls import resolve, url_key

__all__ = ["ArticleMeta", "PageInfo", "page_info", "file_stem", "BadMeta", "utc_now"]

_STEM_WORDS = 8
_STEM_CHARS = 60
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CANONICAL = re.compile(r"(?:^|\s)canonical(?:\s|$)", re.IGNORECASE)


class BadMeta(ValueError):
    """An article's metadata that cannot be used; one line."""


def utc_now() -> str:
    """The time now, as the metadata keeps it: ``2026-12-04T09:30:00Z``."""
    return datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What reader knows of a saved article besides its HTML (kept beside it, readable)."""

    url: str
    final_url: str
    canonical_url: str | None
    fetched: str  # UTC, ISO 8601
    title: str
    content_type: str = "text/html"
    file: str = ""  # the HTML's file name in the articles folder
    extra: dict[str, Any] = field(default_factory=dict)  # keys written by a newer reader, kept

    def keys(self) -> set[str]:
        """The duplicate keys of this article: its addresses' :func:`url_key`."""
        found = {url_key(self.url), url_key(self.final_url)}
        if self.canonical_url:
            found.add(url_key(self.canonical_url))
        return found

    def to_mapping(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "url": self.url,
            "final_url": self.final_url,
            "canonical_url": self.canonical_url,
            "fetched": self.fetched,
            "content_type": self.content_type,
            "file": self.file,
        }
        for key, value in self.extra.items():
            data.setdefault(key, value)
        return data

    @classmethod
    def from_mapping(cls, data: Any) -> ArticleMeta:
        if not isinstance(data, dict):
            raise BadMeta(f"expected 'key: value' lines, got {type(data).__name__}")
        known = ("title", "url", "final_url", "canonical_url", "fetched", "content_type", "file")
        values: dict[str, Any] = {}
        for key in known:
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise BadMeta(f"{key} must be text, got {type(value).__name__}")
            values[key] = value
        if not values["url"]:
            raise BadMeta("no url")
        try:
            url_key(values["url"])
            for key in ("final_url", "canonical_url"):
                if values[key]:
                    url_key(values[key])
        except ValueError as error:
            raise BadMeta(f"a bad address ({error})") from None
        return cls(
            url=values["url"],
            final_url=values["final_url"] or values["url"],
            canonical_url=values["canonical_url"] or None,
            fetched=values["fetched"] or "",
            title=values["title"] or "",
            content_type=values["content_type"] or "text/html",
            file=values["file"] or "",
            extra={k: v for k, v in data.items() if k not in known and isinstance(k, str)},
        )


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What the HTML reader makes of a fetched page: its title, its canonical address, its words."""

    title: str
    canonical_url: str | None
    words: int


def page_info(data: bytes, url: str) -> PageInfo:
    """Read a page's HTML (``url``: where it came from, to resolve its canonical link).

    Raises :class:`UnreadableDocument` for bytes that are not text."""
    document = parse_bytes(data, Path("page.html"), "html")
    return PageInfo(document.title, _canonical(data, url), document.words)


def _canonical(data: bytes, url: str) -> str | None:
    """The page's ``<link rel=canonical href>``, absolute, when it is an http(s) address."""
    from selectolax.lexbor import LexborHTMLParser

    from reader.core.formats.encoding import NotText, decode

    head = data[: 512 * 1024]  # the head: a canonical link deeper in is no page's
    try:
        text, _ = decode(head, None)
    except NotText:
        return None
    tree = LexborHTMLParser(text)
    for node in tree.css("link[rel][href]"):
        rel = node.attributes.get("rel") or ""
        if _CANONICAL.search(rel):
            return resolve(url, node.attributes.get("href") or "")
    return None


def file_stem(title: str, fetched: str, url: str) -> str:
    """A readable file name without its extension: ``2026-12-04-title-words``.

    The words of the title (accents folded where a plain letter exists, other scripts
    kept), else of the address's host and path; at most 8 words and 60 characters."""
    date = fetched[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", fetched[:10]) else utc_now()[:10]
    words = _words(title)
    if not words:
        parts = urlsplit(url)
        words = _words(f"{parts.hostname or ''} {unquote(parts.path)}")
    stem = ""
    for word in words[:_STEM_WORDS]:
        longer = f"{stem}-{word}" if stem else word
        if len(longer) > _STEM_CHARS:
            if not stem:
                stem = word[:_STEM_CHARS]
            break
        stem = longer
    return f"{date}-{stem}" if stem else f"{date}-article"


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFC", folded).casefold()
    return [w for w in _WORD.findall(folded) if w not in ("html", "htm", "www")]


def content_type_of(data: bytes, declared: str | None) -> str:
    """The media type of a fetched body: what the server said, else what its first bytes show."""
    head = data[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "application/pdf"
    if data[:4] == b"PK\x03\x04" and b"application/epub+zip" in data[:100]:
        return "application/epub+zip"
    media = (declared or "").split(";", 1)[0].strip().lower()
    if media:
        return media
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return "text/html"
    return "application/octet-stream"


__all__ += ["content_type_of", "UnreadableDocument"]

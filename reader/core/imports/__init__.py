"""Exports of the read-later services, read into one shape: the articles and their highlights.

``reader import FILE`` brings a library from another service. :func:`detect`
(``detect.py``) tells the format by the content (never by the name); each service's
module reads its own export into :class:`ImportedArticle` items: the address, the
title, the dates, the tags, the state and star, the article's text when the export
holds it, and the highlights (a quote and the user's note). Nothing here writes
anything: ``reader.storage.importing`` saves the articles and makes the notes.

Every format is read defensively: a row or an item that does not read becomes one
line in :attr:`ParsedExport.problems` ("FILE: row N: why") and the rest is read;
only a file that is not the format at all raises :class:`BadImport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BadImport", "Highlight", "ImportedArticle", "ParsedExport", "MAX_ARTICLES"]

MAX_ARTICLES = 1_000_000  # an export listing more is refused: no one saved that many


class BadImport(ValueError):
    """A file that is not an export reader reads; the message is one line naming it."""


@dataclass(frozen=True, slots=True)
class Highlight:
    """A passage the user marked in the other service, and what they wrote about it."""

    quote: str
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""  # UTC, ISO 8601 ("" when the export does not say)


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    """One saved article of an export."""

    url: str
    title: str = ""
    added: str = ""  # when it was saved in the other service (UTC, ISO 8601)
    read: str = ""  # when it was read or archived, when the export says
    tags: tuple[str, ...] = ()
    state: str = ""  # "" (inbox), "later" or "archive"
    favourite: bool = False
    content: bytes | None = None  # the article's text as the export holds it; None: only a link
    suffix: str = ".html"  # the file the content is saved as: .html or .md
    highlights: tuple[Highlight, ...] = ()
    where: str = ""  # where in the export it was read ("row 12"), for messages


@dataclass
class ParsedExport:
    """What an export holds: its service, the articles read, and a line per row that did not read."""

    service: str
    articles: list[ImportedArticle] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # highlights of an export that names its articles by title only (Readwise's highlights CSV)
    by_title: dict[str, list[Highlight]] = field(default_factory=dict)

    @property
    def highlights(self) -> int:
        return sum(len(a.highlights) for a in self.articles) + sum(len(h) for h in self.by_title.values())

    @property
    def tags(self) -> set[str]:
        return {tag.casefold() for article in self.articles for tag in article.tags}

"""The links of a document, and the address each opens: for the app's list of links.

A link's address is the ``href`` its file gives (``Mark.href``). An absolute
``http``, ``https`` or ``mailto`` address opens as it is; a relative one is
resolved against the address the document came from when that is known (a saved
article's), else it is listed but cannot be opened. Other schemes
(``javascript:``, ``file:``, ``data:``…) and links inside the page (``#part``) are
listed, never opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from reader.core.document import Document

__all__ = ["DocLink", "document_links", "resolve_link", "why_not_opened"]

_OPENED = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True, slots=True)
class DocLink:
    text: str  # the link's words in the document
    href: str  # as the file writes it
    url: str | None  # what opens in the browser; None when it cannot be opened
    offset: int  # where the link is in the document's text


def resolve_link(href: str, base: str | None) -> str | None:
    """The address ``href`` opens, or None (relative with no ``base``, inside the page, another scheme)."""
    href = href.strip()
    if not href or href.startswith("#") or any(ord(char) < 32 for char in href):
        return None
    scheme = urlsplit(href).scheme.lower()
    if scheme:
        return href if scheme in _OPENED else None
    if not base or urlsplit(base).scheme.lower() not in ("http", "https"):
        return None
    return urljoin(base, href)


def why_not_opened(href: str) -> str:
    """Why ``href`` (which :func:`resolve_link` did not resolve) does not open, in a few words."""
    href = href.strip()
    if href.startswith("#"):
        return "a place in this page"
    if urlsplit(href).scheme:
        return "not a web address"
    return "relative, and the page's address is not known"


def document_links(document: Document, base: str | None = None) -> list[DocLink]:
    """Every link of ``document`` in text order (the same address under the same words once)."""
    found: list[DocLink] = []
    seen: set[tuple[str, str]] = set()
    for block in document.blocks:
        for mark in block.marks:
            if mark.kind != "link" or not mark.href:
                continue
            text = " ".join(block.text[mark.start : mark.end].split())
            if (text, mark.href) in seen:
                continue
            seen.add((text, mark.href))
            found.append(DocLink(text, mark.href, resolve_link(mark.href, base), block.start + mark.start))
    return found

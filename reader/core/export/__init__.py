"""Exporting notes and bookmarks: Markdown, JSON, HTML, Org and CSV; reading JSON back.

Input everywhere is a list of ``(DocumentRef, notes)`` pairs and the export
time (a parameter, so the same notes always give the same bytes). Tombstones are
left out and each document's notes come out in document order.

- :func:`render` gives the text of one format;
- :func:`append_markdown` adds to an earlier Markdown export only the notes it
  does not hold yet, leaving the user's edits alone;
- :func:`parse_json` reads a JSON export back (:class:`BadExport` when it cannot).
"""

from __future__ import annotations

from collections.abc import Callable

from reader.core.export.common import Documents
from reader.core.export.html_page import render_html
from reader.core.export.markdown import append_markdown, render_markdown
from reader.core.export.org import render_org
from reader.core.export.readwise_csv import render_csv
from reader.core.export.web_annotation import BadExport, parse_json, render_json

__all__ = [
    "FORMATS",
    "EXTENSIONS",
    "BadExport",
    "Documents",
    "render",
    "append_markdown",
    "parse_json",
]

_RENDERERS: dict[str, Callable[..., str]] = {
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
    "org": render_org,
    "csv": render_csv,
}
FORMATS = tuple(_RENDERERS)
EXTENSIONS = {"markdown": ".md", "json": ".json", "html": ".html", "org": ".org", "csv": ".csv"}


def render(format: str, documents: Documents, *, exported: str) -> str:
    """The export of ``documents`` in ``format`` (one of :data:`FORMATS`)."""
    try:
        renderer = _RENDERERS[format]
    except KeyError:
        raise ValueError(f"unknown export format {format!r} (one of {', '.join(FORMATS)})") from None
    return renderer(documents, exported=exported)

"""Command palette provider: open any document in the library by its title."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from reader.core.visible import visible
from reader.ui.messages import OpenDocument

__all__ = ["DocumentCommands"]

_MAX_DISCOVERY = 50


class DocumentCommands(Provider):
    """Fuzzy-matches document titles (and sources) as the user types."""

    def _documents(self):  # type: ignore[no-untyped-def]
        from reader.ui.screens.main import MainScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, MainScreen):
                return screen.documents
        return []

    def _open(self, document_id: str) -> None:
        from reader.ui.screens.main import MainScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, MainScreen):
                screen.post_message(OpenDocument(document_id))

    async def discover(self) -> Hits:
        for doc in self._documents()[:_MAX_DISCOVERY]:
            yield DiscoveryHit(Content(_label(doc.title)), partial(self._open, doc.id), help=_help(doc.source))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for doc in self._documents():
            label = _label(doc.title)
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, _highlight(matcher, label), partial(self._open, doc.id), help=_help(doc.source))


# The palette reads a hit's text and help as markup: a title or source is shown as
# plain text (``[/r/python]`` must not end the app), its controls made visible.


def _label(title: str) -> str:
    return "Open: " + visible(" ".join(title.split()))


def _help(source: str) -> str | None:
    # Content, not a string: the palette returns Content as it is rather than parse it
    return Content(visible(" ".join(source.split()))) if source else None  # type: ignore[return-value]


def _highlight(matcher: Matcher, label: str) -> Content:
    """``Matcher.highlight`` without reading ``label`` as markup."""
    content = Content(label)
    score, offsets = matcher.fuzzy_search.match(matcher.query, label)
    if score:
        for offset in offsets:
            if not label[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content

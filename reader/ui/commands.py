"""Command palette provider: open any document in the library by its title."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
            yield DiscoveryHit(f"Open: {doc.title}", partial(self._open, doc.id), help=doc.source or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for doc in self._documents():
            label = f"Open: {doc.title}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._open, doc.id), help=doc.source or None)

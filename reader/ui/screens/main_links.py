"""The main screen's list of the open document's links: one picked opens in the browser.

``$BROWSER`` (else ``xdg-open``, ``open`` on macOS) gets the address as one argument,
never through a shell. A relative link is resolved against the address the
document was saved from (a saved article's metadata); where that is not known it
is listed, and picking it says why it does not open.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from reader.core.doc_links import DocLink, document_links, why_not_opened
from reader.core.visible import visible
from reader.ui.widgets.document_view import DocumentView

__all__ = ["LinksPart", "link_label"]


def link_label(link: DocLink) -> str:
    shown = link.url or f"{link.href} (not opened: {why_not_opened(link.href)})"
    return visible(f"{link.text or link.href} — {shown}")


class LinksPart(Screen[None]):
    BINDINGS = [Binding("O", "links", "Links", id="links", show=False)]

    def action_links(self) -> None:
        from reader.storage.articles import ArticlesFolder
        from reader.ui.screens.pick import PickScreen

        document = self.query_one(DocumentView).document
        if document is None:
            self.notify("Open a document to see its links.", timeout=4)
            return
        meta = ArticlesFolder(document.path.parent).meta_of(document.path)
        links = document_links(document, (meta.final_url or meta.url) if meta is not None else None)
        if not links:
            self.notify("This document has no links.", timeout=4)
            return
        choices = [(link_label(link), link) for link in links]
        self.app.push_screen(PickScreen(f"Links of {document.title} ({len(links)})", choices), self._open_link)

    def _open_link(self, picked: tuple[DocLink] | None) -> None:
        from reader.ui.external import browser_command, run_in_terminal

        if picked is None:
            return
        link = picked[0]
        if link.url is None:
            self.notify(f"{visible(link.href)}: not opened ({why_not_opened(link.href)})",
                        title="Links", severity="warning", timeout=8, markup=False)
            return
        problem = run_in_terminal(self.app, browser_command(link.url), "$BROWSER")
        if problem:
            self.notify(visible(problem), title="Browser", severity="warning", timeout=8, markup=False)

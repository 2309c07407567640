"""The command palette: every key's command, and any document in the library by its title.

The commands are the bindings in force (the config's keys applied), the same list the
help screen shows: a binding is declared once and gives its key, its line in the help
and its palette command.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from reader.core.visible import visible
from reader.ui.messages import OpenDocument

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.dom import DOMNode

    from reader.ui.app import ReaderApp

__all__ = ["DocumentCommands", "binding_commands", "NOT_COMMANDS"]

# keys that move a row, or are the palette and Textual's own (its Quit and Keys are there already)
NOT_COMMANDS = {"down", "up", "back", "command_palette", "quit", "clear_selection"}


def binding_commands(app: ReaderApp) -> Iterator[SystemCommand]:
    """A palette command for every binding the help screen lists, run where its key works."""
    from reader.ui.screens.help import key_label

    seen: set[tuple[str, str]] = set()
    for heading, owner, binding in app.command_bindings():
        if binding.id in NOT_COMMANDS or binding.action in NOT_COMMANDS:
            continue
        title = command_title(binding, heading if owner is not None else None)
        if (title, binding.action) in seen:
            continue
        seen.add((title, binding.action))
        keys = " ".join(dict.fromkeys(key_label(key.strip()) for key in binding.key.split(",")))
        where = heading if owner is not None else "everywhere"
        yield SystemCommand(title, f"{keys} · {where}", partial(_run, app, owner, binding.action))


def command_title(binding: Binding, heading: str | None) -> str:
    """``Export``; a pane's command says which pane: ``Copy (Reading)``."""
    title = binding.description or binding.action.replace("_", " ").capitalize()
    if heading:
        title += f" ({heading.split(' (')[0]})"
    return title


def _run(app: ReaderApp, owner: type[DOMNode] | None, action: str) -> None:
    """Run ``action`` where its key would: on the app and screen, or in its pane (focused first)."""
    from reader.ui.screens.main import MainScreen

    screen = app.screen
    if owner is None:
        target: DOMNode = app if action in _app_actions(app) else screen
    else:
        panes = screen.query(owner) if isinstance(screen, MainScreen) else []
        if not panes:
            app.bell()
            return
        target = panes.first()
        if not target.display:
            app.notify(f"{_pane_name(owner)} is not shown now.", severity="warning", timeout=3)
            return
        if target.focusable:
            target.focus()
    name = action.partition("(")[0]
    if target.check_action(name, ()) is False:
        app.notify("Not available here now.", severity="warning", timeout=3)
        return
    app.call_later(app.run_action, action, target)


def _app_actions(app: ReaderApp) -> set[str]:
    return {binding.action for per_key in app._bindings.key_to_bindings.values() for binding in per_key}


def _pane_name(owner: type[DOMNode]) -> str:
    return {"DocumentList": "The list", "DocumentView": "The document", "NotesPanel": "The notes panel"}.get(
        owner.__name__, owner.__name__
    )

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

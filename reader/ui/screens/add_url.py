"""Add a URL from the app: a dialog for the address, a worker that fetches it, the article opened.

The dialog offers the clipboard's address when it holds one (the system clipboard
through ``wl-paste``, ``xclip``, ``xsel`` or ``pbpaste`` where one is installed,
else what was copied in the app). The page is fetched by the same code as
``reader add`` in a thread worker (``group="add"``), its progress in the status
line; the new article (or the one already saved from that address) joins the list
and opens.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reader.core.urls import BadUrl, check_url, looks_like_url
from reader.core.visible import visible

if TYPE_CHECKING:
    from reader.storage.adding import Outcome

__all__ = ["AddUrlDialog", "start_add", "clipboard_url"]

_PASTE_COMMANDS = (
    ("wl-paste", "--no-newline"),
    ("xclip", "-selection", "clipboard", "-o"),
    ("xsel", "--clipboard", "--output"),
    ("pbpaste",),
)


def clipboard_url(app: Any) -> str:
    """The clipboard's text when it is one web address, else ""."""
    for command in _PASTE_COMMANDS:
        if shutil.which(command[0]) is None:
            continue
        try:
            done = subprocess.run(command, capture_output=True, timeout=1, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        text = done.stdout[:8192].decode("utf-8", "replace").strip()
        if done.returncode == 0 and looks_like_url(text):
            return text
    text = (getattr(app, "clipboard", "") or "").strip()
    return text if looks_like_url(text) else ""


class AddUrlDialog(ModalScreen[str | None]):
    """The address to add: ``Enter`` adds, ``Esc`` cancels; a bad address is said under the field."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_add_url")]
    DEFAULT_CSS = """
    AddUrlDialog { align: center middle; }
    #add-url-input { margin: 1 0 0 0; }
    #add-url-hint { color: $text-muted; margin: 0 0 1 0; }
    """

    def __init__(self, offered: str = "") -> None:
        super().__init__()
        self.offered = offered

    def compose(self) -> ComposeResult:
        with Vertical(id="add-url-dialog", classes="dialog"):
            yield Label("Add an article", classes="dialog-title")
            yield Input(self.offered, placeholder="https://…", id="add-url-input")
            hint = "From the clipboard. Enter adds, Esc cancels." if self.offered else "Enter adds, Esc cancels."
            yield Label(hint, id="add-url-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#add-url-input")
    def submitted(self, event: Input.Submitted) -> None:
        try:
            url = check_url(event.value)
        except BadUrl as error:
            self.query_one("#add-url-hint", Label).update(visible(str(error)))
            return
        self.dismiss(url)

    def action_cancel(self) -> None:
        self.dismiss(None)


def start_add(screen: Any) -> None:
    """Ask for an address on ``screen`` (the MainScreen), then fetch it there."""

    def chosen(url: str | None) -> None:
        if url:
            screen.run_worker(lambda: _fetch(screen, url), thread=True, group="add", exclusive=False, name="add")

    screen.app.push_screen(AddUrlDialog(clipboard_url(screen.app)), chosen)


def _fetch(screen: Any, url: str) -> None:
    """In a thread: fetch ``url`` into the articles folder, then hand the outcome to the screen."""
    from reader.storage.adding import Adder
    from reader.storage.articles import ArticlesFolder, articles_dir

    app = screen.app
    status = _status(screen)
    app.call_from_thread(status, f"Fetching {visible(url)}…")
    try:
        folder = ArticlesFolder(articles_dir(app.paths, app.config))
        [outcome] = Adder(folder).add_urls([url]) or [None]
    except OSError as error:
        app.call_from_thread(app.notify, f"{url}: {error.strerror or error}", title="Not added", severity="error")
        app.call_from_thread(status, "Not added.")
        return
    app.call_from_thread(_show, screen, outcome, folder.root)


def _status(screen: Any) -> Any:
    from reader.ui.widgets.status_line import StatusLine

    return lambda text: screen.query_one(StatusLine).show_message(text)


def _show(screen: Any, outcome: Outcome | None, root: Path) -> None:
    """On the UI thread: say what happened; list and open the article."""
    from reader.storage.adding import DUPLICATE, FAILED

    status = _status(screen)
    if outcome is None:
        return
    if outcome.status == FAILED:
        queued = " It is queued: 'reader add --retry' tries again." if outcome.queued else ""
        screen.app.notify(f"{outcome.url}: {outcome.reason}.{queued}", title="Not added", severity="error", timeout=10)
        status(f"Not added: {visible(outcome.reason)}")
        return
    assert outcome.path is not None
    if not any(root == path or path in root.parents for path in screen.library_paths):
        screen.library_paths.append(root)  # the first article: its folder joins the library
    word = "Already in the library" if outcome.status == DUPLICATE else "Added"
    screen.app.notify(f"{word}: {outcome.title or outcome.path.name}", title="Articles", timeout=4)
    screen.reread([outcome.path], set())  # into the list (and the index)
    screen.open_added(outcome.path, outcome.title or outcome.path.name)

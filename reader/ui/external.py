"""Programs outside the app: the user's ``$EDITOR`` on a document's file, at a line;
the user's ``$BROWSER`` (else ``xdg-open``, ``open`` on macOS) on a link's address.
Each is run as a list of arguments, never through a shell.

The terminal is handed to the program (the app suspended) and taken back when it
ends; the file watcher then shows what was changed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from textual.app import App

__all__ = ["browser_command", "editor_command", "file_line", "run_in_terminal"]

_PROBE = 48  # characters of the cursor's text looked for in the file


def editor_command(path: Path, line: int, environ: dict[str, str] | None = None) -> list[str]:
    """``$VISUAL`` or ``$EDITOR`` (else ``vi``) with ``+LINE`` and the file, as most editors take it."""
    environ = os.environ if environ is None else environ
    editor = environ.get("VISUAL") or environ.get("EDITOR") or "vi"
    return [*shlex.split(editor), f"+{line}", str(path)]


def browser_command(url: str, environ: dict[str, str] | None = None) -> list[str]:
    """``$BROWSER`` (its first program when it lists several, ``:``-separated; ``%s`` replaced by
    the address, else the address after it), else ``xdg-open`` (``open`` on macOS)."""
    import sys

    environ = os.environ if environ is None else environ
    browser = (environ.get("BROWSER") or "").split(os.pathsep)[0].strip()
    if not browser:
        return ["open" if sys.platform == "darwin" else "xdg-open", url]
    words = shlex.split(browser)
    if any("%s" in word for word in words):
        return [word.replace("%s", url) for word in words]
    return [*words, url]


def file_line(path: Path, text: str) -> int:
    """The line of ``path`` (from 1) where ``text`` (the cursor's row, as shown) starts; 1 if not found.

    The shown text is normalised (spaces joined, markup gone), so the file is searched for
    the row's first words, then its first word alone.
    """
    try:
        raw = path.read_bytes()[: 64 * 1024 * 1024]
    except OSError:
        return 1
    content = raw.decode("utf-8", errors="replace")
    words = text.split()
    for probe in (" ".join(words)[:_PROBE], " ".join(words[:3]), words[0] if words else ""):
        if not probe:
            continue
        found = content.find(probe)
        if found >= 0:
            return content.count("\n", 0, found) + 1
    return 1


def run_in_terminal(app: App[object], command: list[str], variable: str = "$EDITOR") -> str:
    """Run ``command`` with the terminal handed over (a text browser or editor needs it); "" when
    it ran, else why not (one line, naming ``variable`` when the program is not found)."""
    from textual.app import SuspendNotSupported

    try:
        with app.suspend():
            return _run(command, variable)
    except SuspendNotSupported:  # no terminal to hand over (a test, the web): run it as it is
        return _run(command, variable)


def _run(command: list[str], variable: str = "$EDITOR") -> str:
    try:
        completed = subprocess.run(command, check=False)
    except FileNotFoundError:
        return f"{command[0]}: not found (set {variable})"
    except OSError as error:
        return f"{command[0]}: {error.strerror or error}"
    return "" if completed.returncode == 0 else f"{command[0]} ended with status {completed.returncode}"

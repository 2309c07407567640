"""No escape sequence reaches the terminal through the command line (issue 18, item 4).

Random text, with escape sequences, C1 controls, bidi overrides and markup-like
brackets mixed in, in file names, titles, notes, tags and bookmark names, through
every command that prints: ``list``, ``index``, ``search``, ``notes``, ``export``
(each format, and ``--output``), ``import``, with ``--json`` where it exists. No
ESC, no C1 control and no bidi control may reach stdout or stderr (bar the
styling the commands write themselves on a terminal), and no command may raise.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.document import document_id
from reader.core.export import parse_json, render
from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, new_note

HOSTILE = [
    "\x1b]0;pwned\x07",  # sets the window title
    "\x1b[2J",  # clears the screen
    "\x1b]52;c;ZXZpbA==\x07",  # writes the clipboard
    "\x9b31m",  # CSI as one C1 byte
    "\x9d0;t\x9c",  # OSC … ST as C1
    "\u202egnp.exe",  # right-to-left override
    "\u2066x\u2069",
    "[/r/python]",
    "[link=https://example.com]x[/link]",
    "[SOLVED]",
    "\r",
    "\x00",
]
# the styling the commands write themselves when stdout is a terminal
OWN_STYLES = re.compile(r"\x1b\[[012]m")
UNSAFE = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), min_size=1, max_size=5).map("".join)


def _name(text: str, fallback: str) -> str:
    """``text`` usable as one file name in a library (not hidden, no slash, no NUL)."""
    name = text.replace("/", "_").replace("\x00", "_").lstrip(".")
    return (name or fallback)[:60]


def _assert_safe(out: str, err: str, *, tty: bool = False) -> None:
    if tty:
        out = OWN_STYLES.sub("", out)
    for stream in (out, err):
        assert "Traceback" not in stream
        found = UNSAFE.search(stream)
        assert found is None, f"{found.group()!r} reached the output: {stream[max(0, found.start() - 40) : found.end() + 40]!r}"


def _library(root: Path, name: str | bytes, title: str) -> Path:
    library = root / "lib"
    library.mkdir()
    if isinstance(name, bytes):
        path = Path(os.fsdecode(os.path.join(os.fsencode(library), name + b".md")))
    else:
        path = library / f"{name}.md"
    title = title.replace("\x00", "")  # a NUL byte makes it a binary file, not a document
    path.write_text(f"# {title}\n\nalpha beta gamma about okapis.\n", encoding="utf-8")
    return path


def _hostile_import(root: Path, path: Path, title: str, note_text: str, tag: str, name: str) -> Path:
    """A JSON export of hostile notes, as `reader import` would be handed it."""
    document = read_document(path)
    ref = DocumentRef(document_id(path), os.fsdecode(os.path.abspath(path)), title, title)
    notes = [
        new_note(document, Kind.NOTE, 0, 5, text=note_text, tags=(tag,)),
        new_note(document, Kind.BOOKMARK, 6, 10, name=name),
    ]
    file = root / "hostile.json"
    file.write_text(render("json", [(ref, notes)], exported="2026-01-01T00:00:00Z"), encoding="utf-8")
    return file


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _exercise(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, root: Path, library: Path, *, search: bool):
    commands = [["list", str(library)], ["list", "--json", str(library)]]
    if search:
        commands += [["index", str(library)], ["search", "okapis", str(library)], ["search", "--json", "okapis", str(library)]]
    commands += [["notes"], ["notes", "--json"], ["export", "--format", "json"]]
    commands += [["export", "--format", fmt, "--output", str(root / f"out.{fmt}")] for fmt in ("markdown", "json", "csv")]
    for command in commands:
        status, out, err = _run(capsys, *command)
        _assert_safe(out, err)
        if command[0] in ("list", "search", "notes"):
            assert status == 0, (command, err)
        if command[-1] == "--json":
            json.loads(out)
    # on a terminal: the notes and every export format are shown made visible
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    try:
        for command in (["notes"], *(["export", "--format", fmt] for fmt in ("markdown", "json", "html", "org", "csv"))):
            status, out, err = _run(capsys, *command)
            assert status == 0, (command, err)
            _assert_safe(out, err, tty=True)
    finally:
        monkeypatch.undo()


SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(name=hostile_text, title=hostile_text, note_text=hostile_text, tag=hostile_text, bookmark=hostile_text)
def test_hostile_text_never_reaches_the_terminal(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    title: str,
    note_text: str,
    tag: str,
    bookmark: str,
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        monkeypatch.setenv("READER_HOME", str(root / "home"))
        monkeypatch.setenv("READER_NO_OPTIMIZE", "1")
        path = _library(root, _name(name, "doc"), title)
        status, out, err = _run(capsys, "import", str(_hostile_import(root, path, title, note_text, tag, bookmark)))
        assert status == 0, err
        _assert_safe(out, err)
        _exercise(capsys, monkeypatch, root, root / "lib", search=True)


@SETTINGS
@given(name=st.binary(min_size=1, max_size=20), title=hostile_text)
def test_undecodable_file_names_are_shown_replaced(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: bytes, title: str
) -> None:
    name = name.replace(b"/", b"_").replace(b"\x00", b"_").lstrip(b".") + b"\xff"
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        monkeypatch.setenv("READER_HOME", str(root / "home"))
        path = _library(root, name, title)
        Path(os.fsdecode(os.fsencode(path) + b".txt")).write_bytes(b"\x00\x01" * 64)  # binary: skipped, its path printed
        # list only: index, search, notes and export carry such names once paths are lossless there (item 2)
        for command in (["list", str(root / "lib")], ["list", "--json", str(root / "lib")]):
            status, out, err = _run(capsys, *command)
            _assert_safe(out, err)
            assert "\ufffd" in err  # the skipped file's bad bytes, replaced


def test_export_into_a_pipe_keeps_the_notes_exact_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = _library(tmp_path, "doc", "Title")
    note = "erase \x1b[2J and \u202eevil"
    assert _run(capsys, "import", str(_hostile_import(tmp_path, path, "T", note, "t", "b")))[0] == 0
    status, out, _ = _run(capsys, "export", "--format", "markdown")
    assert status == 0 and "erase \x1b[2J and \u202eevil" in out.replace("\\[", "[")
    status, out, _ = _run(capsys, "export", "--format", "json")
    assert "\x1b" not in out and "\u202e" not in out  # escaped: the same data, read back exactly
    [(_, notes)] = parse_json(out)
    assert note in {n.text for n in notes}


def test_list_shows_a_control_in_a_title_and_a_skipped_path_made_visible(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (library / "\x1b]0;pwned\x07.txt").write_bytes(b"\x00\x01" * 64)  # binary: skipped, its path printed
    (library / "tab\u202eeman.md").write_text("# \n\nalpha\n", encoding="utf-8")  # empty title: the stem is shown
    status, out, err = _run(capsys, "list", str(library))
    assert "\u241b]0;pwned\u2407.txt" in err
    _assert_safe(out, err)

"""Small things on the command line: what a missing query says, the list's header and plurals."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main


def test_search_without_words_says_what_to_give(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["search"], ["search", "   "]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err == "reader: give the words to search for: reader search QUERY [PATH ...]\n"


def test_list_says_one_document_and_shows_no_format_as_a_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("Plain Title\n\nNo byline here, just a paragraph of text.\n")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02" * 100)
    assert main(["list", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "1 document, 1 skipped" in err
    [row] = out.splitlines()
    assert "Plain Title" in row and " text " not in row and "—" in row


def test_list_on_a_terminal_has_a_header_row(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Plain Title\n\nA paragraph.\n")
    leader, follower = pty.openpty()
    env = dict(os.environ, COLUMNS="100")
    process = subprocess.run(
        [sys.executable, "-m", "reader", "list", str(tmp_path)],
        stdout=follower, stderr=subprocess.PIPE, env=env, timeout=600,
    )
    os.close(follower)
    out = os.read(leader, 65536).decode()
    os.close(leader)
    assert process.returncode == 0, process.stderr
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0].split()[:3] == ["ID", "TITLE", "SOURCE"] and "Plain Title" in lines[1]

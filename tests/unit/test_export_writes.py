"""``reader export --output``: the file a path leads to is written in place, and nothing is ever replaced.

Symlinks are followed, devices, FIFOs and read-only files refused, an existing
file keeps its mode and hard links, a new one gets the umask's mode; standard
output (``-o -``, ``-o /dev/stdout``) is a target like any other; errors are one
line. Special files are made in the test's own folder, never taken from /dev.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.cli import main
from tests.unit.test_export_cli import Library, exported_ids, note_on, one_line_error, ref_of, run

HANG_GUARD = 120  # seconds: only there so that a regression fails instead of hanging the suite


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(tmp_path / "library")


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def guarded(capsys: pytest.CaptureFixture[str], fifo: Path, *args: str) -> tuple[int, str, str]:
    """``run`` with a hang guard: a command still blocked on ``fifo`` after minutes fails the test."""
    result: dict[str, int] = {}
    thread = threading.Thread(target=lambda: result.update(status=main(list(args))), daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    if thread.is_alive():
        for flags in (os.O_WRONLY | os.O_NONBLOCK, os.O_RDONLY | os.O_NONBLOCK):  # let it go
            try:
                os.close(os.open(fifo, flags))
            except OSError:
                pass
        pytest.fail(f"reader {' '.join(args)} hung on a FIFO")
    out, err = capsys.readouterr()
    return result["status"], out, err


def device_like_dev_full(folder: Path) -> Path:
    node = folder / "full"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except (PermissionError, OSError) as error:
        pytest.skip(f"cannot make a device node here ({error})")
    return node


# -- symlinks ------------------------------------------------------------------------------


def test_an_append_through_a_symlink_writes_the_linked_file(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path
) -> None:
    vault = tmp_path / "vault"
    vault.mkdir()
    real = vault / "notes.md"
    link = tmp_path / "vault.md"
    link.symlink_to(real)
    assert run(capsys, "export", "--tag", "animals", "--output", str(link))[0] == 0
    assert link.is_symlink() and exported_ids_md(real) == {"note-giraffe"}

    status, _, err = run(capsys, "export", "--output", str(link))
    assert status == 0, err
    assert err == f"added 3 notes to {link}\n"
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert exported_ids_md(real) == library.all_ids


def test_a_dangling_symlink_makes_the_file_it_names(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path
) -> None:
    real = tmp_path / "later.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    status, _, err = run(capsys, "export", "--format", "json", "--output", str(link))
    assert status == 0, err
    assert link.is_symlink() and exported_ids(real.read_text(encoding="utf-8")) == library.all_ids


def exported_ids_md(file: Path) -> set[str]:
    text = file.read_text(encoding="utf-8")
    return {line[len("<!-- note:") : -len(" -->")] for line in text.splitlines() if line.startswith("<!-- note:")}


# -- what is not a regular file ------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--force"], ["--format", "json", "--force"]])
def test_a_device_is_refused_and_stays_a_device(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, extra: list[str]
) -> None:
    node = device_like_dev_full(tmp_path)
    status, out, err = run(capsys, "export", "--output", str(node), *extra)
    assert status == 2 and out == ""
    assert one_line_error(err) == f"reader: --output: {node} is a character device, not a regular file; not written\n"
    assert stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.parametrize("extra", [[], ["--format", "json", "--force"]])
def test_a_fifo_is_refused_at_once_and_stays_a_fifo(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, extra: list[str]
) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    status, _, err = guarded(capsys, fifo, "export", "--output", str(fifo), *extra)
    assert status == 2
    assert one_line_error(err) == f"reader: --output: {fifo} is a named pipe (FIFO), not a regular file; not written\n"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_import_from_a_fifo_is_refused_at_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fifo = tmp_path / "notes.json"
    os.mkfifo(fifo)
    status, _, err = guarded(capsys, fifo, "import", str(fifo))
    assert status == 1
    assert one_line_error(err) == f"reader: {fifo} is a named pipe (FIFO), not a regular file; not read\n"


@pytest.mark.parametrize("extra", [[], ["--force"], ["--format", "org", "--force"]])
def test_a_read_only_file_is_refused(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, extra: list[str]
) -> None:
    target = tmp_path / "notes.md"
    assert run(capsys, "export", "--tag", "animals", "--output", str(target))[0] == 0
    target.chmod(0o444)
    before = target.read_bytes()
    status, _, err = run(capsys, "export", "--output", str(target), *extra)
    assert status == 2
    assert one_line_error(err) == f"reader: --output: {target} is read-only; not written\n"
    assert target.read_bytes() == before and stat.S_IMODE(target.stat().st_mode) == 0o444


# -- modes, links --------------------------------------------------------------------------


def test_force_rewrites_in_place_keeping_mode_and_hard_links(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "notes.json"
    target.write_text("an older export, longer than nothing\n" * 500, encoding="utf-8")
    target.chmod(0o644)
    twin = tmp_path / "twin.json"
    os.link(target, twin)
    inode = target.stat().st_ino
    status, _, err = run(capsys, "export", "--format", "json", "--output", str(target), "--force")
    assert status == 0, err
    assert target.stat().st_ino == inode and stat.S_IMODE(target.stat().st_mode) == 0o644
    assert twin.read_bytes() == target.read_bytes()
    assert exported_ids(target.read_text(encoding="utf-8")) == library.all_ids


def test_a_markdown_append_keeps_mode_and_hard_links(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "notes.md"
    assert run(capsys, "export", "--tag", "animals", "--output", str(target))[0] == 0
    target.chmod(0o664)
    twin = tmp_path / "twin.md"
    os.link(target, twin)
    inode = target.stat().st_ino
    assert run(capsys, "export", "--output", str(target))[0] == 0
    assert target.stat().st_ino == inode and stat.S_IMODE(target.stat().st_mode) == 0o664
    assert exported_ids_md(twin) == library.all_ids


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_a_new_file_gets_the_umask_mode(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"new.{fmt}"
    assert run(capsys, "export", "--format", fmt, "--output", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # 0o666 less the umask 0o027
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no temporary file left


# -- standard output -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["-", "/dev/stdout"])
def test_stdout_is_a_target(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "export", "--format", "json", "--output", name)  # no --force needed
    assert status == 0, err
    assert exported_ids(out) == library.all_ids
    status, out, err = run(capsys, "export", "--output", "-")
    assert status == 0, err
    assert out.startswith("---\n") and "<!-- note:note-giraffe -->" in out
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "json"], ["notes"]])
def test_a_full_standard_output_is_one_line(library: Library, command: list[str]) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:  # only written to, as stdout
        done = subprocess.run(
            [sys.executable, "-m", "reader", *command],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=HANG_GUARD, check=False,
        )
    assert done.returncode == 1
    assert one_line_error(done.stderr) == "reader: cannot write to standard output: No space left on device\n"


# -- markers -------------------------------------------------------------------------------


def test_a_marker_inside_a_note_does_not_hide_another_note(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path
) -> None:
    quoting = note_on(library.beta, "note-quoting", "The second document",
                      text="Look at\n<!-- note:note-later -->\nand <!-- note:note-policy --> too", tags=("animals",))
    library.store.put_note(ref_of(library.beta), quoting)
    target = tmp_path / "notes.md"
    status, _, err = run(capsys, "export", "--tag", "animals", "--output", str(target))
    assert status == 0, err
    library.add_later_note()
    status, _, err = run(capsys, "export", "--output", str(target))
    assert status == 0, err
    assert err == f"added 4 notes to {target}\n"  # note-later and note-policy among them
    assert exported_ids_md(target) == library.all_ids | {"note-quoting", "note-later"}


def test_a_marker_line_written_by_hand_counts(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "notes.md"
    target.write_text("My notes\n\n<!-- note:note-giraffe -->\n", encoding="utf-8")
    status, _, err = run(capsys, "export", "--output", str(target))
    assert status == 0, err
    assert err == f"added 3 notes to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("My notes\n\n<!-- note:note-giraffe -->\n\n# ")


# -- queries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "problem"),
    [('"unclosed', "a quote is not closed"), ("AND OR (", "no word to search for"),
     ("title:", "title: needs a word after it")],
)
def test_a_malformed_query_is_one_line_and_exports_nothing(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, query: str, problem: str
) -> None:
    target = tmp_path / "notes.md"
    status, out, err = run(capsys, "export", "--query", query, "--output", str(target))
    assert status == 2 and out == ""
    assert one_line_error(err) == f"reader: --query {query!r}: {problem}\n"
    assert not target.exists()

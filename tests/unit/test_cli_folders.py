"""Folders and locks that cannot be made or taken, and ``~user`` paths for no user: one line, nothing written."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.storage import locking
from reader.storage.paths import Paths
from tests.conftest import SEED
from tests.unit.test_export_cli import Library, one_line_error, run

QUOTE = "smart city cluster"


@pytest.fixture
def document(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    return Path(shutil.copy(SEED, folder / SEED.name))


@pytest.fixture
def export_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A JSON export of a few notes, made in a home of its own."""
    target = tmp_path / "notes.json"
    with monkeypatch.context() as scoped:
        scoped.setenv("READER_HOME", str(tmp_path / "exporting-home"))
        Library(tmp_path / "exported-library")
        assert run(capsys, "export", "--format", "json", "--output", str(target))[0] == 0
    return target


def writing_commands(document: Path, export_file: Path) -> list[list[str]]:
    return [
        ["note", "add", str(document), "--quote", QUOTE, "--text", "kept?"],
        ["bookmark", "add", str(document)],
        ["import", str(export_file)],
    ]


def notes_on_disk(home: Path) -> list[Path]:
    notes = home / "data" / "notes"
    return sorted(notes.iterdir()) if notes.is_dir() else []


# -- READER_HOME is a file -----------------------------------------------------------------


def test_every_command_says_in_one_line_that_reader_home_is_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, document: Path,
    export_file: Path,
) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder\n", encoding="utf-8")
    monkeypatch.setenv("READER_HOME", str(home))
    commands = [
        *writing_commands(document, export_file),
        ["notes"], ["export"], ["list", str(document)], ["index", str(document)], ["search", "city", str(document)],
    ]
    for command in commands:
        status, _, err = run(capsys, *command)
        assert status != 0, command
        assert f"{home} is a file, not a folder" in one_line_error(err) or "Not a directory" in err, (command, err)
    assert home.read_text(encoding="utf-8") == "not a folder\n"


def test_a_note_add_names_the_data_folder_that_cannot_be_made(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, document: Path
) -> None:
    home = tmp_path / "home"
    home.write_text("", encoding="utf-8")
    monkeypatch.setenv("READER_HOME", str(home))
    status, out, err = run(capsys, "note", "add", str(document), "--quote", QUOTE)
    assert status == 1 and out == ""
    assert one_line_error(err) == (
        f"reader: cannot make the data folder {home}/data: {home} is a file, not a folder; nothing was saved\n"
    )


# -- a lock that cannot be taken -------------------------------------------------------------


def test_a_store_lock_that_is_a_folder_is_one_line_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], reader_home: Path, document: Path, export_file: Path
) -> None:
    data = Paths.from_environment().data_dir
    (data / "store.lock").mkdir(parents=True)
    for command in writing_commands(document, export_file):
        status, out, err = run(capsys, *command)
        assert status == 1 and out == "", command
        assert one_line_error(err) == (
            f"reader: cannot use the data folder {data}: {data}/store.lock: Is a directory; nothing was saved\n"
        )
    assert notes_on_disk(reader_home) == []


def test_a_lock_refused_by_the_system_is_one_line_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, reader_home: Path, document: Path,
    export_file: Path,
) -> None:
    """A root-owned store.lock, seen by its owner's user: open() is refused with EACCES."""
    real_open = os.open

    def refusing_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if str(path).endswith("store.lock"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(locking.os, "open", refusing_open)
    data = Paths.from_environment().data_dir
    for command in writing_commands(document, export_file):
        status, out, err = run(capsys, *command)
        assert status == 1 and out == "", command
        assert one_line_error(err) == (
            f"reader: cannot use the data folder {data}: {data}/store.lock: Permission denied; nothing was saved\n"
        )
    assert notes_on_disk(reader_home) == []


def test_a_read_only_data_folder_as_another_user(tmp_path: Path, document: Path, export_file: Path) -> None:
    """Run as ``nobody`` (root can write anywhere): the data folder belongs to root."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run a command as another user")
    nobody = pwd.getpwnam("nobody")
    shared = Path(os.environ.get("TMPDIR", "/tmp")) / f"reader-nobody-{os.getpid()}"
    shared.mkdir(mode=0o755)
    try:
        home = shared / "home"
        (home / "data").mkdir(parents=True, mode=0o755)
        (home / "cache").mkdir(mode=0o777)
        for source in (document, export_file):
            shutil.copy(source, shared / source.name)
        os.chmod(shared, 0o755)
        root = Path(__file__).resolve().parents[2]
        for command in writing_commands(shared / document.name, shared / export_file.name):
            done = subprocess.run(
                [setpriv, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups",
                 sys.executable, "-m", "reader", *command],
                cwd=root, env={**os.environ, "READER_HOME": str(home), "HOME": str(shared)},
                capture_output=True, text=True, timeout=120, check=False,
            )
            assert done.returncode == 1, (command, done.stderr)
            assert one_line_error(done.stderr) == (
                f"reader: cannot use the data folder {home}/data: it is not writable; nothing was saved\n"
            )
        assert sorted(os.listdir(home / "data")) == []
    finally:
        shutil.rmtree(shared, ignore_errors=True)


# -- ~user for a user that does not exist ----------------------------------------------------


def test_an_unknown_user_in_the_config_is_one_line(
    capsys: pytest.CaptureFixture[str], reader_home: Path, document: Path
) -> None:
    config = Paths.from_environment().config_file
    config.parent.mkdir(parents=True)
    config.write_text("library:\n  - ~/articles\n  - ~nosuchuser/x\n", encoding="utf-8")
    status, out, err = run(capsys, "list")
    assert status == 2 and out == ""
    assert one_line_error(err) == f"reader: {config}:1: library: ~nosuchuser/x: no such user 'nosuchuser'\n"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["note", "add", "~nosuchuser/x", "--quote", QUOTE], "~nosuchuser/x: no such user 'nosuchuser'"),
        (["bookmark", "add", "~nosuchuser/x"], "~nosuchuser/x: no such user 'nosuchuser'"),
        (["export", "--doc", "~nosuchuser/x"], "--doc ~nosuchuser/x: no such user 'nosuchuser'"),
    ],
)
def test_an_unknown_user_on_the_command_line_is_one_line(
    capsys: pytest.CaptureFixture[str], reader_home: Path, tmp_path: Path, command: list[str], message: str
) -> None:
    Library(tmp_path / "library")
    before = notes_on_disk(reader_home)
    status, out, err = run(capsys, *command)
    assert status == 2 and out == ""
    assert one_line_error(err) == f"reader: {message}\n"
    assert notes_on_disk(reader_home) == before


def test_an_unknown_user_in_reader_home_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_HOME", "~nosuchuser/reader")
    for command in (["notes"], ["export"], ["locate", "data"]):
        status, out, err = run(capsys, *command)
        assert status == 2 and out == "", command
        assert one_line_error(err) == "reader: READER_HOME=~nosuchuser/reader: no such user 'nosuchuser'\n"


def test_main_leaves_standard_output_as_it_found_it(capsys: pytest.CaptureFixture[str]) -> None:
    stdout = sys.stdout
    assert main(["locate", "data"]) == 0
    assert sys.stdout is stdout

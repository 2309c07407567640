"""``reader.storage.user_file``: a write that cannot finish leaves the user's file as it was."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from reader.storage import user_file
from reader.storage.user_file import UserFileError, target_of


def full_after(monkeypatch: pytest.MonkeyPatch, allowed: int) -> None:
    """os.write as on a disk with ``allowed`` bytes left: a short write, then ENOSPC."""
    real_write = os.write
    left = {"bytes": allowed}

    def write(fd: int, data: bytes) -> int:
        if left["bytes"] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        done = real_write(fd, bytes(data[: left["bytes"]]))
        left["bytes"] -= done
        return done

    monkeypatch.setattr(user_file.os, "write", write)


def test_an_append_that_runs_out_of_space_is_cut_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "notes.md"
    file.write_bytes(b"# My notes\n\nkept\n")
    target = target_of(file)
    full_after(monkeypatch, 5)
    with pytest.raises(UserFileError, match=r"No space left on device; the file is as it was$"):
        user_file.append(target, b"\n# more notes " * 100, expected_size=len(b"# My notes\n\nkept\n"))
    assert file.read_bytes() == b"# My notes\n\nkept\n"


def test_a_new_file_that_runs_out_of_space_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "new.json"
    target = target_of(file)
    full_after(monkeypatch, 10)
    with pytest.raises(UserFileError, match="nothing was written"):
        user_file.create(target, b"{}" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_a_rewrite_that_cannot_reserve_its_space_leaves_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = tmp_path / "notes.csv"
    file.write_bytes(b"old,row\n")
    target = target_of(file)

    def no_space(fd: int, offset: int, length: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(user_file.os, "posix_fallocate", no_space)
    with pytest.raises(UserFileError, match="the file is as it was"):
        user_file.rewrite(target, b"new,row\n" * 1000)
    assert file.read_bytes() == b"old,row\n"


def test_an_append_to_a_file_changed_meanwhile_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "notes.md"
    file.write_bytes(b"one\n")
    target = target_of(file)
    file.write_bytes(b"one\ntwo, written by someone else\n")
    with pytest.raises(UserFileError, match="changed while the export was made"):
        user_file.append(target, b"three\n", expected_size=4)
    assert file.read_bytes() == b"one\ntwo, written by someone else\n"


def test_a_file_swapped_for_another_meanwhile_is_not_written(tmp_path: Path) -> None:
    file = tmp_path / "notes.md"
    file.write_bytes(b"one\n")
    target = target_of(file)
    file.rename(tmp_path / "moved-away.md")  # kept, so that its inode is not reused at once
    file.write_bytes(b"another file\n")
    with pytest.raises(UserFileError, match="replaced by another file meanwhile"):
        user_file.rewrite(target, b"new\n")
    assert file.read_bytes() == b"another file\n"

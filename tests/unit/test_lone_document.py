"""lone_document: which libraries are read before the app's first frame."""

from __future__ import annotations

import os
from pathlib import Path

from reader.core.lone_document import LONE_BYTES, lone_document
from reader.storage.shard_paths import has_shard
from reader.storage.store import NOTES_FOLDER


def _write(path: Path, text: str = "A Title\n\nA paragraph of words.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_folder_of_one_article_and_the_files_it_skips(tmp_path: Path) -> None:
    article = _write(tmp_path / "lib" / "article.md")
    _write(tmp_path / "lib" / "picture.png", "not a document")
    found = lone_document([tmp_path / "lib"])
    assert found is not None
    path, skipped = found
    assert path == article
    assert [item.path.name for item in skipped] == ["picture.png"]


def test_one_file_named_and_one_in_a_subfolder(tmp_path: Path) -> None:
    article = _write(tmp_path / "notes.txt")
    assert lone_document([article]) == (article, [])
    nested = _write(tmp_path / "lib" / "deeper" / "essay.html", "<h1>T</h1><p>Words.</p>")
    assert lone_document([tmp_path / "lib"]) == (nested, [])


def test_two_documents_are_a_library(tmp_path: Path) -> None:
    _write(tmp_path / "one.txt")
    _write(tmp_path / "two.txt")
    assert lone_document([tmp_path]) is None
    assert lone_document([tmp_path / "one.txt", tmp_path / "two.txt"]) is None


def test_a_big_folder_is_left_to_the_worker_without_being_walked_through(tmp_path: Path) -> None:
    _write(tmp_path / "article.txt")
    for number in range(40):
        _write(tmp_path / f"skip-{number}.png", "x")  # one document only, but too many entries to look at
    assert lone_document([tmp_path]) is None


def test_a_long_text_a_book_and_a_link_are_left_to_the_worker(tmp_path: Path) -> None:
    long_text = _write(tmp_path / "long" / "book.txt", "Title\n\n" + "word " * (LONE_BYTES // 4))
    assert lone_document([long_text.parent]) is None
    epub = tmp_path / "epub" / "book.epub"
    epub.parent.mkdir()
    epub.write_bytes(b"PK")
    assert lone_document([epub.parent]) is None
    linked = tmp_path / "linked"
    linked.mkdir()
    os.symlink(_write(tmp_path / "elsewhere" / "a.txt"), linked / "a.txt")
    assert lone_document([linked]) is None


def test_has_shard_looks_where_the_store_keeps_shards(tmp_path: Path) -> None:
    assert not has_shard(tmp_path, "abc123")
    _write(tmp_path / NOTES_FOLDER / "abc123.yaml", "x")
    assert has_shard(tmp_path, "abc123")
    os.symlink(tmp_path / "nowhere", tmp_path / NOTES_FOLDER / "broken.yaml")
    assert has_shard(tmp_path, "broken")  # a broken link is there: the store says what is wrong with it

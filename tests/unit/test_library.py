"""Finding documents: recursion, hidden files, symlink loops, skip reasons."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.library import Skipped, find_files, scan
from tests.conftest import SEEDS


def make_tree(root: Path) -> None:
    (root / "a").mkdir()
    (root / "a" / "b").mkdir()
    (root / "a" / "one.txt").write_text("One\n\nA first document with some words.\n")
    (root / "a" / "b" / "two.md").write_text("# Two\n\nA second document.\n")
    (root / "three.html").write_text("<html><head><title>Three</title></head><body><p>Third.</p></body></html>")
    (root / ".hidden.txt").write_text("Hidden\n\nNever listed.\n")
    (root / ".git").mkdir()
    (root / ".git" / "config.txt").write_text("nope")
    (root / "data.xml").write_text("<x/>")
    (root / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))


def test_scan_reads_documents_and_reports_skips(tmp_path: Path):
    make_tree(tmp_path)
    result = scan([tmp_path], parallel=False)
    titles = sorted(doc.title for doc in result.documents)
    assert titles == ["One", "Three", "Two"]
    reasons = {s.path.name: s.reason for s in result.skipped}
    assert reasons == {"data.xml": "unsupported format (.xml)", "image.md": "binary file (a PNG image)"}


def test_symlink_loops_and_duplicates_are_followed_once(tmp_path: Path):
    make_tree(tmp_path)
    os.symlink(tmp_path / "a", tmp_path / "a" / "b" / "loop")
    os.symlink(tmp_path / "a" / "one.txt", tmp_path / "alias.txt")
    files = [p for p in find_files([tmp_path, tmp_path / "a"]) if not isinstance(p, Skipped)]
    names = sorted(p.name for p in files)
    assert names.count("one.txt") + names.count("alias.txt") == 1
    assert names.count("two.md") == 1


def test_broken_link_and_missing_root_are_reported(tmp_path: Path):
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    items = list(find_files([tmp_path, tmp_path / "missing"]))
    reasons = {item.path.name: item.reason for item in items if isinstance(item, Skipped)}
    assert reasons == {"dangling.txt": "broken symbolic link", "missing": "no such file or folder"}


def test_ids_are_stable_and_distinct(tmp_path: Path):
    make_tree(tmp_path)
    first = {d.path: d.id for d in scan([tmp_path], parallel=False).documents}
    second = {d.path: d.id for d in scan([tmp_path], parallel=False).documents}
    assert first == second
    assert len(set(first.values())) == len(first)


def test_seed_library():
    result = scan([SEEDS])
    assert len(result.documents) == 1
    assert result.documents[0].sections == 14
    assert result.skipped == []


@pytest.mark.corpus
def test_parallel_scan_matches_serial_scan(corpus: Path, monkeypatch: pytest.MonkeyPatch):
    import reader.core.library as library

    monkeypatch.setattr(library, "_PARALLEL_FROM", 10)  # the process pool, even for one folder
    folder = corpus / "messy"
    serial = scan([folder], parallel=False)
    parallel = scan([folder], parallel=True)
    assert [d.id for d in serial.documents] == [d.id for d in parallel.documents]
    assert serial.skipped == parallel.skipped

"""Shared fixtures: a private READER_HOME for every test, the seeds, the corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "hong-kong-innovation-secretary-interview.txt"
CORPUS = Path(os.environ.get("READER_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(autouse=True)
def reader_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("reader-home")
    monkeypatch.setenv("READER_HOME", str(home))
    # no background merge of the index left running after a test (tests/unit/test_search_optimize.py
    # tests the merges, and turns this off where it starts one)
    monkeypatch.setenv("READER_NO_OPTIMIZE", "1")
    return home


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


def decoded_text(path: Path) -> str:
    """A document's text as decoded from its file: without the title when that was made
    from the file's name (twins in two encodings have different names)."""
    from reader.core.formats import read_document
    from reader.core.formats.text import title_from_name

    document = read_document(path)
    if document.title == title_from_name(path) and document.text.startswith(document.title + "\n\n"):
        return document.text[len(document.title) + 2 :]
    return document.text

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
    return home


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS

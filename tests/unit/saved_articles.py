"""Runs of the ``reader`` command and what they left in the articles folder, for the
tests of ``reader add`` and ``reader import``."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import main
from reader.storage.yaml_text import load_yaml


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def saved(articles: Path) -> list[Path]:
    return sorted(p for p in articles.iterdir() if p.is_file()) if articles.is_dir() else []


def meta_of(articles: Path, article: Path) -> dict:
    return load_yaml((articles / ".reader" / f"{article.stem}.yaml").read_text(encoding="utf-8"))


def pending(articles: Path) -> list[dict]:
    file = articles / ".reader" / "pending.yaml"
    return (load_yaml(file.read_text(encoding="utf-8")) or []) if file.exists() else []

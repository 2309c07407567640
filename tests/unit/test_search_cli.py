"""``reader search`` and ``reader index`` on the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "alpha.txt").write_text("Alpha\n\nThe first document talks about zebras.\n", encoding="utf-8")
    (folder / "beta.md").write_text("# Beta\n\nThe **second** document talks about giraffes.\n", encoding="utf-8")
    (folder / "gamma.txt").write_text("Gamma\n\nThe third document talks about okapis and zebras.\n", encoding="utf-8")
    return folder


def test_index_prints_what_it_added(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    status, out, err = run(capsys, "index", str(library))
    assert status == 0, err
    lines = sorted(out.splitlines())
    assert lines == [f"added    {library / name}" for name in ("alpha.txt", "beta.md", "gamma.txt")]
    assert "3 added, 0 updated, 0 removed, 0 unchanged, 0 skipped" in err


def test_index_prints_updated_removed_and_skipped(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    run(capsys, "index", str(library))
    alpha = library / "alpha.txt"
    alpha.write_text("Alpha\n\nNow about pangolins.\n", encoding="utf-8")
    stat = alpha.stat()
    os.utime(alpha, (stat.st_atime + 5, stat.st_mtime + 5))
    (library / "gamma.txt").unlink()
    (library / "delta.txt").write_text("Delta\n\nNew.\n", encoding="utf-8")
    (library / "broken.md").write_bytes(b"\x1f\x8b\x08" + bytes(20))
    status, out, err = run(capsys, "index", str(library))
    assert status == 0, err
    assert f"updated  {alpha}" in out
    assert f"removed  {library / 'gamma.txt'}" in out
    assert f"added    {library / 'delta.txt'}" in out
    assert f"skipped  {library / 'broken.md'}: binary file (gzip data)" in out
    assert "1 added, 1 updated, 1 removed, 1 unchanged, 1 skipped" in err


def test_index_rebuild_adds_everything_again(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    run(capsys, "index", str(library))
    status, out, err = run(capsys, "index", str(library), "--rebuild")
    assert status == 0
    assert len([line for line in out.splitlines() if line.startswith("added")]) == 3
    status, out, err = run(capsys, "index", str(library))
    assert out == "" and "0 added, 0 updated, 0 removed, 3 unchanged" in err


def test_search_json(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    status, out, err = run(capsys, "search", "zebras", str(library), "--json")
    assert status == 0, err
    results = json.loads(out)
    assert {Path(r["path"]).name for r in results} == {"alpha.txt", "gamma.txt"}
    for result in results:
        for key in ("id", "title", "path", "score", "snippet", "hits"):
            assert key in result
        assert result["hits"] == 1
        assert "zebras" in result["snippet"]
        assert result["score"] > 0
    assert results[0]["score"] >= results[1]["score"]


def test_search_plain_text(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    status, out, _ = run(capsys, "search", "giraffes", str(library))
    assert status == 0
    assert out.splitlines()[0].startswith(" 1. Beta")
    assert str(library / "beta.md") in out


def test_search_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(70):
        (folder / f"note-{number:02}.txt").write_text(f"Note {number}\n\nSomething about walruses, {number}.\n")
    status, out, _ = run(capsys, "search", "walruses", str(folder), "--json")
    assert status == 0 and len(json.loads(out)) == 10
    status, out, _ = run(capsys, "search", "walruses", str(folder), "--json", "--limit", "50")
    assert status == 0 and len(json.loads(out)) == 50
    status, out, _ = run(capsys, "search", "walruses", str(folder), "--json", "--limit", "500")
    assert status == 0 and len(json.loads(out)) == 70


def test_search_within_the_paths_given(capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "zeta.txt").write_text("Zeta\n\nMore zebras.\n", encoding="utf-8")
    run(capsys, "index", str(library))
    status, out, _ = run(capsys, "search", "zebras", str(other), "--json")
    assert [Path(r["path"]).name for r in json.loads(out)] == ["zeta.txt"]


def test_no_results_suggests_a_spelling(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    status, out, err = run(capsys, "search", "zebrsa", str(library), "--json")
    assert status == 1
    assert json.loads(out) == []
    assert "no results for 'zebrsa'; did you mean: zebras" in err


MALFORMED = ['"', "AND", "title:", "*", "x" * 1000, "!@#$%^&*()", "-zebras", " ", "zebras OR"]


@pytest.mark.parametrize("query", MALFORMED, ids=[repr(q[:12]) for q in MALFORMED])
def test_malformed_queries_give_results_or_a_short_message(
    capsys: pytest.CaptureFixture[str], library: Path, query: str
) -> None:
    # "--": a query starting with "-" is not an option
    status, out, err = run(capsys, "search", "--", query, str(library))
    assert status in (0, 1) or (not query.strip() and status == 2), err  # no words at all: a usage error
    assert "Traceback" not in err
    assert all(len(line) < 200 or query[:50] in line for line in err.splitlines())


def test_search_in_the_corpus(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    status, out, err = run(capsys, "search", "fenced code blocks", str(corpus / "markdown"), "--json", "--limit", "3")
    assert status == 0, err
    results = json.loads(out)
    assert Path(results[0]["path"]).name == "markdown--docs--extensions--fenced_code_blocks.md"

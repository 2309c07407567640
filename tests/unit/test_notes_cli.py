"""``reader notes``, ``reader note add`` and ``reader bookmark add`` on the seed article."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.document import document_id
from reader.storage.paths import Paths
from reader.storage.store import Store
from tests.conftest import SEED

QUOTE = "the cooperation between the SAR government and Guangdong Province"
SECTION_START = "Is Hong Kong Communicating with Mainland Cities?"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def notes_json(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    status, out, err = run(capsys, "notes", "--json")
    assert status == 0, err
    return json.loads(out)


def test_note_add_prints_the_id_and_notes_lists_it(capsys: pytest.CaptureFixture[str]) -> None:
    note = ["--quote", QUOTE, "--text", "Ten years!\nSince 2013.", "--tag", "hk", "--tag", "#smart-city"]
    status, out, err = run(capsys, "note", "add", str(SEED), *note)
    assert status == 0, err
    note_id = out.strip()
    assert re.fullmatch(r"[0-9a-f]{32}", note_id)

    [item] = notes_json(capsys)
    assert item["id"] == note_id
    assert item["kind"] == "note"
    assert item["doc_id"] == document_id(SEED)
    assert item["title"] == "Heavyweight Voice from Hong Kong's Secretary for Innovation, Technology and Industry!"
    assert item["path"] == str(SEED.resolve())
    assert item["quote"] == QUOTE
    assert item["text"] == "Ten years!\nSince 2013."
    assert item["tags"] == ["hk", "smart-city"]
    assert item["section"].startswith(SECTION_START)
    assert item["created"] == item["updated"] and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["created"])

    status, out, err = run(capsys, "notes")
    assert status == 0
    assert out.splitlines()[:2] == [item["title"], str(SEED.resolve())]
    assert f"  note  {note_id}  " in out
    assert f"    > {QUOTE}\n    Ten years!\n    Since 2013.\n    #hk #smart-city\n" in out


def test_bookmark_without_a_quote_marks_the_start(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "bookmark", "add", str(SEED), "--name", "Start here")
    assert status == 0, err
    [item] = notes_json(capsys)
    assert item["id"] == out.strip()
    assert item["kind"] == "bookmark"
    assert item["name"] == "Start here"
    assert item["quote"] == "Heavyweight Voice from Hong Kong's Secretary for Innovation,"
    assert item["start"] == 0 and item["text"] == ""


def test_doc_may_be_an_id_from_the_library_or_from_the_notes(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    # the seed is in the default library (no config): found by its id
    status, _, err = run(capsys, "bookmark", "add", document_id(SEED), "--quote", "Sun Dong said")
    assert status == 0, err
    # a file outside the library is found by its id once it has notes
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text("# Elsewhere\n\nA passage about okapis and zebras.\n", encoding="utf-8")
    assert run(capsys, "note", "add", str(elsewhere), "--quote", "okapis")[0] == 0
    status, _, err = run(capsys, "note", "add", document_id(elsewhere), "--quote", "zebras", "--text", "by id")
    assert status == 0, err

    items = notes_json(capsys)
    assert [(item["title"], item["quote"]) for item in items] == [
        ("Elsewhere", "okapis"),
        ("Elsewhere", "zebras"),
        ("Heavyweight Voice from Hong Kong's Secretary for Innovation, Technology and Industry!", "Sun Dong said"),
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (["note", "add", str(SEED), "--quote", "not in it"], f"{SEED}: quote not found: 'not in it'"),
        (["note", "add", "0123456789ab", "--quote", "x"], "no document '0123456789ab': not a file, nor the id of a"),
        (["bookmark", "add", "no/such/file.txt"], "no document 'no/such/file.txt'"),
    ],
)
def test_failures_are_one_line_and_store_nothing(
    capsys: pytest.CaptureFixture[str], reader_home: Path, args: list[str], message: str
) -> None:
    status, out, err = run(capsys, *args)
    assert status == 1
    assert out == ""
    assert err.startswith(f"reader: {message}") and err.count("\n") == 1
    assert not (reader_home / "data" / "notes").exists()


def test_unreadable_document_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x1f\x8b\x08" + bytes(40))
    status, _, err = run(capsys, "note", "add", str(binary), "--quote", "x")
    assert status == 1
    assert err.startswith(f"reader: {binary}: binary file") and err.count("\n") == 1


def test_read_only_shard_is_named_and_left_alone(capsys: pytest.CaptureFixture[str], reader_home: Path) -> None:
    shard = Store(Paths.from_environment().data_dir).path_of(document_id(SEED))
    shard.parent.mkdir(parents=True)
    shard.write_text("schema_version: 1\nnotes: [unclosed\n", encoding="utf-8")
    before = shard.read_bytes()

    status, out, err = run(capsys, "note", "add", str(SEED), "--quote", QUOTE)
    assert status == 1 and out == ""
    assert err.startswith(f"reader: {shard}: line 3, column 1: ") and err.count("\n") == 1
    assert shard.read_bytes() == before

    status, out, err = run(capsys, "notes")
    assert status == 0
    assert err.startswith(f"reader: {shard}: line 3, column 1: ")


def test_notes_are_grouped_by_document(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "alpha.txt"
    other.write_text("Alpha\n\nFirst words here. Later words there.\n", encoding="utf-8")
    for args in (
        [str(SEED), "--quote", QUOTE],
        [str(other), "--quote", "Later words"],
        [str(other), "--quote", "First words"],
    ):
        assert run(capsys, "note", "add", *args)[0] == 0
    status, out, _ = run(capsys, "notes")
    assert status == 0
    blocks = out.split("\n\n")
    assert [block.splitlines()[0] for block in blocks] == [
        "Alpha",
        "Heavyweight Voice from Hong Kong's Secretary for Innovation, Technology and Industry!",
    ]
    assert blocks[0].index("> First words") < blocks[0].index("> Later words")


def test_empty_store_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "notes", "--json")
    assert status == 0
    assert json.loads(out) == []
    assert "no notes or bookmarks yet" in err


@pytest.mark.parametrize("args", [["note"], ["note", "add", str(SEED)], ["bookmark", "remove", str(SEED)]])
def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    status, _, err = run(capsys, *args)
    assert status == 2
    assert err.startswith("reader: ") and err.count("\n") == 1

"""A document path that is not UTF-8 is carried through the notes file losslessly (issue 18, item 2).

Before: saving a note on ``x\\xff.txt`` failed with "surrogates not allowed", so notes
on such a document were never kept.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from reader.core.notes import DocumentRef, Kind, Note, make_target, new_id, now
from reader.storage.store import Store

TEXT = "The 2023 Digital Economy Summit was held in Hong Kong. " * 20


def make_note(doc_id: str, text: str = "a note") -> Note:
    stamp = now()
    return Note(new_id(), doc_id, Kind.NOTE, make_target(TEXT, 10, 40, "hash"), stamp, stamp, text=text)


def test_a_path_of_bytes_that_are_not_utf8_reads_back_the_same(tmp_path: Path) -> None:
    path = os.fsdecode(b"/library/caf\xe9 100%25 \xff\xfe.txt")  # Latin-1 bytes, and a literal %25
    document = DocumentRef("bad0bad0bad0", path, os.fsdecode(b"caf\xe9"))
    note = make_note(document.id)
    Store(tmp_path).put_note(document, note)

    shard = Store(tmp_path).load(document.id)
    assert shard.problem == "" and not shard.read_only
    assert shard.document is not None and shard.document.path == path
    assert os.fsencode(shard.document.path) == b"/library/caf\xe9 100%25 \xff\xfe.txt"
    assert [n.id for n in shard.notes] == [note.id]
    assert [s.document.path for s in Store(tmp_path).shards()] == [path]

    raw = (tmp_path / "notes" / f"{document.id}.yaml").read_bytes()
    data = yaml.safe_load(raw.decode("utf-8"))  # the file is UTF-8 YAML, readable by any tool
    assert data["document"]["path"] == "/library/caf\ufffd 100%25 \ufffd\ufffd.txt"
    assert data["document"]["title"] == "caf\ufffd"

    # a later save keeps it, and adds to it
    Store(tmp_path).put_note(shard.document, make_note(document.id, "second"))
    again = Store(tmp_path).load(document.id)
    assert again.document.path == path and len(again.notes) == 2


def test_a_utf8_path_is_written_as_it_is(tmp_path: Path) -> None:
    document = DocumentRef("0dd0dd0dd0dd", "/library/数字 100%.txt", "数字")
    Store(tmp_path).put_note(document, make_note(document.id))
    data = yaml.safe_load((tmp_path / "notes" / f"{document.id}.yaml").read_text(encoding="utf-8"))
    assert data["document"]["path"] == "/library/数字 100%.txt" and "path_bytes" not in data["document"]
    assert Store(tmp_path).load(document.id).document.path == "/library/数字 100%.txt"

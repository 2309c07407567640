"""``reader import FILE.json`` applies the documents' own tags the export carries: added, never removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.core.export import BadExport, parse_json
from reader.core.export.common import document_tags
from reader.core.organise import Change
from reader.storage.paths import Paths
from reader.storage.store import Store
from tests.unit.test_export_cli import Library, one_line_error, ref_of, run


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(tmp_path / "library")


def test_document_tags_round_trip_through_export_and_import(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.store.organise(ref_of(library.seed), Change(add=("policy", "smart city", "Economy/Rates")))
    library.store.organise(ref_of(library.beta), Change(add=("zoo",)))
    export = tmp_path / "notes.json"
    assert run(capsys, "export", "--format", "json", "--output", str(export))[0] == 0

    monkeypatch.setenv("READER_HOME", str(tmp_path / "other-home"))
    other = Store(Paths.from_environment().data_dir)
    other.organise(ref_of(library.seed), Change(add=("mine", "POLICY")))  # tags of its own, one the same
    status, _, err = run(capsys, "import", str(export))
    assert status == 0, err
    assert err == f"imported 4 notes from {export} (0 already there); tags added to 2 documents\n"
    assert Store(Paths.from_environment().data_dir).load(library.seed.id).meta.tags == ("mine", "POLICY", "smart city", "Economy/Rates")
    assert Store(Paths.from_environment().data_dir).load(library.beta.id).meta.tags == ("zoo",)

    status, _, err = run(capsys, "import", str(export))
    assert err == f"imported 0 notes from {export} (4 already there)\n"  # nothing new: nothing said
    status, out, _ = run(capsys, "export", "--format", "json")
    documents = {document.id: document_tags(document) for document, _ in parse_json(out)}
    assert documents[library.seed.id] == ("mine", "POLICY", "smart city", "Economy/Rates")


def test_parse_json_reads_the_tags_and_names_a_bad_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    def collection(tags: object) -> str:
        document = {"id": "d1", "title": "T", "path": "/t.txt", "source": "", "tags": tags}
        return json.dumps({"type": "AnnotationCollection", "reader": {"format": "reader-annotations", "version": 2,
                                                                      "documents": [document]}})

    [(document, notes)] = parse_json(collection(["a, b", "A, B", " spaced  out "]))
    assert document_tags(document) == ("a, b", "spaced out") and notes == []
    with pytest.raises(BadExport, match=r"^reader\.documents\[0\]: tags must be a list, found text$"):
        parse_json(collection("policy"))
    with pytest.raises(BadExport, match=r"^reader\.documents\[0\]\.tags\[1\]: a tag cannot be empty"):
        parse_json(collection(["ok", "  "]))

    bad = tmp_path / "bad.json"
    bad.write_text(collection(["ok", 7]), encoding="utf-8")
    status, _, err = run(capsys, "import", str(bad))
    assert status == 1
    assert one_line_error(err) == f"reader: {bad}: reader.documents[0].tags[1]: a tag must be text, found int\n"

"""``reader export`` and ``reader import`` over a real store in a private READER_HOME."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.anchors import find_quote
from reader.core.document import Document
from reader.core.export import FORMATS, parse_json
from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, Note, make_target
from reader.storage.paths import Paths
from reader.storage.store import Store
from tests.conftest import SEED

BETA_TEXT = "# Beta\n\nThe second document talks about giraffes and their long necks.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def one_line_error(err: str) -> str:
    assert err.startswith("reader: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def ref_of(document: Document) -> DocumentRef:
    return DocumentRef(id=document.id, path=str(document.path), title=document.title, source=document.source)


def note_on(document: Document, note_id: str, quote: str, **fields: object) -> Note:
    found = find_quote(document.text, quote)
    assert found is not None, quote
    target = make_target(document.text, *found, document.text_hash)
    section = document.section_at(target.start)
    created = str(fields.pop("created", "2026-01-10T10:00:00Z"))
    return Note(
        id=note_id,
        doc_id=document.id,
        kind=fields.pop("kind", Kind.NOTE),  # type: ignore[arg-type]
        target=target,
        created=created,
        updated=str(fields.pop("updated", created)),
        section=section.title if section else "",
        **fields,  # type: ignore[arg-type]
    )


class Library:
    """Two documents on disk and notes on them in the store."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        shutil.copy(SEED, folder / SEED.name)
        (folder / "beta.md").write_text(BETA_TEXT, encoding="utf-8")
        self.seed = read_document(folder / SEED.name)
        self.beta = read_document(folder / "beta.md")
        self.store = Store(Paths.from_environment().data_dir)
        self.policy = note_on(self.seed, "note-policy", "Hong Kong must first integrate into the overall national",
                              text="Integration first.", tags=("policy",))
        self.city = note_on(self.seed, "note-city", "smart city cluster", text="智慧城市 cluster", tags=("City",),
                            created="2026-03-01T08:00:00Z")
        self.mark = note_on(self.seed, "mark-duck", "the duck knows first", kind=Kind.BOOKMARK, name="Duck",
                            created="2026-01-20T08:00:00Z")
        self.giraffe = note_on(self.beta, "note-giraffe", "giraffes and their long necks", text="🦒 — طويل",
                               tags=("animals",), created="2025-12-01T08:00:00Z")
        gone = note_on(self.seed, "note-gone", "Tony Wong", text="deleted note text")
        for document, note in ((self.seed, self.policy), (self.seed, self.city), (self.seed, self.mark),
                               (self.beta, self.giraffe), (self.seed, gone)):
            self.store.put_note(ref_of(document), note)
        self.store.delete_note(ref_of(self.seed), gone.id)

    @property
    def all_ids(self) -> set[str]:
        return {"note-policy", "note-city", "mark-duck", "note-giraffe"}

    def add_later_note(self) -> Note:
        note = note_on(self.seed, "note-later", "Co-Investment Fund", text="Added after the first export.",
                       created="2026-04-01T08:00:00Z")
        self.store.put_note(ref_of(self.seed), note)
        return note


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(tmp_path / "library")


def exported_ids(text: str) -> set[str]:
    return {note.id for _, notes in parse_json(text) for note in notes}


# -- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_each_format_to_stdout(capsys: pytest.CaptureFixture[str], library: Library, fmt: str) -> None:
    status, out, err = run(capsys, "export", "--format", fmt)
    assert status == 0, err
    assert "deleted note text" not in out and "note-gone" not in out
    assert "Integration first." in out
    assert "智慧城市 cluster" in out and "🦒 — طويل" in out
    if fmt == "markdown":
        assert out.startswith("---\n")
        for note_id in library.all_ids:
            assert f"<!-- note:{note_id} -->" in out
    elif fmt == "json":
        assert exported_ids(out) == library.all_ids
    elif fmt == "html":
        assert out.startswith("<!doctype html>")
    elif fmt == "org":
        assert ":ID:       note-policy" in out
    else:
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert rows[0] == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]
        assert len(rows) == 4  # the header and three highlights; the bookmark is not one


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_a_file(capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out file.{fmt}"
    status, out, err = run(capsys, "export", "--format", fmt, "--output", str(target))
    assert status == 0, err
    assert out == ""
    assert err == f"wrote 4 notes to {target}\n"
    assert "Integration first." in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["library", target.name])  # no temp files left


# -- scopes --------------------------------------------------------------------------------


def test_export_one_document_by_path_or_id(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    for wanted in (str(library.beta.path), library.beta.id):
        status, out, err = run(capsys, "export", "--format", "json", "--doc", wanted)
        assert status == 0, err
        assert exported_ids(out) == {"note-giraffe"}
    status, out, err = run(capsys, "export", "--doc", "no-such-document")
    assert status == 1 and out == ""
    assert one_line_error(err) == "reader: no notes on 'no-such-document' (a document's path or id)\n"


def test_export_by_tag(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    status, out, err = run(capsys, "export", "--format", "json", "--tag", "policy")
    assert status == 0, err
    assert exported_ids(out) == {"note-policy"}
    status, out, _ = run(capsys, "export", "--format", "json", "--tag", "#city", "--tag", "animals")
    assert exported_ids(out) == {"note-city", "note-giraffe"}
    status, out, err = run(capsys, "export", "--tag", "nothing-has-this")
    assert status == 1
    assert one_line_error(err) == "reader: no notes to export tagged 'nothing-has-this'\n"


def test_export_since_a_date(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    status, out, err = run(capsys, "export", "--format", "json", "--since", "2026-01-15")
    assert status == 0, err
    assert exported_ids(out) == {"note-city", "mark-duck"}
    status, out, _ = run(capsys, "export", "--format", "json", "--since", "2026-03-01")
    assert exported_ids(out) == {"note-city"}


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2026-1-5", "2026-02-30"])
def test_export_since_a_bad_date(capsys: pytest.CaptureFixture[str], library: Library, value: str) -> None:
    status, out, err = run(capsys, "export", "--since", value)
    assert status == 2 and out == ""
    assert value in one_line_error(err)
    assert "not a date (YYYY-MM-DD)" in err


def test_export_by_search_query(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    status, out, err = run(capsys, "export", "--format", "json", "--query", "giraffes")
    assert status == 0, err
    assert exported_ids(out) == {"note-giraffe"}
    status, out, err = run(capsys, "export", "--format", "json", "--query", '"smart city" -giraffes')
    assert status == 0, err
    assert exported_ids(out) == {"note-policy", "note-city", "mark-duck"}
    status, out, err = run(capsys, "export", "--query", "okapi")
    assert status == 1
    assert one_line_error(err) == "reader: no notes to export matching 'okapi'\n"


def test_scopes_combine(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    status, out, err = run(capsys, "export", "--format", "json", "--doc", str(library.seed.path), "--tag", "city",
                           "--since", "2026-02-01")
    assert status == 0, err
    assert exported_ids(out) == {"note-city"}


# -- existing files ------------------------------------------------------------------------


def test_markdown_re_export_appends_and_keeps_edits(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path
) -> None:
    target = tmp_path / "notes.md"
    assert run(capsys, "export", "--output", str(target))[0] == 0
    first = target.read_text(encoding="utf-8")
    edited = first.replace("Integration first.", "Integration first, as I wrote to Ann.") + "\nMy own summary.\n"
    target.write_text(edited, encoding="utf-8")
    later = library.add_later_note()

    status, out, err = run(capsys, "export", "--output", str(target))
    assert status == 0, err
    assert err == f"added 1 note to {target}\n"
    again = target.read_text(encoding="utf-8")
    assert again.startswith(edited.rstrip("\n"))
    assert "Integration first, as I wrote to Ann." in again and "My own summary." in again
    assert again.count(f"<!-- note:{later.id} -->") == 1
    for note_id in library.all_ids:
        assert again.count(f"<!-- note:{note_id} -->") == 1
    assert again.index("My own summary.") < again.index(f"<!-- note:{later.id} -->")
    assert f"\n# {library.seed.title}\n" in again[len(edited):]

    status, _, err = run(capsys, "export", "--output", str(target))
    assert status == 0
    assert err == f"{target} already holds all 5 notes; nothing added\n"
    assert target.read_text(encoding="utf-8") == again


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "markdown"])
def test_other_formats_refuse_to_overwrite_without_force(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"notes.{fmt}"
    target.write_text("mine", encoding="utf-8")
    status, out, err = run(capsys, "export", "--format", fmt, "--output", str(target))
    assert status == 1
    assert one_line_error(err) == f"reader: {target} exists; add --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "mine"
    status, _, err = run(capsys, "export", "--format", fmt, "--output", str(target), "--force")
    assert status == 0, err
    assert "Integration first." in target.read_text(encoding="utf-8")


def test_force_rewrites_markdown(capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old words\n", encoding="utf-8")
    assert run(capsys, "export", "--output", str(target), "--force")[0] == 0
    text = target.read_text(encoding="utf-8")
    assert "old words" not in text and text.startswith("---\n")


def test_help_says_what_happens_to_an_existing_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    assert "<!-- note:ID -->" in out and "appended" in out and "--force" in out
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "reader export" in out and "reader import" in out


# -- import --------------------------------------------------------------------------------


def _without_time(text: str) -> dict[str, object]:
    data = json.loads(text)
    assert data["reader"].pop("exported")
    data.pop("id")  # the collection's IRI is named by the export time
    data.get("first", {}).pop("id", None)
    return data  # type: ignore[no-any-return]


def test_import_round_trip_and_no_duplicates(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "notes.json"
    assert run(capsys, "export", "--format", "json", "--output", str(export))[0] == 0
    before = export.read_text(encoding="utf-8")

    monkeypatch.setenv("READER_HOME", str(tmp_path / "empty-home"))
    status, out, err = run(capsys, "export")
    assert status == 1 and one_line_error(err) == "reader: no notes to export\n"
    status, out, err = run(capsys, "import", str(export))
    assert status == 0, err
    assert err == f"imported 4 notes from {export} (0 already there)\n"
    status, after, err = run(capsys, "export", "--format", "json")
    assert status == 0, err
    assert _without_time(after) == _without_time(before)

    status, out, err = run(capsys, "import", str(export))
    assert status == 0, err
    assert err == f"imported 0 notes from {export} (4 already there)\n"
    status, again, _ = run(capsys, "export", "--format", "json")
    assert _without_time(again) == _without_time(before)
    assert sum(len(notes) for _, notes in parse_json(again)) == 4


# -- bad arguments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["export", "--format", "pdf"], 2, "invalid choice: 'pdf'"),
        (["export", "--bogus"], 2, "unrecognized arguments: --bogus"),
        (["import"], 2, "the following arguments are required: FILE"),
        (["import", "{tmp}/missing.json"], 1, "no such file: {tmp}/missing.json"),
        (["import", "{tmp}/bad.json"], 1, "{tmp}/bad.json: not JSON: Expecting value at line 1, column 1"),
        (["import", "{tmp}/other.json"], 1, '{tmp}/other.json: not a reader annotations export'),
        (["import", "{tmp}"], 1, "{tmp} is a folder, not a file"),
        (["export", "--output", "{tmp}"], 2, "--output: {tmp} is a folder; give a file name"),
        (["export", "--output", "{tmp}/no/such/notes.md"], 2, "no such folder: {tmp}/no/such"),
    ],
)
def test_bad_arguments_are_one_line(
    capsys: pytest.CaptureFixture[str], library: Library, tmp_path: Path, args: list[str], status: int, message: str
) -> None:
    (tmp_path / "bad.json").write_text("nope", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"annotations": []}', encoding="utf-8")
    code, out, err = run(capsys, *(arg.replace("{tmp}", str(tmp_path)) for arg in args))
    assert code == status
    assert out == ""
    assert message.replace("{tmp}", str(tmp_path)) in one_line_error(err)
    assert not (tmp_path / "no").exists()

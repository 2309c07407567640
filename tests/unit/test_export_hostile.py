"""Hostile imports and hostile text: the JSON parser raises only BadExport; every exporter's
consumer reads back exactly the text it was given (property-based)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.export import BadExport, parse_json, render
from reader.core.export.readwise_csv import neutralise, readwise_tag
from reader.core.notes import DocumentRef, Kind, Note, Target
from tests.unit.export_consumers import ZWSP, Emacs, running_emacs
from tests.unit.test_export_validators import org_view

EXPORTED = "2026-11-30T09:00:00Z"


def _old_shape(selector: str) -> str:
    return ('{"format": "reader-annotations", "version": 1, "documents": [{"id": "d", "annotations": '
            '[{"id": "n", "target": {"selector": ' + selector + "}}]}]}")


# -- hostile imports -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_old_shape('[{"type": []}]'), r"selector\[0\]\.type must be text, found a list$"),
        (_old_shape('[{"type": "TextPositionSelector", "start": ' + "9" * 5000 + "}]"),
         r"^a number of 5000 digits \(999999999999…\): too long to be a note's$"),
        (_old_shape('[{"type": "TextPositionSelector", "start": NaN}]'), r"^NaN is not a JSON number$"),
        ("[" * 100_000, r"^not JSON"),
        ('{"type": "AnnotationCollection", "reader": {"format": "reader-annotations", "version": 2, '
         '"documents": [{"id": "d"}]}, "first": {"items": [{"reader": {"document": "e"}}]}}',
         r'^first\.items\[0\]\.reader\.document: "e" is not one of reader\.documents$'),
        ('{"type": "AnnotationCollection"}', r"^an annotation collection, but not a reader export"),
    ],
)
def test_hostile_json_gives_one_line(text: str, message: str) -> None:
    with pytest.raises(BadExport, match=message) as caught:
        parse_json(text)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


def test_reader_import_of_a_hostile_file_names_it_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("READER_HOME", str(home))
    for name, text in (("type.json", _old_shape('[{"type": []}]')),
                       ("digits.json", _old_shape('[{"type": "TextPositionSelector", "start": ' + "9" * 5000 + "}]"))):
        bad = tmp_path / name
        bad.write_text(text, encoding="utf-8")
        status = main(["import", str(bad)])
        out, err = capsys.readouterr()
        assert status != 0 and out == ""
        assert err.startswith(f"reader: {bad}: ") and err.count("\n") == 1 and "Traceback" not in err, err
        notes = home / "data" / "notes"
        assert not notes.exists() or not any(notes.iterdir())


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from(["TextQuoteSelector", "TextPositionSelector", "reader-annotations", "AnnotationCollection",
                       "tagging", "bookmarking", "d", "n"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["format", "version", "documents", "id", "annotations", "target", "selector", "type",
                         "exact", "start", "end", "reader", "extra", "kind", "tags", "body", "value", "purpose",
                         "first", "items", "document", "created", "modified", "bodyValue", "name", "x"]),
        inner, max_size=6),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_JSON, st.sampled_from([1, 2]))
def test_parse_json_raises_only_its_own_error(shape: object, version: int) -> None:
    if isinstance(shape, dict):
        shape = {**shape, "format": "reader-annotations", "version": version}
        if version == 2:
            shape = {"type": "AnnotationCollection", "reader": shape, "first": shape.get("first")}
    try:
        parse_json(json.dumps(shape))
    except BadExport as error:
        assert "\n" not in str(error)


# -- hostile text through every exporter -----------------------------------------------------

_PIECES = ["[fn:1]", "[[", "]]", "TODO ", "COMMENT ", "src_", "\n", "- ", "1. ", "#+", " ^id", "\\\\", "*x*", "$x$"]
_TEXT = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=ZWSP)
    | st.sampled_from(list("*/_=~+[]<>\\$^@{}#:|-!%.`&'\"()") + _PIECES),
    max_size=16,
).map("".join)
_TAG = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
                                      blacklist_characters=ZWSP), min_size=1, max_size=8)


def _notes(title: str, source: str, quote: str, text: str, tags: list[str]) -> list[tuple[DocumentRef, list[Note]]]:
    quote = quote.strip() or "x"
    ref = DocumentRef(id="d1", path="/library/doc.txt", title=title, source=source)
    target = Target(exact=quote, prefix="", suffix="", start=0, end=len(quote), text_hash="h")
    note = Note(id="n1", doc_id="d1", kind=Kind.NOTE, target=target, created=EXPORTED, updated=EXPORTED, text=text,
                tags=tuple(dict.fromkeys(tags)))
    return [(ref, [note])]


@pytest.fixture(scope="module")
def emacs() -> Iterator[Emacs]:
    yield from running_emacs()


def _words(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_TEXT, _TEXT, _TEXT, st.lists(_TAG, max_size=3))
def test_org_reads_back_hostile_text_in_emacs(emacs: Emacs, title: str, quote: str, text: str, tags: list[str]) -> None:
    documents = _notes(title, "", quote, text, tags)
    view = org_view(emacs, render("org", documents, exported=EXPORTED))
    document, note = view["headlines"]  # type: ignore[misc]
    assert document["other"] == [] and note["other"] == []
    assert _words(document["title"]) == _words(title) or (not title.strip() and document["title"])
    assert note["tags"] == list(dict.fromkeys(tags))
    assert _words(" ".join(note["quote"])) == _words(documents[0][1][0].target.exact)
    assert _words(" ".join(note["text"])) == _words(text)


@settings(max_examples=150, deadline=None)
@given(_TEXT, _TEXT, _TEXT, st.lists(_TAG, max_size=3))
def test_markdown_reads_back_hostile_text(title: str, source: str, text: str, tags: list[str]) -> None:
    from tests.unit.test_export import _plain, _tokens

    documents = _notes(title, source, "quoted", text, tags)
    tokens = _tokens(render("markdown", documents, exported=EXPORTED))
    paragraphs = [_plain(tokens[i + 1].children) for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    headings = [_plain(tokens[i + 1].children) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert [_words(h) for h in headings] == [_words(title) or "doc.txt"]
    if source.strip():
        assert _words(paragraphs[0]).startswith(_words(source) + " · ")
    body = paragraphs[2:-1]  # between the quote and the meta line
    assert _words(" ".join(body).replace("\n", " ")) == _words(text.strip("\r\n"))
    assert not [t for t in tokens if t.type in ("bullet_list_open", "ordered_list_open", "fence", "code_block")]


@settings(max_examples=150, deadline=None)
@given(_TEXT, _TEXT, _TEXT, st.lists(_TAG, max_size=3))
def test_csv_reads_back_hostile_text(title: str, quote: str, text: str, tags: list[str]) -> None:
    documents = _notes(title, "", quote, text, tags)
    (row,) = list(csv.DictReader(io.StringIO(render("csv", documents, exported=EXPORTED), newline="")))
    # the documented rule: one leading ' comes off when the cell without it would have been given one
    cells = {key: value[1:] if value.startswith("'") and neutralise(value[1:]) == value else value
             for key, value in row.items()}
    assert cells["Highlight"] == documents[0][1][0].target.exact
    assert cells["Title"] == title
    dotted = " ".join("." + readwise_tag(t) for t in dict.fromkeys(tags) if readwise_tag(t))
    assert cells["Note"] == (f"{dotted}\n{text}" if dotted and text else dotted or text)
    assert not any(value.startswith("=") for value in row.values())


@settings(max_examples=150, deadline=None)
@given(_TEXT, _TEXT, _TEXT, st.lists(_TAG, max_size=3))
def test_json_reads_back_hostile_text(title: str, quote: str, text: str, tags: list[str]) -> None:
    documents = _notes(title, title, quote, text, tags)
    assert parse_json(render("json", documents, exported=EXPORTED)) == documents


def test_org_tags_decode_exactly() -> None:
    from reader.core.export.org_escape import org_tag

    for tag in ("a/b", "a:b", "a_b", "🚀", "%", "x y", "é", "-neg"):
        encoded = org_tag(tag)
        assert unquote(encoded) == tag
    assert org_tag("a/b") != org_tag("a:b") != org_tag("a_b")


def test_csv_cells_starting_with_an_apostrophe_read_back_by_the_one_rule() -> None:
    from reader.core.export.readwise_csv import neutralise

    for text in ("'=", "''=1+2", "'-2+3", "'", "'abc", "=SUM(A1)", "-2+3", "@mention", "\t=x", "'\t=x"):
        cell = neutralise(text)
        restored = cell[1:] if cell.startswith("'") and neutralise(cell[1:]) == cell else cell
        assert restored == text, (text, cell)

"""A document's own tags in every export format, and ``reader export --tag`` choosing documents by them."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from reader.core.export import parse_json, render
from reader.core.export.common import TaggedDocument
from reader.core.organise import Change
from tests.unit.test_export import EXPORTED, sample_documents
from tests.unit.test_export_cli import Library, exported_ids, ref_of, run

TAGS = ("policy", "smart city", "economy/rates", "1984")


def tagged_documents():
    (seed, seed_notes), (odd, odd_notes) = sample_documents()
    tagged = TaggedDocument(seed.id, seed.path, seed.title, seed.source, TAGS)
    return [(tagged, seed_notes), (odd, odd_notes)]


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text[4 : text.index("\n---\n", 4)])


def test_markdown_front_matter_and_source_line_carry_the_document_tags():
    text = render("markdown", tagged_documents(), exported=EXPORTED)
    tags = front_matter(text)["tags"]
    assert tags[:4] == ["policy", "smart-city", "economy/rates", "_1984"]  # as Obsidian reads them, first
    assert "greater-bay" in tags  # the notes' tags still follow
    source_line = next(line for line in text.splitlines() if "](file://" in line and "seeds/" in line)
    assert source_line.endswith(" · #policy #smart-city #economy/rates #_1984")
    odd_line = next(line for line in text.splitlines() if line.startswith("=cmd") or "odd%20" in line)
    assert "#policy" not in odd_line  # the other document has none

    one = render("markdown", tagged_documents()[:1], exported=EXPORTED)
    assert front_matter(one)["tags"][:4] == ["policy", "smart-city", "economy/rates", "_1984"]


def test_json_keeps_the_tags_in_the_documents_reader_entry_and_still_reads_back():
    text = render("json", tagged_documents(), exported=EXPORTED)
    data = json.loads(text)
    seed, odd = data["reader"]["documents"]
    assert seed["tags"] == list(TAGS)
    assert "tags" not in odd
    assert [len(notes) for _, notes in parse_json(text)] == [9, 3]


def test_org_document_headline_has_the_tags():
    text = render("org", tagged_documents(), exported=EXPORTED)
    headline = next(line for line in text.splitlines() if line.startswith("* "))
    assert headline.endswith("  :policy:smart%20city:economy%2Frates:1984:")
    odd_headline = [line for line in text.splitlines() if line.startswith("* ")][1]
    assert not odd_headline.endswith(":")


def test_csv_each_highlight_of_a_tagged_document_opens_its_note_with_the_tags():
    text = render("csv", tagged_documents(), exported=EXPORTED)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    seed_rows = [row for row in rows if row["URL"].endswith("interview.txt")]
    assert seed_rows and all(row["Note"].startswith(".policy .smart_city .economy/rates .1984") for row in seed_rows)
    said = next(row for row in seed_rows if row["Highlight"].startswith("Sun Dong said"))
    assert said["Note"].startswith(".policy .smart_city .economy/rates .1984 .quotes\n")  # policy once
    assert not any(row["Note"].startswith(".policy") for row in rows if row not in seed_rows)


# -- reader export --tag ----------------------------------------------------------------------


@pytest.fixture
def library(tmp_path) -> Library:
    return Library(tmp_path / "library")


def test_export_tag_chooses_documents_by_their_tags_and_notes_by_theirs(capsys, library: Library):
    library.store.organise(ref_of(library.beta), Change(add=("Zoo/Africa",)))
    status, out, err = run(capsys, "export", "--format", "json", "--tag", "zoo")  # nested under zoo, any case
    assert status == 0, err
    assert exported_ids(out) == {"note-giraffe"}  # its note has no tag zoo: the document has
    assert json.loads(out)["reader"]["documents"][0]["tags"] == ["Zoo/Africa"]

    status, out, err = run(capsys, "export", "--format", "json", "--tag", "zoo", "--tag", "policy")
    assert exported_ids(out) == {"note-giraffe", "note-policy"}

    library.store.organise(ref_of(library.seed), Change(add=("economy",)))
    status, out, err = run(capsys, "export", "--format", "json", "--tag", "economy", "--since", "2026-02-01")
    assert exported_ids(out) == {"note-city"}  # every note of the document, --since still applies

    status, out, err = run(capsys, "export", "--format", "org", "--tag", "zoo")
    assert ":Zoo%2FAfrica:" in out


def test_export_help_says_tag_chooses_documents_and_notes(capsys):
    with pytest.raises(SystemExit):
        run(capsys, "export", "--help")
    out = capsys.readouterr().out
    assert "only documents with this tag (all their notes) and notes with this tag" in " ".join(out.split())

"""Every export format read by its own consumer, on 26 notes over 8 documents with hostile content.

JSON against the W3C Web Annotation test schemas and through JSON-LD expansion;
Org through Emacs's Org (parse tree and ASCII export); Markdown through
markdown-it (CommonMark) as Obsidian reads tags; CSV through ``csv`` with the
Readwise rules; HTML through ``html.parser``. Each consumer must read back
exactly the text (titles, bylines, quotes, notes, tags).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
import yaml

from reader.core.export import parse_json, render
from reader.core.export.common import one_line
from reader.core.export.markdown_escape import obsidian_tag
from reader.core.export.readwise_csv import readwise_tag
from reader.core.notes import DocumentRef, Kind, Note
from tests.unit.export_consumers import Emacs, expand_jsonld, org_text, running_emacs, w3c_failures
from tests.unit.test_export import EXPORTED, _note, _tokens, live, sample_documents

# (title, source, path, [(quote, note text, tags, kind, name)])
HOSTILE = [
    ("COMMENT on the budget", "> a byline that starts like a quote", "/library/comment.txt", [
        ("Costs rose [fn:1] sharply.", "see [fn:2], \\alpha, a_b, x^2, <2026-01-01 Thu>, <<target>>, "
         "@@html:<b>@@, {{{macro}}}, src_sh{ls}, call_f() and \\\\", ("a/b", "a:b"), Kind.NOTE, ""),
        ("*bold* _under_ =verb= ~code~ +strike+ /italic/ $x$ and $$y$$.", "", ("🚀", "snake_case"), Kind.NOTE, ""),
        ("[[file:/etc/passwd][click me]] and [[wikilink]].",
         "- a note line like a list\n* a star line\n#+TITLE: x\n: fixed\n| table |\n-----\n# comment",
         ("1984", "#hash"), Kind.NOTE, ""),
        ("- a line that looks like a list\n+ another\n1. numbered\n#+begin_src sh\nrm -rf /\n#+end_src",
         "a note that ends like a block id ^block-id", ("h1", "c1"), Kind.NOTE, ""),
    ]),
    ("TODO list for the week", "- a dash byline", "/library/todo.md", [
        ("DONE: [#A] priority [1/2] cookie.", "-leading minus is text", ("with space", "%percent"), Kind.NOTE, ""),
        ("A line ending with :tag:x:", "+1 agree", (), Kind.NOTE, ""),
        ("Text <!-- note:n01-said --> inside.", "@mention me", ("é-accent",), Kind.NOTE, ""),
    ]),
    ("[[file:/etc/passwd][Doc]] *Title* $5", '=HYPERLINK("http://x")', "/library/links.html", [
        ("=1+2 is a formula", "=1+2", ("-neg", "+plus"), Kind.NOTE, ""),
        ("-2+3 also", "-2+3", (), Kind.NOTE, ""),
        ("@SUM(A1:A2) too", "+cmd|' /C calc'!A0", (), Kind.NOTE, ""),
    ]),
    ("# Hash title ^id", "1. a numbered byline", "/library/hash.txt", [
        ("a bookmarked place", "", (), Kind.BOOKMARK, "> named like a quote ^x"),
        ("tags in text", "#1984 and #snake_case and a:b", ("C1", "qa"), Kind.NOTE, ""),
    ]),
    ("🚀 Emoji ✨", "", "/library/emoji.txt", [
        ("line one\r\nline two\twith a tab", "CRLF\r\nnote\tand tab", ("✨",), Kind.NOTE, ""),
    ]),
    ("DONE [#B] C:\\path\\* \\\\ :a:b:", "| a table byline |", "/library/done.org", [
        ("\\begin{equation} x \\end{equation} and \\(y\\)", "| a | b |\n|---|---|", ("x.y",), Kind.NOTE, ""),
    ]),
]


def hostile_documents() -> list[tuple[DocumentRef, list[Note]]]:
    documents = sample_documents()
    for d, (title, source, path, notes) in enumerate(HOSTILE):
        text = "\n\n".join(quote for quote, *_ in notes)
        ref = DocumentRef(id=f"hostile-{d}", path=path, title=title, source=source)
        documents.append((ref, [
            _note(f"h{d}-{i}", ref.id, quote, source_text=text, text_hash=f"hash-{d}", kind=kind, note=note,
                  tags=tags, name=name)
            for i, (quote, note, tags, kind, name) in enumerate(notes)
        ]))
    return documents


@pytest.fixture(scope="module")
def documents() -> list[tuple[DocumentRef, list[Note]]]:
    documents = hostile_documents()
    assert (len(documents), sum(len(notes) for _, notes in live(documents))) == (8, 26)
    return documents


def _notes(documents: list[tuple[DocumentRef, list[Note]]]) -> Iterator[tuple[DocumentRef, Note]]:
    for ref, notes in live(documents):
        for note in notes:
            yield ref, note


# -- W3C Web Annotation (JSON) ---------------------------------------------------------------


def test_json_passes_the_w3c_schemas(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    data = json.loads(render("json", documents, exported=EXPORTED))
    assert w3c_failures(data, "collections/collectionMusts.test") == []
    assert w3c_failures(data, "collections/pages/pageMusts.test") == []  # a collection with its page
    assert len(data["first"]["items"]) == data["total"] == 26
    for item in data["first"]["items"]:
        assert w3c_failures(item, "annotations/annotationMusts.test") == [], item["reader"]["id"]


def test_json_ld_expansion_keeps_tags_comments_and_reader_data(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    data = json.loads(render("json", documents, exported=EXPORTED))
    expanded = expand_jsonld(data)
    oa = "http://www.w3.org/ns/oa#"
    (collection,) = expanded
    assert collection["@type"] == ["http://www.w3.org/ns/activitystreams#OrderedCollection"]
    items = collection["http://www.w3.org/ns/activitystreams#first"][0]["http://www.w3.org/ns/activitystreams#items"]
    items = items[0]["@list"] if "@list" in items[0] else items
    assert len(items) == 26
    by_id = {}
    for item in items:
        own = item["urn:x-reader:annotation-data"][0]
        assert own["@type"] == "@json"
        by_id[own["@value"]["id"]] = item
    for _, note in _notes(documents):
        item = by_id[note.id]
        bodies = item.get(f"{oa}hasBody", [])
        tags = [b["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"][0]["@value"] for b in bodies
                if b[f"{oa}hasPurpose"] == [{"@id": f"{oa}tagging"}]]
        comments = [b["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"][0]["@value"] for b in bodies
                    if b[f"{oa}hasPurpose"] == [{"@id": f"{oa}commenting"}]]
        assert tags == list(note.tags)
        assert comments == ([note.text] if note.text else [])


def test_json_reads_back_exactly(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    text = render("json", documents, exported=EXPORTED)
    assert parse_json(text) == live(documents)


# -- Org through Emacs -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def emacs() -> Iterator[Emacs]:
    yield from running_emacs()


def org_view(emacs: Emacs, text: str) -> dict[str, object]:
    """What Emacs's Org reads: document and note headlines, with their quotes and texts."""
    read = emacs.read(text)
    assert read["export_error"] == "", read["export_error"]
    headlines: list[dict[str, object]] = []
    for node in read["nodes"]:
        if node["type"] == "headline":
            assert node["todo"] == "" and node["commented"] is False and node["priority"] == 0, node
            headlines.append({"level": node["level"], "title": org_text(node["title"], allow_links=True),
                              "tags": [unquote(t) for t in node["tags"]], "quote": [], "text": [], "other": []})
        elif node["type"] == "paragraph":
            where = "quote" if node["in"] == "quote-block" else "text"
            headlines[-1][where].append(org_text(node["objects"], allow_links=True))  # type: ignore[union-attr]
        elif node["type"] not in ("section", "property-drawer", "node-property", "quote-block", "keyword"):
            (headlines[-1]["other"] if headlines else []).append(node["type"])  # type: ignore[union-attr]
    keywords = {n["key"]: n["value"] for n in read["nodes"] if n["type"] == "keyword"}
    return {"headlines": headlines, "keywords": keywords}


def _words(text: str) -> str:
    return " ".join(text.split())


def test_org_reads_back_in_emacs(emacs: Emacs, documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    view = org_view(emacs, render("org", documents, exported=EXPORTED))
    headlines = view["headlines"]
    expected = []
    for ref, notes in live(documents):
        expected.append((1, ref.title, [], "", ""))
        for note in notes:
            label = note.name or note.target.exact if note.kind is Kind.BOOKMARK else note.target.exact
            title = f"{'Bookmark ' if note.kind is Kind.BOOKMARK else ''}“{one_line(label, 72)}”"
            quote = note.target.exact
            expected.append((2, title, list(note.tags), quote, note.text))
    assert len(headlines) == len(expected)  # type: ignore[arg-type]
    for got, (level, title, tags, quote, text) in zip(headlines, expected, strict=True):  # type: ignore[call-overload]
        assert got["other"] == [], got
        assert (got["level"], got["title"], got["tags"]) == (level, title, tags)
        assert _words(" ".join(got["quote"])) == _words(quote)
        assert _words(" ".join(got["text"])) == _words(text)


# -- Markdown / Obsidian ---------------------------------------------------------------------


def test_markdown_bylines_tags_and_block_ids(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    text = render("markdown", documents, exported=EXPORTED)
    tokens = _tokens(text)
    front = yaml.safe_load(text.split("---\n", 2)[1])
    every_tag = [obsidian_tag(t) for _, note in _notes(documents) for t in note.tags]
    assert front["tags"] == list(dict.fromkeys(t for t in every_tag if t))
    assert all(not t.isdecimal() and "#" not in t and ":" not in t for t in front["tags"])
    paragraphs = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    plain = ["".join(c.content for c in p.children if c.type == "text") for p in paragraphs]
    for ref, _ in live(documents):
        if ref.source:
            assert any(p.startswith(ref.source + " · ") for p in plain), ref.source
    quotes = sum(t.type == "blockquote_open" for t in tokens)
    assert quotes == sum(1 for _, n in _notes(documents) if n.kind is Kind.NOTE and n.target.exact.strip())
    for _, note in _notes(documents):
        if note.tags:
            line = " ".join("#" + t for t in dict.fromkeys(obsidian_tag(t) for t in note.tags) if t)
            assert any(p.startswith(line + " · ") for p in plain), line
    assert "\\^block-id" in text and " ^block-id" not in text and " ^x" not in text


# -- Readwise CSV ----------------------------------------------------------------------------


def test_csv_for_readwise(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv", documents, exported=EXPORTED), newline="")))
    highlights = [(ref, note) for ref, note in _notes(documents) if note.kind is Kind.NOTE]
    assert len(rows) == len(highlights)  # bookmarks are not highlights
    for row, (ref, note) in zip(rows, highlights, strict=True):
        tags = " ".join("." + readwise_tag(t) for t in note.tags)
        expected_note = f"{tags}\n{note.text}" if tags and note.text else tags or note.text
        assert _formula_free(row["Note"]) == expected_note
        assert _formula_free(row["Highlight"]) == note.target.exact
        assert _formula_free(row["Author"]) == ref.source
        assert row["Title"] == ref.title
    cells = {cell for row in rows for cell in row.values()}
    for kept in ("+1 agree", ".é-accent\n@mention me", ".with_space .%percent\n-leading minus is text",
                 "- a line that looks like a list\n+ another\n1. numbered\n#+begin_src sh\nrm -rf /\n#+end_src"):
        assert kept in cells, kept
    assert "-2+3 also" in cells  # not a formula a spreadsheet could compute
    for run in ("'=1+2 is a formula", "'-2+3", "'+cmd|' /C calc'!A0", "'@SUM(A1:A2) too",
                "'=HYPERLINK(\"http://x\")"):
        assert run in cells, run
    assert ".h1_ .c1_\na note that ends like a block id ^block-id" in cells
    assert ".C1_ .qa_\n#1984 and #snake_case and a:b" in cells


def _formula_free(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


# -- HTML ------------------------------------------------------------------------------------


def test_html_shows_every_text(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(render("html", documents, exported=EXPORTED))
    text = "".join(parser.parts)
    for ref, note in _notes(documents):
        assert ref.title in text and ref.source in text
        assert (note.name or note.target.exact) in text and note.text in text
        for tag in note.tags:
            assert f"#{tag}" in text

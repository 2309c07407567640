"""Exports of notes: golden files for every format, and each format read back by a real parser.

The notes sit on the seed article (targets made with ``make_target`` on the read
``Document``) and on a made-up document whose text is full of markup. Set
``READER_UPDATE_GOLDEN=1`` to rewrite the golden files after a deliberate change.
"""

from __future__ import annotations

import csv
import io
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from reader.core.anchors import find_quote
from reader.core.document import Document
from reader.core.export import EXTENSIONS, FORMATS, BadExport, append_markdown, parse_json, render
from reader.core.export.links import file_uri, text_fragment
from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, Note, make_target
from tests.conftest import SEED

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "export"
EXPORTED = "2026-11-30T09:00:00Z"
SEED_PATH = "/library/seeds/hong-kong-innovation-secretary-interview.txt"
ODD_PATH = "/library/odd [name] & #1 (copy).md"

ODD_TEXT = (
    "# Heading line\n\n"
    "- a list item\n+ another\n1. numbered\n\n"
    "---\n\n"
    "> quoted\n\n"
    '<script>alert("x")</script> and **bold** and `code` and [a](javascript:x)\n\n'
    '=SUM(A1), "quoted", commas, @mention\n\n'
    "* star line\n#+begin_src\n:END:\n\n"
    "中文段落：数字经济。\n\n"
    "العربية: الاقتصاد الرقمي\n\n"
    "Emoji 🚀🌏 end"
)

MARKUP_NOTE = (
    "# Not a heading\n"
    "- not a list\n"
    "1. not numbered\n"
    "---\n"
    "> not a quote\n"
    "<script>alert('x')</script> **not bold** `code` [link](http://x) &amp; $10 ==hi== %%c%%\n"
    "\n"
    "* star line\n"
    "#+begin_src\n"
    ":END:"
)


def seed_document() -> Document:
    return read_document(SEED)


def _note(
    note_id: str,
    doc: str,
    quote: str,
    *,
    source_text: str,
    text_hash: str,
    sections: Document | None = None,
    kind: Kind = Kind.NOTE,
    note: str = "",
    tags: tuple[str, ...] = (),
    name: str = "",
    created: str = "2026-11-24T18:40:02Z",
    updated: str = "",
    deleted: bool = False,
    extra: dict[str, object] | None = None,
) -> Note:
    found = find_quote(source_text, quote)
    assert found is not None, quote
    target = make_target(source_text, *found, text_hash)
    section = sections.section_at(target.start) if sections is not None else None
    return Note(
        id=note_id,
        doc_id=doc,
        kind=kind,
        target=target,
        created=created,
        updated=updated or created,
        text=note,
        tags=tags,
        name=name,
        section=section.title if section else "",
        deleted=deleted,
        extra=extra or {},
    )


def sample_documents() -> list[tuple[DocumentRef, list[Note]]]:
    """Two documents with every kind of awkward note; notes given out of document order."""
    doc = seed_document()
    seed = DocumentRef(id="seed-hong-kong", path=SEED_PATH, title=doc.title, source=doc.source)

    def on_seed(note_id: str, quote: str, **kwargs: object) -> Note:
        return _note(note_id, seed.id, quote, source_text=doc.text, text_hash=doc.text_hash, sections=doc,
                     **kwargs)  # type: ignore[arg-type]

    odd = DocumentRef(id="odd-0001", path=ODD_PATH, title='Odd <title> & "quotes" # 1', source="=cmd|' /C calc'!A0")

    def on_odd(note_id: str, quote: str, **kwargs: object) -> Note:
        return _note(note_id, odd.id, quote, source_text=ODD_TEXT, text_hash="odd-hash",
                     **kwargs)  # type: ignore[arg-type]

    seed_notes = [
        on_seed("n05-smart", "cooperation between the SAR government and Guangdong Province has a history of more "
                "than ten years", note="智慧城市：粤港澳大湾区的合作，已有十多年。", tags=("智慧城市", "greater-bay"),
                created="2026-11-24T19:05:00Z"),
        on_seed("n01-said", 'Sun Dong said: "We have seen the enthusiastic expectation',
                note='He said "yes, no", then\nleft; see the 2022 Blueprint, §3.', tags=("quotes", "policy"),
                extra={"color": "yellow"}),
        on_seed("n02-bare", "attracting about 4,000 registrations from dozens of countries and regions"),
        on_seed("n06-arabic", "the duck knows first when the river becomes warm in spring",
                note="مدينة ذكية — ملاحظة مهمة عن المواهب", tags=("عربي",), created="2026-11-25T07:30:00Z",
                updated="2026-11-26T08:00:00Z"),
        on_seed("n07-emoji", "establishment of a HK$10 billion", note="🚀 big money 👍🏽 ✨", tags=("emoji✨",)),
        on_seed("n08-markup", "Hong Kong does have certain advantages in innovative technology breakthroughs",
                note=MARKUP_NOTE, tags=("a b", "x:y")),
        on_seed("n09-formula", "the SAR government has conducted a feasibility study", note="=SUM(A1)",
                tags=("-neg",)),
        on_seed("n03-bookmark", "Sun Dong: First of all, we strongly encourage", kind=Kind.BOOKMARK,
                name='Read again: "start-ups" --- <b>', created="2026-11-24T20:00:00Z"),
        on_seed("n10-bookmark", "Hong Kong Science Popularization and Science Fiction Academy", kind=Kind.BOOKMARK),
        on_seed("n04-deleted", "Tony Wong, Acting Government Chief Information Officer", note="a note that was deleted",
                deleted=True),
    ]
    odd_notes = [
        on_odd("o2-tail", "中文段落：数字经济。\n\nالعربية: الاقتصاد الرقمي\n\nEmoji 🚀🌏", note="@everyone +1 -1"),
        on_odd("o1-all", ODD_TEXT, note="whole page\r\nwith CRLF", tags=("odd",)),
        on_odd("o3-formula", '=SUM(A1), "quoted", commas, @mention', note="\tTabbed"),
    ]
    return [(seed, seed_notes), (odd, odd_notes)]


def live(documents: list[tuple[DocumentRef, list[Note]]]) -> list[tuple[DocumentRef, list[Note]]]:
    """What an export holds: no tombstones, document order."""
    return [(ref, sorted((n for n in notes if not n.deleted), key=lambda n: n.target.start)) for ref, notes in documents]


@pytest.fixture(scope="module")
def documents() -> list[tuple[DocumentRef, list[Note]]]:
    return sample_documents()


# -- golden files --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str, documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    output = render(fmt, documents, exported=EXPORTED)
    golden = GOLDEN / f"notes{EXTENSIONS[fmt]}"
    if os.environ.get("READER_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(output.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing; run with READER_UPDATE_GOLDEN=1"
    assert output == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_tombstones_are_never_exported(fmt: str, documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    output = render(fmt, documents, exported=EXPORTED)
    assert "n04-deleted" not in output
    assert "a note that was deleted" not in output


def test_unknown_format_is_one_line() -> None:
    with pytest.raises(ValueError, match=r"^unknown export format 'pdf' \(one of markdown, json, html, org, csv\)$"):
        render("pdf", [], exported=EXPORTED)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_export_renders(fmt: str) -> None:
    assert render(fmt, [], exported=EXPORTED)


# -- Markdown ------------------------------------------------------------------------------


def _tokens(text: str) -> list:  # type: ignore[type-arg]
    """Tokens as CommonMark with front matter, tables and strikethrough reads them."""
    parser = MarkdownIt("commonmark").use(front_matter_plugin).enable(["table", "strikethrough"])
    default = parser.validateLink
    # markdown-it's default link check refuses file: links; viewers that allow the scheme open them
    parser.validateLink = lambda url: url.startswith("file:///") or default(url)  # type: ignore[method-assign]
    tokens = parser.parse(text)
    assert tokens[0].type == "front_matter"
    return tokens[1:]


def _inline_after(tokens: list, index: int) -> str:  # type: ignore[type-arg]
    """The text of the inline token following ``tokens[index]`` (a heading or paragraph open)."""
    return tokens[index + 1].content


def test_markdown_structure(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    text = render("markdown", documents, exported=EXPORTED)
    tokens = _tokens(text)
    headings = [(t.tag, tokens[i + 1].children) for i, t in enumerate(tokens) if t.type == "heading_open"]
    h1 = [_plain(children) for tag, children in headings if tag == "h1"]
    assert h1 == [documents[0][0].title, 'Odd <title> & "quotes" # 1']
    seed_doc = seed_document()
    expected_sections: list[str] = []
    for note in live(documents)[0][1]:
        if note.section and (not expected_sections or expected_sections[-1] != note.section):
            expected_sections.append(note.section)
    h2 = [_plain(children) for tag, children in headings if tag == "h2"]
    assert h2 == expected_sections
    assert all(s in {x.title for x in seed_doc.sections} for s in h2)
    assert {tag for tag, _ in headings} == {"h1", "h2"}

    quotes = _blockquote_texts(tokens)
    highlights = [n for _, notes in live(documents) for n in notes if n.kind is Kind.NOTE]
    assert len(quotes) == len(highlights)
    for quote, note in zip(quotes, highlights, strict=True):
        assert quote == [" ".join(p.split()) for p in note.target.exact.split("\n\n")]

    markers = [t.content.strip() for t in tokens if t.type == "html_block"]
    assert markers == [f"<!-- note:{n.id} -->" for _, notes in live(documents) for n in notes]
    assert sum(t.type == "hr" for t in tokens) == len(markers)
    assert not [t for t in tokens if t.type in ("bullet_list_open", "ordered_list_open", "fence", "code_block")]
    inline = [c for t in tokens if t.children for c in t.children]
    assert not [c for c in inline if c.type in ("html_inline", "em_open", "code_inline", "s_open", "image")]
    bookmarks = [n for _, notes in live(documents) for n in notes if n.kind is Kind.BOOKMARK]
    assert sum(c.type == "strong_open" for c in inline) == len(bookmarks)  # only the "Bookmark:" labels


def _plain(children: list) -> str:  # type: ignore[type-arg]
    return "".join(c.content if c.type == "text" else "\n" if c.type == "softbreak" else "" for c in children)


def _blockquote_texts(tokens: list) -> list[list[str]]:  # type: ignore[type-arg]
    """Each top-level blockquote as its paragraphs, soft breaks read as spaces."""
    quotes: list[list[str]] = []
    depth = 0
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open":
            if depth == 0:
                quotes.append([])
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
        elif depth and token.type == "paragraph_open":
            quotes[-1].append(" ".join(_plain(tokens[i + 1].children).split()))
    assert depth == 0
    return quotes


def test_markdown_note_text_stays_text(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    text = render("markdown", documents, exported=EXPORTED)
    tokens = _tokens(text)
    paragraphs = [_plain(tokens[i + 1].children) for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    body = "\n".join(paragraphs)
    for line in MARKUP_NOTE.splitlines():
        if line:
            assert line in body, line
    assert "🚀 big money 👍🏽 ✨" in body
    assert "مدينة ذكية — ملاحظة مهمة عن المواهب" in body
    assert "#智慧城市 #greater-bay · 2026-11-24 19:05 · passage" in body
    assert 'Bookmark: Read again: "start-ups" --- <b>' in body


def test_markdown_front_matter_is_yaml(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    text = render("markdown", documents[:1], exported=EXPORTED)
    assert text.startswith("---\n")
    front = yaml.safe_load(text.split("---\n", 2)[1])
    ref = documents[0][0]
    assert front == {"title": ref.title, "source": ref.source, "file": file_uri(SEED_PATH), "exported": EXPORTED,
                     "tags": ["quotes", "policy", "智慧城市", "greater-bay", "a-b", "x-y", "emoji✨", "عربي", "neg"]}
    odd = DocumentRef(id="x", path="/x.md", title='a: "b" # c\u2028d\x85e', source="- [x]")
    front = yaml.safe_load(render("markdown", [(odd, [])], exported=EXPORTED).split("---\n", 2)[1])
    assert front["title"] == odd.title and front["source"] == odd.source


def test_markdown_links_are_percent_encoded(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    text = render("markdown", documents, exported=EXPORTED)
    assert "(file:///library/odd%20%5Bname%5D%20%26%20%231%20%28copy%29.md)" in text
    tokens = _tokens(text)
    hrefs = [c.attrs["href"] for t in tokens if t.children for c in t.children if c.type == "link_open"]
    assert hrefs and all(h.startswith("file:///library/") for h in hrefs)


def test_markdown_append_keeps_edits_and_adds_only_new_notes(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    seed, notes = documents[0]
    first = render("markdown", [(seed, notes[:3])], exported=EXPORTED)
    edited = first.replace("智慧城市：粤港澳大湾区的合作，已有十多年。", "MY OWN EDIT") + "\nmy closing words\n"
    assert "MY OWN EDIT" in edited
    again, added = append_markdown(edited, documents)
    assert again.startswith(edited.rstrip("\n"))
    new = [n for _, ns in live(documents) for n in ns if n.id not in {m.id for m in notes[:3]}]
    assert added == len(new)
    tail = again[len(edited):]
    for note in new:
        assert tail.count(f"<!-- note:{note.id} -->") == 1
    for note in notes[:3]:
        assert again.count(f"<!-- note:{note.id} -->") == 1
    assert tail.count(f"\n# {seed.title}\n") == 1
    assert append_markdown(again, documents) == (again, 0)
    assert "my closing words" in again


# -- HTML ----------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_holds_user_text_only_as_text(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    page = render("html", documents, exported=EXPORTED)
    assert page.startswith("<!doctype html>\n")
    assert '<meta charset="utf-8">' in page and "@media print" in page
    parser = _Collector()
    parser.feed(page)
    parser.close()
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names and "b" not in names
    allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "p", "time", "article", "h2", "a",
               "h3", "section", "blockquote", "div", "span", "strong"}
    assert set(names) <= allowed
    allowed_attrs = {"lang", "charset", "name", "content", "datetime", "id", "dir", "href", "class"}
    for _, attrs in parser.tags:
        assert set(attrs) <= allowed_attrs
        assert not any(str(v).startswith("javascript:") for v in attrs.values())
    ids = {attrs["id"] for _, attrs in parser.tags if "id" in attrs}
    text = "".join(parser.text)
    for ref, notes in live(documents):
        assert f"doc-{ref.id}" in ids
        assert ref.title in text
        for note in notes:
            assert f"note-{note.id}" in ids
            assert (note.name or note.target.exact) in text
            assert note.text in text
            for tag in note.tags:
                assert f"#{tag}" in text


# -- CSV -----------------------------------------------------------------------------------


def test_csv_reads_back_with_readwise_columns(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    output = render("csv", documents, exported=EXPORTED)
    assert output.startswith("Highlight,Title,Author,URL,Note,Location,Date\r\n")
    rows = list(csv.reader(io.StringIO(output, newline="")))
    assert rows[0] == ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]
    expected = []
    for ref, notes in live(documents):
        for note in notes:
            if note.kind is Kind.NOTE:  # bookmarks are not Readwise highlights
                expected.append((note, ref))
    assert len(rows) - 1 == len(expected)
    for row, (note, ref) in zip(rows[1:], expected, strict=True):
        highlight, title, author, url, text, location, date = row
        assert _unneutralised(highlight) == note.target.exact
        assert title == ref.title
        assert _unneutralised(author) == ref.source
        assert url == file_uri(ref.path)
        assert location == str(note.target.start)
        assert date == note.created.replace("T", " ").removesuffix("Z")
        if note.text:
            assert note.text in _unneutralised(text)
        for cell in row:
            assert not cell.startswith("=")


def _unneutralised(cell: str) -> str:
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") else cell


def test_csv_neutralises_formulas(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    rows = list(csv.reader(io.StringIO(render("csv", documents, exported=EXPORTED), newline="")))
    cells = {cell for row in rows for cell in row}
    assert ".-neg\n=SUM(A1)" in cells  # tags open the note
    assert "'=cmd|' /C calc'!A0" in cells
    assert "@everyone +1 -1" in cells  # text, not a formula
    assert "\tTabbed" in cells
    assert '\'=SUM(A1), "quoted", commas, @mention' in cells


# -- Org -----------------------------------------------------------------------------------


def test_org_outline_and_escapes(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    text = render("org", documents, exported=EXPORTED)
    lines = text.split("\n")
    headlines = [line for line in lines if line.startswith("*")]
    assert [h for h in headlines if h.startswith("* ")] == [
        f"* {documents[0][0].title}",
        '* Odd <\u200btitle> & "quotes" # 1',
    ]
    assert len([h for h in headlines if h.startswith("** ")]) == sum(len(n) for _, n in live(documents))
    assert all(h.startswith(("* ", "** ")) for h in headlines)
    assert text.count("#+begin_quote") == text.count("#+end_quote") == 12
    z = "\u200b"  # Org's own escape, the zero-width space (checked by Emacs in test_export_validators)
    assert f"{z}*{z} star line" in lines and f"{z}#+{z}begin_{z}src" in lines and f"{z}:END:" in lines
    assert f"{z}# Heading line" in lines and f"{z}# Not a heading" in lines
    assert ":ID:       n01-said" in lines
    assert ":CREATED:  [2026-11-24 Tue 18:40]" in lines
    assert "** “Sun Dong said: \"We have seen the enthusiastic expectation”  :quotes:policy:" in lines
    assert "** “the SAR government has conducted a feasibility study”  :%2Dneg:" in lines
    assert ":SOURCE:   [[file:/library/odd \\[name\\] & #1 (copy).md][odd (name) & #1 (copy).md]]" in lines


# -- JSON ----------------------------------------------------------------------------------


def test_json_round_trip_is_exact(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    text = render("json", documents, exported=EXPORTED)
    assert parse_json(text) == live(documents)
    assert render("json", parse_json(text), exported=EXPORTED) == text


def test_json_is_shaped_like_web_annotations(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    data = json.loads(render("json", documents, exported=EXPORTED))
    assert data["type"] == "AnnotationCollection" and data["total"] == 12
    assert (data["reader"]["format"], data["reader"]["version"], data["reader"]["exported"]) == (
        "reader-annotations", 2, EXPORTED)
    assert data["first"]["type"] == "AnnotationPage" and data["first"]["startIndex"] == 0
    annotations = {a["reader"]["id"]: a for a in data["first"]["items"]}
    said = annotations["n01-said"]
    assert said["type"] == "Annotation" and said["motivation"] == "commenting"
    assert said["id"].startswith("urn:uuid:")
    comment, *tags = said["body"]
    assert comment["purpose"] == "commenting" and comment["value"].startswith('He said "yes, no"')
    assert [(t["type"], t["purpose"], t["value"]) for t in tags] == [
        ("TextualBody", "tagging", "quotes"), ("TextualBody", "tagging", "policy")]
    quote, position = said["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and quote["exact"].startswith("Sun Dong said")
    assert position["type"] == "TextPositionSelector" and position["end"] - position["start"] == len(quote["exact"])
    assert said["reader"]["extra"] == {"color": "yellow"}
    assert said["reader"]["document"] == "seed-hong-kong"
    assert annotations["n02-bare"]["motivation"] == "highlighting" and "body" not in annotations["n02-bare"]
    assert annotations["n03-bookmark"]["motivation"] == "bookmarking"
    assert annotations["n06-arabic"]["modified"] == "2026-11-26T08:00:00Z"


def test_json_of_the_earlier_shape_still_imports(documents: list[tuple[DocumentRef, list[Note]]]) -> None:
    """Version 1 (``documents[].annotations[]``, ``bodyValue``, ``tags``) reads as it always did."""
    old = (GOLDEN / "notes-v1.json").read_text(encoding="utf-8")
    assert json.loads(old)["version"] == 1
    assert parse_json(old) == live(documents)


def test_a_uuid_note_id_is_the_annotation_iri() -> None:
    from reader.core.export.web_annotation import note_iri

    assert note_iri("0123456789abcdef0123456789abcdef") == "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"
    assert note_iri("n01-said").startswith("urn:uuid:") and note_iri("n01-said") != note_iri("n02-said")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", r"^not JSON: Expecting property name enclosed in double quotes at line 1, column 2$"),
        ("[]", r'^not a reader annotations export \(no "format": "reader-annotations"\)$'),
        ('{"format": "reader-annotations", "version": 3, "documents": []}', r"^version 3 is newer"),
        ('{"format": "reader-annotations", "version": "1"}', r'^version must be a whole number, found "1"$'),
        ('{"format": "reader-annotations", "version": 1}', r"^export: documents must be a list, found nothing$"),
        ('{"format": "reader-annotations", "version": 1, "documents": [{"annotations": []}]}',
         r"^documents\[0\]: id is missing$"),
        ('{"format": "reader-annotations", "version": 1, "documents": [{"id": "d", "annotations": [{"id": "n", '
         '"target": {"selector": [{"type": "TextQuoteSelector", "exact": "x"}]}}]}]}',
         r"^documents\[0\]\.annotations\[0\]\.target\.selector: no TextPositionSelector$"),
        ('{"format": "reader-annotations", "version": 1, "documents": [{"id": "d", "annotations": [{"id": "n", '
         '"target": {"selector": [{"type": "TextQuoteSelector", "exact": "x"}, '
         '{"type": "TextPositionSelector", "start": 5, "end": 2}]}}]}]}',
         r"^documents\[0\]\.annotations\[0\]\.target: end 2 is before start 5$"),
    ],
)
def test_parse_json_errors_are_one_line(text: str, message: str) -> None:
    with pytest.raises(BadExport, match=message) as caught:
        parse_json(text)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


# -- links ---------------------------------------------------------------------------------


def test_text_fragment_encodes_and_keeps_whole_words() -> None:
    text = "The committee, after a two-day meeting on Wednesday, said it would keep rates unchanged for now."
    start = text.index("said")
    target = make_target(text, start, start + len("said it would keep rates unchanged"), "h", context=12)
    assert text_fragment(target) == "Wednesday%2C-,said%20it%20would%20keep%20rates%20unchanged,-for%20now."
    long = make_target(text, 0, len(text), "h")
    assert text_fragment(long) == "The%20committee%2C%20after%20a,rates%20unchanged%20for%20now."
    dashed = make_target("a two-day x", 2, 9, "h")
    assert text_fragment(dashed) == "a-,two%2Dday,-x"


def test_a_hand_edited_path_that_names_no_file_still_exports():
    from reader.core.export.links import file_uri

    assert file_uri("\\\\x").startswith("file:")  # a share without a name: no ValueError
    assert file_uri("/tmp/a b") == "file:///tmp/a%20b"


def test_a_position_with_a_percent_that_is_not_a_number_is_refused():
    import pytest

    from reader.core.notes import BadNote, position_from_dict

    target = {"exact": "x", "start": 0, "end": 1}
    for bad in (float("nan"), float("inf")):
        with pytest.raises(BadNote):
            position_from_dict({"target": target, "percent": bad})

"""The PDF reader: reading order, paragraphs, headings, pages, and the PDFs it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.document import BlockKind
from reader.core.formats import UnreadableDocument, check_document, read_document
from tests.unit.pdf_fixtures import encrypted, no_text, paper, two_columns


def write(tmp_path: Path, data: bytes, name: str = "paper.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_paper_metadata_headings_paragraphs_and_pages(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, paper(3)))
    assert document.format == "pdf"
    assert document.title == "The Small Report"
    assert document.source == "Ada Writer"
    assert [s.title for s in document.sections] == [f"Part {n} of the report" for n in (1, 2, 3)]
    assert [document.page_at(s.offset) for s in document.sections] == ["1", "2", "3"]
    first = document.text.index("First paragraph of part 2")
    assert document.page_at(first) == "2"
    paragraphs = [b.text for b in document.blocks if b.kind is BlockKind.PARAGRAPH]
    # lines re-flowed into one paragraph, the hyphenated word joined whole
    assert paragraphs[0] == (
        "First paragraph of part 1: the words marker1 and the harbour are here, "
        "and the sentence goes on over a carefully hyphenated word to the end."
    )
    assert paragraphs[1] == "A second paragraph, set apart by a blank line, ends here."
    # the running header and the page numbers are gone
    assert "running header" not in document.text
    assert not any(b.text.strip().isdigit() for b in document.blocks)


def test_headings_from_font_size_without_an_outline(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, paper(2, outline=False)))
    assert [s.title for s in document.sections] == ["Part 1 of the report", "Part 2 of the report"]


def test_printed_page_labels(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, paper(3, labels=True)))
    assert [p.label for p in document.pages] == ["i", "1", "2"]
    assert document.page_at(document.text.index("marker3")) == "2"


def test_two_columns_read_column_by_column(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, two_columns()))
    text = document.text
    assert text.index("left column line 19") < text.index("right column line 00")
    assert text.index("left column line 00") < text.index("left column line 01")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (no_text(), "no text layer: scanned images"),
        (encrypted(), "encrypted PDF"),
        (b"%PDF-1.4\n garbage that is no PDF at all", "damaged PDF"),
        (b"<html>not a pdf</html>", "not a PDF"),
    ],
    ids=["scanned", "encrypted", "damaged", "not-pdf"],
)
def test_refused_pdfs_get_one_line(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, data)
    for attempt in (read_document, check_document):
        with pytest.raises(UnreadableDocument) as raised:
            attempt(path)
        assert reason in raised.value.reason and "\n" not in raised.value.reason


def test_truncated_pdf_is_read_as_far_as_it_goes_or_refused(tmp_path: Path) -> None:
    data = paper(6)
    for cut in (len(data) // 3, len(data) // 2, len(data) - 200):
        path = write(tmp_path, data[:cut], f"cut{cut}.pdf")
        try:
            document = read_document(path)
        except UnreadableDocument as error:
            assert "PDF" in error.reason and "\n" not in error.reason
        else:
            assert document.format == "pdf"


def test_long_pdf_previews_its_start(tmp_path: Path) -> None:
    path = write(tmp_path, paper(220))
    previews = []
    document = read_document(path, preview=previews.append)
    assert len(previews) == 1
    head = previews[0]
    assert 0 < len(head.text) < len(document.text) and document.text.startswith(head.text)
    assert head.blocks == document.blocks[: len(head.blocks)]
    assert head.pages == document.pages[: len(head.pages)]


REAL = [
    ("developers-reference.pdf", "Debian Developer's Reference", 250, "INTERNATIONALIZATION AND TRANSLATIONS",
     "even if you are ok with English-only programs, you should read most of this chapter", "93"),
    ("ubuntu-packaging-guide.pdf", "Ubuntu Packaging Guide", 100, "ubuntu-dev-tools: Tools for Ubuntu developers",
     "including setting environment variables, installing required packages", "35"),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "title", "sections", "late", "sentence", "page"), REAL, ids=[r[0] for r in REAL])
def test_real_pdfs(corpus: Path, name: str, title: str, sections: int, late: str, sentence: str, page: str) -> None:
    path = corpus / "books-epub-pdf" / name
    if not path.is_file():
        pytest.skip(f"{name} not in the corpus")
    document = read_document(path)
    assert document.title == title
    assert len(document.sections) >= sections
    found = [s for s in document.sections if late in s.title and s.offset > len(document.text) // 2]
    assert found
    assert document.page_at(found[0].offset) == page
    assert sentence in document.text[found[0].offset :]


@pytest.mark.corpus
def test_real_pdf_drawn_as_shapes_has_no_text_layer(corpus: Path) -> None:
    path = corpus / "books-epub-pdf" / "live-manual.en.a4.pdf"
    if not path.is_file():
        pytest.skip("live-manual.en.a4.pdf not in the corpus")
    with pytest.raises(UnreadableDocument, match="no text layer"):
        read_document(path)

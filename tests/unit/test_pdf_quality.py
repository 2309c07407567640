"""PDF text: a paragraph running over two pages is one, lines in a monospace font are code,
and every page is read from PDFium once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

import reader.core.formats.pdf as pdf_reader
from reader.core.document import BlockKind
from reader.core.formats import read_document


def _pdf() -> FPDF:
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    return pdf


def _lines(pdf: FPDF, lines: list[str], y: float, *, x: float = 60, font: str = "Helvetica") -> float:
    pdf.set_font(font, size=11)
    for line in lines:
        pdf.set_xy(x, y)
        pdf.cell(470, 14, line)
        y += 14
    pdf.set_font("Helvetica", size=11)
    return y


FILL = [
    "The harbour lights were lit one by one as the ferry came in, and the passengers",
    "gathered their bags while the crew made the ropes fast along the quay at dusk.",
]


def running_over() -> bytes:
    """Page 1 ends mid-sentence (and mid-word: care-), page 2 goes on; page 2 ends a
    sentence and page 3 starts a paragraph of its own."""
    pdf = _pdf()
    pdf.add_page()
    y = _lines(pdf, FILL, 80) + 14
    _lines(pdf, ["The second paragraph begins on the first page, and it is written with great", "care-"], y)
    pdf.add_page()
    y = _lines(pdf, ["fully over the break to the second page, where it ends in a sentence.", *FILL[:1]], 80)
    _lines(pdf, ["and that one also ends here at the foot of the second page."], y)
    pdf.add_page()
    _lines(pdf, ["another page opens with a paragraph of its own, not the rest of one.", *FILL], 80)
    return bytes(pdf.output())


def with_code() -> bytes:
    pdf = _pdf()
    pdf.add_page()
    y = _lines(pdf, ["Run the command below to build the package from its source tree:", *FILL], 80) + 14
    y = _lines(pdf, ["$ dpkg-buildpackage -us -uc", "if true; then"], y, x=80, font="Courier")
    y = _lines(pdf, ["echo built"], y, x=80 + 4 * 0.6 * 11, font="Courier")  # indented by its place
    y = _lines(pdf, ["fi"], y, x=80, font="Courier") + 14
    y = _lines(pdf, ["A paragraph whose middle line is a name set in the typewriter font"], y)
    y = _lines(pdf, ["/usr/share/doc/reader"], y, font="Courier")
    _lines(pdf, ["and it goes on as prose to the end of the paragraph."], y)
    return bytes(pdf.output())


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    return path


def test_a_paragraph_running_over_a_page_is_one_and_the_page_starts_inside_it(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, running_over()))
    texts = [block.text for block in document.blocks if block.kind is BlockKind.PARAGRAPH]
    joined = next(t for t in texts if t.startswith("The second paragraph"))
    assert "written with great carefully over the break to the second page" in joined
    assert joined.endswith("ends in a sentence.")
    start = document.text.index("The second paragraph")
    assert document.page_at(start) == "1"
    assert document.page_at(document.text.index("carefully")) == "1"
    assert document.page_at(document.text.index("over the break")) == "2"
    # a page that ends a sentence: the next page's paragraph stands alone
    assert any(t.startswith("another page opens") for t in texts)
    assert document.page_at(document.text.index("another page opens")) == "3"
    assert [page.label for page in document.pages] == ["1", "2", "3"]


def test_monospace_lines_are_a_code_block_kept_line_by_line(tmp_path: Path) -> None:
    document = read_document(write(tmp_path, with_code()))
    code = [block.text for block in document.blocks if block.kind is BlockKind.CODE]
    assert code == ["$ dpkg-buildpackage -us -uc\nif true; then\n    echo built\nfi"]
    # a name in the typewriter font on a line of its own, inside prose: still prose
    prose = next(b.text for b in document.blocks if b.text.startswith("A paragraph whose middle"))
    assert prose.endswith("/usr/share/doc/reader and it goes on as prose to the end of the paragraph.")


def test_every_page_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = _pdf()
    for number in range(60):
        pdf.add_page()
        _lines(pdf, [f"Page {number} of the long report.", *FILL], 80)
    path = write(tmp_path, bytes(pdf.output()))
    read: list[int] = []
    original = pdf_reader._page_runs

    def counting(document, index):  # type: ignore[no-untyped-def]
        read.append(index)
        return original(document, index)

    monkeypatch.setattr(pdf_reader, "_page_runs", counting)
    document = read_document(path)
    assert len(document.pages) == 60
    assert sorted(read) == list(range(60))  # the sample's pages are not read a second time
